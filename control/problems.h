/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_PROBLEMS_H
#define CS_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The problems found in one input file, written one a line into a caller's
 * buffer as "FILE:LINE: what is wrong (what is accepted)", or "FILE: ..."
 * for a problem of the whole file. Every problem is counted; the lines are
 * kept whole and in order while they fit, and cs_problems_end() adds
 * "... and N more problems not shown" when some did not. The buffer always
 * ends in a newline and a NUL once anything was written. A NULL buffer or
 * cap 0 counts only.
 *
 * The same conventions as the configuration loader (control/config.c).
 */
struct cs_problems {
	const char *file;
	char *buf;
	size_t cap, len;
	unsigned int count, shown;
	bool full; /* a line did not fit: later ones are counted, not written, to keep their order */
};

/* Starts a report on file into buf[0..cap) (buf may be NULL). */
void cs_problems_init(struct cs_problems *r, const char *file, char *buf, size_t cap);

/* One problem on line (1-based; 0 for the whole file). */
__attribute__((format(printf, 3, 4))) void cs_problem(struct cs_problems *r, unsigned int line, const char *fmt,
						      ...);

/*
 * Text as it appears in a message: in single quotes, cut after 37 bytes
 * (at a UTF-8 character boundary) with "...", control characters as '?',
 * and, unless utf8 says it is known to be UTF-8 (libyaml checks) or the
 * kept part is clean text (cs_utf8_text), its non-ASCII bytes as '?'
 * too: a problem stays one clean line.
 * 1 + 37 + 3 + 1 bytes and the NUL fit in CS_QUOTED_LEN.
 */
enum { CS_QUOTED_LEN = 48 };

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), no control characters but tab. */
bool cs_utf8_text(const unsigned char *s, size_t n);
const char *cs_problem_quote(const char *text, size_t len, bool utf8, char buf[CS_QUOTED_LEN]);

/* Adds the count of the lines that did not fit, if any. */
void cs_problems_end(struct cs_problems *r);

#endif
