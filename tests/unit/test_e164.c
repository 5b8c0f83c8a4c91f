/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>

#include "e164.h"

static cs_digits norm(const char *s, const struct cs_e164_conf *c)
{
	return cs_e164_normalise(s, strlen(s), c);
}

#define expect_number(got, want)                                                    \
	do {                                                                        \
		char buf_[CS_DIGITS_STR];                                           \
		cs_digits_to_ascii((got), buf_);                                    \
		cr_expect_str_eq(buf_, (want), "%s: got '%s', want '%s'", #got, buf_, (want)); \
	} while (0)

static struct cs_e164_conf china(void)
{
	struct cs_e164_conf c;

	cr_assert_eq(cs_e164_conf_init(&c, "86", "0", "00"), 0);
	return c;
}

Test(e164, every_written_form_of_one_number_meets)
{
	struct cs_e164_conf c = china();

	expect_number(norm("+8613800138000", &c), "8613800138000");
	expect_number(norm("+86-138-0013-8000", &c), "8613800138000");
	expect_number(norm("+86 (138) 0013.8000", &c), "8613800138000");
	expect_number(norm("008613800138000", &c), "8613800138000");
	expect_number(norm("013800138000", &c), "8613800138000");
	expect_number(norm("8613800138000", &c), "8613800138000");
	expect_number(norm("+8613800138000;npdi;rn=+8613800000000", &c), "8613800138000");
	expect_number(norm("013800138000;phone-context=+86", &c), "8613800138000");
}

Test(e164, plain_digits_stay_as_they_are)
{
	struct cs_e164_conf c = china();

	/* short codes stay comparable; the rule takes plain digits as international */
	expect_number(norm("10086", &c), "10086");
	expect_number(norm("1", &c), "1");
	expect_number(norm("123456789012345", &c), "123456789012345");
	expect_number(norm("1234567890123456", &c), "");
}

Test(e164, nanp_prefixes)
{
	struct cs_e164_conf c;

	cr_assert_eq(cs_e164_conf_init(&c, "1", "1", "011"), 0);
	expect_number(norm("011442071234567", &c), "442071234567");
	expect_number(norm("1-201-555-0123", &c), "12015550123");
	expect_number(norm("+1 (201) 555-0123", &c), "12015550123");
}

Test(e164, default_conf_needs_a_country_code_for_national_numbers)
{
	struct cs_e164_conf c = cs_e164_conf_default();

	cr_expect_str_eq(c.country_code, "");
	cr_expect_str_eq(c.trunk_prefix, "0");
	cr_expect_str_eq(c.intl_prefix, "00");
	expect_number(norm("0097239287044", &c), "97239287044");
	expect_number(norm("+97239287044", &c), "97239287044");
	expect_number(norm("035104724", &c), "");
	expect_number(norm("35104724", &c), "35104724");
	expect_number(cs_e164_from_national("35104724", 8, &c), "");
}

Test(e164, from_national_prepends_the_country_code)
{
	struct cs_e164_conf c = china();

	expect_number(cs_e164_from_national("13912345678", 11, &c), "8613912345678");
	expect_number(cs_e164_from_national("", 0, &c), "");
	expect_number(cs_e164_from_national("1391234567890", 13, &c), "861391234567890"); /* 15 digits */
	expect_number(cs_e164_from_national("13912345678901", 14, &c), "");
	expect_number(cs_e164_from_national("139x", 4, &c), "");
}

Test(e164, not_numbers)
{
	struct cs_e164_conf c = china();

	expect_number(norm("", &c), "");
	expect_number(norm("+", &c), "");
	expect_number(norm("-.()", &c), "");
	expect_number(norm(";user=phone", &c), "");
	expect_number(norm("alice", &c), "");
	expect_number(norm("voi18063", &c), "");
	expect_number(norm("12a4", &c), "");
	expect_number(norm("*100#", &c), "");
	expect_number(norm("+86+138", &c), "");
	expect_number(norm("%2B8613800138000", &c), "");
	/* no country code starts with 0, whether written with + or the international prefix */
	expect_number(norm("+0086138", &c), "");
	expect_number(norm("000086138", &c), "");
	/* 16 digits after normalisation */
	expect_number(norm("+8613800138000123", &c), "");
	expect_number(norm("00861380013800012345", &c), "");
	expect_number(norm("0138001380001234", &c), "");
	/* just the prefix */
	expect_number(norm("00", &c), "");
	expect_number(norm("0", &c), "");
}

Test(e164, reads_only_n_bytes_and_survives_long_input)
{
	struct cs_e164_conf c = china();
	char digits[200];

	expect_number(cs_e164_normalise("+8613800138000999", 14, &c), "8613800138000");
	memset(digits, '1', sizeof(digits));
	expect_number(cs_e164_normalise(digits, sizeof(digits), &c), "");
	expect_number(cs_e164_normalise(NULL, 0, &c), "");
}

Test(e164, conf_init_validates)
{
	struct cs_e164_conf c = china();

	cr_expect_eq(cs_e164_conf_init(&c, "8x", "0", "00"), -1);
	cr_expect_eq(cs_e164_conf_init(&c, "1234", "0", "00"), -1);
	cr_expect_eq(cs_e164_conf_init(&c, "86", "0000", "00"), -1);
	cr_expect_eq(cs_e164_conf_init(&c, "86", "0", "000000"), -1);
	cr_expect_eq(cs_e164_conf_init(&c, "86", "0", "+"), -1);
	cr_expect_str_eq(c.country_code, "86", "a refused conf leaves the old one");
	cr_expect_eq(cs_e164_conf_init(&c, "", "", "00000"), 0);
	cr_expect_str_eq(c.intl_prefix, "00000");
	/* no trunk prefix: a leading 0 is part of the number */
	expect_number(norm("0123", &c), "0123");
}
