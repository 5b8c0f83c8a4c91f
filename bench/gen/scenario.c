/* SPDX-License-Identifier: Apache-2.0 */
#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "encode_sip.h"
#include "encode_sms.h"
#include "gen_random.h"
#include "pcap_writer.h"

enum {
	GTPC_PORT = 2123, GTPU_PORT = 2152, SIP_PORT = 5060, UE_PORT = 40000, SERVER_PORT = 443,
	FRAME_MAX = 2048, GPDU_PAYLOAD_MAX = 1400,
	ETH_IP_UDP = 14 + 4 + 20 + 8, /* the most cs_encode_udp4_frame puts around a payload (a VLAN tag too) */
	SEQ_MASK = 0xffffff,      /* GTPv2-C sequence numbers are 24 bits */
	TP_VP_24H = 167,          /* TS 23.040 9.2.3.12.1: 12 h + 24 x 30 min */
};

static const uint64_t MS = 1000000ull;
static const uint32_t MME_IP = 0x0a030001, SGW_IP = 0x0a020001, PCSCF_IP = 0x0a040001, SCSCF_IP = 0x0a040002;
static const char SMSC[] = "8613800100500";
static const char IMS_DOMAIN[] = "ims.mnc001.mcc001.3gppnetwork.org";

/*
 * The buffer: frames back to back in one byte array, and an index entry
 * per frame. Sorting moves only the 24-byte index entries.
 *
 *   bytes  | frame 0 | frame 1 | frame 2 | ...      (as made)
 *   index  {ts, order 0, off, len} {ts, order 1, ...}  -> sorted by (ts, order)
 *
 * order is the frame's rank in the making, so equal times keep the
 * script's order and the sort is total: the output never depends on qsort.
 */
struct frame_ref {
	uint64_t ts_ns;
	uint32_t order;
	uint32_t len;
	uint64_t off;
};

/*
 * Writing in parts (cs_scen_flush_before): the frames before a time are
 * sorted and written, and the rest move to the front of a fresh byte
 * array, their index entries renumbered 0..m-1 in sorted order. Frames
 * made later get higher ranks, so ties still fall in the making's order
 * and the bytes equal those of one sort at close. flushed_ns remembers
 * the boundary: a frame made before it would be out of order on the
 * file, and fails the scenario.
 */

struct cs_scen {
	struct cs_pcap_writer out;
	uint64_t start_ns;
	uint64_t rng;
	uint8_t *bytes;
	size_t used, cap;
	struct frame_ref *index;
	size_t n, index_cap;
	uint32_t sessions; /* attaches so far: the next session's k */
	uint32_t seq;      /* the next GTP-C sequence number */
	uint32_t dialogs;  /* SIP dialogs so far: tags and Call-IDs */
	uint16_t ip_id;
	uint8_t sms_mr;    /* RP-MR / TP-MR of the next SMS */
	uint64_t flushed_ns; /* absolute: every frame before it is on the file */
	char error[160];   /* the first failure; empty while all is well */
};

