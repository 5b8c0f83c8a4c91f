/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The number plan file parser (the format: number_plan_file.h).
 *
 * One pass over the lines collects (prefix, label id, line) items, ranges
 * expanded as they are read, and interns label texts in a hash table so
 * that a label written on a thousand lines is stored once. Then the items
 * are sorted by prefix to find duplicates (reported in line order), and
 * the plan is built from them (number_plan.c sorts again, by length).
 * Everything here is temporary; the plan is one allocation of its own.
 */
#include "number_plan_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "problems.h"

struct item {
	cs_digits prefix;
	uint32_t label;
	uint32_t line;
};

/*
 * Label texts, each once: text holds them back to back, NUL-terminated,
 * id 0 being "" at offset 0; at[id] is where id starts. slot is an open
 * addressing table of id + 1 (0: empty), a power of two kept under half
 * full, so a probe ends quickly at an empty slot.
 */
struct labels {
	char *text;
	size_t len, cap;
	uint32_t *at;
	size_t n, cap_n;
	uint32_t *slot;
	size_t nslots;
};

struct parser {
	struct cs_problems r;
	struct item *items;
	size_t n, cap;
	struct labels labels;
	bool stop; /* too many prefixes, or out of memory: the rest of the file is not read */
};

/* What the prefix messages say is accepted. */
#define ACCEPTS_PREFIX "1 to 16 digits 0-9, or a range FROM-TO of two such prefixes of equal length"

/* ---- growing arrays ---- */

/* Makes room for one more element of size in *arr (count n, capacity *cap). Returns false when out of memory. */
static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t want = *cap > 0 ? *cap * 2 : 256;
	void *p = realloc(*arr, want * size);
	if (p == NULL)
		return false;
	*arr = p;
	*cap = want;
	return true;
}

static void out_of_memory(struct parser *p)
{
	if (!p->stop)
		cs_problem(&p->r, 0, "cannot parse: %s", strerror(ENOMEM));
	p->stop = true;
}

/* ---- labels ---- */

