"""The coordinator's console (/console) against the real server.

Every row of the routing table under /console (read from the unit test
binary next to $GEHOORD_BIN, as test_routes.py does, so a row added later
is walked too) is refused without a session (303 to /login, or 403), to
a desk user, a researcher and a reviewer-less other role (403), and, for
a POST, to a coordinator without the session's CSRF token or with a
wrong one (403); each refusal changes nothing. A coordinator opens and
closes a wave; the change is in the database, and the audit log (table
and page) names who did what on which day and nothing about respondents.
"""

import os
import sqlite3
import subprocess
import unittest

import harness
from desk_util import (DESK_PW, RESEARCH_PW, Client, Server, file_report,
                       report_ids, setup_desk, user_add)

LISTER = os.path.join(os.path.dirname(harness.BIN), "test_http_router")
COORD_PW = "coordinator password of cora, long"


def console_rows():
    p = subprocess.run([LISTER, "--list"], capture_output=True, text=True,
                       timeout=harness.CLI_TIMEOUT, check=True)
    rows = []
    for line in p.stdout.splitlines():
        methods, path, match, role, csrf = line.split()
        if path.startswith("/console"):
            rows.append({"methods": methods.split(","), "path": path,
                         "role": role, "csrf": csrf})
    return rows


class TestConsole(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rows = console_rows()
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "cora", "coordinator", COORD_PW)
        if p.returncode != 0:
            raise AssertionError("user add cora: %s" % p.stderr)
        cls.key = harness.make_key(cls.tmp)
        cls.wave = harness.make_wave(cls.db, cls.key, name="inclusie-test",
                                     k=5)
        harness.issue_tokens(cls.db, cls.wave, 7)
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def login(self, name, pw):
        c = Client(self.port)
        r = c.login(name, pw)
        self.assertEqual(r.status, 303, r.body)
        return c, r.header("Location")

    def coordinator(self):
        c, home = self.login("cora", COORD_PW)
        self.assertEqual(home, "/console")
        self.assertEqual(c.get("/console").status, 200)	# reads the token
        return c

    def is_open(self):
        return harness.db_query(self.db, "SELECT is_open FROM waves "
                                "WHERE id = ?", (self.wave,))[0][0]

    def audit(self):
        return harness.db_query(self.db, "SELECT user_name, action, "
                                "object, day FROM console_audit "
                                "ORDER BY id")

    def send(self, client, method, path, csrf=True):
        fields = {"wave": str(self.wave)}
        if client is None:
            if method == "GET":
                return harness.get(self.port, path)
            return harness.post(self.port, path, fields)
        if method == "GET":
            return client.get(path)
        return client.post(path, fields, csrf=csrf)

    def test_every_console_row_is_a_coordinators_with_a_token(self):
        paths = [r["path"] for r in self.rows]
        for p in ("/console", "/console/audit", "/console/wave/open",
                  "/console/wave/close"):
            self.assertIn(p, paths)
        for r in self.rows:
            self.assertEqual(r["role"], "coordinator", r["path"])
            self.assertEqual(r["csrf"], "session", r["path"])

    def test_refused_without_a_session(self):
        before = (self.is_open(), self.audit())
        for row in self.rows:
            for method in row["methods"]:
                with self.subTest(method=method, path=row["path"]):
                    r = self.send(None, method, row["path"])
                    self.assertIn(r.status, (303, 403), r.body)
                    if r.status == 303:
                        self.assertTrue(r.header("Location")
                                        .startswith("/login"))
        self.assertEqual((self.is_open(), self.audit()), before)

    def test_refused_to_the_other_roles(self):
        before = (self.is_open(), self.audit())
        desk, _ = self.login("anna", DESK_PW)
        desk.get("/desk")
        research, _ = self.login("rita", RESEARCH_PW)
        research.get("/research")
        n = 0
        for who, c in (("desk", desk), ("researcher", research)):
            for row in self.rows:
                for method in row["methods"]:
                    with self.subTest(who=who, method=method,
                                      path=row["path"]):
                        r = self.send(c, method, row["path"])
                        self.assertEqual(r.status, 403, r.body)
                        n += 1
        self.assertGreaterEqual(n, 8)
        self.assertEqual((self.is_open(), self.audit()), before)

    def test_posts_refused_without_the_csrf_token(self):
        c = self.coordinator()
        before = (self.is_open(), self.audit())
        n = 0
        for row in self.rows:
            if "POST" not in row["methods"]:
                continue
            for csrf in (False, "A" * 43):
                with self.subTest(path=row["path"], csrf=csrf):
                    r = self.send(c, "POST", row["path"], csrf=csrf)
                    self.assertEqual(r.status, 403, r.body)
                    n += 1
        self.assertGreaterEqual(n, 4)
        self.assertEqual((self.is_open(), self.audit()), before)
        self.assertEqual(c.get("/console").status, 200)

    def test_close_and_open_are_done_and_audited(self):
        c = self.coordinator()
        n0 = len(self.audit())
        page = c.get("/console")
        self.assertIn("inclusie-test", page.body)
        self.assertIn("<td>7</td>", page.body)	# links issued
        r = c.post("/console/wave/close", {"wave": str(self.wave)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.is_open(), 0)
        r = c.post("/console/wave/open", {"wave": str(self.wave)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.is_open(), 1)
        rows = self.audit()[n0:]
        self.assertEqual([(u, a, o) for u, a, o, _ in rows],
                         [("cora", "wave_close",
                           "%d inclusie-test" % self.wave),
                          ("cora", "wave_open",
                           "%d inclusie-test" % self.wave)])
        today = harness.db_query(self.db, "SELECT CAST(strftime('%s', "
                                 "'now') AS INTEGER) / 86400")[0][0]
        self.assertTrue(all(d == today for *_, d in rows))
        page = c.get("/console/audit?lang=en")
        self.assertEqual(page.status, 200)
        self.assertIn("closed a wave", page.body)
        self.assertIn("opened a wave", page.body)

    def test_bad_wave_is_refused_and_changes_nothing(self):
        c = self.coordinator()
        before = (self.is_open(), self.audit())
        for value, status in (("", 400), ("x1", 400), ("0", 400),
                              ("-3", 400), ("999999", 404)):
            with self.subTest(wave=value):
                c.get("/console")
                r = c.post("/console/wave/close", {"wave": value})
                self.assertEqual(r.status, status, r.body)
                self.assertIn('role="alert"', r.body)
        self.assertEqual((self.is_open(), self.audit()), before)

    def test_audit_table_has_no_respondent_columns(self):
        cols = harness.table_columns(self.db, "console_audit")
        self.assertEqual(sorted(cols),
                         ["action", "day", "id", "object", "user_name"])


# The users table as schema version 6 had it (before coordinators).
USERS_V6 = """CREATE TABLE users_v6 (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('desk', 'researcher', 'reviewer')),
  pw_hash TEXT NOT NULL, wrapped_key BLOB, created_day INTEGER NOT NULL,
  is_disabled INTEGER NOT NULL DEFAULT 0 CHECK (is_disabled IN (0, 1)),
  gen INTEGER NOT NULL DEFAULT 0,
  public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 32))"""


class TestConsoleMigration(unittest.TestCase):
    """The migration that admits coordinators rebuilds the users table;
    the rows that refer to users (read marks, reviewers' keys, note
    authors, assignees) must come through it unchanged, although
    dropping the old table runs their ON DELETE actions."""

    KEPT = ("SELECT user_id, hex(report_id), seq FROM report_reads",
            "SELECT user_id, hex(report_id), hex(sealed_key) "
            "FROM report_reviews",
            "SELECT user_id, hex(report_id), seq FROM report_notes",
            "SELECT assigned_to, hex(id) FROM reports")

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        for name, role in (("bert", "reviewer"), ("cora", "coordinator")):
            self.assertEqual(user_add(self.db, self.tmp, name, role,
                                      COORD_PW).returncode, 0)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def serve_once(self, fn=None):
        srv = Server(self.db, self.tmp).start()
        try:
            if fn is not None:
                fn(srv.port)
        finally:
            rc = srv.stop()
        self.assertEqual(rc, 0, srv.stderr())

    def make_rows(self, port):
        file_report(port, "a report for the migration test")
        desk = Client(port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        rid = report_ids(desk.get("/desk").body)[0]
        self.assertEqual(desk.get("/desk/r/" + rid).status, 200)
        self.rid = rid

    def to_version_6(self):
        """Writes the rows that refer to users, then takes the file back
        to schema version 6 (foreign keys off, so nothing cascades)."""
        c = sqlite3.connect(self.db)
        try:
            ids = dict(c.execute("SELECT name, id FROM users"))
            c.execute("INSERT INTO report_reviews VALUES (?, ?, 1, ?)",
                      (bytes.fromhex(self.rid), ids["bert"], b"k" * 80))
            c.execute("INSERT INTO report_notes VALUES (?, 1, ?, 1, ?)",
                      (bytes.fromhex(self.rid), ids["anna"], b"n" * 40))
            c.execute("UPDATE reports SET assigned_to = ?", (ids["anna"],))
            c.execute("DELETE FROM users WHERE role = 'coordinator'")
            c.execute("DROP TABLE console_audit")
            c.execute(USERS_V6)
            c.execute("INSERT INTO users_v6 SELECT * FROM users")
            c.execute("DROP TABLE users")
            c.execute("ALTER TABLE users_v6 RENAME TO users")
            c.execute("PRAGMA user_version = 6")
            c.commit()
        finally:
            c.close()

    def kept(self):
        return [sorted(harness.db_query(self.db, q)) for q in self.KEPT]

    def test_rows_that_refer_to_users_survive_the_migration(self):
        self.serve_once(self.make_rows)
        self.to_version_6()
        before = self.kept()
        self.assertTrue(all(before), before)
        self.assertIsNotNone(before[3][0][0])
        self.serve_once()
        self.assertGreater(harness.db_query(
            self.db, "PRAGMA user_version")[0][0], 6)
        self.assertEqual(self.kept(), before)
        self.assertEqual(harness.db_query(
            self.db, "PRAGMA foreign_key_check"), [])
        self.assertEqual(user_add(self.db, self.tmp, "cora2", "coordinator",
                                  COORD_PW).returncode, 0)


if __name__ == "__main__":
    unittest.main()
