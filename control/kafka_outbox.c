/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reliable delivery on top of librdkafka (kafka_outbox.h).
 *
 * Three states:
 *
 *   DIRECT  the spool is empty: records are produced to librdkafka, whose
 *           queue (export.kafka.memory_queue records) is the bounded
 *           in-memory queue.
 *   REPLAY  the spool holds records and the brokers take records: new
 *           records are appended to the spool, and the spool is produced in
 *           order, up to WINDOW_MAX in flight, each acknowledged in the
 *           spool as its delivery report arrives. Spool read to the end and
 *           every replayed record acknowledged: DIRECT again.
 *   OUTAGE  the brokers are unreachable: new records are appended to the
 *           spool; once a second the oldest spooled record is produced as
 *           a probe, and its delivery means REPLAY. Also the state at
 *           start when an earlier run left records in the spool.
 *
 *   DIRECT --queue full--> REPLAY --spool sent--> DIRECT
 *   DIRECT/REPLAY --delivery failed, every broker down--> OUTAGE --probe delivered--> REPLAY
 *
 * Entering OUTAGE purges librdkafka's queue: the records waiting there
 * come back at once as failed reports (in their order) and are spooled
 * before anything sent later, instead of timing out one by one behind it.
 *
 * Replayed records carry their sequence number as librdkafka's opaque
 * (live records carry NULL); slots[seq % window] remembers the spool
 * position after each one. Reports can arrive out of order across
 * partitions, so the spool is acknowledged up to the oldest record not yet
 * delivered. A replayed record that fails stops acknowledgement there;
 * once every replayed record has reported, reading rewinds to the first
 * record not acknowledged. Records delivered after the failed one are
 * then sent again: the guarantee is at-least-once.
 */
#include "kafka_outbox.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mem.h"

enum { WINDOW_MAX = 4096, DEFAULT_QUEUE = 100000, PROBE_MS = 1000, LOG_MS = 10000, PURGE_WAIT_MS = 5000,
       CONNECT_WAIT_MS = 3000 };

enum state { DIRECT, REPLAY, OUTAGE };
static const char *const state_names[] = { "direct", "replay", "outage" };

enum slot_state { SLOT_WAITING, SLOT_DONE, SLOT_RETRY };

struct slot {
	struct cs_spool_pos next; /* the spool position after this record */
	enum slot_state state;
};

struct cs_kafka_outbox {
	struct cs_kafka_sink *sink;
	struct cs_spool *spool; /* NULL: none, failures are counted as failed */
	char spool_dir[256];
	uint64_t spool_cap;
	enum state state;
	int unreachable;        /* the brokers were seen down (a failure, every broker down) since the last delivery */
	int closing;
	int purge;              /* an outage was found: purge librdkafka's queue at the next poll */
	int timeout_ms;
	uint32_t queue_records;
	uint32_t window;
	struct slot *slots;
	uint64_t head, tail;    /* replayed records [tail, head) are waiting for their reports */
	int blocked;            /* a replayed record failed: acknowledge nothing past it, rewind when all reported */
	int held;               /* held_e was read from the spool and not produced yet (the queue was full) */
	struct cs_spool_entry held_e;
	struct cs_spool_pos held_next;
	uint64_t next_probe_ms;
	/* drops and failures are logged once per LOG_MS, with counts */
	uint64_t last_log_ms, unlogged_full, unlogged_error, unlogged_failed, unlogged_read_errors;
	char last_reason[1024]; /* room for "topic NAME: " and a 512-byte reason */
	struct cs_kafka_outbox_stats st;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void log_losses(struct cs_kafka_outbox *ob, int force)
{
	uint64_t t = now_ms();

