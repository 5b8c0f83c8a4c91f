/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-gen --population (bench/gen/population.h) and the scenario
 * writer's incremental mode it stands on: the same seed gives the same
 * capture and labels, another seed others; the labels list every
 * subscriber of the capture exactly once; frames are in time order; a
 * scenario written in parts is byte for byte the one written at close.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "population.h"
#include "run.h"
#include "scenario.h"

static const uint64_t START_NS = 1767600000ull * 1000000000ull; /* 2026-01-05T08:00:00Z */
static const uint64_t SEC = 1000000000ull;

static char dir[CS_TEMP_DIR_LEN];

static void make_dir(void)
{
	cs_temp_dir(dir, "population");
}

static void remove_dir(void)
{
	cs_remove_tree(dir);
}

TestSuite(population, .init = make_dir, .fini = remove_dir);

/* A little of every class over one day. */
static void generate(const char *seed, const char *tag, char *pcap, char *labels)
{
	struct cs_run r;

	sprintf(pcap, "%s/%s.pcap", dir, tag);
	sprintf(labels, "%s/%s.csv", dir, tag);
	char *argv[] = { (char *)cs_env("CDRSENTRY_GEN"), "--population", "--seed", (char *)seed, "--days", "1",
			 "--normal", "12", "--heavy", "3", "--iot", "4", "--simbox-gateways", "1", "--simbox-sims",
			 "8", "--spammers", "2", "--code-receivers", "2", "--sleepers", "2", "--batches", "1",
			 "--batch-size", "20", "--iot-misuse", "2", "--out", pcap, "--labels", labels, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "cdrsentry-gen failed: %s", r.err);
	cs_run_free(&r);
}

static bool same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = cs_read_file(a, &na), *y = cs_read_file(b, &nb);

	cr_assert(x != NULL && y != NULL);
	bool same = na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

