/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz/ share: the check
 * macro that turns a broken invariant into a crash, the one
 * LLVMFuzzerInitialize, and the loader of survey-defs/demo.json
 * (fuzz_form, fuzz_answer_decode).
 *
 * LLVMFuzzerInitialize runs sodium_init and then the target's own setup:
 * a target with state to build defines FUZZ_SETUP as the name of a
 * static void function of its own before it includes this file. Every
 * target binary has one target file and, for ctest, replay.c, which calls
 * LLVMFuzzerInitialize and so defines FUZZ_REPLAY to get only its
 * declaration.
 *
 * The repository is found through $GEHOORD_SRC if set, else through this
 * file's own path, which CMake hands the compiler as an absolute path (so
 * a fuzz binary finds the definition from any directory while the
 * checkout stays where it was built). Failing to load is fatal: a target
 * without its definition would fuzz nothing and report success.
 */
#ifndef GH_FUZZ_H
#define GH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/def.h"

/* A broken invariant is a bug: say which, then crash for libFuzzer. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_REPLAY
#ifdef FUZZ_SETUP
static void FUZZ_SETUP(void);
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(sodium_init() >= 0);
#ifdef FUZZ_SETUP
	FUZZ_SETUP();
#endif
	return 0;
}
#endif

/* Returns demo.json parsed, or exits with a message saying why not. */
static inline struct def *
fuzz_demo_def(void)
{
	static const char tail[] = "/tests/fuzz/fuzz.h";
	const char *src = getenv("GEHOORD_SRC"), *self = __FILE__;
	size_t n = strlen(self), tn = sizeof(tail) - 1;
	char path[4096], err[512];
	struct def *d = NULL;

	if (src != NULL && *src != '\0')
		snprintf(path, sizeof(path), "%s/survey-defs/demo.json", src);
	else if (n > tn && self[0] == '/' && strcmp(self + n - tn, tail) == 0)
		snprintf(path, sizeof(path), "%.*s/survey-defs/demo.json",
		    (int)(n - tn), self);
	else {
		fprintf(stderr, "fuzz: cannot find survey-defs/demo.json; "
		    "set GEHOORD_SRC to the top of the gehoord checkout\n");
		exit(1);
	}
	if (def_load_file(path, &d, NULL, err, sizeof(err)) != GH_OK) {
		fprintf(stderr, "fuzz: %s (set GEHOORD_SRC to the top of the "
		    "gehoord checkout)\n", err);
		exit(1);
	}
	return d;
}

#endif
