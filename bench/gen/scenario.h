/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SCENARIO_H
#define CS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encode_gtpv2c.h"

/*
 * A scripted capture: subscribers attach, move, browse, call and text at
 * the times a script gives, in whatever order the script is written. A
 * call spans its duration and scripts interleave many subscribers, so the
 * writer keeps every frame and writes them sorted by event time when it
 * closes (frames of one time in the order they were made).
 *
 * Times are scenario time: nanoseconds since the start given to
 * cs_scen_open, which is event time zero of the script.
 *
 * What goes on the wire, on the links of one probe (as cdrsentry-gen):
 *   S11   MME 10.3.0.1 <-> SGW 10.2.0.1, GTPv2-C on 2123
 *   S1-U  eNodeB 10.1.x.y <-> SGW 10.2.0.1, GTP-U on 2152; x.y are the
 *         low 16 bits of the cell's ECI, so a move changes the eNodeB
 *   Mw    P-CSCF 10.4.0.1 <-> S-CSCF 10.4.0.2, SIP on 5060: calls and
 *         SMS over IP (TS 24.341) by number, so a party's IMSI is found
 *         through its MSISDN in the probe's session directory: attach a
 *         subscriber before it calls, texts or is called.
 *
 * Each attach is a session of its own: its TEIDs and UE address come from
 * the scenario's session count k (MME 0x10000000 + k, SGW 0x20000000 + k,
 * eNodeB 0x30000000 + k, SGW S1-U 0x40000000 + k; UE 100.64.0.0 + k + 1),
 * so sessions never share a key, and GTP-C sequence numbers count up
 * across the whole scenario.
 *
 * Bounded: at most CS_SCEN_MAX_FRAMES frames and CS_SCEN_MAX_BYTES bytes
 * of them are buffered; a step past either fails the scenario (close says
 * so). A long script writes in parts to stay within them: it scripts, say,
 * an hour, then cs_scen_flush_before(the hour's end) writes what is
 * earlier and keeps the rest (a call that runs on), as long as it never
 * again makes a frame before that time. Deterministic: the same script and seed give the same bytes; the
 * seed feeds Call-IDs and cs_scen_random.
 *
 * Steps do not return errors one by one: the first failure is kept and
 * every later step does nothing; cs_scen_close reports it.
 */
enum {
	CS_SCEN_MAX_FRAMES = 1 << 20,
	CS_SCEN_MAX_BYTES = 256 << 20,
};

struct cs_scen;

/* A cell: tracking area code and 28-bit E-UTRAN cell identity; the PLMN is the SIM's (see cs_scen_sim). */
struct cs_scen_cell {
	uint16_t tac;
	uint32_t eci;
	uint16_t vlan; /* the 802.1Q VLAN of its eNodeB's S1-U link; 0: untagged */
};

/* Who attaches: a SIM in a device. */
struct cs_scen_sim {
	const char *imsi;   /* 15 digits; the first 5 are its PLMN (MCC and a 2-digit MNC), used in the ULI */
	const char *msisdn; /* E.164 digits */
	const char *imei;   /* 15 digits */
	const char *apn;    /* NULL: "internet" */
	uint8_t rat;        /* TS 29.274 8.17: 6 E-UTRAN (0 means 6), 8 NB-IoT, 9 LTE-M */
	bool ipv6;          /* its user data is IPv6 (inside IPv4 GTP-U) */
};

/* One attached SIM: the bearer the scenario set up for it. Zero it before its first attach. */
struct cs_scen_ue {
	struct cs_gen_bearer b;
	bool attached;
	bool ipv6;        /* its G-PDUs carry IPv6: 2001:db8:1::/96 + its IPv4 PAA, to 2001:db8:2::/96 + the remote */
	uint16_t s1u_vlan; /* the VLAN of its cell's S1-U link (cs_scen_cell) */
};

enum cs_scen_call_outcome {
	CS_SCEN_ANSWERED,  /* INVITE, 180, 200, ACK ... BYE (caller), 200 */
	CS_SCEN_REJECTED,  /* INVITE, 180, 486 Busy Here, ACK */
	CS_SCEN_CANCELLED, /* INVITE, 180, CANCEL, 200, 487, ACK */
};

