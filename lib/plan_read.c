/*
 * plan_read.c - JSON documents one after another from plan files: JSON
 * Lines, or pretty-printed documents back to back.
 *
 * The reader keeps only the document being read: it scans for the
 * bracket that closes the one that opened it (outside strings), hands
 * exactly those bytes to jansson (pb_json_load_next, for key paths in
 * errors), and drops them.  A document that is not valid JSON is
 * reported with the line it starts on and skipped; when its brackets do
 * not balance (a line cut short) or a string runs into a line break
 * (which JSON does not allow), reading starts again at the next line
 * that starts with '{'.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "plan.h"

struct pb_plan_reader {
	char **files;
	size_t nfiles, cur;
	FILE *fp;
	const char *name;        /* current file, "<stdin>" for "-" */
	int is_stdin, eof, started;
	struct pb_buf buf;       /* bytes read, not yet used: [off, len) */
	size_t off;
	long line;               /* the line of buf[off] */
	size_t chunk;
};

struct pb_plan_reader *pb_plan_reader_new(char *const *files, size_t nfiles)
{
	struct pb_plan_reader *r = pb_xcalloc(1, sizeof *r);
	size_t i;

	if (nfiles == 0) {
		r->files = pb_xcalloc(1, sizeof *r->files);
		r->files[0] = pb_xstrdup("-");
		r->nfiles = 1;
	} else {
		r->files = pb_xcalloc(nfiles, sizeof *r->files);
		for (i = 0; i < nfiles; i++)
			r->files[i] = pb_xstrdup(files[i]);
		r->nfiles = nfiles;
	}
	r->chunk = 65536;
	pb_buf_init(&r->buf);
	return r;
}

static void close_file(struct pb_plan_reader *r)
{
	if (r->fp && !r->is_stdin)
		fclose(r->fp);
	r->fp = NULL;
	r->cur++;
	pb_buf_reset(&r->buf);
	r->off = 0;
}

void pb_plan_reader_free(struct pb_plan_reader *r)
{
	size_t i;

	if (!r)
		return;
	if (r->fp && !r->is_stdin)
		fclose(r->fp);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	pb_buf_fini(&r->buf);
	free(r);
}

void pb_plan_reader_set_chunk(struct pb_plan_reader *r, size_t chunk)
{
	r->chunk = chunk ? chunk : 1;
}

static int fail_io(struct pb_plan_reader *r, const char *what, int err,
		   struct pb_error *e)
{
	pb_error_clear(e);
	pb_error_at(e, r->name, 0, NULL);
	return pb_error_set(e, PB_EIO, "%s: %s", what, strerror(err ? err : EIO));
}

/* Read more: 1 read, 0 end of file, -PB_EIO.  What is buffered moves
 * to the front: offsets relative to r->off stay valid. */
static int fill(struct pb_plan_reader *r, struct pb_error *e)
{
	size_t n;

	if (r->eof)
		return 0;
	if (r->off > 0) {
		memmove(r->buf.s, r->buf.s + r->off, r->buf.len - r->off);
		r->buf.len -= r->off;
		r->off = 0;
	}
	pb_buf_reserve(&r->buf, r->chunk + 1);
	n = fread(r->buf.s + r->buf.len, 1, r->chunk, r->fp);
	r->buf.len += n;
	r->buf.s[r->buf.len] = '\0';
	if (n == 0) {
		if (ferror(r->fp))
			return fail_io(r, "read error", errno, e);
		r->eof = 1;
		return 0;
	}
	return 1;
}

static void advance(struct pb_plan_reader *r, size_t n)
{
	const char *p = r->buf.s + r->off, *end = p + n;

	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		r->line++;
		p++;
	}
	r->off += n;
}

