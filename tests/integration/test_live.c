/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live mode, as a probe runs it: `cdrsentry [EAL args] -- --config FILE`
 * on a port (here a net_pcap vdev over the bundled sample, standing in
 * for a mirror NIC) until SIGTERM, then a drain that loses nothing: every
 * record of the traffic it received is in the sink when it exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "run.h"

static char dir[CS_TEMP_DIR_LEN];

static void make_dir(void)
{
	cs_temp_dir(dir, "live");
}

static void remove_dir(void)
{
	cs_remove_tree(dir);
}

TestSuite(live, .init = make_dir, .fini = remove_dir);

static void write_config(const char *path, const char *extra)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "probe_id: live-test\nexport:\n  out_dir: %s\n%s", dir, extra);
	cr_assert_eq(fclose(f), 0);
}

static void sleep_ms(long ms)
{
	const struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };
	nanosleep(&t, NULL);
}

/*
 * cdrsentry live with config on two lcores, its port a net_pcap over the
 * sample (with vdev_extra after its arguments); stderr to err_path.
 */
static int spawn_live(const char *config, const char *tag, const char *err_path, const char *vdev_extra)
{
	char vdev[256], prefix[64], out[96];

	snprintf(vdev, sizeof(vdev), "net_pcap0,rx_pcap=%s%s", CS_SOURCE_PATH("tests/data/sample.pcap"), vdev_extra);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s-%ld", tag, (long)getpid());
	snprintf(out, sizeof(out), "%s/stdout", dir);
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "-l", "0,1", "--no-huge", "--no-pci", "--no-shconf",
			 "--no-telemetry", "-m", "512", prefix, "--vdev", vdev, "--log-level=warning", "--", "--config",
			 (char *)config, NULL };
	int pid = cs_spawn(argv, out, err_path);

	cr_assert_gt(pid, 0);
	return pid;
}

static int spawn_on_sample(const char *config, const char *tag, const char *err_path)
{
	return spawn_live(config, tag, err_path, "");
}

Test(live, runs_until_sigterm_then_drains_every_record, .timeout = 60)
{
	char config[96], err[96], cdr_path[96], stats_path[96];

	char state[160];

	snprintf(config, sizeof(config), "%s/probe.yaml", dir);
	snprintf(state, sizeof(state), "state:\n  dir: %s/state\n", dir);
	write_config(config, state);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	int pid = spawn_on_sample(config, "cs-live", err);

	/* the 14 sessions the capture deletes are written while it runs: wait for them */
	snprintf(cdr_path, sizeof(cdr_path), "%s/cdr.jsonl", dir);
	char *cdr = NULL;
	for (int waited = 0; waited < 200; waited++) {
		sleep_ms(100);
		free(cdr);
		cdr = cs_read_file(cdr_path, NULL);
		if (cdr != NULL && cs_count(cdr, "\"end_reason\":\"deleted\"") == 14)
			break;
	}
	cr_assert_eq(kill(pid, SIGTERM), 0);
	int status = cs_wait(pid);
	char *stderr_text = cs_read_file(err, NULL);
	cr_assert_eq(status, 0, "exit %d:\n%s", status, stderr_text);

	/* after the drain: the two sessions still open and every call are in the file too */
	free(cdr);
	cdr = cs_read_file(cdr_path, NULL);
	cr_assert_not_null(cdr);
	cr_expect_eq(cs_count(cdr, "{\"type\":\"session\","), 16);
	cr_expect_eq(cs_count(cdr, "\"end_reason\":\"deleted\""), 14);
	cr_expect_eq(cs_count(cdr, "\"end_reason\":\"end_of_input\""), 2);
	cr_expect_eq(cs_count(cdr, "{\"type\":\"call\","), 4);
	cr_expect_eq(cs_count(cdr, "\"probe_id\":\"live-test\""), 20);
	snprintf(stats_path, sizeof(stats_path), "%s/stats.json", dir);
	char *stats = cs_read_file(stats_path, NULL);
	cr_assert_not_null(stats, "stats.json written at exit");
	cr_expect(strstr(stats, "\"frames\":236,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"events_dropped\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stderr_text, "cdrsentry: stopped after 236 packets") != NULL, "%s", stderr_text);
	/* SIGTERM's drain leaves every subscriber's long memory in the store */
	cr_expect(strstr(stats, "\"state_store\":{\"restored\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"records_dropped\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"entries\":16}") != NULL, "%s", stats);
	free(stats);
	free(stderr_text);
	free(cdr);
}

