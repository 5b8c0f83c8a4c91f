/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPU_H
#define CS_DECODE_GTPU_H

#include <stdint.h>

#include "decode_reason.h"

/* GTP-U message types counted by the probe (3GPP TS 29.281 6.1). */
enum cs_gtpu_type {
	CS_GTPU_ECHO_REQUEST = 1,
	CS_GTPU_ECHO_RESPONSE = 2,
	CS_GTPU_ERROR_INDICATION = 26,
	CS_GTPU_END_MARKER = 254,
	CS_GTPU_GPDU = 255,
};

enum { CS_GTPU_MAX_EXT_HEADERS = 8 };

struct cs_gtpu_msg {
	uint8_t type;
	uint8_t has_seq;
	uint8_t has_pdu_session; /* a PDU Session Container extension was present */
	uint8_t pdu_type;        /* 0 downlink, 1 uplink (TS 38.415 5.5.2) */
	uint8_t qfi;             /* QoS flow identifier, 6 bits */
	uint8_t ext_headers;     /* extension headers walked */
	uint16_t seq;
	uint32_t teid;
	uint32_t inner_offset; /* T-PDU (inner IP packet) of a G-PDU, from the GTP header */
	uint32_t inner_len;
};

/* Decodes one GTP-U packet (the UDP payload). */
enum cs_reason cs_decode_gtpu(const uint8_t *p, uint32_t len, struct cs_gtpu_msg *out);

#endif
