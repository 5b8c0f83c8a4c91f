/* SPDX-License-Identifier: Apache-2.0 */
#include "profiles.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "encode.h"

static const uint64_t SEC = 1000000000ull;
static const uint64_t HOUR_USED_S = 3400; /* an hour's activity fits 3400 s after a 60 s start: ends by :59 */
static const uint64_t DAY_S = 86400;

static unsigned int or_default(unsigned int v, unsigned int def)
{
	return v != 0 ? v : def;
}

/* prefix then v, zero-padded to total digits; false if it does not fit. */
static bool padded(char out[16], const char *prefix, uint64_t v, unsigned int total)
{
	size_t n = strlen(prefix);

	char wide[48];

	out[0] = '\0';
	if (total > 15 || n >= total)
		return false;
	/* written wide first: a value with more digits than the room must fail, not be cut */
	int w = snprintf(wide, sizeof(wide), "%s%0*llu", prefix, (int)(total - n), (unsigned long long)v);
	if (w != (int)total)
		return false;
	memcpy(out, wide, total + 1);
	return true;
}

static bool imei_of(char out[16], const char *tac, uint32_t serial)
{
	char d14[15];

	if (strlen(tac) != 8 || serial > 999999)
		return false;
	snprintf(d14, sizeof(d14), "%s%06u", tac, serial);
	snprintf(out, 16, "%s%c", d14, cs_luhn_digit(d14));
	return true;
}

/* The k-th other party of a profile; "" if it does not fit, which the scenario refuses (and says so at close). */
static void peer(const struct cs_profile_ids *ids, unsigned int k, char out[16])
{
	padded(out, ids->peer_prefix, k, ids->msisdn_digits);
}

static struct cs_scen_cell cell_k(const struct cs_profile_ids *ids, unsigned int k)
{
	return (struct cs_scen_cell){ .tac = ids->cell.tac, .eci = ids->cell.eci + k };
}

void cs_profile_ids_range(struct cs_profile_ids *ids, unsigned int r)
{
	memset(ids, 0, sizeof(*ids));
	snprintf(ids->imsi_prefix, sizeof(ids->imsi_prefix), "00101%02u", r % 100);
	snprintf(ids->msisdn_prefix, sizeof(ids->msisdn_prefix), "86139%02u", r % 100);
	snprintf(ids->peer_prefix, sizeof(ids->peer_prefix), "86138%02u", r % 100);
	snprintf(ids->tac, sizeof(ids->tac), "3533%02u10", r % 100);
	ids->msisdn_digits = 13;
	ids->msisdn_step = 1000;
	ids->cell = (struct cs_scen_cell){ .tac = (uint16_t)(0x100 + r), .eci = (r + 1) << 8 };
}

void cs_profile_ids_iot(struct cs_profile_ids *ids, unsigned int r)
{
	memset(ids, 0, sizeof(*ids));
	snprintf(ids->imsi_prefix, sizeof(ids->imsi_prefix), "001019%u", r % 10);
	snprintf(ids->msisdn_prefix, sizeof(ids->msisdn_prefix), "861064%u", r % 10);
	snprintf(ids->peer_prefix, sizeof(ids->peer_prefix), "8613899%u", r % 10);
	snprintf(ids->tac, sizeof(ids->tac), "8642%u010", r % 10);
	ids->msisdn_digits = 15;
	ids->msisdn_step = 1000;
	ids->cell = (struct cs_scen_cell){ .tac = (uint16_t)(0x180 + r), .eci = (100 + r) << 8 };
}

/* Subscriber i of a range: its identity into a new entry of out, with its label. NULL if out is full or it does not fit. */
static struct cs_profile_sub *new_sub(struct cs_profile_subs *out, const struct cs_profile_ids *ids, unsigned int i,
				      uint64_t msisdn_index, const char *label)
{
	if (out->n == CS_PROFILE_MAX_SUBS)
		return NULL;
	struct cs_profile_sub *s = &out->sub[out->n];
	memset(s, 0, sizeof(*s));
	if (!padded(s->imsi, ids->imsi_prefix, i, 15) || !padded(s->msisdn, ids->msisdn_prefix, msisdn_index,
								  ids->msisdn_digits) ||
	    !imei_of(s->imei, ids->tac, i))
		return NULL;
	s->label = label;
	out->n++;
	return s;
}

