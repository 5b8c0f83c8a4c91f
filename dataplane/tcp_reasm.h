/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TCP_REASM_H
#define CS_TCP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "decode_l2l4.h"
#include "decode_sip.h"
#include "decode_stats.h"
#include "e164.h"

/*
 * TCP reassembly for SIP over TCP (RFC 3261 18.3). A connection carries
 * messages back to back, each framed by its Content-Length; TCP cuts that
 * stream into segments anywhere, and a probe sees every segment once,
 * some twice (retransmissions), a few never (lost before the mirror).
 * This module puts each direction of each connection back in order and
 * hands out whole messages:
 *
 *   segments   |INVITE sip:bob@b SIP/2.0\r\nVia:..|..Content-Length: 142\r\n\r\nv=0..|..SIP/2.0 180..|
 *   stream     |<-------------------- INVITE: msg_len bytes ---------------->|<-- 180 ..
 *   delivered  the INVITE once its last body byte is in, then the 180 once it is whole
 *
 * Per direction it keeps the next expected sequence number and the head
 * of the unfinished message in a buffer of fixed size. A segment whose
 * payload
 *   - starts at next_seq (in order) is appended;
 *   - starts before it (a retransmission, or one that overlaps what was
 *     taken) gives only its bytes past next_seq: a byte is delivered at
 *     most once, and bytes already taken are never rewritten;
 *   - starts after it (a gap: a segment lost before the probe, or one
 *     that will arrive late) drops the unfinished message, and the stream
 *     jumps to the segment and resynchronises. A late segment is then a
 *     retransmission: there is no out-of-order queue, on purpose (bounded
 *     memory, and a mirror loses segments rather than reorders them).
 *
 * Resynchronising: bytes are discarded up to the first line that starts a
 * SIP message, a request line "METHOD sip:" / "METHOD sips:" /
 * "METHOD tel:" or a status line "SIP/2.0 ". The first byte after a gap
 * counts as a line start, because senders write whole messages and
 * segments tend to begin with one. A connection picked up in the middle
 * (no SYN seen: the probe started late, or its flow was evicted) starts
 * the same way; one whose SYN was seen starts in step at its first byte.
 *
 * After each append, every complete message at the head is decoded
 * (cs_decode_sip) and delivered: sip.truncated / sip.body_truncated
 * (cs_sip_needs_more) wait for more bytes; any other refusal is counted
 * under its reason and the stream resynchronises past its start line; a
 * message without Content-Length cannot be framed on a stream (RFC 3261
 * 20.14) and is refused the same way (tcp.no_content_length). A message
 * longer than the buffer is dropped (tcp.message_too_large): when its
 * Content-Length is known its remaining bytes are skipped and the stream
 * stays in step; when its header section alone overflows, it resynchronises.
 * When nothing is buffered, messages are delivered straight from the
 * segment and only an unfinished tail is copied, so the common case (a
 * segment holding whole messages) copies nothing.
 *
 * Flows: one entry per connection, both directions, keyed by its two
 * endpoints (address, port) in a canonical order, found through an
 * open-addressing index (linear probing, at most half full). A SYN sets a
 * direction's initial sequence number; FIN in both directions, or RST,
 * frees the flow. Idle flows expire in event time, a bounded slice of the
 * table per cs_tcp_reasm_tick; when the table is full the least recently
 * used flow is evicted (CLOCK: a hand sweeps the flows, sparing those used
 * since its last pass; its search is bounded, no scan per packet).
 * The table and every buffer are allocated once, at creation.
 */

/* TCP header flags, as struct cs_l2l4 carries them (byte 13 of the TCP header). */
enum cs_tcp_flag { CS_TCP_FIN = 0x01, CS_TCP_SYN = 0x02, CS_TCP_RST = 0x04, CS_TCP_ACK = 0x10 };

