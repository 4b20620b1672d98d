/*
 * plan_alloc.c - the allocations (CONTRACTS.md §6) plans are checked
 * against, by allocation_id: each record checked as pb-ledger checks it
 * (pb_alloc_parse), a second one with the same id rejected, and the ids
 * of rejected records kept so that a plan can be told why it has none.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* ---- allocations ----------------------------------------------------------- */

struct pb_plan_allocs {
	const struct pb_map *map;
	int idx[PB_A_N];
	struct pb_strmap *ids;        /* allocation_id -> index */
	struct pb_strmap *strings;    /* person ids and file names */
	struct pb_strmap *rejected;   /* ids of allocations rejected */
	struct pb_plan_alloc *a;
	const char **file;
	long *line;
	size_t n, cap;
};

struct pb_plan_allocs *pb_plan_allocs_new(const struct pb_map *map)
{
	struct pb_plan_allocs *t = pb_xcalloc(1, sizeof *t);

	t->map = map;
	t->ids = pb_strmap_new();
	t->strings = pb_strmap_new();
	t->rejected = pb_strmap_new();
	return t;
}

void pb_plan_allocs_free(struct pb_plan_allocs *t)
{
	if (!t)
		return;
	pb_strmap_free(t->ids);
	pb_strmap_free(t->strings);
	pb_strmap_free(t->rejected);
	free(t->a);
	free(t->file);
	free(t->line);
	free(t);
}

int pb_plan_allocs_bind(struct pb_plan_allocs *t, const struct pb_header *h,
			int lenient, struct pb_error *e)
{
	if (pb_bind(h, t->map, pb_alloc_spec, PB_A_N, t->idx, lenient, e) < 0)
		return -PB_EUSAGE;
	return pb_map_check_used(t->map, e) < 0 ? -PB_EUSAGE : 0;
}

static const char *intern(struct pb_strmap *m, const char *s)
{
	int added;
	size_t id = pb_strmap_intern(m, s, strlen(s), &added);

	return pb_strmap_key(m, id, NULL);
}

int pb_plan_allocs_put(struct pb_plan_allocs *t, const struct pb_plan_alloc *a,
		       const char *file, long line, struct pb_error *e)
{
	size_t len = strlen(a->allocation_id), id;
	long seen = pb_strmap_get(t->ids, a->allocation_id, len);
	struct pb_plan_alloc *x;
	char q[80];
	int added;

	if (seen >= 0) {
		if (file && t->file[seen] && strcmp(file, t->file[seen]) == 0)
			return pb_error_set(e, PB_EDATA,
				"a second allocation with this id (the first is on line %ld) '%s'",
				t->line[seen],
				pb_quote(q, sizeof q, a->allocation_id, len));
		return pb_error_set(e, PB_EDATA,
			"a second allocation with this id (the first is in %s) '%s'",
			t->file[seen] ? t->file[seen] : "the allocations",
			pb_quote(q, sizeof q, a->allocation_id, len));
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->a = pb_xrealloc(t->a, t->cap * sizeof *t->a);
		t->file = pb_xrealloc(t->file, t->cap * sizeof *t->file);
		t->line = pb_xrealloc(t->line, t->cap * sizeof *t->line);
	}
	id = pb_strmap_intern(t->ids, a->allocation_id, len, &added);
	x = &t->a[id];
	*x = *a;
	x->allocation_id = pb_strmap_key(t->ids, id, NULL);
	x->person_id = intern(t->strings, a->person_id);
	t->file[id] = file ? intern(t->strings, file) : NULL;
	t->line[id] = line;
	t->n++;
	return 0;
}

int pb_plan_allocs_add(struct pb_plan_allocs *t, const struct pb_record *rec,
		       struct pb_error *e)
{
	struct pb_alloc a;
	struct pb_plan_alloc p;
	int k;

	if (pb_alloc_parse(t->idx, rec, &a, e) < 0) {
		size_t n;
		const char *id = pb_rec_get(rec, t->idx[PB_A_ALLOCATION_ID], &n);
		int added;

		/* A plan that needs it is told why there is none. */
		if (n > 0 && pb_strmap_get(t->ids, id, n) < 0)
			pb_strmap_intern(t->rejected, id, n, &added);
		return -PB_EDATA;
	}
	p.allocation_id = a.allocation_id;
	p.person_id = a.person_id;
	p.weekly = a.weekly;
	for (k = 0; k < PB_NSTREAMS; k++)
		p.stream[k] = a.stream[k];
	if (pb_plan_allocs_put(t, &p, rec->file, rec->line, e) < 0)
		return pb_field_blame(rec, t->idx[PB_A_ALLOCATION_ID], e);
	return 0;
}

const struct pb_plan_alloc *pb_plan_allocs_get(const struct pb_plan_allocs *t,
					       const char *id, size_t len)
{
	long i = pb_strmap_get(t->ids, id, len);

	return i < 0 ? NULL : &t->a[i];
}

int pb_plan_allocs_rejected(const struct pb_plan_allocs *t, const char *id,
			    size_t len)
{
	return pb_strmap_get(t->rejected, id, len) >= 0;
}

size_t pb_plan_allocs_count(const struct pb_plan_allocs *t)
{
	return t->n;
}
