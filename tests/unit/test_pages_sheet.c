/*
 * test_pages_sheet.c: the CSV and printable sheet of a token batch and the
 * QR codes on it (server/pages/sheet.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <qrencode.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/sheet.h"
#include "util/buf.h"

/* 64 characters, as gehoord writes them: BASE/s/ and a 26-character token. */
#define LINK1 "https://enquete.gemeente.example.nl/s/ABCDEFGHJKMNPQRSTVWXYZ0123"
#define LINK2 "https://enquete.gemeente.example.nl/s/0123456789ABCDEFGHJKMNPQRS"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return n;
}

/* Reads what sheet_* wrote to an open_memstream. */
struct mem {
	FILE	*f;
	char	*data;
	size_t	 len;
};

static void
mem_open(struct mem *m)
{
	m->data = NULL;
	m->len = 0;
	m->f = open_memstream(&m->data, &m->len);
	assert_non_null(m->f);
}

static void
mem_close(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
}

static void
test_sheet_csv_exact_bytes(void **state)
{
	const char *links[] = { LINK1, LINK2 };
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(sheet_write_csv(m.f, links, 2), GH_OK);
	mem_close(&m);
	assert_string_equal(m.data, "link\r\n" LINK1 "\r\n" LINK2 "\r\n");
	free(m.data);
}

static void
test_sheet_csv_quotes_when_needed(void **state)
{
	const char *links[] = { "a,b", "say \"hi\"" };
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(sheet_write_csv(m.f, links, 2), GH_OK);
	mem_close(&m);
	assert_string_equal(m.data,
	    "link\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n");
	free(m.data);
}

/*
 * Sums the runs of the path ("Mx yhNv1h-Nz") and checks each lies inside
 * the code, past the quiet zone. Returns the number of dark modules.
 */
static size_t
svg_dark_modules(const char *svg, int width)
{
	const char *d;
	size_t dark = 0;
	int x, y, n, n2, used;

	d = strstr(svg, "<path fill=\"#000\" d=\"");
	assert_non_null(d);
	d += strlen("<path fill=\"#000\" d=\"");
	while (*d == 'M') {
		assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n,
		    &n2, &used), 4);
		assert_int_equal(n, n2);
		assert_true(x >= 4 && y >= 4 && n >= 1);
		assert_true(x + n <= width + 4 && y < width + 4);
		dark += (size_t)n;
		d += used;
	}
	assert_int_equal(*d, '"');
	return dark;
}

static void
test_sheet_qr_svg_matches_encoder(void **state)
{
	struct buf b = { 0 };
	QRcode *qr;
	char upper[] = LINK1, viewbox[64];
	size_t i, dark = 0;

	(void)state;
	for (i = 0; upper[i] != '\0'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	qr = QRcode_encodeString(upper, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(qr);
	/* alphanumeric mode keeps a 64-character link at version 3 or 4 */
	assert_true(qr->version <= 4);
	assert_int_equal(qr->width, 17 + 4 * qr->version);
	for (i = 0; i < (size_t)(qr->width * qr->width); i++)
		dark += qr->data[i] & 1;

	assert_int_equal(sheet_qr_svg(&b, LINK1), GH_OK);
	snprintf(viewbox, sizeof(viewbox), "viewBox=\"0 0 %d %d\"",
	    qr->width + 8, qr->width + 8);
	assert_non_null(strstr(b.data, viewbox));
	assert_non_null(strstr(b.data, "shape-rendering=\"crispEdges\""));
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "aria-label=\"QR code: " LINK1 "\""));
	assert_int_equal(count(b.data, "<path"), 1);
	assert_int_equal(svg_dark_modules(b.data, qr->width), dark);
	printf("# %zu-character link: QR version %d, %d modules, SVG %zu "
	    "bytes\n", strlen(LINK1), qr->version, qr->width, b.len);
	QRcode_free(qr);
	buf_free(&b);
}

static void
test_sheet_qr_svg_upper_cases(void **state)
{
	struct buf lower = { 0 }, upper = { 0 };
	const char *pl, *pu;

	(void)state;
	assert_int_equal(sheet_qr_svg(&lower, "https://x.example/s/abc"),
	    GH_OK);
	assert_int_equal(sheet_qr_svg(&upper, "HTTPS://X.EXAMPLE/S/ABC"),
	    GH_OK);
	/* the same code, whatever the case of the text */
	pl = strstr(lower.data, "<path");
	pu = strstr(upper.data, "<path");
	assert_non_null(pl);
	assert_non_null(pu);
	assert_string_equal(pl, pu);
	buf_free(&lower);
	buf_free(&upper);
}

static void
test_sheet_qr_svg_rejects_bad_text(void **state)
{
	struct buf b = { 0 };
	char *big;

	(void)state;
	assert_int_equal(sheet_qr_svg(&b, ""), GH_ERR_INVALID);
	big = malloc(8000);
	assert_non_null(big);
	memset(big, 'A', 7999);
	big[7999] = '\0';
	assert_int_equal(sheet_qr_svg(&b, big), GH_ERR_INVALID);
	free(big);
	buf_free(&b);
	b.failed = 1;
	assert_int_equal(sheet_qr_svg(&b, LINK1), GH_ERR_NOMEM);
	buf_free(&b);
}