/*
 * A mirror port's traffic never pauses: here the sample replayed without
 * end (infinite_rx). SIGTERM still stops the probe promptly, taking what
 * the queue held and no more, and the run's records and stats are written.
 */
Test(live, sigterm_stops_a_port_whose_traffic_never_pauses, .timeout = 60)
{
	char config[96], err[96], stats_path[96], cdr_path[96];

	snprintf(config, sizeof(config), "%s/probe.yaml", dir);
	write_config(config, "input:\n  event_time: arrival\n");
	snprintf(err, sizeof(err), "%s/stderr", dir);
	int pid = spawn_live(config, "cs-live-endless", err, ",infinite_rx=1");

	/* until the sample has gone round more than once: the calls' records pile up */
	snprintf(cdr_path, sizeof(cdr_path), "%s/cdr.jsonl", dir);
	for (int waited = 0; waited < 200; waited++) {
		sleep_ms(100);
		char *cdr = cs_read_file(cdr_path, NULL);
		int calls = cs_count(cdr, "{\"type\":\"call\",");
		free(cdr);
		if (calls > 8)
			break;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(kill(pid, SIGTERM), 0);
	int status = cs_wait(pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	char *stderr_text = cs_read_file(err, NULL);
	cr_assert_eq(status, 0, "exit %d:\n%s", status, stderr_text);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_expect_lt(took, 10.0, "SIGTERM to exit took %.1f s", took);
	snprintf(stats_path, sizeof(stats_path), "%s/stats.json", dir);
	char *stats = cs_read_file(stats_path, NULL);
	cr_assert_not_null(stats, "stats.json written at exit");
	cr_expect(strstr(stderr_text, "cdrsentry: stopped after ") != NULL, "%s", stderr_text);
	free(stats);
	free(stderr_text);
}

/*
 * Two RX lcores, one port each. The sample's GTP-C arrives on RX 1 and is
 * handed to RX 0, the directory's only writer; SIP is decoded where it
 * arrives. Nothing is lost on the way.
 */
Test(live, gtpc_on_another_rx_lcore_goes_to_the_directory_writer, .timeout = 60)
{
	char config[96], vdev0[256], vdev1[256], prefix[64], out[96], err[96], cdr_path[96], stats_path[96];

	snprintf(config, sizeof(config), "%s/probe.yaml", dir);
	write_config(config, "lcores:\n  rx: [0, 1]\n  workers: [2]\n");
	snprintf(vdev0, sizeof(vdev0), "net_pcap0,rx_pcap=%s", CS_SOURCE_PATH("tests/data/zeek-wireshark.pcap"));
	snprintf(vdev1, sizeof(vdev1), "net_pcap1,rx_pcap=%s", CS_SOURCE_PATH("tests/data/sample.pcap"));
	snprintf(prefix, sizeof(prefix), "--file-prefix=cs-live2-%ld", (long)getpid());
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	/* three lcores on however few CPUs the machine has */
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "--lcores=0@0,1@0,2@0", "--no-huge", "--no-pci",
			 "--no-shconf", "--no-telemetry", "-m", "512", prefix, "--vdev", vdev0, "--vdev", vdev1,
			 "--log-level=warning", "--", "--config", config, NULL };
	int pid = cs_spawn(argv, out, err);
	cr_assert_gt(pid, 0);
	snprintf(stats_path, sizeof(stats_path), "%s/cdr.jsonl", dir);
	char *cdr = NULL;
	for (int waited = 0; waited < 200; waited++) {
		sleep_ms(100);
		free(cdr);
		cdr = cs_read_file(stats_path, NULL);
		if (cdr != NULL && cs_count(cdr, "\"end_reason\":\"deleted\"") == 14)
			break;
	}
	free(cdr);
	cr_assert_eq(kill(pid, SIGTERM), 0);
	int status = cs_wait(pid);
	char *stderr_text = cs_read_file(err, NULL);
	cr_assert_eq(status, 0, "exit %d:\n%s", status, stderr_text);
	cr_expect(strstr(stderr_text, "2 RX lcore(s), 1 worker(s)") != NULL, "%s", stderr_text);

	snprintf(cdr_path, sizeof(cdr_path), "%s/cdr.jsonl", dir);
	cdr = cs_read_file(cdr_path, NULL);
	cr_assert_not_null(cdr);
	cr_expect_eq(cs_count(cdr, "{\"type\":\"session\","), 16, "every session, opened through the hand-off");
	cr_expect_eq(cs_count(cdr, "{\"type\":\"call\","), 8, "4 calls on each port");
	snprintf(stats_path, sizeof(stats_path), "%s/stats.json", dir);
	char *stats = cs_read_file(stats_path, NULL);
	cr_assert_not_null(stats);
	cr_expect(strstr(stats, "\"gtpc_handed_off\":92,") != NULL, "every GTP-C frame of port 1: %s", stats);
	cr_expect(strstr(stats, "\"gtpc_handoff_drops\":0,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"gtpv2c_messages\":92,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"frames\":317,") != NULL, "236 + 81 frames: %s", stats);
	free(stats);
	free(stderr_text);
	free(cdr);
}

Test(live, configuration_errors_name_file_line_and_key, .timeout = 30)
{
	char config[96];
	struct cs_run r;

	snprintf(config, sizeof(config), "%s/bad.yaml", dir);
	write_config(config, "capacity:\n  sesions: 10\n");
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "--check-config", config, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_expect_eq(r.status, 2);
	char want[160];
	snprintf(want, sizeof(want), "%s:5: capacity.sesions: unknown key", config);
	cr_expect(strstr(r.err, want) != NULL, "want %s in:\n%s", want, r.err);
	cs_run_free(&r);
}

Test(live, the_shipped_profile_is_valid, .timeout = 30)
{
	struct cs_run r;
	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "--check-config",
			 (char *)CS_SOURCE_PATH("config/cdrsentry.yaml"), NULL };

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "sessions: 1000000") != NULL, "%s", r.out);
	cs_run_free(&r);
}

