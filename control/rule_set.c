/* SPDX-License-Identifier: Apache-2.0 */
#include "rule_set.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "number_plan_file.h"

/* Loads one plan if the key names a file. Returns the problems found (0: *plan set or left NULL). */
static int load_plan(const struct cs_config *c, const char *key, const char *path, const struct cs_number_plan **plan,
		     char **err, size_t *errlen)
{
	struct cs_number_plan *p = NULL;

	if (path[0] == '\0')
		return 0;
	int problems = cs_number_plan_load(path, &p, NULL, 0);
	if (problems == 0) {
		*plan = p;
		return 0;
	}
	int n = snprintf(*err, *errlen, "%s: number_plans.%s: %d problem%s in %s:\n", c->source[0] ? c->source : "-",
			 key, problems, problems == 1 ? "" : "s", path);
	if (n > 0 && (size_t)n < *errlen) {
		*err += n;
		*errlen -= (size_t)n;
		cs_number_plan_load(path, &p, *err, *errlen);
		size_t used = strlen(*err);
		*err += used;
		*errlen -= used;
	}
	return problems;
}

struct cs_rule_set *cs_rule_set_load(const struct cs_config *c, char *err, size_t errlen)
{
	struct cs_rule_set *rs = cs_mem_alloc(sizeof(*rs));
	int problems = 0;

	memset(rs, 0, sizeof(*rs));
	rs->conf = c->rules;
	rs->country_code = cs_digits_from_ascii(c->country_code, strlen(c->country_code));
	if (errlen > 0)
		err[0] = '\0';
	problems += load_plan(c, "iot", c->plan_iot, &rs->iot, &err, &errlen);
	problems += load_plan(c, "risky", c->plan_risky, &rs->risky, &err, &errlen);
	problems += load_plan(c, "shortcodes", c->plan_shortcodes, &rs->shortcodes, &err, &errlen);
	problems += load_plan(c, "handset_tacs", c->plan_handset_tacs, &rs->handset_tacs, &err, &errlen);
	problems += load_plan(c, "gateway_tacs", c->plan_gateway_tacs, &rs->gateway_tacs, &err, &errlen);
	if (problems != 0) {
		cs_rule_set_free(rs);
		return NULL;
	}
	return rs;
}

void cs_rule_set_free(struct cs_rule_set *rs)
{
	if (rs == NULL)
		return;
	cs_number_plan_free((struct cs_number_plan *)rs->iot);
	cs_number_plan_free((struct cs_number_plan *)rs->risky);
	cs_number_plan_free((struct cs_number_plan *)rs->shortcodes);
	cs_number_plan_free((struct cs_number_plan *)rs->handset_tacs);
	cs_number_plan_free((struct cs_number_plan *)rs->gateway_tacs);
	cs_mem_free(rs);
}
