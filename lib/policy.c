/*
 * policy.c - the spending policy (CONTRACTS.md §7), loaded and checked
 * whole before any plan is read: unknown keys, category names that are
 * not codes, a category both allowed and forbidden, a "requires" that
 * names no category of the policy, streams that do not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "policy.h"

void pb_spending_free(struct pb_spending *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->ncat; i++)
		free(p->cat[i].requires);
	free(p->cat);
	free(p->name);
	free(p->version);
	pb_strmap_free(p->index);
	pb_strmap_free(p->forbidden);
	free(p);
}

long pb_spending_find(const struct pb_spending *p, const char *name,
		      size_t len)
{
	return pb_strmap_get(p->index, name, len);
}

int pb_spending_forbids(const struct pb_spending *p, const char *name,
			size_t len)
{
	return pb_strmap_get(p->forbidden, name, len) >= 0;
}

int pb_stream_parse(const char *s, size_t len)
{
	int k;

	for (k = 0; k < PB_NSTREAMS; k++)
		if (strlen(pb_stream_names[k]) == len &&
		    memcmp(s, pb_stream_names[k], len) == 0)
			return k;
	return -1;
}

char *pb_streams_text(char *buf, size_t n, unsigned mask)
{
	size_t o = 0, left = 0;
	int k, done = 0;

	for (k = 0; k < PB_NSTREAMS; k++)
		left += (mask >> k) & 1u;
	if (n)
		buf[0] = '\0';
	for (k = 0; k < PB_NSTREAMS; k++) {
		int w;

		if (!((mask >> k) & 1u))
			continue;
		w = snprintf(buf + o, o < n ? n - o : 0, "%s%s",
			     done == 0 ? "" : done + 1 == (int)left ? " or " : ", ",
			     pb_stream_names[k]);
		if (w < 0 || o + (size_t)w >= n) {
			/* Whole names only. */
			if (n)
				buf[o] = '\0';
			break;
		}
		o += (size_t)w;
		done++;
	}
	return buf;
}

/* A category name as the policy must write it: a code, exactly as
 * pb-ledger stores categories. */
static int check_code(const char *s, const char *path, struct pb_error *e)
{
	char norm[PB_LEDGER_ID_MAX + 1], q[80];
	struct pb_error tmp;

	if (pb_ledger_category(s, strlen(s), norm, &tmp) < 0 ||
	    norm[0] == '\0' || strcmp(norm, s) != 0)
		return pb_json_fail(e, PB_EUSAGE, path,
			"not a category code (lower-case letters, digits, '_' and '-') '%s'",
			pb_quote(q, sizeof q, s, strlen(s)));
	return 0;
}

