/*
 * json.c - JSON documents through jansson, with key paths in errors.
 *
 * jansson rejects a duplicate key with the position just after it but no
 * path; keypath_at() rescans the text (valid JSON up to that point) to
 * name the object that holds it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"

char *pb_jpath_key(char *buf, const char *parent, const char *key)
{
	if (parent && *parent)
		snprintf(buf, PB_JPATH_MAX, "%s.%s", parent, key);
	else
		snprintf(buf, PB_JPATH_MAX, "%s", key);
	return buf;
}

char *pb_jpath_index(char *buf, const char *parent, size_t i)
{
	snprintf(buf, PB_JPATH_MAX, "%s[%zu]", parent ? parent : "", i);
	return buf;
}

int pb_json_fail(struct pb_error *e, int code, const char *path,
		 const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -code;
	pb_error_key(e, path);
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	return -code;
}

/* A message already in e (from a money or date parser): add the path. */
static int rekey(struct pb_error *e, int code, const char *path)
{
	if (e) {
		pb_error_key(e, path);
		e->code = code;
	}
	return -code;
}

/* ---- the path of the object at a byte offset ------------------------ */

struct frame {
	int obj;          /* 1 object, 0 array */
	size_t index;     /* array: current element */
	char key[64];     /* object: current key */
};

#define MAX_DEPTH 64

/* Copy a JSON string's text (escapes left as written) into out. */
static size_t scan_string(const char *s, size_t len, size_t i, char *out,
			  size_t n)
{
	size_t o = 0;

	for (i++; i < len && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		if (o + 1 < n)
			out[o++] = s[i];
	}
	if (n)
		out[o] = '\0';
	return i; /* at the closing quote */
}

/*
 * The path of the innermost object or array open at offset pos, and
 * the last key read there (the duplicate).
 */
static void keypath_at(const char *s, size_t pos, char *path, char *dup,
		       size_t duplen)
{
	struct frame st[MAX_DEPTH];
	int depth = 0, want_key = 0, k;
	size_t i;
	char tmp[PB_JPATH_MAX];

	dup[0] = '\0';
	for (i = 0; i < pos; i++) {
		char c = s[i];

		if (c == '{' || c == '[') {
			if (depth < MAX_DEPTH) {
				st[depth].obj = c == '{';
				st[depth].index = 0;
				st[depth].key[0] = '\0';
			}
			depth++;
			want_key = c == '{';
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			want_key = 0;
		} else if (c == ',') {
			if (depth > 0 && depth <= MAX_DEPTH) {
				if (st[depth - 1].obj)
					want_key = 1;
				else
					st[depth - 1].index++;
			}
		} else if (c == '"') {
			char text[64];

			i = scan_string(s, pos, i, text, sizeof text);
			if (want_key && depth > 0 && depth <= MAX_DEPTH) {
				memcpy(st[depth - 1].key, text, sizeof text);
				snprintf(dup, duplen, "%s", text);
				want_key = 0;
			}
		}
	}
	/* The path down to the object holding the duplicate (the top
	 * frame's own key is the duplicate itself). */
	path[0] = '\0';
	for (k = 0; k < depth - 1 && k < MAX_DEPTH; k++) {
		if (st[k].obj)
			pb_jpath_key(tmp, path, st[k].key);
		else
			pb_jpath_index(tmp, path, st[k].index);
		memcpy(path, tmp, PB_JPATH_MAX);
	}
}

/* The largest document pb_json_load_file reads (a configuration). */
#define MAX_DOC (16UL << 20)

