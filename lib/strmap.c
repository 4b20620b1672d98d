/* strmap.c - interned byte strings with dense ids (open addressing). */
#include <stdlib.h>
#include <string.h>

#include "pb.h"

/*
 * Keys are copied into blocks that are never moved or resized, so the
 * pointer pb_strmap_key hands out stays valid until the map is freed.
 */
#define KEY_BLOCK 65536

struct pb_strmap {
	char **blocks;        /* every block of key bytes */
	size_t nblock;
	char *cur;            /* the block small keys go into */
	size_t cur_left;      /* bytes free in it */
	const char **key;     /* id -> key, NUL-terminated */
	size_t *klen;         /* id -> length */
	uint64_t *khash;      /* id -> hash */
	size_t count, idcap;
	uint32_t *slot;       /* id + 1, 0 = empty */
	size_t nslot;         /* power of two */
};

struct pb_strmap *pb_strmap_new(void)
{
	struct pb_strmap *m = pb_xcalloc(1, sizeof *m);

	m->nslot = 64;
	m->slot = pb_xcalloc(m->nslot, sizeof *m->slot);
	return m;
}

void pb_strmap_free(struct pb_strmap *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nblock; i++)
		free(m->blocks[i]);
	free(m->blocks);
	free(m->key);
	free(m->klen);
	free(m->khash);
	free(m->slot);
	free(m);
}

static size_t find(const struct pb_strmap *m, const char *key, size_t n,
		   uint64_t h)
{
	size_t mask = m->nslot - 1;
	size_t i = (size_t)h & mask;

	for (;;) {
		uint32_t s = m->slot[i];

		if (s == 0)
			return i;
		size_t id = s - 1;
		if (m->khash[id] == h && m->klen[id] == n &&
		    memcmp(m->key[id], key, n) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

long pb_strmap_get(const struct pb_strmap *m, const char *key, size_t n)
{
	uint64_t h = pb_hash64(key, n, 0);
	size_t i = find(m, key, n, h);

	return m->slot[i] ? (long)m->slot[i] - 1 : -1;
}

static void grow(struct pb_strmap *m)
{
	size_t n = m->nslot * 2, id;

	free(m->slot);
	m->nslot = n;
	m->slot = pb_xcalloc(n, sizeof *m->slot);
	for (id = 0; id < m->count; id++) {
		size_t i = (size_t)m->khash[id] & (n - 1);

		while (m->slot[i])
			i = (i + 1) & (n - 1);
		m->slot[i] = (uint32_t)(id + 1);
	}
}

/* A new block of n bytes; it becomes the current one if cur is set. */
static char *new_block(struct pb_strmap *m, size_t n, int cur)
{
	char *b = pb_xmalloc(n);

	m->blocks = pb_xrealloc(m->blocks, (m->nblock + 1) * sizeof *m->blocks);
	m->blocks[m->nblock++] = b;
	if (cur) {
		m->cur = b;
		m->cur_left = n;
	}
	return b;
}

/* Copy key into block storage, NUL-terminated. */
static const char *store(struct pb_strmap *m, const char *key, size_t n)
{
	char *p;

	if (n >= KEY_BLOCK / 4) {
		p = new_block(m, n + 1, 0);  /* a long key: a block of its own */
	} else {
		if (m->cur_left < n + 1)
			new_block(m, KEY_BLOCK, 1);
		p = m->cur;
		m->cur += n + 1;
		m->cur_left -= n + 1;
	}
	if (n)
		memcpy(p, key, n);
	p[n] = '\0';
	return p;
}

size_t pb_strmap_intern(struct pb_strmap *m, const char *key, size_t n,
			int *added)
{
	uint64_t h = pb_hash64(key, n, 0);
	size_t i = find(m, key, n, h);
	size_t id;

	if (m->slot[i]) {
		if (added)
			*added = 0;
		return m->slot[i] - 1;
	}
	if (m->count == m->idcap) {
		m->idcap = m->idcap ? m->idcap * 2 : 16;
		m->key = pb_xrealloc(m->key, m->idcap * sizeof *m->key);
		m->klen = pb_xrealloc(m->klen, m->idcap * sizeof *m->klen);
		m->khash = pb_xrealloc(m->khash, m->idcap * sizeof *m->khash);
	}
	id = m->count++;
	m->key[id] = store(m, key, n);
	m->klen[id] = n;
	m->khash[id] = h;
	m->slot[i] = (uint32_t)(id + 1);
	if (m->count * 2 > m->nslot)
		grow(m);
	if (added)
		*added = 1;
	return id;
}

const char *pb_strmap_key(const struct pb_strmap *m, size_t id, size_t *n)
{
	if (n)
		*n = m->klen[id];
	return m->key[id];
}

size_t pb_strmap_count(const struct pb_strmap *m)
{
	return m->count;
}
