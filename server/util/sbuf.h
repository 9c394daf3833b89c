/*
 * sbuf.h: a growable byte buffer for secrets (plaintext answers, report
 * texts, live tokens), after OpenSSH's sshbuf.
 *
 * It is struct buf (util/buf.h) behind an opaque type: the same growth by
 * allocate-copy-wipe-free (never realloc, which can leave the old block
 * unwiped in the heap) and the same wipe on free, with the fields hidden
 * so that a secret's buffer is not handed on as plain output by mistake.
 * The blocks are ordinary heap, not sodium_malloc: a guarded, locked
 * allocation per growth would cost a system call each time, and what
 * matters here is that no copy outlives the buffer. Appends never fail
 * visibly: on allocation failure the buffer is marked failed, further
 * appends are ignored, and sbuf_is_failed() tells the caller once at the
 * end.
 */
#ifndef GH_SBUF_H
#define GH_SBUF_H

#include <stddef.h>

#include "util/err.h"
#include "util/util.h"	/* gh_freezero, for sbuf's users */

struct sbuf;

/* Returns a new, empty buffer, or NULL if out of memory; sbuf_free frees. */
struct sbuf *sbuf_new(void);
/* Appends len bytes of s; the contents stay NUL-terminated. */
void sbuf_add(struct sbuf *b, const void *s, size_t len);
/* Appends a NUL-terminated string. */
void sbuf_puts(struct sbuf *b, const char *s);
/* Returns the contents (NUL-terminated; "" when empty), owned by b. */
const char *sbuf_data(const struct sbuf *b);
/* Returns the number of bytes appended. */
size_t sbuf_len(const struct sbuf *b);
/* Returns non-zero if an append failed for lack of memory. */
int sbuf_is_failed(const struct sbuf *b);
/* Wipes the whole allocation and frees it and b; accepts NULL. */
void sbuf_free(struct sbuf *b);

#endif
