/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPV2C_H
#define CS_DECODE_GTPV2C_H

#include <stdbool.h>
#include <stdint.h>

#include "decode_reason.h"
#include "digits.h"

/*
 * GTPv2-C (3GPP TS 29.274): the S11, S5/S8 and S4 control plane, UDP 2123.
 * One call decodes the one message at the start of a byte range; see
 * cs_decode_gtpv2c() for piggybacked messages. Layouts and clauses are in
 * decode_gtpv2c.c next to the code that reads them.
 */

/* Message types (TS 29.274 table 6.1-1) whose IEs the decoder reads; any other type is decoded as a header. */
enum cs_gtpv2c_type {
	CS_GTPV2C_ECHO_REQUEST = 1,
	CS_GTPV2C_ECHO_RESPONSE = 2,
	CS_GTPV2C_CREATE_SESSION_REQUEST = 32,
	CS_GTPV2C_CREATE_SESSION_RESPONSE = 33,
	CS_GTPV2C_MODIFY_BEARER_REQUEST = 34,
	CS_GTPV2C_MODIFY_BEARER_RESPONSE = 35,
	CS_GTPV2C_DELETE_SESSION_REQUEST = 36,
	CS_GTPV2C_DELETE_SESSION_RESPONSE = 37,
	CS_GTPV2C_CREATE_BEARER_REQUEST = 95,
	CS_GTPV2C_CREATE_BEARER_RESPONSE = 96,
	CS_GTPV2C_UPDATE_BEARER_REQUEST = 97,
	CS_GTPV2C_UPDATE_BEARER_RESPONSE = 98,
	CS_GTPV2C_DELETE_BEARER_REQUEST = 99,
	CS_GTPV2C_DELETE_BEARER_RESPONSE = 100,
};

enum {
	/* EBIs 5..15: a UE has at most 11 EPS bearers (TS 24.301 9.3.2). */
	CS_GTPV2C_MAX_BEARERS = 11,
	/* Message-level F-TEIDs: the listed messages carry at most two (sender, PGW S5/S8). */
	CS_GTPV2C_MAX_FTEIDS = 4,
	/* F-TEID instances 0..7 of a Bearer Context in Create Session Request (table 7.2.1-2). */
	CS_GTPV2C_BEARER_FTEIDS = 8,
	/* An APN is at most 100 octets (TS 23.003 9.1). */
	CS_GTPV2C_APN_MAX = 100,
};

/* Which optional parts of a message or a Bearer Context were present. */
enum cs_gtpv2c_has {
	CS_GTPV2C_HAS_IMSI = 1u << 0,
	CS_GTPV2C_HAS_MSISDN = 1u << 1,
	CS_GTPV2C_HAS_MEI = 1u << 2,
	CS_GTPV2C_HAS_APN = 1u << 3,
	CS_GTPV2C_HAS_RAT_TYPE = 1u << 4,
	CS_GTPV2C_HAS_ULI = 1u << 5,
	CS_GTPV2C_HAS_SERVING_NETWORK = 1u << 6,
	CS_GTPV2C_HAS_PAA = 1u << 7,
	CS_GTPV2C_HAS_PDN_TYPE = 1u << 8,
	CS_GTPV2C_HAS_RECOVERY = 1u << 9,
	CS_GTPV2C_HAS_CAUSE = 1u << 10,
	CS_GTPV2C_HAS_EBI = 1u << 11, /* message level: the Linked EPS Bearer ID */
};

/* F-TEID interface types (TS 29.274 8.22, table 8.22-1); any 6-bit value is kept. */
enum cs_gtpv2c_iface {
	CS_GTPV2C_IF_S1U_ENB = 0,
	CS_GTPV2C_IF_S1U_SGW = 1,
	CS_GTPV2C_IF_S5S8U_SGW = 4,
	CS_GTPV2C_IF_S5S8U_PGW = 5,
	CS_GTPV2C_IF_S5S8C_SGW = 6,
	CS_GTPV2C_IF_S5S8C_PGW = 7,
	CS_GTPV2C_IF_S11_MME = 10,
	CS_GTPV2C_IF_S11S4_SGW = 11,
};

/* PDN type (8.34) and the PDN type of a PAA (8.14). */
enum cs_gtpv2c_pdn_type {
	CS_GTPV2C_PDN_IPV4 = 1,
	CS_GTPV2C_PDN_IPV6 = 2,
	CS_GTPV2C_PDN_IPV4V6 = 3,
	CS_GTPV2C_PDN_NON_IP = 4,
};

/* ULI flags (8.21): which location parts follow, in this bit order on the wire. */
enum cs_gtpv2c_uli_part {
	CS_GTPV2C_ULI_CGI = 0x01,
	CS_GTPV2C_ULI_SAI = 0x02,
	CS_GTPV2C_ULI_RAI = 0x04,
	CS_GTPV2C_ULI_TAI = 0x08,
	CS_GTPV2C_ULI_ECGI = 0x10,
	CS_GTPV2C_ULI_LAI = 0x20,
	CS_GTPV2C_ULI_MACRO_ENB = 0x40,
	CS_GTPV2C_ULI_EXT_MACRO_ENB = 0x80,
};

/* MCC and MNC as numbers; mnc_digits tells "01" (2) from "001" (3). */
struct cs_gtpv2c_plmn {
	uint16_t mcc;
	uint16_t mnc;
	uint8_t mnc_digits;
};

