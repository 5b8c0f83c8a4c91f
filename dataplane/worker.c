/* SPDX-License-Identifier: Apache-2.0 */
#include "worker.h"

#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "event.h"

enum { CS_WORKER_BURST = 64 };

static inline void account(struct cs_worker_ctx *ctx, const struct cs_event *ev)
{
	ctx->packets++;
	ctx->wire_bytes += ev->wire_len;
	if (ev->ts_ns != 0) {
		if (ctx->first_ts_ns == 0 || ev->ts_ns < ctx->first_ts_ns)
			ctx->first_ts_ns = ev->ts_ns;
		if (ev->ts_ns > ctx->last_ts_ns)
			ctx->last_ts_ns = ev->ts_ns;
	}
}

int cs_worker_lcore_main(void *arg)
{
	struct cs_worker_ctx *ctx = arg;
	struct cs_event evs[CS_WORKER_BURST];
	unsigned int ended = 0;

	while (ended < ctx->producers) {
		unsigned int n = rte_ring_dequeue_burst_elem(ctx->ring, evs, sizeof(evs[0]), CS_WORKER_BURST, NULL);

		if (n == 0) {
			rte_pause();
			continue;
		}
		for (unsigned int i = 0; i < n; i++) {
			if (evs[i].kind == CS_EVENT_END)
				ended++;
			else
				account(ctx, &evs[i]);
		}
	}
	return 0;
}
