/*
 * allocate.h - from scored assessments to allocations (CONTRACTS.md
 * §4-§6): the funding config, the rules that fix a person's agreed
 * budget, funding streams and payment schedule, and the pb-allocate
 * pass that pairs a person's self and practitioner assessments.
 */
#ifndef PB_ALLOCATE_H
#define PB_ALLOCATE_H

#include <jansson.h>

#include "pb.h"

/* Which assessment sets the indicative budget when there are both. */
enum pb_use {
	PB_USE_HIGHER = 0,      /* the higher (ties: the practitioner's) */
	PB_USE_PRACTITIONER,
	PB_USE_SELF
};

struct pb_funding {
	char *name;             /* "" if none */
	char *version;
	int64_t every_weeks;    /* payment_every_weeks: 1-52, default 4 */
	int64_t review_months;  /* review_after_months: 1-12, default 6 */
	int default_mech;       /* enum pb_mech, default dp */
	int use;                /* enum pb_use */
};

/* NULL on error with e's key path and text (PB_EUSAGE). */
struct pb_funding *pb_funding_from_json(const json_t *doc,
					struct pb_error *e);
/* Load and check a funding file; errors name the file (-PB_EIO: unreadable). */
struct pb_funding *pb_funding_load(const char *path, struct pb_error *e);
void pb_funding_free(struct pb_funding *f);

/* 0 to use the self record, 1 the practitioner's (both exist). */
int pb_funding_choose(const struct pb_funding *f, int64_t self_weekly,
		      int64_t pract_weekly);

/* The columns pb-allocate reads (§4 and §5), for pb_bind and blame. */
enum pb_acol {
	PB_AC_PERSON_ID, PB_AC_ASSESSMENT_DATE, PB_AC_ASSESSOR,
	PB_AC_INDICATIVE, PB_AC_RAS_VERSION, PB_AC_FLAGS,
	PB_AC_AGREED, PB_AC_REASON, PB_AC_HEALTH, PB_AC_S117,
	PB_AC_CONTRIBUTION, PB_AC_MECH, PB_AC_START,
	PB_AC_N
};
extern const struct pb_colspec pb_scored_spec[PB_AC_N];

/* A person's terms: the optional columns of §5, as given. */
struct pb_alloc_terms {
	int has_agreed;
	int64_t agreed;             /* pence a week */
	int has_reason;             /* a non-empty override_reason */
	int has_health;
	int64_t health;             /* tenths of a percent, 0-1000 */
	int s117;                   /* -1 not given, 0 no, 1 yes */
	int has_contribution;
	int64_t contribution;       /* pence a week */
	int mech;                   /* enum pb_mech, -1 not given */
	int has_start;
	int32_t start;
};

struct pb_allocation {
	int32_t start, review, first_payment;
	int64_t indicative, weekly;
	int64_t social_care, health, s117;   /* sum to weekly */
	int64_t contribution;                /* charged (0 under s117) */
	int mech;
	int64_t every_weeks;
	int64_t payment;                     /* a payment, never below 0 */
	int s117_no_charge;                  /* a contribution was not charged */
	int contribution_covers;             /* contribution >= weekly */
};

/*
 * The allocation for an indicative weekly budget, the assessment date
 * (the default start) and the person's terms.  -PB_EDATA with e's text
 * and *col the column at fault: an agreed_weekly that differs from the
 * indicative with no override_reason; a health_percent above 0 with
 * s117 = yes.
 */
int pb_allocate_one(const struct pb_funding *f, int64_t indicative,
		    int32_t assessed, const struct pb_alloc_terms *t,
		    struct pb_allocation *out, int *col, struct pb_error *e);

/* ---- the pb-allocate pass --------------------------------------------- */

struct pb_map;
struct pb_writer;

struct pb_allocate_opts {
	const struct pb_funding *f;
	const struct pb_map *map;
};

/* Annual figures (weekly x 52) over every allocation, for --pot. */
struct pb_alloc_totals {
	long allocations;
	int64_t social_care, health, s117, total;
	int64_t contributions;   /* each at most the weekly amount */
};

struct pb_allocate;
struct pb_allocate *pb_allocate_new(const struct pb_allocate_opts *o,
				    struct pb_error *e);
void pb_allocate_free(struct pb_allocate *a);
/* A new header: find the columns.  -PB_EUSAGE if unusable. */
int pb_allocate_bind(struct pb_allocate *a, const struct pb_header *h,
		     int lenient, struct pb_error *e);
/*
 * Take one scored record.  0, -PB_EDATA with e (reject this record), or
 * -PB_EIO (the temporary file failed).  A record that is rejected, or
 * that clashes with the other record of its person and date, leaves the
 * person without an allocation: their other records are rejected too
 * (as they arrive, or by pb_allocate_finish).
 */
int pb_allocate_add(struct pb_allocate *a, const struct pb_record *rec,
		    struct pb_error *e);

/*
 * After the last record: decide every person, sorted by person_id and
 * assessment date.  The records of a person who cannot be allocated,
 * and not rejected already, are handed to reject with the reason.
 * 0, or -PB_EIO (the temporary file failed).
 */
int pb_allocate_finish(struct pb_allocate *a,
		       void (*reject)(void *ctx, const struct pb_record *rec,
				      struct pb_error *why),
		       void *ctx, struct pb_error *e);
/* Write the allocations (§6). */
int pb_allocate_write(struct pb_allocate *a, struct pb_writer *w,
		      struct pb_error *e);
void pb_allocate_totals(const struct pb_allocate *a,
			struct pb_alloc_totals *t);
/* One line for stderr: allocations made and how. */
void pb_allocate_summary(const struct pb_allocate *a, char *buf, size_t n);

#endif /* PB_ALLOCATE_H */
