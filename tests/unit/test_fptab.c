/* test_fptab.c - the fingerprint table: adding, finding, growing past
 * millions of slots' worth of keys, the all-zero key, iteration and the
 * sorted order partial states rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pb.h"

struct entry {
	struct pb_fp key;
	int64_t n;
};

static struct pb_fp key_of(uint64_t i)
{
	return pb_fingerprint(&i, sizeof i);
}

static void test_add_find_grow(void **state)
{
	enum { N = 200000 };
	struct pb_fptab t;
	struct entry *x;
	size_t i, seen = 0;
	int added;

	(void)state;
	pb_fptab_init(&t, sizeof(struct entry));
	for (i = 0; i < N; i++) {
		x = pb_fptab_get(&t, key_of(i), &added);
		assert_int_equal(added, 1);
		assert_int_equal(x->n, 0);
		x->n = (int64_t)i + 1;
	}
	assert_int_equal(t.count, N);
	assert_true(t.count * 10 <= t.nslot * 7);
	/* again: found, not added, values kept through every growth */
	for (i = 0; i < N; i += 7) {
		x = pb_fptab_get(&t, key_of(i), &added);
		assert_int_equal(added, 0);
		assert_int_equal(x->n, (int64_t)i + 1);
		x = pb_fptab_find(&t, key_of(i));
		assert_non_null(x);
		assert_int_equal(x->n, (int64_t)i + 1);
	}
	assert_null(pb_fptab_find(&t, key_of(N + 1)));
	assert_int_equal(t.count, N);
	i = 0;
	while ((x = pb_fptab_next(&t, &i)))
		seen++;
	assert_int_equal(seen, N);
	pb_fptab_fini(&t);
}

static void test_zero_key(void **state)
{
	struct pb_fptab t;
	struct pb_fp zero = {0, 0}, one = {0, 1};
	struct entry *x, *y;
	int added;

	(void)state;
	pb_fptab_init(&t, sizeof(struct entry));
	x = pb_fptab_get(&t, zero, &added);
	assert_int_equal(added, 1);
	x->n = 42;
	/* stored as {0, 1}: found under either, never lost as "free" */
	assert_int_equal(x->key.hi, 0);
	assert_int_equal(x->key.lo, 1);
	y = pb_fptab_find(&t, zero);
	assert_ptr_equal(x, y);
	y = pb_fptab_get(&t, one, &added);
	assert_int_equal(added, 0);
	assert_int_equal(y->n, 42);
	assert_int_equal(t.count, 1);
	pb_fptab_fini(&t);
}

static void test_sorted(void **state)
{
	struct pb_fptab a, b;
	void **oa, **ob;
	size_t i;
	int added;

	(void)state;
	/* the same keys added in opposite orders sort the same */
	pb_fptab_init(&a, sizeof(struct entry));
	pb_fptab_init(&b, sizeof(struct entry));
	for (i = 0; i < 5000; i++) {
		pb_fptab_get(&a, key_of(i), &added);
		pb_fptab_get(&b, key_of(4999 - i), &added);
	}
	oa = pb_fptab_sorted(&a);
	ob = pb_fptab_sorted(&b);
	for (i = 0; i < 5000; i++) {
		const struct pb_fp *x = oa[i], *y = ob[i];

		assert_true(x->hi == y->hi && x->lo == y->lo);
		if (i) {
			const struct pb_fp *p = oa[i - 1];

			assert_true(p->hi < x->hi ||
				    (p->hi == x->hi && p->lo < x->lo));
		}
	}
	free(oa);
	free(ob);
	pb_fptab_fini(&a);
	pb_fptab_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_grow),
		cmocka_unit_test(test_zero_key),
		cmocka_unit_test(test_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
