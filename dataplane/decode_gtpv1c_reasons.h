/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV1C_REASONS_H
#define CS_DECODE_GTPV1C_REASONS_H

/* Why the gtpv1c decoder refuses input; see decode_reason.h. */
#define CS_GTPV1C_REASONS(X) \
	X(GTPV1C, TRUNCATED, "gtpv1c.truncated")

#endif
