/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SWEEP_H
#define CS_SWEEP_H

#include <stdint.h>

/*
 * Pacing of the housekeeping sweeps (idle sessions, call timeouts,
 * interim records): a table of capacity entries is walked once every
 * period of event time, a little at a time, by the lcore that owns it.
 * Each call is given as many entries as the event time elapsed since the
 * last call is worth (the remainder carries over), at most max_step, so
 * a sweep never stalls its lcore, keeps up with a table of any size, and
 * gives the same results at any replay speed.
 */
struct cs_sweep {
	uint64_t last_ns;   /* event time of the previous call, 0 before the first */
	uint64_t carry;     /* entries owed, in units of 1/period_ns */
};

static inline uint32_t cs_sweep_budget(struct cs_sweep *s, uint64_t now_ns, uint32_t capacity, uint64_t period_ns,
				       uint32_t max_step)
{
	if (s->last_ns == 0 || now_ns <= s->last_ns) {
		if (s->last_ns == 0)
			s->last_ns = now_ns;
		return 0;
	}
	uint64_t elapsed = now_ns - s->last_ns;
	s->last_ns = now_ns;
	/* a long quiet spell is worth one full sweep at most */
	if (elapsed > period_ns)
		elapsed = period_ns;
	s->carry += elapsed * capacity;
	uint64_t n = s->carry / period_ns;
	if (n > max_step)
		n = max_step;
	s->carry -= n * period_ns;
	if (s->carry > period_ns * (uint64_t)max_step)
		s->carry = period_ns * (uint64_t)max_step; /* never owe more than one step's worth */
	return (uint32_t)n;
}

#endif
