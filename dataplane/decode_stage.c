/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_stage.h"

#include <string.h>


/* Where a reassembled SIP message goes: the tracker, with what the segment's decode knew. */
struct tcp_delivery {
	struct cs_decode_ctx *c;
	const struct cs_l2l4 *l;
	cs_digits bearer_imsi;
	uint8_t transport;
	uint64_t ts;
};

static void on_tcp_message(void *arg, const uint8_t *msg, uint32_t len, const struct cs_sip_msg *m)
{
	const struct tcp_delivery *d = arg;

	(void)msg;
	(void)len;
	cs_sip_decoded(d->c->sip, d->l, m, d->bearer_imsi, d->transport, d->ts, d->c->dir, &d->c->emit, &d->c->st);
}

/* SIP on l's flow: UDP datagrams go straight to the tracker, TCP segments through reassembly. */
static void on_sip(struct cs_decode_ctx *c, const struct cs_l2l4 *l, const uint8_t *payload, cs_digits bearer_imsi,
		   uint8_t udp_transport, uint64_t ts)
{
	if (l->l4_proto == CS_IPPROTO_UDP) {
		cs_sip_datagram(c->sip, l, payload, l->payload_len, bearer_imsi, udp_transport, ts, c->dir, &c->emit,
				&c->st);
		return;
	}
	struct tcp_delivery d = {
		.c = c,
		.l = l,
		.bearer_imsi = bearer_imsi,
		.transport = bearer_imsi != CS_DIGITS_NONE ? CS_TRANSPORT_GTPU : CS_TRANSPORT_TCP,
		.ts = ts,
	};
	cs_tcp_reasm_segment(c->tcp, l, payload, ts, on_tcp_message, &d, &c->st);
}

static int is_sip(const struct cs_decode_ctx *c, const struct cs_l2l4 *l)
{
	return !l->is_fragment && (l->l4_proto == CS_IPPROTO_UDP || l->l4_proto == CS_IPPROTO_TCP) &&
	       (l->dport == c->ports.sip || l->sport == c->ports.sip);
}

static void count_gtpu_type(struct cs_decode_stats *st, uint8_t type)
{
	switch (type) {
	case CS_GTPU_ECHO_REQUEST:
	case CS_GTPU_ECHO_RESPONSE: st->gtpu_echo++; break;
	case CS_GTPU_ERROR_INDICATION: st->gtpu_error_indication++; break;
	case CS_GTPU_END_MARKER: st->gtpu_end_marker++; break;
	default: st->gtpu_other++; break;
	}
}

/*
 * A G-PDU belongs to the session whose F-TEID is (outer destination,
 * TEID): uplink packets go to the SGW's S1-U F-TEID, downlink ones to the
 * eNodeB's, and the directory knows which role each key has.
 */
static void on_gpdu(struct cs_decode_ctx *c, const struct cs_gtpu_pending *g, const struct cs_session_view *v)
{
	struct cs_l2l4 inner;

	c->st.gtpu_teid_hits++;
	struct cs_ev_data ev = {
		.h = { .kind = CS_EV_DATA, .slots = 1, .ts_ns = g->ts },
		.imsi = v->imsi,
		.session_ref = v->session_ref,
		.bytes = g->m.inner_len,
		.dir = v->role == CS_ROLE_UPLINK ? CS_DIR_UPLINK : CS_DIR_DOWNLINK,
	};
	const uint8_t *ip = g->gtp + g->m.inner_offset;
	int inner_ok = cs_decode_ip(ip, g->m.inner_len, &inner) == CS_R_OK;
	if (inner_ok) {
		ev.ip_version = inner.ip_version;
		ev.l4_proto = inner.l4_proto;
		ev.peer = ev.dir == CS_DIR_UPLINK ? inner.dst : inner.src;
	}
	cs_emit(&c->emit, ev.imsi, &ev, &c->st);
	/* VoLTE signalling rides the IMS bearer: the TEID already says whose it is */
	if (inner_ok && is_sip(c, &inner))
		on_sip(c, &inner, ip + inner.payload_offset, v->imsi, CS_TRANSPORT_GTPU, g->ts);
}

