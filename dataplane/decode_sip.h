/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SIP_H
#define CS_DECODE_SIP_H

#include <stdbool.h>
#include <stdint.h>

#include "decode_reason.h"
#include "digits.h"
#include "e164.h"

/*
 * One SIP message (RFC 3261 7, IMS profile 3GPP TS 24.229), read from the
 * start of a UDP payload or of a TCP stream position:
 *
 *   [CRLF...]     keep-alives (RFC 5626 4.4.1) and stray line ends, skipped
 *   start line    INVITE tel:+8613800138000 SIP/2.0 CRLF         request
 *                 SIP/2.0 180 Ringing CRLF                        response
 *   headers       Name *WS ":" value CRLF       (case-insensitive names,
 *                 i: Call-ID  f: From  ...     compact forms, RFC 3261 7.3.3)
 *                 SP/HT continues the line above  (folding, RFC 3261 7.3.1)
 *   blank line    CRLF                     (bare LF accepted for every CRLF)
 *   body          Content-Length octets
 *
 *   <- skipped -><------------ header_len ------------><- content_length ->
 *   <------------------------------ msg_len ------------------------------>
 *
 * Only what a CDR and the subscriber's behaviour need is extracted; every
 * string is a span into the input, nothing is copied. Numbers (From, To,
 * P-Asserted-Identity, Request-URI) are normalised to E.164 with the
 * network's numbering conf, so "tel:+86...", "sip:0086...@..;user=phone"
 * and "sip:0138...@.." meet as one subscriber.
 *
 * On a TCP stream a message may not be all there yet. Two reasons mean
 * "wait for more bytes" (cs_sip_needs_more): sip.truncated (the blank line
 * has not arrived; out is not filled) and sip.body_truncated (the headers
 * are complete and out is filled, body aside: msg_len says how many bytes
 * the message needs). On UDP both mean the datagram is cut. Without a
 * Content-Length the body is the rest of the range (RFC 3261 18.3, UDP);
 * on TCP that header is mandatory, has_content_length tells.
 */

/* A run of bytes inside the decoded input; {NULL, 0} when absent. */
struct cs_sip_span {
	const char *p;
	uint32_t len;
};

enum cs_sip_method {
	CS_SIP_METHOD_OTHER = 0, /* a valid token we do not name; method_name has it */
	CS_SIP_METHOD_INVITE,
	CS_SIP_METHOD_ACK,
	CS_SIP_METHOD_BYE,
	CS_SIP_METHOD_CANCEL,
	CS_SIP_METHOD_MESSAGE,
	CS_SIP_METHOD_REGISTER,
	CS_SIP_METHOD_OPTIONS,
	CS_SIP_METHOD_PRACK,
	CS_SIP_METHOD_UPDATE,
	CS_SIP_METHOD_INFO,
	CS_SIP_METHOD_SUBSCRIBE,
	CS_SIP_METHOD_NOTIFY,
};

/* What the body is, from Content-Type; NONE when there is no body. */
enum cs_sip_body {
	CS_SIP_BODY_NONE = 0,
	CS_SIP_BODY_SDP,   /* application/sdp: a call's media */
	CS_SIP_BODY_SMS,   /* application/vnd.3gpp.sms: RP message, cs_decode_sms_rp (TS 24.341) */
	CS_SIP_BODY_OTHER,
};

/*
 * A party named by a URI: From, To, P-Asserted-Identity, Request-URI.
 * user is the user part as written: of sip:/sips: URIs up to "@" (without
 * a password), of tel: URIs the number up to its parameters; empty for
 * other schemes or a URI without a user part. number is its E.164 form
 * (cs_e164_normalise), CS_DIGITS_NONE when the user part is not a number.
 */
struct cs_sip_party {
	struct cs_sip_span user;
	cs_digits number;
};

struct cs_sip_msg {
	bool is_request;
	/*
	 * The request's method; for a response, the method of the request it
	 * answers (from CSeq), which is what matching a response needs.
	 */
	enum cs_sip_method method;
	struct cs_sip_span method_name; /* requests: as written */
	uint16_t status_code;           /* responses: 100-699; 0 for requests */
	struct cs_sip_party request_uri;
	struct cs_sip_party from, to;
	/* The first P-Asserted-Identity entry that is a number, else the first entry. */
	struct cs_sip_party asserted;
	struct cs_sip_span from_tag, to_tag;
	struct cs_sip_span call_id;
	uint32_t cseq;
	enum cs_sip_method cseq_method;
	/*
	 * IMSI of an IMS private identity "<imsi>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org"
	 * (TS 23.003 13.3) in the Authorization username, which REGISTER
	 * carries from the first attempt (TS 24.229 5.1.1.2.1); else NONE.
	 */
	cs_digits imsi;
	struct cs_sip_span content_type; /* the whole value, parameters included */
	enum cs_sip_body body_kind;
	bool has_content_length;
	uint32_t content_length;
	uint32_t skipped;    /* leading CR/LF bytes before the start line */
	uint32_t header_len; /* start line, headers and the blank line */
	uint32_t msg_len;    /* skipped + header_len + body: bytes this message takes from p */
	struct cs_sip_span body;
};

/*
 * Decodes the message at p[0..len). numbers (not NULL) says how the network
 * dials. Returns CS_R_OK with out filled, or the reason it refused the
 * input (see decode_sip_reasons.h). out is filled on CS_R_SIP_BODY_TRUNCATED
 * too, body excepted; on CS_R_SIP_KEEPALIVE (nothing but CR/LF) only
 * skipped and msg_len are, so a stream consumes them; on other reasons its
 * contents are unspecified.
 */
enum cs_reason cs_decode_sip(const uint8_t *p, uint32_t len, const struct cs_e164_conf *numbers,
			     struct cs_sip_msg *out);

/* True for the reasons that mean "the rest of the message has not arrived". */
static inline bool cs_sip_needs_more(enum cs_reason r)
{
	return r == CS_R_SIP_TRUNCATED || r == CS_R_SIP_BODY_TRUNCATED;
}

#endif
