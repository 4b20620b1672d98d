/*
 * pb.h - libpb, the shared core of the pb tools.
 *
 * Rules of the house (read these before using anything below):
 *
 *  - Every public name starts with pb_ (functions, structs) or PB_ (macros,
 *    enum constants).  No typedefs: write `struct pb_reader *`.
 *  - libpb never prints to stderr and never exits.  A function that can fail
 *    returns 0 (or a count/flag >= 0) on success and a negative status
 *    (-PB_EDATA, -PB_EUSAGE, -PB_EIO) on failure, and fills the
 *    caller-owned `struct pb_error *` it was given (which may be NULL; its
 *    contents are unspecified on success).  Only cmd/ chooses exit codes and
 *    prints, through pb_error_print() on the FILE * it passes in.
 *    The one exception is running out of memory: pb_xmalloc() and friends
 *    abort the process with a message, as jq, sbase and signify do.
 *  - Lifecycles: pb_x_new()/pb_x_free() for heap objects; pb_x_init()/
 *    pb_x_fini() for structs the caller allocates.
 *  - Strings handed out by a record (field values, the header) are
 *    borrowed: they stay valid until the next call that reads a record.
 *  - Money is int64_t pence.  Dates are int32_t days since 1970-01-01.
 *    Percentages are int64_t tenths of a percent.  No floating point
 *    anywhere money or a published figure is computed.
 */
#ifndef PB_H
#define PB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PB_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status codes: also the exit statuses of every tool.                */
/* ------------------------------------------------------------------ */

enum pb_status {
	PB_OK = 0,      /* success */
	PB_EDATA = 1,   /* input rejected, or a check found something */
	PB_EUSAGE = 2,  /* bad options or configuration */
	PB_EIO = 3      /* cannot open, read or write; out of resources */
};

#define PB_ERROR_TEXT 256
#define PB_ERROR_FIELD 64
#define PB_ERROR_FILE 256

struct pb_error {
	int code;                    /* enum pb_status */
	char file[PB_ERROR_FILE];    /* input or config file, "" if none */
	long line;                   /* 1-based physical line, 0 if none */
	char field[PB_ERROR_FIELD];  /* column name, "" if none */
	char key[PB_ERROR_FIELD];    /* JSON key path (pbjson.h), "" if none */
	char text[PB_ERROR_TEXT];    /* message: lowercase, no final stop */
};

