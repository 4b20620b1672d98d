/* pb-ledger balance - each direct-payment account on a day. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger balance"

static const char synopsis[] =
	"usage: pb-ledger balance [-T] [-a DATE] [-p ID] [-D FILE] [-w SECONDS]\n"
	"                         [-f FMT]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPer direct-payment account: money paid in, the person's contributions,\n"
	      "spending, surplus recovered, the balance, and how many weeks of net\n"
	      "payments the balance holds.\n\n"
	      "  -a, --as-of DATE        the day (default today)\n"
	      "  -p, --person ID         only this person's account\n"
	      "  -T, --total             add a row for all accounts\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        output: csv (default), json, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"person_id", "account", "paid_in", "contributions", "spent",
	"recovered", "balance", "weekly_amount", "net_weekly", "weeks_held",
	"as_of"
};
#define NCOL (sizeof columns / sizeof columns[0])

struct ctx {
	struct pb_writer *w;
	int header;
	int32_t as_of;
	struct pb_balance total;
};

/* The header goes out with the first row, so that an unknown person
 * leaves standard output empty. */
static int header(struct ctx *c, struct pb_error *e)
{
	if (c->header)
		return 0;
	c->header = 1;
	return pb_writer_header(c->w, columns, NCOL, e);
}

static int row(void *vctx, const struct pb_balance *b, struct pb_error *e)
{
	struct ctx *c = vctx;
	struct pb_cell cell[NCOL];
	char d[PB_DATE_BUFSZ];
	int64_t tenths;

	if (header(c, e) < 0)
		return -PB_EIO;
	memset(cell, 0, sizeof cell);
	cell[0].kind = PB_CELL_TEXT, cell[0].s = b->person_id;
	cell[1].kind = PB_CELL_TEXT, cell[1].s = b->account;
	cell[2].kind = PB_CELL_MONEY, cell[2].v = b->paid_in;
	cell[3].kind = PB_CELL_MONEY, cell[3].v = b->contributions;
	cell[4].kind = PB_CELL_MONEY, cell[4].v = b->spent;
	cell[5].kind = PB_CELL_MONEY, cell[5].v = b->recovered;
	cell[6].kind = PB_CELL_MONEY, cell[6].v = b->balance;
	if (b->has_alloc)
		cell[7].kind = PB_CELL_MONEY, cell[7].v = b->weekly;
	cell[8].kind = PB_CELL_MONEY, cell[8].v = b->net_weekly;
	if (pb_ledger_weeks(b->balance, b->net_weekly, &tenths) == 0)
		cell[9].kind = PB_CELL_PCT, cell[9].v = tenths;
	cell[10].kind = PB_CELL_TEXT, cell[10].s = pb_date_format(d, c->as_of);
	/* (The total row itself is not added to the total.) */
	if (b != &c->total &&
	    (pb_add_checked(c->total.paid_in, b->paid_in,
			    &c->total.paid_in) < 0 ||
	     pb_add_checked(c->total.contributions, b->contributions,
			    &c->total.contributions) < 0 ||
	     pb_add_checked(c->total.spent, b->spent, &c->total.spent) < 0 ||
	     pb_add_checked(c->total.recovered, b->recovered,
			    &c->total.recovered) < 0 ||
	     pb_add_checked(c->total.balance, b->balance,
			    &c->total.balance) < 0 ||
	     pb_add_checked(c->total.weekly, b->has_alloc ? b->weekly : 0,
			    &c->total.weekly) < 0 ||
	     pb_add_checked(c->total.net_weekly, b->net_weekly,
			    &c->total.net_weekly) < 0))
		return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
	c->total.has_alloc |= b->has_alloc;
	return pb_writer_row(c->w, cell, e);
}

int cmd_balance(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"as-of", required_argument, NULL, 'a'},
		{"person", required_argument, NULL, 'p'},
		{"total", no_argument, NULL, 'T'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_error e;
	struct ctx c;
	const char *person = NULL;
	int total = 0, opt, rc, status = PB_OK;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	memset(&c, 0, sizeof c);
	c.as_of = pb_date_today();
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVa:f:p:T" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_opt_date("--as-of", optarg, &c.as_of, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 'p':
			person = optarg;
			break;
		case 'T':
			total = 1;
			break;
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 0, &e) < 0) {
		status = report(PROG, &e);
		goto out;
	}
	c.w = pb_writer_new(stdout, cli.format);
	if (cli.format == PB_FMT_MD || cli.format == PB_FMT_TABLE) {
		char title[80], d[PB_DATE_BUFSZ];

		snprintf(title, sizeof title, "Direct-payment balances on %s",
			 pb_date_format(d, c.as_of));
		pb_writer_title(c.w, title);
	}
	rc = pb_ledger_balances(l, c.as_of, person, row, &c, &e);
	if (rc == 0 && total) {
		c.total.person_id = "all";
		c.total.account = "all";
		rc = row(&c, &c.total, &e);
	}
	if (rc == 0 && (rc = header(&c, &e)) == 0)
		rc = pb_writer_end(c.w, &e);
	if (rc < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(c.w);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
