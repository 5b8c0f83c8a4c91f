/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Behaviour profiles (bench/gen/profiles.h) as real traffic through
 * `cdrsentry replay`: each profile is written into a capture, replayed,
 * and its subscribers' state (--dump-imsi) must show what the profile
 * claims. This tests the traffic and the state engine under the rules,
 * not the rules' verdicts.
 *
 * Two captures hold every profile. "The hour" starts on the hour
 * (2026-01-05T08:00:00Z) and every profile in it ends before 09:00, so
 * hourly and daily windows read as of the last packet hold each profile
 * whole, with no fading of a previous bucket. "The long run" holds what
 * takes days: the sleeper (day 0, then day 35) and a block's numbers
 * first seen one a day.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "profiles.h"
#include "run.h"

static const uint64_t START_NS = 1767600000ull * 1000000000ull; /* 2026-01-05T08:00:00Z */
static const uint64_t SEC = 1000000000ull;

static char out_dir[CS_TEMP_DIR_LEN];

static void make_out_dir(void)
{
	cs_temp_dir(out_dir, "profiles");
}

static void remove_out_dir(void)
{
	cs_remove_tree(out_dir);
}

TestSuite(profiles_traffic, .init = make_out_dir, .fini = remove_out_dir);

static void close_scenario(struct cs_scen *sc)
{
	char err[200];

	cr_assert_eq(cs_scen_close(sc, err, sizeof(err)), 0, "scenario: %s", err);
}

/* --- reading subscribers.jsonl ---------------------------------------- */

/* The state line of imsi, copied into line; fails the test if there is none. */
static void state_of(const char *state, const char *imsi, char *line, size_t cap)
{
	char needle[40];

	snprintf(needle, sizeof(needle), "\"imsi\":\"%s\"", imsi);
	const char *hit = strstr(state, needle);
	cr_assert_not_null(hit, "no state for %s:\n%s", imsi, state);
	while (hit > state && hit[-1] != '\n')
		hit--;
	snprintf(line, cap, "%.*s", (int)strcspn(hit, "\n"), hit);
}

/* The number "key" holds inside the flat object "object" of a line; fails the test if it is not there. */
static uint64_t num(const char *line, const char *object, const char *key)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "\"%s\":{", object);
	const char *from = strstr(line, needle);
	cr_assert_not_null(from, "no %s in %s", object, line);
	const char *end = strchr(from + strlen(needle), '}');
	snprintf(needle, sizeof(needle), "\"%s\":", key);
	const char *v = strstr(from, needle);
	cr_assert(v != NULL && v < end, "no %s.%s in %s", object, key, line);
	return strtoull(v + strlen(needle), NULL, 10);
}

static void expect_str(const char *line, const char *key, const char *want)
{
	char v[64];

	cs_json_str(line, key, v, sizeof(v));
	cr_expect_str_eq(v, want, "%s in %s", key, line);
}

static void expect_str_prefix(const char *line, const char *key, const char *prefix)
{
	char v[64];

	cs_json_str(line, key, v, sizeof(v));
	cr_expect(strncmp(v, prefix, strlen(prefix)) == 0, "%s is '%s', expected %s...: %s", key, v, prefix, line);
}

static char *out_file(const char *name)
{
	return cs_read_output(out_dir, name);
}

/* Lines of text holding every one of the needles (NULL-terminated). */
static int lines_with(const char *text, const char *const *needles)
{
	int n = 0;

	for (const char *line = text; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		bool all = true;
		for (const char *const *k = needles; *k != NULL && all; k++)
			all = memmem(line, len, *k, strlen(*k)) != NULL;
		n += all;
		line += len + (line[len] == '\n');
	}
	return n;
}

#define LINES_WITH(text, ...) lines_with((text), (const char *const[]){ __VA_ARGS__, NULL })

/* Every rejection counter of stats.json is 0: each message the scenario wrote decoded whole. */
static void expect_nothing_rejected(const char *stats)
{
	const char *from = strstr(stats, "\"rejected\":{");

	cr_assert_not_null(from, "%s", stats);
	const char *end = strchr(from, '}');
	for (const char *p = strchr(from + 12, ':'); p != NULL && p < end; p = strchr(p + 1, ':'))
		cr_expect(p[1] == '0' && (p[2] == ',' || p[2] == '}'), "rejected: %.40s", p - 30 > from ? p - 30 : from);
}

