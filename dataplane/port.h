/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_PORT_H
#define CS_PORT_H

#include <stddef.h>
#include <stdint.h>

struct rte_mempool;

/* Descriptors of each RX queue (the PMD may adjust them): what a queue holds, at most, when polling stops. */
enum { CS_RX_DESCRIPTORS = 1024 };

/* How an RX lcore reads the event time a port stamped on each mbuf. */
struct cs_port_timestamp {
	int dynfield_offset; /* -1 when the port cannot stamp packets */
	uint64_t flag;       /* ol_flags bit saying this mbuf carries a stamp */
	uint32_t ns_per_unit; /* the stamp's unit in nanoseconds */
};

/*
 * Configures port_id with nb_queues RX queues fed from pool and no TX,
 * spreading traffic over the queues by RSS on the outer IP addresses and
 * UDP ports where the PMD can, asks for event-time stamps where the PMD
 * gives them (net_pcap stamps capture time), and starts it. Returns 0, or
 * -1 with a reason in err.
 */
int cs_port_start_rx(uint16_t port_id, uint16_t nb_queues, struct rte_mempool *pool, struct cs_port_timestamp *ts,
		     char *err, size_t errlen);

void cs_port_stop(uint16_t port_id);

#endif
