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
 *
 *   each IE: type (1), length of value (2), spare:4 instance:4 (1), value
 */

enum {
	IE_IMSI = 1, IE_CAUSE = 2, IE_APN = 71, IE_EBI = 73, IE_MEI = 75, IE_MSISDN = 76,
	IE_PAA = 79, IE_RAT_TYPE = 82, IE_SERVING_NETWORK = 83, IE_ULI = 86, IE_FTEID = 87,
	IE_BEARER_CONTEXT = 93, IE_PDN_TYPE = 99,
};

enum {
	FTEID_S1U_ENB = 0, FTEID_S1U_SGW = 1, FTEID_S11_MME = 10, FTEID_S11_SGW = 11,
	RAT_EUTRAN = 6, CAUSE_REQUEST_ACCEPTED = 16, PDN_IPV4 = 1, DEFAULT_EBI = 5,
	MSG_CREATE_SESSION_REQ = 32, MSG_CREATE_SESSION_RSP = 33,
};

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

static void fteid(struct cs_buf *b, uint8_t instance, uint8_t iface, uint32_t teid, uint32_t ipv4)
{
	size_t at = ie_begin(b, IE_FTEID, instance);
	cs_buf_u8(b, (uint8_t)(0x80 | iface)); /* V4 flag, interface type */
	cs_buf_u32(b, teid);
	cs_buf_u32(b, ipv4);
	ie_end(b, at);
}

static void u8_ie(struct cs_buf *b, uint8_t type, uint8_t value)
{
	size_t at = ie_begin(b, type, 0);
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

static size_t header(struct cs_buf *b, uint8_t type, uint32_t teid, uint32_t seq)
{
	cs_buf_u8(b, 0x48);
	cs_buf_u8(b, type);
	cs_buf_u16(b, 0);
	cs_buf_u32(b, teid);
	cs_buf_u8(b, (uint8_t)(seq >> 16));
	cs_buf_u8(b, (uint8_t)(seq >> 8));
	cs_buf_u8(b, (uint8_t)seq);
	cs_buf_u8(b, 0);
	return 2;
}

static size_t finish(struct cs_buf *b, size_t len_at)
{
	cs_buf_patch_u16(b, len_at, (uint16_t)(b->len - 4));
	return b->overflow ? 0 : b->len;
}

size_t cs_encode_gtpv2c_create_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq)
{
	struct cs_buf b;
	size_t at;

	cs_buf_init(&b, out, cap);
	size_t len_at = header(&b, MSG_CREATE_SESSION_REQ, 0, seq);
	ie_tbcd(&b, IE_IMSI, s->imsi);
	ie_tbcd(&b, IE_MSISDN, s->msisdn);
	ie_tbcd(&b, IE_MEI, s->imei);

	at = ie_begin(&b, IE_ULI, 0);
	cs_buf_u8(&b, 0x18); /* TAI and ECGI present */
	plmn(&b, s->mcc, s->mnc);
	cs_buf_u16(&b, s->tac);
	plmn(&b, s->mcc, s->mnc);
	cs_buf_u32(&b, s->eci & 0x0fffffff);
	ie_end(&b, at);

	at = ie_begin(&b, IE_SERVING_NETWORK, 0);
	plmn(&b, s->mcc, s->mnc);
	ie_end(&b, at);

	u8_ie(&b, IE_RAT_TYPE, RAT_EUTRAN);
	fteid(&b, 0, FTEID_S11_MME, s->mme_teid, s->mme_ip);

	/* APN: DNS labels, each prefixed with its length (TS 23.003 9.1). */
	at = ie_begin(&b, IE_APN, 0);
	for (const char *label = s->apn; *label != '\0';) {
		size_t n = strcspn(label, ".");
		cs_buf_u8(&b, (uint8_t)n);
		cs_buf_bytes(&b, label, n);
		label += n + (label[n] == '.');
	}
	ie_end(&b, at);

	u8_ie(&b, IE_PDN_TYPE, PDN_IPV4);
	paa(&b, 0); /* the UE asks for an address: 0.0.0.0 */

	at = ie_begin(&b, IE_BEARER_CONTEXT, 0);
	u8_ie(&b, IE_EBI, DEFAULT_EBI);
	ie_end(&b, at);
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
	u8_ie(&b, IE_EBI, DEFAULT_EBI);
	cause(&b);
	fteid(&b, 0, FTEID_S1U_SGW, s->sgwu_teid, s->sgw_ip);
	ie_end(&b, at);
	return finish(&b, len_at);
}
