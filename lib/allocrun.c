/*
 * allocrun.c - the pb-allocate pass: scored assessments (CONTRACTS.md
 * §4, with the optional columns of §5) in, one allocation (§6) per
 * person and assessment date out, sorted by person_id and date.
 *
 * A person's self and practitioner records need not be adjacent, so
 * every person is held until the end: the key, each record's
 * indicative budget, version, flags and place, and the person's terms
 * and, once decided, their allocation (about 350 bytes a person).
 * Each record is also spooled, as it came in, to an unlinked temporary
 * file: when one record of a person is rejected, or the two clash, the
 * person gets no allocation and their other record is rejected too,
 * from the spool, so that the rejects file holds everything needed to
 * fix the person and run again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allocate.h"
#include "codes.h"

enum { SELF = 0, PRACT = 1 };
static const char *const assessor_name[] = {"self", "practitioner"};

/* A header as it was when records were spooled under it. */
struct snap {
	struct pb_header h;
	int idx[PB_AC_N];
};

struct arec {
	int present;
	int rejected;            /* already handed to reject */
	int64_t indicative;
	uint32_t version;        /* ids in strs */
	uint32_t flags;
	off_t off;               /* in the spool */
	uint32_t snap;
	uint32_t file;           /* id in files */
	long line;
};

struct group {
	struct arec rec[2];
	struct pb_alloc_terms t;
	uint32_t reason;         /* override_reason, id in strs */
	signed char src[PB_AC_N];/* which record gave each term, -1 none */
	char *poison;            /* why not allocated; NULL: fine */
	int culprit;             /* the record at fault, -1: neither */
	int col;                 /* the culprit's column at fault */
	int ok;                  /* allocated (after finish) */
	int used;                /* the record used */
	struct pb_allocation out;
};

struct pb_allocate {
	struct pb_allocate_opts o;
	const struct pb_funding *f;
	int idx[PB_AC_N];
	struct snap *snaps;
	size_t nsnap;
	struct pb_codecache mech;
	struct pb_strmap *keys;   /* date (4 bytes) + person_id -> group */
	struct group *g;
	size_t gcap;
	struct pb_strmap *strs;   /* versions, flags, override reasons */
	struct pb_strmap *files;
	struct pb_buf key, spoolrec;
	FILE *spool;
	size_t *order;            /* groups sorted, after finish */
	size_t norder;
	long allocated, paired, used_self;
};

struct pb_allocate *pb_allocate_new(const struct pb_allocate_opts *o,
				    struct pb_error *e)
{
	struct pb_allocate *a;
	FILE *spool = tmpfile();
	size_t i;

	if (!spool) {
		int err = errno;

		pb_error_set(e, PB_EIO, "cannot create a temporary file: %s",
			     strerror(err));
		return NULL;
	}
	a = pb_xcalloc(1, sizeof *a);
	a->o = *o;
	a->f = o->f;
	a->spool = spool;
	for (i = 0; i < PB_AC_N; i++)
		a->idx[i] = -1;
	pb_codecache_init(&a->mech, &pb_codes_mech);
	a->keys = pb_strmap_new();
	a->strs = pb_strmap_new();
	a->files = pb_strmap_new();
	pb_strmap_intern(a->strs, "", 0, NULL);   /* id 0: empty */
	pb_buf_init(&a->key);
	pb_buf_init(&a->spoolrec);
	return a;
}

static void free_snap(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->h.n; i++) {
		free(s->h.name[i]);
		free(s->h.norm[i]);
	}
	free(s->h.name);
	free(s->h.norm);
}

void pb_allocate_free(struct pb_allocate *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nsnap; i++)
		free_snap(&a->snaps[i]);
	free(a->snaps);
	for (i = 0; i < pb_strmap_count(a->keys); i++)
		free(a->g[i].poison);
	free(a->g);
	pb_strmap_free(a->keys);
	pb_strmap_free(a->strs);
	pb_strmap_free(a->files);
	pb_buf_fini(&a->key);
	pb_buf_fini(&a->spoolrec);
	free(a->order);
	if (a->spool)
		fclose(a->spool);
	free(a);
}

