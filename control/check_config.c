/* SPDX-License-Identifier: Apache-2.0 */
#include "check_config.h"

#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "rule_set.h"

enum { CS_ERR_MAX = 8192 };

int cs_check_config_main(const char *path)
{
	static struct cs_config config;
	static char err[CS_ERR_MAX];

	cs_config_defaults(&config);
	if (cs_config_load(path, &config, err, sizeof(err)) != 0) {
		fprintf(stderr, "%scdrsentry: %s: configuration refused\n", err, path);
		return CS_EXIT_USAGE;
	}
	/* the number plans are part of the configuration: read and checked too */
	struct cs_rule_set *rules = cs_rule_set_load(&config, err, sizeof(err));
	if (rules == NULL) {
		fprintf(stderr, "%scdrsentry: %s: configuration refused\n", err, path);
		return CS_EXIT_USAGE;
	}
	cs_rule_set_free(rules);
	cs_config_print(&config, stdout);
	return CS_EXIT_OK;
}
