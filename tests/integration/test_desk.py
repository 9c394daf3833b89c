"""The reporting desk over HTTP: accounts, login, sessions and CSRF.

test_report_privacy.py runs the whole scenario with a reporter and
checks what is left on disk and in the output.
"""

import concurrent.futures
import os
import time
import unittest

import harness
from desk_util import (Client, DESK_PW, DESK2_PW, RESEARCH_PW, Server,
                       setup_desk, user_add)

FAKE_ID = "00" * 16
DESK_GETS = ["/desk", "/desk/", "/desk/signals", "/desk/r/" + FAKE_ID]
DESK_POSTS = ["/desk/r/%s/%s" % (FAKE_ID, a)
              for a in ("reply", "status", "category", "aftercare")]


class TestUserAdd(unittest.TestCase):
    """gehoord user add: the first desk user, later ones need --by."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def users(self):
        return harness.db_query(self.db, "SELECT name, role, "
                                "length(wrapped_key) FROM users ORDER BY name")

    def test_first_desk_user_makes_the_key(self):
        p = user_add(self.db, self.tmp, "anna", "desk", DESK_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.users(), [("anna", "desk", 112)])
        keys = harness.db_query(self.db, "SELECT purpose, length(public_key)"
                                " FROM instance_keys WHERE purpose='desk'")
        self.assertEqual(keys, [("desk", 32)])
        # The password is stored only as an Argon2id hash.
        h = harness.db_query(self.db, "SELECT pw_hash FROM users")[0][0]
        self.assertTrue(h.startswith("$argon2id$"), h)
        with open(self.db, "rb") as f:
            self.assertNotIn(DESK_PW.encode(), f.read())

    def test_second_desk_user_needs_an_existing_one(self):
        self.assertEqual(user_add(self.db, self.tmp, "anna", "desk",
                                  DESK_PW).returncode, 0)
        # Without --by: refused (exit 3), nothing stored.
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("--by", p.stderr)
        # Vouching for oneself: bert does not exist yet.
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="bert", by_pw=DESK2_PW)
        self.assertEqual(p.returncode, 3, p.stderr)
        # With anna but the wrong password: refused.
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="anna", by_pw=DESK2_PW)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("wrong password", p.stderr)
        self.assertEqual(len(self.users()), 1)
        # A researcher cannot vouch.
        user_add(self.db, self.tmp, "rita", "researcher", RESEARCH_PW)
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="rita", by_pw=RESEARCH_PW)
        self.assertEqual(p.returncode, 3, p.stderr)
        # anna with her password: bert gets the key, wrapped for him.
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="anna", by_pw=DESK_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = harness.db_query(self.db, "SELECT name, wrapped_key FROM "
                                "users WHERE role='desk' ORDER BY name")
        self.assertEqual([r[0] for r in rows], ["anna", "bert"])
        self.assertNotEqual(rows[0][1], rows[1][1])
        # The name is taken now.
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="anna", by_pw=DESK_PW)
        self.assertEqual(p.returncode, 1, p.stderr)

    def test_short_password_and_bad_names_refused(self):
        p = user_add(self.db, self.tmp, "anna", "desk", "elevenchars")
        self.assertEqual(p.returncode, 1)
        self.assertIn("12", p.stderr)
        p = user_add(self.db, self.tmp, "an na", "desk", DESK_PW)
        self.assertEqual(p.returncode, 2)
        p = user_add(self.db, self.tmp, "anna", "admin", DESK_PW)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.users(), [])

    def test_user_list(self):
        setup_desk(self.tmp, self.db)
        out = harness.run_ok("user", "list", "--db", self.db)
        self.assertEqual(out, "anna\tdesk\nrita\tresearcher\n")


class DeskServerCase(unittest.TestCase):
    extra = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp, extra=cls.extra).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def desk(self):
        c = Client(self.port)
        r = c.login("anna", DESK_PW)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(r.header("Location"), "/desk")
        return c


class TestLogin(DeskServerCase):

    def test_login_page(self):
        r = harness.get(self.port, "/login")
        self.assertEqual(r.status, 200)
        self.assertIn('autocomplete="current-password"', r.body)
        self.assertIn('<html lang="nl"', r.body)
        r = harness.get(self.port, "/login?lang=en")
        self.assertIn('<html lang="en"', r.body)

    def test_desk_login_sets_a_strict_cookie(self):
        c = Client(self.port)
        r = c.login("anna", DESK_PW)
        self.assertEqual(r.status, 303)
        cookie = r.header("Set-Cookie")
        self.assertRegex(cookie, r"^gh_session=[A-Za-z0-9_-]{43}; ")
        for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(attr, cookie)
        self.assertNotIn("Secure", cookie)     # plain HTTP here
        r = c.get("/desk")
        self.assertEqual(r.status, 200)
        self.assertIn("anna", r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")

    def test_researcher_goes_to_research_and_not_desk(self):
        c = Client(self.port)
        r = c.login("rita", RESEARCH_PW)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/research")
        r = c.get("/desk")
        self.assertEqual(r.status, 403)

    def test_wrong_password_and_unknown_user(self):
        for name, pw in (("anna", DESK_PW + "x"), ("nobody", DESK_PW),
                         ("anna", ""), ("", "")):
            r = Client(self.port).login(name, pw)
            self.assertEqual(r.status, 401, (name, r.status))
            self.assertIsNone(r.header("Set-Cookie"))
            self.assertIn(harness.load_messages("nl")["login.failed"],
                          harness.page_text(r.body))

    def test_logout_ends_the_session(self):
        c = self.desk()
        c.get("/desk")
        old = c.cookie
        # Logout without the CSRF token is refused and changes nothing.
        r = c.post("/logout", {}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(c.get("/desk").status, 200)
        r = c.post("/logout", {})
        self.assertEqual(r.status, 303)
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        c.cookie = old
        r = c.get("/desk")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/login"))


class TestLoginRateLimit(DeskServerCase):

    def test_burst_is_limited_without_storing_the_address(self):
        addr = ("127.0.0.9", 0)

        def wrong():
            return Client(self.port, source_address=addr).login(
                "anna", "wrong" * 3).status

        # The burst arrives at once: one after another, on a slow machine
        # (ASan, other tests), each Argon2id run could outlast a refill.
        with concurrent.futures.ThreadPoolExecutor(14) as ex:
            futures = [ex.submit(wrong) for _ in range(14)]
            statuses = []
            for f in concurrent.futures.as_completed(futures):
                statuses.append(f.result())
                if statuses[-1] == 429 and len(statuses) == statuses.count(
                        429):
                    # Limited means limited: even the right password is
                    # refused now, while the burst is still being hashed.
                    r = Client(self.port, source_address=addr).login(
                        "anna", DESK_PW)
                    self.assertEqual(r.status, 429)
        self.assertIn(429, statuses)
        self.assertIn(401, statuses)
        # The right password was tried at the first refusal.
        self.assertEqual(statuses[0], 429)
        # Another address is not affected.
        r = Client(self.port, source_address=("127.0.0.10", 0)).login(
            "anna", DESK_PW)
        self.assertEqual(r.status, 303)
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    data = f.read()
                self.assertNotIn(b"127.0.0.9", data)
                self.assertNotIn(bytes([127, 0, 0, 9]), data)
        self.assertNotIn("127.0.0.9", self.server.stderr())
        self.assertNotIn("127.0.0.9", self.server.stdout())


class TestDeskAuthorisation(DeskServerCase):

    def test_no_session(self):
        for path in DESK_GETS:
            r = harness.get(self.port, path)
            self.assertEqual(r.status, 303, path)
            self.assertTrue(r.header("Location").startswith("/login"), path)
        for path in DESK_POSTS:
            r = harness.post(self.port, path, {"text": "x", "csrf": "x"})
            self.assertEqual(r.status, 403, path)

    def test_made_up_cookie(self):
        c = Client(self.port)
        c.cookie = "A" * 43
        for path in DESK_GETS:
            r = c.get(path)
            self.assertEqual(r.status, 303, path)
            self.assertIn("expired=1", r.header("Location"))
        for path in DESK_POSTS:
            self.assertEqual(c.post(path, {}, csrf="x" * 43).status, 403)

    def test_csrf_missing_or_wrong(self):
        c = self.desk()
        self.assertEqual(c.get("/desk").status, 200)
        other = self.desk()
        other.get("/desk")
        for path in DESK_POSTS + ["/logout"]:
            self.assertEqual(c.post(path, {}, csrf=False).status, 403, path)
            self.assertEqual(c.post(path, {}, csrf="").status, 403, path)
            self.assertEqual(c.post(path, {}, csrf="x" * 43).status, 403,
                             path)
            # Another session's token is wrong for this one.
            self.assertEqual(c.post(path, {}, csrf=other.csrf).status, 403,
                             path)
        # The session still works; an unknown report is a 404.
        r = c.post(DESK_POSTS[0], {"text": "hello"})
        self.assertEqual(r.status, 404)

    def test_bad_report_paths(self):
        c = self.desk()
        for path in ("/desk/r/" + "0" * 31, "/desk/r/" + "g" * 32,
                     "/desk/r/" + FAKE_ID + "/nothing", "/desk/nothing",
                     "/desk/r/" + FAKE_ID + "x"):
            self.assertEqual(c.get(path).status, 404, path)


class TestExpiredSession(DeskServerCase):
    extra = ("--session-idle", "2")

    def test_idle_session_expires(self):
        c = self.desk()
        self.assertEqual(c.get("/desk").status, 200)
        time.sleep(3.2)
        r = c.get("/desk")
        self.assertEqual(r.status, 303)
        self.assertIn("expired=1", r.header("Location"))
        for path in DESK_GETS:
            self.assertEqual(c.get(path).status, 303, path)
        for path in DESK_POSTS:
            self.assertEqual(c.post(path, {}).status, 403, path)
        r = harness.get(self.port, "/login?expired=1")
        self.assertIn(harness.load_messages("nl")["login.expired"],
                      harness.page_text(r.body))

    def test_use_keeps_a_session_alive(self):
        c = self.desk()
        for _ in range(4):
            time.sleep(1)
            self.assertEqual(c.get("/desk").status, 200)


if __name__ == "__main__":
    unittest.main()


class TestReportStats(unittest.TestCase):
    """gehoord report-stats on a database with made-up report rows (the
    command reads only the clear columns, so rows without keys or
    messages are enough)."""

    DAY_2024 = 19723    # 2024-01-01

    def setUp(self):
        import sqlite3
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        c = sqlite3.connect(self.db)
        forms = ["pesten"] * 30 + ["discriminatie"] * 12 + \
            ["vernedering"] * 3
        for i, form in enumerate(forms):
            status = 3 if i % 2 == 0 else 2
            if i in (5, 7):
                status = 4
            if i == 9:
                status = 5
            # Every report acknowledged and answered in time (the
            # deadline tables then add no small cell of their own).
            c.execute("INSERT INTO reports (id, received_day, status, "
                      "status_day, form, ground, measure, closed_day, "
                      "second_opinion_day, ack_day, feedback_day) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (os.urandom(16), self.DAY_2024 + i, status,
                       self.DAY_2024 + i, form,
                       "herkomst" if i < 20 else None,
                       ("warning" if i < 20 else "none") if status == 3
                       else None,
                       self.DAY_2024 + i if status == 3 else None,
                       self.DAY_2024 if i in (9, 11) else None,
                       self.DAY_2024 + i + 2, self.DAY_2024 + i + 30))
        # One in another year: not counted.
        c.execute("INSERT INTO reports (id, received_day, status, "
                  "status_day) VALUES (?, ?, 0, ?)",
                  (os.urandom(16), self.DAY_2024 - 1, self.DAY_2024 - 1))
        c.commit()
        c.close()

    def tearDown(self):
        harness.rmtree(self.tmp)

    def test_counts_below_k_never_published(self):
        import csv
        import json
        out = os.path.join(self.tmp, "stats")
        p = harness.run("report-stats", "--db", self.db, "--year", "2024",
                        "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("45 reports", p.stdout)
        with open(os.path.join(out, "report_stats.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        with open(os.path.join(out, "report_stats.json")) as f:
            js = json.load(f)
        self.assertEqual(js["k"], 10)
        self.assertEqual(len(js["cells"]), len(rows))
        cell = {(r["table"], r["category"]): r for r in rows}
        self.assertEqual(cell[("all", "reports")]["count"], "45")
        self.assertEqual(cell[("form", "pesten")]["count"], "30")
        self.assertEqual(cell[("form", "vernedering")]["flag"],
                         "suppressed_primary")
        self.assertEqual(cell[("summary", "withdrawn")]["flag"],
                         "suppressed_primary")
        self.assertEqual(cell[("summary", "second_opinion_requested")]
                         ["flag"], "suppressed_primary")
        for r in rows:
            if r["count"]:
                self.assertEqual(r["flag"], "published")
                n = int(r["count"])
                self.assertTrue(n == 0 or n >= 10, r)
            else:
                self.assertTrue(r["flag"].startswith("suppressed"), r)
        # One hidden cell in a table that adds up would be given away by
        # subtraction: every table with a suppressed cell has at least two.
        for table in ("form", "ground", "status", "measure"):
            hidden = [r for r in rows if r["table"] == table and
                      not r["count"]]
            self.assertNotEqual(len(hidden), 1, table)
        # Existing files are never overwritten.
        p = harness.run("report-stats", "--db", self.db, "--year", "2024",
                        "--out", out)
        self.assertEqual(p.returncode, 1)

    def test_k_below_minimum_refused(self):
        p = harness.run("report-stats", "--db", self.db, "--year", "2024",
                        "--out", os.path.join(self.tmp, "x"), "--k", "3")
        self.assertEqual(p.returncode, 3)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x")))


class TestScenario(DeskServerCase):
    """A reporter and the desk from report to aftercare (desk_util)."""
    extra = ("--signals-k", "5")

    def test_whole_scenario(self):
        from desk_util import run_scenario
        run_scenario(self, self.port, self.db)


class TestSecureCookieBehindProxy(DeskServerCase):
    extra = ("--behind-proxy",)

    def test_cookie_is_secure(self):
        r = Client(self.port).login("anna", DESK_PW)
        self.assertEqual(r.status, 303)
        self.assertIn("; Secure", r.header("Set-Cookie"))
        self.assertIsNotNone(r.header("Strict-Transport-Security"))


class TestCategoriesFollowMelding(unittest.TestCase):
    """The desk's category lists are the options of melding.json."""

    def test_lists_match(self):
        import json
        with open(os.path.join(harness.REPO_ROOT, "survey-defs",
                               "melding.json"), encoding="utf-8") as f:
            d = json.load(f)
        opts = {}
        for page in d["pages"]:
            for q in page.get("questions", []):
                opts[q["id"]] = [o["id"] for o in q.get("options", [])]
        for lang in ("nl", "en"):
            m = harness.load_messages(lang)
            for cat, qid in (("form", "vorm"), ("ground", "grond"),
                             ("unit", "cluster")):
                prefix = "desk.cat.%s." % cat
                keys = [k[len(prefix):] for k in m if k.startswith(prefix)]
                self.assertEqual(sorted(keys), sorted(opts[qid]),
                                 "%s (%s)" % (cat, lang))
