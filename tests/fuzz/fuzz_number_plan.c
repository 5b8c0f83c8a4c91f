/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the number plan file parser: the input is a plan file.
 * Problems go to a small buffer (so the "not shown" tail is exercised),
 * which must then be one or more whole lines. An accepted plan is queried
 * with numbers cut from the input's digits: a hit of d digits must be a
 * prefix of the number that is itself in the plan (its first d digits hit
 * with d digits), and its label must be readable text of at most
 * CS_NUMBER_PLAN_LABEL_MAX bytes. Any breach aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "number_plan_file.h"

static volatile uint64_t sink;

/* number's first d digits, the rest filler */
static cs_digits first_digits(cs_digits number, unsigned int d)
{
	return d == CS_DIGITS_MAX ? number : number | (UINT64_MAX >> (4 * d));
}

static void query(const struct cs_number_plan *plan, cs_digits number)
{
	struct cs_number_plan_hit hit = cs_number_plan_match(plan, number);
	struct cs_number_plan_hit tac = cs_number_plan_match_tac(plan, number);

	if (hit.digits > cs_digits_len(number) || tac.digits > 8 || tac.digits > hit.digits)
		abort();
	if (hit.digits > 0) {
		struct cs_number_plan_hit again = cs_number_plan_match(plan, first_digits(number, hit.digits));
		if (again.digits != hit.digits || again.label != hit.label)
			abort();
		if (strlen(cs_number_plan_label(plan, hit.label)) > CS_NUMBER_PLAN_LABEL_MAX)
			abort();
	}
	sink += hit.digits + hit.label + tac.digits;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_number_plan *plan;
	char err[512];
	int problems = cs_number_plan_parse("fuzz.txt", (const char *)data, size, &plan, err, sizeof(err));

	if ((problems == 0) != (plan != NULL))
		abort();
	if (problems > 0) {
		size_t len = strlen(err);
		if (len == 0 || len >= sizeof(err) || err[len - 1] != '\n' || strncmp(err, "fuzz.txt:", 9) != 0)
			abort();
		return 0;
	}
	if (cs_number_plan_size(plan) > CS_NUMBER_PLAN_MAX_ENTRIES)
		abort();
	/* numbers from the input's digits, 16 at a time, and every shorter cut of each */
	char digits[CS_DIGITS_MAX];
	unsigned int n = 0;
	for (size_t i = 0; i < size; i++) {
		if (data[i] < '0' || data[i] > '9')
			continue;
		digits[n++] = (char)data[i];
		if (n == CS_DIGITS_MAX || i + 1 == size) {
			for (unsigned int len = 1; len <= n; len++)
				query(plan, cs_digits_from_ascii(digits, len));
			n = 0;
		}
	}
	query(plan, CS_DIGITS_NONE);
	cs_number_plan_free(plan);
	return 0;
}
