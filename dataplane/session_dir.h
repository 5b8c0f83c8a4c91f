/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_SESSION_DIR_H
#define CS_SESSION_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "decode_l2l4.h"
#include "digits.h"

/*
 * The session directory: who a packet belongs to.
 *
 * GTP-C fills it; GTP-U and SIP resolve their subscriber through it:
 *
 *   F-TEID (node address, TEID) -> session, with the key's role
 *                                  (control, uplink or downlink user plane)
 *   UE address (IPv4 or IPv6)    -> session
 *   MSISDN                       -> IMSI
 *
 * Concurrency: exactly one writer, the lcore that decodes GTP-C; any
 * number of RX lcores read without locks. The three rte_hash tables run in
 * lock-free read mode, their freed key slots are reclaimed through RCU
 * (QSBR: every reader reports a quiescent state once per burst), and a
 * session entry is read under a seqlock, so a reader never sees a half
 * written entry; an entry is reused only after every reader has passed a
 * quiescent state since it was deleted, and its generation changes with
 * each reuse, so (index, generation) names one session for its whole life.
 *
 * Capacity is fixed at creation; as the table fills up the least
 * recently signalled session is evicted (a CLOCK sweep of the entries),
 * a little ahead of need so that evicted entries have passed their grace
 * period by the time they are needed, and every eviction is counted.
 */

enum { CS_APN_MAX = 100, CS_SESSION_MAX_FTEIDS = 8 };

enum cs_fteid_role {
	CS_ROLE_CONTROL = 0,  /* GTP-C endpoint of the session (S11/S4/S5 control) */
	CS_ROLE_UPLINK = 1,   /* user plane towards the core: SGW/PGW/UPF side */
	CS_ROLE_DOWNLINK = 2, /* user plane towards the UE: eNodeB/gNodeB side */
};

struct cs_fteid {
	struct cs_ip_addr addr;
	uint32_t teid;
};

/*
 * User location as last signalled: the cell (ECGI for LTE, CGI or SAI for
 * 2G/3G) and the tracking or location area, under one PLMN. Built from
 * GTPv2-C ULI (TS 29.274 8.21) or GTPv1-C ULI/RAI (TS 29.060 7.7.51).
 */
enum cs_cell_kind { CS_CELL_NONE = 0, CS_CELL_ECGI = 1, CS_CELL_CGI = 2, CS_CELL_SAI = 3 };
enum cs_area_kind { CS_AREA_NONE = 0, CS_AREA_TAC = 1, CS_AREA_LAC = 2 };

struct cs_uli {
	uint16_t mcc, mnc;
	uint8_t mnc_digits;   /* 2 or 3: "01" and "001" are different networks */
	uint8_t cell_kind;    /* enum cs_cell_kind */
	uint8_t area_kind;    /* enum cs_area_kind */
	uint16_t area;        /* TAC (LTE) or LAC (2G/3G) */
	uint32_t cell;        /* ECI (28 bits), or CI / SAC */
};

/* What a reader gets: a consistent copy of one session's identity. */
struct cs_session_view {
	uint64_t session_ref; /* index << 32 | generation */
	cs_digits imsi, msisdn, imei;
	uint8_t rat;
	uint8_t gtp_version;  /* the GTP-C version that created the session */
	uint8_t role;         /* of the key that was looked up */
	struct cs_uli uli;
	uint64_t created_ns;
};

/* The identity GTP-C establishes, as the writer hands it over. */
struct cs_session_info {
	cs_digits imsi, msisdn, imei;
	uint8_t rat;
	uint8_t gtp_version;
	struct cs_uli uli;
	char apn[CS_APN_MAX + 1];
	uint8_t has_ue_ipv4, has_ue_ipv6;
	struct cs_ip_addr ue_ipv4, ue_ipv6;
};

struct cs_session_dir_conf {
	uint32_t capacity;    /* sessions */
	uint32_t max_readers; /* RX lcores that will read */
	int writer_reader;    /* the writer's own reader id when it also reads (-1: it does not) */
	int socket_id;
};

/* Writer-side counters; readers count their hits and misses themselves. */
struct cs_session_dir_stats {
	uint64_t created, deleted, evicted, full_refusals;
	uint32_t active;
};

struct cs_session_dir;

struct cs_session_dir *cs_session_dir_create(const char *name, const struct cs_session_dir_conf *conf, char *err,
					     size_t errlen);
