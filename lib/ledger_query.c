/*
 * ledger_query.c - what reads the books: balances, statements, the
 * journal export and its plain-text accounting format.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "ledger_int.h"

/* Bind a date bound: INT32_MIN / INT32_MAX mean none. */
static void bind_bound(sqlite3_stmt *st, int i, int32_t day)
{
	if (day == INT32_MIN)
		sqlite3_bind_text(st, i, "0000-00-00", 10, SQLITE_STATIC);
	else if (day == INT32_MAX)
		sqlite3_bind_text(st, i, "9999-99-99", 10, SQLITE_STATIC);
	else
		pb_ledger_bind_date(st, i, day);
}

/* ---- people and their figures ------------------------------------------------ */

void pb_ledger_people_free(struct pb_people_list *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->person[i]);
	free(pl->person);
	free(pl->account);
	memset(pl, 0, sizeof *pl);
}

int pb_ledger_people(struct pb_ledger *l, const char *person,
		     struct pb_people_list *out, struct pb_error *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (person) {
		st = pb_ledger_stmt(l, PB_LST_DP_ONE,
			"SELECT person_id, account FROM accounts"
			" WHERE kind = 'dp' AND person_id = ?1", e);
		if (!st)
			return -PB_EIO;
		pb_ledger_bind_text(st, 1, person, -1);
	} else {
		st = pb_ledger_stmt(l, PB_LST_DP_ACCOUNTS,
			"SELECT person_id, account FROM accounts WHERE kind = 'dp'"
			" ORDER BY person_id", e);
		if (!st)
			return -PB_EIO;
	}
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->person = pb_xrealloc(out->person,
						  cap * sizeof *out->person);
			out->account = pb_xrealloc(out->account,
						   cap * sizeof *out->account);
		}
		out->person[out->n] = pb_xstrdup(pb_ledger_col_text(st, 0));
		out->account[out->n] = sqlite3_column_int64(st, 1);
		out->n++;
	}
	if (rc < 0) {
		pb_ledger_people_free(out);
		return rc;
	}
	return (int)(out->n > 0);
}

int pb_ledger_figures(struct pb_ledger *l, const char *person,
		      int64_t account, int32_t as_of, struct pb_balance *b,
		      struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_BAL_CLASSES,
		"SELECT t.class, sum(p.amount) FROM postings p"
		" JOIN txns t ON t.txn = p.txn"
		" WHERE p.account = ?1 AND t.date <= ?2 GROUP BY t.class", e);
	int rc;

	b->paid_in = b->contributions = b->spent = b->recovered = 0;
	b->balance = b->weekly = b->net_weekly = 0;
	b->has_alloc = 0;
	b->mech = -1;
	if (!st)
		return -PB_EIO;
	sqlite3_bind_int64(st, 1, account);
	pb_ledger_bind_date(st, 2, as_of);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		const char *cls = pb_ledger_col_text(st, 0);
		int64_t v = sqlite3_column_int64(st, 1);

		if (strcmp(cls, "paid_in") == 0)
			b->paid_in += v;
		else if (strcmp(cls, "contribution") == 0)
			b->contributions += v;
		else if (strcmp(cls, "spent") == 0)
			b->spent -= v;
		else
			b->recovered -= v;
		if (pb_add_checked(b->balance, v, &b->balance) < 0) {
			sqlite3_reset(st);
			pb_error_clear(e);
			pb_error_at(e, l->path, 0, NULL);
			return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
		}
	}
	if (rc < 0)
		return rc;
	st = pb_ledger_stmt(l, PB_LST_ALLOC_IN_FORCE,
		"SELECT weekly_amount, client_contribution_weekly,"
		" delivery_mechanism FROM allocations"
		" WHERE person_id = ?1 AND start_date <= ?2"
		" ORDER BY start_date DESC LIMIT 1", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, person, -1);
	pb_ledger_bind_date(st, 2, as_of);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 1) {
		const char *mech = pb_ledger_col_text(st, 2);
		int64_t net;

		b->has_alloc = 1;
		b->weekly = sqlite3_column_int64(st, 0);
		net = b->weekly - sqlite3_column_int64(st, 1);
		b->mech = pb_code_lookup(&pb_codes_mech, mech, strlen(mech), NULL);
		if ((b->mech == PB_MECH_DP || b->mech == PB_MECH_PART_DP) && net > 0)
			b->net_weekly = net;
		sqlite3_reset(st);
	}
	return 0;
}

