/* test_cli.c - the option layer every tool shares: option values as
 * usage errors naming the option, lists of names, bad options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static void check(const struct pb_error *e, int code, const char *text)
{
	assert_int_equal(e->code, code);
	assert_string_equal(e->text, text);
}

static void test_values(void **state)
{
	struct pb_error e;
	int32_t d = 0;
	int64_t v = 0;

	(void)state;
	assert_int_equal(pb_opt_date("--as-of", "31/03/2026", &d, &e), 0);
	assert_int_equal(d, 20543);
	pb_error_clear(&e);
	assert_int_equal(pb_opt_date("--as-of", "31/02/2026", &d, &e),
			 -PB_EUSAGE);
	check(&e, PB_EUSAGE,
	      "--as-of: not a date '31/02/2026': February 2026 has 28 days");
	assert_int_equal(pb_opt_int("--wait", "60", 0, 86400, &v, &e), 0);
	assert_int_equal(v, 60);
	assert_int_equal(pb_opt_int("--wait", "-1", 0, 86400, &v, &e),
			 -PB_EUSAGE);
	check(&e, PB_EUSAGE, "--wait: too small '-1' (at least 0)");
	assert_int_equal(pb_opt_money("--pot", "£1,500,000", &v, &e), 0);
	assert_int_equal(v, 150000000);
	assert_int_equal(pb_opt_money("--pot", "1.005", &v, &e), -PB_EUSAGE);
	check(&e, PB_EUSAGE,
	      "--pot: not a money amount '1.005': more than two decimal places");
	assert_int_equal(pb_opt_tenths("--target", "70.5", 0, 1000, &v, &e), 0);
	assert_int_equal(v, 705);
	assert_int_equal(pb_opt_tenths("--target", "101", 0, 1000, &v, &e),
			 -PB_EUSAGE);
	check(&e, PB_EUSAGE,
	      "--target: out of range '101' (from 0.0 to 100.0)");
}

static void test_list(void **state)
{
	struct pb_list l = {NULL, 0, NULL};
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_opt_list("--by", " team , la_code,age_band", &l, &e),
			 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "team");
	assert_string_equal(l.v[1], "la_code");
	assert_string_equal(l.v[2], "age_band");
	/* again: replaces what it held */
	assert_int_equal(pb_opt_list("--by", "Team Name", &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "Team Name");
	assert_int_equal(pb_opt_list("--drop", "a,,b", &l, &e), -PB_EUSAGE);
	check(&e, PB_EUSAGE, "--drop: empty column name");
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	assert_int_equal(pb_opt_list("--by", "a,", &l, &e), -PB_EUSAGE);
	check(&e, PB_EUSAGE, "--by: empty column name");
	pb_list_free(&l);
}

static void test_badopt(void **state)
{
	char *argv[] = {"pb-x", "--as-of", "-z", "--bogus=1", NULL};
	struct pb_error e;

	(void)state;
	pb_cli_badopt(&e, ':', 0, argv, 2);
	check(&e, PB_EUSAGE, "option '--as-of' needs a value");
	pb_cli_badopt(&e, '?', 'z', argv, 3);
	check(&e, PB_EUSAGE, "unknown option '-z'");
	pb_cli_badopt(&e, '?', 0, argv, 4);
	check(&e, PB_EUSAGE, "unknown option '--bogus=1'");
}

#define SHORTOPTS ":" PB_CLI_SHORTOPTS "p:"

static const struct option longopts[] = {
	PB_CLI_LONGOPTS,
	{"pot", required_argument, NULL, 'p'},
	{NULL, 0, NULL, 0}
};

static int next(struct pb_cli *c, int argc, char **argv, struct pb_error *e)
{
	return pb_cli_getopt(c, argc, argv, SHORTOPTS, longopts, e);
}

static void test_getopt(void **state)
{
	char *argv[] = {"pb-x", "-f", "json", "--map=a=B", "--pot", "5",
			"-h", "in.csv", NULL};
	struct pb_cli c;
	struct pb_error e;

	(void)state;
	pb_cli_init(&c, "pb-x");
	pb_error_clear(&e);
	/* The common options are kept, the tool's own is returned. */
	assert_int_equal(next(&c, 8, argv, &e), 'p');
	assert_string_equal(optarg, "5");
	assert_int_equal(c.format, PB_FMT_JSON);
	assert_string_equal(c.map_spec, "a=B");
	assert_int_equal(next(&c, 8, argv, &e), -1);
	assert_true(c.help);
	assert_false(c.version);
	assert_int_equal(c.nopts, 4);
	assert_int_equal(optind, 7);
	assert_string_equal(argv[optind], "in.csv");
	assert_int_equal(e.code, 0);
}

static void test_getopt_own(void **state)
{
	char *argv[] = {"pb-x", "-i", "csv", "--format", "journal", NULL};
	struct pb_cli c;
	struct pb_error e;

	(void)state;
	/* Starts again from argv[1] for a new cli. */
	pb_cli_init(&c, "pb-x");
	c.own = "f";
	assert_int_equal(next(&c, 5, argv, &e), 'f');
	assert_string_equal(optarg, "journal");
	assert_int_equal(c.informat, PB_IN_CSV);
	assert_int_equal(c.format, PB_FMT_CSV);
	assert_int_equal(next(&c, 5, argv, &e), -1);
	assert_int_equal(c.nopts, 2);
}

static void test_getopt_errors(void **state)
{
	char *unknown[] = {"pb-x", "-V", "--bogus", "-p", "1", NULL};
	char *missing[] = {"pb-x", "-p", NULL};
	char *missing_long[] = {"pb-x", "--rejects", NULL};
	char *bad[] = {"pb-x", "-f", "xml", NULL};
	struct pb_cli c;
	struct pb_error e, want;
	enum pb_format f;

	(void)state;
	pb_cli_init(&c, "pb-x");
	assert_int_equal(next(&c, 5, unknown, &e), '?');
	check(&e, PB_EUSAGE, "unknown option '--bogus'");
	assert_true(c.version);
	pb_cli_init(&c, "pb-x");
	assert_int_equal(next(&c, 2, missing, &e), '?');
	check(&e, PB_EUSAGE, "option '-p' needs a value");
	pb_cli_init(&c, "pb-x");
	assert_int_equal(next(&c, 2, missing_long, &e), '?');
	check(&e, PB_EUSAGE, "option '--rejects' needs a value");
	assert_null(c.rejects_path);
	/* A bad value of a common option, as pb_cli_option says it. */
	pb_cli_init(&c, "pb-x");
	assert_int_equal(next(&c, 3, bad, &e), '?');
	pb_error_clear(&want);
	assert_int_equal(pb_format_parse("xml", &f, &want), -PB_EUSAGE);
	check(&e, PB_EUSAGE, want.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_badopt),
		cmocka_unit_test(test_getopt),
		cmocka_unit_test(test_getopt_own),
		cmocka_unit_test(test_getopt_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
