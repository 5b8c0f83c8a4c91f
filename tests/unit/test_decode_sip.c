/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decode_sip.h"
#include "run.h"

/* ---- captures: UDP payloads of plain IPv4 frames ---- */

struct frame {
	uint32_t number; /* 1-based, as tshark counts */
	const uint8_t *payload;
	uint32_t len;
};

enum { LINKTYPE_ETHERNET = 1, LINKTYPE_IPV4 = 228, MAX_FRAMES = 128 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/*
 * Walks a classic little-endian pcap (24-byte header, 16-byte record
 * headers) and keeps the UDP payload of every Ethernet/IPv4 or raw IPv4
 * frame; other frames are skipped (their numbers still count).
 */
static size_t udp_payloads(const uint8_t *buf, size_t len, struct frame *out, size_t max)
{
	size_t off = 24, n = 0;
	uint32_t number = 0, linktype;

	cr_assert(len >= 24 && le32(buf) == 0xa1b2c3d4, "not a little-endian microsecond pcap");
	linktype = le32(buf + 20);
	cr_assert(linktype == LINKTYPE_ETHERNET || linktype == LINKTYPE_IPV4, "linktype %u", linktype);
	while (off + 16 <= len && n < max) {
		uint32_t caplen = le32(buf + off + 8);
		const uint8_t *f = buf + off + 16;
		size_t l3 = linktype == LINKTYPE_ETHERNET ? 14 : 0, l4;

		cr_assert(off + 16 + caplen <= len, "record %u runs past the file", number + 1);
		off += 16 + caplen;
		number++;
		if (l3 > 0 && (caplen < l3 || be16(f + 12) != 0x0800))
			continue;
		if (caplen < l3 + 20 || f[l3] >> 4 != 4 || f[l3 + 9] != 17)
			continue;
		l4 = l3 + 4u * (f[l3] & 0xf);
		if (caplen < l4 + 8 || be16(f + l4 + 4) < 8 || l4 + be16(f + l4 + 4) > caplen)
			continue;
		out[n++] = (struct frame){ .number = number, .payload = f + l4 + 8, .len = be16(f + l4 + 4) - 8 };
	}
	return n;
}

struct capture {
	char *file;
	struct frame frames[MAX_FRAMES];
	size_t n;
};

static void load(struct capture *c, const char *rel)
{
	size_t len;

	c->file = cs_read_file(CS_SOURCE_PATH(rel), &len);
	cr_assert_not_null(c->file, "cannot read %s", rel);
	c->n = udp_payloads((const uint8_t *)c->file, len, c->frames, MAX_FRAMES);
}

static const struct frame *frame_no(const struct capture *c, uint32_t number)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->frames[i].number == number)
			return &c->frames[i];
	}
	cr_assert_fail("frame %u is not a UDP frame", number);
	return NULL;
}

/* ---- helpers ---- */

static bool span_is(struct cs_sip_span s, const char *want)
{
	return s.len == strlen(want) && (s.len == 0 || memcmp(s.p, want, s.len) == 0);
}

#define expect_span(s, want)                                                                               \
	cr_expect(span_is((s), (want)), "%s: got '%.*s', want '%s'", #s, (int)(s).len, (s).p ? (s).p : "", \
		  (want))

