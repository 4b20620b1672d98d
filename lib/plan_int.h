/*
 * plan_int.h - inside libpb's plan files: a plan as read, shared by the
 * rules (plan.c) and the person's page (plan_md.c).  Strings are
 * borrowed from the JSON document.
 */
#ifndef PB_PLAN_INT_H
#define PB_PLAN_INT_H

#include "plan.h"

enum {
	PB_CAT_NONE = 0,      /* no category could be read */
	PB_CAT_OK,            /* in the policy */
	PB_CAT_FORBIDDEN,     /* on the forbidden list */
	PB_CAT_UNKNOWN        /* neither */
};

struct pb_planline {
	size_t index;            /* in the plan's lines */
	int broken;              /* not an object: nothing else read */
	const char *id;          /* NULL if unreadable */
	const char *desc;        /* "" if none */
	char cat[PB_LEDGER_ID_MAX + 1];  /* normalised category */
	const char *cat_raw;     /* as written */
	int cat_state;           /* PB_CAT_* */
	long cat_idx;            /* in the policy, -1 */
	int money_ok;            /* cost and per read: annual is known */
	int64_t cost, annual;
	int per;                 /* enum pb_per, -1 */
	int stream;              /* the stream it names, -1 none */
	int paid_from;           /* the stream it is paid from, -1 none */
	int stream_flagged;      /* CATEGORY_NOT_FOR_STREAM given */
	int family;              /* family_in_household */
	const char *risk, *risk_plan;   /* NULL if absent */
	int has_pool, pool_ok;
	const char *pool_id;
	int64_t pool_total, share;      /* pence; tenths of a percent */
	size_t nout;
	const char **out;        /* the outcome ids it names */
	int out_bad;             /* some were not strings */
};

struct pb_planoutcome {
	const char *id, *text;
};

struct pb_plandoc {
	const struct pb_spending *policy;
	const char *plan_id, *person_id, *allocation_id;   /* NULL: unread */
	int is_object;
	int outcomes_ok;         /* every outcome read */
	size_t nout;
	struct pb_planoutcome *out;
	int lines_ok;            /* lines is an array */
	size_t nline;
	struct pb_planline *line;
	const struct pb_plan_alloc *alloc;   /* NULL: none found */
	int amounts_ok;          /* every line's annual cost is known */
	int64_t total;
};

/* Render the person's page, up to the decision, into out (md). */
void pb_plan_page(const struct pb_plandoc *p, struct pb_buf *out);
/* Text for Markdown: punctuation that would mark it up escaped, line
 * breaks and control characters as spaces. */
void pb_md_text(struct pb_buf *out, const char *s);
/* "2.5%" / "10%" from tenths. */
char *pb_plan_pct(char *buf, size_t n, int64_t tenths);

#endif /* PB_PLAN_INT_H */
