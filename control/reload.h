/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RELOAD_H
#define CS_RELOAD_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "rule_check.h"

struct cs_pipeline;

/*
 * Reloading the rules of a running probe (live mode, on SIGHUP): a
 * control thread notices the request, loads the configuration file
 * again, and when it is valid (number plans included) swaps the workers'
 * rule set without stopping them: each takes the new one between two
 * bursts (cs_pipeline_offer_rules), and the old one is freed once all
 * have. Nothing is dropped: packets keep flowing through the swap, and
 * rule memory (cooldowns, wake-ups) carries over.
 *
 * Only the rules and the number plans change at a reload. Any other
 * setting that differs (capacities, ports, topics...) is named in the log
 * and waits for the next start. A file with problems is refused whole,
 * with its problems logged, and the running rules stay.
 */
struct cs_reload_conf {
	const char *path;              /* the configuration file to load again */
	volatile int *requested;       /* set by the signal handler, cleared here */
	struct cs_config *running;     /* the configuration in force; its rules and plans follow reloads */
	struct cs_rule_set **rules;    /* the rule set in force; a reload replaces (and frees) it */
};

struct cs_reloader;

/* Starts the thread watching conf->requested. NULL with err on failure. */
struct cs_reloader *cs_reloader_start(const struct cs_reload_conf *conf, struct cs_pipeline *p, char *err,
				      size_t errlen);
/* Stops the thread (before the pipeline is freed). */
void cs_reloader_stop(struct cs_reloader *r);

/*
 * One reload, as the thread does it (tests call it directly). Returns 0
 * when the new rules are in force, -1 when the file was refused or the
 * workers did not take the new set in time; log gets what happened.
 */
int cs_reload_now(const struct cs_reload_conf *conf, struct cs_pipeline *p, FILE *log);

#endif