#define expect_number(got, want)                                                          \
	do {                                                                              \
		char buf_[CS_DIGITS_STR];                                                 \
		cs_digits_to_ascii((got), buf_);                                          \
		cr_expect_str_eq(buf_, (want), "%s: got '%s', want '%s'", #got, buf_, (want)); \
	} while (0)

static struct cs_e164_conf numbers;

static void use_default_numbers(void)
{
	numbers = cs_e164_conf_default();
}

static enum cs_reason decode_text(const char *s, struct cs_sip_msg *m)
{
	return cs_decode_sip((const uint8_t *)s, (uint32_t)strlen(s), &numbers, m);
}

static uint32_t header_end(const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i + 4 <= len; i++) {
		if (memcmp(p + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	}
	cr_assert_fail("no end of headers");
	return 0;
}

TestSuite(decode_sip, .init = use_default_numbers);

/* ---- fields of real messages (zeek-wireshark.pcap) ---- */

Test(decode_sip, invite_with_sdp)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 19);
	cr_assert_eq(cs_decode_sip(f->payload, f->len, &numbers, &m), CS_R_OK);
	cr_expect(m.is_request);
	cr_expect_eq(m.method, CS_SIP_METHOD_INVITE);
	expect_span(m.method_name, "INVITE");
	cr_expect_eq(m.status_code, 0);
	expect_span(m.request_uri.user, "97239287044");
	expect_number(m.request_uri.number, "97239287044");
	expect_span(m.from.user, "816666");
	expect_number(m.from.number, "816666");
	expect_span(m.from_tag, "6433ef9");
	expect_span(m.to.user, "97239287044");
	expect_number(m.to.number, "97239287044");
	cr_expect_eq(m.to_tag.len, 0);
	expect_span(m.asserted.user, "");
	expect_number(m.asserted.number, "");
	expect_span(m.call_id, "105090259-446faf7a@192.168.1.2");
	cr_expect_eq(m.cseq, 1);
	cr_expect_eq(m.cseq_method, CS_SIP_METHOD_INVITE);
	expect_number(m.imsi, "");
	expect_span(m.content_type, "application/sdp");
	cr_expect_eq(m.body_kind, CS_SIP_BODY_SDP);
	cr_expect(m.has_content_length);
	cr_expect_eq(m.content_length, 272);
	cr_expect_eq(m.skipped, 0);
	cr_expect_eq(m.header_len, header_end(f->payload, f->len));
	cr_expect_eq(m.msg_len, f->len);
	cr_expect_eq(m.header_len + 272, f->len);
	cr_expect_eq(m.body.len, 272);
	cr_expect_eq((const uint8_t *)m.body.p, f->payload + m.header_len);
	cr_expect(memcmp(m.body.p, "v=0\r\n", 5) == 0);
	free(c.file);
}

Test(decode_sip, international_prefix_in_the_request_uri)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 37);
	cr_assert_eq(cs_decode_sip(f->payload, f->len, &numbers, &m), CS_R_OK);
	expect_span(m.request_uri.user, "0097239287044");
	expect_number(m.request_uri.number, "97239287044");
	expect_span(m.from.user, "voi18062");
	expect_number(m.from.number, "");
	expect_number(m.to.number, "97239287044");
	free(c.file);
}

Test(decode_sip, response_with_sdp_takes_its_method_from_cseq)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 74);
	cr_assert_eq(cs_decode_sip(f->payload, f->len, &numbers, &m), CS_R_OK);
	cr_expect_not(m.is_request);
	cr_expect_eq(m.status_code, 183);
	cr_expect_eq(m.method, CS_SIP_METHOD_INVITE);
	cr_expect_eq(m.cseq_method, CS_SIP_METHOD_INVITE);
	cr_expect_eq(m.cseq, 2);
	cr_expect_eq(m.method_name.len, 0);
	expect_span(m.request_uri.user, "");
	expect_span(m.call_id, "11894297-4432a9f8@192.168.1.2");
	expect_span(m.from.user, "35104723");
	expect_span(m.from_tag, "b56e6e");
	expect_span(m.to.user, "35104724");
	expect_span(m.to_tag, "00-04075-1701baa2-2dfdf7c21");
	cr_expect_eq(m.content_length, 199);
	cr_expect_eq(m.body.len, 199);
	cr_expect_eq(m.body_kind, CS_SIP_BODY_SDP);
	cr_expect_eq(m.msg_len, f->len);
	free(c.file);
}

Test(decode_sip, register_and_its_200)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 3);
	cr_assert_eq(cs_decode_sip(f->payload, f->len, &numbers, &m), CS_R_OK);
	cr_expect_eq(m.method, CS_SIP_METHOD_REGISTER);
	expect_span(m.request_uri.user, "");
	expect_number(m.request_uri.number, "");
	expect_number(m.imsi, ""); /* a username that is not an IMS private identity */
	cr_expect_eq(m.cseq, 69);
	cr_expect_eq(m.body.len, 0);
	cr_expect_eq(m.body_kind, CS_SIP_BODY_NONE);
	cr_expect_eq(m.content_type.len, 0);

	f = frame_no(&c, 18);
	cr_assert_eq(cs_decode_sip(f->payload, f->len, &numbers, &m), CS_R_OK);
	cr_expect_eq(m.status_code, 200);
	cr_expect_eq(m.method, CS_SIP_METHOD_REGISTER);
	expect_span(m.to_tag, "00-04081-1701b256-5586b7324");
	cr_expect_eq(m.cseq, 75);
	free(c.file);
}

/* ---- the oracle: tshark on every SIP frame of zeek-wireshark.pcap ---- */

