/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The YAML configuration (control/config.c): built-in defaults, the shipped
 * profile, every problem of a faulty file reported with its line and key,
 * syntax and read errors, polite truncation of the report, and printing
 * that loads back to the same struct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "config.h"
#include "run.h"

static char err[8192];

/* Every field of a and b equal, source aside (it names the file each came from). */
static void expect_same(const struct cs_config *a, const struct cs_config *b)
{
	cr_expect_str_eq(a->probe_id, b->probe_id);
	cr_expect_eq(a->nports, b->nports);
	cr_expect_arr_eq(a->ports, b->ports, a->nports * sizeof(a->ports[0]));
	cr_expect_eq(a->rx_queues, b->rx_queues);
	cr_expect_eq(a->n_rx_lcores, b->n_rx_lcores);
	cr_expect_arr_eq(a->rx_lcores, b->rx_lcores, a->n_rx_lcores * sizeof(a->rx_lcores[0]));
	cr_expect_eq(a->n_worker_lcores, b->n_worker_lcores);
	cr_expect_arr_eq(a->worker_lcores, b->worker_lcores, a->n_worker_lcores * sizeof(a->worker_lcores[0]));
	cr_expect_eq(a->workers, b->workers);
	cr_expect_eq(a->gtpc_port, b->gtpc_port);
	cr_expect_eq(a->gtpu_port, b->gtpu_port);
	cr_expect_eq(a->sip_port, b->sip_port);
	cr_expect_str_eq(a->country_code, b->country_code);
	cr_expect_str_eq(a->trunk_prefix, b->trunk_prefix);
	cr_expect_str_eq(a->international_prefix, b->international_prefix);
	cr_expect_eq(a->sessions, b->sessions);
	cr_expect_eq(a->worker_sessions, b->worker_sessions);
	cr_expect_eq(a->sip_calls, b->sip_calls);
	cr_expect_eq(a->gtpc_transactions, b->gtpc_transactions);
	cr_expect_eq(a->mbufs, b->mbufs);
	cr_expect_eq(a->mem_mb, b->mem_mb);
	/* exact: the printed form must read back to the same double */
	cr_expect_eq(a->session_idle_s, b->session_idle_s);
	cr_expect_eq(a->interim_s, b->interim_s);
	cr_expect_eq(a->sip_setup_s, b->sip_setup_s);
	cr_expect_eq(a->sip_max_call_s, b->sip_max_call_s);
	cr_expect_eq(a->gtpc_response_s, b->gtpc_response_s);
	cr_expect_eq(a->fragment_s, b->fragment_s);
	cr_expect_str_eq(a->out_dir, b->out_dir);
	cr_expect_str_eq(a->brokers, b->brokers);
	cr_expect_eq(a->kafka_timeout_ms, b->kafka_timeout_ms);
	cr_expect_str_eq(a->topic_session, b->topic_session);
	cr_expect_str_eq(a->topic_call, b->topic_call);
	cr_expect_str_eq(a->topic_sms, b->topic_sms);
	cr_expect_str_eq(a->topic_summary, b->topic_summary);
	cr_expect_str_eq(a->topic_anomalies, b->topic_anomalies);
	cr_expect_eq(a->rule_memory, b->rule_memory);
	cr_expect_arr_eq(&a->rules, &b->rules, sizeof(a->rules));
	cr_expect_str_eq(a->plan_iot, b->plan_iot);
	cr_expect_str_eq(a->plan_risky, b->plan_risky);
	cr_expect_str_eq(a->plan_shortcodes, b->plan_shortcodes);
	cr_expect_str_eq(a->plan_handset_tacs, b->plan_handset_tacs);
	cr_expect_str_eq(a->plan_gateway_tacs, b->plan_gateway_tacs);
}

