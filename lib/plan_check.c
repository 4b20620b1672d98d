/*
 * plan_check.c - the pass of pb-plan check: decide every plan, spool
 * the decisions to an unlinked temporary file, then, once every plan
 * has been seen, add what only all of them together show (a pool shared
 * out more than once) and write the decisions in input order: csv,
 * json, table or a page per plan in md.
 *
 * Memory: the pools (their ids and shares so far) and the plan ids
 * seen (to find a plan given twice); the plans themselves are not kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "plan_int.h"

struct pb_plancheck {
	struct pb_plancheck_opts o;
	FILE *spool;
	struct pb_decision d;
	struct pb_strmap *plans;      /* plan_id -> index into plan_src */
	char **plan_src;              /* where each plan_id was first */
	size_t plan_cap;
	struct pb_strmap *pools;      /* pool id -> index into pool_sum */
	int64_t *pool_sum;            /* tenths of a percent */
	size_t pool_cap;
	long decided;
	long count[3];
};

struct pb_plancheck *pb_plancheck_new(const struct pb_plancheck_opts *o,
				      struct pb_error *e)
{
	struct pb_plancheck *c;
	FILE *spool = tmpfile();

	if (!spool) {
		int err = errno;

		pb_error_clear(e);
		pb_error_set(e, PB_EIO, "cannot make a temporary file: %s",
			     strerror(err));
		return NULL;
	}
	c = pb_xcalloc(1, sizeof *c);
	c->o = *o;
	c->spool = spool;
	pb_decision_init(&c->d, o->format == PB_FMT_MD);
	c->plans = pb_strmap_new();
	c->pools = pb_strmap_new();
	return c;
}

void pb_plancheck_free(struct pb_plancheck *c)
{
	size_t i;

	if (!c)
		return;
	if (c->spool)
		fclose(c->spool);
	pb_decision_fini(&c->d);
	for (i = 0; i < pb_strmap_count(c->plans); i++)
		free(c->plan_src[i]);
	free(c->plan_src);
	pb_strmap_free(c->plans);
	pb_strmap_free(c->pools);
	free(c->pool_sum);
	free(c);
}

/* ---- the spool ------------------------------------------------------------- */

static void put_i64(FILE *fp, int64_t v)
{
	fwrite(&v, sizeof v, 1, fp);
}

static void put_str(FILE *fp, const char *s)
{
	int64_t n = s ? (int64_t)strlen(s) : -1;

	put_i64(fp, n);
	if (n > 0)
		fwrite(s, 1, (size_t)n, fp);
}

static int spool_write(struct pb_plancheck *c, struct pb_error *e)
{
	const struct pb_decision *d = &c->d;
	FILE *fp = c->spool;
	size_t i;

	put_str(fp, d->plan_id);
	put_str(fp, d->person_id);
	put_str(fp, d->allocation_id);
	put_str(fp, d->source);
	put_str(fp, d->page.s ? d->page.s : "");
	put_i64(fp, d->has_total);
	put_i64(fp, d->total);
	put_i64(fp, d->has_budget);
	put_i64(fp, d->budget);
	put_i64(fp, (int64_t)d->nreason);
	for (i = 0; i < d->nreason; i++) {
		const struct pb_reason *r = &d->reason[i];

		put_i64(fp, r->why);
		put_i64(fp, r->rank);
		put_str(fp, r->line);
		put_str(fp, r->outcome);
		put_str(fp, r->key);
		put_str(fp, r->text);
		put_str(fp, r->label);
	}
	put_i64(fp, (int64_t)d->npool);
	for (i = 0; i < d->npool; i++) {
		put_str(fp, d->pool[i].pool);
		put_i64(fp, d->pool[i].share);
		put_str(fp, d->pool[i].line);
		put_str(fp, d->pool[i].label);
	}
	if (ferror(fp)) {
		int err = errno;

		return pb_error_set(e, PB_EIO,
				    "cannot write the temporary file: %s",
				    strerror(err ? err : EIO));
	}
	return 0;
}

