/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_REASON_H
#define CS_DECODE_REASON_H

/*
 * Every reason a decoder refuses or sets aside a packet, declared once.
 * Each protocol keeps its list next to its decoder; this file expands all
 * of them into one enum, one counter array (per lcore, struct
 * cs_decode_stats) and the names that stats.json and the metrics show,
 * "<protocol>.<reason>", e.g. "gtpv2c.ie_overrun". Tests assert on names.
 *
 * A list entry is X(PROTO, REASON, "name"), giving CS_R_<PROTO>_<REASON>.
 */
#include "decode_l2l4_reasons.h"
#include "decode_gtpv2c_reasons.h"
#include "decode_gtpv1c_reasons.h"
#include "decode_gtpu_reasons.h"
#include "decode_sip_reasons.h"
#include "decode_tcp_reasons.h"
#include "decode_sms_reasons.h"

#define CS_DECODE_REASONS(X)      \
	CS_L2L4_REASONS(X)        \
	CS_GTPV2C_REASONS(X)      \
	CS_GTPV1C_REASONS(X)      \
	CS_GTPU_REASONS(X)        \
	CS_SIP_REASONS(X)         \
	CS_TCP_REASONS(X)         \
	CS_SMS_REASONS(X)

enum cs_reason {
	CS_R_OK = 0,
#define CS_REASON_ENUM(proto, reason, name) CS_R_##proto##_##reason,
	CS_DECODE_REASONS(CS_REASON_ENUM)
#undef CS_REASON_ENUM
	CS_R_COUNT
};

/* "gtpv2c.ie_overrun" for CS_R_GTPV2C_IE_OVERRUN; "ok" for CS_R_OK. */
const char *cs_reason_name(enum cs_reason r);

#endif