int pb_allocate_bind(struct pb_allocate *a, const struct pb_header *h,
		     int lenient, struct pb_error *e)
{
	struct snap *s;
	size_t i;

	if (pb_bind(h, a->o.map, pb_scored_spec, PB_AC_N, a->idx, lenient,
		    e) < 0 || pb_map_check_used(a->o.map, e) < 0)
		return -PB_EUSAGE;
	/* A copy of the header, to reject records after reading is over. */
	a->snaps = pb_xrealloc(a->snaps, (a->nsnap + 1) * sizeof *a->snaps);
	s = &a->snaps[a->nsnap++];
	s->h.n = h->n;
	s->h.gen = a->nsnap;
	s->h.name = pb_xcalloc(h->n + 1, sizeof *s->h.name);
	s->h.norm = pb_xcalloc(h->n + 1, sizeof *s->h.norm);
	for (i = 0; i < h->n; i++) {
		s->h.name[i] = pb_xstrdup(h->name[i]);
		s->h.norm[i] = pb_xstrdup(h->norm[i]);
	}
	memcpy(s->idx, a->idx, sizeof s->idx);
	return 0;
}

/* ---- one record ---------------------------------------------------------- */

static struct group *group_for(struct pb_allocate *a, size_t id, int added)
{
	struct group *g;
	size_t i;

	if (id >= a->gcap) {
		size_t cap = a->gcap ? a->gcap * 2 : 256;

		while (cap <= id)
			cap *= 2;
		a->g = pb_xrealloc(a->g, cap * sizeof *a->g);
		a->gcap = cap;
	}
	g = &a->g[id];
	if (added) {
		memset(g, 0, sizeof *g);
		g->t.s117 = -1;
		g->t.mech = -1;
		g->culprit = -1;
		for (i = 0; i < PB_AC_N; i++)
			g->src[i] = -1;
	}
	return g;
}

static const char *trimmed(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

static int parse_assessor(const struct pb_record *rec, int idx,
			  struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);
	char q[80];

	if (pb_field_req(rec, idx, "assessor", e) < 0)
		return -1;
	s = trimmed(s, &n);
	if (n == 4 && strncasecmp(s, "self", 4) == 0)
		return SELF;
	if (n == 12 && strncasecmp(s, "practitioner", 12) == 0)
		return PRACT;
	pb_error_set(e, PB_EDATA, "not self or practitioner '%s'",
		     pb_quote(q, sizeof q, s, n));
	pb_field_blame(rec, idx, e);
	return -1;
}

/* yes/no (also true/false, y/n): 1, 0, -1 empty, -2 error. */
static int parse_yes(const struct pb_record *rec, int idx,
		     struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);
	char q[80];

	s = trimmed(s, &n);
	if (n == 0)
		return -1;
	if ((n == 3 && strncasecmp(s, "yes", 3) == 0) ||
	    (n == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (n == 1 && (*s == 'y' || *s == 'Y')))
		return 1;
	if ((n == 2 && strncasecmp(s, "no", 2) == 0) ||
	    (n == 5 && strncasecmp(s, "false", 5) == 0) ||
	    (n == 1 && (*s == 'n' || *s == 'N')))
		return 0;
	pb_error_set(e, PB_EDATA, "not yes or no '%s'",
		     pb_quote(q, sizeof q, s, n));
	pb_field_blame(rec, idx, e);
	return -2;
}

/* Money that is not negative: 1, 0 (empty), -PB_EDATA. */
static int money_field(const struct pb_record *rec, int idx, int64_t *v,
		       struct pb_error *e)
{
	int rc = pb_field_money(rec, idx, v, e);
	size_t n;
	const char *s;
	char q[80];

	if (rc <= 0)
		return rc;
	if (*v < 0) {
		s = pb_rec_get(rec, idx, &n);
		pb_error_set(e, PB_EDATA, "negative amount '%s'",
			     pb_quote(q, sizeof q, s, n));
		return pb_field_blame(rec, idx, e);
	}
	return 1;
}

/* The parsed values of one record. */
struct parsed {
	int who;
	int64_t indicative;
	uint32_t version, flags, reason;
	struct pb_alloc_terms t;
};

