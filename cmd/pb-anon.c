/* pb-anon - options and wiring; the rules are in lib/anon.c. */
#include <stdlib.h>
#include <string.h>

#include "anon.h"
#include "cli.h"

#define PROG "pb-anon"

static const char synopsis[] =
	"usage: pb-anon -k FILE [-a DATE] [-b COL] [-B BANDS] [-d COLS] [-I COLS]\n"
	"               [-K COLS] [-p COL] [-f FMT] [-i FMT] [-m SPEC] [-r FILE]\n"
	"               [file ...]\n"
	"       pb-anon -N FILE\n";

static void usage(FILE *fp)
{
	fputs(synopsis, fp);
	fputs("\nPseudonymise records before they leave the council: identifiers\n"
	      "become keyed pseudonyms, direct identifiers are dropped, birth dates\n"
	      "become age bands and postcodes their district; every other column\n"
	      "passes through unchanged, in order.\n\n"
	      "  -k, --key-file FILE     the secret key (mode 0600, at least 32 bytes)\n"
	      "  -N, --new-key FILE      make a new key file (mode 0600) and exit\n"
	      "  -I, --id-columns COLS   columns to pseudonymise, comma-separated\n"
	      "                          (default person_id)\n"
	      "  -d, --drop COLS         drop these columns too (name* for a prefix)\n"
	      "  -K, --keep COLS         keep these columns (name* for a prefix)\n"
	      "  -b, --age-band-from COL turn this birth date column into age_band\n"
	      "  -B, --age-bands BANDS   ascof (default: 0-17, 18-64, 65+) or fine\n"
	      "                          (0-17, 18-24, 25-44, 45-64, 65-74, ... 95+)\n"
	      "  -a, --as-of DATE        the day ages are taken on (default today)\n"
	      "  -p, --postcode-district COL\n"
	      "                          cut this postcode column to its district\n"
	      "  -f, --format FMT        output: csv or json (default: as the input)\n"
	      "  -i, --input-format FMT  input: auto (default), csv, json\n"
	      "  -m, --map SPEC          column names: canonical=Their Column,...\n"
	      "  -r, --rejects FILE      write rejected records here (mode 0600)\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show the version and exit\n\n"
	      "Dropped unless kept: name, first_name, last_name, surname, address,\n"
	      "address_line*, phone, email, nhs_number, ni_number.\n", fp);
}

