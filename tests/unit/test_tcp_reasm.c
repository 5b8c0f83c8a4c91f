/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TCP reassembly of SIP streams (dataplane/tcp_reasm.h): messages come out
 * whole and once, in stream order, however TCP cut, repeated or lost the
 * segments; flows live in a bounded table. Every segment is handed over
 * from its own heap copy, so ASan sees any read past its end.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "decode_reason.h"
#include "decode_stats.h"
#include "run.h"
#include "tcp_reasm.h"

/* ---- SIP text: an RFC 3261 (24.2) style call over TCP, Alice calls Bob ---- */

struct text {
	char s[8192];
	uint32_t len;
};

static struct text invite, ok, ack, bye;

static void with_body(struct text *t, const char *head, const char *body)
{
	int n = snprintf(t->s, sizeof(t->s), "%sContent-Length: %zu\r\n\r\n%s", head, strlen(body), body);

	cr_assert(n > 0 && (size_t)n < sizeof(t->s));
	t->len = (uint32_t)n;
}

static void append(struct text *t, const struct text *more)
{
	cr_assert_lt(t->len + more->len, sizeof(t->s));
	memcpy(t->s + t->len, more->s, more->len);
	t->len += more->len;
}

static void append_str(struct text *t, const char *s)
{
	size_t n = strlen(s);

	cr_assert_lt(t->len + n, sizeof(t->s));
	memcpy(t->s + t->len, s, n);
	t->len += (uint32_t)n;
}

static const char sdp_alice[] = "v=0\r\n"
				"o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n"
				"s=-\r\n"
				"c=IN IP4 192.0.2.101\r\n"
				"t=0 0\r\n"
				"m=audio 49172 RTP/AVP 0\r\n"
				"a=rtpmap:0 PCMU/8000\r\n";

static const char sdp_bob[] = "v=0\r\n"
			      "o=bob 2890844527 2890844527 IN IP4 client.biloxi.example.com\r\n"
			      "s=-\r\n"
			      "c=IN IP4 192.0.2.201\r\n"
			      "t=0 0\r\n"
			      "m=audio 3456 RTP/AVP 0\r\n"
			      "a=rtpmap:0 PCMU/8000\r\n";

static void write_call(void)
{
	with_body(&invite,
		  "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
		  "To: Bob <sip:bob@biloxi.example.com>\r\n"
		  "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n"
		  "Content-Type: application/sdp\r\n",
		  sdp_alice);
	with_body(&ok,
		  "SIP/2.0 200 OK\r\n"
		  "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n"
		  "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
		  "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
		  "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
		  "CSeq: 1 INVITE\r\n"
		  "Contact: <sip:bob@client.biloxi.example.com;transport=tcp>\r\n"
		  "Content-Type: application/sdp\r\n",
		  sdp_bob);
	with_body(&ack,
		  "ACK sip:bob@client.biloxi.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bd5\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
		  "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
		  "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
		  "CSeq: 1 ACK\r\n",
		  "");
	with_body(&bye,
		  "BYE sip:bob@client.biloxi.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bKnashds7\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
		  "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
		  "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
		  "CSeq: 2 BYE\r\n",
		  "");
}

/* ---- what the module delivers ---- */

enum { MAX_GOT = 64 };

struct got {
	unsigned int n;
	struct text msg[MAX_GOT];
	bool from_segment[MAX_GOT]; /* delivered where the segment lay, not from the flow's buffer */
};

static struct got got;
static uintptr_t segment_begin, segment_end;

static void collect(void *ctx, const uint8_t *msg, uint32_t len, const struct cs_sip_msg *m)
{
	struct got *g = ctx;

	cr_assert_lt(g->n, MAX_GOT, "more messages than any test sends");
	cr_assert_lt(len, sizeof(g->msg[0].s));
	cr_assert_eq(m->msg_len, len, "the decode handed over is of these bytes");
	cr_assert(m->call_id.len > 0 && (const uint8_t *)m->call_id.p > msg &&
		  (const uint8_t *)m->call_id.p + m->call_id.len < msg + len);
	memcpy(g->msg[g->n].s, msg, len);
	g->msg[g->n].len = len;
	g->from_segment[g->n] = (uintptr_t)msg >= segment_begin && (uintptr_t)msg + len <= segment_end;
	g->n++;
}

