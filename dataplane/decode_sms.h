/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_SMS_H
#define CS_DECODE_SMS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode_reason.h"
#include "digits.h"
#include "e164.h"

/*
 * A short message as IMS carries it (TS 24.341: the body of a SIP MESSAGE
 * with Content-Type application/vnd.3gpp.sms): an RP message (TS 24.011
 * 7.3) whose RP-DATA holds the TPDU (TS 23.040 9.2.2) with the number that
 * matters: the recipient of an MO message, the sender of an MT one.
 *
 *   RP-DATA, MS -> network (MO)            RP-DATA, network -> MS (MT)
 *   00     RP-MTI 000                      01     RP-MTI 001
 *   2a     RP-MR                           2b     RP-MR
 *   00     RP-OA: empty                    08 91 .. RP-OA: the SMSC
 *   08 91 .. RP-DA: the SMSC               00     RP-DA: empty
 *   14     RP-UD length                    24     RP-UD length
 *   ..     TPDU: TP-SUBMIT                 ..     TPDU: TP-DELIVER
 *
 *   TP-SUBMIT (MTI 01)                     TP-DELIVER (MTI 00)
 *   11     MTI, RD, VPF, SRR, UDHI, RP     04     MTI, MMS, LP, SRI, UDHI, RP
 *   05     TP-MR                           0b d0 .. TP-OA: the sender
 *   0d 91 .. TP-DA: the recipient          00     TP-PID
 *   00     TP-PID                          00     TP-DCS
 *   00     TP-DCS                          62 10 50 80 00 00 23  TP-SCTS
 *   a7     TP-VP (0, 1 or 7 octets by VPF) 13     TP-UDL
 *   05     TP-UDL                          ..     TP-UD
 *   ..     TP-UD
 *
 * (tests/unit/test_decode_sms.c has both, octet by octet.)
 *
 * RP-ACK and RP-ERROR (RP-Cause, then an optional RP-User-Data IE 0x41
 * with a report TPDU) and RP-SMMA close or prompt the transfer; their TPDU
 * is named, not decoded. COMMAND and STATUS-REPORT TPDUs in an RP-DATA
 * are named too.
 */

/* TS 24.011 8.2.2; the low bit is the direction: 0 sent by the MS, 1 by the network. */
enum cs_rp_mti {
	CS_RP_DATA_MS_TO_NET = 0,
	CS_RP_DATA_NET_TO_MS = 1,
	CS_RP_ACK_MS_TO_NET = 2,
	CS_RP_ACK_NET_TO_MS = 3,
	CS_RP_ERROR_MS_TO_NET = 4,
	CS_RP_ERROR_NET_TO_MS = 5,
	CS_RP_SMMA_MS_TO_NET = 6,
};

/*
 * Which short message transfer an RP message belongs to: MO for the
 * RP-DATA an MS sends and the network's RP-ACK/RP-ERROR that answer it, MT
 * for the other three (RP-SMMA asks the network to resume MT delivery).
 */
enum cs_sms_direction {
	CS_SMS_MO = 0,
	CS_SMS_MT = 1,
};

/* The TPDU kind (TS 23.040 9.2.3.1: TP-MTI read with the RP direction). */
enum cs_tp_kind {
	CS_TP_NONE = 0, /* no TPDU: RP-SMMA, or RP-ACK/RP-ERROR without RP-User-Data */
	CS_TP_DELIVER,
	CS_TP_DELIVER_REPORT,
	CS_TP_SUBMIT,
	CS_TP_SUBMIT_REPORT,
	CS_TP_STATUS_REPORT,
	CS_TP_COMMAND,
};

/* TS 23.038 4: how TP-UD is coded, hence what TP-UDL counts. */
enum cs_sms_alphabet {
	CS_SMS_GSM7 = 0,   /* TP-UDL counts septets */
	CS_SMS_8BIT,       /* TP-UDL counts octets */
	CS_SMS_UCS2,       /* TP-UDL counts octets */
	CS_SMS_COMPRESSED, /* TS 23.042 compressed text of any alphabet: TP-UDL counts octets */
};

