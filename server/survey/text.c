/*
 * text.c: whole-string UTF-8, id and JSON-string checks for
 * server/survey/ (one code point at a time: util/utf8.c).
 *
 * Entry points: survey_utf8_check (a whole string), survey_is_space,
 * survey_id_is_valid, survey_json_has_nul and survey_json_wipe. Nothing
 * here allocates or logs.
 */
#include <string.h>

#include <sodium.h>

#include "survey/def.h"
#include "survey/text.h"
#include "util/utf8.h"

int
survey_utf8_check(const char *s, size_t len, size_t *n_cp)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, n = 0;
	uint32_t cp;

	while (i < len) {
		if (utf8_next(u, len, &i, &cp) != 0)
			return -1;
		n++;
	}
	if (n_cp != NULL)
		*n_cp = n;
	return 0;
}

int
survey_is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r');
}

int
survey_id_is_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n >= DEF_MAX_ID)
			return 0;
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
			return 0;
	}
	return n > 0;
}

int
survey_json_has_nul(const char *json, size_t len, size_t *pos)
{
	size_t i;

	/*
	 * In JSON that parsed, a backslash occurs only inside a string and
	 * always starts an escape, so skipping escapes pairwise finds every
	 * real "\u0000" and never the text of an escaped backslash.
	 */
	for (i = 0; i + 1 < len; i++) {
		if (json[i] != '\\')
			continue;
		if (json[i + 1] == 'u' && len - i >= 6 &&
		    memcmp(json + i + 2, "0000", 4) == 0) {
			*pos = i;
			return 1;
		}
		i++;
	}
	return 0;
}

/* Recursion as deep as the tree: cJSON parses at most 1000 levels. */
void
survey_json_wipe(cJSON *item)	/* NOLINT(misc-no-recursion) */
{
	for (; item != NULL; item = item->next) {
		if (item->string != NULL && !(item->type & cJSON_StringIsConst))
			sodium_memzero(item->string, strlen(item->string));
		if (item->valuestring != NULL &&
		    !(item->type & cJSON_IsReference))
			sodium_memzero(item->valuestring,
			    strlen(item->valuestring));
		/* A number answer sits in both of these. */
		sodium_memzero(&item->valuedouble, sizeof(item->valuedouble));
		sodium_memzero(&item->valueint, sizeof(item->valueint));
		if (item->child != NULL && !(item->type & cJSON_IsReference))
			survey_json_wipe(item->child);
	}
}
