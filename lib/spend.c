/*
 * spend.c - what direct payments are spent on: per group (the person's
 * columns in a --people export) and category, the spending and the
 * share of people who spent anything on it (pb-report spend), from a
 * pb-ledger export (CONTRACTS.md §9).
 *
 * Spending in a category is money out of the person's account (a
 * negative amount) less refunds into it (a positive amount with that
 * category).  Not spending: money in with no category (the council's
 * payments), the category contribution (the person's own money in), and,
 * when the input has pb-ledger's kind column, the kinds payment,
 * reclaim (surplus recovered) and opening, and a reversal with no
 * category.  Money out with no category is spending in the category ""
 * (shown empty).  A person is in a group's people when they have any
 * transaction in the period.
 *
 * Memory: the --people map (32 bytes a person), 32 bytes per person
 * with a transaction, 40 per person and category.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

enum tcol {
	X_PERSON, X_LA, X_DATE, X_AMOUNT, X_CATEGORY, X_KIND, X_N
};
static const struct pb_colspec txn_spec[X_N] = {
	[X_PERSON] = {"person_id", PB_COL_REQUIRED},
	[X_LA] = {"la_code", PB_COL_OPTIONAL},
	[X_DATE] = {"date", PB_COL_REQUIRED},
	[X_AMOUNT] = {"amount", PB_COL_REQUIRED},
	[X_CATEGORY] = {"category", PB_COL_OPTIONAL},
	[X_KIND] = {"kind", PB_COL_OPTIONAL},
};

/* Is a transaction money moved that is not spending? */
static int not_spending(int64_t amount, const char *cat, size_t catlen,
			const char *kind, size_t kindlen)
{
	static const char *const kinds[] = {"payment", "reclaim", "opening"};
	size_t i;

	if (amount > 0 && catlen == 0)
		return 1;
	if (catlen == 12 && memcmp(cat, "contribution", 12) == 0)
		return 1;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kindlen == strlen(kinds[i]) &&
		    memcmp(kind, kinds[i], kindlen) == 0)
			return 1;
	return catlen == 0 && kindlen == 8 && memcmp(kind, "reversal", 8) == 0;
}

struct sentry {
	struct pb_fp key;     /* the person and category */
	int64_t net;          /* pence spent, less refunds */
	uint32_t group;
	uint32_t cat;
};

struct cell {
	int64_t spenders, spend;
};

struct spend {
	int idx[X_N];
	struct pb_fptab s;    /* struct sentry */
	struct pb_people *seen;
	struct pb_strmap *cats;
	struct cell *cell;        /* [gid * ncats + cat], at the end */
	int64_t *people;          /* per group, at the end */
	size_t ngroups, ncats;
	int tallied;
	struct pb_buf text;
};

enum { C_OUTSIDE, C_MONEY_IN, C_SPENDING, C_REFUNDS };

static int spend_init(struct pb_report *r, struct pb_error *e)
{
	struct spend *sp = pb_xcalloc(1, sizeof *sp);
	size_t i;

	(void)e;
	r->eng = sp;
	pb_fptab_init(&sp->s, sizeof(struct sentry));
	sp->seen = pb_people_new(r->groups);
	sp->cats = pb_strmap_new();
	for (i = 0; i < X_N; i++)
		sp->idx[i] = -1;
	pb_buf_init(&sp->text);
	return 0;
}

static void spend_fini(struct pb_report *r)
{
	struct spend *sp = r->eng;

	pb_fptab_fini(&sp->s);
	pb_people_free(sp->seen);
	pb_strmap_free(sp->cats);
	free(sp->cell);
	free(sp->people);
	pb_buf_fini(&sp->text);
	free(sp);
}

static int spend_bind(struct pb_report *r, const struct pb_header *h,
		      int lenient, struct pb_error *e)
{
	struct spend *sp = r->eng;

	if (pb_bind(h, r->o.map, txn_spec, X_N, sp->idx, lenient, e) < 0)
		return -PB_EUSAGE;
	r->input_has_la = sp->idx[X_LA] >= 0;
	if (!r->input_has_la && r->councils > 1)
		return pb_error_set(e, PB_EUSAGE,
			"no la_code column: the people export holds more than one council");
	return 0;
}

