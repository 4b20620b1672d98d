/*
 * reader.c - records from CSV (libcsv, strict RFC 4180) and JSON Lines
 * (jansson), over a list of files, with the physical line where each
 * record starts.
 *
 * CSV: a line that is whole in the read buffer, between records, holds
 * no CR (except a CRLF ending) or NUL byte, and whose fields are plain
 * (unquoted without quotes, or quoted with inner quotes doubled) is
 * split in place: its fields are NUL-terminated where they lie in the
 * buffer, doubled quotes closed up, with no copy.
 * Everything else (quoted fields, a line split across reads, a lone CR,
 * the header) is fed to libcsv one segment at a time, a segment ending
 * at each CR or LF, so that at most one record ends per csv_parse call
 * and the line a record starts on is known: when the parser is between
 * records at the start of a segment, the next record starts on the
 * current line.  libcsv's fields are copied into one reused row buffer;
 * nothing is allocated per record once the buffers have grown.
 */
#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "pb.h"

#define DEFAULT_CHUNK (64 * 1024)
/* A record larger than this is rejected rather than held in memory. */
#define MAX_RECORD (64UL * 1024 * 1024)
/* libcsv's parser states (csv.h exposes pstate but not the names). */
#define LIBCSV_ROW_NOT_BEGUN 0

struct pb_reader {
	char *const *files;
	size_t nfiles;
	size_t next_file;          /* index of the next file to open */
	enum pb_informat want;
	size_t chunk;

	/* The current file. */
	FILE *fp;
	const char *fname;
	int is_stdin;
	int open;                  /* a file is being read */
	int eof;                   /* no more bytes from fp */
	int started;               /* BOM and format handled */
	enum pb_informat fmt;
	char *buf;
	size_t bufcap, pos, end;
	long line;                 /* line of the byte at pos */

	/* CSV */
	struct csv_parser csv;
	int csv_inited;
	int have_header;
	long rec_line;             /* where the record in progress starts */
	int rec_ready;             /* cb2 has completed a record */
	int rec_quoted;            /* and its first field is quoted */
	int csv_err;               /* enum bad: what is wrong with a field */
	size_t bad_field;          /* which field, */
	size_t bad_at;             /* at which byte of it (UTF-8) */
	unsigned char bad_byte;    /* and the byte there */
	int fini_done;
	int hdr_events;            /* return 2 for each CSV header */

	/* JSON Lines */
	struct pb_buf jline;       /* a line that spans chunks */
	struct pb_strmap *jkeys;   /* normalised name -> column */

	/* The header. */
	struct pb_header hdr;
	size_t hdrcap;

	/* The row being assembled: values back to back, NUL-terminated. */
	struct pb_buf row;
	size_t *off;
	size_t *lens;
	const char **vals;
	unsigned char *kinds;
	size_t nf, fcap;

	struct pb_record rec;
	long count;
};

static int space_none(unsigned char c)
{
	(void)c;
	return 0;
}

struct pb_reader *pb_reader_new(char *const *files, size_t nfiles,
				enum pb_informat fmt)
{
	static char *const stdin_only[] = {"-"};
	struct pb_reader *r = pb_xcalloc(1, sizeof *r);

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	r->files = files;
	r->nfiles = nfiles;
	r->want = fmt;
	r->chunk = DEFAULT_CHUNK;
	pb_buf_init(&r->row);
	pb_buf_init(&r->jline);
	r->jkeys = pb_strmap_new();
	return r;
}

void pb_reader_set_chunk(struct pb_reader *r, size_t chunk)
{
	r->chunk = chunk ? chunk : 1;
}

void pb_reader_header_events(struct pb_reader *r, int on)
{
	r->hdr_events = on;
}

static void header_clear(struct pb_reader *r)
{
	size_t i;

	for (i = 0; i < r->hdr.n; i++) {
		free(r->hdr.name[i]);
		free(r->hdr.norm[i]);
	}
	r->hdr.n = 0;
	r->hdr.gen++;
	pb_strmap_free(r->jkeys);
	r->jkeys = pb_strmap_new();
}

static void close_file(struct pb_reader *r)
{
	if (r->fp && !r->is_stdin)
		fclose(r->fp);
	r->fp = NULL;
	r->open = 0;
	if (r->csv_inited) {
		csv_free(&r->csv);
		r->csv_inited = 0;
	}
}

