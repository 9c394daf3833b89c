/*
 * upload.h: multipart/form-data bodies of a new report (POST /melden and
 * /melden/l/LINK), of a reporter's follow-up (/melden/volg), of the
 * desk's reply (/desk/r/ID/reply), of the console's release upload and
 * suppression preview (POST /console/release/upload,
 * /console/release/preview: at most UPLOAD_RELEASE_FILES files, each of
 * at most ATTACH_FILE_MAX bytes, within the same UPLOAD_MAX_BODY) and of
 * the console's settings (/console/settings: the organisation's logo, a
 * body of at most UPLOAD_SETTINGS_MAX_BODY), read with libmicrohttpd's
 * post processor. The desk's and the console's bodies are read only for
 * a request whose cookie names a live session of the route's role
 * (request.c, upload_role), so that no one else makes the server hold a
 * large body; the router then checks the role and the CSRF token in the
 * text fields as for any form. Any other route answers a multipart body
 * 400 (it is not a form there) or 413.
 *
 * The text fields are written into the request's body re-encoded as
 * application/x-www-form-urlencoded, so the routes parse them as any
 * other form (form_parse), within FORM_MAX_BODY. The files are held in
 * memory, at most UPLOAD_FILES_MAX of at most ATTACH_FILE_MAX bytes
 * each, and wiped when the request ends; one too many or too large is
 * remembered (by its name) and the rest of the body is read but not
 * kept, so the route can show the form again with the text kept.
 * At most UPLOAD_AT_ONCE multipart bodies are held at a time, so that a
 * flood of large bodies cannot make the server hold more than
 * UPLOAD_AT_ONCE x UPLOAD_MAX_BODY (about 400 MB): one more is answered
 * 503 with Retry-After before its body is read.
 *
 * Entry points: upload_is_allowed (which requests may carry files),
 * upload_start (request_start), upload_take (each chunk of the body),
 * upload_finish (once the body is read), upload_free.
 */
#ifndef GH_HTTP_UPLOAD_H
#define GH_HTTP_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "report/attach_clean.h"
#include "report/attach_seal.h"
#include "survey/form.h"

struct req;

#define UPLOAD_FILES_MAX	5	/* a report's attachments */
/* A release's files: MANIFEST, MANIFEST.sig, release-key.pub, tables.csv,
 * tables.json, codebook.json, codebook.csv, audit.json. */
#define UPLOAD_RELEASE_FILES	8
#define UPLOAD_FILES_CAP	UPLOAD_RELEASE_FILES
/* The whole body: five files, the form, and the parts' headers. */
#define UPLOAD_MAX_BODY	((size_t)UPLOAD_FILES_MAX * ATTACH_FILE_MAX + \
	FORM_MAX_BODY + (size_t)64 * 1024)

/* The settings' body: a logo a few times PAGE_LOGO_MAX, so that one
 * somewhat too large is named on the form (422) rather than cut (413). */
#define UPLOAD_SETTINGS_MAX_BODY	((size_t)2 * 1024 * 1024)

/* Multipart bodies held at once (the rest: 503, try again). */
#define UPLOAD_AT_ONCE	8

/* What is wrong with the files of a body, if anything. */
enum upload_problem {
	UPLOAD_FINE = 0,
	UPLOAD_TOO_MANY,	/* more than the route's max_files */
	UPLOAD_TOO_LARGE,	/* one over ATTACH_FILE_MAX */
	UPLOAD_BAD_NAME,	/* a name that cannot be kept */
	UPLOAD_BROKEN,		/* the multipart body cannot be read */
};

struct upload_file {
	char		 name[ATTACH_NAME_MAX + 1];
	uint8_t		*data;		/* wiped when freed */
	size_t		 len;
	size_t		 cap;
};

struct upload {
	struct upload_file	 files[UPLOAD_FILES_CAP];
	size_t			 n;
	size_t			 max_files;	/* the route's (upload_is_allowed) */
	enum upload_problem	 problem;
	char			 problem_name[ATTACH_NAME_MAX + 1];
	int			 in_file;	/* the part now read is a file */
	int			 is_skipping;	/* ... kept no further */
	size_t			 total;		/* bytes of the body */
	size_t			 max_body;	/* upload_max_body of the url */
	struct MHD_PostProcessor *pp;
	/* Appends text to the request's body (request_take_body). */
	int			(*take_text)(struct req *rq, const char *data,
				    size_t len);
};

/* The hex digits of a report id in a desk path (desk.h's DESK_ID_LEN). */
#define UPLOAD_DESK_ID_LEN	32

/* Anyone may send files (a reporter has no session): upload_role. */
#define UPLOAD_ROLE_ANYONE	(-1)

/* How many files a POST to url with content type ct may carry (0: none:
 * it is no multipart body of a route that takes files). */
size_t upload_is_allowed(const char *url, const char *ct);

/* The role (enum user_role) whose live session a multipart POST to url
 * needs before its body is read, or UPLOAD_ROLE_ANYONE. */
int upload_role(const char *url);

/* The largest multipart body a POST to url (an allowed one) may have. */
size_t upload_max_body(const char *url);

/* Starts reading rq's multipart body of at most max_files files and
 * max_body bytes, its text given to take_text; GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID (no boundary). */
int upload_start(struct req *rq, size_t max_files, size_t max_body,
    int (*take_text)(struct req *rq, const char *data, size_t len)) GH_WUR;

/* Feeds a chunk; -1 when the body is past max_body or its text
 * past FORM_MAX_BODY (rq->is_too_large set). */
int upload_take(struct req *rq, const char *data, size_t len);

/* Ends the post processor once the body is read (a broken body sets
 * UPLOAD_BROKEN). */
void upload_finish(struct req *rq);

/* Wipes and frees everything held; accepts NULL. */
void upload_free(struct upload *u);

#endif
