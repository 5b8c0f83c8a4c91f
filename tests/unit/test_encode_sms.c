/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SMS encoders of the generator (bench/gen/encode_sms.h) and the SIP
 * MESSAGE that carries them: byte for byte against hand-made encodings,
 * read back by the project's decoders, and read by tshark; and the
 * generator's --sms traffic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "decode_sip.h"
#include "decode_sms.h"
#include "encode.h"
#include "encode_sip.h"
#include "encode_sms.h"
#include "pcap_writer.h"
#include "run.h"

/*
 * Hand-made encodings (tests/unit/test_decode_sms.c explains them octet by
 * octet and checks them with tshark): what the encoders must write for
 * the same fields.
 */
static const uint8_t hand_submit[] = {
	0x00, 0x2a, 0x00, 0x08, 0x91, 0x68, 0x31, 0x08, 0x10, 0x00, 0x05, 0xf0, 0x14, 0x11, 0x05, 0x0d,
	0x91, 0x68, 0x31, 0x19, 0x32, 0x54, 0x76, 0xf8, 0x00, 0x00, 0xa7, 0x05, 0xe8, 0x32, 0x9b, 0xfd, 0x06,
};
static const struct cs_gen_sms_submit hand_submit_fields = {
	.smsc = "8613800100500", .recipient = "8613912345678", .text = "hello", .rp_mr = 42, .tp_mr = 5,
	.validity = 0xa7,
};

static const uint8_t hand_deliver[] = {
	0x01, 0x2b, 0x08, 0x91, 0x68, 0x31, 0x08, 0x10, 0x00, 0x05, 0xf0, 0x00, 0x24, 0x04, 0x0b, 0xd0,
	0xcd, 0xbc, 0x30, 0xec, 0x5e, 0x03, 0x00, 0x00, 0x62, 0x10, 0x50, 0x80, 0x00, 0x00, 0x23, 0x13,
	0xd9, 0x77, 0x5d, 0x0e, 0x1a, 0xbf, 0xc9, 0x65, 0x50, 0x7a, 0x0e, 0xa2, 0xe1, 0x64, 0xb9, 0xd8, 0x0c,
};
static const struct cs_gen_sms_deliver hand_deliver_fields = {
	.smsc = "8613800100500", .sender = "MyBank", .alphanumeric = true, .text = "Your code is 482913",
	.rp_mr = 43, .scts = { .year = 26, .month = 1, .day = 5, .hour = 8, .minute = 0, .second = 0, .tz_quarters = 32 },
};

static struct cs_e164_conf numbers;

static void default_numbers(void)
{
	numbers = cs_e164_conf_default();
}

TestSuite(encode_sms, .init = default_numbers);

static void expect_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
	cr_assert_eq(got_len, want_len, "length %zu, want %zu", got_len, want_len);
	for (size_t i = 0; i < want_len; i++)
		cr_expect_eq(got[i], want[i], "octet %zu: %02x, want %02x", i, got[i], want[i]);
}

/* The text of GSM 7-bit packed user data, through the encoder's own alphabet. */
static void unpack(const uint8_t *b, unsigned int septets, char *out)
{
	for (unsigned int i = 0; i < septets; i++) {
		unsigned int bit = 7 * i, v = b[bit / 8] >> (bit % 8);
		if (bit % 8 > 1)
			v |= (unsigned int)b[bit / 8 + 1] << (8 - bit % 8);
		out[i] = '~'; /* not in the alphabet: shows a septet nothing encodes to */
		for (int c = 1; c < 128; c++)
			if (cs_gsm7_septet((char)c) == (int)(v & 0x7f))
				out[i] = (char)c;
	}
	out[septets] = '\0';
}

/* ---- byte for byte ---- */

Test(encode_sms, submit_is_the_hand_made_encoding)
{
	uint8_t out[256];

	size_t n = cs_encode_sms_submit(out, sizeof(out), &hand_submit_fields);
	expect_bytes(out, n, hand_submit, sizeof(hand_submit));
}

