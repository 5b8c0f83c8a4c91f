/* SPDX-License-Identifier: Apache-2.0 */
#include "problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Room kept at the end of the buffer for the line that counts what did not fit. */
enum { REPORT_TAIL = 48, LINE_MAX_BYTES = 768 };

void cs_problems_init(struct cs_problems *r, const char *file, char *buf, size_t cap)
{
	*r = (struct cs_problems){ .file = file, .buf = buf, .cap = buf != NULL ? cap : 0 };
	if (r->cap > 0)
		buf[0] = '\0';
}

void cs_problem(struct cs_problems *r, unsigned int line, const char *fmt, ...)
{
	char text[LINE_MAX_BYTES];
	int n;
	va_list ap;

	r->count++;
	if (line > 0)
		n = snprintf(text, sizeof(text), "%s:%u: ", r->file, line);
	else
		n = snprintf(text, sizeof(text), "%s: ", r->file);
	if (n >= 0 && (size_t)n < sizeof(text)) {
		va_start(ap, fmt);
		vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	size_t len = strlen(text);
	if (len + 1 >= sizeof(text))
		len = sizeof(text) - 2; /* a cut line still ends in a newline */
	text[len++] = '\n';
	text[len] = '\0';
	if (r->full || r->len + len + REPORT_TAIL >= r->cap) {
		r->full = true;
		return;
	}
	memcpy(r->buf + r->len, text, len + 1);
	r->len += len;
	r->shown++;
}

void cs_problems_end(struct cs_problems *r)
{
	if (r->cap == 0 || r->count == r->shown)
		return;
	snprintf(r->buf + r->len, r->cap - r->len, "... and %u more problem%s not shown\n", r->count - r->shown,
		 r->count - r->shown == 1 ? "" : "s");
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), no control characters but tab. */
bool cs_utf8_text(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned int c = s[i], cp, min;
		size_t more;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1, cp = c & 0x1f, min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2, cp = c & 0x0f, min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i <= more)
			return false;
		for (size_t j = 1; j <= more; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += more + 1;
	}
	return true;
}

const char *cs_problem_quote(const char *text, size_t len, bool utf8, char buf[CS_QUOTED_LEN])
{
	const unsigned char *s = (const unsigned char *)text;
	size_t keep = len, j = 0;

	if (len > 40) {
		keep = 37;
		while (keep > 0 && (s[keep] & 0xc0) == 0x80)
			keep--;
	}
	bool clean = utf8 || cs_utf8_text(s, keep);
	buf[j++] = '\'';
	for (size_t i = 0; i < keep; i++)
		buf[j++] = s[i] < 0x20 || s[i] == 0x7f || (!clean && s[i] >= 0x80) ? '?' : (char)s[i];
	if (keep < len) {
		memcpy(buf + j, "...", 3);
		j += 3;
	}
	buf[j++] = '\'';
	buf[j] = '\0';
	return buf;
}
