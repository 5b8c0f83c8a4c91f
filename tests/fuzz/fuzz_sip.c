/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the SIP decoder. Every output is read (spans summed and
 * touched at both ends, numbers folded in) so a span or number pointing
 * outside the input shows up under ASan; an SMS body goes on to the RP
 * decoder, as the dataplane would send it.
 */
#include <stddef.h>
#include <stdint.h>

#include "decode_sip.h"
#include "decode_sms.h"

static volatile uint64_t sink;

static uint64_t touch(struct cs_sip_span s)
{
	return s.len == 0 ? 0 : s.len + (unsigned char)s.p[0] + (unsigned char)s.p[s.len - 1];
}

static uint64_t party(const struct cs_sip_party *p)
{
	return touch(p->user) ^ p->number;
}

static uint64_t sms(struct cs_sip_span body, const struct cs_e164_conf *numbers)
{
	struct cs_sms m;
	uint64_t acc;

	if (cs_decode_sms_rp((const uint8_t *)body.p, body.len, numbers, &m) != CS_R_OK)
		return 0;
	acc = m.rp_mti + m.rp_mr + m.tp_kind + m.tp_address.number + m.tp_address.len + m.rp_originator.number;
	for (unsigned int i = 0; i < m.tp_ud_len; i++)
		acc += m.tp_ud[i];
	return acc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_e164_conf numbers;
	struct cs_sip_msg m;
	uint64_t acc;
	enum cs_reason r;

	if (size > UINT32_MAX || cs_e164_conf_init(&numbers, "86", "0", "00") != 0)
		return 0;
	r = cs_decode_sip(data, (uint32_t)size, &numbers, &m);
	if (r != CS_R_OK && r != CS_R_SIP_BODY_TRUNCATED)
		return 0;
	acc = m.is_request + m.method + touch(m.method_name) + m.status_code + party(&m.request_uri) +
	      party(&m.from) + party(&m.to) + party(&m.asserted) + touch(m.from_tag) + touch(m.to_tag) +
	      touch(m.call_id) + m.cseq + m.cseq_method + m.imsi + touch(m.content_type) + m.body_kind +
	      m.has_content_length + m.content_length + m.skipped + m.header_len + m.msg_len + touch(m.body);
	if (m.body_kind == CS_SIP_BODY_SMS)
		acc += sms(m.body, &numbers);
	sink = acc;
	return 0;
}
