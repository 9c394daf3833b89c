/*
 * baseline.h: reference figures from an earlier study (a "nulmeting"),
 * kept in survey-defs/baseline/ and named by a definition's indicators,
 * so that a report can set a wave's indicator beside the baseline's.
 *
 * A baseline file is {"format": 1, "kind": "baseline", "id", "title",
 * "source", "year", "population", "n", "indicators": [{"id", "label",
 * "percent", "n"}]} (survey-defs/README.md). It is checked as strictly as
 * a definition, with the same "NAME: $.path: problem" messages.
 */
#ifndef GH_BASELINE_H
#define GH_BASELINE_H

#include <stddef.h>

#include "survey/def.h"
#include "util/err.h"

struct baseline_indicator {
	char		*id;
	struct def_text	 label;
	double		 percent;	/* 0 to 100 */
	long		 n;		/* respondents, or -1: not known */
};

struct baseline {
	char				*id;
	struct def_text			 title;
	struct def_text			 source;
	struct def_text			 population;
	int				 year;
	long				 n;	/* or -1: not known */
	struct baseline_indicator	*indicators;
	size_t				 n_indicators;
};

/*
 * Parses and checks a baseline from len bytes of JSON, as def_parse does
 * a definition. Returns GH_OK with *out set (free with baseline_free);
 * GH_ERR_NOT_FOUND, with nothing in err, if the text is not a JSON object
 * with a "kind" (so it may be a definition); else GH_ERR_INVALID or
 * GH_ERR_NOMEM with one line in err.
 */
int baseline_parse(const char *json, size_t len, const char *name,
    struct baseline **out, char *err, size_t errsz) GH_WUR;

/* Reads the file at path and parses it as baseline_parse does. */
int baseline_load_file(const char *path, struct baseline **out, char *err,
    size_t errsz) GH_WUR;

/* Frees a baseline; accepts NULL. */
void baseline_free(struct baseline *b);

/* Returns the indicator with this id, or NULL. */
const struct baseline_indicator *baseline_indicator(const struct baseline *b,
    const char *id);

#endif
