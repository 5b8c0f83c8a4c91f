/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>

#include "digits.h"

static const char *ascii(cs_digits d)
{
	static char buf[CS_DIGITS_STR];

	cs_digits_to_ascii(d, buf);
	return buf;
}

Test(digits, ascii_round_trip_keeps_leading_zeros)
{
	cr_expect_eq(cs_digits_from_ascii("00101", 5), 0x00101fffffffffffull);
	cr_expect_str_eq(ascii(cs_digits_from_ascii("001010001000000", 15)), "001010001000000");
	cr_expect_str_eq(ascii(cs_digits_from_ascii("3533251082246541", 16)), "3533251082246541");
	cr_expect_eq(cs_digits_len(cs_digits_from_ascii("0", 1)), 1);
	cr_expect_eq(cs_digits_len(CS_DIGITS_NONE), 0);
	cr_expect_str_eq(ascii(CS_DIGITS_NONE), "");
}

Test(digits, ascii_rejects_non_digits_and_lengths)
{
	cr_expect_eq(cs_digits_from_ascii("12a4", 4), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_ascii("", 0), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_ascii("12345678901234567", 17), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_ascii("+123", 4), CS_DIGITS_NONE);
}

Test(digits, tbcd_low_nibble_first_with_filler)
{
	/* IMSI 460004100000101 as TS 29.060 carries it (zeek-gtp_create_pdp_ctx frame 2) */
	const uint8_t imsi[] = { 0x64, 0x00, 0x40, 0x01, 0x00, 0x00, 0x01, 0xf1 };
	const uint8_t even[] = { 0x21, 0x43 };

	cr_expect_str_eq(ascii(cs_digits_from_tbcd(imsi, sizeof(imsi))), "460004100000101");
	cr_expect_str_eq(ascii(cs_digits_from_tbcd(even, sizeof(even))), "1234");
}

Test(digits, tbcd_rejects_bad_nibbles)
{
	const uint8_t bad_low[] = { 0x2a };
	const uint8_t early_filler[] = { 0xf1, 0x21 };
	const uint8_t bad_high[] = { 0xc1 };
	const uint8_t too_long[9] = { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0xf1 };

	cr_expect_eq(cs_digits_from_tbcd(bad_low, 1), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_tbcd(early_filler, 2), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_tbcd(bad_high, 1), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_tbcd(too_long, 9), CS_DIGITS_NONE);
	cr_expect_eq(cs_digits_from_tbcd(too_long, 0), CS_DIGITS_NONE);
}