static struct cs_profile_sub *sub_of(struct cs_profile_subs *out, const struct cs_profile_ids *ids, unsigned int i,
				     const char *label)
{
	return new_sub(out, ids, i, (uint64_t)i * ids->msisdn_step, label);
}

static struct cs_scen_sim sim_of(const struct cs_profile_sub *s, const char *imei, uint8_t rat)
{
	return (struct cs_scen_sim){ .imsi = s->imsi, .msisdn = s->msisdn, .imei = imei, .rat = rat };
}

static uint32_t jitter_s(struct cs_scen *sc, unsigned int span)
{
	return span == 0 ? 0 : (uint32_t)(cs_scen_random(sc) % span);
}

/* An answered call of about mean_s (+-15 s, at least 5 s) after 2-5 s of ringing. */
static uint64_t answered_call(struct cs_scen *sc, const char *caller, const char *callee, unsigned int mean_s,
			      uint64_t at_ns)
{
	unsigned int low = mean_s > 20 ? mean_s - 15 : 5;
	const struct cs_scen_call c = {
		.caller = caller, .callee = callee, .outcome = CS_SCEN_ANSWERED,
		.ring_ms = 2000 + jitter_s(sc, 3000), .duration_s = low + jitter_s(sc, 31),
	};

	return cs_scen_call(sc, &c, at_ns);
}

/* --- calls: SIM box and heavy user ------------------------------------ */

/*
 * The hour of one caller: calls + mt slots of equal length from 60 s
 * after at_ns; the mt MT slots spread evenly among them. A call starts
 * 5-15 s into its slot; the heavy user first browses (one destination a
 * slot, in turn) and moves on to its next cell at evenly spread slots.
 */
struct hour_plan {
	unsigned int calls, callees, mean_s, mt, cells, destinations;
	unsigned int first_callee; /* peer index of its first callee */
	bool heavy;
};

static void caller_hour(struct cs_scen *sc, const struct cs_profile_ids *ids, struct cs_scen_ue *ue,
			struct cs_profile_sub *s, const struct hour_plan *h, uint64_t at_ns)
{
	const unsigned int slots = h->calls + h->mt;
	const uint64_t slot_ns = HOUR_USED_S * SEC / slots;
	unsigned int mo = 0, mt = 0;
	uint64_t end = at_ns;
	char other[16];

	s->onset_ns = UINT64_MAX;
	for (unsigned int j = 0; j < slots; j++) {
		const uint64_t start = at_ns + 60 * SEC + j * slot_ns;
		const bool is_mt = (uint64_t)(j + 1) * h->mt / slots != (uint64_t)j * h->mt / slots;
		if (h->heavy) {
			cs_scen_data(sc, ue, 0xcb007100u + j % h->destinations + 1, 2000, 30000, start); /* 203.0.113.x */
			for (unsigned int c = 1; c < h->cells; c++)
				if (j == c * slots / h->cells)
					cs_scen_move(sc, ue, cell_k(ids, c), start + 2 * SEC);
		}
		const uint64_t t = start + (5 + jitter_s(sc, 10)) * SEC;
		if (is_mt) {
			/* friends call back; a SIM box is called by numbers it never called */
			peer(ids, h->heavy ? mt % h->callees : h->first_callee + h->callees + mt, other);
			end = answered_call(sc, other, s->msisdn, h->mean_s, t);
			mt++;
			continue;
		}
		peer(ids, h->first_callee + mo % h->callees, other);
		end = answered_call(sc, s->msisdn, other, h->mean_s, t);
		if (s->onset_ns == UINT64_MAX)
			s->onset_ns = t;
		mo++;
	}
	s->end_ns = end;
}

/* Whether a slot holds the longest call: 15 s of start, 5 s of ringing, mean + 15 s, a second to spare. */
static bool plan_fits(const struct hour_plan *h)
{
	unsigned int slots = h->calls + h->mt;

	return h->calls > 0 && h->callees > 0 && (!h->heavy || (h->destinations > 0 && h->cells > 0)) &&
	       (uint64_t)(h->mean_s + 36) * slots <= HOUR_USED_S;
}

