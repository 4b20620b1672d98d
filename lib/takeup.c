/*
 * takeup.c - take-up of personal budgets and direct payments on a day
 * (ASCOF 1C parts 1A/2A, now 3D 1a/2a), per group: the reports takeup
 * (one day), trend (each period end) and mix (the four delivery
 * mechanisms and the notional share of personal budgets).
 *
 * Memory: the interned group keys and four counters per group and day,
 * plus one 32-byte slot per distinct person active on each day
 * (people.c), unless assume_unique is set.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

struct counts {
	int64_t dp, part, managed, comm;
};

struct snap {
	struct pb_people **pp;  /* per day; NULL with assume_unique */
	struct counts *cnt;     /* [gid * ndays + day] */
	size_t cntgroups;
	int tallied;
	int64_t *loaded;        /* merging counts: people on each day */
};

/* Summary counters (r->cnt). */
enum {
	C_ACTIVE,        /* rows active (on one of the days) */
	C_LEFT_CLIENT,   /* of those, carers' (or service users') rows */
	C_LEFT_AGE,      /* of those, under 18 or of unknown age */
	C_UNIQUE         /* assume_unique: rows counted on the last day */
};

static int snap_init(struct pb_report *r, struct pb_error *e)
{
	struct snap *s = pb_xcalloc(1, sizeof *s);
	size_t i;

	r->eng = s;
	if (r->o.kind == PB_R_TREND) {
		if (!r->o.has_from || !r->o.has_to)
			return pb_error_set(e, PB_EUSAGE,
					    "trend needs --from and --to");
		if (pb_period_ends(r->o.from, r->o.to, r->o.every, &r->days,
				   &r->ndays, e) < 0)
			return -PB_EUSAGE;
	} else {
		r->days = pb_xcalloc(1, sizeof *r->days);
		r->days[0] = r->o.as_of;
		r->ndays = 1;
	}
	if (!r->o.assume_unique) {
		s->pp = pb_xcalloc(r->ndays, sizeof *s->pp);
		for (i = 0; i < r->ndays; i++)
			s->pp[i] = pb_people_new(r->groups);
	}
	return 0;
}

static void snap_fini(struct pb_report *r)
{
	struct snap *s = r->eng;
	size_t i;

	if (s->pp)
		for (i = 0; i < r->ndays; i++)
			pb_people_free(s->pp[i]);
	free(s->pp);
	free(s->cnt);
	free(s->loaded);
	free(s);
}

static int snap_bind(struct pb_report *r, const struct pb_header *h,
		     int lenient, struct pb_error *e)
{
	return pb_report_bind_export(r, h, lenient, 1, 0, e);
}

static struct counts *counts_for(struct pb_report *r, size_t gid, size_t day)
{
	struct snap *s = r->eng;

	if (gid >= s->cntgroups) /* (per record: no call when it fits) */
		s->cnt = pb_grow_rows(s->cnt, &s->cntgroups, gid,
				      r->ndays * sizeof *s->cnt, NULL);
	return &s->cnt[gid * r->ndays + day];
}

static void count_mech(struct counts *c, int mech, int64_t k)
{
	switch (mech) {
	case PB_MECH_DP:
		c->dp += k;
		break;
	case PB_MECH_PART_DP:
		c->part += k;
		break;
	case PB_MECH_MANAGED:
		c->managed += k;
		break;
	case PB_MECH_COMMISSIONED:
		c->comm += k;
		break;
	}
}

static int snap_add(struct pb_report *r, const struct pb_record *rec,
		    struct pb_error *e)
{
	struct snap *s = r->eng;
	struct pb_export_row row;
	int keyed = 0, any = 0, by_age = pb_groupby_uses_age(r->gb);
	int rank, left_age = 0;
	size_t i;

