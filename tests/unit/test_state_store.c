/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The LMDB long-memory store: the record layout on disk, checkpoint round
 * trips across reopen (with a different worker count), incremental
 * checkpoints, the worker side never waiting, MDB_MAP_FULL as a named and
 * counted result, and a writer killed with SIGKILL in the middle of
 * checkpoints leaving exactly one committed checkpoint behind.
 */
#include <errno.h>
#include <limits.h>
#include <lmdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "digits.h"
#include "run.h"
#include "state_store.h"

static char dir[CS_TEMP_DIR_LEN];

static void make_dir(void)
{
	cs_temp_dir(dir, "state");
}

static void remove_dir(void)
{
	cs_remove_tree(dir);
}

TestSuite(state_store, .init = make_dir, .fini = remove_dir);

enum { MiB = 1 << 20 };

static struct cs_state_store *open_store(unsigned int shards, unsigned int capacity, size_t map_size)
{
	struct cs_state_store_conf conf = {
		.dir = dir, .map_size = map_size, .shards = shards, .queue_capacity = capacity
	};
	char err[256] = "";
	struct cs_state_store *s = cs_state_store_open(&conf, err, sizeof(err));

	cr_assert_not_null(s, "open: %s", err);
	return s;
}

/* Subscriber i: IMSI 00101 followed by i in 10 digits. */
static cs_digits imsi_of(unsigned int i)
{
	char s[16];

	snprintf(s, sizeof(s), "00101%010u", i);
	return cs_digits_from_ascii(s, 15);
}

static unsigned int index_of(cs_digits imsi)
{
	char s[CS_DIGITS_STR];

	cs_digits_to_ascii(imsi, s);
	return (unsigned int)strtoul(s + 5, NULL, 10);
}

/*
 * State `version` of subscriber i, as a subscriber's long memory evolves:
 * the last times grow with the version (so a record of another version
 * shows), the first times, the bound IMEI, the number and the flags are
 * the subscriber's own. A store merges what it is offered into what it
 * holds; for a history like this one the merge is the latest version.
 */
static struct cs_state_record state_of(unsigned int i, uint32_t version)
{
	return (struct cs_state_record){
		.imsi = imsi_of(i),
		.bound_imei = 0x3569380356438000ull + i % 251,
		.msisdn = 0x4479000000000000ull + i,
		.last_activity_s = 1700000000u + version,
		.last_mo_s = 1700000000u + version / 2,
		.first_seen_s = 1600000000u + i,
		.first_imei_day = (uint16_t)(18000u + i % 1000),
		.first_activation_day = (uint16_t)(17000u + i % 1000),
		.flags = (uint16_t)(1u + i % 3),
	};
}

static int same_record(const struct cs_state_record *a, const struct cs_state_record *b)
{
	return a->imsi == b->imsi && a->bound_imei == b->bound_imei && a->msisdn == b->msisdn &&
	       a->last_activity_s == b->last_activity_s && a->last_mo_s == b->last_mo_s &&
	       a->first_seen_s == b->first_seen_s && a->first_imei_day == b->first_imei_day &&
	       a->first_activation_day == b->first_activation_day && a->flags == b->flags;
}

/* What restore handed back, by subscriber index. */
struct restored {
	unsigned int n, cap, count;
	struct cs_state_record *rec; /* [n]; imsi 0 = not restored */
	cs_digits last_imsi;
	int out_of_order, duplicate, unknown;
};

static int collect(const struct cs_state_record *rec, void *ctx)
{
	struct restored *r = ctx;
	unsigned int i = index_of(rec->imsi);

	if (r->count > 0 && rec->imsi <= r->last_imsi)
		r->out_of_order++;
	r->last_imsi = rec->imsi;
	r->count++;
	if (i >= r->n || rec->imsi != imsi_of(i)) {
		r->unknown++;
		return 0;
	}
	if (r->rec[i].imsi != 0)
		r->duplicate++;
	r->rec[i] = *rec;
	return 0;
}

