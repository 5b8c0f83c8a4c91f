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
#include <rte_mbuf_dyn.h>

#include "event_ring.h"
#include "gtpc_tracker.h"
#include "port.h"
#include "tcp_reasm.h"

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
	HANDOFF_RING_SIZE = 4096, /* GTP-C mbufs in flight from an RX lcore to RX 0 */
};

struct cs_pipeline {
	struct cs_pipeline_conf conf;
	struct rte_mempool *pool;
	struct cs_session_dir *dir;
	struct cs_gtpc_tracker *gtpc;
	struct cs_sip_tracker *sip[CS_MAX_RX_LCORES];
	struct cs_tcp_reasm *tcp[CS_MAX_RX_LCORES];
	struct rte_ring *events[CS_MAX_RX_LCORES][CS_MAX_WORKERS];
	struct rte_ring *gtpc_handoff[CS_MAX_RX_LCORES]; /* RX r (r > 0) -> RX 0 */
	struct rte_ring *exports[CS_MAX_WORKERS];
	struct cs_rx_ctx *rx;
	struct cs_worker_ctx *workers;
	unsigned int worker_lcore[CS_MAX_WORKERS];
	unsigned int ports_started;
	volatile unsigned int rx_done; /* RX lcores other than 0 that have finished */
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
		for (unsigned int r = 0; r < p->conf.nrx; r++) {
			snprintf(name, sizeof(name), "cs_ev_%u_%u", r, w);
			p->events[r][w] = cs_event_ring_create(name, EVENT_RING_SLOTS, rte_socket_id());
			if (p->events[r][w] == NULL)
				return fail(err, errlen, "event rings");
		}
		snprintf(name, sizeof(name), "cs_exp_%u", w);
		p->exports[w] = cs_event_ring_create(name, EXPORT_RING_SLOTS, rte_socket_id());
		if (p->exports[w] == NULL)
			return fail(err, errlen, "export rings");
	}
	for (unsigned int r = 1; r < p->conf.nrx; r++) {
		snprintf(name, sizeof(name), "cs_gtpc_%u", r);
		p->gtpc_handoff[r] = rte_ring_create(name, HANDOFF_RING_SIZE, rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (p->gtpc_handoff[r] == NULL)
			return fail(err, errlen, "GTP-C hand-off rings");
	}
	return 0;
}

/* Is lcore free for a role: enabled in EAL, not the main lcore, not taken already? */
static int lcore_usable(const struct cs_pipeline *p, unsigned int lcore, unsigned int taken_workers,
			char *err, size_t errlen, const char *role)
{
	const char *why = NULL;

	if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore))
		why = "not enabled in EAL's lcore list";
	else if (lcore == rte_get_main_lcore())
		why = "the main lcore (RX 0)";
	for (unsigned int r = 1; why == NULL && r < p->conf.nrx; r++)
		if (p->conf.rx_lcores[r] == lcore && strcmp(role, "worker") == 0)
			why = "an RX lcore";
	for (unsigned int w = 0; why == NULL && w < taken_workers; w++)
		if (p->worker_lcore[w] == lcore)
			why = "already a worker";
	if (why != NULL) {
		snprintf(err, errlen, "%s lcore %u is %s", role, lcore, why);
		return 0;
	}
	return 1;
}

