/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The YAML configuration loader.
 *
 * One table, the schema below, says for every key where its value lives in
 * struct cs_config, what type it is and what range it takes. Loading walks
 * libyaml's document tree (yaml_parser_load: every node keeps its line)
 * against that table; printing walks the same table over the struct. So a
 * key cannot be loadable but not printable, and the printed form always
 * loads back to the same struct.
 *
 *   file                               schema row                          struct
 *   capacity:                    ->    { "capacity", K_MAP, capacity_keys }
 *     gtpc_transactions: 65536   ->    { K_WHOLE, 1..1<<26, pow2 }    ->   c->gtpc_transactions
 *
 * Errors are collected, not returned at the first: an engineer editing a
 * profile fixes every line in one go. Each is "FILE:LINE: KEY: what is
 * wrong (what is accepted)", LINE being the 1-based line of the offending
 * value (libyaml marks count from 0).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <rte_config.h>
#include <yaml.h>

#include "cli.h"
#include "number_plan_file.h"
#include "problems.h"
#include "sink_kafka.h"

/* A configuration is a few KiB; a bigger file is a wrong path, not a profile. */
enum { CONFIG_MAX_BYTES = 1 << 20, PATH_LEN = 96 };

#define CAPACITY_MAX (1u << 26)

enum kind {
	K_MAP,     /* the keys of children */
	K_WHOLE,   /* a whole number in [min, max], stored in 2 or 4 bytes */
	K_SECONDS, /* a duration in seconds, fractions allowed, in [min, max], stored in a double */
	K_TEXT,    /* text that valid() accepts, stored NUL-terminated in size bytes */
	K_IDS,     /* a list of distinct ids in [min, max], stored in an array and an unsigned int count */
	K_BOOL,    /* true or false, stored in one byte */
	K_CHOICE,  /* one of the names in choices, stored as its index in one byte */
	K_PROPS,   /* a map of librdkafka property names to text, stored in an array of cs_config_prop and a count */
};

struct key {
	const char *name;
	enum kind kind;
	size_t off, size;   /* the value in struct cs_config (K_IDS, K_PROPS: the whole array) */
	size_t elem;        /* K_IDS, K_PROPS: bytes per entry */
	size_t count_off;   /* K_IDS, K_PROPS: the entry count */
	double min, max;    /* K_WHOLE, K_SECONDS, K_IDS entries */
	bool pow2;          /* K_WHOLE: only powers of two */
	const char *noun;   /* K_TEXT: "a country code"; K_IDS: "port" */
	const char *accepts; /* K_TEXT: what valid() takes, in words */
	bool (*valid)(const char *s, size_t n, size_t size); /* K_TEXT */
	const struct key *children; /* K_MAP: ends at a NULL name */
	const char *const *choices; /* K_CHOICE: the names, ends at NULL */
};

/*
 * Integers are stored by size: uint8_t, uint16_t, or 4 bytes for
 * uint32_t, unsigned int and int (kafka_timeout_ms). The int's range
 * (1..3600000) keeps it positive, where int and uint32_t share their
 * representation.
 */
_Static_assert(sizeof(unsigned int) == sizeof(uint32_t) && sizeof(int) == sizeof(uint32_t),
	       "4-byte integer fields are stored as uint32_t");
_Static_assert(RTE_MAX_ETHPORTS <= CS_CONFIG_MAX_PORTS, "every DPDK port id fits input.ports");
_Static_assert(RTE_MAX_LCORE >= CS_CONFIG_MAX_LCORES, "every configurable lcore id exists in DPDK");

static void put_uint(void *dst, size_t size, uint32_t v)
{
	if (size == sizeof(uint8_t)) {
		*(uint8_t *)dst = (uint8_t)v;
	} else if (size == sizeof(uint16_t)) {
		uint16_t v16 = (uint16_t)v;
		memcpy(dst, &v16, sizeof(v16));
	} else {
		memcpy(dst, &v, sizeof(v));
	}
}

static uint32_t get_uint(const void *src, size_t size)
{
	if (size == sizeof(uint8_t))
		return *(const uint8_t *)src;
	if (size == sizeof(uint16_t)) {
		uint16_t v16;
		memcpy(&v16, src, sizeof(v16));
		return v16;
	}
	uint32_t v;
	memcpy(&v, src, sizeof(v));
	return v;
}

/* ---- text checks ---- */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool valid_any(const char *s, size_t n, size_t size)
{
	(void)s;
	return n < size;
}

static bool valid_digits(const char *s, size_t n, size_t size)
{
	return n < size && all_digits(s, n);
}

/* E.164 country codes are 1-3 digits and none starts with 0. */
static bool valid_country_code(const char *s, size_t n, size_t size)
{
	return valid_digits(s, n, size) && (n == 0 || s[0] != '0');
}