/*
 * Replays capture with --dump-imsi for the given subscribers; returns
 * subscribers.jsonl (free it). Every GTP-C request must be answered,
 * every G-PDU find its session, every call end and nothing be rejected.
 */
static char *replay_dump(const char *capture, const struct cs_profile_sub *const *subs, unsigned int n)
{
	char list[64 * 17] = "";
	struct cs_run r;

	for (unsigned int i = 0; i < n; i++) {
		strcat(list, i > 0 ? "," : "");
		strcat(list, subs[i]->imsi);
	}
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "profiles", "--out", out_dir,
			 "--dump-imsi", list, (char *)capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0, "cannot run %s", argv[0]);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	cr_expect(strstr(r.err, "no state") == NULL, "stderr:\n%s", r.err);
	cs_run_free(&r);

	char *stats = out_file("stats.json");
	cr_expect(strstr(stats, "\"gtpc_unmatched_responses\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"gtpc_unknown_session\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"gtpu_teid_misses\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"sip_calls_timed_out\":0,") != NULL, "%s", stats);
	expect_nothing_rejected(stats);
	free(stats);
	return out_file("subscribers.jsonl");
}

static const struct cs_profile_sub *find(const struct cs_profile_subs *subs, const char *label)
{
	const struct cs_profile_sub *s = cs_profile_find(subs, label);

	cr_assert_not_null(s, "no %s subscriber", label);
	return s;
}

/* --- the hour ---------------------------------------------------------- */

/* Every profile that lives within an hour (cs_profile_the_hour), in one capture. */
static void write_the_hour(const char *path, struct cs_profile_subs *subs)
{
	struct cs_scen *sc = cs_scen_open(path, START_NS, 1);

	cr_assert_not_null(sc);
	cr_assert_eq(cs_profile_the_hour(sc, 0, subs), 0);
	close_scenario(sc);
	for (unsigned int i = 0; i < subs->n; i++)
		cr_assert_lt(subs->sub[i].end_ns, 3600 * SEC, "%s ends within the hour", subs->sub[i].label);
}

/* The subscribers of the hour whose state is read: one of each label, both SIMs of the phone. */
static unsigned int dumped_of_the_hour(const struct cs_profile_subs *subs, const struct cs_profile_sub **out)
{
	static const char *const labels[] = {
		"simbox", "normal_heavy", "gateway_rotation", "sms_flood", "chatty", "code_receiver", "code_person",
		"number_batch", "number_spread", "iot_voice", "iot_p2p_sms", "iot_imei_swap", "iot_handset_tac",
		"iot_meter",
	};
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		out[n++] = find(subs, labels[i]);
	for (unsigned int i = 0; i < subs->n; i++)
		if (strcmp(subs->sub[i].label, "phone_sim_change") == 0)
			out[n++] = &subs->sub[i];
	return n;
}

