/* pb-plan check - usage, options and wiring; the rules are in lib/plan.c,
 * the pass in lib/plan_check.c, the spending policy in lib/policy.c. */
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "plan.h"

#define PROG "pb-plan check"

static const char synopsis[] =
	"usage: pb-plan check -a FILE -p FILE [-f FMT] [-i FMT] [-m SPEC]\n"
	"                     [-r FILE] [plan ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nCheck support plans (JSON: one per line, or pretty-printed one after\n"
	      "another) against each person's allocation and the council's spending\n"
	      "policy.  One decision per plan, approve, review (a person must decide)\n"
	      "or return (it cannot be approved as written), with every reason.\n"
	      "Exit 1 when any plan is not approved.\n\n"
	      "  -a, --allocations FILE  the allocations (pb-allocate output); required\n"
	      "  -p, --policy FILE       the spending policy (JSON); required\n"
	      "  -f, --format FMT        output: csv (default), json (every reason in\n"
	      "                          full), table, md (a page per plan for the person)\n"
	      "  -i, --input-format FMT  the allocations: auto (default), csv, json\n"
	      "  -m, --map SPEC          allocation columns: canonical=Their Column,...\n"
	      "  -r, --rejects FILE      write rejected allocation records here (0600)\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show the version and exit\n", fp);
}

static int bad_usage(const struct pb_error *e)
{
	pb_error_print(stderr, PROG, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

static void problem(void *ctx, const struct pb_error *e)
{
	(void)ctx;
	pb_error_print(stderr, PROG, e);
}

static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	return pb_plan_allocs_bind(ctx, rec->hdr, lenient, e);
}

/* Read the allocations; returns the run's status, or PB_EUSAGE. */
static int read_allocations(struct pb_plan_allocs *t, const struct pb_cli *cli,
			    char *path)
{
	struct pb_run run;
	struct pb_record *rec;
	struct pb_error e;
	int rc;

	pb_error_clear(&e);
	if (pb_run_init(&run, cli, &path, 1, &e) < 0) {
		pb_error_print(stderr, PROG, &e);
		return e.code;
	}
	run.on_header = bind_header;
	run.ctx = t;
	while ((rc = pb_run_next(&run, &rec, &e)) > 0) {
		if (pb_plan_allocs_add(t, rec, &e) < 0)
			pb_run_reject(&run, rec, &e);
	}
	if (rc < 0) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		return PB_EUSAGE;
	}
	return pb_run_finish(&run);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		{"allocations", required_argument, NULL, 'a'},
		{"policy", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct pb_error e, werr;
	struct pb_spending *policy = NULL;
	struct pb_map *map = NULL;
	struct pb_plan_allocs *allocs = NULL;
	struct pb_plancheck *check = NULL;
	struct pb_plan_reader *rd = NULL;
	struct pb_plancheck_opts o;
	char *alloc_path = NULL;
	const char *policy_path = NULL, *file;
	json_t *doc;
	long line;
	int opt, rc, status = PB_OK, i;
	char summary[256];

	pb_cli_init(&cli, PROG);
	pb_error_clear(&e);
	while ((opt = pb_cli_getopt(&cli, argc, argv,
				    ":" PB_CLI_SHORTOPTS "a:p:", longopts,
				    &e)) != -1) {
		switch (opt) {
		case 'a':
			alloc_path = optarg;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case '?':
			return bad_usage(&e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, "pb-plan");
	if (!alloc_path) {
		pb_error_set(&e, PB_EUSAGE,
			     "no allocations: --allocations FILE is required");
		return bad_usage(&e);
	}
	if (!policy_path) {
		pb_error_set(&e, PB_EUSAGE,
			     "no spending policy: --policy FILE is required");
		return bad_usage(&e);
	}
	/* Standard input can be read once. */
	{
		int plans_stdin = optind == argc, n_stdin = 0;

		for (i = optind; i < argc; i++)
			plans_stdin |= strcmp(argv[i], "-") == 0;
		n_stdin = (strcmp(alloc_path, "-") == 0) + plans_stdin +
			  (strcmp(policy_path, "-") == 0);
		if (n_stdin > 1) {
			pb_error_set(&e, PB_EUSAGE,
				     "only one of the allocations, the policy and the plans can be read from standard input");
			return bad_usage(&e);
		}
	}
	if (!(policy = pb_spending_load(policy_path, &e))) {
		pb_error_print(stderr, PROG, &e);
		return pb_cli_exit(PROG, e.code);
	}
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e))) {
		pb_spending_free(policy);
		return bad_usage(&e);
	}
	allocs = pb_plan_allocs_new(map);
	status = read_allocations(allocs, &cli, alloc_path);
	/* Without every allocation, every plan would be decided wrong. */
	if (status == PB_EUSAGE || status == PB_EIO)
		goto out;

	memset(&o, 0, sizeof o);
	o.policy = policy;
	o.allocs = allocs;
	o.format = cli.format;
	o.problem = problem;
	if (!(check = pb_plancheck_new(&o, &e))) {
		pb_error_print(stderr, PROG, &e);
		status = PB_EIO;
		goto out;
	}
	rd = pb_plan_reader_new(argv + optind, (size_t)(argc - optind));
	while ((rc = pb_plan_reader_next(rd, &doc, &file, &line, &e)) != 0) {
		if (rc == 1) {
			rc = pb_plancheck_add(check, doc, file, line, &e);
			json_decref(doc);
		} else if (rc == -PB_EDATA) {
			pb_error_print(stderr, PROG, &e);
			rc = pb_plancheck_add_broken(check, &e, &werr);
			if (rc < 0)
				e = werr;
		} else {
			/* A file that cannot be read: the others go on. */
			pb_error_print(stderr, PROG, &e);
			status = PB_EIO;
			continue;
		}
		if (rc < 0) {
			pb_error_print(stderr, PROG, &e);
			status = PB_EIO;
			goto out;
		}
	}
	if (pb_plancheck_write(check, stdout, &e) < 0) {
		/* A write error on stdout is reported by pb_cli_exit. */
		if (!ferror(stdout))
			pb_error_print(stderr, PROG, &e);
		status = PB_EIO;
	}
	pb_plancheck_summary(check, summary, sizeof summary);
	fprintf(stderr, "%s: %s\n", PROG, summary);
	if (status < PB_EDATA && (pb_plancheck_count(check, PB_REVIEW) > 0 ||
				  pb_plancheck_count(check, PB_RETURN) > 0))
		status = PB_EDATA;
out:
	pb_plan_reader_free(rd);
	pb_plancheck_free(check);
	pb_plan_allocs_free(allocs);
	pb_map_free(map);
	pb_spending_free(policy);
	return pb_cli_exit(PROG, status);
}
