/*
 * svg.c - a report's table as a self-contained SVG chart: horizontal
 * bars of one figure per row, bars of stacked shares, or a line per
 * group over time.  Only the published cells are drawn (a suppressed
 * cell is marked, never drawn), with the title, the day or period, the
 * axis labels, the --target line and the notes of the table.  Integer
 * coordinates only, so the same table gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define W 880          /* chart width */
#define PITCH 26       /* a bar and the gap after it */
#define BAR 18
#define NOTE_CHARS 120 /* wrap notes at about this many characters */

static const char *const palette[] = {
	"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
	"#F0E442", "#000000"
};
#define NPAL (sizeof palette / sizeof palette[0])

/* Text with &, <, >, " and ' escaped; control characters dropped. */
static void xml(FILE *fp, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				putc(c, fp);
		}
	}
}

static void xmls(FILE *fp, const char *s)
{
	xml(fp, s, strlen(s));
}

/* The label of a row: its label columns' values joined by ", ". */
static void row_label(const struct pb_rtab *t, const struct pb_chart *c,
		      size_t row, struct pb_buf *out)
{
	size_t i;

	pb_buf_reset(out);
	for (i = 0; i < c->nlabel; i++) {
		struct pb_cell cell = pb_rtab_cell(t, row, c->label[i]);

		if (i)
			pb_buf_adds(out, ", ");
		if (cell.kind == PB_CELL_TEXT)
			pb_buf_add(out, cell.s, cell.len);
		else
			pb_buf_adds(out, "(none)");
	}
	if (out->len == 0)
		pb_buf_adds(out, "all");
}

/* Width in pixels of text at 12px, roughly (7 a character). */
static int text_px(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n * 7;
}

/* A cell's value as shown on the chart. */
static void value_text(const struct pb_cell *cell, char *buf, size_t n)
{
	char tmp[64];

	switch (cell->kind) {
	case PB_CELL_PCT:
		snprintf(buf, n, "%s%%", pb_tenths_format(tmp, cell->v));
		break;
	case PB_CELL_MONEY:
		snprintf(buf, n, "%s", pb_money_format(tmp, cell->v,
						       PB_MONEY_DISPLAY));
		break;
	case PB_CELL_INT:
		snprintf(buf, n, "%lld", (long long)cell->v);
		break;
	case PB_CELL_SUPPRESSED:
		snprintf(buf, n, "* (suppressed)");
		break;
	default:
		snprintf(buf, n, "no figure");
	}
}

/* v of max scaled to px pixels (0 <= v), exactly rounded. */
static int scale(int64_t v, int64_t max, int px)
{
	int64_t out;

	if (max <= 0 || v <= 0)
		return 0;
	if (v > max)
		v = max;
	if (pb_muldiv_round(v, px, max, &out) < 0)
		return px;
	return (int)out;
}

/* A round axis maximum at or above v: 1, 2 or 5 times a power of ten. */
static int64_t nice_max(int64_t v)
{
	int64_t p = 1;

	if (v <= 0)
		return 1;
	while (p <= INT64_MAX / 10 && p * 10 <= v)
		p *= 10;
	if (v <= p)
		return p;
	if (v <= 2 * p)
		return 2 * p;
	if (v <= 5 * p)
		return 5 * p;
	return p <= INT64_MAX / 10 ? 10 * p : v;
}

static void tick_text(enum pb_rcol_kind kind, int64_t v, char *buf, size_t n)
{
	char tmp[64];

	if (kind == PB_RC_PCT) {
		snprintf(buf, n, "%lld%%", (long long)(v / 10));
	} else if (kind == PB_RC_MONEY) {
		pb_money_format(tmp, v, PB_MONEY_DISPLAY);
		/* whole pounds on an axis */
		char *dot = strrchr(tmp, '.');

		if (dot && strcmp(dot, ".00") == 0)
			*dot = '\0';
		snprintf(buf, n, "%s", tmp);
	} else {
		snprintf(buf, n, "%lld", (long long)v);
	}
}