Test(profiles_traffic, the_hour_shows_what_each_profile_claims, .timeout = 90)
{
	static struct cs_profile_subs subs;
	const struct cs_profile_sub *dump[32];
	char path[128], line[4096], v[64];

	subs.n = 0;
	snprintf(path, sizeof(path), "%s/hour.pcap", out_dir);
	write_the_hour(path, &subs);
	unsigned int n = dumped_of_the_hour(&subs, dump);
	char *state = replay_dump(path, dump, n);

	/* SIM box: 36 MO calls to 30 numbers, 35 s on average, 1 MT, no data, one cell */
	state_of(state, find(&subs, "simbox")->imsi, line, sizeof(line));
	cr_expect_geq(num(line, "hour_window", "mo_calls"), 30);
	cr_expect_geq(num(line, "hour_window", "distinct_callees"), 25);
	cr_expect_leq(num(line, "hour_window", "mt_calls"), 2);
	cr_expect_eq(num(line, "hour_window", "mo_answered"), num(line, "hour_window", "mo_calls"));
	cr_expect_lt(num(line, "hour_window", "call_seconds"), 60 * num(line, "hour_window", "mo_answered"),
		     "mean duration under 60 s: %s", line);
	cr_expect_eq(num(line, "hour_window", "distinct_data_destinations"), 0);
	cr_expect_eq(num(line, "data", "kib_up") + num(line, "data", "kib_down"), 0);
	cr_expect_eq(num(line, "day_window", "distinct_cells"), 1);

	/* the heavy user: 18 MO calls to 8 numbers, long ones, 6 MT, browsing, three cells (handovers) */
	state_of(state, find(&subs, "normal_heavy")->imsi, line, sizeof(line));
	cr_expect(num(line, "hour_window", "mo_calls") >= 15 && num(line, "hour_window", "mo_calls") <= 20, "%s", line);
	cr_expect_leq(num(line, "hour_window", "distinct_callees"), 10);
	cr_expect_geq(num(line, "hour_window", "mt_calls"), 3);
	cr_expect_geq(num(line, "hour_window", "call_seconds"), 60 * num(line, "hour_window", "mo_answered"));
	cr_expect_eq(num(line, "hour_window", "distinct_data_destinations"), 12);
	cr_expect_gt(num(line, "data", "kib_down"), 0);
	cr_expect_eq(num(line, "day_window", "distinct_cells"), 3, "Modify Bearer's ULI moves the subscriber: %s", line);
	/* the latest cell is the last handover's: (r + 1) << 8 + 2 for range 2 */
	cr_expect(strstr(line, "\"kind\":\"ecgi\",\"id\":770}") != NULL, "%s", line);

	/* the gateway: ten SIMs through one IMEI within the day */
	state_of(state, find(&subs, "gateway_rotation")->imsi, line, sizeof(line));
	cr_expect_geq(num(line, "device", "distinct_imsis"), 8);
	cr_expect_eq(num(line, "device", "distinct_imsis"), 10);
	expect_str(line, "imei", find(&subs, "gateway_rotation")->imei);

	/* a phone whose SIM changed once: two SIMs, each bound to the phone */
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(dump[i]->label, "phone_sim_change") != 0)
			continue;
		state_of(state, dump[i]->imsi, line, sizeof(line));
		cr_expect_eq(num(line, "device", "distinct_imsis"), 2, "%s", line);
		expect_str(line, "bound_imei", dump[i]->imei);
		cr_expect_eq(num(line, "hour_window", "mo_calls"), 1);
	}

	/* the flood: 120 MO SMS to 100 recipients (a sketch past 32: an estimate) */
	state_of(state, find(&subs, "sms_flood")->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "hour_window", "mo_sms"), 120);
	cr_expect_geq(num(line, "hour_window", "distinct_sms_recipients"), 80);
	cr_expect_eq(num(line, "hour_window", "mo_calls"), 0);

	/* the chatty user: 30 to 5 friends, 10 replies */
	state_of(state, find(&subs, "chatty")->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "hour_window", "mo_sms"), 30);
	cr_expect_eq(num(line, "hour_window", "distinct_sms_recipients"), 5);
	cr_expect_eq(num(line, "hour_window", "mt_sms"), 10);

	/* codes: 12 short-code and named senders, no calls; the person: 3 among ordinary use */
	state_of(state, find(&subs, "code_receiver")->imsi, line, sizeof(line));
	cr_expect_geq(num(line, "day_window", "distinct_shortcode_senders"), 10);
	cr_expect_eq(num(line, "day_window", "distinct_shortcode_senders"), 12);
	cr_expect_eq(num(line, "day_window", "mo_calls"), 0);
	cr_expect_eq(num(line, "hour_window", "mt_sms"), 12);
	state_of(state, find(&subs, "code_person")->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "day_window", "distinct_shortcode_senders"), 3);
	cr_expect_eq(num(line, "day_window", "distinct_mt_senders"), 4, "3 codes and a friend: %s", line);
	cr_expect_eq(num(line, "day_window", "mo_calls"), 4);

	/* number blocks: 24 first activations in the hour; the control 5 */
	state_of(state, find(&subs, "number_batch")->imsi, line, sizeof(line));
	cr_expect_geq(num(line, "number_block", "first_activations_hour"), 20);
	cr_expect_eq(num(line, "number_block", "ever_active"), 24);
	state_of(state, find(&subs, "number_spread")->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "number_block", "first_activations_hour"), 5);

	/* IoT cards: 15-digit 1064 numbers; each shows its misuse, the meter none */
	state_of(state, find(&subs, "iot_voice")->imsi, line, sizeof(line));
	expect_str_prefix(line, "msisdn", "8610640");
	cr_expect_eq(num(line, "hour_window", "mo_calls"), 1);
	cr_expect_leq(num(line, "hour_window", "distinct_data_destinations"), 3);
	state_of(state, find(&subs, "iot_p2p_sms")->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "hour_window", "mo_sms"), 1);
	cr_expect_eq(num(line, "hour_window", "distinct_sms_recipients"), 1);
	state_of(state, find(&subs, "iot_imei_swap")->imsi, line, sizeof(line));
	expect_str(line, "bound_imei", find(&subs, "iot_imei_swap")->imei);
	cs_json_str(line, "imei", v, sizeof(v));
	cr_expect_str_neq(v, find(&subs, "iot_imei_swap")->imei, "in another device than its bound one: %s", line);
	cr_expect_eq(num(line, "day_window", "distinct_imeis"), 2);
	state_of(state, find(&subs, "iot_handset_tac")->imsi, line, sizeof(line));
	expect_str_prefix(line, "imei", "35332510");
	expect_str(line, "bound_imei", find(&subs, "iot_handset_tac")->imei);
	state_of(state, find(&subs, "iot_meter")->imsi, line, sizeof(line));
	expect_str_prefix(line, "imei", "86424010");
	expect_str(line, "bound_imei", find(&subs, "iot_meter")->imei);
	cr_expect_eq(num(line, "hour_window", "distinct_data_destinations"), 3);
	cr_expect_eq(num(line, "hour_window", "mo_calls") + num(line, "hour_window", "mo_sms"), 0);
	cr_expect_eq(num(line, "day_window", "distinct_imeis"), 1);
	cr_expect_gt(num(line, "data", "kib_up"), 0);
	free(state);

	/*
	 * Every MO call is its caller's: 37 + 24 (SIM box, heavy user), 20 + 2
	 * (gateway, phone), 4 (code person), 1 (IoT). The 7 without an IMSI
	 * are the MT calls from numbers no session carries.
	 */
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(LINES_WITH(cdr, "\"type\":\"call\""), 88);
	cr_expect_eq(LINES_WITH(cdr, "\"type\":\"call\"", "\"imsi\":\""), 81);
	/* the IoT cards' sessions on LTE-M (the swapped card has two), the one in a phone on E-UTRAN */
	cr_expect_eq(LINES_WITH(cdr, "\"type\":\"session\"", "\"rat\":\"LTE-M\""), 5);
	cr_expect_eq(LINES_WITH(cdr, "\"type\":\"session\"", "\"msisdn\":\"8610643", "\"rat\":\"EUTRAN\""), 1);
	free(cdr);
}

