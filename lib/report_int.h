/*
 * report_int.h - what the reports of pb-report share inside libpb: the
 * report object, the table of operations each report fills, and the
 * partial-state lines.  Not for tools: they use report.h.
 */
#ifndef PB_REPORT_INT_H
#define PB_REPORT_INT_H

#include "report.h"

#define PB_NCOUNT 16   /* summary counters a report may keep */

struct pb_pline;       /* one line of a partial state being read */
struct pb_report;

struct pb_report_ops {
	enum pb_report_kind kind;
	int by_flags;                  /* PB_BY_* */
	int wants_people;              /* reads --people first */
	int (*init)(struct pb_report *r, struct pb_error *e);
	void (*fini)(struct pb_report *r);
	int (*bind)(struct pb_report *r, const struct pb_header *h,
		    int lenient, struct pb_error *e);
	int (*add)(struct pb_report *r, const struct pb_record *rec,
		   struct pb_error *e);
	/* Build r->tab from the state (before pb_rtab_finish). */
	void (*table)(struct pb_report *r);
	void (*chart)(struct pb_report *r, struct pb_chart *c);
	void (*summary)(struct pb_report *r, char *buf, size_t n);
	/* Partial state: the report's own lines, and reading one back. */
	void (*save)(struct pb_report *r, FILE *fp);
	int (*load)(struct pb_report *r, struct pb_pline *l,
		    struct pb_error *e);
};

struct pb_report {
	const struct pb_report_ops *ops;
	struct pb_report_opts o;
	char **by_names;             /* owned copies of o.by */
	struct pb_groupby *gb;
	struct pb_strmap *groups;    /* interned group keys */
	struct pb_buf key;           /* scratch key */
	struct pb_export x;          /* columns of the current input */
	int xcol[PB_XO_N];           /* optional export columns */
	int32_t *days;               /* the days counted (trend: several) */
	size_t ndays;
	/* the run's counts */
	long read, rejected;
	int status;
	long people_read, people_rejected;
	long long cnt[PB_NCOUNT];    /* the report's summary counters */
	/* --people: each person's group (outcomes, spend) */
	struct pb_people *persons;
	char *council;               /* the one la_code seen, if only one */
	int councils;                /* 0, 1 or 2 (more than one) */
	int input_has_la;            /* the main input has an la_code column */
	struct pb_rtab *tab;
	void *eng;                   /* the report's own state */
};

extern const struct pb_report_ops pb_report_takeup_ops;
extern const struct pb_report_ops pb_report_trend_ops;
extern const struct pb_report_ops pb_report_mix_ops;
extern const struct pb_report_ops pb_report_cost_ops;
extern const struct pb_report_ops pb_report_funnel_ops;
extern const struct pb_report_ops pb_report_outcomes_ops;
extern const struct pb_report_ops pb_report_spend_ops;

/* ---- helpers for the reports ----------------------------------------- */

/* Bind the person export's columns for r (required ones, the age rule
 * when age is needed, --by, the optional columns in want_opt: bits
 * 1 << PB_XO_*). */
int pb_report_bind_export(struct pb_report *r, const struct pb_header *h,
			  int lenient, int need_age, int want_opt,
			  struct pb_error *e);
/* Intern the key in r->key as a group id. */
uint32_t pb_report_group(struct pb_report *r);
/* Text cells of the group columns of a group (NULL: the total, "all"). */
void pb_report_group_cells(struct pb_report *r, size_t row, size_t gid,
			   int total);
/* The group columns, then cols, as one column list (caller frees);
 * indexes in cols that refer to columns (a, b) are shifted. */
struct pb_rcol *pb_report_columns(const struct pb_report *r,
				  const struct pb_rcol *cols, size_t n,
				  size_t *ncol);
/* A person's key from an input with la_code (or the export's only
 * council when the input has none) and person_id. */
struct pb_fp pb_report_person(const struct pb_report *r, const char *la,
			      size_t lalen, const char *pid, size_t pidlen,
			      const char *third, size_t thirdlen, int three);
/* The group of a person of the --people export, or -PB_EDATA with
 * "person not in the people export". */
long pb_report_person_group(struct pb_report *r, struct pb_fp key,
			    struct pb_error *e);

/* ---- partial states ------------------------------------------------- */

/* Writing: a token is "=" and the bytes, with %XX for space, '%', control
 * characters and DEL; a key of values writes one token per value. */
void pb_partial_token(FILE *fp, const char *s, size_t len);
void pb_partial_key(FILE *fp, const char *key, size_t len);
void pb_partial_fp(FILE *fp, struct pb_fp fp_);
void pb_partial_sketch(FILE *fp, const struct pb_qsketch *q);

/* Reading: a line split into tokens. */
struct pb_pline {
	const char *file;
	long line;
	char **tok;
	size_t ntok;
	/* the state's group ids -> the merge's */
	uint32_t *gmap;
	size_t ngmap;
	/* the state's category ids -> the merge's (spend) */
	uint32_t *kmap;
	size_t nkmap;
};
int pb_pline_fail(struct pb_pline *l, struct pb_error *e, const char *what);
int pb_pline_int(struct pb_pline *l, size_t i, int64_t min, int64_t max,
		 int64_t *out, struct pb_error *e);
int pb_pline_fp(struct pb_pline *l, size_t i, struct pb_fp *out,
		struct pb_error *e);
/* A group id of the state, as the merge's id. */
int pb_pline_group(struct pb_pline *l, size_t i, uint32_t *out,
		   struct pb_error *e);
/* A day: YYYY-MM-DD or "-" (INT32_MAX). */
int pb_pline_day(struct pb_pline *l, size_t i, int32_t *out,
		 struct pb_error *e);
/* A token's bytes unescaped into buf. */
int pb_pline_text(struct pb_pline *l, size_t i, struct pb_buf *buf,
		  struct pb_error *e);
/* A sketch from tokens i.. to the end. */
int pb_pline_sketch(struct pb_pline *l, size_t i, struct pb_qsketch *q,
		    struct pb_error *e);

#endif /* PB_REPORT_INT_H */
