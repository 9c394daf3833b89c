/*
 * page_research_chart.c: the bar chart of one table of a release
 * (research_chart in research_int.h): inline SVG, no script, no style
 * attribute (the CSP allows style sheets only, so colours are SVG
 * presentation attributes), role="img" with a <title> and a <desc> that
 * says the table above holds the same figures.
 *
 * One row per cell of the table: its label, a bar for the percentage and
 * a whisker for the 95% confidence interval; a cell that is not shown is
 * a label and "not shown", never a bar. The geometry is in viewBox units
 * (400 wide); style.css scales the figure to the page.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define CHART_MAX_ROWS	80	/* more: the table alone */
#define X0		12.0	/* where 0 is */
#define WIDTH		300.0	/* viewBox units from 0 to the end */
#define TOP		28	/* the axis labels above the rows */
#define ROW_H		46
#define LABEL_MAX	48	/* bytes of a label, then an ellipsis */
#define BAR_FILL	"#7ea6d8"
#define INK		"#1a1a1a"
#define GRID		"#c8c8c8"

/* The axis: 0 to max; percentages end at 100, means at a round number. */
struct scale {
	double	max;
	int	is_pct;
};

static double
clamp(const struct scale *sc, double v)
{
	return v < 0 ? 0 : v > sc->max ? sc->max : v;
}

static double
x_of(const struct scale *sc, double v)
{
	return X0 + clamp(sc, v) * WIDTH / sc->max;
}

/* A number as the page writes it: one decimal, a comma in Dutch. */
static void
num_text(char *out, size_t outsz, double v, int decimals,
    enum def_lang lang)
{
	char *dot;

	snprintf(out, outsz, "%.*f", decimals, v);
	if (page_lang(lang) == DEF_NL && (dot = strchr(out, '.')) != NULL)
		*dot = ',';
}

/* The label of a row: category and breakdown values, shortened. */
static void
row_label(struct buf *b, const cJSON *row, enum def_lang lang)
{
	static const char *const keys[] = { "category", "by1_value",
	    "by2_value" };
	struct buf t = { 0 };
	char tmp[64];
	const char *s;
	size_t i, len;

	/* A scale's rows are all means: their groups name them, if any. */
	s = research_jtext(row, "category", 0, lang, tmp, sizeof(tmp));
	i = s != NULL && strcmp(s, "mean") == 0 && research_jtext(row,
	    "by1_value", 0, lang, tmp, sizeof(tmp)) != NULL ? 1 : 0;
	for (; i < 3; i++) {
		s = research_value_text(row, keys[i], lang, tmp, sizeof(tmp));
		if (*s != '\0')
			buf_printf(&t, "%s%s", t.len ? " \xc2\xb7 " : "", s);
	}
	if (buf_is_failed(&t) || t.data == NULL) {
		buf_free(&t);
		return;
	}
	len = t.len;
	if (len > LABEL_MAX) {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		len = LABEL_MAX;
		while (len > 0 && ((unsigned char)t.data[len] & 0xC0) == 0x80)
			len--;
		t.len = len;
		t.data[len] = '\0';
		buf_puts(&t, "\xe2\x80\xa6");
	}
	buf_html(b, t.data);
	buf_free(&t);
}

static void
axis(struct buf *b, const struct scale *sc, int height, enum def_lang lang)
{
	char label[32];
	int i;

	for (i = 0; i <= 4; i++) {
		double v = sc->max * i / 4, x = x_of(sc, v);

		num_text(label, sizeof(label), v, v == floor(v) ? 0 : 1, lang);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"" GRID "\" stroke-width=\"1\"/>\n",
		    x, TOP - 6, x, height - 2);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
		    "text-anchor=\"middle\" fill=\"" INK "\">%s%s</text>\n",
		    x, TOP - 12, label, sc->is_pct ? "%" : "");
	}
}

