/*
 * page_research_chart.c: the chart of one table of a release
 * (research_chart in research_int.h): inline SVG, no script, no style
 * attribute (the CSP allows style sheets only, so colours are SVG
 * presentation attributes), role="img" with a <title> and a <desc> that
 * says the table above holds the same figures.
 *
 * One row per cell of the table: its label, a mark for its figure and a
 * whisker for the 95% confidence interval; a cell that is not shown is
 * a label and "not shown", never a mark. A percentage is a bar on an
 * axis from 0 to 100 %. A scale's mean is a dot on an axis from the
 * scale's first point to its last (1 to 5), as the codebook gives them
 * (research_labels puts them in the rows), and a caption under the chart
 * says what the ends mean; without them, on an axis from 0 to a round
 * number. The geometry is in viewBox units (400 wide); style.css scales
 * the figure to the page.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define CHART_MAX_ROWS	80	/* more: the table alone */
#define X0		12.0	/* where the axis starts */
#define WIDTH		300.0	/* viewBox units from its start to its end */
#define TOP		28	/* the axis labels above the rows */
#define ROW_H		46
#define LABEL_MAX	48	/* bytes of a label, then an ellipsis */
#define POINTS_MAX	100	/* a scale's points: 2 to 11 in a definition */
#define BAR_FILL	"#7ea6d8"
#define DOT_FILL	"#0b4a9e"
#define INK		"#1a1a1a"
#define GRID		"#c8c8c8"

/* The axis: min to max, a tick every step. */
struct scale {
	double		 min, max, step;
	int		 is_pct;
	int		 points;	/* a scale's last point; 0: not known */
	const char	*low, *high;	/* the labels of its ends, or NULL */
};

static double
clamp(const struct scale *sc, double v)
{
	return v < sc->min ? sc->min : v > sc->max ? sc->max : v;
}

static double
x_of(const struct scale *sc, double v)
{
	return X0 + (clamp(sc, v) - sc->min) * WIDTH / (sc->max - sc->min);
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
	double v, x;
	int i;

	for (i = 0; (v = sc->min + i * sc->step) <= sc->max + 1e-9; i++) {
		x = x_of(sc, v);
		num_text(label, sizeof(label), v, v == floor(v) ? 0 : 1, lang);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"" GRID "\" stroke-width=\"1\"/>\n",
		    x, TOP - 6, x, height - 2);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
		    "text-anchor=\"middle\" fill=\"" INK "\">%s%s</text>\n",
		    x, TOP - 12, label, sc->is_pct ? "%" : "");
	}
}

/*
 * The figure of row at row i: a bar from the axis' start (a percentage)
 * or a dot (a mean), its whisker and its value; or "not shown".
 */
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
	if (sc->is_pct)
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"16\" fill=\"" BAR_FILL "\"/>\n", X0, y + 21,
		    end - X0);
	if (research_jnum(row, "ci_low", &lo) &&
	    research_jnum(row, "ci_high", &hi) && lo <= hi) {
		lo = x_of(sc, lo);
		hi = x_of(sc, hi);
		buf_printf(b, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f"
		    "M%.1f %.1fV%.1f\" stroke=\"" INK "\" stroke-width=\"1.5\" "
		    "fill=\"none\"/>\n", lo, y + 23, y + 35, lo, y + 29, hi,
		    hi, y + 23, y + 35);
		end = hi > end ? hi : end;
	}
	if (!sc->is_pct)
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
		    "fill=\"" DOT_FILL "\"/>\n", x_of(sc, pct), y + 29);
	if ((t = research_jtext(row, "percent", 0, lang, tmp,
	    sizeof(tmp))) != NULL) {
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
		    "fill=\"" INK "\">", (sc->is_pct ? end : end + 3) + 5,
		    y + 34);
		buf_html(b, t);
		buf_puts(b, sc->is_pct ? "%" : "");
		/* Of how many: the base (a scale's: those with a score). */
		if ((t = research_jtext(row, "base_n", 1, lang, tmp,
		    sizeof(tmp))) != NULL) {
			buf_puts(b, " (n\xc2\xa0=\xc2\xa0");
			buf_html(b, t);
			buf_puts(b, ")");
		}
		buf_puts(b, "</text>\n");
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

/*
 * Rows of the chart: not shown (a label), or shown with a value (a
 * mark). A group's TOTAL is its size, never a mark: not charted, shown
 * or not.
 */
static int
is_charted(const cJSON *row, const char *table)
{
	const cJSON *cat = cJSON_GetObjectItemCaseSensitive(row, "category");
	double v;

	if (!is_row_of(row, table) || (cJSON_IsString(cat) &&
	    strcmp(cat->valuestring, "TOTAL") == 0))
		return 0;
	return !is_ok(row) || research_jnum(row, "percent", &v);
}