void pb_reader_free(struct pb_reader *r)
{
	if (!r)
		return;
	close_file(r);
	header_clear(r);
	free(r->hdr.name);
	free(r->hdr.norm);
	pb_strmap_free(r->jkeys);
	pb_buf_fini(&r->row);
	pb_buf_fini(&r->jline);
	free(r->off);
	free(r->lens);
	free(r->vals);
	free(r->kinds);
	free(r->buf);
	free(r);
}

long pb_reader_count(const struct pb_reader *r)
{
	return r->count;
}

const char *pb_reader_file(const struct pb_reader *r)
{
	return r->fname ? r->fname : "<stdin>";
}

enum pb_informat pb_reader_format(const struct pb_reader *r)
{
	return r->fmt;
}

char *pb_colname_norm(char *buf, size_t n, const char *name)
{
	size_t len = strlen(name), i, o = 0;
	int gap = 0;

	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	while (len && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	/* Runs of spaces and underscores are one '_'. */
	for (i = 0; i < len && o + 1 < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == ' ' || c == '\t' || c == '_') {
			gap = 1;
			continue;
		}
		if (gap) {
			buf[o++] = '_';
			gap = 0;
			if (o + 1 >= n)
				break;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		buf[o++] = (char)c;
	}
	if (gap && o + 1 < n)
		buf[o++] = '_';
	if (n)
		buf[o] = '\0';
	return buf;
}

/* ---- the row buffer ------------------------------------------------ */

static void row_reset(struct pb_reader *r)
{
	pb_buf_reset(&r->row);
	r->nf = 0;
	r->csv_err = 0;
}

static void row_grow(struct pb_reader *r, size_t need)
{
	if (need <= r->fcap)
		return;
	size_t cap = r->fcap ? r->fcap : 32;
	while (cap < need)
		cap *= 2;
	r->off = pb_xrealloc(r->off, cap * sizeof *r->off);
	r->lens = pb_xrealloc(r->lens, cap * sizeof *r->lens);
	r->vals = pb_xrealloc(r->vals, cap * sizeof *r->vals);
	r->kinds = pb_xrealloc(r->kinds, cap * sizeof *r->kinds);
	r->fcap = cap;
}

static void row_add(struct pb_reader *r, const char *s, size_t n,
		    unsigned char kind)
{
	struct pb_buf *b = &r->row;

	if (r->nf >= r->fcap)
		row_grow(r, r->nf + 1);
	r->off[r->nf] = b->len;
	r->lens[r->nf] = n;
	r->kinds[r->nf] = kind;
	if (b->len + n + 2 > b->cap)
		pb_buf_reserve(b, n + 1);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len++] = '\0';
	b->s[b->len] = '\0';
	r->nf++;
}

/* Point the record at the row, padded (or cut) to the header's width. */
static struct pb_record *row_record(struct pb_reader *r, long line)
{
	size_t i, n = r->hdr.n;

	row_grow(r, n > r->nf ? n : r->nf);
	if (r->row.len == 0)
		pb_buf_addc(&r->row, '\0');
	for (i = 0; i < n; i++) {
		if (i < r->nf) {
			r->vals[i] = r->row.s + r->off[i];
		} else {
			r->vals[i] = r->row.s + r->row.len; /* "" */
			r->lens[i] = 0;
			r->kinds[i] = r->fmt == PB_IN_JSON ? PB_KIND_ABSENT
							   : PB_KIND_STR;
		}
	}
	r->rec.hdr = &r->hdr;
	r->rec.n = n;
	r->rec.val = r->vals;
	r->rec.len = r->lens;
	r->rec.kind = r->kinds;
	r->rec.file = pb_reader_file(r);
	r->rec.line = line;
	return &r->rec;
}

/* ---- the header ---------------------------------------------------- */

static size_t header_add(struct pb_reader *r, const char *name, size_t n)
{
	char norm[512];
	char *copy = pb_xstrndup(name, n);

	if (r->hdr.n == r->hdrcap) {
		r->hdrcap = r->hdrcap ? r->hdrcap * 2 : 32;
		r->hdr.name = pb_xrealloc(r->hdr.name,
					  r->hdrcap * sizeof *r->hdr.name);
		r->hdr.norm = pb_xrealloc(r->hdr.norm,
					  r->hdrcap * sizeof *r->hdr.norm);
	}
	pb_colname_norm(norm, sizeof norm, copy);
	r->hdr.name[r->hdr.n] = copy;
	r->hdr.norm[r->hdr.n] = pb_xstrdup(norm);
	r->hdr.gen++;
	return r->hdr.n++;
}

