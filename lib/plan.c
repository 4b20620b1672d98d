/*
 * plan.c - one support plan (CONTRACTS.md §8) decided against its
 * allocation (§6) and the spending policy (§7): the arithmetic, the
 * reason codes, reading the plan and every rule.  The allocations table
 * is in plan_alloc.c, the document reader in plan_read.c, the pass of
 * pb-plan check in plan_check.c, the person's page in plan_md.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "plan_int.h"

/* ---- arithmetic ------------------------------------------------------------ */

static const char *const per_names[PB_PER_N] = {
	"week", "4weeks", "month", "year", "once"
};
static const int64_t per_times[PB_PER_N] = {52, 13, 12, 1, 1};

int pb_per_parse(const char *s, size_t len)
{
	int i;

	for (i = 0; i < PB_PER_N; i++)
		if (strlen(per_names[i]) == len && memcmp(s, per_names[i], len) == 0)
			return i;
	return -1;
}

const char *pb_per_name(int per)
{
	return per >= 0 && per < PB_PER_N ? per_names[per] : "";
}

int64_t pb_per_times(int per)
{
	return per >= 0 && per < PB_PER_N ? per_times[per] : 0;
}

int pb_plan_annual(int64_t cost, int per, int64_t *annual)
{
	if (per < 0 || per >= PB_PER_N)
		return -PB_EDATA;
	return pb_mul_checked(cost, per_times[per], annual);
}

int pb_plan_within(int64_t amount, int64_t limit, int64_t tolerance)
{
	return (__int128)amount * 1000 <= (__int128)limit * (1000 + tolerance);
}

char *pb_plan_pct(char *buf, size_t n, int64_t tenths)
{
	if (tenths % 10 == 0)
		snprintf(buf, n, "%lld%%", (long long)(tenths / 10));
	else
		snprintf(buf, n, "%lld.%lld%%", (long long)(tenths / 10),
			 (long long)(tenths % 10 < 0 ? -(tenths % 10) : tenths % 10));
	return buf;
}

/* ---- reasons --------------------------------------------------------------- */

static const char *const verdict_names[] = {"approve", "review", "return"};

const char *pb_verdict_name(int v)
{
	return v >= PB_APPROVE && v <= PB_RETURN ? verdict_names[v] : "";
}

static const struct {
	const char *code;
	int verdict;
	const char *title;
} whys[PB_WHY_N] = {
	[PB_WHY_NO_ALLOCATION] = {"NO_ALLOCATION", PB_RETURN, "No budget found"},
	[PB_WHY_DUPLICATE_PLAN] = {"DUPLICATE_PLAN", PB_RETURN, "Plan given twice"},
	[PB_WHY_BAD_FIELD] = {"BAD_FIELD", PB_RETURN,
			      "Part of the plan cannot be read"},
	[PB_WHY_BAD_AMOUNT] = {"BAD_AMOUNT", PB_RETURN,
			       "An amount cannot be read"},
	[PB_WHY_OVER_BUDGET] = {"OVER_BUDGET", PB_RETURN, "Over budget"},
	[PB_WHY_STREAM_OVER_BUDGET] = {"STREAM_OVER_BUDGET", PB_RETURN,
				       "Over a funding stream"},
	[PB_WHY_CONTINGENCY_TOO_HIGH] = {"CONTINGENCY_TOO_HIGH", PB_RETURN,
					 "Too much kept for contingencies"},
	[PB_WHY_FORBIDDEN_CATEGORY] = {"FORBIDDEN_CATEGORY", PB_RETURN,
				       "Not allowed"},
	[PB_WHY_UNKNOWN_CATEGORY] = {"UNKNOWN_CATEGORY", PB_RETURN,
				     "Kind of spending not in the rules"},
	[PB_WHY_CATEGORY_NOT_FOR_STREAM] = {"CATEGORY_NOT_FOR_STREAM",
					    PB_RETURN, "Wrong funding stream"},
	[PB_WHY_MISSING_REQUIRED] = {"MISSING_REQUIRED", PB_RETURN,
				     "Something else is needed"},
	[PB_WHY_LINE_WITHOUT_OUTCOME] = {"LINE_WITHOUT_OUTCOME", PB_RETURN,
					 "Not linked to an outcome"},
	[PB_WHY_UNKNOWN_OUTCOME] = {"UNKNOWN_OUTCOME", PB_RETURN,
				    "Outcome not in the plan"},
	[PB_WHY_POOL_SHARE_MISMATCH] = {"POOL_SHARE_MISMATCH", PB_RETURN,
					"Shared cost does not add up"},
	[PB_WHY_POOL_OVERSUBSCRIBED] = {"POOL_OVERSUBSCRIBED", PB_RETURN,
					"Shared cost shared out too often"},
	[PB_WHY_FAMILY_IN_HOUSEHOLD] = {"FAMILY_IN_HOUSEHOLD", PB_REVIEW,
					"Paying a relative you live with"},
	[PB_WHY_RISK_WITHOUT_PLAN] = {"RISK_WITHOUT_PLAN", PB_REVIEW,
				      "A risk to talk through"},
	[PB_WHY_REVIEW_CATEGORY] = {"REVIEW_CATEGORY", PB_REVIEW,
				    "A kind of spending the council looks at"},
};

const char *pb_why_code(int why)
{
	return why >= 0 && why < PB_WHY_N ? whys[why].code : "";
}

int pb_why_verdict(int why)
{
	return why >= 0 && why < PB_WHY_N ? whys[why].verdict : PB_RETURN;
}