/* Waits until the file at path holds needle (at most 10 s); returns its text (free it). */
static char *wait_for(const char *path, const char *needle)
{
	char *text = NULL;

	for (int waited = 0; waited < 100; waited++) {
		free(text);
		text = cs_read_file(path, NULL);
		if (text != NULL && strstr(text, needle) != NULL)
			break;
		sleep_ms(100);
	}
	return text;
}

/*
 * SIGHUP reloads the rules of a running probe: a file with a mistake is
 * refused with its line and key and the running rules stay; a good one is
 * taken by every worker without a packet lost, and a setting a reload
 * cannot apply is named.
 */
Test(live, sighup_reloads_the_rules_and_refuses_a_bad_file, .timeout = 60)
{
	char config[96], err[96], cdr_path[96], stats_path[96];

	snprintf(config, sizeof(config), "%s/probe.yaml", dir);
	write_config(config, "");
	snprintf(err, sizeof(err), "%s/stderr", dir);
	int pid = spawn_on_sample(config, "cs-live3", err);
	snprintf(cdr_path, sizeof(cdr_path), "%s/cdr.jsonl", dir);
	free(wait_for(cdr_path, "\"end_reason\":\"deleted\""));

	write_config(config, "rules:\n  sms.flood:\n    severity: urgent\n");
	cr_assert_eq(kill(pid, SIGHUP), 0);
	char *text = wait_for(err, "refused; the running rules stay");
	cr_expect(strstr(text, "probe.yaml:6: rules.sms.flood.severity: 'urgent' is not a known name") != NULL, "%s",
		  text);
	free(text);

	write_config(config, "rules:\n  sms.flood:\n    mo_sms: 50\ncapacity:\n  subscribers: 1000\n");
	cr_assert_eq(kill(pid, SIGHUP), 0);
	text = wait_for(err, "in force");
	cr_expect(strstr(text, "cdrsentry: reload: rules and number plans from ") != NULL, "%s", text);
	cr_expect(strstr(text, "settings other than rules and number_plans changed (first: '  subscribers: 1000')") !=
			  NULL,
		  "%s", text);
	free(text);

	cr_assert_eq(kill(pid, SIGTERM), 0);
	int status = cs_wait(pid);
	text = cs_read_file(err, NULL);
	cr_assert_eq(status, 0, "exit %d:\n%s", status, text);
	free(text);
	snprintf(stats_path, sizeof(stats_path), "%s/stats.json", dir);
	char *stats = cs_read_file(stats_path, NULL);
	cr_assert_not_null(stats);
	const char *reloads = strstr(stats, "\"rule_reloads\":");
	cr_assert_not_null(reloads, "%s", stats);
	cr_expect_eq(strtoull(reloads + strlen("\"rule_reloads\":"), NULL, 10), 1,
		     "the one worker took the good file only: %.60s", reloads);
	cr_expect(strstr(stats, "\"frames\":236,") != NULL, "%s", stats);
	cr_expect(strstr(stats, "\"events_dropped\":0,") != NULL, "%s", stats);
	free(stats);
}
