/* SPDX-License-Identifier: Apache-2.0 */
#include "eal.h"

#include <stdio.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <rte_eal.h>
#include <rte_errno.h>

void cs_test_eal_init(void)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "--file-prefix=cs-test-%ld", (long)getpid());
	char *argv[] = { "cs-test", "-l", "0", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry",
			 "-m", "128", prefix, "--log-level=error", NULL };
	cr_assert_geq(rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv), 0, "EAL: %s",
		      rte_strerror(rte_errno));
}
