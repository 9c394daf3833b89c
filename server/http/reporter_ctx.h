/*
 * reporter_ctx.h: setting up and tearing down what the reporter's routes
 * share in struct http_ctx (ctx.h). Implemented in reporter_ctx.c.
 * Internal to server/http/.
 */
#ifndef GH_REPORTER_CTX_H
#define GH_REPORTER_CTX_H

#include "http/ctx.h"

/*
 * Loads the acknowledgement key DB.ack.sign (before the sandbox), makes
 * the limiters of receipt logins and of new reports (per address, and
 * per_min a minute from all clients), and checks that every reporter
 * page renders. Returns GH_OK or an error (logged).
 */
int reporter_ctx_init(struct http_ctx *c, const char *db_path,
    int is_links_required, unsigned int per_min) GH_WUR;

/* Frees and wipes what reporter_ctx_init made; accepts a zeroed ctx. */
void reporter_ctx_fini(struct http_ctx *c);

#endif
