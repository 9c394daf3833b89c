/*
 * store_account.h: what the coordinator's console keeps about accounts
 * and the instance beyond the users themselves (store_user.h):
 * coordinators proposed by one coordinator and waiting for another to
 * confirm them (account_proposals), and the instance's settings shown
 * on every public page (instance_settings: the organisation's name,
 * contact, privacy statement and logo). Implemented in store_account.c.
 */
#ifndef GH_STORE_ACCOUNT_H
#define GH_STORE_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define ACCOUNT_NAME_MAX	64	/* as USER_MAX_NAME */
#define SETTINGS_TEXT_MAX	300	/* as PAGE_ORG_MAX */
#define SETTINGS_LOGO_MAX	((size_t)256 * 1024)	/* as PAGE_LOGO_MAX */

/* A coordinator proposed and not yet confirmed. */
struct account_proposal {
	char	 name[ACCOUNT_NAME_MAX + 1];
	char	 proposed_by[ACCOUNT_NAME_MAX + 1];
	int64_t	 day;
};

/*
 * Records that by proposes name as a coordinator, dated today. GH_OK,
 * GH_ERR_EXISTS (a user or a proposal of that name exists), GH_ERR_DB.
 */
int store_account_propose(struct store *s, const char *name,
    const char *by) GH_WUR;

/* Reads the proposal of name into *p. GH_ERR_NOT_FOUND, GH_ERR_DB. */
int store_account_proposal_get(struct store *s, const char *name,
    struct account_proposal *p) GH_WUR;

/* Deletes the proposal of name. GH_ERR_NOT_FOUND, GH_ERR_DB. */
int store_account_proposal_remove(struct store *s, const char *name) GH_WUR;

/* Calls fn for every proposal in name order; stops at fn's error. */
int store_account_proposal_foreach(struct store *s,
    int (*fn)(void *arg, const struct account_proposal *p), void *arg)
    GH_WUR;

struct user_row;

/*
 * Confirms the proposal of u->name by coordinator by, in one
 * transaction: the proposal is read again, u (a coordinator) is added,
 * the proposal deleted and the audit row written. GH_OK,
 * GH_ERR_NOT_FOUND (no such proposal), GH_ERR_PRIVACY (by proposed it:
 * another coordinator must confirm), GH_ERR_EXISTS, GH_ERR_DB.
 */
int store_account_confirm(struct store *s, const struct user_row *u,
    const char *by) GH_WUR;

/* Counts the coordinators who are not disabled into *n. */
int store_account_active_coordinators(struct store *s, int64_t *n) GH_WUR;

/*
 * The instance's settings; a NULL field (logo: NULL, logo_len 0) is
 * not set. Strings and logo are the struct's own (store_settings_clear).
 */
struct store_settings {
	char		*org_name;
	char		*org_contact;
	char		*privacy_url;
	unsigned char	*logo;
	size_t		 logo_len;
};

/*
 * Reads the settings into *st (free with store_settings_clear). GH_OK,
 * GH_ERR_NOT_FOUND (never stored), GH_ERR_INVALID (a stored field out
 * of range: logged), GH_ERR_NOMEM, GH_ERR_DB.
 */
int store_settings_get(struct store *s, struct store_settings *out) GH_WUR;

/*
 * Replaces the settings with these (each NULL: not set; logo_len bytes
 * of logo), dated today. GH_OK, GH_ERR_INVALID, GH_ERR_DB.
 */
int store_settings_set(struct store *s, const char *org_name,
    const char *org_contact, const char *privacy_url,
    const unsigned char *logo, size_t logo_len) GH_WUR;

/* Frees the fields of *st and zeroes it; accepts NULL. */
void store_settings_clear(struct store_settings *st);

#endif
