/*
 * outcomes.c - how the outcomes of support plans are going, from reviews
 * (CONTRACTS.md §10), grouped by the person's columns in a --people
 * export (pb-report outcomes).
 *
 * An outcome is a person's outcome_id.  Its reviews are its review
 * dates; a review's rating is the person's own (rated_by person) when
 * given, else the practitioner's.  Per outcome only the two latest
 * review dates are kept, with each rater's rating (two ratings of one
 * rater on one date: the lower is kept, and the summary counts them), so
 * the result never depends on the order of the input.
 *
 * Memory: the --people map (32 bytes a person), 40 bytes per outcome
 * and 32 per person reviewed.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define NONE INT32_MAX

enum rcol {
	R_PERSON, R_LA, R_OUTCOME, R_DATE, R_RATER, R_RATING, R_N
};
static const struct pb_colspec review_spec[R_N] = {
	[R_PERSON] = {"person_id", PB_COL_REQUIRED},
	[R_LA] = {"la_code", PB_COL_OPTIONAL},
	[R_OUTCOME] = {"outcome_id", PB_COL_REQUIRED},
	[R_DATE] = {"review_date", PB_COL_REQUIRED},
	[R_RATER] = {"rated_by", PB_COL_REQUIRED},
	[R_RATING] = {"rating", PB_COL_REQUIRED},
};

/* rated_by: the person themself, or a practitioner. */
enum { RATER_PERSON, RATER_PRACTITIONER };
static const char *const rater_codes[] = {"person", "practitioner"};
static const struct pb_label rater_labels[] = {
	{"self", RATER_PERSON}, {"service user", RATER_PERSON},
};
static const struct pb_codeset raters = {
	"rater", rater_codes, 2, rater_labels, 2
};

struct slot {
	int32_t date;
	int8_t p, q;        /* the person's and the practitioner's, -1 none */
};

struct oentry {
	struct pb_fp key;     /* the person and outcome */
	struct slot last, prev;
	uint32_t group;
};

struct counts {
	int64_t outcomes, achieved, compared, improved, both, agreed, people;
};

struct outcomes {
	int idx[R_N];
	struct pb_fptab o;    /* struct oentry */
	struct pb_people *seen;   /* people reviewed, with their group */
	struct counts *cnt;
	size_t ngroups;
	int tallied;
	long long conflicts;
};

enum { C_OUTSIDE };

static int outcomes_init(struct pb_report *r, struct pb_error *e)
{
	struct outcomes *oc = pb_xcalloc(1, sizeof *oc);
	size_t i;

	(void)e;
	r->eng = oc;
	pb_fptab_init(&oc->o, sizeof(struct oentry));
	oc->seen = pb_people_new(r->groups);
	for (i = 0; i < R_N; i++)
		oc->idx[i] = -1;
	return 0;
}

static void outcomes_fini(struct pb_report *r)
{
	struct outcomes *oc = r->eng;

	pb_fptab_fini(&oc->o);
	free(oc->cnt);
	pb_people_free(oc->seen);
	free(oc);
}

static int outcomes_bind(struct pb_report *r, const struct pb_header *h,
			 int lenient, struct pb_error *e)
{
	struct outcomes *oc = r->eng;

	if (pb_bind(h, r->o.map, review_spec, R_N, oc->idx, lenient, e) < 0)
		return -PB_EUSAGE;
	r->input_has_la = oc->idx[R_LA] >= 0;
	if (!r->input_has_la && r->councils > 1)
		return pb_error_set(e, PB_EUSAGE,
			"no la_code column: the people export holds more than one council");
	return 0;
}

/* One rater's ratings on the same date: the lower is kept. */
static void combine(struct outcomes *oc, int8_t *have, int8_t v)
{
	if (v < 0)
		return;
	if (*have >= 0 && *have != v)
		oc->conflicts++;
	if (*have < 0 || v < *have)
		*have = v;
}

/* A review date with its ratings: the two latest dates are kept. */
static void insert(struct outcomes *oc, struct oentry *o, struct slot s)
{
	if (s.date == NONE)
		return;
	if (o->last.date == NONE || s.date > o->last.date) {
		if (o->last.date != NONE)
			o->prev = o->last;
		o->last = s;
	} else if (s.date == o->last.date) {
		combine(oc, &o->last.p, s.p);
		combine(oc, &o->last.q, s.q);
	} else if (o->prev.date == NONE || s.date > o->prev.date) {
		o->prev = s;
	} else if (s.date == o->prev.date) {
		combine(oc, &o->prev.p, s.p);
		combine(oc, &o->prev.q, s.q);
	}
}

