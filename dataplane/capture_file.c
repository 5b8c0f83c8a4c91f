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

/* Skips n bytes and confirms they were there (fseeko succeeds past the end). */
static bool skip(FILE *stream, uint64_t n)
{
	if (n == 0)
		return true;
	if (fseeko(stream, (off_t)n - 1, SEEK_CUR) != 0)
		return false;
	return fgetc(stream) != EOF;
}

static void count_record(struct cs_capture_info *info, uint64_t ts_ns, uint32_t origlen, FILE *stream)
{
	if (info->records == 0)
		info->first_ts_ns = ts_ns;
	info->last_ts_ns = ts_ns;
	info->records++;
	info->wire_bytes += origlen;
	info->valid_bytes = (uint64_t)ftello(stream);
}

static int scan_pcap(FILE *stream, const unsigned char *hdr, bool swapped, bool nanosecond,
		     struct cs_capture_info *info)
{
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
		if (!skip(stream, caplen)) {
			info->damaged = true;
			break;
		}
		count_record(info, (uint64_t)sec * 1000000000u + (nanosecond ? frac : (uint64_t)frac * 1000u), origlen,
			     stream);
	}
	return 0;
}

/*
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks,
 *
 *   +------+--------------+-----------------------+--------------+
 *   | type | total length | body (padded to 4)    | total length |
 *   +------+--------------+-----------------------+--------------+
 *
 * A Section Header Block (0x0a0d0d0a) gives the byte order (magic
 * 0x1a2b3c4d) and starts a new list of interfaces; an Interface
 * Description Block (1) gives a link type and the timestamp resolution
 * (option if_tsresol, 9: 10^-n, or 2^-n with the top bit set; default
 * microseconds); Enhanced (6), Simple (3) and obsolete Packet (2) blocks
 * are the records libpcap delivers. Other blocks are skipped.
 */
enum {
	PCAPNG_SHB = 0x0a0d0d0a, PCAPNG_IDB = 1, PCAPNG_OPB = 2, PCAPNG_SPB = 3, PCAPNG_EPB = 6,
	PCAPNG_MAX_INTERFACES = 64, PCAPNG_MAX_IDB = 65536,
};

struct pcapng_if {
	bool binary;   /* resolution 2^-exp, else 10^-exp */
	uint8_t exp;
};

static uint64_t pcapng_ts_ns(const struct pcapng_if *ifc, uint64_t units)
{
	if (ifc->binary) {
		/* units / 2^exp seconds, without a 128-bit product: whole seconds, then the fraction */
		if (ifc->exp >= 64)
			return 0;
		uint64_t whole = units >> ifc->exp, frac = units & ((1ull << ifc->exp) - 1);
		if (ifc->exp > 34) /* keep frac below 2^34 so frac * 10^9 fits */
			return whole * 1000000000u + ((frac >> (ifc->exp - 34)) * 1000000000u >> 34);
		return whole * 1000000000u + (frac * 1000000000u >> ifc->exp);
	}
	uint64_t scale = 1;
	if (ifc->exp <= 9) {
		for (unsigned int i = ifc->exp; i < 9; i++)
			scale *= 10;
		return units * scale;
	}
	for (unsigned int i = 9; i < ifc->exp && i < 28; i++)
		scale *= 10;
	return units / scale;
}

/* An IDB body: the link type and the if_tsresol option. */
static void parse_idb(const unsigned char *b, uint32_t len, bool swapped, struct pcapng_if *ifc, uint32_t *linktype)
{
	ifc->binary = false;
	ifc->exp = 6;
	if (len < 8)
		return;
	*linktype = swapped ? (uint32_t)(b[0] << 8 | b[1]) : (uint32_t)(b[1] << 8 | b[0]);
	for (uint32_t at = 8; at + 4 <= len;) {
		uint16_t code = swapped ? (uint16_t)(b[at] << 8 | b[at + 1]) : (uint16_t)(b[at + 1] << 8 | b[at]);
		uint16_t olen = swapped ? (uint16_t)(b[at + 2] << 8 | b[at + 3]) : (uint16_t)(b[at + 3] << 8 | b[at + 2]);
		if (code == 0 || at + 4 + olen > len)
			return;
		if (code == 9 && olen == 1) {
			ifc->binary = (b[at + 4] & 0x80) != 0;
			ifc->exp = b[at + 4] & 0x7f;
		}
		at += 4 + ((olen + 3u) & ~3u);
	}
}

