/* SPDX-License-Identifier: Apache-2.0 */
#include "bench_eal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

static int prefault_list(const struct rte_memseg_list *msl, void *arg)
{
	(void)arg;
	if (msl->external || msl->len == 0)
		return 0;
	return madvise(msl->base_va, msl->len, MADV_POPULATE_WRITE) != 0 ? -1 : 0;
}

int cs_bench_eal_start(const char *prog, char *argv0, const char *lcores, uint32_t mem_mb, bool hugepages)
{
	char lcore_arg[96], mem[16], prefix[64];

	snprintf(lcore_arg, sizeof(lcore_arg), "--lcores=%s", lcores);
	snprintf(mem, sizeof(mem), "%u", mem_mb);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s-%ld", prog, (long)getpid());
	char *argv[] = { argv0, lcore_arg, hugepages ? "--huge-unlink" : "--no-huge", "--no-pci", "--no-shconf",
			 "--no-telemetry", "-m", mem, prefix, "--log-level=warning", NULL };
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "%s: EAL (%s, -m %s, %s): %s\n", prog, lcore_arg, mem, cs_bench_eal_pages(hugepages),
			rte_strerror(rte_errno));
		if (hugepages)
			fprintf(stderr, "%s: with --hugepages, reserve %u MiB of 2 MiB pages first "
					"(dpdk-hugepages.py --setup %uM)\n",
				prog, mem_mb, mem_mb + 64);
		return -1;
	}
	if (!hugepages && rte_memseg_list_walk(prefault_list, NULL) != 0) {
		fprintf(stderr, "%s: cannot fault in DPDK's memory: %s\n", prog, strerror(errno));
		rte_eal_cleanup();
		return -1;
	}
	return 0;
}

const char *cs_bench_eal_pages(bool hugepages)
{
	return hugepages ? "2 MiB hugepages" : "4 KiB pages";
}
