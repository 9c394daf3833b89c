/*
 * def.c: survey definitions, format 1 (def.h; survey-defs/README.md).
 *
 * Entry points: def_load_file reads a file and calls def_parse, which
 * parses the JSON with cJSON, refuses what cJSON lets through (trailing
 * bytes, NUL), then checks the tree top down (parse_root, parse_question,
 * parse_option) into a struct def, and last computes the answer bucket.
 * The first problem found ends the load with one error line; the partly
 * built definition is freed. Nothing here logs: the caller prints err.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seal.h"
#include "survey/def.h"
#include "survey/def_json.h"
#include "survey/text.h"

#define DEF_MAX_FILE	((size_t)1024 * 1024)	/* bytes in a definition file */
#define DEF_MAX_LIKERT	11		/* points on a Likert scale */

/*
 * Worst case bytes of the encoded answer (answer.h) outside the answers:
 * {"v":1,"w":WAVE_ID,"a":{...}} with a WAVE_ID of up to 20 characters.
 */
#define BUCKET_FIXED	(sizeof("{\"v\":1,\"w\":") - 1 + 20 + \
			 sizeof(",\"a\":{") - 1 + sizeof("}}") - 1)
/*
 * Bytes per free-text character: the answer codec refuses control
 * characters other than tab and newline (each printed as two bytes), so
 * the worst is a 4-byte UTF-8 sequence, which cJSON prints as is.
 */
#define BUCKET_PER_CHAR	4
#define BUCKET_ROUND	256

static const char *const root_keys[] = {
	"format", "id", "title", "intro", "questions",
};
enum { R_FORMAT, R_ID, R_TITLE, R_INTRO, R_QUESTIONS, R_N };

static const char *const question_keys[] = {
	"id", "type", "required", "label", "help", "options", "max_length",
};
enum { Q_ID, Q_TYPE, Q_REQUIRED, Q_LABEL, Q_HELP, Q_OPTIONS, Q_MAX_LENGTH,
	Q_N };

static const char *const option_keys[] = { "id", "label" };
enum { O_ID, O_LABEL, O_N };

static const struct {
	const char	*name;
	enum def_qtype	 type;
	size_t		 max_options;	/* 0: no options */
} qtypes[] = {
	{ "single", DEF_SINGLE, DEF_MAX_OPTIONS },
	{ "multi", DEF_MULTI, DEF_MAX_OPTIONS },
	{ "likert", DEF_LIKERT, DEF_MAX_LIKERT },
	{ "text", DEF_TEXT, 0 },
};

static int
parse_option(struct dj *c, const char *path, const cJSON *v,
    struct def_question *q, size_t j)
{
	const cJSON *k[O_N];
	char sub[DJ_PATH];
	size_t i;
	int r;

	if ((r = dj_keys(c, path, v, option_keys, O_N, k)) != GH_OK)
		return r;
	dj_path(sub, path, ".id");
	if ((r = dj_id(c, sub, k[O_ID], &q->options[j].id)) != GH_OK)
		return r;
	for (i = 0; i < j; i++)
		if (strcmp(q->options[i].id, q->options[j].id) == 0)
			return dj_fail(c, sub, "duplicate option id \"%s\"",
			    q->options[j].id);
	dj_path(sub, path, ".label");
	return dj_text(c, sub, k[O_LABEL], 0, &q->options[j].label);
}

/* Checks and copies the options of choice question q at path. */
static int
parse_options(struct dj *c, const char *path, const cJSON *v,
    struct def_question *q, size_t max_options)
{
	const char *tname = qtypes[q->type].name;
	const cJSON *it;
	char sub[DJ_PATH];
	size_t n;
	int r;

