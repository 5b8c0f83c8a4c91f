/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GEN_PROFILES_H
#define CS_GEN_PROFILES_H

#include <stdint.h>

#include "scenario.h"

/*
 * Behaviour profiles as real traffic (issue 5): each function writes one
 * kind of subscriber, or its ordinary counterpart, into a scenario from
 * scenario time at_ns, and appends the subscribers it made, with their
 * class label, to a list. The rules' tests replay the capture and compare
 * verdicts with the labels; tests/integration/test_profiles_traffic.c
 * checks that the probe's state sees what each profile claims.
 *
 *   label              what the traffic is                         onset
 *   simbox             30+ MO calls/h to 25+ numbers, short calls,   the first call
 *                      <= 2 MT, no data, one cell
 *   normal_heavy       15-20 MO calls/h to <= 10 numbers, MT calls,  the first call
 *                      data, 2+ cells
 *   gateway_rotation   one IMEI, 8+ SIMs in turn within 24 h         the first attach
 *   phone_sim_change   one phone, its SIM changed once               the second SIM's attach
 *   sms_flood          100+ MO SMS/h to 80+ recipients               the first SMS
 *   chatty             30 MO SMS/h to 5 friends, and their replies   the first SMS
 *   iot_voice          an IoT card making a voice call               the call
 *   iot_p2p_sms        an IoT card texting a person                  the SMS
 *   iot_imei_swap      an IoT card in a device other than its bound  the re-attach
 *   iot_handset_tac    an IoT card in a phone (handset TAC)          the attach
 *   iot_meter          an IoT card uploading to 1-3 fixed servers    the attach
 *   sleeper            active on day 0, silent 30+ days, then 20+    the wake-up attach
 *                      MO calls and SMS in an hour
 *   code_receiver      MT SMS from 10+ short-code senders, no calls  the first code
 *   code_person        a person receiving 3 codes among ordinary use the first code
 *   number_batch       20+ numbers of one block first seen in 1 h    the first attach
 *   number_spread      a block's numbers first seen too far apart    the first attach
 *                      (over days) or too few (5 in an hour)
 *
 * Every IoT card also behaves as a meter (periodic small uploads); the
 * misuse comes halfway through. Identities come from a range
 * (cs_profile_ids): give each profile its own range and their IMSIs,
 * numbers, IMEIs and the numbers they call never meet, so any number of
 * profiles can share one capture. Each subscriber's own number lies in a
 * block of its own unless the profile is about blocks. A parameter left
 * 0 takes the default given beside it.
 */
enum { CS_PROFILE_MAX_SUBS = 256 };

/*
 * Where a profile's identities come from. Subscriber i (from 0) gets
 *   IMSI    imsi_prefix, then i, zero-padded to 15 digits
 *   MSISDN  msisdn_prefix, then i x msisdn_step, zero-padded to msisdn_digits
 *   IMEI    tac (8 digits), a 6-digit serial (i), the Luhn digit (TS 23.003 B.2)
 * and the k-th other party (callee, SMS recipient, friend) the number
 * peer_prefix, then k, zero-padded to msisdn_digits. Cell k of the
 * profile is (cell.tac, cell.eci + k).
 */
struct cs_profile_ids {
	char imsi_prefix[16];
	char msisdn_prefix[16];
	char peer_prefix[16];
	char tac[9];
	uint8_t msisdn_digits;
	uint32_t msisdn_step; /* 1000: a block of its own for each (numbers.block_suffix_digits 3) */
	struct cs_scen_cell cell;
};

/*
 * Range r (0-89) of ordinary subscribers:
 *   IMSI 00101 rr + 8 digits, MSISDN 86139 rr + 6 digits (13, steps of 1000),
 *   peers 86138 rr + 6 digits, TAC 3533 rr 10, cell (0x100 + r, (r + 1) << 8).
 */
void cs_profile_ids_range(struct cs_profile_ids *ids, unsigned int r);

