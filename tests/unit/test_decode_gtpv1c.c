/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "decode_gtpv1c.h"
#include "decode_l2l4.h"
#include "pcap_walk.h"
#include "run.h"

/* ---- captures ---------------------------------------------------------- */

enum { PORT_GTPV1C = 2123, PORT_GTPV0 = 3386 };

/*
 * Loads tests/data/<name>. The shared walker reads classic pcap only, so a
 * pcapng is first rewritten by tshark (-F pcap keeps every frame, in order,
 * so frame numbers still match tshark's).
 */
static void load_capture(struct cs_test_capture *cap, const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/data/%s", name);
	const char *path = CS_SOURCE_PATH(rel);
	size_t n = strlen(name);
	if (n < 7 || strcmp(name + n - 7, ".pcapng") != 0) {
		cs_test_capture_load(cap, path);
		return;
	}
	char tmp[] = "/tmp/cs-gtpv1c-pcap.XXXXXX";
	int fd = mkstemp(tmp);
	struct cs_run r;

	cr_assert(fd >= 0);
	close(fd);
	char *argv[] = { "/usr/bin/tshark", "-r", (char *)path, "-F", "pcap", "-w", tmp, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "tshark -F pcap %s: %s", name, r.err);
	cs_run_free(&r);
	cs_test_capture_load(cap, tmp);
	unlink(tmp);
}

/*
 * The UDP payload of a frame when it is a whole datagram (fragments are
 * skipped: the probe reassembles before decoding) to or from a GTP control
 * port: 2123 for GTPv1-C, 3386 where GTPv0 and GTP' live.
 */
static bool gtpc_payload(const struct cs_test_frame *f, const uint8_t **p, uint32_t *len, bool *fragment)
{
	struct cs_l2l4 d;

	*fragment = false;
	if (cs_decode_l2l4(f->data, f->len, &d) != CS_R_OK)
		return false;
	if (d.is_fragment) {
		*fragment = true;
		return false;
	}
	if (d.l4_proto != CS_IPPROTO_UDP)
		return false;
	if (d.sport != PORT_GTPV1C && d.dport != PORT_GTPV1C && d.sport != PORT_GTPV0 && d.dport != PORT_GTPV0)
		return false;
	*p = f->data + d.payload_offset;
	*len = d.payload_len;
	return true;
}

/* The GTPv1-C message of frame `number` of a capture; fails the test if there is none. */
static void frame_payload(const struct cs_test_capture *cap, size_t number, const uint8_t **p, uint32_t *len)
{
	bool fragment;

	cr_assert(number >= 1 && number <= cap->count, "no frame %zu", number);
	cr_assert(gtpc_payload(&cap->frames[number - 1], p, len, &fragment), "frame %zu is not GTP-C", number);
}

/* ---- formatting (tshark's way) ----------------------------------------- */

struct text {
	char s[160];
};

static struct text digits_text(cs_digits d)
{
	struct text t;

	cs_digits_to_ascii(d, t.s);
	return t;
}

static void put_ipv4(char *out, size_t n, const uint8_t a[4])
{
	snprintf(out, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* ---- synthetic messages ------------------------------------------------ */

struct msg {
	uint8_t b[70000];
	uint32_t n;
};

/* flags 0x32 (version 1, PT 1, S), the 4 optional octets, no IE yet */
static void begin(struct msg *m, uint8_t type, uint32_t teid, uint16_t seq)
{
	const uint8_t h[12] = { 0x32, type, 0, 0, (uint8_t)(teid >> 24), (uint8_t)(teid >> 16), (uint8_t)(teid >> 8),
				(uint8_t)teid, (uint8_t)(seq >> 8), (uint8_t)seq, 0, 0 };

	memcpy(m->b, h, sizeof(h));
	m->n = sizeof(h);
}

static void raw(struct msg *m, const void *v, size_t n)
{
	cr_assert(m->n + n <= sizeof(m->b));
	memcpy(m->b + m->n, v, n);
	m->n += (uint32_t)n;
}

static void tv(struct msg *m, uint8_t type, const void *v, size_t n)
{
	raw(m, &type, 1);
	raw(m, v, n);
}

static void tlv(struct msg *m, uint8_t type, const void *v, uint16_t n)
{
	const uint8_t h[3] = { type, (uint8_t)(n >> 8), (uint8_t)n };

	raw(m, h, sizeof(h));
	raw(m, v, n);
}

/* Writes the header length (octets after the first 8) and returns the size. */
static uint32_t finish(struct msg *m)
{
	m->b[2] = (uint8_t)((m->n - 8) >> 8);
	m->b[3] = (uint8_t)(m->n - 8);
	return m->n;
}

/* Decodes from a heap copy of exactly len bytes, so ASan sees any read past it. */
static enum cs_reason decode_exact(const uint8_t *p, uint32_t len, struct cs_gtpv1c_msg *out)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);

	cr_assert_not_null(copy);
	memcpy(copy, p, len);
	enum cs_reason r = cs_decode_gtpv1c(copy, len, out);
	free(copy);
	return r;
}

static const uint8_t imsi_001010123456789[8] = { 0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xf9 };
static const uint8_t imeisv_3533251082246541[8] = { 0x53, 0x33, 0x52, 0x01, 0x28, 0x42, 0x56, 0x14 };

/* ---- real messages ----------------------------------------------------- */