static void expect_message(unsigned int i, const struct text *want)
{
	cr_expect(got.n > i && got.msg[i].len == want->len && memcmp(got.msg[i].s, want->s, want->len) == 0,
		  "message %u: got %u bytes '%.40s', want %u bytes '%.40s'", i, got.n > i ? got.msg[i].len : 0,
		  got.n > i ? got.msg[i].s : "", want->len, want->s);
}

#define expect_got(i, want) expect_message((i), &(want))

/* ---- segments of connections between clients and a P-CSCF at 10.0.0.50:5060 ---- */

enum { CLIENT = 0, SERVER = 1 };

struct conn {
	uint8_t client_host; /* 10.0.0.<client_host>: below or above the server, so both key orders occur */
	uint16_t port;       /* the client's */
	uint32_t next[2];    /* the next sequence number each side sends */
};

static struct cs_tcp_reasm *r;
static struct cs_decode_stats st;
static uint64_t now_ns;

static const struct cs_tcp_reasm_stats *stats(void)
{
	return cs_tcp_reasm_stats(r);
}

static void make(uint32_t flows, uint32_t buffer_bytes, uint32_t sweep_budget)
{
	const struct cs_tcp_reasm_conf conf = {
		.flows = flows,
		.buffer_bytes = buffer_bytes,
		.idle_timeout_ns = 30ull * 1000000000ull,
		.sweep_budget = sweep_budget,
		.numbers = cs_e164_conf_default(),
	};
	char err[256];

	cs_tcp_reasm_free(r);
	r = cs_tcp_reasm_create(&conf, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	memset(&st, 0, sizeof(st));
	got.n = 0;
}

static void setup(void)
{
	write_call();
	now_ns = 1000000000ull;
	make(16, 8192, 16);
}

static void teardown(void)
{
	cs_tcp_reasm_free(r);
	r = NULL;
}

TestSuite(tcp_reasm, .init = setup, .fini = teardown);

static void segment_at(const struct conn *c, int side, uint32_t seq, uint8_t flags, const char *p, uint32_t len)
{
	struct cs_ip_addr client = { .b = { 10, 0, 0, c->client_host } }, server = { .b = { 10, 0, 0, 50 } };
	struct cs_l2l4 l = {
		.ip_version = 4,
		.l4_proto = CS_IPPROTO_TCP,
		.tcp_flags = flags,
		.tcp_seq = seq,
		.src = side == CLIENT ? client : server,
		.dst = side == CLIENT ? server : client,
		.sport = side == CLIENT ? c->port : 5060,
		.dport = side == CLIENT ? 5060 : c->port,
		.payload_len = len,
	};
	uint8_t *copy = malloc(len > 0 ? len : 1);

	cr_assert_not_null(copy);
	memcpy(copy, p, len);
	segment_begin = (uintptr_t)copy;
	segment_end = (uintptr_t)copy + len;
	cs_tcp_reasm_segment(r, &l, copy, now_ns, collect, &got, &st);
	free(copy);
}

/* Stream bytes [from, to) of what one side sends, its first byte at sequence number base. */
static void send_range(const struct conn *c, int side, uint32_t base, const struct text *t, uint32_t from, uint32_t to)
{
	segment_at(c, side, base + from, CS_TCP_ACK, t->s + from, to - from);
}

static void send_bytes(struct conn *c, int side, const char *p, uint32_t len)
{
	segment_at(c, side, c->next[side], CS_TCP_ACK, p, len);
	c->next[side] += len;
}

static void send_text(struct conn *c, int side, const struct text *t)
{
	send_bytes(c, side, t->s, t->len);
}

/*
 * The handshake, with initial sequence numbers just below 2^32 so every
 * stream wraps its sequence space within its first kilobyte.
 */
static struct conn open_conn(uint8_t client_host, uint16_t port)
{
	struct conn c = { .client_host = client_host, .port = port, .next = { 0xfffffc00u + (port & 0xff), 0xffffff00u } };

	segment_at(&c, CLIENT, c.next[CLIENT]++, CS_TCP_SYN, "", 0);
	segment_at(&c, SERVER, c.next[SERVER]++, CS_TCP_SYN | CS_TCP_ACK, "", 0);
	return c;
}

static void close_side(struct conn *c, int side)
{
	segment_at(c, side, c->next[side]++, CS_TCP_FIN | CS_TCP_ACK, "", 0);
}

static uint64_t rejected_total(void)
{
	uint64_t n = 0;

	for (int i = 0; i < CS_R_COUNT; i++)
		n += st.rejected[i];
	return n;
}

/* ---- in-order streams ---- */

Test(tcp_reasm, every_two_segment_split_of_a_call)
{
	const struct text *call[] = { &invite, &ok, &bye };
	const int side_of[] = { CLIENT, SERVER, CLIENT };
	uint32_t longest = invite.len > ok.len ? invite.len : ok.len;
	unsigned int calls = 0;

	for (uint32_t cut = 0; cut <= longest; cut++, calls++) {
		struct conn c = open_conn(1, 40000);

		got.n = 0;
		for (int i = 0; i < 3; i++) {
			const struct text *t = call[i];
			uint32_t at = cut < t->len ? cut : t->len;
			uint32_t base = c.next[side_of[i]];

			if (at > 0)
				send_range(&c, side_of[i], base, t, 0, at);
			if (at < t->len)
				send_range(&c, side_of[i], base, t, at, t->len);
			c.next[side_of[i]] += t->len;
		}
		cr_assert_eq(got.n, 3, "cut at %u: %u messages", cut, got.n);
		expect_got(0, invite);
		expect_got(1, ok);
		expect_got(2, bye);
		close_side(&c, CLIENT);
		close_side(&c, SERVER);
		cr_assert_eq(cs_tcp_reasm_flows(r), 0, "cut at %u: FIN both ways frees the flow", cut);
	}
	cr_expect_eq(stats()->messages_delivered, 3 * calls);
	cr_expect_eq(stats()->bytes_delivered, (uint64_t)calls * (invite.len + ok.len + bye.len));
	cr_expect_eq(stats()->flows_created, calls);
	cr_expect_eq(stats()->flows_closed, calls);
	cr_expect_eq(stats()->segments_retransmitted + stats()->segments_overlapping + stats()->segments_out_of_order, 0);
	cr_expect_eq(stats()->resyncs, 0);
	cr_expect_eq(stats()->bytes_discarded, 0);
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, several_messages_in_one_segment_are_delivered_where_they_lie)
{
	struct conn c = open_conn(99, 40001);
	struct text s = { .len = 0 };

	append(&s, &invite);
	append(&s, &ack);
	append_str(&s, "\r\n\r\n"); /* an RFC 5626 keep-alive between messages */
	append(&s, &bye);
	send_text(&c, CLIENT, &s);

	cr_assert_eq(got.n, 3);
	expect_got(0, invite);
	expect_got(1, ack);
	expect_got(2, bye);
	for (unsigned int i = 0; i < got.n; i++)
		cr_expect(got.from_segment[i], "message %u was copied", i);
	cr_expect_eq(stats()->segments_in_order, 1);
	cr_expect_eq(stats()->bytes_discarded, 0);
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, one_byte_segments)
{
	struct conn c = open_conn(1, 40002);
	struct text s = { .len = 0 };

	append(&s, &invite);
	append(&s, &bye);
	for (uint32_t i = 0; i < s.len; i++)
		send_bytes(&c, CLIENT, s.s + i, 1);

	cr_assert_eq(got.n, 2);
	expect_got(0, invite);
	expect_got(1, bye);
	cr_expect_eq(stats()->segments_in_order, s.len);
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, real_messages_from_a_capture_in_mtu_sized_and_odd_segments)
{
	/* UDP payloads of tests/data/zeek-wireshark.pcap, as the SIP fuzz corpus keeps them */
	static const char *const files[] = {
		"tests/fuzz/corpus/sip/wireshark-f19-invite-sdp",
		"tests/fuzz/corpus/sip/wireshark-f22-100-trying",
		"tests/fuzz/corpus/sip/wireshark-f74-183-sdp",
		"tests/fuzz/corpus/sip/wireshark-f75-480",
	};
	static const uint16_t status[] = { 0, 100, 183, 480 };
	struct text each[4], s = { .len = 0 };

	for (int i = 0; i < 4; i++) {
		size_t len;
		char *data = cs_read_file(CS_SOURCE_PATH(files[i]), &len);

		cr_assert_not_null(data, "%s", files[i]);
		cr_assert_lt(len, sizeof(each[i].s));
		memcpy(each[i].s, data, len);
		each[i].len = (uint32_t)len;
		free(data);
		append(&s, &each[i]);
	}
	for (uint32_t mss = 1460; mss >= 37; mss = mss / 2 + 1) {
		struct conn c = open_conn(1, (uint16_t)(41000 + mss % 1000));

		got.n = 0;
		for (uint32_t at = 0; at < s.len; at += mss)
			send_bytes(&c, CLIENT, s.s + at, s.len - at < mss ? s.len - at : mss);
		cr_assert_eq(got.n, 4, "segments of %u: %u messages", mss, got.n);
		for (int i = 0; i < 4; i++) {
			struct cs_sip_msg m;
			struct cs_e164_conf numbers = cs_e164_conf_default();

			expect_got(i, each[i]);
			cr_assert_eq(cs_decode_sip((const uint8_t *)got.msg[i].s, got.msg[i].len, &numbers, &m), CS_R_OK);
			cr_expect_eq(m.status_code, status[i]);
		}
	}
	cr_expect_eq(rejected_total(), 0);
}

/* ---- repeated bytes ---- */

Test(tcp_reasm, retransmitted_and_overlapping_segments_deliver_each_message_once)
{
	struct conn c = open_conn(1, 40003);
	struct text s = { .len = 0 };
	uint32_t base = c.next[CLIENT];

	append(&s, &invite);
	append(&s, &ack);
	append(&s, &bye);
	send_range(&c, CLIENT, base, &s, 0, 300);
	send_range(&c, CLIENT, base, &s, 0, 300);          /* retransmitted */
	send_range(&c, CLIENT, base, &s, 100, 150);        /* an old piece of it */
	send_range(&c, CLIENT, base, &s, 200, invite.len); /* overlaps, completes the INVITE */
	cr_expect_eq(got.n, 1);
	send_range(&c, CLIENT, base, &s, 0, invite.len + 10); /* all old but 10 bytes of the ACK */
	send_range(&c, CLIENT, base, &s, invite.len + 10, s.len);
	send_range(&c, CLIENT, base, &s, 0, s.len); /* the whole stream again */

	cr_assert_eq(got.n, 3);
	expect_got(0, invite);
	expect_got(1, ack);
	expect_got(2, bye);
	cr_expect_eq(stats()->segments_in_order, 2);
	cr_expect_eq(stats()->segments_retransmitted, 3);
	cr_expect_eq(stats()->segments_overlapping, 2);
	cr_expect_eq(stats()->segments_out_of_order, 0);
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, overlapping_bytes_never_rewrite_what_was_taken)
{
	struct conn c = open_conn(1, 40004);
	uint32_t base = c.next[CLIENT];
	struct text forged = invite;

	memset(forged.s + 100, 'X', 100); /* a different copy of bytes 100..199 */
	send_range(&c, CLIENT, base, &invite, 0, 200);
	send_range(&c, CLIENT, base, &forged, 100, invite.len);

	cr_assert_eq(got.n, 1);
	expect_got(0, invite);
	cr_expect_eq(stats()->segments_overlapping, 1);
}

/* Random cuts, retransmissions and overlaps, from a fixed seed: the messages come out as sent. */
Test(tcp_reasm, random_segmentation_with_repeats)
{
	uint64_t rng = 0x7c9a1e55u;
	struct text s = { .len = 0 };

	append(&s, &invite);
	append(&s, &ack);
	append(&s, &bye);
	for (unsigned int run = 0; run < 300; run++) {
		struct conn c = open_conn(1, (uint16_t)(20000 + run));
		uint32_t base = c.next[CLIENT], high = 0;

		got.n = 0;
		while (high < s.len) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			uint32_t back = (uint32_t)(rng % 300), len = 1 + (uint32_t)((rng >> 16) % 600);
			uint32_t from = back < high ? high - back : 0;
			uint32_t to = from + len < s.len ? from + len : s.len;

			send_range(&c, CLIENT, base, &s, from, to);
			high = to > high ? to : high;
		}
		cr_assert_eq(got.n, 3, "run %u: %u messages", run, got.n);
		expect_got(0, invite);
		expect_got(1, ack);
		expect_got(2, bye);
		segment_at(&c, CLIENT, base + s.len, CS_TCP_RST, "", 0);
	}
	cr_expect_eq(stats()->segments_out_of_order, 0);
	cr_expect_gt(stats()->segments_retransmitted, 0);
	cr_expect_gt(stats()->segments_overlapping, 0);
	cr_expect_eq(rejected_total(), 0);
}

