/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_gtpv2c.h"

#include <string.h>

/*
 * GTPv2-C header (3GPP TS 29.274 5.1):
 *
 *   0       1      2        4             8                11      12
 *   +-------+------+--------+-------------+----------------+-------+
 *   | flags | type | length | TEID (T=1)  | sequence (24b) | spare |
 *   +-------+------+--------+-------------+----------------+-------+
 *   flags: version:3 (=2) P:1 T:1 MP:1 spare:2
 *
 * The length counts the octets after the first four (TEID, sequence and
 * IEs), so a message is 4 + length octets: 12 of header with a TEID, 8
 * without (only Echo and Version Not Supported go without, 5.3).
 * Example, an MME's first message for a UE: 48 20 00 78 00000000 000001 00
 * is version 2, T set, Create Session Request (32), 124 octets, TEID 0
 * (the SGW's is not known yet), sequence 1.
 *
 * Piggybacking (5.1, the P flag): with P set, a second message with its
 * own header (and P clear) follows in the same UDP payload, e.g. the
 * PGW's Create Bearer Request for a dedicated bearer riding on its Create
 * Session Response (TS 23.401 5.3.2.1). Each is a whole message, so this
 * decoder reads one, reports its length, and leaves the loop to the caller.
 *
 * Information elements (5.6, 8.2), type-length-instance-value:
 *
 *   0      1          3                4
 *   +------+----------+----------------+---------------------+
 *   | type | length   | spare:4 inst:4 | value, length octets |
 *   +------+----------+----------------+---------------------+
 *
 * The instance tells apart IEs of one type with different roles in one
 * message: in Create Session Request F-TEID 0 is the sender's S11 address
 * and F-TEID 1 the PGW's S5/S8 address. A grouped IE (8.2.1; here the
 * Bearer Context) holds IEs in the same format, read by the same walker.
 *
 * Error handling follows 7.7: an IE shorter than its fixed part refuses
 * the message, octets beyond it are ignored (room for later releases),
 * unknown or unexpected IEs are skipped, and of a repeated IE the first
 * counts.
 */
enum {
	GTPV2 = 2,
	FLAG_P = 0x10,
	FLAG_T = 0x08,
	HDR_FIXED = 4, /* flags, type, length: enough to know the message's extent */
	HDR_WITH_TEID = 12,
	HDR_WITHOUT_TEID = 8,
	IE_HDR = 4,
	/*
	 * No IE inside a Bearer Context of the decoded messages is grouped
	 * (the Bearer Context tables of 7.2.1 to 7.2.16), so one level is
	 * all there is; the bound keeps a crafted message from recursing
	 * 16 000 levels deep.
	 */
	MAX_GROUP_DEPTH = 1,
	PLMN_LEN = 3,
	IMSI_MAX_DIGITS = 15,   /* TS 23.003 2.2 */
	MSISDN_MAX_DIGITS = 15, /* E.164 */
	MEI_MAX_DIGITS = 16,    /* IMEISV; an IMEI has 15 (8.10) */
};

enum ie_type {
	IE_IMSI = 1,
	IE_CAUSE = 2,
	IE_RECOVERY = 3,
	IE_APN = 71,
	IE_EBI = 73,
	IE_MEI = 75,
	IE_MSISDN = 76,
	IE_PAA = 79,
	IE_RAT_TYPE = 82,
	IE_SERVING_NETWORK = 83,
	IE_ULI = 86,
	IE_FTEID = 87,
	IE_BEARER_CONTEXT = 93,
	IE_PDN_TYPE = 99,
};

struct ie {
	uint8_t type;
	uint8_t instance;
	uint16_t len;
	const uint8_t *v;
};

/*
 * Where the IEs of one level land: the message itself, or one of its
 * Bearer Contexts. EBI, Cause and F-TEID mean the same at both levels,
 * so one piece of code fills either.
 */
struct scope {
	struct cs_gtpv2c_msg *msg;
	unsigned int depth;
	uint32_t *present;
	uint8_t *ebi;
	struct cs_gtpv2c_cause *cause;
	struct cs_gtpv2c_fteid *fteid;
	uint8_t *fteid_count;
	uint8_t fteid_cap;
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | be24(p + 1);
}