static void restore_all(struct cs_state_store *s, struct restored *r, unsigned int n)
{
	*r = (struct restored){ .n = n, .rec = calloc(n, sizeof(*r->rec)) };
	cr_assert_not_null(r->rec);
	cr_assert_eq(cs_state_store_restore(s, collect, r), CS_STATE_OK);
	cr_expect_eq(r->out_of_order, 0, "restore walks IMSIs in key order");
	cr_expect_eq(r->duplicate, 0);
	cr_expect_eq(r->unknown, 0);
}

static unsigned int shard_of(unsigned int i, unsigned int shards)
{
	return i % shards;
}

static void offer_ok(struct cs_state_store *s, unsigned int shards, unsigned int i, uint32_t version)
{
	struct cs_state_record rec = state_of(i, version);

	cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, shard_of(i, shards)), &rec), 0, "queue full at %u", i);
}

static unsigned int checkpoint(struct cs_state_store *s)
{
	unsigned int written = 0;

	cr_assert_eq(cs_state_store_run_once(s, UINT_MAX, &written), CS_STATE_OK);
	return written;
}

Test(state_store, value_layout_is_the_documented_one)
{
	/* The example in state_store.h, byte for byte. */
	struct cs_state_record rec = {
		.imsi = cs_digits_from_ascii("001010000000001", 15),
		.bound_imei = cs_digits_from_ascii("35693803564380", 14),
		.msisdn = CS_DIGITS_NONE,
		.last_activity_s = 1700000000,
		.last_mo_s = 0,
		.first_seen_s = 1699990000,
		.first_imei_day = 1699990000 / 86400,
		.first_activation_day = 0,
		.flags = 0x0001,
	};
	static const uint8_t expected[CS_STATE_VALUE_LEN] = {
		0x01, 0x00, 0x01, 0x00,                         /* version, reserved, flags */
		0x00, 0xf1, 0x53, 0x65,                         /* last_activity_s 1700000000 */
		0x00, 0x00, 0x00, 0x00,                         /* last_mo_s never */
		0xf0, 0xc9, 0x53, 0x65,                         /* first_seen_s 1699990000 */
		0xdb, 0x4c, 0x00, 0x00,                         /* first_imei_day 19675, first_activation_day never */
		0x00, 0x00, 0x00, 0x00,                         /* reserved */
		0xff, 0x80, 0x43, 0x56, 0x03, 0x38, 0x69, 0x35, /* bound_imei 0x35693803564380FF */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* msisdn none */
	};
	uint8_t v[CS_STATE_VALUE_LEN];
	struct cs_state_record back;

	cs_state_value_encode(&rec, v);
	cr_assert_arr_eq(v, expected, sizeof(v));
	cr_assert_eq(cs_state_value_decode(v, sizeof(v), &back), 0);
	back.imsi = rec.imsi; /* the key carries it */
	cr_expect(same_record(&back, &rec));
	cr_expect_eq(cs_state_value_decode(v, sizeof(v) - 1, &back), -1, "short value");
	v[0] = 2;
	cr_expect_eq(cs_state_value_decode(v, sizeof(v), &back), -1, "unknown version");
}

Test(state_store, round_trip_keeps_the_last_state_of_every_record)
{
	enum { N = 3000, SHARDS = 3, ROUNDS = 6 };
	static uint32_t last[N];
	struct cs_state_store *s = open_store(SHARDS, 4096, 64 * MiB);
	struct restored r;
	uint32_t x = 12345;

	for (unsigned int i = 0; i < N; i++) {
		offer_ok(s, SHARDS, i, 1);
		last[i] = 1;
	}
	cr_assert_eq(checkpoint(s), N);
	/* Each round updates a pseudo-random third, some twice before the checkpoint: the latest activity wins. */
	for (uint32_t round = 2; round <= ROUNDS; round++) {
		for (unsigned int j = 0; j < N / 3; j++) {
			unsigned int i;

			x = x * 1103515245u + 12345u;
			i = (x >> 8) % N;
			offer_ok(s, SHARDS, i, round * 10);
			if (last[i] < round * 10)
				last[i] = round * 10;
			if (j % 7 == 0) {
				offer_ok(s, SHARDS, i, round * 10 + 1);
				last[i] = round * 10 + 1;
			}
		}
		checkpoint(s);
	}
	cs_state_store_close(s);

	/* Another worker count on reopen: the file is keyed by IMSI alone. */
	s = open_store(5, 64, 64 * MiB);
	restore_all(s, &r, N);
	cr_expect_eq(r.count, N);
	for (unsigned int i = 0; i < N; i++) {
		struct cs_state_record want = state_of(i, last[i]);

		cr_assert(same_record(&r.rec[i], &want), "subscriber %u: restored state is not version %u", i,
			  last[i]);
	}
	struct cs_state_store_stats st;
	cs_state_store_stats(s, &st);
	cr_expect_eq(st.entries, N);
	cr_expect_eq(st.records_unreadable, 0);
	free(r.rec);
	cs_state_store_close(s);
}

