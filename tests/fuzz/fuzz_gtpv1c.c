/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: one GTPv1-C message (UDP payload), every output field read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode_gtpv1c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t sum_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += b[i];
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_gtpv1c_msg m;
	volatile uint64_t sink = 0;

	if (size > UINT32_MAX)
		return 0;
	enum cs_reason r = cs_decode_gtpv1c(data, (uint32_t)size, &m);
	sink += (uint64_t)r + m.type + m.ies_decoded + m.seq + m.teid + m.present;
	sink += m.imsi ^ m.msisdn ^ m.imeisv;
	sink += m.rat_type + m.nsapi + m.cause + m.recovery + m.teid_data + m.teid_cp + m.charging_id;
	sink += m.rai.plmn.mcc + m.rai.plmn.mnc + m.rai.plmn.mnc_digits + m.rai.lac + m.rai.rac;
	sink += m.uli.type + m.uli.plmn.mcc + m.uli.plmn.mnc + m.uli.lac + m.uli.ci + m.uli.sac + m.uli.rac;
	sink += m.eua.pdp_org + m.eua.pdp_type + m.eua.has_ipv4 + m.eua.has_ipv6;
	sink += sum_bytes(m.eua.ipv4, sizeof(m.eua.ipv4)) + sum_bytes(m.eua.ipv6, sizeof(m.eua.ipv6));
	sink += m.gsn_cp.is_ipv6 + sum_bytes(m.gsn_cp.addr, sizeof(m.gsn_cp.addr));
	sink += m.gsn_up.is_ipv6 + sum_bytes(m.gsn_up.addr, sizeof(m.gsn_up.addr));
	if (r == CS_R_OK && (m.present & CS_GTPV1C_HAS_APN)) {
		if (m.apn_len >= CS_GTPV1C_APN_MAX || m.apn[m.apn_len] != '\0')
			abort(); /* the dotted APN must fit its buffer, terminated */
		sink += sum_bytes(m.apn, m.apn_len);
	}
	(void)sink;
	return 0;
}
