/* SPDX-License-Identifier: Apache-2.0 */
#include "session_dir.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "gpdu_map.h"
#include "key_hash.h"
#include "seqlock.h"

/*
 * One session entry, 256 bytes, four cache lines: the first holds what a
 * GTP-U reader copies (seqlock, generation, identities, location), the
 * rest is writer-side bookkeeping (its keys, so deletion can find them,
 * and the APN).
 */
struct entry {
	uint32_t seq;
	uint32_t generation;
	uint8_t in_use;
	uint8_t rat;
	uint8_t gtp_version;
	uint8_t nkeys;
	uint8_t referenced; /* CLOCK bit: signalled since the sweep last passed */
	cs_digits imsi, msisdn, imei;
	struct cs_uli uli;
	uint64_t created_ns;
	uint64_t last_signal_ns;

	struct cs_fteid keys[CS_SESSION_MAX_FTEIDS];
	uint8_t key_role[CS_SESSION_MAX_FTEIDS];
	uint8_t key_ebi[CS_SESSION_MAX_FTEIDS];
	uint8_t has_ue_ipv4, has_ue_ipv6;
	struct cs_ip_addr ue_ipv4, ue_ipv6;
	char apn[CS_APN_MAX + 1];
} __rte_cache_aligned;

/* An entry deleted but perhaps still being read: reusable once token has passed. */
struct pending_free {
	uint32_t index;
	uint64_t token;
};

struct cs_session_dir {
	struct rte_hash *by_fteid, *by_ue_ip, *by_msisdn;
	/*
	 * User-plane F-TEIDs on IPv4 nodes live in the G-PDU map
	 * (gpdu_map.h), every other F-TEID in by_fteid: control ones, those on
	 * IPv6 nodes, and the few the map had no room for (user_elsewhere of
	 * them are user-plane; while there are none, a G-PDU the map does not
	 * know is not looked up again).
	 */
	struct cs_gpdu_map *gpdu;
	uint32_t user_elsewhere;
	struct rte_rcu_qsbr *rcu;
	struct entry *entries;
	uint32_t capacity;
	uint32_t reserve; /* evict ahead while fewer entries are free or in their grace period */
	int writer_reader;

	/* free entries: a stack; deleted ones wait in a FIFO for their grace period */
	uint32_t *free_stack;
	uint32_t free_top;
	struct pending_free *pending;
	uint32_t pending_head, pending_count;

	uint32_t clock_hand;  /* eviction sweep position */
	uint32_t expire_hand; /* idle-expiry sweep position */
	struct cs_session_dir_stats stats;
};

/* hash data: entry index << 2 | role */
static inline void *pack(uint32_t index, unsigned int role)
{
	return (void *)(uintptr_t)((uint64_t)index << 2 | role);
}

static inline uint32_t unpack_index(void *data)
{
	return (uint32_t)((uintptr_t)data >> 2);
}

static inline unsigned int unpack_role(void *data)
{
	return (unsigned int)((uintptr_t)data & 3);
}

