/*
 * tmpdir.c: scratch directories of the unit tests (see tmpdir.h).
 *
 * tmpdir_remove walks the tree depth first with nftw (FTW_PHYS: a link
 * is removed, never followed), so a test's teardown needs no shell.
 */
#define _XOPEN_SOURCE 700	/* nftw */

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdir.h"

/* mkdtemp replaces this many trailing template characters 'X'. */
#define TMPDIR_RANDOM	6

int
tmpdir_make(char *dir, size_t dirsz, const char *name)
{
	int n;

	n = snprintf(dir, dirsz, "/tmp/gh-%s-", name);
	if (n < 0 || (size_t)n + TMPDIR_RANDOM >= dirsz) {
		fprintf(stderr, "tmpdir: /tmp/gh-%s-*: name too long\n", name);
		return -1;
	}
	memset(dir + n, 'X', TMPDIR_RANDOM);
	dir[n + TMPDIR_RANDOM] = '\0';
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "tmpdir: cannot make /tmp/gh-%s-*: %s\n", name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
remove_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0) {
		fprintf(stderr, "tmpdir: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
tmpdir_remove(const char *dir)
{
	if (dir == NULL || dir[0] == '\0')
		return 0;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
