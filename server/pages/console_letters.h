/*
 * console_letters.h: the console's page of links and letters per unit
 * (page_console_letters.c): the form that issues a unit's links as QR
 * letters or a mail-merge CSV, and the form that makes one replacement
 * card. Rendered from web/console_letters*.html with the
 * "console.letters.*" texts; the route (route_console_letters.c) checks
 * and issues, this only renders, escaping every value.
 */
#ifndef GH_PAGES_CONSOLE_LETTERS_H
#define GH_PAGES_CONSOLE_LETTERS_H

#include <stddef.h>
#include <stdint.h>

#include "pages/desk.h"

/* A choice of the forms: an open wave, or a unit with its head count. */
struct console_letters_choice {
	int64_t		 id;		/* a wave's id; 0 for a unit */
	const char	*name;
	int64_t		 head;		/* a unit's head count */
};

/* What the page shows and, after a refusal, gives back. */
struct console_letters_view {
	const struct console_letters_choice	*waves;
	size_t					 n_waves;
	const struct console_letters_choice	*units;
	size_t					 n_units;
	int		 has_base_url;	/* serve --base-url given */
	const char	*error_key;	/* a refusal's message key, or NULL */
	const char	*error_field;	/* the field's id it names */
	const char	*form;		/* "issue" or "replace": which form */
	const char	*wave;		/* the form's values, or NULL */
	const char	*unit;
	const char	*count;
	const char	*format;
	const char	*kind;		/* "links" or "invitations" */
};

/* The page: the notice or refusal of p and v, the two forms. */
int page_console_letters(struct buf *out, const struct desk_page *p,
    const struct console_letters_view *v) GH_WUR;

#endif
