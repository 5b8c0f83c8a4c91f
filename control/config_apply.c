/* SPDX-License-Identifier: Apache-2.0 */
#include "config_apply.h"

#include <string.h>

#include "e164.h"

static uint64_t ns(double seconds)
{
	return (uint64_t)(seconds * 1e9);
}

void cs_config_to_pipeline(const struct cs_config *c, struct cs_pipeline_conf *out)
{
	memset(out, 0, sizeof(*out));
	out->ports = (struct cs_decode_ports){ .gtpc = c->gtpc_port, .gtpu = c->gtpu_port, .sip = c->sip_port };
	out->rx_queues = c->rx_queues;
	out->arrival_time = c->event_time == 1;
	out->mbufs = c->mbufs;
	out->sessions = c->sessions;
	out->worker_sessions = c->worker_sessions;
	out->worker_subscribers = c->subscribers;
	out->exact_slots = c->exact_slots;
	out->sketch_slots = c->sketch_slots;
	out->worker_devices = c->devices;
	out->worker_cells = c->cells;
	out->worker_blocks = c->number_blocks;
	out->worker_rule_memory = c->rule_memory;
	cs_state_conf_default(&out->state);
	out->state.short_window_ns = (uint64_t)c->window_short_s * 1000000000ull;
	out->state.hour_ns = (uint64_t)c->window_hour_s * 1000000000ull;
	out->state.day_ns = (uint64_t)c->window_day_s * 1000000000ull;
	out->block = (struct cs_block_conf){
		.short_ns = out->state.short_window_ns,
		.hour_ns = out->state.hour_ns,
		.day_ns = out->state.day_ns,
		.suffix_digits = c->block_suffix_digits,
	};
	out->gtpc_transactions = c->gtpc_transactions;
	out->gtpc_response_timeout_ns = ns(c->gtpc_response_s);
	out->sip_calls = c->sip_calls;
	/*
	 * SIP over TCP: few long-lived connections (P-CSCF to S-CSCF, UE to
	 * P-CSCF), each buffering at most one message in flight: 1024 flows of
	 * 2 x 8 KiB is 16 MiB.
	 */
	out->tcp_flows = 1024;
	out->tcp_buffer_bytes = 8192;
	out->sip_setup_timeout_ns = ns(c->sip_setup_s);
	out->sip_max_call_ns = ns(c->sip_max_call_s);
	out->session_idle_timeout_ns = ns(c->session_idle_s);
	out->interim_ns = ns(c->interim_s);
	out->checkpoint_ns = ns(c->checkpoint_interval_s);
	out->frag_timeout_ns = ns(c->fragment_s);
	out->input_idle_timeout_s = 2.0;
	/* the loader has checked the prefixes are digits of the right length */
	if (cs_e164_conf_init(&out->numbers, c->country_code, c->trunk_prefix, c->international_prefix) != 0)
		out->numbers = cs_e164_conf_default();
}

void cs_config_to_export(const struct cs_config *c, struct cs_export_conf *out)
{
	memset(out, 0, sizeof(*out));
	out->out_dir = c->out_dir[0] != '\0' ? c->out_dir : NULL;
	out->probe_id = c->probe_id;
	cs_config_to_kafka(c, &out->kafka);
	cs_config_to_spool(c, &out->spool);
	out->topic_session = c->topic_session;
	out->topic_call = c->topic_call;
	out->topic_sms = c->topic_sms;
	out->topic_anomalies = c->topic_anomalies;
}

void cs_config_to_kafka(const struct cs_config *c, struct cs_kafka_conf *out)
{
	*out = (struct cs_kafka_conf){
		.brokers = c->brokers[0] != '\0' ? c->brokers : NULL,
		.delivery_timeout_ms = c->kafka_timeout_ms,
		.compression = c->kafka_compression,
		.queue_records = c->kafka_memory_queue,
		.nprops = c->kafka_nprops,
	};
	_Static_assert((int)CS_CONFIG_MAX_KAFKA_PROPS <= (int)CS_KAFKA_MAX_PROPS, "every configured property reaches the producer");
	for (unsigned int i = 0; i < c->kafka_nprops; i++) {
		out->prop_name[i] = c->kafka_props[i].name;
		out->prop_value[i] = c->kafka_props[i].value;
	}
}

void cs_config_to_spool(const struct cs_config *c, struct cs_spool_conf *out)
{
	*out = (struct cs_spool_conf){
		.dir = c->spool_dir[0] != '\0' ? c->spool_dir : NULL,
		.max_bytes = (uint64_t)c->spool_max_mb << 20,
		.segment_bytes = (uint64_t)c->spool_segment_mb << 20,
		.fsync = strcmp(c->spool_fsync, "always") == 0  ? CS_SPOOL_FSYNC_ALWAYS
			 : strcmp(c->spool_fsync, "never") == 0 ? CS_SPOOL_FSYNC_NEVER
								: CS_SPOOL_FSYNC_INTERVAL,
		.fsync_interval_ms = c->spool_fsync_interval_ms,
	};
}

void cs_config_to_long_memory(const struct cs_config *c, const char *dir, struct cs_long_memory_conf *out)
{
	*out = (struct cs_long_memory_conf){
		.dir = dir != NULL ? dir : c->state_dir,
		.map_size = (size_t)c->state_map_mb << 20,
		.queue_capacity = c->checkpoint_queue,
	};
}
