/*
 * report.h - the person export (CONTRACTS.md §1), counting each person
 * once by the national hierarchy, grouping, disclosure control, the
 * report table and its charts, quantiles, and the reports of pb-report
 * built on them (takeup, trend, mix, cost, funnel, outcomes, spend),
 * with their mergeable partial states.
 */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include "codes.h"
#include "pb.h"

/* ---- the person export --------------------------------------------- */

enum pb_xcol {
	PB_X_PERSON_ID, PB_X_LA_CODE, PB_X_CLIENT_TYPE, PB_X_PSR,
	PB_X_AGE, PB_X_BIRTH_DATE, PB_X_AGE_BAND, PB_X_SETTING,
	PB_X_START, PB_X_END, PB_X_MECH,
	PB_X_N
};
/* The export's columns, for pb_bind (indexes are enum pb_xcol). */
extern const struct pb_colspec pb_export_spec[PB_X_N];

/* The optional columns some reports read (indexes by enum pb_xopt). */
enum pb_xopt {
	PB_XO_COST, PB_XO_REFERRAL, PB_XO_DP_OFFERED, PB_XO_ASSESSMENT,
	PB_XO_PLAN, PB_XO_FIRST_PAYMENT,
	PB_XO_N
};
extern const struct pb_colspec pb_export_opt_spec[PB_XO_N];

struct pb_export_row {
	const char *person_id;
	size_t person_len;
	const char *la_code;
	size_t la_len;
	int client;           /* enum pb_client */
	int psr;              /* enum pb_psr */
	int setting;          /* enum pb_setting */
	int mech;             /* enum pb_mech */
	int32_t start;
	int32_t end;          /* INT32_MAX while ongoing */
	int age;              /* whole years, -1 if not given */
	int32_t birth;        /* valid if has_birth */
	int has_birth;
	enum pb_age band;     /* from an age_band column, PB_AGE_UNKNOWN if none */
	int band_coarse;      /* the age_band column holds 18-64 / 65+ only */
};

/* An export being read: its columns (indexes by enum pb_xcol, from
 * pb_bind with pb_export_spec) and caches of the codes seen. */
struct pb_export {
	int idx[PB_X_N];
	struct pb_codecache client, psr, setting, mech;
};
void pb_export_init(struct pb_export *x);
/*
 * Parse and check a record of the export.  On error: -PB_EDATA with e
 * naming the column (as the input names it) and the value.
 */
int pb_export_parse(struct pb_export *x, const struct pb_record *rec,
		    struct pb_export_row *row, struct pb_error *e);
/* Active on day d: start <= d <= end. */
static inline int pb_export_active(const struct pb_export_row *row,
				   int32_t d)
{
	return row->start <= d && d <= row->end;
}
/* Fine age band on day d (from age, else birth date, else age_band). */
enum pb_age pb_export_age(const struct pb_export_row *row, int32_t d);

/* ---- counting each person once ------------------------------------ */

/*
 * The national hierarchy (lowest wins): 1 nursing, 2 residential,
 * 3 community dp/part_dp, 4 community managed, 5 community
 * commissioned, 6 prison.
 */
int pb_hier_rank(int setting, int mech);

/* Flags of the community mechanisms a person has on the day. */
enum {
	PB_MF_DP = 1,       /* a community dp row */
	PB_MF_PART = 2,     /* a community part_dp row */
	PB_MF_OTHER = 4,    /* a community managed or commissioned row */
	PB_MF_VALUE = 8,    /* a value was added (pb_people_add_value) */
	PB_MF_MARK = 16     /* marked by the report (pb_people_mark) */
};
int pb_mech_flag(int setting, int mech);
/* The mechanism a person counts as, from the winning rank and flags. */
int pb_people_mech(int rank, int flags);

/* The key of a person: a 128-bit fingerprint of la_code and person_id
 * (and, for pb_person_key3, a third value such as an outcome id). */
struct pb_fp pb_person_key(const char *la, size_t lalen, const char *pid,
			   size_t pidlen);
struct pb_fp pb_person_key3(const char *la, size_t lalen, const char *pid,
			    size_t pidlen, const char *third, size_t thirdlen);


struct pb_people;
/* groups: the interned group keys, for the tie rule (keys sort first).
 * With values set, each person also holds a sum (pb_people_add_value). */
