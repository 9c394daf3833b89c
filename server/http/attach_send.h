/*
 * attach_send.h: sending one opened attachment as a download (the desk's
 * GET /desk/r/ID/file, the reporter's POST /melden/volg action "file"):
 * its type, Content-Disposition: attachment with its name, nosniff,
 * Cache-Control: no-store, from memory that is wiped once sent.
 * Implemented in attach_send.c.
 */
#ifndef GH_HTTP_ATTACH_SEND_H
#define GH_HTTP_ATTACH_SEND_H

#include "http/http_int.h"
#include "report/attach_seal.h"

/* Queues p (calloc'd, filled by attach_open; taken over on every path:
 * wiped and freed once sent or on failure) with status 200. */
enum MHD_Result attach_send(struct req *rq, struct attach_plain *p);

/* Wipes and frees cls (a calloc'd struct attach_plain); accepts NULL. */
void attach_send_free(void *cls);

#endif
