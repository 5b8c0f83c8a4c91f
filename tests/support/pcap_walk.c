/* SPDX-License-Identifier: Apache-2.0 */
#include "pcap_walk.h"

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "run.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void cs_test_capture_load(struct cs_test_capture *c, const char *path)
{
	size_t len, off = 24;

	memset(c, 0, sizeof(*c));
	c->bytes = cs_read_file(path, &len);
	cr_assert_not_null(c->bytes, "cannot read %s", path);
	const uint8_t *b = (const uint8_t *)c->bytes;
	cr_assert(len >= 24 && (le32(b) == 0xa1b2c3d4 || le32(b) == 0xa1b23c4d), "%s: not a little-endian pcap", path);
	c->frames = calloc(len / 16 + 1, sizeof(*c->frames));
	while (off + 16 <= len) {
		uint32_t caplen = le32(b + off + 8);
		cr_assert(off + 16 + caplen <= len, "%s: record %zu runs past the file", path, c->count + 1);
		c->frames[c->count++] = (struct cs_test_frame){ b + off + 16, caplen };
		off += 16 + caplen;
	}
}

void cs_test_capture_free(struct cs_test_capture *c)
{
	free(c->frames);
	free(c->bytes);
	memset(c, 0, sizeof(*c));
}
