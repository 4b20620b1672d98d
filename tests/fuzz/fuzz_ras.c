/*
 * fuzz_ras - a RAS config (CONTRACTS.md §3) from any bytes: the first
 * JSON document is the config, loaded as pb-assess loads it; whatever
 * follows it is a file of answers.
 *
 * A config that loads must be usable:
 *  - every answer code finds its own answer, as written and normalised;
 *  - every total the questions can reach is priced (bands cover it),
 *    rounded to round_to, within minimum and maximum, annual = 52 weeks
 *    and money too; per point, the budget never falls as the points
 *    rise;
 *  - calibrating to the pot a price gives finds a price at least as
 *    high whose total is within the pot, and a penny more is over it;
 *  - answers made from the config's own codes, one row per answer of
 *    each question, are all scored, and the output reads back with the
 *    points and the budget pb_ras_money gives, each domain's points
 *    summing to the total.  The answers after the config are scored
 *    too (any may be rejected).
 * A config that does not load has a message, and is a usage error.
 */
#include "fuzz.h"
#include "pbjson.h"
#include "ras.h"

/* Totals 0..max the questions can reach, as a bitset (an unanswered
 * optional question scores 0): an independent count of what ras.c
 * checks the bands against. */
static uint64_t *reach(const struct pb_ras *r)
{
	size_t n = (size_t)r->max_points / 64 + 1, i, k, t;
	uint64_t *cur = calloc(n, sizeof *cur), *next = calloc(n, sizeof *next);

	FUZZ_CHECK(cur && next);
	cur[0] = 1;
	for (i = 0; i < r->nq; i++) {
		memset(next, 0, n * sizeof *next);
		for (t = 0; t <= (size_t)r->max_points; t++) {
			if (!(cur[t / 64] >> (t % 64) & 1))
				continue;
			if (!r->q[i].required)
				next[t / 64] |= 1ull << (t % 64);
			for (k = 0; k < r->q[i].nanswer; k++) {
				size_t u = t + (size_t)r->q[i].answer[k].points;

				FUZZ_CHECK(u <= (size_t)r->max_points);
				next[u / 64] |= 1ull << (u % 64);
			}
		}
		memcpy(cur, next, n * sizeof *cur);
	}
	free(next);
	return cur;
}

static void check_money(const struct pb_ras *r)
{
	struct pb_ras_money m;
	struct pb_error e;
	int64_t t, last = 0;
	uint64_t *ok;

	size_t i, work = 0;

	/* The loops over every total are quadratic in the worst case: keep
	 * them for configs of a size a fuzzer makes quickly. */
	for (i = 0; i < r->nq; i++)
		work += (r->q[i].nanswer + 1) * ((size_t)r->max_points + 1);
	if (r->max_points > 20000 || work > 4000000)
		return;
	ok = reach(r);
	FUZZ_CHECK(pb_ras_money(r, r->price, 0, &m, &e) == 0 && m.weekly == 0 &&
		   m.annual == 0);
	for (t = 1; t <= r->max_points; t++) {
		int rc = pb_ras_money(r, r->price, t, &m, &e);

		if (!(ok[t / 64] >> (t % 64) & 1) && !r->has_price)
			continue;
		if (rc < 0)
			fprintf(stderr, "%lld points: %s\n", (long long)t, e.text);
		FUZZ_CHECK(rc == 0);
		FUZZ_CHECK(m.points == t && m.annual == m.weekly * 52);
		FUZZ_CHECK(m.annual <= PB_MONEY_MAX);
		FUZZ_CHECK(m.rounded % r->round_to == 0);
		FUZZ_CHECK(m.weekly >= r->minimum);
		FUZZ_CHECK(!r->has_maximum || m.weekly <= r->maximum);
		FUZZ_CHECK(m.clamp != PB_RAS_CLAMP_NONE || m.weekly == m.rounded);
		if (r->has_price) {
			FUZZ_CHECK(m.raw == t * r->price && m.weekly >= last);
			last = m.weekly;
		} else {
			FUZZ_CHECK(m.band && m.band->from <= t && t <= m.band->to &&
				   m.raw == m.band->weekly);
		}
	}
	free(ok);
}