/* Install the completed CSV row as the header. */
static int csv_set_header(struct pb_reader *r, struct pb_error *e)
{
	size_t i, nameless = 0;
	char q[80];

	header_clear(r);
	for (i = 0; i < r->nf; i++) {
		const char *name = r->row.s + r->off[i];
		size_t id;
		int added;

		header_add(r, name, r->lens[i]);
		/* Columns with no name are told apart by nothing: the tools
		 * that pass columns on, and --rejects, would merge them. */
		if (r->hdr.norm[i][0] == '\0' && nameless) {
			pb_error_at(e, pb_reader_file(r), r->rec_line, NULL);
			return pb_error_set(e, PB_EUSAGE,
				"header has no name for column %zu, nor for column %zu: name them or delete them",
				nameless, i + 1);
		}
		if (r->hdr.norm[i][0] == '\0') {
			nameless = i + 1;
			continue;
		}
		id = pb_strmap_intern(r->jkeys, r->hdr.norm[i],
				      strlen(r->hdr.norm[i]), &added);
		(void)id;
		if (!added) {
			pb_error_at(e, pb_reader_file(r), r->rec_line, NULL);
			return pb_error_set(e, PB_EUSAGE,
				"header names column '%s' twice (column %zu)",
				pb_quote(q, sizeof q, name, r->lens[i]), i + 1);
		}
	}
	r->have_header = 1;
	return 0;
}

/* ---- files and chunks ---------------------------------------------- */

static int open_next(struct pb_reader *r, struct pb_error *e)
{
	const char *path = r->files[r->next_file++];

	r->is_stdin = strcmp(path, "-") == 0;
	r->fname = pb_path_label(path);
	r->fp = r->is_stdin ? stdin : fopen(path, "rb");
	r->open = 1;
	r->eof = 0;
	r->started = 0;
	r->pos = r->end = 0;
	r->line = 1;
	r->have_header = 0;
	r->rec_ready = 0;
	r->fini_done = 0;
	r->fmt = r->want;
	pb_buf_reset(&r->jline);
	if (!r->fp) {
		int err = errno;

		r->open = 0;
		pb_error_clear(e);
		pb_error_at(e, r->fname, 0, NULL);
		return pb_error_set(e, PB_EIO, "cannot open: %s", strerror(err));
	}
	if (!r->buf || r->bufcap < r->chunk) {
		r->bufcap = r->chunk < 4 ? 4 : r->chunk;
		r->buf = pb_xrealloc(r->buf, r->bufcap);
	}
	return 0;
}

/* Read more bytes (keeping none: pos == end on entry).  Returns bytes read. */
static int fill(struct pb_reader *r, struct pb_error *e)
{
	size_t n;

	r->pos = r->end = 0;
	if (r->eof)
		return 0;
	n = fread(r->buf, 1, r->chunk, r->fp);
	if (n < r->chunk) {
		if (ferror(r->fp)) {
			int err = errno;

			r->eof = 1;
			pb_error_clear(e);
			pb_error_at(e, r->fname, 0, NULL);
			return pb_error_set(e, PB_EIO, "read error: %s",
					    strerror(err));
		}
		r->eof = 1;
	}
	r->end = n;
	return (int)(n > 0);
}

/*
 * At the start of a file: skip a UTF-8 BOM and, for auto detection,
 * blank space (counting lines) up to the first byte that tells the
 * format.  Returns 1 when positioned, 0 for an empty file, < 0 on error.
 */
static int start_file(struct pb_reader *r, struct pb_error *e)
{
	static const unsigned char bom[3] = {0xef, 0xbb, 0xbf};
	size_t matched = 0;
	int rc;

	r->started = 1;
	/* The BOM may straddle chunks when the chunk is tiny. */
	for (;;) {
		if (r->pos == r->end) {
			rc = fill(r, e);
			if (rc <= 0)
				return rc;
		}
		if ((unsigned char)r->buf[r->pos] != bom[matched])
			break;
		r->pos++;
		if (++matched == 3)
			break;
	}
	if (matched > 0 && matched < 3) {
		pb_error_clear(e);
		pb_error_at(e, r->fname, 1, NULL);
		return pb_error_set(e, PB_EUSAGE,
				    "starts with a broken byte order mark: not UTF-8 text");
	}
	if (r->fmt != PB_IN_AUTO)
		return 1;
	for (;;) {
		if (r->pos == r->end) {
			rc = fill(r, e);
			if (rc <= 0) {
				r->fmt = PB_IN_CSV;
				return rc;
			}
		}
		char c = r->buf[r->pos];
		if (c == '\n') {
			r->line++;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			r->fmt = c == '{' ? PB_IN_JSON : PB_IN_CSV;
			return 1;
		}
		r->pos++;
	}
}

