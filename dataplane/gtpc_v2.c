/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GTPv2-C (TS 29.274) transactions -> session directory and events:
 *
 *   Create Session Request  -> remembered (identity, sender F-TEID)
 *   Create Session Response -> accepted: session with its control and
 *                              user-plane F-TEIDs and UE address; OPEN
 *   Modify Bearer Request   -> the eNodeB's F-TEIDs, location; UPDATE on the response
 *   Create/Update Bearer    -> a dedicated bearer's F-TEIDs; UPDATE
 *   Delete Bearer           -> its F-TEIDs removed (the linked bearer: the whole session)
 *   Delete Session          -> CLOSE, session deleted
 */
#include <string.h>

#include "gtpc_tracker_internal.h"

/* TS 29.274 8.4: causes 16..63 accept the request */
enum { CAUSE_ACCEPTED_MIN = 16, CAUSE_ACCEPTED_MAX = 63 };

/* The F-TEID's IPv4 form, or its IPv6 form. */
static struct cs_fteid fteid_key(const struct cs_gtpv2c_fteid *f, int want_v6)
{
	struct cs_fteid k = { .teid = f->teid };

	if (want_v6)
		memcpy(k.addr.b, f->ipv6, 16);
	else
		cs_gtpc_ipv4(&k.addr, f->ipv4);
	return k;
}

/*
 * Which way user-plane traffic to an F-TEID flows, from its interface type
 * (TS 29.274 table 8.22-1): towards the core (uplink) or towards the UE.
 * Control-plane endpoints name the session for later requests. Others
 * (forwarding tunnels, PMIP) are not kept.
 */
static int role_of(uint8_t iface, enum cs_fteid_role *role)
{
	switch (iface) {
	case 1: case 3: case 5: case 16: /* S1-U SGW, S12 SGW, S5/S8-U PGW, S4-U SGW */
		*role = CS_ROLE_UPLINK;
		return 1;
	case 0: case 2: case 4: case 15: /* S1-U eNodeB, S12 RNC, S5/S8-U SGW, S4-U SGSN */
		*role = CS_ROLE_DOWNLINK;
		return 1;
	case 6: case 7: case 10: case 11: case 17: /* S5/S8-C SGW/PGW, S11 MME, S11/S4 SGW, S4 SGSN */
		*role = CS_ROLE_CONTROL;
		return 1;
	default:
		return 0;
	}
}

static void add_fteid(struct cs_gtpc_tracker *t, uint32_t index, const struct cs_gtpv2c_fteid *f, uint8_t ebi)
{
	enum cs_fteid_role role;

	if (!role_of(f->iface, &role))
		return;
	if (f->has_ipv4) {
		struct cs_fteid k = fteid_key(f, 0);
		cs_session_dir_add_fteid(t->dir, index, &k, role, ebi);
	}
	if (f->has_ipv6) {
		struct cs_fteid k = fteid_key(f, 1);
		cs_session_dir_add_fteid(t->dir, index, &k, role, ebi);
	}
}

static void add_bearer_fteids(struct cs_gtpc_tracker *t, uint32_t index)
{
	for (unsigned int b = 0; b < t->msg.bearer_count; b++) {
		const struct cs_gtpv2c_bearer *br = &t->msg.bearer[b];
		for (unsigned int i = 0; i < br->fteid_count; i++)
			add_fteid(t, index, &br->fteid[i], br->ebi);
	}
}