/* --- the long run ------------------------------------------------------ */

Test(profiles_traffic, the_long_run_keeps_day_0_and_spread_numbers, .timeout = 90)
{
	static struct cs_profile_subs subs;
	struct cs_profile_sleeper sleeper = { 0 };
	struct cs_profile_block block = { 0 };
	char path[128], line[4096];

	subs.n = 0;
	snprintf(path, sizeof(path), "%s/long.pcap", out_dir);
	struct cs_scen *sc = cs_scen_open(path, START_NS, 2);
	cr_assert_not_null(sc);
	cs_profile_ids_range(&sleeper.ids, 11);
	cr_assert_eq(cs_profile_sleeper(sc, &sleeper, 0, &subs), 0);
	cs_profile_ids_range(&block.ids, 12);
	cr_assert_eq(cs_profile_number_spread(sc, &block, 3600 * SEC, &subs), 0); /* one a day from 09:00, 20 days */
	close_scenario(sc);

	const struct cs_profile_sub *dump[] = { find(&subs, "sleeper"), find(&subs, "number_spread") };
	cr_expect_eq(dump[0]->onset_ns, 35 * 86400 * SEC);
	char *state = replay_dump(path, dump, 2);

	/* seen on day 0, then 24 MO events in the wake-up hour of day 35 (2026-02-09) */
	state_of(state, dump[0]->imsi, line, sizeof(line));
	expect_str_prefix(line, "first_seen", "2026-01-05T08:00:00");
	expect_str_prefix(line, "last_mo", "2026-02-09T08:");
	cr_expect_eq(num(line, "hour_window", "mo_calls"), 12);
	cr_expect_eq(num(line, "hour_window", "mo_sms"), 12);
	cr_expect_geq(num(line, "hour_window", "mo_calls") + num(line, "hour_window", "mo_sms"), 20);
	cr_expect_eq(num(line, "day_window", "mo_calls"), 12, "day 0's call is long gone: %s", line);

	/* 20 numbers of one block, each first seen on a day of its own */
	state_of(state, dump[1]->imsi, line, sizeof(line));
	cr_expect_eq(num(line, "number_block", "ever_active"), 20);
	cr_expect_eq(num(line, "number_block", "first_activations_hour"), 0);
	cr_expect_eq(num(line, "number_block", "first_activations_day"), 0);
	free(state);
}

