/* SPDX-License-Identifier: Apache-2.0 */
/* The disk spool: the format and its guarantees are described in spool.h. */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "mem.h"

enum { FRAME = 8, FIXED = 16, PATH_MAX_LEN = 4096, CURSOR_LEN = 32 };

static const char SEGMENT_MAGIC[8] = { 'c', 'd', 'r', 's', 'p', 'l', '0', '1' };
static const char CURSOR_MAGIC[8] = { 'c', 'd', 'r', 'c', 'u', 'r', '0', '1' };

/*
 * Cursor file, 32 bytes, little-endian:
 *   0 8 magic "cdrcur01"   8 8 segment id   16 8 offset   24 4 CRC-32 of bytes 0..23   28 4 zero
 */

struct segment {
	uint64_t id, size;
};

struct cs_spool {
	struct cs_spool_conf conf;
	char dir[PATH_MAX_LEN - 32]; /* room left for "/" and a file name */
	int lock_fd;
	struct segment *segs; /* oldest first; the last one takes appends */
	size_t nsegs, cap_segs;
	int write_fd;        /* the newest segment, O_APPEND */
	int read_fd;         /* the segment being read, -1 when none is open */
	uint64_t read_fd_id;
	struct cs_spool_pos read, acked, persisted;
	uint64_t total;      /* sum of segment sizes */
	uint64_t last_sync_ms;
	int unsynced;        /* appends since the last fsync */
	char error[PATH_MAX_LEN + 128];
	struct cs_spool_stats st;
	char topic[CS_SPOOL_MAX_TOPIC + 1], key[CS_SPOOL_MAX_KEY + 1], type[CS_SPOOL_MAX_TYPE + 1];
	unsigned char *body; /* CS_SPOOL_MAX_BODY bytes, the last entry read */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void seg_path(const struct cs_spool *sp, uint64_t id, char *out)
{
	snprintf(out, PATH_MAX_LEN, "%s/%016" PRIx64 ".seg", sp->dir, id);
}

static void io_error(struct cs_spool *sp, const char *what, const char *path)
{
	snprintf(sp->error, sizeof(sp->error), "%s: %s: %s", path, what, strerror(errno));
}

static int sync_dir(struct cs_spool *sp)
{
	if (sp->conf.fsync == CS_SPOOL_FSYNC_NEVER)
		return 0;
	int fd = open(sp->dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) != 0) {
		io_error(sp, "cannot sync the directory", sp->dir);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* ---- the cursor ---- */

static int write_cursor(struct cs_spool *sp, const struct cs_spool_pos *pos)
{
	unsigned char b[CURSOR_LEN] = { 0 };
	char tmp[PATH_MAX_LEN], path[PATH_MAX_LEN];

	memcpy(b, CURSOR_MAGIC, 8);
	put_le(b + 8, pos->segment, 8);
	put_le(b + 16, pos->offset, 8);
	put_le(b + 24, crc32(0, b, 24), 4);
	snprintf(tmp, sizeof(tmp), "%s/cursor.tmp", sp->dir);
	snprintf(path, sizeof(path), "%s/cursor", sp->dir);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0) {
		io_error(sp, "cannot create", tmp);
		return -1;
	}
	int ok = write(fd, b, sizeof(b)) == (ssize_t)sizeof(b) &&
		 (sp->conf.fsync == CS_SPOOL_FSYNC_NEVER || fsync(fd) == 0);
	if (!ok)
		io_error(sp, "cannot write", tmp);
	close(fd);
	if (!ok)
		return -1;
	if (rename(tmp, path) != 0) {
		io_error(sp, "cannot rename into place", path);
		return -1;
	}
	if (sync_dir(sp) != 0)
		return -1;
	sp->persisted = *pos;
	sp->st.cursor_writes++;
	return 0;
}

/* The persisted cursor, or {0, 0} when there is none or it is damaged (reading starts at the oldest entry). */
static struct cs_spool_pos read_cursor(const struct cs_spool *sp)
{
	unsigned char b[CURSOR_LEN];
	char path[PATH_MAX_LEN];
	struct cs_spool_pos pos = { 0, 0 };

