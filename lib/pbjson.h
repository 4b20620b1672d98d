/*
 * pbjson.h - JSON documents (configs, support plans, explanations),
 * read and checked with jansson, with errors that name the key path:
 *
 *     pb-assess: ras.json: questions[3].answers: duplicate key 'some'
 *
 * Paths are built by the caller as it descends, in a char buffer of
 * PB_JPATH_MAX bytes: pb_jpath_key(buf, "questions[3]", "answers").
 * Every checker returns 0 (or 1 where it says so) or -code with e's key
 * path and text filled; code is the caller's (PB_EUSAGE for configs,
 * PB_EDATA for documents that are data).  Values handed out are
 * borrowed from the json_t they came from.
 */
#ifndef PB_PBJSON_H
#define PB_PBJSON_H

#include <jansson.h>

#include "pb.h"

#define PB_JPATH_MAX PB_ERROR_FIELD

/* "parent.key" ("key" at the top); returns buf. */
char *pb_jpath_key(char *buf, const char *parent, const char *key);
/* "parent[i]"; returns buf. */
char *pb_jpath_index(char *buf, const char *parent, size_t i);

/*
 * Load a whole file as one JSON document ("-" is standard input),
 * rejecting duplicate keys.  NULL on failure: -PB_EIO for a file that
 * cannot be read, else code, with the line, and for a duplicate key the
 * path of the object that holds it.
 */
json_t *pb_json_load_file(const char *path, int code, struct pb_error *e);
/*
 * Decode one document from buf[0..len) that may be followed by more
 * (JSON Lines, or several pretty-printed documents in a file): *used is
 * set to the bytes consumed.  On failure NULL with e as above (file name
 * and line numbers relative to buf are the caller's to adjust).
 */
json_t *pb_json_load_next(const char *buf, size_t len, size_t *used,
			  int code, struct pb_error *e);

/* Set e's key path and text; returns -code. */
int pb_json_fail(struct pb_error *e, int code, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* obj must be an object whose keys are all in allowed (NULL-ended). */
int pb_json_keys(const json_t *obj, const char *path,
		 const char *const *allowed, int code, struct pb_error *e);
/* Type checks with the path in the message ("must be an object"). */
int pb_json_object(const json_t *v, const char *path, int code,
		   struct pb_error *e);
int pb_json_array(const json_t *v, const char *path, int code,
		  struct pb_error *e);

/*
 * Scalars: v may be NULL (key absent): then 0 is returned and *out is
 * untouched, unless required, when it is an error ("missing").  A value
 * read gives 1.
 */
enum { PB_JOPT = 0, PB_JREQ = 1 };
int pb_json_str(const json_t *v, const char *path, int required,
		const char **out, int code, struct pb_error *e);
/* Money: a string ("12.50", "£1,234.56") or an integer of pounds. */
int pb_json_money(const json_t *v, const char *path, int required,
		  int64_t *pence, int code, struct pb_error *e);
int pb_json_int(const json_t *v, const char *path, int required,
		int64_t min, int64_t max, int64_t *out, int code,
		struct pb_error *e);
/* A percentage: an integer or a string with at most one decimal. */
int pb_json_tenths(const json_t *v, const char *path, int required,
		   int64_t min, int64_t max, int64_t *out, int code,
		   struct pb_error *e);
int pb_json_bool(const json_t *v, const char *path, int required, int *out,
		 int code, struct pb_error *e);
int pb_json_date(const json_t *v, const char *path, int required,
		 int32_t *day, int code, struct pb_error *e);

/* Write v as one compact line (keys in insertion order) and '\n'. */
int pb_json_write_line(FILE *fp, const json_t *v);

#endif /* PB_PBJSON_H */
