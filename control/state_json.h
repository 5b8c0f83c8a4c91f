/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_STATE_JSON_H
#define CS_STATE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "device_state.h"
#include "subscriber_state.h"

/*
 * One subscriber's live behaviour state as JSON, as of now_ns: what a SOC
 * analyst opens when an anomaly arrives (schemas/subscriber_state.schema.json).
 * device, if not NULL, is the aggregate of the subscriber's latest IMEI
 * (kept by the worker owning the IMEI). Returns the length, or -1 if buf
 * is too small.
 */
enum { CS_STATE_SCHEMA_VERSION = 1, CS_STATE_JSON_MAX = 2048 };

int cs_state_json(const struct cs_state_ctx *x, const struct cs_subscriber *s, const struct cs_device_count *device,
		  uint64_t now_ns, const char *probe_id, char *buf, size_t cap);

#endif
