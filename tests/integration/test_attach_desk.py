"""The desk downloads a report's attachment through its session
(GET /desk/r/ID/file?a=AID): the cleaned file, as the cleaner made it,
with its type, Content-Disposition: attachment and nosniff; nothing for
anyone without a desk session, 404 for an unknown attachment.

The reporter's upload form is not there yet, so the attachment is put in
the way the upload will: a file with GPS EXIF, XMP, IPTC, a comment and a
thumbnail goes through `gehoord clean` (the same confined cleaner), and
is then sealed here to the report key in the format of
server/report/attach_seal.h (with PyNaCl: crypto_box_seal) and stored in
report_attachments."""

import http.client
import os
import sqlite3
import struct
import time
import unittest

import nacl.public

import attach_files as af
import harness
from desk_util import (Client, DESK_PW, REPORTER_ADDR, Server, file_report,
                       follow, report_ids, setup_desk)

TYPE_JPEG = 1


def seal_attachment(pk, name, kind, data):
    """The plaintext of attach_seal.h, padded (sodium_pad) to its size
    class and sealed to pk."""
    plain = (bytes([1]) + struct.pack(">Q", int(time.time())) +
             bytes([kind, len(name.encode())]) + name.encode() + data)
    cls = 64 * 1024
    while len(plain) >= cls:
        cls *= 2
    plain += b"\x80" + b"\0" * (cls - len(plain) - 1)
    return nacl.public.SealedBox(nacl.public.PublicKey(pk)).encrypt(plain)


def raw_get(port, path, cookie=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path, headers={"Cookie": "gh_session=" + cookie}
                  if cookie else {})
        r = c.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), \
            r.read()
    finally:
        c.close()


class DeskDownloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.rmtree(cls.tmp)

    def store_attachment(self, rid, name, path):
        with open(path, "rb") as f:
            data = f.read()
        c = sqlite3.connect(self.db, timeout=30)
        try:
            pk, = c.execute("SELECT report_pk FROM reports WHERE id = ?",
                            (bytes.fromhex(rid),)).fetchone()
            blob = seal_attachment(bytes(pk), name, TYPE_JPEG, data)
            aid = os.urandom(16)
            c.execute("INSERT INTO report_attachments VALUES (?, ?, ?, ?, ?)",
                      (bytes.fromhex(rid), aid, int(time.time()) // 86400,
                       blob, blob))
            c.commit()
        finally:
            c.close()
        return aid.hex(), data

    def test_desk_downloads_cleaned_file_with_safe_headers(self):
        file_report(self.port, "Er is iets gebeurd op het werk.")
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        rid = report_ids(client.get("/desk").body)[0]
        photo = af.photo_jpeg(self.tmp)
        self.assertTrue(af.identifying(photo))
        clean = os.path.join(self.tmp, "clean.jpg")
        harness.run_ok("clean", "--in", photo, "--out", clean)
        aid, data = self.store_attachment(rid, "foto van de brief é.jpg",
                                          clean)

        path = "/desk/r/%s/file?a=%s" % (rid, aid)
        status, headers, body = raw_get(self.port, path, client.cookie)
        self.assertEqual(status, 200)
        self.assertEqual(body, data)
        self.assertEqual(headers["content-type"], "image/jpeg")
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        self.assertTrue(headers["content-disposition"].startswith(
            'attachment; filename="foto_van_de_brief___.jpg"'))
        self.assertIn("filename*=UTF-8''foto%20van%20de%20brief%20%C3%A9.jpg",
                      headers["content-disposition"])
        got = os.path.join(self.tmp, "downloaded.jpg")
        with open(got, "wb") as f:
            f.write(body)
        self.assertEqual(af.identifying(got), {})

        # Without a session: to the login page, no file.
        status, headers, body = raw_get(self.port, path)
        self.assertEqual(status, 303)
        self.assertNotEqual(body, data)
        # An unknown attachment, a malformed id: 404.
        for bad in ("/desk/r/%s/file?a=%s" % (rid, "00" * 16),
                    "/desk/r/%s/file?a=zz" % rid,
                    "/desk/r/%s/file" % rid):
            status, _, body = raw_get(self.port, bad, client.cookie)
            self.assertEqual(status, 404, bad)

    def test_withdrawal_deletes_attachments(self):
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        before = set(report_ids(client.get("/desk").body))
        code = file_report(self.port, "Een melding met een bijlage.")
        rid, = set(report_ids(client.get("/desk").body)) - before
        clean = os.path.join(self.tmp, "clean-wd.jpg")
        harness.run_ok("clean", "--in", af.photo_jpeg(self.tmp), "--out",
                       clean)
        aid, _ = self.store_attachment(rid, "brief.jpg", clean)
        path = "/desk/r/%s/file?a=%s" % (rid, aid)
        self.assertEqual(raw_get(self.port, path, client.cookie)[0], 200)

        r = follow(self.port, code, "withdraw_confirm", REPORTER_ADDR,
                   sure="1")
        self.assertEqual(r.status, 200)
        c = sqlite3.connect(self.db, timeout=30)
        try:
            n, = c.execute("SELECT count(*) FROM report_attachments WHERE "
                           "report_id = ?", (bytes.fromhex(rid),)).fetchone()
        finally:
            c.close()
        self.assertEqual(n, 0)
        self.assertEqual(raw_get(self.port, path, client.cookie)[0], 404)


if __name__ == "__main__":
    unittest.main()