int cs_profile_simbox(struct cs_scen *sc, const struct cs_profile_calls *p, uint64_t at_ns,
		      struct cs_profile_subs *out)
{
	const unsigned int sims = or_default(p->sims, 1);
	struct hour_plan h = {
		.calls = or_default(p->calls, 36), .callees = or_default(p->callees, 30),
		.mean_s = or_default(p->mean_s, 35), .mt = or_default(p->mt_calls, 1),
	};

	if (!plan_fits(&h))
		return -1;
	for (unsigned int i = 0; i < sims; i++) {
		struct cs_profile_sub *s = sub_of(out, &p->ids, i, "simbox");
		struct cs_scen_ue ue = { 0 };
		if (s == NULL)
			return -1;
		/* every SIM of the box in one cell, a module of its own, no data */
		const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
		cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), at_ns + i * 2 * SEC);
		h.first_callee = i * (h.callees + h.mt);
		caller_hour(sc, &p->ids, &ue, s, &h, at_ns + i * 2 * SEC);
	}
	return 0;
}

int cs_profile_heavy_user(struct cs_scen *sc, const struct cs_profile_calls *p, uint64_t at_ns,
			  struct cs_profile_subs *out)
{
	const struct hour_plan h = {
		.calls = or_default(p->calls, 18), .callees = or_default(p->callees, 8),
		.mean_s = or_default(p->mean_s, 100), .mt = or_default(p->mt_calls, 6),
		.cells = or_default(p->cells, 3), .destinations = or_default(p->destinations, 12), .heavy = true,
	};
	struct cs_profile_sub *s = sub_of(out, &p->ids, 0, "normal_heavy");
	struct cs_scen_ue ue = { 0 };

	if (s == NULL || !plan_fits(&h) || h.destinations > h.calls + h.mt || h.cells > h.calls + h.mt)
		return -1;
	const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
	cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), at_ns);
	caller_hour(sc, &p->ids, &ue, s, &h, at_ns);
	return 0;
}

/* --- SIMs through one IMEI -------------------------------------------- */

/*
 * SIM i goes in at at_ns + i x interval: attach, (a phone: browses,) its
 * calls 90 s apart from 10 s in, detach 10 s after the last. The device
 * is the range's IMEI of serial 0 for every SIM.
 */
static int rotate(struct cs_scen *sc, const struct cs_profile_ids *ids, unsigned int sims, unsigned int interval_s,
		  unsigned int calls, bool phone, const char *label, uint64_t at_ns, struct cs_profile_subs *out)
{
	char device[16], other[16];

	if (!imei_of(device, ids->tac, 0) || (uint64_t)calls * 90 + 30 > interval_s)
		return -1;
	for (unsigned int i = 0; i < sims; i++) {
		struct cs_profile_sub *s = sub_of(out, ids, i, label);
		struct cs_scen_ue ue = { 0 };
		const uint64_t in = at_ns + (uint64_t)i * interval_s * SEC;
		uint64_t t = in;

		if (s == NULL)
			return -1;
		memcpy(s->imei, device, sizeof(device));
		const struct cs_scen_sim sim = sim_of(s, device, 0);
		cs_scen_attach(sc, &ue, &sim, cell_k(ids, 0), in);
		if (phone)
			cs_scen_data(sc, &ue, 0xcb007101u, 1500, 20000, in + 2 * SEC);
		for (unsigned int c = 0; c < calls; c++) {
			peer(ids, i * calls + c, other);
			t = answered_call(sc, s->msisdn, other, 45, in + (10 + 90ull * c) * SEC);
		}
		cs_scen_detach(sc, &ue, t + 10 * SEC);
		/* every SIM of the device carries the device's onset: the gateway's first attach, the phone's change */
		s->onset_ns = phone ? at_ns + (uint64_t)interval_s * SEC : at_ns;
		s->end_ns = t + 10 * SEC + 4000000;
	}
	return 0;
}

