/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Nothing accepted is lost, against a real Apache Kafka broker
 * (scripts/with-kafka; docs/kafka-delivery.md):
 *
 *  - records produced steadily through the outbox (control/kafka_outbox.c,
 *    the path export uses) while the broker is stopped and started again:
 *    every id is consumed back at least once; duplicates are counted and
 *    reported.
 *  - a cdrsentry replay with no broker leaves its records (and its summary)
 *    in the spool; the next run, with the broker, sends them first.
 *  - live mode stopped by SIGTERM with no broker spools what it holds and
 *    exits 0; the next start sends it.
 *  - a spool at its cap drops what does not fit, counts it, logs it once
 *    per interval, and the run exits 3.
 *
 * The outage lasts CDRSENTRY_OUTAGE_S seconds of stopped broker plus its
 * restart (6 s by default, to keep the suite quick; the 30 s proof
 * is scripts/kafka-outage-proof, which sets CDRSENTRY_OUTAGE_S=30). The
 * first test halts the suite's one broker: the Kafka suite runs its tests
 * one at a time (tests/meson.build).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <librdkafka/rdkafka.h>

#include "kafka_outbox.h"
#include "kafka_consumer.h"
#include "run.h"

enum { DEFAULT_OUTAGE_S = 6, RATE_PER_S = 1000, MAX_IDS = 1 << 20 };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts scripts/kafka-broker halt|resume on the suite's broker; returns the pid. */
static int broker_ctl(const char *what)
{
	char *argv[] = { (char *)CS_SOURCE_PATH("scripts/kafka-broker"), (char *)what,
			 (char *)cs_env("CDRSENTRY_TEST_KAFKA_DIR"), NULL };
	char log[64];

	snprintf(log, sizeof(log), "/tmp/cs-kafka-%s.log", what);
	int pid = cs_spawn(argv, log, log);
	cr_assert_gt(pid, 0, "cannot run scripts/kafka-broker %s", what);
	return pid;
}

/* Whether pid ended (its status checked: 0); never blocks. */
static int finished(int pid, const char *what)
{
	int ws;
	pid_t got = waitpid(pid, &ws, WNOHANG);

	cr_assert_neq(got, -1, "waitpid: %s", strerror(errno));
	if (got == 0)
		return 0;
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "scripts/kafka-broker %s failed (/tmp/cs-kafka-%s.log)", what,
		  what);
	return 1;
}

static void send_id(struct cs_kafka_outbox *ob, const char *run, unsigned int id)
{
	char payload[128];
	int len = snprintf(payload, sizeof(payload), "{\"run\":\"%s\",\"id\":%u}", run, id);
	const struct cs_kafka_record rec = {
		.topic = "cdrsentry.session",
		.key = run,
		.record_type = "session",
		.schema_version = 1,
		.payload = payload,
		.len = (size_t)len,
	};
	cs_kafka_outbox_send(ob, &rec);
}