static void fail(struct cs_scen *sc, const char *fmt, ...)
{
	va_list ap;

	if (sc->error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(sc->error, sizeof(sc->error), fmt, ap);
	va_end(ap);
}

static bool ok(const struct cs_scen *sc)
{
	return sc->error[0] == '\0';
}

struct cs_scen *cs_scen_open(const char *path, uint64_t start_ns, uint64_t seed)
{
	struct cs_scen *sc = calloc(1, sizeof(*sc));

	if (sc == NULL)
		return NULL;
	if (cs_pcap_writer_open(&sc->out, path) != 0) {
		if (sc->out.f != NULL)
			fclose(sc->out.f);
		free(sc);
		return NULL;
	}
	sc->start_ns = start_ns;
	sc->rng = seed;
	return sc;
}

uint64_t cs_scen_random(struct cs_scen *sc)
{
	return cs_gen_random(&sc->rng);
}

/* Room for one more frame of up to need bytes, doubling within the bounds. */
static bool reserve(struct cs_scen *sc, size_t need)
{
	if (sc->n == CS_SCEN_MAX_FRAMES || sc->used + need > CS_SCEN_MAX_BYTES) {
		fail(sc, "more than %d frames or %d MiB buffered", CS_SCEN_MAX_FRAMES, CS_SCEN_MAX_BYTES >> 20);
		return false;
	}
	if (sc->n == sc->index_cap) {
		size_t cap = sc->index_cap == 0 ? 1024 : sc->index_cap * 2;
		struct frame_ref *p = realloc(sc->index, cap * sizeof(*p));
		if (p == NULL)
			goto oom;
		sc->index = p;
		sc->index_cap = cap;
	}
	if (sc->used + need > sc->cap) {
		size_t cap = sc->cap == 0 ? 1u << 20 : sc->cap * 2;
		while (cap < sc->used + need)
			cap *= 2;
		uint8_t *p = realloc(sc->bytes, cap);
		if (p == NULL)
			goto oom;
		sc->bytes = p;
		sc->cap = cap;
	}
	return true;
oom:
	fail(sc, "out of memory at %zu frames", sc->n);
	return false;
}

/* One UDP datagram in Ethernet (on VLAN vlan, 0: untagged) and IPv4, at scenario time at_ns. */
static void emit_on(struct cs_scen *sc, uint16_t vlan, uint64_t at_ns, uint32_t src, uint32_t dst, uint16_t sport,
		    uint16_t dport, const void *payload, size_t len)
{
	struct cs_udp4_flow flow = {
		.src_mac = { 0x02, 0, 0, 0, 0, 0x01 }, .dst_mac = { 0x02, 0, 0, 0, 0, 0x02 },
		.src_ip = src, .dst_ip = dst, .src_port = sport, .dst_port = dport, .vlan = vlan,
	};

	if (!ok(sc))
		return;
	if (len == 0) {
		fail(sc, "a message did not fit its buffer (at %llu ns)", (unsigned long long)at_ns);
		return;
	}
	if (sc->start_ns + at_ns < sc->flushed_ns) {
		fail(sc, "a frame at %llu ns, before the part already written", (unsigned long long)at_ns);
		return;
	}
	if (!reserve(sc, ETH_IP_UDP + len))
		return;
	size_t n = cs_encode_udp4_frame(sc->bytes + sc->used, sc->cap - sc->used, &flow, sc->ip_id++, payload, len);
	if (n == 0) {
		fail(sc, "a %zu-byte datagram does not fit a frame", len);
		return;
	}
	sc->index[sc->n] = (struct frame_ref){
		.ts_ns = sc->start_ns + at_ns, .order = (uint32_t)sc->n, .len = (uint32_t)n, .off = sc->used,
	};
	sc->n++;
	sc->used += n;
}

/* The same on an untagged link: S11, SIP, and S1-U of cells without a VLAN. */
static void emit(struct cs_scen *sc, uint64_t at_ns, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		 const void *payload, size_t len)
{
	emit_on(sc, 0, at_ns, src, dst, sport, dport, payload, len);
}

static int by_time(const void *a, const void *b)
{
	const struct frame_ref *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts the index and writes the frames before abs_ns (all: UINT64_MAX); returns how many it wrote. */
static size_t write_before(struct cs_scen *sc, uint64_t abs_ns)
{
	size_t i;

	qsort(sc->index, sc->n, sizeof(*sc->index), by_time);
	for (i = 0; i < sc->n && sc->index[i].ts_ns < abs_ns && ok(sc); i++)
		if (cs_pcap_writer_add(&sc->out, sc->index[i].ts_ns, sc->bytes + sc->index[i].off, sc->index[i].len) !=
		    0)
			fail(sc, "write failed at frame %llu", (unsigned long long)(sc->out.records + 1));
	return i;
}

int cs_scen_flush_before(struct cs_scen *sc, uint64_t t_ns)
{
	const uint64_t abs_ns = sc->start_ns + t_ns;

	if (!ok(sc) || abs_ns <= sc->flushed_ns)
		return ok(sc) ? 0 : -1;
	size_t done = write_before(sc, abs_ns);
	uint8_t *kept = sc->n > done ? malloc(sc->cap) : NULL;
	size_t used = 0;

	if (sc->n > done && kept == NULL) {
		fail(sc, "out of memory keeping %zu frames", sc->n - done);
		return -1;
	}
	for (size_t i = done; i < sc->n; i++) {
		struct frame_ref r = sc->index[i];
		memcpy(kept + used, sc->bytes + r.off, r.len);
		sc->index[i - done] = (struct frame_ref){
			.ts_ns = r.ts_ns, .order = (uint32_t)(i - done), .len = r.len, .off = used,
		};
		used += r.len;
	}
	if (kept != NULL) {
		free(sc->bytes);
		sc->bytes = kept;
	}
	sc->n -= done;
	sc->used = used;
	sc->flushed_ns = abs_ns;
	return ok(sc) ? 0 : -1;
}

size_t cs_scen_buffered(const struct cs_scen *sc)
{
	return sc->n;
}

uint64_t cs_scen_written(const struct cs_scen *sc)
{
	return sc->out.records;
}

int cs_scen_close(struct cs_scen *sc, char *err, size_t errlen)
{
	if (ok(sc))
		write_before(sc, UINT64_MAX);
	if (cs_pcap_writer_close(&sc->out) != 0)
		fail(sc, "write failed at close");
	int rc = ok(sc) ? 0 : -1;
	snprintf(err, errlen, "%s", sc->error);
	free(sc->bytes);
	free(sc->index);
	free(sc);
	return rc;
}

/* --- S11 and S1-U ----------------------------------------------------- */

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < min || n > max)
		return false;
	return strspn(s, "0123456789") == n;
}

