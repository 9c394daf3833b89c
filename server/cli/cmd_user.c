/*
 * cmd_user.c: "gehoord user add|list|disable|enable|remove": desk,
 * researcher and reviewer accounts.
 *
 * The first desk user creates the desk's key pair: its public key goes
 * into the database (store_key_set "desk"), its secret key only wrapped
 * with that user's password (crypto/deskkey.h). Every later desk user
 * needs an existing desk user (--by) and their password: that user's
 * wrapped key is opened in locked memory and wrapped again for the new
 * user, so no one can give themselves the desk key. Researchers hold no
 * key. A reviewer (an external adviser for second opinions) gets a box
 * key pair of their own: the public key is stored, the secret key only
 * wrapped with their password as a desk key is (crypto/deskkey.h, which
 * checks on opening that it gives the stored public key); the desk
 * seals a report's key to it when it sends them that report. Passwords
 * come from the first line of a file or from the terminal
 * without echo, and have at least DESKKEY_PW_MIN characters.
 *
 * Disable and remove take effect in a running server at the user's next
 * request: the server re-reads the account on every request behind a
 * login (http/session.h) and ends its sessions. Remove deletes the row
 * and with it the user's wrapped desk key; the desk key stays with the
 * other desk users. Removing the last desk user would leave no one who
 * can open the desk key, so no report could be read again: that needs
 * --force.
 *
 * Shell access to the server and its database is the operator's: here a
 * coordinator is added at once (the console asks two coordinators), but
 * the last active coordinator is kept as in the console, and every
 * change is written to the console's audit log under "(shell)", so the
 * coordinators see it. "user withdraw" drops a coordinator proposed in
 * the console; "user list" shows such proposals.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/deskkey.h"
#include "store/store_account.h"
#include "store/store_console.h"
#include "store/store_user.h"

/* Who the audit log names for a change made here. */
#define SHELL_WHO	"(shell)"

static const char *
role_name(enum user_role role)
{
	return role == USER_DESK ? "desk" : role == USER_REVIEWER ?
	    "reviewer" : role == USER_COORDINATOR ? "coordinator" :
	    "researcher";
}

/* Writes "(shell) did action on name (role)" to the audit log. */
static int
audit(struct store *s, const char *action, const char *name,
    enum user_role role)
{
	char object[USER_MAX_NAME + 32];
	int r;

	snprintf(object, sizeof(object), "%s (%s)", name, role_name(role));
	if ((r = store_console_audit_add(s, SHELL_WHO, action, object)) !=
	    GH_OK)
		fprintf(stderr, "gehoord user: the change is made but could "
		    "not be written to the audit log: %s\n", gh_err_str(r));
	return r;
}

struct user_add {
	const char	*name;
	enum user_role	 role;
	const char	*pw_file;
	const char	*by;
	const char	*by_pw_file;
};

/* Names: 1..USER_MAX_NAME of [A-Za-z0-9._@-], so they print safely. */
static int
name_is_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > USER_MAX_NAME)
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._@-", name[i]) == NULL)
			return 0;
	return 1;
}

/* Reads the new user's password (asked twice on a terminal). */
static int
read_new_password(const char *pw_file, char **pw, size_t *len)
{
	int r;

	if ((r = cli_pass_read("user add", pw_file, 1, pw, len)) != GH_OK)
		return r;
	if (*len < DESKKEY_PW_MIN || *len > DESKKEY_PW_MAX) {
		fprintf(stderr, "gehoord user add: the password must have %d "
		    "to %d characters; nothing was stored\n", DESKKEY_PW_MIN,
		    DESKKEY_PW_MAX);
		cli_pass_free(*pw);
		*pw = NULL;
		return GH_ERR_PASSPHRASE;
	}
	return GH_OK;
}

/*
 * Opens the desk key as the existing desk user a->by into *sk, after
 * checking their password. GH_ERR_PRIVACY when no one vouches.
 */