static struct oentry *entry(struct pb_report *r, struct pb_fp key,
			    uint32_t group)
{
	struct outcomes *oc = r->eng;
	int added;
	struct oentry *o = pb_fptab_get(&oc->o, key, &added);

	if (added) {
		o->group = group;
		o->last.date = o->prev.date = NONE;
		o->last.p = o->last.q = o->prev.p = o->prev.q = -1;
	}
	return o;
}

static int outcomes_add(struct pb_report *r, const struct pb_record *rec,
			struct pb_error *e)
{
	struct outcomes *oc = r->eng;
	const int *idx = oc->idx;
	const char *pid, *la, *oid, *rater;
	size_t pidlen, lalen, oidlen, raterlen;
	int32_t date;
	int64_t rating;
	struct slot s;
	struct pb_fp pkey;
	long g;
	char q[80];

	if (pb_field_req(rec, idx[R_PERSON], "person_id", e) < 0 ||
	    pb_field_req(rec, idx[R_OUTCOME], "outcome_id", e) < 0 ||
	    pb_field_req(rec, idx[R_DATE], "review_date", e) < 0 ||
	    pb_field_date(rec, idx[R_DATE], &date, e) < 0 ||
	    pb_field_req(rec, idx[R_RATER], "rated_by", e) < 0 ||
	    pb_field_req(rec, idx[R_RATING], "rating", e) < 0 ||
	    pb_field_int(rec, idx[R_RATING], 0, 4, &rating, e) < 0)
		return -PB_EDATA;
	rater = pb_rec_get(rec, idx[R_RATER], &raterlen);
	s.date = date;
	s.p = s.q = -1;
	switch (pb_code_lookup(&raters, rater, raterlen, e)) {
	case RATER_PERSON:
		s.p = (int8_t)rating;
		break;
	case RATER_PRACTITIONER:
		s.q = (int8_t)rating;
		break;
	default:
		pb_error_set(e, PB_EDATA,
			     "unknown rater '%s' (use person or practitioner)",
			     pb_quote(q, sizeof q, rater, raterlen));
		return pb_field_blame(rec, idx[R_RATER], e);
	}
	if ((r->o.has_from && date < r->o.from) ||
	    (r->o.has_to && date > r->o.to)) {
		r->cnt[C_OUTSIDE]++;
		return 0;
	}
	pid = pb_rec_get(rec, idx[R_PERSON], &pidlen);
	la = pb_rec_get(rec, idx[R_LA], &lalen);
	oid = pb_rec_get(rec, idx[R_OUTCOME], &oidlen);
	pkey = pb_report_person(r, la, lalen, pid, pidlen, NULL, 0, 0);
	g = pb_report_person_group(r, pkey, e);
	if (g < 0)
		return pb_field_blame(rec, idx[R_PERSON], e);
	pb_people_offer_fp(oc->seen, pkey, 1, 0, (uint32_t)g, 0);
	insert(oc, entry(r, pb_report_person(r, la, lalen, pid, pidlen, oid,
					     oidlen, 1),
			 (uint32_t)g),
	       s);
	return 0;
}

static struct counts *counts_for(struct pb_report *r, size_t gid)
{
	struct outcomes *oc = r->eng;

	if (gid >= oc->ngroups)
		oc->cnt = pb_grow_rows(oc->cnt, &oc->ngroups, gid,
				       sizeof *oc->cnt, NULL);
	return &oc->cnt[gid];
}

static int rating_of(const struct slot *s)
{
	return s->p >= 0 ? s->p : s->q;
}

static void count_person(void *ctx, int rank, uint32_t group, int mflags)
{
	(void)rank;
	(void)mflags;
	counts_for(ctx, group)->people++;
}