/* The eNodeB serving a cell: 10.1.x.y, x.y the ECI's low 16 bits. */
static uint32_t enodeb_of(struct cs_scen_cell cell)
{
	return 0x0a010000u | (cell.eci & 0xffffu);
}

static void place(struct cs_gen_bearer *b, struct cs_scen_cell cell)
{
	b->tac = cell.tac;
	b->eci = cell.eci & 0x0fffffffu;
	b->enb_ip = enodeb_of(cell);
}

/* A request MME -> SGW now and its response 4 ms later, on one sequence number. */
static void s11(struct cs_scen *sc, const struct cs_gen_bearer *b, uint64_t at_ns,
		size_t (*request)(uint8_t *, size_t, const struct cs_gen_bearer *, uint32_t),
		size_t (*response)(uint8_t *, size_t, const struct cs_gen_bearer *, uint32_t))
{
	uint8_t msg[FRAME_MAX];
	uint32_t seq = sc->seq;

	sc->seq = (sc->seq + 1) & SEQ_MASK;
	emit(sc, at_ns, MME_IP, SGW_IP, GTPC_PORT, GTPC_PORT, msg, request(msg, sizeof(msg), b, seq));
	emit(sc, at_ns + 4 * MS, SGW_IP, MME_IP, GTPC_PORT, GTPC_PORT, msg, response(msg, sizeof(msg), b, seq));
}

void cs_scen_attach(struct cs_scen *sc, struct cs_scen_ue *ue, const struct cs_scen_sim *sim,
		    struct cs_scen_cell cell, uint64_t at_ns)
{
	struct cs_gen_bearer *b = &ue->b;
	const char *apn = sim->apn != NULL ? sim->apn : "internet";
	uint32_t k = sc->sessions++;

