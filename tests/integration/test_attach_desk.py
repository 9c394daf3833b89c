"""The desk downloads a report's attachment through its session
(GET /desk/r/ID/file?a=AID): the cleaned file, as the cleaner made it,
with its type, Content-Disposition: attachment and nosniff; nothing for
anyone without a desk session, 404 for an unknown attachment.

The attachment comes as a reporter sends it: a photo with GPS EXIF, XMP,
IPTC, a comment and a thumbnail, uploaded with the report on /melden
(multipart/form-data); the server cleans it in its confined worker and
stores it sealed. Its id is read from the desk's report page."""

import http.client
import os
import re
import sqlite3
import unittest

import attach_files as af
import harness
from desk_util import (CODE_RE, Client, DESK_PW, REPORTER_ADDR, Server,
                       follow, report_ids, setup_desk)


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

    def upload_report(self, client, text, name, path):
        """Files a report with the file at path attached as name; returns
        the receipt code, the report's id and the attachment's id (from
        the desk's report page)."""
        from test_attach_upload import post_report
        before = set(report_ids(client.get("/desk").body))
        with open(path, "rb") as f:
            r = post_report(self.port, [("file", name, f.read())],
                            text=text)
        self.assertEqual(r.status, 200, r.body[:400])
        code = re.sub(r"<[^>]*>", "", CODE_RE.search(r.body).group(1))
        rid, = set(report_ids(client.get("/desk").body)) - before
        aids = re.findall(r'/desk/r/%s/file\?a=([0-9a-f]{32})' % rid,
                          client.get("/desk/r/" + rid).body)
        self.assertEqual(len(aids), 1)
        return code, rid, aids[0]

    def test_desk_downloads_cleaned_file_with_safe_headers(self):
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        photo = af.photo_jpeg(self.tmp)
        self.assertTrue(af.identifying(photo))
        _, rid, aid = self.upload_report(
            client, "Er is iets gebeurd op het werk.",
            "foto van de brief é.jpg", photo)
        # The server's cleaner gives what `gehoord clean` gives.
        clean = os.path.join(self.tmp, "clean.jpg")
        harness.run_ok("clean", "--in", photo, "--out", clean)
        with open(clean, "rb") as f:
            data = f.read()

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
        code, rid, aid = self.upload_report(
            client, "Een melding met een bijlage.", "brief.jpg",
            af.photo_jpeg(self.tmp))
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