/* ---- lost bytes ---- */

Test(tcp_reasm, a_gap_drops_the_broken_message_and_the_next_one_is_delivered)
{
	struct conn c = open_conn(1, 40005);
	struct text s = { .len = 0 };
	uint32_t base = c.next[CLIENT];

	append(&s, &invite);
	append(&s, &bye);
	send_range(&c, CLIENT, base, &s, 0, 100);
	/* bytes 100..399 never reach the probe; the next segment ends the INVITE's body, then the BYE */
	send_range(&c, CLIENT, base, &s, 400, s.len);
	cr_assert_eq(got.n, 1);
	expect_got(0, bye);
	cr_expect_eq(stats()->segments_out_of_order, 1);
	cr_expect_eq(stats()->resyncs, 1);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_CUT_BY_GAP], 1);
	cr_expect_eq(stats()->bytes_discarded, 100 + invite.len - 400);

	/* the lost segment, late: taken as a retransmission, nothing delivered twice */
	send_range(&c, CLIENT, base, &s, 100, 400);
	cr_expect_eq(got.n, 1);
	cr_expect_eq(stats()->segments_retransmitted, 1);

	/* a lost segment that ended on a message boundary: the next segment starts a message */
	c.next[CLIENT] = base + s.len;
	send_text(&c, CLIENT, &s); /* base + s.len onwards: INVITE, BYE */
	c.next[CLIENT] += invite.len;
	send_text(&c, CLIENT, &bye); /* the INVITE between them is lost */
	cr_assert_eq(got.n, 4);
	expect_got(1, invite);
	expect_got(2, bye);
	expect_got(3, bye);
	cr_expect_eq(stats()->segments_out_of_order, 2);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_CUT_BY_GAP], 1, "nothing was begun when the second gap came");
}

