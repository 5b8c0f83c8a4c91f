/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "number_plan.h"
#include "number_plan_file.h"
#include "run.h"

static cs_digits num(const char *s)
{
	return cs_digits_from_ascii(s, strlen(s));
}

static struct cs_number_plan_hit match(const struct cs_number_plan *p, const char *number)
{
	return cs_number_plan_match(p, num(number));
}

/* text as a plan file that must load without problems */
static struct cs_number_plan *parse_ok(const char *text)
{
	struct cs_number_plan *p;
	char err[2048];
	int problems = cs_number_plan_parse("t.txt", text, strlen(text), &p, err, sizeof(err));

	cr_assert_eq(problems, 0, "%s", err);
	cr_assert_not_null(p);
	return p;
}

/* the prefixes of a plan that match some number of up to len digits, as "a,b,c" in key order */
static void cover_of(const char *range, char *out, size_t cap)
{
	struct cs_number_plan *p = parse_ok(range);
	size_t len = strcspn(range, "-");
	char digits[CS_DIGITS_STR];
	unsigned long limit = 1;

	out[0] = '\0';
	for (size_t i = 0; i < len; i++)
		limit *= 10;
	/* every number of len digits, in order; a new prefix each time the hit changes */
	char last[CS_DIGITS_STR] = "";
	for (unsigned long v = 0; v < limit; v++) {
		snprintf(digits, sizeof(digits), "%0*lu", (int)len, v);
		struct cs_number_plan_hit h = match(p, digits);
		if (h.digits == 0)
			continue;
		digits[h.digits] = '\0';
		if (strcmp(digits, last) != 0) {
			snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] != '\0' ? "," : "", digits);
			snprintf(last, sizeof(last), "%s", digits);
		}
	}
	cs_number_plan_free(p);
}

/* ---- lookup ---- */

Test(number_plan, longest_prefix_wins)
{
	const char *labels[] = { "", "China", "MVNO", "MVNO sub-range", "MVNO 1705" };
	const struct cs_number_plan_entry e[] = {
		{ num("86"), 1 }, { num("86170"), 2 }, { num("8617012"), 3 }, { num("861705"), 4 },
	};
	struct cs_number_plan *p = cs_number_plan_build(e, 4, labels, 5);
	struct cs_number_plan_hit h;

	cr_assert_not_null(p);
	h = match(p, "8617051234567");
	cr_expect_eq(h.digits, 6);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "MVNO 1705");
	h = match(p, "8617012345678");
	cr_expect_eq(h.digits, 7);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "MVNO sub-range");
	h = match(p, "8617099999999");
	cr_expect_eq(h.digits, 5);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "MVNO");
	h = match(p, "8613800138000");
	cr_expect_eq(h.digits, 2);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "China");
	/* the prefix itself is a match; a shorter number is not */
	cr_expect_eq(match(p, "86170").digits, 5);
	cr_expect_eq(match(p, "8617").digits, 2);
	cr_expect_eq(match(p, "8").digits, 0);
	cr_expect_eq(match(p, "4915112345678").digits, 0);
	cr_expect_eq(cs_number_plan_size(p), 4);
	cr_expect_eq(cs_number_plan_lengths(p), (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7));
	cs_number_plan_free(p);
}

