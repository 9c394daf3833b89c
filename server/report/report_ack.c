/*
 * report_ack.c: the signed acknowledgement of receipt a reporter keeps as
 * proof that they reported, and day numbers as dates.
 *
 * Entry points: report_ack, report_day_text.
 * Data path: day and SHA-256 of the report's text -> a short text ->
 * Ed25519 signature with the ack key (DB.ack.sign, crypto/signkey.h) ->
 * signify's embedded form. It holds no receipt and nothing else that
 * could lead back to the report's content or its reporter.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/signkey.h"
#include "report/report_crypto.h"

void
report_day_text(char out[11], int64_t day)
{
	/* Civil date from days since 1970-01-01 (Howard Hinnant's method). */
	int64_t z = day + 719468, era, doe, yoe, y, doy, mp, d, m;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	if (y < 0 || y > 9999)
		y = 0;
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

int
report_ack(char *out, size_t outsz, int64_t day,
    const uint8_t sha256[crypto_hash_sha256_BYTES], const uint8_t *ack_sk,
    const uint8_t ack_pk[crypto_sign_PUBLICKEYBYTES])
{
	char text[256], date[11], hex[2 * crypto_hash_sha256_BYTES + 1];
	char sig_text[SIGNKEY_SIGNIFY_MAX];
	uint8_t sig[SIGNKEY_SIG_BYTES];
	int n, r;

	report_day_text(date, day);
	sodium_bin2hex(hex, sizeof(hex), sha256, crypto_hash_sha256_BYTES);
	n = snprintf(text, sizeof(text),
	    "gehoord: ontvangstbevestiging / acknowledgement of receipt\n"
	    "datum / date: %s\n"
	    "sha256: %s\n", date, hex);
	if (n < 0 || (size_t)n >= sizeof(text))
		return GH_ERR_TOO_LARGE;
	signkey_sign(sig, (const uint8_t *)text, (size_t)n, ack_sk);
	if ((r = signkey_signify_sig(sig_text, sizeof(sig_text),
	    "gehoord acknowledgement of receipt", sig, ack_pk)) != GH_OK)
		return r;
	n = snprintf(out, outsz, "%s%s", sig_text, text);
	if (n < 0 || (size_t)n >= outsz)
		return GH_ERR_TOO_LARGE;
	return GH_OK;
}
