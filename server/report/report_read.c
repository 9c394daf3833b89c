/*
 * report_read.c: a report's conversation opened for the desk or the
 * reporter (report_read.h).
 *
 * Entry points: report_read, report_read_free. Data path:
 * store_report_messages (seq order) -> each message: the reader's sealed
 * copy -> report_open with the reader's key pair -> the list; then the
 * desk's questions, and its proposals that no later consent given or
 * refused names (report_conv_answers), are marked open.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_conv.h"
#include "report/report_read.h"
#include "util/log.h"

struct reading {
	struct report_read	*rd;
	enum report_reader	 who;
	const uint8_t		*pk, *sk;
};

static int
grow(struct report_read *rd)
{
	size_t cap = rd->cap ? rd->cap * 2 : 16;
	struct report_read_msg *m;

	if ((m = realloc(rd->msgs, cap * sizeof(*m))) == NULL)
		return GH_ERR_NOMEM;
	rd->msgs = m;
	rd->cap = cap;
	return GH_OK;
}

/* store_report_messages callback: opens one message for the reader. */
static int
add(void *arg, const struct report_msg *m)
{
	struct reading *rg = arg;
	struct report_read *rd = rg->rd;
	struct report_read_msg *out;
	const uint8_t *blob;
	size_t len;

	if (rd->n == rd->cap && grow(rd) != GH_OK)
		return GH_ERR_NOMEM;
	out = &rd->msgs[rd->n];
	memset(out, 0, sizeof(*out));
	out->seq = m->seq;
	out->author = m->author;
	out->kind = m->kind;
	out->day = m->day;
	blob = rg->who == REPORT_READER_DESK ? m->for_desk : m->for_reporter;
	len = rg->who == REPORT_READER_DESK ? m->for_desk_len :
	    m->for_reporter_len;
	if (report_open(&out->plain, blob, len, rg->pk, rg->sk) != GH_OK) {
		report_plain_clear(&out->plain);
		memset(&out->plain, 0, sizeof(out->plain));
		if (rg->who == REPORT_READER_DESK)
			log_warn("a report message does not open with its key");
	}
	rd->n++;
	return GH_OK;
}

/* Marks the desk's questions, and its proposals not yet answered, open. */
static void
mark_open(struct report_read *rd)
{
	size_t i, j;

	for (i = 0; i < rd->n; i++) {
		struct report_read_msg *a = &rd->msgs[i];

		if (a->author != REPORT_BY_DESK ||
		    (a->kind != REPORT_MSG_QUESTION &&
		    a->kind != REPORT_MSG_CONSENT_ASK))
			continue;
		a->is_open = 1;
		if (a->kind == REPORT_MSG_QUESTION)
			continue;
		for (j = i + 1; j < rd->n; j++) {
			const struct report_read_msg *b = &rd->msgs[j];

			if (report_conv_answers(b->kind, b->plain.text, a->seq))
				a->is_open = 0;
		}
	}
}

int
report_read(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum report_reader who, const uint8_t pk[REPORT_PK_BYTES],
    const uint8_t *sk, struct report_read *out)
{
	struct reading rg = { out, who, pk, sk };
	int r;

	if ((r = store_report_messages(s, id, add, &rg)) != GH_OK)
		return r;
	mark_open(out);
	return GH_OK;
}

void
report_read_free(struct report_read *rd)
{
	size_t i;

	for (i = 0; i < rd->n; i++)
		report_plain_clear(&rd->msgs[i].plain);
	free(rd->msgs);
	memset(rd, 0, sizeof(*rd));
}
