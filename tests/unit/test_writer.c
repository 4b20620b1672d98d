/*
 * test_writer.c - CSV, JSON Lines, aligned table and Markdown output
 * (lib/writer.c), compared byte for byte through open_memstream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "pb.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))
#define POUND "\xc2\xa3"

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

/* A stream into memory; close() gives its bytes. */
struct mem {
	FILE *fp;
	char *s;
	size_t len;
};

static void mem_open(struct mem *m)
{
	m->s = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->s, &m->len);
	assert_non_null(m->fp);
}

static const char *mem_close(struct mem *m)
{
	assert_int_equal(fclose(m->fp), 0);
	m->fp = NULL;
	return m->s;
}

static void expect_bytes(const char *what, const struct mem *m,
			 const char *want)
{
	if (m->len != strlen(want) || memcmp(m->s, want, m->len) != 0)
		fail_msg("%s:\n--- want\n%s--- got\n%.*s---", what, want,
			 (int)m->len, m->s);
}

/* ---- single fields ------------------------------------------------- */

static void test_csv_field(void **state)
{
	static const struct {
		const char *s;
		size_t len;   /* 0: strlen */
		const char *want;
		size_t wlen;  /* 0: strlen */
	} t[] = {
		{"plain", 0, "plain", 0},
		{"", 0, "", 0},
		{" spaced ", 0, " spaced ", 0},
		{"tab\there", 0, "tab\there", 0},
		{"a,b", 0, "\"a,b\"", 0},
		{"a\"b", 0, "\"a\"\"b\"", 0},
		{"\"", 0, "\"\"\"\"", 0},
		{"\"\"", 0, "\"\"\"\"\"\"", 0},
		{"a\nb", 0, "\"a\nb\"", 0},
		{"a\rb", 0, "\"a\rb\"", 0},
		{"a\r\nb", 0, "\"a\r\nb\"", 0},
		{",", 0, "\",\"", 0},
		{"x,", 0, "\"x,\"", 0},
		{"it's", 0, "it's", 0},
		{"semi;colon", 0, "semi;colon", 0},
		{POUND "1,234.56", 0, "\"" POUND "1,234.56\"", 0},
		{"Jos\xc3\xa9", 0, "Jos\xc3\xa9", 0},
		{"abc,def", 3, "abc", 0},
		{"a\0b", 3, "a\0b", 3},
		/* U+FEFF first: quoted, or it reads as a byte order mark */
		{"\xef\xbb\xbf" "PL-1", 0, "\"\xef\xbb\xbf" "PL-1\"", 0},
		{"x\xef\xbb\xbf", 0, "x\xef\xbb\xbf", 0},
	};
	struct mem m;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		size_t len = t[i].len ? t[i].len : strlen(t[i].s);
		size_t wlen = t[i].wlen ? t[i].wlen : strlen(t[i].want);

		mem_open(&m);
		assert_int_equal(pb_csv_field(m.fp, t[i].s, len), 0);
		mem_close(&m);
		if (m.len != wlen || memcmp(m.s, t[i].want, wlen) != 0)
			fail_msg("case %zu: '%.*s', want '%s'", i, (int)m.len,
				 m.s, t[i].want);
		free(m.s);
	}
}

