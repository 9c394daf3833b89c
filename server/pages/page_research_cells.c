/*
 * page_research_cells.c: the small pieces the tables of a release page
 * are made of (research_int.h): a member of a tables.json object as
 * text or number, what a row's flag allows to show, and the escaped
 * cells of an HTML table, including the text that stands in for the
 * figures of a cell that is not shown.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define NUM_MAX		64

const char *
research_jtext(const cJSON *o, const char *key, int is_int,
    enum def_lang lang, char *tmp, size_t tmpsz)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *comma;

	if (cJSON_IsString(v) && v->valuestring[0] != '\0')
		return v->valuestring;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return NULL;
	snprintf(tmp, tmpsz, is_int ? "%.0f" : "%.1f", v->valuedouble);
	if (page_lang(lang) == DEF_NL && (comma = strchr(tmp, '.')) != NULL)
		*comma = ',';
	return tmp;
}

int
research_jnum(const cJSON *o, const char *key, double *v)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
	char *end;

	if (cJSON_IsNumber(j) && isfinite(j->valuedouble)) {
		*v = j->valuedouble;
		return 1;
	}
	if (cJSON_IsString(j) && j->valuestring[0] != '\0') {
		*v = strtod(j->valuestring, &end);
		return *end == '\0' && isfinite(*v);
	}
	return 0;
}

enum research_row
research_row_state(const cJSON *row)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(row, "flag");

	if (!cJSON_IsString(f))
		return ROW_HIDDEN;
	if (strcmp(f->valuestring, "ok") == 0)
		return ROW_OK;
	if (strcmp(f->valuestring, "primary") == 0)
		return ROW_PRIMARY;
	if (strcmp(f->valuestring, "secondary") == 0)
		return ROW_SECONDARY;
	if (strcmp(f->valuestring, "rolled_up") == 0)
		return ROW_ROLLED_UP;
	return ROW_HIDDEN;
}

/* A value as shown: "TOTAL" (a margin) in words, "" if missing. */
const char *
research_value_text(const cJSON *o, const char *key, enum def_lang lang,
    char *tmp, size_t tmpsz)
{
	const char *s = research_jtext(o, key, 0, lang, tmp, tmpsz);

	if (s == NULL)
		return "";
	if (strcmp(s, "TOTAL") == 0)
		return page_msg(lang, "research.total");
	/* A scale's row: its mean in the percent column (tables.csv). */
	if (strcmp(key, "category") == 0 && strcmp(s, "mean") == 0)
		return page_msg(lang, "research.mean");
	return s;
}

void
research_msg_fill(struct buf *b, enum def_lang lang, const char *key,
    const char *const *vars)
{
	const char *s = page_msg(lang, key), *end;
	size_t i, len;

	while (*s != '\0') {
		len = strcspn(s, "{");
		buf_add(b, s, len);
		if (s[len] == '\0')
			break;
		s += len;
		end = strchr(s, '}');
		for (i = 0; end != NULL && vars[i] != NULL; i += 2)
			if (strlen(vars[i]) == (size_t)(end - s - 1) &&
			    strncmp(vars[i], s + 1, (size_t)(end - s - 1)) == 0)
				break;
		if (end == NULL || vars[i] == NULL) {
			buf_add(b, s, 1);	/* not a placeholder of ours */
			s++;
			continue;
		}
		buf_puts(b, vars[i + 1] != NULL ? vars[i + 1] : "");
		s = end + 1;
	}
}

void
research_msg_name(struct buf *b, enum def_lang lang, const char *key,
    const char *name)
{
	const char *const vars[] = { "name", name, NULL };

	research_msg_fill(b, lang, key, vars);
}

/* Appends <tag attrs>text</tag>, text escaped; attrs are code literals. */
void
research_cell(struct buf *b, const char *tag, const char *attrs,
    const char *text)
{
	buf_printf(b, "<%s%s%s>", tag, *attrs ? " " : "", attrs);
	buf_html(b, text != NULL ? text : "");
	buf_printf(b, "</%s>", tag);
}

/* The text that replaces the figures of a row that is not shown. */
static void
hidden_text(struct buf *b, enum def_lang lang, enum research_row st, int k)
{
	switch (st) {
	case ROW_PRIMARY:
		page_msg_n(b, lang, "research.not_shown", (size_t)k);
		break;
	case ROW_ROLLED_UP:
		buf_puts(b, page_msg(lang, "research.rolled_up"));
		break;
	default:
		page_msg_n(b, lang, "research.not_shown_secondary", (size_t)k);
		break;
	}
}

void
research_hidden_cell(struct buf *b, enum def_lang lang, enum research_row st,
    int k, int colspan)
{
	struct buf t = { 0 };

	hidden_text(&t, lang, st, k);
	buf_printf(b, "<td colspan=\"%d\" class=\"r-not-shown\">", colspan);
	buf_html(b, t.data != NULL ? t.data : "");
	buf_puts(b, "</td>");
	buf_free(&t);
}

/* Appends "lo – hi" of row (keys lo, hi) as a cell. */
void
research_interval_cell(struct buf *b, const cJSON *row, const char *lo,
    const char *hi, enum def_lang lang)
{
	char t1[NUM_MAX], t2[NUM_MAX], both[2 * NUM_MAX + 8];
	const char *a = research_jtext(row, lo, 0, lang, t1, sizeof(t1));
	const char *z = research_jtext(row, hi, 0, lang, t2, sizeof(t2));

	if (a != NULL && z != NULL)
		snprintf(both, sizeof(both), "%s \xe2\x80\x93 %s", a, z);
	else
		both[0] = '\0';
	research_cell(b, "td", "class=\"num\"", both);
}

int
research_toc_item(struct buf *toc, const char *anchor, const char *label)
{
	char href[80];
	struct tpl_var vars[] = {
		{ "href", href, 0 },
		{ "label", label, 0 },
		{ NULL, NULL, 0 },
	};

	snprintf(href, sizeof(href), "#%s", anchor);
	return tpl_render(toc, "research_toc_item.html", vars);
}
