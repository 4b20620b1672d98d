/* pb-ledger statement - one person's movements with a running balance. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger statement"

static const char synopsis[] =
	"usage: pb-ledger statement [-F DATE] [-t DATE] [-D FILE] [-w SECONDS]\n"
	"                           [-f FMT] PERSON\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nEvery movement on PERSON's direct-payment account, oldest first, with\n"
	      "the running balance; with --from, first the balance brought forward.\n"
	      "--format md gives a titled table to send to the person.\n\n"
	      "  -F, --from DATE         from this day\n"
	      "  -t, --to DATE           to this day (inclusive)\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        output: csv (default), json, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"date", "kind", "category", "payee", "description", "amount", "balance",
	"source", "txn_id"
};
#define NCOL (sizeof columns / sizeof columns[0])

struct ctx {
	struct pb_writer *w;
	int header;
};

/* The header goes out with the first row, so that an unknown person
 * leaves standard output empty. */
static int header(struct ctx *x, struct pb_error *e)
{
	if (x->header)
		return 0;
	x->header = 1;
	return pb_writer_header(x->w, columns, NCOL, e);
}

static int row(void *ctx, const struct pb_movement *m, struct pb_error *e)
{
	struct ctx *x = ctx;
	struct pb_cell c[NCOL];
	char d[PB_DATE_BUFSZ];

	if (header(x, e) < 0)
		return -PB_EIO;
	memset(c, 0, sizeof c);
	c[0].kind = PB_CELL_TEXT, c[0].s = pb_date_format(d, m->date);
	c[1].kind = PB_CELL_TEXT, c[1].s = m->kind;
	c[2].kind = PB_CELL_TEXT, c[2].s = m->category;
	c[3].kind = PB_CELL_TEXT, c[3].s = m->payee;
	c[4].kind = PB_CELL_TEXT, c[4].s = m->description;
	if (strcmp(m->kind, "opening") != 0)
		c[5].kind = PB_CELL_MONEY, c[5].v = m->amount;
	c[6].kind = PB_CELL_MONEY, c[6].v = m->balance;
	c[7].kind = PB_CELL_TEXT, c[7].s = m->source;
	c[8].kind = PB_CELL_TEXT, c[8].s = m->txn_id;
	return pb_writer_row(x->w, c, e);
}

int cmd_statement(int argc, char **argv)
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
	struct ctx x;
	int32_t from = INT32_MIN, to = INT32_MAX;
	const char *person;
	int opt, rc, status = PB_OK;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVf:F:t:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
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
	if (optind >= argc) {
		pb_error_set(&e, PB_EUSAGE, "no person named");
		return bad_usage(PROG, synopsis, &e);
	}
	person = argv[optind++];
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
	x.w = pb_writer_new(stdout, cli.format);
	x.header = 0;
	if (cli.format == PB_FMT_MD || cli.format == PB_FMT_TABLE) {
		char title[160], d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ], q[80];

		snprintf(title, sizeof title,
			 "Direct-payment account of %s: statement%s%s%s%s",
			 pb_quote(q, sizeof q, person, strlen(person)),
			 from != INT32_MIN ? " from " : "",
			 from != INT32_MIN ? pb_date_format(d1, from) : "",
			 to != INT32_MAX ? " to " : "",
			 to != INT32_MAX ? pb_date_format(d2, to) : "");
		pb_writer_title(x.w, title);
	}
	rc = pb_ledger_statement(l, person, from, to, row, &x, &e);
	if (rc == 0 && (rc = header(&x, &e)) == 0)
		rc = pb_writer_end(x.w, &e);
	if (rc < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(x.w);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
