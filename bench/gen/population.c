/* SPDX-License-Identifier: Apache-2.0 */
#include "population.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "encode.h"
#include "gen_random.h"
#include "scenario.h"

static const uint64_t SEC = 1000000000ull;
static const uint64_t HOUR_S = 3600;
static const uint64_t HISTORY_S = 35 * 86400; /* a sleeper's history day, before t0 */

enum {
	RAT_EUTRAN = 6, RAT_LTE_M = 9,
	SITES = 2048,        /* the city's eNodeB sites; a cell is a site's sector */
	DATA_SERVERS = 4096, /* 198.18.0.0/20: what phones browse, the first ones most */
	METER_SERVERS = 64,  /* 198.51.100.0/26: IoT back ends */
	SERVICE_SENDERS = 48,
	DEFAULT_GATEWAY_SIMS = 16, DEFAULT_BATCH_SIZE = 24, DEFAULT_DAYS = 2,
	LATE_START_S = 400,  /* structured activity in hour 0 starts after every attach of that hour (< 300 s) */
};

/*
 * The daily rhythm: the share of a day's calls, SMS and data falling in
 * each UTC hour, in thousandths (they sum to 1000). Night is quiet, the
 * evening busiest, as operators' hourly traffic curves look.
 */
static const uint16_t DIURNAL[24] = {
	14, 8, 5, 4, 4, 8, 20, 38, 52, 58, 58, 60, 62, 58, 56, 56, 58, 60, 62, 64, 63, 58, 44, 30,
};

static const char *const HANDSET_TACS[] = { "35332510", "49015420", "35693803" }; /* config/plans/handset_tacs.txt */
static const char MODULE_TAC[] = "86123405";  /* config/plans/module_tacs.txt: an IoT module */
static const char GATEWAY_TAC[] = "86000001"; /* config/plans/module_tacs.txt: a GSM gateway */

static const char *const SERVICES[16] = {
	"BANK", "VERIFY", "TAOBAO", "WECHAT", "ALIPAY", "JDCOM", "DIDI", "MEITUAN",
	"UBER", "GOOGLE", "APPLE", "TIKTOK", "PAYPAL", "STEAM", "AMAZON", "KUAISHOU",
};

/*
 * Identities. A subscriber of class c, the i-th of its class, has
 *   IMSI    46001, c (2 digits), i (8 digits)
 *   MSISDN  the class prefix, a block (5 digits), a suffix (3 digits):
 *           block (i x 7919 + salt) mod 100000 (a bijection: 7919 is prime
 *           to 10^5), so no two of a class share a block and neighbours in
 *           the class are far apart; the suffix is random. A batch instead
 *           takes block (b x 7919 + salt) for batch b and consecutive
 *           suffixes from a random first one.
 *   IMEI    a TAC, a 6-digit serial, the Luhn digit: phones take the
 *           handset TACs in turn with a serial counted over every phone
 *           of the population; meters the module TAC, gateways the
 *           gateway TAC, with serials of their own.
 * Prefixes differ between classes, so identities never collide; the
 * other parties (contacts, callees, spam recipients) use prefixes no
 * subscriber has. Mobile numbers are 13 digits (86 and 11), IoT numbers
 * 15 (86 and a 13-digit 1064 number), in config/plans/iot.txt's 861064.
 */
static const char *const MSISDN_PREFIX[CS_POP_NCLASSES] = {
	[CS_POP_NORMAL] = "86139", [CS_POP_HEAVY] = "86137", [CS_POP_IOT_METER] = "8610640",
	[CS_POP_SIMBOX] = "86171", [CS_POP_SPAMMER] = "86165", [CS_POP_CODE_RECEIVER] = "86162",
	[CS_POP_SLEEPER] = "86192", [CS_POP_BATCH] = "86170", [CS_POP_IOT_MISUSE] = "8610649",
};
static const char CONTACT_PREFIX[] = "86135"; /* people subscribers know */
static const char STRANGER_PREFIX[] = "86136"; /* numbers a SIM box or spammer works through */

static const char *const CLASS_NAME[] = {
#define CS_POP_NAME(id, name, rules) name,
	CS_POP_CLASSES(CS_POP_NAME)
#undef CS_POP_NAME
};
static const char *const CLASS_RULES[] = {
#define CS_POP_RULES(id, name, rules) rules,
	CS_POP_CLASSES(CS_POP_RULES)
#undef CS_POP_RULES
};

const char *cs_pop_class_name(enum cs_pop_class c)
{
	return (unsigned int)c < CS_POP_NCLASSES ? CLASS_NAME[c] : "?";
}