/* TS 23.040 9.2.3.12: what TP-VPF says TP-VP holds. */
enum cs_sms_vp_format {
	CS_SMS_VP_NONE = 0,
	CS_SMS_VP_ENHANCED = 1,
	CS_SMS_VP_RELATIVE = 2,
	CS_SMS_VP_ABSOLUTE = 3,
};

enum { CS_SMS_ADDR_TEXT = 21 };

/*
 * An RP address (TS 24.011 8.2.5.1-2) or TP address (TS 23.040 9.1.2.5).
 * text holds what the address says, NUL-terminated: its semi-octets as
 * '0'-'9', '*', '#', 'a'-'c' (at most 20), or, for an alphanumeric TP
 * address (TON 101, a bank's or service's name), its GSM 7-bit characters
 * in plain ASCII, '?' for those ASCII lacks (at most 11). number is the
 * E.164 form of a numeric address, CS_DIGITS_NONE otherwise.
 */
struct cs_sms_address {
	cs_digits number;
	uint8_t ton; /* type of number, 3 bits: 1 international, 2 national, 5 alphanumeric */
	uint8_t npi; /* numbering plan, 4 bits: 1 E.164 */
	uint8_t len; /* characters in text; 0 when the address is empty or absent */
	char text[CS_SMS_ADDR_TEXT];
};

/* TS 23.040 9.2.3.11 Service Centre Time Stamp; valid false when a semi-octet is not a digit. */
struct cs_sms_time {
	uint8_t year; /* 0-99 */
	uint8_t month, day, hour, minute, second;
	int8_t tz_quarters; /* offset from UTC in quarters of an hour, -79..79 */
	bool valid;
};

struct cs_sms {
	enum cs_rp_mti rp_mti;
	enum cs_sms_direction direction;
	uint8_t rp_mr;
	struct cs_sms_address rp_originator;  /* RP-DATA network -> MS: the SMSC */
	struct cs_sms_address rp_destination; /* RP-DATA MS -> network: the SMSC */
	uint8_t rp_cause;                     /* RP-ERROR (TS 24.011 8.2.5.4), else 0 */
	uint8_t rp_user_data_len;             /* octets of TPDU, 0 without one */

	enum cs_tp_kind tp_kind;
	/* TP-SUBMIT and TP-DELIVER only: */
	uint8_t tp_first_octet; /* MTI and flags as sent (RD/MMS, VPF, SRR/SRI, UDHI, RP) */
	uint8_t tp_mr;          /* TP-SUBMIT */
	/* TP-SUBMIT: the recipient (TP-DA); TP-DELIVER: the sender (TP-OA). */
	struct cs_sms_address tp_address;
	uint8_t tp_pid;
	uint8_t tp_dcs;
	enum cs_sms_alphabet alphabet;
	enum cs_sms_vp_format vp_format; /* TP-SUBMIT */
	uint8_t vp[7];                   /* TP-VP as sent, vp_format says how many octets */
	uint32_t vp_minutes;             /* a relative TP-VP as a duration (TS 23.040 9.2.3.12.1) */
	struct cs_sms_time scts;         /* TP-DELIVER */
	bool udhi;                       /* TP-UD starts with a user data header */
	uint8_t tp_udl;                  /* septets (GSM7) or octets */
	const uint8_t *tp_ud;            /* into the input */
	uint8_t tp_ud_len;               /* octets */
};

/*
 * Decodes one RP message at p[0..len), the TPDU of an RP-DATA included.
 * numbers (not NULL) turns numeric addresses into E.164. Returns CS_R_OK
 * with out filled, or the reason it refused the input (decode_sms_reasons.h);
 * out is then unspecified.
 */
enum cs_reason cs_decode_sms_rp(const uint8_t *p, uint32_t len, const struct cs_e164_conf *numbers,
				struct cs_sms *out);

#endif
