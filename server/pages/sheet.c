/*
 * sheet.c: the outputs of a token batch (see sheet.h): a CSV of links and
 * a printable A4 sheet of cards with a QR code each.
 *
 * Entry points: sheet_write_csv writes the links as RFC 4180 CSV.
 * sheet_write_cards fills web/sheet_head.html, then web/sheet_card.html
 * once per link (with the QR code from sheet_qr_svg), then
 * web/sheet_foot.html, one card at a time through one reused buffer, so
 * memory stays flat for any batch size. The card's text is the standard
 * privacy text of the welcome page (privacy.* in the message catalogues,
 * in Dutch and English), so the letter and the page say the same;
 * sheet_write_cards_org adds who runs the survey and its last day;
 * sheet_write_letters renders the same through web/letter_head.html and
 * web/letter_card.html, one A4 letter per link with the contact. sheet_qr_svg upper-cases the link
 * so libqrencode can use alphanumeric mode (a smaller code for the same
 * link), and draws each row's runs of dark modules as one path.
 *
 * The links hold plaintext tokens: they are never logged (errors name the
 * link's index), and the buffers and QR data that held them are wiped
 * before they are freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/sheet.h"
#include "pages/tpl.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/log.h"

#define SHEET_QUIET	4	/* modules of light border, as ISO 18004 asks */

static void
sheet_buf_reset(struct buf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->len);
	b->len = 0;
}

/* Appends a non-negative decimal without printf: this runs per module run. */
static void
sheet_num(struct buf *b, int n)
{
	char tmp[16];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && i > 0);
	buf_add(b, tmp + i, sizeof(tmp) - i);
}

/* Appends "Mx yhNv1h-Nz" for a run of n dark modules from (x, y). */
static void
sheet_run(struct buf *b, int x, int y, int n)
{
	buf_add(b, "M", 1);
	sheet_num(b, x + SHEET_QUIET);
	buf_add(b, " ", 1);
	sheet_num(b, y + SHEET_QUIET);
	buf_add(b, "h", 1);
	sheet_num(b, n);
	buf_add(b, "v1h-", 4);
	sheet_num(b, n);
	buf_add(b, "z", 1);
}

static void
sheet_qr_draw(struct buf *out, const QRcode *qr, const char *label)
{
	int x, y, start, w = qr->width, size = qr->width + 2 * SHEET_QUIET;

	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" "
	    "viewBox=\"0 0 ");
	sheet_num(out, size);
	buf_add(out, " ", 1);
	sheet_num(out, size);
	buf_puts(out, "\" shape-rendering=\"crispEdges\" role=\"img\" "
	    "aria-label=\"QR code: ");
	buf_html(out, label);
	buf_puts(out, "\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"");
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x++) {
			if ((qr->data[y * w + x] & 1) == 0)
				continue;
			for (start = x; x < w && (qr->data[y * w + x] & 1); x++)
				;
			sheet_run(out, start, y, x - start);
		}
	}
	buf_puts(out, "\"/></svg>");
}

int
sheet_qr_svg(struct buf *out, const char *text)
{
	QRcode *qr = NULL;
	char *upper = NULL;
	size_t i, len = 0;
	int r = GH_ERR_INVALID;

	if (out == NULL || text == NULL || text[0] == '\0') {
		log_error("nothing to encode");
		goto out;
	}
	len = strlen(text);
	if ((upper = malloc(len + 1)) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	/* ASCII only: a locale must not change what the code says. */
	for (i = 0; i <= len; i++)
		upper[i] = (char)((text[i] >= 'a' && text[i] <= 'z') ?
		    text[i] - 'a' + 'A' : text[i]);
	errno = 0;
	qr = QRcode_encodeString(upper, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		r = errno == ENOMEM ? GH_ERR_NOMEM : GH_ERR_INVALID;
		log_error("cannot encode a QR code of %zu bytes: %s", len,
		    strerror(errno));
		goto out;
	}
	sheet_qr_draw(out, qr, text);
	r = buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
out:
	if (qr != NULL) {
		sodium_memzero(qr->data, (size_t)qr->width * qr->width);
		QRcode_free(qr);
	}
	if (upper != NULL) {
		sodium_memzero(upper, len);
		free(upper);
	}
	return r;
}

/*
 * Writes one CSV field, quoted if it holds a comma, quote or line end.
 * A stream's error sticks: sheet_write_csv checks it once, at the end.
 */
static void
sheet_csv_field(FILE *f, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		(void)fputs(s, f);
		return;
	}
	(void)fputc('"', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			(void)fputc('"', f);
		(void)fputc(*p, f);
	}
	(void)fputc('"', f);
}

