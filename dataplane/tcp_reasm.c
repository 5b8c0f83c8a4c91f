/* SPDX-License-Identifier: Apache-2.0 */
#include "tcp_reasm.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slot_map.h"

/*
 * A flow's identity: its two endpoints, the lower (address, port) first,
 * so that both directions of a connection find the same entry.
 *
 *   0                16               32       34       36
 *   +----------------+----------------+--------+--------+
 *   | address a      | address b      | port a | port b |
 *   +----------------+----------------+--------+--------+
 *
 * IPv4 addresses fill the first 4 of their 16 bytes (struct cs_ip_addr).
 * No padding, so keys compare with memcmp.
 */
struct flow_key {
	struct cs_ip_addr a, b;
	uint16_t port_a, port_b;
};

_Static_assert(sizeof(struct flow_key) == 36, "flow keys have no padding");

enum half_state {
	HALF_UNSEEN = 0, /* no segment in this direction yet */
	HALF_IN_STEP,    /* the next stream byte (the buffer's first) begins a message */
	HALF_HUNTING,    /* lost step: discarding up to a line that starts a message */
};

/*
 * One direction of a flow, 24 bytes:
 *
 *   0          4          8      12     16    20      21           22    23
 *   +----------+----------+------+------+-----+-------+------------+-----+----------+
 *   | next_seq | buffered | wait | skip | isn | state | line_start | fin | syn_seen |
 *   +----------+----------+------+------+-----+-------+------------+-----+----------+
 *
 * next_seq is the sequence number of the next stream byte to take.
 * buffered counts the bytes held in the direction's buffer: the head of an
 * unfinished message, or while hunting the beginning of a line that may
 * still turn out to be a start line; never a whole message. wait is the
 * length the buffer must reach before decoding its head again can tell
 * more (the whole message, once its Content-Length is known), so a body
 * arriving in small segments is not parsed once per segment. skip counts
 * the bytes of a message too large for the buffer still to be discarded.
 * line_start says, while hunting, whether the next byte begins a line.
 * isn is the initial sequence number of the SYN that started the
 * direction, when syn_seen: a copy of that SYN (a retransmission, or the
 * same packet mirrored twice) changes nothing, another one restarts it.
 */
struct half {
	uint32_t next_seq;
	uint32_t buffered;
	uint32_t wait;
	uint32_t skip;
	uint32_t isn;
	uint8_t state;
	uint8_t line_start;
	uint8_t fin;
	uint8_t syn_seen;
};

/*
 * A flow, 104 bytes:
 *
 *   0        36     40        48        72        96      97           98
 *   +--------+------+---------+---------+---------+-------+------------+-----+
 *   | key    | hash | last_ns | half[0] | half[1] | in_use| referenced | pad |
 *   +--------+------+---------+---------+---------+-------+------------+-----+
 *
 * half[0] is what endpoint a sends to b, half[1] the reply direction. The
 * buffers live apart (buffers + (flow * 2 + dir) * buffer_bytes), so the
 * walks over the table (expiry, CLOCK) touch no payload.
 */
struct flow {
	struct flow_key key;
	uint32_t hash;
	uint64_t last_ns; /* event time of its last segment */
	struct half half[2];
	uint8_t in_use;
	uint8_t referenced; /* CLOCK: a segment came since the hand last passed */
};

_Static_assert(sizeof(struct flow) == 104, "the flow layout above");

/* An index slot: the flow's hash, compared before the flow is touched, and its number + 1 (0: empty). */
struct slot {
	uint32_t hash;
	uint32_t flow;
};

struct cs_tcp_reasm {
	struct flow *flows;
	uint8_t *buffers;
	struct slot *slots;  /* a power of two, at least twice the flows: probes stay short */
	uint32_t *free_list; /* numbers of the flows not in use, a stack */
	struct cs_slot_map live; /* the flows in use, and the expiry sweep's hand */
	uint32_t capacity, free_count;
	uint32_t slot_mask;
	uint32_t buffer_bytes;
	uint32_t clock_hand, sweep_budget;
	uint64_t idle_timeout_ns;
	struct cs_e164_conf numbers;
	struct cs_sip_msg msg; /* decode of the message at a stream's head */
	struct cs_tcp_reasm_stats stats;
};

