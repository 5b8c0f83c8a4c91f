/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ENCODE_GTPV2C_H
#define CS_ENCODE_GTPV2C_H

#include <stddef.h>
#include <stdint.h>

/* What the generator knows of one attached subscriber (S11 view). */
struct cs_gen_bearer {
	char imsi[16];   /* 15 digits */
	char msisdn[16]; /* E.164 digits */
	char imei[16];   /* 15 digits, Luhn check digit last */
	char apn[32];    /* dotted labels, e.g. "internet" */
	char mcc[4], mnc[4];
	uint16_t tac;
	uint32_t eci;       /* 28-bit E-UTRAN cell identity */
	uint32_t ue_ip;     /* PAA, host order */
	uint32_t mme_teid;  /* S11 MME GTP-C */
	uint32_t sgw_teid;  /* S11/S4 SGW GTP-C */
	uint32_t enb_teid;  /* S1-U eNodeB, downlink G-PDUs carry it */
	uint32_t sgwu_teid; /* S1-U SGW, uplink G-PDUs carry it */
	uint32_t mme_ip, sgw_ip, enb_ip; /* host order */
	uint8_t rat;        /* RAT Type (TS 29.274 8.17): 6 E-UTRAN, 8 NB-IoT, 9 LTE-M; 0 writes 6 */
};

/* GTPv2-C Create Session Request (type 32), S11, MME -> SGW. Returns its length or 0. */
size_t cs_encode_gtpv2c_create_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* GTPv2-C Create Session Response (type 33), cause "Request accepted". */
size_t cs_encode_gtpv2c_create_session_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/*
 * The rest of a session's life on S11 (TS 23.401: 5.3.2.1 attach, 5.4 dedicated
 * bearers, 5.3.8 detach).
 * Requests from the MME carry the SGW's TEID, the SGW's messages the MME's;
 * every response says "Request accepted". Each returns its length or 0.
 */

/* IPv6 addressing for the _v6 variants: an IPv6 PDN connection over IPv6 S11. */
struct cs_gen_ipv6 {
	uint8_t ue_prefix[16]; /* PAA of the response; the request asks with :: */
	uint8_t prefix_len;    /* 64 for a UE (TS 23.401 5.3.1.2.2) */
	uint8_t mme_ip[16], sgw_ip[16];
};

/* A dedicated bearer (TS 23.401 5.4.1) beside the default one, EBI 5. */
struct cs_gen_dedicated_bearer {
	uint8_t ebi;        /* 6..15, chosen by the MME */
	uint8_t qci;        /* 1: conversational voice */
	uint32_t sgwu_teid; /* S1-U SGW */
	uint32_t enb_teid;  /* S1-U eNodeB */
};

/* Create Session Request (32), PDN type IPv6, PAA ::/64, sender F-TEID on IPv6. */
size_t cs_encode_gtpv2c_create_session_req_v6(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					      const struct cs_gen_ipv6 *v6, uint32_t seq);

/* Create Session Response (33): the UE's IPv6 prefix; S1-U SGW F-TEID dual-stack (IPv4 and IPv6). */
size_t cs_encode_gtpv2c_create_session_rsp_v6(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					      const struct cs_gen_ipv6 *v6, uint32_t seq);

/* Modify Bearer Request (34): Bearer Context with the S1-U eNodeB F-TEID, once the eNodeB answered. */
size_t cs_encode_gtpv2c_modify_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/*
 * Modify Bearer Request (34) after a handover or a tracking area update
 * (TS 23.401 5.5.1.1.2, 5.3.3.1): the ULI of the new cell (TAI + ECGI)
 * ahead of the Bearer Context with the new eNodeB's S1-U F-TEID.
 */
size_t cs_encode_gtpv2c_modify_bearer_req_uli(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* Modify Bearer Response (35): Bearer Context with its cause and the S1-U SGW F-TEID. */
size_t cs_encode_gtpv2c_modify_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* Delete Session Request (36): Linked EBI and the ULI (TAI + ECGI) where the UE detached. */
size_t cs_encode_gtpv2c_delete_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* Delete Session Response (37): the cause. */
size_t cs_encode_gtpv2c_delete_session_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* Create Bearer Request (95), SGW -> MME: LBI, a Bearer Context with EBI 0 (the MME assigns it), QoS, S1-U SGW. */
size_t cs_encode_gtpv2c_create_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Create Bearer Response (96): the assigned EBI, the S1-U eNodeB (instance 0) and SGW (instance 1) F-TEIDs. */
size_t cs_encode_gtpv2c_create_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Update Bearer Request (97): a Bearer Context with new QoS, and the APN-AMBR. */
size_t cs_encode_gtpv2c_update_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Update Bearer Response (98). */
size_t cs_encode_gtpv2c_update_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Delete Bearer Request (99): the dedicated bearer's EBI as "EPS Bearer IDs" (instance 1). */
size_t cs_encode_gtpv2c_delete_bearer_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Delete Bearer Response (100). */
size_t cs_encode_gtpv2c_delete_bearer_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s,
					  const struct cs_gen_dedicated_bearer *d, uint32_t seq);

/* Echo Request (1): no TEID in the header, the sender's restart counter. */
size_t cs_encode_gtpv2c_echo_req(uint8_t *out, size_t cap, uint8_t recovery, uint32_t seq);

/*
 * Two messages in one UDP payload (TS 29.274 5.1, P flag): first with its P flag
 * set, then second, e.g. a Create Session Response carrying a Create
 * Bearer Request. Returns the payload length or 0.
 */
size_t cs_encode_gtpv2c_piggyback(uint8_t *out, size_t cap, const uint8_t *first, size_t first_len,
				  const uint8_t *second, size_t second_len);

#endif
