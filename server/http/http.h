/*
 * http.h: the web server (libmicrohttpd): respondents' surveys, reporters'
 * reports and follow-ups, the desk, and researchers' downloads.
 *
 * One epoll thread pool serves every request; no handler blocks on disk:
 * a submission is sealed on the request thread and handed to the writer
 * thread, and the connection is suspended until its batch is durable.
 * Password hashing (Argon2id: logins, receipt logins, new reports) runs
 * on a bounded pool of its own in the same way (pwpool.h), so a flood of
 * those never holds up a survey page or submission.
 * Nothing identifying is logged: no address, no path, no timing.
 */
#ifndef GH_HTTP_H
#define GH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct http_config {
	const char	*db_path;
	const char	*pepper_path;
	const char	*listen_host;	/* numeric IPv4 or IPv6 address */
	uint16_t	 port;
	unsigned int	 threads;	/* request threads; 0: one per core */
	const char	*user;		/* switch to this user once bound */
	const char	*tls_cert_path;	/* PEM; with tls_key_path: HTTPS */
	const char	*tls_key_path;
	int		 is_behind_proxy; /* TLS ends at a reverse proxy */
	int		 is_sandbox_off; /* no seccomp filter: debugging only */
	unsigned int	 session_idle_s; /* desk/researcher idle timeout; 0:
					    SESSION_IDLE_S */
	int		 signals_k;	/* desk signals: k; 0: STORE_K_DEFAULT */
	int		 is_report_links_required; /* /melden needs a link */
	unsigned int	 reports_per_min; /* new reports a minute, from all
					    clients; 0: REPORTS_PER_MIN */
	/* Who runs it, on every page (page_org_set); each may be NULL. */
	const char	*org_name;
	const char	*org_contact;
	const char	*privacy_url;
	/* The logo, checked by the caller (page_logo_check); NULL: none. */
	const unsigned char *org_logo;
	size_t		 org_logo_len;
	/* The console's instruments: survey definitions here; NULL: none. */
	const char	*survey_defs_dir;
	/* The server's address for links issued in the console; NULL: the
	 * console issues none. Checked by the caller. */
	const char	*base_url;
};

/* New reports a minute from all clients together, unless configured. */
#define REPORTS_PER_MIN		600

/*
 * Serves until SIGINT or SIGTERM, then finishes the writer's queue and
 * returns GH_OK; or returns an error if it cannot start (logged).
 * Files are read and the socket bound first; then the process switches
 * to cfg->user (if set) and installs the system-call filter (unless
 * is_sandbox_off): see confine.h. Started as root, it returns
 * GH_ERR_USAGE at once unless user is set or is_sandbox_off. With TLS
 * or is_behind_proxy every response carries Strict-Transport-Security.
 */
int http_serve(const struct http_config *cfg) GH_WUR;

#endif
