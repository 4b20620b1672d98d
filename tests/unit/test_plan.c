/* test_plan.c - support plans: the arithmetic of every 'per', the budget
 * and stream checks to the penny (with and without a tolerance), every
 * reason code with its whole reason (code, line, outcome, key, message),
 * their order, the allocations table, the document reader at every
 * chunk size, and the pass of pb-plan check (pools across plans, a plan
 * given twice, each output format). */
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
#include "plan.h"
#include "plan_int.h"

/* ---- fixtures --------------------------------------------------------------- */

/* CONTRACTS.md §7's example policy. */
static const char example[] =
	"{\"version\": \"2026-04\", \"categories\": {"
	"\"personal_assistant\": {\"requires\": [\"employer_insurance\"]},"
	"\"agency_care\": {}, \"leisure\": {}, \"education\": {},"
	"\"transport\": {}, \"equipment\": {}, \"technology\": {},"
	"\"short_break\": {}, \"employment\": {}, \"social_activity\": {},"
	"\"travel_to_family\": {},"
	"\"therapy\": {\"streams\": [\"health\", \"s117\"]},"
	"\"household\": {\"review\": true},"
	"\"employer_insurance\": {}, \"payroll_service\": {},"
	"\"contingency\": {}},"
	"\"forbidden\": [\"gambling\", \"alcohol\", \"tobacco\", \"illegal\","
	"\"debt_repayment\", \"nhs_service\", \"council_service\"],"
	"\"tolerance_percent\": 0, \"contingency_max_percent\": 10}";

static struct pb_spending *policy_of(const char *doc)
{
	json_t *j = json_loads(doc, 0, NULL);
	struct pb_error e;
	struct pb_spending *p;

	assert_non_null(j);
	p = pb_spending_from_json(j, &e);
	if (!p)
		fail_msg("policy: %s: %s", e.key, e.text);
	json_decref(j);
	return p;
}

/* A1: P1, 100.00 a week of social care; A2: P2, 233.00 half social care
 * half health; A3: P3, 190.00 of section 117 aftercare; A4: P4, 110.00
 * (100.00 social care, 10.00 health); A0: P0, nothing. */
static struct pb_plan_allocs *allocs_of(void)
{
	static const struct pb_plan_alloc a[] = {
		{"A1", "P1", 10000, {10000, 0, 0}},
		{"A2", "P2", 23300, {11650, 11650, 0}},
		{"A3", "P3", 19000, {0, 0, 19000}},
		{"A4", "P4", 11000, {10000, 1000, 0}},
		{"A0", "P0", 0, {0, 0, 0}},
	};
	struct pb_plan_allocs *t = pb_plan_allocs_new(NULL);
	struct pb_error e;
	size_t i;

	for (i = 0; i < sizeof a / sizeof a[0]; i++)
		assert_int_equal(pb_plan_allocs_put(t, &a[i], "a.csv",
						    (long)i + 2, &e), 0);
	return t;
}

/* ---- arithmetic ------------------------------------------------------------- */

static void test_per(void **state)
{
	static const struct {
		const char *s;
		int per;
		int64_t times;
	} t[] = {
		{"week", PB_PER_WEEK, 52}, {"4weeks", PB_PER_4WEEKS, 13},
		{"month", PB_PER_MONTH, 12}, {"year", PB_PER_YEAR, 1},
		{"once", PB_PER_ONCE, 1}, {"Week", -1, 0}, {"weeks", -1, 0},
		{"fortnight", -1, 0}, {"", -1, 0}, {"4 weeks", -1, 0},
	};
	int64_t a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		int per = pb_per_parse(t[i].s, strlen(t[i].s));

		assert_int_equal(per, t[i].per);
		assert_int_equal(pb_per_times(per), t[i].times);
		if (per >= 0)
			assert_string_equal(pb_per_name(per), t[i].s);
	}
	assert_string_equal(pb_per_name(-1), "");
	assert_int_equal(pb_plan_annual(1200, PB_PER_WEEK, &a), 0);
	assert_int_equal(a, 62400);
	assert_int_equal(pb_plan_annual(1, PB_PER_4WEEKS, &a), 0);
	assert_int_equal(a, 13);
	assert_int_equal(pb_plan_annual(999, PB_PER_MONTH, &a), 0);
	assert_int_equal(a, 11988);
	assert_int_equal(pb_plan_annual(40000, PB_PER_ONCE, &a), 0);
	assert_int_equal(a, 40000);
	assert_int_equal(pb_plan_annual(PB_MONEY_MAX, PB_PER_WEEK, &a), 0);
	assert_int_equal(a, PB_MONEY_MAX * 52);
	assert_int_equal(pb_plan_annual(INT64_MAX / 10, PB_PER_WEEK, &a),
			 -PB_EDATA);
	assert_int_equal(pb_plan_annual(1, -1, &a), -PB_EDATA);
}