/* Skip past the current byte to the next line that starts with '{'. */
static int resync(struct pb_plan_reader *r, struct pb_error *e)
{
	int rc;

	advance(r, 1);
	for (;;) {
		char *nl;

		while (r->off < r->buf.len &&
		       (nl = memchr(r->buf.s + r->off, '\n',
				    r->buf.len - r->off))) {
			advance(r, (size_t)(nl - (r->buf.s + r->off)) + 1);
			if (r->off == r->buf.len) {
				if ((rc = fill(r, e)) < 0)
					return rc;
			}
			if (r->off < r->buf.len && r->buf.s[r->off] == '{')
				return 0;
		}
		advance(r, r->buf.len - r->off);
		if ((rc = fill(r, e)) <= 0)
			return rc;
	}
}

/* The bytes that matter when scanning for a document's end. */
static const unsigned char in_string_stop[256] = {
	['"'] = 1, ['\\'] = 1, ['\n'] = 1
};
static const unsigned char structure[256] = {
	['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1
};

static int open_next(struct pb_plan_reader *r, struct pb_error *e)
{
	const char *path = r->files[r->cur];

	r->is_stdin = strcmp(path, "-") == 0;
	r->name = pb_path_label(path);
	r->fp = r->is_stdin ? stdin : fopen(path, "rb");
	r->eof = 0;
	r->line = 1;
	r->off = 0;
	r->started = 0;
	pb_buf_reset(&r->buf);
	if (!r->fp) {
		int err = errno;

		r->cur++;
		return fail_io(r, "cannot open", err, e);
	}
	return 0;
}

/* A document that is not JSON, starting at line: -PB_EDATA. */
static int broken(struct pb_plan_reader *r, long line, struct pb_error *e,
		  const char *text)
{
	pb_error_clear(e);
	pb_error_at(e, r->name, line, NULL);
	return pb_error_set(e, PB_EDATA, "%s", text);
}

static int resync(struct pb_plan_reader *r, struct pb_error *e);

enum { DOC_WHOLE, DOC_SCALAR, DOC_CUT };

/*
 * Decode the len bytes at r->off, a document that starts on line.  On
 * error the place is the document's first line (the line jansson
 * stopped at goes in the message) and reading moves on: past the
 * document when its brackets balanced, else (DOC_CUT: a string ran
 * into a line break) to the next line that starts with '{'.
 */
static int parse(struct pb_plan_reader *r, size_t len, long line,
		 json_t **doc, int how, struct pb_error *e)
{
	static const char pre[] = "not valid JSON (column ";
	size_t used = 0;
	json_t *v = pb_json_load_next(r->buf.s + r->off, len, &used, PB_EDATA,
				      e);

	if (v) {
		advance(r, how == DOC_SCALAR ? used : len);
		*doc = v;
		return 1;
	}
	if (e) {
		long rel = e->line;

		if (rel > 1 && strncmp(e->text, pre, sizeof pre - 1) == 0) {
			char tmp[PB_ERROR_TEXT];

			snprintf(tmp, sizeof tmp, "not valid JSON (line %ld, column %s",
				 line + rel - 1, e->text + sizeof pre - 1);
			snprintf(e->text, sizeof e->text, "%s", tmp);
		}
		pb_error_at(e, r->name, line, NULL);
	}
	if (how != DOC_CUT) {
		advance(r, len);
	} else {
		struct pb_error e2;

		if (resync(r, &e2) < 0) {
			if (e)
				*e = e2;
			return -PB_EIO;
		}
	}
	return -PB_EDATA;
}

int pb_plan_reader_next(struct pb_plan_reader *r, json_t **doc,
			const char **file, long *line, struct pb_error *e)
{
	int rc;

	*doc = NULL;
	for (;;) {
		size_t pos;
		int depth = 0, in_str = 0, esc = 0;
		long start;
		char c0;

		if (!r->fp) {
			if (r->cur >= r->nfiles)
				return 0;
			if ((rc = open_next(r, e)) < 0)
				return rc;
		}
		/* A byte order mark at the start of a file is skipped. */
		if (!r->started) {
			while (r->buf.len - r->off < 3 && !r->eof)
				if ((rc = fill(r, e)) < 0) {
					close_file(r);
					return rc;
				}
			if (r->buf.len - r->off >= 3 &&
			    memcmp(r->buf.s + r->off, "\xEF\xBB\xBF", 3) == 0)
				r->off += 3;
			r->started = 1;
		}
		/* Blanks between documents. */
		for (;;) {
			while (r->off < r->buf.len &&
			       (r->buf.s[r->off] == ' ' ||
				r->buf.s[r->off] == '\t' ||
				r->buf.s[r->off] == '\r' ||
				r->buf.s[r->off] == '\n'))
				advance(r, 1);
			if (r->off < r->buf.len)
				break;
			if ((rc = fill(r, e)) < 0) {
				close_file(r);
				return rc;
			}
			if (rc == 0)
				break;
		}
		if (r->off >= r->buf.len) {
			close_file(r);
			continue;
		}
		start = r->line;
		*file = r->name;
		*line = start;
		c0 = r->buf.s[r->off];

		if (c0 != '{' && c0 != '[') {
			/* Not an object or array: read to the end of the line. */
			char *nl;

			while (!(nl = memchr(r->buf.s + r->off, '\n',
					     r->buf.len - r->off)) && !r->eof &&
			       r->buf.len - r->off <= PB_PLAN_DOC_MAX)
				if ((rc = fill(r, e)) < 0) {
					close_file(r);
					return rc;
				}
			pos = nl ? (size_t)(nl - (r->buf.s + r->off))
				 : r->buf.len - r->off;
			if (pos <= PB_PLAN_DOC_MAX)
				return parse(r, pos, start, doc, DOC_SCALAR, e);
			/* A line too long to be a plan: one error for it
			 * all, not one for each 16 MiB of it. */
			struct pb_error e2;

			rc = broken(r, start, e,
				    "not read: a document longer than 16 MiB");
			if (resync(r, &e2) < 0) {
				if (e)
					*e = e2;
				close_file(r);
				return -PB_EIO;
			}
			return rc;
		}

		/* An object or array: find the bracket that closes it. */
		pos = 0;
		for (;;) {
			const unsigned char *b =
				(const unsigned char *)r->buf.s + r->off;
			size_t len = r->buf.len - r->off;

			while (pos < len) {
				char c;

				/* Most bytes mean nothing here: skip them. */
				if (in_str && !esc)
					while (pos < len && !in_string_stop[b[pos]])
						pos++;
				else if (!in_str)
					while (pos < len && !structure[b[pos]])
						pos++;
				if (pos == len)
					break;
				c = (char)b[pos];
				if (in_str) {
					if (esc)
						esc = 0;
					else if (c == '\\')
						esc = 1;
					else if (c == '"')
						in_str = 0;
					else if (c == '\n')
						/* A line break inside a
						 * string: the line was cut
						 * short.  jansson says how. */
						return parse(r, pos, start,
							     doc, DOC_CUT, e);
				} else if (c == '"') {
					in_str = 1;
				} else if (c == '{' || c == '[') {
					depth++;
				} else if (c == '}' || c == ']') {
					if (--depth == 0)
						return parse(r, pos + 1, start,
							     doc, DOC_WHOLE, e);
				}
				pos++;
			}
			if (pos > PB_PLAN_DOC_MAX) {
				rc = broken(r, start, e,
					    "not read: a document longer than 16 MiB");
				break;
			}
			if ((rc = fill(r, e)) < 0) {
				close_file(r);
				return rc;
			}
			if (rc == 0) {
				rc = broken(r, start, e,
					    "not valid JSON: not closed before the end of the file (a missing '}' or ']'?)");
				break;
			}
		}
		{
			struct pb_error e2;

			if (resync(r, &e2) < 0) {
				/* The read error is the worse news. */
				if (e)
					*e = e2;
				close_file(r);
				return -PB_EIO;
			}
		}
		return rc;
	}
}