Test(number_plan, every_length_from_1_to_16)
{
	const char *digits = "1234567890123456";
	struct cs_number_plan_entry e[CS_DIGITS_MAX];

	for (unsigned int len = 1; len <= CS_DIGITS_MAX; len++) {
		struct cs_number_plan_entry one = { cs_digits_from_ascii(digits, len), len };
		struct cs_number_plan *p = cs_number_plan_build(&one, 1, NULL, 0);
		char other[CS_DIGITS_STR];

		cr_assert_not_null(p);
		cr_expect_eq(match(p, digits).digits, len, "length %u", len);
		cr_expect_eq(match(p, digits).label, len);
		/* the number's own length: a prefix of exactly that many digits */
		cr_expect_eq(cs_number_plan_match(p, one.prefix).digits, len);
		/* one digit off at the last place of the prefix: no match */
		snprintf(other, sizeof(other), "%s", digits);
		other[len - 1] = other[len - 1] == '9' ? '0' : (char)(other[len - 1] + 1);
		cr_expect_eq(match(p, other).digits, 0, "length %u", len);
		/* a number shorter than the prefix: no match */
		if (len > 1)
			cr_expect_eq(cs_number_plan_match(p, cs_digits_from_ascii(digits, len - 1)).digits, 0);
		cs_number_plan_free(p);
		e[len - 1] = one;
	}
	/* all sixteen at once: each number hits the longest it has */
	struct cs_number_plan *p = cs_number_plan_build(e, CS_DIGITS_MAX, NULL, 0);
	cr_assert_not_null(p);
	cr_expect_eq(cs_number_plan_lengths(p), 0x1fffeu);
	for (unsigned int len = 1; len <= CS_DIGITS_MAX; len++) {
		struct cs_number_plan_hit h = cs_number_plan_match(p, cs_digits_from_ascii(digits, len));
		cr_expect_eq(h.digits, len);
		cr_expect_eq(h.label, len);
	}
	cs_number_plan_free(p);
}

Test(number_plan, no_identity_and_empty_plan_match_nothing)
{
	const struct cs_number_plan_entry e[] = { { num("0"), 0 }, { num("9"), 1 }, { num("9999999999999999"), 2 } };
	struct cs_number_plan *p = cs_number_plan_build(e, 3, NULL, 0);
	struct cs_number_plan *empty = cs_number_plan_build(NULL, 0, NULL, 0);

	cr_assert_not_null(p);
	cr_assert_not_null(empty);
	cr_expect_eq(cs_number_plan_match(p, CS_DIGITS_NONE).digits, 0);
	cr_expect_eq(cs_number_plan_match_tac(p, CS_DIGITS_NONE).digits, 0);
	cr_expect_eq(match(p, "9999999999999999").digits, 16);
	cr_expect_eq(match(p, "0000").digits, 1);
	cr_expect_eq(match(empty, "8613800138000").digits, 0);
	cr_expect_eq(cs_number_plan_match(empty, CS_DIGITS_NONE).digits, 0);
	cr_expect_eq(cs_number_plan_size(empty), 0);
	/* built without texts: every label id reads as "" */
	cr_expect_str_eq(cs_number_plan_label(p, 2), "");
	cs_number_plan_free(p);
	cs_number_plan_free(empty);
}

Test(number_plan, build_rejects_bad_entries)
{
	const char *labels[] = { "", "one" };
	const struct cs_number_plan_entry none = { CS_DIGITS_NONE, 0 };
	const struct cs_number_plan_entry hex = { 0x1a2fffffffffffffull, 0 };    /* nibble 0xA */
	const struct cs_number_plan_entry gap = { 0x12f3ffffffffffffull, 0 };    /* a digit after the filler */
	const struct cs_number_plan_entry twice[] = { { num("1064"), 0 }, { num("1064"), 1 } };
	const struct cs_number_plan_entry no_text = { num("1064"), 2 };

	errno = 0;
	cr_expect_null(cs_number_plan_build(&none, 1, NULL, 0));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(cs_number_plan_build(&hex, 1, NULL, 0));
	cr_expect_null(cs_number_plan_build(&gap, 1, NULL, 0));
	cr_expect_null(cs_number_plan_build(twice, 2, NULL, 0));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(cs_number_plan_build(&no_text, 1, labels, 2));
	cr_expect_eq(errno, EINVAL);
	/* the count is checked before any entry is read */
	cr_expect_null(cs_number_plan_build(&none, (size_t)CS_NUMBER_PLAN_MAX_ENTRIES + 1, NULL, 0));
	cr_expect_eq(errno, E2BIG);
}

