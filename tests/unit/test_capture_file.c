/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "capture_file.h"
#include "pcap_writer.h"
#include "run.h"

/* Three frames of known lengths, written by the project's pcap writer. */
static const size_t frame_len[] = { 60, 100, 1 };
static const uint64_t frame_ts[] = { 1767600000000001000ull, 1767600000500000000ull, 1767600001000000000ull };
enum { NFRAMES = 3 };

static char *three_frame_capture(size_t *len)
{
	char path[] = "/tmp/cs-capture-test.XXXXXX";
	struct cs_pcap_writer w;
	uint8_t frame[128];
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	memset(frame, 0x5a, sizeof(frame));
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	for (int i = 0; i < NFRAMES; i++)
		cr_assert_eq(cs_pcap_writer_add(&w, frame_ts[i], frame, frame_len[i]), 0);
	cr_assert_eq(cs_pcap_writer_close(&w), 0);
	char *buf = cs_read_file(path, len);
	unlink(path);
	close(fd);
	return buf;
}

static int scan_bytes(const char *buf, size_t len, struct cs_capture_info *info, char *err, size_t errlen)
{
	FILE *f = len > 0 ? fmemopen((void *)buf, len, "rb") : fopen("/dev/null", "rb");
	cr_assert_not_null(f);
	int rc = cs_capture_scan_stream(f, info, err, errlen);
	fclose(f);
	return rc;
}

Test(capture_file, counts_records_bytes_and_event_time)
{
	size_t len;
	char *buf = three_frame_capture(&len);
	struct cs_capture_info info;
	char err[200];

	cr_assert_eq(scan_bytes(buf, len, &info, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(info.records, 3);
	cr_expect_eq(info.wire_bytes, 161);
	cr_expect_eq(info.linktype, 1);
	cr_expect_not(info.damaged);
	cr_expect_eq(info.valid_bytes, len);
	/* the writer keeps microseconds: 1000 ns survives, anything finer would not */
	cr_expect_eq(info.first_ts_ns, frame_ts[0]);
	cr_expect_eq(info.last_ts_ns, frame_ts[2]);
	free(buf);
}

/*
 * Cut the file at every offset: below the 24-byte header it is an error;
 * above, the scan counts exactly the records that lie wholly before the
 * cut and says "damaged" unless the cut falls on a record boundary.
 */
Test(capture_file, truncation_at_every_offset)
{
	size_t len;
	char *buf = three_frame_capture(&len);
	size_t boundary[NFRAMES + 1] = { 24 };

	for (int i = 0; i < NFRAMES; i++)
		boundary[i + 1] = boundary[i] + 16 + frame_len[i];
	cr_assert_eq(boundary[NFRAMES], len);

	for (size_t cut = 0; cut < len; cut++) {
		struct cs_capture_info info;
		char err[200] = "";
		int rc = scan_bytes(buf, cut, &info, err, sizeof(err));

		if (cut < 24) {
			cr_expect_eq(rc, -1, "cut %zu", cut);
			cr_expect(strstr(err, "too short") != NULL, "cut %zu: %s", cut, err);
			continue;
		}
		uint64_t whole = 0;
		while (whole < NFRAMES && boundary[whole + 1] <= cut)
			whole++;
		cr_expect_eq(rc, 0, "cut %zu: %s", cut, err);
		cr_expect_eq(info.records, whole, "cut %zu", cut);
		cr_expect_eq(info.damaged, cut != boundary[whole], "cut %zu", cut);
		cr_expect_eq(info.valid_bytes, boundary[whole], "cut %zu", cut);
	}
	free(buf);
}

static void put_le32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

static void put_be32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * (3 - i)));
}

