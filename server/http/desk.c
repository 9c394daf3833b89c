/*
 * desk.c: the helpers of the desk's routes (desk.h), below route_desk.c
 * and route_desk_report.c, which both call it and never each other.
 *
 * Entry points: desk_item_fill (a report row -> its clock as of today,
 * report/deadline.h -> the page item, days as text; no text of the
 * report is read), desk_page_init, desk_report_id, desk_users_load,
 * desk_user_name and desk_item_assign (the desk users: the enabled ones a
 * case may be assigned to, and disabled ones who still hold a case or
 * wrote a note).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk.h"
#include "report/deadline.h"
#include "report/report_case.h"
#include "report/report_crypto.h"

_Static_assert(REPORT_MAX_CATEGORY == DESK_CAT_MAX &&
    REPORT_MAX_UNIT == DESK_UNIT_MAX, "a row's fields fit a page item");
_Static_assert(REPORT_REF_TEXT_LEN == DESK_REF_TEXT_LEN &&
    STORE_CASE_OUTCOME_MAX <= DESK_CAT_MAX, "a case fits a page item");
_Static_assert(HTTP_ROUTE_ID_LEN == DESK_ID_LEN &&
    DESK_ID_LEN == 2 * REPORT_ID_BYTES, "a route's id is a report id");

static enum desk_clock
clock_of(enum deadline_state s)
{
	switch (s) {
	case DEADLINE_DUE: return DESK_CLOCK_DUE;
	case DEADLINE_OVERDUE: return DESK_CLOCK_OVERDUE;
	case DEADLINE_DONE: return DESK_CLOCK_DONE;
	case DEADLINE_NOT_YET: break;
	}
	return DESK_CLOCK_NOT_YET;
}

void
desk_item_fill(struct desk_item *it, const struct report_row *row,
    int64_t today, int64_t *urgency)
{
	struct deadline_in in = { row->received_day, row->ack_day,
	    row->feedback_day, row->closed_day, row->aftercare1_day,
	    row->aftercare3_day, row->status == REPORT_WITHDRAWN };
	struct deadline_step st[DEADLINE_STEPS];
	int64_t u;
	int i;

	memset(it, 0, sizeof(*it));
	sodium_bin2hex(it->id, sizeof(it->id), row->id, REPORT_ID_BYTES);
	it->status = (int)row->status;
	report_day_text(it->received, row->received_day);
	report_day_text(it->status_day, row->status_day);
	u = deadline_clock(&in, today, st);
	for (i = 0; i < DESK_STEPS; i++) {
		it->step[i].state = clock_of(st[i].state);
		if (st[i].due >= 0)
			report_day_text(it->step[i].due, st[i].due);
	}
	memcpy(it->form, row->form, sizeof(it->form) - 1);
	memcpy(it->ground, row->ground, sizeof(it->ground) - 1);
	memcpy(it->unit, row->unit, sizeof(it->unit) - 1);
	memcpy(it->measure, row->measure, sizeof(it->measure) - 1);
	report_case_ref_text(row->ref, it->ref);
	/* Retention destroyed it: the keys are gone, the status stays. */
	it->is_expired = row->status != REPORT_WITHDRAWN &&
	    row->sealed_key == NULL;
	if (urgency != NULL)
		*urgency = u;
}

void
desk_page_init(struct desk_page *p, const struct req *rq,
    const struct http_auth *a, const char *here)
{
	memset(p, 0, sizeof(*p));
	p->lang = rq->lang;
	p->user = a->view.name;
	p->csrf = a->view.csrf;
	p->here = here;
}

int
desk_report_id(const char *url, uint8_t id[REPORT_ID_BYTES],
    char id_hex[DESK_ID_LEN + 1])
{
	size_t len = 0;

	if (strncmp(url, "/desk/r/", 8) != 0)
		return -1;
	url += 8;
	if (strlen(url) < DESK_ID_LEN ||
	    (url[DESK_ID_LEN] != '\0' && url[DESK_ID_LEN] != '/'))
		return -1;
	if (sodium_hex2bin(id, REPORT_ID_BYTES, url, DESK_ID_LEN, NULL, &len,
	    NULL) != 0 || len != REPORT_ID_BYTES)
		return -1;
	sodium_bin2hex(id_hex, DESK_ID_LEN + 1, id, REPORT_ID_BYTES);
	return 0;
}

/* Appends each desk user to the list being built. */
struct users_load {
	struct desk_user	*v;
	size_t			 n;
};

static int
user_add(void *arg, const struct report_desk_user *u)
{
	struct users_load *ul = arg;
	struct desk_user *v;

	if ((v = realloc(ul->v, (ul->n + 1) * sizeof(*v))) == NULL)
		return GH_ERR_NOMEM;
	ul->v = v;
	memset(&v[ul->n], 0, sizeof(v[ul->n]));
	v[ul->n].id = u->id;
	memcpy(v[ul->n].name, u->name, sizeof(v[ul->n].name) - 1);
	v[ul->n].is_disabled = u->is_disabled;
	ul->n++;
	return GH_OK;
}

int
desk_users_load(struct store *s, struct desk_user **out, size_t *n)
{
	struct users_load ul = { NULL, 0 };
	int r;

	if ((r = report_case_desk_users(s, user_add, &ul)) != GH_OK) {
		free(ul.v);
		ul.v = NULL;
		ul.n = 0;
	}
	*out = ul.v;
	*n = ul.n;
	return r;
}

const char *
desk_user_name(const struct desk_user *u, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (u[i].id == id)
			return u[i].name;
	return "";
}

void
desk_item_assign(struct desk_item *it, const struct desk_user *u, size_t n,
    int64_t id)
{
	size_t i;

	it->assigned[0] = '\0';
	it->is_assigned_disabled = 0;
	for (i = 0; i < n && id >= 0; i++) {
		if (u[i].id == id) {
			snprintf(it->assigned, sizeof(it->assigned), "%s",
			    u[i].name);
			it->is_assigned_disabled = u[i].is_disabled;
			break;
		}
	}
}