static void test_within(void **state)
{
	static const struct {
		int64_t amount, limit, tol;
		int within;
	} t[] = {
		{0, 0, 0, 1}, {1, 0, 0, 0}, {1, 0, 1000, 0},
		{520000, 520000, 0, 1}, {520001, 520000, 0, 0},
		/* 2.5% of 5,200.00 is 130.00 */
		{533000, 520000, 25, 1}, {533001, 520000, 25, 0},
		/* 0.1% of 0.99 is a tenth of a penny: no whole penny fits */
		{99, 99, 1, 1}, {100, 99, 1, 0},
		/* 100% doubles */
		{200, 100, 1000, 1}, {201, 100, 1000, 0},
		/* far beyond 64 bits in the middle */
		{PB_MONEY_MAX * 52, PB_MONEY_MAX * 52, 0, 1},
		{PB_MONEY_MAX * 52 + 1, PB_MONEY_MAX * 52, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (pb_plan_within(t[i].amount, t[i].limit, t[i].tol) !=
		    t[i].within)
			fail_msg("case %zu: %lld within %lld + %lld tenths", i,
				 (long long)t[i].amount, (long long)t[i].limit,
				 (long long)t[i].tol);
}

static void test_codes(void **state)
{
	int w;

	(void)state;
	assert_string_equal(pb_verdict_name(PB_APPROVE), "approve");
	assert_string_equal(pb_verdict_name(PB_REVIEW), "review");
	assert_string_equal(pb_verdict_name(PB_RETURN), "return");
	assert_string_equal(pb_verdict_name(7), "");
	for (w = 0; w < PB_WHY_N; w++) {
		const char *c = pb_why_code(w);

		assert_true(strlen(c) > 0);
		assert_true(strlen(pb_why_title(w)) > 0);
		assert_int_equal(pb_why_verdict(w),
				 strcmp(c, "FAMILY_IN_HOUSEHOLD") == 0 ||
				 strcmp(c, "RISK_WITHOUT_PLAN") == 0 ||
				 strcmp(c, "REVIEW_CATEGORY") == 0
				 ? PB_REVIEW : PB_RETURN);
	}
	assert_string_equal(pb_why_code(PB_WHY_OVER_BUDGET), "OVER_BUDGET");
	assert_string_equal(pb_why_code(PB_WHY_N), "");
}

/* ---- one plan decided ------------------------------------------------------- */

#define HEAD(pid, person, alloc)                                            \
	"{\"plan_id\":\"" pid "\",\"person_id\":\"" person                  \
	"\",\"allocation_id\":\"" alloc "\",\"outcomes\":[{\"id\":\"o1\","   \
	"\"text\":\"Be well\"},{\"id\":\"o2\",\"text\":\"Go out\"}],\"lines\":["
#define TAIL "]}"
/* A line: id, category, cost (a JSON value), per, and more keys. */
#define LINE(id, cat, cost, per, more)                                      \
	"{\"id\":\"" id "\",\"category\":\"" cat "\",\"cost\":" cost         \
	",\"per\":\"" per "\",\"outcomes\":[\"o1\"]" more "}"

struct want_reason {
	int why;
	const char *line, *outcome, *key, *text;
};

#define END {-1, NULL, NULL, NULL, NULL}

struct decide_case {
	const char *doc;
	int verdict;
	int has_total;
	int64_t total;
	int has_budget;
	int64_t budget;
	struct want_reason r[6];
};

static const struct decide_case cases[] = {
	/* 0: approve, the simplest plan */
	{HEAD("PL1", "P1", "A1") LINE("l1", "leisure", "\"12.00\"", "week", "")
	 TAIL, PB_APPROVE, 1, 62400, 1, 520000, {END}},
	/* 1: every per, to the penny */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "leisure", "\"10.00\"", "4weeks", "") ","
	 LINE("l2", "leisure", "\"10.00\"", "month", "") ","
	 LINE("l3", "leisure", "\"10.00\"", "year", "") ","
	 LINE("l4", "leisure", "10", "once", "") ","
	 LINE("l5", "leisure", "\"0.01\"", "week", "") TAIL,
	 PB_APPROVE, 1, 13000 + 12000 + 1000 + 1000 + 52, 1, 520000, {END}},
	/* 2: exactly the budget */
	{HEAD("PL1", "P1", "A1") LINE("l1", "agency_care", "\"100.00\"", "week", "")
	 TAIL, PB_APPROVE, 1, 520000, 1, 520000, {END}},
	/* 3: a penny a week over: OVER_BUDGET (and not the stream again) */
	{HEAD("PL1", "P1", "A1") LINE("l1", "agency_care", "\"100.01\"", "week", "")
	 TAIL, PB_RETURN, 1, 520052, 1, 520000,
	 {{PB_WHY_OVER_BUDGET, NULL, NULL, NULL,
	   "the plan costs £5,200.52 a year, £0.52 more than the budget of £5,200.00 (£100.00 a week for 52 weeks)"},
	  END}},
	/* 4: forbidden, not in the policy, a name that is not a code;
	 * categories compare as codes ("Personal  Assistant") */
	{HEAD("PL1", "P1", "A1")
	 "{\"id\":\"l1\",\"description\":\"Bets\",\"category\":\"Gambling\",\"cost\":\"1.00\",\"per\":\"week\",\"outcomes\":[\"o1\"]},"
	 LINE("l2", "pets", "\"1.00\"", "week", "") ","
	 LINE("l3", "pets!", "\"1.00\"", "week", "") ","
	 LINE("l4", "Personal  Assistant", "\"1.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 20800, 1, 520000,
	 {{PB_WHY_FORBIDDEN_CATEGORY, "l1", NULL, NULL,
	   "category 'gambling' is forbidden by policy 2026-04: a personal budget cannot pay for it"},
	  {PB_WHY_UNKNOWN_CATEGORY, "l2", NULL, NULL,
	   "category 'pets' is not in policy 2026-04: choose one of its categories, or ask the council to add one"},
	  {PB_WHY_UNKNOWN_CATEGORY, "l3", NULL, NULL,
	   "category 'pets!' is not in policy 2026-04: choose one of its categories, or ask the council to add one"},
	  {PB_WHY_MISSING_REQUIRED, "l4", NULL, NULL,
	   "category 'personal_assistant' needs a line of category 'employer_insurance' in the same plan"},
	  END}},
	/* 5: with the insurance it needs */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "personal_assistant", "\"80.00\"", "week", "") ","
	 LINE("l2", "employer_insurance", "\"95.00\"", "year", "") TAIL,
	 PB_APPROVE, 1, 416000 + 9500, 1, 520000, {END}},
	/* 6: outcomes over activity */
	{HEAD("PL1", "P1", "A1")
	 "{\"id\":\"l1\",\"category\":\"leisure\",\"cost\":\"1.00\",\"per\":\"week\",\"outcomes\":[]},"
	 "{\"id\":\"l2\",\"category\":\"leisure\",\"cost\":\"1.00\",\"per\":\"week\"},"
	 "{\"id\":\"l3\",\"category\":\"leisure\",\"cost\":\"1.00\",\"per\":\"week\",\"outcomes\":[\"o2\",\"o9\",\"o1\"]}"
	 TAIL, PB_RETURN, 1, 15600, 1, 520000,
	 {{PB_WHY_LINE_WITHOUT_OUTCOME, "l1", NULL, NULL,
	   "serves none of the plan's outcomes: say which outcome it is for"},
	  {PB_WHY_LINE_WITHOUT_OUTCOME, "l2", NULL, NULL,
	   "serves none of the plan's outcomes: say which outcome it is for"},
	  {PB_WHY_UNKNOWN_OUTCOME, "l3", "o9", NULL,
	   "names outcome 'o9', which is not one of the plan's outcomes"},
	  END}},
	/* 7: a category only some streams pay for: named, implied by an
	 * allocation of one stream, or with no money in any it may use */
	{HEAD("PL2", "P2", "A2")
	 LINE("l1", "therapy", "\"10.00\"", "week", ",\"stream\":\"social_care\"") ","
	 LINE("l2", "therapy", "\"10.00\"", "week", ",\"stream\":\"health\"") TAIL,
	 PB_RETURN, 1, 104000, 1, 1211600,
	 {{PB_WHY_CATEGORY_NOT_FOR_STREAM, "l1", NULL, NULL,
	   "category 'therapy' may be paid only from health or s117, not from social_care"},
	  END}},
	{HEAD("PL1", "P1", "A1") LINE("l1", "therapy", "\"10.00\"", "week", "")
	 TAIL, PB_RETURN, 1, 52000, 1, 520000,
	 {{PB_WHY_CATEGORY_NOT_FOR_STREAM, "l1", NULL, NULL,
	   "category 'therapy' may be paid only from health or s117, and this allocation is all social_care"},
	  END}},
	{HEAD("PL0", "P0", "A0") LINE("l1", "therapy", "\"0.00\"", "week", "")
	 TAIL, PB_RETURN, 1, 0, 1, 0,
	 {{PB_WHY_CATEGORY_NOT_FOR_STREAM, "l1", NULL, NULL,
	   "category 'therapy' may be paid only from health or s117, and this allocation has no money in them"},
	  END}},
	/* 10: section 117: therapy is paid from it without saying so */
	{HEAD("PL3", "P3", "A3") LINE("l1", "therapy", "\"60.00\"", "week", "")
	 TAIL, PB_APPROVE, 1, 312000, 1, 988000, {END}},
	/* 11: a stream over its amount, the whole within budget */
	{HEAD("PL2", "P2", "A2")
	 LINE("l1", "agency_care", "\"120.00\"", "week", ",\"stream\":\"social_care\"") ","
	 LINE("l2", "leisure", "\"1.00\"", "week", ",\"stream\":\"health\"") TAIL,
	 PB_RETURN, 1, 629200, 1, 1211600,
	 {{PB_WHY_STREAM_OVER_BUDGET, NULL, NULL, NULL,
	   "lines paid from social_care cost £6,240.00 a year, £182.00 more than its £6,058.00 (£116.50 a week for 52 weeks)"},
	  END}},
	/* 12: a stream the allocation has nothing in */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "leisure", "\"1.00\"", "week", ",\"stream\":\"health\"") TAIL,
	 PB_RETURN, 1, 5200, 1, 520000,
	 {{PB_WHY_STREAM_OVER_BUDGET, NULL, NULL, NULL,
	   "lines paid from health cost £52.00 a year, £52.00 more than its £0.00 (£0.00 a week for 52 weeks)"},
	  END}},
	/* 13: lines that name no stream, of a category only health or
	 * s117 pay for, need more than those streams have left */
	{HEAD("PL4", "P4", "A4")
	 LINE("l1", "therapy", "\"20.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 104000, 1, 572000,
	 {{PB_WHY_STREAM_OVER_BUDGET, NULL, NULL, NULL,
	   "lines that only health or s117 may pay for cost £1,040.00 a year, more than the £520.00 left in those streams"},
	  END}},
	{HEAD("PL4", "P4", "A4")
	 LINE("l1", "therapy", "\"6.00\"", "week", "") ","
	 LINE("l2", "leisure", "\"5.00\"", "week", ",\"stream\":\"health\"") ","
	 LINE("l3", "leisure", "\"50.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 31200 + 26000 + 260000, 1, 572000,
	 {{PB_WHY_STREAM_OVER_BUDGET, NULL, NULL, NULL,
	   "lines that only health or s117 may pay for cost £312.00 a year, more than the £260.00 left in those streams"},
	  END}},
	{HEAD("PL4", "P4", "A4")
	 LINE("l1", "therapy", "\"5.00\"", "week", "") ","
	 LINE("l2", "leisure", "\"5.00\"", "week", ",\"stream\":\"health\"") ","
	 LINE("l3", "leisure", "\"100.00\"", "week", "") TAIL,
	 PB_APPROVE, 1, 26000 + 26000 + 520000, 1, 572000, {END}},
	/* 16: contingency: 10% is allowed, 11.5% is not */
	{HEAD("PL1", "P1", "A1") LINE("l1", "contingency", "\"520.00\"", "year", "")
	 TAIL, PB_APPROVE, 1, 52000, 1, 520000, {END}},
	{HEAD("PL1", "P1", "A1")
	 "{\"id\":\"c1\",\"description\":\"Spare\",\"category\":\"contingency\",\"cost\":\"300.00\",\"per\":\"year\",\"outcomes\":[\"o1\"]},"
	 LINE("c2", "contingency", "\"300.00\"", "once", "") TAIL,
	 PB_RETURN, 1, 60000, 1, 520000,
	 {{PB_WHY_CONTINGENCY_TOO_HIGH, "c1", NULL, NULL,
	   "contingency comes to £600.00 a year, 11.5% of the budget; policy 2026-04 allows at most 10% of the budget of £5,200.00 (£520.00)"},
	  END}},
	/* 18: a pooled line's share, within a penny or not */
	{HEAD("PL3", "P3", "A3")
	 LINE("l1", "education", "\"40.01\"", "week", ",\"pool\":{\"id\":\"art\",\"total\":\"160.00\",\"share_percent\":25}") ","
	 LINE("l2", "education", "\"33.31\"", "week", ",\"pool\":{\"id\":\"b\",\"total\":100,\"share_percent\":\"33.3\"}") ","
	 LINE("l3", "education", "\"39.98\"", "week", ",\"pool\":{\"id\":\"art\",\"total\":\"160.00\",\"share_percent\":25}") TAIL,
	 PB_RETURN, 1, (4001 + 3331 + 3998) * 52, 1, 988000,
	 {{PB_WHY_POOL_SHARE_MISMATCH, "l3", NULL, NULL,
	   "costs £39.98, but its share of pool 'art' (25% of £160.00) is £40.00"},
	  END}},
	/* 19: no such allocation; someone else's */
	{HEAD("PL9", "P9", "A9") LINE("l1", "leisure", "\"1.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 5200, 0, 0,
	 {{PB_WHY_NO_ALLOCATION, NULL, NULL, NULL,
	   "no allocation 'A9' among the allocations given"}, END}},
	{HEAD("PL2", "P2", "A1") LINE("l1", "leisure", "\"1.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 5200, 0, 0,
	 {{PB_WHY_NO_ALLOCATION, NULL, NULL, NULL,
	   "allocation 'A1' is for person 'P1', not 'P2'"}, END}},
	/* 21: amounts that cannot be read: no total, no budget checks */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "leisure", "12.5", "week", "") ","
	 LINE("l2", "leisure", "\"-3.00\"", "week", "") ","
	 "{\"id\":\"l3\",\"category\":\"leisure\",\"per\":\"week\",\"outcomes\":[\"o1\"]},"
	 LINE("l4", "leisure", "\"12.345\"", "week", "") ","
	 LINE("l5", "agency_care", "\"900.00\"", "week", "") TAIL,
	 PB_RETURN, 0, 0, 1, 520000,
	 {{PB_WHY_BAD_AMOUNT, "l1", NULL, "lines[0].cost",
	   "lines[0].cost: a number with a fraction is not exact money: write it as a string, e.g. \"12.50\""},
	  {PB_WHY_BAD_AMOUNT, "l2", NULL, "lines[1].cost",
	   "lines[1].cost: a negative amount '-3.00'"},
	  {PB_WHY_BAD_AMOUNT, "l3", NULL, "lines[2].cost", "lines[2].cost: missing"},
	  {PB_WHY_BAD_AMOUNT, "l4", NULL, "lines[3].cost",
	   "lines[3].cost: not a money amount '12.345': more than two decimal places"},
	  END}},
	/* 22: fields that cannot be read, each with its key path */
	{"{\"person_id\":\"P1\",\"allocation_id\":\"A1\",\"outcomes\":[{\"id\":\"o1\",\"text\":\"x\"}],"
	 "\"lines\":[{\"id\":\"l1\",\"catgory\":\"leisure\",\"category\":\"leisure\",\"cost\":\"1.00\",\"per\":\"fortnight\",\"outcomes\":[\"o1\"],"
	 "\"stream\":\"nhs\",\"family_in_household\":\"yes\",\"pool\":{\"id\":\"p\",\"total\":\"10.00\",\"share_percent\":0}},"
	 "{\"id\":\"l1\",\"category\":\"\",\"cost\":\"1.00\",\"per\":\"week\",\"outcomes\":[\"o1\",2]},"
	 "7]}",
	 PB_RETURN, 0, 0, 1, 520000,
	 {{PB_WHY_BAD_FIELD, NULL, NULL, "plan_id", "plan_id: missing"},
	  {PB_WHY_BAD_FIELD, "l1", NULL, "lines[0]",
	   "lines[0]: unknown key 'catgory' (known: id, description, category, cost, per, outcomes, stream, family_in_household, risk, risk_plan, pool)"},
	  {PB_WHY_BAD_FIELD, "l1", NULL, "lines[0].per",
	   "lines[0].per: not week, 4weeks, month, year or once 'fortnight'"},
	  {PB_WHY_BAD_FIELD, "l1", NULL, "lines[0].stream",
	   "lines[0].stream: not a funding stream (social_care, health, s117) 'nhs'"},
	  {PB_WHY_BAD_FIELD, "l1", NULL, "lines[0].family_in_household",
	   "lines[0].family_in_household: must be true or false, not a string"},
	  {PB_WHY_BAD_FIELD, "l1", NULL, "lines[0].pool.share_percent",
	   "lines[0].pool.share_percent: out of range '0' (from 0.1 to 100.0)"}}},
	/* 23: a person to look at: family, risk, a category to review */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "personal_assistant", "\"50.00\"", "week", ",\"family_in_household\":true,\"risk\":\" \",\"risk_plan\":\"\"") ","
	 LINE("l2", "employer_insurance", "\"50.00\"", "year", ",\"family_in_household\":false") ","
	 LINE("l3", "leisure", "\"1.00\"", "week", ",\"risk\":\"Climbing\"") ","
	 LINE("l4", "leisure", "\"1.00\"", "week", ",\"risk\":\"Climbing\",\"risk_plan\":\"Go with the club\"") ","
	 LINE("l5", "household", "\"300.00\"", "once", "") TAIL,
	 PB_REVIEW, 1, 260000 + 5000 + 5200 + 5200 + 30000, 1, 520000,
	 {{PB_WHY_FAMILY_IN_HOUSEHOLD, "l1", NULL, NULL,
	   "pays a close relative who lives in the same household: the council must agree that this is necessary"},
	  {PB_WHY_RISK_WITHOUT_PLAN, "l3", NULL, NULL,
	   "notes a risk but no plan for it: talk it through with the person and write down what will be done"},
	  {PB_WHY_REVIEW_CATEGORY, "l5", NULL, NULL,
	   "category 'household' is one that policy 2026-04 asks a person at the council to look at"},
	  END}},
	/* 24: return outranks review; the plan first, then the budget,
	 * then the lines in order */
	{HEAD("PL1", "P1", "A1")
	 LINE("l1", "household", "\"99.00\"", "week", "") ","
	 LINE("l2", "alcohol", "\"2.00\"", "week", "") TAIL,
	 PB_RETURN, 1, 525200, 1, 520000,
	 {{PB_WHY_OVER_BUDGET, NULL, NULL, NULL,
	   "the plan costs £5,252.00 a year, £52.00 more than the budget of £5,200.00 (£100.00 a week for 52 weeks)"},
	  {PB_WHY_REVIEW_CATEGORY, "l1", NULL, NULL,
	   "category 'household' is one that policy 2026-04 asks a person at the council to look at"},
	  {PB_WHY_FORBIDDEN_CATEGORY, "l2", NULL, NULL,
	   "category 'alcohol' is forbidden by policy 2026-04: a personal budget cannot pay for it"},
	  END}},
	/* 25: not a plan at all */
	{"[]", PB_RETURN, 0, 0, 0, 0,
	 {{PB_WHY_BAD_FIELD, NULL, NULL, NULL,
	   "a plan is a JSON object, not an array"}, END}},
	/* 26: outcomes and lines that are not lists; ids that are not ids */
	{"{\"plan_id\":\"\",\"person_id\":\"P\\u0001\",\"allocation_id\":7,\"outcomes\":{},\"lines\":\"l1\"}",
	 PB_RETURN, 0, 0, 0, 0,
	 {{PB_WHY_BAD_FIELD, NULL, NULL, "plan_id", "plan_id: empty"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "person_id",
	   "person_id: a control character in 'P\\x01'"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "allocation_id",
	   "allocation_id: must be a string, not an integer"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "outcomes",
	   "outcomes: must be an array, not an object"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "lines",
	   "lines: must be an array, not a string"},
	  END}},
	/* 27: outcomes that cannot be read: lines are not blamed for them */
	{"{\"plan_id\":\"PL1\",\"person_id\":\"P1\",\"allocation_id\":\"A1\",\"outcomes\":[{\"id\":\"o1\"},{\"id\":\"o1\",\"text\":\"x\"},3,{\"id\":\"o2\",\"text\":\"y\",\"why\":1}],"
	 "\"lines\":[" LINE("l1", "leisure", "\"1.00\"", "week", "") "]}",
	 PB_RETURN, 1, 5200, 1, 520000,
	 {{PB_WHY_BAD_FIELD, NULL, NULL, "outcomes[0].text",
	   "outcomes[0].text: missing: the outcome in the person's own words"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "outcomes[1].id",
	   "outcomes[1].id: duplicate outcome id 'o1'"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "outcomes[2]",
	   "outcomes[2]: must be an object, not an integer"},
	  {PB_WHY_BAD_FIELD, NULL, NULL, "outcomes[3]",
	   "outcomes[3]: unknown key 'why' (known: id, text)"},
	  END}},
};