Test(population, the_seed_decides_the_bytes_and_labels, .timeout = 60)
{
	char p1[96], l1[96], p2[96], l2[96], p3[96], l3[96];

	generate("5", "a", p1, l1);
	generate("5", "b", p2, l2);
	generate("6", "c", p3, l3);
	cr_expect(same_file(p1, p2), "same seed, same capture");
	cr_expect(same_file(l1, l2), "same seed, same labels");
	cr_expect(!same_file(p1, p3), "another seed, another capture");
	cr_expect(!same_file(l1, l3), "another seed, other numbers and onsets");
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The IMSI of a Create Session Request frame, or false. The frame is
 * Ethernet, IPv4 without options, UDP to 2123, GTPv2-C with a TEID:
 *   14 + 20 + 8 bytes, then flags, type 32, length (2), TEID (4), seq (3), spare,
 * then IEs: type, length (2), instance, value; the IMSI (type 1) in TBCD.
 */
static bool csr_imsi(const uint8_t *f, size_t len, char imsi[16])
{
	const size_t gtp = 14 + 20 + 8;

	if (len < gtp + 12 || (f[36] << 8 | f[37]) != 2123 || f[gtp + 1] != 32)
		return false;
	for (size_t ie = gtp + 12; ie + 4 <= len;) {
		size_t n = (size_t)f[ie + 1] << 8 | f[ie + 2];
		if (ie + 4 + n > len)
			return false;
		if (f[ie] == 1 && n == 8) {
			for (size_t d = 0; d < 15; d++) {
				uint8_t b = f[ie + 4 + d / 2];
				imsi[d] = (char)('0' + (d % 2 == 0 ? b & 0xf : b >> 4));
			}
			imsi[15] = '\0';
			return true;
		}
		ie += 4 + n;
	}
	return false;
}

/* How many lines of the labels after the header start with imsi and a comma. */
static int label_lines_of(const char *labels, const char *imsi)
{
	int n = 0;

	for (const char *l = strchr(labels, '\n'); l != NULL && l[1] != '\0'; l = strchr(l + 1, '\n'))
		n += strncmp(l + 1, imsi, 15) == 0 && l[16] == ',';
	return n;
}

Test(population, labels_list_each_subscriber_once_and_frames_are_in_order, .timeout = 60)
{
	char pcap[96], labels_path[96];
	size_t n;

	generate("9", "order", pcap, labels_path);
	char *labels = cs_read_file(labels_path, NULL);
	uint8_t *b = (uint8_t *)cs_read_file(pcap, &n);
	cr_assert(labels != NULL && b != NULL);
	static const char header[] = "imsi,msisdn,imei,class,onset,expected_rules,group\n";
	cr_assert(strncmp(labels, header, sizeof(header) - 1) == 0, "%.80s", labels);

	/* 12 + 3 + 4 + 8 + 2 + 2 + 2 + 20 + 2 subscribers, one line each */
	int lines = 0;
	for (const char *l = labels; (l = strchr(l, '\n')) != NULL; l++)
		lines++;
	cr_expect_eq(lines, 1 + 55);

	/* every IMSI that attaches is labelled exactly once; every labelled one attaches */
	char seen[64][16];
	int nseen = 0;
	uint64_t last = 0;
	size_t records = 0, tagged = 0, gpdus = 0, ipv6_gpdus = 0;
	for (size_t off = 24; off + 16 <= n; records++) {
		const uint8_t *h = b + off;
		uint64_t t = (uint64_t)le32(h) * 1000000u + le32(h + 4);
		uint32_t len = le32(h + 8);
		char imsi[16];
		cr_assert_geq(t, last, "record %zu goes back in time", records);
		last = t;
		/* the links: some S1-U VLAN-tagged, some user data IPv6 inside the (IPv4) tunnel */
		const uint8_t *f = h + 16;
		size_t l2 = len >= 14 && f[12] == 0x81 && f[13] == 0x00 ? 18 : 14;
		tagged += l2 == 18;
		if (len > l2 + 36 && f[l2 + 22] == 0x08 && f[l2 + 23] == 0x68) { /* UDP destination port 2152 */
			gpdus++;
			ipv6_gpdus += f[l2 + 36] >> 4 == 6;
		}
		if (csr_imsi(h + 16, len, imsi)) {
			bool known = false;
			for (int k = 0; k < nseen && !known; k++)
				known = strcmp(seen[k], imsi) == 0;
			if (!known && nseen < 64) {
				memcpy(seen[nseen++], imsi, 16);
				cr_expect_eq(label_lines_of(labels, imsi), 1, "IMSI %s in the labels", imsi);
			}
		}
		off += 16 + len;
	}
	cr_expect_eq(nseen, 55, "subscribers attaching");
	cr_expect_gt(records, 10000);
	cr_expect(tagged > 0 && tagged < records, "%zu of %zu frames VLAN-tagged", tagged, records);
	cr_expect(ipv6_gpdus > 0 && ipv6_gpdus < gpdus, "%zu of %zu G-PDUs carry IPv6", ipv6_gpdus, gpdus);

	/* the abnormal classes carry an onset and their rules; the normal ones neither */
	cr_expect(strstr(labels, ",simbox,2026-01-0") != NULL);
	cr_expect(strstr(labels, ",simbox.fanout;simbox.imei_rotation,") != NULL);
	cr_expect(strstr(labels, ",normal,,,\n") != NULL);
	free(labels);
	free(b);
}

/* A small script over ten minutes with a call across the parts' boundaries. */
static void script(const char *path, int flushes)
{
	struct cs_scen *sc = cs_scen_open(path, START_NS, 3);
	struct cs_scen_ue a = { 0 };
	const struct cs_scen_sim sa = { .imsi = "001019900000001", .msisdn = "8613999000001", .imei = "353325100000017" };
	const struct cs_scen_call call = { .caller = sa.msisdn, .callee = "8613800000009", .outcome = CS_SCEN_ANSWERED,
					   .ring_ms = 3000, .duration_s = 250 };
	char err[200];

	cr_assert_not_null(sc);
	cs_scen_attach(sc, &a, &sa, (struct cs_scen_cell){ .tac = 1, .eci = 0x101 }, 0);
	for (uint64_t minute = 0; minute < 10; minute++) {
		cs_scen_data(sc, &a, 0xcb007101u, 3000, 3000, minute * 60 * SEC + 5 * SEC);
		if (minute == 2)
			cs_scen_call(sc, &call, minute * 60 * SEC + 30 * SEC);
		if (minute == 4)
			cs_scen_sms_mo(sc, sa.msisdn, "8613800000009", NULL, minute * 60 * SEC + 5 * SEC);
		if (flushes)
			cr_assert_eq(cs_scen_flush_before(sc, (minute + 1) * 60 * SEC), 0);
	}
	if (flushes)
		cr_expect_lt(cs_scen_buffered(sc), 10, "what is left after the last part");
	cs_scen_detach(sc, &a, 650 * SEC);
	cr_assert_eq(cs_scen_close(sc, err, sizeof(err)), 0, "%s", err);
}

Test(population, a_scenario_written_in_parts_is_the_same_file)
{
	char whole[96], parts[96];

	snprintf(whole, sizeof(whole), "%s/whole.pcap", dir);
	snprintf(parts, sizeof(parts), "%s/parts.pcap", dir);
	script(whole, 0);
	script(parts, 1);
	cr_expect(same_file(whole, parts));
}

Test(population, a_frame_before_the_written_part_fails_the_scenario)
{
	char path[96], err[200];

	snprintf(path, sizeof(path), "%s/late.pcap", dir);
	struct cs_scen *sc = cs_scen_open(path, START_NS, 3);
	cr_assert_not_null(sc);
	cs_scen_sms_mo(sc, "8613999000001", "8613800000009", NULL, 100 * SEC);
	cr_expect_eq(cs_scen_flush_before(sc, 60 * SEC), 0);
	cr_expect_eq(cs_scen_written(sc), 0, "nothing before 60 s");
	cr_expect_eq(cs_scen_flush_before(sc, 120 * SEC), 0);
	cr_expect_eq(cs_scen_written(sc), 2, "the MESSAGE and its 200");
	cs_scen_sms_mo(sc, "8613999000001", "8613800000009", NULL, 90 * SEC);
	cr_expect_eq(cs_scen_close(sc, err, sizeof(err)), -1);
	cr_expect(strstr(err, "before the part already written") != NULL, "%s", err);
}
