/*
 * console_cli.h: the console's units and participation pages on the
 * command line (cmd_console_units.c), dispatched by cmd_console.c:
 * "gehoord console units" uploads the organisation's units from a CSV
 * file as /console/units does, "gehoord console participation" prints
 * a wave's links used per unit as /console/participation shows them.
 * Each takes argv with argv[0] its command name and returns an exit code.
 */
#ifndef GH_CLI_CONSOLE_CLI_H
#define GH_CLI_CONSOLE_CLI_H

int console_units(int argc, char **argv);
int console_participation(int argc, char **argv);

#endif
