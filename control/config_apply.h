/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_CONFIG_APPLY_H
#define CS_CONFIG_APPLY_H

#include "config.h"
#include "export.h"
#include "long_memory.h"
#include "pipeline.h"

/*
 * The configuration, turned into what each part of the program takes:
 * sizes, timeouts, ports and number plan for the pipeline; sinks and
 * topics for export. Fields the mode decides (ports, workers, stop flag,
 * rings) are left for the caller.
 */
void cs_config_to_pipeline(const struct cs_config *c, struct cs_pipeline_conf *out);
void cs_config_to_export(const struct cs_config *c, struct cs_export_conf *out);

/* The producer (brokers NULL when there are none) and the disk spool (dir NULL when there is none). */
void cs_config_to_kafka(const struct cs_config *c, struct cs_kafka_conf *out);
void cs_config_to_spool(const struct cs_config *c, struct cs_spool_conf *out);

/* The long-memory store of the config, or of dir when given (replay --state); shards come from the run. */
void cs_config_to_long_memory(const struct cs_config *c, const char *dir, struct cs_long_memory_conf *out);

#endif