Test(encode_sms, deliver_is_the_hand_made_encoding)
{
	uint8_t out[256];

	size_t n = cs_encode_sms_deliver(out, sizeof(out), &hand_deliver_fields);
	expect_bytes(out, n, hand_deliver, sizeof(hand_deliver));
}

Test(encode_sms, gsm7_packing)
{
	uint8_t mem[16];
	struct cs_buf b;

	/* 8 septets fill 7 octets exactly */
	cs_buf_init(&b, mem, sizeof(mem));
	cr_assert_eq(cs_buf_gsm7(&b, "ABCDEFGH"), 8);
	expect_bytes(mem, b.len, (const uint8_t[]){ 0x41, 0xe1, 0x90, 0x58, 0x34, 0x1e, 0x91 }, 7);
	/* 7 septets: 49 bits, the last octet's 7 spare bits zero */
	cs_buf_init(&b, mem, sizeof(mem));
	cr_assert_eq(cs_buf_gsm7(&b, "ABCDEFG"), 7);
	expect_bytes(mem, b.len, (const uint8_t[]){ 0x41, 0xe1, 0x90, 0x58, 0x34, 0x1e, 0x01 }, 7);
	/* the characters whose code is not their ASCII code */
	cs_buf_init(&b, mem, sizeof(mem));
	cr_assert_eq(cs_buf_gsm7(&b, "@$_"), 3);
	expect_bytes(mem, b.len, (const uint8_t[]){ 0x00, 0x41, 0x04 }, 3);
	cs_buf_init(&b, mem, sizeof(mem));
	cr_assert_eq(cs_buf_gsm7(&b, ""), 0);
	cr_expect_eq(b.len, 0);
	/* outside the default table: the extension table's, the backquote, and non-ASCII bytes */
	static const char *const refused[] = { "a{b", "[", "~", "|", "\\", "^", "}", "]", "`", "caf\xc3\xa9" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		cs_buf_init(&b, mem, sizeof(mem));
		cr_expect_eq(cs_buf_gsm7(&b, refused[i]), -1, "'%s'", refused[i]);
		cr_expect(b.overflow, "'%s'", refused[i]);
	}
}

/* ---- read back by the decoder ---- */

Test(encode_sms, decoder_reads_a_submit)
{
	static const char text[] = "Meet at 8, gate 12: bring $20 & ID_card? (@home) \"ok\"";
	const struct cs_gen_sms_submit m = {
		.smsc = "447785016005", .recipient = "4915112345678", .text = text, .rp_mr = 200, .tp_mr = 201,
		.validity = 11,
	};
	uint8_t out[256];
	char got[200];
	struct cs_sms s;

	size_t n = cs_encode_sms_submit(out, sizeof(out), &m);
	cr_assert_gt(n, 0);
	cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK);
	cr_expect_eq(s.rp_mti, CS_RP_DATA_MS_TO_NET);
	cr_expect_eq(s.direction, CS_SMS_MO);
	cr_expect_eq(s.rp_mr, 200);
	cr_expect_eq(s.rp_originator.len, 0);
	cr_expect_str_eq(s.rp_destination.text, "447785016005");
	cr_expect_eq(s.rp_destination.ton, 1);
	cr_expect_eq(s.rp_destination.npi, 1);
	cr_expect_eq(s.rp_user_data_len, n - 12, "RP-UD length covers the TPDU to the end");
	cr_expect_eq(s.tp_kind, CS_TP_SUBMIT);
	cr_expect_eq(s.tp_mr, 201);
	cr_expect_str_eq(s.tp_address.text, "4915112345678");
	cr_expect_eq(s.tp_address.ton, 1);
	cr_expect_eq(s.tp_address.npi, 1);
	cr_expect_eq(s.tp_pid, 0);
	cr_expect_eq(s.alphabet, CS_SMS_GSM7);
	cr_expect_eq(s.vp_format, CS_SMS_VP_RELATIVE);
	cr_expect_eq(s.vp_minutes, 12 * 5);
	cr_expect_not(s.udhi);
	cr_assert_eq(s.tp_udl, strlen(text));
	cr_expect_eq(s.tp_ud + s.tp_ud_len, out + n, "the user data ends the message");
	unpack(s.tp_ud, s.tp_udl, got);
	cr_expect_str_eq(got, text);
}

