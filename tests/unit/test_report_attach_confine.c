/*
 * test_report_attach_confine.c: the confinement of a cleaning worker
 * (report/attach_confine.h) and the worker's end as the parent sees it
 * (report/attach_worker.h). Every confinement case runs in a forked
 * child, since confinement cannot be undone: the child confines itself
 * as a worker does, then tries one thing; the parent looks at how it
 * ended. Opening a file must fail (or kill); creating a socket, starting
 * a process and starting a program must kill the child with SIGSYS;
 * computing, allocating and writing to the pipe it holds must work.
 */
#define _GNU_SOURCE	/* syscall, SYS_fork */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/attach_clean.h"
#include "report/attach_confine.h"
#include "report/attach_worker.h"

#if defined(__SANITIZE_ADDRESS__)
#define IS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IS_SANITIZER 1
#endif
#endif
#ifndef IS_SANITIZER
#define IS_SANITIZER 0
#endif

enum attempt {
	TRY_NOTHING,
	TRY_OPEN,
	TRY_OPEN_WRITE,
	TRY_SOCKET,
	TRY_FORK,
	TRY_EXEC,
	TRY_ALLOC,
};

/* In the child: confine, then attempt; exit 0 if the attempt failed
 * politely or (for TRY_NOTHING and TRY_ALLOC) worked, 10+ otherwise. */
static void
child(enum attempt what)
{
	char *const argv[] = { (char *)"/bin/true", NULL };
	unsigned char *p;
	int fd;

	if (attach_confine_limits() != 0 || attach_confine_seccomp() != 0)
		_exit(9);
	switch (what) {
	case TRY_NOTHING:
		_exit(0);
	case TRY_OPEN:
		fd = open("/etc/passwd", O_RDONLY);
		_exit(fd < 0 ? 0 : 10);
	case TRY_OPEN_WRITE:
		fd = open("/tmp", O_WRONLY | O_TMPFILE, 0600);
		_exit(fd < 0 ? 0 : 11);
	case TRY_SOCKET:
		fd = socket(AF_INET, SOCK_STREAM, 0);
		_exit(fd < 0 ? 12 : 13);
	case TRY_FORK:
		/* The raw call: glibc's fork would try clone first. */
		_exit(syscall(SYS_fork) < 0 ? 14 : 15);
	case TRY_EXEC:
		execv(argv[0], argv);
		_exit(16);
	case TRY_ALLOC:
		if ((p = malloc(64U << 20)) == NULL)
			_exit(17);
		memset(p, 1, 64U << 20);
		free(p);
		_exit(0);
	}
	_exit(18);
}

/* Runs child(what) and returns its wait status. */
static int
run(enum attempt what)
{
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(what);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
assert_exit0(int status)
{
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
assert_killed(int status)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void
test_attach_confine_allows_work(void **state)
{
	(void)state;
	assert_exit0(run(TRY_NOTHING));
	assert_exit0(run(TRY_ALLOC));
}

static void
test_attach_confine_cannot_open_a_file(void **state)
{
	(void)state;
	if (IS_SANITIZER)
		skip();	/* ASan's reports need open; attach_confine.c says so */
	assert_exit0(run(TRY_OPEN));
	assert_exit0(run(TRY_OPEN_WRITE));
}

static void
test_attach_confine_socket_kills(void **state)
{
	(void)state;
	assert_killed(run(TRY_SOCKET));
}

static void
test_attach_confine_fork_kills(void **state)
{
	(void)state;
	assert_killed(run(TRY_FORK));
}

static void
test_attach_confine_exec_kills(void **state)
{
	(void)state;
	assert_killed(run(TRY_EXEC));
}

static void
test_attach_worker_refuses_unknown_type(void **state)
{
	static const uint8_t text[] = "not a picture";
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attach_worker_clean(text, sizeof(text), &out, &len,
	    &type), ATTACH_REFUSE_TYPE);
	assert_null(out);
	assert_int_equal(len, 0);
}

static void
test_attach_worker_refuses_empty_and_large(void **state)
{
	static const uint8_t one = 0xff;
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attach_worker_clean(&one, 0, &out, &len, &type),
	    ATTACH_REFUSE_SIZE);
	assert_int_equal(attach_worker_clean(&one, ATTACH_FILE_MAX + 1, &out,
	    &len, &type), ATTACH_REFUSE_SIZE);
	assert_null(out);
}

/* A JPEG that ends after its first segment. */
static void
test_attach_worker_refuses_truncated_jpeg(void **state)
{
	static const uint8_t jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10,
	    'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(attach_worker_clean(jpeg, sizeof(jpeg), &out, &len,
	    &type), ATTACH_REFUSE_DECODE);
	assert_null(out);
}

/*
 * A worker that cannot set itself up (here: it may not raise its address
 * space to its limit, since the parent lowered the hard limit) ends
 * without a result: the caller gets a refusal and goes on.
 */
static void
test_attach_worker_failure_is_a_refusal(void **state)
{
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	struct rlimit as = { 256U << 20, 256U << 20 };
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;
	pid_t pid;
	int status;

	(void)state;
	if (IS_SANITIZER)
		skip();	/* ASan's shadow memory needs the address space */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setrlimit(RLIMIT_AS, &as) != 0)
			_exit(20);
		_exit(attach_worker_clean(png, sizeof(png), &out, &len,
		    &type) == ATTACH_REFUSE_MEMORY && out == NULL ? 0 : 21);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_exit0(status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_confine_allows_work),
		cmocka_unit_test(test_attach_confine_cannot_open_a_file),
		cmocka_unit_test(test_attach_confine_socket_kills),
		cmocka_unit_test(test_attach_confine_fork_kills),
		cmocka_unit_test(test_attach_confine_exec_kills),
		cmocka_unit_test(test_attach_worker_refuses_unknown_type),
		cmocka_unit_test(test_attach_worker_refuses_empty_and_large),
		cmocka_unit_test(test_attach_worker_refuses_truncated_jpeg),
		cmocka_unit_test(test_attach_worker_failure_is_a_refusal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
