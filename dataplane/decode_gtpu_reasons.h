/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPU_REASONS_H
#define CS_DECODE_GTPU_REASONS_H

/* Why the GTP-U decoder refuses a packet; see decode_reason.h. */
#define CS_GTPU_REASONS(X) \
	X(GTPU, TRUNCATED, "gtpu.truncated")

#endif
