/* pb-ledger - the direct-payment ledger: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} commands[] = {
	{"init", cmd_init, "create the database (never overwrites one)"},
	{"import-allocations", cmd_import_allocations,
	 "accounts and payment schedules from pb-allocate output"},
	{"pay", cmd_pay, "post the scheduled payments due by a date"},
	{"post", cmd_post, "import transactions from a bank or card export"},
	{"balance", cmd_balance, "each account's balance and weeks held"},
	{"statement", cmd_statement, "one person's movements, running balance"},
	{"audit", cmd_audit, "surplus, overdrawn, idle, policy findings"},
	{"reclaim", cmd_reclaim, "recover surplus balances to the council"},
	{"reverse", cmd_reverse, "correct a transaction by reversing it"},
	{"export", cmd_export, "the journal: csv, json, or hledger/ledger text"},
	{"check", cmd_check, "check the database and that the books balance"},
};

static void usage(FILE *fp)
{
	size_t i;

	fputs("usage: pb-ledger COMMAND [options] [argument ...]\n"
	      "       pb-ledger -h | --help | -V | --version\n\n"
	      "Commands (pb-ledger COMMAND --help for each):\n", fp);
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(fp, "  %-19s %s\n", commands[i].name, commands[i].what);
	fputs("\nThe database is --db FILE, else $PB_LEDGER_DB, else pb-ledger.db.\n"
	      "See pb-ledger(1) and pb(7).\n", fp);
}

int main(int argc, char **argv)
{
	size_t i;
	char q[80];

	if (argc < 2) {
		fputs("pb-ledger: no command named\n", stderr);
		usage(stderr);
		return PB_EUSAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return pb_cli_exit("pb-ledger", PB_OK);
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		pb_cli_version(stdout, "pb-ledger");
		return pb_cli_exit("pb-ledger", PB_OK);
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "pb-ledger: unknown command '%s'\n",
		pb_quote(q, sizeof q, argv[1], strlen(argv[1])));
	usage(stderr);
	return PB_EUSAGE;
}
