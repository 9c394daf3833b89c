/*
 * attach_confine.c: resource limits and the seccomp allow-list of a
 * cleaning worker (see attach_confine.h).
 *
 * Entry points, in the order attach_worker.c calls them in the child,
 * after libvips has loaded its modules and before the first byte of the
 * file is decoded: attach_confine_limits, attach_confine_seccomp.
 *
 * The list was measured with `strace -f` of `gehoord clean` on JPEG,
 * PNG, HEIC and PDF files, then cut to what decoding needs.
 */
#define _GNU_SOURCE	/* CLONE_THREAD */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "report/attach_confine.h"
#include "util/log.h"
#include "util/seccomp_filter.h"

/* Sanitizer builds need more calls (see the end of the list). */
#if defined(__SANITIZE_ADDRESS__)
#define ATTACH_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTACH_SANITIZER 1
#endif
#endif

#define ALLOW(sys)		{ SCMP_SYS(sys), SCMP_ACT_ALLOW, 0, { { 0 } } }
#define ALLOW_IF(sys, a)	{ SCMP_SYS(sys), SCMP_ACT_ALLOW, 1, { a } }
#define REFUSE(sys, e)		{ SCMP_SYS(sys), SCMP_ACT_ERRNO(e), 0, { { 0 } } }
#define ARG_EQ(n, v)		{ (n), SCMP_CMP_EQ, (v), 0 }
#define ARG_WITHOUT(n, bits)	{ (n), SCMP_CMP_MASKED_EQ, (bits), 0 }
#define ARG_WITH(n, bits)	{ (n), SCMP_CMP_MASKED_EQ, (bits), (bits) }

static const struct seccomp_rule rules[] = {
	/*
	 * The result: written to the pipe the worker was given; a failed
	 * check of a library (glib's g_error, abort) writes to stderr. Both
	 * descriptors exist before the filter; no new one can be made.
	 */
	ALLOW(write),
	ALLOW(writev),
	ALLOW(close),

	/*
	 * Memory: glibc's malloc and libvips's pixel buffers (brk, mmap,
	 * mremap, madvise), thread stacks and their guard pages (mprotect).
	 * No mapping may be or become executable.
	 */
	ALLOW(brk),
	ALLOW_IF(mmap, ARG_WITHOUT(2, PROT_EXEC)),
	ALLOW_IF(mprotect, ARG_WITHOUT(2, PROT_EXEC)),
	ALLOW(munmap),
	ALLOW(mremap),
	ALLOW(madvise),

	/*
	 * Threads: libvips computes on a pool of worker threads even at a
	 * concurrency of one, glib names them (prctl PR_SET_NAME), waits on
	 * futexes and sets signal handlers for its threads. clone only with CLONE_THREAD: a thread, never a
	 * process. glibc tries clone3 first, whose flags the filter cannot
	 * read: it fails with ENOSYS and glibc falls back to clone.
	 */
	ALLOW_IF(clone, ARG_WITH(0, CLONE_THREAD)),
	REFUSE(clone3, ENOSYS),
	ALLOW(futex),
	ALLOW(exit),
	ALLOW(rseq),
	ALLOW(set_robust_list),
	ALLOW(rt_sigprocmask),
	ALLOW(rt_sigaction),
	ALLOW(rt_sigreturn),
	ALLOW(restart_syscall),
	ALLOW(sched_yield),
	ALLOW(sched_getaffinity),
	ALLOW_IF(prctl, ARG_EQ(0, PR_SET_NAME)),
	ALLOW(gettid),
	ALLOW(getpid),

	/* Time (glib's timers, libvips's progress), sleeping threads. */
	ALLOW(clock_gettime),
	ALLOW(gettimeofday),
	ALLOW(clock_nanosleep),
	ALLOW(nanosleep),

	/* Randomness: glib's hash tables seed themselves. */
	ALLOW(getrandom),

	/* The end: exit_group, or glibc's abort (SIGABRT to itself). */
	ALLOW(exit_group),

	/*
	 * Refused with an error: libraries open files on their own (glibc's
	 * malloc reads /proc/sys/vm/overcommit_memory, glib looks up its
	 * charset) and cope with a failure. No file can be opened or looked
	 * at.
	 */
#ifndef ATTACH_SANITIZER
	REFUSE(openat, EACCES),
	REFUSE(open, EACCES),
#endif
	REFUSE(newfstatat, EACCES),
	/* glib asks whether stderr is the journal's socket before a warning. */
	REFUSE(getpeername, ENOTSOCK),
	REFUSE(access, EACCES),
	REFUSE(readlink, EACCES),

#ifdef ATTACH_SANITIZER
	/*
	 * Sanitizer builds only: ASan's allocator, its reports (reading
	 * /proc/self/maps) and LeakSanitizer's tracer at exit (clone of a
	 * process, ptrace, /proc/self/task).
	 */
	ALLOW(open),
	ALLOW(openat),
	ALLOW(read),
	ALLOW(getdents64),
	ALLOW(getdents),
	ALLOW(lseek),
	ALLOW(clone),
	ALLOW(ptrace),
	ALLOW(wait4),
	ALLOW(prctl),
	ALLOW(getppid),
	ALLOW(sigaltstack),
	ALLOW(fcntl),
	ALLOW(ioctl),
	ALLOW(tgkill),
#endif
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

int
attach_confine_limits(void)
{
	struct rlimit cpu = { ATTACH_WORKER_CPU, ATTACH_WORKER_CPU + 1 };
	struct rlimit zero = { 0, 0 };
#ifndef ATTACH_SANITIZER
	struct rlimit as = { ATTACH_WORKER_MEM, ATTACH_WORKER_MEM };

	if (setrlimit(RLIMIT_AS, &as) != 0)
		goto fail;
#endif
	if (setrlimit(RLIMIT_CPU, &cpu) != 0 ||
	    setrlimit(RLIMIT_CORE, &zero) != 0)
		goto fail;
	return GH_OK;
fail:
	log_error("setrlimit: %s", strerror(errno));
	return GH_ERR_IO;
}

int
attach_confine_seccomp(void)
{
#ifdef ATTACH_SANITIZER
	const int is_abort_allowed = 0;
#else
	const int is_abort_allowed = 1;
#endif

	return seccomp_filter_load(rules, N_RULES, is_abort_allowed, NULL);
}
