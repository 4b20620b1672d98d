/* test_ras.c - the RAS: config checks with key paths, answers, the money
 * rule (half-up rounding, clamps, zero points, bands), the discrepancy
 * rule and calibration to a pot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pbjson.h"
#include "ras.h"

/* Every field of an error, as jansson's tests check theirs. */
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

static struct pb_ras *ras_of(const char *doc, struct pb_error *e)
{
	json_t *j = json_loads(doc, JSON_DECODE_ANY, NULL);
	struct pb_ras *r;

	assert_non_null(j);
	pb_error_clear(e);
	r = pb_ras_from_json(j, e);
	json_decref(j);
	return r;
}

/* A RAS with two questions (0-8 and 0-6 points, the second optional)
 * and the given money object. */
static struct pb_ras *ras_money(const char *money)
{
	char doc[1024];
	struct pb_error e;
	struct pb_ras *r;

	snprintf(doc, sizeof doc,
		 "{\"version\":\"t\",\"questions\":["
		 "{\"id\":\"a\",\"domain\":\"d\",\"answers\":{\"none\":0,\"some\":4,\"lots\":8}},"
		 "{\"id\":\"b\",\"domain\":\"e\",\"required\":false,"
		 "\"answers\":{\"none\":0,\"some\":3,\"most\":6}}],"
		 "\"money\":%s}", money);
	r = ras_of(doc, &e);
	if (!r)
		fail_msg("%s: %s", e.key, e.text);
	return r;
}

#define Q1 "{\"id\":\"a\",\"domain\":\"d\",\"answers\":{\"none\":0,\"some\":4}}"
#define M1 "\"money\":{\"per_point_weekly\":\"4.25\"}"

