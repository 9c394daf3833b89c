/*
 * keyfile_int.h: the check of a key file's bytes, apart from keyfile_open
 * (internal to crypto/; keyfile.h is the API).
 *
 * keyfile_open reads untrusted bytes from disk and must refuse a bad file
 * before it runs Argon2id with the limits the file states. That check is
 * its own function so that tests/fuzz/fuzz_keyfile.c can reach it without
 * a key derivation per input.
 */
#ifndef GH_KEYFILE_INT_H
#define GH_KEYFILE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Checks every field of the len bytes at buf that is used before the
 * passphrase (pwbox_check): the size (exactly KEYFILE_SIZE), the magic and
 * the Argon2id limits (between MODERATE and SENSITIVE). Returns GH_OK or
 * GH_ERR_INVALID.
 */
int keyfile_check_header(const uint8_t *buf, size_t len) GH_WUR;

#endif
