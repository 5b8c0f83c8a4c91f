/* SPDX-License-Identifier: Apache-2.0 */
#include "encode_gtpv2c.h"

#include <string.h>

#include "encode.h"

/*
 * GTPv2-C (3GPP TS 29.274), as the generator writes it:
 *
 *   header, 12 bytes with a TEID
 *   0      1      2        4            8                11     12
 *   +------+------+--------+------------+----------------+------+
 *   | 0x48 | type | length | TEID       | sequence (24b) | 0    |
 *   +------+------+--------+------------+----------------+------+
 *   0x48: version 2, T (TEID present) set; length counts from byte 4.
 *   0x40 (Echo): no TEID, the header is 8 bytes; 0x10 added: P, a
 *   piggybacked message follows (5.1).
 *
 *   each IE: type (1), length of value (2), spare:4 instance:4 (1), value
 */

enum {
	IE_IMSI = 1, IE_CAUSE = 2, IE_RECOVERY = 3, IE_APN = 71, IE_AMBR = 72, IE_EBI = 73, IE_MEI = 75,
	IE_MSISDN = 76, IE_PAA = 79, IE_BEARER_QOS = 80, IE_RAT_TYPE = 82, IE_SERVING_NETWORK = 83,
	IE_ULI = 86, IE_FTEID = 87, IE_BEARER_CONTEXT = 93, IE_PDN_TYPE = 99,
};

enum {
	FTEID_S1U_ENB = 0, FTEID_S1U_SGW = 1, FTEID_S11_MME = 10, FTEID_S11_SGW = 11,
	RAT_EUTRAN = 6, CAUSE_REQUEST_ACCEPTED = 16, PDN_IPV4 = 1, PDN_IPV6 = 2, DEFAULT_EBI = 5,
	MSG_ECHO_REQ = 1,
	MSG_CREATE_SESSION_REQ = 32, MSG_CREATE_SESSION_RSP = 33,
	MSG_MODIFY_BEARER_REQ = 34, MSG_MODIFY_BEARER_RSP = 35,
	MSG_DELETE_SESSION_REQ = 36, MSG_DELETE_SESSION_RSP = 37,
	MSG_CREATE_BEARER_REQ = 95, MSG_CREATE_BEARER_RSP = 96,
	MSG_UPDATE_BEARER_REQ = 97, MSG_UPDATE_BEARER_RSP = 98,
	MSG_DELETE_BEARER_REQ = 99, MSG_DELETE_BEARER_RSP = 100,
	FLAG_T = 0x08, FLAG_P = 0x10,
};

/* Instances (TS 29.274 7.2.x): the role of an IE among others of its type. */
enum { EBI_LINKED = 0, EBI_BEARER_IDS = 1, FTEID_BEARER_ENB = 0, FTEID_BEARER_SGW = 1 };

static size_t ie_begin(struct cs_buf *b, uint8_t type, uint8_t instance)
{
	cs_buf_u8(b, type);
	size_t at = b->len;
	cs_buf_u16(b, 0);
	cs_buf_u8(b, instance & 0x0f);
	return at;
}

static void ie_end(struct cs_buf *b, size_t at)
{
	cs_buf_patch_u16(b, at, (uint16_t)(b->len - at - 3));
}

static void ie_tbcd(struct cs_buf *b, uint8_t type, const char *digits)
{
	size_t at = ie_begin(b, type, 0);
	cs_buf_tbcd(b, digits);
	ie_end(b, at);
}

/* MCC/MNC, 3 bytes: MCC2|MCC1, MNC3|MCC3 (MNC3 = F for a 2-digit MNC), MNC2|MNC1. */
static void plmn(struct cs_buf *b, const char *mcc, const char *mnc)
{
	uint8_t mnc3 = strlen(mnc) == 3 ? (uint8_t)(mnc[2] - '0') : 0xf;

	cs_buf_u8(b, (uint8_t)((mcc[1] - '0') << 4 | (mcc[0] - '0')));
	cs_buf_u8(b, (uint8_t)(mnc3 << 4 | (mcc[2] - '0')));
	cs_buf_u8(b, (uint8_t)((mnc[1] - '0') << 4 | (mnc[0] - '0')));
}

