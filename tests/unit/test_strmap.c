/*
 * test_strmap.c - interned byte strings with dense ids (lib/strmap.c)
 * and the hashes under them (lib/hash.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pb.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static void test_basics(void **state)
{
	struct pb_strmap *m = pb_strmap_new();
	const char *k;
	size_t n = 99;
	int added = -1;

	(void)state;
	assert_int_equal(pb_strmap_count(m), 0);
	assert_int_equal(pb_strmap_get(m, "a", 1), -1);
	assert_int_equal(pb_strmap_intern(m, "a", 1, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(pb_strmap_intern(m, "a", 1, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(pb_strmap_intern(m, "b", 1, &added), 1);
	assert_int_equal(added, 1);
	assert_int_equal(pb_strmap_intern(m, "ab", 2, NULL), 2);
	assert_int_equal(pb_strmap_intern(m, "b", 1, NULL), 1);
	assert_int_equal(pb_strmap_count(m), 3);
	assert_int_equal(pb_strmap_get(m, "a", 1), 0);
	assert_int_equal(pb_strmap_get(m, "b", 1), 1);
	assert_int_equal(pb_strmap_get(m, "ab", 2), 2);
	assert_int_equal(pb_strmap_get(m, "abc", 2), 2); /* only n bytes */
	assert_int_equal(pb_strmap_get(m, "ba", 2), -1);
	assert_int_equal(pb_strmap_get(m, "A", 1), -1);  /* bytes, not case */
	k = pb_strmap_key(m, 2, &n);
	assert_int_equal(n, 2);
	assert_string_equal(k, "ab");
	k = pb_strmap_key(m, 0, NULL);
	assert_string_equal(k, "a");
	pb_strmap_free(m);
	pb_strmap_free(NULL);
}

/* The empty key and keys with NUL bytes are keys like any other. */
static void test_odd_keys(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} t[] = {
		{"", 0},
		{"a", 1},
		{"a\0", 2},
		{"\0a", 2},
		{"\0", 1},
		{"\0\0", 2},
		{"a\0b", 3},
		{"a\0c", 3},
		{"\xff", 1},
		{"\xc2\xa3", 2},
		{"12345678", 8},
		{"12345678\0", 9},
		{"1234567\0", 8},
	};
	struct pb_strmap *m = pb_strmap_new();
	size_t i, n;
	int added;

	(void)state;
	for (i = 0; i < N(t); i++) {
		assert_int_equal(pb_strmap_intern(m, t[i].s, t[i].n, &added), i);
		assert_int_equal(added, 1);
	}
	assert_int_equal(pb_strmap_count(m), N(t));
	for (i = 0; i < N(t); i++) {
		const char *k;

		assert_int_equal(pb_strmap_get(m, t[i].s, t[i].n), (long)i);
		assert_int_equal(pb_strmap_intern(m, t[i].s, t[i].n, &added), i);
		assert_int_equal(added, 0);
		k = pb_strmap_key(m, i, &n);
		assert_int_equal(n, t[i].n);
		assert_memory_equal(k, t[i].s, n ? n : 1);
		assert_int_equal(k[n], '\0');  /* NUL-terminated */
	}
	pb_strmap_free(m);
}

/* 100,000 keys: dense ids in order, found again after every growth. */
static void test_many(void **state)
{
	struct pb_strmap *m = pb_strmap_new();
	const char *first, *k;
	char key[32];
	size_t i, n;
	long id;
	int added;

	(void)state;
	assert_int_equal(pb_strmap_intern(m, "key-0", 5, NULL), 0);
	first = pb_strmap_key(m, 0, NULL);
	for (i = 1; i < 100000; i++) {
		n = (size_t)snprintf(key, sizeof key, "key-%zu", i);
		assert_int_equal(pb_strmap_intern(m, key, n, &added), i);
		assert_int_equal(added, 1);
		/* everything interned so far is still there */
		if ((i & (i - 1)) == 0) {
			size_t j;

			for (j = 0; j <= i; j++) {
				n = (size_t)snprintf(key, sizeof key, "key-%zu", j);
				if (pb_strmap_get(m, key, n) != (long)j)
					fail_msg("after %zu keys, '%s' lost", i,
						 key);
			}
		}
	}
	assert_int_equal(pb_strmap_count(m), 100000);
	for (i = 0; i < 100000; i++) {
		n = (size_t)snprintf(key, sizeof key, "key-%zu", i);
		id = pb_strmap_get(m, key, n);
		if (id != (long)i)
			fail_msg("'%s' has id %ld", key, id);
		assert_int_equal(pb_strmap_intern(m, key, n, &added), i);
		assert_int_equal(added, 0);
		k = pb_strmap_key(m, i, &n);
		if (strlen(k) != n || strcmp(k, key) != 0)
			fail_msg("id %zu is '%s'", i, k);
	}
	for (i = 100000; i < 101000; i++) {
		n = (size_t)snprintf(key, sizeof key, "key-%zu", i);
		assert_int_equal(pb_strmap_get(m, key, n), -1);
	}
	assert_int_equal(pb_strmap_get(m, "key-", 4), -1);
	assert_int_equal(pb_strmap_count(m), 100000);
	/* a key stays valid until the map is freed */
	assert_string_equal(first, "key-0");
	pb_strmap_free(m);
}

