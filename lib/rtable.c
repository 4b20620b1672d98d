/*
 * rtable.c - a report's output table: its rows of group values and
 * figures, the disclosure rule applied cell by cell, secondary
 * suppression over the sums the table shows, percentages from the
 * published counts, and writing through a pb_writer.
 *
 * Memory: the table (a report's groups, never its input rows).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum { ST_EMPTY = 0, ST_VALUE, ST_TEXT };

struct rsum {
	int total;
	int *parts;
	size_t n;
};

struct pb_rtab {
	struct pb_rcol *cols;
	size_t ncol;
	enum pb_disclosure d;
	int64_t target;
	struct rsum *sums;
	size_t nsums;
	/* rows */
	size_t nrow, cap;
	uint32_t *slice;
	unsigned char *total;
	int64_t *v;              /* nrow * ncol: value, or text offset */
	unsigned char *st;       /* ST_* */
	unsigned char *supp;     /* after finish: 1 primary, 2 secondary */
	int64_t *pub;            /* after finish: the published value */
	struct pb_buf text;      /* NUL-terminated texts */
	char *title;
	char **notes;
	size_t nnotes;
	size_t nsecondary;
	int finished;
	/* cells that hold the same figure: pairs of cell indexes */
	size_t *same;
	size_t nsame, capsame;
};

struct pb_rtab *pb_rtab_new(const struct pb_rcol *cols, size_t ncol,
			    enum pb_disclosure d, int64_t target)
{
	struct pb_rtab *t = pb_xcalloc(1, sizeof *t);

	t->cols = pb_xcalloc(ncol + 1, sizeof *t->cols);
	memcpy(t->cols, cols, ncol * sizeof *cols);
	t->ncol = ncol;
	t->d = d;
	t->target = target;
	pb_buf_init(&t->text);
	pb_buf_addc(&t->text, '\0');  /* offset 0 is "" */
	return t;
}

void pb_rtab_free(struct pb_rtab *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nsums; i++)
		free(t->sums[i].parts);
	free(t->sums);
	free(t->cols);
	free(t->slice);
	free(t->total);
	free(t->v);
	free(t->st);
	free(t->supp);
	free(t->pub);
	pb_buf_fini(&t->text);
	free(t->title);
	for (i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	free(t->same);
	free(t);
}

const struct pb_rcol *pb_rtab_col(const struct pb_rtab *t, size_t c)
{
	return &t->cols[c];
}

size_t pb_rtab_nrow(const struct pb_rtab *t)
{
	return t->nrow;
}

int pb_rtab_is_total(const struct pb_rtab *t, size_t row)
{
	return t->total[row];
}

size_t pb_rtab_secondary(const struct pb_rtab *t)
{
	return t->nsecondary;
}

void pb_rtab_sum(struct pb_rtab *t, int total, const int *parts,
		 size_t nparts)
{
	struct rsum *s;

	t->sums = pb_xrealloc(t->sums, (t->nsums + 1) * sizeof *t->sums);
	s = &t->sums[t->nsums++];
	s->total = total;
	s->n = nparts;
	s->parts = pb_xcalloc(nparts + 1, sizeof *s->parts);
	memcpy(s->parts, parts, nparts * sizeof *parts);
}

size_t pb_rtab_row(struct pb_rtab *t, uint32_t slice, int total)
{
	size_t r;

	if (t->nrow == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		t->slice = pb_xrealloc(t->slice, cap * sizeof *t->slice);
		t->total = pb_xrealloc(t->total, cap);
		t->v = pb_xrealloc(t->v, cap * t->ncol * sizeof *t->v);
		t->st = pb_xrealloc(t->st, cap * t->ncol);
		t->cap = cap;
	}
	r = t->nrow++;
	t->slice[r] = slice;
	t->total[r] = (unsigned char)(total != 0);
	memset(t->v + r * t->ncol, 0, t->ncol * sizeof *t->v);
	memset(t->st + r * t->ncol, ST_EMPTY, t->ncol);
	return r;
}

void pb_rtab_text(struct pb_rtab *t, size_t row, int col, const char *s,
		  size_t len)
{
	size_t k = row * t->ncol + (size_t)col;

	t->v[k] = (int64_t)t->text.len;
	t->st[k] = ST_TEXT;
	pb_buf_add(&t->text, s, len);
	pb_buf_addc(&t->text, '\0');
}

void pb_rtab_set(struct pb_rtab *t, size_t row, int col, int64_t v)
{
	size_t k = row * t->ncol + (size_t)col;

	t->v[k] = v;
	t->st[k] = ST_VALUE;
}

void pb_rtab_title(struct pb_rtab *t, const char *title)
{
	free(t->title);
	t->title = pb_xstrdup(title);
}

const char *pb_rtab_get_title(const struct pb_rtab *t)
{
	return t->title;
}

void pb_rtab_note(struct pb_rtab *t, const char *note)
{
	t->notes = pb_xrealloc(t->notes, (t->nnotes + 1) * sizeof *t->notes);
	t->notes[t->nnotes++] = pb_xstrdup(note);
}

