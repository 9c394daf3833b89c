/*
 * cmd_console_release.c: "gehoord console release-upload --dir DIR" and
 * "gehoord console release-publish --release ID", what the console's
 * release page does, from the shell. An upload reads the regular files
 * of DIR (at most UPLOAD_RELEASE_FILES of at most ATTACH_FILE_MAX bytes,
 * as the console takes them), checks them with manifest_verify_files
 * against the instance's release key from the database (the check's
 * lines go to stdout, as gehoord verify prints them), checks that
 * tables.json is of the wave, and stores the release pending
 * (store_publish_add_pending); publishing makes a pending release
 * visible on /research. Both are written to the audit log in the name
 * of --by.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/console_release.h"
#include "crypto/signkey.h"
#include "http/upload.h"
#include "release/manifest.h"
#include "store/store_console.h"
#include "store/store_publish.h"
#include "store/store_user.h"

struct dir_files {
	struct manifest_file	 f[UPLOAD_RELEASE_FILES];
	char			*names[UPLOAD_RELEASE_FILES];
	uint8_t			*data[UPLOAD_RELEASE_FILES];
	size_t			 n;
};

static void
dir_files_free(struct dir_files *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->names[i]);
		free(d->data[i]);
	}
}

/* Reads dir/name whole into the next slot. */
static int
file_read(struct dir_files *d, const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;
	FILE *f;
	size_t i = d->n;
	int r = GH_ERR_IO;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return GH_OK;	/* not a file of the release */
	if (i == UPLOAD_RELEASE_FILES || (size_t)sb.st_size > ATTACH_FILE_MAX) {
		fprintf(stderr, "gehoord console release-upload: --dir: at most "
		    "%d files of at most %zu bytes\n", UPLOAD_RELEASE_FILES,
		    ATTACH_FILE_MAX);
		return GH_ERR_INVALID;
	}
	d->n++;		/* dir_files_free frees what is made here */
	if ((d->names[i] = strdup(name)) == NULL ||
	    (d->data[i] = malloc((size_t)sb.st_size + 1)) == NULL)
		return GH_ERR_NOMEM;
	if ((f = fopen(path, "rb")) == NULL)
		return GH_ERR_IO;
	if (fread(d->data[i], 1, (size_t)sb.st_size, f) == (size_t)sb.st_size)
		r = GH_OK;
	(void)fclose(f);
	d->f[i].name = d->names[i];
	d->f[i].data = d->data[i];
	d->f[i].len = (size_t)sb.st_size;
	return r;
}

static int
dir_read(struct dir_files *d, const char *dir)
{
	struct dirent *e;
	DIR *dp;
	int r = GH_OK;

	if ((dp = opendir(dir)) == NULL) {
		fprintf(stderr, "gehoord console release-upload: --dir: %s: "
		    "cannot read it\n", dir);
		return GH_ERR_IO;
	}
	while (r == GH_OK && (e = readdir(dp)) != NULL)
		if (e->d_name[0] != '.')
			r = file_read(d, dir, e->d_name);
	closedir(dp);
	return r;
}

/* 1 if tables.json of d is of the wave named name. */
static int
tables_is_of(const struct dir_files *d, const char *name)
{
	const cJSON *w;
	cJSON *root;
	size_t i;
	int is;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->f[i].name, "tables.json") == 0)
			break;
	if (i == d->n || (root = cJSON_ParseWithLength(
	    (const char *)d->f[i].data, d->f[i].len)) == NULL)
		return 0;
	w = cJSON_GetObjectItemCaseSensitive(root, "wave");
	is = cJSON_IsString(w) && strcmp(w->valuestring, name) == 0;
	cJSON_Delete(root);
	return is;
}

