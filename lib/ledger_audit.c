/*
 * ledger_audit.c - the audit of the books: surplus, overdrawn and idle
 * accounts, and spending that is uncategorised, forbidden by the
 * spending policy (policy.h, shared with pb-plan), not in it, or looks
 * paid twice.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "policy.h"

/* 1 the policy allows the category, -1 it forbids it, 0 neither. */
static int category_verdict(const struct pb_spending *p, const char *cat)
{
	size_t n = strlen(cat);

	if (pb_spending_find(p, cat, n) >= 0)
		return 1;
	return pb_spending_forbids(p, cat, n) ? -1 : 0;
}

/* ---- the audit --------------------------------------------------------------- */

enum code {
	F_SURPLUS, F_OVERDRAWN, F_IDLE, F_UNCATEGORISED, F_FORBIDDEN,
	F_UNLISTED, F_DUPLICATE
};
static const char *const code_name[] = {
	"SURPLUS", "OVERDRAWN", "IDLE", "UNCATEGORISED", "FORBIDDEN_SPEND",
	"UNLISTED_CATEGORY", "DUPLICATE_PAYEE_AMOUNT"
};

struct finding {
	enum code code;
	int64_t txn;            /* 0 for an account's finding */
	int32_t date;
	int64_t amount;
	char source[PB_LEDGER_ID_MAX + 1];
	char txn_id[PB_LEDGER_TXN_ID_MAX + 1];
	char detail[256];
};

struct findings {
	struct finding *f;
	size_t n, cap;
};

static struct finding *add(struct findings *fs, enum code code, int32_t date,
			   int64_t amount)
{
	struct finding *f;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->f = pb_xrealloc(fs->f, fs->cap * sizeof *fs->f);
	}
	f = &fs->f[fs->n++];
	memset(f, 0, sizeof *f);
	f->code = code;
	f->date = date;
	f->amount = amount;
	return f;
}

/* Account findings first (in code order), then by date, posting order. */
static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if ((x->txn == 0) != (y->txn == 0))
		return x->txn == 0 ? -1 : 1;
	if (x->txn && x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->txn != y->txn)
		return x->txn < y->txn ? -1 : 1;
	return (int)x->code - (int)y->code;
}

