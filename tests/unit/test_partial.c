/*
 * test_partial.c - partial states and their merge (lib/partial.c):
 * tokens that carry any bytes, the line readers' errors, whole, the
 * errors of a merge, and for every report: the input split in two, each
 * part's state saved, the states merged, and the result the same bytes
 * as one run over the whole input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report_int.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static void check_error(const char *what, const struct pb_error *e, int code,
			const char *file, long line, const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 ||
	    e->line != line || e->field[0] || e->key[0] ||
	    strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n"
			 "  want code %d file '%s' line %ld text '%s'\n"
			 "  got  code %d file '%s' line %ld field '%s' text '%s'",
			 what, code, file, line, text, e->code, e->file, e->line,
			 e->field, e->text);
}

static char *write_tmp(const char *data)
{
	char *path = strdup("/tmp/pb-test-partial-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(data);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_tokens(void **state)
{
	static const char *const values[] = {
		"", "plain", "two words", "100%", "=x", "a\tb\nc\rd",
		"\x7f\x01", "Jos\xc3\xa9, \xc2\xa3" "12",
	};
	struct pb_pline l;
	struct pb_buf b;
	struct pb_error e;
	size_t i;

	(void)state;
	pb_buf_init(&b);
	memset(&l, 0, sizeof l);
	l.file = "s";
	l.line = 1;
	for (i = 0; i < N(values); i++) {
		char *buf = NULL, *tok[1];
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		pb_partial_token(fp, values[i], strlen(values[i]));
		fclose(fp);
		/* one token: no space, no newline */
		assert_null(strchr(buf, ' '));
		assert_null(strchr(buf, '\n'));
		tok[0] = buf;
		l.tok = tok;
		l.ntok = 1;
		assert_int_equal(pb_pline_text(&l, 0, &b, &e), 0);
		assert_int_equal(b.len, strlen(values[i]));
		assert_memory_equal(b.len ? b.s : "", values[i], b.len);
		free(buf);
	}
	pb_buf_fini(&b);
}

static void test_line_errors(void **state)
{
	static const struct {
		const char *tok;
		int what;    /* 0 int, 1 fp, 2 group, 3 day, 4 text */
		const char *text;
	} t[] = {
		{"x", 0, "partial state: field 1: not a whole number 'x'"},
		{"99", 0, "partial state: field 1: too large '99' (at most 10)"},
		{"0123456789abcdef0123456789abcde", 1, "partial state: not a person's key"},
		{"0123456789abcdef0123456789abcdeg", 1, "partial state: not a person's key"},
		{"5", 2, "partial state: a group that was not defined"},
		{"2026-02-30", 3, "partial state: not a date"},
		{"plain", 4, "partial state: not a text value"},
		{"=a%4", 4, "partial state: a bad %XX escape"},
		{"=a%zz", 4, "partial state: a bad %XX escape"},
		/* found by fuzz_partial: a NUL in a group value split it in
		 * two when the state was saved again */
		{"=a%00b", 4, "partial state: a NUL byte in a text value"},
	};
	uint32_t gmap[2] = {7, UINT32_MAX};
	struct pb_pline l;
	struct pb_error e;
	struct pb_buf b;
	size_t i;

	(void)state;
	pb_buf_init(&b);
	for (i = 0; i < N(t); i++) {
		char *tok[1] = {(char *)t[i].tok};
		int64_t v;
		struct pb_fp f;
		uint32_t g;
		int32_t d;
		int rc = 0;

		memset(&l, 0, sizeof l);
		l.file = "part.state";
		l.line = 12;
		l.tok = tok;
		l.ntok = 1;
		l.gmap = gmap;
		l.ngmap = 2;
		pb_error_clear(&e);
		switch (t[i].what) {
		case 0: rc = pb_pline_int(&l, 0, 0, 10, &v, &e); break;
		case 1: rc = pb_pline_fp(&l, 0, &f, &e); break;
		case 2: rc = pb_pline_group(&l, 0, &g, &e); break;
		case 3: rc = pb_pline_day(&l, 0, &d, &e); break;
		case 4: rc = pb_pline_text(&l, 0, &b, &e); break;
		}
		assert_int_equal(rc, -PB_EUSAGE);
		check_error(t[i].tok, &e, PB_EUSAGE, "part.state", 12, t[i].text);
	}
	/* a token that is not there */
	memset(&l, 0, sizeof l);
	l.file = "p";
	l.line = 3;
	pb_error_clear(&e);
	assert_int_equal(pb_pline_int(&l, 0, 0, 1, &(int64_t){0}, &e), -PB_EUSAGE);
	check_error("missing", &e, PB_EUSAGE, "p", 3,
		    "partial state: a number is missing");
	pb_buf_fini(&b);
}

