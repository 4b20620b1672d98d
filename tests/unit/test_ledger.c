/*
 * test_ledger.c - the direct-payment ledger (lib/ledger*.c): exact splits
 * and pro rata, names and categories, allocations and their errors,
 * payments that balance to the penny and are posted once, imports seen
 * twice, reversals, surplus recovery, the append-only books, the policy
 * and its key paths, and the journal text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "codes.h"
#include "ledger.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static void check_error(const char *what, const struct pb_error *e,
			int code, const char *file, const char *field,
			const char *key, const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 || e->line != 0 ||
	    strcmp(e->field, field) != 0 || strcmp(e->key, key) != 0 ||
	    strcmp(e->text, text) != 0)
		fail_msg("case '%s':\n"
			 "  want code %d file '%s' field '%s' key '%s' text '%s'\n"
			 "  got  code %d file '%s' field '%s' key '%s' text '%s'",
			 what, code, file, field, key, text, e->code, e->file,
			 e->field, e->key, e->text);
}

/* ---- arithmetic ---------------------------------------------------------- */

static void test_split(void **state)
{
	static const struct {
		int64_t amount;
		int64_t w[3];
		int64_t want[3];
	} t[] = {
		/* whole: nothing to round */
		{66000, {16500, 0, 0}, {66000, 0, 0}},
		{48000, {0, 0, 12000}, {0, 0, 48000}},
		/* 720.00 by 133.33 : 66.67 -> 479.988 : 240.012 */
		{72000, {13333, 6667, 0}, {47999, 24001, 0}},
		/* thirds: the penny goes to the first of equal remainders */
		{100, {1, 1, 1}, {34, 33, 33}},
		{200, {1, 1, 1}, {67, 67, 66}},
		{1, {1, 1, 1}, {1, 0, 0}},
		/* negative amounts split as their size, negated */
		{-100, {1, 1, 1}, {-34, -33, -33}},
		{-72000, {13333, 6667, 0}, {-47999, -24001, 0}},
		/* largest remainder wins, not the first */
		{10, {1, 2, 4}, {1, 3, 6}},
		{0, {5, 5, 0}, {0, 0, 0}},
		/* huge values computed exactly (128-bit) */
		{INT64_C(9000000000000000), {1, 1, 1},
		 {INT64_C(3000000000000000), INT64_C(3000000000000000),
		  INT64_C(3000000000000000)}},
	};
	struct pb_error e;
	size_t i, k;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int64_t out[3], sum = 0;

		assert_int_equal(pb_ledger_split(t[i].amount, t[i].w, 3, out, &e), 0);
		for (k = 0; k < 3; k++) {
			if (out[k] != t[i].want[k])
				fail_msg("case %zu part %zu: want %lld got %lld", i, k,
					 (long long)t[i].want[k], (long long)out[k]);
			sum += out[k];
		}
		assert_int_equal(sum, t[i].amount);
	}
	{
		int64_t zero[3] = {0, 0, 0}, neg[3] = {1, -1, 0}, out[3];

		pb_error_clear(&e);
		assert_int_equal(pb_ledger_split(100, zero, 3, out, &e), -PB_EDATA);
		check_error("zero weights", &e, PB_EDATA, "", "", "",
			    "cannot split in proportion to nothing");
		pb_error_clear(&e);
		assert_int_equal(pb_ledger_split(100, neg, 3, out, &e), -PB_EDATA);
		check_error("negative weight", &e, PB_EDATA, "", "", "",
			    "cannot split in proportion to a negative amount");
	}
}

static void test_prorate_weeks(void **state)
{
	static const struct {
		int64_t amount;
		int days, of;
		int64_t want;
	} t[] = {
		{66000, 28, 28, 66000},
		{66000, 7, 28, 16500},
		{66000, 5, 28, 11786},   /* 11785.71 -> half up */
		{100, 1, 3, 33},
		{200, 1, 3, 67},
		{1, 1, 2, 1},            /* 0.5 -> 1 */
	};
	static const struct {
		int64_t balance, weekly, tenths;
		int rc;
	} w[] = {
		{264000, 16500, 160, 0},
		{256250, 16500, 155, 0},  /* 15.53 */
		{-4550, 16500, -3, 0},    /* -0.28 -> -0.3 */
		{1000, 0, 0, -PB_EDATA},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++)
		assert_int_equal(pb_ledger_prorate(t[i].amount, t[i].days, t[i].of),
				 t[i].want);
	for (i = 0; i < N(w); i++) {
		int64_t tenths = 0;

		assert_int_equal(pb_ledger_weeks(w[i].balance, w[i].weekly, &tenths),
				 w[i].rc);
		if (w[i].rc == 0)
			assert_int_equal(tenths, w[i].tenths);
	}
}

