/*
 * takeup.c - take-up of personal budgets and direct payments on a day
 * (ASCOF 1C parts 1A/2A, now 3D 1a/2a), per group.
 *
 * Memory: the interned group keys and five counters per group, plus one
 * slot per distinct person (people.c) unless assume_unique is set.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum by_kind {
	BY_COLUMN,      /* an input column, as written */
	BY_CODE,        /* an input column holding codes: canonical code */
	BY_AGE_BAND,    /* derived 18-64 / 65+ */
	BY_AGE_FINE     /* derived 18-24 ... 95+ */
};

struct by_col {
	const char *name;
	enum by_kind kind;
	const struct pb_codeset *cs;
	int idx;
};

struct counts {
	int64_t dp, part, managed, comm;
};

struct pb_takeup {
	struct pb_takeup_opts o;
	struct pb_export x;
	struct by_col *by;
	struct pb_strmap *groups;
	struct pb_buf key;
	struct pb_people *people;
	struct counts *cnt;
	size_t cntcap;
	int finished;
	/* summary */
	long active, left_client, left_age, counted;
	size_t persons;
};

struct pb_takeup *pb_takeup_new(const struct pb_takeup_opts *o,
				struct pb_error *e)
{
	struct pb_takeup *t;
	size_t i;

	if (o->nby > PB_TAKEUP_MAX_BY) {
		pb_error_set(e, PB_EUSAGE, "--by: more than %d columns",
			     PB_TAKEUP_MAX_BY);
		return NULL;
	}
	t = pb_xcalloc(1, sizeof *t);

	t->o = *o;
	t->by = pb_xcalloc(o->nby + 1, sizeof *t->by);
	for (i = 0; i < o->nby; i++) {
		struct by_col *b = &t->by[i];
		char norm[128];

		b->name = o->by[i];
		b->idx = -1;
		pb_colname_norm(norm, sizeof norm, b->name);
		if (strcmp(norm, "age_band") == 0)
			b->kind = BY_AGE_BAND;
		else if (strcmp(norm, "age_band_fine") == 0)
			b->kind = BY_AGE_FINE;
		else if (strcmp(norm, "primary_support_reason") == 0) {
			b->kind = BY_CODE;
			b->cs = &pb_codes_psr;
		} else if (strcmp(norm, "support_setting") == 0) {
			b->kind = BY_CODE;
			b->cs = &pb_codes_setting;
		} else if (strcmp(norm, "client_type") == 0) {
			b->kind = BY_CODE;
			b->cs = &pb_codes_client;
		} else if (strcmp(norm, "delivery_mechanism") == 0) {
			pb_error_set(e, PB_EUSAGE,
				"--by: takeup cannot be grouped by delivery_mechanism: it counts them");
			free(t->by);
			free(t);
			return NULL;
		} else
			b->kind = BY_COLUMN;
	}
	pb_export_init(&t->x);
	t->groups = pb_strmap_new();
	pb_buf_init(&t->key);
	if (!o->assume_unique)
		t->people = pb_people_new(t->groups);
	return t;
}

void pb_takeup_free(struct pb_takeup *t)
{
	if (!t)
		return;
	free(t->by);
	pb_strmap_free(t->groups);
	pb_buf_fini(&t->key);
	pb_people_free(t->people);
	free(t->cnt);
	free(t);
}

int pb_takeup_bind(struct pb_takeup *t, const struct pb_header *h,
		   int lenient, struct pb_error *e)
{
	size_t i;

	if (pb_bind(h, t->o.map, pb_export_spec, PB_X_N, t->x.idx, lenient, e) < 0)
		return -PB_EUSAGE;
	if (!lenient && t->x.idx[PB_X_AGE] < 0 && t->x.idx[PB_X_BIRTH_DATE] < 0 &&
	    t->x.idx[PB_X_AGE_BAND] < 0)
		return pb_error_set(e, PB_EUSAGE,
			"no age, birth_date or age_band column: adult figures need an age");
	if (!lenient && t->o.carers && t->x.idx[PB_X_CLIENT_TYPE] < 0)
		return pb_error_set(e, PB_EUSAGE,
			"--carers needs a client_type column");
	for (i = 0; i < t->o.nby; i++) {
		struct by_col *b = &t->by[i];
		struct pb_colspec spec = {b->name, PB_COL_REQUIRED};

		/* Derived; an age_band column too coarse for age_band_fine
		 * is found record by record. */
		if (b->kind == BY_AGE_BAND || b->kind == BY_AGE_FINE)
			continue;
		if (pb_bind(h, t->o.map, &spec, 1, &b->idx, lenient, e) < 0) {
			pb_error_prefix(e, "--by: ");
			return -PB_EUSAGE;
		}
	}
	return pb_map_check_used(t->o.map, e) < 0 ? -PB_EUSAGE : 0;
}

/* Append one group value to the key (values are NUL-separated). */
static void key_add(struct pb_buf *k, const char *s, size_t n)
{
	pb_buf_add(k, s, n);
	pb_buf_addc(k, '\0');
}

