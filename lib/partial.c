/*
 * partial.c - partial states of the reports (--partial) and their merge
 * (pb-report merge).
 *
 * A state is lines of text, tokens separated by one space:
 *
 *     pb-report partial 1 takeup
 *     opt as_of 2026-03-31            the options that shape the figures,
 *     opt by =primary_support_reason  in a fixed order; every state of a
 *     ...                             merge must have the same
 *     input 10 0 0 0 0                rows read, rejected, status, and the
 *                                     --people export's rows and rejects
 *     n 9 0 1 0 ...                   the report's summary counters
 *     g 0 =mental_health              group id and its values
 *     p 0 0f1e... 3 20520 0 1         the report's own lines (see each)
 *     end
 *
 * A text token is "=" and its bytes, with %XX for a space, '%', a
 * control character or DEL, so any value survives.  Several states may
 * follow one another in one file (cat part-*.state | pb-report merge).
 * Memory of a merge: the same as one run over all the input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report_int.h"

#define MAGIC "pb-report partial 1"

static const char *const format_names[] = {
	"csv", "json", "table", "md", "svg"
};

/* ---- writing --------------------------------------------------------- */

void pb_partial_token(FILE *fp, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	putc('=', fp);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == '%' || c == 0x7f) {
			putc('%', fp);
			putc(hex[c >> 4], fp);
			putc(hex[c & 15], fp);
		} else {
			putc(c, fp);
		}
	}
}

void pb_partial_key(FILE *fp, const char *key, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t n = strlen(key + off);

		putc(' ', fp);
		pb_partial_token(fp, key + off, n);
		off += n + 1;
	}
}

void pb_partial_fp(FILE *fp, struct pb_fp f)
{
	fprintf(fp, "%016llx%016llx", (unsigned long long)f.hi,
		(unsigned long long)f.lo);
}

void pb_partial_sketch(FILE *fp, const struct pb_qsketch *q)
{
	uint32_t j;

	int64_t k;

	fprintf(fp, " %lld %lld %lld %llu %llu", (long long)q->n,
		(long long)q->min, (long long)q->max,
		(unsigned long long)q->sum_hi, (unsigned long long)q->sum_lo);
	if (!q->bucketed) {
		/* the values themselves, as value:1 */
		for (k = 0; k < q->n; k++)
			fprintf(fp, " v%lld", (long long)q->val[k]);
		return;
	}
	for (j = 0; j < q->nb; j++)
		if (q->cnt[j])
			fprintf(fp, " %lu:%lld", (unsigned long)(q->lo + j),
				(long long)q->cnt[j]);
}

static void opt_day(FILE *fp, const char *name, int has, int32_t d)
{
	char date[PB_DATE_BUFSZ];

	fprintf(fp, "opt %s %s\n", name, has ? pb_date_format(date, d) : "-");
}

static void save_opts(const struct pb_report *r, FILE *fp)
{
	const struct pb_report_opts *o = &r->o;
	size_t i;

	fprintf(fp, "%s %s\n", MAGIC, pb_report_name(o->kind));
	opt_day(fp, "as_of", 1, o->as_of);
	opt_day(fp, "from", o->has_from, o->from);
	opt_day(fp, "to", o->has_to, o->to);
	fprintf(fp, "opt every %s\n", pb_every_name(o->every));
	fputs("opt by", fp);
	for (i = 0; i < o->nby; i++) {
		putc(' ', fp);
		pb_partial_token(fp, o->by[i], strlen(o->by[i]));
	}
	putc('\n', fp);
	fprintf(fp, "opt carers %d\n", o->carers != 0);
	fprintf(fp, "opt assume_unique %d\n", o->assume_unique != 0);
	fprintf(fp, "opt total %d\n", o->total != 0);
	if (o->has_target)
		fprintf(fp, "opt target %lld\n", (long long)o->target);
	else
		fputs("opt target -\n", fp);
	fprintf(fp, "opt disclosure %s\n", pb_disclosure_name(o->disclosure));
	fprintf(fp, "opt format %s\n", format_names[o->format]);
}

