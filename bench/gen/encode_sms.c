/* SPDX-License-Identifier: Apache-2.0 */
#include "encode_sms.h"

#include <string.h>
#include <time.h>

enum {
	RP_DATA_MS_TO_NET = 0x00, /* TS 24.011 8.2.2 */
	RP_DATA_NET_TO_MS = 0x01,
	TOA_INTERNATIONAL = 0x91, /* ext 1, TON 001 international, NPI 0001 E.164 */
	TOA_ALPHANUMERIC = 0xd0,  /* ext 1, TON 101 alphanumeric, NPI 0000 */
	/* TP-SUBMIT first octet: RP 0, UDHI 0, SRR 0, VPF 10 (relative, 1 octet), RD 0, MTI 01 */
	TP_SUBMIT_RELATIVE_VP = 0x11,
	/* TP-DELIVER first octet: RP 0, UDHI 0, SRI 0, LP 0, MMS 1 (no more messages waiting), MTI 00 */
	TP_DELIVER_NO_MORE = 0x04,
	TP_PID_PLAIN = 0x00, /* TS 23.040 9.2.3.9: SME-to-SME, no interworking */
	TP_DCS_GSM7 = 0x00,  /* TS 23.038 4: general coding, default alphabet, no class */
	ADDRESS_MAX_DIGITS = 20, /* RP: 10 octets of TBCD (TS 24.011 8.2.5.1); TP: 20 semi-octets (TS 23.040 9.1.2.5) */
	ALPHA_MAX_CHARS = 11,    /* 11 septets fill the 20 semi-octets of a TP address */
	UD_MAX_SEPTETS = 160,    /* 140 octets of TP-UD (TS 23.040 9.2.3.24) */
};

int cs_gsm7_septet(char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '?') ||
	    (c >= ' ' && c <= '/' && c != '$'))
		return c;
	switch (c) {
	case '@': return 0x00;
	case '$': return 0x02;
	case '_': return 0x11;
	case '\n': return 0x0a;
	case '\r': return 0x0d;
	default: return -1;
	}
}

/*
 * Septets go in at the top of a bit accumulator and leave as whole
 * octets from the bottom: "hello" is 68 65 6c 6c 6f, packed e8 32 9b fd 06.
 */
int cs_buf_gsm7(struct cs_buf *b, const char *text)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	int n = 0;

	for (const char *c = text; *c != '\0'; c++, n++) {
		int s = cs_gsm7_septet(*c);
		if (s < 0) {
			b->overflow = true;
			return -1;
		}
		acc |= (uint32_t)s << bits;
		for (bits += 7; bits >= 8; bits -= 8, acc >>= 8)
			cs_buf_u8(b, (uint8_t)acc);
	}
	if (bits > 0)
		cs_buf_u8(b, (uint8_t)acc);
	return n;
}

