/*
 * manifest.c: the signed MANIFEST of a release directory (manifest.h).
 *
 * Entry points: manifest_write (gehoord release), manifest_verify
 * (gehoord verify) and manifest_verify_files (the same check of files
 * held in memory: a release uploaded in the console). Data path of a write: each named file is read back
 * from disk and hashed with SHA-256 (libsodium), the lines
 * "HEX  NAME\n" are written in name order to DIR/MANIFEST, its bytes are
 * signed with Ed25519 and the signature and public key are written in
 * signify's format (crypto/signkey.h). A check runs the other way: the
 * signature first (nothing in an unsigned MANIFEST is trusted), then
 * every line, every listed file's hash, and finally the directory for
 * files that MANIFEST does not list. Everything checked is printed; the
 * first kind of failure is returned, but every file is still checked so
 * that one run names them all.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/signkey.h"
#include "release/manifest.h"
#include "util/file.h"
#include "util/log.h"

#define MANIFEST_NAME	"MANIFEST"
#define SIG_NAME	"MANIFEST.sig"
#define PUB_NAME	"release-key.pub"
/* The most bytes of MANIFEST that are read. */
#define MANIFEST_MAX	((size_t)1024 * 1024)
#define HEX_LEN		((size_t)crypto_hash_sha256_BYTES * 2)
#define NAME_MAX_LEN	255

/* Returns 1 for the files that carry the manifest rather than data. */
static int
is_meta(const char *name)
{
	return strcmp(name, MANIFEST_NAME) == 0 || strcmp(name, SIG_NAME) == 0 ||
	    strcmp(name, PUB_NAME) == 0;
}

/* A listed name: a plain file name of printable ASCII, not a meta file. */
static int
is_good_name(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len > NAME_MAX_LEN || name[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~' || name[i] == '/' ||
		    name[i] == '\\')
			return 0;
	return 1;
}

static int
path_join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n = snprintf(out, outsz, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= outsz) {
		log_error("%s/%s: path too long", dir, name);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

/*
 * Hashes the regular file at path into h. Returns GH_OK, GH_ERR_NOT_FOUND
 * (no such file) or GH_ERR_IO; logs nothing (callers say it their way).
 */
static int
hash_file(const char *path, uint8_t h[crypto_hash_sha256_BYTES])
{
	crypto_hash_sha256_state st;
	unsigned char chunk[65536];
	struct stat sb;
	ssize_t n;
	int fd, r = GH_ERR_IO;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? GH_ERR_NOT_FOUND : GH_ERR_IO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		goto out;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		crypto_hash_sha256_update(&st, chunk, (unsigned long long)n);
	if (n < 0)
		goto out;
	crypto_hash_sha256_final(&st, h);
	r = GH_OK;
out:
	close(fd);
	return r;
}

/* Reads the small file at path into b (NUL-terminated). */
static int
read_small(const char *path, size_t max, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *f;
	int r = GH_OK;

	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? GH_ERR_NOT_FOUND : GH_ERR_IO;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > max) {
			r = GH_ERR_TOO_LARGE;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (r == GH_OK && ferror(f))
		r = GH_ERR_IO;
	if (r == GH_OK && buf_is_failed(b))
		r = GH_ERR_NOMEM;
	(void)fclose(f);
	return r;
}

/* Writes DIR/name, replacing it in one step (file_replace), mode 0644. */
static int
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	int r;

	if ((r = path_join(path, sizeof(path), dir, name)) != GH_OK)
		return r;
	if ((r = file_replace(path, data, len, 0644)) != GH_OK)
		return r == GH_ERR_NOMEM ? r : GH_ERR_IO;
	return GH_OK;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the MANIFEST lines for names (sorted) of dir to m. */
static int
build_manifest(const char *dir, const char **sorted, size_t n, struct buf *m)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	char hex[HEX_LEN + 1], path[4096];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (!is_good_name(sorted[i], strlen(sorted[i])) ||
		    is_meta(sorted[i]) ||
		    (i > 0 && strcmp(sorted[i - 1], sorted[i]) == 0)) {
			log_error("%s: '%s' cannot be listed in a MANIFEST",
			    dir, sorted[i]);
			return GH_ERR_INVALID;
		}
		if ((r = path_join(path, sizeof(path), dir, sorted[i])) !=
		    GH_OK)
			return r;
		if (hash_file(path, h) != GH_OK) {
			log_error("%s: cannot read it to hash it", path);
			return GH_ERR_IO;
		}
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		buf_printf(m, "%s  %s\n", hex, sorted[i]);
	}
	return buf_is_failed(m) ? GH_ERR_NOMEM : GH_OK;
}

