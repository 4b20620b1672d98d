/* pb-ledger audit - findings about the accounts and their spending. */
#include <string.h>

#include "cmds.h"
#include "policy.h"

#define PROG "pb-ledger audit"

static const char synopsis[] =
	"usage: pb-ledger audit [-a DATE] [-F DATE] [-p FILE] [-S WEEKS] [-I WEEKS]\n"
	"                       [-D FILE] [-w SECONDS] [-f FMT]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nOne row per finding: SURPLUS (a balance above --surplus-weeks of net\n"
	      "payments), OVERDRAWN, IDLE (no spending for --idle-weeks: the person may\n"
	      "need support), UNCATEGORISED spending, FORBIDDEN_SPEND and\n"
	      "UNLISTED_CATEGORY (with --policy), DUPLICATE_PAYEE_AMOUNT (the same\n"
	      "payee, amount and date twice).  Exit 1 when there are findings.\n\n"
	      "  -a, --as-of DATE        the day (default today)\n"
	      "  -F, --from DATE         spending findings from this day (default all)\n"
	      "  -p, --policy FILE       the spending policy (JSON)\n"
	      "  -S, --surplus-weeks N   default 8\n"
	      "  -I, --idle-weeks N      default 8\n"
	      LEDGER_OPTIONS_HELP
	      "  -f, --format FMT        output: csv (default), json, table, md\n"
	      HELP_OPTIONS_HELP, fp);
}

static const char *const columns[] = {
	"person_id", "code", "detail", "amount", "date", "source", "txn_id",
	"as_of", "policy_version"
};
#define NCOL (sizeof columns / sizeof columns[0])

struct ctx {
	struct pb_writer *w;
	int32_t as_of;
	const char *version;
};

static int row(void *vctx, const struct pb_finding *f, struct pb_error *e)
{
	struct ctx *x = vctx;
	struct pb_cell c[NCOL];
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ];

	memset(c, 0, sizeof c);
	c[0].kind = PB_CELL_TEXT, c[0].s = f->person_id;
	c[1].kind = PB_CELL_TEXT, c[1].s = f->code;
	c[2].kind = PB_CELL_TEXT, c[2].s = f->detail;
	c[3].kind = PB_CELL_MONEY, c[3].v = f->amount;
	c[4].kind = PB_CELL_TEXT, c[4].s = pb_date_format(d1, f->date);
	c[5].kind = PB_CELL_TEXT, c[5].s = f->source;
	c[6].kind = PB_CELL_TEXT, c[6].s = f->txn_id;
	c[7].kind = PB_CELL_TEXT, c[7].s = pb_date_format(d2, x->as_of);
	c[8].kind = PB_CELL_TEXT, c[8].s = x->version;
	return pb_writer_row(x->w, c, e);
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"as-of", required_argument, NULL, 'a'},
		{"from", required_argument, NULL, 'F'},
		{"policy", required_argument, NULL, 'p'},
		{"surplus-weeks", required_argument, NULL, 'S'},
		{"idle-weeks", required_argument, NULL, 'I'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_spending *policy = NULL;
	struct pb_audit_opts o;
	struct pb_error e;
	struct ctx x;
	const char *policy_path = NULL;
	int64_t v;
	long count = 0;
	int opt, rc, status = PB_OK;
	char d[PB_DATE_BUFSZ];

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	memset(&o, 0, sizeof o);
	o.as_of = pb_date_today();
	o.from = INT32_MIN;
	o.surplus_weeks = 8;
	o.idle_weeks = 8;
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVa:f:F:I:p:S:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_opt_date("--as-of", optarg, &o.as_of, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 'F':
			if (pb_opt_date("--from", optarg, &o.from, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 'I':
			if (pb_opt_int("--idle-weeks", optarg, 1, 520, &v, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			o.idle_weeks = (int)v;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case 'S':
			if (pb_opt_int("--surplus-weeks", optarg, 0, 520, &v, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			o.surplus_weeks = (int)v;
			break;
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if (policy_path && !(policy = pb_spending_load(policy_path, &e)))
		return pb_cli_exit(PROG, report(PROG, &e));
	o.policy = policy;
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 0, &e) < 0) {
		status = report(PROG, &e);
		goto out;
	}
	x.w = pb_writer_new(stdout, cli.format);
	x.as_of = o.as_of;
	x.version = policy ? policy->version : "";
	if (cli.format == PB_FMT_MD || cli.format == PB_FMT_TABLE) {
		char title[80];

		snprintf(title, sizeof title, "Direct-payment audit on %s",
			 pb_date_format(d, o.as_of));
		pb_writer_title(x.w, title);
	}
	pb_writer_header(x.w, columns, NCOL, &e);
	rc = pb_ledger_audit(l, &o, row, &x, &count, &e);
	if (rc == 0)
		rc = pb_writer_end(x.w, &e);
	if (rc < 0)
		status = output_failed(PROG, &e);
	pb_writer_free(x.w);
	if (!policy)
		fprintf(stderr, "%s: no --policy: spending categories not checked against a policy\n",
			PROG);
	fprintf(stderr, "%s: as of %s: %ld finding%s\n", PROG,
		pb_date_format(d, o.as_of), count, count == 1 ? "" : "s");
	if (status == PB_OK && count > 0)
		status = PB_EDATA;
out:
	pb_ledger_close(l);
	pb_spending_free(policy);
	return pb_cli_exit(PROG, status);
}
