/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-gen --mix, the throughput benchmarks' traffic as a capture
 * (bench/gen/mix.h), replayed through `cdrsentry replay`: it must be what
 * the benchmarks say it is, or their peers' figures compare other
 * traffic. Every subscriber attaches; the mix's shares are exact (95
 * G-PDUs, 4 GTP-C and 1 SIP message in every 100 frames, half the SIP
 * inside GTP-U on the caller's IMS bearer); every G-PDU finds its
 * subscriber, every handover its transaction, every dialog its end, and
 * a call on the bearer is its caller's; every eighth subscriber's S11
 * runs over IPv6; the same seed writes the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "run.h"

static char out_dir[CS_TEMP_DIR_LEN];

static void make_out_dir(void)
{
	cs_temp_dir(out_dir, "mixcapture");
}

static void remove_out_dir(void)
{
	cs_remove_tree(out_dir);
}

TestSuite(mix_capture, .init = make_out_dir, .fini = remove_out_dir);

static void generate(const char *path)
{
	char *gen[] = { (char *)cs_env("CDRSENTRY_GEN"), "--mix", "--seed", "3", "--subscribers", "500", "--packets",
			"19950", /* rounded up to 20000: whole dialogs */
			"--out", (char *)path, NULL };
	cs_run_ok(gen);
}

/* Frames of a classic pcap (little-endian, as pcap_writer.c writes it) whose EtherType is IPv6. */
static int ipv6_frames(const uint8_t *pcap, size_t len)
{
	int n = 0;

	for (size_t at = 24; at + 16 <= len;) {
		uint32_t incl = (uint32_t)pcap[at + 8] | (uint32_t)pcap[at + 9] << 8 | (uint32_t)pcap[at + 10] << 16 |
				(uint32_t)pcap[at + 11] << 24;
		const uint8_t *frame = pcap + at + 16;
		if (at + 16 + incl > len)
			break;
		n += incl >= 14 && frame[12] == 0x86 && frame[13] == 0xdd;
		at += 16 + incl;
	}
	return n;
}

Test(mix_capture, the_capture_is_the_mix_it_claims, .timeout = 60)
{
	char pcap[128], again[128];

	snprintf(pcap, sizeof(pcap), "%s/mix.pcap", out_dir);
	snprintf(again, sizeof(again), "%s/again.pcap", out_dir);
	generate(pcap);
	char *replay[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--out", out_dir, pcap, NULL };
	cs_run_ok(replay);

	char *stats = cs_read_output(out_dir, "stats.json");
	cr_assert_not_null(stats);
	cr_expect_eq(cs_json_int(stats, "frames"), 500 * 4 + 20000, "the attaches, then 200 units of 100");
	cr_expect_eq(cs_json_int(stats, "sessions_opened"), 500);
	cr_expect_eq(cs_json_int(stats, "gtpv2c_messages"), 500 * 4 + 200 * 4);
	/* half the SIP messages ride the caller's IMS bearer, inside G-PDUs */
	cr_expect_eq(cs_json_int(stats, "gtpu_gpdu"), 200 * 95 + 100);
	cr_expect_eq(cs_json_int(stats, "gtpu_teid_hits"), 200 * 95 + 100, "every G-PDU finds its subscriber");
	cr_expect_eq(cs_json_int(stats, "gtpc_unmatched_responses"), 0);
	cr_expect_eq(cs_json_int(stats, "sip_messages"), 200);
	cr_expect_eq(cs_json_int(stats, "sip_calls_timed_out"), 0, "every dialog ends");
	free(stats);
	char *cdr = cs_read_output(out_dir, "cdr.jsonl");
	cr_assert_not_null(cdr);
	cr_expect_eq(cs_count(cdr, "{\"type\":\"call\","), 200 / 5, "40 dialogs of five messages, one record each");
	/* on the bearer: the caller's IMSI is the bearer's, and the record says where the call travelled */
	cr_expect_eq(cs_count(cdr, "\"transport\":\"gtpu\""), 20, "the odd dialogs");
	free(cdr);

	generate(again);
	size_t a_len = 0, b_len = 0;
	char *a = cs_read_file(pcap, &a_len), *b = cs_read_file(again, &b_len);
	cr_assert(a != NULL && b != NULL);
	cr_expect(a_len == b_len && memcmp(a, b, a_len) == 0, "the same seed writes the same bytes");
	/* subscribers 7, 15, ... 495 attach over IPv6 S11 (4 frames each), and some of them hand over */
	int v6 = ipv6_frames((const uint8_t *)a, a_len);
	cr_expect_geq(v6, 62 * 4, "%d IPv6 frames", v6);
	cr_expect_leq(v6, 62 * 4 + 200 * 4, "%d IPv6 frames: S11 only, S1-U stays IPv4", v6);
	free(a);
	free(b);
}
