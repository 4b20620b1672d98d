/* pb-report takeup - options and wiring; the rules are in lib/takeup.c. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "report.h"

#define PROG "pb-report takeup"

static const char synopsis[] =
	"usage: pb-report takeup [-cnTu] [-a DATE] [-b COLS] [-d RULE] [-t PCT]\n"
	"                        [-f FMT] [-i FMT] [-m SPEC] [-r FILE] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPeople in long-term support in the community on a day, each counted\n"
	      "once, and how many have a personal budget and a direct payment\n"
	      "(ASCOF 1C / 3D), per group.\n\n"
	      "  -a, --as-of DATE        the day counted (default today)\n"
	      "  -b, --by COLS           group by these columns, comma-separated\n"
	      "                          (default primary_support_reason; also age_band,\n"
	      "                          age_band_fine)\n"
	      "  -c, --carers            count carers instead of service users\n"
	      "  -d, --disclosure RULE   nhs (default: counts 1-7 shown as *, others\n"
	      "                          rounded to the nearest 5) or none\n"
	      "  -n, --no-suppress       the same as --disclosure none\n"
	      "  -t, --target PCT        add target_pct and meets_target\n"
	      "  -T, --total             add a row for all groups\n"
	      "  -u, --assume-unique     one row per person: no per-person memory\n"
	      PB_CLI_OPTIONS_HELP, fp);
}

static int bad_usage(const struct pb_error *e)
{
	pb_error_print(stderr, PROG, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

/* Split "a,b,c" in place into names; empty names are an error. */
static int split_by(char *s, const char ***out, size_t *n,
		    struct pb_error *e)
{
	const char **v = NULL;
	size_t k = 0;
	char *p = s;

