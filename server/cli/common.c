/*
 * common.c: helpers every subcommand shares: passphrases, the pepper's
 * path, exit codes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <fcntl.h>

#include <sodium.h>

#include "cli/cli.h"

#define PASS_MAX 1024

int
cli_exit_code(int r)
{
	switch (r) {
	case GH_OK: return CLI_OK;
	case GH_ERR_USAGE: return CLI_USAGE;
	case GH_ERR_PRIVACY: return CLI_PRIVACY;
	default: return CLI_FAIL;
	}
}

int
cli_pepper_path(char *out, size_t outsz, const char *db)
{
	int n = snprintf(out, outsz, "%s.pepper", db);

	return n < 0 || (size_t)n >= outsz ? GH_ERR_TOO_LARGE : GH_OK;
}

void
cli_pass_free(char *pass)
{
	sodium_free(pass);
}

/* Reads one line into buf (PASS_MAX bytes), without the line end. */
static int
read_line(FILE *f, char *buf, size_t *len)
{
	size_t n;

	if (fgets(buf, PASS_MAX, f) == NULL)
		return GH_ERR_IO;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	*len = n;
	return GH_OK;
}

static int
read_tty(const char *prompt, char *buf, size_t *len)
{
	struct termios old, quiet;
	FILE *tty;
	int r = GH_ERR_IO;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return GH_ERR_IO;
	/* Echo must be off before the passphrase is typed, or we refuse. */
	if (tcgetattr(fileno(tty), &old) != 0)
		goto out;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	(void)fputs(prompt, tty);
	(void)fflush(tty);
	if (tcsetattr(fileno(tty), TCSAFLUSH, &quiet) != 0)
		goto out;
	r = read_line(tty, buf, len);
	(void)tcsetattr(fileno(tty), TCSAFLUSH, &old);
	(void)fputs("\n", tty);
out:
	(void)fclose(tty);
	return r;
}

int
cli_pass_read(const char *cmd, const char *path, int confirm, char **pass,
    size_t *len)
{
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	FILE *f;
	int r = GH_ERR_NOMEM;

	*pass = NULL;
	if ((a = sodium_malloc(PASS_MAX)) == NULL ||
	    (b = sodium_malloc(PASS_MAX)) == NULL)
		goto out;
	if (path != NULL) {
		if ((f = fopen(path, "r")) == NULL) {
			fprintf(stderr, "gehoord %s: %s: cannot read the "
			    "passphrase file: %s\n", cmd, path, strerror(errno));
			r = GH_ERR_IO;
			goto out;
		}
		r = read_line(f, a, &alen);
		(void)fclose(f);
		if (r != GH_OK)
			alen = 0;
	} else {
		if ((r = read_tty("Passphrase: ", a, &alen)) != GH_OK) {
			fprintf(stderr, "gehoord %s: no terminal to ask for the "
			    "passphrase; use --passphrase-file\n", cmd);
			goto out;
		}
		if (confirm && (read_tty("Passphrase again: ", b, &blen) !=
		    GH_OK || blen != alen ||
		    sodium_memcmp(a, b, alen) != 0)) {
			fprintf(stderr, "gehoord %s: the passphrases differ; "
			    "nothing was written\n", cmd);
			r = GH_ERR_PASSPHRASE;
			goto out;
		}
	}
	if (alen == 0) {
		fprintf(stderr, "gehoord %s: %s: the passphrase is empty\n",
		    cmd, path ? path : "terminal");
		r = GH_ERR_PASSPHRASE;
		goto out;
	}
	*pass = a;
	*len = alen;
	a = NULL;
	r = GH_OK;
out:
	sodium_free(a);
	sodium_free(b);
	return r;
}
