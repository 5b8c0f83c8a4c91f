/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_sms.h"

#include <string.h>

/*
 * A byte reader over one layer (the RP message, then the TPDU inside it):
 * every field is taken through need(), which checks the bytes are there,
 * so the reason names the layer whose length ran out.
 */
struct reader {
	const uint8_t *p;
	uint32_t len;
	uint32_t off;
};

static bool need(const struct reader *r, uint32_t n)
{
	return n <= r->len - r->off;
}

static uint8_t take(struct reader *r)
{
	return r->p[r->off++];
}

/* TS 24.008 10.5.4.7 / TS 23.040 9.1.2.3 semi-octets: 0-9, then * # a b c; 0xF is the filler. */
static const char semi_octet_char[] = "0123456789*#abc";

/*
 * count semi-octets from b, low nibble first, into a->text; a filler
 * nibble ends the digits early (it may only pad the last octet).
 */
static void semi_octets(const uint8_t *b, unsigned int count, struct cs_sms_address *a)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < count; i++) {
		unsigned int nibble = (b[i / 2] >> (4 * (i % 2))) & 0xf;
		if (nibble == 0xf)
			break;
		a->text[n++] = semi_octet_char[nibble];
	}
	a->text[n] = '\0';
	a->len = (uint8_t)n;
}

/*
 * TS 23.038 6.2.1 default alphabet in plain ASCII: the characters ASCII
 * shares keep their code, the others (accented letters, Greek capitals,
 * currency signs, line ends) become '?'.
 */
static const char gsm7_ascii[] = "@?$?????????????"
				 "?_??????????????"
				 " !\"#?%&'()*+,-./"
				 "0123456789:;<=>?"
				 "?ABCDEFGHIJKLMNO"
				 "PQRSTUVWXYZ?????"
				 "?abcdefghijklmno"
				 "pqrstuvwxyz?????";
_Static_assert(sizeof(gsm7_ascii) == 128 + 1, "one character per septet");

enum { GSM7_ESCAPE = 0x1b, GSM7_CR = 0x0d };

/*
 * TS 23.038 6.2.1.1 extension table, reached by ESC: its ASCII characters;
 * a code it does not define shows as the main table's (6.2.1.1 NOTE).
 */
static char gsm7_extension_ascii(unsigned int septet)
{
	switch (septet) {
	case 0x14: return '^';
	case 0x28: return '{';
	case 0x29: return '}';
	case 0x2f: return '\\';
	case 0x3c: return '[';
	case 0x3d: return '~';
	case 0x3e: return ']';
	case 0x40: return '|';
	case 0x65: return '?'; /* euro sign */
	default: return gsm7_ascii[septet];
	}
}

/* Septet i of GSM 7-bit packed data (TS 23.038 6.1.2.1.1): bit 7i onwards, LSB first. */
static unsigned int septet_at(const uint8_t *b, unsigned int i)
{
	unsigned int bit = 7 * i, byte = bit / 8, shift = bit % 8;
	unsigned int v = b[byte] >> shift;

	if (shift > 1)
		v |= (unsigned int)b[byte + 1] << (8 - shift);
	return v & 0x7f;
}

/*
 * An alphanumeric address (TS 23.040 9.1.2.5, TON 101): GSM 7-bit
 * characters packed into the address value, its length counted in
 * semi-octets, so 4 * count / 7 septets (20 semi-octets: 11 characters).
 * A CR filling the last 7 bits of an octet is padding (TS 23.038 6.1.2.3.1).
 */
static void alphanumeric(const uint8_t *b, unsigned int semi_octet_count, struct cs_sms_address *a)
{
	unsigned int septets = semi_octet_count * 4 / 7, n = 0;

	if (septets > 0 && septets % 8 == 0 && septet_at(b, septets - 1) == GSM7_CR)
		septets--;
	for (unsigned int i = 0; i < septets; i++) {
		unsigned int s = septet_at(b, i);
		if (s == GSM7_ESCAPE && i + 1 < septets)
			a->text[n++] = gsm7_extension_ascii(septet_at(b, ++i));
		else
			a->text[n++] = gsm7_ascii[s];
	}
	a->text[n] = '\0';
	a->len = (uint8_t)n;
}