static int scan_pcapng(FILE *stream, struct cs_capture_info *info)
{
	static unsigned char body[PCAPNG_MAX_IDB];
	struct pcapng_if ifs[PCAPNG_MAX_INTERFACES];
	unsigned int nifs = 0;
	bool swapped = false;

	rewind(stream);
	for (;;) {
		unsigned char bh[12];
		size_t got = fread(bh, 1, 8, stream);
		if (got == 0)
			break;
		if (got < 8) {
			info->damaged = true;
			break;
		}
		uint32_t type = read_u32(bh, false);
		if (type == PCAPNG_SHB) {
			/* the byte-order magic follows the length, which is read in that order */
			if (fread(bh + 8, 1, 4, stream) != 4) {
				info->damaged = true;
				break;
			}
			swapped = read_u32(bh + 8, false) == 0x4d3c2b1a;
			if (!swapped && read_u32(bh + 8, false) != 0x1a2b3c4d) {
				info->damaged = true;
				break;
			}
			nifs = 0;
		} else {
			type = read_u32(bh, swapped);
		}
		uint32_t total = read_u32(bh + 4, swapped);
		uint32_t consumed = type == PCAPNG_SHB ? 12 : 8;
		if (total < 12 || total % 4 != 0 || total > PCAPNG_MAX_IDB * 64u) {
			info->damaged = true;
			break;
		}
		uint32_t rest = total - consumed; /* body and trailing length */
		if (type == PCAPNG_IDB || type == PCAPNG_EPB || type == PCAPNG_OPB || type == PCAPNG_SPB) {
			uint32_t want = type == PCAPNG_IDB ? rest : (rest < 20 ? rest : 20);
			if (want > sizeof(body) || fread(body, 1, want, stream) != want || !skip(stream, rest - want)) {
				info->damaged = true;
				break;
			}
			if (type == PCAPNG_IDB) {
				if (nifs < PCAPNG_MAX_INTERFACES)
					parse_idb(body, rest - 4, swapped, &ifs[nifs++], &info->linktype);
				info->valid_bytes = (uint64_t)ftello(stream);
			} else if (type == PCAPNG_SPB) {
				count_record(info, info->last_ts_ns, want >= 4 ? read_u32(body, swapped) : 0, stream);
			} else if (want >= 20) {
				/* EPB: interface (4) ts high, ts low, caplen, origlen; OPB: interface (2), drops (2), ... */
				uint32_t ifid = type == PCAPNG_EPB ? read_u32(body, swapped)
								  : (swapped ? (uint32_t)(body[0] << 8 | body[1])
									     : (uint32_t)(body[1] << 8 | body[0]));
				uint64_t units = (uint64_t)read_u32(body + 4, swapped) << 32 | read_u32(body + 8, swapped);
				struct pcapng_if dflt = { false, 6 };
				count_record(info, pcapng_ts_ns(ifid < nifs ? &ifs[ifid] : &dflt, units),
					     read_u32(body + 16, swapped), stream);
			} else {
				info->damaged = true;
				break;
			}
		} else if (!skip(stream, rest)) {
			info->damaged = true;
			break;
		} else {
			info->valid_bytes = (uint64_t)ftello(stream);
		}
	}
	return 0;
}

int cs_capture_scan_stream(FILE *stream, struct cs_capture_info *info, char *err, size_t errlen)
{
	unsigned char hdr[PCAP_GLOBAL_HDR_LEN];
	int rc;

	memset(info, 0, sizeof(*info));
	if (fread(hdr, 1, sizeof(hdr), stream) != sizeof(hdr))
		return fail(err, errlen, "too short for a pcap file header (24 bytes)");

	switch (read_u32(hdr, false)) {
	case 0xa1b2c3d4: rc = scan_pcap(stream, hdr, false, false, info); break;
	case 0xa1b23c4d: rc = scan_pcap(stream, hdr, false, true, info); break;
	case 0xd4c3b2a1: rc = scan_pcap(stream, hdr, true, false, info); break;
	case 0x4d3cb2a1: rc = scan_pcap(stream, hdr, true, true, info); break;
	case 0x0a0d0d0a: rc = scan_pcapng(stream, info); break;
	default:
		snprintf(err, errlen, "not a pcap or pcapng file (magic 0x%08x)", read_u32(hdr, false));
		return -1;
	}
	if (rc == 0 && ferror(stream))
		return fail(err, errlen, strerror(errno));
	return rc;
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
