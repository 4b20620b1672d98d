/*
 * test_columns.c - --map specs and finding a tool's columns in a header
 * (lib/columns.c).  Headers are built by hand as the reader builds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A header as the reader would make it: names, normalised names. */
struct hdr {
	struct pb_header h;
	char *name[64];
	char *norm[64];
};

static void hdr_make(struct hdr *x, const char *const *names, size_t n)
{
	char buf[256];
	size_t i;

	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		x->name[i] = strdup(names[i]);
		x->norm[i] = strdup(pb_colname_norm(buf, sizeof buf, names[i]));
		assert_non_null(x->name[i]);
		assert_non_null(x->norm[i]);
	}
	x->h.n = n;
	x->h.name = x->name;
	x->h.norm = x->norm;
	x->h.gen = 1;
}

static void hdr_free(struct hdr *x)
{
	size_t i;

	for (i = 0; i < x->h.n; i++) {
		free(x->name[i]);
		free(x->norm[i]);
	}
}

/* ---- --map --------------------------------------------------------- */

static void test_map_parse(void **state)
{
	static const struct {
		const char *spec;
		const char *lookups;  /* "canonical=expected|..." ("-" none) */
	} t[] = {
		{"person_id=Client ID", "person_id=Client ID|Person ID=Client ID|"
					"PERSON_ID=Client ID|la_code=-"},
		{"a=b,c=d", "a=b|c=d|A=b|e=-|b=-|d=-"},
		{"a=b c,c=d,e=f", "a=b c|c=d|e=f"},
		{"support start=Start Date", "support_start=Start Date|"
					     "Support Start=Start Date"},
		{" la_code =LA", "la_code=LA"},
		{"", "a=-"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		struct pb_map *m = pb_map_parse(t[i].spec, &e);
		char *list = strdup(t[i].lookups), *save = NULL, *item;

		if (!m)
			fail_msg("'%s' rejected: %s", t[i].spec, e.text);
		for (item = strtok_r(list, "|", &save); item;
		     item = strtok_r(NULL, "|", &save)) {
			char *eq = strchr(item, '=');
			const char *got;

			*eq = '\0';
			got = pb_map_lookup(m, item);
			if (strcmp(eq + 1, "-") == 0 && got == NULL)
				continue;
			if (!got || strcmp(got, eq + 1) != 0)
				fail_msg("'%s': '%s' maps to '%s', want '%s'",
					 t[i].spec, item, got ? got : "(none)",
					 eq + 1);
		}
		free(list);
		pb_map_free(m);
	}
}

static void test_map_values(void **state)
{
	struct pb_error e;
	struct pb_map *m;

	(void)state;
	/* Their names are kept as given, '=' and spaces and all. */
	m = pb_map_parse("x=y=z,p= Q r ", &e);
	assert_non_null(m);
	assert_string_equal(pb_map_lookup(m, "x"), "y=z");
	assert_string_equal(pb_map_lookup(m, "p"), " Q r ");
	assert_null(pb_map_lookup(m, "y"));
	assert_null(pb_map_lookup(m, "q_r"));
	pb_map_free(m);
	/* No spec: an empty map; no map: no names. */
	m = pb_map_parse(NULL, &e);
	assert_non_null(m);
	assert_null(pb_map_lookup(m, "person_id"));
	pb_map_free(m);
	assert_null(pb_map_lookup(NULL, "person_id"));
	pb_map_free(NULL);
}

static void test_map_bad(void **state)
{
	static const struct {
		const char *spec, *text;
	} t[] = {
		{"a", "--map: 'a' is not canonical=Their Column"},
		{"=b", "--map: '=b' is not canonical=Their Column"},
		{"a=", "--map: 'a=' is not canonical=Their Column"},
		{"=", "--map: '=' is not canonical=Their Column"},
		{"a=b,c", "--map: 'c' is not canonical=Their Column"},
		{"a=b,c=", "--map: 'c=' is not canonical=Their Column"},
		{"a\n", "--map: 'a\\n' is not canonical=Their Column"},
		{"a=b,,c=d", "--map: '' is not canonical=Their Column"},
		{",a=b", "--map: '' is not canonical=Their Column"},
		{"a=b,a=c", "--map: column 'a' mapped twice"},
		{"a=b,A=c", "--map: column 'a' mapped twice"},
		{"person id=x,person_id=y", "--map: column 'person_id' mapped twice"},
		{"la_code=LA,x=y, LA_Code =z",
		 "--map: column 'la_code' mapped twice"},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		struct pb_map *m;

		pb_error_clear(&e);
		m = pb_map_parse(t[i].spec, &e);
		if (m) {
			pb_map_free(m);
			fail_msg("'%s' accepted", t[i].spec);
		}
		check_error(t[i].spec, &e, PB_EUSAGE, "", 0, "", t[i].text);
	}
	/* NULL error is allowed */
	assert_null(pb_map_parse("a", NULL));
}

/* ---- pb_bind ------------------------------------------------------- */

static const char *const export_names[] = {
	"Person ID", "LA_Code", " Support Start ", "amount", "Client Ref",
	"PSR"
};

static const struct pb_colspec spec[] = {
	{"person_id", PB_COL_REQUIRED},
	{"la_code", PB_COL_REQUIRED},
	{"support_start", PB_COL_OPTIONAL},
	{"support_end", PB_COL_OPTIONAL},
	{"psr", PB_COL_REQUIRED},
};

static void test_bind(void **state)
{
	static const struct {
		const char *map;      /* NULL: none */
		int lenient;
		int rc;
		int idx[5];
		const char *text;
	} t[] = {
		/* case, space and underscore do not matter */
		{NULL, 0, 0, {0, 1, 2, -1, 5}, NULL},
		{NULL, 1, 0, {0, 1, 2, -1, 5}, NULL},
		/* the map wins over a column with the canonical name */
		{"person_id=Client Ref", 0, 0, {4, 1, 2, -1, 5}, NULL},
		{"person_id=client_ref", 0, 0, {4, 1, 2, -1, 5}, NULL},
		{"Person ID=CLIENT REF", 0, 0, {4, 1, 2, -1, 5}, NULL},
		{"support_end=amount", 0, 0, {0, 1, 2, 3, 5}, NULL},
		/* a map for a name the tool does not use changes nothing */
		{"other=amount", 0, 0, {0, 1, 2, -1, 5}, NULL},
		/* a mapped name that is missing, required or not */
		{"person_id=Nope", 0, -PB_EUSAGE, {0},
		 "no column 'Nope' (given by --map for 'person_id'); columns "
		 "found: Person ID, LA_Code,  Support Start , amount, Client Ref, PSR"},
		{"support_end=End Date", 0, -PB_EUSAGE, {0},
		 "no column 'End Date' (given by --map for 'support_end'); columns "
		 "found: Person ID, LA_Code,  Support Start , amount, Client Ref, PSR"},
		/* ... is left at -1 when lenient (JSON: checked per record) */
		{"person_id=Nope", 1, 0, {-1, 1, 2, -1, 5}, NULL},
		/* a required column mapped away */
		{"psr=Reason", 0, -PB_EUSAGE, {0},
		 "no column 'Reason' (given by --map for 'psr'); columns "
		 "found: Person ID, LA_Code,  Support Start , amount, Client Ref, PSR"},
	};
	struct hdr x;
	struct pb_error e;
	size_t i, k;

	(void)state;
	hdr_make(&x, export_names, N(export_names));
	for (i = 0; i < N(t); i++) {
		struct pb_map *m = NULL;
		int idx[5] = {-9, -9, -9, -9, -9};
		int rc;

		if (t[i].map) {
			m = pb_map_parse(t[i].map, &e);
			assert_non_null(m);
		}
		pb_error_clear(&e);
		rc = pb_bind(&x.h, m, spec, N(spec), idx, t[i].lenient, &e);
		pb_map_free(m);
		if (rc != t[i].rc)
			fail_msg("case %zu: rc %d, want %d (%s)", i, rc, t[i].rc,
				 e.text);
		if (rc == 0) {
			for (k = 0; k < N(spec); k++)
				if (idx[k] != t[i].idx[k])
					fail_msg("case %zu: %s at %d, want %d",
						 i, spec[k].name, idx[k],
						 t[i].idx[k]);
		} else {
			check_error(t[i].map ? t[i].map : "-", &e, PB_EUSAGE,
				    "", 0, "", t[i].text);
		}
	}
	hdr_free(&x);
}

static void test_bind_missing(void **state)
{
	static const char *const few[] = {"person_id", "Amount"};
	static const char *const caps[] = {"PERSON_ID", "la code", "Psr"};
	static const struct pb_colspec one[] = {{"la_code", PB_COL_REQUIRED}};
	static const struct pb_colspec opt[] = {{"la_code", PB_COL_OPTIONAL},
						{"amount", PB_COL_REQUIRED}};
	struct hdr x;
	struct pb_error e;
	int idx[5];

	(void)state;
	hdr_make(&x, few, N(few));
	/* the first required column missing is named, with the columns */
	pb_error_clear(&e);
	assert_int_equal(pb_bind(&x.h, NULL, spec, N(spec), idx, 0, &e),
			 -PB_EUSAGE);
	check_error("missing", &e, PB_EUSAGE, "", 0, "",
		    "missing required column 'la_code'; columns found: "
		    "person_id, Amount");
	/* lenient: -1, and no error */
	memset(idx, 0x55, sizeof idx);
	assert_int_equal(pb_bind(&x.h, NULL, spec, N(spec), idx, 1, &e), 0);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], -1);
	assert_int_equal(idx[2], -1);
	assert_int_equal(idx[3], -1);
	assert_int_equal(idx[4], -1);
	/* optional missing is fine; required found */
	assert_int_equal(pb_bind(&x.h, NULL, opt, N(opt), idx, 0, &e), 0);
	assert_int_equal(idx[0], -1);
	assert_int_equal(idx[1], 1);
	hdr_free(&x);

	hdr_make(&x, caps, N(caps));
	assert_int_equal(pb_bind(&x.h, NULL, spec, N(spec), idx, 0, &e), 0);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(idx[2], -1);
	assert_int_equal(idx[3], -1);
	assert_int_equal(idx[4], 2);
	hdr_free(&x);

	/* an empty header */
	hdr_make(&x, NULL, 0);
	pb_error_clear(&e);
	assert_int_equal(pb_bind(&x.h, NULL, one, 1, idx, 0, &e), -PB_EUSAGE);
	check_error("empty", &e, PB_EUSAGE, "", 0, "",
		    "missing required column 'la_code'; columns found: none");
	/* no columns wanted */
	assert_int_equal(pb_bind(&x.h, NULL, one, 0, idx, 0, &e), 0);
	hdr_free(&x);
}

