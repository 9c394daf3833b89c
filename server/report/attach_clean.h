/*
 * attach_clean.h: removing the metadata of a reporter's file by decoding
 * and re-encoding it, in memory.
 *
 * A file a reporter attaches (a screenshot, a photo, a letter) can carry
 * what identifies them: a GPS position, a camera's serial number, an
 * author's name, an embedded thumbnail of the uncropped picture. The
 * cleaner keeps only the content:
 *  - JPEG, PNG and HEIC are decoded by libvips (each with its own loader
 *    named, never by guessing, and libvips's untrusted loaders blocked),
 *    turned upright by their orientation tag, and written anew without
 *    any metadata block: no EXIF, XMP, IPTC, ICC profile, comment or
 *    thumbnail. JPEG and HEIC come out as JPEG, PNG as PNG.
 *  - PDF is read and rewritten by qpdf without its Info dictionary,
 *    without any XMP stream (/Metadata of the catalogue, of pages and of
 *    images), page-piece data, embedded files, or scripts run on opening;
 *    an encrypted PDF is refused.
 * Anything else is refused. Decoders are where attacks land: run
 * attach_clean only in a confined worker (attach_worker.h), never in the
 * server itself.
 *
 * Entry points: attach_clean_init once in the worker before it confines
 * itself, then attach_clean; attach_refusal_str for a refusal's text.
 */
#ifndef GH_REPORT_ATTACH_CLEAN_H
#define GH_REPORT_ATTACH_CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define ATTACH_FILE_MAX		((size_t)10 * 1024 * 1024)	/* bytes in and out */
#define ATTACH_PIXELS_MAX	(40ULL * 1000 * 1000)	/* decompression bombs */
#define ATTACH_SIDE_MAX		20000	/* pixels along either side */

/* Why a file was refused (0: it was not). */
enum attach_refusal {
	ATTACH_OK = 0,
	ATTACH_REFUSE_TYPE,	/* not a JPEG, PNG, HEIC or PDF */
	ATTACH_REFUSE_SIZE,	/* over ATTACH_FILE_MAX, or empty */
	ATTACH_REFUSE_PIXELS,	/* more pixels than ATTACH_PIXELS_MAX */
	ATTACH_REFUSE_DECODE,	/* damaged or truncated: cannot be read */
	ATTACH_REFUSE_ENCRYPTED,/* a PDF with a password or encryption */
	ATTACH_REFUSE_TIME,	/* the worker ran out of time */
	ATTACH_REFUSE_MEMORY,	/* the worker ran out of memory or crashed */
	ATTACH_REFUSE_INTERNAL,	/* the worker could not be started */
};

/* The kinds of file that come out of the cleaner. */
enum attach_type {
	ATTACH_JPEG = 1,
	ATTACH_PNG,
	ATTACH_PDF,
};

/* Returns the English text of a refusal, for logs and the CLI. */
const char *attach_refusal_str(enum attach_refusal why);

/* Returns the media type ("image/jpeg", ...) of a cleaned file's type. */
const char *attach_type_mime(enum attach_type type);

/*
 * Initialises libvips (loaders loaded, untrusted ones blocked, one
 * thread, no cache) and qpdf's state. Call once per process before the
 * process confines itself. Returns GH_OK or GH_ERR_IO (logged).
 */
int attach_clean_init(void) GH_WUR;

/*
 * Cleans the n bytes at in: on ATTACH_OK, *out is a malloc'd cleaned file
 * of *outlen bytes (caller frees) and *type its kind. Otherwise *out is
 * NULL and the refusal says why.
 */
enum attach_refusal attach_clean(const uint8_t *in, size_t n, uint8_t **out,
    size_t *outlen, enum attach_type *type) GH_WUR;

#endif
