/*
 * form.c: parser for application/x-www-form-urlencoded bodies (form.h).
 *
 * Entry points: form_parse, form_get, form_free. form_parse checks the
 * body as a whole first (size, raw NUL bytes, number of fields), then
 * splits it at '&' and '=' and decodes each name and value into its own
 * heap string. Values may be survey answers: every string is wiped before
 * it is freed, on the error path too, and nothing here logs.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/form.h"

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes len bytes at s ('+' and %XX) into a new NUL-terminated string
 * *out of *out_len bytes (free with wipe_free). Returns GH_OK,
 * GH_ERR_INVALID for a bad escape or %00, or GH_ERR_NOMEM.
 */
static int
decode(const char *s, size_t len, char **out, size_t *out_len)
{
	char *d;
	size_t i, n = 0;
	int hi, lo, r = GH_ERR_NOMEM;

	*out = NULL;
	/* len + 1 > 0: s is a piece of a body of at most FORM_MAX_BODY. */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	if ((d = malloc(len + 1)) == NULL)
		goto out;
	r = GH_ERR_INVALID;
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			d[n++] = ' ';
		else if (s[i] != '%')
			d[n++] = s[i];
		else {
			if (len - i < 3 ||
			    (hi = hex_value((unsigned char)s[i + 1])) < 0 ||
			    (lo = hex_value((unsigned char)s[i + 2])) < 0 ||
			    (hi == 0 && lo == 0))
				goto out;
			d[n++] = (char)(hi << 4 | lo);
			i += 2;
		}
	}
	d[n] = '\0';
	*out = d;
	*out_len = n;
	d = NULL;
	r = GH_OK;
out:
	if (d != NULL) {
		sodium_memzero(d, len + 1);
		free(d);
	}
	return r;
}

/* Splits one "name[=value]" pair of len bytes at p into fld. */
static int
parse_pair(const char *p, size_t len, struct form_field *fld)
{
	const char *eq;
	size_t name_len, n;
	int r;

	eq = memchr(p, '=', len);
	name_len = eq != NULL ? (size_t)(eq - p) : len;
	if (name_len == 0)
		return GH_ERR_INVALID;
	if ((r = decode(p, name_len, &fld->name, &n)) != GH_OK)
		return r;
	if (n > FORM_MAX_NAME)
		return GH_ERR_TOO_LARGE;
	if (eq == NULL)
		return decode("", 0, &fld->value, &fld->value_len);
	return decode(eq + 1, len - name_len - 1, &fld->value,
	    &fld->value_len);
}

int
form_parse(const char *body, size_t len, struct form **out)
{
	struct form *f = NULL;
	const char *amp;
	size_t i, at, n_fields = 0;
	int r = GH_ERR_TOO_LARGE;

	*out = NULL;
	if (len > FORM_MAX_BODY)
		goto out;
	r = GH_ERR_INVALID;
	if (len > 0 && memchr(body, '\0', len) != NULL)
		goto out;
	if (len > 0) {
		n_fields = 1;
		for (i = 0; i < len; i++)
			n_fields += body[i] == '&';
	}
	r = GH_ERR_TOO_LARGE;
	if (n_fields > FORM_MAX_FIELDS)
		goto out;
	r = GH_ERR_NOMEM;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto out;
	if (n_fields > 0 &&
	    (f->fields = calloc(n_fields, sizeof(*f->fields))) == NULL)
		goto out;
	for (at = 0; f->n < n_fields; at += i + 1) {
		amp = memchr(body + at, '&', len - at);
		i = amp != NULL ? (size_t)(amp - (body + at)) : len - at;
		/* Count the field first so that form_free wipes it on error. */
		f->n++;
		if ((r = parse_pair(body + at, i, &f->fields[f->n - 1])) !=
		    GH_OK)
			goto out;
	}
	*out = f;
	f = NULL;
	r = GH_OK;
out:
	form_free(f);
	return r;
}

const char *
form_get(const struct form *f, const char *name)
{
	size_t i;

	if (f == NULL)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}

void
form_free(struct form *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		if (f->fields[i].name != NULL) {
			sodium_memzero(f->fields[i].name,
			    strlen(f->fields[i].name));
			free(f->fields[i].name);
		}
		if (f->fields[i].value != NULL) {
			sodium_memzero(f->fields[i].value,
			    f->fields[i].value_len);
			free(f->fields[i].value);
		}
	}
	free(f->fields);
	free(f);
}
