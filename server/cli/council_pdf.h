/*
 * council_pdf.h: the council's yearly report as a PDF, printed by
 * headless Chromium from the report's HTML (council_pdf.c). Chromium
 * prints the same document the council reads on screen, with its A4
 * print style sheet; no second layout is kept.
 */
#ifndef GH_COUNCIL_PDF_H
#define GH_COUNCIL_PDF_H

#include "util/err.h"

/*
 * Returns the Chromium to run: $GEHOORD_CHROMIUM, else /usr/bin/chromium,
 * if it is an executable file, else NULL.
 */
const char *council_pdf_chromium(void);

/*
 * Prints the HTML file html (an absolute path) to a new file pdf with
 * chromium, in a throw-away profile directory, within two minutes.
 * Returns GH_OK once pdf exists and starts with "%PDF", else GH_ERR_IO
 * (said on stderr).
 */
int council_pdf_print(const char *chromium, const char *html,
    const char *pdf) GH_WUR;

#endif
