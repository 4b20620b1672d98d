/*
 * test_date.c - calendar dates as days since 1970-01-01 (lib/date.c):
 * parsing both forms against the real calendar, every day from 1000 to
 * 9999 round trip, month arithmetic, period ends and ages.
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

/* The day number of y-m-d, which must be a real date. */
static int32_t ymd(int y, int m, int d)
{
	int32_t day = INT32_MIN;

	if (pb_date_from_ymd(y, m, d, &day) != 0)
		fail_msg("%04d-%02d-%02d is not a date", y, m, d);
	return day;
}

static void test_known_days(void **state)
{
	static const struct {
		int y, m, d;
		int32_t day;
	} t[] = {
		{1970, 1, 1, 0},
		{1969, 12, 31, -1},
		{1970, 1, 2, 1},
		{2000, 1, 1, 10957},
		{2000, 3, 1, 11017},
		{2024, 2, 29, 19782},
		{2026, 4, 30, 20573},
		{1900, 1, 1, -25567},
		{1000, 1, 1, -354285},
		{9999, 12, 31, 2932896},
	};
	char buf[PB_DATE_BUFSZ], want[48];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int y, m, d;

		assert_int_equal(ymd(t[i].y, t[i].m, t[i].d), t[i].day);
		pb_date_to_ymd(t[i].day, &y, &m, &d);
		assert_int_equal(y, t[i].y);
		assert_int_equal(m, t[i].m);
		assert_int_equal(d, t[i].d);
		snprintf(want, sizeof want, "%04d-%02d-%02d", t[i].y, t[i].m,
			 t[i].d);
		assert_ptr_equal(pb_date_format(buf, t[i].day), buf);
		assert_string_equal(buf, want);
	}
}

