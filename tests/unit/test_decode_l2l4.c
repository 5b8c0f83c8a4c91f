/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decode_l2l4.h"
#include "pcap_walk.h"
#include "run.h"

/* An IPv4/UDP frame from the bundled sample: GTPv2-C, MME -> SGW. */
static struct cs_test_capture sample;

static void load_sample(void)
{
	cs_test_capture_load(&sample, CS_SOURCE_PATH("tests/data/sample.pcap"));
}

static void free_sample(void)
{
	cs_test_capture_free(&sample);
}

TestSuite(l2l4, .init = load_sample, .fini = free_sample);

Test(l2l4, ipv4_udp)
{
	struct cs_l2l4 d;
	const struct cs_test_frame *f = &sample.frames[0];

	cr_assert_eq(cs_decode_l2l4(f->data, f->len, &d), CS_R_OK);
	cr_expect_eq(d.vlan_count, 0);
	cr_expect_eq(d.ip_version, 4);
	cr_expect_eq(d.l4_proto, CS_IPPROTO_UDP);
	cr_expect_eq(memcmp(d.src.b, "\x0a\x03\x00\x01", 4), 0);
	cr_expect_eq(memcmp(d.dst.b, "\x0a\x02\x00\x01", 4), 0);
	cr_expect_eq(d.sport, 2123);
	cr_expect_eq(d.dport, 2123);
	cr_expect_eq(d.l3_offset, 14);
	cr_expect_eq(d.payload_offset, 14 + 20 + 8);
	cr_expect_eq(d.payload_offset + d.payload_len, f->len);
	cr_expect_not(d.is_fragment);
}

/* Inserts tags after the MAC addresses of frame f. */
static size_t tagged(uint8_t *out, const struct cs_test_frame *f, const uint16_t *tpids, const uint16_t *vids, int n)
{
	memcpy(out, f->data, 12);
	for (int i = 0; i < n; i++) {
		uint8_t *t = out + 12 + 4 * i;
		t[0] = (uint8_t)(tpids[i] >> 8);
		t[1] = (uint8_t)tpids[i];
		t[2] = (uint8_t)(0x20 | vids[i] >> 8); /* PCP 1 must not leak into the VLAN ID */
		t[3] = (uint8_t)vids[i];
	}
	memcpy(out + 12 + 4 * n, f->data + 12, f->len - 12);
	return f->len + 4 * (size_t)n;
}

Test(l2l4, vlan_and_qinq_stacks)
{
	static const uint16_t tpid_q[] = { 0x8100 }, tpid_ad[] = { 0x88a8, 0x8100 }, tpid_old[] = { 0x8100, 0x8100 };
	static const uint16_t vid1[] = { 454 }, vid2[] = { 100, 4001 };
	const uint16_t tpid3[] = { 0x88a8, 0x8100, 0x8100 }, vid3[] = { 1, 2, 3 };
	uint8_t frame[2048];
	struct cs_l2l4 d;
	size_t n;

	n = tagged(frame, &sample.frames[0], tpid_q, vid1, 1);
	cr_assert_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_OK);
	cr_expect_eq(d.vlan_count, 1);
	cr_expect_eq(d.vlan[0], 454);
	cr_expect_eq(d.dport, 2123);
	cr_expect_eq(d.l3_offset, 18);

	n = tagged(frame, &sample.frames[0], tpid_ad, vid2, 2);
	cr_assert_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_OK);
	cr_expect_eq(d.vlan_count, 2);
	cr_expect_eq(d.vlan[0], 100);
	cr_expect_eq(d.vlan[1], 4001);
	cr_expect_eq(d.dport, 2123);

	n = tagged(frame, &sample.frames[0], tpid_old, vid2, 2);
	cr_expect_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_OK);

	n = tagged(frame, &sample.frames[0], tpid3, vid3, 3);
	cr_expect_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_VLAN_TOO_MANY_TAGS);
}

Test(l2l4, ipv4_options_are_skipped)
{
	const struct cs_test_frame *f = &sample.frames[0];
	uint8_t frame[2048];
	struct cs_l2l4 d;

	/* IHL 6: one 4-byte option (NOP NOP NOP EOL) between header and UDP */
	memcpy(frame, f->data, 34);
	frame[14] = 0x46;
	uint16_t total = (uint16_t)((f->data[16] << 8 | f->data[17]) + 4);
	frame[16] = (uint8_t)(total >> 8);
	frame[17] = (uint8_t)total;
	memcpy(frame + 34, "\x01\x01\x01\x00", 4);
	memcpy(frame + 38, f->data + 34, f->len - 34);
	cr_assert_eq(cs_decode_l2l4(frame, f->len + 4, &d), CS_R_OK);
	cr_expect_eq(d.l4_offset, 14 + 24);
	cr_expect_eq(d.dport, 2123);
	cr_expect_eq(d.payload_len, f->len - 42);
}

