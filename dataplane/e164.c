/* SPDX-License-Identifier: Apache-2.0 */
#include "e164.h"

#include <string.h>

/*
 * Room for the longest number worth looking at: 15 E.164 digits behind the
 * longest international prefix a conf holds (5). Longer input cannot
 * normalise to 15 digits whatever its prefix, so reading stops there.
 */
enum { MAX_DIALLED = CS_E164_MAX_DIGITS + 5 };

struct cs_e164_conf cs_e164_conf_default(void)
{
	return (struct cs_e164_conf){ .country_code = "", .trunk_prefix = "0", .intl_prefix = "00" };
}

static int copy_digits(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (src[i] < '0' || src[i] > '9')
			return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int cs_e164_conf_init(struct cs_e164_conf *c, const char *country_code, const char *trunk_prefix,
		      const char *intl_prefix)
{
	struct cs_e164_conf t;

	if (copy_digits(t.country_code, sizeof(t.country_code), country_code) != 0 ||
	    copy_digits(t.trunk_prefix, sizeof(t.trunk_prefix), trunk_prefix) != 0 ||
	    copy_digits(t.intl_prefix, sizeof(t.intl_prefix), intl_prefix) != 0)
		return -1;
	*c = t;
	return 0;
}

/* RFC 3966 visual-separator, plus the space people type. */
static int is_visual_separator(char ch)
{
	return ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == ' ';
}

static int has_prefix(const char *d, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return k > 0 && n >= k && memcmp(d, prefix, k) == 0;
}

static cs_digits international(const char *d, size_t n)
{
	if (n == 0 || n > CS_E164_MAX_DIGITS || d[0] == '0')
		return CS_DIGITS_NONE;
	return cs_digits_from_ascii(d, n);
}

cs_digits cs_e164_from_national(const char *nsn, size_t n, const struct cs_e164_conf *c)
{
	char full[CS_E164_MAX_DIGITS];
	size_t cc = strlen(c->country_code);

	if (cc == 0 || n == 0 || cc + n > CS_E164_MAX_DIGITS)
		return CS_DIGITS_NONE;
	memcpy(full, c->country_code, cc);
	memcpy(full + cc, nsn, n);
	return cs_digits_from_ascii(full, cc + n);
}

cs_digits cs_e164_normalise(const char *s, size_t n, const struct cs_e164_conf *c)
{
	char d[MAX_DIALLED];
	size_t nd = 0, i = 0;
	int plus = n > 0 && s[0] == '+';

	for (i = plus ? 1 : 0; i < n && s[i] != ';'; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (nd == sizeof(d))
				return CS_DIGITS_NONE;
			d[nd++] = s[i];
		} else if (!is_visual_separator(s[i])) {
			return CS_DIGITS_NONE;
		}
	}
	if (plus)
		return international(d, nd);
	if (has_prefix(d, nd, c->intl_prefix)) {
		size_t k = strlen(c->intl_prefix);
		return international(d + k, nd - k);
	}
	if (has_prefix(d, nd, c->trunk_prefix)) {
		size_t k = strlen(c->trunk_prefix);
		return cs_e164_from_national(d + k, nd - k, c);
	}
	return nd > CS_E164_MAX_DIGITS ? CS_DIGITS_NONE : cs_digits_from_ascii(d, nd);
}
