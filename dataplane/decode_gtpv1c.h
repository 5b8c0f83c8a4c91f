/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV1C_H
#define CS_DECODE_GTPV1C_H

#include <stdbool.h>
#include <stdint.h>

#include "decode_reason.h"
#include "digits.h"

/*
 * GTPv1-C (3GPP TS 29.060), the Gn/Gp control plane between SGSN and GGSN
 * on UDP port 2123. The probe builds PDP session records from the context
 * management messages, so those are decoded down to their IEs; every other
 * message (echo, version not supported, MBMS, mobility...) is decoded as a
 * header only and says so with ies_decoded = false.
 *
 * Worked example, zeek-gtp_create_pdp_ctx.pcap frame 2 (Create PDP Context
 * Request): teid 0, seq 0x130b, IMSI 460004100000101, RAI 460-06 LAC 65534
 * RAC 255, TEID Data I / Control Plane 0x32f02bf9, NSAPI 5, EUA IETF/IPv4
 * with no address (the MS asks for one), APN "eetest", SGSN addresses
 * 192.169.100.1 twice, MSISDN 8615221000101, RAT Type 2 (GERAN).
 */
enum cs_gtpv1c_type {
	CS_GTPV1C_ECHO_REQUEST = 1,
	CS_GTPV1C_ECHO_RESPONSE = 2,
	CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST = 16,
	CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE = 17,
	CS_GTPV1C_UPDATE_PDP_CONTEXT_REQUEST = 18,
	CS_GTPV1C_UPDATE_PDP_CONTEXT_RESPONSE = 19,
	CS_GTPV1C_DELETE_PDP_CONTEXT_REQUEST = 20,
	CS_GTPV1C_DELETE_PDP_CONTEXT_RESPONSE = 21,
};

/* Which optional fields a message carried: bits of cs_gtpv1c_msg.present. */
enum cs_gtpv1c_field {
	CS_GTPV1C_HAS_SEQ = 1u << 0,
	CS_GTPV1C_HAS_IMSI = 1u << 1,
	CS_GTPV1C_HAS_MSISDN = 1u << 2,
	CS_GTPV1C_HAS_IMEISV = 1u << 3,
	CS_GTPV1C_HAS_APN = 1u << 4,
	CS_GTPV1C_HAS_RAT_TYPE = 1u << 5,
	CS_GTPV1C_HAS_ULI = 1u << 6,
	CS_GTPV1C_HAS_RAI = 1u << 7,
	CS_GTPV1C_HAS_TEID_DATA = 1u << 8,
	CS_GTPV1C_HAS_TEID_CP = 1u << 9,
	CS_GTPV1C_HAS_NSAPI = 1u << 10,
	CS_GTPV1C_HAS_CAUSE = 1u << 11,
	CS_GTPV1C_HAS_EUA = 1u << 12,
	CS_GTPV1C_HAS_GSN_CP = 1u << 13,
	CS_GTPV1C_HAS_GSN_UP = 1u << 14,
	CS_GTPV1C_HAS_CHARGING_ID = 1u << 15,
	CS_GTPV1C_HAS_RECOVERY = 1u << 16,
};

/* TS 23.003 9.1: an APN is at most 100 octets as labels, 99 characters dotted. */
enum { CS_GTPV1C_APN_MAX = 100 };

/* MCC and MNC as numbers; mnc_digits (2 or 3) keeps "01" apart from "001". */
struct cs_gtpv1c_plmn {
	uint16_t mcc;
	uint16_t mnc;
	uint8_t mnc_digits;
};

/* Routing Area Identity (TV 3, TS 29.060 7.7.3). */
struct cs_gtpv1c_rai {
	struct cs_gtpv1c_plmn plmn;
	uint16_t lac;
	uint8_t rac;
};

/* Geographic location types of the User Location Information (7.7.51). */
enum cs_gtpv1c_uli_type {
	CS_GTPV1C_ULI_CGI = 0,
	CS_GTPV1C_ULI_SAI = 1,
	CS_GTPV1C_ULI_RAI = 2,
};

/* User Location Information: one of CI, SAC or RAC, as the type says. */
struct cs_gtpv1c_uli {
	uint8_t type; /* enum cs_gtpv1c_uli_type */
	struct cs_gtpv1c_plmn plmn;
	uint16_t lac;
	uint16_t ci;
	uint16_t sac;
	uint8_t rac;
};

/* PDP type organisation and the IETF PDP type numbers (7.7.27). */
enum {
	CS_GTPV1C_PDP_ORG_ETSI = 0,
	CS_GTPV1C_PDP_ORG_IETF = 1,
	CS_GTPV1C_PDP_IPV4 = 0x21,
	CS_GTPV1C_PDP_IPV6 = 0x57,
	CS_GTPV1C_PDP_IPV4V6 = 0x8d,
};

/* End User Address: the PDP type, and the addresses once allocated. */
struct cs_gtpv1c_eua {
	uint8_t pdp_org;
	uint8_t pdp_type;
	bool has_ipv4;
	bool has_ipv6;
	uint8_t ipv4[4];
	uint8_t ipv6[16];
};

/* A GSN Address (7.7.32): IPv4 in the first 4 bytes, or IPv6. */
struct cs_gtpv1c_gsn {
	bool is_ipv6;
	uint8_t addr[16];
};

/*
 * One decoded message. Fields are valid when their CS_GTPV1C_HAS_* bit is
 * set; identities are CS_DIGITS_NONE when absent. The first GSN Address of
 * a message is for the control plane, the second for user traffic (TS
 * 29.060 7.3.1/7.3.2); later ones (alternative addresses) are not kept.
 */
struct cs_gtpv1c_msg {
	uint8_t type;      /* message type, enum cs_gtpv1c_type or any other */
	bool ies_decoded;  /* a PDP context message: the IE fields were filled */
	uint16_t seq;
	uint32_t teid;     /* header TEID: the receiver's, 0 on a first request */
	uint32_t present;  /* enum cs_gtpv1c_field bits */

	cs_digits imsi;
	cs_digits msisdn;
	cs_digits imeisv;  /* IMEI (15 digits) or IMEISV (16) */
	uint8_t rat_type;  /* TS 29.060 7.7.50: 1 UTRAN, 2 GERAN, 3 WLAN, ... */
	uint8_t nsapi;
	uint8_t cause;
	uint8_t recovery;
	uint32_t teid_data;
	uint32_t teid_cp;
	uint32_t charging_id;
	struct cs_gtpv1c_rai rai;
	struct cs_gtpv1c_uli uli;
	struct cs_gtpv1c_eua eua;
	struct cs_gtpv1c_gsn gsn_cp;
	struct cs_gtpv1c_gsn gsn_up;
	uint8_t apn_len;
	char apn[CS_GTPV1C_APN_MAX]; /* dotted, NUL-terminated */
};

/*
 * Decodes one GTPv1-C message (the UDP payload). Bytes after the end the
 * header's length declares are not part of the message and are ignored.
 */
enum cs_reason cs_decode_gtpv1c(const uint8_t *p, uint32_t len, struct cs_gtpv1c_msg *out);

#endif
