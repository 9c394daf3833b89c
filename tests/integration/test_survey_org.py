"""Who runs it: `gehoord serve --org-name --org-contact --privacy-url`
put the organisation in the header and the contact and privacy statement
in the footer of every respondent page; without them the pages are as
before; a privacy statement that is not a web address (or a name or
contact that is empty or holds a control character) is refused (exit 1)
before anything is served.

The logo (--org-logo) is served at /logo with its type, the cache and
security headers of every response and a policy that forbids scripts, and
shown with the organisation's name as alt text; a file that is not a PNG
or SVG, too large or missing stops serve (exit 2) with a message naming
the file. A definition's "closes" day is on the welcome page and on the QR
cards (with the organisation of tokens issue --org-name), written out in
the page's language. The home page points to anonymous reporting at
/melden."""

import json
import os
import sqlite3
import subprocess

import harness as h

KEY = h.ModuleKey()
ORG = ["--org-name", "Gemeente Voorbeeld", "--org-contact",
       "mailto:onderzoek@voorbeeld.example", "--privacy-url",
       "https://voorbeeld.example/privacy"]
ERVAREN = os.path.join(h.REPO_ROOT, "survey-defs",
                       "ervaren-discriminatie-2026.json")
SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org'
       b'/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" '
       b'fill="#0b4a9e"/></svg>\n')
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00"
       b"\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc"
       b"\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class OrgServer(h.Server):
    """gehoord serve with extra options."""

    def __init__(self, db, tmpdir, extra):
        super().__init__(db, tmpdir)
        self.extra = extra

    def start(self):
        plain = h.command
        h.command = lambda args: plain(args + self.extra)
        try:
            return super().start()
        finally:
            h.command = plain


class SurveyOrgTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def forget_settings(self):
        # The options only seed a database without settings; each case
        # here starts from none.
        c = sqlite3.connect(self.db, timeout=30)
        try:
            c.execute("DELETE FROM instance_settings")
            c.commit()
        finally:
            c.close()

    def test_org_on_every_respondent_page(self):
        wave, tokens = self.new_wave()
        self.forget_settings()
        org = OrgServer(self.db, self.tmpdir, ORG).start()
        try:
            pages = [h.get(org.port, "/s/" + tokens[0]),
                     h.get(org.port, "/s/" + tokens[1] + "?lang=en"),
                     h.submit(org.port, tokens[2], h.VALID_ANSWER),
                     h.get(org.port, "/s/" + tokens[2]),
                     h.get(org.port, "/s/0000")]
            for r in pages:
                self.assertIn('<p class="brand">Gemeente Voorbeeld <span '
                              'class="brand-by">gehoord</span></p>', r.body)
                self.assertIn('<a href="mailto:onderzoek@voorbeeld.example">'
                              'onderzoek@voorbeeld.example</a>', r.body)
                self.assertIn('<a href="https://voorbeeld.example/privacy">',
                              r.body)
            self.assertIn("Privacy statement", pages[1].body)
            self.assertIn("Privacyverklaring", pages[0].body)
        finally:
            self.assertEqual(org.stop(), 0)
        # This class's own server has none of it: the page as before.
        r = h.get(self.port, "/s/" + tokens[3])
        self.assertIn('<p class="brand">gehoord</p>', r.body)
        self.assertNotIn("<footer", r.body)

    def test_privacy_url_must_be_a_web_address(self):
        for bad in (["--privacy-url", "javascript:alert(1)"],
                    ["--org-name", ""], ["--org-contact", "a\tb"]):
            p = subprocess.run(h.command(["serve", "--db", self.db,
                                          "--listen", "127.0.0.1:1"] + bad
                                         + h.sandbox_args()),
                               capture_output=True, text=True,
                               timeout=h.CLI_TIMEOUT)
            self.assertEqual(p.returncode, 1, (bad, p.stderr))
            self.assertRegex(p.stderr, "privacy statement|organisation|"
                             "contact")

    def write(self, name, data):
        path = os.path.join(self.tmpdir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_logo_served_and_shown(self):
        wave, tokens = self.new_wave()
        for name, data, ctype in (("logo.svg", SVG, "image/svg+xml"),
                                  ("logo.png", PNG, "image/png")):
            with self.subTest(logo=name):
                self.forget_settings()
                path = self.write(name, data)
                org = OrgServer(self.db, self.tmpdir,
                                ORG + ["--org-logo", path]).start()
                try:
                    r = h.get(org.port, "/logo")
                    self.assertEqual(r.status, 200)
                    self.assertEqual(r.body, data.decode("utf-8", "replace"))
                    self.assertEqual(r.header("Content-Type"), ctype)
                    self.assertEqual(r.header("Cache-Control"),
                                     "public, max-age=3600")
                    self.assertEqual(r.header("X-Content-Type-Options"),
                                     "nosniff")
                    self.assertEqual(r.header("X-Frame-Options"), "DENY")
                    self.assertEqual(r.header("Referrer-Policy"),
                                     "no-referrer")
                    csp = r.header("Content-Security-Policy")
                    self.assertIn("default-src 'none'", csp)
                    self.assertIn("sandbox", csp)
                    self.assertNotIn("script-src", csp)
                    for path_ in ("/", "/s/" + tokens[0], "/melden"):
                        page = h.get(org.port, path_)
                        self.assertIn('<img class="brand-logo" src="/logo" '
                                      'alt="Gemeente Voorbeeld">', page.body,
                                      path_)
                finally:
                    self.assertEqual(org.stop(), 0)
        # Without the option: no logo, and /logo is not found.
        self.assertEqual(h.get(self.port, "/logo").status, 404)
        self.assertNotIn("brand-logo", h.get(self.port, "/").body)

    def test_bad_logo_refused_at_start(self):
        cases = [("big.png", PNG + b"\0" * (256 * 1024), "larger than"),
                 ("notes.txt", b"just text\n", "not a PNG or SVG"),
                 ("empty.svg", b"", "empty"),
                 ("latin1.svg", b"<svg>\xe9</svg>", "UTF-8")]
        for name, data, why in cases:
            path = self.write(name, data)
            p = subprocess.run(h.command(
                ["serve", "--db", self.db, "--listen", "127.0.0.1:1",
                 "--org-name", "Gemeente Voorbeeld", "--org-logo", path]
                + h.sandbox_args()), capture_output=True, text=True,
                timeout=h.CLI_TIMEOUT)
            self.assertEqual(p.returncode, 2, (name, p.stderr))
            self.assertIn("--org-logo: %s: " % path, p.stderr)
            self.assertIn(why, p.stderr)
        missing = os.path.join(self.tmpdir, "missing.png")
        p = subprocess.run(h.command(
            ["serve", "--db", self.db, "--listen", "127.0.0.1:1",
             "--org-name", "X", "--org-logo", missing] + h.sandbox_args()),
            capture_output=True, text=True, timeout=h.CLI_TIMEOUT)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(missing, p.stderr)
        # A logo needs the name that is its alt text.
        p = subprocess.run(h.command(
            ["serve", "--db", self.db, "--listen", "127.0.0.1:1",
             "--org-logo", self.write("ok.svg", SVG)] + h.sandbox_args()),
            capture_output=True, text=True, timeout=h.CLI_TIMEOUT)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--org-name", p.stderr)

    def closing_wave(self, day):
        with open(ERVAREN, encoding="utf-8") as f:
            d = json.load(f)
        d["closes"] = day
        path = self.write("closes-%s.json" % day,
                          json.dumps(d).encode("utf-8"))
        return h.make_wave(self.db, self.key, definition=path)

    def test_closing_day_on_welcome_and_cards(self):
        wave = self.closing_wave("2027-03-15")
        tok = h.issue_tokens(self.db, wave, 10)[0]
        r = h.get(self.port, "/s/" + tok)
        self.assertIn('<p class="open-until">Open tot 15 maart 2027</p>',
                      r.body)
        r = h.get(self.port, "/s/%s?lang=en" % tok)
        self.assertIn('<p class="open-until">Open until 15 March 2027</p>',
                      r.body)
        # The cards: the organisation and the day in both languages.
        out = os.path.join(self.tmpdir, "cards")
        os.mkdir(out)
        h.run_ok("tokens", "issue", "--db", self.db, "--wave", str(wave),
                 "--count", "10", "--base-url", "http://127.0.0.1:1",
                 "--csv", os.path.join(out, "b.csv"), "--sheet",
                 os.path.join(out, "b.html"), "--org-name",
                 "Gemeente <Voorbeeld>")
        with open(os.path.join(out, "b.html"), encoding="utf-8") as f:
            sheet = f.read()
        self.assertEqual(sheet.count('<span class="org">Gemeente &lt;'
                                     'Voorbeeld&gt;</span>'), 10)
        self.assertEqual(sheet.count('<p>Open tot 15 maart 2027. Scan de '),
                         10)
        self.assertEqual(sheet.count('<p lang="en">Open until 15 March 2027.'
                                     ' Scan the '), 10)
        # A definition without the day says nothing about it.
        wave2, tokens = self.new_wave()
        self.assertNotIn("open-until", h.get(self.port,
                                             "/s/" + tokens[0]).body)

    def test_closing_day_must_be_a_day(self):
        with open(ERVAREN, encoding="utf-8") as f:
            d = json.load(f)
        for bad in ("2027-02-29", "15-03-2027", "2027-13-01", 20270315):
            d["closes"] = bad
            path = self.write("bad.json", json.dumps(d).encode("utf-8"))
            p = h.run("wave", "create", "--db", self.db, "--def", path,
                      "--name", "bad-%s" % bad, "--public-key",
                      self.key.public_b64)
            self.assertNotEqual(p.returncode, 0, bad)
            self.assertIn("$.closes", p.stderr)

    def test_home_points_to_anonymous_reporting(self):
        for lang in ("nl", "en"):
            msgs = h.load_messages(lang)
            r = h.get(self.port, "/?lang=" + lang)
            self.assertIn('<a href="/melden">%s</a>'
                          % msgs["home.report_link"], r.body)
            self.assertIn(msgs["home.report"], r.body)

    def test_help_text_links_safe_and_escaped(self):
        help_nl = ("Melden kan [anoniem op /melden](/melden) of bij de "
                   "[ombudsman](https://ombuds.example/a?b=1&c=2). "
                   "[Niet dit](javascript:alert(1)) [noch dit](//evil.example)"
                   " [of dit](http://plain.example) <b>vet</b> & [x]y.")
        d = {"format": 1, "id": "hulp",
             "title": {"nl": "Hulp", "en": "Help"},
             "intro": {"nl": "I", "en": "I"},
             "questions": [{"id": "q", "type": "single",
                            "label": {"nl": "V", "en": "Q"},
                            "help": {"nl": help_nl,
                                     "en": "[Report](/melden)"},
                            "options": [
                                {"id": "a", "label": {"nl": "A", "en": "A"}},
                                {"id": "b", "label": {"nl": "B", "en": "B"}}
                            ]}]}
        path = self.write("hulp.json", json.dumps(d).encode("utf-8"))
        wave = h.make_wave(self.db, self.key, definition=path)
        tok = h.issue_tokens(self.db, wave, 10)[0]
        body = h.get(self.port, "/s/" + tok).body
        self.assertIn(
            'Melden kan <a href="/melden">anoniem op /melden</a> of bij de '
            '<a href="https://ombuds.example/a?b=1&amp;c=2">ombudsman</a>. '
            '[Niet dit](javascript:alert(1)) [noch dit](//evil.example) '
            '[of dit](http://plain.example) &lt;b&gt;vet&lt;/b&gt; &amp; '
            '[x]y.', body)
        self.assertNotIn('href="javascript', body)
        self.assertNotIn('href="//', body)
        self.assertNotIn('href="http://plain', body)
        body = h.get(self.port, "/s/%s?lang=en" % tok).body
        self.assertIn('<a href="/melden">Report</a>', body)

    def test_discrimination_survey_help_links(self):
        with open(ERVAREN, encoding="utf-8") as f:
            d = json.load(f)
        helps = [q["help"] for p in d["pages"] for q in p["questions"]
                 if "help" in q]
        for lang in ("nl", "en"):
            text = " ".join(hp[lang] for hp in helps)
            self.assertIn("](/melden)", text)
            self.assertIn("](https://www.ombudsmanmetropool.nl)", text)
