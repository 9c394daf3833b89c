/*
 * upload.c: multipart/form-data bodies of the report routes and the
 * console's release upload (upload.h).
 *
 * Entry points: upload_is_allowed, upload_start, upload_take,
 * upload_finish, upload_free. Data path: MHD's post processor calls
 * on_part for every piece of every part; a text part is appended to
 * rq->body percent-encoded (take_text keeps FORM_MAX_BODY), a
 * file part to its own buffer. (take_text is request_take_body, given by
 * request.c.) Nothing here logs a name or a byte.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http/http_int.h"
#include "http/upload.h"
#include "pages/report.h"
#include "store/store_user.h"

/* The page's file list (web/report_files.js) counts against this limit. */
_Static_assert(UPLOAD_FILES_MAX == PAGE_REPORT_FILES_MAX,
    "the report pages show the upload's file limit");

#define UPLOAD_PP_BUFFER	((size_t)16 * 1024)

/* Multipart bodies being held now: upload_start counts one in,
 * upload_free one out (each upload is freed once, by its last owner). */
static atomic_int n_held;

/* Whether url is /desk/r/ID/reply, ID 32 lowercase hex digits. */
static int
is_desk_reply(const char *url)
{
	static const char pre[] = "/desk/r/", post[] = "/reply";
	size_t i, n = sizeof(pre) - 1;

	if (strncmp(url, pre, n) != 0)
		return 0;
	for (i = 0; i < UPLOAD_DESK_ID_LEN; i++)
		if (!((url[n + i] >= '0' && url[n + i] <= '9') ||
		    (url[n + i] >= 'a' && url[n + i] <= 'f')))
			return 0;
	return strcmp(url + n + UPLOAD_DESK_ID_LEN, post) == 0;
}

size_t
upload_is_allowed(const char *url, const char *ct)
{
	static const char type[] = "multipart/form-data";

	if (ct == NULL || strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return 0;
	if (strcmp(url, "/melden") == 0 ||
	    strncmp(url, "/melden/l/", 10) == 0 ||
	    strcmp(url, "/melden/volg") == 0 || is_desk_reply(url))
		return UPLOAD_FILES_MAX;
	/* The coordinator's release and its suppression pattern. */
	if (strcmp(url, "/console/release/upload") == 0 ||
	    strcmp(url, "/console/release/preview") == 0)
		return UPLOAD_RELEASE_FILES;
	/* The organisation's logo. */
	if (strcmp(url, "/console/settings") == 0)
		return 1;
	return 0;
}

int
upload_role(const char *url)
{
	if (is_desk_reply(url))
		return USER_DESK;
	if (strncmp(url, "/console/", 9) == 0)
		return USER_COORDINATOR;
	return UPLOAD_ROLE_ANYONE;
}

size_t
upload_max_body(const char *url)
{
	return strcmp(url, "/console/settings") == 0 ?
	    UPLOAD_SETTINGS_MAX_BODY : UPLOAD_MAX_BODY;
}

/* Appends v (n bytes) percent-encoded; -1 past FORM_MAX_BODY. */
static int
append_encoded(struct req *rq, const char *v, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char out[(size_t)3 * 256];
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
		if (o > sizeof(out) - 3) {
			if (rq->up->take_text(rq, out, o) != 0)
				return -1;
			o = 0;
		}
	}
	return o == 0 ? 0 : rq->up->take_text(rq, out, o);
}

