/*
 * report_attach_list.h: the attachments of a report as a page lists
 * them: on the desk's report page (opened with the report key, linked to
 * their downloads) and on the reporter's conversation (opened with the
 * reply key; names, kinds, sizes and who sent them, each with a
 * download button). Each is opened to read its name,
 * kind and size and the content wiped at once; rendered by
 * pages/attach_list.h. Implemented in report_attach_list.c.
 */
#ifndef GH_HTTP_REPORT_ATTACH_LIST_H
#define GH_HTTP_REPORT_ATTACH_LIST_H

#include <stdint.h>

#include "store/store_report.h"
#include "survey/def.h"
#include "util/buf.h"

/* Whose copy of each file is opened. */
enum attach_reader { ATTACH_FOR_DESK, ATTACH_FOR_REPORTER };

/*
 * Appends the list of report id's attachments to out: who's blobs opened
 * with pk and sk, each linked to "HREF?a=AID" (href NULL: not linked),
 * or with hidden (the reporter's hidden form fields; NULL: none) a
 * download button each; the desk's files marked so. A file that does
 * not open is left out (logged without anything of it). GH_OK or an
 * error.
 */
int report_attach_list(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    enum attach_reader who, const uint8_t pk[32], const uint8_t *sk,
    enum def_lang lang, const char *href, const char *hidden,
    struct buf *out) GH_WUR;

#endif
