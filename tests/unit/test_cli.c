/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>

#include "cli.h"

static int parse(struct cs_replay_opts *o, char *err, size_t errlen, int argc, char **argv)
{
	return cs_cli_parse_replay(argc, argv, o, err, errlen);
}

#define ARGV(...) ((char *[]){ "replay", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "replay", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, err, ...) parse(o, err, sizeof(err), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

Test(cli, defaults)
{
	struct cs_replay_opts o;
	char err[200];

	cr_assert_eq(PARSE(&o, err, "trace.pcap"), 0, "%s", err);
	cr_expect_eq(o.ncaptures, 1);
	cr_expect_str_eq(o.captures[0], "trace.pcap");
	/* nothing said: the configuration (or its defaults) decides */
	cr_expect_null(o.config);
	cr_expect_null(o.brokers);
	cr_expect_null(o.probe_id);
	cr_expect_null(o.topic);
	cr_expect_null(o.out_dir);
	cr_expect_eq(o.workers, 0);
	cr_expect_eq(o.mem_mb, 0);
	cr_expect_eq(o.kafka_timeout_ms, 0);
	cr_expect_null(o.dump_imsi);
}

Test(cli, every_option)
{
	struct cs_replay_opts o;
	char err[200];

	cr_assert_eq(PARSE(&o, err, "--brokers", "h:1,h:2", "--topic", "t", "--probe-id", "p7", "--kafka-timeout-ms",
			   "1500", "--workers", "3", "--out", "/tmp/o", "--mem-mb", "128", "--config", "c.yaml", "--dump-imsi",
			   "001010000000001,001010000000002", "x.pcap",
			   "y.pcapng"),
		     0, "%s", err);
	cr_expect_str_eq(o.brokers, "h:1,h:2");
	cr_expect_str_eq(o.topic, "t");
	cr_expect_str_eq(o.probe_id, "p7");
	cr_expect_eq(o.kafka_timeout_ms, 1500);
	cr_expect_eq(o.workers, 3);
	cr_expect_str_eq(o.config, "c.yaml");
	cr_expect_str_eq(o.out_dir, "/tmp/o");
	cr_expect_eq(o.mem_mb, 128);
	cr_expect_str_eq(o.dump_imsi, "001010000000001,001010000000002");
	cr_expect_eq(o.ncaptures, 2, "captures are replayed in the order given");
	cr_expect_str_eq(o.captures[0], "x.pcap");
	cr_expect_str_eq(o.captures[1], "y.pcapng");
}

struct bad_case {
	int argc;
	char **argv;
	const char *says;
};

Test(cli, errors_name_the_option_and_what_it_accepts)
{
	const struct bad_case cases[] = {
		{ ARGC("--mem-mb", "lots", "x.pcap"), ARGV("--mem-mb", "lots", "x.pcap"), "--mem-mb: 'lots' is not a whole number from 64 to 65536" },
		{ ARGC("--mem-mb", "8", "x.pcap"), ARGV("--mem-mb", "8", "x.pcap"), "--mem-mb: '8'" },
		{ ARGC("--kafka-timeout-ms", "0", "x.pcap"), ARGV("--kafka-timeout-ms", "0", "x.pcap"), "--kafka-timeout-ms: '0' is not a whole number from 1 to 3600000" },
		{ ARGC("--kafka-timeout-ms", "5s", "x.pcap"), ARGV("--kafka-timeout-ms", "5s", "x.pcap"), "--kafka-timeout-ms: '5s'" },
		{ ARGC("--brokers"), ARGV("--brokers"), "--brokers needs a value" },
		{ ARGC("--colour", "x.pcap"), ARGV("--colour", "x.pcap"), "unknown option '--colour'" },
		{ ARGC("--topic", "t"), ARGV("--topic", "t"), "no CAPTURE given" },
		{ ARGC("--workers", "17", "a.pcap"), ARGV("--workers", "17", "a.pcap"), "--workers: '17' is not a whole number from 1 to 16" },
		{ ARGC("--out", "", "a.pcap"), ARGV("--out", "", "a.pcap"), "--out cannot be empty" },
		{ ARGC("a,b.pcap"), ARGV("a,b.pcap"), "a,b.pcap: a capture path cannot contain ','" },
		{ ARGC("--topic", "", "x.pcap"), ARGV("--topic", "", "x.pcap"), "--topic cannot be empty" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_replay_opts o;
		char err[200] = "";

		cr_expect_eq(cs_cli_parse_replay(cases[i].argc, cases[i].argv, &o, err, sizeof(err)), -1, "case %zu", i);
		cr_expect(strstr(err, cases[i].says) != NULL, "case %zu: got \"%s\", want \"%s\"", i, err, cases[i].says);
	}
}
