/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry: command dispatch. `replay` runs the pipeline over captures:
 * pre-scan -> EAL -> pipeline + export -> stats.json and a summary record.
 */
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
#include "cs_build_config.h"
#include "e164.h"
#include "eal_args.h"
#include "export.h"
#include "pipeline.h"
#include "run_report.h"
#include "sink_kafka.h"

enum { CS_SUMMARY_MAX = 16384, CS_STATS_MAX = 131072 };

/* Replay defaults; the config file will carry them for live mode. */
static const struct cs_pipeline_conf replay_defaults = {
	.ports = { .gtpc = 2123, .gtpu = 2152, .sip = 5060 },
	.sessions = 65536,
	.worker_sessions = 65536,
	.gtpc_transactions = 4096,
	.gtpc_response_timeout_ns = 10ull * 1000000000ull,
	.sip_calls = 65536,
	.sip_setup_timeout_ns = 180ull * 1000000000ull,
	.sip_max_call_ns = 4ull * 3600 * 1000000000ull,
	.session_idle_timeout_ns = 2ull * 3600 * 1000000000ull,
	.interim_ns = 3600ull * 1000000000ull,
	.frag_timeout_ns = 2ull * 1000000000ull,
	.input_idle_timeout_s = 2.0,
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "cdrsentry: %s\n(run 'cdrsentry replay --help' for usage)\n", msg);
	return CS_EXIT_USAGE;
}

static int publish_summary(const struct cs_replay_opts *opts, const char *record, size_t len)
{
	char err[512];
	struct cs_kafka_sink *sink = cs_kafka_sink_open(opts->brokers, opts->kafka_timeout_ms, err, sizeof(err));

	if (sink == NULL) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return CS_EXIT_DELIVERY;
	}
	const struct cs_kafka_record rec = {
		.topic = opts->topic,
		.key = opts->probe_id,
		.record_type = "summary",
		.schema_version = CS_SUMMARY_SCHEMA_VERSION,
		.payload = record,
		.len = len,
	};
	int rc = cs_kafka_sink_publish_sync(sink, &rec, err, sizeof(err));
	cs_kafka_sink_close(sink);
	if (rc != 0) {
		fprintf(stderr, "cdrsentry: %s (brokers %s)\n", err, opts->brokers);
		return CS_EXIT_DELIVERY;
	}
	return CS_EXIT_OK;
}

