/* SPDX-License-Identifier: Apache-2.0 */
#include "gtpc_tracker.h"

#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

/* A request waiting for its response. */
struct pending {
	uint8_t used;
	uint8_t type;
	uint8_t has_sender;
	uint8_t closes_session; /* Delete Session, or Delete Bearer of the linked bearer */
	uint32_t seq;
	struct cs_ip_addr req_src, req_dst;
	uint64_t ts_ns;
	int64_t session;      /* directory index the request named, -1 for Create Session */
	uint64_t session_ref; /* and which session it held then */
	struct cs_fteid sender;      /* Create Session Request: the requester's control F-TEID */
	struct cs_session_info info; /* Create Session Request: the identity it announced */
};

struct cs_gtpc_tracker {
	struct cs_session_dir *dir;
	struct pending *pending;
	uint32_t mask;
	uint64_t response_timeout_ns;
	uint64_t idle_timeout_ns;
	uint64_t next_expiry_ns;
	struct cs_gtpv2c_msg msg; /* decode scratch: a message is ~3 KB, too big for the stack */
};

enum {
	/* TS 29.274 8.4: 16..63 are the "request accepted" causes */
	CAUSE_ACCEPTED_MIN = 16, CAUSE_ACCEPTED_MAX = 63,
	EXPIRY_BUDGET = 64,          /* directory entries examined per tick */
};
static const uint64_t EXPIRY_PERIOD_NS = 1000000000ull; /* one event-time second */

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
	return t;
}

void cs_gtpc_tracker_free(struct cs_gtpc_tracker *t)
{
	if (t == NULL)
		return;
	rte_free(t->pending);
	rte_free(t);
}

static uint32_t slot_of(const struct cs_gtpc_tracker *t, uint32_t seq, const struct cs_ip_addr *src,
			const struct cs_ip_addr *dst)
{
	uint32_t h = rte_jhash(src->b, sizeof(src->b), seq);

	return rte_jhash(dst->b, sizeof(dst->b), h) & t->mask;
}

static struct pending *remember(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
				struct cs_decode_stats *st)
{
	struct pending *p = &t->pending[slot_of(t, t->msg.seq, &l->src, &l->dst)];

	if (p->used && ts - p->ts_ns < t->response_timeout_ns)
		st->gtpc_transactions_overwritten++;
	memset(p, 0, offsetof(struct pending, info));
	p->used = 1;
	p->type = t->msg.type;
	p->seq = t->msg.seq;
	p->req_src = l->src;
	p->req_dst = l->dst;
	p->ts_ns = ts;
	p->session = -1;
	return p;
}

/* The request a response answers: same sequence number, addresses swapped. */
static struct pending *answered(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts)
{
	struct pending *p = &t->pending[slot_of(t, t->msg.seq, &l->dst, &l->src)];

	if (!p->used || p->seq != t->msg.seq || p->type + 1 != t->msg.type || ts - p->ts_ns > t->response_timeout_ns ||
	    memcmp(&p->req_src, &l->dst, sizeof(p->req_src)) != 0 || memcmp(&p->req_dst, &l->src, sizeof(p->req_dst)) != 0)
		return NULL;
	p->used = 0;
	return p;
}

static void ipv4_addr(struct cs_ip_addr *a, uint32_t host_order)
{
	memset(a, 0, sizeof(*a));
	a->b[0] = (uint8_t)(host_order >> 24);
	a->b[1] = (uint8_t)(host_order >> 16);
	a->b[2] = (uint8_t)(host_order >> 8);
	a->b[3] = (uint8_t)host_order;
}

/* The F-TEID's IPv4 form if it has one, its IPv6 form otherwise. */
static struct cs_fteid fteid_key(const struct cs_gtpv2c_fteid *f, int want_v6)
{
	struct cs_fteid k = { .teid = f->teid };

	if (want_v6)
		memcpy(k.addr.b, f->ipv6, 16);
	else
		ipv4_addr(&k.addr, f->ipv4);
	return k;
}

/*
 * Which way user-plane traffic to an F-TEID flows, from its interface type
 * (TS 29.274 table 8.22-1): towards the core (uplink) or towards the UE.
 * Control-plane endpoints name the session for later requests. Others
 * (forwarding tunnels, PMIP) are not kept.
 */
