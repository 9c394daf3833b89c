"""The researchers' pages, /research, through the real server.

A hand-made release is stored in the database while the server is
stopped: its files (tables.csv, tables.json with a suppressed cell that
still carries a tell-tale count, codebook.json, audit.json), a MANIFEST
in sha256sum's format and its signature made by OpenBSD's own signify,
so that `gehoord verify` is checked against a signature it did not make.
Then, with the server running:
  - without a session every /research path is sent to /login (303);
  - a desk session is refused (403);
  - a researcher sees the list and the release (a table of contents
    whose links lead to the tables, every code in words in the page's
    language, a scale's mean on the scale's own axis, suppressed cells
    saying why, no suppressed figure anywhere in the HTML), downloads
    every file byte for byte, with its type and as an attachment named
    after the wave and the release, and the JSON endpoints parse;
  - the downloaded release, its names taken back to those MANIFEST
    lists as the README says, passes `gehoord verify`, `sha256sum -c`
    and `signify -V`, and a byte changed in it fails all three.
"""

import base64
import hashlib
import html.parser
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import unittest

import harness
from harness import get, post, run, run_ok
from desk_util import post_login

PASSWORD = "researcher password, long enough"
DESK_PASSWORD = "desk password, also long enough"
SECRET_COUNTS = ("4242", "4343", "5151")

# As gehoord release writes it (relpipe's release_out.c): each row's
# comparisons with it, a scale's mean in "percent" with category "mean".
TABLES = {
    "format": 1,
    "definition": "demo",
    "wave": "najaar",
    "k": 10,
    "c": 3,
    "rows": [
        {"table": "veilig_unit", "variable": "veilig_uitspreken",
         "category": "eens", "by1": "unit", "by1_value": "Afdeling A",
         "by2": None, "by2_value": None, "count": 30, "group_n": 50,
         "percent": 60.0, "ci_low": 46.2, "ci_high": 72.4, "flag": "ok",
         "cell": "c1",
         "comparisons": [{"with": "voorjaar", "percent": 55.5, "n": 60,
                          "difference": 4.5, "ci_low": -2.1,
                          "ci_high": 11.1, "significant": False}]},
        {"table": "veilig_unit", "variable": "veilig_uitspreken",
         "category": "oneens", "by1": "unit", "by1_value": "Afdeling A",
         "by2": None, "by2_value": None, "count": 4242, "group_n": 4343,
         "percent": None, "ci_low": None, "ci_high": None,
         "flag": "primary", "cell": "c2", "comparisons": []},
        {"table": "veilig_unit", "variable": "veilig_uitspreken",
         "category": "eens", "by1": "unit", "by1_value": "Kleine eenheid",
         "by2": None, "by2_value": None, "count": 5151, "group_n": None,
         "percent": None, "ci_low": None, "ci_high": None,
         "flag": "rolled_up", "cell": "c3", "comparisons": []},
        {"table": "veilig_unit", "variable": "veilig_uitspreken",
         "category": "TOTAL", "by1": "unit", "by1_value": "TOTAL",
         "by2": None, "by2_value": None, "count": 80, "group_n": 80,
         "percent": None, "ci_low": None, "ci_high": None, "flag": "ok",
         "cell": "c4", "comparisons": []},
        {"table": "veilig_unit", "variable": "veilig_uitspreken",
         "category": "NOT_STATED", "by1": "unit", "by1_value": "NOT_STATED",
         "by2": None, "by2_value": None, "count": 12, "group_n": 30,
         "percent": 40.0, "ci_low": 24.6, "ci_high": 57.7, "flag": "ok",
         "cell": "c5", "comparisons": []},
        {"table": "zag_iets_totaal", "variable": "zag_iets", "category": "yes",
         "by1": None, "by1_value": None, "by2": None, "by2_value": None,
         "count": 20, "group_n": 80, "percent": 25.0, "ci_low": 16.8,
         "ci_high": 35.5, "flag": "ok", "cell": "c6", "comparisons": []},
        {"table": "zag_iets_totaal", "variable": "zag_iets", "category": "no",
         "by1": None, "by1_value": None, "by2": None, "by2_value": None,
         "count": 55, "group_n": 80, "percent": 68.8, "ci_low": 57.9,
         "ci_high": 77.8, "flag": "ok", "cell": "c7", "comparisons": []},
        {"table": "zag_iets_totaal", "variable": "zag_iets",
         "category": "NOT_STATED", "by1": None, "by1_value": None,
         "by2": None, "by2_value": None, "count": 5, "group_n": 80,
         "percent": 6.2, "ci_low": 2.7, "ci_high": 13.8, "flag": "ok",
         "cell": "c8", "comparisons": []},
        {"table": "schaal_inclusie", "variable": "inclusie",
         "category": "mean", "by1": None, "by1_value": None, "by2": None,
         "by2_value": None, "count": 80, "group_n": 80, "percent": 3.4,
         "ci_low": 3.1, "ci_high": 3.7, "flag": "ok", "cell": None,
         "comparisons": []},
    ],
    "response": {
        "answered_per_unit": True, "issued": 100, "answered": 80,
        "rate": 0.8,
        "units": [
            {"unit": "Afdeling A", "issued": 80, "answered": 50,
             "rate": 0.625, "cell": "u=Afdeling A"},
        ],
    },
}

