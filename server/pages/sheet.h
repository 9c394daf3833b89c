/*
 * sheet.h: the two outputs of a token batch, the only places the
 * plaintext tokens ever exist: a CSV of links for mail merge, and a
 * printable A4 HTML sheet of tear-off cards, each with the link as a QR
 * code (inline SVG, libqrencode), the link written out, and a short
 * instruction in Dutch and English.
 */
#ifndef GH_SHEET_H
#define GH_SHEET_H

#include <stdio.h>

#include "util/err.h"

/*
 * Writes the CSV (header "link", then one link per line, CRLF line ends
 * as RFC 4180 says) for n links to f. Returns GH_OK or GH_ERR_IO.
 */
int sheet_write_csv(FILE *f, const char *const *links, size_t n) GH_WUR;

/*
 * Writes the printable sheet for n links to f. title names the survey and
 * unit (may be NULL) the batch's organisational unit; both are escaped.
 * The QR code encodes the link in upper case (alphanumeric mode). Returns
 * GH_OK, GH_ERR_IO, GH_ERR_NOMEM, or GH_ERR_INVALID if a link cannot be
 * encoded.
 */
int sheet_write_html(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit) GH_WUR;

/*
 * Appends an SVG of the QR code of text (upper-cased first) to out. For
 * tests and the sheet. Returns GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID.
 */
struct buf;
int sheet_qr_svg(struct buf *out, const char *text) GH_WUR;

#endif
