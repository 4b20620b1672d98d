/*
 * report.c - what every report of pb-report shares: options, grouping,
 * the person export's columns, the --people map of each person's group,
 * the output (table, formats, chart) and the summary.  Each report's
 * own rules are in takeup.c (takeup, trend, mix), cost.c, funnel.c,
 * outcomes.c and spend.c; partial states in partial.c.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const struct pb_report_ops *const all_ops[PB_R_NKIND] = {
	[PB_R_TAKEUP] = &pb_report_takeup_ops,
	[PB_R_TREND] = &pb_report_trend_ops,
	[PB_R_MIX] = &pb_report_mix_ops,
	[PB_R_COST] = &pb_report_cost_ops,
	[PB_R_FUNNEL] = &pb_report_funnel_ops,
	[PB_R_OUTCOMES] = &pb_report_outcomes_ops,
	[PB_R_SPEND] = &pb_report_spend_ops,
};

static const char *const kind_names[PB_R_NKIND] = {
	"takeup", "trend", "mix", "cost", "funnel", "outcomes", "spend"
};

/* Why a report cannot be grouped by delivery_mechanism. */
static const char *const no_mech[PB_R_NKIND] = {
	"takeup cannot be grouped by delivery_mechanism: it counts them",
	"trend cannot be grouped by delivery_mechanism: it counts them",
	"mix cannot be grouped by delivery_mechanism: it counts them",
	"cost cannot be grouped by delivery_mechanism: it has a row for each",
	NULL, NULL, NULL
};

const char *pb_report_name(enum pb_report_kind k)
{
	return (unsigned)k < PB_R_NKIND ? kind_names[k] : NULL;
}

int pb_report_kind_parse(const char *s, enum pb_report_kind *k)
{
	int i;

	for (i = 0; i < PB_R_NKIND; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*k = (enum pb_report_kind)i;
			return 0;
		}
	return -1;
}

static const char *const every_names[] = {"month", "quarter", "year"};

int pb_every_parse(const char *s, enum pb_every *ev, struct pb_error *e)
{
	char q[80];
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, every_names[i]) == 0) {
			*ev = (enum pb_every)i;
			return 0;
		}
	return pb_error_set(e, PB_EUSAGE,
			    "--every: unknown period '%s' (use month, quarter or year)",
			    pb_quote(q, sizeof q, s, strlen(s)));
}

const char *pb_every_name(enum pb_every ev)
{
	return every_names[ev];
}

static int32_t period_end(int32_t d, enum pb_every ev)
{
	switch (ev) {
	case PB_EVERY_QUARTER:
		return pb_date_quarter_end(d);
	case PB_EVERY_YEAR:
		return pb_date_fy_end(d);
	default:
		return pb_date_month_end(d);
	}
}

int pb_period_ends(int32_t from, int32_t to, enum pb_every ev,
		   int32_t **out, size_t *n, struct pb_error *e)
{
	char a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];
	int32_t *days = NULL, d;
	size_t k = 0;

	if (to < from)
		return pb_error_set(e, PB_EUSAGE, "--to %s is before --from %s",
				    pb_date_format(b, to), pb_date_format(a, from));
	for (d = period_end(from, ev); d <= to; d = period_end(d + 1, ev)) {
		if (k == PB_MAX_DAYS) {
			free(days);
			return pb_error_set(e, PB_EUSAGE,
					    "more than %d period ends from %s to %s",
					    PB_MAX_DAYS, pb_date_format(a, from),
					    pb_date_format(b, to));
		}
		days = pb_xrealloc(days, (k + 1) * sizeof *days);
		days[k++] = d;
	}
	if (k == 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no %s end from %s to %s", every_names[ev],
				    pb_date_format(a, from), pb_date_format(b, to));
	*out = days;
	*n = k;
	return 0;
}

struct pb_report *pb_report_new(const struct pb_report_opts *o,
				struct pb_error *e)
{
	struct pb_report *r;
	size_t i;

	if ((unsigned)o->kind >= PB_R_NKIND) {
		pb_error_set(e, PB_EUSAGE, "unknown report");
		return NULL;
	}
	r = pb_xcalloc(1, sizeof *r);
	r->ops = all_ops[o->kind];
	r->o = *o;
	r->by_names = pb_xcalloc(o->nby + 1, sizeof *r->by_names);
	for (i = 0; i < o->nby; i++)
		r->by_names[i] = pb_xstrdup(o->by[i]);
	r->o.by = (const char *const *)r->by_names;
	r->gb = pb_groupby_new(r->o.by, r->o.nby, r->ops->by_flags,
			       no_mech[o->kind], e);
	if (!r->gb) {
		pb_report_free(r);
		return NULL;
	}
	r->groups = pb_strmap_new();
	pb_buf_init(&r->key);
	pb_export_init(&r->x);
	for (i = 0; i < PB_XO_N; i++)
		r->xcol[i] = -1;
	if (r->ops->wants_people)
		r->persons = pb_people_new(r->groups);
	if (r->ops->init(r, e) < 0) {
		pb_report_free(r);
		return NULL;
	}
	return r;
}

