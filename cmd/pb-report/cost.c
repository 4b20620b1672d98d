/* pb-report cost - usage and options; the rules are in lib/cost.c. */
#include "cmds.h"

static const struct report_cmd cost = {
	PB_R_COST, "pb-report cost",
	"usage: pb-report cost [-nPTu] [-a DATE] [-b COLS] [-d RULE]\n"
	"                      [-f FMT] [-i FMT] [-m SPEC] [-r FILE] [file ...]\n",
	"\nThe weekly cost of support of people in long-term community support on\n"
	"a day, per group and delivery mechanism: people, mean, median and 90th\n"
	"percentile (within 0.39%), from the export's weekly_cost.\n\n"
	"  -a, --as-of DATE        the day counted (default today)\n"
	"  -b, --by COLS           group by these columns, comma-separated\n"
	"                          (default primary_support_reason; also age_band,\n"
	"                          age_band_fine)\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5; costs of 1-7 people\n"
	"                          suppressed) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -T, --total             add a row for all groups per mechanism\n"
	"  -u, --assume-unique     one row per person: no per-person memory\n",
	"abdnPTu"
};

int cmd_cost(int argc, char **argv)
{
	return report_cmd(&cost, argc, argv);
}
