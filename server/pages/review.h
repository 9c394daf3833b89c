/*
 * review.h: the pages of second opinions (page_review.c): a reviewer's
 * list of the reports sent to them and one such report with the form for
 * their opinion, and on the desk's side the link on a report's page and
 * the page that sends a report to a reviewer. Rendered from
 * web/review_*.html and web/desk_review_send.html with the "review.*"
 * texts; the route computes everything, these functions only render,
 * escaping every value.
 */
#ifndef GH_PAGES_REVIEW_H
#define GH_PAGES_REVIEW_H

#include <stddef.h>

#include "pages/desk.h"

#define REVIEW_REF_LEN	8

/* A report as a reviewer's list and page show it. */
struct review_item {
	struct desk_item	 d;
	char			 ref[REVIEW_REF_LEN + 1];	/* "" if none */
	char			 sent[DESK_DAY_LEN + 1];
};

/* The reports sent to the reviewer of p, in the order to show. */
int page_review_list(struct buf *out, const struct desk_page *p,
    const struct review_item *items, size_t n) GH_WUR;

/* One report sent to the reviewer: its conversation and the form. */
int page_review_case(struct buf *out, const struct desk_page *p,
    const struct review_item *it, const struct desk_msg *msgs, size_t n)
    GH_WUR;

/*
 * The part of a desk's report page about second opinions: when the
 * reporter asked for one (status second opinion), a link to the page
 * that sends the report to a reviewer. Appends nothing otherwise.
 */
int page_review_send_link(struct buf *out, const struct desk_page *p,
    const struct desk_item *it) GH_WUR;

/*
 * The page that sends report it to a reviewer: a choice of the enabled
 * reviewers names[0..n-1], and the names sent[0..n_sent-1] it was sent
 * to already.
 */
int page_review_send(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const char *const *names, size_t n,
    const char *const *sent, size_t n_sent) GH_WUR;

#endif
