/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shard steering: every event of a subscriber must reach the same worker
 * (its state has one writer), and subscribers must spread evenly over the
 * workers even when their IMSIs are consecutive, as a SIM batch's are.
 */
#include <stdio.h>

#include <criterion/criterion.h>

#include "digits.h"
#include "emit.h"

static cs_digits imsi_n(unsigned long n)
{
	char s[16];

	snprintf(s, sizeof(s), "46000%010lu", n);
	return cs_digits_from_ascii(s, 15);
}

Test(shard, the_same_imsi_always_lands_on_the_same_worker)
{
	for (unsigned int workers = 1; workers <= 16; workers++)
		for (unsigned long n = 0; n < 1000; n++)
			cr_assert_eq(cs_shard_of(imsi_n(n), workers), cs_shard_of(imsi_n(n), workers));
	cr_expect_eq(cs_shard_of(imsi_n(7), 1), 0);
}

Test(shard, consecutive_imsis_spread_evenly)
{
	enum { N = 1000000 };
	const unsigned int counts_of[] = { 2, 3, 8, 16 };

	for (size_t k = 0; k < sizeof(counts_of) / sizeof(counts_of[0]); k++) {
		unsigned int workers = counts_of[k];
		unsigned long load[16] = { 0 };

		for (unsigned long n = 0; n < N; n++)
			load[cs_shard_of(imsi_n(1234567000ul + n), workers)]++;
		double mean = (double)N / workers;
		for (unsigned int w = 0; w < workers; w++)
			cr_expect(load[w] > mean * 0.98 && load[w] < mean * 1.02,
				  "%u workers: worker %u has %lu of %d (mean %.0f)", workers, w, load[w], N, mean);
	}
}
