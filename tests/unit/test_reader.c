/*
 * test_reader.c - the record reader, CSV and JSON Lines.  Every case is
 * read at every chunk size from 1 byte to past its length, and must give
 * the same events (header, records with their start lines, errors) each
 * time: this catches quoted newlines and CRLF split across reads.
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

#include "pb.h"

struct rcase {
	const char *name;
	const char *input;
	size_t len;            /* 0: strlen(input) */
	enum pb_informat fmt;
	const char *events;    /* expected, see run() */
};

/*
 * Events, one per line:  H:name|name  (header seen or changed),
 * R<line>:v|v  (a record), E<line>:<code>:<text>  (an error).
 */
static void run(const char *path, enum pb_informat fmt, size_t chunk,
		struct pb_buf *out)
{
	char *files[1];
	struct pb_reader *r;
	struct pb_record *rec;
	struct pb_error e;
	unsigned long gen = 0;
	int rc;

	files[0] = (char *)path;
	r = pb_reader_new(files, 1, fmt);
	if (chunk)
		pb_reader_set_chunk(r, chunk);
	pb_buf_reset(out);
	for (;;) {
		rec = NULL;
		rc = pb_reader_next(r, &rec, &e);
		if (rc == 0)
			break;
		if (rec && rec->hdr->n && rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			pb_buf_adds(out, "H:");
			for (size_t i = 0; i < rec->hdr->n; i++) {
				if (i)
					pb_buf_addc(out, '|');
				pb_buf_adds(out, rec->hdr->name[i]);
			}
			pb_buf_addc(out, '\n');
		}
		if (rc == 1) {
			pb_buf_printf(out, "R%ld:", rec->line);
			for (size_t i = 0; i < rec->n; i++) {
				if (i)
					pb_buf_addc(out, '|');
				pb_buf_add(out, rec->val[i], rec->len[i]);
			}
			pb_buf_addc(out, '\n');
		} else {
			pb_buf_printf(out, "E%ld:%d:%s\n", e.line, e.code, e.text);
			if (rc == -PB_EUSAGE || rc == -PB_EIO)
				gen = 0;
		}
	}
	pb_reader_free(r);
}