static void header(FILE *fp, int h, const struct pb_chart *c)
{
	int size;

	fprintf(fp,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" "
		"font-size=\"12\">\n",
		W, h, W, h);
	fputs("<title>", fp);
	xmls(fp, c->title ? c->title : "pb-report");
	fputs("</title>\n", fp);
	fprintf(fp, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, h);
	/* A bold character is about 0.6 of the font size wide. */
	size = c->title ? (W - 32) * 10 / (6 * (text_px(c->title) / 7 + 1)) : 17;
	if (size > 17)
		size = 17;
	if (size < 9)
		size = 9;
	fprintf(fp, "<text x=\"16\" y=\"28\" font-size=\"%d\" "
		"font-weight=\"bold\" fill=\"#111111\">", size);
	xmls(fp, c->title ? c->title : "");
	fputs("</text>\n", fp);
	if (c->subtitle) {
		fputs("<text x=\"16\" y=\"48\" font-size=\"12\" fill=\"#444444\">",
		      fp);
		xmls(fp, c->subtitle);
		fputs("</text>\n", fp);
	}
}

/* The notes under the chart, wrapped; returns the lines needed. */
static int notes(FILE *fp, const struct pb_rtab *t, int y)
{
	size_t i;
	int lines = 0;

	for (i = 0; i < pb_rtab_nnote(t); i++) {
		const char *s = pb_rtab_get_note(t, i);

		while (*s) {
			size_t len = strlen(s), cut = len;

			if (len > NOTE_CHARS) {
				cut = NOTE_CHARS;
				while (cut > 0 && s[cut] != ' ')
					cut--;
				if (cut == 0)
					cut = NOTE_CHARS;
			}
			if (fp) {
				fprintf(fp, "<text x=\"16\" y=\"%d\" font-size=\"11\" "
					"fill=\"#444444\">", y + lines * 15);
				xml(fp, s, cut);
				fputs("</text>\n", fp);
			}
			lines++;
			s += cut;
			while (*s == ' ')
				s++;
		}
	}
	return lines;
}

static int notes_lines(const struct pb_rtab *t)
{
	return notes(NULL, t, 0);
}

/* ---- horizontal bars (one figure, or stacked shares) ----------------- */