static int role_of(uint8_t iface, enum cs_fteid_role *role)
{
	switch (iface) {
	case 1: case 3: case 5: case 16: /* S1-U SGW, S12 SGW, S5/S8-U PGW, S4-U SGW */
		*role = CS_ROLE_UPLINK;
		return 1;
	case 0: case 2: case 4: case 15: /* S1-U eNodeB, S12 RNC, S5/S8-U SGW, S4-U SGSN */
		*role = CS_ROLE_DOWNLINK;
		return 1;
	case 6: case 7: case 10: case 11: case 17: /* S5/S8-C SGW/PGW, S11 MME, S11/S4 SGW, S4 SGSN */
		*role = CS_ROLE_CONTROL;
		return 1;
	default:
		return 0;
	}
}

static void add_fteid(struct cs_gtpc_tracker *t, uint32_t index, const struct cs_gtpv2c_fteid *f, uint8_t ebi)
{
	enum cs_fteid_role role;

	if (!role_of(f->iface, &role))
		return;
	if (f->has_ipv4) {
		struct cs_fteid k = fteid_key(f, 0);
		cs_session_dir_add_fteid(t->dir, index, &k, role, ebi);
	}
	if (f->has_ipv6) {
		struct cs_fteid k = fteid_key(f, 1);
		cs_session_dir_add_fteid(t->dir, index, &k, role, ebi);
	}
}

static void add_bearer_fteids(struct cs_gtpc_tracker *t, uint32_t index)
{
	for (unsigned int b = 0; b < t->msg.bearer_count; b++) {
		const struct cs_gtpv2c_bearer *br = &t->msg.bearer[b];
		for (unsigned int i = 0; i < br->fteid_count; i++)
			add_fteid(t, index, &br->fteid[i], br->ebi);
	}
}

static void uli_of(const struct cs_gtpv2c_uli *u, struct cs_uli *out)
{
	const struct cs_gtpv2c_plmn *plmn = NULL;

	memset(out, 0, sizeof(*out));
	if (u->flags & CS_GTPV2C_ULI_ECGI) {
		out->cell_kind = CS_CELL_ECGI;
		out->cell = u->ecgi.eci;
		plmn = &u->ecgi.plmn;
	} else if (u->flags & CS_GTPV2C_ULI_CGI) {
		out->cell_kind = CS_CELL_CGI;
		out->cell = u->cgi.ci;
		out->area = u->cgi.lac;
		plmn = &u->cgi.plmn;
	} else if (u->flags & CS_GTPV2C_ULI_SAI) {
		out->cell_kind = CS_CELL_SAI;
		out->cell = u->sai.sac;
		out->area = u->sai.lac;
		plmn = &u->sai.plmn;
	}
	if (u->flags & CS_GTPV2C_ULI_TAI) {
		out->area = u->tai.tac;
		if (plmn == NULL)
			plmn = &u->tai.plmn;
	}
	if (plmn != NULL) {
		out->mcc = plmn->mcc;
		out->mnc = plmn->mnc;
		out->mnc_digits = plmn->mnc_digits;
	}
}

static int accepted(const struct cs_gtpv2c_msg *m)
{
	return (m->present & CS_GTPV2C_HAS_CAUSE) && m->cause.value >= CAUSE_ACCEPTED_MIN &&
	       m->cause.value <= CAUSE_ACCEPTED_MAX;
}

static void fill_session_event(struct cs_ev_session *ev, const struct cs_session_view *v,
			       enum cs_session_change change, enum cs_session_close why, uint64_t ts)
{
	memset(ev, 0, sizeof(*ev));
	ev->h = (struct cs_event_hdr){ .kind = CS_EV_SESSION, .slots = CS_EVENT_SLOTS(*ev), .ts_ns = ts };
	ev->change = (uint8_t)change;
	ev->close_reason = (uint8_t)why;
	ev->gtp_version = 2;
	ev->session_ref = v->session_ref;
	ev->imsi = v->imsi;
	ev->msisdn = v->msisdn;
	ev->imei = v->imei;
	ev->rat = v->rat;
	ev->uli = v->uli;
	ev->created_ns = v->created_ns;
}

/* A session event for a live entry: the view plus what only the writer keeps (APN, UE addresses). */
static void emit_session(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_change change,
			 enum cs_session_close why, uint64_t ts, struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_session_view v;
	struct cs_ev_session ev;

	cs_session_dir_view(t->dir, index, &v);
	fill_session_event(&ev, &v, change, why, ts);
	cs_session_dir_ue_addresses(t->dir, index, &ev.has_ue_ipv4, &ev.ue_ipv4, &ev.has_ue_ipv6, &ev.ue_ipv6);
	snprintf(ev.apn, sizeof(ev.apn), "%s", cs_session_dir_apn(t->dir, index));
	cs_emit(out, ev.imsi, &ev, st);
}

