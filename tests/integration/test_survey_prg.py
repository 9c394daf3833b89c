"""POST, redirect, GET on the survey pages: every survey POST answers 303
to a GET of the page to show, so Back and reload never post a form again.
Each page is reloaded after each POST and each POST is sent twice; the
final page sent twice shows the thank-you page both times and stores one
answer; reloading the thank-you page shows it again; another walk of the
same spent link still gets the "already used" page."""

import html.parser
import os
import re
import time
import urllib.parse

import harness as h

KEY = h.ModuleKey()
ERVAREN = os.path.join(h.REPO_ROOT, "survey-defs",
                       "ervaren-discriminatie-2026.json")
# Three pages, ten questions (the benchmark's survey).
# A little over CTX_WAVE_OPEN_MS: how long the steps of a walk trust a
# wave's "open" as read.
WAVE_OPEN_S = 1.2
PEER = os.path.join(h.REPO_ROOT, "tests", "bench", "peer-3page.json")
PEER_PAGES = [
    [("q_q01", "a2"), ("q_q02", "a4"), ("q_q03", "a1"), ("q_q04", "a3")],
    [("q_lk1", "a4"), ("q_lk2", "a2"), ("q_lk3", "a3"), ("q_lk4", "a5")],
    [("q_mc1", "sq001"), ("q_free", "Goed.")],
]
# What a redirect may carry: the link, the walk, the step, the language.
LOCATION = re.compile(r"^/s/([0-9A-Z]{26})\?w=[A-Za-z0-9_-]{22}"
                      r"(&v=[0-9]+)?&lang=(nl|en)$")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class Form(html.parser.HTMLParser):
    """The survey form's action and hidden fields."""

    def __init__(self, body):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.hidden = []
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action")
        elif tag == "input" and a.get("type") == "hidden":
            self.hidden.append((a["name"], a.get("value", "")))


def title(body):
    m = re.search(r"<title>(.*?)</title>", body, re.S)
    return m.group(1) if m else None


class Browser:
    """Posts the form of the page shown, as a browser does: to its action,
    with its hidden fields; never follows a redirect by itself."""

    def __init__(self, test, url):
        self.t = test
        self.url = url
        self.r = h.get(test.port, url)
        self.steps = [url]

    def post(self, pairs, expect=200):
        """POSTs twice (a double click), checks that both answer 303 to a
        GET, follows the last, reloads it and returns it."""
        f = Form(self.r.body)
        body = urllib.parse.urlencode(f.hidden + list(pairs)).encode()
        hdr = {"Content-Type": "application/x-www-form-urlencoded"}
        locs = []
        for _ in range(2):
            r = h.request(self.t.port, "POST", f.action, body=body,
                          headers=hdr, follow=False)
            self.t.assertEqual(r.status, 303, r.body[:2000])
            self.t.assertEqual(r.body, "")
            loc = r.header("Location")
            self.t.assertRegex(loc, LOCATION)
            locs.append(loc)
        self.url = locs[-1]
        self.r = h.get(self.t.port, self.url)
        self.t.assertEqual(self.r.status, expect, self.r.body[:2000])
        # A reload shows the same page again.
        again = h.get(self.t.port, self.url)
        self.t.assertEqual(again.status, expect)
        self.t.assertEqual(title(again.body), title(self.r.body))
        self.steps.append(self.url)
        return self.r


class SurveyPrgTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def thanks(self, lang="nl"):
        return h.load_messages(lang)["page.thanks.heading"]

    def test_multipage_walk_reloaded_and_posted_twice(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, 10)
        b = Browser(self, "/s/%s?lang=nl" % tokens[0])
        b.post([("nav", "start")])
        self.assertIn("Wat je meemaakte", b.r.body)
        # A wrong page: 303, then the GET shows the problems (422), also
        # on reload.
        b.post([("q_ongewenst_gedrag", "pesten"), ("nav", "next")],
               expect=422)
        self.assertIn('href="#q-discriminatie_twijfel"', b.r.body)
        b.post([("q_ongewenst_gedrag", "pesten"),
                ("q_discriminatie_twijfel", "nee"), ("nav", "next")])
        self.assertIn("Over wat je meemaakte", b.r.body)
        page2 = b.url
        b.post([("q_grond", "leeftijd"), ("q_door_wie", "collega"),
                ("q_hoe_vaak", "2_5"), ("nav", "next")])
        self.assertIn("Melden", b.r.body)
        # Back: the GET of page 2 again, with its answers kept.
        r = h.get(self.port, page2)
        self.assertEqual(r.status, 200)
        self.assertIn("Over wat je meemaakte", r.body)
        self.assertEqual(h.parse_form(r.body).checked["q_hoe_vaak"],
                         ["2_5"])
        # An answer that shows more questions here: the same page again.
        b.post([("q_gemeld", "nee"), ("nav", "next")])
        self.assertIn(h.load_messages("nl")["form.more_questions"],
                      h.page_text(b.r.body))
        b.post([("q_gemeld", "nee"), ("q_waarom_niet_gemeld", "helpt_niet"),
                ("nav", "next")])
        self.assertIn("Over jou", b.r.body)
        b.post([("q_leeftijd", "35_44"), ("nav", "next")])
        b.post([("q_geboorteland", "suriname"), ("nav", "next")])
        self.assertIn('value="submit"', b.r.body)
        self.assertStored(wave, answers=0, spent=0)
        last = b.r
        # Send, twice: both show the thank-you page, one answer stored.
        b.post([("q_toelichting", "Niets meer."), ("nav", "submit")])
        self.assertIn(self.thanks(), h.page_text(b.r.body))
        self.assertStored(wave, answers=1, spent=1)
        # Back to every page of the walk, and its reload: thank-you.
        for url in b.steps[1:]:
            r = h.get(self.port, url)
            self.assertEqual(r.status, 200, url)
            self.assertIn(self.thanks(), h.page_text(r.body))
        # The last page (as the browser kept it) sent once more: thanks.
        b.r = last
        b.post([("q_toelichting", "Nog een keer."), ("nav", "submit")])
        self.assertIn(self.thanks(), h.page_text(b.r.body))
        self.assertStored(wave, answers=1, spent=1)
        # Someone else with the same link: already used.
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 410)
        f = Form(last.body)
        r = h.post(self.port, "/s/" + tokens[0],
                   f.hidden + [("nav", "submit")])
        self.assertEqual(r.status, 410)
        self.assertStored(wave, answers=1, spent=1)

    def test_one_page_form_reloaded_and_posted_twice(self):
        wave = h.make_wave(self.db, self.key)
        tokens = h.issue_tokens(self.db, wave, 10)
        b = Browser(self, "/s/" + tokens[0])
        self.assertEqual(b.r.status, 200)
        # Wrong: 303 to a GET that shows the problems (422) and keeps
        # what was chosen.
        b.post([("lang", "nl"), ("q_soort_werk", "beleid"),
                ("q_mezelf_zijn", "9")], expect=422)
        self.assertEqual(h.parse_form(b.r.body).checked["q_soort_werk"],
                         ["beleid"])
        self.assertStored(wave, answers=0, spent=0)
        pairs = []
        for q, v in h.VALID_ANSWER.items():
            pairs += [("q_" + q, x) for x in (v if isinstance(v, list)
                                               else [v])]
        form = b.r
        b.post([("lang", "nl")] + pairs)
        self.assertIn(self.thanks(), h.page_text(b.r.body))
        self.assertStored(wave, answers=1, spent=1)
        b.r = form
        b.post([("lang", "nl")] + pairs)
        self.assertIn(self.thanks(), h.page_text(b.r.body))
        self.assertStored(wave, answers=1, spent=1)

    def progress(self, body):
        m = re.search(r'<p class="progress">Pagina (\d+) van (\d+)</p>\n'
                      r'<progress class="progress-bar" max="(\d+)" '
                      r'value="(\d+)" aria-hidden="true">', body)
        self.assertIsNotNone(m, body[:3000])
        n, total, bar_max, bar_value = map(int, m.groups())
        self.assertEqual((bar_value, bar_max), (n, total))
        return n, total

    def test_progress_total_never_grows(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, 10)
        paths = [
            # Nothing experienced: two conditional pages drop out.
            [[("q_ongewenst_gedrag", "geen"),
              ("q_discriminatie_twijfel", "nee"),
              ("q_gezien_bij_collega", "geen")],
             [("q_leeftijd", "55_plus")], [("q_geboorteland", "nederland")]],
            # Experienced and not reported: every page shows.
            [[("q_ongewenst_gedrag", "pesten"),
              ("q_discriminatie_twijfel", "nee")],
             [("q_grond", "leeftijd"), ("q_hoe_vaak", "1")],
             [("q_gemeld", "nee"), ("q_waarom_niet_gemeld", "helpt_niet")],
             [("q_leeftijd", "35_44")], [("q_geboorteland", "nederland")]],
        ]
        for tok, pages in zip(tokens, paths):
            b = Browser(self, "/s/%s?lang=nl" % tok)
            b.post([("nav", "start")])
            seen = [self.progress(b.r.body)]
            for answers in pages:
                b.post(answers + [("nav", "next")])
                if h.load_messages("nl")["form.more_questions"] in \
                        h.page_text(b.r.body):
                    b.post(answers + [("nav", "next")])
                seen.append(self.progress(b.r.body))
            self.assertIn('value="submit"', b.r.body)
            for (n0, t0), (n1, t1) in zip(seen, seen[1:]):
                self.assertLessEqual(t1, t0, seen)
                self.assertGreater(n1 / t1, n0 / t0, seen)
            self.assertEqual(seen[-1][0], seen[-1][1], seen)

    def test_unknown_walk_is_the_expired_page(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, 10)
        r = h.get(self.port, "/s/%s?w=%s&v=1" % (tokens[0], "A" * 22))
        self.assertEqual(r.status, 400)
        self.assertIn(h.load_messages("nl")["page.state_expired.heading"],
                      h.page_text(r.body))
        self.assertStored(wave, answers=0, spent=0)

    def start_walk(self, token):
        r = h.post(self.port, "/s/" + token, [("lang", "nl"),
                                              ("nav", "start")],
                   follow=False)
        self.assertEqual(r.status, 303)
        return r.header("Location")

    def post_once(self, b, pairs):
        """POSTs the form b shows once, as a browser, not following."""
        f = Form(b.r.body)
        return h.request(
            self.port, "POST", f.action,
            body=urllib.parse.urlencode(f.hidden + list(pairs)).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow=False)

    def assertRefused(self, b, heading):
        """The step b shows, reloaded, and its form posted with Next,
        with Back and with Send: each the page with heading, 410."""
        r = h.get(self.port, b.url)
        self.assertEqual(r.status, 410, b.url)
        self.assertIn(heading, h.page_text(r.body))
        for nav in ("next", "back", "submit"):
            r = self.post_once(b, PEER_PAGES[1] + [("nav", nav)])
            self.assertEqual(r.status, 410, nav)
            self.assertIn(heading, h.page_text(r.body))

    # The steps of a walk skip the token lookup while the walk proves
    # what it would say (route_survey.c); these are its refusals.
    def test_steps_refuse_a_link_sent_by_another_walk(self):
        wave = h.make_wave(self.db, self.key, definition=PEER)
        tokens = h.issue_tokens(self.db, wave, 10)
        spent = h.load_messages("nl")["page.spent.heading"]
        a = Browser(self, "/s/%s?lang=nl" % tokens[0])
        a.post([("nav", "start")])
        a.post(PEER_PAGES[0] + [("nav", "next")])
        early = Browser(self, "/s/%s?lang=nl" % tokens[0])
        b = Browser(self, "/s/%s?lang=nl" % tokens[0])
        b.post([("nav", "start")])
        b.post(PEER_PAGES[0] + [("nav", "next")])
        b.post(PEER_PAGES[1] + [("nav", "next")])
        b.post(PEER_PAGES[2] + [("nav", "submit")])
        self.assertIn(self.thanks(), h.page_text(b.r.body))
        self.assertStored(wave, answers=1, spent=1)
        # The other walk, on page 2: already used, as any request of
        # the link; the walk that sent it: the thank-you page.
        self.assertRefused(a, spent)
        r = h.get(self.port, b.url)
        self.assertEqual(r.status, 200)
        self.assertIn(self.thanks(), h.page_text(r.body))
        # A walk the link begins now: refused at its start, also from
        # a welcome page shown before the link was sent (its Start skips
        # the lookup, not the walk table).
        r = h.post(self.port, "/s/" + tokens[0],
                   [("lang", "nl"), ("nav", "start")], follow=False)
        self.assertEqual(r.status, 410)
        self.assertIn("welcome", dict(Form(early.r.body).hidden))
        r = self.post_once(early, [("nav", "start")])
        self.assertEqual(r.status, 410)
        self.assertIn(spent, h.page_text(r.body))
        self.assertStored(wave, answers=1, spent=1)

    def test_steps_refuse_a_wave_closed_meanwhile(self):
        wave = h.make_wave(self.db, self.key, definition=PEER)
        tokens = h.issue_tokens(self.db, wave, 10)
        closed = h.load_messages("nl")["page.closed.heading"]
        a = Browser(self, "/s/%s?lang=nl" % tokens[0])
        a.post([("nav", "start")])
        a.post(PEER_PAGES[0] + [("nav", "next")])
        sent = Browser(self, "/s/%s?lang=nl" % tokens[1])
        sent.post([("nav", "start")])
        sent.post(PEER_PAGES[0] + [("nav", "next")])
        sent.post(PEER_PAGES[1] + [("nav", "next")])
        sent.post(PEER_PAGES[2] + [("nav", "submit")])
        last = Browser(self, "/s/%s?lang=nl" % tokens[2])
        last.post([("nav", "start")])
        last.post(PEER_PAGES[0] + [("nav", "next")])
        last.post(PEER_PAGES[1] + [("nav", "next")])
        early = Browser(self, "/s/%s?lang=nl" % tokens[3])
        h.run_ok("wave", "close", "--db", self.db, "--wave", wave)
        # Send is refused at once (by the writer, if not before) ...
        r = self.post_once(last, PEER_PAGES[2] + [("nav", "submit")])
        self.assertEqual(r.status, 410)
        self.assertIn(closed, h.page_text(r.body))
        # ... and another process's close reaches every step within
        # a second (CTX_WAVE_OPEN_MS).
        time.sleep(WAVE_OPEN_S)
        self.assertRefused(a, closed)
        # So does the Start of a welcome page shown before the close.
        r = self.post_once(early, [("nav", "start")])
        self.assertEqual(r.status, 410)
        self.assertIn(closed, h.page_text(r.body))
        # A link already sent stays sent: the thank-you page.
        r = h.get(self.port, sent.url)
        self.assertEqual(r.status, 200)
        self.assertIn(self.thanks(), h.page_text(r.body))
        # Reopened, the walk goes on where it was, and sends.
        h.run_ok("wave", "open", "--db", self.db, "--wave", wave)
        r = h.get(self.port, a.url)
        self.assertEqual(r.status, 200)
        a.r = r
        a.post(PEER_PAGES[1] + [("nav", "next")])
        a.post(PEER_PAGES[2] + [("nav", "submit")])
        self.assertIn(self.thanks(), h.page_text(a.r.body))
        self.assertStored(wave, answers=2, spent=2)

    def test_start_from_the_welcome_page(self):
        wave = h.make_wave(self.db, self.key, definition=PEER)
        tokens = h.issue_tokens(self.db, wave, 10)
        # The welcome page's state goes back with its Start, which then
        # needs no lookup; the walk goes on to its Send as any other.
        a = Browser(self, "/s/%s?lang=nl" % tokens[0])
        mine = dict(Form(a.r.body).hidden)["welcome"]
        a.post([("nav", "start")])
        a.post(PEER_PAGES[0] + [("nav", "next")])
        a.post(PEER_PAGES[1] + [("nav", "next")])
        a.post(PEER_PAGES[2] + [("nav", "submit")])
        self.assertIn(self.thanks(), h.page_text(a.r.body))
        self.assertStored(wave, answers=1, spent=1)
        # Another link's state, one that does not open, or none: the
        # Start takes the lookup and begins the walk all the same.
        for state in (mine, mine[:-2] + "AA", "x" * 40, "", "x" * 300):
            r = h.post(self.port, "/s/" + tokens[1],
                       [("lang", "nl"), ("welcome", state),
                        ("nav", "start")], follow=False)
            self.assertEqual(r.status, 303, state)
            r = h.get(self.port, r.header("Location"))
            self.assertEqual(r.status, 200, state)
            self.assertIn('name="state"', r.body)
        self.assertStored(wave, answers=1, spent=1)

    def test_a_link_keeps_at_most_four_walks(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, 10)
        other = self.start_walk(tokens[1])
        walks = [self.start_walk(tokens[0]) for _ in range(5)]
        # The oldest walk of the link made way for its fifth ...
        r = h.get(self.port, walks[0])
        self.assertEqual(r.status, 400)
        for loc in walks[1:] + [other]:
            r = h.get(self.port, loc)
            self.assertEqual(r.status, 200, loc)
            self.assertIn("Wat je meemaakte", r.body)
        # ... and 50 more of one link push out no other link's walk.
        for _ in range(50):
            self.start_walk(tokens[0])
        self.assertEqual(h.get(self.port, other).status, 200)
        self.assertStored(wave, answers=0, spent=0)


class SurveyPrgRestartTest(h.ServerTestCase):
    """Walks live in the server's memory only: a restart forgets them."""

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_restart_forgets_every_walk(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, 10)
        r = h.post(self.port, "/s/" + tokens[0],
                   [("lang", "nl"), ("nav", "start")], follow=False)
        loc = r.header("Location")
        self.assertEqual(h.get(self.port, loc).status, 200)
        self.assertEqual(self.server.stop(), 0)
        self.server.start()
        self.port = type(self).port = self.server.port
        r = h.get(self.port, loc)
        self.assertEqual(r.status, 400)
        self.assertIn(h.load_messages("nl")["page.state_expired.heading"],
                      h.page_text(r.body))
        # The link itself still works.
        self.assertEqual(h.get(self.port, "/s/" + tokens[0]).status, 200)
        self.assertStored(wave, answers=0, spent=0)
