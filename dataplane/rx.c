/* SPDX-License-Identifier: Apache-2.0 */
#include "rx.h"

#include <stdbool.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

enum { CS_RX_BURST = 32 };

/* Event time of m: the port's stamp in nanoseconds, or the last one seen when it has none. */
static inline uint64_t event_time_ns(const struct cs_rx_ctx *ctx, const struct cs_port_timestamp *ts,
				     struct rte_mbuf *m)
{
	if (ts->dynfield_offset < 0 || !(m->ol_flags & ts->flag))
		return ctx->last_ts_ns;
	return *RTE_MBUF_DYNFIELD(m, ts->dynfield_offset, rte_mbuf_timestamp_t *) * ts->ns_per_unit;
}

/* The frame's bytes in one piece: the mbuf's own data, or a copy when it spans segments. */
static inline const uint8_t *frame_bytes(struct cs_rx_ctx *ctx, struct rte_mbuf *m)
{
	if (likely(m->nb_segs == 1))
		return rte_pktmbuf_mtod(m, const uint8_t *);
	ctx->decode.st.linearized++;
	return rte_pktmbuf_read(m, 0, rte_pktmbuf_pkt_len(m), ctx->scratch);
}

/* Frees the decoded frames once the decode stage no longer points into them. */
static void release_done(struct cs_rx_ctx *ctx)
{
	cs_decode_flush(&ctx->decode);
	rte_pktmbuf_free_bulk(ctx->done, ctx->ndone);
	ctx->ndone = 0;
}

/* A dispatched frame: kept until its G-PDU batch is flushed (the scratch copy is reused at once). */
static void done_with(struct cs_rx_ctx *ctx, struct rte_mbuf *m, const uint8_t *frame)
{
	if (unlikely(frame == ctx->scratch))
		cs_decode_flush(&ctx->decode);
	ctx->done[ctx->ndone++] = m;
	if (ctx->ndone == CS_GTPU_BATCH)
		release_done(ctx);
}

/*
 * Hands a fragment to DPDK's reassembly table (bounded; incomplete
 * datagrams time out in event time). Returns the whole datagram's mbuf
 * once its last fragment arrived, NULL while it is incomplete; the table
 * owns the fragments it holds.
 */
static struct rte_mbuf *reassemble(struct cs_rx_ctx *ctx, struct rte_mbuf *m, const struct cs_l2l4 *l, uint64_t ts)
{
	uint64_t tms = ts / 1000;

	ctx->decode.st.fragments++;
	m->l2_len = l->l3_offset;
	m->l3_len = l->l4_offset - l->l3_offset;
	if (l->ip_version == 4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l->l3_offset);
		return rte_ipv4_frag_reassemble_packet(ctx->frags, &ctx->death_row, m, tms, ip);
	}
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, l->l3_offset);
	struct rte_ipv6_fragment_ext *fh = rte_ipv6_frag_get_ipv6_fragment_header(ip);
	if (fh == NULL) {
		/* DPDK reassembles only a fragment header right after the fixed header */
		ctx->decode.st.rejected[CS_R_IPV6_FRAGMENT_NOT_FIRST_HEADER]++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	return rte_ipv6_frag_reassemble_packet(ctx->frags, &ctx->death_row, m, tms, ip, fh);
}

static int is_gtpc(const struct cs_rx_ctx *ctx, const struct cs_l2l4 *l)
{
	return l->l4_proto == CS_IPPROTO_UDP &&
	       (l->dport == ctx->decode.ports.gtpc || l->sport == ctx->decode.ports.gtpc);
}

/* GTP-C seen on an RX lcore other than 0 goes to lcore 0, with its event time. */
static void hand_off(struct cs_rx_ctx *ctx, struct rte_mbuf *m, uint64_t ts)
{
	*RTE_MBUF_DYNFIELD(m, ctx->handoff_ts_offset, rte_mbuf_timestamp_t *) = ts;
	if (rte_ring_sp_enqueue(ctx->gtpc_out, m) != 0) {
		ctx->decode.st.gtpc_handoff_drops++;
		rte_pktmbuf_free(m);
		return;
	}
	ctx->decode.st.gtpc_handed_off++;
}

