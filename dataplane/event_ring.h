/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EVENT_RING_H
#define CS_EVENT_RING_H

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "event.h"

/* One 64-byte ring element, slot-aligned so a message read out of a burst can be used in place. */
union cs_event_slot {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	uint8_t bytes[CS_EVENT_SLOT];
};

/* An SPSC ring of 64-byte slots; count is a power of two. NULL with rte_errno on failure. */
static inline struct rte_ring *cs_event_ring_create(const char *name, unsigned int count, int socket)
{
	return rte_ring_create_elem(name, CS_EVENT_SLOT, count, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
}

/* Enqueues one message (all its slots, or none). Returns 0, or -1 when the ring is full. */
static inline int cs_event_ring_put(struct rte_ring *r, const void *msg)
{
	const struct cs_event_hdr *h = msg;

	return rte_ring_enqueue_bulk_elem(r, msg, CS_EVENT_SLOT, h->slots, NULL) == h->slots ? 0 : -1;
}

/*
 * Dequeues whole messages into buf (room for max slots, max >=
 * CS_EVENT_MAX_SLOTS). Returns the slots taken; buf then holds messages
 * back to back. A burst that ends inside a message is completed at once:
 * its producer enqueued all of its slots together.
 */
static inline unsigned int cs_event_ring_take(struct rte_ring *r, union cs_event_slot *buf, unsigned int max)
{
	unsigned int n = rte_ring_dequeue_burst_elem(r, buf, CS_EVENT_SLOT, max - (CS_EVENT_MAX_SLOTS - 1), NULL);
	unsigned int at = 0;

	while (at < n) {
		unsigned int slots = buf[at].h.slots;
		if (at + slots > n) {
			unsigned int rest = at + slots - n;
			n += rte_ring_dequeue_bulk_elem(r, buf + n, CS_EVENT_SLOT, rest, NULL);
			break;
		}
		at += slots;
	}
	return n;
}

#endif