/* ---- names and categories ------------------------------------------------ */

static void test_names(void **state)
{
	static const struct {
		const char *s, *want, *text;
	} cat[] = {
		{"leisure", "leisure", NULL},
		{"  Personal Assistant ", "personal_assistant", NULL},
		{"short__break", "short_break", NULL},
		{"", "", NULL},
		{"agency-care", "agency-care", NULL},
		{"food & drink", NULL,
		 "not a category code (letters, digits, '_' and '-') 'food & drink'"},
	};
	static const struct {
		const char *s, *text;
	} name[] = {
		{"P001", NULL},
		{"AB-12.x_9", NULL},
		{"", "empty person_id"},
		{"P 1", "not a person_id (letters, digits, '.', '_' and '-' only) 'P 1'"},
		{"dp:P1", "not a person_id (letters, digits, '.', '_' and '-' only) 'dp:P1'"},
		{"12345678901234567890123456789012345678901234567890123456789012345",
		 "a person_id longer than 64 characters '123456789012345678901234567890123456789012345678901234567890...'"},
	};
	struct pb_error e;
	char out[PB_LEDGER_ID_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < N(cat); i++) {
		pb_error_clear(&e);
		if (cat[i].want) {
			assert_int_equal(pb_ledger_category(cat[i].s, strlen(cat[i].s),
							    out, &e), 0);
			assert_string_equal(out, cat[i].want);
		} else {
			assert_int_equal(pb_ledger_category(cat[i].s, strlen(cat[i].s),
							    out, &e), -PB_EDATA);
			check_error(cat[i].s, &e, PB_EDATA, "", "", "", cat[i].text);
		}
	}
	for (i = 0; i < N(name); i++) {
		int rc;

		pb_error_clear(&e);
		rc = pb_ledger_check_name("person_id", name[i].s,
					  strlen(name[i].s), &e);
		if (!name[i].text) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, -PB_EDATA);
		check_error(name[i].s, &e, PB_EDATA, "", "", "", name[i].text);
	}
}

/* ---- a ledger in a scratch directory -------------------------------------- */

struct fixture {
	char dir[64];
	char path[96];
	struct pb_ledger *l;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct pb_error e;

