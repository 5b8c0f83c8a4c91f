/* SPDX-License-Identifier: Apache-2.0 */
#include "run_result.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "state_json.h"

/* Each asked-for subscriber's state, as of the run's last event; one not seen is said so on stderr. */
static int dump_states(struct cs_pipeline *p, const struct cs_state_dump *dump, uint64_t now_ns, char *err,
		       size_t errlen)
{
	char line[CS_STATE_JSON_MAX], imsi[CS_DIGITS_STR];
	FILE *f = fopen(dump->path, "w");

	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot create: %s", dump->path, strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < dump->n; i++) {
		const struct cs_state_ctx *x;
		const struct cs_subscriber *s = cs_pipeline_subscriber(p, dump->imsis[i], &x);
		cs_digits_to_ascii(dump->imsis[i], imsi);
		if (s == NULL) {
			fprintf(stderr, "cdrsentry: --dump-imsi %s: no state (not seen, or evicted)\n", imsi);
			continue;
		}
		const struct cs_state_ctx *dx;
		const struct cs_device *d = cs_pipeline_device(p, s->imei, &dx);
		struct cs_device_count sims;
		if (d != NULL)
			cs_device_read(d, dx->pool, dx->conf.day_ns, now_ns, &sims);
		int len = cs_state_json(x, s, d != NULL ? &sims : NULL, now_ns, dump->probe_id, line, sizeof(line));
		if (len > 0)
			fprintf(f, "%s\n", line);
	}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", dump->path, strerror(errno));
		return -1;
	}
	return 0;
}

int cs_run_pipeline(const struct cs_pipeline_conf *pc, struct cs_export_conf *xc, const struct cs_state_dump *dump,
		    struct cs_pipeline_result *result, struct cs_export_stats *exported, char *err, size_t errlen)
{
	struct cs_pipeline *p = cs_pipeline_create(pc, err, errlen);

	if (p == NULL)
		return CS_EXIT_RUNTIME;
	xc->nrings = pc->nworkers;
	xc->progress_of = p;
	for (unsigned int w = 0; w < pc->nworkers; w++)
		xc->rings[w] = cs_pipeline_export_ring(p, w);
	struct cs_export *x = cs_export_start(xc, err, errlen);
	if (x == NULL) {
		cs_pipeline_free(p);
		return CS_EXIT_USAGE;
	}
	int rc = cs_pipeline_run(p, err, errlen);
	int export_rc = cs_export_join(x, exported);
	cs_pipeline_result(p, result);
	int dump_rc = rc == 0 && dump != NULL && dump->n > 0 ? dump_states(p, dump, result->last_event_ns, err, errlen) : 0;
	cs_pipeline_free(p);
	if (rc != 0)
		return CS_EXIT_RUNTIME;
	if (dump_rc != 0)
		return CS_EXIT_DELIVERY;
	if (export_rc != 0) {
		snprintf(err, errlen, "records not delivered: %llu to Kafka, %llu file write errors",
			 (unsigned long long)exported->kafka_failed, (unsigned long long)exported->file_errors);
		return CS_EXIT_DELIVERY;
	}
	return CS_EXIT_OK;
}

int cs_write_file(const char *dir, const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	int ok = fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF;
	if (fclose(f) != 0 || !ok) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