/* Long keys, longer than any internal block. */
static void test_long_keys(void **state)
{
	struct pb_strmap *m = pb_strmap_new();
	size_t sizes[] = {0, 1, 7, 8, 9, 63, 64, 65, 4095, 4096, 70000, 300000};
	const char *keys[N(sizes)];
	char *buf = malloc(300001);
	size_t i, n;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < N(sizes); i++) {
		memset(buf, (int)('a' + i), sizes[i]);
		assert_int_equal(pb_strmap_intern(m, buf, sizes[i], NULL), i);
		keys[i] = pb_strmap_key(m, i, NULL);
	}
	for (i = 0; i < N(sizes); i++) {
		memset(buf, (int)('a' + i), sizes[i]);
		assert_int_equal(pb_strmap_get(m, buf, sizes[i]), (long)i);
		assert_ptr_equal(pb_strmap_key(m, i, &n), keys[i]);
		assert_int_equal(n, sizes[i]);
		if (sizes[i])
			assert_memory_equal(keys[i], buf, sizes[i]);
		assert_int_equal(keys[i][sizes[i]], '\0');
		/* one byte shorter is not the key (but "" is key 0) */
		if (sizes[i])
			assert_int_equal(pb_strmap_get(m, buf, sizes[i] - 1),
					 sizes[i] == 1 ? 0 : -1);
	}
	free(buf);
	pb_strmap_free(m);
}

/* ---- hashes -------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_fp(const void *a, const void *b)
{
	const struct pb_fp *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void test_hash_deterministic(void **state)
{
	static const char text[] = "E08000001\0P0001234 some longer key text";
	char *copy = malloc(sizeof text + 8);
	size_t n, off;

	(void)state;
	assert_non_null(copy);
	/* The same bytes at any address and alignment hash the same. */
	for (off = 0; off < 8; off++) {
		memcpy(copy + off, text, sizeof text);
		for (n = 0; n <= sizeof text; n++) {
			struct pb_fp a = pb_fingerprint(text, n);
			struct pb_fp b = pb_fingerprint(copy + off, n);

			assert_int_equal(a.hi, b.hi);
			assert_int_equal(a.lo, b.lo);
			assert_int_equal(pb_hash64(text, n, 0),
					 pb_hash64(copy + off, n, 0));
			assert_int_equal(pb_hash64(text, n, 12345),
					 pb_hash64(copy + off, n, 12345));
		}
	}
	free(copy);
}

static void test_hash_differs(void **state)
{
	static const struct {
		const char *a;
		size_t an;
		const char *b;
		size_t bn;
	} t[] = {
		{"", 0, "\0", 1},
		{"a", 1, "b", 1},
		{"a", 1, "a\0", 2},
		{"a\0", 2, "a\0\0", 3},
		{"abc", 3, "abd", 3},
		{"abc", 3, "acb", 3},
		{"12345678", 8, "12345678\0", 9},
		{"1234567", 7, "1234567\0", 8},
		{"12345678a", 9, "12345678b", 9},
		{"E08000001\0P1", 12, "E08000001P\0" "1", 12},
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1", 62,
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx2", 62},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		struct pb_fp a = pb_fingerprint(t[i].a, t[i].an);
		struct pb_fp b = pb_fingerprint(t[i].b, t[i].bn);

		if (a.hi == b.hi && a.lo == b.lo)
			fail_msg("case %zu: same fingerprint", i);
		if (pb_hash64(t[i].a, t[i].an, 0) == pb_hash64(t[i].b, t[i].bn, 0))
			fail_msg("case %zu: same hash", i);
		/* the two halves of a fingerprint are not the same hash */
		assert_true(a.hi != a.lo);
	}
	/* the seed matters */
	assert_true(pb_hash64("abc", 3, 0) != pb_hash64("abc", 3, 1));
	assert_true(pb_hash64("", 0, 0) != pb_hash64("", 0, 1));
}

/* Every single-bit change of a 40-byte key changes both hashes. */
static void test_hash_bits(void **state)
{
	unsigned char key[40], flipped[40];
	struct pb_fp base;
	uint64_t h;
	size_t bit;

	(void)state;
	memset(key, 0x5a, sizeof key);
	base = pb_fingerprint(key, sizeof key);
	h = pb_hash64(key, sizeof key, 0);
	for (bit = 0; bit < 8 * sizeof key; bit++) {
		struct pb_fp f;

		memcpy(flipped, key, sizeof key);
		flipped[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		f = pb_fingerprint(flipped, sizeof key);
		if (f.hi == base.hi || f.lo == base.lo)
			fail_msg("bit %zu: fingerprint half unchanged", bit);
		if (pb_hash64(flipped, sizeof key, 0) == h)
			fail_msg("bit %zu: hash unchanged", bit);
	}
}

/* 100,000 similar keys: no two fingerprints or 64-bit hashes alike. */
static void test_hash_many(void **state)
{
	size_t n = 100000, i;
	struct pb_fp *fp = malloc(n * sizeof *fp);
	uint64_t *h = malloc(n * sizeof *h);
	char key[32];

	(void)state;
	assert_non_null(fp);
	assert_non_null(h);
	for (i = 0; i < n; i++) {
		int len = snprintf(key, sizeof key, "E0800000%zu", i % 10);

		len += 1 + snprintf(key + len + 1, sizeof key - (size_t)len - 1,
				    "P%07zu", i / 10);
		fp[i] = pb_fingerprint(key, (size_t)len);
		h[i] = pb_hash64(key, (size_t)len, 0);
	}
	qsort(fp, n, sizeof *fp, cmp_fp);
	qsort(h, n, sizeof *h, cmp_u64);
	for (i = 1; i < n; i++) {
		if (fp[i].hi == fp[i - 1].hi && fp[i].lo == fp[i - 1].lo)
			fail_msg("two keys share a fingerprint");
		if (h[i] == h[i - 1])
			fail_msg("two keys share a 64-bit hash");
	}
	free(fp);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_odd_keys),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_long_keys),
		cmocka_unit_test(test_hash_deterministic),
		cmocka_unit_test(test_hash_differs),
		cmocka_unit_test(test_hash_bits),
		cmocka_unit_test(test_hash_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
