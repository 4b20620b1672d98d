/*
 * report.h - the person export (CONTRACTS.md §1), counting each person
 * once by the national hierarchy, disclosure control, and the reports
 * built on them.
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
	PB_MF_OTHER = 4     /* a community managed or commissioned row */
};
int pb_mech_flag(int setting, int mech);
/* The mechanism a person counts as, from the winning rank and flags. */
int pb_people_mech(int rank, int flags);

struct pb_people;
/* groups: the interned group keys, for the tie rule (keys sort first). */
struct pb_people *pb_people_new(const struct pb_strmap *groups);
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
size_t pb_people_count(const struct pb_people *pp);
/* Visit every person: rank, group and mechanism flags of the winner. */
void pb_people_each(const struct pb_people *pp,
		    void (*fn)(void *ctx, int rank, uint32_t group, int mflags),
		    void *ctx);

/* ---- disclosure control ------------------------------------------- */

enum pb_disclosure {
	PB_DISC_NHS = 0,  /* 1-7 -> *, others to the nearest 5 */
	PB_DISC_NONE
};
int pb_disclosure_parse(const char *s, enum pb_disclosure *d,
			struct pb_error *e);
/* A count as published: returns 1 if suppressed, else 0 with *out. */
int pb_disc_count(enum pb_disclosure d, int64_t n, int64_t *out);
/* The note saying which rule was applied. */
const char *pb_disc_note(enum pb_disclosure d);

/* ---- takeup (ASCOF 1C / 3D) ---------------------------------------- */

#define PB_TAKEUP_MAX_BY 64

struct pb_takeup_opts {
	int32_t as_of;
	const char *const *by;  /* group columns, canonical or derived */
				/* (at most PB_TAKEUP_MAX_BY) */
	size_t nby;
	int assume_unique;      /* one row per person: no person table */
	int carers;             /* count carers instead of service users */
	int total;              /* add the all-groups row */
	int has_target;
	int64_t target;         /* tenths of a percent */
	enum pb_disclosure disclosure;
	const struct pb_map *map;
};

struct pb_takeup;
/* NULL with e filled (-PB_EUSAGE) when the options cannot work. */
struct pb_takeup *pb_takeup_new(const struct pb_takeup_opts *o,
				struct pb_error *e);
void pb_takeup_free(struct pb_takeup *t);
/* The header changed: find the columns.  -PB_EUSAGE if unusable. */
int pb_takeup_bind(struct pb_takeup *t, const struct pb_header *h,
		   int lenient, struct pb_error *e);
/* One record: 0 if used (counted or left out), -PB_EDATA if rejected. */
int pb_takeup_add(struct pb_takeup *t, const struct pb_record *rec,
		  struct pb_error *e);
/* Write the table (header, a row per group, the total). */
int pb_takeup_write(struct pb_takeup *t, struct pb_writer *w,
		    struct pb_error *e);
/* One line for stderr: rows read, active, counted and left out. */
void pb_takeup_summary(const struct pb_takeup *t, long read, long rejected,
		       char *buf, size_t n);

#endif /* PB_REPORT_H */
