/* SPDX-License-Identifier: Apache-2.0 */
#include "worker.h"

#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "decode_sms.h"
#include "event_ring.h"
#include "key_hash.h"

/*
 * open sessions are looked at for interim records once a minute of event
 * time, at most INTERIM_VISITS a loop; the slots between them cost a bit
 * each, so a jump in event time may look at the whole table at once
 */
enum { CS_WORKER_BURST_SLOTS = 128, INTERIM_VISITS = 32 };
static const uint64_t INTERIM_SWEEP_NS = 60ull * 1000000000ull;
static const uint64_t HOUSEKEEPING_TICK_NS = 1000000ull; /* a slice at most every millisecond of event time */
/*
 * The state pass looks at most this many subscriber slots a slice: their
 * bucket indexes and flags, and a 48-byte copy of the dirty ones. At 10 M
 * subscribers and a 300 s interval that is 33 K slots a second of event
 * time, a few per slice.
 */
enum { STATE_SWEEP_STEP = 256 };

static void raise_anomaly(void *arg, struct cs_rec_anomaly *a);

int cs_worker_init(struct cs_worker_ctx *w, unsigned int id, const struct cs_worker_conf *conf, int socket, char *err,
		   size_t errlen)
{
	char name[RTE_HASH_NAMESIZE];

	snprintf(name, sizeof(name), "cs_w%u_sessions", id);
	const struct rte_hash_parameters p = {
		.name = name,
		.entries = conf->sessions,
		.key_len = sizeof(uint64_t),
		.hash_func = cs_key_crc,
		.socket_id = socket,
	};
	w->id = id;
	w->capacity = conf->sessions;
	w->by_ref = rte_hash_create(&p);
	w->sessions = rte_zmalloc_socket(name, sizeof(*w->sessions) * conf->sessions, RTE_CACHE_LINE_SIZE, socket);
	w->open.nslots = conf->sessions;
	w->open.bits = rte_zmalloc_socket(name, sizeof(uint64_t) * cs_slot_map_words(conf->sessions),
					  RTE_CACHE_LINE_SIZE, socket);
	w->subscribers = cs_subscriber_table_create(conf->subscribers, sizeof(struct cs_subscriber));
	w->state.conf = conf->state;
	w->state.pool = cs_distinct_pool_create(conf->exact_slots, conf->sketch_slots);
	w->devices = cs_subscriber_table_create(conf->devices, sizeof(struct cs_device));
	w->cells = cs_subscriber_table_create(conf->cells, sizeof(struct cs_cell));
	w->block = conf->block;
	w->blocks = cs_subscriber_table_create(conf->number_blocks,
					       (uint32_t)cs_block_record_size(conf->block.suffix_digits));
	w->checkpoint = conf->checkpoint;
	w->checkpoint_ns = conf->checkpoint_ns;
	w->rules_offered = w->rules_taken = conf->rules;
	int rules_rc = cs_rule_engine_init(&w->engine, conf->rules, &w->state, conf->rule_memory, raise_anomaly, w);
	if (w->by_ref == NULL || w->sessions == NULL || w->open.bits == NULL || w->subscribers == NULL ||
	    w->state.pool == NULL || w->devices == NULL || w->cells == NULL || w->blocks == NULL || rules_rc != 0) {
		snprintf(err, errlen, "worker %u: tables of %u sessions, %u subscribers, %u devices, %u cells, %u "
			 "number blocks and %u rule memories: %s", id, conf->sessions, conf->subscribers, conf->devices,
			 conf->cells, conf->number_blocks, conf->rule_memory,
			 rte_errno != 0 ? rte_strerror(rte_errno) : "out of memory");
		cs_worker_fini(w);
		return -1;
	}
	return 0;
}