static bool decodes_ies(uint8_t type)
{
	switch (type) {
	case CS_GTPV2C_CREATE_SESSION_REQUEST:
	case CS_GTPV2C_CREATE_SESSION_RESPONSE:
	case CS_GTPV2C_MODIFY_BEARER_REQUEST:
	case CS_GTPV2C_MODIFY_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_SESSION_REQUEST:
	case CS_GTPV2C_DELETE_SESSION_RESPONSE:
	case CS_GTPV2C_CREATE_BEARER_REQUEST:
	case CS_GTPV2C_CREATE_BEARER_RESPONSE:
	case CS_GTPV2C_UPDATE_BEARER_REQUEST:
	case CS_GTPV2C_UPDATE_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_BEARER_REQUEST:
	case CS_GTPV2C_DELETE_BEARER_RESPONSE:
		return true;
	default:
		return false;
	}
}

/* IMSI (8.3), MSISDN (8.11), MEI (8.10): TBCD digits, low nibble first, 0xF filler. */
static enum cs_reason decode_digits(const struct ie *ie, unsigned int max_digits, enum cs_reason bad,
				    cs_digits *out)
{
	if (ie->len == 0)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	cs_digits d = cs_digits_from_tbcd(ie->v, ie->len);
	if (d == CS_DIGITS_NONE || cs_digits_len(d) > max_digits)
		return bad;
	*out = d;
	return CS_R_OK;
}

/*
 * APN (8.6): the labels of TS 23.003 9.1, each after its length octet, as
 * in DNS without the root label. "\x03ims\x07example" reads "ims.example":
 * every length octet but the first becomes a dot, so the dotted name is
 * one octet shorter than the value.
 */
static enum cs_reason decode_apn(const struct ie *ie, struct cs_gtpv2c_msg *m)
{
	uint32_t at = 0, w = 0;

	if (ie->len == 0)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	while (at < ie->len) {
		uint32_t label = ie->v[at++];
		uint32_t dot = w > 0;
		if (label == 0 || label > ie->len - at || w + dot + label > CS_GTPV2C_APN_MAX)
			return CS_R_GTPV2C_BAD_APN;
		if (dot)
			m->apn[w++] = '.';
		memcpy(m->apn + w, ie->v + at, label);
		w += label;
		at += label;
	}
	m->apn[w] = '\0';
	m->apn_len = (uint8_t)w;
	return CS_R_OK;
}

/* RAT Type (8.17), PDN Type (8.34, spare:5 type:3), Recovery (8.5): one octet. */
static enum cs_reason decode_octet(const struct ie *ie, uint8_t mask, uint8_t *out)
{
	if (ie->len < 1)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	*out = ie->v[0] & mask;
	return CS_R_OK;
}

/*
 * MCC and MNC (8.18, 8.21; TS 24.008 table 10.5.3), 3 octets:
 *
 *   octet 1: MCC digit 2 | MCC digit 1
 *   octet 2: MNC digit 3 | MCC digit 3     MNC digit 3 is 0xF for a 2-digit MNC
 *   octet 3: MNC digit 2 | MNC digit 1
 *
 * "00 f1 10" is MCC 001, MNC 01.
 */
static bool decode_plmn(const uint8_t *v, struct cs_gtpv2c_plmn *out)
{
	unsigned int mcc1 = v[0] & 0x0f, mcc2 = v[0] >> 4, mcc3 = v[1] & 0x0f;
	unsigned int mnc1 = v[2] & 0x0f, mnc2 = v[2] >> 4, mnc3 = v[1] >> 4;

	if (mcc1 > 9 || mcc2 > 9 || mcc3 > 9 || mnc1 > 9 || mnc2 > 9 || (mnc3 > 9 && mnc3 != 0xf))
		return false;
	out->mcc = (uint16_t)(mcc1 * 100 + mcc2 * 10 + mcc3);
	out->mnc_digits = mnc3 == 0xf ? 2 : 3;
	out->mnc = (uint16_t)(mnc3 == 0xf ? mnc1 * 10 + mnc2 : mnc1 * 100 + mnc2 * 10 + mnc3);
	return true;
}

