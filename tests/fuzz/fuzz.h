/*
 * fuzz.h - shared by the libFuzzer targets: input bytes as a file the
 * tools' own readers open by name (a memfd), and a check that aborts,
 * so a broken invariant is a crash libFuzzer reports and keeps.
 */
#ifndef PB_FUZZ_H
#define PB_FUZZ_H

#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "pb.h"
#include "pbjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n",      \
				__FILE__, __LINE__, #cond);               \
			abort();                                          \
		}                                                         \
	} while (0)

/* Write data to an anonymous file; its name goes in path (>= 32 bytes).
 * Returns the descriptor to close afterwards. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path)
{
	int fd = memfd_create("pb-fuzz", 0);
	size_t off = 0;

	FUZZ_CHECK(fd >= 0);
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		FUZZ_CHECK(n > 0);
		off += (size_t)n;
	}
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

/*
 * An input that is a configuration, then records: the first JSON
 * document (all of the input when there is none) as a file in path,
 * its length in *used.  Returns the descriptor to close afterwards.
 */
static inline int fuzz_config(const uint8_t *data, size_t size,
			      size_t *used, char *path)
{
	struct pb_error e;
	json_t *doc;

	*used = 0;
	doc = pb_json_load_next((const char *)data, size, used, PB_EUSAGE, &e);
	if (!doc)
		*used = size;
	json_decref(doc);
	return fuzz_file(data, *used, path);
}

/*
 * Read CSV text (what a writer wrote) back through the record reader:
 * fn is called with each record.  A writer's output must always read
 * back: a header the reader refuses or a record it rejects is a
 * failure.  Returns the number of records.
 */
static inline long fuzz_csv_each(const char *text, size_t len,
				 void (*fn)(void *ctx,
					    const struct pb_record *rec),
				 void *ctx)
{
	char path[32];
	char *files[1] = {path};
	int fd = fuzz_file((const uint8_t *)text, len, path);
	struct pb_reader *r = pb_reader_new(files, 1, PB_IN_CSV);
	struct pb_record *rec;
	struct pb_error e;
	long n = 0;
	int rc;

	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		if (rc != 1)
			fprintf(stderr, "output does not read back: %s\n", e.text);
		FUZZ_CHECK(rc == 1);
		n++;
		if (fn)
			fn(ctx, rec);
	}
	pb_reader_free(r);
	close(fd);
	return n;
}

/* The index of a column in rec's header (normalised name), or -1. */
static inline int fuzz_col(const struct pb_record *rec, const char *norm)
{
	for (size_t i = 0; i < rec->hdr->n; i++)
		if (strcmp(rec->hdr->norm[i], norm) == 0)
			return (int)i;
	return -1;
}

/* A field read as money, a whole number or a date: it must parse. */
static inline int64_t fuzz_money(const struct pb_record *rec, const char *col)
{
	int i = fuzz_col(rec, col);
	int64_t v;
	struct pb_error e;

	FUZZ_CHECK(i >= 0);
	FUZZ_CHECK(pb_money_parse(rec->val[i], rec->len[i], &v, &e) == 0);
	return v;
}

static inline int64_t fuzz_int(const struct pb_record *rec, const char *col)
{
	int i = fuzz_col(rec, col);
	int64_t v;
	struct pb_error e;

	FUZZ_CHECK(i >= 0);
	FUZZ_CHECK(pb_strtonum(rec->val[i], rec->len[i], INT64_MIN, INT64_MAX,
			       &v, &e) == 0);
	return v;
}

static inline int32_t fuzz_date(const struct pb_record *rec, const char *col)
{
	int i = fuzz_col(rec, col);
	int32_t d;
	struct pb_error e;

	FUZZ_CHECK(i >= 0);
	FUZZ_CHECK(pb_date_parse(rec->val[i], rec->len[i], &d, &e) == 0);
	return d;
}

#endif