const char *cs_pop_class_rules(enum cs_pop_class c)
{
	return (unsigned int)c < CS_POP_NCLASSES ? CLASS_RULES[c] : "";
}

/*
 * One subscriber: identity, its draw of behaviour, and the bearer the
 * scenario set up. About 300 bytes, so 10^5 subscribers take 30 MB.
 * Hours (when) are counted from t0; UINT32_MAX: never.
 */
struct sub {
	char imsi[16], msisdn[16], imei[16];
	char group[16];          /* gateway IMEI, batch block prefix, or "" */
	uint8_t cls;
	uint8_t ncells, cell;    /* cells known (sites[]), the one it is in */
	uint8_t ncontacts;
	uint16_t k;              /* class-specific: a SIM's slot, a batch member's rank */
	uint8_t hod_a, hod_b;    /* class-specific hours of day: busy, spam, code block */
	uint16_t calls, mt_calls, sms, mt_sms, data; /* per day (normal classes, misuse) */
	uint16_t period_s;       /* meter: upload period */
	uint16_t attach_s;       /* seconds into its first hour */
	uint32_t sites[5];
	uint32_t servers[3];     /* meter: its fixed destinations */
	uint32_t when;           /* wake-up (sleeper), batch hour, gateway's first working hour */
	uint64_t rng;            /* its own splitmix64 stream */
	uint64_t onset_ns;       /* absolute; 0: none (yet) */
	struct cs_scen_ue ue;
};

struct pop {
	const struct cs_pop_conf *c;
	struct cs_scen *sc;
	struct sub *subs;
	size_t n;
	uint64_t t0_ns, hist_ns; /* absolute day 0; scenario time of t0 */
	uint64_t salt;
	unsigned int days;
};

static uint32_t below(struct sub *s, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(cs_gen_random(&s->rng) % n);
}

/* 0..n-1, small ones far likelier (P(k) ~ log(n / k)): favourite contacts and popular servers. */
static uint32_t skewed(struct sub *s, uint32_t n)
{
	return below(s, 1 + below(s, n));
}

static void imei_of(char out[16], const char *tac, uint32_t serial)
{
	char d14[15];

	snprintf(d14, sizeof(d14), "%.8s%06u", tac, serial % 1000000u);
	snprintf(out, 16, "%s%c", d14, cs_luhn_digit(d14));
}

/*
 * A cell of a site. A quarter of the sites reach the core over a
 * VLAN-tagged S1-U link (VLAN 100 + site % 50), as a mirror of an
 * aggregation network carries them: the probe must see through the tag.
 */
static struct cs_scen_cell cell_of(uint32_t site, uint32_t sector)
{
	return (struct cs_scen_cell){
		.tac = (uint16_t)(0x2000 + site / 32),
		.eci = (site + 1) << 8 | (sector % 3 + 1),
		.vlan = site % 4 == 0 ? (uint16_t)(100 + site % 50) : 0,
	};
}

/* A number of prefix, then v zero-padded to 8 digits (13 digits in all with a 5-digit prefix). */
static void number(char out[16], const char *prefix, uint64_t v)
{
	snprintf(out, 16, "%s%08llu", prefix, (unsigned long long)(v % 100000000ull));
}

/* Contact k of s: the same person every time (a hash of the IMSI and k). */
static void contact(const struct sub *s, unsigned int k, char out[16])
{
	uint64_t h = strtoull(s->imsi + 5, NULL, 10) * 131 + k;

	number(out, CONTACT_PREFIX, cs_gen_random(&h));
}

static void stranger(struct sub *s, char out[16])
{
	number(out, STRANGER_PREFIX, cs_gen_random(&s->rng));
}

/* --- traffic helpers: scenario time from hour start at + s seconds ---- */

static uint64_t hour_ns(const struct pop *p, uint32_t h)
{
	return p->hist_ns + (uint64_t)h * HOUR_S * SEC;
}

static unsigned int hour_of_day(const struct pop *p, uint32_t h)
{
	return (unsigned int)((p->t0_ns / SEC / HOUR_S + h) % 24);
}

/* A fifth of the handsets' user data is IPv6 (by the IMSI's last digit: the same every run); modules' is IPv4. */
static struct cs_scen_sim sim_of(const struct sub *s)
{
	const bool module = s->cls == CS_POP_IOT_METER;

	return (struct cs_scen_sim){
		.imsi = s->imsi, .msisdn = s->msisdn, .imei = s->imei, .apn = module ? "m2m" : NULL,
		.rat = module ? RAT_LTE_M : RAT_EUTRAN,
		.ipv6 = !module && (s->imsi[14] - '0') % 5 == 0,
	};
}

