/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmarks report about the machine they ran on: see bench_machine.h. */
#include "bench_machine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifdef __clang__
const char cs_bench_compiler[] = __VERSION__; /* "Clang 16.0.6 ...": clang names itself */
#else
const char cs_bench_compiler[] = "gcc " __VERSION__; /* gcc's __VERSION__ is the bare number */
#endif

/* The CPU model (the first "model name") and whether the flags include "hypervisor". */
static void cpu_of(struct cs_bench_machine *m)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(m->cpu_model, sizeof(m->cpu_model), "unknown");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		const char *v = colon + 1 + (colon[1] == ' ');
		if (strncmp(line, "model name", 10) == 0 && strcmp(m->cpu_model, "unknown") == 0)
			snprintf(m->cpu_model, sizeof(m->cpu_model), "%.*s", (int)strcspn(v, "\n"), v);
		if (strncmp(line, "flags", 5) == 0 && strstr(v, " hypervisor") != NULL)
			m->hypervisor = 1;
	}
	if (f != NULL)
		fclose(f);
}

/* The selected mode of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never" -> "madvise"). */
static void thp_mode(char *out, size_t len)
{
	char line[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	const char *open;

	snprintf(out, len, "unknown");
	if (f == NULL)
		return;
	if (fgets(line, sizeof(line), f) != NULL && (open = strchr(line, '[')) != NULL)
		snprintf(out, len, "%.*s", (int)strcspn(open + 1, "]"), open + 1);
	fclose(f);
}

void cs_bench_machine_of(struct cs_bench_machine *m)
{
	struct utsname u;

	memset(m, 0, sizeof(*m));
	cpu_of(m);
	m->cpus_online = sysconf(_SC_NPROCESSORS_ONLN);
	m->ram_gib = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE) / (1 << 30);
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%.60s %.60s", u.sysname, u.release);
	thp_mode(m->thp, sizeof(m->thp));
}

void cs_bench_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned int)(unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void cs_bench_json_machine(FILE *f, const struct cs_bench_machine *m)
{
	fprintf(f, "  \"cpu_model\": ");
	cs_bench_json_str(f, m->cpu_model);
	fprintf(f, ",\n  \"cpus_online\": %ld,\n  \"virtual_machine\": %s,\n  \"kernel\": ", m->cpus_online,
		m->hypervisor ? "true" : "false");
	cs_bench_json_str(f, m->kernel);
	fprintf(f, ",\n  \"ram_gib\": %.1f,\n", m->ram_gib);
}

void cs_bench_utc_now(char *out, size_t len)
{
	time_t now = time(NULL);
	struct tm utc;

	gmtime_r(&now, &utc);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

uint64_t cs_bench_clock_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int cs_bench_parse_u64(const char *prog, const char *opt, const char *arg, uint64_t min, uint64_t max,
		       uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v < min || v > max) {
		fprintf(stderr, "%s: %s: '%s' is not a whole number from %llu to %llu\n", prog, opt, arg,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int cs_bench_expect(const char *prog, const char *phase, const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return 0;
	fprintf(stderr, "%s: %s: %s is %llu, expected %llu\n", prog, phase, what, (unsigned long long)got,
		(unsigned long long)want);
	return -1;
}