int
manifest_write(const char *dir, const char *const *names, size_t n,
    const uint8_t *sk, struct buf *manifest, struct buf *sig)
{
	uint8_t pk[SIGNKEY_PK_BYTES], s[SIGNKEY_SIG_BYTES];
	char sigtext[SIGNKEY_SIGNIFY_MAX], pubtext[SIGNKEY_SIGNIFY_MAX];
	const char **sorted = NULL;
	struct buf m = { 0 };
	int r = GH_ERR_NOMEM;

	if (n > 0 && (sorted = calloc(n, sizeof(*sorted))) == NULL)
		goto out;
	if (n > 0)
		memcpy(sorted, names, n * sizeof(*sorted));
	if (n > 1)
		qsort(sorted, n, sizeof(*sorted), cmp_name);
	if ((r = build_manifest(dir, sorted, n, &m)) != GH_OK)
		goto out;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	signkey_sign(s, (const uint8_t *)m.data, m.len, sk);
	if ((r = signkey_signify_sig(sigtext, sizeof(sigtext),
	    "verify with " PUB_NAME, s, pk)) != GH_OK ||
	    (r = signkey_signify_pub(pubtext, sizeof(pubtext),
	    "gehoord release public key", pk)) != GH_OK)
		goto out;
	if ((r = write_file(dir, MANIFEST_NAME, m.data, m.len)) != GH_OK ||
	    (r = write_file(dir, SIG_NAME, sigtext, strlen(sigtext))) !=
	    GH_OK ||
	    (r = write_file(dir, PUB_NAME, pubtext, strlen(pubtext))) != GH_OK)
		goto out;
	if (manifest != NULL)
		buf_add(manifest, m.data, m.len);
	if (sig != NULL)
		buf_puts(sig, sigtext);
	if ((manifest != NULL && buf_is_failed(manifest)) ||
	    (sig != NULL && buf_is_failed(sig))) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	r = GH_OK;
out:
	free(sorted);
	buf_free(&m);
	return r;
}

/* What a check has found so far. */
struct check {
	const char	 *dir;		/* the directory checked, or */
	const struct manifest_file *files;	/* ... the files in memory */
	size_t		  n_files;
	FILE		 *out;
	int		  r;		/* the first failure, or GH_OK */
	char		**names;	/* the listed names, in order */
	size_t		  n;
};

static void
check_fail(struct check *c, int r)
{
	if (c->r == GH_OK)
		c->r = r;
}

/* The file name of an in-memory check, or NULL. */
static const struct manifest_file *
mem_find(const struct check *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_files; i++)
		if (strcmp(c->files[i].name, name) == 0)
			return &c->files[i];
	return NULL;
}

/* Reads name (at most max bytes) from the directory or from memory. */
static int
fetch(const struct check *c, const char *name, size_t max, struct buf *b)
{
	const struct manifest_file *f;
	char path[4096];
	int r;

	if (c->files == NULL) {
		if ((r = path_join(path, sizeof(path), c->dir, name)) != GH_OK)
			return r;
		return read_small(path, max, b);
	}
	if ((f = mem_find(c, name)) == NULL)
		return GH_ERR_NOT_FOUND;
	if (f->len > max)
		return GH_ERR_TOO_LARGE;
	buf_add(b, (const char *)f->data, f->len);
	return buf_is_failed(b) ? GH_ERR_NOMEM : GH_OK;
}

/* Hashes name, from the directory or from memory (as hash_file). */
static int
fetch_hash(const struct check *c, const char *name,
    uint8_t h[crypto_hash_sha256_BYTES])
{
	const struct manifest_file *f;
	char path[4096];
	int r;

	if (c->files == NULL) {
		if ((r = path_join(path, sizeof(path), c->dir, name)) != GH_OK)
			return r;
		return hash_file(path, h);
	}
	if ((f = mem_find(c, name)) == NULL)
		return GH_ERR_NOT_FOUND;
	crypto_hash_sha256(h, f->data, (unsigned long long)f->len);
	return GH_OK;
}

