/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The generator's acceptance (issue 6): a small labelled population of
 * every class over a day, from cdrsentry-gen --population, replayed
 * through `cdrsentry replay` with the built-in rule defaults and the
 * shipped number plans. Every abnormal class must get at least one
 * anomaly of one of its expected rules naming one of its members, and no
 * anomaly may name a normal subscriber (its IMSI, number or IMEI). This is
 * what makes the labels trustworthy ground truth for the benchmark
 * harness: a normal class that looked abnormal to the defaults, or an
 * abnormal one they cannot see, would make its scores meaningless.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "population.h"
#include "run.h"

static char out_dir[CS_TEMP_DIR_LEN];

static void make_out_dir(void)
{
	cs_temp_dir(out_dir, "popverdicts");
}

static void remove_out_dir(void)
{
	cs_remove_tree(out_dir);
}

TestSuite(population_verdicts, .init = make_out_dir, .fini = remove_out_dir);

/* The lines of text holding both needles (b may be NULL). */
static int lines_with(const char *text, const char *a, const char *b)
{
	int n = 0;

	for (const char *line = text; *line != '\0';) {
		size_t len = strcspn(line, "\n");
		n += memmem(line, len, a, strlen(a)) != NULL && (b == NULL || memmem(line, len, b, strlen(b)) != NULL);
		line += len + (line[len] == '\n');
	}
	return n;
}

/* One labels line split in place: imsi, msisdn, imei, class, onset, expected_rules, group. */
struct label {
	char *f[7];
};

/* Whether some anomaly of one of the label's expected rules names it (IMSI, number or IMEI). */
static bool flagged(const char *anomalies, const struct label *l)
{
	char rules[128], rule[64];

	snprintf(rules, sizeof(rules), "%s", l->f[5]);
	for (char *save = NULL, *r = strtok_r(rules, ";", &save); r != NULL; r = strtok_r(NULL, ";", &save)) {
		snprintf(rule, sizeof(rule), "\"rule\":\"%s\"", r);
		for (int k = 0; k < 3; k++)
			if (lines_with(anomalies, l->f[k], rule) > 0)
				return true;
	}
	return false;
}

Test(population_verdicts, every_abnormal_class_is_flagged_and_no_normal_subscriber, .timeout = 150)
{
	char pcap[128], labels_path[128], anomalies_path[128];

	snprintf(pcap, sizeof(pcap), "%s/population.pcap", out_dir);
	snprintf(labels_path, sizeof(labels_path), "%s/labels.csv", out_dir);
	snprintf(anomalies_path, sizeof(anomalies_path), "%s/anomalies.jsonl", out_dir);
	char *gen[] = { (char *)cs_env("CDRSENTRY_GEN"), "--population", "--seed", "11", "--days", "1",
			"--normal", "300", "--heavy", "30", "--iot", "60", "--simbox-gateways", "2", "--simbox-sims",
			"8", "--spammers", "4", "--code-receivers", "4", "--sleepers", "4", "--batches", "2",
			"--batch-size", "24", "--iot-misuse", "4", "--out", pcap, "--labels", labels_path, NULL };
	cs_run_ok(gen);
	char *replay[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--probe-id", "population", "--config",
			   (char *)CS_SOURCE_PATH("tests/data/config/shipped-plans.yaml"), "--out", out_dir, pcap,
			   NULL };
	cs_run_ok(replay);

	/*
	 * The links decode: a quarter of the sites' S1-U is VLAN-tagged and a
	 * fifth of the handsets' data is IPv6; every G-PDU finds its subscriber
	 * (a tag the probe could not see through would leave a quarter without).
	 */
	char stats_path[160];
	snprintf(stats_path, sizeof(stats_path), "%s/stats.json", out_dir);
	char *stats = cs_read_file(stats_path, NULL);
	cr_assert_not_null(stats);
	cr_expect(strstr(stats, "\"gtpu_teid_misses\":0,") != NULL, "%.600s", stats);
	cr_expect(strstr(stats, "\"gtpu_gpdu\":0,") == NULL, "%.600s", stats);
	cr_expect(strstr(stats, "\"vlan.truncated\":0,") != NULL, "%.600s", stats);
	free(stats);

	char *labels = cs_read_file(labels_path, NULL), *anomalies = cs_read_file(anomalies_path, NULL);
	cr_assert(labels != NULL && anomalies != NULL);
	unsigned int members[CS_POP_NCLASSES] = { 0 }, hits[CS_POP_NCLASSES] = { 0 };
	char *save = NULL;
	strtok_r(labels, "\n", &save); /* the header */
	for (char *line = strtok_r(NULL, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct label l;
		char *p = line;
		int n = 0;
		for (; n < 7; n++) {
			l.f[n] = p;
			p = strchr(p, ',');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		cr_assert_eq(n, 6, "seven fields: %s", line);
		unsigned int cls = 0;
		while (cls < CS_POP_NCLASSES && strcmp(cs_pop_class_name((enum cs_pop_class)cls), l.f[3]) != 0)
			cls++;
		cr_assert_lt(cls, CS_POP_NCLASSES, "class %s", l.f[3]);
		members[cls]++;
		if (l.f[5][0] == '\0') {
			/* normal: in no anomaly at all, as subscriber, device or number-block member */
			for (int k = 0; k < 3; k++)
				cr_expect_eq(lines_with(anomalies, l.f[k], NULL), 0, "%s %s named:\n%s", l.f[3], l.f[k],
					     anomalies);
			continue;
		}
		cr_expect_neq(l.f[4][0], '\0', "%s %s has an onset", l.f[3], l.f[0]);
		hits[cls] += flagged(anomalies, &l);
	}
	for (unsigned int cls = 0; cls < CS_POP_NCLASSES; cls++) {
		cr_expect_gt(members[cls], 0, "class %s generated", cs_pop_class_name((enum cs_pop_class)cls));
		if (cs_pop_class_rules((enum cs_pop_class)cls)[0] != '\0')
			cr_expect_gt(hits[cls], 0, "class %s: none of its %u flagged by %s", cs_pop_class_name(cls),
				     members[cls], cs_pop_class_rules(cls));
		cr_log_info("%s: %u of %u flagged", cs_pop_class_name(cls), hits[cls], members[cls]);
	}
	free(labels);
	free(anomalies);
}
