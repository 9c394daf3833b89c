/*
 * test_confine.c: the confinement of `gehoord serve` (http/confine.h).
 * Every case runs in a forked child, since confinement cannot be undone:
 * the child drops to "nobody" and installs the filter, and the parent
 * looks at how it ended. A forbidden call must end it with SIGSYS; an
 * allowed one must keep working, also on a thread started before.
 * Dropping the user needs root (CI runs as root); those cases are
 * skipped, saying why, otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "http/confine.h"

/* Sanitizer builds allow opening files (confine.c says why). */
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

#define USER "nobody"

/* In a child: exit with code (the failed check's number) unless cond. */
#define CHILD_CHECK(cond, code) do {				\
	if (!(cond))						\
		_exit(code);					\
} while (0)

static uid_t nobody_uid;
static gid_t nobody_gid;

static int
group_setup(void **state)
{
	struct passwd *pw;

	(void)state;
	if (sodium_init() < 0 || (pw = getpwnam(USER)) == NULL)
		return -1;
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
	return 0;
}

/* Skips the calling test unless it runs as root; says why. */
static int
is_root_or_skip(void)
{
	if (geteuid() == 0)
		return 1;
	print_message("skipped: switching to user %s needs root; running "
	    "as uid %u\n", USER, (unsigned int)geteuid());
	return 0;
}

/* Runs fn in a child (no core file); returns its wait status. */
static int
run_child(void (*fn)(void))
{
	struct rlimit no_core = { 0, 0 };
	pid_t pid;
	int status = -1;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setrlimit(RLIMIT_CORE, &no_core);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
assert_exited_ok(int status)
{
	if (WIFSIGNALED(status))
		fail_msg("the child was killed by signal %d", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("check %d failed in the child", WEXITSTATUS(status));
}

static void
assert_killed_by_sigsys(int status)
{
	if (WIFEXITED(status))
		fail_msg("the child exited with %d instead of being killed",
		    WEXITSTATUS(status));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

/* A forbidden call: starting a program. */
static void
try_exec(void)
{
	char *argv[] = { "/bin/true", NULL };
	char *envp[] = { NULL };

	execve("/bin/true", argv, envp);
}

static void
child_drop_user(void)
{
	CHILD_CHECK(confine_drop_user(USER, "/nonexistent-gehoord-test.db") == GH_OK, 1);
	CHILD_CHECK(getuid() == nobody_uid && geteuid() == nobody_uid, 2);
	CHILD_CHECK(getgid() == nobody_gid && getegid() == nobody_gid, 3);
	CHILD_CHECK(getgroups(0, NULL) == 0, 4);
	CHILD_CHECK(setuid(0) == -1 && errno == EPERM, 5);
	CHILD_CHECK(seteuid(0) == -1 && setgid(0) == -1, 6);
	CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, 7);
}

static void
test_confine_drop_user_is_for_good(void **state)
{
	(void)state;
	if (!is_root_or_skip()) {
		skip();
		return;
	}
	assert_exited_ok(run_child(child_drop_user));
}

static void
child_drop_then_forbidden_call(void)
{
	child_drop_user();
	CHILD_CHECK(confine_seccomp() == GH_OK, 10);
	try_exec();
	_exit(11);
}

static void
test_confine_forbidden_call_kills_after_drop(void **state)
{
	(void)state;
	if (!is_root_or_skip()) {
		skip();
		return;
	}
	assert_killed_by_sigsys(run_child(child_drop_then_forbidden_call));
}

static void
child_raw_socket(void)
{
	CHILD_CHECK(confine_seccomp() == GH_OK, 10);
	socket(AF_PACKET, SOCK_RAW, 0);
	_exit(11);
}

static void
test_confine_socket_kills(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_raw_socket));
}

static void
child_exec_memory(void)
{
	CHILD_CHECK(confine_seccomp() == GH_OK, 10);
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	_exit(11);
}

static void
test_confine_executable_memory_kills(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_exec_memory));
}

static void
child_abort(void)
{
	CHILD_CHECK(confine_seccomp() == GH_OK, 10);
	abort();
}