/* ---- CSV ----------------------------------------------------------- */

/* What csv_err says is wrong with a field of the record. */
enum bad { BAD_NONE, BAD_NUL, BAD_UTF8, BAD_BOM };

static const char bom_bytes[3] = {'\xef', '\xbb', '\xbf'};
#define BOM_INSIDE \
	"a byte order mark inside the file (were files joined with cat?)"

/* Whether s[0, n) has a byte above 0x7f (text that is not all ASCII). */
static int has_high(const char *s, size_t n)
{
	uint64_t w, any = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		any |= w;
	}
	for (; i < n; i++)
		any |= (unsigned char)s[i];
	return (any & UINT64_C(0x8080808080808080)) != 0;
}

/*
 * The offset of the first byte of s[0, n) that is not UTF-8 text (RFC
 * 3629: no overlong forms, no UTF-16 surrogates, nothing past
 * U+10FFFF, no character cut short), or n when it all is.
 */
static size_t utf8_bad(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned char lo, hi;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return i;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (i + 1 >= n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k < len; k++)
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return i;
		i += len;
	}
	return n;
}

static void csv_cb_field(void *s, size_t n, void *data)
{
	struct pb_reader *r = data;

	if (!r->csv_err) {
		if (memchr(s, '\0', n))
			r->csv_err = BAD_NUL;
		else if (r->nf == 0 && !r->rec_quoted && n >= 3 &&
			 memcmp(s, bom_bytes, 3) == 0)
			r->csv_err = BAD_BOM;
		else if ((r->bad_at = utf8_bad(s, n)) < n)
			r->csv_err = BAD_UTF8;
		r->bad_field = r->nf;
		r->bad_byte = r->csv_err == BAD_UTF8
			? ((unsigned char *)s)[r->bad_at] : 0;
	}
	row_add(r, s, n, PB_KIND_STR);
}

static void csv_cb_row(int c, void *data)
{
	struct pb_reader *r = data;

	(void)c;
	r->rec_ready = 1;
}

static void csv_reset(struct pb_reader *r)
{
	if (r->csv_inited)
		csv_free(&r->csv);
	csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&r->csv, space_none);
	csv_set_blk_size(&r->csv, 4096);
	r->csv_inited = 1;
}

/* Skip the rest of a broken record: up to and past the next LF. */
static int skip_line(struct pb_reader *r, struct pb_error *e)
{
	for (;;) {
		if (r->pos == r->end) {
			int rc = fill(r, e);
			if (rc <= 0)
				return rc;
		}
		char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
		if (nl) {
			r->pos = (size_t)(nl - r->buf) + 1;
			r->line++;
			return 1;
		}
		r->pos = r->end;
	}
}

/* A record the CSV layer rejects: fill e; the caller returns -PB_EDATA. */
static int csv_reject(struct pb_reader *r, long line, struct pb_error *e,
		      const char *msg)
{
	pb_error_clear(e);
	pb_error_at(e, r->fname, line, NULL);
	/* Without a header no record of the file can be read: the file
	 * is unusable, not one record. */
	if (!r->have_header) {
		r->eof = 1;
		r->pos = r->end;
		return pb_error_set(e, PB_EUSAGE, "cannot read the header: %s",
				    msg);
	}
	return pb_error_set(e, PB_EDATA, "%s", msg);
}

/* The record in the row is complete: header, good record or reject. */
static int csv_complete(struct pb_reader *r, struct pb_record **rec,
			struct pb_error *e)
{
	long line = r->rec_line;

