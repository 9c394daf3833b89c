/*
 * test_util_file.c: the durable file writer (util/file.h): contents and
 * exact mode, never over an existing file or through a link, and nothing
 * left behind (no partial file, no .tmp) when a write fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"
#include "util/file.h"

struct fixture {
	char	dir[64];
	char	path[PATH_MAX];
	char	tmp[PATH_MAX];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || tmpdir_make(f->dir, sizeof(f->dir), "file") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/out.csv", f->dir);
	snprintf(f->tmp, sizeof(f->tmp), "%s/out.csv.tmp", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int r = tmpdir_remove(f->dir);

	free(f);
	return r;
}

/* Asserts that path holds exactly want (NUL-terminated) with mode. */
static void
assert_file(const char *path, const char *want, mode_t mode)
{
	char got[256];
	struct stat st;
	size_t n;
	FILE *f;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(got, 1, sizeof(got), f);
	fclose(f);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
}

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void
test_file_write_new_content_and_mode(void **state)
{
	struct fixture *f = *state;
	mode_t old = umask(077);

	/* The mode asked for, whatever the umask would have taken away. */
	assert_int_equal(file_write_new(f->path, "a,b\r\n", 5, 0644), GH_OK);
	assert_file(f->path, "a,b\r\n", 0644);
	umask(old);
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(file_write_new(f->path, "", 0, 0600), GH_OK);
	assert_file(f->path, "", 0600);
}

static void
test_file_write_new_never_overwrites(void **state)
{
	struct fixture *f = *state;
	char link[PATH_MAX], target[PATH_MAX];

	assert_int_equal(file_write_new(f->path, "old", 3, 0600), GH_OK);
	assert_int_equal(file_write_new(f->path, "new", 3, 0644),
	    GH_ERR_EXISTS);
	assert_file(f->path, "old", 0600);
	/* A dangling link is not followed: its target is never made. */
	snprintf(link, sizeof(link), "%s/link", f->dir);
	snprintf(target, sizeof(target), "%s/target", f->dir);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(file_write_new(link, "x", 1, 0600), GH_ERR_EXISTS);
	assert_false(exists(target));
}

static void
test_file_write_new_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/no-such-dir/out.csv", f->dir);
	assert_int_equal(file_write_new(path, "x", 1, 0600), GH_ERR_IO);
	assert_false(exists(path));
}

static void
test_file_replace_replaces(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(file_replace(f->path, "first", 5, 0644), GH_OK);
	assert_file(f->path, "first", 0644);
	assert_int_equal(file_replace(f->path, "second", 6, 0644), GH_OK);
	assert_file(f->path, "second", 0644);
	assert_false(exists(f->tmp));
}

static void
test_file_replace_leaves_no_tmp(void **state)
{
	struct fixture *f = *state;

	/* The rename fails (a directory is in the way): path stays as it was. */
	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(file_replace(f->path, "x", 1, 0644), GH_ERR_IO);
	assert_false(exists(f->tmp));
	assert_int_equal(rmdir(f->path), 0);
}

static void
test_file_replace_refuses_a_stale_tmp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(file_replace(f->path, "kept", 4, 0644), GH_OK);
	assert_int_equal(file_write_new(f->tmp, "stale", 5, 0600), GH_OK);
	assert_int_equal(file_replace(f->path, "new", 3, 0644),
	    GH_ERR_EXISTS);
	assert_file(f->path, "kept", 0644);
	assert_file(f->tmp, "stale", 0600);
}

static void
test_file_open_new_and_close(void **state)
{
	struct fixture *f = *state;
	FILE *out = NULL;

	assert_int_equal(file_open_new(f->path, 0600, &out), GH_OK);
	assert_non_null(out);
	assert_true(fputs("link\n", out) >= 0);
	assert_int_equal(file_close_new(out, f->path), GH_OK);
	assert_file(f->path, "link\n", 0600);
	assert_int_equal(file_open_new(f->path, 0600, &out), GH_ERR_EXISTS);
	assert_null(out);
	assert_int_equal(file_rename(f->path, f->tmp), GH_OK);
	assert_file(f->tmp, "link\n", 0600);
	assert_false(exists(f->path));
	assert_int_equal(file_rename(f->path, f->tmp), GH_ERR_IO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_file_write_new_content_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_write_new_never_overwrites, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_write_new_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_replace_replaces,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_replace_leaves_no_tmp, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_replace_refuses_a_stale_tmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_open_new_and_close,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