static int
open_as_voucher(struct store *s, const struct user_add *a, uint8_t **sk)
{
	struct user_row by;
	uint8_t pk[DESKKEY_PK_BYTES];
	char *pw = NULL;
	size_t len = 0;
	int r;

	if (a->by == NULL) {
		fprintf(stderr, "gehoord user add: a desk user exists: a new "
		    "desk user needs --by NAME, an existing desk user, and "
		    "their password; refused\n");
		return GH_ERR_PRIVACY;
	}
	if ((r = store_user_get(s, a->by, &by)) != GH_OK ||
	    by.role != USER_DESK || by.is_disabled) {
		fprintf(stderr, "gehoord user add: --by %s: %s; refused\n",
		    a->by, r != GH_OK ? "no such user" : by.role != USER_DESK ?
		    "not a desk user" : "the account is disabled");
		return r == GH_OK || r == GH_ERR_NOT_FOUND ? GH_ERR_PRIVACY : r;
	}
	if ((r = cli_pass_read("user add", a->by_pw_file, 0, &pw, &len)) !=
	    GH_OK)
		goto out;
	if ((r = store_key_get(s, "desk", pk)) != GH_OK) {
		fprintf(stderr, "gehoord user add: the database has no desk "
		    "key\n");
		goto out;
	}
	if ((r = deskkey_pw_verify(by.pw_hash, pw, len)) != GH_OK ||
	    (r = deskkey_unwrap(sk, by.wrapped_key, by.wrapped_len, pw, len,
	    pk)) != GH_OK)
		fprintf(stderr, "gehoord user add: --by %s: %s; nothing was "
		    "stored\n", a->by, r == GH_ERR_PASSPHRASE ?
		    "wrong password" : gh_err_str(r));
out:
	cli_pass_free(pw);
	sodium_memzero(&by, sizeof(by));
	return r;
}

/*
 * The desk key for a new desk user into *sk: opened by the voucher when a
 * desk user exists, else a new key pair whose public key is stored.
 */
static int
desk_key_for(struct store *s, const struct user_add *a, int64_t n_desk,
    uint8_t **sk)
{
	uint8_t pk[DESKKEY_PK_BYTES];
	int r;

	if (n_desk > 0)
		return open_as_voucher(s, a, sk);
	if (a->by != NULL) {
		fprintf(stderr, "gehoord user add: --by: there is no desk user "
		    "yet; the first one is added without --by\n");
		return GH_ERR_USAGE;
	}
	if ((r = deskkey_generate(pk, sk)) != GH_OK)
		return r;
	if ((r = store_key_set(s, "desk", pk)) == GH_ERR_EXISTS)
		fprintf(stderr, "gehoord user add: the database has a desk key "
		    "but no desk user; refused\n");
	return r;
}

static int
add(struct store *s, const struct user_add *a)
{
	struct user_row u, old;
	uint8_t *sk = NULL;
	char *pw = NULL;
	size_t len = 0;
	int64_t n_desk;
	int r;

	memset(&u, 0, sizeof(u));
	if ((r = store_user_get(s, a->name, &old)) != GH_ERR_NOT_FOUND) {
		if (r == GH_OK)
			fprintf(stderr, "gehoord user add: --name %s: the user "
			    "exists; nothing was stored\n", a->name);
		return r == GH_OK ? GH_ERR_EXISTS : r;
	}
	if ((r = store_user_count(s, USER_DESK, &n_desk)) != GH_OK)
		return r;
	/* The password is read first, so a mistake costs no desk key. */
	if ((r = read_new_password(a->pw_file, &pw, &len)) != GH_OK)
		goto out;
	memcpy(u.name, a->name, strlen(a->name) + 1);
	u.role = a->role;
	if ((r = deskkey_pw_hash(u.pw_hash, pw, len)) != GH_OK)
		goto out;
	if (a->role == USER_DESK) {
		if ((r = desk_key_for(s, a, n_desk, &sk)) != GH_OK ||
		    (r = deskkey_wrap(u.wrapped_key, sk, pw, len)) != GH_OK)
			goto out;
		u.wrapped_len = DESKKEY_WRAPPED_LEN;
	} else if (a->role == USER_REVIEWER) {
		if ((r = deskkey_generate(u.public_key, &sk)) != GH_OK ||
		    (r = deskkey_wrap(u.wrapped_key, sk, pw, len)) != GH_OK)
			goto out;
		u.wrapped_len = DESKKEY_WRAPPED_LEN;
		u.has_public_key = 1;
	}
	if ((r = store_user_add(s, &u)) != GH_OK ||
	    (r = audit(s, "account_add", a->name, a->role)) != GH_OK)
		goto out;
	printf("added %s user %s%s\n", role_name(a->role), a->name, a->role == USER_DESK && n_desk == 0 ?
	    " (and the desk key pair)" : "");
out:
	deskkey_free(sk);
	cli_pass_free(pw);
	sodium_memzero(&u, sizeof(u));
	return r;
}