static int bars(FILE *fp, const struct pb_rtab *t, const struct pb_chart *c)
{
	size_t nrow = pb_rtab_nrow(t), r, k;
	struct pb_buf label;
	int labw = 40, x0, pw, top, h, y, i;
	int stack = c->kind == PB_CHART_STACK;
	enum pb_rcol_kind kind = stack ? PB_RC_PCT
				       : pb_rtab_col(t, (size_t)c->value)->kind;
	int64_t max = 0;
	char buf[96];

	pb_buf_init(&label);
	for (r = 0; r < nrow; r++) {
		int px;

		row_label(t, c, r, &label);
		px = text_px(label.s);
		if (px > labw)
			labw = px;
		if (!stack) {
			struct pb_cell cell = pb_rtab_cell(t, r, c->value);

			if (cell.kind != PB_CELL_SUPPRESSED &&
			    cell.kind != PB_CELL_EMPTY && cell.v > max)
				max = cell.v;
		}
	}
	if (labw > 320)
		labw = 320;
	max = kind == PB_RC_PCT ? 1000 : nice_max(max);
	x0 = 16 + labw + 12;
	pw = W - x0 - 120;
	top = stack ? 96 : 72;
	h = top + (int)nrow * PITCH + 56 + notes_lines(t) * 15 + 16;
	header(fp, h, c);
	if (stack) {
		int lx = 16;

		for (k = 0; k < c->nstack; k++) {
			const char *name = pb_rtab_col(t, (size_t)c->stack[k])->name;
			size_t n = strlen(name);

			if (n > 4 && strcmp(name + n - 4, "_pct") == 0)
				n -= 4;
			fprintf(fp, "<rect x=\"%d\" y=\"60\" width=\"12\" height=\"12\" "
				"fill=\"%s\"/>\n", lx, palette[k % NPAL]);
			fprintf(fp, "<text x=\"%d\" y=\"70\">", lx + 16);
			xml(fp, name, n);
			fputs("</text>\n", fp);
			lx += 16 + (int)n * 7 + 24;
		}
	}
	/* grid and ticks */
	for (i = 0; i <= 4; i++) {
		int64_t v = max * i / 4;
		int x = x0 + scale(v, max, pw);

		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#dddddd\"/>\n", x, top - 6, x,
			top + (int)nrow * PITCH);
		tick_text(kind, v, buf, sizeof buf);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"fill=\"#444444\">", x, top + (int)nrow * PITCH + 16);
		xmls(fp, buf);
		fputs("</text>\n", fp);
	}
	if (c->target >= 0 && kind == PB_RC_PCT) {
		char tmp[32];
		int x = x0 + scale(c->target, 1000, pw);

		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#D55E00\" stroke-width=\"2\" "
			"stroke-dasharray=\"6 4\"/>\n", x, top - 10, x,
			top + (int)nrow * PITCH);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
			"fill=\"#D55E00\">target %s%%</text>\n", x, top - 14,
			pb_tenths_format(tmp, c->target));
	}
	for (r = 0; r < nrow; r++) {
		int total = pb_rtab_is_total(t, r);

		y = top + (int)r * PITCH;
		row_label(t, c, r, &label);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>",
			x0 - 8, y + 13, total ? " font-weight=\"bold\"" : "");
		xml(fp, label.s, label.len);
		fputs("</text>\n", fp);
		if (!stack) {
			struct pb_cell cell = pb_rtab_cell(t, r, c->value);
			int bw = 0;

			if (cell.kind != PB_CELL_SUPPRESSED &&
			    cell.kind != PB_CELL_EMPTY) {
				bw = scale(cell.v, max, pw);
				fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
					"height=\"%d\" fill=\"%s\"/>\n", x0, y, bw,
					BAR, total ? "#555555" : palette[0]);
			}
			value_text(&cell, buf, sizeof buf);
			fprintf(fp, "<text x=\"%d\" y=\"%d\" fill=\"#222222\">",
				x0 + bw + 6, y + 13);
			xmls(fp, buf);
			fputs("</text>\n", fp);
			continue;
		}
		int x = x0, supp = 0;

		for (k = 0; k < c->nstack; k++) {
			struct pb_cell cell = pb_rtab_cell(t, r, c->stack[k]);
			int bw;

			if (cell.kind != PB_CELL_PCT) {
				supp |= cell.kind == PB_CELL_SUPPRESSED;
				continue;
			}
			bw = scale(cell.v, 1000, pw);
			if (x + bw > x0 + pw)
				bw = x0 + pw - x;
			fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				"fill=\"%s\"/>\n", x, y, bw, BAR, palette[k % NPAL]);
			if (bw >= 36) {
				char tmp[32];

				fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
					"font-size=\"11\" fill=\"#ffffff\">%s%%</text>\n",
					x + bw / 2, y + 13, pb_tenths_format(tmp, cell.v));
			}
			x += bw;
		}
		if (supp)
			fprintf(fp, "<text x=\"%d\" y=\"%d\" fill=\"#222222\">"
				"* (shares suppressed)</text>\n", x + 6, y + 13);
	}
	y = top + (int)nrow * PITCH + 36;
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		"fill=\"#222222\">", x0 + pw / 2, y);
	xmls(fp, c->axis ? c->axis : "");
	fputs("</text>\n", fp);
	notes(fp, t, y + 24);
	fputs("</svg>\n", fp);
	pb_buf_fini(&label);
	return 0;
}

