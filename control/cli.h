/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses, shared by every command (documented in the README). */
enum cs_exit {
	CS_EXIT_OK = 0,
	CS_EXIT_RUNTIME = 1,  /* the pipeline could not start or run */
	CS_EXIT_USAGE = 2,    /* bad command line or unreadable input */
	CS_EXIT_DELIVERY = 3, /* a record was not accepted by a sink (Kafka, files) */
};

enum { CS_MAX_CAPTURES = 32, CS_MAX_REPLAY_WORKERS = 16 };

/* What the command line said; NULL or 0 where it said nothing (the configuration decides). */
struct cs_replay_opts {
	const char *captures[CS_MAX_CAPTURES];
	unsigned int ncaptures;
	const char *config;
	const char *out_dir;
	const char *brokers;
	const char *topic;    /* of the run summary */
	const char *probe_id;
	unsigned int workers;
	unsigned int mem_mb;
	int kafka_timeout_ms;
	const char *dump_imsi; /* comma-separated IMSIs whose final state goes to DIR/subscribers.jsonl */
	const char *state_dir; /* long memory directory; the config's state.dir otherwise */
};

/*
 * Parses `replay` arguments (argv[0] is "replay"). Returns 0, 1 when
 * --help was asked (usage already printed), or -1 with a message in err
 * that names the option and what it accepts.
 */
int cs_cli_parse_replay(int argc, char **argv, struct cs_replay_opts *opts, char *err, size_t errlen);

void cs_cli_usage(FILE *out);

#endif