static bool is_number(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ADDRESS_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * RP-OA / RP-DA (TS 24.011 8.2.5.1-2): the length counts octets, type of
 * address included.  8613800100500 -> 08 91 68 31 08 10 00 05 f0
 */
static void rp_address(struct cs_buf *b, const char *digits)
{
	cs_buf_u8(b, (uint8_t)(1 + (strlen(digits) + 1) / 2));
	cs_buf_u8(b, TOA_INTERNATIONAL);
	cs_buf_tbcd(b, digits);
}

/*
 * TP-DA / TP-OA (TS 23.040 9.1.2.5): the length counts the value's
 * semi-octets, without the type octet.  8613912345678 -> 0d 91 68 31 19 32 54 76 f8
 */
static void tp_number(struct cs_buf *b, const char *digits)
{
	cs_buf_u8(b, (uint8_t)strlen(digits));
	cs_buf_u8(b, TOA_INTERNATIONAL);
	cs_buf_tbcd(b, digits);
}

/*
 * An alphanumeric TP-OA: the name GSM 7-bit packed, its length the
 * semi-octets the packed bits take, ceil(7n / 4), which a reader turns
 * back into 4 * length / 7 = n characters.
 *   "MyBank": 6 septets, 42 bits -> 0b d0 cd bc 30 ec 5e 03
 */
static void tp_alphanumeric(struct cs_buf *b, const char *name)
{
	size_t n = strlen(name);

	if (n > ALPHA_MAX_CHARS) {
		b->overflow = true;
		return;
	}
	cs_buf_u8(b, (uint8_t)((7 * n + 3) / 4));
	cs_buf_u8(b, TOA_ALPHANUMERIC);
	cs_buf_gsm7(b, name);
}

/* TP-UDL in septets, then the packed text (TS 23.040 9.2.3.16, 9.2.3.24). */
static void user_data(struct cs_buf *b, const char *text)
{
	size_t n = strlen(text);

	if (n > UD_MAX_SEPTETS) {
		b->overflow = true;
		return;
	}
	cs_buf_u8(b, (uint8_t)n);
	cs_buf_gsm7(b, text);
}

/* Two decimal digits as swapped semi-octets (TS 23.040 9.2.3.11): 26 -> 0x62. */
static uint8_t swapped(unsigned int v)
{
	return (uint8_t)((v % 10) << 4 | v / 10);
}

/*
 * TP-SCTS: year month day hour minute second zone, each two swapped
 * digits; the zone counts quarters of an hour, bit 3 its sign.
 *   2026-01-05 08:00:00 UTC+8 -> 62 10 50 80 00 00 23
 */
static void timestamp(struct cs_buf *b, const struct cs_gen_sms_time *t)
{
	unsigned int q = (unsigned int)(t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters);

	if (t->year > 99 || t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 23 ||
	    t->minute > 59 || t->second > 59 || q > 79) {
		b->overflow = true;
		return;
	}
	cs_buf_u8(b, swapped(t->year));
	cs_buf_u8(b, swapped(t->month));
	cs_buf_u8(b, swapped(t->day));
	cs_buf_u8(b, swapped(t->hour));
	cs_buf_u8(b, swapped(t->minute));
	cs_buf_u8(b, swapped(t->second));
	cs_buf_u8(b, (uint8_t)(swapped(q) | (t->tz_quarters < 0 ? 0x08 : 0)));
}

/*
 * RP-User-Data (TS 24.011 8.2.5.3) is length + TPDU: the length octet is
 * reserved first and filled once the TPDU is written.
 */
struct cs_gen_sms_time cs_gen_sms_time_utc(uint64_t ts_ns)
{
	const time_t sec = (time_t)(ts_ns / 1000000000ull);
	struct tm utc;

	gmtime_r(&sec, &utc);
	return (struct cs_gen_sms_time){
		.year = (uint8_t)(utc.tm_year % 100), .month = (uint8_t)(utc.tm_mon + 1), .day = (uint8_t)utc.tm_mday,
		.hour = (uint8_t)utc.tm_hour, .minute = (uint8_t)utc.tm_min, .second = (uint8_t)utc.tm_sec,
		.tz_quarters = 0,
	};
}

static size_t rp_user_data_begin(struct cs_buf *b)
{
	size_t at = b->len;

	cs_buf_u8(b, 0);
	return at;
}

static size_t rp_user_data_end(struct cs_buf *b, size_t at)
{
	if (b->overflow || b->len - at - 1 > 0xff)
		return 0;
	b->p[at] = (uint8_t)(b->len - at - 1);
	return b->len;
}

size_t cs_encode_sms_submit(uint8_t *out, size_t cap, const struct cs_gen_sms_submit *m)
{
	struct cs_buf b;

	if (!is_number(m->smsc) || !is_number(m->recipient))
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_u8(&b, RP_DATA_MS_TO_NET);
	cs_buf_u8(&b, m->rp_mr);
	cs_buf_u8(&b, 0); /* RP-OA: the MS names no SMSC as originator */
	rp_address(&b, m->smsc);
	size_t ud = rp_user_data_begin(&b);
	cs_buf_u8(&b, TP_SUBMIT_RELATIVE_VP);
	cs_buf_u8(&b, m->tp_mr);
	tp_number(&b, m->recipient);
	cs_buf_u8(&b, TP_PID_PLAIN);
	cs_buf_u8(&b, TP_DCS_GSM7);
	cs_buf_u8(&b, m->validity);
	user_data(&b, m->text);
	return rp_user_data_end(&b, ud);
}

size_t cs_encode_sms_deliver(uint8_t *out, size_t cap, const struct cs_gen_sms_deliver *m)
{
	struct cs_buf b;

	if (!is_number(m->smsc) || (!m->alphanumeric && !is_number(m->sender)))
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_u8(&b, RP_DATA_NET_TO_MS);
	cs_buf_u8(&b, m->rp_mr);
	rp_address(&b, m->smsc);
	cs_buf_u8(&b, 0); /* RP-DA: the network names no SMSC as destination */
	size_t ud = rp_user_data_begin(&b);
	cs_buf_u8(&b, TP_DELIVER_NO_MORE);
	if (m->alphanumeric)
		tp_alphanumeric(&b, m->sender);
	else
		tp_number(&b, m->sender);
	cs_buf_u8(&b, TP_PID_PLAIN);
	cs_buf_u8(&b, TP_DCS_GSM7);
	timestamp(&b, &m->scts);
	user_data(&b, m->text);
	return rp_user_data_end(&b, ud);
}