	r->rec_ready = 0;
	if (r->csv_err == BAD_NUL) {
		*rec = row_record(r, line);
		return csv_reject(r, line, e, "NUL byte in a field");
	}
	if (r->csv_err == BAD_BOM) {
		*rec = row_record(r, line);
		return csv_reject(r, line, e, BOM_INSIDE);
	}
	if (r->csv_err == BAD_UTF8) {
		char msg[96];
		size_t f = r->bad_field;
		int rc;

		if (r->have_header)
			snprintf(msg, sizeof msg, "not UTF-8 text: byte %zu is 0x%02x",
				 r->bad_at + 1, r->bad_byte);
		else
			snprintf(msg, sizeof msg,
				 "not UTF-8 text: byte %zu of column %zu's name is 0x%02x",
				 r->bad_at + 1, f + 1, r->bad_byte);
		*rec = row_record(r, line);
		rc = csv_reject(r, line, e, msg);
		if (r->have_header && f < r->hdr.n)
			pb_error_at(e, NULL, 0, r->hdr.name[f]);
		return rc;
	}
	if (!r->have_header) {
		int rc = csv_set_header(r, e);
		row_reset(r);
		if (rc < 0)
			return rc;
		/* 2: a header; the caller goes on or hands it out */
		*rec = row_record(r, line);
		return 2;
	}
	if (r->nf != r->hdr.n) {
		char msg[96];
		size_t i;

		snprintf(msg, sizeof msg,
			 "record has %zu fields, the header has %zu", r->nf,
			 r->hdr.n);
		*rec = row_record(r, line);
		/* Keep the extra fields: the rejects file has them all. */
		for (i = r->hdr.n; i < r->nf; i++)
			r->vals[i] = r->row.s + r->off[i];
		if (r->nf > r->hdr.n)
			r->rec.n = r->nf;
		return csv_reject(r, line, e, msg);
	}
	*rec = row_record(r, line);
	r->count++;
	return 1;
}

/*
 * Find the fields of the line [p, end) without changing it: each either
 * unquoted and free of quotes, or quoted, closed, with any quote inside
 * doubled, and followed by a comma or the end.  off/lens/kinds get each
 * field's start, length (between the quotes when quoted) and whether it
 * is quoted (2: with doubled quotes).  Returns the number of fields, or
 * 0 when the line is anything else (libcsv then reads it, and says what
 * is wrong with it).
 */
static size_t fast_fields(struct pb_reader *r, char *p, char *end)
{
	size_t nf = 0;
	char *f = p;

	for (;;) {
		if (nf >= r->fcap)
			row_grow(r, nf + 1);
		r->off[nf] = (size_t)(f - p);
		if (f < end && *f == '"') {
			char *q = f + 1;
			unsigned char kind = 1;

			for (;;) {
				q = memchr(q, '"', (size_t)(end - q));
				if (!q)
					return 0;     /* not closed on this line */
				if (q + 1 < end && q[1] == '"') {
					kind = 2;
					q += 2;
					continue;
				}
				break;
			}
			if (q + 1 < end && q[1] != ',')
				return 0;             /* text after the quote */
			r->lens[nf] = (size_t)(q - f - 1);
			r->kinds[nf++] = kind;
			if (q + 1 == end)
				return nf;
			f = q + 2;
			continue;
		}
		char *comma = memchr(f, ',', (size_t)(end - f));
		char *stop = comma ? comma : end;

		if (memchr(f, '"', (size_t)(stop - f)))
			return 0;                     /* a quote inside */
		r->lens[nf] = (size_t)(stop - f);
		r->kinds[nf++] = 0;
		if (!comma)
			return nf;
		f = comma + 1;
	}
}

/*
 * The fast path: at pos, between records, with a header: if the line
 * there is whole in the buffer and plain RFC 4180 (see fast_fields; no
 * CR but a final one, no NUL), split it in place: NUL-terminate each
 * field where it lies, closing up doubled quotes.  Returns 0 when the
 * line is not plain (the caller feeds it to libcsv), 1 for a record in
 * *rec, 3 for a blank line skipped, or -PB_EDATA for a record with the
 * wrong number of fields.
 */
static int csv_fast(struct pb_reader *r, struct pb_record **rec,
		    struct pb_error *e)
{
	char *p = r->buf + r->pos, *end;
	size_t avail = r->end - r->pos, len, i, nf;
	char *nl = memchr(p, '\n', avail);
	long line = r->line;

