/* test_allocate.c - the funding config, choosing between a self and a
 * practitioner assessment, and the allocation rules: overrides, funding
 * streams that sum exactly (odd pennies), section 117, contributions,
 * payments, month-end review dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "allocate.h"
#include "codes.h"
#include "pbjson.h"

static void check_error(const struct pb_error *e, int code, const char *file,
			long line, const char *field, const char *key,
			const char *text)
{
	assert_int_equal(e->code, code);
	assert_string_equal(e->file, file);
	assert_int_equal(e->line, line);
	assert_string_equal(e->field, field);
	assert_string_equal(e->key, key);
	assert_string_equal(e->text, text);
}

static struct pb_funding *funding_of(const char *doc, struct pb_error *e)
{
	json_t *j = json_loads(doc, JSON_DECODE_ANY, NULL);
	struct pb_funding *f;

	assert_non_null(j);
	pb_error_clear(e);
	f = pb_funding_from_json(j, e);
	json_decref(j);
	return f;
}

static int32_t day(const char *s)
{
	int32_t d = 0;

	assert_int_equal(pb_date_parse(s, strlen(s), &d, NULL), 0);
	return d;
}

static void test_config(void **state)
{
	static const struct {
		const char *doc, *key, *text;
	} t[] = {
		{"\"x\"", "", "must be an object, not a string"},
		{"{}", "version", "missing"},
		{"{\"version\":1}", "version", "must be a string, not an integer"},
		{"{\"version\":\"\"}", "version", "empty: outputs carry the version"},
		{"{\"version\":\"1\",\"pay_every\":4}", "",
		 "unknown key 'pay_every' (known: name, version, payment_every_weeks, "
		 "review_after_months, default_mechanism, use)"},
		{"{\"version\":\"1\",\"payment_every_weeks\":0}", "payment_every_weeks",
		 "out of range 0 (from 1 to 52)"},
		{"{\"version\":\"1\",\"payment_every_weeks\":\"4\"}", "payment_every_weeks",
		 "must be a whole number, not a string"},
		{"{\"version\":\"1\",\"review_after_months\":13}", "review_after_months",
		 "out of range 13 (from 1 to 12)"},
		{"{\"version\":\"1\",\"default_mechanism\":\"cash\"}", "default_mechanism",
		 "unknown delivery mechanism 'cash' (dp, part_dp, managed or commissioned)"},
		{"{\"version\":\"1\",\"use\":\"lower\"}", "use",
		 "unknown choice 'lower' (higher, practitioner or self)"},
	};
	struct pb_error e;
	struct pb_funding *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		f = funding_of(t[i].doc, &e);
		if (f)
			fail_msg("case %zu: loaded", i);
		check_error(&e, PB_EUSAGE, "", 0, "", t[i].key, t[i].text);
	}
	f = funding_of("{\"version\":\"2026-27\"}", &e);
	assert_non_null(f);
	assert_string_equal(f->version, "2026-27");
	assert_string_equal(f->name, "");
	assert_int_equal(f->every_weeks, 4);
	assert_int_equal(f->review_months, 6);
	assert_int_equal(f->default_mech, PB_MECH_DP);
	assert_int_equal(f->use, PB_USE_HIGHER);
	pb_funding_free(f);
	f = funding_of("{\"name\":\"n\",\"version\":\"v\",\"payment_every_weeks\":2,"
		       "\"review_after_months\":3,"
		       "\"default_mechanism\":\"CASSR Managed Personal Budget\","
		       "\"use\":\"practitioner\"}", &e);
	assert_non_null(f);
	assert_int_equal(f->every_weeks, 2);
	assert_int_equal(f->review_months, 3);
	assert_int_equal(f->default_mech, PB_MECH_MANAGED);
	assert_int_equal(f->use, PB_USE_PRACTITIONER);
	pb_funding_free(f);
}

static void test_choose(void **state)
{
	static const struct {
		int use;
		int64_t self, pract;
		int want;
	} t[] = {
		{PB_USE_HIGHER, 100, 200, 1},
		{PB_USE_HIGHER, 201, 200, 0},
		{PB_USE_HIGHER, 200, 200, 1},    /* a tie: the practitioner's */
		{PB_USE_PRACTITIONER, 300, 200, 1},
		{PB_USE_SELF, 100, 200, 0},
	};
	struct pb_funding f;
	size_t i;

	(void)state;
	memset(&f, 0, sizeof f);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		f.use = t[i].use;
		assert_int_equal(pb_funding_choose(&f, t[i].self, t[i].pract),
				 t[i].want);
	}
}

/* Terms as a compact table row: agreed (-1 none), reason, health tenths
 * (-1 none), s117 (-1/0/1), contribution (-1 none), start ("" none). */
