/*
 * writer.c - records out as CSV, JSON Lines, an aligned table or a
 * Markdown table.  CSV and JSON stream; table and md hold their rows
 * (a report's groups) until pb_writer_end to align the columns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pb.h"

struct pb_writer {
	FILE *fp;
	enum pb_format fmt;
	size_t ncol;
	char **names;
	int header_done;
	int failed;
	/* table and md: every cell formatted, kept until the end */
	struct pb_buf cells;     /* NUL-terminated strings back to back */
	size_t *cell_off;
	unsigned char *cell_right;
	size_t ncells, cellcap;
	char *title;
	char **notes;
	size_t nnotes;
};

struct pb_writer *pb_writer_new(FILE *fp, enum pb_format fmt)
{
	struct pb_writer *w = pb_xcalloc(1, sizeof *w);

	w->fp = fp;
	w->fmt = fmt;
	pb_buf_init(&w->cells);
	return w;
}

void pb_writer_free(struct pb_writer *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->ncol; i++)
		free(w->names[i]);
	free(w->names);
	pb_buf_fini(&w->cells);
	free(w->cell_off);
	free(w->cell_right);
	free(w->title);
	for (i = 0; i < w->nnotes; i++)
		free(w->notes[i]);
	free(w->notes);
	free(w);
}

void pb_writer_title(struct pb_writer *w, const char *title)
{
	free(w->title);
	w->title = pb_xstrdup(title);
}

void pb_writer_note(struct pb_writer *w, const char *note)
{
	w->notes = pb_xrealloc(w->notes, (w->nnotes + 1) * sizeof *w->notes);
	w->notes[w->nnotes++] = pb_xstrdup(note);
}

int pb_format_parse(const char *s, enum pb_format *out, struct pb_error *e)
{
	if (strcmp(s, "csv") == 0)
		*out = PB_FMT_CSV;
	else if (strcmp(s, "json") == 0 || strcmp(s, "jsonl") == 0)
		*out = PB_FMT_JSON;
	else if (strcmp(s, "table") == 0)
		*out = PB_FMT_TABLE;
	else if (strcmp(s, "md") == 0)
		*out = PB_FMT_MD;
	else {
		char q[80];

		return pb_error_set(e, PB_EUSAGE,
			"unknown format '%s' (use csv, json, table or md)",
			pb_quote(q, sizeof q, s, strlen(s)));
	}
	return 0;
}

int pb_format_parse_chart(const char *s, enum pb_format *out,
			  struct pb_error *e)
{
	char q[80];

	if (strcmp(s, "svg") == 0) {
		*out = PB_FMT_SVG;
		return 0;
	}
	if (pb_format_parse(s, out, e) == 0)
		return 0;
	return pb_error_set(e, PB_EUSAGE,
		"unknown format '%s' (use csv, json, table, md or svg)",
		pb_quote(q, sizeof q, s, strlen(s)));
}

int pb_informat_parse(const char *s, enum pb_informat *out,
		      struct pb_error *e)
{
	if (strcmp(s, "auto") == 0)
		*out = PB_IN_AUTO;
	else if (strcmp(s, "csv") == 0)
		*out = PB_IN_CSV;
	else if (strcmp(s, "json") == 0 || strcmp(s, "jsonl") == 0)
		*out = PB_IN_JSON;
	else {
		char q[80];

		return pb_error_set(e, PB_EUSAGE,
			"unknown input format '%s' (use auto, csv or json)",
			pb_quote(q, sizeof q, s, strlen(s)));
	}
	return 0;
}

int pb_csv_field(FILE *fp, const char *s, size_t len)
{
	size_t i;
	/* A value that starts with U+FEFF is quoted: unquoted at the start
	 * of a record, readers take it for a byte order mark. */
	int quote = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;

	for (i = 0; i < len && !quote; i++) {
		char c = s[i];

		if (c == ',' || c == '"' || c == '\n' || c == '\r') {
			quote = 1;
			break;
		}
	}
	if (!quote)
		return fwrite(s, 1, len, fp) == len ? 0 : -PB_EIO;
	if (putc('"', fp) == EOF)
		return -PB_EIO;
	for (i = 0; i < len; i++) {
		if (s[i] == '"' && putc('"', fp) == EOF)
			return -PB_EIO;
		if (putc(s[i], fp) == EOF)
			return -PB_EIO;
	}
	return putc('"', fp) == EOF ? -PB_EIO : 0;
}

