"""Accounts that end: gehoord user disable, enable and remove, against a
running server (its sessions end at the next request) and on disk (a
removed desk user's wrapped key is gone, the others still read reports).
"""

import os
import unittest

import harness
from desk_util import (Client, DESK_PW, DESK2_PW, RESEARCH_PW, Server,
                       file_report, report_ids, setup_desk, user_add)


def user(db, sub, name, *extra):
    return harness.run("user", sub, "--db", db, "--name", name, *extra)


class TestUserCommands(unittest.TestCase):
    """The commands on their own: help, errors, exit codes, the rows."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def rows(self):
        return harness.db_query(self.db, "SELECT name, is_disabled, "
                                "length(wrapped_key) FROM users "
                                "ORDER BY name")

    def test_help_and_usage(self):
        for sub in ("disable", "enable", "remove"):
            p = harness.run("user", sub, "--help")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("--name", p.stdout)
            p = harness.run("user", sub, "--db", self.db)
            self.assertEqual(p.returncode, 2, (sub, p.stderr))
            p = user(self.db, sub, "no/such")
            self.assertEqual(p.returncode, 2, (sub, p.stderr))
            self.assertIn("--name", p.stderr)
        p = harness.run("user", "--help")
        self.assertIn("disable|enable|remove", p.stdout)
        p = user(self.db, "disable", "anna", "--force")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(self.rows()[0][1], 0)

    def test_unknown_user(self):
        before = self.rows()
        for sub in ("disable", "enable", "remove"):
            p = user(self.db, sub, "nobody")
            self.assertEqual(p.returncode, 1, (sub, p.stderr))
            self.assertIn("no such user", p.stderr)
        self.assertEqual(self.rows(), before)

    def test_disable_enable_list(self):
        gen0 = harness.db_query(self.db, "SELECT gen FROM users WHERE "
                                "name = 'rita'")[0][0]
        p = user(self.db, "disable", "rita")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(("rita", 1, None), self.rows())
        gen1 = harness.db_query(self.db, "SELECT gen FROM users WHERE "
                                "name = 'rita'")[0][0]
        self.assertNotEqual(gen0, gen1)
        out = harness.run("user", "list", "--db", self.db).stdout
        self.assertIn("rita\tresearcher\tdisabled\n", out)
        self.assertIn("anna\tdesk\n", out)
        p = user(self.db, "enable", "rita")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(("rita", 0, None), self.rows())
        out = harness.run("user", "list", "--db", self.db).stdout
        self.assertIn("rita\tresearcher\n", out)

    def test_last_desk_user_needs_force(self):
        p = user(self.db, "remove", "anna")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("last desk user", p.stderr)
        self.assertIn("--force", p.stderr)
        self.assertIn(("anna", 0, 112), self.rows())
        p = user(self.db, "remove", "anna", "--force")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([r[0] for r in self.rows()], ["rita"])
        # A researcher goes without --force.
        p = user(self.db, "remove", "rita")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.rows(), [])

    def test_disabled_desk_user_cannot_vouch(self):
        self.assertEqual(user(self.db, "disable", "anna").returncode, 0)
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="anna", by_pw=DESK_PW)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("disabled", p.stderr)
        self.assertEqual(len(self.rows()), 2)


class TestRunningServer(unittest.TestCase):
    """Disable and remove while the server runs."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        p = user_add(self.db, self.tmp, "bert", "desk", DESK2_PW,
                     by="anna", by_pw=DESK_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server = Server(self.db, self.tmp).start()
        self.port = self.server.port

    def tearDown(self):
        self.server.stop()
        harness.rmtree(self.tmp)

    def logged_in(self, name, pw, start):
        c = Client(self.port)
        r = c.login(name, pw)
        self.assertEqual(r.status, 303, r.body[:300])
        r = c.get(start)
        self.assertEqual(r.status, 200)
        return c

    def test_disable_ends_the_session_at_once(self):
        marker = "report for the desk " + os.urandom(4).hex()
        file_report(self.port, marker)
        anna = self.logged_in("anna", DESK_PW, "/desk")
        other = self.logged_in("anna", DESK_PW, "/desk")
        bert = self.logged_in("bert", DESK2_PW, "/desk")
        rid = report_ids(anna.get("/desk").body)[0]
        self.assertIn(marker, anna.get("/desk/r/" + rid).body)
        p = user(self.db, "disable", "anna")
        self.assertEqual(p.returncode, 0, p.stderr)
        # The next request with the old cookie: to the login page.
        r = anna.get("/desk/r/" + rid)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/login"),
                        r.header("Location"))
        self.assertNotIn(marker, r.body)
        # Every session of hers is gone, a form too.
        r = other.post("/desk/r/%s/reply" % rid, {"text": "still here?"})
        self.assertEqual(r.status, 403)
        self.assertEqual(other.get("/desk").status, 303)
        # The session stays ended even when the account is enabled again.
        self.assertEqual(user(self.db, "enable", "anna").returncode, 0)
        self.assertEqual(anna.get("/desk").status, 303)
        self.assertEqual(user(self.db, "disable", "anna").returncode, 0)
        # She cannot log in; the page is the one of a wrong password.
        r = Client(self.port).login("anna", DESK_PW)
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.header("Set-Cookie"))
        # bert is not touched.
        self.assertIn(marker, bert.get("/desk/r/" + rid).body)
        # Enabled again: she logs in and reads.
        self.assertEqual(user(self.db, "enable", "anna").returncode, 0)
        anna = self.logged_in("anna", DESK_PW, "/desk")
        self.assertIn(marker, anna.get("/desk/r/" + rid).body)

    def test_remove_desk_user_and_researcher(self):
        marker = "report after a departure " + os.urandom(4).hex()
        file_report(self.port, marker)
        anna = self.logged_in("anna", DESK_PW, "/desk")
        rita = self.logged_in("rita", RESEARCH_PW, "/research")
        rid = report_ids(anna.get("/desk").body)[0]
        wrapped = harness.db_query(self.db, "SELECT wrapped_key FROM users "
                                   "WHERE name = 'anna'")[0][0]
        p = user(self.db, "remove", "anna")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("copy of the desk key", p.stdout)
        p = user(self.db, "remove", "rita")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(anna.get("/desk").status, 303)
        self.assertEqual(rita.get("/research").status, 303)
        self.assertEqual(Client(self.port).login("anna", DESK_PW).status,
                         401)
        self.assertEqual(Client(self.port).login("rita",
                                                 RESEARCH_PW).status, 401)
        self.assertEqual(harness.db_query(
            self.db, "SELECT name FROM users"), [("bert",)])
        # The desk key stays with bert: he reads the report.
        bert = self.logged_in("bert", DESK2_PW, "/desk")
        self.assertIn(marker, bert.get("/desk/r/" + rid).body)
        # bert is the last one now.
        p = user(self.db, "remove", "bert")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(bert.get("/desk").status, 200)
        # Her wrapped key is overwritten, not only unlinked (once the
        # server has closed the database and its log).
        self.server.stop()
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.assertNotIn(bytes(wrapped), f.read(), path)