/* Kafka's topic alphabet, also used for the probe id (a Kafka key and part of record ids). */
static bool valid_name(const char *s, size_t n, size_t size)
{
	if (n == 0 || n >= size || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* One word of a fixed set: "a|b|c". */
static bool one_of(const char *s, size_t n, const char *words)
{
	for (const char *w = words; *w != '\0';) {
		size_t len = strcspn(w, "|");
		if (len == n && memcmp(w, s, n) == 0)
			return true;
		w += len + (w[len] == '|');
	}
	return false;
}

/* The codecs Debian's librdkafka is built with (builtin.features). */
static bool valid_compression(const char *s, size_t n, size_t size)
{
	return n < size && one_of(s, n, "none|gzip|snappy|lz4|zstd");
}

static bool valid_fsync(const char *s, size_t n, size_t size)
{
	return n < size && one_of(s, n, "always|interval|never");
}

/* host:port[,host:port...], as librdkafka's bootstrap.servers; the host may be [v6]. */
static bool valid_brokers(const char *s, size_t n, size_t size)
{
	if (n >= size)
		return false;
	if (n == 0)
		return true;
	for (size_t start = 0; start <= n;) {
		const char *item = s + start;
		const char *comma = memchr(item, ',', n - start);
		size_t len = comma != NULL ? (size_t)(comma - item) : n - start;
		size_t colon = len;

		while (colon > 0 && item[colon - 1] != ':')
			colon--;
		size_t digits = len - colon;
		if (colon < 2 || digits == 0 || digits > 5 || !all_digits(item + colon, digits))
			return false;
		unsigned long port = strtoul(item + colon, NULL, 10);
		if (port < 1 || port > 65535)
			return false;
		start += len + 1;
	}
	return true;
}

/* ---- the schema ---- */

#define AT(f) .off = offsetof(struct cs_config, f), .size = sizeof(((struct cs_config *)NULL)->f)
#define WHOLE(n, f, lo, hi) { .name = n, .kind = K_WHOLE, AT(f), .min = lo, .max = hi }
#define SECONDS(n, f, hi) { .name = n, .kind = K_SECONDS, AT(f), .min = 0.001, .max = hi }
#define TEXT(n, f, check, what, acc) { .name = n, .kind = K_TEXT, AT(f), .valid = check, .noun = what, .accepts = acc }
#define IDS(n, f, count, what, hi)                                                                                  \
	{ .name = n, .kind = K_IDS, AT(f), .elem = sizeof(((struct cs_config *)NULL)->f[0]),                         \
	  .count_off = offsetof(struct cs_config, count), .noun = what, .min = 0, .max = hi }
#define MAP(n, keys) { .name = n, .kind = K_MAP, .children = keys }
#define TOPIC(n, f) TEXT(n, f, valid_name, "a Kafka topic name", "1 to 127 characters of A-Z a-z 0-9 . _ -")
#define PROPS(n, f, count)                                                                                          \
	{ .name = n, .kind = K_PROPS, AT(f), .elem = sizeof(((struct cs_config *)NULL)->f[0]),                       \
	  .count_off = offsetof(struct cs_config, count) }

#define BOOL(n, f) { .name = n, .kind = K_BOOL, AT(f) }
#define CHOICE(n, f, names) { .name = n, .kind = K_CHOICE, AT(f), .choices = names }
#define PLAN(n, f) TEXT(n, f, valid_any, "a number plan file", "a path of at most 255 bytes, \"\" for none")

/* Live event time: "port" (a port's own stamps, e.g. net_pcap's capture times), or "arrival" always. */
static const char *const event_time_names[] = { "port", "arrival", NULL };

static const struct key input_keys[] = {
	IDS("ports", ports, nports, "port", RTE_MAX_ETHPORTS - 1),
	/* every queue needs an RX lcore to poll it */
	WHOLE("rx_queues", rx_queues, 1, CS_CONFIG_MAX_LCORES),
	CHOICE("event_time", event_time, event_time_names),
	{ 0 },
};

static const struct key lcores_keys[] = {
	IDS("rx", rx_lcores, n_rx_lcores, "lcore", CS_CONFIG_MAX_LCORES - 1),
	IDS("workers", worker_lcores, n_worker_lcores, "lcore", CS_CONFIG_MAX_LCORES - 1),
	{ 0 },
};

static const struct key replay_keys[] = {
	WHOLE("workers", workers, 1, CS_MAX_REPLAY_WORKERS),
	WHOLE("mem_mb", mem_mb, 64, 65536), /* the same range as --mem-mb */
	{ 0 },
};

static const struct key protocols_keys[] = {
	WHOLE("gtpc_port", gtpc_port, 1, 65535),
	WHOLE("gtpu_port", gtpu_port, 1, 65535),
	WHOLE("sip_port", sip_port, 1, 65535),
	{ 0 },
};

static const struct key numbers_keys[] = {
	TEXT("country_code", country_code, valid_country_code, "a country code",
	     "1 to 3 digits not starting with 0, or \"\" when unknown"),
	TEXT("trunk_prefix", trunk_prefix, valid_digits, "a trunk prefix", "0 to 3 digits, \"\" for none"),
	TEXT("international_prefix", international_prefix, valid_digits, "an international prefix",
	     "0 to 5 digits, \"\" for none"),
	WHOLE("block_suffix_digits", block_suffix_digits, 1, 4),
	{ 0 },
};

static const struct key capacity_keys[] = {
	WHOLE("sessions", sessions, 1, CAPACITY_MAX),
	WHOLE("worker_sessions", worker_sessions, 1, CAPACITY_MAX),
	WHOLE("sip_calls", sip_calls, 1, CAPACITY_MAX),
	{ .name = "gtpc_transactions", .kind = K_WHOLE, AT(gtpc_transactions), .min = 1, .max = CAPACITY_MAX,
	  .pow2 = true },
	WHOLE("mbufs", mbufs, 1, CAPACITY_MAX),
	WHOLE("subscribers", subscribers, 1, CAPACITY_MAX),
	WHOLE("exact_slots", exact_slots, 0, (1u << 23) - 1),
	WHOLE("sketch_slots", sketch_slots, 0, 1u << 20),
	WHOLE("devices", devices, 1, CAPACITY_MAX),
	WHOLE("cells", cells, 1, CAPACITY_MAX),
	WHOLE("number_blocks", number_blocks, 1, CAPACITY_MAX),
	WHOLE("rule_memory", rule_memory, 1, CAPACITY_MAX),
	{ 0 },
};

/* Upper bounds: well past any network's timer, short of a value that is surely a typo (an extra digit). */
static const struct key timeouts_keys[] = {
	SECONDS("session_idle_s", session_idle_s, 30 * 86400),
	SECONDS("interim_s", interim_s, 86400),
	SECONDS("sip_setup_s", sip_setup_s, 3600),
	SECONDS("sip_max_call_s", sip_max_call_s, 7 * 86400),
	SECONDS("gtpc_response_s", gtpc_response_s, 600),
	SECONDS("fragment_s", fragment_s, 60),
	{ 0 },
};

static const struct key topics_keys[] = {
	TOPIC("session", topic_session),
	TOPIC("call", topic_call),
	TOPIC("sms", topic_sms),
	TOPIC("summary", topic_summary),
	TOPIC("anomalies", topic_anomalies),
	{ 0 },
};

/* The disk spool that keeps records through broker outages (docs/kafka-delivery.md). */
static const struct key spool_keys[] = {
	TEXT("dir", spool_dir, valid_any, "a directory", "a path of at most 255 bytes, \"\" for no spool"),
	WHOLE("max_mb", spool_max_mb, 1, 1u << 20),
	WHOLE("segment_mb", spool_segment_mb, 1, 1024),
	TEXT("fsync", spool_fsync, valid_fsync, "an fsync policy", "always, interval or never"),
	WHOLE("fsync_interval_ms", spool_fsync_interval_ms, 1, 3600000),
	{ 0 },
};

static const struct key kafka_keys[] = {
	TEXT("brokers", brokers, valid_brokers, "a broker list",
	     "host:port[,host:port...], at most 255 bytes, \"\" for no Kafka"),
	WHOLE("timeout_ms", kafka_timeout_ms, 1, 3600000), /* the same range as --kafka-timeout-ms */
	MAP("topics", topics_keys),
	TEXT("compression", kafka_compression, valid_compression, "a compression codec",
	     "none, gzip, snappy, lz4 or zstd"),
	/* librdkafka's queue.buffering.max.messages: 1 to its own maximum */
	WHOLE("memory_queue", kafka_memory_queue, 1, 2147483647),
	MAP("spool", spool_keys),
	PROPS("properties", kafka_props, kafka_nprops),
	{ 0 },
};

static const struct key export_keys[] = {
	TEXT("out_dir", out_dir, valid_any, "a directory", "a path of at most 255 bytes, \"\" for none"),
	MAP("kafka", kafka_keys),
	{ 0 },
};

/* The behaviour windows (docs/state-engine.md), in event time; window.h accepts 1 s to 3 days. */
static const struct key windows_keys[] = {
	WHOLE("short_s", window_short_s, 1, 259200),
	WHOLE("hour_s", window_hour_s, 1, 259200),
	WHOLE("day_s", window_day_s, 1, 259200),
	{ 0 },
};

/* Long memory (docs/state-store.md): where it lives and how often it is checkpointed. */
static const struct key state_keys[] = {
	TEXT("dir", state_dir, valid_any, "a directory", "a path of at most 255 bytes, \"\" for no long memory"),
	SECONDS("checkpoint_interval_s", checkpoint_interval_s, 86400),
	WHOLE("map_mb", state_map_mb, 16, 1u << 24),
	{ .name = "checkpoint_queue", .kind = K_WHOLE, AT(checkpoint_queue), .min = 2, .max = 1u << 24, .pow2 = true },
	{ 0 },
};

/* The rule catalogue (dataplane/rules.h, docs/rules.md): what every rule has, then its own thresholds. */
static const char *const severity_names[] = { "info", "low", "medium", "high", "critical", NULL };
#define RULE(r)                                                                  \
	BOOL("enabled", rules.rule[r].enabled),                                  \
	CHOICE("severity", rules.rule[r].severity, severity_names),              \
	WHOLE("weight", rules.rule[r].weight, 0, 1000),                          \
	WHOLE("cooldown_s", rules.rule[r].cooldown_s, 1, 30 * 86400)
#define COUNT(n, f) WHOLE(n, rules.f, 1, 1000000)
#define AT_MOST(n, f) WHOLE(n, rules.f, 0, 1000000)

static const struct key fanout_keys[] = {
	RULE(CS_RULE_SIMBOX_FANOUT),
	COUNT("mo_calls", fanout.mo_calls),
	COUNT("distinct_callees", fanout.callees),
	WHOLE("max_mean_call_s", rules.fanout.max_mean_call_s, 1, 86400),
	AT_MOST("max_mt_calls", fanout.max_mt_calls),
	AT_MOST("max_cells", fanout.max_cells),
	AT_MOST("max_data_destinations", fanout.max_data_destinations),
	{ 0 },
};
static const struct key rotation_keys[] = {
	RULE(CS_RULE_SIMBOX_IMEI_ROTATION), COUNT("distinct_imsis", rotation_imsis), { 0 },
};
static const struct key hopping_keys[] = {
	RULE(CS_RULE_SIMBOX_SIM_HOPPING), COUNT("distinct_imeis", hopping_imeis), { 0 },
};
static const struct key flood_keys[] = {
	RULE(CS_RULE_SMS_FLOOD), COUNT("mo_sms", flood.mo_sms), COUNT("distinct_recipients", flood.recipients), { 0 },
};
static const struct key iot_voice_keys[] = { RULE(CS_RULE_IOT_VOICE_SMS), { 0 } };
static const struct key iot_binding_keys[] = { RULE(CS_RULE_IOT_IMEI_BINDING), { 0 } };
static const struct key iot_fanout_keys[] = {
	RULE(CS_RULE_IOT_DATA_FANOUT), COUNT("distinct_data_destinations", iot_data_destinations), { 0 },
};
static const struct key sleeper_keys[] = {
	RULE(CS_RULE_SLEEPER_WAKEUP),
	WHOLE("silent_days", rules.sleeper.silent_days, 1, 3650),
	COUNT("mo_events", sleeper.mo_events),
	{ 0 },
};
static const struct key code_keys[] = {
	RULE(CS_RULE_CODE_RECEIVER),
	COUNT("distinct_shortcode_senders", code.senders),
	AT_MOST("max_mo_calls", code.max_mo_calls),
	{ 0 },
};
static const struct key batch_keys[] = {
	RULE(CS_RULE_NUMBLOCK_BATCH),
	COUNT("first_activations", batch_first_activations),
	WHOLE("learning_s", rules.batch_learning_s, 0, 30 * 86400),
	{ 0 },
};
static const struct key sequential_keys[] = {
	RULE(CS_RULE_CALL_SEQUENTIAL),
	WHOLE("callees", rules.sequential.callees, 3, 1000),
	WHOLE("max_step", rules.sequential.max_step, 1, 1000000),
	{ 0 },
};
static const struct key scoring_keys[] = {
	WHOLE("risky_range", rules.risky_range_weight, 0, 1000),
	WHOLE("gateway_tac", rules.gateway_tac_weight, 0, 1000),
	{ 0 },
};

static const struct key rules_keys[] = {
	MAP("simbox.fanout", fanout_keys),
	MAP("simbox.imei_rotation", rotation_keys),
	MAP("simbox.sim_hopping", hopping_keys),
	MAP("sms.flood", flood_keys),
	MAP("iot.voice_sms", iot_voice_keys),
	MAP("iot.imei_binding", iot_binding_keys),
	MAP("iot.data_fanout", iot_fanout_keys),
	MAP("card.sleeper_wakeup", sleeper_keys),
	MAP("card.code_receiver", code_keys),
	MAP("numblock.batch", batch_keys),
	MAP("call.sequential", sequential_keys),
	MAP("scoring", scoring_keys),
	WHOLE("shortcode_max_digits", rules.shortcode_max_digits, 0, 16),
	{ 0 },
};

static const struct key plans_keys[] = {
	PLAN("iot", plan_iot),
	PLAN("risky", plan_risky),
	PLAN("shortcodes", plan_shortcodes),
	PLAN("handset_tacs", plan_handset_tacs),
	PLAN("gateway_tacs", plan_gateway_tacs),
	{ 0 },
};

static const struct key top_keys[] = {
	TEXT("probe_id", probe_id, valid_name, "a probe id", "1 to 63 characters of A-Z a-z 0-9 . _ -"),
	MAP("input", input_keys),
	MAP("lcores", lcores_keys),
	MAP("replay", replay_keys),
	MAP("protocols", protocols_keys),
	MAP("numbers", numbers_keys),
	MAP("capacity", capacity_keys),
	MAP("timeouts", timeouts_keys),
	MAP("export", export_keys),
	MAP("windows", windows_keys),
	MAP("state", state_keys),
	MAP("rules", rules_keys),
	MAP("number_plans", plans_keys),
	{ 0 },
};

void cs_config_defaults(struct cs_config *c)
{
	char host[256];

	*c = (struct cs_config){
		.rx_queues = 1,
		.workers = 1,
		.gtpc_port = 2123,
		.gtpu_port = 2152,
		.sip_port = 5060,
		.trunk_prefix = "0",
		.international_prefix = "00",
		.sessions = 65536,
		.worker_sessions = 65536,
		.sip_calls = 65536,
		.gtpc_transactions = 65536,
		.mbufs = 16383,
		.subscribers = 65536,
		.exact_slots = 65536,
		.sketch_slots = 1024,
		.devices = 65536,
		.cells = 65536,
		.number_blocks = 65536,
		.block_suffix_digits = 3,
		.mem_mb = 512,
		.session_idle_s = 7200,
		.interim_s = 3600,
		.sip_setup_s = 180,
		.sip_max_call_s = 14400,
		.gtpc_response_s = 10,
		.fragment_s = 2,
		.kafka_timeout_ms = 30000,
		.kafka_compression = "lz4",
		.kafka_memory_queue = 100000,
		.spool_max_mb = 1024,
		.spool_segment_mb = 64,
		.spool_fsync = "interval",
		.spool_fsync_interval_ms = 1000,
		.window_short_s = 600,
		.window_hour_s = 3600,
		.window_day_s = 86400,
		.checkpoint_interval_s = 300,
		.state_map_mb = 4096,
		.checkpoint_queue = 65536,
		.topic_session = "cdrsentry.session",
		.topic_call = "cdrsentry.call",
		.topic_sms = "cdrsentry.sms",
		.topic_summary = "cdrsentry.summary",
		.topic_anomalies = "cdrsentry.anomalies",
		.rule_memory = 65536,
	};
	cs_rules_conf_default(&c->rules);
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "cdrsentry");
	host[sizeof(host) - 1] = '\0';
	snprintf(c->probe_id, sizeof(c->probe_id), "%.*s", (int)sizeof(c->probe_id) - 1, host);
}

/* ---- problems ---- */

/* One problem at a key: "FILE:LINE: KEY: what is wrong (what is accepted)" (problems.h keeps the report). */
__attribute__((format(printf, 4, 5))) static void problem(struct cs_problems *r, unsigned int line, const char *key,
							  const char *fmt, ...)
{
	char text[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (key != NULL)
		cs_problem(r, line, "%s: %s", key, text);
	else
		cs_problem(r, line, "%s", text);
}

/* ---- reading nodes ---- */

struct loader {
	yaml_document_t doc;
	struct cs_config *c;
	struct cs_problems r;
};

static unsigned int line_of(const yaml_node_t *n)
{
	return (unsigned int)n->start_mark.line + 1;
}

static const char *text_of(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* YAML's null: an empty plain value ("key:" and nothing), ~ or null. */
static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(text_of(n), nulls[i]) == 0)
			return true;
	return false;
}

static bool is_quoted(const yaml_node_t *n)
{
	return n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
}

/*
 * A scalar as it appears in a message: in single quotes, cut after 37
 * bytes (at a UTF-8 character boundary) with "...", and control
 * characters (a block scalar's newlines) as '?', so a problem stays one
 * line: 1 + 37 + 3 + 1 bytes and the NUL fit in SHOWN_LEN.
 */
enum { SHOWN_LEN = CS_QUOTED_LEN };
static const char *shown(const yaml_node_t *n, char buf[SHOWN_LEN])
{
	/* libyaml has checked the text is UTF-8 */
	return cs_problem_quote(text_of(n), n->data.scalar.length, true, buf);
}

/* "a list", "a map" or the quoted text, for "X where Y goes". */
static const char *what_is(const yaml_node_t *n, char buf[SHOWN_LEN])
{
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->type == YAML_MAPPING_NODE)
		return "a map";
	return shown(n, buf);
}

