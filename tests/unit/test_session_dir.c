/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_eal.h>

#include "eal.h"
#include "session_dir.h"

static struct cs_session_dir *dir;

/* Reader 0 is the writer itself, as on a lone RX lcore; reader 1 (if any) is another RX lcore. */
static void make_dir(uint32_t capacity, uint32_t readers)
{
	char err[256];
	const struct cs_session_dir_conf conf = { .capacity = capacity, .max_readers = readers, .writer_reader = 0,
						  .socket_id = 0 };

	dir = cs_session_dir_create("test_dir", &conf, err, sizeof(err));
	cr_assert_not_null(dir, "%s", err);
	for (uint32_t r = 0; r < readers; r++)
		cs_session_dir_reader_online(dir, r);
}

static void free_dir(void)
{
	cs_session_dir_free(dir);
	rte_eal_cleanup();
}

static void make_small(void)
{
	cs_test_eal_init();
	make_dir(4, 2);
}

/* A lone RX lcore: the writer is the only reader. */
static void single_reader(void)
{
	cs_session_dir_free(dir);
	make_dir(4, 1);
}

TestSuite(session_dir, .init = make_small, .fini = free_dir);

static struct cs_session_info info(unsigned int n)
{
	struct cs_session_info i;

	memset(&i, 0, sizeof(i));
	i.imsi = cs_digits_from_ascii("001010000000000", 15) - n; /* distinct per n */
	i.msisdn = 0x1555000000000000ull | n;
	i.imei = CS_DIGITS_NONE;
	i.rat = 6;
	i.gtp_version = 2;
	i.has_ue_ipv4 = 1;
	i.ue_ipv4.b[0] = 100;
	i.ue_ipv4.b[3] = (uint8_t)n;
	strcpy(i.apn, "internet");
	return i;
}

static struct cs_fteid fteid(uint8_t node, uint32_t teid)
{
	struct cs_fteid k;

	memset(&k, 0, sizeof(k));
	k.addr.b[0] = 10;
	k.addr.b[3] = node;
	k.teid = teid;
	return k;
}

static int64_t create(unsigned int n, uint64_t now, struct cs_session_view *evicted, int *did_evict)
{
	const struct cs_session_info i = info(n);

	return cs_session_dir_create_session(dir, &i, now, evicted, did_evict);
}

Test(session_dir, keys_resolve_to_the_session_and_their_role)
{
	struct cs_session_view v, e;
	int evicted;
	int64_t s = create(1, 1000, &e, &evicted);

	cr_assert_geq(s, 0);
	cr_expect_not(evicted);
	const struct cs_fteid up = fteid(2, 0x40000001), down = fteid(3, 0x30000001), ctl = fteid(4, 7);
	cr_assert_eq(cs_session_dir_add_fteid(dir, (uint32_t)s, &up, CS_ROLE_UPLINK, 5), 0);
	cr_assert_eq(cs_session_dir_add_fteid(dir, (uint32_t)s, &down, CS_ROLE_DOWNLINK, 5), 0);
	cr_assert_eq(cs_session_dir_add_fteid(dir, (uint32_t)s, &ctl, CS_ROLE_CONTROL, 0), 0);

	cr_assert(cs_session_dir_find_fteid(dir, &up, &v));
	cr_expect_eq(v.role, CS_ROLE_UPLINK);
	cr_expect_eq(v.imsi, info(1).imsi);
	cr_expect_eq(v.created_ns, 1000);
	cr_assert(cs_session_dir_find_fteid(dir, &down, &v));
	cr_expect_eq(v.role, CS_ROLE_DOWNLINK);
	cr_expect_eq(cs_session_dir_index_of_control(dir, &ctl), s);
	cr_expect_eq(cs_session_dir_index_of_control(dir, &up), -1, "a user-plane key names no control endpoint");

	const struct cs_ip_addr ue = info(1).ue_ipv4;
	cr_assert(cs_session_dir_find_ue_ip(dir, &ue, &v));
	cr_expect_eq(v.session_ref >> 32, (uint64_t)s);
	cr_expect_eq(cs_session_dir_imsi_of_msisdn(dir, info(1).msisdn), info(1).imsi);

	const struct cs_fteid unknown = fteid(9, 9);
	cr_expect_not(cs_session_dir_find_fteid(dir, &unknown, &v));
	cr_expect_str_eq(cs_session_dir_apn(dir, (uint32_t)s), "internet");
}

