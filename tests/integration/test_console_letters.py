"""Links and letters per unit from the coordinator's console, against the
real server: /console/letters, POST /console/letters/issue and
/console/letters/replace, and `gehoord console units|participation`.

Every action is refused without a session, to a desk user, and to a
coordinator without or with a wrong CSRF token, changing nothing. A
unit's letters hold exactly N distinct links (N defaulting to its head
count), each of which works once; the download says no-store and the
audit log names who, how many and which unit. The mail-merge CSV holds
unit and link. A batch below the wave's k is refused (422, the form
again with the values sent); a replacement card is one link that joins
the unit's batch (its size grows by one, no batch of one is made) and
works once; without a batch of the unit it is refused.
"""

import csv
import io
import json
import os
import re
import time
import unittest

import harness
from desk_util import DESK_PW, Client, Server, setup_desk, user_add

COORD_PW = "coordinator password of cora, long"
BASE = "https://gehoord.example.org"
LINK_RE = re.compile(r'<p class="link">(https://gehoord\.example\.org/s/'
                     r'[0-9A-Z]+)</p>')
UNITS = "naam;aantal\nDirectie X/Afdeling A;6\nDirectie X/Afdeling B;8\n"


def tokens_of(links):
    return [l.rsplit("/s/", 1)[1] for l in links]