	if (!nl)
		return 0;
	len = (size_t)(nl - p);
	end = nl;
	if (len && p[len - 1] == '\r') {
		len--;
		end--;
	}
	if (memchr(p, '\r', len) || memchr(p, '\0', len))
		return 0;
	/* Text that is not UTF-8: libcsv reads it, and it is rejected. */
	if (has_high(p, len) && utf8_bad((const unsigned char *)p, len) < len)
		return 0;
	if (len == 0) {
		r->pos += (size_t)(nl - p) + 1;
		r->line++;
		return 3;
	}
	nf = fast_fields(r, p, end);
	if (nf == 0)
		return 0;
	/* A record that starts with a byte order mark: likewise (one
	 * quoted is a value that starts with U+FEFF). */
	if (r->kinds[0] == 0 && r->lens[0] >= 3 &&
	    memcmp(p + r->off[0], bom_bytes, 3) == 0)
		return 0;
	r->pos += (size_t)(nl - p) + 1;
	r->line++;
	for (i = 0; i < nf; i++) {
		char *f = p + r->off[i];

		if (r->kinds[i] == 0) {
			f[r->lens[i]] = '\0';    /* the comma or the line end */
		} else if (r->kinds[i] == 1) {
			f++;
			f[r->lens[i]] = '\0';    /* the closing quote */
		} else {
			char *src = ++f, *dst = f, *stop = f + r->lens[i];

			while (src < stop) {
				if (*src == '"')
					src++;    /* the first of a pair */
				*dst++ = *src++;
			}
			*dst = '\0';
			r->lens[i] = (size_t)(dst - f);
		}
		r->vals[i] = f;
		r->kinds[i] = PB_KIND_STR;
	}
	*end = '\0';
	r->nf = nf;
	r->rec.hdr = &r->hdr;
	r->rec.val = r->vals;
	r->rec.len = r->lens;
	r->rec.kind = r->kinds;
	r->rec.file = pb_reader_file(r);
	r->rec.line = line;
	*rec = &r->rec;
	if (nf != r->hdr.n) {
		char msg[96];

		if (nf < r->hdr.n) {
			row_grow(r, r->hdr.n);
			for (i = nf; i < r->hdr.n; i++) {
				r->vals[i] = end; /* "" */
				r->lens[i] = 0;
				r->kinds[i] = PB_KIND_STR;
			}
			r->rec.val = r->vals;
			r->rec.len = r->lens;
			r->rec.kind = r->kinds;
		}
		r->rec.n = nf > r->hdr.n ? nf : r->hdr.n;
		snprintf(msg, sizeof msg,
			 "record has %zu fields, the header has %zu", nf,
			 r->hdr.n);
		return csv_reject(r, line, e, msg);
	}
	r->rec.n = nf;
	r->count++;
	return 1;
}

static int csv_next(struct pb_reader *r, struct pb_record **rec,
		    struct pb_error *e)
{
	int rc;

	if (!r->csv_inited)
		csv_reset(r);
	/* The last record handed out is done with: reuse the row. */
	row_reset(r);
	for (;;) {
		if (r->pos == r->end) {
			rc = fill(r, e);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				if (r->fini_done)
					return 0;
				r->fini_done = 1;
				if (r->csv.pstate != LIBCSV_ROW_NOT_BEGUN &&
				    csv_fini(&r->csv, csv_cb_field, csv_cb_row,
					     r) != 0) {
					long line = r->rec_line;

					/* What the open quote holds goes to
					 * --rejects with the rest. */
					row_add(r, (const char *)r->csv.entry_buf,
						r->csv.entry_pos, PB_KIND_STR);
					*rec = row_record(r, line);
					csv_reset(r);
					return csv_reject(r, line, e,
						"quoted field not closed before the end of the file");
				}
				if (r->rec_ready) {
					rc = csv_complete(r, rec, e);
					if (rc != 2 || r->hdr_events)
						return rc;
				}
				return 0;
			}
		}

		if (r->have_header &&
		    r->csv.pstate == LIBCSV_ROW_NOT_BEGUN) {
			rc = csv_fast(r, rec, e);
			if (rc == 3)
				continue;
			if (rc != 0)
				return rc;
		}

		/* One segment: up to and including the next CR or LF. */
		const char *p = r->buf + r->pos;
		size_t avail = r->end - r->pos, seg;
		const char *nl = memchr(p, '\n', avail);
		size_t lim = nl ? (size_t)(nl - p) + 1 : avail;
		const char *cr = memchr(p, '\r', lim);
		int ends_line;

