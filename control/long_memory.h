/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_LONG_MEMORY_H
#define CS_LONG_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"
#include "state_store.h"

/*
 * Long memory for one run: the state store (state_store.h), the records
 * restored from it into the workers at start, and the checkpoint writer
 * thread that commits what the workers offer while the pipeline runs.
 *
 *   open ──> queues into the pipeline conf ──> restore into the workers
 *        ──> start the writer ──> pipeline runs (workers offer in event
 *        time; each flushes its dirty records at the end) ──> finish:
 *        the writer drains every queue, commits, stops ──> close
 *
 * The writer commits whenever records wait, in transactions of at most
 * CS_LONG_MEMORY_BATCH records, and sleeps briefly when none do. A failed
 * commit is retried a second later; after CS_LONG_MEMORY_RETRIES failures
 * in a row what is queued is dropped and counted (long memory is then
 * incomplete, and said so on stderr once), so workers waiting for room at
 * the end can never hang on a broken disk.
 */
enum { CS_LONG_MEMORY_BATCH = 65536, CS_LONG_MEMORY_RETRIES = 10 };

struct cs_long_memory_conf {
	const char *dir;
	size_t map_size;
	unsigned int shards;         /* the pipeline's workers */
	unsigned int queue_capacity; /* per worker, a power of two */
};

struct cs_long_memory_stats {
	struct cs_state_store_stats store;
	uint64_t restored, not_restored; /* at start: into the workers' tables, or left out (tables full) */
	uint64_t numbers_not_restored;   /* stored numbers whose block found no room: they would look new */
	uint64_t dropped;                /* queued records given up after repeated failed commits */
	uint64_t failed_commits;
};

struct cs_long_memory;

struct cs_long_memory *cs_long_memory_open(const struct cs_long_memory_conf *conf, char *err, size_t errlen);

/* Points the pipeline conf's per-worker checkpoint queues at the store's. */
void cs_long_memory_attach(struct cs_long_memory *m, struct cs_pipeline_conf *pc);

/* Hands every stored subscriber to the worker owning it. 0, or -1 with err. */
int cs_long_memory_restore(struct cs_long_memory *m, struct cs_pipeline *p, char *err, size_t errlen);

/* Starts the writer thread. 0, or -1 with err. */
int cs_long_memory_start(struct cs_long_memory *m, char *err, size_t errlen);

/* After the workers finished: drains the queues, stops the writer. 0, or -1 with err if records were dropped. */
int cs_long_memory_finish(struct cs_long_memory *m, char *err, size_t errlen);

void cs_long_memory_stats(const struct cs_long_memory *m, struct cs_long_memory_stats *out);

/* Closes the store (after finish, or instead of start when the run never began). */
void cs_long_memory_close(struct cs_long_memory *m);

#endif
