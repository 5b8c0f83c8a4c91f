/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_STATE_JSON_H
#define CS_STATE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "block_state.h"
#include "cell_state.h"
#include "device_state.h"
#include "subscriber_state.h"

/*
 * One subscriber's live behaviour state as JSON, as of now_ns: what a SOC
 * analyst opens when an anomaly arrives (schemas/subscriber_state.schema.json).
 * Returns the length, or -1 if buf is too small.
 */
enum { CS_STATE_SCHEMA_VERSION = 2, CS_STATE_JSON_MAX = 4096 };

/*
 * The secondary aggregates around the subscriber, each read on the worker
 * that owns it; a NULL one is left out of the JSON.
 */
struct cs_state_around {
	const struct cs_device_count *device; /* of the latest IMEI: SIMs it carried */
	const struct cs_cell_view *cell;      /* of the latest cell: SIMs active there */
	const struct cs_block_view *block;    /* of the number's block: first activations */
	cs_digits block_prefix;
	unsigned int suffix_digits;
};

struct cs_json;
/* "cell": a cell_state.h key as its parts: mcc, mnc with its own length, kind, LAC for 2G/3G, id; nothing for 0. */
void cs_cell_json(struct cs_json *w, uint64_t key);

int cs_state_json(const struct cs_state_ctx *x, const struct cs_subscriber *s, const struct cs_state_around *around,
		  uint64_t now_ns, const char *probe_id, char *buf, size_t cap);

#endif