size_t pb_rtab_nnote(const struct pb_rtab *t)
{
	return t->nnotes;
}

const char *pb_rtab_get_note(const struct pb_rtab *t, size_t i)
{
	return t->notes[i];
}

void pb_rtab_same(struct pb_rtab *t, size_t r1, int c1, size_t r2, int c2)
{
	if (t->nsame + 2 > t->capsame) {
		t->capsame = t->capsame ? t->capsame * 2 : 64;
		t->same = pb_xrealloc(t->same, t->capsame * sizeof *t->same);
	}
	t->same[t->nsame++] = r1 * t->ncol + (size_t)c1;
	t->same[t->nsame++] = r2 * t->ncol + (size_t)c2;
}

/* Suppress both cells of every pair if either is; 1 if anything changed. */
static int propagate(struct pb_rtab *t)
{
	int changed = 0, again = 1;
	size_t i;

	while (again) {
		again = 0;
		for (i = 0; i < t->nsame; i += 2) {
			unsigned char *a = &t->supp[t->same[i]];
			unsigned char *b = &t->supp[t->same[i + 1]];

			if (*a && !*b) {
				*b = *a;
				again = 1;
			} else if (*b && !*a) {
				*a = *b;
				again = 1;
			}
		}
		changed |= again;
	}
	return changed;
}

/* Is cell k a published count (not hidden) with a value? */
static int is_count(const struct pb_rtab *t, size_t k)
{
	const struct pb_rcol *c = &t->cols[k % t->ncol];

	return c->kind == PB_RC_COUNT && !(c->flags & PB_RC_HIDDEN) &&
	       t->st[k] == ST_VALUE;
}

/* Gather every sum the table shows and run the secondary rule. */
static void secondary(struct pb_rtab *t)
{
	size_t ncell = t->nrow * t->ncol;
	size_t *total = NULL, *start = NULL, *parts = NULL;
	size_t nsum = 0, npart = 0, capsum = 0, cappart = 0;
	size_t r, i, c, k;
	struct pb_disc_sums s;

#define NEW_SUM(tot)                                                      \
	do {                                                              \
		if (nsum + 1 >= capsum) {                                 \
			capsum = capsum ? capsum * 2 : 64;                \
			total = pb_xrealloc(total, capsum * sizeof *total); \
			start = pb_xrealloc(start, (capsum + 1) * sizeof *start); \
		}                                                         \
		total[nsum] = (tot);                                      \
		start[nsum] = npart;                                      \
		nsum++;                                                   \
	} while (0)
#define ADD_PART(cell)                                                    \
	do {                                                              \
		if (npart == cappart) {                                   \
			cappart = cappart ? cappart * 2 : 256;            \
			parts = pb_xrealloc(parts, cappart * sizeof *parts); \
		}                                                         \
		parts[npart++] = (cell);                                  \
	} while (0)

	/* Within each row: total = parts. */
	for (r = 0; r < t->nrow; r++)
		for (i = 0; i < t->nsums; i++) {
			const struct rsum *rs = &t->sums[i];
			int ok = is_count(t, r * t->ncol + (size_t)rs->total);

			for (k = 0; k < rs->n && ok; k++)
				ok = is_count(t, r * t->ncol + (size_t)rs->parts[k]);
			if (!ok)
				continue;
			NEW_SUM(r * t->ncol + (size_t)rs->total);
			for (k = 0; k < rs->n; k++)
				ADD_PART(r * t->ncol + (size_t)rs->parts[k]);
		}
	/* Down each column: a slice's total row = its other rows. */
	for (r = 0; r < t->nrow; r++) {
		if (!t->total[r])
			continue;
		for (c = 0; c < t->ncol; c++) {
			if (!is_count(t, r * t->ncol + c))
				continue;
			NEW_SUM(r * t->ncol + c);
			for (i = 0; i < t->nrow; i++)
				if (!t->total[i] && t->slice[i] == t->slice[r] &&
				    is_count(t, i * t->ncol + c))
					ADD_PART(i * t->ncol + c);
		}
	}
#undef NEW_SUM
#undef ADD_PART
	propagate(t);
	if (nsum) {
		start[nsum] = npart;
		s.ncell = ncell;
		s.value = t->v;
		s.supp = t->supp;
		s.nsum = nsum;
		s.total = total;
		s.start = start;
		s.parts = parts;
		do
			pb_disc_secondary(&s);
		while (propagate(t));
	}
	t->nsecondary = 0;
	for (r = 0; r < ncell; r++)
		t->nsecondary += t->supp[r] == 2;
	free(total);
	free(start);
	free(parts);
}