Test(tcp_reasm, a_connection_picked_up_midway_starts_at_a_message)
{
	struct conn c = { .client_host = 1, .port = 40006, .next = { 777, 999 } };
	struct text s = { .len = 0 };

	append_str(&s, "a=rtpmap:0 PCMU/8000\r\n"); /* the end of a message the probe missed */
	append(&s, &bye);
	send_text(&c, CLIENT, &s);
	send_text(&c, SERVER, &ok); /* the other direction begins with a message */

	cr_assert_eq(got.n, 2);
	expect_got(0, bye);
	expect_got(1, ok);
	cr_expect_eq(stats()->flows_created, 1);
	cr_expect_eq(stats()->resyncs, 0, "never in step, so never lost it");
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, refused_messages_are_counted_and_the_stream_resynchronises)
{
	struct conn c = open_conn(1, 40007);
	struct text s = { .len = 0 };

	append_str(&s, "OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"
		       "Call-ID: no-length@atlanta.example.com\r\n"
		       "CSeq: 7 OPTIONS\r\n"
		       "\r\n");
	append(&s, &invite);
	append_str(&s, "HELLO world\r\n");
	append(&s, &ack);
	append_str(&s, "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
		       " folded line with nothing to fold onto\r\n"
		       "\r\n");
	append(&s, &bye);
	send_text(&c, CLIENT, &s);

	cr_assert_eq(got.n, 3);
	expect_got(0, invite);
	expect_got(1, ack);
	expect_got(2, bye);
	cr_expect_eq(st.rejected[CS_R_TCP_NO_CONTENT_LENGTH], 1);
	cr_expect_eq(st.rejected[CS_R_SIP_NOT_SIP], 1);
	cr_expect_eq(st.rejected[CS_R_SIP_BAD_HEADER], 1);
	cr_expect_eq(rejected_total(), 3);
	cr_expect_eq(stats()->resyncs, 3);
}

