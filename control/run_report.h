/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RUN_REPORT_H
#define CS_RUN_REPORT_H

#include <stddef.h>

#include "capture_file.h"
#include "export.h"
#include "long_memory.h"
#include "pipeline.h"

/*
 * What one replay run did, for the two reports made of it: DIR/stats.json
 * (every counter by name, rejections by protocol and reason) and the
 * summary record (published to Kafka, schemas/summary.schema.json).
 */
enum { CS_SUMMARY_SCHEMA_VERSION = 3, CS_STATS_SCHEMA_VERSION = 1 };

struct cs_run_report {
	const char *probe_id;
	unsigned int ncaptures;
	const char *const *capture_paths;
	const struct cs_capture_info *captures;
	const struct cs_pipeline_result *result;
	const struct cs_export_stats *exported;
	const struct cs_long_memory_stats *stored; /* NULL: no state store in this run */
};

/* Writes stats.json into buf; returns its length or -1 if it does not fit. */
int cs_run_report_stats(const struct cs_run_report *r, char *buf, size_t cap);

/* Writes the one-line summary record; returns its length or -1. */
int cs_run_report_summary(const struct cs_run_report *r, char *buf, size_t cap);

#endif
