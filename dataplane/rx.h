/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RX_H
#define CS_RX_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_ip_frag.h>

#include "decode_stage.h"
#include "port.h"

enum { CS_MAX_PORTS = 32, CS_MAX_RX_LCORES = 16, CS_RX_MAX_QUEUES = 256, CS_RX_SCRATCH = 65536 + 128 };

/* One RX queue an RX lcore polls; port is the index into the pipeline's port list. */
struct cs_rx_queue {
	uint16_t port;
	uint16_t queue;
};

/*
 * One RX/decode lcore. In replay the only one drains the ports one after
 * another (the captures in the order given); live, each polls its share
 * of the (port, queue) pairs in turn until told to stop. Each frame is
 * stamped with event time (the port's stamp, or the burst's arrival time
 * when the port has none), linearized if it spans mbufs, reassembled if
 * it is an IP fragment, decoded, and freed before the next burst.
 *
 * The session directory has one writer, RX lcore 0, which therefore
 * decodes all GTP-C: the other RX lcores hand their GTP-C frames to it
 * through an SPSC ring each (the mbuf moves, with its event time in the
 * RX timestamp field). GTP-U, SIP and the rest are decoded where they
 * arrive; symmetric RSS keeps both directions of a flow on one lcore, so
 * each lcore's SIP, TCP and fragment state sees whole dialogs.
 *
 * Written by its lcore only; the main lcore reads the counters after the
 * join, and the progress counter at any time (an aligned 64-bit store).
 */
struct cs_rx_ctx {
	/* set up before launch */
	unsigned int id;                         /* 0 owns GTP-C and writes the directory */
	unsigned int nports;
	uint16_t port_id[CS_MAX_PORTS];
	struct cs_port_timestamp ts[CS_MAX_PORTS];
	uint64_t expected_records[CS_MAX_PORTS]; /* replay: records each capture holds */
	uint64_t idle_timeout_tsc;               /* replay: give up after this long without a frame */
	unsigned int nqueues;                    /* live: the queues this lcore polls */
	struct cs_rx_queue queues[CS_RX_MAX_QUEUES];
	const volatile int *stop;                /* live: set (by a signal) to drain and finish */
	uint64_t clock_tsc0, clock_ns0;          /* wall clock at TSC tsc0, for arrival time */
	double ns_per_tsc;
	struct rte_ip_frag_tbl *frags;
	uint64_t frag_timeout_us;
	struct cs_decode_ctx decode;
	int handoff_ts_offset;                   /* RX timestamp dynfield: event time of a handed-off frame */
	struct rte_ring *gtpc_out;               /* RX lcores other than 0: GTP-C to lcore 0 */
	unsigned int ngtpc_in;                   /* RX lcore 0: one ring from each of the others */
	struct rte_ring *gtpc_in[CS_MAX_RX_LCORES];
	volatile unsigned int *others_done;      /* RX lcore 0 waits for the others before its END */

	/* results */
	uint64_t port_packets[CS_MAX_PORTS];
	uint64_t port_errors[CS_MAX_PORTS];
	int timed_out;
	volatile uint64_t progress; /* frames taken so far, for the progress line */
	uint64_t last_ts_ns;

	/* frames decoded but perhaps still referenced by a G-PDU batch: freed after cs_decode_flush */
	unsigned int ndone;
	struct rte_mbuf *done[CS_GTPU_BATCH];
	struct rte_ip_frag_death_row death_row;
	uint8_t scratch[CS_RX_SCRATCH];
} __rte_cache_aligned;

/* rte_eal_remote_launch entry point; arg is a struct cs_rx_ctx. */
int cs_rx_lcore_main(void *arg);

#endif
