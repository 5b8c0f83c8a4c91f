/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SMS_REASONS_H
#define CS_DECODE_SMS_REASONS_H

/*
 * Why the sms decoder refuses input; see decode_reason.h.
 *
 *   truncated        the input ends inside the RP message, or before the
 *                    RP-User-Data its length announces
 *   bad_rp_mti       RP message type 111 (reserved, TS 24.011 8.2.2)
 *   bad_rp_address   an RP address longer than 11 octets
 *   bad_rp_cause     an RP-Cause of 0 or more than 2 octets
 *   bad_rp_ie        after RP-ACK / RP-ERROR's fields, an element other than RP-User-Data
 *   tp_truncated     the TPDU (as long as RP says) ends before a TP field, or
 *                    before the TP-UD its TP-UDL announces
 *   bad_tp_mti       TP-MTI 11 (reserved), or a TPDU that does not travel
 *                    that way in that RP message (a report in RP-DATA, ...)
 *   bad_tp_address   a TP address of more than 20 semi-octets
 *   bad_tp_udl       TP-UDL above 160 septets or 140 octets
 */
#define CS_SMS_REASONS(X) \
	X(SMS, TRUNCATED, "sms.truncated") \
	X(SMS, BAD_RP_MTI, "sms.bad_rp_mti") \
	X(SMS, BAD_RP_ADDRESS, "sms.bad_rp_address") \
	X(SMS, BAD_RP_CAUSE, "sms.bad_rp_cause") \
	X(SMS, BAD_RP_IE, "sms.bad_rp_ie") \
	X(SMS, TP_TRUNCATED, "sms.tp_truncated") \
	X(SMS, BAD_TP_MTI, "sms.bad_tp_mti") \
	X(SMS, BAD_TP_ADDRESS, "sms.bad_tp_address") \
	X(SMS, BAD_TP_UDL, "sms.bad_tp_udl")

#endif
