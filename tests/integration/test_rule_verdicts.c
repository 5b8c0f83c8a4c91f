/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The default rules' verdicts on real traffic: every behaviour profile of
 * bench/gen/profiles.h is written into a capture, replayed through
 * `cdrsentry replay` with the built-in rule defaults and the shipped
 * number plans (tests/data/config/shipped-plans.yaml), and anomalies.jsonl
 * must flag each abnormal profile with its rule, within the rule's window
 * of its onset, and never name a normal one. This is issue 5's list of
 * behaviours the defaults must separate.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "profiles.h"
#include "run.h"

static const uint64_t START_NS = 1767600000ull * 1000000000ull; /* 2026-01-05T08:00:00Z */
static const uint64_t SEC = 1000000000ull;

static char out_dir[CS_TEMP_DIR_LEN];

static void make_out_dir(void)
{
	cs_temp_dir(out_dir, "verdicts");
}

static void remove_out_dir(void)
{
	cs_remove_tree(out_dir);
}

TestSuite(rule_verdicts, .init = make_out_dir, .fini = remove_out_dir);

static char *out_file(const char *name)
{
	return cs_read_output(out_dir, name);
}

/* Replays capture with the shipped plans; returns anomalies.jsonl (free it). */
static char *replay(const char *capture)
{
	struct cs_run r;
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "verdicts", "--config",
			 (char *)CS_SOURCE_PATH("tests/data/config/shipped-plans.yaml"), "--out", out_dir,
			 (char *)capture, NULL };

	cr_assert_eq(cs_run(argv, &r), 0, "cannot run %s", argv[0]);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	cs_run_free(&r);
	return out_file("anomalies.jsonl");
}

/* Every anomaly against schemas/anomaly.schema.json, with a real validator. */
static void validate_anomalies(void)
{
	char path[128];
	struct cs_run v;

	snprintf(path, sizeof(path), "%s/anomalies.jsonl", out_dir);
	char *argv[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			 (char *)CS_SOURCE_PATH("schemas/anomaly.schema.json"), path, NULL };
	cr_assert_eq(cs_run(argv, &v), 0);
	cr_expect_eq(v.status, 0, "anomalies.jsonl against anomaly.schema.json:\n%s%s", v.out, v.err);
	cs_run_free(&v);
}

/* The lines of text that hold every needle; the first such line in *first (may be NULL). */
static int lines_with(const char *text, const char *const *needles, const char **first)
{
	int n = 0;

	for (const char *line = text; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		bool all = true;
		for (const char *const *k = needles; *k != NULL && all; k++)
			all = memmem(line, len, *k, strlen(*k)) != NULL;
		if (all && n++ == 0 && first != NULL)
			*first = line;
		line += len + (line[len] == '\n');
	}
	return n;
}

static int anomalies_of(const char *anomalies, const char *field, const char *value, const char *rule,
			const char **first)
{
	char who[64], what[64];

	snprintf(who, sizeof(who), "\"%s\":\"%s\"", field, value);
	snprintf(what, sizeof(what), "\"rule\":\"%s\"", rule);
	return lines_with(anomalies, (const char *const[]){ who, rule != NULL ? what : NULL, NULL }, first);
}

/* Seconds since the Unix epoch of the anomaly line's "time" (RFC 3339 UTC). */
static uint64_t time_of(const char *line)
{
	struct tm tm = { 0 };
	const char *t = strstr(line, "\"time\":\"");

	cr_assert_not_null(t);
	cr_assert_not_null(strptime(t + 8, "%Y-%m-%dT%H:%M:%S", &tm));
	return (uint64_t)timegm(&tm);
}

static const struct cs_profile_sub *find(const struct cs_profile_subs *subs, const char *label)
{
	const struct cs_profile_sub *s = cs_profile_find(subs, label);

	cr_assert_not_null(s, "no %s subscriber", label);
	return s;
}

/*
 * The subscriber of label is flagged by rule, once (the cooldown holds the
 * rest of its behaviour back), within window_s of its onset.
 */
static void expect_flagged(const char *anomalies, const struct cs_profile_subs *subs, const char *label,
			   const char *rule, uint64_t window_s)
{
	const struct cs_profile_sub *s = find(subs, label);
	const char *line = NULL;

	cr_expect_eq(anomalies_of(anomalies, "imsi", s->imsi, rule, &line), 1, "%s (%s) by %s:\n%s", label, s->imsi,
		     rule, anomalies);
	if (line == NULL)
		return;
	uint64_t onset_s = (START_NS + s->onset_ns) / SEC, at = time_of(line);
	cr_expect(at >= onset_s && at - onset_s < window_s, "%s flagged %llu s after its onset: %.300s", label,
		  (unsigned long long)(at - onset_s), line);
}

/* No anomaly names any subscriber of label. */
static void expect_clean(const char *anomalies, const struct cs_profile_subs *subs, const char *label)
{
	for (unsigned int i = 0; i < subs->n; i++) {
		if (strcmp(subs->sub[i].label, label) != 0)
			continue;
		const char *line = NULL;
		cr_expect_eq(anomalies_of(anomalies, "imsi", subs->sub[i].imsi, NULL, &line), 0, "%s (%s): %.400s",
			     label, subs->sub[i].imsi, line != NULL ? line : "");
	}
}

/* Every profile that lives within an hour (cs_profile_the_hour), in one capture starting on the hour. */
static void write_the_hour(const char *path, struct cs_profile_subs *subs)
{
	struct cs_scen *sc = cs_scen_open(path, START_NS, 1);
	char err[200];

	cr_assert_not_null(sc);
	cr_assert_eq(cs_profile_the_hour(sc, 0, subs), 0);
	cr_assert_eq(cs_scen_close(sc, err, sizeof(err)), 0, "scenario: %s", err);
}