const char *pb_why_title(int why)
{
	return why >= 0 && why < PB_WHY_N ? whys[why].title : "";
}

/* ---- decisions ------------------------------------------------------------- */

void pb_decision_init(struct pb_decision *d, int want_page)
{
	memset(d, 0, sizeof *d);
	d->want_page = want_page;
	pb_buf_init(&d->page);
	pb_decision_reset(d);
}

static char *dup_or_null(const char *s)
{
	return s ? pb_xstrdup(s) : NULL;
}

void pb_decision_reset(struct pb_decision *d)
{
	size_t i;

	for (i = 0; i < d->nreason; i++) {
		struct pb_reason *r = &d->reason[i];

		free(r->line);
		free(r->outcome);
		free(r->key);
		free(r->text);
		free(r->label);
	}
	for (i = 0; i < d->npool; i++) {
		free(d->pool[i].pool);
		free(d->pool[i].line);
		free(d->pool[i].label);
	}
	d->nreason = d->npool = 0;
	free(d->plan_id);
	free(d->person_id);
	free(d->allocation_id);
	free(d->source);
	d->plan_id = pb_xstrdup("");
	d->person_id = pb_xstrdup("");
	d->allocation_id = pb_xstrdup("");
	d->source = pb_xstrdup("");
	d->has_total = d->has_budget = 0;
	d->total = d->budget = 0;
	pb_buf_reset(&d->page);
}

void pb_decision_fini(struct pb_decision *d)
{
	pb_decision_reset(d);
	free(d->reason);
	free(d->pool);
	free(d->plan_id);
	free(d->person_id);
	free(d->allocation_id);
	free(d->source);
	pb_buf_fini(&d->page);
	memset(d, 0, sizeof *d);
}

int pb_decision_verdict(const struct pb_decision *d)
{
	int v = PB_APPROVE;
	size_t i;

	for (i = 0; i < d->nreason; i++)
		if (pb_why_verdict(d->reason[i].why) > v)
			v = pb_why_verdict(d->reason[i].why);
	return v;
}

void pb_decision_add(struct pb_decision *d, int why, long rank,
		     const char *line, const char *outcome, const char *key,
		     const char *label, const char *fmt, ...)
{
	struct pb_reason *r;
	struct pb_buf b;
	va_list ap;
	char tmp[1024];

	if (d->nreason == d->reason_cap) {
		d->reason_cap = d->reason_cap ? 2 * d->reason_cap : 8;
		d->reason = pb_xrealloc(d->reason,
					d->reason_cap * sizeof *d->reason);
	}
	r = &d->reason[d->nreason++];
	r->why = why;
	r->rank = rank;
	r->line = dup_or_null(line);
	r->outcome = dup_or_null(outcome);
	r->key = dup_or_null(key && *key ? key : NULL);
	r->label = dup_or_null(label && *label ? label : NULL);
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	pb_buf_init(&b);
	if (r->key)
		pb_buf_printf(&b, "%s: ", r->key);
	pb_buf_adds(&b, tmp);
	r->text = b.s ? b.s : pb_xstrdup("");
}

static int by_rank(const void *a, const void *b)
{
	const struct pb_reason *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return 0;
}

void pb_decision_sort(struct pb_decision *d)
{
	/* Insertion sort: stable, and decisions have few reasons. */
	size_t i, j;

	for (i = 1; i < d->nreason; i++) {
		struct pb_reason r = d->reason[i];

		for (j = i; j > 0 && by_rank(&d->reason[j - 1], &r) > 0; j--)
			d->reason[j] = d->reason[j - 1];
		d->reason[j] = r;
	}
}

static void add_pool(struct pb_decision *d, const char *pool, int64_t share,
		     const char *line, const char *label)
{
	struct pb_pool_share *s;

	if (d->npool == d->pool_cap) {
		d->pool_cap = d->pool_cap ? 2 * d->pool_cap : 4;
		d->pool = pb_xrealloc(d->pool, d->pool_cap * sizeof *d->pool);
	}
	s = &d->pool[d->npool++];
	s->pool = pb_xstrdup(pool);
	s->share = share;
	s->line = dup_or_null(line);
	s->label = dup_or_null(label && *label ? label : NULL);
}

/* ---- reading a plan -------------------------------------------------------- */

#define ID_MAX 128

/*
 * Where a value is: lines[2].pool is {"lines", 2, "pool"}, the plan
 * itself {NULL, -1, NULL}.  A key path is made only for a message: a
 * plan that reads well costs no formatting.
 */
struct where {
	const char *base;
	long index;
	const char *sub;
};

static const struct where at_plan = {NULL, -1, NULL};

static char *wpath(char *buf, const struct where *w, const char *key)
{
	char a[PB_JPATH_MAX], b[PB_JPATH_MAX];

	a[0] = '\0';
	if (w->base && w->index >= 0)
		pb_jpath_index(a, w->base, (size_t)w->index);
	else if (w->base)
		snprintf(a, sizeof a, "%s", w->base);
	if (w->sub) {
		pb_jpath_key(b, a, w->sub);
		memcpy(a, b, sizeof a);
	}
	if (key)
		return pb_jpath_key(buf, a, key);
	memcpy(buf, a, PB_JPATH_MAX);
	return buf;
}

static void bad(struct pb_decision *d, int why, long rank, const char *line,
		const struct pb_error *e)
{
	pb_decision_add(d, why, rank, line, NULL, e->key, NULL, "%s", e->text);
}

