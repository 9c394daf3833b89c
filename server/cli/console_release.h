/*
 * console_release.h: "gehoord console release-upload|release-publish"
 * (cmd_console_release.c), the console's upload and publishing of a
 * release on the command line.
 */
#ifndef GH_CLI_CONSOLE_RELEASE_H
#define GH_CLI_CONSOLE_RELEASE_H

int console_release_upload(int argc, char **argv);
int console_release_publish(int argc, char **argv);

#endif
