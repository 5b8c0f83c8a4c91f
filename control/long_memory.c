/* SPDX-License-Identifier: Apache-2.0 */
#include "long_memory.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mem.h"

struct cs_long_memory {
	struct cs_state_store *store;
	unsigned int shards;
	pthread_t writer;
	int started;
	atomic_int stop;
	/* written by the writer thread, read after it is joined */
	uint64_t restored, not_restored, numbers_not_restored, dropped, failed_commits;
};

static const struct timespec IDLE = { .tv_nsec = 20 * 1000 * 1000 };
static const struct timespec RETRY = { .tv_sec = 1 };

struct cs_long_memory *cs_long_memory_open(const struct cs_long_memory_conf *conf, char *err, size_t errlen)
{
	const struct cs_state_store_conf sc = {
		.dir = conf->dir,
		.map_size = conf->map_size,
		.shards = conf->shards,
		.queue_capacity = conf->queue_capacity,
	};
	struct cs_long_memory *m = cs_mem_alloc(sizeof(*m));

	memset(m, 0, sizeof(*m));
	m->shards = conf->shards;
	m->store = cs_state_store_open(&sc, err, errlen);
	if (m->store == NULL) {
		cs_mem_free(m);
		return NULL;
	}
	return m;
}

void cs_long_memory_attach(struct cs_long_memory *m, struct cs_pipeline_conf *pc)
{
	for (unsigned int w = 0; w < m->shards; w++)
		pc->checkpoint[w] = cs_state_store_queue(m->store, w);
}

struct restore_target {
	struct cs_long_memory *m;
	struct cs_pipeline *p;
};

static int restore_one(const struct cs_state_record *rec, void *ctx)
{
	const struct restore_target *t = ctx;
	struct cs_long_memory *m = t->m;
	int number_kept;

	if (cs_pipeline_restore(t->p, rec, &number_kept) == 0)
		m->restored++;
	else
		m->not_restored++;
	if (rec->msisdn != CS_DIGITS_NONE && !number_kept)
		m->numbers_not_restored++;
	return 0;
}

int cs_long_memory_restore(struct cs_long_memory *m, struct cs_pipeline *p, char *err, size_t errlen)
{
	struct restore_target t = { .m = m, .p = p };
	enum cs_state_result r = cs_state_store_restore(m->store, restore_one, &t);

	if (r != CS_STATE_OK) {
		snprintf(err, errlen, "state store: restore failed: %s", cs_state_result_name(r));
		return -1;
	}
	if (m->not_restored > 0)
		fprintf(stderr, "cdrsentry: state store: %llu stored subscribers did not fit the workers' tables "
				"(capacity.subscribers); their long memory stays on disk and is merged into again\n",
			(unsigned long long)m->not_restored);
	if (m->numbers_not_restored > 0)
		fprintf(stderr, "cdrsentry: state store: %llu stored numbers did not fit the number-block tables "
				"(capacity.number_blocks): they will count as first activations when seen\n",
			(unsigned long long)m->numbers_not_restored);
	return 0;
}

/* Drops what every queue holds: the store cannot take it (counted, said once). */
static void drop_queued(struct cs_long_memory *m)
{
	for (unsigned int w = 0; w < m->shards; w++) {
		struct cs_checkpoint_queue *q = cs_state_store_queue(m->store, w);
		size_t n = cs_checkpoint_queue_pending(q);

		cs_checkpoint_queue_release(q, n);
		m->dropped += n;
	}
}

/* One commit attempt and what follows it; returns the records written. */
static unsigned int write_step(struct cs_long_memory *m, unsigned int *failures)
{
	unsigned int written = 0;
	enum cs_state_result r = cs_state_store_run_once(m->store, CS_LONG_MEMORY_BATCH, &written);

	if (r == CS_STATE_OK) {
		*failures = 0;
		return written;
	}
	m->failed_commits++;
	if (++*failures == CS_LONG_MEMORY_RETRIES) {
		uint64_t before = m->dropped;
		drop_queued(m);
		fprintf(stderr, "cdrsentry: state store: checkpoint failed %u times (%s): %llu records dropped\n",
			*failures, cs_state_result_name(r), (unsigned long long)(m->dropped - before));
		*failures = 0;
	} else {
		nanosleep(&RETRY, NULL);
	}
	return 0;
}

static void *writer_main(void *arg)
{
	struct cs_long_memory *m = arg;
	unsigned int failures = 0;

	while (!atomic_load_explicit(&m->stop, memory_order_acquire))
		if (write_step(m, &failures) == 0)
			nanosleep(&IDLE, NULL);
	/* the workers have finished: what they offered last is all in the queues */
	for (;;) {
		size_t pending = 0;
		for (unsigned int w = 0; w < m->shards; w++)
			pending += cs_checkpoint_queue_pending(cs_state_store_queue(m->store, w));
		if (pending == 0)
			break;
		write_step(m, &failures);
	}
	return NULL;
}

int cs_long_memory_start(struct cs_long_memory *m, char *err, size_t errlen)
{
	int rc = pthread_create(&m->writer, NULL, writer_main, m);

	if (rc != 0) {
		snprintf(err, errlen, "state store: cannot start the checkpoint writer: %s", strerror(rc));
		return -1;
	}
	m->started = 1;
	return 0;
}

int cs_long_memory_finish(struct cs_long_memory *m, char *err, size_t errlen)
{
	if (m == NULL || !m->started)
		return 0;
	atomic_store_explicit(&m->stop, 1, memory_order_release);
	pthread_join(m->writer, NULL);
	m->started = 0;
	if (m->dropped > 0) {
		snprintf(err, errlen, "state store: %llu long-memory records could not be written",
			 (unsigned long long)m->dropped);
		return -1;
	}
	return 0;
}

void cs_long_memory_stats(const struct cs_long_memory *m, struct cs_long_memory_stats *out)
{
	memset(out, 0, sizeof(*out));
	cs_state_store_stats(m->store, &out->store);
	out->restored = m->restored;
	out->not_restored = m->not_restored;
	out->numbers_not_restored = m->numbers_not_restored;
	out->dropped = m->dropped;
	out->failed_commits = m->failed_commits;
}

void cs_long_memory_close(struct cs_long_memory *m)
{
	if (m == NULL)
		return;
	cs_state_store_close(m->store);
	cs_mem_free(m);
}