static void outcomes_tally(struct pb_report *r)
{
	struct outcomes *oc = r->eng;
	const struct oentry *o;
	size_t i = 0;

	if (oc->tallied)
		return;
	oc->tallied = 1;
	counts_for(r, pb_strmap_count(r->groups));
	pb_people_each(oc->seen, count_person, r);
	while ((o = pb_fptab_next(&oc->o, &i))) {
		struct counts *c = counts_for(r, o->group);

		c->outcomes++;
		c->achieved += rating_of(&o->last) >= 3;
		if (o->prev.date != NONE) {
			int now, before;

			c->compared++;
			if (o->last.p >= 0 && o->prev.p >= 0) {
				now = o->last.p;
				before = o->prev.p;
			} else if (o->last.q >= 0 && o->prev.q >= 0) {
				now = o->last.q;
				before = o->prev.q;
			} else {
				now = rating_of(&o->last);
				before = rating_of(&o->prev);
			}
			c->improved += now > before;
		}
		if (o->last.p >= 0 && o->last.q >= 0) {
			c->both++;
			c->agreed += o->last.p == o->last.q;
		}
	}
}

enum {
	K_PEOPLE, K_OUTCOMES, K_ACHIEVED, K_ACHIEVED_PCT, K_COMPARED,
	K_IMPROVED, K_IMPROVED_PCT, K_BOTH, K_AGREED, K_AGREED_PCT, K_N
};
static const struct pb_rcol outcome_cols[K_N] = {
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"outcomes", PB_RC_COUNT, -1, -1, 0},
	{"achieved", PB_RC_COUNT, -1, -1, 0},
	{"achieved_pct", PB_RC_PCT, K_ACHIEVED, K_OUTCOMES, 0},
	{"compared", PB_RC_COUNT, -1, -1, 0},
	{"improved", PB_RC_COUNT, -1, -1, 0},
	{"improved_pct", PB_RC_PCT, K_IMPROVED, K_COMPARED, 0},
	{"both_rated", PB_RC_COUNT, -1, -1, 0},
	{"agreed", PB_RC_COUNT, -1, -1, 0},
	{"agreed_pct", PB_RC_PCT, K_AGREED, K_BOTH, 0},
};

static void outcome_row(struct pb_report *r, size_t row,
			const struct counts *c, size_t nby)
{
	int b = (int)nby;

	pb_rtab_set(r->tab, row, b + K_PEOPLE, c->people);
	pb_rtab_set(r->tab, row, b + K_OUTCOMES, c->outcomes);
	pb_rtab_set(r->tab, row, b + K_ACHIEVED, c->achieved);
	pb_rtab_set(r->tab, row, b + K_COMPARED, c->compared);
	pb_rtab_set(r->tab, row, b + K_IMPROVED, c->improved);
	pb_rtab_set(r->tab, row, b + K_BOTH, c->both);
	pb_rtab_set(r->tab, row, b + K_AGREED, c->agreed);
}

static void outcomes_table(struct pb_report *r)
{
	size_t nby = pb_groupby_count(r->gb), ng, i, ncol, row;
	size_t *order;
	struct pb_rcol *cols;
	struct counts total;
	char title[160], a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];

	outcomes_tally(r);
	cols = pb_report_columns(r, outcome_cols, K_N, &ncol);
	r->tab = pb_rtab_new(cols, ncol, r->o.disclosure, r->o.target);
	free(cols);
	if (r->o.has_from || r->o.has_to)
		snprintf(title, sizeof title,
			 "Outcomes of support plans, reviews from %s to %s",
			 r->o.has_from ? pb_date_format(a, r->o.from) : "the start",
			 r->o.has_to ? pb_date_format(b, r->o.to) : "the end");
	else
		snprintf(title, sizeof title, "Outcomes of support plans");
	pb_rtab_title(r->tab, title);
	memset(&total, 0, sizeof total);
	ng = pb_strmap_count(r->groups);
	order = pb_groups_sorted(r->groups);
	for (i = 0; i < ng; i++) {
		const struct counts *c = counts_for(r, order[i]);

		total.people += c->people;
		total.outcomes += c->outcomes;
		total.achieved += c->achieved;
		total.compared += c->compared;
		total.improved += c->improved;
		total.both += c->both;
		total.agreed += c->agreed;
		if (c->outcomes == 0)
			continue;
		row = pb_rtab_row(r->tab, 0, 0);
		pb_report_group_cells(r, row, order[i], 0);
		outcome_row(r, row, c, nby);
	}
	if (r->o.total) {
		row = pb_rtab_row(r->tab, 0, 1);
		pb_report_group_cells(r, row, 0, 1);
		outcome_row(r, row, &total, nby);
	}
	free(order);
}