static void test_config_errors(void **state)
{
	static const struct {
		const char *doc, *key, *text;
	} t[] = {
		{"[]", "", "must be an object, not an array"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "]," M1 ",\"colour\":1}", "",
		 "unknown key 'colour' (known: name, version, questions, money, discrepancy_percent)"},
		{"{\"questions\":[" Q1 "]," M1 "}", "version", "missing"},
		{"{\"version\":\"\",\"questions\":[" Q1 "]," M1 "}", "version",
		 "empty: outputs carry the version"},
		{"{\"version\":\"1\",\"questions\":[]," M1 "}", "questions", "no questions"},
		{"{\"version\":\"1\",\"questions\":{}," M1 "}", "questions",
		 "must be an array, not an object"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "," Q1 "]," M1 "}",
		 "questions[1].id", "duplicate question id 'a' (also questions[0])"},
		{"{\"version\":\"1\",\"questions\":[" Q1 ",{\"id\":\"A\",\"domain\":\"d\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[1].id", "duplicate question id 'A' (also questions[0])"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"my q\",\"domain\":\"d\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[0].id", "not a column name 'my q' (use letters, digits and _)"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"flags\",\"domain\":\"d\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[0].id", "'flags' is a column pb-assess reads or writes itself"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{\"x\":1},\"text\":\"?\"}]," M1 "}",
		 "questions[0]", "unknown key 'text' (known: id, domain, required, answers)"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[0].domain", "missing"},
		{"{\"version\":\"1\",\"questions\":[" Q1 ",{\"id\":\"b\",\"domain\":\"D\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[1].domain", "domain 'D' is written 'd' elsewhere"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"required\":\"no\",\"answers\":{\"x\":1}}]," M1 "}",
		 "questions[0].required", "must be true or false, not a string"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{}}]," M1 "}",
		 "questions[0].answers", "no answers"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{\"some\":1,\"Some \":2}}]," M1 "}",
		 "questions[0].answers", "duplicate code 'Some ' (the same as 'some')"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{\"some\":-3}}]," M1 "}",
		 "questions[0].answers.some", "negative points -3: points are 0 or more"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{\"some\":1001}}]," M1 "}",
		 "questions[0].answers.some", "out of range 1001 (from 0 to 1000)"},
		{"{\"version\":\"1\",\"questions\":[{\"id\":\"q\",\"domain\":\"d\",\"answers\":{\"some\":\"4\"}}]," M1 "}",
		 "questions[0].answers.some", "must be a whole number, not a string"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "]}", "money", "must be an object, not missing"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{}}", "money",
		 "no per_point_weekly or bands: the RAS needs a price"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":\"1\",\"bands\":[]}}",
		 "money", "per_point_weekly and bands: give one, not both"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":4.25}}",
		 "money.per_point_weekly",
		 "a number with a fraction is not exact money: write it as a string, e.g. \"4.25\""},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":\"4.255\"}}",
		 "money.per_point_weekly", "not a money amount '4.255': more than two decimal places"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":\"-1\"}}",
		 "money.per_point_weekly", "must not be negative"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":\"1\","
		 "\"minimum_weekly\":\"1200.01\",\"maximum_weekly\":\"1200.00\"}}",
		 "money.minimum_weekly", "1200.01 is above maximum_weekly 1200.00"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point_weekly\":\"1\",\"round_to\":\"0\"}}",
		 "money.round_to", "must be more than 0.00 (0.01: to the penny)"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"per_point\":\"1\"}}", "money",
		 "unknown key 'per_point' (known: per_point_weekly, bands, minimum_weekly, maximum_weekly, round_to)"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "]," M1 ",\"discrepancy_percent\":\"20.25\"}",
		 "discrepancy_percent", "more than one decimal place '20.25'"},
		/* bands: order, overlap, a reachable total uncovered */
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":{}}}",
		 "money.bands", "must be an array, not an object"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":[]}}",
		 "money.bands", "no bands"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":0,\"to\":3,\"weekly\":\"0\"},{\"from\":3,\"to\":9,\"weekly\":\"50\"}]}}",
		 "money.bands[1]", "from 3 overlaps money.bands[0] (0 to 3): bands go in order without overlap"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":5,\"to\":9,\"weekly\":\"50\"},{\"from\":0,\"to\":4,\"weekly\":\"0\"}]}}",
		 "money.bands[1]", "from 0 overlaps money.bands[0] (5 to 9): bands go in order without overlap"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":0,\"to\":3,\"weekly\":\"0\"}]}}",
		 "money.bands", "no band covers 4 points, a total the questions can reach"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":9,\"to\":3,\"weekly\":\"0\"}]}}",
		 "money.bands[0]", "'to' 3 is below 'from' 9"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":0,\"to\":9,\"weekly\":\"0\",\"colour\":1}]}}",
		 "money.bands[0]", "unknown key 'colour' (known: from, to, weekly)"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":0,\"to\":9,\"weekly\":\"-5\"}]}}",
		 "money.bands[0].weekly", "must not be negative"},
		{"{\"version\":\"1\",\"questions\":[" Q1 "],\"money\":{\"bands\":["
		 "{\"from\":0,\"to\":9}]}}",
		 "money.bands[0].weekly", "missing"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pb_ras *r = ras_of(t[i].doc, &e);

		if (r)
			fail_msg("case %zu: loaded", i);
		check_error(&e, PB_EUSAGE, "", 0, "", t[i].key, t[i].text);
	}
}

static void test_config_ok(void **state)
{
	struct pb_error e;
	struct pb_ras *r;

	(void)state;
	r = ras_of("{\"name\":\"n\",\"version\":\"2026-04\",\"questions\":["
		   "{\"id\":\"a\",\"domain\":\"x\",\"answers\":{\"none\":0,\"some\":4,\"lots\":12}},"
		   "{\"id\":\"b\",\"domain\":\"y\",\"required\":false,\"answers\":{\"none\":0,\"Some\":3}},"
		   "{\"id\":\"c\",\"domain\":\"x\",\"answers\":{\"no\":0,\"yes\":5}}],"
		   "\"money\":{\"per_point_weekly\":\"4.25\",\"minimum_weekly\":\"20\","
		   "\"maximum_weekly\":\"1200.00\",\"round_to\":\"1.00\"},"
		   "\"discrepancy_percent\":\"12.5\"}", &e);
	assert_non_null(r);
	assert_string_equal(r->version, "2026-04");
	assert_int_equal(r->nq, 3);
	assert_int_equal(r->ndomain, 2);
	assert_string_equal(r->domain[0], "x");
	assert_string_equal(r->domain[1], "y");
	assert_int_equal(r->q[2].domain, 0);
	assert_int_equal(r->q[1].required, 0);
	assert_int_equal(r->price, 425);
	assert_int_equal(r->minimum, 2000);
	assert_int_equal(r->maximum, 120000);
	assert_int_equal(r->round_to, 100);
	assert_int_equal(r->discrepancy, 125);
	assert_int_equal(r->max_points, 12 + 3 + 5);
	/* answers: exact, then case-insensitive with spaces trimmed */
	assert_int_equal(pb_ras_answer(r, 0, "some", 4), 1);
	assert_int_equal(pb_ras_answer(r, 0, " LOTS ", 6), 2);
	assert_int_equal(pb_ras_answer(r, 1, "some", 4), 1);
	assert_int_equal(pb_ras_answer(r, 0, "so", 2), -1);
	assert_int_equal(pb_ras_answer(r, 0, "", 0), -1);
	{
		char buf[64];

		assert_string_equal(pb_ras_answer_list(r, 0, buf, sizeof buf),
				    "none, some, lots");
		assert_string_equal(pb_ras_answer_list(r, 0, buf, 12), "none, ...");
	}
	pb_ras_free(r);

	/* Defaults: no minimum, no maximum, to the penny, 20%. */
	r = ras_of("{\"version\":\"1\",\"questions\":[" Q1 "]," M1 "}", &e);
	assert_non_null(r);
	assert_int_equal(r->minimum, 0);
	assert_int_equal(r->has_maximum, 0);
	assert_int_equal(r->round_to, 1);
	assert_int_equal(r->discrepancy, 200);
	pb_ras_free(r);
}

