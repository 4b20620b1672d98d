/* cmds.h - the subcommands of pb-ledger, and the wiring they share. */
#ifndef PB_LEDGER_CMDS_H
#define PB_LEDGER_CMDS_H

#include "cli.h"
#include "ledger.h"

int cmd_init(int argc, char **argv);
int cmd_import_allocations(int argc, char **argv);
int cmd_pay(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_balance(int argc, char **argv);
int cmd_statement(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_reclaim(int argc, char **argv);
int cmd_reverse(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* --db and --wait, which every subcommand takes. */
#define LEDGER_SHORTOPTS "D:w:"
#define LEDGER_LONGOPTS                                      \
	{"db", required_argument, NULL, 'D'},                \
	{"wait", required_argument, NULL, 'w'}
#define LEDGER_OPTIONS_HELP                                                    \
	"  -D, --db FILE           the database (default $PB_LEDGER_DB, else\n"   \
	"                          pb-ledger.db)\n"                                \
	"  -w, --wait SECONDS      wait this long for another pb-ledger to finish\n" \
	"                          (default 60; then exit 3)\n"
#define HELP_OPTIONS_HELP                                                      \
	"  -h, --help              show this help and exit\n"                      \
	"  -V, --version           show the version and exit\n"

struct ledger_opts {
	const char *db;
	long wait_ms;
};

void lopts_init(struct ledger_opts *o);
/* 1 if opt was --db or --wait, 0 if not, -PB_EUSAGE for a bad value. */
int lopts_option(struct ledger_opts *o, int opt, const char *arg,
		 struct pb_error *e);
/*
 * pb_cli_getopt with --db and --wait handled too: the next option the
 * subcommand handles itself, -1 at the end, or '?' with e filled.
 */
int ledger_getopt(struct pb_cli *cli, struct ledger_opts *o, int argc,
		  char **argv, const char *shortopts,
		  const struct option *longopts, struct pb_error *e);
/* Open the database; on failure print why and return the exit status. */
int ledger_open(const char *prog, const struct ledger_opts *o,
		struct pb_ledger **l);
/* Print e, then the synopsis, on stderr; returns PB_EUSAGE. */
int bad_usage(const char *prog, const char *synopsis,
	      const struct pb_error *e);
/* Print e on stderr and return its code (3 if none). */
int report(const char *prog, const struct pb_error *e);
/*
 * Writing the output failed with e: report it, unless it is stdout's
 * write error, which pb_cli_exit reports; returns the exit status.
 */
int output_failed(const char *prog, const struct pb_error *e);
/*
 * A library error names a column by its canonical name: name it as the
 * input does (spec and idx as bound).
 */
void blame_input(const struct pb_record *rec,
		 const struct pb_colspec *spec, size_t n, const int *idx,
		 struct pb_error *e);
/* "unexpected argument 'X'" and the synopsis; returns PB_EUSAGE. */
int unexpected(const char *prog, const char *synopsis, const char *arg);
/* "123.45" */
const char *money(char *buf, int64_t pence);

#endif
