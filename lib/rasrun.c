/*
 * rasrun.c - the pb-assess pass: score each record of assessment
 * answers (CONTRACTS.md §2) and write it as a scored assessment (§4),
 * or as an explanation (--explain).
 *
 * A self record's flag depends on the practitioner record of the same
 * person and date, which may come later, and a calibrated price on
 * every record; so each scored record is spooled (length-prefixed:
 * its answers as indexes, its person and date, its pass-through
 * values) to an unlinked temporary file and written out, in input
 * order, after the last record.  Memory holds one entry per person and
 * assessment date (the pairing: the key and both records' points), one
 * counter per points total (calibration), and the pass-through column
 * names: never the records themselves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pbjson.h"
#include "ras.h"

#define SKIP ((uint32_t)-1)
#define NO_ANSWER 0xff

enum { ASSESSOR_SELF = 0, ASSESSOR_PRACT = 1 };
static const char *const assessor_name[] = {"self", "practitioner"};

/* One person and assessment date: the points of each assessor's record. */
struct pair {
	int64_t points[2];       /* -1: none yet */
	long line[2];
	uint32_t file[2];
};

struct pb_assess {
	struct pb_assess_opts o;
	const struct pb_ras *r;
	/* columns: person_id, assessment_date, assessor, then questions */
	struct pb_colspec *spec;
	size_t nspec;
	int *idx;
	uint32_t *pass;          /* input column -> pass-through id, SKIP */
	size_t npass;
	struct pb_strmap *cols;  /* pass-through columns, by normalised name */
	char **colname;          /* ... as first written */
	/* pairing */
	struct pb_strmap *keys;
	struct pair *pair;
	size_t paircap;
	struct pb_strmap *files;
	struct pb_buf key;
	/* calibration */
	struct pb_ras_hist hist;
	int64_t price, total;
	int priced;
	/* the spool */
	FILE *spool;
	struct pb_buf rec;
	long nrec;
	/* counts for the summary (filled by pb_assess_write) */
	long pairs, below, above;
};

struct pb_assess *pb_assess_new(const struct pb_assess_opts *o,
				struct pb_error *e)
{
	struct pb_assess *a;
	size_t i;
	FILE *spool = tmpfile();

	if (!spool) {
		int err = errno;

		return pb_error_set(e, PB_EIO,
				    "cannot create a temporary file: %s",
				    strerror(err)), NULL;
	}
	a = pb_xcalloc(1, sizeof *a);
	a->o = *o;
	a->r = o->ras;
	a->spool = spool;
	a->nspec = 3 + a->r->nq;
	a->spec = pb_xcalloc(a->nspec, sizeof *a->spec);
	a->idx = pb_xcalloc(a->nspec, sizeof *a->idx);
	a->spec[0] = (struct pb_colspec){"person_id", PB_COL_REQUIRED};
	a->spec[1] = (struct pb_colspec){"assessment_date", PB_COL_REQUIRED};
	a->spec[2] = (struct pb_colspec){"assessor", PB_COL_REQUIRED};
	for (i = 0; i < a->r->nq; i++) {
		a->spec[3 + i].name = a->r->q[i].id;
		a->spec[3 + i].flags = a->r->q[i].required ? PB_COL_REQUIRED
							   : PB_COL_OPTIONAL;
	}
	for (i = 0; i < a->nspec; i++)
		a->idx[i] = -1;
	a->cols = pb_strmap_new();
	a->keys = pb_strmap_new();
	a->files = pb_strmap_new();
	pb_buf_init(&a->key);
	pb_buf_init(&a->rec);
	pb_ras_hist_init(&a->hist);
	a->price = a->r->price;
	return a;
}

