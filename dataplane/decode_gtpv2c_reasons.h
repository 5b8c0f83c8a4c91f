/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV2C_REASONS_H
#define CS_DECODE_GTPV2C_REASONS_H

/* Why the GTPv2-C decoder refuses a message; see decode_reason.h. */
#define CS_GTPV2C_REASONS(X) \
	X(GTPV2C, TRUNCATED, "gtpv2c.truncated")

#endif
