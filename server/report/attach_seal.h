/*
 * attach_seal.h: sealing a cleaned attachment of a report, like a
 * report's message (report_crypto.h): once to the report key (for the
 * desk) and once to the reporter's reply key.
 *
 * The plaintext: a version byte (1), the exact time (8 bytes, big-endian
 * Unix seconds), the type (1 byte, enum attach_type), the name's length
 * (1 byte) and the name (UTF-8, no control characters, at most
 * ATTACH_NAME_MAX bytes), then the file. It is padded with sodium_pad to
 * the next power of two from 64 KiB up to 16 MiB, so a blob's length
 * tells only that size class; it is sealed with crypto_box_seal. The
 * name and type are never stored in the clear.
 */
#ifndef GH_REPORT_ATTACH_SEAL_H
#define GH_REPORT_ATTACH_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "report/attach_clean.h"
#include "report/report_crypto.h"
#include "store/store_attach.h"

#define ATTACH_NAME_MAX		200	/* bytes of a file's name */
#define ATTACH_CLASS_MIN	((size_t)64 * 1024)
#define ATTACH_CLASS_MAX	((size_t)16 * 1024 * 1024)
#define ATTACH_HEAD		11	/* version, time, type, name length */

/* An attachment in the clear. data and name are malloc'd (wiped when
 * cleared); name is NUL-terminated. */
struct attach_plain {
	int64_t			 time;
	enum attach_type	 type;
	char			*name;
	uint8_t			*data;
	size_t			 len;
};

/* Returns the size class (padded plaintext length) of a plaintext of n
 * bytes, or 0 if n is over the largest. */
size_t attach_class(size_t n);

/*
 * Seals p into a->for_desk (to report_pk) and a->for_reporter (to
 * reply_pk), malloc'd; sets a->id to a fresh random id and a->day from
 * p->time. Free with store_attach_clear. Returns GH_OK, GH_ERR_INVALID
 * (a name that is empty, too long, not UTF-8 or with control
 * characters), GH_ERR_TOO_LARGE, GH_ERR_NOMEM or GH_ERR_CRYPTO.
 */
int attach_seal_both(struct store_attach *a, const struct attach_plain *p,
    const uint8_t report_pk[REPORT_PK_BYTES],
    const uint8_t reply_pk[REPORT_PK_BYTES]) GH_WUR;

/*
 * Opens a blob with a key pair into *p (clear with attach_plain_clear),
 * checking every field before it is used. Returns GH_OK, GH_ERR_CRYPTO
 * (not for this key, or changed), GH_ERR_INVALID (malformed), or
 * GH_ERR_NOMEM.
 */
int attach_open(struct attach_plain *p, const uint8_t *blob, size_t len,
    const uint8_t pk[REPORT_PK_BYTES], const uint8_t *sk) GH_WUR;

/* Wipes and frees what attach_open filled in; accepts an empty one. */
void attach_plain_clear(struct attach_plain *p);

/* Returns whether name (len bytes) may be kept as an attachment's name:
 * 1..ATTACH_NAME_MAX bytes of UTF-8 without control characters, '/' or
 * '\\'. */
int attach_name_is_valid(const char *name, size_t len);

#endif