/* Bands need to cover only the totals the questions can reach (and not
 * 0, which gives 0): here 3, 4, 6, 7, 9, 10 (a: 0/3/6; b: 0/4 or
 * unanswered). */
static void test_bands_reachable(void **state)
{
	struct pb_error e;
	struct pb_ras *r;

	(void)state;
	r = ras_of("{\"version\":\"1\",\"questions\":["
		   "{\"id\":\"a\",\"domain\":\"d\",\"answers\":{\"n\":0,\"s\":3,\"l\":6}},"
		   "{\"id\":\"b\",\"domain\":\"d\",\"required\":false,\"answers\":{\"s\":4}}],"
		   "\"money\":{\"bands\":[{\"from\":3,\"to\":4,\"weekly\":\"10\"},"
		   "{\"from\":6,\"to\":7,\"weekly\":\"20\"},{\"from\":9,\"to\":10,\"weekly\":\"30\"}]}}",
		   &e);
	assert_non_null(r);
	pb_ras_free(r);
	/* without the optional question's "unanswered", 3 is unreachable
	 * but 10 is; a band left out for 10 is an error */
	r = ras_of("{\"version\":\"1\",\"questions\":["
		   "{\"id\":\"a\",\"domain\":\"d\",\"answers\":{\"n\":0,\"s\":3,\"l\":6}},"
		   "{\"id\":\"b\",\"domain\":\"d\",\"answers\":{\"s\":4}}],"
		   "\"money\":{\"bands\":[{\"from\":4,\"to\":7,\"weekly\":\"10\"}]}}",
		   &e);
	assert_null(r);
	check_error(&e, PB_EUSAGE, "", 0, "", "money.bands",
		    "no band covers 10 points, a total the questions can reach");
}

