/* pb-ledger import-allocations - accounts and payment schedules from
 * pb-allocate's output (CONTRACTS.md §6). */
#include <string.h>

#include "cmds.h"
#include "codes.h"

#define PROG "pb-ledger import-allocations"

static const char synopsis[] =
	"usage: pb-ledger import-allocations [-D FILE] [-w SECONDS] [-i FMT]\n"
	"                                    [-m SPEC] [-r FILE] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nOpen an account for each person and record each allocation's payment\n"
	      "schedule.  The same allocation again changes nothing; the same\n"
	      "allocation_id with other figures is refused.  A new allocation (a later\n"
	      "start_date) ends the person's previous schedule the day before.  The\n"
	      "batch is taken whole or not at all.\n\n"
	      LEDGER_OPTIONS_HELP
	      "  -i, --input-format FMT  input: auto (default), csv, json\n"
	      "  -m, --map SPEC          column names: canonical=Their Column,...\n"
	      "  -r, --rejects FILE      write rejected records here (mode 0600)\n"
	      HELP_OPTIONS_HELP, fp);
}

struct binding {
	const struct pb_map *map;
	int idx[PB_A_N];
};

static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	struct binding *b = ctx;

	if (pb_bind(rec->hdr, b->map, pb_alloc_spec, PB_A_N, b->idx, lenient, e) < 0 ||
	    pb_map_check_used(b->map, e) < 0)
		return -PB_EUSAGE;
	return 0;
}

int cmd_import_allocations(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		LEDGER_LONGOPTS,
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
	long added = 0, same = 0, nodp = 0;
	int opt, rc, status;

	pb_cli_init(&cli, PROG);
	lopts_init(&lo);
	pb_error_clear(&e);
	while ((opt = ledger_getopt(&cli, &lo, argc, argv,
				    ":hVi:m:r:" LEDGER_SHORTOPTS,
				    longopts, &e)) != -1) {
		switch (opt) {
		case '?':
			return bad_usage(PROG, synopsis, &e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-ledger");
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
		struct pb_alloc a;

		if (pb_alloc_parse(bind.idx, rec, &a, &e) < 0) {
			pb_run_reject(&run, rec, &e);
			continue;
		}
		rc = pb_ledger_add_alloc(l, &a, &e);
		if (rc == -PB_EDATA) {
			blame_input(rec, pb_alloc_spec, PB_A_N, bind.idx, &e);
			pb_run_reject(&run, rec, &e);
		} else if (rc < 0) {
			break;
		} else if (rc == 0) {
			same++;
		} else {
			added++;
			if (a.mech != PB_MECH_DP && a.mech != PB_MECH_PART_DP)
				nodp++;
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
	if (pb_ledger_commit(l, "import-allocations", added, &e) < 0) {
		status = report(PROG, &e);
		goto nothing;
	}
	fprintf(stderr, "%s: %ld allocation%s imported", PROG, added,
		added == 1 ? "" : "s");
	if (nodp)
		fprintf(stderr, " (%ld managed or commissioned: no payments)", nodp);
	fprintf(stderr, ", %ld already in the books\n", same);
	goto out;
nothing:
	pb_ledger_rollback(l);
	fprintf(stderr, "%s: nothing imported: a batch is taken whole or not at all\n",
		PROG);
out:
	pb_ledger_close(l);
	pb_map_free(map);
	return pb_cli_exit(PROG, status);
}
