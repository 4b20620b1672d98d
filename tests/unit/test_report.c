/*
 * test_report.c - what the reports share (lib/report.c): report names,
 * periods (--every) and their ends, and the options a report refuses,
 * with whole errors.
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

#define N(t) (sizeof(t) / sizeof((t)[0]))

static void check_error(const char *what, const struct pb_error *e, int code,
			const char *text)
{
	if (e->code != code || e->file[0] || e->line || e->field[0] ||
	    e->key[0] || strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n  want code %d text '%s'\n"
			 "  got  code %d file '%s' line %ld field '%s' text '%s'",
			 what, code, text, e->code, e->file, e->line, e->field,
			 e->text);
}

static int32_t day(const char *s)
{
	int32_t d;

	assert_int_equal(pb_date_parse(s, strlen(s), &d, NULL), 0);
	return d;
}

static void test_names(void **state)
{
	static const char *const names[] = {
		"takeup", "trend", "mix", "cost", "funnel", "outcomes", "spend"
	};
	enum pb_report_kind k;
	size_t i;

	(void)state;
	for (i = 0; i < N(names); i++) {
		assert_int_equal(pb_report_kind_parse(names[i], &k), 0);
		assert_int_equal(k, (enum pb_report_kind)i);
		assert_string_equal(pb_report_name(k), names[i]);
	}
	assert_int_equal(pb_report_kind_parse("merge", &k), -1);
	assert_int_equal(pb_report_kind_parse("Takeup", &k), -1);
	assert_null(pb_report_name(PB_R_NKIND));
}

static void test_periods(void **state)
{
	static const struct {
		const char *from, *to;
		enum pb_every ev;
		const char *ends;   /* space-separated, or an error */
		int rc;
	} t[] = {
		{"2025-04-01", "2025-07-15", PB_EVERY_MONTH,
		 "2025-04-30 2025-05-31 2025-06-30", 0},
		{"2024-01-31", "2024-03-31", PB_EVERY_MONTH,
		 "2024-01-31 2024-02-29 2024-03-31", 0},
		{"2025-02-01", "2025-02-28", PB_EVERY_MONTH, "2025-02-28", 0},
		{"2025-01-01", "2025-12-31", PB_EVERY_QUARTER,
		 "2025-03-31 2025-06-30 2025-09-30 2025-12-31", 0},
		/* financial years end on 31 March */
		{"2023-04-01", "2026-03-31", PB_EVERY_YEAR,
		 "2024-03-31 2025-03-31 2026-03-31", 0},
		{"2025-04-01", "2025-04-29", PB_EVERY_MONTH,
		 "no month end from 2025-04-01 to 2025-04-29", -PB_EUSAGE},
		{"2025-04-01", "2026-03-30", PB_EVERY_YEAR,
		 "no year end from 2025-04-01 to 2026-03-30", -PB_EUSAGE},
		{"2025-05-01", "2025-04-01", PB_EVERY_MONTH,
		 "--to 2025-04-01 is before --from 2025-05-01", -PB_EUSAGE},
		{"1900-01-01", "2026-03-31", PB_EVERY_MONTH,
		 "more than 1200 period ends from 1900-01-01 to 2026-03-31",
		 -PB_EUSAGE},
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int32_t *ends = NULL;
		size_t n = 0;
		struct pb_error e;
		char got[256] = "", date[PB_DATE_BUFSZ];
		int rc;

		pb_error_clear(&e);
		rc = pb_period_ends(day(t[i].from), day(t[i].to), t[i].ev, &ends,
				    &n, &e);
		assert_int_equal(rc, t[i].rc);
		if (rc < 0) {
			check_error(t[i].from, &e, PB_EUSAGE, t[i].ends);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (k)
				strcat(got, " ");
			strcat(got, pb_date_format(date, ends[k]));
		}
		assert_string_equal(got, t[i].ends);
		free(ends);
	}
}

static void test_every(void **state)
{
	enum pb_every ev;
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_every_parse("quarter", &ev, &e), 0);
	assert_int_equal(ev, PB_EVERY_QUARTER);
	assert_string_equal(pb_every_name(PB_EVERY_YEAR), "year");
	pb_error_clear(&e);
	assert_int_equal(pb_every_parse("week", &ev, &e), -PB_EUSAGE);
	check_error("week", &e, PB_EUSAGE,
		    "--every: unknown period 'week' (use month, quarter or year)");
}

static void test_refused(void **state)
{
	static const char *const mech[] = {"delivery_mechanism"};
	struct pb_report_opts o;
	struct pb_report *r;
	struct pb_error e;

	(void)state;
	memset(&o, 0, sizeof o);
	o.kind = PB_R_TREND;
	o.by = mech + 0;
	o.nby = 0;
	pb_error_clear(&e);
	assert_null(pb_report_new(&o, &e));
	check_error("trend", &e, PB_EUSAGE, "trend needs --from and --to");

	o.kind = PB_R_COST;
	o.by = mech;
	o.nby = 1;
	pb_error_clear(&e);
	assert_null(pb_report_new(&o, &e));
	check_error("cost", &e, PB_EUSAGE,
		    "--by: cost cannot be grouped by delivery_mechanism: it has a row for each");

	/* spend and outcomes group people by any of their columns */
	o.kind = PB_R_SPEND;
	r = pb_report_new(&o, &e);
	assert_non_null(r);
	assert_true(pb_report_wants_people(r));
	assert_int_equal(pb_report_opts(r)->nby, 1);
	pb_report_free(r);
	o.kind = PB_R_MIX;
	o.nby = 0;
	r = pb_report_new(&o, &e);
	assert_non_null(r);
	assert_false(pb_report_wants_people(r));
	pb_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_every),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
