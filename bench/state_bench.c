/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-bench-state: how many state updates a second one worker
 * applies, and how many bytes a subscriber costs, with N subscribers in
 * its table (issue 4: 1 M and 10 M).
 *
 * One thread is one worker's shard. It builds the state exactly as
 * worker.c does (a subscriber table of N records of struct cs_subscriber,
 * a distinct-count pool of --exact-slots exact slots and --sketch-slots
 * sketch slots) and calls the same state
 * functions a worker calls for each event, through the same
 * cs_subscriber_get (with the release callback a worker passes):
 *
 *   1 fill     every subscriber first seen: insert + an identity event
 *              (MSISDN, IMEI, cell, RAT) -> first-sight cost, and the
 *              memory of a full table.
 *   2 stream   M events, each of a subscriber drawn uniformly from the N
 *              (the cache-miss-heavy case: no locality to lean on), event
 *              time advancing evenly over STREAM_SPAN_NS, so the hourly
 *              counters and distinct buckets roll several times:
 *                38% data uplink    peer from PEERS addresses (a data destination)
 *                38% data downlink
 *                 5% identity       the subscriber's MSISDN and IMEI, one of 4 neighbouring cells
 *                 6% MO call        callee: another subscriber's MSISDN; 70% answered, 5-600 s
 *                 5% MT call        caller: another subscriber's MSISDN
 *                 4% MO SMS         recipient: another subscriber's MSISDN
 *                 4% MT SMS         sender: a short code (50%), a named sender (20%), a person
 *              -> state updates/s, ns/event: lookup + update.
 *              Chunks alternate with and without the rules: every other
 *              chunk also runs, after each update, what worker.c runs
 *              (rule_engine.h, the built-in default rules, no number
 *              plans, rule memory for every subscriber) -> the rules'
 *              cost per event, measured interleaved with the stream's own
 *              so the machine's noise falls on both alike.
 *   3 lookup   the same M IMSIs again, cs_subscriber_find only -> the
 *              lookup's share of the cost.
 *
 * Events are generated in chunks of CHUNK_EVENTS (not timed) and applied
 * (timed): the generator's work stays out of the numbers, and its memory
 * stays small beside the table's. The thread's CPU time is measured beside
 * wall time: below about 95% the machine ran something else and the rate
 * understates the code.
 *
 * Memory is reported three ways: the table's own account of what it
 * allocated (cs_subscriber_table_bytes: index, records, CLOCK bits, free
 * list), the distinct pool (exact slots x CS_DISTINCT_EXACT_SLOT_BYTES and
 * sketch slots x CS_DISTINCT_SLOT_BYTES, the worker's whatever N is), with
 * how many of each were taken, refused and in use at the end, and the
 * process RSS growth from before the table is
 * created to after it is filled, as an independent check.
 *
 * Every phase is checked (the table holds N subscribers after the fill,
 * the stream created and evicted none, every event was applied, none was
 * too old for its windows, every lookup hit); a mismatch fails the run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_machine.h"
#include "gen_random.h"
#include "cs_build_config.h"
#include "distinct.h"
#include "rule_engine.h"
#include "subscriber_state.h"
#include "subscriber_table.h"

enum {
	CHUNK_EVENTS = 4096,    /* generated, then applied, at a time */
	PEERS = 4096,           /* data destinations, shared by all subscribers */
	SHORT_CODES = 64,
	NEIGHBOUR_CELLS = 4,    /* cells a subscriber moves between */
	RAT_EUTRAN = 6,
	MAX_SUBSCRIBERS = 1 << 30, /* the table's limit */
};

#define TARGET_BYTES_PER_SUBSCRIBER 256.0

static const uint64_t NS_PER_S = 1000000000ull;
static const uint64_t START_NS = 1767600000ull * 1000000000ull; /* 2026-01-05T08:00:00Z, event time */
static const uint64_t STREAM_SPAN_NS = 4 * 3600ull * 1000000000ull; /* 4 hours: hourly buckets roll 4 times */
static const uint64_t IMSI_SPACE = 10000000000ull;                 /* the 10 digits after 00101 */

/* ---- options ---- */

struct options {
	uint32_t subscribers;
	uint64_t events;
	uint64_t seed;
	uint32_t sketch_slots;
	uint32_t exact_slots;
	const char *json;
};

static void usage(FILE *out)
{
	fputs("usage: cdrsentry-bench-state [--subscribers N] [--events M] [--seed S]\n"
	      "         [--sketch-slots K] [--exact-slots E] [--json FILE]\n"
	      "State updates per second of one worker, and bytes per subscriber, with N\n"
	      "subscribers in its table and M events drawn uniformly over them (defaults:\n"
	      "1000000 subscribers, 10000000 events, seed 1, 1024 sketch slots as\n"
	      "capacity.sketch_slots, 65536 exact slots of 128 bytes; 0 exact slots:\n"
	      "every distinct count past 3 items takes a sketch slot).\n",
	      out);
}

static int parse_u64(const char *opt, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	return cs_bench_parse_u64("cdrsentry-bench-state", opt, arg, min, max, out);
}

/* Returns 0, 1 after --help, or 2 for bad usage (the message is printed). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "subscribers", required_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "seed", required_argument, NULL, 'S' },
		{ "sketch-slots", required_argument, NULL, 'k' },
		{ "exact-slots", required_argument, NULL, 'x' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v = 0;
	int c;

	*o = (struct options){
		.subscribers = 1000000, .events = 10000000, .seed = 1, .sketch_slots = 1024, .exact_slots = 65536,
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 'n':
			bad = parse_u64("--subscribers", optarg, 1, MAX_SUBSCRIBERS, &v);
			o->subscribers = (uint32_t)v;
			break;
		case 'e': bad = parse_u64("--events", optarg, 1, UINT64_MAX / 2, &o->events); break;
		case 'S': bad = parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed); break;
		case 'k':
			/* the configuration's range for capacity.sketch_slots */
			bad = parse_u64("--sketch-slots", optarg, 0, 1u << 20, &v);
			o->sketch_slots = (uint32_t)v;
			break;
		case 'x':
			bad = parse_u64("--exact-slots", optarg, 0, CS_DISTINCT_MAX_EXACT_SLOTS, &v);
			o->exact_slots = (uint32_t)v;
			break;
		case 'j': o->json = optarg; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return 2;
		}
		if (bad)
			return 2;
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* ---- identities ---- */

