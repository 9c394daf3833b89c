/*
 * console_accounts.h: what the console's two account route files
 * share (route_console_accounts.c: the page and the actions that need
 * no password; route_console_account_add.c: adding an account and
 * confirming a coordinator, which hash a new password on the hashing
 * pool). Internal to server/http/.
 */
#ifndef GH_HTTP_CONSOLE_ACCOUNTS_H
#define GH_HTTP_CONSOLE_ACCOUNTS_H

#include "http/http_int.h"
#include "http/router.h"
#include "pages/console_accounts.h"

/* Whether name is a login name: 1..64 of [A-Za-z0-9._@-], as the CLI's. */
int console_account_name_is_ok(const char *name);

/*
 * Sends the accounts page with status: the accounts and proposals read
 * now, cv's extras (may be NULL), and notice key (NULL: none). a's view
 * gives the coordinator and the form token.
 */
enum MHD_Result console_accounts_send(struct req *rq,
    const struct http_auth *a, unsigned int status, const char *notice,
    int is_error, const struct console_accounts_view *extra);

#endif