void pb_assess_free(struct pb_assess *a)
{
	size_t i;

	if (!a)
		return;
	free(a->spec);
	free(a->idx);
	free(a->pass);
	for (i = 0; i < pb_strmap_count(a->cols); i++)
		free(a->colname[i]);
	free(a->colname);
	pb_strmap_free(a->cols);
	pb_strmap_free(a->keys);
	pb_strmap_free(a->files);
	free(a->pair);
	pb_buf_fini(&a->key);
	pb_buf_fini(&a->rec);
	pb_ras_hist_fini(&a->hist);
	if (a->spool)
		fclose(a->spool);
	free(a);
}

/* Columns of the input that pb-assess writes itself: replaced. */
static int replaced_column(const char *norm)
{
	static const char *const names[] = {
		"points", "indicative_weekly", "indicative_annual",
		"ras_version", "flags", "reject_reason", NULL
	};
	size_t i;

	if (strncmp(norm, "points_", 7) == 0)
		return 1;
	for (i = 0; names[i]; i++)
		if (strcmp(norm, names[i]) == 0)
			return 1;
	return 0;
}

int pb_assess_bind(struct pb_assess *a, const struct pb_header *h,
		   int lenient, struct pb_error *e)
{
	size_t i, k;

	if (pb_bind(h, a->o.map, a->spec, a->nspec, a->idx, lenient, e) < 0)
		return -PB_EUSAGE;
	if (pb_map_check_used(a->o.map, e) < 0)
		return -PB_EUSAGE;
	free(a->pass);
	a->npass = h->n;
	a->pass = pb_xcalloc(h->n + 1, sizeof *a->pass);
	for (i = 0; i < h->n; i++) {
		int added = 0;
		size_t id;

		a->pass[i] = SKIP;
		for (k = 0; k < a->nspec; k++)
			if (a->idx[k] == (int)i)
				break;
		if (k < a->nspec || replaced_column(h->norm[i]))
			continue;
		id = pb_strmap_intern(a->cols, h->norm[i], strlen(h->norm[i]),
				      &added);
		if (added) {
			a->colname = pb_xrealloc(a->colname,
						 (id + 1) * sizeof *a->colname);
			a->colname[id] = pb_xstrdup(h->name[i]);
		}
		a->pass[i] = (uint32_t)id;
	}
	return 0;
}

/* ---- one record ------------------------------------------------------------ */

static void put32(struct pb_buf *b, uint32_t v)
{
	pb_buf_add(b, &v, sizeof v);
}

/* An unsigned number in 7-bit groups, low first (most take one byte). */
static void putvar(struct pb_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	pb_buf_add(b, tmp, n);
}

static void putstr(struct pb_buf *b, const char *s, size_t n)
{
	putvar(b, n);
	pb_buf_add(b, s, n);
}

static int parse_assessor(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 4 && strncasecmp(s, "self", 4) == 0)
		return ASSESSOR_SELF;
	if (n == 12 && strncasecmp(s, "practitioner", 12) == 0)
		return ASSESSOR_PRACT;
	return -1;
}

static struct pair *pair_for(struct pb_assess *a, size_t id)
{
	if (id >= a->paircap) {
		size_t cap = a->paircap ? a->paircap * 2 : 256;

		while (cap <= id)
			cap *= 2;
		a->pair = pb_xrealloc(a->pair, cap * sizeof *a->pair);
		a->paircap = cap;
	}
	return &a->pair[id];
}

int pb_assess_add(struct pb_assess *a, const struct pb_record *rec,
		  struct pb_error *e)
{
	const struct pb_ras *r = a->r;
	const char *pid, *s;
	size_t pidlen, n, i, id;
	int32_t date;
	int who, added;
	int64_t points = 0;
	struct pair *p;
	char q[80], list[160];
	uint32_t npass = 0;