static int assign_lcores(struct cs_pipeline *p, char *err, size_t errlen)
{
	unsigned int lcore = rte_get_main_lcore();

	for (unsigned int r = 1; r < p->conf.nrx; r++)
		if (!lcore_usable(p, p->conf.rx_lcores[r], 0, err, errlen, "RX"))
			return -1;
	if (p->conf.worker_lcores[0] != 0) {
		for (unsigned int w = 0; w < p->conf.nworkers; w++) {
			if (!lcore_usable(p, p->conf.worker_lcores[w], w, err, errlen, "worker"))
				return -1;
			p->worker_lcore[w] = p->conf.worker_lcores[w];
		}
		return 0;
	}
	/* by default, workers take the lcores after the main one that RX does not use */
	for (unsigned int w = 0; w < p->conf.nworkers; w++) {
		do
			lcore = rte_get_next_lcore(lcore, 1, 0);
		while (lcore < RTE_MAX_LCORE && !lcore_usable(p, lcore, w, err, errlen, "worker"));
		if (lcore >= RTE_MAX_LCORE) {
			snprintf(err, errlen, "%u workers and %u RX lcores need %u lcores; EAL gave %u", p->conf.nworkers,
				 p->conf.nrx, p->conf.nworkers + p->conf.nrx, rte_lcore_count());
			return -1;
		}
		p->worker_lcore[w] = lcore;
	}
	return 0;
}

static int start_ports(struct cs_pipeline *p, struct cs_port_timestamp *ts, char *err, size_t errlen)
{
	const struct cs_pipeline_conf *c = &p->conf;
	uint16_t queues = c->rx_queues > 0 ? c->rx_queues : 1;

	for (unsigned int i = 0; i < c->nports; i++) {
		if (cs_port_start_rx(c->port_id[i], queues, p->pool, &ts[i], err, errlen) != 0)
			return -1;
		if (c->arrival_time)
			ts[i].dynfield_offset = -1; /* its stamps are not read: every frame gets its burst's arrival */
		p->ports_started++;
	}
	return 0;
}

/* Every (port, queue) pair goes to one RX lcore, round robin. */
static void share_queues(struct cs_pipeline *p)
{
	const struct cs_pipeline_conf *c = &p->conf;
	uint16_t queues = c->rx_queues > 0 ? c->rx_queues : 1;
	unsigned int next = 0;

	for (unsigned int i = 0; i < c->nports; i++)
		for (uint16_t q = 0; q < queues; q++) {
			struct cs_rx_ctx *rx = &p->rx[next++ % c->nrx];
			if (rx->nqueues < CS_RX_MAX_QUEUES)
				rx->queues[rx->nqueues++] = (struct cs_rx_queue){ .port = (uint16_t)i, .queue = q };
		}
}

static int setup_rx(struct cs_pipeline *p, unsigned int r, const struct cs_port_timestamp *ts, int handoff_ts,
		    char *err, size_t errlen)
{
	const struct cs_pipeline_conf *c = &p->conf;
	struct cs_rx_ctx *rx = &p->rx[r];
	struct timespec now;

	rx->id = r;
	rx->nports = c->nports;
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
		rx->ts[i] = ts[i];
		rx->expected_records[i] = c->expected_records[i];
	}
	rx->handoff_ts_offset = handoff_ts;
	rx->others_done = &p->rx_done;
	if (r > 0) {
		rx->gtpc_out = p->gtpc_handoff[r];
	} else {
		for (unsigned int o = 1; o < c->nrx; o++)
			rx->gtpc_in[rx->ngtpc_in++] = p->gtpc_handoff[o];
	}

	const struct cs_sip_tracker_conf sc = {
		.calls = c->sip_calls,
		.setup_timeout_ns = c->sip_setup_timeout_ns,
		.max_call_ns = c->sip_max_call_ns,
		.numbers = c->numbers,
		.socket_id = rte_socket_id(),
		.id = r,
	};
	const struct cs_tcp_reasm_conf tc = {
		.flows = c->tcp_flows,
		.buffer_bytes = c->tcp_buffer_bytes,
		.idle_timeout_ns = c->sip_setup_timeout_ns,
		.sweep_budget = 64,
		.numbers = c->numbers,
	};
	p->sip[r] = cs_sip_tracker_create(&sc, err, errlen);
	if (p->sip[r] == NULL)
		return -1;
	p->tcp[r] = cs_tcp_reasm_create(&tc, err, errlen);
	if (p->tcp[r] == NULL)
		return -1;

	struct cs_decode_ctx *d = &rx->decode;
	d->ports = c->ports;
	d->dir = p->dir;
	d->dir_reader = r;
	d->gtpc = r == 0 ? p->gtpc : NULL;
	d->sip = p->sip[r];
	d->tcp = p->tcp[r];
	d->emit.nworkers = c->nworkers;
	/* replay must lose nothing and can wait; the wire does not wait, so live drops and counts */
	d->emit.wait_when_full = c->stop == NULL;
	d->emit.producer = (uint16_t)r;
	for (unsigned int w = 0; w < c->nworkers; w++)
		d->emit.rings[w] = p->events[r][w];
	return 0;
}

