/*
 * route_report_sealed.h: POST /melden (and /melden/l/LINK) of a report
 * sealed in the browser (report/report_sealed.h): the form's script
 * posts sealed=1 and the sealed values instead of the answers. Called by
 * route_report.c; implemented in route_report_sealed.c. Internal to
 * server/http/.
 */
#ifndef GH_HTTP_ROUTE_REPORT_SEALED_H
#define GH_HTTP_ROUTE_REPORT_SEALED_H

#include "http/http_int.h"
#include "store/store_report.h"
#include "survey/form.h"

/*
 * Checks and stores the sealed report of form f (owned from here on),
 * posted to action with the link's hashes (or NULL). once is the form's
 * one-time key, already claimed (NULL: none): given back if nothing is
 * stored. A malformed post gets 422 naming the field, nothing stored.
 */
enum MHD_Result route_report_sealed(struct req *rq, const char *action,
    const struct store_token_key *link, struct form *f, const char *once);

#endif