struct cs_gtpv2c_uli {
	uint8_t flags; /* CS_GTPV2C_ULI_*: the parts below that were present */
	struct { struct cs_gtpv2c_plmn plmn; uint16_t lac, ci; } cgi;
	struct { struct cs_gtpv2c_plmn plmn; uint16_t lac, sac; } sai;
	struct { struct cs_gtpv2c_plmn plmn; uint16_t lac; uint8_t rac; } rai;
	struct { struct cs_gtpv2c_plmn plmn; uint16_t tac; } tai;
	struct { struct cs_gtpv2c_plmn plmn; uint32_t eci; } ecgi; /* 28 bits */
	struct { struct cs_gtpv2c_plmn plmn; uint16_t lac; } lai;
	struct { struct cs_gtpv2c_plmn plmn; uint32_t enb_id; } macro_enb; /* 20 bits */
	/* the long macro eNB ID (21 bits), or with smenb set the short one (18 bits) */
	struct { struct cs_gtpv2c_plmn plmn; uint32_t enb_id; bool smenb; } ext_macro_enb;
};

/* Fully qualified TEID (8.22): picked by instance, which names its role in each message. */
struct cs_gtpv2c_fteid {
	uint8_t instance;
	uint8_t iface; /* CS_GTPV2C_IF_* or any other 6-bit value */
	bool has_ipv4, has_ipv6;
	uint32_t teid; /* TEID or GRE key */
	uint32_t ipv4; /* host order */
	uint8_t ipv6[16];
};

/* PDN Address Allocation (8.14). */
struct cs_gtpv2c_paa {
	uint8_t pdn_type; /* CS_GTPV2C_PDN_*; other values carry no address */
	uint8_t ipv6_prefix_len;
	uint32_t ipv4; /* host order */
	uint8_t ipv6[16];
};

/* Cause (8.4). */
struct cs_gtpv2c_cause {
	uint8_t value;
	uint8_t flags; /* PCE 0x04, BCE 0x02, CS 0x01 */
	bool has_offending_ie;
	uint8_t offending_type;
	uint8_t offending_instance;
};

/* One Bearer Context (8.28), a grouped IE; its instance says which list it is in. */
struct cs_gtpv2c_bearer {
	uint8_t instance; /* e.g. 0 "to be created", 1 "to be removed" in Create Session Request */
	uint32_t present; /* CS_GTPV2C_HAS_EBI, CS_GTPV2C_HAS_CAUSE */
	uint8_t ebi;
	struct cs_gtpv2c_cause cause;
	uint8_t fteid_count;
	struct cs_gtpv2c_fteid fteid[CS_GTPV2C_BEARER_FTEIDS];
};

struct cs_gtpv2c_msg {
	/* Header (5.1). */
	uint8_t type;       /* enum cs_gtpv2c_type or any other */
	bool piggybacked;   /* P: another message follows this one, at msg_len */
	bool has_teid;      /* T */
	uint32_t teid;
	uint32_t seq;       /* 24 bits */
	uint32_t msg_len;   /* whole message: 4 + the header's length field */
	bool ies_decoded;   /* false: a type this decoder reads the header of only */

	/* Message-level IEs, instance 0; absent ones are zero (identities CS_DIGITS_NONE). */
	uint32_t present;   /* CS_GTPV2C_HAS_* */
	cs_digits imsi, msisdn, mei;
	char apn[CS_GTPV2C_APN_MAX + 1]; /* dotted, NUL-terminated */
	uint8_t apn_len;
	uint8_t rat_type;
	uint8_t pdn_type;
	uint8_t recovery;   /* restart counter */
	uint8_t lbi;        /* EBI instance 0: Linked EPS Bearer ID */
	struct cs_gtpv2c_uli uli;
	struct cs_gtpv2c_plmn serving_network;
	struct cs_gtpv2c_paa paa;
	struct cs_gtpv2c_cause cause;
	uint8_t ebi_count;  /* EBI instance 1, repeated: "EPS Bearer IDs" of Delete Bearer Request */
	uint8_t ebi[CS_GTPV2C_MAX_BEARERS];
	uint8_t fteid_count;
	struct cs_gtpv2c_fteid fteid[CS_GTPV2C_MAX_FTEIDS];
	uint8_t bearer_count;
	struct cs_gtpv2c_bearer bearer[CS_GTPV2C_MAX_BEARERS];
};

/*
 * Decodes the GTPv2-C message at the start of [p, p + len). The range is
 * a UDP payload or what remains of one after a message with P set:
 *
 *   for (n = 0; n < 2 && len > 0; n++) {           // at most one piggybacked (5.1)
 *           if (cs_decode_gtpv2c(p, len, &m) != CS_R_OK) break;
 *           ... use m ...
 *           if (!m.piggybacked) break;
 *           p += m.msg_len; len -= m.msg_len;
 *   }
 *
 * Without P the message must fill the range (gtpv2c.bad_length if bytes
 * follow); with P something must follow it (gtpv2c.truncated if not).
 * On a refusal, out holds what was decoded before the fault.
 */
enum cs_reason cs_decode_gtpv2c(const uint8_t *p, uint32_t len, struct cs_gtpv2c_msg *out);

/* The F-TEID of that instance among n, or NULL. */
const struct cs_gtpv2c_fteid *cs_gtpv2c_fteid_by_instance(const struct cs_gtpv2c_fteid *list, unsigned int n,
							   uint8_t instance);

#endif
