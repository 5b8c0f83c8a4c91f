/* SPDX-License-Identifier: Apache-2.0 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "decode_sip.h"
#include "decode_sms.h"
#include "encode.h"
#include "pcap_writer.h"
#include "run.h"

/*
 * Real encodings, by hand (checked with tshark 4.0: see agrees_with_tshark
 * below). Numbers are Chinese, as the probe's first users' are.
 */

/* MO: RP-DATA (TS 24.011 7.3.1.2) carrying TP-SUBMIT (TS 23.040 9.2.2.2). */
static const uint8_t mo_submit[] = {
	0x00,             /* RP-MTI 000: RP-DATA, MS -> network */
	0x2a,             /* RP-MR 42 */
	0x00,             /* RP-OA: empty from the MS */
	0x08, 0x91,       /* RP-DA: 8 octets, ext 1, TON international, NPI E.164 */
	0x68, 0x31, 0x08, 0x10, 0x00, 0x05, 0xf0, /* SMSC 8613800100500, TBCD + filler */
	0x14,             /* RP-UD: 20 octets of TPDU */
	0x11,             /* TP-MTI 01 SUBMIT, TP-RD 0, TP-VPF 10 relative, SRR 0, UDHI 0, RP 0 */
	0x05,             /* TP-MR 5 */
	0x0d, 0x91,       /* TP-DA: 13 semi-octets, international, E.164 */
	0x68, 0x31, 0x19, 0x32, 0x54, 0x76, 0xf8, /* 8613912345678 */
	0x00,             /* TP-PID: plain SME-to-SME */
	0x00,             /* TP-DCS: GSM 7-bit default alphabet */
	0xa7,             /* TP-VP 167: 12 h + 24 x 30 min = 24 h */
	0x05,             /* TP-UDL: 5 septets */
	0xe8, 0x32, 0x9b, 0xfd, 0x06, /* "hello", packed */
};

/* MT: RP-DATA (7.3.1.1) carrying TP-DELIVER (9.2.2.1) from an alphanumeric sender. */
static const uint8_t mt_deliver[] = {
	0x01,             /* RP-MTI 001: RP-DATA, network -> MS */
	0x2b,             /* RP-MR 43 */
	0x08, 0x91,       /* RP-OA: the SMSC, international */
	0x68, 0x31, 0x08, 0x10, 0x00, 0x05, 0xf0, /* 8613800100500 */
	0x00,             /* RP-DA: empty towards the MS */
	0x24,             /* RP-UD: 36 octets of TPDU */
	0x04,             /* TP-MTI 00 DELIVER, TP-MMS 1 (no more messages) */
	0x0b, 0xd0,       /* TP-OA: 11 semi-octets, ext 1, TON 101 alphanumeric, NPI 0 */
	0xcd, 0xbc, 0x30, 0xec, 0x5e, 0x03, /* "MyBank", GSM 7-bit packed (6 septets in 42 bits) */
	0x00,             /* TP-PID */
	0x00,             /* TP-DCS: GSM 7-bit */
	0x62, 0x10, 0x50, 0x80, 0x00, 0x00, 0x23, /* TP-SCTS 26-01-05 08:00:00 +32 quarters (UTC+8) */
	0x13,             /* TP-UDL: 19 septets */
	0xd9, 0x77, 0x5d, 0x0e, 0x1a, 0xbf, 0xc9, 0x65, 0x50, /* "Your code is 482913" */
	0x7a, 0x0e, 0xa2, 0xe1, 0x64, 0xb9, 0xd8, 0x0c,
};

/* RP-ACK network -> MS (7.3.3) answering the MO message, with a TP-SUBMIT-REPORT. */
static const uint8_t ack_submit_report[] = {
	0x03,             /* RP-MTI 011: RP-ACK, network -> MS */
	0x2a,             /* RP-MR 42, the RP-DATA's */
	0x41, 0x09,       /* RP-User-Data IEI, 9 octets */
	0x01,             /* TP-MTI 01 SUBMIT-REPORT */
	0x00,             /* TP-PI: no optional parameters */
	0x62, 0x10, 0x50, 0x80, 0x00, 0x01, 0x23, /* TP-SCTS */
};

