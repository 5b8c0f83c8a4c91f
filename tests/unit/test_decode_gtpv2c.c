/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "decode_gtpv2c.h"
#include "encode.h"
#include "encode_gtpv2c.h"
#include "pcap_writer.h"
#include "run.h"

/* ---- fixtures: one subscriber through a whole session ---- */

static const struct cs_gen_bearer alice = {
	.imsi = "310410123456789", .msisdn = "15551234567", .imei = "353325100000006", .apn = "ims.example.org",
	.mcc = "310", .mnc = "410", .tac = 0x1234, .eci = 0x0abcdef, .ue_ip = 0x64400102,
	.mme_teid = 0x11111111, .sgw_teid = 0x22222222, .enb_teid = 0x33333333, .sgwu_teid = 0x44444444,
	.mme_ip = 0x0a030001, .sgw_ip = 0x0a020001, .enb_ip = 0x0a010007,
};

static const struct cs_gen_ipv6 alice_v6 = {
	.ue_prefix = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2 },
	.prefix_len = 64,
	.mme_ip = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 3, [15] = 1 },
	.sgw_ip = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2, [15] = 1 },
};

static const struct cs_gen_dedicated_bearer voice = { .ebi = 6, .qci = 1, .sgwu_teid = 0x44440006,
						      .enb_teid = 0x33330006 };

/* The messages of one session, in the order the oracle capture carries them. */
enum kind {
	CSREQ, CSRSP_PIGGYBACK_CBREQ, CBRSP, MBREQ, MBRSP, UBREQ, UBRSP, DBREQ, DBRSP, DSREQ, DSRSP,
	CSREQ_V6, CSRSP_V6, ECHO, CSRSP, CBREQ, RICH, NKINDS
};

enum { MSG_MAX = 2048 };

static uint32_t encode_rich(uint8_t *out, size_t cap);

static size_t encode(enum kind k, uint8_t *out, size_t cap)
{
	uint8_t a[MSG_MAX], b[MSG_MAX];
	size_t na, nb;

	switch (k) {
	case CSREQ: return cs_encode_gtpv2c_create_session_req(out, cap, &alice, 1);
	case CSRSP: return cs_encode_gtpv2c_create_session_rsp(out, cap, &alice, 1);
	case CBREQ: return cs_encode_gtpv2c_create_bearer_req(out, cap, &alice, &voice, 2);
	case CSRSP_PIGGYBACK_CBREQ:
		na = cs_encode_gtpv2c_create_session_rsp(a, sizeof(a), &alice, 1);
		nb = cs_encode_gtpv2c_create_bearer_req(b, sizeof(b), &alice, &voice, 2);
		return cs_encode_gtpv2c_piggyback(out, cap, a, na, b, nb);
	case CBRSP: return cs_encode_gtpv2c_create_bearer_rsp(out, cap, &alice, &voice, 2);
	case MBREQ: return cs_encode_gtpv2c_modify_bearer_req(out, cap, &alice, 3);
	case MBRSP: return cs_encode_gtpv2c_modify_bearer_rsp(out, cap, &alice, 3);
	case UBREQ: return cs_encode_gtpv2c_update_bearer_req(out, cap, &alice, &voice, 4);
	case UBRSP: return cs_encode_gtpv2c_update_bearer_rsp(out, cap, &alice, &voice, 4);
	case DBREQ: return cs_encode_gtpv2c_delete_bearer_req(out, cap, &alice, &voice, 5);
	case DBRSP: return cs_encode_gtpv2c_delete_bearer_rsp(out, cap, &alice, &voice, 5);
	case DSREQ: return cs_encode_gtpv2c_delete_session_req(out, cap, &alice, 6);
	case DSRSP: return cs_encode_gtpv2c_delete_session_rsp(out, cap, &alice, 6);
	case CSREQ_V6: return cs_encode_gtpv2c_create_session_req_v6(out, cap, &alice, &alice_v6, 7);
	case CSRSP_V6: return cs_encode_gtpv2c_create_session_rsp_v6(out, cap, &alice, &alice_v6, 7);
	case ECHO: return cs_encode_gtpv2c_echo_req(out, cap, 42, 8);
	case RICH: return encode_rich(out, cap);
	default: return 0;
	}
}

/* Decodes from a heap copy of exactly len bytes, so ASan sees any read past the end. */
static enum cs_reason decode_exact(const uint8_t *p, size_t len, struct cs_gtpv2c_msg *m)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);

	cr_assert_not_null(copy);
	memcpy(copy, p, len);
	enum cs_reason r = cs_decode_gtpv2c(copy, (uint32_t)len, m);
	free(copy);
	return r;
}

static enum cs_reason decode_kind(enum kind k, struct cs_gtpv2c_msg *m)
{
	uint8_t msg[MSG_MAX];
	size_t n = encode(k, msg, sizeof(msg));

	cr_assert_gt(n, 0, "encoding kind %d", k);
	enum cs_reason r = decode_exact(msg, n, m);
	if (r == CS_R_OK && !m->piggybacked)
		cr_expect_eq(m->msg_len, n, "the message fills its payload");
	return r;
}

static const char *digits(cs_digits d)
{
	static char buf[CS_DIGITS_STR];

	cs_digits_to_ascii(d, buf);
	return buf;
}

#define expect_ok(r) cr_expect_eq((r), CS_R_OK, "got %s", cs_reason_name(r))
#define assert_ok(r) cr_assert_eq((r), CS_R_OK, "got %s", cs_reason_name(r))
#define expect_reason(r, want) \
	cr_expect_eq((r), (want), "got %s, want %s", cs_reason_name(r), cs_reason_name(want))

static void expect_plmn(const struct cs_gtpv2c_plmn *p, unsigned mcc, unsigned mnc, unsigned mnc_digits)
{
	cr_expect_eq(p->mcc, mcc);
	cr_expect_eq(p->mnc, mnc);
	cr_expect_eq(p->mnc_digits, mnc_digits);
}

static void expect_fteid(const struct cs_gtpv2c_fteid *f, uint8_t iface, uint32_t teid, uint32_t ipv4)
{
	cr_assert_not_null(f);
	cr_expect_eq(f->iface, iface);
	cr_expect_eq(f->teid, teid);
	cr_expect(f->has_ipv4);
	cr_expect_not(f->has_ipv6);
	cr_expect_eq(f->ipv4, ipv4);
}

static void expect_header(const struct cs_gtpv2c_msg *m, uint8_t type, uint32_t teid, uint32_t seq, bool piggybacked)
{
	cr_expect_eq(m->type, type);
	cr_expect(m->has_teid);
	cr_expect_eq(m->teid, teid);
	cr_expect_eq(m->seq, seq);
	cr_expect_eq(m->piggybacked, piggybacked);
	cr_expect(m->ies_decoded);
}

/* ---- every field of every message type ---- */

Test(gtpv2c, create_session_request)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(CSREQ, &m));
	expect_header(&m, CS_GTPV2C_CREATE_SESSION_REQUEST, 0, 1, false);
	cr_expect_str_eq(digits(m.imsi), "310410123456789");
	cr_expect_str_eq(digits(m.msisdn), "15551234567");
	cr_expect_str_eq(digits(m.mei), "353325100000006");
	cr_expect_str_eq(m.apn, "ims.example.org");
	cr_expect_eq(m.apn_len, 15);
	cr_expect_eq(m.uli.flags, CS_GTPV2C_ULI_TAI | CS_GTPV2C_ULI_ECGI);
	expect_plmn(&m.uli.tai.plmn, 310, 410, 3);
	cr_expect_eq(m.uli.tai.tac, 0x1234);
	expect_plmn(&m.uli.ecgi.plmn, 310, 410, 3);
	cr_expect_eq(m.uli.ecgi.eci, 0x0abcdef);
	expect_plmn(&m.serving_network, 310, 410, 3);
	cr_expect_eq(m.rat_type, 6);
	cr_expect_eq(m.pdn_type, CS_GTPV2C_PDN_IPV4);
	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_IPV4);
	cr_expect_eq(m.paa.ipv4, 0);
	cr_expect_eq(m.present, CS_GTPV2C_HAS_IMSI | CS_GTPV2C_HAS_MSISDN | CS_GTPV2C_HAS_MEI | CS_GTPV2C_HAS_ULI |
					CS_GTPV2C_HAS_SERVING_NETWORK | CS_GTPV2C_HAS_RAT_TYPE | CS_GTPV2C_HAS_APN |
					CS_GTPV2C_HAS_PDN_TYPE | CS_GTPV2C_HAS_PAA);
	cr_assert_eq(m.fteid_count, 1);
	cr_expect_eq(m.fteid[0].instance, 0);
	expect_fteid(&m.fteid[0], CS_GTPV2C_IF_S11_MME, 0x11111111, 0x0a030001);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].instance, 0);
	cr_expect_eq(m.bearer[0].present, CS_GTPV2C_HAS_EBI);
	cr_expect_eq(m.bearer[0].ebi, 5);
	cr_expect_eq(m.bearer[0].fteid_count, 0);
}