static int check_conf(const struct cs_pipeline_conf *c, char *err, size_t errlen)
{
	if (c->nworkers == 0 || c->nworkers > CS_MAX_WORKERS || c->nports == 0 || c->nports > CS_MAX_PORTS ||
	    c->nrx == 0 || c->nrx > CS_MAX_RX_LCORES || (c->stop == NULL && c->nrx != 1)) {
		snprintf(err, errlen, "1..%d workers, 1..%d ports and 1..%d RX lcores (1 in replay) are supported",
			 CS_MAX_WORKERS, CS_MAX_PORTS, CS_MAX_RX_LCORES);
		return -1;
	}
	return 0;
}

struct cs_pipeline *cs_pipeline_create(const struct cs_pipeline_conf *conf, char *err, size_t errlen)
{
	struct cs_pipeline *p = rte_zmalloc("cs_pipeline", sizeof(*p), RTE_CACHE_LINE_SIZE);
	struct cs_port_timestamp ts[CS_MAX_PORTS];
	uint64_t ts_flag;
	int handoff_ts;

	if (p == NULL) {
		fail(err, errlen, "pipeline");
		return NULL;
	}
	p->conf = *conf;
	if (check_conf(conf, err, errlen) != 0 || assign_lcores(p, err, errlen) != 0)
		goto out;
	p->pool = rte_pktmbuf_pool_create("cs_rx_pool", conf->mbufs, POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  rte_socket_id());
	if (p->pool == NULL) {
		fail(err, errlen, "mbuf pool");
		goto out;
	}
	/* every RX lcore reads the directory (reader r); RX 0, owning GTP-C, also writes it */
	const struct cs_session_dir_conf dc = {
		.capacity = conf->sessions,
		.max_readers = conf->nrx,
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
		.block_suffix_digits = conf->block.suffix_digits,
		.socket_id = rte_socket_id(),
	};
	p->gtpc = cs_gtpc_tracker_create(&gc, p->dir, err, errlen);
	if (p->gtpc == NULL || create_rings(p, err, errlen) != 0)
		goto out;
	/* a handed-off frame carries its event time in the RX timestamp field (registration is idempotent) */
	if (rte_mbuf_dyn_rx_timestamp_register(&handoff_ts, &ts_flag) != 0) {
		fail(err, errlen, "mbuf timestamp field");
		goto out;
	}
	p->rx = rte_zmalloc("cs_rx", sizeof(*p->rx) * conf->nrx, RTE_CACHE_LINE_SIZE);
	p->workers = rte_zmalloc("cs_workers", sizeof(*p->workers) * conf->nworkers, RTE_CACHE_LINE_SIZE);
	if (p->rx == NULL || p->workers == NULL) {
		fail(err, errlen, "lcore contexts");
		goto out;
	}
	if (start_ports(p, ts, err, errlen) != 0)
		goto out;
	for (unsigned int r = 0; r < conf->nrx; r++)
		if (setup_rx(p, r, ts, handoff_ts, err, errlen) != 0)
			goto out;
	share_queues(p);
	for (unsigned int w = 0; w < conf->nworkers; w++) {
		struct cs_worker_ctx *wc = &p->workers[w];
		const struct cs_worker_conf wconf = {
			.sessions = conf->worker_sessions,
			.subscribers = conf->worker_subscribers,
			.exact_slots = conf->exact_slots,
			.sketch_slots = conf->sketch_slots,
			.devices = conf->worker_devices,
			.cells = conf->worker_cells,
			.number_blocks = conf->worker_blocks,
			.rule_memory = conf->worker_rule_memory,
			.rules = conf->rules,
			.state = conf->state,
			.block = conf->block,
			.checkpoint = conf->checkpoint[w],
			.checkpoint_ns = conf->checkpoint_ns,
		};
		if (cs_worker_init(wc, w, &wconf, rte_socket_id(), err, errlen) != 0)
			goto out;
		wc->nin = conf->nrx;
		for (unsigned int r = 0; r < conf->nrx; r++)
			wc->in[r] = p->events[r][w];
		wc->out = p->exports[w];
		wc->interim_ns = conf->interim_ns;
	}
	return p;
out:
	cs_pipeline_free(p);
	return NULL;
}