static int parse_rest(struct pb_allocate *a, const struct pb_record *rec,
		      struct parsed *p, struct pb_error *e)
{
	const int *idx = a->idx;
	const char *s;
	size_t n;
	int rc;

	memset(p, 0, sizeof *p);
	p->t.s117 = -1;
	p->t.mech = -1;
	if ((p->who = parse_assessor(rec, idx[PB_AC_ASSESSOR], e)) < 0)
		return -PB_EDATA;
	if (pb_field_req(rec, idx[PB_AC_INDICATIVE], "indicative_weekly", e) < 0 ||
	    money_field(rec, idx[PB_AC_INDICATIVE], &p->indicative, e) < 0)
		return -PB_EDATA;
	if (pb_field_req(rec, idx[PB_AC_RAS_VERSION], "ras_version", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, idx[PB_AC_RAS_VERSION], &n);
	p->version = (uint32_t)pb_strmap_intern(a->strs, s, n, NULL);
	s = pb_rec_get(rec, idx[PB_AC_FLAGS], &n);
	s = trimmed(s, &n);
	p->flags = (uint32_t)pb_strmap_intern(a->strs, s, n, NULL);

	rc = money_field(rec, idx[PB_AC_AGREED], &p->t.agreed, e);
	if (rc < 0)
		return -PB_EDATA;
	p->t.has_agreed = rc;
	s = pb_rec_get(rec, idx[PB_AC_REASON], &n);
	s = trimmed(s, &n);
	p->t.has_reason = n > 0;
	p->reason = (uint32_t)pb_strmap_intern(a->strs, s, n, NULL);
	rc = pb_field_tenths(rec, idx[PB_AC_HEALTH], 0, 1000, &p->t.health, e);
	if (rc < 0)
		return -PB_EDATA;
	p->t.has_health = rc;
	if ((p->t.s117 = parse_yes(rec, idx[PB_AC_S117], e)) == -2)
		return -PB_EDATA;
	rc = money_field(rec, idx[PB_AC_CONTRIBUTION], &p->t.contribution, e);
	if (rc < 0)
		return -PB_EDATA;
	p->t.has_contribution = rc;
	s = pb_rec_get(rec, idx[PB_AC_MECH], &n);
	trimmed(s, &n);
	if (n > 0 &&
	    pb_field_code(rec, idx[PB_AC_MECH], &a->mech, -1, &p->t.mech, e) < 0)
		return -PB_EDATA;
	rc = pb_field_date(rec, idx[PB_AC_START], &p->t.start, e);
	if (rc < 0)
		return -PB_EDATA;
	p->t.has_start = rc;
	return 0;
}

/* Set a group's poison (the first reason stays). */
static void poison(struct group *g, const char *why)
{
	if (!g->poison)
		g->poison = pb_xstrdup(why);
}

/* "the self record of this person and date (FILE:LINE) was rejected" */
static void poison_by(struct group *g, int who, const struct pb_record *rec)
{
	char buf[PB_ERROR_FILE + 160];

	snprintf(buf, sizeof buf,
		 "not allocated: the %s record of this person and date "
		 "(%s:%ld) was rejected", assessor_name[who], rec->file,
		 rec->line);
	poison(g, buf);
}

/*
 * Merge one record's terms into the person's: a term given on both
 * records must be the same.  On a clash: -PB_EDATA naming the column.
 */
#define MERGE(col, has, same, set)                                          \
	do {                                                                \
		if (!(has))                                                 \
			break;                                              \
		if (g->src[col] >= 0 && !(same)) {                          \
			clash = col;                                        \
			goto clashed;                                       \
		}                                                           \
		if (g->src[col] < 0) {                                      \
			set;                                                \
			g->src[col] = (signed char)p->who;                  \
		}                                                           \
	} while (0)

static int merge(struct pb_allocate *a, struct group *g,
		 const struct parsed *p, const struct pb_record *rec,
		 struct pb_error *e)
{
	const struct pb_alloc_terms *t = &p->t;
	int clash;
	const char *s;
	size_t n;
	char q[80];
	const struct arec *other = &g->rec[1 - p->who];

