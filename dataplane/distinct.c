/* SPDX-License-Identifier: Apache-2.0 */
/* Distinct counting: inline exact set, exact slot, sketch slot (exact set, then HyperLogLog). Design: distinct.h. */
#include "distinct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	/* register values 0..Q+1: Q bits of hash left after the index, plus the all-zero case */
	Q = 64 - CS_DISTINCT_P,
	HIST = Q + 2,
	MODE_SHIFT = 30,
	N_SHIFT = 28,
	/* exact-slot mode: n in bits 29-24, the lower-bound flag in bit 23, the slot in bits 22-0 */
	EXACT_N_SHIFT = 24,
	EXACT_N_MASK = 0x3f,
	EXACT_LB = 1 << 23,
	SAVE_VERSION = 1,
	SAVE_HEADER = 8,
	KIND_SET = 0,
	KIND_HLL = 1,
	FLAG_LOWER_BOUND = 0x01,
};

enum mode { MODE_INLINE = 0, MODE_SKETCH = 1, MODE_SATURATED = 2, MODE_EXACT = 3 };

/* A slot's n when it holds a sketch rather than an exact set. */
#define SLOT_SKETCH UINT16_MAX
#define NO_SLOT UINT32_MAX

/*
 * One sketch slot, 24692 bytes:
 *
 *   0          4     6     7     8       12                   116
 *   +----------+-----+-----+-----+-------+--------------------+---------------------+
 *   | next_free|  n  | lb  | pad | floor | hist[52] (uint16)  | fp[32] or registers |
 *   +----------+-----+-----+-----+-------+--------------------+---------------------+
 *                                                               24576 bytes
 *
 * n is the exact set's size (0..32) or SLOT_SKETCH; lb marks a lower
 * bound, floor is the bound carried in; hist[v] counts the registers
 * holding v (sketch only; entry 51 is padding). next_free links free slots.
 */
struct slot {
	uint32_t next_free;
	uint16_t n;
	uint8_t lower_bound;
	uint8_t pad;
	uint32_t floor;
	uint16_t hist[HIST + 1];
	union {
		uint32_t fp[CS_DISTINCT_EXACT];
		uint8_t reg[CS_DISTINCT_REGISTER_BYTES];
	} u;
};

/*
 * One exact slot, 128 bytes: fp[0..n-1] the set in the order first seen (n
 * and the floor are the counter's: distinct.h). A free slot's fp[0] is the
 * index of the next free one.
 */
struct exact_slot {
	uint32_t fp[CS_DISTINCT_EXACT];
};

_Static_assert(sizeof(struct cs_distinct) == 16, "inline counter is 16 bytes");
_Static_assert(sizeof(struct exact_slot) == CS_DISTINCT_EXACT_SLOT_BYTES, "an exact slot is 32 fingerprints");
_Static_assert((int)CS_DISTINCT_EXACT <= (int)EXACT_N_MASK, "an exact slot's n fits its bits");
_Static_assert((int)CS_DISTINCT_MAX_EXACT_SLOTS < (int)EXACT_LB, "an exact slot's index stays below the flag");
_Static_assert(sizeof(struct slot) == CS_DISTINCT_SLOT_BYTES, "slot layout as documented");
_Static_assert(CS_DISTINCT_REGISTERS <= UINT16_MAX, "histogram entries fit 16 bits");

struct cs_distinct_pool {
	struct cs_distinct_pool_stats stats;
	uint32_t free_head;       /* sketch slots */
	uint32_t exact_free_head; /* exact slots */
	struct slot *slots;
	struct exact_slot *exact;
};

