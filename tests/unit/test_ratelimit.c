/*
 * test_ratelimit.c: the in-memory limiter: a burst per address, refill
 * over time, separate budgets per address (IPv6 per /64), rotation of
 * the key dropping every count, giving back an attempt, a flood of other
 * addresses that never spends a fresh address's budget, and the global
 * budget.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "http/ratelimit.h"

/* Later than any CLOCK_MONOTONIC reading of a test run. */
#define T0	((int64_t)1000000000000)

static struct sockaddr_in
v4(const char *a)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(1234);
	assert_int_equal(inet_pton(AF_INET, a, &in.sin_addr), 1);
	return in;
}

static struct sockaddr_in6
v6(const char *a)
{
	struct sockaddr_in6 in;

	memset(&in, 0, sizeof(in));
	in.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, a, &in.sin6_addr), 1);
	return in;
}

#define SA(x) ((const struct sockaddr *)(const void *)&(x))

static void
test_ratelimit_burst_then_busy(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in a2 = a;
	int i;

	(void)state;
	assert_int_equal(ratelimit_new(5, 60, &rl), GH_OK);
	for (i = 0; i < 5; i++)
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_ERR_BUSY);
	/* Another port of the same address is the same client. */
	a2.sin_port = htons(999);
	assert_int_equal(ratelimit_take_at(rl, SA(a2), T0), GH_ERR_BUSY);
	/* Another address has its own budget. */
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_OK);
	/* One per second comes back: two after two seconds. */
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 999), GH_ERR_BUSY);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 2000), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 2000), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 2000),
	    GH_ERR_BUSY);
	ratelimit_free(rl);
}

static void
test_ratelimit_rotation_drops_counts(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a = v4("198.51.100.7");
	int i;

	(void)state;
	assert_int_equal(ratelimit_new(3, 0, &rl), GH_OK);	/* no refill */
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 +
	    (int64_t)RATELIMIT_ROTATE_S * 1000 - 1), GH_ERR_BUSY);
	for (i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0 +
		    (int64_t)RATELIMIT_ROTATE_S * 1000), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 +
	    (int64_t)RATELIMIT_ROTATE_S * 1000), GH_ERR_BUSY);
	ratelimit_free(rl);
}

static void
test_ratelimit_ipv6_per_64_and_null(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in6 a = v6("2001:db8:1:2::1"), b = v6("2001:db8:1:2::ff");
	struct sockaddr_in6 m = v6("::ffff:192.0.2.9");
	struct sockaddr_in m4 = v4("192.0.2.9");

	(void)state;
	assert_int_equal(ratelimit_new(2, 0, &rl), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_ERR_BUSY);
	/* An IPv4-mapped address is its IPv4 address. */
	assert_int_equal(ratelimit_take_at(rl, SA(m), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(m4), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(m4), T0), GH_ERR_BUSY);
	/* No address: one shared budget. */
	assert_int_equal(ratelimit_take_at(rl, NULL, T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, NULL, T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, NULL, T0), GH_ERR_BUSY);
	ratelimit_free(rl);
}

/* The IPv4 address number i of 10.0.0.0/8. */
static struct sockaddr_in
nth(int i)
{
	char s[32];

	snprintf(s, sizeof(s), "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255,
	    i & 255);
	return v4(s);
}

static void
test_ratelimit_flood_never_spends_a_fresh_budget(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a, spent = v4("192.0.2.50");
	int i, j, busy = 0;

	(void)state;
	assert_int_equal(ratelimit_new(3, 0, &rl), GH_OK);	/* no refill */
	for (j = 0; j < 3; j++)
		assert_int_equal(ratelimit_take_at(rl, SA(spent), T0), GH_OK);
	/* Fewer addresses than the table holds: nothing is forgotten. */
	for (i = 0; i < 1000; i++) {
		a = nth(i);
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 1), GH_OK);
	}
	assert_int_equal(ratelimit_take_at(rl, SA(spent), T0 + 2),
	    GH_ERR_BUSY);
	/* A flood of 40,000 addresses, each until it is refused: every
	 * one of them had its own full budget of 3. */
	for (i = 0; i < 40000; i++) {
		a = nth(100000 + i);
		for (j = 0; j < 3; j++)
			busy += ratelimit_take_at(rl, SA(a), T0 + 3) != GH_OK;
		busy += ratelimit_take_at(rl, SA(a), T0 + 3) != GH_ERR_BUSY;
	}
	assert_int_equal(busy, 0);
	/* After it, an address never seen has its whole budget. */
	a = v4("198.51.100.200");
	for (j = 0; j < 3; j++)
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 4), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0 + 4), GH_ERR_BUSY);
	ratelimit_free(rl);
	assert_int_equal(ratelimit_new(0, 1, &rl), GH_ERR_INVALID);
	assert_null(rl);
	ratelimit_free(NULL);
}

static void
test_ratelimit_give_back_counts_only_failures(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a = v4("203.0.113.4"), b = v4("203.0.113.5");
	int i;

	(void)state;
	assert_int_equal(ratelimit_new(2, 0, &rl), GH_OK);
	/* Twenty successes (each given back) leave the budget whole. */
	for (i = 0; i < 20; i++) {
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
		ratelimit_give_back_at(rl, SA(a), T0);
	}
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_ERR_BUSY);
	/* Giving back never raises a budget above the burst. */
	for (i = 0; i < 5; i++)
		ratelimit_give_back_at(rl, SA(b), T0);
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_OK);
	for (i = 0; i < 5; i++)
		ratelimit_give_back_at(rl, SA(b), T0);
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, SA(b), T0), GH_ERR_BUSY);
	ratelimit_free(rl);
}

static void
test_ratelimit_global_is_one_budget(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a;
	int i;

	(void)state;
	assert_int_equal(ratelimit_new_global(5, 60, &rl), GH_OK);
	for (i = 0; i < 5; i++) {
		a = nth(i);
		assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	}
	a = nth(99);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_ERR_BUSY);
	assert_int_equal(ratelimit_take_at(rl, NULL, T0), GH_ERR_BUSY);
	/* A refused attempt given back elsewhere returns to everyone. */
	ratelimit_give_back_at(rl, NULL, T0);
	assert_int_equal(ratelimit_take_at(rl, SA(a), T0), GH_OK);
	/* 60 a minute: one a second. */
	assert_int_equal(ratelimit_take_at(rl, NULL, T0 + 999), GH_ERR_BUSY);
	assert_int_equal(ratelimit_take_at(rl, NULL, T0 + 1000), GH_OK);
	assert_int_equal(ratelimit_take_at(rl, NULL, T0 + 1000), GH_ERR_BUSY);
	ratelimit_free(rl);
	assert_int_equal(ratelimit_new_global(0, 1, &rl), GH_ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit_burst_then_busy),
		cmocka_unit_test(test_ratelimit_rotation_drops_counts),
		cmocka_unit_test(test_ratelimit_ipv6_per_64_and_null),
		cmocka_unit_test(test_ratelimit_flood_never_spends_a_fresh_budget),
		cmocka_unit_test(test_ratelimit_give_back_counts_only_failures),
		cmocka_unit_test(test_ratelimit_global_is_one_budget),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