Test(l2l4, ethernet_padding_after_the_datagram_is_ignored)
{
	const struct cs_test_frame *f = &sample.frames[0];
	uint8_t frame[2048] = { 0 };
	struct cs_l2l4 d;

	memcpy(frame, f->data, f->len);
	cr_assert_eq(cs_decode_l2l4(frame, f->len + 6, &d), CS_R_OK);
	cr_expect_eq(d.payload_offset + d.payload_len, f->len);
}

/* IPv6, hop-by-hop and destination options, then UDP 5060. */
static size_t ipv6_frame(uint8_t *out, int with_fragment)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd };
	uint8_t *ip = out + 14;
	size_t at = 40;

	memcpy(out, eth, 14);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[6] = 0;   /* hop-by-hop */
	ip[7] = 64;
	ip[8] = 0x20; ip[9] = 0x01; ip[10] = 0x0d; ip[11] = 0xb8; ip[23] = 1; /* 2001:db8::1 */
	ip[24] = 0x20; ip[25] = 0x01; ip[26] = 0x0d; ip[27] = 0xb8; ip[39] = 2;
	/* hop-by-hop: next = dest opts, length 0 (8 bytes), PadN */
	memcpy(ip + at, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);
	at += 8;
	if (with_fragment) {
		ip[at - 8] = 44;
		/* fragment: next = dest opts, offset 0, M = 1, id 0x01020304 */
		memcpy(ip + at, "\x3c\x00\x00\x01\x01\x02\x03\x04", 8);
		at += 8;
	}
	/* destination options: next = UDP, length 1 (16 bytes) */
	memcpy(ip + at, "\x11\x01\x01\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16);
	at += 16;
	/* UDP 40000 -> 5060, 12 bytes of payload */
	memcpy(ip + at, "\x9c\x40\x13\xc4\x00\x14\x00\x00OPTIONS sip:", 20);
	at += 20;
	ip[4] = (uint8_t)((at - 40) >> 8);
	ip[5] = (uint8_t)(at - 40);
	return 14 + at;
}

Test(l2l4, ipv6_extension_headers)
{
	uint8_t frame[256];
	struct cs_l2l4 d;
	size_t n = ipv6_frame(frame, 0);

	cr_assert_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_OK);
	cr_expect_eq(d.ip_version, 6);
	cr_expect_eq(d.l4_proto, CS_IPPROTO_UDP);
	cr_expect_eq(d.dport, 5060);
	cr_expect_eq(d.src.b[15], 1);
	cr_expect_eq(d.dst.b[0], 0x20);
	cr_expect_eq(d.l4_offset, 14 + 40 + 8 + 16);
	cr_expect_eq(d.payload_len, 12);
	cr_expect_eq(memcmp(frame + d.payload_offset, "OPTIONS sip:", 12), 0);
}

Test(l2l4, ipv6_fragment_is_reported_for_reassembly)
{
	uint8_t frame[256];
	struct cs_l2l4 d;
	size_t n = ipv6_frame(frame, 1);

	cr_assert_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_OK);
	cr_expect(d.is_fragment);
	cr_expect(d.more_fragments);
	cr_expect_eq(d.frag_offset, 0);
	cr_expect_eq(d.frag_id, 0x01020304);
	cr_expect_eq(d.dport, 0, "no ports before reassembly");
}

Test(l2l4, ipv6_extension_chain_is_bounded)
{
	uint8_t frame[512];
	size_t n = ipv6_frame(frame, 0);
	uint8_t *ip = frame + 14;
	struct cs_l2l4 d;

	/* replace the chain with 9 hop-by-hop-shaped destination options headers */
	ip[6] = 60;
	for (int i = 0; i < 9; i++)
		memcpy(ip + 40 + 8 * i, i == 8 ? "\x11\x00\x01\x04\x00\x00\x00\x00" : "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);
	memcpy(ip + 40 + 72, "\x9c\x40\x13\xc4\x00\x08\x00\x00", 8);
	ip[4] = 0;
	ip[5] = 80;
	n = 14 + 40 + 80;
	cr_expect_eq(cs_decode_l2l4(frame, (uint32_t)n, &d), CS_R_IPV6_TOO_MANY_EXT_HEADERS);
}

/* Every prefix of a valid frame is refused with a reason, never misread. */
static void expect_every_prefix_refused(const uint8_t *frame, uint32_t len)
{
	for (uint32_t cut = 0; cut < len; cut++) {
		struct cs_l2l4 d;
		uint8_t *copy = malloc(cut + 1);

		memcpy(copy, frame, cut);
		enum cs_reason r = cs_decode_l2l4(copy, cut, &d);
		free(copy);
		cr_expect_neq(r, CS_R_OK, "prefix of %u bytes accepted", cut);
	}
}

Test(l2l4, truncation_at_every_offset)
{
	uint8_t frame[256];
	static const uint16_t tpid_ad[] = { 0x88a8, 0x8100 }, vid2[] = { 100, 4001 };
	uint8_t tagged_frame[2048];

	expect_every_prefix_refused(sample.frames[0].data, sample.frames[0].len);
	expect_every_prefix_refused(frame, (uint32_t)ipv6_frame(frame, 0));
	expect_every_prefix_refused(frame, (uint32_t)ipv6_frame(frame, 1));
	expect_every_prefix_refused(tagged_frame, (uint32_t)tagged(tagged_frame, &sample.frames[0], tpid_ad, vid2, 2));
}

Test(l2l4, bad_lengths_are_named)
{
	uint8_t frame[2048];
	const struct cs_test_frame *f = &sample.frames[0];
	struct cs_l2l4 d;

	memcpy(frame, f->data, f->len);
	frame[14] = 0x44; /* IHL 4 */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_IPV4_BAD_HEADER_LENGTH);
	frame[14] = 0x65;
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_IPV4_BAD_VERSION);
	frame[14] = 0x45;
	frame[16] = 0;
	frame[17] = 10; /* total length below the header */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_IPV4_BAD_TOTAL_LENGTH);
	memcpy(frame, f->data, f->len);
	frame[38] = 0xff; /* UDP length past the datagram */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_UDP_BAD_LENGTH);
	frame[38] = 0;
	frame[39] = 7; /* UDP length below its header */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_UDP_BAD_LENGTH);
	memcpy(frame, f->data, f->len);
	frame[12] = 0x08;
	frame[13] = 0x06; /* ARP */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_ETH_UNSUPPORTED_ETHERTYPE);
	memcpy(frame, f->data, f->len);
	frame[23] = 47; /* GRE */
	cr_expect_eq(cs_decode_l2l4(frame, f->len, &d), CS_R_IP_UNSUPPORTED_PROTOCOL);
}

