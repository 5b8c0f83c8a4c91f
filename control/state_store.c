/* SPDX-License-Identifier: Apache-2.0 */
#include "state_store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mem.h"

enum { CACHE_LINE = 64 };

/* What a worker copies per offer; state_store.h promises 48 bytes. */
_Static_assert(sizeof(struct cs_state_record) == 48, "cs_state_record grew: update state_store.h");

/*
 * A shard's queue: a single-producer single-consumer ring of records. The
 * worker writes slot[head & mask] and then publishes head (release); the
 * writer reads slots up to head (acquire), and publishes tail only after
 * the transaction holding them committed, so until then the producer
 * cannot reuse them and a failed commit can simply be retried. head and
 * tail sit on their own cache lines so the two sides do not bounce one
 * line; each side keeps a copy of the other's index and rereads it only
 * when the copy says full (producer) or empty (consumer).
 */
struct shard_queue {
	alignas(CACHE_LINE) _Atomic size_t head; /* next slot the producer fills */
	size_t tail_seen;                        /* producer's copy of tail */
	_Atomic uint64_t queued, queue_full;     /* written by the producer only */
	alignas(CACHE_LINE) _Atomic size_t tail; /* next slot the consumer takes */
	struct cs_state_record *slot;
};

struct cs_state_store {
	MDB_env *env;
	MDB_dbi dbi;
	unsigned int shards;
	size_t mask;
	unsigned int next_shard; /* where the next checkpoint starts draining, for fairness */
	struct shard_queue *queue;
	/* written by the writer thread only; atomics so stats can read them from anywhere */
	_Atomic uint64_t written, bytes, transactions, map_full, lmdb_errors, unreadable, stale_readers,
		last_ns, entries;
};

static const char *const result_names[] = {
#define CS_STATE_NAME(id, name) [id] = name,
	CS_STATE_RESULTS(CS_STATE_NAME)
#undef CS_STATE_NAME
};

const char *cs_state_result_name(enum cs_state_result r)
{
	return (size_t)r < sizeof(result_names) / sizeof(result_names[0]) ? result_names[r] : "unknown";
}

/* Single-writer counter: a plain load and store, no locked instruction. */
static void count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n, memory_order_relaxed);
}

static uint64_t read_counter(const _Atomic uint64_t *c)
{
	return atomic_load_explicit((_Atomic uint64_t *)c, memory_order_relaxed);
}

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void key_encode(cs_digits imsi, uint8_t out[CS_STATE_KEY_LEN])
{
	for (unsigned int i = 0; i < CS_STATE_KEY_LEN; i++)
		out[i] = (uint8_t)(imsi >> (8 * (CS_STATE_KEY_LEN - 1 - i)));
}

static cs_digits key_decode(const uint8_t *in)
{
	cs_digits d = 0;

	for (unsigned int i = 0; i < CS_STATE_KEY_LEN; i++)
		d = d << 8 | in[i];
	return d;
}

void cs_state_value_encode(const struct cs_state_record *rec, uint8_t out[CS_STATE_VALUE_LEN])
{
	out[0] = CS_STATE_VERSION;
	out[1] = 0;
	put_le(out + 2, rec->flags, 2);
	put_le(out + 4, rec->last_activity_s, 4);
	put_le(out + 8, rec->last_mo_s, 4);
	put_le(out + 12, rec->first_seen_s, 4);
	put_le(out + 16, rec->first_imei_s, 4);
	put_le(out + 20, rec->first_activation_s, 4);
	put_le(out + 24, rec->bound_imei, 8);
	put_le(out + 32, rec->msisdn, 8);
}

