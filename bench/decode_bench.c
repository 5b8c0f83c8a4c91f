/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-bench-decode: what one decode lcore sustains, per protocol,
 * with a full session directory behind it.
 *
 * There are no ports. Frames are built in memory with the generator's
 * encoders (bench/gen) and handed to the calls rx.c makes for every mbuf:
 * cs_decode_l2l4, then cs_decode_dispatch, and cs_decode_end_of_burst
 * after each burst of 32 frames, on the pipeline's real session directory,
 * GTP-C tracker, SIP tracker, TCP reassembler and emitter:
 *
 *   lcore 0, decode (CPU a)                            lcore 1, drain (CPU b)
 *   frames -> l2l4 -> dispatch -> cs_emit -> [ SPSC ring, 16384 x 64 B ] -> take, count, discard
 *   |<------------------------ timed ------------------------>|
 *
 *   --drain inline: no lcore 1; lcore 0 empties the ring after each burst,
 *   and that dequeue is timed too.
 *
 * What is timed and what is not: decode_rig.h. Not present at all: the
 * NIC, the PMD's rx_burst, mbufs, linearising, reassembly (no frame here
 * is a fragment), and the workers' own work (the drain only counts; the
 * pipeline's two lcores together are cdrsentry-bench-mix's).
 *
 * By default the ring is drained by a second lcore, as a worker drains it
 * in the pipeline: the enqueue then costs what it costs when the consumer
 * is another core (the ring's indexes and slots move between caches), and
 * the decode lcore's caches hold only decode state. The emitter runs in
 * live mode: when the ring is full it drops and counts rather than waits,
 * so a drain lcore that loses its CPU to another process (on a shared
 * machine it does) cannot stall the decode lcore and pass for slow
 * decoding; drops are reported, and a run with many of them says so
 * (a failed enqueue is cheaper than a real one). --drain inline needs one
 * CPU only and is steadier where the second CPU is busy, at the price of
 * charging the dequeue to decode and keeping the ring's slots in the
 * decode lcore's cache.
 *
 * Phases, each checked against the counters it must leave (a benchmark
 * that timed lookups which missed would mislead, so a mismatch fails the
 * run):
 *
 *   1 populate  per session, on S11: Create Session Request and Response,
 *               Modify Bearer Request and Response, decoded through the
 *               same path. Built in chunks of 4096 sessions;
 *               only the decode of each chunk is timed -> GTP-C
 *               messages/s. Each session then holds 4 F-TEIDs, a UE
 *               address and an MSISDN in the directory.
 *   2 GTP-U     a ring of G-PDUs, uplink or downlink, inner IPv4/UDP of
 *               40-1239 payload bytes, replayed in rounds, each G-PDU
 *               re-addressed to a session drawn at random from all of them
 *               as it is replayed (fixed seed) -> Mpps, cycles/packet.
 *   3 SIP       dialogs INVITE, 180, 200, BYE, 200 between P-CSCF and
 *               S-CSCF, SIP_CALLS_IN_PROGRESS calls open at a time, each
 *               with its own Call-ID, caller and callee drawn from the
 *               directory's MSISDNs (the INVITE resolves the caller's IMSI
 *               there), replayed in rounds -> messages/s, cycles/message.
 *
 * Rounds are timed one by one and the median is the headline, with the
 * slowest and fastest beside it: on a shared machine one round can lose
 * its CPU for a while. The decode thread's CPU time is measured beside
 * wall time; their ratio (cpu share) says how much of a phase the thread
 * actually ran. Cycles are TSC ticks (constant rate), not core clock
 * cycles.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "bench_eal.h"
#include "bench_frames.h"
#include "bench_machine.h"
#include "gen_random.h"
#include "decode_rig.h"
#include "event_ring.h"

enum {
	EVENT_RING_SLOTS = 16384,   /* as the pipeline's event rings */
	DRAIN_SLOTS = 128,          /* as a worker takes them */
	SIP_CALLS_IN_PROGRESS = 1024,
	SIP_RING_DIALOGS = 16 * SIP_CALLS_IN_PROGRESS,
	SIP_BLOCK_MESSAGES = SIP_CALLS_IN_PROGRESS * CS_MIX_SIP_DIALOG_MESSAGES,
};

