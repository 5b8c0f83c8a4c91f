/* SPDX-License-Identifier: Apache-2.0 */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs_build_config.h"

#if CS_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

static void *checked(void *p, size_t size)
{
	if (p == NULL) {
		fprintf(stderr, "cdrsentry: out of memory allocating %zu bytes\n", size);
		abort();
	}
	return p;
}

void *cs_mem_alloc(size_t size)
{
	return checked(malloc(size), size);
}

char *cs_mem_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(cs_mem_alloc(n), s, n);
}

void cs_mem_free(void *p)
{
	free(p);
}

const char *cs_mem_allocator(void)
{
#if CS_HAVE_JEMALLOC
	static char name[64];
	const char *version = NULL;
	size_t len = sizeof(version);

	/* Asking jemalloc itself proves it is the allocator actually linked. */
	if (mallctl("version", &version, &len, NULL, 0) == 0 && version != NULL) {
		snprintf(name, sizeof(name), "jemalloc %s", version);
		return name;
	}
#endif
	return "libc";
}
