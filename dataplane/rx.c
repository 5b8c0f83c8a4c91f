/* SPDX-License-Identifier: Apache-2.0 */
#include "rx.h"

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "event.h"

enum { CS_RX_BURST = 32 };

/* Event time of m: the port's stamp (nanoseconds), or 0 when it has none. */
static inline uint64_t event_time_ns(const struct cs_rx_ctx *ctx, struct rte_mbuf *m)
{
	if (ctx->ts.dynfield_offset < 0 || !(m->ol_flags & ctx->ts.flag))
		return 0;
	return *RTE_MBUF_DYNFIELD(m, ctx->ts.dynfield_offset, rte_mbuf_timestamp_t *) * ctx->ts.ns_per_unit;
}

/*
 * Replay must lose nothing, so a full ring makes RX wait for its worker
 * (back-pressure) instead of dropping; the waits are counted.
 */
static void enqueue_all(struct cs_rx_ctx *ctx, const struct cs_event *evs, unsigned int n)
{
	unsigned int done = 0;

	while (done < n) {
		done += rte_ring_enqueue_burst_elem(ctx->ring, evs + done, sizeof(*evs), n - done, NULL);
		if (done < n) {
			ctx->ring_full_polls++;
			rte_pause();
		}
	}
}

/*
 * net_pcap never says "end of file": it just returns empty bursts. The
 * input is drained when an empty poll comes after every record of the
 * capture was delivered or counted as a port error. The idle timeout only
 * guards against a capture that libpcap stops reading earlier than the
 * pre-scan expected (damage the scan could not see).
 */
static int input_drained(struct cs_rx_ctx *ctx)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(ctx->port_id, &st) == 0)
		ctx->port_errors = st.ierrors + st.rx_nombuf;
	return ctx->packets + ctx->port_errors >= ctx->expected_records;
}

int cs_rx_lcore_main(void *arg)
{
	struct cs_rx_ctx *ctx = arg;
	struct rte_mbuf *pkts[CS_RX_BURST];
	struct cs_event evs[CS_RX_BURST];
	uint64_t last_frame_tsc = rte_get_tsc_cycles();

	for (;;) {
		uint16_t n = rte_eth_rx_burst(ctx->port_id, 0, pkts, CS_RX_BURST);

		if (n == 0) {
			if (input_drained(ctx))
				break;
			if (rte_get_tsc_cycles() - last_frame_tsc > ctx->idle_timeout_tsc) {
				ctx->timed_out = 1;
				break;
			}
			continue;
		}
		last_frame_tsc = rte_get_tsc_cycles();
		uint64_t bytes = 0;
		for (uint16_t i = 0; i < n; i++) {
			evs[i] = (struct cs_event){
				.ts_ns = event_time_ns(ctx, pkts[i]),
				.wire_len = rte_pktmbuf_pkt_len(pkts[i]),
				.port_id = ctx->port_id,
				.kind = CS_EVENT_PACKET,
			};
			bytes += evs[i].wire_len;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		enqueue_all(ctx, evs, n);
		ctx->packets += n;
		ctx->wire_bytes += bytes;
	}
	const struct cs_event end = { .port_id = ctx->port_id, .kind = CS_EVENT_END };
	enqueue_all(ctx, &end, 1);
	return 0;
}