Test(encode_sms, decoder_reads_a_deliver)
{
	const struct cs_gen_sms_deliver m = {
		.smsc = "15550000100", .sender = "447700900123", .text = "Call me", .rp_mr = 7,
		.scts = { .year = 99, .month = 12, .day = 31, .hour = 23, .minute = 59, .second = 58, .tz_quarters = -20 },
	};
	uint8_t out[256];
	char got[200];
	struct cs_sms s;

	size_t n = cs_encode_sms_deliver(out, sizeof(out), &m);
	cr_assert_gt(n, 0);
	cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK);
	cr_expect_eq(s.rp_mti, CS_RP_DATA_NET_TO_MS);
	cr_expect_eq(s.direction, CS_SMS_MT);
	cr_expect_eq(s.rp_mr, 7);
	cr_expect_str_eq(s.rp_originator.text, "15550000100");
	cr_expect_eq(s.rp_destination.len, 0);
	cr_expect_eq(s.tp_kind, CS_TP_DELIVER);
	cr_expect_eq(s.tp_first_octet, 0x04, "MMS: no more messages waiting");
	cr_expect_str_eq(s.tp_address.text, "447700900123");
	cr_expect_eq(s.tp_address.ton, 1);
	cr_expect(s.scts.valid);
	cr_expect_eq(s.scts.year, 99);
	cr_expect_eq(s.scts.month, 12);
	cr_expect_eq(s.scts.day, 31);
	cr_expect_eq(s.scts.hour, 23);
	cr_expect_eq(s.scts.minute, 59);
	cr_expect_eq(s.scts.second, 58);
	cr_expect_eq(s.scts.tz_quarters, -20);
	cr_assert_eq(s.tp_udl, 7);
	unpack(s.tp_ud, s.tp_udl, got);
	cr_expect_str_eq(got, "Call me");
}

/* Names of every length an alphanumeric sender can have, and every character the encoder takes. */
Test(encode_sms, decoder_reads_every_alphanumeric_sender)
{
	static const char name[] = "ABCDEFGHIJK";
	struct cs_gen_sms_deliver m = hand_deliver_fields;
	uint8_t out[256];
	char one[2] = "";
	struct cs_sms s;

	for (size_t len = 0; len <= 11; len++) {
		char sender[12];
		snprintf(sender, sizeof(sender), "%.*s", (int)len, name);
		m.sender = sender;
		size_t n = cs_encode_sms_deliver(out, sizeof(out), &m);
		cr_assert_gt(n, 0, "%zu characters", len);
		cr_expect_eq(out[14], (7 * len + 3) / 4, "%zu characters: length in semi-octets", len);
		cr_expect_eq(out[15], 0xd0);
		cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK, "%zu characters", len);
		cr_expect_eq(s.tp_address.ton, 5);
		cr_expect_str_eq(s.tp_address.text, sender);
	}
	/* each printable character the encoder accepts is the one the decoder reads */
	m.sender = one;
	for (int c = ' '; c < 127; c++) {
		if (cs_gsm7_septet((char)c) < 0)
			continue;
		one[0] = (char)c;
		size_t n = cs_encode_sms_deliver(out, sizeof(out), &m);
		cr_assert_gt(n, 0, "'%c'", c);
		cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK, "'%c'", c);
		cr_expect_str_eq(s.tp_address.text, one, "'%c'", c);
	}
}

