/* SPDX-License-Identifier: Apache-2.0 */
#include "sink_kafka.h"

#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "mem.h"

struct cs_kafka_sink {
	rd_kafka_t *rk;
	int delivery_timeout_ms;
	uint64_t delivered, failed; /* of records produced without waiting */
};

/* Delivery outcome of one synchronous publish, filled by the DR callback. */
struct delivery {
	int done;
	rd_kafka_resp_err_t err;
};

/* Synchronous publishes pass a struct delivery; the export path passes none and is counted. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	(void)rk;
	struct delivery *d = msg->_private;
	struct cs_kafka_sink *sink = opaque;

	if (d != NULL) {
		d->err = msg->err;
		d->done = 1;
	} else if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		sink->delivered++;
	} else {
		sink->failed++;
		fprintf(stderr, "cdrsentry: kafka: record for %s not delivered: %s\n", rd_kafka_topic_name(msg->rkt),
			rd_kafka_err2str(msg->err));
	}
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	fprintf(stderr, "cdrsentry: kafka[%d] %s: %s\n", level, fac, buf);
}

static int set(rd_kafka_conf_t *conf, const char *key, const char *value, char *err, size_t errlen)
{
	char why[256];

	if (rd_kafka_conf_set(conf, key, value, why, sizeof(why)) != RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "kafka setting %s=%s: %s", key, value, why);
		return -1;
	}
	return 0;
}

struct cs_kafka_sink *cs_kafka_sink_open(const char *brokers, int delivery_timeout_ms, char *err,
					 size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char timeout[16], why[256];

	snprintf(timeout, sizeof(timeout), "%d", delivery_timeout_ms);
	if (set(conf, "bootstrap.servers", brokers, err, errlen) ||
	    set(conf, "client.id", "cdrsentry", err, errlen) ||
	    set(conf, "acks", "all", err, errlen) ||
	    set(conf, "enable.idempotence", "true", err, errlen) ||
	    set(conf, "message.timeout.ms", timeout, err, errlen) ||
	    set(conf, "log.connection.close", "false", err, errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	struct cs_kafka_sink *sink = cs_mem_alloc(sizeof(*sink));
	*sink = (struct cs_kafka_sink){ .delivery_timeout_ms = delivery_timeout_ms };
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_log_cb(conf, on_log);
	rd_kafka_conf_set_opaque(conf, sink);

	sink->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (sink->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		cs_mem_free(sink);
		snprintf(err, errlen, "kafka producer for %s: %s", brokers, why);
		return NULL;
	}
	return sink;
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

int cs_kafka_sink_produce(struct cs_kafka_sink *sink, const struct cs_kafka_record *rec, char *err, size_t errlen)
{
	rd_kafka_resp_err_t rc;

	while ((rc = produce(sink, rec, NULL)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
		rd_kafka_poll(sink->rk, 100);
	if (rc != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "kafka: cannot queue record for topic %s: %s", rec->topic, rd_kafka_err2str(rc));
		return -1;
	}
	return 0;
}

void cs_kafka_sink_poll(struct cs_kafka_sink *sink)
{
	rd_kafka_poll(sink->rk, 0);
}

void cs_kafka_sink_drain(struct cs_kafka_sink *sink, uint64_t *delivered, uint64_t *failed)
{
	rd_kafka_flush(sink->rk, sink->delivery_timeout_ms + 5000);
	*delivered = sink->delivered;
	*failed = sink->failed + (uint64_t)rd_kafka_outq_len(sink->rk);
}

void cs_kafka_sink_close(struct cs_kafka_sink *sink)
{
	if (sink == NULL)
		return;
	rd_kafka_flush(sink->rk, sink->delivery_timeout_ms);
	rd_kafka_destroy(sink->rk);
	cs_mem_free(sink);
}