int pb_ledger_balances(struct pb_ledger *l, int32_t as_of,
		       const char *person,
		       int (*fn)(void *ctx, const struct pb_balance *b,
				 struct pb_error *e),
		       void *ctx, struct pb_error *e)
{
	struct pb_people_list pl;
	size_t i;
	int rc;
	char q[80];

	if ((rc = pb_ledger_people(l, person, &pl, e)) < 0)
		return rc;
	if (person && rc == 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no account in the books for person '%s'",
				    pb_quote(q, sizeof q, person, strlen(person)));
	for (i = 0; i < pl.n; i++) {
		struct pb_balance b;

		rc = pb_ledger_figures(l, pl.person[i], pl.account[i], as_of, &b,
				       e);
		if (rc < 0)
			break;
		b.person_id = pl.person[i];
		b.account = pb_ledger_acname(l, 0, "dp:", pl.person[i]);
		if ((rc = fn(ctx, &b, e)) < 0)
			break;
	}
	pb_ledger_people_free(&pl);
	return rc < 0 ? rc : 0;
}

/* ---- export -------------------------------------------------------------------- */

#define MAX_LEGS 8

int pb_ledger_export(struct pb_ledger *l, int32_t from, int32_t to,
		     int (*fn)(void *ctx, const struct pb_txn_out *t,
			       struct pb_error *e),
		     void *ctx, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_EXPORT,
		"SELECT t.txn, t.source, t.txn_id, t.kind, t.person_id, t.date,"
		" t.amount, t.category, t.payee, t.description, t.allocation_id,"
		" t.reason, r.source, r.txn_id"
		" FROM txns t LEFT JOIN txns r ON r.txn = t.reverses"
		" WHERE t.date >= ?1 AND t.date <= ?2 ORDER BY t.date, t.txn", e);
	sqlite3_stmt *ps;
	struct pb_posting legs[MAX_LEGS];
	char names[MAX_LEGS][PB_LEDGER_ID_MAX + 32];
	int rc, prc, i;

	if (!st)
		return -PB_EIO;
	bind_bound(st, 1, from);
	bind_bound(st, 2, to);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		struct pb_txn_out t;

		memset(&t, 0, sizeof t);
		t.txn = sqlite3_column_int64(st, 0);
		t.source = pb_ledger_col_text(st, 1);
		t.txn_id = pb_ledger_col_text(st, 2);
		t.kind = pb_ledger_col_text(st, 3);
		t.person_id = pb_ledger_col_text(st, 4);
		t.date = pb_ledger_col_date(st, 5);
		t.amount = sqlite3_column_int64(st, 6);
		t.category = pb_ledger_col_text(st, 7);
		t.payee = pb_ledger_col_text(st, 8);
		t.description = pb_ledger_col_text(st, 9);
		t.allocation_id = pb_ledger_col_text(st, 10);
		t.reason = pb_ledger_col_text(st, 11);
		t.rev_source = pb_ledger_col_text(st, 12);
		t.rev_txn_id = pb_ledger_col_text(st, 13);
		ps = pb_ledger_stmt(l, PB_LST_POSTINGS,
			"SELECT a.name, a.kind, a.person_id, p.amount FROM postings p"
			" JOIN accounts a ON a.account = p.account WHERE p.txn = ?1"
			" ORDER BY a.kind = 'dp' DESC, p.account", e);
		if (!ps) {
			sqlite3_reset(st);
			return -PB_EIO;
		}
		sqlite3_bind_int64(ps, 1, t.txn);
		while (t.nposting < MAX_LEGS && (prc = pb_ledger_step_row(l, ps, e)) == 1) {
			const char *name = pb_ledger_col_text(ps, 0);
			const char *kind = pb_ledger_col_text(ps, 1);
			int64_t v = sqlite3_column_int64(ps, 3);

			snprintf(names[t.nposting], sizeof names[0], "%s", name);
			legs[t.nposting].account = names[t.nposting];
			legs[t.nposting].amount = v;
			t.nposting++;
			if (strcmp(kind, "council") != 0 &&
			    strcmp(kind, "recovered") != 0)
				continue;
			t.has_streams = 1;
			for (i = 0; i < PB_NSTREAMS; i++)
				if (strcmp(strchr(name, ':') + 1,
					   pb_stream_names[i]) == 0)
					t.stream[i] -= v;
		}
		sqlite3_reset(ps);
		if (prc < 0) {
			sqlite3_reset(st);
			return prc;
		}
		t.posting = legs;
		if ((rc = fn(ctx, &t, e)) < 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	return rc;
}

/* Text for the journal: no control characters, no ';' (a comment). */
static void journal_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			c = ' ';
		else if (c == ';')
			c = ',';
		putc(c, fp);
	}
}