	if (other->present && other->version != p->version) {
		clash = PB_AC_RAS_VERSION;
		goto clashed;
	}
	MERGE(PB_AC_AGREED, t->has_agreed, g->t.agreed == t->agreed,
	      (g->t.has_agreed = 1, g->t.agreed = t->agreed));
	MERGE(PB_AC_REASON, t->has_reason, g->reason == p->reason,
	      (g->t.has_reason = 1, g->reason = p->reason));
	MERGE(PB_AC_HEALTH, t->has_health, g->t.health == t->health,
	      (g->t.has_health = 1, g->t.health = t->health));
	MERGE(PB_AC_S117, t->s117 >= 0, g->t.s117 == t->s117,
	      g->t.s117 = t->s117);
	MERGE(PB_AC_CONTRIBUTION, t->has_contribution,
	      g->t.contribution == t->contribution,
	      (g->t.has_contribution = 1, g->t.contribution = t->contribution));
	MERGE(PB_AC_MECH, t->mech >= 0, g->t.mech == t->mech,
	      g->t.mech = t->mech);
	MERGE(PB_AC_START, t->has_start, g->t.start == t->start,
	      (g->t.has_start = 1, g->t.start = t->start));
	return 0;
clashed:
	s = pb_rec_get(rec, a->idx[clash], &n);
	{
		int from = clash == PB_AC_RAS_VERSION ? 1 - p->who
						      : g->src[clash];
		const struct arec *o = &g->rec[from];

		pb_error_set(e, PB_EDATA,
			     "differs from the %s record of this person and date "
			     "(%s:%ld) '%s'", assessor_name[from],
			     pb_strmap_key(a->files, o->file, NULL), o->line,
			     pb_quote(q, sizeof q, s, n));
	}
	return pb_field_blame(rec, a->idx[clash], e);
}

static int spool_record(struct pb_allocate *a, const struct pb_record *rec,
			off_t *off, struct pb_error *e)
{
	struct pb_buf *b = &a->spoolrec;
	uint32_t n = (uint32_t)rec->n, len, i;

	pb_buf_reset(b);
	pb_buf_add(b, &n, sizeof n);
	for (i = 0; i < n; i++) {
		len = (uint32_t)rec->len[i];
		pb_buf_addc(b, (char)rec->kind[i]);
		pb_buf_add(b, &len, sizeof len);
		pb_buf_add(b, rec->val[i], len);
	}
	*off = ftello(a->spool);
	if (*off < 0 || fwrite(b->s, 1, b->len, a->spool) != b->len) {
		int err = errno;

		return pb_error_set(e, PB_EIO,
				    "cannot write a temporary file: %s",
				    strerror(err ? err : EIO));
	}
	return 0;
}

int pb_allocate_add(struct pb_allocate *a, const struct pb_record *rec,
		    struct pb_error *e)
{
	const char *pid;
	size_t pidlen, id;
	int32_t date;
	int added;
	struct group *g;
	struct parsed p;
	struct arec *r;

	if (pb_field_req(rec, a->idx[PB_AC_PERSON_ID], "person_id", e) < 0 ||
	    pb_field_req(rec, a->idx[PB_AC_ASSESSMENT_DATE], "assessment_date",
			 e) < 0 ||
	    pb_field_date(rec, a->idx[PB_AC_ASSESSMENT_DATE], &date, e) < 0)
		return -PB_EDATA;
	pid = pb_rec_get(rec, a->idx[PB_AC_PERSON_ID], &pidlen);
	pb_buf_reset(&a->key);
	pb_buf_add(&a->key, &date, sizeof date);
	pb_buf_add(&a->key, pid, pidlen);
	id = pb_strmap_intern(a->keys, a->key.s, a->key.len, &added);
	g = group_for(a, id, added);