Test(number_plan, tac_list_matches_imei_and_imeisv)
{
	struct cs_number_plan *p = parse_ok("35332510 handset\n"
					    "869876 old 6-digit TAC block\n"
					    "4901542032 longer than a TAC\n");
	struct cs_number_plan_hit h;

	/* IMEI (15 digits) and IMEISV (16) of one device share the TAC */
	h = cs_number_plan_match_tac(p, num("353325108224654"));
	cr_expect_eq(h.digits, 8);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "handset");
	cr_expect_eq(cs_number_plan_match_tac(p, num("3533251082246541")).digits, 8);
	/* a shorter entry covers every TAC starting with it */
	h = cs_number_plan_match_tac(p, num("869876011234567"));
	cr_expect_eq(h.digits, 6);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "old 6-digit TAC block");
	/* an entry past 8 digits would reach into the serial number: never matched as a TAC */
	cr_expect_eq(cs_number_plan_match_tac(p, num("490154203237518")).digits, 0);
	cr_expect_eq(cs_number_plan_match(p, num("490154203237518")).digits, 10);
	cr_expect_eq(cs_number_plan_match_tac(p, num("353325118224654")).digits, 0);
	cr_expect_eq(cs_number_plan_match_tac(p, num("3533251")).digits, 0);
	cs_number_plan_free(p);
}

/* ---- the file format ---- */

Test(number_plan_file, comments_blank_lines_and_labels)
{
	struct cs_number_plan *p = parse_ok("\xef\xbb\xbf# a plan\n"
					    "\n"
					    "   \t\n"
					    "861064    IoT M2M range   # 13-digit numbers\n"
					    "86170\tMVNO\r\n"
					    "  86171   MVNO\n"
					    "86192\n"
					    "95   \xe9\x93\xb6\xe8\xa1\x8c service\tnumber\n"
					    "10086# no space before the comment\n"
					    "# 12345 commented out\n"
					    "106 SP");
	struct cs_number_plan_hit mvno = match(p, "8617012345678"), other = match(p, "8617112345678");

	cr_expect_eq(cs_number_plan_size(p), 7);
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "861064123456789").label), "IoT M2M range");
	cr_expect_str_eq(cs_number_plan_label(p, mvno.label), "MVNO");
	/* one label text, one id, in order of first appearance from 1; 0 is "no label" */
	cr_expect_eq(mvno.label, other.label);
	cr_expect_eq(match(p, "861064123456789").label, 1);
	cr_expect_eq(mvno.label, 2);
	cr_expect_eq(match(p, "8619212345678").label, 0);
	cr_expect_str_eq(cs_number_plan_label(p, 0), "");
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "95588").label), "\xe9\x93\xb6\xe8\xa1\x8c service\tnumber");
	cr_expect_eq(match(p, "10086").digits, 5);
	cr_expect_eq(match(p, "10086").label, 0);
	cr_expect_eq(match(p, "12345").digits, 0);
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "1069012345").label), "SP");
	cr_expect_str_eq(cs_number_plan_label(p, 99), "");
	cs_number_plan_free(p);
}

Test(number_plan_file, the_documented_example_loads)
{
	/* the example of number_plan_file.h and docs/number-plans.md */
	struct cs_number_plan *p = parse_ok("# China Mobile IoT numbers, international form\n"
					    "861064            IoT M2M range\n"
					    "8614400-8614404   IoT data-only\n"
					    "861440\n"
					    "\n");
	struct cs_number_plan_hit h = match(p, "861440312345678");

	cr_expect_eq(cs_number_plan_size(p), 7);
	cr_expect_eq(h.digits, 7);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "IoT data-only");
	h = match(p, "861440512345678");
	cr_expect_eq(h.digits, 6);
	cr_expect_str_eq(cs_number_plan_label(p, h.label), "");
	cs_number_plan_free(p);
}