	snprintf(path, sizeof(path), "%s/cursor", sp->dir);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return pos;
	if (read(fd, b, sizeof(b)) == (ssize_t)sizeof(b) && memcmp(b, CURSOR_MAGIC, 8) == 0 &&
	    get_le(b + 24, 4) == crc32(0, b, 24)) {
		pos.segment = get_le(b + 8, 8);
		pos.offset = get_le(b + 16, 8);
	}
	close(fd);
	return pos;
}

/* ---- segments ---- */

static void add_segment(struct cs_spool *sp, uint64_t id, uint64_t size)
{
	if (sp->nsegs == sp->cap_segs) {
		size_t cap = sp->cap_segs ? sp->cap_segs * 2 : 16;
		struct segment *s = cs_mem_alloc(cap * sizeof(*s));
		if (sp->nsegs > 0)
			memcpy(s, sp->segs, sp->nsegs * sizeof(*s));
		cs_mem_free(sp->segs);
		sp->segs = s;
		sp->cap_segs = cap;
	}
	/* kept sorted: the directory scan finds them in any order */
	size_t at = sp->nsegs;
	while (at > 0 && sp->segs[at - 1].id > id) {
		sp->segs[at] = sp->segs[at - 1];
		at--;
	}
	sp->segs[at] = (struct segment){ .id = id, .size = size };
	sp->nsegs++;
}

static struct segment *find_segment(struct cs_spool *sp, uint64_t id)
{
	for (size_t i = 0; i < sp->nsegs; i++)
		if (sp->segs[i].id == id)
			return &sp->segs[i];
	return NULL;
}

/* Starts segment id as the newest: the magic written, the append descriptor on it. */
static int new_segment(struct cs_spool *sp, uint64_t id)
{
	char path[PATH_MAX_LEN];

	seg_path(sp, id, path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
	if (fd < 0) {
		io_error(sp, "cannot create", path);
		return -1;
	}
	if (write(fd, SEGMENT_MAGIC, sizeof(SEGMENT_MAGIC)) != (ssize_t)sizeof(SEGMENT_MAGIC) ||
	    (sp->conf.fsync != CS_SPOOL_FSYNC_NEVER && fdatasync(fd) != 0)) {
		io_error(sp, "cannot write", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if (sync_dir(sp) != 0) {
		close(fd);
		return -1;
	}
	if (sp->write_fd >= 0)
		close(sp->write_fd);
	sp->write_fd = fd;
	add_segment(sp, id, sizeof(SEGMENT_MAGIC));
	sp->total += sizeof(SEGMENT_MAGIC);
	return 0;
}

static void delete_segment(struct cs_spool *sp, size_t i)
{
	char path[PATH_MAX_LEN];

	if (sp->read_fd >= 0 && sp->read_fd_id == sp->segs[i].id) {
		close(sp->read_fd);
		sp->read_fd = -1;
	}
	seg_path(sp, sp->segs[i].id, path);
	if (unlink(path) != 0 && errno != ENOENT)
		io_error(sp, "cannot delete", path);
	sp->total -= sp->segs[i].size;
	memmove(&sp->segs[i], &sp->segs[i + 1], (sp->nsegs - i - 1) * sizeof(sp->segs[0]));
	sp->nsegs--;
	sp->st.segments_deleted++;
}

/* ---- entries ---- */

/* Checks a frame and body in buf (len bytes of body); fills e from it. 0 or -1 when it is not a valid entry. */
static int decode(struct cs_spool *sp, const unsigned char *frame, const unsigned char *body, size_t n,
		  struct cs_spool_entry *e)
{
	uLong crc = crc32(crc32(0, frame, 4), body, (uInt)n);
	if (n < FIXED || crc != get_le(frame + 4, 4))
		return -1;
	size_t t = get_le(body + 4, 2), k = get_le(body + 6, 2), r = body[8], p = get_le(body + 12, 4);
	if (FIXED + t + k + r + p != n || t > CS_SPOOL_MAX_TOPIC || k > CS_SPOOL_MAX_KEY || r > CS_SPOOL_MAX_TYPE)
		return -1;
	if (e != NULL) {
		const unsigned char *at = body + FIXED;
		memcpy(sp->topic, at, t);
		sp->topic[t] = '\0';
		memcpy(sp->key, at + t, k);
		sp->key[k] = '\0';
		memcpy(sp->type, at + t + k, r);
		sp->type[r] = '\0';
		*e = (struct cs_spool_entry){
			.topic = sp->topic, .topic_len = t,
			.key = sp->key, .key_len = k,
			.record_type = sp->type, .type_len = r,
			.schema_version = (uint32_t)get_le(body, 4),
			.payload = (const char *)at + t + k + r, .len = p,
		};
	}
	return 0;
}

/*
 * Reads the entry at off of fd (file size size) into sp->body. Returns the
 * entry's length on disk, 0 when it is torn (runs past size), -1 when it
 * is damaged, -2 on an I/O error.
 */
static ssize_t read_entry(struct cs_spool *sp, int fd, uint64_t off, uint64_t size, struct cs_spool_entry *e)
{
	unsigned char frame[FRAME];

	if (size - off < FRAME)
		return 0;
	if (pread(fd, frame, FRAME, (off_t)off) != FRAME)
		return -2;
	uint64_t n = get_le(frame, 4);
	if (n > CS_SPOOL_MAX_BODY)
		return size - off - FRAME < n ? 0 : -1;
	if (size - off - FRAME < n)
		return 0;
	if (pread(fd, sp->body, n, (off_t)(off + FRAME)) != (ssize_t)n)
		return -2;
	return decode(sp, frame, sp->body, n, e) == 0 ? (ssize_t)(FRAME + n) : -1;
}

/* The newest segment after a crash: every entry checked, the file cut after the last good one. */
static int repair_tail(struct cs_spool *sp, struct segment *s)
{
	char path[PATH_MAX_LEN];
	unsigned char magic[sizeof(SEGMENT_MAGIC)];

	seg_path(sp, s->id, path);
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		io_error(sp, "cannot open", path);
		return -1;
	}
	uint64_t off = sizeof(SEGMENT_MAGIC);
	ssize_t got = pread(fd, magic, sizeof(magic), 0);
	if (got == (ssize_t)sizeof(magic) && memcmp(magic, SEGMENT_MAGIC, sizeof(magic)) != 0) {
		close(fd);
		snprintf(sp->error, sizeof(sp->error), "%s: not a cdrsentry spool segment (format %.8s)", path,
			 (const char *)magic);
		return -1;
	}
	if (got < (ssize_t)sizeof(magic)) {
		/* torn while being created: start it again */
		if (pwrite(fd, SEGMENT_MAGIC, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
			io_error(sp, "cannot write", path);
			close(fd);
			return -1;
		}
		s->size = sizeof(magic);
		sp->st.torn_tails++;
	}
	for (;;) {
		ssize_t len = read_entry(sp, fd, off, s->size, NULL);
		if (len == -2) {
			io_error(sp, "cannot read", path);
			close(fd);
			return -1;
		}
		if (len <= 0) {
			if (off < s->size) {
				if (len == 0)
					sp->st.torn_tails++;
				else
					sp->st.corrupt_entries++;
				sp->st.dropped_bytes += s->size - off;
			}
			break;
		}
		off += (uint64_t)len;
	}
	if (off != s->size && ftruncate(fd, (off_t)off) != 0) {
		io_error(sp, "cannot truncate", path);
		close(fd);
		return -1;
	}
	s->size = off;
	close(fd);
	return 0;
}

static int is_segment_name(const char *name, uint64_t *id)
{
	char *end;

	if (strlen(name) != 20 || strcmp(name + 16, ".seg") != 0 || strspn(name, "0123456789abcdef") != 16)
		return 0;
	*id = strtoull(name, &end, 16);
	return end == name + 16;
}

static int scan(struct cs_spool *sp)
{
	DIR *d = opendir(sp->dir);
	struct dirent *de;
	char path[PATH_MAX_LEN];

	if (d == NULL) {
		io_error(sp, "cannot list", sp->dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		uint64_t id;
		struct stat stt;
		if (!is_segment_name(de->d_name, &id))
			continue;
		seg_path(sp, id, path);
		if (stat(path, &stt) != 0) {
			io_error(sp, "cannot stat", path);
			closedir(d);
			return -1;
		}
		add_segment(sp, id, (uint64_t)stt.st_size);
		sp->total += (uint64_t)stt.st_size;
	}
	closedir(d);
	return 0;
}

static int lock_dir(struct cs_spool *sp)
{
	char path[PATH_MAX_LEN];

	if (mkdir(sp->dir, 0750) != 0 && errno != EEXIST) {
		io_error(sp, "cannot create the spool directory", sp->dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/lock", sp->dir);
	sp->lock_fd = open(path, O_RDWR | O_CREAT, 0640);
	if (sp->lock_fd < 0) {
		io_error(sp, "cannot create", path);
		return -1;
	}
	if (flock(sp->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		io_error(sp, "in use by another cdrsentry (one process per spool)", path);
		return -1;
	}
	return 0;
}

static void free_spool(struct cs_spool *sp)
{
	if (sp->write_fd >= 0)
		close(sp->write_fd);
	if (sp->read_fd >= 0)
		close(sp->read_fd);
	if (sp->lock_fd >= 0)
		close(sp->lock_fd);
	cs_mem_free(sp->segs);
	cs_mem_free(sp->body);
	cs_mem_free(sp);
}

/* Places the cursor on the segments found: older segments (a crash after the cursor moved) are deleted. */
static void place_cursor(struct cs_spool *sp, struct cs_spool_pos pos)
{
	struct segment *s = find_segment(sp, pos.segment);

	if (s == NULL || pos.offset < sizeof(SEGMENT_MAGIC) || pos.offset > s->size) {
		/* no cursor, or one for segments gone: start at the oldest entry (sending again beats losing) */
		pos = (struct cs_spool_pos){ sp->segs[0].id, sizeof(SEGMENT_MAGIC) };
		if (s != NULL && pos.offset > s->size)
			pos = (struct cs_spool_pos){ s->id, s->size };
	}
	while (sp->segs[0].id < pos.segment)
		delete_segment(sp, 0);
	sp->read = sp->acked = sp->persisted = pos;
}

struct cs_spool *cs_spool_open(const struct cs_spool_conf *conf, char *err, size_t errlen)
{
	struct cs_spool *sp = cs_mem_alloc(sizeof(*sp));

	*sp = (struct cs_spool){ .conf = *conf, .lock_fd = -1, .write_fd = -1, .read_fd = -1 };
	sp->body = cs_mem_alloc(CS_SPOOL_MAX_BODY);
	if (strlen(conf->dir) >= sizeof(sp->dir)) {
		snprintf(sp->error, sizeof(sp->error), "the directory's path is longer than %zu bytes", sizeof(sp->dir) - 1);
		goto fail;
	}
	snprintf(sp->dir, sizeof(sp->dir), "%s", conf->dir);
	sp->last_sync_ms = now_ms();
	if (lock_dir(sp) != 0 || scan(sp) != 0)
		goto fail;
	struct cs_spool_pos cursor = read_cursor(sp);
	if (sp->nsegs > 0) {
		if (repair_tail(sp, &sp->segs[sp->nsegs - 1]) != 0)
			goto fail;
		sp->total = 0;
		for (size_t i = 0; i < sp->nsegs; i++)
			sp->total += sp->segs[i].size;
		place_cursor(sp, cursor);
		char path[PATH_MAX_LEN];
		seg_path(sp, sp->segs[sp->nsegs - 1].id, path);
		sp->write_fd = open(path, O_WRONLY | O_APPEND);
		if (sp->write_fd < 0) {
			io_error(sp, "cannot open", path);
			goto fail;
		}
	} else {
		/* ids only grow, past a cursor left by a spool that was emptied */
		if (new_segment(sp, cursor.segment + 1) != 0)
			goto fail;
		place_cursor(sp, (struct cs_spool_pos){ 0, 0 });
	}
	return sp;
fail:
	snprintf(err, errlen, "kafka spool: %s", sp->error);
	free_spool(sp);
	return NULL;
}

static int sync_data(struct cs_spool *sp)
{
	sp->last_sync_ms = now_ms();
	if (!sp->unsynced)
		return 0;
	sp->unsynced = 0;
	if (fdatasync(sp->write_fd) != 0) {
		char path[PATH_MAX_LEN];
		seg_path(sp, sp->segs[sp->nsegs - 1].id, path);
		io_error(sp, "cannot sync", path);
		return -1;
	}
	return 0;
}

enum cs_spool_rc cs_spool_append(struct cs_spool *sp, const struct cs_spool_entry *e)
{
	unsigned char frame[FRAME], fixed[FIXED] = { 0 };
	uint64_t n = FIXED + e->topic_len + e->key_len + e->type_len + e->len;

	if (e->topic_len > CS_SPOOL_MAX_TOPIC || e->key_len > CS_SPOOL_MAX_KEY || e->type_len > CS_SPOOL_MAX_TYPE ||
	    n > CS_SPOOL_MAX_BODY) {
		sp->st.too_large++;
		return CS_SPOOL_TOO_LARGE;
	}
	struct segment *last = &sp->segs[sp->nsegs - 1];
	int roll = last->size > sizeof(SEGMENT_MAGIC) && last->size + FRAME + n > sp->conf.segment_bytes;
	if (sp->total + FRAME + n + (roll ? sizeof(SEGMENT_MAGIC) : 0) > sp->conf.max_bytes) {
		sp->st.refused_full++;
		return CS_SPOOL_FULL;
	}
	if (roll) {
		/* the closed segment is synced now: an interval policy's next sync only sees the new one */
		int flush = sp->unsynced && sp->conf.fsync != CS_SPOOL_FSYNC_NEVER;
		if ((flush && sync_data(sp) != 0) || new_segment(sp, last->id + 1) != 0) {
			sp->st.write_errors++;
			return CS_SPOOL_IO;
		}
		last = &sp->segs[sp->nsegs - 1];
	}
	put_le(fixed, e->schema_version, 4);
	put_le(fixed + 4, e->topic_len, 2);
	put_le(fixed + 6, e->key_len, 2);
	fixed[8] = (unsigned char)e->type_len;
	put_le(fixed + 12, e->len, 4);
	put_le(frame, n, 4);
	uLong crc = crc32(0, frame, 4);
	crc = crc32(crc, fixed, FIXED);
	crc = crc32(crc, (const Bytef *)e->topic, (uInt)e->topic_len);
	crc = crc32(crc, (const Bytef *)e->key, (uInt)e->key_len);
	crc = crc32(crc, (const Bytef *)e->record_type, (uInt)e->type_len);
	crc = crc32(crc, (const Bytef *)e->payload, (uInt)e->len);
	put_le(frame + 4, crc, 4);

	struct iovec iov[6] = {
		{ frame, FRAME }, { fixed, FIXED },
		{ (void *)e->topic, e->topic_len }, { (void *)e->key, e->key_len },
		{ (void *)e->record_type, e->type_len }, { (void *)e->payload, e->len },
	};
	ssize_t wrote = writev(sp->write_fd, iov, 6);
	if (wrote != (ssize_t)(FRAME + n)) {
		char path[PATH_MAX_LEN];
		seg_path(sp, last->id, path);
		if (wrote >= 0)
			errno = ENOSPC;
		io_error(sp, "cannot append", path);
		/* a partial entry would read as a torn tail after a crash: take it back now */
		if (wrote > 0 && ftruncate(sp->write_fd, (off_t)last->size) != 0)
			io_error(sp, "cannot truncate a partial entry", path);
		sp->st.write_errors++;
		return CS_SPOOL_IO;
	}
	last->size += FRAME + n;
	sp->total += FRAME + n;
	sp->st.appended++;
	sp->unsynced = 1;
	if (sp->conf.fsync == CS_SPOOL_FSYNC_ALWAYS ||
	    (sp->conf.fsync == CS_SPOOL_FSYNC_INTERVAL && now_ms() - sp->last_sync_ms >= sp->conf.fsync_interval_ms)) {
		if (sync_data(sp) != 0) {
			sp->st.write_errors++;
			return CS_SPOOL_IO;
		}
	}
	return CS_SPOOL_OK;
}

/* The descriptor to read segment s with, opened on first use. */
static int reader_on(struct cs_spool *sp, const struct segment *s)
{
	char path[PATH_MAX_LEN];

	if (sp->read_fd >= 0 && sp->read_fd_id == s->id)
		return sp->read_fd;
	if (sp->read_fd >= 0)
		close(sp->read_fd);
	seg_path(sp, s->id, path);
	sp->read_fd = open(path, O_RDONLY);
	sp->read_fd_id = s->id;
	if (sp->read_fd < 0)
		io_error(sp, "cannot open", path);
	return sp->read_fd;
}

int cs_spool_read(struct cs_spool *sp, struct cs_spool_entry *e, struct cs_spool_pos *next)
{
	for (;;) {
		struct segment *s = find_segment(sp, sp->read.segment);
		if (s == NULL)
			return 0;
		if (sp->read.offset >= s->size) {
			if (s == &sp->segs[sp->nsegs - 1])
				return 0;
			sp->read = (struct cs_spool_pos){ (s + 1)->id, sizeof(SEGMENT_MAGIC) };
			continue;
		}
		int fd = reader_on(sp, s);
		if (fd < 0) {
			sp->st.read_errors++;
			return -1;
		}
		ssize_t len = read_entry(sp, fd, sp->read.offset, s->size, e);
		if (len == -2) {
			char path[PATH_MAX_LEN];
			seg_path(sp, s->id, path);
			io_error(sp, "cannot read", path);
			sp->st.read_errors++;
			return -1;
		}
		if (len <= 0) {
			/* damaged media in a closed segment: count it, skip to the next segment */
			sp->st.corrupt_entries++;
			sp->st.dropped_bytes += s->size - sp->read.offset;
			sp->read.offset = s->size;
			continue;
		}
		sp->read.offset += (uint64_t)len;
		*next = sp->read;
		sp->st.read_entries++;
		return 1;
	}
}

static int before(const struct cs_spool_pos *a, const struct cs_spool_pos *b)
{
	return a->segment < b->segment || (a->segment == b->segment && a->offset < b->offset);
}

void cs_spool_ack(struct cs_spool *sp, const struct cs_spool_pos *upto)
{
	const struct cs_spool_pos to = upto != NULL ? *upto : sp->read;

	if (!before(&sp->acked, &to))
		return;
	sp->acked = to;
	struct segment *last = &sp->segs[sp->nsegs - 1];
	if (to.segment == last->id && to.offset == last->size && last->size > sizeof(SEGMENT_MAGIC) &&
	    to.segment == sp->read.segment && to.offset == sp->read.offset) {
		/* everything delivered: appends go to a fresh segment so the old one's space comes back now */
		uint64_t fresh = last->id + 1;
		if (new_segment(sp, fresh) == 0)
			sp->acked = sp->read = (struct cs_spool_pos){ fresh, sizeof(SEGMENT_MAGIC) };
	}
	if (sp->segs[0].id < sp->acked.segment && write_cursor(sp, &sp->acked) == 0)
		while (sp->segs[0].id < sp->acked.segment)
			delete_segment(sp, 0);
}

void cs_spool_rewind(struct cs_spool *sp)
{
	sp->read = sp->acked;
}

int cs_spool_pending(const struct cs_spool *sp)
{
	const struct segment *last = &sp->segs[sp->nsegs - 1];

	return sp->acked.segment != last->id || sp->acked.offset != last->size;
}

uint64_t cs_spool_bytes(const struct cs_spool *sp)
{
	return sp->total;
}

void cs_spool_tick(struct cs_spool *sp)
{
	uint64_t interval = sp->conf.fsync == CS_SPOOL_FSYNC_INTERVAL ? sp->conf.fsync_interval_ms : 1000;

	if (now_ms() - sp->last_sync_ms < interval)
		return;
	if (sp->conf.fsync != CS_SPOOL_FSYNC_NEVER)
		sync_data(sp);
	sp->last_sync_ms = now_ms();
	if (sp->persisted.segment != sp->acked.segment || sp->persisted.offset != sp->acked.offset)
		write_cursor(sp, &sp->acked);
}

const char *cs_spool_error(const struct cs_spool *sp)
{
	return sp->error;
}

void cs_spool_stats(const struct cs_spool *sp, struct cs_spool_stats *st)
{
	*st = sp->st;
}

int cs_spool_close(struct cs_spool *sp, char *err, size_t errlen)
{
	if (sp == NULL)
		return 0;
	/* whatever the policy, a clean stop leaves everything on disk for the next start */
	sp->unsynced = 1;
	int rc = sync_data(sp);
	if (rc == 0 && (sp->persisted.segment != sp->acked.segment || sp->persisted.offset != sp->acked.offset))
		rc = write_cursor(sp, &sp->acked);
	if (rc != 0)
		snprintf(err, errlen, "kafka spool: %s", sp->error);
	free_spool(sp);
	return rc;
}
