/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_KAFKA_OUTBOX_H
#define CS_KAFKA_OUTBOX_H

#include <stdint.h>

#include "sink_kafka.h"
#include "spool.h"

/*
 * Reliable delivery to Kafka: what export hands over is delivered, or kept
 * on disk until it can be, or counted as dropped (only when the spool's
 * cap is reached). The guarantee is at-least-once; docs/kafka-delivery.md
 * has the design, the order kept, and when a record can come twice.
 *
 *            send()                        +---------------------+
 *   record ---------> DIRECT: librdkafka --| brokers (acks=all)  |
 *                       | queue full,      +---------------------+
 *                       | delivery failed,       ^ replayed in append order,
 *                       v brokers down           | acknowledged as reports arrive
 *                     spool (disk) -------------+
 *
 * While anything is in the spool, new records are appended behind it, so
 * the spool is sent in the order it was filled.
 */

#define CS_KAFKA_OUTBOX_COUNTERS(X)                                                                                 \
	X(delivered)           /* acknowledged by the brokers, first try or replayed */                               \
	X(spooled)             /* written to the spool: queue full, delivery failed, brokers down, or at close */   \
	X(replayed)            /* read back from the spool and produced again */                                      \
	X(dropped_spool_full)  /* lost: the spool's cap was reached */                                                \
	X(dropped_spool_error) /* lost: the spool could not be written (I/O error, a field too long) */              \
	X(failed)              /* lost: the brokers refused it for good (too large), or failed with no spool */       \
	X(outages)             /* times the brokers were found unreachable */                                         \
	X(spool_bytes)         /* the spool's size at close: records kept for the next start */

struct cs_kafka_outbox_stats {
#define CS_KAFKA_OUTBOX_FIELD(name) uint64_t name;
	CS_KAFKA_OUTBOX_COUNTERS(CS_KAFKA_OUTBOX_FIELD)
#undef CS_KAFKA_OUTBOX_FIELD
	struct cs_spool_stats spool;
};

struct cs_kafka_outbox;

/* A Kafka record as the spool keeps it (pointers into rec). */
struct cs_spool_entry cs_kafka_spool_entry(const struct cs_kafka_record *rec);

/*
 * Opens the producer and, when spool->dir is set, the spool (whose
 * leftovers from an earlier run are sent first). NULL with err naming the
 * property or file at fault.
 */
struct cs_kafka_outbox *cs_kafka_outbox_open(const struct cs_kafka_conf *kafka, const struct cs_spool_conf *spool,
					     char *err, size_t errlen);

/* Takes one record (copied): produced now, or spooled. Every outcome is counted. */
void cs_kafka_outbox_send(struct cs_kafka_outbox *ob, const struct cs_kafka_record *rec);

/* Serves delivery reports, watches for outages, replays the spool. Call often (each export loop). */
void cs_kafka_outbox_poll(struct cs_kafka_outbox *ob);

/*
 * The stop: delivers what it can within the delivery timeout (the spool
 * too, when the brokers are up), then spools whatever is still unsent and
 * closes. Fills st; returns 0 when nothing was lost.
 */
int cs_kafka_outbox_close(struct cs_kafka_outbox *ob, struct cs_kafka_outbox_stats *st);

#endif
