/*
 * util.c: error texts, the log writer, gh_freezero, gh_now_ms and the
 * little-endian helpers, shared by every
 * module (err.h, log.h, util.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "util/err.h"
#include "util/log.h"
#include "util/util.h"

const char *
gh_err_str(int code)
{
	switch (code) {
	case GH_OK: return "success";
	case GH_ERR_NOMEM: return "out of memory";
	case GH_ERR_IO: return "input/output error";
	case GH_ERR_INVALID: return "malformed input";
	case GH_ERR_CRYPTO: return "authentication failed (wrong key or tampered data)";
	case GH_ERR_NOT_FOUND: return "not found";
	case GH_ERR_SPENT: return "already used";
	case GH_ERR_CLOSED: return "closed";
	case GH_ERR_DB: return "database error";
	case GH_ERR_TOO_LARGE: return "over a limit";
	case GH_ERR_PASSPHRASE: return "wrong passphrase";
	case GH_ERR_BUSY: return "busy, try again";
	case GH_ERR_USAGE: return "wrong usage";
	case GH_ERR_EXISTS: return "already exists";
	case GH_ERR_PRIVACY: return "would weaken a privacy setting";
	}
	return "unknown error";
}

void
gh_log(const char *level, const char *func, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);	/* may cut it short */
	va_end(ap);
	if (func != NULL)
		fprintf(stderr, "gehoord: %s: %s: %s\n", level, func, line);
	else
		fprintf(stderr, "gehoord: %s: %s\n", level, line);
}

void
gh_freezero(void *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

int64_t
gh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
gh_put_le64(uint8_t *p, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t
gh_get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}
