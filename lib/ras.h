/*
 * ras.h - the resource allocation system (CONTRACTS.md §2-§4): a RAS
 * config, scoring a questionnaire into points and an indicative budget,
 * the self/practitioner discrepancy rule, calibrating the price per
 * point to a pot, and the pb-assess pass over a stream of answers.
 */
#ifndef PB_RAS_H
#define PB_RAS_H

#include <jansson.h>

#include "pb.h"

/* Limits of a config: generous for any real RAS, and they keep every
 * total small (at most 200 * 1000 points). */
#define PB_RAS_MAX_QUESTIONS 200
#define PB_RAS_MAX_ANSWERS 50       /* per question */
#define PB_RAS_MAX_POINTS 1000      /* per answer */
#define PB_RAS_MAX_BANDS 1000
#define PB_RAS_NAME_MAX 48          /* question ids and domains */

struct pb_ras_answer {
	char *code;          /* as the config writes it */
	size_t len;          /* strlen(code) */
	char *norm;          /* for matching: pb_colname_norm */
	int64_t points;
};

struct pb_ras_question {
	char *id;
	size_t domain;       /* index into pb_ras.domain */
	int required;
	struct pb_ras_answer *answer;
	size_t nanswer;
};

struct pb_ras_band {
	int64_t from, to;    /* points, inclusive */
	int64_t weekly;      /* pence */
};

struct pb_ras {
	char *name;                   /* "" if none */
	char *version;
	struct pb_ras_question *q;
	size_t nq;
	char **domain;                /* in config order of first use */
	size_t ndomain;
	int has_price;                /* per_point_weekly, else bands */
	int64_t price;                /* pence per point per week */
	struct pb_ras_band *band;     /* in order, no overlap */
	size_t nband;
	int64_t minimum;              /* pence, default 0 */
	int has_maximum;
	int64_t maximum;
	int64_t round_to;             /* pence, default 1 */
	int64_t discrepancy;          /* tenths of a percent, default 200 */
	int64_t max_points;           /* the highest total the questions reach */
};

/*
 * A RAS from a parsed document.  NULL on error with e's key path and
 * text (code PB_EUSAGE): unknown keys, wrong types, duplicate question
 * ids or answer codes (codes match case-insensitively), negative
 * points, bands out of order, overlapping or leaving a reachable total
 * uncovered, a minimum above the maximum...
 */
struct pb_ras *pb_ras_from_json(const json_t *doc, struct pb_error *e);
/* Load and check a RAS file; errors name the file (-PB_EIO: unreadable). */
struct pb_ras *pb_ras_load(const char *path, struct pb_error *e);
void pb_ras_free(struct pb_ras *r);

/*
 * The answer of question q that value s (NUL-terminated, n bytes)
 * names, or -1.  Exact bytes first, then case-insensitively with
 * surrounding spaces trimmed and spaces and underscores alike.
 */
int pb_ras_answer(const struct pb_ras *r, size_t q, const char *s, size_t n);
/* "none, some, substantial" into buf (cut with "..." if long). */
char *pb_ras_answer_list(const struct pb_ras *r, size_t q, char *buf,
			 size_t n);

/* ---- money ---------------------------------------------------------- */

enum pb_ras_rule {
	PB_RAS_ZERO,          /* 0 points: 0, no clamp */
	PB_RAS_PER_POINT,
	PB_RAS_BAND
};

enum pb_ras_clamp {
	PB_RAS_CLAMP_NONE,
	PB_RAS_CLAMP_MIN,     /* raised to minimum_weekly */
	PB_RAS_CLAMP_MAX      /* capped at maximum_weekly */
};

/* How an indicative budget was derived, step by step (--explain). */
struct pb_ras_money {
	enum pb_ras_rule rule;
	int64_t points;
	int64_t price;                 /* per point (PB_RAS_PER_POINT) */
	const struct pb_ras_band *band;/* PB_RAS_BAND */
	int64_t raw;                   /* points x price, or the band's weekly */
	int64_t rounded;               /* to a multiple of round_to, half up */
	enum pb_ras_clamp clamp;
	int64_t weekly;
	int64_t annual;                /* weekly x 52 */
};

