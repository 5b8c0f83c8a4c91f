/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decode_gtpu.h"
#include "decode_l2l4.h"
#include "pcap_walk.h"
#include "run.h"

/* G-PDU, E set, one PDU Session Container (uplink, QFI 9), inner IPv4/UDP. */
static const uint8_t gpdu_5g[] = {
	0x34, 0xff, 0x00, 0x24, 0x00, 0x00, 0x00, 0x2a, /* flags E, G-PDU, length 36, TEID 42 */
	0x00, 0x00, 0x00, 0x85,                         /* seq, N-PDU, next: PDU Session Container */
	0x01, 0x10, 0x09, 0x00,                         /* length 1 (4 bytes), UL PDU, QFI 9, next: none */
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, /* IPv4, 28 bytes */
	0x64, 0x40, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x07,                         /* 100.64.0.1 -> 198.51.100.7 */
	0x9c, 0x40, 0x01, 0xbb, 0x00, 0x08, 0x00, 0x00,                         /* UDP 40000 -> 443 */
};

Test(gtpu, pdu_session_container_and_inner_packet)
{
	struct cs_gtpu_msg m;
	struct cs_l2l4 inner;

	cr_assert_eq(cs_decode_gtpu(gpdu_5g, sizeof(gpdu_5g), &m), CS_R_OK);
	cr_expect_eq(m.type, CS_GTPU_GPDU);
	cr_expect_eq(m.teid, 42);
	cr_expect(m.has_pdu_session);
	cr_expect_eq(m.pdu_type, 1);
	cr_expect_eq(m.qfi, 9);
	cr_expect_eq(m.ext_headers, 1);
	cr_expect_eq(m.inner_offset, 16);
	cr_expect_eq(m.inner_len, 28);
	cr_assert_eq(cs_decode_ip(gpdu_5g + m.inner_offset, m.inner_len, &inner), CS_R_OK);
	cr_expect_eq(inner.dport, 443);
	cr_expect_eq(memcmp(inner.dst.b, "\xc6\x33\x64\x07", 4), 0);
}

Test(gtpu, truncation_at_every_offset)
{
	for (uint32_t cut = 0; cut < sizeof(gpdu_5g); cut++) {
		struct cs_gtpu_msg m;
		uint8_t *copy = malloc(cut + 1);

		memcpy(copy, gpdu_5g, cut);
		enum cs_reason r = cs_decode_gtpu(copy, cut, &m);
		free(copy);
		cr_expect_neq(r, CS_R_OK, "prefix of %u bytes accepted", cut);
	}
}

Test(gtpu, malformed_headers_are_named)
{
	uint8_t p[sizeof(gpdu_5g)];
	struct cs_gtpu_msg m;

	memcpy(p, gpdu_5g, sizeof(p));
	p[12] = 0; /* extension length 0 */
	cr_expect_eq(cs_decode_gtpu(p, sizeof(p), &m), CS_R_GTPU_EXT_HEADER_BAD_LENGTH);

	memcpy(p, gpdu_5g, sizeof(p));
	p[12] = 200; /* extension runs past the message */
	cr_expect_eq(cs_decode_gtpu(p, sizeof(p), &m), CS_R_GTPU_TRUNCATED);

	memcpy(p, gpdu_5g, sizeof(p));
	p[0] = 0x24; /* PT = 0: GTP' */
	cr_expect_eq(cs_decode_gtpu(p, sizeof(p), &m), CS_R_GTPU_NOT_GTP);

	memcpy(p, gpdu_5g, sizeof(p));
	p[0] = 0x54; /* version 2 */
	cr_expect_eq(cs_decode_gtpu(p, sizeof(p), &m), CS_R_GTPU_BAD_VERSION);

	memcpy(p, gpdu_5g, sizeof(p));
	p[3] = 0x40; /* length beyond the datagram */
	cr_expect_eq(cs_decode_gtpu(p, sizeof(p), &m), CS_R_GTPU_BAD_LENGTH);

	memcpy(p, gpdu_5g, sizeof(p));
	p[3] = 8; /* header and extension only: a G-PDU with no T-PDU */
	cr_expect_eq(cs_decode_gtpu(p, 16, &m), CS_R_GTPU_EMPTY_GPDU);
}

