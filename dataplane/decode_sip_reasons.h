/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SIP_REASONS_H
#define CS_DECODE_SIP_REASONS_H

/* Why the sip decoder refuses input; see decode_reason.h. */
#define CS_SIP_REASONS(X) \
	X(SIP, TRUNCATED, "sip.truncated")

#endif
