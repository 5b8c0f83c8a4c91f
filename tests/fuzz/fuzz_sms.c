/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the SMS-over-IP RP/TP decoder: the input is an RP
 * message, as the body of a SIP MESSAGE. Every output is read, the user
 * data byte by byte, so a pointer or length outside the input shows up
 * under ASan.
 */
#include <stddef.h>
#include <stdint.h>

#include "decode_sms.h"

static volatile uint64_t sink;

static uint64_t address(const struct cs_sms_address *a)
{
	uint64_t acc = a->number + a->ton + a->npi + a->len;

	for (unsigned int i = 0; i < a->len; i++)
		acc += (unsigned char)a->text[i];
	return acc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_e164_conf numbers;
	struct cs_sms m;
	uint64_t acc;

	if (size > UINT32_MAX || cs_e164_conf_init(&numbers, "86", "0", "00") != 0)
		return 0;
	if (cs_decode_sms_rp(data, (uint32_t)size, &numbers, &m) != CS_R_OK)
		return 0;
	acc = m.rp_mti + m.direction + m.rp_mr + address(&m.rp_originator) + address(&m.rp_destination) +
	      m.rp_cause + m.rp_user_data_len + m.tp_kind + m.tp_first_octet + m.tp_mr + address(&m.tp_address) +
	      m.tp_pid + m.tp_dcs + m.alphabet + m.vp_format + m.vp_minutes + m.scts.year + m.scts.month +
	      m.scts.day + m.scts.hour + m.scts.minute + m.scts.second + (uint64_t)(m.scts.tz_quarters + 128) +
	      m.scts.valid + m.udhi + m.tp_udl + m.tp_ud_len;
	for (unsigned int i = 0; i < 7; i++)
		acc += m.vp[i];
	for (unsigned int i = 0; i < m.tp_ud_len; i++)
		acc += m.tp_ud[i];
	sink = acc;
	return 0;
}
