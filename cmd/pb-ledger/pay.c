/* pb-ledger pay - post the scheduled payments due by a date. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger pay"

static const char synopsis[] =
	"usage: pb-ledger pay -t DATE [-D FILE] [-w SECONDS] [-f FMT]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPost every scheduled payment whose period starts on or before DATE and\n"
	      "has not been posted, split across the funding streams in proportion to\n"
	      "the allocation's.  Each period of an allocation is paid at most once, so\n"
	      "this is safe to run every day, and twice at once.  Writes the payments it\n"
	      "posted.\n\n"
	      "  -t, --through DATE      pay periods starting on or before DATE (required)\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        output: csv (default), json, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"person_id", "allocation_id", "period_start", "period_end", "days",
	"amount", "social_care", "health", "s117", "source", "txn_id"
};
#define NCOL (sizeof columns / sizeof columns[0])

static int row(void *ctx, const struct pb_payment *p, struct pb_error *e)
{
	struct pb_writer *w = ctx;
	struct pb_cell c[NCOL];
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ];
	int i;

	memset(c, 0, sizeof c);
	c[0].kind = PB_CELL_TEXT, c[0].s = p->person_id;
	c[1].kind = PB_CELL_TEXT, c[1].s = p->allocation_id;
	c[2].kind = PB_CELL_TEXT, c[2].s = pb_date_format(d1, p->date);
	c[3].kind = PB_CELL_TEXT, c[3].s = pb_date_format(d2, p->period_end);
	c[4].kind = PB_CELL_INT, c[4].v = p->days;
	c[5].kind = PB_CELL_MONEY, c[5].v = p->amount;
	for (i = 0; i < PB_NSTREAMS; i++)
		c[6 + i].kind = PB_CELL_MONEY, c[6 + i].v = p->stream[i];
	c[9].kind = PB_CELL_TEXT, c[9].s = p->source;
	c[10].kind = PB_CELL_TEXT, c[10].s = p->txn_id;
	return pb_writer_row(w, c, e);
}

int cmd_pay(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"through", required_argument, NULL, 't'},
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
	int32_t through = 0;
	int has_through = 0, opt, status = PB_OK;
	long n = 0;
	int64_t total = 0;
	char d[PB_DATE_BUFSZ], m[PB_MONEY_BUFSZ];

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVf:t:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 't':
			if (pb_opt_date("--through", optarg, &through, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			has_through = 1;
			break;
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if (!has_through) {
		pb_error_set(&e, PB_EUSAGE,
			     "--through is required: the last day whose payments are due");
		return bad_usage(PROG, synopsis, &e);
	}
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 1, &e) < 0 ||
	    pb_ledger_pay(l, through, &n, &total, &e) < 0 ||
	    pb_ledger_commit(l, "pay", n, &e) < 0) {
		pb_ledger_rollback(l);
		status = report(PROG, &e);
		fprintf(stderr, "%s: nothing paid\n", PROG);
		goto out;
	}
	fprintf(stderr, "%s: %ld payment%s posted through %s, %s in all\n", PROG,
		n, n == 1 ? "" : "s", pb_date_format(d, through), money(m, total));
	/* What was posted, read back from the books after the commit. */
	w = pb_writer_new(stdout, cli.format);
	if (pb_writer_header(w, columns, NCOL, &e) < 0 ||
	    pb_ledger_begin(l, 0, &e) < 0 ||
	    pb_ledger_run_payments(l, row, w, &e) < 0 ||
	    pb_writer_end(w, &e) < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(w);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