/* The last path element of a client's file name ("C:\\x\\y.jpg": y.jpg). */
static const char *
base_name(const char *name)
{
	const char *p, *b = name;

	for (p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

static void
set_problem(struct upload *u, enum upload_problem p, const char *name)
{
	if (u->problem == UPLOAD_FINE) {
		u->problem = p;
		snprintf(u->problem_name, sizeof(u->problem_name), "%s",
		    name != NULL && attach_name_is_valid(name, strlen(name)) ?
		    name : "");
	}
	u->is_skipping = 1;
}

/* The first piece of a file part: a new file, or a problem. */
static void
file_begin(struct upload *u, const char *filename)
{
	const char *name = base_name(filename);
	struct upload_file *f;

	u->in_file = 1;
	u->is_skipping = 0;
	if (u->problem != UPLOAD_FINE) {
		u->is_skipping = 1;
		return;
	}
	if (u->n == u->max_files) {
		set_problem(u, UPLOAD_TOO_MANY, name);
		return;
	}
	if (!attach_name_is_valid(name, strlen(name))) {
		set_problem(u, UPLOAD_BAD_NAME, NULL);
		return;
	}
	f = &u->files[u->n++];
	snprintf(f->name, sizeof(f->name), "%s", name);
}

/* Appends a piece to the file being read. */
static int
file_take(struct upload *u, const char *data, size_t size)
{
	struct upload_file *f = &u->files[u->n - 1];
	uint8_t *nb;
	size_t cap;

	if (size > ATTACH_FILE_MAX - f->len) {
		set_problem(u, UPLOAD_TOO_LARGE, f->name);
		return 0;
	}
	if (f->len + size > f->cap) {
		cap = f->cap ? f->cap : (size_t)64 * 1024;
		while (cap < f->len + size)
			cap *= 2;
		if (cap > ATTACH_FILE_MAX)
			cap = ATTACH_FILE_MAX;
		/* Grow by copying, so the old buffer can be wiped first. */
		if ((nb = malloc(cap)) == NULL)
			return -1;
		if (f->data != NULL) {
			memcpy(nb, f->data, f->len);
			sodium_memzero(f->data, f->cap);
			free(f->data);
		}
		f->data = nb;
		f->cap = cap;
	}
	memcpy(f->data + f->len, data, size);
	f->len += size;
	return 0;
}

static enum MHD_Result
on_part(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct req *rq = cls;
	struct upload *u = rq->up;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (key == NULL)
		return MHD_YES;
	if (filename != NULL) {
		/* An empty file input sends an empty part: no file. */
		if (off == 0 && size > 0 && filename[0] != '\0')
			file_begin(u, filename);
		else if (off == 0) {
			u->in_file = 0;	/* nothing of this part is kept */
			return MHD_YES;
		}
		if (size == 0 || u->is_skipping || !u->in_file)
			return MHD_YES;
		return file_take(u, data, size) == 0 ? MHD_YES : MHD_NO;
	}
	if (off == 0) {
		u->in_file = 0;
		if ((rq->body_len > 0 && rq->up->take_text(rq, "&", 1) != 0) ||
		    append_encoded(rq, key, strlen(key)) != 0 ||
		    rq->up->take_text(rq, "=", 1) != 0)
			return MHD_NO;
	}
	return size == 0 || append_encoded(rq, data, size) == 0 ? MHD_YES :
	    MHD_NO;
}

int
upload_start(struct req *rq, size_t max_files, size_t max_body,
    int (*take_text)(struct req *rq, const char *data, size_t len))
{
	if (atomic_fetch_add(&n_held, 1) >= UPLOAD_AT_ONCE) {
		atomic_fetch_sub(&n_held, 1);
		return GH_ERR_BUSY;
	}
	if ((rq->up = calloc(1, sizeof(*rq->up))) == NULL) {
		atomic_fetch_sub(&n_held, 1);
		return GH_ERR_NOMEM;
	}
	rq->up->take_text = take_text;
	rq->up->max_files = max_files < UPLOAD_FILES_CAP ? max_files :
	    UPLOAD_FILES_CAP;
	rq->up->max_body = max_body;
	rq->up->pp = MHD_create_post_processor(rq->conn, UPLOAD_PP_BUFFER,
	    on_part, rq);
	return rq->up->pp != NULL ? GH_OK : GH_ERR_INVALID;
}

int
upload_take(struct req *rq, const char *data, size_t len)
{
	struct upload *u = rq->up;

	if (rq->is_too_large)
		return 0;	/* read, not kept: the answer is 413 */
	if (len > u->max_body - u->total) {
		rq->is_too_large = 1;
		return -1;
	}
	u->total += len;
	if (u->pp == NULL)
		return 0;
	if (MHD_post_process(u->pp, data, len) != MHD_YES) {
		if (!rq->is_too_large)
			set_problem(u, UPLOAD_BROKEN, NULL);
		(void)MHD_destroy_post_processor(u->pp);
		u->pp = NULL;
	}
	return 0;
}

void
upload_finish(struct req *rq)
{
	struct upload *u = rq->up;

	if (u == NULL || u->pp == NULL)
		return;
	if (MHD_destroy_post_processor(u->pp) != MHD_YES &&
	    !rq->is_too_large)
		set_problem(u, UPLOAD_BROKEN, NULL);
	u->pp = NULL;
}

void
upload_free(struct upload *u)
{
	size_t i;

	if (u == NULL)
		return;
	if (u->pp != NULL)
		(void)MHD_destroy_post_processor(u->pp);
	for (i = 0; i < UPLOAD_FILES_CAP; i++) {
		if (u->files[i].data != NULL) {
			sodium_memzero(u->files[i].data, u->files[i].cap);
			free(u->files[i].data);
		}
	}
	sodium_memzero(u, sizeof(*u));
	free(u);
	atomic_fetch_sub(&n_held, 1);
}
