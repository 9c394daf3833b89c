/*
 * test_util_localtime.c: local dates and times typed by a person
 * (util/localtime.h): the accepted forms, every malformed one, days that
 * do not exist, and the round trip through localtime_text. TZ is set to
 * UTC so that the expected seconds are fixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/localtime.h"

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
test_util_localtime_parses_both_forms(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(localtime_parse("2027-03-01T09:00", &t), GH_OK);
	assert_int_equal(t, 1803891600);
	assert_int_equal(localtime_parse("2027-03-01 09:00", &t), GH_OK);
	assert_int_equal(t, 1803891600);
	assert_int_equal(localtime_parse("2027-03-01T09:00:30", &t), GH_OK);
	assert_int_equal(t, 1803891630);
}

static void
test_util_localtime_refuses_malformed_text(void **state)
{
	static const char *const bad[] = {
		"", "tomorrow", "2027-03-01", "2027-03-01T9:00",
		"2027-03-01T09:00Z", "2027-03-01T09:00:5", "2027/03/01 09:00",
		"2027-03-01X09:00", "2027-13-01T09:00", "2027-00-01T09:00",
		"2027-03-00T09:00", "2027-02-30T09:00", "2027-03-01T24:00",
		"2027-03-01T09:60", "2027-03-01T09:00:60", "1999-12-31T23:59",
		"3000-01-01T00:00", "+027-03-01T09:00", "2027-03-01T09:0-",
	};
	size_t i;
	int64_t t = 5;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(localtime_parse(bad[i], &t), GH_ERR_INVALID);
		assert_int_equal(t, 0);
	}
	assert_int_equal(localtime_parse(NULL, &t), GH_ERR_INVALID);
}

static void
test_util_localtime_text_round_trips(void **state)
{
	char out[LOCALTIME_TEXT_LEN + 1];
	int64_t t;

	(void)state;
	assert_int_equal(localtime_parse("2028-02-29 23:59", &t), GH_OK);
	localtime_text(out, t);
	assert_string_equal(out, "2028-02-29 23:59");
	localtime_text(out, 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_localtime_parses_both_forms),
		cmocka_unit_test(test_util_localtime_refuses_malformed_text),
		cmocka_unit_test(test_util_localtime_text_round_trips),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
