/* SPDX-License-Identifier: Apache-2.0 */
#include "anomaly_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#include "json_writer.h"
#include "state_json.h"

static const char *subject_name(uint8_t subject)
{
	switch (subject) {
	case CS_SUBJECT_DEVICE: return "device";
	case CS_SUBJECT_BLOCK: return "number_block";
	default: return "subscriber";
	}
}

/*
 * The hashed input, fixed-width fields then the probe id:
 *   rule (1) subject (1) occurrence (1) pad (5) subject_key (8) ts_ns (8) probe_id (..)
 */
void cs_anomaly_id(const struct cs_rec_anomaly *a, const char *probe_id, char out[CS_ANOMALY_ID_LEN + 1])
{
	uint8_t in[24 + 64] = { a->rule, a->subject, a->occurrence };
	size_t n = strnlen(probe_id, 64);

	memcpy(in + 8, &a->subject_key, sizeof(a->subject_key));
	memcpy(in + 16, &a->h.ts_ns, sizeof(a->h.ts_ns));
	memcpy(in + 24, probe_id, n);
	XXH128_hash_t h = XXH3_128bits(in, 24 + n);
	/* RFC 9562 version 8: the version nibble and the variant bits set, the other 122 bits the hash's */
	uint64_t hi = (h.high64 & ~UINT64_C(0xf000)) | UINT64_C(0x8000);
	uint64_t lo = (h.low64 & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
	snprintf(out, CS_ANOMALY_ID_LEN + 1, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
		 hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48, lo & UINT64_C(0xffffffffffff));
}

cs_digits cs_anomaly_key(const struct cs_rec_anomaly *a)
{
	return a->subject == CS_SUBJECT_SUBSCRIBER ? a->imsi : a->subject_key;
}

static void window(struct cs_json *w, const struct cs_rec_anomaly *a)
{
	uint64_t length_ns = (uint64_t)a->window_s * 1000000000ull;

	cs_json_object_begin(w, "window");
	cs_json_time(w, "start", a->h.ts_ns > length_ns ? a->h.ts_ns - length_ns : 0);
	cs_json_time(w, "end", a->h.ts_ns);
	cs_json_u64(w, "length_s", a->window_s);
	cs_json_object_end(w);
}

static void evidence(struct cs_json *w, const struct cs_rec_anomaly *a)
{
	cs_json_array_begin(w, "evidence");
	for (unsigned int i = 0; i < a->nevidence && i < CS_ANOMALY_EVIDENCE_MAX; i++) {
		const struct cs_evidence *e = &a->evidence[i];
		cs_json_object_begin(w, NULL);
		cs_json_string(w, "counter", cs_counter_name((enum cs_counter)e->counter));
		cs_json_u64(w, "value", e->value);
		cs_json_string(w, "op", cs_compare_op((enum cs_compare)e->compare));
		cs_json_u64(w, "threshold", e->threshold);
		if (e->lower_bound)
			cs_json_bool(w, "lower_bound", true);
		cs_json_object_end(w);
	}
	cs_json_array_end(w);
}

void cs_anomaly_json(struct cs_json *w, const struct cs_rec_anomaly *a, const char *probe_id)
{
	char id[CS_ANOMALY_ID_LEN + 1];

	cs_anomaly_id(a, probe_id, id);
	cs_json_object_begin(w, NULL);
	cs_json_string(w, "type", "anomaly");
	cs_json_u64(w, "schema_version", CS_ANOMALY_SCHEMA_VERSION);
	cs_json_string(w, "probe_id", probe_id);
	cs_json_string(w, "id", id);
	cs_json_time(w, "time", a->h.ts_ns);
	cs_json_string(w, "rule", cs_rule_name((enum cs_rule)a->rule));
	cs_json_string(w, "description", cs_rule_description((enum cs_rule)a->rule));
	cs_json_string(w, "severity", cs_severity_name((enum cs_severity)a->severity));
	cs_json_u64(w, "occurrence", a->occurrence);
	cs_json_u64(w, "score", a->score);
	cs_json_string(w, "subject", subject_name(a->subject));
	if (a->subject == CS_SUBJECT_BLOCK)
		cs_json_digits(w, "number_block", a->subject_key);
	cs_json_digits(w, "imsi", a->imsi);
	cs_json_digits(w, "msisdn", a->msisdn);
	cs_json_digits(w, "imei", a->imei);
	if (a->bound_imei != a->imei)
		cs_json_digits(w, "bound_imei", a->bound_imei);
	cs_cell_json(w, a->cell);
	window(w, a);
	evidence(w, a);
	if (a->nmembers > 0) {
		/* a device's SIMs (IMSIs), a block's numbers (MSISDNs) */
		cs_json_array_begin(w, a->subject == CS_SUBJECT_DEVICE ? "member_imsis" : "member_msisdns");
		for (unsigned int i = 0; i < a->nmembers && i < CS_ANOMALY_MEMBERS_MAX; i++)
			cs_json_digits(w, NULL, a->members[i]);
		cs_json_array_end(w);
	}
	cs_json_object_end(w);
}
