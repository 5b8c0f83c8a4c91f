/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_PIPELINE_H
#define CS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode_stage.h"
#include "rx.h"
#include "session_dir.h"
#include "worker.h"

/*
 * The dataplane after rte_eal_init():
 *
 *   ports --rx_burst--> RX/decode lcores, RX 0 on the main lcore (rx.c, decode_stage.c)
 *         --64-byte-slot SPSC rings, one per (RX, worker)--> workers (worker.c)
 *         --one SPSC ring per worker--> export (a control thread, not here)
 *
 * The pipeline owns the memory of every stage: mbuf pool, rings, the
 * session directory, GTP-C transactions, worker session tables. Sizes
 * come from the conf and are fixed at creation.
 */
struct cs_pipeline_conf {
	unsigned int nports;
	uint16_t port_id[CS_MAX_PORTS];
	uint64_t expected_records[CS_MAX_PORTS]; /* replay: records each capture holds */
	const volatile int *stop;    /* live mode when set: run until *stop, then drain */
	uint16_t rx_queues;          /* live: RX queues per port (RSS), at least 1 */
	int arrival_time;            /* live: event time is the burst's arrival even where the port stamps packets */
	unsigned int nrx;            /* RX/decode lcores, 1 in replay; RX 0 runs on the main lcore */
	unsigned int rx_lcores[CS_MAX_RX_LCORES]; /* RX 1.. on these lcores */
	unsigned int nworkers;
	unsigned int worker_lcores[CS_MAX_WORKERS]; /* all zero: the lcores after the main one */
	struct cs_decode_ports ports;
	uint32_t mbufs;              /* RX mbuf pool */
	uint32_t sessions;           /* session directory capacity */
	uint32_t worker_sessions;    /* open sessions per worker */
	uint32_t worker_subscribers; /* subscribers with behaviour state per worker */
	uint32_t exact_slots;        /* distinct-count exact sets (4..32 items, 128 B) per worker */
	uint32_t sketch_slots;       /* distinct-count sketches per worker */
	uint32_t worker_devices;     /* IMEIs with a device aggregate per worker */
	uint32_t worker_cells;       /* cells with an aggregate per worker */
	uint32_t worker_blocks;      /* number blocks with an aggregate per worker */
	uint32_t worker_rule_memory; /* subjects the rules remember per worker */
	const struct cs_rule_set *rules; /* what the workers check (rule_check.h); outlives the pipeline */
	struct cs_block_conf block;  /* number blocks: suffix length, window lengths */
	struct cs_state_conf state;
	struct cs_checkpoint_queue *checkpoint[CS_MAX_WORKERS]; /* worker w's queue to the state store; NULL: none */
	uint64_t checkpoint_ns;      /* event time of one checkpoint pass over a worker's table */
	uint32_t gtpc_transactions;  /* power of two */
	uint32_t sip_calls;          /* calls in progress tracked */
	uint32_t tcp_flows;          /* SIP over TCP connections followed */
	uint32_t tcp_buffer_bytes;   /* per direction: the largest SIP message over TCP */
	uint64_t sip_setup_timeout_ns;
	uint64_t sip_max_call_ns;
	struct cs_e164_conf numbers;
	uint64_t gtpc_response_timeout_ns;
	uint64_t session_idle_timeout_ns;
	uint64_t interim_ns;
	uint64_t frag_timeout_ns;
	double input_idle_timeout_s;
};

struct cs_pipeline_result {
	struct cs_decode_stats decode;
	struct cs_tcp_reasm_stats tcp;
	struct cs_worker_stats workers;
	struct cs_session_dir_stats dir;
	uint64_t port_packets[CS_MAX_PORTS];
	uint64_t port_errors[CS_MAX_PORTS];
	int input_timed_out;
	uint64_t last_event_ns;
};

struct cs_pipeline;

struct cs_pipeline *cs_pipeline_create(const struct cs_pipeline_conf *conf, char *err, size_t errlen);

/* The ring worker w hands its records to; export drains it until it reads CS_EV_END. */
struct rte_ring *cs_pipeline_export_ring(struct cs_pipeline *p, unsigned int w);

/* Frames taken so far (any thread may read it while the pipeline runs). */
uint64_t cs_pipeline_progress(const struct cs_pipeline *p);

/* Runs until every port is drained and every worker has finished. Returns 0 or -1 with err. */
int cs_pipeline_run(struct cs_pipeline *p, char *err, size_t errlen);

void cs_pipeline_result(const struct cs_pipeline *p, struct cs_pipeline_result *out);

/*
 * The behaviour state of imsi after the run (from the worker that owns
 * it), with the worker's state context to read it with; NULL if unknown.
 */
const struct cs_subscriber *cs_pipeline_subscriber(struct cs_pipeline *p, cs_digits imsi,
						   const struct cs_state_ctx **ctx);
/*
 * Before run: hands a stored subscriber's long memory to the worker that
 * owns its IMSI with this worker count, and its number to the worker that
 * owns its number block (so the number is not "new" again). 0, or -1 when
 * the subscriber's worker's table is full; *number_kept (may be NULL) says
 * whether the number found room.
 */
int cs_pipeline_restore(struct cs_pipeline *p, const struct cs_state_record *rec, int *number_kept);

/*
 * While it runs (any thread): offers every worker a new rule set, which
 * each takes between two bursts. rules_taken says whether all have (or
 * have finished): from then on no worker reads the set it replaced.
 */
void cs_pipeline_offer_rules(struct cs_pipeline *p, const struct cs_rule_set *rules);
bool cs_pipeline_rules_taken(const struct cs_pipeline *p, const struct cs_rule_set *rules);

/* The same for the device aggregate of imei (its SIMs a day). */
const struct cs_device *cs_pipeline_device(struct cs_pipeline *p, cs_digits imei, const struct cs_state_ctx **ctx);
/* The same for a cell (cs_cell_key()) and for the number block of msisdn (*suffix: the number in it). */
const struct cs_cell *cs_pipeline_cell(struct cs_pipeline *p, uint64_t cell, const struct cs_state_ctx **ctx);
const struct cs_block *cs_pipeline_block(struct cs_pipeline *p, cs_digits msisdn, uint32_t *suffix,
					 const struct cs_block_conf **conf);

void cs_pipeline_free(struct cs_pipeline *p);

#endif