static struct rte_hash *make_hash(const char *name, const char *suffix, uint32_t entries, uint32_t key_len,
				  int socket, struct rte_rcu_qsbr *rcu)
{
	char full[RTE_HASH_NAMESIZE];
	snprintf(full, sizeof(full), "%s_%s", name, suffix);
	struct rte_hash_parameters p = {
		.name = full,
		.entries = RTE_MAX(entries, 64u), /* rte_hash wants at least a few buckets' worth */
		.key_len = key_len,
		.hash_func = cs_key_crc,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash *h = rte_hash_create(&p);
	if (h == NULL)
		return NULL;
	struct rte_hash_rcu_config rc = { .v = rcu, .mode = RTE_HASH_QSBR_MODE_DQ };
	if (rte_hash_rcu_qsbr_add(h, &rc) != 0) {
		rte_hash_free(h);
		return NULL;
	}
	return h;
}

struct cs_session_dir *cs_session_dir_create(const char *name, const struct cs_session_dir_conf *conf, char *err,
					     size_t errlen)
{
	struct cs_session_dir *d = rte_zmalloc_socket(name, sizeof(*d), RTE_CACHE_LINE_SIZE, conf->socket_id);
	uint32_t cap = conf->capacity;

	if (d == NULL || cap == 0 || conf->max_readers == 0)
		goto fail;
	d->capacity = cap;
	d->writer_reader = conf->writer_reader;
	d->reserve = RTE_MIN(64u, cap / 16);
	size_t rcu_size = rte_rcu_qsbr_get_memsize(conf->max_readers);
	d->rcu = rte_zmalloc_socket(name, rcu_size, RTE_CACHE_LINE_SIZE, conf->socket_id);
	d->entries = rte_zmalloc_socket(name, sizeof(struct entry) * cap, RTE_CACHE_LINE_SIZE, conf->socket_id);
	d->free_stack = rte_malloc_socket(name, sizeof(uint32_t) * cap, 0, conf->socket_id);
	d->pending = rte_malloc_socket(name, sizeof(struct pending_free) * cap, 0, conf->socket_id);
	if (d->rcu == NULL || d->entries == NULL || d->free_stack == NULL || d->pending == NULL ||
	    rte_rcu_qsbr_init(d->rcu, conf->max_readers) != 0)
		goto fail;
	for (uint32_t r = 0; r < conf->max_readers; r++)
		rte_rcu_qsbr_thread_register(d->rcu, r);
	/* a session holds up to CS_SESSION_MAX_FTEIDS keys; two per session is the common case */
	d->by_fteid = make_hash(name, "fteid", cap * 4, sizeof(struct cs_fteid), conf->socket_id, d->rcu);
	d->by_ue_ip = make_hash(name, "ueip", cap * 2, sizeof(struct cs_ip_addr), conf->socket_id, d->rcu);
	d->by_msisdn = make_hash(name, "msisdn", cap, sizeof(cs_digits), conf->socket_id, d->rcu);
	d->gpdu = cs_gpdu_map_create(name, cap * 2, conf->socket_id);
	if (d->by_fteid == NULL || d->by_ue_ip == NULL || d->by_msisdn == NULL || d->gpdu == NULL)
		goto fail;
	for (uint32_t i = 0; i < cap; i++)
		d->free_stack[i] = cap - 1 - i;
	d->free_top = cap;
	return d;
fail:
	snprintf(err, errlen, "session directory of %u sessions: %s", cap,
		 rte_errno != 0 ? rte_strerror(rte_errno) : "out of DPDK memory");
	cs_session_dir_free(d);
	return NULL;
}

void cs_session_dir_free(struct cs_session_dir *d)
{
	if (d == NULL)
		return;
	rte_hash_free(d->by_fteid);
	cs_gpdu_map_free(d->gpdu);
	rte_hash_free(d->by_ue_ip);
	rte_hash_free(d->by_msisdn);
	rte_free(d->pending);
	rte_free(d->free_stack);
	rte_free(d->entries);
	rte_free(d->rcu);
	rte_free(d);
}

void cs_session_dir_reader_online(struct cs_session_dir *d, unsigned int reader)
{
	rte_rcu_qsbr_thread_online(d->rcu, reader);
}

void cs_session_dir_quiescent(struct cs_session_dir *d, unsigned int reader)
{
	rte_rcu_qsbr_quiescent(d->rcu, reader);
}

/* A consistent copy of entry index, as of now; 0 if it was freed meanwhile. */
static int read_view(struct cs_session_dir *d, uint32_t index, unsigned int role, struct cs_session_view *out)
{
	const struct entry *e = &d->entries[index];
	uint32_t sn;
	int live;

	do {
		sn = cs_seq_read_begin(&e->seq);
		live = e->in_use;
		out->session_ref = (uint64_t)index << 32 | e->generation;
		out->imsi = e->imsi;
		out->msisdn = e->msisdn;
		out->imei = e->imei;
		out->rat = e->rat;
		out->gtp_version = e->gtp_version;
		out->uli = e->uli;
		out->created_ns = e->created_ns;
	} while (cs_seq_read_retry(&e->seq, sn));
	out->role = (uint8_t)role;
	return live;
}

static int find(struct cs_session_dir *d, struct rte_hash *h, const void *key, struct cs_session_view *out)
{
	void *data;

	if (rte_hash_lookup_data(h, key, &data) < 0)
		return 0;
	return read_view(d, unpack_index(data), unpack_role(data), out);
}

int cs_session_dir_find_fteid(struct cs_session_dir *d, const struct cs_fteid *k, struct cs_session_view *out)
{
	struct cs_gpdu_hit hit;

	if (cs_gpdu_map_takes(k) && cs_gpdu_map_find(d->gpdu, k, &hit))
		return read_view(d, (uint32_t)(hit.session_ref >> 32), hit.role, out);
	return find(d, d->by_fteid, k, out);
}

/* The keys of mask (of keys[0..n-1]) in by_fteid: one bulk lookup, then the entries prefetched and read. */
static uint32_t find_elsewhere_bulk(struct cs_session_dir *d, const struct cs_fteid *const *keys, unsigned int n,
				   uint32_t mask, struct cs_session_view *out)
{
	const struct cs_fteid *k[32];
	unsigned int at[32], m = 0;
	void *data[32];
	uint64_t hits = 0;
	uint32_t found = 0;

	for (unsigned int i = 0; i < n; i++)
		if (mask & (1u << i)) {
			k[m] = keys[i];
			at[m++] = i;
		}
	if (m == 0 || rte_hash_lookup_bulk_data(d->by_fteid, (const void **)k, m, &hits, data) <= 0)
		return 0;
	for (unsigned int j = 0; j < m; j++)
		if (hits & (1ull << j))
			rte_prefetch0(&d->entries[unpack_index(data[j])]);
	for (unsigned int j = 0; j < m; j++)
		if ((hits & (1ull << j)) && read_view(d, unpack_index(data[j]), unpack_role(data[j]), &out[at[j]]))
			found |= 1u << at[j];
	return found;
}

uint32_t cs_session_dir_find_fteid_bulk(struct cs_session_dir *d, const struct cs_fteid *const *keys, unsigned int n,
					struct cs_session_view *out)
{
	const struct cs_fteid *mapped[32];
	struct cs_gpdu_hit hits[32];
	unsigned int at[32], m = 0;
	uint32_t found = 0, elsewhere = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (cs_gpdu_map_takes(keys[i])) {
			mapped[m] = keys[i];
			at[m++] = i;
		} else {
			elsewhere |= 1u << i;
		}
	}
	uint32_t in_map = m > 0 ? cs_gpdu_map_find_bulk(d->gpdu, mapped, m, hits) : 0;
	for (unsigned int j = 0; j < m; j++) {
		if (in_map & (1u << j)) {
			out[at[j]] = (struct cs_session_view){
				.session_ref = hits[j].session_ref, .imsi = hits[j].imsi, .role = hits[j].role,
			};
			found |= 1u << at[j];
		} else if (d->user_elsewhere > 0) {
			elsewhere |= 1u << at[j];
		}
	}
	return elsewhere != 0 ? found | find_elsewhere_bulk(d, keys, n, elsewhere, out) : found;
}

