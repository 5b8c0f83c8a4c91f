/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_WORKER_H
#define CS_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include "block_state.h"
#include "cell_state.h"
#include "checkpoint_queue.h"
#include "device_state.h"
#include "event.h"
#include "rule_engine.h"
#include "subscriber_state.h"
#include "subscriber_table.h"
#include "sweep.h"

struct rte_ring;
struct rte_hash;

#include "rx.h"
#include "slot_map.h"

#define CS_WORKER_COUNTERS(X)                                                     \
	X(data_events)                                                            \
	X(session_events)                                                         \
	X(call_events)                                                            \
	X(sms_events)                                                             \
	X(sessions_open)       /* open now (gauge) */                            \
	X(sessions_table_full) /* events for a new session refused: table full */ \
	X(records)             /* records handed to export */                     \
	X(interim_records)                                                        \
	X(export_ring_full_waits)                                                 \
	X(subscribers)         /* with behaviour state now (gauge, at the end) */  \
	X(subscriber_evictions) /* the idlest pushed out by a full table */       \
	X(state_events_too_old) /* older than every window they would count in */ \
	X(exact_sets_refused)  /* distinct counts past 3 that found no exact set free */ \
	X(sketches_refused)    /* distinct counts left a lower bound: no sketch slot free */ \
	X(device_events)       /* SIMs sighted in a device this shard owns */     \
	X(devices)             /* IMEIs with a device aggregate now (gauge, at the end) */ \
	X(device_evictions)    /* the idlest device pushed out by a full table */ \
	X(cell_events)         /* SIMs sighted in a cell this shard owns */      \
	X(cells)               /* cells with an aggregate now (gauge, at the end) */ \
	X(cell_evictions)      /* the idlest cell pushed out by a full table */  \
	X(number_events)       /* numbers sighted in a block this shard owns */  \
	X(first_activations)   /* of them, numbers never active before */        \
	X(number_blocks)       /* number blocks with an aggregate now (gauge, at the end) */ \
	X(number_block_evictions) /* the idlest block pushed out: its numbers would look new again */ \
	X(checkpoint_offers)   /* records handed to the checkpoint writer */     \
	X(checkpoint_deferred) /* writer's queue full: the record stays dirty for the next pass */ \
	X(long_memory_lost)    /* evicted with changes the full queue could not take */ \
	X(anomalies)           /* rules tripped and handed to export (gauge, at the end) */ \
	X(anomalies_suppressed) /* tripped again within the rule's cooldown (gauge, at the end) */ \
	X(rule_memories)       /* subjects with rule memory now (gauge, at the end) */ \
	X(rule_memory_evictions) /* the idlest pushed out: its cooldowns and wake-up forgotten */ \
	X(rule_reloads)        /* new rule sets taken (SIGHUP) */

struct cs_worker_stats {
#define CS_COUNTER_FIELD(name) uint64_t name;
	CS_WORKER_COUNTERS(CS_COUNTER_FIELD)
#undef CS_COUNTER_FIELD
};

/*
 * A worker lcore owns one shard of subscribers: every event of an IMSI
 * reaches the same worker (emit.h), so its state is written by this lcore
 * alone, with no locks. A worker keeps the open sessions of its shard,
 * adds their traffic up and hands finished CDRs (session, call, SMS) to
 * export; it keeps its subscribers' behaviour state (subscriber_state.h)
 * and the device aggregates of the IMEIs that hash to it (device_state.h).
 *
 * Everything here is written by the worker lcore and read by the main
 * lcore only after rte_eal_wait_lcore() has returned.
 */
