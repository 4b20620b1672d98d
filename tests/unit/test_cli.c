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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_badopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