int cs_state_value_decode(const uint8_t *in, size_t len, struct cs_state_record *rec)
{
	if (len != CS_STATE_VALUE_LEN || in[0] != CS_STATE_VERSION)
		return -1;
	rec->flags = (uint16_t)get_le(in + 2, 2);
	rec->last_activity_s = (uint32_t)get_le(in + 4, 4);
	rec->last_mo_s = (uint32_t)get_le(in + 8, 4);
	rec->first_seen_s = (uint32_t)get_le(in + 12, 4);
	rec->first_imei_s = (uint32_t)get_le(in + 16, 4);
	rec->first_activation_s = (uint32_t)get_le(in + 20, 4);
	rec->bound_imei = get_le(in + 24, 8);
	rec->msisdn = get_le(in + 32, 8);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int conf_valid(const struct cs_state_store_conf *conf, char *err, size_t errlen)
{
	unsigned int cap = conf->queue_capacity;

	if (conf->dir == NULL || conf->dir[0] == '\0') {
		snprintf(err, errlen, "state store: no directory");
		return -1;
	}
	if (conf->shards == 0 || conf->shards > CS_STATE_MAX_SHARDS) {
		snprintf(err, errlen, "state store %s: %u shards, accepted 1..%d", conf->dir, conf->shards,
			 CS_STATE_MAX_SHARDS);
		return -1;
	}
	if (cap < 2 || (cap & (cap - 1)) != 0) {
		snprintf(err, errlen, "state store %s: queue capacity %u is not a power of two >= 2", conf->dir, cap);
		return -1;
	}
	if (conf->map_size == 0) {
		snprintf(err, errlen, "state store %s: map size 0", conf->dir);
		return -1;
	}
	return 0;
}

static void queues_free(struct cs_state_store *s)
{
	if (s->queue == NULL)
		return;
	for (unsigned int i = 0; i < s->shards; i++)
		cs_mem_free(s->queue[i].slot);
	free(s->queue); /* aligned_alloc'd: the alignment cs_mem_alloc cannot promise */
}

static int queues_alloc(struct cs_state_store *s, unsigned int capacity)
{
	size_t size = sizeof(*s->queue) * s->shards;

	s->queue = aligned_alloc(CACHE_LINE, size);
	if (s->queue == NULL)
		return -1;
	memset(s->queue, 0, size);
	s->mask = capacity - 1;
	for (unsigned int i = 0; i < s->shards; i++) {
		size_t bytes = sizeof(struct cs_state_record) * capacity;

		/* Touched now, so a worker's first offers take no page faults. */
		s->queue[i].slot = memset(cs_mem_alloc(bytes), 0, bytes);
	}
	return 0;
}

/* Opens the environment and the database; on error says what failed and LMDB's reason. */
static int env_open(struct cs_state_store *s, const struct cs_state_store_conf *conf, char *err, size_t errlen)
{
	MDB_txn *txn;
	MDB_stat st;
	int dead = 0;
	int rc;
	const char *step;

	step = "create environment";
	rc = mdb_env_create(&s->env);
	if (rc != 0)
		goto fail;
	step = "set map size";
	if ((rc = mdb_env_set_mapsize(s->env, conf->map_size)) != 0)
		goto fail;
	step = "set database count";
	if ((rc = mdb_env_set_maxdbs(s->env, 1)) != 0)
		goto fail;
	/*
	 * MDB_NOTLS: read transactions are not tied to a thread, so restore may
	 * run on whichever control thread starts the pipeline.
	 */
	step = "open";
	if ((rc = mdb_env_open(s->env, conf->dir, MDB_NOTLS, 0644)) != 0)
		goto fail;
	/* A process killed during a read leaves its reader slot behind; free it. */
	step = "check readers";
	if ((rc = mdb_reader_check(s->env, &dead)) != 0)
		goto fail;
	count(&s->stale_readers, (uint64_t)dead);
	step = "begin";
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0)
		goto fail;
	step = "open database";
	if ((rc = mdb_dbi_open(txn, "subscribers", MDB_CREATE, &s->dbi)) != 0 ||
	    (rc = mdb_stat(txn, s->dbi, &st)) != 0) {
		mdb_txn_abort(txn);
		goto fail;
	}
	step = "commit";
	if ((rc = mdb_txn_commit(txn)) != 0)
		goto fail;
	count(&s->entries, st.ms_entries);
	return 0;
fail:
	snprintf(err, errlen, "state store %s: %s: %s", conf->dir, step, mdb_strerror(rc));
	return -1;
}

struct cs_state_store *cs_state_store_open(const struct cs_state_store_conf *conf, char *err, size_t errlen)
{
	struct cs_state_store *s;

	if (conf_valid(conf, err, errlen) != 0)
		return NULL;
	if (mkdir(conf->dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "state store %s: cannot create directory: %s", conf->dir, strerror(errno));
		return NULL;
	}
	s = cs_mem_alloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->shards = conf->shards;
	if (queues_alloc(s, conf->queue_capacity) != 0) {
		snprintf(err, errlen, "state store %s: out of memory for %u queues", conf->dir, conf->shards);
		cs_state_store_close(s);
		return NULL;
	}
	if (env_open(s, conf, err, errlen) != 0) {
		cs_state_store_close(s);
		return NULL;
	}
	return s;
}

void cs_state_store_close(struct cs_state_store *s)
{
	if (s == NULL)
		return;
	if (s->env != NULL)
		mdb_env_close(s->env);
	queues_free(s);
	cs_mem_free(s);
}

int cs_state_store_offer(struct cs_state_store *s, unsigned int shard, const struct cs_state_record *rec)
{
	struct shard_queue *q = &s->queue[shard];
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	if (head - q->tail_seen > s->mask) {
		q->tail_seen = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (head - q->tail_seen > s->mask) {
			count(&q->queue_full, 1);
			return -1;
		}
	}
	q->slot[head & s->mask] = *rec;
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	count(&q->queued, 1);
	return 0;
}

