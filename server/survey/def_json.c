/*
 * def_json.c: checked reading of cJSON values (def_json.h), so that the
 * definition loader (def_load.c and its parts) and the release plan
 * parser (release/plan*.c) read like the formats they check.
 *
 * Entry points: json_keys (the key set of an object), json_array,
 * json_id, json_int, json_bool and json_text (one value each), json_fail
 * and json_path (the error line and the JSON path in it), and
 * json_read_file for the files. A key or value from the file that goes
 * into a message passes through quote() first, so a message stays one
 * printable line whatever the file holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey/def_json.h"
#include "survey/text.h"

#define QUOTE_MAX 40	/* characters of a key or value shown in a message */

/* Copies s into dst as printable ASCII ('?' for anything else), cut short. */
static void
quote(char *dst, size_t dstsz, const char *s)
{
	size_t i;

	for (i = 0; i < QUOTE_MAX && i + 4 < dstsz && s[i] != '\0'; i++)
		dst[i] = (char)((s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\') ? s[i] : '?');
	if (s[i] != '\0' && i + 4 <= dstsz) {
		memcpy(dst + i, "...", 3);
		i += 3;
	}
	dst[i] = '\0';
}

int
json_fail(struct json_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);	/* may cut it short */
	va_end(ap);
	snprintf(c->err, c->errsz, "%s: %s: %s", c->name, path, msg);
	return GH_ERR_INVALID;
}

int
json_nomem(struct json_ctx *c)
{
	snprintf(c->err, c->errsz, "%s: out of memory", c->name);
	return GH_ERR_NOMEM;
}

void
json_path(char *path, const char *base, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(path, JSON_PATH_MAX, "%s", base);
	if (n < 0 || n >= JSON_PATH_MAX)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(path + n, JSON_PATH_MAX - (size_t)n, fmt, ap);
	va_end(ap);
}

int
json_keys(struct json_ctx *c, const char *path, const cJSON *obj,
    const char *const *keys, size_t n, const cJSON **found)
{
	const cJSON *it;
	char q[QUOTE_MAX + 4];
	size_t k;

	for (k = 0; k < n; k++)
		found[k] = NULL;
	if (!cJSON_IsObject(obj))
		return json_fail(c, path, "must be an object");
	for (it = obj->child; it != NULL; it = it->next) {
		for (k = 0; k < n; k++)
			if (strcmp(it->string, keys[k]) == 0)
				break;
		quote(q, sizeof(q), it->string);
		if (k == n)
			return json_fail(c, path, "unknown key \"%s\"", q);
		if (found[k] != NULL)
			return json_fail(c, path, "duplicate key \"%s\"", q);
		found[k] = it;
	}
	return GH_OK;
}

int
json_array(struct json_ctx *c, const char *path, const cJSON *v, int max)
{
	if (v == NULL)
		return json_fail(c, path, "missing");
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
	    cJSON_GetArraySize(v) > max)
		return json_fail(c, path, "must be an array of 1 to %d "
		    "entries", max);
	return GH_OK;
}

int
json_id(struct json_ctx *c, const char *path, const cJSON *v, char **out)
{
	*out = NULL;
	if (v == NULL)
		return json_fail(c, path, "missing");
	if (!cJSON_IsString(v))
		return json_fail(c, path, "must be a string");
	if (!survey_id_is_valid(v->valuestring))
		return json_fail(c, path, "must match [a-z0-9_-]{1,%d}",
		    DEF_MAX_ID);
	if ((*out = strdup(v->valuestring)) == NULL)
		return json_nomem(c);
	return GH_OK;
}

int
json_int(struct json_ctx *c, const char *path, const cJSON *v, long min,
    long max, long *out)
{
	if (v == NULL)
		return json_fail(c, path, "missing");
	/* Range first: only then is the cast to long defined. */
	if (!cJSON_IsNumber(v) || v->valuedouble < (double)min ||
	    v->valuedouble > (double)max ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return json_fail(c, path, "must be an integer from %ld to %ld",
		    min, max);
	*out = (long)v->valuedouble;
	return GH_OK;
}

int
json_bool(struct json_ctx *c, const char *path, const cJSON *v, int *out)
{
	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsBool(v))
		return json_fail(c, path, "must be true or false");
	*out = cJSON_IsTrue(v);
	return GH_OK;
}