/* A BAD_FIELD at w.key with the message of fmt. */
static void bad_at(struct pb_decision *d, int why, long rank, const char *line,
		   const struct where *w, const char *key, const char *fmt,
		   const char *arg)
{
	char path[PB_JPATH_MAX];

	pb_decision_add(d, why, rank, line, NULL, wpath(path, w, key), NULL,
			fmt, arg);
}

/* v is an object; else a BAD_FIELD ("must be an object, not ..."). */
static int is_object(const json_t *v, const struct where *w, long rank,
		     const char *line, struct pb_decision *d)
{
	char path[PB_JPATH_MAX];
	struct pb_error e;

	if (json_is_object(v))
		return 1;
	pb_json_object(v, wpath(path, w, NULL), PB_EDATA, &e);
	bad(d, PB_WHY_BAD_FIELD, rank, line, &e);
	return 0;
}

static int is_array(const json_t *v, const struct where *w, const char *key,
		    long rank, const char *line, struct pb_decision *d)
{
	char path[PB_JPATH_MAX];
	struct pb_error e;

	if (json_is_array(v))
		return 1;
	pb_json_array(v, wpath(path, w, key), PB_EDATA, &e);
	bad(d, PB_WHY_BAD_FIELD, rank, line, &e);
	return 0;
}

/* An id: a non-empty string of at most ID_MAX bytes, no control
 * characters.  NULL (and a BAD_FIELD) otherwise; NULL quietly when
 * absent and optional. */
static const char *read_id(const json_t *obj, const char *key,
			   const struct where *w, int required, long rank,
			   const char *line, struct pb_decision *d)
{
	const json_t *v = json_object_get(obj, key);
	char path[PB_JPATH_MAX], q[80];
	struct pb_error e;
	const char *s;
	size_t i, n;

	if (!json_is_string(v)) {
		if (!v && !required)
			return NULL;
		pb_json_str(v, wpath(path, w, key), PB_JREQ, &s, PB_EDATA, &e);
		bad(d, PB_WHY_BAD_FIELD, rank, line, &e);
		return NULL;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (n > 0 && n <= ID_MAX && i == n)
		return s;
	wpath(path, w, key);
	if (n == 0)
		pb_json_fail(&e, PB_EDATA, path, "empty");
	else if (n > ID_MAX)
		pb_json_fail(&e, PB_EDATA, path,
			     "longer than %d characters '%s'", ID_MAX,
			     pb_quote(q, sizeof q, s, n));
	else
		pb_json_fail(&e, PB_EDATA, path, "a control character in '%s'",
			     pb_quote(q, sizeof q, s, n));
	bad(d, PB_WHY_BAD_FIELD, rank, line, &e);
	return NULL;
}

/* Optional text: the string, "" when absent, NULL (and a BAD_FIELD)
 * when not a string. */
static const char *read_text(const json_t *obj, const char *key,
			     const struct where *w, long rank,
			     const char *line, struct pb_decision *d)
{
	const json_t *v = json_object_get(obj, key);
	char path[PB_JPATH_MAX];
	struct pb_error e;
	const char *s;

	if (!v)
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	pb_json_str(v, wpath(path, w, key), PB_JOPT, &s, PB_EDATA, &e);
	bad(d, PB_WHY_BAD_FIELD, rank, line, &e);
	return NULL;
}

/* Money, required, not negative: 1, or 0 with a BAD_AMOUNT. */
static int read_money(const json_t *obj, const char *key,
		      const struct where *w, long rank, const char *line,
		      int64_t *out, struct pb_decision *d)
{
	const json_t *v = json_object_get(obj, key);
	char path[PB_JPATH_MAX], m[PB_MONEY_BUFSZ];
	struct pb_error e;

	if (!(json_is_string(v) &&
	      pb_money_parse(json_string_value(v), json_string_length(v), out,
			     NULL) == 0)) {
		if (pb_json_money(v, wpath(path, w, key), PB_JREQ, out,
				  PB_EDATA, &e) < 0) {
			bad(d, PB_WHY_BAD_AMOUNT, rank, line, &e);
			return 0;
		}
	}
	if (*out < 0) {
		bad_at(d, PB_WHY_BAD_AMOUNT, rank, line, w, key,
		       "a negative amount '%s'",
		       pb_money_format(m, *out, PB_MONEY_PLAIN));
		return 0;
	}
	return 1;
}

/* Every key of obj not in allowed is a BAD_FIELD. */
static void check_keys(const json_t *obj, const struct where *w,
		       const char *const *allowed, long rank, const char *line,
		       struct pb_decision *d)
{
	const char *key;
	json_t *v;
	char q[80], list[200], path[PB_JPATH_MAX];
	size_t i, o;

	json_object_foreach((json_t *)obj, key, v) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i])
			continue;
		list[0] = '\0';
		for (i = 0, o = 0; allowed[i] && o + 1 < sizeof list; i++)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
					      i ? ", " : "", allowed[i]);
		pb_decision_add(d, PB_WHY_BAD_FIELD, rank, line, NULL,
				wpath(path, w, NULL), NULL,
				"unknown key '%s' (known: %s)",
				pb_quote(q, sizeof q, key, strlen(key)), list);
	}
}

static void read_outcomes(struct pb_plandoc *p, const json_t *v,
			  struct pb_decision *d)
{
	static const char *const keys[] = {"id", "text", NULL};
	char q[80];
	size_t i, j, n0;

	if (!is_array(v, &at_plan, "outcomes", PB_RANK_PLAN, NULL, d))
		return;
	p->outcomes_ok = 1;
	p->out = pb_xcalloc(json_array_size(v) + 1, sizeof *p->out);
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *o = json_array_get(v, i);
		struct where w = {"outcomes", (long)i, NULL};
		const char *id, *text;

