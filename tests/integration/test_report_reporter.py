"""The reporter's side of anonymous reports over HTTP on
127.0.0.1 against a real database: the form and its checks, submitting,
the receipt shown once with a signed acknowledgement, receipt login with
typing mistakes, a wrong receipt, adding information, a second opinion,
replacing the receipt, withdrawing (content gone from the database file
and its WAL), report links, a rate-limited brute-force burst, and that
neither the database nor the server's output holds an address, a receipt
or a text.

Each test starts its own server (the rate limiter lives in its memory).
Replies and consent from the desk are the desk's tests (they need a desk
login); the reporter's page for them is rendered in page_report_selfcheck
at every start-up.
"""
import ctypes
import ctypes.util
import html
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import unittest

import harness
from harness import get, post

MARKER = "Zeldzaam-merkteken-QX7-%s" % secrets.token_hex(4)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECKS = CROCKFORD + "*~$=U"


def valid_unknown_receipt():
    """A well-formed receipt (right check symbol) no report has."""
    n = int.from_bytes(secrets.token_bytes(15), "big")
    syms = "".join(CROCKFORD[(n >> (5 * (23 - i))) & 31] for i in range(24))
    syms += CHECKS[n % 37]
    return "-".join(syms[i:i + 5] for i in range(0, 25, 5))


