/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_LIVE_H
#define CS_LIVE_H

/* `cdrsentry [EAL args] -- --config FILE`: runs until SIGTERM/SIGINT. Returns the exit status. */
int cs_live_main(int argc, char **argv);

#endif
