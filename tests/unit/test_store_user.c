/*
 * test_store_user.c: accounts and instance keys (server/store/
 * store_user.h): add, get, a taken name, counts per role, update,
 * listing in name order, and public keys that are never replaced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tmpdir.h"
#include "store/store_user.h"

struct fx {
	char		 dir[64];
	char		 path[96];
	struct store	*s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "store-user"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	free(f);
	return 0;
}

static void
user(struct user_row *u, const char *name, enum user_role role)
{
	memset(u, 0, sizeof(*u));
	strcpy(u->name, name);
	u->role = role;
	strcpy(u->pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
	if (role == USER_DESK) {
		memset(u->wrapped_key, 0xab, 112);
		u->wrapped_len = 112;
	}
}

static int
collect(void *arg, const struct user_row *u)
{
	char *names = arg;

	strcat(names, u->name);
	strcat(names, u->role == USER_DESK ? ":d " : ":r ");
	return GH_OK;
}

static void
test_store_user_add_get_count(void **state)
{
	struct fx *f = *state;
	struct user_row u, got;
	char names[128] = "";
	int64_t n;

	user(&u, "bert", USER_DESK);
	assert_int_equal(store_user_add(f->s, &u), GH_OK);
	user(&u, "anna", USER_DESK);
	assert_int_equal(store_user_add(f->s, &u), GH_OK);
	user(&u, "rita", USER_RESEARCHER);
	assert_int_equal(store_user_add(f->s, &u), GH_OK);
	assert_int_equal(store_user_add(f->s, &u), GH_ERR_EXISTS);
	assert_int_equal(store_user_get(f->s, "anna", &got), GH_OK);
	assert_string_equal(got.name, "anna");
	assert_int_equal(got.role, USER_DESK);
	assert_int_equal(got.wrapped_len, 112);
	assert_int_equal(got.wrapped_key[111], 0xab);
	assert_string_equal(got.pw_hash, u.pw_hash);
	assert_int_equal(store_user_get(f->s, "rita", &got), GH_OK);
	assert_int_equal(got.wrapped_len, 0);
	assert_int_equal(store_user_get(f->s, "nobody", &got),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_user_count(f->s, USER_DESK, &n), GH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_user_count(f->s, USER_RESEARCHER, &n), GH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_user_foreach(f->s, collect, names), GH_OK);
	assert_string_equal(names, "anna:d bert:d rita:r ");
}

static void
test_store_user_update_and_bad_rows(void **state)
{
	struct fx *f = *state;
	struct user_row u, got;

	user(&u, "anna", USER_DESK);
	assert_int_equal(store_user_add(f->s, &u), GH_OK);
	strcpy(u.pw_hash, "$argon2id$new");
	u.wrapped_key[0] = 1;
	assert_int_equal(store_user_update(f->s, &u), GH_OK);
	assert_int_equal(store_user_get(f->s, "anna", &got), GH_OK);
	assert_string_equal(got.pw_hash, "$argon2id$new");
	assert_int_equal(got.wrapped_key[0], 1);
	user(&u, "nobody", USER_DESK);
	assert_int_equal(store_user_update(f->s, &u), GH_ERR_NOT_FOUND);
	user(&u, "", USER_DESK);
	assert_int_equal(store_user_add(f->s, &u), GH_ERR_INVALID);
	user(&u, "x", USER_DESK);
	u.wrapped_len = USER_WRAPPED_MAX + 1;
	assert_int_equal(store_user_add(f->s, &u), GH_ERR_INVALID);
}

static void
test_store_user_keys_never_replaced(void **state)
{
	struct fx *f = *state;
	uint8_t a[32], b[32], got[32];

	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	assert_int_equal(store_key_get(f->s, "desk", got), GH_ERR_NOT_FOUND);
	assert_int_equal(store_key_set(f->s, "desk", a), GH_OK);
	assert_int_equal(store_key_set(f->s, "desk", b), GH_ERR_EXISTS);
	assert_int_equal(store_key_get(f->s, "desk", got), GH_OK);
	assert_memory_equal(got, a, 32);
	assert_int_equal(store_key_set(f->s, "other", b), GH_OK);
	assert_int_equal(store_key_get(f->s, "other", got), GH_OK);
	assert_memory_equal(got, b, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_user_add_get_count,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_user_update_and_bad_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_user_keys_never_replaced, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
