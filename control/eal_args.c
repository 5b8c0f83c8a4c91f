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

int cs_eal_args_replay(struct cs_eal_args *a, const char *lcores, unsigned int mem_mb, const char *capture)
{
	a->argc = 0;
	return add(a, "cdrsentry") || add(a, "-l") || add(a, "%s", lcores) ||
	       add(a, "--no-huge") || add(a, "--no-pci") || add(a, "--no-shconf") ||
	       add(a, "--no-telemetry") || add(a, "-m") || add(a, "%u", mem_mb) ||
	       add(a, "--file-prefix=cdrsentry-%ld", (long)getpid()) ||
	       add(a, "--log-level=warning") ||
	       add(a, "--vdev=net_pcap0,rx_pcap=%s", capture) ? -1 : 0;
}