Test(gtpv2c, create_session_response)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(CSRSP, &m));
	expect_header(&m, CS_GTPV2C_CREATE_SESSION_RESPONSE, 0x11111111, 1, false);
	cr_expect_eq(m.present, CS_GTPV2C_HAS_CAUSE | CS_GTPV2C_HAS_PAA);
	cr_expect_eq(m.cause.value, 16);
	cr_expect_eq(m.cause.flags, 0);
	cr_expect_not(m.cause.has_offending_ie);
	cr_expect_eq(m.imsi, CS_DIGITS_NONE);
	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_IPV4);
	cr_expect_eq(m.paa.ipv4, 0x64400102);
	cr_assert_eq(m.fteid_count, 1);
	expect_fteid(&m.fteid[0], CS_GTPV2C_IF_S11S4_SGW, 0x22222222, 0x0a020001);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].present, CS_GTPV2C_HAS_EBI | CS_GTPV2C_HAS_CAUSE);
	cr_expect_eq(m.bearer[0].ebi, 5);
	cr_expect_eq(m.bearer[0].cause.value, 16);
	cr_assert_eq(m.bearer[0].fteid_count, 1);
	expect_fteid(cs_gtpv2c_fteid_by_instance(m.bearer[0].fteid, m.bearer[0].fteid_count, 0), CS_GTPV2C_IF_S1U_SGW,
		     0x44444444, 0x0a020001);
}

Test(gtpv2c, create_session_ipv6)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(CSREQ_V6, &m));
	cr_expect_eq(m.pdn_type, CS_GTPV2C_PDN_IPV6);
	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_IPV6);
	cr_expect_eq(m.paa.ipv6_prefix_len, 64);
	cr_expect_arr_eq(m.paa.ipv6, (uint8_t[16]){ 0 }, 16);
	cr_assert_eq(m.fteid_count, 1);
	cr_expect_not(m.fteid[0].has_ipv4);
	cr_expect(m.fteid[0].has_ipv6);
	cr_expect_eq(m.fteid[0].iface, CS_GTPV2C_IF_S11_MME);
	cr_expect_arr_eq(m.fteid[0].ipv6, alice_v6.mme_ip, 16);
	cr_expect_str_eq(digits(m.imsi), "310410123456789");

	assert_ok(decode_kind(CSRSP_V6, &m));
	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_IPV6);
	cr_expect_arr_eq(m.paa.ipv6, alice_v6.ue_prefix, 16);
	cr_expect_arr_eq(m.fteid[0].ipv6, alice_v6.sgw_ip, 16);
	cr_assert_eq(m.bearer_count, 1);
	cr_assert_eq(m.bearer[0].fteid_count, 1);
	const struct cs_gtpv2c_fteid *s1u = &m.bearer[0].fteid[0];
	cr_expect(s1u->has_ipv4 && s1u->has_ipv6, "dual-stack S1-U");
	cr_expect_eq(s1u->ipv4, 0x0a020001);
	cr_expect_arr_eq(s1u->ipv6, alice_v6.sgw_ip, 16);
	cr_expect_eq(s1u->teid, 0x44444444);
}

Test(gtpv2c, modify_bearer)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(MBREQ, &m));
	expect_header(&m, CS_GTPV2C_MODIFY_BEARER_REQUEST, 0x22222222, 3, false);
	cr_expect_eq(m.present, 0);
	cr_expect_eq(m.fteid_count, 0);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 5);
	cr_assert_eq(m.bearer[0].fteid_count, 1);
	cr_expect_eq(m.bearer[0].fteid[0].instance, 0);
	expect_fteid(&m.bearer[0].fteid[0], CS_GTPV2C_IF_S1U_ENB, 0x33333333, 0x0a010007);

	assert_ok(decode_kind(MBRSP, &m));
	expect_header(&m, CS_GTPV2C_MODIFY_BEARER_RESPONSE, 0x11111111, 3, false);
	cr_expect_eq(m.cause.value, 16);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].cause.value, 16);
	expect_fteid(&m.bearer[0].fteid[0], CS_GTPV2C_IF_S1U_SGW, 0x44444444, 0x0a020001);
}

Test(gtpv2c, delete_session)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(DSREQ, &m));
	expect_header(&m, CS_GTPV2C_DELETE_SESSION_REQUEST, 0x22222222, 6, false);
	cr_expect_eq(m.present, CS_GTPV2C_HAS_EBI | CS_GTPV2C_HAS_ULI);
	cr_expect_eq(m.lbi, 5);
	cr_expect_eq(m.uli.tai.tac, 0x1234);
	cr_expect_eq(m.uli.ecgi.eci, 0x0abcdef);
	cr_expect_eq(m.bearer_count, 0);

	assert_ok(decode_kind(DSRSP, &m));
	expect_header(&m, CS_GTPV2C_DELETE_SESSION_RESPONSE, 0x11111111, 6, false);
	cr_expect_eq(m.present, CS_GTPV2C_HAS_CAUSE);
	cr_expect_eq(m.cause.value, 16);
}

Test(gtpv2c, create_bearer)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(CBREQ, &m));
	expect_header(&m, CS_GTPV2C_CREATE_BEARER_REQUEST, 0x11111111, 2, false);
	cr_expect_eq(m.lbi, 5);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 0, "the MME has not assigned it yet");
	cr_expect(m.bearer[0].present & CS_GTPV2C_HAS_EBI);
	expect_fteid(&m.bearer[0].fteid[0], CS_GTPV2C_IF_S1U_SGW, 0x44440006, 0x0a020001);

	assert_ok(decode_kind(CBRSP, &m));
	expect_header(&m, CS_GTPV2C_CREATE_BEARER_RESPONSE, 0x22222222, 2, false);
	cr_expect_eq(m.cause.value, 16);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 6);
	cr_assert_eq(m.bearer[0].fteid_count, 2);
	expect_fteid(cs_gtpv2c_fteid_by_instance(m.bearer[0].fteid, 2, 0), CS_GTPV2C_IF_S1U_ENB, 0x33330006, 0x0a010007);
	expect_fteid(cs_gtpv2c_fteid_by_instance(m.bearer[0].fteid, 2, 1), CS_GTPV2C_IF_S1U_SGW, 0x44440006, 0x0a020001);
	cr_expect_null(cs_gtpv2c_fteid_by_instance(m.bearer[0].fteid, 2, 2));
}

Test(gtpv2c, update_bearer)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(UBREQ, &m));
	expect_header(&m, CS_GTPV2C_UPDATE_BEARER_REQUEST, 0x11111111, 4, false);
	cr_expect_eq(m.present, 0, "the APN-AMBR is skipped");
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 6);
	cr_expect_eq(m.bearer[0].fteid_count, 0);

	assert_ok(decode_kind(UBRSP, &m));
	expect_header(&m, CS_GTPV2C_UPDATE_BEARER_RESPONSE, 0x22222222, 4, false);
	cr_expect_eq(m.cause.value, 16);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 6);
	cr_expect_eq(m.bearer[0].cause.value, 16);
}

Test(gtpv2c, delete_bearer)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(DBREQ, &m));
	expect_header(&m, CS_GTPV2C_DELETE_BEARER_REQUEST, 0x11111111, 5, false);
	cr_expect_eq(m.present, 0, "EBI instance 1 is not the linked EBI");
	cr_assert_eq(m.ebi_count, 1);
	cr_expect_eq(m.ebi[0], 6);

	assert_ok(decode_kind(DBRSP, &m));
	expect_header(&m, CS_GTPV2C_DELETE_BEARER_RESPONSE, 0x22222222, 5, false);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].ebi, 6);
	cr_expect_eq(m.bearer[0].cause.value, 16);
}

Test(gtpv2c, echo_is_decoded_as_a_header_without_teid)
{
	struct cs_gtpv2c_msg m;

	assert_ok(decode_kind(ECHO, &m));
	cr_expect_eq(m.type, CS_GTPV2C_ECHO_REQUEST);
	cr_expect_not(m.has_teid);
	cr_expect_eq(m.seq, 8);
	cr_expect_eq(m.msg_len, 8 + 5);
	cr_expect_not(m.ies_decoded);
	cr_expect_eq(m.present, 0);
}