	if (pb_field_req(rec, a->idx[0], "person_id", e) < 0)
		return -PB_EDATA;
	pid = pb_rec_get(rec, a->idx[0], &pidlen);
	if (pb_field_req(rec, a->idx[1], "assessment_date", e) < 0 ||
	    pb_field_date(rec, a->idx[1], &date, e) < 0)
		return -PB_EDATA;
	if (pb_field_req(rec, a->idx[2], "assessor", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, a->idx[2], &n);
	who = parse_assessor(s, n);
	if (who < 0) {
		pb_error_set(e, PB_EDATA, "not self or practitioner '%s'",
			     pb_quote(q, sizeof q, s, n));
		return pb_field_blame(rec, a->idx[2], e);
	}

	/* The record as spooled: date, pair id (filled below), assessor,
	 * answers, person, pass-through values. */
	pb_buf_reset(&a->rec);
	put32(&a->rec, 0);                 /* length, filled in at the end */
	put32(&a->rec, (uint32_t)date);
	put32(&a->rec, 0);                 /* pair id */
	pb_buf_addc(&a->rec, (char)who);
	for (i = 0; i < r->nq; i++) {
		int idx = a->idx[3 + i];
		unsigned char ans = NO_ANSWER;
		int k;

		s = pb_rec_get(rec, idx, &n);
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0) {
			if (r->q[i].required) {
				if (idx < 0 || (size_t)idx >= rec->n ||
				    rec->kind[idx] == PB_KIND_ABSENT)
					return pb_error_set(e, PB_EDATA,
						"no '%s' in this record",
						r->q[i].id);
				pb_error_set(e, PB_EDATA,
					     "no answer to a required question");
				return pb_field_blame(rec, idx, e);
			}
		} else {
			s = pb_rec_get(rec, idx, &n);
			k = pb_ras_answer(r, i, s, n);
			if (k < 0) {
				pb_error_set(e, PB_EDATA,
					     "not an answer to this question '%s' (answers: %s)",
					     pb_quote(q, sizeof q, s, n),
					     pb_ras_answer_list(r, i, list,
								sizeof list));
				return pb_field_blame(rec, idx, e);
			}
			ans = (unsigned char)k;
			points += r->q[i].answer[k].points;
		}
		pb_buf_addc(&a->rec, (char)ans);
	}
	putstr(&a->rec, pid, pidlen);
	for (i = 0; i < rec->n && i < a->npass; i++)
		if (a->pass[i] != SKIP && rec->kind[i] != PB_KIND_ABSENT)
			npass++;
	putvar(&a->rec, npass);
	for (i = 0; i < rec->n && i < a->npass; i++) {
		if (a->pass[i] == SKIP || rec->kind[i] == PB_KIND_ABSENT)
			continue;
		putvar(&a->rec, a->pass[i]);
		pb_buf_addc(&a->rec, (char)rec->kind[i]);
		putstr(&a->rec, rec->val[i], rec->len[i]);
	}

	/* Pairing: one self and one practitioner record a person and date. */
	pb_buf_reset(&a->key);
	pb_buf_add(&a->key, &date, sizeof date);
	pb_buf_add(&a->key, pid, pidlen);
	id = pb_strmap_intern(a->keys, a->key.s, a->key.len, &added);
	p = pair_for(a, id);
	if (added) {
		p->points[0] = p->points[1] = -1;
		p->line[0] = p->line[1] = 0;
		p->file[0] = p->file[1] = 0;
	}
	if (p->points[who] >= 0) {
		const char *f = pb_strmap_key(a->files, p->file[who], NULL);

		return pb_error_set(e, PB_EDATA,
			"a second %s assessment of this person on this date "
			"(the first is at %s:%ld)", assessor_name[who], f,
			p->line[who]);
	}
	p->points[who] = points;
	p->line[who] = rec->line;
	p->file[who] = (uint32_t)pb_strmap_intern(a->files, rec->file,
						  strlen(rec->file), NULL);
	{
		uint32_t pid32 = (uint32_t)id, len = (uint32_t)a->rec.len;

		memcpy(a->rec.s + 8, &pid32, sizeof pid32);
		memcpy(a->rec.s, &len, sizeof len);
	}
	if (a->o.calibrate)
		pb_ras_hist_add(&a->hist, points);
	if (fwrite(a->rec.s, 1, a->rec.len, a->spool) != a->rec.len) {
		int err = errno;

		return pb_error_set(e, PB_EIO,
				    "cannot write a temporary file: %s",
				    strerror(err ? err : EIO));
	}
	a->nrec++;
	return 0;
}

