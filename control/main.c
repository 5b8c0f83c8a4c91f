/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry: command dispatch. `replay` runs the pipeline over a capture
 * and publishes a summary record; the live mode and the rest of the
 * control plane grow here as the product does.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "capture_file.h"
#include "cli.h"
#include "cs_build_config.h"
#include "eal_args.h"
#include "pipeline.h"
#include "record_summary.h"
#include "sink_kafka.h"

enum { CS_RECORD_MAX = 4096 };

static int usage_error(const char *msg)
{
	fprintf(stderr, "cdrsentry: %s\n(run 'cdrsentry replay --help' for usage)\n", msg);
	return CS_EXIT_USAGE;
}

static int publish(const struct cs_replay_opts *opts, const char *key, const char *record, size_t len)
{
	char err[512];
	struct cs_kafka_sink *sink = cs_kafka_sink_open(opts->brokers, opts->kafka_timeout_ms, err, sizeof(err));

	if (sink == NULL) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return CS_EXIT_DELIVERY;
	}
	const struct cs_kafka_record rec = {
		.topic = opts->topic,
		.key = key,
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
	fprintf(stderr, "cdrsentry: summary published to %s on %s\n", opts->topic, opts->brokers);
	return CS_EXIT_OK;
}

static int run_replay(int argc, char **argv)
{
	struct cs_replay_opts opts;
	struct cs_capture_info capture;
	struct cs_replay_result result;
	struct cs_eal_args eal;
	char err[512], host[256];

	int rc = cs_cli_parse_replay(argc, argv, &opts, err, sizeof(err));
	if (rc != 0)
		return rc > 0 ? CS_EXIT_OK : usage_error(err);
	if (opts.probe_id == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "cdrsentry");
		host[sizeof(host) - 1] = '\0';
		opts.probe_id = host;
	}
	if (cs_capture_scan(opts.capture, &capture, err, sizeof(err)) != 0) {
		fprintf(stderr, "cdrsentry: %s\n", err);
		return CS_EXIT_USAGE;
	}
	if (capture.damaged)
		fprintf(stderr, "cdrsentry: %s: damaged after byte %llu; replaying the %llu records before it\n",
			opts.capture, (unsigned long long)capture.valid_bytes, (unsigned long long)capture.records);
	if (cs_eal_args_replay(&eal, opts.lcores, opts.mem_mb, opts.capture) != 0)
		return usage_error("EAL arguments too long");
	if (rte_eal_init(eal.argc, eal.argv) < 0) {
		fprintf(stderr, "cdrsentry: DPDK EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return CS_EXIT_RUNTIME;
	}
	const struct cs_replay_conf conf = {
		.port_id = 0,
		.expected_records = capture.records,
		.idle_timeout_s = 2.0,
	};
	if (rte_eth_dev_count_avail() != 1 || cs_pipeline_replay(&conf, &result, err, sizeof(err)) != 0) {
		fprintf(stderr, "cdrsentry: replay of %s failed: %s\n", opts.capture,
			rte_eth_dev_count_avail() != 1 ? "net_pcap port did not appear" : err);
		rte_eal_cleanup();
		return CS_EXIT_RUNTIME;
	}
	rte_eal_cleanup();

	char record[CS_RECORD_MAX];
	const struct cs_summary_input in = {
		.probe_id = opts.probe_id,
		.capture_path = opts.capture,
		.capture = &capture,
		.result = &result,
	};
	int len = cs_record_summary(&in, record, sizeof(record));
	if (len < 0) {
		fprintf(stderr, "cdrsentry: summary record does not fit %d bytes\n", CS_RECORD_MAX);
		return CS_EXIT_RUNTIME;
	}
	printf("%s\n", record);
	fflush(stdout);
	if (opts.brokers == NULL)
		return CS_EXIT_OK;
	return publish(&opts, opts.probe_id, record, (size_t)len);
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
