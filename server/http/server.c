/*
 * server.c: the libmicrohttpd daemon: start-up, its limits and threads,
 * the order of confinement, and the request callbacks. Responses are
 * sent by response.c, and routes chosen by router.c.
 *
 * Entry point: http_serve. Data path: MHD calls on_request for every
 * callback of a request: the first allocates struct req, the next ones
 * collect the body (up to FORM_MAX_BODY; a report's files through
 * upload.h), and the last routes it
 * (http_route). We never queue a response on the first callback (MHD
 * 0.9.75 would close the keep-alive connection). A request suspended for the writer or the
 * hashing pool (pwpool.h) is called back once resumed and answered then.
 * on_completed wipes and frees the request.
 *
 * Nothing here logs a client address, a URL or a time per request.
 *
 * Start-up (http_serve) forks the attachment cleaning supervisor first
 * (attach_super.h), then reads the TLS files, the pepper and opens the
 * database, binds the socket, and only then confines the process
 * (confine.h): another user, and a system-call allow-list.
 */
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "http/confine.h"
#include "http/console_ctx.h"
#include "survey/form.h"
#include "http/http.h"
#include "http/http_int.h"
#include "http/pwpool.h"
#include "http/session.h"
#include "http/reporter_ctx.h"
#include "http/retain_job.h"
#include "http/survey_resume.h"
#include "http/router.h"
#include "http/upload.h"
#include "pages/assets.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "report/attach_super.h"
#include "crypto/token.h"
#include "util/log.h"

#define CONNECTION_LIMIT	2048
#define PER_ADDRESS_LIMIT	256
#define CONNECTION_TIMEOUT_S	30
#define CONNECTION_MEMORY	(32 * 1024)
#define TLS_FILE_MAX		65536
/* TLS 1.2 and 1.3 only, otherwise GnuTLS's defaults. */
#define TLS_PRIORITIES		"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct req *rq = *con_cls;

	(void)version;
	if (rq == NULL) {
		if (request_start(cls, conn, url, method, con_cls) != MHD_YES)
			return MHD_NO;
		rq = *con_cls;
		/* Refused on its headers alone: answer before reading a body
		 * (MHD then closes the connection instead of reading it). */
		return rq->refusal >= 0 ? http_send_page(rq, rq->refusal) :
		    MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* A chunked body past the limit: close, read no more. */
		if ((rq->up != NULL ? upload_take(rq, upload_data,
		    *upload_data_size) : request_take_body(rq, upload_data,
		    *upload_data_size)) != 0)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->up != NULL && !rq->is_up_done) {
		upload_finish(rq);
		rq->is_up_done = 1;
	}
	if (rq->stage == REQ_WAITING || rq->stage == REQ_DURABLE)
		return route_survey(rq, url + 3);
	if (rq->stage == REQ_HASHING)
		return MHD_YES;		/* not resumed yet */
	if (rq->stage == REQ_HASHED)
		return http_send_kept(rq);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 && !rq->is_post)
		return http_send_page(rq, PAGE_BAD_REQUEST) == MHD_YES ?
		    MHD_YES : MHD_NO;
	if (rq->is_too_large)
		return http_send_page(rq, PAGE_TOO_LARGE);
	return http_route(rq, url);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	request_free(rq);
	*con_cls = NULL;
}

static int
parse_listen(const struct http_config *cfg, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, cfg->listen_host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(cfg->port);
		return GH_OK;
	}
	if (inet_pton(AF_INET6, cfg->listen_host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(cfg->port);
		return GH_OK;
	}
	log_error("--listen: '%s' is not a numeric IPv4 or IPv6 address",
	    cfg->listen_host);
	return GH_ERR_USAGE;
}

/*
 * Reads the PEM file at path into new sodium_malloc memory, NUL-terminated
 * as MHD wants it. Returns it (free with sodium_free, which wipes), or
 * NULL (logged).
 */
