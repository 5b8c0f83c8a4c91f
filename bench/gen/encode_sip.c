/* SPDX-License-Identifier: Apache-2.0 */
#include "encode_sip.h"

#include <stdio.h>
#include <string.h>

size_t cs_encode_sip(char *out, size_t cap, const struct cs_gen_sip_dialog *d, enum cs_gen_sip_msg which)
{
	static const struct {
		const char *start; /* request method, or the status of a response */
		int is_request;
		const char *cseq;
		int with_to_tag;
		int with_sms;
	} msgs[] = {
		[CS_SIP_INVITE] = { "INVITE", 1, "1 INVITE", 0, 0 },
		[CS_SIP_INVITE_200] = { "200 OK", 0, "1 INVITE", 1, 0 },
		[CS_SIP_BYE] = { "BYE", 1, "2 BYE", 1, 0 },
		[CS_SIP_BYE_200] = { "200 OK", 0, "2 BYE", 1, 0 },
		[CS_SIP_MESSAGE] = { "MESSAGE", 1, "1 MESSAGE", 0, 1 },
		[CS_SIP_MESSAGE_200] = { "200 OK", 0, "1 MESSAGE", 1, 0 },
		[CS_SIP_INVITE_180] = { "180 Ringing", 0, "1 INVITE", 1, 0 },
		[CS_SIP_INVITE_486] = { "486 Busy Here", 0, "1 INVITE", 1, 0 },
		[CS_SIP_INVITE_487] = { "487 Request Terminated", 0, "1 INVITE", 1, 0 },
		[CS_SIP_ACK] = { "ACK", 1, "1 ACK", 1, 0 },
		[CS_SIP_CANCEL] = { "CANCEL", 1, "1 CANCEL", 0, 0 }, /* no To tag: it names the INVITE as sent */
		[CS_SIP_CANCEL_200] = { "200 OK", 0, "1 CANCEL", 0, 0 },
	};
	char start_line[160], to_tag[48] = "";
	size_t body_len = msgs[which].with_sms ? d->sms_len : 0;
	int n;

	if (msgs[which].is_request)
		snprintf(start_line, sizeof(start_line), "%s tel:+%s SIP/2.0", msgs[which].start, d->callee);
	else
		snprintf(start_line, sizeof(start_line), "SIP/2.0 %s", msgs[which].start);
	if (msgs[which].with_to_tag)
		snprintf(to_tag, sizeof(to_tag), ";tag=%s", d->to_tag);

	n = snprintf(out, cap,
		     "%s\r\n"
		     "Via: SIP/2.0/UDP pcscf.%s:5060;branch=z9hG4bK%s%d\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:+%s@%s;user=phone>;tag=%s\r\n"
		     "To: <tel:+%s>%s\r\n"
		     "Call-ID: %s\r\n"
		     "CSeq: %s\r\n"
		     "P-Asserted-Identity: <sip:+%s@%s;user=phone>\r\n"
		     "%s"
		     "Content-Length: %zu\r\n"
		     "\r\n",
		     start_line, d->domain, d->call_id, (int)which, d->caller, d->domain, d->from_tag, d->callee,
		     to_tag, d->call_id, msgs[which].cseq, d->caller, d->domain,
		     msgs[which].with_sms ? "Content-Type: application/vnd.3gpp.sms\r\n" : "", body_len);
	if (n < 0 || (size_t)n + body_len >= cap)
		return 0;
	if (body_len > 0)
		memcpy(out + n, d->sms, body_len);
	return (size_t)n + body_len;
}
