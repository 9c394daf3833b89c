/*
 * state.c: the sealed page state of a multi-page survey (see state.h).
 *
 * Entry points: state_key_new at server start; per request state_open
 * (text -> base64url decode -> crypto_secretbox_open -> JSON checked
 * completely -> form), state_merge (kept answers + this page's fields),
 * state_drop_hidden (answers a changed answer hides), and state_seal (form -> JSON -> crypto_secretbox under a fresh random
 * nonce -> base64url text for the next page's hidden field);
 * state_plain and state_plain_parse give and read the same JSON for the
 * box of saved answers (crypto/resume.h).
 *
 * The JSON holds answers. It lives on the ordinary heap, in a buffer
 * sized to the answers (state_print), wiped before it is freed, as the request body that carried the same answers does, and
 * every cJSON tree that held it is wiped before it is freed. Guarded
 * sodium_malloc pages cost more than half the server's CPU per respondent
 * (each allocation and free is an mprotect/munmap that makes the other
 * core flush its TLB) and protected nothing the request body does not
 * already hold in plain heap memory; README's Performance section has the
 * figures. Nothing here
 * logs a value; a state that fails to open is the respondent's (or an
 * attacker's) input, not a server fault, so it is not logged either.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "survey/answer.h"
#include "survey/state.h"
#include "survey/state_box.h"
#include "survey/state_int.h"
#include "survey/text.h"
#include "util/util.h"

#define STATE_PREFIX_LEN	(sizeof(ANSWER_FIELD_PREFIX) - 1)
#define STATE_HASH_HEX		((size_t)TOKEN_HASH_BYTES * 2)
#define STATE_B64		sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define STATE_BOX_OVERHEAD	(crypto_secretbox_NONCEBYTES + \
	crypto_secretbox_MACBYTES)
/* cJSON_PrintPreallocated may need a few bytes more than it writes. */
#define STATE_PRINT_SLACK	5
/* The JSON of a state without answers: {"t":"<64 hex>","w":N,"p":N,"a":[]}
 * with numbers of up to 26 characters, and room to spare. */
#define STATE_JSON_FIXED	256
/* Characters cJSON writes at most for a byte of a string (\u00XX). */
#define STATE_JSON_ESCAPE	6

struct state_key {
	uint8_t k[STATE_KEY_BYTES];
};

int
state_key_new(struct state_key **out)
{
	struct state_key *key;

	*out = NULL;
	if ((key = sodium_malloc(sizeof(*key))) == NULL)
		return GH_ERR_NOMEM;
	randombytes_buf(key->k, sizeof(key->k));
	if (sodium_mprotect_readonly(key) != 0) {
		state_key_free(key);
		return GH_ERR_NOMEM;
	}
	*out = key;
	return GH_OK;
}

void
state_key_free(struct state_key *key)
{
	if (key == NULL)
		return;
	/* Read-only since state_key_new: make it writable to wipe it. */
	(void)sodium_mprotect_readwrite(key);
	sodium_memzero(key, sizeof(*key));
	sodium_free(key);
}

/* Returns 1 if name is an answer field name a state may hold. */
static int
state_is_answer_name(const char *name)
{
	size_t len = strlen(name);

	return len > STATE_PREFIX_LEN && len <= FORM_MAX_NAME &&
	    strncmp(name, ANSWER_FIELD_PREFIX, STATE_PREFIX_LEN) == 0;
}

/* Appends a copy of name=value (value_len bytes) to f, which has room. */
static int
state_form_add(struct form *f, const char *name, const char *value,
    size_t value_len)
{
	struct form_field *fl = &f->fields[f->n];

	if ((fl->name = strdup(name)) == NULL ||
	    (fl->value = malloc(value_len + 1)) == NULL) {
		/* Counted, so that form_free frees the name. */
		f->n++;
		return GH_ERR_NOMEM;
	}
	memcpy(fl->value, value, value_len);
	fl->value[value_len] = '\0';
	fl->value_len = value_len;
	f->n++;
	return GH_OK;
}

