/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Oracle for call CDRs: for every INVITE dialog tshark finds in a capture,
 * cdrsentry writes exactly one call record, with tshark's Call-ID, the
 * final response tshark saw, the outcome those messages imply, and the
 * caller and callee as tshark decodes them (normalised: "+" or an "00"
 * international prefix dropped; non-numeric users give no number).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "run.h"

enum { MAX_CALLS = 64 };

struct expected {
	char call_id[128];
	char caller[32], callee[32];
	int final_status; /* last final response to the INVITE, 401/407 only if nothing else */
	int cancelled, answered;
};

static void number(const char *user, char *out, size_t cap)
{
	const char *p = user[0] == '+' ? user + 1 : user;

	out[0] = '\0';
	for (const char *q = p; *q != '\0'; q++)
		if (!isdigit((unsigned char)*q))
			return;
	if (user[0] != '+' && strncmp(p, "00", 2) == 0)
		p += 2;
	snprintf(out, cap, "%s", p);
}

static struct expected *find(struct expected *calls, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(calls[i].call_id, id) == 0)
			return &calls[i];
	return NULL;
}

/* tshark's view of the INVITE dialogs: method or status, Call-ID, CSeq method, users. */
static int tshark_calls(const char *capture, struct expected *calls)
{
	struct cs_run r;
	int n = 0;
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)capture, "-Y", "sip", "-T", "fields", "-E", "separator=|",
			 "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.Call-ID", "-e", "sip.CSeq.method",
			 "-e", "sip.from.user", "-e", "sip.r-uri.user", NULL };

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[6];
		cr_assert_eq(cs_split_fields(line, '|', f, 6), 6, "tshark line '%s'", line);
		struct expected *c = find(calls, n, f[2]);
		if (strcmp(f[0], "INVITE") == 0 && c == NULL) {
			cr_assert_lt(n, MAX_CALLS);
			c = &calls[n++];
			memset(c, 0, sizeof(*c));
			snprintf(c->call_id, sizeof(c->call_id), "%s", f[2]);
			number(f[4], c->caller, sizeof(c->caller));
			number(f[5], c->callee, sizeof(c->callee));
		}
		if (c == NULL)
			continue;
		if (strcmp(f[0], "CANCEL") == 0)
			c->cancelled = 1;
		int status = atoi(f[1]);
		if (status >= 200 && strcmp(f[3], "INVITE") == 0) {
			int challenge = status == 401 || status == 407;
			if (!challenge || c->final_status == 0 || c->final_status == 401 || c->final_status == 407)
				c->final_status = status;
			if (status < 300)
				c->answered = 1;
		}
	}
	cs_run_free(&r);
	return n;
}

static const char *expected_outcome(const struct expected *c)
{
	if (c->answered)
		return "answered";
	if (c->cancelled)
		return "cancelled";
	return c->final_status >= 300 ? "rejected" : "timeout";
}

static void check_capture(const char *rel)
{
	struct expected calls[MAX_CALLS];
	char out[] = "/tmp/cs-calls.XXXXXX", path[64], field[256];
	const char *capture = CS_SOURCE_PATH(rel);
	struct cs_run r;

	int n = tshark_calls(capture, calls);
	cr_assert_gt(n, 0, "%s: tshark found no INVITE", rel);
	cr_assert_not_null(mkdtemp(out));
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--out", out, (char *)capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(path, sizeof(path), "%s/cdr.jsonl", out);
	char *cdr = cs_read_file(path, NULL);
	cr_assert_not_null(cdr);

	int records = cs_count(cdr, "{\"type\":\"call\",");
	cr_expect_eq(records, n, "%s: %d call records for %d INVITE dialogs", rel, records, n);
	for (int i = 0; i < n; i++) {
		const struct expected *c = &calls[i];
		snprintf(field, sizeof(field), "\"call_id\":\"%s\"", c->call_id);
		const char *rec = strstr(cdr, field);
		cr_assert_not_null(rec, "%s: no record for Call-ID %s", rel, c->call_id);
		const char *end = strchr(rec, '\n');
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)(end != NULL ? end - rec : (long)strlen(rec)), rec);
		snprintf(field, sizeof(field), "\"outcome\":\"%s\"", expected_outcome(c));
		cr_expect(strstr(line, field) != NULL, "%s %s: want %s in %s", rel, c->call_id, field, line);
		if (c->final_status != 0) {
			snprintf(field, sizeof(field), "\"status\":%d,", c->final_status);
			cr_expect(strstr(line, field) != NULL, "%s %s: want %s in %s", rel, c->call_id, field, line);
		}
		if (c->callee[0] != '\0') {
			snprintf(field, sizeof(field), "\"callee\":\"%s\"", c->callee);
			cr_expect(strstr(line, field) != NULL, "%s %s: want %s in %s", rel, c->call_id, field, line);
		}
		if (c->caller[0] != '\0') {
			snprintf(field, sizeof(field), "\"caller\":\"%s\"", c->caller);
			cr_expect(strstr(line, field) != NULL, "%s %s: want %s in %s", rel, c->call_id, field, line);
		} else {
			cr_expect(strstr(line, "\"caller\":") == NULL, "%s: a non-numeric caller has no number: %s", rel, line);
		}
	}
	free(cdr);
	cs_run_free(&r);
	snprintf(path, sizeof(path), "rm -rf %s", out);
	cr_expect_eq(system(path), 0);
}

Test(call_oracle, third_party_capture, .timeout = 60)
{
	check_capture("tests/data/zeek-wireshark.pcap");
}

Test(call_oracle, generated_capture, .timeout = 60)
{
	check_capture("tests/data/sample.pcap");
}