	if (!ok(sc))
		return;
	if (ue->attached || !all_digits(sim->imsi, 15, 15) || !all_digits(sim->msisdn, 1, 15) ||
	    !all_digits(sim->imei, 15, 15) || strlen(apn) >= sizeof(b->apn) || k >= (1u << 22)) {
		fail(sc, "attach of IMSI %s: already attached, a bad identity, or too many sessions",
		     sim->imsi != NULL ? sim->imsi : "(none)");
		return;
	}
	memset(b, 0, sizeof(*b));
	memcpy(b->imsi, sim->imsi, 16);
	memcpy(b->mcc, sim->imsi, 3);
	memcpy(b->mnc, sim->imsi + 3, 2);
	snprintf(b->msisdn, sizeof(b->msisdn), "%s", sim->msisdn);
	memcpy(b->imei, sim->imei, 16);
	snprintf(b->apn, sizeof(b->apn), "%s", apn);
	b->rat = sim->rat;
	b->ue_ip = 0x64400000u + k + 1; /* 100.64.0.0/10 */
	b->mme_teid = 0x10000000u + k;
	b->sgw_teid = 0x20000000u + k;
	b->enb_teid = 0x30000000u + k;
	b->sgwu_teid = 0x40000000u + k;
	b->mme_ip = MME_IP;
	b->sgw_ip = SGW_IP;
	place(b, cell);
	ue->ipv6 = sim->ipv6;
	ue->s1u_vlan = cell.vlan;
	s11(sc, b, at_ns, cs_encode_gtpv2c_create_session_req, cs_encode_gtpv2c_create_session_rsp);
	s11(sc, b, at_ns + 8 * MS, cs_encode_gtpv2c_modify_bearer_req, cs_encode_gtpv2c_modify_bearer_rsp);
	ue->attached = true;
}

void cs_scen_move(struct cs_scen *sc, struct cs_scen_ue *ue, struct cs_scen_cell cell, uint64_t at_ns)
{
	if (!ue->attached) {
		fail(sc, "move of IMSI %s: not attached", ue->b.imsi);
		return;
	}
	place(&ue->b, cell);
	ue->s1u_vlan = cell.vlan;
	s11(sc, &ue->b, at_ns, cs_encode_gtpv2c_modify_bearer_req_uli, cs_encode_gtpv2c_modify_bearer_rsp);
}

void cs_scen_detach(struct cs_scen *sc, struct cs_scen_ue *ue, uint64_t at_ns)
{
	if (!ue->attached) {
		fail(sc, "detach of IMSI %s: not attached", ue->b.imsi);
		return;
	}
	s11(sc, &ue->b, at_ns, cs_encode_gtpv2c_delete_session_req, cs_encode_gtpv2c_delete_session_rsp);
	ue->attached = false;
}

