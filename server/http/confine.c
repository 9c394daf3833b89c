/*
 * confine.c: privilege drop and the seccomp allow-list of `gehoord serve`
 * (see confine.h).
 *
 * Entry points, in the order http_serve calls them once the socket is
 * bound and every file is open: confine_prepare, confine_drop_user,
 * confine_seccomp. After the last one the process can accept, read and
 * answer requests, read and write the database files it already holds,
 * and allocate memory; it cannot open a file, create a socket, start a
 * program, trace a process or change its credentials.
 *
 * The list below was measured with `strace -f -c` of a server under load
 * (GETs of pages, forms and the style sheet; valid POSTs; HTTP and HTTPS)
 * up to its exit after SIGTERM, then cut to what serving needs.
 */
#define _GNU_SOURCE	/* setresuid, getresuid: all three ids at once */
#include <sys/mman.h>
#include <sys/prctl.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>
#include <sqlite3.h>

#include "http/confine.h"
#include "util/log.h"
#include "util/seccomp_filter.h"

/* Sanitizer builds need more calls (see the end of the list). */
#if defined(__SANITIZE_ADDRESS__)
#define CONFINE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFINE_SANITIZER 1
#endif
#endif

#define ALLOW(sys)		{ SCMP_SYS(sys), SCMP_ACT_ALLOW, 0, { { 0 } } }
#define ALLOW_IF(sys, a)	{ SCMP_SYS(sys), SCMP_ACT_ALLOW, 1, { a } }
#define ALLOW_IF2(sys, a, b)	{ SCMP_SYS(sys), SCMP_ACT_ALLOW, 2, { a, b } }
#define REFUSE(sys, e)		{ SCMP_SYS(sys), SCMP_ACT_ERRNO(e), 0, { { 0 } } }
#define ARG_EQ(n, v)		{ (n), SCMP_CMP_EQ, (v), 0 }
#define ARG_WITHOUT(n, bits)	{ (n), SCMP_CMP_MASKED_EQ, (bits), 0 }