int pb_assess_price(struct pb_assess *a, int64_t *price, int64_t *total,
		    struct pb_error *e)
{
	if (a->o.calibrate) {
		if (pb_ras_calibrate(a->r, &a->hist, a->o.pot, &a->price,
				     &a->total, e) < 0)
			return -PB_EUSAGE;
	}
	a->priced = 1;
	*price = a->price;
	*total = a->total;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* A spooled record, decoded (pointers into the read buffer). */
struct srec {
	int32_t date;
	uint32_t pair;
	int who;
	const unsigned char *ans;
	const char *pid;
	uint64_t pidlen;
	uint64_t npass;
	const char *pass;        /* npass of: id, kind, len, bytes */
};

static uint32_t get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static const char *getvar(const char *p, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return p;
		shift += 7;
	}
}

static int read_rec(struct pb_assess *a, struct pb_buf *b, struct srec *sr)
{
	uint32_t len;
	const char *p;

	if (fread(&len, sizeof len, 1, a->spool) != 1 || len < 13)
		return -1;
	pb_buf_reset(b);
	pb_buf_reserve(b, len);
	memcpy(b->s, &len, sizeof len);
	if (fread(b->s + 4, 1, len - 4, a->spool) != len - 4)
		return -1;
	b->len = len;
	p = b->s + 4;
	sr->date = (int32_t)get32(p);
	sr->pair = get32(p + 4);
	sr->who = p[8];
	sr->ans = (const unsigned char *)p + 9;
	p += 9 + a->r->nq;
	p = getvar(p, &sr->pidlen);
	sr->pid = p;
	p += sr->pidlen;
	sr->pass = getvar(p, &sr->npass);
	return 0;
}

static unsigned answer_of(const struct srec *sr, size_t i)
{
	return sr->ans[i];
}

static void add_flag(char *buf, size_t n, const char *flag)
{
	size_t o = strlen(buf), len = strlen(flag);

	if (o + len + 2 > n)
		return;
	if (o)
		buf[o++] = ';';
	memcpy(buf + o, flag, len + 1);
}

/* The discrepancy of a self record with its practitioner's, if any. */
static int discrepancy_of(struct pb_assess *a, const struct srec *sr,
			  int64_t points, int64_t *pract)
{
	const struct pair *p = &a->pair[sr->pair];

	if (sr->who != ASSESSOR_SELF || p->points[ASSESSOR_PRACT] < 0)
		return -1;
	*pract = p->points[ASSESSOR_PRACT];
	return pb_ras_discrepancy(a->r, points, *pract);
}

static json_t *money_json(int64_t pence)
{
	char buf[PB_MONEY_BUFSZ];

	return json_string(pb_money_format(buf, pence, PB_MONEY_PLAIN));
}