/* F-TEID with an IPv4 address, an IPv6 address or both (NULL: absent). */
static void fteid_ip(struct cs_buf *b, uint8_t instance, uint8_t iface, uint32_t teid, const uint32_t *ipv4,
		     const uint8_t *ipv6)
{
	size_t at = ie_begin(b, IE_FTEID, instance);
	cs_buf_u8(b, (uint8_t)((ipv4 != NULL ? 0x80 : 0) | (ipv6 != NULL ? 0x40 : 0) | iface)); /* V4, V6, type */
	cs_buf_u32(b, teid);
	if (ipv4 != NULL)
		cs_buf_u32(b, *ipv4);
	if (ipv6 != NULL)
		cs_buf_bytes(b, ipv6, 16);
	ie_end(b, at);
}

static void fteid(struct cs_buf *b, uint8_t instance, uint8_t iface, uint32_t teid, uint32_t ipv4)
{
	fteid_ip(b, instance, iface, teid, &ipv4, NULL);
}

static void u8_ie(struct cs_buf *b, uint8_t type, uint8_t instance, uint8_t value)
{
	size_t at = ie_begin(b, type, instance);
	cs_buf_u8(b, value);
	ie_end(b, at);
}

static void cause(struct cs_buf *b)
{
	size_t at = ie_begin(b, IE_CAUSE, 0);
	cs_buf_u8(b, CAUSE_REQUEST_ACCEPTED);
	cs_buf_u8(b, 0); /* PCE/BCE/CS flags */
	ie_end(b, at);
}

static void paa(struct cs_buf *b, uint32_t ue_ip)
{
	size_t at = ie_begin(b, IE_PAA, 0);
	cs_buf_u8(b, PDN_IPV4);
	cs_buf_u32(b, ue_ip);
	ie_end(b, at);
}

/* PAA for PDN type IPv6: prefix length, then the prefix (TS 29.274 8.14). */
static void paa_v6(struct cs_buf *b, uint8_t prefix_len, const uint8_t prefix[16])
{
	size_t at = ie_begin(b, IE_PAA, 0);
	cs_buf_u8(b, PDN_IPV6);
	cs_buf_u8(b, prefix_len);
	cs_buf_bytes(b, prefix, 16);
	ie_end(b, at);
}

/* ULI as an MME sends it on E-UTRAN: TAI and ECGI (TS 29.274 8.21.4, 8.21.5). */
static void uli(struct cs_buf *b, const struct cs_gen_bearer *s)
{
	size_t at = ie_begin(b, IE_ULI, 0);
	cs_buf_u8(b, 0x18); /* TAI and ECGI present */
	plmn(b, s->mcc, s->mnc);
	cs_buf_u16(b, s->tac);
	plmn(b, s->mcc, s->mnc);
	cs_buf_u32(b, s->eci & 0x0fffffff);
	ie_end(b, at);
}

/* A 40-bit bit rate in kbps (TS 29.274 8.15). */
static void bitrate(struct cs_buf *b, uint32_t kbps)
{
	cs_buf_u8(b, 0);
	cs_buf_u32(b, kbps);
}

/*
 * Bearer QoS (8.15), 22 bytes: spare PCI PL:4 spare PVI, QCI, then MBR
 * uplink, MBR downlink, GBR uplink, GBR downlink, 5 bytes each. A voice
 * bearer: priority level 2, 128 kbps guaranteed and maximum both ways.
 */
static void bearer_qos(struct cs_buf *b, uint8_t qci)
{
	size_t at = ie_begin(b, IE_BEARER_QOS, 0);
	cs_buf_u8(b, 2 << 2);
	cs_buf_u8(b, qci);
	for (int i = 0; i < 4; i++)
		bitrate(b, 128);
	ie_end(b, at);
}

static void seq_and_spare(struct cs_buf *b, uint32_t seq)
{
	cs_buf_u8(b, (uint8_t)(seq >> 16));
	cs_buf_u8(b, (uint8_t)(seq >> 8));
	cs_buf_u8(b, (uint8_t)seq);
	cs_buf_u8(b, 0);
}