		if (!is_object(o, &w, PB_RANK_PLAN, NULL, d)) {
			p->outcomes_ok = 0;
			continue;
		}
		n0 = d->nreason;
		check_keys(o, &w, keys, PB_RANK_PLAN, NULL, d);
		id = read_id(o, "id", &w, PB_JREQ, PB_RANK_PLAN, NULL, d);
		text = read_text(o, "text", &w, PB_RANK_PLAN, NULL, d);
		if (text && !json_object_get(o, "text")) {
			bad_at(d, PB_WHY_BAD_FIELD, PB_RANK_PLAN, NULL, &w,
			       "text", "%s",
			       "missing: the outcome in the person's own words");
			text = NULL;
		}
		for (j = 0; id && j < p->nout; j++)
			if (strcmp(p->out[j].id, id) == 0) {
				bad_at(d, PB_WHY_BAD_FIELD, PB_RANK_PLAN, NULL,
				       &w, "id", "duplicate outcome id '%s'",
				       pb_quote(q, sizeof q, id, strlen(id)));
				id = NULL;
			}
		if (d->nreason != n0 || !id || !text) {
			p->outcomes_ok = 0;
			if (!id)
				continue;
		}
		p->out[p->nout].id = id;
		p->out[p->nout].text = text ? text : "";
		p->nout++;
	}
}

static int find_outcome(const struct pb_plandoc *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nout; i++)
		if (strcmp(p->out[i].id, id) == 0)
			return 1;
	return 0;
}

static void read_pool(struct pb_planline *L, const json_t *v, size_t i,
		      long rank, struct pb_decision *d)
{
	static const char *const keys[] = {"id", "total", "share_percent",
					   NULL};
	struct where w = {"lines", (long)i, "pool"};
	const json_t *x;
	char path[PB_JPATH_MAX];
	struct pb_error e;
	size_t n0 = d->nreason;
	int ok = 1;

	L->has_pool = 1;
	if (!is_object(v, &w, rank, L->id, d))
		return;
	check_keys(v, &w, keys, rank, L->id, d);
	L->pool_id = read_id(v, "id", &w, PB_JREQ, rank, L->id, d);
	if (!read_money(v, "total", &w, rank, L->id, &L->pool_total, d))
		ok = 0;
	x = json_object_get(v, "share_percent");
	if (json_is_integer(x) && json_integer_value(x) >= 1 &&
	    json_integer_value(x) <= 100) {
		L->share = json_integer_value(x) * 10;
	} else if (pb_json_tenths(x, wpath(path, &w, "share_percent"), PB_JREQ,
				  1, 1000, &L->share, PB_EDATA, &e) < 0) {
		bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
		ok = 0;
	}
	L->pool_ok = ok && L->pool_id && d->nreason == n0;
}

static void read_line(struct pb_plandoc *p, size_t i, const json_t *v,
		      struct pb_decision *d)
{
	static const char *const keys[] = {
		"id", "description", "category", "cost", "per", "outcomes",
		"stream", "family_in_household", "risk", "risk_plan", "pool",
		NULL
	};
	struct pb_planline *L = &p->line[i];
	struct where w = {"lines", (long)i, NULL};
	long rank = PB_RANK_LINE(i);
	char path[PB_JPATH_MAX], q[80];
	struct pb_error e;
	const json_t *x;
	const char *s;
	size_t j;
	int cost_ok;

	L->index = i;
	L->per = L->stream = L->paid_from = -1;
	L->cat_idx = -1;
	L->desc = "";
	if (!is_object(v, &w, rank, NULL, d)) {
		L->broken = 1;
		return;
	}
	L->id = read_id(v, "id", &w, PB_JREQ, rank, NULL, d);
	for (j = 0; L->id && j < i; j++)
		if (p->line[j].id && strcmp(p->line[j].id, L->id) == 0) {
			bad_at(d, PB_WHY_BAD_FIELD, rank, NULL, &w, "id",
			       "duplicate line id '%s'",
			       pb_quote(q, sizeof q, L->id, strlen(L->id)));
			L->id = NULL;
			break;
		}
	check_keys(v, &w, keys, rank, L->id, d);
	if ((s = read_text(v, "description", &w, rank, L->id, d)))
		L->desc = s;

	/* category: a code, compared as pb-ledger stores it */
	x = json_object_get(v, "category");
	if (!json_is_string(x)) {
		pb_json_str(x, wpath(path, &w, "category"), PB_JREQ, &s,
			    PB_EDATA, &e);
		bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
	} else if (s = json_string_value(x), strspn(s, " ") == strlen(s)) {
		bad_at(d, PB_WHY_BAD_FIELD, rank, L->id, &w, "category", "%s",
		       "empty");
	} else {
		L->cat_raw = s;
		if (pb_ledger_category(s, strlen(s), L->cat, NULL) < 0) {
			L->cat_state = PB_CAT_UNKNOWN;
			L->cat[0] = '\0';
		} else if ((L->cat_idx = pb_spending_find(p->policy, L->cat,
							   strlen(L->cat))) >= 0) {
			L->cat_state = PB_CAT_OK;
		} else if (pb_spending_forbids(p->policy, L->cat,
					       strlen(L->cat))) {
			L->cat_state = PB_CAT_FORBIDDEN;
		} else {
			L->cat_state = PB_CAT_UNKNOWN;
		}
	}