struct pb_people *pb_people_new(const struct pb_strmap *groups);
struct pb_people *pb_people_new_values(const struct pb_strmap *groups);
void pb_people_free(struct pb_people *pp);
/*
 * Offer one active row of a person (key: la_code and person_id):
 * the row wins over the person's best so far by rank, then latest
 * start, then the group key that sorts first; mechanism flags of all
 * rows accumulate.  Independent of input order.
 */
void pb_people_offer(struct pb_people *pp, const char *la, size_t lalen,
		     const char *pid, size_t pidlen, int rank, int32_t start,
		     uint32_t group, int mflags);
/* The same by key (a merge of partial states offers what a part kept). */
void pb_people_offer_fp(struct pb_people *pp, struct pb_fp key, int rank,
			int32_t start, uint32_t group, int mflags);
/* Add v to the person's sum (they must have been offered); sets
 * PB_MF_VALUE.  -PB_EDATA if the sum would overflow. */
int pb_people_add_value(struct pb_people *pp, struct pb_fp key, int64_t v);
/* The group of a person, or -1 if never offered; with mark, the person
 * is also flagged PB_MF_MARK. */
long pb_people_find(struct pb_people *pp, struct pb_fp key, int mark);
size_t pb_people_count(const struct pb_people *pp);
/* Visit every person: rank, group and mechanism flags of the winner. */
void pb_people_each(const struct pb_people *pp,
		    void (*fn)(void *ctx, int rank, uint32_t group, int mflags),
		    void *ctx);
/* Everything a person holds, for partial states. */
struct pb_person {
	struct pb_fp key;
	int32_t start;
	uint32_t group;
	int rank;
	int mflags;
	int64_t value;     /* with values */
};
/* Visit every person, in a fixed order (by key). */
void pb_people_scan(const struct pb_people *pp,
		    void (*fn)(void *ctx, const struct pb_person *p),
		    void *ctx);

/* ---- disclosure control ------------------------------------------- */

enum pb_disclosure {
	PB_DISC_NHS = 0,  /* 1-7 -> *, others to the nearest 5 */
	PB_DISC_NONE
};
int pb_disclosure_parse(const char *s, enum pb_disclosure *d,
			struct pb_error *e);
const char *pb_disclosure_name(enum pb_disclosure d);
/* A count as published: returns 1 if suppressed, else 0 with *out. */
int pb_disc_count(enum pb_disclosure d, int64_t n, int64_t *out);
/* Is a mean, median or total over n people suppressed (1 to 7)? */
int pb_disc_stat(enum pb_disclosure d, int64_t n);
/* The note saying which rule was applied. */
const char *pb_disc_note(enum pb_disclosure d);

/*
 * Secondary suppression.  A set of counts and the sums that hold among
 * them (a total row is the sum of its groups; personal_budget is
 * direct_payment + managed).  pb_disc_secondary suppresses more cells
 * until no sum has exactly one suppressed cell: then no suppressed cell
 * can be worked out from a total.  For a sum that needs one, it takes a
 * part rather than the total: the part in the most other sums that
 * need one too, then the smallest non-zero, then the lowest index.
 * Deterministic.  Returns the number of cells it suppressed.
 */
struct pb_disc_sums {
	size_t ncell;
	const int64_t *value;     /* true counts, ncell of them */
	unsigned char *supp;      /* in: suppressed; out: 1 primary, 2 more */
	size_t nsum;
	const size_t *total;      /* nsum: the total cell of each sum */
	const size_t *start;      /* nsum + 1: parts of sum i are */
	const size_t *parts;      /*   parts[start[i] .. start[i+1]) */
};
size_t pb_disc_secondary(struct pb_disc_sums *s);

/* ---- quantiles ---------------------------------------------------- */

/*
 * A mergeable quantile sketch of non-negative whole numbers (pence,
 * days).  Up to PB_QS_EXACT values are kept as they are, so the
 * quantiles of a small group are exact.  Beyond that, values below 256
 * are counted exactly and larger ones in buckets 1/128 of a power of
 * two wide, so a quantile is reported within 1/256 (0.39%) of the true
 * value at its rank.  Merging keeps values or adds counts: the result
 * is the same, bit for bit, however the values were split.  Memory:
 * 8 bytes per bucket between the smallest and largest value's (at most
 * about 1,300 for weekly costs from £1 to £10,000), or per value kept.
 */
