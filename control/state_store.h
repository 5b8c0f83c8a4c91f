/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_STATE_STORE_H
#define CS_STATE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "checkpoint_queue.h"
#include "digits.h"

/*
 * Long memory: what some rules must remember longer than a process lives
 * (when a card was last active, the first IMEI an IoT card was bound to,
 * when a number was first activated), kept in LMDB and restored at start.
 *
 * Who does what
 * -------------
 *   worker w (lcore, one shard)        checkpoint writer (a control thread)
 *   keeps its subscribers' records     calls cs_state_store_run_once() every
 *   in memory, marks changed ones      checkpoint interval: drains up to
 *   dirty, and once per interval       max_records from the shard queues
 *   offers each dirty record:          into ONE LMDB write transaction and
 *   cs_checkpoint_queue_offer() = a    commits it; only then frees the slots
 *   48-byte copy into its own SPSC --> (so a failed commit loses nothing:
 *   queue (checkpoint_queue.h); full   the records are written next time)
 *   -> refused at once, counted,
 *   record stays dirty
 *
 * Workers never touch LMDB, never wait and never allocate: an offer is a
 * bounds check, a 48-byte copy and one release store; a worker that finds
 * the queue full keeps the record dirty and offers it next interval. The
 * writer's cost (B+tree updates, fsync) is all on the control thread, so
 * a slow disk delays checkpoints, never packets. The module starts no
 * thread: the caller loops run_once() at its interval, which lets replay
 * checkpoint in event time and lets tests drive checkpoints one by one.
 *
 * Store layout
 * ------------
 * One LMDB environment per state directory (LMDB's directory layout:
 * DIR/data.mdb and DIR/lock.mdb) holding ONE named database, "subscribers",
 * keyed by IMSI alone, no shard prefix. A record's shard is hash(IMSI) mod
 * the number of workers, and that number is configuration: day 0 may be
 * replayed with 2 workers and day 36 with 4. A database per shard, or a
 * shard prefix in the key, would bake the worker count into the file;
 * keyed by IMSI the file does not care, and restore hands each record to
 * whoever owns it now. Per-IMSI order is still kept: one IMSI has one
 * worker, hence one queue, drained in order, and the last put wins.
 * first_activation_s of the MSISDN lives in the IMSI record, not in a
 * database keyed by MSISDN: that database would have two writers (any
 * worker may see a number), and the record already names its MSISDN.
 *
 * A put merges with the stored record rather than replacing it (earliest
 * first times, latest last times, the first bound IMEI): a worker's copy
 * of a subscriber evicted from memory and seen again is younger than the
 * store's, and must not erase what the store remembers.
 *
 * Key: the IMSI's cs_digits, 8 bytes big-endian (memcmp order = digit order,
 * so a cursor walks IMSIs in a stable order). Value: 40 bytes, version 1,
 * little-endian integers at fixed offsets (written byte by byte, never a
 * memcpy of the struct, so padding and compiler layout never reach disk):
 *
 *   off size field                meaning
 *    0   1   version              1; any other value is skipped at restore, counted
 *    1   1   reserved             0
 *    2   2   flags                the state engine's bits, stored verbatim
 *    4   4   last_activity_s      event time (s since 1970) of the last activity
 *    8   4   last_mo_s            event time of the last mobile-originated use
 *   12   4   first_seen_s         event time the IMSI was first seen
 *   16   2   first_imei_day       day (since 1970) bound_imei was first seen
 *   18   2   first_activation_day day the MSISDN was first seen on this SIM
 *   20   4   reserved             0
 *   24   8   bound_imei           cs_digits, CS_DIGITS_NONE if not known
 *   32   8   msisdn               cs_digits, CS_DIGITS_NONE if not known
 *
 * Example: IMSI 001010000000001, last active 2023-11-14 22:13:20 UTC
 * (1700000000), first seen at 1699990000 with IMEI 35693803564380 (day
 * 19675), never mobile-originated, no MSISDN known, flags 0x0001:
 *   key   00 10 10 00 00 00 00 1F
 *   value 01 00 01 00  00 F1 53 65  00 00 00 00  F0 C9 53 65  DB 4C 00 00
 *         00 00 00 00  FF 80 43 56 03 38 69 35  FF FF FF FF FF FF FF FF
 * uint32 seconds last until 2106 and halve the record against uint64 ns;
 * rules on sleeping cards and first activations count days, not
 * nanoseconds, and uint16 days (until 2149) are what the worker's 240-byte
 * record has room for. 0 means "never". 48 bytes per record (key + value); with
 * LMDB's node header and partly filled pages, 71 bytes per subscriber were
 * measured, and copy-on-write needs room for about 3 trees at peak, so
 * map_size ~ 4 x 72 bytes per subscriber: 10 M subscribers, about 3 GiB of
 * address space (docs/state-store.md).
 *
 * Crash safety: LMDB never overwrites a page a committed transaction can
 * reach (copy-on-write B+tree); a commit writes the new pages, syncs them,
 * then switches one of the two meta pages. Killed at any moment, the file
 * still holds the previous meta page and the tree it points to: the last
 * committed checkpoint, whole. A checkpoint is one transaction, so it is
 * there entirely or not at all.
 *
 * Threads: one writer thread calls open, run_once, restore and close;
 * shard s's queue has one producer (worker s); stats may be read from any
 * thread.
 */

