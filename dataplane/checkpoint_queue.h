/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CHECKPOINT_QUEUE_H
#define CS_CHECKPOINT_QUEUE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "digits.h"

/*
 * Long memory on its way to disk: what a worker hands the checkpoint
 * writer (control/state_store.c) and what restore hands back.
 *
 * One queue per worker: a single-producer single-consumer ring of records.
 * The worker copies a record into slot[head & mask] and publishes head
 * (release); the writer reads the slots up to head (acquire) and releases
 * them only after the transaction holding them committed, so a failed
 * commit is simply retried and nothing offered is lost to it. head and
 * tail sit on their own cache lines so the two sides do not bounce one
 * line; the producer keeps a copy of tail and rereads it only when the
 * copy says full.
 *
 * The worker never waits: an offer is a bounds check, a 48-byte copy and
 * one release store, or -1 at once when the queue is full (counted; the
 * record stays dirty and is offered again on the next pass).
 */

/* One subscriber's long memory (docs/state-store.md): 48 bytes, the on-disk value is 40 of them. */
struct cs_state_record {
	cs_digits imsi;
	cs_digits bound_imei;          /* the first IMEI the SIM was seen in, CS_DIGITS_NONE if none yet */
	cs_digits msisdn;              /* CS_DIGITS_NONE if not known */
	uint32_t last_activity_s;      /* event time, seconds since 1970; 0 = never */
	uint32_t last_mo_s;            /* last mobile-originated call or SMS */
	uint32_t first_seen_s;
	uint16_t first_imei_day;       /* days since 1970 bound_imei was first seen; 0 = never */
	uint16_t first_activation_day; /* days since 1970 the MSISDN was first seen on this SIM */
	uint16_t flags;                /* the state engine's CS_STATE_SEEN_* bits */
};

_Static_assert(sizeof(struct cs_state_record) == 48, "a long-memory record is 48 bytes");

enum { CS_CKPT_CACHE_LINE = 64 };

struct cs_checkpoint_queue {
	alignas(CS_CKPT_CACHE_LINE) _Atomic size_t head; /* next slot the producer fills */
	size_t tail_seen;                                /* the producer's copy of tail */
	_Atomic uint64_t queued, queue_full;             /* written by the producer only */
	alignas(CS_CKPT_CACHE_LINE) _Atomic size_t tail; /* next slot the consumer takes */
	size_t mask;
	struct cs_state_record *slot;
};

/* Allocates a queue of capacity records (a power of two >= 2); NULL if out of memory or a bad size. */
struct cs_checkpoint_queue *cs_checkpoint_queue_create(unsigned int capacity);
void cs_checkpoint_queue_free(struct cs_checkpoint_queue *q);

/* Producer: copies rec in. 0, or -1 at once when full (counted). */
int cs_checkpoint_queue_offer(struct cs_checkpoint_queue *q, const struct cs_state_record *rec);

/* Consumer: how many records wait, and the i-th of them (i < pending), oldest first. */
size_t cs_checkpoint_queue_pending(const struct cs_checkpoint_queue *q);
const struct cs_state_record *cs_checkpoint_queue_at(const struct cs_checkpoint_queue *q, size_t i);

/* Consumer: the n oldest records are safely stored; their slots may be reused. */
void cs_checkpoint_queue_release(struct cs_checkpoint_queue *q, size_t n);

/* Counters, readable from any thread. */
uint64_t cs_checkpoint_queue_queued(const struct cs_checkpoint_queue *q);
uint64_t cs_checkpoint_queue_refused(const struct cs_checkpoint_queue *q);

#endif
