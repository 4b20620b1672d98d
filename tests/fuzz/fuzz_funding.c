/*
 * fuzz_funding - a funding config (CONTRACTS.md §5) from any bytes: the
 * first JSON document is the config, loaded as pb-allocate loads it;
 * whatever follows it is a file of scored assessments (§4), allocated
 * as pb-allocate allocates them (through the spool, the pairing of a
 * person's self and practitioner records, and rejection of a whole
 * person).
 *
 * A config that loads has its values in range.  Nothing is lost: each
 * person and assessment date with a record taken gets exactly one
 * allocation, or every record of theirs that was taken is handed back
 * as rejected.  Every allocation reads back with its funding streams
 * summing to its weekly amount, the payment the schedule says, the
 * review date the config says, its id made of the person and start
 * date (no two alike) and the config's version.
 */
#include "fuzz.h"
#include "allocate.h"
#include "codes.h"
#include "pbjson.h"

/* Records taken and rejected per person and date. */
struct tally {
	struct pb_strmap *keys;
	long *taken, *rejected;
	size_t cap;
	struct pb_buf key;
};

static void tally_key(struct tally *t, const struct pb_record *rec)
{
	int idx[PB_AC_N];
	struct pb_error e;
	const char *pid;
	size_t n;
	int32_t date;

	FUZZ_CHECK(pb_bind(rec->hdr, NULL, pb_scored_spec, PB_AC_N, idx, 1,
			   &e) == 0);
	FUZZ_CHECK(pb_field_date(rec, idx[PB_AC_ASSESSMENT_DATE], &date, &e) == 1);
	pid = pb_rec_get(rec, idx[PB_AC_PERSON_ID], &n);
	pb_buf_reset(&t->key);
	pb_buf_add(&t->key, &date, sizeof date);
	pb_buf_add(&t->key, pid, n);
}

static size_t tally_id(struct tally *t)
{
	size_t id = pb_strmap_intern(t->keys, t->key.s, t->key.len, NULL);

	if (id >= t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;

		t->taken = realloc(t->taken, cap * sizeof *t->taken);
		t->rejected = realloc(t->rejected, cap * sizeof *t->rejected);
		FUZZ_CHECK(t->taken && t->rejected);
		memset(t->taken + t->cap, 0, (cap - t->cap) * sizeof *t->taken);
		memset(t->rejected + t->cap, 0,
		       (cap - t->cap) * sizeof *t->rejected);
		t->cap = cap;
	}
	return id;
}

static void rejected(void *ctx, const struct pb_record *rec,
		     struct pb_error *why)
{
	struct tally *t = ctx;
	size_t id;

	FUZZ_CHECK(why->code == PB_EDATA && why->text[0] != '\0');
	tally_key(t, rec);
	id = tally_id(t);
	t->rejected[id]++;
}

struct rows {
	const struct pb_funding *f;
	struct pb_strmap *ids;
	long n;
};

static void check_row(void *ctx, const struct pb_record *rec)
{
	struct rows *c = ctx;
	struct pb_error e;
	int64_t weekly = fuzz_money(rec, "weekly_amount");
	int64_t contribution = fuzz_money(rec, "client_contribution_weekly");
	int64_t every = fuzz_int(rec, "payment_every_weeks");
	int64_t net = weekly - contribution;
	int32_t start = fuzz_date(rec, "start_date");
	int i = fuzz_col(rec, "allocation_id"), p = fuzz_col(rec, "person_id");
	int v = fuzz_col(rec, "funding_version"), m = fuzz_col(rec,
		"delivery_mechanism");
	char id[1024], date[PB_DATE_BUFSZ];
	int added;

	FUZZ_CHECK(weekly >= 0 && contribution >= 0);
	FUZZ_CHECK(fuzz_money(rec, "social_care") + fuzz_money(rec, "health") +
		   fuzz_money(rec, "s117") == weekly);
	FUZZ_CHECK(every == c->f->every_weeks);
	FUZZ_CHECK(fuzz_money(rec, "payment_amount") ==
		   (net > 0 ? net : 0) * every);
	FUZZ_CHECK(fuzz_date(rec, "first_payment_date") == start);
	FUZZ_CHECK(fuzz_date(rec, "review_date") ==
		   pb_date_add_months(start, (int)c->f->review_months));
	FUZZ_CHECK(strcmp(rec->val[v], c->f->version) == 0);
	FUZZ_CHECK(pb_code_lookup(&pb_codes_mech, rec->val[m], rec->len[m],
				  &e) >= 0);
	if (rec->len[p] + 12 < sizeof id) {
		snprintf(id, sizeof id, "%s-%s", rec->val[p],
			 pb_date_format(date, start));
		FUZZ_CHECK(strcmp(rec->val[i], id) == 0);
	}
	pb_strmap_intern(c->ids, rec->val[i], rec->len[i], &added);
	if (!added)
		fprintf(stderr, "allocation_id '%s' twice\n", rec->val[i]);
	FUZZ_CHECK(added);
	c->n++;
}

