/*
 * bench_walk.c: respondents walking a multi-page survey over HTTP, the
 * load of the "multi-page instrument" figure of tests/bench/run.
 *
 * Usage: bench_walk [-c CLIENTS] [-t THREADS] [-d SECONDS] [-w WALK] URL
 *        TOKENS
 *   URL       the server, as http://127.0.0.1:PORT (an IPv4 address)
 *   TOKENS    fresh tokens of a wave of the WALK's survey, one a line and
 *             one per respondent; thread i of THREADS takes the lines
 *             whose index modulo THREADS is i
 *   -c        keep-alive clients in all (default 64), each one
 *             respondent at a time, shared out over the threads
 *   -t        threads, each driving its clients' connections with one
 *             epoll (default 2, as wrk -t2 in the same run)
 *   -d        no respondent starts after SECONDS (default 10); those under
 *             way finish, so that every answer stored is counted
 *   -w        which survey the respondents walk (default ervaren):
 *               ervaren  survey-defs/ervaren-discriminatie-2026.json, six
 *                        pages, 9 requests (ervaren[] below)
 *               peer     tests/bench/peer-3page.json, the 10-question,
 *                        3-page survey the established survey tool was
 *                        measured on, 5 requests (peer[] below)
 *
 * Every respondent walks its steps as a browser without JavaScript does.
 * ervaren: the welcome page, Start, page 1 (discrimination experienced),
 * page 2, page 3 twice (reported it: its follow-up questions show on the
 * same page), page 4, page 5 (origin: born outside the Netherlands, so
 * no parents' countries follow) and page 6 with Send; 9 requests. peer:
 * the welcome page, Start, page 1 (four single choices), page 2 (four
 * agreement items) and page 3 (a multiple choice and a short text) with
 * Send; 5 requests. Each POST goes where the page's form posts (its
 * action: /s/TOKEN?w=WALK once the walk has begun, as a browser posts
 * it) and is followed by the GET its 303 points to, and sends back the
 * hidden fields of the page before it, as a browser does: the state of a
 * survey page, the welcome state of the welcome page. A respondent counts only when Send
 * brings the 200 thank-you page. Any other status, a page other than the
 * walk expects, or a transfer error (a broken connection, a response
 * bench_http.c cannot read, or none within 10 s) is an error: the client
 * drops that respondent and takes its next token. The first walk of
 * every client also checks that each field it posts is on the page it
 * answers, so a changed definition fails here, not silently.
 *
 * Each client is one keep-alive connection of bench_http.c, a client
 * lean enough to take little of the cores it shares with the server it
 * measures. A POST, its 303 and the GET that follows are one transfer:
 * what requests and req_rate count, and what the 10 s bound.
 *
 * Output: a summary, then one line for tests/bench/run:
 *   RESULT ok=N errors=N status=N page=N transfer=N exhausted=0|1
 *          requests=N seconds=S rate=R req_rate=R p50=MS p90=MS p99=MS
 *          max=MS last_p50=MS last_p99=MS
 * seconds runs from the first request to the last response; rate is
 * completed respondents per second and req_rate transfers per second;
 * the latencies are per completed respondent, from the request for the
 * welcome page to the thank-you page. Before it, one line a step gives
 * the same percentiles of that step's transfers (a POST, its 303 and the
 * GET that follows are one), so that a slow tail can be found where it
 * is; last_p50 and last_p99 are the last step's (Send, which waits for
 * the answer's commit). Exits 0, 1 on failure (with a message), 2 on bad usage.
 */
#define _GNU_SOURCE	/* memmem: the pages are searched, not parsed */
#include <sys/epoll.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

#include "bench_http.h"

#define CLIENTS_MAX	4096
#define THREADS_MAX	16
#define URL_MAX		512
#define POST_MAX	((size_t)1 << 20)	/* bytes of a POST body */
#define TIMEOUT_S	10.0	/* a transfer, as wrk --timeout */
#define POLL_MS		100	/* how often to look for timeouts */
#define EVENTS_MAX	64	/* per epoll_wait */
#define REDIRECTS_MAX	5	/* per transfer */
#define ERRORS_SHOWN	3	/* error messages per thread */
#define STEPS_MAX	16	/* of a walk */
#define NO_PAGE		(-1)	/* the welcome and thank-you pages */
#define B64URL	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		"0123456789-_"

