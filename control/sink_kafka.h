/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SINK_KAFKA_H
#define CS_SINK_KAFKA_H

#include <stddef.h>
#include <stdint.h>

/*
 * Kafka export through librdkafka. Records are produced with acks=all and
 * idempotence on, keyed (key = IMSI for subscriber records, so one
 * subscriber's records stay ordered in one partition), with headers
 * naming the record type and schema version.
 */
struct cs_kafka_sink;

struct cs_kafka_record {
	const char *topic;
	const char *key;
	const char *record_type; /* header "record-type" */
	unsigned int schema_version; /* header "schema-version" */
	const char *payload;
	size_t len;
};

/* Returns a producer for brokers ("host:port,..."), or NULL with err set. */
struct cs_kafka_sink *cs_kafka_sink_open(const char *brokers, int delivery_timeout_ms, char *err,
					 size_t errlen);

/*
 * Produces one record and waits for the broker's acknowledgement.
 * Returns 0 once it is stored, or -1 with the broker's reason in err.
 */
int cs_kafka_sink_publish_sync(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, char *err,
			       size_t errlen);

/*
 * Queues one record without waiting (the export path). When librdkafka's
 * queue is full it serves delivery reports until there is room: export
 * slows down, it never drops. Returns 0, or -1 with err for a record
 * librdkafka refuses outright.
 */
int cs_kafka_sink_produce(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, char *err, size_t errlen);

/* Serves delivery reports that are ready (call now and then while producing). */
void cs_kafka_sink_poll(struct cs_kafka_sink *sink);

/*
 * Waits until every queued record was acknowledged or failed (bounded by
 * the delivery timeout). Counts what the broker stored and what it did not.
 */
void cs_kafka_sink_drain(struct cs_kafka_sink *sink, uint64_t *delivered, uint64_t *failed);

void cs_kafka_sink_close(struct cs_kafka_sink *sink);

#endif