enum { TON_UNKNOWN = 0, TON_INTERNATIONAL = 1, TON_NATIONAL = 2, TON_ALPHANUMERIC = 5 };

/* The E.164 form of a numeric address, read as its type of number says. */
static cs_digits address_number(const struct cs_sms_address *a, const struct cs_e164_conf *numbers)
{
	char plus[1 + CS_SMS_ADDR_TEXT] = "+";

	switch (a->ton) {
	case TON_INTERNATIONAL:
		memcpy(plus + 1, a->text, a->len);
		return cs_e164_normalise(plus, 1u + a->len, numbers);
	case TON_NATIONAL:
		return cs_e164_from_national(a->text, a->len, numbers);
	case TON_UNKNOWN:
		return cs_e164_normalise(a->text, a->len, numbers);
	default:
		return CS_DIGITS_NONE;
	}
}

/* Octet 1 of an address's contents: ext (1) | type of number (3) | numbering plan (4). */
static void type_of_address(uint8_t toa, struct cs_sms_address *a)
{
	a->ton = (toa >> 4) & 0x7;
	a->npi = toa & 0xf;
}

/*
 * RP-Originator / RP-Destination Address (TS 24.011 8.2.5.1-2), LV in
 * RP-DATA: length, then TON/NPI and up to 10 octets of BCD digits, or
 * length 0 for the side that names no SMSC.
 *
 *   07 | 91 | 44 77 58 10 06 50   -> international, "447785016005"
 */
enum { RP_ADDRESS_MAX = 11 };

static enum cs_reason rp_address(struct reader *r, const struct cs_e164_conf *numbers, struct cs_sms_address *a)
{
	uint8_t n;

	if (!need(r, 1))
		return CS_R_SMS_TRUNCATED;
	n = take(r);
	if (n > RP_ADDRESS_MAX)
		return CS_R_SMS_BAD_RP_ADDRESS;
	if (!need(r, n))
		return CS_R_SMS_TRUNCATED;
	if (n > 0) {
		type_of_address(r->p[r->off], a);
		semi_octets(r->p + r->off + 1, 2u * (n - 1u), a);
		a->number = address_number(a, numbers);
	}
	r->off += n;
	return CS_R_OK;
}

/*
 * TP-OA / TP-DA (TS 23.040 9.1.2.5): the length counts semi-octets of the
 * value (not octets, and not the type octet), at most 20:
 *
 *   0b | 91 | 64 07 28 91 23 f1   -> 11 digits, international, "46708219321"
 *   0b | d0 | cd bc 30 ec 5e 03   -> 11 semi-octets alphanumeric, "MyBank"
 */
enum { TP_ADDRESS_MAX_SEMI_OCTETS = 20 };

static enum cs_reason tp_address(struct reader *r, const struct cs_e164_conf *numbers, struct cs_sms_address *a)
{
	unsigned int count, octets;

	if (!need(r, 2))
		return CS_R_SMS_TP_TRUNCATED;
	count = take(r);
	type_of_address(take(r), a);
	if (count > TP_ADDRESS_MAX_SEMI_OCTETS)
		return CS_R_SMS_BAD_TP_ADDRESS;
	octets = (count + 1) / 2;
	if (!need(r, octets))
		return CS_R_SMS_TP_TRUNCATED;
	if (a->ton == TON_ALPHANUMERIC) {
		alphanumeric(r->p + r->off, count, a);
	} else {
		semi_octets(r->p + r->off, count, a);
		a->number = address_number(a, numbers);
	}
	r->off += octets;
	return CS_R_OK;
}

/* TS 23.038 4: the alphabet, from the coding group in the high nibble of TP-DCS. */
static enum cs_sms_alphabet alphabet_of(uint8_t dcs)
{
	static const enum cs_sms_alphabet by_bits[4] = { CS_SMS_GSM7, CS_SMS_8BIT, CS_SMS_UCS2, CS_SMS_GSM7 };
	unsigned int group = dcs >> 4;

	if (group <= 0x7) /* general data coding, with or without auto-deletion */
		return (dcs & 0x20) ? CS_SMS_COMPRESSED : by_bits[(dcs >> 2) & 0x3];
	if (group == 0xe) /* message waiting, store, UCS2 */
		return CS_SMS_UCS2;
	if (group == 0xf) /* data coding / message class */
		return (dcs & 0x04) ? CS_SMS_8BIT : CS_SMS_GSM7;
	return CS_SMS_GSM7; /* message waiting groups, and reserved ones, which read as GSM 7-bit */
}