void cs_worker_fini(struct cs_worker_ctx *w)
{
	rte_hash_free(w->by_ref);
	rte_free(w->sessions);
	rte_free(w->open.bits);
	cs_subscriber_table_free(w->subscribers);
	cs_subscriber_table_free(w->devices);
	cs_subscriber_table_free(w->cells);
	cs_subscriber_table_free(w->blocks);
	cs_rule_engine_fini(&w->engine);
	cs_distinct_pool_free(w->state.pool);
	w->by_ref = NULL;
	w->sessions = NULL;
	w->open.bits = NULL;
	w->subscribers = NULL;
	w->devices = NULL;
	w->cells = NULL;
	w->blocks = NULL;
	w->state.pool = NULL;
}

const struct cs_subscriber *cs_worker_subscriber(struct cs_worker_ctx *w, cs_digits imsi)
{
	return cs_subscriber_find(w->subscribers, imsi);
}

const struct cs_device *cs_worker_device(struct cs_worker_ctx *w, cs_digits imei)
{
	return cs_subscriber_find(w->devices, imei);
}

const struct cs_cell *cs_worker_cell(struct cs_worker_ctx *w, uint64_t cell)
{
	return cs_subscriber_find(w->cells, cell);
}

const struct cs_block *cs_worker_block(struct cs_worker_ctx *w, cs_digits prefix)
{
	return cs_subscriber_find(w->blocks, prefix);
}

int cs_worker_restore_number(struct cs_worker_ctx *w, cs_digits prefix, uint32_t suffix)
{
	int created;
	struct cs_block *b = cs_subscriber_get_if_room(w->blocks, prefix, &created);

	if (b == NULL)
		return -1;
	cs_block_mark_known(b, &w->block, suffix);
	w->numbers_restored++;
	return 0;
}

/* Hands a dirty record's long memory to the writer; a full queue leaves it dirty. Returns 0 when taken. */
static int offer_long_memory(struct cs_worker_ctx *w, struct cs_subscriber *s)
{
	struct cs_state_record rec;

	cs_state_long_memory(s, &rec);
	if (cs_checkpoint_queue_offer(w->checkpoint, &rec) != 0) {
		w->st.checkpoint_deferred++;
		return -1;
	}
	s->flags &= (uint8_t)~CS_STATE_DIRTY;
	w->st.checkpoint_offers++;
	return 0;
}

/* A subscriber pushed out of a full table: what it changed goes to the writer first, if it can. */
static void evict_subscriber(void *record, void *arg)
{
	struct cs_worker_ctx *w = arg;
	struct cs_subscriber *s = record;

	if (w->checkpoint != NULL && (s->flags & CS_STATE_DIRTY) && offer_long_memory(w, s) != 0)
		w->st.long_memory_lost++;
	cs_state_release(&w->state, s);
}

/* The behaviour state of imsi, created on first sight; a full table evicts its idlest subscriber. */
static struct cs_subscriber *subscriber(struct cs_worker_ctx *w, cs_digits imsi)
{
	int created;
	struct cs_subscriber *s;

	if (imsi == CS_DIGITS_NONE)
		return NULL;
	s = cs_subscriber_get(w->subscribers, imsi, &created, evict_subscriber, w);
	if (created)
		cs_state_init(s);
	return s;
}

int cs_worker_restore(struct cs_worker_ctx *w, const struct cs_state_record *rec)
{
	int created;
	struct cs_subscriber *s = cs_subscriber_get_if_room(w->subscribers, rec->imsi, &created);

	if (s == NULL)
		return -1;
	cs_state_init(s);
	cs_state_restore(s, rec);
	return 0;
}

/* The far end of a data flow as one identity for the distinct count (IPv4 and IPv6 alike). */
static uint64_t peer_id(const struct cs_ip_addr *a)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sizeof(a->b); i++)
		h = (h ^ a->b[i]) * 0x100000001b3ull;
	return h;
}

static void put_out(struct cs_worker_ctx *w, void *msg)
{
	while (cs_event_ring_put(w->out, msg) != 0) {
		/* export writes files and talks to Kafka: it is slower in bursts, never lossy */
		w->st.export_ring_full_waits++;
		rte_pause();
	}
	w->st.records++;
}

