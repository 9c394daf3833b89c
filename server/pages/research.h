/*
 * research.h: the pages researchers see under /research: the list of
 * releases per instrument and wave, and one release with its tables
 * (accessible HTML tables and SVG charts with 95% confidence intervals),
 * comparisons, response per unit and downloads (named by
 * page_research_file_name), under a table of contents. Rendered from
 * web/research*.html in Dutch or English, everything escaped.
 * Implemented in page_research.c (pages) and page_research_table.c (the
 * tables of a release's tables.json).
 *
 * These pages show only what a release holds, and of a suppressed cell
 * (flag other than "ok") never a figure, whatever tables.json says.
 */
#ifndef GH_RESEARCH_H
#define GH_RESEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/* A release as the pages name it; the strings belong to the caller. */
struct research_release {
	int64_t		 id;
	int64_t		 wave_id;
	const char	*wave_name;
	const char	*instrument_id;	/* the definition's id, or "" */
	const char	*instrument_title;	/* in the page's language */
	int64_t		 created_day;	/* days since 1970-01-01 */
	int		 k;			/* the wave's k */
};

/* Who is signed in: shown with a Log out button (POST /logout). */
struct research_user {
	const char	*name;
	const char	*csrf;		/* the session's CSRF token */
};

/* A file of a release that can be downloaded. */
struct research_file {
	const char	*name;
	size_t		 len;
};

/*
 * Renders the list of releases (any order: grouped here by instrument,
 * then wave and release, newest first) for user in lang into out.
 * Returns GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID (a template error).
 */
int page_research_list(struct buf *out, enum def_lang lang,
    const struct research_user *user, const struct research_release *rels,
    size_t n) GH_WUR;

/* A release's tables.json and codebook.json as stored (either may be NULL). */
struct research_json {
	const char	*tables;
	size_t		 tables_len;
	const char	*codebook;
	size_t		 codebook_len;
};

/*
 * Renders release rel for user: the tables, comparisons and response of
 * its tables.json (unreadable or missing: no tables shown, the downloads
 * still are), labelled from its codebook.json, and links to
 * files[0..nfiles-1]. Returns GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID.
 */
int page_research_release(struct buf *out, enum def_lang lang,
    const struct research_user *user, const struct research_release *rel,
    const struct research_json *json, const struct research_file *files,
    size_t nfiles) GH_WUR;

/*
 * The name a file of release rel is downloaded as: the wave's name (in
 * lower case, a run of anything but a-z and 0-9 a single "-"), "release",
 * the release's number and the file's own name, joined by "-"
 * ("inclusie-2026-release-2-tables.csv"), so that the files of several
 * releases can share a folder. Inside the release (MANIFEST) the file
 * keeps its own name. Writes at most outsz bytes (NUL included) to out;
 * returns out.
 */
#define RESEARCH_FILE_NAME_MAX	160	/* with a file name of 64 bytes */

char *page_research_file_name(char *out, size_t outsz,
    const struct research_release *rel, const char *name);

/* Renders the page for a signed-in user who is not a researcher. */
int page_research_forbidden(struct buf *out, enum def_lang lang) GH_WUR;

#endif