static void
test_confine_abort_still_aborts(void **state)
{
	int status;

	(void)state;
	/* A failed check must end as SIGABRT, not as a filter kill. */
	status = run_child(child_abort);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void
child_allowed_calls(void)
{
	struct timespec ts = { 0, 1000000 };
	unsigned char buf[32], back[32];
	unsigned char *locked, *big;
	int p[2];

	struct timespec day[2] = { { 86400, 0 }, { 86400, 0 } };
	int fd;
	char tmpl[] = "/tmp/gh-confine-XXXXXX";

	CHILD_CHECK(pipe(p) == 0, 1);
	CHILD_CHECK((fd = mkstemp(tmpl)) >= 0 && unlink(tmpl) == 0, 13);
	CHILD_CHECK(confine_seccomp() == GH_OK, 2);
	/* Setting a held file's times passes the filter. */
	CHILD_CHECK(futimens(fd, day) == 0, 12);
	randombytes_buf(buf, sizeof(buf));		/* getrandom */
	CHILD_CHECK(write(p[1], buf, sizeof(buf)) == sizeof(buf), 3);
	CHILD_CHECK(read(p[0], back, sizeof(back)) == sizeof(back), 4);
	CHILD_CHECK(memcmp(buf, back, sizeof(buf)) == 0, 5);
	/* malloc beyond the mmap threshold, and locked guarded memory. */
	CHILD_CHECK((big = malloc(1 << 20)) != NULL, 6);
	big[(1 << 20) - 1] = 1;
	free(big);
	CHILD_CHECK((locked = sodium_malloc(4096)) != NULL, 7);
	locked[0] = 1;
	sodium_free(locked);
	CHILD_CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0, 8);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000;
	CHILD_CHECK(nanosleep(&ts, NULL) == 0, 9);
	/* Refused, not fatal: opening and removing files. */
	if (!IS_SANITIZER)
		CHILD_CHECK(open("/etc/hostname", O_RDONLY) == -1 &&
		    errno == EACCES, 10);
	CHILD_CHECK(unlink("/nonexistent-gehoord-test") == -1 &&
	    errno == EPERM, 11);
	close(p[0]);
	close(p[1]);
}

static void
test_confine_allowed_calls_work(void **state)
{
	(void)state;
	assert_exited_ok(run_child(child_allowed_calls));
}

/* A thread started before confinement, told what to do afterwards. */
struct early {
	pthread_mutex_t	 lock;
	pthread_cond_t	 go;
	int		 is_go;
	uid_t		 uid, euid;
};

static void *
early_main(void *arg)
{
	struct early *e = arg;

	pthread_mutex_lock(&e->lock);
	while (!e->is_go)
		pthread_cond_wait(&e->go, &e->lock);
	pthread_mutex_unlock(&e->lock);
	e->uid = getuid();
	e->euid = geteuid();
	return NULL;
}

static void
early_go(struct early *e)
{
	pthread_mutex_lock(&e->lock);
	e->is_go = 1;
	pthread_cond_signal(&e->go);
	pthread_mutex_unlock(&e->lock);
}

static void
child_thread_after_drop(void)
{
	static struct early e = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	pthread_t t;

	CHILD_CHECK(pthread_create(&t, NULL, early_main, &e) == 0, 1);
	CHILD_CHECK(confine_drop_user(USER, "/nonexistent-gehoord-test.db") == GH_OK, 2);
	early_go(&e);
	CHILD_CHECK(pthread_join(t, NULL) == 0, 3);
	CHILD_CHECK(e.uid == nobody_uid && e.euid == nobody_uid, 4);
}

static void
test_confine_drop_user_covers_earlier_threads(void **state)
{
	(void)state;
	if (!is_root_or_skip()) {
		skip();
		return;
	}
	assert_exited_ok(run_child(child_thread_after_drop));
}

static void *
forbidden_main(void *arg)
{
	struct early *e = arg;

	pthread_mutex_lock(&e->lock);
	while (!e->is_go)
		pthread_cond_wait(&e->go, &e->lock);
	pthread_mutex_unlock(&e->lock);
	socket(AF_PACKET, SOCK_RAW, 0);
	return NULL;
}

static void
child_thread_after_seccomp(void)
{
	static struct early e = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	pthread_t t;

	CHILD_CHECK(pthread_create(&t, NULL, forbidden_main, &e) == 0, 1);
	CHILD_CHECK(confine_seccomp() == GH_OK, 2);
	early_go(&e);
	pthread_join(t, NULL);
	_exit(3);
}

static void
test_confine_seccomp_covers_earlier_threads(void **state)
{
	(void)state;
	assert_killed_by_sigsys(run_child(child_thread_after_seccomp));
}

static void
test_confine_drop_user_refuses_root_and_unknown(void **state)
{
	(void)state;
	/* Both fail before anything changes, so no child is needed. */
	assert_int_equal(confine_drop_user("root", "/nonexistent.db"), GH_ERR_USAGE);
	assert_int_equal(confine_drop_user("no-such-user-gehoord",
	    "/nonexistent.db"),
	    GH_ERR_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confine_drop_user_is_for_good),
		cmocka_unit_test(test_confine_drop_user_covers_earlier_threads),
		cmocka_unit_test(test_confine_drop_user_refuses_root_and_unknown),
		cmocka_unit_test(test_confine_forbidden_call_kills_after_drop),
		cmocka_unit_test(test_confine_socket_kills),
		cmocka_unit_test(test_confine_executable_memory_kills),
		cmocka_unit_test(test_confine_allowed_calls_work),
		cmocka_unit_test(test_confine_abort_still_aborts),
		cmocka_unit_test(test_confine_seccomp_covers_earlier_threads),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