static size_t header(struct cs_buf *b, uint8_t type, uint32_t teid, uint32_t seq)
{
	cs_buf_u8(b, 0x40 | FLAG_T);
	cs_buf_u8(b, type);
	cs_buf_u16(b, 0);
	cs_buf_u32(b, teid);
	seq_and_spare(b, seq);
	return 2;
}

static size_t finish(struct cs_buf *b, size_t len_at)
{
	cs_buf_patch_u16(b, len_at, (uint16_t)(b->len - 4));
	return b->overflow ? 0 : b->len;
}

/* APN: DNS labels, each prefixed with its length (TS 23.003 9.1). */
static void apn(struct cs_buf *b, const char *name)
{
	size_t at = ie_begin(b, IE_APN, 0);
	for (const char *label = name; *label != '\0';) {
		size_t n = strcspn(label, ".");
		cs_buf_u8(b, (uint8_t)n);
		cs_buf_bytes(b, label, n);
		label += n + (label[n] == '.');
	}
	ie_end(b, at);
}

/* Who and where, at the head of a Create Session Request: IMSI, MSISDN, MEI, ULI, serving network, RAT. */
static void subscriber_ies(struct cs_buf *b, const struct cs_gen_bearer *s)
{
	ie_tbcd(b, IE_IMSI, s->imsi);
	ie_tbcd(b, IE_MSISDN, s->msisdn);
	ie_tbcd(b, IE_MEI, s->imei);
	uli(b, s);

	size_t at = ie_begin(b, IE_SERVING_NETWORK, 0);
	plmn(b, s->mcc, s->mnc);
	ie_end(b, at);

	u8_ie(b, IE_RAT_TYPE, 0, s->rat != 0 ? s->rat : RAT_EUTRAN);
}

/* "Bearer Contexts to be created": the default bearer, EBI only. */
static void default_bearer_to_create(struct cs_buf *b)
{
	size_t at = ie_begin(b, IE_BEARER_CONTEXT, 0);
	u8_ie(b, IE_EBI, 0, DEFAULT_EBI);
	ie_end(b, at);
}

size_t cs_encode_gtpv2c_create_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_SESSION_REQ, 0, seq);
	subscriber_ies(&b, s);
	fteid(&b, 0, FTEID_S11_MME, s->mme_teid, s->mme_ip);
	apn(&b, s->apn);
	u8_ie(&b, IE_PDN_TYPE, 0, PDN_IPV4);
	paa(&b, 0); /* the UE asks for an address: 0.0.0.0 */
	default_bearer_to_create(&b);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_create_session_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_SESSION_RSP, s->mme_teid, seq);
	cause(&b);
	fteid(&b, 0, FTEID_S11_SGW, s->sgw_teid, s->sgw_ip);
	paa(&b, s->ue_ip);

	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, DEFAULT_EBI);
	cause(&b);
	fteid(&b, 0, FTEID_S1U_SGW, s->sgwu_teid, s->sgw_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_create_session_req_v6(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					      const struct cs_gen_ipv6 *v6, uint32_t seq)
{
	static const uint8_t unspecified[16];
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_SESSION_REQ, 0, seq);
	subscriber_ies(&b, s);
	fteid_ip(&b, 0, FTEID_S11_MME, s->mme_teid, NULL, v6->mme_ip);
	apn(&b, s->apn);
	u8_ie(&b, IE_PDN_TYPE, 0, PDN_IPV6);
	paa_v6(&b, v6->prefix_len, unspecified); /* the UE asks for a prefix: :: */
	default_bearer_to_create(&b);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_create_session_rsp_v6(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					      const struct cs_gen_ipv6 *v6, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_SESSION_RSP, s->mme_teid, seq);
	cause(&b);
	fteid_ip(&b, 0, FTEID_S11_SGW, s->sgw_teid, NULL, v6->sgw_ip);
	paa_v6(&b, v6->prefix_len, v6->ue_prefix);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, DEFAULT_EBI);
	cause(&b);
	fteid_ip(&b, 0, FTEID_S1U_SGW, s->sgwu_teid, &s->sgw_ip, v6->sgw_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}

