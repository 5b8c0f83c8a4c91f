/* SPDX-License-Identifier: Apache-2.0 */
#include "bench_frames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "bench_machine.h"
#include "encode.h"
#include "encode_sip.h"

static uint32_t ipv4(unsigned int a, unsigned int b, unsigned int c, unsigned int d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

/* Session i's tunnel endpoint identifiers: a base per role, plus i */
enum {
	MME_TEID_BASE = 0x10000000u, SGW_TEID_BASE = 0x20000000u, ENB_TEID_BASE = 0x30000000u,
	SGWU_TEID_BASE = 0x40000000u,
};

static uint32_t enb_ip_of(uint32_t i)
{
	return ipv4(10, 1, 0, 1) + i % CS_BENCH_ENODEBS;
}

int cs_bench_frames_init(struct cs_bench_frames *s, uint32_t max_frames, size_t max_frame_len)
{
	memset(s, 0, sizeof(*s));
	s->cap = (size_t)max_frames * RTE_ALIGN_CEIL(max_frame_len, RTE_CACHE_LINE_SIZE);
	s->mem = aligned_alloc(RTE_CACHE_LINE_SIZE, s->cap);
	s->f = calloc(max_frames, sizeof(*s->f));
	s->max = max_frames;
	return s->mem != NULL && s->f != NULL ? 0 : -1;
}

void cs_bench_frames_free(struct cs_bench_frames *s)
{
	free(s->mem);
	free(s->f);
}

void cs_bench_frames_clear(struct cs_bench_frames *s)
{
	s->used = 0;
	s->n = 0;
}

/* Appends an Ethernet + IPv4 + UDP frame around payload. Returns 0, or -1 if it does not fit. */
static int add_udp(struct cs_bench_frames *s, uint32_t src, uint32_t dst, uint16_t port, const uint8_t *payload,
		   size_t len, enum cs_bench_gpdu gpdu)
{
	const struct cs_udp4_flow flow = {
		.src_mac = { 0x02, 0, 0, 0, 0, 0x01 }, .dst_mac = { 0x02, 0, 0, 0, 0, 0x02 },
		.src_ip = src, .dst_ip = dst, .src_port = port, .dst_port = port,
	};

	if (s->n == s->max || len == 0)
		return -1;
	size_t n = cs_encode_udp4_frame(s->mem + s->used, s->cap - s->used, &flow, s->ip_id++, payload, len);
	if (n == 0)
		return -1;
	s->f[s->n++] = (struct cs_bench_frame){ s->mem + s->used, (uint32_t)n, (uint8_t)gpdu };
	s->used += RTE_ALIGN_CEIL(n, RTE_CACHE_LINE_SIZE);
	return 0;
}

void cs_bench_bearer_of(uint32_t i, struct cs_gen_bearer *g)
{
	char imei14[15];

	memset(g, 0, sizeof(*g));
	snprintf(g->imsi, sizeof(g->imsi), "00101%010u", i);
	snprintf(g->msisdn, sizeof(g->msisdn), "86139%08u", i);
	/* a handset of its own (type allocation code 35332500 + i / 10^6), so no device aggregate gathers them all */
	snprintf(imei14, sizeof(imei14), "%08u%06u", 35332500u + i / 1000000u, i % 1000000u);
	snprintf(g->imei, sizeof(g->imei), "%s%c", imei14, cs_luhn_digit(imei14));
	memcpy(g->apn, "internet", 9);
	memcpy(g->mcc, "001", 4);
	memcpy(g->mnc, "01", 3);
	g->tac = (uint16_t)(0x100 + i % 64);
	g->eci = 0x0012300u + i % 4096;
	g->ue_ip = ipv4(100, 64, 0, 0) + i;
	g->mme_teid = MME_TEID_BASE + i;
	g->sgw_teid = SGW_TEID_BASE + i;
	g->enb_teid = ENB_TEID_BASE + i;
	g->sgwu_teid = SGWU_TEID_BASE + i;
	g->mme_ip = ipv4(10, 3, 0, 1);
	g->sgw_ip = ipv4(10, 2, 0, 1);
	g->enb_ip = enb_ip_of(i);
}

typedef size_t (*gtpc_encoder)(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* A GTP-C message on S11: requests MME -> SGW, responses back. */
static int add_s11(struct cs_bench_frames *s, const struct cs_gen_bearer *g, gtpc_encoder encode, int request,
		   uint32_t seq)
{
	uint8_t msg[CS_BENCH_FRAME_MAX];
	size_t n = encode(msg, sizeof(msg), g, seq & 0xffffff); /* 24-bit sequence numbers */

	return request ? add_udp(s, g->mme_ip, g->sgw_ip, CS_BENCH_GTPC_PORT, msg, n, CS_BENCH_NOT_GPDU)
		       : add_udp(s, g->sgw_ip, g->mme_ip, CS_BENCH_GTPC_PORT, msg, n, CS_BENCH_NOT_GPDU);
}

int cs_bench_add_attach(struct cs_bench_frames *s, uint32_t i)
{
	struct cs_gen_bearer g;

	cs_bench_bearer_of(i, &g);
	return add_s11(s, &g, cs_encode_gtpv2c_create_session_req, 1, 2 * i) |
	       add_s11(s, &g, cs_encode_gtpv2c_create_session_rsp, 0, 2 * i) |
	       add_s11(s, &g, cs_encode_gtpv2c_modify_bearer_req, 1, 2 * i + 1) |
	       add_s11(s, &g, cs_encode_gtpv2c_modify_bearer_rsp, 0, 2 * i + 1);
}

int cs_bench_add_handover(struct cs_bench_frames *s, uint32_t i, uint32_t eci, uint32_t seq)
{
	struct cs_gen_bearer g;

	cs_bench_bearer_of(i, &g);
	g.eci = eci;
	return add_s11(s, &g, cs_encode_gtpv2c_modify_bearer_req_uli, 1, seq) |
	       add_s11(s, &g, cs_encode_gtpv2c_modify_bearer_rsp, 0, seq);
}

int cs_bench_add_gpdu(struct cs_bench_frames *s, uint32_t i, int uplink, size_t payload)
{
	uint8_t inner[CS_BENCH_FRAME_MAX], msg[CS_BENCH_FRAME_MAX];
	struct cs_gen_bearer g;

	cs_bench_bearer_of(i, &g);
	uint32_t server = ipv4(198, 51, 100, 1) + i % 250;
	uint32_t src = uplink ? g.ue_ip : server, dst = uplink ? server : g.ue_ip;
	uint16_t sport = uplink ? 40000 : 443, dport = uplink ? 443 : 40000;
	size_t ip = cs_encode_ipv4_udp(inner, sizeof(inner), src, dst, sport, dport, s->ip_id, payload);
	if (ip == 0)
		return -1;
	memset(inner + ip - payload, 0xa5, payload);
	size_t n = cs_encode_gtpu_gpdu(msg, sizeof(msg), uplink ? g.sgwu_teid : g.enb_teid, inner, ip);
	return uplink ? add_udp(s, g.enb_ip, g.sgw_ip, CS_BENCH_GTPU_PORT, msg, n, CS_BENCH_UPLINK)
		      : add_udp(s, g.sgw_ip, g.enb_ip, CS_BENCH_GTPU_PORT, msg, n, CS_BENCH_DOWNLINK);
}

/* Where add_udp's frames (Ethernet, a 20-byte IPv4 header, UDP) keep the fields re-addressing rewrites. */
enum { OUTER_DST_OFFSET = 14 + 16, GTPU_TEID_OFFSET = 14 + 20 + 8 + 4 };

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void cs_bench_readdress_gpdu(const struct cs_bench_frame *f, uint32_t i)
{
	if (f->gpdu == CS_BENCH_UPLINK) {
		put_be32(f->p + GTPU_TEID_OFFSET, SGWU_TEID_BASE + i); /* the SGW's S1-U TEID; the SGW stays */
	} else {
		put_be32(f->p + GTPU_TEID_OFFSET, ENB_TEID_BASE + i); /* the eNodeB's, at that eNodeB */
		put_be32(f->p + OUTER_DST_OFFSET, enb_ip_of(i));
	}
}

/*
 * encode_sip.c writes no provisional response: a 180 Ringing is its 200
 * to the INVITE with the status line changed, every header kept.
 */
static size_t encode_ringing(char *out, size_t cap, const struct cs_gen_sip_dialog *d)
{
	static const char ok[] = "SIP/2.0 200 OK", ringing[] = "SIP/2.0 180 Ringing";
	char text[CS_BENCH_FRAME_MAX];
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

int cs_bench_add_sip(struct cs_bench_frames *s, uint64_t seed, uint32_t d, unsigned int step, uint32_t sessions)
{
	static const char domain[] = "ims.mnc001.mcc001.3gppnetwork.org";
	const uint32_t pcscf = ipv4(10, 4, 0, 1), scscf = ipv4(10, 4, 0, 2);
	char text[CS_BENCH_FRAME_MAX];

	/* the dialog's parties and Call-ID, the same at every step */
	uint64_t st = seed * 0x9e3779b97f4a7c15ull + d;
	unsigned int from = (unsigned int)(cs_bench_next_random(&st) % sessions);
	unsigned int to = (unsigned int)(cs_bench_next_random(&st) % sessions);
	unsigned long long tag = cs_bench_next_random(&st);
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
	return add_udp(s, request ? pcscf : scscf, request ? scscf : pcscf, CS_BENCH_SIP_PORT, (const uint8_t *)text,
		       n, CS_BENCH_NOT_GPDU);
}
