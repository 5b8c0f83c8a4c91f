/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ENCODE_SIP_H
#define CS_ENCODE_SIP_H

#include <stddef.h>

/* One SIP dialog between two IMS users, as seen between P-CSCF and S-CSCF. */
struct cs_gen_sip_dialog {
	const char *caller;  /* MSISDN digits */
	const char *callee;  /* MSISDN digits */
	const char *call_id;
	const char *domain;  /* e.g. "ims.mnc001.mcc001.3gppnetwork.org" */
	const char *from_tag;
	const char *to_tag;
};

enum cs_gen_sip_msg { CS_SIP_INVITE, CS_SIP_INVITE_200, CS_SIP_BYE, CS_SIP_BYE_200 };

/* Writes one message of the dialog (RFC 3261 text). Returns its length or 0. */
size_t cs_encode_sip(char *out, size_t cap, const struct cs_gen_sip_dialog *d, enum cs_gen_sip_msg which);

#endif