	strcpy(f->dir, "/tmp/test_ledger.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/l.db", f->dir);
	if (pb_ledger_create(f->path, &f->l, &e) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[128];

	pb_ledger_close(f->l);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct pb_alloc alloc(const char *id, const char *person, int32_t start,
			     int64_t social, int64_t health, int64_t s117,
			     int64_t contribution, int mech)
{
	struct pb_alloc a;

	memset(&a, 0, sizeof a);
	a.allocation_id = id;
	a.person_id = person;
	a.start = start;
	a.review = -1;
	a.indicative = -1;
	a.stream[0] = social;
	a.stream[1] = health;
	a.stream[2] = s117;
	a.weekly = social + health + s117;
	a.contribution = contribution;
	a.mech = mech;
	a.every = 4;
	a.first_payment = start;
	a.payment = (a.weekly - contribution) * 4;
	a.override_reason = a.ras_version = a.funding_version = a.flags = "";
	return a;
}

static int32_t day(const char *s)
{
	int32_t d = 0;

	assert_int_equal(pb_date_parse(s, strlen(s), &d, NULL), 0);
	return d;
}

/* One integer from SQL run on a second connection. */
static int64_t sql_int(const struct fixture *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -999;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int collect_balance(void *ctx, const struct pb_balance *b,
			   struct pb_error *e)
{
	struct pb_balance *out = ctx;

	(void)e;
	*out = *b;
	out->person_id = out->account = NULL;
	return 0;
}

static struct pb_balance balance_of(struct fixture *f, const char *person,
				    const char *as_of)
{
	struct pb_balance b;
	struct pb_error e;

	memset(&b, 0, sizeof b);
	assert_int_equal(pb_ledger_begin(f->l, 0, &e), 0);
	assert_int_equal(pb_ledger_balances(f->l, day(as_of), person,
					    collect_balance, &b, &e), 0);
	assert_int_equal(pb_ledger_commit(f->l, "read", 0, &e), 0);
	return b;
}

static void test_create_twice(void **state)
{
	struct fixture *f = *state;
	struct pb_ledger *l2 = NULL;
	struct pb_error e;
	struct stat st;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_create(f->path, &l2, &e), -PB_EUSAGE);
	check_error("create twice", &e, PB_EUSAGE, f->path, "", "",
		    "already exists: init never overwrites a database");
	assert_null(l2);
	assert_int_equal(sql_int(f, "SELECT version FROM schema_version"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM pragma_journal_mode"
				    " WHERE journal_mode = 'wal'"), 1);
}

static void test_payments(void **state)
{
	struct fixture *f = *state;
	struct pb_alloc a = alloc("P1-2026-04-01", "P1", day("2026-04-01"),
				  13333, 6667, 0, 2000, PB_MECH_DP);
	struct pb_alloc m = alloc("P2-2026-04-01", "P2", day("2026-04-01"),
				  9000, 0, 0, 0, PB_MECH_MANAGED);
	struct pb_error e;
	long n = 0;
	int64_t total = 0;
	struct pb_balance b;

	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_add_alloc(f->l, &a, &e), 1);
	assert_int_equal(pb_ledger_add_alloc(f->l, &m, &e), 1);
	assert_int_equal(pb_ledger_add_alloc(f->l, &a, &e), 0);  /* again */
	assert_int_equal(pb_ledger_pay(f->l, day("2026-06-30"), &n, &total, &e), 0);
	assert_int_equal(n, 4);              /* 04-01 04-29 05-27 06-24 */
	assert_int_equal(total, 4 * 72000);
	assert_int_equal(pb_ledger_commit(f->l, "pay", n, &e), 0);
	/* Twice: nothing more. */
	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_pay(f->l, day("2026-06-30"), &n, &total, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pb_ledger_commit(f->l, "pay", n, &e), 0);
	/* Every transaction balances; the streams got 479.99 and 240.01. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM (SELECT txn FROM postings"
				    " GROUP BY txn HAVING sum(amount) <> 0)"), 0);
	assert_int_equal(sql_int(f, "SELECT sum(p.amount) FROM postings p JOIN"
				    " accounts a USING (account)"
				    " WHERE a.name = 'council:social_care'"),
			 -4 * 47999);
	assert_int_equal(sql_int(f, "SELECT sum(p.amount) FROM postings p JOIN"
				    " accounts a USING (account)"
				    " WHERE a.name = 'council:health'"),
			 -4 * 24001);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM runs"), 1);
	b = balance_of(f, "P1", "2026-07-01");
	assert_int_equal(b.paid_in, 288000);
	assert_int_equal(b.balance, 288000);
	assert_int_equal(b.weekly, 20000);
	assert_int_equal(b.net_weekly, 18000);
	b = balance_of(f, "P2", "2026-07-01");
	assert_int_equal(b.balance, 0);
	assert_int_equal(b.net_weekly, 0);   /* managed: no direct payment */
	assert_int_equal(b.has_alloc, 1);
}

static void test_allocation_change(void **state)
{
	struct fixture *f = *state;
	struct pb_alloc a = alloc("P1-2026-04-01", "P1", day("2026-04-01"),
				  16500, 0, 0, 0, PB_MECH_DP);
	struct pb_alloc early = alloc("P1-2026-04-20", "P1", day("2026-04-20"),
				      20000, 0, 0, 0, PB_MECH_DP);
	struct pb_alloc b = alloc("P1-2026-06-01", "P1", day("2026-06-01"),
				  20000, 0, 0, 0, PB_MECH_DP);
	struct pb_alloc other = a;
	struct pb_error e;
	long n;
	int64_t total;

	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_add_alloc(f->l, &a, &e), 1);
	assert_int_equal(pb_ledger_pay(f->l, day("2026-05-20"), &n, &total, &e), 0);
	assert_int_equal(n, 2);   /* 04-01, 04-29 (to 05-26) */
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_add_alloc(f->l, &early, &e), -PB_EDATA);
	check_error("in a paid period", &e, PB_EDATA, "", "start_date", "",
		    "in a period already paid to the person (up to 2026-05-26) '2026-04-20'");
	other.weekly = other.stream[0] = 17000;
	other.payment = 68000;
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_add_alloc(f->l, &other, &e), -PB_EDATA);
	check_error("other figures", &e, PB_EDATA, "", "weekly_amount", "",
		    "this allocation_id is already in the books with weekly_amount 165.00 (a change is a new allocation with a later start_date) '170.00'");
	assert_int_equal(pb_ledger_add_alloc(f->l, &b, &e), 1);
	/* 05-27 to 05-31 is 5 of 28 days: 660.00 x 5 / 28 = 117.857; then
	 * the new allocation's 06-01 and 06-29 */
	assert_int_equal(pb_ledger_pay(f->l, day("2026-06-30"), &n, &total, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(total, 11786 + 2 * 80000);
	early.allocation_id = "P1-2026-05-01";
	early.start = early.first_payment = day("2026-05-01");
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_add_alloc(f->l, &early, &e), -PB_EDATA);
	check_error("not later", &e, PB_EDATA, "", "start_date", "",
		    "not after the start (2026-06-01) of the person's latest allocation '2026-05-01'");
	assert_int_equal(pb_ledger_commit(f->l, "t", 1, &e), 0);
}

