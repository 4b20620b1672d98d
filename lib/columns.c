/* columns.c - --map and finding a tool's columns in an input header. */
#include <stdlib.h>
#include <string.h>

#include "pb.h"

struct pb_map {
	size_t n;
	char **canon;   /* normalised canonical names */
	char **theirs;  /* the input's names, as given */
	unsigned char *used;  /* looked up by a tool (pb_map_check_used) */
};

void pb_map_free(struct pb_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->canon[i]);
		free(m->theirs[i]);
	}
	free(m->canon);
	free(m->theirs);
	free(m->used);
	free(m);
}

struct pb_map *pb_map_parse(const char *spec, struct pb_error *e)
{
	struct pb_map *m = pb_xcalloc(1, sizeof *m);
	const char *p = spec;
	char q[80], norm[256];

	if (!spec)
		return m;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		char *canon, *theirs;
		size_t i;

		if (!eq || eq == p || eq + 1 == p + len) {
			pb_error_set(e, PB_EUSAGE,
				"--map: '%s' is not canonical=Their Column",
				pb_quote(q, sizeof q, p, len));
			pb_map_free(m);
			return NULL;
		}
		canon = pb_xstrndup(p, (size_t)(eq - p));
		theirs = pb_xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
		pb_colname_norm(norm, sizeof norm, canon);
		free(canon);
		for (i = 0; i < m->n; i++)
			if (strcmp(m->canon[i], norm) == 0) {
				pb_error_set(e, PB_EUSAGE,
					"--map: column '%s' mapped twice", norm);
				free(theirs);
				pb_map_free(m);
				return NULL;
			}
		m->canon = pb_xrealloc(m->canon, (m->n + 1) * sizeof *m->canon);
		m->theirs = pb_xrealloc(m->theirs,
					(m->n + 1) * sizeof *m->theirs);
		m->used = pb_xrealloc(m->used, m->n + 1);
		m->canon[m->n] = pb_xstrdup(norm);
		m->theirs[m->n] = theirs;
		m->used[m->n] = 0;
		m->n++;
		p += len;
		if (*p == ',')
			p++;
	}
	return m;
}

const char *pb_map_lookup(const struct pb_map *m, const char *canonical)
{
	char norm[256];
	size_t i;

	if (!m)
		return NULL;
	pb_colname_norm(norm, sizeof norm, canonical);
	for (i = 0; i < m->n; i++)
		if (strcmp(m->canon[i], norm) == 0) {
			m->used[i] = 1;
			return m->theirs[i];
		}
	return NULL;
}

int pb_map_check_used(const struct pb_map *m, struct pb_error *e)
{
	size_t i;

	for (i = 0; m && i < m->n; i++)
		if (!m->used[i])
			return pb_error_set(e, PB_EUSAGE,
				"--map: '%s' is not a column this tool reads",
				m->canon[i]);
	return 0;
}

/* "a, b, c" fitted into n bytes ("..." when cut). */
static void list_columns(char *buf, size_t n, const struct pb_header *h)
{
	size_t i, o = 0;

	buf[0] = '\0';
	if (h->n == 0) {
		snprintf(buf, n, "none");
		return;
	}
	for (i = 0; i < h->n; i++) {
		size_t len = strlen(h->name[i]);

		if (o + len + 6 >= n) {
			snprintf(buf + o, n - o, "...");
			return;
		}
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "",
				      h->name[i]);
	}
}

static int find_col(const struct pb_header *h, const char *name)
{
	char norm[256];
	size_t i;

	pb_colname_norm(norm, sizeof norm, name);
	for (i = 0; i < h->n; i++)
		if (strcmp(h->norm[i], norm) == 0)
			return (int)i;
	return -1;
}

int pb_bind(const struct pb_header *h, const struct pb_map *m,
	    const struct pb_colspec *spec, size_t n, int *idx, int lenient,
	    struct pb_error *e)
{
	char found[160];
	size_t i;

	for (i = 0; i < n; i++) {
		const char *theirs = pb_map_lookup(m, spec[i].name);

		idx[i] = find_col(h, theirs ? theirs : spec[i].name);
		if (idx[i] >= 0 || lenient)
			continue;
		if (theirs) {
			list_columns(found, sizeof found, h);
			return pb_error_set(e, PB_EUSAGE,
				"no column '%s' (given by --map for '%s'); columns found: %s",
				theirs, spec[i].name, found);
		}
		if (spec[i].flags & PB_COL_REQUIRED) {
			list_columns(found, sizeof found, h);
			return pb_error_set(e, PB_EUSAGE,
				"missing required column '%s'; columns found: %s",
				spec[i].name, found);
		}
	}
	return 0;
}