static enum cs_reason decode_serving_network(const struct ie *ie, struct cs_gtpv2c_msg *m)
{
	if (ie->len < PLMN_LEN)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	return decode_plmn(ie->v, &m->serving_network) ? CS_R_OK : CS_R_GTPV2C_BAD_PLMN;
}

/*
 * ULI (8.21): a flags octet, then each flagged part in flag bit order,
 * every part a PLMN (3 octets) and then:
 *
 *   bit part            after the PLMN                          octets
 *   0   CGI   8.21.1    LAC (2), CI (2)                          7
 *   1   SAI   8.21.2    LAC (2), SAC (2)                         7
 *   2   RAI   8.21.3    LAC (2), RAC (1), 0xFF (1)               7
 *   3   TAI   8.21.4    TAC (2)                                  5
 *   4   ECGI  8.21.5    spare:4 ECI:28                           7
 *   5   LAI   8.21.6    LAC (2)                                  5
 *   6   macro eNB 8.21.7     spare:4 eNB ID:20                   6
 *   7   ext. macro eNB 8.21.8 SMeNB:1 spare:2 eNB ID:21, or
 *                             SMeNB=1 spare:5 short eNB ID:18    6
 *
 * An MME usually sends TAI + ECGI (flags 0x18, 13 octets).
 */
static const uint8_t uli_part_len[8] = { 7, 7, 7, 5, 7, 5, 6, 6 };

static void store_uli_part(unsigned int part, const struct cs_gtpv2c_plmn *plmn, const uint8_t *v,
			   struct cs_gtpv2c_uli *u)
{
	switch (part) {
	case CS_GTPV2C_ULI_CGI:
		u->cgi.plmn = *plmn;
		u->cgi.lac = be16(v);
		u->cgi.ci = be16(v + 2);
		break;
	case CS_GTPV2C_ULI_SAI:
		u->sai.plmn = *plmn;
		u->sai.lac = be16(v);
		u->sai.sac = be16(v + 2);
		break;
	case CS_GTPV2C_ULI_RAI:
		u->rai.plmn = *plmn;
		u->rai.lac = be16(v);
		u->rai.rac = v[2];
		break;
	case CS_GTPV2C_ULI_TAI:
		u->tai.plmn = *plmn;
		u->tai.tac = be16(v);
		break;
	case CS_GTPV2C_ULI_ECGI:
		u->ecgi.plmn = *plmn;
		u->ecgi.eci = be32(v) & 0x0fffffff;
		break;
	case CS_GTPV2C_ULI_LAI:
		u->lai.plmn = *plmn;
		u->lai.lac = be16(v);
		break;
	case CS_GTPV2C_ULI_MACRO_ENB:
		u->macro_enb.plmn = *plmn;
		u->macro_enb.enb_id = be24(v) & 0x0fffff;
		break;
	default: /* CS_GTPV2C_ULI_EXT_MACRO_ENB */
		u->ext_macro_enb.plmn = *plmn;
		u->ext_macro_enb.smenb = (v[0] & 0x80) != 0;
		u->ext_macro_enb.enb_id = be24(v) & (u->ext_macro_enb.smenb ? 0x03ffff : 0x1fffff);
		break;
	}
}

static enum cs_reason decode_uli(const struct ie *ie, struct cs_gtpv2c_uli *u)
{
	uint32_t at = 1;

	if (ie->len < 1)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	u->flags = ie->v[0];
	for (unsigned int bit = 0; bit < 8; bit++) {
		unsigned int part = 1u << bit;
		struct cs_gtpv2c_plmn plmn;

		if (!(u->flags & part))
			continue;
		if (ie->len - at < uli_part_len[bit])
			return CS_R_GTPV2C_IE_TOO_SHORT;
		if (!decode_plmn(ie->v + at, &plmn))
			return CS_R_GTPV2C_BAD_PLMN;
		store_uli_part(part, &plmn, ie->v + at + PLMN_LEN, u);
		at += uli_part_len[bit];
	}
	return CS_R_OK;
}

