/* cli.c - the options and the record loop every tool shares. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void pb_cli_init(struct pb_cli *c, const char *prog)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->format = PB_FMT_CSV;
	c->informat = PB_IN_AUTO;
}

int pb_cli_option(struct pb_cli *c, int opt, const char *arg,
		  struct pb_error *e)
{
	switch (opt) {
	case 'f':
		if (c->svg)
			return pb_format_parse_chart(arg, &c->format, e) < 0
				       ? -PB_EUSAGE : 1;
		return pb_format_parse(arg, &c->format, e) < 0 ? -PB_EUSAGE : 1;
	case 'h':
		c->help = 1;
		return 1;
	case 'i':
		return pb_informat_parse(arg, &c->informat, e) < 0 ? -PB_EUSAGE
								   : 1;
	case 'm':
		c->map_spec = arg;
		return 1;
	case 'r':
		c->rejects_path = arg;
		return 1;
	case 'V':
		c->version = 1;
		return 1;
	}
	return 0;
}

void pb_cli_badopt(struct pb_error *e, int opt, int badopt,
		   char *const *argv, int next)
{
	const char *arg = next > 0 ? argv[next - 1] : "";
	char q[80];

	pb_error_clear(e);
	if (opt == ':') {
		if (strncmp(arg, "--", 2) == 0) {
			const char *eq = strchr(arg, '=');
			size_t n = eq ? (size_t)(eq - arg) : strlen(arg);

			pb_error_set(e, PB_EUSAGE, "option '%s' needs a value",
				     pb_quote(q, sizeof q, arg, n));
		} else {
			pb_error_set(e, PB_EUSAGE, "option '-%c' needs a value",
				     badopt);
		}
		return;
	}
	if (badopt && badopt != '?' && strncmp(arg, "--", 2) != 0)
		pb_error_set(e, PB_EUSAGE, "unknown option '-%c'", badopt);
	else
		pb_error_set(e, PB_EUSAGE, "unknown option '%s'",
			     pb_quote(q, sizeof q, arg, strlen(arg)));
}

int pb_cli_getopt(struct pb_cli *c, int argc, char *const *argv,
		  const char *shortopts, const struct option *longopts,
		  struct pb_error *e)
{
	int opt;

	if (c->nopts == 0)
		optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, longopts,
				  NULL)) != -1) {
		c->nopts++;
		if (opt == ':' || opt == '?') {
			pb_cli_badopt(e, opt, optopt, argv, optind);
			return '?';
		}
		if (c->own && strchr(c->own, opt))
			return opt;
		switch (pb_cli_option(c, opt, optarg, e)) {
		case 0:
			return opt;
		case 1:
			continue;
		default:
			return '?';
		}
	}
	return -1;
}

int pb_cli_info(const struct pb_cli *c, void (*usage)(FILE *fp),
		const char *version_name)
{
	if (c->help) {
		if (usage)
			usage(stdout);
	} else {
		pb_cli_version(stdout, version_name);
	}
	return pb_cli_exit(c->prog, PB_OK);
}

/* The parse failed with e filled: make it a usage error about opt. */
static int opt_error(const char *opt, struct pb_error *e)
{
	char prefix[48];

	snprintf(prefix, sizeof prefix, "%s: ", opt);
	pb_error_prefix(e, prefix);
	if (e)
		e->code = PB_EUSAGE;
	return -PB_EUSAGE;
}

int pb_opt_date(const char *opt, const char *arg, int32_t *day,
		struct pb_error *e)
{
	if (pb_date_parse(arg, strlen(arg), day, e) < 0)
		return opt_error(opt, e);
	return 0;
}

int pb_opt_int(const char *opt, const char *arg, int64_t min, int64_t max,
	       int64_t *out, struct pb_error *e)
{
	if (pb_strtonum(arg, strlen(arg), min, max, out, e) < 0)
		return opt_error(opt, e);
	return 0;
}

int pb_opt_money(const char *opt, const char *arg, int64_t *pence,
		 struct pb_error *e)
{
	if (pb_money_parse(arg, strlen(arg), pence, e) < 0)
		return opt_error(opt, e);
	return 0;
}

int pb_opt_tenths(const char *opt, const char *arg, int64_t min,
		  int64_t max, int64_t *out, struct pb_error *e)
{
	if (pb_tenths_parse(arg, strlen(arg), min, max, out, e) < 0)
		return opt_error(opt, e);
	return 0;
}

void pb_list_free(struct pb_list *l)
{
	free(l->v);
	free(l->store);
	l->v = NULL;
	l->store = NULL;
	l->n = 0;
}

int pb_opt_list(const char *opt, const char *arg, struct pb_list *l,
		struct pb_error *e)
{
	char *p;