	if (pb_export_parse(&r->x, rec, &row, e) < 0)
		return -PB_EDATA;
	rank = pb_hier_rank(row.setting, row.mech);
	for (i = 0; i < r->ndays; i++) {
		enum pb_age band;
		uint32_t gid;

		if (!pb_export_active(&row, r->days[i]))
			continue;
		band = pb_export_age(&row, r->days[i]);
		if (!keyed || by_age) {
			if (pb_groupby_key(r->gb, rec, &r->x, &row, band,
					   &r->key, e) < 0)
				return -PB_EDATA;
			keyed = 1;
		}
		if (!any) {
			any = 1;
			r->cnt[C_ACTIVE]++;
			if ((row.client == PB_CLIENT_CARER) != (r->o.carers != 0)) {
				r->cnt[C_LEFT_CLIENT]++;
				return 0;
			}
		}
		if (band < 0) {
			left_age = 1;
			continue;
		}
		gid = pb_report_group(r);
		if (r->o.assume_unique) {
			if (i + 1 == r->ndays)
				r->cnt[C_UNIQUE]++;
			if (rank >= 3 && rank <= 5)
				count_mech(counts_for(r, gid, i), row.mech, 1);
			else
				counts_for(r, gid, i);
			continue;
		}
		pb_people_offer(s->pp[i], row.la_code, row.la_len,
				row.person_id, row.person_len, rank, row.start,
				gid, pb_mech_flag(row.setting, row.mech));
	}
	r->cnt[C_LEFT_AGE] += left_age;
	return 0;
}

struct tally_ctx {
	struct pb_report *r;
	size_t day;
};

static void tally(void *ctx, int rank, uint32_t group, int mflags)
{
	struct tally_ctx *t = ctx;
	struct counts *c = counts_for(t->r, group, t->day);

	if (rank >= 3 && rank <= 5)
		count_mech(c, pb_people_mech(rank, mflags), 1);
}

/* Count each person once per day, by their winning row. */
static void snap_tally(struct pb_report *r)
{
	struct snap *s = r->eng;
	struct tally_ctx t;
	size_t i;

	if (s->tallied)
		return;
	s->tallied = 1;
	counts_for(r, pb_strmap_count(r->groups), 0);
	t.r = r;
	if (s->pp)
		for (i = 0; i < r->ndays; i++) {
			t.day = i;
			pb_people_each(s->pp[i], tally, &t);
		}
}

static int64_t people_of(const struct counts *c)
{
	return c->dp + c->part + c->managed + c->comm;
}

/* ---- the tables ------------------------------------------------------ */

/* takeup and trend (relative column indexes) */
enum {
	T_AS_OF, T_PEOPLE, T_PB, T_PB_PCT, T_DP, T_DP_PCT, T_MANAGED,
	T_MANAGED_PCT, T_TARGET, T_MEETS, T_N
};
static const struct pb_rcol takeup_cols[T_N] = {
	{"as_of", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"personal_budget", PB_RC_COUNT, -1, -1, 0},
	{"personal_budget_pct", PB_RC_PCT, T_PB, T_PEOPLE, 0},
	{"direct_payment", PB_RC_COUNT, -1, -1, 0},
	{"direct_payment_pct", PB_RC_PCT, T_DP, T_PEOPLE, 0},
	{"managed", PB_RC_COUNT, -1, -1, 0},
	{"managed_pct", PB_RC_PCT, T_MANAGED, T_PEOPLE, 0},
	{"target_pct", PB_RC_TARGET, -1, -1, 0},
	{"meets_target", PB_RC_MEETS, T_PB_PCT, -1, 0},
};

/* mix */
enum {
	M_AS_OF, M_PEOPLE, M_DP, M_DP_PCT, M_PART, M_PART_PCT, M_MANAGED,
	M_MANAGED_PCT, M_COMM, M_COMM_PCT, M_PB, M_PB_PCT, M_NOTIONAL,
	M_TARGET, M_MEETS, M_N
};
static const struct pb_rcol mix_cols[M_N] = {
	{"as_of", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"dp", PB_RC_COUNT, -1, -1, 0},
	{"dp_pct", PB_RC_PCT, M_DP, M_PEOPLE, 0},
	{"part_dp", PB_RC_COUNT, -1, -1, 0},
	{"part_dp_pct", PB_RC_PCT, M_PART, M_PEOPLE, 0},
	{"managed", PB_RC_COUNT, -1, -1, 0},
	{"managed_pct", PB_RC_PCT, M_MANAGED, M_PEOPLE, 0},
	{"commissioned", PB_RC_COUNT, -1, -1, 0},
	{"commissioned_pct", PB_RC_PCT, M_COMM, M_PEOPLE, 0},
	{"personal_budget", PB_RC_COUNT, -1, -1, 0},
	{"personal_budget_pct", PB_RC_PCT, M_PB, M_PEOPLE, 0},
	{"notional_pct", PB_RC_PCT, M_MANAGED, M_PB, 0},
	{"target_pct", PB_RC_TARGET, -1, -1, 0},
	{"meets_target", PB_RC_MEETS, M_PB_PCT, -1, 0},
};

