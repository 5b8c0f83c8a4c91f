/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mix: a population of attached subscribers and a mix of their traffic,
 * the same for every throughput measurement: the port-less benchmarks
 * build frames of it in memory (bench/bench_frames.h), and cdrsentry-gen
 * --mix writes it to a capture for the peers (dpdk-testpmd, tshark,
 * nDPI) and cdrsentry live to read.
 *
 * The population: session i has IMSI 00101 + i, MSISDN 86139 + i, an IMEI
 * of its own (TAC 35332500 + i / 10^6), UE address 100.64.0.0 + i, TEIDs
 * 0x1.., 0x2.., 0x3.., 0x4.. + i (MME, SGW control, eNodeB, SGW user
 * plane), one MME and one SGW, CS_MIX_ENODEBS eNodeBs, 4096 cells. Every
 * eighth session (i % 8 == 7) is on an IPv6 transport: its S11 runs over
 * IPv6 (2001:db8:3::1 to 2001:db8:2::1), its PDN is IPv6 (the /64
 * 2001:db8:1xx:xxxx::, its data and its SIP IPv6 inside the tunnel), and
 * its S1-U stays IPv4 (the SGW's S1-U F-TEID is dual-stack).
 *
 * The mix comes in units of CS_MIX_UNIT_FRAMES frames:
 *   95 G-PDUs of random subscribers, uplink or downlink, inner IPv4/UDP of
 *      40-1239 bytes to or from a server;
 *    4 GTP-C: two Modify Bearer transactions, each moving a random
 *      subscriber to a random cell (a handover);
 *    1 SIP message of dialogs INVITE, 180, 200, BYE, 200, CS_MIX_CALLS
 *      dialogs in progress at a time, callers and callees among the
 *      subscribers: half of the dialogs between P-CSCF and S-CSCF (Mw,
 *      plain UDP), half on the caller's IMS bearer between its UE and the
 *      P-CSCF (Gm, inside GTP-U), where the bearer names the caller.
 * A core's user plane carries far more packets than its S11 and IMS
 * links; one packet in twenty here is signalling, more than most
 * operators see, so the figures lean to the pessimistic side.
 */
#ifndef CS_GEN_MIX_H
#define CS_GEN_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "encode_gtpv2c.h"

enum {
	CS_MIX_GTPC_PORT = 2123, CS_MIX_GTPU_PORT = 2152, CS_MIX_SIP_PORT = 5060,
	CS_MIX_ENODEBS = 4000,
	CS_MIX_CELLS = 4096,
	CS_MIX_ATTACH_MESSAGES = 4,       /* Create Session and Modify Bearer, requests and responses */
	CS_MIX_SIP_DIALOG_MESSAGES = 5,   /* INVITE, 180, 200, BYE, 200 */
	CS_MIX_UNIT_FRAMES = 100,
	CS_MIX_UNIT_GPDUS = 95,
	CS_MIX_UNIT_HANDOVERS = 2,        /* a Modify Bearer request and its response each */
	CS_MIX_UNIT_SIP = 1,
	CS_MIX_CALLS = 20,                /* SIP dialogs in progress at a time */
	/* units whose SIP messages make whole dialogs: a ring of units replayed must hold a multiple of these */
	CS_MIX_SIP_BLOCK_UNITS = CS_MIX_CALLS * CS_MIX_SIP_DIALOG_MESSAGES,
};

/* 16 Mi sessions: their UE addresses, 100.64.0.0 + i, stay below 101.64.0.0 */
#define CS_MIX_MAX_SESSIONS (16u << 20)

enum cs_mix_gpdu { CS_MIX_NOT_GPDU, CS_MIX_UPLINK, CS_MIX_DOWNLINK };

/* Where a SIP dialog travels: between the CSCFs, or on the caller's IMS bearer. */
enum cs_mix_sip_path { CS_MIX_SIP_MW, CS_MIX_SIP_BEARER };

/*
 * Where the frames go: add is called with each packet, IPv4 or IPv6
 * (carrying UDP), to put on a link, and says 0, or -1 to stop. gpdu is the
 * way of a data G-PDU (one a benchmark may re-address to another session;
 * its outer header is IPv4 with no options), CS_MIX_NOT_GPDU for
 * everything else, SIP inside GTP-U included. ip_id numbers the IPv4
 * packets.
 */
struct cs_mix_sink {
	int (*add)(void *ctx, const uint8_t *packet, size_t len, enum cs_mix_gpdu gpdu);
	void *ctx;
	uint16_t ip_id;
};

/* Session i of the population. */
void cs_mix_bearer_of(uint32_t i, struct cs_gen_bearer *g);

/* Session i's S1-U tunnel endpoint: the TEID a G-PDU carries and the address it is sent to. */
uint32_t cs_mix_gpdu_teid(uint32_t i, enum cs_mix_gpdu way);
uint32_t cs_mix_gpdu_dst(uint32_t i, enum cs_mix_gpdu way);

/*
 * Session i's attach on S11, requests MME -> SGW and responses back:
 * Create Session (the identities, the SGW's S1-U F-TEID) and Modify Bearer
 * (the eNodeB's), sequence numbers 2i and 2i + 1. Each of these returns
 * 0, or -1 when the sink refused a frame or a message did not encode.
 */
int cs_mix_attach(struct cs_mix_sink *k, uint32_t i);

/* A Modify Bearer request and response moving session i to cell eci, sequence number seq. */
int cs_mix_handover(struct cs_mix_sink *k, uint32_t i, uint32_t eci, uint32_t seq);

/* A G-PDU of session i, of payload bytes of inner UDP. */
int cs_mix_gpdu(struct cs_mix_sink *k, uint32_t i, enum cs_mix_gpdu way, size_t payload);

/*
 * Message step (0 INVITE, 1 180, 2 200, 3 BYE, 4 200) of SIP dialog d:
 * its caller, callee and Call-ID drawn from seed and d, the parties among
 * the first sessions sessions, on path.
 */
int cs_mix_sip(struct cs_mix_sink *k, uint64_t seed, uint32_t d, unsigned int step, uint32_t sessions,
	       enum cs_mix_sip_path path);

/* The draws of a mix: its population, seed, and random state. */
struct cs_mix {
	uint32_t sessions;
	uint64_t seed;
	uint64_t rng;
};

/* Unit u of the mix (its SIP message is message u of the dialogs' sequence). */
int cs_mix_unit(struct cs_mix_sink *k, struct cs_mix *m, uint32_t u);

#endif