int pb_ledger_journal_txn(FILE *fp, const struct pb_txn_out *t)
{
	char d[PB_DATE_BUFSZ], m[PB_MONEY_BUFSZ];
	size_t i;
	const char *desc = t->description;

	fprintf(fp, "%s * ", pb_date_format(d, t->date));
	/* "(" right after the status would be read as a code. */
	if (t->payee[0]) {
		if (t->payee[0] == '(')
			putc('[', fp), journal_text(fp, t->payee + 1);
		else
			journal_text(fp, t->payee);
		if (desc[0]) {
			fputs(" | ", fp);
			journal_text(fp, desc);
		}
	} else if (desc[0]) {
		if (desc[0] == '(')
			putc('[', fp), journal_text(fp, desc + 1);
		else
			journal_text(fp, desc);
	} else {
		fputs(t->kind, fp);
	}
	fputs("\n    ; txn: ", fp);
	journal_text(fp, t->source);
	putc('/', fp);
	journal_text(fp, t->txn_id);
	fputs("\n    ; person: ", fp);
	journal_text(fp, t->person_id);
	if (t->category[0]) {
		fputs("\n    ; category: ", fp);
		journal_text(fp, t->category);
	}
	putc('\n', fp);
	for (i = 0; i < t->nposting; i++) {
		size_t n = strlen(t->posting[i].account);

		fprintf(fp, "    %s", t->posting[i].account);
		pb_money_format(m, t->posting[i].amount, PB_MONEY_PLAIN);
		/* Two spaces at least end the account name. */
		n += strlen(m);
		fprintf(fp, "%*s%s GBP\n", n < 44 ? (int)(46 - n) : 2, "", m);
	}
	return putc('\n', fp) == EOF ? -PB_EIO : 0;
}

/* ---- statements -------------------------------------------------------------------- */

int pb_ledger_statement(struct pb_ledger *l, const char *person,
			int32_t from, int32_t to,
			int (*fn)(void *ctx, const struct pb_movement *m,
				  struct pb_error *e),
			void *ctx, struct pb_error *e)
{
	struct pb_people_list pl;
	sqlite3_stmt *st;
	int64_t account, balance = 0;
	int rc;
	char q[80];

	if ((rc = pb_ledger_people(l, person, &pl, e)) < 0)
		return rc;
	if (rc == 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no account in the books for person '%s'",
				    pb_quote(q, sizeof q, person, strlen(person)));
	account = pl.account[0];
	pb_ledger_people_free(&pl);
	if (from != INT32_MIN) {
		struct pb_movement m;

		st = pb_ledger_stmt(l, PB_LST_STMT_OPENING,
			"SELECT coalesce(sum(p.amount), 0) FROM postings p"
			" JOIN txns t ON t.txn = p.txn"
			" WHERE p.account = ?1 AND t.date < ?2", e);
		if (!st)
			return -PB_EIO;
		sqlite3_bind_int64(st, 1, account);
		pb_ledger_bind_date(st, 2, from);
		if ((rc = pb_ledger_step_row(l, st, e)) <= 0)
			return rc < 0 ? rc : -PB_EIO;
		balance = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		memset(&m, 0, sizeof m);
		m.date = from;
		m.source = m.txn_id = m.category = m.payee = "";
		m.kind = "opening";
		m.description = "balance brought forward";
		m.amount = 0;
		m.balance = balance;
		if ((rc = fn(ctx, &m, e)) < 0)
			return rc;
	}
	st = pb_ledger_stmt(l, PB_LST_STMT_ROWS,
		"SELECT t.date, t.source, t.txn_id, t.kind, t.category, t.payee,"
		" t.description, p.amount FROM postings p"
		" JOIN txns t ON t.txn = p.txn"
		" WHERE p.account = ?1 AND t.date >= ?2 AND t.date <= ?3"
		" ORDER BY t.date, t.txn", e);
	if (!st)
		return -PB_EIO;
	sqlite3_bind_int64(st, 1, account);
	bind_bound(st, 2, from);
	bind_bound(st, 3, to);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		struct pb_movement m;

		m.date = pb_ledger_col_date(st, 0);
		m.source = pb_ledger_col_text(st, 1);
		m.txn_id = pb_ledger_col_text(st, 2);
		m.kind = pb_ledger_col_text(st, 3);
		m.category = pb_ledger_col_text(st, 4);
		m.payee = pb_ledger_col_text(st, 5);
		m.description = pb_ledger_col_text(st, 6);
		m.amount = sqlite3_column_int64(st, 7);
		if (pb_add_checked(balance, m.amount, &balance) < 0) {
			sqlite3_reset(st);
			pb_error_clear(e);
			pb_error_at(e, l->path, 0, NULL);
			return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
		}
		m.balance = balance;
		if ((rc = fn(ctx, &m, e)) < 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	return rc;
}
