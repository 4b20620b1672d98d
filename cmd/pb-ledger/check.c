/* pb-ledger check - the database is sound and the books balance. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger check"

static const char synopsis[] = "usage: pb-ledger check [-D FILE] [-w SECONDS]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nCheck the database file (SQLite's integrity check) and the books:\n"
	      "every transaction has postings that sum to zero and moves its amount\n"
	      "on the person's account.  Problems go to standard error; exit 1 if any.\n\n"
	      LEDGER_OPTIONS_HELP HELP_OPTIONS_HELP, fp);
}

struct ctx {
	const char *db;
};

static void problem(void *vctx, const char *text)
{
	struct ctx *c = vctx;

	fprintf(stderr, "%s: %s: %s\n", PROG, c->db, text);
}

int cmd_check(int argc, char **argv)
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
	struct ctx c;
	int opt, rc, status;

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
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		return pb_cli_exit(PROG, status);
	c.db = lo.db;
	rc = pb_ledger_begin(l, 0, &e);
	if (rc == 0)
		rc = pb_ledger_check(l, problem, &c, &e);
	if (rc < 0) {
		status = report(PROG, &e);
	} else if (rc > 0) {
		fprintf(stderr, "%s: %s: %d problem%s found\n", PROG, lo.db, rc,
			rc == 1 ? "" : "s");
		status = PB_EDATA;
	} else {
		fprintf(stderr, "%s: %s: ok: the database is sound and the books balance\n",
			PROG, lo.db);
	}
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