enum {
	MAX_FLOWS = 1u << 24,
	MAX_BUFFER = 1u << 20,
	/*
	 * CLOCK spares at most this many recently used flows per eviction,
	 * then takes the one under the hand: a bound on the work per packet
	 * when every flow is busy, at the price of evicting a busy one then.
	 */
	EVICT_SEARCH = 64,
	/* Letters of a method a resynchronising stream recognises; the longest registered one, SUBSCRIBE, has 9. */
	METHOD_MAX = 16,
};

_Static_assert(METHOD_MAX + sizeof(" sips:") < CS_TCP_REASM_MIN_BUFFER,
	       "a partial start line always fits the buffer");

/* ---- the flow table ---- */

/* Which direction l travels in (0: from key.a), with the key filled. */
static unsigned int key_of(const struct cs_l2l4 *l, struct flow_key *k)
{
	int c = memcmp(&l->src, &l->dst, sizeof(l->src));

	if (c < 0 || (c == 0 && l->sport <= l->dport)) {
		*k = (struct flow_key){ .a = l->src, .b = l->dst, .port_a = l->sport, .port_b = l->dport };
		return 0;
	}
	*k = (struct flow_key){ .a = l->dst, .b = l->src, .port_a = l->dport, .port_b = l->sport };
	return 1;
}

/* Multiply and fold, a 32-bit word at a time: every key bit reaches the low bits the index uses. */
static uint32_t hash_key(const struct flow_key *k)
{
	uint32_t w[sizeof(*k) / sizeof(uint32_t)];
	uint64_t h = 0;

	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return (uint32_t)h;
}

static struct flow *find_flow(struct cs_tcp_reasm *r, const struct flow_key *k, uint32_t hash)
{
	for (uint32_t i = hash & r->slot_mask;; i = (i + 1) & r->slot_mask) {
		const struct slot *s = &r->slots[i];

		if (s->flow == 0)
			return NULL;
		if (s->hash == hash && memcmp(&r->flows[s->flow - 1].key, k, sizeof(*k)) == 0)
			return &r->flows[s->flow - 1];
	}
}

static void index_insert(struct cs_tcp_reasm *r, const struct flow *f)
{
	uint32_t i = f->hash & r->slot_mask;

	while (r->slots[i].flow != 0)
		i = (i + 1) & r->slot_mask;
	r->slots[i] = (struct slot){ .hash = f->hash, .flow = (uint32_t)(f - r->flows) + 1 };
}

/*
 * Linear probing without tombstones (Knuth 6.4, Algorithm R): the entries
 * after the hole move back into it unless their home slot lies between
 * the hole and where they are, so every lookup still ends at an empty slot.
 */
static void index_remove(struct cs_tcp_reasm *r, const struct flow *f)
{
	const uint32_t mask = r->slot_mask, number = (uint32_t)(f - r->flows) + 1;
	uint32_t hole = f->hash & mask;

	while (r->slots[hole].flow != number)
		hole = (hole + 1) & mask;
	for (uint32_t j = (hole + 1) & mask; r->slots[j].flow != 0; j = (j + 1) & mask) {
		uint32_t home = r->slots[j].hash & mask;

		if (((j - home) & mask) >= ((j - hole) & mask)) {
			r->slots[hole] = r->slots[j];
			hole = j;
		}
	}
	r->slots[hole] = (struct slot){ 0 };
}

/* Drops what a direction holds; an unfinished message in it is counted under why. */
static void drop_buffered(struct cs_tcp_reasm *r, struct half *h, enum cs_reason why, struct cs_decode_stats *st)
{
	if (h->buffered > 0 && h->state == HALF_IN_STEP)
		st->rejected[why]++;
	r->stats.bytes_discarded += h->buffered;
	h->buffered = 0;
	h->wait = 0;
	h->skip = 0;
}

