/*
 * page_logo.c: the organisation's logo (serve --org-logo): checked once
 * when serve starts, kept in memory, shown in the header of every page
 * (page.c: site_brand_logo.html) and served at /logo (http/response.c).
 *
 * Entry points: page_logo_check says whether bytes are a logo gehoord
 * takes (a PNG, or an SVG document; at most PAGE_LOGO_MAX bytes) and
 * which type; page_logo_set keeps a copy (before serving, and when a
 * coordinator changes the settings); page_logo_is_set and
 * page_logo_copy give the request threads what they need under the
 * lock, so a logo replaced meanwhile is never read after it is freed.
 *
 * An SVG is not searched for scripts (a filter of that kind is easy to
 * get wrong): /logo is served with a policy of its own that forbids
 * every script and runs the image as a sandbox (response.c), and in an
 * <img> a browser runs no script of an SVG at all.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "survey/text.h"

static unsigned char	*page_logo_data;
static size_t		 page_logo_len;
static const char	*page_logo_type;
static pthread_mutex_t	 page_logo_lock = PTHREAD_MUTEX_INITIALIZER;

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
	const char *type = NULL;
	unsigned char *copy = NULL, *old;

	if (data != NULL) {
		if (page_logo_check(data, len, &type) != NULL)
			return GH_ERR_INVALID;
		if ((copy = malloc(len)) == NULL)
			return GH_ERR_NOMEM;
		memcpy(copy, data, len);
	}
	pthread_mutex_lock(&page_logo_lock);
	old = page_logo_data;
	page_logo_data = copy;
	page_logo_len = copy != NULL ? len : 0;
	page_logo_type = type;
	pthread_mutex_unlock(&page_logo_lock);
	free(old);
	return GH_OK;
}

int
page_logo_is_set(void)
{
	int is_set;

	pthread_mutex_lock(&page_logo_lock);
	is_set = page_logo_data != NULL;
	pthread_mutex_unlock(&page_logo_lock);
	return is_set;
}

int
page_logo_copy(unsigned char **data, size_t *len, const char **type)
{
	int r = GH_OK;

	*data = NULL;
	pthread_mutex_lock(&page_logo_lock);
	if (page_logo_data == NULL)
		r = GH_ERR_NOT_FOUND;
	else if ((*data = malloc(page_logo_len)) == NULL)
		r = GH_ERR_NOMEM;
	else {
		memcpy(*data, page_logo_data, page_logo_len);
		*len = page_logo_len;
		*type = page_logo_type;
	}
	pthread_mutex_unlock(&page_logo_lock);
	return r;
}