/*
 * The indicative budget for a total of points at price (pence a point,
 * used when the RAS prices per point; ignored with bands).  Returns 0,
 * or -PB_EDATA when the amount is beyond PB_MONEY_MAX (no maximum).
 */
int pb_ras_money(const struct pb_ras *r, int64_t price, int64_t points,
		 struct pb_ras_money *m, struct pb_error *e);

/*
 * The self/practitioner rule: 1 when the self points are below the
 * practitioner's by at least discrepancy percent of the practitioner's,
 * 2 when above by as much, else 0 (and 0 when they are equal).
 */
enum {
	PB_RAS_SELF_LEVEL = 0,
	PB_RAS_SELF_BELOW = 1,
	PB_RAS_SELF_ABOVE = 2
};
int pb_ras_discrepancy(const struct pb_ras *r, int64_t self, int64_t pract);

/* ---- calibration ----------------------------------------------------- */

/*
 * Records counted by their total points: one counter per total up to
 * the highest seen (at most PB_RAS_MAX_QUESTIONS * PB_RAS_MAX_POINTS).
 */
struct pb_ras_hist {
	int64_t *count;
	size_t n;            /* totals 0 .. n-1 */
};
void pb_ras_hist_init(struct pb_ras_hist *h);
void pb_ras_hist_fini(struct pb_ras_hist *h);
void pb_ras_hist_add(struct pb_ras_hist *h, int64_t points);

/*
 * The sum of every record's indicative annual budget at price, in
 * *total (saturating above PB_MONEY_MAX: then returns 1, else 0).
 */
int pb_ras_hist_total(const struct pb_ras *r, const struct pb_ras_hist *h,
		      int64_t price, int64_t *total);

/*
 * The highest price per point, to the penny, at which the sum of the
 * records' indicative annual budgets does not exceed pot; *total is
 * that sum.  -PB_EUSAGE when there is none (even 0.00 a point is over
 * the pot, through minimum_weekly) or it is unbounded (the total never
 * exceeds the pot, however high the price), or the RAS has bands.
 */
int pb_ras_calibrate(const struct pb_ras *r, const struct pb_ras_hist *h,
		     int64_t pot, int64_t *price, int64_t *total,
		     struct pb_error *e);

/* ---- the pb-assess pass ------------------------------------------------ */

struct pb_map;
struct pb_writer;

struct pb_assess_opts {
	const struct pb_ras *ras;
	const struct pb_map *map;
	int calibrate;          /* find the price for pot */
	int64_t pot;            /* pence a year */
	int explain;            /* JSON Lines explanations, not records */
};

struct pb_assess;
struct pb_assess *pb_assess_new(const struct pb_assess_opts *o,
				struct pb_error *e);
void pb_assess_free(struct pb_assess *a);
/* A new header: find the columns.  -PB_EUSAGE if unusable. */
int pb_assess_bind(struct pb_assess *a, const struct pb_header *h,
		   int lenient, struct pb_error *e);
/*
 * Score one record and keep it for the output.  0, or -PB_EDATA with e
 * (the record is rejected), or -PB_EIO (the temporary file failed).
 */
int pb_assess_add(struct pb_assess *a, const struct pb_record *rec,
		  struct pb_error *e);
/*
 * After the last record: the price used (calibrated when asked, with
 * the total in *total), or -PB_EUSAGE if calibration fails.
 */
int pb_assess_price(struct pb_assess *a, int64_t *price, int64_t *total,
		    struct pb_error *e);
/* Write every record, in input order, with its flags (or its
 * explanation, to fp, when explain is set). */
int pb_assess_write(struct pb_assess *a, struct pb_writer *w, FILE *fp,
		    struct pb_error *e);
/* One line for stderr: records scored and the discrepancy flags. */
void pb_assess_summary(const struct pb_assess *a, char *buf, size_t n);

/* Money as 1,234.56 (grouped, no symbol) into buf of PB_MONEY_BUFSZ. */
char *pb_ras_money_grouped(char *buf, int64_t pence);

#endif /* PB_RAS_H */