/*
 * PAA (8.14): spare:5 PDN type:3, then by type
 *
 *   1 IPv4    IPv4 address (4)                                   5 octets
 *   2 IPv6    prefix length (1), IPv6 prefix (16)                18
 *   3 IPv4v6  prefix length (1), IPv6 prefix (16), IPv4 (4)      22
 *   others    (Non-IP, Ethernet) no address                      1
 *
 * In a Create Session Request the MME sends 0.0.0.0 / :: (the UE asks for
 * an address); the response carries what the PGW allocated.
 */
static enum cs_reason decode_paa(const struct ie *ie, struct cs_gtpv2c_paa *paa)
{
	if (ie->len < 1)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	paa->pdn_type = ie->v[0] & 0x07;
	switch (paa->pdn_type) {
	case CS_GTPV2C_PDN_IPV4:
		if (ie->len < 5)
			return CS_R_GTPV2C_IE_TOO_SHORT;
		paa->ipv4 = be32(ie->v + 1);
		break;
	case CS_GTPV2C_PDN_IPV6:
	case CS_GTPV2C_PDN_IPV4V6:
		if (ie->len < (paa->pdn_type == CS_GTPV2C_PDN_IPV6 ? 18 : 22))
			return CS_R_GTPV2C_IE_TOO_SHORT;
		paa->ipv6_prefix_len = ie->v[1];
		memcpy(paa->ipv6, ie->v + 2, 16);
		if (paa->pdn_type == CS_GTPV2C_PDN_IPV4V6)
			paa->ipv4 = be32(ie->v + 18);
		break;
	default:
		break;
	}
	return CS_R_OK;
}

/*
 * Cause (8.4):
 *
 *   0       1                    2                               6
 *   +-------+--------------------+-------------------------------+
 *   | value | spare:5 PCE BCE CS | offending IE: type, length,   |
 *   |       |                    | spare:4 instance:4 (optional) |
 *   +-------+--------------------+-------------------------------+
 *
 * 2 octets, or 6 when a rejection names the IE it blames.
 */
static enum cs_reason decode_cause(const struct ie *ie, const struct scope *s)
{
	struct cs_gtpv2c_cause *c = s->cause;

	if (ie->len < 2 || (ie->len > 2 && ie->len < 6))
		return CS_R_GTPV2C_IE_TOO_SHORT;
	c->value = ie->v[0];
	c->flags = ie->v[1] & 0x07;
	c->has_offending_ie = ie->len >= 6;
	if (c->has_offending_ie) {
		c->offending_type = ie->v[2];
		c->offending_instance = ie->v[5] & 0x0f;
	}
	*s->present |= CS_GTPV2C_HAS_CAUSE;
	return CS_R_OK;
}

/*
 * EBI (8.8): spare:4 EBI:4. Instance 0 is the bearer's own EBI in a
 * Bearer Context and the Linked EPS Bearer ID at message level; instance
 * 1 at message level lists the bearers a Delete Bearer Request removes.
 */
static enum cs_reason decode_ebi(const struct ie *ie, const struct scope *s)
{
	struct cs_gtpv2c_msg *m = s->msg;

	if (ie->len < 1)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	if (ie->instance == 0 && !(*s->present & CS_GTPV2C_HAS_EBI)) {
		*s->ebi = ie->v[0] & 0x0f;
		*s->present |= CS_GTPV2C_HAS_EBI;
	} else if (ie->instance == 1 && s->depth == 0) {
		if (m->ebi_count == CS_GTPV2C_MAX_BEARERS)
			return CS_R_GTPV2C_TOO_MANY_BEARERS;
		m->ebi[m->ebi_count++] = ie->v[0] & 0x0f;
	}
	return CS_R_OK;
}

/*
 * F-TEID (8.22):
 *
 *   0                 1          5             9 (or 5)
 *   +-----------------+----------+-------------+-------------+
 *   | V4 V6 iface:6   | TEID/GRE | IPv4 if V4  | IPv6 if V6  |
 *   +-----------------+----------+-------------+-------------+
 *
 * 9 octets for the usual IPv4 endpoint, 21 for IPv6, 25 for both.
 */
static enum cs_reason decode_fteid(const struct ie *ie, const struct scope *s)
{
	struct cs_gtpv2c_fteid f = { .instance = ie->instance };
	uint32_t at = 5;