Test(gtpv2c, header_only_types_leave_their_ies_alone)
{
	/* type 64 (Modify Bearer Command) with an IE claiming 0xffff octets */
	const uint8_t msg[] = { 0x48, 64, 0, 12, 0, 0, 0, 1, 0, 0, 9, 0, 1, 0xff, 0xff, 0 };
	struct cs_gtpv2c_msg m;

	expect_ok(decode_exact(msg, sizeof(msg), &m));
	cr_expect_eq(m.type, 64);
	cr_expect_eq(m.teid, 1);
	cr_expect_eq(m.seq, 9);
	cr_expect_not(m.ies_decoded);
}

/* ---- piggybacking (TS 29.274 5.1, the P flag) ---- */

Test(gtpv2c, piggybacked_create_bearer_request)
{
	uint8_t payload[MSG_MAX];
	size_t n = encode(CSRSP_PIGGYBACK_CBREQ, payload, sizeof(payload));
	size_t first = encode(CSRSP, (uint8_t[MSG_MAX]){ 0 }, MSG_MAX);
	struct cs_gtpv2c_msg m;

	assert_ok(decode_exact(payload, n, &m));
	expect_header(&m, CS_GTPV2C_CREATE_SESSION_RESPONSE, 0x11111111, 1, true);
	cr_assert_eq(m.msg_len, first);
	cr_expect_eq(m.paa.ipv4, 0x64400102);

	assert_ok(decode_exact(payload + m.msg_len, n - m.msg_len, &m));
	expect_header(&m, CS_GTPV2C_CREATE_BEARER_REQUEST, 0x11111111, 2, false);
	cr_expect_eq(m.msg_len, n - first);
	cr_expect_eq(m.lbi, 5);
	cr_expect_eq(m.bearer[0].fteid[0].teid, 0x44440006);
}

/* ---- a hand-built message with every ULI part, dual-stack F-TEID and PAA, an offending IE ---- */

struct builder {
	struct cs_buf b;
	uint8_t mem[MSG_MAX * 2];
	size_t open[4];
	unsigned depth;
};

static void begin(struct builder *m, uint8_t type)
{
	cs_buf_init(&m->b, m->mem, sizeof(m->mem));
	m->depth = 0;
	cs_buf_u8(&m->b, 0x48);
	cs_buf_u8(&m->b, type);
	cs_buf_u16(&m->b, 0);
	cs_buf_u32(&m->b, 0x01020304);
	cs_buf_u32(&m->b, 0x00abcd00); /* sequence 0x00abcd, spare */
}

static void ie(struct builder *m, uint8_t type, uint8_t instance, const void *v, size_t n)
{
	cs_buf_u8(&m->b, type);
	cs_buf_u16(&m->b, (uint16_t)n);
	cs_buf_u8(&m->b, instance);
	cs_buf_bytes(&m->b, v, n);
}

#define IE(m, type, instance, ...) \
	ie((m), (type), (instance), (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))
#define EMPTY_IE(m, type, instance) ie((m), (type), (instance), "", 0)

static void group_begin(struct builder *m, uint8_t type, uint8_t instance)
{
	cs_buf_u8(&m->b, type);
	m->open[m->depth++] = m->b.len;
	cs_buf_u16(&m->b, 0);
	cs_buf_u8(&m->b, instance);
}

static void group_end(struct builder *m)
{
	size_t at = m->open[--m->depth];

	cs_buf_patch_u16(&m->b, at, (uint16_t)(m->b.len - at - 3));
}

static uint32_t end(struct builder *m)
{
	cr_assert_not(m->b.overflow);
	cs_buf_patch_u16(&m->b, 2, (uint16_t)(m->b.len - 4));
	return (uint32_t)m->b.len;
}

static enum cs_reason decode_built(struct builder *b, struct cs_gtpv2c_msg *m)
{
	uint32_t n = end(b);
	return decode_exact(b->mem, n, m);
}

enum {
	T_IMSI = 1, T_CAUSE = 2, T_RECOVERY = 3, T_APN = 71, T_EBI = 73, T_MEI = 75, T_MSISDN = 76, T_PAA = 79,
	T_RAT = 82, T_SN = 83, T_ULI = 86, T_FTEID = 87, T_BEARER = 93, T_PDN_TYPE = 99,
};

/* MCC 310, MNC 410 */
#define PLMN_310_410 0x13, 0x00, 0x14

static void rich_ies(struct builder *b)
{
	IE(b, T_IMSI, 0, 0x13, 0x00, 0x14, 0x21, 0x43, 0x65, 0x87, 0xf9);
	IE(b, T_ULI, 0, 0xff,
	   PLMN_310_410, 0x01, 0x02, 0x03, 0x04,       /* CGI: LAC, CI */
	   PLMN_310_410, 0x05, 0x06, 0x07, 0x08,       /* SAI: LAC, SAC */
	   PLMN_310_410, 0x09, 0x0a, 0x0b, 0xff,       /* RAI: LAC, RAC, spare */
	   PLMN_310_410, 0x0c, 0x0d,                   /* TAI: TAC */
	   PLMN_310_410, 0x01, 0x23, 0x45, 0x67,       /* ECGI: spare:4, ECI */
	   PLMN_310_410, 0x0e, 0x0f,                   /* LAI: LAC */
	   PLMN_310_410, 0xf1, 0x23, 0x45,             /* macro eNB ID, spare nibble set */
	   PLMN_310_410, 0x1f, 0xff, 0xfe);            /* extended macro eNB ID, long */
	IE(b, T_FTEID, 1, 0xc0 | 63, 0xde, 0xad, 0xbe, 0xef, 192, 0, 2, 1,
	   0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42);
	IE(b, T_PAA, 0, 0x03, 56, 0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xbb, 0xcc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 64, 0, 9);
	IE(b, T_PDN_TYPE, 0, 0xf8 | CS_GTPV2C_PDN_IPV4V6);
	IE(b, T_RECOVERY, 0, 7);
	IE(b, T_CAUSE, 0, 64, 0x05, T_IMSI, 0, 0, 2); /* context not found, PCE and CS; blames IMSI instance 2 */
}

static uint32_t encode_rich(uint8_t *out, size_t cap)
{
	static struct builder b;

	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	rich_ies(&b);
	uint32_t n = end(&b);
	cr_assert_leq(n, cap);
	memcpy(out, b.mem, n);
	return n;
}

Test(gtpv2c, every_uli_part_dual_stack_and_offending_ie)
{
	struct cs_gtpv2c_msg m;
	const struct cs_gtpv2c_uli *u = &m.uli;
	const uint8_t ftv6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	const uint8_t paav6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xbb, 0xcc };

	assert_ok(decode_kind(RICH, &m));
	cr_expect_str_eq(digits(m.imsi), "310041123456789");
	cr_expect_eq(u->flags, 0xff);
	expect_plmn(&u->cgi.plmn, 310, 410, 3);
	cr_expect_eq(u->cgi.lac, 0x0102);
	cr_expect_eq(u->cgi.ci, 0x0304);
	expect_plmn(&u->sai.plmn, 310, 410, 3);
	cr_expect_eq(u->sai.lac, 0x0506);
	cr_expect_eq(u->sai.sac, 0x0708);
	cr_expect_eq(u->rai.lac, 0x090a);
	cr_expect_eq(u->rai.rac, 0x0b);
	cr_expect_eq(u->tai.tac, 0x0c0d);
	cr_expect_eq(u->ecgi.eci, 0x1234567);
	cr_expect_eq(u->lai.lac, 0x0e0f);
	cr_expect_eq(u->macro_enb.enb_id, 0x12345);
	expect_plmn(&u->ext_macro_enb.plmn, 310, 410, 3);
	cr_expect_not(u->ext_macro_enb.smenb);
	cr_expect_eq(u->ext_macro_enb.enb_id, 0x1ffffe);

	cr_assert_eq(m.fteid_count, 1);
	cr_expect_eq(m.fteid[0].instance, 1);
	cr_expect_eq(m.fteid[0].iface, 63, "an interface type without a name is kept");
	cr_expect_eq(m.fteid[0].teid, 0xdeadbeef);
	cr_expect(m.fteid[0].has_ipv4 && m.fteid[0].has_ipv6);
	cr_expect_eq(m.fteid[0].ipv4, 0xc0000201);
	cr_expect_arr_eq(m.fteid[0].ipv6, ftv6, 16);

	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_IPV4V6);
	cr_expect_eq(m.paa.ipv6_prefix_len, 56);
	cr_expect_arr_eq(m.paa.ipv6, paav6, 16);
	cr_expect_eq(m.paa.ipv4, 0x64400009);
	cr_expect_eq(m.pdn_type, CS_GTPV2C_PDN_IPV4V6, "spare bits are masked");
	cr_expect_eq(m.recovery, 7);

	cr_expect_eq(m.cause.value, 64);
	cr_expect_eq(m.cause.flags, 0x05);
	cr_expect(m.cause.has_offending_ie);
	cr_expect_eq(m.cause.offending_type, T_IMSI);
	cr_expect_eq(m.cause.offending_instance, 2);
}