int cs_profile_gateway_rotation(struct cs_scen *sc, const struct cs_profile_rotation *p, uint64_t at_ns,
				struct cs_profile_subs *out)
{
	return rotate(sc, &p->ids, or_default(p->sims, 10), or_default(p->interval_s, 300),
		      or_default(p->calls_per_sim, 2), false, "gateway_rotation", at_ns, out);
}

int cs_profile_phone_sim_change(struct cs_scen *sc, const struct cs_profile_rotation *p, uint64_t at_ns,
				struct cs_profile_subs *out)
{
	return rotate(sc, &p->ids, 2, or_default(p->interval_s, 1800), or_default(p->calls_per_sim, 1), true,
		      "phone_sim_change", at_ns, out);
}

/* --- SMS -------------------------------------------------------------- */

/* sms + replies messages over the hour, the replies spread evenly among them. */
static int texting(struct cs_scen *sc, const struct cs_profile_ids *ids, unsigned int sms, unsigned int recipients,
		   unsigned int replies, const char *label, uint64_t at_ns, struct cs_profile_subs *out)
{
	struct cs_profile_sub *s = sub_of(out, ids, 0, label);
	const unsigned int slots = sms + replies;
	struct cs_scen_ue ue = { 0 };
	unsigned int mo = 0, mt = 0;
	char other[16];

	if (s == NULL || sms == 0 || recipients == 0)
		return -1;
	const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
	cs_scen_attach(sc, &ue, &sim, cell_k(ids, 0), at_ns);
	for (unsigned int j = 0; j < slots; j++) {
		const uint64_t t = at_ns + 60 * SEC + j * (HOUR_USED_S * SEC / slots);
		if ((uint64_t)(j + 1) * replies / slots != (uint64_t)j * replies / slots) {
			peer(ids, mt++ % recipients, other);
			s->end_ns = cs_scen_sms_mt(sc, s->msisdn, other, false, "Sure, see you there", t);
			continue;
		}
		peer(ids, mo++ % recipients, other);
		s->end_ns = cs_scen_sms_mo(sc, s->msisdn, other, NULL, t);
		if (mo == 1)
			s->onset_ns = t;
	}
	return 0;
}

int cs_profile_sms_flood(struct cs_scen *sc, const struct cs_profile_texting *p, uint64_t at_ns,
			 struct cs_profile_subs *out)
{
	return texting(sc, &p->ids, or_default(p->sms, 120), or_default(p->recipients, 100), p->replies, "sms_flood",
		       at_ns, out);
}

int cs_profile_chatty(struct cs_scen *sc, const struct cs_profile_texting *p, uint64_t at_ns,
		      struct cs_profile_subs *out)
{
	return texting(sc, &p->ids, or_default(p->sms, 30), or_default(p->recipients, 5), or_default(p->replies, 10),
		       "chatty", at_ns, out);
}

/* --- IoT -------------------------------------------------------------- */

enum { RAT_EUTRAN = 6, RAT_LTE_M = 9, METER_REPLY_BYTES = 60 };

static const char *const iot_labels[] = {
	[CS_IOT_VOICE] = "iot_voice", [CS_IOT_P2P_SMS] = "iot_p2p_sms", [CS_IOT_IMEI_SWAP] = "iot_imei_swap",
	[CS_IOT_HANDSET_TAC] = "iot_handset_tac",
};

/*
 * A card in a meter: attach, then uploads every interval from 10 s in,
 * to the servers in turn, each answered. misuse < 0: none. Otherwise it
 * happens halfway, between two uploads. The card's imei is the device it
 * first attached in (its bound IMEI).
 */
static int iot_card(struct cs_scen *sc, const struct cs_profile_iot *p, int misuse, uint64_t at_ns,
		    struct cs_profile_subs *out)
{
	static const uint32_t default_servers[] = { 0xc633640au, 0xc633640bu, 0xc633640cu, 0 }; /* 198.51.100.10-12 */
	const uint32_t *servers = p->servers[0] != 0 ? p->servers : default_servers;
	const unsigned int uploads = or_default(p->uploads, 10), interval_s = or_default(p->interval_s, 300);
	const unsigned int bytes = or_default(p->upload_bytes, 200);
	const char *handset_tac = p->handset_tac[0] != '\0' ? p->handset_tac : "35332510";
	struct cs_profile_sub *s = sub_of(out, &p->ids, 0, misuse < 0 ? "iot_meter" : iot_labels[misuse]);
	unsigned int nservers = 0;
	struct cs_scen_ue ue = { 0 };
	char other[16], device[16];

