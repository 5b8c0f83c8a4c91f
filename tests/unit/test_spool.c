/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Kafka disk spool (control/spool.c): entries come back as written and
 * in order across segment rolls; the cap refuses; the read position
 * survives a restart; a tail torn at any byte is cut off cleanly; a
 * damaged checksum is detected, counted and never crashes.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "run.h"
#include "spool.h"

static char dir[CS_TEMP_DIR_LEN];

static void make_dir(void)
{
	cs_temp_dir(dir, "spool");
}

static void remove_dir(void)
{
	cs_remove_tree(dir);
}

static struct cs_spool *open_spool(uint64_t max_bytes, uint64_t segment_bytes)
{
	char err[512];
	const struct cs_spool_conf conf = {
		.dir = dir,
		.max_bytes = max_bytes,
		.segment_bytes = segment_bytes,
		.fsync = CS_SPOOL_FSYNC_NEVER,
	};
	struct cs_spool *sp = cs_spool_open(&conf, err, sizeof(err));
	cr_assert_not_null(sp, "%s", err);
	return sp;
}

static void close_spool(struct cs_spool *sp)
{
	char err[512];

	cr_assert_eq(cs_spool_close(sp, err, sizeof(err)), 0, "%s", err);
}

/* Record i: its id in the payload, a payload length that varies, a key and type that vary too. */
static enum cs_spool_rc append_record(struct cs_spool *sp, int i)
{
	char payload[256], key[16];
	int len = snprintf(payload, sizeof(payload), "{\"id\":%d,\"pad\":\"%.*s\"}", i, i % 97,
			   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	int klen = snprintf(key, sizeof(key), "2620%011d", i);
	const char *type = i % 3 == 0 ? "session" : i % 3 == 1 ? "call" : "sms";
	const char *topic = i % 3 == 0 ? "cdrsentry.session" : i % 3 == 1 ? "cdrsentry.call" : "cdrsentry.sms";
	const struct cs_spool_entry e = {
		.topic = topic, .topic_len = strlen(topic),
		.key = key, .key_len = (size_t)klen,
		.record_type = type, .type_len = strlen(type),
		.schema_version = 2 + (uint32_t)i % 2,
		.payload = payload, .len = (size_t)len,
	};
	return cs_spool_append(sp, &e);
}

/* Reads one entry and checks it is record i, field by field. */
static void expect_record(struct cs_spool *sp, int i, struct cs_spool_pos *next)
{
	struct cs_spool_entry e;
	char payload[256], key[16];

	cr_assert_eq(cs_spool_read(sp, &e, next), 1, "record %d missing", i);
	snprintf(payload, sizeof(payload), "{\"id\":%d,\"pad\":\"%.*s\"}", i, i % 97,
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	snprintf(key, sizeof(key), "2620%011d", i);
	cr_assert_eq(e.len, strlen(payload), "record %d: length %zu", i, e.len);
	cr_assert_eq(memcmp(e.payload, payload, e.len), 0, "record %d: %.*s", i, (int)e.len, e.payload);
	cr_assert_str_eq(e.key, key);
	cr_assert_eq(e.key_len, strlen(key));
	cr_assert_str_eq(e.record_type, i % 3 == 0 ? "session" : i % 3 == 1 ? "call" : "sms");
	cr_assert_str_eq(e.topic, i % 3 == 0 ? "cdrsentry.session" : i % 3 == 1 ? "cdrsentry.call" : "cdrsentry.sms");
	cr_assert_eq(e.schema_version, 2 + (uint32_t)i % 2);
}

static void expect_end(struct cs_spool *sp)
{
	struct cs_spool_entry e;
	struct cs_spool_pos next;

	cr_assert_eq(cs_spool_read(sp, &e, &next), 0, "more entries than written");
}

static int count_segments(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".seg") != NULL;
	closedir(d);
	return n;
}

/* The path of the only (or the oldest) segment. */
static void first_segment(char *path, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char best[256] = "";

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".seg") != NULL && (best[0] == '\0' || strcmp(de->d_name, best) < 0))
			strcpy(best, de->d_name);
	closedir(d);
	cr_assert_neq(best[0], '\0');
	cr_assert_lt((size_t)snprintf(path, cap, "%s/%s", dir, best), cap);
}

static off_t file_size(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0);
	return st.st_size;
}

