/* pb-plan - support plans: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{"check", cmd_check,
	 "plans against the budget and the spending rules, with reasons"},
};

static void usage(FILE *fp)
{
	size_t i;

	fputs("usage: pb-plan COMMAND [options] [plan ...]\n"
	      "       pb-plan -h | --help | -V | --version\n\n"
	      "Commands (pb-plan COMMAND --help for each):\n", fp);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(fp, "  %-6s %s\n", commands[i].name, commands[i].what);
	fputs("\nSee pb-plan(1) and pb(7).\n", fp);
}

int main(int argc, char **argv)
{
	size_t i;
	char q[80];

	if (argc < 2) {
		fputs("pb-plan: no command named\n", stderr);
		usage(stderr);
		return PB_EUSAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return pb_cli_exit("pb-plan", PB_OK);
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		pb_cli_version(stdout, "pb-plan");
		return pb_cli_exit("pb-plan", PB_OK);
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "pb-plan: unknown command '%s'\n",
		pb_quote(q, sizeof q, argv[1], strlen(argv[1])));
	usage(stderr);
	return PB_EUSAGE;
}
