/* SPDX-License-Identifier: Apache-2.0 */
#include "sink_kafka.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "mem.h"

struct cs_kafka_sink {
	rd_kafka_t *rk;
	int delivery_timeout_ms;
	cs_kafka_report_fn *report;
	void *ctx;
	int brokers_down; /* RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN seen since the last take */
	/* a reported record's key and type, NUL-terminated for its report (longer ones are cut) */
	char key[1025], type[64];
};

/* Delivery outcome of one synchronous publish, filled by the DR callback. */
struct delivery {
	int done;
	rd_kafka_resp_err_t err;
};

/*
 * Failures that no retry can cure: the record itself is unacceptable.
 * Everything else (timeouts, brokers down, purged, leadership moves, even
 * a missing topic or a refused authorisation, which an operator can fix)
 * is worth sending again later.
 */
static int permanent(rd_kafka_resp_err_t err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_INVALID_MSG:
	case RD_KAFKA_RESP_ERR_INVALID_RECORD:
	case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
	case RD_KAFKA_RESP_ERR__INVALID_ARG:
	case RD_KAFKA_RESP_ERR__BAD_MSG:
		return 1;
	default:
		return 0;
	}
}

static const char *header(const rd_kafka_message_t *msg, const char *name, char *buf, size_t cap)
{
	rd_kafka_headers_t *hdrs;
	const void *val;
	size_t size;

	buf[0] = '\0';
	if (rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    rd_kafka_header_get_last(hdrs, name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR && size < cap && val != NULL) {
		memcpy(buf, val, size);
		buf[size] = '\0';
	}
	return buf;
}

/* Synchronous publishes pass a struct delivery; with a report callback every report goes there. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	(void)rk;
	struct cs_kafka_sink *sink = opaque;

	if (sink->report == NULL) {
		struct delivery *d = msg->_private;
		d->err = msg->err;
		d->done = 1;
		return;
	}
	char version[12];
	size_t klen = msg->key_len < sizeof(sink->key) ? msg->key_len : sizeof(sink->key) - 1;
	if (msg->key != NULL)
		memcpy(sink->key, msg->key, klen);
	sink->key[msg->key != NULL ? klen : 0] = '\0';
	const struct cs_kafka_report r = {
		.opaque = msg->_private,
		.stored = msg->err == RD_KAFKA_RESP_ERR_NO_ERROR,
		.retriable = msg->err != RD_KAFKA_RESP_ERR_NO_ERROR && !permanent(msg->err),
		.reason = rd_kafka_err2str(msg->err),
		.rec = {
			.topic = rd_kafka_topic_name(msg->rkt),
			.key = sink->key,
			.record_type = header(msg, "record-type", sink->type, sizeof(sink->type)),
			.schema_version = (unsigned int)strtoul(header(msg, "schema-version", version, sizeof(version)),
								 NULL, 10),
			.payload = msg->payload,
			.len = msg->len,
		},
	};
	sink->report(sink->ctx, &r);
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	fprintf(stderr, "cdrsentry: kafka[%d] %s: %s\n", level, fac, buf);
}

/*
 * Errors librdkafka raises outside any record. Connection failures repeat
 * every reconnect while a broker is down: only the moment every broker is
 * down is worth a line (kafka_outbox.c writes it, with what it does about
 * it); the others are printed.
 */
static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct cs_kafka_sink *sink = opaque;

	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		sink->brokers_down = 1;
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT)
		return;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		char why[256];
		rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, why, sizeof(why));
		fprintf(stderr, "cdrsentry: kafka: producer failed for good (%s: %s); records are kept for the next start\n",
			rd_kafka_err2name(orig), why);
		return;
	}
	fprintf(stderr, "cdrsentry: kafka: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static const char *const owned[][2] = {
	{ "bootstrap.servers", "export.kafka.brokers" },
	{ "metadata.broker.list", "export.kafka.brokers" },
	{ "acks", "cdrsentry (acks=all)" },
	{ "request.required.acks", "cdrsentry (acks=all)" },
	{ "enable.idempotence", "cdrsentry (enable.idempotence=true)" },
	{ "message.timeout.ms", "export.kafka.timeout_ms" },
	{ "delivery.timeout.ms", "export.kafka.timeout_ms" },
	{ "compression.type", "export.kafka.compression" },
	{ "compression.codec", "export.kafka.compression" },
	{ "queue.buffering.max.messages", "export.kafka.memory_queue" },
};

const char *cs_kafka_owned_property(const char *name)
{
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (strcmp(name, owned[i][0]) == 0)
			return owned[i][1];
	return NULL;
}

/* A property's value is not repeated in the message: it may be a password. */
static int set(rd_kafka_conf_t *conf, const char *key, const char *value, char *err, size_t errlen)
{
	char why[256];

	if (rd_kafka_conf_set(conf, key, value, why, sizeof(why)) != RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "kafka property %s: %s", key, why);
		return -1;
	}
	return 0;
}