Test(gtpv1c, create_pdp_context_request_every_field)
{
	struct cs_test_capture cap;
	struct cs_gtpv1c_msg m;
	const uint8_t *p;
	uint32_t len;

	load_capture(&cap, "zeek-gtp_create_pdp_ctx.pcap");
	frame_payload(&cap, 2, &p, &len);
	cr_assert_eq(cs_decode_gtpv1c(p, len, &m), CS_R_OK);
	cr_expect_eq(m.type, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST);
	cr_expect(m.ies_decoded);
	cr_expect_eq(m.teid, 0);
	cr_expect_eq(m.seq, 0x130b);
	cr_expect_eq(m.present, CS_GTPV1C_HAS_SEQ | CS_GTPV1C_HAS_IMSI | CS_GTPV1C_HAS_RAI | CS_GTPV1C_HAS_RECOVERY |
					CS_GTPV1C_HAS_TEID_DATA | CS_GTPV1C_HAS_TEID_CP | CS_GTPV1C_HAS_NSAPI |
					CS_GTPV1C_HAS_EUA | CS_GTPV1C_HAS_APN | CS_GTPV1C_HAS_GSN_CP |
					CS_GTPV1C_HAS_GSN_UP | CS_GTPV1C_HAS_MSISDN | CS_GTPV1C_HAS_RAT_TYPE);
	cr_expect_str_eq(digits_text(m.imsi).s, "460004100000101");
	cr_expect_str_eq(digits_text(m.msisdn).s, "8615221000101");
	cr_expect_eq(m.imeisv, CS_DIGITS_NONE);
	cr_expect_eq(m.rai.plmn.mcc, 460);
	cr_expect_eq(m.rai.plmn.mnc, 6);
	cr_expect_eq(m.rai.plmn.mnc_digits, 2);
	cr_expect_eq(m.rai.lac, 65534);
	cr_expect_eq(m.rai.rac, 255);
	cr_expect_eq(m.recovery, 176);
	cr_expect_eq(m.teid_data, 0x32f02bf9);
	cr_expect_eq(m.teid_cp, 0x32f02bf9);
	cr_expect_eq(m.nsapi, 5);
	cr_expect_eq(m.eua.pdp_org, CS_GTPV1C_PDP_ORG_IETF);
	cr_expect_eq(m.eua.pdp_type, CS_GTPV1C_PDP_IPV4);
	cr_expect_not(m.eua.has_ipv4); /* the MS asks for an address */
	cr_expect_not(m.eua.has_ipv6);
	cr_expect_str_eq(m.apn, "eetest");
	cr_expect_eq(m.apn_len, 6);
	cr_expect_not(m.gsn_cp.is_ipv6);
	cr_expect_eq(memcmp(m.gsn_cp.addr, "\xc0\xa9\x64\x01", 4), 0); /* 192.169.100.1 */
	cr_expect_eq(memcmp(m.gsn_up.addr, "\xc0\xa9\x64\x01", 4), 0);
	cr_expect_eq(m.rat_type, 2); /* GERAN */
	cs_test_capture_free(&cap);
}

Test(gtpv1c, create_pdp_context_response_every_field)
{
	struct cs_test_capture cap;
	struct cs_gtpv1c_msg m;
	const uint8_t *p;
	uint32_t len;

	load_capture(&cap, "zeek-gtp_create_pdp_ctx.pcap");
	frame_payload(&cap, 3, &p, &len);
	cr_assert_eq(cs_decode_gtpv1c(p, len, &m), CS_R_OK);
	cr_expect_eq(m.type, CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE);
	cr_expect_eq(m.teid, 0x32f02bf9); /* the SGSN's TEID-C from the request */
	cr_expect_eq(m.seq, 0x130b);
	cr_expect_eq(m.present, CS_GTPV1C_HAS_SEQ | CS_GTPV1C_HAS_CAUSE | CS_GTPV1C_HAS_RECOVERY |
					CS_GTPV1C_HAS_TEID_DATA | CS_GTPV1C_HAS_TEID_CP | CS_GTPV1C_HAS_NSAPI |
					CS_GTPV1C_HAS_CHARGING_ID | CS_GTPV1C_HAS_EUA | CS_GTPV1C_HAS_GSN_CP |
					CS_GTPV1C_HAS_GSN_UP);
	cr_expect_eq(m.cause, 128); /* request accepted */
	cr_expect_eq(m.recovery, 24);
	cr_expect_eq(m.teid_data, 0x10000085);
	cr_expect_eq(m.teid_cp, 0x10000080);
	cr_expect_eq(m.nsapi, 5);
	cr_expect_eq(m.charging_id, 0x0623a7c9);
	cr_expect(m.eua.has_ipv4);
	cr_expect_eq(memcmp(m.eua.ipv4, "\xc0\xa8\xfc\x82", 4), 0); /* 192.168.252.130 */
	cr_expect_eq(memcmp(m.gsn_cp.addr, "\x0a\x64\xc8\x22", 4), 0); /* 10.100.200.34 */
	cr_expect_eq(memcmp(m.gsn_up.addr, "\x0a\x64\xc8\x31", 4), 0); /* 10.100.200.49 */
	cr_expect_eq(m.imsi, CS_DIGITS_NONE);
	cr_expect_eq(m.msisdn, CS_DIGITS_NONE);
	cs_test_capture_free(&cap);
}

Test(gtpv1c, echo_is_decoded_as_header_only)
{
	struct cs_test_capture cap;
	struct cs_gtpv1c_msg m;
	const uint8_t *p;
	uint32_t len;

	load_capture(&cap, "zeek-gtp_control_prime.pcap");
	frame_payload(&cap, 2, &p, &len); /* echo response, with a Recovery IE */
	cr_assert_eq(cs_decode_gtpv1c(p, len, &m), CS_R_OK);
	cr_expect_eq(m.type, CS_GTPV1C_ECHO_RESPONSE);
	cr_expect_not(m.ies_decoded);
	cr_expect_eq(m.present, CS_GTPV1C_HAS_SEQ);
	cr_expect_eq(m.seq, 0x0c00);
	cs_test_capture_free(&cap);
}

Test(gtpv1c, gtpv0_of_the_prime_capture_is_refused)
{
	struct cs_test_capture cap;
	struct cs_gtpv1c_msg m;
	const uint8_t *p;
	uint32_t len;

	/* frames 5-10 are GTPv0 (flags 0x1e, 20-octet header) on port 3386 */
	load_capture(&cap, "zeek-gtp_control_prime.pcap");
	for (size_t f = 5; f <= 10; f++) {
		frame_payload(&cap, f, &p, &len);
		cr_expect_eq(cs_decode_gtpv1c(p, len, &m), CS_R_GTPV1C_BAD_VERSION, "frame %zu", f);
	}
	cs_test_capture_free(&cap);
}

/* ---- truncation -------------------------------------------------------- */