static const char *kind_noun(const struct key *k)
{
	switch (k->kind) {
	case K_MAP: return "a map";
	case K_WHOLE: return "a whole number";
	case K_SECONDS: return "a number of seconds";
	case K_TEXT: return "text";
	case K_IDS: return "a list";
	case K_BOOL: return "true or false";
	case K_CHOICE: return "a name";
	case K_PROPS: return "a map";
	}
	return "?";
}

/* What a key accepts, in words, for the parenthesis of its messages. */
static const char *accepted(const struct key *k, char *buf, size_t cap)
{
	switch (k->kind) {
	case K_MAP: {
		size_t n = (size_t)snprintf(buf, cap, "keys:");
		for (const struct key *c = k->children; c->name != NULL && n < cap; c++)
			n += (size_t)snprintf(buf + n, cap - n, "%s %s", c == k->children ? "" : ",", c->name);
		break;
	}
	case K_WHOLE:
		snprintf(buf, cap, "%s%.0f to %.0f", k->pow2 ? "a power of two from " : "", k->min, k->max);
		break;
	case K_SECONDS: snprintf(buf, cap, "%g to %.0f seconds", k->min, k->max); break;
	case K_TEXT: snprintf(buf, cap, "%s", k->accepts); break;
	case K_IDS: snprintf(buf, cap, "%s ids %.0f to %.0f, each once", k->noun, k->min, k->max); break;
	case K_BOOL: snprintf(buf, cap, "true or false"); break;
	case K_CHOICE: {
		size_t n = (size_t)snprintf(buf, cap, "one of:");
		for (const char *const *c = k->choices; *c != NULL && n < cap; c++)
			n += (size_t)snprintf(buf + n, cap - n, "%s %s", c == k->choices ? "" : ",", *c);
		break;
	}
	case K_PROPS:
		snprintf(buf, cap, "name: value pairs of librdkafka properties, at most %zu", k->size / k->elem);
		break;
	}
	return buf;
}

