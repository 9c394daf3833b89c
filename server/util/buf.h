/*
 * buf.h: a growable byte buffer for building HTML, CSV and JSON output.
 *
 * Appends never fail visibly: on allocation failure the buffer is marked
 * failed, further appends are ignored, and buf_is_failed() tells the caller
 * once at the end. Pages hold answers and report texts, so no block is let
 * go unwiped: growth allocates a new block, copies, and wipes and frees the
 * old one (never realloc), and buf_free wipes the whole allocation before
 * freeing it. The blocks are ordinary heap, not locked memory. struct sbuf
 * (util/sbuf.h) is the same guarantee behind an opaque type.
 */
#ifndef GH_BUF_H
#define GH_BUF_H

#include <stddef.h>

struct buf {
	char	*data;	/* always NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

/* Appends len bytes of s. */
void buf_add(struct buf *b, const char *s, size_t len);
/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Appends printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_html(struct buf *b, const char *s);
/* Returns non-zero if an append failed for lack of memory. */
int buf_is_failed(const struct buf *b);
/* Releases the memory and resets the buffer to empty; accepts a zeroed buf. */
void buf_free(struct buf *b);

#endif
