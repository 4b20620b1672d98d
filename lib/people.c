/*
 * people.c - count each person once, by the national hierarchy over
 * their rows active on a day.  Memory: one 32-byte slot per distinct
 * person (a 128-bit fingerprint of la_code and person_id, the winning
 * row's rank, start and group, and the mechanisms seen), and 8 bytes
 * more for a table with values (a weekly cost).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "report.h"

/* Tables this big are mapped on their own: zero already, and freed
 * straight back to the system. */
#define BIG ((size_t)4 << 20)

void *pb_big_calloc(size_t n, size_t size)
{
	size_t bytes = n * size;
	void *p;

	if (size && bytes / size != n)
		return pb_xcalloc(n, size);  /* reports the overflow */
	if (bytes < BIG)
		return pb_xcalloc(n, size);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return pb_xcalloc(n, size);  /* which dies, saying why */
#ifdef MADV_HUGEPAGE
	/* Millions of slots touched at random: in huge pages that is a few
	 * hundred page faults rather than a quarter of a million. */
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

void pb_big_free(void *p, size_t n, size_t size)
{
	if (!p)
		return;
	if (n * size < BIG)
		free(p);
	else
		munmap(p, n * size);
}

int pb_hier_rank(int setting, int mech)
{
	switch (setting) {
	case PB_SET_NURSING:
		return 1;
	case PB_SET_RESIDENTIAL:
		return 2;
	case PB_SET_PRISON:
		return 6;
	}
	switch (mech) {
	case PB_MECH_DP:
	case PB_MECH_PART_DP:
		return 3;
	case PB_MECH_MANAGED:
		return 4;
	default:
		return 5;
	}
}

int pb_mech_flag(int setting, int mech)
{
	if (setting != PB_SET_COMMUNITY)
		return 0;
	switch (mech) {
	case PB_MECH_DP:
		return PB_MF_DP;
	case PB_MECH_PART_DP:
		return PB_MF_PART;
	default:
		return PB_MF_OTHER;
	}
}

int pb_people_mech(int rank, int flags)
{
	switch (rank) {
	case 3:
		if ((flags & PB_MF_PART) ||
		    ((flags & PB_MF_DP) && (flags & PB_MF_OTHER)))
			return PB_MECH_PART_DP;
		return PB_MECH_DP;
	case 4:
		return PB_MECH_MANAGED;
	case 5:
		return PB_MECH_COMMISSIONED;
	}
	return -1;
}

struct slot {
	uint64_t hi, lo;
	int32_t start;
	uint32_t group;
	uint8_t rank;    /* 0: empty */
	uint8_t mflags;
};

struct pb_people {
	struct slot *slot;
	int64_t *value;  /* with values: one per slot */
	size_t nslot, count;
	const struct pb_strmap *groups;
};

static struct pb_people *people_new(const struct pb_strmap *groups,
				    int values)
{
	struct pb_people *pp = pb_xcalloc(1, sizeof *pp);

	pp->nslot = 1024;
	pp->slot = pb_big_calloc(pp->nslot, sizeof *pp->slot);
	if (values)
		pp->value = pb_big_calloc(pp->nslot, sizeof *pp->value);
	pp->groups = groups;
	return pp;
}

struct pb_people *pb_people_new(const struct pb_strmap *groups)
{
	return people_new(groups, 0);
}

struct pb_people *pb_people_new_values(const struct pb_strmap *groups)
{
	return people_new(groups, 1);
}

void pb_people_free(struct pb_people *pp)
{
	if (!pp)
		return;
	pb_big_free(pp->slot, pp->nslot, sizeof *pp->slot);
	pb_big_free(pp->value, pp->nslot, sizeof *pp->value);
	free(pp);
}

size_t pb_people_count(const struct pb_people *pp)
{
	return pp->count;
}

/* Three values with NUL bytes between them, fingerprinted. */
static struct pb_fp key_of(const char *a, size_t alen, const char *b,
			   size_t blen, const char *c, size_t clen, int three)
{
	char stackkey[256];
	char *key = stackkey;
	size_t n = alen + 1 + blen + (three ? 1 + clen : 0);
	struct pb_fp fp;

	if (n > sizeof stackkey)
		key = pb_xmalloc(n);
	if (alen)
		memcpy(key, a, alen);
	key[alen] = '\0';
	if (blen)
		memcpy(key + alen + 1, b, blen);
	if (three) {
		key[alen + 1 + blen] = '\0';
		if (clen)
			memcpy(key + alen + 2 + blen, c, clen);
	}
	fp = pb_fingerprint(key, n);
	if (key != stackkey)
		free(key);
	return fp;
}

struct pb_fp pb_person_key(const char *la, size_t lalen, const char *pid,
			   size_t pidlen)
{
	return key_of(la, lalen, pid, pidlen, NULL, 0, 0);
}

struct pb_fp pb_person_key3(const char *la, size_t lalen, const char *pid,
			    size_t pidlen, const char *third, size_t thirdlen)
{
	return key_of(la, lalen, pid, pidlen, third, thirdlen, 1);
}

static size_t find(const struct slot *tab, size_t nslot, uint64_t hi,
		   uint64_t lo)
{
	size_t mask = nslot - 1, i = (size_t)(lo ^ (hi >> 7)) & mask;

	while (tab[i].rank && !(tab[i].hi == hi && tab[i].lo == lo))
		i = (i + 1) & mask;
	return i;
}

static void grow(struct pb_people *pp)
{
	size_t n = pp->nslot * 2, i, j;
	struct slot *tab = pb_big_calloc(n, sizeof *tab);
	int64_t *val = pp->value ? pb_big_calloc(n, sizeof *val) : NULL;

	for (i = 0; i < pp->nslot; i++)
		if (pp->slot[i].rank) {
			j = find(tab, n, pp->slot[i].hi, pp->slot[i].lo);
			tab[j] = pp->slot[i];
			if (val)
				val[j] = pp->value[i];
		}
	pb_big_free(pp->slot, pp->nslot, sizeof *pp->slot);
	pb_big_free(pp->value, pp->nslot, sizeof *pp->value);
	pp->slot = tab;
	pp->value = val;
	pp->nslot = n;
}

/* Group keys in byte order (tuple order: values are NUL-separated). */
static int group_cmp(const struct pb_strmap *g, uint32_t a, uint32_t b)
{
	if (a == b || !g)
		return 0;
	return pb_group_cmp(g, a, b);
}

void pb_people_offer_fp(struct pb_people *pp, struct pb_fp fp, int rank,
			int32_t start, uint32_t group, int mflags)
{
	struct slot *s = &pp->slot[find(pp->slot, pp->nslot, fp.hi, fp.lo)];

	if (!s->rank) {
		s->hi = fp.hi;
		s->lo = fp.lo;
		s->rank = (uint8_t)rank;
		s->start = start;
		s->group = group;
		s->mflags = (uint8_t)mflags;
		if (++pp->count * 10 > pp->nslot * 7)
			grow(pp);
		return;
	}
	s->mflags |= (uint8_t)mflags;
	if (rank < s->rank ||
	    (rank == s->rank &&
	     (start > s->start ||
	      (start == s->start && group_cmp(pp->groups, group, s->group) < 0)))) {
		s->rank = (uint8_t)rank;
		s->start = start;
		s->group = group;
	}
}

void pb_people_offer(struct pb_people *pp, const char *la, size_t lalen,
		     const char *pid, size_t pidlen, int rank, int32_t start,
		     uint32_t group, int mflags)
{
	pb_people_offer_fp(pp, pb_person_key(la, lalen, pid, pidlen), rank,
			   start, group, mflags);
}

int pb_people_add_value(struct pb_people *pp, struct pb_fp key, int64_t v)
{
	size_t i = find(pp->slot, pp->nslot, key.hi, key.lo);
	int64_t sum;

	if (!pp->value || !pp->slot[i].rank)
		return -PB_EDATA;
	if (pb_add_checked(pp->value[i], v, &sum) < 0)
		return -PB_EDATA;
	pp->value[i] = sum;
	pp->slot[i].mflags |= PB_MF_VALUE;
	return 0;
}

long pb_people_find(struct pb_people *pp, struct pb_fp key, int mark)
{
	size_t i = find(pp->slot, pp->nslot, key.hi, key.lo);

	if (!pp->slot[i].rank)
		return -1;
	if (mark)
		pp->slot[i].mflags |= PB_MF_MARK;
	return (long)pp->slot[i].group;
}

void pb_people_each(const struct pb_people *pp,
		    void (*fn)(void *ctx, int rank, uint32_t group, int mflags),
		    void *ctx)
{
	size_t i;

	for (i = 0; i < pp->nslot; i++)
		if (pp->slot[i].rank)
			fn(ctx, pp->slot[i].rank, pp->slot[i].group,
			   pp->slot[i].mflags);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

void pb_people_scan(const struct pb_people *pp,
		    void (*fn)(void *ctx, const struct pb_person *p),
		    void *ctx)
{
	const struct slot **order = pb_xcalloc(pp->count + 1, sizeof *order);
	size_t i, n = 0;
	struct pb_person p;

	for (i = 0; i < pp->nslot; i++)
		if (pp->slot[i].rank)
			order[n++] = &pp->slot[i];
	qsort(order, n, sizeof *order, cmp_slot);
	for (i = 0; i < n; i++) {
		const struct slot *s = order[i];

		p.key.hi = s->hi;
		p.key.lo = s->lo;
		p.start = s->start;
		p.group = s->group;
		p.rank = s->rank;
		p.mflags = s->mflags;
		p.value = pp->value ? pp->value[s - pp->slot] : 0;
		fn(ctx, &p);
	}
	free(order);
}