static void uli_of(const struct cs_gtpv2c_uli *u, struct cs_uli *out)
{
	const struct cs_gtpv2c_plmn *plmn = NULL;

	memset(out, 0, sizeof(*out));
	if (u->flags & CS_GTPV2C_ULI_ECGI) {
		out->cell_kind = CS_CELL_ECGI;
		out->cell = u->ecgi.eci;
		plmn = &u->ecgi.plmn;
	} else if (u->flags & CS_GTPV2C_ULI_CGI) {
		out->cell_kind = CS_CELL_CGI;
		out->cell = u->cgi.ci;
		out->area = u->cgi.lac;
		out->area_kind = CS_AREA_LAC;
		plmn = &u->cgi.plmn;
	} else if (u->flags & CS_GTPV2C_ULI_SAI) {
		out->cell_kind = CS_CELL_SAI;
		out->cell = u->sai.sac;
		out->area = u->sai.lac;
		out->area_kind = CS_AREA_LAC;
		plmn = &u->sai.plmn;
	}
	if (u->flags & CS_GTPV2C_ULI_TAI) {
		out->area = u->tai.tac;
		out->area_kind = CS_AREA_TAC;
		if (plmn == NULL)
			plmn = &u->tai.plmn;
	}
	if (plmn != NULL) {
		out->mcc = plmn->mcc;
		out->mnc = plmn->mnc;
		out->mnc_digits = plmn->mnc_digits;
	}
}

static int accepted(const struct cs_gtpv2c_msg *m)
{
	return (m->present & CS_GTPV2C_HAS_CAUSE) && m->cause.value >= CAUSE_ACCEPTED_MIN &&
	       m->cause.value <= CAUSE_ACCEPTED_MAX;
}

static void on_create_session_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
				      struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct pending *p = cs_gtpc_remember(t, l, 2, m->type, m->seq, ts, st);
	const struct cs_gtpv2c_fteid *sender = cs_gtpv2c_fteid_by_instance(m->fteid, m->fteid_count, 0);

	memset(&p->info, 0, sizeof(p->info));
	p->info.gtp_version = 2;
	p->info.imsi = m->imsi;
	p->info.msisdn = m->msisdn;
	p->info.imei = m->mei;
	p->info.rat = m->rat_type;
	uli_of(&m->uli, &p->info.uli);
	memcpy(p->info.apn, m->apn, sizeof(p->info.apn));
	if (sender != NULL) {
		p->sender = fteid_key(sender, !sender->has_ipv4);
		p->has_sender = 1;
	}
}

static void on_create_session_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts,
				       struct cs_emitter *out, struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;

	if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV4 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6) {
		p->info.has_ue_ipv4 = 1;
		cs_gtpc_ipv4(&p->info.ue_ipv4, m->paa.ipv4);
	}
	if (m->paa.pdn_type == CS_GTPV2C_PDN_IPV6 || m->paa.pdn_type == CS_GTPV2C_PDN_IPV4V6) {
		p->info.has_ue_ipv6 = 1;
		memcpy(p->info.ue_ipv6.b, m->paa.ipv6, 16);
	}
	int64_t index = cs_gtpc_open(t, p, ts, out, st);
	if (index < 0)
		return;
	for (unsigned int i = 0; i < m->fteid_count; i++)
		add_fteid(t, (uint32_t)index, &m->fteid[i], 0);
	add_bearer_fteids(t, (uint32_t)index);
	cs_gtpc_emit_session(t, (uint32_t)index, CS_SESSION_OPEN, CS_CLOSE_NONE, ts, out, st);
	st->sessions_opened++;
}

static void on_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
			struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;

	if (!accepted(m)) {
		st->gtpc_rejected++;
		return;
	}
	if (m->type == CS_GTPV2C_CREATE_SESSION_RESPONSE) {
		on_create_session_response(t, p, ts, out, st);
		return;
	}
	if (!cs_gtpc_still_same(t, p))
		return; /* the session went (evicted, expired) while the request was pending */
	uint32_t index = (uint32_t)p->session;
	if (p->closes_session) {
		cs_gtpc_close(t, index, CS_CLOSE_DELETED, ts, out, st);
		return;
	}
	switch (m->type) {
	case CS_GTPV2C_MODIFY_BEARER_RESPONSE:
	case CS_GTPV2C_CREATE_BEARER_RESPONSE:
	case CS_GTPV2C_UPDATE_BEARER_RESPONSE:
		add_bearer_fteids(t, index);
		cs_session_dir_update(t->dir, index, NULL, 0, CS_DIGITS_NONE, ts);
		cs_gtpc_emit_session(t, index, CS_SESSION_UPDATE, CS_CLOSE_NONE, ts, out, st);
		break;
	case CS_GTPV2C_DELETE_BEARER_RESPONSE:
		for (unsigned int b = 0; b < m->bearer_count; b++)
			cs_session_dir_remove_bearer(t->dir, index, m->bearer[b].ebi);
		break;
	default:
		break;
	}
}

