"""Accounts in the coordinator's console (/console/accounts), against the
real server and database.

Every accounts action is refused without a session, to a desk user and a
researcher, and to a coordinator without the session's CSRF token, and
changes nothing. A coordinator adds a researcher, a reviewer and a desk
user (the desk user only with an existing desk user's password, as
`gehoord user add --by` asks); the initial password is shown once and
works at /login. Bad input is 422 with the field named and nothing
stored. A new coordinator needs two coordinators: the proposer cannot
confirm their own proposal, another can, and a proposal can be
withdrawn. A disabled user cannot log in and their session ends; a
removal asks first, then the account is gone. No coordinator disables
or removes themselves. Every action is in the audit log. The CLI keeps
the last active coordinator too and writes its changes to the same log.
"""

import html
import re
import unittest

import harness
from desk_util import (DESK_PW, RESEARCH_PW, Client, Server, setup_desk,
                       user_add)

CORA_PW = "coordinator password of cora, long"
BEA_PW = "coordinator password of bea, long"
PW_RE = re.compile(r'id="shown-pw" type="text" readonly value="([^"]+)"')
ACTIONS = ("/console/accounts/add", "/console/accounts/disable",
           "/console/accounts/enable", "/console/accounts/remove",
           "/console/accounts/propose", "/console/accounts/confirm",
           "/console/accounts/withdraw")


