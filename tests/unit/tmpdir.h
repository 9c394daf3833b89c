/*
 * tmpdir.h: the scratch directory of a unit test: made fresh under /tmp
 * in a group or test setup, removed with everything in it at teardown.
 * Implemented in tmpdir.c (nftw, no shell), linked into every unit test.
 */
#ifndef GH_TEST_TMPDIR_H
#define GH_TEST_TMPDIR_H

#include <stddef.h>

/*
 * Makes a new directory /tmp/gh-NAME- plus six random characters
 * (mkdtemp) and writes its path into dir (dirsz bytes). Returns 0, or -1 with a message on stderr.
 */
int tmpdir_make(char *dir, size_t dirsz, const char *name);

/*
 * Removes dir and everything under it, without following symbolic links.
 * Returns 0, or -1 with a message on stderr.
 */
int tmpdir_remove(const char *dir);

#endif
