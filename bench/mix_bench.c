/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-bench-mix: what the pipeline's two kinds of lcore sustain
 * together on a realistic mix of mobile-core traffic, with a population
 * of N subscribers attached: the figure issue 6 asks for at 1 M and 10 M
 * subscribers, which no capture replayed through a port can give on a
 * machine of this size (10 M attaches alone are 40 M frames, 10 GB).
 *
 * There are no ports. Frames are built in memory (bench_frames.h) and
 * decoded as rx.c decodes them (decode_rig.h); the events go to a real
 * worker, with its sessions, subscriber state, device, cell and number
 * block aggregates and rules (dataplane/worker.c, the built-in rule
 * defaults, no number plans); its records (CDRs, anomalies) come back on
 * a ring that the decode lcore empties after each burst, counting and
 * discarding them (export is not measured here):
 *
 *   lcore 0, decode (CPU a)                                    lcore 1, worker (CPU b)
 *   frames -> decode stage -> [ SPSC ring, 16384 x 64 B ] ---> cs_worker_lcore_main
 *        ^                                                          |
 *        +----------- take, count, discard <- [ records ring ] <----+
 *
 * The emitter waits when the event ring is full, as in a replay: nothing
 * is dropped, so the rate is that of the slower lcore, and the waits say
 * which one it is (many: the worker).
 *
 * Phases, each checked against the counters it must leave:
 *
 *   1 attach  every subscriber's Create Session and Modify Bearer, requests
 *             and responses (cs_mix_attach): the directory holds its
 *             session, the worker its session, subscriber record and
 *             device, its cell and number block their sightings.
 *   2 mix     a ring of units of the mix (bench/gen/mix.h: 95% G-PDUs, 4%
 *             GTP-C handovers, 1% SIP), each G-PDU re-addressed to a random
 *             subscriber as it is replayed (so all N are reached, not the
 *             ring's few), replayed in rounds; a round ends when the worker
 *             has taken every event it was sent -> Mpps of the two lcores,
 *             cycles a packet on the decode lcore.
 *
 * cdrsentry-gen --mix writes the same mix to a capture, for the peers.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "bench_eal.h"
#include "bench_frames.h"
#include "bench_machine.h"
#include "decode_rig.h"
#include "event_ring.h"
#include "worker.h"

static const char PROG[] = "cdrsentry-bench-mix";

enum {
	EVENT_RING_SLOTS = 16384,   /* as the pipeline's event rings */
	RECORD_RING_SLOTS = 16384,  /* as the pipeline's export rings */
	RECORD_SLOTS = 128,         /* records taken after a burst, at most */
	UNIT_FRAMES = CS_MIX_UNIT_FRAMES,
	SIP_BLOCK = CS_MIX_SIP_BLOCK_UNITS,
};

/* ---- options ---- */

struct options {
	uint32_t subscribers;
	uint64_t packets;
	uint32_t units; /* the ring's frames / UNIT_FRAMES, a whole number of SIP blocks (mix.h) */
	uint32_t rounds;
	uint64_t seed;
	unsigned int cpu[2]; /* decode, worker */
	uint32_t mem_mb;     /* 0: sized from subscribers */
	bool hugepages;
	const char *json;
};

static void usage(FILE *out)
{
	fputs("usage: cdrsentry-bench-mix [--subscribers N] [--packets N] [--frames N] [--rounds N]\n"
	      "         [--seed N] [--cpus DECODE,WORKER] [--mem-mb N] [--hugepages] [--json FILE]\n"
	      "The decode lcore and one worker together on a mix of 95% G-PDUs, 4% GTP-C\n"
	      "(handovers) and 1% SIP, with N subscribers attached (defaults: 1000000\n"
	      "subscribers, 20000000 packets from a ring of 100000 frames, 5 rounds, seed 1,\n"
	      "CPUs 0,1). --frames is rounded down to a multiple of 10000. DPDK's memory is on\n"
	      "4 KiB pages, or with --hugepages on 2 MiB pages reserved beforehand.\n",
	      out);
}

static int parse_u64(const char *opt, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	return cs_bench_parse_u64(PROG, opt, arg, min, max, out);
}

static int parse_cpus(const char *arg, unsigned int cpu[2])
{
	unsigned int a, b;
	char tail;

	if (sscanf(arg, "%u,%u%c", &a, &b, &tail) != 2 || a >= RTE_MAX_LCORE || b >= RTE_MAX_LCORE || a == b) {
		fprintf(stderr, "%s: --cpus: '%s' is not two different CPU numbers, e.g. 0,1\n", PROG, arg);
		return -1;
	}
	cpu[0] = a;
	cpu[1] = b;
	return 0;
}

/* Returns 0, 1 after --help, or 2 for bad usage (the message is printed). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "subscribers", required_argument, NULL, 'n' },
		{ "packets", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'f' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem-mb", required_argument, NULL, 'm' },
		{ "hugepages", no_argument, NULL, 'H' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v = 0;
	int c;

	*o = (struct options){
		.subscribers = 1000000, .packets = 20000000, .units = 1000, .rounds = 5, .seed = 1, .cpu = { 0, 1 },
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 'n':
			bad = parse_u64("--subscribers", optarg, 1000, CS_MIX_MAX_SESSIONS, &v);
			o->subscribers = (uint32_t)v;
			break;
		case 'p': bad = parse_u64("--packets", optarg, 1, UINT64_MAX / 2, &o->packets); break;
		case 'f':
			bad = parse_u64("--frames", optarg, UNIT_FRAMES * SIP_BLOCK, 1u << 24, &v);
			o->units = (uint32_t)(v / UNIT_FRAMES / SIP_BLOCK * SIP_BLOCK);
			break;
		case 'r': bad = parse_u64("--rounds", optarg, 1, CS_BENCH_MAX_ROUNDS, &v); o->rounds = (uint32_t)v; break;
		case 'S': bad = parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed); break;
		case 'c': bad = parse_cpus(optarg, o->cpu); break;
		case 'm': bad = parse_u64("--mem-mb", optarg, 64, 1u << 22, &v); o->mem_mb = (uint32_t)v; break;
		case 'H': o->hugepages = true; break;
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
	/*
	 * DPDK's heap holds the directory (976-1131 bytes a session,
	 * docs/benchmarks.md) and the worker's sessions (a 320-byte record and
	 * its index entry): 1280 + 448 leave room; 512 MiB hold the trackers,
	 * the rings and EAL's own. The worker's other tables are malloc'd.
	 */
	if (o->mem_mb == 0)
		o->mem_mb = 512 + (uint32_t)((uint64_t)o->subscribers * (1280 + 448) / (1u << 20));
	return 0;
}

