/* SPDX-License-Identifier: Apache-2.0 */
#include "number_plan.h"

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct cs_number_plan {
	uint32_t n, nlabels;
	uint32_t lengths;                  /* bit L: some prefix has L digits */
	uint32_t start[CS_DIGITS_MAX + 2]; /* entries of L digits: [start[L], start[L + 1]) */
	const uint64_t *key;               /* n keys: a prefix's digits in the low nibbles */
	const uint32_t *label;             /* n label ids */
	const uint32_t *label_at;          /* nlabels + 1 offsets into text (none when built without texts) */
	const char *text;
};

/* A prefix's first L digits as the low 4L bits: the key it is stored and searched under. */
static inline uint64_t key_of(cs_digits d, unsigned int len)
{
	return len == CS_DIGITS_MAX ? d : d >> (4 * (CS_DIGITS_MAX - len));
}

/* 1 to 16 digit nibbles, then only 0xF: what digits.h packs. 0 for anything else. */
static unsigned int packed_len(cs_digits d)
{
	unsigned int len = cs_digits_len(d);

	if (len == 0)
		return 0;
	for (unsigned int i = 0; i < len; i++)
		if (((d >> (60 - 4 * i)) & 0xf) > 9)
			return 0;
	if (len < CS_DIGITS_MAX && (d | (UINT64_MAX << (4 * (CS_DIGITS_MAX - len)))) != UINT64_MAX)
		return 0; /* a digit after the filler */
	return len;
}

struct sorted {
	uint64_t key;
	uint32_t label;
	uint8_t len;
};

static int by_length_then_key(const void *a, const void *b)
{
	const struct sorted *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

struct cs_number_plan *cs_number_plan_build(const struct cs_number_plan_entry *entries, size_t n,
					    const char *const *labels, size_t nlabels)
{
	struct sorted *s;
	size_t text_len = 0;

	if (n > CS_NUMBER_PLAN_MAX_ENTRIES || (labels != NULL && nlabels > CS_NUMBER_PLAN_MAX_ENTRIES)) {
		errno = E2BIG;
		return NULL;
	}
	if (labels == NULL)
		nlabels = 0;
	for (size_t i = 0; i < nlabels; i++) {
		if (labels[i] == NULL) {
			errno = EINVAL;
			return NULL;
		}
		text_len += strlen(labels[i]) + 1;
	}
	if (text_len > UINT32_MAX) {
		errno = E2BIG;
		return NULL;
	}
	s = malloc((n > 0 ? n : 1) * sizeof(*s));
	if (s == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned int len = packed_len(entries[i].prefix);

		if (len == 0 || (labels != NULL && entries[i].label >= nlabels)) {
			free(s);
			errno = EINVAL;
			return NULL;
		}
		s[i] = (struct sorted){ .key = key_of(entries[i].prefix, len), .label = entries[i].label,
					.len = (uint8_t)len };
	}
	qsort(s, n, sizeof(*s), by_length_then_key);
	for (size_t i = 1; i < n; i++) {
		if (s[i].len == s[i - 1].len && s[i].key == s[i - 1].key) {
			free(s);
			errno = EINVAL;
			return NULL;
		}
	}

	/* The one allocation: header, keys, label ids, label offsets, texts (see number_plan.h). */
	size_t at_key = align8(sizeof(struct cs_number_plan));
	size_t at_label = at_key + n * sizeof(uint64_t);
	size_t at_label_at = at_label + n * sizeof(uint32_t);
	size_t at_text = at_label_at + (nlabels > 0 ? nlabels + 1 : 0) * sizeof(uint32_t);
	char *block = malloc(at_text + text_len);
	if (block == NULL) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	_Static_assert(alignof(struct cs_number_plan) <= 8 && alignof(uint64_t) <= 8, "8-byte alignment is enough");

	struct cs_number_plan *p = (struct cs_number_plan *)block;
	uint64_t *key = (uint64_t *)(block + at_key);
	uint32_t *label = (uint32_t *)(block + at_label);
	uint32_t *label_at = (uint32_t *)(block + at_label_at);
	char *text = block + at_text;

	*p = (struct cs_number_plan){ .n = (uint32_t)n, .nlabels = (uint32_t)nlabels, .key = key, .label = label,
				      .label_at = nlabels > 0 ? label_at : NULL, .text = text };
	for (size_t i = 0; i < n; i++) {
		key[i] = s[i].key;
		label[i] = s[i].label;
		p->lengths |= 1u << s[i].len;
	}
	/* start[L] = entries shorter than L; start[17] = n */
	for (unsigned int len = 1, i = 0; len <= CS_DIGITS_MAX + 1; len++) {
		while (i < n && s[i].len < len)
			i++;
		p->start[len] = i;
	}
	free(s);
	size_t off = 0;
	for (size_t l = 0; l < nlabels; l++) {
		size_t len = strlen(labels[l]) + 1;

		label_at[l] = (uint32_t)off;
		memcpy(text + off, labels[l], len);
		off += len;
	}
	if (nlabels > 0)
		label_at[nlabels] = (uint32_t)off;
	return p;
}

void cs_number_plan_free(struct cs_number_plan *plan)
{
	free(plan);
}

/* Index of key in sorted k[0..n), or -1: a lower bound with a fixed number of steps for n. */
static inline long find(const uint64_t *k, uint32_t n, uint64_t key)
{
	const uint64_t *base = k;

	if (n == 0)
		return -1;
	while (n > 1) {
		uint32_t half = n / 2;

		base = base[half] <= key ? base + half : base;
		n -= half;
	}
	return *base == key ? base - k : -1;
}

struct cs_number_plan_hit cs_number_plan_match(const struct cs_number_plan *plan, cs_digits number)
{
	uint32_t lengths = plan->lengths;

	/* Lengths past the number's own cannot match (their keys would hold filler): skip them. */
	if (number != CS_DIGITS_NONE) {
		unsigned int have = CS_DIGITS_MAX - (unsigned int)__builtin_ctzll(~number) / 4;
		lengths &= (2u << have) - 1;
	} else {
		lengths = 0;
	}
	while (lengths != 0) {
		unsigned int len = 31 - (unsigned int)__builtin_clz(lengths);
		uint32_t from = plan->start[len];
		long i = find(plan->key + from, plan->start[len + 1] - from, key_of(number, len));

		if (i >= 0)
			return (struct cs_number_plan_hit){ .label = plan->label[from + (uint32_t)i],
							    .digits = (uint8_t)len };
		lengths &= ~(1u << len);
	}
	return (struct cs_number_plan_hit){ 0 };
}

size_t cs_number_plan_size(const struct cs_number_plan *plan)
{
	return plan->n;
}

uint32_t cs_number_plan_lengths(const struct cs_number_plan *plan)
{
	return plan->lengths;
}

const char *cs_number_plan_label(const struct cs_number_plan *plan, uint32_t label)
{
	return label < plan->nlabels ? plan->text + plan->label_at[label] : "";
}
