"""Reporters attach files to a new report on /melden as
multipart/form-data (up to 5 files of up to 10 MB). Every file goes
through the confined cleaner of `gehoord serve` (its supervisor, forked
before the server confines itself) and is stored sealed with the report,
in the same transaction. A refused file (a decompression bomb, a
truncated picture, too many or too large files) shows the form again with
422, the typed text kept and the file named; nothing is stored and the
server still answers. The desk downloads the cleaned files: no GPS, XMP,
IPTC, comment or thumbnail in a picture, no author or XMP in a PDF
(exiftool reads them)."""

import os
import re
import sqlite3
import time
import unittest
import uuid

import attach_files as af
import harness
from desk_util import (CODE_RE, Client, DESK_PW, REPORTER_ADDR, Server,
                       follow, report_ids, reporter_addr, setup_desk)
from test_attach_desk import raw_get

TEXT = "Mijn leidinggevende zei iets kwetsends; zie de foto en de brief."


def multipart(fields, files):
    """A multipart/form-data body as a browser sends it: fields is a list
    of (name, value), files a list of (name, filename, bytes)."""
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


def post_report(port, files, text=TEXT, path="/melden", timeout=120):
    body, ct = multipart([("lang", "nl"), ("wat_gebeurd", text),
                          ("toestemming", "ja_lezen_reageren")], files)
    return harness.request(port, "POST", path, body=body,
                           headers={"Content-Type": ct}, timeout=timeout)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class UploadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        # Many reports from one address in this test.
        cls.server = Server(cls.db, cls.tmp,
                            extra=["--reports-per-minute", "1000"]).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.rmtree(cls.tmp)

    def count(self, table):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            return c.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
        finally:
            c.close()

    def all_attachments(self):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            return set((r[0].hex(), r[1].hex()) for r in c.execute(
                "SELECT report_id, id FROM report_attachments"))
        finally:
            c.close()

    def attachment_ids(self, rid):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            return [r[0].hex() for r in c.execute(
                "SELECT id FROM report_attachments WHERE report_id = ?",
                (bytes.fromhex(rid),))]
        finally:
            c.close()

    def assert_refused(self, r, name, why):
        """422, the form again with the text kept and the file named."""
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn(TEXT.replace("'", "&#39;"), r.body)
        self.assertIn('<p class="notice" role="status">', r.body)
        if name:
            self.assertIn(name, r.body)
        self.assertIn(why, r.body)
        self.assertIsNone(CODE_RE.search(r.body))

    def test_cleaned_files_reach_the_desk_without_metadata(self):
        photo = af.photo_jpeg(self.tmp)
        shot = af.screenshot_png(self.tmp)
        letter = af.letter_pdf(self.tmp)
        for p in (photo, shot, letter):
            self.assertNotEqual(af.identifying(p), {}, p)
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        before = set(report_ids(client.get("/desk").body))
        r = post_report(self.port, [("file", "foto.jpg", read(photo)),
                                    ("file", "scherm.png", read(shot)),
                                    ("file", "brief.pdf", read(letter))])
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertIsNotNone(CODE_RE.search(r.body))
        rid, = set(report_ids(client.get("/desk").body)) - before
        aids = self.attachment_ids(rid)
        self.assertEqual(len(aids), 3)
        kinds = set()
        for aid in aids:
            status, headers, body = raw_get(
                self.port, "/desk/r/%s/file?a=%s" % (rid, aid),
                client.cookie)
            self.assertEqual(status, 200)
            kinds.add(headers["content-type"])
            ext = {"image/jpeg": ".jpg", "image/png": ".png",
                   "application/pdf": ".pdf"}[headers["content-type"]]
            got = os.path.join(self.tmp, "got-" + aid + ext)
            with open(got, "wb") as f:
                f.write(body)
            self.assertEqual(af.identifying(got), {}, headers)
        self.assertEqual(kinds, {"image/jpeg", "image/png",
                                 "application/pdf"})
        # The desk's report page lists them by name, with a link each.
        page = client.get("/desk/r/" + rid).body
        for name, kind in (("foto.jpg", "JPEG"), ("scherm.png", "PNG"),
                           ("brief.pdf", "PDF")):
            self.assertRegex(page, r"download>%s</a> \(%s, \d+(\.\d)? "
                             r"[KM]B\)" % (re.escape(name), kind))
        for aid in aids:
            self.assertIn("/desk/r/%s/file?a=%s" % (rid, aid), page)
        # The reporter's conversation lists theirs (opened with the reply
        # key): names, kinds and sizes.
        code = re.sub(r"<[^>]*>", "", CODE_RE.search(r.body).group(1))
        conv = follow(self.port, code, "login", REPORTER_ADDR).body
        for name, kind in (("foto.jpg", "JPEG"), ("scherm.png", "PNG"),
                           ("brief.pdf", "PDF")):
            self.assertRegex(conv, r'<li><span id="file-[0-9a-f]{32}">'
                             r"%s</span> \(%s, \d+(\.\d)? [KM]B\)"
                             % (re.escape(name), kind))

    def test_bomb_and_truncated_file_are_refused_and_nothing_stored(self):
        reports = self.count("reports")
        files = self.count("report_attachments")
        bomb = af.bomb_png(self.tmp)
        r = post_report(self.port, [("file", "gewoon.jpg",
                                     read(af.photo_jpeg(self.tmp))),
                                    ("file", "bom.png", read(bomb))])
        self.assert_refused(r, "bom.png", "te veel pixels")
        cut = af.truncated(af.photo_jpeg(self.tmp), self.tmp)
        r = post_report(self.port, [("file", "half.jpg", read(cut))])
        self.assert_refused(r, "half.jpg", "beschadigd of onvolledig")
        r = post_report(self.port, [("file", "tekst.txt", b"hallo\n" * 10)])
        self.assert_refused(r, "tekst.txt", "dit soort bestand")
        self.assertEqual(self.count("reports"), reports)
        self.assertEqual(self.count("report_attachments"), files)
        # The server still answers, and takes a report with a good file.
        self.assertEqual(harness.get(self.port, "/melden").status, 200)
        r = post_report(self.port, [("file", "goed.png",
                                     read(af.screenshot_png(self.tmp)))])
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertEqual(self.count("reports"), reports + 1)
        self.assertEqual(self.count("report_attachments"), files + 1)

    def test_too_many_and_too_large_files_are_refused(self):
        reports = self.count("reports")
        png = read(af.screenshot_png(self.tmp))
        r = post_report(self.port, [("file", "s%d.png" % i, png)
                                    for i in range(6)])
        self.assert_refused(r, None, "meer dan 5 bestanden")
        big = b"\xff\xd8\xff\xe0" + os.urandom(10 * 1024 * 1024)
        r = post_report(self.port, [("file", "groot.jpg", big)])
        self.assert_refused(r, "groot.jpg", "groter dan 10 MB")
        self.assertEqual(self.count("reports"), reports)
        # A body far over five files: 413 before it is read.
        body, ct = multipart([("lang", "nl")], [])
        r = harness.request(self.port, "POST", "/melden", body=body,
                            headers={"Content-Type": ct,
                                     "Content-Length": str(60 << 20)},
                            timeout=30)
        self.assertEqual(r.status, 413)

    def test_bodies_held_at_once_are_bounded(self):
        """Eight large bodies being sent at once are held; one more is
        answered 503 with Retry-After before its body is read; once they
        end, a report with a file goes through again."""
        import select
        import socket
        head = ("POST /melden HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=gehoordheld\r\n"
                "Content-Length: 40000000\r\n\r\n")
        part = (b"--gehoordheld\r\nContent-Disposition: form-data; name=\"bijlage\"; "
                b"filename=\"a.png\"\r\n\r\n" + b"x" * 4096)
        held = []
        try:
            for _ in range(8):
                c = socket.create_connection(("127.0.0.1", self.port),
                                             timeout=30)
                c.sendall(head.encode() + part)
                held.append(c)
            # A ninth: whichever of the nine the server counts last (the
            # two request threads may read the heads in another order)
            # is answered at once; the other eight wait for their bodies.
            c = socket.create_connection(("127.0.0.1", self.port),
                                         timeout=30)
            held.append(c)
            c.sendall(head.encode())
            ready, _, _ = select.select(held, [], [], 30)
            self.assertEqual(len(ready), 1, "one of nine is answered")
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = ready[0].recv(4096)
                if not chunk:
                    break
                answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 503"), answer[:200])
            self.assertIn(b"Retry-After:", answer)
        finally:
            for c in held:
                c.close()
        shot = af.screenshot_png(self.tmp)
        for _ in range(50):
            r = post_report(self.port, [("bijlage", "scherm.png",
                                         read(shot))])
            if r.status != 503:
                break
            time.sleep(0.1)
        self.assertIn(r.status, (200, 303), r.body[:400])

    def test_other_routes_keep_the_small_body_limit(self):
        body, ct = multipart([("lang", "nl")],
                             [("file", "a.png", b"x" * (100 * 1024))])
        r = harness.request(self.port, "POST", "/login", body=body,
                            headers={"Content-Type": ct}, timeout=30)
        self.assertEqual(r.status, 413)

    def test_malformed_multipart_bodies_change_nothing(self):
        reports = self.count("reports")
        # No boundary: not a form at all.
        r = harness.request(self.port, "POST", "/melden", body=b"x=1",
                            headers={"Content-Type": "multipart/form-data"},
                            timeout=30)
        self.assertEqual(r.status, 400)
        # Cut off inside a file: the form again, the upload named broken.
        body, ct = multipart([("lang", "nl"), ("wat_gebeurd", TEXT),
                              ("toestemming", "ja_lezen_reageren")],
                             [("file", "a.png",
                               read(af.screenshot_png(self.tmp)))])
        r = harness.request(self.port, "POST", "/melden",
                            body=body[:len(body) - 200],
                            headers={"Content-Type": ct}, timeout=30)
        self.assert_refused(r, None, "niet heel aangekomen")
        self.assertEqual(self.count("reports"), reports)

    def post_follow(self, code, text, files):
        """POST /melden/volg "add" with files, as the conversation's form
        does; follows its 303 to the view from the same address."""
        body, ct = multipart([("lang", "en"), ("receipt", code),
                              ("action", "add"), ("text", text)], files)
        addr = reporter_addr()
        r = harness.request(self.port, "POST", "/melden/volg", body=body,
                            headers={"Content-Type": ct},
                            source_address=addr, timeout=120)
        self.assertEqual(r.status, 303, r.body[:300])
        return harness.get(self.port, r.header("Location"),
                           source_address=addr)

    def test_follow_up_with_a_file(self):
        r = post_report(self.port, [])
        self.assertEqual(r.status, 200, r.body[:400])
        code = re.sub(r"<[^>]*>", "", CODE_RE.search(r.body).group(1))
        files = self.count("report_attachments")
        messages = self.count("messages")
        # A refused file adds nothing, not even the text: 422, named.
        body, ct = multipart([("lang", "en"), ("receipt", code),
                              ("action", "add"), ("text", "Nog een foto.")],
                             [("file", "half.jpg", read(af.truncated(
                                 af.photo_jpeg(self.tmp), self.tmp)))])
        v = harness.request(self.port, "POST", "/melden/volg", body=body,
                            headers={"Content-Type": ct},
                            source_address=reporter_addr(), timeout=120)
        self.assertEqual(v.status, 422, v.body[:300])
        self.assertIn("Attachment \u201chalf.jpg\u201d", v.body)
        self.assertEqual(self.count("messages"), messages)
        self.assertEqual(self.count("report_attachments"), files)
        # A good one: the text and the cleaned file, listed for the
        # reporter and downloadable by the desk without its metadata.
        before = self.all_attachments()
        photo = af.photo_jpeg(self.tmp)
        v = self.post_follow(code, "Nog een foto.",
                             [("file", "tweede foto.jpg", read(photo))])
        self.assertRegex(v.body, r'<li><span id="file-[0-9a-f]{32}">'
                         r"tweede foto\.jpg</span> \(JPEG, ")
        self.assertEqual(self.count("messages"), messages + 1)
        self.assertEqual(self.count("report_attachments"), files + 1)
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        (rid, aid), = self.all_attachments() - before
        status, _, body = raw_get(
            self.port, "/desk/r/%s/file?a=%s" % (rid, aid), client.cookie)
        self.assertEqual(status, 200)
        got = os.path.join(self.tmp, "follow.jpg")
        with open(got, "wb") as f:
            f.write(body)
        self.assertEqual(af.identifying(got), {})

    def test_form_offers_files_and_posts_multipart(self):
        page = harness.get(self.port, "/melden").body
        self.assertIn('enctype="multipart/form-data"', page)
        self.assertTrue(re.search(r'<input type="file" id="report-files" '
                                  r'name="file" multiple', page))
        self.assertIn('<label for="report-files">', page)


if __name__ == "__main__":
    unittest.main()