		seg = cr ? (size_t)(cr - p) + 1 : lim;
		ends_line = p[seg - 1] == '\n';
		if (r->csv.pstate == LIBCSV_ROW_NOT_BEGUN) {
			r->rec_line = r->line;
			r->rec_quoted = p[0] == '"';
		}
		/* libcsv grows a field's buffer blk_size bytes at a time:
		 * keep that in step with the buffer, so that a long field
		 * grows by doubling, not by 4 KiB copies of all of it. */
		if (r->csv.entry_size > r->csv.blk_size)
			csv_set_blk_size(&r->csv, r->csv.entry_size);
		size_t done = csv_parse(&r->csv, p, seg, csv_cb_field,
					csv_cb_row, r);
		if (done < seg) {
			long line = r->rec_line;
			int lib_err = csv_error(&r->csv);
			/* A byte order mark, then a quote: the BOM is news. */
			int bom = r->nf == 0 && !r->rec_quoted &&
				  r->csv.entry_pos >= 3 &&
				  memcmp(r->csv.entry_buf, bom_bytes, 3) == 0;

			r->pos += done;
			*rec = row_record(r, line);
			csv_reset(r);
			r->rec_ready = 0;
			if (lib_err != CSV_EPARSE) {
				pb_error_clear(e);
				pb_error_at(e, r->fname, line, NULL);
				return pb_error_set(e, PB_EIO, "%s",
					csv_strerror(lib_err));
			}
			rc = skip_line(r, e);
			if (rc < 0)
				return rc;
			return csv_reject(r, line, e, bom ? BOM_INSIDE :
				"malformed CSV: a quote inside an unquoted field, or text after a closing quote");
		}
		r->pos += seg;
		if (ends_line)
			r->line++;
		if (r->rec_ready) {
			rc = csv_complete(r, rec, e);
			if (rc != 2 || r->hdr_events)
				return rc;
			continue;
		}
		if (r->row.len + r->csv.entry_pos > MAX_RECORD) {
			long line = r->rec_line;

			*rec = row_record(r, line);
			csv_reset(r);
			rc = skip_line(r, e);
			if (rc < 0)
				return rc;
			return csv_reject(r, line, e,
				"record longer than 64 MiB");
		}
	}
}

/* ---- JSON Lines ---------------------------------------------------- */

static int json_reject(struct pb_reader *r, long line, struct pb_error *e,
		       const char *text)
{
	pb_error_clear(e);
	pb_error_at(e, r->fname, line, NULL);
	return pb_error_set(e, PB_EDATA, "%s", text);
}

/* Column index of a JSON key, adding it to the header if new. */
static long json_column(struct pb_reader *r, const char *key,
			struct pb_error *e, long line)
{
	char norm[512], q[80];
	size_t id;
	int added;

	pb_colname_norm(norm, sizeof norm, key);
	id = pb_strmap_intern(r->jkeys, norm, strlen(norm), &added);
	if (added) {
		header_add(r, key, strlen(key));
		return (long)id;
	}
	if (strcmp(r->hdr.name[id], key) != 0) {
		pb_error_clear(e);
		pb_error_at(e, r->fname, line, NULL);
		pb_error_set(e, PB_EDATA,
			     "key '%s' is the same column as '%s'",
			     pb_quote(q, sizeof q, key, strlen(key)),
			     r->hdr.name[id]);
		return -1;
	}
	return (long)id;
}

/*
 * The shortest text that reads back as the same double: 1.1, not
 * 1.1000000000000001 (jansson keeps only the double).
 */
static size_t real_text(char *buf, size_t n, double d)
{
	int prec, len = 0;

	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return len > 0 ? (size_t)len : 0;
}