/*
 * Oracle: for every frame of the third-party GTP captures, the outer
 * addresses, protocol, ports and fragment fields equal tshark's.
 */
static const char *const oracle_captures[] = {
	"zeek-gtp1_gn_normal_incl_fragmentation.pcap", "zeek-gtp3_false_gtp.pcap", "zeek-gtp4_udp_2152_inside.pcap",
	"zeek-gtp6_gtp_0x32.pcap", "zeek-gtp7_ipv6.pcap", "zeek-gtp8_teredo.pcap",
	"zeek-gtp9_unknown_or_too_short_payload.pcap", "zeek-gtp10_not_0xff.pcap", "zeek-gtp_ext_header.pcap",
	"sample.pcap",
};

/* The first of tshark's comma-separated values (the outermost layer). */
static const char *first(char *field)
{
	char *comma = strchr(field, ',');

	if (comma != NULL)
		*comma = '\0';
	return field;
}

Test(l2l4, oracle_tshark_outer_layers, .timeout = 60)
{
	for (size_t c = 0; c < sizeof(oracle_captures) / sizeof(oracle_captures[0]); c++) {
		char rel[128];
		struct cs_test_capture cap;
		struct cs_run r;

		snprintf(rel, sizeof(rel), "tests/data/%s", oracle_captures[c]);
		const char *path = CS_SOURCE_PATH(rel);
		char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)path, "-T", "fields", "-E", "separator=|",
				 "-e", "ip.src", "-e", "ip.proto", "-e", "udp.srcport", "-e", "udp.dstport",
				 "-e", "ip.flags.mf", "-e", "ip.frag_offset", "-e", "vlan.id", NULL };
		cr_assert_eq(cs_run(argv, &r), 0);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cs_test_capture_load(&cap, path);

		char *save = NULL;
		size_t n = 0;
		for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save), n++) {
			char *fields[7];
			cr_assert_eq(cs_split_fields(line, '|', fields, 7), 7, "tshark line '%s'", line);
			cr_assert_lt(n, cap.count);
			struct cs_l2l4 d;
			enum cs_reason rc = cs_decode_l2l4(cap.frames[n].data, cap.frames[n].len, &d);
			cr_assert_eq(rc, CS_R_OK, "%s frame %zu: %s", rel, n + 1, cs_reason_name(rc));
			char src[16];
			snprintf(src, sizeof(src), "%u.%u.%u.%u", d.src.b[0], d.src.b[1], d.src.b[2], d.src.b[3]);
			cr_expect_str_eq(src, first(fields[0]), "%s frame %zu", rel, n + 1);
			cr_expect_eq(d.l4_proto, atoi(first(fields[1])), "%s frame %zu", rel, n + 1);
			int mf = atoi(first(fields[4])), frag_off = atoi(first(fields[5]));
			cr_expect_eq(d.more_fragments, mf, "%s frame %zu", rel, n + 1);
			cr_expect_eq(d.frag_offset, frag_off * 8, "%s frame %zu (tshark counts 8-byte units)", rel, n + 1);
			if (!d.is_fragment) {
				cr_expect_eq(d.sport, atoi(first(fields[2])), "%s frame %zu", rel, n + 1);
				cr_expect_eq(d.dport, atoi(first(fields[3])), "%s frame %zu", rel, n + 1);
			}
			cr_expect_eq(d.vlan_count ? d.vlan[0] : 0, atoi(first(fields[6])), "%s frame %zu", rel, n + 1);
		}
		cr_expect_eq(n, cap.count, "%s: tshark saw %zu frames", rel, n);
		cs_test_capture_free(&cap);
		cs_run_free(&r);
	}
}