/* The session's record slot, created on first sight (data may arrive before its OPEN). */
static struct cs_rec_session *session(struct cs_worker_ctx *w, uint64_t ref, cs_digits imsi)
{
	int pos = rte_hash_lookup(w->by_ref, &ref);

	if (pos >= 0)
		return &w->sessions[pos];
	pos = rte_hash_add_key(w->by_ref, &ref);
	w->positions_stale = true;
	if (pos < 0) {
		w->st.sessions_table_full++;
		return NULL;
	}
	struct cs_rec_session *r = &w->sessions[pos];
	memset(r, 0, sizeof(*r));
	cs_slot_map_set(&w->open, (uint32_t)pos);
	r->s.session_ref = ref;
	r->s.imsi = imsi;
	r->s.msisdn = CS_DIGITS_NONE;
	r->s.imei = CS_DIGITS_NONE;
	w->st.sessions_open++;
	return r;
}

static void emit_record(struct cs_worker_ctx *w, struct cs_rec_session *r, uint64_t ts, int interim)
{
	struct cs_rec_session out = *r;

	out.s.h = (struct cs_event_hdr){ .kind = CS_REC_SESSION, .slots = CS_EVENT_SLOTS(out), .ts_ns = ts };
	out.interim = (uint8_t)interim;
	put_out(w, &out);
}

static void close_session(struct cs_worker_ctx *w, struct cs_rec_session *r, uint8_t why, uint64_t ts)
{
	uint64_t ref = r->s.session_ref;

	r->s.change = CS_SESSION_CLOSE;
	r->s.close_reason = why;
	if (r->record_seq > 0)
		r->record_seq++; /* the final record of a session that had interim ones */
	emit_record(w, r, ts, 0);
	rte_hash_del_key(w->by_ref, &ref);
	w->positions_stale = true;
	cs_slot_map_clear(&w->open, (uint32_t)(r - w->sessions));
	w->st.sessions_open--;
}

/* ---- rules (rule_engine.h): checked on the updates that can trip them ---- */

/* A graded anomaly goes to export like a record: export never drops it. */
static void raise_anomaly(void *arg, struct cs_rec_anomaly *a)
{
	put_out(arg, a);
}

/* Whether numblock.batch still waits for the blocks to learn what was active before (rules.h). */
static bool blocks_learning(const struct cs_worker_ctx *w)
{
	uint64_t learning_ns = (uint64_t)w->engine.rules->conf.batch_learning_s * NS_PER_S;

	return learning_ns != 0 && w->numbers_restored == 0 && w->now_ns - w->first_ns < learning_ns;
}

/* pos: where the burst's bulk lookup found the session (look_up_burst), or -1 */
static void on_data(struct cs_worker_ctx *w, const struct cs_ev_data *ev, int32_t pos)
{
	struct cs_rec_session *r = pos >= 0 && !w->positions_stale ? &w->sessions[pos]
								     : session(w, ev->session_ref, ev->imsi);
	struct cs_subscriber *sub = subscriber(w, ev->imsi);

	w->st.data_events++;
	if (sub != NULL) {
		uint32_t silent_since = sub->last_seen_s;
		cs_state_on_data(&w->state, sub, ev->dir == CS_DIR_UPLINK, ev->bytes, peer_id(&ev->peer), ev->h.ts_ns);
		cs_rules_after_data(&w->engine, sub, silent_since, w->now_ns);
	}
	if (r == NULL)
		return;
	if (r->first_data_ns == 0)
		r->first_data_ns = ev->h.ts_ns;
	r->last_data_ns = ev->h.ts_ns;
	if (ev->dir == CS_DIR_UPLINK) {
		r->bytes_up += ev->bytes;
		r->packets_up++;
	} else {
		r->bytes_down += ev->bytes;
		r->packets_down++;
	}
}

static void release_device(void *record, void *arg)
{
	cs_device_release(record, arg);
}

