/* pb-report - statistics from council exports: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} reports[] = {
	{"takeup", cmd_takeup,
	 "people with a personal budget and a direct payment (ASCOF 1C/3D)"},
	{"trend", cmd_trend, "take-up at each month, quarter or year end"},
	{"mix", cmd_mix,
	 "delivery mechanisms as counts and shares; notional budgets"},
	{"cost", cmd_cost,
	 "mean, median and 90th percentile weekly cost per mechanism"},
	{"funnel", cmd_funnel,
	 "referral to first payment: people, days, conversion per step"},
	{"outcomes", cmd_outcomes,
	 "reviews: outcomes achieved, improved, ratings that agree"},
	{"spend", cmd_spend,
	 "ledger spending per category and the share who spent on it"},
	{"merge", cmd_merge,
	 "combine partial states (--partial) into the report"},
};

static void usage(FILE *fp)
{
	size_t i;

	fputs("usage: pb-report REPORT [options] [file ...]\n"
	      "       pb-report -h | --help | -V | --version\n\n"
	      "Reports (pb-report REPORT --help for each):\n", fp);
	for (i = 0; i < sizeof reports / sizeof reports[0]; i++)
		fprintf(fp, "  %-8s %s\n", reports[i].name, reports[i].what);
	fputs("\nSee pb-report(1) and pb(7).\n", fp);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fputs("pb-report: no report named\n", stderr);
		usage(stderr);
		return PB_EUSAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return pb_cli_exit("pb-report", PB_OK);
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		pb_cli_version(stdout, "pb-report");
		return pb_cli_exit("pb-report", PB_OK);
	}
	for (i = 0; i < sizeof reports / sizeof reports[0]; i++)
		if (strcmp(argv[1], reports[i].name) == 0)
			return reports[i].fn(argc - 1, argv + 1);
	{
		char q[80];

		fprintf(stderr, "pb-report: unknown report '%s'\n",
			pb_quote(q, sizeof q, argv[1], strlen(argv[1])));
	}
	usage(stderr);
	return PB_EUSAGE;
}