#define PB_QS_SUB 7
#define PB_QS_EXACT 64
struct pb_qsketch {
	int64_t n;
	int64_t min, max;
	uint64_t sum_hi, sum_lo;   /* the exact sum, 128 bits */
	int bucketed;              /* counts in buckets, not values */
	int64_t *val;              /* !bucketed: the n values */
	uint32_t lo;               /* index of cnt[0] */
	uint32_t nb;               /* buckets held */
	int64_t *cnt;
};
void pb_qs_init(struct pb_qsketch *q);
void pb_qs_fini(struct pb_qsketch *q);
/* Add v (>= 0) k times. */
void pb_qs_add(struct pb_qsketch *q, int64_t v, int64_t k);
/* Count in buckets from now on (a partial state's bucketed sketch). */
void pb_qs_bucket(struct pb_qsketch *q);
void pb_qs_merge(struct pb_qsketch *q, const struct pb_qsketch *other);
/* Bucket of v and the value a bucket reports (its middle, rounded down). */
uint32_t pb_qs_index(int64_t v);
int64_t pb_qs_value(uint32_t index);
/*
 * The quantile num/den (0 < num/den <= 1) by the nearest-rank rule: the
 * value at rank ceil(n * num / den), within 0.39%, clamped to the
 * smallest and largest values added (which are exact: ranks 1 and n
 * give them).  Returns 0 with *out, or -1 when the sketch is empty.
 */
int pb_qs_quantile(const struct pb_qsketch *q, int64_t num, int64_t den,
		   int64_t *out);
/* The mean, rounded half up: exact.  -1 when empty. */
int pb_qs_mean(const struct pb_qsketch *q, int64_t *out);

/* ---- grouping: --by ------------------------------------------------ */

/*
 * Group columns: any input column (its value as written), a code column
 * (primary_support_reason, support_setting, client_type, and
 * delivery_mechanism where allowed) by its canonical code, or the
 * derived age_band (18-64, 65+) and age_band_fine.  A key is the values
 * back to back, each followed by a NUL byte.
 */
#define PB_MAX_BY 64
enum {
	PB_BY_NO_MECH = 1   /* delivery_mechanism cannot be a group */
};
struct pb_groupby;
struct pb_groupby *pb_groupby_new(const char *const *names, size_t n,
				  int flags, const char *why,
				  struct pb_error *e);
void pb_groupby_free(struct pb_groupby *g);
size_t pb_groupby_count(const struct pb_groupby *g);
const char *pb_groupby_name(const struct pb_groupby *g, size_t i);
/* Does a group column come from the age (so the key depends on the day)? */
int pb_groupby_uses_age(const struct pb_groupby *g);
/* Find the group columns in a header (-PB_EUSAGE "--by: ..."). */
int pb_groupby_bind(struct pb_groupby *g, const struct pb_header *h,
		    const struct pb_map *m, int lenient, struct pb_error *e);
/* The key of a row of export x whose age band on the day is band
 * (-PB_EDATA: an age_band too coarse for age_band_fine). */
int pb_groupby_key(const struct pb_groupby *g, const struct pb_record *rec,
		   const struct pb_export *x, const struct pb_export_row *row,
		   enum pb_age band, struct pb_buf *key, struct pb_error *e);
/* Byte order of two interned keys (tuple order). */
int pb_group_cmp(const struct pb_strmap *groups, size_t a, size_t b);
/* Group ids 0..n-1 sorted by key; caller frees. */
size_t *pb_groups_sorted(const struct pb_strmap *groups);

/* ---- the report table ------------------------------------------- */

enum pb_rcol_kind {
	PB_RC_TEXT,     /* group values, as_of, a step's name... */
	PB_RC_COUNT,    /* a count of people: the disclosure rule applies */
	PB_RC_PCT,      /* 100 * count a / count b of the row, published */
	PB_RC_MONEY,    /* pence; suppressed when count a is 1 to 7 */
	PB_RC_NUM,      /* a whole number (days), guarded like money */
	PB_RC_TARGET,   /* the --target, the same in every row */
	PB_RC_MEETS     /* yes / no: PCT column a >= the target */
};
enum {
	PB_RC_HIDDEN = 1  /* a count that guards others but is not printed */
};
struct pb_rcol {
	const char *name;
	enum pb_rcol_kind kind;
	int a, b;
	int flags;
};