static void test_money(void **state)
{
	static const struct {
		int64_t price, points;
		enum pb_ras_rule rule;
		int64_t raw, rounded;
		enum pb_ras_clamp clamp;
		int64_t weekly;
	} t[] = {
		/* 4.75 a point, to 1.00, between 20.00 and 60.00 */
		{475, 0, PB_RAS_ZERO, 0, 0, PB_RAS_CLAMP_NONE, 0},
		{475, 10, PB_RAS_PER_POINT, 4750, 4800, PB_RAS_CLAMP_NONE, 4800},
		/* exactly half a step rounds up; just under, down */
		{450, 9, PB_RAS_PER_POINT, 4050, 4100, PB_RAS_CLAMP_NONE, 4100},
		{449, 9, PB_RAS_PER_POINT, 4041, 4000, PB_RAS_CLAMP_NONE, 4000},
		{350, 1, PB_RAS_PER_POINT, 350, 400, PB_RAS_CLAMP_MIN, 2000},
		/* at the minimum and maximum exactly: no clamp */
		{500, 4, PB_RAS_PER_POINT, 2000, 2000, PB_RAS_CLAMP_NONE, 2000},
		{600, 10, PB_RAS_PER_POINT, 6000, 6000, PB_RAS_CLAMP_NONE, 6000},
		/* a rounding up past the maximum is capped */
		{605, 10, PB_RAS_PER_POINT, 6050, 6100, PB_RAS_CLAMP_MAX, 6000},
		{1000, 14, PB_RAS_PER_POINT, 14000, 14000, PB_RAS_CLAMP_MAX, 6000},
		/* the minimum raises even when the price is 0 */
		{0, 5, PB_RAS_PER_POINT, 0, 0, PB_RAS_CLAMP_MIN, 2000},
	};
	struct pb_ras *r = ras_money("{\"per_point_weekly\":\"4.75\",\"minimum_weekly\":\"20\","
				     "\"maximum_weekly\":\"60\",\"round_to\":\"1.00\"}");
	struct pb_ras_money m;
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(pb_ras_money(r, t[i].price, t[i].points, &m, &e), 0);
		assert_int_equal(m.rule, t[i].rule);
		assert_int_equal(m.points, t[i].points);
		assert_int_equal(m.raw, t[i].raw);
		assert_int_equal(m.rounded, t[i].rounded);
		assert_int_equal(m.clamp, t[i].clamp);
		assert_int_equal(m.weekly, t[i].weekly);
		assert_int_equal(m.annual, t[i].weekly * 52);
	}
	pb_ras_free(r);

	/* To the penny by default, no maximum: the amount is exact. */
	r = ras_money("{\"per_point_weekly\":\"4.25\"}");
	assert_int_equal(pb_ras_money(r, 425, 13, &m, &e), 0);
	assert_int_equal(m.weekly, 5525);
	assert_int_equal(m.clamp, PB_RAS_CLAMP_NONE);
	/* beyond the largest amount */
	pb_error_clear(&e);
	assert_int_equal(pb_ras_money(r, PB_MONEY_MAX, 2, &m, &e), -PB_EDATA);
	check_error(&e, PB_EDATA, "", 0, "", "",
		    "2 points at the price per point is beyond the largest amount");
	pb_ras_free(r);

	/* Round to 5.00: 12.50 is half of 25.00 ... 2.50 is half a step. */
	r = ras_money("{\"per_point_weekly\":\"1.25\",\"round_to\":\"5.00\"}");
	assert_int_equal(pb_ras_money(r, 125, 2, &m, &e), 0);    /* 2.50 */
	assert_int_equal(m.weekly, 500);
	assert_int_equal(pb_ras_money(r, 124, 2, &m, &e), 0);    /* 2.48 */
	assert_int_equal(m.weekly, 0);
	pb_ras_free(r);
}

static void test_money_bands(void **state)
{
	static const struct {
		int64_t points, weekly;
		int64_t from;
		enum pb_ras_clamp clamp;
	} t[] = {
		{0, 0, -1, PB_RAS_CLAMP_NONE},      /* 0 points: 0, whatever the band */
		{1, 2000, 0, PB_RAS_CLAMP_MIN},     /* band 0.00, raised to the minimum */
		{5, 2000, 0, PB_RAS_CLAMP_MIN},
		{6, 12000, 6, PB_RAS_CLAMP_NONE},   /* the first point of a band */
		{9, 12000, 6, PB_RAS_CLAMP_NONE},   /* its last */
		{10, 24000, 10, PB_RAS_CLAMP_NONE},
		{14, 30000, 14, PB_RAS_CLAMP_MAX},  /* 350.00 capped at 300.00 */
	};
	struct pb_ras *r = ras_money("{\"bands\":[{\"from\":0,\"to\":5,\"weekly\":\"0\"},"
				     "{\"from\":6,\"to\":9,\"weekly\":\"120\"},"
				     "{\"from\":10,\"to\":13,\"weekly\":\"240\"},"
				     "{\"from\":14,\"to\":14,\"weekly\":\"350\"}],"
				     "\"minimum_weekly\":\"20\",\"maximum_weekly\":\"300\"}");
	struct pb_ras_money m;
	struct pb_error e;
	size_t i;

	(void)state;
	assert_int_equal(r->has_price, 0);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(pb_ras_money(r, 999, t[i].points, &m, &e), 0);
		assert_int_equal(m.weekly, t[i].weekly);
		assert_int_equal(m.clamp, t[i].clamp);
		if (t[i].from < 0) {
			assert_int_equal(m.rule, PB_RAS_ZERO);
			continue;
		}
		assert_int_equal(m.rule, PB_RAS_BAND);
		assert_int_equal(m.band->from, t[i].from);
	}
	pb_ras_free(r);
}

