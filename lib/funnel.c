/*
 * funnel.c - from referral to first payment, and from the offer of a
 * direct payment to taking one up: how many people reached each step,
 * how long it took, and the conversion from the step before
 * (pb-report funnel).
 *
 * A journey is a person's referral: the rows with the same la_code,
 * person_id and referral_date, whose stage dates are the earliest each
 * row gives (rows of one episode repeat them; a change of mechanism
 * adds a row).  Rows without a referral_date are not in the funnel.
 * A journey's group is its rows' group that sorts first.
 *
 * Memory: 48 bytes per journey; per group and step a quantile sketch of
 * the days, built at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

enum stage {
	S_REFERRAL, S_ASSESSMENT, S_PLAN, S_PAYMENT, S_OFFERED, S_NSTAGE
};
/* The columns of each stage (enum pb_xopt). */
static const int stage_col[S_NSTAGE] = {
	PB_XO_REFERRAL, PB_XO_ASSESSMENT, PB_XO_PLAN, PB_XO_FIRST_PAYMENT,
	PB_XO_DP_OFFERED
};

/* The steps of the table: what is reached, and from which step. */
enum step {
	T_REFERRAL, T_ASSESSMENT, T_PLAN, T_PAYMENT, T_OFFERED, T_TAKEN,
	T_NSTEP
};
static const char *const step_name[T_NSTEP] = {
	"referral", "assessment", "plan_approved", "first_payment",
	"dp_offered", "dp_taken_up"
};
static const int step_from[T_NSTEP] = {
	-1, T_REFERRAL, T_ASSESSMENT, T_PLAN, T_ASSESSMENT, T_OFFERED
};

#define NONE INT32_MAX
#define J_DP 1       /* a row of the journey has a direct payment */

struct journey {
	struct pb_fp key;
	int32_t date[S_NSTAGE];
	uint32_t group;
	uint8_t flags;
};

struct stepcell {
	int64_t people;
	struct pb_qsketch q;
};

struct funnel {
	struct pb_fptab j;        /* struct journey */
	struct stepcell *cell;   /* [gid * T_NSTEP + step] */
	size_t ngroups;
	int tallied;
	long long out_of_order;  /* steps dated before the step before */
};

enum {
	C_NO_REFERRAL, C_OUTSIDE, C_LEFT_CLIENT, C_LEFT_AGE
};

static int funnel_init(struct pb_report *r, struct pb_error *e)
{
	struct funnel *f = pb_xcalloc(1, sizeof *f);

	(void)e;
	r->eng = f;
	pb_fptab_init(&f->j, sizeof(struct journey));
	return 0;
}

static void funnel_fini(struct pb_report *r)
{
	struct funnel *f = r->eng;
	size_t i;

	for (i = 0; i < f->ngroups * T_NSTEP; i++)
		pb_qs_fini(&f->cell[i].q);
	free(f->cell);
	pb_fptab_fini(&f->j);
	free(f);
}

