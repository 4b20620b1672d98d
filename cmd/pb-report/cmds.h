/* report.h - the subcommands of pb-report. */
#ifndef PB_REPORT_CMD_H
#define PB_REPORT_CMD_H

int cmd_takeup(int argc, char **argv);

#endif