static void test_json_string(void **state)
{
	static const struct {
		const char *s;
		size_t len;   /* 0: strlen */
		const char *want;
	} t[] = {
		{"", 0, "\"\""},
		{"plain", 0, "\"plain\""},
		{"a\"b", 0, "\"a\\\"b\""},
		{"back\\slash", 0, "\"back\\\\slash\""},
		{"\\\"", 0, "\"\\\\\\\"\""},
		{"/", 0, "\"/\""},
		{"\n\r\t\b\f", 0, "\"\\n\\r\\t\\b\\f\""},
		{"\x01", 0, "\"\\u0001\""},
		{"\x1f", 0, "\"\\u001f\""},
		{"\x1b[0m", 0, "\"\\u001b[0m\""},
		{"\x7f", 0, "\"\\u007f\""},
		{"\0", 1, "\"\\u0000\""},
		{"a\0b", 3, "\"a\\u0000b\""},
		{"abc", 2, "\"ab\""},
		{" ", 0, "\" \""},
		/* UTF-8 passes through untouched */
		{POUND "12", 0, "\"" POUND "12\""},
		{"Jos\xc3\xa9", 0, "\"Jos\xc3\xa9\""},
		{"\xe2\x82\xac", 0, "\"\xe2\x82\xac\""},
		{"\xf0\x9f\x98\x80", 0, "\"\xf0\x9f\x98\x80\""},
		{"\xe2\x80\xa8", 0, "\"\xe2\x80\xa8\""},
		{"x\"\n\\y", 0, "\"x\\\"\\n\\\\y\""},
	};
	struct mem m;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		size_t len = t[i].len ? t[i].len : strlen(t[i].s);
		json_t *j;
		json_error_t je;

		mem_open(&m);
		assert_int_equal(pb_json_string(m.fp, t[i].s, len), 0);
		mem_close(&m);
		expect_bytes(t[i].want, &m, t[i].want);
		/* jansson reads back the same bytes */
		j = json_loadb(m.s, m.len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
			       &je);
		if (!j)
			fail_msg("case %zu: not JSON: %s", i, je.text);
		assert_true(json_is_string(j));
		assert_int_equal(json_string_length(j), len);
		assert_memory_equal(json_string_value(j), t[i].s, len);
		json_decref(j);
		free(m.s);
	}
}

static void test_format_parse(void **state)
{
	static const struct {
		const char *s;
		int rc;
		enum pb_format f;
	} t[] = {
		{"csv", 0, PB_FMT_CSV},
		{"json", 0, PB_FMT_JSON},
		{"jsonl", 0, PB_FMT_JSON},
		{"table", 0, PB_FMT_TABLE},
		{"md", 0, PB_FMT_MD},
		{"CSV", -PB_EUSAGE, 0},
		{"", -PB_EUSAGE, 0},
		{"xml", -PB_EUSAGE, 0},
		{"csv ", -PB_EUSAGE, 0},
		{"markdown", -PB_EUSAGE, 0},
	};
	static const struct {
		const char *s;
		int rc;
		enum pb_informat f;
	} in[] = {
		{"auto", 0, PB_IN_AUTO},
		{"csv", 0, PB_IN_CSV},
		{"json", 0, PB_IN_JSON},
		{"jsonl", 0, PB_IN_JSON},
		{"table", -PB_EUSAGE, 0},
		{"", -PB_EUSAGE, 0},
		{"JSON", -PB_EUSAGE, 0},
	};
	struct pb_error e;
	char want[PB_ERROR_TEXT];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		enum pb_format f = (enum pb_format)99;

		pb_error_clear(&e);
		assert_int_equal(pb_format_parse(t[i].s, &f, &e), t[i].rc);
		if (t[i].rc == 0) {
			assert_int_equal(f, t[i].f);
			continue;
		}
		snprintf(want, sizeof want,
			 "unknown format '%s' (use csv, json, table or md)",
			 t[i].s);
		check_error(t[i].s, &e, PB_EUSAGE, "", 0, "", want);
	}
	for (i = 0; i < N(in); i++) {
		enum pb_informat f = (enum pb_informat)99;

		pb_error_clear(&e);
		assert_int_equal(pb_informat_parse(in[i].s, &f, &e), in[i].rc);
		if (in[i].rc == 0) {
			assert_int_equal(f, in[i].f);
			continue;
		}
		snprintf(want, sizeof want,
			 "unknown input format '%s' (use auto, csv or json)",
			 in[i].s);
		check_error(in[i].s, &e, PB_EUSAGE, "", 0, "", want);
	}
	pb_error_clear(&e);
	assert_int_equal(pb_format_parse("a\nb", &(enum pb_format){0}, &e),
			 -PB_EUSAGE);
	check_error("escaped", &e, PB_EUSAGE, "", 0, "",
		    "unknown format 'a\\nb' (use csv, json, table or md)");
}

/* ---- whole tables -------------------------------------------------- */

static const char *const names[] = {
	"name", "amount", "count", "pct", "note, free", "blank", "supp", "num"
};

#define TEXT(x) {PB_CELL_TEXT, (x), 0, 0}
#define NUMTEXT(x) {PB_CELL_NUMTEXT, (x), 0, 0}
#define MONEY(v) {PB_CELL_MONEY, NULL, 0, (v)}
#define INT(v) {PB_CELL_INT, NULL, 0, (v)}
#define PCT(v) {PB_CELL_PCT, NULL, 0, (v)}
#define EMPTY {PB_CELL_EMPTY, NULL, 0, 0}
#define SUPP {PB_CELL_SUPPRESSED, NULL, 0, 0}