/* RP-ERROR MS -> network (7.3.4) refusing the MT message, with a TP-DELIVER-REPORT. */
static const uint8_t error_deliver_report[] = {
	0x04,             /* RP-MTI 100: RP-ERROR, MS -> network */
	0x2b,             /* RP-MR 43 */
	0x01, 0x16,       /* RP-Cause: 1 octet, 22 memory capacity exceeded */
	0x41, 0x03,       /* RP-User-Data IEI, 3 octets */
	0x00,             /* TP-MTI 00 DELIVER-REPORT */
	0xd3,             /* TP-FCS: memory capacity exceeded */
	0x00,             /* TP-PI */
};

/* RP-SMMA (7.3.2): the MS has memory again. */
static const uint8_t smma[] = { 0x06, 0x2c };

static struct cs_e164_conf numbers;

static void china_numbers(void)
{
	cr_assert_eq(cs_e164_conf_init(&numbers, "86", "0", "00"), 0);
}

TestSuite(decode_sms, .init = china_numbers);

#define expect_number(got, want)                                                          \
	do {                                                                              \
		char buf_[CS_DIGITS_STR];                                                 \
		cs_digits_to_ascii((got), buf_);                                          \
		cr_expect_str_eq(buf_, (want), "%s: got '%s', want '%s'", #got, buf_, (want)); \
	} while (0)

static enum cs_reason decode(const uint8_t *p, size_t len, struct cs_sms *m)
{
	return cs_decode_sms_rp(p, (uint32_t)len, &numbers, m);
}

/* ---- fields ---- */

Test(decode_sms, mo_rp_data_submit)
{
	struct cs_sms m;

	cr_assert_eq(decode(mo_submit, sizeof(mo_submit), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_DATA_MS_TO_NET);
	cr_expect_eq(m.direction, CS_SMS_MO);
	cr_expect_eq(m.rp_mr, 42);
	cr_expect_eq(m.rp_originator.len, 0);
	expect_number(m.rp_originator.number, "");
	cr_expect_str_eq(m.rp_destination.text, "8613800100500");
	cr_expect_eq(m.rp_destination.ton, 1);
	cr_expect_eq(m.rp_destination.npi, 1);
	expect_number(m.rp_destination.number, "8613800100500");
	cr_expect_eq(m.rp_user_data_len, 20);
	cr_expect_eq(m.tp_kind, CS_TP_SUBMIT);
	cr_expect_eq(m.tp_first_octet, 0x11);
	cr_expect_eq(m.tp_mr, 5);
	cr_expect_str_eq(m.tp_address.text, "8613912345678");
	cr_expect_eq(m.tp_address.len, 13);
	cr_expect_eq(m.tp_address.ton, 1);
	expect_number(m.tp_address.number, "8613912345678");
	cr_expect_eq(m.tp_pid, 0);
	cr_expect_eq(m.tp_dcs, 0);
	cr_expect_eq(m.alphabet, CS_SMS_GSM7);
	cr_expect_eq(m.vp_format, CS_SMS_VP_RELATIVE);
	cr_expect_eq(m.vp[0], 0xa7);
	cr_expect_eq(m.vp_minutes, 24 * 60);
	cr_expect_not(m.udhi);
	cr_expect_eq(m.tp_udl, 5);
	cr_expect_eq(m.tp_ud_len, 5);
	cr_expect_eq(m.tp_ud, mo_submit + sizeof(mo_submit) - 5);
	cr_expect_not(m.scts.valid);
}

Test(decode_sms, mt_rp_data_deliver_from_an_alphanumeric_sender)
{
	struct cs_sms m;

	cr_assert_eq(decode(mt_deliver, sizeof(mt_deliver), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_DATA_NET_TO_MS);
	cr_expect_eq(m.direction, CS_SMS_MT);
	cr_expect_eq(m.rp_mr, 43);
	cr_expect_str_eq(m.rp_originator.text, "8613800100500");
	expect_number(m.rp_originator.number, "8613800100500");
	cr_expect_eq(m.rp_destination.len, 0);
	cr_expect_eq(m.rp_user_data_len, 36);
	cr_expect_eq(m.tp_kind, CS_TP_DELIVER);
	cr_expect_eq(m.tp_first_octet, 0x04);
	cr_expect_eq(m.tp_address.ton, 5);
	cr_expect_str_eq(m.tp_address.text, "MyBank");
	cr_expect_eq(m.tp_address.len, 6);
	expect_number(m.tp_address.number, "");
	cr_expect(m.scts.valid);
	cr_expect_eq(m.scts.year, 26);
	cr_expect_eq(m.scts.month, 1);
	cr_expect_eq(m.scts.day, 5);
	cr_expect_eq(m.scts.hour, 8);
	cr_expect_eq(m.scts.minute, 0);
	cr_expect_eq(m.scts.second, 0);
	cr_expect_eq(m.scts.tz_quarters, 32);
	cr_expect_eq(m.vp_format, CS_SMS_VP_NONE);
	cr_expect_eq(m.tp_udl, 19);
	cr_expect_eq(m.tp_ud_len, 17);
	cr_expect_eq(m.tp_ud, mt_deliver + sizeof(mt_deliver) - 17);
}

Test(decode_sms, ack_error_and_smma)
{
	struct cs_sms m;

	cr_assert_eq(decode(ack_submit_report, sizeof(ack_submit_report), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_ACK_NET_TO_MS);
	cr_expect_eq(m.direction, CS_SMS_MO, "the network acknowledges an MO message");
	cr_expect_eq(m.rp_mr, 42);
	cr_expect_eq(m.rp_user_data_len, 9);
	cr_expect_eq(m.tp_kind, CS_TP_SUBMIT_REPORT);

	cr_assert_eq(decode(error_deliver_report, sizeof(error_deliver_report), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_ERROR_MS_TO_NET);
	cr_expect_eq(m.direction, CS_SMS_MT, "the MS refuses an MT message");
	cr_expect_eq(m.rp_cause, 22);
	cr_expect_eq(m.tp_kind, CS_TP_DELIVER_REPORT);

	cr_assert_eq(decode(smma, sizeof(smma), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_SMMA_MS_TO_NET);
	cr_expect_eq(m.direction, CS_SMS_MT);
	cr_expect_eq(m.rp_mr, 0x2c);
	cr_expect_eq(m.tp_kind, CS_TP_NONE);

	static const uint8_t bare_ack[] = { 0x02, 0x2b };
	cr_assert_eq(decode(bare_ack, sizeof(bare_ack), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_ACK_MS_TO_NET);
	cr_expect_eq(m.direction, CS_SMS_MT);
	cr_expect_eq(m.tp_kind, CS_TP_NONE);
	cr_expect_eq(m.rp_user_data_len, 0);

	/* the diagnostic octet after the cause, and the spare high bits of the MTI */
	static const uint8_t error_diag[] = { 0xf5, 0x2a, 0x02, 0x6f, 0x01 };
	cr_assert_eq(decode(error_diag, sizeof(error_diag), &m), CS_R_OK);
	cr_expect_eq(m.rp_mti, CS_RP_ERROR_NET_TO_MS);
	cr_expect_eq(m.rp_cause, 111);
}

/* ---- truncation at every offset ---- */

/* A heap copy of exactly len bytes, so ASan sees any read past the cut. */
static enum cs_reason decode_copy(const uint8_t *p, size_t len, struct cs_sms *m, uint8_t **copy)
{
	*copy = malloc(len > 0 ? len : 1);
	cr_assert_not_null(*copy);
	memcpy(*copy, p, len);
	return decode(*copy, len, m);
}

/*
 * Each cut of an RP message refuses it as truncated, except a cut that
 * leaves a shorter message still whole: before the optional RP-User-Data
 * of an RP-ACK / RP-ERROR, decoded as what it then is.
 */
static void cut_everywhere(const uint8_t *p, size_t len, size_t whole_at)
{
	for (size_t cut = 0; cut < len; cut++) {
		struct cs_sms m;
		uint8_t *copy;
		enum cs_reason r = decode_copy(p, cut, &m, &copy);

		if (cut == whole_at) {
			cr_assert_eq(r, CS_R_OK, "cut %zu: %s", cut, cs_reason_name(r));
			cr_assert_eq(m.tp_kind, CS_TP_NONE, "cut %zu", cut);
			cr_assert_eq(m.rp_user_data_len, 0, "cut %zu", cut);
			cr_assert_eq(m.rp_mr, p[1], "cut %zu", cut);
		} else {
			cr_assert_eq(r, CS_R_SMS_TRUNCATED, "cut %zu: %s", cut, cs_reason_name(r));
		}
		free(copy);
	}
}

/*
 * The same TPDU cut at every offset with the RP-UD length telling the
 * truth about the cut: the RP layer is whole, the TPDU is short, and the
 * refusal names the TP layer. rp_ud_at is the offset of the RP-UD length.
 */
static void cut_tpdu_everywhere(const uint8_t *p, size_t len, size_t rp_ud_at)
{
	uint8_t msg[256];

	cr_assert(len <= sizeof(msg));
	memcpy(msg, p, len);
	for (size_t tp = 0; rp_ud_at + 1 + tp < len; tp++) {
		struct cs_sms m;
		uint8_t *copy;

		msg[rp_ud_at] = (uint8_t)tp;
		enum cs_reason r = decode_copy(msg, rp_ud_at + 1 + tp, &m, &copy);
		cr_assert_eq(r, CS_R_SMS_TP_TRUNCATED, "TPDU of %zu octets: %s", tp, cs_reason_name(r));
		free(copy);
	}
}

Test(decode_sms, rp_data_cut_at_every_offset)
{
	cut_everywhere(mo_submit, sizeof(mo_submit), SIZE_MAX);
	cut_everywhere(mt_deliver, sizeof(mt_deliver), SIZE_MAX);
	cut_tpdu_everywhere(mo_submit, sizeof(mo_submit), 12);
	cut_tpdu_everywhere(mt_deliver, sizeof(mt_deliver), 12);
}

Test(decode_sms, ack_error_smma_cut_at_every_offset)
{
	cut_everywhere(ack_submit_report, sizeof(ack_submit_report), 2);
	cut_everywhere(error_deliver_report, sizeof(error_deliver_report), 4);
	cut_everywhere(smma, sizeof(smma), SIZE_MAX);
	/* an RP-User-Data IE of 0 octets holds no TPDU */
	static const uint8_t empty_report[] = { 0x03, 0x2a, 0x41, 0x00 };
	struct cs_sms m;
	cr_expect_eq(decode(empty_report, sizeof(empty_report), &m), CS_R_SMS_TP_TRUNCATED);
}

/* ---- refusals ---- */

static enum cs_reason decode_patched(const uint8_t *p, size_t len, size_t at, uint8_t value, struct cs_sms *m)
{
	uint8_t msg[256];

	cr_assert(len <= sizeof(msg));
	memcpy(msg, p, len);
	msg[at] = value;
	return decode(msg, len, m);
}

Test(decode_sms, refusals)
{
	struct cs_sms m;

	cr_expect_eq(decode_patched(smma, sizeof(smma), 0, 0x07, &m), CS_R_SMS_BAD_RP_MTI);
	/* RP-OA longer than the 11 octets an address can have */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 2, 12, &m), CS_R_SMS_BAD_RP_ADDRESS);
	/* RP-Cause of 0 and 3 octets */
	cr_expect_eq(decode_patched(error_deliver_report, sizeof(error_deliver_report), 2, 0, &m),
		     CS_R_SMS_BAD_RP_CAUSE);
	cr_expect_eq(decode_patched(error_deliver_report, sizeof(error_deliver_report), 2, 3, &m),
		     CS_R_SMS_BAD_RP_CAUSE);
	/* an element other than RP-User-Data after RP-ACK's header */
	cr_expect_eq(decode_patched(ack_submit_report, sizeof(ack_submit_report), 2, 0x42, &m), CS_R_SMS_BAD_RP_IE);
	/* TP-MTI 11 (reserved), and a DELIVER sent by the MS */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 13, 0x13, &m), CS_R_SMS_BAD_TP_MTI);
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 13, 0x10, &m), CS_R_SMS_BAD_TP_MTI);
	/* a SUBMIT-REPORT inside RP-DATA, and a report of the wrong direction in RP-ACK */
	cr_expect_eq(decode_patched(mt_deliver, sizeof(mt_deliver), 13, 0x01, &m), CS_R_SMS_BAD_TP_MTI);
	cr_expect_eq(decode_patched(ack_submit_report, sizeof(ack_submit_report), 4, 0x00, &m), CS_R_SMS_BAD_TP_MTI);
	/* TP-DA of 21 semi-octets */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 15, 21, &m), CS_R_SMS_BAD_TP_ADDRESS);
	/* TP-UDL above 160 septets, and above 140 octets of 8-bit data */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 27, 161, &m), CS_R_SMS_BAD_TP_UDL);
	uint8_t eight_bit[sizeof(mo_submit)];
	memcpy(eight_bit, mo_submit, sizeof(mo_submit));
	eight_bit[25] = 0x04;
	cr_expect_eq(decode_patched(eight_bit, sizeof(eight_bit), 27, 141, &m), CS_R_SMS_BAD_TP_UDL);
	/* a TP-UDL the TPDU does not hold: 6 septets need 6 octets, there are 5 */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 27, 6, &m), CS_R_SMS_TP_TRUNCATED);
	/* RP-UD longer than the message */
	cr_expect_eq(decode_patched(mo_submit, sizeof(mo_submit), 12, 21, &m), CS_R_SMS_TRUNCATED);
	/* in 8-bit data TP-UDL counts octets */
	cr_expect_eq(decode(eight_bit, sizeof(eight_bit), &m), CS_R_OK);
	cr_expect_eq(m.alphabet, CS_SMS_8BIT);
	cr_expect_eq(m.tp_ud_len, 5);
}

