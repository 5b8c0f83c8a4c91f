/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_sip.h"

#include <stddef.h>
#include <string.h>

/*
 * Text is walked with [b, e) pointer pairs that never leave [p, p+len):
 * every helper stops at e, and nothing dereferences e itself.
 */

/* RFC 3261 25.1 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
static bool is_token_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch != '\0' && strchr("-.!%*_+`'~", ch) != NULL);
}

/* Linear white space, folded line ends included: values keep their folds. */
static bool is_lws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A control byte, which text lines never hold (RFC 3261 25.1 TEXT-UTF8char). */
static bool is_ctl(char ch)
{
	unsigned char u = (unsigned char)ch;

	return (u < 0x20 && ch != '\t') || u == 0x7f;
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* ASCII case-insensitive: does [b, e) equal the lower-case literal lit? */
static bool ieq(const char *b, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(e - b) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (lower(b[i]) != lit[i])
			return false;
	}
	return true;
}

/* Does [b, e) start with the lower-case literal lit, ignoring case? */
static bool istarts(const char *b, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - b) >= n && ieq(b, b + n, lit);
}

static const char *skip_lws(const char *b, const char *e)
{
	while (b < e && is_lws(*b))
		b++;
	return b;
}

static const char *trim_lws_end(const char *b, const char *e)
{
	while (e > b && is_lws(e[-1]))
		e--;
	return e;
}

static const char *skip_token(const char *b, const char *e)
{
	while (b < e && is_token_char(*b))
		b++;
	return b;
}

static const char *find_char(const char *b, const char *e, char ch)
{
	const char *at = memchr(b, ch, (size_t)(e - b));

	return at != NULL ? at : e;
}

/* Past a quoted-string starting at b ('"'), backslash escapes included; NULL if unterminated. */
static const char *skip_quoted(const char *b, const char *e)
{
	for (b++; b < e; b++) {
		if (*b == '\\' && b + 1 < e)
			b++;
		else if (*b == '"')
			return b + 1;
	}
	return NULL;
}

static struct cs_sip_span span(const char *b, const char *e)
{
	return (struct cs_sip_span){ .p = b, .len = (uint32_t)(e - b) };
}

/*
 * Unsigned decimal of 1-10 digits filling [b, e) exactly. Returns false for
 * anything else or a value above max.
 */
static bool parse_uint(const char *b, const char *e, uint64_t max, uint32_t *value)
{
	uint64_t v = 0;

	if (b == e || e - b > 10)
		return false;
	for (; b < e; b++) {
		if (!is_digit(*b))
			return false;
		v = v * 10 + (uint64_t)(*b - '0');
	}
	if (v > max)
		return false;
	*value = (uint32_t)v;
	return true;
}

/* RFC 3261 7.1: method names are case-sensitive. */
static enum cs_sip_method method_of(const char *b, const char *e)
{
	static const struct {
		const char *name;
		enum cs_sip_method method;
	} methods[] = {
		{ "INVITE", CS_SIP_METHOD_INVITE },	  { "ACK", CS_SIP_METHOD_ACK },
		{ "BYE", CS_SIP_METHOD_BYE },		  { "CANCEL", CS_SIP_METHOD_CANCEL },
		{ "MESSAGE", CS_SIP_METHOD_MESSAGE },	  { "REGISTER", CS_SIP_METHOD_REGISTER },
		{ "OPTIONS", CS_SIP_METHOD_OPTIONS },	  { "PRACK", CS_SIP_METHOD_PRACK },
		{ "UPDATE", CS_SIP_METHOD_UPDATE },	  { "INFO", CS_SIP_METHOD_INFO },
		{ "SUBSCRIBE", CS_SIP_METHOD_SUBSCRIBE }, { "NOTIFY", CS_SIP_METHOD_NOTIFY },
	};
	size_t n = (size_t)(e - b);

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strlen(methods[i].name) == n && memcmp(methods[i].name, b, n) == 0)
			return methods[i].method;
	}
	return CS_SIP_METHOD_OTHER;
}

/*
 * A URI naming a party (RFC 3261 19.1, RFC 3966):
 *
 *   sip:+8613800138000;npdi@ims.example.org;user=phone   user "+8613800138000;npdi"
 *   sips:alice:secret@example.org                          user "alice"
 *   tel:+86-138-0013-8000;phone-context=example.org        user "+86-138-0013-8000"
 *
 * The number is the user part normalised: a user=phone user part is a
 * telephone-subscriber, and a numeric user part of a plain sip: URI (as
 * many cores and PBXs write them) is one in all but name.
 */
