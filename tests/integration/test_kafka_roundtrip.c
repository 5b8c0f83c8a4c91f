/* SPDX-License-Identifier: Apache-2.0 */
/*
 * End to end against a real Apache Kafka broker (scripts/with-kafka):
 * cdrsentry replays the bundled capture and publishes its summary; the
 * test consumes the record back and checks key, headers, content and
 * schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <librdkafka/rdkafka.h>

#include "capture_file.h"
#include "run.h"

static const char TOPIC[] = "cdrsentry.summary";

static rd_kafka_t *consumer(const char *brokers)
{
	char errstr[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	cr_assert_eq(rd_kafka_conf_set(conf, "bootstrap.servers", brokers, errstr, sizeof(errstr)), RD_KAFKA_CONF_OK);
	cr_assert_eq(rd_kafka_conf_set(conf, "group.id", "cdrsentry-tests", errstr, sizeof(errstr)), RD_KAFKA_CONF_OK);
	cr_assert_eq(rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)), RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	cr_assert_not_null(rk, "%s", errstr);
	rd_kafka_poll_set_consumer(rk);

	/* read the whole partition: no group join, so no rebalance delay */
	rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, TOPIC, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
	cr_assert_eq(rd_kafka_assign(rk, parts), RD_KAFKA_RESP_ERR_NO_ERROR);
	rd_kafka_topic_partition_list_destroy(parts);
	return rk;
}

static const char *header(rd_kafka_message_t *m, const char *name, char *buf, size_t cap)
{
	rd_kafka_headers_t *hdrs;
	const void *val;
	size_t size;

	if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    rd_kafka_header_get_last(hdrs, name, &val, &size) != RD_KAFKA_RESP_ERR_NO_ERROR || size >= cap)
		return "";
	memcpy(buf, val, size);
	buf[size] = '\0';
	return buf;
}

Test(kafka, summary_round_trip_through_a_real_broker, .timeout = 120)
{
	const char *brokers = cs_env("CDRSENTRY_TEST_KAFKA");
	const char *capture = CS_SOURCE_PATH("tests/data/sample.pcap");
	char probe[64], err[300], hbuf[64];
	struct cs_capture_info info;
	struct cs_run r;

	/* a key of our own, so runs sharing the broker do not read each other's record */
	snprintf(probe, sizeof(probe), "it-%ld-%ld", (long)getpid(), (long)time(NULL));
	cr_assert_eq(cs_capture_scan(capture, &info, err, sizeof(err)), 0, "%s", err);

	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--brokers", (char *)brokers, "--probe-id", probe,
			 "--kafka-timeout-ms", "20000", (char *)capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *printed = strtok(r.out, "\n");
	cr_assert_not_null(printed);

	rd_kafka_t *rk = consumer(brokers);
	rd_kafka_message_t *found = NULL;
	for (int polls = 0; found == NULL && polls < 200; polls++) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->key_len == strlen(probe) &&
		    memcmp(m->key, probe, m->key_len) == 0)
			found = m;
		else
			rd_kafka_message_destroy(m);
	}
	cr_assert_not_null(found, "no record keyed %s on %s at %s", probe, TOPIC, brokers);

	/* what was published is exactly what was printed */
	cr_expect_eq(found->len, strlen(printed));
	cr_expect_eq(memcmp(found->payload, printed, found->len), 0);
	cr_expect_str_eq(header(found, "record-type", hbuf, sizeof(hbuf)), "summary");
	cr_expect_str_eq(header(found, "schema-version", hbuf, sizeof(hbuf)), "1");

	char field[64];
	snprintf(field, sizeof(field), "\"packets\":%llu,", (unsigned long long)info.records);
	cr_expect(strstr(printed, field) != NULL, "record lacks %s: %s", field, printed);

	/* and it is valid against its published schema, checked by a real validator */
	char path[] = "/tmp/cs-summary.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "%.*s\n", (int)found->len, (const char *)found->payload);
	fclose(f);
	struct cs_run v;
	char *check[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			  (char *)CS_SOURCE_PATH("schemas/summary.schema.json"), path, NULL };
	cr_assert_eq(cs_run(check, &v), 0);
	cr_expect_eq(v.status, 0, "schema validation failed:\n%s%s", v.out, v.err);
	unlink(path);
	cs_run_free(&v);

	rd_kafka_message_destroy(found);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	cs_run_free(&r);
}