static const struct seccomp_rule rules[] = {
	/*
	 * Requests (libmicrohttpd's epoll thread pool): take connections,
	 * read requests, send responses, close. TCP_NODELAY and TCP_CORK
	 * are the only socket options it changes while serving. No socket
	 * is created after start-up: socket(2) itself is not allowed.
	 */
	ALLOW(epoll_wait),
	ALLOW(epoll_ctl),
	ALLOW(accept4),
	ALLOW(recvfrom),
	ALLOW(sendto),
	ALLOW(sendmsg),
	ALLOW(shutdown),
	ALLOW(close),
	ALLOW_IF2(setsockopt, ARG_EQ(1, IPPROTO_TCP), ARG_EQ(2, TCP_NODELAY)),
	ALLOW_IF2(setsockopt, ARG_EQ(1, IPPROTO_TCP), ARG_EQ(2, TCP_CORK)),
	/*
	 * read and write: the eventfd by which the writer wakes a worker to
	 * resume a connection whose answer is durable; log lines on stderr.
	 */
	ALLOW(read),
	ALLOW(write),

	/*
	 * Threads (the request pool, the writer, the checkpointer): mutexes
	 * and condition variables, and their end at shutdown (glibc blocks
	 * signals around it and returns the stack with madvise). The filter
	 * can land on a thread that has not yet run its first instructions:
	 * glibc's thread start (rseq, set_robust_list, rt_sigprocmask) and
	 * MHD naming its workers (prctl PR_SET_NAME) must pass. glibc's
	 * set*id runs a signal handler on every thread, which may return
	 * (rt_sigreturn) only after the filter is in place.
	 */
	ALLOW(futex),
	ALLOW(exit),
	ALLOW(rt_sigprocmask),
	ALLOW(rt_sigreturn),
	ALLOW(restart_syscall),
	ALLOW(rseq),
	ALLOW(set_robust_list),
	ALLOW_IF(prctl, ARG_EQ(0, PR_SET_NAME)),

	/*
	 * Memory: glibc's malloc (brk, mmap, mremap for a growing large
	 * block, madvise when freeing), sodium_malloc's guard pages and
	 * locked pages for keys, sessions and the plaintext of page state
	 * and reports (mprotect, mlock, madvise DONTDUMP; an answer itself
	 * is padded and sealed on the heap, crypto/seal.c says why), SQLite
	 * mapping more of its shared-memory index as the WAL grows. No
	 * mapping may be or become executable.
	 */
	ALLOW(brk),
	ALLOW_IF(mmap, ARG_WITHOUT(2, PROT_EXEC)),
	ALLOW_IF(mprotect, ARG_WITHOUT(2, PROT_EXEC)),
	ALLOW(munmap),
	ALLOW(mremap),
	ALLOW(madvise),
	ALLOW(mlock),
	ALLOW(munlock),

	/*
	 * The database: SQLite in WAL mode on descriptors opened before the
	 * sandbox: page reads and writes, durable commits (fdatasync; fsync
	 * where SQLite is built without it), truncating the WAL and the
	 * database after a checkpoint, POSIX record locks on the database
	 * and the shared-memory index (F_SETLK, F_GETLK; never blocking),
	 * and the size of a file. glibc's fstat is newfstatat(fd, "",
	 * AT_EMPTY_PATH); the filter cannot read the path, so a stat by name
	 * passes too (SQLite does one at close to see if the database was
	 * moved): it reveals metadata only.
	 */
	ALLOW(pread64),
	ALLOW(pwrite64),
	ALLOW(fdatasync),
	ALLOW(fsync),
	ALLOW(ftruncate),
	ALLOW_IF(fcntl, ARG_EQ(1, F_SETLK)),
	ALLOW_IF(fcntl, ARG_EQ(1, F_GETLK)),
	ALLOW(newfstatat),
	/*
	 * The checkpointer sets the database files' times to the start of
	 * the day (futimens on descriptors opened before the sandbox):
	 * utimensat with a NULL path only, so no file can be named.
	 */
	ALLOW_IF(utimensat, ARG_EQ(1, 0)),

	/*
	 * Randomness (libsodium): the ephemeral key of every sealed answer,
	 * answer ids, the writer's shuffle; GnuTLS's nonces over HTTPS.
	 */
	ALLOW(getrandom),

	/*
	 * Time: the vDSO answers clock_gettime, gettimeofday and time
	 * without a system call unless the clock source cannot. SQLite
	 * sleeps briefly when the database is busy (clock_nanosleep).
	 */
	ALLOW(clock_gettime),
	ALLOW(gettimeofday),
	ALLOW(time),
	ALLOW(clock_nanosleep),

	/*
	 * Shutdown: the main thread waits in sigwait for SIGTERM or SIGINT,
	 * then the process exits. A failed check (assert, _FORTIFY_SOURCE)
	 * still ends in glibc's abort: a message on stderr, then SIGABRT to
	 * the calling thread (getpid, gettid, and tgkill, allowed by
	 * confine_seccomp for SIGABRT to this process only).
	 */
	ALLOW(rt_sigtimedwait),
	ALLOW(exit_group),
	ALLOW_IF(writev, ARG_EQ(0, STDERR_FILENO)),
	ALLOW(getpid),
	ALLOW(gettid),

	/*
	 * Refused with an error instead of killing: calls that glibc and
	 * SQLite make on their own and whose failure they handle. openat:
	 * glibc's malloc looks once at /proc/sys/vm/overcommit_memory, and
	 * SQLite opens the directory to fsync it after it first syncs a WAL
	 * (confine_prepare did that sync already); so no file can be opened.
	 * unlink: SQLite removes the WAL and shared-memory files when the
	 * last connection closes at shutdown, after a full checkpoint; they
	 * stay (the WAL empty) for the next start, and no file can be
	 * removed.
	 */
#ifndef CONFINE_SANITIZER
	REFUSE(openat, EACCES),
#endif
	REFUSE(unlink, EPERM),

#ifdef CONFINE_SANITIZER
	/*
	 * Sanitizer builds only (measured as above). ASan's allocator spins
	 * with sched_yield; a thread's start asks for its own stack
	 * (pthread_getattr_np: sched_getaffinity) and sets, and at its end
	 * removes, an alternate signal stack (sigaltstack). LeakSanitizer
	 * at exit clones a tracer (clone; prctl for PR_SET_PTRACER and
	 * PR_SET_DUMPABLE; getppid) that lists /proc/self/task (open,
	 * getdents, lseek), ptraces every thread and waits for it (ptrace,
	 * wait4), with its own signal handlers (rt_sigaction). A report
	 * symbolizes from /proc/self/exe and /proc/self/maps (readlink,
	 * fcntl) and asks whether stderr is a terminal (ioctl). The
	 * sanitizers make these calls themselves, some with the legacy
	 * numbers (open, getdents).
	 */
	ALLOW(sched_yield),
	ALLOW(sched_getaffinity),
	ALLOW(sigaltstack),
	ALLOW(clone),
	ALLOW(prctl),
	ALLOW(getppid),
	ALLOW(open),
	ALLOW(openat),
	ALLOW(getdents),
	ALLOW(lseek),
	ALLOW(ptrace),
	ALLOW(wait4),
	ALLOW(rt_sigaction),
	ALLOW(readlink),
	ALLOW(fcntl),
	ALLOW(ioctl),
#endif
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

int
confine_prepare(const char *db_path)
{
	char dir[PATH_MAX];
	const char *slash;
	unsigned char seed;
	size_t len;
	int fd, r = GH_ERR_IO;

	/* glibc reads /etc/localtime on the first gmtime (MHD's Date:). */
	tzset();
	/* SQLite seeds from /dev/urandom on first use (WAL salts). */
	sqlite3_randomness(sizeof(seed), &seed);

	if ((slash = strrchr(db_path, '/')) == NULL) {
		db_path = ".";
		len = 1;
	} else {
		len = slash == db_path ? 1 : (size_t)(slash - db_path);
	}
	if (len >= sizeof(dir)) {
		log_error("%s: the directory's name is too long", db_path);
		return GH_ERR_IO;
	}
	memcpy(dir, db_path, len);
	dir[len] = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0) {
		log_error("%s: cannot sync the database's directory: %s", dir,
		    strerror(errno));
		goto out;
	}
	r = GH_OK;
out:
	if (fd >= 0)
		close(fd);
	return r;
}