	/* cost and per */
	cost_ok = read_money(v, "cost", &w, rank, L->id, &L->cost, d);
	x = json_object_get(v, "per");
	if (!json_is_string(x)) {
		pb_json_str(x, wpath(path, &w, "per"), PB_JREQ, &s, PB_EDATA,
			    &e);
		bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
	} else if ((L->per = pb_per_parse(json_string_value(x),
					  json_string_length(x))) < 0) {
		s = json_string_value(x);
		bad_at(d, PB_WHY_BAD_FIELD, rank, L->id, &w, "per",
		       "not week, 4weeks, month, year or once '%s'",
		       pb_quote(q, sizeof q, s, strlen(s)));
	}
	if (cost_ok && L->per >= 0) {
		if (pb_plan_annual(L->cost, L->per, &L->annual) < 0)
			bad_at(d, PB_WHY_BAD_AMOUNT, rank, L->id, &w, "cost",
			       "%s",
			       "too large: its yearly cost is beyond the largest amount");
		else
			L->money_ok = 1;
	}

	/* the outcomes it serves */
	if ((x = json_object_get(v, "outcomes"))) {
		if (!is_array(x, &w, "outcomes", rank, L->id, d)) {
			L->out_bad = 1;
		} else {
			L->out = pb_xcalloc(json_array_size(x) + 1,
					    sizeof *L->out);
			for (j = 0; j < json_array_size(x); j++) {
				const json_t *o = json_array_get(x, j);

				if (json_is_string(o)) {
					L->out[L->nout++] = json_string_value(o);
					continue;
				}
				pb_jpath_index(path, wpath(q, &w, "outcomes"), j);
				pb_json_str(o, path, PB_JREQ, &s, PB_EDATA, &e);
				bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
				L->out_bad = 1;
			}
		}
	}

	/* the stream it names */
	if ((x = json_object_get(v, "stream"))) {
		if (!json_is_string(x)) {
			pb_json_str(x, wpath(path, &w, "stream"), PB_JOPT, &s,
				    PB_EDATA, &e);
			bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
		} else if ((L->stream = pb_stream_parse(json_string_value(x),
							json_string_length(x))) < 0) {
			s = json_string_value(x);
			bad_at(d, PB_WHY_BAD_FIELD, rank, L->id, &w, "stream",
			       "not a funding stream (social_care, health, s117) '%s'",
			       pb_quote(q, sizeof q, s, strlen(s)));
		}
	}

	/* flags for a person to look at */
	if ((x = json_object_get(v, "family_in_household"))) {
		if (json_is_boolean(x)) {
			L->family = json_is_true(x);
		} else {
			pb_json_bool(x, wpath(path, &w, "family_in_household"),
				     PB_JOPT, &L->family, PB_EDATA, &e);
			bad(d, PB_WHY_BAD_FIELD, rank, L->id, &e);
		}
	}
	if (json_object_get(v, "risk"))
		L->risk = read_text(v, "risk", &w, rank, L->id, d);
	if (json_object_get(v, "risk_plan"))
		L->risk_plan = read_text(v, "risk_plan", &w, rank, L->id, d);

	if ((x = json_object_get(v, "pool")))
		read_pool(L, x, i, rank, d);
}

static void read_plan(struct pb_plandoc *p, const json_t *doc,
		      struct pb_decision *d)
{
	static const char *const keys[] = {
		"plan_id", "person_id", "allocation_id", "outcomes", "lines",
		NULL
	};
	const json_t *v;
	size_t i;

	if (!json_is_object(doc)) {
		pb_decision_add(d, PB_WHY_BAD_FIELD, PB_RANK_PLAN, NULL, NULL,
				NULL, NULL, "a plan is a JSON object, not %s",
				json_is_array(doc) ? "an array" :
				json_is_string(doc) ? "a string" :
				json_is_number(doc) ? "a number" :
				json_is_boolean(doc) ? "a boolean" : "null");
		return;
	}
	p->is_object = 1;
	p->plan_id = read_id(doc, "plan_id", &at_plan, PB_JREQ, PB_RANK_PLAN,
			     NULL, d);
	p->person_id = read_id(doc, "person_id", &at_plan, PB_JREQ,
			       PB_RANK_PLAN, NULL, d);
	p->allocation_id = read_id(doc, "allocation_id", &at_plan, PB_JREQ,
				   PB_RANK_PLAN, NULL, d);
	check_keys(doc, &at_plan, keys, PB_RANK_PLAN, NULL, d);
	read_outcomes(p, json_object_get(doc, "outcomes"), d);
	v = json_object_get(doc, "lines");
	if (!is_array(v, &at_plan, "lines", PB_RANK_PLAN, NULL, d))
		return;
	p->lines_ok = 1;
	p->nline = json_array_size(v);
	p->line = pb_xcalloc(p->nline + 1, sizeof *p->line);
	p->amounts_ok = 1;
	for (i = 0; i < p->nline; i++) {
		read_line(p, i, json_array_get(v, i), d);
		if (!p->line[i].money_ok)
			p->amounts_ok = 0;
	}
	if (p->amounts_ok) {
		for (i = 0; i < p->nline; i++)
			if (pb_add_checked(p->total, p->line[i].annual,
					   &p->total) < 0) {
				pb_decision_add(d, PB_WHY_BAD_AMOUNT,
						PB_RANK_BUDGET, NULL, NULL,
						"lines", NULL, "%s",
						"the plan's yearly total is beyond the largest amount");
				p->amounts_ok = 0;
				break;
			}
	}
}

static void free_plan(struct pb_plandoc *p)
{
	size_t i;

	for (i = 0; i < p->nline; i++)
		free(p->line[i].out);
	free(p->line);
	free(p->out);
}

/* ---- the rules ------------------------------------------------------------- */