/* Splits line at tabs into at most n fields, keeping empty ones; returns the count. */
Test(decode_sip, agrees_with_tshark_on_every_frame)
{
	const char *path = CS_SOURCE_PATH("tests/data/zeek-wireshark.pcap");
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)path, "-Y", "sip", "-T", "fields",
			 "-e", "frame.number", "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.Call-ID",
			 "-e", "sip.from.user", "-e", "sip.to.user", "-e", "sip.CSeq.seq", NULL };
	struct cs_run run;
	struct capture c;
	size_t compared = 0;
	char *save = NULL;

	load(&c, "tests/data/zeek-wireshark.pcap");
	cr_assert_eq(cs_run(argv, &run), 0);
	cr_assert_eq(run.status, 0, "tshark: %s", run.err);
	for (char *line = strtok_r(run.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		struct cs_sip_msg m;
		char number[32];

		cr_assert_eq(cs_split_fields(line, '\t', f, 7), 7, "tshark line '%s'", line);
		const struct frame *fr = frame_no(&c, (uint32_t)strtoul(f[0], NULL, 10));
		cr_assert_eq(cs_decode_sip(fr->payload, fr->len, &numbers, &m), CS_R_OK, "frame %s", f[0]);
		if (f[1][0] != '\0') {
			cr_expect(m.is_request, "frame %s", f[0]);
			expect_span(m.method_name, f[1]);
		} else {
			cr_expect_eq(m.status_code, strtoul(f[2], NULL, 10), "frame %s", f[0]);
		}
		expect_span(m.call_id, f[3]);
		expect_span(m.from.user, f[4]);
		expect_span(m.to.user, f[5]);
		snprintf(number, sizeof(number), "%u", m.cseq);
		cr_expect_str_eq(number, f[6], "frame %s", f[0]);
		compared++;
	}
	cr_expect_eq(compared, 81);
	cs_run_free(&run);
	free(c.file);
}

/* ---- truncation at every offset ---- */

/*
 * Every prefix, from a heap copy of exactly that size so ASan sees any
 * read past the cut: leading line ends alone are a keep-alive; before the
 * blank line "truncated", then "body_truncated" with the headers decoded
 * and msg_len saying what is missing, then the message.
 */
static void cut_everywhere(const uint8_t *p, uint32_t len)
{
	struct cs_sip_msg whole, m;

	cr_assert_eq(cs_decode_sip(p, len, &numbers, &whole), CS_R_OK);
	for (uint32_t cut = 0; cut <= len; cut++) {
		uint8_t *copy = malloc(cut > 0 ? cut : 1);
		enum cs_reason r;

		cr_assert_not_null(copy);
		memcpy(copy, p, cut);
		r = cs_decode_sip(copy, cut, &numbers, &m);
		if (cut > 0 && cut <= whole.skipped) {
			cr_assert_eq(r, CS_R_SIP_KEEPALIVE, "cut %u: %s", cut, cs_reason_name(r));
			cr_assert_eq(m.msg_len, cut);
		} else if (cut < whole.skipped + whole.header_len) {
			cr_assert_eq(r, CS_R_SIP_TRUNCATED, "cut %u: %s", cut, cs_reason_name(r));
		} else if (cut < whole.msg_len) {
			cr_assert_eq(r, CS_R_SIP_BODY_TRUNCATED, "cut %u: %s", cut, cs_reason_name(r));
			cr_assert(cs_sip_needs_more(r));
			cr_assert_eq(m.msg_len, whole.msg_len, "cut %u", cut);
			cr_assert_eq(m.body.len, 0, "cut %u", cut);
			cr_assert_eq(m.call_id.len, whole.call_id.len, "cut %u", cut);
			cr_assert_eq(memcmp(m.call_id.p, whole.call_id.p, m.call_id.len), 0, "cut %u", cut);
			cr_assert_eq(m.cseq, whole.cseq, "cut %u", cut);
			cr_assert_eq(m.from.number, whole.from.number, "cut %u", cut);
			cr_assert_eq(m.to_tag.len, whole.to_tag.len, "cut %u", cut);
		} else {
			cr_assert_eq(r, CS_R_OK, "cut %u: %s", cut, cs_reason_name(r));
			cr_assert_eq(m.body.len, whole.body.len);
		}
		free(copy);
	}
}

Test(decode_sip, invite_cut_at_every_offset)
{
	struct capture c;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 42); /* INVITE with Proxy-Authorization and SDP */
	cut_everywhere(f->payload, f->len);
	free(c.file);
}

Test(decode_sip, response_cut_at_every_offset)
{
	struct capture c;

	load(&c, "tests/data/zeek-wireshark.pcap");
	const struct frame *f = frame_no(&c, 74); /* 183 with SDP */
	cut_everywhere(f->payload, f->len);
	f = frame_no(&c, 22); /* 100 without a body */
	cut_everywhere(f->payload, f->len);
	free(c.file);
}

