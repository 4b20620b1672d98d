/* pb-allocate - options and wiring; the rules are in lib/allocate.c and
 * lib/allocrun.c. */
#include <stdlib.h>
#include <string.h>

#include "allocate.h"
#include "cli.h"
#include "ras.h"

#define PROG "pb-allocate"

static const char synopsis[] =
	"usage: pb-allocate -F FILE [-p POT] [-f FMT] [-i FMT] [-m SPEC]\n"
	"                   [-r FILE] [file ...]\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nTurn scored assessments (pb-assess output) into one allocation per\n"
	      "person and assessment date: the agreed weekly budget, its funding\n"
	      "streams, the person's contribution and the payment schedule.\n\n"
	      "  -F, --funding FILE      the funding config (JSON); required\n"
	      "  -p, --pot AMOUNT        the money available a year: print the annual\n"
	      "                          commitment by stream against it; exit 1 when\n"
	      "                          over it\n"
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
	return pb_allocate_bind(ctx, rec->hdr, lenient, e);
}

static void reject(void *ctx, const struct pb_record *rec,
		   struct pb_error *why)
{
	pb_run_reject(ctx, rec, why);
}

/* The --pot lines; returns 1 when the commitment is over the pot. */
static int pot_report(const struct pb_allocate *a, int64_t pot)
{
	struct pb_alloc_totals t;
	char sc[PB_MONEY_BUFSZ], h[PB_MONEY_BUFSZ], s[PB_MONEY_BUFSZ],
	     tot[PB_MONEY_BUFSZ], c[PB_MONEY_BUFSZ], p[PB_MONEY_BUFSZ],
	     d[PB_MONEY_BUFSZ];

	pb_allocate_totals(a, &t);
	fprintf(stderr,
		"%s: annual commitment of %ld allocation%s: social_care %s, "
		"health %s, s117 %s, total %s (client contributions %s)\n",
		PROG, t.allocations, t.allocations == 1 ? "" : "s",
		pb_ras_money_grouped(sc, t.social_care),
		pb_ras_money_grouped(h, t.health),
		pb_ras_money_grouped(s, t.s117),
		pb_ras_money_grouped(tot, t.total),
		pb_ras_money_grouped(c, t.contributions));
	if (t.total <= pot) {
		fprintf(stderr, "%s: pot %s: headroom %s\n", PROG,
			pb_ras_money_grouped(p, pot),
			pb_ras_money_grouped(d, pot - t.total));
		return 0;
	}
	fprintf(stderr, "%s: pot %s: shortfall %s (the allocations are over the pot)\n",
		PROG, pb_ras_money_grouped(p, pot),
		pb_ras_money_grouped(d, t.total - pot));
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		{"funding", required_argument, NULL, 'F'},
		{"pot", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0}
	};
	struct pb_cli cli;
	struct pb_allocate_opts o;
	struct pb_error e;
	struct pb_run run;
	struct pb_record *rec;
	struct pb_allocate *a = NULL;
	struct pb_funding *f = NULL;
	struct pb_map *map = NULL;
	struct pb_writer *w;
	const char *funding_path = NULL;
	int64_t pot = 0;
	int has_pot = 0, opt, rc, status;
	char line[512];

	pb_cli_init(&cli, PROG);
	memset(&o, 0, sizeof o);
	pb_error_clear(&e);
	while ((opt = pb_cli_getopt(&cli, argc, argv,
				    ":" PB_CLI_SHORTOPTS "F:p:", longopts,
				    &e)) != -1) {
		switch (opt) {
		case 'F':
			funding_path = optarg;
			break;
		case 'p':
			if (pb_opt_money("--pot", optarg, &pot, &e) < 0)
				return bad_usage(&e);
			if (pot < 0) {
				pb_error_set(&e, PB_EUSAGE,
					     "--pot: must not be negative");
				return bad_usage(&e);
			}
			has_pot = 1;
			break;
		case '?':
			return bad_usage(&e);
		}
	}
	if (cli.help || cli.version)
		return pb_cli_info(&cli, usage, PROG);
	if (!funding_path) {
		pb_error_set(&e, PB_EUSAGE,
			     "no funding config: --funding FILE is required");
		return bad_usage(&e);
	}
	if (!(f = pb_funding_load(funding_path, &e))) {
		pb_error_print(stderr, PROG, &e);
		return pb_cli_exit(PROG, e.code);
	}
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e))) {
		pb_funding_free(f);
		return bad_usage(&e);
	}
	o.f = f;
	o.map = map;
	if (!(a = pb_allocate_new(&o, &e))) {
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
		rc = pb_allocate_add(a, rec, &e);
		if (rc == -PB_EIO)
			break;
		if (rc < 0)
			pb_run_reject(&run, rec, &e);
	}
	if (rc == 0)
		rc = pb_allocate_finish(a, reject, &run, &e);
	if (rc < 0) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		status = rc == -PB_EIO ? PB_EIO : PB_EUSAGE;
		goto out;
	}

	w = pb_writer_new(stdout, cli.format);
	/* A write error is reported once, by pb_cli_exit, from stdout's
	 * error flag. */
	if (pb_allocate_write(a, w, &e) < 0 || pb_writer_end(w, &e) < 0)
		run.status = PB_EIO;
	pb_writer_free(w);
	pb_allocate_summary(a, line, sizeof line);
	fprintf(stderr, "%s: %s\n", PROG, line);
	if (has_pot && pot_report(a, pot) && run.status < PB_EDATA)
		run.status = PB_EDATA;
	status = pb_run_finish(&run);
out:
	pb_allocate_free(a);
	pb_map_free(map);
	pb_funding_free(f);
	return pb_cli_exit(PROG, status);
}
