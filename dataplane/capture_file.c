/* SPDX-License-Identifier: Apache-2.0 */
#include "capture_file.h"

#include <errno.h>
#include <string.h>

/*
 * Classic libpcap file format (the one net_pcap reads):
 *
 *   global header, 24 bytes
 *   0        4      6      8          12         16        20         24
 *   +--------+------+------+----------+----------+---------+----------+
 *   | magic  | vmaj | vmin | thiszone | sigfigs  | snaplen | linktype |
 *   +--------+------+------+----------+----------+---------+----------+
 *
 *   each record: 16-byte header, then caplen bytes of frame
 *   +---------+----------+---------+---------+------------------+
 *   | ts_sec  | ts_frac  | caplen  | origlen | frame (caplen)   |
 *   +---------+----------+---------+---------+------------------+
 *
 * The magic says the byte order and the unit of ts_frac:
 *   a1b2c3d4 microseconds, a1b23c4d nanoseconds; byte-swapped forms
 *   (d4c3b2a1, 4d3cb2a1) were written on a machine of the other order.
 *
 * A record whose caplen exceeds the snaplen (or a sane maximum when the
 * snaplen is 0) is garbage: the scan stops there and marks the file damaged,
 * as libpcap itself refuses to read past it.
 */

enum {
	PCAP_GLOBAL_HDR_LEN = 24,
	PCAP_RECORD_HDR_LEN = 16,
	PCAP_MAX_SANE_CAPLEN = 262144,
};

static uint32_t read_u32(const unsigned char *p, bool swapped)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return swapped ? __builtin_bswap32(v) : v;
}

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
	return -1;
}

int cs_capture_scan_stream(FILE *stream, struct cs_capture_info *info, char *err, size_t errlen)
{
	unsigned char hdr[PCAP_GLOBAL_HDR_LEN];
	bool swapped, nanosecond;

	memset(info, 0, sizeof(*info));
	if (fread(hdr, 1, sizeof(hdr), stream) != sizeof(hdr))
		return fail(err, errlen, "too short for a pcap file header (24 bytes)");

	switch (read_u32(hdr, false)) {
	case 0xa1b2c3d4: swapped = false; nanosecond = false; break;
	case 0xa1b23c4d: swapped = false; nanosecond = true; break;
	case 0xd4c3b2a1: swapped = true; nanosecond = false; break;
	case 0x4d3cb2a1: swapped = true; nanosecond = true; break;
	case 0x0a0d0d0a:
		return fail(err, errlen, "is a pcapng file; this version reads classic pcap only");
	default:
		snprintf(err, errlen, "not a pcap file (magic 0x%08x)", read_u32(hdr, false));
		return -1;
	}

	uint32_t snaplen = read_u32(hdr + 16, swapped);
	uint32_t max_caplen = snaplen != 0 && snaplen < PCAP_MAX_SANE_CAPLEN ? snaplen : PCAP_MAX_SANE_CAPLEN;
	info->linktype = read_u32(hdr + 20, swapped);
	info->valid_bytes = PCAP_GLOBAL_HDR_LEN;

	for (;;) {
		unsigned char rec[PCAP_RECORD_HDR_LEN];
		size_t got = fread(rec, 1, sizeof(rec), stream);

		if (got == 0)
			break;
		if (got < sizeof(rec)) {
			info->damaged = true;
			break;
		}
		uint32_t sec = read_u32(rec, swapped);
		uint32_t frac = read_u32(rec + 4, swapped);
		uint32_t caplen = read_u32(rec + 8, swapped);
		uint32_t origlen = read_u32(rec + 12, swapped);

		if (caplen > max_caplen || frac >= (nanosecond ? 1000000000u : 1000000u)) {
			info->damaged = true;
			break;
		}
		if (fseeko(stream, caplen, SEEK_CUR) != 0) {
			info->damaged = true;
			break;
		}
		/* fseeko succeeds past the end: confirm the frame is really there. */
		off_t end = ftello(stream);
		if (caplen > 0) {
			if (fseeko(stream, -1, SEEK_CUR) != 0 || fgetc(stream) == EOF) {
				info->damaged = true;
				break;
			}
		}
		uint64_t ts_ns = (uint64_t)sec * 1000000000u + (nanosecond ? frac : (uint64_t)frac * 1000u);
		if (info->records == 0)
			info->first_ts_ns = ts_ns;
		info->last_ts_ns = ts_ns;
		info->records++;
		info->wire_bytes += origlen;
		info->valid_bytes = (uint64_t)end;
	}
	if (ferror(stream))
		return fail(err, errlen, strerror(errno));
	return 0;
}

int cs_capture_scan(const char *path, struct cs_capture_info *info, char *err, size_t errlen)
{
	char why[160];
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open capture: %s", path, strerror(errno));
		return -1;
	}
	int rc = cs_capture_scan_stream(f, info, why, sizeof(why));
	fclose(f);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return rc;
}
