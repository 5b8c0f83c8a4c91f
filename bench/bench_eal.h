/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_eal: DPDK's environment for the benchmarks that run the dataplane
 * without ports (decode_bench.c, mix_bench.c): the lcores pinned as asked,
 * no PCI, no shared config, no telemetry, and DPDK's memory on one of two
 * kinds of page:
 *
 *   2 MiB hugepages  as a probe is deployed: -m MB taken from the
 *                    hugetlbfs mount at start (EAL's default), the page
 *                    files unlinked at once so none is left behind;
 *   4 KiB pages      --no-huge, where the machine has no hugepages: DPDK
 *                    then backs its heap with a memfd, which transparent
 *                    huge pages do not cover unless shared memory is
 *                    enabled for them, so a table of a gigabyte misses the
 *                    TLB on most lookups. rte_zmalloc does not touch what
 *                    it believes is fresh zeroed memory, so every page is
 *                    faulted in here, contents untouched: left alone, the
 *                    first timed phase would time page faults that a
 *                    hugepage deployment takes at start.
 *
 * bench/run reserves hugepages for the run when it can (docs/benchmarks.md).
 */
#ifndef CS_BENCH_EAL_H
#define CS_BENCH_EAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench_machine.h"

/*
 * rte_eal_init with lcores ("--lcores=0@2,1@3"), mem_mb of memory and a
 * file prefix of prog and the process id. Returns 0, or -1 after telling
 * stderr why, as "PROG: ...".
 */
int cs_bench_eal_start(const char *prog, char *argv0, const char *lcores, uint32_t mem_mb, bool hugepages);

/* "2 MiB hugepages" or "4 KiB pages": what cs_bench_eal_start was given, for the reports. */
const char *cs_bench_eal_pages(bool hugepages);

/*
 * The first lines of a report, as the port-less benchmarks print them:
 * name and version, the machine and its TSC, the software, and a warning
 * when the build cannot be timed (for_timing: CS_BENCH_BUILD_FOR_TIMING
 * in the benchmark's own translation unit).
 */
void cs_bench_eal_print_header(const char *prog, const char *when, const struct cs_bench_machine *m, bool for_timing);

/*
 * The opening of a benchmark's JSON object: "{", then benchmark, version,
 * time, the machine's members, dpdk, compiler, build_for_timing and
 * tsc_hz, each on its own line followed by a comma.
 */
void cs_bench_eal_json_header(FILE *f, const char *benchmark, const char *when, const struct cs_bench_machine *m,
			      bool for_timing);

#endif