int pb_report_save(struct pb_report *r, FILE *fp, struct pb_error *e)
{
	size_t g, ng = pb_strmap_count(r->groups), i;

	save_opts(r, fp);
	fprintf(fp, "input %ld %ld %d %ld %ld\n", r->read, r->rejected,
		r->status, r->people_read, r->people_rejected);
	fputs("n", fp);
	for (i = 0; i < PB_NCOUNT; i++)
		fprintf(fp, " %lld", r->cnt[i]);
	putc('\n', fp);
	for (g = 0; g < ng; g++) {
		size_t klen;
		const char *key = pb_strmap_key(r->groups, g, &klen);

		fprintf(fp, "g %zu", g);
		pb_partial_key(fp, key, klen);
		putc('\n', fp);
	}
	r->ops->save(r, fp);
	fputs("end\n", fp);
	if (ferror(fp)) {
		int err = errno;

		return pb_error_set(e, PB_EIO, "write error: %s",
				    strerror(err ? err : EIO));
	}
	return 0;
}

/* ---- reading --------------------------------------------------------- */

int pb_pline_fail(struct pb_pline *l, struct pb_error *e, const char *what)
{
	pb_error_clear(e);
	pb_error_at(e, l->file, l->line, NULL);
	return pb_error_set(e, PB_EUSAGE, "partial state: %s", what);
}