static void row_figures(struct pb_report *r, size_t row, size_t day,
			const struct counts *c, size_t nby)
{
	char date[PB_DATE_BUFSZ];
	int b = (int)nby;

	pb_date_format(date, r->days[day]);
	pb_rtab_text(r->tab, row, b + T_AS_OF, date, strlen(date));
	if (r->o.kind == PB_R_MIX) {
		pb_rtab_set(r->tab, row, b + M_PEOPLE, people_of(c));
		pb_rtab_set(r->tab, row, b + M_DP, c->dp);
		pb_rtab_set(r->tab, row, b + M_PART, c->part);
		pb_rtab_set(r->tab, row, b + M_MANAGED, c->managed);
		pb_rtab_set(r->tab, row, b + M_COMM, c->comm);
		pb_rtab_set(r->tab, row, b + M_PB, c->dp + c->part + c->managed);
		return;
	}
	pb_rtab_set(r->tab, row, b + T_PEOPLE, people_of(c));
	pb_rtab_set(r->tab, row, b + T_PB, c->dp + c->part + c->managed);
	pb_rtab_set(r->tab, row, b + T_DP, c->dp + c->part);
	pb_rtab_set(r->tab, row, b + T_MANAGED, c->managed);
}

static void snap_table(struct pb_report *r)
{
	size_t nby = pb_groupby_count(r->gb), ng, i, d, ncol, row, nfig;
	size_t *order;
	struct counts *total;
	struct pb_rcol *cols;
	char title[160], a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];
	int mix = r->o.kind == PB_R_MIX;

	snap_tally(r);
	nfig = mix ? M_N : T_N;
	if (!r->o.has_target)
		nfig -= 2;
	cols = pb_report_columns(r, mix ? mix_cols : takeup_cols, nfig, &ncol);
	r->tab = pb_rtab_new(cols, ncol, r->o.disclosure, r->o.target);
	free(cols);
	if (mix) {
		int all[4] = {M_DP, M_PART, M_MANAGED, M_COMM}, k;

		for (k = 0; k < 4; k++)
			all[k] += (int)nby;
		pb_rtab_sum(r->tab, (int)nby + M_PEOPLE, all, 4);
		pb_rtab_sum(r->tab, (int)nby + M_PB, all, 3);
	} else {
		int parts[2] = {(int)nby + T_DP, (int)nby + T_MANAGED};

		pb_rtab_sum(r->tab, (int)nby + T_PB, parts, 2);
	}
	if (r->o.kind == PB_R_TREND)
		snprintf(title, sizeof title,
			 "Take-up of personal budgets and direct payments, %s ends from %s to %s",
			 pb_every_name(r->o.every), pb_date_format(a, r->days[0]),
			 pb_date_format(b, r->days[r->ndays - 1]));
	else if (mix)
		snprintf(title, sizeof title,
			 "Delivery mechanisms of people in community support on %s",
			 pb_date_format(a, r->days[0]));
	else
		snprintf(title, sizeof title,
			 "Take-up of personal budgets and direct payments on %s",
			 pb_date_format(a, r->days[0]));
	pb_rtab_title(r->tab, title);

	total = pb_xcalloc(r->ndays, sizeof *total);
	ng = pb_strmap_count(r->groups);
	order = pb_groups_sorted(r->groups);
	for (i = 0; i < ng; i++) {
		size_t g = order[i];
		int64_t anyone = 0;

		for (d = 0; d < r->ndays; d++) {
			const struct counts *c = counts_for(r, g, d);

			total[d].dp += c->dp;
			total[d].part += c->part;
			total[d].managed += c->managed;
			total[d].comm += c->comm;
			anyone += people_of(c);
		}
		/* Groups with nobody in community support are not listed. */
		if (anyone == 0)
			continue;
		for (d = 0; d < r->ndays; d++) {
			row = pb_rtab_row(r->tab, (uint32_t)d, 0);
			pb_report_group_cells(r, row, g, 0);
			row_figures(r, row, d, counts_for(r, g, d), nby);
		}
	}
	if (r->o.total)
		for (d = 0; d < r->ndays; d++) {
			row = pb_rtab_row(r->tab, (uint32_t)d, 1);
			pb_report_group_cells(r, row, 0, 1);
			row_figures(r, row, d, &total[d], nby);
		}
	free(order);
	free(total);
}

