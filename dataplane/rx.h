/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RX_H
#define CS_RX_H

#include <stdint.h>

#include <rte_common.h>

#include "port.h"

struct rte_ring;

/*
 * One RX lcore: polls one port's queue 0, turns each frame into an event,
 * frees the mbuf, and hands the events to its worker ring. The context is
 * written by its RX lcore only and read by the main lcore after the join.
 */
struct cs_rx_ctx {
	/* set up before launch */
	uint16_t port_id;
	struct cs_port_timestamp ts;
	struct rte_ring *ring;
	uint64_t expected_records; /* replay: records the capture holds */
	uint64_t idle_timeout_tsc; /* replay: give up after this long without a frame */

	/* results, valid after the lcore returns */
	uint64_t packets;
	uint64_t wire_bytes;
	uint64_t ring_full_polls; /* times a full ring made RX wait for its worker */
	uint64_t port_errors;     /* frames the PMD read but could not deliver */
	int timed_out;            /* stopped by the idle timeout, not by end of input */
} __rte_cache_aligned;

/* rte_eal_remote_launch entry point; arg is a struct cs_rx_ctx. */
int cs_rx_lcore_main(void *arg);

#endif
