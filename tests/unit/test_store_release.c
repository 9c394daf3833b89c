/*
 * test_store_release.c: releases in the store (store/store_release.h):
 * a release and its files stored in one transaction and read back
 * byte for byte (MANIFEST and MANIFEST.sig from the release's row), listed
 * per wave and in all, and refused as a whole when it cannot be stored.
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

#include "tmpdir.h"
#include "store/store.h"
#include "store/store_release.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	int64_t		 wave1, wave2;
};

static int teardown(void **state);

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint8_t pk[STORE_PK_BYTES] = { 1 };

	if (f == NULL)
		return -1;
	*state = f;
	if (tmpdir_make(f->dir, sizeof(f->dir), "strel") != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s) != GH_OK ||
	    store_wave_create(f->s, "w1", "{}", pk, 10, &f->wave1) != GH_OK ||
	    store_wave_create(f->s, "w2", "{}", pk, 10, &f->wave2) != GH_OK) {
		(void)teardown(state);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	if (tmpdir_remove(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static const uint8_t csv[] = "table,count\r\nq1,12\r\n";
static const uint8_t bin[] = { 0, 1, 2, 0, 255 };
static const uint8_t manifest[] = "aa  tables.csv\n";
static const uint8_t sig[] = "untrusted comment: x\nRWQ=\n";

static int
add(struct fx *f, int64_t wave, int64_t *id)
{
	const struct release_file files[] = {
		{ "tables.csv", csv, sizeof(csv) - 1 },
		{ "odd.bin", bin, sizeof(bin) },
		{ "empty.json", NULL, 0 },
	};

	return store_release_add(f->s, wave, files, 3, manifest,
	    sizeof(manifest) - 1, sig, sizeof(sig) - 1, id);
}

struct seen {
	int64_t	ids[8];
	int64_t	waves[8];
	size_t	n;
	char	names[8][32];
	size_t	lens[8];
	size_t	n_names;
};

static int
on_release(void *arg, const struct release_row *r)
{
	struct seen *s = arg;

	s->ids[s->n] = r->id;
	s->waves[s->n++] = r->wave_id;
	assert_int_equal(r->created_day, store_today());
	return 0;
}

static int
on_name(void *arg, const char *name, size_t len)
{
	struct seen *s = arg;

	snprintf(s->names[s->n_names], sizeof(s->names[0]), "%s", name);
	s->lens[s->n_names++] = len;
	return 0;
}

static void
test_store_release_round_trip(void **state)
{
	struct fx *f = *state;
	struct seen seen = { 0 };
	int64_t id1, id2;
	uint8_t *data;
	size_t len;

	assert_int_equal(add(f, f->wave1, &id1), GH_OK);
	assert_int_equal(add(f, f->wave2, &id2), GH_OK);
	assert_true(id2 > id1);
	assert_int_equal(store_release_file(f->s, id1, "tables.csv", &data,
	    &len), GH_OK);
	assert_int_equal(len, sizeof(csv) - 1);
	assert_memory_equal(data, csv, len);
	assert_int_equal(data[len], '\0');
	free(data);
	assert_int_equal(store_release_file(f->s, id1, "odd.bin", &data,
	    &len), GH_OK);
	assert_int_equal(len, sizeof(bin));
	assert_memory_equal(data, bin, len);
	free(data);
	assert_int_equal(store_release_file(f->s, id1, "empty.json", &data,
	    &len), GH_OK);
	assert_int_equal(len, 0);
	free(data);
	assert_int_equal(store_release_file(f->s, id2, "MANIFEST", &data,
	    &len), GH_OK);
	assert_memory_equal(data, manifest, sizeof(manifest) - 1);
	free(data);
	assert_int_equal(store_release_file(f->s, id2, "MANIFEST.sig", &data,
	    &len), GH_OK);
	assert_memory_equal(data, sig, sizeof(sig) - 1);
	free(data);
	assert_int_equal(store_release_file(f->s, id2, "nope.csv", &data,
	    &len), GH_ERR_NOT_FOUND);
	assert_null(data);
	assert_int_equal(store_release_file(f->s, id2 + 1, "MANIFEST", &data,
	    &len), GH_ERR_NOT_FOUND);

	assert_int_equal(store_release_foreach(f->s, 0, on_release, &seen),
	    GH_OK);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.ids[0], id1);
	assert_int_equal(seen.waves[1], f->wave2);
	seen.n = 0;
	assert_int_equal(store_release_foreach(f->s, f->wave2, on_release,
	    &seen), GH_OK);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.ids[0], id2);

	assert_int_equal(store_release_names(f->s, id1, on_name, &seen), GH_OK);
	assert_int_equal(seen.n_names, 3);
	assert_string_equal(seen.names[0], "empty.json");
	assert_string_equal(seen.names[1], "odd.bin");
	assert_string_equal(seen.names[2], "tables.csv");
	assert_int_equal(seen.lens[2], sizeof(csv) - 1);
}

/* A release that cannot be stored whole leaves nothing behind. */
static void
test_store_release_all_or_nothing(void **state)
{
	struct fx *f = *state;
	const struct release_file twice[] = {
		{ "tables.csv", csv, sizeof(csv) - 1 },
		{ "tables.csv", csv, sizeof(csv) - 1 },
	};
	struct seen seen = { 0 };
	int64_t id = 0;

	assert_int_equal(store_release_add(f->s, f->wave1, twice, 2, manifest,
	    sizeof(manifest) - 1, sig, sizeof(sig) - 1, &id), GH_ERR_INVALID);
	assert_int_equal(add(f, 999, &id), GH_ERR_NOT_FOUND);
	assert_int_equal(store_release_foreach(f->s, 0, on_release, &seen),
	    GH_OK);
	assert_int_equal(seen.n, 0);
	/* The connection is usable afterwards. */
	assert_int_equal(add(f, f->wave1, &id), GH_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_release_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_release_all_or_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