static void outcomes_chart(struct pb_report *r, struct pb_chart *c)
{
	static char sub[120];
	int nby = (int)pb_groupby_count(r->gb);

	c->kind = PB_CHART_BARS;
	c->value = nby + K_ACHIEVED_PCT;
	c->axis = "outcomes mostly or fully achieved at the latest review (%)";
	snprintf(sub, sizeof sub, "%s",
		 r->o.disclosure == PB_DISC_NONE
			 ? "exact figures (internal use only)"
			 : "NHS disclosure rule");
	c->subtitle = sub;
}

static void outcomes_summary(struct pb_report *r, char *buf, size_t n)
{
	struct outcomes *oc = r->eng;

	outcomes_tally(r);
	snprintf(buf, n,
		 "people export: %ld rows read, %ld rejected; reviews: %ld read, "
		 "%ld rejected, %lld outside the period; %zu outcomes of %zu "
		 "people; %lld ratings given twice by one rater on one date "
		 "(the lower kept)",
		 r->people_read, r->people_rejected, r->read, r->rejected,
		 r->cnt[C_OUTSIDE], oc->o.count, pb_people_count(oc->seen),
		 oc->conflicts);
}

static void save_seen(void *ctx, const struct pb_person *p)
{
	FILE *fp = ctx;

	fputs("s ", fp);
	pb_partial_fp(fp, p->key);
	fprintf(fp, " %lu\n", (unsigned long)p->group);
}

static void save_slot(FILE *fp, const struct slot *s)
{
	char date[PB_DATE_BUFSZ];

	fprintf(fp, " %s %d %d",
		s->date == NONE ? "-" : pb_date_format(date, s->date), s->p,
		s->q);
}

static void outcomes_save(struct pb_report *r, FILE *fp)
{
	struct outcomes *oc = r->eng;
	void **order;
	size_t i;

	pb_people_scan(oc->seen, save_seen, fp);
	order = pb_fptab_sorted(&oc->o);
	for (i = 0; i < oc->o.count; i++) {
		const struct oentry *o = order[i];

		fputs("o ", fp);
		pb_partial_fp(fp, o->key);
		fprintf(fp, " %lu", (unsigned long)o->group);
		save_slot(fp, &o->last);
		save_slot(fp, &o->prev);
		putc('\n', fp);
	}
	free(order);
}

static int load_slot(struct pb_pline *l, size_t i, struct slot *s,
		     struct pb_error *e)
{
	int64_t p, q;

	if (pb_pline_day(l, i, &s->date, e) < 0 ||
	    pb_pline_int(l, i + 1, -1, 4, &p, e) < 0 ||
	    pb_pline_int(l, i + 2, -1, 4, &q, e) < 0)
		return -PB_EUSAGE;
	s->p = (int8_t)p;
	s->q = (int8_t)q;
	return 0;
}

static int outcomes_load(struct pb_report *r, struct pb_pline *l,
			 struct pb_error *e)
{
	struct outcomes *oc = r->eng;
	struct pb_fp key;
	uint32_t gid;

	if (strcmp(l->tok[0], "s") == 0 && l->ntok == 3) {
		if (pb_pline_fp(l, 1, &key, e) < 0 ||
		    pb_pline_group(l, 2, &gid, e) < 0)
			return -PB_EUSAGE;
		pb_people_offer_fp(oc->seen, key, 1, 0, gid, 0);
		return 0;
	}
	if (strcmp(l->tok[0], "o") == 0 && l->ntok == 9) {
		struct slot last, prev;
		struct oentry *o;

		if (pb_pline_fp(l, 1, &key, e) < 0 ||
		    pb_pline_group(l, 2, &gid, e) < 0 ||
		    load_slot(l, 3, &last, e) < 0 ||
		    load_slot(l, 6, &prev, e) < 0)
			return -PB_EUSAGE;
		o = entry(r, key, gid);
		insert(oc, o, last);
		insert(oc, o, prev);
		return 0;
	}
	return pb_pline_fail(l, e, "not a line of an outcomes state");
}

const struct pb_report_ops pb_report_outcomes_ops = {
	PB_R_OUTCOMES, 0, 1, outcomes_init, outcomes_fini, outcomes_bind,
	outcomes_add, outcomes_table, outcomes_chart, outcomes_summary,
	outcomes_save, outcomes_load
};
