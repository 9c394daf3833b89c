/*
 * release_pattern.h: the suppression pattern of gehoord release
 * --dry-run (release_pattern.c): which cells of each table of the plan
 * would be suppressed, and no figure at all, in the format the console
 * shows (http/console_preview.h).
 */
#ifndef GH_CLI_RELEASE_PATTERN_H
#define GH_CLI_RELEASE_PATTERN_H

#include "release/release.h"

/*
 * Writes the pattern of rl (after release_protect) to path, a new file
 * (mode 0644). Returns GH_OK, GH_ERR_EXISTS, GH_ERR_IO or GH_ERR_NOMEM;
 * says which on stderr.
 */
int release_pattern_write(const struct release *rl, const char *path)
    GH_WUR;

#endif
