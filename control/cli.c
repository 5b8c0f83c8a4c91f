/* SPDX-License-Identifier: Apache-2.0 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cs_cli_usage(FILE *out)
{
	fputs("usage: cdrsentry replay [options] CAPTURE\n"
	      "\n"
	      "Runs the pipeline over a pcap capture (no hugepages, no NIC) and\n"
	      "publishes a summary record of what it saw.\n"
	      "\n"
	      "  --brokers LIST        Kafka bootstrap servers, host:port[,...];\n"
	      "                        without it the record is only printed\n"
	      "  --topic NAME          topic for the summary (default cdrsentry.summary)\n"
	      "  --probe-id ID         probe name in every record (default: host name)\n"
	      "  --kafka-timeout-ms N  fail if Kafka has not stored the record after N ms\n"
	      "                        (1..3600000, default 30000)\n"
	      "  --lcores LIST         EAL lcore list: RX, then worker (default 0,1)\n"
	      "  --mem-mb N            DPDK memory without hugepages, MB (64..65536, default 256)\n"
	      "  --version, --help\n"
	      "\n"
	      "exit status: 0 done, 1 pipeline failure, 2 bad usage or unreadable capture,\n"
	      "3 record not delivered to Kafka\n",
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

enum { OPT_BROKERS = 256, OPT_TOPIC, OPT_PROBE_ID, OPT_KAFKA_TIMEOUT, OPT_LCORES, OPT_MEM_MB, OPT_HELP };

int cs_cli_parse_replay(int argc, char **argv, struct cs_replay_opts *opts, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "brokers", required_argument, NULL, OPT_BROKERS },
		{ "topic", required_argument, NULL, OPT_TOPIC },
		{ "probe-id", required_argument, NULL, OPT_PROBE_ID },
		{ "kafka-timeout-ms", required_argument, NULL, OPT_KAFKA_TIMEOUT },
		{ "lcores", required_argument, NULL, OPT_LCORES },
		{ "mem-mb", required_argument, NULL, OPT_MEM_MB },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	long v;

	*opts = (struct cs_replay_opts){
		.topic = "cdrsentry.summary",
		.lcores = "0,1",
		.mem_mb = 256,
		.kafka_timeout_ms = 30000,
	};
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
		case OPT_LCORES: opts->lcores = optarg; break;
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
	if (optind != argc - 1) {
		snprintf(err, errlen, optind == argc ? "no CAPTURE given" : "one CAPTURE expected, got %d",
			 argc - optind);
		return -1;
	}
	opts->capture = argv[optind];
	/* DPDK's vdev arguments are comma-separated key=value pairs. */
	if (strpbrk(opts->capture, ",=") != NULL) {
		snprintf(err, errlen, "%s: a capture path cannot contain ',' or '=' (DPDK vdev syntax)",
			 opts->capture);
		return -1;
	}
	if (opts->topic[0] == '\0') {
		snprintf(err, errlen, "--topic: a topic name cannot be empty");
		return -1;
	}
	return 0;
}
