/*
 * test_rejects.c - the --rejects file (lib/rejects.c): the union of
 * every input header in first-seen order plus reject_reason, a private
 * file mode, and I/O errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static char *write_tmp(const char *data)
{
	char *path = strdup("/tmp/pb-test-rejects-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(data);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* A fresh path in /tmp that does not exist yet. */
static char *tmp_path(void)
{
	char *path = write_tmp("");

	unlink(path);
	return path;
}

static char *slurp(const char *path)
{
	struct pb_buf b;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	assert_non_null(fp);
	pb_buf_init(&b);
	pb_buf_adds(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		pb_buf_add(&b, chunk, n);
	fclose(fp);
	return b.s;
}

static int file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (int)(st.st_mode & 07777);
}

static void expect_file(const char *path, const char *want)
{
	char *got = slurp(path);

	if (strcmp(got, want) != 0)
		fail_msg("%s:\n--- want\n%s--- got\n%s---", path, want, got);
	free(got);
}

/* Rejects from a CSV file, another CSV with other columns, and JSON. */
static void test_union_of_headers(void **state)
{
	char *a = write_tmp("id,name,amount\n1,Ann,12x\n2,\"Smith, Bob\",5\n"
			    "4,5,6,7\n");
	char *b = write_tmp("id,postcode,amount,name\n3,AB1 2CD,oops,Cy\n");
	char *c = write_tmp("{\"id\":\"8\",\"extra\":\"e\"}\n"
			    "{\"id\":\"9\",\"late\":\"L\\\"q\"}\n");
	char *out = tmp_path();
	char *files[3] = {a, b, c};
	struct pb_reader *r = pb_reader_new(files, 3, PB_IN_AUTO);
	struct pb_rejects *rj;
	struct pb_record *rec;
	struct pb_error e, why, missing;
	struct pb_buf want;
	char broken[PB_ERROR_TEXT];
	int rc;

	(void)state;
	pb_error_clear(&e);
	rj = pb_rejects_open(out, &e);
	assert_non_null(rj);
	assert_int_equal(pb_rejects_count(rj), 0);
	broken[0] = '\0';
	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		size_t len;
		const char *v;

		if (rc == -PB_EDATA) {
			/* the reader's own reason, kept as it is */
			assert_string_equal(e.file, a);
			assert_int_equal(e.line, 4);
			snprintf(broken, sizeof broken, "%s", e.text);
			assert_int_equal(pb_rejects_add(rj, rec, &e, &e), 0);
			continue;
		}
		assert_int_equal(rc, 1);
		v = pb_rec_get(rec, rec->n > 2 ? 2 : 0, &len);
		pb_error_clear(&why);
		pb_error_at(&why, rec->file, rec->line,
			    rec->hdr->name[rec->n > 2 ? 2 : 0]);
		pb_error_set(&why, PB_EDATA, "bad value '%s'", v);
		assert_int_equal(pb_rejects_add(rj, rec, &why, &e), 0);
	}
	/* a reject with no record: a file that could not be read */
	pb_error_clear(&missing);
	pb_error_at(&missing, "gone.csv", 0, NULL);
	pb_error_set(&missing, PB_EIO, "cannot open: No such file or directory");
	assert_int_equal(pb_rejects_add(rj, NULL, &missing, &e), 0);
	assert_int_equal(pb_rejects_count(rj), 7);
	assert_int_equal(pb_rejects_close(rj, &e), 0);
	pb_reader_free(r);
	assert_true(broken[0] != '\0');

	pb_buf_init(&want);
	pb_buf_printf(&want,
		"id,name,amount,field_4,postcode,extra,late,reject_reason\n"
		"1,Ann,12x,,,,,%s:2: column 'amount': bad value '12x'\n"
		"2,\"Smith, Bob\",5,,,,,%s:3: column 'amount': bad value '5'\n"
		"4,5,6,7,,,,\"%s:4: %s\"\n"
		"3,Cy,oops,,AB1 2CD,,,%s:2: column 'amount': bad value 'oops'\n"
		"8,,,,,e,,%s:1: column 'id': bad value '8'\n"
		"9,,,,,,\"L\"\"q\",\"%s:2: column 'late': bad value 'L\"\"q'\"\n"
		",,,,,,,gone.csv: cannot open: No such file or directory\n",
		a, a, a, broken, b, c, c);
	expect_file(out, want.s);
	assert_int_equal(file_mode(out), 0600);
	pb_buf_fini(&want);
	unlink(a);
	unlink(b);
	unlink(c);
	unlink(out);
	free(a);
	free(b);
	free(c);
	free(out);
}

