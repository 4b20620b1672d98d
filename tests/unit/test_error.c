/*
 * test_error.c - struct pb_error, quoting values for messages and the
 * one-line message format (lib/error.c).
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
			const char *field, const char *key, const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 ||
	    e->line != line || strcmp(e->field, field) != 0 ||
	    strcmp(e->key, key) != 0 || strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n"
			 "  want code %d file '%s' line %ld field '%s' key '%s' "
			 "text '%s'\n"
			 "  got  code %d file '%s' line %ld field '%s' key '%s' "
			 "text '%s'",
			 what, code, file, line, field, key, text, e->code,
			 e->file, e->line, e->field, e->key, e->text);
}

/* An error full of junk, every string NUL-terminated. */
static void junk(struct pb_error *e)
{
	memset(e, 'j', sizeof *e);
	e->code = 99;
	e->line = 99;
	e->file[sizeof e->file - 1] = '\0';
	e->field[sizeof e->field - 1] = '\0';
	e->key[sizeof e->key - 1] = '\0';
	e->text[sizeof e->text - 1] = '\0';
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_clear(void **state)
{
	struct pb_error e;

	(void)state;
	junk(&e);
	pb_error_clear(&e);
	check_error("clear", &e, PB_OK, "", 0, "", "", "");
	pb_error_clear(NULL);
}

static void test_set(void **state)
{
	struct pb_error e;
	char *big = repeat('x', 400);

	(void)state;
	pb_error_clear(&e);
	assert_int_equal(pb_error_set(&e, PB_EDATA, "bad %s %d", "value", 7),
			 -PB_EDATA);
	check_error("set", &e, PB_EDATA, "", 0, "", "", "bad value 7");
	/* file, line and field are kept */
	pb_error_at(&e, "in.csv", 3, "amount");
	assert_int_equal(pb_error_set(&e, PB_EUSAGE, "other"), -PB_EUSAGE);
	check_error("keeps", &e, PB_EUSAGE, "in.csv", 3, "amount", "", "other");
	assert_int_equal(pb_error_set(&e, PB_EIO, "%s", ""), -PB_EIO);
	check_error("empty", &e, PB_EIO, "in.csv", 3, "amount", "", "");
	/* a long message is cut to fit, NUL-terminated */
	pb_error_set(&e, PB_EDATA, "%s", big);
	assert_int_equal(strlen(e.text), PB_ERROR_TEXT - 1);
	assert_memory_equal(e.text, big, PB_ERROR_TEXT - 1);
	/* NULL is allowed and still gives the status */
	assert_int_equal(pb_error_set(NULL, PB_EDATA, "x"), -PB_EDATA);
	assert_int_equal(pb_error_set(NULL, PB_EIO, "x"), -PB_EIO);
	assert_int_equal(pb_error_set(NULL, PB_OK, "x"), 0);
	free(big);
}

static void test_at(void **state)
{
	struct pb_error e;
	char *longfile = repeat('f', 400), *longfield = repeat('c', 100);

	(void)state;
	pb_error_clear(&e);
	pb_error_at(&e, "a.csv", 12, "amount");
	check_error("all", &e, PB_OK, "a.csv", 12, "amount", "", "");
	/* NULL and 0 leave a part as it was */
	pb_error_at(&e, NULL, 0, NULL);
	check_error("none", &e, PB_OK, "a.csv", 12, "amount", "", "");
	pb_error_at(&e, NULL, 13, NULL);
	check_error("line", &e, PB_OK, "a.csv", 13, "amount", "", "");
	pb_error_at(&e, "b.csv", 0, NULL);
	check_error("file", &e, PB_OK, "b.csv", 13, "amount", "", "");
	pb_error_at(&e, NULL, 0, "age");
	check_error("field", &e, PB_OK, "b.csv", 13, "age", "", "");
	/* "" clears a string part */
	pb_error_at(&e, "", 0, "");
	check_error("empty", &e, PB_OK, "", 13, "", "", "");
	/* long names are cut to fit */
	pb_error_at(&e, longfile, 1, longfield);
	assert_int_equal(strlen(e.file), PB_ERROR_FILE - 1);
	assert_memory_equal(e.file, longfile, PB_ERROR_FILE - 1);
	assert_int_equal(strlen(e.field), PB_ERROR_FIELD - 1);
	assert_memory_equal(e.field, longfield, PB_ERROR_FIELD - 1);
	pb_error_at(NULL, "x", 1, "y");
	free(longfile);
	free(longfield);
}

static void test_prefix(void **state)
{
	struct pb_error e;
	char *big = repeat('t', PB_ERROR_TEXT - 1);
	char want[PB_ERROR_TEXT];

	(void)state;
	pb_error_clear(&e);
	pb_error_at(&e, "f", 2, "c");
	pb_error_set(&e, PB_EUSAGE, "unknown column 'x'");
	pb_error_prefix(&e, "--by: ");
	check_error("prefix", &e, PB_EUSAGE, "f", 2, "c", "",
		    "--by: unknown column 'x'");
	pb_error_prefix(&e, "");
	check_error("empty prefix", &e, PB_EUSAGE, "f", 2, "c", "",
		    "--by: unknown column 'x'");
	pb_error_prefix(&e, "takeup: ");
	check_error("twice", &e, PB_EUSAGE, "f", 2, "c", "",
		    "takeup: --by: unknown column 'x'");
	/* the whole is cut to fit */
	pb_error_set(&e, PB_EDATA, "%s", big);
	pb_error_prefix(&e, "--map: ");
	snprintf(want, sizeof want, "--map: %s", big);
	check_error("long", &e, PB_EDATA, "f", 2, "c", "", want);
	assert_int_equal(strlen(e.text), PB_ERROR_TEXT - 1);
	pb_error_prefix(NULL, "x");
	free(big);
}

static void test_key(void **state)
{
	struct pb_error e;
	char *longkey = repeat('k', 100);

	(void)state;
	pb_error_clear(&e);
	pb_error_at(&e, "plan.json", 3, NULL);
	pb_error_key(&e, "questions[3].answers");
	check_error("key", &e, PB_OK, "plan.json", 3, "", "questions[3].answers",
		    "");
	/* pb_error_set and pb_error_at keep it */
	pb_error_set(&e, PB_EDATA, "duplicate key 'some'");
	pb_error_at(&e, NULL, 4, NULL);
	check_error("kept", &e, PB_EDATA, "plan.json", 4, "",
		    "questions[3].answers", "duplicate key 'some'");
	/* NULL and "" clear it */
	pb_error_key(&e, NULL);
	check_error("null", &e, PB_EDATA, "plan.json", 4, "", "",
		    "duplicate key 'some'");
	pb_error_key(&e, "a");
	pb_error_key(&e, "");
	check_error("empty", &e, PB_EDATA, "plan.json", 4, "", "",
		    "duplicate key 'some'");
	/* a long path is cut to fit */
	pb_error_key(&e, longkey);
	assert_int_equal(strlen(e.key), sizeof e.key - 1);
	assert_memory_equal(e.key, longkey, sizeof e.key - 1);
	/* and pb_error_clear empties it */
	pb_error_clear(&e);
	check_error("clear", &e, PB_OK, "", 0, "", "", "");
	pb_error_key(NULL, "x");
	free(longkey);
}

static void test_quote(void **state)
{
	static const struct {
		const char *s;
		size_t len;       /* 0: strlen(s) */
		size_t n;         /* buffer size */
		const char *want;
	} t[] = {
		{"abc", 0, 80, "abc"},
		{"", 0, 80, ""},
		{" x ", 0, 80, " x "},
		{"it's", 0, 80, "it's"},
		{"a\nb", 0, 80, "a\\nb"},
		{"\r\t", 0, 80, "\\r\\t"},
		{"\x01", 0, 80, "\\x01"},
		{"\x1f", 0, 80, "\\x1f"},
		{"\x7f", 0, 80, "\\x7f"},
		{"\x1b[31mred", 0, 80, "\\x1b[31mred"},
		{"a\0b", 3, 80, "a\\x00b"},
		{"\0", 1, 80, "\\x00"},
		{"\xc2\xa3" "12 Jos\xc3\xa9", 0, 80, "\xc2\xa3" "12 Jos\xc3\xa9"},
		{"\xff\xfe", 0, 80, "\xff\xfe"},
		/* only len bytes */
		{"abcdef", 3, 80, "abc"},
		/* tiny buffers: always NUL-terminated, "..." when cut */
		{"abc", 0, 1, ""},
		{"", 0, 1, ""},
		{"abc", 0, 2, "a"},
		{"abc", 0, 3, "ab"},
		{"abc", 0, 4, "abc"},
		{"abcd", 0, 4, "..."},
		{"abcd", 0, 5, "abcd"},
		{"abcde", 0, 5, "a..."},
		{"abcdefgh", 0, 6, "ab..."},
		{"\n", 0, 3, "\\n"},
		{"\n", 0, 2, ""},
		{"a\nb", 0, 4, "..."},
		{"a\nb", 0, 5, "a\\nb"},
		{"ab\n", 0, 6, "ab\\n"},
		{"ab\ncd", 0, 6, "ab..."},
		{"\x01\x01", 0, 7, "..."},
		{"\x01\x01", 0, 8, "\\x01..."},
		{"\x01\x01", 0, 9, "\\x01\\x01"},
		/* a UTF-8 character is not cut in two by a small buffer */
		{"ab\xc3\xa9", 0, 5, "ab\xc3\xa9"},
		{"ab\xc3\xa9xyz", 0, 7, "ab..."},
		{"a\xe2\x82\xac" "bc", 0, 7, "a\xe2\x82\xac" "bc"},
		{"a\xe2\x82\xac" "bc", 0, 6, "a..."},
	};
	char buf[300];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		size_t len = t[i].len ? t[i].len : strlen(t[i].s);

		memset(buf, 'z', sizeof buf);
		assert_ptr_equal(pb_quote(buf, t[i].n, t[i].s, len), buf);
		if (strcmp(buf, t[i].want) != 0)
			fail_msg("case %zu, n %zu: '%s', want '%s'", i, t[i].n,
				 buf, t[i].want);
		/* nothing written past the buffer */
		if (buf[t[i].n] != 'z')
			fail_msg("case %zu: wrote past %zu bytes", i, t[i].n);
	}
	/* n == 0 writes nothing */
	memset(buf, 'z', sizeof buf);
	assert_ptr_equal(pb_quote(buf, 0, "abc", 3), buf);
	assert_int_equal(buf[0], 'z');
}

