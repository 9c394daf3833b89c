/*
 * def.h: survey definitions, loaded from JSON and checked completely.
 *
 * A definition is the instrument of a wave: its questions, their options
 * and every text in Dutch and English (survey-defs/README.md documents the
 * format). The loader rejects anything it does not understand with the
 * file, the JSON path and the problem, e.g.
 *   demo.json: $.questions[2].options[0].label.en: missing translation
 * A loaded definition is immutable and shared read-only between threads.
 *
 * Format 2 adds pages, conditions, matrices, numbers, prefer-not, scales
 * and indicators. questions[] is every page's questions in file order; a
 * DEF_MATRIX entry is a rendering group, followed directly by its items,
 * which are DEF_LIKERT questions of their own. Conditions are opaque and
 * read only through def_shown and the functions after it.
 */
#ifndef GH_DEF_H
#define GH_DEF_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DEF_FORMAT		1	/* one page of questions */
#define DEF_FORMAT_MAX		2	/* pages, conditions, scales */
#define DEF_MAX_QUESTIONS	200	/* questions[] entries, all pages */
#define DEF_MAX_PAGES		50
#define DEF_MAX_OPTIONS		64	/* options per question (a bitmask) */
#define DEF_MAX_ID		40	/* characters in an id: [a-z0-9_-] */
#define DEF_MAX_TEXT_CAP	4000	/* characters a free-text answer may have */
#define DEF_MAX_NUMBER		1000000000	/* |min|, |max| of a number */
#define DEF_MAX_FILE		((size_t)1024 * 1024)	/* bytes in a file */
/*
 * Bytes in a token batch's unit label (gehoord tokens issue --unit): 1 to
 * DEF_MAX_UNIT bytes of UTF-8 without control characters. With
 * DEF_UNIT_BATCH an answer carries it (answer.h).
 */
#define DEF_MAX_UNIT		100

/*
 * The id of the option "prefer not to say" (ids in a file cannot start
 * with '_'), and the form value of that answer to a number question.
 */
#define DEF_PREFER_NOT		"_prefer_not"

enum def_lang { DEF_NL = 0, DEF_EN = 1, DEF_LANGS = 2 };

enum def_qtype {
	DEF_SINGLE,	/* one option (radio buttons) */
	DEF_MULTI,	/* any number of options (checkboxes) */
	DEF_LIKERT,	/* one point of an ordered scale (radio buttons) */
	DEF_TEXT,	/* free text up to max_length characters */
	DEF_MATRIX,	/* a group of Likert items on one scale; the items
			   follow it in questions[]; not answerable itself */
	DEF_NUMBER,	/* an integer in [min, max] */
};

/* What a background (breakdown) variable is, for the release engine. */
enum def_background {
	DEF_BG_NONE = 0,
	DEF_BG_AGE_BAND,
	DEF_BG_GENDER,
	DEF_BG_GENDER_SELF,
	DEF_BG_CULTURAL_BACKGROUND,
	DEF_BG_DISABILITY,
	DEF_BG_CHRONIC_ILLNESS,
	DEF_BG_NEURODIVERGENCE,
	DEF_BG_SEXUAL_ORIENTATION,
	DEF_BG_UNIT,
	DEF_BG_WORK_TYPE,	/* execution vs. policy work */
	DEF_BG_OTHER,
};

/* Where the organisational unit of an answer comes from. */
enum def_unit_source {
	DEF_UNIT_NONE = 0,	/* no unit */
	DEF_UNIT_BATCH,		/* the token batch's --unit label */
	DEF_UNIT_QUESTION,	/* the answer to questions[unit_question] */
};

/* A text in every language; s[DEF_NL] and s[DEF_EN] are never NULL. */
struct def_text {
	char *s[DEF_LANGS];
};

struct def_option {
	char		*id;
	struct def_text	 label;
	int		 is_exclusive;	/* DEF_MULTI: only ever chosen alone */
	int		 is_prefer_not;	/* id DEF_PREFER_NOT, always last */
	int		 is_nonsubstantive; /* "weet ik niet", "n.v.t.": no
					   base of a share (prefer-not too) */
};

/* A condition on earlier answers (opaque; see def_cond_is_true). */
struct def_cond;

struct def_question {
	char			*id;
	enum def_qtype		 type;
	int			 is_required;	/* only when shown */
	struct def_text		 label;
	struct def_text		 help;		/* s[] are "" when absent */
	/*
	 * Choice options; for DEF_LIKERT and DEF_MATRIX the points of the
	 * scale in order. With has_prefer_not the last option is
	 * DEF_PREFER_NOT (exclusive in DEF_MULTI). NULL for text and number.
	 */
	struct def_option	*options;
	size_t			 n_options;
	size_t			 max_length;	/* DEF_TEXT: characters */
	long long		 min, max;	/* DEF_NUMBER: bounds, inclusive */
	size_t			 page;		/* index in pages[] */
	const struct def_cond	*show_if;	/* NULL: shown with its page */
	int			 has_prefer_not;
	int			 is_sensitive;	/* near-unanimity rule applies */
	enum def_background	 background;
	int			 matrix;	/* DEF_LIKERT item of the
						   DEF_MATRIX questions[matrix],
						   or -1 */
	size_t			 first_item;	/* DEF_MATRIX: its items are */
	size_t			 n_items;	/* questions[first_item...] */
};

/* A page: questions[first] to questions[first + n - 1], in order. */
struct def_page {
	char			*id;
	struct def_text		 title;		/* s[] are "" when absent */
	struct def_text		 intro;		/* s[] are "" when absent */
	const struct def_cond	*show_if;	/* NULL: always shown */
	size_t			 first, n;
};