static void snap_chart(struct pb_report *r, struct pb_chart *c)
{
	int nby = (int)pb_groupby_count(r->gb);
	static char sub[120];
	char a[PB_DATE_BUFSZ];

	if (r->o.kind == PB_R_MIX) {
		c->kind = PB_CHART_STACK;
		c->stack[0] = nby + M_DP_PCT;
		c->stack[1] = nby + M_PART_PCT;
		c->stack[2] = nby + M_MANAGED_PCT;
		c->stack[3] = nby + M_COMM_PCT;
		c->nstack = 4;
		c->axis = "share of people in community support (%)";
	} else if (r->o.kind == PB_R_TREND) {
		c->kind = PB_CHART_LINES;
		c->x = nby + T_AS_OF;
		c->value = nby + T_PB_PCT;
		c->axis = "people with a personal budget (%)";
	} else {
		c->kind = PB_CHART_BARS;
		c->value = nby + T_PB_PCT;
		c->axis = "people with a personal budget (%)";
	}
	if (r->o.kind != PB_R_TREND) {
		snprintf(sub, sizeof sub, "as of %s; %s",
			 pb_date_format(a, r->days[0]),
			 r->o.disclosure == PB_DISC_NONE
				 ? "exact figures (internal use only)"
				 : "NHS disclosure rule");
	} else {
		snprintf(sub, sizeof sub, "%s",
			 r->o.disclosure == PB_DISC_NONE
				 ? "exact figures (internal use only)"
				 : "NHS disclosure rule");
	}
	c->subtitle = sub;
}

static void snap_summary(struct pb_report *r, char *buf, size_t n)
{
	struct snap *s = r->eng;
	char date[PB_DATE_BUFSZ], from[PB_DATE_BUFSZ];
	size_t last = r->ndays - 1, persons, g, ng;
	int64_t counted = 0;

	snap_tally(r);
	ng = pb_strmap_count(r->groups);
	for (g = 0; g < ng; g++)
		counted += people_of(counts_for(r, g, last));
	persons = s->pp ? pb_people_count(s->pp[last])
			: (size_t)r->cnt[C_UNIQUE];
	if (r->o.kind == PB_R_TREND) {
		snprintf(buf, n,
			 "%zu %s ends from %s to %s: rows: %ld read, %ld rejected, "
			 "%lld active on one of them; left out: %lld %s rows, "
			 "%lld rows under 18 or of unknown age; on %s: people: %zu, "
			 "%lld in community support",
			 r->ndays, pb_every_name(r->o.every),
			 pb_date_format(from, r->days[0]),
			 pb_date_format(date, r->days[last]), r->read, r->rejected,
			 r->cnt[C_ACTIVE], r->cnt[C_LEFT_CLIENT],
			 r->o.carers ? "service users'" : "carers'",
			 r->cnt[C_LEFT_AGE], date, persons, (long long)counted);
		return;
	}
	snprintf(buf, n,
		 "as of %s: rows: %ld read, %ld rejected, %lld active; "
		 "left out: %lld %s rows, %lld rows under 18 or of unknown age; "
		 "people: %zu, %lld in community support",
		 pb_date_format(date, r->days[0]), r->read, r->rejected,
		 r->cnt[C_ACTIVE], r->cnt[C_LEFT_CLIENT],
		 r->o.carers ? "service users'" : "carers'", r->cnt[C_LEFT_AGE],
		 persons, (long long)counted);
}

/* ---- partial states ------------------------------------------------- */

struct save_ctx {
	FILE *fp;
	size_t day;
};

