/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cdrsentry binary replaying captures through DPDK (net_pcap, no
 * hugepages, no NIC), without Kafka: what it counts and writes, how it
 * treats damaged and unreadable input, and its exit statuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "capture_file.h"
#include "cs_build_config.h"
#include "pcap_walk.h"
#include "encode.h"
#include "encode_sip.h"
#include "pcap_writer.h"
#include "run.h"

/* A fresh output directory per test. */
static char out_dir[CS_TEMP_DIR_LEN];

static void make_out_dir(void)
{
	cs_temp_dir(out_dir, "replay");
}

static void remove_out_dir(void)
{
	cs_remove_tree(out_dir);
}

TestSuite(replay, .init = make_out_dir, .fini = remove_out_dir);

/* Runs `cdrsentry replay --probe-id test-probe --out DIR [options...] capture [capture]`. */
static void replay(struct cs_run *r, const char *const *options, const char *c1, const char *c2)
{
	char *argv[16] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "test-probe", "--out", out_dir };
	int argc = 6;

	for (; options != NULL && *options != NULL; options++)
		argv[argc++] = (char *)*options;
	argv[argc++] = (char *)c1;
	if (c2 != NULL)
		argv[argc++] = (char *)c2;
	argv[argc] = NULL;
	cr_assert_eq(cs_run(argv, r), 0, "cannot run %s", argv[0]);
}

#define OPTIONS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void expect_field(const char *record, const char *field)
{
	cr_expect(strstr(record, field) != NULL, "record lacks %s:\n%s", field, record);
}

static char *out_file(const char *name)
{
	return cs_read_output(out_dir, name);
}

/* The line of text holding needle, copied into line; empty if none. */
static void line_with(const char *text, const char *needle, char *line, size_t cap)
{
	const char *hit = strstr(text, needle);

	line[0] = '\0';
	if (hit == NULL)
		return;
	while (hit > text && hit[-1] != '\n')
		hit--;
	snprintf(line, cap, "%.*s", (int)strcspn(hit, "\n"), hit);
}

/* schema "" validates each record against the schema of its type */
static void validate(const char *schema, const char *file)
{
	char schema_rel[96], path[128];
	struct cs_run v;

	snprintf(schema_rel, sizeof(schema_rel), "schemas/%s", schema);
	snprintf(path, sizeof(path), "%s/%s", out_dir, file);
	char *argv[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			 (char *)CS_SOURCE_PATH(schema_rel), path, NULL };
	cr_assert_eq(cs_run(argv, &v), 0);
	cr_expect_eq(v.status, 0, "%s against %s:\n%s%s", file, schema, v.out, v.err);
	cs_run_free(&v);
}

