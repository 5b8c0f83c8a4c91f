/* SPDX-License-Identifier: Apache-2.0 */
#include "mix.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "encode.h"
#include "encode_sip.h"
#include "gen_random.h"

/* Session i's tunnel endpoint identifiers: a base per role, plus i */
enum {
	MME_TEID_BASE = 0x10000000u, SGW_TEID_BASE = 0x20000000u, ENB_TEID_BASE = 0x30000000u,
	SGWU_TEID_BASE = 0x40000000u,
};

static uint32_t ipv4(unsigned int a, unsigned int b, unsigned int c, unsigned int d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

/* A number below below, from the top bits of a draw (no division). */
static uint32_t draw(uint64_t *rng, uint32_t below)
{
	return (uint32_t)((cs_gen_random(rng) >> 32) * below >> 32);
}

static uint32_t enb_ip_of(uint32_t i)
{
	return ipv4(10, 1, 0, 1) + i % CS_MIX_ENODEBS;
}

static const uint32_t SGW_IP = 0x0a020001u;  /* 10.2.0.1 */
static const uint32_t PCSCF_IP = 0x0a040001u; /* 10.4.0.1 */
static const uint32_t SCSCF_IP = 0x0a040002u; /* 10.4.0.2 */
static const uint32_t UE_BASE = 0x64400000u;  /* 100.64.0.0: session i's UE address is UE_BASE + i */

/* The IPv6 transport (mix.h): documentation addresses, RFC 3849 */
static const uint8_t MME_IP6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 3, [15] = 1 };
static const uint8_t SGW_IP6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1 };
static const uint8_t PCSCF_IP6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 4, [15] = 1 };

static bool on_ipv6(uint32_t i)
{
	return i % 8 == 7;
}

