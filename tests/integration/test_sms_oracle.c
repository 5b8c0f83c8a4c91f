/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Oracle for SMS records: cdrsentry's replay of tests/data/sms.pcap and
 * tshark's reading of the same capture agree on every SMS over IP in it.
 * For each MESSAGE carrying an RP-DATA, tshark gives the Call-ID, the
 * TPDU (TP-SUBMIT: MO, its recipient TP-DA; TP-DELIVER: MT, its sender
 * TP-OA, a number or a name by its type of number), the SMSC and the
 * frame's time; the record with that Call-ID must say the same, and
 * there is exactly one record per RP-DATA.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "run.h"

enum { MAX_SMS = 64, FIELD = 64 };

/* One RP-DATA as tshark reads it. */
struct rp_data {
	char call_id[FIELD];
	char time[FIELD]; /* as the records write it: 2026-01-05T08:01:17.020000Z */
	bool mo;          /* TP-MTI 01 SUBMIT; 00 DELIVER */
	char smsc[FIELD]; /* RP-DA of an MO, RP-OA of an MT */
	char party[FIELD]; /* TP-DA of an MO, TP-OA of an MT */
	bool alphanumeric; /* TP-OA type of number 101 */
	bool matched;
};

/* "1767600077.020000000" -> "2026-01-05T08:01:17.020000Z" */
static void iso_time(const char *epoch, char *out, size_t cap)
{
	char *frac;
	time_t sec = (time_t)strtoll(epoch, &frac, 10);
	struct tm utc;
	char date[32];

	cr_assert_eq(*frac, '.', "frame.time_epoch '%s'", epoch);
	cr_assert_not_null(gmtime_r(&sec, &utc));
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &utc);
	snprintf(out, cap, "%s.%.6sZ", date, frac + 1);
}

static void copy_field(char *dst, const char *src)
{
	cr_assert_lt(strlen(src), FIELD, "tshark field '%s'", src);
	strcpy(dst, src);
}

/* Every RP message tshark finds; those that are RP-DATA go to out. Returns how many RP-DATA. */
static int tshark_rp_data(const char *capture, struct rp_data *out)
{
	struct cs_run r;
	char *save = NULL;
	int n = 0;
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)capture, "-Y", "gsm_a.rp", "-T", "fields",
			 "-e", "frame.time_epoch", "-e", "sip.Method", "-e", "sip.Call-ID", "-e", "gsm_a.rp.msg_type",
			 "-e", "gsm_a.dtap.cld_party_bcd_num", "-e", "gsm_sms.tp-mti", "-e", "gsm_sms.tp-da",
			 "-e", "gsm_sms.tp-oa", "-e", "gsm_sms.dis_field_addr.num_type", NULL };

	cr_assert_eq(cs_run(argv, &r), 0, "cannot run tshark");
	cr_assert_eq(r.status, 0, "tshark: %s", r.err);
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[9];
		cr_assert_eq(cs_split_fields(line, '\t', f, 9), 9, "tshark line '%s'", line);
		unsigned long rp_mti = strtoul(f[3], NULL, 0);
		if (rp_mti > 1)
			continue; /* RP-ACK, RP-ERROR, RP-SMMA: no message of their own */
		cr_assert_lt(n, MAX_SMS);
		struct rp_data *d = &out[n++];
		cr_expect_str_eq(f[1], "MESSAGE", "an RP-DATA travels in a MESSAGE request: %s", f[2]);
		copy_field(d->call_id, f[2]);
		iso_time(f[0], d->time, sizeof(d->time));
		copy_field(d->smsc, f[4]);
		cr_assert(strcmp(f[5], "0") == 0 || strcmp(f[5], "1") == 0, "%s: TP-MTI '%s'", f[2], f[5]);
		d->mo = strcmp(f[5], "1") == 0;
		cr_expect_eq(d->mo, rp_mti == 0, "%s: a SUBMIT comes from the MS, a DELIVER from the network", f[2]);
		copy_field(d->party, d->mo ? f[6] : f[7]);
		d->alphanumeric = !d->mo && strtoul(f[8], NULL, 0) == 5;
	}
	cs_run_free(&r);
	return n;
}