	if (v == NULL)
		return dj_fail(c, path, "missing");
	if (!cJSON_IsArray(v))
		return dj_fail(c, path, "must be an array");
	n = (size_t)cJSON_GetArraySize(v);
	if (n < 2 || n > max_options)
		return dj_fail(c, path, "a %s question needs 2 to %zu options",
		    tname, max_options);
	if ((q->options = calloc(n, sizeof(*q->options))) == NULL)
		return dj_nomem(c);
	for (it = v->child; it != NULL; it = it->next) {
		dj_path(sub, path, "[%zu]", q->n_options);
		/* Counted first, so that def_free frees a half-read option. */
		q->n_options++;
		if ((r = parse_option(c, sub, it, q, q->n_options - 1)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}

/* Sets q->type from the "type" value at path. */
static int
parse_type(struct dj *c, const char *path, const cJSON *v,
    struct def_question *q)
{
	size_t t;

	if (v == NULL)
		return dj_fail(c, path, "missing");
	if (!cJSON_IsString(v))
		return dj_fail(c, path, "must be a string");
	for (t = 0; t < sizeof(qtypes) / sizeof(qtypes[0]); t++) {
		if (strcmp(v->valuestring, qtypes[t].name) == 0) {
			q->type = qtypes[t].type;
			return GH_OK;
		}
	}
	/* The value is the file's: show it only if it is a plain word. */
	if (survey_id_is_valid(v->valuestring))
		return dj_fail(c, path, "unknown type \"%s\" (single, multi, "
		    "likert or text)", v->valuestring);
	return dj_fail(c, path, "unknown type (single, multi, likert or text)");
}

static int
parse_question(struct dj *c, const char *path, const cJSON *v,
    struct def *d, size_t i)
{
	struct def_question *q = &d->questions[i];
	const cJSON *k[Q_N];
	char sub[DJ_PATH];
	const char *tname;
	long max_length;
	size_t j;
	int r;

	if ((r = dj_keys(c, path, v, question_keys, Q_N, k)) != GH_OK)
		return r;
	dj_path(sub, path, ".id");
	if ((r = dj_id(c, sub, k[Q_ID], &q->id)) != GH_OK)
		return r;
	for (j = 0; j < i; j++)
		if (strcmp(d->questions[j].id, q->id) == 0)
			return dj_fail(c, sub, "duplicate question id \"%s\"",
			    q->id);
	dj_path(sub, path, ".type");
	if ((r = parse_type(c, sub, k[Q_TYPE], q)) != GH_OK)
		return r;
	tname = qtypes[q->type].name;
	dj_path(sub, path, ".required");
	if ((r = dj_bool(c, sub, k[Q_REQUIRED], &q->is_required)) != GH_OK)
		return r;
	dj_path(sub, path, ".label");
	if ((r = dj_text(c, sub, k[Q_LABEL], 0, &q->label)) != GH_OK)
		return r;
	dj_path(sub, path, ".help");
	if ((r = dj_text(c, sub, k[Q_HELP], 1, &q->help)) != GH_OK)
		return r;
	if (q->type != DEF_TEXT) {
		dj_path(sub, path, ".max_length");
		if (k[Q_MAX_LENGTH] != NULL)
			return dj_fail(c, sub, "not allowed for a %s question",
			    tname);
		dj_path(sub, path, ".options");
		return parse_options(c, sub, k[Q_OPTIONS], q,
		    qtypes[q->type].max_options);
	}
	dj_path(sub, path, ".options");
	if (k[Q_OPTIONS] != NULL)
		return dj_fail(c, sub, "not allowed for a text question");
	dj_path(sub, path, ".max_length");
	if ((r = dj_int(c, sub, k[Q_MAX_LENGTH], 1, DEF_MAX_TEXT_CAP,
	    &max_length)) != GH_OK)
		return r;
	q->max_length = (size_t)max_length;
	return GH_OK;
}

static int
parse_root(struct dj *c, const cJSON *root, struct def *d)
{
	const cJSON *k[R_N], *it;
	char path[DJ_PATH];
	size_t n;
	int r;

	if (!cJSON_IsObject(root))
		return dj_fail(c, "$", "must be an object");
	/* The format first: a newer file fails on it, not on a new key. */
	it = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (it == NULL)
		return dj_fail(c, "$.format", "missing");
	if (!cJSON_IsNumber(it) || it->valuedouble != DEF_FORMAT)
		return dj_fail(c, "$.format", "must be %d", DEF_FORMAT);
	if ((r = dj_keys(c, "$", root, root_keys, R_N, k)) != GH_OK)
		return r;
	if ((r = dj_id(c, "$.id", k[R_ID], &d->id)) != GH_OK ||
	    (r = dj_text(c, "$.title", k[R_TITLE], 0, &d->title)) != GH_OK ||
	    (r = dj_text(c, "$.intro", k[R_INTRO], 1, &d->intro)) != GH_OK)
		return r;
	if (k[R_QUESTIONS] == NULL)
		return dj_fail(c, "$.questions", "missing");
	if (!cJSON_IsArray(k[R_QUESTIONS]))
		return dj_fail(c, "$.questions", "must be an array");
	n = (size_t)cJSON_GetArraySize(k[R_QUESTIONS]);
	if (n < 1 || n > DEF_MAX_QUESTIONS)
		return dj_fail(c, "$.questions", "needs 1 to %d questions",
		    DEF_MAX_QUESTIONS);
	if ((d->questions = calloc(n, sizeof(*d->questions))) == NULL)
		return dj_nomem(c);
	for (it = k[R_QUESTIONS]->child; it != NULL; it = it->next) {
		dj_path(path, "$.questions", "[%zu]", d->n_questions);
		d->n_questions++;
		if ((r = parse_question(c, path, it, d, d->n_questions - 1)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}

/* Returns the worst-case encoded length of one answer to q, with its key. */
static size_t
question_bound(const struct def_question *q)
{
	size_t j, n, longest = 0;

	/* Not NULL: compute_bucket runs only once parse_root set every id. */
	/* NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker) */
	n = 1 + strlen(q->id) + 3;	/* ,"ID": */
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		for (j = 0; j < q->n_options; j++)
			if (strlen(q->options[j].id) > longest)
				longest = strlen(q->options[j].id);
		return n + 2 + longest;				/* "OPT" */
	case DEF_MULTI:
		n += 2;						/* [ ] */
		for (j = 0; j < q->n_options; j++)
			n += strlen(q->options[j].id) + 3;	/* "OPT", */
		return n;
	case DEF_TEXT:
		return n + 2 + BUCKET_PER_CHAR * q->max_length;	/* "TEXT" */
	}
	return n;
}

/* Sets d->bucket: the worst-case answer plus one byte of padding, rounded. */
static int
compute_bucket(struct dj *c, struct def *d)
{
	size_t i, n = BUCKET_FIXED;

	for (i = 0; i < d->n_questions; i++)
		n += question_bound(&d->questions[i]);
	n += 1;
	d->bucket = (n + BUCKET_ROUND - 1) / BUCKET_ROUND * BUCKET_ROUND;
	if (d->bucket > SEAL_BUCKET_MAX)
		return dj_fail(c, "$.questions", "an answer could need %zu "
		    "bytes, over the limit of %u; lower max_length", d->bucket,
		    SEAL_BUCKET_MAX);
	return GH_OK;
}

int
def_parse(const char *json, size_t len, const char *name, struct def **out,
    char *err, size_t errsz)
{
	struct dj c = { name, err, errsz };
	struct def *d = NULL;
	cJSON *root = NULL;
	const char *end = NULL;
	size_t pos;
	int r = GH_ERR_INVALID;

	*out = NULL;
	if (errsz > 0)
		err[0] = '\0';
	/* cJSON would stop at a NUL byte and call the rest trailing garbage. */
	if (len > 0 && (end = memchr(json, '\0', len)) != NULL) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    (size_t)(end - json));
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root != NULL)
		while (end < json + len && (*end == ' ' || *end == '\t' ||
		    *end == '\n' || *end == '\r'))
			end++;
	if (root == NULL || end != json + len) {
		pos = end != NULL && end >= json ? (size_t)(end - json) : 0;
		snprintf(err, errsz, "%s: invalid JSON near byte %zu", name,
		    pos);
		goto out;
	}
	if (survey_json_has_nul(json, len, &pos)) {
		snprintf(err, errsz, "%s: invalid JSON near byte %zu: \\u0000 "
		    "not allowed", name, pos);
		goto out;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		r = dj_nomem(&c);
		goto out;
	}
	if ((r = parse_root(&c, root, d)) != GH_OK ||
	    (r = compute_bucket(&c, d)) != GH_OK)
		goto out;
	*out = d;
	d = NULL;
	r = GH_OK;
out:
	cJSON_Delete(root);
	def_free(d);
	return r;
}

/* Reads the whole file at path into a new NUL-terminated buffer. */
static int
read_file(const char *path, char **out, size_t *out_len, char *err,
    size_t errsz)
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
	if ((buf = malloc(DEF_MAX_FILE + 2)) == NULL) {
		r = GH_ERR_NOMEM;
		snprintf(err, errsz, "%s: out of memory", path);
		goto out;
	}
	/* Reading one byte more than allowed tells an over-long file apart. */
	while (len <= DEF_MAX_FILE &&
	    (n = read(fd, buf + len, DEF_MAX_FILE + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errsz, "%s: cannot read: %s", path,
			    strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > DEF_MAX_FILE) {
		r = GH_ERR_INVALID;
		snprintf(err, errsz, "%s: larger than %zu bytes", path,
		    DEF_MAX_FILE);
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

int
def_load_file(const char *path, struct def **out, char **json_out,
    char *err, size_t errsz)
{
	char *text = NULL;
	size_t len;
	int r;

	*out = NULL;
	if (json_out != NULL)
		*json_out = NULL;
	if ((r = read_file(path, &text, &len, err, errsz)) != GH_OK)
		goto out;
	if ((r = def_parse(text, len, path, out, err, errsz)) != GH_OK)
		goto out;
	if (json_out != NULL) {
		*json_out = text;
		text = NULL;
	}
	r = GH_OK;
out:
	free(text);
	return r;
}

static void
question_free(struct def_question *q)
{
	size_t j;

	free(q->id);
	dj_text_free(&q->label);
	dj_text_free(&q->help);
	for (j = 0; j < q->n_options; j++) {
		free(q->options[j].id);
		dj_text_free(&q->options[j].label);
	}
	free(q->options);
}

void
def_free(struct def *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_questions; i++)
		question_free(&d->questions[i]);
	free(d->questions);
	free(d->id);
	dj_text_free(&d->title);
	dj_text_free(&d->intro);
	free(d);
}

int
def_question_index(const struct def *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n_questions; i++)
		if (strcmp(d->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
def_option_index(const struct def_question *q, const char *id)
{
	size_t j;

	for (j = 0; j < q->n_options; j++)
		if (strcmp(q->options[j].id, id) == 0)
			return (int)j;
	return -1;
}

const char *
def_lang_code(enum def_lang lang)
{
	return lang == DEF_EN ? "en" : "nl";
}

int
def_lang_parse(const char *code, enum def_lang *out)
{
	if (code != NULL && strcmp(code, "nl") == 0) {
		*out = DEF_NL;
		return GH_OK;
	}
	if (code != NULL && strcmp(code, "en") == 0) {
		*out = DEF_EN;
		return GH_OK;
	}
	return GH_ERR_INVALID;
}