#define TARGET_GTPU_MPPS 10.0
#define TARGET_SIP_MSGS_PER_S 1e6


/* ---- options ---- */

struct options {
	uint32_t sessions;
	uint64_t gtpu_packets;
	uint32_t gtpu_frames;
	uint64_t sip_messages;
	uint32_t rounds;
	uint64_t seed;
	unsigned int cpu[2]; /* decode, drain */
	bool drain_inline;   /* the decode lcore empties the ring itself */
	bool hugepages;      /* DPDK's memory on 2 MiB pages, else 4 KiB ones (bench_eal.h) */
	uint32_t mem_mb;     /* 0: sized from sessions */
	const char *json;
};

static void usage(FILE *out)
{
	fputs("usage: cdrsentry-bench-decode [--sessions N] [--gtpu-packets N] [--gtpu-frames N]\n"
	      "         [--sip-messages N] [--rounds N] [--seed N] [--drain lcore|inline]\n"
	      "         [--cpus DECODE[,DRAIN]] [--mem-mb N] [--hugepages] [--json FILE]\n"
	      "Decode-stage throughput per lcore for GTP-C, GTP-U and SIP, with N sessions\n"
	      "in the session directory (defaults: 1000000 sessions, 20000000 G-PDUs from a\n"
	      "ring of 65536, 2000000 SIP messages, 5 rounds, seed 1, the event ring drained\n"
	      "by a second lcore, CPUs 0,1). DPDK's memory is on 4 KiB pages, or with\n"
	      "--hugepages on 2 MiB pages reserved beforehand (dpdk-hugepages.py).\n",
	      out);
}

static int parse_u64(const char *opt, const char *arg, uint64_t min, uint64_t max, uint64_t *out)
{
	return cs_bench_parse_u64("cdrsentry-bench-decode", opt, arg, min, max, out);
}

/* "A" (the drain's CPU stays as it was) or "A,B". */
static int parse_cpus(const char *arg, unsigned int cpu[2])
{
	unsigned int a, b = cpu[1];
	char tail;
	int n = sscanf(arg, "%u,%u%c", &a, &b, &tail);

	if (n < 1 || n > 2 || a >= RTE_MAX_LCORE || b >= RTE_MAX_LCORE) {
		fprintf(stderr, "cdrsentry-bench-decode: --cpus: '%s' is not one or two CPU numbers, e.g. 0,1\n",
			arg);
		return -1;
	}
	cpu[0] = a;
	cpu[1] = b;
	return 0;
}

static int parse_drain(const char *arg, bool *inline_drain)
{
	if (strcmp(arg, "lcore") != 0 && strcmp(arg, "inline") != 0) {
		fprintf(stderr, "cdrsentry-bench-decode: --drain: '%s' is neither lcore nor inline\n", arg);
		return -1;
	}
	*inline_drain = strcmp(arg, "inline") == 0;
	return 0;
}