/* A date from a one-row, one-column query of (person, as_of); -1: none. */
static int one_date(struct pb_ledger *l, enum pb_lst slot, const char *sql,
		    const char *person, int32_t as_of, int32_t *out,
		    struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, slot, sql, e);
	int rc;

	*out = -1;
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, person, -1);
	pb_ledger_bind_date(st, 2, as_of);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = pb_ledger_col_date(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int account_findings(struct pb_ledger *l, const char *person,
			    const struct pb_balance *b,
			    const struct pb_audit_opts *o, struct findings *fs,
			    struct pb_error *e)
{
	char m1[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ], t[32], d[PB_DATE_BUFSZ];
	int64_t threshold = b->net_weekly * o->surplus_weeks, tenths;
	int32_t last, first, since;
	struct finding *f;
	int rc;

	if (b->balance > 0 && b->balance > threshold) {
		f = add(fs, F_SURPLUS, o->as_of, b->balance - threshold);
		if (pb_ledger_weeks(b->balance, b->net_weekly, &tenths) == 0)
			snprintf(f->detail, sizeof f->detail,
				 "balance %s is %s weeks of net payments of %s (more than %d)",
				 pb_money_format(m1, b->balance, PB_MONEY_PLAIN),
				 pb_tenths_format(t, tenths),
				 pb_money_format(m2, b->net_weekly, PB_MONEY_PLAIN),
				 o->surplus_weeks);
		else
			snprintf(f->detail, sizeof f->detail,
				 "balance %s with no direct payment in force",
				 pb_money_format(m1, b->balance, PB_MONEY_PLAIN));
	}
	if (b->balance < 0) {
		f = add(fs, F_OVERDRAWN, o->as_of, b->balance);
		snprintf(f->detail, sizeof f->detail, "balance %s",
			 pb_money_format(m1, b->balance, PB_MONEY_PLAIN));
	}
	if (b->net_weekly <= 0)
		return 0;
	/* Idle: no spending for idle_weeks, counted from the last spending,
	 * or from the first payment if there has been none. */
	rc = one_date(l, PB_LST_AUDIT_LAST_SPEND,
		"SELECT max(t.date) FROM txns t WHERE t.person_id = ?1"
		" AND t.kind = 'import' AND t.class = 'spent' AND t.amount < 0"
		" AND t.date <= ?2 AND NOT EXISTS (SELECT 1 FROM txns r"
		"   WHERE r.reverses = t.txn AND r.date <= ?2)",
		person, o->as_of, &last, e);
	if (rc < 0)
		return rc;
	rc = one_date(l, PB_LST_AUDIT_FIRST_PAY,
		"SELECT min(date) FROM txns WHERE person_id = ?1"
		" AND kind = 'payment' AND date <= ?2",
		person, o->as_of, &first, e);
	if (rc < 0)
		return rc;
	since = last >= 0 ? last : first;
	if (since < 0 || o->as_of - since < 7 * o->idle_weeks)
		return 0;
	f = add(fs, F_IDLE, o->as_of, b->balance);
	snprintf(f->detail, sizeof f->detail,
		 "no spending since %s%s (%d weeks): the person may need support",
		 last >= 0 ? "" : "the first payment on ",
		 pb_date_format(d, since), (o->as_of - since) / 7);
	return 0;
}

static int txn_findings(struct pb_ledger *l, const char *person,
			const struct pb_audit_opts *o, struct findings *fs,
			struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_AUDIT_TXNS,
		"SELECT t.txn, t.source, t.txn_id, t.date, t.amount, t.category,"
		" t.payee FROM txns t WHERE t.person_id = ?1 AND t.kind = 'import'"
		" AND t.amount < 0 AND t.date >= ?2 AND t.date <= ?3"
		" AND NOT EXISTS (SELECT 1 FROM txns r WHERE r.reverses = t.txn"
		"   AND r.date <= ?3)"
		" ORDER BY t.date, t.payee, t.amount, t.txn", e);
	/* The first of a run of the same date, payee and amount. */
	char dup_payee[256] = "", dup_ref[PB_LEDGER_ID_MAX + PB_LEDGER_TXN_ID_MAX + 2];
	int32_t dup_date = -1;
	int64_t dup_amount = 0;
	int rc;

	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, person, -1);
	if (o->from == INT32_MIN)
		sqlite3_bind_text(st, 2, "0000-00-00", 10, SQLITE_STATIC);
	else
		pb_ledger_bind_date(st, 2, o->from);
	pb_ledger_bind_date(st, 3, o->as_of);
	dup_ref[0] = '\0';
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		int64_t txn = sqlite3_column_int64(st, 0);
		const char *source = pb_ledger_col_text(st, 1);
		const char *txn_id = pb_ledger_col_text(st, 2);
		int32_t date = pb_ledger_col_date(st, 3);
		int64_t amount = sqlite3_column_int64(st, 4);
		const char *cat = pb_ledger_col_text(st, 5);
		const char *payee = pb_ledger_col_text(st, 6);
		struct finding *f = NULL;
		char q[80];
		int verdict;

		if (!cat[0]) {
			f = add(fs, F_UNCATEGORISED, date, amount);
			snprintf(f->detail, sizeof f->detail,
				 "spending with no category");
		} else if (o->policy &&
			   strcmp(cat, PB_LEDGER_CONTRIBUTION) != 0 &&
			   (verdict = category_verdict(o->policy, cat)) <= 0) {
			f = add(fs, verdict < 0 ? F_FORBIDDEN : F_UNLISTED, date,
				amount);
			snprintf(f->detail, sizeof f->detail,
				 verdict < 0 ? "category '%s' is forbidden by policy %s"
					     : "category '%s' is not in policy %s",
				 cat, o->policy->version);
		}
		if (f) {
			f->txn = txn;
			snprintf(f->source, sizeof f->source, "%s", source);
			snprintf(f->txn_id, sizeof f->txn_id, "%s", txn_id);
		}
		if (payee[0] && date == dup_date && amount == dup_amount &&
		    strcmp(payee, dup_payee) == 0) {
			f = add(fs, F_DUPLICATE, date, amount);
			f->txn = txn;
			snprintf(f->source, sizeof f->source, "%s", source);
			snprintf(f->txn_id, sizeof f->txn_id, "%s", txn_id);
			snprintf(f->detail, sizeof f->detail,
				 "same payee, amount and date as %s", dup_ref);
			continue;
		}
		dup_date = date;
		dup_amount = amount;
		snprintf(dup_payee, sizeof dup_payee, "%s", payee);
		snprintf(dup_ref, sizeof dup_ref, "%s/%s", source,
			 pb_quote(q, sizeof q, txn_id, strlen(txn_id)));
	}
	return rc;
}

int pb_ledger_audit(struct pb_ledger *l, const struct pb_audit_opts *o,
		    int (*fn)(void *ctx, const struct pb_finding *f,
			      struct pb_error *e),
		    void *ctx, long *count, struct pb_error *e)
{
	struct pb_people_list pl;
	struct findings fs = {NULL, 0, 0};
	size_t i, k;
	int rc;

	*count = 0;
	if ((rc = pb_ledger_people(l, NULL, &pl, e)) < 0)
		return rc;
	for (i = 0; i < pl.n && rc >= 0; i++) {
		struct pb_balance b;

		fs.n = 0;
		rc = pb_ledger_figures(l, pl.person[i], pl.account[i], o->as_of,
				       &b, e);
		if (rc >= 0)
			rc = account_findings(l, pl.person[i], &b, o, &fs, e);
		if (rc >= 0)
			rc = txn_findings(l, pl.person[i], o, &fs, e);
		if (rc < 0)
			break;
		if (fs.n > 1)
			qsort(fs.f, fs.n, sizeof *fs.f, cmp_finding);
		for (k = 0; k < fs.n && rc >= 0; k++) {
			struct pb_finding f;

			f.person_id = pl.person[i];
			f.code = code_name[fs.f[k].code];
			f.detail = fs.f[k].detail;
			f.amount = fs.f[k].amount;
			f.date = fs.f[k].date;
			f.source = fs.f[k].source;
			f.txn_id = fs.f[k].txn_id;
			rc = fn(ctx, &f, e);
			(*count)++;
		}
	}
	free(fs.f);
	pb_ledger_people_free(&pl);
	return rc < 0 ? rc : 0;
}
