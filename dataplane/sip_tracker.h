/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SIP_TRACKER_H
#define CS_SIP_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "decode_l2l4.h"
#include "decode_sip.h"
#include "decode_stats.h"
#include "e164.h"
#include "emit.h"
#include "session_dir.h"

/*
 * SIP state of a decode lcore: the calls in progress, as a probe sees
 * them between P-CSCF and S-CSCF (or on the IMS bearer inside GTP-U), and
 * the SMS carried in MESSAGE requests. A call ends in one record:
 *
 *   INVITE --(180/183)--> ringing --(2xx)--> answered --BYE--> ANSWERED
 *          \--(3xx-6xx)--> REJECTED        \--no BYE before the limit--> ABANDONED
 *          \--CANCEL ... 487--> CANCELLED
 *          \--no final response before the setup timeout--> TIMEOUT
 *
 * The caller is P-Asserted-Identity (else From), the callee the
 * Request-URI (else To), both normalised to E.164. The caller's IMSI
 * comes from the IMS bearer it travelled on, an IMS private identity, or
 * the session directory's MSISDN -> IMSI map. Timeouts run in event time.
 */
struct cs_sip_tracker_conf {
	uint32_t calls;             /* calls in progress remembered */
	uint64_t setup_timeout_ns;  /* INVITE without a final response */
	uint64_t max_call_ns;       /* answered call without BYE */
	struct cs_e164_conf numbers;
	int socket_id;
	unsigned int id;            /* one tracker per RX lcore: names its tables */
};

struct cs_sip_tracker;

struct cs_sip_tracker *cs_sip_tracker_create(const struct cs_sip_tracker_conf *conf, char *err, size_t errlen);
void cs_sip_tracker_free(struct cs_sip_tracker *t);

/*
 * One SIP datagram (UDP payload). bearer_imsi is the subscriber whose
 * GTP-U bearer carried it (CS_DIGITS_NONE outside GTP-U); transport is
 * an enum cs_transport.
 */
void cs_sip_datagram(struct cs_sip_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len,
		     cs_digits bearer_imsi, uint8_t transport, uint64_t ts_ns, struct cs_session_dir *dir,
		     struct cs_emitter *out, struct cs_decode_stats *st);

/* The same for a message already decoded (SIP over TCP, out of the reassembler). */
void cs_sip_decoded(struct cs_sip_tracker *t, const struct cs_l2l4 *l, const struct cs_sip_msg *m,
		    cs_digits bearer_imsi, uint8_t transport, uint64_t ts_ns, struct cs_session_dir *dir,
		    struct cs_emitter *out, struct cs_decode_stats *st);

/* Event-time housekeeping, a bounded slice per call: call timeouts. */
void cs_sip_tick(struct cs_sip_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st);

/* End of input: every call still in progress ends now (timeout or abandoned). */
void cs_sip_flush(struct cs_sip_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st);

#endif
