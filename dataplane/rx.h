/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RX_H
#define CS_RX_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_ip_frag.h>

#include "decode_stage.h"
#include "port.h"

enum { CS_MAX_PORTS = 32, CS_RX_SCRATCH = 65536 + 128 };

/*
 * One RX/decode lcore. In replay it drains its ports one after another
 * (the captures in the order given); live, it polls every queue of every
 * port in turn until told to stop. Each frame is stamped with event time
 * (the port's stamp, or the burst's arrival time when the port has none),
 * linearized if it spans mbufs, reassembled if it is an IP fragment,
 * decoded, and freed before the next burst. Written by its
 * lcore only; the main lcore reads the counters after the join, and the
 * progress counter at any time (a single aligned 64-bit store).
 */
struct cs_rx_ctx {
	/* set up before launch */
	unsigned int nports;
	uint16_t port_id[CS_MAX_PORTS];
	struct cs_port_timestamp ts[CS_MAX_PORTS];
	uint64_t expected_records[CS_MAX_PORTS]; /* replay: records each capture holds */
	uint64_t idle_timeout_tsc;               /* replay: give up after this long without a frame */
	uint16_t nqueues;                        /* live: RX queues per port */
	const volatile int *stop;                /* live: set (by a signal) to drain and finish */
	uint64_t clock_tsc0, clock_ns0;          /* live: wall clock at TSC tsc0, for arrival time */
	double ns_per_tsc;
	struct rte_ip_frag_tbl *frags;
	uint64_t frag_timeout_us;
	struct cs_decode_ctx decode;

	/* results */
	uint64_t port_packets[CS_MAX_PORTS];
	uint64_t port_errors[CS_MAX_PORTS];
	int timed_out;
	volatile uint64_t progress; /* frames taken so far, for the progress line */
	uint64_t last_ts_ns;

	struct rte_ip_frag_death_row death_row;
	uint8_t scratch[CS_RX_SCRATCH];
} __rte_cache_aligned;

/* rte_eal_remote_launch entry point; arg is a struct cs_rx_ctx. */
int cs_rx_lcore_main(void *arg);

#endif
