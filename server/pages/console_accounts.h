/*
 * console_accounts.h: the console's accounts and settings pages
 * (page_console_accounts.c, page_console_settings.c): the accounts with
 * their role and state, the forms that add, disable, enable and remove
 * them, the coordinators waiting for a second coordinator, and the
 * instance's settings form. The routes (route_console_accounts.c,
 * route_console_settings.c) decide everything; these only render,
 * escaping every value.
 */
#ifndef GH_PAGES_CONSOLE_ACCOUNTS_H
#define GH_PAGES_CONSOLE_ACCOUNTS_H

#include <stddef.h>

#include "pages/desk.h"

#define CONSOLE_ACCOUNT_NAME_MAX	64

/* An account as the page lists it (never a password or hash). */
struct console_account {
	char		 name[CONSOLE_ACCOUNT_NAME_MAX + 1];
	const char	*role;		/* "desk", "reviewer", ... */
	int		 is_disabled;
	int		 is_self;	/* the coordinator viewing the page */
};

/* A coordinator waiting for confirmation. */
struct console_proposal {
	char	 name[CONSOLE_ACCOUNT_NAME_MAX + 1];
	char	 by[CONSOLE_ACCOUNT_NAME_MAX + 1];
	char	 day[DESK_DAY_LEN + 1];
	int	 is_mine;	/* proposed by the viewer: they cannot confirm */
};

struct console_accounts_view {
	const struct console_account	*users;
	size_t				 n;
	const struct console_proposal	*props;
	size_t				 n_props;
	/* A refused form: the message key and the field's id, or NULL. */
	const char			*error_key;
	const char			*error_field;
	/* The add form's values given back (NULL: empty). */
	const char			*name;
	const char			*role;
	const char			*by;
	const char			*pname;		/* the propose form's */
	/* An account just made and its initial password, shown once. */
	const char			*new_name;
	const char			*new_password;
};

int page_console_accounts(struct buf *out, const struct desk_page *p,
    const struct console_accounts_view *v) GH_WUR;

/* The confirmation step before name is removed. */
int page_console_account_remove(struct buf *out, const struct desk_page *p,
    const char *name, const char *role) GH_WUR;

/* The settings form: values stored or given back (NULL: empty). */
struct console_settings_view {
	const char	*org_name;
	const char	*org_contact;
	const char	*privacy_url;
	const char	*stored_name;	/* the logo's alt text */
	int		 has_logo;	/* a logo is stored now */
	const char	*error_key;	/* a refused form's message, or NULL */
	const char	*error_field;	/* and the field's id */
};

int page_console_settings(struct buf *out, const struct desk_page *p,
    const struct console_settings_view *v) GH_WUR;

#endif
