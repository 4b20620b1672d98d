/* pb-ledger init - create the database. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger init"

static const char synopsis[] = "usage: pb-ledger init [-D FILE]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nCreate a new, empty ledger database (mode 0600, WAL journal).\n"
	      "An existing file is never overwritten.\n\n"
	      LEDGER_OPTIONS_HELP HELP_OPTIONS_HELP, fp);
}

int cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l;
	struct pb_error e;
	int opt;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	cli.own = "hV"; /* printed at once, below */
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hV" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'h':
		case 'V':
			/* Whatever follows is not checked. */
			pb_cli_option(&cli, opt, NULL, &e);
			return pb_cli_info(&cli, usage, "pb-ledger");
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if (pb_ledger_create(lo.db, &l, &e) < 0)
		return pb_cli_exit(PROG, report(PROG, &e));
	pb_ledger_close(l);
	fprintf(stderr, "%s: created %s (mode 0600, schema version %d)\n", PROG,
		lo.db, PB_LEDGER_SCHEMA);
	return pb_cli_exit(PROG, PB_OK);
}
