/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_JSON_WRITER_H
#define CS_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digits.h"

/*
 * Writes one JSON record into a caller-owned buffer, with no allocation.
 * Keys keep the order they are written in (records put "type" first).
 * If the buffer is too small the writer stops writing and sets overflow;
 * cs_json_finish() then fails, so a record is never cut silently.
 */
enum { CS_JSON_MAX_DEPTH = 8 };

struct cs_json {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
	int depth;
	bool need_comma[CS_JSON_MAX_DEPTH];
};

void cs_json_init(struct cs_json *w, char *buf, size_t cap);
void cs_json_object_begin(struct cs_json *w, const char *key); /* key NULL at top level */
void cs_json_object_end(struct cs_json *w);
void cs_json_array_begin(struct cs_json *w, const char *key); /* members are then written with key NULL */
void cs_json_array_end(struct cs_json *w);
void cs_json_string(struct cs_json *w, const char *key, const char *value);
void cs_json_u64(struct cs_json *w, const char *key, uint64_t value);
void cs_json_bool(struct cs_json *w, const char *key, bool value);
/* RFC 3339 UTC with microseconds, e.g. "2026-01-05T08:00:00.000250Z". */
void cs_json_time(struct cs_json *w, const char *key, uint64_t ts_ns);
/* Optional members: nothing is written for 0 or CS_DIGITS_NONE. */
void cs_json_time_if(struct cs_json *w, const char *key, uint64_t ts_ns);
/* A calendar day (days since 1970, UTC) as "YYYY-MM-DD"; nothing for day 0 ("never"). */
void cs_json_day_if(struct cs_json *w, const char *key, uint32_t day);
void cs_json_digits(struct cs_json *w, const char *key, cs_digits d);

/* A duration in seconds with microsecond precision, e.g. 12.000250 (a JSON number). */
void cs_json_seconds(struct cs_json *w, const char *key, uint64_t ns);

/* Returns the record's length (NUL-terminated in buf), or -1 on overflow. */
int cs_json_finish(struct cs_json *w);

#endif
