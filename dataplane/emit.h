/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EMIT_H
#define CS_EMIT_H

#include <string.h>

#include <rte_pause.h>

#include "decode_stats.h"
#include "event_ring.h"

enum { CS_MAX_WORKERS = 64, CS_EMIT_STAGE_SLOTS = 64 };

/*
 * Where a decode lcore sends its events: one SPSC ring per worker, the
 * worker chosen by a hash of the IMSI so one subscriber's events always
 * reach the shard that owns its state.
 *
 * Events are staged per worker and enqueued once per burst (or when a
 * stage fills): one ring operation, and one cache-line hand-over to the
 * worker's core, per burst instead of per packet. Staged messages keep
 * their order and go as one bulk, whole messages only.
 *
 * Replay waits on a full ring (it must lose nothing); live mode drops the
 * staged messages and counts them, because the wire does not wait.
 */
struct cs_emitter {
	struct rte_ring *rings[CS_MAX_WORKERS];
	unsigned int nworkers;
	int wait_when_full;
	uint16_t producer;
	uint16_t staged[CS_MAX_WORKERS];      /* slots waiting per worker */
	uint16_t staged_msgs[CS_MAX_WORKERS]; /* messages among them */
	union cs_event_slot stage[CS_MAX_WORKERS][CS_EMIT_STAGE_SLOTS];
};

/* The worker that owns imsi (a 64-bit mix, so consecutive IMSIs spread). */
static inline unsigned int cs_shard_of(cs_digits imsi, unsigned int nworkers)
{
	uint64_t x = imsi;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (unsigned int)(x % nworkers);
}

/* Hands worker w's staged messages to its ring. */
static inline void cs_emit_flush_to(struct cs_emitter *e, unsigned int w, struct cs_decode_stats *st)
{
	unsigned int n = e->staged[w];

	if (n == 0)
		return;
	while (rte_ring_enqueue_bulk_elem(e->rings[w], e->stage[w], CS_EVENT_SLOT, n, NULL) != n) {
		if (!e->wait_when_full) {
			st->events_dropped += e->staged_msgs[w];
			e->staged[w] = e->staged_msgs[w] = 0;
			return;
		}
		st->ring_full_waits++;
		rte_pause();
	}
	st->events += e->staged_msgs[w];
	e->staged[w] = e->staged_msgs[w] = 0;
}

/* Once per burst, and before anything that must not wait (END). */
static inline void cs_emit_flush(struct cs_emitter *e, struct cs_decode_stats *st)
{
	for (unsigned int w = 0; w < e->nworkers; w++)
		cs_emit_flush_to(e, w, st);
}

static inline void cs_emit_to(struct cs_emitter *e, unsigned int worker, void *msg, struct cs_decode_stats *st)
{
	struct cs_event_hdr *h = msg;

	h->producer = e->producer;
	if (e->staged[worker] + h->slots > CS_EMIT_STAGE_SLOTS)
		cs_emit_flush_to(e, worker, st);
	memcpy(&e->stage[worker][e->staged[worker]], msg, (size_t)h->slots * CS_EVENT_SLOT);
	e->staged[worker] = (uint16_t)(e->staged[worker] + h->slots);
	e->staged_msgs[worker]++;
}

static inline void cs_emit(struct cs_emitter *e, cs_digits imsi, void *msg, struct cs_decode_stats *st)
{
	cs_emit_to(e, cs_shard_of(imsi, e->nworkers), msg, st);
}

#endif
