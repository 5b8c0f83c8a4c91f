/* SPDX-License-Identifier: Apache-2.0 */
#include "json_writer.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void put(struct cs_json *w, const char *s, size_t n)
{
	if (w->overflow || w->len + n >= w->cap) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put_str(struct cs_json *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Escapes per RFC 8259: quote, backslash and control characters. */
static void put_quoted(struct cs_json *w, const char *s)
{
	put(w, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		char esc[8];

		switch (*p) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				put_str(w, esc);
			} else {
				put(w, (const char *)p, 1);
			}
		}
	}
	put(w, "\"", 1);
}

static void member(struct cs_json *w, const char *key)
{
	if (w->need_comma[w->depth])
		put(w, ",", 1);
	w->need_comma[w->depth] = true;
	if (key != NULL) {
		put_quoted(w, key);
		put(w, ":", 1);
	}
}

void cs_json_init(struct cs_json *w, char *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	if (cap > 0)
		buf[0] = '\0';
}

static void open_scope(struct cs_json *w, const char *key, const char *bracket)
{
	member(w, key);
	put(w, bracket, 1);
	if (w->depth + 1 >= CS_JSON_MAX_DEPTH) {
		w->overflow = true;
		return;
	}
	w->need_comma[++w->depth] = false;
}

static void close_scope(struct cs_json *w, const char *bracket)
{
	put(w, bracket, 1);
	if (w->depth > 0)
		w->depth--;
}

void cs_json_object_begin(struct cs_json *w, const char *key)
{
	open_scope(w, key, "{");
}

void cs_json_object_end(struct cs_json *w)
{
	close_scope(w, "}");
}

void cs_json_array_begin(struct cs_json *w, const char *key)
{
	open_scope(w, key, "[");
}

void cs_json_array_end(struct cs_json *w)
{
	close_scope(w, "]");
}

void cs_json_string(struct cs_json *w, const char *key, const char *value)
{
	member(w, key);
	put_quoted(w, value);
}

void cs_json_u64(struct cs_json *w, const char *key, uint64_t value)
{
	char num[24];

	member(w, key);
	put(w, num, (size_t)snprintf(num, sizeof(num), "%" PRIu64, value));
}

void cs_json_bool(struct cs_json *w, const char *key, bool value)
{
	member(w, key);
	put_str(w, value ? "true" : "false");
}

void cs_json_time(struct cs_json *w, const char *key, uint64_t ts_ns)
{
	time_t sec = (time_t)(ts_ns / 1000000000u);
	unsigned int usec = (unsigned int)(ts_ns % 1000000000u / 1000u);
	struct tm tm;
	char out[40];

	gmtime_r(&sec, &tm);
	size_t n = strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, sizeof(out) - n, ".%06uZ", usec);
	member(w, key);
	put_quoted(w, out);
}

void cs_json_time_if(struct cs_json *w, const char *key, uint64_t ts_ns)
{
	if (ts_ns != 0)
		cs_json_time(w, key, ts_ns);
}

void cs_json_day_if(struct cs_json *w, const char *key, uint32_t day)
{
	time_t sec = (time_t)day * 86400;
	struct tm tm;
	char out[16];

	if (day == 0)
		return;
	gmtime_r(&sec, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d", &tm);
	member(w, key);
	put_quoted(w, out);
}

void cs_json_digits(struct cs_json *w, const char *key, cs_digits d)
{
	char s[CS_DIGITS_STR];

	if (cs_digits_to_ascii(d, s) > 0)
		cs_json_string(w, key, s);
}

void cs_json_seconds(struct cs_json *w, const char *key, uint64_t ns)
{
	char num[32];

	member(w, key);
	put(w, num, (size_t)snprintf(num, sizeof(num), "%" PRIu64 ".%06" PRIu64, ns / 1000000000u,
				     ns % 1000000000u / 1000u));
}

int cs_json_finish(struct cs_json *w)
{
	if (w->overflow || w->depth != 0)
		return -1;
	return (int)w->len;
}