static void attach(struct pop *p, struct sub *s, uint64_t at_ns)
{
	const struct cs_scen_sim sim = sim_of(s);

	cs_scen_attach(p->sc, &s->ue, &sim, cell_of(s->sites[s->cell], s->cell), at_ns);
}

/* A call: mostly answered, sometimes busy or given up; duration_s when answered. Returns its end. */
static uint64_t call(struct pop *p, struct sub *s, const char *caller, const char *callee, uint32_t duration_s,
		     uint64_t at_ns)
{
	uint32_t r = below(s, 100);
	const struct cs_scen_call c = {
		.caller = caller, .callee = callee, .ring_ms = 2000 + below(s, 6000), .duration_s = duration_s,
		.outcome = r < 86 ? CS_SCEN_ANSWERED : r < 93 ? CS_SCEN_REJECTED : CS_SCEN_CANCELLED,
	};

	return cs_scen_call(p->sc, &c, at_ns);
}

/* An ordinary conversation: 15 s to a few minutes, now and then a long one. */
static uint32_t talk_s(struct sub *s)
{
	return 15 + below(s, 60) + below(s, 150) + (below(s, 10) == 0 ? below(s, 900) : 0);
}

static void browse(struct pop *p, struct sub *s, uint64_t at_ns)
{
	const uint32_t server = 0xc6120000u + skewed(s, DATA_SERVERS); /* 198.18.0.0/20 */

	cs_scen_data(p->sc, &s->ue, server, 200 + below(s, 1300), 500 + below(s, 5500), at_ns);
}

/* How many of a day's `per_day` events fall in this hour: the rhythm's share, the fraction drawn. */
static unsigned int in_hour(struct sub *s, unsigned int per_day, unsigned int hod)
{
	uint32_t milli = per_day * DIURNAL[hod];

	return milli / 1000 + (below(s, 1000) < milli % 1000);
}

/* A random time in [lo_s, 3590 s) of the hour. */
static uint64_t some_time(struct sub *s, uint64_t hour, uint32_t lo_s)
{
	return hour + (lo_s + below(s, 3590 - lo_s)) * SEC + below(s, 1000) * 1000000ull;
}

/* A verification code from service sender k (0..47): short codes 95500-95531, then names. */
static void code_sms(struct pop *p, struct sub *s, unsigned int k, uint64_t at_ns)
{
	char sender[16], text[32];
	const bool alpha = k >= 32;

	if (alpha)
		snprintf(sender, sizeof(sender), "%s", SERVICES[(k - 32) % 16]);
	else
		snprintf(sender, sizeof(sender), "955%02u", k);
	snprintf(text, sizeof(text), "Your code is %06u", below(s, 1000000));
	cs_scen_sms_mt(p->sc, s->msisdn, sender, alpha, text, at_ns);
}

static void set_onset(const struct pop *p, struct sub *s, uint64_t at_ns)
{
	if (s->onset_ns == 0)
		s->onset_ns = p->t0_ns - p->hist_ns + at_ns;
}

/* --- a person's hour: normal, heavy (outside its busy hour), IoT misuse -- */

static void person_hour(struct pop *p, struct sub *s, uint32_t h, bool calls_too)
{
	const uint64_t at = hour_ns(p, h);
	const unsigned int hod = hour_of_day(p, h);
	/* the hour's events come a second after its start (after hour 0's attaches): a move is made there */
	const uint32_t lo = (h == 0 ? LATE_START_S : 0) + 1;
	char other[16];

	if (h == 0)
		attach(p, s, at + s->attach_s * SEC);
	/*
	 * To work at 8, home at 18, and now and then elsewhere among its
	 * cells: at the hour's start, before its events, because the events
	 * below are scripted after the move whatever their times, and its
	 * user data already goes to the new cell's eNodeB.
	 */
	if (s->ncells > 1 && (hod == 8 || hod == 18 || below(s, 20) == 0)) {
		uint8_t to = hod == 8 ? 1 : hod == 18 ? 0 : (uint8_t)below(s, s->ncells);
		if (to != s->cell) {
			s->cell = to;
			cs_scen_move(p->sc, &s->ue, cell_of(s->sites[to], to), at + (lo - 1) * SEC);
		}
	}
	for (unsigned int n = in_hour(s, s->data, hod); n > 0; n--)
		browse(p, s, some_time(s, at, lo));
	for (unsigned int n = calls_too ? in_hour(s, s->calls, hod) : 0; n > 0; n--) {
		contact(s, skewed(s, s->ncontacts), other);
		call(p, s, s->msisdn, other, talk_s(s), some_time(s, at, lo));
	}
	for (unsigned int n = calls_too ? in_hour(s, s->mt_calls, hod) : 0; n > 0; n--) {
		contact(s, skewed(s, s->ncontacts), other);
		call(p, s, other, s->msisdn, talk_s(s), some_time(s, at, lo));
	}
	for (unsigned int n = in_hour(s, s->sms, hod); n > 0; n--) {
		contact(s, skewed(s, s->ncontacts), other);
		cs_scen_sms_mo(p->sc, s->msisdn, other, NULL, some_time(s, at, lo));
	}
	for (unsigned int n = in_hour(s, s->mt_sms, hod); n > 0; n--) {
		contact(s, skewed(s, s->ncontacts), other);
		cs_scen_sms_mt(p->sc, s->msisdn, other, false, NULL, some_time(s, at, lo));
	}
	/* a sign-up now and then: about one code in three days, daytime */
	if (hod >= 9 && hod <= 21 && below(s, 40) == 0)
		code_sms(p, s, below(s, SERVICE_SENDERS), some_time(s, at, lo));
}