Test(decode_sms, command_and_status_report_are_named)
{
	/* TP-COMMAND from the MS, TP-STATUS-REPORT from the network: RP fine, TPDU named */
	static const uint8_t command[] = { 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x07 };
	static const uint8_t status[] = { 0x01, 0x01, 0x00, 0x00, 0x02, 0x06, 0x07 };
	struct cs_sms m;

	cr_assert_eq(decode(command, sizeof(command), &m), CS_R_OK);
	cr_expect_eq(m.tp_kind, CS_TP_COMMAND);
	cr_expect_eq(m.rp_destination.len, 0);
	cr_assert_eq(decode(status, sizeof(status), &m), CS_R_OK);
	cr_expect_eq(m.tp_kind, CS_TP_STATUS_REPORT);
}

/* ---- addresses ---- */

/* A TP-SUBMIT to the given TP-DA (length, type, value octets), 8-bit empty user data. */
static enum cs_reason submit_to(const uint8_t *da, size_t da_len, struct cs_sms *m)
{
	uint8_t msg[64] = { 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01 };
	size_t n = 7;

	memcpy(msg + n, da, da_len);
	n += da_len;
	memcpy(msg + n, (const uint8_t[]){ 0x00, 0x04, 0x00 }, 3); /* PID, DCS 8-bit, UDL 0 */
	n += 3;
	msg[4] = (uint8_t)(n - 5);
	return decode(msg, n, m);
}

