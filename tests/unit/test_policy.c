/* test_policy.c - the spending policy: every check made when it loads,
 * with the key path of each error, what a good policy holds, streams,
 * and loading from a file. */
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
#include "policy.h"

static void check_error(const struct pb_error *e, int code, const char *file,
			long line, const char *key, const char *text)
{
	assert_int_equal(e->code, code);
	assert_string_equal(e->file, file);
	assert_int_equal(e->line, line);
	assert_string_equal(e->field, "");
	assert_string_equal(e->key, key);
	assert_string_equal(e->text, text);
}

static struct pb_spending *policy_of(const char *doc, struct pb_error *e)
{
	json_error_t jerr;
	json_t *j = json_loads(doc, JSON_DECODE_ANY, &jerr);
	struct pb_spending *p;

	if (!j)
		fail_msg("bad test JSON: %s: %s", doc, jerr.text);
	p = pb_spending_from_json(j, e);
	json_decref(j);
	return p;
}

static void test_errors(void **state)
{
	static const struct {
		const char *doc, *key, *text;
	} t[] = {
		{"[]", "", "must be an object, not an array"},
		{"{\"categories\":{}}", "version", "missing"},
		{"{\"version\":2,\"categories\":{}}", "version",
		 "must be a string, not an integer"},
		{"{\"version\":\"\",\"categories\":{}}", "version", "empty"},
		{"{\"version\":\"1\"}", "categories", "must be an object, not missing"},
		{"{\"version\":\"1\",\"categories\":[]}", "categories",
		 "must be an object, not an array"},
		{"{\"version\":\"1\",\"categories\":{},\"forbid\":[]}", "",
		 "unknown key 'forbid' (known: name, version, categories, forbidden, tolerance_percent, contingency_max_percent)"},
		{"{\"version\":\"1\",\"name\":7,\"categories\":{}}", "name",
		 "must be a string, not an integer"},
		{"{\"version\":\"1\",\"categories\":{\"Leisure\":{}}}",
		 "categories.Leisure",
		 "not a category code (lower-case letters, digits, '_' and '-') 'Leisure'"},
		{"{\"version\":\"1\",\"categories\":{\"a b\":{}}}", "categories.a b",
		 "not a category code (lower-case letters, digits, '_' and '-') 'a b'"},
		{"{\"version\":\"1\",\"categories\":{\"x\":[]}}", "categories.x",
		 "must be an object, not an array"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"review\":1}}}",
		 "categories.x.review", "must be true or false, not an integer"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"needs\":[]}}}",
		 "categories.x",
		 "unknown key 'needs' (known: requires, streams, review)"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"requires\":[\"y\"]}}}",
		 "categories.x.requires[0]", "not a category of this policy 'y'"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"requires\":\"y\"},\"y\":{}}}",
		 "categories.x.requires", "must be an array, not a string"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"requires\":[\"x\",3]}}}",
		 "categories.x.requires[1]", "must be a string, not an integer"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"requires\":[\"gambling\"]}},\"forbidden\":[\"gambling\"]}",
		 "categories.x.requires[0]",
		 "not a category of this policy 'gambling'"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"streams\":[\"nhs\"]}}}",
		 "categories.x.streams[0]",
		 "not a funding stream (social_care, health, s117) 'nhs'"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{\"streams\":[]}}}",
		 "categories.x.streams",
		 "names no stream: nothing could pay for this category (leave \"streams\" out to allow every stream)"},
		{"{\"version\":\"1\",\"categories\":{\"x\":{}},\"forbidden\":[\"y\",\"x\"]}",
		 "forbidden[1]", "both allowed and forbidden 'x'"},
		{"{\"version\":\"1\",\"categories\":{},\"forbidden\":[\"Gambling\"]}",
		 "forbidden[0]",
		 "not a category code (lower-case letters, digits, '_' and '-') 'Gambling'"},
		{"{\"version\":\"1\",\"categories\":{},\"forbidden\":\"gambling\"}",
		 "forbidden", "must be an array, not a string"},
		{"{\"version\":\"1\",\"categories\":{},\"tolerance_percent\":101}",
		 "tolerance_percent", "out of range '101' (from 0.0 to 100.0)"},
		{"{\"version\":\"1\",\"categories\":{},\"tolerance_percent\":\"2.55\"}",
		 "tolerance_percent",
		 "more than one decimal place '2.55'"},
		{"{\"version\":\"1\",\"categories\":{},\"contingency_max_percent\":-1}",
		 "contingency_max_percent", "out of range '-1' (from 0.0 to 100.0)"},
		{"{\"version\":\"1\",\"categories\":{},\"contingency_max_percent\":7.5}",
		 "contingency_max_percent",
		 "must be a percentage (a whole number or a string such as \"12.5\"), not a number with a fraction"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct pb_spending *p = policy_of(t[i].doc, &e);

		if (p)
			fail_msg("accepted: %s", t[i].doc);
		check_error(&e, PB_EUSAGE, "", 0, t[i].key, t[i].text);
	}
}

/* CONTRACTS.md §7's example, as scripts/demo/policy.json has it. */
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

static void test_example(void **state)
{
	struct pb_error e;
	struct pb_spending *p = policy_of(example, &e);
	const struct pb_category *c;
	long i;

	(void)state;
	assert_non_null(p);
	assert_string_equal(p->version, "2026-04");
	assert_string_equal(p->name, "");
	assert_int_equal(p->ncat, 16);
	assert_int_equal(p->tolerance, 0);
	assert_int_equal(p->contingency_max, 100);
	/* in the policy's order */
	assert_string_equal(p->cat[0].name, "personal_assistant");
	assert_string_equal(p->cat[15].name, "contingency");
	i = pb_spending_find(p, "personal_assistant", 18);
	assert_int_equal(i, 0);
	c = &p->cat[i];
	assert_int_equal(c->nrequires, 1);
	assert_string_equal(p->cat[c->requires[0]].name, "employer_insurance");
	assert_int_equal(c->streams, PB_STREAMS_ALL);
	assert_false(c->review);
	i = pb_spending_find(p, "therapy", 7);
	assert_true(i >= 0);
	assert_int_equal(p->cat[i].streams,
			 (1u << PB_STREAM_HEALTH) | (1u << PB_STREAM_S117));
	i = pb_spending_find(p, "household", 9);
	assert_true(p->cat[i].review);
	assert_int_equal(pb_spending_find(p, "gambling", 8), -1);
	assert_int_equal(pb_spending_find(p, "Leisure", 7), -1);
	assert_true(pb_spending_forbids(p, "gambling", 8));
	assert_true(pb_spending_forbids(p, "council_service", 15));
	assert_false(pb_spending_forbids(p, "leisure", 7));
	pb_spending_free(p);

	/* No contingency limit unless one is given; tenths. */
	p = policy_of("{\"version\":\"v\",\"name\":\"N\",\"categories\":{\"a\":{\"requires\":[\"b\",\"b\",\"a\"]},\"b\":{\"streams\":[\"s117\",\"s117\"]}},\"tolerance_percent\":\"2.5\"}",
		      &e);
	assert_non_null(p);
	assert_string_equal(p->name, "N");
	assert_int_equal(p->contingency_max, -1);
	assert_int_equal(p->tolerance, 25);
	/* the same category twice is needed once */
	assert_int_equal(p->cat[0].nrequires, 2);
	assert_int_equal(p->cat[0].requires[0], 1);
	assert_int_equal(p->cat[0].requires[1], 0);
	assert_int_equal(p->cat[1].streams, 1u << PB_STREAM_S117);
	pb_spending_free(p);
	pb_spending_free(NULL);
}

static void test_streams(void **state)
{
	static const struct {
		unsigned mask;
		const char *text;
	} t[] = {
		{0, ""},
		{1, "social_care"},
		{2, "health"},
		{6, "health or s117"},
		{5, "social_care or s117"},
		{7, "social_care, health or s117"},
	};
	char buf[64];
	size_t i;

	(void)state;
	assert_int_equal(pb_stream_parse("social_care", 11), PB_STREAM_SOCIAL_CARE);
	assert_int_equal(pb_stream_parse("health", 6), PB_STREAM_HEALTH);
	assert_int_equal(pb_stream_parse("s117", 4), PB_STREAM_S117);
	assert_int_equal(pb_stream_parse("s11", 3), -1);
	assert_int_equal(pb_stream_parse("Health", 6), -1);
	assert_int_equal(pb_stream_parse("", 0), -1);
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_string_equal(pb_streams_text(buf, sizeof buf, t[i].mask),
				    t[i].text);
	/* cut short, never overrun */
	assert_string_equal(pb_streams_text(buf, 8, 7), "");
}

static void test_load(void **state)
{
	char path[] = "/tmp/pb-test-policy-XXXXXX";
	int fd = mkstemp(path);
	struct pb_error e;
	struct pb_spending *p;
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("{\"version\": \"1\",\n \"categories\": {\"x\": {\"requires\": [\"y\"]}}}\n",
	      fp);
	fclose(fp);
	p = pb_spending_load(path, &e);
	assert_null(p);
	check_error(&e, PB_EUSAGE, path, 0, "categories.x.requires[0]",
		    "not a category of this policy 'y'");

	fp = fopen(path, "w");
	fputs("{\"version\": \"1\",\n \"categories\": {\"x\": {},}}\n", fp);
	fclose(fp);
	p = pb_spending_load(path, &e);
	assert_null(p);
	assert_int_equal(e.code, PB_EUSAGE);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.text, "not valid JSON"));

	fp = fopen(path, "w");
	fputs(example, fp);
	fclose(fp);
	p = pb_spending_load(path, &e);
	assert_non_null(p);
	assert_int_equal(p->ncat, 16);
	pb_spending_free(p);
	unlink(path);

	p = pb_spending_load("/nonexistent/policy.json", &e);
	assert_null(p);
	check_error(&e, PB_EIO, "/nonexistent/policy.json", 0, "",
		    "cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
