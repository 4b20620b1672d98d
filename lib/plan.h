/*
 * plan.h - support plans (CONTRACTS.md §8) checked against the person's
 * allocation (§6) and the council's spending policy (§7, policy.h).
 *
 * Each plan gets one decision: approve, review (a person at the
 * council must decide) or return (it cannot be approved as written),
 * with every reason that applies, each a stable code, the line or
 * outcome it concerns and a message in plain English.  Only a line's
 * category, cost, stream, outcomes, pool and flags decide; its
 * description is never matched against anything.
 *
 * Money is exact: a line's annual cost is its cost times 52, 13, 12, 1
 * or 1 (per week, 4weeks, month, year, once), in pence; the budget
 * checks compare whole numbers, with no rounding anywhere.
 *
 * The pieces, from the bottom: the arithmetic and the reason codes;
 * the allocations a plan is checked against (pb_plan_allocs); one plan
 * decided (pb_plan_decide, into a struct pb_decision); the documents of
 * a plan file (pb_plan_reader); and the pass of pb-plan check
 * (pb_plancheck), which decides every plan, checks the pools shared
 * across plans, and writes the decisions.
 */
#ifndef PB_PLAN_H
#define PB_PLAN_H

#include <jansson.h>

#include "pb.h"
#include "policy.h"

/* ---- arithmetic --------------------------------------------------------- */

enum pb_per {
	PB_PER_WEEK, PB_PER_4WEEKS, PB_PER_MONTH, PB_PER_YEAR, PB_PER_ONCE,
	PB_PER_N
};
/* "week" ... "once" to enum pb_per, or -1. */
int pb_per_parse(const char *s, size_t len);
const char *pb_per_name(int per);
/* How many times a year: 52, 13, 12, 1, 1. */
int64_t pb_per_times(int per);
/* cost x times a year, exactly; -PB_EDATA on overflow. */
int pb_plan_annual(int64_t cost, int per, int64_t *annual);
/*
 * Is amount within limit plus tolerance tenths of a percent of it:
 * 1000 x amount <= limit x (1000 + tolerance), in 128 bits.
 */
int pb_plan_within(int64_t amount, int64_t limit, int64_t tolerance);

/* ---- decisions and reasons ---------------------------------------------- */

enum pb_verdict { PB_APPROVE, PB_REVIEW, PB_RETURN };
/* "approve", "review", "return" */
const char *pb_verdict_name(int v);

enum pb_why {
	/* return: the plan cannot be approved as written */
	PB_WHY_NO_ALLOCATION,
	PB_WHY_DUPLICATE_PLAN,
	PB_WHY_BAD_FIELD,
	PB_WHY_BAD_AMOUNT,
	PB_WHY_OVER_BUDGET,
	PB_WHY_STREAM_OVER_BUDGET,
	PB_WHY_CONTINGENCY_TOO_HIGH,
	PB_WHY_FORBIDDEN_CATEGORY,
	PB_WHY_UNKNOWN_CATEGORY,
	PB_WHY_CATEGORY_NOT_FOR_STREAM,
	PB_WHY_MISSING_REQUIRED,
	PB_WHY_LINE_WITHOUT_OUTCOME,
	PB_WHY_UNKNOWN_OUTCOME,
	PB_WHY_POOL_SHARE_MISMATCH,
	PB_WHY_POOL_OVERSUBSCRIBED,
	/* review: a person must decide */
	PB_WHY_FAMILY_IN_HOUSEHOLD,
	PB_WHY_RISK_WITHOUT_PLAN,
	PB_WHY_REVIEW_CATEGORY,
	PB_WHY_N
};
/* "OVER_BUDGET"; the verdict a reason leads to; a short title for
 * the person's page ("Over budget"). */
const char *pb_why_code(int why);
int pb_why_verdict(int why);
const char *pb_why_title(int why);

