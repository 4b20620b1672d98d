/*
 * test_disclosure.c - small-number suppression and rounding as NHS
 * England publishes (lib/disclosure.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

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

static void test_nhs(void **state)
{
	static const struct {
		int64_t n;
		int supp;
		int64_t out;
	} t[] = {
		{0, 0, 0},
		{1, 1, 0}, {2, 1, 0}, {3, 1, 0}, {4, 1, 0}, {5, 1, 0},
		{6, 1, 0}, {7, 1, 0},
		{8, 0, 10}, {9, 0, 10}, {10, 0, 10}, {11, 0, 10}, {12, 0, 10},
		{13, 0, 15}, {14, 0, 15}, {15, 0, 15}, {16, 0, 15}, {17, 0, 15},
		{18, 0, 20}, {19, 0, 20}, {20, 0, 20}, {21, 0, 20}, {22, 0, 20},
		{23, 0, 25},
		{97, 0, 95}, {98, 0, 100}, {100, 0, 100}, {102, 0, 100},
		{103, 0, 105},
		{1002, 0, 1000}, {1003, 0, 1005},
		{123456, 0, 123455}, {123458, 0, 123460},
		{INT64_C(1000000000000), 0, INT64_C(1000000000000)},
		{INT64_C(1000000000003), 0, INT64_C(1000000000005)},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t out = -1;
		int supp = pb_disc_count(PB_DISC_NHS, t[i].n, &out);

		if (supp != t[i].supp)
			fail_msg("%lld: suppressed %d, want %d", (long long)t[i].n,
				 supp, t[i].supp);
		if (!supp && out != t[i].out)
			fail_msg("%lld published as %lld, want %lld",
				 (long long)t[i].n, (long long)out,
				 (long long)t[i].out);
	}
}

/* Every count: a multiple of 5 within 2 of it, never 5 itself. */
static void test_nhs_every_count(void **state)
{
	int64_t n, out;

	(void)state;
	for (n = 8; n <= 200000; n++) {
		out = -1;
		if (pb_disc_count(PB_DISC_NHS, n, &out) != 0)
			fail_msg("%lld suppressed", (long long)n);
		if (out % 5 != 0 || out - n > 2 || n - out > 2 || out < 10)
			fail_msg("%lld published as %lld", (long long)n,
				 (long long)out);
	}
}

static void test_none(void **state)
{
	static const int64_t t[] = {
		0, 1, 2, 5, 7, 8, 12, 13, 1002, 123457, INT64_MAX,
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t out = -1;

		assert_int_equal(pb_disc_count(PB_DISC_NONE, t[i], &out), 0);
		assert_int_equal(out, t[i]);
	}
}

static void test_parse(void **state)
{
	static const struct {
		const char *s;
		int rc;
		enum pb_disclosure d;
		const char *text;
	} t[] = {
		{"nhs", 0, PB_DISC_NHS, NULL},
		{"none", 0, PB_DISC_NONE, NULL},
		{"NHS", -PB_EUSAGE, 0,
		 "unknown disclosure rule 'NHS' (use nhs or none)"},
		{"", -PB_EUSAGE, 0, "unknown disclosure rule '' (use nhs or none)"},
		{"nhs ", -PB_EUSAGE, 0,
		 "unknown disclosure rule 'nhs ' (use nhs or none)"},
		{"off", -PB_EUSAGE, 0,
		 "unknown disclosure rule 'off' (use nhs or none)"},
		{"no\tne", -PB_EUSAGE, 0,
		 "unknown disclosure rule 'no\\tne' (use nhs or none)"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		enum pb_disclosure d = (enum pb_disclosure)99;
		int rc;

		pb_error_clear(&e);
		rc = pb_disclosure_parse(t[i].s, &d, &e);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d, want %d", t[i].s, rc, t[i].rc);
		if (rc == 0)
			assert_int_equal(d, t[i].d);
		else
			check_error(t[i].s, &e, PB_EUSAGE, "", 0, "", t[i].text);
	}
	assert_int_equal(pb_disclosure_parse("x", &(enum pb_disclosure){0},
					     NULL), -PB_EUSAGE);
}

static void test_notes(void **state)
{
	(void)state;
	assert_string_equal(pb_disc_note(PB_DISC_NHS),
		"disclosure control: NHS rule (counts of 1 to 7 shown as *, "
		"other counts rounded to the nearest 5, percentages from the "
		"rounded counts); --disclosure none for exact figures");
	assert_string_equal(pb_disc_note(PB_DISC_NONE),
		"disclosure control: none (exact figures, for internal use only)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nhs),
		cmocka_unit_test(test_nhs_every_count),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