Test(gtpv2c, spare_bits_short_macro_enb_and_two_digit_mnc)
{
	struct builder b;
	struct cs_gtpv2c_msg m;

	begin(&b, CS_GTPV2C_MODIFY_BEARER_REQUEST);
	/* MCC 001 MNC 01: ECGI with its spare nibble set, extended macro eNB with SMeNB */
	IE(&b, T_ULI, 0, 0x90, 0x00, 0xf1, 0x10, 0xff, 0xff, 0xff, 0xff, 0x00, 0xf1, 0x10, 0x9f, 0xff, 0xff);
	IE(&b, T_SN, 0, 0x62, 0xf2, 0x10); /* MCC 262 MNC 01 */
	assert_ok(decode_built(&b, &m));
	cr_expect_eq(m.uli.ecgi.eci, 0x0fffffff, "an ECI has 28 bits");
	cr_expect(m.uli.ext_macro_enb.smenb);
	cr_expect_eq(m.uli.ext_macro_enb.enb_id, 0x3ffff);
	expect_plmn(&m.uli.ext_macro_enb.plmn, 1, 1, 2);
	expect_plmn(&m.serving_network, 262, 1, 2);
}

/* ---- tests/data/sample.pcap: what cdrsentry-gen --seed 1 writes, sessions of 16 subscribers ---- */

struct frame {
	uint32_t number;
	const uint8_t *payload;
	uint32_t len;
};