/* Reads the public key: from pk, or from DIR/release-key.pub (printed). */
static int
load_pub(struct check *c, const uint8_t *pk, uint8_t out[SIGNKEY_PK_BYTES])
{
	struct buf b = { 0 };
	const char *nl, *line;
	int r;

	if (pk != NULL) {
		memcpy(out, pk, SIGNKEY_PK_BYTES);
		fprintf(c->out, "key: the public key given\n");
		return GH_OK;
	}
	if ((r = fetch(c, PUB_NAME, SIGNKEY_SIGNIFY_MAX, &b)) != GH_OK ||
	    (r = b.len == 0 ? GH_ERR_INVALID :
	    signkey_signify_parse_pub(b.data, b.len, out)) != GH_OK) {
		fprintf(c->out, "FAILED %s: %s\n", PUB_NAME,
		    r == GH_ERR_NOT_FOUND ? "missing (or give --pub FILE)" :
		    "not a signify public key");
		r = r == GH_ERR_NOT_FOUND || r == GH_ERR_IO ? GH_ERR_IO :
		    GH_ERR_INVALID;
		goto out;
	}
	/* The key's own line is its fingerprint: compare it with the
	 * published one, or this check proves only that the files agree
	 * with whoever wrote them. */
	nl = strchr(b.data, '\n');
	line = nl != NULL ? nl + 1 : b.data;
	fprintf(c->out, "key: %.*s (from %s: compare it with the published "
	    "key)\n", (int)strcspn(line, "\r\n"), line, PUB_NAME);
	r = GH_OK;
out:
	buf_free(&b);
	return r;
}

/* Checks MANIFEST.sig over m. */
static int
check_sig(struct check *c, const struct buf *m, const uint8_t *pk)
{
	uint8_t s[SIGNKEY_SIG_BYTES];
	struct buf b = { 0 };
	int r;

	if ((r = fetch(c, SIG_NAME, SIGNKEY_SIGNIFY_MAX, &b)) != GH_OK ||
	    (r = b.len == 0 ? GH_ERR_INVALID :
	    signkey_signify_parse_sig(b.data, b.len, s)) != GH_OK) {
		fprintf(c->out, "FAILED %s: %s\n", SIG_NAME,
		    r == GH_ERR_NOT_FOUND ? "missing" :
		    r == GH_ERR_IO ? "cannot be read" :
		    "not a signify signature");
		r = r == GH_ERR_NOT_FOUND || r == GH_ERR_IO ? GH_ERR_IO :
		    GH_ERR_INVALID;
		goto out;
	}
	if (signkey_verify(s, (const uint8_t *)m->data, m->len, pk) != GH_OK) {
		fprintf(c->out, "FAILED %s: the signature does not match "
		    "MANIFEST and this key\n", SIG_NAME);
		r = GH_ERR_CRYPTO;
		goto out;
	}
	fprintf(c->out, "ok %s: signature of %s is good\n", SIG_NAME,
	    MANIFEST_NAME);
	r = GH_OK;
out:
	buf_free(&b);
	return r;
}

/*
 * Checks line number lineno ([p, p + len), without its "\n") and the file
 * it names; adds the name to c->names.
 */
static int
check_line(struct check *c, size_t lineno, const char *p, size_t len)
{
	uint8_t want[crypto_hash_sha256_BYTES], got[crypto_hash_sha256_BYTES];
	char *name, **nn;
	size_t bin_len;
	int r;

	if (len < HEX_LEN + 3 || p[HEX_LEN] != ' ' || p[HEX_LEN + 1] != ' ' ||
	    sodium_hex2bin(want, sizeof(want), p, HEX_LEN, NULL, &bin_len,
	    NULL) != 0 || bin_len != sizeof(want) ||
	    !is_good_name(p + HEX_LEN + 2, len - HEX_LEN - 2)) {
		fprintf(c->out, "FAILED %s line %zu: not \"SHA256HEX  NAME\"\n",
		    MANIFEST_NAME, lineno);
		return GH_ERR_INVALID;
	}
	if ((name = strndup(p + HEX_LEN + 2, len - HEX_LEN - 2)) == NULL)
		return GH_ERR_NOMEM;
	if (is_meta(name) || (c->n > 0 &&
	    strcmp(c->names[c->n - 1], name) >= 0)) {
		fprintf(c->out, "FAILED %s line %zu: %s\n", MANIFEST_NAME,
		    lineno, is_meta(name) ? "lists a file of the signature" :
		    "names out of order or listed twice");
		free(name);
		return GH_ERR_INVALID;
	}
	if ((nn = realloc(c->names, (c->n + 1) * sizeof(*nn))) == NULL) {
		free(name);
		return GH_ERR_NOMEM;
	}
	c->names = nn;
	c->names[c->n++] = name;
	if ((r = fetch_hash(c, name, got)) != GH_OK) {
		fprintf(c->out, "FAILED %s: %s\n", name,
		    r == GH_ERR_NOT_FOUND ? "missing" : "cannot be read");
		check_fail(c, r == GH_ERR_NOT_FOUND ? GH_ERR_CRYPTO : GH_ERR_IO);
		return GH_OK;
	}
	if (sodium_memcmp(want, got, sizeof(want)) != 0) {
		fprintf(c->out, "FAILED %s: its SHA-256 is not the one in %s "
		    "(line %zu)\n", name, MANIFEST_NAME, lineno);
		check_fail(c, GH_ERR_CRYPTO);
		return GH_OK;
	}
	fprintf(c->out, "ok %s\n", name);
	return GH_OK;
}