static void release_cell(void *record, void *arg)
{
	cs_cell_release(record, arg);
}

/* An aggregate keyed by its own key, created on first sight; a full table evicts its idlest. */
static void *aggregate(struct cs_subscriber_table *t, uint64_t key, void (*on_evict)(void *, void *), void *arg)
{
	int created;

	return cs_subscriber_get(t, key, &created, on_evict, arg);
}

/* A SIM seen with a device, in a cell or with a number that this shard owns (event.h). */
static void on_sighting(struct cs_worker_ctx *w, const struct cs_ev_sighting *s)
{
	uint64_t ts = s->h.ts_ns;

	switch (s->kind) {
	case CS_SIGHT_DEVICE: {
		struct cs_device *d = aggregate(w->devices, s->key, release_device, w->state.pool);
		w->st.device_events++;
		cs_device_on_imsi(d, w->state.pool, w->state.conf.day_ns, s->imsi, ts);
		cs_rules_after_device(&w->engine, d, w->now_ns);
		break;
	}
	case CS_SIGHT_CELL:
		w->st.cell_events++;
		cs_cell_on_active(aggregate(w->cells, s->key, release_cell, w->state.pool), w->state.pool,
				  w->state.conf.hour_ns, s->imsi, ts);
		break;
	case CS_SIGHT_NUMBER: {
		struct cs_block *b = aggregate(w->blocks, s->key, NULL, NULL);
		w->st.number_events++;
		if (cs_block_on_active(b, &w->block, s->suffix, ts)) {
			w->st.first_activations++;
			if (!blocks_learning(w))
				cs_rules_after_first_activation(&w->engine, b, &w->block, w->now_ns);
		}
		break;
	}
	default:
		break;
	}
}

static void on_session(struct cs_worker_ctx *w, const struct cs_ev_session *ev)
{
	struct cs_rec_session *r = session(w, ev->session_ref, ev->imsi);
	struct cs_subscriber *sub = subscriber(w, ev->imsi);

	w->st.session_events++;
	if (sub != NULL) {
		uint32_t silent_since = sub->last_seen_s;
		cs_state_on_identity(&w->state, sub, ev->msisdn, ev->imei, cs_cell_key(&ev->uli), ev->rat, ev->h.ts_ns);
		cs_rules_after_identity(&w->engine, sub, ev->imei != CS_DIGITS_NONE, silent_since, w->now_ns);
	}
	if (r == NULL)
		return;
	if (ev->change == CS_SESSION_OPEN) {
		/* the identity as the directory announced it */
		r->s = *ev;
	} else {
		/* updates and closes carry the latest location, RAT and IMEI */
		r->s.uli = ev->uli;
		r->s.rat = ev->rat != 0 ? ev->rat : r->s.rat;
		if (ev->imei != CS_DIGITS_NONE)
			r->s.imei = ev->imei;
	}
	if (ev->change == CS_SESSION_CLOSE)
		close_session(w, r, ev->close_reason, ev->h.ts_ns);
}

/*
 * A call counts in the caller's behaviour (MO) on the caller's shard, which
 * also writes its record, and in the callee's (MT) through the copy the
 * decode stage sends the callee's shard.
 */
static void on_call(struct cs_worker_ctx *w, const struct cs_ev_call *c)
{
	bool answered = c->answer_ns != 0;
	uint32_t duration_s = answered && c->end_ns > c->answer_ns ? (uint32_t)((c->end_ns - c->answer_ns) / 1000000000u)
								    : 0;

	if (c->for_callee) {
		struct cs_subscriber *callee = subscriber(w, c->callee_imsi);
		if (callee != NULL) {
			uint32_t silent_since = callee->last_seen_s;
			cs_state_on_call(&w->state, callee, false, c->caller, answered, duration_s, c->setup_ns);
			cs_rules_after_call(&w->engine, callee, false, c->caller, silent_since, w->now_ns);
		}
		return;
	}
	w->st.call_events++;
	struct cs_subscriber *caller = subscriber(w, c->imsi);
	put_out(w, (void *)c);
	if (caller != NULL) {
		uint32_t silent_since = caller->last_seen_s;
		cs_state_on_call(&w->state, caller, true, c->callee, answered, duration_s, c->setup_ns);
		cs_rules_after_call(&w->engine, caller, true, c->callee, silent_since, w->now_ns);
	}
}

