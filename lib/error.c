/* error.c - struct pb_error: filled by the library, printed by tools. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pb.h"

void pb_error_clear(struct pb_error *e)
{
	if (!e)
		return;
	e->code = PB_OK;
	e->file[0] = '\0';
	e->line = 0;
	e->field[0] = '\0';
	e->key[0] = '\0';
	e->text[0] = '\0';
}

int pb_error_set(struct pb_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->text, sizeof e->text, fmt, ap);
		va_end(ap);
	}
	return -code;
}

void pb_error_prefix(struct pb_error *e, const char *prefix)
{
	char text[PB_ERROR_TEXT];

	if (!e)
		return;
	memcpy(text, e->text, sizeof text);
	snprintf(e->text, sizeof e->text, "%s%.*s", prefix,
		 (int)(sizeof text - 1), text);
}

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void pb_error_at(struct pb_error *e, const char *file, long line,
		 const char *field)
{
	if (!e)
		return;
	if (file)
		copy_str(e->file, sizeof e->file, file);
	if (line)
		e->line = line;
	if (field)
		copy_str(e->field, sizeof e->field, field);
}

/* Bytes that c takes once quoted: \n, \xNN or itself. */
static size_t quoted_len(unsigned char c)
{
	if (c == '\n' || c == '\r' || c == '\t')
		return 2;
	return c < 0x20 || c == 0x7f ? 4 : 1;
}

const char *pb_quote(char *buf, size_t n, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, end, room, need = 0;
	size_t limit = 60;
	int dots = 0;

	if (n == 0)
		return buf;
	end = len < limit ? len : limit;
	for (i = 0; i < end; i++)
		need += quoted_len((unsigned char)s[i]);
	if (end < len || need >= n) {
		/*
		 * Cut: as much as fits before "..." (when the buffer has
		 * room for it), and never half a UTF-8 character.
		 */
		dots = n > 3;
		room = dots ? n - 4 : n - 1;
		need = 0;
		for (end = 0; end < len && end < limit; end++) {
			size_t k = quoted_len((unsigned char)s[end]);

			if (need + k > room)
				break;
			need += k;
		}
		for (i = 0; i < 3 && end > 0 && end < len &&
			    ((unsigned char)s[end] & 0xc0) == 0x80; i++)
			end--;
	}
	for (i = 0; i < end; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			buf[o++] = '\\';
			if (c == '\n')
				buf[o++] = 'n';
			else if (c == '\r')
				buf[o++] = 'r';
			else if (c == '\t')
				buf[o++] = 't';
			else {
				buf[o++] = 'x';
				buf[o++] = hex[c >> 4];
				buf[o++] = hex[c & 15];
			}
		} else {
			buf[o++] = (char)c;
		}
	}
	if (dots) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

void pb_error_key(struct pb_error *e, const char *path)
{
	if (e)
		copy_str(e->key, sizeof e->key, path ? path : "");
}

char *pb_error_format(char *buf, size_t n, const char *prog,
		      const struct pb_error *e)
{
	size_t o = 0;

#define PUT(...)                                                         \
	do {                                                             \
		int k_ = snprintf(o < n ? buf + o : NULL,               \
				  o < n ? n - o : 0, __VA_ARGS__);      \
		if (k_ > 0)                                              \
			o += (size_t)k_;                                 \
	} while (0)
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (prog && *prog)
		PUT("%s: ", prog);
	if (e->file[0] && e->line > 0)
		PUT("%s:%ld: ", e->file, e->line);
	else if (e->file[0])
		PUT("%s: ", e->file);
	if (e->field[0])
		PUT("column '%s': ", e->field);
	if (e->key[0])
		PUT("%s: ", e->key);
	PUT("%s", e->text[0] ? e->text : "unknown error");
#undef PUT
	return buf;
}

void pb_error_print(FILE *fp, const char *prog, const struct pb_error *e)
{
	char buf[PB_ERROR_FILE + 2 * PB_ERROR_FIELD + PB_ERROR_TEXT + 128];

	fprintf(fp, "%s\n", pb_error_format(buf, sizeof buf, prog, e));
}

const char *pb_path_label(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}