/*
 * A heavy user's busy hour: 15-20 MO calls to at most 10 contacts and
 * 5-7 calls back, one per slot of 3000 s / calls, each 60-89 s, data
 * between calls, a move halfway: everything simbox.fanout looks for but
 * the answer of friends, the length of the calls and the moving.
 */
static void busy_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const uint64_t at = hour_ns(p, h) + (h == 0 ? LATE_START_S : 60) * SEC;
	const unsigned int mo = 15 + below(s, 6), mt = 5 + below(s, 3), slots = mo + mt;
	const uint64_t slot_ns = 3000 * SEC / slots;
	const unsigned int friends = s->ncontacts < 10 ? s->ncontacts : 10;
	char other[16];

	for (unsigned int j = 0; j < slots; j++) {
		const uint64_t t = at + j * slot_ns;
		const bool is_mt = (uint64_t)(j + 1) * mt / slots != (uint64_t)j * mt / slots;
		browse(p, s, t);
		if (j == slots / 2 && s->ncells > 1) {
			s->cell = (uint8_t)((s->cell + 1) % s->ncells);
			cs_scen_move(p->sc, &s->ue, cell_of(s->sites[s->cell], s->cell), t + SEC);
		}
		contact(s, skewed(s, friends), other);
		if (is_mt)
			call(p, s, other, s->msisdn, 60 + below(s, 30), t + 3 * SEC);
		else
			call(p, s, s->msisdn, other, 60 + below(s, 30), t + 3 * SEC);
	}
}

/* --- machines and abnormal cards -------------------------------------- */

/* A meter: attached from its first hour, an upload every period to its servers in turn, answered. */
static void meter_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const uint64_t at = hour_ns(p, h);
	const uint64_t first = (uint64_t)s->attach_s + 10;

	if (h == 0)
		attach(p, s, at + s->attach_s * SEC);
	/* uploads at first + k x period seconds from hour 0 */
	const uint64_t from = (uint64_t)h * HOUR_S, to = from + HOUR_S;
	uint64_t k = from <= first ? 0 : (from - first + s->period_s - 1) / s->period_s;
	unsigned int nservers = s->servers[1] == 0 ? 1 : s->servers[2] == 0 ? 2 : 3;
	for (uint64_t t = first + k * s->period_s; t < to; t += s->period_s, k++)
		cs_scen_data(p->sc, &s->ue, s->servers[k % nservers], 100 + below(s, 300), 60,
			     p->hist_ns + t * SEC + below(s, 1000) * 1000000ull);
}

/*
 * A gateway's SIM: every SIM of the gateway attaches through the
 * gateway's one IMEI in its first working hour (09-20 UTC), in one cell,
 * and in each working hour makes 32-40 MO calls, one per slot, to numbers
 * it never called before, answered ones of 8-47 s; a stranger calls back
 * now and then; no data.
 */
static void simbox_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const unsigned int hod = hour_of_day(p, h);
	const uint64_t at = hour_ns(p, h);
	char other[16];

	if (hod < 9 || hod > 20 || h < s->when)
		return;
	if (h == s->when) {
		attach(p, s, at + (10 + 2ull * s->k) * SEC);
		set_onset(p, s, at + 10 * SEC); /* the gateway's first attach, for all its SIMs */
	}
	const unsigned int calls = 32 + below(s, 9);
	const uint64_t slot_ns = 3400 * SEC / calls;
	for (unsigned int j = 0; j < calls; j++) {
		stranger(s, other);
		call(p, s, s->msisdn, other, 8 + below(s, 40), at + 60 * SEC + j * slot_ns + below(s, 10000) * 1000000ull);
	}
	if (below(s, 3) == 0) {
		stranger(s, other);
		call(p, s, other, s->msisdn, 20 + below(s, 40), some_time(s, at, 60));
	}
}

