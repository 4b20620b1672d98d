/* disclosure.c - small-number suppression as NHS England publishes. */
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