CODEBOOK = {
    "definition": "demo",
    "variables": [
        {"id": "veilig_uitspreken", "type": "likert",
         "label": {"nl": "Veilig uitspreken", "en": "Safe to speak up"},
         "background": "",
         "categories": [{"id": "eens",
                         "label": {"nl": "Mee eens", "en": "Agree"}}]},
    ],
    "scales": [
        {"id": "inclusie", "label": {"nl": "Inclusie", "en": "Inclusion"},
         "points": 5,
         "point_labels": [
             {"nl": "Helemaal mee oneens", "en": "Strongly disagree"},
             {"nl": "Mee oneens", "en": "Disagree"},
             {"nl": "Neutraal", "en": "Neutral"},
             {"nl": "Mee eens", "en": "Agree"},
             {"nl": "Helemaal mee eens", "en": "Strongly agree"}],
         "formula": "mean of a, b; points 1 to 5"},
    ],
    "indicators": [
        {"id": "zag_iets",
         "label": {"nl": "Zag ongewenst gedrag",
                   "en": "Saw unwanted behaviour"},
         "formula": "yes if gezien is any of ja"},
    ],
}

CSV = ("table,variable,category,by1,by1_value,by2,by2_value,count,group_n,"
       "percent,ci_low,ci_high,flag\r\n"
       "veilig_unit,veilig_uitspreken,eens,unit,Afdeling A,,,30,50,60.0,"
       "46.2,72.4,ok\r\n"
       "veilig_unit,veilig_uitspreken,oneens,unit,Afdeling A,,,,,,,,"
       "primary\r\n")