/* Clear *e (NULL is fine). */
void pb_error_clear(struct pb_error *e);
/* Set code and message; keeps file/line/field.  Returns -code. */
int pb_error_set(struct pb_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Put prefix before the message ("--by: " + text), keeping the code. */
void pb_error_prefix(struct pb_error *e, const char *prefix);
/* Set file, line and field (any may be NULL/0 to leave unchanged). */
void pb_error_at(struct pb_error *e, const char *file, long line,
		 const char *field);
/*
 * Quote a value for a message: at most 60 bytes, control characters
 * escaped, always NUL-terminated.  Writes into buf of size n.
 */
const char *pb_quote(char *buf, size_t n, const char *s, size_t len);
/* The name a file goes by in messages: "<stdin>" for "-". */
const char *pb_path_label(const char *path);
/* Set the JSON key path (NULL or "" clears it). */
void pb_error_key(struct pb_error *e, const char *path);
/*
 * Format an error as one line:  PROG: FILE:LINE: column 'NAME': TEXT
 * or, for a JSON document, PROG: FILE:LINE: KEY.PATH: TEXT (the parts
 * that are empty are left out) into buf, and return buf.
 */
char *pb_error_format(char *buf, size_t n, const char *prog,
		      const struct pb_error *e);
/* Write the formatted error and a newline to fp. */
void pb_error_print(FILE *fp, const char *prog, const struct pb_error *e);

/* ------------------------------------------------------------------ */
/* Memory: the only functions that may end the process.               */
/* ------------------------------------------------------------------ */

void *pb_xmalloc(size_t n);
void *pb_xcalloc(size_t n, size_t size);
void *pb_xrealloc(void *p, size_t n);
/*
 * Rows of `row` bytes each, one per group: make row i exist.  *n rows
 * grow (doubling, from 16) past i, the new ones zeroed; returns the
 * array, moved or not, and in *first (if not NULL) the first new row.
 */
void *pb_grow_rows(void *p, size_t *n, size_t i, size_t row, size_t *first);
char *pb_xstrdup(const char *s);
char *pb_xstrndup(const char *s, size_t n);

/* A growable byte buffer; buf is always NUL-terminated when len > 0. */
struct pb_buf {
	char *s;
	size_t len;
	size_t cap;
};
void pb_buf_init(struct pb_buf *b);
void pb_buf_fini(struct pb_buf *b);
void pb_buf_reserve(struct pb_buf *b, size_t extra);
void pb_buf_add(struct pb_buf *b, const void *p, size_t n);
void pb_buf_addc(struct pb_buf *b, char c);
void pb_buf_adds(struct pb_buf *b, const char *s);
void pb_buf_printf(struct pb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void pb_buf_reset(struct pb_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* Numbers, money, percentages                                        */
/* ------------------------------------------------------------------ */

/*
 * Largest absolute money value accepted: 90,000,000,000,000 pounds.
 * Sums of up to 100,000 such values still fit in int64_t.
 */
#define PB_MONEY_MAX INT64_C(9000000000000000)

/*
 * Parse a whole-number string into [min, max].  Returns 0, or -PB_EDATA
 * with a message ("not a whole number", "too small", "too large").
 */
int pb_strtonum(const char *s, size_t len, int64_t min, int64_t max,
		int64_t *out, struct pb_error *e);

/*
 * Parse money into pence.  Accepts an optional '-' and an optional '£'
 * (either order), digits with optional comma thousands separators in
 * groups of three, and up to two decimals: 1234.56  £1,234.56  1,234
 * -12.5  0.05  12  -£3  Surrounding spaces are ignored.  Rejects more
 * than two decimals, a point with no digit on either side (12.  .5),
 * exponents, stray characters and anything beyond PB_MONEY_MAX, with a
 * message that says why (the value quoted).
 */
int pb_money_parse(const char *s, size_t len, int64_t *pence,
		   struct pb_error *e);

enum pb_money_style {
	PB_MONEY_PLAIN,   /* 1234.56, -12.50 */
	PB_MONEY_DISPLAY  /* £1,234.56, -£12.50 */
};
#define PB_MONEY_BUFSZ 40
/* Format pence into buf (at least PB_MONEY_BUFSZ bytes); returns buf. */
char *pb_money_format(char *buf, int64_t pence, enum pb_money_style style);

/* Checked arithmetic: return 0, or -PB_EDATA on overflow. */
int pb_add_checked(int64_t a, int64_t b, int64_t *out);
int pb_mul_checked(int64_t a, int64_t b, int64_t *out);

/*
 * Round a to a multiple of step (> 0), halves away from zero
 * (so half up for the non-negative amounts money rules deal in).
 */
int64_t pb_round_to(int64_t a, int64_t step);
/*
 * a * b / c rounded half away from zero, computed exactly in 128 bits.
 * c must not be 0.  Returns 0, or -PB_EDATA if the result overflows.
 */
int pb_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out);

/*
 * Percentage in tenths: 1000 * num / den rounded half up (num, den >= 0,
 * den > 0), exactly as ASCOF publishes (45.25 -> 45.3).
 */
int64_t pb_pct_tenths(int64_t num, int64_t den);
/* Format tenths as "45.3" (or "-0.5"); buf at least 32 bytes. */
char *pb_tenths_format(char *buf, int64_t tenths);
/* Parse a percentage with at most one decimal ("70", "72.5") to tenths. */
int pb_tenths_parse(const char *s, size_t len, int64_t min, int64_t max,
		    int64_t *out, struct pb_error *e);

/* ------------------------------------------------------------------ */
/* Dates: int32_t days since 1970-01-01, proleptic Gregorian.          */
/* ------------------------------------------------------------------ */

#define PB_DATE_MIN_YEAR 1000
#define PB_DATE_MAX_YEAR 9999

/*
 * Parse YYYY-MM-DD or DD/MM/YYYY (surrounding spaces ignored).  Real
 * calendar: 29/02/2023 and 2026-04-31 are errors, with the reason.
 */
int pb_date_parse(const char *s, size_t len, int32_t *day,
		  struct pb_error *e);
/* Build from parts; returns -PB_EDATA if not a real date. */
int pb_date_from_ymd(int y, int m, int d, int32_t *day);
void pb_date_to_ymd(int32_t day, int *y, int *m, int *d);
#define PB_DATE_BUFSZ 16
/* YYYY-MM-DD into buf (at least PB_DATE_BUFSZ bytes); returns buf. */
char *pb_date_format(char *buf, int32_t day);
int pb_date_is_leap(int y);
int pb_date_days_in_month(int y, int m);
/* Add n months; the day is clamped to the month's end (31 Jan + 1 = 28/29 Feb). */
int32_t pb_date_add_months(int32_t day, int months);
/* Last day of the month, calendar quarter, or financial year (31 March). */
int32_t pb_date_month_end(int32_t day);
int32_t pb_date_quarter_end(int32_t day);
int32_t pb_date_fy_end(int32_t day);
/* Whole years of age on `on` for someone born on `birth`, as the national
 * Client Level Data code does: floor(days / 365.25).  Negative if born
 * after `on`. */
int pb_age_years(int32_t birth, int32_t on);
/* Today's date in local time. */
int32_t pb_date_today(void);

/* ------------------------------------------------------------------ */
/* Records: one reader for CSV (libcsv) and JSON Lines (jansson).      */
/* ------------------------------------------------------------------ */

enum pb_informat {
	PB_IN_AUTO = 0,  /* from the first non-blank byte: '{' is JSON Lines */
	PB_IN_CSV,
	PB_IN_JSON
};

/* How a field's value was written (JSON keeps its types). */
enum pb_kind {
	PB_KIND_STR = 0,  /* CSV field or JSON string */
	PB_KIND_INT,      /* JSON integer (text is its decimal form) */
	PB_KIND_REAL,     /* JSON number with a fraction or exponent */
	PB_KIND_BOOL,     /* JSON true/false (text "true"/"false") */
	PB_KIND_NULL,     /* JSON null (text "") */
	PB_KIND_ABSENT    /* key not present in this JSON record (text "") */
};

/* The column names of the current input; grows for JSON Lines as new
 * keys appear (existing indexes never change). */
struct pb_header {
	size_t n;
	char **name;         /* as written in the input */
	char **norm;         /* normalised: lower case, '_' for ' ' */
	unsigned long gen;   /* changes whenever names are added or replaced */
};

struct pb_record {
	const struct pb_header *hdr;
	size_t n;               /* hdr->n (more only in a record rejected
				   for having too many fields) */
	const char **val;       /* NUL-terminated values, n of them */
	const size_t *len;      /* their lengths */
	const unsigned char *kind; /* enum pb_kind per value */
	const char *file;       /* "<stdin>" for standard input */
	long line;              /* physical line where the record starts */
};

struct pb_reader;

/*
 * Open a reader over a list of files ("-" is standard input; an empty
 * list means standard input).  Each file has its own header.
 */
struct pb_reader *pb_reader_new(char *const *files, size_t nfiles,
				enum pb_informat fmt);
void pb_reader_free(struct pb_reader *r);
/* Chunk size for reads (tests sweep it); default 64 KiB. */
void pb_reader_set_chunk(struct pb_reader *r, size_t chunk);

/*
 * Read the next record.  Returns:
 *   1          a record in *rec (borrowed until the next call);
 *   0          end of all input;
 *  -PB_EDATA   this record was rejected (malformed CSV or JSON, wrong
 *              number of fields, NUL byte...): e says where and why, *rec
 *              holds what could be read of it (for --rejects); reading
 *              may continue;
 *  -PB_EIO     a file could not be opened or read: e says which; that
 *              file is skipped and reading may continue with the next.
 * A file whose header cannot be read (duplicate names, malformed) gives
 * -PB_EUSAGE; reading may continue with the next file.
 */
int pb_reader_next(struct pb_reader *r, struct pb_record **rec,
		   struct pb_error *e);
/*
 * With on set, pb_reader_next also returns 2 for each CSV header as it
 * is read (*rec: the header, with every value empty), so a caller can
 * check the columns of a file that has no records.
 */
void pb_reader_header_events(struct pb_reader *r, int on);
/* Good records returned so far. */
long pb_reader_count(const struct pb_reader *r);
/* The current file's name ("<stdin>") and format. */
const char *pb_reader_file(const struct pb_reader *r);
enum pb_informat pb_reader_format(const struct pb_reader *r);

/* Normalise a column name into buf: lower case, trimmed, each run of
 * spaces and underscores one '_' ("Delivery  Mechanism" = delivery_mechanism). */
char *pb_colname_norm(char *buf, size_t n, const char *name);

/* ------------------------------------------------------------------ */
/* Column binding with --map                                          */
/* ------------------------------------------------------------------ */

/* --map canonical=Their Column,... parsed once. */
struct pb_map;
struct pb_map *pb_map_parse(const char *spec, struct pb_error *e);
void pb_map_free(struct pb_map *m);
/* The input name the map gives a canonical name, or NULL. */
const char *pb_map_lookup(const struct pb_map *m, const char *canonical);
/*
 * After a tool has bound its columns (pb_bind looks every name up): a
 * map entry it never asked for is a mistake, most often a misspelling:
 * -PB_EUSAGE naming it.
 */
int pb_map_check_used(const struct pb_map *m, struct pb_error *e);

enum {
	PB_COL_OPTIONAL = 0,
	PB_COL_REQUIRED = 1
};

struct pb_colspec {
	const char *name;  /* canonical name */
	int flags;         /* PB_COL_* */
};

/*
 * Find each wanted column in a header (through the map, case- and
 * space/underscore-insensitive).  idx[i] is the column index or -1.
 * A missing required column is -PB_EUSAGE, naming it and listing the
 * columns found; a mapped name that is missing likewise.  For JSON input
 * (lenient != 0) a missing required column is left at -1: each record
 * is then checked on its own.
 */
int pb_bind(const struct pb_header *h, const struct pb_map *m,
	    const struct pb_colspec *spec, size_t n, int *idx, int lenient,
	    struct pb_error *e);

/* The value of column idx in rec, or "" when idx < 0 or absent. */
static inline const char *pb_rec_get(const struct pb_record *rec, int idx,
				     size_t *len)
{
	if (idx < 0 || (size_t)idx >= rec->n) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = rec->len[idx];
	return rec->val[idx];
}

/*
 * Typed fields.  Each reads column idx of rec (idx < 0: the column is not
 * in this input) and returns 1 with the value, 0 when the field is empty
 * or absent (the value untouched), or -PB_EDATA with e naming the column
 * as the input names it and quoting the value.  pb_field_req returns 1
 * when the field has a value and -PB_EDATA otherwise ("empty value", or
 * "no 'name' in this record" for JSON without the key).  Money in JSON
 * input must be a string or a whole number of pounds: a JSON number with
 * a fraction cannot be read exactly and is rejected.
 */
int pb_field_money(const struct pb_record *rec, int idx, int64_t *pence,
		   struct pb_error *e);
int pb_field_date(const struct pb_record *rec, int idx, int32_t *day,
		  struct pb_error *e);
int pb_field_int(const struct pb_record *rec, int idx, int64_t min,
		 int64_t max, int64_t *out, struct pb_error *e);
/* Percentage with at most one decimal, as tenths in [min, max]. */
int pb_field_tenths(const struct pb_record *rec, int idx, int64_t min,
		    int64_t max, int64_t *out, struct pb_error *e);
int pb_field_req(const struct pb_record *rec, int idx, const char *name,
		 struct pb_error *e);
/* Name column idx of rec in e (the input's own name); returns -PB_EDATA. */
int pb_field_blame(const struct pb_record *rec, int idx, struct pb_error *e);

/* ------------------------------------------------------------------ */
/* Writers: CSV, JSON Lines, aligned table, Markdown                   */
/* ------------------------------------------------------------------ */

enum pb_format {
	PB_FMT_CSV = 0,
	PB_FMT_JSON,
	PB_FMT_TABLE,
	PB_FMT_MD,
	PB_FMT_SVG       /* a chart: pb-report draws it (report.h), not
			    pb_writer, which writes nothing in this format */
};

enum pb_cell_kind {
	PB_CELL_EMPTY = 0,   /* "" in CSV/table, null in JSON */
	PB_CELL_TEXT,        /* a string */
	PB_CELL_NUMTEXT,     /* a number already as text: unquoted in JSON */
	PB_CELL_INT,         /* v: a count */
	PB_CELL_MONEY,       /* v: pence */
	PB_CELL_PCT,         /* v: tenths of a percent */
	PB_CELL_SUPPRESSED   /* "*" in CSV/table/md, null in JSON */
};

struct pb_cell {
	enum pb_cell_kind kind;
	const char *s;   /* PB_CELL_TEXT, PB_CELL_NUMTEXT */
	size_t len;      /* length of s (0: use strlen) */
	int64_t v;       /* INT, MONEY, PCT */
};

struct pb_writer;

/*
 * A writer over fp.  CSV and JSON Lines stream; table and md hold the
 * rows they are given until pb_writer_end (a report's rows, one per
 * group), to align the columns.
 */
struct pb_writer *pb_writer_new(FILE *fp, enum pb_format fmt);
/* Free without writing anything more. */
void pb_writer_free(struct pb_writer *w);
/* A title line (md only) and notes printed under a table or md. */
void pb_writer_title(struct pb_writer *w, const char *title);
void pb_writer_note(struct pb_writer *w, const char *note);
/* Column names; call once before the first row. */
int pb_writer_header(struct pb_writer *w, const char *const *names,
		     size_t n, struct pb_error *e);
int pb_writer_row(struct pb_writer *w, const struct pb_cell *cells,
		  struct pb_error *e);
/* Flush (table/md write everything here); returns -PB_EIO on write error. */
int pb_writer_end(struct pb_writer *w, struct pb_error *e);

/* Parse "csv|json|table|md" (and "jsonl"). */
int pb_format_parse(const char *s, enum pb_format *out, struct pb_error *e);
/* The same, and "svg", for a tool that draws charts. */
int pb_format_parse_chart(const char *s, enum pb_format *out,
			  struct pb_error *e);
int pb_informat_parse(const char *s, enum pb_informat *out,
		      struct pb_error *e);

/* Write one CSV field, quoting only where needed (, " CR LF, or a
 * leading U+FEFF, which unquoted would read as a byte order mark). */
int pb_csv_field(FILE *fp, const char *s, size_t len);
/* Write a JSON string literal with escapes. */
int pb_json_string(FILE *fp, const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Rejects: --rejects FILE                                            */
/* ------------------------------------------------------------------ */

/*
 * Rejected records, written as CSV with the input's columns (the union
 * over all headers, in first-seen order) plus reject_reason, which
 * starts with FILE:LINE:.  The file is created with mode 0600.  Rows are
 * spooled to an unlinked temporary file and the final file is written
 * by pb_rejects_close, so memory holds only the column names.
 */
struct pb_rejects;
struct pb_rejects *pb_rejects_open(const char *path, struct pb_error *e);
int pb_rejects_add(struct pb_rejects *rj, const struct pb_record *rec,
		   const struct pb_error *why, struct pb_error *e);
long pb_rejects_count(const struct pb_rejects *rj);
/* Write the final file and free; returns -PB_EIO on failure. */
int pb_rejects_close(struct pb_rejects *rj, struct pb_error *e);

/* Create (or truncate) a file with mode 0600 for writing. */
FILE *pb_create_private(const char *path, struct pb_error *e);

/*
 * Flush, check and close a stream (stdout at the end of main):
 * returns 0 or -PB_EIO with "write error: <strerror>".
 */
int pb_fshut(FILE *fp, const char *name, struct pb_error *e);

/* ------------------------------------------------------------------ */
/* Interned strings: byte strings to dense ids 0, 1, 2...              */
/* ------------------------------------------------------------------ */

struct pb_strmap;
struct pb_strmap *pb_strmap_new(void);
void pb_strmap_free(struct pb_strmap *m);
/* The id of key, or -1. */
long pb_strmap_get(const struct pb_strmap *m, const char *key, size_t n);
/* The id of key, adding it (with the next id) if new; *added says which. */
size_t pb_strmap_intern(struct pb_strmap *m, const char *key, size_t n,
			int *added);
/* The key with this id (NUL-terminated, valid until the map is freed). */
const char *pb_strmap_key(const struct pb_strmap *m, size_t id, size_t *n);
size_t pb_strmap_count(const struct pb_strmap *m);

/* ------------------------------------------------------------------ */
/* Hashing (not cryptographic): 128-bit fingerprints for people.       */
/* ------------------------------------------------------------------ */

struct pb_fp {
	uint64_t hi, lo;
};
struct pb_fp pb_fingerprint(const void *p, size_t n);

/* pb_xcalloc for tables of millions of slots (mapped on their own, in
 * huge pages where the system has them); freed with pb_big_free, given
 * the same n and size. */
void *pb_big_calloc(size_t n, size_t size);
void pb_big_free(void *p, size_t n, size_t size);

/*
 * A table keyed by fingerprints (people, journeys, outcomes): entries
 * of esize bytes, each starting with its struct pb_fp key; open
 * addressing, at most 70% full; memory esize bytes a slot.  A key that
 * is all zero is stored as {0, 1}.  Entry pointers stay valid until the
 * next pb_fptab_get.
 */
struct pb_fptab {
	unsigned char *slot;
	size_t esize, nslot, count;
};
void pb_fptab_init(struct pb_fptab *t, size_t esize);
void pb_fptab_fini(struct pb_fptab *t);
/* The entry for key: *added says it is new (then all but its key is 0). */
void *pb_fptab_get(struct pb_fptab *t, struct pb_fp key, int *added);
/* The entry for key, or NULL. */
void *pb_fptab_find(const struct pb_fptab *t, struct pb_fp key);
/* Entries in slot order: for (i = 0; (x = pb_fptab_next(t, &i)); ) */
void *pb_fptab_next(const struct pb_fptab *t, size_t *i);
/* Every entry, sorted by key (an order that does not depend on the
 * input's): t->count pointers, to free. */
void **pb_fptab_sorted(const struct pb_fptab *t);
/* The key as stored (an all-zero fingerprint becomes {0, 1}). */
struct pb_fp pb_fptab_key(struct pb_fp fp);
uint64_t pb_hash64(const void *p, size_t n, uint64_t seed);

#endif /* PB_H */
