/*
 * anon.h - pseudonymising a record stream before it leaves the council
 * (pb-anon): keyed pseudonyms for identifiers, age bands for birth
 * dates, postcode districts for postcodes, direct identifiers dropped,
 * every other column passed through unchanged and in order.
 *
 * The key is read from a file that must be private to its owner, held
 * in locked memory that is left out of core dumps (libsodium's guarded
 * allocation), and wiped when freed.  HMAC-SHA256 is libsodium's.
 */
#ifndef PB_ANON_H
#define PB_ANON_H

#include "pb.h"

/* ---- the key -------------------------------------------------------- */

/* Fewest bytes a key may have; more than PB_ANON_KEY_MAX is refused
 * (a key file that large is most likely the wrong file). */
#define PB_ANON_KEY_MIN 32
#define PB_ANON_KEY_MAX 4096

/*
 * Make the process safer to hold a key: no core dumps (RLIMIT_CORE 0)
 * and not dumpable or traceable (PR_SET_DUMPABLE 0).  Also starts
 * libsodium.  Returns 0, or -PB_EIO with e filled.
 */
int pb_anon_protect(struct pb_error *e);

struct pb_anon_key;

/*
 * Read a key file.  The key is the file's bytes, less one final
 * newline (LF or CR LF) if there is one.  Refused with -PB_EUSAGE: a
 * file that is not a regular file, whose mode gives group or others any
 * access (as ssh refuses a private key), or whose key is shorter than
 * PB_ANON_KEY_MIN or longer than PB_ANON_KEY_MAX bytes.  -PB_EIO: it
 * cannot be opened or read.  NULL with e filled (file named) on failure.
 */
struct pb_anon_key *pb_anon_key_load(const char *path, struct pb_error *e);
/* Wipe and free (NULL is fine). */
void pb_anon_key_free(struct pb_anon_key *k);

/*
 * Create a new key file: 32 bytes from the system's random source,
 * written as 64 lower-case hex digits and a newline, mode 0600.  An
 * existing file (or symbolic link) is never overwritten: -PB_EUSAGE.
 * -PB_EIO if it cannot be created or written (nothing is left behind).
 */
int pb_anon_key_new(const char *path, struct pb_error *e);

/* The pseudonym: 'X' and the first 16 hex digits of HMAC-SHA256. */
#define PB_PSEUDONYM_LEN 17
#define PB_PSEUDONYM_BUFSZ 18
/* out gets PB_PSEUDONYM_LEN characters and a NUL. */
void pb_anon_pseudonym(struct pb_anon_key *k, const char *s, size_t len,
		       char *out);

/* HMAC-SHA256 of msg under key (any length), for the known-answer tests. */
#define PB_HMAC_SHA256_BYTES 32
int pb_hmac_sha256(const void *key, size_t keylen, const void *msg,
		   size_t len, unsigned char *out);

/* ---- values ----------------------------------------------------------- */

/*
 * The district (outward code) of a UK postcode: "sw1a 1aa", "SW1A1AA"
 * -> "SW1A".  A value that is already a district is kept ("M1" -> "M1").
 * Spaces anywhere are ignored and letters upper-cased.  Returns 1 with
 * the district in out (at least 8 bytes, NUL-terminated) and its length
 * in *outlen, 0 for an empty value, or -PB_EDATA "not a UK postcode
 * 'value'".
 */
#define PB_DISTRICT_BUFSZ 8
int pb_postcode_district(const char *s, size_t len, char *out,
			 size_t *outlen, struct pb_error *e);

enum pb_anon_bands {
	PB_BANDS_ASCOF = 0,   /* 0-17, 18-64, 65+ */
	PB_BANDS_FINE         /* 0-17, 18-24, 25-44, ... 95+ (DHSC) */
};
int pb_anon_bands_parse(const char *s, enum pb_anon_bands *out,
			struct pb_error *e);
/* The band of someone aged years (>= 0). */
const char *pb_anon_band_name(enum pb_anon_bands b, int years);

/* ---- a stream ----------------------------------------------------------- */

/* The output column names of the columns pb-anon makes. */
#define PB_ANON_BAND_COL "age_band"
#define PB_ANON_DISTRICT_COL "postcode_district"

struct pb_anon_opts {
	const char *const *ids;     /* columns to pseudonymise (>= 1) */
	size_t nids;
	const char *const *drop;    /* more columns to drop ("x*": prefix) */
	size_t ndrop;
	const char *const *keep;    /* columns never dropped ("x*": prefix) */
	size_t nkeep;
	const char *birth;          /* birth date column -> age band, or NULL */
	const char *postcode;       /* postcode column -> district, or NULL */
	int32_t as_of;              /* the day ages are taken on */
	enum pb_anon_bands bands;
	const struct pb_map *map;   /* for ids, birth and postcode */
	int format_given;           /* else the output follows the input */
	enum pb_format format;      /* PB_FMT_CSV or PB_FMT_JSON */
	struct pb_anon_key *key;    /* borrowed (or pb_anon_set_key) */
	FILE *out;
};

/* The names the default rules drop (normalised; "x*" is a prefix). */
extern const char *const pb_anon_default_drop[];

struct pb_anon;
/*
 * Check the options (a column named for two jobs, a bad pattern, a
 * format other than csv or json): NULL with -PB_EUSAGE in e.
 */
struct pb_anon *pb_anon_new(const struct pb_anon_opts *o,
			    struct pb_error *e);
void pb_anon_free(struct pb_anon *a);
/* The key to use (borrowed): options are checked before it is read. */
void pb_anon_set_key(struct pb_anon *a, struct pb_anon_key *k);

/*
 * A new header (a CSV file's, or JSON Lines' grown): decide what
 * happens to each column.  lenient for JSON Lines (columns may appear
 * later; a record without an id column is rejected on its own).
 * -PB_EUSAGE: a column named in --id-columns, --age-band-from,
 * --postcode-district or (CSV) --drop is missing, an output name is
 * already taken, or (CSV output) the columns differ from the header
 * already written.  For CSV input the CSV header is written here.
 * Columns that look like direct identifiers and pass through unchanged
 * are named, once each, in *warn (NULL if none; valid until the next
 * call).
 */
int pb_anon_bind(struct pb_anon *a, const struct pb_header *h, int lenient,
		 const char **warn, struct pb_error *e);
/*
 * Transform and write one record.  0 if written; -PB_EDATA with e
 * naming the column (the record is not written): a birth date or
 * postcode that cannot be read, a birth date after as_of, a JSON record
 * without an id column; -PB_EIO on a write error.
 */
int pb_anon_record(struct pb_anon *a, const struct pb_record *rec,
		   struct pb_error *e);
/*
 * At the end: a --drop name (not a pattern) never seen in any header is
 * -PB_EUSAGE, as it may be misspelt (CSV headers are checked as they
 * come; this catches JSON Lines, whose columns may come late).
 */
int pb_anon_finish(struct pb_anon *a, struct pb_error *e);
/* One line for stderr: what was done to which columns, and counts. */
void pb_anon_summary(const struct pb_anon *a, long rejected, char *buf,
		     size_t n);

#endif /* PB_ANON_H */