struct pb_reason {
	int why;              /* enum pb_why */
	char *line;           /* the line's id; NULL: about the plan */
	char *outcome;        /* the outcome's id; NULL if none */
	char *key;            /* BAD_FIELD/BAD_AMOUNT: the key path; else NULL */
	char *text;           /* the message, plain English (with the key
				 path in front for BAD_FIELD/BAD_AMOUNT) */
	char *label;          /* the line's description, for the person's
				 page only; NULL if none */
	long rank;            /* order in the decision (internal) */
};

/* A pooled line's share, for the check across plans. */
struct pb_pool_share {
	char *pool;           /* the pool's id */
	int64_t share;        /* tenths of a percent */
	char *line, *label;   /* the line and its description */
};

struct pb_decision {
	char *plan_id, *person_id, *allocation_id;  /* "" when unknown */
	char *source;         /* FILE:LINE where the plan starts */
	int has_total;        /* the annual total could be worked out */
	int64_t total;        /* the plan's annual cost */
	int has_budget;       /* an allocation was found */
	int64_t budget;       /* weekly_amount x 52 */
	size_t nreason, reason_cap;
	struct pb_reason *reason;
	size_t npool, pool_cap;
	struct pb_pool_share *pool;
	int want_page;        /* render the person's page (md) */
	struct pb_buf page;   /* the page, without the decision */
};