static struct pb_txn_in txn(const char *id, const char *person,
			    const char *date, int64_t amount,
			    const char *category, const char *payee)
{
	struct pb_txn_in t;

	memset(&t, 0, sizeof t);
	t.txn_id = id;
	t.txn_id_len = strlen(id);
	t.person_id = person;
	t.date = day(date);
	t.amount = amount;
	snprintf(t.category, sizeof t.category, "%s", category);
	t.payee = payee;
	t.payee_len = strlen(payee);
	t.description = "";
	return t;
}

static void test_import_reverse_reclaim(void **state)
{
	struct fixture *f = *state;
	struct pb_alloc a = alloc("P1-2026-04-01", "P1", day("2026-04-01"),
				  10000, 5000, 0, 0, PB_MECH_DP);
	struct pb_txn_in t1 = txn("T1", "P1", "2026-04-03", -4550, "leisure", "Gym");
	struct pb_txn_in t2 = txn("T2", "P1", "2026-04-04", 2000, "contribution", "");
	struct pb_txn_in bad = txn("T9", "P9", "2026-04-04", -100, "", "");
	struct pb_txn_in changed = t1;
	struct pb_reversal r;
	struct pb_balance b;
	struct pb_error e;
	long n;
	int64_t total;

	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_add_alloc(f->l, &a, &e), 1);
	assert_int_equal(pb_ledger_pay(f->l, day("2026-06-30"), &n, &total, &e), 0);
	assert_int_equal(pb_ledger_import(f->l, "bank", &t1, &e), 1);
	assert_int_equal(pb_ledger_import(f->l, "bank", &t2, &e), 1);
	assert_int_equal(pb_ledger_import(f->l, "bank", &t1, &e), 0);
	assert_int_equal(pb_ledger_import(f->l, "card", &t1, &e), 1);
	changed.amount = -4551;
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_import(f->l, "bank", &changed, &e), -PB_EDATA);
	check_error("changed", &e, PB_EDATA, "", "amount", "",
		    "this txn_id is already in the books from source 'bank' with amount -45.50 '-45.51'");
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_import(f->l, "bank", &bad, &e), -PB_EDATA);
	check_error("no account", &e, PB_EDATA, "", "person_id", "",
		    "no account in the books for this person (import their allocation first) 'P9'");
	/* Reverse the second card transaction: once only. */
	assert_int_equal(pb_ledger_reverse(f->l, "card", "T1", day("2026-04-05"),
					   "imported twice", &r, &e), 0);
	assert_string_equal(r.txn_id, "reverse:card:T1");
	assert_int_equal(r.amount, 4550);
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_reverse(f->l, "card", "T1", day("2026-04-05"),
					   "again", &r, &e), -PB_EDATA);
	check_error("twice", &e, PB_EDATA, "", "", "",
		    "'T1' is already reversed, by pb-ledger/reverse:card:T1");
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_reverse(f->l, PB_LEDGER_SOURCE,
					   "reverse:card:T1", day("2026-04-05"),
					   "x", &r, &e), -PB_EDATA);
	pb_error_clear(&e);
	assert_int_equal(pb_ledger_reverse(f->l, "card", "T7", day("2026-04-05"),
					   "x", &r, &e), -PB_EUSAGE);
	check_error("missing", &e, PB_EUSAGE, "", "", "",
		    "no transaction 'T7' from source 'card'");
	assert_int_equal(pb_ledger_commit(f->l, "t", 1, &e), 0);

	/* 4 x 600.00 paid, 45.50 spent, 20.00 in: 2374.50 = 15.8 weeks of
	 * 150.00; keep 4 weeks (600.00), recover 1774.50 as 2 : 1. */
	b = balance_of(f, "P1", "2026-07-01");
	assert_int_equal(b.paid_in, 240000);
	assert_int_equal(b.spent, 4550);
	assert_int_equal(b.contributions, 2000);
	assert_int_equal(b.balance, 237450);
	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_reclaim(f->l, day("2026-07-01"), 8, 4, &n,
					   &total, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 177450);
	assert_int_equal(pb_ledger_reclaim(f->l, day("2026-07-01"), 8, 4, &n,
					   &total, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pb_ledger_commit(f->l, "reclaim", 1, &e), 0);
	assert_int_equal(sql_int(f, "SELECT sum(p.amount) FROM postings p JOIN"
				    " accounts a USING (account)"
				    " WHERE a.name = 'recovered:social_care'"), 118300);
	assert_int_equal(sql_int(f, "SELECT sum(p.amount) FROM postings p JOIN"
				    " accounts a USING (account)"
				    " WHERE a.name = 'recovered:health'"), 59150);
	b = balance_of(f, "P1", "2026-07-01");
	assert_int_equal(b.balance, 60000);
	assert_int_equal(b.recovered, 177450);
}

