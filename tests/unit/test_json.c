/* test_json.c - JSON documents: key paths in errors, duplicate keys,
 * checked scalars, several documents in one buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "pbjson.h"

static void test_paths(void **state)
{
	char a[PB_JPATH_MAX], b[PB_JPATH_MAX];

	(void)state;
	assert_string_equal(pb_jpath_key(a, "", "questions"), "questions");
	assert_string_equal(pb_jpath_index(b, a, 3), "questions[3]");
	assert_string_equal(pb_jpath_key(a, b, "answers"),
			    "questions[3].answers");
	assert_string_equal(pb_jpath_key(a, NULL, "x"), "x");
}

static void test_duplicates(void **state)
{
	static const struct {
		const char *doc, *key, *text;
		int line;
	} t[] = {
		{"{\"a\":1,\"a\":2}", "", "duplicate key 'a'", 1},
		{"{\"questions\":[{\"id\":\"x\",\"answers\":{}},{},{},\n"
		 "{\"id\":\"y\",\"answers\":{\"none\":0,\"some\":4,\n\"some\":5}}]}",
		 "questions[3].answers", "duplicate key 'some'", 3},
		{"{\"m\":{\"s\":\"a,b\\\"}\",\"t\":[1,{\"u\":2}],\"t\":3}}",
		 "m", "duplicate key 't'", 1},
		{"[{\"x\":{\"y\":[[],[{\"k\":1,\"k\":1}]]}}]", "[0].x.y[1][0]",
		 "duplicate key 'k'", 1},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		json_t *v = pb_json_load_next(t[i].doc, strlen(t[i].doc), NULL,
					      PB_EUSAGE, &e);

		assert_null(v);
		assert_int_equal(e.code, PB_EUSAGE);
		assert_string_equal(e.key, t[i].key);
		assert_string_equal(e.text, t[i].text);
		assert_int_equal(e.line, t[i].line);
	}
}

static void test_load_next(void **state)
{
	const char *buf = "{\"a\":1}\n{\n  \"b\": [2]\n}\n{\"c\":";
	size_t len = strlen(buf), off = 0, used = 0;
	struct pb_error e;
	json_t *v;

	(void)state;
	v = pb_json_load_next(buf, len, &used, PB_EDATA, &e);
	assert_non_null(v);
	assert_int_equal(used, 7);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
	off += used;
	v = pb_json_load_next(buf + off, len - off, &used, PB_EDATA, &e);
	assert_non_null(v);
	assert_non_null(json_object_get(v, "b"));
	json_decref(v);
	off += used;
	v = pb_json_load_next(buf + off, len - off, &used, PB_EDATA, &e);
	assert_null(v);
	assert_int_equal(e.code, PB_EDATA);
	assert_string_equal(e.key, "");
	assert_non_null(strstr(e.text, "not valid JSON"));
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/pb-test-json-XXXXXX";
	int fd = mkstemp(path);
	struct pb_error e;
	json_t *v;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"version\": \"1\",\n \"x\": [1, 2,]}\n", 32), 32);
	close(fd);
	v = pb_json_load_file(path, PB_EUSAGE, &e);
	assert_null(v);
	assert_int_equal(e.code, PB_EUSAGE);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.text, "not valid JSON (column "));

	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	v = pb_json_load_file(path, PB_EUSAGE, &e);
	assert_null(v);
	assert_string_equal(e.text, "empty: no JSON document");
	unlink(path);

	v = pb_json_load_file("/nonexistent/pb.json", PB_EUSAGE, &e);
	assert_null(v);
	assert_int_equal(e.code, PB_EIO);
	assert_string_equal(e.file, "/nonexistent/pb.json");
	assert_string_equal(e.text, "cannot open: No such file or directory");
}

static void test_keys_and_types(void **state)
{
	static const char *const allowed[] = {"version", "name", NULL};
	json_t *o = json_loads("{\"version\":\"1\",\"nmae\":\"x\"}", 0, NULL);
	struct pb_error e;
	char buf[256];

	(void)state;
	pb_error_clear(&e);
	pb_error_at(&e, "ras.json", 0, NULL);
	assert_int_equal(pb_json_keys(o, "money", allowed, PB_EUSAGE, &e),
			 -PB_EUSAGE);
	assert_string_equal(pb_error_format(buf, sizeof buf, "pb-assess", &e),
			    "pb-assess: ras.json: money: unknown key 'nmae' "
			    "(known: version, name)");
	assert_int_equal(pb_json_object(o, "", PB_EUSAGE, &e), 0);
	assert_int_equal(pb_json_array(o, "questions", PB_EUSAGE, &e),
			 -PB_EUSAGE);
	assert_string_equal(e.text, "must be an array, not an object");
	assert_int_equal(pb_json_array(NULL, "questions", PB_EUSAGE, &e),
			 -PB_EUSAGE);
	assert_string_equal(e.text, "must be an array, not missing");
	json_decref(o);
}

static void test_scalars(void **state)
{
	json_t *o = json_loads(
		"{\"s\":\"12.50\",\"i\":12,\"r\":12.5,\"b\":true,\"bad\":\"12.345\","
		"\"d\":\"29/02/2024\",\"nd\":\"2023-02-29\",\"p\":\"72.5\",\"pi\":70,"
		"\"big\":90000000000001}", 0, NULL);
	struct pb_error e;
	int64_t v = -1;
	int32_t d;
	const char *s;
	int b;

	(void)state;
	assert_int_equal(pb_json_money(json_object_get(o, "s"), "s", PB_JREQ,
				       &v, PB_EUSAGE, &e), 1);
	assert_int_equal(v, 1250);
	assert_int_equal(pb_json_money(json_object_get(o, "i"), "i", PB_JREQ,
				       &v, PB_EUSAGE, &e), 1);
	assert_int_equal(v, 1200);
	assert_int_equal(pb_json_money(json_object_get(o, "r"), "money.r",
				       PB_JREQ, &v, PB_EUSAGE, &e), -PB_EUSAGE);
	assert_string_equal(e.key, "money.r");
	assert_string_equal(e.text, "a number with a fraction is not exact money: "
			    "write it as a string, e.g. \"12.50\"");
	assert_int_equal(pb_json_money(json_object_get(o, "bad"), "bad", PB_JREQ,
				       &v, PB_EDATA, &e), -PB_EDATA);
	assert_string_equal(e.key, "bad");
	assert_string_equal(e.text, "not a money amount '12.345': more than two decimal places");
	assert_int_equal(pb_json_money(json_object_get(o, "big"), "big", PB_JREQ,
				       &v, PB_EDATA, &e), -PB_EDATA);
	v = 7;
	assert_int_equal(pb_json_money(NULL, "x", PB_JOPT, &v, PB_EDATA, &e), 0);
	assert_int_equal(v, 7);
	assert_int_equal(pb_json_money(NULL, "x", PB_JREQ, &v, PB_EDATA, &e),
			 -PB_EDATA);
	assert_string_equal(e.text, "missing");

	assert_int_equal(pb_json_int(json_object_get(o, "i"), "i", PB_JREQ, 0,
				     10, &v, PB_EUSAGE, &e), -PB_EUSAGE);
	assert_string_equal(e.text, "out of range 12 (from 0 to 10)");
	assert_int_equal(pb_json_int(json_object_get(o, "s"), "s", PB_JREQ, 0,
				     10, &v, PB_EUSAGE, &e), -PB_EUSAGE);
	assert_string_equal(e.text, "must be a whole number, not a string");

	assert_int_equal(pb_json_tenths(json_object_get(o, "p"), "p", PB_JREQ, 0,
					1000, &v, PB_EUSAGE, &e), 1);
	assert_int_equal(v, 725);
	assert_int_equal(pb_json_tenths(json_object_get(o, "pi"), "pi", PB_JREQ,
					0, 1000, &v, PB_EUSAGE, &e), 1);
	assert_int_equal(v, 700);

	assert_int_equal(pb_json_bool(json_object_get(o, "b"), "b", PB_JREQ, &b,
				      PB_EUSAGE, &e), 1);
	assert_int_equal(b, 1);
	assert_int_equal(pb_json_bool(json_object_get(o, "s"), "s", PB_JREQ, &b,
				      PB_EUSAGE, &e), -PB_EUSAGE);
	assert_string_equal(e.text, "must be true or false, not a string");

	assert_int_equal(pb_json_date(json_object_get(o, "d"), "d", PB_JREQ, &d,
				      PB_EDATA, &e), 1);
	assert_int_equal(pb_json_date(json_object_get(o, "nd"), "nd", PB_JREQ,
				      &d, PB_EDATA, &e), -PB_EDATA);
	assert_string_equal(e.key, "nd");
	assert_string_equal(e.text, "not a date '2023-02-29': February 2023 has 28 days");

	assert_int_equal(pb_json_str(json_object_get(o, "i"), "i", PB_JREQ, &s,
				     PB_EUSAGE, &e), -PB_EUSAGE);
	assert_string_equal(e.text, "must be a string, not an integer");
	assert_int_equal(pb_json_str(json_object_get(o, "s"), "s", PB_JREQ, &s,
				     PB_EUSAGE, &e), 1);
	assert_string_equal(s, "12.50");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_load_next),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_keys_and_types),
		cmocka_unit_test(test_scalars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