static void decode_one(struct cs_rx_ctx *ctx, struct rte_mbuf *m, uint64_t ts)
{
	struct cs_l2l4 l;
	const uint8_t *frame = frame_bytes(ctx, m);
	enum cs_reason r = cs_decode_l2l4(frame, rte_pktmbuf_pkt_len(m), &l);

	if (unlikely(r != CS_R_OK)) {
		ctx->decode.st.rejected[r]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (unlikely(l.is_fragment)) {
		m = reassemble(ctx, m, &l, ts);
		if (m == NULL)
			return;
		ctx->decode.st.reassembled++;
		frame = frame_bytes(ctx, m);
		r = cs_decode_l2l4(frame, rte_pktmbuf_pkt_len(m), &l);
		if (r != CS_R_OK) {
			ctx->decode.st.rejected[r]++;
			rte_pktmbuf_free(m);
			return;
		}
	}
	if (ctx->gtpc_out != NULL && is_gtpc(ctx, &l)) {
		hand_off(ctx, m, ts);
		return;
	}
	cs_decode_dispatch(&ctx->decode, frame, &l, ts);
	done_with(ctx, m, frame);
}

/* RX lcore 0: the GTP-C frames the other RX lcores handed over. Returns how many. */
static unsigned int take_handoffs(struct cs_rx_ctx *ctx)
{
	struct rte_mbuf *pkts[CS_RX_BURST];
	unsigned int total = 0;

	for (unsigned int r = 0; r < ctx->ngtpc_in; r++) {
		unsigned int n = rte_ring_sc_dequeue_burst(ctx->gtpc_in[r], (void **)pkts, CS_RX_BURST, NULL);
		for (unsigned int k = 0; k < n; k++)
			decode_one(ctx, pkts[k], *RTE_MBUF_DYNFIELD(pkts[k], ctx->handoff_ts_offset,
								    rte_mbuf_timestamp_t *));
		total += n;
	}
	release_done(ctx);
	return total;
}

/*
 * net_pcap never says "end of file": it returns empty bursts. A port is
 * drained when an empty poll comes after every record of its capture was
 * delivered or counted as a port error. The idle timeout only guards
 * against a capture that libpcap stops reading earlier than the pre-scan
 * expected (damage the scan could not see).
 */
static int port_drained(struct cs_rx_ctx *ctx, unsigned int i)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(ctx->port_id[i], &st) == 0)
		ctx->port_errors[i] = st.ierrors + st.rx_nombuf;
	return ctx->port_packets[i] + ctx->port_errors[i] >= ctx->expected_records[i];
}

/* One burst from (port i, queue q); returns how many frames it had. */
static uint16_t poll_queue(struct cs_rx_ctx *ctx, unsigned int i, uint16_t q)
{
	struct rte_mbuf *pkts[CS_RX_BURST];
	uint16_t n = rte_eth_rx_burst(ctx->port_id[i], q, pkts, CS_RX_BURST);
	uint64_t bytes = 0;

	if (n == 0)
		return 0;
	/* arrival time, once per burst: a NIC's own stamps need clock calibration first */
	uint64_t arrival = ctx->clock_ns0 + (uint64_t)((double)(rte_get_tsc_cycles() - ctx->clock_tsc0) * ctx->ns_per_tsc);
	if (ctx->ts[i].dynfield_offset < 0)
		ctx->last_ts_ns = arrival;
	for (uint16_t k = 0; k < n; k++) {
		uint64_t t = event_time_ns(ctx, &ctx->ts[i], pkts[k]);
		if (t > ctx->last_ts_ns)
			ctx->last_ts_ns = t;
		bytes += rte_pktmbuf_pkt_len(pkts[k]);
		decode_one(ctx, pkts[k], t);
	}
	release_done(ctx);
	rte_ip_frag_free_death_row(&ctx->death_row, 0);
	ctx->decode.st.frames += n;
	ctx->decode.st.wire_bytes += bytes;
	ctx->port_packets[i] += n;
	ctx->progress += n;
	return n;
}