Test(kafka_outage, every_id_arrives_through_a_broker_stop_and_restart, .timeout = 600)
{
	const char *brokers = cs_env("CDRSENTRY_TEST_KAFKA");
	const char *env_s = getenv("CDRSENTRY_OUTAGE_S");
	int outage_s = env_s != NULL ? atoi(env_s) : DEFAULT_OUTAGE_S;
	char run[64], spool_dir[] = "/tmp/cs-outage-spool.XXXXXX", err[512];

	cr_assert_gt(outage_s, 0);
	snprintf(run, sizeof(run), "outage-%ld-%ld", (long)getpid(), (long)time(NULL));
	cr_assert_not_null(mkdtemp(spool_dir));
	const struct cs_kafka_conf kc = {
		.brokers = brokers,
		.delivery_timeout_ms = 10000,
		.compression = "lz4",
		.queue_records = 20000,
		/* passed through as the configuration's export.kafka.properties would be */
		.nprops = 1,
		.prop_name = { "linger.ms" },
		.prop_value = { "5" },
	};
	const struct cs_spool_conf sc = {
		.dir = spool_dir,
		.max_bytes = 256u << 20,
		.segment_bytes = 1u << 20,
		.fsync = CS_SPOOL_FSYNC_INTERVAL,
		.fsync_interval_ms = 200,
	};
	struct cs_kafka_outbox *ob = cs_kafka_outbox_open(&kc, &sc, err, sizeof(err));
	cr_assert_not_null(ob, "%s", err);

	/*
	 * A steady stream, 1000 records a second: 2 s with the broker up, then
	 * halt it (SIGTERM, as an operator stops it), outage_s with it down,
	 * resume it (its JVM start is part of the outage), 5 s more (the probe
	 * finds it back within a reconnect, at most 1 s). Closing the outbox
	 * then delivers what the spool still holds.
	 */
	unsigned int sent = 0;
	double t0 = now_s(), halted_at = 0, ready_at = 0;
	int halt_pid = 0, resume_pid = 0;
	for (;;) {
		double t = now_s();
		while (sent < (unsigned int)((t - t0) * RATE_PER_S) && sent < MAX_IDS)
			send_id(ob, run, sent++);
		cs_kafka_outbox_poll(ob);
		if (halt_pid == 0 && t - t0 >= 2)
			halt_pid = broker_ctl("halt");
		else if (halt_pid > 0 && halted_at == 0 && finished(halt_pid, "halt"))
			halted_at = now_s();
		else if (halted_at > 0 && resume_pid == 0 && t - halted_at >= outage_s)
			resume_pid = broker_ctl("resume");
		else if (resume_pid > 0 && ready_at == 0 && finished(resume_pid, "resume"))
			ready_at = now_s();
		else if (ready_at > 0 && t - ready_at >= 5)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	struct cs_kafka_outbox_stats st;
	int close_rc = cs_kafka_outbox_close(ob, &st);

	/* every id back from the topic; a second copy of one is counted */
	unsigned char *seen = calloc(sent, 1);
	unsigned int distinct = 0, duplicates = 0, inversions = 0, last_first = 0;
	rd_kafka_t *rk = cs_test_consumer(brokers, "cdrsentry.session");
	double idle_since = now_s();
	while (now_s() - idle_since < (distinct == sent ? 2.0 : 30.0)) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL)
			continue;
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->key_len == strlen(run) && memcmp(m->key, run, m->key_len) == 0) {
			unsigned int id;
			char fmt[96];
			snprintf(fmt, sizeof(fmt), "{\"run\":\"%s\",\"id\":%%u}", run);
			char text[128];
			snprintf(text, sizeof(text), "%.*s", (int)m->len, (const char *)m->payload);
			cr_assert_eq(sscanf(text, fmt, &id), 1, "payload %s", text);
			cr_assert_lt(id, sent);
			if (seen[id]++ == 0) {
				distinct++;
				inversions += id < last_first;
				last_first = id;
			} else {
				duplicates++;
			}
			idle_since = now_s();
		}
		rd_kafka_message_destroy(m);
	}
	cs_test_consumer_close(rk);
	unsigned int missing = 0, first_missing = 0;
	for (unsigned int i = 0; i < sent; i++)
		if (seen[i] == 0 && missing++ == 0)
			first_missing = i;
	free(seen);

	printf("kafka outage proof: broker down %.1f s (stopped %.1f s into the stream, started again after %d s, "
	       "serving %.1f s later); %u records sent, %u distinct ids consumed, %u missing, %u duplicates, %u out of "
	       "order; outbox: delivered %llu, spooled %llu, replayed %llu, outages %llu, dropped %llu, failed %llu\n",
	       ready_at - halted_at, halted_at - t0, outage_s, ready_at - halted_at - outage_s, sent, distinct, missing,
	       duplicates, inversions,
	       (unsigned long long)st.delivered, (unsigned long long)st.spooled, (unsigned long long)st.replayed,
	       (unsigned long long)st.outages, (unsigned long long)(st.dropped_spool_full + st.dropped_spool_error),
	       (unsigned long long)st.failed);
	fflush(stdout);
	cr_expect_eq(close_rc, 0, "the outbox lost records");
	cr_expect_eq(missing, 0, "%u of %u ids never arrived (first: %u)", missing, sent, first_missing);
	cr_expect_geq(st.outages, 1, "the outage was noticed");
	cr_expect_gt(st.spooled, 0, "records went through the spool");
	cr_expect_geq(st.replayed, st.spooled, "every spooled record was produced again");
	cr_expect_eq(st.spool_bytes, 8, "the spool is empty at the end: %llu bytes", (unsigned long long)st.spool_bytes);
	char rm[96];
	snprintf(rm, sizeof(rm), "rm -rf %s", spool_dir);
	cr_expect_eq(system(rm), 0);
}