Test(replay, counts_every_packet_and_writes_records, .timeout = 60)
{
	const char *path = CS_SOURCE_PATH("tests/data/sample.pcap");
	struct cs_capture_info info;
	struct cs_run r;
	char err[300], field[128];

	cr_assert_eq(cs_capture_scan(path, &info, err, sizeof(err)), 0, "%s", err);
	replay(&r, NULL, path, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);

	/* the summary line on stdout */
	cr_expect_eq(strncmp(r.out, "{\"type\":\"summary\",\"schema_version\":3,", 37), 0, "%s", r.out);
	snprintf(field, sizeof(field), "\"packets\":%llu,\"wire_bytes\":%llu,", (unsigned long long)info.records,
		 (unsigned long long)info.wire_bytes);
	expect_field(r.out, field);
	expect_field(r.out, "\"probe_id\":\"test-probe\"");
	expect_field(r.out, "\"damaged\":false");
	expect_field(r.out, "\"first_event_time\":\"2026-01-05T08:00:00.000000Z\"");
	expect_field(r.out, "\"input_timed_out\":false");
	expect_field(r.out, CS_HAVE_JEMALLOC ? "\"allocator\":\"jemalloc 5." : "\"allocator\":\"libc\"");
	snprintf(field, sizeof(field), "cdrsentry: replayed %llu packets", (unsigned long long)info.records);
	cr_expect(strstr(r.err, field) != NULL, "stderr: %s", r.err);

	/* one session record per attached subscriber, valid against its schema */
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(cs_count(cdr, "{\"type\":\"session\","), 16);
	cr_expect_eq(cs_count(cdr, "\"imsi\":\"001010001000000\""), 1);
	cr_expect_eq(cs_count(cdr, "\"apn\":\"internet\""), 16);
	/* and one call record per SIP dialog: INVITE, 200, BYE from the caller */
	cr_expect_eq(cs_count(cdr, "{\"type\":\"call\","), 4);
	cr_expect_eq(cs_count(cdr, "\"outcome\":\"answered\",\"ended_by\":\"caller\""), 4);
	cr_expect_eq(cs_count(cdr, "\"caller\":\"15552000000\",\"callee\":\"15552000001\""), 1);
	free(cdr);
	validate("", "cdr.jsonl"); /* each record against schemas/<type>.schema.json */

	char *anomalies = out_file("anomalies.jsonl");
	cr_expect_str_empty(anomalies, "the sample's ordinary subscribers trip no rule");
	free(anomalies);

	char *stats = out_file("stats.json");
	snprintf(field, sizeof(field), "\"frames\":%llu,", (unsigned long long)info.records);
	expect_field(stats, field);
	expect_field(stats, "\"gtpv2c_messages\":92,"); /* 16 x (create, modify) + 14 x delete, request and response */
	expect_field(stats, "\"sessions_opened\":16,");
	expect_field(stats, "\"sessions_closed\":14,");
	expect_field(stats, "\"gtpu_teid_hits\":128,");
	expect_field(stats, "\"gtpu_gpdu\":128,");
	expect_field(stats, "\"sip_messages\":16,");
	/* the callers' sessions were deleted before they called: the directory no longer knows them */
	expect_field(stats, "\"msisdn_hits\":0,\"msisdn_misses\":8,"); /* 4 callers, 4 callees */
	expect_field(stats, "\"l4.not_mobile_core_port\":0");
	expect_field(stats, "\"eth.truncated\":0,");
	free(stats);
	cs_run_free(&r);
}

Test(replay, captures_are_replayed_in_order, .timeout = 60)
{
	const char *path = CS_SOURCE_PATH("tests/data/sample.pcap");
	const char *zeek = CS_SOURCE_PATH("tests/data/zeek-gtp7_ipv6.pcap");
	struct cs_run r;

	replay(&r, OPTIONS("--workers", "2"), path, zeek);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	expect_field(r.out, "\"packets\":238,");
	cr_expect(strstr(r.out, "sample.pcap\",\"records\":236") < strstr(r.out, "zeek-gtp7_ipv6.pcap\",\"records\":2"),
		  "captures listed in the order given: %s", r.out);
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(cs_count(cdr, "{\"type\":\"session\","), 16, "two workers, each subscriber once");
	free(cdr);
	cs_run_free(&r);
}

static void write_config(const char *name, const char *yaml, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", out_dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(yaml, f);
	cr_assert_eq(fclose(f), 0);
}

/*
 * Long sessions get interim records in event time: the two sessions the
 * sample leaves open (subscribers 7 and 15) run 5.6 minutes of capture
 * time; with a 60 s interval each gets interim records (record_seq 1, 2,
 * ...) before its final one.
 */