class _Text(html.parser.HTMLParser):
    """The text a reader sees (SVG text included), without attributes."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "title") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(body):
    p = _Text()
    p.feed(body)
    return " ".join(p.parts)


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def make_release_dir(path):
    """Writes a release into path, signed with a fresh signify key; returns
    {name: bytes} of every file, MANIFEST, MANIFEST.sig and the key."""
    os.makedirs(path)
    files = {
        "tables.csv": CSV.encode(),
        "tables.json": json.dumps(TABLES, ensure_ascii=False).encode(),
        "codebook.json": json.dumps(CODEBOOK).encode(),
        "audit.json": b'{"cells": [], "summary": {}}\n',
    }
    for name, data in files.items():
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)
    manifest = "".join("%s  %s\n" % (sha256_hex(files[n]), n)
                       for n in sorted(files)).encode()
    with open(os.path.join(path, "MANIFEST"), "wb") as f:
        f.write(manifest)
    keydir = path + ".key"
    os.makedirs(keydir)
    pub = os.path.join(path, "release-key.pub")
    sec = os.path.join(keydir, "release-key.sec")
    subprocess.run(["signify-openbsd", "-G", "-n", "-p", pub, "-s", sec],
                   check=True, capture_output=True)
    subprocess.run(["signify-openbsd", "-S", "-s", sec, "-m",
                    os.path.join(path, "MANIFEST")], check=True,
                   capture_output=True)
    for name in ("MANIFEST", "MANIFEST.sig", "release-key.pub"):
        with open(os.path.join(path, name), "rb") as f:
            files[name] = f.read()
    return files


def store_release(db, wave, files):
    """Inserts the release as gehoord release would (server stopped)."""
    c = sqlite3.connect(db)
    try:
        with c:
            cur = c.execute(
                "INSERT INTO releases (wave_id, created_day, manifest, "
                "signature) VALUES (?, 20000, ?, ?)",
                (wave, files["MANIFEST"], files["MANIFEST.sig"]))
            rid = cur.lastrowid
            for name, data in files.items():
                if name in ("MANIFEST", "MANIFEST.sig"):
                    continue
                c.execute("INSERT INTO release_files (release_id, name, "
                          "content) VALUES (?, ?, ?)", (rid, name, data))
        return rid
    finally:
        c.close()


def add_user(db, tmpdir, name, role, password):
    pw = os.path.join(tmpdir, name + ".pw")
    with open(pw, "w") as f:
        f.write(password + "\n")
    run_ok("user", "add", "--db", db, "--name", name, "--role", role,
           "--password-file", pw)


def login(port, name, password):
    """Logs in (the login page, then its form with its token); returns
    the gh_session cookie value and the Location."""
    r = post_login(port, {"name": name, "password": password})
    if r.status != 303:
        raise AssertionError("login %s: %d %s" % (name, r.status, r.body))
    m = re.match(r"gh_session=([A-Za-z0-9_-]+)", r.header("Set-Cookie")
                 or "")
    if m is None:
        raise AssertionError("login %s: no gh_session cookie" % name)
    return m.group(1), r.header("Location")


def get_raw(port, path, cookie):
    """GET returning (status, headers, bytes), for downloads."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port,
                                   timeout=harness.HTTP_TIMEOUT)
    try:
        c.request("GET", path, headers={"Cookie": "gh_session=" + cookie})
        r = c.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), \
            r.read()
    finally:
        c.close()


class ResearchTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = harness.mkdtemp()
        cls.server = None
        try:
            cls.db = harness.init_db(cls.tmpdir)
            key = harness.Key(None, None,
                              base64.b64encode(os.urandom(32)).decode())
            cls.wave = harness.make_wave(cls.db, key, name="najaar", k=10)
            add_user(cls.db, cls.tmpdir, "ria", "researcher", PASSWORD)
            add_user(cls.db, cls.tmpdir, "dirk", "desk", DESK_PASSWORD)
            cls.files = make_release_dir(os.path.join(cls.tmpdir, "rel"))
            cls.rid = store_release(cls.db, cls.wave, cls.files)
            cls.server = harness.Server(cls.db, cls.tmpdir).start()
            cls.port = cls.server.port
            cls.cookie, cls.location = login(cls.port, "ria", PASSWORD)
        except BaseException:
            if cls.server is not None:
                cls.server.stop()
            harness.rmtree(cls.tmpdir)
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmpdir)
        if rc != 0:
            raise AssertionError("serve exited with %r:\n%s" % (rc, err))
        # Nothing identifying in the log: no session cookie.
        if cls.cookie in err:
            raise AssertionError("the session cookie is in the log")

    def get(self, path, cookie=None):
        cookie = self.cookie if cookie is None else cookie
        return get(self.port, path,
                   headers={"Cookie": "gh_session=" + cookie})

    def test_login_sends_researchers_here(self):
        self.assertEqual(self.location, "/research")

    def test_no_session_goes_to_login(self):
        for path in ("/research", "/research/", "/research/r/%d" % self.rid,
                     "/research/r/%d/tables.csv" % self.rid,
                     "/research/api/releases", "/research/api/r/1",
                     "/research/nothing"):
            for headers in ({}, {"Cookie": "gh_session=" + "A" * 43}):
                r = get(self.port, path, headers=headers)
                self.assertEqual(r.status, 303, path)
                self.assertEqual(r.header("Location"), "/login", path)
                self.assertNotIn("4242", r.body)

    def test_desk_session_is_refused(self):
        cookie, location = login(self.port, "dirk", DESK_PASSWORD)
        self.assertNotEqual(location, "/research")
        for path in ("/research", "/research/r/%d" % self.rid,
                     "/research/r/%d/tables.csv" % self.rid,
                     "/research/api/releases"):
            r = self.get(path, cookie)
            self.assertEqual(r.status, 403, path)
            self.assertNotIn("veilig_unit", r.body)
            self.assertNotIn("Afdeling", r.body)

    def test_list(self):
        r = self.get("/research")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertIn('<html lang="nl"', r.body)
        self.assertIn('href="/research/r/%d?lang=nl"' % self.rid, r.body)
        self.assertIn("najaar", r.body)
        self.assertIn("ria", r.body)
        self.assertIn('datetime="2024-10-04"', r.body)
        en = self.get("/research?lang=en")
        self.assertIn('<html lang="en"', en.body)
        self.assertIn("Releases for researchers", en.body)

    def test_release_page(self):
        r = self.get("/research/r/%d" % self.rid)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        body = r.body
        self.assertIn("<table>", body)
        self.assertIn('<th scope="col">', body)
        # Labelled from codebook.json; what it does not name stays.
        self.assertIn('<th scope="row">Mee eens</th>', body)
        self.assertIn('<th scope="row">oneens</th>', body)
        self.assertIn('class="r-vh">Veilig uitspreken naar eenheid'
                      '</caption>', body)
        self.assertIn('<h3 id="t-veilig_unit">Veilig uitspreken naar eenheid'
                      '</h3>', body)
        self.assertIn("niet getoond: minder dan 10", body)
        self.assertIn("samengevoegd met andere eenheden", body)
        self.assertIn("Kleine eenheid", body)
        self.assertIn('role="img"', body)
        self.assertIn("<title id=\"chart-title-1\">", body)
        for secret in SECRET_COUNTS:
            self.assertNotIn(secret, body)
        self.assertNotIn(" style=", body)
        self.assertNotIn("<script", body)
        for name in ("tables.csv", "tables.json", "codebook.json",
                     "audit.json", "MANIFEST", "MANIFEST.sig",
                     "release-key.pub"):
            saved = "najaar-release-%d-%s" % (self.rid, name)
            self.assertIn('<a href="/research/r/%d/%s" download="%s">%s</a>'
                          % (self.rid, name, saved, saved), body)
        en = self.get("/research/r/%d?lang=en" % self.rid)
        self.assertIn("not shown: fewer than 10", en.body)
        text = harness.page_text(en.body)
        self.assertIn("46.2 \u2013 72.4", text)
        self.assertIn("Comparisons: Safe to speak up by unit", text)
        self.assertIn(">Safe to speak up by unit</caption>", en.body)
        self.assertIn("<td>voorjaar</td>", en.body)
        self.assertIn('<th scope="row">Mean</th>', en.body)
        self.assertIn("Response per unit", text)
        self.assertIn("<tr><td>Afdeling A</td><td class=\"num\">80</td>"
                      "<td class=\"num\">50</td><td class=\"num\">62.5"
                      "</td></tr>\n<tr><td>Total</td><td class=\"num\">100"
                      "</td><td class=\"num\">80</td><td class=\"num\">"
                      "80.0</td></tr>", en.body)

    def test_release_page_labels_not_codes(self):
        """Every code in words, in the page's language."""
        nl = self.get("/research/r/%d" % self.rid).body
        for want in ('<th scope="row">Niet ingevuld</th><td>(geen eenheid)'
                     '</td>',
                     '<h3 id="t-zag_iets_totaal">Zag ongewenst gedrag</h3>',
                     '<th scope="row">Ja</th>', '<th scope="row">Nee</th>',
                     '<th scope="row">Niet ingevuld</th><td class="num">5',
                     '<th scope="row">Totaal</th><td>Totaal</td>',
                     '<h3 id="t-schaal_inclusie">Inclusie</h3>',
                     '<th scope="row">Gemiddelde</th>',
                     '<th scope="col">Eenheid</th>'):
            self.assertIn(want, nl)
        text = visible_text(nl)
        for code in ("NOT_STATED", "TOTAL", "yes", "no", "mean", "unit",
                     "zag_iets", "veilig_uitspreken"):
            self.assertIsNone(re.search(r"\b%s\b" % code, text), code)
        en = self.get("/research/r/%d?lang=en" % self.rid).body
        for want in ('<th scope="row">Not stated</th><td>(no unit)</td>',
                     '<h3 id="t-zag_iets_totaal">Saw unwanted behaviour</h3>',
                     '<th scope="row">Yes</th>', '<th scope="row">No</th>',
                     '<th scope="col">Unit</th>'):
            self.assertIn(want, en)
        self.assertNotIn("NOT_STATED", visible_text(en))

    def test_release_page_scale_chart(self):
        """A scale's mean is a dot on the scale's own axis, 1 to 5, its ends
        said in words; a percentage a bar on 0 to 100 %."""
        body = self.get("/research/r/%d" % self.rid).body
        section = body[body.index('<section class="r-table" '
                                  'aria-labelledby="t-schaal_inclusie">'):]
        section = section[:section.index("</section>")]
        ticks = re.findall(r'text-anchor="middle" fill="#1a1a1a">([^<]*)<',
                           section)
        self.assertEqual(ticks, ["1", "2", "3", "4", "5"])
        self.assertIn('<circle cx="192.0"', section)     # 3.4
        self.assertNotIn("<rect", section)
        self.assertIn("<figcaption>Schaal van 1 (Helemaal mee oneens) tot 5 "
                      "(Helemaal mee eens).</figcaption>", section)
        self.assertIn("op de schaal van 1 tot 5", section)
        section = body[body.index('aria-labelledby="t-zag_iets_totaal"'):]
        section = section[:section.index("</section>")]
        ticks = re.findall(r'text-anchor="middle" fill="#1a1a1a">([^<]*)<',
                           section)
        self.assertEqual(ticks, ["0%", "25%", "50%", "75%", "100%"])
        self.assertIn("<rect", section)

    def test_release_page_contents(self):
        """A table of contents: every table by its heading, in order, each
        link leading to its table; the other sections; a link past it."""
        for lang in ("nl", "en"):
            body = self.get("/research/r/%d?lang=%s" % (self.rid, lang)).body
            nav = re.search(r'<nav class="r-toc" aria-labelledby="toc">(.*?)'
                            r'</nav>', body, re.S)
            self.assertIsNotNone(nav, lang)
            self.assertLess(body.index('class="r-skip"><a href="#tables">'),
                            nav.start())
            links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>',
                               nav.group(1))
            heads = re.findall(r'<h3 id="([^"]+)">([^<]*)</h3>', body)
            tables = [x for x in links if x[0].startswith("t-")]
            self.assertEqual(tables, heads, lang)
            self.assertEqual([x[0] for x in tables],
                             ["t-veilig_unit", "t-zag_iets_totaal",
                              "t-schaal_inclusie"])
            self.assertEqual([x[0] for x in links if x not in tables],
                             ["tables", "response", "downloads"])
            ids = set(re.findall(r' id="([^"]+)"', body))
            for target in re.findall(r'href="#([^"]+)"', body):
                self.assertIn(target, ids, target)
            # Headings in order: none skips a level.
            levels = [int(x) for x in re.findall(r"<h([1-6])[ >]", body)]
            self.assertEqual(levels[0], 1)
            for a, b in zip(levels, levels[1:]):
                self.assertLessEqual(b, a + 1, levels)

    def test_downloads_are_the_stored_files(self):
        types = {"tables.csv": "text/csv; charset=utf-8",
                 "tables.json": "application/json",
                 "codebook.json": "application/json",
                 "audit.json": "application/json",
                 "MANIFEST": "text/plain; charset=utf-8"}
        for name, data in self.files.items():
            status, h, body = get_raw(self.port, "/research/r/%d/%s"
                                      % (self.rid, name), self.cookie)
            self.assertEqual(status, 200, name)
            self.assertEqual(body, data, name)
            # Named after the wave and the release; inside the release
            # (MANIFEST) the file keeps its own name.
            self.assertEqual(h["content-disposition"],
                             'attachment; filename="najaar-release-%d-%s"'
                             % (self.rid, name))
            self.assertEqual(h["cache-control"], "no-store")
            self.assertEqual(h["x-content-type-options"], "nosniff")
            if name in types:
                self.assertEqual(h["content-type"], types[name], name)

    def test_downloaded_release_verifies(self):
        out = os.path.join(self.tmpdir, "download-%d" % os.getpid())
        os.makedirs(out)
        prefix = "najaar-release-%d-" % self.rid
        for name in self.files:
            status, h, body = get_raw(self.port, "/research/r/%d/%s"
                                      % (self.rid, name), self.cookie)
            self.assertEqual(status, 200)
            saved = re.match(r'attachment; filename="([^"]+)"$',
                             h["content-disposition"]).group(1)
            with open(os.path.join(out, saved), "wb") as f:
                f.write(body)
        # As saved, the names are not those MANIFEST lists: verify says
        # so. With the prefix taken off by the README's command, the
        # release is whole.
        p = run("verify", out)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(all(n.startswith(prefix) for n in os.listdir(out)))
        with open(os.path.join(harness.REPO_ROOT, "README.md"),
                  encoding="utf-8") as f:
            line = re.search(r"^    (cd DIR && for f in "
                             r"inclusie-2026-release-2-\*.*)$", f.read(),
                             re.M).group(1)
        line = line.replace("cd DIR", "cd " + shlex.quote(out))
        subprocess.run(["sh", "-c", line.replace("inclusie-2026-release-2-",
                                                 prefix)], check=True)
        self.assertEqual(sorted(os.listdir(out)), sorted(self.files))
        p = run("verify", out)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("good", p.stdout)
        pub = os.path.join(out, "release-key.pub")
        p = run("verify", out, "--pub", pub)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST"], cwd=out,
                       check=True)
        subprocess.run(["signify-openbsd", "-V", "-q", "-p",
                        "release-key.pub", "-m", "MANIFEST"], cwd=out,
                       check=True)
        # One byte changed: all three refuse, and verify names the file.
        with open(os.path.join(out, "tables.csv"), "r+b") as f:
            f.seek(3)
            b = f.read(1)
            f.seek(3)
            f.write(bytes([b[0] ^ 1]))
        p = run("verify", out)
        self.assertEqual(p.returncode, 1)
        self.assertIn("FAILED tables.csv", p.stdout)
        self.assertNotEqual(subprocess.run(
            ["sha256sum", "--quiet", "-c", "MANIFEST"], cwd=out,
            capture_output=True).returncode, 0)
        # A changed MANIFEST: the signature fails for both tools.
        shutil.copy(os.path.join(self.tmpdir, "rel", "tables.csv"), out)
        with open(os.path.join(out, "MANIFEST"), "ab") as f:
            f.write(b"\n")
        p = run("verify", out)
        self.assertEqual(p.returncode, 1)
        self.assertIn("FAILED MANIFEST.sig", p.stdout)
        self.assertNotEqual(subprocess.run(
            ["signify-openbsd", "-V", "-q", "-p", "release-key.pub", "-m",
             "MANIFEST"], cwd=out, capture_output=True).returncode, 0)

    def test_readme_python_check(self):
        """The README's python3-nacl check agrees with signify."""
        with open(os.path.join(harness.REPO_ROOT, "README.md"),
                  encoding="utf-8") as f:
            readme = f.read()
        part = readme[readme.index("## Releases for researchers"):]
        code = re.search(r"```python\n(.*?)```", part, re.S).group(1)
        py = None
        for cand in (shutil.which("python3"), "/usr/bin/python3"):
            if cand and subprocess.run([cand, "-c", "import nacl.signing"],
                                       capture_output=True).returncode == 0:
                py = cand
                break
        if py is None:
            self.fail("python3-nacl is not installed (install-deps.sh "
                      "installs it)")
        d = os.path.join(self.tmpdir, "rel")
        p = subprocess.run([py, "-c", code], cwd=d, capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "good")
        bad = os.path.join(self.tmpdir, "rel-bad-%d" % os.getpid())
        shutil.copytree(d, bad)
        with open(os.path.join(bad, "MANIFEST"), "ab") as f:
            f.write(b"\n")
        p = subprocess.run([py, "-c", code], cwd=bad, capture_output=True,
                           text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("BadSignature", p.stderr)

    def test_readme_curl_login(self):
        """The README's curl lines log in (with the login form's token)
        and read the releases."""
        with open(os.path.join(harness.REPO_ROOT, "README.md"),
                  encoding="utf-8") as f:
            readme = f.read()
        part = readme[readme.index("fetch the page first:"):]
        block = part.split("\n\n")[1]
        block = block[:block.index("\n", block.index("api/releases"))]
        script = "\n".join(line[4:] for line in block.splitlines())
        script = script.replace("https://HOST", "http://127.0.0.1:%d"
                                % self.port)
        d = os.path.join(self.tmpdir, "curl")
        os.makedirs(d, exist_ok=True)
        p = subprocess.run(["sh", "-ec", script], cwd=d, text=True,
                           capture_output=True,
                           env=dict(os.environ, GEHOORD_PASSWORD=PASSWORD))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("releases", json.loads(p.stdout))

    def test_logout(self):
        cookie, _ = login(self.port, "ria", PASSWORD)
        r = self.get("/research", cookie)
        self.assertEqual(r.status, 200)
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.body).group(1)
        r = post(self.port, "/logout", {"csrf": csrf, "lang": "nl"},
                 headers={"Cookie": "gh_session=" + cookie})
        self.assertEqual(r.status, 303)
        r = self.get("/research", cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/login")

    def test_verify_usage(self):
        self.assertEqual(run("verify").returncode, 2)
        self.assertEqual(run("verify", "--help").returncode, 0)
        p = run("verify", os.path.join(self.tmpdir, "nope"))
        self.assertEqual(p.returncode, 1)

    def test_json_endpoints(self):
        r = self.get("/research/api/releases")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "application/json")
        self.assertIsNone(r.header("Content-Disposition"))
        doc = json.loads(r.body)
        rel = [x for x in doc["releases"] if x["id"] == self.rid]
        self.assertEqual(len(rel), 1)
        self.assertEqual(rel[0]["wave"], "najaar")
        self.assertEqual(rel[0]["wave_id"], self.wave)
        self.assertEqual(rel[0]["published"], "2024-10-04")
        self.assertEqual(rel[0]["tables_json"],
                         "/research/api/r/%d" % self.rid)
        status, h, body = get_raw(self.port, rel[0]["tables_json"],
                                  self.cookie)
        self.assertEqual(status, 200)
        self.assertEqual(body, self.files["tables.json"])
        self.assertEqual(json.loads(body)["k"], 10)

    def test_not_found(self):
        for path in ("/research/r/%d" % (self.rid + 100),
                     "/research/r/%d/nope.csv" % self.rid,
                     "/research/r/%d/..%%2Ftables.csv" % self.rid,
                     "/research/r/%d/.hidden" % self.rid,
                     "/research/r/0", "/research/r/01",
                     "/research/r/%d/tables.csv/x" % self.rid,
                     "/research/api/r/%d" % (self.rid + 100),
                     "/research/r/%d/tables.csv" % (self.rid + 100),
                     "/research/api/nothing", "/research/x"):
            r = self.get(path)
            self.assertEqual(r.status, 404, path)

    def test_post_is_not_served(self):
        r = post(self.port, "/research", {"a": "b"},
                 headers={"Cookie": "gh_session=" + self.cookie})
        self.assertEqual(r.status, 404)


if __name__ == "__main__":
    unittest.main()
