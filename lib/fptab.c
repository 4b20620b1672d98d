/*
 * fptab.c - tables keyed by 128-bit fingerprints: open addressing with
 * linear probing, grown to stay at most 70% full.  Every table of
 * people, journeys or outcomes in libpb is one of these.
 *
 * An entry is esize bytes and starts with its key (struct pb_fp); an
 * all-zero key marks a free slot, so a fingerprint that happens to be
 * all zero is kept as {0, 1} (pb_fptab_key).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pb.h"

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

#define FIRST_SLOTS 1024

struct pb_fp pb_fptab_key(struct pb_fp fp)
{
	if (!fp.hi && !fp.lo)
		fp.lo = 1;
	return fp;
}

void pb_fptab_init(struct pb_fptab *t, size_t esize)
{
	t->esize = esize;
	t->nslot = FIRST_SLOTS;
	t->count = 0;
	t->slot = pb_big_calloc(t->nslot, esize);
}

void pb_fptab_fini(struct pb_fptab *t)
{
	pb_big_free(t->slot, t->nslot, t->esize);
	t->slot = NULL;
	t->nslot = t->count = 0;
}

static struct pb_fp *at(const struct pb_fptab *t, size_t i)
{
	return (struct pb_fp *)(t->slot + i * t->esize);
}

/* The slot holding key, or the free slot where it would go. */
static size_t probe(const struct pb_fptab *t, struct pb_fp key)
{
	size_t mask = t->nslot - 1, i = (size_t)(key.lo ^ (key.hi >> 7)) & mask;

	for (;;) {
		const struct pb_fp *k = at(t, i);

		if ((!k->hi && !k->lo) || (k->hi == key.hi && k->lo == key.lo))
			return i;
		i = (i + 1) & mask;
	}
}

static void grow(struct pb_fptab *t)
{
	struct pb_fptab old = *t;
	size_t i;

	t->nslot *= 2;
	t->slot = pb_big_calloc(t->nslot, t->esize);
	for (i = 0; i < old.nslot; i++) {
		const struct pb_fp *k = at(&old, i);

		if (k->hi || k->lo)
			memcpy(at(t, probe(t, *k)), k, t->esize);
	}
	pb_big_free(old.slot, old.nslot, old.esize);
}

void *pb_fptab_find(const struct pb_fptab *t, struct pb_fp key)
{
	struct pb_fp *k;

	key = pb_fptab_key(key);
	k = at(t, probe(t, key));
	return k->hi || k->lo ? k : NULL;
}

void *pb_fptab_get(struct pb_fptab *t, struct pb_fp key, int *added)
{
	struct pb_fp *k;

	key = pb_fptab_key(key);
	if ((t->count + 1) * 10 > t->nslot * 7)
		grow(t);
	k = at(t, probe(t, key));
	*added = !k->hi && !k->lo;
	if (*added) {
		*k = key;
		t->count++;
	}
	return k;
}

void *pb_fptab_next(const struct pb_fptab *t, size_t *i)
{
	for (; *i < t->nslot; (*i)++) {
		struct pb_fp *k = at(t, *i);

		if (k->hi || k->lo) {
			(*i)++;
			return k;
		}
	}
	return NULL;
}

static int cmp_key(const void *a, const void *b)
{
	const struct pb_fp *x = *(const struct pb_fp *const *)a;
	const struct pb_fp *y = *(const struct pb_fp *const *)b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

void **pb_fptab_sorted(const struct pb_fptab *t)
{
	void **order = pb_xcalloc(t->count + 1, sizeof *order);
	void *x;
	size_t i = 0, n = 0;

	while ((x = pb_fptab_next(t, &i)))
		order[n++] = x;
	qsort(order, n, sizeof *order, cmp_key);
	return order;
}