static void release_flow(struct cs_tcp_reasm *r, struct flow *f, struct cs_decode_stats *st)
{
	drop_buffered(r, &f->half[0], CS_R_TCP_MESSAGE_UNFINISHED, st);
	drop_buffered(r, &f->half[1], CS_R_TCP_MESSAGE_UNFINISHED, st);
	index_remove(r, f);
	f->in_use = 0;
	cs_slot_map_clear(&r->live, (uint32_t)(f - r->flows));
	r->free_list[r->free_count++] = (uint32_t)(f - r->flows);
}

/* Called with every flow in use (the free list is empty): frees the least recently used, near enough. */
static void evict_flow(struct cs_tcp_reasm *r, struct cs_decode_stats *st)
{
	struct flow *f = &r->flows[r->clock_hand];

	for (unsigned int n = 0; n < EVICT_SEARCH && f->referenced; n++) {
		f->referenced = 0;
		r->clock_hand = r->clock_hand + 1 == r->capacity ? 0 : r->clock_hand + 1;
		f = &r->flows[r->clock_hand];
	}
	r->clock_hand = r->clock_hand + 1 == r->capacity ? 0 : r->clock_hand + 1;
	release_flow(r, f, st);
	r->stats.flows_evicted++;
}

static struct flow *new_flow(struct cs_tcp_reasm *r, const struct flow_key *k, uint32_t hash,
			     struct cs_decode_stats *st)
{
	if (r->free_count == 0)
		evict_flow(r, st);

	struct flow *f = &r->flows[r->free_list[--r->free_count]];
	*f = (struct flow){ .key = *k, .hash = hash, .in_use = 1 };
	cs_slot_map_set(&r->live, (uint32_t)(f - r->flows));
	index_insert(r, f);
	r->stats.flows_created++;
	return f;
}

/* ---- one direction's stream ---- */

/* What a segment's bytes go through: the direction, its buffer, and where messages and refusals go. */
struct stream {
	struct cs_tcp_reasm *r;
	struct half *h;
	uint8_t *buf;
	cs_tcp_deliver_fn deliver;
	void *ctx;
	struct cs_decode_stats *st;
};

enum start_line { NOT_START_LINE, MAYBE_START_LINE, START_LINE };

static uint8_t lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch - 'A' + 'a') : ch;
}

/* Do p[0..n) begin with the lower-case literal lit, ignoring case? MAYBE when p ends first. */
static enum start_line begins_with(const uint8_t *p, uint32_t n, const char *lit)
{
	for (uint32_t i = 0; lit[i] != '\0'; i++) {
		if (i == n)
			return MAYBE_START_LINE;
		if (lower(p[i]) != (uint8_t)lit[i])
			return NOT_START_LINE;
	}
	return START_LINE;
}

/*
 * Does a SIP message start at p (a line start)?
 *
 *   SIP/2.0 180 Ringing          status line (version case-insensitive)
 *   INVITE sip:bob@biloxi.com    request line: METHOD SP sip: | sips: | tel:
 *
 * Methods are case-sensitive (RFC 3261 7.1) and every registered one is
 * upper-case letters, which keeps body lines ("a=rtpmap:..") and header
 * lines ("Via: SIP/2.0/TCP ..") out. MAYBE when p ends before it can
 * tell: at most METHOD_MAX + 6 bytes, which the caller keeps.
 */
static enum start_line start_line_at(const uint8_t *p, uint32_t n)
{
	static const char *const schemes[] = { "sip:", "sips:", "tel:" };
	enum start_line best = begins_with(p, n, "sip/2.0 ");
	uint32_t m = 0;

	if (best == START_LINE)
		return best;
	while (m < n && m < METHOD_MAX && p[m] >= 'A' && p[m] <= 'Z')
		m++;
	if (m == 0)
		return best;
	if (m == n)
		return MAYBE_START_LINE;
	if (p[m] != ' ')
		return best;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		enum start_line s = begins_with(p + m + 1, n - m - 1, schemes[i]);
		if (s == START_LINE)
			return s;
		if (s == MAYBE_START_LINE)
			best = s;
	}
	return best;
}

static void lose_step(struct stream *s, bool line_start)
{
	if (s->h->state == HALF_IN_STEP)
		s->r->stats.resyncs++;
	s->h->state = HALF_HUNTING;
	s->h->line_start = line_start;
}

