/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ENCODE_SMS_H
#define CS_ENCODE_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encode.h"

/*
 * Short messages as IMS carries them in the body of a SIP MESSAGE
 * (TS 24.341): an RP-DATA (TS 24.011 7.3.1) holding the TPDU (TS 23.040
 * 9.2.2). The generator writes the two that carry a message: the one a
 * phone submits (MO) and the one the network delivers to it (MT).
 *
 *   MO: RP-DATA MS -> network, TP-SUBMIT     MT: RP-DATA network -> MS, TP-DELIVER
 *   00        RP-MTI 000                     01        RP-MTI 001
 *   mr        RP-MR                          mr        RP-MR
 *   00        RP-OA: empty                   n 91 ..   RP-OA: the SMSC
 *   n 91 ..   RP-DA: the SMSC                00        RP-DA: empty
 *   len       RP-UD length                   len       RP-UD length
 *   11        SUBMIT, VPF relative           04        DELIVER, MMS (no more messages)
 *   mr        TP-MR                          d 91 ..   TP-OA numeric (d: digits), or
 *   d 91 ..   TP-DA (d: digits)              s d0 ..   alphanumeric (s: semi-octets)
 *   00 00     TP-PID, TP-DCS GSM 7-bit       00 00     TP-PID, TP-DCS GSM 7-bit
 *   vp        TP-VP relative                 7 octets  TP-SCTS
 *   udl ..    TP-UDL (septets), TP-UD        udl ..    TP-UDL (septets), TP-UD
 *
 * Numbers are E.164 digits written as international (type of address
 * 0x91: ext 1, TON 001, NPI 0001) in TBCD; text is GSM 7-bit packed.
 * dataplane/decode_sms.h reads both, field by field.
 */

/*
 * The GSM 7-bit default alphabet (TS 23.038 6.2.1) code of an ASCII
 * character, or -1 for one it lacks. Letters, digits, space and
 * !"#%&'()*+,-./:;<=>? keep their ASCII code; '@' is 0x00, '$' 0x02,
 * '_' 0x11, LF 0x0a, CR 0x0d. The characters only the extension table
 * has ([]{}\^~|) and the backquote are refused: the generator writes
 * neither.
 */
int cs_gsm7_septet(char c);

/*
 * Packs text as GSM 7-bit septets (TS 23.038 6.1.2.1.1): septet i at bit
 * 7i, least significant bit first, the last octet's spare bits zero.
 * Returns the number of septets written, or -1 (and b marked overflowed)
 * when a character is outside the alphabet.
 */
int cs_buf_gsm7(struct cs_buf *b, const char *text);

/* TS 23.040 9.2.3.11, in the sender's local time; tz_quarters its offset from UTC, -79..79. */
struct cs_gen_sms_time {
	uint8_t year; /* 0-99 */
	uint8_t month, day, hour, minute, second;
	int8_t tz_quarters;
};

/* The service centre time stamp of an event time (ns since 1970), in UTC (tz_quarters 0). */
struct cs_gen_sms_time cs_gen_sms_time_utc(uint64_t ts_ns);

/* An MO message: what the phone submits to its SMSC. */
struct cs_gen_sms_submit {
	const char *smsc;      /* RP-DA: E.164 digits, 1-20 */
	const char *recipient; /* TP-DA: E.164 digits, 1-20 */
	const char *text;      /* TP-UD: at most 160 characters of the default alphabet */
	uint8_t rp_mr, tp_mr;
	uint8_t validity;      /* TP-VP, relative (TS 23.040 9.2.3.12.1): 167 is 24 hours */
};

/*
 * An MT message: what the SMSC delivers to the phone. A sender is a
 * number, or, for a bank or a verification-code service, a name of at
 * most 11 characters (TON 101, TS 23.040 9.1.2.5).
 */
struct cs_gen_sms_deliver {
	const char *smsc;   /* RP-OA: E.164 digits, 1-20 */
	const char *sender; /* TP-OA: E.164 digits (1-20), or the name when alphanumeric */
	bool alphanumeric;
	const char *text;   /* TP-UD: at most 160 characters of the default alphabet */
	uint8_t rp_mr;
	struct cs_gen_sms_time scts;
};

/* RP-DATA MS -> network with a TP-SUBMIT. Returns its length, or 0 if it does not fit or a field is invalid. */
size_t cs_encode_sms_submit(uint8_t *out, size_t cap, const struct cs_gen_sms_submit *m);

/* RP-DATA network -> MS with a TP-DELIVER. Returns its length, or 0 if it does not fit or a field is invalid. */
size_t cs_encode_sms_deliver(uint8_t *out, size_t cap, const struct cs_gen_sms_deliver *m);

#endif