/* --- the writer -------------------------------------------------------- */

/* A small script: two subscribers, a call that outlasts an SMS written after it, data, a handover. */
static void write_small(const char *path, uint64_t seed)
{
	struct cs_scen *sc = cs_scen_open(path, START_NS, seed);
	struct cs_scen_ue a = { 0 }, b = { 0 };
	const struct cs_scen_sim sa = { .imsi = "001019900000001", .msisdn = "8613999000001", .imei = "353325100000017" };
	const struct cs_scen_sim sb = { .imsi = "001019900000002", .msisdn = "8613999000002", .imei = "353325100000025" };
	const struct cs_scen_call call = { .caller = sa.msisdn, .callee = sb.msisdn, .outcome = CS_SCEN_ANSWERED,
					   .ring_ms = 3000, .duration_s = 120 };
	const struct cs_scen_call busy = { .caller = sb.msisdn, .callee = "8613800000009",
					   .outcome = CS_SCEN_REJECTED, .ring_ms = 1000 };
	const struct cs_scen_call gave_up = { .caller = sb.msisdn, .callee = "8613800000009",
					      .outcome = CS_SCEN_CANCELLED, .ring_ms = 8000 };

	cr_assert_not_null(sc);
	cs_scen_attach(sc, &a, &sa, (struct cs_scen_cell){ .tac = 1, .eci = 0x101 }, 0);
	cs_scen_attach(sc, &b, &sb, (struct cs_scen_cell){ .tac = 1, .eci = 0x102 }, SEC);
	cs_scen_call(sc, &call, 10 * SEC);
	cs_scen_sms_mo(sc, sb.msisdn, "8613800000009", NULL, 20 * SEC);
	cs_scen_sms_mt(sc, sb.msisdn, "VERIFY", true, "Your code is 123456", 30 * SEC);
	cs_scen_call(sc, &busy, 200 * SEC);
	cs_scen_call(sc, &gave_up, 220 * SEC);
	cs_scen_data(sc, &a, 0xcb007101u, 3000, 3000, 5 * SEC);
	cs_scen_move(sc, &a, (struct cs_scen_cell){ .tac = 2, .eci = 0x201 }, 60 * SEC);
	cs_scen_detach(sc, &a, 300 * SEC);
	close_scenario(sc);
}