/* Add net pence to a person's category; -PB_EDATA on overflow. */
static int add_net(struct pb_report *r, struct pb_fp key, uint32_t group,
		   uint32_t cat, int64_t net)
{
	struct spend *sp = r->eng;
	int added;
	struct sentry *s = pb_fptab_get(&sp->s, key, &added);

	if (added) {
		s->group = group;
		s->cat = cat;
		s->net = net;
		return 0;
	}
	return pb_add_checked(s->net, net, &s->net);
}

static int spend_add(struct pb_report *r, const struct pb_record *rec,
		     struct pb_error *e)
{
	struct spend *sp = r->eng;
	const int *idx = sp->idx;
	const char *pid, *la, *cat, *kind;
	size_t pidlen, lalen, catlen, kindlen;
	int32_t date;
	int64_t amount;
	struct pb_fp pkey;
	long g;
	uint32_t cid;

	if (pb_field_req(rec, idx[X_PERSON], "person_id", e) < 0 ||
	    pb_field_req(rec, idx[X_DATE], "date", e) < 0 ||
	    pb_field_date(rec, idx[X_DATE], &date, e) < 0 ||
	    pb_field_req(rec, idx[X_AMOUNT], "amount", e) < 0 ||
	    pb_field_money(rec, idx[X_AMOUNT], &amount, e) < 0)
		return -PB_EDATA;
	if ((r->o.has_from && date < r->o.from) ||
	    (r->o.has_to && date > r->o.to)) {
		r->cnt[C_OUTSIDE]++;
		return 0;
	}
	pid = pb_rec_get(rec, idx[X_PERSON], &pidlen);
	la = pb_rec_get(rec, idx[X_LA], &lalen);
	cat = pb_rec_get(rec, idx[X_CATEGORY], &catlen);
	kind = pb_rec_get(rec, idx[X_KIND], &kindlen);
	pkey = pb_report_person(r, la, lalen, pid, pidlen, NULL, 0, 0);
	g = pb_report_person_group(r, pkey, e);
	if (g < 0)
		return pb_field_blame(rec, idx[X_PERSON], e);
	pb_people_offer_fp(sp->seen, pkey, 1, 0, (uint32_t)g, 0);
	if (not_spending(amount, cat, catlen, kind, kindlen)) {
		r->cnt[C_MONEY_IN]++;
		return 0;
	}
	if (amount == 0)
		return 0;
	r->cnt[amount < 0 ? C_SPENDING : C_REFUNDS]++;
	cid = (uint32_t)pb_strmap_intern(sp->cats, cat, catlen, NULL);
	if (add_net(r, pb_report_person(r, la, lalen, pid, pidlen, cat, catlen, 1),
		    (uint32_t)g, cid, -amount) < 0) {
		pb_error_set(e, PB_EDATA, "the person's spending adds up to too much");
		return pb_field_blame(rec, idx[X_AMOUNT], e);
	}
	return 0;
}

static void count_person(void *ctx, int rank, uint32_t group, int mflags)
{
	struct spend *sp = ctx;

	(void)rank;
	(void)mflags;
	sp->people[group]++;
}

static void spend_tally(struct pb_report *r)
{
	struct spend *sp = r->eng;
	const struct sentry *s;
	size_t i = 0;

	if (sp->tallied)
		return;
	sp->tallied = 1;
	sp->ngroups = pb_strmap_count(r->groups);
	sp->ncats = pb_strmap_count(sp->cats);
	sp->people = pb_xcalloc(sp->ngroups + 1, sizeof *sp->people);
	sp->cell = pb_xcalloc(sp->ngroups * sp->ncats + 1, sizeof *sp->cell);
	pb_people_each(sp->seen, count_person, sp);
	while ((s = pb_fptab_next(&sp->s, &i))) {
		struct cell *c = &sp->cell[s->group * sp->ncats + s->cat];

		c->spend += s->net;
		c->spenders += s->net > 0;
	}
}

enum {
	K_CATEGORY, K_PEOPLE, K_SPENDERS, K_SPENDERS_PCT, K_SPEND,
	K_PER_PERSON, K_N
};
static const struct pb_rcol spend_cols[K_N] = {
	{"category", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"spenders", PB_RC_COUNT, -1, -1, 0},
	{"spenders_pct", PB_RC_PCT, K_SPENDERS, K_PEOPLE, 0},
	{"spend", PB_RC_MONEY, K_SPENDERS, -1, 0},
	{"spend_per_person", PB_RC_MONEY, K_SPENDERS, -1, 0},
};

