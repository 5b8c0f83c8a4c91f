/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GTPv1-C (TS 29.060, Gn/Gp) transactions -> session directory and events.
 * A PDP context is a session here:
 *
 *   Create PDP Context Request  (SGSN -> GGSN) -> remembered: identity,
 *                                 the SGSN's control and user F-TEIDs
 *   Create PDP Context Response -> accepted: session with both sides'
 *                                 F-TEIDs and the End User Address; OPEN
 *   Update PDP Context          -> new SGSN F-TEIDs (a new SGSN), location; UPDATE
 *   Delete PDP Context          -> CLOSE, session deleted
 *
 * A GTPv1 F-TEID is a GSN Address and a TEID: the first GSN Address of a
 * message is for the control plane, the second for user traffic (7.3.1).
 * User traffic the GGSN sends goes to the SGSN's TEID Data I (downlink);
 * what the SGSN sends goes to the GGSN's (uplink).
 */
#include <string.h>

#include "gtpc_tracker_internal.h"

/* TS 29.060 7.7.1: cause values 128..191 accept the request */
enum { CAUSE_ACCEPTED_MIN = 128, CAUSE_ACCEPTED_MAX = 191 };

static int fteid_of(const struct cs_gtpv1c_msg *m, int user, struct cs_fteid *out)
{
	const uint32_t need = user ? (CS_GTPV1C_HAS_GSN_UP | CS_GTPV1C_HAS_TEID_DATA)
				   : (CS_GTPV1C_HAS_GSN_CP | CS_GTPV1C_HAS_TEID_CP);
	const struct cs_gtpv1c_gsn *gsn = user ? &m->gsn_up : &m->gsn_cp;

	if ((m->present & need) != need)
		return 0;
	memset(out, 0, sizeof(*out));
	memcpy(out->addr.b, gsn->addr, gsn->is_ipv6 ? 16 : 4);
	out->teid = user ? m->teid_data : m->teid_cp;
	return 1;
}

static void uli_of(const struct cs_gtpv1c_msg *m, struct cs_uli *out)
{
	memset(out, 0, sizeof(*out));
	if (m->present & CS_GTPV1C_HAS_ULI) {
		out->mcc = m->uli.plmn.mcc;
		out->mnc = m->uli.plmn.mnc;
		out->mnc_digits = m->uli.plmn.mnc_digits;
		out->area = m->uli.lac;
		out->area_kind = CS_AREA_LAC;
		if (m->uli.type == CS_GTPV1C_ULI_CGI) {
			out->cell_kind = CS_CELL_CGI;
			out->cell = m->uli.ci;
		} else if (m->uli.type == CS_GTPV1C_ULI_SAI) {
			out->cell_kind = CS_CELL_SAI;
			out->cell = m->uli.sac;
		}
	} else if (m->present & CS_GTPV1C_HAS_RAI) {
		out->mcc = m->rai.plmn.mcc;
		out->mnc = m->rai.plmn.mnc;
		out->mnc_digits = m->rai.plmn.mnc_digits;
		out->area = m->rai.lac;
		out->area_kind = CS_AREA_LAC;
	}
}

/* Remembers the requester's F-TEIDs: they become keys only once the response accepts them. */
static void remember_requester(struct pending *p, const struct cs_gtpv1c_msg *m)
{
	p->has_sender = (uint8_t)fteid_of(m, 0, &p->sender);
	p->has_user = (uint8_t)fteid_of(m, 1, &p->user);
	p->ebi = m->nsapi;
}

static void on_create_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
			      struct cs_decode_stats *st)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;
	struct pending *p = cs_gtpc_remember(t, l, 1, m->type, m->seq, ts, st);

	memset(&p->info, 0, sizeof(p->info));
	p->info.gtp_version = 1;
	p->info.imsi = m->imsi;
	p->info.msisdn = m->msisdn;
	p->info.imei = m->imeisv;
	p->info.rat = m->rat_type;
	uli_of(m, &p->info.uli);
	memcpy(p->info.apn, m->apn, sizeof(m->apn));
	remember_requester(p, m);
}

/* The responder's F-TEIDs, and the requester's (remembered) user plane. */
static void add_both_sides(struct cs_gtpc_tracker *t, uint32_t index, const struct pending *p)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;
	struct cs_fteid k;

	if (p->has_user)
		cs_session_dir_add_fteid(t->dir, index, &p->user, CS_ROLE_DOWNLINK, p->ebi);
	if (fteid_of(m, 0, &k))
		cs_session_dir_add_fteid(t->dir, index, &k, CS_ROLE_CONTROL, 0);
	if (fteid_of(m, 1, &k))
		cs_session_dir_add_fteid(t->dir, index, &k, CS_ROLE_UPLINK, p->ebi);
}

