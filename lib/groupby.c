/*
 * groupby.c - the group columns of a report (--by) and the key of a row.
 *
 * A key is the group values back to back, each followed by a NUL byte,
 * so keys compare in tuple order with memcmp.  Memory: the column list.
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
	int code;          /* BY_CODE: which field of the export row */
	int idx;
};

enum { CODE_PSR, CODE_SETTING, CODE_CLIENT, CODE_MECH };

struct pb_groupby {
	struct by_col *col;
	size_t n;
	int uses_age;
};

struct pb_groupby *pb_groupby_new(const char *const *names, size_t n,
				  int flags, const char *why,
				  struct pb_error *e)
{
	struct pb_groupby *g;
	size_t i;

	if (n > PB_MAX_BY) {
		pb_error_set(e, PB_EUSAGE, "--by: more than %d columns",
			     PB_MAX_BY);
		return NULL;
	}
	g = pb_xcalloc(1, sizeof *g);
	g->col = pb_xcalloc(n + 1, sizeof *g->col);
	g->n = n;
	for (i = 0; i < n; i++) {
		struct by_col *b = &g->col[i];
		char norm[128];

		b->name = names[i];
		b->idx = -1;
		pb_colname_norm(norm, sizeof norm, b->name);
		if (strcmp(norm, "age_band") == 0) {
			b->kind = BY_AGE_BAND;
			g->uses_age = 1;
		} else if (strcmp(norm, "age_band_fine") == 0) {
			b->kind = BY_AGE_FINE;
			g->uses_age = 1;
		} else if (strcmp(norm, "primary_support_reason") == 0) {
			b->kind = BY_CODE;
			b->code = CODE_PSR;
		} else if (strcmp(norm, "support_setting") == 0) {
			b->kind = BY_CODE;
			b->code = CODE_SETTING;
		} else if (strcmp(norm, "client_type") == 0) {
			b->kind = BY_CODE;
			b->code = CODE_CLIENT;
		} else if (strcmp(norm, "delivery_mechanism") == 0) {
			if (flags & PB_BY_NO_MECH) {
				pb_error_set(e, PB_EUSAGE, "--by: %s",
					     why ? why : "cannot group by delivery_mechanism");
				pb_groupby_free(g);
				return NULL;
			}
			b->kind = BY_CODE;
			b->code = CODE_MECH;
		} else {
			b->kind = BY_COLUMN;
		}
	}
	return g;
}

void pb_groupby_free(struct pb_groupby *g)
{
	if (!g)
		return;
	free(g->col);
	free(g);
}

size_t pb_groupby_count(const struct pb_groupby *g)
{
	return g->n;
}

const char *pb_groupby_name(const struct pb_groupby *g, size_t i)
{
	return g->col[i].name;
}

int pb_groupby_uses_age(const struct pb_groupby *g)
{
	return g->uses_age;
}

int pb_groupby_bind(struct pb_groupby *g, const struct pb_header *h,
		    const struct pb_map *m, int lenient, struct pb_error *e)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		struct by_col *b = &g->col[i];
		struct pb_colspec spec = {b->name, PB_COL_REQUIRED};

		/* Derived; an age_band column too coarse for age_band_fine
		 * is found record by record. */
		if (b->kind == BY_AGE_BAND || b->kind == BY_AGE_FINE)
			continue;
		if (pb_bind(h, m, &spec, 1, &b->idx, lenient, e) < 0) {
			pb_error_prefix(e, "--by: ");
			return -PB_EUSAGE;
		}
	}
	return 0;
}

/* Append one group value to the key. */
static void key_add(struct pb_buf *k, const char *s, size_t n)
{
	pb_buf_add(k, s, n);
	pb_buf_addc(k, '\0');
}

int pb_groupby_key(const struct pb_groupby *g, const struct pb_record *rec,
		   const struct pb_export *x, const struct pb_export_row *row,
		   enum pb_age band, struct pb_buf *key, struct pb_error *e)
{
	size_t i, n;
	const char *s;

	pb_buf_reset(key);
	for (i = 0; i < g->n; i++) {
		const struct by_col *b = &g->col[i];

		switch (b->kind) {
		case BY_AGE_BAND:
			s = pb_age_ascof_name(band);
			key_add(key, s, strlen(s));
			break;
		case BY_AGE_FINE:
			if (row->age < 0 && !row->has_birth && row->band_coarse) {
				char q[80];
				int ai = x->idx[PB_X_AGE_BAND];

				s = pb_rec_get(rec, ai, &n);
				pb_error_set(e, PB_EDATA,
					"too coarse for --by age_band_fine '%s'",
					pb_quote(q, sizeof q, s, n));
				return pb_field_blame(rec, ai, e);
			}
			s = pb_age_fine_name(band);
			key_add(key, s, strlen(s));
			break;
		case BY_CODE:
			switch (b->code) {
			case CODE_PSR:
				s = pb_code_name(&pb_codes_psr, row->psr);
				break;
			case CODE_SETTING:
				s = pb_code_name(&pb_codes_setting, row->setting);
				break;
			case CODE_CLIENT:
				s = pb_code_name(&pb_codes_client, row->client);
				break;
			default:
				s = pb_code_name(&pb_codes_mech, row->mech);
			}
			key_add(key, s, strlen(s));
			break;
		case BY_COLUMN:
			s = pb_rec_get(rec, b->idx, &n);
			key_add(key, s, n);
			break;
		}
	}
	/* No group columns: one group, the empty key (never a NULL s). */
	if (key->len == 0)
		pb_buf_reserve(key, 1);
	return 0;
}

int pb_group_cmp(const struct pb_strmap *groups, size_t a, size_t b)
{
	size_t la, lb;
	const char *ka, *kb;
	int c;

	if (a == b)
		return 0;
	ka = pb_strmap_key(groups, a, &la);
	kb = pb_strmap_key(groups, b, &lb);
	c = memcmp(ka, kb, la < lb ? la : lb);
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

static const struct pb_strmap *sort_map;

static int cmp_ids(const void *a, const void *b)
{
	return pb_group_cmp(sort_map, *(const size_t *)a, *(const size_t *)b);
}

size_t *pb_groups_sorted(const struct pb_strmap *groups)
{
	size_t n = pb_strmap_count(groups), i;
	size_t *order = pb_xcalloc(n + 1, sizeof *order);

	for (i = 0; i < n; i++)
		order[i] = i;
	sort_map = groups;
	qsort(order, n, sizeof *order, cmp_ids);
	sort_map = NULL;
	return order;
}
