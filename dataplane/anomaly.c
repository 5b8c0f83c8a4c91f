/* SPDX-License-Identifier: Apache-2.0 */
#include "anomaly.h"

static const char *const COUNTERS[CS_COUNTERS] = {
	[CS_C_MO_CALLS] = "mo_calls",
	[CS_C_MT_CALLS] = "mt_calls",
	[CS_C_DISTINCT_CALLEES] = "distinct_callees",
	[CS_C_MEAN_CALL_S] = "mean_call_duration_s",
	[CS_C_DISTINCT_CELLS] = "distinct_cells",
	[CS_C_DISTINCT_DATA_DESTINATIONS] = "distinct_data_destinations",
	[CS_C_DEVICE_IMSIS] = "device_distinct_imsis",
	[CS_C_DISTINCT_IMEIS] = "distinct_imeis",
	[CS_C_MO_SMS] = "mo_sms",
	[CS_C_DISTINCT_SMS_RECIPIENTS] = "distinct_sms_recipients",
	[CS_C_PERSON_SMS] = "person_to_person_sms",
	[CS_C_IMEI_NOT_BOUND] = "imei_not_bound",
	[CS_C_HANDSET_TAC] = "handset_tac",
	[CS_C_SILENT_DAYS] = "silent_days",
	[CS_C_MO_EVENTS] = "mo_events",
	[CS_C_SHORTCODE_SENDERS] = "distinct_shortcode_senders",
	[CS_C_MO_CALLS_DAY] = "mo_calls_day",
	[CS_C_FIRST_ACTIVATIONS] = "first_activations",
	[CS_C_SEQUENTIAL_CALLEES] = "sequential_callees",
	[CS_C_CALLEE_STEP] = "callee_step",
};

const char *cs_counter_name(enum cs_counter c)
{
	return c < CS_COUNTERS ? COUNTERS[c] : "?";
}

const char *cs_compare_op(enum cs_compare c)
{
	switch (c) {
	case CS_AT_LEAST: return ">=";
	case CS_AT_MOST: return "<=";
	case CS_BELOW: return "<";
	}
	return "?";
}

void cs_anomaly_evidence(struct cs_rec_anomaly *a, enum cs_counter c, enum cs_compare cmp, uint64_t value,
			 uint32_t threshold, bool lower_bound)
{
	if (a->nevidence >= CS_ANOMALY_EVIDENCE_MAX)
		return;
	a->evidence[a->nevidence++] = (struct cs_evidence){
		.counter = (uint8_t)c,
		.compare = (uint8_t)cmp,
		.lower_bound = lower_bound,
		.threshold = threshold,
		.value = value,
	};
}