enum { MAX_FRAMES = 4096, GTPC_PORT = 2123 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The UDP/2123 payloads of a classic little-endian pcap of plain
 * Ethernet + IPv4 (no options) + UDP frames, by fixed offsets; frames of
 * any other shape are skipped. Returns how many.
 */
static size_t gtpc_frames(const uint8_t *buf, size_t len, struct frame *out)
{
	enum { PCAP_HDR = 24, REC_HDR = 16, ETH = 14, IP = 20, UDP = 8 };
	size_t n = 0, at = PCAP_HDR;
	uint32_t number = 0;

	cr_assert_geq(len, PCAP_HDR);
	cr_assert_eq(le32(buf), 0xa1b2c3d4u);
	while (at + REC_HDR <= len && n < MAX_FRAMES) {
		uint32_t caplen = le32(buf + at + 8);
		const uint8_t *f = buf + at + REC_HDR;

		cr_assert_leq(at + REC_HDR + caplen, len);
		at += REC_HDR + caplen;
		number++;
		if (caplen < ETH + IP + UDP || f[12] != 0x08 || f[13] != 0x00 || f[ETH] != 0x45 || f[ETH + 9] != 17)
			continue;
		const uint8_t *udp = f + ETH + IP;
		uint32_t sport = (uint32_t)udp[0] << 8 | udp[1], dport = (uint32_t)udp[2] << 8 | udp[3];
		uint32_t udp_len = (uint32_t)udp[4] << 8 | udp[5];
		if ((sport != GTPC_PORT && dport != GTPC_PORT) || udp_len < UDP || ETH + IP + udp_len > caplen)
			continue;
		out[n++] = (struct frame){ .number = number, .payload = udp + UDP, .len = udp_len - UDP };
	}
	return n;
}

/*
 * The generator grows (more of the session's messages over time), so this
 * asserts what holds for any of its captures; tshark checks every field
 * below.
 */
Test(gtpv2c, bundled_sample)
{
	size_t len;
	uint8_t *pcap = (uint8_t *)cs_read_file(CS_SOURCE_PATH("tests/data/sample.pcap"), &len);
	static struct frame frames[MAX_FRAMES];
	struct cs_gtpv2c_msg m;
	unsigned count[256] = { 0 };

	cr_assert_not_null(pcap);
	size_t n = gtpc_frames(pcap, len, frames);
	cr_assert_geq(n, 32);
	cr_assert_lt(n, MAX_FRAMES);
	for (size_t i = 0; i < n; i++) {
		enum cs_reason r = decode_exact(frames[i].payload, frames[i].len, &m);
		cr_expect_eq(r, CS_R_OK, "frame %u: %s", frames[i].number, cs_reason_name(r));
		cr_expect(m.ies_decoded, "frame %u: type %u", frames[i].number, m.type);
		count[m.type]++;
	}
	static const uint8_t requests[] = { CS_GTPV2C_CREATE_SESSION_REQUEST, CS_GTPV2C_MODIFY_BEARER_REQUEST,
					    CS_GTPV2C_DELETE_SESSION_REQUEST, CS_GTPV2C_CREATE_BEARER_REQUEST,
					    CS_GTPV2C_UPDATE_BEARER_REQUEST, CS_GTPV2C_DELETE_BEARER_REQUEST };
	cr_expect_eq(count[CS_GTPV2C_CREATE_SESSION_REQUEST], 16);
	for (size_t i = 0; i < sizeof(requests); i++)
		cr_expect_eq(count[requests[i]], count[requests[i] + 1], "every request of type %u is answered",
			     requests[i]);

	/* frame 1: the first subscriber attaches; the generator derives these from its index */
	cr_assert_eq(frames[0].number, 1);
	assert_ok(decode_exact(frames[0].payload, frames[0].len, &m));
	cr_expect_eq(m.type, CS_GTPV2C_CREATE_SESSION_REQUEST);
	cr_expect_str_eq(digits(m.imsi), "001010001000000");
	cr_expect_str_eq(digits(m.msisdn), "15552000000");
	cr_expect_eq(cs_digits_len(m.mei), 15);
	cr_expect_str_eq(m.apn, "internet");
	expect_plmn(&m.serving_network, 1, 1, 2);
	expect_plmn(&m.uli.tai.plmn, 1, 1, 2);
	cr_expect_eq(m.uli.tai.tac, 0x0100);
	expect_fteid(&m.fteid[0], CS_GTPV2C_IF_S11_MME, 0x10000000, 0x0a030001);
	free(pcap);
}

/* ---- the oracle: tshark reads the same frames ---- */

static const char *const oracle_fields[] = {
	"gtpv2.message_type", "gtpv2.seq", "gtpv2.teid", "e212.imsi", "gtpv2.mei", "e164.msisdn", "gtpv2.apn",
	"gtpv2.f_teid_interface_type", "gtpv2.f_teid_gre_key", "gtpv2.f_teid_ipv4", "gtpv2.f_teid_ipv6",
	"gtpv2.pdn_addr_and_prefix.ipv4", "gtpv2.pdn_ipv6_len", "gtpv2.pdn_addr_and_prefix.ipv6", "gtpv2.tai_tac",
	"gtpv2.ecgi_eci", "gtpv2.uli_cgi_lac", "gtpv2.uli_cgi_ci", "gtpv2.sai_lac", "gtpv2.sai_sac", "gtpv2.rai_lac",
	"gtpv2.uli_lai_lac", "gtpv2.rat_type", "gtpv2.ebi", "gtpv2.cause", "gtpv2.cause_off_ie_t",
};

enum { NFIELDS = sizeof(oracle_fields) / sizeof(oracle_fields[0]), MAX_TOKENS = 32, TOKEN = 48 };

/*
 * tshark 4.0 shows no macro eNB parts of a ULI and reads the ECGI's spare
 * nibble into the ECI; both are checked by the tests above instead.
 */

/* One field of one frame: its values, sorted, so that wire order and struct order compare equal. */
struct tokens {
	char v[MAX_TOKENS][TOKEN];
	int n;
};

enum field {
	F_TYPE, F_SEQ, F_TEID, F_IMSI, F_MEI, F_MSISDN, F_APN, F_IFACE, F_GRE, F_FT4, F_FT6, F_PAA4, F_PAA6LEN, F_PAA6,
	F_TAC, F_ECI, F_CGI_LAC, F_CGI_CI, F_SAI_LAC, F_SAI_SAC, F_RAI_LAC, F_LAI_LAC, F_RAT, F_EBI, F_CAUSE,
	F_OFFENDING,
};

static void add(struct tokens *t, enum field f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(struct tokens *t, enum field f, const char *fmt, ...)
{
	va_list ap;

	cr_assert_lt(t[f].n, MAX_TOKENS);
	va_start(ap, fmt);
	vsnprintf(t[f].v[t[f].n++], TOKEN, fmt, ap);
	va_end(ap);
}

static void add_ipv4(struct tokens *t, enum field f, uint32_t a)
{
	add(t, f, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

static void add_ipv6(struct tokens *t, enum field f, const uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];

	cr_assert_not_null(inet_ntop(AF_INET6, a, s, sizeof(s)));
	add(t, f, "%s", s);
}

static void add_fteids(struct tokens *t, const struct cs_gtpv2c_fteid *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		add(t, F_IFACE, "%u", list[i].iface);
		add(t, F_GRE, "0x%08x", list[i].teid);
		if (list[i].has_ipv4)
			add_ipv4(t, F_FT4, list[i].ipv4);
		if (list[i].has_ipv6)
			add_ipv6(t, F_FT6, list[i].ipv6);
	}
}

static void add_cause(struct tokens *t, const struct cs_gtpv2c_cause *c)
{
	add(t, F_CAUSE, "%u", c->value);
	if (c->has_offending_ie)
		add(t, F_OFFENDING, "%u", c->offending_type);
}

static void add_uli(struct tokens *t, const struct cs_gtpv2c_uli *u)
{
	if (u->flags & CS_GTPV2C_ULI_CGI) {
		add(t, F_CGI_LAC, "0x%04x", u->cgi.lac);
		add(t, F_CGI_CI, "%u", u->cgi.ci);
	}
	if (u->flags & CS_GTPV2C_ULI_SAI) {
		add(t, F_SAI_LAC, "0x%04x", u->sai.lac);
		add(t, F_SAI_SAC, "0x%04x", u->sai.sac);
	}
	if (u->flags & CS_GTPV2C_ULI_RAI)
		add(t, F_RAI_LAC, "0x%04x", u->rai.lac);
	if (u->flags & CS_GTPV2C_ULI_TAI)
		add(t, F_TAC, "0x%04x", u->tai.tac);
	if (u->flags & CS_GTPV2C_ULI_ECGI)
		add(t, F_ECI, "%u", u->ecgi.eci);
	if (u->flags & CS_GTPV2C_ULI_LAI)
		add(t, F_LAI_LAC, "0x%04x", u->lai.lac);
}

/* What the decoder makes of one message, in tshark's words. */
static void message_tokens(const struct cs_gtpv2c_msg *m, struct tokens *t)
{
	char s[CS_DIGITS_STR];

	add(t, F_TYPE, "%u", m->type);
	add(t, F_SEQ, "0x%06x", m->seq);
	if (m->has_teid)
		add(t, F_TEID, "0x%08x", m->teid);
	if (!m->ies_decoded)
		return;
	if (cs_digits_to_ascii(m->imsi, s) > 0)
		add(t, F_IMSI, "%s", s);
	if (cs_digits_to_ascii(m->mei, s) > 0)
		add(t, F_MEI, "%s", s);
	if (cs_digits_to_ascii(m->msisdn, s) > 0)
		add(t, F_MSISDN, "%s", s);
	if (m->present & CS_GTPV2C_HAS_APN)
		add(t, F_APN, "%s", m->apn);
	if (m->present & CS_GTPV2C_HAS_PAA) {
		if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV4 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6)
			add_ipv4(t, F_PAA4, m->paa.ipv4);
		if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV6 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6) {
			add(t, F_PAA6LEN, "%u", m->paa.ipv6_prefix_len);
			add_ipv6(t, F_PAA6, m->paa.ipv6);
		}
	}
	if (m->present & CS_GTPV2C_HAS_ULI)
		add_uli(t, &m->uli);
	if (m->present & CS_GTPV2C_HAS_RAT_TYPE)
		add(t, F_RAT, "%u", m->rat_type);
	if (m->present & CS_GTPV2C_HAS_EBI)
		add(t, F_EBI, "%u", m->lbi);
	for (unsigned i = 0; i < m->ebi_count; i++)
		add(t, F_EBI, "%u", m->ebi[i]);
	if (m->present & CS_GTPV2C_HAS_CAUSE)
		add_cause(t, &m->cause);
	add_fteids(t, m->fteid, m->fteid_count);
	for (unsigned i = 0; i < m->bearer_count; i++) {
		const struct cs_gtpv2c_bearer *b = &m->bearer[i];
		if (b->present & CS_GTPV2C_HAS_EBI)
			add(t, F_EBI, "%u", b->ebi);
		if (b->present & CS_GTPV2C_HAS_CAUSE)
			add_cause(t, &b->cause);
		add_fteids(t, b->fteid, b->fteid_count);
	}
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void join_sorted(struct tokens *t, char *out, size_t cap)
{
	size_t w = 0;

	qsort(t->v, (size_t)t->n, TOKEN, compare_strings);
	out[0] = '\0';
	for (int i = 0; i < t->n; i++)
		w += (size_t)snprintf(out + w, cap - w, "%s%s", i > 0 ? "," : "", t->v[i]);
	cr_assert_lt(w, cap);
}

/* Every message of a payload, the piggybacked one too. */
static void decoder_fields(const struct frame *f, char out[NFIELDS][TOKEN * MAX_TOKENS])
{
	static struct tokens t[NFIELDS];
	static struct cs_gtpv2c_msg m;
	const uint8_t *p = f->payload;
	uint32_t len = f->len;

	memset(t, 0, sizeof(t));
	for (int n = 0; n < 2 && len > 0; n++) {
		enum cs_reason r = cs_decode_gtpv2c(p, len, &m);
		cr_assert_eq(r, CS_R_OK, "frame %u: %s", f->number, cs_reason_name(r));
		message_tokens(&m, t);
		if (!m.piggybacked)
			break;
		p += m.msg_len;
		len -= m.msg_len;
	}
	for (int i = 0; i < NFIELDS; i++)
		join_sorted(&t[i], out[i], TOKEN * MAX_TOKENS);
}

/* One line of tshark -T fields: frame number, then the fields, values sorted. */
static uint32_t tshark_fields(char *line, char out[NFIELDS][TOKEN * MAX_TOKENS])
{
	static struct tokens t;
	char *col[NFIELDS + 1];
	int ncols = 0;

	/* by hand: strtok would merge the empty columns */
	for (char *c = line; ncols <= NFIELDS;) {
		char *tab = strchr(c, '\t');
		col[ncols++] = c;
		if (tab == NULL)
			break;
		*tab = '\0';
		c = tab + 1;
	}
	cr_assert_eq(ncols, NFIELDS + 1, "tshark line with %d columns", ncols);
	for (int i = 0; i < NFIELDS; i++) {
		memset(&t, 0, sizeof(t));
		for (char *v = col[i + 1], *next; v != NULL && *v != '\0'; v = next) {
			next = strchr(v, ',');
			if (next != NULL)
				*next++ = '\0';
			cr_assert_lt(t.n, MAX_TOKENS);
			snprintf(t.v[t.n++], TOKEN, "%s", v);
		}
		join_sorted(&t, out[i], TOKEN * MAX_TOKENS);
	}
	return (uint32_t)strtoul(col[0], NULL, 10);
}

/* Returns how many GTP-C frames the capture holds. */
static size_t compare_with_tshark(const char *pcap_path)
{
	static char ours[NFIELDS][TOKEN * MAX_TOKENS], theirs[NFIELDS][TOKEN * MAX_TOKENS];
	static struct frame frames[MAX_FRAMES];
	char *argv[16 + 2 * NFIELDS + 1] = {
		"/usr/bin/tshark", "-n", "-r", (char *)pcap_path, "-Y", "gtpv2", "-T", "fields",
		"-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number",
	};
	struct cs_run r;
	size_t len, n = 0;
	int a = 16;

	uint8_t *pcap = (uint8_t *)cs_read_file(pcap_path, &len);
	cr_assert_not_null(pcap, "%s", pcap_path);
	size_t nframes = gtpc_frames(pcap, len, frames);
	cr_assert_lt(nframes, MAX_FRAMES);
	for (int i = 0; i < NFIELDS; i++) {
		argv[a++] = "-e";
		argv[a++] = (char *)oracle_fields[i];
	}
	argv[a] = NULL;

	cr_assert_eq(cs_run(argv, &r), 0, "tshark did not start");
	cr_assert_eq(r.status, 0, "tshark: %s", r.err);
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save), n++) {
		uint32_t number = tshark_fields(line, theirs);
		cr_assert_lt(n, nframes, "tshark shows more GTPv2 frames than the decoder sees");
		cr_assert_eq(number, frames[n].number);
		decoder_fields(&frames[n], ours);
		for (int i = 0; i < NFIELDS; i++)
			cr_expect_str_eq(ours[i], theirs[i], "%s frame %u, %s: decoder [%s], tshark [%s]", pcap_path,
					 number, oracle_fields[i], ours[i], theirs[i]);
	}
	cr_expect_eq(n, nframes, "tshark decoded %zu of %zu frames", n, nframes);
	cs_run_free(&r);
	free(pcap);
	return nframes;
}

