/*
 * replay.c: a main() for the fuzz targets of tests/fuzz/ without libFuzzer,
 * so that ctest replays every seed and every past crash input on each test
 * run, with gcc and in the ordinary build (as SQLite's fuzzcheck does).
 *
 * usage: replay_NAME DIR|FILE...   Each argument is a file, or a folder
 * whose regular files are fed one by one (a missing folder counts as
 * empty, since not every target has past crashes) to LLVMFuzzerTestOneInput
 * after one LLVMFuzzerInitialize. A broken invariant aborts, as under
 * libFuzzer; the exit status is 0 only if every input ran and at least one
 * did, so a mistyped path cannot pass as success.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FUZZ_REPLAY	/* calls LLVMFuzzerInitialize, defines none */
#include "fuzz.h"

/* The longest input fed; the fuzzers never go past 16 KiB (fuzz.sh). */
#define REPLAY_MAX (1u << 20)

/* Runs one file; returns 0, or -1 if it cannot be read. */
static int
run_file(const char *path)
{
	FILE *f;
	uint8_t *data;
	size_t n;
	int r = -1;

	if ((data = malloc(REPLAY_MAX)) == NULL)
		return -1;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	n = fread(data, 1, REPLAY_MAX, f);
	if (ferror(f) || !feof(f))
		fprintf(stderr, "replay: %s: unreadable or over %u bytes\n",
		    path, REPLAY_MAX);
	else {
		/* An exact-size copy, so ASan sees reads past the end. */
		uint8_t *exact = malloc(n > 0 ? n : 1);

		if (exact != NULL) {
			memcpy(exact, data, n);
			(void)LLVMFuzzerTestOneInput(exact, n);
			free(exact);
			r = 0;
		}
	}
	fclose(f);
out:
	free(data);
	return r;
}

/* Runs a file or every regular file in a folder; counts them in *n. */
static int
run_path(const char *path, size_t *n)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	char sub[4096];
	int r = 0;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode)) {
		(*n)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while (r == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (stat(sub, &sb) == 0 && S_ISREG(sb.st_mode)) {
			(*n)++;
			r = run_file(sub);
		}
	}
	closedir(d);
	return r;
}

int
main(int argc, char **argv)
{
	size_t n = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize(&argc, &argv) != 0)
		return 1;
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &n) != 0) {
			fprintf(stderr, "replay: %s failed\n", argv[i]);
			return 1;
		}
	printf("replay: %zu inputs\n", n);
	return n > 0 ? 0 : 1;
}
