/*
 * people.c - count each person once, by the national hierarchy over
 * their rows active on a day.  Memory: one 32-byte slot per distinct
 * person (a 128-bit fingerprint of la_code and person_id, the winning
 * row's rank, start and group, and the mechanisms seen).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

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
	size_t nslot, count;
	const struct pb_strmap *groups;
};

struct pb_people *pb_people_new(const struct pb_strmap *groups)
{
	struct pb_people *pp = pb_xcalloc(1, sizeof *pp);

	pp->nslot = 1024;
	pp->slot = pb_xcalloc(pp->nslot, sizeof *pp->slot);
	pp->groups = groups;
	return pp;
}

void pb_people_free(struct pb_people *pp)
{
	if (!pp)
		return;
	free(pp->slot);
	free(pp);
}

size_t pb_people_count(const struct pb_people *pp)
{
	return pp->count;
}

static struct slot *find(struct slot *tab, size_t nslot, uint64_t hi,
			 uint64_t lo)
{
	size_t mask = nslot - 1, i = (size_t)(lo ^ (hi >> 7)) & mask;

	while (tab[i].rank && !(tab[i].hi == hi && tab[i].lo == lo))
		i = (i + 1) & mask;
	return &tab[i];
}

static void grow(struct pb_people *pp)
{
	size_t n = pp->nslot * 2, i;
	struct slot *tab = pb_xcalloc(n, sizeof *tab);

	for (i = 0; i < pp->nslot; i++)
		if (pp->slot[i].rank)
			*find(tab, n, pp->slot[i].hi, pp->slot[i].lo) =
				pp->slot[i];
	free(pp->slot);
	pp->slot = tab;
	pp->nslot = n;
}

/* Group keys in byte order (tuple order: values are NUL-separated). */
static int group_cmp(const struct pb_strmap *g, uint32_t a, uint32_t b)
{
	size_t la, lb;
	const char *ka, *kb;
	int c;

	if (a == b || !g)
		return 0;
	ka = pb_strmap_key(g, a, &la);
	kb = pb_strmap_key(g, b, &lb);
	c = memcmp(ka, kb, la < lb ? la : lb);
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

void pb_people_offer(struct pb_people *pp, const char *la, size_t lalen,
		     const char *pid, size_t pidlen, int rank, int32_t start,
		     uint32_t group, int mflags)
{
	char stackkey[256];
	char *key = stackkey;
	size_t n = lalen + 1 + pidlen;
	struct pb_fp fp;
	struct slot *s;

	if (n > sizeof stackkey)
		key = pb_xmalloc(n);
	memcpy(key, la, lalen);
	key[lalen] = '\0';
	memcpy(key + lalen + 1, pid, pidlen);
	fp = pb_fingerprint(key, n);
	if (key != stackkey)
		free(key);

	s = find(pp->slot, pp->nslot, fp.hi, fp.lo);
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