int pb_json_string(FILE *fp, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;

	putc('"', fp);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		fwrite(s + start, 1, i - start, fp);
		start = i + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
			esc = u;
		}
		fputs(esc, fp);
	}
	fwrite(s + start, 1, len - start, fp);
	return putc('"', fp) == EOF ? -PB_EIO : 0;
}

/* Digits with thousands separators: 1234567 -> 1,234,567. */
static char *group_int(char *buf, int64_t v)
{
	char tmp[32];
	int n, i, o = 0, lead;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)u);
	if (v < 0)
		buf[o++] = '-';
	lead = n % 3 ? n % 3 : 3;
	for (i = 0; i < n; i++) {
		if (i && (i - lead) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/*
 * An integer as text, or with pence set an amount of pence as 1234.56
 * (the same as pb_money_format's PB_MONEY_PLAIN): the hot path of CSV
 * and JSON output, so no printf.
 */
static char *plain_int(char *buf, int64_t v, int pence)
{
	char tmp[32];
	int n = 0, o = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (pence) {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
		tmp[n++] = '.';
	}
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[o++] = '-';
	while (n)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
	return buf;
}

/* Text of a cell in this writer's format; *right says right-aligned. */
static const char *cell_text(const struct pb_writer *w,
			     const struct pb_cell *c, char *buf, size_t *len,
			     int *right)
{
	int display = w->fmt == PB_FMT_TABLE || w->fmt == PB_FMT_MD;
	const char *s = buf;

	*right = 1;
	switch (c->kind) {
	case PB_CELL_EMPTY:
		s = "";
		*right = 0;
		break;
	case PB_CELL_TEXT:
		*right = 0;
		/* fall through */
	case PB_CELL_NUMTEXT:
		s = c->s ? c->s : "";
		*len = c->len ? c->len : strlen(s);
		return s;
	case PB_CELL_INT:
		if (display)
			group_int(buf, c->v);
		else
			plain_int(buf, c->v, 0);
		break;
	case PB_CELL_MONEY:
		if (display)
			pb_money_format(buf, c->v, PB_MONEY_DISPLAY);
		else
			plain_int(buf, c->v, 1);
		break;
	case PB_CELL_PCT:
		pb_tenths_format(buf, c->v);
		break;
	case PB_CELL_SUPPRESSED:
		s = "*";
		break;
	}
	*len = strlen(s);
	return s;
}

int pb_writer_header(struct pb_writer *w, const char *const *names,
		     size_t n, struct pb_error *e)
{
	size_t i;

	(void)e;
	w->names = pb_xcalloc(n, sizeof *w->names);
	w->ncol = n;
	for (i = 0; i < n; i++)
		w->names[i] = pb_xstrdup(names[i]);
	if (w->fmt == PB_FMT_CSV) {
		for (i = 0; i < n; i++) {
			if (i)
				putc(',', w->fp);
			pb_csv_field(w->fp, names[i], strlen(names[i]));
		}
		putc('\n', w->fp);
	}
	w->header_done = 1;
	return 0;
}

static int check(struct pb_writer *w, struct pb_error *e)
{
	if (ferror(w->fp)) {
		int err = errno;

		w->failed = 1;
		return pb_error_set(e, PB_EIO, "write error: %s",
				    strerror(err ? err : EIO));
	}
	return 0;
}

static void keep_cell(struct pb_writer *w, const char *s, size_t len,
		      int right)
{
	if (w->ncells == w->cellcap) {
		w->cellcap = w->cellcap ? w->cellcap * 2 : 64;
		w->cell_off = pb_xrealloc(w->cell_off,
					  w->cellcap * sizeof *w->cell_off);
		w->cell_right = pb_xrealloc(w->cell_right,
					    w->cellcap * sizeof *w->cell_right);
	}
	w->cell_off[w->ncells] = w->cells.len;
	w->cell_right[w->ncells] = (unsigned char)right;
	w->ncells++;
	pb_buf_add(&w->cells, s, len);
	pb_buf_addc(&w->cells, '\0');
}

int pb_writer_row(struct pb_writer *w, const struct pb_cell *cells,
		  struct pb_error *e)
{
	size_t i, len;
	char buf[64];
	int right;
	const char *s;

	for (i = 0; i < w->ncol; i++) {
		const struct pb_cell *c = &cells[i];

		s = cell_text(w, c, buf, &len, &right);
		switch (w->fmt) {
		case PB_FMT_CSV:
			if (i)
				putc(',', w->fp);
			pb_csv_field(w->fp, s, len);
			break;
		case PB_FMT_JSON:
			putc(i ? ',' : '{', w->fp);
			pb_json_string(w->fp, w->names[i], strlen(w->names[i]));
			putc(':', w->fp);
			if (c->kind == PB_CELL_EMPTY ||
			    c->kind == PB_CELL_SUPPRESSED ||
			    (c->kind == PB_CELL_NUMTEXT && len == 0))
				fputs("null", w->fp);
			else if (c->kind == PB_CELL_TEXT ||
				 c->kind == PB_CELL_MONEY)
				pb_json_string(w->fp, s, len);
			else
				fwrite(s, 1, len, w->fp);
			break;
		case PB_FMT_TABLE:
		case PB_FMT_MD:
			keep_cell(w, s, len, right);
			break;
		case PB_FMT_SVG:
			break;
		}
	}
	if (w->fmt == PB_FMT_CSV)
		putc('\n', w->fp);
	else if (w->fmt == PB_FMT_JSON)
		fputs(w->ncol ? "}\n" : "{}\n", w->fp);
	return check(w, e);
}

/* Width on a terminal: UTF-8 continuation bytes take no column. */
static size_t display_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void pad(FILE *fp, size_t n)
{
	while (n--)
		putc(' ', fp);
}

static void md_cell(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putc('\\', fp);
		if (*s == '\n' || *s == '\r')
			putc(' ', fp);
		else
			putc(*s, fp);
	}
}

static void write_aligned(struct pb_writer *w)
{
	size_t nrow = w->ncol ? w->ncells / w->ncol : 0;
	size_t *width = pb_xcalloc(w->ncol + 1, sizeof *width);
	unsigned char *right = pb_xcalloc(w->ncol + 1, 1);
	size_t i, r;
	int md = w->fmt == PB_FMT_MD;

	for (i = 0; i < w->ncol; i++)
		width[i] = display_width(w->names[i]);
	for (r = 0; r < nrow; r++)
		for (i = 0; i < w->ncol; i++) {
			size_t k = r * w->ncol + i;
			size_t dw = display_width(w->cells.s + w->cell_off[k]);

			if (dw > width[i])
				width[i] = dw;
			if (w->cell_right[k])
				right[i] = 1;
		}
	if (md && w->title)
		fprintf(w->fp, "## %s\n\n", w->title);
	/* header */
	for (i = 0; i < w->ncol; i++) {
		size_t gap = width[i] - display_width(w->names[i]);

		if (md) {
			fputs("| ", w->fp);
			md_cell(w->fp, w->names[i]);
			putc(' ', w->fp);
			continue;
		}
		if (i)
			fputs("  ", w->fp);
		if (right[i])
			pad(w->fp, gap);
		fputs(w->names[i], w->fp);
		if (!right[i] && i + 1 < w->ncol)
			pad(w->fp, gap);
	}
	fputs(md ? "|\n" : "\n", w->fp);
	for (i = 0; i < w->ncol; i++) {
		if (md) {
			fputs(right[i] ? "|---:" : "|:---", w->fp);
			continue;
		}
		if (i)
			fputs("  ", w->fp);
		for (size_t k = 0; k < width[i]; k++)
			putc('-', w->fp);
	}
	fputs(md ? "|\n" : "\n", w->fp);
	for (r = 0; r < nrow; r++) {
		for (i = 0; i < w->ncol; i++) {
			const char *s = w->cells.s + w->cell_off[r * w->ncol + i];
			size_t gap = width[i] - display_width(s);

			if (md) {
				fputs("| ", w->fp);
				md_cell(w->fp, s);
				putc(' ', w->fp);
				continue;
			}
			if (i)
				fputs("  ", w->fp);
			if (right[i])
				pad(w->fp, gap);
			fputs(s, w->fp);
			if (!right[i] && i + 1 < w->ncol)
				pad(w->fp, gap);
		}
		fputs(md ? "|\n" : "\n", w->fp);
	}
	for (i = 0; i < w->nnotes; i++)
		fprintf(w->fp, i == 0 ? "\n%s\n" : "%s\n", w->notes[i]);
	free(width);
	free(right);
}

int pb_writer_end(struct pb_writer *w, struct pb_error *e)
{
	if (w->fmt == PB_FMT_TABLE || w->fmt == PB_FMT_MD)
		write_aligned(w);
	if (fflush(w->fp) == EOF && !ferror(w->fp)) {
		int err = errno;

		return pb_error_set(e, PB_EIO, "write error: %s",
				    strerror(err));
	}
	return check(w, e);
}
