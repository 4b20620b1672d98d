/*
 * ledger.h - pb-ledger's books: a double-entry direct-payment ledger in
 * one SQLite database (DESIGN.md "The ledger's store"; CONTRACTS.md
 * §6 allocations, §7 spending policy, §9 transactions).
 *
 * Accounts (every transaction's postings sum to zero; a positive amount
 * is a debit):
 *
 *   council:social_care  council:health  council:s117   funding streams
 *   dp:<person_id>           the person's direct-payment account
 *   spend:<category>         spending ("spend:uncategorised" when none)
 *   contribution:<person_id> the person's own money paid in
 *   recovered:<stream>       surplus recovered to a funding stream
 *
 * Every transaction moves money on exactly one dp:<person_id> account;
 * its "amount" is that posting, with the sign of CONTRACTS.md §9
 * (negative: money out of the account).  Nothing is updated or deleted
 * in place (triggers refuse it): a correction is a reversing
 * transaction.  Each (source, txn_id) is unique, and so is each
 * (allocation, period) of the scheduled payments, which makes every
 * command safe to repeat.  SQL is only ever prepared statements with
 * bound parameters.
 *
 * Errors: -PB_EDATA a record or request the books refuse (e names why),
 * -PB_EUSAGE a bad option or configuration, -PB_EIO the database cannot
 * be opened, read or written, or stayed busy past its timeout (e.file is
 * the database).
 */
#ifndef PB_LEDGER_H
#define PB_LEDGER_H

#include "pb.h"

#define PB_LEDGER_SCHEMA 1
#define PB_LEDGER_DEFAULT_DB "pb-ledger.db"
/* The source of the transactions pb-ledger makes itself. */
#define PB_LEDGER_SOURCE "pb-ledger"
/* Longest person_id, source, category and txn_id accepted. */
#define PB_LEDGER_ID_MAX 64
#define PB_LEDGER_TXN_ID_MAX 128

enum pb_stream {
	PB_STREAM_SOCIAL_CARE,
	PB_STREAM_HEALTH,
	PB_STREAM_S117,
	PB_NSTREAMS
};
/* "social_care", "health", "s117" */
extern const char *const pb_stream_names[PB_NSTREAMS];

/* ---- arithmetic (exact, in pence) ----------------------------------- */

/*
 * Split amount into n parts in proportion to weights (each >= 0, at
 * least one > 0), exactly: each part is floor(amount * w / sum), then
 * the pennies left over go one each to the parts with the largest
 * remainders, ties to the earlier part.  The parts sum to amount.
 * A negative amount is split as its absolute value, negated.  Returns
 * 0, or -PB_EDATA (all weights 0, a negative weight, overflow).
 */
int pb_ledger_split(int64_t amount, const int64_t *weights, size_t n,
		    int64_t *out, struct pb_error *e);
/* amount * days / of_days rounded half up (0 < days <= of_days). */
int64_t pb_ledger_prorate(int64_t amount, int days, int of_days);
/* Tenths of a week: balance / weekly to one decimal, half away from 0;
 * returns -PB_EDATA when weekly <= 0. */
int pb_ledger_weeks(int64_t balance, int64_t weekly, int64_t *tenths);

/* ---- names ------------------------------------------------------------ */

/*
 * A person_id or source name: 1 to PB_LEDGER_ID_MAX letters, digits and
 * . _ - (they name accounts and appear in the plain-text journal).
 * what is "person_id" or "source" for the message.
 */
int pb_ledger_check_name(const char *what, const char *s, size_t len,
			 struct pb_error *e);
/*
 * A category as stored: lower case, each run of spaces and underscores
 * one '_', surrounding spaces dropped; letters, digits, '_' and '-'
 * only.  "" stays "" (uncategorised).  out holds PB_LEDGER_ID_MAX + 1.
 */
int pb_ledger_category(const char *s, size_t len, char *out,
		       struct pb_error *e);

/* ---- the store -------------------------------------------------------- */

struct pb_ledger;

/*
 * Create a new database at path (mode 0600, WAL, the schema).  Refuses
 * an existing file (-PB_EUSAGE).  On failure nothing is left behind.
 */
int pb_ledger_create(const char *path, struct pb_ledger **out,
		     struct pb_error *e);
/*
 * Open an existing database; wait_ms is how long to wait for another
 * process's lock before giving up with "database is busy" (-PB_EIO).
 * -PB_EUSAGE when the file is not a pb-ledger database of this schema.
 */
int pb_ledger_open(const char *path, long wait_ms, struct pb_ledger **out,
		   struct pb_error *e);
void pb_ledger_close(struct pb_ledger *l);

/*
 * One command, one transaction.  begin(write = 1) takes the write lock
 * at once (BEGIN IMMEDIATE), so two writers queue; begin(0) is a read
 * snapshot.  commit records the command in the runs table when rows > 0
 * (the rows it added: when, which command, how many; no personal data).
 */
int pb_ledger_begin(struct pb_ledger *l, int write, struct pb_error *e);
int pb_ledger_commit(struct pb_ledger *l, const char *command, long rows,
		     struct pb_error *e);
