/* pb-ledger reverse - correct a transaction by reversing it. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger reverse"

static const char synopsis[] =
	"usage: pb-ledger reverse -s NAME -R TEXT [-d DATE] [-D FILE] [-w SECONDS]\n"
	"                         TXN_ID\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPost a transaction that undoes TXN_ID from source NAME, leg by leg.\n"
	      "Nothing is deleted: both stay in the books.  A transaction is reversed at\n"
	      "most once, and a reversal is not itself reversed.\n\n"
	      "  -s, --source NAME       the source the transaction came from\n"
	      "                          (pb-ledger for payments and recoveries)\n"
	      "  -R, --reason TEXT       why (required; kept in the books)\n"
	      "  -d, --date DATE         the reversal's date (default today)\n"
	      LEDGER_OPTIONS_HELP HELP_OPTIONS_HELP, fp);
}

int cmd_reverse(int argc, char **argv)
{
	static const struct option longopts[] = {
		LEDGER_LONGOPTS,
		{"source", required_argument, NULL, 's'},
		{"reason", required_argument, NULL, 'R'},
		{"date", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_error e;
	struct pb_reversal r;
	const char *source = NULL, *reason = NULL, *txn_id;
	int32_t date = pb_date_today();
	int opt, rc, status = PB_OK;
	char m[PB_MONEY_BUFSZ], d[PB_DATE_BUFSZ], q[80];
	size_t i;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	cli.own = "hV"; /* printed at once, below */
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVd:R:s:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'd':
			if (pb_opt_date("--date", optarg, &date, &e) < 0)
				return bad_usage(PROG, synopsis, &e);
			break;
		case 'R':
			reason = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'h':
		case 'V':
			/* Whatever follows is not checked. */
			pb_cli_option(&cli, opt, NULL, &e);
			return pb_cli_info(&cli, usage, "pb-ledger");
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (optind >= argc) {
		pb_error_set(&e, PB_EUSAGE, "no transaction named");
		return bad_usage(PROG, synopsis, &e);
	}
	txn_id = argv[optind++];
	if (optind < argc)
		return unexpected(PROG, synopsis, argv[optind]);
	if (!source) {
		pb_error_set(&e, PB_EUSAGE,
			     "--source is required: the source the transaction came from");
		return bad_usage(PROG, synopsis, &e);
	}
	if (!reason || !*reason) {
		pb_error_set(&e, PB_EUSAGE, "--reason is required: why it is reversed");
		return bad_usage(PROG, synopsis, &e);
	}
	for (i = 0; reason[i]; i++)
		if ((unsigned char)reason[i] < 0x20) {
			pb_error_set(&e, PB_EUSAGE,
				     "--reason: a control character in '%s'",
				     pb_quote(q, sizeof q, reason, strlen(reason)));
			return bad_usage(PROG, synopsis, &e);
		}
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 1, &e) < 0 ||
	    (rc = pb_ledger_reverse(l, source, txn_id, date, reason, &r, &e)) < 0 ||
	    pb_ledger_commit(l, "reverse", 1, &e) < 0) {
		pb_ledger_rollback(l);
		status = report(PROG, &e);
		goto out;
	}
	fprintf(stderr, "%s: %s/%s reversed on %s by %s/%s (%s on dp:%s)\n", PROG,
		source, pb_quote(q, sizeof q, txn_id, strlen(txn_id)),
		pb_date_format(d, date), r.source, r.txn_id, money(m, r.amount),
		r.person_id);
out:
	pb_ledger_close(l);
	return pb_cli_exit(PROG, status);
}
