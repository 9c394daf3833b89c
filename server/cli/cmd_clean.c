/*
 * cmd_clean.c: "gehoord clean --in F --out G": removes the metadata of one
 * file with the same confined cleaner that attachments to reports go
 * through (report/attach_worker.h), for the desk (a file that came in by
 * another way) and for tests. Data path: F (at most 10 MB) ->
 * attach_worker_clean in a confined child -> G, created new (an existing
 * G is never overwritten). Exit 0: cleaned; 1: refused or not written
 * (one line on stderr says why; G is not created); 2: usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "report/attach_worker.h"

#define SYNOPSIS "gehoord clean --in FILE --out FILE removes the " \
	"metadata of a JPEG, PNG, HEIC or PDF file (EXIF, XMP, IPTC, ICC " \
	"profile, comments, thumbnails; a PDF's Info dictionary, XMP, " \
	"embedded files and scripts) by decoding it and writing it anew " \
	"in a confined process, as attachments to reports are. HEIC comes " \
	"out as JPEG. At most 10 MB and 40 million pixels. Exit 0 if " \
	"cleaned, 1 if refused (the reason is printed)."

/* Reads at most ATTACH_FILE_MAX + 1 bytes of path into a new buffer. */
static int
read_in(const char *path, uint8_t **buf, size_t *n)
{
	size_t cap = (size_t)ATTACH_FILE_MAX + 1, got = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "gehoord clean: --in %s: %s\n", path,
		    strerror(errno));
		return GH_ERR_IO;
	}
	if ((*buf = malloc(cap)) == NULL) {
		(void)close(fd);
		return GH_ERR_NOMEM;
	}
	while (got < cap && (r = read(fd, *buf + got, cap - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "gehoord clean: --in %s: %s\n", path,
			    strerror(errno));
			(void)close(fd);
			free(*buf);
			*buf = NULL;
			return GH_ERR_IO;
		}
		got += (size_t)r;
	}
	(void)close(fd);
	*n = got;
	return GH_OK;
}

static int
write_out(const char *path, const uint8_t *p, size_t n)
{
	size_t off = 0;
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0) {
		fprintf(stderr, "gehoord clean: --out %s: %s\n", path,
		    strerror(errno));
		return GH_ERR_IO;
	}
	while (off < n) {
		if ((w = write(fd, p + off, n - off)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off < n || fsync(fd) != 0 || close(fd) != 0) {
		fprintf(stderr, "gehoord clean: --out %s: cannot write it: "
		    "%s\n", path, strerror(errno));
		(void)unlink(path);
		return GH_ERR_IO;
	}
	return GH_OK;
}

int
cmd_clean(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "in", "FILE", 1, "the file to clean", 0 },
		{ "out", "FILE", 1, "where to write the cleaned file (must "
		    "not exist)", 0 },
		{ 0 }
	};
	const char *in, *outp;
	uint8_t *buf = NULL, *out = NULL;
	size_t n = 0, outlen = 0;
	enum attach_type type = 0;
	enum attach_refusal why;
	int is_help, r = CLI_FAIL;

	if (args_parse(argc, argv, specs, SYNOPSIS, &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	in = args_get(specs, "in");
	outp = args_get(specs, "out");
	if (access(outp, F_OK) == 0) {
		fprintf(stderr, "gehoord clean: --out %s: exists already; "
		    "name a new file\n", outp);
		return CLI_FAIL;
	}
	if (read_in(in, &buf, &n) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord clean: cleaning %s (%zu bytes) in a "
	    "confined worker...\n", in, n);
	if ((why = attach_worker_clean(buf, n, &out, &outlen, &type)) !=
	    ATTACH_OK) {
		fprintf(stderr, "gehoord clean: --in %s: refused: %s\n", in,
		    attach_refusal_str(why));
		goto out;
	}
	if (write_out(outp, out, outlen) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord clean: wrote %s (%s, %zu bytes)\n", outp,
	    attach_type_mime(type), outlen);
	r = CLI_OK;
out:
	free(buf);
	free(out);
	return r;
}