Test(session_dir, delete_removes_every_key_and_dedicated_bearers_go_alone)
{
	struct cs_session_view v, e;
	int evicted;
	int64_t s = create(1, 1000, &e, &evicted);
	const struct cs_fteid def = fteid(2, 1), ded = fteid(2, 2);

	cs_session_dir_add_fteid(dir, (uint32_t)s, &def, CS_ROLE_UPLINK, 5);
	cs_session_dir_add_fteid(dir, (uint32_t)s, &ded, CS_ROLE_UPLINK, 6);
	cs_session_dir_remove_bearer(dir, (uint32_t)s, 6);
	cr_expect_not(cs_session_dir_find_fteid(dir, &ded, &v));
	cr_expect(cs_session_dir_find_fteid(dir, &def, &v));

	cs_session_dir_delete(dir, (uint32_t)s);
	cr_expect_not(cs_session_dir_find_fteid(dir, &def, &v));
	const struct cs_ip_addr ue = info(1).ue_ipv4;
	cr_expect_not(cs_session_dir_find_ue_ip(dir, &ue, &v));
	cr_expect_eq(cs_session_dir_imsi_of_msisdn(dir, info(1).msisdn), CS_DIGITS_NONE);

	struct cs_session_dir_stats st;
	cs_session_dir_stats(dir, &st);
	cr_expect_eq(st.created, 1);
	cr_expect_eq(st.deleted, 1);
	cr_expect_eq(st.active, 0);
}

Test(session_dir, a_reused_teid_moves_to_its_new_session)
{
	struct cs_session_view v, e;
	int evicted;
	int64_t a = create(1, 1000, &e, &evicted), b = create(2, 2000, &e, &evicted);
	const struct cs_fteid k = fteid(2, 77);

	cs_session_dir_add_fteid(dir, (uint32_t)a, &k, CS_ROLE_UPLINK, 5);
	cs_session_dir_add_fteid(dir, (uint32_t)b, &k, CS_ROLE_UPLINK, 5);
	cr_assert(cs_session_dir_find_fteid(dir, &k, &v));
	cr_expect_eq(v.imsi, info(2).imsi);
	/* and deleting the old owner leaves the new owner's key alone */
	cs_session_dir_delete(dir, (uint32_t)a);
	cr_expect(cs_session_dir_find_fteid(dir, &k, &v));
}

/*
 * User-plane F-TEIDs on IPv4 nodes live in the G-PDU map, where a G-PDU's
 * bulk lookup finds them without reading the session's entry; those on
 * IPv6 nodes, and those the map has no room for, in the directory's hash.
 * A bulk lookup finds every one of them, with its session and role.
 */
Test(session_dir, bulk_lookups_find_user_plane_keys_wherever_they_live)
{
	enum { SESSIONS = 192, KEYS = CS_SESSION_MAX_FTEIDS };
	static struct cs_fteid keys[SESSIONS * KEYS];
	struct cs_session_view e, v[32];
	int evicted;
	int64_t s[SESSIONS];

	cs_session_dir_free(dir);
	make_dir(SESSIONS + 64, 1); /* room to spare: a nearly full directory evicts ahead of need */
	/*
	 * 8 user-plane keys a session, 7 on IPv4 nodes: 1344 keys for the
	 * map's 1024 slots (2 x 512 buckets for 256 sessions), so hundreds
	 * must live in the hash, as the 192 on IPv6 nodes do.
	 */
	for (unsigned int n = 0; n < SESSIONS; n++) {
		s[n] = create(n, 1000 + n, &e, &evicted);
		cr_assert_geq(s[n], 0);
		for (unsigned int k = 0; k < KEYS; k++) {
			struct cs_fteid *f = &keys[n * KEYS + k];
			*f = fteid((uint8_t)(1 + k), 0x40000000u + n * KEYS + k);
			if (k == KEYS - 1)
				f->addr.b[15] = 1; /* an IPv6 node */
			cr_assert_eq(cs_session_dir_add_fteid(dir, (uint32_t)s[n], f, k % 2 ? CS_ROLE_DOWNLINK : CS_ROLE_UPLINK,
							      5),
				     0);
		}
	}
	for (unsigned int at = 0; at < SESSIONS * KEYS; at += 32) {
		const struct cs_fteid *batch[32];
		for (unsigned int i = 0; i < 32; i++)
			batch[i] = &keys[at + i];
		cr_assert_eq(cs_session_dir_find_fteid_bulk(dir, batch, 32, v), 0xffffffffu, "keys %u..%u", at, at + 31);
		for (unsigned int i = 0; i < 32; i++) {
			unsigned int n = (at + i) / KEYS, k = (at + i) % KEYS;
			cr_expect_eq(v[i].session_ref >> 32, (uint64_t)s[n]);
			cr_expect_eq(v[i].imsi, info(n).imsi);
			cr_expect_eq(v[i].role, k % 2 ? CS_ROLE_DOWNLINK : CS_ROLE_UPLINK);
		}
	}
	/* the single lookup gives the whole view, whichever table holds the key */
	cr_assert(cs_session_dir_find_fteid(dir, &keys[3], &v[0]));
	cr_expect_eq(v[0].created_ns, 1000);
	/* deleted sessions take all their keys with them, from both tables */
	for (unsigned int n = 0; n < SESSIONS; n++)
		cs_session_dir_delete(dir, (uint32_t)s[n]);
	for (unsigned int at = 0; at < SESSIONS * KEYS; at += 32) {
		const struct cs_fteid *batch[32];
		for (unsigned int i = 0; i < 32; i++)
			batch[i] = &keys[at + i];
		cr_expect_eq(cs_session_dir_find_fteid_bulk(dir, batch, 32, v), 0);
	}
}

