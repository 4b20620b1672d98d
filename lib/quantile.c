/*
 * quantile.c - a mergeable quantile sketch of non-negative whole
 * numbers (pence, days), in integer arithmetic only.
 *
 * Buckets: a value v below 2^(SUB+1) = 256 has a bucket of its own
 * (exact).  Above, with e = floor(log2 v) >= 8, the bucket is the top
 * SUB+1 bits of v: index 256 + (e - 8) * 128 + (v >> (e - 7)) - 128,
 * which holds [L, L + W) with W = 2^(e - 7) and L >= 128 W.  The value a
 * bucket reports is its middle rounded down, L + (W - 1) / 2, which is
 * within W / 2 of any value in it: a relative error of at most
 * (W / 2) / (128 W) = 1/256, about 0.39%.
 *
 * Until it holds more than PB_QS_EXACT values the sketch keeps the
 * values themselves (quantiles exact); then it moves them into buckets,
 * a dense run of counts from the smallest bucket used to the largest,
 * grown as values arrive.  Whether a sketch is bucketed depends only on
 * how many values it holds, and merging keeps values or adds counts, so
 * a merged sketch is identical to one fed every value.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SUB PB_QS_SUB
#define EXACT (UINT64_C(1) << (SUB + 1))   /* 256 */
#define PER (UINT64_C(1) << SUB)           /* 128 */

void pb_qs_init(struct pb_qsketch *q)
{
	memset(q, 0, sizeof *q);
}

void pb_qs_fini(struct pb_qsketch *q)
{
	free(q->cnt);
	free(q->val);
	memset(q, 0, sizeof *q);
}

static int log2u(uint64_t v)
{
	return 63 - __builtin_clzll(v);
}

uint32_t pb_qs_index(int64_t v)
{
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	int e;

	if (u < EXACT)
		return (uint32_t)u;
	e = log2u(u);
	return (uint32_t)(EXACT + (uint64_t)(e - SUB - 1) * PER +
			  ((u >> (e - SUB)) - PER));
}

int64_t pb_qs_value(uint32_t index)
{
	uint64_t i = index, e, sub, lo, w;

	if (i < EXACT)
		return (int64_t)i;
	e = (i - EXACT) / PER + SUB + 1;
	sub = (i - EXACT) % PER;
	w = UINT64_C(1) << (e - SUB);
	lo = (PER + sub) * w;
	return (int64_t)(lo + (w - 1) / 2);
}

/* Make room for bucket i in the dense run. */
static void cover(struct pb_qsketch *q, uint32_t i)
{
	uint32_t lo, hi, nb;
	int64_t *cnt;

	if (q->nb == 0) {
		q->cnt = pb_xcalloc(1, sizeof *q->cnt);
		q->lo = i;
		q->nb = 1;
		return;
	}
	if (i >= q->lo && i < q->lo + q->nb)
		return;
	lo = i < q->lo ? i : q->lo;
	hi = i >= q->lo + q->nb ? i + 1 : q->lo + q->nb;
	/* Grow by at least a quarter, so runs of new values cost little. */
	nb = hi - lo;
	if (nb < q->nb + q->nb / 4) {
		uint32_t extra = q->nb + q->nb / 4 - nb;

		if (i < q->lo)
			lo = lo > extra ? lo - extra : 0;
		else
			hi += extra;
		nb = hi - lo;
	}
	cnt = pb_xcalloc(nb, sizeof *cnt);
	memcpy(cnt + (q->lo - lo), q->cnt, q->nb * sizeof *cnt);
	free(q->cnt);
	q->cnt = cnt;
	q->lo = lo;
	q->nb = nb;
}

static void add_sum(struct pb_qsketch *q, uint64_t hi, uint64_t lo)
{
	uint64_t s = q->sum_lo + lo;

	q->sum_hi += hi + (s < lo);
	q->sum_lo = s;
}

static void bucket_add(struct pb_qsketch *q, int64_t v, int64_t k)
{
	uint32_t i = pb_qs_index(v);

	cover(q, i);
	q->cnt[i - q->lo] += k;
}