/* A takeup state of one group and one person, options adjustable. */
#define STATE(kind, asof, body)                                          \
	"pb-report partial 1 " kind "\n"                                  \
	"opt as_of " asof "\n"                                            \
	"opt from -\nopt to -\nopt every month\n"                         \
	"opt by =primary_support_reason\nopt carers 0\n"                  \
	"opt assume_unique 0\nopt total 1\nopt target -\n"                \
	"opt disclosure none\nopt format csv\n"                           \
	"input 1 0 0 0 0\n"                                               \
	"n 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"                             \
	"g 0 =mental_health\n" body "end\n"

#define PERSON "p 0 0123456789abcdef0123456789abcdef 3 20000 0 1\n"

/* A state of counts (--assume-unique), no groups, rows read given. */
#define USTATE(kind, rows, body)                                         \
	"pb-report partial 1 " kind "\nopt as_of 2026-03-31\n"           \
	"opt assume_unique 1\ninput " rows " 0 0 0 0\ng 0\n" body "end\n"
#define NBIG "n 2305843009213693951 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

static void test_merge_errors(void **state)
{
	static const struct {
		const char *name, *a, *b;
		int code;
		long line;    /* in b (or a when b is NULL) */
		const char *text;
	} t[] = {
		{"not a state", "hello\n", NULL, PB_EUSAGE, 1,
		 "partial state: not a pb-report partial state"},
		{"unknown report", "pb-report partial 1 nosuch\n", NULL, PB_EUSAGE, 1,
		 "partial state: not a pb-report partial state"},
		{"truncated", "pb-report partial 1 takeup\nopt as_of 2026-03-31\n",
		 NULL, PB_EUSAGE, 2, "partial state: ends before 'end'"},
		{"other report", STATE("takeup", "2026-03-31", PERSON),
		 STATE("mix", "2026-03-31", PERSON), PB_EUSAGE, 1,
		 "partial state: a mix state cannot merge with takeup states"},
		{"other day", STATE("takeup", "2026-03-31", PERSON),
		 STATE("takeup", "2026-04-30", PERSON), PB_EUSAGE, 2,
		 "partial state: its options differ from the first state's: "
		 "'opt as_of 2026-04-30', not 'opt as_of 2026-03-31'"},
		{"bad line", STATE("takeup", "2026-03-31", "p 0 zz 3 1 0 1\n"),
		 NULL, PB_EUSAGE, 16, "partial state: not a person's key"},
		{"unknown line", STATE("takeup", "2026-03-31", "q 0\n"), NULL,
		 PB_EUSAGE, 16, "partial state: not a line of a takeup state"},
		{"undefined group", STATE("takeup", "2026-03-31",
		 "p 0 0123456789abcdef0123456789abcdef 3 20000 4 1\n"), NULL,
		 PB_EUSAGE, 16, "partial state: a group that was not defined"},
		{"bad option", "pb-report partial 1 takeup\nopt colour red\n",
		 NULL, PB_EUSAGE, 2, "partial state: an unknown option"},
		/* found by fuzz_partial: the second list of groups left the
		 * first name unset (a crash) and the first list leaked */
		{"by twice", "pb-report partial 1 cost\nopt by =team\n"
		 "opt by =la_code\ninput 0 0 0 0 0\nend\n", NULL, PB_EUSAGE, 3,
		 "partial state: an option given twice"},
		/* found by fuzz_partial: a cell of no people with a cost was
		 * counted in the total row, and lost when saved again */
		{"costs of no one", "pb-report partial 1 cost\n"
		 "opt as_of 2025-12-31\nopt by =primary_support_reason\n"
		 "opt assume_unique 1\ninput 1 0 0 0 0\ng 0 =mental_health\n"
		 "q 0 2 0 1 500 500 0 500 v500\nend\n", NULL, PB_EUSAGE, 7,
		 "partial state: more costs than people"},
		/* found by fuzz_partial: "-" (no day) was taken as the day,
		 * saved again as year 5881580 */
		{"as_of none", "pb-report partial 1 outcomes\nopt as_of -\n"
		 "end\n", NULL, PB_EUSAGE, 2, "partial state: not a date"},
		/* Counts a hostile state could make overflow (undefined
		 * behaviour, then negative totals in the table). */
		{"rows overflow", USTATE("takeup", "4611686018427387903", "")
		 USTATE("takeup", "4611686018427387903", ""), NULL, PB_EUSAGE,
		 10, "partial state: counts add up to too much"},
		/* found by fuzz_partial: two states at the limit merged into
		 * counts that the merge's own saved state could not load */
		{"counters past the limit", USTATE("takeup", "1", NBIG),
		 USTATE("takeup", "1", NBIG), PB_EUSAGE, 6,
		 "partial state: counts add up to too much"},
		{"counters overflow", USTATE("takeup", "1", NBIG) USTATE("takeup",
		 "1", NBIG) USTATE("takeup", "1", NBIG) USTATE("takeup", "1",
		 NBIG) USTATE("takeup", "1", NBIG), NULL, PB_EUSAGE, 13,
		 "partial state: counts add up to too much"},
		{"people of a day", USTATE("takeup", "1",
		 "g 1\nc 0 0 2305843009213693951 0 0 0\nc 0 1 1 0 0 0\n"), NULL,
		 PB_EUSAGE, 8, "partial state: counts add up to too much"},
		{"people of a cost", USTATE("cost", "1",
		 "q 0 0 2305843009213693951 0 0 0 0 0\nq 0 1 1 0 0 0 0 0\n"),
		 NULL, PB_EUSAGE, 7, "partial state: counts add up to too much"},
		/* a sketch's bucket beyond the largest value (a shift past 64
		 * bits), counts that overflow, a sum no values can make */
		{"bucket too large", USTATE("cost", "100",
		 "q 0 0 65 65 0 0 0 0 2147483647:65\n"), NULL, PB_EUSAGE, 6,
		 "partial state: not a bucket of a sketch"},
		{"bucket counts overflow", USTATE("cost", "100",
		 "q 0 0 65 65 1 2 0 0 1:9223372036854775807 "
		 "2:9223372036854775807\n"), NULL, PB_EUSAGE, 6,
		 "partial state: a sketch whose counts do not add up"},
		{"sketch sum", USTATE("cost", "100",
		 "q 0 0 1 1 300 300 0 99999 v300\n"), NULL, PB_EUSAGE, 6,
		 "partial state: a sketch whose sum is out of range"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		char *a = write_tmp(t[i].a), *b = t[i].b ? write_tmp(t[i].b) : NULL;
		struct pb_merge *m = pb_merge_new();
		struct pb_error e;
		int rc;

		pb_error_clear(&e);
		rc = pb_merge_file(m, a, &e);
		if (b) {
			assert_int_equal(rc, 0);
			rc = pb_merge_file(m, b, &e);
		}
		assert_int_equal(rc, -t[i].code);
		check_error(t[i].name, &e, t[i].code, b ? b : a, t[i].line,
			    t[i].text);
		pb_merge_free(m);
		unlink(a);
		free(a);
		if (b) {
			unlink(b);
			free(b);
		}
	}
	{
		struct pb_merge *m = pb_merge_new();
		struct pb_error e;

		pb_error_clear(&e);
		assert_int_equal(pb_merge_file(m, "/nonexistent/pb-state", &e),
				 -PB_EIO);
		check_error("missing file", &e, PB_EIO, "/nonexistent/pb-state", 0,
			    "cannot open: No such file or directory");
		assert_null(pb_merge_report(m));
		assert_null(pb_merge_opts(m));
		pb_merge_free(m);
	}
}

/* ---- every report, whole and split ------------------------------------ */

static const char export_csv[] =
	"person_id,la_code,team,client_type,primary_support_reason,age,"
	"support_setting,support_start,support_end,delivery_mechanism,"
	"weekly_cost,referral_date,assessment_date,dp_offered_date,"
	"plan_approved_date,first_payment_date\n"
	"P1,E1,North,,mental_health,40,community,2025-01-01,,dp,100.00,"
	"2024-10-01,2024-10-20,2024-11-01,2024-12-01,2025-01-01\n"
	"P1,E1,North,,mental_health,40,community,2025-06-01,,managed,50.00,"
	"2024-10-01,2024-10-20,,2024-12-01,\n"
	"P2,E1,South,,physical,70,community,2024-05-01,,managed,300.00,"
	"2024-03-01,2024-03-15,,2024-04-20,\n"
	"P3,E1,South,,physical,81,residential,2024-05-01,,commissioned,900,"
	"2024-02-01,2024-02-10,,2024-04-01,\n"
	"P3,E1,South,,physical,81,community,2023-05-01,2025-12-31,dp,45.50,"
	"2023-01-01,2023-02-01,2023-02-10,2023-03-01,2023-05-01\n"
	"P4,E2,North,,mental_health,33,community,2025-09-01,,dp,210.00,"
	"2025-06-01,2025-06-15,2025-06-20,2025-08-01,2025-09-01\n"
	"P5,E2,North,carer,unknown,55,community,2025-01-01,,dp,80.00,,,,,\n"
	"P6,E2,South,,learning_disability,19,community,2025-02-01,,part_dp,"
	"400.00,2024-11-01,2024-12-01,2024-12-05,2025-01-15,2025-02-01\n";

static const char reviews_csv[] =
	"person_id,la_code,outcome_id,review_date,rated_by,rating\n"
	"P1,E1,o1,2025-06-01,person,2\n"
	"P1,E1,o1,2025-06-01,practitioner,2\n"
	"P1,E1,o1,2025-12-01,person,4\n"
	"P1,E1,o2,2025-12-01,practitioner,1\n"
	"P2,E1,o1,2025-03-01,person,3\n"
	"P2,E1,o1,2025-09-01,person,2\n"
	"P2,E1,o1,2025-09-01,practitioner,3\n"
	"P4,E2,o1,2026-01-10,person,1\n"
	"P6,E2,o1,2025-04-01,practitioner,0\n"
	"P6,E2,o1,2025-10-01,practitioner,2\n";

static const char ledger_csv[] =
	"txn_id,person_id,la_code,date,amount,category,payee,description\n"
	"T1,P1,E1,2026-01-05,-25.00,leisure,Gym,\n"
	"T2,P1,E1,2026-01-06,400.00,,Council,payment\n"
	"T3,P1,E1,2026-01-07,-120.00,personal_assistant,PA,\n"
	"T4,P2,E1,2026-01-08,-60.00,transport,Bus,\n"
	"T5,P2,E1,2026-01-09,10.00,transport,Bus,refund\n"
	"T6,P4,E2,2026-01-10,-15.00,leisure,Pool,\n"
	"T7,P6,E2,2026-01-11,-80.00,,Shop,\n"
	"T8,P6,E2,2026-01-12,30.00,contribution,P6,own\n";

/* Read the named files into r (people first when wanted). */
static void feed(struct pb_report *r, char *people, char **files, size_t n)
{
	struct pb_reader *rd;
	struct pb_record *rec;
	struct pb_error e;
	unsigned long gen = 0;
	int rc;

	if (people) {
		rd = pb_reader_new(&people, 1, PB_IN_AUTO);
		while ((rc = pb_reader_next(rd, &rec, &e)) != 0) {
			assert_int_equal(rc, 1);
			if (rec->hdr->gen != gen) {
				gen = rec->hdr->gen;
				assert_int_equal(pb_report_people_bind(r, rec->hdr, 0, &e), 0);
			}
			assert_int_equal(pb_report_people_add(r, rec, &e), 0);
		}
		pb_reader_free(rd);
	}
	gen = 0;
	rd = pb_reader_new(files, n, PB_IN_AUTO);
	while ((rc = pb_reader_next(rd, &rec, &e)) != 0) {
		assert_int_equal(rc, 1);
		if (rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			assert_int_equal(pb_report_bind(r, rec->hdr, 0, &e), 0);
		}
		assert_int_equal(pb_report_add(r, rec, &e), 0);
	}
	pb_reader_free(rd);
}

/* Lines 1..k and the header with lines k+1.. of a CSV text. */
static void split_csv(const char *csv, int k, char **a, char **b)
{
	const char *nl = strchr(csv, '\n') + 1, *p = nl;
	size_t hdr = (size_t)(nl - csv);
	int i;
	char *x, *y;

	for (i = 0; i < k; i++)
		p = strchr(p, '\n') + 1;
	x = calloc(1, (size_t)(p - csv) + 1);
	memcpy(x, csv, (size_t)(p - csv));
	y = calloc(1, hdr + strlen(p) + 1);
	memcpy(y, csv, hdr);
	strcat(y, p);
	*a = write_tmp(x);
	*b = write_tmp(y);
	free(x);
	free(y);
}

static char *print(struct pb_report *r, enum pb_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct pb_error e;

	pb_report_opts(r);
	assert_int_equal(pb_report_print(r, fp, &e), 0);
	fclose(fp);
	(void)f;
	return buf;
}

static void test_whole_and_split(void **state)
{
	static const struct {
		enum pb_report_kind kind;
		const char *by;
		int unique, from_to;
	} t[] = {
		{PB_R_TAKEUP, "primary_support_reason", 0, 0},
		{PB_R_TAKEUP, "team", 1, 0},
		{PB_R_TREND, "team", 0, 1},
		{PB_R_MIX, "la_code", 0, 0},
		{PB_R_COST, "primary_support_reason", 0, 0},
		{PB_R_COST, "team", 1, 0},
		{PB_R_FUNNEL, "la_code", 0, 0},
		{PB_R_OUTCOMES, "team", 0, 0},
		{PB_R_SPEND, "team", 0, 0},
	};
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < N(t); i++) {
		const char *data = t[i].kind == PB_R_OUTCOMES ? reviews_csv
				   : t[i].kind == PB_R_SPEND  ? ledger_csv
							      : export_csv;
		int people = t[i].kind == PB_R_OUTCOMES || t[i].kind == PB_R_SPEND;
		char *whole_path = write_tmp(data);
		char *people_path = people ? write_tmp(export_csv) : NULL;
		const char *by[1] = {t[i].by};
		struct pb_report_opts o;
		struct pb_report *whole;
		struct pb_error e;
		char *want;

		memset(&o, 0, sizeof o);
		o.kind = t[i].kind;
		o.as_of = 20453;  /* 2025-12-31 */
		o.by = by;
		o.nby = 1;
		o.total = 1;
		o.assume_unique = t[i].unique;
		o.disclosure = PB_DISC_NONE;
		if (t[i].from_to) {
			o.has_from = o.has_to = 1;
			o.from = 20089;  /* 2025-01-01 */
			o.to = 20453;
		}
		whole = pb_report_new(&o, &e);
		assert_non_null(whole);
		feed(whole, people_path, &whole_path, 1);
		want = print(whole, PB_FMT_CSV);
		pb_report_free(whole);

		/* split after every line in turn */
		for (k = 0; k < 8; k++) {
			char *a, *b, *states, *got;
			char *sbuf = NULL;
			size_t slen = 0;
			FILE *fp = open_memstream(&sbuf, &slen);
			struct pb_merge *m = pb_merge_new();
			int part;

			split_csv(data, k, &a, &b);
			for (part = 0; part < 2; part++) {
				struct pb_report *r = pb_report_new(&o, &e);
				char *path = part ? b : a;

				feed(r, people_path, &path, 1);
				assert_int_equal(pb_report_save(r, fp, &e), 0);
				pb_report_free(r);
			}
			fclose(fp);
			states = write_tmp(sbuf);
			assert_int_equal(pb_merge_file(m, states, &e), 0);
			assert_int_equal(pb_merge_count(m), 2);
			got = print(pb_merge_report(m), PB_FMT_CSV);
			if (strcmp(got, want) != 0)
				fail_msg("%s by %s split after %d:\n--- whole\n%s--- merged\n%s",
					 pb_report_name(t[i].kind), t[i].by, k, want, got);
			free(got);
			pb_merge_free(m);
			unlink(a);
			unlink(b);
			unlink(states);
			free(a);
			free(b);
			free(states);
			free(sbuf);
		}
		free(want);
		unlink(whole_path);
		free(whole_path);
		if (people_path) {
			unlink(people_path);
			free(people_path);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_line_errors),
		cmocka_unit_test(test_merge_errors),
		cmocka_unit_test(test_whole_and_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