struct row {
	int64_t indicative, agreed;
	int reason;
	int64_t health;
	int s117;
	int64_t contribution;
	const char *start;
	/* expected */
	int64_t weekly, social_care, health_out, s117_out, contribution_out,
		payment;
	const char *review;
	int no_charge, covers;
};

static void test_allocate(void **state)
{
	static const struct row t[] = {
		/* indicative only: all social care; 4 weeks' payment */
		{19500, -1, 0, -1, -1, -1, "", 19500, 19500, 0, 0, 0, 78000,
		 "2026-10-01", 0, 0},
		/* odd pennies: 33.3% of 100.01 = 33.30333 -> 33.30 */
		{10001, -1, 0, 333, -1, -1, "", 10001, 6671, 3330, 0, 0, 40004,
		 "2026-10-01", 0, 0},
		/* half a penny rounds up: 50% of 0.05 = 0.025 -> 0.03 */
		{5, -1, 0, 500, -1, -1, "", 5, 2, 3, 0, 0, 20, "2026-10-01", 0, 0},
		/* 33.3% of 247.00 = 82.251 -> 82.25 */
		{24700, -1, 0, 333, -1, -1, "", 24700, 16475, 8225, 0, 0, 98800,
		 "2026-10-01", 0, 0},
		/* all health, and none */
		{12345, -1, 0, 1000, 0, -1, "", 12345, 0, 12345, 0, 0, 49380,
		 "2026-10-01", 0, 0},
		{12345, -1, 0, 0, -1, -1, "", 12345, 12345, 0, 0, 0, 49380,
		 "2026-10-01", 0, 0},
		/* a contribution comes off each payment */
		{14300, -1, 0, -1, -1, 2500, "", 14300, 14300, 0, 0, 2500, 47200,
		 "2026-10-01", 0, 0},
		/* a contribution above the budget: payment 0, never negative */
		{10900, -1, 0, -1, -1, 50000, "", 10900, 10900, 0, 0, 50000, 0,
		 "2026-10-01", 0, 1},
		{10900, -1, 0, -1, -1, 10900, "", 10900, 10900, 0, 0, 10900, 0,
		 "2026-10-01", 0, 1},
		/* s117: everything is the s117 stream, nothing is charged */
		{22300, -1, 0, -1, 1, 1500, "", 22300, 0, 0, 22300, 0, 89200,
		 "2026-10-01", 1, 0},
		{22300, -1, 0, 0, 1, -1, "", 22300, 0, 0, 22300, 0, 89200,
		 "2026-10-01", 0, 0},
		{22300, -1, 0, -1, 1, 0, "", 22300, 0, 0, 22300, 0, 89200,
		 "2026-10-01", 0, 0},
		/* s117 = no is the same as none */
		{22300, -1, 0, 250, 0, -1, "", 22300, 16725, 5575, 0, 0, 89200,
		 "2026-10-01", 0, 0},
		/* an override with its reason; the same amount needs none */
		{28500, 30000, 1, -1, -1, -1, "", 30000, 30000, 0, 0, 0, 120000,
		 "2026-10-01", 0, 0},
		{28500, 28500, 0, -1, -1, -1, "", 28500, 28500, 0, 0, 0, 114000,
		 "2026-10-01", 0, 0},
		{28500, 0, 1, -1, -1, -1, "", 0, 0, 0, 0, 0, 0, "2026-10-01", 0, 0},
		/* review dates: month ends clamped, leap years */
		{100, -1, 0, -1, -1, -1, "2026-08-31", 100, 100, 0, 0, 0, 400,
		 "2027-02-28", 0, 0},
		{100, -1, 0, -1, -1, -1, "2027-08-31", 100, 100, 0, 0, 0, 400,
		 "2028-02-29", 0, 0},
		{100, -1, 0, -1, -1, -1, "2026-03-31", 100, 100, 0, 0, 0, 400,
		 "2026-09-30", 0, 0},
		{100, -1, 0, -1, -1, -1, "2026-12-31", 100, 100, 0, 0, 0, 400,
		 "2027-06-30", 0, 0},
	};
	struct pb_funding f;
	size_t i;

	(void)state;
	memset(&f, 0, sizeof f);
	f.every_weeks = 4;
	f.review_months = 6;
	f.default_mech = PB_MECH_DP;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pb_alloc_terms tm;
		struct pb_allocation o;
		struct pb_error e;
		char buf[PB_DATE_BUFSZ];
		int col = -1;

		memset(&tm, 0, sizeof tm);
		tm.mech = -1;
		tm.has_agreed = t[i].agreed >= 0;
		tm.agreed = t[i].agreed;
		tm.has_reason = t[i].reason;
		tm.has_health = t[i].health >= 0;
		tm.health = t[i].health;
		tm.s117 = t[i].s117;
		tm.has_contribution = t[i].contribution >= 0;
		tm.contribution = t[i].contribution;
		tm.has_start = t[i].start[0] != '\0';
		if (tm.has_start)
			tm.start = day(t[i].start);
		if (pb_allocate_one(&f, t[i].indicative, day("2026-04-01"), &tm,
				    &o, &col, &e) < 0)
			fail_msg("case %zu: %s", i, e.text);
		assert_int_equal(o.indicative, t[i].indicative);
		assert_int_equal(o.weekly, t[i].weekly);
		assert_int_equal(o.social_care, t[i].social_care);
		assert_int_equal(o.health, t[i].health_out);
		assert_int_equal(o.s117, t[i].s117_out);
		assert_int_equal(o.social_care + o.health + o.s117, o.weekly);
		assert_int_equal(o.contribution, t[i].contribution_out);
		assert_int_equal(o.payment, t[i].payment);
		assert_int_equal(o.every_weeks, 4);
		assert_int_equal(o.mech, PB_MECH_DP);
		assert_string_equal(pb_date_format(buf, o.review), t[i].review);
		assert_int_equal(o.first_payment, o.start);
		assert_int_equal(o.start, tm.has_start ? tm.start : day("2026-04-01"));
		assert_int_equal(o.s117_no_charge, t[i].no_charge);
		assert_int_equal(o.contribution_covers, t[i].covers);
	}
}

