/*
 * attach_clean.c: which cleaner a file goes to (see attach_clean.h).
 *
 * Entry points: attach_clean_init, attach_clean, attach_refusal_str,
 * attach_type_mime. The type is decided by the file's first bytes, never
 * by its name or the browser's word for it, and each type goes to its own
 * decoder (attach_image.c, attach_pdf.c).
 */
#include <stdlib.h>
#include <string.h>

#include "report/attach_int.h"

const char *
attach_refusal_str(enum attach_refusal why)
{
	switch (why) {
	case ATTACH_OK:
		return "cleaned";
	case ATTACH_REFUSE_TYPE:
		return "not a JPEG, PNG, HEIC or PDF file";
	case ATTACH_REFUSE_SIZE:
		return "empty, or larger than 10 MB";
	case ATTACH_REFUSE_PIXELS:
		return "the picture has too many pixels (more than 40 million)";
	case ATTACH_REFUSE_DECODE:
		return "the file is damaged or incomplete and cannot be read";
	case ATTACH_REFUSE_ENCRYPTED:
		return "the PDF is protected by a password or encrypted";
	case ATTACH_REFUSE_TIME:
		return "reading the file took too long";
	case ATTACH_REFUSE_MEMORY:
		return "reading the file needed too much memory or failed";
	case ATTACH_REFUSE_INTERNAL:
		return "the file could not be checked now; try again later";
	}
	return "refused";
}

const char *
attach_type_mime(enum attach_type type)
{
	switch (type) {
	case ATTACH_JPEG:
		return "image/jpeg";
	case ATTACH_PNG:
		return "image/png";
	case ATTACH_PDF:
		return "application/pdf";
	}
	return "application/octet-stream";
}

int
attach_clean_init(void)
{
	return attach_image_init();
}

/* ISO base media (HEIF) brands of HEIC pictures, at offset 8. */
static int
is_heic(const uint8_t *in, size_t n)
{
	static const char *const brands[] = { "heic", "heix", "heim",
	    "heis", "mif1", "msf1" };
	size_t i;

	if (n < 12 || memcmp(in + 4, "ftyp", 4) != 0)
		return 0;
	for (i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
		if (memcmp(in + 8, brands[i], 4) == 0)
			return 1;
	return 0;
}

static enum attach_in
sniff(const uint8_t *in, size_t n)
{
	if (n >= 3 && in[0] == 0xff && in[1] == 0xd8 && in[2] == 0xff)
		return ATTACH_IN_JPEG;
	if (n >= 8 && memcmp(in, "\x89PNG\r\n\x1a\n", 8) == 0)
		return ATTACH_IN_PNG;
	if (n >= 5 && memcmp(in, "%PDF-", 5) == 0)
		return ATTACH_IN_PDF;
	if (is_heic(in, n))
		return ATTACH_IN_HEIC;
	return 0;
}

enum attach_refusal
attach_clean(const uint8_t *in, size_t n, uint8_t **out, size_t *outlen,
    enum attach_type *type)
{
	enum attach_refusal why;
	enum attach_in kind;

	*out = NULL;
	*outlen = 0;
	if (n == 0 || n > ATTACH_FILE_MAX)
		return ATTACH_REFUSE_SIZE;
	if ((kind = sniff(in, n)) == 0)
		return ATTACH_REFUSE_TYPE;
	if (kind == ATTACH_IN_PDF) {
		*type = ATTACH_PDF;
		why = attach_pdf_clean(in, n, out, outlen);
	} else {
		why = attach_image_clean(kind, in, n, out, outlen, type);
	}
	if (why == ATTACH_OK && *outlen > ATTACH_FILE_MAX) {
		free(*out);
		*out = NULL;
		*outlen = 0;
		why = ATTACH_REFUSE_SIZE;
	}
	return why;
}