/* splitmix64's finaliser (Stafford mix 13): a bijection on 64 bits, full avalanche. */
static uint64_t mix64(uint64_t x)
{
	uint64_t z = x + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t fingerprint(uint64_t item)
{
	return (uint32_t)(mix64(item) >> 32);
}

static enum mode mode_of(const struct cs_distinct *c)
{
	return (enum mode)(c->state >> MODE_SHIFT);
}

static unsigned int n_of(const struct cs_distinct *c)
{
	return (c->state >> N_SHIFT) & 3u;
}

static uint32_t bound_of(const struct cs_distinct *c)
{
	return c->state & CS_DISTINCT_MAX_BOUND;
}

static uint32_t slot_of(const struct cs_distinct *c)
{
	return c->state & CS_DISTINCT_MAX_SLOTS;
}

static void set_small(struct cs_distinct *c, enum mode m, unsigned int n, uint32_t bound)
{
	c->state = ((uint32_t)m << MODE_SHIFT) | ((uint32_t)n << N_SHIFT) | bound;
}

/* --- exact-slot mode: the state word's fields, and the floor in fp[0] --- */

static unsigned int exact_n(const struct cs_distinct *c)
{
	return (c->state >> EXACT_N_SHIFT) & EXACT_N_MASK;
}

static int exact_lb(const struct cs_distinct *c)
{
	return (c->state & EXACT_LB) != 0;
}

static uint32_t exact_index(const struct cs_distinct *c)
{
	return c->state & CS_DISTINCT_MAX_EXACT_SLOTS;
}

static uint32_t exact_floor(const struct cs_distinct *c)
{
	return c->fp[0];
}

static void set_exact(struct cs_distinct *c, uint32_t i, unsigned int n, int lb, uint32_t floor)
{
	c->state = ((uint32_t)MODE_EXACT << MODE_SHIFT) | ((uint32_t)n << EXACT_N_SHIFT) | (lb ? (uint32_t)EXACT_LB : 0u) | i;
	c->fp[0] = floor;
	c->fp[1] = 0;
	c->fp[2] = 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t clamp_bound(uint64_t n)
{
	return n > CS_DISTINCT_MAX_BOUND ? CS_DISTINCT_MAX_BOUND : (uint32_t)n;
}

/* --- packed 6-bit registers: register i at bits 6i..6i+5, low bits first ---------------- */

static unsigned int reg_get(const uint8_t *reg, uint32_t i)
{
	uint32_t bit = i * 6, byte = bit >> 3, shift = bit & 7;
	unsigned int v = reg[byte] >> shift;

	if (shift > 2) /* straddles into the next byte, which exists: the last register has shift 2 */
		v |= (unsigned int)reg[byte + 1] << (8 - shift);
	return v & 63u;
}

static void reg_set(uint8_t *reg, uint32_t i, unsigned int v)
{
	uint32_t bit = i * 6, byte = bit >> 3, shift = bit & 7;

	reg[byte] = (uint8_t)((reg[byte] & ~(63u << shift)) | (v << shift));
	if (shift > 2)
		reg[byte + 1] = (uint8_t)((reg[byte + 1] & ~(63u >> (8 - shift))) | (v >> (8 - shift)));
}

static void hist_build(uint16_t hist[HIST + 1], const uint8_t *reg)
{
	memset(hist, 0, (HIST + 1) * sizeof(hist[0]));
	for (uint32_t i = 0; i < CS_DISTINCT_REGISTERS; i++)
		hist[reg_get(reg, i)]++;
}

/* --- Ertl's estimator (arXiv:1702.01284, section 4), from the register histogram --------- */

/* sigma(x) = x + sum_k>=1 x^(2^k) 2^(k-1): the small-range (linear counting) term. */
static double sigma(double x)
{
	double y = 1.0, z = x, prev;

	if (x == 1.0)
		return INFINITY;
	do {
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (prev != z);
	return z;
}

/* tau(x) = (1 - x - sum_k>=1 (1 - x^(2^-k))^2 2^-k) / 3: the saturated-register term. */
static double tau(double x)
{
	double y = 1.0, z = 1.0 - x, prev;

	if (x == 0.0 || x == 1.0)
		return 0.0;
	do {
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (prev != z);
	return z / 3.0;
}

static uint64_t hist_estimate(const uint16_t hist[HIST + 1])
{
	const double m = CS_DISTINCT_REGISTERS;
	const double alpha_inf = 0.721347520444481703680; /* 1 / (2 ln 2) */
	double z = m * tau((m - hist[Q + 1]) / m), e;

	for (int k = Q; k >= 1; k--)
		z = 0.5 * (z + hist[k]);
	z += m * sigma(hist[0] / m);
	e = alpha_inf * m * m / z;
	/* z is 0 only when every register is at its maximum: a crafted sketch, not a count */
	if (!(e < 0x1p63))
		return UINT64_C(1) << 63;
	return (uint64_t)(e + 0.5);
}

/* --- the pool ---------------------------------------------------------------------------- */

struct cs_distinct_pool *cs_distinct_pool_create(uint32_t exact_slots, uint32_t sketch_slots)
{
	struct cs_distinct_pool *pool;

	if (exact_slots > CS_DISTINCT_MAX_EXACT_SLOTS || sketch_slots > CS_DISTINCT_MAX_SLOTS)
		return NULL;
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	pool->slots = calloc(sketch_slots > 0 ? sketch_slots : 1, sizeof(struct slot));
	/* two whole cache lines each */
	pool->exact = aligned_alloc(64, (exact_slots > 0 ? exact_slots : 1) * sizeof(struct exact_slot));
	if (pool->slots == NULL || pool->exact == NULL) {
		cs_distinct_pool_free(pool);
		return NULL;
	}
	pool->stats.slots = sketch_slots;
	for (uint32_t i = 0; i < sketch_slots; i++)
		pool->slots[i].next_free = i + 1 < sketch_slots ? i + 1 : NO_SLOT;
	pool->free_head = sketch_slots > 0 ? 0 : NO_SLOT;
	pool->stats.exact_slots = exact_slots;
	for (uint32_t i = 0; i < exact_slots; i++)
		pool->exact[i].fp[0] = i + 1 < exact_slots ? i + 1 : NO_SLOT;
	pool->exact_free_head = exact_slots > 0 ? 0 : NO_SLOT;
	return pool;
}

void cs_distinct_pool_free(struct cs_distinct_pool *pool)
{
	if (pool == NULL)
		return;
	free(pool->slots);
	free(pool->exact);
	free(pool);
}

const struct cs_distinct_pool_stats *cs_distinct_pool_stats(const struct cs_distinct_pool *pool)
{
	return &pool->stats;
}

/* A sketch slot holding an empty exact set, or NO_SLOT when none is free. */
static uint32_t slot_take(struct cs_distinct_pool *pool)
{
	uint32_t i = pool->free_head;
	struct slot *s;

	if (i == NO_SLOT)
		return NO_SLOT;
	s = &pool->slots[i];
	pool->free_head = s->next_free;
	s->n = 0;
	s->lower_bound = 0;
	s->floor = 0;
	pool->stats.in_use++;
	return i;
}

static void slot_give_back(struct cs_distinct_pool *pool, uint32_t i)
{
	pool->slots[i].next_free = pool->free_head;
	pool->free_head = i;
	pool->stats.in_use--;
	pool->stats.releases++;
}

/* A free exact slot (its contents undefined), or NO_SLOT when none is free. */
static uint32_t exact_take(struct cs_distinct_pool *pool)
{
	uint32_t i = pool->exact_free_head;

	if (i == NO_SLOT)
		return NO_SLOT;
	pool->exact_free_head = pool->exact[i].fp[0];
	pool->stats.exact_in_use++;
	return i;
}

static void exact_give_back(struct cs_distinct_pool *pool, uint32_t i)
{
	pool->exact[i].fp[0] = pool->exact_free_head;
	pool->exact_free_head = i;
	pool->stats.exact_in_use--;
	pool->stats.exact_releases++;
}

static void sketch_add(struct slot *s, uint32_t fp)
{
	uint64_t h = mix64(fp);
	uint32_t i = (uint32_t)(h >> Q);
	/* a 1 just below the Q hash bits caps the rank at Q + 1 when they are all zero */
	unsigned int rank = (unsigned int)__builtin_clzll((h << CS_DISTINCT_P) | (UINT64_C(1) << (CS_DISTINCT_P - 1))) + 1;
	unsigned int old = reg_get(s->u.reg, i);

	if (rank > old) {
		reg_set(s->u.reg, i, rank);
		s->hist[old]--;
		s->hist[rank]++;
	}
}

/* Turns an exact set into the sketch of the same items, in place. */
static void slot_to_sketch(struct cs_distinct_pool *pool, struct slot *s)
{
	uint32_t fp[CS_DISTINCT_EXACT];
	uint16_t n = s->n;

	memcpy(fp, s->u.fp, n * sizeof(fp[0]));
	memset(s->u.reg, 0, sizeof(s->u.reg));
	memset(s->hist, 0, sizeof(s->hist));
	s->hist[0] = CS_DISTINCT_REGISTERS;
	s->n = SLOT_SKETCH;
	for (uint16_t k = 0; k < n; k++)
		sketch_add(s, fp[k]);
	pool->stats.sketches++;
}

static void slot_add(struct cs_distinct_pool *pool, struct slot *s, uint32_t fp)
{
	if (s->n != SLOT_SKETCH) {
		for (uint16_t k = 0; k < s->n; k++)
			if (s->u.fp[k] == fp)
				return;
		if (s->n < CS_DISTINCT_EXACT) {
			s->u.fp[s->n++] = fp;
			return;
		}
		slot_to_sketch(pool, s);
	}
	sketch_add(s, fp);
}

/* --- counters ---------------------------------------------------------------------------- */

void cs_distinct_init(struct cs_distinct *c)
{
	memset(c, 0, sizeof(*c));
}

void cs_distinct_release(struct cs_distinct *c, struct cs_distinct_pool *pool)
{
	if (mode_of(c) == MODE_SKETCH)
		slot_give_back(pool, slot_of(c));
	else if (mode_of(c) == MODE_EXACT)
		exact_give_back(pool, exact_index(c));
	cs_distinct_init(c);
}

static int set_has(const uint32_t *fp, unsigned int n, uint32_t x)
{
	for (unsigned int k = 0; k < n; k++)
		if (fp[k] == x)
			return 1;
	return 0;
}

/*
 * Moves an inline or saturated counter into a fresh exact slot, its
 * fingerprints first in the set. Returns 0, or -1 when no exact slot is
 * free (the counter is left as it was).
 */
static int promote_exact(struct cs_distinct *c, struct cs_distinct_pool *pool)
{
	uint32_t i = exact_take(pool);
	unsigned int n = n_of(c);
	int lb = mode_of(c) == MODE_SATURATED;

	if (i == NO_SLOT)
		return -1;
	memcpy(pool->exact[i].fp, c->fp, n * sizeof(c->fp[0]));
	set_exact(c, i, n, lb, lb ? bound_of(c) : 0);
	pool->stats.exact_promotions++;
	return 0;
}

/*
 * Moves an inline, saturated or exact-slot counter into a fresh sketch
 * slot, as the exact set it holds (an exact slot is given back). Returns
 * the slot, or NULL when none is free (the counter is left as it was).
 */
static struct slot *promote_sketch(struct cs_distinct *c, struct cs_distinct_pool *pool)
{
	uint32_t i = slot_take(pool);
	struct slot *s;

	if (i == NO_SLOT)
		return NULL;
	s = &pool->slots[i];
	switch (mode_of(c)) {
	case MODE_INLINE:
	case MODE_SATURATED:
		s->n = (uint16_t)n_of(c);
		memcpy(s->u.fp, c->fp, s->n * sizeof(c->fp[0]));
		if (mode_of(c) == MODE_SATURATED) {
			s->lower_bound = 1;
			s->floor = bound_of(c);
		}
		break;
	case MODE_EXACT:
		s->n = (uint16_t)exact_n(c);
		memcpy(s->u.fp, pool->exact[exact_index(c)].fp, s->n * sizeof(s->u.fp[0]));
		s->lower_bound = (uint8_t)exact_lb(c);
		s->floor = exact_floor(c);
		exact_give_back(pool, exact_index(c));
		break;
	case MODE_SKETCH:
		break; /* not called for a counter that has a sketch slot */
	}
	memset(c->fp, 0, sizeof(c->fp));
	c->state = ((uint32_t)MODE_SKETCH << MODE_SHIFT) | i;
	pool->stats.promotions++;
	return s;
}

/* Marks c as a lower bound of at least floor items. */
static void make_lower_bound(struct cs_distinct *c, struct cs_distinct_pool *pool, uint32_t floor)
{
	struct slot *s;

	switch (mode_of(c)) {
	case MODE_INLINE:
		set_small(c, MODE_SATURATED, n_of(c), max_u32(floor, n_of(c)));
		break;
	case MODE_SATURATED:
		set_small(c, MODE_SATURATED, n_of(c), max_u32(floor, bound_of(c)));
		break;
	case MODE_SKETCH:
		s = &pool->slots[slot_of(c)];
		s->lower_bound = 1;
		s->floor = max_u32(s->floor, floor);
		break;
	case MODE_EXACT:
		set_exact(c, exact_index(c), exact_n(c), 1, max_u32(exact_floor(c), floor));
		break;
	}
}

/* Whether c has lost items: a floor it cannot raise by recording more. */
static int is_lossy(const struct cs_distinct *c)
{
	return mode_of(c) == MODE_SATURATED || (mode_of(c) == MODE_EXACT && exact_lb(c));
}

/* Records fp in c's exact slot. Returns 0, or -1 when fp is new and the set is full. */
static int exact_add(struct cs_distinct *c, struct cs_distinct_pool *pool, uint32_t fp)
{
	struct exact_slot *e = &pool->exact[exact_index(c)];
	unsigned int n = exact_n(c);

	if (set_has(e->fp, n, fp))
		return 0;
	if (n == CS_DISTINCT_EXACT)
		return -1;
	e->fp[n] = fp;
	c->state += 1u << EXACT_N_SHIFT;
	return 0;
}

static void add_fp(struct cs_distinct *c, struct cs_distinct_pool *pool, uint32_t fp)
{
	unsigned int held;
	struct slot *s;

	switch (mode_of(c)) {
	case MODE_SKETCH:
		slot_add(pool, &pool->slots[slot_of(c)], fp);
		return;
	case MODE_EXACT:
		if (exact_add(c, pool, fp) == 0)
			return;
		held = exact_n(c); /* the 33rd: on to a sketch slot, the exact slot goes back */
		break;
	case MODE_INLINE:
	case MODE_SATURATED:
		held = n_of(c);
		if (set_has(c->fp, held, fp))
			return;
		if (mode_of(c) == MODE_INLINE && held < CS_DISTINCT_INLINE) {
			c->fp[held] = fp;
			set_small(c, MODE_INLINE, held + 1, 0);
			return;
		}
		/* the 4th, or a saturated counter's retry: an exact slot first */
		if (promote_exact(c, pool) == 0) {
			exact_add(c, pool, fp);
			return;
		}
		if (mode_of(c) == MODE_INLINE)
			pool->stats.exact_refused++;
		break;
	}
	s = promote_sketch(c, pool);
	if (s != NULL) {
		slot_add(pool, s, fp);
		return;
	}
	/* no slot: the items held and this new one are a floor */
	if (is_lossy(c))
		pool->stats.items_lost++;
	else
		pool->stats.promotions_refused++;
	make_lower_bound(c, pool, held + 1);
}

void cs_distinct_add(struct cs_distinct *c, struct cs_distinct_pool *pool, uint64_t item)
{
	add_fp(c, pool, fingerprint(item));
}

struct cs_distinct_count cs_distinct_estimate(const struct cs_distinct *c, const struct cs_distinct_pool *pool)
{
	const struct slot *s;
	struct cs_distinct_count r;

	switch (mode_of(c)) {
	case MODE_INLINE:
		return (struct cs_distinct_count){ n_of(c), CS_DISTINCT_IS_EXACT };
	case MODE_SATURATED:
		return (struct cs_distinct_count){ bound_of(c), CS_DISTINCT_IS_LOWER_BOUND };
	case MODE_EXACT:
		if (exact_lb(c))
			return (struct cs_distinct_count){ max_u32(exact_n(c), exact_floor(c)),
							   CS_DISTINCT_IS_LOWER_BOUND };
		return (struct cs_distinct_count){ exact_n(c), CS_DISTINCT_IS_EXACT };
	case MODE_SKETCH:
		break;
	}
	s = &pool->slots[slot_of(c)];
	if (s->n == SLOT_SKETCH)
		r = (struct cs_distinct_count){ hist_estimate(s->hist), CS_DISTINCT_IS_ESTIMATE };
	else
		r = (struct cs_distinct_count){ s->n, CS_DISTINCT_IS_EXACT };
	if (s->lower_bound) {
		r.quality = CS_DISTINCT_IS_LOWER_BOUND;
		if (r.n < s->floor)
			r.n = s->floor;
	}
	return r;
}

/* Makes dst a sketch (moving it into a sketch slot first if needed); NULL if none is free. */
static struct slot *ensure_sketch(struct cs_distinct *dst, struct cs_distinct_pool *pool)
{
	struct slot *s;

	if (mode_of(dst) == MODE_SKETCH)
		s = &pool->slots[slot_of(dst)];
	else if ((s = promote_sketch(dst, pool)) == NULL)
		return NULL;
	if (s->n != SLOT_SKETCH)
		slot_to_sketch(pool, s);
	return s;
}

/* Folds a sketch's registers (packed, as saved or in a slot) into dst. */
static void merge_registers(struct cs_distinct *dst, struct cs_distinct_pool *pool, const uint8_t *reg,
			    uint64_t src_estimate)
{
	struct slot *s = ensure_sketch(dst, pool);

	if (s == NULL) {
		struct cs_distinct_count d = cs_distinct_estimate(dst, pool);

		pool->stats.promotions_refused++;
		/* neither side's items fit: the larger side is a floor for the union */
		make_lower_bound(dst, pool, clamp_bound(d.n > src_estimate ? d.n : src_estimate));
		return;
	}
	for (uint32_t i = 0; i < CS_DISTINCT_REGISTERS; i++) {
		unsigned int v = reg_get(reg, i), old = reg_get(s->u.reg, i);

		if (v > old)
			reg_set(s->u.reg, i, v);
	}
	hist_build(s->hist, s->u.reg);
}

void cs_distinct_merge(struct cs_distinct *dst, struct cs_distinct_pool *dst_pool, const struct cs_distinct *src,
		       const struct cs_distinct_pool *src_pool)
{
	const struct exact_slot *e;
	const struct slot *s;

	if (dst == src)
		return;
	switch (mode_of(src)) {
	case MODE_INLINE:
	case MODE_SATURATED:
		for (unsigned int k = 0; k < n_of(src); k++)
			add_fp(dst, dst_pool, src->fp[k]);
		if (mode_of(src) == MODE_SATURATED)
			make_lower_bound(dst, dst_pool, bound_of(src));
		return;
	case MODE_EXACT:
		e = &src_pool->exact[exact_index(src)];
		for (unsigned int k = 0; k < exact_n(src); k++)
			add_fp(dst, dst_pool, e->fp[k]);
		if (exact_lb(src))
			make_lower_bound(dst, dst_pool, exact_floor(src));
		break;
	case MODE_SKETCH:
		s = &src_pool->slots[slot_of(src)];
		if (s->n == SLOT_SKETCH)
			merge_registers(dst, dst_pool, s->u.reg, hist_estimate(s->hist));
		else
			for (uint16_t k = 0; k < s->n; k++)
				add_fp(dst, dst_pool, s->u.fp[k]);
		if (s->lower_bound)
			make_lower_bound(dst, dst_pool, s->floor);
		break;
	}
	/* a set that found no slot in dst's pool: the union has at least src's items */
	if (is_lossy(dst))
		make_lower_bound(dst, dst_pool, clamp_bound(cs_distinct_estimate(src, src_pool).n));
}

/* --- serialised form (layout in distinct.h) ---------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t save_set(uint8_t *buf, size_t cap, int lower_bound, uint32_t floor, const uint32_t *fp,
		       unsigned int n)
{
	size_t len = SAVE_HEADER + 1 + 4 * (size_t)n;

	if (cap < len)
		return 0;
	buf[0] = SAVE_VERSION;
	buf[1] = KIND_SET;
	buf[2] = lower_bound ? FLAG_LOWER_BOUND : 0;
	buf[3] = 0;
	put32(buf + 4, floor);
	buf[8] = (uint8_t)n;
	for (unsigned int k = 0; k < n; k++)
		put32(buf + SAVE_HEADER + 1 + 4 * k, fp[k]);
	return len;
}

size_t cs_distinct_save(const struct cs_distinct *c, const struct cs_distinct_pool *pool, uint8_t *buf, size_t cap)
{
	const struct slot *s;

	switch (mode_of(c)) {
	case MODE_INLINE:
		return save_set(buf, cap, 0, 0, c->fp, n_of(c));
	case MODE_SATURATED:
		return save_set(buf, cap, 1, bound_of(c), c->fp, n_of(c));
	case MODE_EXACT:
		return save_set(buf, cap, exact_lb(c), exact_floor(c), pool->exact[exact_index(c)].fp, exact_n(c));
	case MODE_SKETCH:
		break;
	}
	s = &pool->slots[slot_of(c)];
	if (s->n != SLOT_SKETCH)
		return save_set(buf, cap, s->lower_bound, s->floor, s->u.fp, s->n);
	if (cap < CS_DISTINCT_SAVED_MAX)
		return 0;
	buf[0] = SAVE_VERSION;
	buf[1] = KIND_HLL;
	buf[2] = s->lower_bound ? FLAG_LOWER_BOUND : 0;
	buf[3] = CS_DISTINCT_P;
	put32(buf + 4, s->floor);
	memcpy(buf + SAVE_HEADER, s->u.reg, CS_DISTINCT_REGISTER_BYTES);
	return CS_DISTINCT_SAVED_MAX;
}

/* Whether buf is a well-formed version-1 counter; every check before anything is built. */
static int well_formed(const uint8_t *buf, size_t len)
{
	int lower_bound;
	uint32_t floor;

	if (len < SAVE_HEADER || buf[0] != SAVE_VERSION || (buf[2] & ~FLAG_LOWER_BOUND) != 0)
		return 0;
	lower_bound = buf[2] & FLAG_LOWER_BOUND;
	floor = get32(buf + 4);
	if (floor > CS_DISTINCT_MAX_BOUND || (!lower_bound && floor != 0))
		return 0;
	if (buf[1] == KIND_SET) {
		unsigned int n;

		if (buf[3] != 0 || len < SAVE_HEADER + 1)
			return 0;
		n = buf[8];
		if (n > CS_DISTINCT_EXACT || len != SAVE_HEADER + 1 + 4 * (size_t)n)
			return 0;
		/* a set holds each fingerprint once */
		for (unsigned int a = 0; a < n; a++)
			for (unsigned int b = a + 1; b < n; b++)
				if (get32(buf + 9 + 4 * a) == get32(buf + 9 + 4 * b))
					return 0;
		return 1;
	}
	if (buf[1] != KIND_HLL || buf[3] != CS_DISTINCT_P || len != CS_DISTINCT_SAVED_MAX)
		return 0;
	for (uint32_t i = 0; i < CS_DISTINCT_REGISTERS; i++)
		if (reg_get(buf + SAVE_HEADER, i) > Q + 1)
			return 0;
	return 1;
}

int cs_distinct_load(struct cs_distinct *c, struct cs_distinct_pool *pool, const uint8_t *buf, size_t len)
{
	cs_distinct_init(c);
	if (!well_formed(buf, len))
		return -1;
	if (buf[1] == KIND_SET) {
		for (unsigned int k = 0; k < buf[8]; k++)
			add_fp(c, pool, get32(buf + 9 + 4 * k));
		/* a set that found no slot saturated at 4; it had buf[8] */
		if (is_lossy(c))
			make_lower_bound(c, pool, buf[8]);
	} else {
		uint16_t hist[HIST + 1];

		hist_build(hist, buf + SAVE_HEADER);
		merge_registers(c, pool, buf + SAVE_HEADER, hist_estimate(hist));
	}
	if (buf[2] & FLAG_LOWER_BOUND)
		make_lower_bound(c, pool, get32(buf + 4));
	return 0;
}
