/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_TCP_REASONS_H
#define CS_DECODE_TCP_REASONS_H

/*
 * Why TCP reassembly (tcp_reasm.h) drops a SIP message; see decode_reason.h.
 * Each counts one message, whole or begun:
 *
 *   no_content_length    a message without Content-Length: a stream cannot
 *                        be framed without it (RFC 3261 20.14); resynchronise
 *   message_too_large    longer than the flow's buffer; its known remainder
 *                        is skipped, or, when even its header section does
 *                        not fit, the stream resynchronises
 *   message_cut_by_gap   the unfinished message buffered when a segment
 *                        arrived past a gap (one was lost before the probe)
 *   message_unfinished   the unfinished message buffered when its flow
 *                        closed, expired, was evicted or restarted by a SYN
 *
 * Messages the SIP decoder refuses are counted under its reasons (sip.*).
 */
#define CS_TCP_REASONS(X) \
	X(TCP, NO_CONTENT_LENGTH, "tcp.no_content_length") \
	X(TCP, MESSAGE_TOO_LARGE, "tcp.message_too_large") \
	X(TCP, MESSAGE_CUT_BY_GAP, "tcp.message_cut_by_gap") \
	X(TCP, MESSAGE_UNFINISHED, "tcp.message_unfinished")

#endif