static int configure(rd_kafka_conf_t *rc, const struct cs_kafka_conf *conf, char *err, size_t errlen)
{
	char timeout[16], queue[16];

	snprintf(timeout, sizeof(timeout), "%d", conf->delivery_timeout_ms);
	snprintf(queue, sizeof(queue), "%u", (unsigned int)conf->queue_records);
	if (set(rc, "bootstrap.servers", conf->brokers, err, errlen) || set(rc, "client.id", "cdrsentry", err, errlen) ||
	    set(rc, "acks", "all", err, errlen) || set(rc, "enable.idempotence", "true", err, errlen) ||
	    set(rc, "message.timeout.ms", timeout, err, errlen) ||
	    set(rc, "log.connection.close", "false", err, errlen) ||
	    /*
	     * librdkafka waits up to 10 s between reconnects by default: a broker
	     * back from an outage would wait that long for its first record (the
	     * outbox's probe). 1 s; export.kafka.properties may set another.
	     */
	    set(rc, "reconnect.backoff.max.ms", "1000", err, errlen) ||
	    (conf->compression != NULL && set(rc, "compression.type", conf->compression, err, errlen)) ||
	    (conf->queue_records != 0 && set(rc, "queue.buffering.max.messages", queue, err, errlen)))
		return -1;
	for (unsigned int i = 0; i < conf->nprops; i++) {
		const char *by = cs_kafka_owned_property(conf->prop_name[i]);
		if (by != NULL) {
			snprintf(err, errlen, "kafka property %s: set by %s, not passed through", conf->prop_name[i], by);
			return -1;
		}
		if (set(rc, conf->prop_name[i], conf->prop_value[i], err, errlen))
			return -1;
	}
	return 0;
}

struct cs_kafka_sink *cs_kafka_sink_open(const struct cs_kafka_conf *conf, cs_kafka_report_fn *report, void *ctx,
					 char *err, size_t errlen)
{
	rd_kafka_conf_t *rc = rd_kafka_conf_new();
	char why[256];

	if (configure(rc, conf, err, errlen) != 0) {
		rd_kafka_conf_destroy(rc);
		return NULL;
	}
	struct cs_kafka_sink *sink = cs_mem_alloc(sizeof(*sink));
	*sink = (struct cs_kafka_sink){ .delivery_timeout_ms = conf->delivery_timeout_ms, .report = report, .ctx = ctx };
	rd_kafka_conf_set_dr_msg_cb(rc, on_delivery);
	rd_kafka_conf_set_log_cb(rc, on_log);
	rd_kafka_conf_set_error_cb(rc, on_error);
	rd_kafka_conf_set_opaque(rc, sink);

	sink->rk = rd_kafka_new(RD_KAFKA_PRODUCER, rc, why, sizeof(why));
	if (sink->rk == NULL) {
		rd_kafka_conf_destroy(rc);
		cs_mem_free(sink);
		snprintf(err, errlen, "kafka producer for %s: %s", conf->brokers, why);
		return NULL;
	}
	return sink;
}

int cs_kafka_sink_connect(struct cs_kafka_sink *sink, int timeout_ms)
{
	const struct rd_kafka_metadata *md;

	if (rd_kafka_metadata(sink->rk, 0, NULL, &md, timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return -1;
	rd_kafka_metadata_destroy(md);
	return 0;
}

static rd_kafka_resp_err_t produce(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, void *opaque)
{
	char version[12];

	snprintf(version, sizeof(version), "%u", rec->schema_version);
	return rd_kafka_producev(
		sink->rk,
		RD_KAFKA_V_TOPIC(rec->topic),
		RD_KAFKA_V_KEY(rec->key, strlen(rec->key)),
		RD_KAFKA_V_VALUE((void *)rec->payload, rec->len),
		RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		RD_KAFKA_V_HEADER("record-type", rec->record_type, -1),
		RD_KAFKA_V_HEADER("schema-version", version, -1),
		RD_KAFKA_V_OPAQUE(opaque),
		RD_KAFKA_V_END);
}

int cs_kafka_sink_publish_sync(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, char *err,
			       size_t errlen)
{
	struct delivery d = { 0 };
	rd_kafka_resp_err_t rc = produce(sink, rec, &d);

	if (rc != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "kafka: cannot queue record for topic %s: %s", rec->topic, rd_kafka_err2str(rc));
		return -1;
	}
	/*
	 * message.timeout.ms bounds the delivery; the flush waits a little
	 * longer so the delivery report (success or timeout) always arrives.
	 */
	rd_kafka_flush(sink->rk, sink->delivery_timeout_ms + 5000);
	while (!d.done)
		rd_kafka_poll(sink->rk, 100);
	if (d.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "kafka: record for topic %s not delivered: %s", rec->topic,
			 rd_kafka_err2str(d.err));
		return -1;
	}
	return 0;
}

enum cs_kafka_produce_rc cs_kafka_sink_produce(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec,
					       void *opaque, char *err, size_t errlen)
{
	rd_kafka_resp_err_t rc = produce(sink, rec, opaque);

	if (rc == RD_KAFKA_RESP_ERR_NO_ERROR)
		return CS_KAFKA_QUEUED;
	if (rc == RD_KAFKA_RESP_ERR__QUEUE_FULL)
		return CS_KAFKA_FULL;
	snprintf(err, errlen, "kafka: cannot queue record for topic %s: %s", rec->topic, rd_kafka_err2str(rc));
	return permanent(rc) ? CS_KAFKA_REFUSED : CS_KAFKA_RETRY;
}

void cs_kafka_sink_poll(struct cs_kafka_sink *sink, int wait_ms)
{
	rd_kafka_poll(sink->rk, wait_ms);
}

int cs_kafka_sink_outstanding(struct cs_kafka_sink *sink)
{
	return rd_kafka_outq_len(sink->rk);
}

int cs_kafka_sink_take_brokers_down(struct cs_kafka_sink *sink)
{
	int down = sink->brokers_down;

	sink->brokers_down = 0;
	return down;
}

void cs_kafka_sink_purge(struct cs_kafka_sink *sink)
{
	rd_kafka_purge(sink->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
}

void cs_kafka_sink_close(struct cs_kafka_sink *sink)
{
	if (sink == NULL)
		return;
	rd_kafka_flush(sink->rk, sink->delivery_timeout_ms);
	rd_kafka_destroy(sink->rk);
	cs_mem_free(sink);
}
