/*
 * report_desk.h: the desk's bookkeeping of a report, without HTTP: its
 * categories, and the aftercare contacts that stop the clocks of
 * report/deadline.h (the status and closing are report_case.h's). Each
 * function reads the report first: a missing one is GH_ERR_NOT_FOUND and
 * a withdrawn one GH_ERR_CLOSED, before any input is looked at. Implemented in report_desk.c.
 */
#ifndef GH_REPORT_DESK_H
#define GH_REPORT_DESK_H

#include <stdint.h>

#include "store/store_report.h"

/*
 * Files report id under form, ground and unit: each NULL or "" leaves
 * that category as it is, and any other value must be an id of its list
 * (report/category.h). Returns GH_OK, GH_ERR_INVALID, or as above.
 */
int report_desk_category(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *form, const char *ground, const char *unit) GH_WUR;

/*
 * Records today's aftercare contact which ("1" or "3": months after
 * closing) for report id. Before the contact's due day it is recorded
 * only when is_confirmed (the desk confirmed it on purpose). Returns
 * GH_OK; GH_ERR_INVALID (another value); GH_ERR_CLOSED with *problem
 * set (the report is not closed, or it is early and not confirmed); or
 * as above.
 */
int report_desk_aftercare(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *which, int is_confirmed, const char **problem) GH_WUR;

/*
 * For an action the desk does not have: GH_ERR_CLOSED if report id is
 * withdrawn, else GH_ERR_NOT_FOUND (or a store error). Changes nothing.
 */
int report_desk_unknown(struct store *s, const uint8_t id[REPORT_ID_BYTES])
    GH_WUR;

#endif