/*
 * TP-UDL, TP-UD (TS 23.040 9.2.3.16, 9.2.3.24): at most 160 septets of
 * GSM 7-bit (140 octets packed) or 140 octets otherwise.
 */
static enum cs_reason user_data(struct reader *r, struct cs_sms *out)
{
	unsigned int octets;

	if (!need(r, 1))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_udl = take(r);
	out->alphabet = alphabet_of(out->tp_dcs);
	if (out->alphabet == CS_SMS_GSM7) {
		if (out->tp_udl > 160)
			return CS_R_SMS_BAD_TP_UDL;
		octets = (7u * out->tp_udl + 7) / 8;
	} else {
		if (out->tp_udl > 140)
			return CS_R_SMS_BAD_TP_UDL;
		octets = out->tp_udl;
	}
	if (!need(r, octets))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_ud = r->p + r->off;
	out->tp_ud_len = (uint8_t)octets;
	r->off += octets;
	return CS_R_OK;
}

/* TS 23.040 9.2.3.12.1: a relative TP-VP in minutes, steps growing from 5 minutes to a week. */
static uint32_t relative_vp_minutes(uint8_t vp)
{
	if (vp <= 143)
		return (vp + 1u) * 5;
	if (vp <= 167)
		return 12 * 60 + (vp - 143u) * 30;
	if (vp <= 196)
		return (vp - 166u) * 24 * 60;
	return (vp - 192u) * 7 * 24 * 60;
}

/* Two semi-octets holding a decimal, the first digit in the low nibble (TS 23.040 9.2.3.11). */
static uint8_t swapped_decimal(uint8_t o, bool *valid)
{
	if ((o & 0xf) > 9 || (o >> 4) > 9)
		*valid = false;
	return (uint8_t)((o & 0xf) * 10 + (o >> 4));
}

/*
 * TP-SCTS (TS 23.040 9.2.3.11), 7 octets of swapped semi-octets:
 *   62 10 50 80 00 00 23   -> 26-01-05 08:00:00, +32 quarters (UTC+8)
 * The time zone's bit 3 is its sign.
 */
static void timestamp(const uint8_t *b, struct cs_sms_time *t)
{
	uint8_t tz = b[6] & 0xf7;

	t->valid = true;
	t->year = swapped_decimal(b[0], &t->valid);
	t->month = swapped_decimal(b[1], &t->valid);
	t->day = swapped_decimal(b[2], &t->valid);
	t->hour = swapped_decimal(b[3], &t->valid);
	t->minute = swapped_decimal(b[4], &t->valid);
	t->second = swapped_decimal(b[5], &t->valid);
	t->tz_quarters = (int8_t)swapped_decimal(tz, &t->valid);
	if (b[6] & 0x08)
		t->tz_quarters = (int8_t)-t->tz_quarters;
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 23 || t->minute > 59 ||
	    t->second > 59)
		t->valid = false;
}

/*
 * TP-SUBMIT (TS 23.040 9.2.2.2), MS -> SC:
 *   first octet: RP(7) UDHI(6) SRR(5) VPF(4-3) RD(2) MTI(1-0) = 01
 *   TP-MR, TP-DA (2-12), TP-PID, TP-DCS, TP-VP (0/1/7), TP-UDL, TP-UD
 */
static enum cs_reason submit(struct reader *r, const struct cs_e164_conf *numbers, struct cs_sms *out)
{
	static const uint8_t vp_octets[4] = {
		[CS_SMS_VP_NONE] = 0, [CS_SMS_VP_ENHANCED] = 7, [CS_SMS_VP_RELATIVE] = 1, [CS_SMS_VP_ABSOLUTE] = 7
	};
	enum cs_reason rc;

