/*
 * test_rtable.c - the report table (lib/rtable.c): the disclosure rule
 * cell by cell, secondary suppression along rows and down to a total
 * row, percentages from published counts, guarded money, target and
 * meets_target, hidden and linked cells, and the writer's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

enum { G, PEOPLE, PB, PB_PCT, DP, MANAGED, MEAN, HIDDEN, MEDIAN, TARGET,
       MEETS, NCOL };
static const struct pb_rcol cols[NCOL] = {
	{"group", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"pb", PB_RC_COUNT, -1, -1, 0},
	{"pb_pct", PB_RC_PCT, PB, PEOPLE, 0},
	{"dp", PB_RC_COUNT, -1, -1, 0},
	{"managed", PB_RC_COUNT, -1, -1, 0},
	{"mean", PB_RC_MONEY, PEOPLE, -1, 0},
	{"timed", PB_RC_COUNT, -1, -1, PB_RC_HIDDEN},
	{"median_days", PB_RC_NUM, HIDDEN, -1, 0},
	{"target_pct", PB_RC_TARGET, -1, -1, 0},
	{"meets_target", PB_RC_MEETS, PB_PCT, -1, 0},
};

struct row {
	const char *group;   /* NULL: the total row */
	int64_t people, pb, dp, managed, mean, timed, median;
};

/* Build, finish and write a table as CSV; returns what was written. */
static char *run(enum pb_disclosure d, const struct row *rows, size_t n,
		 size_t *secondary)
{
	struct pb_rtab *t = pb_rtab_new(cols, NCOL, d, 700);
	int parts[2] = {DP, MANAGED};
	struct pb_writer *w;
	struct pb_error e;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	pb_rtab_sum(t, PB, parts, 2);
	for (i = 0; i < n; i++) {
		size_t r = pb_rtab_row(t, 0, rows[i].group == NULL);
		const char *g = rows[i].group ? rows[i].group : "all";

		pb_rtab_text(t, r, G, g, strlen(g));
		pb_rtab_set(t, r, PEOPLE, rows[i].people);
		pb_rtab_set(t, r, PB, rows[i].pb);
		pb_rtab_set(t, r, DP, rows[i].dp);
		pb_rtab_set(t, r, MANAGED, rows[i].managed);
		if (rows[i].mean >= 0)
			pb_rtab_set(t, r, MEAN, rows[i].mean);
		pb_rtab_set(t, r, HIDDEN, rows[i].timed);
		if (rows[i].median >= 0)
			pb_rtab_set(t, r, MEDIAN, rows[i].median);
	}
	pb_rtab_finish(t);
	pb_rtab_finish(t); /* twice changes nothing */
	*secondary = pb_rtab_secondary(t);
	w = pb_writer_new(fp, PB_FMT_CSV);
	assert_int_equal(pb_rtab_write(t, w, &e), 0);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	fclose(fp);
	pb_rtab_free(t);
	return buf;
}

#define HEAD "group,people,pb,pb_pct,dp,managed,mean,median_days,target_pct,meets_target\n"

static void test_exact(void **state)
{
	static const struct row rows[] = {
		{"a", 12, 9, 4, 5, 14950, 3, 12},
		{"b", 0, 0, 0, 0, -1, 0, -1},
		{NULL, 12, 9, 4, 5, 14950, 3, 12},
	};
	size_t sec;
	char *out = run(PB_DISC_NONE, rows, 3, &sec);

	(void)state;
	assert_string_equal(out, HEAD
		"a,12,9,75.0,4,5,149.50,12,70.0,yes\n"
		/* no people: no percentage, no target verdict */
		"b,0,0,,0,0,,,70.0,\n"
		"all,12,9,75.0,4,5,149.50,12,70.0,yes\n");
	assert_int_equal(sec, 0);
	free(out);
}

static void test_nhs(void **state)
{
	/*
	 * a: people 23 -> 25, pb 18 -> 20, dp 13 -> 15, managed 5 -> *.
	 *    The row's sum pb = dp + managed has one suppressed cell: dp
	 *    goes too (the smaller of dp and pb).  Its days are of 3
	 *    people: suppressed.
	 * b: 40, 30, 10, 20.
	 * all: 63, 48, 23, 25.  Down the columns: dp has a's suppressed
	 *    and the total shown: b's dp goes; then b's row needs one more:
	 *    managed (smaller than pb); then managed has a, b: fine.
	 */
	static const struct row rows[] = {
		{"a", 23, 18, 13, 5, 20000, 3, 40},
		{"b", 40, 30, 10, 20, 15000, 8, 21},
		{NULL, 63, 48, 23, 25, 16800, 11, 30},
	};
	size_t sec;
	char *out = run(PB_DISC_NHS, rows, 3, &sec);

	(void)state;
	assert_string_equal(out, HEAD
		"a,25,20,80.0,*,*,200.00,*,70.0,yes\n"
		"b,40,30,75.0,*,*,150.00,21,70.0,yes\n"
		"all,65,50,76.9,25,25,168.00,30,70.0,yes\n");
	assert_int_equal(sec, 3);
	free(out);
}

