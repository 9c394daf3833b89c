/*
 * page_invite.h: the page of a blind invitation (GET /i/CODE) and the
 * page of an invitation used already.
 */
#ifndef GH_PAGE_INVITE_H
#define GH_PAGE_INVITE_H

#include <stdint.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/*
 * Renders the invitation page for code (its own address /i/CODE is
 * where the script posts), naming batch and its VOPRF public key pk
 * (32 bytes, shown in hex), with web/voprf/'s script (/static/voprf.js)
 * under a Subresource Integrity hash. Without JavaScript the page says
 * that this step needs it and offers nothing else. Returns GH_OK,
 * GH_ERR_NOMEM or GH_ERR_INVALID (a template error, or no script).
 */
int page_invite(struct buf *out, enum def_lang lang, const char *code,
    int64_t batch, const uint8_t pk[32]) GH_WUR;

/* Renders the page of an invitation used already (status 410). */
int page_invite_used(struct buf *out, enum def_lang lang) GH_WUR;

/*
 * Writes the integrity attribute's value for web asset name,
 * "sha512-" and the base64 of its SHA-512, into out (outsz bytes).
 * Returns GH_OK, GH_ERR_NOT_FOUND or GH_ERR_TOO_LARGE.
 */
int page_asset_sri(char *out, size_t outsz, const char *name) GH_WUR;

#endif
