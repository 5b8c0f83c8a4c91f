/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CHECK_CONFIG_H
#define CS_CHECK_CONFIG_H

/* `cdrsentry --check-config FILE`: validates and prints the resolved configuration. Returns the exit status. */
int cs_check_config_main(const char *path);

#endif
