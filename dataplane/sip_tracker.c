/* SPDX-License-Identifier: Apache-2.0 */
#include "sip_tracker.h"

#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

#include "decode_sms.h"
#include "slot_map.h"
#include "sweep.h"

enum call_state { CALL_INVITING = 1, CALL_RINGING, CALL_ANSWERED };

/* One call in progress, keyed by a 64-bit hash of its Call-ID (the Call-ID itself is kept to confirm). */
struct call {
	struct cs_ev_call rec; /* the record as it builds up */
	uint8_t state;
	uint8_t cancelled;
	uint8_t challenged; /* 401/407: the caller authenticates and re-INVITEs in the same call */
	uint16_t invite_sport;
	struct cs_ip_addr invite_src; /* who sent the INVITE: a BYE from there is the caller's */
	uint64_t last_ns;
};

/*
 * MESSAGEs seen lately, to tell a retransmission from a new SMS: over UDP
 * a MESSAGE is sent again until its 200 arrives (RFC 3261 17.1.2, up to
 * Timer F = 64 x T1 = 32 s), and counting each copy would inflate exactly
 * the SMS rates the rules watch. Direct-mapped by (Call-ID, CSeq): a
 * collision forgets the older MESSAGE, which at worst counts a late
 * retransmission once more.
 */
enum { RECENT_MESSAGES = 4096 };
static const uint64_t MESSAGE_RETRANSMIT_NS = 32ull * 1000000000ull;

struct recent_message {
	uint64_t key; /* Call-ID hash mixed with CSeq, 0 for an empty slot */
	uint64_t ts_ns;
};

struct cs_sip_tracker {
	struct recent_message recent[RECENT_MESSAGES];
	struct rte_hash *by_call_id;
	struct call *calls;
	uint32_t capacity;
	uint64_t setup_timeout_ns, max_call_ns;
	struct cs_e164_conf numbers;
	struct cs_slot_map live; /* the slots of calls[] in use, and the sweep's hand */
	struct cs_sweep sweep;
	struct cs_sip_msg msg;
	struct cs_sms sms;
};

/* every call in progress is looked at once per 10 s of event time, 64 at most per burst */
/*
 * per tick the sweep visits up to SWEEP_VISITS calls; the free slots
 * between them cost a bit each, so a jump in event time may look at the
 * whole table at once
 */
enum { SWEEP_VISITS = 64 };
static const uint64_t SWEEP_NS = 10ull * 1000000000ull;

struct cs_sip_tracker *cs_sip_tracker_create(const struct cs_sip_tracker_conf *conf, char *err, size_t errlen)
{
	struct cs_sip_tracker *t = rte_zmalloc_socket("sip_tracker", sizeof(*t), RTE_CACHE_LINE_SIZE, conf->socket_id);
	char name[RTE_HASH_NAMESIZE];
	snprintf(name, sizeof(name), "cs_sip_calls_%u", conf->id);
	const struct rte_hash_parameters hp = {
		.name = name,
		.entries = conf->calls,
		.key_len = sizeof(uint64_t),
		.hash_func = rte_jhash,
		.socket_id = conf->socket_id,
	};

	if (t == NULL)
		goto fail;
	t->by_call_id = rte_hash_create(&hp);
	t->calls = rte_zmalloc_socket("sip_calls", sizeof(struct call) * conf->calls, RTE_CACHE_LINE_SIZE,
				      conf->socket_id);
	t->live.nslots = conf->calls;
	t->live.bits = rte_zmalloc_socket("sip_live", sizeof(uint64_t) * cs_slot_map_words(conf->calls),
					  RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (t->by_call_id == NULL || t->calls == NULL || t->live.bits == NULL)
		goto fail;
	t->capacity = conf->calls;
	t->setup_timeout_ns = conf->setup_timeout_ns;
	t->max_call_ns = conf->max_call_ns;
	t->numbers = conf->numbers;
	return t;
fail:
	snprintf(err, errlen, "SIP tracker of %u calls: %s", conf->calls,
		 rte_errno != 0 ? rte_strerror(rte_errno) : "out of DPDK memory");
	cs_sip_tracker_free(t);
	return NULL;
}

void cs_sip_tracker_free(struct cs_sip_tracker *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->by_call_id);
	rte_free(t->calls);
	rte_free(t->live.bits);
	rte_free(t);
}

/*
 * 64-bit FNV-1a of the Call-ID, cut where the record cuts it. Bytewise,
 * because a Call-ID sits at any alignment inside the packet (rte_jhash
 * reads words).
 */
static uint64_t call_key(const struct cs_sip_span *id)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t n = id->len < CS_CALL_ID_MAX ? id->len : CS_CALL_ID_MAX;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)id->p[i]) * 0x100000001b3ull;
	return h;
}