static void test_suppressed_denominator(void **state)
{
	/* people 1 to 7: the count, its percentages, the mean over it and
	 * meets_target are suppressed; a zero stays 0 */
	static const struct row rows[] = {
		{"a", 6, 6, 0, 6, 30000, 0, -1},
	};
	size_t sec;
	char *out = run(PB_DISC_NHS, rows, 1, &sec);

	(void)state;
	assert_string_equal(out, HEAD "a,*,*,*,0,*,*,,70.0,*\n");
	assert_int_equal(sec, 0);
	free(out);
}

static void test_same_cells(void **state)
{
	/*
	 * Two slices (categories), a group repeated in each with the same
	 * people; the total row of slice 1 makes b's people in slice 1 go
	 * (a's is suppressed); then b's people in slice 0, the same
	 * figure, goes too.
	 */
	static const struct pb_rcol c2[2] = {
		{"group", PB_RC_TEXT, -1, -1, 0},
		{"people", PB_RC_COUNT, -1, -1, 0},
	};
	struct pb_rtab *t = pb_rtab_new(c2, 2, PB_DISC_NHS, 0);
	static const int64_t v[6] = {5, 30, 5, 30, 35, 30};
	static const uint32_t slice[6] = {0, 0, 1, 1, 1, 0};
	static const int total[6] = {0, 0, 0, 0, 1, 0};
	size_t r;
	struct pb_cell cell;

	(void)state;
	for (r = 0; r < 6; r++) {
		pb_rtab_row(t, slice[r], total[r]);
		pb_rtab_set(t, r, 1, v[r]);
	}
	/* row 5 is slice 0 without a total: no sum there */
	pb_rtab_same(t, 0, 1, 2, 1);
	pb_rtab_same(t, 1, 1, 3, 1);
	pb_rtab_finish(t);
	assert_int_equal(pb_rtab_cell(t, 0, 1).kind, PB_CELL_SUPPRESSED);
	assert_int_equal(pb_rtab_cell(t, 2, 1).kind, PB_CELL_SUPPRESSED);
	assert_int_equal(pb_rtab_cell(t, 3, 1).kind, PB_CELL_SUPPRESSED);
	assert_int_equal(pb_rtab_cell(t, 1, 1).kind, PB_CELL_SUPPRESSED);
	cell = pb_rtab_cell(t, 4, 1);
	assert_int_equal(cell.kind, PB_CELL_INT);
	assert_int_equal(cell.v, 35);
	assert_int_equal(pb_rtab_cell(t, 5, 1).v, 30);
	assert_int_equal(pb_rtab_secondary(t), 2);
	assert_int_equal(pb_rtab_nrow(t), 6);
	assert_true(pb_rtab_is_total(t, 4));
	/* a cell never given a value is empty */
	cell = pb_rtab_cell(t, 0, 0);
	assert_int_equal(cell.kind, PB_CELL_EMPTY);
	pb_rtab_free(t);
}

static void test_notes_and_formats(void **state)
{
	static const struct pb_rcol c1[2] = {
		{"group", PB_RC_TEXT, -1, -1, 0},
		{"people", PB_RC_COUNT, -1, -1, 0},
	};
	struct pb_rtab *t = pb_rtab_new(c1, 2, PB_DISC_NONE, 0);
	struct pb_writer *w;
	struct pb_error e;
	char *buf = NULL;
	size_t len = 0, r;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	pb_rtab_title(t, "A title");
	pb_rtab_note(t, "note one");
	r = pb_rtab_row(t, 0, 0);
	pb_rtab_text(t, r, 0, "x|y", 3);
	pb_rtab_set(t, r, 1, 1234);
	r = pb_rtab_row(t, 0, 0);
	pb_rtab_text(t, r, 0, "", 0);
	pb_rtab_set(t, r, 1, 0);
	pb_rtab_finish(t);
	assert_string_equal(pb_rtab_get_title(t), "A title");
	assert_int_equal(pb_rtab_nnote(t), 1);
	assert_string_equal(pb_rtab_get_note(t, 0), "note one");
	w = pb_writer_new(fp, PB_FMT_MD);
	assert_int_equal(pb_rtab_write(t, w, &e), 0);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	w = pb_writer_new(fp, PB_FMT_JSON);
	assert_int_equal(pb_rtab_write(t, w, &e), 0);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	fclose(fp);
	assert_string_equal(buf,
		"## A title\n\n"
		"| group | people |\n"
		"|:---|---:|\n"
		"| x\\|y | 1,234 |\n"
		"|  | 0 |\n"
		"\nnote one\n"
		"{\"group\":\"x|y\",\"people\":1234}\n"
		"{\"group\":null,\"people\":0}\n");
	free(buf);
	pb_rtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_nhs),
		cmocka_unit_test(test_suppressed_denominator),
		cmocka_unit_test(test_same_cells),
		cmocka_unit_test(test_notes_and_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
