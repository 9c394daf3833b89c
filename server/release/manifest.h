/*
 * manifest.h: the signed MANIFEST of a release directory, and its check
 * (gehoord verify). Implemented in manifest.c.
 *
 * MANIFEST lists "SHA256HEX  NAME\n" for every file of the release, in
 * the format of sha256sum (so `sha256sum -c MANIFEST` checks it);
 * MANIFEST.sig is its Ed25519 signature in signify's format, and
 * release-key.pub the public key in signify's format (crypto/signkey.h),
 * so `signify -V -p release-key.pub -m MANIFEST` checks it too.
 */
#ifndef GH_MANIFEST_H
#define GH_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

/*
 * Writes DIR/MANIFEST over the files names[0..n-1] of dir (read back from
 * disk), DIR/MANIFEST.sig signed with sk (64-byte Ed25519 secret key) and
 * DIR/release-key.pub. If manifest is not NULL it receives the MANIFEST's
 * bytes and sig the signature file's bytes (for store_release_add).
 * Returns GH_OK, GH_ERR_IO or GH_ERR_NOMEM (logged with the path).
 */
int manifest_write(const char *dir, const char *const *names, size_t n,
    const uint8_t *sk, struct buf *manifest, struct buf *sig) GH_WUR;

/*
 * Checks DIR: the signature of MANIFEST under pk (or, when pk is NULL,
 * under DIR/release-key.pub, whose fingerprint is then printed so that it
 * can be compared with the published one), and every listed file's
 * SHA-256; a file in DIR that MANIFEST does not list is an error too.
 * Prints what it checked, or what failed and where, to out. Returns GH_OK,
 * GH_ERR_CRYPTO (signature or a hash wrong), GH_ERR_INVALID (malformed)
 * or GH_ERR_IO.
 */
int manifest_verify(const char *dir, const uint8_t *pk, FILE *out) GH_WUR;

/* A file of a release held in memory. */
struct manifest_file {
	const char	*name;
	const uint8_t	*data;
	size_t		 len;
};

/*
 * As manifest_verify, over the files[0..n) held in memory (an upload):
 * pk must be given; a file given that MANIFEST does not list is an
 * error, as one in DIR is.
 */
int manifest_verify_files(const struct manifest_file *files, size_t n,
    const uint8_t *pk, FILE *out) GH_WUR;

#endif
