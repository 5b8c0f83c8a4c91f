/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CAPTURE_FILE_H
#define CS_CAPTURE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Pre-scan of a capture file, done once on the control path before the
 * pipeline starts. It tells replay how many records net_pcap will deliver
 * (so the RX lcore knows when its input is drained: the PMD never reports
 * end of file) and where a damaged file stops being readable.
 */
struct cs_capture_info {
	uint64_t records;     /* complete, well-formed records */
	uint64_t wire_bytes;  /* sum of original lengths of those records */
	uint64_t first_ts_ns; /* event time of the first record */
	uint64_t last_ts_ns;  /* event time of the last complete record */
	uint64_t valid_bytes; /* file offset where the readable part ends */
	uint32_t linktype;    /* LINKTYPE_* of the capture (1 = Ethernet) */
	bool damaged;         /* the file ends inside a record or holds garbage */
};

/* Scans an open stream. Returns 0, or -1 with a reason in err. */
int cs_capture_scan_stream(FILE *stream, struct cs_capture_info *info, char *err, size_t errlen);

/* Scans the file at path; errors name the file. Returns 0 or -1. */
int cs_capture_scan(const char *path, struct cs_capture_info *info, char *err, size_t errlen);

#endif
