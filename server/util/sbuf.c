/*
 * sbuf.c: the wiping secret buffer (see sbuf.h).
 *
 * Entry points: sbuf_new, sbuf_add/sbuf_puts, sbuf_data, sbuf_free. Data
 * path: bytes -> sbuf_reserve (malloc new block -> copy -> wipe old ->
 * free old) -> appended -> sbuf_free (wipe all of cap -> free). The
 * capacity doubles, so a buffer of n bytes has been copied O(n) times in
 * all, and each old copy is wiped before it goes back to the allocator.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/sbuf.h"

struct sbuf {
	char	*data;	/* NUL-terminated once allocated */
	size_t	 len;
	size_t	 cap;
	int	 is_failed;
};

struct sbuf *
sbuf_new(void)
{
	return calloc(1, sizeof(struct sbuf));
}

static int
sbuf_reserve(struct sbuf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->is_failed)
		return -1;
	if (extra > ((size_t)-1) / 4 - b->len) {
		b->is_failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if ((p = malloc(ncap)) == NULL) {
		b->is_failed = 1;
		return -1;
	}
	if (b->data != NULL)
		memcpy(p, b->data, b->len + 1);
	gh_freezero(b->data, b->cap);
	b->data = p;
	b->cap = ncap;
	return 0;
}

void
sbuf_add(struct sbuf *b, const void *s, size_t len)
{
	if (sbuf_reserve(b, len) != 0)
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

const char *
sbuf_data(const struct sbuf *b)
{
	return b->data != NULL ? b->data : "";
}

size_t
sbuf_len(const struct sbuf *b)
{
	return b->len;
}

int
sbuf_is_failed(const struct sbuf *b)
{
	return b->is_failed;
}

void
sbuf_free(struct sbuf *b)
{
	if (b == NULL)
		return;
	gh_freezero(b->data, b->cap);
	free(b);
}

void
gh_freezero(void *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}
