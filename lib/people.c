/*
 * people.c - count each person once, by the national hierarchy over
 * their rows active on a day.  Memory: one 32-byte slot per distinct
 * person (a 128-bit fingerprint of la_code and person_id, the winning
 * row's rank, start and group, and the mechanisms seen), and 8 bytes
 * more for a table with values (a weekly cost).
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
	struct pb_fp key;
	int32_t start;
	uint32_t group;
	uint8_t rank;
	uint8_t mflags;
};
_Static_assert(sizeof(struct slot) == 32, "32 bytes a person");

/* A slot of a table with values (pb_people_new_values). */
struct vslot {
	struct slot s;
	int64_t value;
};

struct pb_people {
	struct pb_fptab t;
	int values;
	const struct pb_strmap *groups;
};

static struct pb_people *people_new(const struct pb_strmap *groups,
				    int values)
{
	struct pb_people *pp = pb_xcalloc(1, sizeof *pp);

	pb_fptab_init(&pp->t, values ? sizeof(struct vslot)
				     : sizeof(struct slot));
	pp->values = values;
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
	pb_fptab_fini(&pp->t);
	free(pp);
}

size_t pb_people_count(const struct pb_people *pp)
{
	return pp->t.count;
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
	int added;
	struct slot *s = pb_fptab_get(&pp->t, fp, &added);

	if (added) {
		s->rank = (uint8_t)rank;
		s->start = start;
		s->group = group;
		s->mflags = (uint8_t)mflags;
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
	struct vslot *s = pb_fptab_find(&pp->t, key);
	int64_t sum;

	if (!pp->values || !s)
		return -PB_EDATA;
	if (pb_add_checked(s->value, v, &sum) < 0)
		return -PB_EDATA;
	s->value = sum;
	s->s.mflags |= PB_MF_VALUE;
	return 0;
}

long pb_people_find(struct pb_people *pp, struct pb_fp key, int mark)
{
	struct slot *s = pb_fptab_find(&pp->t, key);

	if (!s)
		return -1;
	if (mark)
		s->mflags |= PB_MF_MARK;
	return (long)s->group;
}

void pb_people_each(const struct pb_people *pp,
		    void (*fn)(void *ctx, int rank, uint32_t group, int mflags),
		    void *ctx)
{
	const struct slot *s;
	size_t i = 0;

	while ((s = pb_fptab_next(&pp->t, &i)))
		fn(ctx, s->rank, s->group, s->mflags);
}

void pb_people_scan(const struct pb_people *pp,
		    void (*fn)(void *ctx, const struct pb_person *p),
		    void *ctx)
{
	void **order = pb_fptab_sorted(&pp->t);
	const struct slot *s;
	size_t i;
	struct pb_person p;

	for (i = 0; i < pp->t.count; i++) {
		s = order[i];
		p.key = s->key;
		p.start = s->start;
		p.group = s->group;
		p.rank = s->rank;
		p.mflags = s->mflags;
		p.value = pp->values ? ((const struct vslot *)s)->value : 0;
		fn(ctx, &p);
	}
	free(order);
}