static void wrong_type(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN], acc[160];

	problem(&L->r, line_of(n), path, "%s where %s goes (%s)", what_is(n, v), kind_noun(k),
		accepted(k, acc, sizeof(acc)));
}

/* Decimal digits with an optional minus; huge values saturate (they are out of every range anyway). */
static bool parse_whole(const char *s, size_t n, long long *out)
{
	size_t i = (n > 0 && s[0] == '-') ? 1 : 0;
	long long v = 0;

	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v < 100000000000000000LL) /* stops near 1e18, well inside long long */
			v = v * 10 + (s[i] - '0');
	}
	*out = s[0] == '-' ? -v : v;
	return true;
}

/* Decimal notation only: no inf, nan or hex floats, which strtod would take. */
static bool parse_seconds(const char *s, size_t n, double *out)
{
	char *end;

	if (n == 0 || strspn(s, "0123456789.eE+-") != n)
		return false;
	*out = strtod(s, &end);
	return end == s + n;
}

/*
 * A plain scalar meant as a number. Returns false after reporting why it
 * is not one: missing, a container, or quoted (YAML's own string).
 */
static bool number_node(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN], acc[160];

	if (is_null(n)) {
		problem(&L->r, line_of(n), path, "has no value (%s)", accepted(k, acc, sizeof(acc)));
		return false;
	}
	if (n->type != YAML_SCALAR_NODE) {
		wrong_type(L, n, k, path);
		return false;
	}
	if (is_quoted(n)) {
		problem(&L->r, line_of(n), path, "%s is quoted text, not a number (%s, written without quotes)",
			shown(n, v), accepted(k, acc, sizeof(acc)));
		return false;
	}
	return true;
}

