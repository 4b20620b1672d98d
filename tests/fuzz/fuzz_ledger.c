/*
 * fuzz_ledger - a batch of transactions (CONTRACTS.md §9) posted as
 * pb-ledger post posts it, into a real ledger database in a temporary
 * directory.  The books are made once (five people's allocations, their
 * payments to the end of June, a bank statement); each input is posted
 * in one write transaction that is then rolled back, so every input
 * starts from the same books.  The first byte picks the source and the
 * input format; the rest is the batch.
 *
 * Invariants, with the batch posted:
 *  - pb_ledger_check finds nothing: every transaction balances, and
 *    moves its amount on the person's direct-payment account;
 *  - the people's balances moved by exactly the amounts posted;
 *  - the same batch again posts nothing (each record is skipped as the
 *    same, or refused as it was the first time): no double posting;
 *  - the plain-text journal has exactly the lines it should (no value
 *    breaks a line), each a date, an indented line or blank;
 * and after the rollback the books are as they were.
 */
#include "fuzz.h"

#include <sys/stat.h>

#include "ledger.h"

static const char allocations[] =
	"allocation_id,person_id,start_date,review_date,indicative_weekly,"
	"weekly_amount,social_care,health,s117,client_contribution_weekly,"
	"delivery_mechanism,payment_every_weeks,first_payment_date,"
	"payment_amount,override_reason,ras_version,funding_version,flags\n"
	"P001-2026-04-01,P001,2026-04-01,2026-10-01,165.00,165.00,165.00,0.00,"
	"0.00,0.00,dp,4,2026-04-01,660.00,,2026-04,2026-27,\n"
	"P002-2026-04-01,P002,2026-04-01,2026-10-01,200.00,200.00,133.33,66.67,"
	"0.00,20.00,dp,4,2026-04-01,720.00,,2026-04,2026-27,\n"
	"P003-2026-04-01,P003,2026-04-01,2026-10-01,120.00,120.00,0.00,0.00,"
	"120.00,0.00,dp,4,2026-04-01,480.00,,2026-04,2026-27,s117_no_charge\n"
	"P004-2026-04-01,P004,2026-04-01,2026-10-01,90.00,90.00,90.00,0.00,"
	"0.00,0.00,managed,4,2026-04-01,360.00,,2026-04,2026-27,\n"
	"P005-2026-04-15,P005,2026-04-15,2026-10-15,100.00,110.00,110.00,0.00,"
	"0.00,10.00,part_dp,2,2026-04-15,200.00,agreed at panel,2026-04,"
	"2026-27,\n";

static const char bank[] =
	"txn_id,person_id,date,amount,category,payee,description\n"
	"B0001,P001,2026-04-03,-45.50,leisure,Violin Group,April fees\n"
	"B0002,P001,2026-04-10,-12.00,,Corner Cafe,\n"
	"B0003,P002,2026-04-12,-300.00,Personal Assistant,J Smith,PA wages\n"
	"B0004,P002,2026-04-20,20.00,contribution,P002,own money\n";

static struct pb_ledger *ledger;
static char dir[64], db[96];
static int64_t base_sum;
static long base_txns;

static void cleanup(void)
{
	char p[128];
	static const char *const side[] = {"", "-wal", "-shm", "-journal"};

	if (ledger)
		pb_ledger_close(ledger);
	ledger = NULL;
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", db, side[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Every record of text through fn, bound to spec; returns good ones. */
static long each(const char *text, size_t len, enum pb_informat fmt,
		 const struct pb_colspec *spec, size_t nspec, int *idx,
		 int (*fn)(void *ctx, const struct pb_record *rec), void *ctx)
{
	char path[32];
	char *files[1] = {path};
	int fd = fuzz_file((const uint8_t *)text, len, path);
	struct pb_reader *r = pb_reader_new(files, 1, fmt);
	struct pb_record *rec;
	struct pb_error e;
	unsigned long gen = 0;
	long n = 0;
	int rc, bound = 0;

	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		if (rc < 0) {
			FUZZ_CHECK(e.text[0] != '\0');
			continue;
		}
		if (rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			bound = pb_bind(rec->hdr, NULL, spec, nspec, idx,
					pb_reader_format(r) == PB_IN_JSON, &e) == 0;
		}
		if (bound && fn(ctx, rec) >= 0)
			n++;
	}
	pb_reader_free(r);
	close(fd);
	return n;
}