/* Fields of a partial decode that are present must equal the full decode's. */
static void expect_subset(const struct cs_gtpv1c_msg *part, const struct cs_gtpv1c_msg *full, uint32_t cut)
{
	uint32_t has = part->present;

	cr_expect_eq(has & ~full->present, 0, "cut %u: fields the whole message lacks", cut);
	if (has & CS_GTPV1C_HAS_IMSI)
		cr_expect_eq(part->imsi, full->imsi, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_MSISDN)
		cr_expect_eq(part->msisdn, full->msisdn, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_APN)
		cr_expect_str_eq(part->apn, full->apn, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_RAI)
		cr_expect_eq(memcmp(&part->rai, &full->rai, sizeof(part->rai)), 0, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_EUA)
		cr_expect_eq(memcmp(&part->eua, &full->eua, sizeof(part->eua)), 0, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_GSN_CP)
		cr_expect_eq(memcmp(&part->gsn_cp, &full->gsn_cp, sizeof(part->gsn_cp)), 0, "cut %u", cut);
	if (has & CS_GTPV1C_HAS_GSN_UP)
		cr_expect_eq(memcmp(&part->gsn_up, &full->gsn_up, sizeof(part->gsn_up)), 0, "cut %u", cut);
	cr_expect_eq(part->teid_data, has & CS_GTPV1C_HAS_TEID_DATA ? full->teid_data : 0, "cut %u", cut);
	cr_expect_eq(part->teid_cp, has & CS_GTPV1C_HAS_TEID_CP ? full->teid_cp : 0, "cut %u", cut);
	cr_expect_eq(part->charging_id, has & CS_GTPV1C_HAS_CHARGING_ID ? full->charging_id : 0, "cut %u", cut);
	cr_expect_eq(part->cause, has & CS_GTPV1C_HAS_CAUSE ? full->cause : 0, "cut %u", cut);
	cr_expect_eq(part->recovery, has & CS_GTPV1C_HAS_RECOVERY ? full->recovery : 0, "cut %u", cut);
	cr_expect_eq(part->rat_type, has & CS_GTPV1C_HAS_RAT_TYPE ? full->rat_type : 0, "cut %u", cut);
	cr_expect_eq(part->nsapi, has & CS_GTPV1C_HAS_NSAPI ? full->nsapi : 0, "cut %u", cut);
}

/*
 * Two cuts of a real message at every offset:
 *  - the datagram cut short (the header still claims the whole length):
 *    always "truncated", from a heap copy of exactly the cut size;
 *  - the message cut, its length field rewritten to match: accepted exactly
 *    on IE boundaries with a subset of the whole decode, "ie_overrun"
 *    anywhere inside an IE.
 */
static void truncate_everywhere(const char *capture, size_t frame, unsigned int ies)
{
	struct cs_test_capture cap;
	struct cs_gtpv1c_msg full, part;
	const uint8_t *p;
	uint32_t len;
	unsigned int accepted = 0;

	load_capture(&cap, capture);
	frame_payload(&cap, frame, &p, &len);
	cr_assert_eq(decode_exact(p, len, &full), CS_R_OK);
	for (uint32_t cut = 0; cut < len; cut++) {
		enum cs_reason r = decode_exact(p, cut, &part);
		cr_expect_eq(r, CS_R_GTPV1C_TRUNCATED, "cut %u: %s", cut, cs_reason_name(r));
	}

	uint8_t *copy = malloc(len);
	for (uint32_t cut = 12; cut <= len; cut++) {
		memcpy(copy, p, cut);
		copy[2] = (uint8_t)((cut - 8) >> 8);
		copy[3] = (uint8_t)(cut - 8);
		enum cs_reason r = decode_exact(copy, cut, &part);
		if (r == CS_R_OK) {
			accepted++;
			expect_subset(&part, &full, cut);
		} else {
			cr_expect_eq(r, CS_R_GTPV1C_IE_OVERRUN, "cut %u: %s", cut, cs_reason_name(r));
		}
	}
	free(copy);
	cr_expect_eq(accepted, ies + 1, "accepted %u cuts, the message has %u IEs", accepted, ies);
	cs_test_capture_free(&cap);
}

/* Cause... MSISDN, QoS, RAT Type, MS Time Zone, Private Extension: 17 IEs */
Test(gtpv1c, create_request_truncated_at_every_offset)
{
	truncate_everywhere("zeek-gtp_create_pdp_ctx.pcap", 2, 17);
}

/* Cause, Reordering, Recovery, TEIDs, NSAPI, Charging ID, EUA, PCO, 2 GSN, QoS: 12 IEs */
Test(gtpv1c, create_response_truncated_at_every_offset)
{
	truncate_everywhere("zeek-gtp_create_pdp_ctx.pcap", 3, 12);
}

/* ---- synthetic messages for what the captures lack --------------------- */

static uint32_t update_request(struct msg *m, const void *uli, uint16_t uli_len)
{
	/* RAI 310-410 (3-digit MNC), LAC 0x1234, RAC 7 */
	const uint8_t rai[6] = { 0x13, 0x00, 0x14, 0x12, 0x34, 0x07 };
	const uint8_t gsn_v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	const uint8_t gsn_v4[4] = { 198, 51, 100, 7 };

	begin(m, CS_GTPV1C_UPDATE_PDP_CONTEXT_REQUEST, 0x01020304, 0x4242);
	tv(m, 2, imsi_001010123456789, 8);
	tv(m, 3, rai, 6);
	tv(m, 14, "\x09", 1);
	tv(m, 16, "\xaa\xbb\xcc\xdd", 4);
	tv(m, 17, "\x11\x22\x33\x44", 4);
	tv(m, 20, "\xf6", 1); /* NSAPI 6 under a spare nibble */
	tv(m, 27, "\x00\x01", 2); /* Trace Reference */
	tv(m, 28, "\x00\x02", 2); /* Trace Type */
	tlv(m, 133, gsn_v6, 16);
	tlv(m, 133, gsn_v4, 4);
	tlv(m, 135, "\x02\x1b\x42\x1f", 4); /* QoS, skipped */
	tlv(m, 151, "\x01", 1); /* RAT UTRAN */
	tlv(m, 152, uli, uli_len);
	tlv(m, 153, "\x23\x00", 2); /* MS Time Zone, skipped */
	tlv(m, 154, imeisv_3533251082246541, 8);
	return finish(m);
}