static void test_discrepancy(void **state)
{
	static const struct {
		int64_t pct, self, pract;
		int flag;
	} t[] = {
		{200, 40, 50, PB_RAS_SELF_BELOW},   /* exactly 20% below */
		{200, 41, 50, PB_RAS_SELF_LEVEL},   /* 18% */
		{200, 60, 50, PB_RAS_SELF_ABOVE},   /* exactly 20% above */
		{200, 59, 50, PB_RAS_SELF_LEVEL},
		{200, 50, 50, PB_RAS_SELF_LEVEL},
		{200, 3, 0, PB_RAS_SELF_ABOVE},     /* any points over none */
		{200, 0, 0, PB_RAS_SELF_LEVEL},
		{0, 49, 50, PB_RAS_SELF_BELOW},     /* 0%: any difference */
		{0, 50, 50, PB_RAS_SELF_LEVEL},
		{125, 35, 40, PB_RAS_SELF_BELOW},   /* 12.5% exactly */
		{125, 36, 40, PB_RAS_SELF_LEVEL},
	};
	struct pb_ras *r = ras_money("{\"per_point_weekly\":\"1\"}");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		r->discrepancy = t[i].pct;
		assert_int_equal(pb_ras_discrepancy(r, t[i].self, t[i].pract),
				 t[i].flag);
	}
	pb_ras_free(r);
}