static void test_calendar(void **state)
{
	static const struct {
		int y, leap;
	} leap[] = {
		{2000, 1}, {2400, 1}, {2024, 1}, {1996, 1}, {1600, 1},
		{1900, 0}, {2100, 0}, {1000, 0}, {2023, 0}, {2026, 0},
		{9999, 0}, {9996, 1},
	};
	static const struct {
		int y, m, days;
	} dim[] = {
		{2026, 1, 31}, {2026, 2, 28}, {2024, 2, 29}, {2000, 2, 29},
		{1900, 2, 28}, {2026, 3, 31}, {2026, 4, 30}, {2026, 5, 31},
		{2026, 6, 30}, {2026, 7, 31}, {2026, 8, 31}, {2026, 9, 30},
		{2026, 10, 31}, {2026, 11, 30}, {2026, 12, 31},
		{2026, 0, 0}, {2026, 13, 0}, {2026, -1, 0},
	};
	static const struct {
		int y, m, d;
	} bad[] = {
		{2023, 2, 29}, {1900, 2, 29}, {2026, 4, 31}, {2026, 6, 31},
		{2026, 1, 32}, {2026, 1, 0}, {2026, 0, 1}, {2026, 13, 1},
		{999, 12, 31}, {10000, 1, 1}, {0, 1, 1}, {-1, 1, 1},
		{2026, -1, 1}, {2026, 1, -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(leap); i++)
		if (!pb_date_is_leap(leap[i].y) != !leap[i].leap)
			fail_msg("%d: leap %d", leap[i].y, leap[i].leap);
	for (i = 0; i < N(dim); i++)
		if (pb_date_days_in_month(dim[i].y, dim[i].m) != dim[i].days)
			fail_msg("%d-%d has %d days, not %d", dim[i].y,
				 dim[i].m, dim[i].days,
				 pb_date_days_in_month(dim[i].y, dim[i].m));
	for (i = 0; i < N(bad); i++) {
		int32_t day = 0;

		if (pb_date_from_ymd(bad[i].y, bad[i].m, bad[i].d, &day) !=
		    -PB_EDATA)
			fail_msg("%d-%d-%d accepted", bad[i].y, bad[i].m,
				 bad[i].d);
	}
}

static void test_parse_good(void **state)
{
	static const struct {
		const char *s;
		int y, m, d;
	} t[] = {
		{"2026-04-30", 2026, 4, 30},
		{"30/04/2026", 2026, 4, 30},
		{"1/2/2024", 2024, 2, 1},
		{"01/2/2024", 2024, 2, 1},
		{"1/02/2024", 2024, 2, 1},
		{"01/02/2024", 2024, 2, 1},
		{"29/02/2024", 2024, 2, 29},
		{"2024-02-29", 2024, 2, 29},
		{"2000-02-29", 2000, 2, 29},
		{"29/2/2000", 2000, 2, 29},
		{"1970-01-01", 1970, 1, 1},
		{"1000-01-01", 1000, 1, 1},
		{"1/1/1000", 1000, 1, 1},
		{"9999-12-31", 9999, 12, 31},
		{"31/12/9999", 9999, 12, 31},
		{" 2026-04-30 ", 2026, 4, 30},
		{"\t30/04/2026\t", 2026, 4, 30},
		{"  1/1/2026", 2026, 1, 1},
		{"30/04/2026 ", 2026, 4, 30},
		{"2026-04-30\t \t", 2026, 4, 30},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int32_t day = INT32_MIN;
		int rc = pb_date_parse(t[i].s, strlen(t[i].s), &day, &e);

		if (rc != 0)
			fail_msg("'%s' rejected: %s", t[i].s, e.text);
		if (day != ymd(t[i].y, t[i].m, t[i].d))
			fail_msg("'%s' gave day %ld", t[i].s, (long)day);
	}
}

static void test_parse_bad(void **state)
{
	static const char *const form = " (use YYYY-MM-DD or DD/MM/YYYY)";
	static const char *const years = ": the year must be from 1000 to 9999";
	static const struct {
		const char *s;
		const char *why;  /* after "not a date 'S'" */
	} t[] = {
		/* not real dates */
		{"29/02/2023", ": February 2023 has 28 days"},
		{"2023-02-29", ": February 2023 has 28 days"},
		{"1900-02-29", ": February 1900 has 28 days"},
		{"30/02/2024", ": February 2024 has 29 days"},
		{"2026-04-31", ": April 2026 has 30 days"},
		{"31/06/2026", ": June 2026 has 30 days"},
		{"31/9/2026", ": September 2026 has 30 days"},
		{"2026-11-31", ": November 2026 has 30 days"},
		{"2026-01-32", ": January 2026 has 31 days"},
		{"99/12/2026", ": December 2026 has 31 days"},
		{"2026-01-00", ": there is no day 0"},
		{"0/1/2026", ": there is no day 0"},
		{"2026-13-01", ": there is no month 13"},
		{"2026-00-01", ": there is no month 0"},
		{"1/0/2026", ": there is no month 0"},
		{"01/99/2026", ": there is no month 99"},
		/* years out of range */
		{"0000-01-01", years},
		{"0999-12-31", years},
		{"01/01/0999", years},
		{"1/1/0000", years},
		{"0000-13-45", years},
		/* not the form */
		{"99999-01-01", form},
		{"01/01/99999", form},
		{"12345-01-01", form},
		{"", form},
		{" ", form},
		{"abc", form},
		{"2026", form},
		{"2026-04", form},
		{"2026-4-30", form},
		{"2026-04-3", form},
		{"2026-04-301", form},
		{"2026/04/30", form},
		{"30-04-2026", form},
		{"30.04.2026", form},
		{"30/04/26", form},
		{"30/4/26", form},
		{"001/01/2026", form},
		{"1/001/2026", form},
		{"/01/2026", form},
		{"01//2026", form},
		{"01/01/", form},
		{"2026-04-30x", form},
		{"2026-04-30 12:00", form},
		{"2026-04-30T00:00:00", form},
		{"30/04/2026x", form},
		{"-2026-04-30", form},
		{"+2026-04-30", form},
		{"2026 -04-30", form},
		{"2026- 04-30", form},
		{"30 /04/2026", form},
		{"2026\xe2\x80\x93" "04\xe2\x80\x93" "30", form},
		{"2026-04-30\n", form},
		{"\n2026-04-30", form},
	};
	struct pb_error e;
	char want[PB_ERROR_TEXT], q[80];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int32_t day = 12345;
		int rc;

		pb_error_clear(&e);
		rc = pb_date_parse(t[i].s, strlen(t[i].s), &day, &e);
		if (rc != -PB_EDATA)
			fail_msg("'%s' accepted as day %ld", t[i].s, (long)day);
		snprintf(want, sizeof want, "not a date '%s'%s",
			 pb_quote(q, sizeof q, t[i].s, strlen(t[i].s)),
			 t[i].why);
		check_error(t[i].s, &e, PB_EDATA, "", 0, "", want);
	}
}