static void check_calibrate(const struct pb_ras *r)
{
	struct pb_ras_hist h;
	struct pb_error e;
	int64_t pot, price, total, t2;
	size_t i, k;

	if (!r->has_price)
		return;
	/* Some records: each question's highest answer, then lowest. */
	pb_ras_hist_init(&h);
	for (k = 0; k < 2; k++) {
		int64_t pts = 0;

		for (i = 0; i < r->nq; i++)
			pts += r->q[i].answer[k ? 0 : r->q[i].nanswer - 1].points;
		pb_ras_hist_add(&h, pts);
	}
	pb_ras_hist_add(&h, r->max_points);
	if (pb_ras_hist_total(r, &h, r->price, &pot) == 0 &&
	    pb_ras_calibrate(r, &h, pot, &price, &total, &e) == 0) {
		FUZZ_CHECK(price >= r->price && total <= pot);
		FUZZ_CHECK(pb_ras_hist_total(r, &h, price, &t2) == 0 &&
			   t2 == total);
		FUZZ_CHECK(pb_ras_hist_total(r, &h, price + 1, &t2) != 0 ||
			   t2 > pot);
	} else {
		FUZZ_CHECK(e.text[0] != '\0');
	}
	pb_ras_hist_fini(&h);
}

/* The config's own answers as a CSV file: row j answers question i
 * with answer (i + j) % n; an optional question is left empty in every
 * third row. */
static size_t answers_csv(const struct pb_ras *r, FILE *fp, int64_t **pts)
{
	size_t rows = 1, i, j;

	for (i = 0; i < r->nq; i++)
		if (r->q[i].nanswer > rows)
			rows = r->q[i].nanswer;
	*pts = calloc(rows, sizeof **pts);
	FUZZ_CHECK(*pts);
	fputs("person_id,assessment_date,assessor", fp);
	for (i = 0; i < r->nq; i++)
		fprintf(fp, ",%s", r->q[i].id);
	fputs(",pass-through\n", fp);
	for (j = 0; j < rows; j++) {
		fprintf(fp, "P%zu,2026-04-01,%s", j, j % 2 ? "self" : "Practitioner");
		for (i = 0; i < r->nq; i++) {
			const struct pb_ras_question *q = &r->q[i];
			const struct pb_ras_answer *a = &q->answer[(i + j) % q->nanswer];

			putc(',', fp);
			if (!q->required && j % 3 == 2)
				continue;
			pb_csv_field(fp, a->code, a->len);
			(*pts)[j] += a->points;
		}
		fprintf(fp, ",row %zu\n", j);
	}
	return rows;
}

struct outcheck {
	const struct pb_ras *r;
	const int64_t *pts;
	size_t rows, seen;
};

static void check_row(void *ctx, const struct pb_record *rec)
{
	struct outcheck *c = ctx;
	struct pb_ras_money m;
	struct pb_error e;
	int64_t points = fuzz_int(rec, "points"), sum = 0;
	size_t d;
	char col[PB_RAS_NAME_MAX + 16];

	for (d = 0; d < c->r->ndomain; d++) {
		snprintf(col, sizeof col, "points_%s", c->r->domain[d]);
		pb_colname_norm(col, sizeof col, col);
		sum += fuzz_int(rec, col);
	}
	FUZZ_CHECK(sum == points);
	FUZZ_CHECK(pb_ras_money(c->r, c->r->price, points, &m, &e) == 0);
	FUZZ_CHECK(fuzz_money(rec, "indicative_weekly") == m.weekly);
	FUZZ_CHECK(fuzz_money(rec, "indicative_annual") == m.annual);
	if (c->seen < c->rows)
		FUZZ_CHECK(points == c->pts[c->seen]);
	c->seen++;
}

