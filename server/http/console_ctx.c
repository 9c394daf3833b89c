/*
 * console_ctx.c: the console's instruments and its scheduler
 * (console_ctx.h).
 *
 * Entry points: console_ctx_init (serve's start, after the connection
 * pool and before the sandbox: it reads files and starts a thread),
 * console_defs (the waves page and the create action),
 * console_count_spend (route_survey.c, once an answer is durable),
 * console_ctx_fini (after the writer has drained: it writes the counts).
 * The scheduler wakes every CONSOLE_TICK_S seconds
 * (or at once when stopped), borrows a connection, and lets the store
 * carry out what is due. It logs only how many it carried out.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/console_ctx.h"
#include "store/store_console.h"
#include "survey/def.h"
#include "util/log.h"

struct console_ctx {
	struct console_def	 defs[CONSOLE_DEFS_MAX];
	size_t			 n_defs;
	pthread_t		 thread;
	int			 has_thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 stop_cv;
	int			 is_stopping;
	struct http_ctx		*ctx;
	/* Links spent per unit since the last flush (under lock). */
	struct console_count	*counts;
	size_t			 n_counts;
	int64_t			 flushed_day;	/* UTC day of the last flush */
};

static int
is_json_name(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && n - 5 <= CONSOLE_DEF_NAME_MAX && name[0] != '.' &&
	    strcmp(name + n - 5, ".json") == 0;
}

static int
def_cmp(const void *a, const void *b)
{
	return strcmp(((const struct console_def *)a)->name,
	    ((const struct console_def *)b)->name);
}

/*
 * The instrument's standard release plan, dir/plans/NAME.json (the
 * convention of survey-defs), read whole into *out; NULL if there is
 * none. Checked against the definition when it is used.
 */
static char *
plan_read(const char *dir, const char *name)
{
	char path[4096], *text;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/plans/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if ((text = malloc(CONSOLE_PLAN_MAX + 1)) != NULL) {
		n = fread(text, 1, CONSOLE_PLAN_MAX + 1, f);
		if (n > CONSOLE_PLAN_MAX || ferror(f)) {
			log_info("console: plans/%s is not read: too large or "
			    "unreadable", name);
			free(text);
			text = NULL;
		} else
			text[n] = '\0';
	}
	(void)fclose(f);
	return text;
}

