/*
 * attach_send.c: one opened attachment sent as a download
 * (attach_send.h). Entry points: attach_send, attach_send_free. Never
 * logged: the name, the content.
 */
#include <stdio.h>
#include <stdlib.h>

#include "http/attach_send.h"

/* Frees a sent file, wiping it. */
void
attach_send_free(void *cls)
{
	struct attach_plain *p = cls;

	if (p == NULL)
		return;
	attach_plain_clear(p);
	free(p);
}

/* A name safe inside a quoted header value: ASCII letters, digits and
 * ".-_" kept, everything else '_'; the whole name as UTF-8 in filename*. */
static void
disposition(char *out, size_t outsz, const char *name)
{
	char ascii[ATTACH_NAME_MAX + 1], enc[(size_t)3 * ATTACH_NAME_MAX + 1];
	size_t i, e = 0;
	unsigned char c;
	int is_plain;

	for (i = 0; i < ATTACH_NAME_MAX && name[i] != '\0'; i++) {
		c = (unsigned char)name[i];
		is_plain = c == '.' || c == '-' || c == '_' ||
		    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');
		if (is_plain) {
			ascii[i] = name[i];
			enc[e++] = name[i];
		} else {
			ascii[i] = '_';
			(void)snprintf(enc + e, 4, "%%%02X", c);
			e += 3;
		}
	}
	ascii[i] = '\0';
	enc[e] = '\0';
	(void)snprintf(out, outsz, "attachment; filename=\"%s\"; "
	    "filename*=UTF-8''%s", ascii, enc);
}

enum MHD_Result
attach_send(struct req *rq, struct attach_plain *p)
{
	char cd[64 + (size_t)4 * ATTACH_NAME_MAX];
	struct MHD_Response *resp;

	disposition(cd, sizeof(cd), p->name);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(p->len,
	    p->data, attach_send_free, p);
	if (resp == NULL) {
		attach_send_free(p);
		return MHD_NO;
	}
	http_add_headers(rq, resp, 1);
	MHD_add_response_header(resp, "Content-Type", attach_type_mime(p->type));
	MHD_add_response_header(resp, "Content-Disposition", cd);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	return http_queue(rq, MHD_HTTP_OK, resp);
}
