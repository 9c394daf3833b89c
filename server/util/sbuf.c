/*
 * sbuf.c: the wiping secret buffer (see sbuf.h), an opaque struct buf.
 *
 * Entry points: sbuf_new, sbuf_add/sbuf_puts, sbuf_data, sbuf_free. The
 * growth and the wiping are buf's (util/buf.c: allocate a new block, copy,
 * wipe and free the old one; wipe all of it on free); sbuf only hides the
 * fields, so that a secret's buffer is never handed on as plain output.
 */
#include <stdlib.h>

#include "util/buf.h"
#include "util/sbuf.h"

struct sbuf {
	struct buf	b;
};

struct sbuf *
sbuf_new(void)
{
	return calloc(1, sizeof(struct sbuf));
}

void
sbuf_add(struct sbuf *sb, const void *s, size_t len)
{
	buf_add(&sb->b, s, len);
}

void
sbuf_puts(struct sbuf *sb, const char *s)
{
	buf_puts(&sb->b, s);
}

const char *
sbuf_data(const struct sbuf *sb)
{
	return sb->b.data != NULL ? sb->b.data : "";
}

size_t
sbuf_len(const struct sbuf *sb)
{
	return sb->b.len;
}

int
sbuf_is_failed(const struct sbuf *sb)
{
	return buf_is_failed(&sb->b);
}

void
sbuf_free(struct sbuf *sb)
{
	if (sb == NULL)
		return;
	buf_free(&sb->b);
	free(sb);
}