/* An SMS counts in its subscriber's behaviour: the sender's for MO, the recipient's for MT. */
static void on_sms(struct cs_worker_ctx *w, const struct cs_ev_sms *m)
{
	struct cs_subscriber *sub = subscriber(w, m->imsi);

	w->st.sms_events++;
	put_out(w, (void *)m);
	if (sub == NULL)
		return;
	uint32_t silent_since = sub->last_seen_s;
	if (m->direction == CS_SMS_MO) {
		cs_state_on_sms(&w->state, sub, true, m->recipient, NULL, false, m->h.ts_ns);
		cs_rules_after_sms(&w->engine, sub, true, m->recipient, false, false, silent_since, w->now_ns);
		return;
	}
	bool service = cs_rule_is_service(w->engine.rules, m->originator);
	cs_state_on_sms(&w->state, sub, false, m->originator, m->originator_alpha, service, m->h.ts_ns);
	cs_rules_after_sms(&w->engine, sub, false, m->originator, m->originator_alpha[0] != '\0', service, silent_since,
			   w->now_ns);
}

/*
 * Interim records for long sessions, in event time: the table is walked a
 * slice at a time (sweep.h) over the open sessions' slots (slot_map.h), so
 * no sweep ever stalls the worker, however full the table is.
 */
static void interim_sweep(struct cs_worker_ctx *w)
{
	if (w->interim_ns == 0)
		return;
	uint32_t span = cs_sweep_budget(&w->interim_sweep, w->now_ns, w->capacity, INTERIM_SWEEP_NS, w->capacity);
	int64_t slot;
	for (unsigned int v = 0; v < INTERIM_VISITS && (slot = cs_slot_map_next(&w->open, &span)) >= 0; v++) {
		struct cs_rec_session *r = &w->sessions[slot];
		uint64_t since = r->last_record_ns != 0 ? r->last_record_ns : r->s.created_ns;
		if (since != 0 && w->now_ns - since >= w->interim_ns) {
			r->record_seq++;
			emit_record(w, r, w->now_ns, 1);
			r->last_record_ns = w->now_ns;
			w->st.interim_records++;
		}
	}
}

/*
 * In event time, a hand goes round the subscriber table once per
 * checkpoint interval, a slice at a time (sweep.h). Each subscriber it
 * passes has its ended buckets rolled, giving back the sketch slots a
 * quiet subscriber would otherwise hold until its next event, and, with
 * long memory, is offered to the writer if dirty (a full queue defers it
 * to the next round; the worker never waits here). The window-level
 * rules are checked here too: a count read per packet would cost the
 * data path what a pass a few minutes apart does not.
 */
static void state_sweep(struct cs_worker_ctx *w)
{
	if (w->checkpoint_ns == 0)
		return;
	uint32_t slots = cs_subscriber_table_capacity(w->subscribers);
	uint32_t n = cs_sweep_budget(&w->state_sweep, w->now_ns, slots, w->checkpoint_ns, STATE_SWEEP_STEP);
	for (uint32_t i = 0; i < n; i++) {
		struct cs_subscriber *s = cs_subscriber_slot(w->subscribers, w->state_hand);
		if (++w->state_hand == slots)
			w->state_hand = 0;
		if (s == NULL)
			continue;
		cs_state_roll(&w->state, s, w->now_ns);
		if (w->checkpoint != NULL && (s->flags & CS_STATE_DIRTY))
			offer_long_memory(w, s);
		cs_rules_on_pass(&w->engine, s, w->now_ns);
	}
}

