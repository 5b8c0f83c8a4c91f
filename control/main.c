/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry: command dispatch.
 *
 *   cdrsentry replay [options] CAPTURE...      forensics, tests, benchmarks (replay.c)
 *   cdrsentry --check-config FILE              validate and print a configuration
 *   cdrsentry [EAL options] -- --config FILE   live on the probe's ports (live.c)
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cs_build_config.h"
#include "check_config.h"
#include "live.h"
#include "replay.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "replay") == 0)
		return cs_replay_main(argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("cdrsentry %s\n", CS_VERSION);
		return CS_EXIT_OK;
	}
	if (argc == 3 && strcmp(argv[1], "--check-config") == 0)
		return cs_check_config_main(argv[2]);
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs("usage: cdrsentry [EAL options] -- --config FILE\n"
		      "       cdrsentry --check-config FILE\n"
		      "       cdrsentry replay [options] CAPTURE...\n",
		      stdout);
		return CS_EXIT_OK;
	}
	return cs_live_main(argc, argv);
}