/* The CSV with a unit column if unit is not NULL. */
static int
sheet_csv(FILE *f, const char *const *links, size_t n, const char *unit)
{
	size_t i;
	int r = GH_ERR_INVALID;

	if (f == NULL || (links == NULL && n > 0)) {
		log_error("no file or no links");
		goto out;
	}
	/* errors: see ferror below */
	(void)fputs(unit != NULL ? "unit,link\r\n" : "link\r\n", f);
	for (i = 0; i < n; i++) {
		if (links[i] == NULL) {
			log_error("link %zu is missing", i);
			goto out;
		}
		if (unit != NULL) {
			sheet_csv_field(f, unit);
			(void)fputc(',', f);
		}
		sheet_csv_field(f, links[i]);
		(void)fputs("\r\n", f);
	}
	if (fflush(f) != 0 || ferror(f)) {
		log_error("cannot write the CSV: %s", strerror(errno));
		r = GH_ERR_IO;
		goto out;
	}
	r = GH_OK;
out:
	return r;
}

int
sheet_write_csv(FILE *f, const char *const *links, size_t n)
{
	return sheet_csv(f, links, n, NULL);
}

int
sheet_write_csv_unit(FILE *f, const char *const *links, size_t n,
    const char *unit)
{
	return sheet_csv(f, links, n, unit != NULL ? unit : "");
}

/* Writes b to f; returns GH_OK or GH_ERR_IO. */
static int
sheet_put(FILE *f, const struct buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) {
		log_error("cannot write the sheet: %s", strerror(errno));
		return GH_ERR_IO;
	}
	return GH_OK;
}

/* The card's texts in both languages; who[] holds k, closes[] the day. */
struct sheet_text {
	struct buf	who[DEF_LANGS];
	struct buf	closes[DEF_LANGS];	/* "Open tot ... " or empty */
	const char	*org;
	const char	*contact;
};

/* The templates of a layout: cards (several to a page) or letters. */
struct sheet_layout {
	const char	*head;
	const char	*card;
};

static const struct sheet_layout sheet_cards_layout = {
	"sheet_head.html", "sheet_card.html"
};
static const struct sheet_layout sheet_letters_layout = {
	"letter_head.html", "letter_card.html"
};

static int
sheet_card(struct buf *b, struct buf *qr, const char *link,
    const char *title, const char *unit, const struct sheet_text *t,
    const char *tpl)
{
	struct tpl_var v[] = {
		{ "org", t->org, 0 },
		{ "contact", t->contact, 0 },
		{ "contact_nl", page_msg(DEF_NL, "site.contact"), 0 },
		{ "contact_en", page_msg(DEF_EN, "site.contact"), 0 },
		{ "title", title, 0 },
		{ "unit", unit, 0 },
		{ "qr", NULL, 1 },
		{ "closes_nl", t->closes[DEF_NL].data, 0 },
		{ "how_nl", page_msg(DEF_NL, "sheet.how"), 0 },
		{ "once_nl", page_msg(DEF_NL, "privacy.once"), 0 },
		{ "stored_nl", page_msg(DEF_NL, "privacy.stored"), 0 },
		{ "who_nl", t->who[DEF_NL].data, 0 },
		{ "closes_en", t->closes[DEF_EN].data, 0 },
		{ "how_en", page_msg(DEF_EN, "sheet.how"), 0 },
		{ "once_en", page_msg(DEF_EN, "privacy.once"), 0 },
		{ "stored_en", page_msg(DEF_EN, "privacy.stored"), 0 },
		{ "who_en", t->who[DEF_EN].data, 0 },
		{ "link", link, 0 },
		{ NULL, NULL, 0 },
	};
	int r;

	sheet_buf_reset(qr);
	if ((r = sheet_qr_svg(qr, link)) != GH_OK)
		return r;
	v[6].value = qr->data;
	return tpl_render(b, tpl, v);
}