/* A long header: the list of columns found is cut with "...". */
static void test_bind_long_list(void **state)
{
	static const struct pb_colspec one[] = {{"la_code", PB_COL_REQUIRED}};
	const char *names[60];
	char buf[60][32];
	struct hdr x;
	struct pb_error e;
	const char *prefix = "missing required column 'la_code'; columns found: "
			     "column_number_00, column_number_01, ";
	size_t i, len;
	int idx[1];

	(void)state;
	for (i = 0; i < 60; i++) {
		snprintf(buf[i], sizeof buf[i], "column_number_%02zu", i);
		names[i] = buf[i];
	}
	hdr_make(&x, names, 60);
	pb_error_clear(&e);
	assert_int_equal(pb_bind(&x.h, NULL, one, 1, idx, 0, &e), -PB_EUSAGE);
	len = strlen(e.text);
	assert_int_equal(e.code, PB_EUSAGE);
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.field, "");
	assert_memory_equal(e.text, prefix, strlen(prefix));
	assert_true(len > 3 && strcmp(e.text + len - 3, "...") == 0);
	assert_true(len < sizeof e.text - 1);
	assert_null(strstr(e.text, "column_number_59"));
	hdr_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test(test_map_values),
		cmocka_unit_test(test_map_bad),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_bind_missing),
		cmocka_unit_test(test_bind_long_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