static void test_parse_messages(void **state)
{
	struct pb_error e;
	int32_t day;

	(void)state;
	/* Exact texts: the value is quoted as given, escaped. */
	pb_error_clear(&e);
	assert_int_equal(pb_date_parse(" 29/02/2023 ", 12, &day, &e), -PB_EDATA);
	check_error("29 Feb", &e, PB_EDATA, "", 0, "",
		    "not a date ' 29/02/2023 ': February 2023 has 28 days");
	pb_error_clear(&e);
	assert_int_equal(pb_date_parse("2026-04\n-30", 11, &day, &e), -PB_EDATA);
	check_error("newline", &e, PB_EDATA, "", 0, "",
		    "not a date '2026-04\\n-30' (use YYYY-MM-DD or DD/MM/YYYY)");
	pb_error_clear(&e);
	assert_int_equal(pb_date_parse("0999-01-01", 10, &day, &e), -PB_EDATA);
	check_error("year", &e, PB_EDATA, "", 0, "",
		    "not a date '0999-01-01': the year must be from 1000 to 9999");
	/* Only len bytes are read. */
	assert_int_equal(pb_date_parse("2026-04-30xyz", 10, &day, &e), 0);
	assert_int_equal(day, ymd(2026, 4, 30));
	assert_int_equal(pb_date_parse("1/1/2026\0" "1", 10, &day, &e),
			 -PB_EDATA);
	assert_string_equal(e.text, "not a date '1/1/2026\\x001' "
			    "(use YYYY-MM-DD or DD/MM/YYYY)");
	/* A NULL error is allowed. */
	assert_int_equal(pb_date_parse("2026-02-30", 10, &day, NULL), -PB_EDATA);
}

/*
 * Every day from 1000-01-01 to 9999-12-31: the day numbers run on by
 * one, and format, parse (both forms) and the ymd conversions agree.
 */
