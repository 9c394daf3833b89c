"""The routing table (server/http/router.h) against the real server.

The table is read from the unit test binary next to $GEHOORD_BIN
(`test_http_router --list`), so a row added to the table is checked here
without editing this file: every page and every POST action of the desk
and the reporter has its own row (a path with "{id}" stands for any
report id). For every row:
  - a method the row does not accept gets 404;
  - a row behind a session refuses every method without one (303 to
    /login, or 403), and refuses a session of the wrong role (403);
  - a POST that wants the session's CSRF token is refused (403) with the
    right session and no token, or a wrong one;
  - POST /login without the login form's token is refused (403).
The right session with its token, or a GET of the area's page, is
accepted: the refusals above are about the protection, not the path.
"""

import os
import subprocess
import unittest

import harness
from desk_util import (DESK_PW, RESEARCH_PW, Client, Server, post_login,
                       setup_desk)

LISTER = os.path.join(os.path.dirname(harness.BIN), "test_http_router")


def routes():
    """The table as dicts: methods, path, match, role, csrf."""
    p = subprocess.run([LISTER, "--list"], capture_output=True, text=True,
                       timeout=harness.CLI_TIMEOUT, check=True)
    rows = []
    for line in p.stdout.splitlines():
        methods, path, match, role, csrf = line.split()
        rows.append({"methods": methods.split(","), "path": path,
                     "match": match, "role": role, "csrf": csrf})
    return rows


def sample(row):
    """A path the row matches (an id no report has)."""
    if row["match"] == "prefix":
        return row["path"] + "x"
    if row["match"] == "id":
        return row["path"].replace("{id}", "0" * 32)
    return row["path"]


class TestRoutes(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rows = routes()
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def client(self, name, pw, home):
        c = Client(self.port)
        r = c.login(name, pw)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(c.get(home).status, 200)	# also reads the token
        return c

    def sessions(self):
        return {"desk": self.client("anna", DESK_PW, "/desk"),
                "researcher": self.client("rita", RESEARCH_PW,
                                          "/research")}

    def send(self, method, path, client=None, csrf=False):
        if client is not None:
            if method == "GET":
                return client.get(path)
            return client.post(path, {"action": "x"}, csrf=csrf)
        if method == "GET":
            return harness.get(self.port, path)
        return harness.post(self.port, path, {"action": "x"})

    def test_table_is_read(self):
        paths = [r["path"] for r in self.rows]
        for p in ("/s/", "/login", "/logout", "/desk", "/desk/", "/melden",
                  "/research", "/research/", "/", "/desk/signals",
                  "/desk/r/{id}", "/desk/r/{id}/reply",
                  "/desk/r/{id}/status", "/desk/r/{id}/category",
                  "/desk/r/{id}/aftercare", "/melden/volg",
                  "/melden/opgeslagen", "/melden/bevestiging",
                  "/melden/key", "/melden/l/"):
            self.assertIn(p, paths)
        for r in self.rows:
            self.assertIn(r["match"], ("exact", "prefix", "id"))

    def test_other_methods_get_404(self):
        for row in self.rows:
            for method in ("GET", "POST"):
                if method in row["methods"]:
                    continue
                with self.subTest(method=method, path=row["path"]):
                    r = self.send(method, sample(row))
                    self.assertEqual(r.status, 404)

    def test_protected_routes_refuse_without_a_session(self):
        n = 0
        for row in self.rows:
            if row["role"] == "public":
                continue
            for method in row["methods"]:
                with self.subTest(method=method, path=row["path"]):
                    r = self.send(method, sample(row))
                    self.assertIn(r.status, (303, 403), r.body)
                    if r.status == 303:
                        self.assertTrue(r.header("Location")
                                        .startswith("/login"))
                    n += 1
        self.assertGreaterEqual(n, 6)

    def test_protected_routes_refuse_the_other_role(self):
        s = self.sessions()
        for row in self.rows:
            if row["role"] not in s:
                continue
            other = s["desk" if row["role"] == "researcher" else
                      "researcher"]
            for method in row["methods"]:
                with self.subTest(method=method, path=row["path"]):
                    r = self.send(method, sample(row), other, csrf=True)
                    self.assertEqual(r.status, 403, r.body)

    def test_posts_refuse_without_the_csrf_token(self):
        s = self.sessions()
        n = 0
        for row in self.rows:
            if row["csrf"] != "session" or "POST" not in row["methods"]:
                continue
            for name, c in s.items():
                if row["role"] not in (name, "session"):
                    continue
                for csrf in (False, "A" * 43):
                    with self.subTest(path=row["path"], who=name,
                                      csrf=csrf):
                        r = self.send("POST", sample(row), c, csrf=csrf)
                        self.assertEqual(r.status, 403, r.body)
                        n += 1
        self.assertGreaterEqual(n, 6)
        # Still signed in: the refusals ended no session.
        self.assertEqual(s["desk"].get("/desk").status, 200)
        self.assertEqual(s["researcher"].get("/research").status, 200)

    def test_the_right_token_is_accepted(self):
        c = self.sessions()["desk"]
        r = c.post("/logout", {})
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/login"))

    def test_desk_actions_pass_with_the_token(self):
        """With the session's token a desk action reaches its handler:
        an id no report has is 404, not the 403 of a refusal."""
        c = self.sessions()["desk"]
        n = 0
        for row in self.rows:
            if row["role"] != "desk" or row["match"] != "id" or \
                    "POST" not in row["methods"]:
                continue
            with self.subTest(path=row["path"]):
                r = c.post(sample(row), {"text": "x"}, csrf=True)
                self.assertEqual(r.status, 404, r.body)
                n += 1
        self.assertEqual(n, 8)

    def test_login_refuses_without_its_form_token(self):
        for row in self.rows:
            if row["csrf"] != "login":
                continue
            with self.subTest(path=row["path"]):
                r = harness.post(self.port, row["path"],
                                 {"name": "anna", "password": DESK_PW})
                self.assertEqual(r.status, 403)
                r = post_login(self.port, {"name": "anna",
                                           "password": DESK_PW})
                self.assertEqual(r.status, 303)


if __name__ == "__main__":
    unittest.main()
