/* SPDX-License-Identifier: Apache-2.0 */
#include "rule_memory.h"

uint64_t cs_rule_memory_key(enum cs_rule_subject kind, uint64_t subject)
{
	switch (kind) {
	case CS_SUBJECT_DEVICE: return subject ^ 0x1u;
	case CS_SUBJECT_BLOCK: return subject ^ 0x2u;
	default: return subject;
	}
}

bool cs_rule_memory_fire(struct cs_rule_memory *m, enum cs_rule r, const struct cs_rule_common *c, uint32_t now_s,
			 struct cs_fire *out)
{
	uint32_t last = m->fired_s[r];

	if (now_s == 0)
		now_s = 1; /* 0 means "never" */
	/* an event older than the last anomaly is within its cooldown too */
	if (last != 0 && (now_s < last || now_s - last < c->cooldown_s))
		return false;
	bool continuing = last != 0 && (uint64_t)now_s - last <= 2ull * c->cooldown_s;
	unsigned int occurrence = continuing ? m->occurrence[r] + 1u : 1u;
	if (occurrence > UINT8_MAX)
		occurrence = UINT8_MAX;
	unsigned int severity = c->severity + occurrence - 1u;

	m->fired_s[r] = now_s;
	m->occurrence[r] = (uint8_t)occurrence;
	*out = (struct cs_fire){
		.severity = (uint8_t)(severity < CS_SEV_CRITICAL ? severity : CS_SEV_CRITICAL),
		.occurrence = (uint8_t)occurrence,
	};
	return true;
}

uint32_t cs_rule_memory_score(const struct cs_rule_memory *m, const struct cs_rules_conf *conf, uint32_t now_s)
{
	uint32_t score = 0;

	if (now_s == 0)
		now_s = 1; /* as cs_rule_memory_fire stores an anomaly at 0 */
	for (unsigned int r = 0; r < CS_RULES; r++) {
		uint32_t at = m->fired_s[r];
		if (at != 0 && now_s >= at && now_s - at < conf->rule[r].cooldown_s)
			score += conf->rule[r].weight;
	}
	return score;
}

/* The number's value, for numbers of up to 16 digits (cs_digits keeps one per nibble). */
static uint64_t value_of(cs_digits d, unsigned int *len)
{
	uint64_t v = 0;
	unsigned int n = 0;

	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned int nibble = (unsigned int)(d >> shift) & 0xf;
		if (nibble > 9)
			break;
		v = v * 10 + nibble;
		n++;
	}
	*len = n;
	return v;
}

uint32_t cs_rule_memory_on_callee(struct cs_rule_memory *m, cs_digits callee, uint32_t max_step, uint64_t *step)
{
	unsigned int len, last_len;
	uint64_t v = value_of(callee, &len);
	uint64_t last = value_of(m->last_callee, &last_len);
	int64_t d = (int64_t)(v - last);
	uint64_t size = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;

	if (m->last_callee == 0 || len == 0 || len != last_len || size == 0 || size > max_step) {
		m->sequential_run = 1;
		m->callee_step = 0;
	} else if (d == m->callee_step && m->sequential_run > 1) {
		if (m->sequential_run < UINT16_MAX)
			m->sequential_run++;
	} else {
		m->sequential_run = 2; /* two numbers make a step */
		m->callee_step = d;
	}
	m->last_callee = callee;
	*step = m->sequential_run > 1 ? size : 0; /* no run, no step */
	return m->sequential_run;
}