static struct call *find_call(struct cs_sip_tracker *t, const struct cs_sip_span *id, uint64_t *key)
{
	*key = call_key(id);
	int pos = rte_hash_lookup(t->by_call_id, key);
	if (pos < 0)
		return NULL;
	struct call *c = &t->calls[pos];
	/* the Call-ID is stored cut at CS_CALL_ID_MAX: compare what was kept */
	uint32_t n = id->len < CS_CALL_ID_MAX ? id->len : CS_CALL_ID_MAX;
	return c->rec.call_id_len == n && memcmp(c->rec.call_id, id->p, n) == 0 ? c : NULL;
}

static void end_call(struct cs_sip_tracker *t, struct call *c, uint8_t outcome, uint8_t ended_by, uint64_t ts,
		     struct cs_emitter *out, struct cs_decode_stats *st)
{
	uint64_t key = call_key(&(struct cs_sip_span){ c->rec.call_id, c->rec.call_id_len });

	c->rec.outcome = outcome;
	c->rec.ended_by = ended_by;
	c->rec.end_ns = ts;
	c->rec.h = (struct cs_event_hdr){ .kind = CS_EV_CALL, .slots = CS_EVENT_SLOTS(c->rec), .ts_ns = ts };
	cs_emit(out, c->rec.imsi != CS_DIGITS_NONE ? c->rec.imsi : c->rec.caller, &c->rec, st);
	/* the callee's behaviour counts the call too, on the shard that owns the callee */
	if (c->rec.callee_imsi != CS_DIGITS_NONE) {
		c->rec.for_callee = 1;
		cs_emit(out, c->rec.callee_imsi, &c->rec, st);
	}
	rte_hash_del_key(t->by_call_id, &key);
	cs_slot_map_clear(&t->live, (uint32_t)(c - t->calls));
}

/* The IMSI whose session carries this MSISDN, if the directory knows it (counted). */
static cs_digits imsi_of_number(cs_digits number, struct cs_session_dir *dir, struct cs_decode_stats *st)
{
	if (number == CS_DIGITS_NONE)
		return CS_DIGITS_NONE;
	cs_digits imsi = cs_session_dir_imsi_of_msisdn(dir, number);
	if (imsi != CS_DIGITS_NONE)
		st->msisdn_hits++;
	else
		st->msisdn_misses++;
	return imsi;
}

/* The caller's IMSI: the bearer it came on, its IMS identity, or its MSISDN in the directory. */
static cs_digits imsi_of(const struct cs_sip_msg *m, cs_digits bearer_imsi, cs_digits number,
			 struct cs_session_dir *dir, struct cs_decode_stats *st)
{
	if (bearer_imsi != CS_DIGITS_NONE)
		return bearer_imsi;
	if (m->imsi != CS_DIGITS_NONE)
		return m->imsi;
	return imsi_of_number(number, dir, st);
}

static cs_digits caller_of(const struct cs_sip_msg *m)
{
	return m->asserted.number != CS_DIGITS_NONE ? m->asserted.number : m->from.number;
}

static cs_digits callee_of(const struct cs_sip_msg *m)
{
	return m->request_uri.number != CS_DIGITS_NONE ? m->request_uri.number : m->to.number;
}

static void on_invite(struct cs_sip_tracker *t, const struct cs_l2l4 *l, cs_digits bearer_imsi, uint8_t transport,
		      uint64_t ts, struct cs_session_dir *dir, struct cs_decode_stats *st)
{
	const struct cs_sip_msg *m = &t->msg;
	uint64_t key;

	struct call *known = find_call(t, &m->call_id, &key);
	if (known != NULL) {
		/* a retransmission, or the INVITE again with credentials after a challenge */
		known->challenged = 0;
		known->last_ns = ts;
		return;
	}
	if (m->to_tag.len > 0)
		return; /* a re-INVITE inside a dialog this probe did not see start */
	int pos = rte_hash_add_key(t->by_call_id, &key);
	if (pos < 0) {
		st->sip_calls_refused++;
		return;
	}
	struct call *c = &t->calls[pos];
	cs_slot_map_set(&t->live, (uint32_t)pos);
	memset(c, 0, sizeof(*c));
	c->state = CALL_INVITING;
	c->invite_src = l->src;
	c->invite_sport = l->sport;
	c->last_ns = ts;
	c->rec.caller = caller_of(m);
	c->rec.callee = callee_of(m);
	c->rec.imsi = imsi_of(m, bearer_imsi, c->rec.caller, dir, st);
	/* the callee is whoever owns the dialled number: no bearer or IMS identity of theirs is in the INVITE */
	c->rec.callee_imsi = imsi_of_number(c->rec.callee, dir, st);
	c->rec.setup_ns = ts;
	c->rec.transport = transport;
	c->rec.call_id_len = (uint8_t)(m->call_id.len < CS_CALL_ID_MAX ? m->call_id.len : CS_CALL_ID_MAX);
	memcpy(c->rec.call_id, m->call_id.p, c->rec.call_id_len);
}

