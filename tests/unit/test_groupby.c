/*
 * test_groupby.c - group columns (--by) and the keys of rows
 * (lib/groupby.c): codes by their canonical names, derived age bands,
 * plain columns as written, and the errors, whole.
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
			const char *file, long line, const char *field,
			const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 ||
	    e->line != line || strcmp(e->field, field) != 0 ||
	    e->key[0] != '\0' || strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n"
			 "  want code %d file '%s' line %ld field '%s' text '%s'\n"
			 "  got  code %d file '%s' line %ld field '%s' text '%s'",
			 what, code, file, line, field, text, e->code, e->file,
			 e->line, e->field, e->text);
}

/* A header and a record over fixed columns. */
static char *names[] = {"person_id", "Team", "primary_support_reason",
			"delivery_mechanism", "age_band", "support_setting"};
static char *norms[] = {"person_id", "team", "primary_support_reason",
			"delivery_mechanism", "age_band", "support_setting"};
static struct pb_header hdr = {6, names, norms, 1};

static void make_record(struct pb_record *rec, const char **val,
			size_t *len, unsigned char *kind)
{
	size_t i;

	for (i = 0; i < hdr.n; i++) {
		len[i] = strlen(val[i]);
		kind[i] = PB_KIND_STR;
	}
	rec->hdr = &hdr;
	rec->n = hdr.n;
	rec->val = val;
	rec->len = len;
	rec->kind = kind;
	rec->file = "x.csv";
	rec->line = 2;
}

/* The key as "a|b|" for comparison (NULs shown as '|'). */
static void show(const struct pb_buf *k, char *out)
{
	size_t i;

	for (i = 0; i < k->len; i++)
		out[i] = k->s[i] ? k->s[i] : '|';
	out[k->len] = '\0';
}

static void test_keys(void **state)
{
	static const struct {
		const char *by[3];
		size_t nby;
		int age;             /* row age, -1: from the age_band column */
		const char *band;    /* the age_band column */
		const char *key;
	} t[] = {
		{{"primary_support_reason"}, 1, 40, "", "mental_health|"},
		{{"team", "age_band"}, 2, 70, "", "North, East|65+|"},
		{{"Age Band Fine", "support_setting"}, 2, 70, "", "65-74|community|"},
		{{"delivery_mechanism", "TEAM"}, 2, 30, "", "part_dp|North, East|"},
		/* an age_band column already banded is used as it is */
		{{"age_band"}, 1, -1, "65+", "65+|"},
		/* unknown age: an empty band */
		{{"age_band"}, 1, -1, "", "|"},
	};
	const char *val[6] = {"P1", "North, East", "Mental Health Support",
			      "Part Direct Payment", "", "Community"};
	size_t len[6], i;
	unsigned char kind[6];
	struct pb_record rec;
	struct pb_export x;
	struct pb_export_row row;
	struct pb_buf key;
	struct pb_error e;
	char got[128];

	(void)state;
	pb_buf_init(&key);
	pb_export_init(&x);
	x.idx[PB_X_AGE_BAND] = 4;
	for (i = 0; i < N(t); i++) {
		struct pb_groupby *g = pb_groupby_new(t[i].by, t[i].nby, 0, NULL, &e);
		enum pb_age band;
		int coarse = 0;

		assert_non_null(g);
		assert_int_equal(pb_groupby_bind(g, &hdr, NULL, 0, &e), 0);
		val[4] = t[i].band;
		make_record(&rec, val, len, kind);
		memset(&row, 0, sizeof row);
		row.psr = PB_PSR_MENTAL_HEALTH;
		row.mech = PB_MECH_PART_DP;
		row.setting = PB_SET_COMMUNITY;
		row.age = t[i].age;
		row.band = PB_AGE_UNKNOWN;
		if (t[i].age < 0 && t[i].band[0]) {
			assert_int_equal(pb_age_band_parse(t[i].band, strlen(t[i].band),
							   &row.band, &coarse, &e), 0);
			row.band_coarse = coarse;
		}
		band = pb_export_age(&row, 20543);
		assert_int_equal(pb_groupby_key(g, &rec, &x, &row, band, &key, &e), 0);
		show(&key, got);
		if (strcmp(got, t[i].key) != 0)
			fail_msg("case %zu: key '%s', want '%s'", i, got, t[i].key);
		assert_int_equal(pb_groupby_count(g), t[i].nby);
		assert_string_equal(pb_groupby_name(g, 0), t[i].by[0]);
		pb_groupby_free(g);
	}
	pb_buf_fini(&key);
}