void pb_rtab_finish(struct pb_rtab *t)
{
	size_t ncell = t->nrow * t->ncol, k, r;
	size_t c;

	if (t->finished)
		return;
	t->finished = 1;
	t->supp = pb_xcalloc(ncell + 1, 1);
	t->pub = pb_xcalloc(ncell + 1, sizeof *t->pub);
	/* Counts, by the rule. */
	for (k = 0; k < ncell; k++) {
		if (t->cols[k % t->ncol].kind != PB_RC_COUNT ||
		    t->st[k] != ST_VALUE)
			continue;
		t->supp[k] = (unsigned char)pb_disc_count(t->d, t->v[k],
							  &t->pub[k]);
	}
	if (t->d != PB_DISC_NONE)
		secondary(t);
	/* What depends on the counts. */
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			const struct pb_rcol *col = &t->cols[c];
			size_t a, b;

			k = r * t->ncol + c;
			a = r * t->ncol + (size_t)(col->a < 0 ? 0 : col->a);
			b = r * t->ncol + (size_t)(col->b < 0 ? 0 : col->b);
			switch (col->kind) {
			case PB_RC_MONEY:
			case PB_RC_NUM:
				t->pub[k] = t->v[k];
				if (t->st[k] == ST_VALUE && col->a >= 0 &&
				    t->st[a] == ST_VALUE &&
				    pb_disc_stat(t->d, t->v[a]))
					t->supp[k] = 1;
				break;
			case PB_RC_PCT:
				if (t->st[a] != ST_VALUE || t->st[b] != ST_VALUE)
					break;
				if (t->supp[a] || t->supp[b]) {
					t->st[k] = ST_VALUE;
					t->supp[k] = 1;
				} else if (t->pub[b] > 0 && t->pub[a] >= 0) {
					t->st[k] = ST_VALUE;
					t->pub[k] = pb_pct_tenths(t->pub[a],
								  t->pub[b]);
				}
				break;
			case PB_RC_TARGET:
				t->st[k] = ST_VALUE;
				t->pub[k] = t->target;
				break;
			default:
				break;
			}
		}
	/* meets_target after every percentage is known. */
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			const struct pb_rcol *col = &t->cols[c];
			size_t a;

			if (col->kind != PB_RC_MEETS)
				continue;
			k = r * t->ncol + c;
			a = r * t->ncol + (size_t)col->a;
			if (t->st[a] != ST_VALUE)
				continue;
			t->st[k] = ST_VALUE;
			t->supp[k] = t->supp[a];
			t->pub[k] = t->pub[a] >= t->target;
		}
}

struct pb_cell pb_rtab_cell(const struct pb_rtab *t, size_t row, int col)
{
	size_t k = row * t->ncol + (size_t)col;
	struct pb_cell cell;

	memset(&cell, 0, sizeof cell);
	if (t->st[k] == ST_TEXT) {
		cell.s = t->text.s + t->v[k];
		cell.len = strlen(cell.s);
		cell.kind = cell.len ? PB_CELL_TEXT : PB_CELL_EMPTY;
		return cell;
	}
	if (t->st[k] == ST_EMPTY)
		return cell;
	if (t->supp && t->supp[k]) {
		cell.kind = PB_CELL_SUPPRESSED;
		return cell;
	}
	cell.v = t->pub ? t->pub[k] : t->v[k];
	switch (t->cols[col].kind) {
	case PB_RC_COUNT:
	case PB_RC_NUM:
		cell.kind = PB_CELL_INT;
		break;
	case PB_RC_MONEY:
		cell.kind = PB_CELL_MONEY;
		break;
	case PB_RC_PCT:
	case PB_RC_TARGET:
		cell.kind = PB_CELL_PCT;
		break;
	case PB_RC_MEETS:
		cell.kind = PB_CELL_TEXT;
		cell.s = cell.v ? "yes" : "no";
		cell.len = strlen(cell.s);
		break;
	case PB_RC_TEXT:
		break;
	}
	return cell;
}

int pb_rtab_write(const struct pb_rtab *t, struct pb_writer *w,
		  struct pb_error *e)
{
	const char **names = pb_xcalloc(t->ncol + 1, sizeof *names);
	struct pb_cell *cells = pb_xcalloc(t->ncol + 1, sizeof *cells);
	size_t c, r, n = 0;
	int rc = 0;

	if (t->title)
		pb_writer_title(w, t->title);
	for (c = 0; c < t->nnotes; c++)
		pb_writer_note(w, t->notes[c]);
	for (c = 0; c < t->ncol; c++)
		if (!(t->cols[c].flags & PB_RC_HIDDEN))
			names[n++] = t->cols[c].name;
	if (pb_writer_header(w, names, n, e) < 0)
		rc = -PB_EIO;
	for (r = 0; r < t->nrow && rc == 0; r++) {
		n = 0;
		for (c = 0; c < t->ncol; c++)
			if (!(t->cols[c].flags & PB_RC_HIDDEN))
				cells[n++] = pb_rtab_cell(t, r, (int)c);
		if (pb_writer_row(w, cells, e) < 0)
			rc = -PB_EIO;
	}
	free(names);
	free(cells);
	return rc;
}