static void
test_sheet_html_card_per_link_escaped(void **state)
{
	const char *links[] = { LINK1, LINK2, "https://x.example/s/<q>" };
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(sheet_write_html(m.f, links, 3,
	    "Inclusie <2025>", "Noord & <Zuid>"), GH_OK);
	mem_close(&m);
	assert_non_null(strstr(m.data, "<!DOCTYPE html>"));
	assert_non_null(strstr(m.data, "@page { size: A4; margin: 10mm; }"));
	assert_int_equal(count(m.data, "<div class=\"card\">"), 3);
	assert_int_equal(count(m.data, "<svg "), 3);
	assert_int_equal(count(m.data, "<p class=\"unit\">Noord &amp; "
	    "&lt;Zuid&gt;</p>"), 3);
	/* no organisation given: an empty name, nothing said */
	assert_int_equal(count(m.data, "<p class=\"title\"><span class=\"org\">"
	    "</span>Inclusie &lt;2025&gt;</p>"), 3);
	assert_null(strstr(m.data, "Open tot"));
	assert_null(strstr(m.data, "<Zuid>"));
	assert_null(strstr(m.data, "<2025>"));
	assert_null(strstr(m.data, "<q>"));
	assert_non_null(strstr(m.data, "<p class=\"link\">" LINK2 "</p>"));
	assert_non_null(strstr(m.data, "Je link werkt één keer."));
	assert_non_null(strstr(m.data, "Your link works once."));
	/* without the wave's k, the smallest k any wave has */
	assert_non_null(strstr(m.data, "groups of at least 5 people"));
	assert_null(strstr(m.data, "{{"));
	assert_non_null(strstr(m.data, "</html>\n"));
	free(m.data);
}

/* The card says what the welcome page says, with the wave's k. */
static void
test_sheet_card_has_welcome_privacy_text(void **state)
{
	static const char *const keys[] = { "privacy.stored", "privacy.once",
	    "sheet.how" };
	const char *links[] = { LINK1 };
	struct buf who = { 0 };
	struct mem m;
	size_t i;
	int l;

	(void)state;
	mem_open(&m);
	assert_int_equal(sheet_write_cards(m.f, links, 1, "T", NULL, 12),
	    GH_OK);
	mem_close(&m);
	for (l = DEF_NL; l <= DEF_EN; l++) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			assert_non_null(strstr(m.data,
			    page_msg((enum def_lang)l, keys[i])));
		who.len = 0;
		page_msg_n(&who, (enum def_lang)l, "privacy.who", 12);
		assert_non_null(strstr(m.data, who.data));
	}
	assert_non_null(strstr(m.data, "minstens 12 mensen"));
	assert_non_null(strstr(m.data, "at least 12 people"));
	assert_non_null(strstr(m.data, "<p lang=\"en\">"));
	buf_free(&who);
	free(m.data);
	mem_open(&m);
	assert_int_equal(sheet_write_cards(m.f, links, 1, "T", NULL, 0),
	    GH_ERR_INVALID);
	mem_close(&m);
	free(m.data);
}

static void
test_sheet_html_without_unit(void **state)
{
	const char *links[] = { LINK1 };
	struct mem m;

	(void)state;
	mem_open(&m);
	assert_int_equal(sheet_write_html(m.f, links, 1, "T", NULL), GH_OK);
	mem_close(&m);
	assert_non_null(strstr(m.data, "<p class=\"unit\"></p>"));
	free(m.data);
}

static void
test_sheet_rejects_missing_link(void **state)
{
	const char *links[] = { LINK1, NULL };
	FILE *f;

	(void)state;
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(sheet_write_csv(f, links, 2), GH_ERR_INVALID);
	assert_int_equal(sheet_write_html(f, links, 2, "T", NULL),
	    GH_ERR_INVALID);
	fclose(f);
}

static void
test_sheet_full_disk_is_io_error(void **state)
{
	const char *links[] = { LINK1 };
	FILE *f;

	(void)state;
	if ((f = fopen("/dev/full", "w")) == NULL)
		skip();
	assert_int_equal(sheet_write_csv(f, links, 1), GH_ERR_IO);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(sheet_write_html(f, links, 1, "T", NULL), GH_ERR_IO);
	fclose(f);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_sheet_ten_thousand_cards(void **state)
{
	enum { N = 10000 };
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char (*text)[80];
	const char **links;
	struct timespec t0;
	FILE *f;
	size_t i, j;

	(void)state;
	text = calloc(N, sizeof(*text));
	links = calloc(N, sizeof(*links));
	assert_non_null(text);
	assert_non_null(links);
	for (i = 0; i < N; i++) {
		int n = snprintf(text[i], sizeof(text[i]),
		    "https://enquete.gemeente.example.nl/s/");
		for (j = 0; j < 26; j++)
			text[i][n + j] =
			    alphabet[(i * 7 + j * 13 + i / 32) % 32];
		text[i][n + 26] = '\0';
		links[i] = text[i];
	}
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sheet_write_html(f, links, N, "Inclusiemeting",
	    "Stadsdeel Noord"), GH_OK);
	printf("# %d cards: sheet_write_html %.3f s\n", N, seconds_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sheet_write_csv(f, links, N), GH_OK);
	printf("# %d links: sheet_write_csv %.3f s\n", N, seconds_since(&t0));
	fclose(f);
	free(links);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_csv_exact_bytes),
		cmocka_unit_test(test_sheet_csv_quotes_when_needed),
		cmocka_unit_test(test_sheet_qr_svg_matches_encoder),
		cmocka_unit_test(test_sheet_qr_svg_upper_cases),
		cmocka_unit_test(test_sheet_qr_svg_rejects_bad_text),
		cmocka_unit_test(test_sheet_html_card_per_link_escaped),
		cmocka_unit_test(test_sheet_card_has_welcome_privacy_text),
		cmocka_unit_test(test_sheet_html_without_unit),
		cmocka_unit_test(test_sheet_rejects_missing_link),
		cmocka_unit_test(test_sheet_full_disk_is_io_error),
		cmocka_unit_test(test_sheet_ten_thousand_cards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