/* A spammer: attached from hour 0, silent but for two hours a day (hod_a, hod_b) of 110-149 SMS to strangers. */
static void spammer_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const unsigned int hod = hour_of_day(p, h);
	const uint64_t at = hour_ns(p, h);
	char other[16];

	if (h == 0)
		attach(p, s, at + s->attach_s * SEC);
	if (hod != s->hod_a && hod != s->hod_b)
		return;
	const unsigned int n = 110 + below(s, 40);
	const uint64_t lo = h == 0 ? LATE_START_S : 60, slot_ns = (3590 - lo) * SEC / n;
	for (unsigned int j = 0; j < n; j++) {
		const uint64_t t = at + lo * SEC + j * slot_ns;
		stranger(s, other);
		set_onset(p, s, t);
		cs_scen_sms_mo(p->sc, s->msisdn, other, "Limited offer! Reply Y to claim your prize", t);
	}
}

/*
 * A code-receiving card: attached from hour 0, a little data, and each
 * day from its hour hod_a (10-18) 12-20 codes over three hours from
 * distinct service senders, within one UTC day; never calls or texts.
 */
static void code_receiver_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const unsigned int hod = hour_of_day(p, h);
	const uint64_t at = hour_ns(p, h);
	const uint32_t lo = h == 0 ? LATE_START_S : 0;

	if (h == 0)
		attach(p, s, at + s->attach_s * SEC);
	if (hod == 12 || hod == 20)
		browse(p, s, some_time(s, at, lo));
	if (hod != s->hod_a)
		return;
	const unsigned int n = 12 + below(s, 9), first = below(s, SERVICE_SENDERS);
	const uint64_t from = at + (h == 0 ? LATE_START_S : 60) * SEC, step = (3 * HOUR_S - 600) * SEC / n;
	for (unsigned int k = 0; k < n; k++) {
		set_onset(p, s, from + k * step);
		code_sms(p, s, (first + k) % SERVICE_SENDERS, from + k * step);
	}
}

/* A sleeper: nothing in the window until its wake-up hour, then 12 calls and 12 SMS to strangers within it. */
static void sleeper_hour(struct pop *p, struct sub *s, uint32_t h)
{
	const uint64_t at = hour_ns(p, h) + (h == 0 ? LATE_START_S : 0) * SEC;
	char other[16];

	if (h != s->when)
		return;
	attach(p, s, at + 30 * SEC);
	set_onset(p, s, at + 30 * SEC);
	for (unsigned int e = 0; e < 24; e++) {
		const uint64_t t = at + 60 * SEC + e * 130 * SEC;
		stranger(s, other);
		if (e % 2 == 0)
			call(p, s, s->msisdn, other, 20 + below(s, 60), t);
		else
			cs_scen_sms_mo(p->sc, s->msisdn, other, NULL, t);
	}
}

/* The sleeper's history day, HISTORY_S before t0: attach at 10:00-10:59, a call, an SMS, detach. */
static void sleeper_history(struct pop *p, struct sub *s)
{
	const uint64_t at = (10 * HOUR_S + below(s, 3000)) * SEC;
	char other[16];

	attach(p, s, at);
	contact(s, 0, other);
	call(p, s, s->msisdn, other, 60 + below(s, 60), at + 60 * SEC);
	contact(s, 1, other);
	cs_scen_sms_mo(p->sc, s->msisdn, other, NULL, at + 400 * SEC);
	cs_scen_detach(p->sc, &s->ue, at + 600 * SEC);
}

/*
 * A batch member: the batch's K numbers attach for the first time in its
 * hour (when), spread over 55 minutes, each browsing at once; after that
 * a card of the batch browses now and then.
 */
static void batch_hour(struct pop *p, struct sub *s, uint32_t h, unsigned int size)
{
	const uint64_t at = hour_ns(p, h) + (h == 0 ? LATE_START_S : 60) * SEC;

	if (h < s->when)
		return;
	if (h == s->when) {
		const uint64_t t = at + (uint64_t)s->k * (3000 - (h == 0 ? LATE_START_S : 0)) / size * SEC;
		attach(p, s, t);
		set_onset(p, s, at);
		browse(p, s, t + 5 * SEC);
		return;
	}
	if (below(s, 8) == 0)
		browse(p, s, some_time(s, hour_ns(p, h), 0));
}

