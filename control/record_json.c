/* SPDX-License-Identifier: Apache-2.0 */
#include "record_json.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "anomaly_json.h"
#include "decode_sms.h"
#include "json_writer.h"

static void address(struct cs_json *w, const char *key, int family, const struct cs_ip_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	if (inet_ntop(family, a->b, s, sizeof(s)) != NULL)
		cs_json_string(w, key, s);
}

static void header(struct cs_json *w, const char *type, unsigned int version, const char *probe_id)
{
	cs_json_object_begin(w, NULL);
	cs_json_string(w, "type", type);
	cs_json_u64(w, "schema_version", version);
	cs_json_string(w, "probe_id", probe_id);
}

/* RAT Type values (TS 29.274 8.17; GTPv1 TS 29.060 7.7.50 shares 1..2). */
static const char *rat_name(uint8_t rat)
{
	static const char *const names[] = {
		[1] = "UTRAN", [2] = "GERAN", [3] = "WLAN", [4] = "GAN", [5] = "HSPA Evolution",
		[6] = "EUTRAN", [7] = "Virtual", [8] = "EUTRAN-NB-IoT", [9] = "LTE-M", [10] = "NR",
	};
	return rat < sizeof(names) / sizeof(names[0]) && names[rat] != NULL ? names[rat] : NULL;
}

static void location(struct cs_json *w, const struct cs_uli *u)
{
	static const char *const cell_key[] = { [CS_CELL_ECGI] = "eci", [CS_CELL_CGI] = "ci", [CS_CELL_SAI] = "sac" };
	char mcc[4], mnc[4];

	if (u->cell_kind == CS_CELL_NONE && u->area_kind == CS_AREA_NONE)
		return;
	snprintf(mcc, sizeof(mcc), "%03u", u->mcc % 1000);
	snprintf(mnc, sizeof(mnc), u->mnc_digits == 3 ? "%03u" : "%02u", u->mnc % 1000);
	cs_json_object_begin(w, "location");
	cs_json_string(w, "mcc", mcc);
	cs_json_string(w, "mnc", mnc);
	if (u->area_kind != CS_AREA_NONE)
		cs_json_u64(w, u->area_kind == CS_AREA_TAC ? "tac" : "lac", u->area);
	if (u->cell_kind != CS_CELL_NONE && u->cell_kind <= CS_CELL_SAI)
		cs_json_u64(w, cell_key[u->cell_kind], u->cell);
	cs_json_object_end(w);
}

static const char *close_name(uint8_t why)
{
	switch (why) {
	case CS_CLOSE_DELETED: return "deleted";
	case CS_CLOSE_IDLE: return "idle_timeout";
	case CS_CLOSE_EVICTED: return "evicted";
	case CS_CLOSE_END_OF_INPUT: return "end_of_input";
	default: return "open";
	}
}

static void traffic(struct cs_json *w, const char *key, uint64_t bytes, uint64_t packets)
{
	cs_json_object_begin(w, key);
	cs_json_u64(w, "bytes", bytes);
	cs_json_u64(w, "packets", packets);
	cs_json_object_end(w);
}

static void session(struct cs_json *w, const struct cs_rec_session *r, const char *probe_id)
{
	const struct cs_ev_session *s = &r->s;
	char id[64];
	const char *rat = rat_name(s->rat);

	header(w, "session", CS_SESSION_SCHEMA_VERSION, probe_id);
	snprintf(id, sizeof(id), "%s:%016" PRIx64 ":%u", probe_id, s->session_ref, r->record_seq);
	cs_json_string(w, "record_id", id);
	cs_json_digits(w, "imsi", s->imsi);
	cs_json_digits(w, "msisdn", s->msisdn);
	cs_json_digits(w, "imei", s->imei);
	if (s->apn[0] != '\0')
		cs_json_string(w, "apn", s->apn);
	if (rat != NULL)
		cs_json_string(w, "rat", rat);
	if (s->gtp_version != 0)
		cs_json_u64(w, "gtp_version", s->gtp_version);
	if (s->has_ue_ipv4)
		address(w, "ue_ipv4", AF_INET, &s->ue_ipv4);
	if (s->has_ue_ipv6)
		address(w, "ue_ipv6", AF_INET6, &s->ue_ipv6);
	location(w, &s->uli);
	cs_json_time_if(w, "start_time", s->created_ns);
	cs_json_time(w, "record_time", s->h.ts_ns);
	if (s->created_ns != 0 && s->h.ts_ns >= s->created_ns)
		cs_json_seconds(w, "duration_s", s->h.ts_ns - s->created_ns);
	cs_json_bool(w, "interim", r->interim != 0);
	cs_json_u64(w, "record_seq", r->record_seq);
	cs_json_string(w, "end_reason", r->interim ? "open" : close_name(s->close_reason));
	traffic(w, "uplink", r->bytes_up, r->packets_up);
	traffic(w, "downlink", r->bytes_down, r->packets_down);
	cs_json_time_if(w, "first_data_time", r->first_data_ns);
	cs_json_time_if(w, "last_data_time", r->last_data_ns);
	cs_json_object_end(w);
}

