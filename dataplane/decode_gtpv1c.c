/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_gtpv1c.h"

#include <string.h>

/*
 * GTPv1 header (3GPP TS 29.060 6):
 *
 *   0       1       2       4               8
 *   +-------+-------+-------+---------------+
 *   | flags | type  | length| TEID          |   mandatory, 8 octets
 *   +-------+-------+-------+---------------+
 *   | seq (2)       | N-PDU | next ext type |   present when E, S or PN is set
 *   +---------------+-------+---------------+
 *   | extension headers, while next type != 0 (6.1)
 *   +-----------------------------------------
 *   | information elements (7.7)
 *   +-----------------------------------------
 *   flags: version:3 (=1) PT:1 (=1 GTP, 0 GTP') spare:1 E:1 S:1 PN:1
 *   length: octets after the mandatory 8, optional fields included, so the
 *   message ends at 8 + length whatever the datagram holds.
 *
 * The 4 optional octets come as a block when any of E, S, PN is set; each
 * field means something only under its own flag. Signalling always sets S
 * (7.2): the sequence number pairs a response with its request.
 */
enum {
	GTPV1C_HDR = 8, GTPV1C_OPT = 4, EXT_HEADER_UNIT = 4,
	FLAG_PT = 0x10, FLAG_E = 0x04, FLAG_S = 0x02, FLAG_PN = 0x01,
};

/* IE types this decoder reads (7.7; the clause is next to each decoder). */
enum {
	IE_CAUSE = 1, IE_IMSI = 2, IE_RAI = 3, IE_RECOVERY = 14, IE_TEID_DATA_I = 16, IE_TEID_CP = 17,
	IE_NSAPI = 20, IE_CHARGING_ID = 127, IE_TLV_FIRST = 128, IE_END_USER_ADDRESS = 128, IE_APN = 131,
	IE_GSN_ADDRESS = 133, IE_MSISDN = 134, IE_EXT_HEADER_TYPE_LIST = 141, IE_RAT_TYPE = 151,
	IE_ULI = 152, IE_IMEISV = 154,
};

/*
 * A TV IE carries no length: its size is fixed by its type (TS 29.060 7.7,
 * Table 37), so an unknown TV type ends the parse. 0 marks a type that is
 * not a GTPv1 TV IE (spare, or 117-126 kept for GTP', TS 32.295).
 */
