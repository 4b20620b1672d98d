/* pb-report funnel - usage and options; the rules are in lib/funnel.c. */
#include "cmds.h"

static const struct report_cmd funnel = {
	PB_R_FUNNEL, "pb-report funnel",
	"usage: pb-report funnel [-nPT] [-S DATE] [-U DATE] [-b COLS] [-d RULE]\n"
	"                        [-f FMT] [-i FMT] [-m SPEC] [-r FILE] [file ...]\n",
	"\nFrom the stage dates of the export: of the people referred, how many\n"
	"reached assessment, an approved plan and a first payment, and of those\n"
	"offered a direct payment how many took one up; the days each step took\n"
	"(median and 90th percentile) and the conversion from the step before.\n\n"
	"  -S, --from DATE         only people referred on or after this day\n"
	"  -U, --to DATE           only people referred on or before this day\n"
	"  -b, --by COLS           group by these columns, comma-separated\n"
	"                          (default primary_support_reason; also age_band,\n"
	"                          age_band_fine, at referral)\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5; days of 1-7 people\n"
	"                          suppressed) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -T, --total             add rows for all groups\n",
	"bdnPSTU"
};

int cmd_funnel(int argc, char **argv)
{
	return report_cmd(&funnel, argc, argv);
}