static int get_i64(FILE *fp, int64_t *v)
{
	return fread(v, sizeof *v, 1, fp) == 1 ? 0 : -1;
}

/* A string: NULL stays NULL; *s is replaced (freed first). */
static int get_str(FILE *fp, char **s)
{
	int64_t n;

	free(*s);
	*s = NULL;
	if (get_i64(fp, &n) < 0 || n < -1 || n > (int64_t)1 << 40)
		return -1;
	if (n < 0)
		return 0;
	*s = pb_xmalloc((size_t)n + 1);
	if (n > 0 && fread(*s, 1, (size_t)n, fp) != (size_t)n)
		return -1;
	(*s)[n] = '\0';
	return 0;
}

/* The next decision into d: 1, 0 at the end, -1 a bad spool. */
static int spool_read(FILE *fp, struct pb_decision *d)
{
	int64_t v, n;
	char *page = NULL;
	size_t i;
	int c = getc(fp);

	if (c == EOF)
		return 0;
	ungetc(c, fp);
	pb_decision_reset(d);
	if (get_str(fp, &d->plan_id) < 0 || get_str(fp, &d->person_id) < 0 ||
	    get_str(fp, &d->allocation_id) < 0 || get_str(fp, &d->source) < 0 ||
	    get_str(fp, &page) < 0)
		goto bad;
	pb_buf_adds(&d->page, page ? page : "");
	free(page);
	page = NULL;
	if (get_i64(fp, &v) < 0)
		goto bad;
	d->has_total = (int)v;
	if (get_i64(fp, &d->total) < 0 || get_i64(fp, &v) < 0)
		goto bad;
	d->has_budget = (int)v;
	if (get_i64(fp, &d->budget) < 0 || get_i64(fp, &n) < 0 || n < 0)
		goto bad;
	for (i = 0; i < (size_t)n; i++) {
		struct pb_reason *r;

		if (d->nreason == d->reason_cap) {
			d->reason_cap = d->reason_cap ? 2 * d->reason_cap : 8;
			d->reason = pb_xrealloc(d->reason, d->reason_cap *
							   sizeof *d->reason);
		}
		r = &d->reason[d->nreason++];
		memset(r, 0, sizeof *r);
		if (get_i64(fp, &v) < 0)
			goto bad;
		r->why = (int)v;
		if (get_i64(fp, &v) < 0)
			goto bad;
		r->rank = (long)v;
		if (get_str(fp, &r->line) < 0 || get_str(fp, &r->outcome) < 0 ||
		    get_str(fp, &r->key) < 0 || get_str(fp, &r->text) < 0 ||
		    get_str(fp, &r->label) < 0)
			goto bad;
	}
	if (get_i64(fp, &n) < 0 || n < 0)
		goto bad;
	for (i = 0; i < (size_t)n; i++) {
		struct pb_pool_share *s;

		if (d->npool == d->pool_cap) {
			d->pool_cap = d->pool_cap ? 2 * d->pool_cap : 4;
			d->pool = pb_xrealloc(d->pool,
					      d->pool_cap * sizeof *d->pool);
		}
		s = &d->pool[d->npool++];
		memset(s, 0, sizeof *s);
		if (get_str(fp, &s->pool) < 0 || get_i64(fp, &s->share) < 0 ||
		    get_str(fp, &s->line) < 0 || get_str(fp, &s->label) < 0)
			goto bad;
	}
	/* Ids are never NULL in a decision. */
	if (!d->plan_id || !d->person_id || !d->allocation_id || !d->source)
		goto bad;
	return 1;
bad:
	free(page);
	return -1;
}

/* ---- deciding ---------------------------------------------------------------- */