class TestConsoleLetters(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "cora", "coordinator", COORD_PW)
        if p.returncode != 0:
            raise AssertionError("user add cora: %s" % p.stderr)
        key = harness.make_key(cls.tmp)
        cls.key = key
        cls.wave = harness.make_wave(cls.db, key, name="brieven", k=5)
        cls.server = Server(cls.db, cls.tmp, extra=[
            "--base-url", BASE, "--org-name", "Gemeente Voorbeeld",
            "--org-contact", "mailto:onderzoek@example.org"]).start()
        cls.port = cls.server.port
        c = cls.coordinator_of(cls.port)
        r = c.post("/console/units", {"csv": UNITS})
        if r.status != 200:
            raise AssertionError("units upload: %d" % r.status)

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    @staticmethod
    def coordinator_of(port):
        c = Client(port)
        r = c.login("cora", COORD_PW)
        assert r.status == 303, r.body
        c.get("/console/letters")	# reads the token
        return c

    def coordinator(self):
        return self.coordinator_of(self.port)

    def state(self):
        return (harness.db_query(self.db, "SELECT id, unit, size FROM "
                                 "batches ORDER BY id"),
                harness.tokens_count(self.db),
                harness.db_query(self.db, "SELECT action, object FROM "
                                 "console_audit ORDER BY id"))

    def issue(self, c, unit, count="", fmt="letters", kind="links",
              csrf=True):
        return c.post("/console/letters/issue", {
            "wave": str(self.wave), "unit": unit, "count": count,
            "kind": kind, "format": fmt}, csrf=csrf)

    def test_every_action_is_refused_without_role_or_token(self):
        before = self.state()
        fields = {"wave": str(self.wave), "unit": "Directie X/Afdeling A",
                  "count": "", "kind": "links", "format": "letters"}
        actions = ("/console/letters/issue", "/console/letters/replace")
        for path in actions + ("/console/letters",):
            with self.subTest(path=path, who="nobody"):
                r = (harness.get(self.port, path) if path ==
                     "/console/letters" else
                     harness.post(self.port, path, fields))
                self.assertIn(r.status, (303, 403))
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        desk.get("/desk")
        for path in actions:
            with self.subTest(path=path, who="desk"):
                self.assertEqual(desk.post(path, fields).status, 403)
        self.assertEqual(desk.get("/console/letters").status, 403)
        c = self.coordinator()
        for path in actions:
            for csrf in (False, "wrong-token"):
                with self.subTest(path=path, csrf=csrf):
                    self.assertEqual(c.post(path, fields,
                                            csrf=csrf).status, 403)
        self.assertEqual(self.state(), before)

    def test_letters_hold_n_distinct_links_that_work_once(self):
        c = self.coordinator()
        r = self.issue(c, "Directie X/Afdeling A")	# head count 6
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        links = LINK_RE.findall(r.body)
        self.assertEqual(len(links), 6)
        self.assertEqual(len(set(links)), 6)
        self.assertEqual(r.body.count('<article class="letter">'), 6)
        self.assertEqual(r.body.count("<svg"), 6)
        self.assertIn("Gemeente Voorbeeld", r.body)
        self.assertIn("mailto:onderzoek@example.org", r.body)
        self.assertIn("size: A4", r.body)
        self.assertIn("Directie X/Afdeling A", r.body)
        rows = harness.db_query(self.db, "SELECT unit, size FROM batches "
                                "WHERE unit = 'Directie X/Afdeling A'")
        self.assertIn(("Directie X/Afdeling A", 6), rows)
        toks = tokens_of(links)
        answers = harness.answers_count(self.db, self.wave)
        for t in toks:
            self.assertEqual(harness.token_state(self.db, t), "unspent")
        r = harness.submit(self.port, toks[0], harness.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(harness.token_state(self.db, toks[0]), "spent")
        harness.submit(self.port, toks[0], harness.VALID_ANSWER)
        self.assertEqual(harness.token_state(self.db, toks[1]), "unspent")
        self.assertEqual(harness.answers_count(self.db, self.wave),
                         answers + 1)
        audit = harness.db_query(self.db, "SELECT user_name, action, "
                                 "object, day FROM console_audit WHERE "
                                 "action = 'letters_issue'")
        self.assertTrue(any(a[0] == "cora" and "Directie X/Afdeling A" in
                            a[2] and a[2].endswith(": 6") for a in audit),
                        audit)
        for a in audit:
            for t in toks:
                self.assertNotIn(t, a[2])

    def test_csv_holds_unit_and_link_and_a_given_count(self):
        c = self.coordinator()
        r = self.issue(c, "Directie X/Afdeling B", count="7", fmt="csv")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertTrue(r.header("Content-Type").startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(r.body, newline="")))
        self.assertEqual(rows[0], ["unit", "link"])
        self.assertEqual(len(rows), 8)
        self.assertEqual({u for u, _ in rows[1:]}, {"Directie X/Afdeling B"})
        links = [l for _, l in rows[1:]]
        self.assertEqual(len(set(links)), 7)
        for t in tokens_of(links):
            self.assertEqual(harness.token_state(self.db, t), "unspent")

    def test_below_k_and_bad_fields_are_refused_with_the_form_again(self):
        c = self.coordinator()
        before = self.state()
        for fields, field in (({"count": "4"}, "l-count"),
                              ({"count": "zes"}, "l-count"),
                              ({"count": "10001"}, "l-count"),
                              ({"unit": "Nergens"}, "l-unit"),
                              ({"kind": "both"}, "l-kind-links"),
                              ({"fmt": "pdf"}, "l-format-letters")):
            args = {"unit": "Directie X/Afdeling A", "count": "",
                    "fmt": "letters", "kind": "links"}
            args.update(fields)
            with self.subTest(fields=fields):
                r = self.issue(c, args["unit"], args["count"], args["fmt"],
                               args["kind"])
                self.assertEqual(r.status, 422, r.body)
                self.assertIn('href="#%s"' % field, r.body)
                self.assertIn('role="alert"', r.body)
                if "count" in fields:
                    self.assertIn('value="%s"' % fields["count"], r.body)
        self.assertEqual(self.state(), before)

    def test_replacement_joins_the_units_batch_and_works_once(self):
        c = self.coordinator()
        before = self.state()
        r = c.post("/console/letters/replace", {
            "wave": str(self.wave), "unit": "Nergens"})
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(self.state(), before)
        r = self.issue(c, "Directie X/Afdeling A", count="5")
        self.assertEqual(r.status, 200, r.body)
        n_batches = len(self.state()[0])
        size = harness.db_query(self.db, "SELECT id, size FROM batches "
                                "ORDER BY id DESC LIMIT 1")[0]
        r = c.post("/console/letters/replace", {
            "wave": str(self.wave), "unit": "Directie X/Afdeling A"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        links = LINK_RE.findall(r.body)
        self.assertEqual(len(links), 1)
        self.assertEqual(len(self.state()[0]), n_batches)	# no new batch
        self.assertEqual(harness.db_query(
            self.db, "SELECT size FROM batches WHERE id = ?",
            (size[0],))[0][0], size[1] + 1)
        tok = tokens_of(links)[0]
        self.assertEqual(harness.db_query(
            self.db, "SELECT batch_id FROM tokens WHERE hash = ?",
            (harness.token_hash(self.db, tok),))[0][0], size[0])
        self.assertEqual(harness.submit(self.port, tok,
                                        harness.VALID_ANSWER).status, 200)
        self.assertEqual(harness.token_state(self.db, tok), "spent")
        audit = harness.db_query(self.db, "SELECT user_name, object FROM "
                                 "console_audit WHERE action = "
                                 "'letter_replace'")
        self.assertEqual(audit, [("cora", "wave %d brieven, unit Directie "
                                  "X/Afdeling A: 1" % self.wave)])

    def test_invitations_per_unit_make_an_invitation_batch(self):
        c = self.coordinator()
        r = self.issue(c, "Directie X/Afdeling B", fmt="csv",
                       kind="invitations")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        rows = list(csv.reader(io.StringIO(r.body, newline="")))
        self.assertEqual(rows[0], ["unit", "link"])
        links = [l for _, l in rows[1:]]
        self.assertEqual(len(set(links)), 8)	# the head count
        for l in links:
            self.assertTrue(l.startswith(BASE + "/i/"), l)
        self.assertIn(("Directie X/Afdeling B", 8), harness.db_query(
            self.db, "SELECT unit, size FROM invitation_batches"))
        code = links[0].rsplit("/i/", 1)[1]
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM invitations WHERE hash = ?",
            (harness.token_hash(self.db, code),))[0][0], 1)
        r = harness.get(self.port, "/i/" + code)
        self.assertEqual(r.status, 200, r.body)
        audit = harness.db_query(self.db, "SELECT user_name, object FROM "
                                 "console_audit WHERE action = "
                                 "'invitations_issue'")
        self.assertEqual(audit, [("cora", "wave %d brieven, unit Directie "
                                  "X/Afdeling B: 8" % self.wave)])

    def test_letters_say_until_when_the_wave_is_open(self):
        defs = os.path.join(os.path.dirname(harness.DEMO_DEF))
        with open(os.path.join(defs, "inclusie-2026.json"),
                  encoding="utf-8") as f:
            d = json.load(f)
        d["closes"] = "2027-03-15"
        defn = os.path.join(self.tmp, "closes.json")
        with open(defn, "w", encoding="utf-8") as f:
            json.dump(d, f)
        wave = harness.make_wave(self.db, self.key, name="sluit", k=5,
                                 definition=defn)
        c = self.coordinator()
        r = c.post("/console/letters/issue", {
            "wave": str(wave), "unit": "Directie X/Afdeling A", "count": "5",
            "kind": "links", "format": "letters"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.body.count("Open tot 15 maart 2027"), 5)
        self.assertEqual(r.body.count("Open until 15 March 2027"), 5)

    def test_the_page_says_links_are_shown_once_in_both_languages(self):
        c = self.coordinator()
        for lang in ("nl", "en"):
            msgs = harness.load_messages(lang)
            r = c.get("/console/letters?lang=" + lang)
            self.assertEqual(r.status, 200)
            text = harness.page_text(r.body)
            self.assertIn(msgs["console.letters.once"], text)
            self.assertIn('href="/console/letters?lang=%s"' % lang, r.body)


class TestConsoleLettersNoBaseUrl(unittest.TestCase):
    """Without serve --base-url the console issues nothing, and says why."""

    def test_refused_without_base_url(self):
        tmp = harness.mkdtemp()
        try:
            db = harness.init_db(tmp)
            self.assertEqual(user_add(db, tmp, "cora", "coordinator",
                                      COORD_PW).returncode, 0)
            key = harness.make_key(tmp)
            wave = harness.make_wave(db, key, name="zonder", k=5)
            srv = Server(db, tmp).start()
            try:
                c = Client(srv.port)
                self.assertEqual(c.login("cora", COORD_PW).status, 303)
                r = c.get("/console/letters?lang=en")
                en = harness.load_messages("en")
                self.assertIn(en["console.letters.no_base_url"],
                              harness.page_text(r.body))
                r = c.post("/console/letters/issue", {
                    "wave": str(wave), "unit": "A", "count": "5",
                    "format": "csv"})
                self.assertEqual(r.status, 409)
                self.assertEqual(harness.tokens_count(db), 0)
            finally:
                self.assertEqual(srv.stop(), 0, srv.stderr())
        finally:
            harness.rmtree(tmp)


class TestConsoleCli(unittest.TestCase):
    """gehoord console units and participation, as the pages."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        key = harness.make_key(self.tmp)
        self.wave = harness.make_wave(self.db, key, name="cli", k=5)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def write(self, text):
        path = os.path.join(self.tmp, "units.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_units_upload_and_problems(self):
        p = harness.run("console", "units", "--db", self.db, "--wave",
                        str(self.wave), "--csv", self.write(UNITS))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(harness.db_query(
            self.db, "SELECT name, head_count FROM org_units ORDER BY name"),
            [("Directie X/Afdeling A", 6), ("Directie X/Afdeling B", 8)])
        bad = self.write("A;1\nB;x\nA;2\n")
        p = harness.run("console", "units", "--db", self.db, "--csv", bad)
        self.assertEqual(p.returncode, 1)
        self.assertIn("units.csv:2:", p.stderr)
        self.assertIn("units.csv:3:", p.stderr)
        self.assertEqual(len(harness.db_query(
            self.db, "SELECT name FROM org_units")), 2)	# unchanged
        p = harness.run("console", "units", "--db", self.db, "--wave",
                        "999", "--csv", self.write(UNITS))
        self.assertEqual(p.returncode, 1)
        self.assertIn("--wave", p.stderr)
        self.assertEqual(harness.run("console", "units", "--db",
                                     self.db).returncode, 2)
        p = harness.run("console", "units", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--csv", p.stdout)
        audit = harness.db_query(self.db, "SELECT user_name, action, "
                                 "object FROM console_audit")
        self.assertEqual(audit, [("shell", "units_upload", "2")])

    def test_tokens_issue_letters_one_a4_page_per_link(self):
        out = os.path.join(self.tmp, "l")
        p = harness.run("tokens", "issue", "--db", self.db, "--wave",
                        str(self.wave), "--count", "5", "--unit", "A",
                        "--base-url", BASE, "--csv", out + ".csv",
                        "--sheet", out + ".html", "--letters",
                        "--org-name", "Gemeente Voorbeeld",
                        "--org-contact", "mailto:onderzoek@example.org")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out + ".html", encoding="utf-8") as f:
            body = f.read()
        toks = harness.read_links_csv(out + ".csv", BASE)
        self.assertEqual(body.count('<article class="letter">'), 5)
        self.assertEqual(sorted(tokens_of(LINK_RE.findall(body))),
                         sorted(toks))
        self.assertIn("mailto:onderzoek@example.org", body)
        self.assertIn("Gemeente Voorbeeld", body)

    def test_participation_lists_only_units_from_k(self):
        a = harness.issue_tokens(self.db, self.wave, 6, unit="A")
        b = harness.issue_tokens(self.db, self.wave, 6, unit="B")
        # Five of A's links and four of B's used; serve writes the counts
        # per unit at shutdown.
        srv = Server(self.db, self.tmp).start()
        try:
            for t in a[:5] + b[:4]:
                r = harness.submit(srv.port, t, harness.VALID_ANSWER)
                self.assertEqual(r.status, 200, r.body)
        finally:
            self.assertEqual(srv.stop(), 0, srv.stderr())
        p = harness.run("console", "participation", "--db", self.db,
                        "--wave", str(self.wave))
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split("\t")[:5], ["A", "6", "5", "-",
                                                    "83%"])
        self.assertNotIn("B\t", p.stdout)
        self.assertIn("1 units left out", lines[-1])
        p = harness.run("console", "participation", "--db", self.db,
                        "--wave", "999")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(harness.run("console", "participation",
                                     "--db", self.db).returncode, 2)
        p = harness.run("console", "participation", "--help")
        self.assertEqual(p.returncode, 0)


FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
MARGIN_S = 30	# seconds of the moved clock before midnight (UTC)
FLUSH_WAIT_S = 30


@unittest.skipUnless(os.path.exists(FAKETIME), "libfaketime is not "
                     "installed (server/deploy/install-deps.sh)")
@unittest.skipIf(harness.WRAPPER, "libfaketime is preloaded, which a "
                 "wrapper such as valgrind does not take")
class TestParticipationDayChange(unittest.TestCase):
    """The links used per unit are written at the first scheduler check
    of a new day (UTC) while serve keeps running, not only at shutdown.

    How the clock is moved: serve alone runs with libfaketime preloaded
    (Debian's libfaketime, installed by install-deps.sh), its clock set
    MARGIN_S seconds before the next midnight UTC and running on from
    there (FAKETIME="+N" seconds); the monotonic clock, which the
    scheduler's waits use, is left alone. The binary has no code path
    that changes "today", so nothing of this can happen to a production
    server; the test's own clock, SQLite's and the CLI's are the real
    one."""

    def test_counts_are_written_at_the_first_check_of_a_new_day(self):
        tmp = harness.mkdtemp()
        try:
            db = harness.init_db(tmp)
            key = harness.make_key(tmp)
            wave = harness.make_wave(db, key, name="dagwissel", k=5)
            toks = harness.issue_tokens(db, wave, 6, unit="A")
            now = time.time()
            midnight = (int(now) // 86400 + 1) * 86400
            offset = midnight - int(now) - MARGIN_S
            env = {"LD_PRELOAD": FAKETIME, "FAKETIME": "+%d" % offset,
                   "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                   "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") +
                   ":verify_asan_link_order=0"}
            saved = {k: os.environ.get(k) for k in env}
            os.environ.update(env)
            try:
                srv = Server(db, tmp).start()
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            try:
                for t in toks[:5]:
                    r = harness.submit(srv.port, t, harness.VALID_ANSWER)
                    self.assertEqual(r.status, 200, r.body)
                rows = harness.db_query(db, "SELECT unit, spent, day FROM "
                                        "unit_participation")
                if time.time() - now >= MARGIN_S:
                    self.skipTest("the answers took longer than the "
                                  "margin before the moved midnight")
                self.assertEqual(rows, [])	# nothing before the day ends
                deadline = time.time() + MARGIN_S + FLUSH_WAIT_S
                while time.time() < deadline and not rows:
                    time.sleep(1)
                    rows = harness.db_query(db, "SELECT unit, spent, day "
                                            "FROM unit_participation")
                # Written while serving, dated the server's new day.
                self.assertEqual(rows, [("A", 5, midnight // 86400)])
            finally:
                self.assertEqual(srv.stop(), 0, srv.stderr())
            # Shutdown wrote nothing more: the count was already written.
            self.assertEqual(harness.db_query(
                db, "SELECT unit, spent FROM unit_participation"),
                [("A", 5)])
        finally:
            harness.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