static void check_decision(size_t n, const struct decide_case *c,
			   const struct pb_decision *d)
{
	size_t i;

	for (i = 0; i < 6 && c->r[i].why >= 0; i++) {
		const struct want_reason *w = &c->r[i];
		const struct pb_reason *r;

		if (i >= d->nreason)
			fail_msg("case %zu: reason %zu missing (%s)", n, i,
				 pb_why_code(w->why));
		r = &d->reason[i];
		if (r->why != w->why)
			fail_msg("case %zu: reason %zu is %s, not %s: %s", n, i,
				 pb_why_code(r->why), pb_why_code(w->why),
				 r->text);
#define SAME(a, b)                                                           \
	do {                                                                 \
		if (((a) == NULL) != ((b) == NULL) ||                        \
		    ((a) && strcmp((a), (b)) != 0))                          \
			fail_msg("case %zu: reason %zu " #a ": '%s' != '%s'", \
				 n, i, (a) ? (a) : "(null)",                 \
				 (b) ? (b) : "(null)");                      \
	} while (0)
		SAME(r->line, w->line);
		SAME(r->outcome, w->outcome);
		SAME(r->key, w->key);
		SAME(r->text, w->text);
#undef SAME
	}
	if (i != d->nreason && i < 6)
		fail_msg("case %zu: %zu reasons, not %zu; the next: %s", n,
			 d->nreason, i, d->reason[i].text);
	if (pb_decision_verdict(d) != c->verdict)
		fail_msg("case %zu: %s, not %s", n,
			 pb_verdict_name(pb_decision_verdict(d)),
			 pb_verdict_name(c->verdict));
	assert_int_equal(d->has_total, c->has_total);
	if (c->has_total)
		assert_int_equal(d->total, c->total);
	assert_int_equal(d->has_budget, c->has_budget);
	if (c->has_budget)
		assert_int_equal(d->budget, c->budget);
}

