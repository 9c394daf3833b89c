/*
 * args.c: long-option parsing for the subcommands (see args.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

/* Returns the index in specs of the flag name (len bytes), or -1. */
static long
find_spec(const struct arg_spec *specs, const char *name, size_t len)
{
	long i;

	for (i = 0; specs[i].name != NULL; i++)
		if (strlen(specs[i].name) == len &&
		    strncmp(specs[i].name, name, len) == 0)
			return i;
	return -1;
}

void
args_usage(void *fp, const char *cmd, const char *synopsis,
    const struct arg_spec *specs)
{
	FILE *f = fp;

	fprintf(f, "usage: gehoord %s\n\n%s\n\n", cmd, synopsis);
	for (; specs->name != NULL; specs++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", specs->name,
		    specs->metavar ? " " : "",
		    specs->metavar ? specs->metavar : "");
		fprintf(f, "  %-28s %s%s\n", left, specs->help,
		    specs->is_required ? " (required)" : "");
	}
	fprintf(f, "  %-28s %s\n", "--help", "show this help and exit");
}

int
args_parse(int argc, char **argv, struct arg_spec *specs,
    const char *synopsis, int *is_help)
{
	const char *cmd = argv[0];
	struct arg_spec *s;
	long si;
	int i;

	*is_help = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			args_usage(stdout, cmd, synopsis, specs);
			*is_help = 1;
			return GH_ERR_USAGE;
		}
		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "gehoord %s: unexpected argument '%s' "
			    "(try --help)\n", cmd, a);
			return GH_ERR_USAGE;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if ((si = find_spec(specs, a, len)) < 0) {
			fprintf(stderr, "gehoord %s: unknown option --%.*s "
			    "(try --help)\n", cmd, (int)len, a);
			return GH_ERR_USAGE;
		}
		s = &specs[si];
		if (s->metavar == NULL) {
			if (eq != NULL) {
				fprintf(stderr, "gehoord %s: --%s takes no "
				    "value\n", cmd, s->name);
				return GH_ERR_USAGE;
			}
			s->value = "1";
		} else if (eq != NULL) {
			s->value = eq + 1;
		} else if (i + 1 < argc) {
			s->value = argv[++i];
		} else {
			fprintf(stderr, "gehoord %s: --%s needs a value (%s)\n",
			    cmd, s->name, s->metavar);
			return GH_ERR_USAGE;
		}
	}
	for (s = specs; s->name != NULL; s++) {
		if (s->is_required && s->value == NULL) {
			fprintf(stderr, "gehoord %s: --%s %s is required "
			    "(try --help)\n", cmd, s->name, s->metavar);
			return GH_ERR_USAGE;
		}
	}
	return GH_OK;
}

int
args_get_all(int argc, char **argv, const struct arg_spec *specs,
    const char *name, const char **out, size_t max, size_t *n)
{
	const struct arg_spec *s;
	long si;
	int i;

	*n = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i] + 2, *eq, *v;
		size_t len;

		/* args_parse accepted argv: every word here is a flag. */
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if ((si = find_spec(specs, a, len)) < 0)
			continue;
		s = &specs[si];
		if (s->metavar == NULL)
			v = "1";
		else if (eq != NULL)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			continue;
		if (strcmp(s->name, name) != 0)
			continue;
		if (*n == max) {
			fprintf(stderr, "gehoord %s: --%s given more than %zu "
			    "times\n", argv[0], name, max);
			return GH_ERR_USAGE;
		}
		out[(*n)++] = v;
	}
	return GH_OK;
}

const char *
args_get(const struct arg_spec *specs, const char *name)
{
	for (; specs->name != NULL; specs++)
		if (strcmp(specs->name, name) == 0)
			return specs->value;
	return NULL;
}

int
args_int(const char *cmd, const char *name, const char *s, long long min,
    long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "gehoord %s: --%s: '%s' is not a whole number "
		    "from %lld to %lld\n", cmd, name, s, min, max);
		return GH_ERR_USAGE;
	}
	*out = v;
	return GH_OK;
}
