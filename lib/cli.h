/*
 * cli.h - the option layer and the record loop every pb tool shares.
 *
 * Common options (every tool, same letters, same meaning):
 *   -h --help   -V --version   -f --format FMT   -i --input-format FMT
 *   -m --map SPEC   -r --rejects FILE
 *
 * The functions here write only to the FILE * they are given (the tool
 * passes stderr); they never exit.
 */
#ifndef PB_CLI_H
#define PB_CLI_H

#include <getopt.h>

#include "pb.h"

#define PB_CLI_SHORTOPTS "hVf:i:m:r:"
#define PB_CLI_LONGOPTS                                         \
	{"help", no_argument, NULL, 'h'},                       \
	{"version", no_argument, NULL, 'V'},                    \
	{"format", required_argument, NULL, 'f'},               \
	{"input-format", required_argument, NULL, 'i'},         \
	{"map", required_argument, NULL, 'm'},                  \
	{"rejects", required_argument, NULL, 'r'}

/* Usage text of the common options, for a tool's --help. */
#define PB_CLI_OPTIONS_HELP                                                  \
	"  -f, --format FMT        output: csv (default), json, table, md\n"  \
	"  -i, --input-format FMT  input: auto (default), csv, json\n"        \
	"  -m, --map SPEC          column names: canonical=Their Column,...\n" \
	"  -r, --rejects FILE      write rejected records here (mode 0600)\n"  \
	"  -h, --help              show this help and exit\n"                  \
	"  -V, --version           show the version and exit\n"

struct pb_cli {
	const char *prog;          /* "pb-report takeup": message prefix */
	enum pb_format format;
	enum pb_informat informat;
	const char *map_spec;
	const char *rejects_path;
	int help;                  /* -h given */
	int version;               /* -V given */
	int svg;                   /* set by the tool: -f svg is accepted */
	const char *own;           /* set by the tool: common letters it
				    * handles itself (pb_cli_getopt returns
				    * them), e.g. "f" for its own formats */
	int nopts;                 /* options pb_cli_getopt has read */
};

void pb_cli_init(struct pb_cli *c, const char *prog);
/*
 * Handle a common option returned by getopt_long.  Returns 1 if it was
 * one (stored in c), 0 if it is not a common option, or -PB_EUSAGE
 * with e filled for a bad value.
 */
int pb_cli_option(struct pb_cli *c, int opt, const char *arg,
		  struct pb_error *e);
/*
 * Message for getopt's ':' (missing argument) or '?' (unknown option),
 * from getopt's optopt (badopt) and the argument at argv[optind - 1]
 * (next is optind).
 */
void pb_cli_badopt(struct pb_error *e, int opt, int badopt,
		   char *const *argv, int next);
/*
 * getopt_long with the common options handled: the next option the tool
 * handles itself (optarg set), -1 at the end (operands from optind), or
 * '?' after a usage error with e filled (an unknown option, a missing
 * value, a bad value of a common option).  shortopts must start with ':'
 * so that getopt prints nothing itself.  The first call for c (no
 * options read yet) starts again from argv[1], for subcommands.
 */
int pb_cli_getopt(struct pb_cli *c, int argc, char *const *argv,
		  const char *shortopts, const struct option *longopts,
		  struct pb_error *e);
/*
 * After -h or -V: print the help (usage(stdout); NULL if the tool printed
 * it) or "VERSION_NAME (pb) VERSION", and return the exit status:
 *   if (cli.help || cli.version)
 *           return pb_cli_info(&cli, usage, "pb-x");
 */
int pb_cli_info(const struct pb_cli *c, void (*usage)(FILE *fp),
		const char *version_name);
/*
 * An option's value, checked: a usage error (-PB_EUSAGE) whose message
 * starts with the option ("--as-of: not a date '31/02/2026': ...").
 */
int pb_opt_date(const char *opt, const char *arg, int32_t *day,
		struct pb_error *e);
int pb_opt_int(const char *opt, const char *arg, int64_t min, int64_t max,
	       int64_t *out, struct pb_error *e);
int pb_opt_money(const char *opt, const char *arg, int64_t *pence,
		 struct pb_error *e);
/* A percentage with at most one decimal, as tenths in [min, max]. */
int pb_opt_tenths(const char *opt, const char *arg, int64_t min,
		  int64_t max, int64_t *out, struct pb_error *e);

/* A comma-separated list of names, each trimmed of spaces. */
struct pb_list {
	const char **v;
	size_t n;
	char *store;     /* the names point into this copy */
};
/* Parse arg into l (replacing what it held); an empty name is a usage
 * error "OPT: empty column name".  Free with pb_list_free. */
int pb_opt_list(const char *opt, const char *arg, struct pb_list *l,
		struct pb_error *e);
void pb_list_free(struct pb_list *l);

/* "PROG (pb) VERSION" */
void pb_cli_version(FILE *fp, const char *prog);

/*
 * A tool's pass over its input: the reader, the rejects file and the
 * counts, with one policy for every bad record:
 *   - a record the reader or the tool rejects is written to --rejects
 *     when given (and counted), else reported on err as
 *     "PROG: FILE:LINE: column 'X': reason 'value'";
 *   - a file that cannot be opened is reported and skipped (status 3);
 *   - the status is the worst seen: 1 for rejected records, 3 for I/O.
 */
struct pb_run {
	const char *prog;
	FILE *err;                 /* where messages go (stderr) */
	struct pb_reader *rd;
	struct pb_rejects *rj;     /* NULL without --rejects */
	const char *rejects_path;
	/* Called with each new header before the records under it: a CSV
	 * file's header as it is read (even in a file with no records),
	 * and a JSON Lines header each time a record adds keys to it (then
	 * with that record).  lenient: the header is JSON Lines keys (a key
	 * missing from a record is absent, not an error).  A negative
	 * return (e filled) stops the run: pb_run_next returns -PB_EIO for
	 * -PB_EIO, else -PB_EUSAGE. */
	int (*on_header)(void *ctx, const struct pb_record *hdr, int lenient,
			 struct pb_error *e);
	void *ctx;
	unsigned long hdr_gen;     /* of the header on_header last saw */
	long read;                 /* records read (good or rejected) */
	long rejected;             /* records rejected */
	int status;                /* worst enum pb_status so far */
};

/*
 * Set up from the common options and the file operands.  Returns 0, or
 * -PB_EUSAGE/-PB_EIO (the rejects file cannot be created) with e filled.
 */
int pb_run_init(struct pb_run *run, const struct pb_cli *c,
		char *const *files, size_t nfiles, struct pb_error *e);
/*
 * Next good record: 1 with *rec (and e cleared, for the tool's own
 * checks of it), 0 at the end.  Records the reader
 * rejects are handled as above and skipped.  -PB_EUSAGE when a file's
 * header cannot be used (e filled): the tool reports it and stops.
 */
int pb_run_next(struct pb_run *run, struct pb_record **rec,
		struct pb_error *e);
/* The tool rejects rec for the reason in why (file/line filled in here). */
void pb_run_reject(struct pb_run *run, const struct pb_record *rec,
		   struct pb_error *why);
/* Report an error that is not about a record (sets the status). */
void pb_run_report(struct pb_run *run, const struct pb_error *e);
/*
 * Close the rejects file, report how many were rejected, free.  Returns
 * the run's status (0, 1 or 3).
 */
int pb_run_finish(struct pb_run *run);


/*
 * Finish a tool: shut stdout (a write error is reported, status 3) and
 * return the exit status to use, the worse of status and that.
 */
int pb_cli_exit(const char *prog, int status);

#endif /* PB_CLI_H */