static uint64_t hash_text(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static bool same_label(const struct labels *l, uint32_t id, const char *s, size_t n)
{
	const char *t = l->text + l->at[id];

	return strncmp(t, s, n) == 0 && t[n] == '\0';
}

/* Doubles the slot table and re-inserts every id. */
static bool rehash(struct labels *l)
{
	size_t nslots = l->nslots > 0 ? l->nslots * 2 : 1024;
	uint32_t *slot = calloc(nslots, sizeof(*slot));

	if (slot == NULL)
		return false;
	for (uint32_t id = 1; id < l->n; id++) {
		const char *t = l->text + l->at[id];
		size_t i = hash_text(t, strlen(t)) & (nslots - 1);
		while (slot[i] != 0)
			i = (i + 1) & (nslots - 1);
		slot[i] = id + 1;
	}
	free(l->slot);
	l->slot = slot;
	l->nslots = nslots;
	return true;
}

/* The id of the label s[0..n), added if new. UINT32_MAX when out of memory. */
static uint32_t intern(struct labels *l, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if ((l->n + 1) * 2 > l->nslots && !rehash(l))
		return UINT32_MAX;
	size_t i = hash_text(s, n) & (l->nslots - 1);
	for (; l->slot[i] != 0; i = (i + 1) & (l->nslots - 1))
		if (same_label(l, l->slot[i] - 1, s, n))
			return l->slot[i] - 1;
	while (l->len + n + 1 > l->cap) {
		size_t want = l->cap * 2;
		char *t = realloc(l->text, want);
		if (t == NULL)
			return UINT32_MAX;
		l->text = t;
		l->cap = want;
	}
	if (!grow((void **)&l->at, &l->cap_n, l->n, sizeof(*l->at)))
		return UINT32_MAX;
	uint32_t id = (uint32_t)l->n++;
	l->at[id] = (uint32_t)l->len;
	memcpy(l->text + l->len, s, n);
	l->text[l->len + n] = '\0';
	l->len += n + 1;
	l->slot[i] = id + 1;
	return id;
}

static bool labels_init(struct labels *l)
{
	*l = (struct labels){ .cap = 4096 };
	l->text = malloc(l->cap);
	if (l->text == NULL || !grow((void **)&l->at, &l->cap_n, 0, sizeof(*l->at)))
		return false;
	l->text[0] = '\0'; /* id 0: no label */
	l->at[0] = 0;
	l->len = 1;
	l->n = 1;
	return true;
}

static void labels_free(struct labels *l)
{
	free(l->text);
	free(l->at);
	free(l->slot);
}

/* ---- text checks ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}


/* Text as it appears in a message (problems.h): a file's bytes may be anything. */
static const char *shown(const char *text, size_t len, char buf[CS_QUOTED_LEN])
{
	return cs_problem_quote(text, len, false, buf);
}

/* ---- entries ---- */

static void add(struct parser *p, cs_digits prefix, uint32_t label, unsigned int line)
{
	if (p->stop)
		return;
	if (p->n == CS_NUMBER_PLAN_MAX_ENTRIES) {
		cs_problem(&p->r, line, "more than %d prefixes (at most %d a plan, a range counting as the prefixes it "
			   "expands to)", CS_NUMBER_PLAN_MAX_ENTRIES, CS_NUMBER_PLAN_MAX_ENTRIES);
		p->stop = true;
		return;
	}
	if (!grow((void **)&p->items, &p->cap, p->n, sizeof(*p->items))) {
		out_of_memory(p);
		return;
	}
	p->items[p->n++] = (struct item){ .prefix = prefix, .label = label, .line = line };
}

static uint64_t decimal(const char *s, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v;
}

/* v written as len digits with leading zeros, packed. */
static cs_digits pack(uint64_t v, unsigned int len)
{
	char s[CS_DIGITS_MAX];

	for (unsigned int i = len; i > 0; i--) {
		s[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return cs_digits_from_ascii(s, len);
}

/*
 * The prefixes of len digits from lo to hi, as the fewest shorter prefixes
 * covering exactly them: from lo upwards, each step takes the largest
 * block of 10^k values that starts at lo (lo a multiple of 10^k) and ends
 * at most at hi, which is the prefix lo / 10^k of len - k digits; k stays
 * below len so that no prefix is empty. This is CIDR aggregation in base
 * 10, and, as there, greedy is minimal: each block taken is the largest
 * aligned one inside the range.
 *
 *   1064800-1064899: lo 1064800, k = 2 (ends at 1064899) -> "10648"
 *   120-345:         "12" ... "19", "2", "30" ... "33", "340" ... "345"
 */
static void add_range(struct parser *p, uint64_t lo, uint64_t hi, unsigned int len, uint32_t label,
		      unsigned int line)
{
	for (;;) {
		unsigned int k = 0;
		uint64_t block = 1;

		while (k + 1 < len && lo % (block * 10) == 0 && lo + block * 10 - 1 <= hi) {
			block *= 10;
			k++;
		}
		add(p, pack(lo / block, len - k), label, line);
		if (p->stop || hi - lo < block)
			return;
		lo += block;
	}
}

/* The prefix or range token of a line; false after reporting why it is neither. */
static bool check_token(struct parser *p, const char *tok, size_t n, unsigned int line, size_t *dash)
{
	char v[CS_QUOTED_LEN];
	const char *d = memchr(tok, '-', n);
	size_t from_len = d != NULL ? (size_t)(d - tok) : n;
	size_t to_len = d != NULL ? n - from_len - 1 : 0;

	*dash = from_len;
	if (!all_digits(tok, from_len) || (d != NULL && !all_digits(d + 1, to_len))) {
		cs_problem(&p->r, line, "%s is not a prefix (" ACCEPTS_PREFIX ")", shown(tok, n, v));
		return false;
	}
	if (from_len > CS_DIGITS_MAX || to_len > CS_DIGITS_MAX) {
		cs_problem(&p->r, line, "%s has %zu digits (a prefix has 1 to 16 digits)", shown(tok, n, v),
			   from_len > CS_DIGITS_MAX ? from_len : to_len);
		return false;
	}
	if (d == NULL)
		return true;
	if (from_len != to_len) {
		cs_problem(&p->r, line, "range %s has ends of %zu and %zu digits (FROM-TO with FROM and TO of equal "
			   "length)", shown(tok, n, v), from_len, to_len);
		return false;
	}
	if (decimal(tok, from_len) > decimal(d + 1, to_len)) {
		cs_problem(&p->r, line, "range %s is empty: FROM is above TO (FROM-TO with FROM <= TO)",
			   shown(tok, n, v));
		return false;
	}
	return true;
}

static bool check_label(struct parser *p, const char *s, size_t n, unsigned int line)
{
	char v[CS_QUOTED_LEN];

	if (n > CS_NUMBER_PLAN_LABEL_MAX) {
		cs_problem(&p->r, line, "label %s is %zu bytes (at most %d bytes)", shown(s, n, v), n,
			   CS_NUMBER_PLAN_LABEL_MAX);
		return false;
	}
	if (!cs_utf8_text((const unsigned char *)s, n)) {
		cs_problem(&p->r, line, "label %s is not UTF-8 text (UTF-8 without control characters; tab allowed)",
			   shown(s, n, v));
		return false;
	}
	if (n > 0 && s[0] == '-') {
		cs_problem(&p->r, line, "label %s starts with '-' (a range is written FROM-TO, without spaces)",
			   shown(s, n, v));
		return false;
	}
	return true;
}

static void parse_line(struct parser *p, const char *s, size_t n, unsigned int line)
{
	const char *hash = memchr(s, '#', n);
	size_t dash;

	if (hash != NULL)
		n = (size_t)(hash - s);
	while (n > 0 && (is_space(s[n - 1]) || s[n - 1] == '\r'))
		n--;
	while (n > 0 && is_space(s[0]))
		s++, n--;
	if (n == 0)
		return;

	size_t tok_len = 0;
	while (tok_len < n && !is_space(s[tok_len]))
		tok_len++;
	const char *label = s + tok_len;
	size_t label_len = n - tok_len;
	while (label_len > 0 && is_space(label[0]))
		label++, label_len--;

	bool ok = check_token(p, s, tok_len, line, &dash);
	if (!check_label(p, label, label_len, line) || !ok)
		return;
	uint32_t id = intern(&p->labels, label, label_len);
	if (id == UINT32_MAX) {
		out_of_memory(p);
		return;
	}
	if (dash == tok_len)
		add(p, cs_digits_from_ascii(s, tok_len), id, line);
	else
		add_range(p, decimal(s, dash), decimal(s + dash + 1, dash), (unsigned int)dash, id, line);
}

/* ---- duplicates ---- */

static int by_prefix_then_line(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* A duplicate: prefix on line, first seen on first. */
struct dup {
	cs_digits prefix;
	uint32_t line, first;
};

static int by_line(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

/* Sorts the items by prefix and reports every prefix seen before, in line order. */
static void report_duplicates(struct parser *p)
{
	struct dup *d = NULL;
	size_t nd = 0, cap = 0;

	if (p->n < 2)
		return; /* (and qsort must not be given the NULL of no items) */
	qsort(p->items, p->n, sizeof(*p->items), by_prefix_then_line);
	for (size_t i = 1, first = 0; i < p->n; i++) {
		if (p->items[i].prefix != p->items[first].prefix) {
			first = i;
			continue;
		}
		if (!grow((void **)&d, &cap, nd, sizeof(*d))) {
			free(d);
			out_of_memory(p);
			return;
		}
		d[nd++] = (struct dup){ .prefix = p->items[i].prefix, .line = p->items[i].line,
					.first = p->items[first].line };
	}
	if (nd > 0)
		qsort(d, nd, sizeof(*d), by_line);
	for (size_t i = 0; i < nd; i++) {
		char digits[CS_DIGITS_STR];

		cs_digits_to_ascii(d[i].prefix, digits);
		cs_problem(&p->r, d[i].line, "prefix %s is already on line %u (each prefix once; a longer prefix may "
			   "refine a shorter one)", digits, d[i].first);
	}
	free(d);
}

/* ---- the plan ---- */

static struct cs_number_plan *build(struct parser *p)
{
	struct cs_number_plan_entry *e = malloc((p->n > 0 ? p->n : 1) * sizeof(*e));
	const char **texts = malloc(p->labels.n * sizeof(*texts));
	struct cs_number_plan *plan = NULL;

	if (e != NULL && texts != NULL) {
		for (size_t i = 0; i < p->n; i++)
			e[i] = (struct cs_number_plan_entry){ .prefix = p->items[i].prefix, .label = p->items[i].label };
		for (size_t i = 0; i < p->labels.n; i++)
			texts[i] = p->labels.text + p->labels.at[i];
		plan = cs_number_plan_build(e, p->n, texts, p->labels.n);
	}
	if (plan == NULL)
		out_of_memory(p); /* every entry was checked: nothing else can fail */
	free(e);
	free(texts);
	return plan;
}

int cs_number_plan_parse(const char *name, const char *buf, size_t len, struct cs_number_plan **out, char *err,
			 size_t errlen)
{
	struct parser p = { 0 };
	size_t pos = 0;
	unsigned int line = 0;

	*out = NULL;
	cs_problems_init(&p.r, name, err, errlen);
	if (len > CS_NUMBER_PLAN_FILE_MAX_BYTES) {
		cs_problem(&p.r, 0, "%zu bytes is too big (a plan file has at most %d bytes)", len,
			   CS_NUMBER_PLAN_FILE_MAX_BYTES);
		cs_problems_end(&p.r);
		return (int)p.r.count;
	}
	if (!labels_init(&p.labels))
		out_of_memory(&p);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3; /* byte order mark */
	while (pos < len && !p.stop) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;

		parse_line(&p, s, n, ++line);
		pos += n + 1;
	}
	if (!p.stop)
		report_duplicates(&p);
	if (p.r.count == 0)
		*out = build(&p);
	free(p.items);
	labels_free(&p.labels);
	cs_problems_end(&p.r);
	return (int)p.r.count;
}

/* ---- files ---- */

/* The whole file in a heap buffer, or NULL after reporting why not. A file past the bound is not read. */
static char *read_file(struct cs_problems *r, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t cap = 0;

	*len = 0;
	if (f == NULL) {
		cs_problem(r, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > CS_NUMBER_PLAN_FILE_MAX_BYTES) {
		cs_problem(r, 0, "%lld bytes is too big (a plan file has at most %d bytes)", (long long)st.st_size,
			   CS_NUMBER_PLAN_FILE_MAX_BYTES);
		fclose(f);
		return NULL;
	}
	/* read to the end (a pipe has no size), one byte past the bound at most */
	for (;;) {
		if (*len == cap) {
			if (cap > CS_NUMBER_PLAN_FILE_MAX_BYTES) {
				cs_problem(r, 0, "more than %d bytes (a plan file has at most %d bytes)",
					   CS_NUMBER_PLAN_FILE_MAX_BYTES, CS_NUMBER_PLAN_FILE_MAX_BYTES);
				break;
			}
			size_t want = cap > 0 ? cap * 2 : 65536;
			if (want > (size_t)CS_NUMBER_PLAN_FILE_MAX_BYTES + 1)
				want = (size_t)CS_NUMBER_PLAN_FILE_MAX_BYTES + 1;
			char *p = realloc(buf, want);
			if (p == NULL) {
				cs_problem(r, 0, "cannot read: %s", strerror(ENOMEM));
				break;
			}
			buf = p;
			cap = want;
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		if (got == 0)
			break;
		*len += got;
	}
	int read_errno = ferror(f) ? errno : 0;
	fclose(f);
	if (read_errno != 0)
		cs_problem(r, 0, "cannot read: %s", strerror(read_errno));
	if (r->count > 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int cs_number_plan_load(const char *path, struct cs_number_plan **out, char *err, size_t errlen)
{
	struct cs_problems r;
	size_t len;
	char *buf;

	*out = NULL;
	cs_problems_init(&r, path, err, errlen);
	buf = read_file(&r, path, &len);
	if (buf == NULL) {
		cs_problems_end(&r);
		return (int)r.count;
	}
	int problems = cs_number_plan_parse(path, buf, len, out, err, errlen);
	free(buf);
	return problems;
}
