/* pb-report takeup - usage and options; the rules are in lib/takeup.c. */
#include "cmds.h"

static const struct report_cmd takeup = {
	PB_R_TAKEUP, "pb-report takeup",
	"usage: pb-report takeup [-cnPTu] [-a DATE] [-b COLS] [-d RULE] [-t PCT]\n"
	"                        [-f FMT] [-i FMT] [-m SPEC] [-r FILE] [file ...]\n",
	"\nPeople in long-term support in the community on a day, each counted\n"
	"once, and how many have a personal budget and a direct payment\n"
	"(ASCOF 1C / 3D), per group.\n\n"
	"  -a, --as-of DATE        the day counted (default today)\n"
	"  -b, --by COLS           group by these columns, comma-separated\n"
	"                          (default primary_support_reason; also age_band,\n"
	"                          age_band_fine)\n"
	"  -c, --carers            count carers instead of service users\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -t, --target PCT        add target_pct and meets_target\n"
	"  -T, --total             add a row for all groups\n"
	"  -u, --assume-unique     one row per person: no per-person memory\n",
	"abcdnPtTu"
};

int cmd_takeup(int argc, char **argv)
{
	return report_cmd(&takeup, argc, argv);
}