Test(capture_file, big_endian_nanosecond_files)
{
	char buf[24 + 16 + 4] = { 0 };
	struct cs_capture_info info;
	char err[200];

	put_be32(buf, 0xa1b23c4d); /* written big-endian, nanosecond stamps */
	put_be32(buf + 16, 65535);
	put_be32(buf + 20, 1);
	put_be32(buf + 24, 1767600000);
	put_be32(buf + 28, 123456789);
	put_be32(buf + 32, 4);
	put_be32(buf + 36, 4);
	cr_assert_eq(scan_bytes(buf, sizeof(buf), &info, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(info.records, 1);
	cr_expect_eq(info.first_ts_ns, 1767600000123456789ull);
	cr_expect_not(info.damaged);
}

Test(capture_file, garbage_record_header_marks_damage)
{
	size_t len;
	char *buf = three_frame_capture(&len);
	struct cs_capture_info info;
	char err[200];

	put_le32(buf + 24 + 16 + 60 + 8, 0x7fffffff); /* second record: absurd caplen */
	cr_assert_eq(scan_bytes(buf, len, &info, err, sizeof(err)), 0);
	cr_expect_eq(info.records, 1);
	cr_expect(info.damaged);

	free(buf);

	buf = three_frame_capture(&len);
	put_le32(buf + 24 + 4, 2000000); /* first record: microseconds >= 1 s */
	cr_assert_eq(scan_bytes(buf, len, &info, err, sizeof(err)), 0);
	cr_expect_eq(info.records, 0);
	cr_expect(info.damaged);
	free(buf);
}

Test(capture_file, rejects_what_is_not_a_capture_with_a_reason)
{
	char buf[32] = { 0 };
	struct cs_capture_info info;
	char err[200];

	/* a pcapng section header whose byte-order magic is garbage: damaged from the start */
	put_le32(buf, 0x0a0d0d0a);
	put_le32(buf + 4, 28);
	cr_expect_eq(scan_bytes(buf, sizeof(buf), &info, err, sizeof(err)), 0);
	cr_expect(info.damaged);
	cr_expect_eq(info.records, 0);

	memcpy(buf, "GET / HTTP/1.1\r\n", 16);
	cr_expect_eq(scan_bytes(buf, sizeof(buf), &info, err, sizeof(err)), -1);
	cr_expect(strstr(err, "not a pcap or pcapng file") != NULL, "%s", err);
}

Test(capture_file, unreadable_file_is_named)
{
	struct cs_capture_info info;
	char err[300];

	cr_assert_eq(cs_capture_scan("/nonexistent/trace.pcap", &info, err, sizeof(err)), -1);
	cr_expect(strstr(err, "/nonexistent/trace.pcap") != NULL, "%s", err);
	cr_expect(strstr(err, "No such file") != NULL, "%s", err);
}

Test(capture_file, bundled_sample)
{
	struct cs_capture_info info;
	char err[300];

	cr_assert_eq(cs_capture_scan(CS_SOURCE_PATH("tests/data/sample.pcap"), &info, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(info.records, 236);
	cr_expect_eq(info.first_ts_ns, 1767600000ull * 1000000000ull); /* 2026-01-05T08:00:00Z */
	cr_expect_not(info.damaged);
}

Test(capture_file, pcapng_records_and_event_time)
{
	struct cs_capture_info info;
	char err[300];

	/* capinfos: 14 packets, first at 2010-02-25 09:57:56.291150 UTC */
	cr_assert_eq(cs_capture_scan(CS_SOURCE_PATH("tests/data/zeek-pdp_ctx_messages.pcapng"), &info, err, sizeof(err)),
		     0, "%s", err);
	cr_expect_eq(info.records, 14);
	cr_expect_eq(info.first_ts_ns, 1267091876291150000ull);
	cr_expect_eq(info.linktype, 1);
	cr_expect_not(info.damaged);
}

/* Every cut of a pcapng file: never more records than before the cut, damaged unless on a block boundary. */
Test(capture_file, pcapng_truncation_at_every_offset)
{
	size_t len;
	char *buf = cs_read_file(CS_SOURCE_PATH("tests/data/zeek-pdp_ctx_messages.pcapng"), &len);
	struct cs_capture_info full;
	char err[200];
	uint64_t last_records = 0;

	cr_assert_not_null(buf);
	cr_assert_eq(scan_bytes(buf, len, &full, err, sizeof(err)), 0);
	for (size_t cut = 24; cut < len; cut++) {
		struct cs_capture_info info;
		cr_assert_eq(scan_bytes(buf, cut, &info, err, sizeof(err)), 0, "cut %zu: %s", cut, err);
		cr_expect_leq(info.records, full.records, "cut %zu", cut);
		cr_expect_geq(info.records, last_records, "cut %zu: records never go down as the cut grows", cut);
		cr_expect_leq(info.valid_bytes, cut, "cut %zu", cut);
		cr_expect_eq(info.damaged, info.valid_bytes != cut, "cut %zu: damaged iff the cut is inside a block", cut);
		last_records = info.records;
	}
	free(buf);
}
