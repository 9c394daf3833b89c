/*
 * cmd_invitations.c: "gehoord invitations issue": a batch of personal,
 * one-time invitation links BASE/i/CODE for mail merge.
 *
 * An invitation is not a survey link: opened in a browser, it makes one
 * (route_invite.c) by a VOPRF exchange the server cannot follow, so
 * whoever mail-merges the invitations cannot tell which survey link,
 * and so which answer, came from whom. Each batch has its own VOPRF key
 * pair (crypto/voprf.h); its secret key is stored sealed under a subkey
 * of the pepper, its public key in the clear.
 *
 * Data path: as gehoord tokens issue (cli/linkbatch.h): N fresh codes ->
 * links in OUT.csv (O_EXCL, mode 0600, never overwritten) -> keyed
 * hashes, the public key and the sealed secret key stored in one
 * transaction -> the file renamed into place. The secret key lives in
 * sodium_malloc memory and is wiped before exit.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/linkbatch.h"
#include "crypto/voprf.h"
#include "store/store.h"
#include "store/store_invite.h"
#include "survey/answer.h"

#define INVITATIONS_MAX	1000000

_Static_assert(STORE_INVITE_SEALED_BYTES == VOPRF_SEALED_KEY_BYTES,
    "sealed key size");
_Static_assert(STORE_INVITE_PK_BYTES == VOPRF_ELEMENT_BYTES, "key size");

/* What the store call needs besides the hashes. */
struct invite_args {
	int64_t		 wave;
	const char	*unit;
	uint8_t		 pk[VOPRF_ELEMENT_BYTES];
	uint8_t		 sealed[VOPRF_SEALED_KEY_BYTES];
};

static int
store_invitations(struct store *s, const uint8_t (*hashes)[TOKEN_HASH_BYTES],
    size_t n, const void *arg, int64_t *id)
{
	const struct invite_args *a = arg;

	return store_invite_batch_create(s, a->wave, a->unit, a->pk,
	    a->sealed, (const uint8_t (*)[STORE_HASH_BYTES])hashes, n, id);
}

/* Checks the options that need no file; returns GH_OK or GH_ERR_USAGE. */
static int
issue_check_args(const struct linkbatch *lb, const struct arg_spec *specs,
    long long *wave, long long *count)
{
	const char *unit = args_get(specs, "unit");

	if (args_int("invitations issue", "wave", args_get(specs, "wave"), 1,
	    INT64_MAX, wave) != GH_OK || args_int("invitations issue",
	    "count", args_get(specs, "count"), 1, INVITATIONS_MAX, count) !=
	    GH_OK)
		return GH_ERR_USAGE;
	if (linkbatch_check_base_url(lb, args_get(specs, "base-url")) != GH_OK)
		return GH_ERR_USAGE;
	if (unit != NULL && !answer_unit_is_valid(unit)) {
		fprintf(stderr, "gehoord invitations issue: --unit: must be 1 "
		    "to %d bytes of UTF-8 without control characters\n",
		    DEF_MAX_UNIT);
		return GH_ERR_USAGE;
	}
	return GH_OK;
}

static int
invitations_issue(int argc, char **argv, struct arg_spec *specs)
{
	struct invite_args a;
	struct linkbatch lb;
	struct store *s = NULL;
	uint8_t *sk = NULL;
	const char *db, *csv;
	char pkhex[2 * sizeof(a.pk) + 1];
	long long wave, count;
	int64_t batch;
	int r = GH_ERR_USAGE, is_help;

	if (args_parse(argc, argv, specs, "Issues a batch of personal, "
	    "one-time invitation links (OUT.csv, for mail merge). Opened in "
	    "a browser, an invitation makes a survey link the server never "
	    "sees, so the invitation and the answer cannot be related. Only "
	    "keyed hashes of the invitations are stored. Prints the batch's "
	    "public key: publish it where invitees can compare it with the "
	    "key their invitation page states.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	linkbatch_init(&lb, "invitations issue", "invitations of another "
	    "batch", "the batch");
	db = args_get(specs, "db");
	csv = args_get(specs, "csv");
	memset(&a, 0, sizeof(a));
	a.unit = args_get(specs, "unit");
	if (issue_check_args(&lb, specs, &wave, &count) != GH_OK)
		return CLI_USAGE;
	a.wave = wave;
	if ((r = linkbatch_open(&lb, db, &s)) != GH_OK)
		goto out;
	if ((r = linkbatch_wave(&lb, s, wave, count, NULL)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((sk = sodium_malloc(VOPRF_SCALAR_BYTES)) == NULL)
		goto out;
	fprintf(stderr, "gehoord invitations issue: making the batch's key "
	    "pair and %zu invitations...\n", (size_t)count);
	voprf_key_pair_new(sk, a.pk);
	voprf_key_seal(a.sealed, sk, a.pk, lb.pepper);
	if ((r = linkbatch_make(&lb, (size_t)count,
	    args_get(specs, "base-url"), "/i/")) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord invitations issue: writing %s...\n", csv);
	if ((r = linkbatch_write(&lb, csv, NULL, NULL, NULL)) != GH_OK)
		goto out;
	fprintf(stderr, "gehoord invitations issue: storing %zu invitation "
	    "hashes...\n", lb.n);
	if ((r = linkbatch_store(&lb, s, store_invitations, &a, csv, NULL,
	    &batch)) != GH_OK)
		goto out;
	printf("batch %lld: %zu invitations for wave %lld%s%s\n",
	    (long long)batch, lb.n, wave, a.unit ? ", unit " : "",
	    a.unit ? a.unit : "");
	/* Published by the coordinator where invitees can compare it with
	 * the key their invitation page states. */
	sodium_bin2hex(pkhex, sizeof(pkhex), a.pk, sizeof(a.pk));
	printf("public key: %s\n", pkhex);
out:
	if (sk != NULL)
		sodium_free(sk);
	linkbatch_free(&lb, r);
	store_close(s);
	return cli_exit_code(r);
}

int
cmd_invitations(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the wave's id", 0 },
		{ "count", "N", 1, "how many invitations (at least the wave's "
		    "k)", 0 },
		{ "unit", "LABEL", 0, "the organisational unit of this batch",
		    0 },
		{ "base-url", "URL", 1, "the server's address, e.g. "
		    "https://gehoord.example.org", 0 },
		{ "csv", "OUT.csv", 1, "the invitation links, one per line", 0 },
		{ 0 }
	};

	if (argc > 1 && strcmp(argv[1], "keys") == 0) {
		argv[1] = "invitations keys";
		return cmd_invitation_keys(argc - 1, argv + 1);
	}
	return linkbatch_cmd(argc, argv, "invitations issue", "Issues a "
	    "batch of personal, one-time invitations (gehoord invitations "
	    "keys: the wave's batch keys, signed, to publish).", specs,
	    invitations_issue);
}
