/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ANOMALY_JSON_H
#define CS_ANOMALY_JSON_H

#include <stddef.h>

#include "anomaly.h"

struct cs_json;

/*
 * An anomaly as JSON, per schemas/anomaly.schema.json. Its id is a UUID
 * (version 8: application-defined) made from a 128-bit hash of the probe
 * id, the rule, the subject, the occurrence and the event time of the
 * trip: the same
 * capture replayed gives the same ids, so a consumer can drop the
 * duplicates that at-least-once delivery may bring, and two probes never
 * share one.
 */
enum { CS_ANOMALY_SCHEMA_VERSION = 1, CS_ANOMALY_ID_LEN = 36 };

void cs_anomaly_json(struct cs_json *w, const struct cs_rec_anomaly *a, const char *probe_id);

/* The anomaly's id, NUL-terminated. */
void cs_anomaly_id(const struct cs_rec_anomaly *a, const char *probe_id, char out[CS_ANOMALY_ID_LEN + 1]);

/* Its Kafka key: the IMSI, the IMEI of a device anomaly, or the block's prefix. */
cs_digits cs_anomaly_key(const struct cs_rec_anomaly *a);

#endif