Test(decode_sip, ims_message_cut_at_every_offset)
{
	static const char msg[] = "\r\n"
				  "MESSAGE tel:+8613800138000 SIP/2.0\n"
				  "f: <sip:+8613900139000@ims.example.org;user=phone>\n"
				  "  ;tag=x1\n"
				  "t: <tel:+8613800138000>\n"
				  "i: m1@ims.example.org\n"
				  "CSeq: 3 MESSAGE\n"
				  "c: application/vnd.3gpp.sms\n"
				  "l: 3\n"
				  "\n"
				  "\x06\x01\x00";

	cut_everywhere((const uint8_t *)msg, sizeof(msg) - 1);
}

/* ---- IMS: compact forms, folding, LF line ends, tel URIs, P-Asserted-Identity, IMSI ---- */

Test(decode_sip, compact_folded_lf_only_ims_invite)
{
	static const char msg[] = "INVITE tel:+86-138-0013-8000;phone-context=ims.example.org SIP/2.0\n"
				  "v: SIP/2.0/UDP pcscf.ims.example.org;branch=z9hG4bK1\n"
				  "f: \"Alice <x>, \\\"A\\\"\" <sip:+8613900139000@ims.example.org;user=phone>\n"
				  "\t;tag=abc\n"
				  "t:<tel:+8613800138000>\n"
				  "i:   call-1@ims.example.org   \n"
				  "CSEQ  :  7\r\n"
				  " \tINVITE\n"
				  "P-Asserted-Identity: \"Alice\" <sip:alice@ims.example.org>, <tel:+8613900139000>\n"
				  "c: Application/SDP; charset=utf-8\n"
				  "l: 4\n"
				  "\n"
				  "v=0\n";
	struct cs_sip_msg m;

	cr_assert_eq(decode_text(msg, &m), CS_R_OK);
	cr_expect_eq(m.method, CS_SIP_METHOD_INVITE);
	expect_span(m.request_uri.user, "+86-138-0013-8000");
	expect_number(m.request_uri.number, "8613800138000");
	expect_span(m.from.user, "+8613900139000");
	expect_number(m.from.number, "8613900139000");
	expect_span(m.from_tag, "abc");
	expect_span(m.to.user, "+8613800138000");
	expect_number(m.to.number, "8613800138000");
	expect_span(m.call_id, "call-1@ims.example.org");
	cr_expect_eq(m.cseq, 7);
	cr_expect_eq(m.cseq_method, CS_SIP_METHOD_INVITE);
	expect_span(m.asserted.user, "+8613900139000");
	expect_number(m.asserted.number, "8613900139000");
	expect_span(m.content_type, "Application/SDP; charset=utf-8");
	cr_expect_eq(m.body_kind, CS_SIP_BODY_SDP);
	cr_expect_eq(m.content_length, 4);
	expect_span(m.body, "v=0\n");
	cr_expect_eq(m.msg_len, sizeof(msg) - 1);
}

