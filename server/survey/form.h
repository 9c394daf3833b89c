/*
 * form.h: parser for application/x-www-form-urlencoded request bodies.
 *
 * The body comes from an untrusted client: the parser checks every escape,
 * refuses NUL bytes and enforces the field limits below. Values can hold
 * survey answers, so form_free wipes them before freeing.
 */
#ifndef GH_FORM_H
#define GH_FORM_H

#include <stddef.h>

#include "util/err.h"

#define FORM_MAX_BODY	((size_t)64 * 1024)	/* bytes in a request body */
#define FORM_MAX_FIELDS	512		/* name=value pairs */
#define FORM_MAX_NAME	64		/* bytes in a decoded field name */

struct form_field {
	char	*name;		/* decoded, NUL-terminated */
	char	*value;		/* decoded, NUL-terminated, no interior NUL */
	size_t	 value_len;
};

struct form {
	struct form_field	*fields;	/* in body order; names repeat */
	size_t			 n;
};

/*
 * Parses len bytes of body (need not be NUL-terminated) into *out (free
 * with form_free). '+' decodes to a space and %XX to its byte. Returns
 * GH_OK; GH_ERR_INVALID for a bad %-escape, an encoded NUL or an empty
 * name; GH_ERR_TOO_LARGE for more than FORM_MAX_FIELDS fields, a name over
 * FORM_MAX_NAME or a body over FORM_MAX_BODY; GH_ERR_NOMEM.
 */
int form_parse(const char *body, size_t len, struct form **out) GH_WUR;

/* Returns the first value of field name, or NULL. */
const char *form_get(const struct form *f, const char *name);

/* Wipes every name and value, then frees the form; accepts NULL. */
void form_free(struct form *f);

#endif