/* A capture of the whole session as the generator writes it, plus the hand-built message. */
static void write_session_capture(char *path)
{
	static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 }, mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct cs_pcap_writer w;
	uint8_t msg[MSG_MAX], frame[MSG_MAX + 64];
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(cs_pcap_writer_open(&w, path), 0);
	for (enum kind k = 0; k < NKINDS; k++) {
		struct cs_udp4_flow flow = { .src_ip = alice.mme_ip, .dst_ip = alice.sgw_ip, .src_port = GTPC_PORT,
					     .dst_port = GTPC_PORT };
		memcpy(flow.src_mac, mac_a, 6);
		memcpy(flow.dst_mac, mac_b, 6);
		size_t n = encode(k, msg, sizeof(msg));
		cr_assert_gt(n, 0);
		size_t f = cs_encode_udp4_frame(frame, sizeof(frame), &flow, (uint16_t)k, msg, n);
		cr_assert_gt(f, 0);
		cr_assert_eq(cs_pcap_writer_add(&w, 1767600000000000000ull + (uint64_t)k * 1000000, frame, f), 0);
	}
	cr_assert_eq(cs_pcap_writer_close(&w), 0);
}

Test(gtpv2c, oracle_tshark_generated_session, .timeout = 60)
{
	char path[] = "/tmp/cs-gtpv2c-oracle.XXXXXX";

	write_session_capture(path);
	cr_expect_eq(compare_with_tshark(path), NKINDS);
	unlink(path);
}

Test(gtpv2c, oracle_tshark_bundled_sample, .timeout = 60)
{
	cr_expect_geq(compare_with_tshark(CS_SOURCE_PATH("tests/data/sample.pcap")), 32);
}

/* ---- truncation at every offset ---- */

static bool same_fteid(const struct cs_gtpv2c_fteid *a, const struct cs_gtpv2c_fteid *b)
{
	return a->instance == b->instance && a->iface == b->iface && a->has_ipv4 == b->has_ipv4 &&
	       a->has_ipv6 == b->has_ipv6 && a->teid == b->teid && a->ipv4 == b->ipv4 &&
	       memcmp(a->ipv6, b->ipv6, 16) == 0;
}

static bool same_fteids(const struct cs_gtpv2c_fteid *a, unsigned na, const struct cs_gtpv2c_fteid *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++) {
		if (!same_fteid(&a[i], &b[i]))
			return false;
	}
	return true;
}

/* Everything a partial decode reports is what the whole message says; nothing comes from past the cut. */
static void expect_part_of(const struct cs_gtpv2c_msg *part, const struct cs_gtpv2c_msg *full, size_t cut)
{
	uint32_t p = part->present;

	cr_expect_eq(p & ~full->present, 0, "cut %zu: fields the message does not have", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_IMSI) || part->imsi == full->imsi, "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_MSISDN) || part->msisdn == full->msisdn, "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_MEI) || part->mei == full->mei, "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_APN) || strcmp(part->apn, full->apn) == 0, "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_ULI) || (part->uli.tai.tac == full->uli.tai.tac &&
					      part->uli.ecgi.eci == full->uli.ecgi.eci), "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_PAA) || (part->paa.pdn_type == full->paa.pdn_type &&
					      part->paa.ipv4 == full->paa.ipv4 &&
					      memcmp(part->paa.ipv6, full->paa.ipv6, 16) == 0), "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_CAUSE) || part->cause.value == full->cause.value, "cut %zu", cut);
	cr_expect(!(p & CS_GTPV2C_HAS_EBI) || part->lbi == full->lbi, "cut %zu", cut);
	cr_expect_leq(part->fteid_count, full->fteid_count, "cut %zu", cut);
	cr_expect(same_fteids(part->fteid, part->fteid_count, full->fteid, part->fteid_count), "cut %zu", cut);
	cr_expect_leq(part->bearer_count, full->bearer_count, "cut %zu", cut);
	for (unsigned i = 0; i < part->bearer_count && i < full->bearer_count; i++) {
		const struct cs_gtpv2c_bearer *a = &part->bearer[i], *b = &full->bearer[i];
		cr_expect(a->present == b->present && a->ebi == b->ebi && a->cause.value == b->cause.value,
			  "cut %zu bearer %u", cut, i);
		cr_expect(same_fteids(a->fteid, a->fteid_count, b->fteid, b->fteid_count), "cut %zu bearer %u", cut, i);
	}
}

/* Offsets where a top-level IE ends: the only places a message can end whole. */
static bool ie_boundary(const uint8_t *msg, size_t len, size_t hdr, size_t cut)
{
	for (size_t at = hdr; at <= len; at += 4 + (size_t)(msg[at + 1] << 8 | msg[at + 2])) {
		if (at == cut)
			return true;
		if (at == len)
			break;
	}
	return false;
}

/* The payload cut short: the header's length promises more, so nothing but "truncated". */
Test(gtpv2c, truncation_at_every_offset)
{
	for (enum kind k = 0; k < NKINDS; k++) {
		uint8_t msg[MSG_MAX];
		struct cs_gtpv2c_msg full, m;
		size_t len = encode(k, msg, sizeof(msg));
		size_t hdr = (msg[0] & 0x08) ? 12 : 8;

		assert_ok(cs_decode_gtpv2c(msg, (uint32_t)len, &full));
		for (size_t cut = 0; cut < len; cut++) {
			enum cs_reason r = decode_exact(msg, cut, &m);

			if (k == CSRSP_PIGGYBACK_CBREQ && cut > full.msg_len) {
				/* the first message is whole; the piggybacked one is cut */
				cr_expect_eq(r, CS_R_OK, "kind %d cut %zu: %s", k, cut, cs_reason_name(r));
				r = decode_exact(msg + full.msg_len, cut - full.msg_len, &m);
			}
			cr_expect_eq(r, CS_R_GTPV2C_TRUNCATED, "kind %d cut %zu: %s", k, cut, cs_reason_name(r));
			if (cut >= hdr && cut <= full.msg_len) {
				cr_expect_eq(m.type, full.type, "kind %d cut %zu: header kept", k, cut);
				cr_expect_eq(m.seq, full.seq, "kind %d cut %zu", k, cut);
				cr_expect_eq(m.teid, full.teid, "kind %d cut %zu", k, cut);
			}
			cr_expect_eq(m.present, 0, "kind %d cut %zu", k, cut);
			cr_expect_eq(m.bearer_count, 0, "kind %d cut %zu", k, cut);
		}
	}
}

/*
 * The message cut and its length field rewritten to end at the cut: the
 * decoder must refuse every cut inside an IE (the IE runs past the message)
 * and, at an IE boundary, report exactly the IEs before the cut.
 */
Test(gtpv2c, truncation_with_consistent_length_at_every_offset)
{
	for (enum kind k = 0; k < NKINDS; k++) {
		uint8_t msg[MSG_MAX], cut_msg[MSG_MAX];
		struct cs_gtpv2c_msg full, m;
		size_t len = encode(k, msg, sizeof(msg));
		size_t hdr = (msg[0] & 0x08) ? 12 : 8;

		assert_ok(cs_decode_gtpv2c(msg, (uint32_t)len, &full));
		if (full.piggybacked)
			continue;
		for (size_t cut = 0; cut <= len; cut++) {
			memcpy(cut_msg, msg, cut);
			if (cut >= 4) {
				cut_msg[2] = (uint8_t)((cut - 4) >> 8);
				cut_msg[3] = (uint8_t)(cut - 4);
			}
			enum cs_reason r = decode_exact(cut_msg, cut, &m);
			if (cut < 4)
				expect_reason(r, CS_R_GTPV2C_TRUNCATED);
			else if (cut < hdr)
				expect_reason(r, CS_R_GTPV2C_BAD_LENGTH);
			else if (!full.ies_decoded || ie_boundary(msg, len, hdr, cut))
				cr_expect_eq(r, CS_R_OK, "kind %d cut %zu: %s", k, cut, cs_reason_name(r));
			else
				cr_expect_eq(r, CS_R_GTPV2C_IE_OVERRUN, "kind %d cut %zu: %s", k, cut, cs_reason_name(r));
			expect_part_of(&m, &full, cut);
		}
	}
}

/* ---- header faults ---- */

