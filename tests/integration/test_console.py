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
import re
import shutil
import sqlite3
import subprocess
import time
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
        cls.defs = os.path.join(cls.tmp, "defs")
        os.mkdir(cls.defs)
        shutil.copy(harness.DEMO_DEF, os.path.join(cls.defs, "demo.json"))
        with open(os.path.join(cls.defs, "broken.json"), "w") as f:
            f.write("{\"not\": \"a survey\"}")
        cls.server = Server(cls.db, cls.tmp,
                            extra=["--survey-defs", cls.defs]).start()
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
                  "/console/wave/close", "/console/wave/create",
                  "/console/wave/schedule", "/console/participation",
                  "/console/units"):
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

    def test_close_stops_walks_at_once(self):
        # The steps of a walk trust the wave's row for up to a second;
        # the console's close and open reach them at once.
        peer = os.path.join(harness.REPO_ROOT, "tests", "bench",
                            "peer-3page.json")
        wave = harness.make_wave(self.db, self.key, definition=peer)
        tokens = harness.issue_tokens(self.db, wave, 10)
        welcome = harness.get(self.port, "/s/%s?lang=nl" % tokens[1])
        state = re.search(r'name="welcome" value="([^"]+)"', welcome.body)
        self.assertIsNotNone(state)
        start = [("lang", "nl"), ("welcome", state.group(1)),
                 ("nav", "start")]
        r = harness.post(self.port, "/s/" + tokens[0],
                         [("lang", "nl"), ("nav", "start")], follow=False)
        self.assertEqual(r.status, 303)
        step = r.header("Location")
        self.assertEqual(harness.get(self.port, step).status, 200)
        c = self.coordinator()
        r = c.post("/console/wave/close", {"wave": str(wave)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(harness.get(self.port, step).status, 410)
        r = harness.post(self.port, "/s/" + tokens[1], start, follow=False)
        self.assertEqual(r.status, 410)
        r = c.post("/console/wave/open", {"wave": str(wave)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(harness.get(self.port, step).status, 200)
        r = harness.post(self.port, "/s/" + tokens[1], start, follow=False)
        self.assertEqual(r.status, 303)

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

    # -- creating a wave ----------------------------------------------

    def create_fields(self, **kw):
        f = {"name": "created-%d" % time.monotonic_ns(),
             "instrument": "demo", "public_key": self.key.public_b64,
             "k": "10"}
        f.update(kw)
        return f

    def wave_rows(self):
        return harness.db_query(self.db, "SELECT id, name, k, def_json "
                                "FROM waves ORDER BY id")

    def test_instruments_offered_are_the_valid_definitions(self):
        page = self.coordinator().get("/console?lang=en").body
        self.assertIn('<option value="demo">demo</option>', page)
        self.assertNotIn("broken", page)

    def test_create_wave_from_an_instrument(self):
        c = self.coordinator()
        f = self.create_fields(k="7")
        r = c.post("/console/wave/create", f)
        self.assertEqual(r.status, 200, r.body)
        row = [w for w in self.wave_rows() if w[1] == f["name"]]
        self.assertEqual(len(row), 1)
        with open(harness.DEMO_DEF) as fh:
            self.assertEqual(row[0][3], fh.read())
        self.assertEqual(row[0][2], 7)
        a = self.audit()[-1]
        self.assertEqual(a[:3], ("cora", "wave_create",
                                 "%d %s (demo, k 7)" % (row[0][0],
                                                        f["name"])))
        self.assertIn(f["name"], c.get("/console").body)

    def test_create_refuses_bad_fields_and_changes_nothing(self):
        c = self.coordinator()
        before = (self.wave_rows(), self.audit())
        cases = (({"name": ""}, 422, "console.create.bad_name"),
                 ({"name": "x" * 101}, 422, "console.create.bad_name"),
                 ({"instrument": "broken"}, 422,
                  "console.create.bad_instrument"),
                 ({"instrument": "../demo"}, 422,
                  "console.create.bad_instrument"),
                 ({"public_key": "abc"}, 422, "console.create.bad_pk"),
                 ({"k": "ten"}, 422, "console.create.bad_k"),
                 ({"k": "4"}, 422, "console.create.low_k"),
                 ({"k": "0"}, 422, "console.create.low_k"),
                 ({"name": "inclusie-test"}, 409, "console.create.exists"))
        en = harness.load_messages("en")
        for fields, status, key in cases:
            with self.subTest(fields=fields):
                c.get("/console")
                r = c.post("/console/wave/create?lang=en",
                           dict(self.create_fields(**fields), lang="en"))
                self.assertEqual(r.status, status, r.body)
                self.assertIn(en[key], harness.page_text(r.body))
        self.assertEqual((self.wave_rows(), self.audit()), before)

    # -- scheduling ---------------------------------------------------

    def closed_wave(self):
        w = harness.make_wave(self.db, self.key, k=5)
        harness.run_ok("wave", "close", "--db", self.db, "--wave", str(w))
        return w

    def wave_open(self, w):
        return harness.db_query(self.db, "SELECT is_open FROM waves "
                                "WHERE id = ?", (w,))[0][0]

    def schedule(self, c, w, open_at="", close_at="", status=200):
        c.get("/console")
        r = c.post("/console/wave/schedule", {"wave": str(w),
                                              "open_at": open_at,
                                              "close_at": close_at})
        self.assertEqual(r.status, status, r.body)
        return r

    def wait_for(self, fn, seconds=15):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if fn():
                return True
            time.sleep(0.25)
        return fn()

    @staticmethod
    def local(t):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t))

    def test_schedule_in_the_past_is_carried_out_at_once(self):
        c = self.coordinator()
        w = self.closed_wave()
        self.schedule(c, w, open_at=self.local(time.time() - 3600))
        self.assertTrue(self.wait_for(lambda: self.wave_open(w) == 1))
        rows = harness.db_query(self.db, "SELECT open_at, close_at FROM "
                                "wave_schedule WHERE wave_id = ?", (w,))
        self.assertEqual(rows, [(None, None)])
        self.assertTrue(self.wait_for(lambda: any(
            a[1] == "wave_open_scheduled" and a[2].startswith("%d " % w)
            and a[0] == "cora" for a in self.audit())))

    def test_schedule_in_the_near_future_waits_for_its_time(self):
        c = self.coordinator()
        w = self.closed_wave()
        # Room for a slow machine (ASan, other tests at once) between the
        # POST and the first look, so that "not yet" is still true then.
        t_open = time.time() + 10
        t_close = t_open + 4
        self.schedule(c, w, open_at=self.local(t_open),
                      close_at=self.local(t_close))
        self.assertLess(time.time(), int(t_open), "the POST took too long")
        self.assertEqual(self.wave_open(w), 0)	# not yet
        page = c.get("/console?lang=en").body
        self.assertIn("opens " + self.local(t_open)[:16].replace("T", " "),
                      page)
        self.assertTrue(self.wait_for(lambda: self.wave_open(w) == 1, 30))
        self.assertGreaterEqual(time.time(), int(t_open))
        self.assertTrue(self.wait_for(lambda: self.wave_open(w) == 0, 30))
        self.assertGreaterEqual(time.time(), int(t_close))
        acts = [a[1] for a in self.audit() if a[2].startswith("%d " % w)]
        self.assertEqual(acts, ["wave_schedule", "wave_open_scheduled",
                                "wave_close_scheduled"])

    def test_bad_schedule_is_refused_and_changes_nothing(self):
        c = self.coordinator()
        w = self.closed_wave()
        before = self.audit()
        for o, cl in (("tomorrow", ""), ("2027-02-30T10:00", ""),
                      ("", "2027-01-01"),
                      ("2027-03-02T10:00", "2027-03-01T10:00")):
            with self.subTest(open_at=o, close_at=cl):
                r = self.schedule(c, w, o, cl, status=422)
                self.assertIn('role="alert"', r.body)
        self.assertEqual(self.audit(), before)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM wave_schedule WHERE wave_id = ?",
            (w,))[0][0], 0)

    # -- units ----------------------------------------------------------

    def units(self):
        return harness.db_query(self.db, "SELECT name, head_count FROM "
                                "org_units ORDER BY name")

    def test_units_upload_replaces_the_list(self):
        c = self.coordinator()
        c.get("/console/units")
        r = c.post("/console/units", {"csv": "eenheid;aantal\r\n"
                                      "Directie X/Afdeling Y;42\r\n"
                                      "\r\n"
                                      "Directie X,7\r\n"
                                      "\"Bureau, met komma\";3\r\n"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.units(), [("Bureau, met komma", 3),
                                        ("Directie X", 7),
                                        ("Directie X/Afdeling Y", 42)])
        self.assertIn("Directie X/Afdeling Y", r.body)
        self.assertEqual(self.audit()[-1][:3],
                         ("cora", "units_upload", "3"))
        r = c.post("/console/units", {"csv": "Directie Z,5\n"})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.units(), [("Directie Z", 5)])

    def test_units_problems_name_their_lines_and_change_nothing(self):
        c = self.coordinator()
        c.get("/console/units")
        c.post("/console/units", {"csv": "Bestaand,1\n"})
        before = (self.units(), self.audit())
        en = harness.load_messages("en")
        csv = ("naam,aantal\n"            # 1: column names, skipped
               "Goed/Ook goed,10\n"       # 2
               "Geen aantal\n"            # 3
               "Directie X//Y,4\n"        # 4
               "Directie X,veel\n"        # 5
               "Goed/Ook goed,3\n"        # 6: same as line 2
               ",5\n"                     # 7
               "Directie /Y,2\n")         # 8
        r = c.post("/console/units", {"csv": csv, "lang": "en"})
        self.assertEqual(r.status, 422, r.body)
        text = harness.page_text(r.body)
        for line, key in ((3, "no_count"), (4, "level"), (5, "count"),
                          (6, "duplicate"), (7, "no_name"), (8, "level")):
            msg = en["console.units.err." + key].replace("{other}", "2")
            want = en["console.units.line"].replace("{line}", str(line)) \
                + msg
            self.assertIn(want, text)
        self.assertNotIn("Line 2:", text)
        self.assertIn('role="alert"', r.body)
        self.assertIn("Geen aantal", r.body)       # the text is kept
        self.assertEqual((self.units(), self.audit()), before)
        r = c.post("/console/units", {"csv": "", "lang": "en"})
        self.assertEqual(r.status, 422, r.body)
        r = c.post("/console/units", {"csv": "".join(
            "x%d\n" % i for i in range(30)), "lang": "en"})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn(en["console.units.more"].replace("{n}", "10"),
                      harness.page_text(r.body))
        self.assertEqual((self.units(), self.audit()), before)

    # -- the same on the command line -----------------------------------

    def test_cli_schedule_is_carried_out_and_audit_printed(self):
        w = self.closed_wave()
        p = harness.run("console", "schedule", "--db", self.db, "--wave",
                        str(w), "--open-at",
                        self.local(time.time() - 60)[:16], "--by", "cora")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(self.wait_for(lambda: self.wave_open(w) == 1))
        out = harness.run_ok("console", "audit", "--db", self.db)
        lines = [ln.split("\t") for ln in out.splitlines()]
        self.assertIn(["cora", "wave_open_scheduled"],
                      [ln[1:3] for ln in lines if ln[3].startswith(
                          "%d " % w)])
        self.assertIn(["cora", "wave_schedule", str(w)],
                      [ln[1:4] for ln in lines])

    def test_cli_refuses_bad_times_and_unknown_waves(self):
        w = self.closed_wave()
        before = self.audit()
        for args, rc in ((["--wave", str(w), "--open-at", "soon"], 2),
                         (["--wave", str(w), "--open-at",
                           "2027-03-02T10:00", "--close-at",
                           "2027-03-01T10:00"], 2),
                         (["--wave", "999999", "--open-at",
                           "2027-03-02T10:00"], 1)):
            with self.subTest(args=args):
                p = harness.run("console", "schedule", "--db", self.db,
                                "--by", "cora", *args)
                self.assertEqual(p.returncode, rc, p.stderr)
                self.assertTrue(p.stderr.strip())
        self.assertEqual(self.audit(), before)
        self.assertEqual(harness.run("console", "audit", "--help")
                         .returncode, 0)