static int json_record(struct pb_reader *r, const char *s, size_t n,
		       long line, struct pb_record **rec, struct pb_error *e)
{
	json_error_t jerr;
	json_t *obj, *v;
	const char *key;
	char num[64], msg[PB_ERROR_TEXT];
	size_t i, nonblank = 0;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			nonblank++;
	row_reset(r);
	if (nonblank == 0) {
		*rec = row_record(r, line);
		return json_reject(r, line, e, "blank line in JSON Lines input");
	}
	/* jansson would read these as the end of the text, or as junk. */
	if (memchr(s, '\0', n)) {
		*rec = row_record(r, line);
		return json_reject(r, line, e, "NUL byte in the line");
	}
	if (n >= 3 && memcmp(s, bom_bytes, 3) == 0) {
		*rec = row_record(r, line);
		return json_reject(r, line, e, BOM_INSIDE);
	}
	obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj) {
		*rec = row_record(r, line);
		snprintf(msg, sizeof msg, "not valid JSON (column %d): %s",
			 jerr.column, jerr.text);
		return json_reject(r, line, e, msg);
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		*rec = row_record(r, line);
		return json_reject(r, line, e, "not a JSON object");
	}
	/* Values go to their columns; absent ones stay empty. */
	size_t width = r->hdr.n + json_object_size(obj);
	row_grow(r, width);
	for (i = 0; i < width; i++) {
		r->off[i] = 0;
		r->lens[i] = 0;
		r->kinds[i] = PB_KIND_ABSENT;
	}
	pb_buf_addc(&r->row, '\0'); /* offset 0 is "" */
	json_object_foreach(obj, key, v) {
		long col = json_column(r, key, e, line);
		const char *text = num;
		size_t tlen;
		unsigned char kind;

		if (col < 0) {
			json_decref(obj);
			r->nf = r->hdr.n;
			*rec = row_record(r, line);
			return -PB_EDATA;
		}
		switch (json_typeof(v)) {
		case JSON_STRING:
			text = json_string_value(v);
			tlen = json_string_length(v);
			kind = PB_KIND_STR;
			break;
		case JSON_INTEGER:
			tlen = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
					json_integer_value(v));
			kind = PB_KIND_INT;
			break;
		case JSON_REAL:
			tlen = real_text(num, sizeof num, json_real_value(v));
			kind = PB_KIND_REAL;
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			text = json_is_true(v) ? "true" : "false";
			tlen = strlen(text);
			kind = PB_KIND_BOOL;
			break;
		case JSON_NULL:
			text = "";
			tlen = 0;
			kind = PB_KIND_NULL;
			break;
		default: {
			char q[80];

			snprintf(msg, sizeof msg,
				 "key '%s' holds a nested %s; records must be flat",
				 pb_quote(q, sizeof q, key, strlen(key)),
				 json_is_object(v) ? "object" : "array");
			json_decref(obj);
			r->nf = r->hdr.n;
			*rec = row_record(r, line);
			return json_reject(r, line, e, msg);
		}
		}
		r->off[col] = r->row.len;
		r->lens[col] = tlen;
		r->kinds[col] = kind;
		pb_buf_add(&r->row, text, tlen);
		pb_buf_addc(&r->row, '\0');
	}
	json_decref(obj);
	r->nf = r->hdr.n;
	*rec = row_record(r, line);
	/* row_record points padded columns past the end; ours start at 0. */
	for (i = 0; i < r->hdr.n; i++)
		r->vals[i] = r->row.s + r->off[i];
	r->count++;
	return 1;
}

static int json_next(struct pb_reader *r, struct pb_record **rec,
		     struct pb_error *e)
{
	for (;;) {
		if (r->pos == r->end) {
			int rc = fill(r, e);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				/* A last line with no newline. */
				if (r->jline.len == 0)
					return 0;
				long line = r->line;
				struct pb_buf tmp = r->jline;

				pb_buf_init(&r->jline);
				rc = json_record(r, tmp.s, tmp.len, line, rec, e);
				pb_buf_fini(&tmp);
				return rc;
			}
		}
		const char *p = r->buf + r->pos;
		size_t avail = r->end - r->pos;
		const char *nl = memchr(p, '\n', avail);

		if (!nl) {
			if (r->jline.len + avail > MAX_RECORD) {
				long line = r->line;

				pb_buf_reset(&r->jline);
				r->pos = r->end;
				int rc = skip_line(r, e);
				if (rc < 0)
					return rc;
				row_reset(r);
				*rec = row_record(r, line);
				return json_reject(r, line, e,
						   "record longer than 64 MiB");
			}
			pb_buf_add(&r->jline, p, avail);
			r->pos = r->end;
			continue;
		}
		size_t n = (size_t)(nl - p);
		long line = r->line;
		int rc;

		r->pos += n + 1;
		r->line++;
		if (r->jline.len) {
			pb_buf_add(&r->jline, p, n);
			struct pb_buf tmp = r->jline;

			pb_buf_init(&r->jline);
			rc = json_record(r, tmp.s, tmp.len, line, rec, e);
			pb_buf_fini(&tmp);
		} else {
			rc = json_record(r, p, n, line, rec, e);
		}
		return rc;
	}
}

/* ---- the public loop ----------------------------------------------- */

int pb_reader_next(struct pb_reader *r, struct pb_record **rec,
		   struct pb_error *e)
{
	int rc;

	for (;;) {
		if (!r->open) {
			if (r->next_file >= r->nfiles)
				return 0;
			rc = open_next(r, e);
			if (rc < 0)
				return rc;
			header_clear(r);
		}
		if (!r->started) {
			rc = start_file(r, e);
			if (rc < 0) {
				close_file(r);
				return rc;
			}
			if (rc == 0) {
				close_file(r);
				continue;
			}
		}
		rc = r->fmt == PB_IN_JSON ? json_next(r, rec, e)
					  : csv_next(r, rec, e);
		if (rc == 0 || rc == -PB_EIO || rc == -PB_EUSAGE) {
			close_file(r);
			if (rc == 0)
				continue;
		}
		return rc;
	}
}