struct pb_rtab;
struct pb_rtab *pb_rtab_new(const struct pb_rcol *cols, size_t ncol,
			    enum pb_disclosure d, int64_t target);
void pb_rtab_free(struct pb_rtab *t);
const struct pb_rcol *pb_rtab_col(const struct pb_rtab *t, size_t c);
/* In every row, count column total = the sum of the parts columns. */
void pb_rtab_sum(struct pb_rtab *t, int total, const int *parts,
		 size_t nparts);
/*
 * A new row, returned by index.  Rows of one slice (a day, a mechanism,
 * a step) whose total flag is set are the sum of the slice's other rows.
 */
size_t pb_rtab_row(struct pb_rtab *t, uint32_t slice, int total);
void pb_rtab_text(struct pb_rtab *t, size_t row, int col, const char *s,
		  size_t len);
/* A value (count, pence, number); a cell never given one is empty. */
void pb_rtab_set(struct pb_rtab *t, size_t row, int col, int64_t v);
/* Two cells hold the same figure (a group's people, repeated in each
 * category's row): one is suppressed whenever the other is. */
void pb_rtab_same(struct pb_rtab *t, size_t r1, int c1, size_t r2, int c2);
/* Apply the disclosure rule, secondary suppression and percentages. */
void pb_rtab_finish(struct pb_rtab *t);
/* Cells the secondary rule suppressed (after finish). */
size_t pb_rtab_secondary(const struct pb_rtab *t);
size_t pb_rtab_nrow(const struct pb_rtab *t);
int pb_rtab_is_total(const struct pb_rtab *t, size_t row);
/* A published cell (after finish) as the writer takes it. */
struct pb_cell pb_rtab_cell(const struct pb_rtab *t, size_t row, int col);
/* Title (md, table, svg) and notes under the table (table, md, svg). */
void pb_rtab_title(struct pb_rtab *t, const char *title);
const char *pb_rtab_get_title(const struct pb_rtab *t);
void pb_rtab_note(struct pb_rtab *t, const char *note);
size_t pb_rtab_nnote(const struct pb_rtab *t);
const char *pb_rtab_get_note(const struct pb_rtab *t, size_t i);
/* Write through a writer (csv, json, table, md). */
int pb_rtab_write(const struct pb_rtab *t, struct pb_writer *w,
		  struct pb_error *e);

/* ---- charts -------------------------------------------------------- */

enum pb_chart_kind {
	PB_CHART_BARS,    /* a horizontal bar per row of one column */
	PB_CHART_STACK,   /* a horizontal bar per row of stacked shares */
	PB_CHART_LINES    /* a line per group over the days of column x */
};
#define PB_CHART_MAX 8
struct pb_chart {
	enum pb_chart_kind kind;
	const char *title;
	const char *subtitle;        /* the day or period, the rule */
	const char *axis;            /* the value axis' label */
	int label[PB_CHART_MAX];     /* text columns naming a bar or line */
	size_t nlabel;
	int value;                   /* BARS, LINES: the column plotted */
	int stack[PB_CHART_MAX];     /* STACK: PCT columns, summing to 100 */
	size_t nstack;
	int x;                       /* LINES: the date column */
	int target;                  /* a target line (tenths), or -1 */
};
/* A self-contained SVG document of the table's published figures. */
int pb_svg_chart(FILE *fp, const struct pb_rtab *t,
		 const struct pb_chart *c, struct pb_error *e);

/* ---- the reports --------------------------------------------------- */

enum pb_report_kind {
	PB_R_TAKEUP, PB_R_TREND, PB_R_MIX, PB_R_COST, PB_R_FUNNEL,
	PB_R_OUTCOMES, PB_R_SPEND,
	PB_R_NKIND
};
enum pb_every {
	PB_EVERY_MONTH, PB_EVERY_QUARTER, PB_EVERY_YEAR
};
/* "takeup" ... "spend"; NULL for none. */
const char *pb_report_name(enum pb_report_kind k);
int pb_report_kind_parse(const char *s, enum pb_report_kind *k);
int pb_every_parse(const char *s, enum pb_every *ev, struct pb_error *e);
const char *pb_every_name(enum pb_every ev);
/* The period ends from from to to (both inclusive); caller frees.
 * -PB_EUSAGE with e filled when there are none or too many. */
