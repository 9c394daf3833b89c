/*
 * cmd_user.c: "gehoord user add|list": desk and researcher accounts.
 *
 * The first desk user creates the desk's key pair: its public key goes
 * into the database (store_key_set "desk"), its secret key only wrapped
 * with that user's password (crypto/deskkey.h). Every later desk user
 * needs an existing desk user (--by) and their password: that user's
 * wrapped key is opened in locked memory and wrapped again for the new
 * user, so no one can give themselves the desk key. Researchers hold no
 * key. Passwords come from the first line of a file or from the terminal
 * without echo, and have at least DESKKEY_PW_MIN characters.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/deskkey.h"
#include "store/store_user.h"

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
	    by.role != USER_DESK) {
		fprintf(stderr, "gehoord user add: --by %s: %s; refused\n",
		    a->by, r == GH_OK ? "not a desk user" : "no such user");
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

static int
add(struct store *s, const struct user_add *a)
{
	struct user_row u, old;
	uint8_t pk[DESKKEY_PK_BYTES], *sk = NULL;
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
	if (a->role == USER_DESK && n_desk > 0 &&
	    (r = open_as_voucher(s, a, &sk)) != GH_OK)
		goto out;
	if (a->role == USER_DESK && n_desk == 0 && a->by != NULL) {
		fprintf(stderr, "gehoord user add: --by: there is no desk user "
		    "yet; the first one is added without --by\n");
		r = GH_ERR_USAGE;
		goto out;
	}
	if ((r = read_new_password(a->pw_file, &pw, &len)) != GH_OK)
		goto out;
	memcpy(u.name, a->name, strlen(a->name) + 1);
	u.role = a->role;
	if ((r = deskkey_pw_hash(u.pw_hash, pw, len)) != GH_OK)
		goto out;
	if (a->role == USER_DESK) {
		if (sk == NULL && ((r = deskkey_generate(pk, &sk)) != GH_OK ||
		    (r = store_key_set(s, "desk", pk)) != GH_OK)) {
			if (r == GH_ERR_EXISTS)
				fprintf(stderr, "gehoord user add: the database "
				    "has a desk key but no desk user; "
				    "refused\n");
			goto out;
		}
		if ((r = deskkey_wrap(u.wrapped_key, sk, pw, len)) != GH_OK)
			goto out;
		u.wrapped_len = DESKKEY_WRAPPED_LEN;
	}
	if ((r = store_user_add(s, &u)) != GH_OK)
		goto out;
	printf("added %s user %s%s\n", a->role == USER_DESK ? "desk" :
	    "researcher", a->name, a->role == USER_DESK && n_desk == 0 ?
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
		{ "role", "ROLE", 1, "desk (reads and answers reports) or "
		    "researcher (reads releases)", 0 },
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

	if (args_parse(argc, argv, specs, "Adds a desk or researcher "
	    "account. The first desk user creates the desk key; every later "
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
	else {
		fprintf(stderr, "gehoord user add: --role: '%s' is not desk or "
		    "researcher\n", role);
		return CLI_USAGE;
	}
	if (a.role == USER_RESEARCHER && a.by != NULL) {
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
	printf("%s\t%s\n", u->name, u->role == USER_DESK ? "desk" :
	    "researcher");
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
	    "one per line, tab-separated.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord user list: %s: cannot open the "
		    "database: %s\n", args_get(specs, "db"), gh_err_str(r));
		return CLI_FAIL;
	}
	r = store_user_foreach(s, print_user, NULL);
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
	fprintf(argc > 1 && strcmp(sub, "--help") != 0 ? stderr : stdout,
	    "usage: gehoord user add|list [options]\n"
	    "       gehoord user SUBCOMMAND --help for each one's options\n");
	return argc > 1 && strcmp(sub, "--help") == 0 ? CLI_OK : CLI_USAGE;
}