static void report_problems(struct pb_plancheck *c, const char *file,
			    long line)
{
	struct pb_error e;
	size_t i;

	if (!c->o.problem)
		return;
	for (i = 0; i < c->d.nreason; i++) {
		const struct pb_reason *r = &c->d.reason[i];
		const char *text = r->text;

		if (r->why != PB_WHY_BAD_FIELD && r->why != PB_WHY_BAD_AMOUNT)
			continue;
		if (r->key && strncmp(text, r->key, strlen(r->key)) == 0 &&
		    strncmp(text + strlen(r->key), ": ", 2) == 0)
			text += strlen(r->key) + 2;
		pb_error_clear(&e);
		pb_error_at(&e, file, line, NULL);
		pb_error_key(&e, r->key);
		pb_error_set(&e, PB_EDATA, "%s", text);
		c->o.problem(c->o.ctx, &e);
	}
}

int pb_plancheck_add(struct pb_plancheck *c, const json_t *doc,
		     const char *file, long line, struct pb_error *e)
{
	struct pb_decision *d = &c->d;
	struct pb_buf src;
	size_t i;
	int added = 0, first = 0;

	pb_buf_init(&src);
	pb_buf_printf(&src, "%s:%ld", file, line);
	pb_plan_decide(c->o.policy, c->o.allocs, doc, src.s, d);
	pb_buf_fini(&src);
	report_problems(c, file, line);
	if (*d->plan_id) {
		size_t id = pb_strmap_intern(c->plans, d->plan_id,
					     strlen(d->plan_id), &added);

		first = added;
		if (added) {
			if (id >= c->plan_cap) {
				c->plan_cap = c->plan_cap ? 2 * c->plan_cap : 64;
				c->plan_src = pb_xrealloc(c->plan_src,
							  c->plan_cap * sizeof *c->plan_src);
			}
			c->plan_src[id] = pb_xstrdup(d->source);
		} else {
			char q[80];

			pb_decision_add(d, PB_WHY_DUPLICATE_PLAN, PB_RANK_PLAN,
					NULL, NULL, NULL, NULL,
					"plan_id '%s' was given before, at %s: a plan is decided once",
					pb_quote(q, sizeof q, d->plan_id,
						 strlen(d->plan_id)),
					c->plan_src[id]);
			pb_decision_sort(d);
		}
	}
	/* The shares of a plan given twice count once. */
	for (i = 0; (first || !*d->plan_id) && i < d->npool; i++) {
		size_t id = pb_strmap_intern(c->pools, d->pool[i].pool,
					     strlen(d->pool[i].pool), &added);

		if (id >= c->pool_cap) {
			size_t old = c->pool_cap;

			c->pool_cap = c->pool_cap ? 2 * c->pool_cap : 16;
			c->pool_sum = pb_xrealloc(c->pool_sum,
						  c->pool_cap * sizeof *c->pool_sum);
			memset(c->pool_sum + old, 0,
			       (c->pool_cap - old) * sizeof *c->pool_sum);
		}
		if (c->pool_sum[id] < INT64_MAX / 2)
			c->pool_sum[id] += d->pool[i].share;
	}
	c->decided++;
	return spool_write(c, e);
}

int pb_plancheck_add_broken(struct pb_plancheck *c,
			    const struct pb_error *why, struct pb_error *e)
{
	struct pb_decision *d = &c->d;
	struct pb_buf src;

	pb_decision_reset(d);
	pb_buf_init(&src);
	pb_buf_printf(&src, "%s:%ld", why->file, why->line);
	free(d->source);
	d->source = src.s ? src.s : pb_xstrdup("");
	pb_decision_add(d, PB_WHY_BAD_FIELD, PB_RANK_PLAN, NULL, NULL,
			why->key, NULL, "%s", why->text);
	if (d->want_page) {
		struct pb_plandoc p;

		memset(&p, 0, sizeof p);
		p.policy = c->o.policy;
		pb_plan_page(&p, &d->page);
	}
	c->decided++;
	return spool_write(c, e);
}

/* ---- writing ------------------------------------------------------------- */

static const char *const columns[] = {
	"plan_id", "person_id", "allocation_id", "decision", "annual_total",
	"annual_budget", "headroom", "reasons", "policy_version"
};
#define NCOL (sizeof columns / sizeof columns[0])