/* A uniform draw from [0, n); the modulo bias is below 2^-30 for every n used here. */
static uint64_t below(uint64_t *rng, uint64_t n)
{
	return cs_gen_random(rng) % n;
}

/* prefix followed by v in exactly width digits (zero-padded), packed. */
static cs_digits number(const char *prefix, uint64_t v, unsigned int width)
{
	char s[CS_DIGITS_MAX + 1];
	size_t p = strlen(prefix);

	memcpy(s, prefix, p);
	for (unsigned int i = width; i > 0; i--, v /= 10)
		s[p + i - 1] = (char)('0' + v % 10);
	return cs_digits_from_ascii(s, p + width);
}

/*
 * Subscriber i's IMSI: 00101 and 10 digits. Multiplying by an odd number
 * not divisible by 5 permutes the residues mod 10^10, so N subscribers
 * get N distinct IMSIs, scattered (the seed picks the offset) rather than
 * consecutive.
 */
struct identities {
	uint64_t imsi_offset;
};

static cs_digits imsi_of(const struct identities *id, uint64_t i)
{
	return number("00101", (i * 2654435761ull + id->imsi_offset) % IMSI_SPACE, 10);
}

static cs_digits msisdn_of(uint64_t i)
{
	return number("44", i, 10);
}

static cs_digits imei_of(uint64_t i)
{
	return number("35332510", i % 10000000, 7); /* one TAC, 7-digit serials */
}

static uint32_t home_cell_of(uint64_t i)
{
	return (uint32_t)(i % 50000) * 16 + 1;
}

/* Any 64-bit identity will do for a data destination: the worker hashes the peer's address to one. */
static uint64_t peer_of(uint64_t p)
{
	uint64_t s = p;

	return cs_gen_random(&s);
}

static const char *const NAMED_SENDERS[] = { "BANK", "GOOGLE", "WHATSAPP", "UBER", "PAYPAL", "AMAZON" };

/* ---- events ---- */

enum event_kind { EV_DATA_UP, EV_DATA_DOWN, EV_IDENTITY, EV_CALL_MO, EV_CALL_MT, EV_SMS_MO, EV_SMS_MT, EV_KINDS };