static int
user_add(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "name", "NAME", 1, "the login name: letters, digits, . _ @ -",
		    0 },
		{ "role", "ROLE", 1, "desk (reads and answers reports), "
		    "researcher (reads releases), reviewer (gives second "
		    "opinions on the reports sent to them) or coordinator "
		    "(runs waves in the console at /console)", 0 },
		{ "password-file", "FILE", 0, "read the new password from the "
		    "first line of FILE (default: ask on the terminal); at "
		    "least 12 characters", 0 },
		{ "by", "NAME", 0, "an existing desk user who lets a new desk "
		    "user in (required once a desk user exists)", 0 },
		{ "by-password-file", "FILE", 0, "that user's password, first "
		    "line of FILE (default: ask on the terminal)", 0 },
		{ 0 }
	};
	struct user_add a = { 0 };
	struct store *s = NULL;
	const char *role;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Adds a desk, researcher, "
	    "reviewer or coordinator account. The first desk user creates the desk key; every later "
	    "desk user needs --by an existing desk user and their password.",
	    &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	a.name = args_get(specs, "name");
	role = args_get(specs, "role");
	a.pw_file = args_get(specs, "password-file");
	a.by = args_get(specs, "by");
	a.by_pw_file = args_get(specs, "by-password-file");
	if (!name_is_ok(a.name)) {
		fprintf(stderr, "gehoord user add: --name: 1 to %d letters, "
		    "digits, '.', '_', '@' or '-'\n", USER_MAX_NAME);
		return CLI_USAGE;
	}
	if (strcmp(role, "desk") == 0)
		a.role = USER_DESK;
	else if (strcmp(role, "researcher") == 0)
		a.role = USER_RESEARCHER;
	else if (strcmp(role, "reviewer") == 0)
		a.role = USER_REVIEWER;
	else if (strcmp(role, "coordinator") == 0)
		a.role = USER_COORDINATOR;
	else {
		fprintf(stderr, "gehoord user add: --role: '%s' is not desk, "
		    "researcher, reviewer or coordinator\n", role);
		return CLI_USAGE;
	}
	if (a.role != USER_DESK && a.by != NULL) {
		fprintf(stderr, "gehoord user add: --by is only for desk "
		    "users\n");
		return CLI_USAGE;
	}
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord user add: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		return CLI_FAIL;
	}
	r = add(s, &a);
	store_close(s);
	return cli_exit_code(r);
}

static int
print_user(void *arg, const struct user_row *u)
{
	(void)arg;
	printf("%s\t%s%s\n", u->name, role_name(u->role), u->is_disabled ? "\tdisabled" : "");
	return GH_OK;
}

static int
print_proposal(void *arg, const struct account_proposal *p)
{
	(void)arg;
	printf("%s\tcoordinator\tproposed by %s, to be confirmed by another "
	    "coordinator\n", p->name, p->proposed_by);
	return GH_OK;
}

