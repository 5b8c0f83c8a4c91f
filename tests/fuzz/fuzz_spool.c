/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the disk spool's reader (control/spool.c): what a
 * crash, a full disk or damaged media may leave in a spool directory. The
 * input is cut in two at its first byte's share of its length, each half
 * becomes a segment file behind the format's magic (the first 8 input
 * bytes instead when they spell another one), and the spool is opened and
 * read to the end: the older segment through the reader's checks, the
 * newer through the tail repair at open. Every entry read must lie within
 * the format's bounds, an entry appended after the repair must read back
 * whole, and nothing may crash, hang or read out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

static char dir[64];

static void write_segment(unsigned int id, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%016x.seg", dir, id);
	f = fopen(path, "wb");
	if (f == NULL)
		abort();
	if (size < 8 || memcmp(data, "cdrspl", 6) != 0)
		fwrite("cdrspl01", 1, 8, f);
	fwrite(data, 1, size, f);
	fclose(f);
}

static void check(const struct cs_spool_entry *e)
{
	if (e->topic_len > CS_SPOOL_MAX_TOPIC || e->key_len > CS_SPOOL_MAX_KEY || e->type_len > CS_SPOOL_MAX_TYPE ||
	    e->len > CS_SPOOL_MAX_BODY)
		abort();
	/* read back, every field is readable to its end and NUL-terminated */
	if (e->topic[e->topic_len] != '\0' || e->key[e->key_len] != '\0' || e->record_type[e->type_len] != '\0')
		abort();
}

static void clean(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/cs-fuzz-spool.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(clean);
	}
	size_t cut = size > 0 ? (size_t)data[0] * size / 256 : 0;
	write_segment(1, data, cut);
	write_segment(2, data + cut, size - cut);

	const struct cs_spool_conf conf = {
		.dir = dir, .max_bytes = 64u << 20, .segment_bytes = 1u << 20, .fsync = CS_SPOOL_FSYNC_NEVER,
	};
	char err[256];
	struct cs_spool *sp = cs_spool_open(&conf, err, sizeof(err));
	if (sp == NULL)
		abort(); /* the directory is usable: damage inside it is repaired, never refused */
	struct cs_spool_entry e;
	struct cs_spool_pos next;
	int rc;
	while ((rc = cs_spool_read(sp, &e, &next)) == 1)
		check(&e);
	if (rc < 0)
		abort();
	const struct cs_spool_entry mine = {
		.topic = "t", .topic_len = 1, .key = "k", .key_len = 1, .record_type = "r", .type_len = 1,
		.schema_version = 7, .payload = "{}", .len = 2,
	};
	if (cs_spool_append(sp, &mine) != CS_SPOOL_OK)
		abort();
	int mine_read = 0;
	while ((rc = cs_spool_read(sp, &e, &next)) == 1) {
		check(&e);
		mine_read = e.schema_version == 7 && e.len == 2 && memcmp(e.payload, "{}", 2) == 0;
	}
	if (rc < 0 || !mine_read)
		abort(); /* the entry appended after the repair is the last one read, whole */
	if (cs_spool_close(sp, err, sizeof(err)) != 0)
		abort();
	char path[128];
	for (unsigned int id = 1; id <= 3; id++) {
		snprintf(path, sizeof(path), "%s/%016x.seg", dir, id);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/cursor", dir);
	unlink(path);
	return 0;
}
