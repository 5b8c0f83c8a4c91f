/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "bench_machine.h"
#include "gen_random.h"

enum {
	GTPC_TRANSACTIONS = 65536, /* pending GTP-C requests (power of two) */
	SIP_CALLS = 65536,         /* SIP tracker capacity */
	TCP_FLOWS = 1024,          /* SIP over TCP connections, as control/config_apply.c defaults them */
	TCP_BUFFER_BYTES = 8192,
	TCP_SWEEP_BUDGET = 64,     /* as the pipeline */
	DIR_RESERVE = 64,          /* session_dir.c's eviction reserve, at most */
};

static const uint64_t EVENT_STEP_NS = 100; /* event time between frames: 10 Mpps */
static const uint64_t HOUR_NS = 3600ull * 1000000000ull;

struct cs_bench_rate cs_bench_rate_of(const struct cs_bench_timing *t)
{
	return (struct cs_bench_rate){
		.per_s = t->ns > 0 ? (double)t->frames * 1e9 / (double)t->ns : 0,
		.tsc_per = t->frames > 0 ? (double)t->tsc / (double)t->frames : 0,
		.cpu_share = t->ns > 0 ? (double)t->cpu_ns / (double)t->ns : 0,
	};
}

void cs_bench_rounds_add(struct cs_bench_rounds *r, const struct cs_bench_timing *t)
{
	if (r->n == CS_BENCH_MAX_ROUNDS)
		return;
	r->r[r->n++] = cs_bench_rate_of(t);
	r->all.tsc += t->tsc;
	r->all.ns += t->ns;
	r->all.cpu_ns += t->cpu_ns;
	r->all.frames += t->frames;
}

static int by_rate(const void *a, const void *b)
{
	double x = ((const struct cs_bench_rate *)a)->per_s, y = ((const struct cs_bench_rate *)b)->per_s;

	return (x > y) - (x < y);
}

void cs_bench_rounds_summarise(struct cs_bench_rounds *r)
{
	struct cs_bench_rate sorted[CS_BENCH_MAX_ROUNDS];

	if (r->n == 0)
		return;
	memcpy(sorted, r->r, sizeof(r->r[0]) * r->n);
	qsort(sorted, r->n, sizeof(sorted[0]), by_rate);
	r->slowest = sorted[0];
	r->fastest = sorted[r->n - 1];
	r->median = sorted[r->n / 2];
	if (r->n % 2 == 0) {
		r->median.per_s = (sorted[r->n / 2 - 1].per_s + sorted[r->n / 2].per_s) / 2;
		r->median.tsc_per = (sorted[r->n / 2 - 1].tsc_per + sorted[r->n / 2].tsc_per) / 2;
	}
}

size_t cs_bench_heap_allocated(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

int cs_bench_rig_create(struct cs_bench_rig *g, const char *prog, uint32_t sessions, struct rte_ring *events,
			bool wait_when_full, uint64_t seed)
{
	char err[256];
	int socket = (int)rte_socket_id();

	memset(g, 0, sizeof(*g));
	g->sessions = sessions;
	g->ts_ns = CS_BENCH_START_NS;
	g->rng = seed;
	size_t before = cs_bench_heap_allocated();
	/*
	 * The directory evicts ahead of need while DIR_RESERVE or fewer
	 * entries are free (session_dir.c): that many more entries let all
	 * the sessions stay.
	 */
	const struct cs_session_dir_conf dc = {
		.capacity = sessions + DIR_RESERVE, .max_readers = 1, .writer_reader = 0, .socket_id = socket,
	};
	g->dir = cs_session_dir_create("cs_dir", &dc, err, sizeof(err));
	g->dir_bytes = cs_bench_heap_allocated() - before;
	const struct cs_gtpc_tracker_conf gc = {
		.transactions = GTPC_TRANSACTIONS, .response_timeout_ns = 10000000000ull,
		.idle_timeout_ns = 24 * HOUR_NS, .socket_id = socket,
	};
	if (g->dir != NULL)
		g->gtpc = cs_gtpc_tracker_create(&gc, g->dir, err, sizeof(err));
	const struct cs_sip_tracker_conf sc = {
		.calls = SIP_CALLS, .setup_timeout_ns = 60000000000ull, .max_call_ns = 4 * HOUR_NS,
		.numbers = cs_e164_conf_default(), .socket_id = socket,
	};
	if (g->gtpc != NULL)
		g->sip = cs_sip_tracker_create(&sc, err, sizeof(err));
	const struct cs_tcp_reasm_conf tc = {
		.flows = TCP_FLOWS, .buffer_bytes = TCP_BUFFER_BYTES, .idle_timeout_ns = sc.setup_timeout_ns,
		.sweep_budget = TCP_SWEEP_BUDGET, .numbers = sc.numbers,
	};
	if (g->sip != NULL)
		g->tcp = cs_tcp_reasm_create(&tc, err, sizeof(err));
	if (g->tcp == NULL) {
		fprintf(stderr, "%s: %s (more memory: --mem-mb)\n", prog, err);
		cs_bench_rig_free(g);
		return -1;
	}
	struct cs_decode_ctx *c = &g->ctx;
	c->ports = (struct cs_decode_ports){
		.gtpc = CS_MIX_GTPC_PORT, .gtpu = CS_MIX_GTPU_PORT, .sip = CS_MIX_SIP_PORT,
	};
	c->dir = g->dir;
	c->dir_reader = 0;
	c->gtpc = g->gtpc;
	c->sip = g->sip;
	c->tcp = g->tcp;
	c->emit.nworkers = 1;
	c->emit.rings[0] = events;
	c->emit.wait_when_full = wait_when_full;
	c->emit.producer = 0;
	cs_session_dir_reader_online(g->dir, 0);
	return 0;
}

void cs_bench_rig_free(struct cs_bench_rig *g)
{
	cs_tcp_reasm_free(g->tcp);
	cs_sip_tracker_free(g->sip);
	cs_gtpc_tracker_free(g->gtpc);
	cs_session_dir_free(g->dir);
	g->tcp = NULL;
	g->sip = NULL;
	g->gtpc = NULL;
	g->dir = NULL;
}

/* rx.c's per-burst work, without the mbufs. */
static void decode_burst(struct cs_bench_rig *g, const struct cs_bench_frame *f, unsigned int n)
{
	struct cs_decode_ctx *c = &g->ctx;
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct cs_l2l4 l;
		if (f[i].gpdu != CS_MIX_NOT_GPDU) /* to a session drawn from all of them (bench_frames.h) */
			cs_bench_readdress_gpdu(&f[i], (uint32_t)((cs_gen_random(&g->rng) >> 32) *
								  g->sessions >> 32));
		enum cs_reason r = cs_decode_l2l4(f[i].p, f[i].len, &l);

		g->ts_ns += EVENT_STEP_NS;
		bytes += f[i].len;
		if (unlikely(r != CS_R_OK)) {
			c->st.rejected[r]++;
			continue;
		}
		if (unlikely(l.is_fragment)) {
			c->st.fragments++; /* none is built: there is no reassembly here, and the checks catch it */
			continue;
		}
		cs_decode_dispatch(c, f[i].p, &l, g->ts_ns);
	}
	c->st.frames += n;
	c->st.wire_bytes += bytes;
	cs_decode_end_of_burst(c, g->ts_ns);
}