/* The 60-byte limit, with escapes and UTF-8 at the cut. */
static void test_quote_limit(void **state)
{
	struct pb_buf in, want;
	char buf[400];
	int i;

	(void)state;
	pb_buf_init(&in);
	pb_buf_init(&want);
#define CASE(input_loop, want_loop, size)                               \
	do {                                                            \
		pb_buf_reset(&in);                                      \
		pb_buf_reset(&want);                                    \
		input_loop;                                             \
		want_loop;                                              \
		pb_quote(buf, (size), in.s, in.len);                    \
		if (strcmp(buf, want.s) != 0)                           \
			fail_msg("line %d: '%s', want '%s'", __LINE__,  \
				 buf, want.s);                          \
	} while (0)
	/* 60 bytes exactly: kept whole; 61: cut at 60 with "..." */
	CASE(for (i = 0; i < 60; i++) pb_buf_addc(&in, 'a'),
	     for (i = 0; i < 60; i++) pb_buf_addc(&want, 'a'), 80);
	CASE(for (i = 0; i < 61; i++) pb_buf_addc(&in, 'a'),
	     for (i = 0; i < 60; i++) pb_buf_addc(&want, 'a');
	     pb_buf_adds(&want, "..."), 80);
	CASE(for (i = 0; i < 300; i++) pb_buf_addc(&in, (char)('a' + i % 26)),
	     for (i = 0; i < 60; i++) pb_buf_addc(&want, (char)('a' + i % 26));
	     pb_buf_adds(&want, "..."), 80);
	/* a UTF-8 character across the 60th byte is left out whole */
	CASE(for (i = 0; i < 58; i++) pb_buf_addc(&in, 'a');
	     pb_buf_adds(&in, "\xc3\xa9"),
	     for (i = 0; i < 58; i++) pb_buf_addc(&want, 'a');
	     pb_buf_adds(&want, "\xc3\xa9"), 80);
	CASE(for (i = 0; i < 59; i++) pb_buf_addc(&in, 'a');
	     pb_buf_adds(&in, "\xc3\xa9x"),
	     for (i = 0; i < 59; i++) pb_buf_addc(&want, 'a');
	     pb_buf_adds(&want, "..."), 80);
	CASE(for (i = 0; i < 58; i++) pb_buf_addc(&in, 'a');
	     pb_buf_adds(&in, "\xe2\x82\xac"),
	     for (i = 0; i < 58; i++) pb_buf_addc(&want, 'a');
	     pb_buf_adds(&want, "..."), 80);
	CASE(for (i = 0; i < 40; i++) pb_buf_adds(&in, "\xc2\xa3"),
	     for (i = 0; i < 30; i++) pb_buf_adds(&want, "\xc2\xa3");
	     pb_buf_adds(&want, "..."), 80);
	/* escapes that do not fit the buffer end in "..." too */
	CASE(for (i = 0; i < 39; i++) pb_buf_addc(&in, '\t'),
	     for (i = 0; i < 39; i++) pb_buf_adds(&want, "\\t"), 80);
	CASE(for (i = 0; i < 40; i++) pb_buf_addc(&in, '\t'),
	     for (i = 0; i < 38; i++) pb_buf_adds(&want, "\\t");
	     pb_buf_adds(&want, "..."), 80);
	CASE(for (i = 0; i < 60; i++) pb_buf_addc(&in, '\x01'),
	     for (i = 0; i < 19; i++) pb_buf_adds(&want, "\\x01");
	     pb_buf_adds(&want, "..."), 80);
	/* with room for them, 60 escapes are shown whole */
	CASE(for (i = 0; i < 60; i++) pb_buf_addc(&in, '\x01'),
	     for (i = 0; i < 60; i++) pb_buf_adds(&want, "\\x01"), 400);
	CASE(for (i = 0; i < 61; i++) pb_buf_addc(&in, '\n'),
	     for (i = 0; i < 60; i++) pb_buf_adds(&want, "\\n");
	     pb_buf_adds(&want, "..."), 400);
#undef CASE
	pb_buf_fini(&in);
	pb_buf_fini(&want);
}

