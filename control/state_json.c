/* SPDX-License-Identifier: Apache-2.0 */
#include "state_json.h"

#include <stdio.h>

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

static const char *const cell_kinds[] = { [CS_CELL_ECGI] = "ecgi", [CS_CELL_CGI] = "cgi", [CS_CELL_SAI] = "sai" };

void cs_cell_json(struct cs_json *w, uint64_t key)
{
	struct cs_uli u;
	char mcc[4], mnc[4];

	cs_cell_key_parts(key, &u);
	if (u.cell_kind == CS_CELL_NONE || u.cell_kind >= sizeof(cell_kinds) / sizeof(cell_kinds[0]))
		return;
	snprintf(mcc, sizeof(mcc), "%03u", u.mcc % 1000u);
	snprintf(mnc, sizeof(mnc), u.mnc_digits == 3 ? "%03u" : "%02u", u.mnc % 1000u);
	cs_json_object_begin(w, "cell");
	cs_json_string(w, "mcc", mcc);
	cs_json_string(w, "mnc", mnc);
	cs_json_string(w, "kind", cell_kinds[u.cell_kind]);
	if (u.area_kind == CS_AREA_LAC)
		cs_json_u64(w, "lac", u.area);
	cs_json_u64(w, "id", u.cell);
	cs_json_object_end(w);
}

static void around_device(struct cs_json *w, const struct cs_state_ctx *x, const struct cs_device_count *d)
{
	cs_json_object_begin(w, "device");
	cs_json_u64(w, "length_s", x->conf.day_ns / 1000000000ull);
	cs_json_u64(w, "distinct_imsis", d->imsis);
	cs_json_bool(w, "lower_bound", d->lower_bound);
	cs_json_object_end(w);
}

static void around_cell(struct cs_json *w, const struct cs_state_ctx *x, const struct cs_cell_view *c)
{
	cs_json_object_begin(w, "cell_activity");
	cs_json_u64(w, "length_s", x->conf.hour_ns / 1000000000ull);
	cs_json_u64(w, "active_imsis", c->active.n);
	cs_json_u64(w, "suspicious_imsis", c->suspicious.n);
	cs_json_bool(w, "lower_bound", c->active.lower_bound || c->suspicious.lower_bound);
	cs_json_object_end(w);
}

/* The number's block: how many of its numbers became active for the first time, and which lately. */
static void around_block(struct cs_json *w, const struct cs_state_around *a)
{
	const struct cs_block_view *b = a->block;

	cs_json_object_begin(w, "number_block");
	cs_json_digits(w, "prefix", a->block_prefix);
	cs_json_u64(w, "suffix_digits", a->suffix_digits);
	cs_json_u64(w, "ever_active", b->ever);
	cs_json_u64(w, "first_activations_short", b->short_new);
	cs_json_u64(w, "first_activations_hour", b->hour_new);
	cs_json_u64(w, "first_activations_day", b->day_new);
	cs_json_array_begin(w, "first_activated_in_hour");
	for (uint32_t i = 0; i < b->recent_in_hour; i++) {
		char n[CS_DIGITS_STR];
		if (cs_digits_to_ascii(cs_block_member(a->block_prefix, a->suffix_digits, b->recent[i].suffix), n) > 0)
			cs_json_string(w, NULL, n);
	}
	cs_json_array_end(w);
	cs_json_object_end(w);
}

int cs_state_json(const struct cs_state_ctx *x, const struct cs_subscriber *s, const struct cs_state_around *around,
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
	cs_cell_json(&w, s->cell);
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
	if (around != NULL && around->device != NULL)
		around_device(&w, x, around->device);
	if (around != NULL && around->cell != NULL)
		around_cell(&w, x, around->cell);
	if (around != NULL && around->block != NULL)
		around_block(&w, around);

	/* counts a full sketch pool left as lower bounds: "at least" */
	cs_json_array_begin(&w, "lower_bounds");
	for (unsigned int k = 0; k < CS_DISTINCT_KINDS; k++)
		if (v.distinct_lower_bound[k])
			cs_json_string(&w, NULL, distinct_names[k]);
	cs_json_array_end(&w);
	cs_json_object_end(&w);
	return cs_json_finish(&w);
}
