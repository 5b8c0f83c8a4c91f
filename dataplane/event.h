/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_EVENT_H
#define CS_EVENT_H

#include <stdint.h>

#include "decode_l2l4.h"
#include "digits.h"
#include "session_dir.h"

/*
 * Events: what crosses from the RX/decode lcores to the workers, and (as
 * records) from the workers to export. Packets stop at the decode stage;
 * downstream sees only these fixed layouts, copied by value through
 * rte_rings of 64-byte slots. A message takes 1 to CS_EVENT_MAX_SLOTS
 * consecutive slots, its header says how many, and the producer enqueues
 * all of them at once (bulk, all or nothing), so a consumer that has seen
 * a header can always take the rest at once (event_ring.h).
 *
 *   slot 0                                   slots 1..n-1
 *   +------+-------+----------+----------+-------------------------+
 *   | kind | slots | producer | reserved | ts_ns | body ...        |
 *   +------+-------+----------+----------+-------------------------+
 *     1      1       2          4          8
 *
 * The common one, CS_EV_DATA (a GTP-U packet attributed to a subscriber),
 * fits one slot: one cache line per packet on the ring. Session, call and
 * SMS messages carry their strings inline (APN, Call-ID, alphanumeric
 * senders) so nothing downstream points back into decode-stage memory.
 * ts_ns is event time (capture time in replay), never the wall clock.
 * Every message type aligns its header to a slot, which makes its size a
 * whole number of slots: the ring copies exactly the object's bytes.
 */
enum { CS_EVENT_SLOT = 64, CS_EVENT_MAX_SLOTS = 8 };

enum cs_event_kind {
	CS_EV_END = 1,     /* the producer has drained its input */
	CS_EV_DATA = 2,    /* GTP-U traffic of a session */
	CS_EV_SESSION = 3, /* a session opened, changed or closed (GTP-C) */
	CS_EV_CALL = 4,    /* a call that ended, in any way (SIP) */
	CS_EV_SMS = 5,     /* one SMS over IP (SIP MESSAGE) */
	CS_REC_SESSION = 6, /* worker -> export: a session CDR */
	CS_EV_SIGHTING = 7, /* a SIM seen with a device, in a cell or with a number: for the key's shard */
	CS_REC_ANOMALY = 8, /* worker -> export: a rule tripped (anomaly.h) */
};

struct cs_event_hdr {
	uint8_t kind;
	uint8_t slots;
	uint16_t producer;
	uint32_t reserved;
	uint64_t ts_ns;
};

#define CS_EVENT_SLOTS(type) ((uint8_t)(sizeof(type) / CS_EVENT_SLOT))

enum cs_direction { CS_DIR_UPLINK = 1, CS_DIR_DOWNLINK = 2 };

/* One G-PDU. peer is the far end of the inner packet: its destination uplink, its source downlink. */
struct cs_ev_data {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	cs_digits imsi;
	uint64_t session_ref;
	uint32_t bytes; /* inner IP datagram length */
	uint8_t dir;    /* enum cs_direction */
	uint8_t ip_version;
	uint8_t l4_proto;
	uint8_t reserved;
	struct cs_ip_addr peer;
};

enum cs_session_change { CS_SESSION_OPEN = 1, CS_SESSION_UPDATE = 2, CS_SESSION_CLOSE = 3 };

enum cs_session_close {
	CS_CLOSE_NONE = 0,
	CS_CLOSE_DELETED = 1,      /* Delete Session / Delete PDP Context accepted */
	CS_CLOSE_IDLE = 2,         /* no signalling for the idle timeout */
	CS_CLOSE_EVICTED = 3,      /* the directory was full */
	CS_CLOSE_END_OF_INPUT = 4, /* replay ended with the session open */
};

struct cs_ev_session {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	uint8_t change;       /* enum cs_session_change */
	uint8_t close_reason; /* enum cs_session_close */
	uint8_t rat;
	uint8_t gtp_version;  /* 1 or 2 */
	uint8_t has_ue_ipv4, has_ue_ipv6;
	uint8_t reserved[2];
	uint64_t session_ref;
	cs_digits imsi, msisdn, imei;
	struct cs_uli uli;
	struct cs_ip_addr ue_ipv4, ue_ipv6;
	uint64_t created_ns;
	char apn[CS_APN_MAX + 1];
};

/* How a call ended (RFC 3261 dialog outcomes as a probe can observe them). */
enum cs_call_outcome {
	CS_CALL_ANSWERED = 1,  /* 2xx to the INVITE, then BYE */
	CS_CALL_CANCELLED = 2, /* CANCEL before a final response */
	CS_CALL_REJECTED = 3,  /* a 4xx/5xx/6xx final response */
	CS_CALL_ABANDONED = 4, /* answered or ringing, and its end never seen before the timeout */
	CS_CALL_TIMEOUT = 5,   /* no final response before the timeout */
};