static const char *outcome_name(uint8_t o)
{
	switch (o) {
	case CS_CALL_ANSWERED: return "answered";
	case CS_CALL_CANCELLED: return "cancelled";
	case CS_CALL_REJECTED: return "rejected";
	case CS_CALL_ABANDONED: return "abandoned";
	default: return "timeout";
	}
}

static const char *transport_name(uint8_t t)
{
	switch (t) {
	case CS_TRANSPORT_TCP: return "tcp";
	case CS_TRANSPORT_GTPU: return "gtpu";
	default: return "udp";
	}
}

static void call(struct cs_json *w, const struct cs_ev_call *c, const char *probe_id)
{
	static const char *const side[] = { [CS_SIDE_UNKNOWN] = NULL, [CS_SIDE_CALLER] = "caller",
					    [CS_SIDE_CALLEE] = "callee" };
	char call_id[CS_CALL_ID_MAX + 1];

	header(w, "call", CS_CALL_SCHEMA_VERSION, probe_id);
	snprintf(call_id, sizeof(call_id), "%.*s", (int)c->call_id_len, c->call_id);
	cs_json_string(w, "call_id", call_id);
	cs_json_digits(w, "imsi", c->imsi);
	cs_json_digits(w, "caller", c->caller);
	cs_json_digits(w, "callee", c->callee);
	cs_json_digits(w, "callee_imsi", c->callee_imsi);
	cs_json_time(w, "setup_time", c->setup_ns);
	cs_json_time_if(w, "ringing_time", c->ringing_ns);
	cs_json_time_if(w, "answer_time", c->answer_ns);
	cs_json_time_if(w, "end_time", c->end_ns);
	if (c->answer_ns != 0 && c->end_ns >= c->answer_ns)
		cs_json_seconds(w, "duration_s", c->end_ns - c->answer_ns);
	if (c->status != 0)
		cs_json_u64(w, "status", c->status);
	cs_json_string(w, "outcome", outcome_name(c->outcome));
	if (c->ended_by < 3 && side[c->ended_by] != NULL)
		cs_json_string(w, "ended_by", side[c->ended_by]);
	cs_json_string(w, "transport", transport_name(c->transport));
	cs_json_object_end(w);
}

static void sms(struct cs_json *w, const struct cs_ev_sms *m, const char *probe_id)
{
	char call_id[CS_CALL_ID_MAX + 1];

	header(w, "sms", CS_SMS_SCHEMA_VERSION, probe_id);
	cs_json_time(w, "time", m->h.ts_ns);
	cs_json_string(w, "direction", m->direction == CS_SMS_MO ? "mo" : "mt");
	cs_json_digits(w, "imsi", m->imsi);
	if (m->originator != CS_DIGITS_NONE)
		cs_json_digits(w, "originator", m->originator);
	else if (m->originator_alpha[0] != '\0')
		cs_json_string(w, "originator", m->originator_alpha);
	cs_json_bool(w, "originator_alphanumeric", m->originator == CS_DIGITS_NONE && m->originator_alpha[0] != '\0');
	cs_json_digits(w, "recipient", m->recipient);
	cs_json_digits(w, "smsc", m->smsc);
	if (m->call_id_len > 0) {
		snprintf(call_id, sizeof(call_id), "%.*s", (int)m->call_id_len, m->call_id);
		cs_json_string(w, "call_id", call_id);
	}
	cs_json_string(w, "transport", transport_name(m->transport));
	cs_json_object_end(w);
}

int cs_record_json(const struct cs_event_hdr *msg, const char *probe_id, char *buf, size_t cap,
		   struct cs_record_meta *meta)
{
	struct cs_json w;
	cs_digits key;

	cs_json_init(&w, buf, cap);
	switch (msg->kind) {
	case CS_REC_SESSION:
		session(&w, (const struct cs_rec_session *)msg, probe_id);
		*meta = (struct cs_record_meta){ .type = "session", .schema_version = CS_SESSION_SCHEMA_VERSION };
		key = ((const struct cs_rec_session *)msg)->s.imsi;
		break;
	case CS_EV_CALL: {
		const struct cs_ev_call *c = (const struct cs_ev_call *)msg;
		call(&w, c, probe_id);
		*meta = (struct cs_record_meta){ .type = "call", .schema_version = CS_CALL_SCHEMA_VERSION };
		key = c->imsi != CS_DIGITS_NONE ? c->imsi : c->caller;
		break;
	}
	case CS_EV_SMS: {
		const struct cs_ev_sms *m = (const struct cs_ev_sms *)msg;
		sms(&w, m, probe_id);
		*meta = (struct cs_record_meta){ .type = "sms", .schema_version = CS_SMS_SCHEMA_VERSION };
		key = m->imsi != CS_DIGITS_NONE ? m->imsi : m->direction == CS_SMS_MO ? m->originator : m->recipient;
		break;
	}
	case CS_REC_ANOMALY: {
		const struct cs_rec_anomaly *a = (const struct cs_rec_anomaly *)msg;
		cs_anomaly_json(&w, a, probe_id);
		*meta = (struct cs_record_meta){ .type = "anomaly", .schema_version = CS_ANOMALY_SCHEMA_VERSION };
		key = cs_anomaly_key(a);
		break;
	}
	default:
		return 0;
	}
	cs_digits_to_ascii(key, meta->key);
	return cs_json_finish(&w);
}