class TestConsoleParticipation(unittest.TestCase):
    """Links spent per unit: counted in memory while serving (the file
    holds no per-unit count while answers come in), written at shutdown
    (and once a day), and shown only for a unit with at least k spent:
    a unit at k-1 is not listed, one at k is."""

    K = 5

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        self.assertEqual(user_add(self.db, self.tmp, "cora", "coordinator",
                                  COORD_PW).returncode, 0)
        key = harness.make_key(self.tmp)
        self.wave = harness.make_wave(self.db, key, name="deelname",
                                      k=self.K)
        self.a = harness.issue_tokens(self.db, self.wave, 10,
                                      unit="Afdeling A")
        self.b = harness.issue_tokens(self.db, self.wave, 10,
                                      unit="Afdeling B")

    def tearDown(self):
        harness.rmtree(self.tmp)

    def rows(self):
        return harness.db_query(self.db, "SELECT unit, spent, day FROM "
                                "unit_participation ORDER BY unit")

    def page(self, port):
        c = Client(port)
        self.assertEqual(c.login("cora", COORD_PW).status, 303)
        r = c.get("/console/participation?lang=en")
        self.assertEqual(r.status, 200, r.body)
        return r.body

    def test_counted_in_memory_written_at_shutdown_shown_from_k(self):
        en = harness.load_messages("en")
        srv = Server(self.db, self.tmp).start()
        try:
            for t in self.a[:self.K - 1] + self.b[:self.K]:
                r = harness.submit(srv.port, t, harness.VALID_ANSWER)
                self.assertEqual(r.status, 200, r.body)
            self.assertEqual(harness.answers_count(self.db), 2 * self.K - 1)
            # Nothing per unit is in the file while answers come in.
            self.assertEqual(self.rows(), [])
            text = self.page(srv.port)
            self.assertIn(en["console.part.none"], text)
            self.assertNotIn("Afdeling", text)
        finally:
            self.assertEqual(srv.stop(), 0, srv.stderr())
        today = harness.db_query(self.db, "SELECT CAST(strftime('%s', "
                                 "'now') AS INTEGER) / 86400")[0][0]
        self.assertEqual(self.rows(), [("Afdeling A", self.K - 1, today),
                                       ("Afdeling B", self.K, today)])
        srv = Server(self.db, self.tmp).start()
        try:
            text = self.page(srv.port)
            # With a head count uploaded, the share is of the head count.
            c = Client(srv.port)
            c.login("cora", COORD_PW)
            c.get("/console/units")
            self.assertEqual(c.post("/console/units", {
                "csv": "Afdeling B,20\nAfdeling A,10\n"}).status, 200)
            with_head = c.get("/console/participation?lang=en").body
        finally:
            self.assertEqual(srv.stop(), 0, srv.stderr())
        self.assertIn("Afdeling B", text)		# k spent: shown
        self.assertIn('<th scope="row">Afdeling B</th><td>10</td>'
                      '<td>not uploaded</td><td>5</td><td>50 %</td>', text)
        self.assertIn('<th scope="row">Afdeling B</th><td>10</td>'
                      '<td>20</td><td>5</td><td>25 %</td>', with_head)
        self.assertNotIn("Afdeling A", with_head)
        self.assertNotIn("Afdeling A", text)		# k - 1: not shown
        self.assertIn(en["console.part.hidden"].replace("{n}", "1"), text)
        self.assertIn(en["console.part.why"], text)
        # A restart with nothing new adds nothing.
        self.assertEqual([r[1] for r in self.rows()], [self.K - 1, self.K])


