/*
 * reporter_ctx.c: the reporter's share of the server context: the
 * acknowledgement signing key and the rate limiters (reporter_ctx.h).
 *
 * Limits: Argon2id takes RECEIPT_KDF_MEMLIMIT (32 MiB) per run, on the
 * hashing pool (pwpool.h), which bounds how many run at once. Receipt
 * logins with an unknown code (a right code, a typo or a wrong shape
 * gives its attempt back: route_report_follow.c): a burst of
 * REPORT_RL_BURST per address, then
 * REPORT_RL_PER_MIN a minute (ratelimit.h); a reporter needs a few.
 * New reports: REPORT_NEW_PER_MIN a minute per address (a burst of as
 * many), and the configured number a minute from all clients together
 * (a burst of as many). The per-address limit is generous because many
 * employees share one address (the organisation's NAT or proxy): it is
 * far above what any office reports in a minute, and still stops one
 * address from taking the whole budget. The global one bounds what a
 * flood from many addresses costs (one Argon2id and one durable write
 * per report) and what lands on the desk; receipt logins have limiters
 * of their own, so a flood of reports never blocks a reporter's
 * follow-up. The one-time keys of the reporter's forms (report_once.h)
 * live here too.
 */
#include <stdio.h>

#include "crypto/signkey.h"
#include "http/ratelimit.h"
#include "http/report_once.h"
#include "http/reporter_ctx.h"
#include "pages/report.h"
#include "util/log.h"

#define REPORT_RL_BURST		10
#define REPORT_RL_PER_MIN	6
#define REPORT_NEW_PER_MIN	30

int
reporter_ctx_init(struct http_ctx *c, const char *db_path,
    int is_links_required, unsigned int per_min)
{
	char path[4096];
	int r;

	c->is_report_links_required = is_links_required;
	if ((r = signkey_path(path, sizeof(path), db_path, "ack")) != GH_OK)
		return r;
	if ((r = signkey_load(path, &c->ack_sk, c->ack_pk)) != GH_OK) {
		if (r == GH_ERR_NOT_FOUND)
			log_error("%s: no acknowledgement key: run gehoord "
			    "init", path);
		return r;
	}
	if ((r = ratelimit_new(REPORT_RL_BURST, REPORT_RL_PER_MIN,
	    &c->report_rl)) != GH_OK ||
	    (r = ratelimit_new(REPORT_NEW_PER_MIN, REPORT_NEW_PER_MIN,
	    &c->report_addr_rl)) != GH_OK ||
	    (r = ratelimit_new_global(per_min, per_min,
	    &c->report_all_rl)) != GH_OK ||
	    (r = onces_new(&c->report_once)) != GH_OK)
		return r;
	return page_report_selfcheck();
}

void
reporter_ctx_fini(struct http_ctx *c)
{
	signkey_free(c->ack_sk);
	c->ack_sk = NULL;
	ratelimit_free(c->report_rl);
	c->report_rl = NULL;
	ratelimit_free(c->report_addr_rl);
	c->report_addr_rl = NULL;
	ratelimit_free(c->report_all_rl);
	c->report_all_rl = NULL;
	onces_free(c->report_once);
	c->report_once = NULL;
}
