/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RULE_SET_H
#define CS_RULE_SET_H

#include <stddef.h>

#include "config.h"
#include "rule_check.h"

/*
 * The rules a probe runs with (rule_check.h): the configuration's rule
 * parameters and the number plans it names (absolute paths). The
 * configuration loader has checked the plan files already; they are read
 * again here, so a file changed in between is caught too.
 *
 * Returns the rule set, or NULL with every problem in err: the plan
 * files' own ("FILE:LINE: what is wrong"), each after a line naming the
 * configuration key that points to it.
 */
struct cs_rule_set *cs_rule_set_load(const struct cs_config *c, char *err, size_t errlen);
void cs_rule_set_free(struct cs_rule_set *rs);

#endif
