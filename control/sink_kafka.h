/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SINK_KAFKA_H
#define CS_SINK_KAFKA_H

#include <stddef.h>
#include <stdint.h>

/*
 * Kafka export through librdkafka. Records are produced with acks=all and
 * idempotence on, compressed, keyed (key = IMSI for subscriber records,
 * so one subscriber's records stay ordered in one partition), with
 * headers naming the record type and schema version. This file is the
 * producer only; keeping records through broker outages is
 * kafka_outbox.c's job.
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

enum { CS_KAFKA_MAX_PROPS = 32 };

/* How to build the producer. */
struct cs_kafka_conf {
	const char *brokers;     /* "host:port,..." */
	int delivery_timeout_ms; /* message.timeout.ms: a record not stored by then is reported failed */
	const char *compression; /* compression.type; NULL: none */
	uint32_t queue_records;  /* queue.buffering.max.messages, the in-memory queue; 0: librdkafka's default */
	/* any other librdkafka property (TLS, SASL, tuning), set after cdrsentry's own */
	unsigned int nprops;
	const char *prop_name[CS_KAFKA_MAX_PROPS], *prop_value[CS_KAFKA_MAX_PROPS];
};

/* Whether cdrsentry sets this property itself (from its own keys): such a name cannot be passed through. */
const char *cs_kafka_owned_property(const char *name);

/*
 * The outcome of one record produced with cs_kafka_sink_produce, handed to
 * the report callback while cs_kafka_sink_poll (or flush) runs. rec is
 * rebuilt from the message librdkafka kept, so a record that failed can
 * be spooled from it; it is valid during the callback only.
 */
struct cs_kafka_report {
	void *opaque;           /* what produce was given */
	int stored;             /* the brokers acknowledged it */
	int retriable;          /* failed for a reason that passes (brokers unreachable, timeout, purged) */
	const char *reason;     /* librdkafka's words for the failure */
	struct cs_kafka_record rec;
};
typedef void cs_kafka_report_fn(void *ctx, const struct cs_kafka_report *r);

/*
 * Returns a producer, or NULL with err set (naming the property librdkafka
 * refused). report (with ctx) receives every delivery report; NULL for a
 * producer used only by cs_kafka_sink_publish_sync.
 */
struct cs_kafka_sink *cs_kafka_sink_open(const struct cs_kafka_conf *conf, cs_kafka_report_fn *report, void *ctx,
					 char *err, size_t errlen);

/*
 * Connects now rather than at the first record: asks the brokers for the
 * cluster's metadata, waiting up to timeout_ms. The producer's connection
 * and its idempotence id are then ready before traffic starts, so the
 * first records do not pay for them. Returns 0 when a broker answered.
 */
int cs_kafka_sink_connect(struct cs_kafka_sink *sink, int timeout_ms);

/*
 * Produces one record and waits for the broker's acknowledgement.
 * Returns 0 once it is stored, or -1 with the broker's reason in err.
 */
int cs_kafka_sink_publish_sync(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, char *err,
			       size_t errlen);

enum cs_kafka_produce_rc {
	CS_KAFKA_QUEUED,    /* a report will come */
	CS_KAFKA_FULL,      /* the in-memory queue is full: try later, or keep the record elsewhere */
	CS_KAFKA_RETRY,     /* refused for a passing reason (a fatal producer error: the next start gets a new one) */
	CS_KAFKA_REFUSED,   /* refused for good (too large, unknown topic); err says why */
};

/* Queues one record without waiting; opaque comes back in its report. */
enum cs_kafka_produce_rc cs_kafka_sink_produce(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec,
					       void *opaque, char *err, size_t errlen);

/* Serves the reports that are ready, waiting up to wait_ms for one. */
void cs_kafka_sink_poll(struct cs_kafka_sink *sink, int wait_ms);

/* Records produced and not reported yet (queued, in flight, or reports not served). */
int cs_kafka_sink_outstanding(struct cs_kafka_sink *sink);

/* Whether librdkafka said every broker is down since the last call (and forgets it). */
int cs_kafka_sink_take_brokers_down(struct cs_kafka_sink *sink);

/* Fails every record still queued or in flight now: their reports say "purged" (retriable). */
void cs_kafka_sink_purge(struct cs_kafka_sink *sink);

void cs_kafka_sink_close(struct cs_kafka_sink *sink);

#endif