/* The mix, per mille (see the top of the file); the names as the summary and the JSON show them. */
static const struct {
	const char *name;
	unsigned int per_mille;
} KINDS[EV_KINDS] = {
	[EV_DATA_UP] = { "data_up", 380 },  [EV_DATA_DOWN] = { "data_down", 380 },
	[EV_IDENTITY] = { "identity", 50 }, [EV_CALL_MO] = { "call_mo", 60 },
	[EV_CALL_MT] = { "call_mt", 50 },   [EV_SMS_MO] = { "sms_mo", 40 },
	[EV_SMS_MT] = { "sms_mt", 40 },
};

struct event {
	cs_digits imsi;
	cs_digits other;   /* peer, callee, caller, recipient, sender or MSISDN */
	cs_digits imei;    /* identity */
	uint64_t ts_ns;
	const char *alpha; /* a named SMS sender */
	uint32_t value;    /* bytes, call seconds or cell */
	uint8_t kind;
	bool flag;         /* answered */
};

static enum event_kind kind_of(uint64_t *rng)
{
	unsigned int r = (unsigned int)below(rng, 1000);
	unsigned int k = 0;

	while (r >= KINDS[k].per_mille) {
		r -= KINDS[k].per_mille;
		k++;
	}
	return (enum event_kind)k;
}

static void sms_mt_sender(uint64_t *rng, uint32_t subscribers, struct event *e)
{
	unsigned int r = (unsigned int)below(rng, 10);

	if (r < 5) {
		uint64_t code = below(rng, SHORT_CODES);
		e->other = number("1069", code, code < 10 ? 1 : 2); /* 5 and 6 digits: short codes */
	} else if (r < 7) {
		e->other = CS_DIGITS_NONE;
		e->alpha = NAMED_SENDERS[below(rng, sizeof(NAMED_SENDERS) / sizeof(NAMED_SENDERS[0]))];
	} else {
		e->other = msisdn_of(below(rng, subscribers));
	}
}

/* One event of the stream for a subscriber drawn uniformly. */
static void make_event(const struct identities *id, uint64_t *rng, uint32_t subscribers, uint64_t ts_ns,
		       struct event *e)
{
	uint64_t i = below(rng, subscribers);

	*e = (struct event){ .imsi = imsi_of(id, i), .ts_ns = ts_ns, .kind = (uint8_t)kind_of(rng) };
	switch ((enum event_kind)e->kind) {
	case EV_DATA_UP:
	case EV_DATA_DOWN:
		e->other = peer_of(below(rng, PEERS));
		e->value = 40 + (uint32_t)below(rng, 1461);
		break;
	case EV_IDENTITY:
		e->other = msisdn_of(i);
		e->imei = imei_of(i);
		e->value = home_cell_of(i) + (uint32_t)below(rng, NEIGHBOUR_CELLS);
		break;
	case EV_CALL_MO:
		e->flag = below(rng, 10) < 7;
		e->value = 5 + (uint32_t)below(rng, 596);
		e->other = msisdn_of(below(rng, subscribers));
		break;
	case EV_CALL_MT: /* the caller, like an SMS recipient, is another subscriber */
	case EV_SMS_MO:
		e->other = msisdn_of(below(rng, subscribers));
		break;
	case EV_SMS_MT:
		sms_mt_sender(rng, subscribers, e);
		break;
	case EV_KINDS:
		break;
	}
}

/* ---- the worker's state ---- */

struct shard {
	struct cs_subscriber_table *table;
	struct cs_state_ctx state;
	struct cs_rule_set rules;
	struct cs_rule_engine engine;
};

/* The anomalies are counted by the engine; where a worker would send them on, the benchmark stops. */
static void drop_anomaly(void *arg, struct cs_rec_anomaly *a)
{
	(void)arg;
	(void)a;
}

static void release_state(void *record, void *arg)
{
	cs_state_release(arg, record);
}

/* The record of imsi, created on first sight, as worker.c gets it: *created says which. */
static struct cs_subscriber *subscriber(struct shard *w, cs_digits imsi, int *created)
{
	return cs_subscriber_get(w->table, imsi, created, release_state, &w->state);
}

/*
 * What a worker does for one event, and with rules the checks it runs
 * after it (worker.c): returns 1 if it had to create the subscriber.
 */