static void flush_one(void *record, void *arg)
{
	struct cs_worker_ctx *w = arg;
	struct cs_subscriber *s = record;

	if (!(s->flags & CS_STATE_DIRTY))
		return;
	/* the writer thread runs until every worker has finished: waiting for room ends */
	while (offer_long_memory(w, s) != 0)
		rte_pause();
}

/* At the end: every change not yet offered goes to the writer, so the store holds the final state. */
static void flush_long_memory(struct cs_worker_ctx *w)
{
	if (w->checkpoint != NULL)
		cs_subscriber_each(w->subscribers, flush_one, w);
}

/* At the end of input: every session still open gets its record. */
static void flush_open_sessions(struct cs_worker_ctx *w)
{
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;

	while ((pos = rte_hash_iterate(w->by_ref, &key, &data, &iter)) >= 0) {
		struct cs_rec_session *r = &w->sessions[pos];
		r->s.change = CS_SESSION_CLOSE;
		r->s.close_reason = CS_CLOSE_END_OF_INPUT;
		if (r->record_seq > 0)
			r->record_seq++;
		emit_record(w, r, w->now_ns, 0);
	}
	rte_hash_reset(w->by_ref);
	w->st.sessions_open = 0;
}

/*
 * Before a burst is applied, its data events' lookups are started
 * together, so that their cache misses overlap instead of coming one after
 * another (the decode stage batches its F-TEID lookups the same way): the
 * sessions in rte_hash bulk lookups, whose positions are kept and whose
 * records are prefetched, and the subscribers' index buckets, then their
 * records. A position stays good while no session is added or removed;
 * the first event of the burst that adds or removes one
 * (positions_stale) sends the rest back to a lookup each.
 */
enum { LOOKUP_BULK = 64 }; /* RTE_HASH_LOOKUP_BULK_MAX */

static void look_up_sessions(struct cs_worker_ctx *w, const void **keys, const unsigned int *at, unsigned int k,
			     int32_t *pos)
{
	int32_t found[LOOKUP_BULK];

	if (k == 0 || rte_hash_lookup_bulk(w->by_ref, keys, k, found) != 0)
		return;
	for (unsigned int j = 0; j < k; j++) {
		pos[at[j]] = found[j] >= 0 ? found[j] : -1;
		if (found[j] >= 0) { /* the traffic counters, which may straddle two lines */
			rte_prefetch0(&w->sessions[found[j]].first_data_ns);
			rte_prefetch0(&w->sessions[found[j]].packets_down);
		}
	}
}

static void look_up_burst(struct cs_worker_ctx *w, const union cs_event_slot *buf, unsigned int n, int32_t *pos)
{
	const void *keys[LOOKUP_BULK];
	unsigned int at_of[LOOKUP_BULK], k = 0;

	for (unsigned int at = 0; at < n && buf[at].h.slots != 0 && at + buf[at].h.slots <= n; at += buf[at].h.slots) {
		pos[at] = -1;
		if (buf[at].h.kind != CS_EV_DATA)
			continue;
		const struct cs_ev_data *ev = (const struct cs_ev_data *)&buf[at].h;
		cs_subscriber_prefetch_index(w->subscribers, ev->imsi);
		keys[k] = &ev->session_ref;
		at_of[k++] = at;
		if (k == LOOKUP_BULK) {
			look_up_sessions(w, keys, at_of, k, pos);
			k = 0;
		}
	}
	look_up_sessions(w, keys, at_of, k, pos);
	for (unsigned int at = 0; at < n && buf[at].h.slots != 0 && at + buf[at].h.slots <= n; at += buf[at].h.slots)
		if (buf[at].h.kind == CS_EV_DATA)
			cs_subscriber_prefetch_record(w->subscribers, ((const struct cs_ev_data *)&buf[at].h)->imsi);
	w->positions_stale = false;
}