/* A session the directory has already let go of (evicted, expired): its last view only. */
static void emit_gone(const struct cs_session_view *v, enum cs_session_close why, uint64_t ts,
		      struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_ev_session ev;

	fill_session_event(&ev, v, CS_SESSION_CLOSE, why, ts);
	cs_emit(out, ev.imsi, &ev, st);
}

static void close_session(struct cs_gtpc_tracker *t, uint32_t index, enum cs_session_close why, uint64_t ts,
			  struct cs_emitter *out, struct cs_decode_stats *st)
{
	emit_session(t, index, CS_SESSION_CLOSE, why, ts, out, st);
	cs_session_dir_delete(t->dir, index);
	st->sessions_closed++;
}

static void on_create_session_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
				      struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct pending *p = remember(t, l, ts, st);
	const struct cs_gtpv2c_fteid *sender = cs_gtpv2c_fteid_by_instance(m->fteid, m->fteid_count, 0);

	memset(&p->info, 0, sizeof(p->info));
	p->info.imsi = m->imsi;
	p->info.msisdn = m->msisdn;
	p->info.imei = m->mei;
	p->info.rat = m->rat_type;
	uli_of(&m->uli, &p->info.uli);
	memcpy(p->info.apn, m->apn, sizeof(p->info.apn));
	if (sender != NULL) {
		p->sender = fteid_key(sender, !sender->has_ipv4);
		p->has_sender = 1;
	}
}

static void on_create_session_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts,
				       struct cs_emitter *out, struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct cs_session_view evicted;
	int did_evict;

	if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV4 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6) {
		p->info.has_ue_ipv4 = 1;
		ipv4_addr(&p->info.ue_ipv4, m->paa.ipv4);
	}
	if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV6 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6) {
		p->info.has_ue_ipv6 = 1;
		memcpy(p->info.ue_ipv6.b, m->paa.ipv6, 16);
	}
	int64_t index = cs_session_dir_create_session(t->dir, &p->info, ts, &evicted, &did_evict);
	if (did_evict) {
		emit_gone(&evicted, CS_CLOSE_EVICTED, ts, out, st);
		st->sessions_evicted++;
	}
	if (index < 0)
		return;
	if (p->has_sender)
		cs_session_dir_add_fteid(t->dir, (uint32_t)index, &p->sender, CS_ROLE_CONTROL, 0);
	for (unsigned int i = 0; i < m->fteid_count; i++)
		add_fteid(t, (uint32_t)index, &m->fteid[i], 0);
	add_bearer_fteids(t, (uint32_t)index);
	emit_session(t, (uint32_t)index, CS_SESSION_OPEN, CS_CLOSE_NONE, ts, out, st);
	st->sessions_opened++;
}

/* A request about an existing session: its header TEID at the receiver's address. */
static int64_t session_of_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l)
{
	struct cs_fteid k = { .addr = l->dst, .teid = t->msg.teid };

	return t->msg.has_teid ? cs_session_dir_index_of_control(t->dir, &k) : -1;
}

static void on_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
			struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct cs_session_view v;

	if (!accepted(m)) {
		st->gtpc_rejected++;
		return;
	}
	if (m->type == CS_GTPV2C_CREATE_SESSION_RESPONSE) {
		on_create_session_response(t, p, ts, out, st);
		return;
	}
	if (p->session < 0)
		return;
	uint32_t index = (uint32_t)p->session;
	cs_session_dir_view(t->dir, index, &v);
	if (v.session_ref != p->session_ref)
		return; /* the session went (evicted, expired) while the request was pending */
	if (p->closes_session) {
		close_session(t, index, CS_CLOSE_DELETED, ts, out, st);
		return;
	}
	switch (m->type) {
	case CS_GTPV2C_MODIFY_BEARER_RESPONSE:
	case CS_GTPV2C_CREATE_BEARER_RESPONSE:
	case CS_GTPV2C_UPDATE_BEARER_RESPONSE:
		add_bearer_fteids(t, index);
		cs_session_dir_update(t->dir, index, NULL, 0, CS_DIGITS_NONE, ts);
		emit_session(t, index, CS_SESSION_UPDATE, CS_CLOSE_NONE, ts, out, st);
		break;
	case CS_GTPV2C_DELETE_BEARER_RESPONSE:
		for (unsigned int b = 0; b < m->bearer_count; b++)
			cs_session_dir_remove_bearer(t->dir, index, m->bearer[b].ebi);
		break;
	default:
		break;
	}
}

