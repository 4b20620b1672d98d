/* pb-ledger export - the journal: CSV, JSON Lines, or plain-text
 * accounting that hledger and ledger-cli read. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger export"

static const char synopsis[] =
	"usage: pb-ledger export [-F DATE] [-t DATE] [-D FILE] [-w SECONDS] [-f FMT]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nEvery transaction, by date then in the order posted.  CSV and JSON\n"
	      "start with the columns of a transaction (txn_id, person_id, date, amount,\n"
	      "category, payee, description), then source, kind, allocation_id, the\n"
	      "funding streams, and what a reversal reverses.  journal is the plain-text\n"
	      "format of hledger and ledger-cli, every posting in GBP.\n\n"
	      "  -F, --from DATE         from this day\n"
	      "  -t, --to DATE           to this day (inclusive)\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        csv (default), json, journal, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"txn_id", "person_id", "date", "amount", "category", "payee",
	"description", "source", "kind", "allocation_id", "social_care",
	"health", "s117", "reverses_source", "reverses_txn_id", "reason"
};
#define NCOL (sizeof columns / sizeof columns[0])

static void text(struct pb_cell *c, const char *s)
{
	c->kind = *s ? PB_CELL_TEXT : PB_CELL_EMPTY;
	c->s = s;
}

static int row(void *ctx, const struct pb_txn_out *t, struct pb_error *e)
{
	struct pb_writer *w = ctx;
	struct pb_cell c[NCOL];
	char d[PB_DATE_BUFSZ];
	int i;

	memset(c, 0, sizeof c);
	text(&c[0], t->txn_id);
	text(&c[1], t->person_id);
	text(&c[2], pb_date_format(d, t->date));
	c[3].kind = PB_CELL_MONEY, c[3].v = t->amount;
	text(&c[4], t->category);
	text(&c[5], t->payee);
	text(&c[6], t->description);
	text(&c[7], t->source);
	text(&c[8], t->kind);
	text(&c[9], t->allocation_id);
	for (i = 0; t->has_streams && i < PB_NSTREAMS; i++)
		c[10 + i].kind = PB_CELL_MONEY, c[10 + i].v = t->stream[i];
	text(&c[13], t->rev_source);
	text(&c[14], t->rev_txn_id);
	text(&c[15], t->reason);
	return pb_writer_row(w, c, e);
}

static int journal(void *ctx, const struct pb_txn_out *t, struct pb_error *e)
{
	if (pb_ledger_journal_txn(ctx, t) < 0 || ferror((FILE *)ctx))
		return pb_error_set(e, PB_EIO, "write error");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_error e;
	struct pb_writer *w = NULL;
	int32_t from = INT32_MIN, to = INT32_MAX;
	int is_journal = 0, opt, rc, status = PB_OK;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	cli.own = "f"; /* journal too, below */
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVf:F:t:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'f':
			is_journal = strcmp(optarg, "journal") == 0;
			if (!is_journal &&
			    pb_format_parse(optarg, &cli.format, &e) < 0) {
				char q[80];

				pb_error_set(&e, PB_EUSAGE,
					"unknown format '%s' (use csv, json, journal, table or md)",
					pb_quote(q, sizeof q, optarg, strlen(optarg)));
				return bad_usage(PROG, synopsis, &e);
			}
			break;
		case 'F':
			if (pb_opt_date("--from", optarg, &from, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 't':
			if (pb_opt_date("--to", optarg, &to, &e) < 0)
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
	if (from != INT32_MIN && to != INT32_MAX && from > to) {
		pb_error_set(&e, PB_EUSAGE, "--from is after --to");
		return bad_usage(PROG, synopsis, &e);
	}
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 0, &e) < 0) {
		status = report(PROG, &e);
		goto out;
	}
	if (is_journal) {
		printf("; pb-ledger journal (pb %s): amounts in GBP; every transaction's\n"
		       "; postings sum to zero.  dp:<person> is the person's account.\n\n",
		       PB_VERSION);
		rc = pb_ledger_export(l, from, to, journal, stdout, &e);
	} else {
		w = pb_writer_new(stdout, cli.format);
		pb_writer_header(w, columns, NCOL, &e);
		rc = pb_ledger_export(l, from, to, row, w, &e);
		if (rc == 0)
			rc = pb_writer_end(w, &e);
	}
	if (rc < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(w);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
