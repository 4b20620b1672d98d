/*
 * cost.c - the weekly cost of support per group and delivery mechanism:
 * people, mean, median and 90th percentile (pb-report cost).
 *
 * Who: the people take-up counts (adults in long-term community
 * support on the day, each once by the national hierarchy), by the
 * mechanism they count as.  A person's weekly cost is the sum of
 * weekly_cost over their community rows active on the day (a part
 * direct payment is often a dp row and a managed row); a person none of
 * whose rows gives a cost is counted in people but not in with_cost.
 *
 * Memory: 40 bytes per distinct person (people.c with values), or with
 * assume_unique none; per group and mechanism a quantile sketch
 * (quantile.c), built at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define NMECH 4

struct cell {
	int64_t people;
	struct pb_qsketch q;
};

struct cost {
	struct pb_people *pp;     /* NULL with assume_unique */
	struct cell *cell;        /* [gid * NMECH + mech] */
	size_t ngroups;
	int tallied;
	int64_t loaded;           /* merging cells: their people */
};

enum {
	C_ACTIVE, C_LEFT_CLIENT, C_LEFT_AGE, C_UNIQUE, C_NEGATIVE
};

static int cost_init(struct pb_report *r, struct pb_error *e)
{
	struct cost *c = pb_xcalloc(1, sizeof *c);

	(void)e;
	r->eng = c;
	r->days = pb_xcalloc(1, sizeof *r->days);
	r->days[0] = r->o.as_of;
	r->ndays = 1;
	if (!r->o.assume_unique)
		c->pp = pb_people_new_values(r->groups);
	return 0;
}

static void cost_fini(struct pb_report *r)
{
	struct cost *c = r->eng;
	size_t i;

	for (i = 0; i < c->ngroups * NMECH; i++)
		pb_qs_fini(&c->cell[i].q);
	free(c->cell);
	pb_people_free(c->pp);
	free(c);
}

