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
};

/* GTPv2-C Create Session Request (type 32), S11, MME -> SGW. Returns its length or 0. */
size_t cs_encode_gtpv2c_create_session_req(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

/* GTPv2-C Create Session Response (type 33), cause "Request accepted". */
size_t cs_encode_gtpv2c_create_session_rsp(uint8_t *out, size_t cap, const struct cs_gen_bearer *s, uint32_t seq);

#endif