static const struct pb_cell rows[][8] = {
	{TEXT("Smith, J"), MONEY(123456), INT(1234567), PCT(453),
	 TEXT("say \"hi\""), EMPTY, SUPP, NUMTEXT("12.5")},
	{TEXT("line1\nline2"), MONEY(-1250), INT(-3), PCT(-5), TEXT(""), EMPTY,
	 SUPP, NUMTEXT("-7")},
	{{PB_CELL_TEXT, "abcdef", 3, 0}, MONEY(0), INT(0), PCT(1000),
	 TEXT("a\\b\t\x01"), TEXT("Jos\xc3\xa9"), SUPP, NUMTEXT("0")},
};

/* Write names and rows in fmt, with a title and notes. */
static void write_all(struct mem *m, enum pb_format fmt)
{
	struct pb_writer *w;
	struct pb_error e;
	size_t r;

	mem_open(m);
	w = pb_writer_new(m->fp, fmt);
	pb_writer_title(w, "Ignored unless md");
	pb_writer_note(w, "note one");
	assert_int_equal(pb_writer_header(w, names, N(names), &e), 0);
	for (r = 0; r < N(rows); r++)
		assert_int_equal(pb_writer_row(w, rows[r], &e), 0);
	pb_writer_note(w, "note two");
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(m);
}

static void test_csv(void **state)
{
	struct mem m;

	(void)state;
	write_all(&m, PB_FMT_CSV);
	/* no title or notes in CSV: it is data */
	expect_bytes("csv", &m,
		"name,amount,count,pct,\"note, free\",blank,supp,num\n"
		"\"Smith, J\",1234.56,1234567,45.3,\"say \"\"hi\"\"\",,*,12.5\n"
		"\"line1\nline2\",-12.50,-3,-0.5,,,*,-7\n"
		"abc,0.00,0,100.0,a\\b\t\x01,Jos\xc3\xa9,*,0\n");
	free(m.s);
}

static void test_json(void **state)
{
	struct mem m;
	json_t *j;
	json_error_t je;
	const char *line;
	size_t k;

	(void)state;
	write_all(&m, PB_FMT_JSON);
	expect_bytes("json", &m,
		"{\"name\":\"Smith, J\",\"amount\":\"1234.56\",\"count\":1234567,"
		"\"pct\":45.3,\"note, free\":\"say \\\"hi\\\"\",\"blank\":null,"
		"\"supp\":null,\"num\":12.5}\n"
		"{\"name\":\"line1\\nline2\",\"amount\":\"-12.50\",\"count\":-3,"
		"\"pct\":-0.5,\"note, free\":\"\",\"blank\":null,\"supp\":null,"
		"\"num\":-7}\n"
		"{\"name\":\"abc\",\"amount\":\"0.00\",\"count\":0,\"pct\":100.0,"
		"\"note, free\":\"a\\\\b\\t\\u0001\",\"blank\":\"Jos\xc3\xa9\","
		"\"supp\":null,\"num\":0}\n");
	/* Each line is a JSON object with the types a reader expects. */
	line = m.s;
	for (k = 0; k < N(rows); k++) {
		const char *nl = strchr(line, '\n');

		assert_non_null(nl);
		j = json_loadb(line, (size_t)(nl - line), JSON_REJECT_DUPLICATES,
			       &je);
		if (!j)
			fail_msg("line %zu not JSON: %s", k + 1, je.text);
		assert_true(json_is_object(j));
		assert_int_equal(json_object_size(j), N(names));
		assert_true(json_is_string(json_object_get(j, "name")));
		assert_true(json_is_string(json_object_get(j, "amount")));
		assert_true(json_is_integer(json_object_get(j, "count")));
		assert_true(json_is_real(json_object_get(j, "pct")));
		assert_true(json_is_null(json_object_get(j, "supp")));
		assert_true(json_is_number(json_object_get(j, "num")));
		json_decref(j);
		line = nl + 1;
	}
	assert_int_equal(*line, '\0');
	free(m.s);
}

