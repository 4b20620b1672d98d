/*
 * ras.c - a resource allocation system (CONTRACTS.md §3): the config,
 * checked whole when it loads; points into an indicative budget; the
 * self/practitioner discrepancy rule; calibration to a pot.
 *
 * Every amount is pence in an int64_t; products that could pass
 * PB_MONEY_MAX are formed in 128 bits and checked.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pbjson.h"
#include "ras.h"

#define EU PB_EUSAGE

void pb_ras_free(struct pb_ras *r)
{
	size_t i, k;

	if (!r)
		return;
	free(r->name);
	free(r->version);
	for (i = 0; i < r->nq; i++) {
		for (k = 0; k < r->q[i].nanswer; k++) {
			free(r->q[i].answer[k].code);
			free(r->q[i].answer[k].norm);
		}
		free(r->q[i].answer);
		free(r->q[i].id);
	}
	free(r->q);
	for (i = 0; i < r->ndomain; i++)
		free(r->domain[i]);
	free(r->domain);
	free(r->band);
	free(r);
}

/* ---- checking the config --------------------------------------------- */

/* A question id or domain: letters, digits and '_' (a column name). */
static int check_name(const char *s, const char *path, struct pb_error *e)
{
	char q[80];
	size_t i, n = strlen(s);

	if (n == 0)
		return pb_json_fail(e, EU, path, "empty name");
	if (n > PB_RAS_NAME_MAX)
		return pb_json_fail(e, EU, path,
				    "longer than %d characters '%s'",
				    PB_RAS_NAME_MAX, pb_quote(q, sizeof q, s, n));
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return pb_json_fail(e, EU, path,
				"not a column name '%s' (use letters, digits and _)",
				pb_quote(q, sizeof q, s, n));
	}
	return 0;
}

/* Columns pb-assess reads or writes itself: not question ids. */
static int reserved_column(const char *norm)
{
	static const char *const names[] = {
		"person_id", "assessment_date", "assessor", "points",
		"indicative_weekly", "indicative_annual", "ras_version",
		"flags", "reject_reason", NULL
	};
	size_t i;

	if (strncmp(norm, "points_", 7) == 0)
		return 1;
	for (i = 0; names[i]; i++)
		if (strcmp(norm, names[i]) == 0)
			return 1;
	return 0;
}

static int load_answers(struct pb_ras *r, struct pb_ras_question *q,
			const json_t *v, const char *path, struct pb_error *e)
{
	const char *code;
	json_t *pts;
	char p[PB_JPATH_MAX], norm[128], qa[80], qb[80];
	size_t k;

	(void)r;
	if (pb_json_object(v, path, EU, e) < 0)
		return -EU;
	if (json_object_size(v) == 0)
		return pb_json_fail(e, EU, path, "no answers");
	if (json_object_size(v) > PB_RAS_MAX_ANSWERS)
		return pb_json_fail(e, EU, path, "more than %d answers",
				    PB_RAS_MAX_ANSWERS);
	q->answer = pb_xcalloc(json_object_size(v), sizeof *q->answer);
	json_object_foreach((json_t *)v, code, pts) {
		struct pb_ras_answer *a = &q->answer[q->nanswer];
		int64_t n = 0;

		pb_jpath_key(p, path, code);
		pb_colname_norm(norm, sizeof norm, code);
		if (norm[0] == '\0')
			return pb_json_fail(e, EU, path, "an empty answer code");
		if (strlen(code) > 64)
			return pb_json_fail(e, EU, path,
					    "answer code longer than 64 characters '%s'",
					    pb_quote(qa, sizeof qa, code, strlen(code)));
		for (k = 0; k < q->nanswer; k++)
			if (strcmp(q->answer[k].norm, norm) == 0)
				return pb_json_fail(e, EU, path,
					"duplicate code '%s' (the same as '%s')",
					pb_quote(qa, sizeof qa, code, strlen(code)),
					pb_quote(qb, sizeof qb, q->answer[k].code,
						 strlen(q->answer[k].code)));
		if (json_is_integer(pts) && json_integer_value(pts) < 0)
			return pb_json_fail(e, EU, p,
					    "negative points %lld: points are 0 or more",
					    (long long)json_integer_value(pts));
		if (pb_json_int(pts, p, PB_JREQ, 0, PB_RAS_MAX_POINTS, &n, EU,
				e) < 0)
			return -EU;
		a->code = pb_xstrdup(code);
		a->len = strlen(code);
		a->norm = pb_xstrdup(norm);
		a->points = n;
		q->nanswer++;
	}
	return 0;
}

