/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An anomaly as export writes it (control/anomaly_json.h): the JSON text,
 * its id (a deterministic UUID version 8) and its Kafka key, and the
 * records checked against schemas/anomaly.schema.json.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "anomaly_json.h"
#include "json_writer.h"
#include "run.h"

static const uint64_t S = 1000000000ull;
/* 2026-01-05T08:00:00Z */
static const uint64_t T0 = 1767600000ull * 1000000000ull;
/* MCC 001, MNC 01, ECGI, ECI 0x1234567 (cell_state.h) */
static const uint64_t CELL = 0x00101f1001234567ull;

static cs_digits d(const char *s)
{
	return cs_digits_from_ascii(s, strlen(s));
}

/* A subscriber anomaly as the worker hands it to export (rule_check.c fills, the worker grades). */
static struct cs_rec_anomaly subscriber_anomaly(void)
{
	struct cs_rec_anomaly a;

	memset(&a, 0, sizeof(a));
	a.h.ts_ns = T0;
	a.rule = CS_RULE_SIMBOX_FANOUT;
	a.severity = CS_SEV_CRITICAL;
	a.subject = CS_SUBJECT_SUBSCRIBER;
	a.occurrence = 2;
	a.window_s = 3600;
	a.score = 55;
	a.subject_key = a.imsi = d("460001234567890");
	a.msisdn = d("8613800138000");
	a.imei = d("353325108224654");
	a.bound_imei = d("353325109999991");
	a.cell = CELL;
	cs_anomaly_evidence(&a, CS_C_MO_CALLS, CS_AT_LEAST, 31, 30, false);
	cs_anomaly_evidence(&a, CS_C_DISTINCT_CALLEES, CS_AT_LEAST, 33, 25, true);
	cs_anomaly_evidence(&a, CS_C_MEAN_CALL_S, CS_BELOW, 41, 60, false);
	return a;
}

static cs_digits sim(unsigned int n)
{
	char s[16];

	snprintf(s, sizeof(s), "4600012%08u", n);
	return d(s);
}

/* A device anomaly: no subscriber identities, the device's SIMs as members. */
static struct cs_rec_anomaly device_anomaly(void)
{
	struct cs_rec_anomaly a;

	memset(&a, 0, sizeof(a));
	a.h.ts_ns = T0 + 600 * S;
	a.rule = CS_RULE_SIMBOX_IMEI_ROTATION;
	a.severity = CS_SEV_HIGH;
	a.subject = CS_SUBJECT_DEVICE;
	a.occurrence = 1;
	a.window_s = 86400;
	a.score = 40;
	a.subject_key = a.imei = d("862030030000017");
	a.imsi = a.msisdn = a.bound_imei = CS_DIGITS_NONE;
	cs_anomaly_evidence(&a, CS_C_DEVICE_IMSIS, CS_AT_LEAST, 3, 8, false);
	for (unsigned int i = 0; i < 3; i++)
		a.members[a.nmembers++] = sim(7 - i);
	return a;
}

/* A number block anomaly: the block's prefix, its new numbers as members. */
static struct cs_rec_anomaly block_anomaly(void)
{
	struct cs_rec_anomaly a;

	memset(&a, 0, sizeof(a));
	a.h.ts_ns = T0 + 1300 * S;
	a.rule = CS_RULE_NUMBLOCK_BATCH;
	a.severity = CS_SEV_HIGH;
	a.subject = CS_SUBJECT_BLOCK;
	a.occurrence = 1;
	a.window_s = 3600;
	a.score = 45;
	a.subject_key = d("447700900");
	a.imsi = a.msisdn = a.imei = a.bound_imei = CS_DIGITS_NONE;
	cs_anomaly_evidence(&a, CS_C_FIRST_ACTIVATIONS, CS_AT_LEAST, 20, 20, false);
	a.members[a.nmembers++] = d("447700900007");
	a.members[a.nmembers++] = d("447700900157");
	return a;
}

static int format(const struct cs_rec_anomaly *a, const char *probe, char *buf, size_t cap)
{
	struct cs_json w;

	cs_json_init(&w, buf, cap);
	cs_anomaly_json(&w, a, probe);
	return cs_json_finish(&w);
}

