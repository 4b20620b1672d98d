/* pb-ledger reclaim - recover surplus balances to the funding streams. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger reclaim"

static const char synopsis[] =
	"usage: pb-ledger reclaim -a DATE [-k WEEKS] [-S WEEKS] [-D FILE] [-w SECONDS]\n"
	"                         [-f FMT]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nFor each account whose balance on DATE is above --surplus-weeks of net\n"
	      "weekly payments, post the recovery of the surplus down to --keep-weeks\n"
	      "of them, back to the funding streams in proportion to what each paid\n"
	      "in.  At most once per account and date.  Writes the recoveries posted.\n\n"
	      "  -a, --as-of DATE        the day of the recovery (required)\n"
	      "  -k, --keep-weeks N      weeks of net payments left as contingency\n"
	      "                          (default 4)\n"
	      "  -S, --surplus-weeks N   a balance above N weeks is a surplus (default 8)\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        output: csv (default), json, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"person_id", "date", "recovered", "social_care", "health", "s117",
	"source", "txn_id", "detail"
};
#define NCOL (sizeof columns / sizeof columns[0])

static int row(void *ctx, const struct pb_recovery *r, struct pb_error *e)
{
	struct pb_writer *w = ctx;
	struct pb_cell c[NCOL];
	char d[PB_DATE_BUFSZ];
	int i;

	memset(c, 0, sizeof c);
	c[0].kind = PB_CELL_TEXT, c[0].s = r->person_id;
	c[1].kind = PB_CELL_TEXT, c[1].s = pb_date_format(d, r->date);
	c[2].kind = PB_CELL_MONEY, c[2].v = r->amount;
	for (i = 0; i < PB_NSTREAMS; i++)
		c[3 + i].kind = PB_CELL_MONEY, c[3 + i].v = r->stream[i];
	c[6].kind = PB_CELL_TEXT, c[6].s = r->source;
	c[7].kind = PB_CELL_TEXT, c[7].s = r->txn_id;
	c[8].kind = PB_CELL_TEXT, c[8].s = r->description;
	return pb_writer_row(w, c, e);
}

int cmd_reclaim(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"as-of", required_argument, NULL, 'a'},
		{"keep-weeks", required_argument, NULL, 'k'},
		{"surplus-weeks", required_argument, NULL, 'S'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_error e;
	struct pb_writer *w;
	int32_t as_of = 0;
	int64_t keep = 4, surplus = 8, total = 0;
	int has_as_of = 0, opt, status = PB_OK;
	long n = 0;
	char d[PB_DATE_BUFSZ], m[PB_MONEY_BUFSZ];

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVa:f:k:S:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_opt_date("--as-of", optarg, &as_of, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			has_as_of = 1;
			break;
		case 'k':
			if (pb_opt_int("--keep-weeks", optarg, 0, 520, &keep, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 'S':
			if (pb_opt_int("--surplus-weeks", optarg, 0, 520, &surplus,
				    &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if (!has_as_of) {
		pb_error_set(&e, PB_EUSAGE,
			     "--as-of is required: the day of the recovery");
		return bad_usage(PROG, synopsis, &e);
	}
	if (keep > surplus) {
		pb_error_set(&e, PB_EUSAGE,
			     "--keep-weeks %lld is more than --surplus-weeks %lld",
			     (long long)keep, (long long)surplus);
		return bad_usage(PROG, synopsis, &e);
	}
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 1, &e) < 0 ||
	    pb_ledger_reclaim(l, as_of, (int)surplus, (int)keep, &n, &total,
			      &e) < 0 ||
	    pb_ledger_commit(l, "reclaim", n, &e) < 0) {
		pb_ledger_rollback(l);
		status = report(PROG, &e);
		fprintf(stderr, "%s: nothing recovered\n", PROG);
		goto out;
	}
	fprintf(stderr, "%s: %ld surplus%s recovered on %s, %s in all\n", PROG, n,
		n == 1 ? "" : "es", pb_date_format(d, as_of), money(m, total));
	w = pb_writer_new(stdout, cli.format);
	if (pb_writer_header(w, columns, NCOL, &e) < 0 ||
	    pb_ledger_begin(l, 0, &e) < 0 ||
	    pb_ledger_run_recoveries(l, row, w, &e) < 0 ||
	    pb_writer_end(w, &e) < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(w);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
