/* pb-report outcomes - usage and options; the rules are in lib/outcomes.c. */
#include "cmds.h"

static const struct report_cmd outcomes = {
	PB_R_OUTCOMES, "pb-report outcomes",
	"usage: pb-report outcomes -p FILE [-nPT] [-a DATE] [-S DATE] [-U DATE]\n"
	"                          [-b COLS] [-d RULE] [-f FMT] [-i FMT]\n"
	"                          [-m SPEC] [-r FILE] [file ...]\n",
	"\nFrom reviews (person_id, outcome_id, review_date, rated_by, rating),\n"
	"grouped by the person's columns in the people export: outcomes\n"
	"reviewed, the share mostly or fully achieved, the share improved since\n"
	"the review before, and how often the person's own rating agrees with\n"
	"the practitioner's.\n\n"
	"  -p, --people FILE       the person export that gives each person's group\n"
	"  -a, --as-of DATE        the day ages are taken on (default today)\n"
	"  -S, --from DATE         only reviews on or after this day\n"
	"  -U, --to DATE           only reviews on or before this day\n"
	"  -b, --by COLS           group by these columns of the people export\n"
	"                          (default primary_support_reason)\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -T, --total             add a row for all groups\n",
	"abdnpPSTU"
};

int cmd_outcomes(int argc, char **argv)
{
	return report_cmd(&outcomes, argc, argv);
}