/*
 * One request of the walk. The answers are fixed: what the server does
 * per page does not depend on which option is ticked, and the sealed
 * answer is padded to the definition's bucket anyway.
 */
struct step {
	const char	*what;		/* for error messages */
	const char	*fields;	/* url-encoded answers, NULL: GET */
	const char	*nav;		/* the button pressed */
	int		 shows;		/* page index it brings */
};

static const struct step ervaren[] = {
	{ "welcome page", NULL, NULL, NO_PAGE },
	{ "start", "", "start", 0 },
	{ "page 1", "q_ongewenst_gedrag=discriminatie"
	    "&q_ongewenst_gedrag=buitensluiten&q_discriminatie_twijfel=ja"
	    "&q_gezien_bij_collega=discriminatie", "next", 1 },
	{ "page 2", "q_grond=herkomst&q_grond=geloof&q_door_wie=collega"
	    "&q_door_wie=leidinggevende&q_hoe_vaak=2_5", "next", 2 },
	{ "page 3, reported", "q_gemeld=ja", "next", 2 },
	{ "page 3, follow-up", "q_gemeld=ja"
	    "&q_waar_gemeld=vertrouwenspersoon_intern&q_waar_gemeld=hr"
	    "&q_af_serieus=2&q_af_op_de_hoogte=3&q_af_regie=2&q_af_actie=1"
	    "&q_nadelige_gevolgen=weet_niet&q_tevreden_afhandeling=2",
	    "next", 3 },
	{ "page 4", "q_leeftijd=35_44&q_gender=vrouw&q_werk_soort=beleid"
	    "&q_schaal=9_11&q_leidinggevende=nee"
	    "&q_beperking=nee&q_chronische_ziekte=nee"
	    "&q_neurodivergentie=weet_niet&q_seksuele_orientatie=biseksueel",
	    "next", 4 },
	{ "page 5", "q_geboorteland=marokko&q_culturele_achtergrond=meerdere",
	    "next", 5 },
	{ "page 6, send", "q_toelichting=Een+collega+maakte+steeds+"
	    "opmerkingen+over+mijn+geloof+en+mijn+afkomst.+Ik+heb+het+"
	    "gemeld+bij+de+vertrouwenspersoon+en+bij+HR%3B+de+afhandeling+"
	    "duurde+lang%2C+maar+er+is+ge%C3%AFnventariseerd+en+het+"
	    "caf%C3%A9-overleg+ging+er+%C3%A9%C3%A9n+keer+over.",
	    "submit", NO_PAGE },
};