static void test_decide(void **state)
{
	struct pb_spending *pol = policy_of(example);
	struct pb_plan_allocs *al = allocs_of();
	struct pb_decision d;
	size_t i;

	(void)state;
	pb_decision_init(&d, 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_error_t jerr;
		json_t *doc = json_loads(cases[i].doc, JSON_DECODE_ANY, &jerr);

		if (!doc)
			fail_msg("case %zu: bad test JSON: %s", i, jerr.text);
		pb_plan_decide(pol, al, doc, "p.jsonl:3", &d);
		assert_string_equal(d.source, "p.jsonl:3");
		check_decision(i, &cases[i], &d);
		/* the page is written for every plan, readable or not */
		assert_non_null(strstr(d.page.s, "# Support plan "));
		json_decref(doc);
	}
	pb_decision_fini(&d);
	pb_plan_allocs_free(al);
	pb_spending_free(pol);
}

static void test_ids(void **state)
{
	struct pb_spending *pol = policy_of(example);
	struct pb_plan_allocs *al = allocs_of();
	struct pb_decision d;
	json_t *doc;

	(void)state;
	pb_decision_init(&d, 0);
	doc = json_loads(HEAD("PL-7", "P1", "A1") LINE("l1", "leisure", "\"1.00\"", "week", "") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_string_equal(d.plan_id, "PL-7");
	assert_string_equal(d.person_id, "P1");
	assert_string_equal(d.allocation_id, "A1");
	/* no page unless asked for */
	assert_int_equal(d.page.len, 0);
	json_decref(doc);
	/* a plan that is not one: the ids are empty, never NULL */
	doc = json_loads("[1]", 0, NULL);
	pb_plan_decide(pol, al, doc, "x:2", &d);
	assert_string_equal(d.plan_id, "");
	assert_string_equal(d.person_id, "");
	assert_string_equal(d.allocation_id, "");
	json_decref(doc);
	pb_decision_fini(&d);
	pb_plan_allocs_free(al);
	pb_spending_free(pol);
}

/* A tolerance: 2.5% of 5,200.00 is 130.00. */
static void test_tolerance(void **state)
{
	static const char pol_doc[] =
		"{\"version\":\"t\",\"categories\":{\"leisure\":{},\"therapy\":{\"streams\":[\"health\"]}},"
		"\"tolerance_percent\":\"2.5\"}";
	struct pb_spending *pol = policy_of(pol_doc);
	struct pb_plan_allocs *al = allocs_of();
	struct pb_decision d;
	json_t *doc;

	(void)state;
	pb_decision_init(&d, 0);
	doc = json_loads(HEAD("PL1", "P1", "A1")
			 LINE("l1", "leisure", "\"5330.00\"", "year", "") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 0);
	json_decref(doc);
	doc = json_loads(HEAD("PL1", "P1", "A1")
			 LINE("l1", "leisure", "\"5330.01\"", "year", "") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 1);
	assert_int_equal(d.reason[0].why, PB_WHY_OVER_BUDGET);
	assert_string_equal(d.reason[0].text,
		"the plan costs £5,330.01 a year, £130.01 more than the budget of £5,200.00 (£100.00 a week for 52 weeks); with the policy's 2.5% tolerance it may cost at most £5,330.00");
	json_decref(doc);
	/* the tolerance applies to each stream too: 2.5% of 6,058.00 is
	 * 151.45 */
	doc = json_loads(HEAD("PL2", "P2", "A2")
			 LINE("l1", "leisure", "\"6209.45\"", "year", ",\"stream\":\"social_care\"") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 0);
	json_decref(doc);
	doc = json_loads(HEAD("PL2", "P2", "A2")
			 LINE("l1", "leisure", "\"6209.46\"", "year", ",\"stream\":\"social_care\"") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 1);
	assert_string_equal(d.reason[0].text,
		"lines paid from social_care cost £6,209.46 a year, £151.46 more than its £6,058.00 (£116.50 a week for 52 weeks)");
	json_decref(doc);
	/* and to the room left in a stream: 10.00 a week of health is
	 * 520.00 a year, 533.00 with the tolerance */
	doc = json_loads(HEAD("PL4", "P4", "A4")
			 LINE("l1", "therapy", "\"533.00\"", "year", "") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 0);
	json_decref(doc);
	doc = json_loads(HEAD("PL4", "P4", "A4")
			 LINE("l1", "therapy", "\"533.01\"", "year", "") TAIL,
			 0, NULL);
	pb_plan_decide(pol, al, doc, "x:1", &d);
	assert_int_equal(d.nreason, 1);
	assert_string_equal(d.reason[0].text,
		"lines that only health may pay for cost £533.01 a year, more than the £533.00 left in that stream");
	json_decref(doc);
	pb_decision_fini(&d);
	pb_plan_allocs_free(al);
	pb_spending_free(pol);
}

/* ---- allocations ------------------------------------------------------------ */

static void test_allocs(void **state)
{
	struct pb_plan_allocs *t = allocs_of();
	const struct pb_plan_alloc *a;
	struct pb_plan_alloc x = {"A2", "P7", 1, {1, 0, 0}};
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_plan_allocs_count(t), 5);
	a = pb_plan_allocs_get(t, "A2", 2);
	assert_non_null(a);
	assert_string_equal(a->person_id, "P2");
	assert_int_equal(a->weekly, 23300);
	assert_int_equal(a->stream[PB_STREAM_HEALTH], 11650);
	assert_null(pb_plan_allocs_get(t, "A", 1));
	assert_null(pb_plan_allocs_get(t, "a2", 2));
	pb_error_clear(&e);
	assert_int_equal(pb_plan_allocs_put(t, &x, "a.csv", 9, &e), -PB_EDATA);
	assert_string_equal(e.text,
		"a second allocation with this id (the first is on line 3) 'A2'");
	assert_int_equal(pb_plan_allocs_put(t, &x, "b.csv", 9, &e), -PB_EDATA);
	assert_string_equal(e.text,
		"a second allocation with this id (the first is in a.csv) 'A2'");
	/* the first stands */
	assert_string_equal(pb_plan_allocs_get(t, "A2", 2)->person_id, "P2");
	assert_int_equal(pb_plan_allocs_count(t), 5);
	pb_plan_allocs_free(t);
	pb_plan_allocs_free(NULL);
}