/* ---- messages larger than the buffer ---- */

Test(tcp_reasm, a_message_longer_than_the_buffer_is_skipped_by_its_length)
{
	static char body[3000];
	struct text big, s = { .len = 0 };

	make(4, 1024, 4);
	memset(body, 'x', sizeof(body) - 1);
	with_body(&big,
		  "MESSAGE sip:bob@biloxi.example.com SIP/2.0\r\n"
		  "Call-ID: big@atlanta.example.com\r\n"
		  "CSeq: 3 MESSAGE\r\n"
		  "Content-Type: text/plain\r\n",
		  body);
	append(&s, &big);
	append(&s, &ack);
	append(&s, &big);
	append(&s, &bye);

	/* in segments: the Content-Length is read, the rest skipped, the stream stays in step */
	struct conn c = open_conn(1, 40008);
	for (uint32_t at = 0; at < s.len; at += 500)
		send_bytes(&c, CLIENT, s.s + at, s.len - at < 500 ? s.len - at : 500);
	cr_assert_eq(got.n, 2);
	expect_got(0, ack);
	expect_got(1, bye);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_TOO_LARGE], 2);
	cr_expect_eq(stats()->resyncs, 0);
	cr_expect_eq(stats()->bytes_discarded, 2 * big.len);

	/* all in one segment it would fit where it lies, but is dropped alike: the cut must not matter */
	struct conn d = open_conn(1, 40009);
	got.n = 0;
	send_text(&d, CLIENT, &s);
	cr_assert_eq(got.n, 2);
	expect_got(0, ack);
	expect_got(1, bye);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_TOO_LARGE], 4);
}

