/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DIGITS_H
#define CS_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Subscriber identities (IMSI, MSISDN, IMEI, IMEISV, E.164 numbers) as one
 * 64-bit value: up to 16 decimal digits, one per nibble, the first digit in
 * the most significant nibble, unused nibbles 0xF. Leading zeros survive
 * (test IMSIs start "001"), the length is implied, the value hashes and
 * compares as an integer, and it fits in events without pointers.
 *
 *   "00101" -> 0x00101FFFFFFFFFFF
 *   no identity -> CS_DIGITS_NONE (all nibbles 0xF)
 */
typedef uint64_t cs_digits;

#define CS_DIGITS_NONE UINT64_MAX
enum { CS_DIGITS_MAX = 16, CS_DIGITS_STR = CS_DIGITS_MAX + 1 };

/* Packs n ASCII digits. Returns CS_DIGITS_NONE if n is 0 or > 16 or a byte is not a digit. */
cs_digits cs_digits_from_ascii(const char *s, size_t n);

/*
 * Packs 3GPP TBCD (TS 29.274 8.3, TS 29.060 7.7.2): two digits per byte,
 * low nibble first, 0xF as filler in the last high nibble. Returns
 * CS_DIGITS_NONE for an empty value, more than 16 digits, or a nibble
 * that is neither a digit nor the final filler.
 */
cs_digits cs_digits_from_tbcd(const uint8_t *p, size_t n);

/* Writes the digits as a NUL-terminated string; returns its length (0 for none). */
size_t cs_digits_to_ascii(cs_digits d, char out[CS_DIGITS_STR]);

/* Number of digits (0 for none). */
unsigned int cs_digits_len(cs_digits d);

#endif
