"""Trying a wave before respondents do, against the real server: the
console's preview of every page of an instrument in both languages
(GET /console/preview/NAME) and test links (POST /console/wave/test-link
and /console/wave/test-links-remove).

A test link walks the survey as a respondent's link does, every page and
every check, with a note on each page that it is a test and no "continue
later"; what it sends is discarded: no answer row, no spend, no count,
the free text nowhere in the database files, the link never in the log.
It works again and again, also while the wave is closed, until the
wave's test links are removed. Every action is in the audit log, and
refused without the coordinator's session or CSRF token, changing
nothing. The preview shows every page title and question label of the
instrument in the language asked for, inside no form.
"""

import glob
import html
import json
import os
import re
import shutil
import unittest

import harness
from desk_util import DESK_PW, Client, Server, setup_desk, user_add
from test_multipage import ERVAREN, Walker

COORD_PW = "coordinator password of cora, long"
BASE = "https://gehoord.example.org"
LINK_RE = re.compile(r'<p class="test-link"><a href="([^"]+)">')
MARKER = "TESTLINK-MARKER-7f3c9a"


def labels(definition, lang):
    """Every page title and question label of a definition in lang."""
    with open(definition, encoding="utf-8") as f:
        d = json.load(f)
    out = []
    for p in d.get("pages", [{"questions": d.get("questions", [])}]):
        if "title" in p:
            out.append(p["title"][lang])
        for q in p["questions"]:
            out.append(q["label"][lang])
            for item in q.get("items", []):
                out.append(item["label"][lang])
    return out