Test(tcp_reasm, a_header_section_longer_than_the_buffer_resynchronises)
{
	struct text s = { .len = 0 };
	struct conn c;

	make(4, 512, 4);
	c = open_conn(1, 40010);
	append_str(&s, "MESSAGE sip:bob@biloxi.example.com SIP/2.0\r\nSubject: ");
	for (int i = 0; i < 600; i++)
		append_str(&s, "z");
	append_str(&s, "\r\nCall-ID: long@atlanta.example.com\r\nCSeq: 4 MESSAGE\r\nContent-Length: 0\r\n\r\n");
	append(&s, &ack);
	for (uint32_t at = 0; at < s.len; at += 100)
		send_bytes(&c, CLIENT, s.s + at, s.len - at < 100 ? s.len - at : 100);

	cr_assert_eq(got.n, 1);
	expect_got(0, ack);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_TOO_LARGE], 1);
	cr_expect_eq(stats()->resyncs, 1);
}

/* ---- the flow table ---- */

/* Each connection sends the first half of an INVITE; whether it finishes tells whether its flow survived. */
static void begin_invite(struct conn *c)
{
	send_bytes(c, CLIENT, invite.s, 200);
}

static void finish_invite(struct conn *c)
{
	send_bytes(c, CLIENT, invite.s + 200, invite.len - 200);
}

Test(tcp_reasm, a_full_table_evicts_the_least_recently_used_flow)
{
	struct conn c[6];

	make(4, 8192, 4);
	for (int i = 0; i < 4; i++) {
		c[i] = open_conn(1, (uint16_t)(30000 + i));
		begin_invite(&c[i]);
	}
	cr_assert_eq(cs_tcp_reasm_flows(r), 4);

	/* all four were used since the hand last passed: it spares each once, then takes the first */
	c[4] = open_conn(1, 30004);
	begin_invite(&c[4]);
	cr_expect_eq(stats()->flows_evicted, 1);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_UNFINISHED], 1);

	/* 1 and 3 are used again (a retransmission), 2 is not: 2 is the least recently used */
	send_range(&c[1], CLIENT, c[1].next[CLIENT] - 200, &invite, 0, 200);
	send_range(&c[3], CLIENT, c[3].next[CLIENT] - 200, &invite, 0, 200);
	c[5] = open_conn(1, 30005);
	begin_invite(&c[5]);
	cr_expect_eq(stats()->flows_evicted, 2);
	cr_expect_eq(cs_tcp_reasm_flows(r), 4);

	finish_invite(&c[1]);
	finish_invite(&c[3]);
	finish_invite(&c[4]);
	finish_invite(&c[5]);
	cr_expect_eq(got.n, 4, "the flows kept finish their INVITE");
	cr_expect_eq(stats()->flows_evicted, 2);

	finish_invite(&c[2]); /* its flow is gone: picked up anew, in the middle of a message */
	cr_expect_eq(got.n, 4, "the evicted flow's INVITE is not delivered");
	cr_expect_eq(stats()->flows_evicted, 3);
	cr_expect_eq(stats()->flows_created, 7);
}

/* Checks that every message delivered is whole: an INVITE or a BYE of the call, byte for byte. */
static void count_call(void *ctx, const uint8_t *msg, uint32_t len, const struct cs_sip_msg *m)
{
	unsigned int *n = ctx;

	(void)m;
	cr_assert((len == invite.len && memcmp(msg, invite.s, len) == 0) ||
		  (len == bye.len && memcmp(msg, bye.s, len) == 0));
	(*n)++;
}

/*
 * Connections open, send and close in a random interleaving, never more
 * at once than the table holds: each keeps its own stream through the
 * index's insertions and deletions, and nothing is evicted.
 */