/* A TP-DELIVER from the given TP-OA. */
static enum cs_reason deliver_from(const uint8_t *oa, size_t oa_len, struct cs_sms *m)
{
	uint8_t msg[64] = { 0x01, 0x01, 0x00, 0x00, 0x00, 0x00 };
	size_t n = 6;

	memcpy(msg + n, oa, oa_len);
	n += oa_len;
	memcpy(msg + n, (const uint8_t[]){ 0x00, 0x04, 0x62, 0x10, 0x50, 0x80, 0x00, 0x00, 0x23, 0x00 }, 10);
	n += 10;
	msg[4] = (uint8_t)(n - 5);
	return decode(msg, n, m);
}

Test(decode_sms, numbers_by_type_of_number)
{
	struct cs_sms m;

	/* national (TON 010): the number without the trunk prefix; the country code is added */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x0b, 0xa1, 0x31, 0x19, 0x32, 0x54, 0x76, 0xf8 }, 8, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "13912345678");
	expect_number(m.tp_address.number, "8613912345678");
	/* unknown (TON 000): as dialled, here with the international prefix */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x0f, 0x81, 0x00, 0x68, 0x31, 0x19, 0x32, 0x54, 0x76, 0xf8 }, 10, &m),
		     CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "008613912345678");
	expect_number(m.tp_address.number, "8613912345678");
	/* a short code stays short */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x05, 0x81, 0x01, 0x80, 0xf6 }, 5, &m), CS_R_OK);
	expect_number(m.tp_address.number, "10086");
	/* a service code with * and #: text, not a number */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x05, 0x81, 0x1a, 0x00, 0xfb }, 5, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "*100#");
	expect_number(m.tp_address.number, "");
	/* network-specific (TON 011): kept as text only */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x04, 0xb9, 0x21, 0x43 }, 4, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "1234");
	expect_number(m.tp_address.number, "");
	/* an empty address */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x00, 0x91 }, 2, &m), CS_R_OK);
	cr_expect_eq(m.tp_address.len, 0);
	expect_number(m.tp_address.number, "");
	/* a filler inside the count ends the digits: 4 semi-octets announced, 3 digits */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x04, 0x91, 0x21, 0xf3 }, 4, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "123");
	expect_number(m.tp_address.number, "123");
	/* 20 semi-octets: the most there can be */
	cr_assert_eq(submit_to((const uint8_t[]){ 0x14, 0x81, 0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0x65, 0x87,
						  0x09 },
			       12, &m),
		     CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "12345678901234567890");
	expect_number(m.tp_address.number, "");
}