/* Root must be out of reach for good: real, effective and saved ids. */
static int
is_root_regainable(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 1;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid ||
	    sg != gid)
		return 1;
	return setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1 ||
	    setegid(0) != -1 || setgroups(0, NULL) != -1;
}

/*
 * The database file, its -wal and its -shm become the user's: the server
 * writes them, and its checkpointer sets their times (store_times_blur),
 * which only the owner may do.
 */
static int
own_db_files(const char *db_path, uid_t uid, gid_t gid)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s%s", db_path,
		    suffix[i]) >= sizeof(p))
			return GH_ERR_IO;
		if (chown(p, uid, gid) != 0 && errno != ENOENT) {
			log_error("%s: cannot hand it to the --user: %s", p,
			    strerror(errno));
			return GH_ERR_IO;
		}
	}
	return GH_OK;
}

int
confine_drop_user(const char *user, const char *db_path)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_error("--user %s: no such user%s%s", user,
		    errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
		return GH_ERR_USAGE;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		log_error("--user %s: that is root; name an unprivileged user",
		    user);
		return GH_ERR_USAGE;
	}
	if (geteuid() != 0) {
		if (getuid() != uid || geteuid() != uid) {
			log_error("--user %s: only root can change to another "
			    "user", user);
			return GH_ERR_USAGE;
		}
	} else if (own_db_files(db_path, uid, gid) != GH_OK) {
		return GH_ERR_IO;
	} else if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		/* glibc applies set*id to every thread of the process. */
		log_error("--user %s: cannot switch: %s", user,
		    strerror(errno));
		return GH_ERR_IO;
	} else if (is_root_regainable(uid, gid)) {
		log_error("--user %s: root could be regained after the switch",
		    user);
		return GH_ERR_IO;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		log_error("cannot set no_new_privs: %s", strerror(errno));
		return GH_ERR_IO;
	}
	return GH_OK;
}

int
confine_seccomp(void)
{
	return seccomp_filter_load(rules, N_RULES, 1,
	    "--no-sandbox serves without one, for debugging only");
}