struct cs_worker_ctx {
	/* set up before launch */
	unsigned int id;
	unsigned int nin;
	struct rte_ring *in[CS_MAX_RX_LCORES]; /* one SPSC ring from each RX lcore */
	struct rte_ring *out;           /* SPSC ring to export */
	struct rte_hash *by_ref;        /* session_ref -> slot in sessions[] */
	struct cs_rec_session *sessions;
	uint32_t capacity;
	struct cs_subscriber_table *subscribers; /* behaviour state of this shard's subscribers */
	struct cs_state_ctx state;
	struct cs_subscriber_table *devices; /* SIMs a day of the IMEIs this shard owns (device_state.h) */
	struct cs_subscriber_table *cells;   /* SIMs an hour of the cells this shard owns (cell_state.h) */
	struct cs_subscriber_table *blocks;  /* first activations of the number blocks it owns (block_state.h) */
	struct cs_block_conf block;
	struct cs_rule_engine engine;   /* the rules: the set in force (read only, shared) and this shard's rule memory */
	/*
	 * A reload (control/reload.c) offers a new rule set here; the worker
	 * takes it between two bursts and says so in rules_taken, after which
	 * the old one is no longer read and may be freed. finished: the
	 * worker's loop has ended (it takes nothing more).
	 */
	const struct cs_rule_set *rules_offered;
	const struct cs_rule_set *rules_taken;
	int finished;
	uint64_t interim_ns;            /* 0: no interim records */
	struct cs_checkpoint_queue *checkpoint; /* long memory to the writer; NULL: none kept */
	uint64_t checkpoint_ns;         /* event time of one state pass (buckets rolled, dirty records offered); 0: none */

	struct cs_worker_stats st;
	uint64_t now_ns;   /* latest event time seen */
	uint64_t first_ns; /* the first event time seen */
	uint64_t numbers_restored; /* numbers long memory put in this worker's blocks before launch */
	struct cs_slot_map open; /* the slots of sessions[] in use, and the interim sweep's hand */
	bool positions_stale;    /* a session was added or removed since the burst's bulk lookup */
	struct cs_sweep interim_sweep;
	uint64_t housekeeping_ns;   /* event time of the last housekeeping slice */
	struct cs_sweep state_sweep;
	uint32_t state_hand;        /* the next subscriber slot the state pass looks at */
} __rte_cache_aligned;

/* The sizes of a worker's tables. */
struct cs_worker_conf {
	uint32_t sessions;      /* open sessions */
	uint32_t subscribers;   /* subscribers with behaviour state */
	uint32_t sketch_slots;  /* distinct-count sketches to lend */
	uint32_t exact_slots;   /* 128-byte exact sets (4..32 items) to lend */
	uint32_t devices;       /* IMEIs with a device aggregate (SIMs a day) */
	uint32_t cells;         /* cells with an aggregate (SIMs an hour) */
	uint32_t number_blocks; /* number blocks with an aggregate (first activations) */
	uint32_t rule_memory;   /* subjects the rules remember (rule_memory.h) */
	const struct cs_rule_set *rules;
	struct cs_state_conf state;
	struct cs_block_conf block;
	struct cs_checkpoint_queue *checkpoint; /* NULL: no long memory kept */
	uint64_t checkpoint_ns;
};

/* Allocates the tables of a worker. Returns 0, or -1 with err. */
int cs_worker_init(struct cs_worker_ctx *w, unsigned int id, const struct cs_worker_conf *conf, int socket, char *err,
		   size_t errlen);

/*
 * Before launch: puts a stored subscriber's long memory into the table.
 * Returns 0, or -1 when the table is full: restore never evicts.
 */
int cs_worker_restore(struct cs_worker_ctx *w, const struct cs_state_record *rec);
/* Before launch: the number prefix+suffix (a block this worker owns) was active before. 0, or -1 (table full). */
int cs_worker_restore_number(struct cs_worker_ctx *w, cs_digits prefix, uint32_t suffix);

/* The behaviour state of imsi in this worker, or NULL (after the worker has finished). */
const struct cs_subscriber *cs_worker_subscriber(struct cs_worker_ctx *w, cs_digits imsi);
/* The device aggregate of imei, if this worker owns it and has one. */
const struct cs_device *cs_worker_device(struct cs_worker_ctx *w, cs_digits imei);
/* The same for a cell (cs_cell_key()) and a number block (cs_block_key()). */
const struct cs_cell *cs_worker_cell(struct cs_worker_ctx *w, uint64_t cell);
const struct cs_block *cs_worker_block(struct cs_worker_ctx *w, cs_digits prefix);
void cs_worker_fini(struct cs_worker_ctx *w);

/* rte_eal_remote_launch entry point; arg is a struct cs_worker_ctx. */
int cs_worker_lcore_main(void *arg);

#endif