Test(state_store, a_younger_copy_merges_into_what_the_store_remembers)
{
	/* Day 0: an IoT card bound to IMEI A, number known. */
	struct cs_state_record day0 = {
		.imsi = imsi_of(7),
		.bound_imei = 0x35693803564380FFull,
		.msisdn = 0x447900000007FFFFull,
		.last_activity_s = 1700000000,
		.last_mo_s = 1700000000,
		.first_seen_s = 1699990000,
		.first_imei_day = 19675,
		.first_activation_day = 19675,
		.flags = 0x1,
	};
	/* Day 36, after the subscriber fell out of memory: a fresh record, another IMEI, number not signalled. */
	struct cs_state_record day36 = {
		.imsi = imsi_of(7),
		.bound_imei = 0x86123405555550FFull,
		.msisdn = CS_DIGITS_NONE,
		.last_activity_s = 1703110000,
		.last_mo_s = 0,
		.first_seen_s = 1703100000,
		.first_imei_day = 19711,
		.flags = 0x2,
	};
	struct cs_state_store *s = open_store(1, 8, 16 * MiB);
	struct restored r;

	cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &day0), 0);
	cr_assert_eq(checkpoint(s), 1);
	cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &day36), 0);
	cr_assert_eq(checkpoint(s), 1);
	restore_all(s, &r, 8);
	cr_assert_eq(r.count, 1);
	const struct cs_state_record *m = &r.rec[7];
	cr_expect_eq(m->first_seen_s, day0.first_seen_s, "first seen: the earliest");
	cr_expect_eq(m->last_activity_s, day36.last_activity_s, "last activity: the latest");
	cr_expect_eq(m->last_mo_s, day0.last_mo_s, "last MO: the latest (day 36 had none)");
	cr_expect_eq(m->bound_imei, day0.bound_imei, "the IMEI bound first stays bound");
	cr_expect_eq(m->first_imei_day, day0.first_imei_day);
	cr_expect_eq(m->msisdn, day0.msisdn, "an unknown number does not erase the known one");
	cr_expect_eq(m->first_activation_day, day0.first_activation_day);
	cr_expect_eq(m->flags, 0x3, "flags accumulate");
	free(r.rec);

	/* A new number on the SIM: the latest number, activated the day it was seen. */
	day36.msisdn = 0x447900000999FFFFull;
	day36.first_activation_day = 19711;
	cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &day36), 0);
	cr_assert_eq(checkpoint(s), 1);
	restore_all(s, &r, 8);
	cr_expect_eq(r.rec[7].msisdn, day36.msisdn);
	cr_expect_eq(r.rec[7].first_activation_day, 19711);
	free(r.rec);
	cs_state_store_close(s);
}

Test(state_store, a_checkpoint_writes_only_what_changed)
{
	enum { N = 1000, CHANGED = 37 };
	struct cs_state_store *s = open_store(2, 1024, 16 * MiB);
	struct cs_state_store_stats st;
	struct restored r;

	for (unsigned int i = 0; i < N; i++)
		offer_ok(s, 2, i, 1);
	cr_expect_eq(checkpoint(s), N);
	for (unsigned int i = 0; i < CHANGED; i++)
		offer_ok(s, 2, i * 13, 2);
	cr_expect_eq(checkpoint(s), CHANGED);
	cr_expect_eq(checkpoint(s), 0, "nothing changed, nothing written");

	cs_state_store_stats(s, &st);
	cr_expect_eq(st.records_queued, N + CHANGED);
	cr_expect_eq(st.records_written, N + CHANGED);
	cr_expect_eq(st.bytes_written, (N + CHANGED) * (uint64_t)(CS_STATE_KEY_LEN + CS_STATE_VALUE_LEN));
	cr_expect_eq(st.transactions, 2, "an empty checkpoint commits no transaction");
	cr_expect_eq(st.entries, N);
	cr_expect_gt(st.last_checkpoint_ns, 0);

	restore_all(s, &r, N);
	for (unsigned int i = 0; i < N; i++) {
		struct cs_state_record want = state_of(i, i % 13 == 0 && i / 13 < CHANGED ? 2 : 1);

		cr_assert(same_record(&r.rec[i], &want), "subscriber %u", i);
	}
	free(r.rec);
	cs_state_store_close(s);
}