static void parse_uri(const char *b, const char *e, const struct cs_e164_conf *numbers, struct cs_sip_party *party)
{
	const char *colon = find_char(b, e, ':');
	const char *user, *user_end;

	*party = (struct cs_sip_party){ .number = CS_DIGITS_NONE };
	if (colon == e)
		return;
	if (ieq(b, colon, "tel")) {
		user = colon + 1;
		user_end = find_char(user, e, ';');
	} else if (ieq(b, colon, "sip") || ieq(b, colon, "sips")) {
		const char *at = find_char(colon + 1, e, '@');
		if (at == e)
			return;
		user = colon + 1;
		user_end = find_char(user, at, ':');
	} else {
		return;
	}
	party->user = span(user, user_end);
	party->number = cs_e164_normalise(user, (size_t)(user_end - user), numbers);
}

/*
 * gen-value = token / host / quoted-string (RFC 3261 25.1). A host (an
 * IPv6 reference, a port) is not a token, so an unquoted value runs to
 * the next separator.
 */
static const char *param_value_end(const char *b, const char *e)
{
	if (b < e && *b == '"') {
		const char *end = skip_quoted(b, e);
		return end != NULL ? end : e;
	}
	while (b < e && *b != ';' && *b != ',' && !is_lws(*b))
		b++;
	return b;
}

/*
 * Header parameters after a name-addr or addr-spec (RFC 3261 20.10, 25.1):
 * *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ].
 * Keeps the tag's value when tag is not NULL. Returns where they end: at
 * the ',' before the next entry of a list header, or e.
 */
static const char *parse_params(const char *b, const char *e, struct cs_sip_span *tag)
{
	for (;;) {
		b = skip_lws(b, e);
		if (b == e || *b != ';')
			return b;
		const char *name = skip_lws(b + 1, e);
		const char *name_end = skip_token(name, e);

		b = skip_lws(name_end, e);
		if (b < e && *b == '=') {
			const char *value = skip_lws(b + 1, e);
			b = param_value_end(value, e);
			if (tag != NULL && ieq(name, name_end, "tag"))
				*tag = span(value, b);
		}
	}
}

/*
 * One entry of From, To or P-Asserted-Identity (RFC 3261 20.10, 20.20,
 * 20.39; RFC 3325 9.1):
 *
 *   "Alice" <sip:+8613800138000@ims.example.org;user=phone>;tag=1928301774
 *   display  <---------------------- URI ---------------->  params
 *   sip:alice@example.org;tag=88sja8x                 (addr-spec: no <>)
 *
 * In the addr-spec form the URI ends at the first ';' (RFC 3261 20: such a
 * URI cannot hold ';', ',' or '?'); what follows are header parameters.
 * An entry cut short (no closing quote or '>') names no party. Returns the
 * end of the entry (its ',' or e).
 */
static const char *parse_name_addr(const char *b, const char *e, const struct cs_e164_conf *numbers,
				   struct cs_sip_party *party, struct cs_sip_span *tag)
{
	const char *uri, *uri_end, *q;

	*party = (struct cs_sip_party){ .number = CS_DIGITS_NONE };
	b = skip_lws(b, e);
	q = b;
	if (q < e && *q == '"') {
		q = skip_quoted(q, e);
		if (q == NULL)
			return e;
	}
	while (q < e && *q != '<' && *q != ';' && *q != ',' && *q != '"')
		q++;
	if (q < e && *q == '<') {
		uri = q + 1;
		uri_end = find_char(uri, e, '>');
		if (uri_end == e)
			return e;
		q = uri_end + 1;
	} else {
		uri = b;
		uri_end = b;
		while (uri_end < e && *uri_end != ';' && *uri_end != ',' && !is_lws(*uri_end))
			uri_end++;
		q = uri_end;
	}
	parse_uri(uri, uri_end, numbers, party);
	return parse_params(q, e, tag);
}

/* P-Asserted-Identity: keep the first entry that is a number, else the first entry. */
static void parse_asserted(const char *b, const char *e, const struct cs_e164_conf *numbers,
			   struct cs_sip_msg *out, bool *seen)
{
	while (b < e && out->asserted.number == CS_DIGITS_NONE) {
		struct cs_sip_party party;
		const char *next = find_char(parse_name_addr(b, e, numbers, &party, NULL), e, ',');

		if (!*seen || party.number != CS_DIGITS_NONE)
			out->asserted = party;
		*seen = true;
		b = next < e ? next + 1 : e;
	}
}