/* An IPv4 address in an IPv6 documentation prefix (RFC 3849): 2001:db8:net::a.b.c.d. */
static void ipv6_of(uint16_t net, uint32_t ipv4, uint8_t out[16])
{
	static const uint8_t prefix[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(out, 0, 16);
	memcpy(out, prefix, sizeof(prefix));
	out[4] = (uint8_t)(net >> 8);
	out[5] = (uint8_t)net;
	for (int i = 0; i < 4; i++)
		out[12 + i] = (uint8_t)(ipv4 >> (24 - 8 * i));
}

/* The inner packet of a G-PDU: UDP between the UE and remote, IPv4 or IPv6 as the UE's data is. */
static size_t inner_packet(struct cs_scen *sc, const struct cs_scen_ue *ue, uint32_t remote, bool uplink,
			   size_t payload, uint8_t *out, size_t cap)
{
	const struct cs_gen_bearer *b = &ue->b;
	uint16_t sport = uplink ? UE_PORT : SERVER_PORT, dport = uplink ? SERVER_PORT : UE_PORT;

	if (ue->ipv6) {
		uint8_t me[16], far[16];
		ipv6_of(1, b->ue_ip, me);
		ipv6_of(2, remote, far);
		return cs_encode_ipv6_udp(out, cap, uplink ? me : far, uplink ? far : me, sport, dport, payload, 0xa5);
	}
	size_t ip = cs_encode_ipv4_udp(out, cap, uplink ? b->ue_ip : remote, uplink ? remote : b->ue_ip, sport, dport,
				       sc->ip_id, payload);
	if (ip != 0)
		memset(out + ip - payload, 0xa5, payload);
	return ip;
}

/* One G-PDU: uplink to the SGW's S1-U TEID, downlink to the eNodeB's, on the cell's S1-U link. */
static void gpdu(struct cs_scen *sc, const struct cs_scen_ue *ue, uint32_t remote, bool uplink, size_t payload,
		 uint64_t at_ns)
{
	const struct cs_gen_bearer *b = &ue->b;
	uint8_t inner[FRAME_MAX], msg[FRAME_MAX];
	size_t ip = inner_packet(sc, ue, remote, uplink, payload, inner, sizeof(inner));

	if (ip == 0) {
		fail(sc, "a G-PDU of %zu bytes does not fit", payload);
		return;
	}
	size_t n = cs_encode_gtpu_gpdu(msg, sizeof(msg), uplink ? b->sgwu_teid : b->enb_teid, inner, ip);
	if (uplink)
		emit_on(sc, ue->s1u_vlan, at_ns, b->enb_ip, b->sgw_ip, GTPU_PORT, GTPU_PORT, msg, n);
	else
		emit_on(sc, ue->s1u_vlan, at_ns, b->sgw_ip, b->enb_ip, GTPU_PORT, GTPU_PORT, msg, n);
}

uint64_t cs_scen_data(struct cs_scen *sc, const struct cs_scen_ue *ue, uint32_t remote_ip, uint32_t up_bytes,
		      uint32_t down_bytes, uint64_t at_ns)
{
	uint64_t t = at_ns;

	if (!ue->attached) {
		fail(sc, "data of IMSI %s: not attached", ue->b.imsi);
		return at_ns;
	}
	for (int uplink = 1; uplink >= 0; uplink--) {
		for (uint32_t left = uplink ? up_bytes : down_bytes; left > 0; t += MS) {
			uint32_t n = left < GPDU_PAYLOAD_MAX ? left : GPDU_PAYLOAD_MAX;
			gpdu(sc, ue, remote_ip, uplink, n, t);
			left -= n;
		}
	}
	return t > at_ns ? t - MS : at_ns;
}

/* --- Mw: SIP calls and SMS over IP ------------------------------------ */

/* A dialog's Call-ID and tags: the scenario's random stream and its dialog count. */
struct dialog_ids {
	char call_id[48], from_tag[16], to_tag[16];
};

static void new_dialog(struct cs_scen *sc, struct dialog_ids *id, const char *host)
{
	uint32_t k = sc->dialogs++;

	snprintf(id->call_id, sizeof(id->call_id), "%016llx-%u@%s", (unsigned long long)cs_scen_random(sc), k, host);
	snprintf(id->from_tag, sizeof(id->from_tag), "f%u", k);
	snprintf(id->to_tag, sizeof(id->to_tag), "t%u", k);
}

/* One message of a dialog: requests go P-CSCF -> S-CSCF unless reversed (an MT MESSAGE), responses back. */
static void sip(struct cs_scen *sc, const struct cs_gen_sip_dialog *d, enum cs_gen_sip_msg which, bool request,
		bool reversed, uint64_t at_ns)
{
	char text[FRAME_MAX];
	bool from_pcscf = request != reversed;
	size_t n = cs_encode_sip(text, sizeof(text), d, which);

	emit(sc, at_ns, from_pcscf ? PCSCF_IP : SCSCF_IP, from_pcscf ? SCSCF_IP : PCSCF_IP, SIP_PORT, SIP_PORT, text, n);
}

uint64_t cs_scen_call(struct cs_scen *sc, const struct cs_scen_call *call, uint64_t at_ns)
{
	struct dialog_ids id;

	if (!all_digits(call->caller, 1, 15) || !all_digits(call->callee, 1, 15)) {
		fail(sc, "call: caller and callee must be E.164 digits");
		return at_ns;
	}
	new_dialog(sc, &id, "pcscf");
	const struct cs_gen_sip_dialog d = {
		.caller = call->caller, .callee = call->callee, .call_id = id.call_id, .domain = IMS_DOMAIN,
		.from_tag = id.from_tag, .to_tag = id.to_tag,
	};
	const uint64_t ringing = at_ns + 100 * MS, decided = ringing + call->ring_ms * MS;

	sip(sc, &d, CS_SIP_INVITE, true, false, at_ns);
	sip(sc, &d, CS_SIP_INVITE_180, false, false, ringing);
	switch (call->outcome) {
	case CS_SCEN_ANSWERED: {
		const uint64_t bye = decided + (uint64_t)call->duration_s * 1000 * MS;
		sip(sc, &d, CS_SIP_INVITE_200, false, false, decided);
		sip(sc, &d, CS_SIP_ACK, true, false, decided + 10 * MS);
		sip(sc, &d, CS_SIP_BYE, true, false, bye);
		sip(sc, &d, CS_SIP_BYE_200, false, false, bye + 10 * MS);
		return bye + 10 * MS;
	}
	case CS_SCEN_REJECTED:
		sip(sc, &d, CS_SIP_INVITE_486, false, false, decided);
		sip(sc, &d, CS_SIP_ACK, true, false, decided + 10 * MS);
		return decided + 10 * MS;
	case CS_SCEN_CANCELLED:
		sip(sc, &d, CS_SIP_CANCEL, true, false, decided);
		sip(sc, &d, CS_SIP_CANCEL_200, false, false, decided + 10 * MS);
		sip(sc, &d, CS_SIP_INVITE_487, false, false, decided + 20 * MS);
		sip(sc, &d, CS_SIP_ACK, true, false, decided + 30 * MS);
		return decided + 30 * MS;
	}
	fail(sc, "call: unknown outcome %d", (int)call->outcome);
	return at_ns;
}

/*
 * A MESSAGE and its 200, as cdrsentry-gen writes them (encode_sip.h): an
 * MO one from the subscriber to the SMSC, P-CSCF -> S-CSCF; an MT one
 * from the SMSC to the subscriber, S-CSCF -> P-CSCF.
 */
static uint64_t message(struct cs_scen *sc, const char *caller, const char *callee, bool mo, const uint8_t *rp,
			size_t rp_len, uint64_t at_ns)
{
	struct dialog_ids id;

	if (rp_len == 0) {
		fail(sc, "SMS %s -> %s: not encodable (numbers, name or text)", caller, callee);
		return at_ns;
	}
	new_dialog(sc, &id, mo ? "pcscf" : "smsc");
	const struct cs_gen_sip_dialog d = {
		.caller = caller, .callee = callee, .call_id = id.call_id, .domain = IMS_DOMAIN,
		.from_tag = id.from_tag, .to_tag = id.to_tag, .sms = rp, .sms_len = rp_len,
	};
	sip(sc, &d, CS_SIP_MESSAGE, true, !mo, at_ns);
	sip(sc, &d, CS_SIP_MESSAGE_200, false, !mo, at_ns + 50 * MS);
	return at_ns + 50 * MS;
}

uint64_t cs_scen_sms_mo(struct cs_scen *sc, const char *from, const char *to, const char *text, uint64_t at_ns)
{
	uint8_t rp[256];
	uint8_t mr = sc->sms_mr++;
	const struct cs_gen_sms_submit m = {
		.smsc = SMSC, .recipient = to, .text = text != NULL ? text : "See you at 8 at the station",
		.rp_mr = mr, .tp_mr = mr, .validity = TP_VP_24H,
	};

	if (!all_digits(from, 1, 15)) {
		fail(sc, "SMS from '%s': not E.164 digits", from != NULL ? from : "");
		return at_ns;
	}
	return message(sc, from, SMSC, true, rp, cs_encode_sms_submit(rp, sizeof(rp), &m), at_ns);
}

uint64_t cs_scen_sms_mt(struct cs_scen *sc, const char *to, const char *sender, bool alphanumeric, const char *text,
			uint64_t at_ns)
{
	uint8_t rp[256];
	const struct cs_gen_sms_deliver m = {
		.smsc = SMSC, .sender = sender, .alphanumeric = alphanumeric,
		.text = text != NULL ? text : "Call me when you land", .rp_mr = sc->sms_mr++,
		.scts = cs_gen_sms_time_utc(sc->start_ns + at_ns),
	};

	if (!all_digits(to, 1, 15)) {
		fail(sc, "SMS to '%s': not E.164 digits", to != NULL ? to : "");
		return at_ns;
	}
	return message(sc, SMSC, to, false, rp, cs_encode_sms_deliver(rp, sizeof(rp), &m), at_ns);
}
