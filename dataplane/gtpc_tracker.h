/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GTPC_TRACKER_H
#define CS_GTPC_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "decode_gtpv2c.h"
#include "decode_l2l4.h"
#include "decode_stats.h"
#include "emit.h"
#include "session_dir.h"

/*
 * GTP-C state of the decode stage: matches requests to responses and
 * turns accepted transactions into session directory changes and
 * session events for the workers.
 *
 *   create (Create Session / Create PDP Context): remembered; on an
 *     accepted response the session is created with its control and
 *     user-plane F-TEIDs and UE address, and an OPEN event goes out
 *   modify (Modify Bearer, Create/Update Bearer, Update PDP Context):
 *     F-TEIDs added, location updated; UPDATE
 *   delete (Delete Session / Delete PDP Context): CLOSE, session deleted
 *
 * gtpc_v2.c and gtpc_v1.c hold each version's message handling.
 * A request and its response are matched by sequence number and the
 * address pair, the way a GTP-C node matches them (TS 29.274 7.6); a
 * request to an existing session finds it by its header TEID at the
 * receiver's address. The tracker is the directory's only writer, so it
 * runs on one lcore.
 */
struct cs_gtpc_tracker;

struct cs_gtpc_tracker_conf {
	uint32_t transactions;    /* pending requests remembered (power of two) */
	uint64_t response_timeout_ns; /* a request older than this is forgotten */
	uint64_t idle_timeout_ns; /* sessions with no signalling for this long expire */
	uint8_t block_suffix_digits; /* an MSISDN's number block is all but its last this many digits (1..4) */
	int socket_id;
};

struct cs_gtpc_tracker *cs_gtpc_tracker_create(const struct cs_gtpc_tracker_conf *conf, struct cs_session_dir *dir,
					       char *err, size_t errlen);
void cs_gtpc_tracker_free(struct cs_gtpc_tracker *t);

/* One GTPv1-C UDP payload. */
void cs_gtpc_v1(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len, uint64_t ts_ns,
		struct cs_emitter *out, struct cs_decode_stats *st);

/* One GTPv2-C UDP payload (with its piggybacked message, if any). */
void cs_gtpc_v2(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len, uint64_t ts_ns,
		struct cs_emitter *out, struct cs_decode_stats *st);

/* Event-time housekeeping, a bounded slice per call: idle expiry. */
void cs_gtpc_tick(struct cs_gtpc_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st);

#endif