/* The smallest buffer accepted: room for any start line the resynchronisation must recognise. */
enum { CS_TCP_REASM_MIN_BUFFER = 256 };

/*
 * Memory, all of it at creation: flows x (104 + 2 x buffer_bytes) bytes,
 * and an 8-byte index slot per flow or two; 16384 flows of 8 KiB buffers
 * take 258 MiB. A SIP message longer than buffer_bytes is never delivered.
 */
struct cs_tcp_reasm_conf {
	uint32_t flows;           /* connections followed at once */
	uint32_t buffer_bytes;    /* per direction: the largest message delivered */
	uint64_t idle_timeout_ns; /* a flow without segments for this long expires */
	uint32_t sweep_budget;    /* flows examined per cs_tcp_reasm_tick */
	struct cs_e164_conf numbers; /* for the decode handed to the callback */
};

/*
 * What the module counted, declared once. Drops of messages are counted
 * under reasons instead (decode_tcp_reasons.h, and the SIP decoder's).
 */
#define CS_TCP_REASM_COUNTERS(X)                                                               \
	X(flows_created)                                                                     \
	X(flows_closed)           /* FIN seen both ways, or RST */                           \
	X(flows_expired)          /* no segment for the idle timeout, in event time */       \
	X(flows_evicted)          /* pushed out by a new flow while the table was full */     \
	X(segments_in_order)      /* segments with payload, each counted once under these 4 */ \
	X(segments_retransmitted) /* every byte already taken: ignored */                    \
	X(segments_overlapping)   /* some bytes already taken: only the new ones kept */      \
	X(segments_out_of_order)  /* past a gap: the stream jumps and resynchronises */       \
	X(bytes_delivered)        /* in delivered messages */                                \
	X(bytes_discarded)        /* stream bytes dropped: resynchronising, too large, unfinished */ \
	X(messages_delivered)                                                                \
	X(resyncs)                /* times a stream lost step and hunted for a start line */

struct cs_tcp_reasm_stats {
#define CS_TCP_REASM_COUNTER_FIELD(name) uint64_t name;
	CS_TCP_REASM_COUNTERS(CS_TCP_REASM_COUNTER_FIELD)
#undef CS_TCP_REASM_COUNTER_FIELD
};

/*
 * A whole message: msg[0..len), leading CR/LF keep-alives left out, and m
 * its decode (spans point into msg). Both live only during the call, and
 * the callback must not call back into the module.
 */
typedef void (*cs_tcp_deliver_fn)(void *ctx, const uint8_t *msg, uint32_t len, const struct cs_sip_msg *m);

struct cs_tcp_reasm;

/* NULL with err filled for a conf out of range or no memory. */
struct cs_tcp_reasm *cs_tcp_reasm_create(const struct cs_tcp_reasm_conf *conf, char *err, size_t errlen);
void cs_tcp_reasm_free(struct cs_tcp_reasm *r);

/*
 * One TCP segment of a SIP connection: l its decode (addresses, ports,
 * tcp_seq, tcp_flags, payload_len), payload its l->payload_len bytes.
 * Complete messages go to deliver(ctx, ...) before it returns, in stream
 * order; refusals are counted in st->rejected.
 */
void cs_tcp_reasm_segment(struct cs_tcp_reasm *r, const struct cs_l2l4 *l, const uint8_t *payload,
			  uint64_t ts_ns, cs_tcp_deliver_fn deliver, void *ctx, struct cs_decode_stats *st);

/* Event-time housekeeping: examines the next sweep_budget flow slots and expires the idle flows in them. */
void cs_tcp_reasm_tick(struct cs_tcp_reasm *r, uint64_t now_ns, struct cs_decode_stats *st);

const struct cs_tcp_reasm_stats *cs_tcp_reasm_stats(const struct cs_tcp_reasm *r);

/* Flows in the table now. */
uint32_t cs_tcp_reasm_flows(const struct cs_tcp_reasm *r);

#endif
