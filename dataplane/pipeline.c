/* SPDX-License-Identifier: Apache-2.0 */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "event_ring.h"
#include "gtpc_tracker.h"
#include "port.h"

/*
 * Sizes. The mbuf pool (conf->mbufs) fills the RX descriptors of every
 * queue and holds the fragments the reassembly table keeps (at most
 * FRAG_FLOWS datagrams of up to RTE_LIBRTE_IP_FRAG_MAX_FRAG fragments):
 * RX frees everything else before its next burst. It is sized explicitly
 * because a default-sized pool does not fit the small no-hugepage memory
 * replay runs in.
 */
enum {
	POOL_CACHE = 256,
	FRAG_BUCKETS = 1024,
	FRAG_BUCKET_ENTRIES = 4,
	FRAG_FLOWS = 2048,
	EVENT_RING_SLOTS = 16384,
	EXPORT_RING_SLOTS = 16384,
};

struct cs_pipeline {
	struct cs_pipeline_conf conf;
	struct rte_mempool *pool;
	struct cs_session_dir *dir;
	struct cs_gtpc_tracker *gtpc;
	struct cs_sip_tracker *sip;
	struct cs_tcp_reasm *tcp;
	struct rte_ring *events[CS_MAX_WORKERS];
	struct rte_ring *exports[CS_MAX_WORKERS];
	struct cs_rx_ctx *rx;
	struct cs_worker_ctx *workers;
	unsigned int worker_lcore[CS_MAX_WORKERS];
	unsigned int ports_started;
};

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, rte_strerror(rte_errno));
	return -1;
}

static int create_rings(struct cs_pipeline *p, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];

	for (unsigned int w = 0; w < p->conf.nworkers; w++) {
		snprintf(name, sizeof(name), "cs_ev_%u", w);
		p->events[w] = cs_event_ring_create(name, EVENT_RING_SLOTS, rte_socket_id());
		snprintf(name, sizeof(name), "cs_exp_%u", w);
		p->exports[w] = cs_event_ring_create(name, EXPORT_RING_SLOTS, rte_socket_id());
		if (p->events[w] == NULL || p->exports[w] == NULL)
			return fail(err, errlen, "event rings");
	}
	return 0;
}

static int assign_lcores(struct cs_pipeline *p, char *err, size_t errlen)
{
	unsigned int lcore = rte_get_main_lcore();

	if (p->conf.worker_lcores[0] != 0) {
		for (unsigned int w = 0; w < p->conf.nworkers; w++) {
			lcore = p->conf.worker_lcores[w];
			if (lcore == rte_get_main_lcore() || !rte_lcore_is_enabled(lcore)) {
				snprintf(err, errlen, "worker lcore %u is %s", lcore,
					 lcore == rte_get_main_lcore() ? "the main (RX) lcore" : "not enabled in EAL's lcore list");
				return -1;
			}
			p->worker_lcore[w] = lcore;
		}
		return 0;
	}
	for (unsigned int w = 0; w < p->conf.nworkers; w++) {
		lcore = rte_get_next_lcore(lcore, 1, 0);
		if (lcore >= RTE_MAX_LCORE) {
			snprintf(err, errlen, "%u workers need %u lcores besides the RX one; EAL gave %u",
				 p->conf.nworkers, p->conf.nworkers, rte_lcore_count() - 1);
			return -1;
		}
		p->worker_lcore[w] = lcore;
	}
	return 0;
}

