/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RECORD_SUMMARY_H
#define CS_RECORD_SUMMARY_H

#include <stddef.h>

#include "capture_file.h"
#include "pipeline.h"

/*
 * The "summary" record: what one replay run saw, end to end. Its shape is
 * schemas/summary.schema.json; bump CS_SUMMARY_SCHEMA_VERSION with any
 * change a consumer could notice.
 */
enum { CS_SUMMARY_SCHEMA_VERSION = 1 };

struct cs_summary_input {
	const char *probe_id;
	const char *capture_path;
	const struct cs_capture_info *capture;
	const struct cs_replay_result *result;
};

/* Writes the record as one line of JSON into buf. Returns its length or -1. */
int cs_record_summary(const struct cs_summary_input *in, char *buf, size_t cap);

#endif