static void test_table(void **state)
{
	static const char *const tnames[] = {"group", "people", "budget", "pct"};
	static const struct pb_cell trows[][4] = {
		{TEXT("Adults"), INT(1234), MONEY(123456), PCT(453)},
		{TEXT("Older people"), INT(7), MONEY(-1250), SUPP},
		{TEXT("Jos\xc3\xa9"), EMPTY, MONEY(100000000), PCT(1000)},
	};
	struct mem m;
	struct pb_writer *w;
	struct pb_error e;
	size_t r;
	int md;

	(void)state;
	for (md = 0; md <= 1; md++) {
		mem_open(&m);
		w = pb_writer_new(m.fp, md ? PB_FMT_MD : PB_FMT_TABLE);
		pb_writer_title(w, "Takeup");
		assert_int_equal(pb_writer_header(w, tnames, 4, &e), 0);
		for (r = 0; r < N(trows); r++)
			assert_int_equal(pb_writer_row(w, trows[r], &e), 0);
		/* nothing is written before the end: columns are aligned */
		fflush(m.fp);
		assert_int_equal(m.len, 0);
		pb_writer_note(w, "note one");
		pb_writer_note(w, "note two");
		assert_int_equal(pb_writer_end(w, &e), 0);
		pb_writer_free(w);
		mem_close(&m);
		if (!md)
			expect_bytes("table", &m,
				"group         people         budget    pct\n"
				"------------  ------  -------------  -----\n"
				"Adults         1,234      " POUND "1,234.56   45.3\n"
				"Older people       7        -" POUND "12.50      *\n"
				"Jos\xc3\xa9                  " POUND "1,000,000.00  100.0\n"
				"\n"
				"note one\n"
				"note two\n");
		else
			expect_bytes("md", &m,
				"## Takeup\n"
				"\n"
				"| group | people | budget | pct |\n"
				"|:---|---:|---:|---:|\n"
				"| Adults | 1,234 | " POUND "1,234.56 | 45.3 |\n"
				"| Older people | 7 | -" POUND "12.50 | * |\n"
				"| Jos\xc3\xa9 |  | " POUND "1,000,000.00 | 100.0 |\n"
				"\n"
				"note one\n"
				"note two\n");
		free(m.s);
	}
}

/* Smaller table cases: left-aligned last column, no rows, md escapes. */
static void test_table_edges(void **state)
{
	static const char *const ab[] = {"a", "b"};
	static const struct pb_cell r1[] = {TEXT("xx"), TEXT("y")};
	static const struct pb_cell r2[] = {TEXT("x"), TEXT("yyy")};
	static const struct pb_cell r3[] = {TEXT("p|q\nr"), TEXT("s\r\nt")};
	static const char *const cn[] = {"count", "name"};
	static const char *const big[] = {"n"};
	static const struct pb_cell rbig[] = {INT(INT64_MIN)};
	static const struct pb_cell rbig2[] = {INT(-1234)};
	struct mem m;
	struct pb_writer *w;
	struct pb_error e;

	(void)state;
	/* text columns: left-aligned, no spaces after the last */
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_TABLE);
	pb_writer_header(w, ab, 2, &e);
	pb_writer_row(w, r1, &e);
	pb_writer_row(w, r2, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("text table", &m, "a   b\n--  ---\nxx  y\nx   yyy\n");
	free(m.s);

	/* no rows: the header and rule only, no notes */
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_TABLE);
	pb_writer_header(w, cn, 2, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("empty table", &m, "count  name\n-----  ----\n");
	free(m.s);

	/* md: '|' escaped, line breaks become spaces */
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_MD);
	pb_writer_header(w, ab, 2, &e);
	pb_writer_row(w, r3, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("md escapes", &m,
		     "| a | b |\n|:---|:---|\n| p\\|q r | s  t |\n");
	free(m.s);

	/* thousands separators on the largest counts */
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_TABLE);
	pb_writer_header(w, big, 1, &e);
	pb_writer_row(w, rbig, &e);
	pb_writer_row(w, rbig2, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("big", &m,
		     "                         n\n"
		     "--------------------------\n"
		     "-9,223,372,036,854,775,808\n"
		     "                    -1,234\n");
	free(m.s);
}