static int setup_rx(struct cs_pipeline *p, char *err, size_t errlen)
{
	const struct cs_pipeline_conf *c = &p->conf;
	struct cs_rx_ctx *rx = p->rx;

	struct timespec now;

	rx->nports = c->nports;
	rx->nqueues = c->rx_queues > 0 ? c->rx_queues : 1;
	rx->stop = c->stop;
	rx->idle_timeout_tsc = (uint64_t)(c->input_idle_timeout_s * (double)rte_get_tsc_hz());
	clock_gettime(CLOCK_REALTIME, &now);
	rx->clock_tsc0 = rte_get_tsc_cycles();
	rx->clock_ns0 = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	rx->ns_per_tsc = 1e9 / (double)rte_get_tsc_hz();
	rx->frag_timeout_us = c->frag_timeout_ns / 1000;
	rx->frags = rte_ip_frag_table_create(FRAG_BUCKETS, FRAG_BUCKET_ENTRIES, FRAG_FLOWS, rx->frag_timeout_us,
					     rte_socket_id());
	if (rx->frags == NULL)
		return fail(err, errlen, "IP reassembly table");
	for (unsigned int i = 0; i < c->nports; i++) {
		rx->port_id[i] = c->port_id[i];
		rx->expected_records[i] = c->expected_records[i];
		if (cs_port_start_rx(c->port_id[i], rx->nqueues, p->pool, &rx->ts[i], err, errlen) != 0)
			return -1;
		p->ports_started++;
	}
	struct cs_decode_ctx *d = &rx->decode;
	d->ports = c->ports;
	d->dir = p->dir;
	d->dir_reader = 0;
	d->gtpc = p->gtpc;
	d->sip = p->sip;
	d->tcp = p->tcp;
	d->emit.nworkers = c->nworkers;
	/* replay must lose nothing and can wait; the wire does not wait, so live drops and counts */
	d->emit.wait_when_full = c->stop == NULL;
	d->emit.producer = 0;
	for (unsigned int w = 0; w < c->nworkers; w++)
		d->emit.rings[w] = p->events[w];
	return 0;
}

struct cs_pipeline *cs_pipeline_create(const struct cs_pipeline_conf *conf, char *err, size_t errlen)
{
	struct cs_pipeline *p = rte_zmalloc("cs_pipeline", sizeof(*p), RTE_CACHE_LINE_SIZE);

	if (p == NULL) {
		fail(err, errlen, "pipeline");
		return NULL;
	}
	p->conf = *conf;
	if (conf->nworkers == 0 || conf->nworkers > CS_MAX_WORKERS || conf->nports == 0 || conf->nports > CS_MAX_PORTS) {
		snprintf(err, errlen, "1..%d workers and 1..%d ports are supported", CS_MAX_WORKERS, CS_MAX_PORTS);
		goto out;
	}
	if (assign_lcores(p, err, errlen) != 0)
		goto out;
	p->pool = rte_pktmbuf_pool_create("cs_rx_pool", conf->mbufs, POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  rte_socket_id());
	if (p->pool == NULL) {
		fail(err, errlen, "mbuf pool");
		goto out;
	}
	/* one RX lcore today: it reads the directory (reader 0) and, owning GTP-C, writes it */
	const struct cs_session_dir_conf dc = {
		.capacity = conf->sessions,
		.max_readers = 1,
		.writer_reader = 0,
		.socket_id = rte_socket_id(),
	};
	p->dir = cs_session_dir_create("cs_dir", &dc, err, errlen);
	if (p->dir == NULL)
		goto out;
	const struct cs_gtpc_tracker_conf gc = {
		.transactions = conf->gtpc_transactions,
		.response_timeout_ns = conf->gtpc_response_timeout_ns,
		.idle_timeout_ns = conf->session_idle_timeout_ns,
		.socket_id = rte_socket_id(),
	};
	p->gtpc = cs_gtpc_tracker_create(&gc, p->dir, err, errlen);
	if (p->gtpc == NULL)
		goto out;
	const struct cs_sip_tracker_conf sc = {
		.calls = conf->sip_calls,
		.setup_timeout_ns = conf->sip_setup_timeout_ns,
		.max_call_ns = conf->sip_max_call_ns,
		.numbers = conf->numbers,
		.socket_id = rte_socket_id(),
	};
	p->sip = cs_sip_tracker_create(&sc, err, errlen);
	if (p->sip == NULL)
		goto out;
	const struct cs_tcp_reasm_conf tc = {
		.flows = conf->tcp_flows,
		.buffer_bytes = conf->tcp_buffer_bytes,
		.idle_timeout_ns = conf->sip_setup_timeout_ns,
		.sweep_budget = 64,
		.numbers = conf->numbers,
	};
	p->tcp = cs_tcp_reasm_create(&tc, err, errlen);
	if (p->tcp == NULL || create_rings(p, err, errlen) != 0)
		goto out;
	p->rx = rte_zmalloc("cs_rx", sizeof(*p->rx), RTE_CACHE_LINE_SIZE);
	p->workers = rte_zmalloc("cs_workers", sizeof(*p->workers) * conf->nworkers, RTE_CACHE_LINE_SIZE);
	if (p->rx == NULL || p->workers == NULL) {
		fail(err, errlen, "lcore contexts");
		goto out;
	}
	if (setup_rx(p, err, errlen) != 0)
		goto out;
	for (unsigned int w = 0; w < conf->nworkers; w++) {
		struct cs_worker_ctx *wc = &p->workers[w];
		if (cs_worker_init(wc, w, conf->worker_sessions, rte_socket_id(), err, errlen) != 0)
			goto out;
		wc->nin = 1;
		wc->in[0] = p->events[w];
		wc->out = p->exports[w];
		wc->interim_ns = conf->interim_ns;
	}
	return p;
out:
	cs_pipeline_free(p);
	return NULL;
}

