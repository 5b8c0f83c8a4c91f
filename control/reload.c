/* SPDX-License-Identifier: Apache-2.0 */
#include "reload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "mem.h"
#include "pipeline.h"
#include "rule_set.h"

enum { RELOAD_ERR_MAX = 16384 };

/* How often the thread looks at the flag, and how long workers get to take a new set. */
static const long POLL_NS = 100000000;
static const int TAKE_TIMEOUT_MS = 10000;

struct cs_reloader {
	struct cs_reload_conf conf;
	struct cs_pipeline *p;
	pthread_t thread;
	int stop; /* atomic: set by cs_reloader_stop */
};

/* The printed form of c with its rules and plans as other's: what a reload cannot apply. */
static char *printed_without_rules(const struct cs_config *c, const struct cs_config *other)
{
	struct cs_config *copy = cs_mem_alloc(sizeof(*copy));
	char *text = NULL;
	size_t len;

	*copy = *c;
	copy->rules = other->rules;
	memcpy(copy->plan_iot, other->plan_iot, sizeof(copy->plan_iot));
	memcpy(copy->plan_risky, other->plan_risky, sizeof(copy->plan_risky));
	memcpy(copy->plan_shortcodes, other->plan_shortcodes, sizeof(copy->plan_shortcodes));
	memcpy(copy->plan_handset_tacs, other->plan_handset_tacs, sizeof(copy->plan_handset_tacs));
	memcpy(copy->plan_gateway_tacs, other->plan_gateway_tacs, sizeof(copy->plan_gateway_tacs));
	FILE *f = open_memstream(&text, &len);
	if (f != NULL) {
		cs_config_print(copy, f);
		fclose(f);
	}
	cs_mem_free(copy);
	return text;
}

/* Names the first line that differs outside rules and plans: those settings wait for a restart. */
static void report_restart_settings(const struct cs_config *fresh, const struct cs_config *running, FILE *log)
{
	char *a = printed_without_rules(fresh, running), *b = printed_without_rules(running, running);

	if (a != NULL && b != NULL && strcmp(a, b) != 0) {
		/* skip the first line: it names the file */
		const char *x = strchr(a, '\n'), *y = strchr(b, '\n');
		while (x != NULL && y != NULL) {
			const char *xe = strchr(x + 1, '\n'), *ye = strchr(y + 1, '\n');
			if (xe == NULL || ye == NULL || xe - x != ye - y || memcmp(x, y, (size_t)(xe - x)) != 0) {
				fprintf(log, "cdrsentry: reload: settings other than rules and number_plans changed "
					"(first: '%.*s'); they take effect at the next start\n",
					xe != NULL ? (int)(xe - x - 1) : 0, x + 1);
				break;
			}
			x = xe;
			y = ye;
		}
	}
	free(a);
	free(b);
}

int cs_reload_now(const struct cs_reload_conf *conf, struct cs_pipeline *p, FILE *log)
{
	struct cs_config *fresh = cs_mem_alloc(sizeof(*fresh));
	char *err = cs_mem_alloc(RELOAD_ERR_MAX);
	struct cs_rule_set *rules = NULL;
	int rc = -1;

	if (cs_config_load(conf->path, fresh, err, RELOAD_ERR_MAX) != 0 ||
	    (rules = cs_rule_set_load(fresh, err, RELOAD_ERR_MAX)) == NULL) {
		fprintf(log, "%scdrsentry: reload: %s refused; the running rules stay\n", err, conf->path);
		goto out;
	}
	report_restart_settings(fresh, conf->running, log);
	cs_pipeline_offer_rules(p, rules);
	for (int waited = 0; !cs_pipeline_rules_taken(p, rules); waited++) {
		if (waited == TAKE_TIMEOUT_MS) {
			/* a worker that never takes it may still read the old set: keep both, swap back */
			cs_pipeline_offer_rules(p, *conf->rules);
			fprintf(log, "cdrsentry: reload: the workers did not take the new rules within %d ms; "
				"the running rules stay\n", TAKE_TIMEOUT_MS);
			rules = NULL; /* possibly read by a worker: never freed */
			goto out;
		}
		const struct timespec ms = { .tv_nsec = 1000000 };
		nanosleep(&ms, NULL);
	}
	cs_rule_set_free(*conf->rules);
	*conf->rules = rules;
	rules = NULL;
	conf->running->rules = fresh->rules;
	memcpy(conf->running->plan_iot, fresh->plan_iot, sizeof(fresh->plan_iot));
	memcpy(conf->running->plan_risky, fresh->plan_risky, sizeof(fresh->plan_risky));
	memcpy(conf->running->plan_shortcodes, fresh->plan_shortcodes, sizeof(fresh->plan_shortcodes));
	memcpy(conf->running->plan_handset_tacs, fresh->plan_handset_tacs, sizeof(fresh->plan_handset_tacs));
	memcpy(conf->running->plan_gateway_tacs, fresh->plan_gateway_tacs, sizeof(fresh->plan_gateway_tacs));
	fprintf(log, "cdrsentry: reload: rules and number plans from %s in force\n", conf->path);
	rc = 0;
out:
	cs_rule_set_free(rules);
	cs_mem_free(err);
	cs_mem_free(fresh);
	return rc;
}

static void *watch(void *arg)
{
	struct cs_reloader *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_exchange_n(r->conf.requested, 0, __ATOMIC_ACQ_REL))
			cs_reload_now(&r->conf, r->p, stderr);
		const struct timespec poll = { .tv_nsec = POLL_NS };
		nanosleep(&poll, NULL);
	}
	return NULL;
}

struct cs_reloader *cs_reloader_start(const struct cs_reload_conf *conf, struct cs_pipeline *p, char *err,
				      size_t errlen)
{
	struct cs_reloader *r = cs_mem_alloc(sizeof(*r));

	*r = (struct cs_reloader){ .conf = *conf, .p = p };
	int rc = rte_ctrl_thread_create(&r->thread, "cs-reload", NULL, watch, r);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the reload thread: %s", strerror(rc));
		cs_mem_free(r);
		return NULL;
	}
	return r;
}

void cs_reloader_stop(struct cs_reloader *r)
{
	if (r == NULL)
		return;
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
	cs_mem_free(r);
}
