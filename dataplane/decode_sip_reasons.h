/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SIP_REASONS_H
#define CS_DECODE_SIP_REASONS_H

/*
 * Why the sip decoder refuses input; see decode_reason.h.
 *
 *   truncated           no blank line yet: the header section is cut    } on a stream: wait
 *   body_truncated      headers whole, fewer bytes than Content-Length  } (cs_sip_needs_more)
 *   keepalive           nothing but CR/LF (RFC 5626 keep-alives), not a message
 *   not_sip             the first line is no SIP start line: binary junk, HTTP, another version
 *   bad_start_line      names SIP/2.0 but lacks a method token, a URI or its single spaces
 *   bad_status_code     a status line whose code is not three digits 100-699
 *   bad_header          a line without "name:", or a continuation with nothing to continue
 *   no_call_id          no non-empty Call-ID: nothing to key the dialog on
 *   no_cseq, bad_cseq   CSeq missing, or not "number method" with the number below 2^31
 *   bad_content_length  not 1-10 digits, past 4 GiB, or two that disagree
 */
#define CS_SIP_REASONS(X) \
	X(SIP, TRUNCATED, "sip.truncated") \
	X(SIP, BODY_TRUNCATED, "sip.body_truncated") \
	X(SIP, KEEPALIVE, "sip.keepalive") \
	X(SIP, NOT_SIP, "sip.not_sip") \
	X(SIP, BAD_START_LINE, "sip.bad_start_line") \
	X(SIP, BAD_STATUS_CODE, "sip.bad_status_code") \
	X(SIP, BAD_HEADER, "sip.bad_header") \
	X(SIP, NO_CALL_ID, "sip.no_call_id") \
	X(SIP, NO_CSEQ, "sip.no_cseq") \
	X(SIP, BAD_CSEQ, "sip.bad_cseq") \
	X(SIP, BAD_CONTENT_LENGTH, "sip.bad_content_length")

#endif