static void drain_port(struct cs_rx_ctx *ctx, unsigned int i)
{
	uint64_t last_frame_tsc = rte_get_tsc_cycles();

	for (;;) {
		if (poll_queue(ctx, i, 0) == 0) {
			if (port_drained(ctx, i))
				return;
			if (rte_get_tsc_cycles() - last_frame_tsc > ctx->idle_timeout_tsc) {
				ctx->timed_out = 1;
				return;
			}
			continue;
		}
		last_frame_tsc = rte_get_tsc_cycles();
		cs_decode_end_of_burst(&ctx->decode, ctx->last_ts_ns);
	}
}

/*
 * Live: this lcore's queues in turn until stopped, then what they held
 * when the stop came: a mirror port's traffic never pauses, so waiting
 * for quiet queues could wait for ever. After the stop each queue is
 * polled until it comes back empty twice, or for STOP_DRAIN_ROUNDS rounds
 * at most: more bursts than its descriptor ring holds, so frames already
 * received are taken and the traffic still arriving is not. Lcore 0 also
 * takes the GTP-C the others hand over, and goes on until every other RX
 * lcore has finished, so no hand-off is left behind.
 */
enum { STOP_DRAIN_ROUNDS = 2 * CS_RX_DESCRIPTORS / CS_RX_BURST };

static void poll_live(struct cs_rx_ctx *ctx)
{
	unsigned int quiet_rounds = 0, rounds_after_stop = 0;
	const unsigned int others = ctx->ngtpc_in;

	for (;;) {
		unsigned int got = take_handoffs(ctx);
		for (unsigned int i = 0; i < ctx->nqueues; i++)
			got += poll_queue(ctx, ctx->queues[i].port, ctx->queues[i].queue);
		cs_decode_end_of_burst(&ctx->decode, ctx->last_ts_ns);
		if (!*ctx->stop)
			continue;
		quiet_rounds = got == 0 ? quiet_rounds + 1 : 0;
		bool drained = quiet_rounds >= 2 || ++rounds_after_stop >= STOP_DRAIN_ROUNDS;
		if (drained && (others == 0 || __atomic_load_n(ctx->others_done, __ATOMIC_ACQUIRE) == others))
			break;
	}
	while (take_handoffs(ctx) > 0)
		;
}

int cs_rx_lcore_main(void *arg)
{
	struct cs_rx_ctx *ctx = arg;

	cs_session_dir_reader_online(ctx->decode.dir, ctx->decode.dir_reader);
	if (ctx->stop != NULL)
		poll_live(ctx);
	else
		for (unsigned int i = 0; i < ctx->nports; i++)
			drain_port(ctx, i);
	rte_ip_frag_free_death_row(&ctx->death_row, 0);
	cs_decode_end_of_input(&ctx->decode, ctx->last_ts_ns);
	const struct cs_event_hdr end = { .kind = CS_EV_END, .slots = 1, .ts_ns = ctx->last_ts_ns };
	for (unsigned int w = 0; w < ctx->decode.emit.nworkers; w++) {
		union cs_event_slot slot = { .h = end };
		cs_emit_to(&ctx->decode.emit, w, &slot, &ctx->decode.st);
	}
	cs_emit_flush(&ctx->decode.emit, &ctx->decode.st);
	if (ctx->gtpc_out != NULL)
		__atomic_fetch_add(ctx->others_done, 1, __ATOMIC_RELEASE);
	return 0;
}
