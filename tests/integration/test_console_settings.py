"""The instance's settings in the coordinator's console (/console/settings),
against the real server and database.

A coordinator sets the organisation's name, contact, privacy statement
link and logo (a multipart form, the only console form that carries a
file); the change shows at once, without a restart, on /melden, on a
survey page and at /logo, and is in the audit log. Bad values are 422
with the field named and change nothing. The form is refused without a
session, to other roles and without the CSRF token. serve's --org-*
options only seed a database without settings; the cards of `gehoord
tokens issue` name the stored organisation.
"""

import os
import re
import subprocess
import unittest
import uuid

import harness
from desk_util import DESK_PW, Client, Server, setup_desk, user_add

CORA_PW = "coordinator password of cora, long"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00"
       b"\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc"
       b"\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       b'<rect width="10" height="10"/></svg>\n')
GOOD = {"org_name": "Gemeente Testdorp",
        "org_contact": "mailto:onderzoek@testdorp.example",
        "privacy_url": "https://testdorp.example/privacy"}


def multipart(fields, files=()):
    """(body, content type) of a multipart/form-data form."""
    boundary = "gh" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n%s\r\n" % (boundary, k, v)).encode("utf-8"))
    for k, name, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: application/"
                    "octet-stream\r\n\r\n" % (boundary, k, name))
                   .encode("utf-8") + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode("utf-8"))
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class TestConsoleSettings(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "cora", "coordinator", CORA_PW)
        if p.returncode != 0:
            raise AssertionError("user add cora: %s" % p.stderr)
        cls.key = harness.make_key(cls.tmp)
        cls.wave = harness.make_wave(cls.db, cls.key, k=5)
        cls.tokens = harness.issue_tokens(cls.db, cls.wave, 5)
        cls.server = Server(cls.db, cls.tmp).start()
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
        r = c.login("cora", CORA_PW)
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(c.get("/console/settings").status, 200)
        return c

    def send(self, c, fields, files=(), csrf=True):
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = c.csrf
        elif csrf:
            fields["csrf"] = csrf
        body, ctype = multipart(fields, files)
        h = {"Content-Type": ctype}
        if c.cookie:
            h["Cookie"] = "gh_session=" + c.cookie
        return c._seen(harness.request(self.port, "POST",
                                       "/console/settings", body=body,
                                       headers=h))

    def stored(self):
        rows = harness.db_query(self.db, "SELECT org_name, org_contact, "
                                "privacy_url, logo FROM instance_settings")
        return rows[0] if rows else None

    def shown(self):
        """What /melden shows of the organisation: header and footer."""
        body = harness.get(self.port, "/melden").body
        brand = re.search(r'<p class="brand">.*?</p>', body, re.S)
        foot = re.search(r"<footer.*?</footer>", body, re.S)
        return (brand and brand.group(0), foot and foot.group(0))

    def audit(self):
        return harness.db_query(self.db, "SELECT user_name, action, object "
                                "FROM console_audit ORDER BY id")

    def test_1_change_shows_at_once_on_public_pages(self):
        c = self.coordinator()
        r = self.send(c, GOOD, [("logo", "logo.png", PNG)])
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.stored(), ("Gemeente Testdorp",
                                         GOOD["org_contact"],
                                         GOOD["privacy_url"], PNG))
        for path in ("/melden", "/s/" + self.tokens[0],
                     "/s/%s?lang=en" % self.tokens[1]):
            with self.subTest(path=path):
                page = harness.get(self.port, path).body
                self.assertIn('<img class="brand-logo" src="/logo" '
                              'alt="Gemeente Testdorp">', page)
                self.assertIn('<a href="mailto:onderzoek@testdorp.example">',
                              page)
                self.assertIn('<a href="https://testdorp.example/privacy">',
                              page)
        r = harness.get(self.port, "/logo")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "image/png")
        self.assertIn(("cora", "settings_change",
                       "name, contact, privacy link, logo"), self.audit())
        # The logo removed, the contact a text: shown at once too.
        r = self.send(c, dict(GOOD, org_contact="Bureau Onderzoek, 0123",
                              remove_logo="yes"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(harness.get(self.port, "/logo").status, 404)
        page = harness.get(self.port, "/melden").body
        self.assertNotIn("brand-logo", page)
        self.assertIn("Gemeente Testdorp", page)
        self.assertIn("Bureau Onderzoek, 0123", page)
        # The cards of a new batch name the stored organisation.
        out = os.path.join(self.tmp, "cards")
        os.makedirs(out, exist_ok=True)
        harness.run_ok("tokens", "issue", "--db", self.db, "--wave",
                       str(self.wave), "--count", "5", "--base-url",
                       "http://127.0.0.1:1", "--csv",
                       os.path.join(out, "b.csv"), "--sheet",
                       os.path.join(out, "b.html"))
        with open(os.path.join(out, "b.html"), encoding="utf-8") as f:
            self.assertIn("Gemeente Testdorp", f.read())

    def test_2_bad_values_are_422_and_change_nothing(self):
        c = self.coordinator()
        self.assertEqual(self.send(c, GOOD, [("logo", "l.svg", SVG)]).status,
                         200)
        before = (self.stored(), self.shown())
        self.assertIn("Gemeente Testdorp", before[1][0])
        n_audit = len(self.audit())
        cases = [
            (dict(GOOD, privacy_url="http://testdorp.example/p"), (),
             "s-privacy"),
            (dict(GOOD, privacy_url="javascript:alert(1)"), (), "s-privacy"),
            (dict(GOOD, privacy_url="mailto:a@b.example"), (), "s-privacy"),
            (dict(GOOD, org_contact="http://testdorp.example"), (),
             "s-contact"),
            (dict(GOOD, org_contact="mailto:a b@c"), (), "s-contact"),
            (dict(GOOD, org_name="x" * 301), (), "s-name"),
            (dict(GOOD, org_name="tab\there"), (), "s-name"),
            (GOOD, [("logo", "notes.txt", b"just text\n")], "s-logo"),
            (GOOD, [("logo", "big.png", PNG + b"\0" * (256 * 1024))],
             "s-logo"),
            (dict(GOOD, org_name=""), (), "s-name"),
        ]
        for fields, files, field in cases:
            with self.subTest(field=field, fields=fields):
                r = self.send(c, fields, files)
                self.assertEqual(r.status, 422, r.body)
                self.assertIn('href="#%s"' % field, r.body)
                self.assertIn('aria-invalid="true"', r.body)
        self.assertEqual((self.stored(), self.shown()), before)
        self.assertEqual(len(self.audit()), n_audit)

    def test_3_refused_without_role_or_token(self):
        before = self.stored()
        n_audit = len(self.audit())
        nobody = Client(self.port)
        r = self.send(nobody, GOOD, csrf="A" * 43)
        self.assertEqual(r.status, 403, r.body)
        r = harness.post(self.port, "/console/settings", GOOD)
        self.assertEqual(r.status, 403, r.body)
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        desk.get("/desk")
        self.assertEqual(desk.get("/console/settings").status, 403)
        self.assertEqual(self.send(desk, dict(GOOD, org_name="Desk")).status,
                         403)
        c = self.coordinator()
        for csrf in (False, "A" * 43):
            with self.subTest(csrf=csrf):
                r = self.send(c, dict(GOOD, org_name="No token"), csrf=csrf)
                self.assertEqual(r.status, 403, r.body)
        self.assertEqual(self.stored(), before)
        self.assertEqual(len(self.audit()), n_audit)


class TestServeOptionsSeed(unittest.TestCase):
    """--org-* fill in a database without settings; after that the
    database's settings are shown and the options are ignored."""

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)

    def tearDown(self):
        harness.rmtree(self.tmp)

    def serve(self, name):
        s = Server(self.db, self.tmp, extra=["--org-name", name]).start()
        try:
            body = harness.get(s.port, "/melden").body
        finally:
            self.assertEqual(s.stop(), 0)
        return body, s.stderr()

    def test_options_seed_only_an_empty_database(self):
        body, _ = self.serve("Eerste Naam")
        self.assertIn("Eerste Naam", body)
        self.assertEqual(harness.db_query(
            self.db, "SELECT org_name FROM instance_settings"),
            [("Eerste Naam",)])
        body, err = self.serve("Tweede Naam")
        self.assertIn("Eerste Naam", body)
        self.assertNotIn("Tweede Naam", body)
        self.assertIn("are ignored", err)
        p = subprocess.run(harness.command(
            ["serve", "--db", self.db, "--listen", "127.0.0.1:1",
             "--privacy-url", "javascript:alert(1)"] +
            harness.sandbox_args()), capture_output=True, text=True,
            timeout=harness.CLI_TIMEOUT)
        self.assertEqual(p.returncode, 1, p.stderr)


if __name__ == "__main__":
    unittest.main()