static int funnel_bind(struct pb_report *r, const struct pb_header *h,
		       int lenient, struct pb_error *e)
{
	int want = 1 << PB_XO_REFERRAL | 1 << PB_XO_DP_OFFERED |
		   1 << PB_XO_ASSESSMENT | 1 << PB_XO_PLAN |
		   1 << PB_XO_FIRST_PAYMENT;

	if (pb_report_bind_export(r, h, lenient, 1, want, e) < 0)
		return -PB_EUSAGE;
	if (!lenient && r->xcol[PB_XO_REFERRAL] < 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no referral_date column: funnel needs one");
	return 0;
}

/* Offer a journey's dates: the earliest of each stage, flags or'ed,
 * the group that sorts first.  Independent of order. */
static void offer(struct pb_report *r, struct pb_fp key,
		  const int32_t *date, uint32_t group, int flags)
{
	struct funnel *f = r->eng;
	int added, s;
	struct journey *j = pb_fptab_get(&f->j, key, &added);

	if (added) {
		memcpy(j->date, date, sizeof j->date);
		j->group = group;
		j->flags = (uint8_t)flags;
		return;
	}
	for (s = 0; s < S_NSTAGE; s++)
		if (date[s] < j->date[s])
			j->date[s] = date[s];
	j->flags |= (uint8_t)flags;
	if (group != j->group && pb_group_cmp(r->groups, group, j->group) < 0)
		j->group = group;
}

/* "column 'X': dated before the step it follows (Y) 'value'". */
static int out_of_order(struct pb_report *r, const struct pb_record *rec,
			int later, int earlier, struct pb_error *e)
{
	char q[80];
	size_t n;
	const char *s = pb_rec_get(rec, r->xcol[later], &n);

	pb_error_set(e, PB_EDATA, "dated before the step it follows (%s) '%s'",
		     pb_export_opt_spec[earlier].name,
		     pb_quote(q, sizeof q, s, n));
	return pb_field_blame(rec, r->xcol[later], e);
}

static int funnel_add(struct pb_report *r, const struct pb_record *rec,
		      struct pb_error *e)
{
	/* stage pairs that must not go backwards: later, earlier */
	static const int order[][2] = {
		{S_ASSESSMENT, S_REFERRAL}, {S_PLAN, S_ASSESSMENT},
		{S_PAYMENT, S_PLAN}, {S_OFFERED, S_ASSESSMENT},
	};
	struct pb_export_row row;
	int32_t date[S_NSTAGE];
	enum pb_age band;
	char iso[PB_DATE_BUFSZ];
	size_t i;
	int s;

	if (pb_export_parse(&r->x, rec, &row, e) < 0)
		return -PB_EDATA;
	for (s = 0; s < S_NSTAGE; s++) {
		date[s] = NONE;
		if (pb_field_date(rec, r->xcol[stage_col[s]], &date[s], e) < 0)
			return -PB_EDATA;
	}
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		int a = order[i][0], b = order[i][1];

		if (date[a] != NONE && date[b] != NONE && date[a] < date[b])
			return out_of_order(r, rec, stage_col[a], stage_col[b], e);
	}
	if (date[S_REFERRAL] == NONE) {
		r->cnt[C_NO_REFERRAL]++;
		return 0;
	}
	if ((r->o.has_from && date[S_REFERRAL] < r->o.from) ||
	    (r->o.has_to && date[S_REFERRAL] > r->o.to)) {
		r->cnt[C_OUTSIDE]++;
		return 0;
	}
	band = pb_export_age(&row, date[S_REFERRAL]);
	if (pb_groupby_key(r->gb, rec, &r->x, &row, band, &r->key, e) < 0)
		return -PB_EDATA;
	if (row.client == PB_CLIENT_CARER) {
		r->cnt[C_LEFT_CLIENT]++;
		return 0;
	}
	if (band < 0) {
		r->cnt[C_LEFT_AGE]++;
		return 0;
	}
	pb_date_format(iso, date[S_REFERRAL]);
	offer(r, pb_person_key3(row.la_code, row.la_len, row.person_id,
				row.person_len, iso, strlen(iso)),
	      date, pb_report_group(r),
	      row.mech == PB_MECH_DP || row.mech == PB_MECH_PART_DP ? J_DP : 0);
	return 0;
}

static struct stepcell *cell_for(struct pb_report *r, size_t gid, int step)
{
	struct funnel *f = r->eng;

	if (gid >= f->ngroups) {
		size_t from, i;

		f->cell = pb_grow_rows(f->cell, &f->ngroups, gid,
				       T_NSTEP * sizeof *f->cell, &from);
		for (i = from * T_NSTEP; i < f->ngroups * T_NSTEP; i++)
			pb_qs_init(&f->cell[i].q);
	}
	return &f->cell[gid * T_NSTEP + (size_t)step];
}

/* A step reached: count it, and its days from the step before when
 * both dates are known (and in order). */
static void reach(struct pb_report *r, uint32_t g, int step, int32_t from,
		  int32_t to)
{
	struct stepcell *c = cell_for(r, g, step);

	c->people++;
	if (from == NONE || to == NONE)
		return;
	if (to < from) {
		((struct funnel *)r->eng)->out_of_order++;
		return;
	}
	pb_qs_add(&c->q, (int64_t)to - from, 1);
}