Test(encode_sms, limits_and_refusals)
{
	char digits20[] = "12345678901234567890", digits21[] = "123456789012345678901";
	char text160[161], text161[162];
	uint8_t out[256];
	struct cs_sms s;

	memset(text160, 'x', 160);
	text160[160] = '\0';
	memset(text161, 'x', 161);
	text161[161] = '\0';

	struct cs_gen_sms_submit mo = hand_submit_fields;
	mo.smsc = digits20;
	mo.recipient = digits20;
	mo.text = text160;
	size_t n = cs_encode_sms_submit(out, sizeof(out), &mo);
	cr_assert_gt(n, 0, "20 digits and 160 characters are the most there can be");
	cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK);
	cr_expect_str_eq(s.rp_destination.text, digits20);
	cr_expect_str_eq(s.tp_address.text, digits20);
	cr_expect_eq(s.tp_udl, 160);
	cr_expect_eq(s.tp_ud_len, 140);

	static const struct {
		const char *smsc, *recipient, *text;
	} bad_mo[] = {
		{ "", "4412", "x" }, { "44a2", "4412", "x" }, { "+4412", "4412", "x" }, { "4412", "", "x" },
		{ "4412", "44 12", "x" }, { NULL, "4412", "x" }, { "4412", NULL, "x" }, { "4412", "4412", "{x}" },
		{ "4412", "4412", NULL },
	};
	for (size_t i = 0; i < sizeof(bad_mo) / sizeof(bad_mo[0]); i++) {
		mo = hand_submit_fields;
		mo.smsc = bad_mo[i].smsc != NULL ? bad_mo[i].smsc : digits21;
		mo.recipient = bad_mo[i].recipient != NULL ? bad_mo[i].recipient : digits21;
		mo.text = bad_mo[i].text != NULL ? bad_mo[i].text : text161;
		cr_expect_eq(cs_encode_sms_submit(out, sizeof(out), &mo), 0, "case %zu", i);
	}

	struct cs_gen_sms_deliver mt = hand_deliver_fields;
	mt.sender = "ABCDEFGHIJKL";
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0, "12 characters do not fit 20 semi-octets");
	mt.sender = "A{B";
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0, "a name outside the default table");
	mt = hand_deliver_fields;
	mt.alphanumeric = false;
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0, "a name is not a number");
	mt = hand_deliver_fields;
	mt.smsc = "";
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0, "an SMSC must be named");
	mt = hand_deliver_fields;
	mt.text = text161;
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0);

	static const struct cs_gen_sms_time bad_time[] = {
		{ .year = 100, .month = 1, .day = 1 }, { .year = 26, .month = 0, .day = 1 },
		{ .year = 26, .month = 13, .day = 1 }, { .year = 26, .month = 1, .day = 0 },
		{ .year = 26, .month = 1, .day = 32 }, { .year = 26, .month = 1, .day = 1, .hour = 24 },
		{ .year = 26, .month = 1, .day = 1, .minute = 60 }, { .year = 26, .month = 1, .day = 1, .second = 60 },
		{ .year = 26, .month = 1, .day = 1, .tz_quarters = 80 }, { .year = 26, .month = 1, .day = 1, .tz_quarters = -80 },
	};
	for (size_t i = 0; i < sizeof(bad_time) / sizeof(bad_time[0]); i++) {
		mt = hand_deliver_fields;
		mt.scts = bad_time[i];
		cr_expect_eq(cs_encode_sms_deliver(out, sizeof(out), &mt), 0, "time %zu", i);
	}
	mt = hand_deliver_fields;
	mt.scts.tz_quarters = -79;
	n = cs_encode_sms_deliver(out, sizeof(out), &mt);
	cr_assert_gt(n, 0);
	cr_assert_eq(cs_decode_sms_rp(out, (uint32_t)n, &numbers, &s), CS_R_OK);
	cr_expect_eq(s.scts.tz_quarters, -79);
}

