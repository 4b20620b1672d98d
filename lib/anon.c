/*
 * anon.c - pseudonymising a record stream (pb-anon): the key file,
 * keyed pseudonyms (libsodium's HMAC-SHA256), postcode districts, age
 * bands, and the pass over each record.
 *
 * The key lives only in memory from sodium_malloc (guard pages, mlock,
 * left out of core dumps where the kernel allows), as the HMAC state
 * derived from it; the bytes read from the file are wiped as soon as
 * that state is made.  The process is made non-dumpable first.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anon.h"
#include "codes.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* The key                                                              */
/* ------------------------------------------------------------------ */

struct pb_anon_key {
	crypto_auth_hmacsha256_state base;  /* the key absorbed */
	crypto_auth_hmacsha256_state work;  /* one pseudonym's state */
};

static int start_sodium(struct pb_error *e)
{
	if (sodium_init() < 0)
		return pb_error_set(e, PB_EIO,
				    "cannot start libsodium (no random source?)");
	return 0;
}

int pb_anon_protect(struct pb_error *e)
{
	struct rlimit none = {0, 0};

	if (start_sodium(e) < 0)
		return -PB_EIO;
	if (setrlimit(RLIMIT_CORE, &none) < 0)
		return pb_error_set(e, PB_EIO, "cannot turn core dumps off: %s",
				    strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return pb_error_set(e, PB_EIO,
				    "cannot make the process undumpable: %s",
				    strerror(errno));
	return 0;
}

static int file_error(struct pb_error *e, const char *path, int code,
		      const char *fmt, const char *detail)
{
	pb_error_clear(e);
	pb_error_at(e, path, 0, NULL);
	return pb_error_set(e, code, fmt, detail);
}

struct pb_anon_key *pb_anon_key_load(const char *path, struct pb_error *e)
{
	struct pb_anon_key *k = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	size_t len = 0;
	char msg[160];
	int fd;

	if (start_sodium(e) < 0) {
		pb_error_at(e, path, 0, NULL);
		return NULL;
	}
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		file_error(e, path, PB_EIO, "cannot open key file: %s",
			   strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		file_error(e, path, PB_EIO, "cannot read key file: %s",
			   strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		file_error(e, path, PB_EUSAGE, "%s",
			   "key file is not a regular file");
		goto fail;
	}
	if (st.st_mode & 077) {
		snprintf(msg, sizeof msg, "%04o", (unsigned)(st.st_mode & 07777));
		file_error(e, path, PB_EUSAGE,
			   "key file mode %s is too open: group and others "
			   "must have no access (chmod 600 it)", msg);
		goto fail;
	}
	buf = sodium_malloc(PB_ANON_KEY_MAX + 3);
	if (!buf) {
		file_error(e, path, PB_EIO, "%s",
			   "cannot allocate locked memory for the key");
		goto fail;
	}
	/* Read at most 2 bytes past the largest key (a CR LF). */
	while (len < PB_ANON_KEY_MAX + 3) {
		ssize_t got = read(fd, buf + len, PB_ANON_KEY_MAX + 3 - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			file_error(e, path, PB_EIO, "cannot read key file: %s",
				   strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len && buf[len - 1] == '\n') {
		len--;
		if (len && buf[len - 1] == '\r')
			len--;
	}
	if (len > PB_ANON_KEY_MAX) {
		snprintf(msg, sizeof msg, "%d", PB_ANON_KEY_MAX);
		file_error(e, path, PB_EUSAGE,
			   "key file holds more than %s bytes: is it the "
			   "right file?", msg);
		goto fail;
	}
	if (len < PB_ANON_KEY_MIN) {
		snprintf(msg, sizeof msg,
			 "key file holds %zu bytes (a final newline not "
			 "counted); at least %d are needed", len,
			 PB_ANON_KEY_MIN);
		file_error(e, path, PB_EUSAGE, "%s", msg);
		goto fail;
	}
	k = sodium_malloc(sizeof *k);
	if (!k) {
		file_error(e, path, PB_EIO, "%s",
			   "cannot allocate locked memory for the key");
		goto fail;
	}
	crypto_auth_hmacsha256_init(&k->base, buf, len);
	sodium_free(buf);   /* wipes it */
	close(fd);
	return k;
fail:
	if (buf)
		sodium_free(buf);
	close(fd);
	return NULL;
}

void pb_anon_key_free(struct pb_anon_key *k)
{
	if (k)
		sodium_free(k);  /* wipes it */
}

int pb_anon_key_new(const char *path, struct pb_error *e)
{
	enum { RAW = 32, HEX = 2 * RAW + 1 };
	unsigned char *buf;
	size_t done = 0;
	int fd, err = 0;

	if (start_sodium(e) < 0) {
		pb_error_at(e, path, 0, NULL);
		return -PB_EIO;
	}
	/* O_EXCL: never an existing file, nor through a symbolic link. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0 && errno == EEXIST)
		return file_error(e, path, PB_EUSAGE, "%s",
				  "already exists: pb-anon never overwrites "
				  "a key (data pseudonymised with it could no "
				  "longer be linked)");
	if (fd < 0)
		return file_error(e, path, PB_EIO, "cannot create key file: %s",
				  strerror(errno));
	buf = sodium_malloc(RAW + HEX);
	if (!buf) {
		err = ENOMEM;
		goto fail;
	}
	randombytes_buf(buf, RAW);
	sodium_bin2hex((char *)buf + RAW, HEX, buf, RAW);
	buf[RAW + HEX - 1] = '\n';
	if (fchmod(fd, 0600) < 0) {
		err = errno;
		goto fail;
	}
	while (done < HEX) {
		ssize_t put = write(fd, buf + RAW + done, HEX - done);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			err = errno;
			goto fail;
		}
		done += (size_t)put;
	}
	if (fsync(fd) < 0) {
		err = errno;
		goto fail;
	}
	sodium_free(buf);
	buf = NULL;
	if (close(fd) < 0) {
		err = errno;
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	if (buf)
		sodium_free(buf);
	if (fd >= 0)
		close(fd);
	unlink(path);
	return file_error(e, path, PB_EIO, "cannot write key file: %s",
			  strerror(err ? err : EIO));
}

void pb_anon_pseudonym(struct pb_anon_key *k, const char *s, size_t len,
		       char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	int i;

	memcpy(&k->work, &k->base, sizeof k->work);
	crypto_auth_hmacsha256_update(&k->work, (const unsigned char *)s,
				      (unsigned long long)len);
	crypto_auth_hmacsha256_final(&k->work, mac);
	out[0] = 'X';
	for (i = 0; i < (PB_PSEUDONYM_LEN - 1) / 2; i++) {
		out[1 + 2 * i] = hex[mac[i] >> 4];
		out[2 + 2 * i] = hex[mac[i] & 15];
	}
	out[PB_PSEUDONYM_LEN] = '\0';
}

int pb_hmac_sha256(const void *key, size_t keylen, const void *msg,
		   size_t len, unsigned char *out)
{
	crypto_auth_hmacsha256_state st;

	if (sodium_init() < 0)
		return -PB_EIO;
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, (unsigned long long)len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

static int is_alpha(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Does s (n upper-case chars) match a template of 'A' (letter) and '9'? */
static int shape(const char *s, size_t n, const char *tpl)
{
	size_t i;

	if (strlen(tpl) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tpl[i] == 'A' ? !is_alpha(s[i]) : !is_digit(s[i]))
			return 0;
	return 1;
}

/* An outward code (a district): A9 A99 AA9 AA99 A9A AA9A, or GIR. */
static int outward(const char *s, size_t n)
{
	static const char *const tpl[] = {
		"A9", "A99", "AA9", "AA99", "A9A", "AA9A"
	};
	size_t i;

	if (n == 3 && memcmp(s, "GIR", 3) == 0)
		return 1;
	for (i = 0; i < N(tpl); i++)
		if (shape(s, n, tpl[i]))
			return 1;
	return 0;
}

int pb_postcode_district(const char *s, size_t len, char *out,
			 size_t *outlen, struct pb_error *e)
{
	char c[16], q[80];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == ' ' || ch == '\t')
			continue;
		if (n == sizeof c)
			goto bad;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		c[n++] = ch;
	}
	if (n == 0)
		return 0;
	/* A whole postcode: outward code, then digit letter letter. */
	if (n >= 5 && n <= 7 && shape(c + n - 3, 3, "9AA") &&
	    outward(c, n - 3)) {
		n -= 3;
	} else if (!(n >= 2 && n <= 4 && outward(c, n))) {
		goto bad;
	}
	memcpy(out, c, n);
	out[n] = '\0';
	*outlen = n;
	return 1;
bad:
	return pb_error_set(e, PB_EDATA, "not a UK postcode '%s'",
			    pb_quote(q, sizeof q, s, len));
}

int pb_anon_bands_parse(const char *s, enum pb_anon_bands *out,
			struct pb_error *e)
{
	char q[80];

	if (strcmp(s, "ascof") == 0)
		*out = PB_BANDS_ASCOF;
	else if (strcmp(s, "fine") == 0)
		*out = PB_BANDS_FINE;
	else
		return pb_error_set(e, PB_EUSAGE,
				    "--age-bands: unknown bands '%s' (use ascof or fine)",
				    pb_quote(q, sizeof q, s, strlen(s)));
	return 0;
}

const char *pb_anon_band_name(enum pb_anon_bands b, int years)
{
	enum pb_age a = pb_age_band_fine(years);

	if (a == PB_AGE_UNDER18)
		return "0-17";
	return b == PB_BANDS_FINE ? pb_age_fine_name(a) : pb_age_ascof_name(a);
}

/* ------------------------------------------------------------------ */
/* The stream                                                           */
/* ------------------------------------------------------------------ */

const char *const pb_anon_default_drop[] = {
	"name", "first_name", "last_name", "surname", "address",
	"address_line*", "phone", "email", "nhs_number", "ni_number", NULL
};

/* Names that look like direct identifiers: warned about when they pass
 * through unchanged without --keep. */
static const char *const suspect[] = {
	"address*", "phone*", "telephone*", "tel", "mobile*", "email*",
	"e_mail*", "postcode*", "post_code*", "postal_code*", "forename*",
	"given_name*", "family_name*", "full_name*", "preferred_name*",
	"surname*", "date_of_birth*", "dob", "birth_date*", "birthdate*",
	"nhs_no*", "ni_no*", "national_insurance*", NULL
};

enum act {
	ACT_PASS = 0,
	ACT_ID,
	ACT_DROP,
	ACT_BAND,
	ACT_POST
};

/* A normalised column name or "prefix*". */
struct pat {
	char *s;
	size_t len;      /* without the '*' */
	int prefix;
};

struct pats {
	struct pat *p;
	size_t n;
};

struct pb_anon {
	struct pb_anon_opts o;
	struct pats drop, keep, dflt, sus;
	struct pb_colspec *spec;    /* ids, then birth, then postcode */
	size_t nspec;
	int *idx;                   /* pb_bind's answer, by spec */
	int birth_i, post_i;        /* their places in spec, or -1 */
	int map_checked;
	long nbinds;
	enum pb_format fmt;
	int fmt_decided;

	/* The header being read: what happens to each column. */
	unsigned char *act;
	long *wpos;                 /* CSV out: place in the header written */
	size_t ncol, colcap;

	/* The values made for one record, by column. */
	const char **tval;
	size_t *tlen;
	unsigned char *tkind;
	char *pseudo;               /* PB_PSEUDONYM_BUFSZ per id column */
	char district[PB_DISTRICT_BUFSZ];

	/* CSV output: the header written (normalised names -> place). */
	int header_written;
	struct pb_strmap *written;
	size_t nwritten;
	const char **slot_val;      /* a row in the written order */
	size_t *slot_len;

	/* For the summary and the checks at the end. */
	long count;
	struct pb_strmap *dropped;  /* input names dropped, first seen first */
	struct pb_strmap *seen;     /* normalised names of every header */
	struct pb_strmap *warned;
	struct pb_buf warnbuf;
};

static void pats_free(struct pats *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->p[i].s);
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

static void pats_add(struct pats *ps, const char *name)
{
	char norm[256];
	struct pat *p;
	size_t len;

	pb_colname_norm(norm, sizeof norm, name);
	len = strlen(norm);
	ps->p = pb_xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
	p = &ps->p[ps->n++];
	p->prefix = len > 0 && norm[len - 1] == '*';
	if (p->prefix)
		norm[--len] = '\0';
	p->s = pb_xstrdup(norm);
	p->len = len;
}

/* The first pattern matching a normalised name, or NULL. */
static const struct pat *pats_match(const struct pats *ps, const char *norm)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct pat *p = &ps->p[i];

		if (p->prefix ? strncmp(norm, p->s, p->len) == 0
			      : strcmp(norm, p->s) == 0)
			return p;
	}
	return NULL;
}

static int check_name(const char *opt, const char *name, struct pb_error *e)
{
	char norm[256], q[80];
	size_t len;
	const char *star;

	pb_colname_norm(norm, sizeof norm, name);
	len = strlen(norm);
	star = strchr(norm, '*');
	if (len == 0 || (len == 1 && *norm == '*'))
		return pb_error_set(e, PB_EUSAGE, "%s: empty column name", opt);
	if (star && star != norm + len - 1)
		return pb_error_set(e, PB_EUSAGE,
			"%s: '*' may only end a name '%s'", opt,
			pb_quote(q, sizeof q, name, strlen(name)));
	return 0;
}

/* The job a column named (normalised) norm was given, for conflicts. */
struct job {
	const char *opt;
	char norm[256];
};

struct pb_anon *pb_anon_new(const struct pb_anon_opts *o,
			    struct pb_error *e)
{
	struct pb_anon *a;
	struct job *jobs;
	size_t njobs = 0, i, j;
	char q[80];

	if (o->format_given && o->format != PB_FMT_CSV &&
	    o->format != PB_FMT_JSON) {
		pb_error_set(e, PB_EUSAGE,
			     "--format: pb-anon writes a record stream: csv or json");
		return NULL;
	}
	if (o->nids == 0) {
		pb_error_set(e, PB_EUSAGE, "--id-columns: no column named");
		return NULL;
	}
	/* Every name given for a job: once, for one job only. */
	jobs = pb_xcalloc(o->nids + o->ndrop + o->nkeep + 2, sizeof *jobs);
#define JOB(OPT, NAME)                                                     \
	do {                                                               \
		if (check_name(OPT, NAME, e) < 0)                          \
			goto bad;                                          \
		jobs[njobs].opt = OPT;                                     \
		pb_colname_norm(jobs[njobs].norm, sizeof jobs[njobs].norm, \
				NAME);                                     \
		njobs++;                                                   \
	} while (0)
	for (i = 0; i < o->nids; i++)
		JOB("--id-columns", o->ids[i]);
	if (o->birth)
		JOB("--age-band-from", o->birth);
	if (o->postcode)
		JOB("--postcode-district", o->postcode);
	for (i = 0; i < o->ndrop; i++)
		JOB("--drop", o->drop[i]);
	for (i = 0; i < o->nkeep; i++)
		JOB("--keep", o->keep[i]);
#undef JOB
	for (i = 0; i < njobs; i++) {
		if (strchr(jobs[i].norm, '*') &&
		    strcmp(jobs[i].opt, "--drop") != 0 &&
		    strcmp(jobs[i].opt, "--keep") != 0) {
			pb_error_set(e, PB_EUSAGE,
				     "%s: a column name, not a pattern '%s'",
				     jobs[i].opt,
				     pb_quote(q, sizeof q, jobs[i].norm,
					      strlen(jobs[i].norm)));
			goto bad;
		}
		for (j = 0; j < i; j++)
			if (strcmp(jobs[i].norm, jobs[j].norm) == 0) {
				if (jobs[i].opt == jobs[j].opt)
					pb_error_set(e, PB_EUSAGE,
						     "%s: column '%s' named twice",
						     jobs[i].opt, jobs[i].norm);
				else
					pb_error_set(e, PB_EUSAGE,
						     "column '%s' is given to both %s and %s",
						     jobs[i].norm, jobs[j].opt,
						     jobs[i].opt);
				goto bad;
			}
	}
	free(jobs);

	a = pb_xcalloc(1, sizeof *a);
	a->o = *o;
	for (i = 0; i < o->ndrop; i++)
		pats_add(&a->drop, o->drop[i]);
	for (i = 0; i < o->nkeep; i++)
		pats_add(&a->keep, o->keep[i]);
	for (i = 0; pb_anon_default_drop[i]; i++)
		pats_add(&a->dflt, pb_anon_default_drop[i]);
	for (i = 0; suspect[i]; i++)
		pats_add(&a->sus, suspect[i]);
	a->nspec = o->nids + (o->birth != NULL) + (o->postcode != NULL);
	a->spec = pb_xcalloc(a->nspec, sizeof *a->spec);
	a->idx = pb_xcalloc(a->nspec, sizeof *a->idx);
	for (i = 0; i < o->nids; i++) {
		a->spec[i].name = o->ids[i];
		a->spec[i].flags = PB_COL_REQUIRED;
	}
	a->birth_i = a->post_i = -1;
	if (o->birth) {
		a->birth_i = (int)i;
		a->spec[i].name = o->birth;
		a->spec[i++].flags = PB_COL_REQUIRED;
	}
	if (o->postcode) {
		a->post_i = (int)i;
		a->spec[i].name = o->postcode;
		a->spec[i++].flags = PB_COL_REQUIRED;
	}
	a->pseudo = pb_xcalloc(o->nids, PB_PSEUDONYM_BUFSZ);
	a->written = pb_strmap_new();
	a->dropped = pb_strmap_new();
	a->seen = pb_strmap_new();
	a->warned = pb_strmap_new();
	pb_buf_init(&a->warnbuf);
	return a;
bad:
	free(jobs);
	return NULL;
}

void pb_anon_free(struct pb_anon *a)
{
	if (!a)
		return;
	pats_free(&a->drop);
	pats_free(&a->keep);
	pats_free(&a->dflt);
	pats_free(&a->sus);
	free(a->spec);
	free(a->idx);
	free(a->act);
	free(a->wpos);
	free(a->tval);
	free(a->tlen);
	free(a->tkind);
	free(a->pseudo);
	free(a->slot_val);
	free(a->slot_len);
	pb_strmap_free(a->written);
	pb_strmap_free(a->dropped);
	pb_strmap_free(a->seen);
	pb_strmap_free(a->warned);
	pb_buf_fini(&a->warnbuf);
	free(a);
}

void pb_anon_set_key(struct pb_anon *a, struct pb_anon_key *k)
{
	a->o.key = k;
}

static void grow_cols(struct pb_anon *a, size_t n)
{
	if (n <= a->colcap)
		return;
	a->colcap = n + 16;
	a->act = pb_xrealloc(a->act, a->colcap * sizeof *a->act);
	a->wpos = pb_xrealloc(a->wpos, a->colcap * sizeof *a->wpos);
	a->tval = pb_xrealloc(a->tval, a->colcap * sizeof *a->tval);
	a->tlen = pb_xrealloc(a->tlen, a->colcap * sizeof *a->tlen);
	a->tkind = pb_xrealloc(a->tkind, a->colcap * sizeof *a->tkind);
}

/* The output name of column i (normalised or as written). */
static const char *out_name(const struct pb_anon *a,
			    const struct pb_header *h, size_t i, int norm)
{
	switch (a->act[i]) {
	case ACT_BAND:
		return PB_ANON_BAND_COL;
	case ACT_POST:
		return PB_ANON_DISTRICT_COL;
	default:
		return norm ? h->norm[i] : h->name[i];
	}
}

static int put_ok(const struct pb_anon *a, struct pb_error *e)
{
	if (ferror(a->o.out))
		return pb_error_set(e, PB_EIO, "write error: %s",
				    strerror(errno ? errno : EIO));
	return 0;
}

/* Write the CSV header from header h and remember its names (a write
 * error shows at the next record, or at the end). */
static void write_header(struct pb_anon *a, const struct pb_header *h)
{
	size_t i;
	int added;

	for (i = 0; i < h->n; i++) {
		const char *name;

		if (a->act[i] == ACT_DROP)
			continue;
		name = out_name(a, h, i, 0);
		if (a->nwritten)
			putc(',', a->o.out);
		pb_csv_field(a->o.out, name, strlen(name));
		name = out_name(a, h, i, 1);
		pb_strmap_intern(a->written, name, strlen(name), &added);
		a->nwritten++;
	}
	putc('\n', a->o.out);
	a->header_written = 1;
	a->slot_val = pb_xcalloc(a->nwritten + 1, sizeof *a->slot_val);
	a->slot_len = pb_xcalloc(a->nwritten + 1, sizeof *a->slot_len);
}

/* Where each column goes in the CSV header written; for CSV input the
 * columns must be the same (in any order). */
static int place_columns(struct pb_anon *a, const struct pb_header *h,
			 int lenient, struct pb_error *e)
{
	size_t i, nout = 0;
	int bad = 0;

	for (i = 0; i < h->n; i++) {
		const char *name;

		a->wpos[i] = -1;
		if (a->act[i] == ACT_DROP)
			continue;
		nout++;
		name = out_name(a, h, i, 1);
		a->wpos[i] = pb_strmap_get(a->written, name, strlen(name));
		if (a->wpos[i] < 0)
			bad = 1;
	}
	if (!lenient && (bad || nout != a->nwritten))
		return pb_error_set(e, PB_EUSAGE,
			"the columns differ from those of the first input, "
			"whose CSV header was written (use --format json, or "
			"run pb-anon on each file)");
	return 0;
}

int pb_anon_bind(struct pb_anon *a, const struct pb_header *h, int lenient,
		 const char **warn, struct pb_error *e)
{
	size_t i, k;
	int added;

	*warn = NULL;
	if (!a->fmt_decided) {
		a->fmt = a->o.format_given ? a->o.format
					   : lenient ? PB_FMT_JSON : PB_FMT_CSV;
		a->fmt_decided = 1;
	}
	if (pb_bind(h, a->o.map, a->spec, a->nspec, a->idx, lenient, e) < 0)
		return -PB_EUSAGE;
	if (!a->map_checked) {
		if (pb_map_check_used(a->o.map, e) < 0)
			return -PB_EUSAGE;
		a->map_checked = 1;
	}
	/* --map took a column's name for another: pb-anon would pass the
	 * one of that name on as it is, under the name it pseudonymises. */
	for (k = 0; k < a->nspec; k++) {
		char norm[256];

		if (a->idx[k] < 0)
			continue;
		pb_colname_norm(norm, sizeof norm, a->spec[k].name);
		for (i = 0; i < h->n; i++)
			if ((int)i != a->idx[k] && strcmp(h->norm[i], norm) == 0)
				return pb_error_set(e, PB_EUSAGE,
					"column '%s' is in the input as well as '%s', which --map gives for it: pb-anon would pass it on as it is",
					h->name[i], h->name[a->idx[k]]);
	}
	a->nbinds++;
	for (i = 0; i < h->n; i++)
		pb_strmap_intern(a->seen, h->norm[i], strlen(h->norm[i]),
				 &added);
	/* A column --drop names must be there: a misspelt name would let
	 * the column it meant through.  (JSON Lines: checked at the end.) */
	for (k = 0; !lenient && k < a->drop.n; k++) {
		const struct pat *p = &a->drop.p[k];

		if (p->prefix)
			continue;
		for (i = 0; i < h->n; i++)
			if (strcmp(h->norm[i], p->s) == 0)
				break;
		if (i == h->n)
			return pb_error_set(e, PB_EUSAGE,
					    "--drop: no column '%s' in this input",
					    p->s);
	}

	grow_cols(a, h->n);
	pb_buf_reset(&a->warnbuf);
	for (i = 0; i < h->n; i++) {
		const char *norm = h->norm[i];

		a->act[i] = ACT_PASS;
		for (k = 0; k < a->o.nids; k++)
			if (a->idx[k] == (int)i)
				a->act[i] = ACT_ID;
		if (a->act[i] != ACT_PASS)
			continue;
		if (a->birth_i >= 0 && a->idx[a->birth_i] == (int)i) {
			a->act[i] = ACT_BAND;
			continue;
		}
		if (a->post_i >= 0 && a->idx[a->post_i] == (int)i) {
			a->act[i] = ACT_POST;
			continue;
		}
		if (pats_match(&a->keep, norm))
			continue;
		if (pats_match(&a->drop, norm) || pats_match(&a->dflt, norm)) {
			a->act[i] = ACT_DROP;
			pb_strmap_intern(a->dropped, h->name[i],
					 strlen(h->name[i]), &added);
			continue;
		}
		if (pats_match(&a->sus, norm)) {
			pb_strmap_intern(a->warned, norm, strlen(norm), &added);
			if (added) {
				if (a->warnbuf.len)
					pb_buf_adds(&a->warnbuf, ", ");
				pb_buf_printf(&a->warnbuf, "'%s'", h->name[i]);
			}
		}
	}
	/* The names pb-anon writes must be free. */
	for (i = 0; i < h->n; i++) {
		if (a->act[i] != ACT_PASS && a->act[i] != ACT_ID)
			continue;
		if ((a->o.birth && strcmp(h->norm[i], PB_ANON_BAND_COL) == 0) ||
		    (a->o.postcode &&
		     strcmp(h->norm[i], PB_ANON_DISTRICT_COL) == 0))
			return pb_error_set(e, PB_EUSAGE,
				"column '%s' is already in the input, and pb-anon "
				"would write another (--drop it)", h->name[i]);
	}
	if (a->warnbuf.len)
		*warn = a->warnbuf.s;

	if (a->fmt != PB_FMT_CSV)
		return 0;
	/* CSV out: the header is written from the first CSV header, or
	 * (JSON Lines in) from the header when the first record comes. */
	if (!a->header_written) {
		if (lenient)
			return 0;
		write_header(a, h);
	}
	return place_columns(a, h, lenient, e);
}

static int write_json(struct pb_anon *a, const struct pb_record *rec)
{
	FILE *fp = a->o.out;
	size_t i;
	int first = 1;

	for (i = 0; i < rec->hdr->n; i++) {
		const char *s = rec->val[i];
		size_t len = rec->len[i];
		int kind = rec->kind[i];
		const char *name;

		if (a->act[i] == ACT_DROP)
			continue;
		if (a->act[i] != ACT_PASS) {
			s = a->tval[i];
			len = a->tlen[i];
			kind = a->tkind[i];
		}
		if (kind == PB_KIND_ABSENT)
			continue;
		putc(first ? '{' : ',', fp);
		first = 0;
		name = out_name(a, rec->hdr, i, 0);
		pb_json_string(fp, name, strlen(name));
		putc(':', fp);
		switch (kind) {
		case PB_KIND_INT:
		case PB_KIND_REAL:
		case PB_KIND_BOOL:
			fwrite(s, 1, len, fp);
			break;
		case PB_KIND_NULL:
			fputs("null", fp);
			break;
		default:
			pb_json_string(fp, s, len);
		}
	}
	fputs(first ? "{}\n" : "}\n", fp);
	return 0;
}

static int write_csv(struct pb_anon *a, const struct pb_record *rec,
		     struct pb_error *e)
{
	FILE *fp = a->o.out;
	size_t i;
	char q[80];

	for (i = 0; i < a->nwritten; i++) {
		a->slot_val[i] = "";
		a->slot_len[i] = 0;
	}
	for (i = 0; i < rec->hdr->n; i++) {
		const char *s = rec->val[i];
		size_t len = rec->len[i];
		int kind = rec->kind[i];

		if (a->act[i] == ACT_DROP)
			continue;
		if (a->act[i] != ACT_PASS) {
			s = a->tval[i];
			len = a->tlen[i];
			kind = a->tkind[i];
		}
		if (kind == PB_KIND_ABSENT)
			continue;
		if (a->wpos[i] < 0) {
			const char *name = out_name(a, rec->hdr, i, 0);

			return pb_error_set(e, PB_EDATA,
				"key '%s' is not a column of the CSV header "
				"already written (use --format json)",
				pb_quote(q, sizeof q, name, strlen(name)));
		}
		a->slot_val[a->wpos[i]] = s;
		a->slot_len[a->wpos[i]] = len;
	}
	for (i = 0; i < a->nwritten; i++) {
		if (i)
			putc(',', fp);
		pb_csv_field(fp, a->slot_val[i], a->slot_len[i]);
	}
	putc('\n', fp);
	return 0;
}

/* An empty value made from an empty one keeps its kind (null, absent). */
static void keep_empty(struct pb_anon *a, const struct pb_record *rec,
		       size_t col)
{
	a->tval[col] = "";
	a->tlen[col] = 0;
	a->tkind[col] = rec->kind[col];
}

int pb_anon_record(struct pb_anon *a, const struct pb_record *rec,
		   struct pb_error *e)
{
	size_t k;
	char q[80], date[PB_DATE_BUFSZ];

	for (k = 0; k < a->o.nids; k++) {
		int col = a->idx[k];
		char *p = a->pseudo + k * PB_PSEUDONYM_BUFSZ;

		if (col < 0 || rec->kind[col] == PB_KIND_ABSENT)
			return pb_error_set(e, PB_EDATA,
					    "no '%s' in this record",
					    a->spec[k].name);
		if (rec->len[col] == 0) {
			keep_empty(a, rec, (size_t)col);
			continue;
		}
		pb_anon_pseudonym(a->o.key, rec->val[col], rec->len[col], p);
		a->tval[col] = p;
		a->tlen[col] = PB_PSEUDONYM_LEN;
		a->tkind[col] = PB_KIND_STR;
	}
	if (a->birth_i >= 0 && a->idx[a->birth_i] >= 0) {
		int col = a->idx[a->birth_i];
		int32_t born;
		int rc = pb_field_date(rec, col, &born, e);

		if (rc < 0)
			return rc;
		if (rc == 0) {
			keep_empty(a, rec, (size_t)col);
		} else {
			int years = pb_age_years(born, a->o.as_of);

			if (years < 0) {
				pb_error_set(e, PB_EDATA,
					     "born after the --as-of date %s '%s'",
					     pb_date_format(date, a->o.as_of),
					     pb_quote(q, sizeof q, rec->val[col],
						      rec->len[col]));
				return pb_field_blame(rec, col, e);
			}
			a->tval[col] = pb_anon_band_name(a->o.bands, years);
			a->tlen[col] = strlen(a->tval[col]);
			a->tkind[col] = PB_KIND_STR;
		}
	}
	if (a->post_i >= 0 && a->idx[a->post_i] >= 0) {
		int col = a->idx[a->post_i];
		size_t n = 0;
		int rc;

		if (rec->kind[col] != PB_KIND_STR && rec->len[col] > 0) {
			pb_error_set(e, PB_EDATA, "not a UK postcode '%s'",
				     pb_quote(q, sizeof q, rec->val[col],
					      rec->len[col]));
			return pb_field_blame(rec, col, e);
		}
		rc = pb_postcode_district(rec->val[col], rec->len[col],
					  a->district, &n, e);
		if (rc < 0)
			return pb_field_blame(rec, col, e);
		if (rc == 0) {
			keep_empty(a, rec, (size_t)col);
		} else {
			a->tval[col] = a->district;
			a->tlen[col] = n;
			a->tkind[col] = PB_KIND_STR;
		}
	}

	if (a->fmt == PB_FMT_CSV) {
		if (!a->header_written) {
			write_header(a, rec->hdr);
			place_columns(a, rec->hdr, 1, e);
		}
		if (write_csv(a, rec, e) < 0)
			return -PB_EDATA;
	} else {
		write_json(a, rec);
	}
	a->count++;
	return put_ok(a, e);
}

int pb_anon_finish(struct pb_anon *a, struct pb_error *e)
{
	size_t k;

	if (a->nbinds == 0)
		return 0;
	for (k = 0; k < a->drop.n; k++) {
		const struct pat *p = &a->drop.p[k];

		if (!p->prefix && pb_strmap_get(a->seen, p->s, p->len) < 0)
			return pb_error_set(e, PB_EUSAGE,
					    "--drop: no column '%s' in the input",
					    p->s);
	}
	return 0;
}

void pb_anon_summary(const struct pb_anon *a, long rejected, char *buf,
		     size_t n)
{
	struct pb_buf b;
	size_t i, nd = pb_strmap_count(a->dropped);
	char date[PB_DATE_BUFSZ];

	pb_buf_init(&b);
	pb_buf_printf(&b, "%ld record%s written, %ld rejected; pseudonymised: ",
		      a->count, a->count == 1 ? "" : "s", rejected);
	for (i = 0; i < a->o.nids; i++)
		pb_buf_printf(&b, "%s%s", i ? ", " : "", a->o.ids[i]);
	pb_buf_adds(&b, "; dropped: ");
	if (nd == 0)
		pb_buf_adds(&b, "none");
	for (i = 0; i < nd; i++)
		pb_buf_printf(&b, "%s%s", i ? ", " : "",
			      pb_strmap_key(a->dropped, i, NULL));
	if (a->o.birth)
		pb_buf_printf(&b, "; %s (%s) from %s as of %s",
			      PB_ANON_BAND_COL,
			      a->o.bands == PB_BANDS_FINE ? "fine" : "ascof",
			      a->o.birth, pb_date_format(date, a->o.as_of));
	if (a->o.postcode)
		pb_buf_printf(&b, "; %s from %s", PB_ANON_DISTRICT_COL,
			      a->o.postcode);
	snprintf(buf, n, "%s", b.s);
	pb_buf_fini(&b);
}
