/*
 * desk.h: the pages of the reporting desk and the login page, rendered
 * from web/login.html and web/desk*.html (page_desk.c,
 * page_desk_report.c), and the desk's category lists (page_desk_cat.c).
 *
 * The route computes everything (days as text, states, the opened
 * messages); these functions only render, escaping every value. Texts
 * come from the "desk.*" and "login.*" keys of the catalogues.
 */
#ifndef GH_PAGES_DESK_H
#define GH_PAGES_DESK_H

#include <stddef.h>
#include <stdint.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

#define DESK_DAY_LEN	10	/* "2026-11-25" */
#define DESK_ID_LEN	32	/* a report id in hex */
#define DESK_CAT_MAX	64
#define DESK_UNIT_MAX	100	/* as REPORT_MAX_UNIT */

/* What a login page says above the form. */
enum login_notice {
	LOGIN_NOTICE_NONE,
	LOGIN_NOTICE_FAILED,
	LOGIN_NOTICE_LIMITED,
	LOGIN_NOTICE_BUSY,
	LOGIN_NOTICE_EXPIRED,
	LOGIN_NOTICE_LOGGED_OUT,
	LOGIN_NOTICE_FORGED,	/* no valid login form token (403) */
};

/* A step of a report's clock as shown (deadline.h's states). */
enum desk_clock {
	DESK_CLOCK_NOT_YET, DESK_CLOCK_DUE, DESK_CLOCK_OVERDUE, DESK_CLOCK_DONE
};
#define DESK_STEPS 4	/* acknowledgement, feedback, aftercare 1 and 3 */

struct desk_step {
	enum desk_clock	state;
	char		due[DESK_DAY_LEN + 1];
};

/* A report as the inbox and its page show it (no text). */
struct desk_item {
	char		 id[DESK_ID_LEN + 1];
	int		 status;		/* enum report_status */
	char		 received[DESK_DAY_LEN + 1];
	char		 status_day[DESK_DAY_LEN + 1];
	struct desk_step step[DESK_STEPS];
	char		 form[DESK_CAT_MAX + 1];
	char		 ground[DESK_CAT_MAX + 1];
	char		 unit[DESK_UNIT_MAX + 1];
	char		 measure[DESK_CAT_MAX + 1];
};

/* One opened message; text is NULL when it could not be opened. */
struct desk_msg {
	int64_t		 seq;			/* a reply starts "#SEQ\n" */
	int		 is_by_desk;
	int		 kind;			/* enum report_msg_kind */
	char		 day[DESK_DAY_LEN + 1];
	const char	*text;
	size_t		 text_len;
};

/* What every desk page needs. */
struct desk_page {
	enum def_lang	 lang;
	const char	*user;
	const char	*csrf;
	const char	*here;		/* this page's path, for the lang link */
	const char	*notice_key;	/* a message key to show first, or NULL */
	int		 is_notice_error;
};

struct desk_unit_count {
	char		unit[DESK_UNIT_MAX + 1];
	int64_t		n;
};

enum desk_cat { DESK_CAT_FORM, DESK_CAT_GROUND, DESK_CAT_UNIT,
	DESK_CAT_MEASURE };

/* Returns 1 if id is an option of list which (as in melding.json). */
int desk_cat_is_valid(enum desk_cat which, const char *id);

/* Returns the NULL-terminated option ids of list which. */
const char *const *desk_cat_ids(enum desk_cat which);

/* The label of option id of list which in lang (the id if unknown). */
const char *desk_cat_label(enum def_lang lang, enum desk_cat which,
    const char *id);

/* Checks the desk's message keys and renders every desk page once. */
int page_desk_check(void) GH_WUR;

/*
 * The login page: the name kept (may be NULL), a notice, and the form's
 * token csrf (login CSRF; see route_login.c) in a hidden field.
 */
int page_login(struct buf *out, enum def_lang lang, const char *name,
    enum login_notice notice, const char *csrf) GH_WUR;

/* The inbox: items in the order to show. */
int page_desk_inbox(struct buf *out, const struct desk_page *p,
    const struct desk_item *items, size_t n) GH_WUR;

/* One report: its clock, categories, conversation and the forms. */
int page_desk_report(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const struct desk_msg *msgs, size_t n)
    GH_WUR;

/* The signals: units with at least k reports, and how many are hidden. */
int page_desk_signals(struct buf *out, const struct desk_page *p,
    const struct desk_unit_count *units, size_t n, size_t n_hidden, int k)
    GH_WUR;

/* A short page with the "desk.forbidden.*" texts. */
int page_desk_forbidden(struct buf *out, enum def_lang lang) GH_WUR;

/* Appends the navigation of a desk page (internal to the desk pages). */
int page_desk_nav(struct buf *out, const struct desk_page *p) GH_WUR;

/* Appends the running and done steps of it's clock as list items. */
int page_desk_clock(struct buf *out, enum def_lang lang,
    const struct desk_item *it) GH_WUR;

/* Wraps content in the layout with title (+ " - gehoord"). */
int page_desk_finish(struct buf *out, enum def_lang lang, const char *title,
    struct buf *content) GH_WUR;

/* Appends the text of key with mark (e.g. "{d}") replaced by value. */
void page_desk_msg_d(struct buf *b, enum def_lang lang, const char *key,
    const char *mark, const char *value);

/* The text of a status (enum report_status) in lang. */
const char *page_desk_status(enum def_lang lang, int status);

#endif
