/*
 * page_followup.c: follow-up questions shown on the same page as their
 * trigger, with JavaScript on (page_int.h; the conditions: def_live.c in
 * server/survey).
 *
 * Entry points: page_followup_open and page_followup_close wrap a live
 * question (page_question.c renders it in between) in
 * web/followup_open.html, which carries its condition in data-show-if;
 * one whose condition does not hold yet is hidden (the hidden attribute)
 * and rendered with no kept answer and no problem, so without JavaScript
 * the page looks and posts as it always did: a hidden control sends
 * nothing or an empty field, which is no answer. page_followup_tail adds,
 * once per page, the polite live region and web/followup.js, which shows
 * and hides the wrappers as answers change and adds the field
 * "followup": the server then knows the respondent saw every live
 * question of the page (http/route_survey.c).
 */
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "survey/def.h"

int
page_followup_open(struct buf *out, const struct def *d, size_t qi,
    int is_shown)
{
	struct buf cond = { 0 };
	int r;

	if ((r = def_question_live_json(d, qi, &cond)) == GH_OK) {
		struct tpl_var v[] = {
			{ "cond", cond.data, 0 },
			{ "hidden", is_shown ? "" : " hidden", 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "followup_open.html", v);
	}
	buf_free(&cond);
	return r;
}

int
page_followup_close(struct buf *out)
{
	return tpl_render(out, "followup_close.html", NULL);
}

int
page_followup_tail(struct buf *out, enum def_lang lang)
{
	struct tpl_var v[] = {
		{ "one", page_msg(lang, "form.followup_one"), 0 },
		{ "many", page_msg(lang, "form.followup_many"), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "followup_tail.html", v);
}
