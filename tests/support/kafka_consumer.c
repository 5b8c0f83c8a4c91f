/* SPDX-License-Identifier: Apache-2.0 */
#include "kafka_consumer.h"

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

static void set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
	char errstr[256];

	cr_assert_eq(rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)), RD_KAFKA_CONF_OK, "%s: %s", name,
		     errstr);
}

rd_kafka_t *cs_test_consumer(const char *brokers, const char *topic)
{
	char errstr[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	set(conf, "bootstrap.servers", brokers);
	set(conf, "group.id", "cdrsentry-tests");
	set(conf, "enable.auto.commit", "false");
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	cr_assert_not_null(rk, "%s", errstr);
	rd_kafka_poll_set_consumer(rk);
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
	cr_assert_eq(rd_kafka_assign(rk, parts), RD_KAFKA_RESP_ERR_NO_ERROR);
	rd_kafka_topic_partition_list_destroy(parts);
	return rk;
}

void cs_test_consumer_close(rd_kafka_t *rk)
{
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
}

void cs_test_consume_probe(const char *brokers, const char *const *topics, size_t ntopics, const char *probe,
			   void (*fn)(const rd_kafka_message_t *m, void *arg), void *arg)
{
	char marker[96];

	snprintf(marker, sizeof(marker), "\"probe_id\":\"%s\"", probe);
	for (size_t t = 0; t < ntopics; t++) {
		rd_kafka_t *rk = cs_test_consumer(brokers, topics[t]);
		for (int idle = 0; idle < 30;) {
			rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
			if (m == NULL) {
				idle++;
				continue;
			}
			idle = 0;
			if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && memmem(m->payload, m->len, marker, strlen(marker)) != NULL)
				fn(m, arg);
			rd_kafka_message_destroy(m);
		}
		cs_test_consumer_close(rk);
	}
}
