/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_MEM_H
#define CS_MEM_H

#include <stddef.h>

/*
 * Heap memory for control and export code. Packet buffers and dataplane
 * tables live in DPDK's pools; everything else comes from the process
 * allocator, which the build links to jemalloc (except under ASan, which
 * must own malloc). Allocation failure on the control path is fatal with a
 * message: there is no sensible way to run on without the memory.
 */
void *cs_mem_alloc(size_t size);
char *cs_mem_strdup(const char *s);
void cs_mem_free(void *p);

/* "jemalloc <version>" or "libc": which allocator is serving the heap. */
const char *cs_mem_allocator(void);

#endif