Test(rule_verdicts, the_defaults_separate_every_profile_of_the_hour, .timeout = 120)
{
	static struct cs_profile_subs subs;
	char path[128];
	const char *line = NULL;

	subs.n = 0;
	snprintf(path, sizeof(path), "%s/hour.pcap", out_dir);
	write_the_hour(path, &subs);
	char *a = replay(path);
	validate_anomalies();

	/* flagged, each within its rule's own window of the onset */
	expect_flagged(a, &subs, "simbox", "simbox.fanout", 3600);
	expect_flagged(a, &subs, "sms_flood", "sms.flood", 3600);
	expect_flagged(a, &subs, "code_receiver", "card.code_receiver", 86400);
	expect_flagged(a, &subs, "iot_voice", "iot.voice_sms", 3600);
	expect_flagged(a, &subs, "iot_p2p_sms", "iot.voice_sms", 3600);
	expect_flagged(a, &subs, "iot_imei_swap", "iot.imei_binding", 86400);
	expect_flagged(a, &subs, "iot_handset_tac", "iot.imei_binding", 86400);

	/* the gateway: one anomaly of its device, listing SIMs it carried */
	const struct cs_profile_sub *gw = find(&subs, "gateway_rotation");
	cr_expect_eq(anomalies_of(a, "imei", gw->imei, "simbox.imei_rotation", &line), 1, "%s", a);
	if (line != NULL) {
		cr_expect(strstr(line, "\"subject\":\"device\"") != NULL, "%.400s", line);
		cr_expect(strstr(line, "\"member_imsis\":[") != NULL, "%.400s", line);
		cr_expect(strstr(line, "\"counter\":\"device_distinct_imsis\",\"value\":8,") != NULL,
			  "the 8th SIM trips it: %.600s", line);
	}

	/* the batch: one anomaly of its block, listing the numbers first active in the hour */
	const struct cs_profile_sub *batch = find(&subs, "number_batch");
	char block[16];
	snprintf(block, sizeof(block), "%.*s", (int)strlen(batch->msisdn) - 3, batch->msisdn);
	line = NULL;
	cr_expect_eq(anomalies_of(a, "number_block", block, "numblock.batch", &line), 1, "%s", a);
	if (line != NULL) {
		cr_expect(strstr(line, batch->msisdn) != NULL, "its first number is a member: %.600s", line);
		cr_expect(strstr(line, "\"counter\":\"first_activations\",\"value\":20,") != NULL, "%.600s", line);
	}

	/* never flagged */
	expect_clean(a, &subs, "normal_heavy");
	expect_clean(a, &subs, "phone_sim_change");
	expect_clean(a, &subs, "chatty");
	expect_clean(a, &subs, "code_person");
	expect_clean(a, &subs, "iot_meter");
	expect_clean(a, &subs, "number_spread");
	const struct cs_profile_sub *phone = find(&subs, "phone_sim_change");
	cr_expect_eq(anomalies_of(a, "imei", phone->imei, "simbox.imei_rotation", NULL), 0, "%s", a);
	const struct cs_profile_sub *spread = find(&subs, "number_spread");
	snprintf(block, sizeof(block), "%.*s", (int)strlen(spread->msisdn) - 3, spread->msisdn);
	cr_expect_eq(anomalies_of(a, "number_block", block, NULL, NULL), 0, "%s", a);

	/* the SIM box went on calling past the threshold: held back by the cooldown, and counted */
	char *stats = out_file("stats.json");
	cr_expect(strstr(stats, "\"anomalies_suppressed\":0,") == NULL, "%s", stats);
	free(stats);
	free(a);
}

Test(rule_verdicts, a_sleeper_waking_after_a_silent_month, .timeout = 120)
{
	static struct cs_profile_subs subs;
	struct cs_profile_sleeper sleeper = { 0 };
	char path[128], err[200];

	subs.n = 0;
	snprintf(path, sizeof(path), "%s/sleeper.pcap", out_dir);
	struct cs_scen *sc = cs_scen_open(path, START_NS, 1);
	cr_assert_not_null(sc);
	cs_profile_ids_range(&sleeper.ids, 11);
	cr_assert_eq(cs_profile_sleeper(sc, &sleeper, 0, &subs), 0);
	cr_assert_eq(cs_scen_close(sc, err, sizeof(err)), 0, "scenario: %s", err);
	char *a = replay(path);
	validate_anomalies();

	expect_flagged(a, &subs, "sleeper", "card.sleeper_wakeup", 3600);
	const char *line = NULL;
	anomalies_of(a, "imsi", find(&subs, "sleeper")->imsi, "card.sleeper_wakeup", &line);
	if (line != NULL)
		cr_expect(strstr(line, "\"counter\":\"silent_days\",\"value\":3") != NULL, "35 silent days: %.600s",
			  line);
	free(a);
}

/* The same silence with fewer MO events after it: a card coming back to ordinary use. */
Test(rule_verdicts, a_card_back_from_a_holiday_is_not_a_sleeper, .timeout = 120)
{
	static struct cs_profile_subs subs;
	struct cs_profile_sleeper back = { .wake_calls = 4, .wake_sms = 6 };
	char path[128], err[200];

	subs.n = 0;
	snprintf(path, sizeof(path), "%s/holiday.pcap", out_dir);
	struct cs_scen *sc = cs_scen_open(path, START_NS, 1);
	cr_assert_not_null(sc);
	cs_profile_ids_range(&back.ids, 12);
	cr_assert_eq(cs_profile_sleeper(sc, &back, 0, &subs), 0);
	cr_assert_eq(cs_scen_close(sc, err, sizeof(err)), 0, "scenario: %s", err);
	char *a = replay(path);

	expect_clean(a, &subs, "sleeper");
	free(a);
}