static void save_person(void *ctx, const struct pb_person *p)
{
	struct save_ctx *sc = ctx;

	fprintf(sc->fp, "p %zu ", sc->day);
	pb_partial_fp(sc->fp, p->key);
	fprintf(sc->fp, " %d %ld %lu %d\n", p->rank, (long)p->start,
		(unsigned long)p->group, p->mflags);
}

static void snap_save(struct pb_report *r, FILE *fp)
{
	struct snap *s = r->eng;
	struct save_ctx sc;
	size_t g, d;

	sc.fp = fp;
	if (s->pp) {
		for (d = 0; d < r->ndays; d++) {
			sc.day = d;
			pb_people_scan(s->pp[d], save_person, &sc);
		}
		return;
	}
	for (g = 0; g < s->cntgroups && g < pb_strmap_count(r->groups); g++)
		for (d = 0; d < r->ndays; d++) {
			const struct counts *c = counts_for(r, g, d);

			fprintf(fp, "c %zu %zu %lld %lld %lld %lld\n", d, g,
				(long long)c->dp, (long long)c->part,
				(long long)c->managed, (long long)c->comm);
		}
}

static int snap_load(struct pb_report *r, struct pb_pline *l,
		     struct pb_error *e)
{
	struct snap *s = r->eng;
	int64_t day, v[6];
	uint32_t gid;
	struct pb_fp key;
	size_t i;

	if (l->ntok < 1)
		return pb_pline_fail(l, e, "empty line");
	if (pb_pline_int(l, 1, 0, (int64_t)r->ndays - 1, &day, e) < 0)
		return -PB_EUSAGE;
	if (strcmp(l->tok[0], "p") == 0 && s->pp && l->ntok == 7) {
		if (pb_pline_fp(l, 2, &key, e) < 0 ||
		    pb_pline_int(l, 3, 1, 6, &v[0], e) < 0 ||
		    pb_pline_int(l, 4, INT32_MIN, INT32_MAX, &v[1], e) < 0 ||
		    pb_pline_group(l, 5, &gid, e) < 0 ||
		    pb_pline_int(l, 6, 0, 255, &v[2], e) < 0)
			return -PB_EUSAGE;
		pb_people_offer_fp(s->pp[day], key, (int)v[0], (int32_t)v[1],
				   gid, (int)v[2]);
		return 0;
	}
	if (strcmp(l->tok[0], "c") == 0 && !s->pp && l->ntok == 7) {
		struct counts *c;

		if (pb_pline_group(l, 2, &gid, e) < 0)
			return -PB_EUSAGE;
		for (i = 0; i < 4; i++)
			if (pb_pline_int(l, 3 + i, 0, INT64_MAX / 4, &v[i], e) < 0)
				return -PB_EUSAGE;
		/* The people of a day, in all groups, kept where no sum
		 * of the counts can overflow. */
		if (!s->loaded)
			s->loaded = pb_xcalloc(r->ndays, sizeof *s->loaded);
		v[4] = v[0] + v[1] + v[2] + v[3];
		if (v[4] > INT64_MAX / 4 - s->loaded[day])
			return pb_pline_fail(l, e, "counts add up to too much");
		s->loaded[day] += v[4];
		c = counts_for(r, gid, (size_t)day);
		c->dp += v[0];
		c->part += v[1];
		c->managed += v[2];
		c->comm += v[3];
		return 0;
	}
	return pb_pline_fail(l, e, "not a line of a takeup state");
}

const struct pb_report_ops pb_report_takeup_ops = {
	PB_R_TAKEUP, PB_BY_NO_MECH, 0, snap_init, snap_fini, snap_bind,
	snap_add, snap_table, snap_chart, snap_summary, snap_save, snap_load
};
const struct pb_report_ops pb_report_trend_ops = {
	PB_R_TREND, PB_BY_NO_MECH, 0, snap_init, snap_fini, snap_bind,
	snap_add, snap_table, snap_chart, snap_summary, snap_save, snap_load
};
const struct pb_report_ops pb_report_mix_ops = {
	PB_R_MIX, PB_BY_NO_MECH, 0, snap_init, snap_fini, snap_bind,
	snap_add, snap_table, snap_chart, snap_summary, snap_save, snap_load
};
