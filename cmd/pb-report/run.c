/*
 * run.c - the wiring every report of pb-report shares: its options, the
 * pass over the --people export and over the input, and the output
 * (the table in a format, or the partial state).  The rules are in
 * libpb (lib/report.c and a file per report).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

/* Every report option: letter, long name, whether it takes a value. */
static const struct option all_opts[] = {
	{"as-of", required_argument, NULL, 'a'},
	{"by", required_argument, NULL, 'b'},
	{"carers", no_argument, NULL, 'c'},
	{"disclosure", required_argument, NULL, 'd'},
	{"every", required_argument, NULL, 'e'},
	{"no-suppress", no_argument, NULL, 'n'},
	{"people", required_argument, NULL, 'p'},
	{"partial", no_argument, NULL, 'P'},
	{"from", required_argument, NULL, 'S'},
	{"target", required_argument, NULL, 't'},
	{"total", no_argument, NULL, 'T'},
	{"assume-unique", no_argument, NULL, 'u'},
	{"to", required_argument, NULL, 'U'},
};
#define NOPTS (sizeof all_opts / sizeof all_opts[0])

int report_bad_usage(const char *prog, const char *synopsis,
		     const struct pb_error *e)
{
	pb_error_print(stderr, prog, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

void report_notes(const char *prog, struct pb_report *r)
{
	struct pb_rtab *t = pb_report_table(r);
	char line[1024];
	size_t i;

	for (i = 0; i < pb_rtab_nnote(t); i++)
		fprintf(stderr, "%s: %s\n", prog, pb_rtab_get_note(t, i));
	pb_report_summary(r, line, sizeof line);
	fprintf(stderr, "%s: %s\n", prog, line);
}

struct binding {
	struct pb_report *r;
	int people;            /* binding the --people export */
};

/* Find the columns of a new header (a CSV file's, or JSON's grown). */
static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	struct binding *b = ctx;

	if (b->people)
		return pb_report_people_bind(b->r, rec->hdr, lenient, e);
	return pb_report_bind(b->r, rec->hdr, lenient, e);
}

/* One pass over some input.  Returns 0, or -PB_EUSAGE (reported). */
static int pass(const char *prog, struct binding *b, struct pb_run *run)
{
	struct pb_record *rec;
	struct pb_error e;
	int rc;

	pb_error_clear(&e);
	run->on_header = bind_header;
	run->ctx = b;
	while ((rc = pb_run_next(run, &rec, &e)) > 0) {
		if ((b->people ? pb_report_people_add(b->r, rec, &e)
			       : pb_report_add(b->r, rec, &e)) < 0)
			pb_run_reject(run, rec, &e);
	}
	if (rc < 0) {
		pb_error_print(stderr, prog, &e);
		return -PB_EUSAGE;
	}
	return 0;
}

/* The option string and long options of a report: the common ones and
 * its letters. */
static void build_opts(const char *letters, char *shortopts, size_t n,
		       struct option *longopts)
{
	static const struct option common[] = {PB_CLI_LONGOPTS};
	size_t i, k = 0, j;

	snprintf(shortopts, n, ":%s", PB_CLI_SHORTOPTS);
	for (i = 0; i < sizeof common / sizeof common[0]; i++)
		longopts[k++] = common[i];
	for (j = 0; letters[j]; j++)
		for (i = 0; i < NOPTS; i++) {
			if (all_opts[i].val != letters[j])
				continue;
			longopts[k++] = all_opts[i];
			size_t len = strlen(shortopts);

			shortopts[len++] = (char)all_opts[i].val;
			if (all_opts[i].has_arg)
				shortopts[len++] = ':';
			shortopts[len] = '\0';
		}
	memset(&longopts[k], 0, sizeof longopts[k]);
}

int report_cmd(const struct report_cmd *rc, int argc, char **argv)
{
	struct option longopts[NOPTS + 8];
	char shortopts[64];
	struct pb_cli cli;
	struct pb_report_opts o;
	struct pb_error e;
	struct pb_run run, prun;
	struct pb_report *r = NULL;
	struct pb_map *map = NULL;
	struct binding bind;
	struct pb_list by = {NULL, 0, NULL};
	const char *by_arg = NULL, *people = NULL;
	int opt, status, partial = 0;
	long prejected = 0;

	build_opts(rc->letters, shortopts, sizeof shortopts, longopts);
	pb_cli_init(&cli, rc->prog);
	cli.svg = 1;
	memset(&o, 0, sizeof o);
	o.kind = rc->kind;
	o.as_of = pb_date_today();
	pb_error_clear(&e);
	while ((opt = pb_cli_getopt(&cli, argc, argv, shortopts, longopts,
				    &e)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_opt_date("--as-of", optarg, &o.as_of, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			break;
		case 'b':
			by_arg = optarg;
			break;
		case 'c':
			o.carers = 1;
			break;
		case 'd':
			if (pb_disclosure_parse(optarg, &o.disclosure, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			break;
		case 'e':
			if (pb_every_parse(optarg, &o.every, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			break;
		case 'n':
			o.disclosure = PB_DISC_NONE;
			break;
		case 'p':
			people = optarg;
			break;
		case 'P':
			partial = 1;
			break;
		case 'S':
			if (pb_opt_date("--from", optarg, &o.from, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			o.has_from = 1;
			break;
		case 't':
			if (pb_opt_tenths("--target", optarg, 0, 1000,
					  &o.target, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			o.has_target = 1;
			break;
		case 'T':
			o.total = 1;
			break;
		case 'u':
			o.assume_unique = 1;
			break;
		case 'U':
			if (pb_opt_date("--to", optarg, &o.to, &e) < 0)
				return report_bad_usage(rc->prog, rc->synopsis, &e);
			o.has_to = 1;
			break;
		case '?':
			return report_bad_usage(rc->prog, rc->synopsis, &e);
		}
	}
	if (cli.help) {
		/* Three parts: no usage(FILE *) to hand pb_cli_info. */
		fputs(rc->synopsis, stdout);
		fputs(rc->help, stdout);
		fputs(REPORT_COMMON_HELP, stdout);
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, NULL, "pb-report");
	if (o.has_from && o.has_to && o.to < o.from) {
		char a[PB_DATE_BUFSZ], b[PB_DATE_BUFSZ];

		pb_error_set(&e, PB_EUSAGE, "--to %s is before --from %s",
			     pb_date_format(b, o.to), pb_date_format(a, o.from));
		return report_bad_usage(rc->prog, rc->synopsis, &e);
	}
	if (by_arg) {
		if (pb_opt_list("--by", by_arg, &by, &e) < 0)
			return report_bad_usage(rc->prog, rc->synopsis, &e);
		o.by = by.v;
		o.nby = by.n;
	} else {
		static const char *const dflt[] = {"primary_support_reason"};

		o.by = dflt;
		o.nby = 1;
	}
	o.format = cli.format;
	status = PB_EUSAGE;
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e))) {
		report_bad_usage(rc->prog, rc->synopsis, &e);
		goto out;
	}
	o.map = map;
	if (!(r = pb_report_new(&o, &e))) {
		report_bad_usage(rc->prog, rc->synopsis, &e);
		goto out;
	}
	if (pb_report_wants_people(r)) {
		if (!people) {
			pb_error_set(&e, PB_EUSAGE,
				     "--people FILE is needed: the person export that gives each person's group");
			report_bad_usage(rc->prog, rc->synopsis, &e);
			goto out;
		}
		if (strcmp(people, "-") == 0 &&
		    (optind == argc || strcmp(argv[argc - 1], "-") == 0)) {
			pb_error_set(&e, PB_EUSAGE,
				     "--people and the input cannot both be standard input");
			report_bad_usage(rc->prog, rc->synopsis, &e);
			goto out;
		}
	}

	memset(&bind, 0, sizeof bind);
	bind.r = r;
	memset(&prun, 0, sizeof prun);
	if (people) {
		char *pfiles[1];

		pfiles[0] = (char *)people;
		if (pb_run_init(&prun, &cli, pfiles, 1, &e) < 0) {
			pb_error_print(stderr, rc->prog, &e);
			status = e.code;
			goto out;
		}
		bind.people = 1;
		if (pass(rc->prog, &bind, &prun) < 0) {
			pb_run_finish(&prun);
			goto out;
		}
		if (prun.status == PB_EIO) {
			/* No map of people: every record would be rejected. */
			status = pb_run_finish(&prun);
			goto out;
		}
		pb_report_people_input(r, prun.read, prun.rejected);
		prejected = prun.rejected;
	}
	{
		struct pb_cli main_cli = cli;

		if (people)
			main_cli.rejects_path = NULL;
		if (pb_run_init(&run, &main_cli, argv + optind,
				(size_t)(argc - optind), &e) < 0) {
			pb_error_print(stderr, rc->prog, &e);
			status = e.code;
			if (people)
				pb_run_finish(&prun);
			goto out;
		}
	}
	if (people) {
		/* One rejects file and one count for both passes. */
		run.rj = prun.rj;
		run.rejects_path = prun.rejects_path;
		run.rejected = prun.rejected;
		run.status = prun.status;
		prun.rj = NULL;
		prun.rejected = 0;
		pb_run_finish(&prun);
	}
	bind.people = 0;
	if (pass(rc->prog, &bind, &run) < 0) {
		pb_run_finish(&run);
		status = PB_EUSAGE;
		goto out;
	}
	pb_report_input(r, run.read, run.rejected - prejected, run.status);
	if (partial) {
		char line[1024];

		if (pb_report_save(r, stdout, &e) < 0)
			run.status = PB_EIO;
		pb_report_summary(r, line, sizeof line);
		fprintf(stderr, "%s: %s\n", rc->prog, line);
		fprintf(stderr, "%s: a partial state: exact counts and "
			"fingerprints of each person's la_code and person_id, "
			"personal data not for publishing; combine states with "
			"pb-report merge\n", rc->prog);
	} else {
		/* A write error is reported once, by pb_cli_exit, from
		 * stdout's error flag. */
		if (pb_report_print(r, stdout, &e) < 0)
			run.status = PB_EIO;
		report_notes(rc->prog, r);
	}
	status = pb_run_finish(&run);
out:
	pb_report_free(r);
	pb_map_free(map);
	pb_list_free(&by);
	return pb_cli_exit(rc->prog, status);
}
