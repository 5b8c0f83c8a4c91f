/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SPOOL_H
#define CS_SPOOL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A disk spool for Kafka records the brokers could not take: an
 * append-only log of segment files in one directory, read back in append
 * order, with a persisted read position so a restart resumes where the
 * last run stopped. One process at a time (a lock file says so).
 *
 *   DIR/lock                     flock()ed while open
 *   DIR/0000000000000007.seg     segments, named by a growing 64-bit id (hex)
 *   DIR/0000000000000008.seg     the newest one takes the appends
 *   DIR/cursor                   where reading resumes: (segment id, offset)
 *
 * Segment file: an 8-byte magic, then entries back to back.
 *
 *   0       8        8+8+N1
 *   +-------+--------+--------+----
 *   |magic  |entry 1 |entry 2 | ...      magic = "cdrspl01" (format version 1)
 *   +-------+--------+--------+----
 *
 * Entry: a frame (length, checksum) around a body that holds what is
 * needed to produce the Kafka record again. Little-endian throughout.
 *
 *   offset size  field
 *   0      4     N, the body's length (16 + T + K + R + P)
 *   4      4     CRC-32 (zlib's) of bytes 0..3 and the body: a torn or
 *                damaged length is caught as surely as a damaged body
 *   8      4     body: schema version (Kafka header "schema-version")
 *   12     2     T, topic length (Kafka allows 249)
 *   14     2     K, key length
 *   16     1     R, record type length (Kafka header "record-type")
 *   17     3     zero
 *   20     4     P, payload length
 *   24     T     topic, then K bytes of key, R of record type, P of payload
 *
 * Worked example: a 300-byte session record to "cdrsentry.session"
 * (T = 17) keyed by a 15-digit IMSI (K = 15), type "session" (R = 7):
 * N = 16 + 17 + 15 + 7 + 300 = 355, 363 bytes on disk. Lengths are 2 and
 * 1 bytes where the value is small by nature; the payload's 4 bytes hold
 * any record (CS_SPOOL_MAX_BODY bounds it, far above a 4 KiB record).
 *
 * Crash safety. An entry is written with one writev at the end of the
 * newest segment; a crash can leave its tail torn. Opening the spool
 * checks every entry of the newest segment (length within the file,
 * checksum) and truncates at the first bad one, counting it: appends then
 * continue from a clean end. A bad entry met while reading an older
 * segment (damaged media) is counted and the rest of that segment is
 * skipped. The cursor file is replaced atomically (write, fsync, rename)
 * and only ever names a position whose records were acknowledged, and a
 * segment is deleted only after the cursor has moved past it: a crash can
 * make the next run send records again (at-least-once), never skip one.
 */

enum { CS_SPOOL_MAX_BODY = 256 * 1024, CS_SPOOL_MAX_TOPIC = 249, CS_SPOOL_MAX_KEY = 1024, CS_SPOOL_MAX_TYPE = 63 };

enum cs_spool_fsync {
	CS_SPOOL_FSYNC_ALWAYS,   /* each append is on disk before append returns */
	CS_SPOOL_FSYNC_INTERVAL, /* at most fsync_interval_ms of appends can be lost with the host */
	CS_SPOOL_FSYNC_NEVER,    /* the kernel decides (a process crash loses nothing, a host crash may) */
};

struct cs_spool_conf {
	const char *dir; /* created (one level) when missing */
	uint64_t max_bytes;     /* cap on the segment files' total size */
	uint64_t segment_bytes; /* a segment is closed when the next entry would take it past this */
	enum cs_spool_fsync fsync;
	uint32_t fsync_interval_ms;
};

/* One spooled record. Strings are not NUL-terminated on disk; read back, they are. */
struct cs_spool_entry {
	const char *topic, *key, *record_type;
	size_t topic_len, key_len, type_len;
	uint32_t schema_version;
	const char *payload;
	size_t len;
};

/* A place in the log: the entry starting at offset of segment id. */
struct cs_spool_pos {
	uint64_t segment, offset;
};

/* Every outcome with a name: stats.json shows them as kafka_spool_<name>. */
#define CS_SPOOL_COUNTERS(X)                                                                                        \
	X(appended)        /* entries written */                                                                     \
	X(refused_full)    /* appends refused: the cap would be exceeded */                                          \
	X(write_errors)    /* appends that failed on I/O (disk full before the cap, EIO) */                          \
	X(too_large)       /* appends refused: a field longer than the format holds */                               \
	X(read_entries)    /* entries read back */                                                                   \
	X(read_errors)     /* reads that failed on I/O (the entries stay, reading tries again) */                     \
	X(torn_tails)      /* an entry running past the end of the newest segment at open: a crash mid-append */     \
	X(corrupt_entries) /* an entry whose checksum or fields are wrong */                                          \
	X(dropped_bytes)   /* bytes truncated or skipped because of the two above */                                  \
	X(segments_deleted)                                                                                           \
	X(cursor_writes)

struct cs_spool_stats {
#define CS_SPOOL_FIELD(name) uint64_t name;
	CS_SPOOL_COUNTERS(CS_SPOOL_FIELD)
#undef CS_SPOOL_FIELD
};

enum cs_spool_rc { CS_SPOOL_OK = 0, CS_SPOOL_FULL, CS_SPOOL_TOO_LARGE, CS_SPOOL_IO };

struct cs_spool;

/*
 * Opens (or creates) the spool in conf->dir: takes the lock, finds the
 * segments, reads the cursor, repairs a torn tail. NULL with err naming
 * the file and the reason when the directory cannot be used.
 */
struct cs_spool *cs_spool_open(const struct cs_spool_conf *conf, char *err, size_t errlen);

/* Appends one entry at the end. CS_SPOOL_IO leaves a reason for cs_spool_error. */
enum cs_spool_rc cs_spool_append(struct cs_spool *sp, const struct cs_spool_entry *e);

/*
 * Reads the next entry in append order into *e (valid until the next
 * read) and sets *next to the position after it, for cs_spool_ack.
 * Returns 1, 0 at the end, or -1 on an I/O error (cs_spool_error says).
 */
int cs_spool_read(struct cs_spool *sp, struct cs_spool_entry *e, struct cs_spool_pos *next);

/*
 * Everything before upto was delivered (NULL: everything read so far).
 * Positions come in the order reads returned them. Segments read to the
 * end are deleted once the cursor is persisted past them.
 */
void cs_spool_ack(struct cs_spool *sp, const struct cs_spool_pos *upto);

/* Reading starts again at the first entry not acknowledged. */
void cs_spool_rewind(struct cs_spool *sp);

/* Whether entries not acknowledged remain (read or not). */
int cs_spool_pending(const struct cs_spool *sp);

/* The segment files' total size in bytes. */
uint64_t cs_spool_bytes(const struct cs_spool *sp);

/* Periodic work: the fsync of an interval policy, and persisting an acknowledged cursor. Call now and then. */
void cs_spool_tick(struct cs_spool *sp);

/* The last I/O problem, naming the file ("" when none). */
const char *cs_spool_error(const struct cs_spool *sp);

void cs_spool_stats(const struct cs_spool *sp, struct cs_spool_stats *st);

/* Syncs the data, persists the cursor, unlocks. Returns 0, or -1 when that failed (cs_spool_error is lost). */
int cs_spool_close(struct cs_spool *sp, char *err, size_t errlen);

#endif