static json_t *decode(const char *buf, size_t len, size_t flags,
		      size_t *used, int code, struct pb_error *e)
{
	json_error_t jerr;
	json_t *v = json_loadb(buf, len, flags | JSON_REJECT_DUPLICATES, &jerr);
	char path[PB_JPATH_MAX], dup[64], q[80];

	if (v) {
		if (used)
			*used = (size_t)jerr.position;
		return v;
	}
	pb_error_clear(e);
	if (e)
		e->line = jerr.line > 0 ? jerr.line : 0;
	/* jansson takes a NUL byte for the end of the text, and says
	 * nothing clear of a byte order mark: say what they are. */
	const char *nul = memchr(buf, '\0', len);
	if (nul && (size_t)(nul - buf) <= (size_t)jerr.position) {
		const char *p = buf, *nl;
		long line = 1;

		while ((nl = memchr(p, '\n', (size_t)(nul - p)))) {
			line++;
			p = nl + 1;
		}
		if (e)
			e->line = line;
		pb_json_fail(e, code, NULL, "not valid JSON (column %ld): a NUL byte",
			     (long)(nul - p) + 1);
		return NULL;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		pb_json_fail(e, code, NULL,
			     "not valid JSON (column 1): a byte order mark inside the file (were files joined with cat?)");
		return NULL;
	}
	if (json_error_code(&jerr) == json_error_duplicate_key &&
	    jerr.position > 0 && (size_t)jerr.position <= len) {
		keypath_at(buf, (size_t)jerr.position, path, dup, sizeof dup);
		pb_json_fail(e, code, path, "duplicate key '%s'",
			     pb_quote(q, sizeof q, dup, strlen(dup)));
		return NULL;
	}
	if (json_error_code(&jerr) == json_error_premature_end_of_input &&
	    len == 0) {
		pb_json_fail(e, code, NULL, "empty: no JSON document");
		return NULL;
	}
	pb_json_fail(e, code, NULL, "not valid JSON (column %d): %s",
		     jerr.column, jerr.text);
	return NULL;
}

json_t *pb_json_load_next(const char *buf, size_t len, size_t *used,
			  int code, struct pb_error *e)
{
	return decode(buf, len, JSON_DISABLE_EOF_CHECK, used, code, e);
}

json_t *pb_json_load_file(const char *path, int code, struct pb_error *e)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = pb_path_label(path);
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	struct pb_buf b;
	char chunk[65536];
	size_t n, skip;
	json_t *v;

	if (!fp) {
		int err = errno;

		pb_error_clear(e);
		pb_error_at(e, name, 0, NULL);
		pb_error_set(e, PB_EIO, "cannot open: %s", strerror(err));
		return NULL;
	}
	pb_buf_init(&b);
	while (b.len <= MAX_DOC && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		pb_buf_add(&b, chunk, n);
	if (b.len > MAX_DOC) {
		if (!is_stdin)
			fclose(fp);
		pb_buf_fini(&b);
		pb_error_clear(e);
		pb_error_at(e, name, 0, NULL);
		pb_error_set(e, code, "not read: a document longer than 16 MiB");
		return NULL;
	}
	if (ferror(fp)) {
		int err = errno;

		if (!is_stdin)
			fclose(fp);
		pb_buf_fini(&b);
		pb_error_clear(e);
		pb_error_at(e, name, 0, NULL);
		pb_error_set(e, PB_EIO, "read error: %s", strerror(err));
		return NULL;
	}
	if (!is_stdin)
		fclose(fp);
	/* A byte order mark at the start is skipped (Windows editors
	 * write one), as the record and plan readers do. */
	skip = b.len >= 3 && memcmp(b.s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	v = decode(b.s ? b.s + skip : "", b.len - skip, 0, NULL, code, e);
	pb_buf_fini(&b);
	if (!v)
		pb_error_at(e, name, 0, NULL);
	return v;
}

/* ---- checkers ------------------------------------------------------- */

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

int pb_json_object(const json_t *v, const char *path, int code,
		   struct pb_error *e)
{
	if (json_is_object(v))
		return 0;
	return pb_json_fail(e, code, path, "must be an object, not %s",
			    v ? type_name(v) : "missing");
}

int pb_json_array(const json_t *v, const char *path, int code,
		  struct pb_error *e)
{
	if (json_is_array(v))
		return 0;
	return pb_json_fail(e, code, path, "must be an array, not %s",
			    v ? type_name(v) : "missing");
}

int pb_json_keys(const json_t *obj, const char *path,
		 const char *const *allowed, int code, struct pb_error *e)
{
	const char *key;
	json_t *v;
	char q[80], list[160];
	size_t i, o;

	json_object_foreach((json_t *)obj, key, v) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i])
			continue;
		list[0] = '\0';
		for (i = 0, o = 0; allowed[i] && o + 1 < sizeof list; i++)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
					      i ? ", " : "", allowed[i]);
		return pb_json_fail(e, code, path,
				    "unknown key '%s' (known: %s)",
				    pb_quote(q, sizeof q, key, strlen(key)),
				    list);
	}
	return 0;
}