	if (parse_rest(a, rec, &p, e) < 0) {
		/* Whose record it is decides the message, if known. */
		int who = parse_assessor(rec, a->idx[PB_AC_ASSESSOR], NULL);

		if (who >= 0)
			poison_by(g, who, rec);
		else
			poison(g, "not allocated: another record of this "
			       "person and date was rejected");
		return -PB_EDATA;
	}
	if (g->poison)
		return pb_error_set(e, PB_EDATA, "%s", g->poison);
	r = &g->rec[p.who];
	if (r->present) {
		pb_error_set(e, PB_EDATA,
			     "a second %s record of this person and date "
			     "(the first is at %s:%ld)", assessor_name[p.who],
			     pb_strmap_key(a->files, r->file, NULL), r->line);
		poison_by(g, p.who, rec);
		return -PB_EDATA;
	}
	if (merge(a, g, &p, rec, e) < 0) {
		poison_by(g, p.who, rec);
		return -PB_EDATA;
	}
	if (spool_record(a, rec, &r->off, e) < 0)
		return -PB_EIO;
	r->present = 1;
	r->indicative = p.indicative;
	r->version = p.version;
	r->flags = p.flags;
	r->snap = (uint32_t)(a->nsnap - 1);
	r->file = (uint32_t)pb_strmap_intern(a->files, rec->file,
					     strlen(rec->file), NULL);
	r->line = rec->line;
	return 0;
}

/* ---- deciding ------------------------------------------------------------ */

static const char *group_pid(const struct pb_allocate *a, size_t id,
			     size_t *len, int32_t *date)
{
	size_t n;
	const char *k = pb_strmap_key(a->keys, id, &n);

	memcpy(date, k, sizeof *date);
	*len = n - sizeof *date;
	return k + sizeof *date;
}

static const struct pb_allocate *sort_ctx;

static int by_person(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y, li, lj;
	int32_t di, dj;
	const char *pi = group_pid(sort_ctx, i, &li, &di);
	const char *pj = group_pid(sort_ctx, j, &lj, &dj);
	int c = memcmp(pi, pj, li < lj ? li : lj);

	if (c)
		return c;
	if (li != lj)
		return li < lj ? -1 : 1;
	return di < dj ? -1 : di > dj;
}

/* Read a spooled record back into bufs and rec. */
struct readback {
	struct pb_buf data;
	const char **val;
	size_t *len;
	unsigned char *kind;
	size_t cap;
	struct pb_record rec;
};

static int read_back(struct pb_allocate *a, const struct arec *r,
		     struct readback *rb)
{
	uint32_t n, len, i;
	size_t *offs;

	if (fseeko(a->spool, r->off, SEEK_SET) < 0 ||
	    fread(&n, sizeof n, 1, a->spool) != 1)
		return -1;
	if (n + 1 > rb->cap) {
		rb->cap = n + 1;
		rb->val = pb_xrealloc(rb->val, rb->cap * sizeof *rb->val);
		rb->len = pb_xrealloc(rb->len, rb->cap * sizeof *rb->len);
		rb->kind = pb_xrealloc(rb->kind, rb->cap);
	}
	offs = pb_xcalloc(n + 1, sizeof *offs);
	pb_buf_reset(&rb->data);
	for (i = 0; i < n; i++) {
		int kind = getc(a->spool);

		if (kind == EOF || fread(&len, sizeof len, 1, a->spool) != 1)
			goto fail;
		rb->kind[i] = (unsigned char)kind;
		rb->len[i] = len;
		offs[i] = rb->data.len;
		pb_buf_reserve(&rb->data, (size_t)len + 1);
		if (len && fread(rb->data.s + rb->data.len, 1, len,
				 a->spool) != len)
			goto fail;
		rb->data.len += len;
		pb_buf_addc(&rb->data, '\0');
	}
	for (i = 0; i < n; i++)
		rb->val[i] = rb->data.s ? rb->data.s + offs[i] : "";
	free(offs);
	rb->rec.hdr = &a->snaps[r->snap].h;
	rb->rec.n = n;
	rb->rec.val = rb->val;
	rb->rec.len = rb->len;
	rb->rec.kind = rb->kind;
	rb->rec.file = pb_strmap_key(a->files, r->file, NULL);
	rb->rec.line = r->line;
	return 0;
fail:
	free(offs);
	return -1;
}

/* Allocate one person: 0, or -1 with why and *col (the term at fault). */
static int decide(struct pb_allocate *a, size_t id, struct group *g,
		  struct pb_error *why, int *col)
{
	int32_t date;
	size_t len;