static int build_key(struct pb_takeup *t, const struct pb_record *rec,
		     const struct pb_export_row *row, enum pb_age band,
		     struct pb_error *e)
{
	size_t i, n;
	const char *s;

	pb_buf_reset(&t->key);
	for (i = 0; i < t->o.nby; i++) {
		struct by_col *b = &t->by[i];

		switch (b->kind) {
		case BY_AGE_BAND:
			s = pb_age_ascof_name(band);
			key_add(&t->key, s, strlen(s));
			break;
		case BY_AGE_FINE:
			if (row->age < 0 && !row->has_birth && row->band_coarse) {
				char q[80];

				s = pb_rec_get(rec, t->x.idx[PB_X_AGE_BAND], &n);
				pb_error_set(e, PB_EDATA,
					"too coarse for --by age_band_fine '%s'",
					pb_quote(q, sizeof q, s, n));
				pb_error_at(e, NULL, 0,
					    rec->hdr->name[t->x.idx[PB_X_AGE_BAND]]);
				return -PB_EDATA;
			}
			s = pb_age_fine_name(band);
			key_add(&t->key, s, strlen(s));
			break;
		case BY_CODE: {
			int c;

			if (b->cs == &pb_codes_psr)
				c = row->psr;
			else if (b->cs == &pb_codes_setting)
				c = row->setting;
			else
				c = row->client;
			s = pb_code_name(b->cs, c);
			key_add(&t->key, s, strlen(s));
			break;
		}
		case BY_COLUMN:
			s = pb_rec_get(rec, b->idx, &n);
			key_add(&t->key, s, n);
			break;
		}
	}
	return 0;
}

static struct counts *counts_for(struct pb_takeup *t, size_t gid)
{
	if (gid >= t->cntcap) {
		size_t cap = t->cntcap ? t->cntcap : 16;

		while (cap <= gid)
			cap *= 2;
		t->cnt = pb_xrealloc(t->cnt, cap * sizeof *t->cnt);
		memset(t->cnt + t->cntcap, 0,
		       (cap - t->cntcap) * sizeof *t->cnt);
		t->cntcap = cap;
	}
	return &t->cnt[gid];
}

static void count_mech(struct counts *c, int mech)
{
	switch (mech) {
	case PB_MECH_DP:
		c->dp++;
		break;
	case PB_MECH_PART_DP:
		c->part++;
		break;
	case PB_MECH_MANAGED:
		c->managed++;
		break;
	case PB_MECH_COMMISSIONED:
		c->comm++;
		break;
	}
}

int pb_takeup_add(struct pb_takeup *t, const struct pb_record *rec,
		  struct pb_error *e)
{
	struct pb_export_row row;
	enum pb_age band;
	size_t gid;
	int rank;

	if (pb_export_parse(&t->x, rec, &row, e) < 0)
		return -PB_EDATA;
	if (!pb_export_active(&row, t->o.as_of))
		return 0;
	band = pb_export_age(&row, t->o.as_of);
	if (build_key(t, rec, &row, band, e) < 0)
		return -PB_EDATA;
	t->active++;
	if ((row.client == PB_CLIENT_CARER) != (t->o.carers != 0)) {
		t->left_client++;
		return 0;
	}
	if (band < 0) {
		t->left_age++;
		return 0;
	}
	gid = pb_strmap_intern(t->groups, t->key.s, t->key.len, NULL);
	rank = pb_hier_rank(row.setting, row.mech);
	if (t->o.assume_unique) {
		t->persons++;
		if (rank >= 3 && rank <= 5)
			count_mech(counts_for(t, gid), row.mech);
		else
			counts_for(t, gid);
		return 0;
	}
	pb_people_offer(t->people, row.la_code, row.la_len, row.person_id,
			row.person_len, rank, row.start, (uint32_t)gid,
			pb_mech_flag(row.setting, row.mech));
	return 0;
}

static void tally(void *ctx, int rank, uint32_t group, int mflags)
{
	struct pb_takeup *t = ctx;
	struct counts *c = counts_for(t, group);

	if (rank >= 3 && rank <= 5)
		count_mech(c, pb_people_mech(rank, mflags));
}

static void finish(struct pb_takeup *t)
{
	size_t g;

	if (t->finished)
		return;
	t->finished = 1;
	counts_for(t, pb_strmap_count(t->groups));
	if (t->people) {
		pb_people_each(t->people, tally, t);
		t->persons = pb_people_count(t->people);
	}
	for (g = 0; g < pb_strmap_count(t->groups); g++) {
		struct counts *c = &t->cnt[g];

		t->counted += c->dp + c->part + c->managed + c->comm;
	}
}

static const struct pb_strmap *sort_map;