Test(state_store, a_checkpoint_takes_at_most_max_records_in_queue_order)
{
	struct cs_state_store *s = open_store(1, 128, 16 * MiB);
	unsigned int written;
	struct restored r;

	for (unsigned int i = 0; i < 100; i++)
		offer_ok(s, 1, i, 1);
	cr_assert_eq(cs_state_store_run_once(s, 30, &written), CS_STATE_OK);
	cr_expect_eq(written, 30);
	restore_all(s, &r, 100);
	cr_expect_eq(r.count, 30);
	for (unsigned int i = 0; i < 30; i++)
		cr_expect_eq(r.rec[i].imsi, imsi_of(i), "the oldest 30 go first");
	free(r.rec);
	cr_expect_eq(checkpoint(s), 70);
	cs_state_store_close(s);
}

Test(state_store, a_full_queue_refuses_at_once_and_counts)
{
	struct cs_state_store *s = open_store(2, 8, 16 * MiB);
	struct cs_state_record rec = state_of(99, 1);
	struct cs_state_store_stats st;

	for (unsigned int i = 0; i < 8; i++)
		cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &rec), 0);
	/* No writer runs: an offer that waited would hang this test. */
	for (unsigned int i = 0; i < 1000; i++)
		cr_assert_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &rec), -1);
	cr_expect_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 1), &rec), 0, "another shard's queue is its own");
	cs_state_store_stats(s, &st);
	cr_expect_eq(st.records_queued, 9);
	cr_expect_eq(st.records_queue_full, 1000);

	cr_expect_eq(checkpoint(s), 9);
	cr_expect_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &rec), 0, "room again after the checkpoint");
	cs_state_store_close(s);
}

Test(state_store, map_full_is_a_named_counted_result_and_applies_nothing)
{
	enum { N = 4096 };
	struct cs_state_store *s = open_store(1, N, 64 * 1024);
	struct cs_state_store_stats st;
	unsigned int written = 1;
	struct restored r;

	for (unsigned int i = 0; i < 10; i++)
		offer_ok(s, 1, i, 1);
	cr_assert_eq(checkpoint(s), 10);
	for (unsigned int i = 0; i < N; i++)
		offer_ok(s, 1, i, 2);
	enum cs_state_result res = cs_state_store_run_once(s, UINT_MAX, &written);
	cr_assert_eq(res, CS_STATE_MAP_FULL, "got %s", cs_state_result_name(res));
	cr_expect_str_eq(cs_state_result_name(res), "map_full");
	cr_expect_eq(written, 0);
	cs_state_store_stats(s, &st);
	cr_expect_eq(st.map_full, 1);
	cr_expect_eq(st.records_written, 10);
	cr_expect_eq(st.transactions, 1);

	/* The failed checkpoint left the committed one whole. */
	restore_all(s, &r, N);
	cr_expect_eq(r.count, 10);
	for (unsigned int i = 0; i < 10; i++) {
		struct cs_state_record want = state_of(i, 1);

		cr_expect(same_record(&r.rec[i], &want), "subscriber %u", i);
	}
	free(r.rec);
	/* The records stayed queued: a smaller checkpoint takes the oldest of them. */
	cr_expect_eq(cs_checkpoint_queue_offer(cs_state_store_queue(s, 0), &(struct cs_state_record){ .imsi = 1 }), -1, "queue still full");
	cr_assert_eq(cs_state_store_run_once(s, 10, &written), CS_STATE_OK);
	cr_expect_eq(written, 10);
	cs_state_store_close(s);
}

