/*
 * util.h: small helpers every layer shares that fit no other util/ module.
 * Implemented in util.c, next to gh_err_str (err.h) and gh_log (log.h).
 */
#ifndef GH_UTIL_H
#define GH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Wipes n bytes at p and frees p (ordinary heap memory; sodium_malloc
 * memory goes to sodium_free, which wipes by itself), as OpenSSH's
 * freezero. Accepts NULL.
 */
void gh_freezero(void *p, size_t n);

/* Milliseconds of CLOCK_MONOTONIC: for intervals, which changing the
 * wall clock must not stretch or end. */
int64_t gh_now_ms(void);

/* Writes v to p[0..7], least significant byte first. */
void gh_put_le64(uint8_t *p, uint64_t v);

/* Reads what gh_put_le64 writes. */
uint64_t gh_get_le64(const uint8_t *p);

#endif
