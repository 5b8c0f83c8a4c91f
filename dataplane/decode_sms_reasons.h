/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SMS_REASONS_H
#define CS_DECODE_SMS_REASONS_H

/* Why the sms decoder refuses input; see decode_reason.h. */
#define CS_SMS_REASONS(X) \
	X(SMS, TRUNCATED, "sms.truncated")

#endif