/* A buffer one octet short, or any shorter, fails; nothing is written past it. */
Test(encode_sms, short_buffers_fail_without_writing_past_them)
{
	uint8_t out[256];

	for (size_t cap = 0; cap < sizeof(hand_submit); cap++) {
		memset(out, 0xee, sizeof(out));
		cr_expect_eq(cs_encode_sms_submit(out, cap, &hand_submit_fields), 0, "cap %zu", cap);
		for (size_t i = cap; i < sizeof(out); i++)
			cr_assert_eq(out[i], 0xee, "cap %zu: octet %zu written", cap, i);
	}
	cr_expect_eq(cs_encode_sms_submit(out, sizeof(hand_submit), &hand_submit_fields), sizeof(hand_submit));
	for (size_t cap = 0; cap < sizeof(hand_deliver); cap++) {
		memset(out, 0xee, sizeof(out));
		cr_expect_eq(cs_encode_sms_deliver(out, cap, &hand_deliver_fields), 0, "cap %zu", cap);
		for (size_t i = cap; i < sizeof(out); i++)
			cr_assert_eq(out[i], 0xee, "cap %zu: octet %zu written", cap, i);
	}
	cr_expect_eq(cs_encode_sms_deliver(out, sizeof(hand_deliver), &hand_deliver_fields), sizeof(hand_deliver));
}

/* ---- SIP MESSAGE ---- */

static const char DOMAIN[] = "ims.mnc001.mcc001.3gppnetwork.org";

Test(encode_sms, sip_message_carries_the_rp_message)
{
	const struct cs_gen_sip_dialog d = {
		.caller = "15552000003", .callee = "15550000100", .call_id = "0123456789abcdef@pcscf",
		.domain = DOMAIN, .from_tag = "o3", .to_tag = "r3", .sms = hand_submit, .sms_len = sizeof(hand_submit),
	};
	char text[2048];
	struct cs_sip_msg m;
	char want_len[32];

	size_t n = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE);
	cr_assert_gt(n, 0);
	cr_assert_eq(cs_decode_sip((const uint8_t *)text, (uint32_t)n, &numbers, &m), CS_R_OK);
	cr_expect(m.is_request);
	cr_expect_eq(m.method, CS_SIP_METHOD_MESSAGE);
	cr_expect_eq(m.body_kind, CS_SIP_BODY_SMS);
	cr_expect_eq(m.content_type.len, strlen("application/vnd.3gpp.sms"));
	cr_expect_eq(memcmp(m.content_type.p, "application/vnd.3gpp.sms", m.content_type.len), 0);
	cr_expect(m.has_content_length);
	cr_expect_eq(m.content_length, sizeof(hand_submit));
	cr_expect_eq(m.msg_len, n, "the body ends the datagram");
	cr_assert_eq(m.body.len, sizeof(hand_submit));
	cr_expect_eq(memcmp(m.body.p, hand_submit, sizeof(hand_submit)), 0);
	cr_expect_eq(m.call_id.len, strlen(d.call_id));
	cr_expect_eq(memcmp(m.call_id.p, d.call_id, m.call_id.len), 0);
	cr_expect_eq(m.cseq, 1);
	cr_expect_eq(m.cseq_method, CS_SIP_METHOD_MESSAGE);
	cr_expect_eq(m.asserted.number, cs_e164_normalise("+15552000003", 12, &numbers));
	cr_expect_eq(m.request_uri.number, cs_e164_normalise("+15550000100", 12, &numbers));
	cr_expect_eq(m.to_tag.len, 0);
	snprintf(want_len, sizeof(want_len), "Content-Length: %zu\r\n\r\n", sizeof(hand_submit));
	cr_expect(memmem(text, n, want_len, strlen(want_len)) != NULL);

	n = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE_200);
	cr_assert_gt(n, 0);
	cr_assert_eq(cs_decode_sip((const uint8_t *)text, (uint32_t)n, &numbers, &m), CS_R_OK);
	cr_expect_not(m.is_request);
	cr_expect_eq(m.status_code, 200);
	cr_expect_eq(m.method, CS_SIP_METHOD_MESSAGE);
	cr_expect_eq(m.body_kind, CS_SIP_BODY_NONE);
	cr_expect_eq(m.content_length, 0);
	cr_expect_eq(m.to_tag.len, 2);

	/* a buffer too short for the body fails rather than cutting it */
	size_t whole = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE);
	cr_expect_eq(cs_encode_sip(text, whole, &d, CS_SIP_MESSAGE), 0);
	cr_expect_eq(cs_encode_sip(text, whole - sizeof(hand_submit), &d, CS_SIP_MESSAGE), 0);
}

