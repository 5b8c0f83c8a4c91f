/* SPDX-License-Identifier: Apache-2.0 */
#include "run_result.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cs_run_pipeline(const struct cs_pipeline_conf *pc, struct cs_export_conf *xc, struct cs_pipeline_result *result,
		    struct cs_export_stats *exported, char *err, size_t errlen)
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
	cs_pipeline_free(p);
	if (rc != 0)
		return CS_EXIT_RUNTIME;
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