Test(decode_sms, alphanumeric_senders)
{
	struct cs_sms m;

	/* 11 characters, the most 20 semi-octets hold: "ABCDEFGHIJK" */
	cr_assert_eq(deliver_from((const uint8_t[]){ 0x14, 0xd0, 0x41, 0xe1, 0x90, 0x58, 0x34, 0x1e, 0x91, 0x49, 0xe5,
						      0x12 },
				  12, &m),
		     CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "ABCDEFGHIJK");
	cr_expect_eq(m.tp_address.len, 11);
	/* "Café" -> "Caf?": GSM's e-acute (0x05) has no ASCII */
	cr_assert_eq(deliver_from((const uint8_t[]){ 0x07, 0xd0, 0xc3, 0xb0, 0xb9, 0x00 }, 6, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "Caf?");
	/* ESC ( is '{' from the extension table; ESC e (euro) has no ASCII */
	cr_assert_eq(deliver_from((const uint8_t[]){ 0x07, 0xd0, 0x1b, 0xd4, 0xa6, 0x0c }, 6, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "{?");
	/* 7 characters in 7 octets: the last 7 bits are a CR pad (TS 23.038 6.1.2.3.1), dropped */
	cr_assert_eq(deliver_from((const uint8_t[]){ 0x0e, 0xd0, 0x41, 0xe1, 0x90, 0x58, 0x34, 0x1e, 0x1b }, 9, &m),
		     CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "ABCDEFG");
	/* an empty alphanumeric address */
	cr_assert_eq(deliver_from((const uint8_t[]){ 0x00, 0xd0 }, 2, &m), CS_R_OK);
	cr_expect_str_eq(m.tp_address.text, "");
}

Test(decode_sms, validity_periods_and_time_stamps)
{
	static const struct {
		uint8_t vp;
		uint32_t minutes;
	} relative[] = {
		{ 0, 5 }, { 143, 720 }, { 144, 750 }, { 167, 1440 }, { 168, 2880 },
		{ 196, 30 * 1440 }, { 197, 5 * 7 * 1440 }, { 255, 63 * 7 * 1440 },
	};
	struct cs_sms m;

	for (size_t i = 0; i < sizeof(relative) / sizeof(relative[0]); i++) {
		cr_assert_eq(decode_patched(mo_submit, sizeof(mo_submit), 26, relative[i].vp, &m), CS_R_OK);
		cr_expect_eq(m.vp_minutes, relative[i].minutes, "TP-VP %u", relative[i].vp);
	}

	/* VPF absent: TP-UDL follows TP-DCS; VPF absolute: 7 octets. Both re-framed. */
	uint8_t none[sizeof(mo_submit) - 1], absolute[sizeof(mo_submit) + 6];
	memcpy(none, mo_submit, 26);
	memcpy(none + 26, mo_submit + 27, sizeof(mo_submit) - 27);
	none[12] = 19;
	none[13] = 0x01;
	cr_assert_eq(decode(none, sizeof(none), &m), CS_R_OK);
	cr_expect_eq(m.vp_format, CS_SMS_VP_NONE);
	cr_expect_eq(m.tp_udl, 5);

	memcpy(absolute, mo_submit, 26);
	memcpy(absolute + 26, (const uint8_t[]){ 0x62, 0x10, 0x50, 0x80, 0x00, 0x00, 0x23 }, 7);
	memcpy(absolute + 33, mo_submit + 27, sizeof(mo_submit) - 27);
	absolute[12] = 26;
	absolute[13] = 0x19;
	cr_assert_eq(decode(absolute, sizeof(absolute), &m), CS_R_OK);
	cr_expect_eq(m.vp_format, CS_SMS_VP_ABSOLUTE);
	cr_expect_eq(m.vp[0], 0x62);
	cr_expect_eq(m.vp[6], 0x23);
	cr_expect_eq(m.tp_udl, 5);
	absolute[13] = 0x09; /* enhanced: 7 octets too */
	cr_assert_eq(decode(absolute, sizeof(absolute), &m), CS_R_OK);
	cr_expect_eq(m.vp_format, CS_SMS_VP_ENHANCED);

	/* a time zone west of Greenwich: bit 3 of the first semi-octet is the sign; -20 quarters = UTC-5 */
	cr_assert_eq(decode_patched(mt_deliver, sizeof(mt_deliver), 30, 0x0a, &m), CS_R_OK);
	cr_expect_eq(m.scts.tz_quarters, -20);
	cr_expect(m.scts.valid);
	/* a semi-octet that is not a digit, and a month 13: not valid, the message still is */
	cr_assert_eq(decode_patched(mt_deliver, sizeof(mt_deliver), 24, 0xf2, &m), CS_R_OK);
	cr_expect_not(m.scts.valid);
	cr_assert_eq(decode_patched(mt_deliver, sizeof(mt_deliver), 25, 0x31, &m), CS_R_OK);
	cr_expect_not(m.scts.valid);
	cr_expect_str_eq(m.tp_address.text, "MyBank");
}

Test(decode_sms, alphabets_from_the_coding_group)
{
	static const struct {
		uint8_t dcs;
		enum cs_sms_alphabet alphabet;
	} cases[] = {
		{ 0x00, CS_SMS_GSM7 }, { 0x04, CS_SMS_8BIT }, { 0x08, CS_SMS_UCS2 }, { 0x0c, CS_SMS_GSM7 },
		{ 0x11, CS_SMS_GSM7 }, { 0x18, CS_SMS_UCS2 }, { 0x20, CS_SMS_COMPRESSED }, { 0x48, CS_SMS_UCS2 },
		{ 0x80, CS_SMS_GSM7 }, { 0xc0, CS_SMS_GSM7 }, { 0xd0, CS_SMS_GSM7 }, { 0xe0, CS_SMS_UCS2 },
		{ 0xf0, CS_SMS_GSM7 }, { 0xf4, CS_SMS_8BIT },
	};
	struct cs_sms m;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_eq(decode_patched(mo_submit, sizeof(mo_submit), 25, cases[i].dcs, &m), CS_R_OK);
		cr_expect_eq(m.alphabet, cases[i].alphabet, "TP-DCS 0x%02x", cases[i].dcs);
		cr_expect_eq(m.tp_ud_len, 5);
	}
}

/* ---- the oracle: SIP MESSAGEs carrying these, read by tshark ---- */

static size_t sip_message(char *out, size_t cap, int i, const uint8_t *body, size_t body_len)
{
	int n = snprintf(out, cap,
			 "MESSAGE sip:+8613800100500@ims.mnc000.mcc460.3gppnetwork.org SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%d\r\n"
			 "From: <sip:+8613800138000@ims.mnc000.mcc460.3gppnetwork.org>;tag=a%d\r\n"
			 "To: <sip:+8613800100500@ims.mnc000.mcc460.3gppnetwork.org>\r\n"
			 "Call-ID: sms%d@10.0.0.1\r\n"
			 "CSeq: %d MESSAGE\r\n"
			 "Content-Type: application/vnd.3gpp.sms\r\n"
			 "Content-Length: %zu\r\n"
			 "\r\n",
			 i, i, i, i + 1, body_len);

	cr_assert(n > 0 && (size_t)n + body_len <= cap);
	memcpy(out + n, body, body_len);
	return (size_t)n + body_len;
}

/* TP-MTI as sent, for comparing with tshark's gsm_sms.tp-mti. */
static unsigned int tp_mti_of(enum cs_tp_kind k)
{
	switch (k) {
	case CS_TP_SUBMIT:
	case CS_TP_SUBMIT_REPORT:
		return 1;
	case CS_TP_STATUS_REPORT:
	case CS_TP_COMMAND:
		return 2;
	default:
		return 0;
	}
}

Test(decode_sms, agrees_with_tshark)
{
	static const struct {
		const uint8_t *rp;
		size_t len;
	} bodies[] = {
		{ mo_submit, sizeof(mo_submit) },
		{ mt_deliver, sizeof(mt_deliver) },
		{ ack_submit_report, sizeof(ack_submit_report) },
		{ error_deliver_report, sizeof(error_deliver_report) },
		{ smma, sizeof(smma) },
	};
	enum { N = sizeof(bodies) / sizeof(bodies[0]) };
	static char payload[N][1024];
	size_t payload_len[N];
	const struct cs_udp4_flow flow = {
		.src_mac = { 0x02, 0, 0, 0, 0, 1 }, .dst_mac = { 0x02, 0, 0, 0, 0, 2 },
		.src_ip = 0x0a000001, .dst_ip = 0x0a000002, .src_port = 5060, .dst_port = 5060,
	};
	char path[] = "/tmp/cs-sms-oracle.XXXXXX";
	int fd = mkstemp(path);
	struct cs_pcap_writer w;
	struct cs_run run;
	char *save = NULL;
	int compared = 0, with_tpdu = 0;

	cr_assert(fd >= 0);
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	for (int i = 0; i < N; i++) {
		uint8_t frame[1200];

		payload_len[i] = sip_message(payload[i], sizeof(payload[i]), i, bodies[i].rp, bodies[i].len);
		size_t n = cs_encode_udp4_frame(frame, sizeof(frame), &flow, (uint16_t)i, (const uint8_t *)payload[i],
						payload_len[i]);
		cr_assert_gt(n, 0);
		cr_assert_eq(cs_pcap_writer_add(&w, 1767600000000000000ull + (uint64_t)i * 1000000000ull, frame, n), 0);
	}
	cr_assert_eq(cs_pcap_writer_close(&w), 0);

	char *argv[] = { "/usr/bin/tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number",
			 "-e", "gsm_a.rp.msg_type", "-e", "gsm_a.rp.rp_message_reference", "-e", "gsm_sms.tp-mti",
			 "-e", "gsm_sms.tp-da", "-e", "gsm_sms.tp-oa", "-e", "gsm_sms.tp-mr", "-e", "gsm_a.rp.cause",
			 NULL };
	cr_assert_eq(cs_run(argv, &run), 0);
	unlink(path);
	close(fd);
	cr_assert_eq(run.status, 0, "tshark: %s", run.err);

	for (char *line = strtok_r(run.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[8];
		struct cs_sip_msg sip;
		struct cs_sms m;

		cr_assert_eq(cs_split_fields(line, '\t', f, 8), 8, "tshark line '%s'", line);
		int i = atoi(f[0]) - 1;
		cr_assert(i >= 0 && i < N);
		cr_assert_eq(cs_decode_sip((const uint8_t *)payload[i], (uint32_t)payload_len[i], &numbers, &sip),
			     CS_R_OK);
		cr_assert_eq(sip.body_kind, CS_SIP_BODY_SMS);
		cr_assert_eq(cs_decode_sms_rp((const uint8_t *)sip.body.p, sip.body.len, &numbers, &m), CS_R_OK);

		cr_expect_eq(m.rp_mti, strtoul(f[1], NULL, 0), "frame %s", f[0]);
		cr_expect_eq(m.rp_mr, strtoul(f[2], NULL, 0), "frame %s", f[0]);
		if (f[3][0] != '\0') {
			cr_expect_eq(tp_mti_of(m.tp_kind), strtoul(f[3], NULL, 0), "frame %s", f[0]);
			with_tpdu++;
		}
		if (m.tp_kind == CS_TP_SUBMIT) {
			cr_expect_str_eq(m.tp_address.text, f[4], "frame %s", f[0]);
			cr_expect_eq(m.tp_mr, strtoul(f[6], NULL, 0), "frame %s", f[0]);
		} else {
			cr_expect_str_eq(f[4], "", "frame %s", f[0]);
		}
		if (m.tp_kind == CS_TP_DELIVER)
			cr_expect_str_eq(m.tp_address.text, f[5], "frame %s", f[0]);
		else
			cr_expect_str_eq(f[5], "", "frame %s", f[0]);
		if (m.rp_mti == CS_RP_ERROR_MS_TO_NET || m.rp_mti == CS_RP_ERROR_NET_TO_MS)
			cr_expect_eq(m.rp_cause, strtoul(f[7], NULL, 0), "frame %s", f[0]);
		compared++;
	}
	cr_expect_eq(compared, N);
	cr_expect_geq(with_tpdu, 3, "tshark decoded the TPDUs of the RP-DATAs and the RP-ERROR");
	cs_run_free(&run);
}