/* Adds dir/name if it is a valid survey definition. */
static void
def_add(struct console_ctx *cc, const char *dir, const char *name)
{
	struct console_def *cd = &cc->defs[cc->n_defs];
	struct def *d = NULL;
	char path[4096], err[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (def_load_file(path, &d, &cd->json, err, sizeof(err)) != GH_OK) {
		log_info("console: %s is not offered as an instrument: %s",
		    name, err);
		free(cd->json);
		cd->json = NULL;
		return;
	}
	def_free(d);
	snprintf(cd->name, sizeof(cd->name), "%.*s", (int)(strlen(name) - 5),
	    name);
	cd->plan = plan_read(dir, name);
	cc->n_defs++;
}

static int
defs_load(struct console_ctx *cc, const char *dir)
{
	struct dirent *e;
	DIR *dp;

	if (dir == NULL)
		return GH_OK;
	if ((dp = opendir(dir)) == NULL) {
		log_error("--survey-defs %s: cannot read the directory", dir);
		return GH_ERR_IO;
	}
	while ((e = readdir(dp)) != NULL && cc->n_defs < CONSOLE_DEFS_MAX)
		if (is_json_name(e->d_name))
			def_add(cc, dir, e->d_name);
	closedir(dp);
	qsort(cc->defs, cc->n_defs, sizeof(cc->defs[0]), def_cmp);
	log_info("console: %zu instruments from %s", cc->n_defs, dir);
	return GH_OK;
}

/*
 * Writes the counts kept since the last flush, dated today, and forgets
 * them once written (a failure keeps them for the next try). The lock is
 * held: a spend counted meanwhile waits, which is rare (once a day).
 */
static void
flush_locked(struct console_ctx *cc)
{
	struct store *s;
	size_t i;
	int r;

	cc->flushed_day = store_today();
	if (cc->n_counts == 0)
		return;
	s = ctx_store_get(cc->ctx);
	r = store_console_participation_flush(s, cc->counts, cc->n_counts,
	    cc->flushed_day);
	ctx_store_put(cc->ctx, s);
	if (r != GH_OK) {
		log_error("writing the links spent per unit: %s",
		    gh_err_str(r));
		return;
	}
	for (i = 0; i < cc->n_counts; i++)
		free((char *)cc->counts[i].unit);
	cc->n_counts = 0;
}

static void
tick(struct console_ctx *cc)
{
	struct store *s = ctx_store_get(cc->ctx);
	int n = 0, r;

	r = store_console_schedule_run(s, (int64_t)time(NULL), &n);
	ctx_store_put(cc->ctx, s);
	pthread_mutex_lock(&cc->lock);
	if (store_today() != cc->flushed_day)
		flush_locked(cc);
	pthread_mutex_unlock(&cc->lock);
	if (r != GH_OK)
		log_error("the console's schedule: %s", gh_err_str(r));
	else if (n > 0)
		log_info("carried out %d scheduled openings or closings", n);
}

static void *
scheduler(void *arg)
{
	struct console_ctx *cc = arg;
	struct timespec until;

	pthread_mutex_lock(&cc->lock);
	while (!cc->is_stopping) {
		pthread_mutex_unlock(&cc->lock);
		tick(cc);
		pthread_mutex_lock(&cc->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += CONSOLE_TICK_S;
		while (!cc->is_stopping && pthread_cond_timedwait(&cc->stop_cv,
		    &cc->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&cc->lock);
	return NULL;
}

int
console_ctx_init(struct http_ctx *c, const char *defs_dir)
{
	struct console_ctx *cc;
	pthread_condattr_t ca;
	int r;

	/* The local time zone is read now, before the sandbox: the
	 * schedule's times are typed and shown in it. */
	tzset();
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return GH_ERR_NOMEM;
	cc->ctx = c;
	cc->flushed_day = store_today();
	pthread_mutex_init(&cc->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cc->stop_cv, &ca);
	pthread_condattr_destroy(&ca);
	c->console = cc;
	if ((r = defs_load(cc, defs_dir)) != GH_OK)
		return r;
	if (pthread_create(&cc->thread, NULL, scheduler, cc) != 0) {
		log_error("cannot start the console's scheduler");
		return GH_ERR_NOMEM;
	}
	cc->has_thread = 1;
	return GH_OK;
}

void
console_ctx_fini(struct http_ctx *c)
{
	struct console_ctx *cc = c->console;
	size_t i;

	if (cc == NULL)
		return;
	if (cc->has_thread) {
		pthread_mutex_lock(&cc->lock);
		cc->is_stopping = 1;
		pthread_cond_signal(&cc->stop_cv);
		pthread_mutex_unlock(&cc->lock);
		pthread_join(cc->thread, NULL);
	}
	/* At shutdown the counts are written, whatever the day. */
	pthread_mutex_lock(&cc->lock);
	flush_locked(cc);
	for (i = 0; i < cc->n_counts; i++)
		free((char *)cc->counts[i].unit);
	free(cc->counts);
	pthread_mutex_unlock(&cc->lock);
	for (i = 0; i < cc->n_defs; i++) {
		free(cc->defs[i].json);
		free(cc->defs[i].plan);
	}
	pthread_cond_destroy(&cc->stop_cv);
	pthread_mutex_destroy(&cc->lock);
	free(cc);
	c->console = NULL;
}

void
console_count_spend(struct http_ctx *c, int64_t wave, const char *unit)
{
	struct console_ctx *cc = c->console;
	struct console_count *nc;
	size_t i;

	if (cc == NULL || unit == NULL || unit[0] == '\0')
		return;
	pthread_mutex_lock(&cc->lock);
	for (i = 0; i < cc->n_counts; i++)
		if (cc->counts[i].wave_id == wave &&
		    strcmp(cc->counts[i].unit, unit) == 0)
			break;
	if (i == cc->n_counts) {
		nc = realloc(cc->counts, (i + 1) * sizeof(*nc));
		if (nc == NULL || (nc[i].unit = strdup(unit)) == NULL) {
			if (nc != NULL)
				cc->counts = nc;
			pthread_mutex_unlock(&cc->lock);
			log_error("out of memory counting a spent link");
			return;
		}
		cc->counts = nc;
		nc[i].wave_id = wave;
		nc[i].spent = 0;
		cc->n_counts++;
	}
	cc->counts[i].spent++;
	pthread_mutex_unlock(&cc->lock);
}

const struct console_def *
console_defs(const struct http_ctx *c, size_t *n)
{
	*n = c->console != NULL ? c->console->n_defs : 0;
	return c->console != NULL ? c->console->defs : NULL;
}