static char *money(char *buf, int64_t pence)
{
	return pb_money_format(buf, pence, PB_MONEY_DISPLAY);
}

/* The streams of an allocation that hold money. */
static unsigned funded(const struct pb_plan_alloc *a)
{
	unsigned m = 0;
	int k;

	for (k = 0; k < PB_NSTREAMS; k++)
		if (a->stream[k] > 0)
			m |= 1u << k;
	return m;
}

static int only_stream(unsigned mask)
{
	int k;

	for (k = 0; k < PB_NSTREAMS; k++)
		if (mask == 1u << k)
			return k;
	return -1;
}

static void rule_allocation(struct pb_plandoc *p,
			    const struct pb_plan_allocs *allocs,
			    struct pb_decision *d)
{
	const struct pb_plan_alloc *a;
	char q1[80], q2[80], q3[80];

	if (!p->allocation_id)
		return;
	a = pb_plan_allocs_get(allocs, p->allocation_id,
			       strlen(p->allocation_id));
	if (!a) {
		pb_decision_add(d, PB_WHY_NO_ALLOCATION, PB_RANK_PLAN, NULL,
				NULL, NULL, NULL,
				pb_plan_allocs_rejected(allocs, p->allocation_id,
							strlen(p->allocation_id))
				? "allocation '%s' was rejected: its record in the allocations cannot be used"
				: "no allocation '%s' among the allocations given",
				pb_quote(q1, sizeof q1, p->allocation_id,
					 strlen(p->allocation_id)));
		return;
	}
	if (p->person_id && strcmp(a->person_id, p->person_id) != 0) {
		pb_decision_add(d, PB_WHY_NO_ALLOCATION, PB_RANK_PLAN, NULL,
				NULL, NULL, NULL,
				"allocation '%s' is for person '%s', not '%s'",
				pb_quote(q1, sizeof q1, a->allocation_id,
					 strlen(a->allocation_id)),
				pb_quote(q2, sizeof q2, a->person_id,
					 strlen(a->person_id)),
				pb_quote(q3, sizeof q3, p->person_id,
					 strlen(p->person_id)));
		return;
	}
	p->alloc = a;
}

/* The stream each line is paid from: the one it names; else, when the
 * allocation has money in one stream only, that one; else none (the
 * budget as a whole). */
static void rule_streams_of_lines(struct pb_plandoc *p, struct pb_decision *d)
{
	const struct pb_spending *pol = p->policy;
	unsigned have = funded(p->alloc);
	int single = only_stream(have);
	char allowed[64], q[80];
	size_t i;

	for (i = 0; i < p->nline; i++) {
		struct pb_planline *L = &p->line[i];
		const struct pb_category *c;

		if (L->broken)
			continue;
		L->paid_from = L->stream >= 0 ? L->stream : single;
		if (L->cat_state != PB_CAT_OK)
			continue;
		c = &pol->cat[L->cat_idx];
		if (c->streams == PB_STREAMS_ALL)
			continue;
		pb_streams_text(allowed, sizeof allowed, c->streams);
		pb_quote(q, sizeof q, L->cat, strlen(L->cat));
		if (L->stream >= 0 && !(c->streams & (1u << L->stream))) {
			pb_decision_add(d, PB_WHY_CATEGORY_NOT_FOR_STREAM,
					PB_RANK_LINE(i), L->id, NULL, NULL,
					L->desc,
					"category '%s' may be paid only from %s, not from %s",
					q, allowed, pb_stream_names[L->stream]);
			L->stream_flagged = 1;
		} else if (L->stream < 0 && single >= 0 &&
			   !(c->streams & (1u << single))) {
			pb_decision_add(d, PB_WHY_CATEGORY_NOT_FOR_STREAM,
					PB_RANK_LINE(i), L->id, NULL, NULL,
					L->desc,
					"category '%s' may be paid only from %s, and this allocation is all %s",
					q, allowed, pb_stream_names[single]);
			L->stream_flagged = 1;
		} else if (L->stream < 0 && single < 0 &&
			   !(c->streams & have)) {
			pb_decision_add(d, PB_WHY_CATEGORY_NOT_FOR_STREAM,
					PB_RANK_LINE(i), L->id, NULL, NULL,
					L->desc,
					"category '%s' may be paid only from %s, and this allocation has no money in %s",
					q, allowed,
					c->streams & (c->streams - 1) ? "them" : "it");
			L->stream_flagged = 1;
		}
	}
}