static int write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF || fclose(f) != 0) {
		fprintf(stderr, "cdrsentry: %s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
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

/* The pipeline and export, from EAL up to the joined results. Returns an exit status. */
static int run_pipeline(const struct cs_replay_opts *opts, const struct cs_capture_info *info, uint64_t total,
			struct cs_pipeline_result *result, struct cs_export_stats *exported)
{
	struct cs_pipeline_conf conf = replay_defaults;
	char err[512];

	conf.numbers = cs_e164_conf_default();
	conf.nports = opts->ncaptures;
	conf.nworkers = opts->workers;
	for (unsigned int i = 0; i < opts->ncaptures; i++) {
		char name[32];
		snprintf(name, sizeof(name), "net_pcap%u", i);
		if (rte_eth_dev_get_port_by_name(name, &conf.port_id[i]) != 0) {
			fprintf(stderr, "cdrsentry: %s: the net_pcap port did not appear\n", opts->captures[i]);
			return CS_EXIT_RUNTIME;
		}
		conf.expected_records[i] = info[i].records;
	}
	struct cs_pipeline *p = cs_pipeline_create(&conf, err, sizeof(err));
	if (p == NULL) {
		fprintf(stderr, "cdrsentry: cannot build the pipeline: %s\n", err);
		return CS_EXIT_RUNTIME;
	}
	struct cs_export_conf xc = {
		.out_dir = opts->out_dir,
		.probe_id = opts->probe_id,
		.brokers = opts->brokers,
		.topic_session = "cdrsentry.session",
		.topic_call = "cdrsentry.call",
		.topic_sms = "cdrsentry.sms",
		.kafka_timeout_ms = opts->kafka_timeout_ms,
		.nrings = opts->workers,
		.progress_of = p,
		.progress_total = total,
		.show_progress = isatty(STDERR_FILENO),
	};
	for (unsigned int w = 0; w < opts->workers; w++)
		xc.rings[w] = cs_pipeline_export_ring(p, w);
	struct cs_export *x = cs_export_start(&xc, err, sizeof(err));
	if (x == NULL) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		cs_pipeline_free(p);
		return CS_EXIT_USAGE;
	}
	int rc = cs_pipeline_run(p, err, sizeof(err));
	int export_rc = cs_export_join(x, exported);
	cs_pipeline_result(p, result);
	cs_pipeline_free(p);
	if (rc != 0) {
		fprintf(stderr, "cdrsentry: replay failed: %s\n", err);
		return CS_EXIT_RUNTIME;
	}
	return export_rc == 0 ? CS_EXIT_OK : CS_EXIT_DELIVERY;
}

static int run_replay(int argc, char **argv)
{
	struct cs_replay_opts opts;
	static struct cs_capture_info info[CS_MAX_CAPTURES];
	static struct cs_eal_args eal;
	struct cs_pipeline_result result;
	struct cs_export_stats exported = { 0 };
	char err[512], host[256];
	uint64_t total;
	struct timespec started;

	int rc = cs_cli_parse_replay(argc, argv, &opts, err, sizeof(err));
	if (rc != 0)
		return rc > 0 ? CS_EXIT_OK : usage_error(err);
	if (opts.probe_id == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "cdrsentry");
		host[sizeof(host) - 1] = '\0';
		opts.probe_id = host;
	}
	if (scan_captures(&opts, info, &total) != 0)
		return CS_EXIT_USAGE;
	if (mkdir(opts.out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "cdrsentry: --out %s: cannot create: %s\n", opts.out_dir, strerror(errno));
		return CS_EXIT_USAGE;
	}
	if (cs_eal_args_replay(&eal, opts.workers, opts.mem_mb, opts.captures, opts.ncaptures) != 0)
		return usage_error("EAL arguments too long (capture paths?)");
	clock_gettime(CLOCK_MONOTONIC, &started);
	if (rte_eal_init(eal.argc, eal.argv) < 0) {
		fprintf(stderr, "cdrsentry: DPDK EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return CS_EXIT_RUNTIME;
	}
	rc = run_pipeline(&opts, info, total, &result, &exported);
	rte_eal_cleanup();
	if (rc == CS_EXIT_RUNTIME || rc == CS_EXIT_USAGE)
		return rc;

	static char stats[CS_STATS_MAX], summary[CS_SUMMARY_MAX];
	const struct cs_run_report report = {
		.probe_id = opts.probe_id,
		.ncaptures = opts.ncaptures,
		.capture_paths = opts.captures,
		.captures = info,
		.result = &result,
		.exported = &exported,
	};
	int stats_len = cs_run_report_stats(&report, stats, sizeof(stats));
	int summary_len = cs_run_report_summary(&report, summary, sizeof(summary));
	if (stats_len < 0 || summary_len < 0 || write_file(opts.out_dir, "stats.json", stats, (size_t)stats_len) != 0)
		return CS_EXIT_DELIVERY;
	double secs = seconds_since(&started);
	fprintf(stderr,
		"cdrsentry: replayed %llu packets in %.2f s (%.0f packets/s): %llu session, %llu call, %llu sms "
		"records in %s/cdr.jsonl\n",
		(unsigned long long)result.decode.frames, secs, secs > 0 ? (double)result.decode.frames / secs : 0.0,
		(unsigned long long)exported.sessions, (unsigned long long)exported.calls,
		(unsigned long long)exported.sms, opts.out_dir);
	printf("%s\n", summary);
	fflush(stdout);
	if (opts.brokers != NULL) {
		int prc = publish_summary(&opts, summary, (size_t)summary_len);
		if (prc != CS_EXIT_OK)
			return prc;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "replay") == 0)
		return run_replay(argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("cdrsentry %s\n", CS_VERSION);
		return CS_EXIT_OK;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		cs_cli_usage(stdout);
		return CS_EXIT_OK;
	}
	cs_cli_usage(stderr);
	return CS_EXIT_USAGE;
}