static int cost_bind(struct pb_report *r, const struct pb_header *h,
		     int lenient, struct pb_error *e)
{
	if (pb_report_bind_export(r, h, lenient, 1, 1 << PB_XO_COST, e) < 0)
		return -PB_EUSAGE;
	if (!lenient && r->xcol[PB_XO_COST] < 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no weekly_cost column: cost needs one");
	return 0;
}

static struct cell *cell_for(struct pb_report *r, size_t gid, int mech)
{
	struct cost *c = r->eng;

	if (gid >= c->ngroups) {
		size_t from, i;

		c->cell = pb_grow_rows(c->cell, &c->ngroups, gid,
				       NMECH * sizeof *c->cell, &from);
		for (i = from * NMECH; i < c->ngroups * NMECH; i++)
			pb_qs_init(&c->cell[i].q);
	}
	return &c->cell[gid * NMECH + (size_t)mech];
}

static int cost_add(struct pb_report *r, const struct pb_record *rec,
		    struct pb_error *e)
{
	struct cost *c = r->eng;
	struct pb_export_row row;
	enum pb_age band;
	int64_t pence = 0;
	int has_cost, rank;
	uint32_t gid;

	if (pb_export_parse(&r->x, rec, &row, e) < 0)
		return -PB_EDATA;
	has_cost = pb_field_money(rec, r->xcol[PB_XO_COST], &pence, e);
	if (has_cost < 0)
		return -PB_EDATA;
	if (has_cost && pence < 0) {
		char q[80];
		size_t n;
		const char *s = pb_rec_get(rec, r->xcol[PB_XO_COST], &n);

		pb_error_set(e, PB_EDATA, "a negative weekly cost '%s'",
			     pb_quote(q, sizeof q, s, n));
		return pb_field_blame(rec, r->xcol[PB_XO_COST], e);
	}
	if (!pb_export_active(&row, r->o.as_of))
		return 0;
	band = pb_export_age(&row, r->o.as_of);
	if (pb_groupby_key(r->gb, rec, &r->x, &row, band, &r->key, e) < 0)
		return -PB_EDATA;
	r->cnt[C_ACTIVE]++;
	if (row.client == PB_CLIENT_CARER) {
		r->cnt[C_LEFT_CLIENT]++;
		return 0;
	}
	if (band < 0) {
		r->cnt[C_LEFT_AGE]++;
		return 0;
	}
	gid = pb_report_group(r);
	rank = pb_hier_rank(row.setting, row.mech);
	if (!c->pp) {
		r->cnt[C_UNIQUE]++;
		if (rank >= 3 && rank <= 5) {
			struct cell *cl = cell_for(r, gid, row.mech);

			cl->people++;
			if (has_cost)
				pb_qs_add(&cl->q, pence, 1);
		} else {
			cell_for(r, gid, 0);
		}
		return 0;
	}
	struct pb_fp key = pb_person_key(row.la_code, row.la_len,
					 row.person_id, row.person_len);

	pb_people_offer_fp(c->pp, key, rank, row.start, gid,
			   pb_mech_flag(row.setting, row.mech));
	if (has_cost && row.setting == PB_SET_COMMUNITY &&
	    pb_people_add_value(c->pp, key, pence) < 0) {
		pb_error_set(e, PB_EDATA,
			     "the person's weekly costs add up to too much");
		return pb_field_blame(rec, r->xcol[PB_XO_COST], e);
	}
	return 0;
}

static void tally(void *ctx, const struct pb_person *p)
{
	struct pb_report *r = ctx;
	struct cell *cl;

	if (p->rank < 3 || p->rank > 5)
		return;
	cl = cell_for(r, p->group, pb_people_mech(p->rank, p->mflags));
	cl->people++;
	if (p->mflags & PB_MF_VALUE)
		pb_qs_add(&cl->q, p->value, 1);
}

static void cost_tally(struct pb_report *r)
{
	struct cost *c = r->eng;

	if (c->tallied)
		return;
	c->tallied = 1;
	cell_for(r, pb_strmap_count(r->groups), 0);
	if (c->pp)
		pb_people_scan(c->pp, tally, r);
}

enum {
	K_MECH, K_AS_OF, K_PEOPLE, K_WITH, K_MEAN, K_MEDIAN, K_P90, K_N
};
static const struct pb_rcol cost_cols[K_N] = {
	{"delivery_mechanism", PB_RC_TEXT, -1, -1, 0},
	{"as_of", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"with_cost", PB_RC_COUNT, -1, -1, 0},
	{"mean_weekly", PB_RC_MONEY, K_WITH, -1, 0},
	{"median_weekly", PB_RC_MONEY, K_WITH, -1, 0},
	{"p90_weekly", PB_RC_MONEY, K_WITH, -1, 0},
};

static void cost_row(struct pb_report *r, size_t row, int mech,
		     const struct cell *cl, size_t nby)
{
	char date[PB_DATE_BUFSZ];
	const char *m = pb_code_name(&pb_codes_mech, mech);
	int b = (int)nby;
	int64_t v;

	pb_rtab_text(r->tab, row, b + K_MECH, m, strlen(m));
	pb_date_format(date, r->o.as_of);
	pb_rtab_text(r->tab, row, b + K_AS_OF, date, strlen(date));
	pb_rtab_set(r->tab, row, b + K_PEOPLE, cl->people);
	pb_rtab_set(r->tab, row, b + K_WITH, cl->q.n);
	if (pb_qs_mean(&cl->q, &v) == 0)
		pb_rtab_set(r->tab, row, b + K_MEAN, v);
	if (pb_qs_quantile(&cl->q, 1, 2, &v) == 0)
		pb_rtab_set(r->tab, row, b + K_MEDIAN, v);
	if (pb_qs_quantile(&cl->q, 9, 10, &v) == 0)
		pb_rtab_set(r->tab, row, b + K_P90, v);
}

static void cost_table(struct pb_report *r)
{
	size_t nby = pb_groupby_count(r->gb), ng, i, ncol, row;
	size_t *order;
	struct pb_rcol *cols;
	struct cell total[NMECH];
	char title[120], a[PB_DATE_BUFSZ];
	int m;

	cost_tally(r);
	cols = pb_report_columns(r, cost_cols, K_N, &ncol);
	r->tab = pb_rtab_new(cols, ncol, r->o.disclosure, r->o.target);
	free(cols);
	snprintf(title, sizeof title,
		 "Weekly cost of support by delivery mechanism on %s",
		 pb_date_format(a, r->o.as_of));
	pb_rtab_title(r->tab, title);
	memset(total, 0, sizeof total);
	for (m = 0; m < NMECH; m++)
		pb_qs_init(&total[m].q);
	ng = pb_strmap_count(r->groups);
	order = pb_groups_sorted(r->groups);
	for (i = 0; i < ng; i++)
		for (m = 0; m < NMECH; m++) {
			const struct cell *cl = cell_for(r, order[i], m);

			total[m].people += cl->people;
			pb_qs_merge(&total[m].q, &cl->q);
			if (cl->people == 0)
				continue;
			row = pb_rtab_row(r->tab, (uint32_t)m, 0);
			pb_report_group_cells(r, row, order[i], 0);
			cost_row(r, row, m, cl, nby);
		}
	for (m = 0; m < NMECH && r->o.total; m++) {
		if (total[m].people == 0)
			continue;
		row = pb_rtab_row(r->tab, (uint32_t)m, 1);
		pb_report_group_cells(r, row, 0, 1);
		cost_row(r, row, m, &total[m], nby);
	}
	for (m = 0; m < NMECH; m++)
		pb_qs_fini(&total[m].q);
	free(order);
}

static void cost_chart(struct pb_report *r, struct pb_chart *c)
{
	static char sub[120];
	char a[PB_DATE_BUFSZ];
	int nby = (int)pb_groupby_count(r->gb);

	c->kind = PB_CHART_BARS;
	if (c->nlabel < PB_CHART_MAX)
		c->label[c->nlabel++] = nby + K_MECH;
	c->value = nby + K_MEDIAN;
	c->axis = "median weekly cost (pounds)";
	snprintf(sub, sizeof sub, "as of %s; %s", pb_date_format(a, r->o.as_of),
		 r->o.disclosure == PB_DISC_NONE
			 ? "exact figures (internal use only)"
			 : "NHS disclosure rule");
	c->subtitle = sub;
}

static void cost_summary(struct pb_report *r, char *buf, size_t n)
{
	struct cost *c = r->eng;
	char date[PB_DATE_BUFSZ];
	size_t g, ng, persons;
	int64_t counted = 0, with = 0;
	int m;

	cost_tally(r);
	ng = pb_strmap_count(r->groups);
	for (g = 0; g < ng; g++)
		for (m = 0; m < NMECH; m++) {
			counted += cell_for(r, g, m)->people;
			with += cell_for(r, g, m)->q.n;
		}
	persons = c->pp ? pb_people_count(c->pp) : (size_t)r->cnt[C_UNIQUE];
	snprintf(buf, n,
		 "as of %s: rows: %ld read, %ld rejected, %lld active; "
		 "left out: %lld carers' rows, %lld rows under 18 or of unknown age; "
		 "people: %zu, %lld in community support, %lld of them with a weekly_cost",
		 pb_date_format(date, r->o.as_of), r->read, r->rejected,
		 r->cnt[C_ACTIVE], r->cnt[C_LEFT_CLIENT], r->cnt[C_LEFT_AGE],
		 persons, (long long)counted, (long long)with);
}

static void save_person(void *ctx, const struct pb_person *p)
{
	FILE *fp = ctx;

	fputs("p ", fp);
	pb_partial_fp(fp, p->key);
	fprintf(fp, " %d %ld %lu %d %lld\n", p->rank, (long)p->start,
		(unsigned long)p->group, p->mflags, (long long)p->value);
}

static void cost_save(struct pb_report *r, FILE *fp)
{
	struct cost *c = r->eng;
	size_t g, ng = pb_strmap_count(r->groups);
	int m;

	if (c->pp) {
		pb_people_scan(c->pp, save_person, fp);
		return;
	}
	for (g = 0; g < ng; g++)
		for (m = 0; m < NMECH; m++) {
			const struct cell *cl = cell_for(r, g, m);

			if (cl->people == 0)
				continue;
			fprintf(fp, "q %zu %d %lld", g, m, (long long)cl->people);
			pb_partial_sketch(fp, &cl->q);
			putc('\n', fp);
		}
}

static int cost_load(struct pb_report *r, struct pb_pline *l,
		     struct pb_error *e)
{
	struct cost *c = r->eng;
	int64_t v[5];
	uint32_t gid;
	struct pb_fp key;

	if (strcmp(l->tok[0], "p") == 0 && c->pp && l->ntok == 7) {
		if (pb_pline_fp(l, 1, &key, e) < 0 ||
		    pb_pline_int(l, 2, 1, 6, &v[0], e) < 0 ||
		    pb_pline_int(l, 3, INT32_MIN, INT32_MAX, &v[1], e) < 0 ||
		    pb_pline_group(l, 4, &gid, e) < 0 ||
		    pb_pline_int(l, 5, 0, 255, &v[2], e) < 0 ||
		    pb_pline_int(l, 6, 0, INT64_MAX, &v[3], e) < 0)
			return -PB_EUSAGE;
		pb_people_offer_fp(c->pp, key, (int)v[0], (int32_t)v[1], gid,
				   (int)v[2] & ~PB_MF_VALUE);
		if ((v[2] & PB_MF_VALUE) &&
		    pb_people_add_value(c->pp, key, v[3]) < 0)
			return pb_pline_fail(l, e, "costs add up to too much");
		return 0;
	}
	if (strcmp(l->tok[0], "q") == 0 && !c->pp && l->ntok >= 9) {
		struct cell *cl;

		if (pb_pline_group(l, 1, &gid, e) < 0 ||
		    pb_pline_int(l, 2, 0, NMECH - 1, &v[0], e) < 0 ||
		    pb_pline_int(l, 3, 0, INT64_MAX / 2, &v[1], e) < 0 ||
		    pb_pline_int(l, 4, 0, INT64_MAX, &v[2], e) < 0)
			return -PB_EUSAGE;
		/* Each person with a cost is one of the people; all the
		 * people kept where no sum of them can overflow. */
		if (v[2] > v[1])
			return pb_pline_fail(l, e, "more costs than people");
		if (v[1] > INT64_MAX / 4 - c->loaded)
			return pb_pline_fail(l, e, "counts add up to too much");
		c->loaded += v[1];
		cl = cell_for(r, gid, (int)v[0]);
		cl->people += v[1];
		return pb_pline_sketch(l, 4, &cl->q, e);
	}
	return pb_pline_fail(l, e, "not a line of a cost state");
}

const struct pb_report_ops pb_report_cost_ops = {
	PB_R_COST, PB_BY_NO_MECH, 0, cost_init, cost_fini, cost_bind,
	cost_add, cost_table, cost_chart, cost_summary, cost_save, cost_load
};
