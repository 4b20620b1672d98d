/* pb-report trend - usage and options; the rules are in lib/takeup.c. */
#include "cmds.h"

static const struct report_cmd trend = {
	PB_R_TREND, "pb-report trend",
	"usage: pb-report trend -S DATE -U DATE [-cnPTu] [-b COLS] [-d RULE]\n"
	"                       [-e PERIOD] [-t PCT] [-f FMT] [-i FMT] [-m SPEC]\n"
	"                       [-r FILE] [file ...]\n",
	"\nThe take-up figures as they stood at the end of each month, quarter\n"
	"or financial year from one day to another, per group.\n\n"
	"  -S, --from DATE         the first period ends on or after this day\n"
	"  -U, --to DATE           the last period ends on or before this day\n"
	"  -e, --every PERIOD      month (default), quarter or year (the\n"
	"                          financial year, to 31 March)\n"
	"  -b, --by COLS           group by these columns, comma-separated\n"
	"                          (default primary_support_reason; also age_band,\n"
	"                          age_band_fine, on each day)\n"
	"  -c, --carers            count carers instead of service users\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -t, --target PCT        add target_pct and meets_target\n"
	"  -T, --total             add a row for all groups on each day\n"
	"  -u, --assume-unique     one row per person: no per-person memory\n",
	"bcdenPStTuU"
};

int cmd_trend(int argc, char **argv)
{
	return report_cmd(&trend, argc, argv);
}
