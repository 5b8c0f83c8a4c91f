/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_STAGE_H
#define CS_DECODE_STAGE_H

#include <stdint.h>

#include "decode_gtpu.h"
#include "decode_l2l4.h"
#include "decode_stats.h"
#include "emit.h"
#include "gtpc_tracker.h"
#include "session_dir.h"
#include "sip_tracker.h"
#include "tcp_reasm.h"

/*
 * The decode stage of one RX lcore, after L2-L4: dispatches each datagram
 * by its UDP port to GTP-C (which writes the session directory), GTP-U
 * (attributed to a subscriber through the directory) or SIP, and emits
 * events to the workers. It sees bytes, never mbufs: rx.c hands it whole
 * frames (linearized, reassembled).
 */
struct cs_decode_ports {
	uint16_t gtpc; /* 2123 */
	uint16_t gtpu; /* 2152 */
	uint16_t sip;  /* 5060 */
};

/* A G-PDU waiting for its batch's directory lookup. */
struct cs_gtpu_pending {
	const uint8_t *gtp; /* the GTP-U header, in the frame */
	struct cs_gtpu_msg m;
	struct cs_fteid key;
	uint64_t ts;
};

enum { CS_GTPU_BATCH = 32 };

struct cs_decode_ctx {
	struct cs_decode_ports ports;
	struct cs_session_dir *dir;
	unsigned int dir_reader; /* this lcore's RCU reader id */
	struct cs_gtpc_tracker *gtpc; /* non-NULL on the lcore that owns GTP-C (the directory writer) */
	struct cs_sip_tracker *sip;
	struct cs_tcp_reasm *tcp; /* SIP over TCP */
	struct cs_emitter emit;
	struct cs_decode_stats st;
	unsigned int ngtpu;
	struct cs_gtpu_pending gtpu[CS_GTPU_BATCH];
};

/*
 * One frame whose L2-L4 decode (l) succeeded and is not a fragment.
 *
 * G-PDUs are batched (CS_GTPU_BATCH) so their directory lookups go in
 * bulk: the frame's bytes must stay valid until cs_decode_flush(), which
 * runs when a batch fills, before any other kind of frame (so events keep
 * the frames' order) and at the end of every burst.
 */
void cs_decode_dispatch(struct cs_decode_ctx *c, const uint8_t *frame, const struct cs_l2l4 *l, uint64_t ts_ns);

/* Finishes the batched G-PDUs: after it, no frame given to dispatch is referenced. */
void cs_decode_flush(struct cs_decode_ctx *c);

/* Once per burst (after cs_decode_flush): RCU quiescent state, and event-time housekeeping. */
void cs_decode_end_of_burst(struct cs_decode_ctx *c, uint64_t now_ns);

/* End of input: what is still in progress (calls) is reported now. */
void cs_decode_end_of_input(struct cs_decode_ctx *c, uint64_t now_ns);

#endif
