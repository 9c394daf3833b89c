/*
 * walk.h: the respondent's walks through a survey, kept in memory, so
 * that every survey POST can answer with 303 to a GET (POST, redirect,
 * GET): Back and reload then never ask to send a form again.
 *
 * A walk is one respondent's way through one link's survey, from the
 * first POST (Start, or the one-page form) to the answer being stored. It
 * is found by the link's lookup hash and a random 16-byte walk id, which
 * travels in the URL (?w=ID) and in the form's action, never in a log.
 * It holds the latest sealed page state (state.h: encrypted under the
 * process's key, so this memory holds no answer in the clear) and the
 * last WALK_STEPS steps (page shown, notice, problems), each numbered, so
 * that GET /s/TOKEN?w=ID&v=STEP shows that page again, with the latest
 * answers. Once the answer is stored the walk is marked done and its
 * state dropped: a reload, Back, or the final form posted again shows the
 * thank-you page and stores nothing.
 *
 * Nothing of a walk is ever written to disk; a restart forgets them all
 * (as it expires every page state). The table has a fixed number of
 * slots; a link holds at most WALK_PER_TOKEN walks, so one link cannot
 * push out other respondents' walks; a walk idle for WALK_IDLE_S is
 * dropped when its slot is needed, then a walk finished longer ago than
 * the table's grace (which only shows a reload the thank-you page), and
 * otherwise the least recently used walk near it. The grace
 * (WALK_DONE_GRACE_MS in the server) keeps a walk that has just stored
 * its answer for the GET its Send redirects to: without it, walks left
 * under way by others would push it out first, and the respondent who
 * has just sent would read "this link was used already". Thread-safe
 * (one mutex).
 */
#ifndef GH_HTTP_WALK_H
#define GH_HTTP_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "crypto/token.h"
#include "survey/answer.h"
#include "survey/def.h"
#include "util/err.h"

#define WALK_ID_BYTES	16
/* base64url without padding of WALK_ID_BYTES */
#define WALK_ID_TEXT	22
#define WALK_SLOTS	32768
#define WALK_PROBE	16
#define WALK_PER_TOKEN	4
#define WALK_STEPS	16
#define WALK_IDLE_S	((time_t)24 * 60 * 60)
#define WALK_DONE_GRACE_MS	((int64_t)10 * 60 * 1000)

struct walks;

/*
 * What a step's GET shows: a survey page, or one of the pages of "save
 * and continue later" (route_survey_resume.c): the phrase form, or the
 * page saying the answers are saved.
 */
enum walk_view {
	WALK_VIEW_PAGE,
	WALK_VIEW_RESUME_ASK,
	WALK_VIEW_RESUME_SAVED,
};

/* One step of a walk: the page a GET shows, its notice and problems. */
struct walk_step {
	uint32_t		 seq;
	size_t			 page;
	int			 view;		/* enum walk_view */
	int			 notice;	/* enum page_notice */
	struct answer_check	*chk;		/* or NULL */
};

/* Makes an empty table into *out (free with walks_free), whose finished
 * walks stay done_grace_ms before they give way to others (the server:
 * WALK_DONE_GRACE_MS); GH_OK or GH_ERR_NOMEM. */
int walks_new(struct walks **out, int64_t done_grace_ms) GH_WUR;

/* Frees the table and every walk in it; accepts NULL. */
void walks_free(struct walks *ws);

/*
 * Records a step of the walk id of the link hash (wave_id): its latest
 * sealed state (state, may be NULL: the one kept stays) and what the
 * step shows (view, page, notice, a copy of chk if not NULL). If *has_id is 0
 * or the walk is not known (or done), a new walk is made, its id written
 * to id and *has_id set. Sets *seq to the step's number. Returns GH_OK or
 * GH_ERR_NOMEM.
 */