void pb_report_free(struct pb_report *r)
{
	size_t i;

	if (!r)
		return;
	if (r->eng && r->ops->fini)
		r->ops->fini(r);
	for (i = 0; i < r->o.nby; i++)
		free(r->by_names[i]);
	free(r->by_names);
	pb_groupby_free(r->gb);
	pb_strmap_free(r->groups);
	pb_buf_fini(&r->key);
	free(r->days);
	pb_people_free(r->persons);
	free(r->council);
	pb_rtab_free(r->tab);
	free(r);
}

const struct pb_report_opts *pb_report_opts(const struct pb_report *r)
{
	return &r->o;
}

int pb_report_wants_people(const struct pb_report *r)
{
	return r->ops->wants_people;
}

void pb_report_input(struct pb_report *r, long read, long rejected,
		     int status)
{
	r->read = read;
	r->rejected = rejected;
	r->status = status;
}

int pb_report_status(const struct pb_report *r)
{
	return r->status;
}

void pb_report_people_input(struct pb_report *r, long read, long rejected)
{
	r->people_read = read;
	r->people_rejected = rejected;
}

/* ---- the person export ------------------------------------------------ */

int pb_report_bind_export(struct pb_report *r, const struct pb_header *h,
			  int lenient, int need_age, int want_opt,
			  struct pb_error *e)
{
	const int *idx = r->x.idx;
	int i;

	if (pb_bind(h, r->o.map, pb_export_spec, PB_X_N, r->x.idx, lenient,
		    e) < 0)
		return -PB_EUSAGE;
	if (!lenient && (need_age || pb_groupby_uses_age(r->gb)) &&
	    idx[PB_X_AGE] < 0 && idx[PB_X_BIRTH_DATE] < 0 &&
	    idx[PB_X_AGE_BAND] < 0)
		return pb_error_set(e, PB_EUSAGE,
			"no age, birth_date or age_band column: adult figures need an age");
	if (!lenient && r->o.carers && idx[PB_X_CLIENT_TYPE] < 0)
		return pb_error_set(e, PB_EUSAGE,
			"--carers needs a client_type column");
	for (i = 0; i < PB_XO_N; i++)
		if ((want_opt & (1 << i)) &&
		    pb_bind(h, r->o.map, &pb_export_opt_spec[i], 1, &r->xcol[i],
			    1, e) < 0)
			return -PB_EUSAGE;
	return pb_groupby_bind(r->gb, h, r->o.map, lenient, e);
}

uint32_t pb_report_group(struct pb_report *r)
{
	return (uint32_t)pb_strmap_intern(r->groups, r->key.s ? r->key.s : "",
					  r->key.len, NULL);
}

void pb_report_group_cells(struct pb_report *r, size_t row, size_t gid,
			   int total)
{
	size_t i, n = pb_groupby_count(r->gb), klen, off = 0;
	const char *key = total ? NULL : pb_strmap_key(r->groups, gid, &klen);

	for (i = 0; i < n; i++) {
		if (total) {
			pb_rtab_text(r->tab, row, (int)i, "all", 3);
			continue;
		}
		size_t len = strlen(key + off);

		pb_rtab_text(r->tab, row, (int)i, key + off, len);
		off += len + 1;
	}
}

struct pb_rcol *pb_report_columns(const struct pb_report *r,
				  const struct pb_rcol *cols, size_t n,
				  size_t *ncol)
{
	size_t nby = pb_groupby_count(r->gb), i;
	struct pb_rcol *all = pb_xcalloc(nby + n + 1, sizeof *all);

	for (i = 0; i < nby; i++) {
		all[i].name = pb_groupby_name(r->gb, i);
		all[i].kind = PB_RC_TEXT;
		all[i].a = all[i].b = -1;
	}
	for (i = 0; i < n; i++) {
		all[nby + i] = cols[i];
		if (all[nby + i].a >= 0)
			all[nby + i].a += (int)nby;
		if (all[nby + i].b >= 0)
			all[nby + i].b += (int)nby;
	}
	*ncol = nby + n;
	return all;
}

/* ---- --people: each person's group ------------------------------------ */

