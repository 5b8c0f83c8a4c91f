/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RUN_RESULT_H
#define CS_RUN_RESULT_H

#include <stddef.h>

#include "export.h"
#include "long_memory.h"
#include "pipeline.h"

struct cs_reload_conf;

/* Subscribers whose final behaviour state is written out after a run (replay --dump-imsi). */
enum { CS_MAX_DUMP_IMSIS = 64 };
struct cs_state_dump {
	unsigned int n;
	cs_digits imsis[CS_MAX_DUMP_IMSIS];
	const char *path; /* one JSON object a line */
	const char *probe_id;
};

/* What a run does besides packets and records. */
struct cs_run_extras {
	const struct cs_state_dump *dump;         /* subscribers whose final state is written out, or NULL */
	const struct cs_long_memory_conf *state;  /* the long-memory store, or NULL (or dir "") for none */
	struct cs_long_memory_stats *stored;      /* what the store did, when there is one */
	const struct cs_reload_conf *reload;      /* live: reload the rules when asked (reload.h), or NULL */
};

/*
 * Runs a configured pipeline with its export thread, from creation to
 * the joined results: what replay and live mode share. With a state
 * store, long memory is restored into the workers before they start and
 * checkpointed while they run, and the final state of every subscriber is
 * in the store when this returns. With a dump, the state of its
 * subscribers is written before the pipeline goes. Returns an exit status
 * (enum cs_exit); err says what failed.
 */
int cs_run_pipeline(const struct cs_pipeline_conf *pc, struct cs_export_conf *xc, const struct cs_run_extras *extras,
		    struct cs_pipeline_result *result, struct cs_export_stats *exported, char *err, size_t errlen);

/* Writes text and a newline to DIR/name; -1 with err naming the file. */
int cs_write_file(const char *dir, const char *name, const char *text, size_t len, char *err, size_t errlen);

#endif