/* ---- reading documents -------------------------------------------------- */

static const char docs[] =
	"\xEF\xBB\xBF{\"plan_id\":\"a\",\"s\":\"} ] { [\\\" \\\\\"}\n"
	"\n"
	"  {\n"
	"    \"plan_id\": \"b\",\n"
	"    \"lines\": [{\"x\": 1}]\n"
	"  }\r\n"
	"{\"plan_id\":\"c\"}{\"plan_id\":\"d\"}\n"
	"{\"plan_id\":\"e\", \"s\": \"cut short\n"
	"{\"plan_id\":\"f\",,}\n"
	"42 \"g\"\n"
	"junk\n"
	"{\"plan_id\":\"h\",\"lines\":[\n"
	"   {\"x\": 1},\n"
	"{\"plan_id\":\"i\"}\n"
	"{\"plan_id\":\"j\",\"a\":1,\"a\":2}\n"
	"[{\"plan_id\":\"k\"}]\n"
	"{\"plan_id\":\"l\",\"lines\":[{\"id\":1}\n";

struct event {
	int rc;
	long line;
	const char *what;   /* plan_id, a JSON scalar, or the error text */
};

static const struct event want_events[] = {
	{1, 1, "a"},
	{1, 3, "b"},
	{1, 7, "c"},
	{1, 7, "d"},
	{-PB_EDATA, 8, "not valid JSON (column 31): premature end of input near '\"cut short'"},
	{-PB_EDATA, 9, "not valid JSON (column 16): string or '}' expected near ','"},
	{-PB_EDATA, 10, "not valid JSON (column 2): '[' or '{' expected near '42'"},
	{-PB_EDATA, 11, "not valid JSON (column 4): '[' or '{' expected near 'junk'"},
	{-PB_EDATA, 12, "not valid JSON: not closed before the end of the file (a missing '}' or ']'?)"},
	{1, 14, "i"},
	{-PB_EDATA, 15, "duplicate key 'a'"},
	{1, 16, "[]"},
	{-PB_EDATA, 17, "not valid JSON: not closed before the end of the file (a missing '}' or ']'?)"},
	{0, 0, NULL},
};

