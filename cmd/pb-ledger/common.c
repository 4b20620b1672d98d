/* common.c - what every pb-ledger subcommand shares: --db, --wait,
 * opening the database, and reporting errors. */
#include <stdlib.h>
#include <string.h>

#include "cmds.h"

void lopts_init(struct ledger_opts *o)
{
	const char *env = getenv("PB_LEDGER_DB");

	o->db = env && *env ? env : PB_LEDGER_DEFAULT_DB;
	o->wait_ms = 60000;
}

int lopts_option(struct ledger_opts *o, int opt, const char *arg,
		 struct pb_error *e)
{
	int64_t v;

	switch (opt) {
	case 'D':
		if (!*arg)
			return pb_error_set(e, PB_EUSAGE, "--db: empty file name");
		o->db = arg;
		return 1;
	case 'w':
		if (pb_opt_int("--wait", arg, 0, 86400, &v, e) < 0)
			return -PB_EUSAGE;
		o->wait_ms = (long)v * 1000;
		return 1;
	}
	return 0;
}

int ledger_getopt(struct pb_cli *cli, struct ledger_opts *o, int argc,
		  char **argv, const char *shortopts,
		  const struct option *longopts, struct pb_error *e)
{
	int opt;

	while ((opt = pb_cli_getopt(cli, argc, argv, shortopts, longopts,
				    e)) == 'D' || opt == 'w')
		if (lopts_option(o, opt, optarg, e) < 0)
			return '?';
	return opt;
}

int ledger_open(const char *prog, const struct ledger_opts *o,
		struct pb_ledger **l)
{
	struct pb_error e;

	if (pb_ledger_open(o->db, o->wait_ms, l, &e) < 0)
		return report(prog, &e);
	return 0;
}

int bad_usage(const char *prog, const char *synopsis,
	      const struct pb_error *e)
{
	pb_error_print(stderr, prog, e);
	fputs(synopsis, stderr);
	return PB_EUSAGE;
}

int report(const char *prog, const struct pb_error *e)
{
	pb_error_print(stderr, prog, e);
	return e->code ? e->code : PB_EIO;
}

int output_failed(const char *prog, const struct pb_error *e)
{
	if (e->code != PB_EIO || e->file[0])
		return report(prog, e);
	return PB_EIO; /* stdout: reported by pb_cli_exit */
}

void blame_input(const struct pb_record *rec,
		 const struct pb_colspec *spec, size_t n, const int *idx,
		 struct pb_error *e)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (e->field[0] && strcmp(spec[k].name, e->field) == 0) {
			pb_field_blame(rec, idx[k], e);
			return;
		}
}

const char *money(char *buf, int64_t pence)
{
	return pb_money_format(buf, pence, PB_MONEY_PLAIN);
}

int unexpected(const char *prog, const char *synopsis, const char *arg)
{
	struct pb_error e;
	char q[80];

	pb_error_clear(&e);
	pb_error_set(&e, PB_EUSAGE, "unexpected argument '%s'",
		     pb_quote(q, sizeof q, arg, strlen(arg)));
	return bad_usage(prog, synopsis, &e);
}