/* After every plan: a pool shared out more than once. */
static void across_plans(struct pb_plancheck *c, struct pb_decision *d)
{
	char q[80], pct[32];
	size_t i;

	for (i = 0; i < d->npool; i++) {
		const struct pb_pool_share *s = &d->pool[i];
		long id = pb_strmap_get(c->pools, s->pool, strlen(s->pool));

		if (id < 0 || c->pool_sum[id] <= 1000)
			continue;
		pb_decision_add(d, PB_WHY_POOL_OVERSUBSCRIBED, PB_RANK_ACROSS,
				s->line, NULL, NULL, s->label,
				"the shares of pool '%s' in the plans checked add up to %s, more than 100%%",
				pb_quote(q, sizeof q, s->pool, strlen(s->pool)),
				pb_plan_pct(pct, sizeof pct, c->pool_sum[id]));
	}
}

/* The reason codes, each once, ';'-separated. */
static void codes(const struct pb_decision *d, struct pb_buf *out)
{
	size_t i, j;

	pb_buf_reset(out);
	for (i = 0; i < d->nreason; i++) {
		for (j = 0; j < i; j++)
			if (d->reason[j].why == d->reason[i].why)
				break;
		if (j < i)
			continue;
		if (out->len)
			pb_buf_addc(out, ';');
		pb_buf_adds(out, pb_why_code(d->reason[i].why));
	}
	if (!out->s)
		pb_buf_adds(out, "");
}

static void text_cell(struct pb_cell *c, const char *s)
{
	c->kind = *s ? PB_CELL_TEXT : PB_CELL_EMPTY;
	c->s = s;
	c->len = 0;
}

static int write_row(struct pb_plancheck *c, struct pb_writer *w,
		     const struct pb_decision *d, struct pb_buf *tmp,
		     struct pb_error *e)
{
	struct pb_cell cell[NCOL];
	size_t i;