int walks_put(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    int64_t wave_id, uint8_t id[WALK_ID_BYTES], int *has_id,
    const char *state, int view, size_t page, int notice,
    const struct answer_check *chk, uint32_t *seq) GH_WUR;

/*
 * Looks up step seq of walk id of the link hash. On success sets *state
 * (a copy of the latest sealed state, free with free(); NULL once done),
 * *step (the step seq, or the latest if seq is no longer kept; its chk a
 * copy, free with answer_check_free, and only if it is the latest step),
 * *is_done and returns GH_OK. GH_ERR_NOT_FOUND if there is no such walk,
 * GH_ERR_NOMEM.
 */
int walks_get(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES], uint32_t seq, char **state,
    struct walk_step *step, int *is_done) GH_WUR;

/*
 * Marks walk id of hash done (its answer, for wave_id, is stored) and
 * drops its state; a walk that other walks of the link pushed out in the
 * meantime is recorded again, done, so its respondent still gets the
 * thank-you page. A done walk is never the one a link's new walk replaces.
 * Every other walk of the link is marked as of a spent link.
 */
void walks_set_done(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    int64_t wave_id, const uint8_t id[WALK_ID_BYTES]);

/* What walks_status says of a walk. */
enum walk_status {
	WALK_UNKNOWN,	/* not known, without a sealed state (a form
			   sent whose answer was not stored), or of a
			   link that another walk has sent */
	WALK_LIVE,	/* under way, with a sealed state; no walk of its
			   link has stored an answer since it began */
	WALK_DONE,	/* it stored the link's answer */
};

/* What walks_status tells of a walk besides its status. */
struct walk_info {
	int64_t	 wave_id;	/* 0 if unknown */
	int	 is_test;	/* walks_mark_test */
	int	 has_unit;	/* walks_set_unit was called */
	char	 unit[DEF_MAX_UNIT + 1];	/* the link's batch's unit */
};

/*
 * Says what walk id of the link hash is (enum walk_status), and fills
 * *info (its wave, 0 if unknown; whether it is a test link's; the unit
 * its lookup found). This process is the only one that
 * spends a link, and marks its walks when it does (walks_set_done), so a
 * live walk's link was unspent when the walk began (with a lookup) and
 * has not been spent since; a walk the link begins while the walk that
 * spent it is still kept is marked too.
 */
enum walk_status walks_status(struct walks *ws,
    const uint8_t hash[TOKEN_HASH_BYTES], const uint8_t id[WALK_ID_BYTES],
    struct walk_info *info);

/*
 * Keeps with walk id of hash the unit of the link's batch, as the lookup
 * that began the walk found it ("" for none), so that its Send needs no
 * lookup of its own. A walk not known is left alone; a unit too long is
 * not kept.
 */
void walks_set_unit(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES], const char *unit);

/*
 * Marks walk id of hash as one of a coordinator's test link
 * (store_test_link.h), which walks_status then says (*is_test), so that
 * a step that skips the link's lookup still knows. A walk not known is
 * left alone.
 */
void walks_mark_test(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES]);

/*
 * Returns 1 if a walk of the link hash that the table still holds has
 * stored the link's answer (a done walk is kept at least the grace,
 * unless the table is full of others), else 0.
 */
int walks_link_is_spent(struct walks *ws,
    const uint8_t hash[TOKEN_HASH_BYTES]);

/* Returns 1 if walk id of hash is known and done, else 0. */
int walks_is_done(struct walks *ws, const uint8_t hash[TOKEN_HASH_BYTES],
    const uint8_t id[WALK_ID_BYTES]);

/* Writes id as WALK_ID_TEXT characters and a NUL into text. */
void walk_id_to_text(char text[WALK_ID_TEXT + 1],
    const uint8_t id[WALK_ID_BYTES]);

/* Reads a walk id from text; GH_OK or GH_ERR_INVALID. */
int walk_id_from_text(uint8_t id[WALK_ID_BYTES], const char *text) GH_WUR;

#endif
