/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Oracle for session CDRs: the bytes and packets each session record
 * carries per direction equal what tshark counts per GTP-U TEID in the
 * same capture. The generator gives subscriber i the S1-U SGW TEID
 * 0x40000000 + i (uplink) and the eNodeB TEID 0x30000000 + i (downlink),
 * and the IMSI 00101 followed by 1000000 + i (bench/gen/gen_main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "run.h"

enum { SUBSCRIBERS = 16 };

struct counts {
	unsigned long long bytes, packets;
};

/* tshark: per G-PDU its TEID and the inner IP total length (the second ip.len). */
static void tshark_per_teid(struct counts up[SUBSCRIBERS], struct counts down[SUBSCRIBERS])
{
	struct cs_run r;
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)CS_SOURCE_PATH("tests/data/sample.pcap"), "-Y",
			 "gtp.message == 0xff", "-T", "fields", "-e", "gtp.teid", "-e", "ip.len", NULL };

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		unsigned int teid, outer, inner;
		cr_assert_eq(sscanf(line, "%x\t%u,%u", &teid, &outer, &inner), 3, "tshark line: %s", line);
		unsigned int i = teid & 0xffff;
		cr_assert_lt(i, SUBSCRIBERS);
		struct counts *c = (teid >> 28) == 4 ? &up[i] : &down[i];
		c->bytes += inner;
		c->packets++;
	}
	cs_run_free(&r);
}

static unsigned long long number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	cr_assert_not_null(p, "no %s in %s", key, s);
	return strtoull(p + strlen(key), NULL, 10);
}

Test(cdr_oracle, session_traffic_equals_tshark_per_teid, .timeout = 60)
{
	struct counts up[SUBSCRIBERS] = { 0 }, down[SUBSCRIBERS] = { 0 };
	char out[] = "/tmp/cs-oracle.XXXXXX", path[64];
	struct cs_run r;

	tshark_per_teid(up, down);
	cr_assert_not_null(mkdtemp(out));
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--out", out,
			 (char *)CS_SOURCE_PATH("tests/data/sample.pcap"), NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(path, sizeof(path), "%s/cdr.jsonl", out);
	char *cdr = cs_read_file(path, NULL);
	cr_assert_not_null(cdr);

	int seen = 0;
	char *save = NULL;
	for (char *line = strtok_r(cdr, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"type\":\"session\",", strlen("{\"type\":\"session\",")) != 0)
			continue;
		const char *imsi = strstr(line, "\"imsi\":\"00101");
		cr_assert_not_null(imsi, "%s", line);
		unsigned int i = (unsigned int)(strtoul(imsi + strlen("\"imsi\":\"00101"), NULL, 10) - 1000000);
		cr_assert_lt(i, SUBSCRIBERS);
		const char *ul = strstr(line, "\"uplink\":"), *dl = strstr(line, "\"downlink\":");
		cr_assert(ul != NULL && dl != NULL);
		cr_expect_eq(number_after(ul, "\"bytes\":"), up[i].bytes, "subscriber %u uplink bytes", i);
		cr_expect_eq(number_after(ul, "\"packets\":"), up[i].packets, "subscriber %u uplink packets", i);
		cr_expect_eq(number_after(dl, "\"bytes\":"), down[i].bytes, "subscriber %u downlink bytes", i);
		cr_expect_eq(number_after(dl, "\"packets\":"), down[i].packets, "subscriber %u downlink packets", i);
		cr_expect(strstr(line, i % 8 == 7 ? "\"end_reason\":\"end_of_input\"" : "\"end_reason\":\"deleted\"") != NULL,
			  "subscriber %u: %s", i, line);
		seen++;
	}
	cr_expect_eq(seen, SUBSCRIBERS);
	free(cdr);
	cs_run_free(&r);
	char rm[64];
	snprintf(rm, sizeof(rm), "rm -rf %s", out);
	cr_expect_eq(system(rm), 0);
}
