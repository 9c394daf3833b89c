/*
 * console_waves.h: what the console's wave routes share
 * (route_console.c: the waves page and its actions;
 * route_console_test.c: previews and test links). Internal to
 * server/http/.
 */
#ifndef GH_HTTP_CONSOLE_WAVES_H
#define GH_HTTP_CONSOLE_WAVES_H

#include <stdint.h>

#include "http/http_int.h"
#include "http/router.h"

/*
 * Sends the waves page with status and notice key (NULL: none; an error
 * if is_error, when the create form also gets its name and k back).
 */
enum MHD_Result console_waves_page(struct req *rq, const struct http_auth *a,
    unsigned int status, const char *key, int is_error);

/* Reads the form's "wave" into *id: 0, or -1 if it is not a wave id. */
int console_form_wave(const struct http_auth *a, int64_t *id);

#endif
