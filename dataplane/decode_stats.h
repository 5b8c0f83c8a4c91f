/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_STATS_H
#define CS_DECODE_STATS_H

#include <stdint.h>

#include "decode_reason.h"

/*
 * What one RX/decode lcore counted. Written by that lcore only, summed
 * when read (stats.json, metrics). Counters are declared once here and
 * expanded into the struct and the names stats.json shows.
 */
#define CS_DECODE_COUNTERS(X)                                                        \
	X(frames)              /* frames received */                                \
	X(wire_bytes)          /* their bytes */                                     \
	X(linearized)          /* multi-segment frames copied to decode them */      \
	X(fragments)           /* IP fragments handed to reassembly */              \
	X(reassembled)         /* datagrams reassembled from them */                 \
	X(gtpc_handed_off)     /* GTP-C frames passed to RX lcore 0, the directory's writer */ \
	X(gtpc_handoff_drops)  /* ... lost because its ring was full */             \
	X(gtpv2c_messages)     /* GTPv2-C messages decoded (piggybacked ones too) */ \
	X(gtpv1c_messages)                                                           \
	X(gtpc_unmatched_responses) /* a response whose request was never seen */    \
	X(gtpc_rejected)       /* responses whose cause refused the request */      \
	X(gtpc_unknown_session) /* requests naming a TEID the directory lacks */     \
	X(gtpc_transactions_overwritten) /* pending requests pushed out unanswered */ \
	X(gtpu_gpdu)                                                                 \
	X(gtpu_echo)                                                                 \
	X(gtpu_error_indication)                                                     \
	X(gtpu_end_marker)                                                           \
	X(gtpu_other)                                                                \
	X(gtpu_teid_hits)      /* G-PDUs attributed to a subscriber */               \
	X(gtpu_teid_misses)    /* G-PDUs of TEIDs no signalling announced */         \
	X(sip_messages)                                                              \
	X(msisdn_hits)         /* SIP parties whose MSISDN the directory resolved to an IMSI */ \
	X(msisdn_misses)       /* ... and those it did not know */                  \
	X(sip_calls_refused)   /* INVITEs not tracked: the call table was full */    \
	X(sip_calls_timed_out) /* calls ended by a timeout, not by signalling */     \
	X(sms_messages)                                                              \
	X(sms_retransmissions) /* MESSAGE copies resent over UDP: not counted again */ \
	X(sessions_opened)                                                           \
	X(sessions_closed)                                                           \
	X(sessions_expired)                                                          \
	X(sessions_evicted)                                                          \
	X(events)              /* messages handed to workers */                      \
	X(ring_full_waits)     /* times a full worker ring made decode wait (replay) */ \
	X(events_dropped)      /* messages lost to a full ring (live mode) */

struct cs_decode_stats {
#define CS_COUNTER_FIELD(name) uint64_t name;
	CS_DECODE_COUNTERS(CS_COUNTER_FIELD)
#undef CS_COUNTER_FIELD
	uint64_t rejected[CS_R_COUNT]; /* by reason */
};

#endif