Test(gtpu, extension_chain_is_bounded)
{
	uint8_t p[8 + 4 + 4 * 10 + 20] = { 0x34, 0xff };
	struct cs_gtpu_msg m;
	size_t len = 12;

	p[11] = 0xc0; /* PDCP PDU number, repeated ten times */
	for (int i = 0; i < 10; i++, len += 4) {
		p[len] = 1;
		p[len + 3] = i == 9 ? 0 : 0xc0;
	}
	memset(p + len, 0x45, 20);
	len += 20;
	p[3] = (uint8_t)(len - 8);
	cr_expect_eq(cs_decode_gtpu(p, (uint32_t)len, &m), CS_R_GTPU_EXT_CHAIN_TOO_LONG);
}

/*
 * Oracle: every GTP-U packet of the third-party captures and of the
 * bundled sample has tshark's TEID, message type and inner IP version.
 */
static const char *const oracle_captures[] = {
	"zeek-gtp1_gn_normal_incl_fragmentation.pcap", "zeek-gtp4_udp_2152_inside.pcap", "zeek-gtp6_gtp_0x32.pcap",
	"zeek-gtp7_ipv6.pcap", "zeek-gtp8_teredo.pcap", "zeek-gtp9_unknown_or_too_short_payload.pcap",
	"zeek-gtp10_not_0xff.pcap", "zeek-gtp_ext_header.pcap", "sample.pcap",
};

Test(gtpu, oracle_tshark_teid_type_inner, .timeout = 60)
{
	size_t compared = 0;

	for (size_t c = 0; c < sizeof(oracle_captures) / sizeof(oracle_captures[0]); c++) {
		char rel[128];
		struct cs_test_capture cap;
		struct cs_run r;

		snprintf(rel, sizeof(rel), "tests/data/%s", oracle_captures[c]);
		const char *path = CS_SOURCE_PATH(rel);
		/* outer UDP 2152, not a fragment: what the probe decodes as GTP-U */
		char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)path, "-T", "fields",
				 "-E", "separator=|", "-e", "frame.number", "-e", "gtp.teid", "-e", "gtp.message", "-e", "ip.version",
				 "-e", "ipv6.version", NULL };
		cr_assert_eq(cs_run(argv, &r), 0);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cs_test_capture_load(&cap, path);

		char *save = NULL;
		for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
			unsigned long frame;
			unsigned int teid, type;
			char versions[64] = "", v6[64] = "";
			if (sscanf(line, "%lu|%x|%x|%63[^|]|%63s", &frame, &teid, &type, versions, v6) < 3)
				continue; /* no GTP in this frame */
			struct cs_l2l4 d;
			const struct cs_test_frame *f = &cap.frames[frame - 1];
			if (cs_decode_l2l4(f->data, f->len, &d) != CS_R_OK || d.is_fragment || d.dport != 2152)
				continue;
			struct cs_gtpu_msg m;
			enum cs_reason rc = cs_decode_gtpu(f->data + d.payload_offset, d.payload_len, &m);
			cr_assert_eq(rc, CS_R_OK, "%s frame %lu: %s", rel, frame, cs_reason_name(rc));
			cr_expect_eq(m.teid, teid, "%s frame %lu", rel, frame);
			cr_expect_eq(m.type, type, "%s frame %lu", rel, frame);
			if (m.type == CS_GTPU_GPDU) {
				/* the inner version is the second ip.version, or the ipv6 one */
				const char *comma = strchr(versions, ',');
				int inner = comma != NULL ? atoi(comma + 1) : (v6[0] != '\0' ? 6 : 0);
				const uint8_t *ip = f->data + d.payload_offset + m.inner_offset;
				struct cs_l2l4 in;
				if (inner != 0)
					cr_expect_eq(ip[0] >> 4, inner, "%s frame %lu", rel, frame);
				else /* tshark found no IP inside: neither may we */
					cr_expect_neq(cs_decode_ip(ip, m.inner_len, &in), CS_R_OK, "%s frame %lu", rel, frame);
			}
			compared++;
		}
		cs_test_capture_free(&cap);
		cs_run_free(&r);
	}
	cr_expect_gt(compared, 200, "only %zu GTP-U packets compared", compared);
}