struct rte_ring *cs_pipeline_export_ring(struct cs_pipeline *p, unsigned int w)
{
	return p->exports[w];
}

uint64_t cs_pipeline_progress(const struct cs_pipeline *p)
{
	return p->rx->progress;
}

int cs_pipeline_run(struct cs_pipeline *p, char *err, size_t errlen)
{
	for (unsigned int w = 0; w < p->conf.nworkers; w++) {
		int rc = rte_eal_remote_launch(cs_worker_lcore_main, &p->workers[w], p->worker_lcore[w]);
		if (rc != 0) {
			snprintf(err, errlen, "cannot launch worker %u on lcore %u: %s", w, p->worker_lcore[w],
				 rte_strerror(-rc));
			/* the workers already running wait for END from RX: give it to them */
			p->rx->nports = 0;
			cs_rx_lcore_main(p->rx);
			rte_eal_mp_wait_lcore();
			return -1;
		}
	}
	cs_rx_lcore_main(p->rx);
	rte_eal_mp_wait_lcore();
	return 0;
}

static void add_counters(uint64_t *sum, const uint64_t *add, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum[i] += add[i];
}

void cs_pipeline_result(const struct cs_pipeline *p, struct cs_pipeline_result *out)
{
	memset(out, 0, sizeof(*out));
	out->decode = p->rx->decode.st;
	out->tcp = *cs_tcp_reasm_stats(p->tcp);
	for (unsigned int w = 0; w < p->conf.nworkers; w++)
		add_counters((uint64_t *)&out->workers, (const uint64_t *)&p->workers[w].st,
			     sizeof(out->workers) / sizeof(uint64_t));
	cs_session_dir_stats(p->dir, &out->dir);
	memcpy(out->port_packets, p->rx->port_packets, sizeof(out->port_packets));
	memcpy(out->port_errors, p->rx->port_errors, sizeof(out->port_errors));
	out->input_timed_out = p->rx->timed_out;
	out->last_event_ns = p->rx->last_ts_ns;
}

void cs_pipeline_free(struct cs_pipeline *p)
{
	if (p == NULL)
		return;
	for (unsigned int i = 0; i < p->ports_started; i++)
		cs_port_stop(p->conf.port_id[i]);
	if (p->workers != NULL)
		for (unsigned int w = 0; w < p->conf.nworkers; w++)
			cs_worker_fini(&p->workers[w]);
	if (p->rx != NULL)
		rte_ip_frag_table_destroy(p->rx->frags);
	rte_free(p->workers);
	rte_free(p->rx);
	for (unsigned int w = 0; w < CS_MAX_WORKERS; w++) {
		rte_ring_free(p->events[w]);
		rte_ring_free(p->exports[w]);
	}
	cs_gtpc_tracker_free(p->gtpc);
	cs_sip_tracker_free(p->sip);
	cs_tcp_reasm_free(p->tcp);
	cs_session_dir_free(p->dir);
	rte_mempool_free(p->pool);
	rte_free(p);
}
