/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_reason.h"

static const char *const reason_names[CS_R_COUNT] = {
	[CS_R_OK] = "ok",
#define CS_REASON_NAME(proto, reason, name) [CS_R_##proto##_##reason] = name,
	CS_DECODE_REASONS(CS_REASON_NAME)
#undef CS_REASON_NAME
};

const char *cs_reason_name(enum cs_reason r)
{
	return (unsigned int)r < CS_R_COUNT ? reason_names[r] : "unknown";
}