static const struct step peer[] = {
	{ "welcome page", NULL, NULL, NO_PAGE },
	{ "start", "", "start", 0 },
	{ "page 1", "q_q01=a2&q_q02=a4&q_q03=a1&q_q04=a3", "next", 1 },
	{ "page 2", "q_lk1=a4&q_lk2=a2&q_lk3=a3&q_lk4=a5", "next", 2 },
	{ "page 3, send", "q_mc1=sq001&q_mc1=sq004&q_free=Soms+moe%2C+"
	    "vaak+goed+geslapen.", "submit", NO_PAGE },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(N_OF(ervaren) <= STEPS_MAX && N_OF(peer) <= STEPS_MAX,
    "a walk has more steps than STEPS_MAX");

static const struct walk_def {
	const char		*name;
	const struct step	*steps;
	size_t			 n;
} walks[] = {
	{ "ervaren", ervaren, N_OF(ervaren) },
	{ "peer", peer, N_OF(peer) },
};

struct buf {
	char	*s;
	size_t	 len, cap;
};

struct walker;

struct client {
	struct http_conn conn;		/* its keep-alive connection */
	struct walker	*w;		/* the thread it belongs to */
	size_t		 step;		/* in w->walk */
	int		 is_checking;	/* first walk: check fields */
	int		 is_active;	/* a transfer is under way */
	int		 n_redirects;	/* followed in this transfer */
	double		 t_start;	/* the respondent's start */
	double		 t_step;	/* the start of its transfer */
	double		 deadline;	/* of the transfer */
	char		 target[URL_MAX];	/* of the next request */
	struct buf	 post;
};

/*
 * One thread: main sets the first block, walker_main alone uses the
 * second, and main reads the third once the thread has ended.
 */
struct walker {
	const struct http_server *srv;
	const struct step *walk;	/* the steps of a respondent */
	size_t		 n_steps;
	char		**tokens;	/* this thread's share */
	size_t		 n_tokens, cap_tokens, n_clients;
	double		 deadline;	/* no respondent starts after */

	int		 epfd;
	struct client	*clients;
	struct client	**failed;	/* transfers failed at once */
	size_t		 n_failed, next_token, n_active;

	long		 ok, requests, e_status, e_page, e_transfer;
	int		 is_exhausted, n_shown, r;
	double		 first, last;
	double		*lat;		/* ms, room for n_tokens */
	size_t		 n_lat;
	double		*step_lat;	/* ms, n_tokens + 1 a step */
	size_t		 n_step_lat[STEPS_MAX];
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Makes room for n more bytes and a NUL; returns GH_OK or an error. */
static int
buf_reserve(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *s;

	if (n > POST_MAX || b->len + n + 1 > POST_MAX)
		return GH_ERR_TOO_LARGE;
	while (cap < b->len + n + 1)
		cap *= 2;
	if (cap == b->cap)
		return GH_OK;
	if ((s = realloc(b->s, cap)) == NULL)
		return GH_ERR_NOMEM;
	b->s = s;
	b->cap = cap;
	return GH_OK;
}

/* Appends n bytes of s; the caller reserved the room. */
static void
buf_put(struct buf *b, const char *s, size_t n)
{
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/*
 * Finds name="NAME" value="..." in the page; returns the value (not
 * NUL-terminated) and its length in *len, or NULL if there is none.
 */
static const char *
field_value(const struct http_resp *page, const char *name, size_t *len)
{
	char pat[64];
	const char *v, *end;
	int n;

	n = snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	if (n < 0 || (size_t)n >= sizeof(pat) || page->body_len == 0 ||
	    (v = memmem(page->body, page->body_len, pat, (size_t)n)) == NULL)
		return NULL;
	v += n;
	if ((end = memchr(v, '"', page->body_len -
	    (size_t)(v - page->body))) == NULL)
		return NULL;
	*len = (size_t)(end - v);
	return v;
}

/*
 * Returns 1 if the value v (len bytes, followed by the closing quote) is
 * all of chars and not empty.
 */
static int
is_all_of(const char *v, size_t len, const char *chars)
{
	return v != NULL && len > 0 && strspn(v, chars) == len;
}

/* Returns 1 if every q_ field named in fields has an input on the page. */
static int
fields_are_shown(const char *fields, const struct http_resp *page)
{
	char pat[96];
	const char *f, *eq;
	int n;

	for (f = fields; f != NULL && *f != '\0'; f = strchr(eq, '&')) {
		if (*f == '&')
			f++;
		if ((eq = strchr(f, '=')) == NULL)
			return 0;
		n = snprintf(pat, sizeof(pat), "name=\"%.*s\"", (int)(eq - f),
		    f);
		if (n < 0 || (size_t)n >= sizeof(pat) ||
		    memmem(page->body, page->body_len, pat, (size_t)n) == NULL)
			return 0;
	}
	return 1;
}

/*
 * Points c's next request where the page's survey form posts, as a
 * browser does: /s/TOKEN, with ?w=WALK once the walk has begun (the
 * server keeps one walk per respondent that way). Returns 0 if the page
 * has no such form.
 */
static int
target_from_form(struct client *c, const struct http_resp *page)
{
	static const char pat[] = "method=\"post\" action=\"/s/";
	const char *v, *end;
	int n;

	if (page->body_len == 0 || (v = memmem(page->body, page->body_len,
	    pat, sizeof(pat) - 1)) == NULL)
		return 0;
	v += sizeof(pat) - 1 - 3;
	if ((end = memchr(v, '"', page->body_len -
	    (size_t)(v - page->body))) == NULL)
		return 0;
	n = snprintf(c->target, sizeof(c->target), "%.*s", (int)(end - v),
	    v);
	return n > 0 && (size_t)n < sizeof(c->target);
}

/* Builds the POST body of its step, with the page shown before. */
static int
post_build(struct client *c, const char *state, size_t state_len,
    const char *page, size_t page_len, const char *welcome,
    size_t welcome_len)
{
	const struct step *st = &c->w->walk[c->step];
	size_t need = strlen(st->fields) + strlen(st->nav) + state_len +
	    page_len + welcome_len + 64;
	int r;

	c->post.len = 0;
	if ((r = buf_reserve(&c->post, need)) != GH_OK)
		return r;
	buf_put(&c->post, "lang=nl", 7);
	if (state != NULL) {
		buf_put(&c->post, "&state=", 7);
		buf_put(&c->post, state, state_len);
		buf_put(&c->post, "&page=", 6);
		buf_put(&c->post, page, page_len);
	}
	if (welcome != NULL) {
		buf_put(&c->post, "&welcome=", 9);
		buf_put(&c->post, welcome, welcome_len);
	}
	if (st->fields[0] != '\0') {
		buf_put(&c->post, "&", 1);
		buf_put(&c->post, st->fields, strlen(st->fields));
	}
	buf_put(&c->post, "&nav=", 5);
	buf_put(&c->post, st->nav, strlen(st->nav));
	return GH_OK;
}

/*
 * Sends c->target: a GET, or a POST of c->post. A request that fails at
 * once (the connect refused, say) waits in w->failed for walker_loop:
 * ending it here would start the next respondent within this call.
 */
static void
client_request(struct client *c, int is_post)
{
	struct walker *w = c->w;
	int r;

	if (is_post)
		r = http_post(&c->conn, c->target, c->post.s, c->post.len);
	else
		r = http_get(&c->conn, c->target);
	if (r == HTTP_FAILED)
		w->failed[w->n_failed++] = c;
}

/* Starts the transfer of its step: a GET, or a POST of c->post. */
static void
client_send(struct client *c)
{
	struct walker *w = c->w;
	double t = now_s();

	if (w->first == 0)
		w->first = t;
	c->deadline = t + TIMEOUT_S;
	c->t_step = t;
	c->n_redirects = 0;
	c->is_active = 1;
	w->n_active++;
	client_request(c, w->walk[c->step].fields != NULL);
}

/* Starts the client's next respondent, or leaves it idle for good. */
static void
respondent_start(struct client *c)
{
	struct walker *w = c->w;
	int n;

	if (now_s() >= w->deadline)
		return;
	if (w->next_token >= w->n_tokens) {
		w->is_exhausted = 1;
		return;
	}
	n = snprintf(c->target, sizeof(c->target), "/s/%s",
	    w->tokens[w->next_token++]);
	if (n < 0 || (size_t)n >= sizeof(c->target)) {
		fprintf(stderr, "bench_walk: a token line is too long\n");
		w->r = GH_ERR_TOO_LARGE;
		return;
	}
	c->step = 0;
	c->t_start = now_s();
	client_send(c);
}

/* Counts an error in *count, shows the first few, drops the respondent. */
static void __attribute__((format(printf, 3, 4)))
client_fail(struct client *c, long *count, const char *fmt, ...)
{
	struct walker *w = c->w;
	va_list ap;

	(*count)++;
	if (w->n_shown++ < ERRORS_SHOWN) {
		fprintf(stderr, "bench_walk: a respondent failed at %s: ",
		    w->walk[c->step].what);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	respondent_start(c);
}

/* Records a completed respondent (one per token) and starts the next. */
static void
client_complete(struct client *c)
{
	struct walker *w = c->w;

	w->ok++;
	c->is_checking = 0;
	w->lat[w->n_lat++] = (w->last - c->t_start) * 1000;
	respondent_start(c);
}

/*
 * A transfer of c ended, failed with error or with the response in
 * c->conn.resp: checks the page and sends the next.
 */
static void
client_on_done(struct client *c, const char *error)
{
	struct walker *w = c->w;
	const struct http_resp *resp = &c->conn.resp;
	const char *state = NULL, *page = NULL, *welcome = NULL;
	size_t state_len = 0, page_len = 0, welcome_len = 0;
	int shows;

	w->last = now_s();
	if (error != NULL) {
		client_fail(c, &w->e_transfer, "%s", error);
		return;
	}
	w->requests++;
	w->step_lat[c->step * (w->n_tokens + 1) + w->n_step_lat[c->step]++] =
	    (w->last - c->t_step) * 1000;
	if (resp->status != 200) {
		/* Whether the POST or the GET its 303 points to failed. */
		client_fail(c, &w->e_status, "HTTP %d%s", resp->status,
		    c->n_redirects > 0 ? " after a 303" : "");
		return;
	}
	/* The state goes back as it came: base64url needs no encoding. */
	state = field_value(resp, "state", &state_len);
	welcome = field_value(resp, "welcome", &welcome_len);
	if (welcome != NULL && !is_all_of(welcome, welcome_len, B64URL))
		welcome = NULL;
	page = field_value(resp, "page", &page_len);
	shows = is_all_of(page, page_len, "0123456789") && page_len < 4 ?
	    atoi(page) : NO_PAGE;
	if (shows != w->walk[c->step].shows || (shows != NO_PAGE &&
	    !is_all_of(state, state_len, B64URL)) ||
	    (shows == NO_PAGE && state != NULL)) {
		client_fail(c, &w->e_page, "page index %d shown, %d expected",
		    shows, w->walk[c->step].shows);
		return;
	}
	if (c->step + 1 == w->n_steps) {
		client_complete(c);
		return;
	}
	c->step++;
	/* Every step after the welcome page posts the form it shows. */
	if (w->walk[c->step].fields == NULL || !target_from_form(c, resp)) {
		client_fail(c, &w->e_page, "no survey form to post");
		return;
	}
	if (c->is_checking &&
	    !fields_are_shown(w->walk[c->step].fields, resp)) {
		client_fail(c, &w->e_page, "a field it posts is not there");
		return;
	}
	if ((w->r = post_build(c, state, state_len, page, page_len, welcome,
	    welcome_len)) == GH_OK)
		client_send(c);
}

/* Ends c's transfer, failed with error or not (NULL). */
static void
transfer_end(struct client *c, const char *error)
{
	c->is_active = 0;
	c->w->n_active--;
	client_on_done(c, error);
}

/*
 * A response came: a redirect is followed as a browser does after a
 * POST, with a GET of its Location (a path: gehoord sends no other);
 * anything else ends the transfer.
 */
static void
client_on_response(struct client *c)
{
	const struct http_resp *resp = &c->conn.resp;
	size_t len = resp->location_len;

	if ((resp->status != 301 && resp->status != 302 &&
	    resp->status != 303) || resp->location == NULL) {
		transfer_end(c, NULL);
		return;
	}
	if (c->n_redirects == REDIRECTS_MAX) {
		transfer_end(c, "too many redirects");
		return;
	}
	if (len == 0 || resp->location[0] != '/' || len >= sizeof(c->target)) {
		transfer_end(c, "a Location that is not a path");
		return;
	}
	memcpy(c->target, resp->location, len);
	c->target[len] = '\0';
	c->n_redirects++;
	client_request(c, 0);
}

/* Hands events of c's connection to it. */
static void
client_on_event(struct client *c, uint32_t events)
{
	switch (http_conn_event(&c->conn, events)) {
	case HTTP_DONE:
		client_on_response(c);
		break;
	case HTTP_FAILED:
		transfer_end(c, c->conn.error);
		break;
	}
}

/* Ends the transfers that failed at once, which may start others. */
static void
walker_end_failed(struct walker *w)
{
	struct client *c;

	while (w->r == GH_OK && w->n_failed > 0) {
		c = w->failed[--w->n_failed];
		transfer_end(c, c->conn.error);
	}
}

/* Fails the transfers that have had no response in TIMEOUT_S. */
static void
walker_expire(struct walker *w, double t)
{
	struct client *c;
	size_t i;

	for (i = 0; i < w->n_clients && w->r == GH_OK; i++) {
		c = &w->clients[i];
		if (!c->is_active || t < c->deadline)
			continue;
		http_conn_close(&c->conn);
		transfer_end(c, "no response within 10 s");
	}
}

/* Makes the thread's epoll and its clients, not connected yet. */
static int
walker_setup(struct walker *w)
{
	size_t i;

	if ((w->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("bench_walk: epoll_create1");
		return GH_ERR_IO;
	}
	if ((w->lat = calloc(w->n_tokens + 1, sizeof(*w->lat))) == NULL ||
	    (w->step_lat = calloc(w->n_steps * (w->n_tokens + 1),
	    sizeof(*w->step_lat))) == NULL ||
	    (w->clients = calloc(w->n_clients, sizeof(*w->clients))) ==
	    NULL ||
	    (w->failed = calloc(w->n_clients, sizeof(*w->failed))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < w->n_clients; i++) {
		w->clients[i].w = w;
		w->clients[i].is_checking = 1;
		http_conn_init(&w->clients[i].conn, w->srv, w->epfd,
		    &w->clients[i]);
	}
	return GH_OK;
}

static void
walker_teardown(struct walker *w)
{
	size_t i;

	for (i = 0; w->clients != NULL && i < w->n_clients; i++) {
		http_conn_free(&w->clients[i].conn);
		free(w->clients[i].post.s);
	}
	free(w->clients);
	free(w->failed);
	w->clients = NULL;
	w->failed = NULL;
	if (w->epfd != -1)
		close(w->epfd);
	w->epfd = -1;
}

/* Waits for the clients' connections and hands each its events. */
static void
walker_loop(struct walker *w)
{
	struct epoll_event ev[EVENTS_MAX];
	double t, next_expiry = 0;
	int i, n;

	for (;;) {
		walker_end_failed(w);
		if (w->r != GH_OK || w->n_active == 0)
			break;
		if ((n = epoll_wait(w->epfd, ev, EVENTS_MAX, POLL_MS)) == -1 &&
		    errno != EINTR) {
			perror("bench_walk: epoll_wait");
			w->r = GH_ERR_IO;
			break;
		}
		for (i = 0; i < n && w->r == GH_OK; i++)
			client_on_event(ev[i].data.ptr, ev[i].events);
		if ((t = now_s()) >= next_expiry) {
			walker_expire(w, t);
			next_expiry = t + POLL_MS / 1000.0;
		}
	}
}

/* A thread: walks respondents on its clients until none is under way. */
static void *
walker_main(void *arg)
{
	struct walker *w = arg;
	size_t i;

	if ((w->r = walker_setup(w)) == GH_OK) {
		for (i = 0; i < w->n_clients && w->r == GH_OK; i++)
			respondent_start(&w->clients[i]);
		walker_loop(w);
	}
	walker_teardown(w);
	return NULL;
}

/* Adds a copy of tok to w's tokens; returns GH_OK or GH_ERR_NOMEM. */
static int
walker_add_token(struct walker *w, const char *tok)
{
	char **t;
	size_t cap;

	if (w->n_tokens == w->cap_tokens) {
		cap = w->cap_tokens ? w->cap_tokens * 2 : 1024;
		if ((t = realloc(w->tokens, cap * sizeof(*t))) == NULL)
			return GH_ERR_NOMEM;
		w->tokens = t;
		w->cap_tokens = cap;
	}
	if ((w->tokens[w->n_tokens] = strdup(tok)) == NULL)
		return GH_ERR_NOMEM;
	w->n_tokens++;
	return GH_OK;
}

/* Deals the lines of the token file out to the n walkers in turn. */
static int
tokens_read(const char *path, struct walker *w, size_t n)
{
	char *line = NULL;
	size_t cap = 0, i = 0, len;
	FILE *f;
	int r = GH_OK;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		return GH_ERR_IO;
	}
	while (r == GH_OK && getline(&line, &cap, f) > 0) {
		if ((len = strcspn(line, "\r\n")) == 0)
			continue;
		line[len] = '\0';
		r = walker_add_token(&w[i++ % n], line);
	}
	if (r == GH_OK && ferror(f)) {
		perror(path);
		r = GH_ERR_IO;
	}
	free(line);
	fclose(f);
	return r;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The pct-th percentile (nearest rank) of the n sorted values. */
static double
percentile(const double *v, size_t n, size_t pct)
{
	size_t rank = (n * pct + 99) / 100;

	return n == 0 ? 0 : v[rank > 0 ? rank - 1 : 0];
}

/*
 * Prints the percentiles of each step's transfers, all threads together,
 * sorting them in lat (room for every thread's transfers of a step); the
 * last step's p50 and p99 go to last_p50 and last_p99.
 */
static void
report_steps(const struct walker *w, size_t n, double *lat,
    double *last_p50, double *last_p99)
{
	size_t i, k, n_lat;
	double p50, p99;

	for (k = 0; k < w[0].n_steps; k++) {
		for (i = 0, n_lat = 0; i < n; i++) {
			memcpy(lat + n_lat, w[i].step_lat +
			    k * (w[i].n_tokens + 1),
			    w[i].n_step_lat[k] * sizeof(*lat));
			n_lat += w[i].n_step_lat[k];
		}
		qsort(lat, n_lat, sizeof(*lat), cmp_double);
		p50 = percentile(lat, n_lat, 50);
		p99 = percentile(lat, n_lat, 99);
		printf("bench_walk: step %zu (%s): %zu transfers; p50 %.1f, "
		    "p90 %.1f, p99 %.1f, max %.1f ms\n", k + 1,
		    w[0].walk[k].what, n_lat, p50, percentile(lat, n_lat, 90),
		    p99, n_lat ? lat[n_lat - 1] : 0);
		*last_p50 = p50;
		*last_p99 = p99;
	}
}

/* Adds up the walkers' counts and prints the summary and RESULT line. */
static int
report(const struct walker *w, size_t n)
{
	double *lat, s = 0, t0 = 0, t1 = 0, p50, p90, p99, max;
	double last_p50 = 0, last_p99 = 0;
	long ok = 0, req = 0, e_st = 0, e_pg = 0, e_tr = 0;
	size_t i, n_lat = 0;
	int is_exhausted = 0;

	for (i = 0; i < n; i++)
		n_lat += w[i].n_tokens + 1;
	if ((lat = malloc(n_lat * sizeof(*lat))) == NULL)
		return GH_ERR_NOMEM;
	report_steps(w, n, lat, &last_p50, &last_p99);
	for (i = 0, n_lat = 0; i < n; n_lat += w[i].n_lat, i++) {
		ok += w[i].ok;
		req += w[i].requests;
		e_st += w[i].e_status;
		e_pg += w[i].e_page;
		e_tr += w[i].e_transfer;
		is_exhausted |= w[i].is_exhausted;
		if (w[i].first > 0 && (t0 == 0 || w[i].first < t0))
			t0 = w[i].first;
		if (w[i].last > t1)
			t1 = w[i].last;
		memcpy(lat + n_lat, w[i].lat, w[i].n_lat * sizeof(*lat));
	}
	qsort(lat, n_lat, sizeof(*lat), cmp_double);
	if (t0 > 0 && t1 > t0)
		s = t1 - t0;
	p50 = percentile(lat, n_lat, 50);
	p90 = percentile(lat, n_lat, 90);
	p99 = percentile(lat, n_lat, 99);
	max = n_lat ? lat[n_lat - 1] : 0;
	printf("bench_walk: %ld respondents in %.2f s: %.1f/s, %.0f "
	    "requests/s; per respondent p50 %.1f, p90 %.1f, p99 %.1f, max "
	    "%.1f ms; %ld errors%s\n", ok, s, s > 0 ? (double)ok / s : 0,
	    s > 0 ? (double)req / s : 0, p50, p90, p99, max,
	    e_st + e_pg + e_tr, is_exhausted ? "; the tokens ran out" : "");
	printf("RESULT ok=%ld errors=%ld status=%ld page=%ld transfer=%ld "
	    "exhausted=%d requests=%ld seconds=%.3f rate=%.1f req_rate=%.0f "
	    "p50=%.2f p90=%.2f p99=%.2f max=%.2f last_p50=%.2f last_p99=%.2f\n",
	    ok, e_st + e_pg + e_tr, e_st, e_pg, e_tr, is_exhausted, req, s,
	    s > 0 ? (double)ok / s : 0, s > 0 ? (double)req / s : 0,
	    p50, p90, p99, max, last_p50, last_p99);
	free(lat);
	return GH_OK;
}

static int
usage(void)
{
	fprintf(stderr, "usage: bench_walk [-c CLIENTS] [-t THREADS] "
	    "[-d SECONDS] [-w ervaren|peer] URL TOKENS\n");
	return 2;
}

/* Runs the n walkers on threads of their own, with clients shared out. */
static int
run(struct walker *w, size_t n, long clients, double seconds)
{
	pthread_t th[THREADS_MAX];
	double deadline = now_s() + seconds;
	size_t i, n_started = 0;
	int r = GH_OK;

	for (i = 0; i < n; i++) {
		w[i].n_clients = (size_t)clients / n +
		    (i < (size_t)clients % n ? 1 : 0);
		w[i].deadline = deadline;
	}
	for (i = 0; i < n; i++, n_started++)
		if (pthread_create(&th[i], NULL, walker_main, &w[i]) != 0) {
			fprintf(stderr, "bench_walk: cannot start a thread\n");
			r = GH_ERR_NOMEM;
			break;
		}
	for (i = 0; i < n_started; i++) {
		pthread_join(th[i], NULL);
		if (r == GH_OK)
			r = w[i].r;
	}
	return r;
}

int
main(int argc, char **argv)
{
	struct walker w[THREADS_MAX];
	struct http_server srv;
	long clients = 64, threads = 2, i, k;
	double seconds = 10;
	const struct walk_def *wd = &walks[0];
	char *end;
	int opt, r = GH_ERR_IO;
	size_t j;

	while ((opt = getopt(argc, argv, "c:t:d:w:")) != -1) {
		end = "";
		switch (opt) {
		case 'c':
			clients = strtol(optarg, &end, 10);
			break;
		case 't':
			threads = strtol(optarg, &end, 10);
			break;
		case 'd':
			seconds = strtod(optarg, &end);
			break;
		case 'w':
			for (j = 0; j < N_OF(walks) &&
			    strcmp(walks[j].name, optarg) != 0; j++)
				;
			if (j == N_OF(walks))
				return usage();
			wd = &walks[j];
			break;
		default:
			return usage();
		}
		if (*end != '\0')
			return usage();
	}
	if (argc - optind != 2 || threads < 1 || threads > THREADS_MAX ||
	    clients < threads || clients > CLIENTS_MAX || !(seconds > 0) ||
	    strlen(argv[optind]) > URL_MAX / 2)
		return usage();
	if (http_server_set(&srv, argv[optind]) == -1) {
		fprintf(stderr, "bench_walk: %s: not http://ADDRESS:PORT with "
		    "an IPv4 address\n", argv[optind]);
		return usage();
	}
	memset(w, 0, sizeof(w));
	for (i = 0; i < threads; i++) {
		w[i].srv = &srv;
		w[i].walk = wd->steps;
		w[i].n_steps = wd->n;
	}
	if ((r = tokens_read(argv[optind + 1], w, (size_t)threads)) != GH_OK)
		goto out;
	if (w[0].n_tokens == 0) {
		fprintf(stderr, "bench_walk: %s: no tokens\n",
		    argv[optind + 1]);
		r = GH_ERR_INVALID;
		goto out;
	}
	if ((r = run(w, (size_t)threads, clients, seconds)) != GH_OK ||
	    (r = report(w, (size_t)threads)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK)
		fprintf(stderr, "bench_walk: failed: %s\n", gh_err_str(r));
	for (i = 0; i < threads; i++) {
		for (k = 0; k < (long)w[i].n_tokens; k++)
			free(w[i].tokens[k]);
		free(w[i].tokens);
		free(w[i].lat);
		free(w[i].step_lat);
	}
	return r == GH_OK ? 0 : 1;
}