/* The ULI, when given, goes first: TS 29.274 table 7.2.7-1 lists it ahead of the Bearer Contexts. */
static size_t modify_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq, int with_uli)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_MODIFY_BEARER_REQ, s->sgw_teid, seq);
	if (with_uli)
		uli(&b, s);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0); /* "to be modified" */
	u8_ie(&b, IE_EBI, 0, DEFAULT_EBI);
	fteid(&b, FTEID_BEARER_ENB, FTEID_S1U_ENB, s->enb_teid, s->enb_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_modify_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	return modify_bearer_req(out, cap, s, seq, 0);
}

size_t cs_encode_gtpv2c_modify_bearer_req_uli(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	return modify_bearer_req(out, cap, s, seq, 1);
}

size_t cs_encode_gtpv2c_modify_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_MODIFY_BEARER_RSP, s->mme_teid, seq);
	cause(&b);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0); /* "modified" */
	u8_ie(&b, IE_EBI, 0, DEFAULT_EBI);
	cause(&b);
	fteid(&b, 0, FTEID_S1U_SGW, s->sgwu_teid, s->sgw_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_delete_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_DELETE_SESSION_REQ, s->sgw_teid, seq);
	u8_ie(&b, IE_EBI, EBI_LINKED, DEFAULT_EBI);
	uli(&b, s);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_delete_session_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_DELETE_SESSION_RSP, s->mme_teid, seq);
	cause(&b);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_create_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_BEARER_REQ, s->mme_teid, seq);
	u8_ie(&b, IE_EBI, EBI_LINKED, DEFAULT_EBI);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, 0);
	fteid(&b, 0, FTEID_S1U_SGW, d->sgwu_teid, s->sgw_ip);
	bearer_qos(&b, d->qci);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_create_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_BEARER_RSP, s->sgw_teid, seq);
	cause(&b);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, d->ebi);
	cause(&b);
	fteid(&b, FTEID_BEARER_ENB, FTEID_S1U_ENB, d->enb_teid, s->enb_ip);
	fteid(&b, FTEID_BEARER_SGW, FTEID_S1U_SGW, d->sgwu_teid, s->sgw_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_update_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_UPDATE_BEARER_REQ, s->mme_teid, seq);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, d->ebi);
	bearer_qos(&b, d->qci);
	ie_end(&b, at);
	at = ie_begin(&b, IE_AMBR, 0); /* APN-AMBR (8.7): uplink, downlink, kbps */
	cs_buf_u32(&b, 50000);
	cs_buf_u32(&b, 150000);
	ie_end(&b, at);
	return finish(&b, len_at);
}

/* The response to an Update or Delete Bearer Request: cause, and the bearer with its own cause. */
static size_t bearer_rsp(uint8_t *out, size_t cap, uint8_t type, const struct cs_gen_bearer *s,
			 const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, type, s->sgw_teid, seq);
	cause(&b);
	size_t at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, 0, d->ebi);
	cause(&b);
	ie_end(&b, at);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_update_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	return bearer_rsp(out, cap, MSG_UPDATE_BEARER_RSP, s, d, seq);
}

size_t cs_encode_gtpv2c_delete_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_DELETE_BEARER_REQ, s->mme_teid, seq);
	u8_ie(&b, IE_EBI, EBI_BEARER_IDS, d->ebi);
	return finish(&b, len_at);
}

size_t cs_encode_gtpv2c_delete_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq)
{
	return bearer_rsp(out, cap, MSG_DELETE_BEARER_RSP, s, d, seq);
}

size_t cs_encode_gtpv2c_echo_req(uint8_t *out, size_t cap, uint8_t recovery, uint32_t seq)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	cs_buf_u8(&b, 0x40); /* version 2, no TEID */
	cs_buf_u8(&b, MSG_ECHO_REQ);
	cs_buf_u16(&b, 0);
	seq_and_spare(&b, seq);
	u8_ie(&b, IE_RECOVERY, 0, recovery);
	return finish(&b, 2);
}

size_t cs_encode_gtpv2c_piggyback(uint8_t *out, size_t cap, const uint8_t *first, size_t first_len,
				  const uint8_t *second, size_t second_len)
{
	struct cs_buf b;

	cs_buf_init(&b, out, cap);
	cs_buf_bytes(&b, first, first_len);
	cs_buf_bytes(&b, second, second_len);
	if (b.overflow || first_len == 0 || second_len == 0)
		return 0;
	out[0] |= FLAG_P;
	return b.len;
}