/*
 * A scale: the mean of its items' points (1..points; reversed items count
 * points + 1 - x), computed when at least min_items are answered.
 */
struct def_scale {
	char		*id;
	struct def_text	 label;
	size_t		*items;		/* indices in questions[] (Likert) */
	int		*is_reversed;	/* n_items entries */
	size_t		 n_items;
	size_t		 min_items;
	size_t		 points;	/* points of every item's scale */
};

/* A dichotomous indicator: 1 if question's answer is one of any_of. */
struct def_indicator {
	char		*id;
	struct def_text	 label;
	size_t		 question;	/* index in questions[] */
	uint64_t	 any_of;	/* bit j: option j */
	char		*baseline_id;	/* NULL, or a survey-defs/baseline id */
	char		*baseline_indicator; /* NULL with baseline_id */
	/* The base: who it is measured among (NULL: everyone shown the
	 * question); refers to questions before the indicator's. */
	const struct def_cond *among;
	/* Who the base is, in words ("van wie iets meemaakte"): required
	 * with among; all s[] are "" without. */
	struct def_text	 base_label;
};

/* A calendar day; y == 0: none. */
struct def_date {
	int	y, m, d;
};

struct def {
	char			*id;
	int			 format;	/* 1 or 2 */
	struct def_text		 title;
	struct def_text		 intro;		/* s[] are "" when absent */
	struct def_text		 welcome;	/* s[] are "" when absent */
	struct def_date		 closes;	/* last day open; y 0: not
						   said */
	struct def_question	*questions;	/* every page's, in order */
	size_t			 n_questions;
	struct def_page		*pages;		/* format 1: one page */
	size_t			 n_pages;
	struct def_scale	*scales;
	size_t			 n_scales;
	struct def_indicator	*indicators;
	size_t			 n_indicators;
	enum def_unit_source	 unit_source;
	size_t			 unit_question;	/* DEF_UNIT_QUESTION: index */
	size_t			 bucket;	/* padded plaintext size, bytes */
	struct def_cond		*conds;		/* internal: owns every
						   condition, for def_free */
};

/*
 * The answers given so far, one entry per question (d->n_questions, in
 * questions[] order), as conditions, scales and indicators read them.
 * answer.c fills it from a form or a decoded plaintext. An entry of a
 * DEF_MATRIX group or of an unanswered question is all zero.
 */
struct def_answer {
	int		 is_answered;	/* prefer-not counts as answered */
	int		 is_prefer_not;
	uint64_t	 chosen;	/* bit j: option j (choice questions) */
	long long	 number;	/* DEF_NUMBER, unless is_prefer_not */
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

/*
 * Returns 1 if condition c holds for the answers a (d->n_questions
 * entries), else 0. c NULL holds. A condition on a question that is not
 * shown is false, except "answered": false.
 */
int def_cond_is_true(const struct def *d, const struct def_cond *c,
    const struct def_answer *a);

/*
 * Fills shown[i] (d->n_questions entries) with 1 if question i is shown
 * given the answers a, else 0, and page_shown (NULL, or d->n_pages
 * entries) likewise for pages: one pass, cheaper than asking question by
 * question.
 */
void def_shown(const struct def *d, const struct def_answer *a,
    uint8_t *shown, uint8_t *page_shown);

/* Returns 1 if page pi is shown given the answers a, else 0. */
int def_page_is_shown(const struct def *d, size_t pi,
    const struct def_answer *a);

/*
 * Returns 1 if question qi is a follow-up its page can show by itself: it
 * has a show_if that names only questions on its own page (none of them a
 * DEF_MATRIX group); a matrix item is live if its matrix is. Else 0.
 */
int def_question_is_live(const struct def *d, size_t qi);

/*
 * Appends the show_if of live question qi to out as the JSON array that
 * web/followup.js evaluates (def_live.c describes it). Returns GH_OK,
 * GH_ERR_INVALID (not live) or GH_ERR_NOMEM.
 */
struct buf;
int def_question_live_json(const struct def *d, size_t qi,
    struct buf *out) GH_WUR;

/*
 * Returns 1 if question qi is shown given the answers a: its page is
 * shown and its own show_if holds. A DEF_MATRIX group counts as shown
 * like its items. Returns 0 otherwise.
 */
int def_question_is_shown(const struct def *d, size_t qi,
    const struct def_answer *a);

/*
 * Computes scale s from the answers a into *mean. Returns 1, or 0 if
 * fewer than s->min_items of its items are answered (hidden and
 * prefer-not answers are missing).
 */
int def_scale_score(const struct def *d, const struct def_scale *s,
    const struct def_answer *a, double *mean);

/* Returns 1 if option o counts in the base of a share (not prefer-not,
 * not marked "substantive": false), else 0. */
int def_option_is_substantive(const struct def_option *o);

/*
 * Returns indicator ind for the answers a: 1 (answered with one of
 * any_of), 0 (answered otherwise) or -1 (outside its base: not answered,
 * hidden, prefer-not or only non-substantive options, or not among the
 * respondents its "among" condition names).
 */
int def_indicator_value(const struct def *d, const struct def_indicator *ind,
    const struct def_answer *a);

/* Returns the number of points of a Likert or matrix question's scale. */
size_t def_question_points(const struct def_question *q);

/* Returns the file's name of a background kind ("age_band"), "" for none. */
const char *def_background_name(enum def_background bg);

/* Returns "nl" or "en". */
const char *def_lang_code(enum def_lang lang);

/* Parses "nl" or "en" (exactly); returns GH_OK or GH_ERR_INVALID. */
int def_lang_parse(const char *code, enum def_lang *out) GH_WUR;

#endif
