/*
 * main.c: the gehoord command: dispatches to a subcommand in server/cli/.
 */
#include <stdio.h>

int
main(void)
{
	fputs("gehoord: not built yet\n", stderr);
	return 2;
}