static void check_allocate(const struct pb_funding *f, const uint8_t *data,
			   size_t size)
{
	char path[32];
	char *files[1] = {path};
	struct pb_allocate_opts o;
	struct pb_allocate *a;
	struct pb_reader *rd;
	struct pb_record *rec;
	struct pb_writer *w;
	struct pb_error e;
	struct tally t;
	struct rows rows;
	unsigned long gen = 0;
	char *out = NULL;
	size_t outlen = 0, g;
	long allocated = 0;
	int fd = fuzz_file(data, size, path), rc, bound = 0;
	FILE *fp;

	memset(&t, 0, sizeof t);
	t.keys = pb_strmap_new();
	pb_buf_init(&t.key);
	memset(&o, 0, sizeof o);
	o.f = f;
	a = pb_allocate_new(&o, &e);
	FUZZ_CHECK(a);
	rd = pb_reader_new(files, 1, PB_IN_AUTO);
	while ((rc = pb_reader_next(rd, &rec, &e)) != 0) {
		if (rc < 0)
			continue;
		if (rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			bound = pb_allocate_bind(a, rec->hdr,
						 pb_reader_format(rd) == PB_IN_JSON,
						 &e) == 0;
		}
		if (!bound)
			continue;
		rc = pb_allocate_add(a, rec, &e);
		FUZZ_CHECK(rc == 0 || (rc == -PB_EDATA && e.text[0]));
		if (rc == 0) {
			tally_key(&t, rec);
			g = tally_id(&t);
			t.taken[g]++;
		}
	}
	FUZZ_CHECK(pb_allocate_finish(a, rejected, &t, &e) == 0);
	/* Each person and date: allocated, or all they gave handed back. */
	for (g = 0; g < pb_strmap_count(t.keys); g++) {
		FUZZ_CHECK(t.taken[g] <= 2);
		FUZZ_CHECK(t.rejected[g] == 0 || t.rejected[g] == t.taken[g]);
		allocated += t.taken[g] > 0 && t.rejected[g] == 0;
	}
	fp = open_memstream(&out, &outlen);
	FUZZ_CHECK(fp);
	w = pb_writer_new(fp, PB_FMT_CSV);
	FUZZ_CHECK(pb_allocate_write(a, w, &e) == 0 && pb_writer_end(w, &e) == 0);
	pb_writer_free(w);
	FUZZ_CHECK(fclose(fp) == 0);
	rows.f = f;
	rows.ids = pb_strmap_new();
	rows.n = 0;
	FUZZ_CHECK(fuzz_csv_each(out, outlen, check_row, &rows) == allocated);
	{
		struct pb_alloc_totals tot;

		pb_allocate_totals(a, &tot);
		FUZZ_CHECK(tot.allocations == allocated);
		FUZZ_CHECK(tot.total >= 0 && tot.total <= PB_MONEY_MAX);
	}
	pb_strmap_free(rows.ids);
	pb_reader_free(rd);
	pb_allocate_free(a);
	pb_strmap_free(t.keys);
	free(t.taken);
	free(t.rejected);
	pb_buf_fini(&t.key);
	free(out);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32];
	struct pb_error e;
	struct pb_funding *f;
	size_t used;
	int fd;

	fd = fuzz_config(data, size, &used, path);
	f = pb_funding_load(path, &e);
	close(fd);
	if (!f) {
		FUZZ_CHECK(e.code == PB_EUSAGE && e.text[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(f->version[0] != '\0' && f->name != NULL);
	FUZZ_CHECK(f->every_weeks >= 1 && f->every_weeks <= 52);
	FUZZ_CHECK(f->review_months >= 1 && f->review_months <= 12);
	FUZZ_CHECK(pb_code_name(&pb_codes_mech, f->default_mech) != NULL);
	FUZZ_CHECK(f->use == PB_USE_HIGHER || f->use == PB_USE_PRACTITIONER ||
		   f->use == PB_USE_SELF);
	FUZZ_CHECK(pb_funding_choose(f, 100, 200) == (f->use == PB_USE_SELF ? 0 : 1));
	check_allocate(f, data + used, size - used);
	pb_funding_free(f);
	return 0;
}