/*
 * IoT range r (0-9): IMSI 001019 r + 8 digits, MSISDN 861064 r + 8 digits
 * (15: the 13-digit 1064 numbers in international form, steps of 1000),
 * peers 8613899 r + 5 digits (people the card should never reach),
 * TAC 8642 r 010 (a module), cell (0x180 + r, (100 + r) << 8).
 */
void cs_profile_ids_iot(struct cs_profile_ids *ids, unsigned int r);

/* One subscriber a profile made. Times are scenario time. */
struct cs_profile_sub {
	char imsi[16], msisdn[16], imei[16];
	const char *label;
	uint64_t onset_ns; /* when its behaviour starts (table above) */
	uint64_t end_ns;   /* its last packet */
};

struct cs_profile_subs {
	unsigned int n;
	struct cs_profile_sub sub[CS_PROFILE_MAX_SUBS];
};

/* Calls in one hour from at_ns, from one SIM each: a SIM box's SIMs, or a heavy caller. */
struct cs_profile_calls {
	struct cs_profile_ids ids;
	unsigned int sims;         /* simbox: SIMs of the box, in one cell (1); heavy user: always 1 */
	unsigned int calls;        /* MO calls in the hour, each SIM (simbox 36, heavy 18) */
	unsigned int callees;      /* distinct numbers called, in turn (simbox 30, heavy 8) */
	unsigned int mean_s;       /* answered calls last mean_s +- 15 s (simbox 35, heavy 100) */
	unsigned int mt_calls;     /* calls received in the hour, answered (simbox 1, heavy 6) */
	unsigned int cells;        /* heavy: cells visited, moving between calls (3) */
	unsigned int destinations; /* heavy: data destinations, one burst between calls (12) */
};
int cs_profile_simbox(struct cs_scen *sc, const struct cs_profile_calls *p, uint64_t at_ns,
		      struct cs_profile_subs *out);
int cs_profile_heavy_user(struct cs_scen *sc, const struct cs_profile_calls *p, uint64_t at_ns,
			  struct cs_profile_subs *out);

/* SIMs through one IMEI: a gateway rotating 8+, or a phone whose SIM changed once (2). */
struct cs_profile_rotation {
	struct cs_profile_ids ids;
	unsigned int sims;          /* gateway 10; a SIM change is always 2 */
	unsigned int interval_s;    /* from one SIM's attach to the next one's (gateway 300, change 1800) */
	unsigned int calls_per_sim; /* MO calls each SIM makes while in (gateway 2, change 1) */
};
int cs_profile_gateway_rotation(struct cs_scen *sc, const struct cs_profile_rotation *p, uint64_t at_ns,
				struct cs_profile_subs *out);
int cs_profile_phone_sim_change(struct cs_scen *sc, const struct cs_profile_rotation *p, uint64_t at_ns,
				struct cs_profile_subs *out);

/* MO SMS in one hour from at_ns. */
struct cs_profile_texting {
	struct cs_profile_ids ids;
	unsigned int sms;        /* (flood 120, chatty 30) */
	unsigned int recipients; /* distinct, in turn (flood 100, chatty 5) */
	unsigned int replies;    /* MT SMS back from the recipients (flood 0, chatty 10) */
};
int cs_profile_sms_flood(struct cs_scen *sc, const struct cs_profile_texting *p, uint64_t at_ns,
			 struct cs_profile_subs *out);
int cs_profile_chatty(struct cs_scen *sc, const struct cs_profile_texting *p, uint64_t at_ns,
		      struct cs_profile_subs *out);

enum cs_profile_iot_misuse { CS_IOT_VOICE, CS_IOT_P2P_SMS, CS_IOT_IMEI_SWAP, CS_IOT_HANDSET_TAC };

/*
 * An IoT card (ids from cs_profile_ids_iot, or any IoT range) on LTE-M in
 * a module of the range's TAC, uploading as a meter does; the card put in
 * a phone (HANDSET_TAC) is on E-UTRAN from its first attach, so the phone
 * is its bound device. Its imei in the list is the device it first
 * attached in: for IMEI_SWAP, the module it is bound to (the other one is
 * the same TAC, serial 500000).
 */