/* A bar with its whisker and value, or "not shown", at row i. */
static void
mark(struct buf *b, const struct scale *sc, const cJSON *row,
    enum def_lang lang, int i, int is_shown)
{
	double y = TOP + i * ROW_H, pct, lo, hi, end;
	char tmp[64];
	const char *t;

	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" "
	    "fill=\"" INK "\">", X0 - 8, y + 14);
	row_label(b, row, lang);
	buf_puts(b, "</text>\n");
	if (!is_shown || !research_jnum(row, "percent", &pct)) {
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		    "font-style=\"italic\" fill=\"" INK "\">", X0, y + 35);
		buf_html(b, page_msg(lang, "research.chart_hidden"));
		buf_puts(b, "</text>\n");
		return;
	}
	end = x_of(sc, pct);
	buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"16\" fill=\"" BAR_FILL "\"/>\n", X0, y + 21,
	    end - X0);
	if (research_jnum(row, "ci_low", &lo) &&
	    research_jnum(row, "ci_high", &hi) && lo <= hi) {
		lo = x_of(sc, lo);
		hi = x_of(sc, hi);
		end = hi > end ? hi : end;
		buf_printf(b, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f"
		    "M%.1f %.1fV%.1f\" stroke=\"" INK "\" stroke-width=\"1.5\" "
		    "fill=\"none\"/>\n", lo, y + 23, y + 35, lo, y + 29, hi,
		    hi, y + 23, y + 35);
	}
	if ((t = research_jtext(row, "percent", 0, lang, tmp,
	    sizeof(tmp))) != NULL) {
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		    "fill=\"" INK "\">", end + 5, y + 34);
		buf_html(b, t);
		buf_puts(b, sc->is_pct ? "%</text>\n" : "</text>\n");
	}
}

static int
is_row_of(const cJSON *row, const char *table)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(row, "table");

	return cJSON_IsString(t) && strcmp(t->valuestring, table) == 0;
}

static int
is_ok(const cJSON *row)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(row, "flag");

	return cJSON_IsString(f) && strcmp(f->valuestring, "ok") == 0;
}

/* Rows of the chart: not shown (a label), or shown with a value (a bar). */
static int
is_charted(const cJSON *row, const char *table)
{
	double v;

	return is_row_of(row, table) && (!is_ok(row) ||
	    research_jnum(row, "percent", &v));
}

/* Percentages: 0 to 100. Means: 0 to a round number above every value. */
static void
scale_of(const cJSON *rows, const char *table, struct scale *sc)
{
	static const double steps[] = { 1, 2, 4, 5, 7, 10, 20, 50, 100 };
	const cJSON *row, *cat;
	double v, top = 0;
	size_t i;

	sc->is_pct = 1;
	sc->max = 100;
	cJSON_ArrayForEach(row, rows) {
		if (!is_row_of(row, table))
			continue;
		cat = cJSON_GetObjectItemCaseSensitive(row, "category");
		if (cJSON_IsString(cat) && strcmp(cat->valuestring, "mean") == 0)
			sc->is_pct = 0;
		if (is_ok(row) && research_jnum(row, "percent", &v) && v > top)
			top = v;
		if (is_ok(row) && research_jnum(row, "ci_high", &v) && v > top)
			top = v;
	}
	if (sc->is_pct)
		return;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (top <= steps[i])
			break;
	sc->max = i < sizeof(steps) / sizeof(steps[0]) ? steps[i] :
	    ceil(top / 100) * 100;
}

int
research_chart(struct buf *out, enum def_lang lang, const cJSON *rows,
    const char *table, size_t id)
{
	struct buf marks = { 0 };
	struct scale sc;
	const cJSON *row;
	char height[16], tid[32], did[32];
	double pct;
	int n = 0, n_bars = 0, h, r;

	cJSON_ArrayForEach(row, rows) {
		if (!is_charted(row, table))
			continue;
		n++;
		n_bars += is_ok(row) && research_jnum(row, "percent", &pct);
	}
	if (n_bars == 0 || n > CHART_MAX_ROWS)
		return GH_OK;
	scale_of(rows, table, &sc);
	h = TOP + n * ROW_H + 4;
	axis(&marks, &sc, h, lang);
	n = 0;
	cJSON_ArrayForEach(row, rows)
		if (is_charted(row, table))
			mark(&marks, &sc, row, lang, n++, is_ok(row));
	if (buf_is_failed(&marks)) {
		buf_free(&marks);
		return GH_ERR_NOMEM;
	}
	snprintf(height, sizeof(height), "%d", h);
	snprintf(tid, sizeof(tid), "chart-title-%zu", id);
	snprintf(did, sizeof(did), "chart-desc-%zu", id);
	{
		struct tpl_var vars[] = {
			{ "height", height, 0 },
			{ "tid", tid, 0 },
			{ "did", did, 0 },
			{ "title", page_msg(lang, sc.is_pct ?
			    "research.chart_title" :
			    "research.chart_title_mean"), 0 },
			{ "desc", page_msg(lang, sc.is_pct ?
			    "research.chart_desc" :
			    "research.chart_desc_mean"), 0 },
			{ "marks", marks.data, 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_chart.html", vars);
	}
	buf_free(&marks);
	return r;
}
