/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_PIPELINE_H
#define CS_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The replay pipeline after rte_eal_init():
 *
 *   port (net_pcap) --rx_burst--> RX on the main lcore
 *        --16-byte events, SPSC rte_ring--> worker on the next lcore
 *
 * It runs until the capture is drained and the worker has consumed every
 * event, then reports what each stage counted.
 */
struct cs_replay_conf {
	uint16_t port_id;
	uint64_t expected_records; /* from cs_capture_scan() */
	double idle_timeout_s;     /* stop waiting for frames after this long */
};

struct cs_replay_result {
	uint64_t rx_packets;
	uint64_t rx_wire_bytes;
	uint64_t rx_port_errors;
	uint64_t rx_ring_full_polls;
	int rx_timed_out;
	uint64_t worker_packets;
	uint64_t worker_wire_bytes;
	uint64_t first_ts_ns;
	uint64_t last_ts_ns;
};

/* Returns 0, or -1 with a reason in err (resources, port, lcores). */
int cs_pipeline_replay(const struct cs_replay_conf *conf, struct cs_replay_result *res, char *err,
		       size_t errlen);

#endif