static void what_of(const json_t *doc, char *buf, size_t n)
{
	const json_t *id = json_object_get(doc, "plan_id");

	if (id)
		snprintf(buf, n, "%s", json_string_value(id));
	else if (json_is_string(doc))
		snprintf(buf, n, "%s", json_string_value(doc));
	else if (json_is_integer(doc))
		snprintf(buf, n, "%lld", (long long)json_integer_value(doc));
	else if (json_is_array(doc))
		snprintf(buf, n, "[]");
	else
		snprintf(buf, n, "?");
}

static void test_reader(void **state)
{
	char path[] = "/tmp/pb-test-plan-XXXXXX";
	int fd = mkstemp(path);
	size_t len = sizeof docs - 1, chunk;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, docs, len), (ssize_t)len);
	close(fd);
	/* Every chunk size gives the same documents, lines and errors. */
	for (chunk = 1; chunk <= len + 1; chunk++) {
		char *files[1];
		struct pb_plan_reader *r;
		size_t k;

		files[0] = path;
		r = pb_plan_reader_new(files, 1);
		pb_plan_reader_set_chunk(r, chunk);
		for (k = 0;; k++) {
			const struct event *w = &want_events[k];
			struct pb_error e;
			json_t *doc = NULL;
			const char *file = NULL;
			long line = -1;
			char what[256];
			int rc = pb_plan_reader_next(r, &doc, &file, &line, &e);

			if (rc != w->rc)
				fail_msg("chunk %zu, event %zu: rc %d, not %d", chunk,
					 k, rc, w->rc);
			if (rc == 0)
				break;
			if (line != w->line)
				fail_msg("chunk %zu, event %zu: line %ld, not %ld",
					 chunk, k, line, w->line);
			assert_string_equal(file, path);
			if (rc == 1) {
				what_of(doc, what, sizeof what);
				json_decref(doc);
			} else {
				assert_string_equal(e.file, path);
				assert_int_equal(e.line, w->line);
				snprintf(what, sizeof what, "%s", e.text);
			}
			if (strcmp(what, w->what) != 0)
				fail_msg("chunk %zu, event %zu: '%s', not '%s'",
					 chunk, k, what, w->what);
		}
		/* and it stays at the end */
		{
			json_t *doc;
			const char *file;
			long line;

			assert_int_equal(pb_plan_reader_next(r, &doc, &file,
							     &line, NULL), 0);
		}
		pb_plan_reader_free(r);
	}
	unlink(path);
}