static int load_question(struct pb_ras *r, size_t i, const json_t *v,
			 struct pb_error *e)
{
	static const char *const keys[] = {"id", "domain", "required",
					   "answers", NULL};
	struct pb_ras_question *q = &r->q[i];
	char path[PB_JPATH_MAX], p[PB_JPATH_MAX], na[128], nb[128], qa[80];
	const char *id = NULL, *domain = NULL;
	int required = 1;
	size_t k;

	pb_jpath_index(path, "questions", i);
	if (pb_json_object(v, path, EU, e) < 0 ||
	    pb_json_keys(v, path, keys, EU, e) < 0)
		return -EU;
	pb_jpath_key(p, path, "id");
	if (pb_json_str(json_object_get(v, "id"), p, PB_JREQ, &id, EU, e) < 0 ||
	    check_name(id, p, e) < 0)
		return -EU;
	pb_colname_norm(na, sizeof na, id);
	if (reserved_column(na))
		return pb_json_fail(e, EU, p,
				    "'%s' is a column pb-assess reads or writes itself",
				    pb_quote(qa, sizeof qa, id, strlen(id)));
	for (k = 0; k < i; k++) {
		pb_colname_norm(nb, sizeof nb, r->q[k].id);
		if (strcmp(na, nb) == 0)
			return pb_json_fail(e, EU, p,
					    "duplicate question id '%s' (also questions[%zu])",
					    pb_quote(qa, sizeof qa, id, strlen(id)), k);
	}
	q->id = pb_xstrdup(id);

	pb_jpath_key(p, path, "domain");
	if (pb_json_str(json_object_get(v, "domain"), p, PB_JREQ, &domain, EU,
			e) < 0 || check_name(domain, p, e) < 0)
		return -EU;
	for (k = 0; k < r->ndomain; k++) {
		if (strcmp(r->domain[k], domain) == 0)
			break;
		if (strcasecmp(r->domain[k], domain) == 0)
			return pb_json_fail(e, EU, p,
					    "domain '%s' is written '%s' elsewhere",
					    pb_quote(qa, sizeof qa, domain,
						     strlen(domain)),
					    r->domain[k]);
	}
	if (k == r->ndomain) {
		r->domain = pb_xrealloc(r->domain,
					(r->ndomain + 1) * sizeof *r->domain);
		r->domain[r->ndomain++] = pb_xstrdup(domain);
	}
	q->domain = k;

	pb_jpath_key(p, path, "required");
	if (pb_json_bool(json_object_get(v, "required"), p, PB_JOPT, &required,
			 EU, e) < 0)
		return -EU;
	q->required = required;

	pb_jpath_key(p, path, "answers");
	return load_answers(r, q, json_object_get(v, "answers"), p, e);
}

/* dst |= src << shift, over n 64-bit words. */
static void shift_or(uint64_t *dst, const uint64_t *src, size_t n,
		     size_t shift)
{
	size_t w = shift / 64, b = shift % 64, i;

	for (i = n; i-- > w;) {
		uint64_t v = src[i - w] << b;

		if (b && i - w > 0)
			v |= src[i - w - 1] >> (64 - b);
		dst[i] |= v;
	}
}

/*
 * The totals the questions can reach (an unanswered optional question
 * scores 0), as a bitset of max_points + 1 bits; caller frees.
 */
static uint64_t *reachable(const struct pb_ras *r, size_t *nwords)
{
	size_t n = (size_t)r->max_points / 64 + 1, i, k;
	uint64_t *cur = pb_xcalloc(n, sizeof *cur);
	uint64_t *next = pb_xcalloc(n, sizeof *next);

	cur[0] = 1;
	for (i = 0; i < r->nq; i++) {
		const struct pb_ras_question *q = &r->q[i];

		memset(next, 0, n * sizeof *next);
		if (!q->required)
			shift_or(next, cur, n, 0);
		for (k = 0; k < q->nanswer; k++)
			shift_or(next, cur, n, (size_t)q->answer[k].points);
		memcpy(cur, next, n * sizeof *cur);
	}
	free(next);
	*nwords = n;
	return cur;
}

