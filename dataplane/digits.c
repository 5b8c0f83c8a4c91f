/* SPDX-License-Identifier: Apache-2.0 */
#include "digits.h"

/* n digits accumulated in the low nibbles of acc -> the packed form. */
static cs_digits top_aligned(uint64_t acc, unsigned int n)
{
	return n == CS_DIGITS_MAX ? acc : acc << (4 * (CS_DIGITS_MAX - n)) | (UINT64_MAX >> (4 * n));
}

cs_digits cs_digits_from_ascii(const char *s, size_t n)
{
	uint64_t acc = 0;

	if (n == 0 || n > CS_DIGITS_MAX)
		return CS_DIGITS_NONE;
	for (size_t i = 0; i < n; i++) {
		unsigned int v = (unsigned int)((unsigned char)s[i] - '0');
		if (v > 9)
			return CS_DIGITS_NONE;
		acc = acc << 4 | v;
	}
	return top_aligned(acc, (unsigned int)n);
}

cs_digits cs_digits_from_tbcd(const uint8_t *p, size_t n)
{
	cs_digits d = 0;
	unsigned int count = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int lo = p[i] & 0x0f, hi = p[i] >> 4;

		if (lo > 9 || count == CS_DIGITS_MAX)
			return CS_DIGITS_NONE;
		d = d << 4 | lo;
		count++;
		if (hi == 0xf) {
			if (i + 1 != n) /* filler only in the last byte */
				return CS_DIGITS_NONE;
			break;
		}
		if (hi > 9 || count == CS_DIGITS_MAX)
			return CS_DIGITS_NONE;
		d = d << 4 | hi;
		count++;
	}
	return count == 0 ? CS_DIGITS_NONE : top_aligned(d, count);
}

unsigned int cs_digits_len(cs_digits d)
{
	unsigned int n = 0;

	while (n < CS_DIGITS_MAX && ((d >> (60 - 4 * n)) & 0xf) != 0xf)
		n++;
	return n;
}

size_t cs_digits_to_ascii(cs_digits d, char out[CS_DIGITS_STR])
{
	unsigned int n = cs_digits_len(d);

	for (unsigned int i = 0; i < n; i++)
		out[i] = (char)('0' + ((d >> (60 - 4 * i)) & 0xf));
	out[n] = '\0';
	return n;
}