static int apply(struct shard *w, const struct event *e, bool rules)
{
	int created;
	struct cs_subscriber *s = subscriber(w, e->imsi, &created);
	struct cs_state_ctx *x = &w->state;
	struct cs_rule_engine *r = &w->engine;
	uint32_t silent_since = s->last_seen_s;
	bool mo = e->kind == EV_CALL_MO || e->kind == EV_SMS_MO;
	/* a short code with no plan: cs_rule_is_service() of the default rules */
	bool service = cs_digits_len(e->other) <= 6;

	switch ((enum event_kind)e->kind) {
	case EV_DATA_UP:
	case EV_DATA_DOWN:
		cs_state_on_data(x, s, e->kind == EV_DATA_UP, e->value, e->other, e->ts_ns);
		if (rules)
			cs_rules_after_data(r, s, silent_since, e->ts_ns);
		break;
	case EV_IDENTITY:
		cs_state_on_identity(x, s, e->other, e->imei, e->value, RAT_EUTRAN, e->ts_ns);
		if (rules)
			cs_rules_after_identity(r, s, true, silent_since, e->ts_ns);
		break;
	case EV_CALL_MO:
	case EV_CALL_MT:
		cs_state_on_call(x, s, mo, e->other, e->flag, e->value, e->ts_ns);
		if (rules)
			cs_rules_after_call(r, s, mo, e->other, silent_since, e->ts_ns);
		break;
	case EV_SMS_MO:
	case EV_SMS_MT:
		cs_state_on_sms(x, s, mo, e->other, e->alpha, service, e->ts_ns);
		if (rules)
			cs_rules_after_sms(r, s, mo, e->other, e->alpha != NULL, service, silent_since, e->ts_ns);
		break;
	case EV_KINDS:
		break;
	}
	return created;
}

/* ---- timing and memory ---- */

struct timing {
	uint64_t ns, cpu_ns, events;
};

struct stopwatch {
	uint64_t ns, cpu_ns;
};

static struct stopwatch stopwatch_start(void)
{
	return (struct stopwatch){ cs_bench_clock_ns(CLOCK_MONOTONIC), cs_bench_clock_ns(CLOCK_THREAD_CPUTIME_ID) };
}

static void stopwatch_add(const struct stopwatch *sw, uint64_t events, struct timing *t)
{
	t->ns += cs_bench_clock_ns(CLOCK_MONOTONIC) - sw->ns;
	t->cpu_ns += cs_bench_clock_ns(CLOCK_THREAD_CPUTIME_ID) - sw->cpu_ns;
	t->events += events;
}

static double per_s(const struct timing *t)
{
	return t->ns > 0 ? (double)t->events * 1e9 / (double)t->ns : 0;
}

static double ns_per_event(const struct timing *t)
{
	return t->events > 0 ? (double)t->ns / (double)t->events : 0;
}

/* CPU time per event: less sensitive than wall time to a machine shared with other work. */
static double cpu_ns_per_event(const struct timing *t)
{
	return t->events > 0 ? (double)t->cpu_ns / (double)t->events : 0;
}

static double cpu_share(const struct timing *t)
{
	return t->ns > 0 ? (double)t->cpu_ns / (double)t->ns : 0;
}

