/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_PCAP_WRITER_H
#define CS_PCAP_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Writes classic pcap (magic a1b2c3d4, microsecond stamps, LINKTYPE_ETHERNET),
 * the format every peer reads: libpcap/net_pcap, tshark, tcpreplay.
 * Stamps are event time in nanoseconds, truncated to microseconds.
 */
struct cs_pcap_writer {
	FILE *f;
	uint64_t records;
};

int cs_pcap_writer_open(struct cs_pcap_writer *w, const char *path);
int cs_pcap_writer_add(struct cs_pcap_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* Returns 0 when everything reached the file. */
int cs_pcap_writer_close(struct cs_pcap_writer *w);

#endif