static char *
read_pem(const char *path)
{
	struct stat sb;
	char *p = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) != 0) {
		log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    sb.st_size >= TLS_FILE_MAX) {
		log_error("%s: not a PEM file of at most %d bytes", path,
		    TLS_FILE_MAX - 1);
		goto out;
	}
	if ((p = sodium_malloc(TLS_FILE_MAX)) == NULL) {
		log_error("%s: out of memory", path);
		goto out;
	}
	while (len < TLS_FILE_MAX - 1 &&
	    (n = read(fd, p + len, TLS_FILE_MAX - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0 || len == 0) {
		log_error("%s: %s", path, n < 0 ? strerror(errno) : "empty");
		sodium_free(p);
		p = NULL;
		goto out;
	}
	p[len] = '\0';
out:
	if (fd >= 0)
		close(fd);
	return p;
}

/*
 * Set once SIGTERM or SIGINT came: new connections are closed at once
 * while the queued work finishes. (MHD_quiesce_daemon would stop
 * listening instead, but with a thread pool in epoll mode libmicrohttpd
 * 0.9.75 can remove the listening socket from a worker's epoll set
 * twice, from the worker and from the caller, and abort.)
 */
static atomic_int is_stopping;

/* MHD's accept policy: every connection, until the server stops. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls;
	(void)addr;
	(void)addrlen;
	return atomic_load(&is_stopping) ? MHD_NO : MHD_YES;
}

static struct MHD_Daemon *
start_daemon(struct http_ctx *ctx, const struct http_config *cfg,
    unsigned int threads, const char *cert, const char *key)
{
	struct MHD_OptionItem tls[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct sockaddr_storage ss;
	unsigned int flags, per_address;

	if (parse_listen(cfg, &ss) != GH_OK)
		return NULL;
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert != NULL)
		flags |= MHD_USE_TLS;
	else
		tls[0].option = MHD_OPTION_END;
	/* Behind a proxy every connection comes from the proxy's address. */
	per_address = cfg->is_behind_proxy ? CONNECTION_LIMIT :
	    PER_ADDRESS_LIMIT;
	return MHD_start_daemon(flags, cfg->port, on_accept, NULL, on_request,
	    ctx,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONNECTION_LIMIT,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, request_unescape, NULL,
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
}

/*
 * Everything that may need privileges: reads the TLS files, loads the
 * pepper, opens every database connection, binds and starts the daemon
 * (*d). The TLS key is wiped as soon as GnuTLS holds its own copy.
 */
static int
start(struct http_ctx *ctx, const struct http_config *cfg,
    unsigned int threads, struct MHD_Daemon **d)
{
	char *cert = NULL, *key = NULL;
	unsigned int workers;
	int r;

	if (cfg->tls_cert_path != NULL &&
	    ((cert = read_pem(cfg->tls_cert_path)) == NULL ||
	    (key = read_pem(cfg->tls_key_path)) == NULL)) {
		r = GH_ERR_IO;
		goto out;
	}
	/* The catalogues load once, and every page renders once, before the
	 * daemon starts: a broken template stops serve, not a request. */
	if ((r = page_selfcheck()) != GH_OK || (r = page_desk_check()) != GH_OK ||
	    (r = page_org_set(cfg->org_name, cfg->org_contact,
	    cfg->privacy_url)) != GH_OK ||
	    (r = page_logo_set(cfg->org_logo, cfg->org_logo_len)) != GH_OK)
		goto out;
	/* pepper_load explains a wrong file itself; a missing one, we do. */
	if ((r = pepper_load(cfg->pepper_path, 0, &ctx->pepper)) != GH_OK) {
		if (r == GH_ERR_NOT_FOUND)
			log_error("%s: no pepper file: run gehoord init, or "
			    "restore it from its backup", cfg->pepper_path);
		goto out;
	}
	ctx->base_url = cfg->base_url;
	ctx->signals_k = cfg->signals_k ? cfg->signals_k : STORE_K_DEFAULT;
	if ((r = ctx_login_init(ctx, cfg->session_idle_s ?
	    cfg->session_idle_s : SESSION_IDLE_S)) != GH_OK)
		goto out;
	if ((r = reporter_ctx_init(ctx, cfg->db_path,
	    cfg->is_report_links_required, cfg->reports_per_min ?
	    cfg->reports_per_min : REPORTS_PER_MIN)) != GH_OK)
		goto out;
	if ((r = survey_resume_init(ctx)) != GH_OK)
		goto out;
	/* Hashing workers: half the request threads, at least one, at most
	 * PWPOOL_WORKERS_MAX (pwpool.h says why half). Reading connections:
	 * one per request thread and hashing worker (a worker holds one
	 * while it hashes), and two to spare. */
	workers = threads / 2;
	if (workers < 1)
		workers = 1;
	if (workers > PWPOOL_WORKERS_MAX)
		workers = PWPOOL_WORKERS_MAX;
	if ((r = ctx_init(ctx, cfg->db_path, threads + workers + 2)) !=
	    GH_OK ||
	    (r = writer_start(cfg->db_path, &ctx->writer)) != GH_OK ||
	    (r = pwpool_new(workers, PWPOOL_QUEUE_MAX, &ctx->pwpool)) !=
	    GH_OK ||
	    (r = retain_job_start(cfg->db_path, &ctx->retain_job)) != GH_OK)
		goto out;
	if ((r = console_ctx_init(ctx, cfg->survey_defs_dir)) != GH_OK)
		goto out;
	if ((*d = start_daemon(ctx, cfg, threads, cert, key)) == NULL) {
		log_error("cannot listen on %s port %u%s", cfg->listen_host,
		    (unsigned int)cfg->port, cert != NULL ?
		    " (or the TLS certificate and key do not fit)" : "");
		r = GH_ERR_IO;
		goto out;
	}
	r = GH_OK;
out:
	sodium_free(key);
	sodium_free(cert);
	return r;
}

/*
 * Gives up what serving does not need, once the socket is bound and every
 * file is open: root (for --user), then every system call outside the
 * allow-list. The files SQLite creates (WAL, shared memory) exist by now;
 * as root it gives them the database file's owner.
 */
static int
confine(const struct http_config *cfg)
{
	int r;

	if ((r = confine_prepare(cfg->db_path)) != GH_OK)
		return r;
	if (cfg->user != NULL && (r = confine_drop_user(cfg->user, cfg->db_path)) != GH_OK)
		return r;
	if (cfg->is_sandbox_off)
		return GH_OK;
	return confine_seccomp();
}

/* Refuses root without --user; warns loudly about --no-sandbox. */
static int
check_user(const struct http_config *cfg)
{
	if (geteuid() == 0 && cfg->user == NULL && !cfg->is_sandbox_off) {
		log_error("refusing to serve as root without --user");
		return GH_ERR_USAGE;
	}
	if (cfg->is_sandbox_off)
		log_warn("NO SANDBOX: --no-sandbox serves without the "
		    "system-call filter%s. For debugging only; never in "
		    "production.", cfg->user == NULL && geteuid() == 0 ?
		    ", AS ROOT" : "");
	return GH_OK;
}

/*
 * Blocks SIGINT and SIGTERM in every thread started from here on (they are
 * taken by sigwait in http_serve) and ignores SIGPIPE.
 */
static int
block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, set, NULL) != 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		log_error("cannot set up signal handling");
		return GH_ERR_IO;
	}
	return GH_OK;
}