class TestConsoleAccounts(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        for name, pw in (("cora", CORA_PW), ("bea", BEA_PW)):
            p = user_add(cls.db, cls.tmp, name, "coordinator", pw)
            if p.returncode != 0:
                raise AssertionError("user add %s: %s" % (name, p.stderr))
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port
        cls.addr = 10

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def client(self):
        # Each client its own address: failed logins count per address.
        TestConsoleAccounts.addr += 1
        return Client(self.port, source_address=("127.0.0.%d" % self.addr,
                                                 0))

    def login(self, name, pw):
        c = self.client()
        r = c.login(name, pw)
        return c, r

    def coordinator(self, name="cora", pw=CORA_PW):
        c, r = self.login(name, pw)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(c.get("/console/accounts").status, 200)
        return c

    def users(self):
        return harness.db_query(self.db, "SELECT name, role, is_disabled "
                                "FROM users ORDER BY name")

    def proposals(self):
        return harness.db_query(self.db, "SELECT name, proposed_by FROM "
                                "account_proposals ORDER BY name")

    def audit(self):
        return harness.db_query(self.db, "SELECT user_name, action, object "
                                "FROM console_audit ORDER BY id")

    def state(self):
        return (self.users(), self.proposals(), self.audit())

    def shown_password(self, r):
        m = PW_RE.search(r.body)
        self.assertIsNotNone(m, r.body)
        return html.unescape(m.group(1))

    def add(self, c, name, role, **extra):
        c.get("/console/accounts")
        return c.post("/console/accounts/add", dict(name=name, role=role,
                                                    **extra))

    def test_actions_refused_without_role_or_token(self):
        self.add(self.coordinator(), "victim", "researcher")
        fields = {"name": "victim", "role": "researcher", "confirm": "yes"}
        before = self.state()
        desk, _ = self.login("anna", DESK_PW)
        desk.get("/desk")
        research, _ = self.login("rita", RESEARCH_PW)
        research.get("/research")
        for path in ACTIONS:
            with self.subTest(path=path, who="nobody"):
                r = harness.post(self.port, path, fields)
                self.assertEqual(r.status, 403, r.body)
            for who, c in (("desk", desk), ("researcher", research)):
                with self.subTest(path=path, who=who):
                    self.assertEqual(c.post(path, fields).status, 403)
        r = harness.get(self.port, "/console/accounts")
        self.assertEqual(r.status, 303)
        self.assertEqual(desk.get("/console/accounts").status, 403)
        c = self.coordinator()
        for path in ACTIONS:
            for csrf in (False, "A" * 43):
                with self.subTest(path=path, csrf=csrf):
                    self.assertEqual(c.post(path, fields, csrf=csrf).status,
                                     403)
        self.assertEqual(self.state(), before)

    def test_add_researcher_and_reviewer_shows_password_once(self):
        c = self.coordinator()
        for name, role in (("rob", "researcher"), ("vera", "reviewer")):
            r = self.add(c, name, role)
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.header("Cache-Control"), "no-store")
            pw = self.shown_password(r)
            self.assertGreaterEqual(len(pw), 12)
            self.assertIn((name, role, 0), self.users())
            page = c.get("/console/accounts")
            self.assertIn(name, page.body)
            self.assertNotIn(pw, page.body)
            self.assertNotIn("$argon2id$", page.body)
            _, r = self.login(name, pw)
            self.assertEqual(r.status, 303, r.body)
            self.assertIn(("cora", "account_add", "%s (%s)" % (name, role)),
                          self.audit())

    def test_add_desk_user_needs_a_desk_users_password(self):
        c = self.coordinator()
        before = self.state()
        r = self.add(c, "dora", "desk")
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('href="#a-by"', r.body)
        r = self.add(c, "dora", "desk", by="anna",
                     by_password="not the password of anna")
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('href="#a-by-pw"', r.body)
        self.assertIn('value="dora"', r.body)
        self.assertEqual(self.state(), before)
        r = self.add(c, "dora", "desk", by="anna", by_password=DESK_PW)
        self.assertEqual(r.status, 200, r.body)
        pw = self.shown_password(r)
        d, r = self.login("dora", pw)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(d.get("/desk").status, 200)

    def test_bad_input_is_422_with_the_field_and_nothing_stored(self):
        c = self.coordinator()
        before = self.state()
        for name, role, field in (("", "researcher", "a-name"),
                                  ("no spaces", "researcher", "a-name"),
                                  ("x" * 65, "researcher", "a-name"),
                                  ("okname", "admin", "a-role"),
                                  ("okname", "coordinator", "a-role"),
                                  ("rita", "researcher", "a-name"),
                                  ("cora", "reviewer", "a-name")):
            with self.subTest(name=name, role=role):
                r = self.add(c, name, role)
                self.assertEqual(r.status, 422, r.body)
                self.assertIn('href="#%s"' % field, r.body)
                self.assertIn('id="%s"' % field, r.body)
                self.assertIn('aria-invalid="true"', r.body)
                self.assertNotIn('id="shown-pw"', r.body)
        c.get("/console/accounts")
        r = c.post("/console/accounts/propose", {"name": "bad name"})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('href="#p-name"', r.body)
        self.assertEqual(self.state(), before)

    def test_two_coordinators_add_a_coordinator(self):
        cora = self.coordinator()
        r = cora.post("/console/accounts/propose", {"name": "dirk"})
        self.assertEqual(r.status, 200, r.body)
        self.assertIn(("dirk", "cora"), self.proposals())
        self.assertNotIn("dirk", [u[0] for u in self.users()])
        self.assertIn("A coordinator other than cora must confirm",
                      harness.page_text(cora.get(
                          "/console/accounts?lang=en").body))
        r = cora.post("/console/accounts/confirm", {"name": "dirk"})
        self.assertEqual(r.status, 403, r.body)
        self.assertNotIn("dirk", [u[0] for u in self.users()])
        bea = self.coordinator("bea", BEA_PW)
        r = bea.post("/console/accounts/confirm", {"name": "dirk"})
        self.assertEqual(r.status, 200, r.body)
        pw = self.shown_password(r)
        self.assertIn(("dirk", "coordinator", 0), self.users())
        self.assertNotIn(("dirk", "cora"), self.proposals())
        _, r = self.login("dirk", pw)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(r.header("Location"), "/console")
        audit = self.audit()
        self.assertIn(("cora", "account_propose", "dirk (coordinator)"),
                      audit)
        self.assertIn(("bea", "account_confirm", "dirk (coordinator)"),
                      audit)

    def test_a_proposal_can_be_withdrawn(self):
        cora = self.coordinator()
        cora.post("/console/accounts/propose", {"name": "erik"})
        self.assertIn(("erik", "cora"), self.proposals())
        r = cora.post("/console/accounts/propose", {"name": "erik"})
        self.assertEqual(r.status, 422, r.body)
        r = cora.post("/console/accounts/withdraw", {"name": "erik"})
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn(("erik", "cora"), self.proposals())
        bea = self.coordinator("bea", BEA_PW)
        r = bea.post("/console/accounts/confirm", {"name": "erik"})
        self.assertEqual(r.status, 404, r.body)
        self.assertNotIn("erik", [u[0] for u in self.users()])
        self.assertIn(("cora", "account_withdraw", "erik (coordinator)"),
                      self.audit())

    def test_a_disabled_user_cannot_log_in(self):
        c = self.coordinator()
        pw = self.shown_password(self.add(c, "nina", "researcher"))
        nina, r = self.login("nina", pw)
        self.assertEqual(r.status, 303)
        self.assertEqual(nina.get("/research").status, 200)
        c.get("/console/accounts")
        r = c.post("/console/accounts/disable", {"name": "nina"})
        self.assertEqual(r.status, 200, r.body)
        self.assertIn(("nina", "researcher", 1), self.users())
        self.assertEqual(nina.get("/research").status, 303)
        _, r = self.login("nina", pw)
        self.assertNotEqual(r.status, 303)
        r = c.post("/console/accounts/enable", {"name": "nina"})
        self.assertEqual(r.status, 200, r.body)
        _, r = self.login("nina", pw)
        self.assertEqual(r.status, 303)
        audit = self.audit()
        self.assertIn(("cora", "account_disable", "nina (researcher)"),
                      audit)
        self.assertIn(("cora", "account_enable", "nina (researcher)"),
                      audit)

    def test_removal_asks_first_then_removes(self):
        c = self.coordinator()
        pw = self.shown_password(self.add(c, "otto", "reviewer"))
        c.get("/console/accounts")
        r = c.post("/console/accounts/remove", {"name": "otto"})
        self.assertEqual(r.status, 200, r.body)
        self.assertIn('name="confirm" value="yes"', r.body)
        self.assertIn("otto", [u[0] for u in self.users()])
        r = c.post("/console/accounts/remove", {"name": "otto",
                                                "confirm": "yes"})
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn("otto", [u[0] for u in self.users()])
        _, r = self.login("otto", pw)
        self.assertNotEqual(r.status, 303)
        self.assertIn(("cora", "account_remove", "otto (reviewer)"),
                      self.audit())
        r = c.post("/console/accounts/remove", {"name": "otto",
                                                "confirm": "yes"})
        self.assertEqual(r.status, 404, r.body)

    def test_no_coordinator_disables_or_removes_themselves(self):
        c = self.coordinator()
        before = self.state()
        for path in ("/console/accounts/disable", "/console/accounts/remove"):
            with self.subTest(path=path):
                c.get("/console/accounts")
                r = c.post(path, {"name": "cora", "confirm": "yes"})
                self.assertEqual(r.status, 403, r.body)
        self.assertEqual(self.state(), before)

    def test_last_desk_user_is_not_removed_here(self):
        c = self.coordinator()
        others = harness.db_query(self.db, "SELECT name FROM users WHERE "
                                  "role = 'desk' AND name != 'anna'")
        for (name,) in others:	# desk users other tests added
            r = c.post("/console/accounts/remove", {"name": name,
                                                    "confirm": "yes"})
            self.assertEqual(r.status, 200, r.body)
        before = self.state()
        r = c.post("/console/accounts/remove", {"name": "anna",
                                                "confirm": "yes"})
        self.assertEqual(r.status, 403, r.body)
        self.assertEqual(self.state(), before)


class TestCliAccounts(unittest.TestCase):
    """The CLI is the operator's: it adds a coordinator at once, keeps the
    last active coordinator, and writes each change to the audit log."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def test_cli_keeps_the_last_coordinator_and_audits(self):
        p = user_add(self.db, self.tmp, "cora", "coordinator", CORA_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        for sub in ("disable", "remove"):
            p = harness.run("user", sub, "--db", self.db, "--name", "cora")
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("last active coordinator", p.stderr)
        p = user_add(self.db, self.tmp, "bea", "coordinator", BEA_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = harness.run("user", "disable", "--db", self.db, "--name", "cora")
        self.assertEqual(p.returncode, 0, p.stderr)
        audit = harness.db_query(self.db, "SELECT user_name, action, "
                                 "object FROM console_audit ORDER BY id")
        self.assertEqual(audit, [
            ("(shell)", "account_add", "cora (coordinator)"),
            ("(shell)", "account_add", "bea (coordinator)"),
            ("(shell)", "account_disable", "cora (coordinator)")])


if __name__ == "__main__":
    unittest.main()
