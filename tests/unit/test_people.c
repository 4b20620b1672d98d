/*
 * test_people.c - counting each person once: the national hierarchy,
 * part direct payments, the tie rules and independence of input order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static void test_rank(void **state)
{
	static const struct {
		int setting, mech, rank, flag;
	} t[] = {
		{PB_SET_NURSING, PB_MECH_DP, 1, 0},
		{PB_SET_RESIDENTIAL, PB_MECH_COMMISSIONED, 2, 0},
		{PB_SET_COMMUNITY, PB_MECH_DP, 3, PB_MF_DP},
		{PB_SET_COMMUNITY, PB_MECH_PART_DP, 3, PB_MF_PART},
		{PB_SET_COMMUNITY, PB_MECH_MANAGED, 4, PB_MF_OTHER},
		{PB_SET_COMMUNITY, PB_MECH_COMMISSIONED, 5, PB_MF_OTHER},
		{PB_SET_PRISON, PB_MECH_DP, 6, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(pb_hier_rank(t[i].setting, t[i].mech), t[i].rank);
		assert_int_equal(pb_mech_flag(t[i].setting, t[i].mech), t[i].flag);
	}
	assert_int_equal(pb_people_mech(3, PB_MF_DP), PB_MECH_DP);
	assert_int_equal(pb_people_mech(3, PB_MF_DP | PB_MF_OTHER), PB_MECH_PART_DP);
	assert_int_equal(pb_people_mech(3, PB_MF_PART), PB_MECH_PART_DP);
	assert_int_equal(pb_people_mech(3, PB_MF_DP | PB_MF_PART), PB_MECH_PART_DP);
	assert_int_equal(pb_people_mech(4, PB_MF_OTHER), PB_MECH_MANAGED);
	assert_int_equal(pb_people_mech(5, PB_MF_OTHER), PB_MECH_COMMISSIONED);
	assert_int_equal(pb_people_mech(1, 0), -1);
	assert_int_equal(pb_people_mech(6, 0), -1);
}

struct row {
	const char *la, *pid;
	int setting, mech;
	int32_t start;
	const char *group;
};

struct seen {
	int n;
	int rank[8];
	char group[8][16];
	int mech[8];
	const struct pb_strmap *g;
};

static void collect(void *ctx, int rank, uint32_t group, int mflags)
{
	struct seen *s = ctx;

	s->rank[s->n] = rank;
	strcpy(s->group[s->n], pb_strmap_key(s->g, group, NULL));
	s->mech[s->n] = pb_people_mech(rank, mflags);
	s->n++;
}

/* Offer rows in the order given by perm; one person expected. */
static void one_person(const struct row *rows, size_t n, const size_t *perm,
		       int rank, const char *group, int mech)
{
	struct pb_strmap *g = pb_strmap_new();
	struct pb_people *pp = pb_people_new(g);
	struct seen s = {0};
	size_t i;

	for (i = 0; i < n; i++) {
		const struct row *r = &rows[perm[i]];
		size_t gid = pb_strmap_intern(g, r->group, strlen(r->group), NULL);

		pb_people_offer(pp, r->la, strlen(r->la), r->pid, strlen(r->pid),
				pb_hier_rank(r->setting, r->mech), r->start,
				(uint32_t)gid, pb_mech_flag(r->setting, r->mech));
	}
	s.g = g;
	pb_people_each(pp, collect, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.rank[0], rank);
	assert_string_equal(s.group[0], group);
	assert_int_equal(s.mech[0], mech);
	pb_people_free(pp);
	pb_strmap_free(g);
}

static void every_order3(const struct row *rows, int rank, const char *group,
			 int mech)
{
	static const size_t perms[6][3] = {
		{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}
	};
	size_t i;

	for (i = 0; i < 6; i++)
		one_person(rows, 3, perms[i], rank, group, mech);
}