Test(number_plan_file, empty_file_is_an_empty_plan)
{
	struct cs_number_plan *p = parse_ok("# nothing here yet\n\n");
	struct cs_number_plan *q = parse_ok("");

	cr_expect_eq(cs_number_plan_size(p), 0);
	cr_expect_eq(cs_number_plan_size(q), 0);
	cr_expect_eq(match(p, "1").digits, 0);
	cs_number_plan_free(p);
	cs_number_plan_free(q);
}

Test(number_plan_file, ranges_expand_to_the_fewest_prefixes)
{
	char cover[512];
	struct cs_number_plan *p;

	cover_of("1064800-1064899", cover, sizeof(cover));
	cr_expect_str_eq(cover, "10648");
	cover_of("0-9", cover, sizeof(cover));
	cr_expect_str_eq(cover, "0,1,2,3,4,5,6,7,8,9");
	cover_of("100-199", cover, sizeof(cover));
	cr_expect_str_eq(cover, "1");
	cover_of("120-345", cover, sizeof(cover));
	cr_expect_str_eq(cover, "12,13,14,15,16,17,18,19,2,30,31,32,33,340,341,342,343,344,345");
	cover_of("5-5", cover, sizeof(cover));
	cr_expect_str_eq(cover, "5");
	cover_of("000-999", cover, sizeof(cover));
	cr_expect_str_eq(cover, "0,1,2,3,4,5,6,7,8,9");
	cover_of("0999-1000", cover, sizeof(cover));
	cr_expect_str_eq(cover, "0999,1000");

	p = parse_ok("100-199 one\n");
	cr_expect_eq(cs_number_plan_size(p), 1);
	cr_expect_eq(cs_number_plan_lengths(p), 1u << 1);
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "1").label), "one");
	cs_number_plan_free(p);
	/* the widest ranges stay small: at most 18 (L - 1) + 10 prefixes */
	p = parse_ok("0000000000000000-9999999999999999\n");
	cr_expect_eq(cs_number_plan_size(p), 10);
	cs_number_plan_free(p);
	p = parse_ok("1000000000000001-9999999999999998\n");
	cr_expect_leq(cs_number_plan_size(p), 18 * 15 + 10);
	cr_expect_eq(match(p, "1000000000000000").digits, 0);
	cr_expect_eq(match(p, "1000000000000001").digits, 16);
	cr_expect_eq(match(p, "5").digits, 1);
	cr_expect_eq(match(p, "9999999999999998").digits, 16);
	cr_expect_eq(match(p, "9999999999999999").digits, 0);
	cs_number_plan_free(p);
}

Test(number_plan_file, ranges_cover_exactly_their_numbers)
{
	uint64_t rng = 12345;

	/* 300 pseudo-random 3-digit ranges: every number inside matches, none outside */
	for (int t = 0; t < 300; t++) {
		char text[32];
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		unsigned int a = (unsigned int)(rng >> 33) % 1000, b = (unsigned int)(rng >> 45) % 1000;
		unsigned int lo = a < b ? a : b, hi = a < b ? b : a;

		snprintf(text, sizeof(text), "%03u-%03u\n", lo, hi);
		struct cs_number_plan *p = parse_ok(text);
		cr_expect_leq(cs_number_plan_size(p), 18 * 2 + 10);
		for (unsigned int v = 0; v < 1000; v++) {
			char digits[4];
			snprintf(digits, sizeof(digits), "%03u", v);
			cr_assert_eq(match(p, digits).digits > 0, v >= lo && v <= hi, "%s: %s", text, digits);
		}
		cs_number_plan_free(p);
	}
}

