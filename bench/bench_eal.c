/* SPDX-License-Identifier: Apache-2.0 */
#include "bench_eal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_version.h>

#include "cs_build_config.h"

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

void cs_bench_eal_print_header(const char *prog, const char *when, const struct cs_bench_machine *m, bool for_timing)
{
	printf("%s %s, %s\n", prog, CS_VERSION, when);
	printf("machine  %s, %ld CPUs online%s, %.1f GiB, TSC %.3f GHz\n", m->cpu_model, m->cpus_online,
	       m->hypervisor ? " (virtual machine)" : "", m->ram_gib, (double)rte_get_tsc_hz() / 1e9);
	printf("software %s, %s, %s\n", m->kernel, rte_version(), cs_bench_compiler);
	if (!for_timing)
		printf("warning  not an optimised build, or a sanitizer build: "
		       "these numbers say nothing of the code\n");
}

void cs_bench_eal_json_header(FILE *f, const char *benchmark, const char *when, const struct cs_bench_machine *m,
			      bool for_timing)
{
	fprintf(f, "{\n  \"benchmark\": \"%s\",\n  \"version\": \"%s\",\n  \"time\": \"%s\",\n", benchmark,
		CS_VERSION, when);
	cs_bench_json_machine(f, m);
	fprintf(f, "  \"dpdk\": \"%s\",\n  \"compiler\": ", rte_version());
	cs_bench_json_str(f, cs_bench_compiler);
	fprintf(f, ",\n  \"build_for_timing\": %s,\n  \"tsc_hz\": %llu,\n", for_timing ? "true" : "false",
		(unsigned long long)rte_get_tsc_hz());
}
