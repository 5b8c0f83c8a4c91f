/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV2C_REASONS_H
#define CS_DECODE_GTPV2C_REASONS_H

/* Why the GTPv2-C decoder refuses a message; see decode_reason.h. */
#define CS_GTPV2C_REASONS(X) \
	X(GTPV2C, TRUNCATED, "gtpv2c.truncated") \
	X(GTPV2C, BAD_VERSION, "gtpv2c.bad_version") \
	X(GTPV2C, BAD_LENGTH, "gtpv2c.bad_length") \
	X(GTPV2C, IE_OVERRUN, "gtpv2c.ie_overrun") \
	X(GTPV2C, IE_TOO_SHORT, "gtpv2c.ie_too_short") \
	X(GTPV2C, BAD_IMSI, "gtpv2c.bad_imsi") \
	X(GTPV2C, BAD_MSISDN, "gtpv2c.bad_msisdn") \
	X(GTPV2C, BAD_MEI, "gtpv2c.bad_mei") \
	X(GTPV2C, BAD_APN, "gtpv2c.bad_apn") \
	X(GTPV2C, BAD_PLMN, "gtpv2c.bad_plmn") \
	X(GTPV2C, NESTING_TOO_DEEP, "gtpv2c.nesting_too_deep") \
	X(GTPV2C, TOO_MANY_BEARERS, "gtpv2c.too_many_bearers") \
	X(GTPV2C, TOO_MANY_FTEIDS, "gtpv2c.too_many_fteids")

#endif