static json_t *explain(struct pb_assess *a, const struct srec *sr,
		       const int64_t *dom, const struct pb_ras_money *m,
		       int disc, int64_t pract, const char *flags,
		       const char *version)
{
	const struct pb_ras *r = a->r;
	json_t *o = json_object(), *ans = json_array(), *doms = json_object();
	json_t *mj = json_object(), *fl = json_array();
	char date[PB_DATE_BUFSZ];
	static const char *const clamp[] = {"none", "raised_to_minimum",
					    "capped_at_maximum"};
	size_t i;

	json_object_set_new(o, "person_id",
			    json_stringn_nocheck(sr->pid, sr->pidlen));
	json_object_set_new(o, "assessment_date",
			    json_string(pb_date_format(date, sr->date)));
	json_object_set_new(o, "assessor",
			    json_string(assessor_name[sr->who]));
	json_object_set_new(o, "ras_version", json_string(version));
	for (i = 0; i < r->nq; i++) {
		unsigned k = answer_of(sr, i);
		json_t *x = json_object();

		json_object_set_new(x, "question", json_string(r->q[i].id));
		json_object_set_new(x, "domain",
				    json_string(r->domain[r->q[i].domain]));
		json_object_set_new(x, "answer", k == NO_ANSWER ? json_null()
				    : json_string(r->q[i].answer[k].code));
		json_object_set_new(x, "points", json_integer(
			k == NO_ANSWER ? 0 : r->q[i].answer[k].points));
		json_array_append_new(ans, x);
	}
	json_object_set_new(o, "answers", ans);
	for (i = 0; i < r->ndomain; i++)
		json_object_set_new(doms, r->domain[i], json_integer(dom[i]));
	json_object_set_new(o, "points", json_integer(m->points));
	json_object_set_new(o, "points_by_domain", doms);

	switch (m->rule) {
	case PB_RAS_ZERO:
		json_object_set_new(mj, "rule", json_string("zero_points"));
		break;
	case PB_RAS_PER_POINT:
		json_object_set_new(mj, "rule", json_string("per_point"));
		json_object_set_new(mj, "price_per_point", money_json(m->price));
		if (a->o.calibrate)
			json_object_set_new(mj, "price_calibrated_to_pot",
					    money_json(a->o.pot));
		break;
	case PB_RAS_BAND: {
		json_t *b = json_object();

		json_object_set_new(mj, "rule", json_string("band"));
		json_object_set_new(b, "from", json_integer(m->band->from));
		json_object_set_new(b, "to", json_integer(m->band->to));
		json_object_set_new(b, "weekly", money_json(m->band->weekly));
		json_object_set_new(mj, "band", b);
		break;
	}
	}
	if (m->rule != PB_RAS_ZERO) {
		json_object_set_new(mj, "weekly_before_rounding",
				    money_json(m->raw));
		json_object_set_new(mj, "round_to", money_json(r->round_to));
		json_object_set_new(mj, "weekly_rounded",
				    money_json(m->rounded));
		json_object_set_new(mj, "minimum_weekly",
				    money_json(r->minimum));
		json_object_set_new(mj, "maximum_weekly", r->has_maximum
				    ? money_json(r->maximum) : json_null());
		json_object_set_new(mj, "clamp", json_string(clamp[m->clamp]));
	}
	json_object_set_new(mj, "indicative_weekly", money_json(m->weekly));
	json_object_set_new(mj, "indicative_annual", money_json(m->annual));
	json_object_set_new(o, "money", mj);

	if (disc >= 0) {
		json_t *d = json_object();
		char t[32];
		int64_t pct = 0;

		json_object_set_new(d, "practitioner_points",
				    json_integer(pract));
		if (pract > 0 &&
		    pb_muldiv_round(m->points - pract, 1000, pract, &pct) == 0)
			json_object_set_new(d, "difference_percent",
					    json_string(pb_tenths_format(t, pct)));
		else
			json_object_set_new(d, "difference_percent", json_null());
		json_object_set_new(d, "flag_at_percent", json_string(
			pb_tenths_format(t, r->discrepancy)));
		json_object_set_new(o, "discrepancy", d);
	}
	{
		const char *f = flags;

		while (*f) {
			const char *end = strchr(f, ';');
			size_t len = end ? (size_t)(end - f) : strlen(f);

			json_array_append_new(fl, json_stringn(f, len));
			f += len + (end ? 1 : 0);
		}
	}
	json_object_set_new(o, "flags", fl);
	return o;
}

