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
