/* SPDX-License-Identifier: Apache-2.0 */
#include "eal_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int add(struct cs_eal_args *a, const char *fmt, ...)
{
	va_list ap;

	if (a->argc >= CS_EAL_MAX_ARGS - 1)
		return -1;
	va_start(ap, fmt);
	int n = vsnprintf(a->storage[a->argc], CS_EAL_ARG_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= CS_EAL_ARG_LEN)
		return -1;
	a->argv[a->argc] = a->storage[a->argc];
	a->argv[++a->argc] = NULL;
	return 0;
}

int cs_eal_args_replay(struct cs_eal_args *a, unsigned int workers, unsigned int mem_mb, const char *const *captures,
		       unsigned int ncaptures)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	a->argc = 0;
	if (cpus < 1)
		cpus = 1;
	if (add(a, "cdrsentry") || add(a, "--lcores=(0-%u)@(0-%ld)", workers, cpus - 1) || add(a, "--no-huge") ||
	    add(a, "--no-pci") || add(a, "--no-shconf") || add(a, "--no-telemetry") || add(a, "-m") ||
	    add(a, "%u", mem_mb) || add(a, "--file-prefix=cdrsentry-%ld", (long)getpid()) ||
	    add(a, "--log-level=warning"))
		return -1;
	for (unsigned int i = 0; i < ncaptures; i++)
		if (add(a, "--vdev=net_pcap%u,rx_pcap=%s", i, captures[i]))
			return -1;
	return 0;
}