enum cs_call_side { CS_SIDE_UNKNOWN = 0, CS_SIDE_CALLER = 1, CS_SIDE_CALLEE = 2 };
enum cs_transport { CS_TRANSPORT_UDP = 1, CS_TRANSPORT_TCP = 2, CS_TRANSPORT_GTPU = 3 };
enum { CS_CALL_ID_MAX = 127, CS_ALPHA_MAX = 11 };

struct cs_ev_call {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	cs_digits imsi;   /* the caller's, when known (GTP-U bearer, IMS auth, or MSISDN) */
	cs_digits caller; /* E.164 */
	cs_digits callee;
	cs_digits callee_imsi; /* the callee's, when the directory knows its MSISDN */
	uint64_t setup_ns, ringing_ns, answer_ns, end_ns; /* 0 when not seen */
	uint16_t status;  /* final response to the INVITE, 0 if none */
	uint8_t outcome;  /* enum cs_call_outcome */
	uint8_t ended_by; /* enum cs_call_side */
	uint8_t transport;
	uint8_t call_id_len;
	uint8_t for_callee; /* a copy for the callee's shard: its state counts an MT call; no record */
	uint8_t reserved;
	char call_id[CS_CALL_ID_MAX + 1];
};

struct cs_ev_sms {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	cs_digits imsi;
	cs_digits originator; /* CS_DIGITS_NONE with originator_alpha set for alphanumeric senders */
	cs_digits recipient;
	cs_digits smsc;
	uint8_t direction; /* enum cs_sms_direction (decode_sms.h): MO or MT */
	uint8_t transport;
	uint8_t rp_mr, tp_mr;
	char originator_alpha[CS_ALPHA_MAX + 1];
	uint8_t call_id_len;
	char call_id[CS_CALL_ID_MAX + 1];
};

/*
 * The secondary aggregates are keyed by something other than the IMSI, so
 * they live on the shard that owns their key (cs_shard_of(key)): a SIM
 * box's SIMs spread over every IMSI shard, but its gateway (IMEI), its
 * cell and its number block each have one. The decode stage sends a
 * sighting there for each identity a session signals (open and update).
 */
enum cs_sighting_kind {
	CS_SIGHT_DEVICE = 1, /* key: the IMEI; its device counts the SIM (device_state.h) */
	CS_SIGHT_CELL = 2,   /* key: cs_cell_key(); the cell counts the SIM as active (cell_state.h) */
	CS_SIGHT_NUMBER = 3, /* key: the MSISDN's block prefix, suffix its last digits (block_state.h) */
};

struct cs_ev_sighting {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	uint8_t kind; /* enum cs_sighting_kind */
	uint8_t reserved[3];
	uint32_t suffix; /* CS_SIGHT_NUMBER: the number within its block */
	uint64_t key;
	cs_digits imsi;
};

/* A session CDR: the session as opened, with its traffic, when it closed or at an interim. */
struct cs_rec_session {
	struct cs_ev_session s; /* identity as last known; h.ts_ns = record time */
	uint64_t first_data_ns, last_data_ns;
	uint64_t last_record_ns; /* the previous interim record of this session, 0 if none */
	uint64_t bytes_up, bytes_down, packets_up, packets_down;
	uint32_t record_seq; /* 0 for the only or final record; interim records count from 1 */
	uint8_t interim;
	uint8_t reserved[3];
};

_Static_assert(sizeof(struct cs_event_hdr) == 16, "event header is 16 bytes");
_Static_assert(sizeof(struct cs_ev_session) % CS_EVENT_SLOT == 0, "messages are whole slots");
_Static_assert(sizeof(struct cs_rec_session) % CS_EVENT_SLOT == 0, "messages are whole slots");
_Static_assert(sizeof(struct cs_ev_call) % CS_EVENT_SLOT == 0, "messages are whole slots");
_Static_assert(sizeof(struct cs_ev_sms) % CS_EVENT_SLOT == 0, "messages are whole slots");
_Static_assert(sizeof(struct cs_ev_data) <= CS_EVENT_SLOT, "a data event is one slot");
_Static_assert(sizeof(struct cs_ev_sighting) == CS_EVENT_SLOT, "a sighting is one slot");
_Static_assert(sizeof(struct cs_ev_session) <= CS_EVENT_MAX_SLOTS * CS_EVENT_SLOT, "session event fits");
_Static_assert(sizeof(struct cs_ev_call) <= CS_EVENT_MAX_SLOTS * CS_EVENT_SLOT, "call event fits");
_Static_assert(sizeof(struct cs_rec_session) <= CS_EVENT_MAX_SLOTS * CS_EVENT_SLOT, "session record fits");

#endif
