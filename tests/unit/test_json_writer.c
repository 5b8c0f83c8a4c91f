/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>

#include "json_writer.h"

static int write_sample(char *buf, size_t cap)
{
	struct cs_json w;

	cs_json_init(&w, buf, cap);
	cs_json_object_begin(&w, NULL);
	cs_json_string(&w, "type", "summary");
	cs_json_u64(&w, "n", 18446744073709551615ull);
	cs_json_object_begin(&w, "inner");
	cs_json_bool(&w, "ok", true);
	cs_json_string(&w, "path", "a\"b\\c\n\x01");
	cs_json_object_end(&w);
	cs_json_time(&w, "at", 1767600000123456789ull);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}

static const char expected[] =
	"{\"type\":\"summary\",\"n\":18446744073709551615,"
	"\"inner\":{\"ok\":true,\"path\":\"a\\\"b\\\\c\\n\\u0001\"},"
	"\"at\":\"2026-01-05T08:00:00.123456Z\"}";

Test(json_writer, keeps_order_escapes_and_formats_time)
{
	char buf[512];

	cr_assert_eq(write_sample(buf, sizeof(buf)), (int)strlen(expected));
	cr_expect_str_eq(buf, expected);
}

/* Every buffer too small fails the record and never writes past its end. */
Test(json_writer, overflow_fails_and_stays_in_bounds)
{
	const size_t need = strlen(expected) + 1;

	for (size_t cap = 1; cap < need; cap++) {
		char buf[600];

		memset(buf, '#', sizeof(buf));
		cr_expect_eq(write_sample(buf, cap), -1, "cap %zu", cap);
		for (size_t i = cap; i < sizeof(buf); i++)
			cr_assert_eq(buf[i], '#', "cap %zu: byte %zu written", cap, i);
	}
	char buf[600];
	cr_expect_eq(write_sample(buf, need), (int)need - 1);
}

Test(json_writer, unbalanced_object_is_not_a_record)
{
	char buf[64];
	struct cs_json w;

	cs_json_init(&w, buf, sizeof(buf));
	cs_json_object_begin(&w, NULL);
	cs_json_u64(&w, "a", 1);
	cr_expect_eq(cs_json_finish(&w), -1);
}

/* Optional members are left out rather than written as 0 or "". */
Test(json_writer, optional_members_only_when_known)
{
	char buf[256];
	struct cs_json w;

	cs_json_init(&w, buf, sizeof(buf));
	cs_json_object_begin(&w, NULL);
	cs_json_digits(&w, "imsi", cs_digits_from_ascii("001010000000001", 15));
	cs_json_digits(&w, "msisdn", CS_DIGITS_NONE);
	cs_json_time_if(&w, "end_time", 0);
	cs_json_time_if(&w, "start_time", 1767600000000000000ull);
	cs_json_object_end(&w);
	cr_assert_gt(cs_json_finish(&w), 0);
	cr_expect_str_eq(buf, "{\"imsi\":\"001010000000001\",\"start_time\":\"2026-01-05T08:00:00.000000Z\"}");
}