Test(tcp_reasm, many_interleaved_connections_keep_their_own_streams)
{
	enum { SLOTS = 48, STEPS = 20000 };
	struct conn c[SLOTS];
	uint8_t stage[SLOTS] = { 0 };
	uint16_t generation[SLOTS] = { 0 };
	uint32_t cut[SLOTS];
	unsigned int delivered = 0, expected = 0, open = 0;
	uint64_t rng = 0x51f15eedu;

	make(SLOTS, 2048, 8);
	for (unsigned int step = 0; step < STEPS; step++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned int i = (unsigned int)(rng % SLOTS);
		struct cs_l2l4 l;
		const char *p = NULL;
		uint32_t from = 0, to = 0;

		switch (stage[i]) {
		case 0: /* 10.0.0.1 .. 10.0.0.236: addresses on both sides of the server's */
			c[i] = open_conn((uint8_t)(1 + 5 * i), (uint16_t)(1024 + 64 * generation[i]++ + i));
			cut[i] = 1 + (uint32_t)((rng >> 20) % (invite.len - 1));
			open++;
			stage[i]++;
			continue;
		case 1: p = invite.s, from = 0, to = cut[i]; break;
		case 2: p = invite.s, from = cut[i], to = invite.len, expected++; break;
		case 3: p = bye.s, from = 0, to = bye.len, expected++; break;
		default:
			if ((rng >> 40) & 1) {
				close_side(&c[i], CLIENT);
				close_side(&c[i], SERVER);
			} else {
				segment_at(&c[i], SERVER, c[i].next[SERVER], CS_TCP_RST, "", 0);
			}
			open--;
			stage[i] = 0;
			continue;
		}
		l = (struct cs_l2l4){
			.l4_proto = CS_IPPROTO_TCP,
			.tcp_flags = CS_TCP_ACK,
			.tcp_seq = c[i].next[CLIENT],
			.src = { .b = { 10, 0, 0, c[i].client_host } },
			.dst = { .b = { 10, 0, 0, 50 } },
			.sport = c[i].port,
			.dport = 5060,
			.payload_len = to - from,
		};
		cs_tcp_reasm_segment(r, &l, (const uint8_t *)p + from, now_ns, count_call, &delivered, &st);
		c[i].next[CLIENT] += to - from;
		stage[i]++;
		cr_assert_eq(cs_tcp_reasm_flows(r), open, "step %u", step);
	}
	cr_expect_eq(delivered, expected);
	cr_expect_gt(expected, STEPS / 3);
	cr_expect_eq(stats()->flows_evicted, 0);
	cr_expect_eq(stats()->flows_created, stats()->flows_closed + open);
	cr_expect_eq(rejected_total(), 0);
}

Test(tcp_reasm, idle_flows_expire_in_event_time_a_slice_per_tick)
{
	struct conn c[8];

	make(8, 1024, 2);
	for (int i = 0; i < 8; i++) {
		c[i] = open_conn(1, (uint16_t)(31000 + i));
		begin_invite(&c[i]);
	}
	now_ns += 10ull * 1000000000ull;
	send_range(&c[7], CLIENT, c[7].next[CLIENT] - 200, &invite, 0, 200); /* flow 7 is used 10 s later */
	for (int i = 0; i < 4; i++)
		cs_tcp_reasm_tick(r, now_ns, &st);
	cr_expect_eq(stats()->flows_expired, 0, "10 s idle is under the 30 s timeout");

	now_ns += 25ull * 1000000000ull; /* 35 s after flows 0..6 were last used, 25 s after flow 7 */
	cs_tcp_reasm_tick(r, now_ns, &st);
	cr_expect_eq(stats()->flows_expired, 2, "one tick examines two flows");
	for (int i = 0; i < 3; i++)
		cs_tcp_reasm_tick(r, now_ns, &st);
	cr_expect_eq(stats()->flows_expired, 7);
	cr_expect_eq(cs_tcp_reasm_flows(r), 1);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_UNFINISHED], 7);
	cr_expect_eq(stats()->bytes_discarded, 7 * 200);

	finish_invite(&c[7]);
	cr_expect_eq(got.n, 1);
	expect_got(0, invite);
}

