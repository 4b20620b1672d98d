/* mem.c - allocation that cannot fail silently, and a growable buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pb.h"

/* The one place libpb ends the process: memory is exhausted. */
static void oom(size_t n)
{
	char msg[80];
	int len = snprintf(msg, sizeof msg, "pb: cannot allocate %zu bytes\n", n);

	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		_exit(PB_EIO);
	_exit(PB_EIO);
}

void *pb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *pb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *pb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

void *pb_grow_rows(void *p, size_t *n, size_t i, size_t row, size_t *first)
{
	size_t cap = *n ? *n : 16;

	if (first)
		*first = *n;
	if (i < *n)
		return p;
	while (cap <= i) {
		if (cap > SIZE_MAX / 2)
			oom(SIZE_MAX);
		cap *= 2;
	}
	if (row && cap > SIZE_MAX / row)
		oom(SIZE_MAX);
	p = pb_xrealloc(p, cap * row);
	memset((char *)p + *n * row, 0, (cap - *n) * row);
	*n = cap;
	return p;
}

/*
 * jansson allocates through pb_xmalloc too: left to itself, out of
 * memory it drops a character from a string it reads (a key or an
 * amount misread) or a key from an object it builds, and goes on.
 */
__attribute__((constructor)) static void jansson_alloc(void)
{
	json_set_alloc_funcs(pb_xmalloc, free);
}

char *pb_xstrdup(const char *s)
{
	return pb_xstrndup(s, strlen(s));
}

char *pb_xstrndup(const char *s, size_t n)
{
	char *p = pb_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void pb_buf_init(struct pb_buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void pb_buf_fini(struct pb_buf *b)
{
	free(b->s);
	pb_buf_init(b);
}

void pb_buf_reserve(struct pb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < extra)
		oom(SIZE_MAX);
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			oom(need);
		cap *= 2;
	}
	b->s = pb_xrealloc(b->s, cap);
	b->cap = cap;
}

void pb_buf_add(struct pb_buf *b, const void *p, size_t n)
{
	pb_buf_reserve(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void pb_buf_addc(struct pb_buf *b, char c)
{
	pb_buf_reserve(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void pb_buf_adds(struct pb_buf *b, const char *s)
{
	pb_buf_add(b, s, strlen(s));
}

void pb_buf_printf(struct pb_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	pb_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
