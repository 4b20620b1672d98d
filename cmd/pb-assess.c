/* pb-assess - options and wiring; the rules are in lib/ras.c and
 * lib/rasrun.c. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ras.h"

#define PROG "pb-assess"

static const char synopsis[] =
	"usage: pb-assess -R FILE [-e] [-c POT] [-f FMT] [-i FMT] [-m SPEC]\n"
	"                 [-r FILE] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nScore assessment answers with a resource allocation system (RAS):\n"
	      "points per domain and an indicative weekly and annual budget for\n"
	      "each questionnaire, and a flag where a person rated their own needs\n"
	      "well below (or above) their practitioner.\n\n"
	      "  -R, --ras FILE          the RAS config (JSON); required\n"
	      "  -c, --calibrate POT     find the highest price per point at which the\n"
	      "                          indicative annual budgets add up to at most\n"
	      "                          POT a year, and score with it\n"
	      "  -e, --explain           for each record, how its points and money were\n"
	      "                          derived, as JSON Lines\n"
	      PB_CLI_OPTIONS_HELP, fp);
}

static int bad_usage(const struct pb_error *e)
{
	pb_error_print(stderr, PROG, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	return pb_assess_bind(ctx, rec->hdr, lenient, e);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		{"ras", required_argument, NULL, 'R'},
		{"calibrate", required_argument, NULL, 'c'},
		{"explain", no_argument, NULL, 'e'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct pb_assess_opts o;
	struct pb_error e;
	struct pb_run run;
	struct pb_record *rec;
	struct pb_assess *a = NULL;
	struct pb_ras *ras = NULL;
	struct pb_map *map = NULL;
	struct pb_writer *w = NULL;
	const char *ras_path = NULL, *format_arg = NULL;
	char line[512];
	int opt, rc, status;

	pb_cli_init(&cli, PROG);
	memset(&o, 0, sizeof o);
	pb_error_clear(&e);
	cli.own = "f"; /* the value as given, for --explain's message */
	while ((opt = pb_cli_getopt(&cli, argc, argv,
				    ":" PB_CLI_SHORTOPTS "R:c:e", longopts,
				    &e)) != -1) {
		switch (opt) {
		case 'R':
			ras_path = optarg;
			break;
		case 'c':
			if (pb_opt_money("--calibrate", optarg, &o.pot, &e) < 0)
				return bad_usage(&e);
			if (o.pot <= 0) {
				pb_error_set(&e, PB_EUSAGE,
					     "--calibrate: the pot must be more than 0.00");
				return bad_usage(&e);
			}
			o.calibrate = 1;
			break;
		case 'e':
			o.explain = 1;
			break;
		case 'f':
			format_arg = optarg;
			if (pb_cli_option(&cli, opt, optarg, &e) < 0)
				return bad_usage(&e);
			break;
		case '?':
			return bad_usage(&e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, PROG);
	if (!ras_path) {
		pb_error_set(&e, PB_EUSAGE, "no RAS config: --ras FILE is required");
		return bad_usage(&e);
	}
	if (o.explain && format_arg && cli.format != PB_FMT_JSON) {
		pb_error_set(&e, PB_EUSAGE,
			     "--explain writes JSON Lines: --format cannot be '%s'",
			     format_arg);
		return bad_usage(&e);
	}
	if (!(ras = pb_ras_load(ras_path, &e))) {
		pb_error_print(stderr, PROG, &e);
		return pb_cli_exit(PROG, e.code);
	}
	if (o.calibrate && !ras->has_price) {
		pb_error_set(&e, PB_EUSAGE,
			     "--calibrate: the RAS has bands: only a price per point "
			     "(per_point_weekly) can be calibrated");
		pb_ras_free(ras);
		return bad_usage(&e);
	}
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e))) {
		pb_ras_free(ras);
		return bad_usage(&e);
	}
	o.ras = ras;
	o.map = map;
	if (!(a = pb_assess_new(&o, &e))) {
		pb_error_print(stderr, PROG, &e);
		status = e.code;
		goto out;
	}

	if (pb_run_init(&run, &cli, argv + optind, (size_t)(argc - optind),
			&e) < 0) {
		pb_error_print(stderr, PROG, &e);
		status = e.code;
		goto out;
	}
	run.on_header = bind_header;
	run.ctx = a;
	while ((rc = pb_run_next(&run, &rec, &e)) > 0) {
		rc = pb_assess_add(a, rec, &e);
		if (rc == -PB_EIO)
			break;
		if (rc < 0)
			pb_run_reject(&run, rec, &e);
	}
	if (rc < 0) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		status = rc == -PB_EIO ? PB_EIO : PB_EUSAGE;
		goto out;
	}
	{
		int64_t price, total;
		char p[PB_MONEY_BUFSZ], t[PB_MONEY_BUFSZ], q[PB_MONEY_BUFSZ];

		if (pb_assess_price(a, &price, &total, &e) < 0) {
			pb_error_print(stderr, PROG, &e);
			pb_run_finish(&run);
			status = PB_EUSAGE;
			goto out;
		}
		if (o.calibrate)
			fprintf(stderr, "%s: price per point: %s (total %s of %s)\n",
				PROG, pb_money_format(p, price, PB_MONEY_PLAIN),
				pb_ras_money_grouped(t, total),
				pb_ras_money_grouped(q, o.pot));
	}
	w = pb_writer_new(stdout, cli.format);
	/* A write error is reported once, by pb_cli_exit, from stdout's
	 * error flag; any other failure here is the temporary file's. */
	rc = pb_assess_write(a, w, stdout, &e);
	if (rc == 0 && !o.explain)
		rc = pb_writer_end(w, &e);
	if (rc < 0 && !ferror(stdout)) {
		pb_error_print(stderr, PROG, &e);
		run.status = e.code > run.status ? e.code : run.status;
	} else if (rc < 0) {
		run.status = PB_EIO;
	}
	pb_writer_free(w);
	pb_assess_summary(a, line, sizeof line);
	fprintf(stderr, "%s: %s\n", PROG, line);
	status = pb_run_finish(&run);
out:
	pb_assess_free(a);
	pb_map_free(map);
	pb_ras_free(ras);
	return pb_cli_exit(PROG, status);
}