/* ---- the worker and its records ---- */

struct bench {
	struct options o;
	struct cs_bench_rig rig;
	struct rte_ring *events, *records;
	struct cs_rule_set rules;
	struct cs_worker_ctx worker;
	unsigned int worker_lcore;
	bool worker_running;
	uint64_t records_taken, anomalies_taken;
};

/* After each burst: the worker's records, counted and discarded, so it never waits for export. */
static void take_records(void *arg)
{
	struct bench *b = arg;
	union cs_event_slot buf[RECORD_SLOTS];
	unsigned int n;

	while ((n = cs_event_ring_take(b->records, buf, RECORD_SLOTS)) > 0)
		for (unsigned int at = 0; at < n; at += buf[at].h.slots) {
			b->records_taken++;
			b->anomalies_taken += buf[at].h.kind == CS_REC_ANOMALY;
		}
}

/* Until the worker has taken every event sent so far (its records go on being taken meanwhile). */
static void wait_for_worker(struct bench *b)
{
	cs_emit_flush(&b->rig.ctx.emit, &b->rig.ctx.st);
	while (rte_ring_count(b->events) > 0) {
		take_records(b);
		rte_pause();
	}
}

static int setup(struct bench *b)
{
	char err[256];
	int socket = (int)rte_socket_id();
	uint32_t n = b->o.subscribers, slack = n / 16 + 1024;

	b->events = cs_event_ring_create("cs_mix_events", EVENT_RING_SLOTS, socket);
	b->records = cs_event_ring_create("cs_mix_records", RECORD_RING_SLOTS, socket);
	if (b->events == NULL || b->records == NULL) {
		fprintf(stderr, "%s: rings: %s\n", PROG, rte_strerror(rte_errno));
		return -1;
	}
	if (cs_bench_rig_create(&b->rig, PROG, n, b->events, true, b->o.seed) != 0)
		return -1;
	cs_rules_conf_default(&b->rules.conf);
	b->rules.country_code = CS_DIGITS_NONE;
	struct cs_worker_conf wc = {
		.sessions = n + slack, .subscribers = n + slack, .exact_slots = n / 5 + 1024, .sketch_slots = 1024,
		.devices = n + slack, .cells = 2 * CS_MIX_CELLS, .number_blocks = n / 1000 + 1024, .rule_memory = n / 4 + 1024,
		.rules = &b->rules,
	};
	cs_state_conf_default(&wc.state);
	cs_block_conf_default(&wc.block);
	if (cs_worker_init(&b->worker, 0, &wc, socket, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s (with --mem-mb %u)\n", PROG, err, b->o.mem_mb);
		return -1;
	}
	b->worker.nin = 1;
	b->worker.in[0] = b->events;
	b->worker.out = b->records;
	b->worker_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	int rc = rte_eal_remote_launch(cs_worker_lcore_main, &b->worker, b->worker_lcore);
	if (rc != 0) {
		fprintf(stderr, "%s: worker lcore %u: %s\n", PROG, b->worker_lcore, rte_strerror(-rc));
		return -1;
	}
	b->worker_running = true;
	return 0;
}

/* END down the event ring; the worker then writes its open sessions' records, which are taken too. */
static void stop_worker(struct bench *b)
{
	struct cs_decode_ctx *c = &b->rig.ctx;
	union cs_event_slot end = { .h = { .kind = CS_EV_END, .slots = 1, .ts_ns = b->rig.ts_ns } };

	if (!b->worker_running)
		return;
	b->worker_running = false;
	cs_emit_to(&c->emit, 0, &end, &c->st);
	cs_emit_flush(&c->emit, &c->st);
	while (!__atomic_load_n(&b->worker.finished, __ATOMIC_ACQUIRE)) {
		take_records(b);
		rte_pause();
	}
	rte_eal_wait_lcore(b->worker_lcore);
	take_records(b);
}

static void teardown(struct bench *b)
{
	stop_worker(b);
	cs_worker_fini(&b->worker);
	cs_bench_rig_free(&b->rig);
	rte_ring_free(b->events);
	rte_ring_free(b->records);
}

/* ---- the mix ---- */

/* The ring: whole units of the mix, so that whole SIP dialogs replay. */
static int build_mix(struct bench *b, struct cs_bench_frames *s)
{
	struct cs_mix m = { .sessions = b->o.subscribers, .seed = b->o.seed, .rng = b->o.seed ^ 0x6d6978 };

	for (uint32_t u = 0; u < b->o.units; u++)
		if (cs_mix_unit(&s->sink, &m, u) != 0)
			return -1;
	return 0;
}

/* ---- checks ---- */

static int expect(const char *phase, const char *what, uint64_t got, uint64_t want)
{
	return cs_bench_expect(PROG, phase, what, got, want);
}

#define DELTA(after, before, field) ((after)->field - (before)->field)

static int check_attach(const struct bench *b, const struct cs_decode_stats *was)
{
	const struct cs_decode_stats *st = &b->rig.ctx.st;
	uint64_t n = b->o.subscribers;

	return expect("attach", "sessions_opened", DELTA(st, was, sessions_opened), n) |
	       expect("attach", "gtpc_unmatched_responses", DELTA(st, was, gtpc_unmatched_responses), 0) |
	       expect("attach", "events_dropped", DELTA(st, was, events_dropped), 0) |
	       expect("attach", "frames rejected", cs_bench_rejected(st) - cs_bench_rejected(was), 0);
}

/* Every G-PDU found its session, every handover its transaction, every dialog its end. */
static int check_mix(const struct bench *b, const struct cs_decode_stats *was, uint64_t units)
{
	const struct cs_decode_stats *st = &b->rig.ctx.st;
	uint64_t sip = units * CS_MIX_UNIT_SIP;

	/* half the SIP messages ride a caller's IMS bearer: G-PDUs too (mix.h) */
	return expect("mix", "gtpu_teid_hits", DELTA(st, was, gtpu_teid_hits), units * CS_MIX_UNIT_GPDUS + sip / 2) |
	       expect("mix", "gtpu_teid_misses", DELTA(st, was, gtpu_teid_misses), 0) |
	       expect("mix", "gtpv2c_messages", DELTA(st, was, gtpv2c_messages), units * 2 * CS_MIX_UNIT_HANDOVERS) |
	       expect("mix", "gtpc_unmatched_responses", DELTA(st, was, gtpc_unmatched_responses), 0) |
	       expect("mix", "sip_messages", DELTA(st, was, sip_messages), sip) |
	       expect("mix", "sip_calls_timed_out", DELTA(st, was, sip_calls_timed_out), 0) |
	       expect("mix", "events_dropped", DELTA(st, was, events_dropped), 0) |
	       expect("mix", "frames rejected", cs_bench_rejected(st) - cs_bench_rejected(was), 0);
}

/* After the worker stopped: it applied every data event, and no table was too small. */
static int check_worker(const struct bench *b, uint64_t gpdus)
{
	const struct cs_worker_stats *w = &b->worker.st;

	return expect("worker", "data_events", w->data_events, gpdus) |
	       expect("worker", "sessions_table_full", w->sessions_table_full, 0) |
	       expect("worker", "subscriber_evictions", w->subscriber_evictions, 0) |
	       expect("worker", "device_evictions", w->device_evictions, 0) |
	       expect("worker", "subscribers", w->subscribers, b->o.subscribers);
}

/* ---- results ---- */

struct results {
	struct cs_bench_machine m;
	char when[32];
	struct cs_bench_timing attach;
	struct cs_bench_rounds mix;
	struct cs_decode_stats st;
	uint64_t ring_full_waits_mix;
	long max_rss_kib;
};

static void print_summary(const struct bench *b, const struct results *r)
{
	const struct options *o = &b->o;
	const struct cs_worker_stats *w = &b->worker.st;
	struct cs_bench_rate attach = cs_bench_rate_of(&r->attach), all = cs_bench_rate_of(&r->mix.all);

	cs_bench_eal_print_header(PROG, r->when, &r->m, CS_BENCH_BUILD_FOR_TIMING);
	printf("setup    %u subscribers, decode on CPU %u, one worker on CPU %u, %u rounds, seed %llu, -m %u on %s\n",
	       o->subscribers, o->cpu[0], o->cpu[1], o->rounds, (unsigned long long)o->seed, o->mem_mb,
	       cs_bench_eal_pages(o->hugepages));
	printf("mix      %d%% G-PDUs, %d%% GTP-C (handovers), %d%% SIP; a ring of %u frames\n", CS_MIX_UNIT_GPDUS,
	       2 * CS_MIX_UNIT_HANDOVERS, CS_MIX_UNIT_SIP, o->units * UNIT_FRAMES);
	printf("attach %11llu msgs  %13.3f M msgs/s  %6.0f cycles each  (decode + worker, one pass, %.2f s)\n",
	       (unsigned long long)r->attach.frames, attach.per_s / 1e6, attach.tsc_per, (double)r->attach.ns / 1e9);
	printf("mix    %11llu pkts  median %6.3f Mpps      %6.0f cycles each  cpu %3.0f%%  "
	       "(rounds: slowest %.3f, fastest %.3f)\n",
	       (unsigned long long)r->mix.all.frames, r->mix.median.per_s / 1e6, r->mix.median.tsc_per,
	       100 * all.cpu_share, r->mix.slowest.per_s / 1e6, r->mix.fastest.per_s / 1e6);
	printf("ring     %llu waits for room in the event ring during the mix: %s\n",
	       (unsigned long long)r->ring_full_waits_mix,
	       r->ring_full_waits_mix > r->mix.all.frames / 1000 ? "the worker is the slower lcore"
								 : "the decode lcore is the slower");
	printf("worker   %llu data, %llu session, %llu call events; %llu subscribers, %llu devices, "
	       "%llu records (%llu anomalies)\n",
	       (unsigned long long)w->data_events, (unsigned long long)w->session_events,
	       (unsigned long long)w->call_events, (unsigned long long)w->subscribers, (unsigned long long)w->devices,
	       (unsigned long long)b->records_taken, (unsigned long long)b->anomalies_taken);
	printf("memory   max RSS %.1f MiB\n", (double)r->max_rss_kib / 1024);
}

static int write_json(const struct bench *b, const struct results *r, const char *path)
{
	const struct options *o = &b->o;
	const struct cs_worker_stats *w = &b->worker.st;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	cs_bench_eal_json_header(f, "mix", r->when, &r->m, CS_BENCH_BUILD_FOR_TIMING);
	fprintf(f, "  \"decode_cpu\": %u,\n  \"worker_cpu\": %u,\n  \"workers\": 1,\n  \"rounds\": %u,\n"
		   "  \"seed\": %llu,\n  \"mem_mb\": %u,\n  \"hugepages\": %s,\n",
		o->cpu[0], o->cpu[1], o->rounds, (unsigned long long)o->seed, o->mem_mb, o->hugepages ? "true" : "false");
	fprintf(f, "  \"subscribers\": %u,\n  \"share_gtpu\": %.2f,\n  \"share_gtpc\": %.2f,\n  \"share_sip\": %.2f,\n"
		   "  \"frames_in_ring\": %u,\n",
		o->subscribers, CS_MIX_UNIT_GPDUS / 100.0, 2 * CS_MIX_UNIT_HANDOVERS / 100.0, CS_MIX_UNIT_SIP / 100.0,
		o->units * UNIT_FRAMES);
	struct cs_bench_rate attach = cs_bench_rate_of(&r->attach);
	fprintf(f, "  \"attach_msgs_per_s\": %.0f,\n", attach.per_s);
	fprintf(f, "  \"mix_packets\": %llu,\n  \"mix_mpps\": %.4f,\n  \"mix_mpps_slowest\": %.4f,\n"
		   "  \"mix_mpps_fastest\": %.4f,\n  \"mix_rounds_mpps\": [",
		(unsigned long long)r->mix.all.frames, r->mix.median.per_s / 1e6, r->mix.slowest.per_s / 1e6,
		r->mix.fastest.per_s / 1e6);
	for (uint32_t i = 0; i < r->mix.n; i++)
		fprintf(f, "%s%.4f", i > 0 ? ", " : "", r->mix.r[i].per_s / 1e6);
	fprintf(f, "],\n  \"mix_cycles_per_packet\": %.1f,\n  \"mix_cpu_share\": %.3f,\n", r->mix.median.tsc_per,
		cs_bench_rate_of(&r->mix.all).cpu_share);
	fprintf(f, "  \"ring_full_waits_mix\": %llu,\n  \"worker_data_events\": %llu,\n  \"worker_subscribers\": %llu,\n"
		   "  \"worker_devices\": %llu,\n  \"records\": %llu,\n  \"anomalies\": %llu,\n  \"max_rss_kib\": %ld\n}\n",
		(unsigned long long)r->ring_full_waits_mix, (unsigned long long)w->data_events,
		(unsigned long long)w->subscribers, (unsigned long long)w->devices,
		(unsigned long long)b->records_taken, (unsigned long long)b->anomalies_taken, r->max_rss_kib);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "%s: %s: write failed\n", PROG, path);
		return -1;
	}
	return 0;
}