static int cmp_group(const void *a, const void *b)
{
	size_t la, lb;
	const char *ka = pb_strmap_key(sort_map, *(const size_t *)a, &la);
	const char *kb = pb_strmap_key(sort_map, *(const size_t *)b, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);

	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

/* Fill cells for a count and its percentage of den (published values). */
static void figure(const struct pb_takeup *t, int64_t n, int64_t den,
		   int den_supp, int64_t den_pub, struct pb_cell *cnt,
		   struct pb_cell *pct)
{
	int64_t pub;
	int supp = pb_disc_count(t->o.disclosure, n, &pub);

	(void)den;
	cnt->kind = supp ? PB_CELL_SUPPRESSED : PB_CELL_INT;
	cnt->v = pub;
	if (supp || den_supp) {
		pct->kind = PB_CELL_SUPPRESSED;
	} else if (den_pub == 0) {
		pct->kind = PB_CELL_EMPTY;
	} else {
		pct->kind = PB_CELL_PCT;
		pct->v = pb_pct_tenths(pub, den_pub);
	}
}

static int write_row(const struct pb_takeup *t, struct pb_writer *w,
		     const char *key, size_t keylen, const struct counts *c,
		     struct pb_error *e)
{
	struct pb_cell cells[PB_TAKEUP_MAX_BY + 12];
	struct pb_cell *cell = cells;
	char date[PB_DATE_BUFSZ];
	int64_t people = c->dp + c->part + c->managed + c->comm;
	int64_t den_pub;
	int den_supp;
	size_t i, off = 0;

	memset(cells, 0, sizeof cells);
	for (i = 0; i < t->o.nby; i++) {
		cell->kind = PB_CELL_TEXT;
		if (key) {
			cell->s = key + off;
			cell->len = strlen(key + off);
			off += cell->len + 1;
			if (cell->len == 0)
				cell->kind = PB_CELL_EMPTY;
		} else {
			cell->s = "all";
			cell->len = 3;
		}
		cell++;
	}
	(void)keylen;
	cell->kind = PB_CELL_TEXT;
	cell->s = pb_date_format(date, t->o.as_of);
	cell->len = strlen(date);
	cell++;
	den_supp = pb_disc_count(t->o.disclosure, people, &den_pub);
	cell->kind = den_supp ? PB_CELL_SUPPRESSED : PB_CELL_INT;
	cell->v = den_pub;
	cell++;
	figure(t, c->dp + c->part + c->managed, people, den_supp, den_pub,
	       cell, cell + 1);
	struct pb_cell *pb_pct = cell + 1;
	cell += 2;
	figure(t, c->dp + c->part, people, den_supp, den_pub, cell, cell + 1);
	cell += 2;
	figure(t, c->managed, people, den_supp, den_pub, cell, cell + 1);
	cell += 2;
	if (t->o.has_target) {
		cell->kind = PB_CELL_PCT;
		cell->v = t->o.target;
		cell++;
		if (pb_pct->kind == PB_CELL_PCT) {
			cell->kind = PB_CELL_TEXT;
			cell->s = pb_pct->v >= t->o.target ? "yes" : "no";
			cell->len = strlen(cell->s);
		} else {
			cell->kind = pb_pct->kind;
		}
		cell++;
	}
	return pb_writer_row(w, cells, e);
}

int pb_takeup_write(struct pb_takeup *t, struct pb_writer *w,
		    struct pb_error *e)
{
	static const char *const figures[] = {
		"as_of", "people", "personal_budget", "personal_budget_pct",
		"direct_payment", "direct_payment_pct", "managed",
		"managed_pct", "target_pct", "meets_target"
	};
	const char *names[PB_TAKEUP_MAX_BY + 12];
	size_t ncol = 0, i, ng, *order;
	struct counts total = {0, 0, 0, 0};

	finish(t);
	for (i = 0; i < t->o.nby; i++)
		names[ncol++] = t->by[i].name;
	for (i = 0; i < (t->o.has_target ? 10u : 8u); i++)
		names[ncol++] = figures[i];
	if (pb_writer_header(w, names, ncol, e) < 0)
		return -PB_EIO;

	ng = pb_strmap_count(t->groups);
	order = pb_xcalloc(ng + 1, sizeof *order);
	for (i = 0; i < ng; i++)
		order[i] = i;
	sort_map = t->groups;
	qsort(order, ng, sizeof *order, cmp_group);
	for (i = 0; i < ng; i++) {
		const struct counts *c = &t->cnt[order[i]];
		size_t klen;
		const char *key = pb_strmap_key(t->groups, order[i], &klen);

		total.dp += c->dp;
		total.part += c->part;
		total.managed += c->managed;
		total.comm += c->comm;
		/* Groups with nobody in community support are not listed. */
		if (c->dp + c->part + c->managed + c->comm == 0)
			continue;
		if (write_row(t, w, key, klen, c, e) < 0) {
			free(order);
			return -PB_EIO;
		}
	}
	free(order);
	if (t->o.total && write_row(t, w, NULL, 0, &total, e) < 0)
		return -PB_EIO;
	return 0;
}

void pb_takeup_summary(const struct pb_takeup *t, long read, long rejected,
		       char *buf, size_t n)
{
	char date[PB_DATE_BUFSZ];

	snprintf(buf, n,
		 "as of %s: rows: %ld read, %ld rejected, %ld active; "
		 "left out: %ld %s rows, %ld rows under 18 or of unknown age; "
		 "people: %zu, %ld in community support",
		 pb_date_format(date, t->o.as_of), read, rejected, t->active,
		 t->left_client, t->o.carers ? "service users'" : "carers'",
		 t->left_age, t->persons, t->counted);
}