static void test_errors(void **state)
{
	static const char *const mech[] = {"team", "delivery_mechanism"};
	static const char *const nosuch[] = {"nosuch"};
	static const char *const fine[] = {"age_band_fine"};
	const char *many[PB_MAX_BY + 1];
	const char *val[6] = {"P1", "x", "", "", "65+", ""};
	size_t len[6], i;
	unsigned char kind[6];
	struct pb_record rec;
	struct pb_export x;
	struct pb_export_row row;
	struct pb_groupby *g;
	struct pb_buf key;
	struct pb_error e;

	(void)state;
	pb_error_clear(&e);
	assert_null(pb_groupby_new(mech, 2, PB_BY_NO_MECH,
				   "takeup cannot be grouped by delivery_mechanism: it counts them",
				   &e));
	check_error("mechanism", &e, PB_EUSAGE, "", 0, "",
		    "--by: takeup cannot be grouped by delivery_mechanism: it counts them");
	for (i = 0; i < N(many); i++)
		many[i] = "team";
	pb_error_clear(&e);
	assert_null(pb_groupby_new(many, N(many), 0, NULL, &e));
	check_error("too many", &e, PB_EUSAGE, "", 0, "", "--by: more than 64 columns");

	g = pb_groupby_new(nosuch, 1, 0, NULL, &e);
	pb_error_clear(&e);
	assert_int_equal(pb_groupby_bind(g, &hdr, NULL, 0, &e), -PB_EUSAGE);
	check_error("missing", &e, PB_EUSAGE, "", 0, "",
		    "--by: missing required column 'nosuch'; columns found: person_id, "
		    "Team, primary_support_reason, delivery_mechanism, age_band, "
		    "support_setting");
	/* JSON input: a column may appear later */
	assert_int_equal(pb_groupby_bind(g, &hdr, NULL, 1, &e), 0);
	pb_groupby_free(g);

	/* age_band_fine from an age_band column of 18-64 / 65+ only */
	g = pb_groupby_new(fine, 1, 0, NULL, &e);
	assert_true(pb_groupby_uses_age(g));
	pb_export_init(&x);
	x.idx[PB_X_AGE_BAND] = 4;
	make_record(&rec, val, len, kind);
	memset(&row, 0, sizeof row);
	row.age = -1;
	row.band = PB_AGE_65_74;
	row.band_coarse = 1;
	pb_buf_init(&key);
	pb_error_clear(&e);
	assert_int_equal(pb_groupby_key(g, &rec, &x, &row, row.band, &key, &e),
			 -PB_EDATA);
	check_error("coarse", &e, PB_EDATA, "", 0, "age_band",
		    "too coarse for --by age_band_fine '65+'");
	pb_buf_fini(&key);
	pb_groupby_free(g);
}

static void test_sorted(void **state)
{
	static const char *const keys[] = {"b\0", "a\0z\0", "a\0", "", "ab\0"};
	static const size_t lens[] = {2, 4, 2, 0, 3};
	static const size_t want[] = {3, 2, 1, 4, 0};
	struct pb_strmap *m = pb_strmap_new();
	size_t *order, i;

	(void)state;
	for (i = 0; i < N(keys); i++)
		pb_strmap_intern(m, keys[i], lens[i], NULL);
	order = pb_groups_sorted(m);
	for (i = 0; i < N(keys); i++)
		assert_int_equal(order[i], want[i]);
	assert_true(pb_group_cmp(m, 2, 1) < 0);
	assert_true(pb_group_cmp(m, 0, 4) > 0);
	assert_int_equal(pb_group_cmp(m, 1, 1), 0);
	free(order);
	pb_strmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
