/* pb-report spend - usage and options; the rules are in lib/spend.c. */
#include "cmds.h"

static const struct report_cmd spend = {
	PB_R_SPEND, "pb-report spend",
	"usage: pb-report spend -p FILE [-nPT] [-a DATE] [-S DATE] [-U DATE]\n"
	"                       [-b COLS] [-d RULE] [-f FMT] [-i FMT] [-m SPEC]\n"
	"                       [-r FILE] [file ...]\n",
	"\nFrom a pb-ledger export (txn_id, person_id, date, amount, category,\n"
	"...), grouped by the person's columns in the people export: spending\n"
	"per category, and the share of people who spent anything on each.\n\n"
	"  -p, --people FILE       the person export that gives each person's group\n"
	"  -a, --as-of DATE        the day ages are taken on (default today)\n"
	"  -S, --from DATE         only transactions on or after this day\n"
	"  -U, --to DATE           only transactions on or before this day\n"
	"  -b, --by COLS           group by these columns of the people export\n"
	"                          (default primary_support_reason)\n"
	"  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	"                          rounded to the nearest 5; spending of 1-7\n"
	"                          people suppressed) or none\n"
	"  -n, --no-suppress       the same as --disclosure none\n"
	"  -T, --total             add rows for all groups\n",
	"abdnpPSTU"
};

int cmd_spend(int argc, char **argv)
{
	return report_cmd(&spend, argc, argv);
}
