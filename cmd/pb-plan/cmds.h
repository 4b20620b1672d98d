/* cmds.h - the subcommands of pb-plan. */
#ifndef PB_PLAN_CMD_H
#define PB_PLAN_CMD_H

int cmd_check(int argc, char **argv);

#endif
