/*
 * test_http_router.c: the rules the routing table (http/router.h) keeps:
 * every route behind a session that takes a POST wants the session's CSRF
 * token, no row is hidden behind an earlier one, every row has a handler
 * and a method, the desk and research areas are never public, and each
 * desk action has its own row.
 *
 * Run with --list, it prints the table instead, one row a line
 * ("METHODS PATH exact|prefix|id ROLE CSRF"), for
 * tests/integration/test_routes.py, which holds the real server to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static const char *
role_name(enum http_route_role role)
{
	switch (role) {
	case HTTP_ROLE_PUBLIC:
		return "public";
	case HTTP_ROLE_SESSION:
		return "session";
	case HTTP_ROLE_DESK:
		return "desk";
	case HTTP_ROLE_RESEARCHER:
		return "researcher";
	case HTTP_ROLE_REVIEWER:
		return "reviewer";
	case HTTP_ROLE_COORDINATOR:
		return "coordinator";
	}
	return "?";
}

static const char *
csrf_name(enum http_route_csrf csrf)
{
	switch (csrf) {
	case HTTP_CSRF_NONE:
		return "none";
	case HTTP_CSRF_SESSION:
		return "session";
	case HTTP_CSRF_LOGIN:
		return "login";
	}
	return "?";
}

static void
test_http_router_session_posts_want_csrf(void **state)
{
	const struct http_route *rt;
	size_t i, n;

	(void)state;
	rt = http_routes(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		if (rt[i].role == HTTP_ROLE_PUBLIC ||
		    (rt[i].methods & HTTP_ROUTE_POST) == 0)
			continue;
		assert_int_equal(rt[i].csrf, HTTP_CSRF_SESSION);
	}
}

static void
test_http_router_rows_are_complete(void **state)
{
	const struct http_route *rt;
	size_t i, n;

	(void)state;
	rt = http_routes(&n);
	for (i = 0; i < n; i++) {
		assert_non_null(rt[i].path);
		assert_int_equal(rt[i].path[0], '/');
		assert_non_null(rt[i].handler);
		assert_true(rt[i].methods != 0);
		assert_int_equal(rt[i].methods &
		    ~(unsigned int)(HTTP_ROUTE_GET | HTTP_ROUTE_POST), 0);
		/* A prefix ends at a path separator: "/desk/", not "/desk". */
		if (rt[i].match == HTTP_MATCH_PREFIX)
			assert_int_equal(rt[i].path[strlen(rt[i].path) - 1],
			    '/');
		/* An id row names its id once; no other row has one. */
		assert_int_equal(strstr(rt[i].path, HTTP_ROUTE_ID) != NULL,
		    rt[i].match == HTTP_MATCH_ID);
	}
}

/* A row that an earlier prefix row already matches would never run. */
static void
test_http_router_no_row_is_shadowed(void **state)
{
	const struct http_route *rt;
	size_t i, j, n;

	(void)state;
	rt = http_routes(&n);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			if (rt[j].match == HTTP_MATCH_PREFIX)
				assert_false(strncmp(rt[i].path, rt[j].path,
				    strlen(rt[j].path)) == 0);
			else
				assert_false(rt[i].match != HTTP_MATCH_PREFIX &&
				    strcmp(rt[i].path, rt[j].path) == 0);
		}
}

/* The areas behind a login keep their role, however the table changes. */
static void
test_http_router_areas_keep_their_role(void **state)
{
	const struct http_route *rt;
	size_t i, n, seen = 0;

	(void)state;
	rt = http_routes(&n);
	for (i = 0; i < n; i++) {
		/* A reviewer's own pages, and nothing else of /desk. */
		if (strncmp(rt[i].path, "/desk/review", 12) == 0) {
			assert_int_equal(rt[i].role, HTTP_ROLE_REVIEWER);
			seen++;
		} else if (strncmp(rt[i].path, "/desk", 5) == 0) {
			assert_int_equal(rt[i].role, HTTP_ROLE_DESK);
			seen++;
		}
		if (strncmp(rt[i].path, "/research", 9) == 0) {
			assert_int_equal(rt[i].role, HTTP_ROLE_RESEARCHER);
			seen++;
		}
		if (strcmp(rt[i].path, "/logout") == 0) {
			assert_int_equal(rt[i].role, HTTP_ROLE_SESSION);
			seen++;
		}
		/* The console: a coordinator's, every POST with the token. */
		if (strncmp(rt[i].path, "/console", 8) == 0) {
			assert_int_equal(rt[i].role, HTTP_ROLE_COORDINATOR);
			assert_int_equal(rt[i].csrf, HTTP_CSRF_SESSION);
			seen++;
		}
	}
	assert_int_equal(seen, 50);
}

/* Every desk action is a POST row of its own, behind the desk's token. */
static void
test_http_router_desk_actions_have_rows(void **state)
{
	static const char *const paths[] = { "/desk/r/{id}/reply",
	    "/desk/r/{id}/status", "/desk/r/{id}/category",
	    "/desk/r/{id}/aftercare", "/desk/r/{id}/assign",
	    "/desk/r/{id}/note" };
	const struct http_route *rt;
	size_t i, j, n;

	(void)state;
	rt = http_routes(&n);
	for (j = 0; j < sizeof(paths) / sizeof(paths[0]); j++) {
		for (i = 0; i < n; i++)
			if (strcmp(rt[i].path, paths[j]) == 0)
				break;
		assert_true(i < n);
		assert_int_equal(rt[i].match, HTTP_MATCH_ID);
		assert_int_equal(rt[i].methods, HTTP_ROUTE_POST);
		assert_int_equal(rt[i].role, HTTP_ROLE_DESK);
		assert_int_equal(rt[i].csrf, HTTP_CSRF_SESSION);
	}
}

static int
list(void)
{
	const struct http_route *rt;
	size_t i, n;

	rt = http_routes(&n);
	for (i = 0; i < n; i++)
		printf("%s %s %s %s %s\n",
		    rt[i].methods == (HTTP_ROUTE_GET | HTTP_ROUTE_POST) ?
		    "GET,POST" : rt[i].methods == HTTP_ROUTE_POST ? "POST" :
		    "GET", rt[i].path, rt[i].match == HTTP_MATCH_PREFIX ? "prefix" :
		    rt[i].match == HTTP_MATCH_ID ? "id" : "exact",
		    role_name(rt[i].role), csrf_name(rt[i].csrf));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_router_session_posts_want_csrf),
		cmocka_unit_test(test_http_router_rows_are_complete),
		cmocka_unit_test(test_http_router_no_row_is_shadowed),
		cmocka_unit_test(test_http_router_areas_keep_their_role),
		cmocka_unit_test(test_http_router_desk_actions_have_rows),
	};

	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
