/*
 * attach_worker.c: one confined child per file (see attach_worker.h).
 *
 * Entry points: attach_worker_clean, attach_worker_clean_within (the
 * same with a given wall-clock limit). Data path: the parent forks; the
 * child (worker_main) prepares the cleaner, confines itself, cleans the
 * bytes it inherited and writes a header (refusal, type, length) and the
 * cleaned file to its pipe; the parent (collect) reads the pipe with a
 * wall-clock deadline, then reaps the child and believes the result only
 * if the child exited with 0 and the header matches what came.
 */
#define _GNU_SOURCE	/* close_range */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/attach_confine.h"
#include "report/attach_worker.h"
#include "util/log.h"

struct result_head {
	uint32_t	why;
	uint32_t	type;
	uint64_t	len;
};

static int
write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, b, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child: never returns. */
static void
worker_main(int fd, const uint8_t *in, size_t n)
{
	struct result_head h = { ATTACH_REFUSE_INTERNAL, 0, 0 };
	enum attach_type type = 0;
	uint8_t *out = NULL;
	size_t len = 0;

	/* Only the pipe and stderr stay open. */
	if (fd != 3 && (dup2(fd, 3) != 3 || close(fd) != 0))
		_exit(2);
	fd = 3;
	(void)close(STDIN_FILENO);
	(void)close(STDOUT_FILENO);
	if (close_range(4, ~0U, 0) != 0 || attach_clean_init() != GH_OK ||
	    attach_confine_limits() != GH_OK ||
	    attach_confine_seccomp() != GH_OK)
		_exit(2);
	h.why = (uint32_t)attach_clean(in, n, &out, &len, &type);
	h.type = (uint32_t)type;
	h.len = len;
	if (write_all(fd, &h, sizeof(h)) != 0 ||
	    (len > 0 && write_all(fd, out, len) != 0))
		_exit(2);
	_exit(0);
}

static long long
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One read into buf + *got (at most cap bytes in all): 1 read, 0 EOF,
 * -2 an error or more than cap bytes. */
static int
read_some(int fd, uint8_t *buf, size_t cap, size_t *got)
{
	uint8_t extra;
	ssize_t r;

	do {
		if (*got == cap)
			r = read(fd, &extra, 1);
		else
			r = read(fd, buf + *got, cap - *got);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	if (r < 0 || *got == cap)
		return -2;
	*got += (size_t)r;
	return 1;
}

/*
 * Reads everything the child writes, at most cap bytes, until EOF or the
 * deadline. Returns the number of bytes read, -1 on a timeout, -2 if the
 * child wrote more than cap or the pipe failed.
 */
static long long
collect(int fd, uint8_t *buf, size_t cap, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	long long left;
	int r;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		if ((r = poll(&p, 1, (int)left)) < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		if ((r = read_some(fd, buf, cap, &got)) <= 0)
			return r == 0 ? (long long)got : r;
	}
}

/* Waits for the child; returns its wait status, or -1. */
static int
reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static enum attach_refusal
judge(int status, long long got, const uint8_t *buf, uint8_t **out,
    size_t *outlen, enum attach_type *type)
{
	struct result_head h;

	if (got == -1 || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU
	    || WTERMSIG(status) == SIGKILL)))
		return ATTACH_REFUSE_TIME;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got < 0 ||
	    (size_t)got < sizeof(h))
		return ATTACH_REFUSE_MEMORY;
	memcpy(&h, buf, sizeof(h));
	if (h.why != ATTACH_OK)
		return h.why <= ATTACH_REFUSE_INTERNAL ? h.why :
		    ATTACH_REFUSE_INTERNAL;
	if (h.len == 0 || h.len != (uint64_t)got - sizeof(h) ||
	    h.type < ATTACH_JPEG || h.type > ATTACH_PDF)
		return ATTACH_REFUSE_INTERNAL;
	if ((*out = malloc(h.len)) == NULL)
		return ATTACH_REFUSE_INTERNAL;
	memcpy(*out, buf + sizeof(h), h.len);
	*outlen = h.len;
	*type = h.type;
	return ATTACH_OK;
}

enum attach_refusal
attach_worker_clean(const uint8_t *in, size_t n, uint8_t **out,
    size_t *outlen, enum attach_type *type)
{
	return attach_worker_clean_within(in, n,
	    (long long)ATTACH_WORKER_WALL * 1000, out, outlen, type);
}

enum attach_refusal
attach_worker_clean_within(const uint8_t *in, size_t n, long long wall_ms,
    uint8_t **out, size_t *outlen, enum attach_type *type)
{
	size_t cap = sizeof(struct result_head) + ATTACH_FILE_MAX;
	enum attach_refusal why = ATTACH_REFUSE_INTERNAL;
	uint8_t *buf = NULL;
	long long got;
	int fds[2] = { -1, -1 }, status;
	pid_t pid;

	*out = NULL;
	*outlen = 0;
	if (n == 0 || n > ATTACH_FILE_MAX)
		return ATTACH_REFUSE_SIZE;
	if ((buf = malloc(cap)) == NULL)
		return ATTACH_REFUSE_INTERNAL;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		log_error("pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		(void)close(fds[0]);
		worker_main(fds[1], in, n);
	}
	(void)close(fds[1]);
	fds[1] = -1;
	got = collect(fds[0], buf, cap, now_ms() + wall_ms);
	if (got < 0)
		(void)kill(pid, SIGKILL);
	if ((status = reap(pid)) == -1) {
		log_error("waitpid: %s", strerror(errno));
		goto out;
	}
	why = judge(status, got, buf, out, outlen, type);
out:
	if (fds[0] >= 0)
		(void)close(fds[0]);
	if (fds[1] >= 0)
		(void)close(fds[1]);
	free(buf);
	return why;
}
