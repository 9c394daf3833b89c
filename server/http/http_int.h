/*
 * http_int.h: the per-request state and the response helpers that the
 * server's own files share. Internal to server/http/.
 */
#ifndef GH_HTTP_INT_H
#define GH_HTTP_INT_H

#include <microhttpd.h>

#include "http/ctx.h"
#include "survey/def.h"
#include "store/writer.h"
#include "util/buf.h"

enum req_stage {
	REQ_NEW,	/* headers seen, first callback returned */
	REQ_BODY,	/* receiving the body */
	REQ_WAITING,	/* suspended: the writer has the job */
	REQ_DURABLE,	/* resumed: the job's result is in job.sub.result */
};

struct req {
	struct http_ctx		*ctx;
	struct MHD_Connection	*conn;
	enum req_stage		 stage;
	int			 is_post;
	int			 is_form;	/* urlencoded content type */
	int			 is_too_large;
	char			*body;		/* wiped when freed */
	size_t			 body_len;
	struct writer_job	 job;
	uint8_t			*sealed;
	size_t			 sealed_len;
	enum def_lang		 lang;
};

/* Queues b (taken over, freed by MHD) as an HTML page with status. */
enum MHD_Result http_send_html(struct req *rq, unsigned int status,
    struct buf *b);

/* Renders and sends a message page of kind (page.h) in the request's lang. */
enum MHD_Result http_send_page(struct req *rq, int kind);

/* Handles GET and POST of /s/TOKEN (token is the text after "/s/"). */
enum MHD_Result route_survey(struct req *rq, const char *token);

#endif
