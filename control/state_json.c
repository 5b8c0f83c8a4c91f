/* SPDX-License-Identifier: Apache-2.0 */
#include "state_json.h"

#include "json_writer.h"

static const char *const distinct_names[CS_DISTINCT_KINDS] = {
	[CS_D_CALLEES] = "distinct_callees",
	[CS_D_SMS_RECIPIENTS] = "distinct_sms_recipients",
	[CS_D_DATA_DESTINATIONS] = "distinct_data_destinations",
	[CS_D_SHORTCODE_SENDERS] = "distinct_shortcode_senders",
	[CS_D_MT_SENDERS] = "distinct_mt_senders",
	[CS_D_CELLS] = "distinct_cells",
	[CS_D_IMEIS] = "distinct_imeis",
};

static const char *const hourly_names[CS_HOURLY] = {
	[CS_H_MO_CALLS] = "mo_calls", [CS_H_MO_ANSWERED] = "mo_answered", [CS_H_MT_CALLS] = "mt_calls",
	[CS_H_SHORT_CALLS] = "short_calls", [CS_H_CALL_SECONDS] = "call_seconds", [CS_H_MO_SMS] = "mo_sms",
	[CS_H_MT_SMS] = "mt_sms",
};

static void distinct_range(struct cs_json *w, const struct cs_state_view *v, unsigned int first, unsigned int last)
{
	for (unsigned int k = first; k < last; k++)
		cs_json_u64(w, distinct_names[k], v->distinct[k]);
}

int cs_state_json(const struct cs_state_ctx *x, const struct cs_subscriber *s, const struct cs_device_count *device,
		  uint64_t now_ns, const char *probe_id, char *buf, size_t cap)
{
	struct cs_state_view v;
	struct cs_json w;

	cs_state_read(x, s, now_ns, &v);
	cs_json_init(&w, buf, cap);
	cs_json_object_begin(&w, NULL);
	cs_json_string(&w, "type", "subscriber_state");
	cs_json_u64(&w, "schema_version", CS_STATE_SCHEMA_VERSION);
	cs_json_string(&w, "probe_id", probe_id);
	cs_json_time(&w, "as_of", now_ns);
	cs_json_digits(&w, "imsi", s->imsi);
	cs_json_digits(&w, "msisdn", s->msisdn);
	cs_json_digits(&w, "imei", s->imei);
	if (s->cell != 0)
		cs_json_u64(&w, "cell", s->cell);
	cs_json_time_if(&w, "first_seen", (uint64_t)s->first_seen_s * 1000000000ull);
	cs_json_time_if(&w, "last_seen", (uint64_t)s->last_seen_s * 1000000000ull);
	cs_json_time_if(&w, "last_mo", (uint64_t)s->last_mo_s * 1000000000ull);
	cs_json_digits(&w, "bound_imei", s->bound_imei);
	cs_json_day_if(&w, "bound_since", s->first_imei_day);
	if (s->msisdn != CS_DIGITS_NONE)
		cs_json_day_if(&w, "msisdn_since", s->first_activation_day);
	cs_json_object_begin(&w, "data");
	cs_json_u64(&w, "kib_up", s->kib_up);
	cs_json_u64(&w, "kib_down", s->kib_down);
	cs_json_object_end(&w);

	cs_json_object_begin(&w, "short_window");
	cs_json_u64(&w, "length_s", x->conf.short_window_ns / 1000000000ull);
	cs_json_u64(&w, "mo_events", v.mo_events_short);
	cs_json_object_end(&w);
	cs_json_object_begin(&w, "hour_window");
	cs_json_u64(&w, "length_s", x->conf.hour_ns / 1000000000ull);
	for (unsigned int k = 0; k < CS_HOURLY; k++)
		cs_json_u64(&w, hourly_names[k], v.hourly[k]);
	distinct_range(&w, &v, 0, CS_D_FIRST_DAILY);
	cs_json_object_end(&w);
	cs_json_object_begin(&w, "day_window");
	cs_json_u64(&w, "length_s", x->conf.day_ns / 1000000000ull);
	cs_json_u64(&w, "mo_calls", v.mo_calls_day);
	distinct_range(&w, &v, CS_D_FIRST_DAILY, CS_DISTINCT_KINDS);
	cs_json_object_end(&w);
	if (device != NULL) {
		cs_json_object_begin(&w, "device");
		cs_json_u64(&w, "length_s", x->conf.day_ns / 1000000000ull);
		cs_json_u64(&w, "distinct_imsis", device->imsis);
		cs_json_bool(&w, "lower_bound", device->lower_bound);
		cs_json_object_end(&w);
	}

	/* counts a full sketch pool left as lower bounds: "at least" */
	cs_json_array_begin(&w, "lower_bounds");
	for (unsigned int k = 0; k < CS_DISTINCT_KINDS; k++)
		if (v.distinct_lower_bound[k])
			cs_json_string(&w, NULL, distinct_names[k]);
	cs_json_array_end(&w);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}