/*
 * TS 23.003 13.3: a private user identity derived from the IMSI is
 * "<IMSI>@ims.mnc<MNC>.mcc<MCC>.3gppnetwork.org", the MNC padded to three
 * digits. The MCC and MNC must be the IMSI's own, else this is some other
 * identity that merely looks numeric.
 */
static cs_digits imsi_of_private_identity(const char *b, const char *e)
{
	static const char domain[] = "@ims.mncNNN.mccNNN.3gppnetwork.org";
	const size_t dlen = sizeof(domain) - 1;
	const char *at = b;

	while (at < e && is_digit(*at))
		at++;
	size_t n = (size_t)(at - b);
	if (n < 6 || n > 15 || (size_t)(e - at) != dlen)
		return CS_DIGITS_NONE;
	for (size_t i = 0; i < dlen; i++) {
		if (domain[i] == 'N' ? !is_digit(at[i]) : lower(at[i]) != domain[i])
			return CS_DIGITS_NONE;
	}
	const char *mnc = at + 8, *mcc = at + 15;
	bool mnc3 = memcmp(b + 3, mnc, 3) == 0;
	bool mnc2 = mnc[0] == '0' && memcmp(b + 3, mnc + 1, 2) == 0;
	if (memcmp(b, mcc, 3) != 0 || !(mnc3 || mnc2))
		return CS_DIGITS_NONE;
	return cs_digits_from_ascii(b, n);
}

/*
 * Authorization (RFC 3261 20.7, 25.1; TS 24.229 5.1.1.2.1):
 *   Digest username="001010123456789@ims.mnc001.mcc001.3gppnetwork.org", realm="...", ...
 * auth-param = token EQUAL ( token / quoted-string ), separated by commas.
 */
static cs_digits imsi_of_authorization(const char *b, const char *e)
{
	b = skip_token(skip_lws(b, e), e); /* the scheme */
	while (b < e) {
		const char *name, *name_end, *value, *value_end;

		b = skip_lws(b, e);
		if (b < e && *b == ',') {
			b++;
			continue;
		}
		name = b;
		name_end = skip_token(name, e);
		b = skip_lws(name_end, e);
		if (name == name_end || b == e || *b != '=')
			return CS_DIGITS_NONE;
		value = skip_lws(b + 1, e);
		if (value < e && *value == '"') {
			b = skip_quoted(value, e);
			if (b == NULL)
				return CS_DIGITS_NONE;
			value++;
			value_end = b - 1;
		} else {
			value_end = skip_token(value, e);
			b = value_end;
		}
		if (ieq(name, name_end, "username"))
			return imsi_of_private_identity(value, value_end);
	}
	return CS_DIGITS_NONE;
}

/* RFC 3261 20.16: CSeq = 1*DIGIT LWS Method, the number below 2**31 (8.1.1.5). */
static enum cs_reason parse_cseq(const char *b, const char *e, struct cs_sip_msg *out)
{
	const char *num_end = b, *method;

	while (num_end < e && is_digit(*num_end))
		num_end++;
	method = skip_lws(num_end, e);
	if (method == num_end || skip_token(method, e) != e || method == e ||
	    !parse_uint(b, num_end, INT32_MAX, &out->cseq))
		return CS_R_SIP_BAD_CSEQ;
	out->cseq_method = method_of(method, e);
	return CS_R_OK;
}

/* RFC 3261 20.14: 1*DIGIT. Repeated headers must agree: two lengths would frame the stream two ways. */
static enum cs_reason parse_content_length(const char *b, const char *e, struct cs_sip_msg *out)
{
	uint32_t v;

	if (!parse_uint(b, e, UINT32_MAX, &v) || (out->has_content_length && v != out->content_length))
		return CS_R_SIP_BAD_CONTENT_LENGTH;
	out->has_content_length = true;
	out->content_length = v;
	return CS_R_OK;
}

/* type/subtype of a Content-Type value, before parameters, compared ignoring case (RFC 3261 20.15). */
static bool media_type_is(struct cs_sip_span ct, const char *type)
{
	const char *e = ct.p + ct.len;
	const char *b = ct.p;

	if (!istarts(b, e, type))
		return false;
	b += strlen(type);
	return b == e || *b == ';' || is_lws(*b);
}

static enum cs_sip_body body_kind_of(struct cs_sip_span ct)
{
	if (media_type_is(ct, "application/sdp"))
		return CS_SIP_BODY_SDP;
	if (media_type_is(ct, "application/vnd.3gpp.sms"))
		return CS_SIP_BODY_SMS;
	return CS_SIP_BODY_OTHER;
}

