/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_machine: what both benchmarks (decode_bench.c, state_bench.c)
 * report about where their numbers came from, and the few small helpers
 * they share.
 *
 * A rate means little without the machine that produced it: the CPU model
 * (and whether it is a virtual machine, where a neighbour can steal
 * cycles), how many CPUs and how much RAM, the kernel and its transparent
 * huge page mode, the compiler, and whether the build was optimised and
 * free of sanitizers. Each benchmark prints and writes these in its own
 * layout; this module only gathers them, so both describe a machine the
 * same way.
 */
#ifndef CS_BENCH_MACHINE_H
#define CS_BENCH_MACHINE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/*
 * Whether the numbers can be trusted: an unoptimised or sanitizer build
 * times the instrumentation, not the code. A macro, not a value in
 * bench_machine.c, so that it describes the benchmark's own translation
 * unit.
 */
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
#define CS_BENCH_BUILD_FOR_TIMING 0
#else
#define CS_BENCH_BUILD_FOR_TIMING 1
#endif

struct cs_bench_machine {
	char cpu_model[128]; /* "model name" of the first CPU, or "unknown" */
	int hypervisor;      /* the CPU flags say we run under a hypervisor */
	long cpus_online;
	double ram_gib;
	char kernel[128];    /* "Linux 6.1.0-..." */
	char thp[64];        /* transparent huge pages: whether large tables may get 2 MiB pages */
};

/* "gcc 12.2.0" or "Clang 16.0.6 ...": what compiled the benchmark. */
extern const char cs_bench_compiler[];

/* Fills *m from /proc/cpuinfo, sysconf, uname and sysfs; what cannot be read stays "unknown" or 0. */
void cs_bench_machine_of(struct cs_bench_machine *m);

/*
 * Writes the machine's JSON members, each on its own line and each
 * followed by a comma: cpu_model, cpus_online, virtual_machine, kernel,
 * ram_gib. The caller writes the members that differ between benchmarks
 * after them.
 */
void cs_bench_json_machine(FILE *f, const struct cs_bench_machine *m);

/* A JSON string: the few values written (CPU model, kernel) only need quotes, backslashes and controls escaped. */
void cs_bench_json_str(FILE *f, const char *s);

/* The current time as "2026-01-05T08:00:00Z", for the report's header; len of 21 or more. */
void cs_bench_utc_now(char *out, size_t len);

/* A clock (CLOCK_MONOTONIC for wall time, CLOCK_THREAD_CPUTIME_ID for CPU time) in nanoseconds. */
uint64_t cs_bench_clock_ns(clockid_t clock);

/*
 * An option's whole number from min to max into *out. Returns 0, or -1
 * after telling stderr, as "PROG: OPT: 'ARG' is not a whole number from
 * MIN to MAX".
 */
int cs_bench_parse_u64(const char *prog, const char *opt, const char *arg, uint64_t min, uint64_t max,
		       uint64_t *out);

/*
 * A benchmark's check that the work was done: 0 when got is want, else -1
 * after telling stderr "PROG: PHASE: WHAT is GOT, expected WANT".
 */
int cs_bench_expect(const char *prog, const char *phase, const char *what, uint64_t got, uint64_t want);

#endif /* CS_BENCH_MACHINE_H */