/* Hand-built headers and records, switching back and forth. */
static void test_hand_built(void **state)
{
	char *n1[3] = {"a", "b", "d"}, *n2[2] = {"b", "x,y"};
	struct pb_header h1 = {2, n1, n1, 1}, h2 = {2, n2, n2, 7};
	const char *v1[3] = {"1", "2", "z"}, *v2[2] = {"3", "line\nbreak"};
	const char *v3[3] = {"5", "he said \"hi\"", "dd"};
	size_t l1[3] = {1, 1, 1}, l2[2] = {1, 10}, l3[3] = {1, 12, 2};
	unsigned char k[3] = {0, 0, 0};
	struct pb_record r1 = {&h1, 2, v1, l1, k, "f.csv", 1};
	struct pb_record r2 = {&h2, 2, v2, l2, k, "g.csv", 2};
	struct pb_record r3 = {&h1, 3, v3, l3, k, "<stdin>", 3};
	char *out = tmp_path();
	struct pb_rejects *rj;
	struct pb_error e, why;

	(void)state;
	rj = pb_rejects_open(out, &e);
	assert_non_null(rj);
	pb_error_clear(&why);
	pb_error_set(&why, PB_EDATA, "first, with a comma");
	pb_error_at(&why, "f.csv", 1, NULL);
	assert_int_equal(pb_rejects_add(rj, &r1, &why, &e), 0);
	pb_error_clear(&why);
	pb_error_at(&why, "g.csv", 2, "x,y");
	pb_error_set(&why, PB_EDATA, "second");
	assert_int_equal(pb_rejects_add(rj, &r2, &why, &e), 0);
	/* the first header grows (as JSON Lines headers do) */
	h1.n = 3;
	h1.gen = 2;
	pb_error_clear(&why);
	pb_error_at(&why, "<stdin>", 3, NULL);
	pb_error_set(&why, PB_EDATA, "third");
	assert_int_equal(pb_rejects_add(rj, &r3, &why, &e), 0);
	/* and the second again */
	assert_int_equal(pb_rejects_add(rj, &r2, &why, &e), 0);
	assert_int_equal(pb_rejects_count(rj), 4);
	assert_int_equal(pb_rejects_close(rj, &e), 0);
	expect_file(out,
		"a,b,\"x,y\",d,reject_reason\n"
		"1,2,,,\"f.csv:1: first, with a comma\"\n"
		",3,\"line\nbreak\",,\"g.csv:2: column 'x,y': second\"\n"
		"5,\"he said \"\"hi\"\"\",,dd,<stdin>:3: third\n"
		",3,\"line\nbreak\",,<stdin>:3: third\n");
	assert_int_equal(file_mode(out), 0600);
	unlink(out);
	free(out);
}

/* No rejects: the file holds the header line only. */
static void test_empty(void **state)
{
	char *out = tmp_path();
	struct pb_rejects *rj;
	struct pb_error e;

	(void)state;
	rj = pb_rejects_open(out, &e);
	assert_non_null(rj);
	assert_int_equal(pb_rejects_close(rj, &e), 0);
	expect_file(out, "reject_reason\n");
	assert_int_equal(pb_rejects_close(NULL, &e), 0);
	assert_int_equal(pb_rejects_count(NULL), 0);
	unlink(out);
	free(out);
}

/* Many rejects go through the spool file and come back in order. */
static void test_many(void **state)
{
	char *n1[2] = {"id", "v"};
	struct pb_header h = {2, n1, n1, 1};
	char idbuf[32], vbuf[32];
	const char *vals[2] = {idbuf, vbuf};
	size_t lens[2];
	unsigned char k[2] = {0, 0};
	struct pb_record rec = {&h, 2, vals, lens, k, "big.csv", 0};
	char *out = tmp_path(), *got, *line;
	struct pb_rejects *rj;
	struct pb_error e, why;
	long i;

	(void)state;
	rj = pb_rejects_open(out, &e);
	assert_non_null(rj);
	for (i = 0; i < 20000; i++) {
		lens[0] = (size_t)snprintf(idbuf, sizeof idbuf, "%ld", i);
		lens[1] = (size_t)snprintf(vbuf, sizeof vbuf, "v%ld", i * 7);
		rec.line = i + 2;
		pb_error_clear(&why);
		pb_error_at(&why, "big.csv", rec.line, "v");
		pb_error_set(&why, PB_EDATA, "no");
		assert_int_equal(pb_rejects_add(rj, &rec, &why, &e), 0);
	}
	assert_int_equal(pb_rejects_count(rj), 20000);
	assert_int_equal(pb_rejects_close(rj, &e), 0);
	got = slurp(out);
	line = strtok(got, "\n");
	assert_string_equal(line, "id,v,reject_reason");
	for (i = 0; i < 20000; i++) {
		char want[96];

		line = strtok(NULL, "\n");
		assert_non_null(line);
		snprintf(want, sizeof want, "%ld,v%ld,big.csv:%ld: column 'v': no",
			 i, i * 7, i + 2);
		if (strcmp(line, want) != 0)
			fail_msg("row %ld: '%s', want '%s'", i, line, want);
	}
	assert_null(strtok(NULL, "\n"));
	free(got);
	unlink(out);
	free(out);
}

