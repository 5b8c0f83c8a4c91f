/* SPDX-License-Identifier: Apache-2.0 */
#include "block_state.h"

static const uint64_t NS_PER_S = 1000000000ull;

/* Numbers in a block of k suffix digits (10^k); 0 for a k outside 1..4, so that no suffix is in range. */
static uint32_t block_span(unsigned int suffix_digits)
{
	static const uint32_t span[CS_BLOCK_SUFFIX_MAX + 1] = { 0, 10, 100, 1000, 10000 };

	return suffix_digits <= CS_BLOCK_SUFFIX_MAX ? span[suffix_digits] : 0;
}

/* The nibble mask of k digits, in the low bits. */
static uint64_t nibbles_mask(unsigned int k)
{
	return (UINT64_C(1) << (4 * k)) - 1;
}

void cs_block_conf_default(struct cs_block_conf *c)
{
	*c = (struct cs_block_conf){
		.short_ns = CS_WINDOW_10MIN_NS,
		.hour_ns = CS_WINDOW_1H_NS,
		.day_ns = CS_WINDOW_24H_NS,
		.suffix_digits = CS_BLOCK_SUFFIX_DEFAULT,
	};
}

bool cs_block_conf_valid(const struct cs_block_conf *c)
{
	return cs_window_length_valid(c->short_ns) && cs_window_length_valid(c->hour_ns) &&
	       cs_window_length_valid(c->day_ns) && block_span(c->suffix_digits) != 0;
}

size_t cs_block_record_size(unsigned int suffix_digits)
{
	uint32_t span = block_span(suffix_digits);

	if (span == 0)
		return 0;
	return sizeof(struct cs_block) + (span + 63) / 64 * sizeof(uint64_t);
}

/*
 * The digits sit in the top nibbles, first digit highest: of an n-digit
 * number, the last k digits are the k nibbles just above bit 64 - 4n.
 */
cs_digits cs_block_key(cs_digits msisdn, unsigned int suffix_digits, uint32_t *suffix)
{
	unsigned int n = cs_digits_len(msisdn);
	unsigned int shift;
	uint64_t raw;
	uint32_t v = 0;

	*suffix = 0;
	if (block_span(suffix_digits) == 0 || n <= suffix_digits)
		return CS_DIGITS_NONE;
	shift = 64 - 4 * n;
	raw = (msisdn >> shift) & nibbles_mask(suffix_digits);
	for (unsigned int i = suffix_digits; i-- > 0;) {
		unsigned int d = (unsigned int)(raw >> (4 * i)) & 0xf;

		if (d > 9)
			return CS_DIGITS_NONE;
		v = v * 10 + d;
	}
	*suffix = v;
	return msisdn | nibbles_mask(suffix_digits) << shift;
}

cs_digits cs_block_member(cs_digits prefix, unsigned int suffix_digits, uint32_t suffix)
{
	unsigned int n = cs_digits_len(prefix);
	unsigned int shift;
	uint64_t bcd = 0;

	if (n == 0 || suffix >= block_span(suffix_digits) || n + suffix_digits > CS_DIGITS_MAX)
		return CS_DIGITS_NONE;
	for (unsigned int i = 0; i < suffix_digits; i++, suffix /= 10)
		bcd |= (uint64_t)(suffix % 10) << (4 * i);
	shift = 64 - 4 * (n + suffix_digits);
	return (prefix & ~(nibbles_mask(suffix_digits) << shift)) | bcd << shift;
}

static bool suffix_in_range(const struct cs_block_conf *conf, uint32_t suffix)
{
	return suffix < block_span(conf->suffix_digits);
}

static bool bit_test(const struct cs_block *b, uint32_t suffix)
{
	return (b->bitmap[suffix / 64] >> (suffix % 64)) & 1;
}

/* Sets the number's bit; true if it was clear (the caller checked the range). */
static bool bit_set(struct cs_block *b, uint32_t suffix)
{
	if (bit_test(b, suffix))
		return false;
	b->bitmap[suffix / 64] |= UINT64_C(1) << (suffix % 64);
	if (b->ever < UINT16_MAX)
		b->ever++;
	return true;
}

static void ring_push(struct cs_block *b, uint32_t suffix, uint32_t ts_s)
{
	b->ring_s[b->ring_next] = ts_s;
	b->ring_suffix[b->ring_next] = (uint16_t)suffix;
	b->ring_next = (uint8_t)((b->ring_next + 1) % CS_BLOCK_RING);
	if (b->ring_len < CS_BLOCK_RING)
		b->ring_len++;
}

bool cs_block_on_active(struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix, uint64_t ts_ns)
{
	uint32_t t = (uint32_t)(ts_ns / NS_PER_S);

	if (!suffix_in_range(conf, suffix))
		return false;
	if (t > b->last_seen_s)
		b->last_seen_s = t;
	if (!bit_set(b, suffix))
		return false;
	/* too old for a window (CS_WINDOW_TOO_OLD) is outside every trailing count: remembered, not counted */
	cs_window_add(&b->short_new, conf->short_ns, ts_ns, 1);
	cs_window_add(&b->hour_new, conf->hour_ns, ts_ns, 1);
	cs_window_add(&b->day_new, conf->day_ns, ts_ns, 1);
	ring_push(b, suffix, t);
	return true;
}

bool cs_block_mark_known(struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix)
{
	return suffix_in_range(conf, suffix) && bit_set(b, suffix);
}

bool cs_block_is_known(const struct cs_block *b, const struct cs_block_conf *conf, uint32_t suffix)
{
	return suffix_in_range(conf, suffix) && bit_test(b, suffix);
}

/* Whether e goes before f in the view: a later second (equal seconds keep their arrival order). */
static bool newer(const struct cs_block_recent *e, const struct cs_block_recent *f)
{
	return e->ts_s > f->ts_s;
}

/*
 * The ring, newest arrival first, then sorted by event time: arrival is
 * nearly time order (events meet a worker a few ms out of order), so the
 * stable insertion sort moves little, and equal seconds keep the later
 * arrival first.
 */
static void recent_sorted(const struct cs_block *b, struct cs_block_view *out)
{
	out->n_recent = b->ring_len;
	for (unsigned int i = 0; i < b->ring_len; i++) {
		unsigned int slot = (b->ring_next + CS_BLOCK_RING - 1 - i) % CS_BLOCK_RING;
		struct cs_block_recent e = { .ts_s = b->ring_s[slot], .suffix = b->ring_suffix[slot] };
		unsigned int j = i;

		for (; j > 0 && newer(&e, &out->recent[j - 1]); j--)
			out->recent[j] = out->recent[j - 1];
		out->recent[j] = e;
	}
}

void cs_block_read(const struct cs_block *b, const struct cs_block_conf *conf, uint64_t now_ns,
		   struct cs_block_view *out)
{
	unsigned int in_hour = 0;

	out->short_new = cs_window_read(&b->short_new, conf->short_ns, now_ns);
	out->hour_new = cs_window_read(&b->hour_new, conf->hour_ns, now_ns);
	out->day_new = cs_window_read(&b->day_new, conf->day_ns, now_ns);
	out->ever = b->ever;
	out->last_seen_s = b->last_seen_s;
	recent_sorted(b, out);
	while (in_hour < out->n_recent && (uint64_t)out->recent[in_hour].ts_s * NS_PER_S + conf->hour_ns > now_ns)
		in_hour++;
	out->recent_in_hour = in_hour;
}