void cs_decode_flush(struct cs_decode_ctx *c)
{
	const struct cs_fteid *keys[CS_GTPU_BATCH];
	struct cs_session_view views[CS_GTPU_BATCH];
	unsigned int n = c->ngtpu;

	if (n == 0)
		return;
	for (unsigned int i = 0; i < n; i++)
		keys[i] = &c->gtpu[i].key;
	uint32_t found = cs_session_dir_find_fteid_bulk(c->dir, keys, n, views);
	for (unsigned int i = 0; i < n; i++) {
		if (!(found & (1u << i)) || views[i].role == CS_ROLE_CONTROL)
			c->st.gtpu_teid_misses++;
		else
			on_gpdu(c, &c->gtpu[i], &views[i]);
	}
	c->ngtpu = 0;
}

static void on_gtpu(struct cs_decode_ctx *c, const uint8_t *frame, const struct cs_l2l4 *l, uint64_t ts)
{
	struct cs_gtpu_pending *g = &c->gtpu[c->ngtpu];
	const uint8_t *gtp = frame + l->payload_offset;

	enum cs_reason r = cs_decode_gtpu(gtp, l->payload_len, &g->m);
	if (r != CS_R_OK) {
		c->st.rejected[r]++;
		return;
	}
	if (g->m.type != CS_GTPU_GPDU) {
		count_gtpu_type(&c->st, g->m.type);
		return;
	}
	c->st.gtpu_gpdu++;
	g->gtp = gtp;
	g->key = (struct cs_fteid){ .addr = l->dst, .teid = g->m.teid };
	g->ts = ts;
	if (++c->ngtpu == CS_GTPU_BATCH)
		cs_decode_flush(c);
}

void cs_decode_dispatch(struct cs_decode_ctx *c, const uint8_t *frame, const struct cs_l2l4 *l, uint64_t ts_ns)
{
	if (l->l4_proto == CS_IPPROTO_UDP && (l->dport == c->ports.gtpu || l->sport == c->ports.gtpu)) {
		on_gtpu(c, frame, l, ts_ns);
		return;
	}
	/* anything else may change what the batched G-PDUs resolve to, or is ordered after them */
	cs_decode_flush(c);
	if (l->l4_proto == CS_IPPROTO_UDP) {
		if (l->dport == c->ports.gtpc || l->sport == c->ports.gtpc) {
			/* GTP-C goes to the directory's writer; only that lcore is given a tracker */
			if (c->gtpc == NULL || l->payload_len == 0)
				return;
			const uint8_t *gtp = frame + l->payload_offset;
			if (gtp[0] >> 5 == 2)
				cs_gtpc_v2(c->gtpc, l, gtp, l->payload_len, ts_ns, &c->emit, &c->st);
			else
				cs_gtpc_v1(c->gtpc, l, gtp, l->payload_len, ts_ns, &c->emit, &c->st);
			return;
		}
	}
	if (is_sip(c, l)) {
		on_sip(c, l, frame + l->payload_offset, CS_DIGITS_NONE, CS_TRANSPORT_UDP, ts_ns);
		return;
	}
	c->st.rejected[CS_R_L4_NOT_MOBILE_CORE]++;
}

void cs_decode_end_of_burst(struct cs_decode_ctx *c, uint64_t now_ns)
{
	cs_decode_flush(c);
	cs_session_dir_quiescent(c->dir, c->dir_reader);
	if (c->gtpc != NULL)
		cs_gtpc_tick(c->gtpc, now_ns, &c->emit, &c->st);
	cs_sip_tick(c->sip, now_ns, &c->emit, &c->st);
	cs_tcp_reasm_tick(c->tcp, now_ns, &c->st);
	cs_emit_flush(&c->emit, &c->st);
}

void cs_decode_end_of_input(struct cs_decode_ctx *c, uint64_t now_ns)
{
	cs_decode_flush(c);
	cs_sip_flush(c->sip, now_ns, &c->emit, &c->st);
	cs_emit_flush(&c->emit, &c->st);
}
