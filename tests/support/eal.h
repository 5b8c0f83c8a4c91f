/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TEST_EAL_H
#define CS_TEST_EAL_H

/*
 * Starts DPDK's EAL for a test process, the way replay does: no
 * hugepages, no PCI, no shared config, a per-process file prefix. Each
 * Criterion test runs in its own process, so each initialises its own.
 */
void cs_test_eal_init(void);

#endif
