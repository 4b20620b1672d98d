/* test_field.c - typed fields: values, empty and absent fields, errors
 * that name the input's column and quote the value, JSON kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codes.h"
#include "pb.h"

/* One record by hand: column "Their Col" holding s with the given kind,
 * and column "other". */
struct onerec {
	struct pb_header h;
	char *names[2], *norms[2];
	const char *vals[2];
	size_t lens[2];
	unsigned char kinds[2];
	struct pb_record rec;
};

static struct pb_record *mkrec(struct onerec *o, const char *s, int kind)
{
	memset(o, 0, sizeof *o);
	o->names[0] = "Their Col";
	o->names[1] = "other";
	o->norms[0] = "their_col";
	o->norms[1] = "other";
	o->h.n = 2;
	o->h.name = o->names;
	o->h.norm = o->norms;
	o->vals[0] = s;
	o->lens[0] = strlen(s);
	o->kinds[0] = (unsigned char)kind;
	o->vals[1] = "";
	o->kinds[1] = PB_KIND_ABSENT;
	o->rec.hdr = &o->h;
	o->rec.n = 2;
	o->rec.val = o->vals;
	o->rec.len = o->lens;
	o->rec.kind = o->kinds;
	o->rec.file = "x.csv";
	o->rec.line = 7;
	return &o->rec;
}

static void check_err(const struct pb_error *e, const char *field,
		      const char *text)
{
	assert_int_equal(e->code, PB_EDATA);
	assert_string_equal(e->field, field);
	assert_string_equal(e->text, text);
}

static void test_money(void **state)
{
	static const struct {
		const char *s;
		int kind, rc;
		int64_t pence;
		const char *text;
	} t[] = {
		{"12.50", PB_KIND_STR, 1, 1250, NULL},
		{"£1,234.56", PB_KIND_STR, 1, 123456, NULL},
		{"12", PB_KIND_INT, 1, 1200, NULL},
		{"", PB_KIND_STR, 0, -1, NULL},
		{"", PB_KIND_NULL, 0, -1, NULL},
		{"", PB_KIND_ABSENT, 0, -1, NULL},
		{"12.5", PB_KIND_REAL, -PB_EDATA, 0,
		 "a JSON number with a fraction is not exact money '12.5': write it as a string"},
		{"true", PB_KIND_BOOL, -PB_EDATA, 0, "not a money amount 'true'"},
		{"12.345", PB_KIND_STR, -PB_EDATA, 0,
		 "not a money amount '12.345': more than two decimal places"},
	};
	struct onerec o;
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t v = -1;

		pb_error_clear(&e);
		assert_int_equal(pb_field_money(mkrec(&o, t[i].s, t[i].kind), 0,
						&v, &e), t[i].rc);
		if (t[i].rc >= 0)
			assert_int_equal(v, t[i].pence);
		else
			check_err(&e, "Their Col", t[i].text);
	}
	/* A column not in this input reads as empty. */
	assert_int_equal(pb_field_money(mkrec(&o, "1", 0), -1, &(int64_t){0},
					&e), 0);
}

static void test_date_int_tenths(void **state)
{
	struct onerec o;
	struct pb_error e;
	int32_t d = -1;
	int64_t v = -1;

	(void)state;
	assert_int_equal(pb_field_date(mkrec(&o, "01/04/2026", 0), 0, &d, &e), 1);
	assert_int_equal(d, 20544);
	assert_int_equal(pb_field_date(mkrec(&o, "", 0), 0, &d, &e), 0);
	assert_int_equal(d, 20544);
	pb_error_clear(&e);
	assert_int_equal(pb_field_date(mkrec(&o, "2026-02-29", 0), 0, &d, &e),
			 -PB_EDATA);
	check_err(&e, "Their Col",
		  "not a date '2026-02-29': February 2026 has 28 days");

	assert_int_equal(pb_field_int(mkrec(&o, "45", 0), 0, 0, 130, &v, &e), 1);
	assert_int_equal(v, 45);
	pb_error_clear(&e);
	assert_int_equal(pb_field_int(mkrec(&o, "131", 0), 0, 0, 130, &v, &e),
			 -PB_EDATA);
	check_err(&e, "Their Col", "too large '131' (at most 130)");

	assert_int_equal(pb_field_tenths(mkrec(&o, "72.5", 0), 0, 0, 1000, &v,
					 &e), 1);
	assert_int_equal(v, 725);
	pb_error_clear(&e);
	assert_int_equal(pb_field_tenths(mkrec(&o, "x", 0), 0, 0, 1000, &v, &e),
			 -PB_EDATA);
	check_err(&e, "Their Col", "not a percentage 'x'");
}

static void test_req_and_code(void **state)
{
	struct onerec o;
	struct pb_error e;
	struct pb_codecache mech, setting;
	int c = -1, k;

	(void)state;
	pb_codecache_init(&mech, &pb_codes_mech);
	pb_codecache_init(&setting, &pb_codes_setting);
	assert_int_equal(pb_field_req(mkrec(&o, "P1", 0), 0, "person_id", &e), 1);
	pb_error_clear(&e);
	assert_int_equal(pb_field_req(mkrec(&o, "", PB_KIND_STR), 0,
				      "person_id", &e), -PB_EDATA);
	check_err(&e, "Their Col", "empty value");
	pb_error_clear(&e);
	assert_int_equal(pb_field_req(mkrec(&o, "", PB_KIND_NULL), 0,
				      "person_id", &e), -PB_EDATA);
	check_err(&e, "Their Col", "empty value");
	/* JSON without the key: say which key. */
	pb_error_clear(&e);
	assert_int_equal(pb_field_req(mkrec(&o, "", 0), 1, "person_id", &e),
			 -PB_EDATA);
	check_err(&e, "", "no 'person_id' in this record");
	pb_error_clear(&e);
	assert_int_equal(pb_field_req(mkrec(&o, "", 0), -1, "person_id", &e),
			 -PB_EDATA);
	check_err(&e, "", "no 'person_id' in this record");

	/* twice: the second time from the cache */
	for (k = 0; k < 2; k++) {
		c = -1;
		assert_int_equal(pb_field_code(mkrec(&o, "Direct Payment only", 0),
					       0, &mech, -1, &c, &e), 1);
		assert_int_equal(c, PB_MECH_DP);
		assert_int_equal(pb_field_code(mkrec(&o, "direct payment ONLY", 0),
					       0, &mech, -1, &c, &e), 1);
		assert_int_equal(c, PB_MECH_DP);
		assert_int_equal(pb_field_code(mkrec(&o, "CASSR Managed Personal Budget", 0),
					       0, &mech, -1, &c, &e), 1);
		assert_int_equal(c, PB_MECH_MANAGED);
	}
	assert_int_equal(pb_field_code(mkrec(&o, "", 0), 0, &setting,
				       PB_SET_COMMUNITY, &c, &e), 0);
	assert_int_equal(c, PB_SET_COMMUNITY);
	pb_error_clear(&e);
	assert_int_equal(pb_field_code(mkrec(&o, "", 0), 0, &mech, -1,
				       &c, &e), -PB_EDATA);
	check_err(&e, "Their Col", "no delivery mechanism given");
	pb_error_clear(&e);
	for (k = 0; k < 2; k++) {
		pb_error_clear(&e);
		assert_int_equal(pb_field_code(mkrec(&o, "cash", 0), 0, &mech,
					       -1, &c, &e), -PB_EDATA);
		check_err(&e, "Their Col", "unknown delivery mechanism 'cash'");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_date_int_tenths),
		cmocka_unit_test(test_req_and_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
