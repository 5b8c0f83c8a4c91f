/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: whole frames through the decode stage with its real state:
 * session directory, GTP-C transactions, SIP calls, TCP reassembly and the
 * emitter, as one RX lcore runs them. Each input is a sequence of frames
 * (2-byte length, then the frame), so the trackers see mutated
 * conversations, not just mutated packets. The state lives across inputs,
 * as it does across packets; the event ring is emptied after each input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "decode_stage.h"
#include "event_ring.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cs_decode_ctx *ctx;
static struct rte_ring *ring;
static uint64_t now_ns = 1767600000ull * 1000000000ull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64], err[256];

	(void)argc;
	(void)argv;
	snprintf(prefix, sizeof(prefix), "--file-prefix=cs-fuzz-%ld", (long)getpid());
	char *eal[] = { "fuzz", "-l", "0", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry", "-m", "256",
			prefix, "--log-level=error", NULL };
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0) {
		fprintf(stderr, "fuzz: EAL: %s\n", rte_strerror(rte_errno));
		abort();
	}
	ctx = calloc(1, sizeof(*ctx));
	const struct cs_session_dir_conf dc = { .capacity = 256, .max_readers = 1, .writer_reader = 0 };
	const struct cs_gtpc_tracker_conf gc = {
		.transactions = 256, .response_timeout_ns = 10000000000ull, .idle_timeout_ns = 60000000000ull,
	};
	const struct cs_sip_tracker_conf sc = {
		.calls = 256, .setup_timeout_ns = 180000000000ull, .max_call_ns = 3600000000000ull,
		.numbers = cs_e164_conf_default(),
	};
	const struct cs_tcp_reasm_conf tc = {
		.flows = 64, .buffer_bytes = 4096, .idle_timeout_ns = 60000000000ull, .sweep_budget = 16,
		.numbers = cs_e164_conf_default(),
	};
	ctx->ports = (struct cs_decode_ports){ .gtpc = 2123, .gtpu = 2152, .sip = 5060 };
	ctx->dir = cs_session_dir_create("fuzz_dir", &dc, err, sizeof(err));
	ring = cs_event_ring_create("fuzz_events", 65536, 0);
	if (ctx->dir == NULL || ring == NULL) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	ctx->gtpc = cs_gtpc_tracker_create(&gc, ctx->dir, err, sizeof(err));
	ctx->sip = cs_sip_tracker_create(&sc, err, sizeof(err));
	ctx->tcp = cs_tcp_reasm_create(&tc, err, sizeof(err));
	if (ctx->gtpc == NULL || ctx->sip == NULL || ctx->tcp == NULL) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	ctx->emit.nworkers = 1;
	ctx->emit.rings[0] = ring;
	cs_session_dir_reader_online(ctx->dir, 0);
	return 0;
}

static void drain(void)
{
	static union cs_event_slot slots[256];

	while (cs_event_ring_take(ring, slots, 256) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* each frame gets its own heap copy, so ASan sees any read past its end */
	while (size >= 2) {
		size_t len = (size_t)(data[0] << 8 | data[1]);
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		uint8_t *frame = malloc(len > 0 ? len : 1);
		memcpy(frame, data, len);
		struct cs_l2l4 l;
		if (cs_decode_l2l4(frame, (uint32_t)len, &l) == CS_R_OK && !l.is_fragment)
			cs_decode_dispatch(ctx, frame, &l, now_ns);
		cs_decode_flush(ctx);
		free(frame);
		data += len;
		size -= len;
		now_ns += 7000000; /* 7 ms of event time a frame: the trackers' timeouts come round */
	}
	cs_decode_end_of_burst(ctx, now_ns);
	drain();
	return 0;
}