/* --- building the population ------------------------------------------ */

/* An hour (from t0) with hour of day in [lo, hi], drawn evenly among those of the days. */
static uint32_t some_hour(const struct pop *p, struct sub *s, unsigned int lo, unsigned int hi)
{
	const uint32_t hours = p->days * 24;
	uint32_t fitting = 0;

	for (uint32_t h = 0; h < hours; h++)
		fitting += hour_of_day(p, h) >= lo && hour_of_day(p, h) <= hi;
	for (uint32_t h = 0, pick = below(s, fitting); h < hours; h++)
		if (hour_of_day(p, h) >= lo && hour_of_day(p, h) <= hi && pick-- == 0)
			return h;
	return 0;
}

static void draw_person(struct sub *s, unsigned int calls, unsigned int mt_calls)
{
	s->ncells = (uint8_t)(2 + below(s, 4));
	s->sites[0] = below(s, SITES);
	for (unsigned int c = 1; c < s->ncells; c++)
		s->sites[c] = (s->sites[0] + 1 + below(s, 40)) % SITES; /* places near home */
	s->ncontacts = (uint8_t)(5 + below(s, 16));
	s->calls = (uint16_t)calls;
	s->mt_calls = (uint16_t)mt_calls;
	s->sms = (uint16_t)(below(s, 5));
	s->mt_sms = (uint16_t)(1 + below(s, 4));
	s->data = (uint16_t)(8 + below(s, 13));
}

/* Subscriber i of class cls in number block `block` (see MSISDN_PREFIX); suffix < 0: a random one. */
static void identity(struct pop *p, struct sub *s, enum cs_pop_class cls, unsigned int i, uint64_t block,
		     int suffix)
{
	s->cls = (uint8_t)cls;
	s->rng = p->c->seed * 0x100000001b3ull ^ ((uint64_t)cls << 40 | i);
	cs_gen_random(&s->rng);
	/* both bounded (at most 9 classes, 100,000 a class): the modulo says so to the compiler */
	snprintf(s->imsi, sizeof(s->imsi), "46001%02u%08u", (unsigned int)cls % 100u, i % 100000000u);
	snprintf(s->msisdn, sizeof(s->msisdn), "%s%05llu%03u", MSISDN_PREFIX[cls],
		 (unsigned long long)((block * 7919 + p->salt) % 100000),
		 suffix >= 0 ? (unsigned int)suffix % 1000 : below(s, 1000));
}