int
sheet_write_html(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit)
{
	return sheet_write_cards(f, links, n, title, unit, STORE_K_MIN);
}

int
sheet_write_cards(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k)
{
	return sheet_write_cards_org(f, links, n, title, unit, k, NULL);
}

/*
 * Sets t's organisation and contact from org (may be NULL), and writes
 * "Open tot 15 maart 2027. " into t->closes[], if org has a day.
 */
static int
sheet_closes(struct sheet_text *t, const struct sheet_org *org)
{
	int l;

	t->org = org != NULL ? org->name : NULL;
	t->contact = org != NULL ? org->contact : NULL;
	if (org == NULL || org->closes.y == 0)
		return GH_OK;
	for (l = 0; l < DEF_LANGS; l++) {
		page_msg_date(&t->closes[l], (enum def_lang)l,
		    "privacy.open_until", &org->closes);
		buf_puts(&t->closes[l], ". ");
		if (buf_is_failed(&t->closes[l]))
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}

static int
sheet_write(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k, const struct sheet_org *org,
    const struct sheet_layout *lay)
{
	struct buf b = { 0 }, qr = { 0 };
	struct sheet_text t = { 0 };
	char count[32];
	size_t i;
	int l, r = GH_ERR_INVALID;
	struct tpl_var head[] = {
		{ "title", title, 0 },
		{ "unit", unit, 0 },
		{ "count", count, 0 },
		{ NULL, NULL, 0 },
	};

	if (f == NULL || (links == NULL && n > 0) || k < 1) {
		log_error("no file, no links or no k");
		goto out;
	}
	if ((r = page_ensure_init()) != GH_OK)
		goto out;
	for (l = 0; l < DEF_LANGS; l++) {
		page_msg_n(&t.who[l], (enum def_lang)l, "privacy.who",
		    (size_t)k);
		if (buf_is_failed(&t.who[l])) {
			r = GH_ERR_NOMEM;
			goto out;
		}
	}
	if ((r = sheet_closes(&t, org)) != GH_OK)
		goto out;
	snprintf(count, sizeof(count), "%zu", n);
	if ((r = tpl_render(&b, lay->head, head)) != GH_OK ||
	    (r = sheet_put(f, &b)) != GH_OK)
		goto out;
	for (i = 0; i < n; i++) {
		sheet_buf_reset(&b);
		if (links[i] == NULL) {
			log_error("link %zu is missing", i);
			r = GH_ERR_INVALID;
			goto out;
		}
		if ((r = sheet_card(&b, &qr, links[i], title, unit, &t,
		    lay->card)) != GH_OK ||
		    (r = sheet_put(f, &b)) != GH_OK)
			goto out;
	}
	sheet_buf_reset(&b);
	if ((r = tpl_render(&b, "sheet_foot.html", NULL)) != GH_OK ||
	    (r = sheet_put(f, &b)) != GH_OK)
		goto out;
	if (fflush(f) != 0 || ferror(f)) {
		log_error("cannot write the sheet: %s", strerror(errno));
		r = GH_ERR_IO;
		goto out;
	}
	r = GH_OK;
out:
	buf_free(&b);
	buf_free(&qr);
	buf_free(&t.who[DEF_NL]);
	buf_free(&t.who[DEF_EN]);
	buf_free(&t.closes[DEF_NL]);
	buf_free(&t.closes[DEF_EN]);
	return r;
}

int
sheet_write_cards_org(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k, const struct sheet_org *org)
{
	return sheet_write(f, links, n, title, unit, k, org,
	    &sheet_cards_layout);
}

int
sheet_write_letters(FILE *f, const char *const *links, size_t n,
    const char *title, const char *unit, int k, const struct sheet_org *org)
{
	return sheet_write(f, links, n, title, unit, k, org,
	    &sheet_letters_layout);
}