Test(state_store, records_of_an_unknown_version_are_skipped_and_counted)
{
	struct cs_state_store *s = open_store(1, 16, 16 * MiB);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	uint8_t k[8] = { 0x00, 0x10, 0x10, 0, 0, 0, 0, 0x9f }, v[CS_STATE_VALUE_LEN] = { 2 };
	MDB_val key = { sizeof(k), k }, val = { sizeof(v), v };
	struct cs_state_store_stats st;
	struct restored r;

	offer_ok(s, 1, 1, 1);
	checkpoint(s);
	cs_state_store_close(s);

	/* A future layout version, written behind the store's back. */
	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 1), 0);
	cr_assert_eq(mdb_env_open(env, dir, 0, 0644), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "subscribers", 0, &dbi), 0);
	cr_assert_eq(mdb_put(txn, dbi, &key, &val, 0), 0);
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	s = open_store(1, 16, 16 * MiB);
	restore_all(s, &r, 4);
	cr_expect_eq(r.count, 1);
	cs_state_store_stats(s, &st);
	cr_expect_eq(st.records_unreadable, 1);
	cr_expect_eq(st.entries, 2);
	free(r.rec);
	cs_state_store_close(s);
}

Test(state_store, open_errors_name_the_directory_and_the_problem)
{
	struct cs_state_store_conf conf = { .dir = "/nonexistent-cs/state", .map_size = MiB, .shards = 1, .queue_capacity = 8 };
	char err[256] = "";

	cr_expect_null(cs_state_store_open(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "/nonexistent-cs/state") != NULL && strstr(err, "directory") != NULL, "%s", err);
	conf.dir = dir;
	conf.queue_capacity = 12;
	cr_expect_null(cs_state_store_open(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "power of two") != NULL, "%s", err);
	conf.queue_capacity = 8;
	conf.shards = 0;
	cr_expect_null(cs_state_store_open(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "shards") != NULL, "%s", err);
}

/*
 * Crash in the middle of a checkpoint. A child writes checkpoint after
 * checkpoint: checkpoint k puts state k into every one of N records, in
 * one run_once, and tells the parent through a pipe when it begins and
 * when it committed. The parent kills it with SIGKILL at seeded moments
 * (most land inside a commit: a checkpoint of N records takes most of the
 * loop), then opens the files with plain LMDB and with the store. Atomic
 * checkpoints leave all N records at one k, which is the last committed
 * one or the one being committed when the kill came; a store that applied
 * a checkpoint in pieces would leave a mix of k and k-1.
 */
enum { CRASH_N = 20000, CRASH_SHARDS = 4, CRASH_KILLS = 6 };

struct progress {
	uint32_t what; /* 'B' checkpoint k begins, 'C' it committed */
	uint32_t k;
};

/* The state every record holds, if they all hold the same; -1 if not, or not all there. */
static int64_t common_version(const struct restored *r)
{
	uint32_t k = r->rec[0].last_activity_s - 1700000000u;

	if (r->count != CRASH_N)
		return -1;
	for (unsigned int i = 0; i < CRASH_N; i++) {
		struct cs_state_record want = state_of(i, k);

		if (!same_record(&r->rec[i], &want))
			return -1;
	}
	return k;
}

static int record_into(const struct cs_state_record *rec, void *ctx)
{
	struct restored *r = ctx;
	unsigned int i = index_of(rec->imsi);

	if (i < r->n)
		r->rec[i] = *rec;
	r->count++;
	return 0;
}

static void report(int fd, uint32_t what, uint32_t k)
{
	struct progress p = { what, k };

	if (write(fd, &p, sizeof(p)) != sizeof(p))
		_exit(5);
}

