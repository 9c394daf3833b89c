/*
 * attach_list.h: the list of a report's attachments on a page (the
 * desk's report page, the reporter's conversation): a heading, then per
 * file its name, its kind and its size after cleaning, who sent it (the
 * desk's are marked), linked to its download (the desk) or with a
 * download button (the reporter). Implemented in
 * page_attach_list.c; entry point page_attach_list.
 */
#ifndef GH_PAGES_ATTACH_LIST_H
#define GH_PAGES_ATTACH_LIST_H

#include <stddef.h>

#include "survey/def.h"
#include "util/buf.h"

/* One attachment as listed. */
struct page_attach {
	char		 id[33];	/* hex of the attachment id */
	char		*name;		/* as the reporter named it */
	const char	*mime;		/* its type after cleaning */
	size_t		 len;		/* its bytes after cleaning */
	int		 is_by_desk;	/* sent by the desk with a reply */
};

/*
 * Appends the list of the n files to out, each linked to
 * "HREF?a=ID" (href NULL: not linked), the desk's marked as sent by the
 * desk; nothing when n is 0. GH_OK or GH_ERR_NOMEM.
 */
int page_attach_list(struct buf *out, enum def_lang lang, const char *href,
    const struct page_attach *files, size_t n) GH_WUR;

/*
 * As page_attach_list for the reporter: each file with a download button
 * in a form posted to /melden/volg (action "file", field "a": the id)
 * carrying the hidden fields hidden (the receipt: never in a URL).
 */
int page_attach_list_forms(struct buf *out, enum def_lang lang,
    const char *hidden, const struct page_attach *files, size_t n) GH_WUR;

/* The error summary of a refused file: one link, the field's label, to
 * field_id, and text after it; nothing when text is NULL. */
int page_file_error_summary(struct buf *out, const char *field_id,
    const char *label, const char *text, const char *heading,
    const char *not_stored) GH_WUR;

#endif
