/* SPDX-License-Identifier: Apache-2.0 */
#include "pcap_writer.h"

#include <string.h>

enum { LINKTYPE_ETHERNET = 1, CS_PCAP_SNAPLEN = 65535 };

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int cs_pcap_writer_open(struct cs_pcap_writer *w, const char *path)
{
	uint8_t hdr[24] = { 0 };

	w->records = 0;
	w->f = fopen(path, "wb");
	if (w->f == NULL)
		return -1;
	le32(hdr, 0xa1b2c3d4);
	hdr[4] = 2; /* version 2.4 */
	hdr[6] = 4;
	le32(hdr + 16, CS_PCAP_SNAPLEN);
	le32(hdr + 20, LINKTYPE_ETHERNET);
	return fwrite(hdr, sizeof(hdr), 1, w->f) == 1 ? 0 : -1;
}

int cs_pcap_writer_add(struct cs_pcap_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
	uint8_t rec[16];

	if (len > CS_PCAP_SNAPLEN)
		return -1;
	le32(rec, (uint32_t)(ts_ns / 1000000000u));
	le32(rec + 4, (uint32_t)(ts_ns % 1000000000u / 1000u));
	le32(rec + 8, (uint32_t)len);
	le32(rec + 12, (uint32_t)len);
	if (fwrite(rec, sizeof(rec), 1, w->f) != 1 || fwrite(frame, len, 1, w->f) != 1)
		return -1;
	w->records++;
	return 0;
}

int cs_pcap_writer_close(struct cs_pcap_writer *w)
{
	int rc = ferror(w->f) ? -1 : 0;

	if (fclose(w->f) != 0)
		rc = -1;
	w->f = NULL;
	return rc;
}