static void test_reader_files(void **state)
{
	char p1[] = "/tmp/pb-test-plan-XXXXXX", p2[] = "/tmp/pb-test-plan-XXXXXX";
	int f1 = mkstemp(p1), f2 = mkstemp(p2);
	char *files[4];
	struct pb_plan_reader *r;
	struct pb_error e;
	json_t *doc;
	const char *file;
	long line;

	(void)state;
	assert_true(f1 >= 0 && f2 >= 0);
	/* an empty file, a missing one, one with a document */
	close(f1);
	assert_int_equal(write(f2, "\n\n{\"plan_id\":\"x\"}", 17), 17);
	close(f2);
	files[0] = p1;
	files[1] = "/nonexistent/plans.jsonl";
	files[2] = p2;
	r = pb_plan_reader_new(files, 3);
	assert_int_equal(pb_plan_reader_next(r, &doc, &file, &line, &e),
			 -PB_EIO);
	assert_string_equal(e.file, "/nonexistent/plans.jsonl");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.text, "cannot open: No such file or directory");
	assert_int_equal(pb_plan_reader_next(r, &doc, &file, &line, &e), 1);
	assert_string_equal(file, p2);
	assert_int_equal(line, 3);
	json_decref(doc);
	assert_int_equal(pb_plan_reader_next(r, &doc, &file, &line, &e), 0);
	pb_plan_reader_free(r);
	unlink(p1);
	unlink(p2);
}

/* ---- the pass ------------------------------------------------------------ */

static char *run_check(enum pb_format fmt, const char *const *plans,
		       size_t n, long counts[3])
{
	struct pb_spending *pol = policy_of(example);
	struct pb_plan_allocs *al = allocs_of();
	struct pb_plancheck_opts o;
	struct pb_plancheck *c;
	struct pb_error e;
	FILE *out = tmpfile();
	char *buf;
	long size;
	size_t i;

	memset(&o, 0, sizeof o);
	o.policy = pol;
	o.allocs = al;
	o.format = fmt;
	c = pb_plancheck_new(&o, &e);
	assert_non_null(c);
	for (i = 0; i < n; i++) {
		json_t *doc = json_loads(plans[i], JSON_DECODE_ANY, NULL);

		if (doc) {
			assert_int_equal(pb_plancheck_add(c, doc, "p.jsonl",
							  (long)i + 1, &e), 0);
			json_decref(doc);
		} else {
			struct pb_error why;

			pb_error_clear(&why);
			pb_error_at(&why, "p.jsonl", (long)i + 1, NULL);
			pb_error_set(&why, PB_EDATA, "not valid JSON");
			assert_int_equal(pb_plancheck_add_broken(c, &why, &e), 0);
		}
	}
	assert_int_equal(pb_plancheck_total(c), (long)n);
	assert_int_equal(pb_plancheck_write(c, out, &e), 0);
	for (i = 0; i < 3; i++)
		counts[i] = pb_plancheck_count(c, (int)i);
	size = ftell(out);
	rewind(out);
	buf = calloc(1, (size_t)size + 1);
	assert_int_equal(fread(buf, 1, (size_t)size, out), (size_t)size);
	fclose(out);
	pb_plancheck_free(c);
	pb_plan_allocs_free(al);
	pb_spending_free(pol);
	return buf;
}

#define POOLED(pid, person, alloc, share, cost)                              \
	HEAD(pid, person, alloc)                                             \
	LINE("l1", "education", "\"" cost "\"", "week",                      \
	     ",\"pool\":{\"id\":\"art\",\"total\":\"160.00\",\"share_percent\":" share "}") TAIL