	while (nservers < 3 && servers[nservers] != 0)
		nservers++;
	if (s == NULL || uploads < 2 || (misuse == CS_IOT_HANDSET_TAC && !imei_of(s->imei, handset_tac, 0)))
		return -1;
	const bool phone = misuse == CS_IOT_HANDSET_TAC;
	struct cs_scen_sim sim = sim_of(s, s->imei, phone ? RAT_EUTRAN : RAT_LTE_M);
	const uint64_t half = at_ns + (10 + (uint64_t)(uploads / 2) * interval_s - interval_s / 2) * SEC;

	cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), at_ns);
	s->onset_ns = at_ns;
	for (unsigned int u = 0; u < uploads; u++) {
		const uint64_t t = at_ns + (10 + (uint64_t)u * interval_s) * SEC;
		if (misuse == CS_IOT_IMEI_SWAP && u == uploads / 2) {
			/* moved into another module before this upload */
			if (!imei_of(device, p->ids.tac, 500000))
				return -1;
			sim.imei = device;
			cs_scen_detach(sc, &ue, half);
			cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), half + 5 * SEC);
			s->onset_ns = half + 5 * SEC;
		}
		s->end_ns = cs_scen_data(sc, &ue, servers[u % nservers], bytes, METER_REPLY_BYTES, t);
	}
	peer(&p->ids, 0, other);
	if (misuse == CS_IOT_VOICE) {
		answered_call(sc, s->msisdn, other, 45, half);
		s->onset_ns = half;
	} else if (misuse == CS_IOT_P2P_SMS) {
		cs_scen_sms_mo(sc, s->msisdn, other, "hi, call me back", half);
		s->onset_ns = half;
	}
	return 0;
}

int cs_profile_iot_misuse(struct cs_scen *sc, const struct cs_profile_iot *p, enum cs_profile_iot_misuse kind,
			  uint64_t at_ns, struct cs_profile_subs *out)
{
	if ((unsigned int)kind > CS_IOT_HANDSET_TAC)
		return -1;
	return iot_card(sc, p, (int)kind, at_ns, out);
}

int cs_profile_iot_meter(struct cs_scen *sc, const struct cs_profile_iot *p, uint64_t at_ns,
			 struct cs_profile_subs *out)
{
	return iot_card(sc, p, -1, at_ns, out);
}

/* --- sleeper ---------------------------------------------------------- */

int cs_profile_sleeper(struct cs_scen *sc, const struct cs_profile_sleeper *p, uint64_t at_ns,
		       struct cs_profile_subs *out)
{
	const unsigned int days = or_default(p->sleep_days, 35);
	const unsigned int calls = or_default(p->wake_calls, 12), sms = or_default(p->wake_sms, 12);
	struct cs_profile_sub *s = sub_of(out, &p->ids, 0, "sleeper");
	struct cs_scen_ue ue = { 0 };
	char other[16];

	if (s == NULL)
		return -1;
	const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
	/* day 0: an ordinary bit of use */
	cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), at_ns);
	peer(&p->ids, 0, other);
	answered_call(sc, s->msisdn, other, 60, at_ns + 60 * SEC);
	peer(&p->ids, 1, other);
	cs_scen_sms_mo(sc, s->msisdn, other, NULL, at_ns + 300 * SEC);
	cs_scen_detach(sc, &ue, at_ns + 600 * SEC);

	/* the wake-up: calls and SMS alternating until one kind runs out, over the hour */
	const uint64_t wake = at_ns + days * DAY_S * SEC, slot_ns = HOUR_USED_S * SEC / (calls + sms);
	unsigned int c = 0, m = 0;
	cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), wake);
	for (unsigned int e = 0; e < calls + sms; e++) {
		const uint64_t t = wake + 60 * SEC + e * slot_ns;
		peer(&p->ids, 2 + e, other);
		if ((e % 2 == 0 && c < calls) || m == sms) {
			s->end_ns = answered_call(sc, s->msisdn, other, 30, t);
			c++;
		} else {
			s->end_ns = cs_scen_sms_mo(sc, s->msisdn, other, NULL, t);
			m++;
		}
	}
	s->onset_ns = wake;
	return 0;
}