/*
 * Requests on an existing session carry news the response only confirms:
 * the eNodeB's F-TEIDs (Modify Bearer Request) and the location. They are
 * applied when the request is seen, since the response repeats neither.
 */
static void on_session_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
			       struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct pending *p = remember(t, l, ts, st);

	p->session = session_of_request(t, l);
	if (p->session < 0) {
		st->gtpc_unknown_session++;
		return;
	}
	uint32_t index = (uint32_t)p->session;
	struct cs_session_view v;
	cs_session_dir_view(t->dir, index, &v);
	p->session_ref = v.session_ref;
	if (m->type == CS_GTPV2C_MODIFY_BEARER_REQUEST)
		add_bearer_fteids(t, index);
	if (m->present & (CS_GTPV2C_HAS_ULI | CS_GTPV2C_HAS_RAT_TYPE | CS_GTPV2C_HAS_MEI)) {
		struct cs_uli uli;
		uli_of(&m->uli, &uli);
		cs_session_dir_update(t->dir, index, (m->present & CS_GTPV2C_HAS_ULI) ? &uli : NULL,
				      (m->present & CS_GTPV2C_HAS_RAT_TYPE) ? m->rat_type : 0,
				      (m->present & CS_GTPV2C_HAS_MEI) ? m->mei : CS_DIGITS_NONE, ts);
	}
	/* Delete Bearer Request naming only the linked bearer removes the whole PDN connection */
	p->closes_session = m->type == CS_GTPV2C_DELETE_SESSION_REQUEST ||
			    (m->type == CS_GTPV2C_DELETE_BEARER_REQUEST && m->ebi_count == 0 &&
			     (m->present & CS_GTPV2C_HAS_EBI));
}

static void on_message(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts, struct cs_emitter *out,
		       struct cs_decode_stats *st)
{
	switch (t->msg.type) {
	case CS_GTPV2C_CREATE_SESSION_REQUEST:
		on_create_session_request(t, l, ts, st);
		break;
	case CS_GTPV2C_MODIFY_BEARER_REQUEST:
	case CS_GTPV2C_DELETE_SESSION_REQUEST:
	case CS_GTPV2C_CREATE_BEARER_REQUEST:
	case CS_GTPV2C_UPDATE_BEARER_REQUEST:
	case CS_GTPV2C_DELETE_BEARER_REQUEST:
		on_session_request(t, l, ts, st);
		break;
	case CS_GTPV2C_CREATE_SESSION_RESPONSE:
	case CS_GTPV2C_MODIFY_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_SESSION_RESPONSE:
	case CS_GTPV2C_CREATE_BEARER_RESPONSE:
	case CS_GTPV2C_UPDATE_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_BEARER_RESPONSE: {
		struct pending *p = answered(t, l, ts);
		if (p == NULL) {
			st->gtpc_unmatched_responses++;
			break;
		}
		on_response(t, p, ts, out, st);
		break;
	}
	default:
		break;
	}
}

void cs_gtpc_v2(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len, uint64_t ts_ns,
		struct cs_emitter *out, struct cs_decode_stats *st)
{
	/* a triggered message may carry one piggybacked message (TS 29.274 5.5) */
	for (int n = 0; n < 2 && len > 0; n++) {
		enum cs_reason r = cs_decode_gtpv2c(p, len, &t->msg);
		if (r != CS_R_OK) {
			st->rejected[r]++;
			return;
		}
		st->gtpv2c_messages++;
		on_message(t, l, ts_ns, out, st);
		if (!t->msg.piggybacked)
			return;
		p += t->msg.msg_len;
		len -= t->msg.msg_len;
	}
}

void cs_gtpc_tick(struct cs_gtpc_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st)
{
	struct cs_session_view expired[EXPIRY_BUDGET];

	if (now_ns < t->next_expiry_ns || now_ns < t->idle_timeout_ns)
		return;
	t->next_expiry_ns = now_ns + EXPIRY_PERIOD_NS;
	unsigned int n = cs_session_dir_expire(t->dir, now_ns - t->idle_timeout_ns, EXPIRY_BUDGET, expired,
					       EXPIRY_BUDGET);
	for (unsigned int i = 0; i < n; i++)
		emit_gone(&expired[i], CS_CLOSE_IDLE, now_ns, out, st);
	st->sessions_expired += n;
}