int
http_serve(const struct http_config *cfg)
{
	struct http_ctx ctx;
	struct MHD_Daemon *d = NULL;
	sigset_t set;
	unsigned int threads;
	int r, sig;

	memset(&ctx, 0, sizeof(ctx));
	if ((r = check_user(cfg)) != GH_OK)
		return r;
	ctx.is_https = cfg->tls_cert_path != NULL || cfg->is_behind_proxy;
	threads = cfg->threads ? cfg->threads :
	    (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	/* The cleaning supervisor first: before any thread or secret, and
	 * able to fork, which the confined server then no longer is. */
	if ((r = attach_super_start(cfg->user, &ctx.attach_super)) != GH_OK ||
	    (r = block_signals(&set)) != GH_OK ||
	    (r = start(&ctx, cfg, threads, &d)) != GH_OK ||
	    (r = confine(cfg)) != GH_OK)
		goto out;
	log_info("serving %s on %s port %u with %u threads%s%s%s",
	    cfg->tls_cert_path != NULL ? "HTTPS" : "HTTP",
	    cfg->listen_host, (unsigned int)cfg->port, threads,
	    cfg->user != NULL ? ", as user " : "",
	    cfg->user != NULL ? cfg->user : "",
	    cfg->is_sandbox_off ? ", NOT SANDBOXED" : ", sandboxed");
	sigwait(&set, &sig);
	log_info("stopping: finishing queued submissions and logins");
	atomic_store(&is_stopping, 1);
	r = GH_OK;
out:
	/* Drain the hashing pool and the writer first: they resume every
	 * suspended connection. */
	if (ctx.pwpool != NULL)
		pwpool_stop(ctx.pwpool);
	retain_job_stop(ctx.retain_job);
	if (ctx.writer != NULL)
		writer_stop(ctx.writer);
	if (d != NULL)
		MHD_stop_daemon(d);
	/* After the last answer: it writes the links spent per unit. */
	console_ctx_fini(&ctx);
	pwpool_free(ctx.pwpool);
	ctx_fini(&ctx);
	reporter_ctx_fini(&ctx);
	survey_resume_fini(&ctx);
	/* After every connection: it closes descriptors of the database. */
	writer_free(ctx.writer);
	pepper_free(ctx.pepper);
	/* Confined, the server may not wait for a child: it closes the
	 * socket, and the supervisor ends. */
	attach_super_close(ctx.attach_super);
	return r;
}