int cs_session_dir_find_ue_ip(struct cs_session_dir *d, const struct cs_ip_addr *ue, struct cs_session_view *out)
{
	return find(d, d->by_ue_ip, ue, out);
}

cs_digits cs_session_dir_imsi_of_msisdn(struct cs_session_dir *d, cs_digits msisdn)
{
	struct cs_session_view v;

	return find(d, d->by_msisdn, &msisdn, &v) ? v.imsi : CS_DIGITS_NONE;
}

/* ---- writer ---- */

/*
 * Moves entries whose grace period has passed back to the free stack.
 * The writer holds no reference from its own lookups while it writes, so
 * when it is also a reader it reports itself quiescent first: otherwise a
 * lone RX lcore could never reuse what it deleted within one burst.
 */
static void reclaim(struct cs_session_dir *d)
{
	if (d->writer_reader >= 0)
		rte_rcu_qsbr_quiescent(d->rcu, (unsigned int)d->writer_reader);
	while (d->pending_count > 0) {
		const struct pending_free *p = &d->pending[d->pending_head];
		if (rte_rcu_qsbr_check(d->rcu, p->token, false) != 1)
			break;
		d->free_stack[d->free_top++] = p->index;
		d->pending_head = (d->pending_head + 1) % d->capacity;
		d->pending_count--;
	}
}

static void remove_key(struct cs_session_dir *d, struct entry *e, unsigned int k)
{
	bool user = e->key_role[k] != CS_ROLE_CONTROL;

	if (!user || !cs_gpdu_map_takes(&e->keys[k]) || !cs_gpdu_map_del(d->gpdu, &e->keys[k])) {
		rte_hash_del_key(d->by_fteid, &e->keys[k]);
		d->user_elsewhere -= user;
	}
	e->nkeys--;
	e->keys[k] = e->keys[e->nkeys];
	e->key_role[k] = e->key_role[e->nkeys];
	e->key_ebi[k] = e->key_ebi[e->nkeys];
}

