/*
 * session.h: logged-in desk and researcher sessions, held in memory only
 * (a restart logs everyone out). Implemented in session.c.
 *
 * A session is found by the value of its cookie (32 random bytes,
 * base64url), compared in constant time. It carries the user, its role, a
 * CSRF token that every state-changing form must send back, the time of
 * its last use (idle timeout), and for desk users the desk's secret key,
 * unwrapped at login into sodium_malloc memory and wiped at logout or
 * timeout. All functions are thread-safe.
 */
#ifndef GH_SESSION_H
#define GH_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_user.h"
#include "util/err.h"

#define SESSION_COOKIE_LEN	43	/* base64url of 32 bytes, no padding */
#define SESSION_CSRF_LEN	43
#define SESSION_IDLE_S		(15 * 60)
#define SESSION_MAX		256
#define SESSION_PER_USER	8	/* a 9th login ends the least used */

struct sessions;

/* What a request may see of its session (copied out under the lock). */
struct session_view {
	int64_t		user_id;
	char		name[USER_MAX_NAME + 1];
	enum user_role	role;
	int64_t		gen;	/* the account's generation at login */
	char		csrf[SESSION_CSRF_LEN + 1];
};

int sessions_new(struct sessions **out) GH_WUR;

/* Sets the idle timeout in seconds (default SESSION_IDLE_S; at least 1). */
void sessions_set_idle(struct sessions *ss, unsigned int seconds);

/* Wipes every session and its keys; accepts NULL. */
void sessions_free(struct sessions *ss);

/*
 * Starts a session for u; desk_sk (32 bytes: the desk key, a reviewer's
 * own key, or NULL for a researcher) is
 * copied into locked memory. Writes the cookie value into cookie. A user
 * holds at most SESSION_PER_USER sessions: starting one more ends that
 * user's least recently used one. When all SESSION_MAX are live, the
 * least recently used session of the user holding the most is ended, so
 * one account cannot keep others out. GH_OK or GH_ERR_NOMEM.
 */
int session_start(struct sessions *ss, const struct user_row *u,
    const uint8_t *desk_sk, char cookie[SESSION_COOKIE_LEN + 1]) GH_WUR;

/*
 * Looks a cookie value up; an idle session is ended and not found. On
 * GH_OK fills *v and refreshes the session's time.
 */
int session_find(struct sessions *ss, const char *cookie,
    struct session_view *v) GH_WUR;

/* Returns 1 if csrf is the session's token (constant time), else 0. */
int session_csrf_ok(struct sessions *ss, const char *cookie,
    const char *csrf);

/*
 * Calls fn with the session's desk secret key (32 bytes) while holding
 * the session; the key must not be kept. GH_ERR_NOT_FOUND if no session or
 * not a desk session.
 */
int session_with_desk_key(struct sessions *ss, const char *cookie,
    int (*fn)(void *arg, const uint8_t *desk_sk), void *arg) GH_WUR;

/*
 * As session_with_desk_key for a reviewer's session: fn gets the
 * reviewer's own secret key (32 bytes), unwrapped at login. GH_ERR_NOT_FOUND
 * if no session or not a reviewer's.
 */
int session_with_reviewer_key(struct sessions *ss, const char *cookie,
    int (*fn)(void *arg, const uint8_t *reviewer_sk), void *arg) GH_WUR;

/* Ends a session (logout); unknown cookies are ignored. */
void session_end(struct sessions *ss, const char *cookie);

/*
 * Ends every session of user_id (wiping their keys): the account was
 * disabled or removed.
 */
void sessions_end_user(struct sessions *ss, int64_t user_id);

/*
 * Whether the account behind v is still as it was at login: the same id,
 * name and generation, not disabled (store_user_is_current). The router
 * asks this on every request behind a login, so disabling or removing an
 * account (gehoord user) ends its sessions at their next request, in a
 * running server too. 1 yes, 0 no, -1 the database could not be read.
 */
int session_user_is_current(struct store *s, const struct session_view *v);

/* Ends idle sessions; called now and then. */
void sessions_expire(struct sessions *ss);

#endif
