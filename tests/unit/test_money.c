/*
 * test_money.c - whole numbers, money in pence, checked arithmetic,
 * rounding and percentages in tenths (lib/money.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pb.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

/* Compare a whole struct pb_error, naming the case on a mismatch. */
static void check_error(const char *what, const struct pb_error *e,
			int code, const char *file, long line,
			const char *field, const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 ||
	    e->line != line || strcmp(e->field, field) != 0 ||
	    e->key[0] != '\0' || strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n"
			 "  want code %d file '%s' line %ld field '%s' key '' "
			 "text '%s'\n"
			 "  got  code %d file '%s' line %ld field '%s' key '%s' "
			 "text '%s'",
			 what, code, file, line, field, text, e->code, e->file,
			 e->line, e->field, e->key, e->text);
}

/* ---- pb_strtonum --------------------------------------------------- */

static void test_strtonum(void **state)
{
	static const struct {
		const char *s;
		int64_t min, max;
		int rc;
		int64_t v;
		const char *text;
	} t[] = {
		{"0", 0, 10, 0, 0, NULL},
		{"10", 0, 10, 0, 10, NULL},
		{"7", 0, 10, 0, 7, NULL},
		{" 7 ", 0, 10, 0, 7, NULL},
		{"\t7\t", 0, 10, 0, 7, NULL},
		{"+7", 0, 10, 0, 7, NULL},
		{"-0", 0, 10, 0, 0, NULL},
		{"007", 0, 10, 0, 7, NULL},
		{"-7", -10, 10, 0, -7, NULL},
		{"-10", -10, -6, 0, -10, NULL},
		{"-6", -10, -6, 0, -6, NULL},
		{"11", 0, 10, -PB_EDATA, 0, "too large '11' (at most 10)"},
		{" 11 ", 0, 10, -PB_EDATA, 0, "too large ' 11 ' (at most 10)"},
		{"-1", 0, 10, -PB_EDATA, 0, "too small '-1' (at least 0)"},
		{"5", 6, 10, -PB_EDATA, 0, "too small '5' (at least 6)"},
		{"-5", -10, -6, -PB_EDATA, 0, "too large '-5' (at most -6)"},
		{"-11", -10, -6, -PB_EDATA, 0, "too small '-11' (at least -10)"},
		/* the int64_t limits */
		{"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX, NULL},
		{"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN, NULL},
		{"-9223372036854775807", INT64_MIN, INT64_MAX, 0, -INT64_MAX, NULL},
		{"9223372036854775808", INT64_MIN, INT64_MAX, -PB_EDATA, 0,
		 "too large '9223372036854775808' (at most 9223372036854775807)"},
		{"-9223372036854775809", INT64_MIN, INT64_MAX, -PB_EDATA, 0,
		 "too small '-9223372036854775809' (at least -9223372036854775808)"},
		{"18446744073709551615", INT64_MIN, INT64_MAX, -PB_EDATA, 0,
		 "too large '18446744073709551615' (at most 9223372036854775807)"},
		/* 2^64 and beyond must not wrap round to small numbers */
		{"18446744073709551616", INT64_MIN, INT64_MAX, -PB_EDATA, 0,
		 "too large '18446744073709551616' (at most 9223372036854775807)"},
		{"18446744073709551617", 0, 10, -PB_EDATA, 0,
		 "too large '18446744073709551617' (at most 10)"},
		{"-18446744073709551616", INT64_MIN, INT64_MAX, -PB_EDATA, 0,
		 "too small '-18446744073709551616' (at least -9223372036854775808)"},
		{"99999999999999999999999999999", 0, 10, -PB_EDATA, 0,
		 "too large '99999999999999999999999999999' (at most 10)"},
		{"-99999999999999999999999999999", 0, 10, -PB_EDATA, 0,
		 "too small '-99999999999999999999999999999' (at least 0)"},
		/* not numbers */
		{"", 0, 10, -PB_EDATA, 0, "not a whole number ''"},
		{" ", 0, 10, -PB_EDATA, 0, "not a whole number ' '"},
		{"+", 0, 10, -PB_EDATA, 0, "not a whole number '+'"},
		{"-", 0, 10, -PB_EDATA, 0, "not a whole number '-'"},
		{" - ", 0, 10, -PB_EDATA, 0, "not a whole number ' - '"},
		{"--1", -10, 10, -PB_EDATA, 0, "not a whole number '--1'"},
		{"+-1", -10, 10, -PB_EDATA, 0, "not a whole number '+-1'"},
		{"- 1", -10, 10, -PB_EDATA, 0, "not a whole number '- 1'"},
		{"1 2", 0, 100, -PB_EDATA, 0, "not a whole number '1 2'"},
		{"1.5", 0, 10, -PB_EDATA, 0, "not a whole number '1.5'"},
		{"1.0", 0, 10, -PB_EDATA, 0, "not a whole number '1.0'"},
		{"1e3", 0, 10000, -PB_EDATA, 0, "not a whole number '1e3'"},
		{"0x10", 0, 100, -PB_EDATA, 0, "not a whole number '0x10'"},
		{"12a", 0, 100, -PB_EDATA, 0, "not a whole number '12a'"},
		{"a12", 0, 100, -PB_EDATA, 0, "not a whole number 'a12'"},
		{"1,000", 0, 10000, -PB_EDATA, 0, "not a whole number '1,000'"},
		{"5-", 0, 10, -PB_EDATA, 0, "not a whole number '5-'"},
		{"1\n", 0, 10, -PB_EDATA, 0, "not a whole number '1\\n'"},
		{"\xc2\xa3" "5", 0, 10, -PB_EDATA, 0,
		 "not a whole number '\xc2\xa3" "5'"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t v = 12345;
		int rc;

		pb_error_clear(&e);
		rc = pb_strtonum(t[i].s, strlen(t[i].s), t[i].min, t[i].max,
				 &v, &e);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d, want %d (%s)", t[i].s, rc,
				 t[i].rc, e.text);
		if (rc == 0) {
			if (v != t[i].v)
				fail_msg("'%s': %lld, want %lld", t[i].s,
					 (long long)v, (long long)t[i].v);
		} else {
			check_error(t[i].s, &e, PB_EDATA, "", 0, "", t[i].text);
		}
	}
}

static void test_strtonum_len(void **state)
{
	int64_t v = -1;
	struct pb_error e;

	(void)state;
	/* Only len bytes are read: what follows is not part of the value. */
	assert_int_equal(pb_strtonum("12x", 2, 0, 100, &v, &e), 0);
	assert_int_equal(v, 12);
	assert_int_equal(pb_strtonum("123456", 3, 0, 1000, &v, &e), 0);
	assert_int_equal(v, 123);
	assert_int_equal(pb_strtonum("7\0" "9", 3, 0, 1000, &v, &e), -PB_EDATA);
	assert_string_equal(e.text, "not a whole number '7\\x009'");
	/* A NULL error is allowed. */
	assert_int_equal(pb_strtonum("x", 1, 0, 1, &v, NULL), -PB_EDATA);
	assert_int_equal(pb_strtonum("2", 1, 0, 1, &v, NULL), -PB_EDATA);
}

/* ---- pb_money_parse ------------------------------------------------ */

#define POUND "\xc2\xa3"

static void test_money_parse_good(void **state)
{
	static const struct {
		const char *s;
		int64_t pence;
	} t[] = {
		{"1234.56", 123456},
		{POUND "1,234.56", 123456},
		{"1,234", 123400},
		{"-12.5", -1250},
		{"0.05", 5},
		{"12", 1200},
		{"-" POUND "12.50", -1250},
		{POUND "-12.50", -1250},
		{"-" POUND "3", -300},
		{"  12.50  ", 1250},
		{"\t" POUND "3\t", 300},
		{" -" POUND "1,000 ", -100000},
		{"0", 0},
		{"-0", 0},
		{"0.00", 0},
		{"-0.00", 0},
		{"0.5", 50},
		{"1.5", 150},
		{"1.50", 150},
		{"007.10", 710},
		{POUND "0.01", 1},
		{"-0.01", -1},
		{"999", 99900},
		{"1000", 100000},
		{"12,345", 1234500},
		{"123,456", 12345600},
		{"1,234,567.89", 123456789},
		{"1234567.89", 123456789},
		/* the largest amounts accepted */
		{"90000000000000", INT64_C(9000000000000000)},
		{"90000000000000.00", PB_MONEY_MAX},
		{POUND "90,000,000,000,000.00", PB_MONEY_MAX},
		{"-90000000000000.00", -PB_MONEY_MAX},
		{"-" POUND "90,000,000,000,000", -PB_MONEY_MAX},
		{"89999999999999.99", PB_MONEY_MAX - 1},
		{"0090000000000000.00", PB_MONEY_MAX},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t v = 12345;
		int rc = pb_money_parse(t[i].s, strlen(t[i].s), &v, &e);

		if (rc != 0)
			fail_msg("'%s' rejected: %s", t[i].s, e.text);
		if (v != t[i].pence)
			fail_msg("'%s' gave %lld, want %lld", t[i].s,
				 (long long)v, (long long)t[i].pence);
	}
}

static void test_money_parse_bad(void **state)
{
	static const char *const sep =
		"thousands separators must group three digits";
	static const char *const big =
		"beyond the largest amount, 90,000,000,000,000.00";
	static const char *const stray =
		"only digits, '-', '" POUND "', ',' and '.' may appear";
	static const struct {
		const char *s;
		const char *why;
	} t[] = {
		{"12.345", "more than two decimal places"},
		{"0.001", "more than two decimal places"},
		{"1,234.567", "more than two decimal places"},
		{"1e3", "exponents are not money"},
		{"1E3", "exponents are not money"},
		{"1.5e2", "exponents are not money"},
		{"12,34", sep},
		{"0,5", sep},
		{"1,2345", sep},
		{",123", sep},
		{"1234,567", sep},
		{"1,234,56", sep},
		{"1,23.00", sep},
		{"12,3456.00", sep},
		{"1,,234", sep},
		{"1,", sep},
		{POUND, "no digits"},
		{"", "no digits"},
		{"   ", "no digits"},
		{"-", "no digits"},
		{"-" POUND, "no digits"},
		{POUND "-", "no digits"},
		{"--1", "more than one minus sign"},
		{"-" POUND "-1", "more than one minus sign"},
		{"+5", "a plus sign is not allowed"},
		{POUND "+5", "a plus sign is not allowed"},
		{"12-", "a sign must come first"},
		{"1-2", "a sign must come first"},
		{"12+", "a sign must come first"},
		{"1.-5", "a sign must come first"},
		{"1.2.3", "more than one decimal point"},
		{"1..2", "more than one decimal point"},
		{"12.", "no digits after the decimal point"},
		{"1,234.", "no digits after the decimal point"},
		{".5", "no digits before the decimal point"},
		{"-.5", "no digits before the decimal point"},
		{POUND ".50", "no digits before the decimal point"},
		{".", "no digits before the decimal point"},
		{"12a", stray},
		{"abc", stray},
		{"$12", stray},
		{"12 34", stray},
		{POUND " 12", stray},
		{"- 12", stray},
		{"12" POUND, stray},
		{POUND POUND "12", stray},
		{"12\n", stray},
		{"1.2,3", stray},
		{"\xe2\x82\xac" "5", stray},
		/* beyond PB_MONEY_MAX, before and after the decimals */
		{"90000000000000.01", big},
		{"-90000000000000.01", big},
		{"90,000,000,000,001", big},
		{"100000000000000", big},
		{"99999999999999999999999999", big},
		{"-99999999999999999999999999.99", big},
		{"92233720368547758.07", big},
	};
	struct pb_error e;
	char want[PB_ERROR_TEXT], q[80];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t v = 12345;
		int rc;

		pb_error_clear(&e);
		rc = pb_money_parse(t[i].s, strlen(t[i].s), &v, &e);
		if (rc != -PB_EDATA)
			fail_msg("'%s' accepted as %lld", t[i].s, (long long)v);
		snprintf(want, sizeof want, "not a money amount '%s': %s",
			 pb_quote(q, sizeof q, t[i].s, strlen(t[i].s)), t[i].why);
		check_error(t[i].s, &e, PB_EDATA, "", 0, "", want);
	}
}

static void test_money_parse_quoting(void **state)
{
	char long_junk[100], want[PB_ERROR_TEXT];
	struct pb_error e;
	int64_t v;

	(void)state;
	/* The message quotes the value as given, spaces and all. */
	pb_error_clear(&e);
	assert_int_equal(pb_money_parse(" 12.345 ", 8, &v, &e), -PB_EDATA);
	check_error("spaces", &e, PB_EDATA, "", 0, "",
		    "not a money amount ' 12.345 ': more than two decimal places");
	/* Control characters are escaped, long values cut. */
	assert_int_equal(pb_money_parse("1\t2", 3, &v, &e), -PB_EDATA);
	assert_string_equal(e.text, "not a money amount '1\\t2': only digits, "
			    "'-', '" POUND "', ',' and '.' may appear");
	memset(long_junk, '7', sizeof long_junk);
	long_junk[0] = 'x';
	assert_int_equal(pb_money_parse(long_junk, sizeof long_junk, &v, &e),
			 -PB_EDATA);
	snprintf(want, sizeof want, "not a money amount 'x%.59s...': only "
		 "digits, '-', '" POUND "', ',' and '.' may appear", long_junk + 1);
	assert_string_equal(e.text, want);
	/* Only len bytes are read. */
	assert_int_equal(pb_money_parse("12.5x", 4, &v, &e), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(pb_money_parse("1\0" "2", 3, &v, &e), -PB_EDATA);
	assert_string_equal(e.text, "not a money amount '1\\x002': only "
			    "digits, '-', '" POUND "', ',' and '.' may appear");
	/* A NULL error is allowed. */
	assert_int_equal(pb_money_parse("1.234", 5, &v, NULL), -PB_EDATA);
}

/* ---- pb_money_format ----------------------------------------------- */

static void test_money_format(void **state)
{
	static const struct {
		int64_t pence;
		const char *plain, *display;
	} t[] = {
		{0, "0.00", POUND "0.00"},
		{1, "0.01", POUND "0.01"},
		{-1, "-0.01", "-" POUND "0.01"},
		{5, "0.05", POUND "0.05"},
		{10, "0.10", POUND "0.10"},
		{99, "0.99", POUND "0.99"},
		{100, "1.00", POUND "1.00"},
		{-1250, "-12.50", "-" POUND "12.50"},
		{99999, "999.99", POUND "999.99"},
		{-99999, "-999.99", "-" POUND "999.99"},
		{100000, "1000.00", POUND "1,000.00"},
		{123456, "1234.56", POUND "1,234.56"},
		{-123456, "-1234.56", "-" POUND "1,234.56"},
		{1234500, "12345.00", POUND "12,345.00"},
		{12345678, "123456.78", POUND "123,456.78"},
		{123456789, "1234567.89", POUND "1,234,567.89"},
		{100000000, "1000000.00", POUND "1,000,000.00"},
		{PB_MONEY_MAX, "90000000000000.00", POUND "90,000,000,000,000.00"},
		{-PB_MONEY_MAX, "-90000000000000.00",
		 "-" POUND "90,000,000,000,000.00"},
		{INT64_MAX, "92233720368547758.07",
		 POUND "92,233,720,368,547,758.07"},
		{INT64_MIN, "-92233720368547758.08",
		 "-" POUND "92,233,720,368,547,758.08"},
	};
	char buf[PB_MONEY_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		memset(buf, 'z', sizeof buf);
		assert_ptr_equal(pb_money_format(buf, t[i].pence,
						 PB_MONEY_PLAIN), buf);
		assert_string_equal(buf, t[i].plain);
		memset(buf, 'z', sizeof buf);
		assert_ptr_equal(pb_money_format(buf, t[i].pence,
						 PB_MONEY_DISPLAY), buf);
		assert_string_equal(buf, t[i].display);
	}
}

/* parse(format(v)) == v for both styles. */
static void round_trip(int64_t v)
{
	char buf[PB_MONEY_BUFSZ];
	struct pb_error e;
	int64_t back;
	int style;

	for (style = PB_MONEY_PLAIN; style <= PB_MONEY_DISPLAY; style++) {
		pb_money_format(buf, v, (enum pb_money_style)style);
		back = v + 1;
		if (pb_money_parse(buf, strlen(buf), &back, &e) != 0)
			fail_msg("%lld formatted as '%s' is rejected: %s",
				 (long long)v, buf, e.text);
		if (back != v)
			fail_msg("%lld formatted as '%s' reads back as %lld",
				 (long long)v, buf, (long long)back);
	}
}

static void test_money_round_trip(void **state)
{
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
	int64_t v, p;
	int i;

	(void)state;
	for (v = -200000; v <= 200000; v++)
		round_trip(v);
	/* Every power of ten and its neighbours, both signs. */
	for (p = 1; p <= PB_MONEY_MAX / 10; p *= 10) {
		round_trip(p);
		round_trip(p - 1);
		round_trip(p + 1);
		round_trip(-p);
		round_trip(-p + 1);
		round_trip(-p - 1);
	}
	round_trip(PB_MONEY_MAX);
	round_trip(-PB_MONEY_MAX);
	round_trip(PB_MONEY_MAX - 1);
	/* Pseudo-random amounts across the whole range. */
	for (i = 0; i < 200000; i++) {
		x = x * UINT64_C(6364136223846793005) +
		    UINT64_C(1442695040888963407);
		v = (int64_t)((x >> 11) % (2 * (uint64_t)PB_MONEY_MAX + 1)) -
		    PB_MONEY_MAX;
		round_trip(v);
		round_trip(v / 1000);
	}
}

/* ---- checked arithmetic -------------------------------------------- */

static void test_checked(void **state)
{
	static const struct {
		int64_t a, b;
		int add_rc;
		int64_t sum;
		int mul_rc;
		int64_t prod;
	} t[] = {
		{1, 2, 0, 3, 0, 2},
		{-5, 3, 0, -2, 0, -15},
		{0, 0, 0, 0, 0, 0},
		{INT64_MAX, 0, 0, INT64_MAX, 0, 0},
		{INT64_MAX, 1, -PB_EDATA, 0, 0, INT64_MAX},
		{INT64_MAX, -1, 0, INT64_MAX - 1, 0, -INT64_MAX},
		{INT64_MIN, -1, -PB_EDATA, 0, -PB_EDATA, 0},
		{INT64_MIN, 1, 0, INT64_MIN + 1, 0, INT64_MIN},
		{INT64_MIN, INT64_MAX, 0, -1, -PB_EDATA, 0},
		{INT64_MAX, INT64_MAX, -PB_EDATA, 0, -PB_EDATA, 0},
		{INT64_MIN, INT64_MIN, -PB_EDATA, 0, -PB_EDATA, 0},
		{INT64_MIN, 0, 0, INT64_MIN, 0, 0},
		{INT64_C(4294967296), INT64_C(2147483648), 0,
		 INT64_C(6442450944), -PB_EDATA, 0},
		{INT64_C(4294967296), INT64_C(2147483647), 0,
		 INT64_C(6442450943), 0, INT64_C(9223372032559808512)},
		{INT64_C(-4294967296), INT64_C(2147483648), 0,
		 INT64_C(-2147483648), 0, INT64_MIN},
		{INT64_C(3037000499), INT64_C(3037000499), 0,
		 INT64_C(6074000998), 0, INT64_C(9223372030926249001)},
		{INT64_C(3037000500), INT64_C(3037000500), 0,
		 INT64_C(6074001000), -PB_EDATA, 0},
		{PB_MONEY_MAX, PB_MONEY_MAX, 0, 2 * PB_MONEY_MAX, -PB_EDATA, 0},
		{PB_MONEY_MAX, 1000, 0, PB_MONEY_MAX + 1000, 0,
		 PB_MONEY_MAX * 1000},
		{PB_MONEY_MAX, 1024, 0, PB_MONEY_MAX + 1024, 0,
		 PB_MONEY_MAX * 1024},
		{PB_MONEY_MAX, 1025, 0, PB_MONEY_MAX + 1025, -PB_EDATA, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t out = 42;

		if (pb_add_checked(t[i].a, t[i].b, &out) != t[i].add_rc)
			fail_msg("add %lld %lld: wrong status", (long long)t[i].a,
				 (long long)t[i].b);
		if (t[i].add_rc == 0 && out != t[i].sum)
			fail_msg("add %lld %lld = %lld", (long long)t[i].a,
				 (long long)t[i].b, (long long)out);
		if (pb_add_checked(t[i].b, t[i].a, &out) != t[i].add_rc)
			fail_msg("add %lld %lld: wrong status", (long long)t[i].b,
				 (long long)t[i].a);
		if (pb_mul_checked(t[i].a, t[i].b, &out) != t[i].mul_rc)
			fail_msg("mul %lld %lld: wrong status", (long long)t[i].a,
				 (long long)t[i].b);
		if (t[i].mul_rc == 0 && out != t[i].prod)
			fail_msg("mul %lld %lld = %lld", (long long)t[i].a,
				 (long long)t[i].b, (long long)out);
		if (pb_mul_checked(t[i].b, t[i].a, &out) != t[i].mul_rc)
			fail_msg("mul %lld %lld: wrong status", (long long)t[i].b,
				 (long long)t[i].a);
	}
}

/* ---- rounding ------------------------------------------------------ */

static void test_round_to(void **state)
{
	static const struct {
		int64_t a, step, want;
	} t[] = {
		/* step 1 changes nothing */
		{12345, 1, 12345},
		{-7, 1, -7},
		{0, 1, 0},
		{INT64_MAX, 1, INT64_MAX},
		{INT64_MIN, 1, INT64_MIN},
		/* step 2: every odd number is a half */
		{1, 2, 2},
		{-1, 2, -2},
		{3, 2, 4},
		{-3, 2, -4},
		{4, 2, 4},
		/* step 5 */
		{0, 5, 0},
		{2, 5, 0},
		{3, 5, 5},
		{7, 5, 5},
		{8, 5, 10},
		{12, 5, 10},
		{13, 5, 15},
		{-2, 5, 0},
		{-3, 5, -5},
		{-12, 5, -10},
		{-13, 5, -15},
		/* step 10: halves away from zero, not to even */
		{15, 10, 20},
		{25, 10, 30},
		{-15, 10, -20},
		{-25, 10, -30},
		{14, 10, 10},
		{-14, 10, -10},
		/* step 100: whole pounds */
		{49, 100, 0},
		{50, 100, 100},
		{149, 100, 100},
		{150, 100, 200},
		{250, 100, 300},
		{-49, 100, 0},
		{-50, 100, -100},
		{-149, 100, -100},
		{-150, 100, -200},
		{-250, 100, -300},
		{123456, 100, 123500},
		{123449, 100, 123400},
		{PB_MONEY_MAX - 50, 100, PB_MONEY_MAX},
		{-PB_MONEY_MAX + 50, 100, -PB_MONEY_MAX},
		{INT64_MAX, 100, INT64_C(9223372036854775800)},
		{INT64_MIN, 100, INT64_C(-9223372036854775800)},
		/* an odd step */
		{10, 7, 7},
		{11, 7, 14},
		{-11, 7, -14},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t got = pb_round_to(t[i].a, t[i].step);

		if (got != t[i].want)
			fail_msg("round %lld to %lld: %lld, want %lld",
				 (long long)t[i].a, (long long)t[i].step,
				 (long long)got, (long long)t[i].want);
	}
}

static void test_muldiv_round(void **state)
{
	static const struct {
		int64_t a, b, c;
		int rc;
		int64_t want;
	} t[] = {
		{10, 1, 4, 0, 3},      /* 2.5 */
		{-10, 1, 4, 0, -3},
		{10, -1, 4, 0, -3},
		{10, 1, -4, 0, -3},    /* a negative divisor */
		{-10, 1, -4, 0, 3},
		{9, 1, 4, 0, 2},       /* 2.25 */
		{11, 1, 4, 0, 3},      /* 2.75 */
		{-9, 1, 4, 0, -2},
		{-11, 1, 4, 0, -3},
		{7, 1, 2, 0, 4},
		{-7, 1, 2, 0, -4},
		{1, 1, 3, 0, 0},
		{2, 1, 3, 0, 1},
		{-1, 1, 3, 0, 0},
		{-2, 1, 3, 0, -1},
		{0, 5, 7, 0, 0},
		{5, 0, 7, 0, 0},
		{6, 7, 1, 0, 42},
		{6, 7, -1, 0, -42},
		/* 17.5% of 1234.56 = 216.048 */
		{123456, 175, 1000, 0, 21605},
		/* 1/3 of 100.00 in pence, and 2/3 */
		{10000, 1, 3, 0, 3333},
		{10000, 2, 3, 0, 6667},
		/* exact in 128 bits though a * b overflows 64 */
		{INT64_MAX, INT64_MAX, INT64_MAX, 0, INT64_MAX},
		{INT64_MAX, 2, 2, 0, INT64_MAX},
		{INT64_MIN, INT64_MIN, INT64_MIN, 0, INT64_MIN},
		{INT64_MIN, -1, -1, 0, INT64_MIN},
		{INT64_MIN, 1, INT64_MIN, 0, 1},
		{INT64_MIN, INT64_MAX, INT64_MIN, 0, INT64_MAX},
		{INT64_MAX, INT64_MIN, INT64_MAX, 0, INT64_MIN},
		{INT64_C(4611686018427387904), 4, 8, 0,
		 INT64_C(2305843009213693952)},
		{PB_MONEY_MAX, PB_MONEY_MAX, PB_MONEY_MAX, 0, PB_MONEY_MAX},
		{PB_MONEY_MAX, 999, 1000, 0, INT64_C(8991000000000000)},
		/* (2^64 - 1) / 3 is exact; / 2 rounds up to 2^63: too large */
		{INT64_C(4294967297), INT64_C(4294967295), 3, 0,
		 INT64_C(6148914691236517205)},
		{INT64_C(4294967297), INT64_C(4294967295), 2, -PB_EDATA, 0},
		/* ... but -2^63 fits */
		{INT64_C(-4294967297), INT64_C(4294967295), 2, 0, INT64_MIN},
		/* a tiny result from a huge divisor, either sign */
		{1, 1, INT64_MIN, 0, 0},
		{INT64_C(4611686018427387904), 1, INT64_MIN, 0, -1}, /* -0.5 */
		{INT64_C(4611686018427387903), 1, INT64_MIN, 0, 0},
		{1, 1, INT64_MAX, 0, 0},
		/* overflow */
		{INT64_MIN, -1, 1, -PB_EDATA, 0},
		{INT64_MIN, 1, -1, -PB_EDATA, 0},
		{INT64_MAX, INT64_MAX, 1, -PB_EDATA, 0},
		{INT64_MAX, 3, 2, -PB_EDATA, 0},
		{INT64_MAX, 2, 1, -PB_EDATA, 0},
		{INT64_MIN, INT64_MIN, 1, -PB_EDATA, 0},
		/* c == 0 */
		{1, 1, 0, -PB_EDATA, 0},
		{0, 0, 0, -PB_EDATA, 0},
		{INT64_MIN, INT64_MIN, 0, -PB_EDATA, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t out = 42;
		int rc = pb_muldiv_round(t[i].a, t[i].b, t[i].c, &out);

		if (rc != t[i].rc)
			fail_msg("%lld * %lld / %lld: status %d, want %d",
				 (long long)t[i].a, (long long)t[i].b,
				 (long long)t[i].c, rc, t[i].rc);
		if (rc == 0 && out != t[i].want)
			fail_msg("%lld * %lld / %lld = %lld, want %lld",
				 (long long)t[i].a, (long long)t[i].b,
				 (long long)t[i].c, (long long)out,
				 (long long)t[i].want);
	}
}

/* ---- percentages in tenths ----------------------------------------- */

static void test_pct_tenths(void **state)
{
	static const struct {
		int64_t num, den, want;
	} t[] = {
		{181, 400, 453},     /* 45.25 -> 45.3, half up as ASCOF does */
		{179, 400, 448},     /* 44.75 -> 44.8 */
		{0, 7, 0},
		{0, 1, 0},
		{7, 7, 1000},
		{1, 1, 1000},
		{1, 3, 333},         /* 33.33 */
		{2, 3, 667},         /* 66.67 */
		{1, 8, 125},         /* 12.5 exactly */
		{1, 16, 63},         /* 6.25 -> 6.3 */
		{1, 2000, 1},        /* 0.05 -> 0.1 */
		{1, 2001, 0},        /* 0.04998 -> 0.0 */
		{999, 1000, 999},
		{1999, 2000, 1000},  /* 99.95 -> 100.0 */
		{3999, 4000, 1000},  /* 99.975 -> 100.0 */
		{7999, 8000, 1000},  /* 99.9875 -> 100.0 */
		{1, 1999, 1},        /* 0.05003 -> 0.1 */
		{3, 2, 1500},        /* rounded counts can exceed the base */
		{123456789, 987654321, 125},
		{INT64_MAX / 1000, INT64_MAX / 1000, 1000},
		{INT64_MAX / 2000, INT64_MAX / 1000, 500},
		{5, 0, 0},           /* never divides by zero */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t got = pb_pct_tenths(t[i].num, t[i].den);

		if (got != t[i].want)
			fail_msg("%lld / %lld: %lld tenths, want %lld",
				 (long long)t[i].num, (long long)t[i].den,
				 (long long)got, (long long)t[i].want);
	}
}

static void test_tenths_format(void **state)
{
	static const struct {
		int64_t v;
		const char *s;
	} t[] = {
		{0, "0.0"},
		{5, "0.5"},
		{7, "0.7"},
		{10, "1.0"},
		{453, "45.3"},
		{1000, "100.0"},
		{12345, "1234.5"},
		{-5, "-0.5"},
		{-10, "-1.0"},
		{-453, "-45.3"},
		{INT64_MAX, "922337203685477580.7"},
		{INT64_MIN, "-922337203685477580.8"},
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		memset(buf, 'z', sizeof buf);
		assert_ptr_equal(pb_tenths_format(buf, t[i].v), buf);
		assert_string_equal(buf, t[i].s);
	}
}

static void test_tenths_parse(void **state)
{
	static const struct {
		const char *s;
		int64_t min, max;
		int rc;
		int64_t v;
		const char *text;
	} t[] = {
		{"70", 0, 1000, 0, 700, NULL},
		{"72.5", 0, 1000, 0, 725, NULL},
		{"72.5%", 0, 1000, 0, 725, NULL},
		{"70%", 0, 1000, 0, 700, NULL},
		{" 45.3 ", 0, 1000, 0, 453, NULL},
		{"\t45.3%\t", 0, 1000, 0, 453, NULL},
		{"0", 0, 1000, 0, 0, NULL},
		{"0.0", 0, 1000, 0, 0, NULL},
		{"0.5", 0, 1000, 0, 5, NULL},
		{"100", 0, 1000, 0, 1000, NULL},
		{"100.0", 0, 1000, 0, 1000, NULL},
		{"007.5", 0, 1000, 0, 75, NULL},
		{"-0.5", -1000, 1000, 0, -5, NULL},
		{"-12", -1000, 1000, 0, -120, NULL},
		{"-0", 0, 1000, 0, 0, NULL},
		{"100.1", 0, 1000, -PB_EDATA, 0,
		 "out of range '100.1' (from 0.0 to 100.0)"},
		{"-1", 0, 1000, -PB_EDATA, 0,
		 "out of range '-1' (from 0.0 to 100.0)"},
		{"-0.1", 0, 1000, -PB_EDATA, 0,
		 "out of range '-0.1' (from 0.0 to 100.0)"},
		{"5", 100, 900, -PB_EDATA, 0,
		 "out of range '5' (from 10.0 to 90.0)"},
		{"-50.5", -500, 500, -PB_EDATA, 0,
		 "out of range '-50.5' (from -50.0 to 50.0)"},
		{"72.55", 0, 1000, -PB_EDATA, 0,
		 "more than one decimal place '72.55'"},
		{"1.00", 0, 1000, -PB_EDATA, 0,
		 "more than one decimal place '1.00'"},
		{"99999999999999999999", 0, 1000, -PB_EDATA, 0,
		 "too large '99999999999999999999'"},
		{"", 0, 1000, -PB_EDATA, 0, "not a percentage ''"},
		{" ", 0, 1000, -PB_EDATA, 0, "not a percentage ' '"},
		{"%", 0, 1000, -PB_EDATA, 0, "not a percentage '%'"},
		{"-", 0, 1000, -PB_EDATA, 0, "not a percentage '-'"},
		{".5", 0, 1000, -PB_EDATA, 0, "not a percentage '.5'"},
		{"5.", 0, 1000, -PB_EDATA, 0, "not a percentage '5.'"},
		{"5.%", 0, 1000, -PB_EDATA, 0, "not a percentage '5.%'"},
		{"+5", 0, 1000, -PB_EDATA, 0, "not a percentage '+5'"},
		{"--5", -1000, 1000, -PB_EDATA, 0, "not a percentage '--5'"},
		{"abc", 0, 1000, -PB_EDATA, 0, "not a percentage 'abc'"},
		{"12a", 0, 1000, -PB_EDATA, 0, "not a percentage '12a'"},
		{"1e2", 0, 1000, -PB_EDATA, 0, "not a percentage '1e2'"},
		{"1.2.3", 0, 1000, -PB_EDATA, 0, "not a percentage '1.2.3'"},
		{"5%%", 0, 1000, -PB_EDATA, 0, "not a percentage '5%%'"},
		{"%5", 0, 1000, -PB_EDATA, 0, "not a percentage '%5'"},
		{"5-", 0, 1000, -PB_EDATA, 0, "not a percentage '5-'"},
		{"1,5", 0, 1000, -PB_EDATA, 0, "not a percentage '1,5'"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t v = 12345;
		int rc;

		pb_error_clear(&e);
		rc = pb_tenths_parse(t[i].s, strlen(t[i].s), t[i].min,
				     t[i].max, &v, &e);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d, want %d (%s)", t[i].s, rc,
				 t[i].rc, e.text);
		if (rc == 0) {
			if (v != t[i].v)
				fail_msg("'%s': %lld, want %lld", t[i].s,
					 (long long)v, (long long)t[i].v);
		} else {
			check_error(t[i].s, &e, PB_EDATA, "", 0, "", t[i].text);
		}
	}
}

/* format then parse gives the same tenths */
static void test_tenths_round_trip(void **state)
{
	char buf[32];
	struct pb_error e;
	int64_t v, back;

	(void)state;
	for (v = -20000; v <= 20000; v++) {
		pb_tenths_format(buf, v);
		back = v + 1;
		if (pb_tenths_parse(buf, strlen(buf), -20000, 20000, &back,
				    &e) != 0 || back != v)
			fail_msg("%lld -> '%s' -> %lld", (long long)v, buf,
				 (long long)back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strtonum),
		cmocka_unit_test(test_strtonum_len),
		cmocka_unit_test(test_money_parse_good),
		cmocka_unit_test(test_money_parse_bad),
		cmocka_unit_test(test_money_parse_quoting),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_money_round_trip),
		cmocka_unit_test(test_checked),
		cmocka_unit_test(test_round_to),
		cmocka_unit_test(test_muldiv_round),
		cmocka_unit_test(test_pct_tenths),
		cmocka_unit_test(test_tenths_format),
		cmocka_unit_test(test_tenths_parse),
		cmocka_unit_test(test_tenths_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
