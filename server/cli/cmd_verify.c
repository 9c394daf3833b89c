/*
 * cmd_verify.c: "gehoord verify DIR [--pub FILE]": checks a release
 * directory as a researcher received it: the Ed25519 signature of its
 * MANIFEST, the SHA-256 of every file, and that no file was added
 * (release/manifest.h). Data path: DIR/MANIFEST, MANIFEST.sig and
 * release-key.pub (or --pub FILE, a signify public key) -> manifest_verify,
 * which prints every check to stdout. Exit 0: good; 1: not good (the
 * output says which file or line); 2: usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "crypto/signkey.h"
#include "release/manifest.h"
#include "util/buf.h"

#define SYNOPSIS "DIR: checks a release directory: the signature of its " \
	"MANIFEST (with --pub FILE, or else with the release-key.pub in " \
	"DIR, whose key is printed to compare with the published one), " \
	"the SHA-256 of every file it lists, and that DIR holds no other " \
	"file. Exit 0 if all is good, 1 if not (what failed is printed)."

/* Reads a signify public key file into pk. */
static int
read_pub(const char *path, uint8_t pk[SIGNKEY_PK_BYTES])
{
	char text[SIGNKEY_SIGNIFY_MAX + 1];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "gehoord verify: --pub: %s: cannot open it\n",
		    path);
		return GH_ERR_IO;
	}
	n = fread(text, 1, sizeof(text), f);
	(void)fclose(f);
	if (n == 0 || n > SIGNKEY_SIGNIFY_MAX ||
	    signkey_signify_parse_pub(text, n, pk) != GH_OK) {
		fprintf(stderr, "gehoord verify: --pub: %s: not a signify "
		    "public key\n", path);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
cmd_verify(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "pub", "FILE", 0, "the published release public key "
		    "(signify format); default: DIR/release-key.pub", 0 },
		{ 0 }
	};
	uint8_t pk[SIGNKEY_PK_BYTES];
	char **rest = NULL;
	const char *dir = NULL, *pub;
	int i, n = 0, r, is_help;

	/* DIR is the one argument that is not a flag; args_parse reads the
	 * flags of what remains. */
	if ((rest = calloc((size_t)argc + 1, sizeof(*rest))) == NULL)
		return CLI_FAIL;
	rest[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (dir == NULL && argv[i][0] != '-' &&
		    (i == 1 || strcmp(argv[i - 1], "--pub") != 0))
			dir = argv[i];
		else
			rest[n++] = argv[i];
	}
	r = args_parse(n, rest, specs, SYNOPSIS, &is_help);
	free(rest);
	if (r != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (dir == NULL) {
		fprintf(stderr, "gehoord verify: which release directory? "
		    "(gehoord verify DIR; try --help)\n");
		return CLI_USAGE;
	}
	pub = args_get(specs, "pub");
	if (pub != NULL && read_pub(pub, pk) != GH_OK)
		return CLI_FAIL;
	r = manifest_verify(dir, pub != NULL ? pk : NULL, stdout);
	(void)fflush(stdout);
	return r == GH_OK ? CLI_OK : CLI_FAIL;
}
