/*
 * report_case.c: the desk's casework on a report (report_case.h),
 * without HTTP. route_desk_case.c and route_desk_report.c parse each
 * request, call one function here and render what it returns.
 *
 * Entry points: report_case_ref_parse, _ref_text, _find (the case
 * reference), report_case_file (forms and grounds as lists),
 * report_case_status (closing with outcome and measures),
 * report_case_desk_users, _assign, _note, _notes_open, _notes_free,
 * report_case_is_new, report_filter_parse, report_filter_match. Data
 * path of a write: the row read (missing or withdrawn refused first) ->
 * every input checked against the one category table
 * (report/category.h) -> the store calls (store/store_case.h). A note's
 * text is sealed to the report's public key in sodium_malloc memory and
 * wiped; nothing here logs a text, a name or an id.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "report/category.h"
#include "report/report_case.h"
#include "report/report_conv.h"
#include "report/report_crypto.h"
#include "store/store_user.h"

/* Reads id's row: GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn), GH_OK. */
static int
live_row(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct report_row *row)
{
	int r;

	memset(row, 0, sizeof(*row));
	if ((r = store_report_get(s, id, row)) == GH_OK &&
	    row->status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	return r;
}

static int
is_live(struct store *s, const uint8_t id[REPORT_ID_BYTES])
{
	struct report_row row;
	int r;

	r = live_row(s, id, &row);
	store_report_row_clear(&row);
	return r;
}

int
report_case_ref_parse(const char *in, char ref[REPORT_REF_LEN + 1])
{
	size_t n = 0;

	ref[0] = '\0';
	if (in == NULL)
		return GH_ERR_INVALID;
	for (; *in != '\0'; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (!isxdigit((unsigned char)*in) || n == REPORT_REF_LEN)
			return GH_ERR_INVALID;
		ref[n++] = (char)toupper((unsigned char)*in);
	}
	ref[n] = '\0';
	return n == REPORT_REF_LEN ? GH_OK : GH_ERR_INVALID;
}

void
report_case_ref_text(const char *ref, char out[REPORT_REF_TEXT_LEN + 1])
{
	out[0] = '\0';
	if (ref == NULL || strlen(ref) != REPORT_REF_LEN)
		return;
	snprintf(out, REPORT_REF_TEXT_LEN + 1, "%.4s-%.4s", ref, ref + 4);
}

int
report_case_find(struct store *s, const char *typed,
    uint8_t id[REPORT_ID_BYTES])
{
	char ref[REPORT_REF_LEN + 1];

	if (report_case_ref_parse(typed, ref) != GH_OK)
		return GH_ERR_INVALID;
	return store_case_by_ref(s, ref, id);
}

/* Checks values[0..n) against list which: GH_OK or GH_ERR_INVALID. */
static int
all_valid(enum report_cat which, const char *const *values, size_t n)
{
	size_t i;

	if (n > STORE_CASE_MAX_TAGS)
		return GH_ERR_INVALID;
	for (i = 0; i < n; i++)
		if (!report_cat_is_valid(which, values[i]))
			return GH_ERR_INVALID;
	return GH_OK;
}

int
report_case_file(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *const *forms, size_t nf, const char *const *grounds,
    size_t ng, const char *unit, const char **field)
{
	int r;

	if ((r = is_live(s, id)) != GH_OK)
		return r;
	if (unit != NULL && unit[0] == '\0')
		unit = NULL;
	*field = "form";
	if (all_valid(REPORT_CAT_FORM, forms, nf) != GH_OK)
		return GH_ERR_INVALID;
	*field = "ground";
	if (all_valid(REPORT_CAT_GROUND, grounds, ng) != GH_OK)
		return GH_ERR_INVALID;
	*field = "unit";
	if (unit != NULL && !report_cat_is_valid(REPORT_CAT_UNIT, unit))
		return GH_ERR_INVALID;
	*field = NULL;
	if ((r = store_case_set_tags(s, id, "form", forms, nf)) != GH_OK ||
	    (r = store_case_set_tags(s, id, "ground", grounds, ng)) != GH_OK)
		return r;
	/* The single columns keep the first value: the council's figures
	 * and the signals still read them. */
	return store_report_set_category(s, id, nf > 0 ? forms[0] : "",
	    ng > 0 ? grounds[0] : "", unit, NULL);
}

/* Closes report id after cl was checked: the message, then the rest. */
static int
close_case(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct report_close *cl, const char **problem)
{
	const char *lead = cl->outcome_text != NULL ? cl->outcome_text : "";
	size_t cap = strlen(lead) + strlen(cl->text) + 3;
	char *msg;
	int r;

	if ((msg = sodium_malloc(cap)) == NULL)
		return GH_ERR_NOMEM;
	snprintf(msg, cap, "%s%s%s", lead, lead[0] != '\0' ? "\n\n" : "",
	    cl->text);
	/* The outcome goes to the reporter first: a report is never
	 * closed without telling them. */
	r = report_conv_desk_post(s, id, "text", msg, 1, problem);
	sodium_memzero(msg, cap);
	sodium_free(msg);
	if (r != GH_OK)
		return r;
	if ((r = store_case_set_tags(s, id, "measure", cl->measures,
	    cl->n_measures)) != GH_OK ||
	    (r = store_report_set_category(s, id, NULL, NULL, NULL,
	    cl->measures[0])) != GH_OK ||
	    (r = store_case_set_outcome(s, id, cl->outcome)) != GH_OK)
		return r;
	return store_report_set_status(s, id, REPORT_CLOSED, store_today());
}

int
report_case_status(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *status, const struct report_close *cl,
    const char **problem)
{
	enum report_status to;
	int r;

	*problem = NULL;
	if ((r = is_live(s, id)) != GH_OK)
		return r;
	if (status == NULL)
		return GH_ERR_INVALID;
	if (strcmp(status, "acknowledged") == 0)
		to = REPORT_ACKNOWLEDGED;
	else if (strcmp(status, "in_progress") == 0)
		to = REPORT_IN_PROGRESS;
	else if (strcmp(status, "closed") == 0)
		to = REPORT_CLOSED;
	else
		return GH_ERR_INVALID;
	if (to != REPORT_CLOSED)
		return store_report_set_status(s, id, to, store_today());
	if (cl == NULL || !report_cat_is_valid(REPORT_CAT_OUTCOME,
	    cl->outcome)) {
		*problem = "desk.status.need_result";
		return GH_ERR_INVALID;
	}
	if (cl->n_measures == 0 || all_valid(REPORT_CAT_MEASURE,
	    cl->measures, cl->n_measures) != GH_OK) {
		*problem = "desk.status.need_measure";
		return GH_ERR_INVALID;
	}
	if (cl->text == NULL || cl->text[0] == '\0' ||
	    strspn(cl->text, " \t\r\n") == strlen(cl->text)) {
		*problem = "desk.status.need_outcome";
		return GH_ERR_INVALID;
	}
	return close_case(s, id, cl, problem);
}

/* Passes enabled desk users on to the caller's fn. */
struct users_arg {
	int	(*fn)(void *, const struct report_desk_user *);
	void	*arg;
	int64_t	 want;		/* report_case_assign: the id sought */
	int	 is_found;
};

static int
user_each(void *arg, const struct user_row *u)
{
	struct users_arg *ua = arg;
	struct report_desk_user du;

	if (u->role != USER_DESK)
		return GH_OK;
	if (ua->fn == NULL) {
		/* report_case_assign: only an enabled user takes a case. */
		ua->is_found |= u->id == ua->want && !u->is_disabled;
		return GH_OK;
	}
	memset(&du, 0, sizeof(du));
	du.id = u->id;
	snprintf(du.name, sizeof(du.name), "%s", u->name);
	du.is_disabled = u->is_disabled;
	return ua->fn(ua->arg, &du);
}

int
report_case_desk_users(struct store *s,
    int (*fn)(void *arg, const struct report_desk_user *u), void *arg)
{
	struct users_arg ua = { fn, arg, -1, 0 };

	return store_user_foreach(s, user_each, &ua);
}

int
report_case_assign(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *user)
{
	struct users_arg ua = { NULL, NULL, -1, 0 };
	char *end;
	long long v;
	int r;

	if ((r = is_live(s, id)) != GH_OK)
		return r;
	if (user == NULL || user[0] == '\0')
		return store_case_set_assigned(s, id, -1);
	v = strtoll(user, &end, 10);
	if (*end != '\0' || v < 0)
		return GH_ERR_INVALID;
	ua.want = v;
	if ((r = store_user_foreach(s, user_each, &ua)) != GH_OK)
		return r;
	if (!ua.is_found)
		return GH_ERR_INVALID;
	return store_case_set_assigned(s, id, v);
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int
report_case_note(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, const char *text, const char **problem)
{
	struct report_row row;
	uint8_t *sealed = NULL;
	size_t len = text != NULL ? strlen(text) : 0, sealed_len = 0;
	int r;

	if ((r = live_row(s, id, &row)) != GH_OK)
		goto out;
	if (len == 0 || strspn(text, " \t\r\n") == len ||
	    utf8_chars(text) > REPORT_NOTE_MAX_CHARS || len > REPORT_TEXT_MAX) {
		*problem = "desk.note.empty";
		r = GH_ERR_INVALID;
		goto out;
	}
	/* Sealed as the desk's copy of a message: to the report's key. */
	if ((r = report_seal(&sealed, &sealed_len, text, len,
	    (int64_t)time(NULL), row.report_pk)) != GH_OK)
		goto out;
	r = store_case_note_add(s, id, user_id, store_today(), sealed,
	    sealed_len);
out:
	free(sealed);
	store_report_row_clear(&row);
	return r;
}

/* Opens each note into the growing list. */
struct notes_arg {
	struct report_case_notes	*out;
	const uint8_t			*pk, *sk;
};

static int
note_each(void *arg, const struct store_note *n)
{
	struct notes_arg *na = arg;
	struct report_case_note *v, *e;

	v = realloc(na->out->v, (na->out->n + 1) * sizeof(*v));
	if (v == NULL)
		return GH_ERR_NOMEM;
	na->out->v = v;
	e = &v[na->out->n++];
	memset(e, 0, sizeof(*e));
	e->seq = n->seq;
	e->user_id = n->user_id;
	e->day = n->day;
	/* One that does not open is shown as such, not fatal. */
	if (report_open(&e->plain, n->sealed, n->sealed_len, na->pk,
	    na->sk) != GH_OK)
		report_plain_clear(&e->plain);
	return GH_OK;
}

int
report_case_notes_open(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const uint8_t report_pk[32], const uint8_t *report_sk,
    struct report_case_notes *out)
{
	struct notes_arg na = { out, report_pk, report_sk };
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = store_case_notes(s, id, note_each, &na)) != GH_OK)
		report_case_notes_free(out);
	return r;
}

