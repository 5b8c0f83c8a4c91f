/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_WORKER_H
#define CS_WORKER_H

#include <stdint.h>

#include <rte_common.h>

struct rte_ring;

/*
 * A worker lcore drains the event ring of its shard. Everything in the
 * context is written by that lcore alone and read by the main lcore only
 * after rte_eal_wait_lcore() has returned (the join orders the accesses).
 */
struct cs_worker_ctx {
	struct rte_ring *ring;
	unsigned int producers; /* END events to wait for before returning */

	uint64_t packets;
	uint64_t wire_bytes;
	uint64_t first_ts_ns; /* event time of the earliest event, 0 if none */
	uint64_t last_ts_ns;  /* event time of the latest event */
} __rte_cache_aligned;

/* rte_eal_remote_launch entry point; arg is a struct cs_worker_ctx. */
int cs_worker_lcore_main(void *arg);

#endif
