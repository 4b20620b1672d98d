/* strmap.c - interned byte strings with dense ids (open addressing). */
#include <stdlib.h>
#include <string.h>

#include "pb.h"

struct pb_strmap {
	struct pb_buf keys;   /* every key, NUL-terminated, back to back */
	size_t *off;          /* id -> offset in keys */
	size_t *klen;         /* id -> length */
	uint64_t *khash;      /* id -> hash */
	size_t count, idcap;
	uint32_t *slot;       /* id + 1, 0 = empty */
	size_t nslot;         /* power of two */
};

struct pb_strmap *pb_strmap_new(void)
{
	struct pb_strmap *m = pb_xcalloc(1, sizeof *m);

	pb_buf_init(&m->keys);
	m->nslot = 64;
	m->slot = pb_xcalloc(m->nslot, sizeof *m->slot);
	return m;
}

void pb_strmap_free(struct pb_strmap *m)
{
	if (!m)
		return;
	pb_buf_fini(&m->keys);
	free(m->off);
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
		    memcmp(m->keys.s + m->off[id], key, n) == 0)
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
		m->off = pb_xrealloc(m->off, m->idcap * sizeof *m->off);
		m->klen = pb_xrealloc(m->klen, m->idcap * sizeof *m->klen);
		m->khash = pb_xrealloc(m->khash, m->idcap * sizeof *m->khash);
	}
	id = m->count++;
	m->off[id] = m->keys.len;
	m->klen[id] = n;
	m->khash[id] = h;
	pb_buf_add(&m->keys, key, n);
	pb_buf_addc(&m->keys, '\0');
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
	return m->keys.s + m->off[id];
}

size_t pb_strmap_count(const struct pb_strmap *m)
{
	return m->count;
}
