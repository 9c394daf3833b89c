/*
 * test_session.c: sessions in memory (server/http/session.h): lookup,
 * CSRF comparison, the desk key's lifetime (gone after logout and after
 * the idle timeout), the limit per user and the table's limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/session.h"

static struct user_row desk_user = { 7, "anna", USER_DESK, "", { 0 }, 0, 0,
    0, { 0 }, 0 };
static struct user_row researcher = { 8, "rita", USER_RESEARCHER, "",
    { 0 }, 0, 0, 0, { 0 }, 0 };

static struct user_row reviewer = { 9, "vera", USER_REVIEWER, "",
    { 0 }, 0, 0, 0, { 0 }, 1 };

struct key_seen {
	uint8_t	key[32];
	int	calls;
};

static int
copy_key(void *arg, const uint8_t *sk)
{
	struct key_seen *k = arg;

	memcpy(k->key, sk, 32);
	k->calls++;
	return GH_OK;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
test_session_find_and_view(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v;
	char c1[SESSION_COOKIE_LEN + 1], c2[SESSION_COOKIE_LEN + 1];
	char bad[SESSION_COOKIE_LEN + 1];

	(void)state;
	assert_int_equal(sessions_new(&ss), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, NULL, c1), GH_OK);
	assert_int_equal(session_start(ss, &researcher, NULL, c2), GH_OK);
	assert_int_equal(strlen(c1), SESSION_COOKIE_LEN);
	assert_string_not_equal(c1, c2);
	assert_int_equal(session_find(ss, c1, &v), GH_OK);
	assert_string_equal(v.name, "anna");
	assert_int_equal(v.role, USER_DESK);
	assert_int_equal(v.user_id, 7);
	assert_int_equal(strlen(v.csrf), SESSION_CSRF_LEN);
	assert_int_equal(session_find(ss, c2, &v), GH_OK);
	assert_int_equal(v.role, USER_RESEARCHER);
	/* One changed character, a short cookie, garbage, NULL. */
	memcpy(bad, c1, sizeof(bad));
	bad[5] = bad[5] == 'A' ? 'B' : 'A';
	assert_int_equal(session_find(ss, bad, &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_find(ss, "abc", &v), GH_ERR_NOT_FOUND);
	memset(bad, '!', SESSION_COOKIE_LEN);
	assert_int_equal(session_find(ss, bad, &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_find(ss, NULL, &v), GH_ERR_NOT_FOUND);
	sessions_free(ss);
}

/* A reviewer's own key is given only as theirs; a desk session's only
 * as the desk key. */
static void
test_session_reviewer_key_is_not_the_desk_key(void **state)
{
	struct sessions *ss = NULL;
	struct key_seen k = { { 0 }, 0 };
	uint8_t rk[32], dk[32];
	char cr[SESSION_COOKIE_LEN + 1], cd[SESSION_COOKIE_LEN + 1];

	(void)state;
	randombytes_buf(rk, sizeof(rk));
	randombytes_buf(dk, sizeof(dk));
	assert_int_equal(sessions_new(&ss), GH_OK);
	assert_int_equal(session_start(ss, &reviewer, rk, cr), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, dk, cd), GH_OK);
	assert_int_equal(session_with_desk_key(ss, cr, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(session_with_reviewer_key(ss, cd, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(k.calls, 0);
	assert_int_equal(session_with_reviewer_key(ss, cr, copy_key, &k),
	    GH_OK);
	assert_memory_equal(k.key, rk, 32);
	session_end(ss, cr);
	assert_int_equal(session_with_reviewer_key(ss, cr, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(k.calls, 1);
	sessions_free(ss);
}

static void
test_session_csrf_compare(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v1, v2;
	char c1[SESSION_COOKIE_LEN + 1], c2[SESSION_COOKIE_LEN + 1];
	char t[SESSION_CSRF_LEN + 2];

	(void)state;
	assert_int_equal(sessions_new(&ss), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, NULL, c1), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, NULL, c2), GH_OK);
	assert_int_equal(session_find(ss, c1, &v1), GH_OK);
	assert_int_equal(session_find(ss, c2, &v2), GH_OK);
	assert_string_not_equal(v1.csrf, v2.csrf);
	assert_int_equal(session_csrf_ok(ss, c1, v1.csrf), 1);
	/* Another session's token, no token, a changed or longer one. */
	assert_int_equal(session_csrf_ok(ss, c1, v2.csrf), 0);
	assert_int_equal(session_csrf_ok(ss, c1, NULL), 0);
	assert_int_equal(session_csrf_ok(ss, c1, ""), 0);
	memcpy(t, v1.csrf, SESSION_CSRF_LEN + 1);
	t[SESSION_CSRF_LEN - 1] ^= 1;
	assert_int_equal(session_csrf_ok(ss, c1, t), 0);
	memcpy(t, v1.csrf, SESSION_CSRF_LEN);
	t[SESSION_CSRF_LEN] = 'x';
	t[SESSION_CSRF_LEN + 1] = '\0';
	assert_int_equal(session_csrf_ok(ss, c1, t), 0);
	/* The right token without its session's cookie. */
	assert_int_equal(session_csrf_ok(ss, "nope", v1.csrf), 0);
	sessions_free(ss);
}

static void
test_session_desk_key_and_logout(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v;
	struct key_seen k = { { 0 }, 0 };
	uint8_t sk[32];
	char c1[SESSION_COOKIE_LEN + 1], c2[SESSION_COOKIE_LEN + 1];

	(void)state;
	randombytes_buf(sk, sizeof(sk));
	assert_int_equal(sessions_new(&ss), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, sk, c1), GH_OK);
	assert_int_equal(session_start(ss, &researcher, NULL, c2), GH_OK);
	assert_int_equal(session_with_desk_key(ss, c1, copy_key, &k), GH_OK);
	assert_int_equal(k.calls, 1);
	assert_memory_equal(k.key, sk, 32);
	/* A researcher's session has no key. */
	assert_int_equal(session_with_desk_key(ss, c2, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(k.calls, 1);
	session_end(ss, c1);
	assert_int_equal(session_find(ss, c1, &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_with_desk_key(ss, c1, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(k.calls, 1);
	session_end(ss, c1);	/* twice, and unknown: ignored */
	session_end(ss, "unknown");
	assert_int_equal(session_find(ss, c2, &v), GH_OK);
	sessions_free(ss);
}

static void
test_session_idle_timeout(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v;
	struct key_seen k = { { 0 }, 0 };
	uint8_t sk[32] = { 1 };
	char c1[SESSION_COOKIE_LEN + 1], c2[SESSION_COOKIE_LEN + 1];
	int i;

	(void)state;
	assert_int_equal(sessions_new(&ss), GH_OK);
	sessions_set_idle(ss, 1);
	assert_int_equal(session_start(ss, &desk_user, sk, c1), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, sk, c2), GH_OK);
	/* Use keeps c2 alive past the timeout; c1 idles out. */
	for (i = 0; i < 4; i++) {
		sleep_ms(400);
		assert_int_equal(session_find(ss, c2, &v), GH_OK);
	}
	assert_int_equal(session_find(ss, c1, &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_with_desk_key(ss, c1, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(session_csrf_ok(ss, c1, v.csrf), 0);
	sleep_ms(1200);
	sessions_expire(ss);
	assert_int_equal(session_with_desk_key(ss, c2, copy_key, &k),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(k.calls, 0);
	sessions_free(ss);
}

/* A user with id; the name does not matter to the table. */
static struct user_row
user(int64_t id)
{
	struct user_row u = researcher;

	u.id = id;
	return u;
}

static void
test_session_ninth_login_ends_the_least_used(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v;
	char c[SESSION_PER_USER + 1][SESSION_COOKIE_LEN + 1];
	char other[SESSION_COOKIE_LEN + 1];
	int i;

	(void)state;
	assert_int_equal(sessions_new(&ss), GH_OK);
	assert_int_equal(session_start(ss, &desk_user, NULL, other), GH_OK);
	for (i = 0; i < SESSION_PER_USER; i++) {
		assert_int_equal(session_start(ss, &researcher, NULL, c[i]),
		    GH_OK);
		sleep_ms(2);
	}
	/* Using the first makes the second the least recently used. */
	assert_int_equal(session_find(ss, c[0], &v), GH_OK);
	assert_int_equal(session_start(ss, &researcher, NULL,
	    c[SESSION_PER_USER]), GH_OK);
	assert_int_equal(session_find(ss, c[1], &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_find(ss, c[0], &v), GH_OK);
	for (i = 2; i <= SESSION_PER_USER; i++)
		assert_int_equal(session_find(ss, c[i], &v), GH_OK);
	/* Another account's session is untouched. */
	assert_int_equal(session_find(ss, other, &v), GH_OK);
	assert_int_equal(v.user_id, desk_user.id);
	sessions_free(ss);
}

static void
test_session_full_table_takes_from_the_heaviest(void **state)
{
	struct sessions *ss = NULL;
	struct session_view v;
	struct user_row u;
	char c[SESSION_COOKIE_LEN + 1], oldest[SESSION_COOKIE_LEN + 1];
	char heavy[SESSION_COOKIE_LEN + 1];
	int i, n = 0;

	(void)state;
	assert_int_equal(sessions_new(&ss), GH_OK);
	/* Users 1..62 hold 4 sessions each, user 100 the last 8. */
	for (i = 0; i < SESSION_MAX - SESSION_PER_USER; i++, n++) {
		u = user(1 + i / 4);
		assert_int_equal(session_start(ss, &u, NULL, c), GH_OK);
		if (i == 0)
			memcpy(oldest, c, sizeof(oldest));
	}
	sleep_ms(2);
	u = user(100);
	for (i = 0; i < SESSION_PER_USER; i++, n++) {
		assert_int_equal(session_start(ss, &u, NULL, c), GH_OK);
		if (i == 0)
			memcpy(heavy, c, sizeof(heavy));
	}
	assert_int_equal(n, SESSION_MAX);
	/* A newcomer gets in; the heaviest user gives up its least used. */
	u = user(200);
	assert_int_equal(session_start(ss, &u, NULL, c), GH_OK);
	assert_int_equal(session_find(ss, c, &v), GH_OK);
	assert_int_equal(session_find(ss, heavy, &v), GH_ERR_NOT_FOUND);
	assert_int_equal(session_find(ss, oldest, &v), GH_OK);
	sessions_free(ss);	/* frees (and wipes) every live session */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_find_and_view),
		cmocka_unit_test(test_session_csrf_compare),
		cmocka_unit_test(test_session_reviewer_key_is_not_the_desk_key),
		cmocka_unit_test(test_session_desk_key_and_logout),
		cmocka_unit_test(test_session_idle_timeout),
		cmocka_unit_test(test_session_ninth_login_ends_the_least_used),
		cmocka_unit_test(test_session_full_table_takes_from_the_heaviest),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
