/* SPDX-License-Identifier: Apache-2.0 */
#include "gpdu_map.h"

#include <string.h>

#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "seqlock.h"

/* The layout drawn in gpdu_map.h. */
struct slot {
	uint32_t teid;
	uint32_t addr;       /* the node's IPv4 address, as its 4 bytes lie in cs_ip_addr */
	uint32_t index;      /* the session's directory entry */
	uint32_t generation; /* of that entry */
	uint32_t imsi_lo, imsi_hi;
	uint32_t role1;      /* the key's role + 1; 0: the slot is free */
};

struct bucket {
	uint32_t seq;
	struct slot s[2];
	uint32_t pad;
};

_Static_assert(sizeof(struct slot) == 28, "gpdu_map.h's slot layout");
_Static_assert(sizeof(struct bucket) == RTE_CACHE_LINE_SIZE, "a bucket is one cache line");

struct cs_gpdu_map {
	struct bucket *buckets;
	uint64_t mask;
	uint64_t bytes;
};

/* two hashes of a key: the same CRC32-C instruction with two seeds */
static const uint32_t SEED_1 = 0x9e3779b9u, SEED_2 = 0x85ebca6bu;

static inline uint64_t key_word(const struct cs_fteid *k)
{
	uint32_t addr;

	memcpy(&addr, k->addr.b, sizeof(addr));
	return (uint64_t)addr << 32 | k->teid;
}

static inline struct bucket *first_of(const struct cs_gpdu_map *m, uint64_t word)
{
	return &m->buckets[rte_hash_crc_8byte(word, SEED_1) & m->mask];
}

static inline struct bucket *second_of(const struct cs_gpdu_map *m, uint64_t word)
{
	return &m->buckets[rte_hash_crc_8byte(word, SEED_2) & m->mask];
}

static inline bool holds(const struct slot *s, uint64_t word)
{
	return s->role1 != 0 && s->teid == (uint32_t)word && s->addr == (uint32_t)(word >> 32);
}

bool cs_gpdu_map_takes(const struct cs_fteid *k)
{
	static const uint8_t zero[12];

	return memcmp(k->addr.b + 4, zero, sizeof(zero)) == 0;
}

struct cs_gpdu_map *cs_gpdu_map_create(const char *name, uint32_t keys, int socket)
{
	/* two slots a bucket, half of them free: as many buckets as keys, rounded up to a power of two */
	uint64_t n = rte_align64pow2(keys < 64 ? 64 : keys);
	struct cs_gpdu_map *m = rte_zmalloc_socket(name, sizeof(*m), RTE_CACHE_LINE_SIZE, socket);

	if (m == NULL)
		return NULL;
	m->buckets = rte_zmalloc_socket(name, n * sizeof(struct bucket), RTE_CACHE_LINE_SIZE, socket);
	if (m->buckets == NULL) {
		rte_free(m);
		return NULL;
	}
	m->mask = n - 1;
	m->bytes = n * sizeof(struct bucket) + sizeof(*m);
	return m;
}

void cs_gpdu_map_free(struct cs_gpdu_map *m)
{
	if (m == NULL)
		return;
	rte_free(m->buckets);
	rte_free(m);
}

uint64_t cs_gpdu_map_bytes(const struct cs_gpdu_map *m)
{
	return m->bytes;
}

static int put(struct bucket *b, uint64_t word, const struct cs_gpdu_hit *hit)
{
	for (unsigned int i = 0; i < RTE_DIM(b->s); i++) {
		if (b->s[i].role1 != 0)
			continue;
		cs_seq_write_begin(&b->seq);
		b->s[i] = (struct slot){
			.teid = (uint32_t)word, .addr = (uint32_t)(word >> 32),
			.index = (uint32_t)(hit->session_ref >> 32), .generation = (uint32_t)hit->session_ref,
			.imsi_lo = (uint32_t)hit->imsi, .imsi_hi = (uint32_t)(hit->imsi >> 32),
			.role1 = (uint32_t)hit->role + 1,
		};
		cs_seq_write_end(&b->seq);
		return 0;
	}
	return -1;
}

int cs_gpdu_map_add(struct cs_gpdu_map *m, const struct cs_fteid *k, const struct cs_gpdu_hit *hit)
{
	uint64_t word = key_word(k);

	return put(first_of(m, word), word, hit) == 0 || put(second_of(m, word), word, hit) == 0 ? 0 : -1;
}

static bool take(struct bucket *b, uint64_t word)
{
	for (unsigned int i = 0; i < RTE_DIM(b->s); i++)
		if (holds(&b->s[i], word)) {
			cs_seq_write_begin(&b->seq);
			b->s[i].role1 = 0;
			cs_seq_write_end(&b->seq);
			return true;
		}
	return false;
}

bool cs_gpdu_map_del(struct cs_gpdu_map *m, const struct cs_fteid *k)
{
	uint64_t word = key_word(k);

	return take(first_of(m, word), word) || take(second_of(m, word), word);
}

/* A consistent look at bucket b for word. */
static bool look(const struct bucket *b, uint64_t word, struct cs_gpdu_hit *out)
{
	struct slot hit;
	bool found;
	uint32_t sn;

	do {
		sn = cs_seq_read_begin(&b->seq);
		found = false;
		for (unsigned int i = 0; i < RTE_DIM(b->s) && !found; i++)
			if (holds(&b->s[i], word)) {
				hit = b->s[i];
				found = true;
			}
	} while (cs_seq_read_retry(&b->seq, sn));
	if (found)
		*out = (struct cs_gpdu_hit){
			.imsi = (uint64_t)hit.imsi_hi << 32 | hit.imsi_lo,
			.session_ref = (uint64_t)hit.index << 32 | hit.generation,
			.role = (uint8_t)(hit.role1 - 1),
		};
	return found;
}

bool cs_gpdu_map_find(const struct cs_gpdu_map *m, const struct cs_fteid *k, struct cs_gpdu_hit *out)
{
	uint64_t word = key_word(k);

	return look(first_of(m, word), word, out) || look(second_of(m, word), word, out);
}

uint32_t cs_gpdu_map_find_bulk(const struct cs_gpdu_map *m, const struct cs_fteid *const *keys, unsigned int n,
			       struct cs_gpdu_hit *out)
{
	const struct bucket *b[32];
	uint64_t word[32];
	uint32_t found = 0, second = 0;

	/*
	 * Insertion fills a key's first bucket before its second, so most keys
	 * are in their first: those lines are fetched for the whole burst, and
	 * a second bucket only for the keys their first did not hold (a line
	 * fetched for nothing would take a fill buffer from one that matters).
	 */
	for (unsigned int i = 0; i < n; i++) {
		word[i] = key_word(keys[i]);
		b[i] = first_of(m, word[i]);
		rte_prefetch0(b[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		if (look(b[i], word[i], &out[i])) {
			found |= 1u << i;
		} else {
			second |= 1u << i;
			b[i] = second_of(m, word[i]);
			rte_prefetch0(b[i]);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		if ((second & (1u << i)) && look(b[i], word[i], &out[i]))
			found |= 1u << i;
	return found;
}