static void rule_budget(struct pb_plandoc *p, struct pb_decision *d)
{
	const struct pb_plan_alloc *a = p->alloc;
	int64_t tol = p->policy->tolerance;
	int64_t budget = a->weekly * 52, paid[PB_NSTREAMS] = {0, 0, 0};
	__int128 room[PB_NSTREAMS];
	char m1[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ], m3[PB_MONEY_BUFSZ],
	     m4[PB_MONEY_BUFSZ], m5[PB_MONEY_BUFSZ], pct[32], names[64];
	unsigned failed[8];
	size_t i, nfailed = 0;
	int k, over = 0;
	static const unsigned subsets[] = {1, 2, 4, 3, 5, 6};

	/* the whole budget */
	if (!pb_plan_within(p->total, budget, tol)) {
		over = 1;
		if (tol > 0) {
			int64_t most = (int64_t)((__int128)budget * (1000 + tol) / 1000);

			pb_decision_add(d, PB_WHY_OVER_BUDGET, PB_RANK_BUDGET,
					NULL, NULL, NULL, NULL,
					"the plan costs %s a year, %s more than the budget of %s (%s a week for 52 weeks); with the policy's %s tolerance it may cost at most %s",
					money(m1, p->total),
					money(m2, p->total - budget),
					money(m3, budget), money(m4, a->weekly),
					pb_plan_pct(pct, sizeof pct, tol),
					money(m5, most));
		} else {
			pb_decision_add(d, PB_WHY_OVER_BUDGET, PB_RANK_BUDGET,
					NULL, NULL, NULL, NULL,
					"the plan costs %s a year, %s more than the budget of %s (%s a week for 52 weeks)",
					money(m1, p->total),
					money(m2, p->total - budget),
					money(m3, budget), money(m4, a->weekly));
		}
	}

	/* each stream: the lines paid from it */
	for (i = 0; i < p->nline; i++)
		if (p->line[i].paid_from >= 0)
			paid[p->line[i].paid_from] += p->line[i].annual;
	for (k = 0; k < PB_NSTREAMS; k++) {
		int64_t sb = a->stream[k] * 52;

		room[k] = (__int128)sb * (1000 + tol) - (__int128)paid[k] * 1000;
		if (room[k] < 0)
			room[k] = 0;
		if (pb_plan_within(paid[k], sb, tol))
			continue;
		/* Said already: everything is in this stream and the
		 * plan is over the whole budget. */
		if (over && paid[k] == p->total)
			continue;
		pb_decision_add(d, PB_WHY_STREAM_OVER_BUDGET, PB_RANK_BUDGET,
				NULL, NULL, NULL, NULL,
				"lines paid from %s cost %s a year, %s more than its %s (%s a week for 52 weeks)",
				pb_stream_names[k], money(m1, paid[k]),
				money(m2, paid[k] - sb), money(m3, sb),
				money(m4, a->stream[k]));
	}

	/*
	 * Lines paid from no one stream, of categories only some streams
	 * may pay for: they fit when, for every set S of streams, the
	 * lines that only streams in S may pay for cost no more than the
	 * room left in S (Hall's condition: then the money can be split
	 * so that each is paid from a stream it may be).
	 */
	for (i = 0; i < sizeof subsets / sizeof subsets[0]; i++) {
		unsigned s = subsets[i];
		__int128 need = 0, left = 0;
		size_t j;
		int skip = 0;

		for (j = 0; j < nfailed; j++)
			if ((failed[j] & ~s) == 0)
				skip = 1;
		if (skip)
			continue;
		for (j = 0; j < p->nline; j++) {
			const struct pb_planline *L = &p->line[j];

			if (L->paid_from >= 0 || L->cat_state != PB_CAT_OK ||
			    L->stream_flagged)
				continue;
			if ((p->policy->cat[L->cat_idx].streams & ~s) == 0)
				need += L->annual;
		}
		if (need == 0)
			continue;
		for (k = 0; k < PB_NSTREAMS; k++)
			if (s & (1u << k))
				left += room[k];
		if (need * 1000 <= left)
			continue;
		failed[nfailed++] = s;
		pb_decision_add(d, PB_WHY_STREAM_OVER_BUDGET, PB_RANK_BUDGET,
				NULL, NULL, NULL, NULL,
				"lines that only %s may pay for cost %s a year, more than the %s left in %s",
				pb_streams_text(names, sizeof names, s),
				money(m1, (int64_t)need),
				money(m2, (int64_t)(left / 1000)),
				s & (s - 1) ? "those streams" : "that stream");
	}

	/* contingency */
	if (p->policy->contingency_max >= 0) {
		int64_t c = 0;
		const char *first = NULL, *label = NULL;

		for (i = 0; i < p->nline; i++) {
			const struct pb_planline *L = &p->line[i];

			if (L->cat_state != PB_CAT_OK ||
			    strcmp(L->cat, PB_CONTINGENCY) != 0)
				continue;
			c += L->annual;
			if (!first) {
				first = L->id;
				label = L->desc;
			}
		}
		if ((__int128)c * 1000 >
			    (__int128)budget * p->policy->contingency_max) {
			char cap[32], share[32];
			int64_t most = (int64_t)((__int128)budget *
						 p->policy->contingency_max /
						 1000);

			pb_plan_pct(cap, sizeof cap, p->policy->contingency_max);
			if (budget > 0)
				pb_plan_pct(share, sizeof share,
					    pb_pct_tenths(c, budget));
			pb_decision_add(d, PB_WHY_CONTINGENCY_TOO_HIGH,
					PB_RANK_BUDGET, first, NULL, NULL, label,
					"contingency comes to %s a year%s%s%s; policy %s allows at most %s of the budget of %s (%s)",
					money(m1, c),
					budget > 0 ? ", " : "",
					budget > 0 ? share : "",
					budget > 0 ? " of the budget" : "",
					p->policy->version, cap,
					money(m2, budget), money(m3, most));
		}
	}
}

