/* SPDX-License-Identifier: Apache-2.0 */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>
#include <rte_ring.h>

#include "event_ring.h"
#include "mem.h"
#include "pipeline.h"
#include "record_json.h"

enum { EXPORT_BURST_SLOTS = 256, FILE_BUFFER = 1 << 20 };

struct cs_export {
	struct cs_export_conf conf;
	FILE *cdr, *anomalies;
	struct cs_kafka_outbox *kafka;
	pthread_t thread;
	struct cs_export_stats st;
	int unflushed; /* records written to the files since they were last flushed */
	uint64_t progress_started_ns, progress_next_ns;
	char line[CS_RECORD_JSON_MAX];
};

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static FILE *open_sink(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
	return f;
}

static const char *topic_of(const struct cs_export *e, const char *type)
{
	if (strcmp(type, "session") == 0)
		return e->conf.topic_session;
	if (strcmp(type, "anomaly") == 0)
		return e->conf.topic_anomalies;
	return strcmp(type, "call") == 0 ? e->conf.topic_call : e->conf.topic_sms;
}

static void count(struct cs_export *e, const char *type)
{
	if (strcmp(type, "session") == 0)
		e->st.sessions++;
	else if (strcmp(type, "call") == 0)
		e->st.calls++;
	else if (strcmp(type, "anomaly") == 0)
		e->st.anomalies++;
	else
		e->st.sms++;
}

/* Anomalies have a file of their own: the analyst's feed, apart from the CDRs. */
static void write_line(struct cs_export *e, FILE *f, const char *line, size_t len)
{
	if (fwrite(line, 1, len, f) != len || fputc('\n', f) == EOF)
		e->st.file_errors++;
	e->unflushed = 1;
}

static void flush_files(struct cs_export *e)
{
	if (!e->unflushed)
		return;
	if ((e->cdr != NULL && fflush(e->cdr) != 0) || (e->anomalies != NULL && fflush(e->anomalies) != 0))
		e->st.file_errors++;
	e->unflushed = 0;
}

static void export_one(struct cs_export *e, const struct cs_event_hdr *msg)
{
	struct cs_record_meta meta;
	int len = cs_record_json(msg, e->conf.probe_id, e->line, sizeof(e->line), &meta);

	if (len == 0)
		return;
	if (len < 0) {
		e->st.format_failures++;
		return;
	}
	if (e->cdr != NULL)
		write_line(e, strcmp(meta.type, "anomaly") == 0 ? e->anomalies : e->cdr, e->line, (size_t)len);
	if (e->kafka != NULL) {
		const struct cs_kafka_record rec = {
			.topic = topic_of(e, meta.type),
			.key = meta.key,
			.record_type = meta.type,
			.schema_version = meta.schema_version,
			.payload = e->line,
			.len = (size_t)len,
		};
		cs_kafka_outbox_send(e->kafka, &rec);
	}
	count(e, meta.type);
}

static void show_progress(struct cs_export *e, int final)
{
	uint64_t now = wall_ns();

	if (!e->conf.show_progress || (!final && now < e->progress_next_ns))
		return;
	e->progress_next_ns = now + 250000000u;
	uint64_t done = cs_pipeline_progress(e->conf.progress_of);
	double secs = (double)(now - e->progress_started_ns) / 1e9;
	double pct = e->conf.progress_total ? 100.0 * (double)done / (double)e->conf.progress_total : 100.0;
	fprintf(stderr, "\rreplay: %llu packets, %.0f packets/s, %.1f%%   %s", (unsigned long long)done,
		secs > 0 ? (double)done / secs : 0.0, pct, final ? "\n" : "");
}

static void *run(void *arg)
{
	struct cs_export *e = arg;
	union cs_event_slot buf[EXPORT_BURST_SLOTS];
	unsigned int ended = 0;
	int ring_done[CS_EXPORT_MAX_RINGS] = { 0 };

	e->progress_started_ns = wall_ns();
	while (ended < e->conf.nrings) {
		unsigned int got = 0;
		for (unsigned int r = 0; r < e->conf.nrings; r++) {
			if (ring_done[r])
				continue;
			unsigned int n = cs_event_ring_take(e->conf.rings[r], buf, EXPORT_BURST_SLOTS);
			got += n;
			for (unsigned int at = 0; at < n && buf[at].h.slots > 0; at += buf[at].h.slots) {
				if (buf[at].h.kind == CS_EV_END) {
					ring_done[r] = 1;
					ended++;
				} else {
					export_one(e, &buf[at].h);
				}
			}
		}
		if (e->kafka != NULL)
			cs_kafka_outbox_poll(e->kafka);
		show_progress(e, 0);
		if (got == 0) {
			/* a lull: what was written reaches the files now, so they can be followed live */
			flush_files(e);
			/* nothing ready: export is not a poll-mode lcore, let the CPU go */
			const struct timespec nap = { .tv_nsec = 200000 };
			nanosleep(&nap, NULL);
		}
	}
	show_progress(e, 1);
	return NULL;
}

struct cs_export *cs_export_start(const struct cs_export_conf *conf, char *err, size_t errlen)
{
	struct cs_export *e = cs_mem_alloc(sizeof(*e));

	memset(e, 0, sizeof(*e));
	e->conf = *conf;
	if (conf->out_dir != NULL) {
		e->anomalies = open_sink(conf->out_dir, "anomalies.jsonl", err, errlen);
		if (e->anomalies == NULL)
			goto fail;
		e->cdr = open_sink(conf->out_dir, "cdr.jsonl", err, errlen);
		if (e->cdr == NULL)
			goto fail;
		setvbuf(e->cdr, NULL, _IOFBF, FILE_BUFFER);
	}
	if (conf->kafka.brokers != NULL) {
		e->kafka = cs_kafka_outbox_open(&conf->kafka, conf->spool.dir != NULL ? &conf->spool : NULL, err, errlen);
		if (e->kafka == NULL)
			goto fail;
	}
	int rc = rte_ctrl_thread_create(&e->thread, "cs-export", NULL, run, e);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the export thread: %s", strerror(rc));
		goto fail;
	}
	return e;
fail:
	if (e->anomalies != NULL)
		fclose(e->anomalies);
	if (e->cdr != NULL)
		fclose(e->cdr);
	if (e->kafka != NULL)
		cs_kafka_outbox_close(e->kafka, &e->st.kafka);
	cs_mem_free(e);
	return NULL;
}

int cs_export_join(struct cs_export *e, struct cs_export_stats *stats)
{
	pthread_join(e->thread, NULL);
	int kafka_rc = e->kafka != NULL ? cs_kafka_outbox_close(e->kafka, &e->st.kafka) : 0;
	if (e->cdr != NULL && fclose(e->cdr) != 0)
		e->st.file_errors++;
	if (e->anomalies != NULL && fclose(e->anomalies) != 0)
		e->st.file_errors++;
	*stats = e->st;
	int rc = e->st.file_errors == 0 && kafka_rc == 0 && e->st.format_failures == 0 ? 0 : -1;
	cs_mem_free(e);
	return rc;
}
