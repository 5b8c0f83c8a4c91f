/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decode_rig: the decode stage as rx.c drives it, without ports or mbufs,
 * for the port-less benchmarks (decode_bench.c, mix_bench.c): the session
 * directory, the GTP-C and SIP trackers, the TCP reassembler and the
 * emitter onto one event ring, fed frames from memory (bench_frames.h) in
 * bursts, and the timing of those bursts.
 *
 * Timed: decoding, directory lookups and writes, tracker state, RCU
 * quiescent states, event-time housekeeping, the enqueue of every event,
 * the re-addressing of each G-PDU to a random session (bench_frames.h: a
 * random draw and two stores, a few cycles a packet) and whatever the
 * caller's after_burst does. Not timed: building the frames.
 */
#ifndef CS_BENCH_DECODE_RIG_H
#define CS_BENCH_DECODE_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_frames.h"
#include "decode_stage.h"

struct rte_ring;

enum {
	CS_BENCH_BURST = 32,          /* frames per burst, as rx.c polls them */
	CS_BENCH_MAX_ROUNDS = 100,
	CS_BENCH_CHUNK_SESSIONS = 4096, /* sessions encoded, then decoded, at a time while populating */
};

/* Time spent decoding: TSC ticks, wall and thread CPU nanoseconds, and the frames they covered. */
struct cs_bench_timing {
	uint64_t tsc, ns, cpu_ns, frames;
};

struct cs_bench_rate {
	double per_s;     /* frames a second of wall time */
	double tsc_per;   /* TSC ticks a frame */
	double cpu_share; /* of the wall time, how much the decode thread ran */
};

struct cs_bench_rate cs_bench_rate_of(const struct cs_bench_timing *t);

/* Per-round rates of one phase: the median round is the headline, the spread beside it. */
struct cs_bench_rounds {
	uint32_t n;
	struct cs_bench_rate r[CS_BENCH_MAX_ROUNDS];
	struct cs_bench_rate median, slowest, fastest;
	struct cs_bench_timing all; /* the rounds together */
};

/* Adds one round (at most CS_BENCH_MAX_ROUNDS), then cs_bench_rounds_summarise once all are in. */
void cs_bench_rounds_add(struct cs_bench_rounds *r, const struct cs_bench_timing *t);
void cs_bench_rounds_summarise(struct cs_bench_rounds *r);

/* DPDK heap in use, bytes: what a table took is the difference around its creation. */
size_t cs_bench_heap_allocated(void);

struct cs_bench_rig {
	struct cs_decode_ctx ctx;
	struct cs_session_dir *dir;
	struct cs_gtpc_tracker *gtpc;
	struct cs_sip_tracker *sip;
	struct cs_tcp_reasm *tcp; /* no SIP over TCP in these frames, but its sweep runs every burst as in rx.c */
	uint32_t sessions;        /* the population: G-PDUs are re-addressed to one of them */
	uint64_t ts_ns;           /* event time of the last frame */
	uint64_t rng;
	size_t dir_bytes;         /* DPDK heap the directory took when created */
};

/* The event time of the first frame: 2026-01-05T08:00:00Z. */
#define CS_BENCH_START_NS (1767600000ull * 1000000000ull)

/*
 * A directory for sessions sessions (and the few entries it evicts
 * ahead of need), the trackers, and an emitter onto events that waits when
 * the ring is full (lossless, as in a replay) or drops and counts (as in
 * live mode). The calling lcore is the directory's writer and reader 0.
 * Returns 0, or -1 after telling stderr why, as "PROG: ...".
 */
int cs_bench_rig_create(struct cs_bench_rig *g, const char *prog, uint32_t sessions, struct rte_ring *events,
			bool wait_when_full, uint64_t seed);
void cs_bench_rig_free(struct cs_bench_rig *g);

/*
 * Decodes count frames of s from *at on, wrapping round, in bursts of
 * CS_BENCH_BURST, calling after_burst (if not NULL) after each; adds the
 * time it took to t.
 */
void cs_bench_rig_replay(struct cs_bench_rig *g, const struct cs_bench_frames *s, uint64_t count, uint32_t *at,
			 struct cs_bench_timing *t, void (*after_burst)(void *), void *arg);

/*
 * Attaches the whole population through GTP-C, session after session
 * (cs_mix_attach), CS_BENCH_CHUNK_SESSIONS encoded then decoded at a
 * time. Each session's four messages follow one another, so one
 * transaction is pending at a time: the tracker's pending table is
 * direct-mapped, and thousands in flight would overwrite some (counted,
 * but sessions would then be missing from the directory). Only the
 * decoding is added to t. Returns 0, or -1 after telling stderr why.
 */
int cs_bench_rig_populate(struct cs_bench_rig *g, const char *prog, struct cs_bench_timing *t,
			  void (*after_burst)(void *), void *arg);

/* The frames st counts as rejected, every reason together. */
uint64_t cs_bench_rejected(const struct cs_decode_stats *st);

#endif