/* Makes an empty form with room for n fields (at least one). */
static struct form *
state_form_new(size_t n)
{
	struct form *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->fields = calloc(n > 0 ? n : 1, sizeof(*f->fields))) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

/* Builds the JSON tree of a state; NULL if out of memory. */
static cJSON *
state_json(const uint8_t *token_hash, int64_t wave_id, size_t page,
    const struct form *answers)
{
	char hex[STATE_HASH_HEX + 1];
	cJSON *root, *a, *pair;
	size_t i;
	int is_ok;

	sodium_bin2hex(hex, sizeof(hex), token_hash, TOKEN_HASH_BYTES);
	if ((root = cJSON_CreateObject()) == NULL)
		return NULL;
	is_ok = cJSON_AddStringToObject(root, "t", hex) != NULL &&
	    cJSON_AddNumberToObject(root, "w", (double)wave_id) != NULL &&
	    cJSON_AddNumberToObject(root, "p", (double)page) != NULL &&
	    (a = cJSON_AddArrayToObject(root, "a")) != NULL;
	for (i = 0; is_ok && answers != NULL && i < answers->n; i++) {
		const struct form_field *fl = &answers->fields[i];

		if (!state_is_answer_name(fl->name))
			continue;
		is_ok = (pair = cJSON_CreateArray()) != NULL &&
		    cJSON_AddItemToArray(a, pair) &&
		    cJSON_AddItemToArray(pair, cJSON_CreateString(fl->name)) &&
		    cJSON_AddItemToArray(pair, cJSON_CreateString(fl->value));
	}
	if (!is_ok) {
		survey_json_wipe(root);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/*
 * The size of a buffer that the JSON of answers fits: at most 6 characters
 * a byte of every answer field and 8 a pair (quotes, brackets, commas),
 * and no more than STATE_MAX_PLAIN (plus the slack). A state is sealed on
 * every page, so its buffer is sized to its answers, not to the largest
 * state there may be (36 KiB to allocate and wipe each time).
 */
static size_t
state_print_size(const struct form *answers)
{
	const struct form_field *fl;
	size_t i, n = STATE_JSON_FIXED;

	for (i = 0; answers != NULL && i < answers->n &&
	    n <= STATE_MAX_PLAIN; i++) {
		fl = &answers->fields[i];
		if (state_is_answer_name(fl->name))
			n += STATE_JSON_ESCAPE * (strlen(fl->name) +
			    fl->value_len) + 8;
	}
	return (n < STATE_MAX_PLAIN ? n : STATE_MAX_PLAIN) + STATE_PRINT_SLACK;
}

/*
 * Prints root (the JSON of answers) into *plain, a new buffer of *size
 * bytes (wipe all of it before free), and sets *len. Returns GH_OK,
 * GH_ERR_TOO_LARGE past STATE_MAX_PLAIN, or GH_ERR_NOMEM. Should the
 * estimate be short, the print is made again in the largest buffer, so
 * the result never depends on it.
 */
static int
state_print(cJSON *root, const struct form *answers, char **plain,
    size_t *size, size_t *len)
{
	size_t want = state_print_size(answers);

	*len = 0;
	for (;;) {
		if ((*plain = malloc(want)) == NULL) {
			*size = 0;
			return GH_ERR_NOMEM;
		}
		*size = want;
		if (cJSON_PrintPreallocated(root, *plain, (int)want, 0)) {
			*len = strlen(*plain);
			return *len > STATE_MAX_PLAIN ? GH_ERR_TOO_LARGE :
			    GH_OK;
		}
		if (want == STATE_MAX_PLAIN + STATE_PRINT_SLACK)
			return GH_ERR_TOO_LARGE;
		sodium_memzero(*plain, want);
		free(*plain);
		want = STATE_MAX_PLAIN + STATE_PRINT_SLACK;
	}
}

int
state_seal(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id, size_t page,
    const struct form *answers, char **out)
{
	char *plain = NULL;
	size_t plain_len = 0;
	int r;

	*out = NULL;
	if ((r = state_plain(token_hash, wave_id, page, answers, &plain,
	    &plain_len)) != GH_OK)
		return r;
	r = state_box_seal(key, plain, plain_len, out);
	gh_freezero(plain, plain_len + 1);	/* with its NUL */
	return r;
}

int
state_box_seal(const struct state_key *key, const void *plain, size_t len,
    char **out)
{
	uint8_t *box = NULL;
	char *text = NULL;
	size_t box_len = STATE_BOX_OVERHEAD + len, text_len;
	int r = GH_ERR_NOMEM;

	*out = NULL;
	text_len = sodium_base64_ENCODED_LEN(box_len, STATE_B64);
	if ((box = malloc(box_len)) == NULL ||
	    (text = malloc(text_len)) == NULL)
		goto out;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const uint8_t *)plain, len, box, key->k) != 0)
		goto out;
	sodium_bin2base64(text, text_len, box, box_len, STATE_B64);
	*out = text;
	text = NULL;
	r = GH_OK;
