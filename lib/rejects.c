/*
 * rejects.c - the --rejects file: every rejected record as it came in,
 * plus reject_reason.  Rows are spooled (length-prefixed) to an
 * unlinked temporary file, since the columns (the union of every
 * input header) are known only at the end; memory holds the headers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pb.h"

struct hdr_snap {
	size_t n;
	size_t *to_union;        /* column i -> union column */
};

struct pb_rejects {
	FILE *out;
	char *path;
	FILE *spool;
	struct pb_strmap *cols;  /* union of column names, first-seen order */
	struct hdr_snap *hdrs;
	size_t nhdr;
	const struct pb_header *last_hdr;
	unsigned long last_gen;
	long count;
};

/*
 * Only a regular file is made private: a FIFO, /dev/null or a terminal
 * keeps its mode (changing it would need ownership, and as root would
 * change the device for everyone).
 */
FILE *pb_create_private(const char *path, struct pb_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	struct stat st;
	FILE *fp;

	if (fd < 0 || fstat(fd, &st) < 0 ||
	    (S_ISREG(st.st_mode) && (st.st_mode & 07777) != 0600 &&
	     fchmod(fd, 0600) < 0)) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		pb_error_set(e, PB_EIO, "cannot create: %s", strerror(err));
		return NULL;
	}
	fp = fdopen(fd, "w");
	if (!fp) {
		int err = errno;

		close(fd);
		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		pb_error_set(e, PB_EIO, "cannot create: %s", strerror(err));
	}
	return fp;
}

struct pb_rejects *pb_rejects_open(const char *path, struct pb_error *e)
{
	struct pb_rejects *rj;
	FILE *out = pb_create_private(path, e);
	FILE *spool;

	if (!out)
		return NULL;
	spool = tmpfile();
	if (!spool) {
		int err = errno;

		fclose(out);
		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		pb_error_set(e, PB_EIO, "cannot create a temporary file: %s",
			     strerror(err));
		return NULL;
	}
	rj = pb_xcalloc(1, sizeof *rj);
	rj->out = out;
	rj->path = pb_xstrdup(path);
	rj->spool = spool;
	rj->cols = pb_strmap_new();
	return rj;
}

long pb_rejects_count(const struct pb_rejects *rj)
{
	return rj ? rj->count : 0;
}

#define SKIP ((size_t)-1)

/* The column for field i (0-based) beyond the header: "field_<i+1>". */
static size_t extra_column(struct pb_rejects *rj, size_t i, int add)
{
	char name[32];
	int n = snprintf(name, sizeof name, "field_%zu", i + 1);
	long id;

	if (add)
		return pb_strmap_intern(rj->cols, name, (size_t)n, NULL);
	id = pb_strmap_get(rj->cols, name, (size_t)n);
	return id < 0 ? SKIP : (size_t)id;
}

static size_t snapshot(struct pb_rejects *rj, const struct pb_header *h)
{
	struct hdr_snap *s;
	size_t i;

	if (h == rj->last_hdr && h->gen == rj->last_gen && rj->nhdr)
		return rj->nhdr - 1;
	rj->hdrs = pb_xrealloc(rj->hdrs, (rj->nhdr + 1) * sizeof *rj->hdrs);
	s = &rj->hdrs[rj->nhdr++];
	s->n = h->n;
	s->to_union = pb_xcalloc(h->n + 1, sizeof *s->to_union);
	for (i = 0; i < h->n; i++) {
		/* A rejects file read again: its old reasons give way to
		 * the new ones. */
		if (strcmp(h->norm[i], "reject_reason") == 0) {
			s->to_union[i] = SKIP;
			continue;
		}
		s->to_union[i] = pb_strmap_intern(rj->cols, h->name[i],
						  strlen(h->name[i]), NULL);
	}
	rj->last_hdr = h;
	rj->last_gen = h->gen;
	return rj->nhdr - 1;
}

static void put_u32(struct pb_rejects *rj, uint32_t v)
{
	fwrite(&v, sizeof v, 1, rj->spool);
}

static void put_str(struct pb_rejects *rj, const char *s, size_t n)
{
	put_u32(rj, (uint32_t)n);
	fwrite(s, 1, n, rj->spool);
}

