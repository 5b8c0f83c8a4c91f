/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_frames: frames the port-less benchmarks (decode_bench.c,
 * mix_bench.c) feed to the decode stage, held in memory as a port's mbufs
 * would hold them, built by the mix module (bench/gen/mix.h) through the
 * sink cs_bench_frames_sink gives.
 */
#ifndef CS_BENCH_FRAMES_H
#define CS_BENCH_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "mix.h"

struct cs_bench_frame {
	uint8_t *p;
	uint32_t len;
	uint8_t gpdu; /* enum cs_mix_gpdu: which way a G-PDU goes, for cs_bench_readdress_gpdu */
};

/*
 * Frames back to back in one allocation, each starting on a cache line as
 * an mbuf's data does, at their real lengths (the decoders read headers,
 * but lengths decide how far apart those headers are in memory):
 *
 *   mem  |frame 0 ......|pad|frame 1 ...........|pad|frame 2 ...
 *        ^ 64-aligned       ^ 64-aligned
 */
struct cs_bench_frames {
	uint8_t *mem;
	size_t cap, used; /* cap a multiple of 64: every aligned start stays inside */
	struct cs_bench_frame *f;
	uint32_t n, max;
	struct cs_mix_sink sink;
};

/*
 * Room for max_frames frames of at most max_frame_len bytes; s->sink
 * appends an Ethernet frame around each packet it is given.
 * Returns 0, or -1 out of memory.
 */
int cs_bench_frames_init(struct cs_bench_frames *s, uint32_t max_frames, size_t max_frame_len);
void cs_bench_frames_free(struct cs_bench_frames *s);
void cs_bench_frames_clear(struct cs_bench_frames *s);

/*
 * Points G-PDU f at session i instead, in place: its TEID and outer
 * destination, the two fields its F-TEID lookup reads. A ring of frames
 * replayed again and again would otherwise look up the same few sessions,
 * whose entries the caches then keep: re-addressed as they are replayed,
 * G-PDUs reach every session of a directory of millions, as a core's
 * traffic does.
 */
void cs_bench_readdress_gpdu(const struct cs_bench_frame *f, uint32_t i);

#endif
