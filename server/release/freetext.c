/*
 * freetext.c: the free-text export of gehoord release --free-text
 * (release.h). Never part of a release and never stored: for qualitative
 * coding by the key custodian only.
 *
 * Every text question that is no background variable (gender_self, a
 * self-description, is never exported) collects its answers, each on its
 * own: nothing else of the respondent travels with it. At the end each
 * question's answers are shuffled (libsodium's randombytes_uniform,
 * Fisher-Yates) so that the order says nothing about the order of
 * opening, and written one a row, only if at least k respondents
 * answered the question. The texts are wiped from memory when freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "release/release.h"
#include "util/sbuf.h"

struct ft_q {
	const char	*id;
	char		**texts;
	size_t		 n, cap;
};

struct release_freetext {
	struct ft_q	*qs;
	size_t		 n;
	pthread_mutex_t	 lock;
};

int
release_freetext_new(const struct def *d, struct release_freetext **out)
{
	struct release_freetext *ft;
	size_t i;

	if ((ft = calloc(1, sizeof(*ft))) == NULL ||
	    (ft->qs = calloc(d->n_questions, sizeof(*ft->qs))) == NULL) {
		free(ft);
		return GH_ERR_NOMEM;
	}
	pthread_mutex_init(&ft->lock, NULL);
	for (i = 0; i < d->n_questions; i++)
		if (d->questions[i].type == DEF_TEXT &&
		    d->questions[i].background == DEF_BG_NONE)
			ft->qs[ft->n++].id = d->questions[i].id;
	*out = ft;
	return GH_OK;
}

static int
push(struct ft_q *q, const char *s)
{
	char **t;

	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 64;

		if ((t = realloc(q->texts, cap * sizeof(*t))) == NULL)
			return GH_ERR_NOMEM;
		q->texts = t;
		q->cap = cap;
	}
	if ((q->texts[q->n] = strdup(s)) == NULL)
		return GH_ERR_NOMEM;
	q->n++;
	return GH_OK;
}

int
release_freetext_add(struct release_freetext *ft, const uint8_t *plain,
    size_t len)
{
	cJSON *root, *a, *v;
	size_t i;
	int rc = GH_OK;

	if ((root = cJSON_ParseWithLength((const char *)plain, len)) == NULL)
		return GH_ERR_INVALID;	/* answer_decode took it: memory */
	a = cJSON_GetObjectItemCaseSensitive(root, "a");
	pthread_mutex_lock(&ft->lock);
	for (i = 0; i < ft->n && rc == GH_OK; i++) {
		v = cJSON_GetObjectItemCaseSensitive(a, ft->qs[i].id);
		if (cJSON_IsString(v) && v->valuestring[0] != '\0')
			rc = push(&ft->qs[i], v->valuestring);
	}
	pthread_mutex_unlock(&ft->lock);
	/* cJSON's copy of the plaintext: wipe every string before freeing. */
	for (v = a != NULL ? a->child : NULL; v != NULL; v = v->next)
		if (cJSON_IsString(v))
			sodium_memzero(v->valuestring, strlen(v->valuestring));
	cJSON_Delete(root);
	return rc;
}

static void
shuffle(struct ft_q *q)
{
	size_t i, j;
	char *t;

	for (i = q->n; i > 1; i--) {
		j = randombytes_uniform((uint32_t)i);
		t = q->texts[i - 1];
		q->texts[i - 1] = q->texts[j];
		q->texts[j] = t;
	}
}

/* One CSV field and the row end, quoted as release_csv_field quotes. */
static void
csv_row(struct sbuf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		sbuf_puts(b, s);
	} else {
		sbuf_puts(b, "\"");
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				sbuf_puts(b, "\"");	/* doubled */
			sbuf_add(b, p, 1);
		}
		sbuf_puts(b, "\"");
	}
	sbuf_puts(b, "\r\n");
}

static int
write_q(struct ft_q *q, const char *dir)
{
	struct sbuf *b;
	char path[4096];
	size_t i;
	int fd, rc = GH_ERR_IO;

	if ((b = sbuf_new()) == NULL)
		return GH_ERR_NOMEM;
	shuffle(q);
	sbuf_puts(b, "answer\r\n");
	for (i = 0; i < q->n; i++)
		csv_row(b, q->texts[i]);
	snprintf(path, sizeof(path), "%s/free-text-%s.csv", dir, q->id);
	if (sbuf_is_failed(b))
		rc = GH_ERR_NOMEM;
	else if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) >= 0) {
		if (write(fd, sbuf_data(b), sbuf_len(b)) ==
		    (ssize_t)sbuf_len(b) && fsync(fd) == 0)
			rc = GH_OK;
		if (close(fd) != 0)
			rc = GH_ERR_IO;
	}
	if (rc == GH_ERR_IO)
		fprintf(stderr, "gehoord release: --free-text: %s: %s\n", path,
		    strerror(errno));
	sbuf_free(b);
	return rc;
}

int
release_freetext_write(struct release_freetext *ft, const char *dir, int k,
    size_t *n_files)
{
	size_t i;
	int rc;

	*n_files = 0;
	if (mkdir(dir, 0700) != 0) {
		fprintf(stderr, "gehoord release: --free-text: %s: %s\n", dir,
		    strerror(errno));
		return GH_ERR_IO;
	}
	for (i = 0; i < ft->n; i++) {
		if (ft->qs[i].n < (size_t)k)
			continue;
		if ((rc = write_q(&ft->qs[i], dir)) != GH_OK)
			return rc;
		(*n_files)++;
	}
	return GH_OK;
}

void
release_freetext_free(struct release_freetext *ft)
{
	size_t i, j;

	if (ft == NULL)
		return;
	for (i = 0; i < ft->n; i++) {
		for (j = 0; j < ft->qs[i].n; j++)
			gh_freezero(ft->qs[i].texts[j],
			    strlen(ft->qs[i].texts[j]));
		free(ft->qs[i].texts);
	}
	free(ft->qs);
	pthread_mutex_destroy(&ft->lock);
	free(ft);
}
