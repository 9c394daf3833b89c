/*
 * test_attach_super.c: the cleaning supervisor (report/attach_super.h)
 * serves a process that has confined itself with the server's own
 * seccomp filter (http/confine.h), which forbids fork: the supervisor,
 * started before, cleans files for it in workers of its own. Runs in a
 * forked child, since confinement cannot be undone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/confine.h"
#include "report/attach_super.h"
#include "report/attach_worker.h"

/* Reads tests/data/attach/NAME (ctest sets GEHOORD_SRC) into buf. */
static size_t
data_file(const char *name, uint8_t *buf, size_t cap)
{
	const char *src = getenv("GEHOORD_SRC");
	char path[512];
	FILE *f;
	size_t n;

	(void)snprintf(path, sizeof(path), "%s/tests/data/attach/%s",
	    src != NULL ? src : ".", name);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, cap, f);
	(void)fclose(f);
	assert_true(n > 0 && n < cap);
	return n;
}

static void
test_attach_super_cleans_for_a_confined_server(void **state)
{
	static uint8_t png[64 * 1024];
	static const uint8_t text[] = "plain text";
	struct attach_super *s = NULL;
	size_t n = data_file("plain.png", png, sizeof(png));
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		enum attach_type type = 0;
		uint8_t *out = NULL;
		size_t len = 0;

		if (attach_super_start(NULL, &s) != GH_OK)
			_exit(10);
		if (confine_seccomp() != GH_OK)
			_exit(11);
		if (attach_super_clean(s, png, n, &out, &len, &type) !=
		    ATTACH_OK || type != ATTACH_PNG || len < 8 ||
		    memcmp(out, "\x89PNG", 4) != 0)
			_exit(12);
		free(out);
		out = NULL;
		/* A refusal, then the supervisor still answers. */
		if (attach_super_clean(s, text, sizeof(text), &out, &len,
		    &type) != ATTACH_REFUSE_TYPE || out != NULL)
			_exit(13);
		if (attach_super_clean(s, png, n / 2, &out, &len, &type) !=
		    ATTACH_REFUSE_DECODE)
			_exit(14);
		if (attach_super_clean(s, png, n, &out, &len, &type) !=
		    ATTACH_OK)
			_exit(15);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_attach_super_refuses_and_stops(void **state)
{
	static const uint8_t jpeg[] = { 0xff, 0xd8, 0xff, 0xe0 };
	struct attach_super *s = NULL;
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	(void)state;
	/* Stopping a supervisor that has served nothing, then another. */
	assert_int_equal(attach_super_start(NULL, &s), GH_OK);
	attach_super_stop(s);
	attach_super_stop(NULL);
	assert_int_equal(attach_super_start(NULL, &s), GH_OK);
	assert_int_equal(attach_super_clean(s, jpeg, sizeof(jpeg), &out, &len,
	    &type), ATTACH_REFUSE_DECODE);
	attach_super_stop(s);
}

/*
 * A worker still at work when its time is up is killed: the caller gets
 * "took too long" at once and nothing else; the next file is cleaned.
 */
static void
test_attach_worker_out_of_time_is_killed(void **state)
{
	static uint8_t png[64 * 1024];
	size_t n = data_file("plain.png", png, sizeof(png));
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attach_worker_clean_within(png, n, 1, &out, &len,
	    &type), ATTACH_REFUSE_TIME);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(attach_worker_clean(png, n, &out, &len, &type),
	    ATTACH_OK);
	assert_non_null(out);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_super_cleans_for_a_confined_server),
		cmocka_unit_test(test_attach_super_refuses_and_stops),
		cmocka_unit_test(test_attach_worker_out_of_time_is_killed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