static int load_bands(struct pb_ras *r, const json_t *v, struct pb_error *e)
{
	static const char *const keys[] = {"from", "to", "weekly", NULL};
	char path[PB_JPATH_MAX], p[PB_JPATH_MAX];
	size_t i, nw, b;
	uint64_t *reach;
	int64_t t;

	if (pb_json_array(v, "money.bands", EU, e) < 0)
		return -EU;
	if (json_array_size(v) == 0)
		return pb_json_fail(e, EU, "money.bands", "no bands");
	if (json_array_size(v) > PB_RAS_MAX_BANDS)
		return pb_json_fail(e, EU, "money.bands", "more than %d bands",
				    PB_RAS_MAX_BANDS);
	r->band = pb_xcalloc(json_array_size(v), sizeof *r->band);
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *o = json_array_get(v, i);
		struct pb_ras_band *bd = &r->band[i];

		pb_jpath_index(path, "money.bands", i);
		if (pb_json_object(o, path, EU, e) < 0 ||
		    pb_json_keys(o, path, keys, EU, e) < 0)
			return -EU;
		if (pb_json_int(json_object_get(o, "from"),
				pb_jpath_key(p, path, "from"), PB_JREQ, 0,
				INT32_MAX, &bd->from, EU, e) < 0 ||
		    pb_json_int(json_object_get(o, "to"),
				pb_jpath_key(p, path, "to"), PB_JREQ, 0,
				INT32_MAX, &bd->to, EU, e) < 0 ||
		    pb_json_money(json_object_get(o, "weekly"),
				  pb_jpath_key(p, path, "weekly"), PB_JREQ,
				  &bd->weekly, EU, e) < 0)
			return -EU;
		if (bd->weekly < 0)
			return pb_json_fail(e, EU, p, "must not be negative");
		if (bd->to < bd->from)
			return pb_json_fail(e, EU, path,
					    "'to' %lld is below 'from' %lld",
					    (long long)bd->to,
					    (long long)bd->from);
		if (i > 0 && bd->from <= r->band[i - 1].to)
			return pb_json_fail(e, EU, path,
				"from %lld overlaps money.bands[%zu] (%lld to %lld): "
				"bands go in order without overlap",
				(long long)bd->from, i - 1,
				(long long)r->band[i - 1].from,
				(long long)r->band[i - 1].to);
		r->nband++;
	}
	/* Every reachable total but 0 (which gives 0) needs a band. */
	reach = reachable(r, &nw);
	for (t = 1, b = 0; t <= r->max_points; t++) {
		if (!(reach[t / 64] >> (t % 64) & 1))
			continue;
		while (b < r->nband && r->band[b].to < t)
			b++;
		if (b == r->nband || r->band[b].from > t) {
			free(reach);
			return pb_json_fail(e, EU, "money.bands",
				"no band covers %lld points, a total the questions can reach",
				(long long)t);
		}
	}
	free(reach);
	return 0;
}

/*
 * Every budget the RAS can give, rounded and raised or capped, must be
 * money, and so must a year of it (weekly x 52): then scoring never
 * fails.  Per point the budget never falls as the points rise, so the
 * most points give the largest; with bands, each band that a total
 * reaches gives one.
 */
static int check_largest(const struct pb_ras *r, struct pb_error *e)
{
	struct pb_ras_money m;
	char a[PB_MONEY_BUFSZ], band[PB_JPATH_MAX], path[PB_JPATH_MAX];
	int64_t most = 0;
	size_t b;

	if (r->has_price) {
		if (pb_ras_money(r, r->price, r->max_points, &m, NULL) < 0)
			return pb_json_fail(e, EU, "money.per_point_weekly",
				"%lld points (the most the questions give) at %s a point is beyond the largest amount",
				(long long)r->max_points,
				pb_money_format(a, r->price, PB_MONEY_PLAIN));
		most = m.weekly;
	}
	for (b = 0; !r->has_price && b < r->nband; b++) {
		int64_t p = r->band[b].from > 0 ? r->band[b].from : 1;

		if (p > r->max_points)
			break;
		if (pb_ras_money(r, 0, p, &m, NULL) < 0)
			return pb_json_fail(e, EU,
				pb_jpath_key(path, pb_jpath_index(band, "money.bands", b),
					     "weekly"),
				"rounded to round_to it is beyond the largest amount");
		if (m.weekly > most)
			most = m.weekly;
	}
	if (most > PB_MONEY_MAX / 52)
		return pb_json_fail(e, EU, "money",
			"the largest indicative budget, %s a week, is beyond the largest amount for a year (52 weeks)",
			pb_money_format(a, most, PB_MONEY_PLAIN));
	return 0;
}