/* Checks one translation at path and sets *out to a copy of it. */
static int
translation(struct json_ctx *c, const char *path, const cJSON *v, char **out)
{
	const uint8_t *s;
	size_t i = 0, len, n_seen = 0;
	uint32_t cp;

	*out = NULL;
	if (v == NULL)
		return json_fail(c, path, "missing translation");
	if (!cJSON_IsString(v))
		return json_fail(c, path, "must be a string");
	s = (const uint8_t *)v->valuestring;
	len = strlen(v->valuestring);
	while (i < len) {
		if (utf8_next(s, len, &i, &cp) != 0)
			return json_fail(c, path, "not valid UTF-8");
		if (utf8_is_control(cp) && cp != '\n')
			return json_fail(c, path,
			    "control character not allowed");
		n_seen += !survey_is_space(cp);
	}
	if (n_seen == 0)
		return json_fail(c, path, "missing translation");
	if ((*out = strdup(v->valuestring)) == NULL)
		return json_nomem(c);
	return GH_OK;
}

int
json_text(struct json_ctx *c, const char *path, const cJSON *v,
    int is_optional, struct def_text *t)
{
	static const char *const langs[DEF_LANGS] = { "nl", "en" };
	const cJSON *found[DEF_LANGS], *it;
	char sub[JSON_PATH_MAX], q[QUOTE_MAX + 4];
	size_t k;
	int r;

	t->s[DEF_NL] = t->s[DEF_EN] = NULL;
	if (v == NULL && is_optional) {
		if ((t->s[DEF_NL] = strdup("")) == NULL ||
		    (t->s[DEF_EN] = strdup("")) == NULL)
			return json_nomem(c);
		return GH_OK;
	}
	if (v == NULL)
		return json_fail(c, path, "missing");
	if (!cJSON_IsObject(v))
		return json_fail(c, path, "must be an object of translations");
	/* Name the language in the message: "unknown key" would puzzle. */
	for (it = v->child; it != NULL; it = it->next) {
		for (k = 0; k < DEF_LANGS; k++)
			if (strcmp(it->string, langs[k]) == 0)
				break;
		if (k == DEF_LANGS) {
			quote(q, sizeof(q), it->string);
			return json_fail(c, path,
			    "unknown language \"%s\" (nl and en only)", q);
		}
	}
	if ((r = json_keys(c, path, v, langs, DEF_LANGS, found)) != GH_OK)
		return r;
	for (k = 0; k < DEF_LANGS; k++) {
		json_path(sub, path, ".%s", langs[k]);
		if ((r = translation(c, sub, found[k], &t->s[k])) != GH_OK)
			return r;
	}
	return GH_OK;
}

void
json_text_free(struct def_text *t)
{
	free(t->s[DEF_NL]);
	free(t->s[DEF_EN]);
	t->s[DEF_NL] = t->s[DEF_EN] = NULL;
}

int
json_read_file(const char *path, size_t max, char **out, size_t *out_len,
    char *err, size_t errsz)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd = -1, r = GH_ERR_IO;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: cannot read: %s", path,
		    strerror(errno));
		goto out;
	}
	if ((buf = malloc(max + 2)) == NULL) {
		r = GH_ERR_NOMEM;
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	/* Reading one byte more than allowed tells an over-long file apart. */
	while (len <= max &&
	    (n = read(fd, buf + len, max + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errsz, "%s: cannot read: %s", path,
			    strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > max) {
		r = GH_ERR_INVALID;
		snprintf(err, errsz, "%s: larger than %zu bytes", path,
		    max);
		goto out;
	}
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	buf = NULL;
	r = GH_OK;
out:
	if (fd != -1)
		close(fd);
	free(buf);
	return r;
}
