/*
 * attach_super.c: the cleaning supervisor (see attach_super.h).
 *
 * Entry points: attach_super_start (forks; the child runs super_main),
 * attach_super_clean (any thread: one request and its reply under the
 * mutex), attach_super_stop, attach_super_close. The supervisor keeps
 * no file: it reads one
 * request, hands it to attach_worker_clean (a confined child per file),
 * writes the reply, and frees both buffers.
 */
#define _GNU_SOURCE	/* close_range */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <grp.h>
#include <pwd.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/attach_super.h"
#include "report/attach_worker.h"
#include "util/log.h"

struct attach_super {
	pthread_mutex_t	 lock;
	int		 fd;
	pid_t		 pid;
};

static int
send_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, b, n, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads exactly n bytes; -1 on an error or an early end. */
static int
recv_all(int fd, void *p, size_t n)
{
	uint8_t *b = p;
	ssize_t r;

	while (n > 0) {
		if ((r = recv(fd, b, n, 0)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Answers one request; -1 when the server is gone or spoke wrongly. */
static int
serve_one(int fd)
{
	uint32_t head[2];
	uint64_t len;
	uint8_t *in = NULL, *out = NULL;
	size_t outlen = 0;
	enum attach_type type = 0;
	int r = -1;

	if (recv_all(fd, &len, sizeof(len)) != 0 || len == 0 ||
	    len > ATTACH_FILE_MAX || (in = malloc(len)) == NULL ||
	    recv_all(fd, in, len) != 0)
		goto out;
	head[0] = (uint32_t)attach_worker_clean(in, len, &out, &outlen, &type);
	head[1] = (uint32_t)type;
	len = outlen;
	if (send_all(fd, head, sizeof(head)) != 0 ||
	    send_all(fd, &len, sizeof(len)) != 0 ||
	    (outlen > 0 && send_all(fd, out, outlen) != 0))
		goto out;
	r = 0;
out:
	free(in);
	free(out);
	return r;
}

/* The supervisor: never returns (_Noreturn: so the analysers know the
 * child never gets past it). With drop, it becomes uid and gid
 * first, for good. */
static _Noreturn void
super_main(int fd, int drop, uid_t uid, gid_t gid)
{
	if (drop && (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0 || setuid(0) == 0))
		_exit(2);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(2);
	if (fd != 3 && (dup2(fd, 3) != 3 || close(fd) != 0))
		_exit(2);
	if (close_range(4, ~0U, 0) != 0)
		_exit(2);
	while (serve_one(3) == 0)
		;
	_exit(0);
}

int
attach_super_start(const char *user, struct attach_super **out)
{
	struct attach_super *s;
	struct passwd *pw = NULL;
	int sv[2], drop = 0;

	*out = NULL;
	if (user != NULL && geteuid() == 0) {
		if ((pw = getpwnam(user)) == NULL) {
			log_error("--user %s: no such user", user);
			return GH_ERR_USAGE;
		}
		if (pw->pw_uid == 0) {
			log_error("--user %s: that is root; name an unprivileged "
			    "user", user);
			return GH_ERR_USAGE;
		}
		drop = 1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return GH_ERR_NOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("socketpair: %s", strerror(errno));
		free(s);
		return GH_ERR_IO;
	}
	if ((s->pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		(void)close(sv[0]);
		(void)close(sv[1]);
		free(s);
		return GH_ERR_IO;
	}
	if (s->pid == 0) {
		/* The child needs none of the parent's handle: freed, so that
		 * no copy of it outlives the fork unreferenced. */
		free(s);
		(void)close(sv[0]);
		super_main(sv[1], drop, drop ? pw->pw_uid : 0,
		    drop ? pw->pw_gid : 0);
	}
	(void)close(sv[1]);
	s->fd = sv[0];
	(void)pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return GH_OK;
}

/* One request and its reply: 0 with *why, or -1 when the supervisor is
 * gone or out of step. */
static int
exchange(struct attach_super *s, const uint8_t *in, size_t n,
    enum attach_refusal *why, uint8_t **out, size_t *outlen,
    enum attach_type *type)
{
	uint64_t len = n;
	uint32_t head[2];

	if (send_all(s->fd, &len, sizeof(len)) != 0 ||
	    send_all(s->fd, in, n) != 0 ||
	    recv_all(s->fd, head, sizeof(head)) != 0 ||
	    recv_all(s->fd, &len, sizeof(len)) != 0 ||
	    head[0] > ATTACH_REFUSE_INTERNAL)
		return -1;
	*why = (enum attach_refusal)head[0];
	if (*why != ATTACH_OK)
		return len == 0 ? 0 : -1;
	if (len == 0 || len > ATTACH_FILE_MAX || head[1] < ATTACH_JPEG ||
	    head[1] > ATTACH_PDF || (*out = malloc(len)) == NULL)
		return -1;
	if (recv_all(s->fd, *out, len) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*outlen = len;
	*type = (enum attach_type)head[1];
	return 0;
}

enum attach_refusal
attach_super_clean(struct attach_super *s, const uint8_t *in, size_t n,
    uint8_t **out, size_t *outlen, enum attach_type *type)
{
	enum attach_refusal why = ATTACH_REFUSE_INTERNAL;

	*out = NULL;
	*outlen = 0;
	if (n == 0 || n > ATTACH_FILE_MAX)
		return ATTACH_REFUSE_SIZE;
	(void)pthread_mutex_lock(&s->lock);
	if (s->fd >= 0 && exchange(s, in, n, &why, out, outlen, type) != 0) {
		/* Out of step with the supervisor: no later reply is trusted. */
		log_error("the cleaning supervisor does not answer");
		(void)close(s->fd);
		s->fd = -1;
		why = ATTACH_REFUSE_INTERNAL;
	}
	(void)pthread_mutex_unlock(&s->lock);
	return why;
}

void
attach_super_stop(struct attach_super *s)
{
	int status;

	if (s == NULL)
		return;
	if (s->fd >= 0)
		(void)close(s->fd);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	(void)pthread_mutex_destroy(&s->lock);
	free(s);
}

void
attach_super_close(struct attach_super *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		(void)close(s->fd);
	(void)pthread_mutex_destroy(&s->lock);
	free(s);
}
