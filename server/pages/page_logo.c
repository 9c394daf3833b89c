/*
 * page_logo.c: the organisation's logo (serve --org-logo): checked once
 * when serve starts, kept in memory, shown in the header of every page
 * (page.c: site_brand_logo.html) and served at /logo (http/response.c).
 *
 * Entry points: page_logo_check says whether bytes are a logo gehoord
 * takes (a PNG, or an SVG document; at most PAGE_LOGO_MAX bytes) and
 * which type; page_logo_set keeps a copy before serving; page_logo_get
 * hands it to the request threads, which only read it.
 *
 * An SVG is not searched for scripts (a filter of that kind is easy to
 * get wrong): /logo is served with a policy of its own that forbids
 * every script and runs the image as a sandbox (response.c), and in an
 * <img> a browser runs no script of an SVG at all.
 */
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "survey/text.h"

static unsigned char	*page_logo_data;
static size_t		 page_logo_len;
static const char	*page_logo_type;

static const unsigned char png_magic[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

/* Returns 1 if the first bytes of data hold "<svg" (after a prologue). */
static int
is_svg(const unsigned char *data, size_t len)
{
	char head[PAGE_LOGO_SNIFF + 1];
	size_t n = len < PAGE_LOGO_SNIFF ? len : PAGE_LOGO_SNIFF;

	memcpy(head, data, n);
	head[n] = '\0';
	return strstr(head, "<svg") != NULL;
}

const char *
page_logo_check(const unsigned char *data, size_t len, const char **type)
{
	*type = NULL;
	if (len == 0)
		return "the file is empty";
	if (len > PAGE_LOGO_MAX)
		return "larger than 256 KiB";
	if (len >= sizeof(png_magic) &&
	    memcmp(data, png_magic, sizeof(png_magic)) == 0) {
		*type = "image/png";
		return NULL;
	}
	if (!is_svg(data, len))
		return "not a PNG or SVG image";
	if (memchr(data, '\0', len) != NULL ||
	    survey_utf8_check((const char *)data, len, NULL) != 0)
		return "an SVG image must be UTF-8 text";
	*type = "image/svg+xml";
	return NULL;
}

int
page_logo_set(const unsigned char *data, size_t len)
{
	const char *type;
	unsigned char *copy;

	if (data == NULL)
		return GH_OK;
	if (page_logo_check(data, len, &type) != NULL)
		return GH_ERR_INVALID;
	if ((copy = malloc(len)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(copy, data, len);
	free(page_logo_data);
	page_logo_data = copy;
	page_logo_len = len;
	page_logo_type = type;
	return GH_OK;
}

int
page_logo_get(const unsigned char **data, size_t *len, const char **type)
{
	if (page_logo_data == NULL)
		return GH_ERR_NOT_FOUND;
	*data = page_logo_data;
	*len = page_logo_len;
	*type = page_logo_type;
	return GH_OK;
}
