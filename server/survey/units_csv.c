/*
 * units_csv.c: the units CSV of the console (units_csv.h).
 *
 * Entry point: units_csv_parse. Data path: the text, line by line
 * (LF or CRLF) -> split at the last separator -> the name checked
 * (strict UTF-8, no control character, levels between "/" not empty
 * and without surrounding spaces) and the head count (a whole number,
 * 0..UNITS_CSV_HEAD_MAX) -> a duplicate name is a problem of its second
 * line. Blank lines are skipped. The first problems are kept with
 * their line numbers; any problem means no units at all.
 */
#include <stdlib.h>
#include <string.h>

#include "survey/units_csv.h"
#include "util/utf8.h"

struct parse {
	struct units_csv_unit		*u;
	size_t				 n, cap;
	size_t				*lines;		/* line of u[i] */
	struct units_csv_error	*errs;
	size_t				 max_errs, n_errs;
};

static void
problem(struct parse *p, size_t line, const char *key, size_t other)
{
	if (p->n_errs < p->max_errs) {
		p->errs[p->n_errs].line = line;
		p->errs[p->n_errs].key = key;
		p->errs[p->n_errs].other_line = other;
	}
	p->n_errs++;
}

/* The key of what is wrong with name s[0..len), or NULL. */
static const char *
name_problem(const char *s, size_t len)
{
	size_t i = 0, seg = 0;
	uint32_t cp;

	if (len == 0)
		return "console.units.err.no_name";
	if (len > UNITS_CSV_NAME_MAX)
		return "console.units.err.long_name";
	while (i < len) {
		if (utf8_next((const uint8_t *)s, len, &i, &cp) != 0)
			return "console.units.err.utf8";
		if (utf8_is_control(cp))
			return "console.units.err.control";
	}
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (i == seg || s[seg] == ' ' || s[i - 1] == ' ')
			return "console.units.err.level";
		seg = i + 1;
	}
	return NULL;
}

/* Reads a whole number 0..UNITS_CSV_HEAD_MAX from s[0..len); -1 if not. */
static int64_t
head_count(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i;

	while (len > 0 && s[0] == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len > 7)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= UNITS_CSV_HEAD_MAX ? v : -1;
}

static int
add(struct parse *p, const char *name, size_t nlen, int64_t hc,
    size_t line)
{
	struct units_csv_unit *nu;
	size_t *nl, i;

	for (i = 0; i < p->n; i++)
		if (strlen(p->u[i].name) == nlen &&
		    memcmp(p->u[i].name, name, nlen) == 0) {
			problem(p, line, "console.units.err.duplicate",
			    p->lines[i]);
			return GH_OK;
		}
	if (p->n == UNITS_CSV_MAX) {
		problem(p, line, "console.units.err.too_many", 0);
		return GH_OK;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		if ((nu = realloc(p->u, p->cap * sizeof(*nu))) == NULL)
			return GH_ERR_NOMEM;
		p->u = nu;
		if ((nl = realloc(p->lines, p->cap * sizeof(*nl))) == NULL)
			return GH_ERR_NOMEM;
		p->lines = nl;
	}
	memcpy(p->u[p->n].name, name, nlen);
	p->u[p->n].name[nlen] = '\0';
	p->u[p->n].head_count = hc;
	p->lines[p->n++] = line;
	return GH_OK;
}

/* One line s[0..len) (no line end). */
static int
parse_line(struct parse *p, const char *s, size_t len, size_t line)
{
	const char *sep = NULL, *name;
	const char *why;
	size_t i, nlen;
	int64_t hc;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == ';')
			sep = s + i;
	if (sep == NULL) {
		problem(p, line, "console.units.err.no_count", 0);
		return GH_OK;
	}
	name = s;
	nlen = (size_t)(sep - s);
	if (nlen >= 2 && name[0] == '"' && name[nlen - 1] == '"') {
		name++;
		nlen -= 2;
	}
	hc = head_count(sep + 1, len - (size_t)(sep + 1 - s));
	/* A first line of column names ("unit,head count") is skipped. */
	if (line == 1 && hc < 0 && p->n == 0 && p->n_errs == 0)
		return GH_OK;
	if ((why = name_problem(name, nlen)) != NULL)
		problem(p, line, why, 0);
	else if (hc < 0)
		problem(p, line, "console.units.err.count", 0);
	else
		return add(p, name, nlen, hc, line);
	return GH_OK;
}

int
units_csv_parse(const char *text, size_t len, struct units_csv_unit **out,
    size_t *n, struct units_csv_error *errs, size_t max_errs,
    size_t *n_errs)
{
	struct parse p = { NULL, 0, 0, NULL, errs, max_errs, 0 };
	size_t start = 0, end, line = 0, l;
	int r = GH_OK;

	*out = NULL;
	*n = 0;
	while (r == GH_OK && start < len) {
		line++;
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		l = end - start;
		if (l > 0 && text[start + l - 1] == '\r')
			l--;
		if (l > 0)
			r = parse_line(&p, text + start, l, line);
		start = end + 1;
	}
	if (r == GH_OK && p.n == 0 && p.n_errs == 0)
		problem(&p, line ? line : 1, "console.units.err.empty", 0);
	*n_errs = p.n_errs;
	free(p.lines);
	if (r != GH_OK || p.n_errs > 0) {
		free(p.u);
		return r != GH_OK ? r : GH_ERR_INVALID;
	}
	*out = p.u;
	*n = p.n;
	return GH_OK;
}
