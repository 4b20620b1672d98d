/*
 * ledger_int.h - what the ledger_*.c files share: the open database,
 * its cache of prepared statements and accounts, and the one function
 * that writes a transaction.  Not for tools: they use ledger.h.
 */
#ifndef PB_LEDGER_INT_H
#define PB_LEDGER_INT_H

#include <sqlite3.h>

#include "ledger.h"

/* Slots of the prepared-statement cache, one per SQL text. */
enum pb_lst {
	PB_LST_ACCOUNT_GET, PB_LST_ACCOUNT_ADD, PB_LST_TXN_ADD,
	PB_LST_POSTING_ADD, PB_LST_RUN_NEXT, PB_LST_RUN_FIRST, PB_LST_RUN_ADD,
	PB_LST_ALLOC_GET, PB_LST_ALLOC_LATEST, PB_LST_ALLOC_PAID,
	PB_LST_ALLOC_ADD, PB_LST_TXN_GET, PB_LST_PAY_ALLOCS,
	PB_LST_PAY_LAST, PB_LST_RUN_PAYMENTS, PB_LST_TXN_STREAMS,
	PB_LST_DP_ACCOUNTS, PB_LST_DP_ONE, PB_LST_BAL_CLASSES,
	PB_LST_ALLOC_IN_FORCE, PB_LST_EXPORT, PB_LST_POSTINGS,
	PB_LST_STMT_OPENING, PB_LST_STMT_ROWS, PB_LST_REV_GET,
	PB_LST_REV_DONE, PB_LST_PAID_STREAMS, PB_LST_RUN_RECLAIMS,
	PB_LST_AUDIT_TXNS, PB_LST_AUDIT_LAST_SPEND, PB_LST_AUDIT_FIRST_PAY,
	PB_LST_N
};

struct pb_ledger {
	sqlite3 *db;
	char *path;
	long wait_ms;
	sqlite3_stmt *st[PB_LST_N];
	int in_txn;              /* 1 read, 2 write */
	int64_t run;             /* this write transaction's run number */
	int64_t first_txn;       /* txn numbers of the run are above this */
	/* accounts seen in this transaction: name -> database id */
	struct pb_strmap *acct;
	int64_t *acct_id;
	size_t acct_cap;
	struct pb_buf scratch[4];
};

/* A prepared statement from the cache, reset, bindings cleared. */
sqlite3_stmt *pb_ledger_stmt(struct pb_ledger *l, enum pb_lst slot,
			     const char *sql, struct pb_error *e);
/* Turn an SQLite failure into -PB_EIO (busy, full, read-only, ...). */
int pb_ledger_dberr(struct pb_ledger *l, int rc, struct pb_error *e);
/* Step st: 1 with a row, 0 at its end, or the error (-code); at the
 * end or on an error st is reset. */
int pb_ledger_step_row(struct pb_ledger *l, sqlite3_stmt *st,
		       struct pb_error *e);
/* Run st to its end, its rows unwanted, and reset it: 0 or -code. */
int pb_ledger_step_done(struct pb_ledger *l, sqlite3_stmt *st,
			struct pb_error *e);

/* Bind helpers (n < 0: strlen). */
int pb_ledger_bind_text(sqlite3_stmt *st, int i, const char *s, long n);
int pb_ledger_bind_date(sqlite3_stmt *st, int i, int32_t day);
/* Column helpers: text ("" for NULL), a date stored as text. */
const char *pb_ledger_col_text(sqlite3_stmt *st, int i);
int32_t pb_ledger_col_date(sqlite3_stmt *st, int i);

/* One leg of a transaction. */
struct pb_leg {
	const char *account;   /* "dp:P001" */
	const char *kind;      /* dp council spend contribution recovered */
	const char *person_id; /* dp and contribution accounts, else NULL */
	int64_t amount;
};

struct pb_newtxn {
	const char *source, *txn_id;
	size_t txn_id_len;
	const char *kind;      /* payment import reclaim reversal */
	const char *class;     /* paid_in contribution spent recovered */
	const char *person_id;
	int32_t date;
	int64_t amount;        /* on dp:<person_id> */
	const char *category, *payee, *description;
	size_t payee_len, description_len;
	const char *allocation_id;   /* payments */
	int64_t period;              /* payments, else -1 */
	int64_t reverses;            /* reversals, else 0 */
	const char *reason;          /* reversals */
};

/*
 * Write a transaction and its legs (zero legs are left out; the rest
 * must sum to zero and move t->amount on dp:<person>).  Returns 1, or 0
 * when a transaction with the same key already exists (source and
 * txn_id, or allocation and period): nothing written.
 */
int pb_ledger_insert(struct pb_ledger *l, const struct pb_newtxn *t,
		     const struct pb_leg *legs, size_t n, int64_t *txn,
		     struct pb_error *e);
/*
 * The id of account name; creates it (with kind and person) when
 * create is set.  Returns 1, or 0 when it does not exist and create is
 * not set.
 */
int pb_ledger_account(struct pb_ledger *l, const char *name,
		      const char *kind, const char *person, int create,
		      int64_t *id, struct pb_error *e);
/*
 * A person's dp account on as_of into *b (person_id and account are
 * left to the caller): the movements by class, and the allocation in
 * force.
 */
int pb_ledger_figures(struct pb_ledger *l, const char *person,
		      int64_t account, int32_t as_of, struct pb_balance *b,
		      struct pb_error *e);
/*
 * The people with a dp account (only person when not NULL: 0 if it
 * has none), in person_id order: names and account ids, to free with
 * pb_ledger_people_free.
 */
struct pb_people_list {
	size_t n;
	char **person;
	int64_t *account;
};
int pb_ledger_people(struct pb_ledger *l, const char *person,
		     struct pb_people_list *out, struct pb_error *e);
void pb_ledger_people_free(struct pb_people_list *pl);
/* "dp:" + person into a scratch buffer (0..3). */
const char *pb_ledger_acname(struct pb_ledger *l, int buf, const char *prefix,
			     const char *name);

#endif /* PB_LEDGER_INT_H */
