/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

#include "block_state.h"
#include "cell_state.h"
#include "gtpc_tracker_internal.h"

/*
 * The whole directory is examined for idle sessions once a minute of event
 * time: at most EXPIRY_SCAN entries per burst (a few microseconds), at most
 * EXPIRY_MAX of them expired per burst.
 */
enum { EXPIRY_SCAN = 1024, EXPIRY_MAX = 64 };
static const uint64_t EXPIRY_SWEEP_NS = 60ull * 1000000000ull;

struct cs_gtpc_tracker *cs_gtpc_tracker_create(const struct cs_gtpc_tracker_conf *conf, struct cs_session_dir *dir,
					       char *err, size_t errlen)
{
	struct cs_gtpc_tracker *t = rte_zmalloc_socket("gtpc_tracker", sizeof(*t), RTE_CACHE_LINE_SIZE, conf->socket_id);

	if (t == NULL || !rte_is_power_of_2(conf->transactions)) {
		snprintf(err, errlen, "GTP-C tracker: %s", t == NULL ? "out of DPDK memory" :
			 "transactions must be a power of two");
		rte_free(t);
		return NULL;
	}
	t->pending = rte_zmalloc_socket("gtpc_pending", sizeof(struct pending) * conf->transactions,
					RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (t->pending == NULL) {
		snprintf(err, errlen, "GTP-C tracker: %u pending transactions: out of DPDK memory", conf->transactions);
		rte_free(t);
		return NULL;
	}
	t->dir = dir;
	t->mask = conf->transactions - 1;
	t->response_timeout_ns = conf->response_timeout_ns;
	t->idle_timeout_ns = conf->idle_timeout_ns;
	t->block_suffix_digits = conf->block_suffix_digits;
	return t;
}

void cs_gtpc_tracker_free(struct cs_gtpc_tracker *t)
{
	if (t == NULL)
		return;
	rte_free(t->pending);
	rte_free(t);
}

static uint32_t slot_of(const struct cs_gtpc_tracker *t, uint8_t version, uint32_t seq, const struct cs_ip_addr *src,
			const struct cs_ip_addr *dst)
{
	uint32_t h = rte_jhash(src->b, sizeof(src->b), seq ^ (uint32_t)version << 24);

	return rte_jhash(dst->b, sizeof(dst->b), h) & t->mask;
}

struct pending *cs_gtpc_remember(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint8_t version, uint8_t type,
				 uint32_t seq, uint64_t ts, struct cs_decode_stats *st)
{
	struct pending *p = &t->pending[slot_of(t, version, seq, &l->src, &l->dst)];

	if (p->used && ts - p->ts_ns < t->response_timeout_ns)
		st->gtpc_transactions_overwritten++;
	memset(p, 0, offsetof(struct pending, info));
	p->used = 1;
	p->version = version;
	p->type = type;
	p->seq = seq;
	p->req_src = l->src;
	p->req_dst = l->dst;
	p->ts_ns = ts;
	p->session = -1;
	return p;
}

struct pending *cs_gtpc_answered(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint8_t version, uint8_t type,
				 uint32_t seq, uint64_t ts)
{
	struct pending *p = &t->pending[slot_of(t, version, seq, &l->dst, &l->src)];

	/* request and response types are consecutive in both versions */
	if (!p->used || p->version != version || p->seq != seq || p->type + 1 != type ||
	    ts - p->ts_ns > t->response_timeout_ns || memcmp(&p->req_src, &l->dst, sizeof(p->req_src)) != 0 ||
	    memcmp(&p->req_dst, &l->src, sizeof(p->req_dst)) != 0)
		return NULL;
	p->used = 0;
	return p;
}

int64_t cs_gtpc_session_of(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint32_t teid, struct pending *p,
			   struct cs_decode_stats *st)
{
	const struct cs_fteid k = { .addr = l->dst, .teid = teid };
	struct cs_session_view v;

	p->session = cs_session_dir_index_of_control(t->dir, &k);
	if (p->session < 0) {
		st->gtpc_unknown_session++;
		return -1;
	}
	cs_session_dir_view(t->dir, (uint32_t)p->session, &v);
	p->session_ref = v.session_ref;
	return p->session;
}

int cs_gtpc_still_same(struct cs_gtpc_tracker *t, const struct pending *p)
{
	struct cs_session_view v;

	if (p->session < 0)
		return 0;
	cs_session_dir_view(t->dir, (uint32_t)p->session, &v);
	return v.session_ref == p->session_ref;
}

void cs_gtpc_ipv4(struct cs_ip_addr *a, uint32_t host_order)
{
	memset(a, 0, sizeof(*a));
	a->b[0] = (uint8_t)(host_order >> 24);
	a->b[1] = (uint8_t)(host_order >> 16);
	a->b[2] = (uint8_t)(host_order >> 8);
	a->b[3] = (uint8_t)host_order;
}

static void fill_session_event(struct cs_ev_session *ev, const struct cs_session_view *v,
			       enum cs_session_change change, enum cs_session_close why, uint64_t ts)
{
	memset(ev, 0, sizeof(*ev));
	ev->h = (struct cs_event_hdr){ .kind = CS_EV_SESSION, .slots = CS_EVENT_SLOTS(*ev), .ts_ns = ts };
	ev->change = (uint8_t)change;
	ev->close_reason = (uint8_t)why;
	ev->gtp_version = v->gtp_version;
	ev->session_ref = v->session_ref;
	ev->imsi = v->imsi;
	ev->msisdn = v->msisdn;
	ev->imei = v->imei;
	ev->rat = v->rat;
	ev->uli = v->uli;
	ev->created_ns = v->created_ns;
}

static void sighting(enum cs_sighting_kind kind, uint64_t key, uint32_t suffix, const struct cs_ev_session *ev,
		     struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_ev_sighting s = {
		.h = { .kind = CS_EV_SIGHTING, .slots = CS_EVENT_SLOTS(s), .ts_ns = ev->h.ts_ns },
		.kind = (uint8_t)kind,
		.suffix = suffix,
		.key = key,
		.imsi = ev->imsi,
	};

	cs_emit(out, key, &s, st);
}

/*
 * The SIM's device, cell and number, each to the shard owning it (event.h):
 * SIM rotation, SIM-box farms and number batches span IMSI shards.
 */
static void emit_sightings(const struct cs_gtpc_tracker *t, const struct cs_ev_session *ev, struct cs_emitter *out,
			   struct cs_decode_stats *st)
{
	uint64_t cell = cs_cell_key(&ev->uli);
	uint32_t suffix;
	cs_digits block = cs_block_key(ev->msisdn, t->block_suffix_digits, &suffix);

	if (ev->imei != CS_DIGITS_NONE)
		sighting(CS_SIGHT_DEVICE, ev->imei, 0, ev, out, st);
	if (cell != CS_CELL_KEY_NONE)
		sighting(CS_SIGHT_CELL, cell, 0, ev, out, st);
	if (block != CS_DIGITS_NONE)
		sighting(CS_SIGHT_NUMBER, block, suffix, ev, out, st);
}

void cs_gtpc_emit_session(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_change change,
			  enum cs_session_close why, uint64_t ts, struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_session_view v;
	struct cs_ev_session ev;

	/* the view plus what only the writer keeps (APN, UE addresses) */
	cs_session_dir_view(t->dir, index, &v);
	fill_session_event(&ev, &v, change, why, ts);
	cs_session_dir_ue_addresses(t->dir, index, &ev.has_ue_ipv4, &ev.ue_ipv4, &ev.has_ue_ipv6, &ev.ue_ipv6);
	snprintf(ev.apn, sizeof(ev.apn), "%s", cs_session_dir_apn(t->dir, index));
	cs_emit(out, ev.imsi, &ev, st);
	if (change != CS_SESSION_CLOSE && ev.imsi != CS_DIGITS_NONE)
		emit_sightings(t, &ev, out, st);
}

/* A session the directory has already let go of (evicted, expired): its last view only. */
static void emit_gone(const struct cs_session_view *v, enum cs_session_close why, uint64_t ts,
		      struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_ev_session ev;

	fill_session_event(&ev, v, CS_SESSION_CLOSE, why, ts);
	cs_emit(out, ev.imsi, &ev, st);
}

void cs_gtpc_close(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_close why, uint64_t ts,
		   struct cs_emitter *out, struct cs_decode_stats *st)
{
	cs_gtpc_emit_session(t, index, CS_SESSION_CLOSE, why, ts, out, st);
	cs_session_dir_delete(t->dir, index);
	st->sessions_closed++;
}

int64_t cs_gtpc_open(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
		     struct cs_decode_stats *st)
{
	struct cs_session_view evicted;
	int did_evict;

	int64_t index = cs_session_dir_create_session(t->dir, &p->info, ts, &evicted, &did_evict);
	if (did_evict) {
		emit_gone(&evicted, CS_CLOSE_EVICTED, ts, out, st);
		st->sessions_evicted++;
	}
	if (index >= 0 && p->has_sender)
		cs_session_dir_add_fteid(t->dir, (uint32_t)index, &p->sender, CS_ROLE_CONTROL, 0);
	return index;
}

void cs_gtpc_tick(struct cs_gtpc_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_session_view expired[EXPIRY_MAX];
	uint32_t budget = cs_sweep_budget(&t->expiry, now_ns, cs_session_dir_capacity(t->dir), EXPIRY_SWEEP_NS,
					  EXPIRY_SCAN);

	if (budget == 0 || now_ns < t->idle_timeout_ns)
		return;
	unsigned int n = cs_session_dir_expire(t->dir, now_ns - t->idle_timeout_ns, budget, expired, EXPIRY_MAX);
	for (unsigned int i = 0; i < n; i++)
		emit_gone(&expired[i], CS_CLOSE_IDLE, now_ns, out, st);
	st->sessions_expired += n;
}