static void funnel_tally(struct pb_report *r)
{
	struct funnel *f = r->eng;
	const struct journey *j;
	size_t i = 0;

	if (f->tallied)
		return;
	f->tallied = 1;
	cell_for(r, pb_strmap_count(r->groups), 0);
	while ((j = pb_fptab_next(&f->j, &i))) {
		const int32_t *d = j->date;
		/* A later step implies the earlier ones (someone paid had a
		 * plan and was assessed, even when the export lost a date),
		 * so no step has more people than the one before it. */
		int paid = d[S_PAYMENT] != NONE;
		int planned = paid || d[S_PLAN] != NONE;
		int assessed = planned || d[S_OFFERED] != NONE ||
			       d[S_ASSESSMENT] != NONE;

		reach(r, j->group, T_REFERRAL, NONE, NONE);
		if (assessed)
			reach(r, j->group, T_ASSESSMENT, d[S_REFERRAL],
			      d[S_ASSESSMENT]);
		if (planned)
			reach(r, j->group, T_PLAN, d[S_ASSESSMENT], d[S_PLAN]);
		if (paid)
			reach(r, j->group, T_PAYMENT, d[S_PLAN], d[S_PAYMENT]);
		if (d[S_OFFERED] != NONE) {
			reach(r, j->group, T_OFFERED, d[S_ASSESSMENT],
			      d[S_OFFERED]);
			if (j->flags & J_DP)
				reach(r, j->group, T_TAKEN, d[S_OFFERED],
				      d[S_PAYMENT]);
		}
	}
}

enum {
	K_STEP, K_FROM, K_FROM_PEOPLE, K_PEOPLE, K_PCT, K_TIMED, K_MEDIAN,
	K_P90, K_N
};
static const struct pb_rcol funnel_cols[K_N] = {
	{"step", PB_RC_TEXT, -1, -1, 0},
	{"from_step", PB_RC_TEXT, -1, -1, 0},
	{"from_people", PB_RC_COUNT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"conversion_pct", PB_RC_PCT, K_PEOPLE, K_FROM_PEOPLE, 0},
	{"timed", PB_RC_COUNT, -1, -1, PB_RC_HIDDEN},
	{"median_days", PB_RC_NUM, K_TIMED, -1, 0},
	{"p90_days", PB_RC_NUM, K_TIMED, -1, 0},
};

static void step_row(struct pb_report *r, size_t row, int step,
		     const struct stepcell *cells, size_t nby)
{
	const struct stepcell *c = &cells[step];
	int b = (int)nby, from = step_from[step];
	int64_t v;

	pb_rtab_text(r->tab, row, b + K_STEP, step_name[step],
		     strlen(step_name[step]));
	if (from >= 0) {
		pb_rtab_text(r->tab, row, b + K_FROM, step_name[from],
			     strlen(step_name[from]));
		pb_rtab_set(r->tab, row, b + K_FROM_PEOPLE, cells[from].people);
		pb_rtab_set(r->tab, row, b + K_TIMED, c->q.n);
		if (pb_qs_quantile(&c->q, 1, 2, &v) == 0)
			pb_rtab_set(r->tab, row, b + K_MEDIAN, v);
		if (pb_qs_quantile(&c->q, 9, 10, &v) == 0)
			pb_rtab_set(r->tab, row, b + K_P90, v);
	}
	pb_rtab_set(r->tab, row, b + K_PEOPLE, c->people);
}

static void funnel_table(struct pb_report *r)
{
	size_t nby = pb_groupby_count(r->gb), ng, i, ncol, row, first;
	size_t *order;
	struct pb_rcol *cols;
	struct stepcell total[T_NSTEP];
	char title[160], a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];
	int s;

	funnel_tally(r);
	cols = pb_report_columns(r, funnel_cols, K_N, &ncol);
	r->tab = pb_rtab_new(cols, ncol, r->o.disclosure, r->o.target);
	free(cols);
	if (r->o.has_from || r->o.has_to)
		snprintf(title, sizeof title,
			 "From referral to first payment: people referred from %s to %s",
			 r->o.has_from ? pb_date_format(a, r->o.from) : "the start",
			 r->o.has_to ? pb_date_format(b, r->o.to) : "the end");
	else
		snprintf(title, sizeof title,
			 "From referral to first payment, and from the offer of a direct payment to taking it up");
	pb_rtab_title(r->tab, title);
	memset(total, 0, sizeof total);
	for (s = 0; s < T_NSTEP; s++)
		pb_qs_init(&total[s].q);
	ng = pb_strmap_count(r->groups);
	order = pb_groups_sorted(r->groups);
	for (i = 0; i < ng; i++) {
		const struct stepcell *cells = cell_for(r, order[i], 0);

		for (s = 0; s < T_NSTEP; s++) {
			total[s].people += cells[s].people;
			pb_qs_merge(&total[s].q, &cells[s].q);
		}
		if (cells[T_REFERRAL].people == 0)
			continue;
		first = pb_rtab_nrow(r->tab);
		for (s = 0; s < T_NSTEP; s++) {
			row = pb_rtab_row(r->tab, (uint32_t)s, 0);
			pb_report_group_cells(r, row, order[i], 0);
			step_row(r, row, s, cells, nby);
			if (step_from[s] >= 0)
				pb_rtab_same(r->tab, row, (int)nby + K_FROM_PEOPLE,
					     first + (size_t)step_from[s],
					     (int)nby + K_PEOPLE);
		}
	}
	if (r->o.total && total[T_REFERRAL].people) {
		first = pb_rtab_nrow(r->tab);
		for (s = 0; s < T_NSTEP; s++) {
			row = pb_rtab_row(r->tab, (uint32_t)s, 1);
			pb_report_group_cells(r, row, 0, 1);
			step_row(r, row, s, total, nby);
			if (step_from[s] >= 0)
				pb_rtab_same(r->tab, row, (int)nby + K_FROM_PEOPLE,
					     first + (size_t)step_from[s],
					     (int)nby + K_PEOPLE);
		}
	}
	for (s = 0; s < T_NSTEP; s++)
		pb_qs_fini(&total[s].q);
	free(order);
}