/* ---- tshark reads what the encoders write ---- */

struct sample {
	bool mo;
	struct cs_gen_sms_submit submit;
	struct cs_gen_sms_deliver deliver;
};

static const struct sample samples[] = {
	{ .mo = true, .submit = { .smsc = "15550000100", .recipient = "447700900123", .text = "See you at 8",
				  .rp_mr = 1, .tp_mr = 2, .validity = 167 } },
	{ .mo = true, .submit = { .smsc = "8613800100500", .recipient = "8613912345678", .text = "odd digit count",
				  .rp_mr = 255, .tp_mr = 254, .validity = 0 } },
	{ .deliver = { .smsc = "15550000100", .sender = "BANK", .alphanumeric = true, .text = "Your code is 482913",
		       .rp_mr = 3, .scts = { .year = 26, .month = 1, .day = 5, .hour = 8, .minute = 1, .second = 2 } } },
	{ .deliver = { .smsc = "15550000100", .sender = "VERIFY", .alphanumeric = true, .text = "Code 000111",
		       .rp_mr = 4, .scts = { .year = 26, .month = 2, .day = 28, .hour = 23, .minute = 59, .second = 59,
					     .tz_quarters = 32 } } },
	{ .deliver = { .smsc = "15550000100", .sender = "ABCDEFGHIJK", .alphanumeric = true, .text = "eleven",
		       .rp_mr = 5, .scts = { .year = 0, .month = 12, .day = 31, .tz_quarters = -20 } } },
	{ .deliver = { .smsc = "15550000100", .sender = "447700900055", .text = "Call me when you land", .rp_mr = 6,
		       .scts = { .year = 26, .month = 1, .day = 5, .hour = 8 } } },
};
enum { SAMPLES = sizeof(samples) / sizeof(samples[0]) };

/* Writes one MESSAGE per sample to a fresh capture; returns its path in path. */
static void write_samples(char *path)
{
	const struct cs_udp4_flow flow = {
		.src_mac = { 0x02, 0, 0, 0, 0, 1 }, .dst_mac = { 0x02, 0, 0, 0, 0, 2 },
		.src_ip = 0x0a040001, .dst_ip = 0x0a040002, .src_port = 5060, .dst_port = 5060,
	};
	struct cs_pcap_writer w;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	for (int i = 0; i < SAMPLES; i++) {
		uint8_t rp[256], frame[2048];
		char text[1600], call_id[32];
		const struct sample *s = &samples[i];

		size_t rp_len = s->mo ? cs_encode_sms_submit(rp, sizeof(rp), &s->submit)
				      : cs_encode_sms_deliver(rp, sizeof(rp), &s->deliver);
		cr_assert_gt(rp_len, 0, "sample %d", i);
		snprintf(call_id, sizeof(call_id), "sample%d@pcscf", i);
		const struct cs_gen_sip_dialog d = {
			.caller = s->mo ? "15552000000" : s->deliver.smsc, .callee = s->mo ? s->submit.smsc : "15552000000",
			.call_id = call_id, .domain = DOMAIN, .from_tag = "f", .to_tag = "t", .sms = rp, .sms_len = rp_len,
		};
		size_t n = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE);
		cr_assert_gt(n, 0);
		n = cs_encode_udp4_frame(frame, sizeof(frame), &flow, (uint16_t)i, (const uint8_t *)text, n);
		cr_assert_gt(n, 0);
		cr_assert_eq(cs_pcap_writer_add(&w, 1767600000000000000ull + (uint64_t)i * 1000000000ull, frame, n), 0);
	}
	cr_assert_eq(cs_pcap_writer_close(&w), 0);
}