enum header {
	H_OTHER,
	H_CALL_ID,
	H_FROM,
	H_TO,
	H_CSEQ,
	H_CONTENT_LENGTH,
	H_CONTENT_TYPE,
	H_ASSERTED,
	H_AUTHORIZATION,
};

/* The headers read, with their compact forms (RFC 3261 7.3.3, 20). */
static enum header header_of(const char *b, const char *e)
{
	static const struct {
		const char *name;
		char compact;
		enum header id;
	} headers[] = {
		{ "call-id", 'i', H_CALL_ID },
		{ "from", 'f', H_FROM },
		{ "to", 't', H_TO },
		{ "cseq", 0, H_CSEQ },
		{ "content-length", 'l', H_CONTENT_LENGTH },
		{ "content-type", 'c', H_CONTENT_TYPE },
		{ "p-asserted-identity", 0, H_ASSERTED },
		{ "authorization", 0, H_AUTHORIZATION },
	};

	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		if (e - b == 1 ? lower(*b) == headers[i].compact : ieq(b, e, headers[i].name))
			return headers[i].id;
	}
	return H_OTHER;
}

/* What the header loop has seen so far, beyond out. */
struct header_state {
	bool have_call_id, have_cseq, have_from, have_to, have_asserted, have_content_type;
};

/* The first Call-ID, From, To and Content-Type count; later copies are ignored. */
static enum cs_reason apply_header(enum header h, const char *v, const char *ve, const struct cs_e164_conf *numbers,
				   struct cs_sip_msg *out, struct header_state *st)
{
	switch (h) {
	case H_CALL_ID:
		if (!st->have_call_id && v < ve) {
			out->call_id = span(v, ve);
			st->have_call_id = true;
		}
		break;
	case H_FROM:
		if (!st->have_from)
			parse_name_addr(v, ve, numbers, &out->from, &out->from_tag);
		st->have_from = true;
		break;
	case H_TO:
		if (!st->have_to)
			parse_name_addr(v, ve, numbers, &out->to, &out->to_tag);
		st->have_to = true;
		break;
	case H_CSEQ:
		if (st->have_cseq)
			break;
		st->have_cseq = true;
		return parse_cseq(v, ve, out);
	case H_CONTENT_LENGTH:
		return parse_content_length(v, ve, out);
	case H_CONTENT_TYPE:
		if (!st->have_content_type)
			out->content_type = span(v, ve);
		st->have_content_type = true;
		break;
	case H_ASSERTED:
		parse_asserted(v, ve, numbers, out, &st->have_asserted);
		break;
	case H_AUTHORIZATION:
		if (out->imsi == CS_DIGITS_NONE)
			out->imsi = imsi_of_authorization(v, ve);
		break;
	case H_OTHER:
		break;
	}
	return CS_R_OK;
}

/*
 * The end of the line starting at b: *content_end before its CR LF (or
 * bare LF), the return value past it. NULL when no LF has arrived.
 */
static const char *line_end(const char *b, const char *e, const char **content_end)
{
	const char *lf = memchr(b, '\n', (size_t)(e - b));

	if (lf == NULL)
		return NULL;
	*content_end = lf > b && lf[-1] == '\r' ? lf - 1 : lf;
	return lf + 1;
}

/*
 * Start line (RFC 3261 7.1, 7.2):
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 * A line that is neither (binary junk, HTTP, a SIP version other than 2.0)
 * is not SIP; one that names SIP/2.0 but is malformed is a bad start line.
 */
static enum cs_reason parse_start_line(const char *b, const char *e, const struct cs_e164_conf *numbers,
				       struct cs_sip_msg *out)
{
	static const char version[] = "sip/2.0";
	const size_t vlen = sizeof(version) - 1;

	for (const char *c = b; c < e; c++) {
		if (is_ctl(*c))
			return CS_R_SIP_NOT_SIP;
	}
	if (istarts(b, e, version) && (size_t)(e - b) > vlen && b[vlen] == ' ') {
		const char *code = b + vlen + 1;
		uint32_t status;

		if (e - code < 3 || (e - code > 3 && code[3] != ' ') || !parse_uint(code, code + 3, 699, &status) ||
		    status < 100)
			return CS_R_SIP_BAD_STATUS_CODE;
		out->is_request = false;
		out->status_code = (uint16_t)status;
		return CS_R_OK;
	}
	if ((size_t)(e - b) <= vlen || !ieq(e - vlen, e, version) || e[-1 - (ptrdiff_t)vlen] != ' ')
		return CS_R_SIP_NOT_SIP;

	const char *method_end = skip_token(b, e);
	const char *uri = method_end + 1;
	const char *uri_end = e - vlen - 1;

