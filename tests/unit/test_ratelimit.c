/*
 * test_ratelimit.c: the in-memory guess limiter: a burst per address,
 * refill over time, separate budgets per address (IPv6 per /64), and
 * rotation of the key dropping every count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
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
	/* Another address has its own budget (unless the 4096 slots
	 * collide, which this key makes unlikely but possible: 1/4096). */
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

static void
test_ratelimit_flood_of_addresses_keeps_memory(void **state)
{
	struct ratelimit *rl;
	struct sockaddr_in a;
	char s[32];
	int i, busy = 0;

	(void)state;
	assert_int_equal(ratelimit_new(1, 0, &rl), GH_OK);
	for (i = 0; i < 20000; i++) {
		snprintf(s, sizeof(s), "10.%d.%d.%d", i >> 16, (i >> 8) & 255,
		    i & 255);
		a = v4(s);
		busy += ratelimit_take_at(rl, SA(a), T0) == GH_ERR_BUSY;
	}
	/* 20000 addresses in 4096 slots: most share a slot with another. */
	assert_true(busy >= 20000 - RATELIMIT_SLOTS);
	assert_int_equal(ratelimit_new(0, 1, &rl), GH_ERR_INVALID);
	ratelimit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit_burst_then_busy),
		cmocka_unit_test(test_ratelimit_rotation_drops_counts),
		cmocka_unit_test(test_ratelimit_ipv6_per_64_and_null),
		cmocka_unit_test(test_ratelimit_flood_of_addresses_keeps_memory),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
