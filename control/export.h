/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EXPORT_H
#define CS_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "kafka_outbox.h"

struct rte_ring;
struct cs_pipeline;

/*
 * Export: a control thread (not an lcore: it writes files and talks to
 * Kafka) that drains the workers' record rings, formats each record as
 * JSON once, and hands it to every sink: DIR/cdr.jsonl (CDRs) and
 * DIR/anomalies.jsonl, and Kafka when brokers are configured (topic per
 * record type, key = IMSI; delivered through kafka_outbox.c, which spools
 * what the brokers cannot take). It returns when every worker has said it
 * is done, after the sinks are flushed.
 */
enum { CS_EXPORT_MAX_RINGS = 64 };

struct cs_export_conf {
	const char *out_dir;      /* NULL: no file sink */
	const char *probe_id;
	struct cs_kafka_conf kafka; /* kafka.brokers NULL: no Kafka sink */
	struct cs_spool_conf spool; /* spool.dir NULL: no disk spool */
	const char *topic_session, *topic_call, *topic_sms, *topic_anomalies;
	unsigned int nrings;
	struct rte_ring *rings[CS_EXPORT_MAX_RINGS];
	/* progress line on a terminal: frames taken out of total */
	const struct cs_pipeline *progress_of;
	uint64_t progress_total;
	int show_progress;
};

struct cs_export_stats {
	uint64_t sessions, calls, sms, anomalies; /* records written */
	uint64_t format_failures;      /* records too large to format (never expected) */
	uint64_t file_errors;
	struct cs_kafka_outbox_stats kafka;
};

struct cs_export;

/* Opens the sinks and starts the thread. NULL with err (naming the file or broker) on failure. */
struct cs_export *cs_export_start(const struct cs_export_conf *conf, char *err, size_t errlen);

/* Waits for the thread; fills stats. Returns 0 when every record reached every sink. */
int cs_export_join(struct cs_export *e, struct cs_export_stats *stats);

#endif