	if (!need(r, 1))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_mr = take(r);
	rc = tp_address(r, numbers, &out->tp_address);
	if (rc != CS_R_OK)
		return rc;
	if (!need(r, 2))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_pid = take(r);
	out->tp_dcs = take(r);
	out->vp_format = (enum cs_sms_vp_format)((out->tp_first_octet >> 3) & 0x3);
	if (!need(r, vp_octets[out->vp_format]))
		return CS_R_SMS_TP_TRUNCATED;
	memcpy(out->vp, r->p + r->off, vp_octets[out->vp_format]);
	r->off += vp_octets[out->vp_format];
	if (out->vp_format == CS_SMS_VP_RELATIVE)
		out->vp_minutes = relative_vp_minutes(out->vp[0]);
	return user_data(r, out);
}

/*
 * TP-DELIVER (TS 23.040 9.2.2.1), SC -> MS:
 *   first octet: RP(7) UDHI(6) SRI(5) -(4) LP(3) MMS(2) MTI(1-0) = 00
 *   TP-OA (2-12), TP-PID, TP-DCS, TP-SCTS (7), TP-UDL, TP-UD
 */
static enum cs_reason deliver(struct reader *r, const struct cs_e164_conf *numbers, struct cs_sms *out)
{
	enum cs_reason rc = tp_address(r, numbers, &out->tp_address);

	if (rc != CS_R_OK)
		return rc;
	if (!need(r, 2 + 7))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_pid = take(r);
	out->tp_dcs = take(r);
	timestamp(r->p + r->off, &out->scts);
	r->off += 7;
	return user_data(r, out);
}

/*
 * The TPDU of an RP-DATA: TP-MTI (TS 23.040 9.2.3.1) means one thing from
 * the MS and another from the network. Only a message (SUBMIT, DELIVER),
 * a command or a status report travels in RP-DATA; reports of delivery
 * travel in RP-ACK/RP-ERROR.
 */
static enum cs_reason data_tpdu(struct reader *r, bool from_ms, const struct cs_e164_conf *numbers,
				struct cs_sms *out)
{
	unsigned int mti;

	if (!need(r, 1))
		return CS_R_SMS_TP_TRUNCATED;
	out->tp_first_octet = take(r);
	mti = out->tp_first_octet & 0x3;
	out->udhi = (out->tp_first_octet & 0x40) != 0;
	if (from_ms && mti == 1) {
		out->tp_kind = CS_TP_SUBMIT;
		return submit(r, numbers, out);
	}
	if (!from_ms && mti == 0) {
		out->tp_kind = CS_TP_DELIVER;
		return deliver(r, numbers, out);
	}
	if (mti == 2) {
		out->tp_kind = from_ms ? CS_TP_COMMAND : CS_TP_STATUS_REPORT;
		return CS_R_OK;
	}
	return CS_R_SMS_BAD_TP_MTI;
}

/* The TPDU of an RP-ACK or RP-ERROR: the report of a DELIVER (from the MS) or of a SUBMIT (from the network). */
static enum cs_reason report_tpdu(struct reader *r, bool from_ms, struct cs_sms *out)
{
	unsigned int mti;

	if (!need(r, 1))
		return CS_R_SMS_TP_TRUNCATED;
	mti = r->p[r->off] & 0x3;
	if (mti != (from_ms ? 0u : 1u))
		return CS_R_SMS_BAD_TP_MTI;
	out->tp_kind = from_ms ? CS_TP_DELIVER_REPORT : CS_TP_SUBMIT_REPORT;
	return CS_R_OK;
}

/*
 * RP-User-Data's length octet, and the TPDU as a reader of its own, so a
 * TP field past the TPDU's end reads as tp_truncated, never as the next
 * layer's bytes.
 */
static enum cs_reason rp_user_data(struct reader *r, struct cs_sms *out, struct reader *tpdu)
{
	if (!need(r, 1))
		return CS_R_SMS_TRUNCATED;
	out->rp_user_data_len = take(r);
	if (!need(r, out->rp_user_data_len))
		return CS_R_SMS_TRUNCATED;
	*tpdu = (struct reader){ .p = r->p + r->off, .len = out->rp_user_data_len, .off = 0 };
	r->off += out->rp_user_data_len;
	return CS_R_OK;
}

/*
 * RP-DATA (TS 24.011 7.3.1): MTI, MR, RP-OA (LV), RP-DA (LV), RP-UD (LV).
 */
static enum cs_reason rp_data(struct reader *r, bool from_ms, const struct cs_e164_conf *numbers,
			      struct cs_sms *out)
{
	struct reader tpdu;
	enum cs_reason rc;