/* Same script and seed, same bytes; another seed, other Call-IDs; frames in time order. */
Test(profiles_traffic, the_writer_is_deterministic_and_sorted)
{
	char p1[128], p2[128], p3[128];
	size_t n1, n2, n3;

	snprintf(p1, sizeof(p1), "%s/a.pcap", out_dir);
	snprintf(p2, sizeof(p2), "%s/b.pcap", out_dir);
	snprintf(p3, sizeof(p3), "%s/c.pcap", out_dir);
	write_small(p1, 7);
	write_small(p2, 7);
	write_small(p3, 8);
	char *b1 = cs_read_file(p1, &n1), *b2 = cs_read_file(p2, &n2), *b3 = cs_read_file(p3, &n3);
	cr_assert(b1 != NULL && b2 != NULL && b3 != NULL);
	cr_expect(n1 == n2 && memcmp(b1, b2, n1) == 0, "same seed, same bytes");
	cr_expect(n1 != n3 || memcmp(b1, b3, n1) != 0, "the seed changes the Call-IDs");

	/* classic pcap: 24-byte header, then per record 16 bytes (s, us, caplen, len) and the frame */
	uint64_t last = 0;
	size_t records = 0;
	for (size_t off = 24; off + 16 <= n1; records++) {
		const uint8_t *h = (const uint8_t *)b1 + off;
		uint32_t s = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
		uint32_t us = (uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
		uint32_t len = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 | (uint32_t)h[11] << 24;
		uint64_t t = (uint64_t)s * 1000000u + us;
		cr_assert_geq(t, last, "record %zu goes back in time", records);
		last = t;
		off += 16 + len;
	}
	/* 2 attaches (8), data 3+3, a call (6), 2 SMS (4), busy (4), cancelled (6), a move (2), a detach (2) */
	cr_expect_eq(records, 8 + 6 + 6 + 4 + 4 + 6 + 2 + 2);
	cr_expect_eq(last, (START_NS + 300 * SEC + 4000000) / 1000, "the detach's response is last");
	free(b1);
	free(b2);
	free(b3);
}

/* The call records of the small script: answered, rejected and cancelled, and the SMS both ways. */
Test(profiles_traffic, the_writers_calls_and_sms_are_records, .timeout = 60)
{
	char path[128];
	struct cs_run r;

	snprintf(path, sizeof(path), "%s/small.pcap", out_dir);
	write_small(path, 7);
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "profiles", "--out", out_dir,
			 path, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	cs_run_free(&r);
	char *cdr = out_file("cdr.jsonl");
	cr_expect_eq(LINES_WITH(cdr, "\"imsi\":\"001019900000001\",\"caller\":\"8613999000001\",\"callee\":\"8613999000002\","
				     "\"callee_imsi\":\"001019900000002\"",
				"\"duration_s\":120.000000,\"status\":200,\"outcome\":\"answered\",\"ended_by\":\"caller\""),
		     1, "%s", cdr);
	cr_expect_eq(LINES_WITH(cdr, "\"status\":486,\"outcome\":\"rejected\",\"ended_by\":\"callee\""), 1, "%s", cdr);
	cr_expect_eq(LINES_WITH(cdr, "\"status\":487,\"outcome\":\"cancelled\",\"ended_by\":\"caller\""), 1, "%s", cdr);
	cr_expect_eq(LINES_WITH(cdr, "\"direction\":\"mo\",\"imsi\":\"001019900000002\"", "\"recipient\":\"8613800000009\""),
		     1, "%s", cdr);
	cr_expect_eq(LINES_WITH(cdr, "\"direction\":\"mt\",\"imsi\":\"001019900000002\",\"originator\":\"VERIFY\","
				     "\"originator_alphanumeric\":true"),
		     1, "%s", cdr);
	/* the handover's Modify Bearer Request carried the new cell (TAC 2, ECI 0x201) into the session */
	cr_expect_eq(LINES_WITH(cdr, "\"imsi\":\"001019900000001\"",
				"\"location\":{\"mcc\":\"001\",\"mnc\":\"01\",\"tac\":2,\"eci\":513}",
				"\"end_reason\":\"deleted\"", "\"uplink\":{\"bytes\":3084,\"packets\":3}"),
		     1, "%s", cdr);
	free(cdr);
}

/* A step that cannot be written fails the scenario: close names the first problem. */
Test(profiles_traffic, a_bad_step_fails_the_scenario_at_close)
{
	char path[128], err[200];
	struct cs_scen_ue ue = { 0 };
	const struct cs_scen_sim bad = { .imsi = "0010", .msisdn = "8613999000001", .imei = "353325100000017" };

	snprintf(path, sizeof(path), "%s/bad.pcap", out_dir);
	struct cs_scen *sc = cs_scen_open(path, START_NS, 1);
	cr_assert_not_null(sc);
	cs_scen_attach(sc, &ue, &bad, (struct cs_scen_cell){ .tac = 1, .eci = 1 }, 0);
	cs_scen_sms_mt(sc, "8613999000001", "A NAME TOO LONG", true, NULL, SEC);
	cr_expect_eq(cs_scen_close(sc, err, sizeof(err)), -1);
	cr_expect(strstr(err, "attach of IMSI 0010") != NULL, "%s", err);
	cr_expect_null(cs_scen_open("/nonexistent/dir/x.pcap", START_NS, 1));
}
