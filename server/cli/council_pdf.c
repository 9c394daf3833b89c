/*
 * council_pdf.c: the yearly report printed to PDF by headless Chromium
 * (council_pdf.h).
 *
 * Entry points: council_pdf_chromium, council_pdf_print. Data path: a
 * fresh profile directory (a random name, made new with mode 0700) -> fork and exec chromium --headless
 * --print-to-pdf=PDF file://HTML, its output to /dev/null, no shell ->
 * wait at most PRINT_SECONDS, else kill it -> the PDF's first bytes
 * checked -> the profile directory removed. The document is the report's
 * own HTML: no script, no external asset, nothing fetched. Chromium's
 * sandbox cannot start as root, so as root it runs with --no-sandbox:
 * the page it opens is the one this program just wrote.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/council_pdf.h"

#define PRINT_SECONDS	120
#define TREE_DEPTH	24
#define DEFAULT_CHROMIUM "/usr/bin/chromium"

const char *
council_pdf_chromium(void)
{
	const char *c = getenv("GEHOORD_CHROMIUM");
	struct stat sb;

	if (c == NULL || *c == '\0')
		c = DEFAULT_CHROMIUM;
	if (stat(c, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    access(c, X_OK) != 0)
		return NULL;
	return c;
}

/*
 * Removes the profile directory root and what chromium left in it, depth
 * first with a stack of open directories (TREE_DEPTH levels at most).
 * Best effort: a file left in /tmp is chromium's cache, not a report's.
 */
static void
rm_tree(const char *root)
{
	char path[4096];
	DIR *d[TREE_DEPTH];
	size_t len[TREE_DEPTH];
	struct dirent *e;
	struct stat sb;
	int top = 0, n;

	snprintf(path, sizeof(path), "%s", root);
	if ((d[0] = opendir(path)) == NULL)
		return;
	len[0] = strlen(path);
	while (top >= 0) {
		path[len[top]] = '\0';
		if ((e = readdir(d[top])) == NULL) {
			(void)closedir(d[top]);
			(void)rmdir(path);
			top--;
			continue;
		}
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = snprintf(path + len[top], sizeof(path) - len[top], "/%s",
		    e->d_name);
		if (n < 0 || (size_t)n >= sizeof(path) - len[top])
			continue;
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) &&
		    top + 1 < TREE_DEPTH &&
		    (d[top + 1] = opendir(path)) != NULL) {
			top++;
			len[top] = strlen(path);
			continue;
		}
		(void)unlink(path);
	}
}

/* Waits for pid at most PRINT_SECONDS; kills it then. 1 if it exited 0. */
static int
wait_for(pid_t pid)
{
	struct timespec pause = { 0, 100000000L };
	int status = 0, i;
	pid_t w;

	for (i = 0; i < PRINT_SECONDS * 10; i++) {
		if ((w = waitpid(pid, &status, WNOHANG)) == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (w < 0 && errno != EINTR)
			return 0;
		nanosleep(&pause, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fprintf(stderr, "gehoord report-stats: chromium did not finish "
	    "within %d seconds; stopped it\n", PRINT_SECONDS);
	return 0;
}

static void
child(const char *chromium, const char *profile, const char *html,
    const char *pdf)
{
	char arg_profile[4200], arg_pdf[4200], url[4200];
	char *argv[16];
	int n = 0, fd;

	snprintf(arg_profile, sizeof(arg_profile), "--user-data-dir=%s",
	    profile);
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", pdf);
	snprintf(url, sizeof(url), "file://%s", html);
	argv[n++] = (char *)chromium;
	argv[n++] = "--headless";
	argv[n++] = "--disable-gpu";
	argv[n++] = "--no-first-run";
	argv[n++] = "--disable-background-networking";
	argv[n++] = "--disable-component-update";
	argv[n++] = "--disable-sync";
	argv[n++] = "--no-pdf-header-footer";
	if (geteuid() == 0)
		argv[n++] = "--no-sandbox";
	argv[n++] = arg_profile;
	argv[n++] = arg_pdf;
	argv[n++] = url;
	argv[n] = NULL;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	execv(chromium, argv);
	_exit(127);
}

/* 1 if path starts with "%PDF". */
static int
is_pdf(const char *path)
{
	char head[4];
	FILE *f = fopen(path, "rb");
	int ok;

	if (f == NULL)
		return 0;
	ok = fread(head, 1, 4, f) == 4 && memcmp(head, "%PDF", 4) == 0;
	(void)fclose(f);
	return ok;
}

int
council_pdf_print(const char *chromium, const char *html, const char *pdf)
{
	char profile[64], hex[33];
	uint8_t rnd[16];
	int ok;
	pid_t pid;

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(profile, sizeof(profile), "/tmp/gehoord-chromium-%s", hex);
	if (mkdir(profile, 0700) != 0) {
		fprintf(stderr, "gehoord report-stats: cannot make a profile "
		    "directory for chromium: %s\n", strerror(errno));
		return GH_ERR_IO;
	}
	(void)fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "gehoord report-stats: cannot start %s: %s\n",
		    chromium, strerror(errno));
		rm_tree(profile);
		return GH_ERR_IO;
	}
	if (pid == 0)
		child(chromium, profile, html, pdf);
	ok = wait_for(pid);
	rm_tree(profile);
	if (!ok || !is_pdf(pdf)) {
		fprintf(stderr, "gehoord report-stats: %s did not print %s "
		    "to a PDF\n", chromium, html);
		unlink(pdf);
		return GH_ERR_IO;
	}
	return GH_OK;
}
