/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live mode: `cdrsentry [EAL args] -- --config FILE`. EAL takes the ports
 * (PCI NICs, net_af_packet on a mirror interface, any vdev) and lcores
 * from its own arguments; the configuration says which ports, how many
 * RX queues, which lcores work, and where records go. The main lcore
 * receives and decodes; SIGTERM or SIGINT makes it drain what the queues
 * hold, the workers finish their records, export flushes every sink, and
 * the process exits 0.
 */
#include "live.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "cli.h"
#include "config.h"
#include "config_apply.h"
#include "reload.h"
#include "rule_set.h"
#include "run_report.h"
#include "run_result.h"

enum { CS_STATS_MAX = 131072, CS_ERR_MAX = 8192 };

static volatile int stop_requested, reload_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_reload_signal(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static void usage(FILE *out)
{
	fputs("usage: cdrsentry [EAL options] -- --config FILE\n"
	      "       cdrsentry --check-config FILE\n"
	      "       cdrsentry replay [options] CAPTURE...   (cdrsentry replay --help)\n"
	      "\n"
	      "Live mode reads the ports EAL probed (or those the configuration names) until\n"
	      "SIGTERM or SIGINT, then drains, flushes every sink and exits 0.\n",
	      out);
}

static int parse(int argc, char **argv, const char **config_path)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*config_path = NULL;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': *config_path = optarg; break;
		case 'h': usage(stdout); return 1;
		case ':': fprintf(stderr, "cdrsentry: %s needs a value\n", argv[optind - 1]); return -1;
		default: fprintf(stderr, "cdrsentry: unknown option '%s'\n", argv[optind - 1]); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "cdrsentry: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (*config_path == NULL) {
		fprintf(stderr, "cdrsentry: live mode needs --config FILE (see config/cdrsentry.yaml)\n");
		return -1;
	}
	return 0;
}

/* Ports: those the configuration names, else every port EAL probed. */
static int choose_ports(const struct cs_config *c, struct cs_pipeline_conf *pc)
{
	uint16_t port;

	if (c->nports > 0) {
		for (unsigned int i = 0; i < c->nports; i++) {
			if (!rte_eth_dev_is_valid_port(c->ports[i])) {
				fprintf(stderr, "cdrsentry: %s: input.ports: port %u does not exist (EAL probed %u)\n",
					c->source, c->ports[i], rte_eth_dev_count_avail());
				return -1;
			}
			pc->port_id[pc->nports++] = c->ports[i];
		}
		return 0;
	}
	RTE_ETH_FOREACH_DEV(port) {
		if (pc->nports == CS_MAX_PORTS)
			break;
		pc->port_id[pc->nports++] = port;
	}
	if (pc->nports == 0) {
		fprintf(stderr, "cdrsentry: no port to read: give EAL a NIC (-a PCI) or a vdev (--vdev)\n");
		return -1;
	}
	return 0;
}

/*
 * Lcores: RX 0 is the main lcore (it also owns GTP-C and writes the session
 * directory); further RX lcores and the workers are the configured ones,
 * else one RX lcore and every other lcore EAL was given as a worker.
 */
static int choose_lcores(const struct cs_config *c, struct cs_pipeline_conf *pc)
{
	pc->nrx = 1;
	if (c->n_rx_lcores > 0) {
		if (c->rx_lcores[0] != rte_get_main_lcore()) {
			fprintf(stderr, "cdrsentry: %s: lcores.rx: the first RX lcore must be EAL's main lcore (%u), "
				"which owns GTP-C\n", c->source, rte_get_main_lcore());
			return -1;
		}
		if (c->n_rx_lcores > CS_MAX_RX_LCORES) {
			fprintf(stderr, "cdrsentry: %s: lcores.rx: at most %d RX lcores\n", c->source, CS_MAX_RX_LCORES);
			return -1;
		}
		pc->nrx = c->n_rx_lcores;
		for (unsigned int r = 0; r < c->n_rx_lcores; r++)
			pc->rx_lcores[r] = c->rx_lcores[r];
	}
	if (c->n_worker_lcores > 0) {
		pc->nworkers = c->n_worker_lcores;
		for (unsigned int w = 0; w < c->n_worker_lcores && w < CS_MAX_WORKERS; w++)
			pc->worker_lcores[w] = c->worker_lcores[w];
	} else {
		pc->nworkers = rte_lcore_count() - pc->nrx;
	}
	if (pc->nworkers == 0 || pc->nworkers > CS_MAX_WORKERS) {
		fprintf(stderr, "cdrsentry: live mode needs 1 to %d worker lcores besides the RX ones; EAL has %u lcores\n",
			CS_MAX_WORKERS, rte_lcore_count());
		return -1;
	}
	return 0;
}