/* A number given as text but empty is null in JSON, not a gap. */
static void test_numtext_empty(void **state)
{
	static const char *const nm[] = {"a", "b"};
	static const struct pb_cell r[] = {NUMTEXT(""), NUMTEXT("3")};
	static const struct pb_cell rnull[] = {{PB_CELL_NUMTEXT, NULL, 0, 0},
					       INT(4)};
	struct mem m;
	struct pb_writer *w;
	struct pb_error e;
	json_error_t je;
	json_t *j;

	(void)state;
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_JSON);
	pb_writer_header(w, nm, 2, &e);
	pb_writer_row(w, r, &e);
	pb_writer_row(w, rnull, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("numtext", &m, "{\"a\":null,\"b\":3}\n{\"a\":null,\"b\":4}\n");
	j = json_loadb(m.s, strchr(m.s, '\n') - m.s, 0, &je);
	assert_non_null(j);
	json_decref(j);
	free(m.s);
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_CSV);
	pb_writer_header(w, nm, 2, &e);
	pb_writer_row(w, r, &e);
	assert_int_equal(pb_writer_end(w, &e), 0);
	pb_writer_free(w);
	mem_close(&m);
	expect_bytes("numtext csv", &m, "a,b\n,3\n");
	free(m.s);
}

/* No columns at all. */
static void test_no_columns(void **state)
{
	struct mem m;
	struct pb_writer *w;
	struct pb_error e;
	int f;

	(void)state;
	for (f = PB_FMT_CSV; f <= PB_FMT_JSON; f++) {
		mem_open(&m);
		w = pb_writer_new(m.fp, (enum pb_format)f);
		pb_writer_header(w, NULL, 0, &e);
		pb_writer_row(w, NULL, &e);
		assert_int_equal(pb_writer_end(w, &e), 0);
		pb_writer_free(w);
		mem_close(&m);
		expect_bytes("no columns", &m, f == PB_FMT_CSV ? "\n\n" : "{}\n");
		free(m.s);
	}
}

/* A full disk: pb_writer_end (or a row, once the buffer fills) fails. */
static void test_write_error(void **state)
{
	static const char *const nm[] = {"a", "b"};
	static const struct pb_cell r[] = {TEXT("x"), MONEY(100)};
	static const char *const nospace =
		"write error: No space left on device";
	struct pb_writer *w;
	struct pb_error e;
	FILE *fp;
	int f, i, rc;

	(void)state;
	for (f = PB_FMT_CSV; f <= PB_FMT_MD; f++) {
		fp = fopen("/dev/full", "w");
		if (!fp)
			skip();
		w = pb_writer_new(fp, (enum pb_format)f);
		pb_writer_header(w, nm, 2, NULL);
		assert_int_equal(pb_writer_row(w, r, NULL), 0);
		pb_error_clear(&e);
		assert_int_equal(pb_writer_end(w, &e), -PB_EIO);
		check_error("end", &e, PB_EIO, "", 0, "", nospace);
		pb_writer_free(w);
		fclose(fp);
	}
	/* streaming formats report it from the row that hits the disk */
	for (f = PB_FMT_CSV; f <= PB_FMT_JSON; f++) {
		fp = fopen("/dev/full", "w");
		assert_non_null(fp);
		w = pb_writer_new(fp, (enum pb_format)f);
		pb_writer_header(w, nm, 2, NULL);
		rc = 0;
		pb_error_clear(&e);
		for (i = 0; i < 100000 && rc == 0; i++)
			rc = pb_writer_row(w, r, &e);
		assert_int_equal(rc, -PB_EIO);
		check_error("row", &e, PB_EIO, "", 0, "", nospace);
		assert_true(i < 10000);
		pb_error_clear(&e);
		assert_int_equal(pb_writer_end(w, &e), -PB_EIO);
		check_error("end after row", &e, PB_EIO, "", 0, "", nospace);
		pb_writer_free(w);
		fclose(fp);
	}
}

/* pb_writer_free without pb_writer_end writes nothing more. */
static void test_free_unfinished(void **state)
{
	static const char *const nm[] = {"a"};
	static const struct pb_cell r[] = {INT(1)};
	struct mem m;
	struct pb_writer *w;
	struct pb_error e;

	(void)state;
	mem_open(&m);
	w = pb_writer_new(m.fp, PB_FMT_TABLE);
	pb_writer_header(w, nm, 1, &e);
	pb_writer_row(w, r, &e);
	pb_writer_note(w, "n");
	pb_writer_free(w);
	mem_close(&m);
	assert_int_equal(m.len, 0);
	free(m.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_edges),
		cmocka_unit_test(test_numtext_empty),
		cmocka_unit_test(test_no_columns),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_free_unfinished),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