	if (!force && t - ob->last_log_ms < LOG_MS)
		return;
	ob->last_log_ms = t;
	if (ob->unlogged_full > 0)
		fprintf(stderr, "cdrsentry: kafka: spool %s full (cap %llu MiB): %llu records dropped (%llu in all)\n",
			ob->spool_dir, (unsigned long long)(ob->spool_cap >> 20), (unsigned long long)ob->unlogged_full,
			(unsigned long long)ob->st.dropped_spool_full);
	if (ob->unlogged_error > 0)
		fprintf(stderr, "cdrsentry: kafka: %llu records dropped (%llu in all): %s\n",
			(unsigned long long)ob->unlogged_error, (unsigned long long)ob->st.dropped_spool_error,
			ob->spool != NULL ? cs_spool_error(ob->spool) : "");
	if (ob->unlogged_failed > 0)
		fprintf(stderr, "cdrsentry: kafka: %llu records not delivered (%llu in all), last: %s\n",
			(unsigned long long)ob->unlogged_failed, (unsigned long long)ob->st.failed, ob->last_reason);
	if (ob->unlogged_read_errors > 0)
		fprintf(stderr, "cdrsentry: kafka: the spool cannot be read (%llu tries; its records stay): %s\n",
			(unsigned long long)ob->unlogged_read_errors, cs_spool_error(ob->spool));
	ob->unlogged_full = ob->unlogged_error = ob->unlogged_failed = ob->unlogged_read_errors = 0;
}

static void failed(struct cs_kafka_outbox *ob, const char *topic, const char *reason)
{
	ob->st.failed++;
	ob->unlogged_failed++;
	snprintf(ob->last_reason, sizeof(ob->last_reason), "topic %s: %s", topic, reason);
}

struct cs_spool_entry cs_kafka_spool_entry(const struct cs_kafka_record *rec)
{
	return (struct cs_spool_entry){
		.topic = rec->topic, .topic_len = strlen(rec->topic),
		.key = rec->key, .key_len = strlen(rec->key),
		.record_type = rec->record_type, .type_len = strlen(rec->record_type),
		.schema_version = rec->schema_version,
		.payload = rec->payload, .len = rec->len,
	};
}

/* Appends rec to the spool; whatever happens is counted. */
static void keep(struct cs_kafka_outbox *ob, const struct cs_kafka_record *rec)
{
	const struct cs_spool_entry e = cs_kafka_spool_entry(rec);

	switch (cs_spool_append(ob->spool, &e)) {
	case CS_SPOOL_OK: ob->st.spooled++; break;
	case CS_SPOOL_FULL:
		ob->st.dropped_spool_full++;
		ob->unlogged_full++;
		break;
	case CS_SPOOL_TOO_LARGE:
	case CS_SPOOL_IO:
		ob->st.dropped_spool_error++;
		ob->unlogged_error++;
		break;
	}
}

static void enter(struct cs_kafka_outbox *ob, enum state to, const char *why)
{
	if (ob->state == to)
		return;
	if (!ob->closing)
		fprintf(stderr, "cdrsentry: kafka: %s -> %s (%s)\n", state_names[ob->state], state_names[to], why);
	ob->state = to;
}

/* The brokers are unreachable: everything goes to the spool until a probe gets through. */
static void outage(struct cs_kafka_outbox *ob, const char *why)
{
	if (ob->spool == NULL)
		return;
	ob->unreachable = 1;
	if (ob->state == OUTAGE)
		return;
	if (!ob->closing)
		ob->st.outages++;
	enter(ob, OUTAGE, why);
	ob->purge = 1;
	ob->next_probe_ms = now_ms() + PROBE_MS;
}

/* Acknowledges the replayed records reported so far, oldest first; rewinds after a failure once all reported. */
static void advance(struct cs_kafka_outbox *ob)
{
	struct cs_spool_pos upto;
	int any = 0;

	while (ob->tail < ob->head) {
		struct slot *s = &ob->slots[ob->tail % ob->window];
		if (s->state == SLOT_WAITING)
			break;
		if (s->state == SLOT_RETRY)
			ob->blocked = 1;
		if (!ob->blocked) {
			upto = s->next;
			any = 1;
		}
		ob->tail++;
	}
	if (any)
		cs_spool_ack(ob->spool, &upto);
	if (ob->blocked && ob->tail == ob->head) {
		cs_spool_rewind(ob->spool);
		ob->blocked = 0;
		ob->held = 0; /* read again after the rewind */
	}
}

static void on_report(void *ctx, const struct cs_kafka_report *r)
{
	struct cs_kafka_outbox *ob = ctx;

	if (r->opaque == NULL) {
		/* a record produced directly */
		if (r->stored)
			ob->st.delivered++;
		else if (!r->retriable || ob->spool == NULL)
			failed(ob, r->rec.topic, r->reason);
		else {
			outage(ob, r->reason);
			keep(ob, &r->rec);
		}
		return;
	}
	uint64_t seq = (uint64_t)(uintptr_t)r->opaque - 1;
	struct slot *s = &ob->slots[seq % ob->window];
	if (r->stored) {
		ob->st.delivered++;
		s->state = SLOT_DONE;
		ob->unreachable = 0;
		if (ob->state == OUTAGE && !ob->closing)
			enter(ob, REPLAY, "a spooled record was delivered");
	} else if (!r->retriable) {
		failed(ob, r->rec.topic, r->reason);
		s->state = SLOT_DONE;
	} else {
		s->state = SLOT_RETRY;
		outage(ob, r->reason);
	}
	advance(ob);
}

struct cs_kafka_outbox *cs_kafka_outbox_open(const struct cs_kafka_conf *kafka, const struct cs_spool_conf *spool,
					     char *err, size_t errlen)
{
	struct cs_kafka_outbox *ob = cs_mem_alloc(sizeof(*ob));

	*ob = (struct cs_kafka_outbox){
		.timeout_ms = kafka->delivery_timeout_ms,
		.queue_records = kafka->queue_records != 0 ? kafka->queue_records : DEFAULT_QUEUE,
		.last_log_ms = now_ms(),
	};
	ob->window = ob->queue_records < WINDOW_MAX ? ob->queue_records : WINDOW_MAX;
	ob->slots = cs_mem_alloc(ob->window * sizeof(ob->slots[0]));
	if (spool != NULL && spool->dir != NULL) {
		ob->spool = cs_spool_open(spool, err, errlen);
		if (ob->spool == NULL)
			goto fail;
		snprintf(ob->spool_dir, sizeof(ob->spool_dir), "%s", spool->dir);
		ob->spool_cap = spool->max_bytes;
		if (cs_spool_pending(ob->spool)) {
			/* left by an earlier run: sent first, from the first poll (a probe, then the rest) */
			fprintf(stderr, "cdrsentry: kafka: spool %s holds %llu bytes from an earlier run: sending them first\n",
				ob->spool_dir, (unsigned long long)cs_spool_bytes(ob->spool));
			ob->state = OUTAGE;
			ob->next_probe_ms = 0;
		}
	}
	ob->sink = cs_kafka_sink_open(kafka, on_report, ob, err, errlen);
	if (ob->sink == NULL)
		goto fail;
	/* before traffic: the first records should not wait for the connection (a broker down is no reason to) */
	if (cs_kafka_sink_connect(ob->sink, CONNECT_WAIT_MS) != 0)
		fprintf(stderr, "cdrsentry: kafka: no broker of %s answered within %d ms; records wait for one%s\n",
			kafka->brokers, CONNECT_WAIT_MS, ob->spool != NULL ? " in the spool" : "");
	return ob;
fail:
	if (ob->spool != NULL) {
		char ignored[64];
		cs_spool_close(ob->spool, ignored, sizeof(ignored));
	}
	cs_mem_free(ob->slots);
	cs_mem_free(ob);
	return NULL;
}

void cs_kafka_outbox_send(struct cs_kafka_outbox *ob, const struct cs_kafka_record *rec)
{
	char err[512];

	if (ob->spool != NULL && ob->state != DIRECT) {
		keep(ob, rec);
		return;
	}
	for (;;) {
		switch (cs_kafka_sink_produce(ob->sink, rec, NULL, err, sizeof(err))) {
		case CS_KAFKA_QUEUED: return;
		case CS_KAFKA_FULL:
			if (ob->spool == NULL) {
				/* nowhere else to keep it: export waits for room */
				cs_kafka_sink_poll(ob->sink, 100);
				continue;
			}
			/* the brokers are slower than the records: the spool takes them, in order, until they catch up */
			enter(ob, REPLAY, "the in-memory queue is full");
			keep(ob, rec);
			return;
		case CS_KAFKA_RETRY:
			if (ob->spool != NULL) {
				outage(ob, err);
				keep(ob, rec);
				return;
			}
			failed(ob, rec->topic, err);
			return;
		case CS_KAFKA_REFUSED:
			failed(ob, rec->topic, err);
			return;
		}
	}
}

/* Produces spooled records: one probe in OUTAGE, a window in REPLAY. */
static void replay(struct cs_kafka_outbox *ob)
{
	uint64_t limit = ob->window;
	char err[512];

	if (ob->state == DIRECT || ob->blocked)
		return;
	if (ob->state == OUTAGE) {
		uint64_t t = now_ms();
		if (ob->head != ob->tail || t < ob->next_probe_ms)
			return;
		ob->next_probe_ms = t + PROBE_MS;
		limit = 1;
	}
	while (ob->head - ob->tail < limit) {
		if (!ob->held) {
			if ((uint32_t)cs_kafka_sink_outstanding(ob->sink) >= ob->queue_records)
				return;
			int got = cs_spool_read(ob->spool, &ob->held_e, &ob->held_next);
			if (got < 0) {
				ob->unlogged_read_errors++;
				return;
			}
			if (got == 0) {
				if (ob->head == ob->tail && ob->state == REPLAY) {
					cs_spool_ack(ob->spool, NULL);
					if (!cs_spool_pending(ob->spool))
						enter(ob, DIRECT, "the spool was sent");
				}
				return;
			}
			ob->held = 1;
		}
		const struct cs_kafka_record rec = {
			.topic = ob->held_e.topic,
			.key = ob->held_e.key,
			.record_type = ob->held_e.record_type,
			.schema_version = ob->held_e.schema_version,
			.payload = ob->held_e.payload,
			.len = ob->held_e.len,
		};
		struct slot *s = &ob->slots[ob->head % ob->window];
		switch (cs_kafka_sink_produce(ob->sink, &rec, (void *)(uintptr_t)(ob->head + 1), err, sizeof(err))) {
		case CS_KAFKA_QUEUED:
			*s = (struct slot){ .next = ob->held_next, .state = SLOT_WAITING };
			ob->head++;
			ob->held = 0;
			ob->st.replayed++;
			break;
		case CS_KAFKA_FULL: return;
		case CS_KAFKA_RETRY:
			outage(ob, err);
			return;
		case CS_KAFKA_REFUSED:
			failed(ob, rec.topic, err);
			*s = (struct slot){ .next = ob->held_next, .state = SLOT_DONE };
			ob->head++;
			ob->held = 0;
			advance(ob);
			break;
		}
	}
}

void cs_kafka_outbox_poll(struct cs_kafka_outbox *ob)
{
	cs_kafka_sink_poll(ob->sink, 0);
	if (cs_kafka_sink_take_brokers_down(ob->sink))
		outage(ob, "every broker is down");
	if (ob->purge) {
		/* what waits in memory is spooled now, ahead of what comes next */
		ob->purge = 0;
		cs_kafka_sink_purge(ob->sink);
		cs_kafka_sink_poll(ob->sink, 0);
	}
	if (ob->spool != NULL) {
		replay(ob);
		cs_spool_tick(ob->spool);
	}
	log_losses(ob, 0);
}

int cs_kafka_outbox_close(struct cs_kafka_outbox *ob, struct cs_kafka_outbox_stats *st)
{
	char err[512];
	uint64_t deadline = now_ms() + (uint64_t)ob->timeout_ms;

	/*
	 * Deliver what can be: the queue, and the spool too while the brokers
	 * take records. Brokers seen down are not waited for; a spool left by
	 * an earlier run is (its probe tells whether they are up).
	 */
	while (now_ms() < deadline && !(ob->state == OUTAGE && ob->unreachable) &&
	       (ob->state != DIRECT || cs_kafka_sink_outstanding(ob->sink) > 0)) {
		cs_kafka_outbox_poll(ob);
		cs_kafka_sink_poll(ob->sink, 10);
	}
	/* what is left fails now: the reports spool the direct records; replayed ones stay unacknowledged */
	ob->closing = 1;
	cs_kafka_sink_purge(ob->sink);
	deadline = now_ms() + PURGE_WAIT_MS;
	while (cs_kafka_sink_outstanding(ob->sink) > 0 && now_ms() < deadline)
		cs_kafka_sink_poll(ob->sink, 50);
	cs_kafka_sink_close(ob->sink);
	int rc = 0;
	if (ob->spool != NULL) {
		cs_spool_stats(ob->spool, &ob->st.spool);
		ob->st.spool_bytes = cs_spool_bytes(ob->spool);
		if (cs_spool_pending(ob->spool))
			fprintf(stderr, "cdrsentry: kafka: %llu bytes of records kept in spool %s: the next start sends them\n",
				(unsigned long long)ob->st.spool_bytes, ob->spool_dir);
		if (cs_spool_close(ob->spool, err, sizeof(err)) != 0) {
			fprintf(stderr, "cdrsentry: %s\n", err);
			rc = -1;
		}
	}
	log_losses(ob, 1);
	*st = ob->st;
	cs_mem_free(ob->slots);
	cs_mem_free(ob);
	return rc == 0 && st->failed == 0 && st->dropped_spool_full == 0 && st->dropped_spool_error == 0 ? 0 : -1;
}