Test(spool, round_trip)
{
	make_dir();
	struct cs_spool *sp = open_spool(1 << 20, 1 << 16);
	struct cs_spool_pos next;

	cr_expect_eq(cs_spool_pending(sp), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(append_record(sp, i), CS_SPOOL_OK);
	cr_expect_eq(cs_spool_pending(sp), 1);
	for (int i = 0; i < 3; i++)
		expect_record(sp, i, &next);
	expect_end(sp);
	cs_spool_ack(sp, NULL);
	cr_expect_eq(cs_spool_pending(sp), 0);
	struct cs_spool_stats st;
	cs_spool_stats(sp, &st);
	cr_expect_eq(st.appended, 3);
	cr_expect_eq(st.read_entries, 3);
	close_spool(sp);
	remove_dir();
}

Test(spool, order_across_segment_rolls_and_acked_segments_deleted)
{
	make_dir();
	struct cs_spool *sp = open_spool(1 << 22, 1024);
	struct cs_spool_pos next;

	for (int i = 0; i < 500; i++)
		cr_assert_eq(append_record(sp, i), CS_SPOOL_OK);
	int segments = count_segments();
	cr_expect_gt(segments, 20, "%d segments for 500 entries of 1 KiB segments", segments);
	for (int i = 0; i < 500; i++) {
		expect_record(sp, i, &next);
		if (i == 249) {
			/* acknowledged half way: the segments before the cursor are gone */
			cs_spool_ack(sp, &next);
			cr_expect_lt(count_segments(), segments);
		}
	}
	expect_end(sp);
	cs_spool_ack(sp, &next);
	cr_expect_eq(count_segments(), 1, "only the fresh segment remains");
	cr_expect_eq(cs_spool_bytes(sp), 8, "an empty segment is its magic");
	/* appends after a drain come back too */
	cr_assert_eq(append_record(sp, 7), CS_SPOOL_OK);
	expect_record(sp, 7, &next);
	expect_end(sp);
	close_spool(sp);
	remove_dir();
}

Test(spool, cap_refuses_and_counts_then_accepts_after_ack)
{
	make_dir();
	struct cs_spool *sp = open_spool(4096, 1024);
	struct cs_spool_pos next;
	int accepted = 0;

	while (append_record(sp, accepted) == CS_SPOOL_OK)
		accepted++;
	cr_expect_gt(accepted, 10);
	cr_expect_leq(cs_spool_bytes(sp), 4096);
	cr_expect_eq(append_record(sp, accepted), CS_SPOOL_FULL);
	struct cs_spool_stats st;
	cs_spool_stats(sp, &st);
	cr_expect_eq(st.refused_full, 2);
	cr_expect_eq(st.appended, (uint64_t)accepted);
	for (int i = 0; i < accepted; i++)
		expect_record(sp, i, &next);
	cs_spool_ack(sp, &next);
	cr_expect_eq(append_record(sp, 0), CS_SPOOL_OK, "room again once the entries were delivered");
	close_spool(sp);
	remove_dir();
}

Test(spool, restart_resumes_at_the_acknowledged_cursor)
{
	make_dir();
	struct cs_spool *sp = open_spool(1 << 22, 2048);
	struct cs_spool_pos next, at40;

	for (int i = 0; i < 100; i++)
		cr_assert_eq(append_record(sp, i), CS_SPOOL_OK);
	for (int i = 0; i < 40; i++)
		expect_record(sp, i, &at40);
	cs_spool_ack(sp, &at40);
	for (int i = 40; i < 50; i++)
		expect_record(sp, i, &next); /* read, never acknowledged: sent again after the restart */
	close_spool(sp);

	sp = open_spool(1 << 22, 2048);
	cr_expect_eq(cs_spool_pending(sp), 1);
	for (int i = 40; i < 100; i++)
		expect_record(sp, i, &next);
	expect_end(sp);
	/* and a rewind goes back to the acknowledged position, not the start */
	cs_spool_rewind(sp);
	expect_record(sp, 40, &next);
	cs_spool_ack(sp, NULL);
	close_spool(sp);

	sp = open_spool(1 << 22, 2048);
	for (int i = 41; i < 100; i++)
		expect_record(sp, i, &next);
	cs_spool_ack(sp, NULL);
	close_spool(sp);
	sp = open_spool(1 << 22, 2048);
	cr_expect_eq(cs_spool_pending(sp), 0);
	expect_end(sp);
	close_spool(sp);
	remove_dir();
}

Test(spool, torn_tail_at_every_byte_is_cut_cleanly)
{
	char seg[128];

	make_dir();
	struct cs_spool *sp = open_spool(1 << 20, 1 << 16);
	cr_assert_eq(append_record(sp, 0), CS_SPOOL_OK);
	cr_assert_eq(append_record(sp, 1), CS_SPOOL_OK);
	close_spool(sp);
	first_segment(seg, sizeof(seg));
	off_t clean = file_size(seg);
	sp = open_spool(1 << 20, 1 << 16);
	cr_assert_eq(append_record(sp, 2), CS_SPOOL_OK);
	close_spool(sp);
	off_t whole = file_size(seg);
	char *copy = malloc((size_t)whole);
	int fd = open(seg, O_RDONLY);
	cr_assert_eq(read(fd, copy, (size_t)whole), whole);
	close(fd);

	for (off_t cut = 0; cut < whole - clean; cut++) {
		/* the file as a crash after cut bytes of the third entry leaves it */
		fd = open(seg, O_WRONLY | O_TRUNC);
		cr_assert_eq(write(fd, copy, (size_t)(clean + cut)), clean + cut);
		close(fd);

		struct cs_spool_pos next;
		struct cs_spool_stats st;
		sp = open_spool(1 << 20, 1 << 16);
		cs_spool_stats(sp, &st);
		cr_expect_eq(st.torn_tails, cut > 0 ? 1u : 0u, "cut at %lld", (long long)cut);
		cr_expect_eq(st.dropped_bytes, (uint64_t)cut, "cut at %lld", (long long)cut);
		cr_expect_eq(st.corrupt_entries, 0);
		cr_expect_eq(file_size(seg), clean, "cut at %lld: truncated back to the last whole entry", (long long)cut);
		expect_record(sp, 0, &next);
		expect_record(sp, 1, &next);
		expect_end(sp);
		/* appends continue from the clean end */
		cr_assert_eq(append_record(sp, 5), CS_SPOOL_OK);
		expect_record(sp, 5, &next);
		expect_end(sp);
		close_spool(sp);
	}
	free(copy);
	remove_dir();
}

/* Flips one byte at offset of path. */
static void damage(const char *path, off_t offset)
{
	unsigned char b;
	int fd = open(path, O_RDWR);

	cr_assert_eq(pread(fd, &b, 1, offset), 1);
	b ^= 0x20;
	cr_assert_eq(pwrite(fd, &b, 1, offset), 1);
	close(fd);
}

Test(spool, damaged_checksum_in_the_newest_segment_is_cut_and_counted)
{
	char seg[128];

	make_dir();
	struct cs_spool *sp = open_spool(1 << 20, 1 << 16);
	cr_assert_eq(append_record(sp, 0), CS_SPOOL_OK);
	close_spool(sp);
	first_segment(seg, sizeof(seg));
	off_t after0 = file_size(seg);
	sp = open_spool(1 << 20, 1 << 16);
	cr_assert_eq(append_record(sp, 1), CS_SPOOL_OK);
	cr_assert_eq(append_record(sp, 2), CS_SPOOL_OK);
	close_spool(sp);
	off_t whole = file_size(seg);
	damage(seg, after0 + 30); /* inside record 1's topic */

	struct cs_spool_pos next;
	struct cs_spool_stats st;
	sp = open_spool(1 << 20, 1 << 16);
	cs_spool_stats(sp, &st);
	cr_expect_eq(st.corrupt_entries, 1);
	cr_expect_eq(st.torn_tails, 0);
	cr_expect_eq(st.dropped_bytes, (uint64_t)(whole - after0));
	expect_record(sp, 0, &next);
	expect_end(sp);
	close_spool(sp);
	remove_dir();
}

Test(spool, damaged_entry_in_an_older_segment_skips_that_segment_only)
{
	char seg[128];
	struct cs_spool_pos next;

	make_dir();
	struct cs_spool *sp = open_spool(1 << 22, 1024);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(append_record(sp, i), CS_SPOOL_OK);
	close_spool(sp);
	first_segment(seg, sizeof(seg));
	damage(seg, 8 + 4); /* the first entry's checksum */

	sp = open_spool(1 << 22, 1024);
	struct cs_spool_entry e;
	int first = -1, read = 0;
	while (cs_spool_read(sp, &e, &next) == 1) {
		int id;
		cr_assert_eq(sscanf(e.payload, "{\"id\":%d", &id), 1);
		if (first < 0)
			first = id;
		cr_expect_eq(id, first + read, "in order after the skip");
		read++;
	}
	struct cs_spool_stats st;
	cs_spool_stats(sp, &st);
	cr_expect_eq(st.corrupt_entries, 1);
	cr_expect_gt(first, 0, "the damaged segment's entries are skipped");
	cr_expect_eq(first + read, 100, "every later segment is read");
	cr_expect_gt(st.dropped_bytes, 0);
	close_spool(sp);
	remove_dir();
}

Test(spool, one_process_per_directory)
{
	char err[512];

	make_dir();
	struct cs_spool *sp = open_spool(1 << 20, 1 << 16);
	const struct cs_spool_conf conf = { .dir = dir, .max_bytes = 1 << 20, .segment_bytes = 1 << 16 };
	cr_expect_null(cs_spool_open(&conf, err, sizeof(err)));
	cr_expect_not_null(strstr(err, "/lock: in use by another cdrsentry"), "%s", err);
	close_spool(sp);
	remove_dir();
}

Test(spool, unusable_directory_is_named)
{
	char err[512];
	const struct cs_spool_conf conf = { .dir = "/proc/cs-no-such/spool", .max_bytes = 1 << 20, .segment_bytes = 1 << 16 };

	cr_expect_null(cs_spool_open(&conf, err, sizeof(err)));
	cr_expect_not_null(strstr(err, "kafka spool: /proc/cs-no-such/spool: cannot create the spool directory"), "%s",
			   err);
}