static int add_alloc(void *ctx, const struct pb_record *rec)
{
	struct pb_alloc a;
	struct pb_error e;

	FUZZ_CHECK(pb_alloc_parse(ctx, rec, &a, &e) == 0);
	FUZZ_CHECK(pb_ledger_add_alloc(ledger, &a, &e) == 1);
	return 0;
}

static int64_t far_future(void)
{
	int32_t d;

	FUZZ_CHECK(pb_date_from_ymd(9999, 12, 31, &d) == 0);
	return d;
}

static int sum_balance(void *ctx, const struct pb_balance *b,
		       struct pb_error *e)
{
	(void)e;
	*(int64_t *)ctx += b->balance;
	return 0;
}

static int64_t balances(void)
{
	struct pb_error e;
	int64_t sum = 0;

	FUZZ_CHECK(pb_ledger_balances(ledger, (int32_t)far_future(), NULL,
				      sum_balance, &sum, &e) == 0);
	return sum;
}

struct journal {
	FILE *fp;
	long txns, lines;
};

static int journal_txn(void *ctx, const struct pb_txn_out *t,
		       struct pb_error *e)
{
	struct journal *j = ctx;

	(void)e;
	j->txns++;
	j->lines += 4 + (t->category[0] != '\0') + (long)t->nposting;
	return j->fp ? pb_ledger_journal_txn(j->fp, t) : 0;
}

static long txns(void)
{
	struct journal j = {NULL, 0, 0};
	struct pb_error e;

	FUZZ_CHECK(pb_ledger_export(ledger, INT32_MIN, INT32_MAX, journal_txn,
				    &j, &e) == 0);
	return j.txns;
}

static void problem(void *ctx, const char *text)
{
	(void)ctx;
	fprintf(stderr, "ledger check: %s\n", text);
}

static void setup(void)
{
	struct pb_error e;
	struct stat st;
	int idx[PB_A_N];
	long n;

	snprintf(dir, sizeof dir, "%s/pb-fuzz-ledger.XXXXXX",
		 stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp");
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(db, sizeof db, "%s/books.db", dir);
	atexit(cleanup);
	FUZZ_CHECK(pb_ledger_create(db, &ledger, &e) == 0);
	FUZZ_CHECK(pb_ledger_begin(ledger, 1, &e) == 0);
	n = each(allocations, sizeof allocations - 1, PB_IN_CSV, pb_alloc_spec,
		 PB_A_N, idx, add_alloc, idx);
	FUZZ_CHECK(n == 5);
	FUZZ_CHECK(pb_ledger_commit(ledger, "import-allocations", n, &e) == 0);
	{
		int32_t through;
		int64_t total;

		FUZZ_CHECK(pb_date_from_ymd(2026, 6, 30, &through) == 0);
		FUZZ_CHECK(pb_ledger_begin(ledger, 1, &e) == 0);
		FUZZ_CHECK(pb_ledger_pay(ledger, through, &n, &total, &e) == 0);
		FUZZ_CHECK(pb_ledger_commit(ledger, "pay", n, &e) == 0);
	}
}

/* ---- posting a batch ------------------------------------------------------ */

struct batch {
	const char *source;
	int *idx;
	int pass;            /* 0 the first, 1 again */
	int *rc;             /* each record's result in the first pass */
	size_t n, cap;
	int64_t posted;      /* sum of the amounts posted */
	long nposted;
};

static int post(void *ctx, const struct pb_record *rec)
{
	struct batch *b = ctx;
	struct pb_txn_in t;
	struct pb_error e;
	int rc;

	pb_error_clear(&e);
	rc = pb_txn_parse(b->idx, rec, &t, &e);
	if (rc == 0)
		rc = pb_ledger_import(ledger, b->source, &t, &e);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -PB_EDATA);
	FUZZ_CHECK(rc >= 0 || e.text[0] != '\0');
	if (b->pass == 0) {
		if (b->n == b->cap) {
			b->cap = b->cap ? 2 * b->cap : 64;
			b->rc = realloc(b->rc, b->cap * sizeof *b->rc);
			FUZZ_CHECK(b->rc);
		}
		b->rc[b->n++] = rc;
		if (rc == 1) {
			b->posted += t.amount;
			b->nposted++;
		}
	} else {
		FUZZ_CHECK(b->n < b->cap);
		/* Again: skipped as the same, or refused as before. */
		if (b->rc[b->n] >= 0)
			FUZZ_CHECK(rc == 0);
		else
			FUZZ_CHECK(rc == b->rc[b->n]);
		b->n++;
	}
	return rc;
}