void
report_case_notes_free(struct report_case_notes *out)
{
	size_t i;

	if (out == NULL)
		return;
	for (i = 0; i < out->n; i++)
		report_plain_clear(&out->v[i].plain);
	free(out->v);
	out->v = NULL;
	out->n = 0;
}

int
report_case_is_new(const struct store_case *c)
{
	return c->last_reporter_seq > c->read_seq;
}

static int
parse_status(const char *v, int *status)
{
	static const char *const names[] = {
		"received", "acknowledged", "in_progress", "closed",
		"withdrawn", "second_opinion",
	};
	size_t i;

	if (v == NULL || v[0] == '\0') {
		*status = -1;
		return GH_OK;
	}
	if (strcmp(v, "open") == 0) {
		*status = -2;
		return GH_OK;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(v, names[i]) == 0) {
			*status = (int)i;
			return GH_OK;
		}
	}
	return GH_ERR_INVALID;
}

/* A list value of a filter: NULL or "" is any. */
static int
parse_cat(enum report_cat which, const char *v, const char **out)
{
	*out = v != NULL && v[0] != '\0' ? v : NULL;
	return *out == NULL || report_cat_is_valid(which, *out) ? GH_OK :
	    GH_ERR_INVALID;
}

int
report_filter_parse(struct report_filter *f, const char *status,
    const char *form, const char *ground, const char *due,
    const char *who, int64_t me, const char **field)
{
	memset(f, 0, sizeof(*f));
	f->me = me;
	*field = "status";
	if (parse_status(status, &f->status) != GH_OK)
		return GH_ERR_INVALID;
	*field = "form";
	if (parse_cat(REPORT_CAT_FORM, form, &f->form) != GH_OK)
		return GH_ERR_INVALID;
	*field = "ground";
	if (parse_cat(REPORT_CAT_GROUND, ground, &f->ground) != GH_OK)
		return GH_ERR_INVALID;
	*field = "due";
	if (due == NULL || due[0] == '\0')
		f->due = FILTER_DUE_ANY;
	else if (strcmp(due, "overdue") == 0)
		f->due = FILTER_DUE_OVERDUE;
	else if (strcmp(due, "week") == 0)
		f->due = FILTER_DUE_WEEK;
	else
		return GH_ERR_INVALID;
	*field = "assigned";
	if (who == NULL || who[0] == '\0')
		f->who = FILTER_WHO_ANY;
	else if (strcmp(who, "me") == 0)
		f->who = FILTER_WHO_ME;
	else if (strcmp(who, "nobody") == 0)
		f->who = FILTER_WHO_NOBODY;
	else
		return GH_ERR_INVALID;
	*field = NULL;
	return GH_OK;
}

