/*
 * test_quantile.c - the mergeable quantile sketch (lib/quantile.c): its
 * buckets and their documented error, nearest-rank quantiles against an
 * exact sort, exact means, and merges that give the same sketch however
 * the values are split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* |got - want| <= want / 256, in integers. */
static int within(int64_t got, int64_t want)
{
	int64_t d = got > want ? got - want : want - got;

	return d * 256 <= want;
}

static void test_buckets(void **state)
{
	static const struct {
		int64_t v;
		uint32_t index;
		int64_t value;
	} t[] = {
		{0, 0, 0}, {1, 1, 1}, {255, 255, 255},
		{256, 256, 256}, {257, 256, 256}, {258, 257, 258},
		{511, 383, 510}, {512, 384, 513}, {515, 384, 513},
		{1000, 0, 0},
		{INT64_C(9000000000000000), 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		uint32_t idx = pb_qs_index(t[i].v);

		if (t[i].value) {
			assert_int_equal(idx, t[i].index);
			assert_int_equal(pb_qs_value(idx), t[i].value);
		}
		/* A value's bucket reports a value within 1/256 of it,
		 * in the same bucket. */
		if (!within(pb_qs_value(idx), t[i].v))
			fail_msg("%lld reported as %lld", (long long)t[i].v,
				 (long long)pb_qs_value(idx));
		assert_int_equal(pb_qs_index(pb_qs_value(idx)), idx);
	}
	assert_int_equal(pb_qs_index(-5), 0);
}

/* Every value up to 2^20, and random ones beyond, meet the bound and
 * indexes never go down as values go up. */
static void test_error_bound(void **state)
{
	int64_t v;
	uint32_t last = 0;
	int i;

	(void)state;
	for (v = 0; v < (1 << 20); v++) {
		uint32_t idx = pb_qs_index(v);

		assert_true(idx >= last);
		last = idx;
		if (!within(pb_qs_value(idx), v))
			fail_msg("%lld reported as %lld", (long long)v,
				 (long long)pb_qs_value(idx));
	}
	for (i = 0; i < 100000; i++) {
		v = (int64_t)(rnd() >> (1 + rnd() % 62));
		if (!within(pb_qs_value(pb_qs_index(v)), v))
			fail_msg("%lld reported as %lld", (long long)v,
				 (long long)pb_qs_value(pb_qs_index(v)));
	}
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the value at rank ceil(n * num / den). */
static int64_t exact_quantile(const int64_t *sorted, size_t n, int64_t num,
			      int64_t den)
{
	size_t rank = (size_t)(((int64_t)n * num + den - 1) / den);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static void test_quantiles(void **state)
{
	static const int64_t q[][2] = {{1, 2}, {9, 10}, {1, 100}, {1, 1},
				       {99, 100}, {1, 4}};
	static const size_t sizes[] = {1, 2, 3, 7, 8, 100, 1001, 20000};
	size_t s, i, k;

	(void)state;
	for (s = 0; s < N(sizes); s++) {
		size_t n = sizes[s];
		int64_t *v = calloc(n, sizeof *v), got, sum = 0, mean;
		struct pb_qsketch qs;

		pb_qs_init(&qs);
		for (i = 0; i < n; i++) {
			/* weekly costs from £0 to about £5,000, skewed */
			v[i] = (int64_t)(rnd() % 50000) * (int64_t)(rnd() % 11);
			sum += v[i];
			pb_qs_add(&qs, v[i], 1);
		}
		qsort(v, n, sizeof *v, cmp64);
		for (k = 0; k < N(q); k++) {
			int64_t want = exact_quantile(v, n, q[k][0], q[k][1]);

			assert_int_equal(pb_qs_quantile(&qs, q[k][0], q[k][1], &got), 0);
			if (!within(got, want))
				fail_msg("n %zu q %lld/%lld: %lld, exact %lld", n,
					 (long long)q[k][0], (long long)q[k][1],
					 (long long)got, (long long)want);
		}
		/* the smallest and largest are exact */
		assert_int_equal(pb_qs_quantile(&qs, 1, (int64_t)n * 2, &got), 0);
		assert_int_equal(got, v[0]);
		assert_int_equal(pb_qs_quantile(&qs, 1, 1, &got), 0);
		assert_int_equal(got, v[n - 1]);
		/* the mean is exact, rounded half up */
		assert_int_equal(pb_qs_mean(&qs, &mean), 0);
		assert_int_equal(mean, (sum + (int64_t)n / 2) / (int64_t)n);
		pb_qs_fini(&qs);
		free(v);
	}
}

static void test_small_exact(void **state)
{
	struct pb_qsketch q;
	int64_t got;

	(void)state;
	pb_qs_init(&q);
	assert_int_equal(pb_qs_quantile(&q, 1, 2, &got), -1);
	assert_int_equal(pb_qs_mean(&q, &got), -1);
	pb_qs_add(&q, 10, 1);
	pb_qs_add(&q, 20, 1);
	pb_qs_add(&q, 30, 1);
	pb_qs_add(&q, 40, 1);
	/* nearest rank: the lower median of an even count */
	assert_int_equal(pb_qs_quantile(&q, 1, 2, &got), 0);
	assert_int_equal(got, 20);
	assert_int_equal(pb_qs_quantile(&q, 9, 10, &got), 0);
	assert_int_equal(got, 40);
	assert_int_equal(pb_qs_mean(&q, &got), 0);
	assert_int_equal(got, 25);
	/* 25.5 rounds half up to 26; k adds a value k times */
	pb_qs_add(&q, 53, 2);
	assert_int_equal(q.n, 6);
	assert_int_equal(pb_qs_mean(&q, &got), 0);
	assert_int_equal(got, 34); /* 206 / 6 = 34.33 */
	pb_qs_add(&q, 7, 0);       /* k <= 0 adds nothing */
	assert_int_equal(q.n, 6);
	pb_qs_fini(&q);

	/* a sum beyond 64 bits stays exact */
	pb_qs_init(&q);
	pb_qs_add(&q, INT64_C(9000000000000000), 4000);
	assert_int_equal(pb_qs_mean(&q, &got), 0);
	assert_int_equal(got, INT64_C(9000000000000000));
	assert_int_equal(q.sum_hi, 1);
	pb_qs_fini(&q);
}

static void assert_same(const struct pb_qsketch *a, const struct pb_qsketch *b)
{
	uint32_t i, lo = a->lo < b->lo ? a->lo : b->lo;
	uint32_t hi = a->lo + a->nb > b->lo + b->nb ? a->lo + a->nb
						     : b->lo + b->nb;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->min, b->min);
	assert_int_equal(a->max, b->max);
	assert_int_equal(a->sum_hi, b->sum_hi);
	assert_int_equal(a->sum_lo, b->sum_lo);
	/* the same count in every bucket, however the runs were laid out */
	for (i = lo; i < hi; i++) {
		int64_t ca = i >= a->lo && i < a->lo + a->nb ? a->cnt[i - a->lo] : 0;
		int64_t cb = i >= b->lo && i < b->lo + b->nb ? b->cnt[i - b->lo] : 0;

		if (ca != cb)
			fail_msg("bucket %u: %lld and %lld", i, (long long)ca,
				 (long long)cb);
	}
}

static void test_merge(void **state)
{
	enum { NV = 5000, NPART = 7 };
	static int64_t v[NV];
	struct pb_qsketch whole, part[NPART], merged, reversed;
	int64_t a, b;
	size_t i, k;

	(void)state;
	pb_qs_init(&whole);
	for (i = 0; i < NV; i++) {
		v[i] = (int64_t)(rnd() % 100000);
		pb_qs_add(&whole, v[i], 1);
	}
	for (k = 0; k < NPART; k++)
		pb_qs_init(&part[k]);
	for (i = 0; i < NV; i++)
		pb_qs_add(&part[rnd() % NPART], v[i], 1);
	pb_qs_init(&merged);
	pb_qs_init(&reversed);
	for (k = 0; k < NPART; k++) {
		pb_qs_merge(&merged, &part[k]);
		pb_qs_merge(&reversed, &part[NPART - 1 - k]);
	}
	assert_same(&whole, &merged);
	assert_same(&whole, &reversed);
	assert_int_equal(pb_qs_quantile(&whole, 9, 10, &a), 0);
	assert_int_equal(pb_qs_quantile(&merged, 9, 10, &b), 0);
	assert_int_equal(a, b);
	/* merging an empty sketch changes nothing */
	pb_qs_fini(&part[0]);
	pb_qs_init(&part[0]);
	pb_qs_merge(&merged, &part[0]);
	assert_same(&whole, &merged);
	for (k = 0; k < NPART; k++)
		pb_qs_fini(&part[k]);
	pb_qs_fini(&whole);
	pb_qs_fini(&merged);
	pb_qs_fini(&reversed);
}

/* Small sketches keep their values (exact quantiles); merged past
 * PB_QS_EXACT values they count in buckets, as one fed every value
 * does, whatever the split. */
static void test_exact_then_buckets(void **state)
{
	static const size_t totals[] = {PB_QS_EXACT, PB_QS_EXACT + 1, 200};
	size_t t, i, split;

	(void)state;
	for (t = 0; t < N(totals); t++)
		for (split = 1; split < totals[t]; split += 17) {
			struct pb_qsketch whole, a, b;
			int64_t x, y;

			pb_qs_init(&whole);
			pb_qs_init(&a);
			pb_qs_init(&b);
			for (i = 0; i < totals[t]; i++) {
				int64_t v = 1000 + (int64_t)(rnd() % 100000);

				pb_qs_add(&whole, v, 1);
				pb_qs_add(i < split ? &a : &b, v, 1);
			}
			pb_qs_merge(&a, &b);
			assert_int_equal(a.bucketed, totals[t] > PB_QS_EXACT);
			assert_int_equal(whole.bucketed, a.bucketed);
			if (a.bucketed)
				assert_same(&whole, &a);
			assert_int_equal(pb_qs_quantile(&whole, 1, 2, &x), 0);
			assert_int_equal(pb_qs_quantile(&a, 1, 2, &y), 0);
			assert_int_equal(x, y);
			assert_int_equal(pb_qs_quantile(&whole, 9, 10, &x), 0);
			assert_int_equal(pb_qs_quantile(&a, 9, 10, &y), 0);
			assert_int_equal(x, y);
			pb_qs_fini(&whole);
			pb_qs_fini(&a);
			pb_qs_fini(&b);
		}
}

/* Up to PB_QS_EXACT values, quantiles are the values themselves. */
static void test_small_is_exact(void **state)
{
	struct pb_qsketch q;
	int64_t got;

	(void)state;
	pb_qs_init(&q);
	pb_qs_add(&q, 17525, 1);
	pb_qs_add(&q, 15000, 1);
	pb_qs_add(&q, 21050, 1);
	assert_int_equal(pb_qs_quantile(&q, 1, 2, &got), 0);
	assert_int_equal(got, 17525);   /* a bucket would say 17471 */
	pb_qs_bucket(&q);
	assert_int_equal(pb_qs_quantile(&q, 1, 2, &got), 0);
	assert_int_equal(got, 17471);
	pb_qs_fini(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_error_bound),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_small_exact),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_exact_then_buckets),
		cmocka_unit_test(test_small_is_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