static void test_calibrate(void **state)
{
	struct pb_ras *r = ras_money("{\"per_point_weekly\":\"4.25\",\"minimum_weekly\":\"20\","
				     "\"maximum_weekly\":\"300\",\"round_to\":\"1.00\"}");
	struct pb_ras_hist h;
	struct pb_error e;
	int64_t price, total, t1, k;

	(void)state;
	pb_ras_hist_init(&h);
	/* 30 records: points 1..14 twice, and two with none */
	for (k = 1; k <= 14; k++) {
		pb_ras_hist_add(&h, k);
		pb_ras_hist_add(&h, k);
	}
	pb_ras_hist_add(&h, 0);
	pb_ras_hist_add(&h, 0);
	assert_int_equal(pb_ras_hist_total(r, &h, 425, &total), 0);
	pb_error_clear(&e);

	/* The exact boundary: the price found fits, a penny more does not. */
	if (pb_ras_calibrate(r, &h, total, &price, &t1, &e) < 0)
		fail_msg("%s", e.text);
	assert_true(price >= 425);
	assert_true(t1 <= total);
	assert_int_equal(pb_ras_hist_total(r, &h, price + 1, &t1), 0);
	assert_true(t1 > total);
	/* every pot from the minimums to just under everyone at the maximum */
	for (k = 28 * 2000 * 52; k < 28 * 30000 * 52; k += 123457) {
		assert_int_equal(pb_ras_calibrate(r, &h, k, &price, &total, &e), 0);
		assert_true(total <= k);
		assert_int_equal(pb_ras_hist_total(r, &h, price, &t1), 0);
		assert_int_equal(t1, total);
		assert_int_equal(pb_ras_hist_total(r, &h, price + 1, &t1), 0);
		assert_true(t1 > k);
	}
	/* A hand-checked case: one record of 10 points, to the penny, no
	 * limits: 10 x p x 52 <= 5200.00 gives p = 10.00 exactly. */
	{
		struct pb_ras *r2 = ras_money("{\"per_point_weekly\":\"1\"}");
		struct pb_ras_hist h2;

		pb_ras_hist_init(&h2);
		pb_ras_hist_add(&h2, 10);
		assert_int_equal(pb_ras_calibrate(r2, &h2, 520000, &price, &total, &e), 0);
		assert_int_equal(price, 1000);
		assert_int_equal(total, 520000);
		assert_int_equal(pb_ras_calibrate(r2, &h2, 519999, &price, &total, &e), 0);
		assert_int_equal(price, 999);
		assert_int_equal(total, 519480);
		pb_ras_hist_fini(&h2);
		pb_ras_free(r2);
	}

	/* Even 0.00 a point is over: the minimum for 28 people with points. */
	pb_error_clear(&e);
	assert_int_equal(pb_ras_calibrate(r, &h, 28 * 2000 * 52 - 1, &price,
					  &total, &e), -PB_EUSAGE);
	check_error(&e, PB_EUSAGE, "", 0, "", "",
		    "--calibrate: even at 0.00 a point the total is 29,120.00 "
		    "(minimum_weekly for everyone with points), over the pot 29,119.99");
	/* A pot of just the minimums: prices up to 1.46 keep everyone at
	 * 20.00 (14 points x 1.46 = 20.44, rounded to 20.00); 1.47 does
	 * not (20.58 rounds to 21.00). */
	assert_int_equal(pb_ras_calibrate(r, &h, 28 * 2000 * 52, &price,
					  &total, &e), 0);
	assert_int_equal(price, 146);
	assert_int_equal(total, 28 * 2000 * 52);
	/* Never reached: everyone at the maximum is within the pot. */
	pb_error_clear(&e);
	assert_int_equal(pb_ras_calibrate(r, &h, 28 * 30000 * 52, &price,
					  &total, &e), -PB_EUSAGE);
	check_error(&e, PB_EUSAGE, "", 0, "", "",
		    "--calibrate: the pot 436,800.00 is never reached: at any "
		    "price the total is at most 436,800.00");
	assert_int_equal(pb_ras_calibrate(r, &h, 28 * 30000 * 52 - 1, &price,
					  &total, &e), 0);
	pb_ras_hist_fini(&h);

	/* No points at all. */
	pb_ras_hist_init(&h);
	pb_ras_hist_add(&h, 0);
	pb_error_clear(&e);
	assert_int_equal(pb_ras_calibrate(r, &h, 100, &price, &total, &e),
			 -PB_EUSAGE);
	check_error(&e, PB_EUSAGE, "", 0, "", "",
		    "--calibrate: no record scored any points: there is no price to find");
	pb_ras_hist_fini(&h);
	pb_ras_free(r);

	/* Bands cannot be calibrated. */
	r = ras_money("{\"bands\":[{\"from\":0,\"to\":14,\"weekly\":\"10\"}]}");
	pb_ras_hist_init(&h);
	pb_ras_hist_add(&h, 3);
	pb_error_clear(&e);
	assert_int_equal(pb_ras_calibrate(r, &h, 100, &price, &total, &e),
			 -PB_EUSAGE);
	check_error(&e, PB_EUSAGE, "", 0, "", "",
		    "--calibrate: the RAS has bands: only a price per point "
		    "(per_point_weekly) can be calibrated");
	pb_ras_hist_fini(&h);
	pb_ras_free(r);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/pb-test-ras-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct pb_error e;
	char buf[512];

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("{\"version\": \"1\",\n \"questions\": [\n"
	      "  {\"id\": \"a\", \"domain\": \"d\", \"answers\": {\"none\": 0}},\n"
	      "  {\"id\": \"b\", \"domain\": \"d\",\n"
	      "   \"answers\": {\"none\": 0, \"some\": 4, \"some\": 5}}],\n"
	      " \"money\": {\"per_point_weekly\": \"1\"}}\n", fp);
	fclose(fp);
	assert_null(pb_ras_load(path, &e));
	check_error(&e, PB_EUSAGE, path, 5, "", "questions[1].answers",
		    "duplicate key 'some'");
	pb_error_format(buf, sizeof buf, "pb-assess", &e);
	assert_non_null(strstr(buf, ":5: questions[1].answers: duplicate key 'some'"));

	fp = fopen(path, "w");
	fputs("{\"version\": \"1\", \"questions\": [{\"id\": \"a\", \"domain\": \"d\","
	      " \"answers\": {\"none\": -1}}], \"money\": {\"per_point_weekly\": \"1\"}}", fp);
	fclose(fp);
	assert_null(pb_ras_load(path, &e));
	check_error(&e, PB_EUSAGE, path, 0, "", "questions[0].answers.none",
		    "negative points -1: points are 0 or more");
	unlink(path);

	assert_null(pb_ras_load("/nonexistent/ras.json", &e));
	check_error(&e, PB_EIO, "/nonexistent/ras.json", 0, "", "",
		    "cannot open: No such file or directory");
}

static void test_grouped(void **state)
{
	char buf[PB_MONEY_BUFSZ];

	(void)state;
	assert_string_equal(pb_ras_money_grouped(buf, 149987600), "1,499,876.00");
	assert_string_equal(pb_ras_money_grouped(buf, 5), "0.05");
	assert_string_equal(pb_ras_money_grouped(buf, -123456), "-1,234.56");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_ok),
		cmocka_unit_test(test_bands_reachable),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_money_bands),
		cmocka_unit_test(test_discrepancy),
		cmocka_unit_test(test_calibrate),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_grouped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