Test(gtpv1c, update_request_location_imeisv_ipv6_gsn)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;
	const uint8_t cgi[8] = { 0x00, 0x62, 0xf2, 0x30, 0xbc, 0x3e, 0x36, 0xfc };
	uint32_t len = update_request(&m, cgi, sizeof(cgi));

	cr_assert_eq(decode_exact(m.b, len, &d), CS_R_OK);
	cr_expect_eq(d.type, CS_GTPV1C_UPDATE_PDP_CONTEXT_REQUEST);
	cr_expect(d.ies_decoded);
	cr_expect_eq(d.teid, 0x01020304);
	cr_expect_eq(d.seq, 0x4242);
	cr_expect_str_eq(digits_text(d.imsi).s, "001010123456789");
	cr_expect_str_eq(digits_text(d.imeisv).s, "3533251082246541");
	cr_expect_eq(d.rai.plmn.mcc, 310);
	cr_expect_eq(d.rai.plmn.mnc, 410);
	cr_expect_eq(d.rai.plmn.mnc_digits, 3);
	cr_expect_eq(d.rai.lac, 0x1234);
	cr_expect_eq(d.rai.rac, 7);
	cr_expect_eq(d.recovery, 9);
	cr_expect_eq(d.teid_data, 0xaabbccdd);
	cr_expect_eq(d.teid_cp, 0x11223344);
	cr_expect_eq(d.nsapi, 6);
	cr_expect(d.gsn_cp.is_ipv6);
	cr_expect_eq(memcmp(d.gsn_cp.addr, "\x20\x01\x0d\xb8", 4), 0);
	cr_expect_eq(d.gsn_cp.addr[15], 1);
	cr_expect_not(d.gsn_up.is_ipv6);
	cr_expect_eq(memcmp(d.gsn_up.addr, "\xc6\x33\x64\x07", 4), 0);
	cr_expect_eq(d.rat_type, 1);
	cr_expect(d.present & CS_GTPV1C_HAS_ULI);
	cr_expect_eq(d.uli.type, CS_GTPV1C_ULI_CGI);
	cr_expect_eq(d.uli.plmn.mcc, 262);
	cr_expect_eq(d.uli.plmn.mnc, 3);
	cr_expect_eq(d.uli.plmn.mnc_digits, 2);
	cr_expect_eq(d.uli.lac, 48190);
	cr_expect_eq(d.uli.ci, 14076);
	cr_expect_eq(d.present & (CS_GTPV1C_HAS_MSISDN | CS_GTPV1C_HAS_APN | CS_GTPV1C_HAS_EUA | CS_GTPV1C_HAS_CAUSE), 0);
}

/* The fuzz corpus holds this message so mutations reach the ULI and IMEISV. */
Test(gtpv1c, synthetic_fuzz_seed_is_this_update_request)
{
	static struct msg m;
	const uint8_t cgi[8] = { 0x00, 0x62, 0xf2, 0x30, 0xbc, 0x3e, 0x36, 0xfc };
	uint32_t len = update_request(&m, cgi, sizeof(cgi));
	size_t seed_len;
	char *seed = cs_read_file(CS_SOURCE_PATH("tests/fuzz/corpus/gtpv1c/synthetic-update_pdp_request_uli_imeisv.bin"),
				  &seed_len);

	cr_assert_not_null(seed);
	cr_expect_eq(seed_len, len);
	cr_expect_eq(memcmp(seed, m.b, len), 0);
	free(seed);
}