static void make_subs(struct pop *p, unsigned int sims, unsigned int size)
{
	const struct cs_pop_conf *c = p->c;
	const unsigned int count[CS_POP_NCLASSES] = {
		[CS_POP_NORMAL] = c->normal, [CS_POP_HEAVY] = c->heavy, [CS_POP_IOT_METER] = c->iot_meters,
		[CS_POP_SIMBOX] = c->gateways * sims, [CS_POP_SPAMMER] = c->spammers,
		[CS_POP_CODE_RECEIVER] = c->code_receivers, [CS_POP_SLEEPER] = c->sleepers,
		[CS_POP_BATCH] = c->batches * size, [CS_POP_IOT_MISUSE] = c->iot_misuse,
	};
	uint32_t phones = 0, modules = 0;
	uint32_t gateway_when = 0, batch_when = 0, batch_first = 0;

	for (unsigned int cls = 0; cls < CS_POP_NCLASSES; cls++) {
		for (unsigned int i = 0; i < count[cls]; i++) {
			struct sub *s = &p->subs[p->n++];
			const bool batch = cls == CS_POP_BATCH, gateway = cls == CS_POP_SIMBOX;
			if (batch && i % size == 0) {
				/*
				 * the batch's draw, its hour and first number, from its first
				 * member's stream, which identity() then restarts for the
				 * member's own draws
				 */
				identity(p, s, CS_POP_BATCH, i, i / size, 0);
				batch_when = some_hour(p, s, 9, 18);
				batch_first = below(s, 1000 - size + 1);
			}
			identity(p, s, (enum cs_pop_class)cls, i, batch ? i / size : i,
				 batch ? (int)(batch_first + i % size) : -1);
			s->attach_s = (uint16_t)below(s, 300);
			if (cls == CS_POP_IOT_METER)
				imei_of(s->imei, MODULE_TAC, modules++);
			else if (gateway)
				imei_of(s->imei, GATEWAY_TAC, i / sims);
			else {
				imei_of(s->imei, HANDSET_TACS[phones % 3], phones / 3);
				phones++;
			}
			switch (cls) {
			case CS_POP_NORMAL:
				draw_person(s, 1 + below(s, 5), 1 + below(s, 4));
				break;
			case CS_POP_HEAVY:
				draw_person(s, 6 + below(s, 5), 4 + below(s, 4));
				s->ncontacts = (uint8_t)(10 + below(s, 10));
				s->hod_a = (uint8_t)(9 + below(s, 10));
				break;
			case CS_POP_IOT_MISUSE:
				draw_person(s, 2 + below(s, 3), 1 + below(s, 2));
				break;
			case CS_POP_IOT_METER: {
				static const uint16_t periods[] = { 900, 1800, 3600 };
				s->period_s = periods[below(s, 3)];
				s->sites[0] = below(s, SITES);
				s->ncells = 1;
				unsigned int n = 1 + below(s, 3), base = below(s, METER_SERVERS);
				for (unsigned int k = 0; k < n; k++)
					s->servers[k] = 0xc6336400u + (base + k) % METER_SERVERS; /* 198.51.100.0/26 */
				break;
			}
			case CS_POP_SIMBOX:
				/* the gateway's draw, made by its first SIM and shared by the others */
				if (i % sims == 0) {
					gateway_when = some_hour(p, s, 9, 20);
					s->sites[0] = below(s, SITES);
				} else {
					s->sites[0] = s[-1].sites[0];
				}
				s->ncells = 1;
				s->k = (uint16_t)(i % sims);
				s->when = gateway_when;
				memcpy(s->group, s->imei, sizeof(s->group));
				break;
			case CS_POP_SPAMMER:
				s->ncells = 1;
				s->sites[0] = below(s, SITES);
				s->hod_a = (uint8_t)(9 + below(s, 6));
				s->hod_b = (uint8_t)(15 + below(s, 6));
				break;
			case CS_POP_CODE_RECEIVER:
				s->ncells = 1;
				s->sites[0] = below(s, SITES);
				s->hod_a = (uint8_t)(10 + below(s, 9));
				break;
			case CS_POP_SLEEPER:
				draw_person(s, 0, 0);
				s->when = some_hour(p, s, 9, 20);
				break;
			case CS_POP_BATCH:
				s->ncells = 1;
				s->sites[0] = below(s, SITES);
				s->k = (uint16_t)(i % size);
				s->when = batch_when;
				snprintf(s->group, sizeof(s->group), "%.*s", (int)strlen(s->msisdn) - 3, s->msisdn);
				break;
			}
		}
	}
}

/* Every subscriber's part of hour h, in population order. */
static void hour(struct pop *p, uint32_t h, unsigned int size)
{
	for (size_t i = 0; i < p->n; i++) {
		struct sub *s = &p->subs[i];
		switch (s->cls) {
		case CS_POP_NORMAL:
		case CS_POP_IOT_MISUSE:
			person_hour(p, s, h, true);
			if (h == 0 && s->cls == CS_POP_IOT_MISUSE)
				set_onset(p, s, hour_ns(p, 0) + s->attach_s * SEC); /* a handset from its first attach */
			break;
		case CS_POP_HEAVY:
			person_hour(p, s, h, hour_of_day(p, h) != s->hod_a);
			if (hour_of_day(p, h) == s->hod_a)
				busy_hour(p, s, h);
			break;
		case CS_POP_IOT_METER: meter_hour(p, s, h); break;
		case CS_POP_SIMBOX: simbox_hour(p, s, h); break;
		case CS_POP_SPAMMER: spammer_hour(p, s, h); break;
		case CS_POP_CODE_RECEIVER: code_receiver_hour(p, s, h); break;
		case CS_POP_SLEEPER: sleeper_hour(p, s, h); break;
		case CS_POP_BATCH: batch_hour(p, s, h, size); break;
		}
		/*
		 * An attached UE goes idle and comes back (S1 release, service
		 * request) many times an hour; one Modify Bearer an hour, late in
		 * it (after any attach of the hour), stands for them, so the probe
		 * never closes a live session for want of signalling
		 * (timeouts.session_idle_s) and keeps resolving its number.
		 */
		if (s->ue.attached)
			cs_scen_move(p->sc, &s->ue, cell_of(s->sites[s->cell], s->cell), some_time(s, hour_ns(p, h), 3300));
	}
}

