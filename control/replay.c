/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry replay: configuration and command line -> capture pre-scan ->
 * EAL with one net_pcap port per capture -> pipeline and export ->
 * DIR/stats.json, a summary line, and the summary record on stdout (and
 * to Kafka when brokers are configured).
 */
#include "replay.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "capture_file.h"
#include "cli.h"
#include "config.h"
#include "config_apply.h"
#include "eal_args.h"
#include "kafka_outbox.h"
#include "rule_set.h"
#include "run_report.h"
#include "run_result.h"
#include "sink_kafka.h"
#include "spool.h"

enum { CS_SUMMARY_MAX = 16384, CS_STATS_MAX = 131072, CS_ERR_MAX = 8192 };

static int usage_error(const char *msg)
{
	fprintf(stderr, "cdrsentry: %s\n(run 'cdrsentry replay --help' for usage)\n", msg);
	return CS_EXIT_USAGE;
}

/* Configuration file first, then what the command line says on top; then the rules and plans it names. */
static int resolve(const struct cs_replay_opts *o, struct cs_config *c, struct cs_rule_set **rules)
{
	static char err[CS_ERR_MAX];

	cs_config_defaults(c);
	if (o->config != NULL && cs_config_load(o->config, c, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s", err);
		fprintf(stderr, "cdrsentry: %s: configuration refused\n", o->config);
		return -1;
	}
	if (o->out_dir != NULL)
		snprintf(c->out_dir, sizeof(c->out_dir), "%s", o->out_dir);
	else if (c->out_dir[0] == '\0')
		snprintf(c->out_dir, sizeof(c->out_dir), "cdrsentry-out");
	if (o->brokers != NULL)
		snprintf(c->brokers, sizeof(c->brokers), "%s", o->brokers);
	if (o->topic != NULL)
		snprintf(c->topic_summary, sizeof(c->topic_summary), "%s", o->topic);
	if (o->probe_id != NULL)
		snprintf(c->probe_id, sizeof(c->probe_id), "%s", o->probe_id);
	if (o->workers != 0)
		c->workers = o->workers;
	if (o->mem_mb != 0)
		c->mem_mb = o->mem_mb;
	if (o->kafka_timeout_ms != 0)
		c->kafka_timeout_ms = o->kafka_timeout_ms;
	if (o->state_dir != NULL)
		snprintf(c->state_dir, sizeof(c->state_dir), "%s", o->state_dir);
	*rules = cs_rule_set_load(c, err, sizeof(err));
	if (*rules == NULL) {
		fprintf(stderr, "%scdrsentry: %s: configuration refused\n", err, c->source);
		return -1;
	}
	return 0;
}

/* A summary the brokers did not take goes to the spool, when there is one: the next start sends it. */
static int keep_summary(const struct cs_config *c, const struct cs_kafka_record *rec)
{
	struct cs_spool_conf sc;
	char err[512];

	cs_config_to_spool(c, &sc);
	if (sc.dir == NULL)
		return -1;
	struct cs_spool *sp = cs_spool_open(&sc, err, sizeof(err));
	if (sp == NULL) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return -1;
	}
	const struct cs_spool_entry e = cs_kafka_spool_entry(rec);
	enum cs_spool_rc rc = cs_spool_append(sp, &e);
	if (rc != CS_SPOOL_OK)
		fprintf(stderr, "cdrsentry: kafka: the summary cannot be spooled: %s\n",
			rc == CS_SPOOL_FULL ? "the spool is full" : cs_spool_error(sp));
	if (cs_spool_close(sp, err, sizeof(err)) != 0) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return -1;
	}
	if (rc == CS_SPOOL_OK)
		fprintf(stderr, "cdrsentry: kafka: the summary is kept in spool %s: the next start sends it\n", sc.dir);
	return rc == CS_SPOOL_OK ? 0 : -1;
}

