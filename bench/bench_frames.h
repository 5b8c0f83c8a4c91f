/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_frames: the frames the port-less benchmarks (decode_bench.c,
 * mix_bench.c) feed to the decode stage, built in memory with the
 * generator's encoders, and the synthetic population they belong to.
 *
 * Session i has identities and tunnel endpoints of its own: IMSI 00101 +
 * i, MSISDN 86139 + i, an IMEI of its own, UE address 100.64.0.0 + i,
 * TEIDs 0x1.., 0x2.., 0x3.., 0x4.. + i (MME, SGW control, eNodeB, SGW user
 * plane); one MME and one SGW, CS_BENCH_ENODEBS eNodeBs, cells and
 * tracking areas taken round robin.
 */
#ifndef CS_BENCH_FRAMES_H
#define CS_BENCH_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "encode_gtpv2c.h"

enum {
	CS_BENCH_GTPC_PORT = 2123, CS_BENCH_GTPU_PORT = 2152, CS_BENCH_SIP_PORT = 5060,
	CS_BENCH_ENODEBS = 4000,
	CS_BENCH_ATTACH_MESSAGES = 4, /* Create Session and Modify Bearer, requests and responses */
	CS_BENCH_SIP_DIALOG_MESSAGES = 5, /* INVITE, 180, 200, BYE, 200 */
	CS_BENCH_FRAME_MAX = 2048,
};

/* 16 Mi sessions: their UE addresses, 100.64.0.0 + i, stay below 101.64.0.0 */
#define CS_BENCH_MAX_SESSIONS (16u << 20)

enum cs_bench_gpdu { CS_BENCH_NOT_GPDU, CS_BENCH_UPLINK, CS_BENCH_DOWNLINK };

struct cs_bench_frame {
	uint8_t *p;
	uint32_t len;
	uint8_t gpdu; /* enum cs_bench_gpdu: which way a G-PDU goes, for cs_bench_readdress_gpdu */
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
	uint16_t ip_id;
};

/* Room for max_frames frames of at most max_frame_len bytes. Returns 0, or -1 out of memory. */
int cs_bench_frames_init(struct cs_bench_frames *s, uint32_t max_frames, size_t max_frame_len);
void cs_bench_frames_free(struct cs_bench_frames *s);
void cs_bench_frames_clear(struct cs_bench_frames *s);

/* Session i of the population. */
void cs_bench_bearer_of(uint32_t i, struct cs_gen_bearer *g);

/*
 * Session i's attach on S11 as the generator writes it, requests MME ->
 * SGW and responses back: Create Session (the identities, the SGW's S1-U
 * F-TEID) and Modify Bearer (the eNodeB's). Sequence numbers 2i and 2i + 1.
 * Returns 0, or -1 when the frames do not fit.
 */
int cs_bench_add_attach(struct cs_bench_frames *s, uint32_t i);

/*
 * A Modify Bearer request and response for session i that moves it to
 * cell eci (a handover or a tracking area update, the commonest S11
 * transaction), with sequence number seq. Returns 0, or -1.
 */
int cs_bench_add_handover(struct cs_bench_frames *s, uint32_t i, uint32_t eci, uint32_t seq);

/*
 * A G-PDU of session i, uplink (eNodeB -> SGW, to the SGW's S1-U TEID) or
 * downlink (back, to the eNodeB's), inner IPv4/UDP to or from a server, of
 * payload bytes. Returns 0, or -1.
 */
int cs_bench_add_gpdu(struct cs_bench_frames *s, uint32_t i, int uplink, size_t payload);

/*
 * Points G-PDU f at session i instead, in place: its TEID and, downlink,
 * the outer destination (the session's eNodeB), the two fields its
 * F-TEID lookup reads. A ring of frames replayed again and again would
 * otherwise look up the same few sessions, whose entries the caches then
 * keep: re-addressed as they are replayed, G-PDUs reach every session of
 * a directory of millions, as a core's traffic does.
 */
void cs_bench_readdress_gpdu(const struct cs_bench_frame *f, uint32_t i);

/*
 * Message step (0 INVITE, 1 180, 2 200, 3 BYE, 4 200) of SIP dialog d
 * between P-CSCF and S-CSCF: its caller, callee and Call-ID drawn from seed
 * and d, the parties among the first sessions sessions. Returns 0, or -1.
 */
int cs_bench_add_sip(struct cs_bench_frames *s, uint64_t seed, uint32_t d, unsigned int step, uint32_t sessions);

#endif