	group_pid(a, id, &len, &date);
	if (g->rec[SELF].present && g->rec[PRACT].present) {
		g->used = pb_funding_choose(a->f, g->rec[SELF].indicative,
					    g->rec[PRACT].indicative);
	} else {
		g->used = g->rec[SELF].present ? SELF : PRACT;
	}
	if (pb_allocate_one(a->f, g->rec[g->used].indicative, date, &g->t,
			    &g->out, col, why) < 0) {
		/* The record that gave the term at fault takes the blame. */
		g->culprit = g->src[*col] >= 0 ? g->src[*col] : g->used;
		g->poison = pb_xstrdup(why->text);
		return -1;
	}
	g->ok = 1;
	return 0;
}

/* Groups x and y (ids) are of the same person. */
static int same_person(const struct pb_allocate *a, size_t x, size_t y)
{
	size_t lx, ly;
	int32_t dx, dy;
	const char *px = group_pid(a, x, &lx, &dx);
	const char *py = group_pid(a, y, &ly, &dy);

	return lx == ly && memcmp(px, py, lx) == 0;
}

/*
 * One allocation per person and start date (the allocation_id is
 * <person_id>-<start_date>): a person's assessments of different days
 * that would start on the same day are none of them allocated.  The
 * person's groups are order[from..to).
 */
static void same_start(struct pb_allocate *a, size_t from, size_t to)
{
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ], buf[160];
	size_t i, k, len;
	int32_t date;

	for (i = from; i < to; i++) {
		struct group *g = &a->g[a->order[i]];

		for (k = from; k < to && g->ok; k++) {
			const struct group *o = &a->g[a->order[k]];

			if (k == i || !o->ok || o->out.start != g->out.start)
				continue;
			group_pid(a, a->order[k], &len, &date);
			snprintf(buf, sizeof buf,
				 "not allocated: the assessment of this person on %s "
				 "would also start on %s (one allocation per person "
				 "and start_date)", pb_date_format(d1, date),
				 pb_date_format(d2, g->out.start));
			g->poison = pb_xstrdup(buf);
			g->culprit = -1;
			break;
		}
	}
	for (i = from; i < to; i++)
		if (a->g[a->order[i]].poison)
			a->g[a->order[i]].ok = 0;
}

static int reject_group(struct pb_allocate *a, struct group *g,
			int col, const char *culprit_text,
			void (*reject)(void *, const struct pb_record *,
				       struct pb_error *),
			void *ctx, struct readback *rb, struct pb_error *e)
{
	int order[2] = {SELF, PRACT}, k;
	char other[PB_ERROR_FILE + 160];

	/* In the order they came in. */
	if (g->rec[PRACT].present && g->rec[SELF].present &&
	    (g->rec[PRACT].file < g->rec[SELF].file ||
	     (g->rec[PRACT].file == g->rec[SELF].file &&
	      g->rec[PRACT].line < g->rec[SELF].line))) {
		order[0] = PRACT;
		order[1] = SELF;
	}
	if (g->culprit >= 0)
		snprintf(other, sizeof other,
			 "not allocated: the %s record of this person and date "
			 "(%s:%ld) was rejected", assessor_name[g->culprit],
			 pb_strmap_key(a->files, g->rec[g->culprit].file, NULL),
			 g->rec[g->culprit].line);
	for (k = 0; k < 2; k++) {
		struct arec *r = &g->rec[order[k]];
		struct pb_error why;

		if (!r->present || r->rejected)
			continue;
		if (read_back(a, r, rb) < 0) {
			int err = errno;

			return pb_error_set(e, PB_EIO,
					    "cannot read a temporary file: %s",
					    strerror(err ? err : EIO));
		}
		pb_error_clear(&why);
		if (order[k] == g->culprit) {
			pb_error_set(&why, PB_EDATA, "%s", culprit_text);
			pb_field_blame(&rb->rec, a->snaps[r->snap].idx[col], &why);
		} else {
			pb_error_set(&why, PB_EDATA, "%s",
				     g->culprit >= 0 ? other : g->poison);
		}
		r->rejected = 1;
		reject(ctx, &rb->rec, &why);
	}
	return 0;
}