void pb_ledger_rollback(struct pb_ledger *l);
/* The run number the current (or last committed) write transaction
 * records its rows under. */
int64_t pb_ledger_run(const struct pb_ledger *l);

/*
 * Integrity: SQLite's integrity check, the schema version, and the
 * books: every transaction has postings that sum to zero, and moves
 * exactly its amount on the person's dp account.  fn is called with
 * each problem found (text); returns the number of problems, or < 0.
 */
int pb_ledger_check(struct pb_ledger *l,
		    void (*fn)(void *ctx, const char *problem), void *ctx,
		    struct pb_error *e);

/* ---- allocations (CONTRACTS.md §6) ------------------------------------ */

enum pb_acol {
	PB_A_ALLOCATION_ID, PB_A_PERSON_ID, PB_A_START_DATE, PB_A_REVIEW_DATE,
	PB_A_INDICATIVE_WEEKLY, PB_A_WEEKLY_AMOUNT, PB_A_SOCIAL_CARE,
	PB_A_HEALTH, PB_A_S117, PB_A_CONTRIBUTION, PB_A_MECH, PB_A_EVERY,
	PB_A_FIRST_PAYMENT, PB_A_PAYMENT_AMOUNT, PB_A_OVERRIDE_REASON,
	PB_A_RAS_VERSION, PB_A_FUNDING_VERSION, PB_A_FLAGS,
	PB_A_N
};
extern const struct pb_colspec pb_alloc_spec[PB_A_N];

/* An allocation; strings are borrowed from the record it came from. */
struct pb_alloc {
	const char *allocation_id, *person_id;
	int32_t start, review;          /* review: -1 if not given */
	int64_t indicative;             /* -1 if not given */
	int64_t weekly, stream[PB_NSTREAMS], contribution, payment;
	int mech;                       /* enum pb_mech */
	int every;                      /* payment_every_weeks */
	int32_t first_payment;
	const char *override_reason, *ras_version, *funding_version, *flags;
};

/* Parse and check one record (idx: columns by enum pb_acol). */
int pb_alloc_parse(const int *idx, const struct pb_record *rec,
		   struct pb_alloc *a, struct pb_error *e);
/*
 * Add an allocation: 1 added, 0 already in the books with the same
 * figures, -PB_EDATA refused (the same allocation_id with other
 * figures; not later than the person's latest allocation; starting in a
 * period already paid).  A new allocation ends the person's previous
 * schedule on the day before its start_date.
 */
int pb_ledger_add_alloc(struct pb_ledger *l, const struct pb_alloc *a,
			struct pb_error *e);

/* ---- transactions in (CONTRACTS.md §9) ------------------------------- */

enum pb_tcol {
	PB_T_TXN_ID, PB_T_PERSON_ID, PB_T_DATE, PB_T_AMOUNT, PB_T_CATEGORY,
	PB_T_PAYEE, PB_T_DESCRIPTION,
	PB_T_N
};
extern const struct pb_colspec pb_txn_spec[PB_T_N];

/* The category for money the person pays in themselves. */
#define PB_LEDGER_CONTRIBUTION "contribution"
/* When amounts, each within the limit, add up past what int64 holds. */
#define PB_LEDGER_TOO_MUCH \
	"the amounts add up to more than 92233720368547758.07, the most pb can hold"

struct pb_txn_in {
	const char *txn_id, *person_id, *payee, *description; /* borrowed */
	size_t txn_id_len, payee_len, description_len;
	int32_t date;
	int64_t amount;
	char category[PB_LEDGER_ID_MAX + 1];
};

int pb_txn_parse(const int *idx, const struct pb_record *rec,
		 struct pb_txn_in *t, struct pb_error *e);
/*
 * Post one transaction from source: 1 posted, 0 the same (source,
 * txn_id) is already in the books with the same fields (skipped),
 * -PB_EDATA with other fields, or for a person with no account.
 */
int pb_ledger_import(struct pb_ledger *l, const char *source,
		     const struct pb_txn_in *t, struct pb_error *e);

/* ---- scheduled payments ---------------------------------------------- */

/*
 * Post every scheduled payment whose period starts on or before through
 * and is not yet posted: payment_amount (pro rata by days for a period
 * cut short by the next allocation), split across the funding streams in
 * proportion to the allocation's stream amounts.  *n and *total say what
 * was posted.
 */
int pb_ledger_pay(struct pb_ledger *l, int32_t through, long *n,
		  int64_t *total, struct pb_error *e);

struct pb_payment {
	const char *allocation_id, *person_id, *source, *txn_id;
	int32_t date, period_end;
	int days, period_days;   /* days paid of the period's days */
	int64_t amount, stream[PB_NSTREAMS];
};
/* The payments the last committed run posted, in person and date order. */
int pb_ledger_run_payments(struct pb_ledger *l,
			   int (*fn)(void *ctx, const struct pb_payment *p,
				     struct pb_error *e),
			   void *ctx, struct pb_error *e);

/* ---- balances --------------------------------------------------------- */

