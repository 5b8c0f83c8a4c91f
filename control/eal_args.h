/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EAL_ARGS_H
#define CS_EAL_ARGS_H

/*
 * EAL arguments for replay: no hugepages, no PCI scan, no shared config,
 * a file prefix unique to this process (so parallel runs never collide),
 * lcore 0 (RX) plus one lcore per worker, all free to float over the
 * machine's CPUs, and one net_pcap vdev per capture, net_pcap<i>.
 */
enum { CS_EAL_MAX_ARGS = 48, CS_EAL_ARG_LEN = 4200 };

struct cs_eal_args {
	int argc;
	char *argv[CS_EAL_MAX_ARGS];
	char storage[CS_EAL_MAX_ARGS][CS_EAL_ARG_LEN];
};

/* Returns 0, or -1 if an argument would not fit. */
int cs_eal_args_replay(struct cs_eal_args *a, unsigned int workers, unsigned int mem_mb, const char *const *captures,
		       unsigned int ncaptures);

#endif