static void problem(void *ctx, const char *text)
{
	(void)text;
	(*(int *)ctx)++;
}

static void test_append_only(void **state)
{
	struct fixture *f = *state;
	struct pb_alloc a = alloc("P1-2026-04-01", "P1", day("2026-04-01"),
				  10000, 0, 0, 0, PB_MECH_DP);
	struct pb_error e;
	sqlite3 *db;
	char *err = NULL;
	long n;
	int64_t total;
	int problems = 0;

	assert_int_equal(pb_ledger_begin(f->l, 1, &e), 0);
	assert_int_equal(pb_ledger_add_alloc(f->l, &a, &e), 1);
	assert_int_equal(pb_ledger_pay(f->l, day("2026-04-01"), &n, &total, &e), 0);
	assert_int_equal(pb_ledger_commit(f->l, "pay", n, &e), 0);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE postings SET amount = 1",
					  NULL, NULL, &err), SQLITE_OK);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM txns", NULL, NULL,
					  &err), SQLITE_OK);
	sqlite3_free(err);
	sqlite3_close(db);
	assert_int_equal(pb_ledger_begin(f->l, 0, &e), 0);
	assert_int_equal(pb_ledger_check(f->l, problem, &problems, &e), 0);
	pb_ledger_rollback(f->l);
	assert_int_equal(problems, 0);
}

/* ---- the journal -------------------------------------------------------------- */

static void test_journal(void **state)
{
	struct pb_posting legs[] = {
		{"dp:P1", -4550}, {"spend:leisure", 4550}
	};
	struct pb_txn_out t;
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	(void)state;
	memset(&t, 0, sizeof t);
	t.source = "bank";
	t.txn_id = "T1";
	t.kind = "import";
	t.person_id = "P1";
	t.category = "leisure";
	t.payee = "(Gym; Ltd)";
	t.description = "two\nlines";
	t.date = day("2026-04-03");
	t.amount = -4550;
	t.nposting = 2;
	t.posting = legs;
	assert_int_equal(pb_ledger_journal_txn(fp, &t), 0);
	fclose(fp);
	assert_string_equal(s,
		"2026-04-03 * [Gym, Ltd) | two lines\n"
		"    ; txn: bank/T1\n"
		"    ; person: P1\n"
		"    ; category: leisure\n"
		"    dp:P1                                   -45.50 GBP\n"
		"    spend:leisure                            45.50 GBP\n"
		"\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_prorate_weeks),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_create_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_payments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocation_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_import_reverse_reclaim, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
		cmocka_unit_test(test_journal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
