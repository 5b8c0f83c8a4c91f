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

/*
 * Reads each of the ntopics topics from its beginning until it has been
 * quiet for 3 s, and hands fn every record whose payload holds
 * "probe_id":"PROBE" (the records one run published).
 */
void cs_test_consume_probe(const char *brokers, const char *const *topics, size_t ntopics, const char *probe,
			   void (*fn)(const rd_kafka_message_t *m, void *arg), void *arg);

#endif
