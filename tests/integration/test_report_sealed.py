"""Reports sealed in the browser, posted over HTTP on 127.0.0.1 to a real
server with a real database: the values web/seal/seal.js posts are made
here with libsodium itself (through ctypes): a receipt, its reply key
(Argon2id), a report key sealed to the desk key the form states, the
padded text sealed twice. A well-formed post is stored and its receipt
opens the reporter's copy (also through a report link, which it
spends); every malformed one (a wrong version, a
message of the wrong size or of two sizes, a key of the wrong size, bad
encoding, a missing field, a reply key that is not the receipt's, an
answer sent in the clear, a unit that is not an option) gets 422 naming
the field, and nothing is stored.
"""
import base64
import ctypes
import ctypes.util
import hashlib
import html
import os
import re
import secrets
import shutil
import sqlite3
import unittest

import harness
from harness import get, post

MARKER = "Verzegeld-merkteken-%s" % secrets.token_hex(4)

sodium = ctypes.CDLL(ctypes.util.find_library("sodium"))
assert sodium.sodium_init() >= 0


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def box_seal(m, pk):
    out = ctypes.create_string_buffer(len(m) + 48)
    assert sodium.crypto_box_seal(out, m, ctypes.c_ulonglong(len(m)),
                                  bytes(pk)) == 0
    return out.raw


def keypair():
    pk = ctypes.create_string_buffer(32)
    sk = ctypes.create_string_buffer(32)
    assert sodium.crypto_box_keypair(pk, sk) == 0
    return pk.raw, sk.raw


def reply_key(receipt, salt):
    """crypto/receipt.h: Argon2id (2 passes, 32 MiB) -> seed -> key pair."""
    seed = ctypes.create_string_buffer(32)
    assert sodium.crypto_pwhash(
        seed, ctypes.c_ulonglong(32), receipt, ctypes.c_ulonglong(15), salt,
        ctypes.c_ulonglong(2), ctypes.c_size_t(32 << 20), 2) == 0
    pk = ctypes.create_string_buffer(32)
    sk = ctypes.create_string_buffer(32)
    assert sodium.crypto_box_seed_keypair(pk, sk, seed) == 0
    return pk.raw


def padded(text, bucket=1024, when=1764095400):
    plain = b"\x01" + when.to_bytes(8, "big") + text.encode()
    return plain + b"\x80" + b"\0" * (bucket - len(plain) - 1)


def sealed_fields(desk_pk, text=MARKER, bucket=1024):
    """What seal.js posts (in its field order), as a dict."""
    receipt = secrets.token_bytes(15)
    salt = secrets.token_bytes(16)
    rpk, rsk = keypair()
    reply_pk = reply_key(receipt, salt)
    p = padded(text, bucket)
    return {
        "sealed": "1",
        "receipt": receipt.hex(),
        "reply_salt": b64u(salt),
        "reply_pk": b64u(reply_pk),
        "report_pk": b64u(rpk),
        "sealed_key": b64u(box_seal(rsk, desk_pk)),
        "for_desk": b64u(box_seal(p, rpk)),
        "for_reporter": b64u(box_seal(p, reply_pk)),
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "cluster": "sociaal",
    }


def code_of(body):
    m = re.search(r'<p class="report-code"><code>(.+?)</code>', body)
    return re.sub(r"<[^>]*>", "", m.group(1)) if m else None