static void check_assess(const struct pb_ras *r, const uint8_t *rest,
			 size_t nrest)
{
	char path[32], rpath[32];
	char *files[2] = {path, rpath};
	struct pb_assess_opts o;
	struct pb_assess *a;
	struct pb_reader *rd;
	struct pb_record *rec;
	struct pb_writer *w;
	struct pb_error e;
	struct outcheck oc;
	unsigned long gen = 0;
	char *csv = NULL, *out = NULL;
	size_t csvlen = 0, outlen = 0, rows, i;
	long good = 0, synth = 0;
	int64_t *pts, price, total;
	int fd, rfd, rc, bound = 0;
	FILE *fp = open_memstream(&csv, &csvlen);

	FUZZ_CHECK(fp);
	rows = answers_csv(r, fp, &pts);
	FUZZ_CHECK(fclose(fp) == 0);
	fd = fuzz_file((const uint8_t *)csv, csvlen, path);
	rfd = fuzz_file(rest, nrest, rpath);
	memset(&o, 0, sizeof o);
	o.ras = r;
	a = pb_assess_new(&o, &e);
	FUZZ_CHECK(a);
	rd = pb_reader_new(files, nrest ? 2 : 1, PB_IN_AUTO);
	while ((rc = pb_reader_next(rd, &rec, &e)) != 0) {
		int first = strcmp(pb_reader_file(rd), path) == 0;

		if (rc < 0) {
			FUZZ_CHECK(!first);
			continue;
		}
		if (rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			bound = pb_assess_bind(a, rec->hdr,
					       pb_reader_format(rd) == PB_IN_JSON,
					       &e) == 0;
			FUZZ_CHECK(bound || !first);
		}
		if (!bound)
			continue;
		rc = pb_assess_add(a, rec, &e);
		if (first) {
			if (rc < 0)
				fprintf(stderr, "row %ld: %s\n", synth, e.text);
			FUZZ_CHECK(rc == 0);
			synth++;
		} else {
			FUZZ_CHECK(rc == 0 || (rc == -PB_EDATA && e.text[0]));
		}
		good += rc == 0;
	}
	FUZZ_CHECK(synth == (long)rows);
	FUZZ_CHECK(pb_assess_price(a, &price, &total, &e) == 0 &&
		   price == r->price);
	fp = open_memstream(&out, &outlen);
	FUZZ_CHECK(fp);
	w = pb_writer_new(fp, PB_FMT_CSV);
	rc = pb_assess_write(a, w, fp, &e);
	if (rc < 0)
		fprintf(stderr, "pb_assess_write: %s: %s\n", e.key, e.text);
	FUZZ_CHECK(rc == 0 && pb_writer_end(w, &e) == 0);
	pb_writer_free(w);
	FUZZ_CHECK(fclose(fp) == 0);
	oc.r = r;
	oc.pts = pts;
	oc.rows = rows;
	oc.seen = 0;
	FUZZ_CHECK(fuzz_csv_each(out, outlen, check_row, &oc) == good);
	for (i = 0; i < rows; i++)
		FUZZ_CHECK(pts[i] <= r->max_points);
	pb_reader_free(rd);
	pb_assess_free(a);
	free(pts);
	free(csv);
	free(out);
	close(fd);
	close(rfd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32], norm[128];
	struct pb_error e;
	struct pb_ras *r;
	size_t used, i, k;
	int fd;

	/* The config: the first document, read as pb-assess reads a file. */
	fd = fuzz_config(data, size, &used, path);
	r = pb_ras_load(path, &e);
	close(fd);
	if (!r) {
		FUZZ_CHECK(e.code == PB_EUSAGE && e.text[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(r->version[0] && r->nq >= 1 && r->nq <= PB_RAS_MAX_QUESTIONS);
	FUZZ_CHECK(r->round_to >= 1 && r->minimum >= 0);
	FUZZ_CHECK(!r->has_maximum || r->maximum >= r->minimum);
	for (i = 0; i < r->nq; i++) {
		const struct pb_ras_question *q = &r->q[i];

		FUZZ_CHECK(q->domain < r->ndomain);
		FUZZ_CHECK(q->nanswer >= 1 && q->nanswer <= PB_RAS_MAX_ANSWERS);
		for (k = 0; k < q->nanswer; k++) {
			const struct pb_ras_answer *a = &q->answer[k];

			FUZZ_CHECK(a->points >= 0 && a->points <= PB_RAS_MAX_POINTS);
			FUZZ_CHECK(pb_ras_answer(r, i, a->code, a->len) == (int)k);
			pb_colname_norm(norm, sizeof norm, a->code);
			FUZZ_CHECK(pb_ras_answer(r, i, norm, strlen(norm)) == (int)k);
		}
	}
	check_money(r);
	check_calibrate(r);
	check_assess(r, data + used, size - used);
	pb_ras_free(r);
	return 0;
}
