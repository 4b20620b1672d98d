/* pb-report mix - usage and options; the rules are in lib/takeup.c. */
#include "cmds.h"

static const struct report_cmd mix = {
	PB_R_MIX, "pb-report mix",
	"usage: pb-report mix [-cnPTu] [-a DATE] [-b COLS] [-d RULE] [-t PCT]\n"
	"                     [-f FMT] [-i FMT] [-m SPEC] [-r FILE] [file ...]\n",
	"\nThe delivery mechanisms of people in long-term community support on a\n"
	"day, each counted once: direct payment, part direct payment,\n"
	"council-managed (notional) budget, commissioned support, as counts and\n"
	"shares, and the share of personal budgets that are notional.\n\n"
	"  -a, --as-of DATE        the day counted (default today)\n"
	"  -b, --by COLS           group by these columns, comma-separated\n"
	"                          (default primary_support_reason; also age_band,\n"
	"                          age_band_fine)\n"
	"  -c, --carers            count carers instead of service users\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -t, --target PCT        add target_pct and meets_target (against\n"
	"                          personal_budget_pct)\n"
	"  -T, --total             add a row for all groups\n"
	"  -u, --assume-unique     one row per person: no per-person memory\n",
	"abcdnPtTu"
};

int cmd_mix(int argc, char **argv)
{
	return report_cmd(&mix, argc, argv);
}