static int
user_list(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Lists the accounts: name and role, "
	    "one per line, tab-separated, and \"disabled\" after a disabled "
	    "account's role; then the coordinators proposed in the console "
	    "and not yet confirmed.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord user list: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		return CLI_FAIL;
	}
	if ((r = store_user_foreach(s, print_user, NULL)) == GH_OK)
		r = store_account_proposal_foreach(s, print_proposal, NULL);
	store_close(s);
	return cli_exit_code(r);
}

/* What disable, enable and remove share: the command and its name. */
struct user_change {
	const char	*cmd;		/* "user disable", ... */
	const char	*name;
	int		 is_forced;
};

/*
 * GH_ERR_PRIVACY (said on stderr) if u is the last active coordinator:
 * without one, nobody can run the console.
 */
static int
keeps_a_coordinator(struct store *s, const struct user_change *c,
    const struct user_row *u)
{
	int64_t n = 0;
	int r;

	if (u->role != USER_COORDINATOR || u->is_disabled)
		return GH_OK;
	if ((r = store_account_active_coordinators(s, &n)) != GH_OK)
		return r;
	if (n > 1)
		return GH_OK;
	fprintf(stderr, "gehoord %s: %s is the last active coordinator: "
	    "add another first; nothing was changed\n", c->cmd, c->name);
	return GH_ERR_PRIVACY;
}

static int
set_disabled(struct store *s, const struct user_change *c, int is_disabled)
{
	struct user_row u;
	int r;

	if ((r = store_user_get(s, c->name, &u)) != GH_OK)
		return r;
	sodium_memzero(u.pw_hash, sizeof(u.pw_hash));
	if (is_disabled && (r = keeps_a_coordinator(s, c, &u)) != GH_OK)
		return r;
	if ((r = store_user_set_disabled(s, c->name, is_disabled)) == GH_OK &&
	    (r = audit(s, is_disabled ? "account_disable" : "account_enable",
	    c->name, u.role)) == GH_OK)
		printf("%s user %s%s\n", is_disabled ? "disabled" : "enabled",
		    c->name, is_disabled ? "; their sessions end at their next "
		    "request" : "");
	return r;
}

/*
 * Removes c->name. The last desk user holds the only way left to open
 * the desk key: removing them needs --force.
 */
static int
remove_user(struct store *s, const struct user_change *c)
{
	struct user_row u;
	int64_t n_desk = 0;
	int r;

	if ((r = store_user_get(s, c->name, &u)) != GH_OK)
		return r;
	if ((r = keeps_a_coordinator(s, c, &u)) != GH_OK)
		goto out;
	if (u.role == USER_DESK) {
		if ((r = store_user_count(s, USER_DESK, &n_desk)) != GH_OK)
			goto out;
		if (n_desk <= 1 && !c->is_forced) {
			fprintf(stderr, "gehoord %s: %s is the last desk user: "
			    "the desk key is wrapped only for them, and without "
			    "it no report can be read again. Add another desk "
			    "user first (gehoord user add --role desk --by %s), "
			    "or use --force to remove them and lose the desk "
			    "key; nothing was changed\n", c->cmd, c->name,
			    c->name);
			r = GH_ERR_PRIVACY;
			goto out;
		}
	}
	if ((r = store_user_remove(s, c->name)) == GH_OK &&
	    (r = audit(s, "account_remove", c->name, u.role)) == GH_OK)
		printf("removed %s user %s%s\n", role_name(u.role), c->name,
		    u.role == USER_REVIEWER ? " and the reports sent to them" :
		    u.role != USER_DESK ? "" :
		    n_desk > 1 ? " and their copy of the desk key" :
		    " and the last copy of the desk key");
out:
	sodium_memzero(&u, sizeof(u));
	return r;
}

