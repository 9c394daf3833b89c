/*
 * tpl.h: the template renderer for the HTML files of web/.
 *
 * A template is an embedded web/ file with placeholders: {{name}} is
 * replaced by a value with HTML escaping, {{{name}}} by a value as it is,
 * for fragments that were rendered from a template already. A raw
 * placeholder takes only a variable marked is_raw, and an escaped one only
 * a variable that is not, so neither the template nor the code alone can
 * turn escaping off. Names are [a-z0-9_]; there is no logic, no loops and
 * no conditionals: the code renders optional parts as fragments.
 */
#ifndef GH_TPL_H
#define GH_TPL_H

#include "util/buf.h"
#include "util/err.h"

#define TPL_MAX_NAME	32	/* characters in a placeholder name */

struct tpl_var {
	const char	*name;		/* NULL ends the array */
	const char	*value;		/* NUL-terminated; NULL renders as "" */
	int		 is_raw;	/* only for {{{name}}}: trusted HTML */
};

/*
 * Appends the template asset_name with vars filled in to out. Returns
 * GH_OK; GH_ERR_INVALID (logged with the template and placeholder) for a
 * missing template, an unknown or malformed placeholder, or a raw/escaped
 * mismatch; GH_ERR_NOMEM if out failed. On error out may hold part of the
 * output.
 */
int tpl_render(struct buf *out, const char *asset_name,
    const struct tpl_var *vars) GH_WUR;

#endif
