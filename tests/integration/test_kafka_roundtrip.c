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
#include "kafka_consumer.h"
#include "run.h"

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

	char out[] = "/tmp/cs-kafka-out.XXXXXX";
	cr_assert_not_null(mkdtemp(out));
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--brokers", (char *)brokers, "--probe-id", probe,
			 "--kafka-timeout-ms", "20000", "--out", out, (char *)capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "exit %d\nstderr:\n%s", r.status, r.err);
	char *printed = strtok(r.out, "\n");
	cr_assert_not_null(printed);

	rd_kafka_t *rk = cs_test_consumer(brokers, "cdrsentry.summary");
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
	cr_assert_not_null(found, "no summary keyed %s at %s", probe, brokers);

	/* what was published is exactly what was printed */
	cr_expect_eq(found->len, strlen(printed));
	cr_expect_eq(memcmp(found->payload, printed, found->len), 0);
	cr_expect_str_eq(header(found, "record-type", hbuf, sizeof(hbuf)), "summary");
	cr_expect_str_eq(header(found, "schema-version", hbuf, sizeof(hbuf)), "3");

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

	/* every session record of the run reached its topic, keyed by its IMSI, same bytes as the file */
	char path_cdr[64], marker[96];
	snprintf(path_cdr, sizeof(path_cdr), "%s/cdr.jsonl", out);
	char *cdr = cs_read_file(path_cdr, NULL);
	cr_assert_not_null(cdr);
	snprintf(marker, sizeof(marker), "\"probe_id\":\"%s\"", probe);
	rk = cs_test_consumer(brokers, "cdrsentry.session");
	int sessions = 0, idle = 0;
	while (sessions < 16 && idle < 100) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL) {
			idle++;
			continue;
		}
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && memmem(m->payload, m->len, marker, strlen(marker)) != NULL) {
			char key[32], imsi_field[64];
			snprintf(key, sizeof(key), "%.*s", (int)m->key_len, (const char *)m->key);
			snprintf(imsi_field, sizeof(imsi_field), "\"imsi\":\"%s\"", key);
			cr_expect(memmem(m->payload, m->len, imsi_field, strlen(imsi_field)) != NULL, "key %s is not the IMSI", key);
			cr_expect_str_eq(header(m, "record-type", hbuf, sizeof(hbuf)), "session");
			cr_expect(memmem(cdr, strlen(cdr), m->payload, m->len) != NULL, "record differs from cdr.jsonl");
			sessions++;
		}
		rd_kafka_message_destroy(m);
	}
	cr_expect_eq(sessions, 16, "session records consumed back");
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	free(cdr);
	char rm[64];
	snprintf(rm, sizeof(rm), "rm -rf %s", out);
	cr_expect_eq(system(rm), 0);
}