Test(decode_sip, asserted_identity_without_a_number_keeps_the_first_entry)
{
	struct cs_sip_msg m;

	cr_assert_eq(decode_text("BYE sip:bob@example.org SIP/2.0\r\n"
				 "P-Asserted-Identity: <sip:alice@example.org>, <sip:al@example.org>\r\n"
				 "P-Asserted-Identity: <sip:alice2@example.org>\r\n"
				 "Call-ID: b\r\nCSeq: 2 BYE\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_span(m.asserted.user, "alice");
	expect_number(m.asserted.number, "");

	cr_assert_eq(decode_text("BYE sip:bob@example.org SIP/2.0\r\n"
				 "P-Asserted-Identity: <sip:alice@example.org>\r\n"
				 "P-Asserted-Identity: tel:+861390013900\r\n"
				 "Call-ID: b\r\nCSeq: 2 BYE\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_span(m.asserted.user, "+861390013900");
	expect_number(m.asserted.number, "861390013900");

	/* entries cut short name nobody */
	cr_assert_eq(decode_text("BYE sip:bob@example.org SIP/2.0\r\n"
				 "P-Asserted-Identity: <sip:+8613900139000@x\r\n"
				 "P-Asserted-Identity: \"Alice <tel:+8613900139000>\r\n"
				 "Call-ID: b\r\nCSeq: 2 BYE\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_span(m.asserted.user, "");
	expect_number(m.asserted.number, "");
}

Test(decode_sip, uri_forms)
{
	struct cs_sip_msg m;

	cr_assert_eq(decode_text("OPTIONS sips:+8613800138000:secret@ims.example.org;user=phone SIP/2.0\r\n"
				 "From: sip:alice@example.org;tag=88sja8x\r\n"
				 "To: Bob <mailto:bob@example.org>\r\n"
				 "Call-ID: u\r\nCSeq: 1 OPTIONS\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_span(m.request_uri.user, "+8613800138000");
	expect_number(m.request_uri.number, "8613800138000");
	expect_span(m.from.user, "alice");
	expect_span(m.from_tag, "88sja8x");
	expect_span(m.to.user, "");
	expect_number(m.to.number, "");

	/* tags in quotes, tags of nothing, unterminated display names */
	cr_assert_eq(decode_text("OPTIONS sip:x SIP/2.0\r\n"
				 "From: <sip:1234@x>;tag=\"q;t\"\r\n"
				 "To: \"unterminated <sip:5678@x>\r\n"
				 "Call-ID: u\r\nCSeq: 1 OPTIONS\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_span(m.from_tag, "\"q;t\"");
	expect_number(m.from.number, "1234");
	expect_span(m.to.user, "");
}

Test(decode_sip, imsi_from_an_ims_private_identity)
{
	struct cs_sip_msg m;

	cr_assert_eq(decode_text("REGISTER sip:ims.mnc000.mcc460.3gppnetwork.org SIP/2.0\r\n"
				 "From: <sip:460001234567890@ims.mnc000.mcc460.3gppnetwork.org>;tag=r1\r\n"
				 "To: <sip:460001234567890@ims.mnc000.mcc460.3gppnetwork.org>\r\n"
				 "Call-ID: reg1\r\nCSeq: 1 REGISTER\r\n"
				 "Authorization: Digest realm=\"ims.mnc000.mcc460.3gppnetwork.org\",\r\n"
				 " username=\"460001234567890@IMS.mnc000.mcc460.3gppnetwork.org\", nonce=\"\",\r\n"
				 " uri=\"sip:ims.mnc000.mcc460.3gppnetwork.org\", response=\"\"\r\n"
				 "Content-Length: 0\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_number(m.imsi, "460001234567890");

	/* a two-digit MNC is padded with a leading zero in the domain */
	cr_assert_eq(decode_text("REGISTER sip:x SIP/2.0\r\nCall-ID: r\r\nCSeq: 1 REGISTER\r\n"
				 "Authorization: Digest\r\n"
				 " username=\"234150999999999@ims.mnc015.mcc234.3gppnetwork.org\"\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_number(m.imsi, "234150999999999");
}

Test(decode_sip, usernames_that_are_not_an_imsi)
{
	static const char *const usernames[] = {
		"voi18063",
		"460001234567890@ims.mnc002.mcc460.3gppnetwork.org", /* MNC of another network */
		"310001234567890@ims.mnc000.mcc460.3gppnetwork.org", /* MCC of another country */
		"46000@ims.mnc000.mcc460.3gppnetwork.org",	     /* too short */
		"4600012345678901@ims.mnc000.mcc460.3gppnetwork.org", /* too long */
		"460001234567890@ims.mnc000.mcc460.3gppnetwork.org.evil",
		"460001234567890@ims.mncXX0.mcc460.3gppnetwork.org",
		"+460001234567890@ims.mnc000.mcc460.3gppnetwork.org",
		"\"460001234567890@ims.mnc000.mcc460.3gppnetwork.org", /* unterminated */
	};
	struct cs_sip_msg m;
	char msg[512];

	for (size_t i = 0; i < sizeof(usernames) / sizeof(usernames[0]); i++) {
		snprintf(msg, sizeof(msg),
			 "REGISTER sip:x SIP/2.0\r\nCall-ID: r\r\nCSeq: 1 REGISTER\r\n"
			 "Authorization: Digest username=\"%s\", realm=\"x\"\r\n\r\n",
			 usernames[i]);
		cr_assert_eq(decode_text(msg, &m), CS_R_OK, "%s", usernames[i]);
		expect_number(m.imsi, "");
	}
	cr_assert_eq(decode_text("REGISTER sip:x SIP/2.0\r\nCall-ID: r\r\nCSeq: 1 REGISTER\r\n"
				 "Authorization: Digest realm\r\n\r\n",
				 &m),
		     CS_R_OK);
	expect_number(m.imsi, "");
}

Test(decode_sip, sms_body_is_named)
{
	static const char msg[] = "MESSAGE sip:+8613800100500@ims.example.org SIP/2.0\r\n"
				  "Call-ID: s\r\nCSeq: 9 MESSAGE\r\n"
				  "Content-Type: application/vnd.3gpp.sms\r\nContent-Length: 2\r\n\r\n"
				  "\x06\x2c";
	struct cs_sip_msg m;

	cr_assert_eq(decode_text(msg, &m), CS_R_OK);
	cr_expect_eq(m.method, CS_SIP_METHOD_MESSAGE);
	cr_expect_eq(m.body_kind, CS_SIP_BODY_SMS);
	cr_expect_eq(m.body.len, 2);
	cr_expect_eq(m.body.p[1], 0x2c);
}

Test(decode_sip, methods_are_case_sensitive_tokens)
{
	static const struct {
		const char *name;
		enum cs_sip_method method;
	} cases[] = {
		{ "INVITE", CS_SIP_METHOD_INVITE }, { "ACK", CS_SIP_METHOD_ACK },
		{ "BYE", CS_SIP_METHOD_BYE },	    { "CANCEL", CS_SIP_METHOD_CANCEL },
		{ "MESSAGE", CS_SIP_METHOD_MESSAGE }, { "REGISTER", CS_SIP_METHOD_REGISTER },
		{ "OPTIONS", CS_SIP_METHOD_OPTIONS }, { "PRACK", CS_SIP_METHOD_PRACK },
		{ "UPDATE", CS_SIP_METHOD_UPDATE }, { "INFO", CS_SIP_METHOD_INFO },
		{ "SUBSCRIBE", CS_SIP_METHOD_SUBSCRIBE }, { "NOTIFY", CS_SIP_METHOD_NOTIFY },
		{ "PUBLISH", CS_SIP_METHOD_OTHER }, { "invite", CS_SIP_METHOD_OTHER },
		{ "INVITEX", CS_SIP_METHOD_OTHER },
	};
	struct cs_sip_msg m;
	char msg[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(msg, sizeof(msg), "%s sip:x@y SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 %s\r\n\r\n", cases[i].name,
			 cases[i].name);
		cr_assert_eq(decode_text(msg, &m), CS_R_OK, "%s", cases[i].name);
		cr_expect_eq(m.method, cases[i].method, "%s", cases[i].name);
		cr_expect_eq(m.cseq_method, cases[i].method, "%s", cases[i].name);
		expect_span(m.method_name, cases[i].name);
	}
}

/* ---- framing: keep-alives, several messages in one range, bodies ---- */

Test(decode_sip, keepalives_are_skipped_and_counted)
{
	static const char two[] = "\r\n\r\nACK sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
				  "BYE sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 2 BYE\r\nl: 0\r\n\r\n";
	struct cs_sip_msg m;

	cr_expect_eq(decode_text("\r\n\r\n", &m), CS_R_SIP_KEEPALIVE);
	cr_expect_eq(m.msg_len, 4);
	cr_expect_eq(m.skipped, 4);
	cr_expect_eq(decode_text("\r\n", &m), CS_R_SIP_KEEPALIVE);
	cr_expect_eq(decode_text("", &m), CS_R_SIP_TRUNCATED);

	cr_assert_eq(decode_text(two, &m), CS_R_OK);
	cr_expect_eq(m.method, CS_SIP_METHOD_ACK);
	cr_expect_eq(m.skipped, 4);
	cr_expect_eq(m.msg_len, 4 + m.header_len);
	uint32_t first = m.msg_len;
	cr_assert_eq(cs_decode_sip((const uint8_t *)two + first, (uint32_t)(sizeof(two) - 1 - first), &numbers, &m),
		     CS_R_OK);
	cr_expect_eq(m.method, CS_SIP_METHOD_BYE);
	cr_expect_eq(first + m.msg_len, sizeof(two) - 1);
}

Test(decode_sip, body_framing)
{
	struct cs_sip_msg m;

	/* UDP without Content-Length: the body is the rest of the datagram (RFC 3261 18.3) */
	cr_assert_eq(decode_text("MESSAGE sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 MESSAGE\r\n\r\nhello", &m), CS_R_OK);
	cr_expect_not(m.has_content_length);
	expect_span(m.body, "hello");
	cr_expect_eq(m.body_kind, CS_SIP_BODY_OTHER);

	/* bytes past Content-Length are not this message's */
	cr_assert_eq(decode_text("MESSAGE sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 MESSAGE\r\nl: 2\r\n\r\nhello", &m),
		     CS_R_OK);
	expect_span(m.body, "he");

	/* a body still on its way */
	cr_assert_eq(decode_text("MESSAGE sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 MESSAGE\r\nl: 100\r\n\r\nhello", &m),
		     CS_R_SIP_BODY_TRUNCATED);
	cr_expect_eq(m.msg_len, m.header_len + 100);
	expect_span(m.call_id, "a");

	/* repeated Content-Length that agrees */
	cr_expect_eq(decode_text("ACK sip:x SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 ACK\r\n"
				 "l: 0\r\nContent-Length: 0\r\n\r\n",
				 &m),
		     CS_R_OK);
}

/* ---- refusals ---- */

Test(decode_sip, start_line_refusals)
{
	static const struct {
		const char *start;
		enum cs_reason reason;
	} cases[] = {
		{ "GET / HTTP/1.1", CS_R_SIP_NOT_SIP },
		{ "SIP/3.0 200 OK", CS_R_SIP_NOT_SIP },
		{ "INVITE sip:x SIP/2.1", CS_R_SIP_NOT_SIP },
		{ "INVITE sip:x\x01 SIP/2.0", CS_R_SIP_NOT_SIP },
		{ "INVITE  SIP/2.0", CS_R_SIP_BAD_START_LINE },
		{ "INVITE sip:x  SIP/2.0", CS_R_SIP_BAD_START_LINE },
		{ "INVITE sip:a b SIP/2.0", CS_R_SIP_BAD_START_LINE },
		{ "INVITE bob SIP/2.0", CS_R_SIP_BAD_START_LINE },
		{ "IN/VITE sip:x SIP/2.0", CS_R_SIP_BAD_START_LINE },
		{ " SIP/2.0", CS_R_SIP_NOT_SIP },
		{ "SIP/2.0 99 Low", CS_R_SIP_BAD_STATUS_CODE },
		{ "SIP/2.0 700 High", CS_R_SIP_BAD_STATUS_CODE },
		{ "SIP/2.0 2000 OK", CS_R_SIP_BAD_STATUS_CODE },
		{ "SIP/2.0 20", CS_R_SIP_BAD_STATUS_CODE },
		{ "SIP/2.0 abc OK", CS_R_SIP_BAD_STATUS_CODE },
		{ "SIP/2.0 200", CS_R_OK },
		{ "sip/2.0 699 Last", CS_R_OK },
		{ "INVITE sip:x sip/2.0", CS_R_OK },
	};
	struct cs_sip_msg m;
	char msg[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(msg, sizeof(msg), "%s\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", cases[i].start);
		enum cs_reason r = decode_text(msg, &m);
		cr_expect_eq(r, cases[i].reason, "'%s': %s", cases[i].start, cs_reason_name(r));
	}
	cr_expect_eq(cs_decode_sip((const uint8_t *)"\x16\x03\x01\x02\x00", 5, &numbers, &m), CS_R_SIP_NOT_SIP);
	cr_expect_eq(decode_text("INVITE sip:x\x01", &m), CS_R_SIP_NOT_SIP); /* junk before a line end */
	cr_expect_eq(decode_text("INVITE sip:x", &m), CS_R_SIP_TRUNCATED);
}

Test(decode_sip, header_refusals)
{
	static const struct {
		const char *headers;
		enum cs_reason reason;
	} cases[] = {
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\n", CS_R_OK },
		{ "Call-ID: c\r\n", CS_R_SIP_NO_CSEQ },
		{ "CSeq: 1 INVITE\r\n", CS_R_SIP_NO_CALL_ID },
		{ "Call-ID:\r\nCSeq: 1 INVITE\r\n", CS_R_SIP_NO_CALL_ID },
		{ " folded: nothing\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n", CS_R_SIP_BAD_HEADER },
		{ "no colon here\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n", CS_R_SIP_BAD_HEADER },
		{ ": no name\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n", CS_R_SIP_BAD_HEADER },
		{ "Call ID: c\r\nCSeq: 1 INVITE\r\n", CS_R_SIP_BAD_HEADER },
		{ "Call-ID: c\r\nCSeq: INVITE\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 1\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 1INVITE\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 1 INVITE x\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 2147483648 INVITE\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 2147483647 INVITE\r\n", CS_R_OK },
		{ "Call-ID: c\r\nCSeq:\r\n", CS_R_SIP_BAD_CSEQ },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: bad\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length:\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: -1\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nl: 99999999999\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nl: 4294967295\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
		{ "Call-ID: c\r\nCSeq: 1 INVITE\r\nl: 0\r\nContent-Length: 1\r\n", CS_R_SIP_BAD_CONTENT_LENGTH },
	};
	struct cs_sip_msg m;
	char msg[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(msg, sizeof(msg), "INVITE sip:x SIP/2.0\r\n%s\r\n", cases[i].headers);
		enum cs_reason r = decode_text(msg, &m);
		cr_expect_eq(r, cases[i].reason, "'%s': %s", cases[i].headers, cs_reason_name(r));
	}
}

Test(decode_sip, zeek_junk_before_request)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-sip-junk-before-request.pcap");
	cr_assert_eq(c.n, 2);
	/* four zero bytes on the SIP port, then a REGISTER that lacks Call-ID and CSeq */
	cr_expect_eq(cs_decode_sip(c.frames[0].payload, c.frames[0].len, &numbers, &m), CS_R_SIP_NOT_SIP);
	cr_expect_eq(cs_decode_sip(c.frames[1].payload, c.frames[1].len, &numbers, &m), CS_R_SIP_NO_CALL_ID);
	free(c.file);
}

Test(decode_sip, zeek_invalid_content_length)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-invalid-content-length.pcap");
	cr_assert_eq(c.n, 2);
	for (size_t i = 0; i < c.n; i++) {
		enum cs_reason r = cs_decode_sip(c.frames[i].payload, c.frames[i].len, &numbers, &m);
		cr_expect_eq(r, CS_R_SIP_BAD_CONTENT_LENGTH, "frame %u: %s", c.frames[i].number, cs_reason_name(r));
	}
	free(c.file);
}

Test(decode_sip, zeek_long_request_response_paths)
{
	struct capture c;
	struct cs_sip_msg m;

	load(&c, "tests/data/zeek-sip-long-request-response-paths.pcap");
	cr_assert_eq(c.n, 2);
	for (size_t i = 0; i < c.n; i++) {
		cr_assert_eq(cs_decode_sip(c.frames[i].payload, c.frames[i].len, &numbers, &m), CS_R_OK);
		cr_expect_eq(m.is_request, i == 0);
		cr_expect_eq(m.status_code, i == 0 ? 0 : 200);
		cr_expect_eq(m.method, CS_SIP_METHOD_OPTIONS);
		expect_span(m.call_id, "path-growth@example.com");
		expect_span(m.from.user, "alice");
		expect_span(m.to.user, "bob");
		expect_span(m.from_tag, "1");
		cr_expect_eq(m.cseq, 1);
		cr_expect_eq(m.msg_len, c.frames[i].len);
		cr_expect_gt(m.header_len, 9000);
	}
	free(c.file);
}

/* Nothing is stored per header, so neither count nor folding is bounded: one pass over the bytes. */
Test(decode_sip, many_headers_and_long_folds)
{
	enum { PAD = 20000 };
	static const char start[] = "OPTIONS sip:x SIP/2.0\r\nSubject: a\r\n";
	static const char end[] = "Call-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n";
	size_t cap = sizeof(start) + PAD * 10 + sizeof(end);
	char *msg = malloc(cap);
	struct cs_sip_msg m;
	size_t n = 0;

	cr_assert_not_null(msg);
	memcpy(msg, start, sizeof(start) - 1);
	n = sizeof(start) - 1;
	for (int i = 0; i < PAD; i++, n += 10)
		memcpy(msg + n, i % 2 ? "X-Pad: y\r\n" : " folded,\r\n", 10);
	memcpy(msg + n, end, sizeof(end) - 1);
	n += sizeof(end) - 1;
	cr_assert_eq(cs_decode_sip((const uint8_t *)msg, (uint32_t)n, &numbers, &m), CS_R_OK);
	cr_expect_eq(m.header_len, n);
	expect_span(m.call_id, "c");
	cr_expect_eq(cs_decode_sip((const uint8_t *)msg, (uint32_t)n - 2, &numbers, &m), CS_R_SIP_TRUNCATED);
	free(msg);
}

Test(decode_sip, reason_names)
{
	cr_expect_str_eq(cs_reason_name(CS_R_SIP_TRUNCATED), "sip.truncated");
	cr_expect_str_eq(cs_reason_name(CS_R_SIP_BODY_TRUNCATED), "sip.body_truncated");
	cr_expect_str_eq(cs_reason_name(CS_R_SIP_NO_CALL_ID), "sip.no_call_id");
	cr_expect_not(cs_sip_needs_more(CS_R_SIP_BAD_CONTENT_LENGTH));
	cr_expect(cs_sip_needs_more(CS_R_SIP_TRUNCATED));
}
