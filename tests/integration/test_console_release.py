"""Releases in the coordinator's console, against the real server.

The key holders work on a copy of the database (gehoord backup, with the
instance's release signing key beside it), as they would offline. The
coordinator downloads a release plan from /console/release/plan (the
standard plan of the instrument, from plans/ of --survey-defs, with only
the ticked tables), which `gehoord release --dry-run` and `gehoord
release` accept; the dry run's suppression pattern is shown as a grid
per table; the release's files are uploaded, checked against the
instance's release key (a changed byte or a missing signature: 422,
naming the file, nothing stored), kept pending (not on /research) and
published by a second action, after which a researcher sees it. Every
action is audited, and every row is refused without the coordinator's
session or without its CSRF token, changing nothing.
"""

import json
import os
import shutil
import sqlite3
import unittest
import uuid

import harness
from desk_util import (DESK_PW, RESEARCH_PW, Client, Server, setup_desk,
                       user_add)

COORD_PW = "coordinator password of cora, long"
PLAN = os.path.join(harness.REPO_ROOT, "survey-defs", "plans", "demo.json")
# Each row and the methods it takes (any other is 404).
ROWS = {"/console/release": ("GET",),
        "/console/release/plan": ("GET", "POST"),
        "/console/release/upload": ("POST",),
        "/console/release/publish": ("POST",),
        "/console/release/preview": ("POST",)}
FILES = ("MANIFEST", "MANIFEST.sig", "release-key.pub", "tables.csv",
         "tables.json", "codebook.json", "codebook.csv", "audit.json")