/*
 * Hunting: discards p[at..) up to the next line that starts a message and
 * returns its offset, the stream back in step; or the offset of a line
 * that may still become one when more bytes come (kept, still hunting);
 * or len, everything discarded.
 */
static uint32_t hunt(struct stream *s, const uint8_t *p, uint32_t at, uint32_t len)
{
	struct half *h = s->h;
	const uint32_t from = at;
	bool line_start = h->line_start;

	while (at < len) {
		if (line_start) {
			enum start_line sl = start_line_at(p + at, len - at);
			if (sl != NOT_START_LINE) {
				if (sl == START_LINE)
					h->state = HALF_IN_STEP;
				break;
			}
		}
		const uint8_t *lf = memchr(p + at, '\n', len - at);
		line_start = lf != NULL;
		at = lf != NULL ? (uint32_t)(lf - p) + 1 : len;
	}
	h->line_start = line_start;
	s->r->stats.bytes_discarded += at - from;
	return at;
}

/*
 * Delivers the complete messages at the head of p[0..len) and consumes
 * what can never become one. Returns how many bytes it consumed; the rest
 * (always less than the buffer) begins an unfinished message, or a line
 * that may be a start line, and waits for more bytes.
 */
static uint32_t drain(struct stream *s, const uint8_t *p, uint32_t len)
{
	struct cs_tcp_reasm *r = s->r;
	const struct cs_sip_msg *m = &r->msg;
	const uint32_t cap = r->buffer_bytes;
	struct half *h = s->h;
	uint32_t at = 0;

	h->wait = 0;
	while (at < len) {
		if (h->skip > 0) {
			uint32_t n = h->skip < len - at ? h->skip : len - at;
			h->skip -= n;
			at += n;
			r->stats.bytes_discarded += n;
			continue;
		}
		if (h->state == HALF_HUNTING) {
			at = hunt(s, p, at, len);
			if (h->state == HALF_HUNTING)
				return at;
		}
		/* CR/LF between messages: keep-alives (RFC 5626 4.4.1), nothing to deliver */
		while (at < len && (p[at] == '\r' || p[at] == '\n'))
			at++;
		if (at == len)
			break;

		enum cs_reason why = cs_decode_sip(p + at, len - at, &r->numbers, &r->msg);
		uint32_t have = len - at;
		if (why == CS_R_OK && m->has_content_length && m->msg_len <= cap) {
			s->deliver(s->ctx, p + at, m->msg_len, m);
			r->stats.messages_delivered++;
			r->stats.bytes_delivered += m->msg_len;
			at += m->msg_len;
		} else if ((why == CS_R_OK && m->has_content_length) ||
			   (why == CS_R_SIP_BODY_TRUNCATED && m->msg_len > cap)) {
			/* too large for the buffer, its length known: skip the rest of it and stay in step */
			uint32_t n = m->msg_len < have ? m->msg_len : have;
			s->st->rejected[CS_R_TCP_MESSAGE_TOO_LARGE]++;
			h->skip = m->msg_len - n;
			r->stats.bytes_discarded += n;
			at += n;
		} else if (cs_sip_needs_more(why)) {
			if (have < cap) {
				h->wait = why == CS_R_SIP_BODY_TRUNCATED ? m->msg_len : 0;
				return at;
			}
			/* too large, and even its header section overflows the buffer: its length is unknown */
			s->st->rejected[CS_R_TCP_MESSAGE_TOO_LARGE]++;
			r->stats.bytes_discarded += have;
			lose_step(s, p[len - 1] == '\n');
			return len;
		} else {
			/* refused: resynchronise from the byte after its first */
			s->st->rejected[why == CS_R_OK ? CS_R_TCP_NO_CONTENT_LENGTH : why]++;
			at++;
			r->stats.bytes_discarded++;
			lose_step(s, false);
		}
	}
	return at;
}

/*
 * In-order bytes into the stream. With nothing buffered they are drained
 * where they lie and only an unfinished tail is copied; otherwise they are
 * appended, as much as fits, and the buffer drained (once it holds what
 * its head waits for) and compacted, until all are taken.
 */