static void test_format(void **state)
{
	static const struct {
		const char *prog, *file;
		long line;
		const char *field, *key, *text, *want;
	} t[] = {
		{"pb-x", "", 0, "", "", "bad", "pb-x: bad"},
		{"pb-x", "", 0, "amount", "", "bad", "pb-x: column 'amount': bad"},
		{"pb-x", "", 12, "", "", "bad", "pb-x: bad"},
		{"pb-x", "", 12, "amount", "", "bad", "pb-x: column 'amount': bad"},
		{"pb-x", "in.csv", 0, "", "", "bad", "pb-x: in.csv: bad"},
		{"pb-x", "in.csv", 0, "amount", "", "bad",
		 "pb-x: in.csv: column 'amount': bad"},
		{"pb-x", "in.csv", 12, "", "", "bad", "pb-x: in.csv:12: bad"},
		{"pb-x", "in.csv", 12, "amount", "", "bad",
		 "pb-x: in.csv:12: column 'amount': bad"},
		{"pb-x", "", 0, "", "", "", "pb-x: unknown error"},
		{"pb-x", "", 0, "amount", "", "", "pb-x: column 'amount': unknown error"},
		{"pb-x", "", 12, "", "", "", "pb-x: unknown error"},
		{"pb-x", "", 12, "amount", "", "", "pb-x: column 'amount': unknown error"},
		{"pb-x", "in.csv", 0, "", "", "", "pb-x: in.csv: unknown error"},
		{"pb-x", "in.csv", 0, "amount", "", "",
		 "pb-x: in.csv: column 'amount': unknown error"},
		{"pb-x", "in.csv", 12, "", "", "", "pb-x: in.csv:12: unknown error"},
		{"pb-x", "in.csv", 12, "amount", "", "",
		 "pb-x: in.csv:12: column 'amount': unknown error"},
		/* no program name */
		{NULL, "in.csv", 12, "amount", "", "bad", "in.csv:12: column 'amount': bad"},
		{"", "in.csv", 12, "amount", "", "bad", "in.csv:12: column 'amount': bad"},
		{NULL, "", 0, "", "", "bad", "bad"},
		{"", "", 0, "", "", "", "unknown error"},
		{NULL, "in.csv", 0, "", "", "bad", "in.csv: bad"},
		/* a program with a subcommand, stdin, a config key path */
		{"pb-report takeup", "<stdin>", 3, "Person ID", "", "x",
		 "pb-report takeup: <stdin>:3: column 'Person ID': x"},
		{"pb-x", "in.csv", -1, "", "", "bad", "pb-x: in.csv: bad"},
		{"pb-x", "in.csv", 2147483647, "", "", "bad", "pb-x: in.csv:2147483647: bad"},
		/* a JSON key path, after the column */
		{"pb-x", "plan.json", 3, "", "questions[3].answers", "bad",
		 "pb-x: plan.json:3: questions[3].answers: bad"},
		{"pb-x", "plan.json", 0, "", "budget", "bad",
		 "pb-x: plan.json: budget: bad"},
		{"pb-x", "", 0, "", "budget", "", "pb-x: budget: unknown error"},
		{NULL, "in.csv", 12, "amount", "k", "bad",
		 "in.csv:12: column 'amount': k: bad"},
	};
	struct pb_error e;
	char buf[1024];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		junk(&e);
		pb_error_clear(&e);
		pb_error_at(&e, t[i].file, 0, t[i].field);
		pb_error_key(&e, t[i].key);
		e.line = t[i].line;
		pb_error_set(&e, PB_EDATA, "%s", t[i].text);
		memset(buf, 'z', sizeof buf);
		assert_ptr_equal(pb_error_format(buf, sizeof buf, t[i].prog, &e),
				 buf);
		if (strcmp(buf, t[i].want) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, buf, t[i].want);
	}
}