static void funnel_chart(struct pb_report *r, struct pb_chart *c)
{
	static char sub[120];
	int nby = (int)pb_groupby_count(r->gb);

	c->kind = PB_CHART_BARS;
	if (c->nlabel < PB_CHART_MAX)
		c->label[c->nlabel++] = nby + K_STEP;
	c->value = nby + K_PCT;
	c->axis = "reached the step, % of those at the step before";
	snprintf(sub, sizeof sub, "%s",
		 r->o.disclosure == PB_DISC_NONE
			 ? "exact figures (internal use only)"
			 : "NHS disclosure rule");
	c->subtitle = sub;
}

static void funnel_summary(struct pb_report *r, char *buf, size_t n)
{
	struct funnel *f = r->eng;

	funnel_tally(r);
	snprintf(buf, n,
		 "rows: %ld read, %ld rejected; referrals: %zu; left out: "
		 "%lld rows with no referral_date, %lld referred outside the "
		 "period, %lld carers' rows, %lld rows under 18 or of unknown "
		 "age at referral; %lld steps dated before the one they follow "
		 "(not timed)",
		 r->read, r->rejected, f->j.count, r->cnt[C_NO_REFERRAL],
		 r->cnt[C_OUTSIDE], r->cnt[C_LEFT_CLIENT], r->cnt[C_LEFT_AGE],
		 f->out_of_order);
}

static void funnel_save(struct pb_report *r, FILE *fp)
{
	struct funnel *f = r->eng;
	void **order = pb_fptab_sorted(&f->j);
	size_t i;
	int s;

	for (i = 0; i < f->j.count; i++) {
		const struct journey *j = order[i];

		fputs("j ", fp);
		pb_partial_fp(fp, j->key);
		fprintf(fp, " %lu %d", (unsigned long)j->group, j->flags);
		for (s = 0; s < S_NSTAGE; s++) {
			char date[PB_DATE_BUFSZ];

			fprintf(fp, " %s", j->date[s] == NONE
						   ? "-"
						   : pb_date_format(date, j->date[s]));
		}
		putc('\n', fp);
	}
	free(order);
}

static int funnel_load(struct pb_report *r, struct pb_pline *l,
		       struct pb_error *e)
{
	struct pb_fp key;
	uint32_t gid;
	int64_t flags;
	int32_t date[S_NSTAGE];
	int s;

	if (strcmp(l->tok[0], "j") != 0 || l->ntok != 4 + S_NSTAGE)
		return pb_pline_fail(l, e, "not a line of a funnel state");
	if (pb_pline_fp(l, 1, &key, e) < 0 ||
	    pb_pline_group(l, 2, &gid, e) < 0 ||
	    pb_pline_int(l, 3, 0, 255, &flags, e) < 0)
		return -PB_EUSAGE;
	for (s = 0; s < S_NSTAGE; s++)
		if (pb_pline_day(l, 4 + (size_t)s, &date[s], e) < 0)
			return -PB_EUSAGE;
	offer(r, key, date, gid, (int)flags);
	return 0;
}

const struct pb_report_ops pb_report_funnel_ops = {
	PB_R_FUNNEL, 0, 0, funnel_init, funnel_fini, funnel_bind, funnel_add,
	funnel_table, funnel_chart, funnel_summary, funnel_save, funnel_load
};