out:
	free(box);
	free(text);
	return r;
}

/* Checks that t holds the hex of token_hash; returns 1 if it does. */
static int
state_is_own_token(const cJSON *t, const uint8_t *token_hash)
{
	uint8_t bin[TOKEN_HASH_BYTES];
	size_t n = 0;
	const char *end = NULL;
	int is_ok;

	if (!cJSON_IsString(t) || strlen(t->valuestring) != STATE_HASH_HEX)
		return 0;
	is_ok = sodium_hex2bin(bin, sizeof(bin), t->valuestring,
	    STATE_HASH_HEX, NULL, &n, &end) == 0 &&
	    n == TOKEN_HASH_BYTES && *end == '\0' &&
	    sodium_memcmp(bin, token_hash, TOKEN_HASH_BYTES) == 0;
	sodium_memzero(bin, sizeof(bin));
	return is_ok;
}

/* Returns 1 if v is a whole number in [lo, hi], and stores it in *out. */
static int
state_int(const cJSON *v, double lo, double hi, double *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < lo ||
	    v->valuedouble > hi || v->valuedouble != (double)(int64_t)
	    v->valuedouble)
		return 0;
	*out = v->valuedouble;
	return 1;
}

/* Checks the answer list: [["q_...", "value"], ...]; returns 1 if good. */
static int
state_is_answer_list(const cJSON *a)
{
	const cJSON *pair, *name, *value;
	size_t n = 0;

	if (!cJSON_IsArray(a))
		return 0;
	cJSON_ArrayForEach(pair, a) {
		if (++n > FORM_MAX_FIELDS || !cJSON_IsArray(pair) ||
		    cJSON_GetArraySize(pair) != 2)
			return 0;
		name = pair->child;
		value = name->next;
		if (!cJSON_IsString(name) || !cJSON_IsString(value) ||
		    !state_is_answer_name(name->valuestring))
			return 0;
	}
	return 1;
}

/*
 * Checks the whole JSON state for token_hash and wave_id before any field
 * is used: exactly the keys t, w, p and a, each once and well formed.
 */
static int
state_check(const cJSON *root, const uint8_t *token_hash, int64_t wave_id,
    size_t *page)
{
	const cJSON *it, *t = NULL, *w = NULL, *p = NULL, *a = NULL;
	const cJSON **slot;
	double wv, pv;

	if (!cJSON_IsObject(root))
		return 0;
	cJSON_ArrayForEach(it, root) {
		slot = strcmp(it->string, "t") == 0 ? &t :
		    strcmp(it->string, "w") == 0 ? &w :
		    strcmp(it->string, "p") == 0 ? &p :
		    strcmp(it->string, "a") == 0 ? &a : NULL;
		if (slot == NULL || *slot != NULL)
			return 0;	/* unknown or repeated key */
		*slot = it;
	}
	if (t == NULL || w == NULL || p == NULL || a == NULL ||
	    !state_is_own_token(t, token_hash) ||
	    !state_int(w, 1, 9007199254740992.0, &wv) ||
	    (int64_t)wv != wave_id ||
	    !state_int(p, 0, DEF_MAX_PAGES - 1, &pv) ||
	    !state_is_answer_list(a))
		return 0;
	*page = (size_t)pv;
	return 1;
}

