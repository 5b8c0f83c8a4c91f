/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV1C_REASONS_H
#define CS_DECODE_GTPV1C_REASONS_H

/*
 * Why the GTPv1-C decoder refuses a message; see decode_reason.h.
 *   truncated: the bytes end before the header, or before the end that the
 *     header's length field declares (a snapped or cut datagram);
 *   bad_version: not version 1 (GTPv0 on 3386, GTPv2-C sharing port 2123);
 *   gtp_prime: version 1 with PT = 0, the charging protocol (TS 32.295);
 *   bad_length: E, S or PN set but the length leaves no room for the
 *     4 optional octets;
 *   ext_header_bad_length: an extension header of length 0, or one that
 *     runs past the end of the message;
 *   unknown_tv_ie: a TV type whose fixed length we do not know, so the
 *     rest of the message cannot be parsed;
 *   ie_overrun: an IE runs past the end of the message;
 *   ie_bad_length: an IE we decode has a length its type does not allow;
 *   bad_imsi / bad_msisdn / bad_imeisv: digits that are not TBCD;
 *   bad_apn: labels that do not tile the APN IE;
 *   bad_plmn: MCC/MNC nibbles that are not decimal digits.
 */
#define CS_GTPV1C_REASONS(X) \
	X(GTPV1C, TRUNCATED, "gtpv1c.truncated") \
	X(GTPV1C, BAD_VERSION, "gtpv1c.bad_version") \
	X(GTPV1C, GTP_PRIME, "gtpv1c.gtp_prime") \
	X(GTPV1C, BAD_LENGTH, "gtpv1c.bad_length") \
	X(GTPV1C, EXT_HEADER_BAD_LENGTH, "gtpv1c.ext_header_bad_length") \
	X(GTPV1C, UNKNOWN_TV_IE, "gtpv1c.unknown_tv_ie") \
	X(GTPV1C, IE_OVERRUN, "gtpv1c.ie_overrun") \
	X(GTPV1C, IE_BAD_LENGTH, "gtpv1c.ie_bad_length") \
	X(GTPV1C, BAD_IMSI, "gtpv1c.bad_imsi") \
	X(GTPV1C, BAD_MSISDN, "gtpv1c.bad_msisdn") \
	X(GTPV1C, BAD_IMEISV, "gtpv1c.bad_imeisv") \
	X(GTPV1C, BAD_APN, "gtpv1c.bad_apn") \
	X(GTPV1C, BAD_PLMN, "gtpv1c.bad_plmn")

#endif
