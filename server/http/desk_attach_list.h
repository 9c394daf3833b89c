/*
 * desk_attach_list.h: the attachments of a report as the desk's report
 * page lists them: each opened with the report key to read its name,
 * kind and size (the content is wiped at once), rendered by
 * pages/attach_list.h. Implemented in desk_attach_list.c.
 */
#ifndef GH_HTTP_DESK_ATTACH_LIST_H
#define GH_HTTP_DESK_ATTACH_LIST_H

#include <stdint.h>

#include "store/store_report.h"
#include "survey/def.h"
#include "util/buf.h"

/*
 * Appends the list of row's attachments (report_sk opens them) to out,
 * linked to /desk/r/ID_HEX/file. A file that does not open is left out
 * (logged without anything of it). GH_OK or an error.
 */
int desk_attach_list(struct store *s, const struct report_row *row,
    const uint8_t *report_sk, enum def_lang lang, const char *id_hex,
    struct buf *out) GH_WUR;

#endif
