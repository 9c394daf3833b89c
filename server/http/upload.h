/*
 * upload.h: multipart/form-data bodies of a new report (POST /melden and
 * /melden/l/LINK), of a reporter's follow-up (/melden/volg) and of the
 * desk's reply (/desk/r/ID/reply: read only for a request whose cookie
 * names a live session, request.c; the router then checks the desk
 * role and the CSRF token in the text fields as for any form), read
 * with libmicrohttpd's post processor. Any other route answers a
 * multipart body 400 (it is not a form there) or 413.
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

#define UPLOAD_FILES_MAX	5
/* The whole body: five files, the form, and the parts' headers. */
#define UPLOAD_MAX_BODY	((size_t)UPLOAD_FILES_MAX * ATTACH_FILE_MAX + \
	FORM_MAX_BODY + (size_t)64 * 1024)

/* Multipart bodies held at once (the rest: 503, try again). */
#define UPLOAD_AT_ONCE	8

/* What is wrong with the files of a body, if anything. */
enum upload_problem {
	UPLOAD_FINE = 0,
	UPLOAD_TOO_MANY,	/* more than UPLOAD_FILES_MAX */
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
	struct upload_file	 files[UPLOAD_FILES_MAX];
	size_t			 n;
	enum upload_problem	 problem;
	char			 problem_name[ATTACH_NAME_MAX + 1];
	int			 in_file;	/* the part now read is a file */
	int			 is_skipping;	/* ... kept no further */
	size_t			 total;		/* bytes of the body */
	struct MHD_PostProcessor *pp;
	/* Appends text to the request's body (request_take_body). */
	int			(*take_text)(struct req *rq, const char *data,
				    size_t len);
};

/* The hex digits of a report id in a desk path (desk.h's DESK_ID_LEN). */
#define UPLOAD_DESK_ID_LEN	32

/* Who may send files to a route. */
enum upload_who {
	UPLOAD_NO = 0,		/* no one: not multipart, or not here */
	UPLOAD_REPORTER,	/* anyone (a reporter has no session) */
	UPLOAD_DESK,		/* a request with a live session only */
};

/* Whether a POST to url with content type ct may carry files, and
 * whose (enum upload_who). */
int upload_is_allowed(const char *url, const char *ct);

/* Starts reading rq's multipart body, its text given to take_text;
 * GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID (no boundary). */
int upload_start(struct req *rq, int (*take_text)(struct req *rq,
    const char *data, size_t len)) GH_WUR;

/* Feeds a chunk; -1 when the body is past UPLOAD_MAX_BODY or its text
 * past FORM_MAX_BODY (rq->is_too_large set). */
int upload_take(struct req *rq, const char *data, size_t len);

/* Ends the post processor once the body is read (a broken body sets
 * UPLOAD_BROKEN). */
void upload_finish(struct req *rq);

/* Wipes and frees everything held; accepts NULL. */
void upload_free(struct upload *u);

#endif
