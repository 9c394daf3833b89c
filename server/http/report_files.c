/*
 * report_files.c: a new report's files, from the upload to cleaned files
 * (report_files.h), and the words of a refusal: "Attachment "NAME":
 * why. Nothing was sent; ..." in the reporter's language. Nothing is
 * logged: no name, no byte.
 *
 * Entry points: report_files_problem, report_files_clean,
 * report_files_clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/report_files.h"
#include "pages/report.h"
#include "report/attach_super.h"

/* The message suffix of a cleaner's refusal. */
static const char *
refusal_key(enum attach_refusal why)
{
	switch (why) {
	case ATTACH_REFUSE_TYPE:	return "file.type";
	case ATTACH_REFUSE_SIZE:	return "file.size";
	case ATTACH_REFUSE_PIXELS:	return "file.pixels";
	case ATTACH_REFUSE_DECODE:	return "file.decode";
	case ATTACH_REFUSE_ENCRYPTED:	return "file.encrypted";
	case ATTACH_REFUSE_TIME:	return "file.time";
	case ATTACH_REFUSE_MEMORY:	return "file.memory";
	default:			return "file.internal";
	}
}

/* "Attachment "name": why Nothing was sent; ..." (name may be ""). */
static void
notice_write(char *notice, size_t size, enum def_lang lang,
    const char *name, const char *key)
{
	if (name != NULL && name[0] != '\0')
		snprintf(notice, size, "%s \xe2\x80\x9c%s\xe2\x80\x9d: %s %s",
		    page_report_msg(lang, "file.prefix"), name,
		    page_report_msg(lang, key),
		    page_report_msg(lang, "file.not_stored"));
	else
		snprintf(notice, size, "%s: %s %s",
		    page_report_msg(lang, "file.prefix"),
		    page_report_msg(lang, key),
		    page_report_msg(lang, "file.not_stored"));
}

int
report_files_problem(const struct upload *u, enum def_lang lang,
    char *notice, size_t size)
{
	const char *key;

	if (u == NULL || u->problem == UPLOAD_FINE)
		return 0;
	switch (u->problem) {
	case UPLOAD_TOO_MANY:	key = "file.too_many"; break;
	case UPLOAD_TOO_LARGE:	key = "file.size"; break;
	case UPLOAD_BAD_NAME:	key = "file.bad_name"; break;
	default:		key = "file.broken"; break;
	}
	notice_write(notice, size, lang, u->problem == UPLOAD_TOO_LARGE ?
	    u->problem_name : NULL, key);
	return 1;
}

int
report_files_clean(struct attach_super *sup, struct upload *u,
    enum def_lang lang, struct attach_plain out[UPLOAD_FILES_MAX],
    char *notice, size_t size)
{
	enum attach_refusal why;
	enum attach_type type = ATTACH_JPEG;
	uint8_t *clean = NULL;
	size_t i, len = 0;

	memset(out, 0, UPLOAD_FILES_MAX * sizeof(*out));
	for (i = 0; i < u->n; i++) {
		why = sup == NULL ? ATTACH_REFUSE_INTERNAL :
		    attach_super_clean(sup, u->files[i].data, u->files[i].len,
		    &clean, &len, &type);
		/* The plaintext is not needed once cleaned. */
		if (u->files[i].data != NULL) {
			sodium_memzero(u->files[i].data, u->files[i].cap);
			free(u->files[i].data);
			u->files[i].data = NULL;
			u->files[i].len = u->files[i].cap = 0;
		}
		if (why == ATTACH_OK &&
		    (out[i].name = strdup(u->files[i].name)) == NULL)
			why = ATTACH_REFUSE_INTERNAL;
		if (why != ATTACH_OK) {
			if (clean != NULL) {
				sodium_memzero(clean, len);
				free(clean);
			}
			report_files_clear(out, i + 1);
			notice_write(notice, size, lang, u->files[i].name,
			    refusal_key(why));
			return GH_ERR_INVALID;
		}
		out[i].data = clean;
		out[i].len = len;
		out[i].type = type;
		clean = NULL;
	}
	return GH_OK;
}

void
report_files_clear(struct attach_plain *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		attach_plain_clear(&files[i]);
}
