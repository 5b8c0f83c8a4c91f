/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GTPC_TRACKER_INTERNAL_H
#define CS_GTPC_TRACKER_INTERNAL_H

/*
 * Shared by the GTP-C tracker's common part (gtpc_tracker.c) and its two
 * protocol versions (gtpc_v2.c, gtpc_v1.c): the pending requests, and
 * the session directory changes and events both versions make.
 */
#include "decode_gtpv1c.h"
#include "decode_gtpv2c.h"
#include "gtpc_tracker.h"
#include "sweep.h"

/* A request waiting for its response. */
struct pending {
	uint8_t used;
	uint8_t version; /* GTP 1 or 2: their sequence numbers are separate spaces */
	uint8_t type;
	uint8_t has_sender;
	uint8_t has_user;
	uint8_t closes_session; /* Delete Session / Delete PDP Context, or Delete Bearer of the linked bearer */
	uint8_t ebi;            /* GTPv1: the NSAPI of the PDP context */
	uint32_t seq;
	struct cs_ip_addr req_src, req_dst;
	uint64_t ts_ns;
	int64_t session;      /* directory index the request named, -1 for a create */
	uint64_t session_ref; /* and which session it held then */
	struct cs_fteid sender;      /* the requester's control F-TEID */
	struct cs_fteid user;        /* GTPv1: the requester's user-plane F-TEID (SGSN, downlink) */
	struct cs_session_info info; /* a create request: the identity it announced */
};

struct cs_gtpc_tracker {
	struct cs_session_dir *dir;
	struct pending *pending;
	uint32_t mask;
	uint64_t response_timeout_ns;
	uint64_t idle_timeout_ns;
	uint8_t block_suffix_digits;
	struct cs_sweep expiry;
	/* decode scratch: a GTPv2-C message is ~3 KB, too big for the stack */
	struct cs_gtpv2c_msg msg;
	struct cs_gtpv1c_msg msg1;
};

/* Remembers the request in msg-independent terms; overwrites (and counts) an unanswered one. */
struct pending *cs_gtpc_remember(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint8_t version, uint8_t type,
				 uint32_t seq, uint64_t ts, struct cs_decode_stats *st);

/* The request a response answers: same version and sequence number, addresses swapped. */
struct pending *cs_gtpc_answered(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint8_t version, uint8_t type,
				 uint32_t seq, uint64_t ts);

/* The session an existing-session request names: its header TEID at the receiver's address. */
int64_t cs_gtpc_session_of(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint32_t teid,
			   struct pending *p, struct cs_decode_stats *st);

/* A request about to be answered still names the session it named (not evicted or expired meanwhile). */
int cs_gtpc_still_same(struct cs_gtpc_tracker *t, const struct pending *p);

/* Creates the session p announced (evicting if full, with a CLOSE event for the victim). Index or -1. */
int64_t cs_gtpc_open(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
		     struct cs_decode_stats *st);

void cs_gtpc_emit_session(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_change change,
			  enum cs_session_close why, uint64_t ts, struct cs_emitter *out, struct cs_decode_stats *st);
void cs_gtpc_close(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_close why, uint64_t ts,
		   struct cs_emitter *out, struct cs_decode_stats *st);

void cs_gtpc_ipv4(struct cs_ip_addr *a, uint32_t host_order);

#endif
