/*
 * def_json.h: checked reading of cJSON values for the definition loader
 * (internal to server/survey/).
 *
 * Every function takes the JSON path of the value it reads and, on a
 * problem, writes the one error line "NAME: PATH: problem" through the
 * context and returns GH_ERR_INVALID (or GH_ERR_NOMEM). Paths are built by
 * the caller with json_path.
 */
#ifndef GH_SURVEY_DEF_JSON_H
#define GH_SURVEY_DEF_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "survey/def.h"
#include "util/err.h"

/* Bytes for a path; the longest is $.questions[199].options[63].label.en. */
#define JSON_PATH_MAX 128

/* Where one definition's errors go. */
struct json_ctx {
	const char	*name;	/* file name, prefixes every message */
	char		*err;
	size_t		 errsz;
};

/* Writes "NAME: PATH: problem" into c->err; returns GH_ERR_INVALID. */
int json_fail(struct json_ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "NAME: out of memory" into c->err; returns GH_ERR_NOMEM. */
int json_nomem(struct json_ctx *c);

/* Writes base followed by the formatted suffix into path (JSON_PATH_MAX
 * bytes). */
void json_path(char *path, const char *base, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Checks that obj (at path) is an object whose keys are all among the n
 * keys, each at most once, and sets found[k] to the value of keys[k] or
 * NULL. Returns GH_OK or GH_ERR_INVALID ("unknown key", "duplicate key").
 */
int json_keys(struct json_ctx *c, const char *path, const cJSON *obj,
    const char *const *keys, size_t n, const cJSON **found) GH_WUR;

/* Checks that v at path is an array of 1 to max entries (NULL: "missing"). */
int json_array(struct json_ctx *c, const char *path, const cJSON *v,
    int max) GH_WUR;

/* Sets *out to a new copy of the id at path (NULL: "missing"). */
int json_id(struct json_ctx *c, const char *path, const cJSON *v,
    char **out) GH_WUR;

/* Sets *out to the integer at path, which must lie in [min, max]. */
int json_int(struct json_ctx *c, const char *path, const cJSON *v, long min,
    long max, long *out) GH_WUR;

/* Sets *out to 1 or 0 for true or false at path (NULL: leaves *out). */
int json_bool(struct json_ctx *c, const char *path, const cJSON *v,
    int *out) GH_WUR;

/*
 * Fills t with new copies of the "nl" and "en" texts of the object at path
 * (each non-empty, UTF-8, no control character but newline). If v is NULL
 * and is_optional, both become "".
 */
int json_text(struct json_ctx *c, const char *path, const cJSON *v,
    int is_optional, struct def_text *t) GH_WUR;

/* Frees both strings of t; accepts a zeroed t. */
void json_text_free(struct def_text *t);

/*
 * Reads the whole file at path, at most max bytes, into *out (malloc'd,
 * NUL-terminated) and *out_len. Returns GH_OK; GH_ERR_IO with "PATH:
 * cannot read: reason", GH_ERR_INVALID with "PATH: larger than N bytes"
 * or GH_ERR_NOMEM in err.
 */
int json_read_file(const char *path, size_t max, char **out, size_t *out_len,
    char *err, size_t errsz) GH_WUR;

#endif