static void test_format_small(void **state)
{
	static const char *const full = "pb-x: in.csv:12: column 'amount': bad";
	struct pb_error e;
	char buf[64];
	size_t n;

	(void)state;
	pb_error_clear(&e);
	pb_error_at(&e, "in.csv", 12, "amount");
	pb_error_set(&e, PB_EDATA, "bad");
	/* every size: the longest prefix that fits, NUL-terminated */
	for (n = 1; n < sizeof buf; n++) {
		memset(buf, 'z', sizeof buf);
		pb_error_format(buf, n, "pb-x", &e);
		if (strlen(buf) != (n - 1 < strlen(full) ? n - 1 : strlen(full)) ||
		    strncmp(buf, full, strlen(buf)) != 0 || buf[n] != 'z')
			fail_msg("size %zu: '%s'", n, buf);
	}
	memset(buf, 'z', sizeof buf);
	pb_error_format(buf, 0, "pb-x", &e);
	assert_int_equal(buf[0], 'z');
}

static void test_print(void **state)
{
	struct pb_error e;
	char *out = NULL, *longfile = repeat('f', 400), *longfield = repeat('c', 100);
	char *longtext = repeat('t', 400), *longkey = repeat('k', 100), *want;
	size_t outlen = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&out, &outlen);
	assert_non_null(fp);
	pb_error_clear(&e);
	pb_error_at(&e, "in.csv", 4, "age");
	pb_error_set(&e, PB_EDATA, "not a whole number '%s'", "forty");
	pb_error_print(fp, "pb-report takeup", &e);
	pb_error_clear(&e);
	pb_error_print(fp, "pb-x", &e);
	/* the longest parts fit the line whole */
	pb_error_at(&e, longfile, 99, longfield);
	pb_error_key(&e, longkey);
	pb_error_set(&e, PB_EIO, "%s", longtext);
	pb_error_print(fp, "pb-x", &e);
	assert_int_equal(fclose(fp), 0);
	want = malloc(2048);
	assert_non_null(want);
	snprintf(want, 2048,
		 "pb-report takeup: in.csv:4: column 'age': not a whole number 'forty'\n"
		 "pb-x: unknown error\n"
		 "pb-x: %.*s:99: column '%.*s': %.*s: %.*s\n",
		 PB_ERROR_FILE - 1, longfile, PB_ERROR_FIELD - 1, longfield,
		 (int)sizeof e.key - 1, longkey, PB_ERROR_TEXT - 1, longtext);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	free(out);
	free(want);
	free(longfile);
	free(longfield);
	free(longtext);
	free(longkey);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_limit),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_small),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
