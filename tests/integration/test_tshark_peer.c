/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tshark as the independent oracle for the generator: the bundled sample
 * must decode cleanly in Wireshark's dissectors with the identities the
 * generator meant to write.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "run.h"

static void tshark(struct cs_run *r, const char *filter, const char *field)
{
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)CS_SOURCE_PATH("tests/data/sample.pcap"), "-Y",
			 (char *)filter, "-T", "fields", "-e", (char *)field, NULL };

	cr_assert_eq(cs_run(argv, r), 0, "cannot run tshark");
	cr_assert_eq(r->status, 0, "tshark failed: %s", r->err);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

Test(tshark_peer, sample_has_no_malformed_packets, .timeout = 60)
{
	struct cs_run r;

	tshark(&r, "_ws.malformed || _ws.expert.severity >= 6291456", "frame.number"); /* PI_WARN and worse */
	cr_expect_str_empty(r.out, "frames tshark finds malformed:\n%s", r.out);
	cs_run_free(&r);
}

Test(tshark_peer, identities_decode_as_written, .timeout = 60)
{
	struct cs_run r;
	char want[64];

	tshark(&r, "gtpv2.message_type == 32", "e212.imsi");
	cr_expect_eq(lines(r.out), 16);
	for (unsigned i = 0; i < 16; i++) {
		snprintf(want, sizeof(want), "00101%010u\n", 1000000u + i);
		cr_expect(strstr(r.out, want) != NULL, "IMSI %s missing from:\n%s", want, r.out);
	}
	cs_run_free(&r);

	tshark(&r, "gtpv2.message_type == 32", "gtpv2.apn");
	cr_expect_eq(strncmp(r.out, "internet\n", 9), 0, "%s", r.out);
	cs_run_free(&r);

	tshark(&r, "gtp.message == 0xff", "gtp.teid");
	cr_expect_eq(lines(r.out), 16 * 8);
	cs_run_free(&r);

	tshark(&r, "sip.Method == \"INVITE\"", "sip.from.user");
	cr_expect_eq(lines(r.out), 4);
	cr_expect_eq(strncmp(r.out, "+15552000000\n", 13), 0, "%s", r.out);
	cs_run_free(&r);
}