int pb_assess_write(struct pb_assess *a, struct pb_writer *w, FILE *fp,
		    struct pb_error *e)
{
	const struct pb_ras *r = a->r;
	size_t nfixed = 3 + 1 + r->ndomain + 4;
	size_t ncols = nfixed + pb_strmap_count(a->cols), i;
	const char **names = pb_xcalloc(ncols + 1, sizeof *names);
	char **domcol = pb_xcalloc(r->ndomain + 1, sizeof *domcol);
	struct pb_cell *cells = pb_xcalloc(ncols + 1, sizeof *cells);  /* EMPTY */
	int64_t *dom = pb_xcalloc(r->ndomain + 1, sizeof *dom);
	char version[PB_ERROR_TEXT], pricebuf[PB_MONEY_BUFSZ];
	char date[PB_DATE_BUFSZ];
	int32_t last_date = INT32_MIN;
	size_t vlen;
	struct pb_buf b;
	long k;
	int rc = 0;

	if (!a->priced)
		a->price = a->r->price;
	/* A calibrated price is part of the version: the figure can be
	 * reproduced with per_point_weekly set to it. */
	if (a->o.calibrate)
		snprintf(version, sizeof version, "%s@%s", r->version,
			 pb_money_format(pricebuf, a->price, PB_MONEY_PLAIN));
	else
		snprintf(version, sizeof version, "%s", r->version);

	i = 0;
	names[i++] = "person_id";
	names[i++] = "assessment_date";
	names[i++] = "assessor";
	names[i++] = "points";
	for (size_t d = 0; d < r->ndomain; d++) {
		size_t len = strlen(r->domain[d]) + 8;

		domcol[d] = pb_xmalloc(len);
		snprintf(domcol[d], len, "points_%s", r->domain[d]);
		names[i++] = domcol[d];
	}
	names[i++] = "indicative_weekly";
	names[i++] = "indicative_annual";
	names[i++] = "ras_version";
	names[i++] = "flags";
	for (size_t c = 0; c < pb_strmap_count(a->cols); c++)
		names[i++] = a->colname[c];