/* Copies the checked answer list a into a new form. */
static int
state_answers(const cJSON *a, struct form **out)
{
	const cJSON *pair;
	struct form *f;
	int r = GH_OK;

	if ((f = state_form_new((size_t)cJSON_GetArraySize(a))) == NULL)
		return GH_ERR_NOMEM;
	cJSON_ArrayForEach(pair, a) {
		const char *v = pair->child->next->valuestring;

		if ((r = state_form_add(f, pair->child->valuestring, v,
		    strlen(v))) != GH_OK)
			break;
	}
	if (r != GH_OK) {
		form_free(f);
		return r;
	}
	*out = f;
	return GH_OK;
}

int
state_box_open(const struct state_key *key, const char *text, size_t len,
    char **plain, size_t *plain_len)
{
	uint8_t *box = NULL;
	const char *end = NULL;
	size_t box_len = 0;
	int r = GH_ERR_NOMEM;

	*plain = NULL;
	if ((box = malloc(len / 4 * 3 + 3)) == NULL)
		goto out;
	r = GH_ERR_INVALID;
	if (sodium_base642bin(box, len / 4 * 3 + 3, text, len, NULL,
	    &box_len, &end, STATE_B64) != 0 || end != text + len ||
	    box_len < STATE_BOX_OVERHEAD)
		goto out;
	*plain_len = box_len - STATE_BOX_OVERHEAD;
	r = GH_ERR_NOMEM;
	if ((*plain = malloc(*plain_len + 1)) == NULL)
		goto out;
	r = GH_ERR_CRYPTO;
	if (crypto_secretbox_open_easy((uint8_t *)*plain,
	    box + crypto_secretbox_NONCEBYTES,
	    box_len - crypto_secretbox_NONCEBYTES, box, key->k) != 0) {
		sodium_memzero(*plain, *plain_len);
		free(*plain);
		*plain = NULL;
		goto out;
	}
	(*plain)[*plain_len] = '\0';
	r = GH_OK;
out:
	free(box);
	return r;
}

int
state_parse(const char *plain, size_t plain_len,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id, size_t *page,
    struct form **answers)
{
	cJSON *root = NULL;
	size_t at, p = 0;
	int r = GH_ERR_INVALID;

	*answers = NULL;
	/* cJSON would cut a string at "\u0000" and lose its length. */
	if (survey_json_has_nul(plain, plain_len, &at) ||
	    (root = cJSON_ParseWithLength(plain, plain_len)) == NULL ||
	    !state_check(root, token_hash, wave_id, &p))
		goto out;
	if ((r = state_answers(cJSON_GetObjectItemCaseSensitive(root, "a"),
	    answers)) != GH_OK)
		goto out;
	*page = p;
	r = GH_OK;
out:
	if (root != NULL) {
		survey_json_wipe(root);
		cJSON_Delete(root);
	}
	return r;
}

int
state_open(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const char *text, size_t len, size_t *page, struct form **answers)
{
	char *plain = NULL;
	size_t plain_len = 0;
	int r = GH_ERR_TOO_LARGE;

	*answers = NULL;
	if (len > STATE_MAX_TEXT)
		goto out;
	if ((r = state_box_open(key, text, len, &plain, &plain_len)) != GH_OK)
		goto out;
	r = state_parse(plain, plain_len, token_hash, wave_id, page, answers);
out:
	if (plain != NULL) {
		sodium_memzero(plain, plain_len);
		free(plain);
	}
	return r;
}