class TestWrongRole(unittest.TestCase):
    """An account opening the other role's pages is told they are not
    theirs, in its own words, not as a form that was not sent."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.rmtree(cls.tmp)

    def test_researcher_opens_the_desk(self):
        c = Client(self.port)
        self.assertEqual(c.login("rita", RESEARCH_PW).status, 303)
        for lang in ("nl", "en"):
            msgs = harness.load_messages(lang)
            for path in ("/desk", "/desk/signals", "/desk/r/" + "00" * 16):
                r = c.get(path + "?lang=" + lang)
                self.assertEqual(r.status, 403, path)
                text = harness.page_text(r.body)
                self.assertIn(msgs["desk.role.heading"], text)
                self.assertIn(msgs["desk.role.text"], text)
                self.assertNotIn(msgs["desk.forbidden.text"], text)
        # Her own pages still open.
        self.assertEqual(c.get("/research").status, 200)

    def test_desk_user_opens_research(self):
        c = Client(self.port)
        self.assertEqual(c.login("anna", DESK_PW).status, 303)
        for lang in ("nl", "en"):
            msgs = harness.load_messages(lang)
            r = c.get("/research?lang=" + lang)
            self.assertEqual(r.status, 403)
            text = harness.page_text(r.body)
            self.assertIn(msgs["research.forbidden.heading"], text)
            self.assertIn(msgs["research.forbidden.text"], text)
            self.assertNotIn(msgs["desk.forbidden.text"], text)
        self.assertEqual(c.get("/desk").status, 200)

    def test_expired_form_keeps_its_own_refusal(self):
        """A desk form without a good token is still "not sent"."""
        c = Client(self.port)
        self.assertEqual(c.login("anna", DESK_PW).status, 303)
        c.get("/desk")
        r = c.post("/desk/r/%s/reply" % ("00" * 16), {"text": "x"},
                   csrf="A" * 43)
        self.assertEqual(r.status, 403)
        msgs = harness.load_messages("nl")
        self.assertIn(msgs["desk.forbidden.text"], harness.page_text(r.body))


if __name__ == "__main__":
    unittest.main()