static void test_every_day(void **state)
{
	char buf[PB_DATE_BUFSZ], want[48], uk[48];
	int32_t expect = -354285, day;
	int y, m, d, yy, mm, dd;
	long n = 0;

	(void)state;
	for (y = PB_DATE_MIN_YEAR; y <= PB_DATE_MAX_YEAR; y++) {
		for (m = 1; m <= 12; m++) {
			int dim = pb_date_days_in_month(y, m);

			for (d = 1; d <= dim; d++, expect++, n++) {
				if (pb_date_from_ymd(y, m, d, &day) != 0 ||
				    day != expect)
					fail_msg("%04d-%02d-%02d: day %ld, "
						 "want %ld", y, m, d,
						 (long)day, (long)expect);
				pb_date_to_ymd(day, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("day %ld: %d-%d-%d",
						 (long)day, yy, mm, dd);
				snprintf(want, sizeof want, "%04d-%02d-%02d",
					 y, m, d);
				pb_date_format(buf, day);
				if (strcmp(buf, want) != 0)
					fail_msg("day %ld: '%s', want '%s'",
						 (long)day, buf, want);
				day = INT32_MIN;
				if (pb_date_parse(buf, strlen(buf), &day,
						  NULL) != 0 || day != expect)
					fail_msg("'%s' parsed as %ld", buf,
						 (long)day);
				snprintf(uk, sizeof uk, "%d/%d/%04d", d, m, y);
				day = INT32_MIN;
				if (pb_date_parse(uk, strlen(uk), &day,
						  NULL) != 0 || day != expect)
					fail_msg("'%s' parsed as %ld", uk,
						 (long)day);
			}
			/* the day after the month's end is not a date */
			if (pb_date_from_ymd(y, m, dim + 1, &day) != -PB_EDATA)
				fail_msg("%04d-%02d-%02d accepted", y, m,
					 dim + 1);
		}
	}
	assert_int_equal(expect, 2932896 + 1);
	assert_int_equal(n, 3287182); /* 9000 years of days */
}

static void test_add_months(void **state)
{
	static const struct {
		int y, m, d, months, ty, tm, td;
	} t[] = {
		{2026, 1, 31, 1, 2026, 2, 28},
		{2024, 1, 31, 1, 2024, 2, 29},
		{2026, 1, 31, 2, 2026, 3, 31},
		{2026, 1, 31, 3, 2026, 4, 30},
		{2026, 3, 31, -1, 2026, 2, 28},
		{2024, 3, 31, -1, 2024, 2, 29},
		{2026, 5, 31, 1, 2026, 6, 30},
		{2026, 8, 31, 1, 2026, 9, 30},
		{2026, 1, 15, -1, 2025, 12, 15},
		{2026, 1, 15, -13, 2024, 12, 15},
		{2026, 1, 15, -12, 2025, 1, 15},
		{2026, 1, 1, -1, 2025, 12, 1},
		{2026, 12, 31, 1, 2027, 1, 31},
		{2026, 12, 15, 12, 2027, 12, 15},
		{2026, 11, 30, 3, 2027, 2, 28},
		{2026, 12, 31, -10, 2026, 2, 28},
		{2024, 2, 29, 12, 2025, 2, 28},
		{2024, 2, 29, 48, 2028, 2, 29},
		{2024, 2, 29, -12, 2023, 2, 28},
		{2024, 2, 29, 1, 2024, 3, 29},
		{2026, 4, 15, 0, 2026, 4, 15},
		{2026, 1, 31, 0, 2026, 1, 31},
		{2026, 4, 15, 120, 2036, 4, 15},
		{2026, 4, 15, -120, 2016, 4, 15},
		{2026, 4, 15, -24, 2024, 4, 15},
		{2026, 4, 15, -25, 2024, 3, 15},
		{2026, 4, 15, -28, 2023, 12, 15},
		{2026, 3, 31, -12 * 26, 2000, 3, 31},
		{2026, 3, 31, -12 * 126 - 1, 1900, 2, 28},
		{1000, 1, 31, 1, 1000, 2, 28},
		{9999, 11, 30, 1, 9999, 12, 30},
		{1000, 12, 31, -11, 1000, 1, 31},
		{1000, 1, 1, 12 * 8999 + 11, 9999, 12, 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int32_t got = pb_date_add_months(ymd(t[i].y, t[i].m, t[i].d),
						 t[i].months);
		int32_t want = ymd(t[i].ty, t[i].tm, t[i].td);

		if (got != want) {
			char g[PB_DATE_BUFSZ], w[PB_DATE_BUFSZ];

			fail_msg("%04d-%02d-%02d %+d months: %s, want %s",
				 t[i].y, t[i].m, t[i].d, t[i].months,
				 pb_date_format(g, got), pb_date_format(w, want));
		}
	}
}

static void test_period_ends(void **state)
{
	static const struct {
		int y, m, d;
		int me[3], qe[3], fy[3];
	} t[] = {
		{2026, 1, 1, {2026, 1, 31}, {2026, 3, 31}, {2026, 3, 31}},
		{2026, 2, 10, {2026, 2, 28}, {2026, 3, 31}, {2026, 3, 31}},
		{2024, 2, 1, {2024, 2, 29}, {2024, 3, 31}, {2024, 3, 31}},
		{2024, 2, 29, {2024, 2, 29}, {2024, 3, 31}, {2024, 3, 31}},
		{2026, 3, 31, {2026, 3, 31}, {2026, 3, 31}, {2026, 3, 31}},
		{2026, 4, 1, {2026, 4, 30}, {2026, 6, 30}, {2027, 3, 31}},
		{2026, 5, 15, {2026, 5, 31}, {2026, 6, 30}, {2027, 3, 31}},
		{2026, 6, 30, {2026, 6, 30}, {2026, 6, 30}, {2027, 3, 31}},
		{2026, 7, 1, {2026, 7, 31}, {2026, 9, 30}, {2027, 3, 31}},
		{2026, 8, 31, {2026, 8, 31}, {2026, 9, 30}, {2027, 3, 31}},
		{2026, 9, 30, {2026, 9, 30}, {2026, 9, 30}, {2027, 3, 31}},
		{2026, 10, 1, {2026, 10, 31}, {2026, 12, 31}, {2027, 3, 31}},
		{2026, 11, 30, {2026, 11, 30}, {2026, 12, 31}, {2027, 3, 31}},
		{2026, 12, 31, {2026, 12, 31}, {2026, 12, 31}, {2027, 3, 31}},
		{2025, 4, 1, {2025, 4, 30}, {2025, 6, 30}, {2026, 3, 31}},
		{2025, 3, 1, {2025, 3, 31}, {2025, 3, 31}, {2025, 3, 31}},
		{1900, 2, 1, {1900, 2, 28}, {1900, 3, 31}, {1900, 3, 31}},
		{1000, 1, 1, {1000, 1, 31}, {1000, 3, 31}, {1000, 3, 31}},
		{9999, 3, 31, {9999, 3, 31}, {9999, 3, 31}, {9999, 3, 31}},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int32_t day = ymd(t[i].y, t[i].m, t[i].d);

		if (pb_date_month_end(day) != ymd(t[i].me[0], t[i].me[1], t[i].me[2]))
			fail_msg("month end of %d-%d-%d", t[i].y, t[i].m, t[i].d);
		if (pb_date_quarter_end(day) != ymd(t[i].qe[0], t[i].qe[1], t[i].qe[2]))
			fail_msg("quarter end of %d-%d-%d", t[i].y, t[i].m, t[i].d);
		if (pb_date_fy_end(day) != ymd(t[i].fy[0], t[i].fy[1], t[i].fy[2]))
			fail_msg("year end of %d-%d-%d", t[i].y, t[i].m, t[i].d);
	}
}

/* Properties of the period ends over two centuries of days. */
static void test_period_ends_every_day(void **state)
{
	int32_t day, from = ymd(1900, 1, 1), to = ymd(2100, 12, 31);

	(void)state;
	for (day = from; day <= to; day++) {
		int y, m, d, ey, em, ed, ny, nm, nd;
		int32_t me = pb_date_month_end(day);
		int32_t qe = pb_date_quarter_end(day);
		int32_t fy = pb_date_fy_end(day);

		pb_date_to_ymd(day, &y, &m, &d);
		/* month end: same month, and the next day is the 1st */
		pb_date_to_ymd(me, &ey, &em, &ed);
		pb_date_to_ymd(me + 1, &ny, &nm, &nd);
		if (ey != y || em != m || me < day || nd != 1)
			fail_msg("month end of day %ld", (long)day);
		/* quarter end: a month end in Mar/Jun/Sep/Dec, 0-2 months on */
		pb_date_to_ymd(qe, &ey, &em, &ed);
		pb_date_to_ymd(qe + 1, &ny, &nm, &nd);
		if (ey != y || em % 3 != 0 || em - m < 0 || em - m > 2 ||
		    nd != 1 || qe < day)
			fail_msg("quarter end of day %ld", (long)day);
		/* financial year end: the first 31 March on or after day */
		pb_date_to_ymd(fy, &ey, &em, &ed);
		if (em != 3 || ed != 31 || fy < day || fy - day > 365)
			fail_msg("year end of day %ld", (long)day);
	}
}

static void test_age(void **state)
{
	static const struct {
		int by, bm, bd, oy, om, od, age;
	} t[] = {
		{2000, 1, 1, 2018, 1, 1, 18},
		{2000, 1, 1, 2017, 12, 31, 17},
		/* floor(days / 365.25): a 365-day year is not yet a year */
		{2001, 3, 1, 2002, 3, 1, 0},
		{2001, 3, 1, 2002, 3, 2, 1},
		{2008, 4, 1, 2026, 3, 31, 17},
		{2008, 4, 1, 2026, 4, 1, 17},
		{2008, 4, 1, 2026, 4, 2, 18},
		{1961, 4, 30, 2026, 4, 30, 64},
		{1961, 4, 30, 2026, 5, 1, 65},
		{1960, 3, 1, 2025, 3, 1, 64},
		{1960, 3, 1, 2025, 3, 2, 65},
		{1958, 6, 15, 2026, 3, 31, 67},
		/* born on 29 February */
		{2000, 2, 29, 2001, 2, 28, 0},
		{2000, 2, 29, 2001, 3, 1, 1},
		{2000, 2, 29, 2004, 2, 28, 3},
		{2000, 2, 29, 2004, 2, 29, 4},
		{2000, 2, 29, 2018, 2, 28, 17},
		{2000, 2, 29, 2018, 3, 1, 18},
		/* the same day, and born after the day */
		{2026, 1, 1, 2026, 1, 1, 0},
		{2026, 1, 2, 2026, 1, 1, -1},
		{2027, 1, 1, 2026, 1, 1, -1},
		{2027, 1, 2, 2026, 1, 1, -2},
		{2028, 1, 1, 2026, 1, 1, -2},
		{1000, 1, 1, 9999, 12, 31, 8999},
		{9999, 12, 31, 1000, 1, 1, -9000},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int age = pb_age_years(ymd(t[i].by, t[i].bm, t[i].bd),
				       ymd(t[i].oy, t[i].om, t[i].od));

		if (age != t[i].age)
			fail_msg("born %d-%d-%d, on %d-%d-%d: %d, want %d",
				 t[i].by, t[i].bm, t[i].bd, t[i].oy, t[i].om,
				 t[i].od, age, t[i].age);
	}
}

/* floor(days / 365.25) for every difference of up to 150 years. */
static void test_age_every_difference(void **state)
{
	int32_t birth = ymd(1950, 6, 15), days;

	(void)state;
	for (days = -150 * 366; days <= 150 * 366; days++) {
		/* age <= days / 365.25 < age + 1, that is (times 4): */
		long q = 4L * days;
		int age = pb_age_years(birth, birth + days);

		if ((long)age * 1461 > q || ((long)age + 1) * 1461 <= q)
			fail_msg("%ld days: age %d", (long)days, age);
	}
}

static void test_today(void **state)
{
	int32_t today = pb_date_today();

	(void)state;
	/* Later than this test was written, and a real date. */
	assert_true(today >= ymd(2024, 1, 1));
	assert_true(today <= ymd(9999, 12, 31));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_messages),
		cmocka_unit_test(test_every_day),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_period_ends),
		cmocka_unit_test(test_period_ends_every_day),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_age_every_difference),
		cmocka_unit_test(test_today),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