void cs_session_dir_delete(struct cs_session_dir *d, uint32_t index)
{
	struct entry *e = &d->entries[index];

	if (!e->in_use)
		return;
	while (e->nkeys > 0)
		remove_key(d, e, e->nkeys - 1);
	if (e->has_ue_ipv4)
		rte_hash_del_key(d->by_ue_ip, &e->ue_ipv4);
	if (e->has_ue_ipv6)
		rte_hash_del_key(d->by_ue_ip, &e->ue_ipv6);
	if (e->msisdn != CS_DIGITS_NONE) {
		void *data;
		/* the MSISDN may already point at a newer session of the same subscriber */
		if (rte_hash_lookup_data(d->by_msisdn, &e->msisdn, &data) >= 0 && unpack_index(data) == index)
			rte_hash_del_key(d->by_msisdn, &e->msisdn);
	}
	cs_seq_write_begin(&e->seq);
	e->in_use = 0;
	cs_seq_write_end(&e->seq);
	d->pending[(d->pending_head + d->pending_count) % d->capacity] =
		(struct pending_free){ .index = index, .token = rte_rcu_qsbr_start(d->rcu) };
	d->pending_count++;
	d->stats.deleted++;
	d->stats.active--;
}

/*
 * CLOCK: sweep from the hand, clearing reference bits, and evict the first
 * session not signalled since the hand last passed it. Bounded by two
 * turns of the table; called only when the table is full.
 */
static int64_t evict_one(struct cs_session_dir *d, struct cs_session_view *victim)
{
	for (uint64_t step = 0; step < 2ull * d->capacity; step++) {
		uint32_t i = d->clock_hand;
		struct entry *e = &d->entries[i];

		d->clock_hand = (i + 1) % d->capacity;
		if (!e->in_use)
			continue;
		if (e->referenced) {
			e->referenced = 0;
			continue;
		}
		cs_session_dir_view(d, i, victim);
		cs_session_dir_delete(d, i);
		d->stats.evicted++;
		return i;
	}
	return -1;
}

int64_t cs_session_dir_create_session(struct cs_session_dir *d, const struct cs_session_info *info,
				      uint64_t now_ns, struct cs_session_view *evicted, int *did_evict)
{
	*did_evict = 0;
	reclaim(d);
	/*
	 * Evict ahead of need: an evicted entry is reusable only after every
	 * reader passed a quiescent state (once per burst), so the directory
	 * keeps a small reserve of entries free or on their way to being free.
	 */
	if (d->free_top + d->pending_count <= d->reserve && d->stats.active > 0) {
		*did_evict = evict_one(d, evicted) >= 0;
		reclaim(d);
	}
	if (d->free_top == 0) {
		d->stats.full_refusals++;
		return -1;
	}
	uint32_t index = d->free_stack[--d->free_top];
	struct entry *e = &d->entries[index];

	cs_seq_write_begin(&e->seq);
	e->generation++;
	e->in_use = 1;
	e->imsi = info->imsi;
	e->msisdn = info->msisdn;
	e->imei = info->imei;
	e->rat = info->rat;
	e->gtp_version = info->gtp_version;
	e->uli = info->uli;
	e->created_ns = now_ns;
	cs_seq_write_end(&e->seq);
	e->last_signal_ns = now_ns;
	e->referenced = 1;
	e->nkeys = 0;
	e->has_ue_ipv4 = info->has_ue_ipv4;
	e->has_ue_ipv6 = info->has_ue_ipv6;
	e->ue_ipv4 = info->ue_ipv4;
	e->ue_ipv6 = info->ue_ipv6;
	memcpy(e->apn, info->apn, sizeof(e->apn));
	e->apn[CS_APN_MAX] = '\0';

	if (e->has_ue_ipv4)
		rte_hash_add_key_data(d->by_ue_ip, &e->ue_ipv4, pack(index, CS_ROLE_CONTROL));
	if (e->has_ue_ipv6)
		rte_hash_add_key_data(d->by_ue_ip, &e->ue_ipv6, pack(index, CS_ROLE_CONTROL));
	if (e->msisdn != CS_DIGITS_NONE)
		rte_hash_add_key_data(d->by_msisdn, &e->msisdn, pack(index, CS_ROLE_CONTROL));
	d->stats.created++;
	d->stats.active++;
	return index;
}

/* The entry and role k belongs to now, wherever it lives; -1 if none. */
static int64_t owner_of(struct cs_session_dir *d, const struct cs_fteid *k, unsigned int *role)
{
	struct cs_gpdu_hit hit;
	void *data;

	if (cs_gpdu_map_takes(k) && cs_gpdu_map_find(d->gpdu, k, &hit)) {
		*role = hit.role;
		return (int64_t)(hit.session_ref >> 32);
	}
	if (rte_hash_lookup_data(d->by_fteid, k, &data) < 0)
		return -1;
	*role = unpack_role(data);
	return unpack_index(data);
}