Test(number_plan_file, every_problem_with_its_line)
{
	const char *text = "# mistakes, one a line\n"          /* 1 */
			   "10a4 bad\n"                          /* 2 */
			   "12345678901234567\n"                 /* 3 */
			   "1099-1000\n"                         /* 4 */
			   "10-200\n"                            /* 5 */
			   "1064 - 1065\n"                       /* 6 */
			   "1064 first\n"                        /* 7 */
			   "1064 again\n"                        /* 8 */
			   "8 \x01" "ctl\n"                      /* 9 */
			   "9 \xc3\x28 bad UTF-8\n"              /* 10 */
			   "7 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" /* 11: 64 bytes */
			   "10640-10649\n"                       /* 12 */
			   "-5\n"                                /* 13 */
			   "1-\n"                                /* 14 */
			   "+861064\n"                           /* 15 */
			   "12345678901234567-12345678901234568\n" /* 16 */
			   "6 ok";                               /* 17 */
	const char *want =
		"t.txt:2: '10a4' is not a prefix (1 to 16 digits 0-9, or a range FROM-TO of two such prefixes of "
		"equal length)\n"
		"t.txt:3: '12345678901234567' has 17 digits (a prefix has 1 to 16 digits)\n"
		"t.txt:4: range '1099-1000' is empty: FROM is above TO (FROM-TO with FROM <= TO)\n"
		"t.txt:5: range '10-200' has ends of 2 and 3 digits (FROM-TO with FROM and TO of equal length)\n"
		"t.txt:6: label '- 1065' starts with '-' (a range is written FROM-TO, without spaces)\n"
		"t.txt:9: label '?ctl' is not UTF-8 text (UTF-8 without control characters; tab allowed)\n"
		"t.txt:10: label '?( bad UTF-8' is not UTF-8 text (UTF-8 without control characters; tab allowed)\n"
		"t.txt:11: label 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is 64 bytes (at most 63 bytes)\n"
		"t.txt:13: '-5' is not a prefix (1 to 16 digits 0-9, or a range FROM-TO of two such prefixes of "
		"equal length)\n"
		"t.txt:14: '1-' is not a prefix (1 to 16 digits 0-9, or a range FROM-TO of two such prefixes of "
		"equal length)\n"
		"t.txt:15: '+861064' is not a prefix (1 to 16 digits 0-9, or a range FROM-TO of two such prefixes "
		"of equal length)\n"
		"t.txt:16: '12345678901234567-12345678901234568' has 17 digits (a prefix has 1 to 16 digits)\n"
		"t.txt:8: prefix 1064 is already on line 7 (each prefix once; a longer prefix may refine a shorter "
		"one)\n"
		"t.txt:12: prefix 1064 is already on line 7 (each prefix once; a longer prefix may refine a shorter "
		"one)\n";
	struct cs_number_plan *p;
	char err[4096];

	cr_expect_eq(cs_number_plan_parse("t.txt", text, strlen(text), &p, err, sizeof(err)), 14);
	cr_expect_null(p);
	cr_expect_str_eq(err, want);
	/* counting only */
	cr_expect_eq(cs_number_plan_parse("t.txt", text, strlen(text), &p, NULL, 0), 14);
}

Test(number_plan_file, duplicates_from_lines_and_ranges)
{
	const char *text = "1064 a\n"
			   "10648 sub-range: fine\n"
			   "1064800-1064899 the same as 10648\n"
			   "1064 a\n"
			   "100-199\n"
			   "1\n";
	char err[2048];
	struct cs_number_plan *p;

	cr_expect_eq(cs_number_plan_parse("d.txt", text, strlen(text), &p, err, sizeof(err)), 3);
	cr_expect_null(p);
	cr_expect_str_eq(err, "d.txt:3: prefix 10648 is already on line 2 (each prefix once; a longer prefix may refine "
			      "a shorter one)\n"
			      "d.txt:4: prefix 1064 is already on line 1 (each prefix once; a longer prefix may refine "
			      "a shorter one)\n"
			      "d.txt:6: prefix 1 is already on line 5 (each prefix once; a longer prefix may refine a "
			      "shorter one)\n");
}