	if (ie->len < 5)
		return CS_R_GTPV2C_IE_TOO_SHORT;
	f.has_ipv4 = (ie->v[0] & 0x80) != 0;
	f.has_ipv6 = (ie->v[0] & 0x40) != 0;
	f.iface = ie->v[0] & 0x3f;
	f.teid = be32(ie->v + 1);
	if (ie->len < at + (f.has_ipv4 ? 4u : 0u) + (f.has_ipv6 ? 16u : 0u))
		return CS_R_GTPV2C_IE_TOO_SHORT;
	if (f.has_ipv4) {
		f.ipv4 = be32(ie->v + at);
		at += 4;
	}
	if (f.has_ipv6)
		memcpy(f.ipv6, ie->v + at, 16);
	if (*s->fteid_count == s->fteid_cap)
		return CS_R_GTPV2C_TOO_MANY_FTEIDS;
	s->fteid[(*s->fteid_count)++] = f;
	return CS_R_OK;
}

static enum cs_reason walk_ies(const uint8_t *p, uint32_t len, const struct scope *s);

/* Bearer Context (8.28): a grouped IE, one entry of bearer[] however it nests. */
static enum cs_reason decode_bearer_context(const struct ie *ie, const struct scope *s)
{
	struct cs_gtpv2c_msg *m = s->msg;

	if (s->depth == MAX_GROUP_DEPTH)
		return CS_R_GTPV2C_NESTING_TOO_DEEP;
	if (ie->len == 0)
		return CS_R_GTPV2C_IE_TOO_SHORT; /* it holds at least its EBI */
	if (m->bearer_count == CS_GTPV2C_MAX_BEARERS)
		return CS_R_GTPV2C_TOO_MANY_BEARERS;

	struct cs_gtpv2c_bearer *b = &m->bearer[m->bearer_count++];
	const struct scope inner = {
		.msg = m, .depth = s->depth + 1, .present = &b->present, .ebi = &b->ebi, .cause = &b->cause,
		.fteid = b->fteid, .fteid_count = &b->fteid_count, .fteid_cap = CS_GTPV2C_BEARER_FTEIDS,
	};
	b->instance = ie->instance;
	return walk_ies(ie->v, ie->len, &inner);
}

/* The presence bit of an IE that only the message level carries, 0 for others. */
static uint32_t message_ie_bit(uint8_t type)
{
	switch (type) {
	case IE_IMSI: return CS_GTPV2C_HAS_IMSI;
	case IE_MSISDN: return CS_GTPV2C_HAS_MSISDN;
	case IE_MEI: return CS_GTPV2C_HAS_MEI;
	case IE_APN: return CS_GTPV2C_HAS_APN;
	case IE_RAT_TYPE: return CS_GTPV2C_HAS_RAT_TYPE;
	case IE_ULI: return CS_GTPV2C_HAS_ULI;
	case IE_SERVING_NETWORK: return CS_GTPV2C_HAS_SERVING_NETWORK;
	case IE_PAA: return CS_GTPV2C_HAS_PAA;
	case IE_PDN_TYPE: return CS_GTPV2C_HAS_PDN_TYPE;
	case IE_RECOVERY: return CS_GTPV2C_HAS_RECOVERY;
	default: return 0;
	}
}

static enum cs_reason decode_message_ie(const struct ie *ie, struct cs_gtpv2c_msg *m)
{
	uint32_t bit = message_ie_bit(ie->type);
	enum cs_reason r;

	if (bit == 0 || (m->present & bit))
		return CS_R_OK;
	switch (ie->type) {
	case IE_IMSI: r = decode_digits(ie, IMSI_MAX_DIGITS, CS_R_GTPV2C_BAD_IMSI, &m->imsi); break;
	case IE_MSISDN: r = decode_digits(ie, MSISDN_MAX_DIGITS, CS_R_GTPV2C_BAD_MSISDN, &m->msisdn); break;
	case IE_MEI: r = decode_digits(ie, MEI_MAX_DIGITS, CS_R_GTPV2C_BAD_MEI, &m->mei); break;
	case IE_APN: r = decode_apn(ie, m); break;
	case IE_RAT_TYPE: r = decode_octet(ie, 0xff, &m->rat_type); break;
	case IE_ULI: r = decode_uli(ie, &m->uli); break;
	case IE_SERVING_NETWORK: r = decode_serving_network(ie, m); break;
	case IE_PAA: r = decode_paa(ie, &m->paa); break;
	case IE_PDN_TYPE: r = decode_octet(ie, 0x07, &m->pdn_type); break;
	default: r = decode_octet(ie, 0xff, &m->recovery); break; /* IE_RECOVERY */
	}
	if (r == CS_R_OK)
		m->present |= bit;
	return r;
}