static void load_whole(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN], acc[160];
	long long x;

	if (!number_node(L, n, k, path))
		return;
	if (!parse_whole(text_of(n), n->data.scalar.length, &x))
		problem(&L->r, line_of(n), path, "%s is not a whole number (%s)", shown(n, v),
			accepted(k, acc, sizeof(acc)));
	else if (x < (long long)k->min || x > (long long)k->max)
		problem(&L->r, line_of(n), path, "%s is out of range (%s)", text_of(n), accepted(k, acc, sizeof(acc)));
	else if (k->pow2 && (x & (x - 1)) != 0)
		problem(&L->r, line_of(n), path, "%s is not a power of two (%s)", text_of(n),
			accepted(k, acc, sizeof(acc)));
	else
		put_uint((char *)L->c + k->off, k->size, (uint32_t)x);
}

static void load_seconds(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN], acc[160];
	double x;

	if (!number_node(L, n, k, path))
		return;
	if (!parse_seconds(text_of(n), n->data.scalar.length, &x))
		problem(&L->r, line_of(n), path, "%s is not a number of seconds (%s)", shown(n, v),
			accepted(k, acc, sizeof(acc)));
	else if (!(x >= k->min && x <= k->max))
		problem(&L->r, line_of(n), path, "%s is out of range (%s)", text_of(n), accepted(k, acc, sizeof(acc)));
	else
		memcpy((char *)L->c + k->off, &x, sizeof(x));
}

static void load_text(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN];
	const char *s = "";
	size_t len = 0;

	if (n->type != YAML_SCALAR_NODE) {
		wrong_type(L, n, k, path);
		return;
	}
	if (!is_null(n)) {
		s = text_of(n);
		len = n->data.scalar.length;
	}
	if (strlen(s) != len) {
		problem(&L->r, line_of(n), path, "contains a NUL character (%s)", k->accepts);
		return;
	}
	if (!k->valid(s, len, k->size)) {
		if (len == 0)
			problem(&L->r, line_of(n), path, "has no value (%s)", k->accepts);
		else
			problem(&L->r, line_of(n), path, "%s is not %s (%s)", shown(n, v), k->noun, k->accepts);
		return;
	}
	memcpy((char *)L->c + k->off, s, len + 1);
}

static bool is_one_of(const yaml_node_t *n, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(text_of(n), *names) == 0)
			return true;
	return false;
}

/* YAML 1.2's core schema booleans, as plain scalars. */
static void load_bool(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	static const char *const yes[] = { "true", "True", "TRUE", NULL };
	static const char *const no[] = { "false", "False", "FALSE", NULL };
	char v[SHOWN_LEN];

	if (n->type != YAML_SCALAR_NODE) {
		wrong_type(L, n, k, path);
		return;
	}
	bool plain = !is_quoted(n);
	if (plain && is_one_of(n, yes))
		*((uint8_t *)L->c + k->off) = 1;
	else if (plain && is_one_of(n, no))
		*((uint8_t *)L->c + k->off) = 0;
	else
		problem(&L->r, line_of(n), path, "%s is not true or false (true or false, written without quotes)",
			shown(n, v));
}

static void load_choice(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	char v[SHOWN_LEN], acc[160];

	if (n->type != YAML_SCALAR_NODE) {
		wrong_type(L, n, k, path);
		return;
	}
	for (size_t i = 0; k->choices[i] != NULL; i++) {
		if (strlen(k->choices[i]) == n->data.scalar.length && strcmp(text_of(n), k->choices[i]) == 0) {
			*((uint8_t *)L->c + k->off) = (uint8_t)i;
			return;
		}
	}
	problem(&L->r, line_of(n), path, "%s is not a known name (%s)", shown(n, v), accepted(k, acc, sizeof(acc)));
}

/* The whole list replaces the default; null means an empty list. */
static void load_ids(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	unsigned int first_line[CS_CONFIG_MAX_LCORES] = { 0 }; /* id -> line that listed it */
	unsigned int *count = (unsigned int *)(void *)((char *)L->c + k->count_off);
	size_t capacity = k->size / k->elem;
	char v[SHOWN_LEN], acc[160];

	_Static_assert(RTE_MAX_ETHPORTS <= CS_CONFIG_MAX_LCORES, "first_line covers port ids too");
	*count = 0;
	if (is_null(n))
		return;
	if (n->type != YAML_SEQUENCE_NODE) {
		wrong_type(L, n, k, path);
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const yaml_node_t *e = yaml_document_get_node(&L->doc, *it);
		long long id;

		if (e->type != YAML_SCALAR_NODE || is_null(e) || is_quoted(e) ||
		    !parse_whole(text_of(e), e->data.scalar.length, &id)) {
			problem(&L->r, line_of(e), path, "%s is not an id (%s)", what_is(e, v),
				accepted(k, acc, sizeof(acc)));
		} else if (id < (long long)k->min || id > (long long)k->max) {
			problem(&L->r, line_of(e), path, "%s %s is out of range (%s)", k->noun, text_of(e),
				accepted(k, acc, sizeof(acc)));
		} else if (first_line[id] != 0) {
			problem(&L->r, line_of(e), path, "%s %lld is listed twice (first on line %u; %s)", k->noun, id,
				first_line[id], accepted(k, acc, sizeof(acc)));
		} else if (*count == capacity) {
			problem(&L->r, line_of(e), path, "more than %zu entries (%s)", capacity,
				accepted(k, acc, sizeof(acc)));
		} else {
			first_line[id] = line_of(e);
			put_uint((char *)L->c + k->off + *count * k->elem, k->elem, (uint32_t)id);
			(*count)++;
		}
	}
}