Test(gtpv1c, uli_sai_rai_and_other_types)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;
	const uint8_t sai[8] = { 0x01, 0x62, 0xf2, 0x30, 0x00, 0x10, 0x02, 0x20 };
	const uint8_t rai[8] = { 0x02, 0x62, 0xf2, 0x30, 0x00, 0x10, 0x33, 0xff };
	const uint8_t ecgi[8] = { 0x81, 0x62, 0xf2, 0x30, 0x00, 0x10, 0x33, 0xff }; /* not a 29.060 type */

	cr_assert_eq(decode_exact(m.b, update_request(&m, sai, 8), &d), CS_R_OK);
	cr_expect_eq(d.uli.type, CS_GTPV1C_ULI_SAI);
	cr_expect_eq(d.uli.lac, 0x10);
	cr_expect_eq(d.uli.sac, 0x0220);
	cr_assert_eq(decode_exact(m.b, update_request(&m, rai, 8), &d), CS_R_OK);
	cr_expect_eq(d.uli.type, CS_GTPV1C_ULI_RAI);
	cr_expect_eq(d.uli.rac, 0x33);
	cr_assert_eq(decode_exact(m.b, update_request(&m, ecgi, 8), &d), CS_R_OK);
	cr_expect_not(d.present & CS_GTPV1C_HAS_ULI);
	cr_expect(d.present & CS_GTPV1C_HAS_IMEISV); /* the IEs after it still count */
	cr_expect_eq(decode_exact(m.b, update_request(&m, sai, 7), &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	cr_expect_eq(decode_exact(m.b, update_request(&m, sai, 0), &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	const uint8_t bad_mcc[8] = { 0x00, 0x6a, 0xf2, 0x30, 0, 0, 0, 0 };
	cr_expect_eq(decode_exact(m.b, update_request(&m, bad_mcc, 8), &d), CS_R_GTPV1C_BAD_PLMN);
}

/* A Create PDP Context Response carrying only an End User Address. */
static enum cs_reason decode_eua(const void *eua, uint16_t n, struct cs_gtpv1c_msg *d)
{
	static struct msg m;

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE, 1, 1);
	tv(&m, 1, "\x80", 1);
	tlv(&m, 128, eua, n);
	return decode_exact(m.b, finish(&m), d);
}

Test(gtpv1c, end_user_address_types)
{
	struct cs_gtpv1c_msg d;
	uint8_t eua[22] = { 0xf1, CS_GTPV1C_PDP_IPV4V6, 10, 0, 0, 1, 0x20, 0x01, 0x0d, 0xb8, [21] = 0x99 };

	cr_assert_eq(decode_eua(eua, 22, &d), CS_R_OK); /* IPv4v6, both allocated */
	cr_expect(d.eua.has_ipv4 && d.eua.has_ipv6);
	cr_expect_eq(memcmp(d.eua.ipv4, "\x0a\x00\x00\x01", 4), 0);
	cr_expect_eq(memcmp(d.eua.ipv6, "\x20\x01\x0d\xb8", 4), 0);
	cr_expect_eq(d.eua.ipv6[15], 0x99);

	cr_assert_eq(decode_eua(eua, 6, &d), CS_R_OK); /* IPv4v6, IPv4 only */
	cr_expect(d.eua.has_ipv4 && !d.eua.has_ipv6);

	uint8_t v6[18] = { 0xf1, CS_GTPV1C_PDP_IPV6, 0x20, 0x01, [17] = 0x42 };
	cr_assert_eq(decode_eua(v6, 18, &d), CS_R_OK);
	cr_expect(!d.eua.has_ipv4 && d.eua.has_ipv6);
	cr_expect_eq(d.eua.ipv6[15], 0x42);
	cr_expect_eq(decode_eua(v6, 6, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* IPv6 with 4 octets */

	cr_assert_eq(decode_eua("\xf0\x01", 2, &d), CS_R_OK); /* ETSI PPP: no IP address */
	cr_expect_eq(d.eua.pdp_org, CS_GTPV1C_PDP_ORG_ETSI);
	cr_expect(d.present & CS_GTPV1C_HAS_EUA);
	cr_expect(!d.eua.has_ipv4 && !d.eua.has_ipv6);

	cr_expect_eq(decode_eua("\xf1\x21\x0a\x00", 4, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* IPv4, 2 octets */
	cr_expect_eq(decode_eua("\xf1", 1, &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	cr_expect_eq(decode_eua("", 0, &d), CS_R_GTPV1C_IE_BAD_LENGTH);
}

Test(gtpv1c, delete_pdp_context_request_and_response)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;

	begin(&m, CS_GTPV1C_DELETE_PDP_CONTEXT_REQUEST, 0x10000080, 7);
	tv(&m, 19, "\x01", 1); /* Teardown Ind */
	tv(&m, 20, "\x05", 1);
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_eq(d.type, CS_GTPV1C_DELETE_PDP_CONTEXT_REQUEST);
	cr_expect_eq(d.present, CS_GTPV1C_HAS_SEQ | CS_GTPV1C_HAS_NSAPI);
	cr_expect_eq(d.nsapi, 5);

	begin(&m, CS_GTPV1C_DELETE_PDP_CONTEXT_RESPONSE, 0x32f02bf9, 7);
	tv(&m, 1, "\x80", 1);
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_eq(d.present, CS_GTPV1C_HAS_SEQ | CS_GTPV1C_HAS_CAUSE);
	cr_expect_eq(d.cause, 128);
}

Test(gtpv1c, update_response_and_apn_labels)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;
	const char apn[] = "\x08internet\x06mnc001\x06mcc001\x04gprs";

	begin(&m, CS_GTPV1C_UPDATE_PDP_CONTEXT_RESPONSE, 5, 9);
	tv(&m, 1, "\x80", 1);
	tv(&m, 127, "\x00\x00\x00\x2a", 4);
	tlv(&m, 131, apn, sizeof(apn) - 1);
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_str_eq(d.apn, "internet.mnc001.mcc001.gprs");
	cr_expect_eq(d.apn_len, strlen("internet.mnc001.mcc001.gprs"));
	cr_expect_eq(d.charging_id, 42);
}

static enum cs_reason decode_apn(const void *apn, uint16_t n, struct cs_gtpv1c_msg *d)
{
	static struct msg m;

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tlv(&m, 131, apn, n);
	return decode_exact(m.b, finish(&m), d);
}

Test(gtpv1c, apn_limits)
{
	struct cs_gtpv1c_msg d;
	uint8_t longest[CS_GTPV1C_APN_MAX + 1];

	/* 100 octets: labels of 63 and 35 -> 99 characters, the buffer's limit */
	memset(longest, 'a', sizeof(longest));
	longest[0] = 63;
	longest[64] = 35;
	cr_assert_eq(decode_apn(longest, 100, &d), CS_R_OK);
	cr_expect_eq(d.apn_len, 99);
	cr_expect_eq(strlen(d.apn), 99);
	cr_expect_eq(d.apn[63], '.');
	longest[64] = 36;
	cr_expect_eq(decode_apn(longest, 101, &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	cr_expect_eq(decode_apn("", 0, &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	cr_expect_eq(decode_apn("\x03""abc\x00", 5, &d), CS_R_GTPV1C_BAD_APN);  /* empty label */
	cr_expect_eq(decode_apn("\x04""abc", 4, &d), CS_R_GTPV1C_BAD_APN);      /* label past the IE */
	cr_expect_eq(decode_apn("\x03""abc\x05""de", 7, &d), CS_R_GTPV1C_BAD_APN);
}

/* ---- malformed input --------------------------------------------------- */

/* A Create PDP Context Request: header, IMSI, then whatever bytes follow. */
static enum cs_reason decode_with_tail(const void *tail, size_t n, struct cs_gtpv1c_msg *d)
{
	static struct msg m;

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tv(&m, 2, imsi_001010123456789, 8);
	raw(&m, tail, n);
	return decode_exact(m.b, finish(&m), d);
}

Test(gtpv1c, malformed_ies_are_named)
{
	struct cs_gtpv1c_msg d;

	cr_expect_eq(decode_with_tail("\x84\x00\x00", 3, &d), CS_R_OK); /* zero-length PCO: nothing to read */
	cr_expect_eq(decode_with_tail("\x86\x00\x00", 3, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* zero-length MSISDN */
	cr_expect_eq(decode_with_tail("\x86\x00\x01\x91", 4, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* no digits */
	cr_expect_eq(decode_with_tail("\x85\x00\x00", 3, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* zero-length GSN */
	cr_expect_eq(decode_with_tail("\x85\x00\x05\x01\x02\x03\x04\x05", 8, &d), CS_R_GTPV1C_IE_BAD_LENGTH);
	cr_expect_eq(decode_with_tail("\x97\x00\x00", 3, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* zero-length RAT */
	cr_expect_eq(decode_with_tail("\x9a\x00\x00", 3, &d), CS_R_GTPV1C_IE_BAD_LENGTH); /* zero-length IMEISV */
	cr_expect_eq(decode_with_tail("\x84\x00\x05\x01\x02", 5, &d), CS_R_GTPV1C_IE_OVERRUN); /* TLV past the end */
	cr_expect_eq(decode_with_tail("\x84\xff\xff", 3, &d), CS_R_GTPV1C_IE_OVERRUN);
	cr_expect_eq(decode_with_tail("\x84\x00", 2, &d), CS_R_GTPV1C_IE_OVERRUN); /* TLV header cut */
	cr_expect_eq(decode_with_tail("\x84", 1, &d), CS_R_GTPV1C_IE_OVERRUN);
	cr_expect_eq(decode_with_tail("\x10\x01\x02", 3, &d), CS_R_GTPV1C_IE_OVERRUN); /* TV past the end */
	cr_expect_eq(decode_with_tail("\x8d", 1, &d), CS_R_GTPV1C_IE_OVERRUN); /* 1-octet length cut */
	cr_expect_eq(decode_with_tail("\x06\x01\x02\x03", 4, &d), CS_R_GTPV1C_UNKNOWN_TV_IE); /* GTPv0 QoS */
	cr_expect_eq(decode_with_tail("\x7e\x01", 2, &d), CS_R_GTPV1C_UNKNOWN_TV_IE); /* GTP' only */
	cr_expect_eq(decode_with_tail("\x00", 1, &d), CS_R_GTPV1C_UNKNOWN_TV_IE);
	cr_expect_eq(decode_with_tail("\x86\x00\x03\x91\x68\x5a", 6, &d), CS_R_GTPV1C_BAD_MSISDN);
	cr_expect_eq(decode_with_tail("\x9a\x00\x08\x53\x33\x52\x01\x28\x42\x56\xc4", 11, &d), CS_R_GTPV1C_BAD_IMEISV);
	cr_expect_eq(decode_with_tail("\x97\x00\x02\x01\x00", 5, &d), CS_R_GTPV1C_IE_BAD_LENGTH);

	/* the Extension Header Type List has a 1-octet length: what follows still parses */
	cr_assert_eq(decode_with_tail("\x8d\x02\xc0\xc1\x97\x00\x01\x06", 8, &d), CS_R_OK);
	cr_expect_eq(d.rat_type, 6);

	static struct msg m;
	uint8_t bad_imsi[8];
	memcpy(bad_imsi, imsi_001010123456789, 8);
	bad_imsi[3] = 0x3a;
	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tv(&m, 2, bad_imsi, 8);
	cr_expect_eq(decode_exact(m.b, finish(&m), &d), CS_R_GTPV1C_BAD_IMSI);

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tv(&m, 3, "\x64\xf0\xa0\x00\x01\x02", 6); /* MNC digit 0xA */
	cr_expect_eq(decode_exact(m.b, finish(&m), &d), CS_R_GTPV1C_BAD_PLMN);
}

Test(gtpv1c, short_imsi_padded_with_filler_octets)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;
	const uint8_t imsi14[8] = { 0x32, 0x14, 0x10, 0x32, 0x54, 0x76, 0x98, 0xff };
	const uint8_t none[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tv(&m, 2, imsi14, 8);
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_str_eq(digits_text(d.imsi).s, "23410123456789");

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	tv(&m, 2, none, 8);
	cr_expect_eq(decode_exact(m.b, finish(&m), &d), CS_R_GTPV1C_BAD_IMSI);
}

Test(gtpv1c, gsn_addresses_beyond_two_are_not_kept)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_RESPONSE, 1, 1);
	tv(&m, 1, "\x80", 1);
	tlv(&m, 133, "\x01\x01\x01\x01", 4);
	tlv(&m, 133, "\x02\x02\x02\x02", 4);
	tlv(&m, 133, "\x03\x03\x03\x03", 4); /* alternative GGSN address */
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_eq(d.gsn_cp.addr[0], 1);
	cr_expect_eq(d.gsn_up.addr[0], 2);
}

Test(gtpv1c, header_versions_flags_and_lengths)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;
	const uint8_t prime_echo[6] = { 0x2e, 0x01, 0x00, 0x00, 0x00, 0x01 }; /* GTP' v1, 6-octet header */
	const uint8_t gtpv2[12] = { 0x48, 0x20, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 1, 0 };
	const uint8_t gtpv0[20] = { 0x1e, 0x01, 0x00, 0x00 };

	cr_expect_eq(decode_exact(prime_echo, 6, &d), CS_R_GTPV1C_GTP_PRIME);
	cr_expect_eq(decode_exact(prime_echo, 1, &d), CS_R_GTPV1C_GTP_PRIME);
	cr_expect_eq(decode_exact(gtpv2, 12, &d), CS_R_GTPV1C_BAD_VERSION);
	cr_expect_eq(decode_exact(gtpv0, 20, &d), CS_R_GTPV1C_BAD_VERSION);
	cr_expect_eq(decode_exact(gtpv0, 0, &d), CS_R_GTPV1C_TRUNCATED);
	cr_expect_str_eq(cs_reason_name(CS_R_GTPV1C_GTP_PRIME), "gtpv1c.gtp_prime");

	/* S set, but the length leaves no room for the optional octets */
	const uint8_t short_opt[12] = { 0x32, 0x01, 0x00, 0x02 };
	cr_expect_eq(decode_exact(short_opt, 12, &d), CS_R_GTPV1C_BAD_LENGTH);

	/* no optional octets at all: IEs start right after the 8 */
	const uint8_t bare[13] = { 0x30, 0x14, 0x00, 0x02, 0, 0, 0, 9, 0x14, 0x05, 0xff, 0xee, 0xdd };
	cr_assert_eq(decode_exact(bare, 10, &d), CS_R_OK); /* NSAPI 5, then bytes past the length */
	cr_expect_eq(d.present, CS_GTPV1C_HAS_NSAPI);
	cr_expect_eq(d.nsapi, 5);
	cr_expect_eq(d.teid, 9);
	cr_expect_eq(decode_exact(bare, 13, &d), CS_R_OK); /* trailing bytes are not the message's */

	/* a message type outside PDP context management: IEs left alone */
	begin(&m, 50, 0, 3); /* SGSN Context Request */
	raw(&m, "\x06\x06", 2); /* not even valid GTPv1 IEs */
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_eq(d.type, 50);
	cr_expect_not(d.ies_decoded);
	cr_expect_eq(d.present, CS_GTPV1C_HAS_SEQ);
}

Test(gtpv1c, extension_header_chain)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;

	/* two headers: PDCP PDU number (4 octets), then one of 8 octets */
	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	m.b[0] |= 0x04;
	m.b[11] = 0xc0;
	raw(&m, "\x01\x12\x34\xc1", 4);
	raw(&m, "\x02\x00\x00\x00\x00\x00\x00\x00", 8);
	tv(&m, 2, imsi_001010123456789, 8);
	uint32_t len = finish(&m);
	cr_assert_eq(decode_exact(m.b, len, &d), CS_R_OK);
	cr_expect(d.present & CS_GTPV1C_HAS_IMSI);

	m.b[16] = 0; /* second header length 0 */
	cr_expect_eq(decode_exact(m.b, len, &d), CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH);
	m.b[16] = 7; /* second header past the message */
	cr_expect_eq(decode_exact(m.b, len, &d), CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH);
	m.b[12] = 0; /* first header length 0 */
	cr_expect_eq(decode_exact(m.b, len, &d), CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH);

	/* E set and a next type, but the message ends there */
	begin(&m, CS_GTPV1C_ECHO_REQUEST, 0, 1);
	m.b[0] |= 0x04;
	m.b[11] = 0xc0;
	cr_expect_eq(decode_exact(m.b, finish(&m), &d), CS_R_GTPV1C_EXT_HEADER_BAD_LENGTH);

	/* E set with next type 0: no extension header */
	m.b[11] = 0;
	cr_expect_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
}

Test(gtpv1c, largest_message_of_empty_ies_terminates)
{
	static struct msg m;
	struct cs_gtpv1c_msg d;

	begin(&m, CS_GTPV1C_CREATE_PDP_CONTEXT_REQUEST, 0, 1);
	while (m.n + 3 <= 8 + 65535)
		raw(&m, "\xff\x00\x00", 3); /* zero-length Private Extensions */
	cr_assert_eq(decode_exact(m.b, finish(&m), &d), CS_R_OK);
	cr_expect_eq(d.present, CS_GTPV1C_HAS_SEQ);
}

/* ---- oracles ----------------------------------------------------------- */

static const char *const oracle_captures[] = {
	"zeek-gtp_create_pdp_ctx.pcap",
	"zeek-pdp_ctx_messages.pcapng",
	"zeek-gtp_control_prime.pcap",
	"zeek-gtp1_gn_normal_incl_fragmentation.pcap",
};

/* tshark's columns, in order; RAT Type is gtp.ext_rat_type in tshark 4.0. */
static const char *const oracle_fields[] = {
	"frame.number", "gtp.flags.version", "gtp.flags.payload", "gtp.message", "gtp.teid", "gtp.seq_number",
	"e212.imsi", "e164.msisdn", "gtp.ext_imeisv", "gtp.apn", "gtp.teid_data", "gtp.teid_cp", "gtp.user_ipv4",
	"gtp.ext_rat_type", "gtp.nsapi", "gtp.cause", "gtp.chrg_id", "gtp.gsn_ipv4", "gtp.recovery",
};
enum {
	COL_FRAME, COL_VERSION, COL_PT, COL_MESSAGE, COL_TEID, COL_SEQ, COL_IMSI, COL_MSISDN, COL_IMEISV, COL_APN,
	COL_TEID_DATA, COL_TEID_CP, COL_USER_IPV4, COL_RAT, COL_NSAPI, COL_CAUSE, COL_CHARGING_ID, COL_GSN_IPV4,
	COL_RECOVERY, NCOLS,
};
_Static_assert(sizeof(oracle_fields) / sizeof(oracle_fields[0]) == NCOLS, "one column per field");

static void set_if(struct text *t, bool present, const char *fmt, unsigned long v)
{
	if (present)
		snprintf(t->s, sizeof(t->s), fmt, v);
}

/* Our decode, written as tshark writes the same columns. */
static void decoded_columns(const struct cs_gtpv1c_msg *m, struct text col[NCOLS])
{
	uint32_t has = m->present;

	memset(col, 0, sizeof(struct text) * NCOLS);
	set_if(&col[COL_MESSAGE], true, "0x%02lx", m->type);
	set_if(&col[COL_TEID], true, "0x%08lx", m->teid);
	set_if(&col[COL_SEQ], has & CS_GTPV1C_HAS_SEQ, "0x%04lx", m->seq);
	col[COL_IMSI] = digits_text(m->imsi);
	col[COL_MSISDN] = digits_text(m->msisdn);
	col[COL_IMEISV] = digits_text(m->imeisv);
	if (has & CS_GTPV1C_HAS_APN)
		snprintf(col[COL_APN].s, sizeof(col[COL_APN].s), "%s", m->apn);
	set_if(&col[COL_TEID_DATA], has & CS_GTPV1C_HAS_TEID_DATA, "0x%08lx", m->teid_data);
	set_if(&col[COL_TEID_CP], has & CS_GTPV1C_HAS_TEID_CP, "0x%08lx", m->teid_cp);
	if (m->eua.has_ipv4)
		put_ipv4(col[COL_USER_IPV4].s, sizeof(col[COL_USER_IPV4].s), m->eua.ipv4);
	set_if(&col[COL_RAT], has & CS_GTPV1C_HAS_RAT_TYPE, "%lu", m->rat_type);
	set_if(&col[COL_NSAPI], has & CS_GTPV1C_HAS_NSAPI, "%lu", m->nsapi);
	set_if(&col[COL_CAUSE], has & CS_GTPV1C_HAS_CAUSE, "%lu", m->cause);
	set_if(&col[COL_CHARGING_ID], has & CS_GTPV1C_HAS_CHARGING_ID, "0x%08lx", m->charging_id);
	set_if(&col[COL_RECOVERY], has & CS_GTPV1C_HAS_RECOVERY, "%lu", m->recovery);
	char cp[16] = "", up[16] = "";
	if ((has & CS_GTPV1C_HAS_GSN_CP) && !m->gsn_cp.is_ipv6)
		put_ipv4(cp, sizeof(cp), m->gsn_cp.addr);
	if ((has & CS_GTPV1C_HAS_GSN_UP) && !m->gsn_up.is_ipv6)
		put_ipv4(up, sizeof(up), m->gsn_up.addr);
	snprintf(col[COL_GSN_IPV4].s, sizeof(col[COL_GSN_IPV4].s), "%s%s%s", cp, cp[0] && up[0] ? "," : "", up);
}

struct oracle_tally {
	unsigned int v1_compared;  /* GTPv1-C messages whose columns matched tshark's */
	unsigned int refused;      /* GTPv0 / GTP' on the control ports, refused by name */
	unsigned int fragments;    /* frames the walker skipped as IPv4 fragments */
};

/* One tshark line against our decode of the same frame. */
static void compare_frame(const char *capture, const struct cs_test_capture *cap, char *line, struct oracle_tally *t)
{
	char *tshark[NCOLS];
	struct text ours[NCOLS];
	struct cs_gtpv1c_msg m;
	const uint8_t *p;
	uint32_t len;

	cr_assert_eq(cs_split_fields(line, '\t', tshark, NCOLS), NCOLS, "%s: short tshark line", capture);
	size_t frame = strtoul(tshark[COL_FRAME], NULL, 10);
	frame_payload(cap, frame, &p, &len);
	enum cs_reason r = cs_decode_gtpv1c(p, len, &m);

	if (strcmp(tshark[COL_VERSION], "1") != 0) {
		cr_expect_eq(r, CS_R_GTPV1C_BAD_VERSION, "%s frame %zu: %s", capture, frame, cs_reason_name(r));
		t->refused++;
		return;
	}
	if (strcmp(tshark[COL_PT], "1") != 0) {
		cr_expect_eq(r, CS_R_GTPV1C_GTP_PRIME, "%s frame %zu: %s", capture, frame, cs_reason_name(r));
		t->refused++;
		return;
	}
	cr_assert_eq(r, CS_R_OK, "%s frame %zu: %s", capture, frame, cs_reason_name(r));
	decoded_columns(&m, ours);
	/* a header-only message is compared on its header; it must not hide an identity */
	int last = m.ies_decoded ? NCOLS - 1 : COL_SEQ;
	for (int c = COL_MESSAGE; c <= last; c++)
		cr_expect_str_eq(ours[c].s, tshark[c], "%s frame %zu %s: ours `%s`, tshark `%s`", capture, frame,
				 oracle_fields[c], ours[c].s, tshark[c]);
	for (int c = COL_IMSI; !m.ies_decoded && c <= COL_APN; c++)
		cr_expect_str_eq(tshark[c], "", "%s frame %zu: %s in a header-only message", capture, frame,
				 oracle_fields[c]);
	t->v1_compared++;
}

static void oracle_capture(const char *capture, struct oracle_tally *t)
{
	char rel[256];
	char *argv[64] = { "/usr/bin/tshark", "-n", "-r", NULL, "-Y", "gtp && (udp.port == 2123 || udp.port == 3386)",
			   "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," };
	int argc = 14;
	struct cs_test_capture cap;
	struct cs_run r;
	unsigned int lines = 0, walked = 0;

	snprintf(rel, sizeof(rel), "tests/data/%s", capture);
	argv[3] = (char *)CS_SOURCE_PATH(rel);
	for (int c = 0; c < NCOLS; c++) {
		argv[argc++] = "-e";
		argv[argc++] = (char *)oracle_fields[c];
	}
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "tshark on %s: %s", capture, r.err);
	load_capture(&cap, capture);

	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save), lines++)
		compare_frame(capture, &cap, line, t);

	/* and nothing on the control ports that tshark did not call GTP */
	for (size_t i = 0; i < cap.count; i++) {
		const uint8_t *p;
		uint32_t len;
		bool fragment;
		walked += gtpc_payload(&cap.frames[i], &p, &len, &fragment);
		t->fragments += fragment;
	}
	cr_expect_eq(walked, lines, "%s: %u GTP-C datagrams, tshark shows %u", capture, walked, lines);
	cs_run_free(&r);
	cs_test_capture_free(&cap);
}

/*
 * Oracle: every datagram on the GTP control ports of the captures, decoded
 * by us and by tshark, frame by frame: identities (IMSI, MSISDN, IMEISV),
 * APN, TEIDs, end user address, RAT type, NSAPI, cause, charging ID, GSN
 * addresses and recovery of the GTPv1-C messages; GTPv0 refused by name.
 */
Test(gtpv1c, oracle_tshark_fields, .timeout = 60)
{
	struct oracle_tally t = { 0 };

	for (size_t c = 0; c < sizeof(oracle_captures) / sizeof(oracle_captures[0]); c++)
		oracle_capture(oracle_captures[c], &t);
	/* 2 + 6 + 4 GTPv1-C messages; 6 + 6 GTPv0 ones (pdp_ctx_messages holds control_prime) */
	cr_expect_eq(t.v1_compared, 12);
	cr_expect_eq(t.refused, 12);
	cr_expect_gt(t.fragments, 0, "the fragmented capture must exercise the fragment skip");
}

/* The fragmented capture carries no GTP-C: its fragments are all tshark sees as such too. */
Test(gtpv1c, oracle_fragments_skipped_match_tshark, .timeout = 60)
{
	const char *capture = "zeek-gtp1_gn_normal_incl_fragmentation.pcap";
	const char *path = CS_SOURCE_PATH("tests/data/zeek-gtp1_gn_normal_incl_fragmentation.pcap");
	char *argv[] = { "/usr/bin/tshark", "-n", "-r", (char *)path, "-T", "fields", "-E", "occurrence=f",
			 "-e", "ip.flags.mf", "-e", "ip.frag_offset", NULL };
	struct cs_test_capture cap;
	struct cs_run r;
	unsigned int tshark_fragments = 0, ours = 0;

	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		unsigned int mf = 0, offset = 0;
		if (sscanf(line, "%u\t%u", &mf, &offset) == 2 && (mf != 0 || offset != 0))
			tshark_fragments++;
	}
	load_capture(&cap, capture);
	for (size_t i = 0; i < cap.count; i++) {
		const uint8_t *p;
		uint32_t len;
		bool fragment;
		cr_expect_not(gtpc_payload(&cap.frames[i], &p, &len, &fragment), "frame %zu", i + 1);
		ours += fragment;
	}
	cr_expect_eq(ours, tshark_fragments);
	cr_expect_gt(ours, 0);
	cs_run_free(&r);
	cs_test_capture_free(&cap);
}

/*
 * The oracle CSVs made with tshark beside the captures (MANIFEST.md) list
 * every frame with an IMSI or MSISDN, GTPv1-C or not: the GTPv1-C ones must
 * match; the others (a Gb LLC frame, a GTPv0 request) must not decode.
 */
static void oracle_csv(const char *capture, unsigned int expect_matched)
{
	char rel[256];
	struct cs_test_capture cap;
	unsigned int matched = 0;

	snprintf(rel, sizeof(rel), "tests/data/%s.oracle.csv", capture);
	char *csv = cs_read_file(CS_SOURCE_PATH(rel), NULL);
	cr_assert_not_null(csv, "%s", rel);
	load_capture(&cap, capture);

	char *save = NULL;
	char *line = strtok_r(csv, "\n", &save); /* header */
	cr_assert_str_eq(line, "frame.number,e212.imsi,e164.msisdn,gtp.ext_imeisv");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *col[4] = { line, "", "", "" };
		for (int c = 1; c < 4; c++) {
			char *comma = strchr(col[c - 1], ',');
			if (comma == NULL)
				break;
			*comma = '\0';
			col[c] = comma + 1;
		}
		size_t frame = strtoul(col[0], NULL, 10);
		const uint8_t *p;
		uint32_t len;
		bool fragment;
		struct cs_gtpv1c_msg m;
		cr_assert(frame >= 1 && frame <= cap.count, "%s: frame %zu", rel, frame);
		if (!gtpc_payload(&cap.frames[frame - 1], &p, &len, &fragment) || cs_decode_gtpv1c(p, len, &m) != CS_R_OK)
			continue;
		cr_expect_str_eq(digits_text(m.imsi).s, col[1], "%s frame %zu", rel, frame);
		cr_expect_str_eq(digits_text(m.msisdn).s, col[2], "%s frame %zu", rel, frame);
		cr_expect_str_eq(digits_text(m.imeisv).s, col[3], "%s frame %zu", rel, frame);
		matched++;
	}
	cr_expect_eq(matched, expect_matched, "%s", rel);
	free(csv);
	cs_test_capture_free(&cap);
}

Test(gtpv1c, oracle_csv_identities, .timeout = 60)
{
	oracle_csv("zeek-gtp_create_pdp_ctx.pcap", 1);
	oracle_csv("zeek-pdp_ctx_messages.pcapng", 2);
}