static int load_amount(const json_t *money, const char *key, int required,
		       int64_t *out, struct pb_error *e)
{
	char p[PB_JPATH_MAX];
	int rc;

	pb_jpath_key(p, "money", key);
	rc = pb_json_money(json_object_get(money, key), p, required, out, EU, e);
	if (rc > 0 && *out < 0)
		return pb_json_fail(e, EU, p, "must not be negative");
	return rc;
}

static int load_money(struct pb_ras *r, const json_t *m, struct pb_error *e)
{
	static const char *const keys[] = {"per_point_weekly", "bands",
					   "minimum_weekly", "maximum_weekly",
					   "round_to", NULL};
	char a[PB_MONEY_BUFSZ], b[PB_MONEY_BUFSZ];
	int rc;

	if (pb_json_object(m, "money", EU, e) < 0 ||
	    pb_json_keys(m, "money", keys, EU, e) < 0)
		return -EU;
	if (json_object_get(m, "per_point_weekly") &&
	    json_object_get(m, "bands"))
		return pb_json_fail(e, EU, "money",
				    "per_point_weekly and bands: give one, not both");
	if (!json_object_get(m, "per_point_weekly") &&
	    !json_object_get(m, "bands"))
		return pb_json_fail(e, EU, "money",
				    "no per_point_weekly or bands: the RAS needs a price");
	if (load_amount(m, "minimum_weekly", PB_JOPT, &r->minimum, e) < 0)
		return -EU;
	rc = load_amount(m, "maximum_weekly", PB_JOPT, &r->maximum, e);
	if (rc < 0)
		return -EU;
	r->has_maximum = rc > 0;
	if (r->has_maximum && r->minimum > r->maximum)
		return pb_json_fail(e, EU, "money.minimum_weekly",
				    "%s is above maximum_weekly %s",
				    pb_money_format(a, r->minimum, PB_MONEY_PLAIN),
				    pb_money_format(b, r->maximum, PB_MONEY_PLAIN));
	rc = load_amount(m, "round_to", PB_JOPT, &r->round_to, e);
	if (rc < 0)
		return -EU;
	if (rc > 0 && r->round_to == 0)
		return pb_json_fail(e, EU, "money.round_to",
				    "must be more than 0.00 (0.01: to the penny)");
	rc = load_amount(m, "per_point_weekly", PB_JOPT, &r->price, e);
	if (rc < 0)
		return -EU;
	r->has_price = rc > 0;
	if (!r->has_price && load_bands(r, json_object_get(m, "bands"), e) < 0)
		return -EU;
	return check_largest(r, e);
}

struct pb_ras *pb_ras_from_json(const json_t *doc, struct pb_error *e)
{
	static const char *const keys[] = {"name", "version", "questions",
					   "money", "discrepancy_percent",
					   NULL};
	struct pb_ras *r;
	const json_t *qs;
	const char *s = NULL;
	size_t i, k;

	if (pb_json_object(doc, "", EU, e) < 0 ||
	    pb_json_keys(doc, "", keys, EU, e) < 0)
		return NULL;
	r = pb_xcalloc(1, sizeof *r);
	r->round_to = 1;
	r->discrepancy = 200;
	if (pb_json_str(json_object_get(doc, "name"), "name", PB_JOPT, &s, EU,
			e) < 0)
		goto fail;
	r->name = pb_xstrdup(s ? s : "");
	s = NULL;
	if (pb_json_str(json_object_get(doc, "version"), "version", PB_JREQ,
			&s, EU, e) < 0)
		goto fail;
	if (*s == '\0') {
		pb_json_fail(e, EU, "version", "empty: outputs carry the version");
		goto fail;
	}
	r->version = pb_xstrdup(s);
	if (pb_json_tenths(json_object_get(doc, "discrepancy_percent"),
			   "discrepancy_percent", PB_JOPT, 0, 10000,
			   &r->discrepancy, EU, e) < 0)
		goto fail;