struct cs_scen_call {
	const char *caller, *callee; /* E.164 digits */
	enum cs_scen_call_outcome outcome;
	uint32_t ring_ms;    /* from 180 (100 ms after the INVITE) to the answer, refusal or CANCEL */
	uint32_t duration_s; /* answered: from the 200 to the BYE */
};

/* Creates path now (so a bad path fails early). NULL if it cannot, or out of memory. */
struct cs_scen *cs_scen_open(const char *path, uint64_t start_ns, uint64_t seed);

/*
 * Sorts the frames by event time, writes them, frees everything. Returns
 * 0 when every step succeeded and every frame reached the file; otherwise
 * -1 with the first problem in err.
 */
int cs_scen_close(struct cs_scen *sc, char *err, size_t errlen);

/*
 * Sorts and writes every buffered frame earlier than scenario time t_ns
 * and keeps the later ones, so that memory holds only what the script has
 * made ahead of t_ns. The file is then what one sort at close would have
 * written: frames of one time still go out in the order they were made.
 * From then on a step that makes a frame before t_ns fails the scenario.
 * A t_ns at or before an earlier one's does nothing. Returns 0, or -1
 * once the scenario has failed (close says why).
 */
int cs_scen_flush_before(struct cs_scen *sc, uint64_t t_ns);

/* Frames buffered now, and frames written to the file so far: what a script reports about its memory and output. */
size_t cs_scen_buffered(const struct cs_scen *sc);
uint64_t cs_scen_written(const struct cs_scen *sc);

/* The next number of the scenario's random stream (splitmix64 of the seed): for scripts' jitter and choices. */
uint64_t cs_scen_random(struct cs_scen *sc);

/*
 * Attach (TS 23.401 5.3.2.1) at at_ns: Create Session Request (IMSI,
 * MSISDN, MEI, ULI of cell, serving network, RAT, APN) and Response with
 * the UE address, then Modify Bearer Request and Response with the
 * eNodeB's S1-U F-TEID; 4 ms apart. The session is usable from at_ns + 4 ms.
 */
void cs_scen_attach(struct cs_scen *sc, struct cs_scen_ue *ue, const struct cs_scen_sim *sim,
		    struct cs_scen_cell cell, uint64_t at_ns);

/* A handover to cell (X2, TS 23.401 5.5.1.1.2): Modify Bearer Request with its ULI and eNodeB, and the Response. */
void cs_scen_move(struct cs_scen *sc, struct cs_scen_ue *ue, struct cs_scen_cell cell, uint64_t at_ns);

/* Detach: Delete Session Request (with the ULI) and Response. */
void cs_scen_detach(struct cs_scen *sc, struct cs_scen_ue *ue, uint64_t at_ns);

/*
 * User data with one remote IPv4 host (host order, port 443): up_bytes of
 * UDP payload uplink, then down_bytes downlink, in G-PDUs of at most 1400
 * payload bytes, one a millisecond from at_ns. Returns the time of the last.
 */
uint64_t cs_scen_data(struct cs_scen *sc, const struct cs_scen_ue *ue, uint32_t remote_ip, uint32_t up_bytes,
		      uint32_t down_bytes, uint64_t at_ns);

/* One call dialog from at_ns (see cs_scen_call_outcome). Returns the time of its last message. */
uint64_t cs_scen_call(struct cs_scen *sc, const struct cs_scen_call *call, uint64_t at_ns);

/*
 * SMS over IP, a MESSAGE carrying RP-DATA and its 200 (50 ms later).
 * MO: from submits text to the number to (TP-SUBMIT). MT: the SMSC
 * delivers text from sender, a number or (alphanumeric) a name of at
 * most 11 characters, to the subscriber to (TP-DELIVER). text NULL: a
 * default. Returns the time of the 200.
 */
uint64_t cs_scen_sms_mo(struct cs_scen *sc, const char *from, const char *to, const char *text, uint64_t at_ns);
uint64_t cs_scen_sms_mt(struct cs_scen *sc, const char *to, const char *sender, bool alphanumeric, const char *text,
			uint64_t at_ns);

#endif
