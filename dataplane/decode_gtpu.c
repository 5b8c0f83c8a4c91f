/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_gtpu.h"

#include <string.h>

/*
 * GTP-U header (3GPP TS 29.281 5.1):
 *
 *   0       1       2       4               8
 *   +-------+-------+-------+---------------+
 *   | flags | type  | length| TEID          |   mandatory, 8 bytes
 *   +-------+-------+-------+---------------+
 *   | seq (2)       | N-PDU | next ext type |   present when E, S or PN is set
 *   +---------------+-------+---------------+
 *   flags: version:3 (=1) PT:1 (=1, GTP; 0 is GTP') spare:1 E:1 S:1 PN:1
 *   length: bytes after the mandatory 8, optional fields included.
 *
 * Extension headers (5.2): length in 4-octet units including the length
 * and next-type bytes (0 is invalid), content, next type (0 ends the chain).
 * The PDU Session Container (type 0x85, TS 38.415 5.5.2) carries the PDU
 * type in its first high nibble and the QFI in the low 6 bits of its
 * second byte.
 */
enum {
	GTPU_HDR = 8, GTPU_OPT = 4,
	FLAG_E = 0x04, FLAG_S = 0x02, FLAG_PN = 0x01,
	EXT_PDU_SESSION_CONTAINER = 0x85,
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static enum cs_reason walk_extensions(const uint8_t *p, uint32_t at, uint32_t end, uint8_t next,
				      struct cs_gtpu_msg *o, uint32_t *payload)
{
	while (next != 0) {
		if (o->ext_headers == CS_GTPU_MAX_EXT_HEADERS)
			return CS_R_GTPU_EXT_CHAIN_TOO_LONG;
		if (end - at < 1)
			return CS_R_GTPU_TRUNCATED;
		uint32_t ext_len = (uint32_t)p[at] * 4;
		if (ext_len == 0)
			return CS_R_GTPU_EXT_HEADER_BAD_LENGTH;
		if (ext_len > end - at)
			return CS_R_GTPU_TRUNCATED;
		if (next == EXT_PDU_SESSION_CONTAINER && ext_len >= 4) {
			o->has_pdu_session = 1;
			o->pdu_type = p[at + 1] >> 4;
			o->qfi = p[at + 2] & 0x3f;
		}
		o->ext_headers++;
		next = p[at + ext_len - 1];
		at += ext_len;
	}
	*payload = at;
	return CS_R_OK;
}

enum cs_reason cs_decode_gtpu(const uint8_t *p, uint32_t len, struct cs_gtpu_msg *out)
{
	memset(out, 0, sizeof(*out));
	if (len < GTPU_HDR)
		return CS_R_GTPU_TRUNCATED;
	if (p[0] >> 5 != 1)
		return CS_R_GTPU_BAD_VERSION;
	if (!(p[0] & 0x10))
		return CS_R_GTPU_NOT_GTP;
	uint32_t end = GTPU_HDR + be16(p + 2);
	if (end > len)
		return CS_R_GTPU_BAD_LENGTH;

	out->type = p[1];
	out->teid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	uint32_t payload = GTPU_HDR;
	if (p[0] & (FLAG_E | FLAG_S | FLAG_PN)) {
		if (end < GTPU_HDR + GTPU_OPT)
			return CS_R_GTPU_TRUNCATED;
		out->has_seq = (p[0] & FLAG_S) != 0;
		out->seq = be16(p + GTPU_HDR);
		uint8_t next = (p[0] & FLAG_E) ? p[GTPU_HDR + 3] : 0;
		enum cs_reason r = walk_extensions(p, GTPU_HDR + GTPU_OPT, end, next, out, &payload);
		if (r != CS_R_OK)
			return r;
	}
	if (out->type == CS_GTPU_GPDU) {
		if (payload == end)
			return CS_R_GTPU_EMPTY_GPDU;
		out->inner_offset = payload;
		out->inner_len = end - payload;
	}
	return CS_R_OK;
}