/* The whole record of a subscriber anomaly, field for field and in order ("type" first). */
Test(anomaly_json, a_subscriber_anomaly_has_the_documented_fields)
{
	const struct cs_rec_anomaly a = subscriber_anomaly();
	char buf[4096], want[4096], id[CS_ANOMALY_ID_LEN + 1];

	cs_anomaly_id(&a, "probe-1", id);
	snprintf(want, sizeof(want),
		 "{\"type\":\"anomaly\",\"schema_version\":1,\"probe_id\":\"probe-1\",\"id\":\"%s\","
		 "\"time\":\"2026-01-05T08:00:00.000000Z\",\"rule\":\"simbox.fanout\",\"description\":\"%s\","
		 "\"severity\":\"critical\",\"occurrence\":2,\"score\":55,\"subject\":\"subscriber\","
		 "\"imsi\":\"460001234567890\",\"msisdn\":\"8613800138000\",\"imei\":\"353325108224654\","
		 "\"bound_imei\":\"353325109999991\","
		 "\"cell\":{\"mcc\":\"001\",\"mnc\":\"01\",\"kind\":\"ecgi\",\"id\":19088743},"
		 "\"window\":{\"start\":\"2026-01-05T07:00:00.000000Z\",\"end\":\"2026-01-05T08:00:00.000000Z\","
		 "\"length_s\":3600},"
		 "\"evidence\":[{\"counter\":\"mo_calls\",\"value\":31,\"op\":\">=\",\"threshold\":30},"
		 "{\"counter\":\"distinct_callees\",\"value\":33,\"op\":\">=\",\"threshold\":25,\"lower_bound\":true},"
		 "{\"counter\":\"mean_call_duration_s\",\"value\":41,\"op\":\"<\",\"threshold\":60}]}",
		 id, cs_rule_description(CS_RULE_SIMBOX_FANOUT));
	cr_assert_eq(format(&a, "probe-1", buf, sizeof(buf)), (int)strlen(want), "%s", buf);
	cr_expect_str_eq(buf, want);
}

/* bound_imei is written only when it differs from imei; unknown identities and no cell are left out. */
Test(anomaly_json, optional_fields_are_left_out)
{
	struct cs_rec_anomaly a = subscriber_anomaly();
	char buf[4096];

	a.bound_imei = a.imei;
	a.msisdn = CS_DIGITS_NONE;
	a.cell = 0;
	cr_assert_gt(format(&a, "p", buf, sizeof(buf)), 0);
	cr_expect_null(strstr(buf, "\"bound_imei\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"msisdn\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"cell\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"member_"), "%s", buf);
	cr_expect_null(strstr(buf, "\"number_block\""), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"imei\":\"353325108224654\""), "%s", buf);
}

/* A device anomaly: subject "device", the IMEI, no subscriber, the SIMs as member_imsis in their order. */
Test(anomaly_json, a_device_anomaly_lists_member_imsis)
{
	const struct cs_rec_anomaly a = device_anomaly();
	char buf[4096];

	cr_assert_gt(format(&a, "p", buf, sizeof(buf)), 0);
	cr_expect_not_null(strstr(buf, "\"rule\":\"simbox.imei_rotation\""), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"subject\":\"device\",\"imei\":\"862030030000017\","), "%s", buf);
	cr_expect_not_null(
		strstr(buf, "\"member_imsis\":[\"460001200000007\",\"460001200000006\",\"460001200000005\"]}"), "%s",
		buf);
	cr_expect_null(strstr(buf, "\"imsi\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"bound_imei\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"member_msisdns\""), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"window\":{\"start\":\"2026-01-04T08:10:00.000000Z\","
				       "\"end\":\"2026-01-05T08:10:00.000000Z\",\"length_s\":86400}"),
			   "%s", buf);
}

/* A block anomaly: subject "number_block", the block's prefix, its numbers as member_msisdns. */
Test(anomaly_json, a_block_anomaly_lists_member_msisdns)
{
	const struct cs_rec_anomaly a = block_anomaly();
	char buf[4096];

	cr_assert_gt(format(&a, "p", buf, sizeof(buf)), 0);
	cr_expect_not_null(strstr(buf, "\"subject\":\"number_block\",\"number_block\":\"447700900\","), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"member_msisdns\":[\"447700900007\",\"447700900157\"]}"), "%s", buf);
	cr_expect_null(strstr(buf, "\"imsi\""), "%s", buf);
	cr_expect_null(strstr(buf, "\"member_imsis\""), "%s", buf);
}

/* ---- the id ---- */

static void expect_uuid_v8(const char *id)
{
	regex_t re;

	cr_assert_eq(regcomp(&re, "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
			     REG_EXTENDED | REG_NOSUB),
		     0);
	cr_expect_eq(strlen(id), CS_ANOMALY_ID_LEN, "%s", id);
	cr_expect_eq(regexec(&re, id, 0, NULL, 0), 0, "not a UUID version 8: %s", id);
	regfree(&re);
}

static void id_of(const struct cs_rec_anomaly *a, const char *probe, char out[CS_ANOMALY_ID_LEN + 1])
{
	memset(out, '#', CS_ANOMALY_ID_LEN + 1);
	cs_anomaly_id(a, probe, out);
}

/* Every id is a version-8 UUID with the RFC 9562 variant, whatever the hash gave (many inputs). */
Test(anomaly_json, id_is_a_version_8_uuid)
{
	struct cs_rec_anomaly a = subscriber_anomaly();
	char id[CS_ANOMALY_ID_LEN + 1];

	for (unsigned int i = 0; i < 2000; i++) {
		a.h.ts_ns = T0 + i * 7919 * S / 1000;
		a.rule = (uint8_t)(i % CS_RULES);
		id_of(&a, "probe-1", id);
		expect_uuid_v8(id);
	}
}

