/*
 * csv.c: one field of a CSV row (release.h: release_csv_field), RFC 4180
 * quoting: a field with a comma, quote or line break is quoted, its
 * quotes doubled. Its callers (codebook.c, freetext.c, labels.c,
 * release_out.c) call down to it.
 */
#include <string.h>

#include "release/release.h"

void
release_csv_field(struct buf *b, const char *s, int is_last)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
	} else {
		buf_puts(b, "\"");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				buf_puts(b, "\"");	/* doubled */
			buf_add(b, p, 1);
		}
		buf_puts(b, "\"");
	}
	buf_puts(b, is_last ? "\r\n" : ",");
}
