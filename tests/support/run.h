/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TEST_RUN_H
#define CS_TEST_RUN_H

#include <stddef.h>

/* A finished child process: exit status (or 128 + signal) and its output. */
struct cs_run {
	int status;
	char *out; /* NUL-terminated stdout */
	char *err; /* NUL-terminated stderr */
};

/* Runs argv (argv[0] a path) to completion. Returns 0 or -1 if it could not start. */
int cs_run(char *const argv[], struct cs_run *r);
void cs_run_free(struct cs_run *r);

/* Runs argv to completion; fails the test, with its stderr, unless it started and exited 0. */
void cs_run_ok(char *const argv[]);

/* Starts argv (argv[0] a path) with stdout and stderr to the given files; returns its pid or -1. */
int cs_spawn(char *const argv[], const char *out_path, const char *err_path);

/* Waits for pid; returns its exit status (or 128 + signal), -1 if it could not be waited for. */
int cs_wait(int pid);

/* A path in the source tree, written into a caller buffer and returned. */
struct cs_path {
	char s[4096];
};
const char *cs_source_path(struct cs_path *buf, const char *rel);
/* The same, in a buffer that lives until the end of the enclosing block. */
#define CS_SOURCE_PATH(rel) cs_source_path(&(struct cs_path){ .s = "" }, (rel))

/* A required environment variable; fails the test with a message if unset. */
const char *cs_env(const char *name);

/*
 * Splits line in place on sep (tshark -T fields output), keeping empty
 * fields; field[k] points at each. Returns how many fields it found (at most n).
 */
int cs_split_fields(char *line, char sep, char **field, int n);

/* A fresh directory "/tmp/cs-<tag>.XXXXXX" in dir; fails the test if it cannot be made. */
enum { CS_TEMP_DIR_LEN = 64 };
void cs_temp_dir(char dir[CS_TEMP_DIR_LEN], const char *tag);
/* Removes dir and all it holds (a suite's .fini); a failure is a test failure. */
void cs_remove_tree(const char *dir);

/* DIR/NAME read whole (free it), as a run wrote it; fails the test if it was not written. */
char *cs_read_output(const char *dir, const char *name);

/* Reads a whole file into a NUL-terminated heap buffer; *len gets its size. */
char *cs_read_file(const char *path, size_t *len);

/* How many times needle occurs in text (0 when text is NULL). */
int cs_count(const char *text, const char *needle);

/*
 * The first "key":"value" in a JSON line, the value copied into out (""
 * when absent), and the first "key":number in a JSON text (-1 when
 * absent): enough for records and stats cdrsentry writes, whose strings
 * hold no escaped quotes where the tests look.
 */
void cs_json_str(const char *line, const char *key, char *out, size_t cap);
long long cs_json_int(const char *text, const char *key);

#endif