/*
 * Full: a CLOCK sweep evicts a session not signalled since the hand last
 * passed it, hands its view back so its record can be written, and counts
 * it. Its entry is reused once every reader has passed a quiescent state.
 */
Test(session_dir, full_directory_evicts_the_idlest_session)
{
	struct cs_session_view e, v;
	int evicted;
	int64_t s[4];

	single_reader();
	for (unsigned int n = 0; n < 4; n++) {
		s[n] = create(n, 1000 + n, &e, &evicted);
		cr_assert_geq(s[n], 0);
		cr_expect_not(evicted);
	}
	/* everyone was just signalled: the hand clears every bit and takes the first, session 0 */
	cr_assert_geq(create(4, 5000, &e, &evicted), 0, "the freed entry is reusable: every reader was quiescent");
	cr_expect(evicted);
	cr_expect_eq(e.imsi, info(0).imsi);

	/* session 1 is signalled again; 2 is not: 2 is the idlest now */
	cs_session_dir_update(dir, (uint32_t)s[1], NULL, 0, CS_DIGITS_NONE, 6000);
	cr_assert_geq(create(5, 7000, &e, &evicted), 0);
	cr_expect(evicted);
	cr_expect_eq(e.imsi, info(2).imsi, "the signalled session survives, the idle one goes");

	struct cs_session_dir_stats st;
	cs_session_dir_stats(dir, &st);
	cr_expect_eq(st.evicted, 2);
	cr_expect_eq(st.active, 4);
	const struct cs_ip_addr ue4 = info(4).ue_ipv4, ue0 = info(0).ue_ipv4;
	cr_expect(cs_session_dir_find_ue_ip(dir, &ue4, &v));
	cr_expect_not(cs_session_dir_find_ue_ip(dir, &ue0, &v), "the victim's keys are gone");
}

Test(session_dir, a_deleted_entry_waits_for_every_reader)
{
	struct cs_session_view e;
	int evicted;
	int64_t s[4];

	for (unsigned int n = 0; n < 4; n++)
		s[n] = create(n, 1000, &e, &evicted);
	cs_session_dir_delete(dir, (uint32_t)s[0]);
	/* reader 1 may still hold what it looked up: the entry must not come back yet */
	int64_t again = create(9, 2000, &e, &evicted);
	cr_expect_lt(again, 0, "no free entry before reader 1's grace period: refused, never reused");
	cr_expect_not(evicted, "an entry is already on its way back: nobody else is evicted for it");
	struct cs_session_dir_stats st;
	cs_session_dir_stats(dir, &st);
	cr_expect_geq(st.full_refusals, 1);
	cs_session_dir_quiescent(dir, 1);
	cr_expect_geq(create(10, 3000, &e, &evicted), 0, "after reader 1 passed a quiescent state");
}

Test(session_dir, generation_names_one_session_of_an_entry)
{
	struct cs_session_view e, v1, v2;
	int evicted;
	int64_t s = create(1, 1000, &e, &evicted);

	cs_session_dir_view(dir, (uint32_t)s, &v1);
	cs_session_dir_delete(dir, (uint32_t)s);
	cs_session_dir_quiescent(dir, 1);
	/* take entries until the same one comes back */
	int64_t t;
	unsigned int n = 2;
	do {
		t = create(n++, 2000, &e, &evicted);
		cr_assert_geq(t, 0);
		cs_session_dir_quiescent(dir, 1);
	} while (t != s && n < 16);
	cs_session_dir_view(dir, (uint32_t)t, &v2);
	cr_expect_eq(v1.session_ref >> 32, v2.session_ref >> 32);
	cr_expect_neq(v1.session_ref, v2.session_ref, "same entry, new generation");
}

Test(session_dir, idle_sessions_expire_in_event_time)
{
	struct cs_session_view e, expired[4];
	int evicted;

	create(1, 1000, &e, &evicted);
	int64_t fresh = create(2, 1000, &e, &evicted);
	cs_session_dir_update(dir, (uint32_t)fresh, NULL, 0, CS_DIGITS_NONE, 9000);
	unsigned int n = cs_session_dir_expire(dir, 5000, 4, expired, 4);
	cr_expect_eq(n, 1);
	cr_expect_eq(expired[0].imsi, info(1).imsi);
	struct cs_session_dir_stats st;
	cs_session_dir_stats(dir, &st);
	cr_expect_eq(st.active, 1);
}