	pb_list_free(l);
	l->store = p = pb_xstrdup(arg);
	for (;;) {
		char *comma = strchr(p, ','), *end;

		if (comma)
			*comma = '\0';
		while (*p == ' ')
			p++;
		end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			*--end = '\0';
		if (*p == '\0') {
			pb_list_free(l);
			return pb_error_set(e, PB_EUSAGE,
					    "%s: empty column name", opt);
		}
		l->v = pb_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = p;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

void pb_cli_version(FILE *fp, const char *prog)
{
	fprintf(fp, "%s (pb) %s\n", prog, PB_VERSION);
}

int pb_run_init(struct pb_run *run, const struct pb_cli *c,
		char *const *files, size_t nfiles, struct pb_error *e)
{
	memset(run, 0, sizeof *run);
	run->prog = c->prog;
	run->err = stderr;
	if (c->rejects_path) {
		run->rj = pb_rejects_open(c->rejects_path, e);
		if (!run->rj)
			return -PB_EIO;
		run->rejects_path = c->rejects_path;
	}
	run->rd = pb_reader_new(files, nfiles, c->informat);
	pb_reader_header_events(run->rd, 1);
	return 0;
}

static void worse(struct pb_run *run, int status)
{
	if (status > run->status)
		run->status = status;
}

void pb_run_report(struct pb_run *run, const struct pb_error *e)
{
	pb_error_print(run->err, run->prog, e);
	worse(run, e->code ? e->code : PB_EIO);
}

void pb_run_reject(struct pb_run *run, const struct pb_record *rec,
		   struct pb_error *why)
{
	struct pb_error werr;

	/* The record says where it came from. */
	if (rec)
		pb_error_at(why, rec->file, rec->line, NULL);
	run->rejected++;
	worse(run, PB_EDATA);
	if (!run->rj) {
		pb_error_print(run->err, run->prog, why);
		return;
	}
	if (pb_rejects_add(run->rj, rec, why, &werr) < 0)
		pb_run_report(run, &werr);
}

int pb_run_next(struct pb_run *run, struct pb_record **rec,
		struct pb_error *e)
{
	for (;;) {
		struct pb_record *r = NULL;
		int rc = pb_reader_next(run->rd, &r, e);

		if (rc == 0)
			return 0;
		if ((rc == 1 || rc == 2) && run->on_header &&
		    r->hdr->gen != run->hdr_gen) {
			int hrc;

			run->hdr_gen = r->hdr->gen;
			if ((hrc = run->on_header(run->ctx, r,
						   pb_reader_format(run->rd) == PB_IN_JSON,
						   e)) < 0) {
				pb_error_at(e, r->file, 0, NULL);
				return hrc == -PB_EIO ? -PB_EIO : -PB_EUSAGE;
			}
		}
		if (rc == 2)
			continue;
		if (rc == 1) {
			run->read++;
			*rec = r;
			/* No stale place or column for the tool's checks. */
			pb_error_clear(e);
			return 1;
		}
		if (rc == -PB_EDATA) {
			run->read++;
			pb_run_reject(run, r, e);
			continue;
		}
		if (rc == -PB_EIO) {
			pb_run_report(run, e);
			continue;
		}
		return rc; /* -PB_EUSAGE: the tool stops */
	}
}

int pb_run_finish(struct pb_run *run)
{
	struct pb_error e;

	if (run->rj) {
		long n = pb_rejects_count(run->rj);

		if (pb_rejects_close(run->rj, &e) < 0)
			pb_run_report(run, &e);
		else if (n)
			fprintf(run->err, "%s: %ld record%s rejected, written to %s\n",
				run->prog, n, n == 1 ? "" : "s",
				run->rejects_path);
		run->rj = NULL;
	} else if (run->rejected) {
		fprintf(run->err, "%s: %ld record%s rejected\n", run->prog,
			run->rejected, run->rejected == 1 ? "" : "s");
	}
	pb_reader_free(run->rd);
	run->rd = NULL;
	return run->status;
}

int pb_fshut(FILE *fp, const char *name, struct pb_error *e)
{
	int bad = fflush(fp) == EOF;
	int err = errno;

	if (ferror(fp)) {
		bad = 1;
		if (!err)
			err = EIO;
	}
	if (fclose(fp) == EOF && !bad) {
		bad = 1;
		err = errno;
	}
	if (bad) {
		pb_error_clear(e);
		pb_error_at(e, name, 0, NULL);
		return pb_error_set(e, PB_EIO, "write error: %s",
				    strerror(err ? err : EIO));
	}
	return 0;
}

int pb_cli_exit(const char *prog, int status)
{
	struct pb_error e;

	if (pb_fshut(stdout, "<stdout>", &e) < 0) {
		pb_error_print(stderr, prog, &e);
		return PB_EIO;
	}
	return status;
}
