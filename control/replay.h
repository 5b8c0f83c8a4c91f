/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_REPLAY_H
#define CS_REPLAY_H

/* `cdrsentry replay ...` (argv[0] is "replay"). Returns the exit status. */
int cs_replay_main(int argc, char **argv);

#endif