struct pb_balance {
	const char *person_id, *account;
	int64_t paid_in, contributions, spent, recovered, balance;
	int has_alloc;           /* an allocation in force on the day */
	int mech;                /* its delivery mechanism */
	int64_t weekly;          /* its weekly_amount */
	int64_t net_weekly;      /* weekly - contribution for a direct
				    payment (never below 0); 0 otherwise */
};

/*
 * Every dp account (or one person's, when person is not NULL) on as_of,
 * in person_id order.  fn returning < 0 stops (its status is returned).
 * -PB_EUSAGE when person has no account.
 */
int pb_ledger_balances(struct pb_ledger *l, int32_t as_of,
		       const char *person,
		       int (*fn)(void *ctx, const struct pb_balance *b,
				 struct pb_error *e),
		       void *ctx, struct pb_error *e);

/* ---- the journal ------------------------------------------------------ */

struct pb_posting {
	const char *account;
	int64_t amount;
};

struct pb_txn_out {
	int64_t txn;
	const char *source, *txn_id, *kind, *person_id, *category, *payee,
		*description, *allocation_id, *reason;
	const char *rev_source, *rev_txn_id;   /* "" unless a reversal */
	int32_t date;
	int64_t amount;
	int has_streams;                       /* moves council money */
	int64_t stream[PB_NSTREAMS];           /* from each stream (+) */
	size_t nposting;
	const struct pb_posting *posting;
};

/*
 * Every transaction dated from..to (inclusive; INT32_MIN/INT32_MAX for
 * no bound) in date order, then in the order they were posted.
 */
int pb_ledger_export(struct pb_ledger *l, int32_t from, int32_t to,
		     int (*fn)(void *ctx, const struct pb_txn_out *t,
			       struct pb_error *e),
		     void *ctx, struct pb_error *e);
/*
 * One transaction in the plain-text journal format that hledger and
 * ledger-cli read (ASCII amounts in GBP; a blank line after).
 */
int pb_ledger_journal_txn(FILE *fp, const struct pb_txn_out *t);

/*
 * One person's movements from..to with the running balance; first a
 * row with kind "opening" (the balance before from) when from is given.
 */
struct pb_movement {
	int32_t date;
	const char *source, *txn_id, *kind, *category, *payee, *description;
	int64_t amount, balance;
};
int pb_ledger_statement(struct pb_ledger *l, const char *person,
			int32_t from, int32_t to,
			int (*fn)(void *ctx, const struct pb_movement *m,
				  struct pb_error *e),
			void *ctx, struct pb_error *e);

/* ---- corrections ------------------------------------------------------ */

struct pb_reversal {
	const char *source, *txn_id;     /* of the reversal */
	int64_t amount;                  /* on the dp account */
	const char *person_id;
};
/*
 * Reverse (source, txn_id) on date with reason: -PB_EUSAGE if there is
 * no such transaction, -PB_EDATA if it is already reversed or is itself
 * a reversal.  *out (strings valid until the next call on l).
 */
int pb_ledger_reverse(struct pb_ledger *l, const char *source,
		      const char *txn_id, int32_t date, const char *reason,
		      struct pb_reversal *out, struct pb_error *e);

/*
 * Recover each surplus on as_of: every account whose balance is above
 * surplus_weeks of net weekly payments is brought down to keep_weeks of
 * them, the money going back to the funding streams in proportion to
 * what each has paid into the account.  At most once per account and
 * date.
 */
int pb_ledger_reclaim(struct pb_ledger *l, int32_t as_of, int surplus_weeks,
		      int keep_weeks, long *n, int64_t *total,
		      struct pb_error *e);

/* The recoveries the last committed run posted. */
struct pb_recovery {
	const char *person_id, *source, *txn_id, *description;
	int32_t date;
	int64_t amount, stream[PB_NSTREAMS];   /* recovered (positive) */
};
int pb_ledger_run_recoveries(struct pb_ledger *l,
			     int (*fn)(void *ctx, const struct pb_recovery *r,
				       struct pb_error *e),
			     void *ctx, struct pb_error *e);

/* ---- audit ------------------------------------------------------------ */

/* The spending policy (CONTRACTS.md §7): policy.h, pb_spending_load. */
struct pb_spending;

struct pb_audit_opts {
	int32_t as_of;
	int32_t from;               /* transaction findings from this day */
	int surplus_weeks;          /* default 8 */
	int idle_weeks;             /* default 8 */
	const struct pb_spending *policy;  /* NULL: categories not checked */
};

struct pb_finding {
	const char *person_id;
	const char *code;       /* SURPLUS, OVERDRAWN, IDLE, UNCATEGORISED,
				   FORBIDDEN_SPEND, UNLISTED_CATEGORY,
				   DUPLICATE_PAYEE_AMOUNT */
	const char *detail;
	int64_t amount;
	int32_t date;
	const char *source, *txn_id;   /* "" for an account's finding */
};

/* Findings in person_id order, then as listed above, then by date. */
int pb_ledger_audit(struct pb_ledger *l, const struct pb_audit_opts *o,
		    int (*fn)(void *ctx, const struct pb_finding *f,
			      struct pb_error *e),
		    void *ctx, long *count, struct pb_error *e);

#endif /* PB_LEDGER_H */
