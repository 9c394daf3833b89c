/*
 * attach_image.c: pictures decoded and written anew by libvips, without
 * any metadata (see attach_clean.h).
 *
 * Entry points: attach_image_init (once, before the worker confines
 * itself: libvips loads its modules, such as HEIF, then), then
 * attach_image_clean: the loader of the sniffed kind reads only the
 * header; the size is checked against the pixel limits before a single
 * pixel is decoded; the picture is turned upright by its orientation tag
 * (that tag goes with the rest); the saver writes it with "strip", which
 * leaves out every metadata block (EXIF, XMP, IPTC, ICC profile,
 * comments); a thumbnail is never written since only the decoded pixels
 * are. A truncated file is an error, not a grey half picture.
 *
 * Why libvips and not GraphicsMagick: each format has a named loader
 * (no guessing among dozens of coders), untrusted loaders can be blocked
 * as a whole, it decodes lazily so that the header can be checked first,
 * and Debian's build reads HEIC.
 */
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "report/attach_int.h"
#include "util/log.h"

#define JPEG_QUALITY	90

/* libvips's warnings may quote the file: they go nowhere. */
static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)arg;
}

int
attach_image_init(void)
{
	if (VIPS_INIT("gehoord") != 0) {
		log_error("libvips could not be initialised");
		return GH_ERR_IO;
	}
	/* Loaders marked untrusted (ImageMagick, ...) are never used. */
	vips_block_untrusted_set(TRUE);
	g_log_set_default_handler(quiet, NULL);
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	return GH_OK;
}

static int
load(enum attach_in kind, const uint8_t *in, size_t n, VipsImage **img)
{
	void *buf = (void *)in;	/* libvips only reads it */

	switch (kind) {
	case ATTACH_IN_JPEG:
		return vips_jpegload_buffer(buf, n, img, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	case ATTACH_IN_PNG:
		return vips_pngload_buffer(buf, n, img, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	case ATTACH_IN_HEIC:
		return vips_heifload_buffer(buf, n, img, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	case ATTACH_IN_PDF:
		break;
	}
	return -1;
}

static int
save(VipsImage *img, enum attach_in kind, void **buf, size_t *len,
    enum attach_type *type)
{
	if (kind == ATTACH_IN_PNG) {
		*type = ATTACH_PNG;
		return vips_pngsave_buffer(img, buf, len, "strip", TRUE, NULL);
	}
	*type = ATTACH_JPEG;
	return vips_jpegsave_buffer(img, buf, len, "strip", TRUE, "Q",
	    JPEG_QUALITY, NULL);
}

enum attach_refusal
attach_image_clean(enum attach_in kind, const uint8_t *in, size_t n,
    uint8_t **out, size_t *outlen, enum attach_type *type)
{
	VipsImage *img = NULL, *up = NULL;
	void *buf = NULL;
	size_t len = 0;
	unsigned long long w, h;
	enum attach_refusal why = ATTACH_REFUSE_DECODE;

	if (load(kind, in, n, &img) != 0)
		goto out;
	w = (unsigned long long)vips_image_get_width(img);
	h = (unsigned long long)vips_image_get_height(img);
	if (w == 0 || h == 0 || w > ATTACH_SIDE_MAX || h > ATTACH_SIDE_MAX ||
	    w * h > ATTACH_PIXELS_MAX) {
		why = ATTACH_REFUSE_PIXELS;
		goto out;
	}
	if (vips_autorot(img, &up, NULL) != 0 ||
	    save(up, kind, &buf, &len, type) != 0)
		goto out;
	if ((*out = malloc(len)) == NULL) {
		why = ATTACH_REFUSE_MEMORY;
		goto out;
	}
	memcpy(*out, buf, len);
	*outlen = len;
	why = ATTACH_OK;
out:
	/* libvips's message may quote the file; it is not logged. */
	vips_error_clear();
	g_free(buf);
	if (up != NULL)
		g_object_unref(up);
	if (img != NULL)
		g_object_unref(img);
	return why;
}