void cs_session_dir_free(struct cs_session_dir *dir);

/* ---- readers (any RX lcore, reader ids 0 .. max_readers-1) ---- */

void cs_session_dir_reader_online(struct cs_session_dir *dir, unsigned int reader);
/* Once per burst: the reader holds no reference into the directory now. */
void cs_session_dir_quiescent(struct cs_session_dir *dir, unsigned int reader);

/* Returns 1 and fills out when the F-TEID is known, 0 otherwise. */
int cs_session_dir_find_fteid(struct cs_session_dir *dir, const struct cs_fteid *k, struct cs_session_view *out);
/*
 * What a G-PDU needs (session_ref, imsi, role) for n keys at once (n <=
 * 32), the rest of each view left zero or unspecified. User-plane keys on
 * IPv4 nodes come from the G-PDU map (gpdu_map.h): their buckets are
 * prefetched together and hold those three fields, so no entry is read;
 * other keys from one bulk hash lookup, their entries prefetched before
 * they are read. Either way the cache misses of a burst overlap instead
 * of queueing. Returns a mask of the keys found; out[i] is filled for each.
 */
uint32_t cs_session_dir_find_fteid_bulk(struct cs_session_dir *dir, const struct cs_fteid *const *keys, unsigned int n,
					struct cs_session_view *out);
int cs_session_dir_find_ue_ip(struct cs_session_dir *dir, const struct cs_ip_addr *ue, struct cs_session_view *out);
cs_digits cs_session_dir_imsi_of_msisdn(struct cs_session_dir *dir, cs_digits msisdn);

/* ---- the writer (one lcore) ---- */

/*
 * Creates a session with its identity and returns its index, or -1 if no
 * entry could be had (capacity, or the keys' tables are full). When the
 * directory is full the least recently signalled session is evicted to
 * make room; *evicted then receives its view so the caller can close it.
 */
int64_t cs_session_dir_create_session(struct cs_session_dir *dir, const struct cs_session_info *info,
				      uint64_t now_ns, struct cs_session_view *evicted, int *did_evict);
/* Adds an F-TEID with its role (and the EPS bearer it belongs to, 0 for none). */
int cs_session_dir_add_fteid(struct cs_session_dir *dir, uint32_t index, const struct cs_fteid *k,
			     enum cs_fteid_role role, uint8_t ebi);
/* Removes the F-TEIDs of one bearer (Delete Bearer). */
void cs_session_dir_remove_bearer(struct cs_session_dir *dir, uint32_t index, uint8_t ebi);
/* Updates location, RAT or IMEI as later signalling reports them. */
void cs_session_dir_update(struct cs_session_dir *dir, uint32_t index, const struct cs_uli *uli, uint8_t rat,
			   cs_digits imei, uint64_t now_ns);
/* Looks up the session a control F-TEID names (writer side, no copy). Returns index or -1. */
int64_t cs_session_dir_index_of_control(struct cs_session_dir *dir, const struct cs_fteid *k);
/* Fills a view of the entry at index (writer side). */
void cs_session_dir_view(struct cs_session_dir *dir, uint32_t index, struct cs_session_view *out);
/* The APN of the entry at index (writer side; stable until the entry is deleted). */
const char *cs_session_dir_apn(struct cs_session_dir *dir, uint32_t index);
/* The UE addresses of the entry at index (writer side). */
void cs_session_dir_ue_addresses(struct cs_session_dir *dir, uint32_t index, uint8_t *has_v4, struct cs_ip_addr *v4,
				 uint8_t *has_v6, struct cs_ip_addr *v6);
/* Deletes the session and all its keys. */
void cs_session_dir_delete(struct cs_session_dir *dir, uint32_t index);

/*
 * Idle expiry, incremental: looks at up to budget entries from where the
 * last call stopped; each session without signalling since before
 * idle_before_ns is reported through its view in expired[] (at most
 * max_expired) and deleted. Returns how many expired.
 */
unsigned int cs_session_dir_expire(struct cs_session_dir *dir, uint64_t idle_before_ns, unsigned int budget,
				   struct cs_session_view *expired, unsigned int max_expired);

void cs_session_dir_stats(const struct cs_session_dir *dir, struct cs_session_dir_stats *out);

/* Sessions the directory can hold. */
uint32_t cs_session_dir_capacity(const struct cs_session_dir *dir);

#endif