/* Edit distance of two short names, for the "did you mean" hint. */
static size_t distance(const char *a, size_t n, const char *b)
{
	enum { LONGEST = 32 };
	size_t m = strlen(b), row[LONGEST + 1];

	if (n > LONGEST || m > LONGEST)
		return SIZE_MAX;
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

static void unknown_key(struct loader *L, const yaml_node_t *kn, const struct key *keys, const char *path)
{
	const struct key *near = keys;
	size_t best = SIZE_MAX, len = kn->data.scalar.length; /* SIZE_MAX: too long to compare, no hint */
	char acc[160];

	for (const struct key *k = keys; k->name != NULL; k++) {
		size_t d = distance(text_of(kn), len, k->name);
		if (d < best) {
			best = d;
			near = k;
		}
	}
	size_t longer = len > strlen(near->name) ? len : strlen(near->name);
	if (best != SIZE_MAX && best <= (longer / 3 > 1 ? longer / 3 : 1)) {
		problem(&L->r, line_of(kn), path, "unknown key (did you mean %s?)", near->name);
		return;
	}
	struct key map = { .kind = K_MAP, .children = keys };
	problem(&L->r, line_of(kn), path, "unknown key (%s)", accepted(&map, acc, sizeof(acc)));
}

static void join(char *out, const char *parent, const char *name)
{
	snprintf(out, PATH_LEN, "%s%s%s", parent, parent[0] != '\0' ? "." : "", name);
}

static const struct key *find_key(const struct key *keys, const yaml_node_t *kn)
{
	for (const struct key *k = keys; k->name != NULL; k++)
		if (strlen(k->name) == kn->data.scalar.length && strcmp(k->name, text_of(kn)) == 0)
			return k;
	return NULL;
}

/* The line where this key was first given in its map, 0 if this is the first time. */
static unsigned int earlier_line(struct loader *L, const yaml_node_t *map, const yaml_node_pair_t *pair)
{
	const yaml_node_t *kn = yaml_document_get_node(&L->doc, pair->key);

	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < pair; p++) {
		const yaml_node_t *other = yaml_document_get_node(&L->doc, p->key);
		if (other->type == YAML_SCALAR_NODE && other->data.scalar.length == kn->data.scalar.length &&
		    memcmp(other->data.scalar.value, kn->data.scalar.value, kn->data.scalar.length) == 0)
			return line_of(other);
	}
	return 0;
}

/*
 * librdkafka properties, passed through: each name and value is tried on a
 * scratch librdkafka configuration now, so a misspelt property or a bad
 * value is reported with its line, not when the producer starts. Values
 * are never repeated in messages: they may be passwords.
 */
static void load_props(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	unsigned int *count = (unsigned int *)(void *)((char *)L->c + k->count_off);
	struct cs_config_prop *props = (struct cs_config_prop *)(void *)((char *)L->c + k->off);
	size_t capacity = k->size / k->elem;
	char acc[160], why[256];

	*count = 0;
	if (is_null(n))
		return;
	if (n->type != YAML_MAPPING_NODE) {
		wrong_type(L, n, k, path);
		return;
	}
	rd_kafka_conf_t *scratch = rd_kafka_conf_new();
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		const yaml_node_t *vn = yaml_document_get_node(&L->doc, p->value);
		char child[PATH_LEN + sizeof(props->name)]; /* the path and a whole property name */

		if (kn->type != YAML_SCALAR_NODE) {
			problem(&L->r, line_of(kn), path, "%s used as a key (%s)",
				kn->type == YAML_SEQUENCE_NODE ? "a list" : "a map", accepted(k, acc, sizeof(acc)));
			continue;
		}
		const char *name = text_of(kn);
		size_t len = kn->data.scalar.length;
		snprintf(child, sizeof(child), "%.95s.%.127s", path, name);
		unsigned int first = earlier_line(L, n, p);
		const char *owner = cs_kafka_owned_property(name);
		if (first != 0)
			problem(&L->r, line_of(kn), child, "given twice (first on line %u; each key once)", first);
		else if (len == 0 || len >= sizeof(props->name) || strlen(name) != len)
			problem(&L->r, line_of(kn), path, "a property name of %zu bytes (1 to %zu)", len,
				sizeof(props->name) - 1);
		else if (owner != NULL)
			problem(&L->r, line_of(kn), child, "set by %s (properties pass through what cdrsentry does not set)",
				owner);
		else if (vn->type != YAML_SCALAR_NODE || is_null(vn))
			problem(&L->r, line_of(vn), child, "has no value (%s)", accepted(k, acc, sizeof(acc)));
		else if (vn->data.scalar.length >= sizeof(props->value) || strlen(text_of(vn)) != vn->data.scalar.length)
			problem(&L->r, line_of(vn), child, "a value of %zu bytes or with a NUL (at most %zu bytes)",
				vn->data.scalar.length, sizeof(props->value) - 1);
		else if (*count == capacity)
			problem(&L->r, line_of(kn), child, "more than %zu properties (%s)", capacity,
				accepted(k, acc, sizeof(acc)));
		else if (rd_kafka_conf_set(scratch, name, text_of(vn), why, sizeof(why)) != RD_KAFKA_CONF_OK)
			problem(&L->r, line_of(vn), child, "librdkafka refuses it: %s", why);
		else {
			snprintf(props[*count].name, sizeof(props->name), "%s", name);
			snprintf(props[*count].value, sizeof(props->value), "%s", text_of(vn));
			(*count)++;
		}
	}
	rd_kafka_conf_destroy(scratch);
}

static void load_value(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path);