int cs_live_main(int argc, char **argv)
{
	static struct cs_config config;
	static char err[CS_ERR_MAX], stats[CS_STATS_MAX];
	struct cs_pipeline_conf pc;
	struct cs_export_conf xc;
	struct cs_pipeline_result result;
	struct cs_export_stats exported = { 0 };
	const char *config_path;

	int consumed = rte_eal_init(argc, argv);
	if (consumed < 0) {
		fprintf(stderr, "cdrsentry: DPDK EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return CS_EXIT_RUNTIME;
	}
	argv[consumed] = argv[0];
	int rc = parse(argc - consumed, argv + consumed, &config_path);
	static struct cs_rule_set *rules; /* static: still reachable on the early exits below */
	if (rc == 0) {
		cs_config_defaults(&config);
		if (cs_config_load(config_path, &config, err, sizeof(err)) != 0 ||
		    (rules = cs_rule_set_load(&config, err, sizeof(err))) == NULL) {
			fprintf(stderr, "%scdrsentry: %s: configuration refused\n", err, config_path);
			rc = -1;
		}
	}
	cs_config_to_pipeline(&config, &pc);
	pc.rules = rules;
	if (rc != 0 || choose_ports(&config, &pc) != 0 || choose_lcores(&config, &pc) != 0) {
		rte_eal_cleanup();
		return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
	}
	pc.stop = &stop_requested;
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct sigaction hup = { .sa_handler = on_reload_signal };
	sigemptyset(&hup.sa_mask);
	sigaction(SIGHUP, &hup, NULL);

	cs_config_to_export(&config, &xc);
	fprintf(stderr,
		"cdrsentry: live on %u port(s), %u RX queue(s) each, %u RX lcore(s), %u worker(s); SIGTERM drains and stops, SIGHUP reloads the rules\n",
		pc.nports, pc.rx_queues, pc.nrx, pc.nworkers);
	struct cs_long_memory_conf lc;
	static struct cs_long_memory_stats stored;
	cs_config_to_long_memory(&config, NULL, &lc);
	const struct cs_reload_conf reload = {
		.path = config_path, .requested = &reload_requested, .running = &config, .rules = &rules,
	};
	const struct cs_run_extras extras = { .state = &lc, .stored = &stored, .reload = &reload };
	rc = cs_run_pipeline(&pc, &xc, &extras, &result, &exported, err, sizeof(err));
	rte_eal_cleanup();
	cs_rule_set_free(rules);
	rules = NULL;
	if (rc != CS_EXIT_OK)
		fprintf(stderr, "cdrsentry: %s\n", err);
	if (rc == CS_EXIT_RUNTIME || rc == CS_EXIT_USAGE)
		return rc;

	const struct cs_run_report r = {
		.probe_id = config.probe_id,
		.result = &result,
		.exported = &exported,
		.stored = config.state_dir[0] != '\0' ? &stored : NULL,
	};
	int len = cs_run_report_stats(&r, stats, sizeof(stats));
	if (len > 0 && xc.out_dir != NULL && cs_write_file(xc.out_dir, "stats.json", stats, (size_t)len, err, sizeof(err)))
		fprintf(stderr, "cdrsentry: %s\n", err);
	fprintf(stderr, "cdrsentry: stopped after %llu packets: %llu session, %llu call, %llu sms records\n",
		(unsigned long long)result.decode.frames, (unsigned long long)exported.sessions,
		(unsigned long long)exported.calls, (unsigned long long)exported.sms);
	return rc;
}
