/*
 * report_files.h: the files a reporter attaches to a new report, from
 * the upload (upload.h) to cleaned files ready to be sealed
 * (report/attach_seal.h), and the words of a refusal.
 *
 * Entry points: report_files_problem (a problem of the upload itself:
 * too many, too large, a bad name, a broken body), report_files_clean
 * (every file through the cleaning supervisor, attach_super.h: call it
 * off the request threads, it waits for the workers),
 * report_files_clear.
 */
#ifndef GH_HTTP_REPORT_FILES_H
#define GH_HTTP_REPORT_FILES_H

#include <stddef.h>

#include "http/upload.h"
#include "report/attach_seal.h"
#include "survey/def.h"

struct attach_super;

/* Room for the words of a refusal, the file's name among them. */
#define REPORT_FILES_NOTICE	(ATTACH_NAME_MAX + 512)

/*
 * Whether u (or NULL) was refused on arrival; if so, writes into notice
 * which file (if it has a name) and why, and returns 1; otherwise 0.
 */
int report_files_problem(const struct upload *u, enum def_lang lang,
    char *notice, size_t size);

/*
 * Cleans the n files of u into out[0..n-1] (name, type, data; clear
 * with report_files_clear). Returns GH_OK, or GH_ERR_INVALID with
 * notice saying which file was refused and why (out cleared).
 */
int report_files_clean(struct attach_super *sup, struct upload *u,
    enum def_lang lang, struct attach_plain out[UPLOAD_FILES_MAX],
    char *notice, size_t size) GH_WUR;

/* Wipes and frees the first n entries of files. */
void report_files_clear(struct attach_plain *files, size_t n);

#endif