class TestConsoleTry(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "cora", "coordinator", COORD_PW)
        if p.returncode != 0:
            raise AssertionError("user add cora: %s" % p.stderr)
        cls.key = harness.make_key(cls.tmp)
        cls.wave = harness.make_wave(cls.db, cls.key, name="proef",
                                     k=5, definition=ERVAREN)
        cls.demo = harness.make_wave(cls.db, cls.key, name="demo-proef",
                                     k=5)
        cls.defs = os.path.join(cls.tmp, "defs")
        os.mkdir(cls.defs)
        shutil.copy(ERVAREN, os.path.join(
            cls.defs, "ervaren-discriminatie-2026.json"))
        shutil.copy(harness.DEMO_DEF, os.path.join(cls.defs, "demo.json"))
        cls.server = Server(cls.db, cls.tmp, extra=[
            "--base-url", BASE, "--survey-defs", cls.defs]).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def coordinator(self):
        c = Client(self.port)
        r = c.login("cora", COORD_PW)
        self.assertEqual(r.status, 303, r.body)
        c.get("/console")
        return c

    def make_link(self, c, wave):
        r = c.post("/console/wave/test-link", {"wave": str(wave)})
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertIn("no-store", r.header("Cache-Control"))
        m = LINK_RE.search(r.body)
        self.assertIsNotNone(m, r.body[:3000])
        link = html.unescape(m.group(1))
        self.assertTrue(link.startswith(BASE + "/s/"), link)
        return link.rsplit("/s/", 1)[1]

    def counts(self, wave):
        return (harness.answers_count(self.db, wave),
                harness.spent_count(self.db, wave),
                harness.db_query(self.db, "SELECT n_answers FROM waves "
                                 "WHERE id = ?", (wave,))[0][0])

    def audit(self):
        return harness.db_query(self.db, "SELECT user_name, action, object "
                                "FROM console_audit ORDER BY id")

    def test_test_link_walks_every_page_and_stores_nothing(self):
        c = self.coordinator()
        token = self.make_link(c, self.wave)
        # Only the link's keyed hash is stored, under this wave.
        self.assertIn((harness.token_hash(self.db, token), self.wave),
                      harness.db_query(self.db, "SELECT hash, wave_id "
                                       "FROM test_links"))
        self.assertEqual(self.audit()[-1],
                         ("cora", "test_link", "%d proef" % self.wave))
        nl = harness.load_messages("nl")
        en = harness.load_messages("en")
        before = self.counts(self.wave)
        for run in range(2):     # the link works again after a test
            r = harness.get(self.port, "/s/" + token)
            self.assertEqual(r.status, 200)
            self.assertIn(nl["test.banner_text"], harness.page_text(r.body))
            # No welcome state: a test link's Start takes the lookup,
            # which finds the test link.
            self.assertNotIn('name="welcome"', r.body)
            w = Walker(self, token)
            w.start()
            self.assertIn(nl["test.banner_text"],
                          harness.page_text(w.r.body))
            # No "continue later": a test link saves nothing.
            self.assertEqual(w.page.navs, ["next"])
            # Checks as for a respondent: a required question empty.
            w.send("next", [("ongewenst_gedrag", "pesten")], status=422)
            # A save posted anyway shows the same page, and saves nothing.
            w.send("save", [("ongewenst_gedrag", "geen")])
            self.assertEqual(w.title(), "Wat je meemaakte")
            w.send("next", [("ongewenst_gedrag", "geen"),
                            ("discriminatie_twijfel", "nee")])
            while "submit" not in w.page.navs:
                self.assertIn(nl["test.banner_text"],
                              harness.page_text(w.r.body))
                w.send("next", [])
                if w.r.status == 422:
                    self.fail("page %s needs answers" % w.title())
            w.lang = "en"
            w.send("submit", [("toelichting", MARKER)])
            self.assertIn(en["page.test_done.heading"],
                          harness.page_text(w.r.body))
            self.assertEqual(self.counts(self.wave), before)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM resumes")[0][0], 0)
        # The free text is in no file of the database, the link in no log.
        # (-wal before the file: a page checkpointed between the reads
        # is then read either way.)
        for path in sorted(glob.glob(self.db + "*"), reverse=True):
            with open(path, "rb") as f:
                self.assertNotIn(MARKER.encode(), f.read(), path)
        self.assertNotIn(token, self.server.stderr())
        self.assertNotIn(token, self.server.stdout())

    def test_one_page_survey_by_test_link(self):
        c = self.coordinator()
        token = self.make_link(c, self.demo)
        before = self.counts(self.demo)
        r = harness.get(self.port, "/s/" + token)
        self.assertEqual(r.status, 200)
        self.assertIn('class="test-banner"', r.body)
        r = harness.submit(self.port, token, {"mezelf_zijn": "4"})
        self.assertEqual(r.status, 422)     # checked as any answer
        r = harness.submit(self.port, token, harness.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertIn(harness.load_messages("nl")["page.test_done.heading"],
                      harness.page_text(r.body))
        self.assertEqual(self.counts(self.demo), before)
        # A respondent's link of the same wave is neither spent nor
        # blocked by the test: it sends once, and that answer counts.
        real = harness.issue_tokens(self.db, self.demo, 5)[0]
        r = harness.submit(self.port, real, harness.VALID_ANSWER)
        self.assertEqual(r.status, 200)
        self.assertEqual(self.counts(self.demo),
                         tuple(n + 1 for n in before))

    def test_works_while_closed_until_removed(self):
        c = self.coordinator()
        wave = harness.make_wave(self.db, self.key, name="gesloten", k=5)
        real = harness.issue_tokens(self.db, wave, 5)[0]
        token = self.make_link(c, wave)
        self.assertEqual(c.post("/console/wave/close",
                                {"wave": str(wave)}).status, 200)
        self.assertEqual(harness.get(self.port, "/s/" + real).status, 410)
        r = harness.get(self.port, "/s/" + token)
        self.assertEqual(r.status, 200)
        self.assertIn('class="test-banner"', r.body)
        second = self.make_link(c, wave)
        r = c.post("/console/wave/test-links-remove", {"wave": str(wave)})
        self.assertEqual(r.status, 200)
        self.assertIn(harness.load_messages("en")["console.test.removed"]
                      if 'lang="en"' in r.body[:200] else
                      harness.load_messages("nl")["console.test.removed"],
                      harness.page_text(r.body))
        self.assertEqual(self.audit()[-1], ("cora", "test_links_remove",
                                            "%d gesloten (2)" % wave))
        for t in (token, second):
            self.assertEqual(harness.get(self.port, "/s/" + t).status, 404)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM test_links WHERE wave_id = ?",
            (wave,))[0][0], 0)

    def test_bad_wave_or_no_role_changes_nothing(self):
        def state():
            return (harness.db_query(self.db, "SELECT * FROM test_links "
                                     "ORDER BY hash"), self.audit())
        before = state()
        c = self.coordinator()
        for wave, status in (("abc", 400), ("", 400), ("99999", 404)):
            for path in ("/console/wave/test-link",
                         "/console/wave/test-links-remove"):
                with self.subTest(wave=wave, path=path):
                    self.assertEqual(c.post(path, {"wave": wave}).status,
                                     status)
        for csrf in (False, "wrong-token"):
            self.assertEqual(c.post("/console/wave/test-link",
                                    {"wave": str(self.wave)},
                                    csrf=csrf).status, 403)
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        desk.get("/desk")
        self.assertEqual(desk.post("/console/wave/test-link",
                                   {"wave": str(self.wave)}).status, 403)
        self.assertEqual(desk.get("/console/preview/demo").status, 403)
        self.assertIn(harness.get(self.port,
                                  "/console/preview/demo").status,
                      (303, 403))
        self.assertEqual(state(), before)

    def test_preview_shows_every_page_in_both_languages(self):
        c = self.coordinator()
        r = c.get("/console")
        for name in ("demo", "ervaren-discriminatie-2026"):
            for lang in ("nl", "en"):
                self.assertIn('href="/console/preview/%s?in=%s&amp;'
                              % (name, lang), r.body)
        for lang in ("nl", "en"):
            with self.subTest(lang=lang):
                r = c.get("/console/preview/ervaren-discriminatie-2026"
                          "?in=%s&lang=nl" % lang)
                self.assertEqual(r.status, 200)
                text = harness.page_text(r.body)
                for label in labels(ERVAREN, lang):
                    self.assertIn(" ".join(label.split()), text)
                # The console's own words stay in its language.
                self.assertIn("Pagina 1 van 6", text)
                self.assertIn('<div lang="%s">' % lang, r.body)
                self.assertNotIn("<form method=\"post\" action=\"/s/",
                                 r.body)
                # Pages and questions shown only after answers are named.
                self.assertIn(harness.load_messages("nl")[
                    "console.instrument.page_cond"], text)
        other = labels(ERVAREN, "en")[0]
        r = c.get("/console/preview/ervaren-discriminatie-2026?in=nl")
        self.assertNotIn(other, harness.page_text(r.body))
        r = c.get("/console/preview/demo?in=en")
        self.assertEqual(r.status, 200)
        for label in labels(harness.DEMO_DEF, "en"):
            self.assertIn(" ".join(label.split()),
                          harness.page_text(r.body))
        r = c.get("/console/preview/no-such-instrument")
        self.assertEqual(r.status, 404)
        r = c.get("/console/preview/..%2Fdemo")
        self.assertEqual(r.status, 404)

    def test_the_same_from_the_command_line(self):
        wave = harness.make_wave(self.db, self.key, name="shell", k=5)
        p = harness.run("wave", "test-link", "--db", self.db, "--wave",
                        str(wave), "--base-url", BASE + "/")
        self.assertEqual(p.returncode, 0, p.stderr)
        link = p.stdout.strip()
        self.assertRegex(link, r"^https://gehoord\.example\.org/s/"
                         "[0-9A-Z]+$")
        token = link.rsplit("/s/", 1)[1]
        r = harness.get(self.port, "/s/" + token)
        self.assertEqual(r.status, 200)
        self.assertIn('class="test-banner"', r.body)
        self.assertEqual(self.audit()[-1][:2], ("(shell)", "test_link"))
        p = harness.run("wave", "test-link", "--db", self.db, "--wave",
                        "99999")
        self.assertEqual(p.returncode, 1)
        self.assertIn("--wave: no wave 99999", p.stderr)
        p = harness.run("wave", "test-links-remove", "--db", self.db,
                        "--wave", str(wave))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("removed 1 test link", p.stdout)
        self.assertEqual(harness.get(self.port, "/s/" + token).status, 404)
        self.assertEqual(self.audit()[-1], ("(shell)", "test_links_remove",
                                            "%d shell (1)" % wave))
        p = harness.run("wave", "test-link", "--db", self.db, "--wave",
                        "x")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