/* --- verification codes ----------------------------------------------- */

static const char *const SERVICES[] = {
	"BANK", "VERIFY", "TAOBAO", "WECHAT", "ALIPAY", "JDCOM", "DIDI", "MEITUAN",
	"UBER", "GOOGLE", "APPLE", "TIKTOK", "PAYPAL", "STEAM", "AMAZON", "KUAISHOU",
};

/* Sender k: even k a short code 95 + 3 digits, odd k a service's name. */
static void code_sender(unsigned int k, char out[16], bool *alpha)
{
	*alpha = k % 2 == 1;
	if (*alpha)
		snprintf(out, 16, "%s", SERVICES[k / 2]);
	else
		snprintf(out, 16, "95%03u", 500 + k / 2);
}

static int codes(struct cs_scen *sc, const struct cs_profile_codes *p, unsigned int senders, bool person,
		 const char *label, uint64_t at_ns, struct cs_profile_subs *out)
{
	const unsigned int span_s = or_default(p->span_s, 3000);
	struct cs_profile_sub *s = sub_of(out, &p->ids, 0, label);
	struct cs_scen_ue ue = { 0 };
	char other[16], text[32];
	bool alpha;

	if (s == NULL || senders > 2 * sizeof(SERVICES) / sizeof(SERVICES[0]) || span_s < 600)
		return -1;
	const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
	cs_scen_attach(sc, &ue, &sim, cell_k(&p->ids, 0), at_ns);
	s->end_ns = cs_scen_data(sc, &ue, 0xcb007102u, 3000, 50000, at_ns + 20 * SEC);
	s->onset_ns = at_ns + 30 * SEC;
	for (unsigned int k = 0; k < senders; k++) {
		const uint64_t t = s->onset_ns + (uint64_t)k * span_s * SEC / senders;
		code_sender(k, other, &alpha);
		snprintf(text, sizeof(text), "Your code is %06u", (unsigned int)(cs_scen_random(sc) % 1000000u));
		s->end_ns = cs_scen_sms_mt(sc, s->msisdn, other, alpha, text, t);
	}
	if (!person)
		return 0;
	/* ordinary use among the codes: calls to friends, texts with them */
	for (unsigned int e = 0; e < 7; e++) {
		const uint64_t t = at_ns + (60 + 20 + (uint64_t)e * span_s / 7) * SEC;
		uint64_t end;
		peer(&p->ids, e % 3, other);
		if (e % 2 == 0)
			end = answered_call(sc, s->msisdn, other, 90, t);
		else if (e % 4 == 1)
			end = cs_scen_sms_mo(sc, s->msisdn, other, NULL, t);
		else
			end = cs_scen_sms_mt(sc, s->msisdn, other, false, NULL, t);
		s->end_ns = end > s->end_ns ? end : s->end_ns;
	}
	return 0;
}

int cs_profile_code_receiver(struct cs_scen *sc, const struct cs_profile_codes *p, uint64_t at_ns,
			     struct cs_profile_subs *out)
{
	return codes(sc, p, or_default(p->senders, 12), false, "code_receiver", at_ns, out);
}

int cs_profile_code_person(struct cs_scen *sc, const struct cs_profile_codes *p, uint64_t at_ns,
			   struct cs_profile_subs *out)
{
	return codes(sc, p, or_default(p->senders, 3), true, "code_person", at_ns, out);
}

/* --- number blocks ---------------------------------------------------- */