/* Returns 0, 1 after --help, or 2 for bad usage (the message is printed). */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "sessions", required_argument, NULL, 'n' },
		{ "gtpu-packets", required_argument, NULL, 'u' },
		{ "gtpu-frames", required_argument, NULL, 'f' },
		{ "sip-messages", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem-mb", required_argument, NULL, 'm' },
		{ "json", required_argument, NULL, 'j' },
		{ "drain", required_argument, NULL, 'd' },
		{ "hugepages", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v = 0;
	int c;

	*o = (struct options){
		.sessions = 1000000, .gtpu_packets = 20000000, .gtpu_frames = 65536, .sip_messages = 2000000,
		.rounds = 5, .seed = 1, .cpu = { 0, 1 },
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 'n': bad = parse_u64("--sessions", optarg, 1, CS_MIX_MAX_SESSIONS, &v); o->sessions = (uint32_t)v; break;
		case 'u': bad = parse_u64("--gtpu-packets", optarg, 1, UINT64_MAX / 2, &o->gtpu_packets); break;
		case 'f':
			bad = parse_u64("--gtpu-frames", optarg, CS_BENCH_BURST, CS_MIX_MAX_SESSIONS, &v);
			o->gtpu_frames = (uint32_t)v;
			break;
		case 's': bad = parse_u64("--sip-messages", optarg, 1, UINT64_MAX / 2, &o->sip_messages); break;
		case 'r': bad = parse_u64("--rounds", optarg, 1, CS_BENCH_MAX_ROUNDS, &v); o->rounds = (uint32_t)v; break;
		case 'S': bad = parse_u64("--seed", optarg, 0, UINT64_MAX, &o->seed); break;
		case 'c': bad = parse_cpus(optarg, o->cpu); break;
		case 'm': bad = parse_u64("--mem-mb", optarg, 64, 1u << 20, &v); o->mem_mb = (uint32_t)v; break;
		case 'j': o->json = optarg; break;
		case 'd': bad = parse_drain(optarg, &o->drain_inline); break;
		case 'H': o->hugepages = true; break;
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
	if (!o->drain_inline && o->cpu[0] == o->cpu[1]) {
		fprintf(stderr, "cdrsentry-bench-decode: --cpus: the decode and drain lcores need two CPUs "
				"(or --drain inline)\n");
		return 2;
	}
	/*
	 * The directory took 976-1044 bytes a session from 100 k to 1 M
	 * sessions (docs/benchmarks.md): 1280 leaves room; 256 MiB hold the
	 * trackers (about 42 MiB), the ring and EAL's own.
	 */
	if (o->mem_mb == 0)
		o->mem_mb = 256 + (uint32_t)((uint64_t)o->sessions * 1280 / (1u << 20));
	return 0;
}

/* ---- the stage under test ---- */

/* The consumer of the event ring: takes whole messages off it and counts them, until END. */
struct drain {
	struct rte_ring *ring;
	uint64_t messages; /* END excluded */
};

/* Takes what the ring holds, up to DRAIN_SLOTS. Returns the slots taken, or -1 once END was taken. */
static int drain_some(struct drain *d)
{
	union cs_event_slot buf[DRAIN_SLOTS];
	unsigned int n = cs_event_ring_take(d->ring, buf, DRAIN_SLOTS);

	for (unsigned int at = 0; at < n; at += buf[at].h.slots) {
		if (buf[at].h.kind == CS_EV_END)
			return -1;
		d->messages++;
	}
	return (int)n;
}

/* The drain lcore (the default). */
static int drain_main(void *arg)
{
	int n;

	while ((n = drain_some(arg)) >= 0)
		if (n == 0)
			rte_pause();
	return 0;
}

struct bench {
	struct options o;
	struct cs_bench_rig rig;
	struct rte_ring *ring;
	struct drain drain;
	unsigned int drain_lcore;
	int drain_running;
	uint64_t rng; /* draws the G-PDU ring's sessions */
};

/* ---- after each burst ---- */

/* --drain inline: the decode lcore empties the ring itself. */
static void drain_inline(void *arg)
{
	struct bench *b = arg;

	while (drain_some(&b->drain) > 0)
		;
}

static void (*after_burst(const struct bench *b))(void *)
{
	return b->o.drain_inline ? drain_inline : NULL;
}

/* ---- phase 2: G-PDUs of random sessions ---- */

static int build_gtpu(struct bench *b, struct cs_bench_frames *s)
{
	for (uint32_t k = 0; k < b->o.gtpu_frames; k++) {
		uint32_t i = (uint32_t)(cs_gen_random(&b->rng) % b->o.sessions);
		int uplink = cs_gen_random(&b->rng) & 1;
		size_t payload = 40 + cs_gen_random(&b->rng) % 1200;
		if (cs_mix_gpdu(&s->sink, i, uplink ? CS_MIX_UPLINK : CS_MIX_DOWNLINK, payload) != 0)
			return -1;
	}
	return 0;
}

/* ---- phase 3: SIP dialogs ---- */

/*
 * The ring holds SIP_RING_DIALOGS dialogs in blocks of
 * SIP_CALLS_IN_PROGRESS, message by message across the block, so that
 * many calls are open in the tracker at once, as on a busy P-CSCF link:
 *
 *   block 0: INVITE d0..d1023 | 180 d0..d1023 | 200 d0.. | BYE d0.. | 200 d0.. | block 1: INVITE d1024..
 *
 * Replaying the ring again repeats Call-IDs only after those calls ended,
 * so every INVITE opens a new call.
 */
static int build_sip(struct bench *b, struct cs_bench_frames *s)
{
	for (uint32_t block = 0; block < SIP_RING_DIALOGS; block += SIP_CALLS_IN_PROGRESS)
		for (unsigned int step = 0; step < CS_MIX_SIP_DIALOG_MESSAGES; step++)
			for (uint32_t d = block; d < block + SIP_CALLS_IN_PROGRESS; d++)
				if (cs_mix_sip(&s->sink, b->o.seed, d, step, b->o.sessions, CS_MIX_SIP_MW) != 0)
					return -1;
	return 0;
}

/* ---- set-up ---- */

static int eal_start(const struct options *o, char *argv0)
{
	char lcores[64];

	/* pinned, one lcore a CPU: a thread that migrates would take its cache misses with it into the numbers */
	if (o->drain_inline)
		snprintf(lcores, sizeof(lcores), "0@%u", o->cpu[0]);
	else
		snprintf(lcores, sizeof(lcores), "0@%u,1@%u", o->cpu[0], o->cpu[1]);
	return cs_bench_eal_start("cdrsentry-bench-decode", argv0, lcores, o->mem_mb, o->hugepages);
}

/* DPDK heap the directory took when created, and what it grew by while populated. */
struct memory {
	size_t dir_created, before_populate, after_populate;
};

static int setup(struct bench *b, struct memory *mem)
{
	b->ring = cs_event_ring_create("cs_bench_events", EVENT_RING_SLOTS, (int)rte_socket_id());
	if (b->ring == NULL) {
		fprintf(stderr, "cdrsentry-bench-decode: event ring: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	/* live mode: a full ring drops and counts (see the top of this file) */
	if (cs_bench_rig_create(&b->rig, "cdrsentry-bench-decode", b->o.sessions, b->ring, false, b->o.seed) != 0)
		return -1;
	mem->dir_created = b->rig.dir_bytes;
	b->drain.ring = b->ring;
	if (b->o.drain_inline) {
		b->drain_running = 1;
		return 0;
	}
	b->drain_lcore = rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
	int rc = rte_eal_remote_launch(drain_main, &b->drain, b->drain_lcore);
	if (rc != 0) {
		fprintf(stderr, "cdrsentry-bench-decode: drain lcore %u: %s\n", b->drain_lcore, rte_strerror(-rc));
		return -1;
	}
	b->drain_running = 1;
	return 0;
}

/* END goes down the ring like every message; the drain counts what came before it. */
static void stop_drain(struct bench *b)
{
	struct cs_decode_ctx *c = &b->rig.ctx;
	union cs_event_slot end = { .h = { .kind = CS_EV_END, .slots = 1, .ts_ns = b->rig.ts_ns } };

	if (!b->drain_running)
		return;
	b->drain_running = 0;
	c->emit.wait_when_full = 1; /* END must arrive */
	if (b->o.drain_inline) {
		while (drain_some(&b->drain) > 0) /* room for END: nobody else empties the ring */
			;
		cs_emit_to(&c->emit, 0, &end, &c->st);
		cs_emit_flush(&c->emit, &c->st);
		while (drain_some(&b->drain) >= 0)
			;
		return;
	}
	cs_emit_to(&c->emit, 0, &end, &c->st);
	cs_emit_flush(&c->emit, &c->st);
	rte_eal_wait_lcore(b->drain_lcore);
}

static void teardown(struct bench *b)
{
	stop_drain(b);
	cs_bench_rig_free(&b->rig);
	rte_ring_free(b->ring);
}

/* ---- checks ---- */

static int expect(const char *phase, const char *what, uint64_t got, uint64_t want)
{
	return cs_bench_expect("cdrsentry-bench-decode", phase, what, got, want);
}

#define DELTA(after, before, field) ((after)->field - (before)->field)

static int check_populate(const struct bench *b, const struct cs_decode_stats *was)
{
	const struct cs_decode_stats *st = &b->rig.ctx.st;
	struct cs_session_dir_stats ds;
	uint64_t n = b->o.sessions;

	cs_session_dir_stats(b->rig.dir, &ds);
	return expect("populate", "sessions_opened", DELTA(st, was, sessions_opened), n) |
	       expect("populate", "gtpv2c_messages", DELTA(st, was, gtpv2c_messages), CS_MIX_ATTACH_MESSAGES * n) |
	       expect("populate", "gtpc_unmatched_responses", DELTA(st, was, gtpc_unmatched_responses), 0) |
	       expect("populate", "gtpc_unknown_session", DELTA(st, was, gtpc_unknown_session), 0) |
	       expect("populate", "directory active sessions", ds.active, n) |
	       expect("populate", "directory evictions", ds.evicted, 0) |
	       expect("populate", "frames rejected", cs_bench_rejected(st) - cs_bench_rejected(was), 0);
}

static int check_gtpu(const struct bench *b, const struct cs_decode_stats *was, uint64_t packets)
{
	const struct cs_decode_stats *st = &b->rig.ctx.st;

	return expect("gtpu", "gtpu_teid_hits", DELTA(st, was, gtpu_teid_hits), packets) |
	       expect("gtpu", "gtpu_teid_misses", DELTA(st, was, gtpu_teid_misses), 0) |
	       expect("gtpu", "events", DELTA(st, was, events) + DELTA(st, was, events_dropped), packets) |
	       expect("gtpu", "frames rejected", cs_bench_rejected(st) - cs_bench_rejected(was), 0);
}

/*
 * Every dialog of a whole block ends with its BYE: one call record each,
 * and a copy for the callee's shard, both parties being attached.
 */
static int check_sip(const struct bench *b, const struct cs_decode_stats *was, uint64_t messages)
{
	const struct cs_decode_stats *st = &b->rig.ctx.st;

	return expect("sip", "sip_messages", DELTA(st, was, sip_messages), messages) |
	       expect("sip", "call events", DELTA(st, was, events) + DELTA(st, was, events_dropped),
		      2 * (messages / CS_MIX_SIP_DIALOG_MESSAGES)) |
	       expect("sip", "sip_calls_refused", DELTA(st, was, sip_calls_refused), 0) |
	       expect("sip", "sip_calls_timed_out", DELTA(st, was, sip_calls_timed_out), 0) |
	       expect("sip", "frames rejected", cs_bench_rejected(st) - cs_bench_rejected(was), 0);
}

/* ---- results ---- */

static void run_rounds(struct bench *b, const struct cs_bench_frames *s, uint64_t per_round,
		       struct cs_bench_rounds *out)
{
	uint32_t at = 0;

	for (uint32_t i = 0; i < b->o.rounds; i++) {
		struct cs_bench_timing t = { 0 };
		cs_bench_rig_replay(&b->rig, s, per_round, &at, &t, after_burst(b), b);
		cs_bench_rounds_add(out, &t);
	}
	cs_bench_rounds_summarise(out);
}

struct results {
	struct cs_bench_machine m;
	char when[32];
	struct memory mem;
	struct cs_bench_timing gtpc;
	struct cs_bench_rounds gtpu, sip;
	struct cs_decode_stats st;
	uint64_t drained;
	long max_rss_kib;
};

static size_t directory_bytes(const struct memory *m)
{
	return m->dir_created + (m->after_populate - m->before_populate);
}

static double bytes_per_session(const struct results *r, uint32_t sessions)
{
	return (double)directory_bytes(&r->mem) / sessions;
}

static const char *met(double got, double target)
{
	return got >= target ? "met" : "not met";
}

static void print_rounds(const char *name, const char *unit, const struct cs_bench_rounds *r)
{
	printf("%-6s %11llu %s  median %6.3f %-8s %6.0f cycles each  cpu %3.0f%%  "
	       "(rounds: slowest %.3f, fastest %.3f)\n",
	       name, (unsigned long long)r->all.frames, name[0] == 'G' ? "pkts" : "msgs", r->median.per_s / 1e6, unit,
	       r->median.tsc_per, 100 * cs_bench_rate_of(&r->all).cpu_share, r->slowest.per_s / 1e6, r->fastest.per_s / 1e6);
}

static double dropped_share(const struct cs_decode_stats *st)
{
	uint64_t tried = st->events + st->events_dropped;

	return tried > 0 ? (double)st->events_dropped / (double)tried : 0;
}

static void print_summary(const struct bench *b, const struct results *r)
{
	const struct options *o = &b->o;

	cs_bench_eal_print_header("cdrsentry-bench-decode", r->when, &r->m, CS_BENCH_BUILD_FOR_TIMING);
	if (o->drain_inline)
		printf("setup    %u sessions, decode on CPU %u, ring drained inline", o->sessions, o->cpu[0]);
	else
		printf("setup    %u sessions, decode on CPU %u, ring drained on CPU %u", o->sessions, o->cpu[0],
		       o->cpu[1]);
	printf(", burst %d, %u round%s, seed %llu, -m %u on %s\n", CS_BENCH_BURST, o->rounds, o->rounds == 1 ? "" : "s",
	       (unsigned long long)o->seed, o->mem_mb, cs_bench_eal_pages(o->hugepages));
	struct cs_bench_rate gtpc = cs_bench_rate_of(&r->gtpc);
	printf("GTP-C  %11llu msgs  %13.3f %-8s %6.0f cycles each  cpu %3.0f%%  (populate: one pass, %.2f s)\n",
	       (unsigned long long)r->gtpc.frames, gtpc.per_s / 1e6, "M msgs/s", gtpc.tsc_per, 100 * gtpc.cpu_share,
	       (double)r->gtpc.ns / 1e9);
	print_rounds("GTP-U", "Mpps", &r->gtpu);
	print_rounds("SIP", "M msgs/s", &r->sip);
	printf("memory   directory %.1f MiB of DPDK heap for %u sessions: %.0f bytes a session; max RSS %.1f MiB\n",
	       (double)directory_bytes(&r->mem) / (1 << 20), o->sessions,
	       bytes_per_session(r, o->sessions), (double)r->max_rss_kib / 1024);
	printf("ring     %llu events enqueued, %llu drained, %llu dropped on a full ring (%.2f%%)\n",
	       (unsigned long long)r->st.events, (unsigned long long)r->drained,
	       (unsigned long long)r->st.events_dropped, 100 * dropped_share(&r->st));
	if (dropped_share(&r->st) > 0.01)
		printf("warning  the drain fell behind (its CPU busy with something else?): a failed enqueue\n"
		       "         is cheaper than a real one, so these rates flatter decode; rerun, or use\n"
		       "         --drain inline\n");
	printf("targets  GTP-U >= %.0f Mpps per lcore: %s; SIP >= %.0f M msgs/s per lcore: %s\n", TARGET_GTPU_MPPS,
	       met(r->gtpu.median.per_s / 1e6, TARGET_GTPU_MPPS), TARGET_SIP_MSGS_PER_S / 1e6,
	       met(r->sip.median.per_s, TARGET_SIP_MSGS_PER_S));
}

static void json_rounds(FILE *f, const char *prefix, const char *unit, double scale, int decimals,
			const struct cs_bench_rounds *r)
{
	fprintf(f, "  \"%s_%s\": %.*f,\n  \"%s_%s_slowest\": %.*f,\n  \"%s_%s_fastest\": %.*f,\n", prefix, unit,
		decimals, r->median.per_s / scale, prefix, unit, decimals, r->slowest.per_s / scale, prefix, unit,
		decimals, r->fastest.per_s / scale);
	fprintf(f, "  \"%s_rounds_%s\": [", prefix, unit);
	for (uint32_t i = 0; i < r->n; i++)
		fprintf(f, "%s%.*f", i > 0 ? ", " : "", decimals, r->r[i].per_s / scale);
	fprintf(f, "],\n  \"%s_cpu_share\": %.3f,\n", prefix, cs_bench_rate_of(&r->all).cpu_share);
}

static int write_json(const struct bench *b, const struct results *r, const char *path)
{
	const struct options *o = &b->o;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "cdrsentry-bench-decode: %s: %s\n", path, strerror(errno));
		return -1;
	}
	cs_bench_eal_json_header(f, "decode", r->when, &r->m, CS_BENCH_BUILD_FOR_TIMING);
	fprintf(f, "  \"drain\": \"%s\",\n  \"decode_cpu\": %u,\n", o->drain_inline ? "inline" : "lcore", o->cpu[0]);
	if (!o->drain_inline)
		fprintf(f, "  \"drain_cpu\": %u,\n", o->cpu[1]);
	fprintf(f, "  \"burst\": %d,\n  \"rounds\": %u,\n  \"seed\": %llu,\n  \"mem_mb\": %u,\n  \"hugepages\": %s,\n",
		CS_BENCH_BURST, o->rounds, (unsigned long long)o->seed, o->mem_mb, o->hugepages ? "true" : "false");
	fprintf(f, "  \"sessions\": %u,\n  \"directory_bytes\": %zu,\n  \"directory_bytes_per_session\": %.1f,\n"
		   "  \"directory_growth_while_populating_bytes\": %zu,\n  \"max_rss_kib\": %ld,\n",
		o->sessions, directory_bytes(&r->mem), bytes_per_session(r, o->sessions),
		r->mem.after_populate - r->mem.before_populate, r->max_rss_kib);
	struct cs_bench_rate gtpc = cs_bench_rate_of(&r->gtpc);
	fprintf(f, "  \"gtpc_messages\": %llu,\n  \"gtpc_msgs_per_s\": %.0f,\n  \"gtpc_cycles_per_msg\": %.1f,\n"
		   "  \"gtpc_cpu_share\": %.3f,\n",
		(unsigned long long)r->gtpc.frames, gtpc.per_s, gtpc.tsc_per, gtpc.cpu_share);
	fprintf(f, "  \"gtpu_frames_in_ring\": %u,\n  \"gtpu_packets\": %llu,\n", o->gtpu_frames,
		(unsigned long long)r->gtpu.all.frames);
	json_rounds(f, "gtpu", "mpps", 1e6, 4, &r->gtpu);
	fprintf(f, "  \"gtpu_cycles_per_packet\": %.1f,\n", r->gtpu.median.tsc_per);
	fprintf(f, "  \"sip_dialogs_in_ring\": %d,\n  \"sip_calls_in_progress\": %d,\n  \"sip_messages\": %llu,\n",
		SIP_RING_DIALOGS, SIP_CALLS_IN_PROGRESS, (unsigned long long)r->sip.all.frames);
	json_rounds(f, "sip", "msgs_per_s", 1, 0, &r->sip);
	fprintf(f, "  \"sip_cycles_per_msg\": %.1f,\n", r->sip.median.tsc_per);
	fprintf(f, "  \"events\": %llu,\n  \"events_drained\": %llu,\n  \"events_dropped\": %llu,\n",
		(unsigned long long)r->st.events, (unsigned long long)r->drained,
		(unsigned long long)r->st.events_dropped);
	fprintf(f, "  \"target_gtpu_mpps\": %.0f,\n  \"target_sip_msgs_per_s\": %.0f,\n", TARGET_GTPU_MPPS,
		TARGET_SIP_MSGS_PER_S);
	fprintf(f, "  \"gtpu_target_met\": %s,\n  \"sip_target_met\": %s\n}\n",
		r->gtpu.median.per_s / 1e6 >= TARGET_GTPU_MPPS ? "true" : "false",
		r->sip.median.per_s >= TARGET_SIP_MSGS_PER_S ? "true" : "false");
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "cdrsentry-bench-decode: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

/* ---- the run ---- */

/* Rounds of equal length; SIP rounds are whole blocks, so every dialog in them completes. */
static uint64_t per_round(uint64_t total, uint32_t rounds, uint64_t unit)
{
	uint64_t n = (total + rounds - 1) / rounds;

	return (n + unit - 1) / unit * unit;
}

static int run(struct bench *b, struct results *r)
{
	struct cs_bench_frames gtpu = { 0 }, sip = { 0 };
	struct cs_decode_ctx *c = &b->rig.ctx;
	struct cs_decode_stats was;
	int rc = -1;

	if (cs_bench_frames_init(&gtpu, b->o.gtpu_frames, 1344) != 0 ||
	    cs_bench_frames_init(&sip, SIP_RING_DIALOGS * CS_MIX_SIP_DIALOG_MESSAGES, 1024) != 0) {
		fprintf(stderr, "cdrsentry-bench-decode: out of memory for the frames\n");
		goto out;
	}
	b->rng = b->o.seed;

	was = c->st;
	r->mem.before_populate = cs_bench_heap_allocated();
	if (cs_bench_rig_populate(&b->rig, "cdrsentry-bench-decode", &r->gtpc, after_burst(b), b) != 0)
		goto out;
	r->mem.after_populate = cs_bench_heap_allocated();
	if (check_populate(b, &was) != 0)
		goto out;

	if (build_gtpu(b, &gtpu) != 0) {
		fprintf(stderr, "cdrsentry-bench-decode: cannot build the G-PDUs\n");
		goto out;
	}
	was = c->st;
	run_rounds(b, &gtpu, per_round(b->o.gtpu_packets, b->o.rounds, 1), &r->gtpu);
	if (check_gtpu(b, &was, r->gtpu.all.frames) != 0)
		goto out;

	if (build_sip(b, &sip) != 0) {
		fprintf(stderr, "cdrsentry-bench-decode: cannot build the SIP dialogs\n");
		goto out;
	}
	was = c->st;
	run_rounds(b, &sip, per_round(b->o.sip_messages, b->o.rounds, SIP_BLOCK_MESSAGES), &r->sip);
	if (check_sip(b, &was, r->sip.all.frames) != 0)
		goto out;
	cs_decode_end_of_input(c, b->rig.ts_ns);

	stop_drain(b);
	r->st = c->st;
	r->drained = b->drain.messages;
	if (expect("ring", "messages drained", r->drained, r->st.events - 1 /* END */) != 0)
		goto out;
	rc = 0;
out:
	cs_bench_frames_free(&gtpu);
	cs_bench_frames_free(&sip);
	return rc;
}

int main(int argc, char **argv)
{
	static struct bench b; /* the decode context's counters are large: not on the stack */
	struct results r;
	struct rusage ru;

	int prc = parse_options(argc, argv, &b.o);
	if (prc != 0)
		return prc == 1 ? 0 : 2;
	if (eal_start(&b.o, argv[0]) != 0)
		return 1;
	memset(&r, 0, sizeof(r));
	cs_bench_machine_of(&r.m);
	cs_bench_utc_now(r.when, sizeof(r.when));

	int rc = 1;
	if (setup(&b, &r.mem) == 0 && run(&b, &r) == 0) {
		getrusage(RUSAGE_SELF, &ru);
		r.max_rss_kib = ru.ru_maxrss;
		print_summary(&b, &r);
		rc = b.o.json != NULL && write_json(&b, &r, b.o.json) != 0 ? 1 : 0;
	}
	teardown(&b);
	rte_eal_cleanup();
	return rc;
}