int pb_report_people_bind(struct pb_report *r, const struct pb_header *h,
			  int lenient, struct pb_error *e)
{
	return pb_report_bind_export(r, h, lenient, 0, 0, e);
}

int pb_report_people_add(struct pb_report *r, const struct pb_record *rec,
			 struct pb_error *e)
{
	struct pb_export_row row;
	enum pb_age band;

	if (pb_export_parse(&r->x, rec, &row, e) < 0)
		return -PB_EDATA;
	band = pb_export_age(&row, r->o.as_of);
	if (pb_groupby_key(r->gb, rec, &r->x, &row, band, &r->key, e) < 0)
		return -PB_EDATA;
	/* Councils: reviews and transactions without la_code need one. */
	if (r->councils == 0) {
		r->council = pb_xstrndup(row.la_code, row.la_len);
		r->councils = 1;
	} else if (r->councils == 1 &&
		   (strlen(r->council) != row.la_len ||
		    memcmp(r->council, row.la_code, row.la_len) != 0)) {
		r->councils = 2;
	}
	/* A person's group: their latest row's (rank is the same for all),
	 * then the group that sorts first. */
	pb_people_offer(r->persons, row.la_code, row.la_len, row.person_id,
			row.person_len, 1, row.start, pb_report_group(r), 0);
	return 0;
}

struct pb_fp pb_report_person(const struct pb_report *r, const char *la,
			      size_t lalen, const char *pid, size_t pidlen,
			      const char *third, size_t thirdlen, int three)
{
	/* An input without la_code, or an export without it, matches on
	 * person_id within the export's one council. */
	if (r->councils == 1 && (!r->input_has_la || r->council[0] == '\0')) {
		la = r->council;
		lalen = strlen(r->council);
	}
	if (three)
		return pb_person_key3(la, lalen, pid, pidlen, third, thirdlen);
	return pb_person_key(la, lalen, pid, pidlen);
}

long pb_report_person_group(struct pb_report *r, struct pb_fp key,
			    struct pb_error *e)
{
	long g = pb_people_find(r->persons, key, 0);

	if (g < 0)
		pb_error_set(e, PB_EDATA, "person not in the people export");
	return g < 0 ? -PB_EDATA : g;
}

/* ---- the main input --------------------------------------------------- */

int pb_report_bind(struct pb_report *r, const struct pb_header *h,
		   int lenient, struct pb_error *e)
{
	if (r->ops->bind(r, h, lenient, e) < 0)
		return -PB_EUSAGE;
	return pb_map_check_used(r->o.map, e) < 0 ? -PB_EUSAGE : 0;
}

int pb_report_add(struct pb_report *r, const struct pb_record *rec,
		  struct pb_error *e)
{
	return r->ops->add(r, rec, e);
}

/* ---- output ----------------------------------------------------------- */

struct pb_rtab *pb_report_table(struct pb_report *r)
{
	char note[200];
	size_t n;

	if (r->tab)
		return r->tab;
	r->ops->table(r);
	pb_rtab_finish(r->tab);
	pb_rtab_note(r->tab, pb_disc_note(r->o.disclosure));
	n = pb_rtab_secondary(r->tab);
	if (n) {
		snprintf(note, sizeof note,
			 "secondary suppression: %zu more cell%s shown as * so that "
			 "no suppressed count can be worked out from a total",
			 n, n == 1 ? "" : "s");
		pb_rtab_note(r->tab, note);
	}
	return r->tab;
}

void pb_report_chart(struct pb_report *r, struct pb_chart *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->target = -1;
	c->x = -1;
	c->value = -1;
	pb_report_table(r);
	c->title = pb_rtab_get_title(r->tab);
	for (i = 0; i < pb_groupby_count(r->gb) && i < PB_CHART_MAX; i++)
		c->label[c->nlabel++] = (int)i;
	r->ops->chart(r, c);
	if (r->o.has_target && c->target < 0)
		c->target = (int)r->o.target;
}

int pb_report_print(struct pb_report *r, FILE *fp, struct pb_error *e)
{
	struct pb_rtab *t = pb_report_table(r);
	struct pb_writer *w;
	int rc;

	if (r->o.format == PB_FMT_SVG) {
		struct pb_chart c;

		pb_report_chart(r, &c);
		return pb_svg_chart(fp, t, &c, e);
	}
	w = pb_writer_new(fp, r->o.format);
	rc = pb_rtab_write(t, w, e);
	if (rc == 0)
		rc = pb_writer_end(w, e);
	pb_writer_free(w);
	return rc;
}

void pb_report_summary(struct pb_report *r, char *buf, size_t n)
{
	r->ops->summary(r, buf, n);
}