static void rule_lines(struct pb_plandoc *p, struct pb_decision *d)
{
	const struct pb_spending *pol = p->policy;
	char q1[80], q2[80], m1[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ],
	     m3[PB_MONEY_BUFSZ], pct[32];
	size_t i, j, k;

	for (i = 0; i < p->nline; i++) {
		struct pb_planline *L = &p->line[i];
		long rank = PB_RANK_LINE(i);

		if (L->broken)
			continue;
		/* category */
		if (L->cat_state == PB_CAT_FORBIDDEN) {
			pb_decision_add(d, PB_WHY_FORBIDDEN_CATEGORY, rank, L->id,
					NULL, NULL, L->desc,
					"category '%s' is forbidden by policy %s: a personal budget cannot pay for it",
					pb_quote(q1, sizeof q1, L->cat,
						 strlen(L->cat)),
					pol->version);
		} else if (L->cat_state == PB_CAT_UNKNOWN) {
			pb_decision_add(d, PB_WHY_UNKNOWN_CATEGORY, rank, L->id,
					NULL, NULL, L->desc,
					"category '%s' is not in policy %s: choose one of its categories, or ask the council to add one",
					pb_quote(q1, sizeof q1, L->cat_raw,
						 strlen(L->cat_raw)),
					pol->version);
		} else if (L->cat_state == PB_CAT_OK) {
			const struct pb_category *c = &pol->cat[L->cat_idx];

			for (j = 0; j < c->nrequires; j++) {
				for (k = 0; k < p->nline; k++)
					if (p->line[k].cat_state == PB_CAT_OK &&
					    (size_t)p->line[k].cat_idx ==
						    c->requires[j])
						break;
				if (k < p->nline)
					continue;
				pb_decision_add(d, PB_WHY_MISSING_REQUIRED, rank,
						L->id, NULL, NULL, L->desc,
						"category '%s' needs a line of category '%s' in the same plan",
						pb_quote(q1, sizeof q1, c->name,
							 strlen(c->name)),
						pb_quote(q2, sizeof q2,
							 pol->cat[c->requires[j]].name,
							 strlen(pol->cat[c->requires[j]].name)));
			}
			if (c->review)
				pb_decision_add(d, PB_WHY_REVIEW_CATEGORY, rank,
						L->id, NULL, NULL, L->desc,
						"category '%s' is one that policy %s asks a person at the council to look at",
						pb_quote(q1, sizeof q1, c->name,
							 strlen(c->name)),
						pol->version);
		}
		/* outcomes over activity */
		if (L->nout == 0 && !L->out_bad)
			pb_decision_add(d, PB_WHY_LINE_WITHOUT_OUTCOME, rank,
					L->id, NULL, NULL, L->desc,
					"serves none of the plan's outcomes: say which outcome it is for");
		for (j = 0; p->outcomes_ok && j < L->nout; j++)
			if (!find_outcome(p, L->out[j]))
				pb_decision_add(d, PB_WHY_UNKNOWN_OUTCOME, rank,
						L->id, L->out[j], NULL, L->desc,
						"names outcome '%s', which is not one of the plan's outcomes",
						pb_quote(q1, sizeof q1, L->out[j],
							 strlen(L->out[j])));
		/* for a person to look at */
		if (L->family)
			pb_decision_add(d, PB_WHY_FAMILY_IN_HOUSEHOLD, rank,
					L->id, NULL, NULL, L->desc,
					"pays a close relative who lives in the same household: the council must agree that this is necessary");
		if (L->risk && L->risk[strspn(L->risk, " \t")] != '\0' &&
		    (!L->risk_plan ||
		     L->risk_plan[strspn(L->risk_plan, " \t")] == '\0'))
			pb_decision_add(d, PB_WHY_RISK_WITHOUT_PLAN, rank,
					L->id, NULL, NULL, L->desc,
					"notes a risk but no plan for it: talk it through with the person and write down what will be done");
		/* a share of a pooled cost */
		if (L->pool_ok && L->money_ok) {
			__int128 want = (__int128)L->pool_total * L->share;
			__int128 diff = (__int128)L->cost * 1000 - want;
			int64_t shown;

			if (diff < 0)
				diff = -diff;
			if (diff > 1000) {
				pb_muldiv_round(L->pool_total, L->share, 1000,
						&shown);
				pb_decision_add(d, PB_WHY_POOL_SHARE_MISMATCH,
						rank, L->id, NULL, NULL, L->desc,
						"costs %s, but its share of pool '%s' (%s of %s) is %s",
						money(m1, L->cost),
						pb_quote(q1, sizeof q1,
							 L->pool_id,
							 strlen(L->pool_id)),
						pb_plan_pct(pct, sizeof pct,
							    L->share),
						money(m2, L->pool_total),
						money(m3, shown));
			}
		}
		if (L->pool_ok)
			add_pool(d, L->pool_id, L->share, L->id, L->desc);
	}
}

void pb_plan_decide(const struct pb_spending *policy,
		    const struct pb_plan_allocs *allocs, const json_t *doc,
		    const char *source, struct pb_decision *d)
{
	struct pb_plandoc p;

	pb_decision_reset(d);
	free(d->source);
	d->source = pb_xstrdup(source ? source : "");
	memset(&p, 0, sizeof p);
	p.policy = policy;
	read_plan(&p, doc, d);
	if (p.plan_id) {
		free(d->plan_id);
		d->plan_id = pb_xstrdup(p.plan_id);
	}
	if (p.person_id) {
		free(d->person_id);
		d->person_id = pb_xstrdup(p.person_id);
	}
	if (p.allocation_id) {
		free(d->allocation_id);
		d->allocation_id = pb_xstrdup(p.allocation_id);
	}
	if (p.is_object)
		rule_allocation(&p, allocs, d);
	if (p.alloc) {
		d->has_budget = 1;
		d->budget = p.alloc->weekly * 52;
		if (p.lines_ok)
			rule_streams_of_lines(&p, d);
	}
	if (p.lines_ok)
		rule_lines(&p, d);
	if (p.lines_ok && p.amounts_ok) {
		d->has_total = 1;
		d->total = p.total;
		if (p.alloc)
			rule_budget(&p, d);
	}
	if (d->want_page)
		pb_plan_page(&p, &d->page);
	pb_decision_sort(d);
	free_plan(&p);
}