/* ---- through the binary: no broker, then a broker ---- */

/*
 * What names each record of a cdr.jsonl, as the JSON text to find in a
 * consumed record: "record_id":"..." (sessions) or "call_id":"..." (calls).
 */
/* The ids of the records a run wrote: its CDRs' (record_id, call_id) and its anomalies' (id). */
static char **record_ids(const char *out_dir, unsigned int *n)
{
	static const char *const files[] = { "cdr.jsonl", "anomalies.jsonl" };
	char **ids = calloc(1 << 16, sizeof(*ids));

	*n = 0;
	for (size_t f = 0; f < 2; f++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/%s", out_dir, files[f]);
		char *text = cs_read_file(path, NULL);
		cr_assert_not_null(text, "%s", path);
		for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
			const char *p = strstr(line, "\"record_id\":\"");
			if (p == NULL)
				p = strstr(line, "\"call_id\":\"");
			if (p == NULL)
				p = strstr(line, "\"id\":\"");
			cr_assert_not_null(p, "a record without id: %s", line);
			const char *value = strchr(p, ':') + 2;
			cr_assert_lt(*n, (1u << 16) - 1);
			ids[(*n)++] = strndup(p, (size_t)(value - p) + strcspn(value, "\"") + 1);
		}
		free(text);
	}
	return ids;
}

static uint64_t stat_of(const char *stats, const char *name)
{
	char field[96];

	snprintf(field, sizeof(field), "\"%s\":", name);
	const char *at = strstr(stats, field);
	cr_assert_not_null(at, "stats.json lacks %s", name);
	return strtoull(at + strlen(field), NULL, 10);
}

static void replay(const char *config, const char *brokers, const char *probe, const char *out, const char *capture,
		   char **stats)
{
	struct cs_run r;
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--config", (char *)config, "--brokers",
			 (char *)brokers, "--probe-id", (char *)probe, "--kafka-timeout-ms", "3000", "--out", (char *)out,
			 (char *)capture, NULL };
	char path[128];

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "replay to %s: exit %d\nstderr:\n%s", brokers, r.status, r.err);
	fprintf(stderr, "replay to %s:\n%s", brokers, r.err); /* its account of the spool, for the test log */
	cs_run_free(&r);
	snprintf(path, sizeof(path), "%s/stats.json", out);
	*stats = cs_read_file(path, NULL);
	cr_assert_not_null(*stats);
}

/* The records a run wrote (their ids), and how many of them came back, once or more. */
struct expected {
	char **ids;
	unsigned int n;
	unsigned char *found;
	unsigned int got, duplicates;
};

static void find_expected(const rd_kafka_message_t *m, void *arg)
{
	struct expected *x = arg;

	for (unsigned int i = 0; i < x->n; i++) {
		if (memmem(m->payload, m->len, x->ids[i], strlen(x->ids[i])) != NULL) {
			if (x->found[i]++ == 0)
				x->got++;
			else
				x->duplicates++;
			return;
		}
	}
}