static void test_check_csv(void **state)
{
	static const char *const plans[] = {
		POOLED("PL-1", "P1", "A1", "50", "80.00"),
		HEAD("PL-2", "P2", "A2") LINE("l1", "leisure", "\"1.00\"", "week", "") TAIL,
		/* the same plan again: decided once; its share is not
		 * counted, so the pool is shared out 100%, not 150% */
		POOLED("PL-1", "P1", "A1", "50", "80.00"),
		"{not json",
		POOLED("PL-3", "P3", "A3", "50", "80.00"),
		HEAD("PL-4", "P4", "A4") LINE("l1", "household", "\"1.00\"", "week", "") TAIL,
	};
	long n[3];
	char *out = run_check(PB_FMT_CSV, plans, sizeof plans / sizeof plans[0], n);

	(void)state;
	assert_string_equal(out,
		"plan_id,person_id,allocation_id,decision,annual_total,annual_budget,headroom,reasons,policy_version\n"
		"PL-1,P1,A1,approve,4160.00,5200.00,1040.00,,2026-04\n"
		"PL-2,P2,A2,approve,52.00,12116.00,12064.00,,2026-04\n"
		"PL-1,P1,A1,return,4160.00,5200.00,1040.00,DUPLICATE_PLAN,2026-04\n"
		",,,return,,,,BAD_FIELD,2026-04\n"
		"PL-3,P3,A3,approve,4160.00,9880.00,5720.00,,2026-04\n"
		"PL-4,P4,A4,review,52.00,5720.00,5668.00,REVIEW_CATEGORY,2026-04\n");
	assert_int_equal(n[PB_APPROVE], 3);
	assert_int_equal(n[PB_REVIEW], 1);
	assert_int_equal(n[PB_RETURN], 2);
	free(out);
}

static void test_check_json(void **state)
{
	static const char *const plans[] = {
		POOLED("PL-1", "P1", "A1", "50", "80.00"),
		POOLED("PL-1", "P1", "A1", "50", "80.00"),
		"{not json",
	};
	long n[3];
	char *out = run_check(PB_FMT_JSON, plans, 3, n);

	(void)state;
	assert_string_equal(out,
		"{\"plan_id\":\"PL-1\",\"person_id\":\"P1\",\"allocation_id\":\"A1\",\"decision\":\"approve\","
		"\"annual_total\":\"4160.00\",\"annual_budget\":\"5200.00\",\"headroom\":\"1040.00\",\"reasons\":[],"
		"\"policy_version\":\"2026-04\",\"source\":\"p.jsonl:1\"}\n"
		"{\"plan_id\":\"PL-1\",\"person_id\":\"P1\",\"allocation_id\":\"A1\",\"decision\":\"return\","
		"\"annual_total\":\"4160.00\",\"annual_budget\":\"5200.00\",\"headroom\":\"1040.00\",\"reasons\":["
		"{\"code\":\"DUPLICATE_PLAN\",\"decision\":\"return\",\"line\":null,\"outcome\":null,\"key\":null,"
		"\"message\":\"plan_id 'PL-1' was given before, at p.jsonl:1: a plan is decided once\"}],"
		"\"policy_version\":\"2026-04\",\"source\":\"p.jsonl:2\"}\n"
		"{\"plan_id\":null,\"person_id\":null,\"allocation_id\":null,\"decision\":\"return\","
		"\"annual_total\":null,\"annual_budget\":null,\"headroom\":null,\"reasons\":["
		"{\"code\":\"BAD_FIELD\",\"decision\":\"return\",\"line\":null,\"outcome\":null,\"key\":null,"
		"\"message\":\"not valid JSON\"}],"
		"\"policy_version\":\"2026-04\",\"source\":\"p.jsonl:3\"}\n");
	free(out);
}

static void test_check_table_md(void **state)
{
	static const char *const plans[] = {
		POOLED("PL-1", "P1", "A1", "60", "96.00"),
		POOLED("PL-2", "P2", "A2", "60", "96.00"),
	};
	long n[3];
	char *out = run_check(PB_FMT_TABLE, plans, 2, n);

	(void)state;
	assert_string_equal(out,
		"plan_id  person_id  allocation_id  decision  annual_total  annual_budget   headroom  reasons              policy_version\n"
		"-------  ---------  -------------  --------  ------------  -------------  ---------  -------------------  --------------\n"
		"PL-1     P1         A1             return       £4,992.00      £5,200.00    £208.00  POOL_OVERSUBSCRIBED  2026-04\n"
		"PL-2     P2         A2             return       £4,992.00     £12,116.00  £7,124.00  POOL_OVERSUBSCRIBED  2026-04\n"
		"\n"
		"PL-1 line l1: POOL_OVERSUBSCRIBED: the shares of pool 'art' in the plans checked add up to 120%, more than 100%\n"
		"PL-2 line l1: POOL_OVERSUBSCRIBED: the shares of pool 'art' in the plans checked add up to 120%, more than 100%\n");
	free(out);
	out = run_check(PB_FMT_MD, plans, 2, n);
	assert_non_null(strstr(out, "# Support plan PL-1\n"));
	assert_non_null(strstr(out, "\n---\n\n# Support plan PL-2\n"));
	assert_non_null(strstr(out,
		"- **Shared cost shared out too often** (line l1): the shares of pool 'art' in the plans checked add up to 120%, more than 100%\n"));
	/* no description: the category stands in */
	assert_non_null(strstr(out, "| education (your share: 60% of £160.00) | £96.00 a week | £96.00 | £4,992.00 |\n"));
	free(out);
}

static void test_md_text(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{"Violin group", "Violin group"},
		{"a|b", "a\\|b"},
		{"*bold* _it_ `code` [x](y) <b> #1 \\", "\\*bold\\* \\_it\\_ \\`code\\` \\[x\\](y) \\<b\\> \\#1 \\\\"},
		{"two\nlines\r\tand", "two lines  and"},
		{"£40.00, 25%", "£40.00, 25%"},
	};
	struct pb_buf b;
	size_t i;

	(void)state;
	pb_buf_init(&b);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		pb_buf_reset(&b);
		pb_md_text(&b, t[i].in);
		assert_string_equal(b.s ? b.s : "", t[i].out);
	}
	pb_buf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_tolerance),
		cmocka_unit_test(test_allocs),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_files),
		cmocka_unit_test(test_check_csv),
		cmocka_unit_test(test_check_json),
		cmocka_unit_test(test_check_table_md),
		cmocka_unit_test(test_md_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
