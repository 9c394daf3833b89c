/*
 * def.h: survey definitions, loaded from JSON and checked completely.
 *
 * A definition is the instrument of a wave: its questions, their options
 * and every text in Dutch and English (survey-defs/README.md documents the
 * format). The loader rejects anything it does not understand with the
 * file, the JSON path and the problem, e.g.
 *   demo.json: $.questions[2].options[0].label.en: missing translation
 * A loaded definition is immutable and shared read-only between threads.
 */
#ifndef GH_DEF_H
#define GH_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DEF_FORMAT		1
#define DEF_MAX_QUESTIONS	200
#define DEF_MAX_OPTIONS		64	/* options per question (a bitmask) */
#define DEF_MAX_ID		40	/* characters in an id: [a-z0-9_-] */
#define DEF_MAX_TEXT_CAP	4000	/* characters a free-text answer may have */

enum def_lang { DEF_NL = 0, DEF_EN = 1, DEF_LANGS = 2 };

enum def_qtype {
	DEF_SINGLE,	/* one option (radio buttons) */
	DEF_MULTI,	/* any number of options (checkboxes) */
	DEF_LIKERT,	/* one point of an ordered scale (radio buttons) */
	DEF_TEXT,	/* free text up to max_length characters */
};

/* A text in every language; s[DEF_NL] and s[DEF_EN] are never NULL. */
struct def_text {
	char *s[DEF_LANGS];
};

struct def_option {
	char		*id;
	struct def_text	 label;
};

struct def_question {
	char			*id;
	enum def_qtype		 type;
	int			 is_required;
	struct def_text		 label;
	struct def_text		 help;		/* s[] are "" when absent */
	struct def_option	*options;	/* NULL for DEF_TEXT */
	size_t			 n_options;
	size_t			 max_length;	/* DEF_TEXT: characters */
};

struct def {
	char			*id;
	struct def_text		 title;
	struct def_text		 intro;		/* s[] are "" when absent */
	struct def_question	*questions;
	size_t			 n_questions;
	size_t			 bucket;	/* padded plaintext size, bytes */
};

/*
 * Parses and checks a definition from len bytes of JSON; name (the file
 * name) prefixes every message. On success *out is a new definition (free
 * with def_free) and GH_OK is returned. On failure returns GH_ERR_INVALID
 * (or GH_ERR_NOMEM) and writes one line "NAME: $.path: problem" into err.
 */
int def_parse(const char *json, size_t len, const char *name,
    struct def **out, char *err, size_t errsz) GH_WUR;

/*
 * Reads the file at path and parses it as def_parse does; also returns
 * GH_ERR_IO with "PATH: cannot read: reason" in err. If json_out is not
 * NULL it receives a malloc'd NUL-terminated copy of the file's text (the
 * exact bytes stored with a wave).
 */
int def_load_file(const char *path, struct def **out, char **json_out,
    char *err, size_t errsz) GH_WUR;

/* Frees a definition; accepts NULL. */
void def_free(struct def *d);

/* Returns the index of the question with this id, or -1. */
int def_question_index(const struct def *d, const char *id);

/* Returns the index of the option with this id in q, or -1. */
int def_option_index(const struct def_question *q, const char *id);

/* Returns "nl" or "en". */
const char *def_lang_code(enum def_lang lang);

/* Parses "nl" or "en" (exactly); returns GH_OK or GH_ERR_INVALID. */
int def_lang_parse(const char *code, enum def_lang *out) GH_WUR;

#endif