	for (;;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		while (*p == ' ')
			p++;
		char *end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			*--end = '\0';
		if (*p == '\0') {
			free(v);
			return pb_error_set(e, PB_EUSAGE,
					    "--by: empty column name");
		}
		v = pb_xrealloc(v, (k + 1) * sizeof *v);
		v[k++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = v;
	*n = k;
	return 0;
}

struct binding {
	struct pb_takeup *t;
	struct pb_run *run;
	unsigned long gen;     /* of the header last bound */
};

/* Find the columns of a new header (a CSV file's, or JSON's grown). */
static int bind_header(void *ctx, const struct pb_record *rec,
		       struct pb_error *e)
{
	struct binding *b = ctx;

	b->gen = rec->hdr->gen;
	return pb_takeup_bind(b->t, rec->hdr,
			      pb_reader_format(b->run->rd) == PB_IN_JSON, e);
}

int cmd_takeup(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		{"as-of", required_argument, NULL, 'a'},
		{"by", required_argument, NULL, 'b'},
		{"carers", no_argument, NULL, 'c'},
		{"disclosure", required_argument, NULL, 'd'},
		{"no-suppress", no_argument, NULL, 'n'},
		{"target", required_argument, NULL, 't'},
		{"total", no_argument, NULL, 'T'},
		{"assume-unique", no_argument, NULL, 'u'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct pb_takeup_opts o;
	struct pb_error e;
	struct pb_run run;
	struct pb_record *rec;
	struct pb_takeup *t = NULL;
	struct pb_writer *w;
	struct pb_map *map = NULL;
	const char **by = NULL;
	char *by_arg = NULL;
	char line[512];
	struct binding bind = {NULL, NULL, 0};
	int opt, rc, status;

	pb_cli_init(&cli, PROG);
	memset(&o, 0, sizeof o);
	o.as_of = pb_date_today();
	pb_error_clear(&e);
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":" PB_CLI_SHORTOPTS "a:b:cd:nt:Tu",
				  longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_date_parse(optarg, strlen(optarg), &o.as_of, &e) < 0) {
				pb_error_prefix(&e, "--as-of: ");
				e.code = PB_EUSAGE;
				return bad_usage(&e);
			}
			break;
		case 'b':
			by_arg = optarg;
			break;
		case 'c':
			o.carers = 1;
			break;
		case 'd':
			if (pb_disclosure_parse(optarg, &o.disclosure, &e) < 0)
				return bad_usage(&e);
			break;
		case 'n':
			o.disclosure = PB_DISC_NONE;
			break;
		case 't':
			if (pb_tenths_parse(optarg, strlen(optarg), 0, 1000,
					    &o.target, &e) < 0) {
				pb_error_prefix(&e, "--target: ");
				e.code = PB_EUSAGE;
				return bad_usage(&e);
			}
			o.has_target = 1;
			break;
		case 'T':
			o.total = 1;
			break;
		case 'u':
			o.assume_unique = 1;
			break;
		case ':':
		case '?':
			pb_cli_badopt(&e, opt, optopt, argv, optind);
			return bad_usage(&e);
		default:
			if (pb_cli_option(&cli, opt, optarg, &e) < 0)
				return bad_usage(&e);
		}
	}
	if (cli.help) {
		usage(stdout);
		return pb_cli_exit(PROG, PB_OK);
	}
	if (cli.version) {
		pb_cli_version(stdout, "pb-report");
		return pb_cli_exit(PROG, PB_OK);
	}
	if (by_arg) {
		char *copy = pb_xstrdup(by_arg);

		if (split_by(copy, &by, &o.nby, &e) < 0) {
			free(copy);
			return bad_usage(&e);
		}
		o.by = by;
		by_arg = copy;
	} else {
		static const char *const dflt[] = {"primary_support_reason"};

		o.by = dflt;
		o.nby = 1;
	}
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e))) {
		free(by);
		free(by_arg);
		return bad_usage(&e);
	}
	o.map = map;
	if (!(t = pb_takeup_new(&o, &e))) {
		pb_map_free(map);
		free(by);
		free(by_arg);
		return bad_usage(&e);
	}

	if (pb_run_init(&run, &cli, argv + optind, (size_t)(argc - optind),
			&e) < 0) {
		pb_error_print(stderr, PROG, &e);
		status = e.code;
		goto out;
	}
	bind.t = t;
	bind.run = &run;
	run.on_header = bind_header;
	run.ctx = &bind;
	while ((rc = pb_run_next(&run, &rec, &e)) > 0) {
		/* JSON Lines grow their header record by record. */
		if (rec->hdr->gen != bind.gen && bind_header(&bind, rec, &e) < 0) {
			rc = -PB_EUSAGE;
			pb_error_at(&e, rec->file, 0, NULL);
			break;
		}
		if (pb_takeup_add(t, rec, &e) < 0)
			pb_run_reject(&run, rec, &e);
	}
	if (rc < 0) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		status = PB_EUSAGE;
		goto out;
	}

	w = pb_writer_new(stdout, cli.format);
	if (cli.format == PB_FMT_TABLE || cli.format == PB_FMT_MD) {
		char title[80], date[PB_DATE_BUFSZ];

		snprintf(title, sizeof title,
			 "Take-up of personal budgets and direct payments on %s",
			 pb_date_format(date, o.as_of));
		pb_writer_title(w, title);
		pb_writer_note(w, pb_disc_note(o.disclosure));
	}
	/* A write error is reported once, by pb_cli_exit, from stdout's
	 * error flag. */
	if (pb_takeup_write(t, w, &e) < 0 || pb_writer_end(w, &e) < 0)
		run.status = PB_EIO;
	pb_writer_free(w);
	fprintf(stderr, "%s: %s\n", PROG, pb_disc_note(o.disclosure));
	pb_takeup_summary(t, run.read, run.rejected, line, sizeof line);
	fprintf(stderr, "%s: %s\n", PROG, line);
	status = pb_run_finish(&run);
out:
	pb_takeup_free(t);
	pb_map_free(map);
	free(by);
	free(by_arg);
	return pb_cli_exit(PROG, status);
}
