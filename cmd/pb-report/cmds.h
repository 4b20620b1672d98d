/* cmds.h - the subcommands of pb-report and the wiring they share. */
#ifndef PB_REPORT_CMD_H
#define PB_REPORT_CMD_H

#include "report.h"

int cmd_takeup(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_mix(int argc, char **argv);
int cmd_cost(int argc, char **argv);
int cmd_funnel(int argc, char **argv);
int cmd_outcomes(int argc, char **argv);
int cmd_spend(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/*
 * A report's command line: its name, usage, and the options it takes
 * beyond the common ones (letters of the table in run.c: a as-of, b by,
 * c carers, d disclosure, e every, n no-suppress, p people, P partial,
 * S from, t target, T total, u assume-unique, U to).
 */
struct report_cmd {
	enum pb_report_kind kind;
	const char *prog;       /* "pb-report takeup" */
	const char *synopsis;   /* "usage: ..." lines */
	const char *help;       /* what it does and its own options */
	const char *letters;
};
/* Parse, read, print: the whole of a report's command. */
int report_cmd(const struct report_cmd *rc, int argc, char **argv);

/* The common options, as pb-report's reports take them (svg too). */
#define REPORT_COMMON_HELP                                                   \
	"  -P, --partial           write the mergeable state, not the table\n" \
	"                          (combine states with pb-report merge)\n"   \
	"  -f, --format FMT        output: csv (default), json, table, md, svg\n" \
	"  -i, --input-format FMT  input: auto (default), csv, json\n"        \
	"  -m, --map SPEC          column names: canonical=Their Column,...\n" \
	"  -r, --rejects FILE      write rejected records here (mode 0600)\n"  \
	"  -h, --help              show this help and exit\n"                  \
	"  -V, --version           show the version and exit\n"

/* Shared by run.c and merge.c. */
int report_bad_usage(const char *prog, const char *synopsis,
		     const struct pb_error *e);
/* Print the table's notes and the summary on stderr. */
void report_notes(const char *prog, struct pb_report *r);

#endif
