/* SPDX-License-Identifier: Apache-2.0 */
/* Per-cell aggregate: distinct active and suspicious IMSIs an hour. Design: cell_state.h. */
#include "cell_state.h"

#include <stdbool.h>
#include <string.h>

#include "window.h"

enum {
	MCC_SHIFT = 52,
	MNC_SHIFT = 40,
	KIND_SHIFT = 36,
	ZERO_SHIFT = 32,
	LAC_SHIFT = 16,
	FILLER = 0xf, /* the third MNC nibble of a 2-digit MNC */
};

#define ECI_MAX UINT32_C(0x0fffffff)

/* --- the key (layout in cell_state.h) ----------------------------------------------------- */

/* v (0..999) as three BCD nibbles, first digit highest. */
static uint64_t bcd3(unsigned int v)
{
	return (uint64_t)(v / 100) << 8 | (uint64_t)(v / 10 % 10) << 4 | (uint64_t)(v % 10);
}

/* The MNC's three nibbles, or false when the MNC has more digits than mnc_digits says. */
static bool mnc_nibbles(const struct cs_uli *u, uint64_t *out)
{
	if (u->mnc_digits == 3 && u->mnc <= 999) {
		*out = bcd3(u->mnc);
		return true;
	}
	if (u->mnc_digits == 2 && u->mnc <= 99) {
		*out = (uint64_t)(u->mnc / 10) << 8 | (uint64_t)(u->mnc % 10) << 4 | FILLER;
		return true;
	}
	return false;
}

/* The low 32 bits of the key, or false when u names no cell. */
static bool cell_bits(const struct cs_uli *u, uint64_t *out)
{
	switch (u->cell_kind) {
	case CS_CELL_ECGI:
		*out = u->cell;
		return u->cell <= ECI_MAX;
	case CS_CELL_CGI:
	case CS_CELL_SAI:
		*out = (uint64_t)u->area << LAC_SHIFT | u->cell;
		return u->area_kind == CS_AREA_LAC && u->cell <= UINT16_MAX;
	default:
		return false;
	}
}

uint64_t cs_cell_key(const struct cs_uli *u)
{
	uint64_t mnc, cell;

	if (!cell_bits(u, &cell) || !mnc_nibbles(u, &mnc) || u->mcc > 999)
		return CS_CELL_KEY_NONE;
	return bcd3(u->mcc) << MCC_SHIFT | mnc << MNC_SHIFT | (uint64_t)u->cell_kind << KIND_SHIFT | cell;
}

/* The value of n BCD digits held in the top n of three nibbles, or -1 if one is not a digit. */
static int bcd_value(unsigned int nibbles, unsigned int n)
{
	int v = 0;

	for (unsigned int k = 0; k < n; k++) {
		unsigned int d = (nibbles >> (8 - 4 * k)) & 0xf;

		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	return v;
}

void cs_cell_key_parts(uint64_t key, struct cs_uli *out)
{
	unsigned int mnc_nib = (unsigned int)(key >> MNC_SHIFT) & 0xfff;
	unsigned int mnc_digits = (mnc_nib & 0xf) == FILLER ? 2 : 3;
	int mcc = bcd_value((unsigned int)(key >> MCC_SHIFT) & 0xfff, 3);
	int mnc = bcd_value(mnc_nib, mnc_digits);
	unsigned int kind = (unsigned int)(key >> KIND_SHIFT) & 0xf;
	uint32_t cell = (uint32_t)key;

	memset(out, 0, sizeof(*out));
	if (mcc < 0 || mnc < 0 || ((key >> ZERO_SHIFT) & 0xf) != 0 || kind < CS_CELL_ECGI || kind > CS_CELL_SAI ||
	    (kind == CS_CELL_ECGI && cell > ECI_MAX))
		return;
	out->mcc = (uint16_t)mcc;
	out->mnc = (uint16_t)mnc;
	out->mnc_digits = (uint8_t)mnc_digits;
	out->cell_kind = (uint8_t)kind;
	if (kind == CS_CELL_ECGI) {
		out->cell = cell;
		return;
	}
	out->area_kind = CS_AREA_LAC;
	out->area = (uint16_t)(cell >> LAC_SHIFT);
	out->cell = cell & UINT16_MAX;
}

/* --- the counts ---------------------------------------------------------------------------- */

/* An event of ts_ns in c: both counts move to its hour together (each gives its sketch slot back). */
static void touch(struct cs_cell *c, struct cs_distinct_pool *pool, uint64_t hour_ns, uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / CS_WINDOW_NS_PER_S);

	cs_tumbling_distinct_roll(&c->hour_bucket, c->imsis, CS_CELL_COUNTS, pool, hour_ns, ts_ns);
	if (t > c->last_seen_s)
		c->last_seen_s = t;
}

void cs_cell_on_active(struct cs_cell *c, struct cs_distinct_pool *pool, uint64_t hour_ns, cs_digits imsi,
		       uint64_t ts_ns)
{
	touch(c, pool, hour_ns, ts_ns);
	cs_tumbling_distinct_add(&c->imsis[CS_CELL_ACTIVE], pool, imsi);
}

void cs_cell_on_suspicious(struct cs_cell *c, struct cs_distinct_pool *pool, uint64_t hour_ns, cs_digits imsi,
			   uint64_t ts_ns)
{
	touch(c, pool, hour_ns, ts_ns);
	cs_tumbling_distinct_add(&c->imsis[CS_CELL_ACTIVE], pool, imsi);
	cs_tumbling_distinct_add(&c->imsis[CS_CELL_SUSPICIOUS], pool, imsi);
}

void cs_cell_read(const struct cs_cell *c, const struct cs_distinct_pool *pool, uint64_t hour_ns, uint64_t now_ns,
		  struct cs_cell_view *out)
{
	out->active = cs_tumbling_distinct_read(c->hour_bucket, &c->imsis[CS_CELL_ACTIVE], pool, hour_ns, now_ns);
	out->suspicious =
		cs_tumbling_distinct_read(c->hour_bucket, &c->imsis[CS_CELL_SUSPICIOUS], pool, hour_ns, now_ns);
	if (out->suspicious.n > out->active.n)
		out->active.n = out->suspicious.n;
}

void cs_cell_release(struct cs_cell *c, struct cs_distinct_pool *pool)
{
	cs_tumbling_distinct_release(c->imsis, CS_CELL_COUNTS, pool);
}
