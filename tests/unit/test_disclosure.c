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

static void test_stat_and_name(void **state)
{
	static const struct {
		int64_t n;
		int nhs;
	} t[] = {{0, 0}, {1, 1}, {7, 1}, {8, 0}, {-1, 0}, {100, 0}};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		assert_int_equal(pb_disc_stat(PB_DISC_NHS, t[i].n), t[i].nhs);
		assert_int_equal(pb_disc_stat(PB_DISC_NONE, t[i].n), 0);
	}
	assert_string_equal(pb_disclosure_name(PB_DISC_NHS), "nhs");
	assert_string_equal(pb_disclosure_name(PB_DISC_NONE), "none");
}

/*
 * Secondary suppression: cells (true counts, and which the primary rule
 * suppressed), the sums among them (total = parts), and which cells
 * must end up suppressed.
 */
struct sums_case {
	const char *name;
	size_t ncell;
	int64_t value[12];
	const char *supp_in;      /* '1' primary, '.' shown */
	size_t nsum;
	size_t total[6];
	size_t nparts[6];
	size_t parts[24];         /* the parts of each sum, one after another */
	const char *supp_out;     /* '1' primary, '2' secondary, '.' shown */
	size_t added;
};

static const struct sums_case sums_cases[] = {
	/* a total over three groups, one of them suppressed: the smallest
	 * non-zero other group goes too, not the zero and not the total */
	{"one suppressed in a column", 4, {30, 0, 3, 12}, "..1.", 1,
	 {0}, {3}, {1, 2, 3}, "..12", 1},
	/* two suppressed already: nothing more */
	{"two suppressed", 4, {10, 4, 6, 0}, ".11.", 1, {0}, {3}, {1, 2, 3},
	 ".11.", 0},
	/* nothing suppressed: nothing more */
	{"none suppressed", 3, {20, 8, 12}, "...", 1, {0}, {2}, {1, 2}, "...",
	 0},
	/* the only other parts are zeros: the total goes */
	{"only zeros left", 4, {9, 0, 5, 0}, "..1.", 1, {0}, {3}, {1, 2, 3},
	 "2.1.", 1},
	/* ties by value: the lower index */
	{"tie", 4, {40, 10, 3, 10}, "..1.", 1, {0}, {3}, {1, 2, 3}, ".21.",
	 1},
	/* a row sum pb = dp + managed and a column of two groups with a
	 * total: managed of group A is suppressed; dp of A goes (it is in
	 * the row's sum, which needs one); then dp's column needs one: dp
	 * of B (smaller than the total); then B's row needs one: its
	 * managed; then the managed column has A and B: done.
	 *   cells: 0 pbA 1 dpA 2 mA 3 pbB 4 dpB 5 mB 6 pbT 7 dpT 8 mT */
	{"a cascade over rows and columns", 9,
	 {12, 8, 4, 30, 10, 20, 42, 18, 24}, "..1......", 6,
	 {0, 3, 6, 6, 7, 8}, {2, 2, 2, 2, 2, 2},
	 {1, 2, 4, 5, 7, 8, 0, 3, 1, 4, 2, 5},
	 ".21.22...", 3},
	/* one cell in two sums that both need one: it is preferred to a
	 * smaller cell that mends only one */
	{"a cell that mends two sums", 6, {20, 5, 15, 9, 30, 6},
	 ".1...1", 2, {0, 4}, {2, 2}, {1, 2, 2, 5}, ".12..1", 1},
};

static void test_secondary(void **state)
{
	size_t i, c, k;

	(void)state;
	for (i = 0; i < N(sums_cases); i++) {
		const struct sums_case *t = &sums_cases[i];
		unsigned char supp[12];
		size_t start[7];
		struct pb_disc_sums s;
		size_t added;
		char got[13];

		for (c = 0; c < t->ncell; c++)
			supp[c] = t->supp_in[c] == '1';
		start[0] = 0;
		for (k = 0; k < t->nsum; k++)
			start[k + 1] = start[k] + t->nparts[k];
		s.ncell = t->ncell;
		s.value = t->value;
		s.supp = supp;
		s.nsum = t->nsum;
		s.total = t->total;
		s.start = start;
		s.parts = t->parts;
		added = pb_disc_secondary(&s);
		for (c = 0; c < t->ncell; c++)
			got[c] = supp[c] == 0 ? '.' : (char)('0' + supp[c]);
		got[t->ncell] = '\0';
		if (strcmp(got, t->supp_out) != 0 || added != t->added)
			fail_msg("case '%s': got %s (%zu added), want %s (%zu)",
				 t->name, got, added, t->supp_out, t->added);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nhs),
		cmocka_unit_test(test_nhs_every_count),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_stat_and_name),
		cmocka_unit_test(test_secondary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
