/* SPDX-License-Identifier: Apache-2.0 */
#include "record_summary.h"

#include "cs_build_config.h"
#include "json_writer.h"
#include "mem.h"

int cs_record_summary(const struct cs_summary_input *in, char *buf, size_t cap)
{
	const struct cs_replay_result *r = in->result;
	struct cs_json w;

	cs_json_init(&w, buf, cap);
	cs_json_object_begin(&w, NULL);
	cs_json_string(&w, "type", "summary");
	cs_json_u64(&w, "schema_version", CS_SUMMARY_SCHEMA_VERSION);
	cs_json_string(&w, "probe_id", in->probe_id);
	cs_json_string(&w, "cdrsentry_version", CS_VERSION);
	cs_json_string(&w, "allocator", cs_mem_allocator());

	cs_json_object_begin(&w, "capture");
	cs_json_string(&w, "file", in->capture_path);
	cs_json_u64(&w, "records", in->capture->records);
	cs_json_u64(&w, "wire_bytes", in->capture->wire_bytes);
	cs_json_bool(&w, "damaged", in->capture->damaged);
	cs_json_object_end(&w);

	cs_json_u64(&w, "packets", r->worker_packets);
	cs_json_u64(&w, "wire_bytes", r->worker_wire_bytes);
	if (r->worker_packets > 0 && r->first_ts_ns != 0) {
		cs_json_time(&w, "first_event_time", r->first_ts_ns);
		cs_json_time(&w, "last_event_time", r->last_ts_ns);
	}
	cs_json_object_begin(&w, "rx");
	cs_json_u64(&w, "packets", r->rx_packets);
	cs_json_u64(&w, "port_errors", r->rx_port_errors);
	cs_json_u64(&w, "ring_full_polls", r->rx_ring_full_polls);
	cs_json_bool(&w, "input_timed_out", r->rx_timed_out != 0);
	cs_json_object_end(&w);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}