	memset(cell, 0, sizeof cell);
	text_cell(&cell[0], d->plan_id);
	text_cell(&cell[1], d->person_id);
	text_cell(&cell[2], d->allocation_id);
	text_cell(&cell[3], pb_verdict_name(pb_decision_verdict(d)));
	if (d->has_total) {
		cell[4].kind = PB_CELL_MONEY;
		cell[4].v = d->total;
	}
	if (d->has_budget) {
		cell[5].kind = PB_CELL_MONEY;
		cell[5].v = d->budget;
	}
	if (d->has_total && d->has_budget) {
		cell[6].kind = PB_CELL_MONEY;
		cell[6].v = d->budget - d->total;
	}
	codes(d, tmp);
	text_cell(&cell[7], tmp->s);
	text_cell(&cell[8], c->o.policy->version);
	if (pb_writer_row(w, cell, e) < 0)
		return -PB_EIO;
	if (c->o.format != PB_FMT_TABLE)
		return 0;
	/* The reasons, in words, under the table. */
	for (i = 0; i < d->nreason; i++) {
		const struct pb_reason *r = &d->reason[i];

		pb_buf_reset(tmp);
		pb_buf_printf(tmp, "%s", *d->plan_id ? d->plan_id : d->source);
		if (r->line)
			pb_buf_printf(tmp, " line %s", r->line);
		pb_buf_printf(tmp, ": %s: %s", pb_why_code(r->why), r->text);
		pb_writer_note(w, tmp->s);
	}
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *money_json(int has, int64_t v)
{
	char m[PB_MONEY_BUFSZ];

	return has ? json_string(pb_money_format(m, v, PB_MONEY_PLAIN))
		   : json_null();
}

static int write_json(struct pb_plancheck *c, FILE *fp,
		      const struct pb_decision *d)
{
	json_t *o = json_object(), *rs = json_array();
	size_t i;
	int rc;

	json_object_set_new(o, "plan_id", str_or_null(d->plan_id));
	json_object_set_new(o, "person_id", str_or_null(d->person_id));
	json_object_set_new(o, "allocation_id", str_or_null(d->allocation_id));
	json_object_set_new(o, "decision",
			    json_string(pb_verdict_name(pb_decision_verdict(d))));
	json_object_set_new(o, "annual_total", money_json(d->has_total, d->total));
	json_object_set_new(o, "annual_budget",
			    money_json(d->has_budget, d->budget));
	json_object_set_new(o, "headroom",
			    money_json(d->has_total && d->has_budget,
				       d->budget - d->total));
	for (i = 0; i < d->nreason; i++) {
		const struct pb_reason *r = &d->reason[i];
		json_t *x = json_object();

		json_object_set_new(x, "code", json_string(pb_why_code(r->why)));
		json_object_set_new(x, "decision",
				    json_string(pb_verdict_name(pb_why_verdict(r->why))));
		json_object_set_new(x, "line", str_or_null(r->line));
		json_object_set_new(x, "outcome", str_or_null(r->outcome));
		json_object_set_new(x, "key", str_or_null(r->key));
		json_object_set_new(x, "message", json_string(r->text));
		json_array_append_new(rs, x);
	}
	json_object_set_new(o, "reasons", rs);
	json_object_set_new(o, "policy_version",
			    json_string(c->o.policy->version));
	json_object_set_new(o, "source", json_string(d->source));
	rc = pb_json_write_line(fp, o);
	json_decref(o);
	return rc;
}

int pb_plancheck_write(struct pb_plancheck *c, FILE *fp, struct pb_error *e)
{
	struct pb_decision *d = &c->d;
	struct pb_writer *w = NULL;
	struct pb_buf tmp;
	long n = 0;
	int rc = 0;

	if (fflush(c->spool) == EOF || fseek(c->spool, 0, SEEK_SET) != 0) {
		int err = errno;

		return pb_error_set(e, PB_EIO,
				    "cannot read the temporary file back: %s",
				    strerror(err));
	}
	pb_error_clear(e);
	pb_buf_init(&tmp);
	if (c->o.format == PB_FMT_CSV || c->o.format == PB_FMT_TABLE) {
		w = pb_writer_new(fp, c->o.format);
		pb_writer_header(w, columns, NCOL, e);
	}
	memset(c->count, 0, sizeof c->count);
	for (;;) {
		int got = spool_read(c->spool, d);

		if (got == 0)
			break;
		if (got < 0) {
			rc = pb_error_set(e, PB_EIO,
					  "the temporary file is not as written");
			break;
		}
		across_plans(c, d);
		pb_decision_sort(d);
		c->count[pb_decision_verdict(d)]++;
		switch (c->o.format) {
		case PB_FMT_JSON:
			if (write_json(c, fp, d) < 0)
				rc = -PB_EIO;
			break;
		case PB_FMT_MD:
			if (n > 0)
				fputs("\n---\n\n", fp);
			pb_decision_page_end(d, &d->page);
			fwrite(d->page.s, 1, d->page.len, fp);
			break;
		default:
			rc = write_row(c, w, d, &tmp, e);
		}
		n++;
		if (rc < 0 || ferror(fp))
			break;
	}
	if (w) {
		if (rc == 0)
			rc = pb_writer_end(w, e);
		pb_writer_free(w);
	} else if (rc == 0 && fflush(fp) == EOF) {
		rc = -PB_EIO;
	}
	if (rc == 0 && ferror(fp))
		rc = -PB_EIO;
	if (rc < 0 && e && !e->text[0])
		pb_error_set(e, PB_EIO, "write error: %s",
			     strerror(errno ? errno : EIO));
	pb_buf_fini(&tmp);
	return rc;
}

long pb_plancheck_count(const struct pb_plancheck *c, int verdict)
{
	return verdict >= PB_APPROVE && verdict <= PB_RETURN ? c->count[verdict]
							      : 0;
}

long pb_plancheck_total(const struct pb_plancheck *c)
{
	return c->decided;
}

void pb_plancheck_summary(const struct pb_plancheck *c, char *buf, size_t n)
{
	snprintf(buf, n, "%ld plan%s: %ld approve, %ld review, %ld return",
		 c->decided, c->decided == 1 ? "" : "s", c->count[PB_APPROVE],
		 c->count[PB_REVIEW], c->count[PB_RETURN]);
}