static void feed(struct stream *s, const uint8_t *p, uint32_t len)
{
	struct half *h = s->h;
	const uint32_t cap = s->r->buffer_bytes;

	while (len > 0) {
		if (h->buffered == 0) {
			uint32_t used = drain(s, p, len);
			memcpy(s->buf, p + used, len - used);
			h->buffered = len - used;
			return;
		}
		uint32_t n = len < cap - h->buffered ? len : cap - h->buffered;
		memcpy(s->buf + h->buffered, p, n);
		h->buffered += n;
		p += n;
		len -= n;
		if (h->buffered < h->wait)
			continue;
		uint32_t used = drain(s, s->buf, h->buffered);
		memmove(s->buf, s->buf + used, h->buffered - used);
		h->buffered -= used;
	}
}

/* A segment's payload, starting at sequence number seq: only bytes not taken before go on. */
static void take(struct stream *s, uint32_t seq, const uint8_t *p, uint32_t len)
{
	struct cs_tcp_reasm *r = s->r;
	struct half *h = s->h;
	int32_t ahead = (int32_t)(seq - h->next_seq); /* modulo 2^32 (RFC 9293 3.4) */

	if (ahead < 0) {
		uint32_t taken = (uint32_t)-(int64_t)ahead;
		if (taken >= len) {
			r->stats.segments_retransmitted++;
			return;
		}
		r->stats.segments_overlapping++;
		p += taken;
		len -= taken;
	} else if (ahead > 0) {
		/* bytes were lost: what was begun cannot finish, and the next message starts somewhere ahead */
		r->stats.segments_out_of_order++;
		drop_buffered(r, h, CS_R_TCP_MESSAGE_CUT_BY_GAP, s->st);
		lose_step(s, true);
		h->next_seq = seq;
	} else {
		r->stats.segments_in_order++;
	}
	h->next_seq += len;
	feed(s, p, len);
}

/* A SYN: the direction starts over, in step, unless it is a copy of the SYN that started it. */
static void start_direction(struct cs_tcp_reasm *r, struct half *h, uint32_t isn, struct cs_decode_stats *st)
{
	if (h->syn_seen && h->isn == isn)
		return;
	drop_buffered(r, h, CS_R_TCP_MESSAGE_UNFINISHED, st);
	*h = (struct half){ .next_seq = isn + 1, .isn = isn, .state = HALF_IN_STEP, .syn_seen = 1 };
}

void cs_tcp_reasm_segment(struct cs_tcp_reasm *r, const struct cs_l2l4 *l, const uint8_t *payload,
			  uint64_t ts_ns, cs_tcp_deliver_fn deliver, void *ctx, struct cs_decode_stats *st)
{
	const uint8_t flags = l->tcp_flags;
	uint32_t seq = l->tcp_seq;
	struct flow_key k;
	const unsigned int dir = key_of(l, &k);
	const uint32_t hash = hash_key(&k);
	struct flow *f = find_flow(r, &k, hash);

	if (f == NULL) {
		/* a stray RST or bare ACK/FIN of a connection already forgotten opens nothing */
		if ((flags & CS_TCP_RST) != 0 || (l->payload_len == 0 && (flags & CS_TCP_SYN) == 0))
			return;
		f = new_flow(r, &k, hash, st);
	}
	f->last_ns = ts_ns;
	f->referenced = 1;
	if (flags & CS_TCP_RST) {
		release_flow(r, f, st);
		r->stats.flows_closed++;
		return;
	}

	struct half *h = &f->half[dir];
	if (flags & CS_TCP_SYN) {
		start_direction(r, h, seq, st);
		seq++; /* the SYN takes a sequence number; data on it (TCP Fast Open) follows */
	} else if (h->state == HALF_UNSEEN) {
		/* picked up mid-connection: the first byte seen may begin a message */
		*h = (struct half){ .next_seq = seq, .state = HALF_HUNTING, .line_start = 1 };
	}
	if (l->payload_len > 0) {
		struct stream s = {
			.r = r,
			.h = h,
			.buf = r->buffers + ((size_t)(f - r->flows) * 2 + dir) * r->buffer_bytes,
			.deliver = deliver,
			.ctx = ctx,
			.st = st,
		};
		take(&s, seq, payload, l->payload_len);
	}
	if (flags & CS_TCP_FIN) {
		h->fin = 1;
		if (f->half[dir ^ 1].fin) {
			release_flow(r, f, st);
			r->stats.flows_closed++;
		}
	}
}

