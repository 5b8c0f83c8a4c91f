/* SPDX-License-Identifier: Apache-2.0 */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "event.h"
#include "port.h"
#include "rx.h"
#include "worker.h"

/*
 * Sizes. The pool holds the mbufs net_pcap fills per burst; RX frees each
 * one before the next burst, so a few bursts' worth plus the per-lcore
 * cache is plenty. It is sized explicitly because a default-sized pool
 * does not fit the small no-hugepage memory replay runs in.
 */
enum {
	CS_POOL_MBUFS = 4095,
	CS_POOL_CACHE = 128,
	CS_EVENT_RING_SIZE = 4096,
};

int cs_pipeline_replay(const struct cs_replay_conf *conf, struct cs_replay_result *res, char *err,
		       size_t errlen)
{
	struct rte_mempool *pool = NULL;
	struct rte_ring *ring = NULL;
	struct cs_rx_ctx rx;
	struct cs_worker_ctx worker;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	unsigned int worker_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	if (worker_lcore >= RTE_MAX_LCORE) {
		snprintf(err, errlen, "replay needs two lcores (RX and worker); give EAL -l with two cores");
		return -1;
	}
	pool = rte_pktmbuf_pool_create("cs_rx_pool", CS_POOL_MBUFS, CS_POOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL) {
		snprintf(err, errlen, "mbuf pool of %u buffers: %s", CS_POOL_MBUFS, rte_strerror(rte_errno));
		goto out;
	}
	ring = rte_ring_create_elem("cs_events_0", sizeof(struct cs_event), CS_EVENT_RING_SIZE,
				    rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (ring == NULL) {
		snprintf(err, errlen, "event ring of %u events: %s", CS_EVENT_RING_SIZE, rte_strerror(rte_errno));
		goto out;
	}

	memset(&rx, 0, sizeof(rx));
	rx.port_id = conf->port_id;
	rx.ring = ring;
	rx.expected_records = conf->expected_records;
	rx.idle_timeout_tsc = (uint64_t)(conf->idle_timeout_s * (double)rte_get_tsc_hz());
	if (cs_port_start_rx(conf->port_id, pool, &rx.ts, err, errlen) != 0)
		goto out;

	memset(&worker, 0, sizeof(worker));
	worker.ring = ring;
	worker.producers = 1;
	rc = rte_eal_remote_launch(cs_worker_lcore_main, &worker, worker_lcore);
	if (rc != 0) {
		snprintf(err, errlen, "cannot launch the worker on lcore %u: %s", worker_lcore, rte_strerror(-rc));
		cs_port_stop(conf->port_id);
		rc = -1;
		goto out;
	}
	cs_rx_lcore_main(&rx);
	rte_eal_wait_lcore(worker_lcore);
	cs_port_stop(conf->port_id);

	*res = (struct cs_replay_result){
		.rx_packets = rx.packets,
		.rx_wire_bytes = rx.wire_bytes,
		.rx_port_errors = rx.port_errors,
		.rx_ring_full_polls = rx.ring_full_polls,
		.rx_timed_out = rx.timed_out,
		.worker_packets = worker.packets,
		.worker_wire_bytes = worker.wire_bytes,
		.first_ts_ns = worker.first_ts_ns,
		.last_ts_ns = worker.last_ts_ns,
	};
	rc = 0;
out:
	rte_ring_free(ring);
	rte_mempool_free(pool);
	return rc;
}
