/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_NUMBER_PLAN_FILE_H
#define CS_NUMBER_PLAN_FILE_H

#include <stddef.h>

#include "number_plan.h"

/*
 * Number plan files: the lists of prefixes the configuration points to
 * (docs/number-plans.md; the shipped defaults are the .txt files of
 * config/plans/).
 *
 * UTF-8 text, one entry a line:
 *
 *   # China Mobile IoT numbers, international form   <- comment: '#' to the end of the line
 *   861064            IoT M2M range                  <- a prefix, then an optional label
 *   8614400-8614404   IoT data-only                  <- a range FROM-TO, no spaces around '-'
 *   861440                                           <- no label: label id 0, text ""
 *                                                    <- blank lines are skipped
 *
 *   prefix  1 to 16 digits 0-9. A number matches when it starts with it;
 *           the longest prefix in the plan wins.
 *   range   FROM-TO, two prefixes of equal length, FROM <= TO: every
 *           prefix of that length from FROM to TO, stored as the fewest
 *           shorter prefixes that cover exactly them ("1064800-1064899" ->
 *           "10648"; "100-199" -> "1"; "0-9" -> "0" ... "9", since no
 *           entry is empty). A range of L digits yields at most
 *           18 (L - 1) + 10 prefixes.
 *   label   the rest of the line after whitespace, trailing whitespace
 *           removed, at most CS_NUMBER_PLAN_LABEL_MAX bytes of UTF-8
 *           without control characters (tab allowed); it cannot contain
 *           '#'. Lines with the same text share one label id (ids from 1,
 *           in order of first appearance; 0 is "no label").
 *
 * Also accepted: a UTF-8 byte order mark at the start, CRLF line ends.
 *
 * Every problem is reported, not only the first, each as one line
 * "FILE:LINE: what is wrong (what is accepted)":
 *   - a prefix that is not digits, or longer than 16 digits;
 *   - a range whose ends differ in length, or whose FROM is above its TO;
 *   - a label too long, not UTF-8, with control characters, or starting
 *     with '-' (a range written with spaces: "1000 - 1999");
 *   - the same prefix twice, from lines or from ranges: an error, because
 *     with two labels the match would be ambiguous and with one it is a
 *     copy left behind; a longer prefix inside a shorter one is fine and
 *     is how a sub-range gets its own label;
 *   - more than CS_NUMBER_PLAN_MAX_ENTRIES prefixes, counting what ranges
 *     expand to (reported once, at the line that crossed the bound; the
 *     rest of the file is not read);
 *   - a file over CS_NUMBER_PLAN_FILE_MAX_BYTES ("FILE: ..."), or one
 *     that cannot be read ("FILE: cannot read: <strerror>").
 * Line problems come in file order, duplicates after them, in file order.
 * An empty file (or comments only) is a valid, empty plan.
 */
enum {
	CS_NUMBER_PLAN_LABEL_MAX = 63,
	/* 1 M entries of the longest form (16 digits, a space, a 63-byte label, a newline: 81 bytes) fit */
	CS_NUMBER_PLAN_FILE_MAX_BYTES = 128 << 20,
};

/*
 * Parses buf[0..len) (need not be NUL-terminated) as a plan file called
 * name in messages. Returns the number of problems: 0 with *out set to the
 * new plan (cs_number_plan_free), or more with *out NULL and the problems
 * written into err as config.h describes for cs_config_load (err may be
 * NULL or errlen 0 to count only).
 */
int cs_number_plan_parse(const char *name, const char *buf, size_t len, struct cs_number_plan **out, char *err,
			 size_t errlen);

/* Reads the file at path and parses it as above, path naming it in messages. */
int cs_number_plan_load(const char *path, struct cs_number_plan **out, char *err, size_t errlen);

#endif