static void spend_row(struct pb_report *r, size_t row, size_t cat,
		      int64_t people, const struct cell *c, size_t nby)
{
	struct spend *sp = r->eng;
	size_t klen;
	const char *k = pb_strmap_key(sp->cats, cat, &klen);
	int b = (int)nby;
	int64_t per;

	pb_rtab_text(r->tab, row, b + K_CATEGORY, k, klen);
	pb_rtab_set(r->tab, row, b + K_PEOPLE, people);
	pb_rtab_set(r->tab, row, b + K_SPENDERS, c->spenders);
	pb_rtab_set(r->tab, row, b + K_SPEND, c->spend);
	if (people > 0 && pb_muldiv_round(c->spend, 1, people, &per) == 0)
		pb_rtab_set(r->tab, row, b + K_PER_PERSON, per);
}

static void spend_table(struct pb_report *r)
{
	struct spend *sp = r->eng;
	size_t nby = pb_groupby_count(r->gb), i, k, ncol, row, first;
	size_t *gorder, *korder;
	struct pb_rcol *cols;
	struct cell *total;
	int64_t total_people = 0;
	char title[160], a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];

	spend_tally(r);
	cols = pb_report_columns(r, spend_cols, K_N, &ncol);
	r->tab = pb_rtab_new(cols, ncol, r->o.disclosure, r->o.target);
	free(cols);
	if (r->o.has_from || r->o.has_to)
		snprintf(title, sizeof title,
			 "Direct payment spending by category from %s to %s",
			 r->o.has_from ? pb_date_format(a, r->o.from) : "the start",
			 r->o.has_to ? pb_date_format(b, r->o.to) : "the end");
	else
		snprintf(title, sizeof title,
			 "Direct payment spending by category");
	pb_rtab_title(r->tab, title);
	total = pb_xcalloc(sp->ncats + 1, sizeof *total);
	gorder = pb_groups_sorted(r->groups);
	korder = pb_groups_sorted(sp->cats);
	for (i = 0; i < sp->ngroups; i++) {
		size_t g = gorder[i];

		total_people += sp->people[g];
		for (k = 0; k < sp->ncats; k++) {
			const struct cell *c = &sp->cell[g * sp->ncats + korder[k]];

			total[k].spenders += c->spenders;
			total[k].spend += c->spend;
		}
		if (sp->people[g] == 0)
			continue;
		first = pb_rtab_nrow(r->tab);
		for (k = 0; k < sp->ncats; k++) {
			row = pb_rtab_row(r->tab, (uint32_t)k, 0);
			pb_report_group_cells(r, row, g, 0);
			spend_row(r, row, korder[k], sp->people[g],
				  &sp->cell[g * sp->ncats + korder[k]], nby);
			if (k)
				pb_rtab_same(r->tab, row, (int)nby + K_PEOPLE,
					     first, (int)nby + K_PEOPLE);
		}
	}
	if (r->o.total && total_people) {
		first = pb_rtab_nrow(r->tab);
		for (k = 0; k < sp->ncats; k++) {
			row = pb_rtab_row(r->tab, (uint32_t)k, 1);
			pb_report_group_cells(r, row, 0, 1);
			spend_row(r, row, korder[k], total_people, &total[k], nby);
			if (k)
				pb_rtab_same(r->tab, row, (int)nby + K_PEOPLE,
					     first, (int)nby + K_PEOPLE);
		}
	}
	free(gorder);
	free(korder);
	free(total);
}

static void spend_chart(struct pb_report *r, struct pb_chart *c)
{
	static char sub[120];
	int nby = (int)pb_groupby_count(r->gb);

	c->kind = PB_CHART_BARS;
	if (c->nlabel < PB_CHART_MAX)
		c->label[c->nlabel++] = nby + K_CATEGORY;
	c->value = nby + K_SPENDERS_PCT;
	c->axis = "people who spent on the category (%)";
	snprintf(sub, sizeof sub, "%s",
		 r->o.disclosure == PB_DISC_NONE
			 ? "exact figures (internal use only)"
			 : "NHS disclosure rule");
	c->subtitle = sub;
}