static void on_create_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
			       struct cs_decode_stats *st)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;

	if (m->present & CS_GTPV1C_HAS_EUA) {
		p->info.has_ue_ipv4 = m->eua.has_ipv4;
		memcpy(p->info.ue_ipv4.b, m->eua.ipv4, 4);
		p->info.has_ue_ipv6 = m->eua.has_ipv6;
		memcpy(p->info.ue_ipv6.b, m->eua.ipv6, 16);
	}
	int64_t index = cs_gtpc_open(t, p, ts, out, st);
	if (index < 0)
		return;
	add_both_sides(t, (uint32_t)index, p);
	cs_gtpc_emit_session(t, (uint32_t)index, CS_SESSION_OPEN, CS_CLOSE_NONE, ts, out, st);
	st->sessions_opened++;
}

static void on_session_request(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, uint64_t ts,
			       struct cs_decode_stats *st)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;
	struct pending *p = cs_gtpc_remember(t, l, 1, m->type, m->seq, ts, st);

	if (cs_gtpc_session_of(t, l, m->teid, p, st) < 0)
		return;
	p->closes_session = m->type == CS_GTPV1C_DELETE_PDP_CONTEXT_REQUEST;
	if (m->type != CS_GTPV1C_UPDATE_PDP_CONTEXT_REQUEST)
		return;
	remember_requester(p, m);
	if (m->present & (CS_GTPV1C_HAS_ULI | CS_GTPV1C_HAS_RAI | CS_GTPV1C_HAS_RAT_TYPE | CS_GTPV1C_HAS_IMEISV)) {
		struct cs_uli uli;
		uli_of(m, &uli);
		cs_session_dir_update(t->dir, (uint32_t)p->session,
				      (m->present & (CS_GTPV1C_HAS_ULI | CS_GTPV1C_HAS_RAI)) ? &uli : NULL,
				      (m->present & CS_GTPV1C_HAS_RAT_TYPE) ? m->rat_type : 0,
				      (m->present & CS_GTPV1C_HAS_IMEISV) ? m->imeisv : CS_DIGITS_NONE, ts);
	}
}

static void on_response(struct cs_gtpc_tracker *t, struct pending *p, uint64_t ts, struct cs_emitter *out,
			struct cs_decode_stats *st)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;

	if (!(m->present & CS_GTPV1C_HAS_CAUSE) || m->cause < CAUSE_ACCEPTED_MIN || m->cause > CAUSE_ACCEPTED_MAX) {
		st->gtpc_rejected++;
		return;
	}
	if (m->type == CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE) {
		on_create_response(t, p, ts, out, st);
		return;
	}
	if (!cs_gtpc_still_same(t, p))
		return;
	uint32_t index = (uint32_t)p->session;
	if (p->closes_session) {
		cs_gtpc_close(t, index, CS_CLOSE_DELETED, ts, out, st);
		return;
	}
	add_both_sides(t, index, p);
	cs_session_dir_update(t->dir, index, NULL, 0, CS_DIGITS_NONE, ts);
	cs_gtpc_emit_session(t, index, CS_SESSION_UPDATE, CS_CLOSE_NONE, ts, out, st);
}

void cs_gtpc_v1(struct cs_gtpc_tracker *t, const struct cs_l2l4 *l, const uint8_t *p, uint32_t len, uint64_t ts_ns,
		struct cs_emitter *out, struct cs_decode_stats *st)
{
	const struct cs_gtpv1c_msg *m = &t->msg1;
	enum cs_reason r = cs_decode_gtpv1c(p, len, &t->msg1);

	if (r != CS_R_OK) {
		st->rejected[r]++;
		return;
	}
	st->gtpv1c_messages++;
	switch (m->type) {
	case CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST:
		/* a secondary PDP context (header TEID set) belongs to an existing session: not tracked as one */
		if (m->teid == 0)
			on_create_request(t, l, ts_ns, st);
		break;
	case CS_GTPV1C_UPDATE_PDP_CONTEXT_REQUEST:
	case CS_GTPV1C_DELETE_PDP_CONTEXT_REQUEST:
		on_session_request(t, l, ts_ns, st);
		break;
	case CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE:
	case CS_GTPV1C_UPDATE_PDP_CONTEXT_RESPONSE:
	case CS_GTPV1C_DELETE_PDP_CONTEXT_RESPONSE: {
		struct pending *pend = cs_gtpc_answered(t, l, 1, m->type, m->seq, ts_ns);
		if (pend == NULL) {
			st->gtpc_unmatched_responses++;
			break;
		}
		on_response(t, pend, ts_ns, out, st);
		break;
	}
	default:
		break;
	}
}