# The users table as schema versions 6 to 8 had it (before coordinators).
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

    def to_version_8(self):
        """Writes the rows that refer to users, then takes the file back
        to schema version 8, the one before coordinators (foreign keys
        off, so nothing cascades)."""
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
            c.execute("DROP TABLE wave_schedule")
            c.execute("DROP TABLE unit_participation")
            c.execute("DROP TABLE org_units")
            c.execute("DROP TABLE IF EXISTS account_proposals")
            c.execute("DROP TABLE IF EXISTS instance_settings")
            c.execute("ALTER TABLE report_attachments DROP COLUMN seq")
            c.execute("DROP TABLE IF EXISTS test_links")
            c.execute(USERS_V6)
            c.execute("INSERT INTO users_v6 SELECT * FROM users")
            c.execute("DROP TABLE users")
            c.execute("ALTER TABLE users_v6 RENAME TO users")
            c.execute("PRAGMA user_version = 8")
            c.commit()
        finally:
            c.close()

    def kept(self):
        return [sorted(harness.db_query(self.db, q)) for q in self.KEPT]

    def test_rows_that_refer_to_users_survive_the_migration(self):
        self.serve_once(self.make_rows)
        self.to_version_8()
        before = self.kept()
        self.assertTrue(all(before), before)
        self.assertIsNotNone(before[3][0][0])
        self.serve_once()
        self.assertGreater(harness.db_query(
            self.db, "PRAGMA user_version")[0][0], 8)
        self.assertEqual(self.kept(), before)
        self.assertEqual(harness.db_query(
            self.db, "PRAGMA foreign_key_check"), [])
        self.assertEqual(user_add(self.db, self.tmp, "cora2", "coordinator",
                                  COORD_PW).returncode, 0)


if __name__ == "__main__":
    unittest.main()