/* The file is 0600 whatever the umask, and an old file is made so. */
static void test_private_mode(void **state)
{
	static const mode_t masks[] = {0, 022, 077, 0777};
	char *out;
	struct pb_rejects *rj;
	struct pb_error e;
	FILE *fp;
	size_t i;
	mode_t old;
	int fd;

	(void)state;
	for (i = 0; i < N(masks); i++) {
		out = tmp_path();
		old = umask(masks[i]);
		rj = pb_rejects_open(out, &e);
		umask(old);
		assert_non_null(rj);
		if (file_mode(out) != 0600)
			fail_msg("umask %03o: mode %03o", (unsigned)masks[i],
				 (unsigned)file_mode(out));
		assert_int_equal(pb_rejects_close(rj, &e), 0);
		assert_int_equal(file_mode(out), 0600);
		unlink(out);
		free(out);
	}
	/* an existing world-readable file: truncated and made private */
	out = write_tmp("old personal data\n");
	assert_int_equal(chmod(out, 0644), 0);
	old = umask(0);
	fp = pb_create_private(out, &e);
	umask(old);
	assert_non_null(fp);
	assert_int_equal(file_mode(out), 0600);
	assert_int_equal(fputs("new\n", fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	expect_file(out, "new\n");
	/* the descriptor is close-on-exec */
	fp = pb_create_private(out, &e);
	assert_non_null(fp);
	fd = fileno(fp);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	fclose(fp);
	unlink(out);
	free(out);
}

/*
 * Only a regular file is made private: a FIFO (or /dev/null, or a
 * terminal) keeps its mode, and writing to one is not an error.
 */
static void test_not_regular(void **state)
{
	char *fifo = tmp_path();
	struct pb_error e;
	FILE *fp;
	int rd;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(chmod(fifo, 0644), 0);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	pb_error_clear(&e);
	fp = pb_create_private(fifo, &e);
	if (!fp)
		fail_msg("FIFO: %s", e.text);
	assert_int_equal(file_mode(fifo), 0644);
	assert_int_equal(fputs("x\n", fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	close(rd);
	unlink(fifo);
	free(fifo);
}

static void test_cannot_create(void **state)
{
	static const char *const nodir = "/nonexistent-pb-test-dir/rejects.csv";
	char dir[] = "/tmp/pb-test-rejects-dir-XXXXXX";
	struct pb_error e;

	(void)state;
	pb_error_clear(&e);
	assert_null(pb_rejects_open(nodir, &e));
	check_error("no dir", &e, PB_EIO, nodir, 0, "",
		    "cannot create: No such file or directory");
	pb_error_clear(&e);
	assert_null(pb_create_private(nodir, &e));
	check_error("no dir", &e, PB_EIO, nodir, 0, "",
		    "cannot create: No such file or directory");
	assert_non_null(mkdtemp(dir));
	pb_error_clear(&e);
	assert_null(pb_rejects_open(dir, &e));
	check_error("a directory", &e, PB_EIO, dir, 0, "",
		    "cannot create: Is a directory");
	/* a stale field or line from earlier is not left behind */
	pb_error_at(&e, "x", 9, "col");
	assert_null(pb_rejects_open(nodir, &e));
	check_error("cleared", &e, PB_EIO, nodir, 0, "",
		    "cannot create: No such file or directory");
	assert_null(pb_rejects_open(nodir, NULL));
	rmdir(dir);
}

/* A full disk shows at pb_rejects_close. */
static void test_write_error(void **state)
{
	char *n1[1] = {"a"};
	struct pb_header h = {1, n1, n1, 1};
	const char *v[1] = {"1"};
	size_t l[1] = {1};
	unsigned char k[1] = {0};
	struct pb_record rec = {&h, 1, v, l, k, "f", 1};
	struct pb_rejects *rj;
	struct pb_error e, why;
	struct stat before, after;
	int i;

	(void)state;
	if (stat("/dev/full", &before) != 0)
		skip();
	rj = pb_rejects_open("/dev/full", &e);
	/* put a changed mode back before anything can fail */
	assert_int_equal(stat("/dev/full", &after), 0);
	if (after.st_mode != before.st_mode)
		chmod("/dev/full", before.st_mode & 07777);
	assert_int_equal(after.st_mode, before.st_mode);
	if (!rj)
		fail_msg("/dev/full: %s", e.text);
	pb_error_clear(&why);
	pb_error_set(&why, PB_EDATA, "r");
	for (i = 0; i < 3000; i++)
		assert_int_equal(pb_rejects_add(rj, &rec, &why, &e), 0);
	pb_error_clear(&e);
	assert_int_equal(pb_rejects_close(rj, &e), -PB_EIO);
	check_error("full", &e, PB_EIO, "/dev/full", 0, "",
		    "write error: No space left on device");
	/* with few rows the error comes from the final flush */
	rj = pb_rejects_open("/dev/full", &e);
	assert_non_null(rj);
	pb_error_clear(&e);
	assert_int_equal(pb_rejects_close(rj, &e), -PB_EIO);
	check_error("flush", &e, PB_EIO, "/dev/full", 0, "",
		    "write error: No space left on device");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union_of_headers),
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_private_mode),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_cannot_create),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