Test(gtpv2c, header_faults)
{
	uint8_t msg[MSG_MAX], longer[MSG_MAX + 1];
	struct cs_gtpv2c_msg m;
	size_t n = encode(CSREQ, msg, sizeof(msg));

	expect_reason(decode_exact(msg, 0, &m), CS_R_GTPV2C_TRUNCATED);

	/* GTPv1-C (flags 0x32) and GTPv0 on port 2123 */
	expect_reason(decode_exact((const uint8_t[]){ 0x32, 0x10, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0 }, 12, &m),
		      CS_R_GTPV2C_BAD_VERSION);
	expect_reason(decode_exact((const uint8_t[]){ 0x1e, 0x10, 0, 0 }, 4, &m), CS_R_GTPV2C_BAD_VERSION);

	/* a length smaller than the header it must cover: with a TEID at least 8, without at least 4 */
	expect_reason(decode_exact((const uint8_t[]){ 0x48, 32, 0, 7, 0, 0, 0, 0, 0, 0, 1 }, 11, &m),
		      CS_R_GTPV2C_BAD_LENGTH);
	expect_reason(decode_exact((const uint8_t[]){ 0x40, 1, 0, 3, 0, 0, 1 }, 7, &m), CS_R_GTPV2C_BAD_LENGTH);
	expect_ok(decode_exact((const uint8_t[]){ 0x40, 1, 0, 4, 0, 0, 1, 0 }, 8, &m));
	expect_ok(decode_exact((const uint8_t[]){ 0x48, 32, 0, 8, 0, 0, 0, 1, 0, 0, 1, 0 }, 12, &m));
	cr_expect_eq(m.present, 0, "a Create Session Request without IEs is well-formed");

	/* the header length disagrees with the UDP payload: longer, then shorter */
	msg[3]++;
	expect_reason(decode_exact(msg, n, &m), CS_R_GTPV2C_TRUNCATED);
	msg[3]--;
	memcpy(longer, msg, n);
	longer[n] = 0;
	expect_reason(decode_exact(longer, n + 1, &m), CS_R_GTPV2C_BAD_LENGTH);
	cr_expect_eq(m.msg_len, n);

	/* P set and nothing after the message */
	msg[0] |= 0x10;
	expect_reason(decode_exact(msg, n, &m), CS_R_GTPV2C_TRUNCATED);
	cr_expect(m.piggybacked);
}

/* ---- IE faults ---- */

static enum cs_reason one_ie(uint8_t type, uint8_t instance, const void *v, size_t n, struct cs_gtpv2c_msg *m)
{
	struct builder b;

	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	ie(&b, type, instance, v, n);
	return decode_built(&b, m);
}