static unsigned long field_u(const char *f)
{
	return strtoul(f, NULL, 0);
}

Test(encode_sms, tshark_reads_what_is_encoded, .timeout = 60)
{
	char path[] = "/tmp/cs-encode-sms.XXXXXX";
	struct cs_run r;
	char *save = NULL;
	int seen = 0;

	write_samples(path);
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number", "-e", "sip.Method",
			 "-e", "sip.Call-ID", "-e", "gsm_a.rp.msg_type", "-e", "gsm_a.rp.rp_message_reference",
			 "-e", "gsm_a.dtap.cld_party_bcd_num", "-e", "gsm_sms.tp-mti", "-e", "gsm_sms.tp-mr",
			 "-e", "gsm_sms.tp-da", "-e", "gsm_sms.tp-oa", "-e", "gsm_sms.sms_text", "-e", "gsm_sms.scts.year",
			 "-e", "gsm_sms.scts.month", "-e", "gsm_sms.scts.day", "-e", "gsm_sms.scts.hour",
			 "-e", "gsm_sms.scts.minutes", "-e", "gsm_sms.scts.seconds", NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "tshark: %s", r.err);
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[17];
		cr_assert_eq(cs_split_fields(line, '\t', f, 17), 17, "tshark line '%s'", line);
		int i = atoi(f[0]) - 1;
		cr_assert(i >= 0 && i < SAMPLES);
		const struct sample *s = &samples[i];
		char call_id[32];

		snprintf(call_id, sizeof(call_id), "sample%d@pcscf", i);
		cr_expect_str_eq(f[1], "MESSAGE");
		cr_expect_str_eq(f[2], call_id);
		cr_expect_eq(field_u(f[3]), s->mo ? 0 : 1, "frame %d: RP-MTI", i + 1);
		if (s->mo) {
			cr_expect_eq(field_u(f[4]), s->submit.rp_mr, "frame %d", i + 1);
			cr_expect_str_eq(f[5], s->submit.smsc, "frame %d: RP-DA", i + 1);
			cr_expect_str_eq(f[6], "1", "frame %d: SUBMIT", i + 1);
			cr_expect_eq(field_u(f[7]), s->submit.tp_mr, "frame %d", i + 1);
			cr_expect_str_eq(f[8], s->submit.recipient, "frame %d", i + 1);
			cr_expect_str_eq(f[9], "", "frame %d", i + 1);
			cr_expect_str_eq(f[10], s->submit.text, "frame %d", i + 1);
		} else {
			const struct cs_gen_sms_time *t = &s->deliver.scts;
			cr_expect_eq(field_u(f[4]), s->deliver.rp_mr, "frame %d", i + 1);
			cr_expect_str_eq(f[5], s->deliver.smsc, "frame %d: RP-OA", i + 1);
			cr_expect_str_eq(f[6], "0", "frame %d: DELIVER", i + 1);
			cr_expect_str_eq(f[8], "", "frame %d", i + 1);
			cr_expect_str_eq(f[9], s->deliver.sender, "frame %d", i + 1);
			cr_expect_str_eq(f[10], s->deliver.text, "frame %d", i + 1);
			cr_expect_eq(field_u(f[11]), t->year, "frame %d", i + 1);
			cr_expect_eq(field_u(f[12]), t->month, "frame %d", i + 1);
			cr_expect_eq(field_u(f[13]), t->day, "frame %d", i + 1);
			cr_expect_eq(field_u(f[14]), t->hour, "frame %d", i + 1);
			cr_expect_eq(field_u(f[15]), t->minute, "frame %d", i + 1);
			cr_expect_eq(field_u(f[16]), t->second, "frame %d", i + 1);
		}
		seen++;
	}
	cr_expect_eq(seen, SAMPLES);
	cs_run_free(&r);

	/*
	 * Nothing malformed, and no expert note but one: tshark shows the SIP
	 * header block as a string that runs into the binary body, whose NUL
	 * octets it reports as trailing stray characters.
	 */
	char *check[] = { "/usr/bin/tshark", "-n", "-r", path, "-Y",
			  "_ws.malformed || (_ws.expert && !_ws.string.trailing_stray_characters)", "-T", "fields",
			  "-e", "frame.number", "-e", "_ws.expert.message", NULL };
	cr_assert_eq(cs_run(check, &r), 0);
	cr_assert_eq(r.status, 0, "tshark: %s", r.err);
	cr_expect_str_empty(r.out, "frames tshark finds malformed or odd:\n%s", r.out);
	cs_run_free(&r);
	unlink(path);
}