int pb_period_ends(int32_t from, int32_t to, enum pb_every ev,
		   int32_t **out, size_t *n, struct pb_error *e);

#define PB_MAX_DAYS 1200

struct pb_report_opts {
	enum pb_report_kind kind;
	int32_t as_of;           /* takeup, mix, cost; age bands */
	int has_from, has_to;
	int32_t from, to;        /* trend's range; a filter elsewhere */
	enum pb_every every;     /* trend */
	const char *const *by;   /* group columns (at most PB_MAX_BY) */
	size_t nby;
	int assume_unique;       /* one row per person */
	int carers;              /* count carers instead of service users */
	int total;               /* add the all-groups rows */
	int has_target;
	int64_t target;          /* tenths of a percent */
	enum pb_disclosure disclosure;
	const struct pb_map *map;
	enum pb_format format;   /* recorded in a partial state */
};

struct pb_report;
/* NULL with e filled (-PB_EUSAGE) when the options cannot work. */
struct pb_report *pb_report_new(const struct pb_report_opts *o,
				struct pb_error *e);
void pb_report_free(struct pb_report *r);
const struct pb_report_opts *pb_report_opts(const struct pb_report *r);
/* Does the report read a people export (--people) before its input? */
int pb_report_wants_people(const struct pb_report *r);
/* The people export (outcomes, spend): bind each header, add each row. */
int pb_report_people_bind(struct pb_report *r, const struct pb_header *h,
			  int lenient, struct pb_error *e);
int pb_report_people_add(struct pb_report *r, const struct pb_record *rec,
			 struct pb_error *e);
/* The main input: bind each header (-PB_EUSAGE if unusable), add each
 * record (0 used or left out, -PB_EDATA rejected). */
int pb_report_bind(struct pb_report *r, const struct pb_header *h,
		   int lenient, struct pb_error *e);
int pb_report_add(struct pb_report *r, const struct pb_record *rec,
		  struct pb_error *e);
/* The run's own counts (pb_run's), for the summary and partial states:
 * of the main input, and of the --people export. */
void pb_report_input(struct pb_report *r, long read, long rejected,
		     int status);
void pb_report_people_input(struct pb_report *r, long read, long rejected);
/* The worst status of the run (or, merged, of the partial runs). */
int pb_report_status(const struct pb_report *r);
/* The final table (disclosure applied); the report keeps it. */
struct pb_rtab *pb_report_table(struct pb_report *r);
/* How the table is drawn as SVG. */
void pb_report_chart(struct pb_report *r, struct pb_chart *c);
/* Write the table in the format of the options (any, svg included). */
int pb_report_print(struct pb_report *r, FILE *fp, struct pb_error *e);
/* One line for stderr: rows read, used and left out. */
void pb_report_summary(struct pb_report *r, char *buf, size_t n);

/*
 * Partial states (--partial, pb-report merge).  A state is text: a
 * header line, the options that shape the counting, the counts for the
 * summary, then the report's groups and its per-person or per-group
 * state, then "end".  Any number of states, from one file or several,
 * merge into the report one run over all their input would print.
 */
int pb_report_save(struct pb_report *r, FILE *fp, struct pb_error *e);

struct pb_merge;
struct pb_merge *pb_merge_new(void);
void pb_merge_free(struct pb_merge *m);
/*
 * Read every state in a file ("-" is standard input).  -PB_EIO if it
 * cannot be read, -PB_EUSAGE for a state that is not one or does not
 * match the others (different report or options), with FILE:LINE.
 */
int pb_merge_file(struct pb_merge *m, const char *path, struct pb_error *e);
/* The merged report (NULL if no state was read), its opts adjustable
 * for output: format, disclosure, total, target. */
struct pb_report *pb_merge_report(struct pb_merge *m);
struct pb_report_opts *pb_merge_opts(struct pb_merge *m);
long pb_merge_count(const struct pb_merge *m);

#endif /* PB_REPORT_H */
