/*
 * attach_int.h: the parts of the cleaner (attach_clean.c sniffs the type
 * and calls one of these). Not an API outside server/report/attach_*.c.
 */
#ifndef GH_REPORT_ATTACH_INT_H
#define GH_REPORT_ATTACH_INT_H

#include "report/attach_clean.h"

/* The kinds of file the cleaner takes in. */
enum attach_in {
	ATTACH_IN_JPEG = 1,
	ATTACH_IN_PNG,
	ATTACH_IN_HEIC,
	ATTACH_IN_PDF,
};

/* attach_image.c: libvips set up for untrusted input. GH_OK/GH_ERR_IO. */
int attach_image_init(void) GH_WUR;

/* attach_image.c: decodes an image of kind and re-encodes it with no
 * metadata; *out is malloc'd on ATTACH_OK. */
enum attach_refusal attach_image_clean(enum attach_in kind,
    const uint8_t *in, size_t n, uint8_t **out, size_t *outlen,
    enum attach_type *type) GH_WUR;

/* attach_pdf.c: rewrites a PDF without its metadata; *out is malloc'd
 * on ATTACH_OK. */
enum attach_refusal attach_pdf_clean(const uint8_t *in, size_t n,
    uint8_t **out, size_t *outlen) GH_WUR;

#endif
