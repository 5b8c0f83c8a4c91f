/* SPDX-License-Identifier: Apache-2.0 */
#include "checkpoint_queue.h"

#include <stdlib.h>
#include <string.h>

/* Single-writer counter: a plain load and store, no locked instruction. */
static void count(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1, memory_order_relaxed);
}

struct cs_checkpoint_queue *cs_checkpoint_queue_create(unsigned int capacity)
{
	struct cs_checkpoint_queue *q;
	size_t bytes = sizeof(struct cs_state_record) * capacity;

	if (capacity < 2 || (capacity & (capacity - 1)) != 0)
		return NULL;
	q = aligned_alloc(CS_CKPT_CACHE_LINE, sizeof(*q));
	if (q == NULL)
		return NULL;
	memset(q, 0, sizeof(*q));
	q->mask = capacity - 1;
	q->slot = malloc(bytes);
	if (q->slot == NULL) {
		free(q);
		return NULL;
	}
	/* touched now, so a worker's first offers take no page faults */
	memset(q->slot, 0, bytes);
	return q;
}

void cs_checkpoint_queue_free(struct cs_checkpoint_queue *q)
{
	if (q == NULL)
		return;
	free(q->slot);
	free(q);
}

int cs_checkpoint_queue_offer(struct cs_checkpoint_queue *q, const struct cs_state_record *rec)
{
	size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	if (head - q->tail_seen > q->mask) {
		q->tail_seen = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (head - q->tail_seen > q->mask) {
			count(&q->queue_full);
			return -1;
		}
	}
	q->slot[head & q->mask] = *rec;
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	count(&q->queued);
	return 0;
}

size_t cs_checkpoint_queue_pending(const struct cs_checkpoint_queue *q)
{
	struct cs_checkpoint_queue *m = (struct cs_checkpoint_queue *)q; /* C11 atomic loads take non-const */

	return atomic_load_explicit(&m->head, memory_order_acquire) -
	       atomic_load_explicit(&m->tail, memory_order_relaxed);
}

const struct cs_state_record *cs_checkpoint_queue_at(const struct cs_checkpoint_queue *q, size_t i)
{
	struct cs_checkpoint_queue *m = (struct cs_checkpoint_queue *)q;

	return &q->slot[(atomic_load_explicit(&m->tail, memory_order_relaxed) + i) & q->mask];
}

void cs_checkpoint_queue_release(struct cs_checkpoint_queue *q, size_t n)
{
	atomic_store_explicit(&q->tail, atomic_load_explicit(&q->tail, memory_order_relaxed) + n,
			      memory_order_release);
}

uint64_t cs_checkpoint_queue_queued(const struct cs_checkpoint_queue *q)
{
	return atomic_load_explicit(&((struct cs_checkpoint_queue *)q)->queued, memory_order_relaxed);
}

uint64_t cs_checkpoint_queue_refused(const struct cs_checkpoint_queue *q)
{
	return atomic_load_explicit(&((struct cs_checkpoint_queue *)q)->queue_full, memory_order_relaxed);
}
