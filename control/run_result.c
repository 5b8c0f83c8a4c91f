/* SPDX-License-Identifier: Apache-2.0 */
#include "run_result.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "reload.h"
#include "state_json.h"

/* The aggregates of the subscriber's device, cell and number block, read where they live. */
static void read_around(struct cs_pipeline *p, const struct cs_subscriber *s, uint64_t now_ns,
			struct cs_state_around *a)
{
	static struct cs_device_count sims;
	static struct cs_cell_view cell;
	static struct cs_block_view block;
	const struct cs_state_ctx *x;
	const struct cs_block_conf *bc;
	uint32_t suffix;

	const struct cs_device *d = cs_pipeline_device(p, s->imei, &x);
	if (d != NULL) {
		cs_device_read(d, x->pool, x->conf.day_ns, now_ns, &sims);
		a->device = &sims;
	}
	const struct cs_cell *c = cs_pipeline_cell(p, s->cell, &x);
	if (c != NULL) {
		cs_cell_read(c, x->pool, x->conf.hour_ns, now_ns, &cell);
		a->cell = &cell;
	}
	const struct cs_block *b = cs_pipeline_block(p, s->msisdn, &suffix, &bc);
	if (b != NULL) {
		cs_block_read(b, bc, now_ns, &block);
		a->block = &block;
		a->block_prefix = b->prefix;
		a->suffix_digits = bc->suffix_digits;
	}
}

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
		struct cs_state_around around = { 0 };
		read_around(p, s, now_ns, &around);
		int len = cs_state_json(x, s, &around, now_ns, dump->probe_id, line, sizeof(line));
		if (len > 0)
			fprintf(f, "%s\n", line);
	}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", dump->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Opens the store named by extras and points the workers' checkpoint queues at it; NULL for none or on error. */
static struct cs_long_memory *open_long_memory(const struct cs_run_extras *extras, struct cs_pipeline_conf *pc,
					       int *failed, char *err, size_t errlen)
{
	*failed = 0;
	if (extras == NULL || extras->state == NULL || extras->state->dir == NULL || extras->state->dir[0] == '\0')
		return NULL;
	struct cs_long_memory_conf lc = *extras->state;
	lc.shards = pc->nworkers;
	struct cs_long_memory *m = cs_long_memory_open(&lc, err, errlen);
	if (m == NULL)
		*failed = 1;
	else
		cs_long_memory_attach(m, pc);
	return m;
}

int cs_run_pipeline(const struct cs_pipeline_conf *conf, struct cs_export_conf *xc, const struct cs_run_extras *extras,
		    struct cs_pipeline_result *result, struct cs_export_stats *exported, char *err, size_t errlen)
{
	struct cs_pipeline_conf pc = *conf;
	int failed;
	struct cs_long_memory *m = open_long_memory(extras, &pc, &failed, err, errlen);

	if (failed)
		return CS_EXIT_USAGE;
	struct cs_pipeline *p = cs_pipeline_create(&pc, err, errlen);
	if (p == NULL) {
		cs_long_memory_close(m);
		return CS_EXIT_RUNTIME;
	}
	if (m != NULL && (cs_long_memory_restore(m, p, err, errlen) != 0 || cs_long_memory_start(m, err, errlen) != 0)) {
		cs_pipeline_free(p);
		cs_long_memory_close(m);
		return CS_EXIT_RUNTIME;
	}
	/* a probe that could not honour SIGHUP would ignore it silently: it does not start instead */
	struct cs_reloader *reloader = NULL;
	if (extras != NULL && extras->reload != NULL &&
	    (reloader = cs_reloader_start(extras->reload, p, err, errlen)) == NULL) {
		cs_long_memory_finish(m, err, errlen);
		cs_long_memory_close(m);
		cs_pipeline_free(p);
		return CS_EXIT_RUNTIME;
	}
	xc->nrings = pc.nworkers;
	xc->progress_of = p;
	for (unsigned int w = 0; w < pc.nworkers; w++)
		xc->rings[w] = cs_pipeline_export_ring(p, w);
	struct cs_export *x = cs_export_start(xc, err, errlen);
	if (x == NULL) {
		cs_reloader_stop(reloader);
		cs_long_memory_finish(m, err, errlen);
		cs_long_memory_close(m);
		cs_pipeline_free(p);
		return CS_EXIT_USAGE;
	}
	int rc = cs_pipeline_run(p, err, errlen);
	cs_reloader_stop(reloader);
	int export_rc = cs_export_join(x, exported);
	char store_err[256] = "";
	int store_rc = m != NULL ? cs_long_memory_finish(m, store_err, sizeof(store_err)) : 0;
	if (m != NULL && extras->stored != NULL)
		cs_long_memory_stats(m, extras->stored);
	cs_long_memory_close(m);
	cs_pipeline_result(p, result);
	const struct cs_state_dump *dump = extras != NULL ? extras->dump : NULL;
	int dump_rc = rc == 0 && dump != NULL && dump->n > 0 ? dump_states(p, dump, result->last_event_ns, err, errlen) : 0;
	cs_pipeline_free(p);
	if (rc != 0)
		return CS_EXIT_RUNTIME;
	if (dump_rc != 0)
		return CS_EXIT_DELIVERY;
	if (export_rc != 0) {
		const struct cs_kafka_outbox_stats *k = &exported->kafka;
		snprintf(err, errlen,
			 "records lost: %llu refused by Kafka, %llu dropped at the spool's cap, %llu dropped on spool "
			 "errors, %llu file write errors",
			 (unsigned long long)k->failed, (unsigned long long)k->dropped_spool_full,
			 (unsigned long long)k->dropped_spool_error, (unsigned long long)exported->file_errors);
		return CS_EXIT_DELIVERY;
	}
	if (store_rc != 0) {
		snprintf(err, errlen, "%s", store_err);
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