static int bad_usage(const struct pb_error *e)
{
	pb_error_print(stderr, PROG, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

/* Decide what happens to the columns of a new header. */
static int bind_header(void *ctx, const struct pb_record *rec, int lenient,
		       struct pb_error *e)
{
	const char *warn;
	int rc;

	rc = pb_anon_bind(ctx, rec->hdr, lenient, &warn, e);
	if (warn)
		fprintf(stderr,
			"%s: %s: warning: may identify people, yet passed through "
			"unchanged: %s (see --drop, --keep, --age-band-from, "
			"--postcode-district)\n",
			PROG, rec->file, warn);
	return rc;
}

static int new_key(const char *path)
{
	struct pb_error e;

	pb_error_clear(&e);
	/* The key is in memory for a moment: no core dumps then either. */
	if (pb_anon_protect(&e) < 0 || pb_anon_key_new(path, &e) < 0) {
		pb_error_print(stderr, PROG, &e);
		return pb_cli_exit(PROG, e.code);
	}
	fprintf(stderr, "%s: %s: new key written (mode 0600); keep it safe, and "
		"keep it: only the same key gives the same pseudonyms\n",
		PROG, path);
	return pb_cli_exit(PROG, PB_OK);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		PB_CLI_LONGOPTS,
		{"as-of", required_argument, NULL, 'a'},
		{"age-band-from", required_argument, NULL, 'b'},
		{"age-bands", required_argument, NULL, 'B'},
		{"drop", required_argument, NULL, 'd'},
		{"id-columns", required_argument, NULL, 'I'},
		{"key-file", required_argument, NULL, 'k'},
		{"keep", required_argument, NULL, 'K'},
		{"new-key", required_argument, NULL, 'N'},
		{"postcode-district", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0}
	};
	static const char *const dflt_ids[] = {"person_id"};
	struct pb_cli cli;
	struct pb_anon_opts o;
	struct pb_error e;
	struct pb_run run;
	struct pb_record *rec;
	struct pb_anon *a = NULL;
	struct pb_anon_key *key = NULL;
	struct pb_map *map = NULL;
	struct pb_list ids = {0}, drop = {0}, keep = {0};
	const char *key_path = NULL, *new_path = NULL;
	char line[1024];
	int opt, rc, status, format_given = 0;

	pb_cli_init(&cli, PROG);
	memset(&o, 0, sizeof o);
	o.as_of = pb_date_today();
	pb_error_clear(&e);
	cli.own = "f"; /* a narrower --format, below */
	while ((opt = pb_cli_getopt(&cli, argc, argv,
				    ":" PB_CLI_SHORTOPTS "a:b:B:d:I:k:K:N:p:",
				    longopts, &e)) != -1) {
		switch (opt) {
		case 'a':
			if (pb_opt_date("--as-of", optarg, &o.as_of, &e) < 0)
				goto usage_error;
			break;
		case 'b':
			o.birth = optarg;
			break;
		case 'B':
			if (pb_anon_bands_parse(optarg, &o.bands, &e) < 0)
				goto usage_error;
			break;
		case 'd':
			if (pb_opt_list("--drop", optarg, &drop, &e) < 0)
				goto usage_error;
			break;
		case 'I':
			if (pb_opt_list("--id-columns", optarg, &ids, &e) < 0)
				goto usage_error;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'K':
			if (pb_opt_list("--keep", optarg, &keep, &e) < 0)
				goto usage_error;
			break;
		case 'N':
			new_path = optarg;
			break;
		case 'p':
			o.postcode = optarg;
			break;
		case '?':
			goto usage_error;
		case 'f':
			/* A record stream: csv or json (not table or md). */
			if (pb_format_parse(optarg, &cli.format, &e) < 0 ||
			    (cli.format != PB_FMT_CSV && cli.format != PB_FMT_JSON)) {
				char q[80];

				pb_error_set(&e, PB_EUSAGE,
					     "--format: '%s' is not csv or json "
					     "(pb-anon writes a record stream)",
					     pb_quote(q, sizeof q, optarg,
						      strlen(optarg)));
				goto usage_error;
			}
			format_given = 1;
			break;
		}
	}
	if (cli.help || cli.version) {
		status = pb_cli_info(&cli, usage, PROG);
		goto done;
	}
	if (new_path) {
		if (cli.nopts > 1 || optind < argc) {
			pb_error_set(&e, PB_EUSAGE,
				     "--new-key takes no other options or files");
			goto usage_error;
		}
		status = new_key(new_path);
		goto done;
	}
	if (!key_path) {
		pb_error_set(&e, PB_EUSAGE,
			     "no key file given (-k FILE; pb-anon -N FILE makes one)");
		goto usage_error;
	}

	o.ids = ids.n ? ids.v : dflt_ids;
	o.nids = ids.n ? ids.n : 1;
	o.drop = drop.v;
	o.ndrop = drop.n;
	o.keep = keep.v;
	o.nkeep = keep.n;
	o.format_given = format_given;
	o.format = cli.format;
	o.out = stdout;
	if (cli.map_spec && !(map = pb_map_parse(cli.map_spec, &e)))
		goto usage_error;
	o.map = map;
	if (!(a = pb_anon_new(&o, &e)))
		goto usage_error;

	/* Before the key is read: no core dumps, no tracing. */
	if (pb_anon_protect(&e) < 0 || !(key = pb_anon_key_load(key_path, &e))) {
		pb_error_print(stderr, PROG, &e);
		status = pb_cli_exit(PROG, e.code);
		goto done;
	}
	pb_anon_set_key(a, key);

	if (pb_run_init(&run, &cli, argv + optind, (size_t)(argc - optind),
			&e) < 0) {
		pb_error_print(stderr, PROG, &e);
		status = pb_cli_exit(PROG, e.code);
		goto done;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	run.on_header = bind_header;
	run.ctx = a;
	while ((rc = pb_run_next(&run, &rec, &e)) > 0) {
		rc = pb_anon_record(a, rec, &e);
		if (rc == -PB_EDATA) {
			pb_run_reject(&run, rec, &e);
		} else if (rc < 0) {
			/* A write error: reported by pb_cli_exit. */
			break;
		}
	}
	if (rc == -PB_EUSAGE) {
		pb_error_print(stderr, PROG, &e);
		pb_run_finish(&run);
		status = pb_cli_exit(PROG, PB_EUSAGE);
		goto done;
	}
	if (rc == 0 && pb_anon_finish(a, &e) < 0) {
		pb_error_print(stderr, PROG, &e);
		run.status = PB_EUSAGE;
	}
	/* Say what was done only if it all reached standard output. */
	if (fflush(stdout) == 0 && !ferror(stdout)) {
		pb_anon_summary(a, run.rejected, line, sizeof line);
		fprintf(stderr, "%s: %s\n", PROG, line);
	}
	status = pb_run_finish(&run);
	if (rc < 0 && status < PB_EIO)
		status = PB_EIO;
	status = pb_cli_exit(PROG, status);
	goto done;

usage_error:
	status = bad_usage(&e);
done:
	pb_anon_key_free(key);
	pb_anon_free(a);
	pb_map_free(map);
	pb_list_free(&ids);
	pb_list_free(&drop);
	pb_list_free(&keep);
	return status;
}