/* Absent (NULL): 0, or the "missing" error when required. */
static int absent(const json_t *v, const char *path, int required, int code,
		  struct pb_error *e)
{
	if (v)
		return 1;
	if (required)
		return pb_json_fail(e, code, path, "missing");
	return 0;
}

int pb_json_str(const json_t *v, const char *path, int required,
		const char **out, int code, struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);

	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return pb_json_fail(e, code, path, "must be a string, not %s",
				    type_name(v));
	*out = json_string_value(v);
	return 1;
}

int pb_json_money(const json_t *v, const char *path, int required,
		  int64_t *pence, int code, struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);
	int64_t pounds;

	if (rc <= 0)
		return rc;
	if (json_is_string(v)) {
		if (pb_money_parse(json_string_value(v), json_string_length(v),
				   pence, e) < 0)
			return rekey(e, code, path);
		return 1;
	}
	if (json_is_integer(v)) {
		pounds = json_integer_value(v);
		if (pounds > PB_MONEY_MAX / 100 || pounds < -(PB_MONEY_MAX / 100))
			return pb_json_fail(e, code, path,
					    "beyond the largest amount, 90,000,000,000,000.00");
		*pence = pounds * 100;
		return 1;
	}
	if (json_is_real(v))
		return pb_json_fail(e, code, path,
				    "a number with a fraction is not exact money: write it as a string, e.g. \"%.2f\"",
				    json_real_value(v));
	return pb_json_fail(e, code, path,
			    "must be money (a string such as \"12.50\"), not %s",
			    type_name(v));
}

int pb_json_int(const json_t *v, const char *path, int required,
		int64_t min, int64_t max, int64_t *out, int code,
		struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);
	int64_t x;

	if (rc <= 0)
		return rc;
	if (!json_is_integer(v))
		return pb_json_fail(e, code, path,
				    "must be a whole number, not %s",
				    type_name(v));
	x = json_integer_value(v);
	if (x < min || x > max)
		return pb_json_fail(e, code, path,
				    "out of range %lld (from %lld to %lld)",
				    (long long)x, (long long)min,
				    (long long)max);
	*out = x;
	return 1;
}

int pb_json_tenths(const json_t *v, const char *path, int required,
		   int64_t min, int64_t max, int64_t *out, int code,
		   struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);
	char num[32];
	const char *s;
	size_t n;

	if (rc <= 0)
		return rc;
	if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
				     json_integer_value(v));
		s = num;
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else {
		return pb_json_fail(e, code, path,
				    "must be a percentage (a whole number or a string such as \"12.5\"), not %s",
				    type_name(v));
	}
	if (pb_tenths_parse(s, n, min, max, out, e) < 0)
		return rekey(e, code, path);
	return 1;
}

int pb_json_bool(const json_t *v, const char *path, int required, int *out,
		 int code, struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);

	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return pb_json_fail(e, code, path, "must be true or false, not %s",
				    type_name(v));
	*out = json_is_true(v);
	return 1;
}

int pb_json_date(const json_t *v, const char *path, int required,
		 int32_t *day, int code, struct pb_error *e)
{
	int rc = absent(v, path, required, code, e);

	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return pb_json_fail(e, code, path,
				    "must be a date string, not %s", type_name(v));
	if (pb_date_parse(json_string_value(v), json_string_length(v), day,
			  e) < 0)
		return rekey(e, code, path);
	return 1;
}

int pb_json_write_line(FILE *fp, const json_t *v)
{
	if (json_dumpf(v, fp, JSON_COMPACT) < 0 || putc('\n', fp) == EOF)
		return -PB_EIO;
	return 0;
}