/*
 * The same anomaly gives the same id (a replay's duplicates can be
 * dropped by id); another probe, rule, subject or trip time another id.
 */
Test(anomaly_json, id_is_deterministic_and_tells_anomalies_apart)
{
	const struct cs_rec_anomaly base = subscriber_anomaly();
	char id[CS_ANOMALY_ID_LEN + 1], again[CS_ANOMALY_ID_LEN + 1], other[CS_ANOMALY_ID_LEN + 1];
	struct cs_rec_anomaly a;

	id_of(&base, "probe-1", id);
	a = base;
	id_of(&a, "probe-1", again);
	cr_expect_str_eq(id, again);

	id_of(&base, "probe-2", other);
	cr_expect_str_neq(id, other, "another probe");
	a = base;
	a.rule = CS_RULE_CALL_SEQUENTIAL;
	id_of(&a, "probe-1", other);
	cr_expect_str_neq(id, other, "another rule");
	a = base;
	a.subject_key = a.imsi = d("460001234567891");
	id_of(&a, "probe-1", other);
	cr_expect_str_neq(id, other, "another subscriber");
	a = base;
	a.subject = CS_SUBJECT_DEVICE;
	id_of(&a, "probe-1", other);
	cr_expect_str_neq(id, other, "another kind of subject with the same key");
	a = base;
	a.h.ts_ns += 1000;
	id_of(&a, "probe-1", other);
	cr_expect_str_neq(id, other, "another trip time (1 us later)");
}

/* ---- the Kafka key ---- */

Test(anomaly_json, key_is_the_imsi_the_imei_or_the_block)
{
	const struct cs_rec_anomaly sub = subscriber_anomaly(), dev = device_anomaly(), blk = block_anomaly();

	cr_expect_eq(cs_anomaly_key(&sub), d("460001234567890"));
	cr_expect_eq(cs_anomaly_key(&dev), d("862030030000017"));
	cr_expect_eq(cs_anomaly_key(&blk), d("447700900"));
}

/* ---- against the schema ---- */

/*
 * One anomaly per rule, as its check shapes it (subject, members), with
 * every severity and every evidence counter between them, plus the three
 * above: every name the code writes must be one the schema lists.
 */
Test(anomaly_json, records_validate_against_the_schema, .timeout = 30)
{
	char path[] = "/tmp/cs-anomaly-json.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	cr_assert_not_null(f);
	char buf[8192];
	const struct cs_rec_anomaly fixed[] = { subscriber_anomaly(), device_anomaly(), block_anomaly() };
	unsigned int counter = 0;

	for (unsigned int i = 0; i < 3; i++) {
		cr_assert_gt(format(&fixed[i], "probe-1", buf, sizeof(buf)), 0);
		fprintf(f, "%s\n", buf);
	}
	for (unsigned int r = 0; r < CS_RULES; r++) {
		struct cs_rec_anomaly a = subscriber_anomaly();
		a.rule = (uint8_t)r;
		a.subject = (uint8_t)cs_rule_subject((enum cs_rule)r);
		a.severity = (uint8_t)(r % CS_SEVERITIES);
		a.occurrence = (uint8_t)(r == 0 ? 255 : 1);
		a.h.ts_ns = T0 + r * S;
		a.nevidence = 0;
		for (unsigned int k = 0; k < 2; k++, counter++)
			cs_anomaly_evidence(&a, (enum cs_counter)(counter % CS_COUNTERS),
					    (enum cs_compare)(CS_AT_LEAST + counter % 3), counter, 10, counter % 2);
		if (a.subject != CS_SUBJECT_SUBSCRIBER) {
			a.imsi = a.msisdn = a.bound_imei = CS_DIGITS_NONE;
			a.cell = 0;
			a.subject_key = a.subject == CS_SUBJECT_DEVICE ? a.imei : d("447700900");
			for (unsigned int m = 0; m < CS_ANOMALY_MEMBERS_MAX; m++)
				a.members[a.nmembers++] = sim(m);
		}
		cr_assert_gt(format(&a, "probe-1", buf, sizeof(buf)), 0, "%s", cs_rule_name((enum cs_rule)r));
		fprintf(f, "%s\n", buf);
	}
	cr_assert_geq(counter, CS_COUNTERS, "every counter name written");
	cr_assert_eq(fclose(f), 0);

	struct cs_run v;
	char *argv[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			 (char *)CS_SOURCE_PATH("schemas/anomaly.schema.json"), path, NULL };
	cr_assert_eq(cs_run(argv, &v), 0);
	cr_expect_eq(v.status, 0, "%s against schemas/anomaly.schema.json:\n%s%s", path, v.out, v.err);
	cs_run_free(&v);
	unlink(path);
}