Test(tcp_reasm, fin_both_ways_or_rst_frees_the_flow)
{
	struct conn c = open_conn(1, 40011), d;

	send_text(&c, CLIENT, &invite);
	send_text(&c, SERVER, &ok);
	/* BYE on the FIN: the data is delivered, and the other direction stays open */
	segment_at(&c, CLIENT, c.next[CLIENT], CS_TCP_FIN | CS_TCP_ACK, bye.s, bye.len);
	c.next[CLIENT] += bye.len + 1;
	cr_expect_eq(got.n, 3);
	expect_got(2, bye);
	cr_expect_eq(cs_tcp_reasm_flows(r), 1);
	close_side(&c, SERVER);
	cr_expect_eq(cs_tcp_reasm_flows(r), 0);
	cr_expect_eq(stats()->flows_closed, 1);

	/* the last ACK, and a FIN retransmitted, of a closed connection open nothing */
	segment_at(&c, CLIENT, c.next[CLIENT], CS_TCP_ACK, "", 0);
	segment_at(&c, SERVER, c.next[SERVER] - 1, CS_TCP_FIN | CS_TCP_ACK, "", 0);
	cr_expect_eq(cs_tcp_reasm_flows(r), 0);

	d = open_conn(99, 40012);
	begin_invite(&d);
	segment_at(&d, SERVER, d.next[SERVER], CS_TCP_RST, "", 0);
	cr_expect_eq(cs_tcp_reasm_flows(r), 0);
	cr_expect_eq(stats()->flows_closed, 2);
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_UNFINISHED], 1);
	segment_at(&d, CLIENT, d.next[CLIENT], CS_TCP_RST, "", 0);
	cr_expect_eq(stats()->flows_created, 2, "a RST opens nothing");
}

Test(tcp_reasm, a_new_syn_restarts_the_direction)
{
	struct conn c = open_conn(1, 40013);

	begin_invite(&c);
	segment_at(&c, CLIENT, c.next[CLIENT] - 201, CS_TCP_SYN, "", 0); /* the same SYN again: a copy */
	finish_invite(&c);
	cr_expect_eq(got.n, 1);

	begin_invite(&c);
	c.next[CLIENT] = 123456;
	segment_at(&c, CLIENT, c.next[CLIENT]++, CS_TCP_SYN, "", 0); /* the port pair reused by a new connection */
	cr_expect_eq(st.rejected[CS_R_TCP_MESSAGE_UNFINISHED], 1);
	send_text(&c, CLIENT, &bye);
	cr_expect_eq(got.n, 2);
	expect_got(1, bye);
	cr_expect_eq(stats()->segments_out_of_order, 0);
}

/* ---- configuration and names ---- */

Test(tcp_reasm, creation_refuses_what_cannot_work)
{
	struct cs_tcp_reasm_conf conf = {
		.flows = 8,
		.buffer_bytes = 4096,
		.idle_timeout_ns = 1,
		.sweep_budget = 1,
		.numbers = cs_e164_conf_default(),
	};
	char err[256];

	conf.flows = 0;
	cr_expect_null(cs_tcp_reasm_create(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "0 flows") != NULL, "%s", err);
	conf.flows = 8;
	conf.buffer_bytes = CS_TCP_REASM_MIN_BUFFER - 1;
	cr_expect_null(cs_tcp_reasm_create(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "255 bytes") != NULL, "%s", err);
	conf.buffer_bytes = 4096;
	conf.sweep_budget = 0;
	cr_expect_null(cs_tcp_reasm_create(&conf, err, sizeof(err)));
	cr_expect(strstr(err, "sweep budget") != NULL, "%s", err);
}

Test(tcp_reasm, counters_and_reasons_have_names)
{
	static const char *const counters[] = {
#define NAME(name) #name,
		CS_TCP_REASM_COUNTERS(NAME)
#undef NAME
	};

	cr_expect_eq(sizeof(counters) / sizeof(counters[0]) * sizeof(uint64_t), sizeof(struct cs_tcp_reasm_stats));
	cr_expect_str_eq(counters[0], "flows_created");
	cr_expect_str_eq(cs_reason_name(CS_R_TCP_NO_CONTENT_LENGTH), "tcp.no_content_length");
	cr_expect_str_eq(cs_reason_name(CS_R_TCP_MESSAGE_TOO_LARGE), "tcp.message_too_large");
	cr_expect_str_eq(cs_reason_name(CS_R_TCP_MESSAGE_CUT_BY_GAP), "tcp.message_cut_by_gap");
	cr_expect_str_eq(cs_reason_name(CS_R_TCP_MESSAGE_UNFINISHED), "tcp.message_unfinished");
}
