/*
 * pb-report merge - combine partial states (--partial) into the report
 * one run over all their input would print; the rules are in
 * lib/partial.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

#define PROG "pb-report merge"

static const char synopsis[] =
	"usage: pb-report merge [-nT] [-d RULE] [-f FMT] [-t PCT] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nCombine partial states written by pb-report REPORT --partial (from\n"
	      "files, or standard input, several states one after another) and\n"
	      "print the report exactly as one run over all their input would.\n"
	      "The states must come from the same report with the same options.\n\n"
	      "  -d, --disclosure RULE   instead of the states' rule: nhs or none\n"
	      "  -n, --no-suppress       the same as --disclosure none\n"
	      "  -t, --target PCT        instead of the states' target\n"
	      "  -T, --total             add the all-groups rows\n"
	      "  -f, --format FMT        instead of the states' format: csv, json,\n"
	      "                          table, md or svg\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show the version and exit\n", fp);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"format", required_argument, NULL, 'f'},
		{"disclosure", required_argument, NULL, 'd'},
		{"no-suppress", no_argument, NULL, 'n'},
		{"target", required_argument, NULL, 't'},
		{"total", no_argument, NULL, 'T'},
		{NULL, 0, NULL, 0}
	};
	struct pb_error e;
	struct pb_merge *m;
	struct pb_report *r;
	struct pb_report_opts *o;
	enum pb_format format = PB_FMT_CSV;
	enum pb_disclosure disclosure = PB_DISC_NHS;
	int64_t target = 0;
	int opt, status = PB_OK, has_format = 0, has_disc = 0, has_target = 0;
	int total = 0, i;
	static char *const stdin_only[] = {"-"};
	char *const *files;
	int nfiles;

	pb_error_clear(&e);
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":hVf:d:nt:T", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return pb_cli_exit(PROG, PB_OK);
		case 'V':
			pb_cli_version(stdout, "pb-report");
			return pb_cli_exit(PROG, PB_OK);
		case 'f':
			if (pb_format_parse_chart(optarg, &format, &e) < 0)
				return report_bad_usage(PROG, synopsis, &e);
			has_format = 1;
			break;
		case 'd':
			if (pb_disclosure_parse(optarg, &disclosure, &e) < 0)
				return report_bad_usage(PROG, synopsis, &e);
			has_disc = 1;
			break;
		case 'n':
			disclosure = PB_DISC_NONE;
			has_disc = 1;
			break;
		case 't':
			if (pb_opt_tenths("--target", optarg, 0, 1000, &target,
					  &e) < 0)
				return report_bad_usage(PROG, synopsis, &e);
			has_target = 1;
			break;
		case 'T':
			total = 1;
			break;
		default:
			pb_cli_badopt(&e, opt, optopt, argv, optind);
			return report_bad_usage(PROG, synopsis, &e);
		}
	}
	files = optind < argc ? argv + optind : stdin_only;
	nfiles = optind < argc ? argc - optind : 1;
	m = pb_merge_new();
	for (i = 0; i < nfiles; i++)
		if (pb_merge_file(m, files[i], &e) < 0) {
			/* A part missing would make the figures wrong. */
			pb_error_print(stderr, PROG, &e);
			pb_merge_free(m);
			return pb_cli_exit(PROG, e.code);
		}
	r = pb_merge_report(m);
	if (!r) {
		pb_error_set(&e, PB_EUSAGE, "no partial state in the input");
		pb_error_print(stderr, PROG, &e);
		pb_merge_free(m);
		return pb_cli_exit(PROG, PB_EUSAGE);
	}
	o = pb_merge_opts(m);
	if (has_format)
		o->format = format;
	if (has_disc)
		o->disclosure = disclosure;
	if (has_target) {
		o->has_target = 1;
		o->target = target;
	}
	if (total)
		o->total = 1;
	if (pb_report_print(r, stdout, &e) < 0)
		status = PB_EIO;
	report_notes(PROG, r);
	fprintf(stderr, "%s: %ld partial state%s merged\n", PROG,
		pb_merge_count(m), pb_merge_count(m) == 1 ? "" : "s");
	{
		int parts = pb_report_status(r);

		if (parts > status)
			status = parts;
		if (parts)
			fprintf(stderr, "%s: the partial runs rejected records or "
				"could not read a file (status %d)\n", PROG, parts);
	}
	pb_merge_free(m);
	return pb_cli_exit(PROG, status);
}