static int number_block(struct cs_scen *sc, const struct cs_profile_ids *ids, unsigned int numbers,
			unsigned int interval_s, const char *label, uint64_t at_ns, struct cs_profile_subs *out)
{
	if (numbers > 1000)
		return -1;
	for (unsigned int i = 0; i < numbers; i++) {
		struct cs_profile_sub *s = new_sub(out, ids, i, i, label);
		struct cs_scen_ue ue = { 0 };
		const uint64_t t = at_ns + (uint64_t)i * interval_s * SEC;

		if (s == NULL)
			return -1;
		const struct cs_scen_sim sim = sim_of(s, s->imei, 0);
		cs_scen_attach(sc, &ue, &sim, cell_k(ids, i % 4), t);
		cs_scen_data(sc, &ue, 0xcb007103u, 500, 5000, t + 5 * SEC);
		cs_scen_detach(sc, &ue, t + 60 * SEC);
		s->onset_ns = at_ns;
		s->end_ns = t + 60 * SEC + 4000000;
	}
	return 0;
}

int cs_profile_number_batch(struct cs_scen *sc, const struct cs_profile_block *p, uint64_t at_ns,
			    struct cs_profile_subs *out)
{
	return number_block(sc, &p->ids, or_default(p->numbers, 24), or_default(p->interval_s, 120), "number_batch",
			    at_ns, out);
}

int cs_profile_number_spread(struct cs_scen *sc, const struct cs_profile_block *p, uint64_t at_ns,
			     struct cs_profile_subs *out)
{
	return number_block(sc, &p->ids, or_default(p->numbers, 20), or_default(p->interval_s, (unsigned int)DAY_S),
			    "number_spread", at_ns, out);
}

int cs_profile_the_hour(struct cs_scen *sc, uint64_t at_ns, struct cs_profile_subs *out)
{
	struct cs_profile_calls calls = { 0 };
	struct cs_profile_rotation rot = { 0 };
	struct cs_profile_texting text = { 0 };
	struct cs_profile_codes codes = { 0 };
	struct cs_profile_block block = { 0 };
	struct cs_profile_iot iot = { 0 };
	int rc = 0;

	cs_profile_ids_range(&calls.ids, 1);
	rc |= cs_profile_simbox(sc, &calls, at_ns, out);
	cs_profile_ids_range(&calls.ids, 2);
	rc |= cs_profile_heavy_user(sc, &calls, at_ns, out);
	cs_profile_ids_range(&rot.ids, 3);
	rc |= cs_profile_gateway_rotation(sc, &rot, at_ns, out);
	cs_profile_ids_range(&rot.ids, 4);
	rc |= cs_profile_phone_sim_change(sc, &rot, at_ns, out);
	cs_profile_ids_range(&text.ids, 5);
	rc |= cs_profile_sms_flood(sc, &text, at_ns, out);
	cs_profile_ids_range(&text.ids, 6);
	rc |= cs_profile_chatty(sc, &text, at_ns, out);
	cs_profile_ids_range(&codes.ids, 7);
	rc |= cs_profile_code_receiver(sc, &codes, at_ns, out);
	cs_profile_ids_range(&codes.ids, 8);
	rc |= cs_profile_code_person(sc, &codes, at_ns, out);
	cs_profile_ids_range(&block.ids, 9);
	rc |= cs_profile_number_batch(sc, &block, at_ns, out);
	cs_profile_ids_range(&block.ids, 10);
	block.numbers = 5;
	block.interval_s = 600;
	rc |= cs_profile_number_spread(sc, &block, at_ns, out);
	for (int kind = CS_IOT_VOICE; kind <= CS_IOT_HANDSET_TAC; kind++) {
		cs_profile_ids_iot(&iot.ids, (unsigned int)kind);
		rc |= cs_profile_iot_misuse(sc, &iot, (enum cs_profile_iot_misuse)kind, at_ns, out);
	}
	cs_profile_ids_iot(&iot.ids, 4);
	rc |= cs_profile_iot_meter(sc, &iot, at_ns, out);
	return rc != 0 ? -1 : 0;
}

const struct cs_profile_sub *cs_profile_find(const struct cs_profile_subs *out, const char *label)
{
	for (unsigned int i = 0; i < out->n; i++)
		if (strcmp(out->sub[i].label, label) == 0)
			return &out->sub[i];
	return NULL;
}