/* ---- the run ---- */

static int run(struct bench *b, struct results *r)
{
	struct cs_bench_frames mix = { 0 };
	struct cs_decode_ctx *c = &b->rig.ctx;
	struct cs_decode_stats was;
	int rc = -1;

	was = c->st;
	if (cs_bench_rig_populate(&b->rig, PROG, &r->attach, take_records, b) != 0)
		goto out;
	wait_for_worker(b);
	if (check_attach(b, &was) != 0)
		goto out;

	if (cs_bench_frames_init(&mix, b->o.units * UNIT_FRAMES, 1344) != 0 || build_mix(b, &mix) != 0) {
		fprintf(stderr, "%s: cannot build the mix's frames\n", PROG);
		goto out;
	}
	/* whole units a round, so that every round has the mix's shares */
	uint64_t per_round = (b->o.packets + b->o.rounds - 1) / b->o.rounds;
	per_round = (per_round + mix.n - 1) / mix.n * mix.n;
	uint32_t at = 0;
	was = c->st;
	for (uint32_t i = 0; i < b->o.rounds; i++) {
		struct cs_bench_timing t = { 0 };
		uint64_t ns0 = cs_bench_clock_ns(CLOCK_MONOTONIC), tsc0 = rte_rdtsc();
		cs_bench_rig_replay(&b->rig, &mix, per_round, &at, &t, take_records, b);
		wait_for_worker(b);
		/* the round lasts until the worker has caught up */
		t.ns = cs_bench_clock_ns(CLOCK_MONOTONIC) - ns0;
		t.tsc = rte_rdtsc() - tsc0;
		cs_bench_rounds_add(&r->mix, &t);
	}
	cs_bench_rounds_summarise(&r->mix);
	r->ring_full_waits_mix = DELTA(&c->st, &was, ring_full_waits);
	if (check_mix(b, &was, r->mix.all.frames / UNIT_FRAMES) != 0)
		goto out;
	cs_decode_end_of_input(c, b->rig.ts_ns);
	stop_worker(b);
	r->st = c->st;
	if (check_worker(b, c->st.gtpu_teid_hits) != 0)
		goto out;
	rc = 0;
out:
	cs_bench_frames_free(&mix);
	return rc;
}

int main(int argc, char **argv)
{
	static struct bench b; /* the decode context's counters and the worker are large: not on the stack */
	static struct results r;
	struct rusage ru;
	char lcores[64];

	int prc = parse_options(argc, argv, &b.o);
	if (prc != 0)
		return prc == 1 ? 0 : 2;
	/* pinned, one lcore a CPU: a thread that migrates would take its cache misses with it into the numbers */
	snprintf(lcores, sizeof(lcores), "0@%u,1@%u", b.o.cpu[0], b.o.cpu[1]);
	if (cs_bench_eal_start(PROG, argv[0], lcores, b.o.mem_mb, b.o.hugepages) != 0)
		return 1;
	cs_bench_machine_of(&r.m);
	cs_bench_utc_now(r.when, sizeof(r.when));

	int rc = 1;
	if (setup(&b) == 0 && run(&b, &r) == 0) {
		getrusage(RUSAGE_SELF, &ru);
		r.max_rss_kib = ru.ru_maxrss;
		print_summary(&b, &r);
		rc = b.o.json != NULL && write_json(&b, &r, b.o.json) != 0 ? 1 : 0;
	}
	teardown(&b);
	rte_eal_cleanup();
	return rc;
}