/*
 * Walks the flows' slots through the map of those in use (slot_map.h): a
 * word of 64 free slots costs one load, so a table with few TCP flows
 * costs the decode lcore almost nothing per burst.
 */
void cs_tcp_reasm_tick(struct cs_tcp_reasm *r, uint64_t now_ns, struct cs_decode_stats *st)
{
	uint32_t span = r->sweep_budget < r->capacity ? r->sweep_budget : r->capacity;
	int64_t slot;

	while ((slot = cs_slot_map_next(&r->live, &span)) >= 0) {
		struct flow *f = &r->flows[slot];

		if (now_ns > f->last_ns && now_ns - f->last_ns >= r->idle_timeout_ns) {
			release_flow(r, f, st);
			r->stats.flows_expired++;
		}
	}
}

const struct cs_tcp_reasm_stats *cs_tcp_reasm_stats(const struct cs_tcp_reasm *r)
{
	return &r->stats;
}

uint32_t cs_tcp_reasm_flows(const struct cs_tcp_reasm *r)
{
	return r->capacity - r->free_count;
}

struct cs_tcp_reasm *cs_tcp_reasm_create(const struct cs_tcp_reasm_conf *conf, char *err, size_t errlen)
{
	struct cs_tcp_reasm *r;
	uint32_t slots = 2;

	if (conf->flows == 0 || conf->flows > MAX_FLOWS) {
		snprintf(err, errlen, "TCP reassembly: %u flows, want 1 to %u", conf->flows, (unsigned int)MAX_FLOWS);
		return NULL;
	}
	if (conf->buffer_bytes < CS_TCP_REASM_MIN_BUFFER || conf->buffer_bytes > MAX_BUFFER) {
		snprintf(err, errlen, "TCP reassembly: buffers of %u bytes, want %u to %u", conf->buffer_bytes,
			 (unsigned int)CS_TCP_REASM_MIN_BUFFER, (unsigned int)MAX_BUFFER);
		return NULL;
	}
	if (conf->idle_timeout_ns == 0 || conf->sweep_budget == 0) {
		snprintf(err, errlen, "TCP reassembly: the idle timeout and the sweep budget must not be 0");
		return NULL;
	}
	while (slots < 2 * conf->flows)
		slots *= 2;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		goto no_memory;
	r->flows = calloc(conf->flows, sizeof(*r->flows));
	r->buffers = malloc((size_t)conf->flows * 2 * conf->buffer_bytes);
	r->slots = calloc(slots, sizeof(*r->slots));
	r->free_list = malloc(conf->flows * sizeof(*r->free_list));
	r->live.bits = calloc(cs_slot_map_words(conf->flows), sizeof(*r->live.bits));
	if (r->flows == NULL || r->buffers == NULL || r->slots == NULL || r->free_list == NULL || r->live.bits == NULL)
		goto no_memory;
	r->live.nslots = conf->flows;
	r->capacity = conf->flows;
	r->slot_mask = slots - 1;
	r->buffer_bytes = conf->buffer_bytes;
	r->sweep_budget = conf->sweep_budget;
	r->idle_timeout_ns = conf->idle_timeout_ns;
	r->numbers = conf->numbers;
	/* stacked so that flows are handed out in table order, 0 first */
	for (uint32_t i = 0; i < conf->flows; i++)
		r->free_list[i] = conf->flows - 1 - i;
	r->free_count = conf->flows;
	return r;
no_memory:
	snprintf(err, errlen, "TCP reassembly: no memory for %u flows with 2 x %u bytes of buffer", conf->flows,
		 conf->buffer_bytes);
	cs_tcp_reasm_free(r);
	return NULL;
}

void cs_tcp_reasm_free(struct cs_tcp_reasm *r)
{
	if (r == NULL)
		return;
	free(r->flows);
	free(r->buffers);
	free(r->slots);
	free(r->free_list);
	free(r->live.bits);
	free(r);
}