int cs_session_dir_add_fteid(struct cs_session_dir *d, uint32_t index, const struct cs_fteid *k,
			     enum cs_fteid_role role, uint8_t ebi)
{
	struct entry *e = &d->entries[index];
	unsigned int owner_role;

	if (!e->in_use)
		return -1;
	int64_t owner = owner_of(d, k, &owner_role);
	if (owner >= 0) {
		if (owner == index && owner_role == (unsigned int)role)
			return 0; /* already this session's: a response repeating the request's F-TEID */
		/* a TEID reused by its node now belongs to this session: unhook the old owner's key */
		struct entry *old = &d->entries[owner];
		for (unsigned int i = 0; i < old->nkeys; i++)
			if (memcmp(&old->keys[i], k, sizeof(*k)) == 0) {
				remove_key(d, old, i);
				break;
			}
	}
	if (e->nkeys == CS_SESSION_MAX_FTEIDS)
		return -1;
	const struct cs_gpdu_hit hit = {
		.imsi = e->imsi, .session_ref = (uint64_t)index << 32 | e->generation, .role = (uint8_t)role,
	};
	bool user = role != CS_ROLE_CONTROL;
	if (!user || !cs_gpdu_map_takes(k) || cs_gpdu_map_add(d->gpdu, k, &hit) != 0) {
		if (rte_hash_add_key_data(d->by_fteid, k, pack(index, role)) != 0)
			return -1;
		d->user_elsewhere += user;
	}
	e->keys[e->nkeys] = *k;
	e->key_role[e->nkeys] = (uint8_t)role;
	e->key_ebi[e->nkeys] = ebi;
	e->nkeys++;
	return 0;
}

void cs_session_dir_remove_bearer(struct cs_session_dir *d, uint32_t index, uint8_t ebi)
{
	struct entry *e = &d->entries[index];

	for (unsigned int i = 0; i < e->nkeys;) {
		if (e->key_ebi[i] == ebi && e->key_role[i] != CS_ROLE_CONTROL)
			remove_key(d, e, i);
		else
			i++;
	}
}

void cs_session_dir_update(struct cs_session_dir *d, uint32_t index, const struct cs_uli *uli, uint8_t rat,
			   cs_digits imei, uint64_t now_ns)
{
	struct entry *e = &d->entries[index];

	cs_seq_write_begin(&e->seq);
	if (uli != NULL)
		e->uli = *uli;
	if (rat != 0)
		e->rat = rat;
	if (imei != CS_DIGITS_NONE)
		e->imei = imei;
	cs_seq_write_end(&e->seq);
	e->last_signal_ns = now_ns;
	e->referenced = 1;
}

int64_t cs_session_dir_index_of_control(struct cs_session_dir *d, const struct cs_fteid *k)
{
	void *data;

	if (rte_hash_lookup_data(d->by_fteid, k, &data) < 0 || unpack_role(data) != CS_ROLE_CONTROL)
		return -1;
	return unpack_index(data);
}

void cs_session_dir_view(struct cs_session_dir *d, uint32_t index, struct cs_session_view *out)
{
	read_view(d, index, CS_ROLE_CONTROL, out);
}

const char *cs_session_dir_apn(struct cs_session_dir *d, uint32_t index)
{
	return d->entries[index].apn;
}

void cs_session_dir_ue_addresses(struct cs_session_dir *d, uint32_t index, uint8_t *has_v4, struct cs_ip_addr *v4,
				 uint8_t *has_v6, struct cs_ip_addr *v6)
{
	const struct entry *e = &d->entries[index];

	*has_v4 = e->has_ue_ipv4;
	*v4 = e->ue_ipv4;
	*has_v6 = e->has_ue_ipv6;
	*v6 = e->ue_ipv6;
}

unsigned int cs_session_dir_expire(struct cs_session_dir *d, uint64_t idle_before_ns, unsigned int budget,
				   struct cs_session_view *expired, unsigned int max_expired)
{
	unsigned int n = 0;

	for (unsigned int step = 0; step < budget && step < d->capacity && n < max_expired; step++) {
		uint32_t i = d->expire_hand;
		struct entry *e = &d->entries[i];

		d->expire_hand = (i + 1) % d->capacity;
		if (e->in_use && e->last_signal_ns < idle_before_ns) {
			cs_session_dir_view(d, i, &expired[n++]);
			cs_session_dir_delete(d, i);
		}
	}
	return n;
}

void cs_session_dir_stats(const struct cs_session_dir *d, struct cs_session_dir_stats *out)
{
	*out = d->stats;
}

uint32_t cs_session_dir_capacity(const struct cs_session_dir *d)
{
	return d->capacity;
}