enum { CS_STATE_VALUE_LEN = 40, CS_STATE_KEY_LEN = 8, CS_STATE_VERSION = 1 };

struct cs_state_store_conf {
	const char *dir;             /* state directory; created (one level) if missing */
	size_t map_size;             /* bytes: LMDB reserves the address space up front */
	unsigned int shards;         /* workers offering records, 1..CS_STATE_MAX_SHARDS */
	unsigned int queue_capacity; /* records per shard queue, a power of two >= 2 */
};

enum { CS_STATE_MAX_SHARDS = 128 };

/* What a checkpoint or a restore came to. Names appear in stats and logs. */
#define CS_STATE_RESULTS(X)                                                                     \
	X(CS_STATE_OK, "ok")                                                                    \
	X(CS_STATE_MAP_FULL, "map_full")         /* MDB_MAP_FULL: map_size too small */           \
	X(CS_STATE_LMDB_ERROR, "lmdb_error")     /* any other LMDB failure (disk, corruption) */ \
	X(CS_STATE_STOPPED, "stopped_by_caller") /* the restore callback returned non-zero */

enum cs_state_result {
#define CS_STATE_ENUM(id, name) id,
	CS_STATE_RESULTS(CS_STATE_ENUM)
#undef CS_STATE_ENUM
};

const char *cs_state_result_name(enum cs_state_result r);

struct cs_state_store_stats {
	uint64_t records_queued;      /* offers accepted, all shards */
	uint64_t records_queue_full;  /* offers refused because the shard queue was full */
	uint64_t records_written;     /* records put by committed checkpoints */
	uint64_t bytes_written;       /* key + value bytes of those records */
	uint64_t transactions;        /* committed checkpoints (empty queues commit none) */
	uint64_t map_full;            /* checkpoints refused with MDB_MAP_FULL */
	uint64_t lmdb_errors;         /* checkpoints failed for any other reason */
	uint64_t records_unreadable;  /* restore: wrong size or version, skipped */
	uint64_t stale_readers;       /* reader slots of dead processes cleared at open */
	uint64_t last_checkpoint_ns;  /* wall time of the last committed checkpoint */
	uint64_t entries;             /* records in the store at the last commit or open */
};

struct cs_state_store;

/* Opens (creating if needed) the store in conf->dir. NULL with err (naming the directory) on failure. */
struct cs_state_store *cs_state_store_open(const struct cs_state_store_conf *conf, char *err, size_t errlen);

/* Closes the store; records still queued are not written (run_once first to keep them). */
void cs_state_store_close(struct cs_state_store *s);

/* Shard s's queue, which worker s offers its dirty records to (checkpoint_queue.h). */
struct cs_checkpoint_queue *cs_state_store_queue(struct cs_state_store *s, unsigned int shard);

/*
 * Writer side: one checkpoint. Takes up to max_records queued records
 * (shards in turn, each queue in order), puts them in one write transaction
 * and commits it. *written (may be NULL) gets the number committed. On
 * failure nothing is applied and the records stay queued for the next
 * call. An empty queue commits nothing.
 */
enum cs_state_result cs_state_store_run_once(struct cs_state_store *s, unsigned int max_records,
					     unsigned int *written);

/*
 * Restore: calls fn once per stored record, in IMSI order, inside one read
 * transaction (a consistent snapshot: the last committed checkpoint). The
 * caller routes each record to the worker that owns its IMSI now. A non-zero
 * return from fn stops the walk with CS_STATE_STOPPED. Unreadable records
 * are skipped and counted.
 */
typedef int (*cs_state_restore_fn)(const struct cs_state_record *rec, void *ctx);
enum cs_state_result cs_state_store_restore(struct cs_state_store *s, cs_state_restore_fn fn, void *ctx);

/* Counters so far, summed over shards. */
void cs_state_store_stats(const struct cs_state_store *s, struct cs_state_store_stats *out);

/* The layout above, exposed for tests and tools: 40-byte value <-> record (imsi comes from the key). */
void cs_state_value_encode(const struct cs_state_record *rec, uint8_t out[CS_STATE_VALUE_LEN]);
int cs_state_value_decode(const uint8_t *in, size_t len, struct cs_state_record *rec);

#endif
