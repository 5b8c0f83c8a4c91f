/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EMIT_H
#define CS_EMIT_H

#include <rte_pause.h>

#include "decode_stats.h"
#include "event_ring.h"

enum { CS_MAX_WORKERS = 64 };

/*
 * Where a decode lcore sends its events: one SPSC ring per worker, the
 * worker chosen by a hash of the IMSI so one subscriber's events always
 * reach the shard that owns its state. Replay waits on a full ring (it
 * must lose nothing); live mode drops and counts instead, because the
 * wire does not wait.
 */
struct cs_emitter {
	struct rte_ring *rings[CS_MAX_WORKERS];
	unsigned int nworkers;
	int wait_when_full;
	uint16_t producer;
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

static inline void cs_emit_to(struct cs_emitter *e, unsigned int worker, void *msg, struct cs_decode_stats *st)
{
	struct cs_event_hdr *h = msg;

	h->producer = e->producer;
	while (cs_event_ring_put(e->rings[worker], msg) != 0) {
		if (!e->wait_when_full) {
			st->events_dropped++;
			return;
		}
		st->ring_full_waits++;
		rte_pause();
	}
	st->events++;
}

static inline void cs_emit(struct cs_emitter *e, cs_digits imsi, void *msg, struct cs_decode_stats *st)
{
	cs_emit_to(e, cs_shard_of(imsi, e->nworkers), msg, st);
}

#endif