/* The string value of "key" in a flat JSON record (the values compared here hold no escapes), or "". */
static void json_string(const char *line, const char *key, char *out, size_t cap)
{
	char pattern[64];

	snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
	const char *p = strstr(line, pattern);
	out[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(pattern);
	const char *end = strchr(p, '"');
	cr_assert_not_null(end, "%s", line);
	cr_assert_lt((size_t)(end - p), cap, "%s", line);
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
}

static void compare(const char *record, struct rp_data *tshark, int n)
{
	char call_id[FIELD * 2], value[FIELD * 2];
	struct rp_data *d = NULL;

	json_string(record, "call_id", call_id, sizeof(call_id));
	for (int i = 0; i < n; i++)
		if (strcmp(tshark[i].call_id, call_id) == 0)
			d = &tshark[i];
	cr_assert_not_null(d, "a record tshark has no RP-DATA for: %s", record);
	cr_expect_not(d->matched, "two records for one RP-DATA: %s", record);
	d->matched = true;

	json_string(record, "direction", value, sizeof(value));
	cr_expect_str_eq(value, d->mo ? "mo" : "mt", "%s", record);
	json_string(record, "time", value, sizeof(value));
	cr_expect_str_eq(value, d->time, "%s", record);
	json_string(record, "smsc", value, sizeof(value));
	cr_expect_str_eq(value, d->smsc, "%s", record);
	if (d->mo) {
		json_string(record, "recipient", value, sizeof(value));
		cr_expect_str_eq(value, d->party, "MO recipient is TP-DA: %s", record);
	} else {
		json_string(record, "originator", value, sizeof(value));
		cr_expect_str_eq(value, d->party, "MT originator is TP-OA: %s", record);
		cr_expect(strstr(record, d->alphanumeric ? "\"originator_alphanumeric\":true"
							 : "\"originator_alphanumeric\":false") != NULL,
			  "%s", record);
	}
}

static void validate(const char *schema_rel, const char *records)
{
	struct cs_run v;
	char *argv[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			 (char *)CS_SOURCE_PATH(schema_rel), (char *)records, NULL };

	cr_assert_eq(cs_run(argv, &v), 0);
	cr_expect_eq(v.status, 0, "%s against %s:\n%s%s", records, schema_rel, v.out, v.err);
	cs_run_free(&v);
}

Test(sms_oracle, sms_records_equal_tshark_rp_data, .timeout = 90)
{
	const char *capture = CS_SOURCE_PATH("tests/data/sms.pcap");
	struct rp_data tshark[MAX_SMS] = { 0 };
	char out[] = "/tmp/cs-sms-oracle.XXXXXX", path[96], rm[96];
	struct cs_run r;
	char *save = NULL;
	int records = 0, mo = 0, mt_alpha = 0, mt_number = 0;

	int n = tshark_rp_data(capture, tshark);
	for (int i = 0; i < n; i++) {
		mo += tshark[i].mo;
		mt_alpha += !tshark[i].mo && tshark[i].alphanumeric;
		mt_number += !tshark[i].mo && !tshark[i].alphanumeric;
	}
	/* the capture must hold each kind, or agreeing would prove little */
	cr_assert(mo > 0 && mt_alpha > 0 && mt_number > 0, "MO %d, MT from a name %d, MT from a number %d", mo,
		  mt_alpha, mt_number);

	cr_assert_not_null(mkdtemp(out));
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--out", out, (char *)capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	snprintf(path, sizeof(path), "%s/cdr.jsonl", out);
	char *cdr = cs_read_file(path, NULL);
	cr_assert_not_null(cdr);

	snprintf(path, sizeof(path), "%s/sms.jsonl", out);
	FILE *sms = fopen(path, "w");
	cr_assert_not_null(sms);
	for (char *line = strtok_r(cdr, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"type\":\"sms\",", strlen("{\"type\":\"sms\",")) != 0)
			continue;
		fprintf(sms, "%s\n", line);
		compare(line, tshark, n);
		records++;
	}
	cr_assert_eq(fclose(sms), 0);
	cr_expect_eq(records, n, "SMS records: %d, RP-DATA messages tshark reads: %d", records, n);
	for (int i = 0; i < n; i++)
		cr_expect(tshark[i].matched, "no record for the RP-DATA in %s", tshark[i].call_id);
	validate("schemas/sms.schema.json", path);

	free(cdr);
	cs_run_free(&r);
	snprintf(rm, sizeof(rm), "rm -rf %s", out);
	cr_expect_eq(system(rm), 0);
}
