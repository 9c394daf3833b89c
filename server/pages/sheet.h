/*
 * sheet.h: the two outputs of a token batch, the only places the
 * plaintext tokens ever exist: a CSV of links for mail merge, and a
 * printable A4 HTML sheet of tear-off cards, each with the link as a QR
 * code (inline SVG, libqrencode), the link written out, and in Dutch and
 * English how to use it and the same privacy text as the survey's
 * welcome page (what is stored, who sees what, the link works once).
 */
#ifndef GH_SHEET_H
#define GH_SHEET_H

#include <stdio.h>

#include "survey/def.h"
#include "util/err.h"

/*
 * Writes the CSV (header "link", then one link per line, CRLF line ends
 * as RFC 4180 says) for n links to f. Returns GH_OK or GH_ERR_IO.
 */
int sheet_write_csv(FILE *f, const char *const *links, size_t n) GH_WUR;

/*
 * As sheet_write_csv with a first column: header "unit,link", then unit
 * (quoted as needed) and a link per line. For the console's mail merge.
 */
int sheet_write_csv_unit(FILE *f, const char *const *links, size_t n,
    const char *unit) GH_WUR;

/*
 * Writes the printable sheet for n links to f. title names the survey and
 * unit (may be NULL) the batch's organisational unit; both are escaped. k
 * is the wave's smallest published group, which the privacy text states.
 * The QR code encodes the link in upper case (alphanumeric mode). Loads
 * the message catalogues (page_init) if they are not loaded yet. Returns
 * GH_OK, GH_ERR_IO, GH_ERR_NOMEM, or GH_ERR_INVALID if a link cannot be
 * encoded, k < 1 or a catalogue is broken.
 */
int sheet_write_cards(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k) GH_WUR;

/* Who runs the survey and until when, for the cards; each may be empty. */
struct sheet_org {
	const char		*name;	/* the organisation, or NULL */
	struct def_date		 closes; /* the wave's last day; y 0: none */
	const char		*contact; /* who to ask (letters), or NULL */
};

/*
 * As sheet_write_cards, and each card also names the organisation and
 * says until when the survey is open (in Dutch and English), as far as
 * org (may be NULL) gives them.
 */
int sheet_write_cards_org(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k,
    const struct sheet_org *org) GH_WUR;

/*
 * As sheet_write_cards_org, as letters: one A4 page per link with the
 * organisation, the wave's last day, the contact (org->contact), the QR
 * code and the link typed out (web/letter_*.html). The same renderer and
 * texts as the cards; for the console's letters per unit.
 */
int sheet_write_letters(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k,
    const struct sheet_org *org) GH_WUR;

/*
 * As sheet_write_cards with k = STORE_K_MIN, the smallest k any wave can
 * have, so the card never claims more than is true. For callers that do
 * not pass the wave's k yet (gehoord tokens issue).
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
