/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TEST_KAFKA_CONSUMER_H
#define CS_TEST_KAFKA_CONSUMER_H

#include <librdkafka/rdkafka.h>

/*
 * A consumer of partition 0 of topic from its beginning, for tests that
 * read back what cdrsentry published: assigned, not subscribed, so no
 * group join and no rebalance delay. Fails the test if it cannot be made.
 */
rd_kafka_t *cs_test_consumer(const char *brokers, const char *topic);
void cs_test_consumer_close(rd_kafka_t *rk);

#endif