Test(replay, long_sessions_get_interim_records_in_event_time, .timeout = 60)
{
	char config[128];
	struct cs_run r;

	write_config("interim.yaml", "timeouts:\n  interim_s: 60\n", config, sizeof(config));
	replay(&r, OPTIONS("--config", config), CS_SOURCE_PATH("tests/data/sample.pcap"), NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(cs_count(cdr, "\"interim\":true,\"record_seq\":1,\"end_reason\":\"open\""), 2);
	cr_expect_eq(cs_count(cdr, "\"interim\":true"), 6, "three a session: at each event after another minute");
	cr_expect_eq(cs_count(cdr, "\"interim\":false,\"record_seq\":4,\"end_reason\":\"end_of_input\""), 2);
	cr_expect_eq(cs_count(cdr, "\"interim\":false,\"record_seq\":0,\"end_reason\":\"deleted\""), 14);
	free(cdr);
	validate("", "cdr.jsonl");
	cs_run_free(&r);
}

/* Sessions without signalling for the idle timeout expire, in event time, and say so. */
Test(replay, idle_sessions_expire, .timeout = 60)
{
	char config[128];
	struct cs_run r;

	write_config("idle.yaml", "timeouts:\n  session_idle_s: 30\ncapacity:\n  sessions: 64\n", config, sizeof(config));
	replay(&r, OPTIONS("--config", config), CS_SOURCE_PATH("tests/data/sample.pcap"), NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(cs_count(cdr, "\"end_reason\":\"idle_timeout\""), 2);
	cr_expect_eq(cs_count(cdr, "\"end_reason\":\"deleted\""), 14);
	free(cdr);
	char *stats = out_file("stats.json");
	expect_field(stats, "\"sessions_expired\":2,");
	free(stats);
	cs_run_free(&r);
}

/*
 * Both parties of a call attached: the caller's and the callee's IMSIs
 * come from the directory's MSISDN map. Subscribers 15 and 7 of the
 * sample stay attached; one more call, 15 -> 7, is appended to it. The
 * call counts in both parties' behaviour state (--dump-imsi).
 */
Test(replay, both_parties_imsis_from_the_directory, .timeout = 60)
{
	static const enum cs_gen_sip_msg flow[] = { CS_SIP_INVITE, CS_SIP_INVITE_200, CS_SIP_BYE, CS_SIP_BYE_200 };
	const struct cs_gen_sip_dialog d = {
		.caller = "15552000015", .callee = "15552000007", .call_id = "attached-to-attached@pcscf",
		.domain = "ims.mnc001.mcc001.3gppnetwork.org", .from_tag = "f15", .to_tag = "t7",
	};
	struct cs_udp4_flow flow_out = { .src_mac = { 2, 0, 0, 0, 0, 1 }, .dst_mac = { 2, 0, 0, 0, 0, 2 },
					 .src_ip = 0x0a040001, .dst_ip = 0x0a040002, .src_port = 5060, .dst_port = 5060 };
	struct cs_test_capture cap;
	struct cs_pcap_writer w;
	char path[96], text[2048];
	uint8_t frame[2048];
	struct cs_run r;

	cs_test_capture_load(&cap, CS_SOURCE_PATH("tests/data/sample.pcap"));
	snprintf(path, sizeof(path), "%s/attached.pcap", out_dir);
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	uint64_t ts = 1767600000000000000ull;
	for (size_t i = 0; i < cap.count; i++, ts += 1000000)
		cr_assert_eq(cs_pcap_writer_add(&w, ts, cap.frames[i].data, cap.frames[i].len), 0);
	for (size_t k = 0; k < sizeof(flow) / sizeof(flow[0]); k++, ts += 1000000000ull) {
		size_t n = cs_encode_sip(text, sizeof(text), &d, flow[k]);
		int request = flow[k] == CS_SIP_INVITE || flow[k] == CS_SIP_BYE;
		struct cs_udp4_flow f = flow_out;
		if (!request) {
			f.src_ip = flow_out.dst_ip;
			f.dst_ip = flow_out.src_ip;
		}
		size_t len = cs_encode_udp4_frame(frame, sizeof(frame), &f, (uint16_t)k, (const uint8_t *)text, n);
		cr_assert_gt(len, 0);
		cr_assert_eq(cs_pcap_writer_add(&w, ts, frame, len), 0);
	}
	cr_assert_eq(cs_pcap_writer_close(&w), 0);
	cs_test_capture_free(&cap);

	replay(&r, OPTIONS("--dump-imsi", "001010001000015,001010001000007,001019999999999"), path, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(cs_count(cdr, "\"call_id\":\"attached-to-attached@pcscf\",\"imsi\":\"001010001000015\","
				     "\"caller\":\"15552000015\",\"callee\":\"15552000007\","
				     "\"callee_imsi\":\"001010001000007\""),
		     1, "%s", cdr);
	free(cdr);
	validate("", "cdr.jsonl");

	/* the call is in both parties' state: MO on the caller's shard, MT on the callee's */
	char *state = out_file("subscribers.jsonl"), caller[1024], callee[1024];
	line_with(state, "\"imsi\":\"001010001000015\"", caller, sizeof(caller));
	line_with(state, "\"imsi\":\"001010001000007\"", callee, sizeof(callee));
	expect_field(caller, "\"hour_window\":{\"length_s\":3600,\"mo_calls\":1,\"mo_answered\":1,\"mt_calls\":0,"
			     "\"short_calls\":1,\"call_seconds\":1,");
	expect_field(caller, "\"distinct_callees\":1,");
	expect_field(caller, "\"short_window\":{\"length_s\":600,\"mo_events\":1}");
	/* the caller's phone, counted on the shard owning its IMEI, carried one SIM */
	expect_field(caller, "\"device\":{\"length_s\":86400,\"distinct_imsis\":1,\"lower_bound\":false}");
	expect_field(callee, "\"hour_window\":{\"length_s\":3600,\"mo_calls\":0,\"mo_answered\":0,\"mt_calls\":1,");
	expect_field(callee, "\"msisdn\":\"15552000007\"");
	cr_expect_eq(cs_count(state, "\"type\":\"subscriber_state\""), 2, "%s", state);
	cr_expect(strstr(r.err, "--dump-imsi 001019999999999: no state") != NULL, "stderr:\n%s", r.err);
	free(state);
	validate("subscriber_state.schema.json", "subscribers.jsonl");
	cs_run_free(&r);
}

/* Writes a generated capture: --subscribers 16, the seed, the first packet at start_s. */
static void generate(const char *name, const char *seed, const char *start_s, char *path, size_t cap)
{
	struct cs_run g;

	snprintf(path, cap, "%s/%s", out_dir, name);
	char *argv[] = { (char *)cs_env("CDRSENTRY_GEN"), "--subscribers", "16", "--seed", (char *)seed, "--start",
			 (char *)start_s, "--out", path, NULL };
	cr_assert_eq(cs_run(argv, &g), 0);
	cr_assert_eq(g.status, 0, "%s", g.err);
	cs_run_free(&g);
}

/*
 * Long memory across runs: day 0 and day 36 as two captures with one
 * state directory. The same SIMs come back in other phones (another seed,
 * other IMEIs): with the state directory they keep when they were first
 * seen and the phone they were first bound to; without it, day 36 is all
 * they have.
 */
Test(replay, long_memory_carries_day_0_into_day_36, .timeout = 90)
{
	const char *imsi = "001010001000003";
	char day0[128], day36[128], state_dir[128], line[4096], imei0[32], imei36[32], v[64];
	struct cs_run r;

	generate("day0.pcap", "1", "1767600000", day0, sizeof(day0));        /* 2026-01-05T08:00:00Z */
	generate("day36.pcap", "7", "1770710400", day36, sizeof(day36));     /* 36 days later */
	snprintf(state_dir, sizeof(state_dir), "%s/state", out_dir);

	replay(&r, OPTIONS("--state", state_dir, "--dump-imsi", imsi), day0, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *state = out_file("subscribers.jsonl");
	line_with(state, imsi, line, sizeof(line));
	cs_json_str(line, "imei", imei0, sizeof(imei0));
	cr_expect_str_not_empty(imei0, "%s", state);
	expect_field(line, "\"bound_since\":\"2026-01-05\"");
	expect_field(line, "\"cell\":{\"mcc\":\"001\",\"mnc\":\"01\",\"kind\":\"ecgi\",\"id\":");
	expect_field(line, "\"cell_activity\":{\"length_s\":3600,\"active_imsis\":");
	/* 16 consecutive numbers of one block, all new: a batch */
	expect_field(line, "\"number_block\":{\"prefix\":\"15552000\",\"suffix_digits\":3,\"ever_active\":16,"
			   "\"first_activations_short\":16,\"first_activations_hour\":16,");
	free(state);
	char *stats = out_file("stats.json");
	expect_field(stats, "\"state_store\":{\"restored\":0,");
	expect_field(stats, "\"records_written\":16,");
	expect_field(stats, "\"entries\":16}");
	free(stats);
	cs_run_free(&r);

	/* day 36 alone: no memory of day 0 */
	replay(&r, OPTIONS("--dump-imsi", imsi), day36, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	state = out_file("subscribers.jsonl");
	line_with(state, imsi, line, sizeof(line));
	cs_json_str(line, "imei", imei36, sizeof(imei36));
	cr_assert_str_neq(imei36, imei0, "the day-36 capture must put the SIM in another phone");
	cs_json_str(line, "first_seen", v, sizeof(v));
	cr_expect(strncmp(v, "2026-02-10T", 11) == 0, "first seen %s", v);
	cs_json_str(line, "bound_imei", v, sizeof(v));
	cr_expect_str_eq(v, imei36);
	expect_field(line, "\"first_activations_hour\":16,");
	free(state);
	cs_run_free(&r);

	/* day 36 after day 0, through the state directory */
	replay(&r, OPTIONS("--state", state_dir, "--dump-imsi", imsi), day36, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	state = out_file("subscribers.jsonl");
	line_with(state, imsi, line, sizeof(line));
	expect_field(line, "\"first_seen\":\"2026-01-05T08:00:00");
	cs_json_str(line, "last_seen", v, sizeof(v));
	cr_expect(strncmp(v, "2026-02-10T", 11) == 0, "last seen %s", v);
	cs_json_str(line, "imei", v, sizeof(v));
	cr_expect_str_eq(v, imei36, "the latest phone");
	cs_json_str(line, "bound_imei", v, sizeof(v));
	cr_expect_str_eq(v, imei0, "still bound to the day-0 phone");
	expect_field(line, "\"bound_since\":\"2026-01-05\"");
	expect_field(line, "\"msisdn_since\":\"2026-01-05\"");
	expect_field(line, "\"distinct_imeis\":1}"); /* the day window holds day 36 only */
	/* the numbers were active on day 0: none is new on day 36 */
	expect_field(line, "\"ever_active\":16,\"first_activations_short\":0,\"first_activations_hour\":0,"
			   "\"first_activations_day\":0,\"first_activated_in_hour\":[]");
	free(state);
	stats = out_file("stats.json");
	expect_field(stats, "\"state_store\":{\"restored\":16,\"not_restored\":0,");
	expect_field(stats, "\"entries\":16}");
	free(stats);
	validate("subscriber_state.schema.json", "subscribers.jsonl");
	cs_run_free(&r);
}

/* Window lengths come from the config: a 60 s short window has forgotten activations of 6 minutes ago. */
Test(replay, window_lengths_are_configured, .timeout = 60)
{
	char capture[128], config[128], line[4096];
	struct cs_run r;

	generate("day0.pcap", "1", "1767600000", capture, sizeof(capture));
	write_config("windows.yaml", "windows:\n  short_s: 60\n  hour_s: 1800\n  day_s: 7200\n", config, sizeof(config));
	replay(&r, OPTIONS("--config", config, "--dump-imsi", "001010001000003"), capture, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *state = out_file("subscribers.jsonl");
	line_with(state, "001010001000003", line, sizeof(line));
	expect_field(line, "\"short_window\":{\"length_s\":60,");
	expect_field(line, "\"hour_window\":{\"length_s\":1800,");
	expect_field(line, "\"day_window\":{\"length_s\":7200,");
	/* the 16 numbers became active in the first seconds; the dump is as of the last packet, 5.8 min later */
	expect_field(line, "\"first_activations_short\":0,\"first_activations_hour\":16,\"first_activations_day\":16,");
	free(state);
	cs_run_free(&r);
}

/* A state directory that cannot be one is refused by name before anything runs. */
Test(replay, an_unusable_state_directory_exits_2_naming_it, .timeout = 60)
{
	char file[128];
	struct cs_run r;

	generate("day0.pcap", "1", "1767600000", file, sizeof(file));
	replay(&r, OPTIONS("--state", "/proc/cdrsentry-state"), file, NULL);
	cr_expect_eq(r.status, 2, "exit %d\nstderr:\n%s", r.status, r.err);
	cr_expect(strstr(r.err, "state store /proc/cdrsentry-state") != NULL, "stderr:\n%s", r.err);
	cs_run_free(&r);
}

/* A MESSAGE resent over UDP (no 200 yet) is the same SMS, not a second one. */
Test(replay, a_retransmitted_sms_counts_once, .timeout = 60)
{
	struct cs_test_capture cap;
	struct cs_pcap_writer w;
	char path[96];
	struct cs_run r;

	cs_test_capture_load(&cap, CS_SOURCE_PATH("tests/data/sms.pcap"));
	snprintf(path, sizeof(path), "%s/resent.pcap", out_dir);
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	int copied = 0;
	for (size_t i = 0; i < cap.count; i++) {
		uint64_t ts = 1767600000000000000ull + i * 1000000ull;
		cr_assert_eq(cs_pcap_writer_add(&w, ts, cap.frames[i].data, cap.frames[i].len), 0);
		/* the first MESSAGE, sent again 500 ms later: a retransmission */
		if (!copied && cap.frames[i].len > 60 && memmem(cap.frames[i].data, cap.frames[i].len, "MESSAGE ", 8)) {
			cr_assert_eq(cs_pcap_writer_add(&w, ts + 500000, cap.frames[i].data, cap.frames[i].len), 0);
			copied = 1;
		}
	}
	cr_assert_eq(cs_pcap_writer_close(&w), 0);
	cr_assert(copied);
	cs_test_capture_free(&cap);

	replay(&r, NULL, path, NULL);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	expect_field(r.out, "\"sms\":8,\"anomaly\":0}");
	char *stats = out_file("stats.json");
	expect_field(stats, "\"sms_messages\":8,");
	expect_field(stats, "\"sms_retransmissions\":1,");
	free(stats);
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

	replay(&r, NULL, path, NULL);
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

	replay(&r, NULL, CS_SOURCE_PATH("tests/data/sample.pcap"), "/nonexistent/dir/trace.pcap");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/nonexistent/dir/trace.pcap: cannot open capture") != NULL, "stderr: %s", r.err);
	cr_expect_str_empty(r.out);
	cs_run_free(&r);
}

Test(replay, bad_option_exits_2_with_a_reason)
{
	struct cs_run r;

	replay(&r, OPTIONS("--mem-mb", "lots"), CS_SOURCE_PATH("tests/data/sample.pcap"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--mem-mb: 'lots' is not a whole number") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}

Test(replay, an_imsi_to_dump_that_is_not_one_exits_2)
{
	struct cs_run r;

	replay(&r, OPTIONS("--dump-imsi", "001010000000001,0010x"), CS_SOURCE_PATH("tests/data/sample.pcap"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--dump-imsi: '0010x' is not an IMSI") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}

Test(replay, undelivered_record_exits_3, .timeout = 60)
{
	struct cs_run r;

	/* port 9 (discard) on loopback: nothing listens, connections are refused */
	replay(&r, OPTIONS("--brokers", "127.0.0.1:9", "--kafka-timeout-ms", "1500"), CS_SOURCE_PATH("tests/data/sample.pcap"),
	       NULL);
	cr_expect_eq(r.status, 3, "exit %d\nstderr:\n%s", r.status, r.err);
	cr_expect(strstr(r.err, "not delivered") != NULL, "stderr: %s", r.err);
	cs_run_free(&r);
}