/* Every split of every amount from 0.00 to 10.00 at every whole and
 * half percentage sums exactly, and health is the nearest penny. */
static void test_split_sweep(void **state)
{
	struct pb_funding f;
	int64_t w, pct;

	(void)state;
	memset(&f, 0, sizeof f);
	f.every_weeks = 4;
	f.review_months = 6;
	for (w = 0; w <= 1000; w++) {
		for (pct = 0; pct <= 1000; pct += 5) {
			struct pb_alloc_terms tm;
			struct pb_allocation o;
			int col;

			memset(&tm, 0, sizeof tm);
			tm.mech = -1;
			tm.s117 = -1;
			tm.has_health = 1;
			tm.health = pct;
			assert_int_equal(pb_allocate_one(&f, w, 0, &tm, &o, &col,
							 NULL), 0);
			assert_int_equal(o.social_care + o.health, w);
			/* |health - w * pct / 1000| <= 1/2, halves up */
			assert_true(2 * (o.health * 1000 - w * pct) <= 1000);
			assert_true(2 * (o.health * 1000 - w * pct) > -1000);
		}
	}
}

static void test_allocate_errors(void **state)
{
	struct pb_funding f;
	struct pb_alloc_terms tm;
	struct pb_allocation o;
	struct pb_error e;
	int col = -1;

	(void)state;
	memset(&f, 0, sizeof f);
	f.every_weeks = 4;
	f.review_months = 6;
	memset(&tm, 0, sizeof tm);
	tm.mech = -1;
	tm.s117 = -1;
	tm.has_agreed = 1;
	tm.agreed = 25000;
	pb_error_clear(&e);
	assert_int_equal(pb_allocate_one(&f, 28500, 0, &tm, &o, &col, &e),
			 -PB_EDATA);
	assert_int_equal(col, PB_AC_AGREED);
	check_error(&e, PB_EDATA, "", 0, "", "",
		    "differs from the indicative budget and there is no "
		    "override_reason '250.00'");

	memset(&tm, 0, sizeof tm);
	tm.mech = PB_MECH_MANAGED;
	tm.s117 = 1;
	tm.has_health = 1;
	tm.health = 500;
	pb_error_clear(&e);
	assert_int_equal(pb_allocate_one(&f, 28500, 0, &tm, &o, &col, &e),
			 -PB_EDATA);
	assert_int_equal(col, PB_AC_HEALTH);
	check_error(&e, PB_EDATA, "", 0, "", "",
		    "no share for health when s117 is yes: the whole budget "
		    "is the s117 stream '50.0'");
	/* the mechanism given wins over the default */
	tm.has_health = 0;
	assert_int_equal(pb_allocate_one(&f, 28500, 0, &tm, &o, &col, &e), 0);
	assert_int_equal(o.mech, PB_MECH_MANAGED);
}

static void test_load_file(void **state)
{
	struct pb_error e;

	(void)state;
	assert_null(pb_funding_load("/nonexistent/funding.json", &e));
	check_error(&e, PB_EIO, "/nonexistent/funding.json", 0, "", "",
		    "cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_allocate),
		cmocka_unit_test(test_split_sweep),
		cmocka_unit_test(test_allocate_errors),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