/* Resident bytes of the process now (/proc/self/statm, second field), or 0 if unreadable. */
static uint64_t rss_bytes(void)
{
	unsigned long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* ---- the run ---- */

struct results {
	struct timing fill, stream, stream_rules, lookup;
	uint64_t anomalies, anomalies_suppressed;
	uint64_t kinds[EV_KINDS];
	uint64_t applied, created_in_stream, lookup_hits;
	uint64_t rss_before_create, rss_after_fill;
	size_t table_bytes, pool_bytes, exact_pool_bytes;
	struct cs_subscriber_table_stats table;
	struct cs_distinct_pool_stats pool;
	uint64_t too_old;
	long max_rss_kib;
};

static int expect(const char *phase, const char *what, uint64_t got, uint64_t want)
{
	return cs_bench_expect("cdrsentry-bench-state", phase, what, got, want);
}

/* The events being applied: generated a chunk at a time, outside the timed loops. */
static struct event chunk[CHUNK_EVENTS];

/* Every subscriber first seen, as a session's attach shows it: identity at the start of event time. */
static void fill(struct shard *w, const struct identities *id, uint32_t n, struct timing *t)
{
	struct event *e = chunk;

	for (uint32_t first = 0; first < n; first += CHUNK_EVENTS) {
		uint32_t count = n - first < CHUNK_EVENTS ? n - first : CHUNK_EVENTS;
		for (uint32_t k = 0; k < count; k++) {
			uint64_t i = first + k;
			e[k] = (struct event){ .imsi = imsi_of(id, i), .other = msisdn_of(i), .imei = imei_of(i),
					       .value = home_cell_of(i), .ts_ns = START_NS, .kind = EV_IDENTITY };
		}
		struct stopwatch sw = stopwatch_start();
		for (uint32_t k = 0; k < count; k++)
			apply(w, &e[k], false);
		stopwatch_add(&sw, count, t);
	}
}

/* Event time between consecutive events of the stream: M events spread evenly over STREAM_SPAN_NS. */
static uint64_t step_ns_of(const struct options *o)
{
	uint64_t step = STREAM_SPAN_NS / o->events;

	return step > 0 ? step : 1;
}

/* The stream's chunk starting at event `first`. */
static void make_chunk(const struct identities *id, const struct options *o, uint64_t *rng, uint64_t first,
		       uint64_t count, struct event *e)
{
	for (uint64_t k = 0; k < count; k++)
		make_event(id, rng, o->subscribers, START_NS + (first + k) * step_ns_of(o), &e[k]);
}

/*
 * Timed: lookup and update of every event, every other chunk with the
 * rules after each update. Counts kinds, events applied and subscribers
 * created.
 */
static void stream(struct shard *w, const struct identities *id, const struct options *o, struct results *r)
{
	struct event *e = chunk;
	uint64_t rng = o->seed;

	for (uint64_t first = 0; first < o->events; first += CHUNK_EVENTS) {
		uint64_t count = o->events - first < CHUNK_EVENTS ? o->events - first : CHUNK_EVENTS;
		bool rules = (first / CHUNK_EVENTS) % 2 == 1;
		make_chunk(id, o, &rng, first, count, e);
		uint64_t created = 0;
		struct stopwatch sw = stopwatch_start();
		for (uint64_t k = 0; k < count; k++)
			created += (uint64_t)apply(w, &e[k], rules);
		stopwatch_add(&sw, count, rules ? &r->stream_rules : &r->stream);
		r->created_in_stream += created;
		r->applied += count;
		for (uint64_t k = 0; k < count; k++)
			r->kinds[e[k].kind]++;
	}
}

/* Timed: the same IMSIs as the stream (same seed), found and nothing else. */
static void lookup_only(struct shard *w, const struct identities *id, const struct options *o, struct results *r)
{
	struct event *e = chunk;
	uint64_t rng = o->seed;

	for (uint64_t first = 0; first < o->events; first += CHUNK_EVENTS) {
		uint64_t count = o->events - first < CHUNK_EVENTS ? o->events - first : CHUNK_EVENTS;
		make_chunk(id, o, &rng, first, count, e);
		uint64_t hits = 0;
		struct stopwatch sw = stopwatch_start();
		for (uint64_t k = 0; k < count; k++)
			hits += cs_subscriber_find(w->table, e[k].imsi) != NULL;
		stopwatch_add(&sw, count, &r->lookup);
		r->lookup_hits += hits;
	}
}

static int run(const struct options *o, struct results *r)
{
	struct shard w = { 0 };
	struct identities id;
	uint64_t seed = o->seed ^ 0x5851f42d4c957f2dull;
	int rc = -1;

	id.imsi_offset = cs_gen_random(&seed) % IMSI_SPACE;
	cs_state_conf_default(&w.state.conf);
	/* as worker.c: the pool first, so the RSS growth below is the table's alone */
	w.state.pool = cs_distinct_pool_create(o->exact_slots, o->sketch_slots);
	r->rss_before_create = rss_bytes();
	w.table = cs_subscriber_table_create(o->subscribers, sizeof(struct cs_subscriber));
	if (w.table == NULL || w.state.pool == NULL) {
		fprintf(stderr,
			"cdrsentry-bench-state: out of memory for %u subscribers, %u exact slots and %u sketch slots\n",
			o->subscribers, o->exact_slots, o->sketch_slots);
		goto out;
	}
	fill(&w, &id, o->subscribers, &r->fill);
	r->rss_after_fill = rss_bytes();
	cs_rules_conf_default(&w.rules.conf);
	w.rules.country_code = CS_DIGITS_NONE;
	if (cs_rule_engine_init(&w.engine, &w.rules, &w.state, o->subscribers, drop_anomaly, NULL) != 0) {
		fprintf(stderr, "cdrsentry-bench-state: out of memory for the rule memory of %u subscribers\n",
			o->subscribers);
		goto out;
	}
	cs_subscriber_table_stats(w.table, &r->table);
	if (expect("fill", "subscribers in the table", r->table.active, o->subscribers) != 0 ||
	    expect("fill", "subscribers inserted", r->table.inserts, o->subscribers) != 0)
		goto out;

	stream(&w, &id, o, r);
	r->anomalies = w.engine.anomalies;
	r->anomalies_suppressed = w.engine.suppressed;
	lookup_only(&w, &id, o, r);
	cs_subscriber_table_stats(w.table, &r->table);
	r->table_bytes = cs_subscriber_table_bytes(w.table);
	r->pool = *cs_distinct_pool_stats(w.state.pool);
	r->pool_bytes = (size_t)o->sketch_slots * CS_DISTINCT_SLOT_BYTES;
	r->exact_pool_bytes = (size_t)o->exact_slots * CS_DISTINCT_EXACT_SLOT_BYTES;
	r->too_old = w.state.too_old;
	if (expect("stream", "events applied", r->applied, o->events) != 0 ||
	    (o->events > CHUNK_EVENTS && expect("stream", "chunks without rules and with them",
						r->stream.events > 0 && r->stream_rules.events > 0, 1) != 0) ||
	    expect("stream", "subscribers created", r->created_in_stream, 0) != 0 ||
	    expect("stream", "subscribers evicted", r->table.evictions, 0) != 0 ||
	    expect("stream", "events too old for their windows", r->too_old, 0) != 0 ||
	    expect("lookup", "subscribers found", r->lookup_hits, o->events) != 0)
		goto out;
	rc = 0;
out:
	cs_rule_engine_fini(&w.engine);
	cs_subscriber_table_free(w.table);
	cs_distinct_pool_free(w.state.pool);
	return rc;
}

/* ---- reporting ---- */

/* Which allocator the table's records came from: it sets the bytes a subscriber costs. */
#if CS_HAVE_JEMALLOC
static const char ALLOCATOR[] = "jemalloc"; /* linked as the process allocator, as in cdrsentry */
#else
static const char ALLOCATOR[] = "libc";
#endif

static double bytes_per_subscriber(const struct results *r, uint32_t n)
{
	return (double)r->table_bytes / n;
}

static double rss_per_subscriber(const struct results *r, uint32_t n)
{
	return (double)(r->rss_after_fill - r->rss_before_create) / n;
}

static void print_timing(const char *name, const char *what, const struct timing *t)
{
	printf("%-7s %11llu events  %7.3f M/s  %7.1f ns each (%.1f of CPU time)  cpu %3.0f%%  (%s)\n", name,
	       (unsigned long long)t->events, per_s(t) / 1e6, ns_per_event(t), cpu_ns_per_event(t), 100 * cpu_share(t),
	       what);
}

static void print_summary(const struct options *o, const struct cs_bench_machine *m, const char *when,
			  const struct results *r)
{
	printf("cdrsentry-bench-state %s, %s\n", CS_VERSION, when);
	printf("machine  %s, %ld CPUs online%s, %.1f GiB, THP %s\n", m->cpu_model, m->cpus_online,
	       m->hypervisor ? " (virtual machine)" : "", m->ram_gib, m->thp);
	printf("software %s, %s, allocator %s\n", m->kernel, cs_bench_compiler, ALLOCATOR);
	if (!CS_BENCH_BUILD_FOR_TIMING)
		printf("warning  not an optimised build, or a sanitizer build: these numbers say nothing of the code\n");
	printf("setup    %u subscribers, %llu events over %llu h of event time, seed %llu, %u exact slots, "
	       "%u sketch slots\n",
	       o->subscribers, (unsigned long long)o->events, (unsigned long long)(STREAM_SPAN_NS / 3600 / NS_PER_S),
	       (unsigned long long)o->seed, o->exact_slots, o->sketch_slots);
	print_timing("fill", "insert + identity, first sight", &r->fill);
	print_timing("stream", "lookup + update: state updates per worker", &r->stream);
	print_timing("rules", "the same, then the rules (the other half of the chunks)", &r->stream_rules);
	printf("rules    %+.1f ns an event (CPU time %+.1f): %.0f%% of an update; %llu anomalies, %llu suppressed\n",
	       ns_per_event(&r->stream_rules) - ns_per_event(&r->stream),
	       cpu_ns_per_event(&r->stream_rules) - cpu_ns_per_event(&r->stream),
	       ns_per_event(&r->stream) > 0 ? 100 * (ns_per_event(&r->stream_rules) / ns_per_event(&r->stream) - 1) : 0,
	       (unsigned long long)r->anomalies, (unsigned long long)r->anomalies_suppressed);
	print_timing("lookup", "the same IMSIs, lookup only", &r->lookup);
	printf("mix     ");
	for (unsigned int k = 0; k < EV_KINDS; k++)
		printf(" %s %llu", KINDS[k].name, (unsigned long long)r->kinds[k]);
	printf("\n");
	printf("memory   table %.1f MiB: %.1f bytes a subscriber (record %zu + index, CLOCK bit, free list); "
	       "target <= %.0f: %s\n",
	       (double)r->table_bytes / (1 << 20), bytes_per_subscriber(r, o->subscribers),
	       sizeof(struct cs_subscriber), TARGET_BYTES_PER_SUBSCRIBER,
	       bytes_per_subscriber(r, o->subscribers) <= TARGET_BYTES_PER_SUBSCRIBER ? "met" : "not met");
	printf("         RSS grew %.1f MiB from create to full: %.1f bytes a subscriber; max RSS %.1f MiB\n",
	       (double)(r->rss_after_fill - r->rss_before_create) / (1 << 20), rss_per_subscriber(r, o->subscribers),
	       (double)r->max_rss_kib / 1024);
	printf("exact    pool %.1f MiB (%u slots x %d B, per worker whatever N); promotions %llu, refused %llu "
	       "(to a sketch slot or a lower bound), in use %u\n",
	       (double)r->exact_pool_bytes / (1 << 20), o->exact_slots, CS_DISTINCT_EXACT_SLOT_BYTES,
	       (unsigned long long)r->pool.exact_promotions, (unsigned long long)r->pool.exact_refused,
	       r->pool.exact_in_use);
	printf("sketches pool %.1f MiB (%u slots x %d B, per worker whatever N); promotions %llu, sketches %llu, "
	       "refused %llu (lower bounds), items lost %llu, in use %u\n",
	       (double)r->pool_bytes / (1 << 20), o->sketch_slots, CS_DISTINCT_SLOT_BYTES,
	       (unsigned long long)r->pool.promotions, (unsigned long long)r->pool.sketches,
	       (unsigned long long)r->pool.promotions_refused, (unsigned long long)r->pool.items_lost,
	       r->pool.in_use);
}

static void json_timing(FILE *f, const char *name, const struct timing *t)
{
	fprintf(f, "  \"%s_events\": %llu,\n  \"%s_events_per_s\": %.0f,\n  \"%s_ns_per_event\": %.1f,\n"
		   "  \"%s_cpu_ns_per_event\": %.1f,\n  \"%s_cpu_share\": %.3f,\n",
		name, (unsigned long long)t->events, name, per_s(t), name, ns_per_event(t), name, cpu_ns_per_event(t),
		name, cpu_share(t));
}

static void json_machine(FILE *f, const struct cs_bench_machine *m)
{
	cs_bench_json_machine(f, m);
	fprintf(f, "  \"transparent_hugepages\": ");
	cs_bench_json_str(f, m->thp);
	fprintf(f, ",\n  \"compiler\": ");
	cs_bench_json_str(f, cs_bench_compiler);
	fprintf(f, ",\n  \"allocator\": \"%s\",\n  \"build_for_timing\": %s,\n", ALLOCATOR,
		CS_BENCH_BUILD_FOR_TIMING ? "true" : "false");
}

static int write_json(const struct options *o, const struct cs_bench_machine *m, const char *when,
		      const struct results *r)
{
	FILE *f = fopen(o->json, "w");

	if (f == NULL) {
		fprintf(stderr, "cdrsentry-bench-state: %s: %s\n", o->json, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"benchmark\": \"state\",\n  \"version\": \"%s\",\n  \"time\": \"%s\",\n", CS_VERSION, when);
	json_machine(f, m);
	fprintf(f, "  \"subscribers\": %u,\n  \"events\": %llu,\n  \"seed\": %llu,\n  \"sketch_slots\": %u,\n"
		   "  \"exact_slots\": %u,\n  \"event_time_span_s\": %llu,\n",
		o->subscribers, (unsigned long long)o->events, (unsigned long long)o->seed, o->sketch_slots,
		o->exact_slots, (unsigned long long)(STREAM_SPAN_NS / NS_PER_S));
	json_timing(f, "fill", &r->fill);
	json_timing(f, "stream", &r->stream);
	json_timing(f, "stream_rules", &r->stream_rules);
	fprintf(f, "  \"rules_ns_per_event\": %.1f,\n  \"rules_cpu_ns_per_event\": %.1f,\n  \"anomalies\": %llu,\n"
		   "  \"anomalies_suppressed\": %llu,\n",
		ns_per_event(&r->stream_rules) - ns_per_event(&r->stream),
		cpu_ns_per_event(&r->stream_rules) - cpu_ns_per_event(&r->stream), (unsigned long long)r->anomalies,
		(unsigned long long)r->anomalies_suppressed);
	json_timing(f, "lookup", &r->lookup);
	for (unsigned int k = 0; k < EV_KINDS; k++)
		fprintf(f, "  \"events_%s\": %llu,\n", KINDS[k].name, (unsigned long long)r->kinds[k]);
	fprintf(f, "  \"record_bytes\": %zu,\n  \"table_bytes\": %zu,\n  \"bytes_per_subscriber\": %.1f,\n"
		   "  \"target_bytes_per_subscriber\": %.0f,\n  \"bytes_target_met\": %s,\n",
		sizeof(struct cs_subscriber), r->table_bytes, bytes_per_subscriber(r, o->subscribers),
		TARGET_BYTES_PER_SUBSCRIBER,
		bytes_per_subscriber(r, o->subscribers) <= TARGET_BYTES_PER_SUBSCRIBER ? "true" : "false");
	fprintf(f, "  \"rss_before_create_bytes\": %llu,\n  \"rss_after_fill_bytes\": %llu,\n"
		   "  \"rss_growth_per_subscriber\": %.1f,\n  \"max_rss_kib\": %ld,\n",
		(unsigned long long)r->rss_before_create, (unsigned long long)r->rss_after_fill,
		rss_per_subscriber(r, o->subscribers), r->max_rss_kib);
	fprintf(f, "  \"exact_pool_bytes\": %zu,\n  \"exact_promotions\": %llu,\n"
		   "  \"exact_promotions_refused\": %llu,\n  \"exact_slots_in_use\": %u,\n",
		r->exact_pool_bytes, (unsigned long long)r->pool.exact_promotions,
		(unsigned long long)r->pool.exact_refused, r->pool.exact_in_use);
	fprintf(f, "  \"sketch_pool_bytes\": %zu,\n  \"sketch_promotions\": %llu,\n  \"sketches\": %llu,\n"
		   "  \"sketch_promotions_refused\": %llu,\n  \"items_lost\": %llu,\n  \"sketch_slots_in_use\": %u\n}\n",
		r->pool_bytes, (unsigned long long)r->pool.promotions, (unsigned long long)r->pool.sketches,
		(unsigned long long)r->pool.promotions_refused, (unsigned long long)r->pool.items_lost, r->pool.in_use);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "cdrsentry-bench-state: %s: write failed\n", o->json);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct results r; /* zeroed */
	struct options o;
	struct cs_bench_machine m;
	struct rusage ru;
	char when[32];

	int prc = parse_options(argc, argv, &o);
	if (prc != 0)
		return prc == 1 ? 0 : 2;
	cs_bench_machine_of(&m);
	cs_bench_utc_now(when, sizeof(when));
	if (run(&o, &r) != 0)
		return 1;
	getrusage(RUSAGE_SELF, &ru);
	r.max_rss_kib = ru.ru_maxrss;
	print_summary(&o, &m, when, &r);
	return o.json != NULL && write_json(&o, &m, when, &r) != 0 ? 1 : 0;
}
