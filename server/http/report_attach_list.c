/*
 * report_attach_list.c: a report's attachments on the desk's report page
 * and the reporter's conversation (report_attach_list.h). Entry point:
 * report_attach_list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/report_attach_list.h"
#include "pages/attach_list.h"
#include "report/attach_seal.h"
#include "store/store_attach.h"
#include "store/store_reply_file.h"
#include "util/log.h"

struct lister {
	enum attach_reader	 who;
	const uint8_t		*pk;
	const uint8_t		*sk;
	struct page_attach	*files;
	size_t			 n;
	size_t			 cap;
};

static int
list_one(const struct store_attach *a, const struct store_attach_from *from,
    void *arg)
{
	struct lister *l = arg;
	struct attach_plain p = { 0 };
	struct page_attach *nf;
	int r;

	if ((r = attach_open(&p, l->who == ATTACH_FOR_DESK ? a->for_desk :
	    a->for_reporter, l->who == ATTACH_FOR_DESK ? a->for_desk_len :
	    a->for_reporter_len, l->pk, l->sk)) != GH_OK) {
		log_error("an attachment does not open: %s", gh_err_str(r));
		return GH_OK;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		if ((nf = realloc(l->files, l->cap * sizeof(*nf))) == NULL) {
			attach_plain_clear(&p);
			return GH_ERR_NOMEM;
		}
		l->files = nf;
	}
	nf = &l->files[l->n];
	sodium_bin2hex(nf->id, sizeof(nf->id), a->id, ATTACH_ID_BYTES);
	nf->mime = attach_type_mime(p.type);
	nf->len = p.len;
	nf->is_by_desk = from->author == REPORT_BY_DESK;
	nf->name = p.name;	/* taken over */
	p.name = NULL;
	l->n++;
	attach_plain_clear(&p);
	return GH_OK;
}

int
report_attach_list(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum attach_reader who, const uint8_t pk[32], const uint8_t *sk,
    enum def_lang lang, const char *href, const char *hidden,
    struct buf *out)
{
	struct lister l = { who, pk, sk, NULL, 0, 0 };
	size_t i;
	int r;

	r = store_attach_each_from(s, id, list_one, &l);
	if (r == GH_OK && hidden != NULL)
		r = page_attach_list_forms(out, lang, hidden, l.files, l.n);
	else if (r == GH_OK)
		r = page_attach_list(out, lang, href, l.files, l.n);
	for (i = 0; i < l.n; i++)
		free(l.files[i].name);
	free(l.files);
	return r;
}
