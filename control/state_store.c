/* SPDX-License-Identifier: Apache-2.0 */
#include "state_store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mem.h"

struct cs_state_store {
	MDB_env *env;
	MDB_dbi dbi;
	unsigned int shards;
	unsigned int next_shard; /* where the next checkpoint starts draining, for fairness */
	struct cs_checkpoint_queue **queue;
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
	put_le(out + 16, rec->first_imei_day, 2);
	put_le(out + 18, rec->first_activation_day, 2);
	put_le(out + 20, 0, 4);
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
	rec->first_imei_day = (uint16_t)get_le(in + 16, 2);
	rec->first_activation_day = (uint16_t)get_le(in + 18, 2);
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
		cs_checkpoint_queue_free(s->queue[i]);
	cs_mem_free(s->queue);
}

static int queues_alloc(struct cs_state_store *s, unsigned int capacity)
{
	s->queue = cs_mem_alloc(sizeof(*s->queue) * s->shards);
	for (unsigned int i = 0; i < s->shards; i++)
		if ((s->queue[i] = cs_checkpoint_queue_create(capacity)) == NULL)
			return -1;
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

struct cs_checkpoint_queue *cs_state_store_queue(struct cs_state_store *s, unsigned int shard)
{
	return s->queue[shard];
}

static uint32_t earliest(uint32_t a, uint32_t b)
{
	return a == 0 ? b : b == 0 ? a : a < b ? a : b;
}

static uint32_t latest(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/*
 * A record offered for an IMSI the store already holds is merged into the
 * stored one, not put over it. The worker's copy may be younger than the
 * store's: a subscriber evicted from a full table (or not restored into
 * one) starts afresh in memory, and its first checkpoint must not replace
 * "first seen 40 days ago, bound to IMEI A" with "first seen today, bound
 * to IMEI B". So: first times keep the earliest, last times the latest,
 * the bound IMEI the first one bound, flags accumulate, and the MSISDN is
 * the latest known (its first activation the earliest of that number).
 */
static void merge(struct cs_state_record *rec, const struct cs_state_record *old)
{
	rec->first_seen_s = earliest(rec->first_seen_s, old->first_seen_s);
	rec->last_activity_s = latest(rec->last_activity_s, old->last_activity_s);
	rec->last_mo_s = latest(rec->last_mo_s, old->last_mo_s);
	if (old->bound_imei != CS_DIGITS_NONE) {
		rec->bound_imei = old->bound_imei;
		rec->first_imei_day = old->first_imei_day;
	}
	if (rec->msisdn == CS_DIGITS_NONE) {
		rec->msisdn = old->msisdn;
		rec->first_activation_day = old->first_activation_day;
	} else if (rec->msisdn == old->msisdn) {
		rec->first_activation_day = (uint16_t)earliest(rec->first_activation_day, old->first_activation_day);
	}
	rec->flags |= old->flags;
}

/* Puts up to budget records of queue q (oldest first) into txn, each merged with what is stored; *taken gets how many. */
static int put_queued(struct cs_state_store *s, MDB_txn *txn, const struct cs_checkpoint_queue *q, size_t budget,
		      size_t *taken)
{
	size_t pending = cs_checkpoint_queue_pending(q);
	size_t n = pending < budget ? pending : budget;

	*taken = 0;
	for (size_t i = 0; i < n; i++) {
		struct cs_state_record rec = *cs_checkpoint_queue_at(q, i), old;
		uint8_t k[CS_STATE_KEY_LEN], v[CS_STATE_VALUE_LEN];
		MDB_val key = { .mv_size = sizeof(k), .mv_data = k };
		MDB_val val;
		int rc;

		key_encode(rec.imsi, k);
		rc = mdb_get(txn, s->dbi, &key, &val);
		if (rc == 0 && cs_state_value_decode(val.mv_data, val.mv_size, &old) == 0)
			merge(&rec, &old);
		else if (rc != 0 && rc != MDB_NOTFOUND)
			return rc;
		cs_state_value_encode(&rec, v);
		val = (MDB_val){ .mv_size = sizeof(v), .mv_data = v };
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

		rc = put_queued(s, txn, s->queue[sh], max_records - total, &taken[sh]);
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
			cs_checkpoint_queue_release(s->queue[sh], taken[sh]);
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
		out->records_queued += cs_checkpoint_queue_queued(s->queue[i]);
		out->records_queue_full += cs_checkpoint_queue_refused(s->queue[i]);
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
