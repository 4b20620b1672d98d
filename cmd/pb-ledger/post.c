/* pb-ledger post - import transactions (CONTRACTS.md §9) from a bank
 * statement or prepaid-card export. */
#include <string.h>

#include "cmds.h"

#define PROG "pb-ledger post"

static const char synopsis[] =
	"usage: pb-ledger post -s NAME [-D FILE] [-w SECONDS] [-i FMT] [-m SPEC]\n"
	"                      [-r FILE] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPost transactions: txn_id, person_id, date, amount (negative: money out\n"
	      "of the person's account), category, payee, description.  A txn_id seen\n"
	      "before from the same source with the same fields is skipped; with other\n"
	      "fields it is an error.  Any bad record and nothing is posted.\n\n"
	      "  -s, --source NAME       where the transactions come from (required;\n"
	      "                          letters, digits, '.', '_', '-')\n"
	      LEDGER_OPTIONS_HELP
	      "  -i, --input-format FMT  input: auto (default), csv, json\n"
	      "  -m, --map SPEC          column names: canonical=Their Column,...\n"
	      "  -r, --rejects FILE      write rejected records here (mode 0600)\n"
	      HELP_OPTIONS_HELP, fp);
}

struct binding {
	const struct pb_map *map;
	int idx[PB_T_N];
};

static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	struct binding *b = ctx;

	if (pb_bind(rec->hdr, b->map, pb_txn_spec, PB_T_N, b->idx, lenient, e) < 0 ||
	    pb_map_check_used(b->map, e) < 0)
		return -PB_EUSAGE;
	return 0;
}

int cmd_post(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		LEDGER_LONGOPTS,
		{"source", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct ledger_opts lo;
	struct pb_ledger *l = NULL;
	struct pb_error e;
	struct pb_run run;
	struct pb_record *rec;
	struct pb_map *map = NULL;
	struct binding bind;
	const char *source = NULL;
	long posted = 0, same = 0;
	int64_t out = 0, in = 0;
	char m1[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ];
	int opt, rc, status;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVi:m:r:s:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case 's':
			source = optarg;
			break;
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
	if (!source) {
		pb_error_set(&e, PB_EUSAGE,
			     "--source is required: where the transactions come from");
		return bad_usage(PROG, synopsis, &e);
	}
	if (pb_ledger_check_name("source name", source, strlen(source), &e) < 0) {
		pb_error_prefix(&e, "--source: ");
		e.code = PB_EUSAGE;
		return bad_usage(PROG, synopsis, &e);
	}
	if (strcmp(source, PB_LEDGER_SOURCE) == 0) {
		pb_error_set(&e, PB_EUSAGE,
			     "--source: '%s' is the source of pb-ledger's own transactions",
			     PB_LEDGER_SOURCE);
		return bad_usage(PROG, synopsis, &e);
	}
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e)))
		return bad_usage(PROG, synopsis, &e);
	if ((status = ledger_open(PROG, &lo, &l)) != 0)
		goto out;
	if (pb_ledger_begin(l, 1, &e) < 0) {
		status = report(PROG, &e);
		goto out;
	}
	if (pb_run_init(&run, &cli, argv + optind, (size_t)(argc - optind),
			&e) < 0) {
		status = report(PROG, &e);
		goto out;
	}
	memset(&bind, 0, sizeof bind);
	bind.map = map;
	run.on_header = bind_header;
	run.ctx = &bind;
	while ((rc = pb_run_next(&run, &rec, &e)) > 0) {
		struct pb_txn_in t;

		if (pb_txn_parse(bind.idx, rec, &t, &e) < 0) {
			pb_run_reject(&run, rec, &e);
			continue;
		}
		rc = pb_ledger_import(l, source, &t, &e);
		if (rc == -PB_EDATA) {
			blame_input(rec, pb_txn_spec, PB_T_N, bind.idx, &e);
			pb_run_reject(&run, rec, &e);
		} else if (rc < 0) {
			break;
		} else if (rc == 0) {
			same++;
		} else {
			int64_t *sum = t.amount < 0 ? &out : &in;

			posted++;
			/* Each amount is within the limit; all of them
			 * must add up too, or no figure of the books will. */
			if (pb_add_checked(*sum, t.amount < 0 ? -t.amount
					   : t.amount, sum) < 0) {
				pb_error_clear(&e);
				pb_error_at(&e, NULL, 0, "amount");
				pb_error_set(&e, PB_EDATA, "%s",
					     PB_LEDGER_TOO_MUCH);
				blame_input(rec, pb_txn_spec, PB_T_N, bind.idx,
					    &e);
				pb_run_reject(&run, rec, &e);
			}
		}
	}
	if (rc < 0) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		status = rc == -PB_EUSAGE ? PB_EUSAGE : PB_EIO;
		goto nothing;
	}
	status = pb_run_finish(&run);
	if (status != PB_OK)
		goto nothing;
	if (pb_ledger_commit(l, "post", posted, &e) < 0) {
		status = report(PROG, &e);
		goto nothing;
	}
	fprintf(stderr, "%s: %ld transaction%s posted from source '%s' (%s out, %s in), %ld already posted\n",
		PROG, posted, posted == 1 ? "" : "s", source, money(m1, out),
		money(m2, in), same);
	goto out;
nothing:
	pb_ledger_rollback(l);
	fprintf(stderr, "%s: nothing posted: a batch is taken whole or not at all\n",
		PROG);
out:
	pb_ledger_close(l);
	pb_map_free(map);
	return pb_cli_exit(PROG, status);
}