static enum cs_reason decode_ie(const struct ie *ie, const struct scope *s)
{
	switch (ie->type) {
	case IE_FTEID:
		return decode_fteid(ie, s);
	case IE_BEARER_CONTEXT:
		return decode_bearer_context(ie, s);
	case IE_EBI:
		return decode_ebi(ie, s);
	case IE_CAUSE:
		return ie->instance == 0 && !(*s->present & CS_GTPV2C_HAS_CAUSE) ? decode_cause(ie, s) : CS_R_OK;
	default:
		/* Message-level IEs inside a Bearer Context are unexpected there: skipped. */
		return s->depth == 0 && ie->instance == 0 ? decode_message_ie(ie, s->msg) : CS_R_OK;
	}
}

static enum cs_reason walk_ies(const uint8_t *p, uint32_t len, const struct scope *s)
{
	uint32_t at = 0;

	while (at < len) {
		if (len - at < IE_HDR)
			return CS_R_GTPV2C_IE_OVERRUN;
		const struct ie ie = {
			.type = p[at], .len = be16(p + at + 1), .instance = p[at + 3] & 0x0f, .v = p + at + IE_HDR,
		};
		at += IE_HDR;
		if (ie.len > len - at)
			return CS_R_GTPV2C_IE_OVERRUN;
		enum cs_reason r = decode_ie(&ie, s);
		if (r != CS_R_OK)
			return r;
		at += ie.len;
	}
	return CS_R_OK;
}

enum cs_reason cs_decode_gtpv2c(const uint8_t *p, uint32_t len, struct cs_gtpv2c_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->imsi = out->msisdn = out->mei = CS_DIGITS_NONE;
	if (len < HDR_FIXED)
		return CS_R_GTPV2C_TRUNCATED;
	if (p[0] >> 5 != GTPV2)
		return CS_R_GTPV2C_BAD_VERSION;

	bool has_teid = (p[0] & FLAG_T) != 0;
	uint32_t hdr_len = has_teid ? HDR_WITH_TEID : HDR_WITHOUT_TEID;
	uint32_t msg_len = HDR_FIXED + be16(p + 2);
	if (msg_len < hdr_len)
		return CS_R_GTPV2C_BAD_LENGTH;
	if (len < hdr_len)
		return CS_R_GTPV2C_TRUNCATED;

	out->type = p[1];
	out->piggybacked = (p[0] & FLAG_P) != 0;
	out->has_teid = has_teid;
	out->teid = has_teid ? be32(p + 4) : 0;
	out->seq = be24(p + hdr_len - 4);
	out->msg_len = msg_len;
	if (msg_len > len || (out->piggybacked && msg_len == len))
		return CS_R_GTPV2C_TRUNCATED;
	if (!out->piggybacked && msg_len != len)
		return CS_R_GTPV2C_BAD_LENGTH;
	if (!decodes_ies(out->type))
		return CS_R_OK;

	const struct scope top = {
		.msg = out, .present = &out->present, .ebi = &out->lbi, .cause = &out->cause,
		.fteid = out->fteid, .fteid_count = &out->fteid_count, .fteid_cap = CS_GTPV2C_MAX_FTEIDS,
	};
	out->ies_decoded = true;
	return walk_ies(p + hdr_len, msg_len - hdr_len, &top);
}

const struct cs_gtpv2c_fteid *cs_gtpv2c_fteid_by_instance(const struct cs_gtpv2c_fteid *list, unsigned int n,
							   uint8_t instance)
{
	for (unsigned int i = 0; i < n; i++) {
		if (list[i].instance == instance)
			return &list[i];
	}
	return NULL;
}