/* A list of strings: each checked by fn; 0 or -PB_EUSAGE. */
static int str_list(const json_t *v, const char *path,
		    int (*fn)(void *ctx, const char *s, const char *path,
			      struct pb_error *e),
		    void *ctx, struct pb_error *e)
{
	char p2[PB_JPATH_MAX];
	const char *s;
	size_t i;

	if (pb_json_array(v, path, PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	for (i = 0; i < json_array_size(v); i++) {
		pb_jpath_index(p2, path, i);
		if (pb_json_str(json_array_get(v, i), p2, PB_JREQ, &s,
				PB_EUSAGE, e) < 0 ||
		    fn(ctx, s, p2, e) < 0)
			return -PB_EUSAGE;
	}
	return 0;
}

struct catctx {
	struct pb_spending *p;
	struct pb_category *c;
};

static int add_stream(void *vctx, const char *s, const char *path,
		      struct pb_error *e)
{
	struct catctx *x = vctx;
	char q[80];
	int k = pb_stream_parse(s, strlen(s));

	if (k < 0)
		return pb_json_fail(e, PB_EUSAGE, path,
			"not a funding stream (social_care, health, s117) '%s'",
			pb_quote(q, sizeof q, s, strlen(s)));
	x->c->streams |= 1u << k;
	return 0;
}

static int add_require(void *vctx, const char *s, const char *path,
		       struct pb_error *e)
{
	struct catctx *x = vctx;
	struct pb_category *c = x->c;
	char q[80];
	long at = pb_strmap_get(x->p->index, s, strlen(s));
	size_t i;

	if (at < 0)
		return pb_json_fail(e, PB_EUSAGE, path,
			"not a category of this policy '%s'",
			pb_quote(q, sizeof q, s, strlen(s)));
	for (i = 0; i < c->nrequires; i++)
		if (c->requires[i] == (size_t)at)
			return 0;
	c->requires = pb_xrealloc(c->requires,
				  (c->nrequires + 1) * sizeof *c->requires);
	c->requires[c->nrequires++] = (size_t)at;
	return 0;
}

static int load_category(struct catctx *x, const char *name, const json_t *c,
			 const char *path, struct pb_error *e)
{
	static const char *const keys[] = {"requires", "streams", "review",
					   NULL};
	char p2[PB_JPATH_MAX];
	const json_t *v;

	if (check_code(name, path, e) < 0 ||
	    pb_json_object(c, path, PB_EUSAGE, e) < 0 ||
	    pb_json_keys(c, path, keys, PB_EUSAGE, e) < 0 ||
	    pb_json_bool(json_object_get(c, "review"),
			 pb_jpath_key(p2, path, "review"), PB_JOPT,
			 &x->c->review, PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	x->c->streams = PB_STREAMS_ALL;
	if ((v = json_object_get(c, "streams"))) {
		pb_jpath_key(p2, path, "streams");
		x->c->streams = 0;
		if (str_list(v, p2, add_stream, x, e) < 0)
			return -PB_EUSAGE;
		if (x->c->streams == 0)
			return pb_json_fail(e, PB_EUSAGE, p2,
				"names no stream: nothing could pay for this category (leave \"streams\" out to allow every stream)");
	}
	if ((v = json_object_get(c, "requires"))) {
		pb_jpath_key(p2, path, "requires");
		if (str_list(v, p2, add_require, x, e) < 0)
			return -PB_EUSAGE;
	}
	return 0;
}

static int add_forbidden(void *vctx, const char *s, const char *path,
			 struct pb_error *e)
{
	struct pb_spending *p = vctx;
	char q[80];
	int added;

	if (check_code(s, path, e) < 0)
		return -PB_EUSAGE;
	if (pb_strmap_get(p->index, s, strlen(s)) >= 0)
		return pb_json_fail(e, PB_EUSAGE, path,
			"both allowed and forbidden '%s'",
			pb_quote(q, sizeof q, s, strlen(s)));
	pb_strmap_intern(p->forbidden, s, strlen(s), &added);
	return 0;
}

static int load(struct pb_spending *p, const json_t *doc, struct pb_error *e)
{
	static const char *const keys[] = {
		"name", "version", "categories", "forbidden",
		"tolerance_percent", "contingency_max_percent", NULL
	};
	char path[PB_JPATH_MAX];
	const char *s = "", *key;
	const json_t *cats, *v;
	json_t *c;
	struct catctx x;
	size_t i = 0;
	int added;

	if (pb_json_object(doc, "", PB_EUSAGE, e) < 0 ||
	    pb_json_keys(doc, "", keys, PB_EUSAGE, e) < 0 ||
	    pb_json_str(json_object_get(doc, "name"), "name", PB_JOPT, &s,
			PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	p->name = pb_xstrdup(s);
	if (pb_json_str(json_object_get(doc, "version"), "version", PB_JREQ,
			&s, PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	if (*s == '\0')
		return pb_json_fail(e, PB_EUSAGE, "version", "empty");
	p->version = pb_xstrdup(s);
	cats = json_object_get(doc, "categories");
	if (pb_json_object(cats, "categories", PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	p->ncat = json_object_size(cats);
	p->cat = pb_xcalloc(p->ncat ? p->ncat : 1, sizeof *p->cat);
	json_object_foreach((json_t *)cats, key, c) {
		pb_strmap_intern(p->index, key, strlen(key), &added);
		p->cat[i].name = pb_strmap_key(p->index, i, NULL);
		i++;
	}
	x.p = p;
	i = 0;
	json_object_foreach((json_t *)cats, key, c) {
		x.c = &p->cat[i++];
		pb_jpath_key(path, "categories", key);
		if (load_category(&x, key, c, path, e) < 0)
			return -PB_EUSAGE;
	}
	if ((v = json_object_get(doc, "forbidden")) &&
	    str_list(v, "forbidden", add_forbidden, p, e) < 0)
		return -PB_EUSAGE;
	p->contingency_max = -1;
	if (pb_json_tenths(json_object_get(doc, "tolerance_percent"),
			   "tolerance_percent", PB_JOPT, 0, 1000, &p->tolerance,
			   PB_EUSAGE, e) < 0 ||
	    pb_json_tenths(json_object_get(doc, "contingency_max_percent"),
			   "contingency_max_percent", PB_JOPT, 0, 1000,
			   &p->contingency_max, PB_EUSAGE, e) < 0)
		return -PB_EUSAGE;
	return 0;
}

struct pb_spending *pb_spending_from_json(const json_t *doc,
					  struct pb_error *e)
{
	struct pb_spending *p = pb_xcalloc(1, sizeof *p);

	p->index = pb_strmap_new();
	p->forbidden = pb_strmap_new();
	pb_error_clear(e);
	if (load(p, doc, e) < 0) {
		pb_spending_free(p);
		return NULL;
	}
	return p;
}

struct pb_spending *pb_spending_load(const char *path, struct pb_error *e)
{
	json_t *doc = pb_json_load_file(path, PB_EUSAGE, e);
	struct pb_spending *p;

	if (!doc)
		return NULL;
	p = pb_spending_from_json(doc, e);
	if (!p)
		pb_error_at(e, pb_path_label(path), 0, NULL);
	json_decref(doc);
	return p;
}