static void test_hierarchy(void **state)
{
	/* residential beats community dp */
	static const struct row a[] = {
		{"E1", "P1", PB_SET_COMMUNITY, PB_MECH_DP, 100, "mh"},
		{"E1", "P1", PB_SET_RESIDENTIAL, PB_MECH_COMMISSIONED, 50, "ph"},
		{"E1", "P1", PB_SET_PRISON, PB_MECH_COMMISSIONED, 200, "ld"},
	};
	/* dp + commissioned in the community: part_dp, dp row's group */
	static const struct row b[] = {
		{"E1", "P2", PB_SET_COMMUNITY, PB_MECH_COMMISSIONED, 300, "zz"},
		{"E1", "P2", PB_SET_COMMUNITY, PB_MECH_DP, 100, "mh"},
		{"E1", "P2", PB_SET_PRISON, PB_MECH_COMMISSIONED, 400, "ld"},
	};
	/* same rank: latest start wins, then the group that sorts first */
	static const struct row c[] = {
		{"E1", "P3", PB_SET_COMMUNITY, PB_MECH_MANAGED, 100, "aa"},
		{"E1", "P3", PB_SET_COMMUNITY, PB_MECH_MANAGED, 200, "mm"},
		{"E1", "P3", PB_SET_COMMUNITY, PB_MECH_MANAGED, 200, "bb"},
	};
	/* managed beats commissioned */
	static const struct row d[] = {
		{"E1", "P4", PB_SET_COMMUNITY, PB_MECH_COMMISSIONED, 900, "aa"},
		{"E1", "P4", PB_SET_COMMUNITY, PB_MECH_MANAGED, 100, "zz"},
		{"E1", "P4", PB_SET_PRISON, PB_MECH_MANAGED, 100, "aa"},
	};

	(void)state;
	every_order3(a, 2, "ph", -1);
	every_order3(b, 3, "mh", PB_MECH_PART_DP);
	every_order3(c, 4, "bb", PB_MECH_MANAGED);
	every_order3(d, 4, "zz", PB_MECH_MANAGED);
}

static void test_distinct_people(void **state)
{
	struct pb_strmap *g = pb_strmap_new();
	struct pb_people *pp = pb_people_new(g);
	char pid[32];
	int i;

	(void)state;
	pb_strmap_intern(g, "x", 1, NULL);
	/* The same id in two councils is two people; many people grow the table. */
	for (i = 0; i < 5000; i++) {
		int n = snprintf(pid, sizeof pid, "P%05d", i);

		pb_people_offer(pp, "E1", 2, pid, (size_t)n, 3, 1, 0, PB_MF_DP);
		pb_people_offer(pp, "E2", 2, pid, (size_t)n, 3, 1, 0, PB_MF_DP);
		pb_people_offer(pp, "E1", 2, pid, (size_t)n, 4, 1, 0, PB_MF_OTHER);
	}
	assert_int_equal(pb_people_count(pp), 10000);
	/* la_code "E1" + id "2x" differs from la_code "E12" + id "x" */
	pb_people_offer(pp, "E1", 2, "2x", 2, 3, 1, 0, 0);
	pb_people_offer(pp, "E12", 3, "x", 1, 3, 1, 0, 0);
	assert_int_equal(pb_people_count(pp), 10002);
	pb_people_free(pp);
	pb_strmap_free(g);
}

/* Keys: la_code and person_id (and a third value) with NUL between. */
static void test_keys(void **state)
{
	struct pb_fp a = pb_person_key("E1", 2, "P1", 2);
	struct pb_fp b = pb_fingerprint("E1\0P1", 5);
	struct pb_fp c = pb_person_key3("E1", 2, "P1", 2, "o1", 2);
	struct pb_fp d = pb_fingerprint("E1\0P1\0o1", 8);
	struct pb_fp f = pb_person_key3("E1", 2, "P1", 2, "", 0);

	(void)state;
	assert_true(a.hi == b.hi && a.lo == b.lo);
	assert_true(c.hi == d.hi && c.lo == d.lo);
	/* an empty third value is not the same as none */
	assert_false(f.hi == a.hi && f.lo == a.lo);
}

