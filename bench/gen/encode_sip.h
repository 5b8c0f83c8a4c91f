/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ENCODE_SIP_H
#define CS_ENCODE_SIP_H

#include <stddef.h>
#include <stdint.h>

/*
 * One SIP dialog between two IMS users, as seen between P-CSCF and S-CSCF,
 * or one SMS over IP (TS 24.341): a MESSAGE and its 200. An MO SMS goes
 * from the subscriber (caller) to its SMSC (callee, the Request-URI); an
 * MT SMS from the SMSC (caller) to the subscriber.
 */
struct cs_gen_sip_dialog {
	const char *caller;  /* MSISDN digits */
	const char *callee;  /* MSISDN digits */
	const char *call_id;
	const char *domain;  /* e.g. "ims.mnc001.mcc001.3gppnetwork.org" */
	const char *from_tag;
	const char *to_tag;
	const uint8_t *sms;  /* MESSAGE: its body, an RP message (encode_sms.h) */
	size_t sms_len;
};

/*
 * The messages of a dialog. A call that is answered: INVITE, 180, 200,
 * ACK, then BYE and its 200. One the callee refuses: INVITE, 180, 486,
 * ACK. One the caller gives up on: INVITE, 180, CANCEL, its 200, 487,
 * ACK (RFC 3261 9.1, 17.1.1.3). The first six keep their values: the
 * Via branch holds the value, and the generator's bytes must not move.
 */
enum cs_gen_sip_msg {
	CS_SIP_INVITE, CS_SIP_INVITE_200, CS_SIP_BYE, CS_SIP_BYE_200, CS_SIP_MESSAGE, CS_SIP_MESSAGE_200,
	CS_SIP_INVITE_180, CS_SIP_INVITE_486, CS_SIP_INVITE_487, CS_SIP_ACK, CS_SIP_CANCEL, CS_SIP_CANCEL_200,
};

/*
 * Writes one message of the dialog (RFC 3261 text; a MESSAGE carries the
 * RP message as its body, Content-Type application/vnd.3gpp.sms).
 * Returns its length or 0.
 */
size_t cs_encode_sip(char *out, size_t cap, const struct cs_gen_sip_dialog *d, enum cs_gen_sip_msg which);

#endif