static void post_base(void)
{
	struct batch b;
	struct pb_error e;
	int idx[PB_T_N];

	memset(&b, 0, sizeof b);
	b.source = "bank";
	b.idx = idx;
	FUZZ_CHECK(pb_ledger_begin(ledger, 1, &e) == 0);
	FUZZ_CHECK(each(bank, sizeof bank - 1, PB_IN_CSV, pb_txn_spec, PB_T_N,
			idx, post, &b) == 4);
	FUZZ_CHECK(b.nposted == 4);
	FUZZ_CHECK(pb_ledger_commit(ledger, "post", b.nposted, &e) == 0);
	free(b.rc);
}

static void check_journal(void)
{
	struct journal j;
	struct pb_error e;
	char *text = NULL;
	size_t len = 0, i, start = 0;
	long lines = 0;

	j.fp = open_memstream(&text, &len);
	FUZZ_CHECK(j.fp);
	j.txns = j.lines = 0;
	FUZZ_CHECK(pb_ledger_export(ledger, INT32_MIN, INT32_MAX, journal_txn,
				    &j, &e) == 0);
	FUZZ_CHECK(fclose(j.fp) == 0);
	for (i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		/* A transaction's first line, a posting or comment, or the
		 * blank line after it. */
		FUZZ_CHECK(i == start || strncmp(text + start, "    ", 4) == 0 ||
			   (text[start] >= '0' && text[start] <= '9'));
		lines++;
		start = i + 1;
	}
	FUZZ_CHECK(start == len);
	if (lines != j.lines)
		fprintf(stderr, "journal: %ld lines, not %ld:\n%s", lines,
			j.lines, text);
	FUZZ_CHECK(lines == j.lines);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pb_informat fmts[4] = {PB_IN_AUTO, PB_IN_CSV,
						 PB_IN_JSON, PB_IN_AUTO};
	struct batch b;
	struct pb_error e;
	int idx[PB_T_N];
	int rc;

	if (!ledger) {
		setup();
		post_base();
		FUZZ_CHECK(pb_ledger_begin(ledger, 0, &e) == 0);
		base_sum = balances();
		base_txns = txns();
		pb_ledger_rollback(ledger);
	}
	if (size < 1)
		return 0;
	memset(&b, 0, sizeof b);
	b.source = data[0] & 1 ? "card" : "bank";
	b.idx = idx;
	FUZZ_CHECK(pb_ledger_begin(ledger, 1, &e) == 0);
	each((const char *)data + 1, size - 1, fmts[(data[0] >> 1) & 3],
	     pb_txn_spec, PB_T_N, idx, post, &b);
	rc = pb_ledger_check(ledger, problem, NULL, &e);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(balances() == base_sum + b.posted);
	FUZZ_CHECK(txns() == base_txns + b.nposted);
	check_journal();
	/* The same batch again. */
	b.pass = 1;
	b.n = 0;
	each((const char *)data + 1, size - 1, fmts[(data[0] >> 1) & 3],
	     pb_txn_spec, PB_T_N, idx, post, &b);
	FUZZ_CHECK(txns() == base_txns + b.nposted);
	pb_ledger_rollback(ledger);
	/* The books as they were. */
	FUZZ_CHECK(pb_ledger_begin(ledger, 0, &e) == 0);
	FUZZ_CHECK(txns() == base_txns && balances() == base_sum);
	pb_ledger_rollback(ledger);
	free(b.rc);
	return 0;
}