static int
check_lines(struct check *c, const struct buf *m)
{
	const char *p, *end, *nl;
	size_t lineno = 0;
	int r;

	/* An empty MANIFEST lists nothing; its data is NULL, not "". */
	if (m->len == 0)
		return GH_OK;
	p = m->data;
	end = m->data + m->len;
	if (memchr(m->data, '\0', m->len) != NULL) {
		fprintf(c->out, "FAILED %s: holds a NUL byte\n", MANIFEST_NAME);
		return GH_ERR_INVALID;
	}
	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			fprintf(c->out, "FAILED %s line %zu: does not end with "
			    "a newline\n", MANIFEST_NAME, lineno);
			return GH_ERR_INVALID;
		}
		if ((r = check_line(c, lineno, p, (size_t)(nl - p))) != GH_OK)
			return r;
		p = nl + 1;
	}
	return GH_OK;
}

static int
is_listed(const struct check *c, const char *name)
{
	return c->n > 0 && bsearch(&name, c->names, c->n, sizeof(*c->names),
	    cmp_name) != NULL;
}

/* Every entry of DIR must be listed, or be one of the meta files. */
static int
check_unlisted(struct check *c)
{
	struct dirent *e;
	size_t i;
	DIR *d;

	for (i = 0; i < c->n_files; i++) {
		if (is_meta(c->files[i].name) ||
		    is_listed(c, c->files[i].name))
			continue;
		fprintf(c->out, "FAILED %s: given but not listed in %s\n",
		    c->files[i].name, MANIFEST_NAME);
		check_fail(c, GH_ERR_CRYPTO);
	}
	if (c->files != NULL)
		return GH_OK;
	if ((d = opendir(c->dir)) == NULL) {
		fprintf(c->out, "FAILED %s: %s\n", c->dir, strerror(errno));
		return GH_ERR_IO;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    is_meta(e->d_name) || is_listed(c, e->d_name))
			continue;
		fprintf(c->out, "FAILED %s: in the directory but not listed "
		    "in %s\n", e->d_name, MANIFEST_NAME);
		check_fail(c, GH_ERR_CRYPTO);
	}
	closedir(d);
	return GH_OK;
}

/* The check of manifest_verify and manifest_verify_files. */
static int
verify(const struct check *init, const uint8_t *pk)
{
	uint8_t key[SIGNKEY_PK_BYTES];
	struct check c = *init;
	struct buf m = { 0 };
	FILE *out = c.out;
	const char *dir = c.dir;
	size_t i;
	int r;

	if ((r = load_pub(&c, pk, key)) != GH_OK)
		goto out;
	if ((r = fetch(&c, MANIFEST_NAME, MANIFEST_MAX, &m)) != GH_OK) {
		fprintf(out, "FAILED %s: %s\n", MANIFEST_NAME,
		    r == GH_ERR_NOT_FOUND ? "missing" :
		    r == GH_ERR_TOO_LARGE ? "too large" : "cannot be read");
		r = r == GH_ERR_TOO_LARGE ? GH_ERR_INVALID : GH_ERR_IO;
		goto out;
	}
	if ((r = check_sig(&c, &m, key)) != GH_OK ||
	    (r = check_lines(&c, &m)) != GH_OK ||
	    (r = check_unlisted(&c)) != GH_OK)
		goto out;
	r = c.r;
	if (r == GH_OK)
		fprintf(out, "release %s: good: signature and %zu file%s "
		    "checked\n", dir, c.n, c.n == 1 ? "" : "s");
out:
	if (r != GH_OK)
		fprintf(out, "release %s: NOT good\n", dir);
	for (i = 0; i < c.n; i++)
		free(c.names[i]);
	free(c.names);
	buf_free(&m);
	return r;
}

int
manifest_verify(const char *dir, const uint8_t *pk, FILE *out)
{
	struct check c = { .dir = dir, .out = out, .r = GH_OK };

	return verify(&c, pk);
}

int
manifest_verify_files(const struct manifest_file *files, size_t n,
    const uint8_t *pk, FILE *out)
{
	struct check c = { .dir = "uploaded", .files = files, .n_files = n,
	    .out = out, .r = GH_OK };

	if (pk == NULL)
		return GH_ERR_INVALID;
	return verify(&c, pk);
}
