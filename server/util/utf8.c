/*
 * utf8.c: strict UTF-8 decoding and the control-character rule (utf8.h),
 * for every layer that checks untrusted text: the definition loader and
 * the answer codec (server/survey/), the report form (server/report/).
 *
 * Entry points: utf8_next (one code point), utf8_is_control. Nothing here
 * allocates or logs.
 */
#include "util/utf8.h"

int
utf8_next(const uint8_t *s, size_t len, size_t *i, uint32_t *cp)
{
	size_t k, n, at = *i;
	uint32_t c, min;
	uint8_t b = s[at];

	if (b < 0x80) {
		*cp = b;
		*i = at + 1;
		return 0;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		n = 1;
		c = b & 0x1f;
		min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 2;
		c = b & 0x0f;
		min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 3;
		c = b & 0x07;
		min = 0x10000;
	} else
		return -1;	/* continuation byte, C0/C1 lead or F5..FF */
	if (len - at <= n)
		return -1;	/* truncated */
	for (k = 1; k <= n; k++) {
		if ((s[at + k] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[at + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*i = at + n + 1;
	return 0;
}

int
utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}