/* Checks d and stores it pending; *id gets the release. */
static int
upload(struct store *s, const struct store_wave *w, const struct dir_files *d,
    const char *by, int64_t *id)
{
	struct release_file files[UPLOAD_RELEASE_FILES];
	const struct manifest_file *m = NULL, *sig = NULL;
	uint8_t pk[SIGNKEY_PK_BYTES];
	char object[256];
	size_t i, n = 0;
	int r;

	if ((r = store_key_get(s, "release", pk)) != GH_OK) {
		fprintf(stderr, "gehoord console release-upload: the database "
		    "has no release key (run gehoord init)\n");
		return r;
	}
	if (manifest_verify_files(d->f, d->n, pk, stdout) != GH_OK)
		return GH_ERR_INVALID;
	if (!tables_is_of(d, w->name)) {
		fprintf(stderr, "gehoord console release-upload: --wave: "
		    "tables.json is not of wave %s\n", w->name);
		return GH_ERR_INVALID;
	}
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->f[i].name, "MANIFEST") == 0)
			m = &d->f[i];
		else if (strcmp(d->f[i].name, "MANIFEST.sig") == 0)
			sig = &d->f[i];
		else {
			files[n].name = d->f[i].name;
			files[n].data = d->f[i].data;
			files[n++].len = d->f[i].len;
		}
	}
	if (m == NULL || sig == NULL)
		return GH_ERR_INVALID;
	if ((r = store_publish_add_pending(s, w->id, files, n, m->data,
	    m->len, sig->data, sig->len, id)) != GH_OK)
		return r;
	snprintf(object, sizeof(object), "%lld %s: release %lld",
	    (long long)w->id, w->name, (long long)*id);
	return store_console_audit_add(s, by, "release_upload", object);
}

int
console_release_upload(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "wave", "ID", 1, "the release's wave", 0 },
		{ "dir", "DIR", 1, "the release folder gehoord release wrote", 0 },
		{ "by", "NAME", 1, "who uploads it, for the audit log", 0 },
		{ 0 }
	};
	struct dir_files d;
	struct store *s = NULL;
	struct store_wave *w = NULL;
	long long wave;
	int64_t id = 0;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Checks a release folder with this "
	    "instance's release key, as gehoord verify does, and stores it "
	    "pending: not on /research until gehoord console release-publish "
	    "(or the console) publishes it.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("console release-upload", "wave", args_get(specs, "wave"),
	    1, INT64_MAX, &wave) != GH_OK)
		return CLI_USAGE;
	memset(&d, 0, sizeof(d));
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK ||
	    (r = store_wave_get(s, wave, &w)) != GH_OK) {
		fprintf(stderr, "gehoord console release-upload: %s\n",
		    s == NULL ? "cannot open the database" : "--wave: no such "
		    "wave");
		goto out;
	}
	if ((r = dir_read(&d, args_get(specs, "dir"))) == GH_OK &&
	    (r = upload(s, w, &d, args_get(specs, "by"), &id)) == GH_OK)
		printf("release %lld of wave %lld is stored, pending: publish "
		    "it with gehoord console release-publish --release %lld\n",
		    (long long)id, wave, (long long)id);
	else if (r == GH_ERR_INVALID)
		fprintf(stderr, "gehoord console release-upload: not stored\n");
out:
	dir_files_free(&d);
	store_wave_free(w);
	store_close(s);
	return cli_exit_code(r);
}

int
console_release_publish(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database", 0 },
		{ "release", "ID", 1, "the pending release", 0 },
		{ "by", "NAME", 1, "who publishes it, for the audit log", 0 },
		{ 0 }
	};
	struct store *s = NULL;
	char object[64];
	long long id;
	int64_t wave = 0;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Publishes a pending release: "
	    "researchers see it on /research from now on.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	if (args_int("console release-publish", "release",
	    args_get(specs, "release"), 1, INT64_MAX, &id) != GH_OK)
		return CLI_USAGE;
	if ((r = store_open(args_get(specs, "db"), 0, &s)) != GH_OK) {
		fprintf(stderr, "gehoord console release-publish: cannot open "
		    "the database\n");
		return cli_exit_code(r);
	}
	if ((r = store_publish_set(s, id, &wave)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld: release %lld",
		    (long long)wave, id);
		r = store_console_audit_add(s, args_get(specs, "by"),
		    "release_publish", object);
	}
	if (r == GH_ERR_NOT_FOUND || r == GH_ERR_EXISTS)
		fprintf(stderr, "gehoord console release-publish: --release: "
		    "%s\n", r == GH_ERR_EXISTS ? "published already" :
		    "no such release");
	else if (r == GH_OK)
		printf("release %lld is published\n", id);
	store_close(s);
	return cli_exit_code(r);
}
