/* disclosure.c - small-number suppression as NHS England publishes. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

int pb_disclosure_parse(const char *s, enum pb_disclosure *d,
			struct pb_error *e)
{
	char q[80];

	if (strcmp(s, "nhs") == 0)
		*d = PB_DISC_NHS;
	else if (strcmp(s, "none") == 0)
		*d = PB_DISC_NONE;
	else
		return pb_error_set(e, PB_EUSAGE,
				    "unknown disclosure rule '%s' (use nhs or none)",
				    pb_quote(q, sizeof q, s, strlen(s)));
	return 0;
}

int pb_disc_count(enum pb_disclosure d, int64_t n, int64_t *out)
{
	if (d == PB_DISC_NONE || n == 0) {
		*out = n;
		return 0;
	}
	if (n >= 1 && n <= 7)
		return 1;
	/* Nearest 5; counts are never negative, halves cannot occur. */
	*out = (n + 2) / 5 * 5;
	return 0;
}

const char *pb_disc_note(enum pb_disclosure d)
{
	if (d == PB_DISC_NONE)
		return "disclosure control: none (exact figures, for internal use only)";
	return "disclosure control: NHS rule (counts of 1 to 7 shown as *, "
	       "other counts rounded to the nearest 5, percentages from the "
	       "rounded counts); --disclosure none for exact figures";
}

const char *pb_disclosure_name(enum pb_disclosure d)
{
	return d == PB_DISC_NONE ? "none" : "nhs";
}

int pb_disc_stat(enum pb_disclosure d, int64_t n)
{
	return d != PB_DISC_NONE && n >= 1 && n <= 7;
}

/* Does sum i have exactly one suppressed cell? */
static int violated(const struct pb_disc_sums *s, size_t i)
{
	size_t n = s->supp[s->total[i]] != 0, k;

	for (k = s->start[i]; k < s->start[i + 1]; k++)
		n += s->supp[s->parts[k]] != 0;
	return n == 1;
}

/*
 * Pick the cell to suppress next in sum i: of the parts not suppressed,
 * the one in the most other sums that need a cell too (one cell then
 * mends several), then the smallest non-zero, then the lowest index;
 * else the total; else a zero part.  Returns ncell if there is none.
 */
static size_t pick(const struct pb_disc_sums *s, size_t i, size_t *need)
{
	size_t best = s->ncell, k, c;

	for (k = s->start[i]; k < s->start[i + 1]; k++) {
		c = s->parts[k];
		if (s->supp[c] || s->value[c] == 0)
			continue;
		if (best == s->ncell || need[c] > need[best] ||
		    (need[c] == need[best] &&
		     (s->value[c] < s->value[best] ||
		      (s->value[c] == s->value[best] && c < best))))
			best = c;
	}
	if (best != s->ncell)
		return best;
	if (!s->supp[s->total[i]])
		return s->total[i];
	for (k = s->start[i]; k < s->start[i + 1]; k++) {
		c = s->parts[k];
		if (!s->supp[c] && (best == s->ncell || c < best))
			best = c;
	}
	return best;
}

size_t pb_disc_secondary(struct pb_disc_sums *s)
{
	size_t added = 0, i, k, c;
	size_t *need = pb_xcalloc(s->ncell + 1, sizeof *need);
	int changed = 1;

	while (changed) {
		changed = 0;
		/* How many sums that need one more cell hold each cell. */
		memset(need, 0, (s->ncell + 1) * sizeof *need);
		for (i = 0; i < s->nsum; i++) {
			if (!violated(s, i))
				continue;
			need[s->total[i]]++;
			for (k = s->start[i]; k < s->start[i + 1]; k++)
				need[s->parts[k]]++;
		}
		for (i = 0; i < s->nsum; i++) {
			if (!violated(s, i))
				continue;
			c = pick(s, i, need);
			if (c == s->ncell)
				continue;
			s->supp[c] = 2;
			added++;
			changed = 1;
			break;   /* recount what the others need */
		}
	}
	free(need);
	return added;
}