static void on_invite_response(struct cs_sip_tracker *t, struct call *c, uint64_t ts, struct cs_emitter *out,
			       struct cs_decode_stats *st)
{
	uint16_t code = t->msg.status_code;

	c->last_ns = ts;
	if (code == 180 || code == 183) {
		if (c->rec.ringing_ns == 0)
			c->rec.ringing_ns = ts;
		if (c->state == CALL_INVITING)
			c->state = CALL_RINGING;
	} else if (code >= 200 && code < 300) {
		if (c->state != CALL_ANSWERED) {
			c->state = CALL_ANSWERED;
			c->rec.answer_ns = ts;
			c->rec.status = code;
		}
	} else if ((code == 401 || code == 407) && c->state != CALL_ANSWERED) {
		/* an authentication challenge is not the end: the INVITE comes again with credentials */
		c->rec.status = code;
		c->challenged = 1;
	} else if (code >= 300 && c->state != CALL_ANSWERED) {
		c->rec.status = code;
		/* cancelled by the caller, or refused on the callee's side */
		end_call(t, c, c->cancelled ? CS_CALL_CANCELLED : CS_CALL_REJECTED,
			 c->cancelled ? CS_SIDE_CALLER : CS_SIDE_CALLEE, ts, out, st);
	}
}

static void on_bye(struct cs_sip_tracker *t, struct call *c, const struct cs_l2l4 *l, uint64_t ts,
		   struct cs_emitter *out, struct cs_decode_stats *st)
{
	int from_caller = memcmp(&l->src, &c->invite_src, sizeof(l->src)) == 0 && l->sport == c->invite_sport;

	if (c->state != CALL_ANSWERED)
		return;
	end_call(t, c, CS_CALL_ANSWERED, from_caller ? CS_SIDE_CALLER : CS_SIDE_CALLEE, ts, out, st);
}

/*
 * MESSAGE with an RP-DATA body (TS 24.341 5.3): MO when the UE submits
 * (TP-SUBMIT: the recipient is TP-DA, the sender the SIP caller), MT when
 * the network delivers (TP-DELIVER: the sender is TP-OA, numeric or
 * alphanumeric, the recipient the Request-URI).
 */
/* Remembers this MESSAGE; returns 1 if it is a copy of one seen within the retransmission time. */
static int retransmitted(struct cs_sip_tracker *t, const struct cs_sip_msg *m, uint64_t ts)
{
	uint64_t key = (call_key(&m->call_id) ^ ((uint64_t)m->cseq * 0x9e3779b97f4a7c15ull)) | 1;
	struct recent_message *r = &t->recent[key % RECENT_MESSAGES];

	if (r->key == key && ts - r->ts_ns <= MESSAGE_RETRANSMIT_NS)
		return 1;
	r->key = key;
	r->ts_ns = ts;
	return 0;
}

static void on_sms(struct cs_sip_tracker *t, cs_digits bearer_imsi, uint8_t transport, uint64_t ts,
		   struct cs_session_dir *dir, struct cs_emitter *out, struct cs_decode_stats *st)
{
	const struct cs_sip_msg *m = &t->msg;

	if (retransmitted(t, m, ts)) {
		st->sms_retransmissions++;
		return;
	}
	struct cs_ev_sms ev;

	enum cs_reason r = cs_decode_sms_rp((const uint8_t *)m->body.p, m->body.len, &t->numbers, &t->sms);
	if (r != CS_R_OK) {
		st->rejected[r]++;
		return;
	}
	if (t->sms.tp_kind != CS_TP_SUBMIT && t->sms.tp_kind != CS_TP_DELIVER)
		return; /* RP-ACK, RP-ERROR, reports: not an SMS of their own */
	memset(&ev, 0, sizeof(ev));
	ev.h = (struct cs_event_hdr){ .kind = CS_EV_SMS, .slots = CS_EVENT_SLOTS(ev), .ts_ns = ts };
	ev.transport = transport;
	ev.rp_mr = t->sms.rp_mr;
	ev.tp_mr = t->sms.tp_mr;
	ev.originator = CS_DIGITS_NONE;
	if (t->sms.tp_kind == CS_TP_SUBMIT) {
		ev.direction = CS_SMS_MO;
		ev.originator = caller_of(m);
		ev.recipient = t->sms.tp_address.number;
		ev.smsc = t->sms.rp_destination.number;
		ev.imsi = imsi_of(m, bearer_imsi, ev.originator, dir, st);
	} else {
		ev.direction = CS_SMS_MT;
		if (t->sms.tp_address.ton == 5)
			snprintf(ev.originator_alpha, sizeof(ev.originator_alpha), "%.*s", CS_ALPHA_MAX, t->sms.tp_address.text);
		else
			ev.originator = t->sms.tp_address.number;
		ev.recipient = callee_of(m);
		ev.smsc = t->sms.rp_originator.number;
		ev.imsi = imsi_of(m, bearer_imsi, ev.recipient, dir, st);
	}
	ev.call_id_len = (uint8_t)(m->call_id.len < CS_CALL_ID_MAX ? m->call_id.len : CS_CALL_ID_MAX);
	memcpy(ev.call_id, m->call_id.p, ev.call_id_len);
	st->sms_messages++;
	cs_emit(out, ev.imsi != CS_DIGITS_NONE ? ev.imsi : (ev.direction == CS_SMS_MO ? ev.originator : ev.recipient),
		&ev, st);
}