	if (method_end == b || *method_end != ' ' || uri >= uri_end || find_char(uri, uri_end, ' ') != uri_end ||
	    find_char(uri, uri_end, ':') == uri_end)
		return CS_R_SIP_BAD_START_LINE;
	out->is_request = true;
	out->method_name = span(b, method_end);
	out->method = method_of(b, method_end);
	parse_uri(uri, uri_end, numbers, &out->request_uri);
	return CS_R_OK;
}

static void clear(struct cs_sip_msg *out)
{
	static const struct cs_sip_party no_party = { .number = CS_DIGITS_NONE };

	memset(out, 0, sizeof(*out));
	out->request_uri = no_party;
	out->from = no_party;
	out->to = no_party;
	out->asserted = no_party;
	out->imsi = CS_DIGITS_NONE;
}

/*
 * The header fields, from b (after the start line) to the blank line.
 * Each header is handled once its line and any continuation lines are all
 * there, which the first byte of the following line proves.
 */
static enum cs_reason parse_headers(const char *b, const char *e, const struct cs_e164_conf *numbers,
				    struct cs_sip_msg *out, const char **body)
{
	struct header_state st = { 0 };

	for (;;) {
		const char *content_end, *next = line_end(b, e, &content_end);

		if (next == NULL)
			return CS_R_SIP_TRUNCATED;
		if (content_end == b) {
			*body = next;
			break;
		}
		if (*b == ' ' || *b == '\t')
			return CS_R_SIP_BAD_HEADER; /* a continuation with nothing to continue */
		for (;;) {
			if (next == e)
				return CS_R_SIP_TRUNCATED;
			if (*next != ' ' && *next != '\t')
				break;
			next = line_end(next, e, &content_end);
			if (next == NULL)
				return CS_R_SIP_TRUNCATED;
		}

		const char *colon = find_char(b, content_end, ':');
		const char *name_end = colon;

		while (name_end > b && (name_end[-1] == ' ' || name_end[-1] == '\t'))
			name_end--;
		if (colon == content_end || name_end == b || skip_token(b, name_end) != name_end)
			return CS_R_SIP_BAD_HEADER;

		const char *value = skip_lws(colon + 1, content_end);
		enum cs_reason r = apply_header(header_of(b, name_end), value, trim_lws_end(value, content_end),
						numbers, out, &st);
		if (r != CS_R_OK)
			return r;
		b = next;
	}
	if (!st.have_call_id)
		return CS_R_SIP_NO_CALL_ID;
	if (!st.have_cseq)
		return CS_R_SIP_NO_CSEQ;
	return CS_R_OK;
}

enum cs_reason cs_decode_sip(const uint8_t *p, uint32_t len, const struct cs_e164_conf *numbers,
			     struct cs_sip_msg *out)
{
	const char *s = (const char *)p, *e = s + len;
	const char *start, *line_content_end, *headers, *body;
	enum cs_reason r;

	clear(out);
	for (start = s; start < e && (*start == '\r' || *start == '\n'); start++)
		;
	out->skipped = (uint32_t)(start - s);
	if (start == e && len > 0) {
		out->msg_len = len;
		return CS_R_SIP_KEEPALIVE;
	}
	if (start == e)
		return CS_R_SIP_TRUNCATED;
	if (!is_token_char(*start))
		return CS_R_SIP_NOT_SIP;
	headers = line_end(start, e, &line_content_end);
	if (headers == NULL) {
		for (const char *c = start; c < e; c++) {
			if (is_ctl(*c) && *c != '\r')
				return CS_R_SIP_NOT_SIP;
		}
		return CS_R_SIP_TRUNCATED;
	}
	r = parse_start_line(start, line_content_end, numbers, out);
	if (r != CS_R_OK)
		return r;
	r = parse_headers(headers, e, numbers, out, &body);
	if (r != CS_R_OK)
		return r;

	if (!out->is_request)
		out->method = out->cseq_method;
	out->header_len = (uint32_t)(body - start);
	uint32_t head = (uint32_t)(body - s);
	if (!out->has_content_length) {
		out->msg_len = len;
	} else if (out->content_length > len - head) {
		if (out->content_length > UINT32_MAX - head)
			return CS_R_SIP_BAD_CONTENT_LENGTH;
		out->msg_len = head + out->content_length;
		return CS_R_SIP_BODY_TRUNCATED;
	} else {
		out->msg_len = head + out->content_length;
	}
	out->body = span(body, s + out->msg_len);
	out->body_kind = out->body.len == 0 ? CS_SIP_BODY_NONE : body_kind_of(out->content_type);
	return CS_R_OK;
}
