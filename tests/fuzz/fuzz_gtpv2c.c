/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: a GTPv2-C UDP payload, the first message and a piggybacked one. */
#include <stddef.h>
#include <stdint.h>

#include "decode_gtpv2c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t fold_fteids(const struct cs_gtpv2c_fteid *f, unsigned int n)
{
	uint32_t sum = 0;

	for (unsigned int i = 0; i < n; i++)
		sum += f[i].instance + f[i].iface + f[i].has_ipv4 + f[i].has_ipv6 + f[i].teid + f[i].ipv4 +
		       f[i].ipv6[0] + f[i].ipv6[15];
	return sum;
}

static uint32_t fold_cause(const struct cs_gtpv2c_cause *c)
{
	return c->value + c->flags + c->has_offending_ie + c->offending_type + c->offending_instance;
}

static uint32_t fold_plmn(const struct cs_gtpv2c_plmn *p)
{
	return p->mcc + p->mnc + p->mnc_digits;
}

static uint32_t fold_uli(const struct cs_gtpv2c_uli *u)
{
	return u->flags + fold_plmn(&u->cgi.plmn) + u->cgi.lac + u->cgi.ci + fold_plmn(&u->sai.plmn) + u->sai.lac +
	       u->sai.sac + fold_plmn(&u->rai.plmn) + u->rai.lac + u->rai.rac + fold_plmn(&u->tai.plmn) +
	       u->tai.tac + fold_plmn(&u->ecgi.plmn) + u->ecgi.eci + fold_plmn(&u->lai.plmn) + u->lai.lac +
	       fold_plmn(&u->macro_enb.plmn) + u->macro_enb.enb_id + fold_plmn(&u->ext_macro_enb.plmn) +
	       u->ext_macro_enb.enb_id + u->ext_macro_enb.smenb;
}

static uint32_t fold(const struct cs_gtpv2c_msg *m)
{
	uint32_t sum = m->type + m->piggybacked + m->has_teid + m->teid + m->seq + m->msg_len + m->ies_decoded +
		       m->present + (uint32_t)(m->imsi ^ m->msisdn ^ m->mei) + m->apn_len + m->rat_type +
		       m->pdn_type + m->recovery + m->lbi + fold_uli(&m->uli) + fold_plmn(&m->serving_network) +
		       m->paa.pdn_type + m->paa.ipv6_prefix_len + m->paa.ipv4 + m->paa.ipv6[0] + fold_cause(&m->cause) +
		       fold_fteids(m->fteid, m->fteid_count);

	for (unsigned int i = 0; i < m->apn_len; i++)
		sum += (uint8_t)m->apn[i];
	for (unsigned int i = 0; i < m->ebi_count; i++)
		sum += m->ebi[i];
	for (unsigned int i = 0; i < m->bearer_count; i++) {
		const struct cs_gtpv2c_bearer *b = &m->bearer[i];
		sum += b->instance + b->present + b->ebi + fold_cause(&b->cause) + fold_fteids(b->fteid, b->fteid_count);
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cs_gtpv2c_msg m;
	volatile uint32_t sink = 0;
	uint32_t len = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;

	/* At most one piggybacked message (TS 29.274 5.1): two decodes per payload. */
	for (int n = 0; n < 2 && len > 0; n++) {
		enum cs_reason r = cs_decode_gtpv2c(data, len, &m);
		sink += fold(&m) + (uint32_t)r;
		if (r != CS_R_OK || !m.piggybacked)
			break;
		data += m.msg_len;
		len -= m.msg_len;
	}
	(void)sink;
	return 0;
}