void cs_sip_decoded(struct cs_sip_tracker *t, const struct cs_l2l4 *l, const struct cs_sip_msg *msg,
		    cs_digits bearer_imsi, uint8_t transport, uint64_t ts_ns, struct cs_session_dir *dir,
		    struct cs_emitter *out, struct cs_decode_stats *st)
{
	const struct cs_sip_msg *m = &t->msg;
	uint64_t key;

	if (msg != &t->msg)
		t->msg = *msg;
	st->sip_messages++;
	if (m->is_request && m->method == CS_SIP_METHOD_INVITE) {
		on_invite(t, l, bearer_imsi, transport, ts_ns, dir, st);
		return;
	}
	if (m->is_request && m->method == CS_SIP_METHOD_MESSAGE && m->body_kind == CS_SIP_BODY_SMS) {
		on_sms(t, bearer_imsi, transport, ts_ns, dir, out, st);
		return;
	}
	struct call *c = find_call(t, &m->call_id, &key);
	if (c == NULL)
		return;
	if (!m->is_request && m->method == CS_SIP_METHOD_INVITE)
		on_invite_response(t, c, ts_ns, out, st);
	else if (m->is_request && m->method == CS_SIP_METHOD_CANCEL)
		c->cancelled = 1;
	else if (m->is_request && m->method == CS_SIP_METHOD_BYE)
		on_bye(t, c, l, ts_ns, out, st);
}

void cs_sip_datagram(struct cs_sip_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len,
		     cs_digits bearer_imsi, uint8_t transport, uint64_t ts_ns, struct cs_session_dir *dir,
		     struct cs_emitter *out, struct cs_decode_stats *st)
{
	enum cs_reason r = cs_decode_sip(p, len, &t->numbers, &t->msg);

	if (r != CS_R_OK) {
		st->rejected[r]++;
		return;
	}
	cs_sip_decoded(t, l, &t->msg, bearer_imsi, transport, ts_ns, dir, out, st);
}

/* A call that outlived its timeout ends now: TIMEOUT before an answer, ABANDONED after. */
static int expire_call(struct cs_sip_tracker *t, struct call *c, uint64_t now, int force, struct cs_emitter *out,
		       struct cs_decode_stats *st)
{
	uint64_t limit = c->state == CALL_ANSWERED ? t->max_call_ns : t->setup_timeout_ns;

	if (!force && now - c->last_ns < limit)
		return 0;
	uint8_t outcome = c->state == CALL_ANSWERED ? CS_CALL_ABANDONED
			  : c->challenged       ? CS_CALL_REJECTED /* challenged, never came back */
			  : c->cancelled        ? CS_CALL_CANCELLED
						: CS_CALL_TIMEOUT;
	end_call(t, c, outcome, CS_SIDE_UNKNOWN, now, out, st);
	st->sip_calls_timed_out++;
	return 1;
}

/* The timeout sweep walks the calls' slots (slot_map.h: bounded work however full the table is). */
void cs_sip_tick(struct cs_sip_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st)
{
	uint32_t span = cs_sweep_budget(&t->sweep, now_ns, t->capacity, SWEEP_NS, t->capacity);
	int64_t slot;

	for (unsigned int v = 0; v < SWEEP_VISITS && (slot = cs_slot_map_next(&t->live, &span)) >= 0; v++)
		expire_call(t, &t->calls[slot], now_ns, 0, out, st);
}

void cs_sip_flush(struct cs_sip_tracker *t, uint64_t now_ns, struct cs_emitter *out, struct cs_decode_stats *st)
{
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;

	/* the table has no extendable buckets, so deleting the entry just visited keeps the walk valid */
	while ((pos = rte_hash_iterate(t->by_call_id, &key, &data, &iter)) >= 0)
		expire_call(t, &t->calls[pos], now_ns, 1, out, st);
}
