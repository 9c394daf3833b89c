/*
 * utf8.h: strict UTF-8 decoding and the control-character rule (utf8.c).
 * cJSON, which reads every untrusted JSON text, checks neither.
 */
#ifndef GH_UTIL_UTF8_H
#define GH_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the code point at s[*i] (strict UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF) into *cp and advances *i. Returns 0,
 * or -1 if the bytes there are not valid UTF-8.
 */
int utf8_next(const uint8_t *s, size_t len, size_t *i, uint32_t *cp);

/* Returns 1 if cp is a control character (C0, DEL or C1), else 0. */
int utf8_is_control(uint32_t cp);

#endif