struct cs_profile_iot {
	struct cs_profile_ids ids;
	char handset_tac[9];       /* a phone's TAC, for HANDSET_TAC ("35332510") */
	uint32_t servers[3];       /* the meter's fixed destinations, host order, 0 ends (198.51.100.10-12) */
	unsigned int uploads;      /* (10) */
	unsigned int interval_s;   /* between uploads (300) */
	unsigned int upload_bytes; /* each, uplink; the server answers 60 bytes (200) */
};
/* One card of each kind asked for; its misuse halfway through its uploads. */
int cs_profile_iot_misuse(struct cs_scen *sc, const struct cs_profile_iot *p, enum cs_profile_iot_misuse kind,
			  uint64_t at_ns, struct cs_profile_subs *out);
int cs_profile_iot_meter(struct cs_scen *sc, const struct cs_profile_iot *p, uint64_t at_ns,
			 struct cs_profile_subs *out);

/* Day 0 from at_ns: attach, a call and an SMS, detach. Then sleep_days of nothing, then an hour of MO. */
struct cs_profile_sleeper {
	struct cs_profile_ids ids;
	unsigned int sleep_days; /* (35) */
	unsigned int wake_calls; /* short answered calls in the wake-up hour (12) */
	unsigned int wake_sms;   /* and SMS, alternating with them (12) */
};
int cs_profile_sleeper(struct cs_scen *sc, const struct cs_profile_sleeper *p, uint64_t at_ns,
		       struct cs_profile_subs *out);

/*
 * Verification codes: MT SMS from distinct senders, alternately a 5-digit
 * short code (95 + 3 digits) and a service's name, over span_s. The code
 * receiver does nothing else but a little data; the person also calls
 * and texts friends and gets their replies.
 */
struct cs_profile_codes {
	struct cs_profile_ids ids;
	unsigned int senders; /* (receiver 12, person 3), at most 32 */
	unsigned int span_s;  /* (3000) */
};
int cs_profile_code_receiver(struct cs_scen *sc, const struct cs_profile_codes *p, uint64_t at_ns,
			     struct cs_profile_subs *out);
int cs_profile_code_person(struct cs_scen *sc, const struct cs_profile_codes *p, uint64_t at_ns,
			   struct cs_profile_subs *out);

/*
 * Consecutive numbers of one block (msisdn_prefix then i, msisdn_step
 * ignored: the block is the number less its last 3 digits) attaching for
 * the first time, one every interval_s, each a SIM of its own in a phone
 * of its own, browsing a little and staying attached for a minute.
 */
struct cs_profile_block {
	struct cs_profile_ids ids;
	unsigned int numbers;    /* (batch 24, spread 20), at most 1000 */
	unsigned int interval_s; /* (batch 120, spread 86400) */
};
int cs_profile_number_batch(struct cs_scen *sc, const struct cs_profile_block *p, uint64_t at_ns,
			    struct cs_profile_subs *out);
int cs_profile_number_spread(struct cs_scen *sc, const struct cs_profile_block *p, uint64_t at_ns,
			     struct cs_profile_subs *out);

/*
 * "The hour": every profile that lives within an hour, each from an
 * identity range of its own (1 to 10, IoT 0 to 4), from at_ns: the SIM
 * box and the heavy user, the gateway and the phone whose SIM changed,
 * the flood and the chatty user, the code receiver and the person, a
 * batch of 24 numbers and a control of 5 (600 s apart), the four IoT
 * misuses and the meter. Returns 0, or -1 when a profile failed.
 */
int cs_profile_the_hour(struct cs_scen *sc, uint64_t at_ns, struct cs_profile_subs *out);

/* The first subscriber of out with this label, or NULL. */
const struct cs_profile_sub *cs_profile_find(const struct cs_profile_subs *out, const char *label);

#endif
