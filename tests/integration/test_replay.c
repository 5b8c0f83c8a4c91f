/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cdrsentry binary replaying captures through DPDK (net_pcap, no
 * hugepages, no NIC), without Kafka: what it counts, how it treats damaged
 * and unreadable input, and its exit statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "capture_file.h"
#include "cs_build_config.h"
#include "run.h"

/* Runs `cdrsentry replay --probe-id test-probe [option value] capture`. */
static void replay(struct cs_run *r, const char *capture, const char *option, const char *value)
{
	char *argv[8] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "test-probe" };
	int argc = 4;

	if (option != NULL) {
		argv[argc++] = (char *)option;
		argv[argc++] = (char *)value;
	}
	argv[argc++] = (char *)capture;
	argv[argc] = NULL;
	cr_assert_eq(cs_run(argv, r), 0, "cannot run %s", argv[0]);
}

static void expect_field(const char *record, const char *field)
{
	cr_expect(strstr(record, field) != NULL, "record lacks %s:\n%s", field, record);
}

Test(replay, counts_every_packet_of_the_capture, .timeout = 60)
{
	const char *path = CS_SOURCE_PATH("tests/data/sample.pcap");
	struct cs_capture_info info;
	struct cs_run r;
	char err[300], field[128];

	cr_assert_eq(cs_capture_scan(path, &info, err, sizeof(err)), 0, "%s", err);
	replay(&r, path, NULL, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);

	cr_expect_eq(strncmp(r.out, "{\"type\":\"summary\",\"schema_version\":1,", 37), 0, "%s", r.out);
	snprintf(field, sizeof(field), "\"packets\":%llu,\"wire_bytes\":%llu,", (unsigned long long)info.records,
		 (unsigned long long)info.wire_bytes);
	expect_field(r.out, field);
	expect_field(r.out, "\"probe_id\":\"test-probe\"");
	expect_field(r.out, "\"damaged\":false");
	expect_field(r.out, "\"first_event_time\":\"2026-01-05T08:00:00.000000Z\"");
	expect_field(r.out, "\"port_errors\":0");
	expect_field(r.out, "\"input_timed_out\":false");
	expect_field(r.out, CS_HAVE_JEMALLOC ? "\"allocator\":\"jemalloc 5." : "\"allocator\":\"libc\"");
	cs_run_free(&r);
}

Test(replay, damaged_capture_is_replayed_up_to_the_damage, .timeout = 60)
{
	char path[] = "/tmp/cs-damaged.XXXXXX";
	size_t len;
	char *bytes = cs_read_file(CS_SOURCE_PATH("tests/data/sample.pcap"), &len);
	struct cs_capture_info info;
	struct cs_run r;
	char err[300], field[64];
	int fd = mkstemp(path);

	/* cut the file in the middle of a record, 1000 bytes before its end */
	cr_assert(fd >= 0 && bytes != NULL && len > 2000);
	cr_assert_eq(write(fd, bytes, len - 1000), (ssize_t)(len - 1000));
	close(fd);
	free(bytes);
	cr_assert_eq(cs_capture_scan(path, &info, err, sizeof(err)), 0);
	cr_assert(info.damaged);

	replay(&r, path, NULL, NULL);
	unlink(path);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	snprintf(field, sizeof(field), "\"packets\":%llu,", (unsigned long long)info.records);
	expect_field(r.out, field);
	expect_field(r.out, "\"damaged\":true");
	cr_expect(strstr(r.err, "damaged after byte") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}

Test(replay, unreadable_capture_exits_2_naming_the_file)
{
	struct cs_run r;

	replay(&r, "/nonexistent/dir/trace.pcap", NULL, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/nonexistent/dir/trace.pcap: cannot open capture") != NULL, "stderr: %s", r.err);
	cr_expect_str_empty(r.out);
	cs_run_free(&r);
}

Test(replay, bad_option_exits_2_with_a_reason)
{
	struct cs_run r;

	replay(&r, CS_SOURCE_PATH("tests/data/sample.pcap"), "--mem-mb", "lots");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--mem-mb: 'lots' is not a whole number") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}

Test(replay, undelivered_record_exits_3, .timeout = 60)
{
	struct cs_run r;
	/* port 9 (discard) on loopback: nothing listens, connections are refused */
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--brokers", "127.0.0.1:9", "--kafka-timeout-ms",
			 "1500", (char *)CS_SOURCE_PATH("tests/data/sample.pcap"), NULL };

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_expect_eq(r.status, 3, "exit %d\nstderr:\n%s", r.status, r.err);
	cr_expect(strstr(r.err, "not delivered") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}