	vlen = strlen(version);
	if (!a->o.explain && pb_writer_header(w, names, ncols, e) < 0)
		rc = -PB_EIO;
	pb_buf_init(&b);
	if (fflush(a->spool) == EOF || fseek(a->spool, 0, SEEK_SET) < 0) {
		int err = errno;

		rc = pb_error_set(e, PB_EIO, "cannot read a temporary file: %s",
				  strerror(err ? err : EIO));
	}
	a->pairs = a->below = a->above = 0;
	date[0] = '\0';
	for (k = 0; k < a->nrec && rc == 0; k++) {
		struct srec sr;
		struct pb_ras_money m;
		char flags[160];
		int64_t points = 0, pract = 0;
		int disc;
		const char *p;
		uint32_t j;

		if (read_rec(a, &b, &sr) < 0) {
			rc = pb_error_set(e, PB_EIO,
					  "cannot read a temporary file: %s",
					  strerror(errno ? errno : EIO));
			break;
		}
		memset(dom, 0, r->ndomain * sizeof *dom);
		for (i = 0; i < r->nq; i++) {
			unsigned ans = answer_of(&sr, i);

			if (ans == NO_ANSWER)
				continue;
			points += r->q[i].answer[ans].points;
			dom[r->q[i].domain] += r->q[i].answer[ans].points;
		}
		if (pb_ras_money(r, a->price, points, &m, e) < 0) {
			/* Only a price beyond any real budget gets here. */
			pb_error_key(e, "money.per_point_weekly");
			e->code = PB_EUSAGE;
			rc = -PB_EUSAGE;
			break;
		}
		flags[0] = '\0';
		disc = discrepancy_of(a, &sr, points, &pract);
		if (disc >= 0)
			a->pairs++;
		if (disc == PB_RAS_SELF_BELOW) {
			add_flag(flags, sizeof flags, "self_below_practitioner");
			a->below++;
		} else if (disc == PB_RAS_SELF_ABOVE) {
			add_flag(flags, sizeof flags, "self_above_practitioner");
			a->above++;
		}
		if (m.clamp == PB_RAS_CLAMP_MIN)
			add_flag(flags, sizeof flags, "raised_to_minimum");
		else if (m.clamp == PB_RAS_CLAMP_MAX)
			add_flag(flags, sizeof flags, "capped_at_maximum");

		if (a->o.explain) {
			json_t *x = explain(a, &sr, dom, &m, disc, pract, flags,
					    version);

			if (pb_json_write_line(fp, x) < 0 || ferror(fp))
				rc = pb_error_set(e, PB_EIO, "write error: %s",
						  strerror(errno ? errno : EIO));
			json_decref(x);
			continue;
		}
		memset(cells, 0, ncols * sizeof *cells);
		if (sr.date != last_date) {
			pb_date_format(date, sr.date);
			last_date = sr.date;
		}
		i = 0;
		cells[i++] = (struct pb_cell){PB_CELL_TEXT, sr.pid, sr.pidlen, 0};
		cells[i++] = (struct pb_cell){PB_CELL_TEXT, date, 10, 0};
		cells[i++] = (struct pb_cell){PB_CELL_TEXT,
					      assessor_name[sr.who],
					      sr.who == ASSESSOR_SELF ? 4 : 12, 0};
		cells[i++] = (struct pb_cell){PB_CELL_INT, NULL, 0, points};
		for (size_t d = 0; d < r->ndomain; d++)
			cells[i++] = (struct pb_cell){PB_CELL_INT, NULL, 0, dom[d]};
		cells[i++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, m.weekly};
		cells[i++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, m.annual};
		cells[i++] = (struct pb_cell){PB_CELL_TEXT, version, vlen, 0};
		cells[i++] = flags[0]
			? (struct pb_cell){PB_CELL_TEXT, flags, 0, 0}
			: (struct pb_cell){PB_CELL_TEXT, "", 0, 0};
		/* Pass-through values; a column a record lacks is empty. */
		for (p = sr.pass, j = 0; j < sr.npass; j++) {
			uint64_t col, len;
			int kind;
			struct pb_cell *c;

			p = getvar(p, &col);
			kind = *p++;
			p = getvar(p, &len);
			c = &cells[nfixed + col];
			c->s = p;
			c->len = len;
			switch (kind) {
			case PB_KIND_INT:
			case PB_KIND_REAL:
			case PB_KIND_BOOL:
				c->kind = PB_CELL_NUMTEXT;
				break;
			case PB_KIND_NULL:
				c->kind = PB_CELL_EMPTY;
				break;
			default:
				c->kind = PB_CELL_TEXT;
			}
			/* An empty string is "" (len 0 means strlen). */
			if (len == 0 && c->kind == PB_CELL_TEXT)
				c->s = "";
			p += len;
		}
		/* A column this record lacks stays PB_CELL_EMPTY: empty in
		 * CSV, null in JSON. */
		if (pb_writer_row(w, cells, e) < 0)
			rc = -PB_EIO;
	}
	pb_buf_fini(&b);
	for (size_t d = 0; d < r->ndomain; d++)
		free(domcol[d]);
	free(domcol);
	free(names);
	free(cells);
	free(dom);
	return rc;
}

void pb_assess_summary(const struct pb_assess *a, char *buf, size_t n)
{
	char t[32];

	pb_tenths_format(t, a->r->discrepancy);
	if (strlen(t) > 2 && strcmp(t + strlen(t) - 2, ".0") == 0)
		t[strlen(t) - 2] = '\0';
	if (a->pairs == 0) {
		snprintf(buf, n, "%ld record%s scored; no self-assessment has a "
			 "practitioner's for the same person and date", a->nrec,
			 a->nrec == 1 ? "" : "s");
		return;
	}
	snprintf(buf, n,
		 "%ld record%s scored; %ld self-assessment%s with a practitioner's "
		 "for the same person and date: %ld flagged %s%% or more below it, "
		 "%ld above", a->nrec, a->nrec == 1 ? "" : "s", a->pairs,
		 a->pairs == 1 ? "" : "s", a->below, t, a->above);
}