/* Puts up to budget records of queue q (from its tail) into txn; *taken gets how many. */
static int put_queued(struct cs_state_store *s, MDB_txn *txn, struct shard_queue *q, size_t budget, size_t *taken)
{
	size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	size_t n = head - tail < budget ? head - tail : budget;

	*taken = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cs_state_record *rec = &q->slot[(tail + i) & s->mask];
		uint8_t k[CS_STATE_KEY_LEN], v[CS_STATE_VALUE_LEN];
		MDB_val key = { .mv_size = sizeof(k), .mv_data = k };
		MDB_val val = { .mv_size = sizeof(v), .mv_data = v };
		int rc;

		key_encode(rec->imsi, k);
		cs_state_value_encode(rec, v);
		rc = mdb_put(txn, s->dbi, &key, &val, 0);
		if (rc != 0)
			return rc;
	}
	*taken = n;
	return 0;
}

static enum cs_state_result failed(struct cs_state_store *s, int rc)
{
	if (rc == MDB_MAP_FULL) {
		count(&s->map_full, 1);
		return CS_STATE_MAP_FULL;
	}
	count(&s->lmdb_errors, 1);
	return CS_STATE_LMDB_ERROR;
}

enum cs_state_result cs_state_store_run_once(struct cs_state_store *s, unsigned int max_records,
					     unsigned int *written)
{
	size_t taken[CS_STATE_MAX_SHARDS] = { 0 };
	size_t total = 0;
	uint64_t t0 = now_ns();
	MDB_txn *txn;
	MDB_stat st;
	int rc;

	if (written != NULL)
		*written = 0;
	rc = mdb_txn_begin(s->env, NULL, 0, &txn);
	if (rc != 0)
		return failed(s, rc);
	for (unsigned int i = 0; i < s->shards && total < max_records; i++) {
		unsigned int sh = (s->next_shard + i) % s->shards;

		rc = put_queued(s, txn, &s->queue[sh], max_records - total, &taken[sh]);
		if (rc != 0) {
			mdb_txn_abort(txn);
			return failed(s, rc);
		}
		total += taken[sh];
	}
	if (total == 0) {
		mdb_txn_abort(txn);
		return CS_STATE_OK;
	}
	rc = mdb_stat(txn, s->dbi, &st);
	if (rc == 0)
		rc = mdb_txn_commit(txn);
	else
		mdb_txn_abort(txn);
	if (rc != 0)
		return failed(s, rc);
	/* Committed: only now may the producers reuse the slots. */
	for (unsigned int sh = 0; sh < s->shards; sh++)
		if (taken[sh] != 0)
			atomic_store_explicit(&s->queue[sh].tail,
					      atomic_load_explicit(&s->queue[sh].tail, memory_order_relaxed) + taken[sh],
					      memory_order_release);
	s->next_shard = (s->next_shard + 1) % s->shards;
	count(&s->written, total);
	count(&s->bytes, total * (CS_STATE_KEY_LEN + CS_STATE_VALUE_LEN));
	count(&s->transactions, 1);
	atomic_store_explicit(&s->entries, st.ms_entries, memory_order_relaxed);
	atomic_store_explicit(&s->last_ns, now_ns() - t0, memory_order_relaxed);
	if (written != NULL)
		*written = (unsigned int)total;
	return CS_STATE_OK;
}

enum cs_state_result cs_state_store_restore(struct cs_state_store *s, cs_state_restore_fn fn, void *ctx)
{
	enum cs_state_result result = CS_STATE_OK;
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val key, val;
	int rc;

	rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
	if (rc != 0)
		return failed(s, rc);
	rc = mdb_cursor_open(txn, s->dbi, &cur);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return failed(s, rc);
	}
	while ((rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT)) == 0) {
		struct cs_state_record rec;

		if (key.mv_size != CS_STATE_KEY_LEN || cs_state_value_decode(val.mv_data, val.mv_size, &rec) != 0) {
			count(&s->unreadable, 1);
			continue;
		}
		rec.imsi = key_decode(key.mv_data);
		if (fn(&rec, ctx) != 0) {
			result = CS_STATE_STOPPED;
			break;
		}
	}
	if (result == CS_STATE_OK && rc != MDB_NOTFOUND)
		result = failed(s, rc);
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return result;
}

void cs_state_store_stats(const struct cs_state_store *s, struct cs_state_store_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < s->shards; i++) {
		out->records_queued += read_counter(&s->queue[i].queued);
		out->records_queue_full += read_counter(&s->queue[i].queue_full);
	}
	out->records_written = read_counter(&s->written);
	out->bytes_written = read_counter(&s->bytes);
	out->transactions = read_counter(&s->transactions);
	out->map_full = read_counter(&s->map_full);
	out->lmdb_errors = read_counter(&s->lmdb_errors);
	out->records_unreadable = read_counter(&s->unreadable);
	out->stale_readers = read_counter(&s->stale_readers);
	out->last_checkpoint_ns = read_counter(&s->last_ns);
	out->entries = read_counter(&s->entries);
}
