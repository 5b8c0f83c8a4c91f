/* SPDX-License-Identifier: Apache-2.0 */
#include "run_report.h"

#include "cs_build_config.h"
#include "json_writer.h"
#include "mem.h"

static void captures(struct cs_json *w, const struct cs_run_report *r)
{
	cs_json_array_begin(w, "captures");
	for (unsigned int i = 0; i < r->ncaptures; i++) {
		cs_json_object_begin(w, NULL);
		cs_json_string(w, "file", r->capture_paths[i]);
		cs_json_u64(w, "records", r->captures[i].records);
		cs_json_u64(w, "wire_bytes", r->captures[i].wire_bytes);
		cs_json_bool(w, "damaged", r->captures[i].damaged);
		cs_json_u64(w, "packets", r->result->port_packets[i]);
		cs_json_u64(w, "port_errors", r->result->port_errors[i]);
		cs_json_object_end(w);
	}
	cs_json_array_end(w);
}

static uint64_t port_errors(const struct cs_run_report *r)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < r->ncaptures; i++)
		n += r->result->port_errors[i];
	return n;
}

static void records(struct cs_json *w, const struct cs_export_stats *x)
{
	cs_json_object_begin(w, "records");
	cs_json_u64(w, "session", x->sessions);
	cs_json_u64(w, "call", x->calls);
	cs_json_u64(w, "sms", x->sms);
	cs_json_u64(w, "anomaly", x->anomalies);
	cs_json_object_end(w);
}

static uint64_t first_event_ns(const struct cs_run_report *r)
{
	for (unsigned int i = 0; i < r->ncaptures; i++)
		if (r->captures[i].records > 0)
			return r->captures[i].first_ts_ns;
	return 0;
}

/* The state store's part: what was restored at start and what the checkpoints wrote. */
static void long_memory(struct cs_json *w, const struct cs_long_memory_stats *m)
{
	cs_json_object_begin(w, "state_store");
	cs_json_u64(w, "restored", m->restored);
	cs_json_u64(w, "not_restored", m->not_restored);
	cs_json_u64(w, "numbers_not_restored", m->numbers_not_restored);
	cs_json_u64(w, "records_queued", m->store.records_queued);
	cs_json_u64(w, "records_queue_full", m->store.records_queue_full);
	cs_json_u64(w, "records_written", m->store.records_written);
	cs_json_u64(w, "bytes_written", m->store.bytes_written);
	cs_json_u64(w, "checkpoints", m->store.transactions);
	cs_json_u64(w, "failed_commits", m->failed_commits);
	cs_json_u64(w, "map_full", m->store.map_full);
	cs_json_u64(w, "lmdb_errors", m->store.lmdb_errors);
	cs_json_u64(w, "records_dropped", m->dropped);
	cs_json_u64(w, "records_unreadable", m->store.records_unreadable);
	cs_json_u64(w, "stale_readers", m->store.stale_readers);
	cs_json_u64(w, "entries", m->store.entries);
	cs_json_object_end(w);
}

int cs_run_report_stats(const struct cs_run_report *r, char *buf, size_t cap)
{
	const struct cs_pipeline_result *p = r->result;
	const struct cs_export_stats *x = r->exported;
	struct cs_json w;

	cs_json_init(&w, buf, cap);
	cs_json_object_begin(&w, NULL);
	cs_json_string(&w, "type", "stats");
	cs_json_u64(&w, "schema_version", CS_STATS_SCHEMA_VERSION);
	cs_json_string(&w, "probe_id", r->probe_id);
	captures(&w, r);
	cs_json_bool(&w, "input_timed_out", p->input_timed_out != 0);

	cs_json_object_begin(&w, "decode");
#define CS_DECODE_JSON(name) cs_json_u64(&w, #name, p->decode.name);
	CS_DECODE_COUNTERS(CS_DECODE_JSON)
#undef CS_DECODE_JSON
	cs_json_object_begin(&w, "rejected");
	for (int reason = 1; reason < CS_R_COUNT; reason++)
		cs_json_u64(&w, cs_reason_name((enum cs_reason)reason), p->decode.rejected[reason]);
	cs_json_object_end(&w);
	cs_json_object_end(&w);

	cs_json_object_begin(&w, "sip_over_tcp");
#define CS_TCP_JSON(name) cs_json_u64(&w, #name, p->tcp.name);
	CS_TCP_REASM_COUNTERS(CS_TCP_JSON)
#undef CS_TCP_JSON
	cs_json_object_end(&w);

	cs_json_object_begin(&w, "session_directory");
	cs_json_u64(&w, "created", p->dir.created);
	cs_json_u64(&w, "deleted", p->dir.deleted);
	cs_json_u64(&w, "evicted", p->dir.evicted);
	cs_json_u64(&w, "full_refusals", p->dir.full_refusals);
	cs_json_u64(&w, "active", p->dir.active);
	cs_json_object_end(&w);

	cs_json_object_begin(&w, "workers");
#define CS_WORKER_JSON(name) cs_json_u64(&w, #name, p->workers.name);
	CS_WORKER_COUNTERS(CS_WORKER_JSON)
#undef CS_WORKER_JSON
	cs_json_object_end(&w);

	if (r->stored != NULL)
		long_memory(&w, r->stored);

	cs_json_object_begin(&w, "export");
	records(&w, x);
	cs_json_u64(&w, "format_failures", x->format_failures);
	cs_json_u64(&w, "file_errors", x->file_errors);
#define CS_KAFKA_JSON(name) cs_json_u64(&w, "kafka_" #name, x->kafka.name);
	CS_KAFKA_OUTBOX_COUNTERS(CS_KAFKA_JSON)
#undef CS_KAFKA_JSON
#define CS_SPOOL_JSON(name) cs_json_u64(&w, "kafka_spool_" #name, x->kafka.spool.name);
	CS_SPOOL_COUNTERS(CS_SPOOL_JSON)
#undef CS_SPOOL_JSON
	cs_json_object_end(&w);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}

int cs_run_report_summary(const struct cs_run_report *r, char *buf, size_t cap)
{
	const struct cs_pipeline_result *p = r->result;
	struct cs_json w;

	cs_json_init(&w, buf, cap);
	cs_json_object_begin(&w, NULL);
	cs_json_string(&w, "type", "summary");
	cs_json_u64(&w, "schema_version", CS_SUMMARY_SCHEMA_VERSION);
	cs_json_string(&w, "probe_id", r->probe_id);
	cs_json_string(&w, "cdrsentry_version", CS_VERSION);
	cs_json_string(&w, "allocator", cs_mem_allocator());
	captures(&w, r);
	cs_json_u64(&w, "packets", p->decode.frames);
	cs_json_u64(&w, "wire_bytes", p->decode.wire_bytes);
	if (p->decode.frames > 0 && first_event_ns(r) != 0) {
		cs_json_time(&w, "first_event_time", first_event_ns(r));
		cs_json_time(&w, "last_event_time", p->last_event_ns);
	}
	records(&w, r->exported);
	cs_json_object_begin(&w, "rx");
	cs_json_u64(&w, "packets", p->decode.frames);
	cs_json_u64(&w, "port_errors", port_errors(r));
	cs_json_u64(&w, "ring_full_waits", p->decode.ring_full_waits);
	cs_json_bool(&w, "input_timed_out", p->input_timed_out != 0);
	cs_json_object_end(&w);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}