static char *write_tmp(const char *data, size_t len)
{
	char *path = strdup("/tmp/pb-test-reader-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static const struct rcase cases[] = {
	{"lf", "a,b\n1,2\n3,4\n", 0, PB_IN_AUTO, "H:a|b\nR2:1|2\nR3:3|4\n"},
	{"crlf", "a,b\r\n1,2\r\n3,4\r\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:1|2\nR3:3|4\n"},
	{"no final newline", "a,b\n1,2", 0, PB_IN_AUTO, "H:a|b\nR2:1|2\n"},
	{"quoted comma and quotes",
	 "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:x,y|he said \"hi\"\n"},
	{"quoted newline", "a,b\n\"line1\nline2\",z\n3,4\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:line1\nline2|z\nR4:3|4\n"},
	{"quoted crlf", "a,b\r\n\"p\r\nq\",z\r\n5,6\r\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:p\r\nq|z\nR4:5|6\n"},
	{"bom", "\xef\xbb\xbf" "a,b\n1,2\n", 0, PB_IN_AUTO, "H:a|b\nR2:1|2\n"},
	{"spaces are data", "a,b\n 1 , 2 \n", 0, PB_IN_AUTO,
	 "H:a|b\nR2: 1 | 2 \n"},
	{"tabs are data", "a,b\n\t1,2\t\n", 0, PB_IN_CSV,
	 "H:a|b\nR2:\t1|2\t\n"},
	{"empty fields", "a,b,c\n,,\n\"\",x,\n", 0, PB_IN_AUTO,
	 "H:a|b|c\nR2:||\nR3:|x|\n"},
	{"too many fields", "a,b\n1,2,3\n4,5\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:record has 3 fields, the header has 2\nR3:4|5\n"},
	{"too few fields", "a,b\n1\n4,5\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:record has 1 fields, the header has 2\nR3:4|5\n"},
	{"unclosed quote", "a,b\n1,2\n3,\"oops\n5,6\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:1|2\nE3:1:quoted field not closed before the end of the file\n"},
	{"quote inside unquoted field", "a,b\n1,x\"y\n4,5\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:malformed CSV: a quote inside an unquoted field, or text after a closing quote\nR3:4|5\n"},
	{"text after closing quote", "a,b\n\"x\"y,1\n4,5\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:malformed CSV: a quote inside an unquoted field, or text after a closing quote\nR3:4|5\n"},
	/* lines of quoted fields, read in place (or by libcsv when split
	 * across reads): the same records and errors either way */
	{"quoted fields on a line",
	 "a,b,c\n\"x\",\"y,z\",\"q\"\"r\"\n1,\"\",\"\"\"\"\n\"\",,\"end\"\r\n", 0,
	 PB_IN_AUTO, "H:a|b|c\nR2:x|y,z|q\"r\nR3:1||\"\nR4:||end\n"},
	{"quoted, then a trailing comma", "a,b\n\"x\",\n", 0, PB_IN_AUTO,
	 "H:a|b\nR2:x|\n"},
	{"space before a quote", "a,b\n \"x\",1\n3,4\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:malformed CSV: a quote inside an unquoted field, or text after a closing quote\nR3:3|4\n"},
	{"quote not doubled", "a,b\n\"x\"y\",1\n3,4\n", 0, PB_IN_AUTO,
	 "H:a|b\nE2:1:malformed CSV: a quote inside an unquoted field, or text after a closing quote\nR3:3|4\n"},
	{"quoted, wrong number of fields", "a,b\n\"x\",\"y\",\"z\"\n\"1\"\n5,6\n", 0,
	 PB_IN_AUTO,
	 "H:a|b\nE2:1:record has 3 fields, the header has 2\nE3:1:record has 1 fields, the header has 2\nR4:5|6\n"},
	{"blank lines skipped", "a,b\n\n1,2\n\n\n3,4\n", 0, PB_IN_AUTO,
	 "H:a|b\nR3:1|2\nR6:3|4\n"},
	{"leading blank lines", "\n\na,b\n1,2\n", 0, PB_IN_AUTO,
	 "H:a|b\nR4:1|2\n"},
	{"empty file", "", 0, PB_IN_AUTO, ""},
	{"header only", "a,b\n", 0, PB_IN_AUTO, ""},
	{"nul byte", "a,b\nx\0y,2\n3,4\n", 14, PB_IN_AUTO,
	 "H:a|b\nE2:1:NUL byte in a field\nR3:3|4\n"},
	{"duplicate header", "id,ID\n1,2\n", 0, PB_IN_AUTO,
	 "E1:2:header names column 'ID' twice (column 2)\n"},
	{"malformed header", "a,\"b\"x\n1,2\n3,4\n", 0, PB_IN_AUTO,
	 "E1:2:cannot read the header: malformed CSV: a quote inside an unquoted field, or text after a closing quote\n"},
	{"header quote not closed", "a,\"b\n1,2\n", 0, PB_IN_AUTO,
	 "E1:2:cannot read the header: quoted field not closed before the end of the file\n"},
	{"header nul byte", "a,b\0\n1,2\n", 9, PB_IN_AUTO,
	 "E1:2:cannot read the header: NUL byte in a field\n"},
	{"bom crlf header only", "\xef\xbb\xbf" "a,b\r\n", 0, PB_IN_AUTO, ""},
	{"broken bom", "\xef\xbb" "a,b\n1,2\n", 0, PB_IN_AUTO,
	 "E1:2:starts with a broken byte order mark: not UTF-8 text\n"},
	/* found by fuzz_plan: a value that starts with U+FEFF, written
	 * quoted, is data; only an unquoted one starts a joined file */
	{"bom inside the file", "a,b\n1,2\n\xef\xbb\xbf" "a,b\n3,4\n", 0,
	 PB_IN_AUTO, "H:a|b\nR2:1|2\nE3:1:a byte order mark inside the file (were files joined with cat?)\nR4:3|4\n"},
	{"quoted value starting with U+FEFF", "a,b\n\"\xef\xbb\xbf" "x\",2\n\"\xef\xbb\xbf" "y\nz\",3\n", 0,
	 PB_IN_AUTO, "H:a|b\nR2:\xef\xbb\xbf" "x|2\nR3:\xef\xbb\xbf" "y\nz|3\n"},
	{"utf8 kept", "name,cost\nJos\xc3\xa9,\xc2\xa3" "12.50\n", 0, PB_IN_AUTO,
	 "H:name|cost\nR2:Jos\xc3\xa9|\xc2\xa3" "12.50\n"},
	{"json", "{\"a\":\"x\",\"b\":1}\n{\"b\":true,\"c\":null}\n", 0,
	 PB_IN_AUTO, "H:a|b\nR1:x|1\nH:a|b|c\nR2:|true|\n"},
	{"json crlf and no final newline", "{\"a\":\"x\"}\r\n{\"a\":\"y\"}", 0,
	 PB_IN_AUTO, "H:a\nR1:x\nR2:y\n"},
	{"json real kept as text", "{\"a\":12.5,\"b\":-3}\n", 0, PB_IN_AUTO,
	 "H:a|b\nR1:12.5|-3\n"},
	{"json real shortest text", "{\"a\":1.1,\"b\":0.1,\"c\":1e300,\"d\":0.30000000000000004}\n",
	 0, PB_IN_AUTO, "H:a|b|c|d\nR1:1.1|0.1|1e+300|0.30000000000000004\n"},
	{"json blank line", "{\"a\":1}\n\n{\"a\":2}\n", 0, PB_IN_AUTO,
	 "H:a\nR1:1\nE2:1:blank line in JSON Lines input\nR3:2\n"},
	{"json nested", "{\"a\":1}\n{\"a\":{\"x\":1}}\n{\"a\":[1]}\n", 0,
	 PB_IN_AUTO,
	 "H:a\nR1:1\nE2:1:key 'a' holds a nested object; records must be flat\n"
	 "E3:1:key 'a' holds a nested array; records must be flat\n"},
	{"json duplicate key", "{\"a\":1,\"a\":2}\n{\"a\":3}\n", 0, PB_IN_AUTO,
	 "E1:1:not valid JSON (column 10): duplicate object key near '\"a\"'\n"
	 "H:a\nR2:3\n"},
	{"json not an object", "{\"a\":1}\n[1,2]\n", 0, PB_IN_JSON,
	 "H:a\nR1:1\nE2:1:not a JSON object\n"},
	{"json invalid", "{\"a\":1}\n{\"a\":\n", 0, PB_IN_AUTO,
	 "H:a\nR1:1\nE2:1:not valid JSON (column 5): unexpected token near end of file\n"},
	{"json same column twice", "{\"person_id\":\"1\",\"Person ID\":\"2\"}\n",
	 0, PB_IN_AUTO,
	 "H:person_id\nE1:1:key 'Person ID' is the same column as 'person_id'\n"},
	{"json too big integer", "{\"a\":99999999999999999999}\n", 0, PB_IN_AUTO,
	 "E1:1:not valid JSON (column 25): too big integer near '99999999999999999999'\n"},
};

static void test_cases(void **state)
{
	size_t i, chunk;
	struct pb_buf got;

	(void)state;
	pb_buf_init(&got);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rcase *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->input);
		char *path = write_tmp(c->input, len);

		for (chunk = 1; chunk <= len + 2; chunk++) {
			run(path, c->fmt, chunk, &got);
			if (strcmp(got.len ? got.s : "", c->events) != 0) {
				print_error("case '%s' at chunk size %zu:\n"
					    "--- want\n%s--- got\n%s",
					    c->name, chunk, c->events,
					    got.len ? got.s : "");
				unlink(path);
				free(path);
				pb_buf_fini(&got);
				fail();
			}
		}
		run(path, c->fmt, 0, &got); /* the default chunk */
		assert_string_equal(got.len ? got.s : "", c->events);
		unlink(path);
		free(path);
	}
	pb_buf_fini(&got);
}