int cs_worker_lcore_main(void *arg)
{
	struct cs_worker_ctx *w = arg;
	union cs_event_slot buf[CS_WORKER_BURST_SLOTS];
	int32_t pos[CS_WORKER_BURST_SLOTS]; /* by a data event's slot: its session's position, or -1 */
	unsigned int ended = 0;

	while (ended < w->nin) {
		unsigned int got = 0;
		const struct cs_rule_set *offered = __atomic_load_n(&w->rules_offered, __ATOMIC_ACQUIRE);

		if (offered != w->engine.rules) {
			/* between bursts: no check holds a pointer into the old set now */
			w->engine.rules = offered;
			w->st.rule_reloads++;
			__atomic_store_n(&w->rules_taken, offered, __ATOMIC_RELEASE);
		}
		for (unsigned int i = 0; i < w->nin; i++) {
			unsigned int n = cs_event_ring_take(w->in[i], buf, CS_WORKER_BURST_SLOTS);
			got += n;
			look_up_burst(w, buf, n, pos);
			for (unsigned int at = 0; at < n;) {
				const struct cs_event_hdr *h = &buf[at].h;
				if (at + h->slots > n || h->slots == 0)
					break; /* cannot happen: producers enqueue whole messages */
				if (h->ts_ns > w->now_ns) {
					if (w->now_ns == 0)
						w->first_ns = h->ts_ns;
					w->now_ns = h->ts_ns;
					/* in event time, whatever the batching: a replay sweeps the same at any speed */
					if (w->now_ns - w->housekeeping_ns >= HOUSEKEEPING_TICK_NS) {
						w->housekeeping_ns = w->now_ns;
						interim_sweep(w);
						state_sweep(w);
					}
				}
				switch (h->kind) {
				case CS_EV_DATA: on_data(w, (const struct cs_ev_data *)h, pos[at]); break;
				case CS_EV_SESSION: on_session(w, (const struct cs_ev_session *)h); break;
				case CS_EV_CALL: on_call(w, (const struct cs_ev_call *)h); break;
				case CS_EV_SMS: on_sms(w, (const struct cs_ev_sms *)h); break;
				case CS_EV_SIGHTING: on_sighting(w, (const struct cs_ev_sighting *)h); break;
				case CS_EV_END: ended++; break;
				default: break;
				}
				at += h->slots;
			}
		}
		if (got == 0)
			rte_pause();
	}
	flush_open_sessions(w);
	flush_long_memory(w);
	struct cs_subscriber_table_stats ts;
	cs_subscriber_table_stats(w->subscribers, &ts);
	w->st.subscribers = ts.active;
	w->st.subscriber_evictions = ts.evictions;
	w->st.state_events_too_old = w->state.too_old;
	w->st.exact_sets_refused = cs_distinct_pool_stats(w->state.pool)->exact_refused;
	w->st.sketches_refused = cs_distinct_pool_stats(w->state.pool)->promotions_refused;
	cs_subscriber_table_stats(w->devices, &ts);
	w->st.devices = ts.active;
	w->st.device_evictions = ts.evictions;
	cs_subscriber_table_stats(w->cells, &ts);
	w->st.cells = ts.active;
	w->st.cell_evictions = ts.evictions;
	cs_subscriber_table_stats(w->blocks, &ts);
	w->st.number_blocks = ts.active;
	w->st.number_block_evictions = ts.evictions;
	cs_subscriber_table_stats(w->engine.memory, &ts);
	w->st.rule_memories = ts.active;
	w->st.rule_memory_evictions = ts.evictions;
	w->st.anomalies = w->engine.anomalies;
	w->st.anomalies_suppressed = w->engine.suppressed;
	const union cs_event_slot end = { .h = { .kind = CS_EV_END, .slots = 1, .ts_ns = w->now_ns } };
	while (cs_event_ring_put(w->out, &end) != 0)
		rte_pause();
	__atomic_store_n(&w->finished, 1, __ATOMIC_RELEASE);
	return 0;
}