Test(gtpv2c, zero_length_ies)
{
	static const uint8_t with_fixed_part[] = { T_IMSI, T_CAUSE, T_RECOVERY, T_APN, T_EBI, T_MEI, T_MSISDN,
						   T_PAA, T_RAT, T_SN, T_ULI, T_FTEID, T_BEARER, T_PDN_TYPE };
	struct cs_gtpv2c_msg m;

	for (size_t i = 0; i < sizeof(with_fixed_part); i++)
		cr_expect_eq(one_ie(with_fixed_part[i], 0, "", 0, &m), CS_R_GTPV2C_IE_TOO_SHORT, "IE type %u: %s",
			     with_fixed_part[i], cs_reason_name(one_ie(with_fixed_part[i], 0, "", 0, &m)));
	expect_ok(one_ie(200, 0, "", 0, &m)); /* an unknown IE has no fixed part */
	expect_ok(one_ie(255, 0, "", 0, &m)); /* nor has a private extension */

	/* inside a Bearer Context */
	static const uint8_t in_bearer[] = { T_EBI, T_CAUSE, T_FTEID };
	for (size_t i = 0; i < sizeof(in_bearer); i++) {
		struct builder b;
		begin(&b, CS_GTPV2C_CREATE_SESSION_RESPONSE);
		group_begin(&b, T_BEARER, 0);
		EMPTY_IE(&b, in_bearer[i], 0);
		group_end(&b);
		expect_reason(decode_built(&b, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	}
}

Test(gtpv2c, ies_shorter_than_their_fixed_part)
{
	struct cs_gtpv2c_msg m;

	/* F-TEID: V4 needs 4 more octets, V6 16 */
	expect_reason(one_ie(T_FTEID, 0, (const uint8_t[]){ 0x8a, 0, 0, 0, 1 }, 5, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_FTEID, 0, (const uint8_t[]){ 0x4a, 0, 0, 0, 1, 1, 2, 3, 4 }, 9, &m),
		      CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_FTEID, 0, (const uint8_t[]){ 0x8a, 0, 0, 1 }, 4, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_ok(one_ie(T_FTEID, 0, (const uint8_t[]){ 0x0a, 0, 0, 0, 1 }, 5, &m)); /* no address: TEID only */
	cr_expect_eq(m.fteid[0].teid, 1);

	/* PAA shorter than its PDN type needs; Non-IP carries no address */
	expect_reason(one_ie(T_PAA, 0, (const uint8_t[]){ 1, 10, 0, 0 }, 4, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_PAA, 0, (const uint8_t[]){ 2, 64, 0x20, 1, 0xd, 0xb8 }, 6, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_PAA, 0, (const uint8_t[18]){ 3, 64 }, 18, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_ok(one_ie(T_PAA, 0, (const uint8_t[]){ 4 }, 1, &m));
	cr_expect_eq(m.paa.pdn_type, CS_GTPV2C_PDN_NON_IP);

	/* Cause: 2 octets, or 6 with the offending IE */
	expect_reason(one_ie(T_CAUSE, 0, (const uint8_t[]){ 16 }, 1, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_CAUSE, 0, (const uint8_t[]){ 64, 0, 1, 0 }, 4, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_ok(one_ie(T_CAUSE, 0, (const uint8_t[]){ 16, 0 }, 2, &m));
	cr_expect_not(m.cause.has_offending_ie);

	/* ULI flags promising more parts than follow */
	expect_reason(one_ie(T_ULI, 0, (const uint8_t[]){ 0x18, PLMN_310_410, 0, 1 }, 6, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_reason(one_ie(T_ULI, 0, (const uint8_t[]){ 0x08, PLMN_310_410, 0 }, 5, &m), CS_R_GTPV2C_IE_TOO_SHORT);
	expect_ok(one_ie(T_ULI, 0, (const uint8_t[]){ 0x00 }, 1, &m));

	/* Serving network: 3 octets */
	expect_reason(one_ie(T_SN, 0, (const uint8_t[]){ 0x13, 0x00 }, 2, &m), CS_R_GTPV2C_IE_TOO_SHORT);
}

Test(gtpv2c, octets_beyond_the_fixed_part_are_ignored)
{
	struct cs_gtpv2c_msg m;

	expect_ok(one_ie(T_RAT, 0, (const uint8_t[]){ 6, 0xee }, 2, &m));
	cr_expect_eq(m.rat_type, 6);
	expect_ok(one_ie(T_CAUSE, 0, (const uint8_t[]){ 16, 0, 1, 0, 0, 0, 0xee }, 7, &m));
	cr_expect(m.cause.has_offending_ie);
	expect_ok(one_ie(T_FTEID, 0, (const uint8_t[]){ 0x8a, 0, 0, 0, 1, 10, 0, 0, 1, 0xee }, 10, &m));
	cr_expect_eq(m.fteid[0].ipv4, 0x0a000001);
}

Test(gtpv2c, ie_overrun)
{
	struct builder b;
	struct cs_gtpv2c_msg m;
	uint32_t n;

	/* an IE whose length runs past the message */
	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	IE(&b, T_RAT, 0, 6);
	n = end(&b);
	b.mem[n - 5 + 2] = 2; /* the RAT type claims 2 octets; 1 is left */
	expect_reason(decode_exact(b.mem, n, &m), CS_R_GTPV2C_IE_OVERRUN);
	b.mem[n - 5 + 1] = 0xff;
	expect_reason(decode_exact(b.mem, n, &m), CS_R_GTPV2C_IE_OVERRUN);

	/* 1 to 3 octets after the last IE: no room for an IE header */
	for (int extra = 1; extra <= 3; extra++) {
		begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
		IE(&b, T_RAT, 0, 6);
		for (int i = 0; i < extra; i++)
			cs_buf_u8(&b.b, T_RAT);
		expect_reason(decode_built(&b, &m), CS_R_GTPV2C_IE_OVERRUN);
		cr_expect_eq(m.rat_type, 6, "what came before the fault is kept");
	}

	/* an IE running past its Bearer Context but not past the message */
	begin(&b, CS_GTPV2C_CREATE_SESSION_RESPONSE);
	group_begin(&b, T_BEARER, 0);
	IE(&b, T_EBI, 0, 5);
	group_end(&b);
	IE(&b, T_RAT, 0, 6);
	n = end(&b);
	b.mem[12 + 4 + 2] = 3; /* the EBI claims 3 octets; the bearer holds 1 */
	expect_reason(decode_exact(b.mem, n, &m), CS_R_GTPV2C_IE_OVERRUN);
}

Test(gtpv2c, nesting_and_bounds)
{
	struct builder b;
	struct cs_gtpv2c_msg m;

	/* a Bearer Context inside a Bearer Context */
	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	group_begin(&b, T_BEARER, 0);
	IE(&b, T_EBI, 0, 5);
	group_begin(&b, T_BEARER, 0);
	IE(&b, T_EBI, 0, 6);
	group_end(&b);
	group_end(&b);
	expect_reason(decode_built(&b, &m), CS_R_GTPV2C_NESTING_TOO_DEEP);

	/* 11 bearers fit, a 12th does not */
	for (int bearers = 11; bearers <= 12; bearers++) {
		begin(&b, CS_GTPV2C_DELETE_BEARER_RESPONSE);
		for (int i = 0; i < bearers; i++) {
			group_begin(&b, T_BEARER, 0);
			IE(&b, T_EBI, 0, (uint8_t)(5 + i));
			group_end(&b);
		}
		enum cs_reason r = decode_built(&b, &m);
		if (bearers == 11) {
			expect_ok(r);
			cr_expect_eq(m.bearer_count, 11);
			cr_expect_eq(m.bearer[10].ebi, 15);
		} else {
			expect_reason(r, CS_R_GTPV2C_TOO_MANY_BEARERS);
		}
	}

	/* 11 EPS Bearer IDs in a Delete Bearer Request, then 12 */
	begin(&b, CS_GTPV2C_DELETE_BEARER_REQUEST);
	for (int i = 0; i < 11; i++)
		IE(&b, T_EBI, 1, (uint8_t)(5 + i));
	assert_ok(decode_built(&b, &m));
	cr_expect_eq(m.ebi_count, 11);
	IE(&b, T_EBI, 1, 5);
	expect_reason(decode_built(&b, &m), CS_R_GTPV2C_TOO_MANY_BEARERS);

	/* F-TEIDs: 4 at message level, 8 in a bearer */
	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	for (int i = 0; i < CS_GTPV2C_MAX_FTEIDS + 1; i++)
		IE(&b, T_FTEID, (uint8_t)i, 0x0a, 0, 0, 0, (uint8_t)i);
	expect_reason(decode_built(&b, &m), CS_R_GTPV2C_TOO_MANY_FTEIDS);
	cr_expect_eq(m.fteid_count, CS_GTPV2C_MAX_FTEIDS);
	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	group_begin(&b, T_BEARER, 0);
	for (int i = 0; i < CS_GTPV2C_BEARER_FTEIDS; i++)
		IE(&b, T_FTEID, (uint8_t)i, 0x00, 0, 0, 0, (uint8_t)i);
	group_end(&b);
	assert_ok(decode_built(&b, &m));
	cr_expect_eq(m.bearer[0].fteid_count, CS_GTPV2C_BEARER_FTEIDS);
	cr_expect_eq(cs_gtpv2c_fteid_by_instance(m.bearer[0].fteid, m.bearer[0].fteid_count, 7)->teid, 7);
	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	group_begin(&b, T_BEARER, 0);
	for (int i = 0; i < CS_GTPV2C_BEARER_FTEIDS + 1; i++)
		IE(&b, T_FTEID, 0, 0x00, 0, 0, 0, (uint8_t)i);
	group_end(&b);
	expect_reason(decode_built(&b, &m), CS_R_GTPV2C_TOO_MANY_FTEIDS);
}

Test(gtpv2c, bad_identities)
{
	struct cs_gtpv2c_msg m;

	expect_reason(one_ie(T_IMSI, 0, (const uint8_t[]){ 0x00, 0xa1 }, 2, &m), CS_R_GTPV2C_BAD_IMSI);
	expect_reason(one_ie(T_IMSI, 0, (const uint8_t[]){ 0xf0, 0x21 }, 2, &m), CS_R_GTPV2C_BAD_IMSI);
	/* 16 digits: an IMSI has at most 15, an IMEISV has 16 */
	const uint8_t sixteen[8] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11 };
	expect_reason(one_ie(T_IMSI, 0, sixteen, 8, &m), CS_R_GTPV2C_BAD_IMSI);
	expect_ok(one_ie(T_MEI, 0, sixteen, 8, &m));
	cr_expect_str_eq(digits(m.mei), "1111111111111111");
	expect_reason(one_ie(T_MEI, 0, (const uint8_t[]){ 0x3c }, 1, &m), CS_R_GTPV2C_BAD_MEI);
	expect_reason(one_ie(T_MSISDN, 0, (const uint8_t[]){ 0x51, 0xb5 }, 2, &m), CS_R_GTPV2C_BAD_MSISDN);
	expect_reason(one_ie(T_MSISDN, 0, sixteen, 8, &m), CS_R_GTPV2C_BAD_MSISDN);

	expect_reason(one_ie(T_SN, 0, (const uint8_t[]){ 0x1a, 0xf0, 0x10 }, 3, &m), CS_R_GTPV2C_BAD_PLMN);
	expect_reason(one_ie(T_SN, 0, (const uint8_t[]){ 0x10, 0xe0, 0x10 }, 3, &m), CS_R_GTPV2C_BAD_PLMN);
	expect_reason(one_ie(T_ULI, 0, (const uint8_t[]){ 0x08, 0x00, 0xf1, 0xf0, 0, 1 }, 6, &m), CS_R_GTPV2C_BAD_PLMN);
}

Test(gtpv2c, apn_labels)
{
	struct cs_gtpv2c_msg m;
	uint8_t apn[128];

	expect_ok(one_ie(T_APN, 0, "\x03ims\x07""example", 12, &m));
	cr_expect_str_eq(m.apn, "ims.example");
	expect_reason(one_ie(T_APN, 0, "\x09int", 4, &m), CS_R_GTPV2C_BAD_APN);
	expect_reason(one_ie(T_APN, 0, "\x03ims\x00", 5, &m), CS_R_GTPV2C_BAD_APN);
	expect_reason(one_ie(T_APN, 0, "internet", 8, &m), CS_R_GTPV2C_BAD_APN); /* plain text, not labels */

	/* 50 + "." + 49 = 100 characters fit; one more does not */
	for (int last = 49; last <= 50; last++) {
		apn[0] = 50;
		memset(apn + 1, 'a', 50);
		apn[51] = (uint8_t)last;
		memset(apn + 52, 'b', (size_t)last);
		enum cs_reason r = one_ie(T_APN, 0, apn, 52 + (size_t)last, &m);
		if (last == 49) {
			expect_ok(r);
			cr_expect_eq(m.apn_len, 100);
			cr_expect_eq(strlen(m.apn), 100);
			cr_expect_eq(m.apn[50], '.');
		} else {
			expect_reason(r, CS_R_GTPV2C_BAD_APN);
		}
	}
}

Test(gtpv2c, instances_repeats_and_unexpected_places)
{
	struct builder b;
	struct cs_gtpv2c_msg m;

	begin(&b, CS_GTPV2C_CREATE_SESSION_REQUEST);
	IE(&b, T_IMSI, 1, 0x21, 0xf3);              /* instance 1: no such IMSI role, skipped */
	IE(&b, T_IMSI, 0, 0x00, 0xf1);              /* the IMSI */
	IE(&b, T_IMSI, 0, 0xaa, 0xaa);              /* a repeat: only the first counts, unread */
	IE(&b, T_CAUSE, 0, 16, 0);
	IE(&b, T_CAUSE, 0, 64, 0);
	IE(&b, T_EBI, 0, 5);
	IE(&b, T_EBI, 0, 9);
	IE(&b, T_EBI, 2, 7);                        /* no role at message level */
	group_begin(&b, T_BEARER, 3);
	IE(&b, T_EBI, 0, 0xf6);                     /* spare nibble masked */
	IE(&b, T_IMSI, 0, 0x99, 0xf9);              /* message-level IE in a bearer: skipped */
	IE(&b, T_EBI, 1, 7);                        /* no role in a bearer */
	group_end(&b);
	assert_ok(decode_built(&b, &m));
	cr_expect_str_eq(digits(m.imsi), "001");
	cr_expect_eq(m.cause.value, 16);
	cr_expect_eq(m.lbi, 5);
	cr_expect_eq(m.ebi_count, 0);
	cr_assert_eq(m.bearer_count, 1);
	cr_expect_eq(m.bearer[0].instance, 3);
	cr_expect_eq(m.bearer[0].ebi, 6);
	cr_expect_eq(m.bearer[0].present, CS_GTPV2C_HAS_EBI);
}

Test(gtpv2c, reason_names)
{
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_TRUNCATED), "gtpv2c.truncated");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_VERSION), "gtpv2c.bad_version");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_LENGTH), "gtpv2c.bad_length");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_IE_OVERRUN), "gtpv2c.ie_overrun");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_IE_TOO_SHORT), "gtpv2c.ie_too_short");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_IMSI), "gtpv2c.bad_imsi");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_MSISDN), "gtpv2c.bad_msisdn");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_MEI), "gtpv2c.bad_mei");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_APN), "gtpv2c.bad_apn");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_BAD_PLMN), "gtpv2c.bad_plmn");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_NESTING_TOO_DEEP), "gtpv2c.nesting_too_deep");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_TOO_MANY_BEARERS), "gtpv2c.too_many_bearers");
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV2C_TOO_MANY_FTEIDS), "gtpv2c.too_many_fteids");
}