/* The report expected for path: each entry "LINE: KEY: message" becomes "PATH:LINE: KEY: message\n". */
static void expect_report(const char *path, const char *const *lines)
{
	static char want[8192];
	size_t n = 0;

	for (; *lines != NULL; lines++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s:%s\n", path, *lines);
	cr_expect_str_eq(err, want);
}

Test(config, defaults)
{
	struct cs_config c;
	char host[256] = "";

	memset(&c, 0xa5, sizeof(c)); /* nothing may be left from before */
	cs_config_defaults(&c);
	cr_assert_eq(gethostname(host, sizeof(host)), 0);
	cr_expect_str_eq(c.source, "");
	cr_expect_eq(strncmp(c.probe_id, host, sizeof(c.probe_id) - 1), 0, "probe_id %s, host %s", c.probe_id, host);
	cr_expect_eq(c.nports, 0);
	cr_expect_eq(c.rx_queues, 1);
	cr_expect_eq(c.n_rx_lcores, 0);
	cr_expect_eq(c.n_worker_lcores, 0);
	cr_expect_eq(c.workers, 1);
	cr_expect_eq(c.gtpc_port, 2123);
	cr_expect_eq(c.gtpu_port, 2152);
	cr_expect_eq(c.sip_port, 5060);
	cr_expect_str_eq(c.country_code, "");
	cr_expect_str_eq(c.trunk_prefix, "0");
	cr_expect_str_eq(c.international_prefix, "00");
	cr_expect_eq(c.sessions, 65536);
	cr_expect_eq(c.worker_sessions, 65536);
	cr_expect_eq(c.sip_calls, 65536);
	cr_expect_eq(c.gtpc_transactions, 65536);
	cr_expect_eq(c.mbufs, 16383);
	cr_expect_eq(c.mem_mb, 512);
	cr_expect_eq(c.session_idle_s, 7200);
	cr_expect_eq(c.interim_s, 3600);
	cr_expect_eq(c.sip_setup_s, 180);
	cr_expect_eq(c.sip_max_call_s, 14400);
	cr_expect_eq(c.gtpc_response_s, 10);
	cr_expect_eq(c.fragment_s, 2);
	cr_expect_str_eq(c.out_dir, "");
	cr_expect_str_eq(c.brokers, "");
	cr_expect_eq(c.kafka_timeout_ms, 30000);
	cr_expect_str_eq(c.topic_session, "cdrsentry.session");
	cr_expect_str_eq(c.topic_call, "cdrsentry.call");
	cr_expect_str_eq(c.topic_sms, "cdrsentry.sms");
	cr_expect_str_eq(c.topic_summary, "cdrsentry.summary");
	cr_expect_str_eq(c.topic_anomalies, "cdrsentry.anomalies");
	cr_expect_eq(c.rules.fanout.mo_calls, 30);
	cr_expect_eq(c.rule_memory, 65536);
	cr_expect_str_eq(c.plan_iot, "", "no number plans unless a file names them");
}

Test(config, shipped_profile_loads_and_lands_in_the_struct)
{
	const char *path = CS_SOURCE_PATH("config/cdrsentry.yaml");
	struct cs_config c;

	cr_assert_eq(cs_config_load(path, &c, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(err, "");
	cr_expect_str_eq(c.source, path);
	cr_expect_str_eq(c.probe_id, "probe-1");
	cr_expect_eq(c.nports, 2);
	cr_expect_eq(c.ports[0], 0);
	cr_expect_eq(c.ports[1], 1);
	cr_expect_eq(c.rx_queues, 2);
	cr_expect_eq(c.n_rx_lcores, 1);
	cr_expect_eq(c.rx_lcores[0], 1);
	cr_expect_eq(c.n_worker_lcores, 2);
	cr_expect_eq(c.worker_lcores[0], 2);
	cr_expect_eq(c.worker_lcores[1], 3);
	cr_expect_str_eq(c.country_code, "86");
	cr_expect_eq(c.sessions, 1000000);
	cr_expect_eq(c.worker_sessions, 1000000);
	cr_expect_str_eq(c.out_dir, "/var/lib/cdrsentry");
	cr_expect_str_eq(c.brokers, "127.0.0.1:9092");
	cr_expect_str_eq(c.topic_anomalies, "cdrsentry.anomalies");
	cr_expect_eq(c.rules.fanout.mo_calls, 30);
	cr_expect_eq(c.rules.rule[CS_RULE_SIMBOX_FANOUT].severity, CS_SEV_HIGH);
	cr_expect_eq(c.rules.rule[CS_RULE_SIMBOX_FANOUT].enabled, 1);
	cr_expect_eq(c.rules.sleeper.silent_days, 30);
	/* plan paths are kept absolute, from the configuration's own directory */
	cr_expect_str_eq(c.plan_iot, CS_SOURCE_PATH("config/plans/iot.txt"));
	cr_expect_str_eq(c.plan_gateway_tacs, CS_SOURCE_PATH("config/plans/module_tacs.txt"));
}

static int load_string(const char *yaml, char *path, struct cs_config *c);

/* A rule switched off and retuned: the values land where the workers read them. */
Test(config, rules_load_as_written)
{
	const char *yaml = "rules:\n  sms.flood:\n    enabled: false\n    severity: critical\n    weight: 7\n"
			   "    cooldown_s: 60\n    mo_sms: 5\n  scoring:\n    risky_range: 0\n"
			   "  shortcode_max_digits: 4\n";
	char path[32];
	struct cs_config c;

	cr_assert_eq(load_string(yaml, path, &c), 0, "%s", err);
	const struct cs_rule_common *flood = &c.rules.rule[CS_RULE_SMS_FLOOD];
	cr_expect_eq(flood->enabled, 0);
	cr_expect_eq(flood->severity, CS_SEV_CRITICAL);
	cr_expect_eq(flood->weight, 7);
	cr_expect_eq(flood->cooldown_s, 60);
	cr_expect_eq(c.rules.flood.mo_sms, 5);
	cr_expect_eq(c.rules.flood.recipients, 80, "a key left out keeps its default");
	cr_expect_eq(c.rules.risky_range_weight, 0);
	cr_expect_eq(c.rules.shortcode_max_digits, 4);
	cr_expect_eq(c.rules.rule[CS_RULE_SIMBOX_FANOUT].enabled, 1);
}

Test(config, every_mistake_reported_with_line_and_key)
{
	const char *path = CS_SOURCE_PATH("tests/data/config/mistakes.yaml");
	struct cs_config c;

	cr_expect_eq(cs_config_load(path, &c, err, sizeof(err)), 19);
	/* file order, then the checks across keys (lcore roles, protocol ports) */
	expect_report(path, (const char *const[]){
		"2: probe_id: 'probe 1' is not a probe id (1 to 63 characters of A-Z a-z 0-9 . _ -)",
		"4: input.ports: port 1 is listed twice (first on line 4; port ids 0 to 31, each once)",
		"5: input.rx_queues: '2' is quoted text, not a number (1 to 128, written without quotes)",
		"6: lcores.workers: lcore 128 is out of range (lcore ids 0 to 127, each once)",
		"8: replay.workers: 0 is out of range (1 to 16)",
		"9: replay.workers: given twice (first on line 8; each key once)",
		"11: protocols.gtpc_port: 70000 is out of range (1 to 65535)",
		"14: numbers.country_code: '086' is not a country code (1 to 3 digits not starting with 0, or \"\" "
		"when unknown)",
		"15: numbers.trunk_prefix: '0x' is not a trunk prefix (0 to 3 digits, \"\" for none)",
		"17: capacity.sesions: unknown key (did you mean sessions?)",
		"18: capacity.gtpc_transactions: 1000 is not a power of two (a power of two from 1 to 67108864)",
		"19: capacity.mbufs: 'lots' is not a whole number (1 to 67108864)",
		"21: timeouts.fragment_s: 0 is out of range (0.001 to 60 seconds)",
		"22: timeouts.session_idle_s: a list where a number of seconds goes (0.001 to 2592000 seconds)",
		"23: timeouts.sip_setup_s: has no value (0.001 to 3600 seconds)",
		"24: export: a list where a map goes (keys: out_dir, kafka)",
		"25: colour: unknown key (keys: probe_id, input, lcores, replay, protocols, numbers, capacity, "
		"timeouts, export, windows, state, rules, number_plans)",
		"6: lcores.workers: lcore 2 is also in lcores.rx (one role per lcore)",
		"12: protocols.gtpu_port: 5060 is also protocols.sip_port (one port per protocol)",
		NULL,
	});
	/* good values next to bad ones land; bad ones keep their default */
	cr_expect_eq(c.nports, 2);
	cr_expect_eq(c.n_worker_lcores, 1);
	cr_expect_eq(c.gtpu_port, 5060);
	cr_expect_eq(c.workers, 1);
	cr_expect_eq(c.mbufs, 16383);
	cr_expect_eq(c.gtpc_transactions, 65536);
}

Test(config, long_report_cut_at_a_line_with_a_count)
{
	const char *path = CS_SOURCE_PATH("tests/data/config/mistakes.yaml");
	struct cs_config c;
	char full[8192], small[400];

	cr_assert_eq(cs_config_load(path, &c, full, sizeof(full)), 19);
	cr_assert_eq(cs_config_load(path, &c, small, sizeof(small)), 19, "the count does not depend on the room");
	size_t len = strlen(small);
	cr_assert_lt(len, sizeof(small));
	const char *tail = strstr(small, "... and ");
	cr_assert_not_null(tail, "%s", small);
	/* whole lines of the full report, in order, then the count of the rest */
	size_t kept = (size_t)(tail - small);
	cr_assert_gt(kept, 0);
	cr_expect_eq(memcmp(small, full, kept), 0);
	cr_expect_eq(small[kept - 1], '\n');
	unsigned int shown = 0;
	for (size_t i = 0; i < kept; i++)
		shown += small[i] == '\n';
	char want[64];
	snprintf(want, sizeof(want), "... and %u more problems not shown\n", 19 - shown);
	cr_expect_str_eq(tail, want);

	/* no room at all: the problems are still counted */
	cr_expect_eq(cs_config_load(path, &c, NULL, 0), 19);
}

Test(config, syntax_error_names_the_line)
{
	const char *path = CS_SOURCE_PATH("tests/data/config/syntax.yaml");
	struct cs_config c;

	cr_expect_eq(cs_config_load(path, &c, err, sizeof(err)), 1);
	expect_report(path, (const char *const[]){ "4: syntax: mapping values are not allowed in this context", NULL });
}

Test(config, top_level_list_and_second_document)
{
	const char *list = CS_SOURCE_PATH("tests/data/config/not-a-map.yaml");
	const char *two = CS_SOURCE_PATH("tests/data/config/two-documents.yaml");
	struct cs_config c;

	cr_expect_eq(cs_config_load(list, &c, err, sizeof(err)), 1);
	expect_report(list, (const char *const[]){
		"2: (top level): a list where a map goes (keys: probe_id, input, lcores, replay, protocols, numbers, "
		"capacity, timeouts, export, windows, state, rules, number_plans)",
		NULL,
	});
	cr_expect_eq(cs_config_load(two, &c, err, sizeof(err)), 1);
	expect_report(two, (const char *const[]){ "3: syntax: a second YAML document (one document per file)", NULL });
	cr_expect_str_eq(c.probe_id, "first");
}

Test(config, unreadable_file_is_one_problem_naming_it)
{
	const char *missing = CS_SOURCE_PATH("tests/data/config/no-such-file.yaml");
	const char *dir = CS_SOURCE_PATH("tests/data/config");
	char want[4200];
	struct cs_config c, d;

	cr_expect_eq(cs_config_load(missing, &c, err, sizeof(err)), 1);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory\n", missing);
	cr_expect_str_eq(err, want);
	cs_config_defaults(&d);
	expect_same(&c, &d);

	cr_expect_eq(cs_config_load(dir, &c, err, sizeof(err)), 1);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory\n", dir);
	cr_expect_str_eq(err, want);
}

Test(config, comments_only_is_all_defaults)
{
	struct cs_config c, d;

	cr_expect_eq(cs_config_load(CS_SOURCE_PATH("tests/data/config/empty.yaml"), &c, err, sizeof(err)), 0, "%s", err);
	cs_config_defaults(&d);
	expect_same(&c, &d);
}

Test(config, edge_values_load_as_written)
{
	struct cs_config c;

	cr_assert_eq(cs_config_load(CS_SOURCE_PATH("tests/data/config/edge-values.yaml"), &c, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(c.nports, 3);
	cr_expect_eq(c.ports[2], 31);
	cr_expect_eq(c.rx_lcores[1], 127);
	cr_expect_eq(c.workers, 16);
	cr_expect_eq(c.gtpu_port, 65535);
	cr_expect_str_eq(c.country_code, "1");
	cr_expect_str_eq(c.trunk_prefix, "");
	cr_expect_str_eq(c.international_prefix, "011");
	cr_expect_eq(c.worker_sessions, 1u << 26);
	cr_expect_eq(c.gtpc_transactions, 1);
	cr_expect_eq(c.session_idle_s, 0.001);
	cr_expect_eq(c.gtpc_response_s, 100);
	cr_expect_eq(c.fragment_s, 59.999999999999);
	cr_expect_str_eq(c.out_dir, "/tmp/a \"quoted\" dir\\with\ttab/\xc3\xa9");
	cr_expect_str_eq(c.brokers, "[::1]:9092,kafka-2.example:19092");
	cr_expect_eq(c.kafka_timeout_ms, 1);
	cr_expect_str_eq(c.topic_summary, "12");
}

/* Loads yaml from a temporary file; path gets its name (at least 32 bytes). */
static int load_string(const char *yaml, char *path, struct cs_config *c)
{
	snprintf(path, 32, "/tmp/cs-config.XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	int problems = cs_config_load(path, c, err, sizeof(err));
	unlink(path);
	return problems;
}

Test(config, one_snippet_one_message)
{
	static const struct {
		const char *yaml, *want; /* want: the report without "PATH:" before each line */
	} cases[] = {
		{ "capacity: { sessions: 99999999999999999999 }\n",
		  "1: capacity.sessions: 99999999999999999999 is out of range (1 to 67108864)\n" },
		{ "capacity: { sessions: 0x10 }\n", "1: capacity.sessions: '0x10' is not a whole number (1 to 67108864)\n" },
		{ "replay: { mem_mb: -5 }\n", "1: replay.mem_mb: -5 is out of range (64 to 65536)\n" },
		{ "timeouts: { interim_s: .inf }\n",
		  "1: timeouts.interim_s: '.inf' is not a number of seconds (0.001 to 86400 seconds)\n" },
		{ "numbers: { international_prefix: 001122 }\n",
		  "1: numbers.international_prefix: '001122' is not an international prefix (0 to 5 digits, \"\" for "
		  "none)\n" },
		{ "export: { kafka: { brokers: localhost } }\n",
		  "1: export.kafka.brokers: 'localhost' is not a broker list (host:port[,host:port...], at most 255 "
		  "bytes, \"\" for no Kafka)\n" },
		{ "export:\n  kafka:\n    topics: { call: \"a b\" }\n",
		  "3: export.kafka.topics.call: 'a b' is not a Kafka topic name (1 to 127 characters of A-Z a-z 0-9 . _ "
		  "-)\n" },
		{ "input:\n  ports:\n    - 0\n    - x\n    - [1]\n",
		  "4: input.ports: 'x' is not an id (port ids 0 to 31, each once)\n"
		  "5: input.ports: a list is not an id (port ids 0 to 31, each once)\n" },
		{ "lcores: { rx: 1 }\n", "1: lcores.rx: '1' where a list goes (lcore ids 0 to 127, each once)\n" },
		{ "protocols: { gtpc_port: 2152 }\n",
		  "1: protocols.gtpc_port: 2152 is also protocols.gtpu_port (one port per protocol)\n" },
		{ "probe_id: \"a\\0b\"\n",
		  "1: probe_id: contains a NUL character (1 to 63 characters of A-Z a-z 0-9 . _ -)\n" },
		{ "probe_id: ''\n", "1: probe_id: has no value (1 to 63 characters of A-Z a-z 0-9 . _ -)\n" },
		{ "timeout: {}\n", "1: timeout: unknown key (did you mean timeouts?)\n" },
		{ "\n? [a]\n: 1\n",
		  "2: (top level): a list used as a key (keys: probe_id, input, lcores, replay, protocols, numbers, "
		  "capacity, timeouts, export, windows, state, rules, number_plans)\n" },
		{ "rules:\n  sms.flood:\n    enabled: yes\n",
		  "3: rules.sms.flood.enabled: 'yes' is not true or false (true or false, written without quotes)\n" },
		{ "rules:\n  sms.flood:\n    severity: urgent\n",
		  "3: rules.sms.flood.severity: 'urgent' is not a known name (one of: info, low, medium, high, "
		  "critical)\n" },
		{ "rules:\n  call.sequential:\n    callees: 2\n",
		  "3: rules.call.sequential.callees: 2 is out of range (3 to 1000)\n" },
		{ "rules:\n  sms.flod: {}\n", "2: rules.sms.flod: unknown key (did you mean sms.flood?)\n" },
		{ "number_plans:\n  iot: /nonexistent/iot.txt\n",
		  "2: number_plans.iot: /nonexistent/iot.txt: cannot read: No such file or directory\n" },
		{ "capacity:\n  sessions: 1\n  sip_calls: [\n", "4: syntax: did not find expected node content (while "
		  "parsing a flow node started on line 4)\n" },
		{ "state:\n  checkpoint_queue: 1000\n",
		  "2: state.checkpoint_queue: 1000 is not a power of two (a power of two from 2 to 16777216)\n" },
		{ "state:\n  checkpoint_interval_s: 0\n",
		  "2: state.checkpoint_interval_s: 0 is out of range (0.001 to 86400 seconds)\n" },
		{ "state:\n  dir: /var/lib/cdrsentry\n  map_mb: 8\n", "3: state.map_mb: 8 is out of range (16 to 16777216)\n" },
		/* sections with every key commented out, and "none" values */
		{ "input:\nlcores:\n  rx: ~\nexport:\n  out_dir:\n  kafka: { brokers: \"\" }\n", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[32], want[2048] = "";
		struct cs_config c;
		size_t n = 0;
		int lines = 0;

		int problems = load_string(cases[i].yaml, path, &c);
		for (const char *l = cases[i].want; *l != '\0'; l = strchr(l, '\n') + 1, lines++)
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%s:%.*s", path,
					      (int)(strchr(l, '\n') + 1 - l), l);
		cr_expect_eq(problems, lines, "case %zu:\n%s", i, cases[i].yaml);
		cr_expect_str_eq(err, want, "case %zu:\n%s", i, cases[i].yaml);
	}
}

/* Prints a, loads the printout into b; returns what was printed. */
static char *print_and_reload(const struct cs_config *a, struct cs_config *b)
{
	char path[] = "/tmp/cs-config.XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	cr_assert_not_null(f);
	cs_config_print(a, f);
	cr_assert_eq(fclose(f), 0);
	char *text = cs_read_file(path, NULL);
	cr_assert_not_null(text);
	int problems = cs_config_load(path, b, err, sizeof(err));
	unlink(path);
	cr_assert_eq(problems, 0, "%s\nin:\n%s", err, text);
	return text;
}

static void expect_round_trip(const char *rel)
{
	const char *path = CS_SOURCE_PATH(rel);
	struct cs_config a, b;

	cr_assert_eq(cs_config_load(path, &a, err, sizeof(err)), 0, "%s", err);
	free(print_and_reload(&a, &b));
	expect_same(&a, &b);
}

Test(config, print_loads_back_to_the_same_struct)
{
	struct cs_config a, b;

	cs_config_defaults(&a);
	char *text = print_and_reload(&a, &b);
	expect_same(&a, &b);
	cr_expect(strstr(text, "# cdrsentry configuration in force, from the built-in defaults\n") == text, "%s", text);
	cr_expect_not_null(strstr(text, "\n    topics:\n      session: \"cdrsentry.session\"\n"), "%s", text);
	free(text);
	expect_round_trip("config/cdrsentry.yaml");
	/* range edges, fractions that need 14 digits, quotes, backslash, tab and UTF-8 in text */
	expect_round_trip("tests/data/config/edge-values.yaml");
}

/* export.kafka's delivery keys (docs/kafka-delivery.md): defaults, a full profile, and printing that loads back. */
static void expect_same_delivery(const struct cs_config *a, const struct cs_config *b)
{
	cr_expect_str_eq(a->kafka_compression, b->kafka_compression);
	cr_expect_eq(a->kafka_memory_queue, b->kafka_memory_queue);
	cr_expect_str_eq(a->spool_dir, b->spool_dir);
	cr_expect_eq(a->spool_max_mb, b->spool_max_mb);
	cr_expect_eq(a->spool_segment_mb, b->spool_segment_mb);
	cr_expect_str_eq(a->spool_fsync, b->spool_fsync);
	cr_expect_eq(a->spool_fsync_interval_ms, b->spool_fsync_interval_ms);
	cr_assert_eq(a->kafka_nprops, b->kafka_nprops);
	for (unsigned int i = 0; i < a->kafka_nprops; i++) {
		cr_expect_str_eq(a->kafka_props[i].name, b->kafka_props[i].name);
		cr_expect_str_eq(a->kafka_props[i].value, b->kafka_props[i].value);
	}
}

Test(config, kafka_delivery_keys_load_and_print_back)
{
	struct cs_config a, b;
	char path[32];

	cs_config_defaults(&a);
	cr_expect_str_eq(a.kafka_compression, "lz4");
	cr_expect_eq(a.kafka_memory_queue, 100000);
	cr_expect_str_eq(a.spool_dir, "");
	cr_expect_eq(a.spool_max_mb, 1024);
	cr_expect_eq(a.spool_segment_mb, 64);
	cr_expect_str_eq(a.spool_fsync, "interval");
	cr_expect_eq(a.spool_fsync_interval_ms, 1000);
	cr_expect_eq(a.kafka_nprops, 0);
	char *text = print_and_reload(&a, &b);
	cr_expect_not_null(strstr(text, "\n    properties: {}\n"), "%s", text);
	expect_same_delivery(&a, &b);
	free(text);

	cr_assert_eq(load_string("export:\n"
				 "  kafka:\n"
				 "    compression: zstd\n"
				 "    memory_queue: 5000\n"
				 "    spool:\n"
				 "      dir: /var/spool/cdrsentry\n"
				 "      max_mb: 2048\n"
				 "      segment_mb: 16\n"
				 "      fsync: always\n"
				 "      fsync_interval_ms: 250\n"
				 "    properties:\n"
				 "      security.protocol: SASL_SSL\n"
				 "      sasl.mechanism: SCRAM-SHA-512\n"
				 "      sasl.username: probe\n"
				 "      sasl.password: \"p\\\"w: \\\\x\"\n"
				 "      linger.ms: 20\n",
				 path, &a),
		     0, "%s", err);
	cr_expect_str_eq(a.kafka_compression, "zstd");
	cr_expect_eq(a.kafka_memory_queue, 5000);
	cr_expect_str_eq(a.spool_dir, "/var/spool/cdrsentry");
	cr_expect_eq(a.spool_max_mb, 2048);
	cr_expect_eq(a.spool_segment_mb, 16);
	cr_expect_str_eq(a.spool_fsync, "always");
	cr_expect_eq(a.spool_fsync_interval_ms, 250);
	cr_assert_eq(a.kafka_nprops, 5);
	cr_expect_str_eq(a.kafka_props[0].name, "security.protocol");
	cr_expect_str_eq(a.kafka_props[0].value, "SASL_SSL");
	cr_expect_str_eq(a.kafka_props[3].value, "p\"w: \\x");
	cr_expect_str_eq(a.kafka_props[4].name, "linger.ms");
	cr_expect_str_eq(a.kafka_props[4].value, "20");
	text = print_and_reload(&a, &b);
	cr_expect_not_null(strstr(text, "\n    properties:\n      \"security.protocol\": \"SASL_SSL\"\n"), "%s", text);
	expect_same_delivery(&a, &b);
	free(text);
}

Test(config, kafka_delivery_mistakes_name_line_and_key)
{
	struct cs_config c;
	char path[32], want[4096];

	int problems = load_string("export:\n"
				   "  kafka:\n"
				   "    compression: brotli\n"
				   "    memory_queue: 0\n"
				   "    spool:\n"
				   "      max_mb: 8\n"
				   "      segment_mb: 16\n"
				   "      fsync: sometimes\n"
				   "    properties:\n"
				   "      acks: \"1\"\n"
				   "      no.such.property: x\n"
				   "      linger.ms: soon\n"
				   "      sasl.password:\n"
				   "      linger.ms: 5\n",
				   path, &c);
	snprintf(want, sizeof(want),
		 "%s:3: export.kafka.compression: 'brotli' is not a compression codec (none, gzip, snappy, lz4 or zstd)\n"
		 "%s:4: export.kafka.memory_queue: 0 is out of range (1 to 2147483647)\n"
		 "%s:8: export.kafka.spool.fsync: 'sometimes' is not an fsync policy (always, interval or never)\n"
		 "%s:10: export.kafka.properties.acks: set by cdrsentry (acks=all) (properties pass through what "
		 "cdrsentry does not set)\n"
		 "%s:11: export.kafka.properties.no.such.property: librdkafka refuses it: No such configuration "
		 "property: \"no.such.property\"\n"
		 "%s:12: export.kafka.properties.linger.ms: librdkafka refuses it: Invalid value for configuration "
		 "property \"queue.buffering.max.ms\"\n"
		 "%s:13: export.kafka.properties.sasl.password: has no value (name: value pairs of librdkafka "
		 "properties, at most 32)\n"
		 "%s:14: export.kafka.properties.linger.ms: given twice (first on line 12; each key once)\n"
		 "%s:7: export.kafka.spool.segment_mb: 16 is larger than export.kafka.spool.max_mb (8; a segment fits "
		 "under the cap)\n",
		 path, path, path, path, path, path, path, path, path);
	cr_expect_eq(problems, 9, "%s", err);
	cr_expect_str_eq(err, want);
}
