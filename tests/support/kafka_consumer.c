/* SPDX-License-Identifier: Apache-2.0 */
#include "kafka_consumer.h"

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