/* Session i's IPv6 PDN: the /64 2001:db8:1xx:xxxx:: (i in its 24 low bits), and S11's ends. */
static void ipv6_of(uint32_t i, struct cs_gen_ipv6 *v6)
{
	memset(v6, 0, sizeof(*v6));
	const uint8_t prefix[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
	memcpy(v6->ue_prefix, prefix, 16);
	v6->prefix_len = 64;
	memcpy(v6->mme_ip, MME_IP6, 16);
	memcpy(v6->sgw_ip, SGW_IP6, 16);
}

/* The UE's address in its prefix: ::1 */
static void ue_ip6_of(uint32_t i, uint8_t out[16])
{
	struct cs_gen_ipv6 v6;

	ipv6_of(i, &v6);
	memcpy(out, v6.ue_prefix, 16);
	out[15] = 1;
}

/* A UDP datagram between two IPv4 addresses, both ends on port, to the sink. */
static int udp4(struct cs_mix_sink *k, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		const uint8_t *payload, size_t len, enum cs_mix_gpdu mark)
{
	uint8_t packet[2048];
	size_t n = cs_encode_ipv4_udp(packet, sizeof(packet), src, dst, sport, dport, k->ip_id++, len);

	if (n == 0)
		return -1;
	memcpy(packet + n - len, payload, len);
	return k->add(k->ctx, packet, n, mark);
}

/* The same between two IPv6 addresses. */
static int udp6(struct cs_mix_sink *k, const uint8_t src[16], const uint8_t dst[16], uint16_t port,
		const uint8_t *payload, size_t len)
{
	uint8_t packet[2048];
	size_t n = cs_encode_ipv6_udp_payload(packet, sizeof(packet), src, dst, port, port, payload, len);

	return n == 0 ? -1 : k->add(k->ctx, packet, n, CS_MIX_NOT_GPDU);
}

void cs_mix_bearer_of(uint32_t i, struct cs_gen_bearer *g)
{
	char imei14[15];

	memset(g, 0, sizeof(*g));
	snprintf(g->imsi, sizeof(g->imsi), "00101%010u", i);
	snprintf(g->msisdn, sizeof(g->msisdn), "86139%08u", i);
	/* a handset of its own, so that no device aggregate gathers them all */
	snprintf(imei14, sizeof(imei14), "%08u%06u", 35332500u + i / 1000000u, i % 1000000u);
	snprintf(g->imei, sizeof(g->imei), "%s%c", imei14, cs_luhn_digit(imei14));
	memcpy(g->apn, "internet", 9);
	memcpy(g->mcc, "001", 4);
	memcpy(g->mnc, "01", 3);
	g->tac = (uint16_t)(0x100 + i % 64);
	g->eci = 0x0012300u + i % CS_MIX_CELLS;
	g->ue_ip = UE_BASE + i;
	g->mme_teid = MME_TEID_BASE + i;
	g->sgw_teid = SGW_TEID_BASE + i;
	g->enb_teid = ENB_TEID_BASE + i;
	g->sgwu_teid = SGWU_TEID_BASE + i;
	g->mme_ip = ipv4(10, 3, 0, 1);
	g->sgw_ip = SGW_IP;
	g->enb_ip = enb_ip_of(i);
}

uint32_t cs_mix_gpdu_teid(uint32_t i, enum cs_mix_gpdu way)
{
	return way == CS_MIX_UPLINK ? SGWU_TEID_BASE + i : ENB_TEID_BASE + i;
}

uint32_t cs_mix_gpdu_dst(uint32_t i, enum cs_mix_gpdu way)
{
	return way == CS_MIX_UPLINK ? SGW_IP : enb_ip_of(i);
}

typedef size_t (*gtpc_encoder)(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* A GTP-C message of session i on S11, over IPv4 or IPv6 as its transport is: requests MME -> SGW, responses back. */
static int s11(struct cs_mix_sink *k, uint32_t i, const struct cs_gen_bearer *g, int request, const uint8_t *msg,
	       size_t n)
{
	if (n == 0)
		return -1;
	if (on_ipv6(i))
		return request ? udp6(k, MME_IP6, SGW_IP6, CS_MIX_GTPC_PORT, msg, n)
			       : udp6(k, SGW_IP6, MME_IP6, CS_MIX_GTPC_PORT, msg, n);
	return request ? udp4(k, g->mme_ip, g->sgw_ip, CS_MIX_GTPC_PORT, CS_MIX_GTPC_PORT, msg, n, CS_MIX_NOT_GPDU)
		       : udp4(k, g->sgw_ip, g->mme_ip, CS_MIX_GTPC_PORT, CS_MIX_GTPC_PORT, msg, n, CS_MIX_NOT_GPDU);
}

/* A message encode writes, sequence number seq (24 bits), on S11. */
static int s11_encoded(struct cs_mix_sink *k, uint32_t i, const struct cs_gen_bearer *g, gtpc_encoder encode,
		       int request, uint32_t seq)
{
	uint8_t msg[1024];

	return s11(k, i, g, request, msg, encode(msg, sizeof(msg), g, seq & 0xffffff));
}

int cs_mix_attach(struct cs_mix_sink *k, uint32_t i)
{
	struct cs_gen_bearer g;
	uint8_t msg[1024];
	int bad;

	cs_mix_bearer_of(i, &g);
	if (on_ipv6(i)) {
		struct cs_gen_ipv6 v6;
		ipv6_of(i, &v6);
		bad = s11(k, i, &g, 1, msg, cs_encode_gtpv2c_create_session_req_v6(msg, sizeof(msg), &g, &v6, 2 * i));
		bad |= s11(k, i, &g, 0, msg, cs_encode_gtpv2c_create_session_rsp_v6(msg, sizeof(msg), &g, &v6, 2 * i));
	} else {
		bad = s11_encoded(k, i, &g, cs_encode_gtpv2c_create_session_req, 1, 2 * i);
		bad |= s11_encoded(k, i, &g, cs_encode_gtpv2c_create_session_rsp, 0, 2 * i);
	}
	return bad | s11_encoded(k, i, &g, cs_encode_gtpv2c_modify_bearer_req, 1, 2 * i + 1) |
	       s11_encoded(k, i, &g, cs_encode_gtpv2c_modify_bearer_rsp, 0, 2 * i + 1);
}

int cs_mix_handover(struct cs_mix_sink *k, uint32_t i, uint32_t eci, uint32_t seq)
{
	struct cs_gen_bearer g;

	cs_mix_bearer_of(i, &g);
	g.eci = eci;
	return s11_encoded(k, i, &g, cs_encode_gtpv2c_modify_bearer_req_uli, 1, seq) |
	       s11_encoded(k, i, &g, cs_encode_gtpv2c_modify_bearer_rsp, 0, seq);
}

/*
 * A G-PDU of session i carrying inner, an IPv4 packet: uplink eNodeB ->
 * SGW to the SGW's S1-U TEID, downlink back to the eNodeB's. mark is what
 * the sink is told (a data G-PDU's way, or CS_MIX_NOT_GPDU).
 */
static int tunnel(struct cs_mix_sink *k, uint32_t i, enum cs_mix_gpdu way, const uint8_t *inner, size_t len,
		  enum cs_mix_gpdu mark)
{
	uint8_t msg[2048];
	size_t n = cs_encode_gtpu_gpdu(msg, sizeof(msg), cs_mix_gpdu_teid(i, way), inner, len);

	if (n == 0)
		return -1;
	uint32_t to = cs_mix_gpdu_dst(i, way), from = way == CS_MIX_UPLINK ? enb_ip_of(i) : SGW_IP;
	return udp4(k, from, to, CS_MIX_GTPU_PORT, CS_MIX_GTPU_PORT, msg, n, mark);
}

int cs_mix_gpdu(struct cs_mix_sink *k, uint32_t i, enum cs_mix_gpdu way, size_t payload)
{
	uint8_t inner[1400];
	int uplink = way == CS_MIX_UPLINK;
	uint16_t sport = uplink ? 40000 : 443, dport = uplink ? 443 : 40000;
	size_t ip;

	if (on_ipv6(i)) {
		uint8_t ue[16], server[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 5, [15] = (uint8_t)(1 + i % 250) };
		ue_ip6_of(i, ue);
		ip = cs_encode_ipv6_udp(inner, sizeof(inner), uplink ? ue : server, uplink ? server : ue, sport, dport,
					payload, 0xa5);
	} else {
		uint32_t ue = UE_BASE + i, server = ipv4(198, 51, 100, 1) + i % 250;
		ip = cs_encode_ipv4_udp(inner, sizeof(inner), uplink ? ue : server, uplink ? server : ue, sport, dport,
					k->ip_id++, payload);
		if (ip != 0)
			memset(inner + ip - payload, 0xa5, payload);
	}
	return ip == 0 ? -1 : tunnel(k, i, way, inner, ip, way);
}

/*
 * encode_sip.c writes no provisional response: a 180 Ringing is its 200
 * to the INVITE with the status line changed, every header kept.
 */
static size_t encode_ringing(char *out, size_t cap, const struct cs_gen_sip_dialog *d)
{
	static const char ok[] = "SIP/2.0 200 OK", ringing[] = "SIP/2.0 180 Ringing";
	char text[2048];
	size_t n = cs_encode_sip(text, sizeof(text), d, CS_SIP_INVITE_200);

	if (n < sizeof(ok) - 1 || memcmp(text, ok, sizeof(ok) - 1) != 0)
		return 0;
	size_t rest = n - (sizeof(ok) - 1);
	if (sizeof(ringing) - 1 + rest > cap)
		return 0;
	memcpy(out, ringing, sizeof(ringing) - 1);
	memcpy(out + sizeof(ringing) - 1, text + sizeof(ok) - 1, rest);
	return sizeof(ringing) - 1 + rest;
}

int cs_mix_sip(struct cs_mix_sink *k, uint64_t seed, uint32_t d, unsigned int step, uint32_t sessions,
	       enum cs_mix_sip_path path)
{
	static const char domain[] = "ims.mnc001.mcc001.3gppnetwork.org";
	char text[2048];

	/* the dialog's parties and Call-ID, the same at every step */
	uint64_t st = seed * 0x9e3779b97f4a7c15ull + d;
	unsigned int from = (unsigned int)(cs_gen_random(&st) % sessions);
	unsigned int to = (unsigned int)(cs_gen_random(&st) % sessions);
	unsigned long long tag = cs_gen_random(&st);
	char caller[16], callee[16], call_id[48], from_tag[16], to_tag[16];
	snprintf(caller, sizeof(caller), "86139%08u", from);
	snprintf(callee, sizeof(callee), "86139%08u", to);
	snprintf(call_id, sizeof(call_id), "%08x%016llx@pcscf", d, tag);
	snprintf(from_tag, sizeof(from_tag), "f%x", d);
	snprintf(to_tag, sizeof(to_tag), "t%x", d);
	const struct cs_gen_sip_dialog dlg = {
		.caller = caller, .callee = callee, .call_id = call_id, .domain = domain,
		.from_tag = from_tag, .to_tag = to_tag,
	};
	size_t n;
	int request = step == 0 || step == 3;
	switch (step) {
	case 0: n = cs_encode_sip(text, sizeof(text), &dlg, CS_SIP_INVITE); break;
	case 1: n = encode_ringing(text, sizeof(text), &dlg); break;
	case 2: n = cs_encode_sip(text, sizeof(text), &dlg, CS_SIP_INVITE_200); break;
	case 3: n = cs_encode_sip(text, sizeof(text), &dlg, CS_SIP_BYE); break;
	default: n = cs_encode_sip(text, sizeof(text), &dlg, CS_SIP_BYE_200); break;
	}
	if (n == 0)
		return -1;
	if (path == CS_MIX_SIP_MW)
		return udp4(k, request ? PCSCF_IP : SCSCF_IP, request ? SCSCF_IP : PCSCF_IP, CS_MIX_SIP_PORT,
			    CS_MIX_SIP_PORT, (const uint8_t *)text, n, CS_MIX_NOT_GPDU);
	/* Gm: the caller's requests up its IMS bearer to the P-CSCF, the responses down to it */
	uint8_t inner[2048];
	size_t ip;
	if (on_ipv6(from)) {
		uint8_t ue[16];
		ue_ip6_of(from, ue);
		ip = cs_encode_ipv6_udp_payload(inner, sizeof(inner), request ? ue : PCSCF_IP6, request ? PCSCF_IP6 : ue,
						CS_MIX_SIP_PORT, CS_MIX_SIP_PORT, (const uint8_t *)text, n);
	} else {
		uint32_t ue = UE_BASE + from;
		ip = cs_encode_ipv4_udp(inner, sizeof(inner), request ? ue : PCSCF_IP, request ? PCSCF_IP : ue,
					CS_MIX_SIP_PORT, CS_MIX_SIP_PORT, k->ip_id++, n);
		if (ip != 0)
			memcpy(inner + ip - n, text, n);
	}
	return ip == 0 ? -1 : tunnel(k, from, request ? CS_MIX_UPLINK : CS_MIX_DOWNLINK, inner, ip, CS_MIX_NOT_GPDU);
}

int cs_mix_unit(struct cs_mix_sink *k, struct cs_mix *m, uint32_t u)
{
	for (unsigned int n = 0; n < CS_MIX_UNIT_GPDUS; n++) {
		uint32_t i = draw(&m->rng, m->sessions);
		enum cs_mix_gpdu way = cs_gen_random(&m->rng) & 1 ? CS_MIX_UPLINK : CS_MIX_DOWNLINK;
		if (cs_mix_gpdu(k, i, way, 40 + draw(&m->rng, 1200)) != 0)
			return -1;
	}
	for (unsigned int n = 0; n < CS_MIX_UNIT_HANDOVERS; n++) {
		/* sequence numbers above the attaches' 2i, 2i + 1 for the first 4 Mi sessions */
		uint32_t seq = 0x800000u + (u * CS_MIX_UNIT_HANDOVERS + n) % 0x800000u;
		if (cs_mix_handover(k, draw(&m->rng, m->sessions), 0x0012300u + draw(&m->rng, CS_MIX_CELLS), seq) != 0)
			return -1;
	}
	/* SIP message u: blocks of CS_MIX_CALLS dialogs, step by step across the block; odd dialogs on the bearer */
	uint32_t block = u / CS_MIX_SIP_BLOCK_UNITS, within = u % CS_MIX_SIP_BLOCK_UNITS;
	uint32_t d = block * CS_MIX_CALLS + within % CS_MIX_CALLS;
	return cs_mix_sip(k, m->seed, d, within / CS_MIX_CALLS, m->sessions, d % 2 ? CS_MIX_SIP_BEARER : CS_MIX_SIP_MW);
}
