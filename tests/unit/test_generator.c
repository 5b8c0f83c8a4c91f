/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "encode.h"
#include "encode_gtpv2c.h"
#include "run.h"

static char *generate(const char *seed, const char *subscribers, size_t *len)
{
	char out[] = "/tmp/cs-gen-test.XXXXXX";
	int fd = mkstemp(out);
	struct cs_run r;

	cr_assert(fd >= 0);
	close(fd);
	char *argv[] = { (char *)cs_env("CDRSENTRY_GEN"), "--seed", (char *)seed, "--subscribers", (char *)subscribers,
			 "--out", out, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "cdrsentry-gen failed: %s", r.err);
	cs_run_free(&r);
	char *bytes = cs_read_file(out, len);
	unlink(out);
	return bytes;
}

/* The bundled sample is exactly what the generator makes: no hand-made data. */
Test(generator, bundled_sample_is_reproducible)
{
	size_t made_len, bundled_len;
	char *made = generate("1", "16", &made_len);
	char *bundled = cs_read_file(CS_SOURCE_PATH("tests/data/sample.pcap"), &bundled_len);

	cr_assert_not_null(bundled);
	cr_assert_eq(made_len, bundled_len);
	cr_expect_eq(memcmp(made, bundled, made_len), 0, "tests/data/sample.pcap differs from cdrsentry-gen --seed 1");
	free(made);
	free(bundled);
}

Test(generator, seed_changes_the_traffic)
{
	size_t a_len, b_len;
	char *a = generate("1", "4", &a_len);
	char *b = generate("2", "4", &b_len);

	cr_expect(a_len != b_len || memcmp(a, b, a_len) != 0);
	free(a);
	free(b);
}

Test(generator, tbcd_packs_low_nibble_first_with_f_fill)
{
	uint8_t mem[8];
	struct cs_buf b;

	cs_buf_init(&b, mem, sizeof(mem));
	cs_buf_tbcd(&b, "00101");
	cr_assert_eq(b.len, 3);
	cr_expect_eq(mem[0], 0x00);
	cr_expect_eq(mem[1], 0x01);
	cr_expect_eq(mem[2], 0xf1);
}

Test(generator, gtpv2c_length_field_covers_the_message)
{
	struct cs_gen_bearer s = { .imsi = "001011234567890", .msisdn = "15550001", .imei = "353325100000006",
				   .apn = "ims.example", .mcc = "001", .mnc = "01" };
	uint8_t msg[512];

	size_t n = cs_encode_gtpv2c_create_session_req(msg, sizeof(msg), &s, 0x010203);
	cr_assert_gt(n, 12);
	cr_expect_eq(msg[0], 0x48);
	cr_expect_eq(msg[1], 32);
	cr_expect_eq((size_t)(msg[2] << 8 | msg[3]), n - 4);
	cr_expect_eq(msg[8] << 16 | msg[9] << 8 | msg[10], 0x010203);
	/* first IE: IMSI, 8 bytes of TBCD */
	cr_expect_eq(msg[12], 1);
	cr_expect_eq(msg[13] << 8 | msg[14], 8);
	cr_expect_eq(cs_encode_gtpv2c_create_session_req(msg, 40, &s, 1), 0, "a short buffer must fail, not truncate");
}

Test(generator, ipv4_header_checksum_verifies)
{
	uint8_t pkt[64];
	uint32_t sum = 0;

	cr_assert_eq(cs_encode_ipv4_udp(pkt, sizeof(pkt), 0x0a000001, 0x0a000002, 1, 2, 7, 10), 38);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	cr_expect_eq(sum, 0xffff);
}
