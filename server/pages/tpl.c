/*
 * tpl.c: fills {{name}} and {{{name}}} placeholders of an embedded web/
 * template (see tpl.h).
 *
 * Entry point: tpl_render. It copies the text between placeholders to the
 * output, reads each placeholder's name, looks the name up in the caller's
 * variables (a linear search: a template has a handful) and appends the
 * value escaped or raw. Templates are parsed on every call; they are small
 * and the parse is one pass.
 */
#include <string.h>

#include "pages/assets.h"
#include "pages/tpl.h"
#include "util/log.h"

static const struct tpl_var *
tpl_lookup(const struct tpl_var *vars, const char *name, size_t len)
{
	const struct tpl_var *v;

	for (v = vars; v != NULL && v->name != NULL; v++)
		if (strncmp(v->name, name, len) == 0 && v->name[len] == '\0')
			return v;
	return NULL;
}

static int
tpl_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Returns the first "{{" in [p, end), or NULL. */
static const char *
tpl_find_open(const char *p, const char *end)
{
	while (p < end && (p = memchr(p, '{', (size_t)(end - p))) != NULL) {
		if (end - p >= 2 && p[1] == '{')
			return p;
		p++;
	}
	return NULL;
}

/*
 * Renders the placeholder that starts at p (at "{{") and returns how many
 * bytes of the template it took, or 0 after logging why it is wrong.
 */
static size_t
tpl_placeholder(struct buf *out, const char *tname, const char *start,
    const char *p, const char *end, const struct tpl_var *vars)
{
	const struct tpl_var *v;
	const char *name;
	size_t braces, len;
	int is_raw;

	is_raw = (end - p >= 3 && p[2] == '{');
	braces = is_raw ? 3 : 2;
	name = p + braces;
	for (len = 0; name + len < end && tpl_is_name_char(name[len]); len++)
		;
	if (len == 0 || len > TPL_MAX_NAME ||
	    (size_t)(end - (name + len)) < braces ||
	    strncmp(name + len, "}}}", braces) != 0) {
		log_error("template %s: malformed placeholder at byte %zu",
		    tname, (size_t)(p - start));
		return 0;
	}
	if ((v = tpl_lookup(vars, name, len)) == NULL) {
		log_error("template %s: unknown placeholder %.*s", tname,
		    (int)len, name);
		return 0;
	}
	if ((v->is_raw != 0) != is_raw) {
		log_error("template %s: placeholder %.*s is %s in the "
		    "template but %s in the code", tname, (int)len, name,
		    is_raw ? "raw" : "escaped", v->is_raw ? "raw" : "escaped");
		return 0;
	}
	if (v->value != NULL) {
		if (is_raw)
			buf_puts(out, v->value);
		else
			buf_html(out, v->value);
	}
	return braces + len + braces;
}

int
tpl_render(struct buf *out, const char *asset_name,
    const struct tpl_var *vars)
{
	const struct web_asset *a;
	const char *start, *p, *end, *open;
	size_t used;
	int r = GH_ERR_INVALID;

	if ((a = web_asset_find(asset_name)) == NULL) {
		log_error("template %s: not found in web/",
		    asset_name != NULL ? asset_name : "(null)");
		goto out;
	}
	start = p = (const char *)a->data;
	end = p + a->len;
	while (p < end) {
		open = tpl_find_open(p, end);
		if (open == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		if ((used = tpl_placeholder(out, asset_name, start, open,
		    end, vars)) == 0)
			goto out;
		p = open + used;
	}
	r = buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
out:
	return r;
}