static void spend_summary(struct pb_report *r, char *buf, size_t n)
{
	struct spend *sp = r->eng;

	spend_tally(r);
	snprintf(buf, n,
		 "people export: %ld rows read, %ld rejected; transactions: %ld "
		 "read, %ld rejected, %lld outside the period, %lld spending, "
		 "%lld refunds, %lld not spending (payments in, contributions, "
		 "surplus recovered); people with a "
		 "transaction: %zu; categories: %zu",
		 r->people_read, r->people_rejected, r->read, r->rejected,
		 r->cnt[C_OUTSIDE], r->cnt[C_SPENDING], r->cnt[C_REFUNDS],
		 r->cnt[C_MONEY_IN], pb_people_count(sp->seen), sp->ncats);
}

static void save_seen(void *ctx, const struct pb_person *p)
{
	FILE *fp = ctx;

	fputs("s ", fp);
	pb_partial_fp(fp, p->key);
	fprintf(fp, " %lu\n", (unsigned long)p->group);
}

static void spend_save(struct pb_report *r, FILE *fp)
{
	struct spend *sp = r->eng;
	void **order;
	size_t i, nc = pb_strmap_count(sp->cats);

	for (i = 0; i < nc; i++) {
		size_t klen;
		const char *k = pb_strmap_key(sp->cats, i, &klen);

		fprintf(fp, "k %zu ", i);
		pb_partial_token(fp, k, klen);
		putc('\n', fp);
	}
	pb_people_scan(sp->seen, save_seen, fp);
	order = pb_fptab_sorted(&sp->s);
	for (i = 0; i < sp->s.count; i++) {
		const struct sentry *x = order[i];

		fputs("e ", fp);
		pb_partial_fp(fp, x->key);
		fprintf(fp, " %lu %lu %lld\n", (unsigned long)x->group,
			(unsigned long)x->cat, (long long)x->net);
	}
	free(order);
}

static int spend_load(struct pb_report *r, struct pb_pline *l,
		      struct pb_error *e)
{
	struct spend *sp = r->eng;
	struct pb_fp key;
	uint32_t gid;
	int64_t id, net;

	if (strcmp(l->tok[0], "k") == 0 && l->ntok == 3) {
		size_t i;

		if (pb_pline_int(l, 1, 0, INT32_MAX - 1, &id, e) < 0 ||
		    pb_pline_text(l, 2, &sp->text, e) < 0)
			return -PB_EUSAGE;
		if ((size_t)id >= l->nkmap) {
			size_t n = (size_t)id + 1;

			l->kmap = pb_xrealloc(l->kmap, n * sizeof *l->kmap);
			for (i = l->nkmap; i < n; i++)
				l->kmap[i] = UINT32_MAX;
			l->nkmap = n;
		}
		l->kmap[id] = (uint32_t)pb_strmap_intern(
			sp->cats, sp->text.s ? sp->text.s : "", sp->text.len, NULL);
		return 0;
	}
	if (strcmp(l->tok[0], "s") == 0 && l->ntok == 3) {
		if (pb_pline_fp(l, 1, &key, e) < 0 ||
		    pb_pline_group(l, 2, &gid, e) < 0)
			return -PB_EUSAGE;
		pb_people_offer_fp(sp->seen, key, 1, 0, gid, 0);
		return 0;
	}
	if (strcmp(l->tok[0], "e") == 0 && l->ntok == 5) {
		if (pb_pline_fp(l, 1, &key, e) < 0 ||
		    pb_pline_group(l, 2, &gid, e) < 0 ||
		    pb_pline_int(l, 3, 0, INT32_MAX, &id, e) < 0 ||
		    pb_pline_int(l, 4, -PB_MONEY_MAX * 1000, PB_MONEY_MAX * 1000,
				 &net, e) < 0)
			return -PB_EUSAGE;
		if ((size_t)id >= l->nkmap || l->kmap[id] == UINT32_MAX)
			return pb_pline_fail(l, e, "a category that was not defined");
		if (add_net(r, key, gid, l->kmap[id], net) < 0)
			return pb_pline_fail(l, e, "spending adds up to too much");
		return 0;
	}
	return pb_pline_fail(l, e, "not a line of a spend state");
}

const struct pb_report_ops pb_report_spend_ops = {
	PB_R_SPEND, 0, 1, spend_init, spend_fini, spend_bind, spend_add,
	spend_table, spend_chart, spend_summary, spend_save, spend_load
};
