/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for TCP reassembly of SIP (dataplane/tcp_reasm.h). The input
 * is a script of segments on four connections through a table of two
 * flows (so evictions happen), each segment a 3-byte header and payload:
 *
 *   byte 0  ctl   bit 7      payload length + 256
 *                 bit 6      event time advances 16 s first, and a tick runs (idle timeout 30 s)
 *                 bits 5..3  0-3 data (ACK), 4 SYN, 5 FIN, 6 RST, 7 SYN+FIN
 *                 bit 2      sender: 0 client, 1 server
 *                 bits 1..0  connection
 *   byte 1  adj   signed: the segment starts adj bytes from where the sender's last one ended
 *   byte 2  len   payload length, low 8 bits; the payload follows (cut short at the end of input)
 *
 * Every delivered message must decode again, whole, from exactly the bytes
 * handed over, and fit the flow's buffer; the counters must agree with
 * what was fed. A violation aborts, which the driver reports.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_reasm.h"

enum { CONNS = 4, FLOWS = 2, BUFFER = 1024 };

static const uint64_t TICK_NS = 16000000000ull;

struct delivered {
	struct cs_e164_conf numbers;
	uint64_t messages, bytes;
	volatile uint64_t sink;
};

static void check_message(void *ctx, const uint8_t *msg, uint32_t len, const struct cs_sip_msg *m)
{
	struct delivered *d = ctx;
	struct cs_sip_msg again;

	if (len == 0 || len > BUFFER || m->msg_len != len)
		abort();
	if (cs_decode_sip(msg, len, &d->numbers, &again) != CS_R_OK || again.msg_len != len || !again.has_content_length)
		abort();
	d->sink += msg[0] + msg[len - 1] + m->call_id.len;
	d->messages++;
	d->bytes += len;
}

static uint8_t flags_of(unsigned int kind)
{
	static const uint8_t flags[8] = {
		CS_TCP_ACK, CS_TCP_ACK, CS_TCP_ACK, CS_TCP_ACK,
		CS_TCP_SYN, CS_TCP_FIN | CS_TCP_ACK, CS_TCP_RST, CS_TCP_SYN | CS_TCP_FIN,
	};

	return flags[kind & 7];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cs_tcp_reasm_conf conf = {
		.flows = FLOWS,
		.buffer_bytes = BUFFER,
		.idle_timeout_ns = 30000000000ull,
		.sweep_budget = 1,
		.numbers = cs_e164_conf_default(),
	};
	struct delivered d = { .numbers = cs_e164_conf_default() };
	struct cs_decode_stats st;
	uint32_t next[CONNS][2] = { { 0 } };
	uint64_t now = 1, fed = 0;
	char err[128];
	struct cs_tcp_reasm *r = cs_tcp_reasm_create(&conf, err, sizeof(err));

	if (r == NULL)
		abort();
	memset(&st, 0, sizeof(st));
	while (size >= 3) {
		const uint8_t ctl = data[0];
		const unsigned int conn = ctl & 3, side = (ctl >> 2) & 1;
		uint32_t len = data[2] + ((ctl & 0x80) ? 256u : 0u);
		struct cs_l2l4 l = { .ip_version = 4, .l4_proto = CS_IPPROTO_TCP, .tcp_flags = flags_of(ctl >> 3) };
		const struct cs_ip_addr client = { .b = { 10, 0, 0, (uint8_t)(1 + conn) } };
		const struct cs_ip_addr server = { .b = { 10, 0, 0, 50 } };

		data += 3;
		size -= 3;
		if (len > size)
			len = (uint32_t)size;
		if (ctl & 0x40) {
			now += TICK_NS;
			cs_tcp_reasm_tick(r, now, &st);
		}
		l.tcp_seq = next[conn][side] + (uint32_t)(int32_t)(int8_t)data[-2];
		l.src = side == 0 ? client : server;
		l.dst = side == 0 ? server : client;
		l.sport = side == 0 ? (uint16_t)(40000 + conn) : 5060;
		l.dport = side == 0 ? 5060 : (uint16_t)(40000 + conn);
		l.payload_len = len;
		cs_tcp_reasm_segment(r, &l, data, now, check_message, &d, &st);
		next[conn][side] = l.tcp_seq + len + ((l.tcp_flags & CS_TCP_SYN) ? 1 : 0) +
				   ((l.tcp_flags & CS_TCP_FIN) ? 1 : 0);
		fed += len;
		data += len;
		size -= len;
	}

	const struct cs_tcp_reasm_stats *s = cs_tcp_reasm_stats(r);
	if (s->messages_delivered != d.messages || s->bytes_delivered != d.bytes || d.bytes > fed ||
	    cs_tcp_reasm_flows(r) > FLOWS ||
	    s->flows_created - s->flows_closed - s->flows_expired - s->flows_evicted != cs_tcp_reasm_flows(r))
		abort();
	cs_tcp_reasm_free(r);
	return 0;
}