class SealedReportTest(unittest.TestCase):

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
        self.srv = harness.Server(self.db, self.tmp).start()
        self.port = self.srv.port
        self.en = harness.load_messages("en")
        r = get(self.port, "/melden?lang=en")
        self.assertEqual(r.status, 200)
        m = re.search(r'data-desk-pk="([A-Za-z0-9+/=]{44})"', r.body)
        self.assertIsNotNone(m, "the form states the desk key")
        self.desk_pk = base64.b64decode(m.group(1))
        self.assertIn('src="/static/seal.js" integrity="sha512-', r.body)

    def tearDown(self):
        self.srv.stop()
        harness.rmtree(self.tmp)

    def reports(self):
        c = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        try:
            return c.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            c.close()

    def send(self, fields, lang="en"):
        return post(self.port, "/melden", [("lang", lang)] +
                    list(fields.items()))

    def assertRefused(self, fields, field, why):
        r = self.send(fields)
        self.assertEqual(r.status, 422, r.body[:300])
        text = harness.page_text(r.body)
        self.assertIn("<code>%s</code>" % field, r.body)
        self.assertIn(self.en["report.sealed_bad." + why], text)
        self.assertIn(self.en["report.error_not_stored"], text)
        self.assertEqual(self.reports(), 0, "nothing is stored")

    def test_a_sealed_report_is_stored_and_opens_with_its_receipt(self):
        r = self.send(sealed_fields(self.desk_pk))
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn(self.en["report.sealed_in_browser"],
                      harness.page_text(r.body))
        self.assertNotIn(MARKER, r.body)
        self.assertEqual(self.reports(), 1)
        with open(self.db, "rb") as f:
            self.assertNotIn(MARKER.encode(), f.read())
        code = code_of(r.body)
        self.assertIsNotNone(code)
        # The reporter's copy (for_reporter) opens with the receipt.
        v = harness.post_volg(self.port, {"lang": "en", "receipt": code,
                                          "action": "login"})
        self.assertEqual(v.status, 200)
        self.assertIn(MARKER, v.body)

    def test_the_receipt_page_after_the_redirect_says_browser(self):
        r = get(self.port, "/melden?lang=en")
        once = re.search(r'name="once" value="([^"]+)"', r.body).group(1)
        f = sealed_fields(self.desk_pk)
        f["once"] = once
        r = self.send(f)
        self.assertEqual(r.status, 303)
        r = get(self.port, r.header("Location"))
        self.assertEqual(r.status, 200)
        self.assertIn(self.en["report.sealed_in_browser"],
                      harness.page_text(r.body))
        # "Continue" without ticking "saved": the same page, and still
        # where the text was sealed.
        ack = html.unescape(re.search(
            r'<textarea id="ack"[^>]*>(.*?)</textarea>', r.body,
            re.S).group(1))
        r = post(self.port, "/melden/opgeslagen", [
            ("lang", "en"), ("code", code_of(r.body)), ("ack", ack),
            ("once", once)])
        self.assertEqual(r.status, 422)
        self.assertIn(self.en["report.sealed_in_browser"],
                      harness.page_text(r.body))
        # A form sent by the server's own sealing says so instead.
        r = get(self.port, "/melden?lang=en")
        once = re.search(r'name="once" value="([^"]+)"', r.body).group(1)
        r = post(self.port, "/melden", [
            ("lang", "en"), ("once", once), ("wat_gebeurd", MARKER),
            ("toestemming", "ja_lezen_reageren")])
        self.assertEqual(r.status, 303)
        text = harness.page_text(get(self.port, r.header("Location")).body)
        self.assertIn(self.en["report.sealed_on_server"], text)
        self.assertNotIn(self.en["report.sealed_in_browser"], text)

    def test_a_larger_text_in_the_4_kib_size(self):
        r = self.send(sealed_fields(self.desk_pk, MARKER * 40, 4096))
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.reports(), 1)

    def test_a_sealed_report_spends_its_report_link(self):
        out = os.path.join(self.tmp, "links.csv")
        harness.run_ok("report-links", "issue", "--db", self.db, "--count",
                       "5", "--base-url", "http://127.0.0.1:%d/" % self.port,
                       "--out", out, "--sheet",
                       os.path.join(self.tmp, "links.html"))
        with open(out) as f:
            link = f.read().splitlines()[1].strip()
        path = link.split("127.0.0.1:%d" % self.port)[1]
        r = get(self.port, path)
        self.assertEqual(r.status, 200)
        self.assertIn("data-desk-pk=", r.body)
        fields = [("lang", "en")] + list(sealed_fields(self.desk_pk).items())
        r = post(self.port, path, fields)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn(self.en["report.sealed_in_browser"], r.body)
        again = [("lang", "en")] + list(sealed_fields(self.desk_pk).items())
        self.assertEqual(post(self.port, path, again).status, 410)
        self.assertEqual(self.reports(), 1)

    def test_an_unknown_version_is_refused(self):
        f = sealed_fields(self.desk_pk)
        f["sealed"] = "2"
        self.assertRefused(f, "sealed", "version")

    def test_a_message_of_the_wrong_size_is_refused(self):
        good = sealed_fields(self.desk_pk)
        for n in (1024 + 48 - 1, 2000 + 48, 48, 16384 + 49):
            f = dict(good)
            f["for_desk"] = b64u(secrets.token_bytes(n))
            self.assertRefused(f, "for_desk", "size")

    def test_two_sizes_for_one_text_are_refused(self):
        f = sealed_fields(self.desk_pk)
        f["for_reporter"] = b64u(secrets.token_bytes(4096 + 48))
        self.assertRefused(f, "for_reporter", "size")

    def test_keys_of_the_wrong_size_are_refused(self):
        good = sealed_fields(self.desk_pk)
        for name, n in (("reply_pk", 31), ("report_pk", 33),
                        ("sealed_key", 79), ("reply_salt", 15)):
            f = dict(good)
            f[name] = b64u(secrets.token_bytes(n))
            self.assertRefused(f, name, "size")
        f = dict(good)
        f["text_sha256"] = "ab" * 31
        self.assertRefused(f, "text_sha256", "size")

    def test_bad_encoding_and_missing_fields_are_refused(self):
        good = sealed_fields(self.desk_pk)
        f = dict(good)
        f["receipt"] = "zz" * 15
        self.assertRefused(f, "receipt", "encoding")
        f = dict(good)
        f["report_pk"] = "!!" + good["report_pk"][2:]
        self.assertRefused(f, "report_pk", "encoding")
        f = dict(good)
        del f["sealed_key"]
        self.assertRefused(f, "sealed_key", "missing")

    def test_a_reply_key_not_of_the_receipt_is_refused(self):
        f = sealed_fields(self.desk_pk)
        f["reply_pk"] = b64u(keypair()[0])
        self.assertRefused(f, "reply_pk", "mismatch")

    def test_answers_in_the_clear_are_refused(self):
        f = sealed_fields(self.desk_pk)
        f["wat_gebeurd"] = MARKER
        self.assertRefused(f, "wat_gebeurd", "clear")
        f = sealed_fields(self.desk_pk)
        f["cluster"] = "geen_optie"
        self.assertRefused(f, "cluster", "option")


if __name__ == "__main__":
    unittest.main()
