/*
 * cmd_report_stats.c: "gehoord report-stats" (being written).
 */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_report_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "gehoord report-stats: not built yet\n");
	return CLI_FAIL;
}