static void load_map(struct loader *L, const yaml_node_t *map, const struct key *k, const char *path)
{
	char acc[160];

	if (is_null(map))
		return; /* every key commented out: all defaults */
	if (map->type != YAML_MAPPING_NODE) {
		wrong_type(L, map, k, path[0] != '\0' ? path : "(top level)");
		return;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		char child[PATH_LEN];

		if (kn->type != YAML_SCALAR_NODE) {
			problem(&L->r, line_of(kn), path[0] != '\0' ? path : "(top level)", "%s used as a key (%s)",
				kn->type == YAML_SEQUENCE_NODE ? "a list" : "a map", accepted(k, acc, sizeof(acc)));
			continue;
		}
		join(child, path, text_of(kn));
		unsigned int first = earlier_line(L, map, p);
		if (first != 0) {
			problem(&L->r, line_of(kn), child, "given twice (first on line %u; each key once)", first);
			continue;
		}
		const struct key *ck = find_key(k->children, kn);
		if (ck == NULL)
			unknown_key(L, kn, k->children, child);
		else
			load_value(L, yaml_document_get_node(&L->doc, p->value), ck, child);
	}
}

static void load_value(struct loader *L, const yaml_node_t *n, const struct key *k, const char *path)
{
	switch (k->kind) {
	case K_MAP: load_map(L, n, k, path); break;
	case K_WHOLE: load_whole(L, n, k, path); break;
	case K_SECONDS: load_seconds(L, n, k, path); break;
	case K_TEXT: load_text(L, n, k, path); break;
	case K_IDS: load_ids(L, n, k, path); break;
	case K_BOOL: load_bool(L, n, k, path); break;
	case K_CHOICE: load_choice(L, n, k, path); break;
	case K_PROPS: load_props(L, n, k, path); break;
	}
}

/* ---- checks across keys ---- */

/* The value node of name in map, or NULL when map is not a map or lacks it. */
static const yaml_node_t *child_node(struct loader *L, const yaml_node_t *map, const char *name)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *kn = yaml_document_get_node(&L->doc, p->key);
		if (kn->type == YAML_SCALAR_NODE && strcmp(text_of(kn), name) == 0)
			return yaml_document_get_node(&L->doc, p->value);
	}
	return NULL;
}

/* An lcore polls queues or runs a worker loop, never both: each loop owns its core. */
static void check_lcore_roles(struct loader *L, const yaml_node_t *root)
{
	const yaml_node_t *workers = child_node(L, child_node(L, root, "lcores"), "workers");

	if (workers == NULL || workers->type != YAML_SEQUENCE_NODE)
		return;
	for (yaml_node_item_t *it = workers->data.sequence.items.start; it < workers->data.sequence.items.top; it++) {
		const yaml_node_t *e = yaml_document_get_node(&L->doc, *it);
		long long id;

		if (e->type != YAML_SCALAR_NODE || is_quoted(e) || !parse_whole(text_of(e), e->data.scalar.length, &id))
			continue; /* reported by load_ids */
		for (unsigned int i = 0; i < L->c->n_rx_lcores; i++)
			if (L->c->rx_lcores[i] == id)
				problem(&L->r, line_of(e), "lcores.workers",
					"lcore %lld is also in lcores.rx (one role per lcore)", id);
	}
}

/* Dispatch is by UDP port: two protocols on one port would make one of them unreachable. */
static void check_protocol_ports(struct loader *L, const yaml_node_t *root)
{
	const yaml_node_t *protocols = child_node(L, root, "protocols");
	const struct key *k = protocols_keys;

	for (size_t j = 1; k[j].name != NULL; j++) {
		for (size_t i = 0; i < j; i++) {
			uint32_t a = get_uint((const char *)L->c + k[i].off, k[i].size);
			uint32_t b = get_uint((const char *)L->c + k[j].off, k[j].size);
			if (a != b)
				continue;
			/* blame the one the file gave, the later one if both */
			const struct key *here = &k[j], *other = &k[i];
			const yaml_node_t *n = child_node(L, protocols, here->name);
			if (n == NULL) {
				here = &k[i];
				other = &k[j];
				n = child_node(L, protocols, here->name);
			}
			char path[PATH_LEN];
			join(path, "protocols", here->name);
			problem(&L->r, n != NULL ? line_of(n) : 0, path,
				"%" PRIu32 " is also protocols.%s (one port per protocol)", a, other->name);
		}
	}
}

/*
 * A plan path is taken from the configuration file's directory, so a
 * profile and its plans move together, and kept absolute: the printed
 * configuration then names the same files from wherever it is loaded.
 */
static bool absolute_plan_path(const struct cs_config *c, const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(c->source, '/');
	char cwd[4096];
	int n;

	if (path[0] == '/')
		n = snprintf(out, cap, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return false;
	else if (c->source[0] == '/')
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - c->source), c->source, path);
	else if (slash != NULL)
		n = snprintf(out, cap, "%s/%.*s/%s", cwd, (int)(slash - c->source), c->source, path);
	else
		n = snprintf(out, cap, "%s/%s", cwd, path);
	return n > 0 && (size_t)n < cap;
}

/*
 * A number plan is part of the configuration: its file is read and checked
 * at load, and each of its problems reported at the key that names it
 * ("cfg.yaml:12: number_plans.iot: /etc/cdrsentry/plans/iot.txt:3: ...").
 */
static void check_plans(struct loader *L, const yaml_node_t *root)
{
	const yaml_node_t *plans = child_node(L, root, "number_plans");
	static char text[8192];

	for (const struct key *k = plans_keys; k->name != NULL; k++) {
		const yaml_node_t *n = child_node(L, plans, k->name);
		char *path = (char *)L->c + k->off;
		char full[CS_CONFIG_STR], key[PATH_LEN];
		struct cs_number_plan *plan = NULL;

		if (n == NULL || path[0] == '\0')
			continue;
		join(key, "number_plans", k->name);
		if (!absolute_plan_path(L->c, path, full, sizeof(full))) {
			problem(&L->r, line_of(n), key, "%s: the path from / is longer than %zu bytes", path,
				sizeof(full) - 1);
			continue;
		}
		memcpy(path, full, sizeof(full));
		if (cs_number_plan_load(path, &plan, text, sizeof(text)) == 0) {
			cs_number_plan_free(plan);
			continue;
		}
		for (char *line = text, *end; *line != '\0'; line = end + 1) {
			end = strchr(line, '\n');
			if (end == NULL)
				end = line + strlen(line) - 1;
			problem(&L->r, line_of(n), key, "%.*s", (int)(end - line), line);
		}
	}
}

/* A spool segment must fit under the spool's cap. */
static void check_spool_sizes(struct loader *L, const yaml_node_t *root)
{
	if (L->c->spool_segment_mb <= L->c->spool_max_mb)
		return;
	const yaml_node_t *spool = child_node(L, child_node(L, child_node(L, root, "export"), "kafka"), "spool");
	const yaml_node_t *n = child_node(L, spool, "segment_mb");
	problem(&L->r, n != NULL ? line_of(n) : 0, "export.kafka.spool.segment_mb",
		"%" PRIu32 " is larger than export.kafka.spool.max_mb (%" PRIu32 "; a segment fits under the cap)",
		L->c->spool_segment_mb, L->c->spool_max_mb);
}