void pb_qs_bucket(struct pb_qsketch *q)
{
	int64_t j;

	if (q->bucketed)
		return;
	q->bucketed = 1;
	for (j = 0; j < q->n; j++)
		bucket_add(q, q->val[j], 1);
	free(q->val);
	q->val = NULL;
}

void pb_qs_add(struct pb_qsketch *q, int64_t v, int64_t k)
{
	unsigned __int128 p;
	int64_t j;

	if (k <= 0)
		return;
	if (v < 0)
		v = 0;
	if (!q->bucketed && q->n + k > PB_QS_EXACT)
		pb_qs_bucket(q);
	if (q->bucketed) {
		bucket_add(q, v, k);
	} else {
		if (!q->val)
			q->val = pb_xcalloc(PB_QS_EXACT, sizeof *q->val);
		for (j = 0; j < k; j++)
			q->val[q->n + j] = v;
	}
	if (q->n == 0 || v < q->min)
		q->min = v;
	if (q->n == 0 || v > q->max)
		q->max = v;
	q->n += k;
	p = (unsigned __int128)(uint64_t)v * (uint64_t)k;
	add_sum(q, (uint64_t)(p >> 64), (uint64_t)p);
}

void pb_qs_merge(struct pb_qsketch *q, const struct pb_qsketch *o)
{
	uint32_t j;
	int64_t k;

	if (o->n == 0)
		return;
	if (!q->bucketed && !o->bucketed && q->n + o->n <= PB_QS_EXACT) {
		if (!q->val)
			q->val = pb_xcalloc(PB_QS_EXACT, sizeof *q->val);
		memcpy(q->val + q->n, o->val, (size_t)o->n * sizeof *q->val);
	} else {
		pb_qs_bucket(q);
		if (o->bucketed) {
			cover(q, o->lo);
			cover(q, o->lo + o->nb - 1);
			for (j = 0; j < o->nb; j++)
				q->cnt[o->lo + j - q->lo] += o->cnt[j];
		} else {
			for (k = 0; k < o->n; k++)
				bucket_add(q, o->val[k], 1);
		}
	}
	if (q->n == 0 || o->min < q->min)
		q->min = o->min;
	if (q->n == 0 || o->max > q->max)
		q->max = o->max;
	q->n += o->n;
	add_sum(q, o->sum_hi, o->sum_lo);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int pb_qs_quantile(const struct pb_qsketch *q, int64_t num, int64_t den,
		   int64_t *out)
{
	unsigned __int128 rank;
	int64_t seen = 0, v;
	uint32_t j;

	if (q->n == 0 || den <= 0 || num <= 0)
		return -1;
	/* ceil(n * num / den), at least 1 */
	rank = ((unsigned __int128)q->n * (uint64_t)num + (uint64_t)den - 1) /
	       (uint64_t)den;
	if (rank < 1)
		rank = 1;
	if (rank > (unsigned __int128)q->n)
		rank = (unsigned __int128)q->n;
	/* The smallest and largest values are kept exactly. */
	if (rank == 1) {
		*out = q->min;
		return 0;
	}
	if (rank == (unsigned __int128)q->n) {
		*out = q->max;
		return 0;
	}
	if (!q->bucketed) {
		int64_t sorted[PB_QS_EXACT];

		memcpy(sorted, q->val, (size_t)q->n * sizeof *sorted);
		qsort(sorted, (size_t)q->n, sizeof *sorted, cmp64);
		*out = sorted[(size_t)rank - 1];
		return 0;
	}
	for (j = 0; j < q->nb; j++) {
		seen += q->cnt[j];
		if ((unsigned __int128)seen >= rank)
			break;
	}
	v = pb_qs_value(q->lo + j);
	if (v < q->min)
		v = q->min;
	if (v > q->max)
		v = q->max;
	*out = v;
	return 0;
}

int pb_qs_mean(const struct pb_qsketch *q, int64_t *out)
{
	unsigned __int128 s, n, m;

	if (q->n == 0)
		return -1;
	s = ((unsigned __int128)q->sum_hi << 64) | q->sum_lo;
	n = (unsigned __int128)q->n;
	m = (s + n / 2) / n;   /* half up; values are non-negative */
	*out = (int64_t)m;
	return 0;
}