Test(kafka_outage, a_run_without_broker_is_delivered_by_the_next_run, .timeout = 300)
{
	const char *brokers = cs_env("CDRSENTRY_TEST_KAFKA");
	char base[] = "/tmp/cs-outage-run.XXXXXX", probe_a[64], probe_b[64];
	struct cs_run r;

	cr_assert_not_null(mkdtemp(base));
	snprintf(probe_a, sizeof(probe_a), "down-%ld-%ld", (long)getpid(), (long)time(NULL));
	snprintf(probe_b, sizeof(probe_b), "up-%ld-%ld", (long)getpid(), (long)time(NULL));

	/* a capture of a few hundred records */
	char capture[256];
	snprintf(capture, sizeof(capture), "%s/g.pcap", base);
	char *gen[] = { (char *)cs_env("CDRSENTRY_GEN"), "--subscribers", "150", "--out", capture, NULL };
	cr_assert_eq(cs_run(gen, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cs_run_free(&r);

	char config[256];
	snprintf(config, sizeof(config), "%s/cdrsentry.yaml", base);
	FILE *f = fopen(config, "w");
	cr_assert_not_null(f);
	fprintf(f, "export:\n  kafka:\n    spool:\n      dir: \"%s/spool\"\n      segment_mb: 1\n      fsync: always\n", base);
	cr_assert_eq(fclose(f), 0);

	/* 1: nobody listens on port 1: every record, and the summary, stay in the spool */
	char out_a[256], *stats;
	snprintf(out_a, sizeof(out_a), "%s/out-a", base);
	replay(config, "127.0.0.1:1", probe_a, out_a, capture, &stats);
	unsigned int n_a;
	char **ids_a = record_ids(out_a, &n_a);
	cr_assert_gt(n_a, 100);
	cr_expect_eq(stat_of(stats, "kafka_delivered"), 0);
	cr_expect_eq(stat_of(stats, "kafka_spooled"), n_a, "every record spooled");
	cr_expect_eq(stat_of(stats, "kafka_dropped_spool_full"), 0);
	cr_expect_gt(stat_of(stats, "kafka_spool_bytes"), 8);
	free(stats);

	/* 2: with the broker: the spool goes first, then this run's records */
	char out_b[256];
	snprintf(out_b, sizeof(out_b), "%s/out-b", base);
	replay(config, brokers, probe_b, out_b, CS_SOURCE_PATH("tests/data/sample.pcap"), &stats);
	/* the spooled records, the first run's summary, and this run's records that queued behind them */
	cr_expect_geq(stat_of(stats, "kafka_replayed"), n_a + 1);
	cr_expect_eq(stat_of(stats, "kafka_spool_bytes"), 8, "the spool is empty after the second run");
	cr_expect_eq(stat_of(stats, "kafka_failed"), 0);
	free(stats);

	/* every record of the first run is on its topic */
	struct expected want = { .ids = ids_a, .n = n_a, .found = calloc(n_a, 1) };
	/* the generated subscribers' numbers are one consecutive batch: numblock.batch flags it */
	const char *const topics[] = { "cdrsentry.session", "cdrsentry.call", "cdrsentry.anomalies" };
	cs_test_consume_probe(brokers, topics, 3, probe_a, find_expected, &want);
	unsigned int got = want.got, duplicates = want.duplicates;
	unsigned char *found = want.found;
	cr_expect_eq(got, n_a, "%u of the %u spooled records consumed back", got, n_a);
	cr_expect_eq(duplicates, 0);

	/* and the first run's summary, keyed by its probe id */
	rd_kafka_t *rk = cs_test_consumer(brokers, "cdrsentry.summary");
	int summary = 0;
	for (int polls = 0; summary == 0 && polls < 100; polls++) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
		if (m == NULL)
			continue;
		summary = m->err == RD_KAFKA_RESP_ERR_NO_ERROR && m->key_len == strlen(probe_a) &&
			  memcmp(m->key, probe_a, m->key_len) == 0;
		rd_kafka_message_destroy(m);
	}
	cs_test_consumer_close(rk);
	cr_expect(summary, "the summary of the run without broker reached %s", "cdrsentry.summary");

	for (unsigned int i = 0; i < n_a; i++)
		free(ids_a[i]);
	free(ids_a);
	free(found);
	char rm[96];
	snprintf(rm, sizeof(rm), "rm -rf %s", base);
	cr_expect_eq(system(rm), 0);
}

/* Each record consumed back, once: a second copy is counted as a duplicate. */
struct distinct_records {
	char **seen;
	unsigned int got, dups;
};

static void keep_distinct(const rd_kafka_message_t *m, void *arg)
{
	struct distinct_records *d = arg;
	char *copy = strndup(m->payload, m->len);
	unsigned int i = 0;

	while (i < d->got && strcmp(d->seen[i], copy) != 0)
		i++;
	if (i < d->got) {
		d->dups++;
		free(copy);
		return;
	}
	cr_assert_lt(d->got, (1u << 12) - 1);
	d->seen[d->got++] = copy;
}

/* The records of probe_id found on the session and call topics, each counted once; *dups gets the second copies. */
static unsigned int consume_probe(const char *brokers, const char *probe, unsigned int *dups)
{
	const char *const topics[] = { "cdrsentry.session", "cdrsentry.call" };
	struct distinct_records d = { .seen = calloc(1 << 12, sizeof(char *)) };

	cs_test_consume_probe(brokers, topics, 2, probe, keep_distinct, &d);
	for (unsigned int i = 0; i < d.got; i++)
		free(d.seen[i]);
	free(d.seen);
	*dups = d.dups;
	return d.got;
}

/*
 * Live mode stopped by SIGTERM while no broker answers: the drain spools
 * every record and exits 0; the next start (a replay, with the broker)
 * sends them.
 */
Test(kafka_outage, sigterm_without_broker_keeps_records_for_the_next_start, .timeout = 300)
{
	const char *brokers = cs_env("CDRSENTRY_TEST_KAFKA");
	char base[] = "/tmp/cs-outage-live.XXXXXX", config[128], vdev[320], prefix[64], out[128], err[128], path[160];
	char probe[64];

	cr_assert_not_null(mkdtemp(base));
	snprintf(probe, sizeof(probe), "sigterm-%ld-%ld", (long)getpid(), (long)time(NULL));
	snprintf(config, sizeof(config), "%s/probe.yaml", base);
	FILE *f = fopen(config, "w");
	cr_assert_not_null(f);
	fprintf(f,
		"probe_id: %s\nexport:\n  out_dir: %s\n  kafka:\n    brokers: 127.0.0.1:1\n    timeout_ms: 3000\n"
		"    spool: { dir: %s/spool, segment_mb: 1 }\n",
		probe, base, base);
	cr_assert_eq(fclose(f), 0);
	snprintf(vdev, sizeof(vdev), "net_pcap0,rx_pcap=%s", CS_SOURCE_PATH("tests/data/sample.pcap"));
	snprintf(prefix, sizeof(prefix), "--file-prefix=cs-outage-live-%ld", (long)getpid());
	snprintf(out, sizeof(out), "%s/stdout", base);
	snprintf(err, sizeof(err), "%s/stderr", base);
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "-l", "0,1", "--no-huge", "--no-pci", "--no-shconf",
			 "--no-telemetry", "-m", "512", prefix, "--vdev", vdev, "--log-level=warning", "--", "--config",
			 config, NULL };
	int pid = cs_spawn(argv, out, err);
	cr_assert_gt(pid, 0);

	/* the capture's 14 deleted sessions are written while it runs: then stop it */
	snprintf(path, sizeof(path), "%s/cdr.jsonl", base);
	for (int waited = 0; waited < 200; waited++) {
		nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
		char *cdr = cs_read_file(path, NULL);
		int deleted = cs_count(cdr, "\"end_reason\":\"deleted\"");
		free(cdr);
		if (deleted == 14)
			break;
	}
	cr_assert_eq(kill(pid, SIGTERM), 0);
	int status = cs_wait(pid);
	char *stderr_text = cs_read_file(err, NULL);
	cr_assert_eq(status, 0, "exit %d:\n%s", status, stderr_text);
	fprintf(stderr, "live, SIGTERM:\n%s", stderr_text);
	free(stderr_text);
	snprintf(path, sizeof(path), "%s/stats.json", base);
	char *stats = cs_read_file(path, NULL);
	cr_assert_not_null(stats);
	cr_expect_eq(stat_of(stats, "kafka_spooled"), 20, "16 sessions and 4 calls spooled");
	cr_expect_eq(stat_of(stats, "kafka_delivered"), 0);
	cr_expect_gt(stat_of(stats, "kafka_spool_bytes"), 8);
	free(stats);

	/* the next start, with the broker: a replay of another capture, other probe id */
	char out_b[160];
	snprintf(out_b, sizeof(out_b), "%s/out-b", base);
	replay(config, brokers, "after-sigterm", out_b, CS_SOURCE_PATH("tests/data/sms.pcap"), &stats);
	cr_expect_eq(stat_of(stats, "kafka_spool_bytes"), 8, "the spool is empty after the next start");
	free(stats);
	unsigned int dups;
	cr_expect_eq(consume_probe(brokers, probe, &dups), 20, "the live run's records consumed back");
	cr_expect_eq(dups, 0);
	char rm[96];
	snprintf(rm, sizeof(rm), "rm -rf %s", base);
	cr_expect_eq(system(rm), 0);
}