/* Drops the console's proposal of c->name as a coordinator. */
static int
withdraw(struct store *s, const struct user_change *c)
{
	int r;

	if ((r = store_account_proposal_remove(s, c->name)) == GH_OK &&
	    (r = audit(s, "account_withdraw", c->name, USER_COORDINATOR)) ==
	    GH_OK)
		printf("withdrew the proposal of %s as coordinator\n", c->name);
	return r;
}

/*
 * gehoord user disable|enable|remove|withdraw --db FILE --name NAME
 * [--force].
 */
static int
user_change(int argc, char **argv, const char *what)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "name", "NAME", 1, "the user", 0 },
		{ "force", NULL, 0, "remove: also the last desk user, losing "
		    "the desk key and with it every report", 0 },
		{ 0 }
	};
	struct user_change c = { 0 };
	struct store *s = NULL;
	int r, is_help;

	c.cmd = argv[0];
	if (args_parse(argc, argv, specs, strcmp(what, "disable") == 0 ?
	    "Disables an account: it can no longer log in, and its sessions "
	    "end at their next request, also in a running server. Nothing "
	    "else changes; enable undoes it." :
	    strcmp(what, "enable") == 0 ? "Enables a disabled account again "
	    "(its old sessions stay ended)." :
	    strcmp(what, "withdraw") == 0 ? "Withdraws a coordinator proposed "
	    "in the console and not yet confirmed." :
	    "Removes an account, its sessions (at their next request) and, "
	    "for a desk user, their copy of the desk key. The last desk user "
	    "can be removed only with --force.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	c.name = args_get(specs, "name");
	c.is_forced = args_get(specs, "force") != NULL;
	if (c.is_forced && strcmp(what, "remove") != 0) {
		fprintf(stderr, "gehoord %s: --force is only for user remove\n",
		    c.cmd);
		return CLI_USAGE;
	}
	if (!name_is_ok(c.name)) {
		fprintf(stderr, "gehoord %s: --name: 1 to %d letters, digits, "
		    "'.', '_', '@' or '-'\n", c.cmd, USER_MAX_NAME);
		return CLI_USAGE;
	}
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord %s: %s: cannot open the database: "
		    "%s\n", c.cmd, args_get(specs, "db"), gh_err_str(r));
		return CLI_FAIL;
	}
	if (strcmp(what, "remove") == 0)
		r = remove_user(s, &c);
	else if (strcmp(what, "withdraw") == 0)
		r = withdraw(s, &c);
	else
		r = set_disabled(s, &c, strcmp(what, "disable") == 0);
	if (r == GH_ERR_NOT_FOUND)
		fprintf(stderr, "gehoord %s: --name %s: no such %s; nothing "
		    "was changed\n", c.cmd, c.name, strcmp(what, "withdraw") ==
		    0 ? "proposal" : "user");
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_user(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "add") == 0) {
		argv[1] = "user add";
		return user_add(argc - 1, argv + 1);
	}
	if (strcmp(sub, "list") == 0) {
		argv[1] = "user list";
		return user_list(argc - 1, argv + 1);
	}
	if (strcmp(sub, "disable") == 0) {
		argv[1] = "user disable";
		return user_change(argc - 1, argv + 1, sub);
	}
	if (strcmp(sub, "enable") == 0) {
		argv[1] = "user enable";
		return user_change(argc - 1, argv + 1, sub);
	}
	if (strcmp(sub, "remove") == 0) {
		argv[1] = "user remove";
		return user_change(argc - 1, argv + 1, sub);
	}
	if (strcmp(sub, "withdraw") == 0) {
		argv[1] = "user withdraw";
		return user_change(argc - 1, argv + 1, sub);
	}
	fprintf(argc > 1 && strcmp(sub, "--help") != 0 ? stderr : stdout,
	    "usage: gehoord user add|list|disable|enable|remove|withdraw "
	    "[options]\n"
	    "       gehoord user SUBCOMMAND --help for each one's options\n");
	return argc > 1 && strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
}