static void test_many_files(void **state)
{
	char *a = write_tmp("x,y\n1,2\n", 8);
	char *b = write_tmp("{\"z\":\"3\"}\n", 10);
	char *files[4] = {a, "/nonexistent/pb-test", b, a};
	struct pb_reader *r = pb_reader_new(files, 4, PB_IN_AUTO);
	struct pb_record *rec;
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_reader_next(r, &rec, &e), 1);
	assert_string_equal(rec->file, a);
	assert_int_equal(rec->line, 2);
	assert_string_equal(rec->hdr->name[1], "y");
	assert_int_equal(pb_reader_next(r, &rec, &e), -PB_EIO);
	assert_string_equal(e.file, "/nonexistent/pb-test");
	assert_string_equal(e.text, "cannot open: No such file or directory");
	assert_int_equal(pb_reader_next(r, &rec, &e), 1);
	assert_int_equal(pb_reader_format(r), PB_IN_JSON);
	assert_int_equal(rec->n, 1);
	assert_string_equal(rec->hdr->name[0], "z");
	assert_string_equal(rec->val[0], "3");
	assert_int_equal(rec->kind[0], PB_KIND_STR);
	assert_int_equal(pb_reader_next(r, &rec, &e), 1);
	assert_int_equal(pb_reader_format(r), PB_IN_CSV);
	assert_string_equal(rec->val[0], "1");
	assert_int_equal(pb_reader_next(r, &rec, &e), 0);
	assert_int_equal(pb_reader_count(r), 3);
	pb_reader_free(r);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