	rc = rp_address(r, numbers, &out->rp_originator);
	if (rc == CS_R_OK)
		rc = rp_address(r, numbers, &out->rp_destination);
	if (rc == CS_R_OK)
		rc = rp_user_data(r, out, &tpdu);
	if (rc == CS_R_OK)
		rc = data_tpdu(&tpdu, from_ms, numbers, out);
	return rc;
}

/*
 * RP-ACK (7.3.3): MTI, MR, [RP-User-Data TLV, IEI 0x41]
 * RP-ERROR (7.3.4): MTI, MR, RP-Cause (LV: cause, [diagnostic]), [RP-User-Data TLV]
 */
enum { RP_USER_DATA_IEI = 0x41, RP_CAUSE_MAX = 2 };

static enum cs_reason rp_ack_or_error(struct reader *r, bool from_ms, bool error, struct cs_sms *out)
{
	struct reader tpdu;
	enum cs_reason rc;

	if (error) {
		uint8_t n;

		if (!need(r, 1))
			return CS_R_SMS_TRUNCATED;
		n = take(r);
		if (n == 0 || n > RP_CAUSE_MAX)
			return CS_R_SMS_BAD_RP_CAUSE;
		if (!need(r, n))
			return CS_R_SMS_TRUNCATED;
		out->rp_cause = r->p[r->off] & 0x7f;
		r->off += n;
	}
	if (!need(r, 1))
		return CS_R_OK;
	if (take(r) != RP_USER_DATA_IEI)
		return CS_R_SMS_BAD_RP_IE;
	rc = rp_user_data(r, out, &tpdu);
	return rc != CS_R_OK ? rc : report_tpdu(&tpdu, from_ms, out);
}

static void clear(struct cs_sms *out)
{
	memset(out, 0, sizeof(*out));
	out->rp_originator.number = CS_DIGITS_NONE;
	out->rp_destination.number = CS_DIGITS_NONE;
	out->tp_address.number = CS_DIGITS_NONE;
}

/* The transfer each RP message belongs to; see enum cs_sms_direction. */
static const enum cs_sms_direction direction_of[] = {
	[CS_RP_DATA_MS_TO_NET] = CS_SMS_MO,  [CS_RP_DATA_NET_TO_MS] = CS_SMS_MT,
	[CS_RP_ACK_MS_TO_NET] = CS_SMS_MT,   [CS_RP_ACK_NET_TO_MS] = CS_SMS_MO,
	[CS_RP_ERROR_MS_TO_NET] = CS_SMS_MT, [CS_RP_ERROR_NET_TO_MS] = CS_SMS_MO,
	[CS_RP_SMMA_MS_TO_NET] = CS_SMS_MT,
};

enum cs_reason cs_decode_sms_rp(const uint8_t *p, uint32_t len, const struct cs_e164_conf *numbers,
				struct cs_sms *out)
{
	struct reader r = { .p = p, .len = len, .off = 0 };
	unsigned int mti;
	bool from_ms;

	clear(out);
	if (!need(&r, 2))
		return CS_R_SMS_TRUNCATED;
	mti = take(&r) & 0x7; /* TS 24.011 8.2.2: the five high bits are spare */
	if (mti > CS_RP_SMMA_MS_TO_NET)
		return CS_R_SMS_BAD_RP_MTI;
	out->rp_mti = (enum cs_rp_mti)mti;
	out->direction = direction_of[mti];
	out->rp_mr = take(&r);
	from_ms = (mti & 1) == 0;

	switch (out->rp_mti) {
	case CS_RP_DATA_MS_TO_NET:
	case CS_RP_DATA_NET_TO_MS:
		return rp_data(&r, from_ms, numbers, out);
	case CS_RP_ACK_MS_TO_NET:
	case CS_RP_ACK_NET_TO_MS:
		return rp_ack_or_error(&r, from_ms, false, out);
	case CS_RP_ERROR_MS_TO_NET:
	case CS_RP_ERROR_NET_TO_MS:
		return rp_ack_or_error(&r, from_ms, true, out);
	case CS_RP_SMMA_MS_TO_NET:
		break;
	}
	return CS_R_OK;
}