static const uint8_t tv_value_len[IE_TLV_FIRST] = {
	[1] = 1,   /* Cause, 7.7.1 */
	[2] = 8,   /* IMSI, 7.7.2 */
	[3] = 6,   /* Routing Area Identity, 7.7.3 */
	[4] = 4,   /* TLLI, 7.7.4 */
	[5] = 4,   /* P-TMSI, 7.7.5 */
	[8] = 1,   /* Reordering Required, 7.7.6 */
	[9] = 28,  /* Authentication Triplet: RAND 16, SRES 4, Kc 8, 7.7.7 */
	[11] = 1,  /* MAP Cause, 7.7.8 */
	[12] = 3,  /* P-TMSI Signature, 7.7.9 */
	[13] = 1,  /* MS Validated, 7.7.10 */
	[14] = 1,  /* Recovery, 7.7.11 */
	[15] = 1,  /* Selection Mode, 7.7.12 */
	[16] = 4,  /* TEID Data I, 7.7.13 */
	[17] = 4,  /* TEID Control Plane, 7.7.14 */
	[18] = 5,  /* TEID Data II: NSAPI + TEID, 7.7.15 */
	[19] = 1,  /* Teardown Ind, 7.7.16 */
	[20] = 1,  /* NSAPI, 7.7.17 */
	[21] = 1,  /* RANAP Cause, 7.7.18 */
	[22] = 9,  /* RAB Context: NSAPI + four sequence numbers, 7.7.19 */
	[23] = 1,  /* Radio Priority SMS, 7.7.20 */
	[24] = 1,  /* Radio Priority, 7.7.21 */
	[25] = 2,  /* Packet Flow Id, 7.7.22 */
	[26] = 2,  /* Charging Characteristics, 7.7.23 */
	[27] = 2,  /* Trace Reference, 7.7.24 */
	[28] = 2,  /* Trace Type, 7.7.25 */
	[29] = 1,  /* MS Not Reachable Reason, 7.7.25A */
	[127] = 4, /* Charging ID, 7.7.26 */
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * MCC and MNC (TS 24.008 10.5.1.3, as TS 29.060 7.7.3 and TS 29.274 use):
 *
 *   octet 1: MCC digit 2 | MCC digit 1
 *   octet 2: MNC digit 3 | MCC digit 3     MNC digit 3 is 0xF for a 2-digit MNC
 *   octet 3: MNC digit 2 | MNC digit 1
 *
 * e.g. 64 f0 60 is MCC 460, MNC 06.
 */
static enum cs_reason decode_plmn(const uint8_t *v, struct cs_gtpv1c_plmn *plmn)
{
	unsigned int mcc1 = v[0] & 0x0f, mcc2 = v[0] >> 4, mcc3 = v[1] & 0x0f;
	unsigned int mnc1 = v[2] & 0x0f, mnc2 = v[2] >> 4, mnc3 = v[1] >> 4;

	if (mcc1 > 9 || mcc2 > 9 || mcc3 > 9 || mnc1 > 9 || mnc2 > 9 || (mnc3 > 9 && mnc3 != 0x0f))
		return CS_R_GTPV1C_BAD_PLMN;
	plmn->mcc = (uint16_t)(mcc1 * 100 + mcc2 * 10 + mcc3);
	if (mnc3 == 0x0f) {
		plmn->mnc = (uint16_t)(mnc1 * 10 + mnc2);
		plmn->mnc_digits = 2;
	} else {
		plmn->mnc = (uint16_t)(mnc1 * 100 + mnc2 * 10 + mnc3);
		plmn->mnc_digits = 3;
	}
	return CS_R_OK;
}

/*
 * TBCD digits (7.7.2). A fixed-size field pads a short identity with whole
 * filler octets (a 14-digit IMSI ends in 0xFF), which cs_digits_from_tbcd
 * would take for a filler before the last octet: they go first.
 */
static cs_digits tbcd_digits(const uint8_t *v, size_t n)
{
	while (n > 0 && v[n - 1] == 0xff)
		n--;
	return cs_digits_from_tbcd(v, n);
}

/* RAI (7.7.3): PLMN (3), LAC (2), RAC (1). */
static enum cs_reason decode_rai(const uint8_t *v, struct cs_gtpv1c_msg *o)
{
	enum cs_reason r = decode_plmn(v, &o->rai.plmn);

	if (r != CS_R_OK)
		return r;
	o->rai.lac = be16(v + 3);
	o->rai.rac = v[5];
	o->present |= CS_GTPV1C_HAS_RAI;
	return CS_R_OK;
}

/* A TV IE whose value (of the table's length) lies within the message. */
static enum cs_reason decode_tv(uint8_t type, const uint8_t *v, struct cs_gtpv1c_msg *o)
{
	switch (type) {
	case IE_CAUSE:
		o->cause = v[0];
		o->present |= CS_GTPV1C_HAS_CAUSE;
		break;
	case IE_IMSI: /* 7.7.2: TBCD, filler 0xF after an odd digit count */
		o->imsi = tbcd_digits(v, tv_value_len[IE_IMSI]);
		if (o->imsi == CS_DIGITS_NONE)
			return CS_R_GTPV1C_BAD_IMSI;
		o->present |= CS_GTPV1C_HAS_IMSI;
		break;
	case IE_RAI:
		return decode_rai(v, o);
	case IE_RECOVERY: /* 7.7.11: the sender's restart counter */
		o->recovery = v[0];
		o->present |= CS_GTPV1C_HAS_RECOVERY;
		break;
	case IE_TEID_DATA_I:
		o->teid_data = be32(v);
		o->present |= CS_GTPV1C_HAS_TEID_DATA;
		break;
	case IE_TEID_CP:
		o->teid_cp = be32(v);
		o->present |= CS_GTPV1C_HAS_TEID_CP;
		break;
	case IE_NSAPI: /* 7.7.17: spare high nibble */
		o->nsapi = v[0] & 0x0f;
		o->present |= CS_GTPV1C_HAS_NSAPI;
		break;
	case IE_CHARGING_ID:
		o->charging_id = be32(v);
		o->present |= CS_GTPV1C_HAS_CHARGING_ID;
		break;
	default:
		break;
	}
	return CS_R_OK;
}

/*
 * End User Address (7.7.27):
 *
 *   +------------+-------------+------------------------------+
 *   | 1111 | org | PDP type no | PDP address (0, 4, 16 or 20) |
 *   +------------+-------------+------------------------------+
 *
 * The address is empty in a request (the MS asks for one) and filled in the
 * response. IETF types: 0x21 IPv4 (4), 0x57 IPv6 (16), 0x8D IPv4v6, which
 * carries whichever of the two was allocated, IPv4 first when both (20).
 */
static bool eua_length_fits(uint8_t pdp_type, uint16_t addr_len)
{
	switch (pdp_type) {
	case CS_GTPV1C_PDP_IPV4:
		return addr_len == 0 || addr_len == 4;
	case CS_GTPV1C_PDP_IPV6:
		return addr_len == 0 || addr_len == 16;
	default: /* IPv4v6 */
		return addr_len == 0 || addr_len == 4 || addr_len == 16 || addr_len == 20;
	}
}

static enum cs_reason decode_eua(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	if (n < 2)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	struct cs_gtpv1c_eua *e = &o->eua;
	uint16_t addr_len = (uint16_t)(n - 2);

	e->pdp_org = v[0] & 0x0f;
	e->pdp_type = v[1];
	/* ETSI (PPP, non-IP) and other IETF types carry no IP address to keep */
	bool ip = e->pdp_org == CS_GTPV1C_PDP_ORG_IETF &&
		  (e->pdp_type == CS_GTPV1C_PDP_IPV4 || e->pdp_type == CS_GTPV1C_PDP_IPV6 ||
		   e->pdp_type == CS_GTPV1C_PDP_IPV4V6);
	if (ip) {
		if (!eua_length_fits(e->pdp_type, addr_len))
			return CS_R_GTPV1C_IE_BAD_LENGTH;
		if (addr_len == 4 || addr_len == 20) {
			memcpy(e->ipv4, v + 2, 4);
			e->has_ipv4 = true;
		}
		if (addr_len >= 16) {
			memcpy(e->ipv6, v + n - 16, 16);
			e->has_ipv6 = true;
		}
	}
	o->present |= CS_GTPV1C_HAS_EUA;
	return CS_R_OK;
}

/*
 * Access Point Name (7.7.30, TS 23.003 9.1): DNS labels, each a length
 * octet then that many characters, at most 100 octets; written out dotted,
 * "\x06eetest" -> "eetest". Labels are never empty and must tile the IE.
 */
static enum cs_reason decode_apn(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	uint16_t at = 0, out = 0;

	if (n == 0 || n > CS_GTPV1C_APN_MAX)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	while (at < n) {
		uint8_t label = v[at];
		if (label == 0 || label > n - at - 1)
			return CS_R_GTPV1C_BAD_APN;
		if (out > 0)
			o->apn[out++] = '.';
		memcpy(o->apn + out, v + at + 1, label);
		out += label;
		at += 1 + label;
	}
	/* n labels and dots make n - 1 characters: the NUL fits in 100 */
	o->apn[out] = '\0';
	o->apn_len = (uint8_t)out;
	o->present |= CS_GTPV1C_HAS_APN;
	return CS_R_OK;
}

/*
 * GSN Address (7.7.32): 4 octets IPv4 or 16 octets IPv6. The first in a
 * message is for signalling, the second for user traffic; the alternative
 * addresses that may follow are not kept.
 */
static enum cs_reason decode_gsn_address(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	if (n != 4 && n != 16)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	struct cs_gtpv1c_gsn *g;

	if (!(o->present & CS_GTPV1C_HAS_GSN_CP)) {
		g = &o->gsn_cp;
		o->present |= CS_GTPV1C_HAS_GSN_CP;
	} else if (!(o->present & CS_GTPV1C_HAS_GSN_UP)) {
		g = &o->gsn_up;
		o->present |= CS_GTPV1C_HAS_GSN_UP;
	} else {
		return CS_R_OK;
	}
	g->is_ipv6 = n == 16;
	memcpy(g->addr, v, n);
	return CS_R_OK;
}

/* MSISDN (7.7.33): one octet ext/TON/NPI (TS 29.002 AddressString), then TBCD. */
static enum cs_reason decode_msisdn(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	if (n < 2)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	o->msisdn = tbcd_digits(v + 1, n - 1u);
	if (o->msisdn == CS_DIGITS_NONE)
		return CS_R_GTPV1C_BAD_MSISDN;
	o->present |= CS_GTPV1C_HAS_MSISDN;
	return CS_R_OK;
}

/* RAT Type (7.7.50): one octet. */
static enum cs_reason decode_rat_type(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	if (n != 1)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	o->rat_type = v[0];
	o->present |= CS_GTPV1C_HAS_RAT_TYPE;
	return CS_R_OK;
}

/*
 * User Location Information (7.7.51):
 *
 *   +------+---------+---------+-------------------------+
 *   | type | PLMN(3) | LAC (2) | CI, SAC or RAC+0xFF (2) |
 *   +------+---------+---------+-------------------------+
 *   type 0 CGI, 1 SAI, 2 RAI; the last 2 octets are the CI, the SAC, or
 *   the RAC followed by a filler octet. e.g. 00 62 f2 30 bc 3e 36 fc is CGI
 *   262-03, LAC 48190, CI 14076.
 *
 * Other location types are not TS 29.060's to define: such an IE is skipped
 * rather than the message refused.
 */
static enum cs_reason decode_uli(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	enum { ULI_LEN = 8 };

	if (n < 1)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	if (v[0] > CS_GTPV1C_ULI_RAI)
		return CS_R_OK;
	if (n < ULI_LEN)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	struct cs_gtpv1c_uli *u = &o->uli;
	enum cs_reason r = decode_plmn(v + 1, &u->plmn);

	if (r != CS_R_OK)
		return r;
	u->type = v[0];
	u->lac = be16(v + 4);
	if (u->type == CS_GTPV1C_ULI_CGI)
		u->ci = be16(v + 6);
	else if (u->type == CS_GTPV1C_ULI_SAI)
		u->sac = be16(v + 6);
	else
		u->rac = v[6];
	o->present |= CS_GTPV1C_HAS_ULI;
	return CS_R_OK;
}

/* IMEI(SV) (7.7.53): 8 octets TBCD, 16 digits or 15 and a filler. */
static enum cs_reason decode_imeisv(const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	if (n != 8)
		return CS_R_GTPV1C_IE_BAD_LENGTH;
	o->imeisv = tbcd_digits(v, n);
	if (o->imeisv == CS_DIGITS_NONE)
		return CS_R_GTPV1C_BAD_IMEISV;
	o->present |= CS_GTPV1C_HAS_IMEISV;
	return CS_R_OK;
}

/* A TLV IE whose n value octets lie within the message; others are skipped. */
static enum cs_reason decode_tlv(uint8_t type, const uint8_t *v, uint16_t n, struct cs_gtpv1c_msg *o)
{
	switch (type) {
	case IE_END_USER_ADDRESS:
		return decode_eua(v, n, o);
	case IE_APN:
		return decode_apn(v, n, o);
	case IE_GSN_ADDRESS:
		return decode_gsn_address(v, n, o);
	case IE_MSISDN:
		return decode_msisdn(v, n, o);
	case IE_RAT_TYPE:
		return decode_rat_type(v, n, o);
	case IE_ULI:
		return decode_uli(v, n, o);
	case IE_IMEISV:
		return decode_imeisv(v, n, o);
	default:
		return CS_R_OK;
	}
}

/*
 * Information elements (7.7), in ascending type order:
 *
 *   TV,  type < 128:  +------+------------------------------+
 *                     | type | value, length fixed by type  |
 *                     +------+------------------------------+
 *   TLV, type >= 128: +------+------------+----------------+
 *                     | type | length (2) | value (length) |
 *                     +------+------------+----------------+
 *
 * The Extension Header Type List (141, 7.7.40) is the one TLV with a
 * 1-octet length. Every IE takes at least 2 octets of a message of at most
 * 65535, which bounds the loop.
 */
static enum cs_reason decode_ies(const uint8_t *p, uint32_t n, struct cs_gtpv1c_msg *o)
{
	uint32_t at = 0;

	while (at < n) {
		uint8_t type = p[at];
		uint32_t head, value_len;
		enum cs_reason r;

		if (type < IE_TLV_FIRST) {
			head = 1;
			value_len = tv_value_len[type];
			if (value_len == 0)
				return CS_R_GTPV1C_UNKNOWN_TV_IE;
		} else if (type == IE_EXT_HEADER_TYPE_LIST) {
			head = 2;
			if (n - at < head)
				return CS_R_GTPV1C_IE_OVERRUN;
			value_len = p[at + 1];
		} else {
			head = 3;
			if (n - at < head)
				return CS_R_GTPV1C_IE_OVERRUN;
			value_len = be16(p + at + 1);
		}
		if (value_len > n - at - head)
			return CS_R_GTPV1C_IE_OVERRUN;
		if (type < IE_TLV_FIRST)
			r = decode_tv(type, p + at + head, o);
		else
			r = decode_tlv(type, p + at + head, (uint16_t)value_len, o);
		if (r != CS_R_OK)
			return r;
		at += head + value_len;
	}
	return CS_R_OK;
}

/*
 * Extension headers (6.1), after the optional octets when E is set:
 *
 *   +--------+---------------------+-----------+
 *   | length | content             | next type |
 *   +--------+---------------------+-----------+
 *
 * length counts 4-octet units of the whole header, so 0 is never valid and
 * each header takes at least 4 octets of the message: that bounds the walk.
 * *at enters just past the optional octets, whose last is the first type.
 */
static enum cs_reason skip_extension_headers(const uint8_t *p, uint32_t end, uint32_t *at)
{
	uint8_t next = p[*at - 1];

	while (next != 0) {
		if (*at == end)
			return CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH;
		uint32_t ext_len = (uint32_t)p[*at] * EXT_HEADER_UNIT;
		if (ext_len == 0 || ext_len > end - *at)
			return CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH;
		next = p[*at + ext_len - 1];
		*at += ext_len;
	}
	return CS_R_OK;
}

/* The messages a PDP session record is built from (7.3.1 - 7.3.6). */
static bool is_pdp_context_message(uint8_t type)
{
	return type >= CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST && type <= CS_GTPV1C_DELETE_PDP_CONTEXT_RESPONSE;
}

enum cs_reason cs_decode_gtpv1c(const uint8_t *p, uint32_t len, struct cs_gtpv1c_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->imsi = out->msisdn = out->imeisv = CS_DIGITS_NONE;
	if (len < 1)
		return CS_R_GTPV1C_TRUNCATED;
	/*
	 * The version decides before PT: GTPv2-C shares port 2123 and uses
	 * that bit as its piggyback flag. GTP' (PT = 0) has its own name, as
	 * its header is 6 octets and must not count as truncated GTP.
	 */
	if (p[0] >> 5 != 1)
		return CS_R_GTPV1C_BAD_VERSION;
	if (!(p[0] & FLAG_PT))
		return CS_R_GTPV1C_GTP_PRIME;
	if (len < GTPV1C_HDR)
		return CS_R_GTPV1C_TRUNCATED;
	uint32_t end = GTPV1C_HDR + be16(p + 2);
	if (end > len)
		return CS_R_GTPV1C_TRUNCATED;

	out->type = p[1];
	out->teid = be32(p + 4);
	uint32_t at = GTPV1C_HDR;
	if (p[0] & (FLAG_E | FLAG_S | FLAG_PN)) {
		if (end < GTPV1C_HDR + GTPV1C_OPT)
			return CS_R_GTPV1C_BAD_LENGTH;
		if (p[0] & FLAG_S) {
			out->seq = be16(p + GTPV1C_HDR);
			out->present |= CS_GTPV1C_HAS_SEQ;
		}
		at += GTPV1C_OPT;
		if (p[0] & FLAG_E) {
			enum cs_reason r = skip_extension_headers(p, end, &at);
			if (r != CS_R_OK)
				return r;
		}
	}
	if (!is_pdp_context_message(out->type))
		return CS_R_OK;
	out->ies_decoded = true;
	return decode_ies(p + at, end - at, out);
}