void cs_bench_rig_replay(struct cs_bench_rig *g, const struct cs_bench_frames *s, uint64_t count, uint32_t *at,
			 struct cs_bench_timing *t, void (*after_burst)(void *), void *arg)
{
	uint64_t cpu0 = cs_bench_clock_ns(CLOCK_THREAD_CPUTIME_ID), ns0 = cs_bench_clock_ns(CLOCK_MONOTONIC),
		 tsc0 = rte_rdtsc();

	for (uint64_t left = count; left > 0;) {
		uint32_t n = CS_BENCH_BURST;
		if (n > left)
			n = (uint32_t)left;
		if (n > s->n - *at)
			n = s->n - *at; /* a burst is contiguous: it stops at the end of the ring */
		decode_burst(g, s->f + *at, n);
		if (after_burst != NULL)
			after_burst(arg);
		*at += n;
		if (*at == s->n)
			*at = 0;
		left -= n;
	}
	uint64_t tsc1 = rte_rdtsc(), ns1 = cs_bench_clock_ns(CLOCK_MONOTONIC),
		 cpu1 = cs_bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
	t->tsc += tsc1 - tsc0;
	t->ns += ns1 - ns0;
	t->cpu_ns += cpu1 - cpu0;
	t->frames += count;
}

int cs_bench_rig_populate(struct cs_bench_rig *g, const char *prog, struct cs_bench_timing *t,
			  void (*after_burst)(void *), void *arg)
{
	struct cs_bench_frames s;
	int rc = -1;

	if (cs_bench_frames_init(&s, CS_BENCH_CHUNK_SESSIONS * CS_MIX_ATTACH_MESSAGES, 512) != 0) {
		fprintf(stderr, "%s: out of memory for the attach frames\n", prog);
		goto out;
	}
	for (uint32_t first = 0; first < g->sessions; first += CS_BENCH_CHUNK_SESSIONS) {
		uint32_t end = first + CS_BENCH_CHUNK_SESSIONS < g->sessions ? first + CS_BENCH_CHUNK_SESSIONS
									     : g->sessions;

		cs_bench_frames_clear(&s);
		for (uint32_t i = first; i < end; i++)
			if (cs_mix_attach(&s.sink, i) != 0) {
				fprintf(stderr, "%s: cannot build the attach of session %u\n", prog, i);
				goto out;
			}
		uint32_t at = 0;
		cs_bench_rig_replay(g, &s, s.n, &at, t, after_burst, arg);
	}
	rc = 0;
out:
	cs_bench_frames_free(&s);
	return rc;
}

uint64_t cs_bench_rejected(const struct cs_decode_stats *st)
{
	uint64_t n = 0;

	for (unsigned int r = 0; r < CS_R_COUNT; r++)
		n += st->rejected[r];
	return n;
}