/* ---- the generator's --sms traffic ---- */

static char *generate(const char *sms, const char *seed, const char *subscribers, size_t *len)
{
	char out[] = "/tmp/cs-gen-sms.XXXXXX";
	int fd = mkstemp(out);
	struct cs_run r;

	cr_assert(fd >= 0);
	close(fd);
	char *with[] = { (char *)cs_env("CDRSENTRY_GEN"), "--seed", (char *)seed, "--subscribers", (char *)subscribers,
			 "--sms", (char *)sms, "--out", out, NULL };
	char *without[] = { (char *)cs_env("CDRSENTRY_GEN"), "--seed", (char *)seed, "--subscribers",
			    (char *)subscribers, "--out", out, NULL };
	cr_assert_eq(cs_run(sms != NULL ? with : without, &r), 0);
	cr_assert_eq(r.status, 0, "cdrsentry-gen failed: %s", r.err);
	cs_run_free(&r);
	char *bytes = cs_read_file(out, len);
	cr_assert_not_null(bytes);
	unlink(out);
	return bytes;
}

Test(encode_sms, bundled_sms_capture_is_reproducible)
{
	size_t made_len, bundled_len;
	char *made = generate("4", "2", "8", &made_len);
	char *bundled = cs_read_file(CS_SOURCE_PATH("tests/data/sms.pcap"), &bundled_len);

	cr_assert_not_null(bundled);
	cr_assert_eq(made_len, bundled_len);
	cr_expect_eq(memcmp(made, bundled, made_len), 0,
		     "tests/data/sms.pcap differs from cdrsentry-gen --seed 2 --subscribers 8 --sms 4");
	free(made);
	free(bundled);
}

/*
 * SMS come after the rest and draw their randomness after it: --sms 0
 * writes exactly what no --sms writes, and with --sms N that is where
 * the capture starts.
 */
Test(encode_sms, sms_traffic_only_appends)
{
	size_t plain_len, zero_len, four_len;
	char *plain = generate(NULL, "3", "5", &plain_len);
	char *zero = generate("0", "3", "5", &zero_len);
	char *four = generate("4", "3", "5", &four_len);

	cr_assert_eq(zero_len, plain_len);
	cr_expect_eq(memcmp(zero, plain, plain_len), 0);
	cr_assert_gt(four_len, plain_len);
	cr_expect_eq(memcmp(four, plain, plain_len), 0);
	free(plain);
	free(zero);
	free(four);
}

Test(encode_sms, generator_refuses_a_bad_count)
{
	static const char *const bad[] = { "-1", "x", "", "1000001" };
	struct cs_run r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { (char *)cs_env("CDRSENTRY_GEN"), "--sms", (char *)bad[i], "--out", "/dev/null", NULL };
		cr_assert_eq(cs_run(argv, &r), 0);
		cr_expect_eq(r.status, 2, "--sms '%s'", bad[i]);
		cr_expect(strstr(r.err, "--sms") != NULL, "%s", r.err);
		cs_run_free(&r);
	}
}