Test(number_plan_file, long_reports_are_cut_politely)
{
	char text[2000] = "", err[300];
	struct cs_number_plan *p;

	for (int i = 0; i < 100; i++)
		strcat(text, "x\n");
	cr_expect_eq(cs_number_plan_parse("many.txt", text, strlen(text), &p, err, sizeof(err)), 100);
	cr_expect_null(p);
	cr_expect(strstr(err, "many.txt:1: 'x' is not a prefix") == err, "%s", err);
	cr_expect_not_null(strstr(err, " more problems not shown\n"), "%s", err);
	cr_expect_lt(strlen(err), sizeof(err));
}

/* ---- bounds ---- */

static char *numbered_lines(unsigned int count, size_t *len)
{
	char *text = malloc((size_t)count * 8 + 1);

	cr_assert_not_null(text);
	for (unsigned int i = 0; i < count; i++)
		snprintf(text + (size_t)i * 8, 9, "%07u\n", 1000000 + i);
	*len = (size_t)count * 8;
	return text;
}

Test(number_plan_file, at_most_a_million_prefixes, .timeout = 120)
{
	size_t len;
	char *text = numbered_lines(CS_NUMBER_PLAN_MAX_ENTRIES + 1, &len);
	char err[512];
	struct cs_number_plan *p;

	/* exactly the bound: loads */
	cr_assert_eq(cs_number_plan_parse("big.txt", text, len - 8, &p, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(cs_number_plan_size(p), CS_NUMBER_PLAN_MAX_ENTRIES);
	cr_expect_eq(match(p, "1000000").digits, 7);
	cr_expect_eq(match(p, "2048575").digits, 7);
	cr_expect_eq(match(p, "2048576").digits, 0);
	cs_number_plan_free(p);
	/* one more: one problem, at the line that crossed it */
	cr_expect_eq(cs_number_plan_parse("big.txt", text, len, &p, err, sizeof(err)), 1);
	cr_expect_null(p);
	cr_expect_str_eq(err, "big.txt:1048577: more than 1048576 prefixes (at most 1048576 a plan, a range counting "
			      "as the prefixes it expands to)\n");
	free(text);
	/* a range that crosses the bound stops there too */
	text = numbered_lines(CS_NUMBER_PLAN_MAX_ENTRIES - 5, &len);
	char *more = realloc(text, len + 32);
	cr_assert_not_null(more);
	strcpy(more + len, "9000001-9000099\n"); /* 18 prefixes */
	cr_expect_eq(cs_number_plan_parse("big.txt", more, strlen(more), &p, err, sizeof(err)), 1);
	cr_expect_str_eq(err, "big.txt:1048572: more than 1048576 prefixes (at most 1048576 a plan, a range counting "
			      "as the prefixes it expands to)\n");
	free(more);
}

/* ---- files ---- */

Test(number_plan_file, unreadable_files_are_named_with_the_reason)
{
	char err[512];
	struct cs_number_plan *p;
	const char *missing = CS_SOURCE_PATH("config/plans/no-such-plan.txt");
	const char *dir = CS_SOURCE_PATH("config/plans");
	char want[4200];

	cr_expect_eq(cs_number_plan_load(missing, &p, err, sizeof(err)), 1);
	cr_expect_null(p);
	snprintf(want, sizeof(want), "%s: cannot read: %s\n", missing, strerror(ENOENT));
	cr_expect_str_eq(err, want);
	cr_expect_eq(cs_number_plan_load(dir, &p, err, sizeof(err)), 1);
	snprintf(want, sizeof(want), "%s: cannot read: %s\n", dir, strerror(EISDIR));
	cr_expect_str_eq(err, want);
}

Test(number_plan_file, a_file_past_the_bound_is_not_read)
{
	char path[] = "/tmp/cdrsentry-plan-XXXXXX", err[512], want[512];
	struct cs_number_plan *p;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	/* sparse: no disk used, and the loader must refuse it by its size */
	cr_assert_eq(ftruncate(fd, (off_t)CS_NUMBER_PLAN_FILE_MAX_BYTES + 1), 0);
	close(fd);
	cr_expect_eq(cs_number_plan_load(path, &p, err, sizeof(err)), 1);
	cr_expect_null(p);
	snprintf(want, sizeof(want), "%s: 134217729 bytes is too big (a plan file has at most 134217728 bytes)\n", path);
	cr_expect_str_eq(err, want);
	unlink(path);
}

Test(number_plan_file, load_reads_the_file_whole)
{
	char path[] = "/tmp/cdrsentry-plan-XXXXXX", err[512];
	struct cs_number_plan *p;
	int fd = mkstemp(path);
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	/* past the first read's 64 KiB, so the buffer grows */
	for (unsigned int i = 0; i < 20000; i++)
		fprintf(f, "%07u label %u\n", 1000000 + i, i % 7);
	fclose(f);
	cr_expect_eq(cs_number_plan_load(path, &p, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(cs_number_plan_size(p), 20000);
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "1000013").label), "label 6");
	cr_expect_str_eq(cs_number_plan_label(p, match(p, "1019999").label), "label 0"); /* the last line */
	cs_number_plan_free(p);
	unlink(path);
}

/* ---- the shipped defaults ---- */

static struct cs_number_plan *shipped(const char *name)
{
	char rel[128], err[2048];
	struct cs_number_plan *p;

	snprintf(rel, sizeof(rel), "config/plans/%s", name);
	cr_assert_eq(cs_number_plan_load(CS_SOURCE_PATH(rel), &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_gt(cs_number_plan_size(p), 0, "%s is empty", name);
	return p;
}

Test(number_plan_file, shipped_plans_load)
{
	struct cs_number_plan *iot = shipped("iot.txt"), *risky = shipped("risky.txt");
	struct cs_number_plan *codes = shipped("shortcodes.txt");
	struct cs_number_plan *handsets = shipped("handset_tacs.txt"), *modules = shipped("module_tacs.txt");

	/* international form: 86 and the 13-digit IoT number */
	cr_expect_gt(match(iot, "861064812345678").digits, 0);
	cr_expect_gt(match(iot, "861440012345678").digits, 0);
	cr_expect_gt(match(iot, "861410012345678").digits, 0);
	cr_expect_gt(match(iot, "8617212345678").digits, 0);
	cr_expect_eq(match(iot, "8613800138000").digits, 0);
	cr_expect_eq(match(iot, "1064812345678").digits, 0); /* national form is not what the plan holds */
	cr_expect_gt(match(risky, "8617012345678").digits, 0);
	cr_expect_gt(match(risky, "8617112345678").digits, 0);
	cr_expect_gt(match(risky, "8616212345678").digits, 0);
	cr_expect_gt(match(risky, "8619212345678").digits, 0);
	cr_expect_eq(match(risky, "8613800138000").digits, 0);
	/* short codes as they arrive, without the country code */
	cr_expect_gt(match(codes, "1069012345678").digits, 0);
	cr_expect_gt(match(codes, "4008001234").digits, 0);
	cr_expect_eq(match(codes, "959123456789").digits, 0, "no 95: Myanmar's numbers start so (5-digit 95xxx are short)");
	cr_expect_eq(match(codes, "8613800138000").digits, 0);
	/* TAC lists hold 8-digit TACs */
	cr_expect_eq(cs_number_plan_lengths(handsets), 1u << 8);
	cr_expect_eq(cs_number_plan_lengths(modules), 1u << 8);
	cr_expect_eq(cs_number_plan_match_tac(handsets, num("353325108224654")).digits, 8);
	cr_expect_eq(cs_number_plan_match_tac(modules, num("353325108224654")).digits, 0);
	cs_number_plan_free(iot);
	cs_number_plan_free(risky);
	cs_number_plan_free(codes);
	cs_number_plan_free(handsets);
	cs_number_plan_free(modules);
}