/* The child: never returns. Exit codes say what went wrong before the kill. */
static void checkpoint_forever(int fd)
{
	struct cs_state_store_conf conf = {
		.dir = dir, .map_size = 256 * MiB, .shards = CRASH_SHARDS, .queue_capacity = 8192
	};
	char err[256];
	struct cs_state_store *s = cs_state_store_open(&conf, err, sizeof(err));
	struct restored r = { .n = CRASH_N, .rec = calloc(CRASH_N, sizeof(*r.rec)) };
	int64_t k;

	if (s == NULL || r.rec == NULL)
		_exit(2);
	if (cs_state_store_restore(s, record_into, &r) != CS_STATE_OK)
		_exit(3);
	k = r.count == 0 ? 0 : common_version(&r);
	if (k < 0)
		_exit(4);
	for (uint32_t v = (uint32_t)k + 1; v < 1000000; v++) {
		for (unsigned int i = 0; i < CRASH_N; i++) {
			struct cs_state_record rec = state_of(i, v);

			if (cs_checkpoint_queue_offer(cs_state_store_queue(s, i % CRASH_SHARDS), &rec) != 0)
				_exit(6);
		}
		report(fd, 'B', v);
		if (cs_state_store_run_once(s, UINT_MAX, NULL) != CS_STATE_OK)
			_exit(7);
		report(fd, 'C', v);
	}
	_exit(0);
}

/* LMDB's own view, without the store: the environment opens and the database stats. */
static void expect_lmdb_intact(void)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_stat st;
	MDB_envinfo info;

	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 1), 0);
	cr_assert_eq(mdb_env_open(env, dir, MDB_RDONLY, 0644), 0);
	cr_assert_eq(mdb_env_info(env, &info), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "subscribers", 0, &dbi), 0);
	cr_assert_eq(mdb_stat(txn, dbi, &st), 0);
	cr_expect_eq(st.ms_entries, CRASH_N);
	mdb_txn_abort(txn);
	mdb_env_close(env);
}

Test(state_store, a_writer_killed_mid_checkpoint_leaves_one_committed_checkpoint, .timeout = 50)
{
	uint32_t seed = 20240601;
	int64_t before = 0;
	unsigned int mid = 0;

	for (unsigned int kill_no = 0; kill_no < CRASH_KILLS; kill_no++) {
		int fds[2];
		pid_t pid;
		struct progress p;
		uint32_t begun = 0, committed = 0;
		int status;
		struct timespec delay;
		ssize_t got;

		cr_assert_eq(pipe(fds), 0);
		pid = fork();
		cr_assert_neq(pid, -1);
		if (pid == 0) {
			close(fds[0]);
			checkpoint_forever(fds[1]);
		}
		close(fds[1]);
		/* Kill after the child's first commit, plus a seeded 0-40 ms. */
		while (committed == 0 && (got = read(fds[0], &p, sizeof(p))) == sizeof(p))
			if (p.what == 'C')
				committed = p.k;
		cr_assert_neq(committed, 0, "the child died before its first checkpoint");
		seed = seed * 1664525u + 1013904223u;
		delay = (struct timespec){ .tv_nsec = (long)(seed >> 8) % 40000000L };
		nanosleep(&delay, NULL);
		cr_assert_eq(kill(pid, SIGKILL), 0);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child ended by itself: status %#x",
			  status);
		while ((got = read(fds[0], &p, sizeof(p))) == sizeof(p)) {
			if (p.what == 'B')
				begun = p.k;
			else
				committed = p.k;
		}
		close(fds[0]);

		expect_lmdb_intact();
		struct cs_state_store *s = open_store(CRASH_SHARDS, 8192, 256 * MiB);
		struct restored r = { .n = CRASH_N, .rec = calloc(CRASH_N, sizeof(*r.rec)) };
		cr_assert_not_null(r.rec);
		cr_assert_eq(cs_state_store_restore(s, record_into, &r), CS_STATE_OK);
		int64_t k = common_version(&r);
		cr_assert_geq(k, 0, "kill %u: the records do not all hold one checkpoint", kill_no);
		if (begun > committed) {
			mid++;
			cr_assert(k == committed || k == begun, "kill %u during checkpoint %u: restored %lld, committed %u",
				  kill_no, begun, (long long)k, committed);
		} else {
			cr_assert_eq(k, committed, "kill %u between checkpoints: restored %lld, committed %u", kill_no,
				     (long long)k, committed);
		}
		cr_assert_geq(k, before, "a committed checkpoint went missing");
		before = k;
		cr_log_info("kill %u: last begun %u, last committed %u, restored %lld", kill_no, begun, committed,
			    (long long)k);
		free(r.rec);
		cs_state_store_close(s);
	}
	cr_expect_geq(mid, 1, "no kill landed inside a checkpoint: the test proved nothing");
}