/* RFC 3339 UTC with microseconds, as the anomaly records write times. */
static void rfc3339(char out[32], uint64_t ns)
{
	time_t sec = (time_t)(ns / SEC);
	struct tm tm;
	char whole[24];

	gmtime_r(&sec, &tm);
	strftime(whole, sizeof(whole), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.19s.%06uZ", whole, (unsigned int)(ns % SEC / 1000));
}

static int write_labels(const struct pop *p, const char *path)
{
	FILE *f = fopen(path, "w");
	char onset[32];

	if (f == NULL)
		return -1;
	fputs("imsi,msisdn,imei,class,onset,expected_rules,group\n", f);
	for (size_t i = 0; i < p->n; i++) {
		const struct sub *s = &p->subs[i];
		onset[0] = '\0';
		if (s->onset_ns != 0)
			rfc3339(onset, s->onset_ns);
		fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", s->imsi, s->msisdn, s->imei, CLASS_NAME[s->cls], onset,
			CLASS_RULES[s->cls], s->group);
	}
	bool failed = ferror(f) != 0;
	return fclose(f) == 0 && !failed ? 0 : -1;
}

static const char *check(const struct cs_pop_conf *c, unsigned int sims, unsigned int size, unsigned int days)
{
	const unsigned int per_class[] = { c->normal, c->heavy, c->iot_meters, c->gateways, c->spammers,
					   c->code_receivers, c->sleepers, c->batches, c->iot_misuse };

	if (sims > CS_POP_MAX_GATEWAY_SIMS)
		return "--simbox-sims: at most 24";
	if (size > CS_POP_MAX_BATCH_SIZE)
		return "--batch-size: at most 1000";
	if (days > CS_POP_MAX_DAYS)
		return "--days: at most 366";
	for (size_t k = 0; k < sizeof(per_class) / sizeof(per_class[0]); k++)
		if (per_class[k] > CS_POP_MAX_PER_CLASS)
			return "at most 100000 subscribers, gateways or batches of a class";
	if ((uint64_t)c->gateways * sims > CS_POP_MAX_PER_CLASS)
		return "at most 100000 SIM-box SIMs";
	return NULL;
}

int cs_pop_write(const struct cs_pop_conf *c, const char *pcap_path, const char *labels_path,
		 struct cs_pop_result *res, char *err, size_t errlen)
{
	const unsigned int sims = c->gateway_sims != 0 ? c->gateway_sims : DEFAULT_GATEWAY_SIMS;
	const unsigned int size = c->batch_size != 0 ? c->batch_size : DEFAULT_BATCH_SIZE;
	const unsigned int days = c->days != 0 ? c->days : DEFAULT_DAYS;
	const char *bad = check(c, sims, size, days);
	struct pop p = { .c = c, .days = days };
	uint64_t salt_state = c->seed;

	memset(res, 0, sizeof(*res));
	if (bad != NULL) {
		snprintf(err, errlen, "%s", bad);
		return -1;
	}
	const size_t total = (size_t)c->normal + c->heavy + c->iot_meters + (size_t)c->gateways * sims + c->spammers +
			     c->code_receivers + c->sleepers + (size_t)c->batches * size + c->iot_misuse;
	p.t0_ns = (c->start_s + HOUR_S - 1) / HOUR_S * HOUR_S * SEC;
	p.hist_ns = c->sleepers > 0 ? HISTORY_S * SEC : 0;
	p.salt = cs_gen_random(&salt_state) % 100000;
	p.subs = calloc(total != 0 ? total : 1, sizeof(*p.subs));
	if (p.subs == NULL) {
		snprintf(err, errlen, "out of memory for %zu subscribers", total);
		return -1;
	}
	p.sc = cs_scen_open(pcap_path, p.t0_ns - p.hist_ns, c->seed);
	if (p.sc == NULL) {
		snprintf(err, errlen, "%s: cannot create", pcap_path);
		free(p.subs);
		return -1;
	}
	make_subs(&p, sims, size);
	for (size_t i = 0; i < p.n; i++)
		if (p.subs[i].cls == CS_POP_SLEEPER)
			sleeper_history(&p, &p.subs[i]);
	for (uint32_t h = 0; h < days * 24; h++) {
		hour(&p, h, size);
		size_t held = cs_scen_buffered(p.sc);
		res->max_buffered = held > res->max_buffered ? held : res->max_buffered;
		cs_scen_flush_before(p.sc, hour_ns(&p, h + 1));
	}
	res->frames = cs_scen_written(p.sc) + cs_scen_buffered(p.sc);
	res->subscribers = p.n;
	res->t0_s = p.t0_ns / SEC;
	int rc = cs_scen_close(p.sc, err, errlen);
	if (rc == 0 && write_labels(&p, labels_path) != 0) {
		snprintf(err, errlen, "%s: cannot write", labels_path);
		rc = -1;
	}
	free(p.subs);
	return rc;
}