def multipart(fields, files):
    """fields: list of (name, value); files: list of (name, filename,
    bytes). Returns (body, content type)."""
    boundary = "----gehoord" + uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n" % (boundary, name)).encode() +
                   value.encode() + b"\r\n")
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: "
                    "application/octet-stream\r\n\r\n" %
                    (boundary, name, filename)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class TestConsoleRelease(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "cora", "coordinator", COORD_PW)
        if p.returncode != 0:
            raise AssertionError("user add cora: %s" % p.stderr)
        cls.key = harness.make_key(cls.tmp)
        cls.wave = harness.make_wave(cls.db, cls.key, name="najaar-test",
                                     k=5)
        tokens = harness.issue_tokens(cls.db, cls.wave, 12)
        cls.defs = os.path.join(cls.tmp, "defs")
        os.makedirs(os.path.join(cls.defs, "plans"))
        shutil.copy(harness.DEMO_DEF, os.path.join(cls.defs, "demo.json"))
        shutil.copy(PLAN, os.path.join(cls.defs, "plans", "demo.json"))
        cls.server = Server(cls.db, cls.tmp,
                            extra=["--survey-defs", cls.defs]).start()
        cls.port = cls.server.port
        for i, tok in enumerate(tokens):
            a = {"soort_werk": "beleid" if i < 2 else "beide",
                 "mezelf_zijn": "4", "veilig_uitspreken": "4"}
            r = harness.submit(cls.port, tok, a)
            if r.status != 200:
                raise AssertionError("submit: %d %s" % (r.status, r.body))
        cls.n_copy = 0

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        if os.environ.get("GH_DEBUG"):
            print(err)
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def coordinator(self):
        c = Client(self.port)
        r = c.login("cora", COORD_PW)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(c.get("/console/release").status, 200)
        return c

    def researcher(self):
        c = Client(self.port)
        self.assertEqual(c.login("rita", RESEARCH_PW).status, 303)
        return c

    def audit(self):
        return harness.db_query(self.db, "SELECT user_name, action, object "
                                "FROM console_audit ORDER BY id")

    def releases(self):
        return harness.db_query(self.db, "SELECT r.id, r.wave_id, "
                                "s.published_day FROM releases r LEFT JOIN "
                                "release_states s ON s.release_id = r.id "
                                "ORDER BY r.id")

    def plan_download(self, c, ticked):
        fields = {"wave": str(self.wave)}
        for i in ticked:
            fields["t%d" % i] = "1"
        return c.post("/console/release/plan", fields)

    def fresh_copy(self):
        """The key holders' copy (gehoord backup), with the release
        signing key beside it; a fresh one for each release, so that the
        releases of one test are not audited with another's."""
        type(self).n_copy += 1
        self.copy = os.path.join(self.tmp, "copy-%d.db" % self.n_copy)
        harness.run_ok("backup", "--db", self.db, "--out", self.copy)
        shutil.copy(self.db + ".release.sign", self.copy + ".release.sign")
        os.chmod(self.copy + ".release.sign", 0o600)
        # Without the other tests' releases, with which gehoord release
        # would audit this one (and may refuse a different plan).
        c = sqlite3.connect(self.copy)
        try:
            with c:
                for t in ("release_files", "release_states", "releases"):
                    c.execute("DELETE FROM " + t)
        finally:
            c.close()

    def release(self, plan_path, out, extra=()):
        """gehoord release on a fresh copy of the database."""
        self.fresh_copy()
        return harness.run("release", "--db", self.copy, "--wave",
                           str(self.wave), "--key", self.key.path,
                           "--passphrase-file", self.key.pass_file,
                           "--plan", plan_path, "--out", out, *extra)

    def made_release(self, name):
        c = self.coordinator()
        r = self.plan_download(c, [0, 1, 2])
        self.assertEqual(r.status, 200, r.body)
        plan_path = os.path.join(self.tmp, name + ".plan.json")
        with open(plan_path, "w") as f:
            f.write(r.body)
        out = os.path.join(self.tmp, name)
        p = self.release(plan_path, out)
        self.assertEqual(p.returncode, 0, p.stderr)
        return out

    def upload(self, c, files, csrf=True, wave=None):
        fields = [("wave", str(wave or self.wave)), ("lang", "en")]
        if csrf is True and c is not None:
            fields.append(("csrf", c.csrf))
        elif csrf and csrf is not True:
            fields.append(("csrf", csrf))
        body, ct = multipart(fields, files)
        h = {"Content-Type": ct}
        if c is not None and c.cookie:
            h["Cookie"] = "gh_session=" + c.cookie
        return harness.request(self.port, "POST", "/console/release/upload",
                               body=body, headers=h)

    @staticmethod
    def files_of(out, names=FILES):
        files = []
        for n in names:
            with open(os.path.join(out, n), "rb") as f:
                files.append(("files", n, f.read()))
        return files

    def test_plan_is_the_standard_plan_ticked_and_release_takes_it(self):
        c = self.coordinator()
        r = c.get("/console/release/plan?wave=%d&lang=en" % self.wave)
        self.assertEqual(r.status, 200, r.body)
        with open(PLAN) as f:
            std = json.load(f)
        for i, t in enumerate(std["tables"]):
            self.assertIn('name="t%d"' % i, r.body)
            self.assertIn("(%s)" % t["id"], r.body)
        self.assertIn("<dd>5</dd>", r.body)	# k
        before = self.audit()
        r = self.plan_download(c, [0, 2])
        self.assertEqual(r.status, 200, r.body)
        self.assertIn("attachment", r.header("Content-Disposition"))
        plan = json.loads(r.body)
        self.assertEqual([t["id"] for t in plan["tables"]],
                         [std["tables"][0]["id"], std["tables"][2]["id"]])
        self.assertEqual(plan["definition"], std["definition"])
        audit = self.audit()
        self.assertEqual(len(audit), len(before) + 1)
        self.assertEqual(audit[-1][:2], ("cora", "plan_download"))
        # The key holders' gehoord release takes it as it is.
        path = os.path.join(self.tmp, "ticked.plan.json")
        with open(path, "w") as f:
            f.write(r.body)
        out = os.path.join(self.tmp, "rel-ticked")
        p = self.release(path, out)
        self.assertEqual(p.returncode, 0, p.stderr[-600:])
        with open(os.path.join(out, "tables.json")) as f:
            tables = {row["table"] for row in json.load(f)["rows"]}
        self.assertEqual(tables, {t["id"] for t in plan["tables"]})

    def test_plan_with_no_table_ticked_is_422_and_not_audited(self):
        c = self.coordinator()
        before = self.audit()
        r = self.plan_download(c, [])
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('class="error-summary"', r.body)
        self.assertIn('href="#t0"', r.body)
        self.assertEqual(self.audit(), before)
        self.assertEqual(c.get("/console/release/plan?wave=999").status,
                         404)

    def test_an_instrument_without_a_standard_plan_says_so(self):
        other = harness.make_wave(
            self.db, self.key, name="zonder-plan", k=5,
            definition=os.path.join(harness.REPO_ROOT, "survey-defs",
                                    "ervaren-discriminatie-2026.json"))
        c = self.coordinator()
        r = c.get("/console/release/plan?wave=%d&lang=en" % other)
        self.assertEqual(r.status, 200, r.body)
        self.assertIn("has no standard plan", r.body)
        self.assertNotIn('type="checkbox"', r.body)
        before = self.audit()
        r = c.post("/console/release/plan", {"wave": str(other), "t0": "1"})
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(self.audit(), before)

    def test_dry_run_writes_only_the_pattern_and_the_console_shows_it(self):
        c = self.coordinator()
        r = self.plan_download(c, [0, 1])
        path = os.path.join(self.tmp, "dry.plan.json")
        with open(path, "w") as f:
            f.write(r.body)
        pattern = os.path.join(self.tmp, "pattern.json")
        p = self.release(path, pattern, extra=["--dry-run"])
        self.assertEqual(p.returncode, 0, p.stderr)
        # Nothing stored in the copy.
        self.assertEqual(harness.db_query(
            self.copy, "SELECT count(*) FROM releases"), [(0,)])
        with open(pattern, "rb") as f:
            data = f.read()
        pat = json.loads(data)
        self.assertEqual(pat["kind"], "suppression_pattern")
        self.assertEqual([t["id"] for t in pat["tables"]],
                         [t["id"] for t in json.loads(r.body)["tables"]])
        for t in pat["tables"]:
            for row in t["rows"]:
                self.assertEqual(len(row["suppressed"]), len(t["columns"]))
                self.assertTrue(all(isinstance(x, bool)
                                    for x in row["suppressed"]))
        self.assertNotIn("count", data.decode())
        body, ct = multipart([("csrf", c.csrf), ("lang", "en")],
                             [("pattern", "pattern.json", data)])
        h = {"Content-Type": ct, "Cookie": "gh_session=" + c.cookie}
        r = harness.request(self.port, "POST", "/console/release/preview",
                            body=body, headers=h)
        self.assertEqual(r.status, 200, r.body)
        self.assertIn("Table %s" % pat["tables"][0]["id"], r.body)
        self.assertIn('<th scope="col">', r.body)
        self.assertIn(">suppressed</td>", r.body)	# no answers: all
        body, ct = multipart([("csrf", c.csrf)],
                             [("pattern", "p.json", b"{\"format\": 1}")])
        h["Content-Type"] = ct
        r = harness.request(self.port, "POST", "/console/release/preview",
                            body=body, headers=h)
        self.assertEqual(r.status, 422, r.body)

    def test_upload_is_pending_until_published(self):
        out = self.made_release("rel-publish")
        c = self.coordinator()
        before = self.releases()
        r = self.upload(c, self.files_of(out))
        self.assertEqual(r.status, 200, r.body)
        after = self.releases()
        self.assertEqual(len(after), len(before) + 1)
        rid, wave, published = after[-1]
        self.assertEqual((wave, published), (self.wave, None))
        self.assertEqual(self.audit()[-1][:2], ("cora", "release_upload"))
        # Not on /research while pending.
        rc = self.researcher()
        lst = json.loads(rc.get("/research/api/releases").body)
        self.assertNotIn(rid, [x["id"] for x in lst["releases"]])
        self.assertEqual(rc.get("/research/r/%d" % rid).status, 404)
        self.assertEqual(rc.get("/research/api/r/%d" % rid).status, 404)
        self.assertEqual(rc.get("/research/r/%d/tables.csv" % rid).status,
                         404)
        # Published by a second action.
        r = c.post("/console/release/publish", {"release": str(rid)})
        self.assertEqual(r.status, 200, r.body)
        self.assertIsNotNone(self.releases()[-1][2])
        self.assertEqual(self.audit()[-1][:2], ("cora", "release_publish"))
        lst = json.loads(rc.get("/research/api/releases").body)
        self.assertIn(rid, [x["id"] for x in lst["releases"]])
        r = rc.get("/research/r/%d/tables.csv" % rid)
        self.assertEqual(r.status, 200)
        with open(os.path.join(out, "tables.csv"), "rb") as f:
            self.assertEqual(r.body, f.read().decode())
        r = c.post("/console/release/publish", {"release": str(rid)})
        self.assertEqual(r.status, 409, r.body)
        r = c.post("/console/release/publish", {"release": "99999"})
        self.assertEqual(r.status, 404, r.body)

    def test_tampered_or_unsigned_release_is_refused_storing_nothing(self):
        out = self.made_release("rel-tamper")
        c = self.coordinator()
        before = (self.releases(), self.audit())
        files = self.files_of(out)
        i = [f[1] for f in files].index("tables.csv")
        data = bytearray(files[i][2])
        data[-3] ^= 1
        files[i] = ("files", "tables.csv", bytes(data))
        r = self.upload(c, files)
        self.assertEqual(r.status, 422, r.body)
        self.assertIn("FAILED tables.csv", r.body)
        r = self.upload(c, self.files_of(out, [n for n in FILES
                                               if n != "MANIFEST.sig"]))
        self.assertEqual(r.status, 422, r.body)
        self.assertIn("MANIFEST.sig", r.body)
        r = self.upload(c, self.files_of(out, FILES[:-1]) +
                        [("files", "extra.txt", b"not listed")])
        self.assertEqual(r.status, 422, r.body)
        self.assertIn("FAILED extra.txt", r.body)
        self.assertIn("FAILED audit.json", r.body)	# listed, missing
        r = self.upload(c, [])
        self.assertEqual(r.status, 422, r.body)
        # Another wave than the release's.
        other = harness.make_wave(self.db, self.key, name="ander", k=5)
        r = self.upload(c, self.files_of(out), wave=other)
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual((self.releases(), self.audit()[:len(before[1])]),
                         before)
        self.assertEqual(self.audit(), before[1])

    def test_cli_upload_and_publish(self):
        out = self.made_release("rel-cli")
        bad = os.path.join(self.tmp, "rel-cli-bad")
        shutil.copytree(out, bad)
        with open(os.path.join(bad, "codebook.csv"), "ab") as f:
            f.write(b"x")
        before = (self.releases(), self.audit())
        args = ("console", "release-upload", "--db", self.db, "--wave",
                str(self.wave), "--by", "cora", "--dir")
        p = harness.run(*args, bad)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("FAILED codebook.csv", p.stdout)
        self.assertEqual((self.releases(), self.audit()), before)
        p = harness.run(*args, out)
        self.assertEqual(p.returncode, 0, p.stderr)
        rid, wave, published = self.releases()[-1]
        self.assertEqual((wave, published), (self.wave, None))
        self.assertEqual(self.audit()[-1][:2], ("cora", "release_upload"))
        pub = ("console", "release-publish", "--db", self.db, "--by",
               "cora", "--release", str(rid))
        self.assertEqual(harness.run(*pub).returncode, 0)
        self.assertIsNotNone(self.releases()[-1][2])
        self.assertEqual(self.audit()[-1][:2], ("cora", "release_publish"))
        self.assertEqual(harness.run(*pub).returncode, 1)

    def test_every_action_refused_without_role_or_token(self):
        out = self.made_release("rel-refuse")
        files = self.files_of(out)
        before = (self.releases(), self.audit())
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        res = self.researcher()
        fields = {"wave": str(self.wave), "t0": "1", "release": "1"}
        for path, methods in ROWS.items():
            with self.subTest(path=path):
                if "GET" in methods:
                    self.assertEqual(harness.get(self.port, path).status,
                                     303)
                    for other in (desk, res):
                        self.assertEqual(other.get(path).status, 403)
                if "POST" in methods:
                    r = harness.post(self.port, path, fields)
                    self.assertIn(r.status, (303, 403))
                    for other in (desk, res):
                        self.assertEqual(other.post(path, fields).status,
                                         403)
        c = self.coordinator()
        for path in [p for p, m in ROWS.items() if "POST" in m]:
            with self.subTest(path=path, csrf="none"):
                self.assertEqual(c.post(path, fields, csrf=False).status,
                                 403)
                self.assertEqual(c.post(path, fields, csrf="wrong").status,
                                 403)
        # Multipart too: the upload without, or with a wrong, token.
        self.assertEqual(self.upload(c, files, csrf=False).status, 403)
        self.assertEqual(self.upload(c, files, csrf="wrong").status, 403)
        self.assertEqual(self.upload(None, files).status, 403)
        self.assertEqual((self.releases(), self.audit()), before)


if __name__ == "__main__":
    unittest.main()