int pb_rejects_add(struct pb_rejects *rj, const struct pb_record *rec,
		   const struct pb_error *why, struct pb_error *e)
{
	char reason[PB_ERROR_FILE + 2 * PB_ERROR_FIELD + PB_ERROR_TEXT + 64];
	size_t hid = (size_t)-1, i, n = 0;

	if (rec && rec->hdr) {
		hid = snapshot(rj, rec->hdr);
		n = rec->n;
		/* Fields beyond the header (a record with too many). */
		for (i = rec->hdr->n; i < n; i++)
			extra_column(rj, i, 1);
	}
	pb_error_format(reason, sizeof reason, NULL, why);
	put_u32(rj, (uint32_t)hid);
	put_u32(rj, (uint32_t)n);
	for (i = 0; i < n; i++)
		put_str(rj, rec->val[i], rec->len[i] > UINT32_MAX ? UINT32_MAX
								 : rec->len[i]);
	put_str(rj, reason, strlen(reason));
	rj->count++;
	if (ferror(rj->spool)) {
		int err = errno;

		pb_error_clear(e);
		pb_error_at(e, rj->path, 0, NULL);
		return pb_error_set(e, PB_EIO,
				    "cannot write rejects (temporary file): %s",
				    strerror(err));
	}
	return 0;
}

static int get_u32(FILE *fp, uint32_t *v)
{
	return fread(v, sizeof *v, 1, fp) == 1 ? 0 : -1;
}

static int get_str(FILE *fp, struct pb_buf *b)
{
	uint32_t n;

	pb_buf_reset(b);
	if (get_u32(fp, &n) < 0)
		return -1;
	pb_buf_reserve(b, n);
	if (n && fread(b->s, 1, n, fp) != n)
		return -1;
	b->len = n;
	b->s[n] = '\0';
	return 0;
}

static void free_rejects(struct pb_rejects *rj)
{
	size_t i;

	for (i = 0; i < rj->nhdr; i++)
		free(rj->hdrs[i].to_union);
	free(rj->hdrs);
	pb_strmap_free(rj->cols);
	if (rj->spool)
		fclose(rj->spool);
	if (rj->out)
		fclose(rj->out);
	free(rj->path);
	free(rj);
}

int pb_rejects_close(struct pb_rejects *rj, struct pb_error *e)
{
	size_t ncol, i;
	struct pb_buf *vals = NULL, reason;
	uint32_t hid, n;
	long k;
	int rc = 0, err = 0;
	FILE *out;

	if (!rj)
		return 0;
	out = rj->out;
	ncol = pb_strmap_count(rj->cols);
	for (i = 0; i < ncol; i++) {
		size_t len;
		const char *name = pb_strmap_key(rj->cols, i, &len);

		pb_csv_field(out, name, len);
		putc(',', out);
	}
	fputs("reject_reason\n", out);

	vals = pb_xcalloc(ncol + 1, sizeof *vals);
	for (i = 0; i <= ncol; i++)
		pb_buf_init(&vals[i]);
	pb_buf_init(&reason);
	if (fflush(rj->spool) == EOF || fseek(rj->spool, 0, SEEK_SET) < 0)
		err = errno ? errno : EIO;
	for (k = 0; k < rj->count && !err; k++) {
		const struct hdr_snap *s;

		for (i = 0; i < ncol; i++)
			pb_buf_reset(&vals[i]);
		if (get_u32(rj->spool, &hid) < 0 || get_u32(rj->spool, &n) < 0) {
			err = EIO;
			break;
		}
		s = hid < rj->nhdr ? &rj->hdrs[hid] : NULL;
		for (i = 0; i < n; i++) {
			size_t col = !s ? SKIP
				     : i < s->n ? s->to_union[i]
				     : extra_column(rj, i, 0);
			struct pb_buf *dst = col != SKIP ? &vals[col]
							 : &reason; /* scratch */
			if (get_str(rj->spool, dst) < 0) {
				err = EIO;
				break;
			}
		}
		if (err || get_str(rj->spool, &reason) < 0) {
			err = EIO;
			break;
		}
		for (i = 0; i < ncol; i++) {
			pb_csv_field(out, vals[i].s ? vals[i].s : "", vals[i].len);
			putc(',', out);
		}
		pb_csv_field(out, reason.s, reason.len);
		putc('\n', out);
	}
	for (i = 0; i <= ncol; i++)
		pb_buf_fini(&vals[i]);
	free(vals);
	pb_buf_fini(&reason);
	if (err) {
		pb_error_clear(e);
		pb_error_at(e, rj->path, 0, NULL);
		rc = pb_error_set(e, PB_EIO, "cannot read back rejects: %s",
				  strerror(err));
	}
	rj->out = NULL;
	if (fflush(out) == EOF || ferror(out)) {
		int werr = errno ? errno : EIO;

		fclose(out);
		if (!rc) {
			pb_error_clear(e);
			pb_error_at(e, rj->path, 0, NULL);
			rc = pb_error_set(e, PB_EIO, "write error: %s",
					  strerror(werr));
		}
	} else if (fclose(out) == EOF && !rc) {
		int werr = errno;

		pb_error_clear(e);
		pb_error_at(e, rj->path, 0, NULL);
		rc = pb_error_set(e, PB_EIO, "write error: %s", strerror(werr));
	}
	free_rejects(rj);
	return rc;
}