/* ---- loading ---- */

/* The whole file, NUL-terminated, or NULL after reporting why not. */
static char *read_file(struct cs_problems *r, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL) {
		problem(r, 0, NULL, "cannot read: %s", strerror(errno));
		return NULL;
	}
	buf = malloc(CONFIG_MAX_BYTES + 1);
	if (buf == NULL) {
		fclose(f);
		problem(r, 0, NULL, "cannot read: %s", strerror(ENOMEM));
		return NULL;
	}
	*len = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
	int read_errno = ferror(f) ? errno : 0;
	fclose(f);
	if (read_errno != 0 || *len > CONFIG_MAX_BYTES) {
		if (read_errno != 0)
			problem(r, 0, NULL, "cannot read: %s", strerror(read_errno));
		else
			problem(r, 0, NULL, "larger than %d bytes (a configuration is a few KiB: the right file?)",
				CONFIG_MAX_BYTES);
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static void syntax_error(struct cs_problems *r, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR) {
		problem(r, 0, NULL, "cannot parse: out of memory");
		return;
	}
	unsigned int line = (unsigned int)p->problem_mark.line + 1;
	const char *what = p->problem != NULL ? p->problem : "not valid YAML";
	if (p->context != NULL)
		problem(r, line, "syntax", "%s (%s started on line %u)", what, p->context,
			(unsigned int)p->context_mark.line + 1);
	else
		problem(r, line, "syntax", "%s", what);
}

int cs_config_load(const char *path, struct cs_config *c, char *err, size_t errlen)
{
	struct loader L = { .c = c };
	yaml_parser_t parser;
	size_t len;

	cs_config_defaults(c);
	cs_problems_init(&L.r, path, err, errlen);
	if (strlen(path) >= sizeof(c->source)) {
		problem(&L.r, 0, NULL, "the path is longer than %zu bytes", sizeof(c->source) - 1);
		cs_problems_end(&L.r);
		return (int)L.r.count;
	}
	snprintf(c->source, sizeof(c->source), "%s", path);
	char *text = read_file(&L.r, path, &len);
	if (text == NULL) {
		cs_problems_end(&L.r);
		return (int)L.r.count;
	}
	if (!yaml_parser_initialize(&parser)) {
		problem(&L.r, 0, NULL, "cannot parse: out of memory");
		free(text);
		cs_problems_end(&L.r);
		return (int)L.r.count;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		syntax_error(&L.r, &parser);
	} else {
		const yaml_node_t *root = yaml_document_get_root_node(&L.doc);
		const struct key top = { .kind = K_MAP, .children = top_keys };
		yaml_document_t next;

		if (root != NULL) {
			load_map(&L, root, &top, "");
			check_lcore_roles(&L, root);
			check_protocol_ports(&L, root);
			check_plans(&L, root);
			check_spool_sizes(&L, root);
			/* A second document would be silently ignored: say so. */
			if (!yaml_parser_load(&parser, &next)) {
				syntax_error(&L.r, &parser);
			} else {
				const yaml_node_t *more = yaml_document_get_root_node(&next);
				if (more != NULL)
					problem(&L.r, line_of(more), "syntax",
						"a second YAML document (one document per file)");
				yaml_document_delete(&next);
			}
		}
		yaml_document_delete(&L.doc);
	}
	yaml_parser_delete(&parser);
	free(text);
	cs_problems_end(&L.r);
	return (int)L.r.count;
}

/* ---- printing ---- */

/* YAML double-quoted: loads back byte for byte, whatever the text holds. */
static void print_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\x%02x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

/* Whole seconds as they are; fractions with the fewest digits that read back to the same double. */
static void print_seconds(FILE *out, double v)
{
	char buf[40];

	if (v >= 0 && v < 1e15 && v == (double)(uint64_t)v) {
		snprintf(buf, sizeof(buf), "%.0f", v);
	} else {
		for (int digits = 1; digits <= 17; digits++) {
			snprintf(buf, sizeof(buf), "%.*g", digits, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	}
	fputs(buf, out);
}

static void print_keys(FILE *out, const struct cs_config *c, const struct key *keys, int indent)
{
	for (const struct key *k = keys; k->name != NULL; k++) {
		const char *at = (const char *)c + k->off;

		fprintf(out, "%*s%s:", indent, "", k->name);
		switch (k->kind) {
		case K_MAP:
			fputc('\n', out);
			print_keys(out, c, k->children, indent + 2);
			continue;
		case K_WHOLE: fprintf(out, " %" PRIu32, get_uint(at, k->size)); break;
		case K_SECONDS: {
			double v;
			memcpy(&v, at, sizeof(v));
			fputc(' ', out);
			print_seconds(out, v);
			break;
		}
		case K_TEXT:
			fputc(' ', out);
			print_quoted(out, at);
			break;
		case K_IDS: {
			unsigned int count;
			memcpy(&count, (const char *)c + k->count_off, sizeof(count));
			fputs(" [", out);
			for (unsigned int i = 0; i < count; i++)
				fprintf(out, "%s%" PRIu32, i > 0 ? ", " : "", get_uint(at + i * k->elem, k->elem));
			fputc(']', out);
			break;
		}
		case K_BOOL: fputs(*(const uint8_t *)at ? " true" : " false", out); break;
		case K_CHOICE: fprintf(out, " %s", k->choices[*(const uint8_t *)at]); break;
		case K_PROPS: {
			unsigned int count;
			memcpy(&count, (const char *)c + k->count_off, sizeof(count));
			if (count == 0)
				fputs(" {}", out);
			for (unsigned int i = 0; i < count; i++) {
				const struct cs_config_prop *p = (const struct cs_config_prop *)(const void *)(at + i * k->elem);
				fprintf(out, "\n%*s", indent + 2, "");
				print_quoted(out, p->name);
				fputs(": ", out);
				print_quoted(out, p->value);
			}
			break;
		}
		}
		fputc('\n', out);
	}
}

void cs_config_print(const struct cs_config *c, FILE *out)
{
	fputs("# cdrsentry configuration in force, from ", out);
	if (c->source[0] != '\0')
		print_quoted(out, c->source);
	else
		fputs("the built-in defaults", out);
	fputc('\n', out);
	print_keys(out, c, top_keys, 0);
}