int pb_allocate_finish(struct pb_allocate *a,
		       void (*reject)(void *ctx, const struct pb_record *rec,
				      struct pb_error *why),
		       void *ctx, struct pb_error *e)
{
	size_t n = pb_strmap_count(a->keys), i, j, k;
	struct readback rb;
	int rc = 0;

	a->order = pb_xcalloc(n + 1, sizeof *a->order);
	for (i = 0; i < n; i++)
		a->order[i] = i;
	sort_ctx = a;
	qsort(a->order, n, sizeof *a->order, by_person);
	sort_ctx = NULL;
	a->norder = n;
	memset(&rb, 0, sizeof rb);
	pb_buf_init(&rb.data);
	if (fflush(a->spool) == EOF) {
		int err = errno;

		rc = pb_error_set(e, PB_EIO, "cannot write a temporary file: %s",
				  strerror(err ? err : EIO));
	}
	/* A person at a time: decide each group, refuse two that would
	 * start on the same day, reject what is not allocated. */
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i; j < n && same_person(a, a->order[i], a->order[j]);
		     j++) {
			struct group *g = &a->g[a->order[j]];
			struct pb_error why;

			pb_error_clear(&why);
			g->col = PB_AC_AGREED;
			if (!g->poison)
				decide(a, a->order[j], g, &why, &g->col);
		}
		same_start(a, i, j);
		for (k = i; k < j && rc == 0; k++) {
			struct group *g = &a->g[a->order[k]];

			if (g->poison) {
				rc = reject_group(a, g, g->col, g->poison, reject,
						  ctx, &rb, e);
				continue;
			}
			a->allocated++;
			if (g->rec[SELF].present && g->rec[PRACT].present) {
				a->paired++;
				if (g->used == SELF)
					a->used_self++;
			}
		}
	}
	pb_buf_fini(&rb.data);
	free(rb.val);
	free(rb.len);
	free(rb.kind);
	return rc;
}

/* ---- writing ---------------------------------------------------------------- */

static const char *const out_cols[] = {
	"allocation_id", "person_id", "start_date", "review_date",
	"indicative_weekly", "weekly_amount", "social_care", "health", "s117",
	"client_contribution_weekly", "delivery_mechanism",
	"payment_every_weeks", "first_payment_date", "payment_amount",
	"override_reason", "ras_version", "funding_version", "flags"
};
#define NOUT (sizeof out_cols / sizeof out_cols[0])

/* Append the ';'-separated flags of s not already in b. */
static void add_flags(struct pb_buf *b, const char *s)
{
	while (*s) {
		const char *end = strchr(s, ';');
		size_t n = end ? (size_t)(end - s) : strlen(s), i;
		const char *f = s;
		int dup = 0;

		s += n + (end ? 1 : 0);
		while (n && (*f == ' ')) {
			f++;
			n--;
		}
		while (n && f[n - 1] == ' ')
			n--;
		if (n == 0)
			continue;
		for (i = 0; b->len && i + n <= b->len; i++) {
			if ((i == 0 || b->s[i - 1] == ';') &&
			    memcmp(b->s + i, f, n) == 0 &&
			    (i + n == b->len || b->s[i + n] == ';')) {
				dup = 1;
				break;
			}
		}
		if (dup)
			continue;
		if (b->len)
			pb_buf_addc(b, ';');
		pb_buf_add(b, f, n);
	}
}

int pb_allocate_write(struct pb_allocate *a, struct pb_writer *w,
		      struct pb_error *e)
{
	struct pb_buf flags, id;
	struct pb_cell c[NOUT];
	size_t i;
	int rc = 0;