struct scan {
	int n;
	struct pb_person p[4];
};

static void keep(void *ctx, const struct pb_person *p)
{
	struct scan *s = ctx;

	s->p[s->n++] = *p;
}

/* Offers by key (a merge), values, find and mark, and a scan in key
 * order whatever the order of the offers. */
static void test_values_and_scan(void **state)
{
	struct pb_strmap *g = pb_strmap_new();
	struct pb_fp k1 = pb_person_key("E1", 2, "P1", 2);
	struct pb_fp k2 = pb_person_key("E1", 2, "P2", 2);
	struct pb_fp k3 = pb_person_key("E1", 2, "P3", 2);
	struct pb_fp none = pb_person_key("E1", 2, "P9", 2);
	struct scan s1 = {0}, s2 = {0};
	int order;

	(void)state;
	pb_strmap_intern(g, "a", 1, NULL);
	pb_strmap_intern(g, "b", 1, NULL);
	for (order = 0; order < 2; order++) {
		struct pb_people *pp = pb_people_new_values(g);
		struct scan *s = order ? &s2 : &s1;

		if (order == 0) {
			pb_people_offer_fp(pp, k1, 3, 10, 1, PB_MF_DP);
			pb_people_offer_fp(pp, k2, 4, 10, 0, PB_MF_OTHER);
			pb_people_offer_fp(pp, k1, 3, 10, 0, PB_MF_OTHER);
			pb_people_offer_fp(pp, k3, 5, 10, 1, 0);
		} else {
			pb_people_offer_fp(pp, k3, 5, 10, 1, 0);
			pb_people_offer_fp(pp, k1, 3, 10, 0, PB_MF_OTHER);
			pb_people_offer_fp(pp, k2, 4, 10, 0, PB_MF_OTHER);
			pb_people_offer_fp(pp, k1, 3, 10, 1, PB_MF_DP);
		}
		assert_int_equal(pb_people_add_value(pp, k1, 12550), 0);
		assert_int_equal(pb_people_add_value(pp, k1, 4000), 0);
		assert_int_equal(pb_people_add_value(pp, none, 1), -PB_EDATA);
		assert_int_equal(pb_people_add_value(pp, k2, INT64_MAX), 0);
		assert_int_equal(pb_people_add_value(pp, k2, 1), -PB_EDATA);
		assert_int_equal(pb_people_find(pp, k1, 0), 0);
		assert_int_equal(pb_people_find(pp, k3, 1), 1);
		assert_int_equal(pb_people_find(pp, none, 1), -1);
		pb_people_scan(pp, keep, s);
		assert_int_equal(s->n, 3);
		pb_people_free(pp);
	}
	/* the same people, the same order, the same state */
	assert_memory_equal(s1.p, s2.p, 3 * sizeof s1.p[0]);
	for (order = 1; order < 3; order++)
		assert_true(s1.p[order - 1].key.hi < s1.p[order].key.hi ||
			    (s1.p[order - 1].key.hi == s1.p[order].key.hi &&
			     s1.p[order - 1].key.lo < s1.p[order].key.lo));
	for (order = 0; order < 3; order++) {
		const struct pb_person *p = &s1.p[order];

		if (p->key.hi == k1.hi && p->key.lo == k1.lo) {
			/* group "a" sorts first; mechanisms accumulate */
			assert_int_equal(p->group, 0);
			assert_int_equal(p->mflags, PB_MF_DP | PB_MF_OTHER | PB_MF_VALUE);
			assert_int_equal(p->value, 16550);
			assert_int_equal(p->rank, 3);
		} else if (p->key.hi == k3.hi && p->key.lo == k3.lo) {
			assert_int_equal(p->mflags, PB_MF_MARK);
			assert_int_equal(p->value, 0);
		} else {
			assert_int_equal(p->value, INT64_MAX);
		}
	}
	pb_strmap_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_hierarchy),
		cmocka_unit_test(test_distinct_people),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_values_and_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