void cs_pipeline_offer_rules(struct cs_pipeline *p, const struct cs_rule_set *rules)
{
	for (unsigned int w = 0; w < p->conf.nworkers; w++)
		__atomic_store_n(&p->workers[w].rules_offered, rules, __ATOMIC_RELEASE);
}

bool cs_pipeline_rules_taken(const struct cs_pipeline *p, const struct cs_rule_set *rules)
{
	for (unsigned int w = 0; w < p->conf.nworkers; w++) {
		const struct cs_worker_ctx *wc = &p->workers[w];
		if (__atomic_load_n(&wc->rules_taken, __ATOMIC_ACQUIRE) != rules &&
		    !__atomic_load_n(&wc->finished, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

struct rte_ring *cs_pipeline_export_ring(struct cs_pipeline *p, unsigned int w)
{
	return p->exports[w];
}

uint64_t cs_pipeline_progress(const struct cs_pipeline *p)
{
	uint64_t n = 0;

	for (unsigned int r = 0; r < p->conf.nrx; r++)
		n += p->rx[r].progress;
	return n;
}

/*
 * Workers first, then RX lcores 1.., then RX 0 on the main lcore. A
 * launch that fails leaves what started in a state that ends by itself:
 * RX lcores with nothing to poll send END at once.
 */
int cs_pipeline_run(struct cs_pipeline *p, char *err, size_t errlen)
{
	int rc = 0;

	for (unsigned int w = 0; w < p->conf.nworkers && rc == 0; w++) {
		rc = rte_eal_remote_launch(cs_worker_lcore_main, &p->workers[w], p->worker_lcore[w]);
		if (rc != 0)
			snprintf(err, errlen, "cannot launch worker %u on lcore %u: %s", w, p->worker_lcore[w],
				 rte_strerror(-rc));
	}
	for (unsigned int r = 1; r < p->conf.nrx; r++) {
		if (rc != 0)
			p->rx[r].nqueues = 0;
		int lrc = rte_eal_remote_launch(cs_rx_lcore_main, &p->rx[r], p->conf.rx_lcores[r]);
		if (lrc != 0 && rc == 0) {
			snprintf(err, errlen, "cannot launch RX %u on lcore %u: %s", r, p->conf.rx_lcores[r],
				 rte_strerror(-lrc));
			rc = lrc;
		}
	}
	if (rc != 0) {
		p->rx[0].nports = 0;
		p->rx[0].nqueues = 0;
	}
	cs_rx_lcore_main(&p->rx[0]);
	rte_eal_mp_wait_lcore();
	return rc == 0 ? 0 : -1;
}

static void add_counters(uint64_t *sum, const uint64_t *add, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum[i] += add[i];
}

void cs_pipeline_result(const struct cs_pipeline *p, struct cs_pipeline_result *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int r = 0; r < p->conf.nrx; r++) {
		const struct cs_rx_ctx *rx = &p->rx[r];
		add_counters((uint64_t *)&out->decode, (const uint64_t *)&rx->decode.st,
			     sizeof(out->decode) / sizeof(uint64_t));
		add_counters((uint64_t *)&out->tcp, (const uint64_t *)cs_tcp_reasm_stats(p->tcp[r]),
			     sizeof(out->tcp) / sizeof(uint64_t));
		add_counters(out->port_packets, rx->port_packets, CS_MAX_PORTS);
		if (r == 0) /* port errors are the port's own counters: read once */
			memcpy(out->port_errors, rx->port_errors, sizeof(out->port_errors));
		out->input_timed_out |= rx->timed_out;
		if (rx->last_ts_ns > out->last_event_ns)
			out->last_event_ns = rx->last_ts_ns;
	}
	for (unsigned int w = 0; w < p->conf.nworkers; w++)
		add_counters((uint64_t *)&out->workers, (const uint64_t *)&p->workers[w].st,
			     sizeof(out->workers) / sizeof(uint64_t));
	cs_session_dir_stats(p->dir, &out->dir);
}

const struct cs_subscriber *cs_pipeline_subscriber(struct cs_pipeline *p, cs_digits imsi,
						   const struct cs_state_ctx **ctx)
{
	struct cs_worker_ctx *w = &p->workers[cs_shard_of(imsi, p->conf.nworkers)];

	*ctx = &w->state;
	return cs_worker_subscriber(w, imsi);
}

int cs_pipeline_restore(struct cs_pipeline *p, const struct cs_state_record *rec, int *number_kept)
{
	uint32_t suffix;
	cs_digits block = cs_block_key(rec->msisdn, p->conf.block.suffix_digits, &suffix);
	int kept = block != CS_DIGITS_NONE &&
		   cs_worker_restore_number(&p->workers[cs_shard_of(block, p->conf.nworkers)], block, suffix) == 0;

	if (number_kept != NULL)
		*number_kept = kept;
	return cs_worker_restore(&p->workers[cs_shard_of(rec->imsi, p->conf.nworkers)], rec);
}

const struct cs_cell *cs_pipeline_cell(struct cs_pipeline *p, uint64_t cell, const struct cs_state_ctx **ctx)
{
	struct cs_worker_ctx *w = &p->workers[cs_shard_of(cell, p->conf.nworkers)];

	*ctx = &w->state;
	return cs_worker_cell(w, cell);
}

const struct cs_block *cs_pipeline_block(struct cs_pipeline *p, cs_digits msisdn, uint32_t *suffix,
					 const struct cs_block_conf **conf)
{
	cs_digits block = cs_block_key(msisdn, p->conf.block.suffix_digits, suffix);

	*conf = &p->conf.block;
	if (block == CS_DIGITS_NONE)
		return NULL;
	return cs_worker_block(&p->workers[cs_shard_of(block, p->conf.nworkers)], block);
}

const struct cs_device *cs_pipeline_device(struct cs_pipeline *p, cs_digits imei, const struct cs_state_ctx **ctx)
{
	struct cs_worker_ctx *w = &p->workers[cs_shard_of(imei, p->conf.nworkers)];

	*ctx = &w->state;
	return cs_worker_device(w, imei);
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
	for (unsigned int r = 0; r < CS_MAX_RX_LCORES; r++) {
		if (p->rx != NULL && r < p->conf.nrx)
			rte_ip_frag_table_destroy(p->rx[r].frags);
		cs_sip_tracker_free(p->sip[r]);
		cs_tcp_reasm_free(p->tcp[r]);
		rte_ring_free(p->gtpc_handoff[r]);
		for (unsigned int w = 0; w < CS_MAX_WORKERS; w++)
			rte_ring_free(p->events[r][w]);
	}
	for (unsigned int w = 0; w < CS_MAX_WORKERS; w++)
		rte_ring_free(p->exports[w]);
	rte_free(p->workers);
	rte_free(p->rx);
	cs_gtpc_tracker_free(p->gtpc);
	cs_session_dir_free(p->dir);
	rte_mempool_free(p->pool);
	rte_free(p);
}
