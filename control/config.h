/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CONFIG_H
#define CS_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rules.h"

/*
 * The configuration of a probe, read once at start from a YAML file
 * (config/cdrsentry.yaml is the documented profile, docs/configuration.md
 * the reference) into one flat struct that the control code turns into the
 * dataplane's own conf structs. Nothing here is read on the packet path.
 *
 * The file is nested by topic, the struct is flat:
 *
 *   capacity:                       c->sessions = 1000000
 *     sessions: 1000000        ->   c->gtpc_transactions = 65536
 *     gtpc_transactions: 65536
 *
 * A key left out keeps its default (cs_config_defaults); a key with a
 * problem keeps it too, and the load fails, so a probe never starts on a
 * half-understood file.
 */
enum { CS_CONFIG_MAX_PORTS = 32, CS_CONFIG_MAX_LCORES = 128, CS_CONFIG_STR = 256, CS_CONFIG_MAX_KAFKA_PROPS = 32 };
/* export.kafka.properties: one librdkafka property, passed through as written (TLS, SASL, tuning) */
struct cs_config_prop {
	char name[128];
	char value[1024]; /* room for a path or a secret; PEM text belongs in a file (ssl.*.location) */
};
struct cs_config {
	char source[CS_CONFIG_STR];          /* file it came from, "" for built-in defaults */
	char probe_id[64];                   /* default: host name at load time */
	/* live mode: DPDK ports and queues to read; empty = every port EAL probed */
	unsigned int nports;
	uint16_t ports[CS_CONFIG_MAX_PORTS];
	uint16_t rx_queues;                  /* RX queues per port (RSS), default 1 */
	uint8_t event_time;                  /* live: 0 = the port's stamps where it has them, 1 = arrival time */
	/* lcore roles; empty lists = defaults computed by the caller */
	unsigned int n_rx_lcores, n_worker_lcores;
	unsigned int rx_lcores[CS_CONFIG_MAX_LCORES], worker_lcores[CS_CONFIG_MAX_LCORES];
	unsigned int workers;                /* replay: worker count, default 1 */
	uint16_t gtpc_port, gtpu_port, sip_port;          /* 2123, 2152, 5060 */
	char country_code[4], trunk_prefix[4], international_prefix[6]; /* "", "0", "00" */
	uint32_t sessions, worker_sessions, sip_calls, gtpc_transactions; /* 65536 each; transactions a power of two */
	uint32_t subscribers;                /* per worker, the state engine's table: 65536 */
	uint32_t exact_slots;                /* per worker, distinct-count exact sets (128 B each): 65536 */
	uint32_t sketch_slots;               /* per worker, distinct-count sketches (24.7 KB each): 1024 */
	uint32_t devices;                    /* per worker, the per-IMEI table: 65536 */
	uint32_t cells;                      /* per worker, the per-cell table: 65536 */
	uint32_t number_blocks;              /* per worker, the per-number-block table: 65536 */
	uint8_t block_suffix_digits;         /* a number block is an MSISDN without its last N digits: 3 */
	uint32_t mbufs;                      /* mbuf pool size, default 16383 */
	uint32_t mem_mb;                     /* DPDK memory without hugepages (replay), default 512 */
	double session_idle_s, interim_s, sip_setup_s, sip_max_call_s, gtpc_response_s, fragment_s;
	                                     /* 7200, 3600, 180, 14400, 10, 2 */
	char out_dir[CS_CONFIG_STR];         /* JSON-lines sink directory, "" = none (live); replay's --out wins */
	char brokers[CS_CONFIG_STR];         /* "" = no Kafka */
	int kafka_timeout_ms;                /* 30000 */
	/* Kafka delivery (docs/kafka-delivery.md) */
	char kafka_compression[8];           /* none, gzip, snappy, lz4, zstd: lz4 */
	uint32_t kafka_memory_queue;         /* records librdkafka may hold in memory: 100000 */
	char spool_dir[CS_CONFIG_STR];       /* disk spool for broker outages, "" = none */
	uint32_t spool_max_mb, spool_segment_mb; /* 1024, 64 */
	char spool_fsync[16];                /* always, interval, never: interval */
	uint32_t spool_fsync_interval_ms;    /* 1000 */
	unsigned int kafka_nprops;
	struct cs_config_prop kafka_props[CS_CONFIG_MAX_KAFKA_PROPS];
	uint32_t window_short_s, window_hour_s, window_day_s; /* behaviour windows: 600, 3600, 86400 */
	char state_dir[CS_CONFIG_STR];       /* long memory (LMDB), "" = none; replay's --state wins */
	double checkpoint_interval_s;        /* event time between two passes over a worker's table: 300 */
	uint32_t state_map_mb;               /* LMDB map size: 4096 (about 14 M subscribers) */
	uint32_t checkpoint_queue;           /* records each worker may have waiting for the writer: 65536 */
	char topic_session[128], topic_call[128], topic_sms[128], topic_summary[128], topic_anomalies[128];
	                                     /* cdrsentry.session, .call, .sms, .summary, .anomalies */
	uint32_t rule_memory;                /* per worker, subjects the rules remember: 65536 */
	struct cs_rules_conf rules;          /* rule parameters: cs_rules_conf_default() */
	/* number plans (docs/number-plans.md): files, "" = none; the file gives them relative to its own
	   directory, the loader keeps them absolute (and has read and checked each) */
	char plan_iot[CS_CONFIG_STR], plan_risky[CS_CONFIG_STR], plan_shortcodes[CS_CONFIG_STR];
	char plan_handset_tacs[CS_CONFIG_STR], plan_gateway_tacs[CS_CONFIG_STR];
};
void cs_config_defaults(struct cs_config *c);
/* Loads path over the defaults. Returns 0, or the number of problems found (all of them, not just the first), each
   written as one line "FILE:LINE: KEY: what is wrong (what is accepted)" into err (truncated politely if long). */
int cs_config_load(const char *path, struct cs_config *c, char *err, size_t errlen);
/* Writes the resolved configuration as YAML (every key, with the values in force) to out. */
void cs_config_print(const struct cs_config *c, FILE *out);

/*
 * More on cs_config_load:
 *  - c is first set to cs_config_defaults(), then every key the file gives
 *    replaces its default; c->source is set to path.
 *  - An empty file (or one of comments only) is valid: all defaults.
 *  - err may be NULL or errlen 0 to count problems only. When the lines do
 *    not all fit, the ones that fit are kept whole and the last line says
 *    how many more there were. err always ends with a newline and a NUL
 *    when anything was written.
 *  - Problems come in file order, then those of checks across keys (an
 *    lcore both rx and worker, two protocols on one UDP port), then the
 *    number plans' (each file named is read and checked).
 *  - A file that cannot be read, or is not YAML, is one problem, with no
 *    key: "FILE: cannot read: No such file or directory",
 *    "FILE:LINE: syntax: libyaml's problem (its context)".
 */

#endif