void pb_decision_init(struct pb_decision *d, int want_page);
void pb_decision_fini(struct pb_decision *d);
/* Empty it for the next plan (keeps want_page and the memory). */
void pb_decision_reset(struct pb_decision *d);
/* Return if any reason returns, else review if any, else approve. */
int pb_decision_verdict(const struct pb_decision *d);
/* Add a reason (line, outcome, key, label may be NULL). */
void pb_decision_add(struct pb_decision *d, int why, long rank,
		     const char *line, const char *outcome, const char *key,
		     const char *label, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Put the reasons in order: by rank, then as they were added. */
void pb_decision_sort(struct pb_decision *d);
/* Ranks: the plan as a whole, the budget, line i, across plans. */
#define PB_RANK_PLAN 0L
#define PB_RANK_BUDGET 1L
#define PB_RANK_LINE(i) (2L + (long)(i))
#define PB_RANK_ACROSS 0x7fffffffL
/*
 * The decision section of the person's page (## Decision: ..., with
 * the reasons in plain English), appended to out.
 */
void pb_decision_page_end(const struct pb_decision *d, struct pb_buf *out);

/* ---- allocations --------------------------------------------------------- */

/* An allocation, as a plan is checked against it. */
struct pb_plan_alloc {
	const char *allocation_id, *person_id;
	int64_t weekly;                 /* weekly_amount, pence */
	int64_t stream[PB_NSTREAMS];    /* social_care, health, s117 */
};

struct pb_plan_allocs;
struct pb_plan_allocs *pb_plan_allocs_new(const struct pb_map *map);
void pb_plan_allocs_free(struct pb_plan_allocs *t);
/* A new header of the allocations input (§6 columns, through --map):
 * -PB_EUSAGE naming a missing column. */
int pb_plan_allocs_bind(struct pb_plan_allocs *t, const struct pb_header *h,
			int lenient, struct pb_error *e);
/* One allocation record (checked as pb-ledger checks it): 0, or
 * -PB_EDATA with e (a bad value, or an allocation_id seen before). */
int pb_plan_allocs_add(struct pb_plan_allocs *t, const struct pb_record *rec,
		       struct pb_error *e);
/* The same for an allocation in hand (line: where it was, for the
 * message about a second one). */
int pb_plan_allocs_put(struct pb_plan_allocs *t, const struct pb_plan_alloc *a,
		       const char *file, long line, struct pb_error *e);
const struct pb_plan_alloc *pb_plan_allocs_get(const struct pb_plan_allocs *t,
					       const char *id, size_t len);
/* Was an allocation with this id rejected by pb_plan_allocs_add? */
int pb_plan_allocs_rejected(const struct pb_plan_allocs *t, const char *id,
			    size_t len);
size_t pb_plan_allocs_count(const struct pb_plan_allocs *t);

/* ---- one plan ------------------------------------------------------------ */

/*
 * Decide the plan doc (a parsed JSON document, any type: a malformed
 * plan is a decision to return it with BAD_FIELD or BAD_AMOUNT naming
 * the key path, never an error) against its allocation in allocs and
 * the policy.  d is reset first; source is "FILE:LINE".
 */
void pb_plan_decide(const struct pb_spending *policy,
		    const struct pb_plan_allocs *allocs, const json_t *doc,
		    const char *source, struct pb_decision *d);

/* ---- reading plan files ------------------------------------------------- */

/*
 * JSON documents one after another, from files ("-" or none: standard
 * input): JSON Lines, or pretty-printed documents back to back.  The
 * reader finds where each document ends (strings and nesting), so a
 * file is streamed, never held whole.  A document that is not valid
 * JSON is reported (-PB_EDATA, with its file and starting line) and
 * skipped: up to its end if its brackets balance, else (an unclosed
 * string or bracket) to the next line that starts with '{', so one
 * broken line of a JSON Lines file costs only that plan.
 */
#define PB_PLAN_DOC_MAX (16u << 20)   /* the largest document read */

struct pb_plan_reader;
struct pb_plan_reader *pb_plan_reader_new(char *const *files, size_t nfiles);
void pb_plan_reader_free(struct pb_plan_reader *r);
/* Bytes per read (tests sweep it); default 64 KiB. */
void pb_plan_reader_set_chunk(struct pb_plan_reader *r, size_t chunk);
/*
 * The next document: 1 with *doc (a new reference: json_decref it),
 * *file and *line where it starts; 0 at the end of all input;
 * -PB_EDATA a document that is not JSON (e: file, line, text; *file and
 * *line set too), reading goes on; -PB_EIO a file that cannot be opened
 * or read (e), reading goes on with the next file.
 */
int pb_plan_reader_next(struct pb_plan_reader *r, json_t **doc,
			const char **file, long *line, struct pb_error *e);

/* ---- pb-plan check --------------------------------------------------- */

struct pb_plancheck_opts {
	const struct pb_spending *policy;
	const struct pb_plan_allocs *allocs;
	enum pb_format format;
	/* Called for each BAD_FIELD / BAD_AMOUNT reason as a plan is
	 * decided, with file, line, key path and text (for stderr). */
	void (*problem)(void *ctx, const struct pb_error *e);
	void *ctx;
};

/*
 * Decisions are spooled to an unlinked temporary file as plans are
 * decided, and written by pb_plancheck_write once every plan has been
 * seen (a pool's shares are only known then), in input order.  Memory
 * holds the pools and the plan ids (for duplicates), not the plans.
 */
struct pb_plancheck;
/* NULL with e (-PB_EIO) when the temporary file cannot be made. */
struct pb_plancheck *pb_plancheck_new(const struct pb_plancheck_opts *o,
				      struct pb_error *e);
void pb_plancheck_free(struct pb_plancheck *c);
/* Decide a plan that starts at file:line.  0, or -PB_EIO (spool). */
int pb_plancheck_add(struct pb_plancheck *c, const json_t *doc,
		     const char *file, long line, struct pb_error *e);
/* A document that could not be read as JSON (why: file, line, text):
 * a decision to return it, BAD_FIELD.  0, or -PB_EIO. */
int pb_plancheck_add_broken(struct pb_plancheck *c,
			    const struct pb_error *why, struct pb_error *e);
/*
 * Check the pools across plans and write every decision to fp: csv,
 * json (one object per plan, the full reasons), table (with the reasons
 * as notes under it) or md (a page per plan for the person).  0, or
 * -PB_EIO.
 */
int pb_plancheck_write(struct pb_plancheck *c, FILE *fp, struct pb_error *e);
/* Plans decided, and how many of each verdict (after write). */
long pb_plancheck_count(const struct pb_plancheck *c, int verdict);
long pb_plancheck_total(const struct pb_plancheck *c);
/* One line for stderr: "12 plans: 4 approve, 3 review, 5 return". */
void pb_plancheck_summary(const struct pb_plancheck *c, char *buf, size_t n);

#endif /* PB_PLAN_H */