	if (pb_writer_header(w, out_cols, NOUT, e) < 0)
		return -PB_EIO;
	pb_buf_init(&flags);
	pb_buf_init(&id);
	for (i = 0; i < a->norder && rc == 0; i++) {
		const struct group *g = &a->g[a->order[i]];
		const struct pb_allocation *o = &g->out;
		char start[PB_DATE_BUFSZ], review[PB_DATE_BUFSZ],
		     first[PB_DATE_BUFSZ];
		const char *pid;
		size_t len, k = 0;
		int32_t date;

		if (!g->ok)
			continue;
		pid = group_pid(a, a->order[i], &len, &date);
		pb_date_format(start, o->start);
		pb_buf_reset(&id);
		pb_buf_add(&id, pid, len);
		pb_buf_addc(&id, '-');
		pb_buf_adds(&id, start);
		pb_buf_reset(&flags);
		if (g->rec[SELF].present)
			add_flags(&flags, pb_strmap_key(a->strs,
							g->rec[SELF].flags, NULL));
		if (g->rec[PRACT].present)
			add_flags(&flags, pb_strmap_key(a->strs,
							g->rec[PRACT].flags, NULL));
		if (g->rec[SELF].present && g->rec[PRACT].present &&
		    g->used == SELF)
			add_flags(&flags, "self_assessment_used");
		if (o->s117_no_charge)
			add_flags(&flags, "s117_no_charge");
		if (o->contribution_covers)
			add_flags(&flags, "contribution_covers_budget");

		c[k++] = (struct pb_cell){PB_CELL_TEXT, id.s, id.len, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT, pid, len, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT, start, 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT,
					  pb_date_format(review, o->review), 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->indicative};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->weekly};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->social_care};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->health};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->s117};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->contribution};
		c[k++] = (struct pb_cell){PB_CELL_TEXT,
					  pb_code_name(&pb_codes_mech, o->mech), 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_INT, NULL, 0, o->every_weeks};
		c[k++] = (struct pb_cell){PB_CELL_TEXT,
					  pb_date_format(first, o->first_payment), 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_MONEY, NULL, 0, o->payment};
		c[k++] = (struct pb_cell){PB_CELL_TEXT,
					  pb_strmap_key(a->strs, g->reason, NULL), 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT,
					  pb_strmap_key(a->strs,
							g->rec[g->used].version, NULL), 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT, a->f->version, 0, 0};
		c[k++] = (struct pb_cell){PB_CELL_TEXT, flags.len ? flags.s : "",
					  0, 0};
		if (pb_writer_row(w, c, e) < 0)
			rc = -PB_EIO;
	}
	pb_buf_fini(&flags);
	pb_buf_fini(&id);
	return rc;
}

/* a + b * 52, saturating at PB_MONEY_MAX. */
static int64_t add_annual(int64_t a, int64_t weekly)
{
	__int128 s = (__int128)a + (__int128)weekly * 52;

	return s > PB_MONEY_MAX ? PB_MONEY_MAX : (int64_t)s;
}

void pb_allocate_totals(const struct pb_allocate *a,
			struct pb_alloc_totals *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < a->norder; i++) {
		const struct group *g = &a->g[a->order[i]];

		if (!g->ok)
			continue;
		t->allocations++;
		t->social_care = add_annual(t->social_care, g->out.social_care);
		t->health = add_annual(t->health, g->out.health);
		t->s117 = add_annual(t->s117, g->out.s117);
		t->total = add_annual(t->total, g->out.weekly);
		/* No more than the budget can be collected. */
		t->contributions = add_annual(t->contributions,
			g->out.contribution < g->out.weekly ? g->out.contribution
							    : g->out.weekly);
	}
}

void pb_allocate_summary(const struct pb_allocate *a, char *buf, size_t n)
{
	if (a->paired == 0) {
		snprintf(buf, n, "%ld allocation%s made", a->allocated,
			 a->allocated == 1 ? "" : "s");
		return;
	}
	snprintf(buf, n,
		 "%ld allocation%s made; %ld from both a self and a "
		 "practitioner assessment (use: %s), %ld of them the self one",
		 a->allocated, a->allocated == 1 ? "" : "s", a->paired,
		 a->f->use == PB_USE_SELF ? "self"
		 : a->f->use == PB_USE_PRACTITIONER ? "practitioner" : "higher",
		 a->used_self);
}