static void test_json_kinds(void **state)
{
	char *a = write_tmp("{\"s\":\"x\",\"i\":7,\"r\":1.5,\"t\":true,\"n\":null}\n"
			    "{\"s\":\"y\"}\n", 52);
	char *files[1] = {a};
	struct pb_reader *r = pb_reader_new(files, 1, PB_IN_AUTO);
	struct pb_record *rec;
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind[0], PB_KIND_STR);
	assert_int_equal(rec->kind[1], PB_KIND_INT);
	assert_int_equal(rec->kind[2], PB_KIND_REAL);
	assert_int_equal(rec->kind[3], PB_KIND_BOOL);
	assert_int_equal(rec->kind[4], PB_KIND_NULL);
	assert_int_equal(pb_reader_next(r, &rec, &e), 1);
	assert_string_equal(rec->val[0], "y");
	assert_int_equal(rec->kind[1], PB_KIND_ABSENT);
	assert_string_equal(rec->val[1], "");
	assert_int_equal(pb_reader_next(r, &rec, &e), 0);
	pb_reader_free(r);
	unlink(a);
	free(a);
}

static void test_colname_norm(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(pb_colname_norm(buf, sizeof buf, "Person ID"),
			    "person_id");
	assert_string_equal(pb_colname_norm(buf, sizeof buf, " support_Start "),
			    "support_start");
	assert_string_equal(pb_colname_norm(buf, sizeof buf, "LA code"),
			    "la_code");
	assert_string_equal(pb_colname_norm(buf, sizeof buf, "Delivery  Mechanism"),
			    "delivery_mechanism");
	assert_string_equal(pb_colname_norm(buf, sizeof buf, "a _\t_b"), "a_b");
	assert_string_equal(pb_colname_norm(buf, sizeof buf, "_x_"), "_x_");
	assert_string_equal(pb_colname_norm(buf, 4, "abcdef"), "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_many_files),
		cmocka_unit_test(test_json_kinds),
		cmocka_unit_test(test_colname_norm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