/* Looks for tag kind = value among report id's tags. */
struct tag_find {
	const char	*kind, *value;
	int		 is_found;
};

static int
tag_each(void *arg, const char *kind, const char *value)
{
	struct tag_find *tf = arg;

	if (strcmp(kind, tf->kind) == 0 && strcmp(value, tf->value) == 0)
		tf->is_found = 1;
	return GH_OK;
}

static int
has_tag(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *kind, const char *value, int *is_found)
{
	struct tag_find tf = { kind, value, 0 };
	int r;

	r = store_case_tags(s, id, tag_each, &tf);
	*is_found = tf.is_found;
	return r;
}

int
report_filter_match(struct store *s, const struct report_filter *f,
    const struct report_row *row, const struct store_case *c,
    int64_t urgency, int *is_match)
{
	int st = (int)row->status, r;

	*is_match = 0;
	if (f->status == -2 && (st == REPORT_CLOSED ||
	    st == REPORT_WITHDRAWN))
		return GH_OK;
	if (f->status >= 0 && st != f->status)
		return GH_OK;
	if (f->due == FILTER_DUE_OVERDUE && urgency >= 0)
		return GH_OK;
	if (f->due == FILTER_DUE_WEEK && (urgency < 0 || urgency > 7))
		return GH_OK;
	if (f->who == FILTER_WHO_ME && c->assigned_to != f->me)
		return GH_OK;
	if (f->who == FILTER_WHO_NOBODY && c->assigned_to >= 0)
		return GH_OK;
	if (f->form != NULL && ((r = has_tag(s, row->id, "form", f->form,
	    is_match)) != GH_OK || !*is_match))
		return r;
	*is_match = 0;
	if (f->ground != NULL && ((r = has_tag(s, row->id, "ground",
	    f->ground, is_match)) != GH_OK || !*is_match))
		return r;
	*is_match = 1;
	return GH_OK;
}