def desk_seal(pk, text, when=1764095400):
    """Seals a message as the desk does (report_crypto.h): version 1,
    the time, the text, padded to 1 KiB, crypto_box_seal to pk."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
    assert sodium.sodium_init() >= 0
    plain = b"\x01" + when.to_bytes(8, "big") + text.encode()
    assert len(plain) < 1024
    padded = plain + b"\x80" + b"\0" * (1024 - len(plain) - 1)
    out = ctypes.create_string_buffer(1024 + 48)
    assert sodium.crypto_box_seal(out, padded, ctypes.c_ulonglong(1024),
                                  bytes(pk)) == 0
    return out.raw


def code_of(body):
    m = re.search(r'<p class="report-code"><code>(.+?)</code>', body)
    return re.sub(r"<[^>]*>", "", m.group(1)) if m else None


def ack_of(body):
    m = re.search(r'<textarea id="ack"[^>]*>(.*?)</textarea>', body, re.S)
    return html.unescape(m.group(1)) if m else None


class ServerWithArgs(harness.Server):
    """harness.Server with extra serve flags."""

    def __init__(self, db, tmpdir, extra):
        super().__init__(db, tmpdir)
        self.extra = extra

    def start(self):
        orig = harness.sandbox_args
        harness.sandbox_args = lambda: orig() + self.extra
        try:
            return super().start()
        finally:
            harness.sandbox_args = orig


class ReporterTest(unittest.TestCase):
    extra_args = []

    def setUp(self):
        self.tmp = harness.mkdtemp()
        if os.geteuid() == 0:
            os.chmod(self.tmp, 0o755)
        self.db = harness.init_db(self.tmp)
        pw = os.path.join(self.tmp, "pw")
        with open(pw, "w") as f:
            f.write("a desk password of some length\n")
        harness.run_ok("user", "add", "--db", self.db, "--name", "desk1",
                       "--role", "desk", "--password-file", pw)
        if os.geteuid() == 0:
            for name in os.listdir(self.tmp):
                shutil.chown(os.path.join(self.tmp, name), "nobody")
            shutil.chown(self.tmp, "nobody")
        self.srv = ServerWithArgs(self.db, self.tmp, self.extra_args).start()
        self.port = self.srv.port

    def tearDown(self):
        self.srv.stop()
        harness.rmtree(self.tmp)

    # helpers -------------------------------------------------------------

    def q(self, sql, args=()):
        c = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def report(self, what=MARKER, lang="nl", **more):
        fields = [("lang", lang), ("wat_gebeurd", what),
                  ("toestemming", "ja_lezen_reageren")] + list(more.items())
        r = post(self.port, "/melden", fields)
        self.assertEqual(r.status, 200, r.body)
        code = code_of(r.body)
        self.assertIsNotNone(code)
        return code, r

    def follow(self, code, action="login", **fields):
        f = {"lang": "en", "receipt": code, "action": action}
        f.update(fields)
        return harness.post_volg(self.port, f)

    # tests ---------------------------------------------------------------

    def test_form_explains_first_and_is_private(self):
        r = get(self.port, "/melden")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        body = r.body
        self.assertLess(body.index("Hoe werkt melden?"),
                        body.index('<form method="post" action="/melden"'))
        self.assertIn("nooit een e-mail", body)
        self.assertIn('name="wat_gebeurd"', body)
        en = get(self.port, "/melden?lang=en").body
        self.assertIn("never get an e-mail", en)
        self.assertIn('lang="en"', en)

    def test_invalid_form_kept_with_422_and_nothing_stored(self):
        r = post(self.port, "/melden", [("lang", "en"), ("wat_gebeurd", "  "),
                                         ("cluster", "sociaal"),
                                         ("vorm", "no-such-option")])
        self.assertEqual(r.status, 422)
        self.assertIn("error-summary", r.body)
        self.assertIn('value="sociaal" checked', r.body)
        self.assertEqual(self.q("SELECT count(*) FROM reports")[0][0], 0)
        long = post(self.port, "/melden", {"wat_gebeurd": "x" * 4001, "toestemming": "ja_lezen_reageren"})
        self.assertEqual(long.status, 422)
        self.assertEqual(self.q("SELECT count(*) FROM reports")[0][0], 0)

    def test_submit_receipt_once_and_ack_verifies(self):
        code, r = self.report(lang="en", cluster="sociaal", vorm="pesten")
        self.assertRegex(code, r"^([0-9A-Z*~$=]{5}-){4}[0-9A-Z*~$=]{5}$")
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertIn("I have saved my code", r.body)
        ack = ack_of(r.body)
        self.assertIn("sha256: ", ack)
        self.assertNotIn(code, ack)
        rows = self.q("SELECT status, unit, length(receipt_hash), "
                      "length(sealed_key) FROM reports")
        self.assertEqual(rows, [(0, "sociaal", 32, 80)])
        sizes = self.q("SELECT length(for_desk), length(for_reporter) "
                       "FROM messages")
        self.assertEqual(sizes, [(1024 + 48, 1024 + 48)])
        # The key and the download, and signify agrees where it exists.
        key = get(self.port, "/melden/key")
        self.assertEqual(key.status, 200)
        dl = post(self.port, "/melden/bevestiging", {"ack": ack})
        self.assertEqual(dl.status, 200)
        self.assertIn("attachment", dl.header("Content-Disposition"))
        self.assertEqual(dl.body, ack)
        forged = ack.replace("sha256: ", "sha256: 0")
        self.assertEqual(post(self.port, "/melden/bevestiging",
                              {"ack": forged}).status, 400)
        signify = shutil.which("signify-openbsd") or shutil.which("signify")
        if signify:
            kp = os.path.join(self.tmp, "ack.pub")
            ap = os.path.join(self.tmp, "ack.txt")
            with open(kp, "w") as f:
                f.write(key.body)
            with open(ap, "w") as f:
                f.write(ack)
            p = subprocess.run([signify, "-V", "-e", "-p", kp, "-x", ap,
                                "-m", os.path.join(self.tmp, "ack.msg")],
                               capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_saved_step(self):
        code, r = self.report()
        ack = ack_of(r.body)
        again = post(self.port, "/melden/opgeslagen",
                     {"lang": "nl", "code": code, "ack": ack})
        self.assertEqual(again.status, 422)
        self.assertEqual(code_of(again.body), code)
        self.assertEqual(ack_of(again.body), ack)
        done = post(self.port, "/melden/opgeslagen",
                    {"lang": "nl", "code": code, "ack": ack, "saved": "1"})
        self.assertEqual(done.status, 200)
        self.assertIsNone(code_of(done.body))

    def test_login_tolerates_typing_and_tells_typos(self):
        code, _ = self.report()
        sloppy = code.lower().replace("-", " ").replace("0", "o") \
            .replace("1", "l")
        r = self.follow(sloppy)
        self.assertEqual(r.status, 200, r.body)
        self.assertIn(MARKER, r.body)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        # One symbol changed: a typing mistake, not "unknown".
        i = 0 if code[0] != "Z" else 1
        wrong = code[:i] + ("Z" if code[i] != "Z" else "Y") + code[i + 1:]
        r = self.follow(wrong)
        self.assertEqual(r.status, 422)
        self.assertIn("typing mistake", r.body)
        r = self.follow(code[:-2])
        self.assertEqual(r.status, 422)
        self.assertIn("25 characters", r.body)
        r = self.follow(valid_unknown_receipt())
        self.assertEqual(r.status, 404)
        self.assertIn("no report with this code", r.body)
        self.assertNotIn(MARKER, r.body)

    def test_add_information_and_second_opinion(self):
        code, _ = self.report()
        r = self.follow(code, "add", text="Extra detail %s" % MARKER)
        self.assertEqual(r.status, 200, self.srv.stderr())
        self.assertIn("Your message has been added.", r.body)
        self.assertEqual(r.body.count(MARKER), 2)
        r = self.follow(code, "add", text="   ")
        self.assertIn("was not sent", r.body)
        r = self.follow(code, "second", text="Not handled")
        self.assertIn("Second opinion requested", r.body)
        rows = self.q("SELECT status, second_opinion_day IS NOT NULL "
                      "FROM reports")
        self.assertEqual(rows, [(5, 1)])
        kinds = self.q("SELECT author, kind FROM messages ORDER BY seq")
        self.assertEqual(kinds, [(0, 0), (0, 0), (0, 5)])

    def desk_says(self, kind, text):
        """Adds a desk message straight into the database, sealed as the
        desk's side seals it (its own tests go through its routes)."""
        (rid, rpk, ppk), = self.q("SELECT id, reply_pk, report_pk FROM "
                                  "reports WHERE status != 4")
        c = sqlite3.connect(self.db)
        try:
            seq = c.execute("SELECT max(seq) + 1 FROM messages WHERE "
                            "report_id = ?", (rid,)).fetchone()[0]
            c.execute("INSERT INTO messages VALUES (?, ?, 1, ?, 20000, ?, ?)",
                      (rid, seq, kind, desk_seal(ppk, text),
                       desk_seal(rpk, text)))
            c.commit()
        finally:
            c.close()
        return seq

    def test_desk_question_and_consent_as_the_reporter_sees_them(self):
        code, _ = self.report()
        q = self.desk_says(1, "When did it start?")
        ask = self.desk_says(2, "May we talk to your manager?")
        ask2 = self.desk_says(2, "May we tell HR?")
        r = self.follow(code)
        self.assertEqual(r.status, 200)
        self.assertIn("When did it start?", r.body)
        self.assertIn("Reporting desk: Question", r.body)
        self.assertIn('id="answer-%d"' % q, r.body)
        self.assertIn('id="consent-%d"' % ask, r.body)
        r = self.follow(code, "answer", to=str(q), text="Last spring")
        self.assertIn("Last spring", r.body)
        r = self.follow(code, "consent_yes", to=str(ask), text="")
        self.assertIn("passed on", r.body)
        self.assertNotIn('id="consent-%d"' % ask, r.body)
        self.assertIn('id="consent-%d"' % ask2, r.body)
        r = self.follow(code, "consent_no", to=str(ask2), text="Not yet")
        self.assertNotIn('id="consent-%d"' % ask2, r.body)
        # A reply must name a desk's question or proposal of this report.
        for to in ("x", "1", str(q)):
            r = self.follow(code, "consent_no", to=to, text="no")
            self.assertIn("was not sent", r.body)
        self.assertIn("was not sent", self.follow(
            code, "answer", to=str(ask), text="wrong target").body)
        kinds = self.q("SELECT author, kind FROM messages ORDER BY seq")
        self.assertEqual(kinds, [(0, 0), (1, 1), (1, 2), (1, 2), (0, 0),
                                 (0, 3), (0, 4)])
        # The desk's messages survive a new code.
        new = code_of(self.follow(code, "rekey").body)
        r = self.follow(new)
        self.assertIn("May we tell HR?", r.body)
        self.assertIn("Last spring", r.body)

    def test_replace_receipt(self):
        code, _ = self.report()
        self.follow(code, "add", text="Second message")
        r = self.follow(code, "rekey")
        self.assertEqual(r.status, 200)
        new = code_of(r.body)
        self.assertIsNotNone(new)
        self.assertNotEqual(new, code)
        self.assertIn("old code no longer works", r.body)
        self.assertEqual(self.follow(code).status, 404)
        r = self.follow(new)
        self.assertEqual(r.status, 200)
        self.assertIn(MARKER, r.body)
        self.assertIn("Second message", r.body)

    def test_withdraw_erases_content_from_file_and_wal(self):
        code, _ = self.report()
        self.follow(code, "add", text="More %s" % MARKER)
        blobs = [b for row in self.q("SELECT for_desk, for_reporter FROM "
                                     "messages") for b in row]
        blobs += [self.q("SELECT sealed_key FROM reports")[0][0]]
        r = self.follow(code, "withdraw")
        self.assertEqual(r.status, 200)
        self.assertIn('name="sure"', r.body)
        r = self.follow(code, "withdraw_confirm")
        self.assertEqual(r.status, 422)
        self.assertEqual(self.q("SELECT count(*) FROM messages")[0][0], 2)
        r = self.follow(code, "withdraw_confirm", sure="1")
        self.assertEqual(r.status, 200)
        self.assertIn("withdrawn", r.body)
        self.assertEqual(self.q("SELECT count(*) FROM messages")[0][0], 0)
        row = self.q("SELECT status, receipt_hash, report_pk, sealed_key, "
                     "reply_salt, reply_pk, unit, received_day IS NOT NULL "
                     "FROM reports")
        self.assertEqual(row, [(4, None, None, None, None, None, None, 1)])
        self.assertEqual(self.follow(code).status, 404)
        for path in (self.db, self.db + "-wal"):
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                raw = f.read()
            self.assertFalse(MARKER.encode() in raw, path)
            for b in blobs:
                self.assertFalse(bytes(b[16:64]) in raw, path)

    def test_bruteforce_burst_is_rate_limited_without_addresses(self):
        code, _ = self.report()
        statuses = [self.follow(valid_unknown_receipt()).status
                    for _ in range(15)]
        self.assertIn(429, statuses)
        self.assertEqual(statuses[0], 404)
        # Limited now, even with the right code: the budget is per client.
        self.assertEqual(self.follow(code).status, 429)
        self.srv.stop()
        for path in (self.db, self.db + "-wal", self.db + "-shm"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw = f.read()
                self.assertFalse(b"127.0.0.1" in raw, path)
        out = self.srv.stdout() + self.srv.stderr()
        self.assertNotIn("127.0.0.1:", out.replace(
            "127.0.0.1 port", ""))
        self.assertNotIn(code, out)
        self.assertNotIn(MARKER, out)

    def test_nothing_identifying_in_db_or_output(self):
        code, _ = self.report(cluster="staf")
        self.follow(code, "add", text="Another %s" % MARKER)
        self.srv.stop()
        for path in (self.db, self.db + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    raw = f.read()
                self.assertFalse(MARKER.encode() in raw, path)
                self.assertFalse(code.encode() in raw, path)
                self.assertFalse(code.replace("-", "").encode() in raw,
                                 path)
        out = self.srv.stdout() + self.srv.stderr()
        self.assertNotIn(code, out)
        self.assertNotIn(MARKER, out)


class ReportLinkTest(ReporterTest):
    extra_args = ["--report-links-required"]

    def links(self, n=5):
        out = os.path.join(self.tmp, "links.csv")
        sheet = os.path.join(self.tmp, "links.html")
        harness.run_ok("report-links", "issue", "--db", self.db, "--count",
                       str(n), "--base-url", "http://127.0.0.1:%d/"
                       % self.port, "--out", out, "--sheet", sheet)
        with open(sheet) as f:
            text = f.read()
        self.assertIn("<svg", text)
        # Each card says where the receipt code goes, in full.
        follow = "http://127.0.0.1:%d/melden/volg" % self.port
        self.assertEqual(text.count(">%s</span>" % follow), 2 * n)
        with open(out) as f:
            return [ln.strip() for ln in f.read().splitlines()[1:]]

    def test_links_required(self):
        r = get(self.port, "/melden")
        self.assertEqual(r.status, 403)
        self.assertIn("meldlink", r.body)
        self.assertEqual(post(self.port, "/melden", {"wat_gebeurd": "x", "toestemming": "ja_lezen_reageren"}).status,
                         403)
        links = self.links()
        self.assertEqual(len(links), 5)
        path = links[0].split("127.0.0.1:%d" % self.port)[1]
        self.assertEqual(get(self.port, path).status, 200)
        r = post(self.port, path, {"wat_gebeurd": MARKER, "toestemming": "ja_lezen_reageren"})
        self.assertEqual(r.status, 200)
        self.assertIsNotNone(code_of(r.body))
        self.assertEqual(get(self.port, path).status, 410)
        self.assertEqual(post(self.port, path, {"wat_gebeurd": "again", "toestemming": "ja_lezen_reageren"}).status,
                         410)
        self.assertEqual(self.q("SELECT count(*) FROM reports")[0][0], 1)
        bad = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
        self.assertEqual(get(self.port, bad).status, 404)

    def test_small_batch_refused(self):
        p = harness.run("report-links", "issue", "--db", self.db,
                        "--count", "2", "--base-url", "http://x.example",
                        "--out", os.path.join(self.tmp, "s.csv"))
        self.assertEqual(p.returncode, 3)


# The link class runs only its own tests, not the inherited ones.
for _name in [n for n in dir(ReporterTest) if n.startswith("test_")]:
    if _name not in ReportLinkTest.__dict__:
        setattr(ReportLinkTest, _name, None)

if __name__ == "__main__":
    unittest.main()
