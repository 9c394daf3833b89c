"""Save and continue later: a respondent saves on page 3 of a multi-page
survey under a phrase of their own, the server restarts, the link opened
again offers to continue; a wrong phrase is 422 (and rate limited after
a burst), the right one continues on page 3 with the answers, from any
client. Sending deletes the saved row in the same commit, so does
closing the wave and "start again"; the database never holds an answer
in the clear; an expired page offers to start again. Asking for the
phrase and saving answer 303 to a GET (POST, redirect, GET): reloading
the phrase page or the "saved" page shows it again and stores nothing;
the phrase is in no URL, log or database file."""

import concurrent.futures
import html.parser
import os
import re
import time
import urllib.parse

import harness as h

KEY = h.ModuleKey()
ERVAREN = os.path.join(h.REPO_ROOT, "survey-defs",
                       "ervaren-discriminatie-2026.json")
RESUME = 3          # TOKEN_SPEND_RESUME: the row's keyed hash
PHRASE = "paarse olifant danst morgen"
SECRET = "Kwetterpaarsvogel zegt het"
BURST = 10          # wrong phrases per address before 429
# Where a successful POST of the path redirects: the link, the walk, the
# step, the language; nothing else.
STEP_LOCATION = re.compile(r"^/s/([0-9A-Z]{26})\?w=[A-Za-z0-9_-]{22}"
                           r"&v=[0-9]+&lang=(nl|en)$")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class Forms(html.parser.HTMLParser):
    """Every form of a page: its action, method and hidden fields."""

    def __init__(self, body):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"),
                               "method": a.get("method"), "hidden": []})
        elif (tag == "input" and a.get("type") == "hidden" and
              self.forms):
            self.forms[-1]["hidden"].append((a["name"], a.get("value", "")))


class Respondent:
    """One browser: posts a form of the page shown (the last form that
    has a button named nav with the value, else the first), following
    the 303 as a browser does."""

    def __init__(self, test, url, source=None):
        self.t = test
        self.source = source
        self.r = h.get(test.port, url, source_address=source)

    def post(self, pairs, form=0, expect=200):
        f = Forms(self.r.body).forms[form]
        self.r = h.post(self.t.port, f["action"], f["hidden"] + list(pairs),
                        source_address=self.source)
        if expect is not None:
            self.t.assertEqual(self.r.status, expect, self.r.body[:3000])
        return self.r


class SurveyResumeTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def msg(self, key, lang="nl"):
        return h.load_messages(lang)[key]

    def rows(self, token=None):
        if token is None:
            return h.db_query(self.db, "SELECT count(*) FROM resumes")[0][0]
        return h.db_query(self.db, "SELECT count(*) FROM resumes "
                          "WHERE hash = ?",
                          (h.spend_hash(self.db, token, RESUME),))[0][0]

    def restart(self):
        self.assertEqual(self.server.stop(), 0, self.server.stderr())
        self.server.start()
        type(self).port = self.server.port

    def to_page3(self, token, source=None):
        """Start, page 1 and page 2; returns the respondent on page 3."""
        b = Respondent(self, "/s/%s?lang=nl" % token, source)
        b.post([("nav", "start")])
        b.post([("q_ongewenst_gedrag", "pesten"),
                ("q_discriminatie_twijfel", "nee"), ("nav", "next")])
        b.post([("q_grond", "leeftijd"), ("q_door_wie", "collega"),
                ("q_hoe_vaak", "2_5"), ("nav", "next")])
        self.assertIn("Melden", b.r.body)
        self.assertIn("Pagina 3 van", b.r.body)
        return b

    def save(self, b, pairs, phrase=PHRASE):
        """Save and continue later from the page shown, with pairs."""
        b.post(list(pairs) + [("nav", "save")])
        self.assertIn(self.msg("resume.ask_heading"), b.r.body)
        b.post([("phrase", phrase), ("phrase2", phrase),
                ("nav", "save_phrase")])
        self.assertIn(self.msg("resume.saved_heading"),
                      h.page_text(b.r.body))

    def continue_with(self, token, phrase, expect, source=None):
        b = Respondent(self, "/s/%s?lang=nl" % token, source)
        self.assertEqual(b.r.status, 200)
        self.assertIn(self.msg("resume.continue_heading"), b.r.body)
        b.post([("phrase", phrase), ("nav", "resume")], form=1,
               expect=expect)
        return b

    def test_save_on_page3_restart_and_continue(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        b = self.to_page3(token)
        # Every page of the survey has the button.
        self.assertIn(self.msg("resume.save_button"), b.r.body)
        b.post([("q_gemeld", "nee"), ("nav", "save")])
        # Weaker than 4 words or 16 characters, or two different: 422,
        # nothing stored.
        b.post([("phrase", "kort"), ("phrase2", "kort"),
                ("nav", "save_phrase")], expect=422)
        self.assertIn(self.msg("resume.weak"), h.page_text(b.r.body))
        b.post([("phrase", PHRASE), ("phrase2", PHRASE + "x"),
                ("nav", "save_phrase")], expect=422)
        self.assertIn(self.msg("resume.mismatch"), h.page_text(b.r.body))
        self.assertEqual(self.rows(token), 0)
        b.post([("phrase", PHRASE), ("phrase2", PHRASE),
                ("nav", "save_phrase")])
        self.assertIn(self.msg("resume.saved_heading"),
                      h.page_text(b.r.body))
        self.assertEqual(self.rows(token), 1)

        self.restart()
        # Another client after the restart: a wrong phrase is 422.
        other = self.continue_with(token, "een heel andere zin hier",
                                   expect=422)
        self.assertIn(self.msg("resume.wrong"), h.page_text(other.r.body))
        # The right one continues on page 3 with the answers.
        c = self.continue_with(token, "  " + PHRASE + " ", expect=200)
        self.assertIn("Pagina 3 van", c.r.body)
        self.assertEqual(h.parse_form(c.r.body).checked.get("q_gemeld"),
                         ["nee"])
        c.post([("q_gemeld", "nee"), ("q_waarom_niet_gemeld", "helpt_niet"),
                ("nav", "next")], expect=200)
        # Page 4 with a text answer, saved again (the row is replaced).
        self.assertIn("Over jou", c.r.body)
        self.save(c, [("q_gender", "anders"), ("q_gender_self", SECRET)])
        self.assertEqual(self.rows(token), 1)
        # No answer text in the clear anywhere in the database's files.
        for suffix in ("", "-wal"):
            path = self.db + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                self.assertFalse(SECRET.encode() in data, path)
        # Continue once more and go back: the earlier pages kept theirs.
        d = self.continue_with(token, PHRASE, expect=200)
        self.assertIn("Over jou", d.r.body)
        self.assertIn(SECRET, h.parse_form(d.r.body).textareas.get(
            "q_gender_self", ""))
        d.post([("q_gender", "anders"), ("q_gender_self", SECRET),
                ("nav", "back")])
        self.assertEqual(h.parse_form(d.r.body).checked.get(
            "q_waarom_niet_gemeld"), ["helpt_niet"])
        d.post([("nav", "next")])
        d.post([("q_gender", "anders"), ("q_gender_self", SECRET),
                ("nav", "next")])
        d.post([("q_geboorteland", "suriname"), ("nav", "next")])
        self.assertStored(wave, answers=0, spent=0)
        d.post([("q_toelichting", "Niets meer."), ("nav", "submit")])
        self.assertIn(self.msg("page.thanks.heading"), h.page_text(d.r.body))
        # Sent: the answer is stored and the row is gone.
        self.assertStored(wave, answers=1, spent=1)
        self.assertEqual(self.rows(token), 0)

    def post_raw(self, page, pairs, form=0):
        """POSTs a form of page without following a redirect."""
        f = Forms(page.body).forms[form]
        body = urllib.parse.urlencode(f["hidden"] + list(pairs)).encode()
        return h.request(self.port, "POST", f["action"], body=body,
                         headers={"Content-Type":
                                  "application/x-www-form-urlencoded"},
                         follow=False)

    def resume_row(self, token):
        return h.db_query(self.db, "SELECT salt, sealed FROM resumes "
                          "WHERE hash = ?",
                          (h.spend_hash(self.db, token, RESUME),))

    def assert_redirect(self, r, token):
        self.assertEqual(r.status, 303, r.body[:2000])
        self.assertEqual(r.body, "")
        loc = r.header("Location")
        self.assertRegex(loc, STEP_LOCATION)
        self.assertEqual(STEP_LOCATION.match(loc).group(1), token)
        return loc

    def test_save_redirects_to_a_get_that_reloads(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        b = self.to_page3(token)
        page3 = b.r.redirect.header("Location")
        ask_heading = self.msg("resume.ask_heading")
        saved_heading = self.msg("resume.saved_heading")

        # "Save and continue later": 303 to the phrase page, 200 on GET,
        # and the same page on reload.
        ask_url = self.assert_redirect(
            self.post_raw(b.r, [("q_gemeld", "nee"), ("nav", "save")]),
            token)
        ask = h.get(self.port, ask_url)
        self.assertEqual(ask.status, 200)
        self.assertIn(ask_heading, h.page_text(ask.body))
        again = h.get(self.port, ask_url)
        self.assertEqual(again.status, 200)
        self.assertIn(ask_heading, h.page_text(again.body))
        self.assertEqual(Forms(again.body).forms[0]["action"],
                         Forms(ask.body).forms[0]["action"])

        # A weak or mismatched phrase answers the POST itself: 422 with
        # the form and the message, no redirect, nothing stored.
        r = self.post_raw(ask, [("phrase", "kort"), ("phrase2", "kort"),
                                ("nav", "save_phrase")])
        self.assertEqual(r.status, 422)
        self.assertIsNone(r.header("Location"))
        self.assertIn(self.msg("resume.weak"), h.page_text(r.body))
        r = self.post_raw(ask, [("phrase", PHRASE), ("phrase2", PHRASE + "x"),
                                ("nav", "save_phrase")])
        self.assertEqual(r.status, 422)
        self.assertIn(self.msg("resume.mismatch"), h.page_text(r.body))
        self.assertEqual(self.rows(token), 0)

        # The phrase: 303 to the "saved" page; the row is stored once.
        saved_url = self.assert_redirect(
            self.post_raw(ask, [("phrase", PHRASE), ("phrase2", PHRASE),
                                ("nav", "save_phrase")]), token)
        self.assertNotEqual(saved_url, ask_url)
        row = self.resume_row(token)
        self.assertEqual(len(row), 1)
        for _ in range(2):
            saved = h.get(self.port, saved_url)
            self.assertEqual(saved.status, 200)
            self.assertIn(saved_heading, h.page_text(saved.body))
            self.assertNotIn('type="password"', saved.body)
            # A reload stores nothing again: the same salt and box.
            self.assertEqual(self.resume_row(token), row)

        # Back finds the pages before it: the phrase page (empty) and
        # page 3 with its answers.
        back = h.get(self.port, ask_url)
        self.assertEqual(back.status, 200)
        self.assertIn(ask_heading, h.page_text(back.body))
        self.assertNotIn(PHRASE, back.body)
        back = h.get(self.port, page3)
        self.assertEqual(back.status, 200)
        self.assertIn("Pagina 3 van", back.body)
        self.assertEqual(h.parse_form(back.body).checked.get("q_gemeld"),
                         ["nee"])

        # The phrase is in no URL, no log line and no database file.
        for url in (ask_url, saved_url):
            self.assertNotIn(urllib.parse.quote_plus(PHRASE), url)
            self.assertNotIn("paarse", url)
        self.assertNotIn("paarse", self.server.stderr())
        for suffix in ("", "-wal"):
            path = self.db + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.assertNotIn(PHRASE.encode(), f.read(), path)

        # The saved answers continue on page 3.
        c = self.continue_with(token, PHRASE, expect=200)
        self.assertIn("Pagina 3 van", c.r.body)

    def test_wrong_phrase_rate_limited(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        src = ("127.0.0.7", 0)
        self.save(self.to_page3(token, src), [("q_gemeld", "nee")])
        welcome = h.get(self.port, "/s/%s?lang=nl" % token,
                        source_address=src)
        f = Forms(welcome.body).forms[1]

        def guess(i):
            return h.post(self.port, f["action"], f["hidden"] + [
                ("phrase", "fout geraden zin nummer %d" % i),
                ("nav", "resume")], source_address=src)

        # All at once, so that the budget cannot refill in between (a try
        # is counted before its Argon2id runs).
        with concurrent.futures.ThreadPoolExecutor(BURST + 3) as pool:
            got = list(pool.map(guess, range(BURST + 3)))
        statuses = sorted(r.status for r in got)
        self.assertEqual(set(statuses), {422, 429}, statuses)
        self.assertGreaterEqual(statuses.count(422), BURST, statuses)
        limited = [r for r in got if r.status == 429][0]
        self.assertIn(self.msg("resume.limited"), h.page_text(limited.body))
        # Another address is not limited, and the right phrase continues.
        b = self.continue_with(token, PHRASE, expect=200,
                               source=("127.0.0.8", 0))
        self.assertIn("Pagina 3 van", b.r.body)

    def test_start_again_deletes_the_row(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        self.save(self.to_page3(token), [("q_gemeld", "nee")])
        self.assertEqual(self.rows(token), 1)
        b = Respondent(self, "/s/%s?lang=en" % token)
        self.assertIn(self.msg("resume.continue_heading", "en"), b.r.body)
        b.post([("nav", "resume_discard")], form=1)
        self.assertEqual(self.rows(token), 0)
        self.assertNotIn(self.msg("resume.continue_heading", "en"),
                         b.r.body)
        self.assertIn('value="start"', b.r.body)

    def test_sent_draft_leaves_no_copy_in_the_files(self):
        # Sending deletes the saved draft; secure_delete overwrites its
        # bytes in the database, and the -wal frames that held it go
        # when the WAL starts over or is cut (about half a second; the
        # bound here is looser).
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        self.save(self.to_page3(token), [("q_gemeld", "nee")])
        salt, sealed = self.resume_row(token)[0]
        pieces = [sealed[i:i + 48] for i in (0, len(sealed) // 2,
                                             len(sealed) - 48)]
        # Saved, the draft is there to be found (the search can fail).
        self.assertTrue(self.files_hold(pieces))
        c = self.continue_with(token, PHRASE, expect=200)
        c.post([("q_gemeld", "nee"), ("q_waarom_niet_gemeld", "helpt_niet"),
                ("nav", "next")])
        c.post([("q_gender", "vrouw"), ("nav", "next")])
        c.post([("q_geboorteland", "suriname"), ("nav", "next")])
        c.post([("nav", "submit")])
        self.assertIn(self.msg("page.thanks.heading"), h.page_text(c.r.body))
        self.assertEqual(self.rows(token), 0)
        deadline = time.monotonic() + 10
        while True:
            found = self.files_hold(pieces + [salt])
            if not found:
                break
            self.assertLess(time.monotonic(), deadline,
                            "the sent draft is still in %s" % found)
            time.sleep(0.2)

    def files_hold(self, pieces):
        """The database's files (the .db and its -wal) that hold any of
        pieces (bytes)."""
        found = []
        for suffix in ("", "-wal"):
            path = self.db + suffix
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                found += [path for p in pieces if p in data]
        return found

    def test_wave_close_deletes_its_rows(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        other = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        keep = h.issue_tokens(self.db, other, 10)[0]
        self.save(self.to_page3(token), [("q_gemeld", "nee")])
        self.save(self.to_page3(keep), [("q_gemeld", "ja")])
        self.assertEqual(self.rows(token), 1)
        h.run_ok("wave", "close", "--db", self.db, "--wave", str(wave))
        self.assertEqual(self.rows(token), 0)
        self.assertEqual(self.rows(keep), 1)
        r = h.get(self.port, "/s/" + token)
        self.assertEqual(r.status, 410)

    def test_expired_page_offers_to_start_again(self):
        wave = h.make_wave(self.db, self.key, definition=ERVAREN)
        token = h.issue_tokens(self.db, wave, 10)[0]
        r = h.post(self.port, "/s/" + token,
                   [("lang", "en"), ("state", "AAAA"), ("nav", "next")])
        self.assertEqual(r.status, 400)
        self.assertIn(self.msg("page.state_expired.heading", "en"), r.body)
        f = Forms(r.body).forms
        self.assertEqual(f[0]["action"], "/s/" + token)
        self.assertEqual(f[0]["method"], "get")
        self.assertIn(self.msg("resume.expired_again", "en"), r.body)
        r = h.get(self.port, "/s/%s?lang=en" % token)
        self.assertEqual(r.status, 200)
        self.assertIn('value="start"', r.body)