/*
 * The one way to lose a record with a spool: its cap. No broker, a 1 MiB
 * spool, a few MiB of records: what fits is kept, the rest is dropped,
 * counted, logged (once per 10 s, so once in this short run), and the run
 * exits 3.
 */
Test(kafka_outage, a_full_spool_drops_counts_and_logs_once, .timeout = 120)
{
	char base[] = "/tmp/cs-outage-cap.XXXXXX", capture[64], config[64], out[64], path[96];
	struct cs_run r;

	cr_assert_not_null(mkdtemp(base));
	snprintf(capture, sizeof(capture), "%s/g.pcap", base);
	char *gen[] = { (char *)cs_env("CDRSENTRY_GEN"), "--subscribers", "3000", "--out", capture, NULL };
	cr_assert_eq(cs_run(gen, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cs_run_free(&r);
	snprintf(config, sizeof(config), "%s/cdrsentry.yaml", base);
	FILE *f = fopen(config, "w");
	cr_assert_not_null(f);
	fprintf(f, "export:\n  kafka:\n    spool: { dir: %s/spool, max_mb: 1, segment_mb: 1, fsync: never }\n", base);
	cr_assert_eq(fclose(f), 0);
	snprintf(out, sizeof(out), "%s/out", base);
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--config", config, "--brokers", "127.0.0.1:1",
			 "--kafka-timeout-ms", "2000", "--out", out, capture, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_expect_eq(r.status, 3, "a dropped record is a lost record: exit 3\n%s", r.err);
	cr_expect_eq(cs_count(r.err, "full (cap 1 MiB): "), 1, "one line for the interval:\n%s", r.err);

	snprintf(path, sizeof(path), "%s/stats.json", out);
	char *stats = cs_read_file(path, NULL);
	cr_assert_not_null(stats);
	/* the first "session", "call" and "anomaly" keys of stats.json are export.records' */
	uint64_t records = stat_of(stats, "session") + stat_of(stats, "call") + stat_of(stats, "anomaly");
	uint64_t spooled = stat_of(stats, "kafka_spooled"), dropped = stat_of(stats, "kafka_dropped_spool_full");
	cr_expect_gt(spooled, 0);
	cr_expect_gt(dropped, 0);
	cr_expect_eq(spooled + dropped, records, "every record kept or counted: %llu + %llu of %llu",
		     (unsigned long long)spooled, (unsigned long long)dropped, (unsigned long long)records);
	cr_expect_eq(stat_of(stats, "kafka_spool_refused_full"), dropped);
	cr_expect_leq(stat_of(stats, "kafka_spool_bytes"), 1u << 20);
	free(stats);
	cs_run_free(&r);
	char rm[96];
	snprintf(rm, sizeof(rm), "rm -rf %s", base);
	cr_expect_eq(system(rm), 0);
}
