/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cs_cli_usage(FILE *out)
{
	fputs("usage: cdrsentry replay [options] CAPTURE...\n"
	      "\n"
	      "Runs the pipeline over pcap or pcapng captures, in the order given, with\n"
	      "no hugepages and no NIC, using capture timestamps as event time. Writes\n"
	      "DIR/cdr.jsonl (session, call and SMS records), DIR/anomalies.jsonl and\n"
	      "DIR/stats.json, and prints a summary record of the run.\n"
	      "\n"
	      "  --config FILE         YAML configuration (see config/cdrsentry.yaml); the\n"
	      "                        options below override it\n"
	      "  --out DIR             where the records and stats go (default cdrsentry-out)\n"
	      "  --workers N           worker lcores (1..16, default 1)\n"
	      "  --brokers LIST        Kafka bootstrap servers, host:port[,...]: records go to\n"
	      "                        cdrsentry.session/.call/.sms, the summary to --topic\n"
	      "  --topic NAME          topic for the run summary (default cdrsentry.summary)\n"
	      "  --probe-id ID         probe name in every record (default: host name)\n"
	      "  --kafka-timeout-ms N  fail if Kafka has not stored a record after N ms\n"
	      "                        (1..3600000, default 30000)\n"
	      "  --mem-mb N            DPDK memory without hugepages, MB (64..65536, default 512)\n"
	      "  --dump-imsi LIST      write these subscribers' final behaviour state\n"
	      "                        (IMSIs, comma-separated) to DIR/subscribers.jsonl\n"
	      "  --state DIR           long memory: restore from and checkpoint into this\n"
	      "                        state directory (LMDB), so runs can follow each other\n"
	      "  --version, --help\n"
	      "\n"
	      "exit status: 0 done, 1 pipeline failure, 2 bad usage or unreadable capture,\n"
	      "3 a record lost (not delivered to Kafka nor kept in its spool) or not written\n",
	      out);
}

static int parse_uint(const char *opt, const char *arg, long min, long max, long *out, char *err,
		      size_t errlen)
{
	char *end;

	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		snprintf(err, errlen, "%s: '%s' is not a whole number from %ld to %ld", opt, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

enum { OPT_BROKERS = 256, OPT_TOPIC, OPT_PROBE_ID, OPT_KAFKA_TIMEOUT, OPT_OUT, OPT_WORKERS, OPT_MEM_MB, OPT_CONFIG,
       OPT_DUMP_IMSI, OPT_STATE, OPT_HELP };

int cs_cli_parse_replay(int argc, char **argv, struct cs_replay_opts *opts, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "brokers", required_argument, NULL, OPT_BROKERS },
		{ "topic", required_argument, NULL, OPT_TOPIC },
		{ "probe-id", required_argument, NULL, OPT_PROBE_ID },
		{ "kafka-timeout-ms", required_argument, NULL, OPT_KAFKA_TIMEOUT },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "dump-imsi", required_argument, NULL, OPT_DUMP_IMSI },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "mem-mb", required_argument, NULL, OPT_MEM_MB },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	long v;

	*opts = (struct cs_replay_opts){ 0 };
	optind = 0; /* reset getopt: parsing may run more than once per process */
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, "+:", longopts, NULL);

		if (c == -1)
			break;
		switch (c) {
		case OPT_BROKERS: opts->brokers = optarg; break;
		case OPT_TOPIC: opts->topic = optarg; break;
		case OPT_PROBE_ID: opts->probe_id = optarg; break;
		case OPT_CONFIG: opts->config = optarg; break;
		case OPT_DUMP_IMSI: opts->dump_imsi = optarg; break;
		case OPT_STATE: opts->state_dir = optarg; break;
		case OPT_OUT: opts->out_dir = optarg; break;
		case OPT_WORKERS:
			if (parse_uint("--workers", optarg, 1, CS_MAX_REPLAY_WORKERS, &v, err, errlen))
				return -1;
			opts->workers = (unsigned int)v;
			break;
		case OPT_KAFKA_TIMEOUT:
			if (parse_uint("--kafka-timeout-ms", optarg, 1, 3600000, &v, err, errlen))
				return -1;
			opts->kafka_timeout_ms = (int)v;
			break;
		case OPT_MEM_MB:
			if (parse_uint("--mem-mb", optarg, 64, 65536, &v, err, errlen))
				return -1;
			opts->mem_mb = (unsigned int)v;
			break;
		case OPT_HELP:
			cs_cli_usage(stdout);
			return 1;
		case ':':
			snprintf(err, errlen, "%s needs a value", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind == argc) {
		snprintf(err, errlen, "no CAPTURE given");
		return -1;
	}
	if (argc - optind > CS_MAX_CAPTURES) {
		snprintf(err, errlen, "at most %d captures per run, got %d", CS_MAX_CAPTURES, argc - optind);
		return -1;
	}
	for (int i = optind; i < argc; i++) {
		/* DPDK's vdev arguments are comma-separated key=value pairs. */
		if (strpbrk(argv[i], ",=") != NULL) {
			snprintf(err, errlen, "%s: a capture path cannot contain ',' or '=' (DPDK vdev syntax)", argv[i]);
			return -1;
		}
		opts->captures[opts->ncaptures++] = argv[i];
	}
	if ((opts->topic != NULL && opts->topic[0] == '\0') || (opts->out_dir != NULL && opts->out_dir[0] == '\0')) {
		snprintf(err, errlen, "%s cannot be empty", opts->topic != NULL && opts->topic[0] == '\0' ? "--topic" : "--out");
		return -1;
	}
	return 0;
}