/*
 * Requests on an existing session carry news the response only confirms:
 * the eNodeB's F-TEIDs (Modify Bearer Request) and the location. They are
 * applied when the request is seen, since the response repeats neither.
 */
static void on_session_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
			       struct cs_decode_stats *st)
{
	const struct cs_gtpv2c_msg *m = &t->msg;
	struct pending *p = cs_gtpc_remember(t, l, 2, m->type, m->seq, ts, st);

	if (!m->has_teid || cs_gtpc_session_of(t, l, m->teid, p, st) < 0)
		return;
	uint32_t index = (uint32_t)p->session;
	if (m->type == CS_GTPV2C_MODIFY_BEARER_REQUEST)
		add_bearer_fteids(t, index);
	if (m->present & (CS_GTPV2C_HAS_ULI | CS_GTPV2C_HAS_RAT_TYPE | CS_GTPV2C_HAS_MEI)) {
		struct cs_uli uli;
		uli_of(&m->uli, &uli);
		cs_session_dir_update(t->dir, index, (m->present & CS_GTPV2C_HAS_ULI) ? &uli : NULL,
				      (m->present & CS_GTPV2C_HAS_RAT_TYPE) ? m->rat_type : 0,
				      (m->present & CS_GTPV2C_HAS_MEI) ? m->mei : CS_DIGITS_NONE, ts);
	}
	/* Delete Bearer Request naming only the linked bearer removes the whole PDN connection */
	p->closes_session = m->type == CS_GTPV2C_DELETE_SESSION_REQUEST ||
			    (m->type == CS_GTPV2C_DELETE_BEARER_REQUEST && m->ebi_count == 0 &&
			     (m->present & CS_GTPV2C_HAS_EBI));
}

static void on_message(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts, struct cs_emitter *out,
		       struct cs_decode_stats *st)
{
	switch (t->msg.type) {
	case CS_GTPV2C_CREATE_SESSION_REQUEST:
		on_create_session_request(t, l, ts, st);
		break;
	case CS_GTPV2C_MODIFY_BEARER_REQUEST:
	case CS_GTPV2C_DELETE_SESSION_REQUEST:
	case CS_GTPV2C_CREATE_BEARER_REQUEST:
	case CS_GTPV2C_UPDATE_BEARER_REQUEST:
	case CS_GTPV2C_DELETE_BEARER_REQUEST:
		on_session_request(t, l, ts, st);
		break;
	case CS_GTPV2C_CREATE_SESSION_RESPONSE:
	case CS_GTPV2C_MODIFY_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_SESSION_RESPONSE:
	case CS_GTPV2C_CREATE_BEARER_RESPONSE:
	case CS_GTPV2C_UPDATE_BEARER_RESPONSE:
	case CS_GTPV2C_DELETE_BEARER_RESPONSE: {
		struct pending *p = cs_gtpc_answered(t, l, 2, t->msg.type, t->msg.seq, ts);
		if (p == NULL) {
			st->gtpc_unmatched_responses++;
			break;
		}
		on_response(t, p, ts, out, st);
		break;
	}
	default:
		break;
	}
}

void cs_gtpc_v2(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len, uint64_t ts_ns,
		struct cs_emitter *out, struct cs_decode_stats *st)
{
	/* a triggered message may carry one piggybacked message (TS 29.274 5.5) */
	for (int n = 0; n < 2 && len > 0; n++) {
		enum cs_reason r = cs_decode_gtpv2c(p, len, &t->msg);
		if (r != CS_R_OK) {
			st->rejected[r]++;
			return;
		}
		st->gtpv2c_messages++;
		on_message(t, l, ts_ns, out, st);
		if (!t->msg.piggybacked)
			return;
		p += t->msg.msg_len;
		len -= t->msg.msg_len;
	}
}