int pb_pline_int(struct pb_pline *l, size_t i, int64_t min, int64_t max,
		 int64_t *out, struct pb_error *e)
{
	struct pb_error ie;

	if (i >= l->ntok)
		return pb_pline_fail(l, e, "a number is missing");
	if (pb_strtonum(l->tok[i], strlen(l->tok[i]), min, max, out, &ie) < 0) {
		char msg[PB_ERROR_TEXT + 32];

		snprintf(msg, sizeof msg, "field %zu: %.200s", i + 1, ie.text);
		return pb_pline_fail(l, e, msg);
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pb_pline_fp(struct pb_pline *l, size_t i, struct pb_fp *out,
		struct pb_error *e)
{
	const char *s;
	uint64_t v[2] = {0, 0};
	size_t k;

	if (i >= l->ntok || strlen(l->tok[i]) != 32)
		return pb_pline_fail(l, e, "not a person's key");
	s = l->tok[i];
	for (k = 0; k < 32; k++) {
		int h = hexval((unsigned char)s[k]);

		if (h < 0)
			return pb_pline_fail(l, e, "not a person's key");
		v[k / 16] = v[k / 16] << 4 | (uint64_t)h;
	}
	out->hi = v[0];
	out->lo = v[1];
	return 0;
}

int pb_pline_group(struct pb_pline *l, size_t i, uint32_t *out,
		   struct pb_error *e)
{
	int64_t id;

	if (pb_pline_int(l, i, 0, INT32_MAX, &id, e) < 0)
		return -PB_EUSAGE;
	if ((size_t)id >= l->ngmap || l->gmap[id] == UINT32_MAX)
		return pb_pline_fail(l, e, "a group that was not defined");
	*out = l->gmap[id];
	return 0;
}

int pb_pline_day(struct pb_pline *l, size_t i, int32_t *out,
		 struct pb_error *e)
{
	struct pb_error de;

	if (i >= l->ntok)
		return pb_pline_fail(l, e, "a date is missing");
	if (strcmp(l->tok[i], "-") == 0) {
		*out = INT32_MAX;
		return 0;
	}
	if (pb_date_parse(l->tok[i], strlen(l->tok[i]), out, &de) < 0)
		return pb_pline_fail(l, e, "not a date");
	return 0;
}

int pb_pline_text(struct pb_pline *l, size_t i, struct pb_buf *buf,
		  struct pb_error *e)
{
	const char *s;

	pb_buf_reset(buf);
	if (i >= l->ntok || l->tok[i][0] != '=')
		return pb_pline_fail(l, e, "not a text value");
	for (s = l->tok[i] + 1; *s; s++) {
		if (*s != '%') {
			pb_buf_addc(buf, *s);
			continue;
		}
		int a = hexval((unsigned char)s[1]);
		int b = a < 0 ? -1 : hexval((unsigned char)s[2]);

		if (b < 0)
			return pb_pline_fail(l, e, "a bad %XX escape");
		/* pb-report never writes one: a value ends at a NUL. */
		if (a == 0 && b == 0)
			return pb_pline_fail(l, e, "a NUL byte in a text value");
		pb_buf_addc(buf, (char)(a * 16 + b));
		s += 2;
	}
	return 0;
}

int pb_pline_sketch(struct pb_pline *l, size_t i, struct pb_qsketch *q,
		    struct pb_error *e)
{
	struct pb_qsketch in;
	int64_t n, mn, mx, seen = 0;
	unsigned long long uhi, ulo;
	unsigned __int128 sum;
	char *end;
	size_t k;

	if (pb_pline_int(l, i, 0, INT64_MAX, &n, e) < 0 ||
	    pb_pline_int(l, i + 1, 0, INT64_MAX, &mn, e) < 0 ||
	    pb_pline_int(l, i + 2, 0, INT64_MAX, &mx, e) < 0 ||
	    i + 4 >= l->ntok)
		return -PB_EUSAGE;
	errno = 0;
	uhi = strtoull(l->tok[i + 3], &end, 10);
	if (errno || *end)
		return pb_pline_fail(l, e, "not a sum");
	ulo = strtoull(l->tok[i + 4], &end, 10);
	if (errno || *end)
		return pb_pline_fail(l, e, "not a sum");
	pb_qs_init(&in);
	/* a small sketch's values (vN), or a bucketed one's idx:count */
	if (i + 5 < l->ntok && l->tok[i + 5][0] != 'v')
		pb_qs_bucket(&in);
	for (k = i + 5; k < l->ntok; k++) {
		char *colon = strchr(l->tok[k], ':');
		int64_t idx, cnt;
		struct pb_error ie;

		if (!in.bucketed) {
			if (l->tok[k][0] != 'v' ||
			    pb_strtonum(l->tok[k] + 1, strlen(l->tok[k] + 1), 0,
					INT64_MAX, &idx, &ie) < 0) {
				pb_qs_fini(&in);
				return pb_pline_fail(l, e, "not a value of a sketch");
			}
			pb_qs_add(&in, idx, 1);
			seen++;
			continue;
		}
		if (!colon ||
		    pb_strtonum(l->tok[k], (size_t)(colon - l->tok[k]), 0,
				pb_qs_index(INT64_MAX), &idx, &ie) < 0 ||
		    pb_strtonum(colon + 1, strlen(colon + 1), 1, INT64_MAX,
				&cnt, &ie) < 0) {
			pb_qs_fini(&in);
			return pb_pline_fail(l, e, "not a bucket of a sketch");
		}
		if (__builtin_add_overflow(seen, cnt, &seen)) {
			pb_qs_fini(&in);
			return pb_pline_fail(l, e, "a sketch whose counts do not add up");
		}
		/* Rebuild by value: a bucket's value lands in the bucket. */
		pb_qs_add(&in, pb_qs_value((uint32_t)idx), cnt);
	}
	if (seen != n || mx < mn ||
	    (in.bucketed ? n <= PB_QS_EXACT
			 : n > PB_QS_EXACT || (n && (in.min != mn || in.max != mx)))) {
		pb_qs_fini(&in);
		return pb_pline_fail(l, e, "a sketch whose counts do not add up");
	}
	/* The sum of values kept is theirs; of buckets, between n times
	 * the smallest and n times the largest. */
	sum = (unsigned __int128)uhi << 64 | ulo;
	if (in.bucketed ? sum < (unsigned __int128)n * (uint64_t)mn ||
			  sum > (unsigned __int128)n * (uint64_t)mx
			: in.sum_hi != uhi || in.sum_lo != ulo) {
		pb_qs_fini(&in);
		return pb_pline_fail(l, e, "a sketch whose sum is out of range");
	}
	in.min = mn;
	in.max = mx;
	in.sum_hi = uhi;
	in.sum_lo = ulo;
	pb_qs_merge(q, &in);
	pb_qs_fini(&in);
	return 0;
}

/* ---- merging ---------------------------------------------------------- */

struct pb_merge {
	struct pb_report *r;
	char **opt;           /* the first state's option lines */
	size_t nopt;
	long nstates;
	struct pb_buf text;
	struct merged {          /* the files merged, to refuse one twice */
		dev_t dev;
		ino_t ino;
		char *path;
	} *files;
	size_t nfiles;
};

struct pb_merge *pb_merge_new(void)
{
	struct pb_merge *m = pb_xcalloc(1, sizeof *m);

	pb_buf_init(&m->text);
	return m;
}

void pb_merge_free(struct pb_merge *m)
{
	size_t i;

	if (!m)
		return;
	pb_report_free(m->r);
	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	for (i = 0; i < m->nopt; i++)
		free(m->opt[i]);
	free(m->opt);
	pb_buf_fini(&m->text);
	free(m);
}

struct pb_report *pb_merge_report(struct pb_merge *m)
{
	return m->r;
}

struct pb_report_opts *pb_merge_opts(struct pb_merge *m)
{
	return m->r ? &m->r->o : NULL;
}

long pb_merge_count(const struct pb_merge *m)
{
	return m->nstates;
}

/* Split line (modified) into tokens at single spaces. */
static void split(char *line, struct pb_pline *l, size_t *cap)
{
	char *p = line;

	l->ntok = 0;
	for (;;) {
		char *sp = strchr(p, ' ');

		if (l->ntok == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			l->tok = pb_xrealloc(l->tok, *cap * sizeof *l->tok);
		}
		l->tok[l->ntok++] = p;
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
}

/* Options from the first state's opt lines. */
static int read_opts(struct pb_merge *m, struct pb_pline *l,
		     struct pb_report_opts *o, char ***by, struct pb_error *e)
{
	const char *k = l->ntok > 1 ? l->tok[1] : "";
	int64_t v;
	size_t i;

	if (l->ntok < 2)
		return pb_pline_fail(l, e, "an option without a name");
	if (strcmp(k, "by") == 0) {
		if (*by)
			return pb_pline_fail(l, e, "an option given twice");
		*by = pb_xcalloc(l->ntok, sizeof **by);
		for (i = 2; i < l->ntok; i++) {
			if (pb_pline_text(l, i, &m->text, e) < 0)
				return -PB_EUSAGE;
			(*by)[o->nby++] = pb_xstrndup(m->text.s ? m->text.s : "",
						      m->text.len);
		}
		return 0;
	}
	if (l->ntok != 3)
		return pb_pline_fail(l, e, "an option takes one value");
	if (strcmp(k, "as_of") == 0) {
		if (pb_pline_day(l, 2, &o->as_of, e) < 0)
			return -PB_EUSAGE;
		/* Every report has a day ("-" is for from and to). */
		return o->as_of == INT32_MAX ? pb_pline_fail(l, e, "not a date")
					     : 0;
	}
	if (strcmp(k, "from") == 0) {
		if (pb_pline_day(l, 2, &o->from, e) < 0)
			return -PB_EUSAGE;
		o->has_from = o->from != INT32_MAX;
		return 0;
	}
	if (strcmp(k, "to") == 0) {
		if (pb_pline_day(l, 2, &o->to, e) < 0)
			return -PB_EUSAGE;
		o->has_to = o->to != INT32_MAX;
		return 0;
	}
	if (strcmp(k, "every") == 0) {
		struct pb_error ee;

		if (pb_every_parse(l->tok[2], &o->every, &ee) < 0)
			return pb_pline_fail(l, e, "an unknown period");
		return 0;
	}
	if (strcmp(k, "target") == 0) {
		if (strcmp(l->tok[2], "-") == 0)
			return 0;
		if (pb_pline_int(l, 2, 0, 1000, &o->target, e) < 0)
			return -PB_EUSAGE;
		o->has_target = 1;
		return 0;
	}
	if (strcmp(k, "disclosure") == 0) {
		struct pb_error de;

		if (pb_disclosure_parse(l->tok[2], &o->disclosure, &de) < 0)
			return pb_pline_fail(l, e, "an unknown disclosure rule");
		return 0;
	}
	if (strcmp(k, "format") == 0) {
		for (i = 0; i < sizeof format_names / sizeof *format_names; i++)
			if (strcmp(l->tok[2], format_names[i]) == 0) {
				o->format = (enum pb_format)i;
				return 0;
			}
		return pb_pline_fail(l, e, "an unknown format");
	}
	if (strcmp(k, "carers") != 0 && strcmp(k, "assume_unique") != 0 &&
	    strcmp(k, "total") != 0)
		return pb_pline_fail(l, e, "an unknown option");
	if (pb_pline_int(l, 2, 0, 1, &v, e) < 0)
		return -PB_EUSAGE;
	if (strcmp(k, "carers") == 0)
		o->carers = (int)v;
	else if (strcmp(k, "assume_unique") == 0)
		o->assume_unique = (int)v;
	else if (strcmp(k, "total") == 0)
		o->total = (int)v;
	else
		return pb_pline_fail(l, e, "an unknown option");
	return 0;
}

/* The options of a state, line by line: the first state's make the
 * report (when they end), later ones must be the same. */
struct optstate {
	struct pb_report_opts o;
	char **by;
	size_t nopt;
	int first;
};

static int opt_line(struct pb_merge *m, struct optstate *os,
		    struct pb_pline *l, char *line, size_t *tokcap,
		    struct pb_error *e)
{
	if (os->first) {
		m->opt = pb_xrealloc(m->opt, (m->nopt + 1) * sizeof *m->opt);
		m->opt[m->nopt++] = pb_xstrdup(line);
		split(line, l, tokcap);
		if (read_opts(m, l, &os->o, &os->by, e) < 0)
			return -PB_EUSAGE;
	} else if (os->nopt >= m->nopt || strcmp(m->opt[os->nopt], line) != 0) {
		char msg[PB_ERROR_TEXT], q1[80], q2[80];

		snprintf(msg, sizeof msg,
			 "its options differ from the first state's: '%s', not '%s'",
			 pb_quote(q1, sizeof q1, line, strlen(line)),
			 os->nopt < m->nopt
				 ? pb_quote(q2, sizeof q2, m->opt[os->nopt],
					    strlen(m->opt[os->nopt]))
				 : "");
		return pb_pline_fail(l, e, msg);
	}
	os->nopt++;
	return 0;
}

static int opts_done(struct pb_merge *m, struct optstate *os,
		     struct pb_pline *l, struct pb_error *e)
{
	size_t i;
	int rc = 0;

	if (!os->first)
		return os->nopt == m->nopt
			       ? 0
			       : pb_pline_fail(l, e,
					       "its options differ from the first state's");
	os->o.by = (const char *const *)os->by;
	m->r = pb_report_new(&os->o, e);
	if (!m->r) {
		pb_error_at(e, l->file, l->line, NULL);
		rc = -PB_EUSAGE;
	}
	for (i = 0; i < os->o.nby; i++)
		free(os->by[i]);
	free(os->by);
	os->by = NULL;
	return rc;
}

static int read_state(struct pb_merge *m, FILE *fp, struct pb_pline *l,
		      char **line, size_t *linecap, size_t *tokcap,
		      struct pb_error *e)
{
	struct pb_report *r = NULL;
	struct optstate os;
	enum pb_report_kind kind;
	ssize_t got;
	size_t i;
	int rc = 0;

	/* The header line has been read into *line. */
	if (strncmp(*line, MAGIC " ", sizeof MAGIC) != 0 ||
	    pb_report_kind_parse(*line + sizeof MAGIC, &kind) < 0)
		return pb_pline_fail(l, e, "not a pb-report partial state");
	if (m->r && kind != m->r->o.kind) {
		char msg[120];

		snprintf(msg, sizeof msg, "a %s state cannot merge with %s states",
			 pb_report_name(kind), pb_report_name(m->r->o.kind));
		return pb_pline_fail(l, e, msg);
	}
	memset(&os, 0, sizeof os);
	os.o.kind = kind;
	os.first = m->r == NULL;
	l->ngmap = 0;
	l->nkmap = 0;
	for (;;) {
		got = getline(line, linecap, fp);
		if (got < 0 && !feof(fp)) {
			/* A read error, or no memory for the line. */
			int err = errno;

			pb_error_clear(e);
			pb_error_at(e, l->file, 0, NULL);
			rc = pb_error_set(e, PB_EIO, "read error: %s",
					  strerror(err));
			break;
		}
		if (got < 0) {
			rc = pb_pline_fail(l, e, "ends before 'end'");
			break;
		}
		l->line++;
		if (got && (*line)[got - 1] == '\n')
			(*line)[--got] = '\0';
		if (!r) {
			if (strncmp(*line, "opt ", 4) == 0) {
				rc = opt_line(m, &os, l, *line, tokcap, e);
				if (rc < 0)
					break;
				continue;
			}
			rc = opts_done(m, &os, l, e);
			if (rc < 0)
				break;
			r = m->r;
		}
		if (strcmp(*line, "end") == 0)
			break;
		split(*line, l, tokcap);
		if (strcmp(l->tok[0], "input") == 0 && l->ntok == 6) {
			int64_t v[5];

			for (i = 0; i < 5; i++)
				if (pb_pline_int(l, i + 1, 0, INT64_MAX / 2, &v[i],
						 e) < 0)
					return -PB_EUSAGE;
			if (v[2] > PB_EIO)
				return pb_pline_fail(l, e, "not an exit status");
			/* Counts of a damaged state must not overflow. */
			if (__builtin_add_overflow(r->read, v[0], &r->read) ||
			    r->read > INT64_MAX / 2 ||
			    __builtin_add_overflow(r->rejected, v[1], &r->rejected))
				return pb_pline_fail(l, e, "counts add up to too much");
			if (v[2] > r->status)
				r->status = (int)v[2];
			/* Every part reads the whole --people export. */
			if (v[3] > r->people_read)
				r->people_read = (long)v[3];
			if (v[4] > r->people_rejected)
				r->people_rejected = (long)v[4];
		} else if (strcmp(l->tok[0], "n") == 0 &&
			   l->ntok == PB_NCOUNT + 1) {
			for (i = 0; i < PB_NCOUNT; i++) {
				int64_t v;

				if (pb_pline_int(l, i + 1, INT64_MIN / 4,
						 INT64_MAX / 4, &v, e) < 0)
					return -PB_EUSAGE;
				/* Merged counts stay within what a state may
				 * hold: the merge's own state must load. */
				r->cnt[i] += v;
				if (r->cnt[i] > INT64_MAX / 4 ||
				    r->cnt[i] < INT64_MIN / 4)
					return pb_pline_fail(l, e,
						"counts add up to too much");
			}
		} else if (strcmp(l->tok[0], "g") == 0 && l->ntok >= 2) {
			int64_t id;

			if (pb_pline_int(l, 1, 0, INT32_MAX - 1, &id, e) < 0)
				return -PB_EUSAGE;
			pb_buf_reset(&r->key);
			for (i = 2; i < l->ntok; i++) {
				if (pb_pline_text(l, i, &m->text, e) < 0)
					return -PB_EUSAGE;
				pb_buf_add(&r->key, m->text.s ? m->text.s : "",
					   m->text.len);
				pb_buf_addc(&r->key, '\0');
			}
			if (l->ntok - 2 != pb_groupby_count(r->gb))
				return pb_pline_fail(l, e,
						     "a group with the wrong number of values");
			if ((size_t)id >= l->ngmap) {
				size_t n = (size_t)id + 1;

				l->gmap = pb_xrealloc(l->gmap, n * sizeof *l->gmap);
				for (i = l->ngmap; i < n; i++)
					l->gmap[i] = UINT32_MAX;
				l->ngmap = n;
			}
			l->gmap[id] = pb_report_group(r);
		} else {
			rc = r->ops->load(r, l, e);
			if (rc < 0)
				return rc;
		}
	}
	if (os.by) {
		for (i = 0; i < os.o.nby; i++)
			free(os.by[i]);
		free(os.by);
	}
	if (rc < 0)
		return rc;
	m->nstates++;
	return 0;
}

/*
 * A file is merged once: the same state twice (a glob and a name, a
 * link) would count its people twice when they are not keyed
 * (--assume-unique), and is a mistake when they are.
 */
static int once(struct pb_merge *m, FILE *fp, const char *path,
		struct pb_error *e)
{
	struct stat st;
	size_t i;
	char q[80];

	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	for (i = 0; i < m->nfiles; i++)
		if (m->files[i].dev == st.st_dev && m->files[i].ino == st.st_ino) {
			pb_error_clear(e);
			pb_error_at(e, path, 0, NULL);
			return pb_error_set(e, PB_EUSAGE,
				"the same file as '%s': a partial state is merged once",
				pb_quote(q, sizeof q, m->files[i].path,
					 strlen(m->files[i].path)));
		}
	m->files = pb_xrealloc(m->files, (m->nfiles + 1) * sizeof *m->files);
	m->files[m->nfiles].dev = st.st_dev;
	m->files[m->nfiles].ino = st.st_ino;
	m->files[m->nfiles].path = pb_xstrdup(path);
	m->nfiles++;
	return 0;
}

int pb_merge_file(struct pb_merge *m, const char *path, struct pb_error *e)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "r");
	struct pb_pline l;
	char *line = NULL;
	size_t linecap = 0, tokcap = 0;
	ssize_t got;
	int rc = 0;

	memset(&l, 0, sizeof l);
	l.file = pb_path_label(path);
	if (!fp) {
		int err = errno;

		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		return pb_error_set(e, PB_EIO, "cannot open: %s", strerror(err));
	}
	if (!is_stdin && once(m, fp, path, e) < 0) {
		fclose(fp);
		return -PB_EUSAGE;
	}
	while ((got = getline(&line, &linecap, fp)) >= 0) {
		l.line++;
		if (got && line[got - 1] == '\n')
			line[--got] = '\0';
		if (got == 0)
			continue;
		rc = read_state(m, fp, &l, &line, &linecap, &tokcap, e);
		if (rc < 0)
			break;
	}
	/* getline also stops short of the end when it has no memory. */
	if (rc == 0 && !feof(fp)) {
		int err = errno;

		pb_error_clear(e);
		pb_error_at(e, l.file, 0, NULL);
		rc = pb_error_set(e, PB_EIO, "read error: %s", strerror(err));
	}
	if (!is_stdin)
		fclose(fp);
	free(line);
	free(l.tok);
	free(l.gmap);
	free(l.kmap);
	return rc;
}
