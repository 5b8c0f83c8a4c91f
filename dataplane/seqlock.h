/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SEQLOCK_H
#define CS_SEQLOCK_H

#include <stdint.h>

#include <rte_pause.h>

/*
 * Single-writer sequence lock (DPDK 22.11's rte_seqlock is still
 * experimental): the writer makes the counter odd, writes, makes it even;
 * a reader retries while it saw it odd or saw it change.
 */
static inline void cs_seq_write_begin(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void cs_seq_write_end(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELEASE);
}

static inline uint32_t cs_seq_read_begin(const uint32_t *seq)
{
	uint32_t s;

	while ((s = __atomic_load_n(seq, __ATOMIC_ACQUIRE)) & 1)
		rte_pause();
	return s;
}

static inline int cs_seq_read_retry(const uint32_t *seq, uint32_t begun)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(seq, __ATOMIC_RELAXED) != begun;
}

#endif