/* ---- lines over time ---------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int lines(FILE *fp, const struct pb_rtab *t, const struct pb_chart *c)
{
	size_t nrow = pb_rtab_nrow(t), r, i, nx = 0, ns = 0;
	char **xs = pb_xcalloc(nrow + 1, sizeof *xs);
	char **series = pb_xcalloc(nrow + 1, sizeof *series);
	struct pb_buf label;
	int x0 = 64, pw, top = 72, ph = 300, h, every, legend_x, seen = 0;
	int64_t lo = 0, hi = 1000;
	char buf[64];

	pb_buf_init(&label);
	/* the days, sorted; the series, in the order of the rows */
	for (r = 0; r < nrow; r++) {
		struct pb_cell cell = pb_rtab_cell(t, r, c->x);
		char *s = pb_xstrndup(cell.s ? cell.s : "", cell.len);

		for (i = 0; i < nx && strcmp(xs[i], s) != 0; i++)
			;
		if (i == nx)
			xs[nx++] = s;
		else
			free(s);
		row_label(t, c, r, &label);
		for (i = 0; i < ns && strcmp(series[i], label.s) != 0; i++)
			;
		if (i == ns)
			series[ns++] = pb_xstrdup(label.s);
	}
	qsort(xs, nx, sizeof *xs, cmp_str);
	/* The value axis: tens of percent around the figures and target. */
	for (r = 0; r < nrow; r++) {
		struct pb_cell v = pb_rtab_cell(t, r, c->value);

		if (v.kind != PB_CELL_PCT)
			continue;
		if (!seen || v.v < lo)
			lo = v.v;
		if (!seen || v.v > hi)
			hi = v.v;
		seen = 1;
	}
	if (c->target >= 0) {
		if (!seen || c->target < lo)
			lo = c->target;
		if (!seen || c->target > hi)
			hi = c->target;
		seen = 1;
	}
	if (!seen) {
		lo = 0;
		hi = 1000;
	} else {
		lo = (lo - 50) / 100 * 100;
		hi = (hi + 149) / 100 * 100;
		if (lo < 0)
			lo = 0;
		if (hi > 1000)
			hi = 1000;
		if (hi <= lo)
			hi = lo + 100;
	}
	legend_x = W - 200;
	pw = legend_x - 24 - x0;
	h = top + ph + 90 + notes_lines(t) * 15 + 16;
	if (top + (int)ns * 18 + 20 > h - notes_lines(t) * 15)
		h = top + (int)ns * 18 + 40 + notes_lines(t) * 15 + 16;
	header(fp, h, c);
	for (i = 0; i <= 4; i++) {
		int y = top + ph - ph * (int)i / 4;

		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#dddddd\"/>\n", x0, y, x0 + pw, y);
		char tmp[32];

		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			"fill=\"#444444\">%s%%</text>\n", x0 - 6, y + 4,
			pb_tenths_format(tmp, lo + (hi - lo) * (int64_t)i / 4));
	}
	every = nx > 12 ? (int)((nx + 11) / 12) : 1;
	for (i = 0; i < nx; i++) {
		int x = x0 + (nx > 1 ? pw * (int)i / (int)(nx - 1) : pw / 2);

		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#999999\"/>\n", x, top + ph, x, top + ph + 4);
		if (i % (size_t)every && i + 1 != nx)
			continue;
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			"fill=\"#444444\" transform=\"rotate(-40 %d %d)\">",
			x, top + ph + 16, x, top + ph + 16);
		xmls(fp, xs[i]);
		fputs("</text>\n", fp);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		"fill=\"#222222\">period end</text>\n", x0 + pw / 2,
		top + ph + 78);
	fprintf(fp, "<text x=\"16\" y=\"%d\" fill=\"#222222\" "
		"transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">",
		top + ph / 2, top + ph / 2);
	xmls(fp, c->axis ? c->axis : "");
	fputs("</text>\n", fp);
	if (c->target >= 0) {
		char tmp[32];
		int y = top + ph - scale(c->target - lo, hi - lo, ph);

		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"#D55E00\" stroke-width=\"2\" "
			"stroke-dasharray=\"6 4\"/>\n", x0, y, x0 + pw, y);
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			"fill=\"#D55E00\">target %s%%</text>\n", x0 + pw, y - 4,
			pb_tenths_format(tmp, c->target));
	}
	for (i = 0; i < ns; i++) {
		const char *color = palette[i % NPAL];
		int open = 0, ly = top + 8 + (int)i * 18;

		for (r = 0; r < nrow; r++) {
			struct pb_cell v, xc;
			size_t k;
			int x, y;

			row_label(t, c, r, &label);
			if (strcmp(label.s, series[i]) != 0)
				continue;
			xc = pb_rtab_cell(t, r, c->x);
			for (k = 0; k < nx; k++)
				if (strlen(xs[k]) == xc.len &&
				    memcmp(xs[k], xc.s ? xc.s : "", xc.len) == 0)
					break;
			v = pb_rtab_cell(t, r, c->value);
			if (v.kind != PB_CELL_PCT) {
				if (open)
					fputs("\"/>\n", fp);
				open = 0;
				continue;
			}
			x = x0 + (nx > 1 ? pw * (int)k / (int)(nx - 1) : pw / 2);
			y = top + ph - scale(v.v - lo, hi - lo, ph);
			if (!open) {
				fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" "
					"stroke-width=\"2\" points=\"", color);
				open = 1;
			} else {
				putc(' ', fp);
			}
			fprintf(fp, "%d,%d", x, y);
		}
		if (open)
			fputs("\"/>\n", fp);
		for (r = 0; r < nrow; r++) {
			struct pb_cell v, xc;
			size_t k;

			row_label(t, c, r, &label);
			if (strcmp(label.s, series[i]) != 0)
				continue;
			xc = pb_rtab_cell(t, r, c->x);
			for (k = 0; k < nx; k++)
				if (strlen(xs[k]) == xc.len &&
				    memcmp(xs[k], xc.s ? xc.s : "", xc.len) == 0)
					break;
			v = pb_rtab_cell(t, r, c->value);
			if (v.kind != PB_CELL_PCT)
				continue;
			fprintf(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\">"
				"<title>",
				x0 + (nx > 1 ? pw * (int)k / (int)(nx - 1) : pw / 2),
				top + ph - scale(v.v - lo, hi - lo, ph), color);
			xmls(fp, series[i]);
			value_text(&v, buf, sizeof buf);
			fputs(", ", fp);
			xml(fp, xc.s ? xc.s : "", xc.len);
			fprintf(fp, ": %s</title></circle>\n", buf);
		}
		fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
			"stroke=\"%s\" stroke-width=\"3\"/>\n", legend_x, ly,
			legend_x + 18, ly, color);
		fprintf(fp, "<text x=\"%d\" y=\"%d\">", legend_x + 24, ly + 4);
		xmls(fp, series[i]);
		fputs("</text>\n", fp);
	}
	notes(fp, t, top + ph + 104);
	fputs("</svg>\n", fp);
	for (i = 0; i < nx; i++)
		free(xs[i]);
	for (i = 0; i < ns; i++)
		free(series[i]);
	free(xs);
	free(series);
	pb_buf_fini(&label);
	return 0;
}

int pb_svg_chart(FILE *fp, const struct pb_rtab *t, const struct pb_chart *c,
		 struct pb_error *e)
{
	if (c->kind == PB_CHART_LINES)
		lines(fp, t, c);
	else
		bars(fp, t, c);
	if (fflush(fp) == EOF || ferror(fp))
		return pb_error_set(e, PB_EIO, "write error");
	return 0;
}