/* A scale's last point and the labels of its ends, from row. */
static void
scale_points(const cJSON *row, struct scale *sc)
{
	const cJSON *low = cJSON_GetObjectItemCaseSensitive(row, "scale_low");
	const cJSON *high = cJSON_GetObjectItemCaseSensitive(row,
	    "scale_high");
	double v;

	if (sc->points > 0 || !research_jnum(row, "scale_points", &v) ||
	    v < 2 || v > POINTS_MAX || v != floor(v))
		return;
	sc->points = (int)v;
	if (cJSON_IsString(low) && cJSON_IsString(high)) {
		sc->low = low->valuestring;
		sc->high = high->valuestring;
	}
}

/*
 * Percentages: 0 to 100. Means: the scale's first point (1) to its last,
 * a tick at every point (at most about ten); a scale the codebook does
 * not describe, 0 to a round number above every value.
 */
static void
scale_of(const cJSON *rows, const char *table, struct scale *sc)
{
	static const double steps[] = { 1, 2, 4, 5, 7, 10, 20, 50, 100 };
	const cJSON *row, *cat;
	double v, top = 0;
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->is_pct = 1;
	sc->max = 100;
	sc->step = 25;
	cJSON_ArrayForEach(row, rows) {
		if (!is_row_of(row, table))
			continue;
		cat = cJSON_GetObjectItemCaseSensitive(row, "category");
		if (cJSON_IsString(cat) && strcmp(cat->valuestring, "mean") == 0)
			sc->is_pct = 0;
		scale_points(row, sc);
		if (is_ok(row) && research_jnum(row, "percent", &v) && v > top)
			top = v;
		if (is_ok(row) && research_jnum(row, "ci_high", &v) && v > top)
			top = v;
	}
	if (sc->is_pct)
		return;
	if (sc->points > 0) {
		sc->min = 1;
		sc->max = sc->points;
		sc->step = ceil((sc->max - 1) / 10);
		return;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (top <= steps[i])
			break;
	sc->max = i < sizeof(steps) / sizeof(steps[0]) ? steps[i] :
	    ceil(top / 100) * 100;
	sc->step = sc->max / 4;
}

/* The title, description and caption (a fragment) of a chart on sc. */
static void
texts(const struct scale *sc, enum def_lang lang, struct buf *desc,
    struct buf *caption)
{
	char first[16], last[16];
	const char *const vars[] = { "first", first, "last", last, "low",
	    sc->low, "high", sc->high, NULL };
	struct buf t = { 0 };

	if (sc->is_pct || sc->points == 0) {
		buf_puts(desc, page_msg(lang, sc->is_pct ?
		    "research.chart_desc" : "research.chart_desc_mean"));
		return;
	}
	snprintf(first, sizeof(first), "%d", 1);
	snprintf(last, sizeof(last), "%d", sc->points);
	research_msg_fill(desc, lang, "research.chart_desc_scale", vars);
	research_msg_fill(&t, lang, sc->low != NULL ? "research.scale_ends" :
	    "research.scale_range", vars);
	research_cell(caption, "figcaption", "", t.data);
	if (buf_is_failed(&t))
		caption->failed = 1;
	buf_free(&t);
}

int
research_chart(struct buf *out, enum def_lang lang, const cJSON *rows,
    const char *table, size_t id)
{
	struct buf marks = { 0 }, desc = { 0 }, caption = { 0 };
	struct scale sc;
	const cJSON *row;
	char height[16], tid[32], did[32];
	double pct;
	int n = 0, n_marks = 0, h, r = GH_ERR_NOMEM;

	cJSON_ArrayForEach(row, rows) {
		if (!is_charted(row, table))
			continue;
		n++;
		n_marks += is_ok(row) && research_jnum(row, "percent", &pct);
	}
	if (n_marks == 0 || n > CHART_MAX_ROWS)
		return GH_OK;
	scale_of(rows, table, &sc);
	h = TOP + n * ROW_H + 4;
	axis(&marks, &sc, h, lang);
	n = 0;
	cJSON_ArrayForEach(row, rows)
		if (is_charted(row, table))
			mark(&marks, &sc, row, lang, n++, is_ok(row));
	texts(&sc, lang, &desc, &caption);
	if (buf_is_failed(&marks) || buf_is_failed(&desc) ||
	    buf_is_failed(&caption))
		goto out;
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
			{ "desc", desc.data, 0 },
			{ "marks", marks.data, 1 },
			{ "caption", caption.len ? caption.data : "", 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_chart.html", vars);
	}
out:
	buf_free(&marks);
	buf_free(&desc);
	buf_free(&caption);
	return r;
}