int
state_plain(const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    size_t page, const struct form *answers, char **out, size_t *len)
{
	cJSON *root = NULL;
	char *plain = NULL;
	size_t size = 0, n = 0;
	int r = GH_ERR_INVALID;

	*out = NULL;
	*len = 0;
	if (page >= DEF_MAX_PAGES ||
	    (answers != NULL && answers->n > FORM_MAX_FIELDS))
		goto out;
	r = GH_ERR_NOMEM;
	if ((root = state_json(token_hash, wave_id, page, answers)) == NULL)
		goto out;
	if ((r = state_print(root, answers, &plain, &size, &n)) != GH_OK)
		goto out;
	*len = n;
	*out = plain;
	plain = NULL;
	r = GH_OK;
out:
	if (root != NULL) {
		survey_json_wipe(root);
		cJSON_Delete(root);
	}
	if (plain != NULL) {
		sodium_memzero(plain, size);
		free(plain);
	}
	return r;
}

int
state_plain_parse(const char *plain, size_t len,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    size_t *page, struct form **answers)
{
	if (len > STATE_MAX_PLAIN) {
		*answers = NULL;
		return GH_ERR_INVALID;
	}
	return state_parse(plain, len, token_hash, wave_id, page, answers);
}

/*
 * Returns the page of the question that answer field name is for, or
 * DEF_MAX_PAGES if d has no such question.
 */
static size_t
state_field_page(const struct def *d, const char *name)
{
	int qi;

	if (!state_is_answer_name(name) ||
	    (qi = def_question_index(d, name + STATE_PREFIX_LEN)) < 0)
		return DEF_MAX_PAGES;
	return d->questions[qi].page;
}

/* Returns 1 if the posted field name=value is dropped (see state_merge). */
static int
state_is_dropped(const struct def *d, const struct form_field *fl)
{
	int qi;

	if (!state_is_answer_name(fl->name))
		return 1;
	qi = def_question_index(d, fl->name + STATE_PREFIX_LEN);
	return qi >= 0 && d->questions[qi].type == DEF_NUMBER &&
	    fl->value_len == 0;
}

int
state_merge(const struct def *d, size_t pi, const struct form *kept,
    const struct form *posted, struct form **out)
{
	const struct form_field *fl;
	struct form *f;
	size_t i, n = 0, fp;
	int r = GH_OK;

	*out = NULL;
	n = (kept != NULL ? kept->n : 0) + (posted != NULL ? posted->n : 0);
	if ((f = state_form_new(n)) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; kept != NULL && i < kept->n && r == GH_OK; i++) {
		fl = &kept->fields[i];
		fp = state_field_page(d, fl->name);
		if (fp != pi && fp != DEF_MAX_PAGES)
			r = state_form_add(f, fl->name, fl->value,
			    fl->value_len);
	}
	for (i = 0; posted != NULL && i < posted->n && r == GH_OK; i++) {
		fl = &posted->fields[i];
		fp = state_field_page(d, fl->name);
		if ((fp == pi || fp == DEF_MAX_PAGES) &&
		    !state_is_dropped(d, fl))
			r = state_form_add(f, fl->name, fl->value,
			    fl->value_len);
	}
	if (r != GH_OK) {
		form_free(f);
		return r;
	}
	*out = f;
	return GH_OK;
}

void
state_drop_hidden(const struct def *d, struct form *f,
    const struct def_answer *a)
{
	struct form_field *fl;
	size_t i, kept = 0;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		fl = &f->fields[i];
		if (!answer_field_is_hidden(d, fl->name, a)) {
			f->fields[kept++] = *fl;
			continue;
		}
		sodium_memzero(fl->name, strlen(fl->name));
		sodium_memzero(fl->value, fl->value_len);
		free(fl->name);
		free(fl->value);
	}
	/* The moved-from tail holds pointers still in use: clear it. */
	if (kept < f->n)
		memset(f->fields + kept, 0, (f->n - kept) *
		    sizeof(*f->fields));
	f->n = kept;
}