static int publish_summary(const struct cs_config *c, const char *record, size_t len)
{
	char err[512];
	struct cs_kafka_conf kc;

	cs_config_to_kafka(c, &kc);
	struct cs_kafka_sink *sink = cs_kafka_sink_open(&kc, NULL, NULL, err, sizeof(err));
	if (sink == NULL) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return CS_EXIT_DELIVERY;
	}
	const struct cs_kafka_record rec = {
		.topic = c->topic_summary,
		.key = c->probe_id,
		.record_type = "summary",
		.schema_version = CS_SUMMARY_SCHEMA_VERSION,
		.payload = record,
		.len = len,
	};
	int rc = cs_kafka_sink_publish_sync(sink, &rec, err, sizeof(err));
	cs_kafka_sink_close(sink);
	if (rc != 0) {
		fprintf(stderr, "cdrsentry: %s (brokers %s)\n", err, c->brokers);
		return keep_summary(c, &rec) == 0 ? CS_EXIT_OK : CS_EXIT_DELIVERY;
	}
	return CS_EXIT_OK;
}

static int scan_captures(const struct cs_replay_opts *opts, struct cs_capture_info *info, uint64_t *total)
{
	char err[512];

	*total = 0;
	for (unsigned int i = 0; i < opts->ncaptures; i++) {
		if (cs_capture_scan(opts->captures[i], &info[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "cdrsentry: %s\n", err);
			return -1;
		}
		if (info[i].damaged)
			fprintf(stderr, "cdrsentry: %s: damaged after byte %llu; replaying the %llu records before it\n",
				opts->captures[i], (unsigned long long)info[i].valid_bytes,
				(unsigned long long)info[i].records);
		*total += info[i].records;
	}
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* --dump-imsi: comma-separated IMSIs (digits, 5 to 15 of them). */
static int parse_imsis(const char *list, struct cs_state_dump *dump)
{
	dump->n = 0;
	for (const char *p = list; p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ",");
		cs_digits imsi = n >= 5 && n <= 15 ? cs_digits_from_ascii(p, n) : CS_DIGITS_NONE;
		if (imsi == CS_DIGITS_NONE || dump->n == CS_MAX_DUMP_IMSIS) {
			fprintf(stderr, "cdrsentry: --dump-imsi: '%.*s' is not an IMSI (5 to 15 digits; at most %d IMSIs)\n",
				(int)n, p, CS_MAX_DUMP_IMSIS);
			return -1;
		}
		dump->imsis[dump->n++] = imsi;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* The pipeline over the captures' ports, from EAL up to the joined results. */
static int run(const struct cs_replay_opts *opts, const struct cs_config *c, const struct cs_rule_set *rules,
	       const struct cs_capture_info *info, uint64_t total, struct cs_run_extras *extras,
	       struct cs_pipeline_result *result, struct cs_export_stats *exported)
{
	struct cs_pipeline_conf pc;
	struct cs_export_conf xc;
	struct cs_long_memory_conf lc;
	char err[512];

	cs_config_to_pipeline(c, &pc);
	pc.rules = rules;
	pc.arrival_time = 0; /* a replay's event time is the capture's, whatever input.event_time says */
	pc.nports = opts->ncaptures;
	pc.nworkers = c->workers;
	pc.rx_queues = 1;
	pc.nrx = 1; /* one RX lcore drains the captures in order: the replay is deterministic */
	for (unsigned int i = 0; i < opts->ncaptures; i++) {
		char name[32];
		snprintf(name, sizeof(name), "net_pcap%u", i);
		if (rte_eth_dev_get_port_by_name(name, &pc.port_id[i]) != 0) {
			fprintf(stderr, "cdrsentry: %s: the net_pcap port did not appear\n", opts->captures[i]);
			return CS_EXIT_RUNTIME;
		}
		pc.expected_records[i] = info[i].records;
	}
	cs_config_to_export(c, &xc);
	xc.progress_total = total;
	xc.show_progress = isatty(STDERR_FILENO);
	cs_config_to_long_memory(c, NULL, &lc);
	extras->state = &lc;
	int rc = cs_run_pipeline(&pc, &xc, extras, result, exported, err, sizeof(err));
	if (rc != CS_EXIT_OK)
		fprintf(stderr, "cdrsentry: replay: %s\n", err);
	return rc;
}

static int report(const struct cs_replay_opts *opts, const struct cs_config *c, const struct cs_capture_info *info,
		  const struct cs_pipeline_result *result, const struct cs_export_stats *exported,
		  const struct cs_long_memory_stats *stored, double secs)
{
	static char stats[CS_STATS_MAX], summary[CS_SUMMARY_MAX];
	char err[512];
	const struct cs_run_report r = {
		.probe_id = c->probe_id,
		.ncaptures = opts->ncaptures,
		.capture_paths = opts->captures,
		.captures = info,
		.result = result,
		.exported = exported,
		.stored = c->state_dir[0] != '\0' ? stored : NULL,
	};
	int stats_len = cs_run_report_stats(&r, stats, sizeof(stats));
	int summary_len = cs_run_report_summary(&r, summary, sizeof(summary));

	if (stats_len < 0 || summary_len < 0) {
		fprintf(stderr, "cdrsentry: the run's report does not fit its buffer\n");
		return CS_EXIT_RUNTIME;
	}
	if (cs_write_file(c->out_dir, "stats.json", stats, (size_t)stats_len, err, sizeof(err)) != 0) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return CS_EXIT_DELIVERY;
	}
	fprintf(stderr,
		"cdrsentry: replayed %llu packets in %.2f s (%.0f packets/s): %llu session, %llu call, %llu sms "
		"records in %s/cdr.jsonl\n",
		(unsigned long long)result->decode.frames, secs, secs > 0 ? (double)result->decode.frames / secs : 0.0,
		(unsigned long long)exported->sessions, (unsigned long long)exported->calls,
		(unsigned long long)exported->sms, c->out_dir);
	printf("%s\n", summary);
	fflush(stdout);
	return c->brokers[0] != '\0' ? publish_summary(c, summary, (size_t)summary_len) : CS_EXIT_OK;
}

int cs_replay_main(int argc, char **argv)
{
	static struct cs_capture_info info[CS_MAX_CAPTURES];
	static struct cs_eal_args eal;
	static struct cs_config config;
	struct cs_replay_opts opts;
	struct cs_pipeline_result result;
	struct cs_export_stats exported = { 0 };
	char err[512];
	uint64_t total;
	struct timespec started;

	int rc = cs_cli_parse_replay(argc, argv, &opts, err, sizeof(err));
	if (rc != 0)
		return rc > 0 ? CS_EXIT_OK : usage_error(err);
	static struct cs_rule_set *rules; /* static: still reachable on the early exits below */
	if (resolve(&opts, &config, &rules) != 0)
		return CS_EXIT_USAGE;
	static char dump_path[4096];
	static struct cs_state_dump dump = { .path = dump_path };
	if (parse_imsis(opts.dump_imsi, &dump) != 0)
		return CS_EXIT_USAGE;
	dump.probe_id = config.probe_id;
	snprintf(dump_path, sizeof(dump_path), "%s/subscribers.jsonl", config.out_dir);
	if (scan_captures(&opts, info, &total) != 0)
		return CS_EXIT_USAGE;
	if (mkdir(config.out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "cdrsentry: %s: cannot create the output directory: %s\n", config.out_dir, strerror(errno));
		return CS_EXIT_USAGE;
	}
	if (cs_eal_args_replay(&eal, config.workers, config.mem_mb, opts.captures, opts.ncaptures) != 0)
		return usage_error("EAL arguments too long (capture paths?)");
	clock_gettime(CLOCK_MONOTONIC, &started);
	if (rte_eal_init(eal.argc, eal.argv) < 0) {
		fprintf(stderr, "cdrsentry: DPDK EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return CS_EXIT_RUNTIME;
	}
	static struct cs_long_memory_stats stored;
	struct cs_run_extras extras = { .dump = &dump, .stored = &stored };
	rc = run(&opts, &config, rules, info, total, &extras, &result, &exported);
	rte_eal_cleanup();
	cs_rule_set_free(rules);
	if (rc == CS_EXIT_RUNTIME || rc == CS_EXIT_USAGE)
		return rc;
	int report_rc = report(&opts, &config, info, &result, &exported, &stored, seconds_since(&started));
	return rc != CS_EXIT_OK ? rc : report_rc;
}
