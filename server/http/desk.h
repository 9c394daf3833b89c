/*
 * desk.h: what the desk's routes share (route_desk.c: the inbox and the
 * signals; route_desk_report.c: one report and its actions): page items
 * from report rows, the common part of every desk page, and a report id
 * from a path. Implemented in desk.c, which calls no route. Internal to
 * server/http/.
 */
#ifndef GH_HTTP_DESK_H
#define GH_HTTP_DESK_H

#include <stdint.h>

#include "http/http_int.h"
#include "http/router.h"
#include "pages/desk.h"
#include "store/store_report.h"

/* Fills a page item from a report row as of today (*urgency if not NULL:
 * its clock's sort key, report/deadline.h). */
void desk_item_fill(struct desk_item *it, const struct report_row *row,
    int64_t today, int64_t *urgency);

/* The common part of every desk page, for the session of a. */
void desk_page_init(struct desk_page *p, const struct req *rq,
    const struct http_auth *a, const char *here);

/*
 * Reads the report id of a path "/desk/r/ID..." into id and, lower-case,
 * id_hex. Returns 0, or -1 if url holds no id there.
 */
int desk_report_id(const char *url, uint8_t id[REPORT_ID_BYTES],
    char id_hex[DESK_ID_LEN + 1]);

/* Reads the desk users, disabled ones marked, into *out (malloc'd, *n of
 * them; free). */
int desk_users_load(struct store *s, struct desk_user **out, size_t *n)
    GH_WUR;

/* The name of user id in u[0..n), or "" (gone). */
const char *desk_user_name(const struct desk_user *u, size_t n, int64_t id);

/* Sets it's assignee to user id of u[0..n) (-1: nobody), marked if that
 * user is disabled. */
void desk_item_assign(struct desk_item *it, const struct desk_user *u,
    size_t n, int64_t id);

/*
 * Shows report id to the desk with status; notice_key (or NULL) shown
 * first, as an error from status 400 on; reply_text kept in the reply
 * form and reply_error (a refused file, in words; or NULL) shown by its
 * file field and in an error summary. route_desk_report.c.
 */
enum MHD_Result desk_report_show(struct req *rq, const struct http_auth *a,
    const uint8_t id[REPORT_ID_BYTES], const char *id_hex,
    unsigned int status, const char *notice_key,
    const char *reply_text, const char *reply_error);

/* POST /desk/r/ID/reply without files (route_desk_report.c). */
enum MHD_Result desk_reply_text(struct req *rq, const char *url,
    const struct http_auth *a);

#endif
