/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EVENT_H
#define CS_EVENT_H

#include <stdint.h>

/*
 * An event is what crosses from an RX/decode lcore to a worker lcore.
 * Packets stop at the decode stage: the mbuf is freed there and the worker
 * sees only this fixed-size copy, carried by value in an rte_ring of 16-byte
 * elements (no per-event allocation, no pointer chasing on the worker).
 *
 *   0               8               12      14  15  16
 *   +---------------+---------------+-------+---+---+
 *   | ts_ns         | wire_len      | port  |knd|rsv|
 *   +---------------+---------------+-------+---+---+
 *
 * ts_ns is event time: the capture timestamp in nanoseconds since the Unix
 * epoch, never the wall clock, so a replay gives the same result at any
 * speed. The layout grows with the decoders (identities, TEIDs, addresses)
 * but stays a multiple of 4 bytes, as rte_ring's element API requires.
 */
enum cs_event_kind {
	CS_EVENT_PACKET = 1, /* one frame received on a port */
	CS_EVENT_END = 2,    /* the producing RX lcore has drained its input */
};

struct cs_event {
	uint64_t ts_ns;
	uint32_t wire_len;
	uint16_t port_id;
	uint8_t kind;
	uint8_t reserved;
};

_Static_assert(sizeof(struct cs_event) == 16, "cs_event is a 16-byte ring element");
_Static_assert(sizeof(struct cs_event) % 4 == 0, "rte_ring elements are multiples of 4 bytes");

#endif