	qs = json_object_get(doc, "questions");
	if (pb_json_array(qs, "questions", EU, e) < 0)
		goto fail;
	if (json_array_size(qs) == 0) {
		pb_json_fail(e, EU, "questions", "no questions");
		goto fail;
	}
	if (json_array_size(qs) > PB_RAS_MAX_QUESTIONS) {
		pb_json_fail(e, EU, "questions", "more than %d questions",
			     PB_RAS_MAX_QUESTIONS);
		goto fail;
	}
	r->q = pb_xcalloc(json_array_size(qs), sizeof *r->q);
	for (i = 0; i < json_array_size(qs); i++) {
		int64_t top = 0;

		r->nq = i + 1;
		if (load_question(r, i, json_array_get(qs, i), e) < 0)
			goto fail;
		for (k = 0; k < r->q[i].nanswer; k++)
			if (r->q[i].answer[k].points > top)
				top = r->q[i].answer[k].points;
		r->max_points += top;
	}
	if (load_money(r, json_object_get(doc, "money"), e) < 0)
		goto fail;
	return r;
fail:
	pb_ras_free(r);
	return NULL;
}

struct pb_ras *pb_ras_load(const char *path, struct pb_error *e)
{
	json_t *doc = pb_json_load_file(path, EU, e);
	struct pb_ras *r;

	if (!doc)
		return NULL;
	pb_error_clear(e);
	r = pb_ras_from_json(doc, e);
	json_decref(doc);
	if (!r)
		pb_error_at(e, pb_path_label(path), 0, NULL);
	return r;
}

/* ---- answers ------------------------------------------------------------ */

int pb_ras_answer(const struct pb_ras *r, size_t qi, const char *s, size_t n)
{
	const struct pb_ras_question *q = &r->q[qi];
	char norm[128];
	size_t k;

	for (k = 0; k < q->nanswer; k++)
		if (q->answer[k].len == n && memcmp(q->answer[k].code, s, n) == 0)
			return (int)k;
	if (n >= sizeof norm - 1)
		return -1;
	pb_colname_norm(norm, sizeof norm, s);
	for (k = 0; k < q->nanswer; k++)
		if (strcmp(q->answer[k].norm, norm) == 0)
			return (int)k;
	return -1;
}

char *pb_ras_answer_list(const struct pb_ras *r, size_t qi, char *buf,
			 size_t n)
{
	const struct pb_ras_question *q = &r->q[qi];
	size_t k, o = 0;

	buf[0] = '\0';
	for (k = 0; k < q->nanswer; k++) {
		size_t len = strlen(q->answer[k].code);

		if (o + len + 6 >= n) {
			snprintf(buf + o, n - o, "%s...", k ? ", " : "");
			break;
		}
		o += (size_t)snprintf(buf + o, n - o, "%s%s", k ? ", " : "",
				      q->answer[k].code);
	}
	return buf;
}

/* ---- money -------------------------------------------------------------- */

static const struct pb_ras_band *find_band(const struct pb_ras *r,
					   int64_t points)
{
	size_t lo = 0, hi = r->nband;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->band[mid].to < points)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nband && r->band[lo].from <= points)
		return &r->band[lo];
	return NULL;
}

int pb_ras_money(const struct pb_ras *r, int64_t price, int64_t points,
		 struct pb_ras_money *m, struct pb_error *e)
{
	memset(m, 0, sizeof *m);
	m->points = points;
	if (points <= 0) {
		m->rule = PB_RAS_ZERO;
		return 0;
	}
	if (r->has_price) {
		__int128 raw = (__int128)points * price;

		m->rule = PB_RAS_PER_POINT;
		m->price = price;
		if (raw > PB_MONEY_MAX)
			return pb_error_set(e, PB_EDATA,
				"%lld points at the price per point is beyond the largest amount",
				(long long)points);
		m->raw = (int64_t)raw;
	} else {
		m->rule = PB_RAS_BAND;
		m->band = find_band(r, points);
		if (!m->band)   /* the config check makes this unreachable */
			return pb_error_set(e, PB_EDATA,
					    "no band covers %lld points",
					    (long long)points);
		m->raw = m->band->weekly;
	}
	m->rounded = pb_round_to(m->raw, r->round_to);
	m->weekly = m->rounded;
	if (m->rounded < r->minimum) {
		m->clamp = PB_RAS_CLAMP_MIN;
		m->weekly = r->minimum;
	} else if (r->has_maximum && m->rounded > r->maximum) {
		m->clamp = PB_RAS_CLAMP_MAX;
		m->weekly = r->maximum;
	}
	if (m->weekly > PB_MONEY_MAX)
		return pb_error_set(e, PB_EDATA,
			"%lld points at the price per point is beyond the largest amount",
			(long long)points);
	m->annual = m->weekly * 52;
	return 0;
}

int pb_ras_discrepancy(const struct pb_ras *r, int64_t self, int64_t pract)
{
	int64_t d = self - pract;
	__int128 lhs, rhs;

	if (d == 0)
		return PB_RAS_SELF_LEVEL;
	lhs = (__int128)(d < 0 ? -d : d) * 1000;
	rhs = (__int128)pract * r->discrepancy;
	if (lhs < rhs)
		return PB_RAS_SELF_LEVEL;
	return d < 0 ? PB_RAS_SELF_BELOW : PB_RAS_SELF_ABOVE;
}

char *pb_ras_money_grouped(char *buf, int64_t pence)
{
	char tmp[PB_MONEY_BUFSZ];
	const char *s = pb_money_format(tmp, pence, PB_MONEY_DISPLAY);
	size_t o = 0;

	/* £ is two bytes of UTF-8, C2 A3. */
	for (; *s; s++) {
		if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa3) {
			s++;
			continue;
		}
		buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

/* ---- calibration ---------------------------------------------------------- */

void pb_ras_hist_init(struct pb_ras_hist *h)
{
	h->count = NULL;
	h->n = 0;
}

void pb_ras_hist_fini(struct pb_ras_hist *h)
{
	free(h->count);
	h->count = NULL;
	h->n = 0;
}

void pb_ras_hist_add(struct pb_ras_hist *h, int64_t points)
{
	size_t p = points < 0 ? 0 : (size_t)points;

	if (p >= h->n) {
		size_t n = h->n ? h->n : 64;

		while (n <= p)
			n *= 2;
		h->count = pb_xrealloc(h->count, n * sizeof *h->count);
		memset(h->count + h->n, 0, (n - h->n) * sizeof *h->count);
		h->n = n;
	}
	h->count[p]++;
}

int pb_ras_hist_total(const struct pb_ras *r, const struct pb_ras_hist *h,
		      int64_t price, int64_t *total)
{
	__int128 sum = 0;
	size_t k;

	for (k = 1; k < h->n; k++) {
		struct pb_ras_money m;

		if (!h->count[k])
			continue;
		if (pb_ras_money(r, price, (int64_t)k, &m, NULL) < 0) {
			*total = PB_MONEY_MAX;
			return 1;
		}
		sum += (__int128)h->count[k] * m.annual;
		if (sum > PB_MONEY_MAX) {
			*total = PB_MONEY_MAX;
			return 1;
		}
	}
	*total = (int64_t)sum;
	return 0;
}

int pb_ras_calibrate(const struct pb_ras *r, const struct pb_ras_hist *h,
		     int64_t pot, int64_t *price, int64_t *total,
		     struct pb_error *e)
{
	char a[PB_MONEY_BUFSZ], b[PB_MONEY_BUFSZ];
	int64_t lo = 0, hi, t = 0, kmax = 0;
	size_t k;

	if (!r->has_price)
		return pb_error_set(e, PB_EUSAGE,
			"--calibrate: the RAS has bands: only a price per point "
			"(per_point_weekly) can be calibrated");
	for (k = 1; k < h->n; k++)
		if (h->count[k])
			kmax = (int64_t)k;
	if (kmax == 0)
		return pb_error_set(e, PB_EUSAGE,
			"--calibrate: no record scored any points: there is no price to find");
	if (pb_ras_hist_total(r, h, 0, &t) || t > pot)
		return pb_error_set(e, PB_EUSAGE,
			"--calibrate: even at 0.00 a point the total is %s "
			"(minimum_weekly for everyone with points), over the pot %s",
			pb_ras_money_grouped(a, t), pb_ras_money_grouped(b, pot));
	/* hi: a price at which the total is as high as it gets (everyone
	 * with points capped at the maximum), or as high as money goes. */
	hi = PB_MONEY_MAX / kmax;
	if (r->has_maximum && r->maximum + r->round_to < hi)
		hi = r->maximum + r->round_to;
	if (!pb_ras_hist_total(r, h, hi, &t) && t <= pot)
		return pb_error_set(e, PB_EUSAGE,
			"--calibrate: the pot %s is never reached: at any price "
			"the total is at most %s", pb_ras_money_grouped(a, pot),
			pb_ras_money_grouped(b, t));
	/* f(lo) <= pot < f(hi), and f never decreases as the price rises. */
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (!pb_ras_hist_total(r, h, mid, &t) && t <= pot)
			lo = mid;
		else
			hi = mid;
	}
	pb_ras_hist_total(r, h, lo, total);
	*price = lo;
	return 0;
}
