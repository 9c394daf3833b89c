"""Files in the conversation of a report, on the real server.

A reporter's follow-up with a refused file (wrong type, too many, too
large, damaged) is answered 422 with the conversation again: the typed
text kept, the file named in an error summary linked to the file field,
nothing stored. A follow-up's text and files are one message stored in
one transaction. The desk attaches files to a reply (multipart, CSRF
checked, the same cleaner and refusals); the reporter sees them with the
reply and downloads their own files and the desk's by a POST carrying
the receipt, cleaned of metadata (exiftool reads them)."""

import html
import http.client
import os
import re
import sqlite3
import unittest
import urllib.parse

import attach_files as af
import harness
from desk_util import (CODE_RE, Client, DESK_PW, Server, reporter_addr,
                       setup_desk)
from test_attach_upload import multipart, post_report, read

TYPED = "Mijn aanvulling, met 'aanhalingstekens' & meer."
REPLY = "Zie de brief in de bijlage, met 'citaat' & meer."
UNKNOWN = "There is no report with this code."


def raw_post(port, path, body, ct, cookie=None, source_address=None):
    """A POST whose answer is kept as bytes (a download)."""
    h = {"Content-Type": ct}
    if cookie:
        h["Cookie"] = "gh_session=" + cookie
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120,
                                   source_address=source_address)
    try:
        c.request("POST", path, body=body, headers=h)
        r = c.getresponse()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), \
            r.read()
    finally:
        c.close()


class ReplyFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp,
                            extra=["--reports-per-minute", "1000"]).start()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.rmtree(cls.tmp)

    def query(self, sql, args=()):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def count(self, table):
        return self.query("SELECT count(*) FROM %s" % table)[0][0]

    def report_ids(self):
        return set(r[0].hex() for r in self.query("SELECT id FROM reports"))

    def new_report(self, files=()):
        """Files a report; its receipt code (self.rid: its id)."""
        before = self.report_ids()
        r = post_report(self.port, list(files))
        self.assertEqual(r.status, 200, r.body[:400])
        (self.rid,) = self.report_ids() - before
        return re.sub(r"<[^>]*>", "", CODE_RE.search(r.body).group(1))

    def post_follow(self, code, text, files, lang="en", action="add"):
        body, ct = multipart([("lang", lang), ("receipt", code),
                              ("action", action), ("text", text)], files)
        return harness.request(self.port, "POST", "/melden/volg", body=body,
                               headers={"Content-Type": ct},
                               source_address=reporter_addr(), timeout=120)

    def assert_refused(self, r, name, why):
        """422, the conversation again: the text kept, the file named in
        a summary linked to the file field and by the field."""
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn('<div class="error-summary"', r.body)
        self.assertIn('<a href="#add-files">', r.body)
        self.assertIn('id="add-files-error"', r.body)
        self.assertIn('aria-describedby="add-files-hint add-files-error"',
                      r.body)
        self.assertIn('name="text" rows="5" maxlength="4000">' +
                      html.escape(TYPED, quote=True).replace("&#x27;",
                                                             "&#39;") +
                      "</textarea>", r.body)
        if name:
            self.assertIn(name, r.body)
        self.assertIn(why, r.body)

    def test_refused_follow_up_files_are_422_and_store_nothing(self):
        code = self.new_report()
        msgs, files = self.count("messages"), self.count(
            "report_attachments")
        photo = af.photo_jpeg(self.tmp)
        cases = [
            ([("file", "notities.txt", b"gewone tekst\n")],
             "Attachment \u201cnotities.txt\u201d",
             "this kind of file is not accepted"),
            ([("file", "half.jpg", read(af.truncated(photo, self.tmp)))],
             "Attachment \u201chalf.jpg\u201d", "damaged or incomplete"),
            ([("file", "f%d.jpg" % i, read(photo)) for i in range(6)],
             None, "more than 5 files"),
            ([("file", "groot.pdf", b"%PDF-1.4\n" + b"0" * (11 << 20))],
             "Attachment \u201cgroot.pdf\u201d", "larger than 10 MB"),
        ]
        for files_sent, name, why in cases:
            with self.subTest(why=why):
                r = self.post_follow(code, TYPED, files_sent)
                self.assert_refused(r, name, why)
        self.assertEqual(self.count("messages"), msgs)
        self.assertEqual(self.count("report_attachments"), files)
        # Dutch: the words of report_files.c.
        r = self.post_follow(code, TYPED, cases[0][0], lang="nl")
        self.assert_refused(r, "Bijlage \u201cnotities.txt\u201d",
                            "dit soort bestand")
        self.assertEqual(self.count("messages"), msgs)

    def test_follow_up_text_and_files_are_one_message(self):
        code = self.new_report([("file", "eerste.png",
                                 read(af.screenshot_png(self.tmp)))])
        rid = bytes.fromhex(self.rid)
        r = self.post_follow(code, TYPED,
                             [("file", "foto.jpg",
                               read(af.photo_jpeg(self.tmp))),
                              ("file", "brief.pdf",
                               read(af.letter_pdf(self.tmp)))])
        self.assertEqual(r.status, 303, r.body[:300])
        (seq, author), = self.query(
            "SELECT seq, author FROM messages WHERE report_id = ? AND "
            "seq = (SELECT max(seq) FROM messages WHERE report_id = ?)",
            (rid, rid))
        self.assertEqual(author, 0)
        got = self.query("SELECT seq FROM report_attachments WHERE "
                         "report_id = ? ORDER BY seq", (rid,))
        self.assertEqual(sorted(got, key=lambda x: x[0] or 0),
                         [(None,), (seq,), (seq,)])

    def desk(self):
        client = Client(self.port)
        self.assertEqual(client.login("anna", DESK_PW).status, 303)
        return client

    def desk_reply(self, client, rid, text, files, csrf=None):
        body, ct = multipart([("csrf", csrf or client.csrf), ("lang", "en"),
                              ("kind", "text"), ("text", text)], files)
        return raw_post(self.port, "/desk/r/%s/reply" % rid, body, ct,
                        cookie=client.cookie)

    def conversation(self, code):
        r = harness.post_volg(self.port, {"lang": "en", "receipt": code,
                                          "action": "login"},
                              source_address=reporter_addr())
        self.assertEqual(r.status, 200, r.body[:300])
        return r.body

    def download(self, code, aid, lang="en"):
        body = urllib.parse.urlencode({"lang": lang, "receipt": code,
                                       "action": "file", "a": aid})
        return raw_post(self.port, "/melden/volg", body.encode(),
                        "application/x-www-form-urlencoded",
                        source_address=reporter_addr())

    def test_desk_reply_with_files_reaches_the_reporter_clean(self):
        code = self.new_report([("file", "mijn foto.jpg",
                                 read(af.photo_jpeg(self.tmp)))])
        rid = self.rid
        client = self.desk()
        page = client.get("/desk/r/%s?lang=en" % rid).body
        # The reply form takes files: enctype, a labelled input, limits.
        self.assertIn('action="/desk/r/%s/reply" enctype="multipart/'
                      'form-data"' % rid, page)
        self.assertIn('<label class="q-label" for="reply-files">', page)
        self.assertIn('aria-describedby="reply-files-hint"', page)
        self.assertIn("each at most 10 MB", page)
        msgs = self.count("messages")
        files = self.count("report_attachments")
        photo, letter = af.photo_jpeg(self.tmp), af.letter_pdf(self.tmp)
        sent = [("file", "foto van de plek.jpg", read(photo)),
                ("file", "brief.pdf", read(letter))]
        # A wrong CSRF token: refused, nothing stored.
        status, _, _ = self.desk_reply(client, rid, REPLY, sent,
                                       csrf="x" * 43)
        self.assertEqual(status, 403)
        # No session: the 64 KiB limit of any form (413), nothing stored.
        big = sent + [("file", "groot.png", os.urandom(200 * 1024))]
        body, ct = multipart([("csrf", client.csrf), ("kind", "text"),
                              ("text", REPLY)], big)
        status, headers, _ = raw_post(self.port, "/desk/r/%s/reply" % rid,
                                      body, ct)
        self.assertEqual(status, 413)
        body, ct = multipart([("csrf", client.csrf), ("kind", "text"),
                              ("text", REPLY)], sent)
        status, headers, _ = raw_post(self.port, "/desk/r/%s/reply" % rid,
                                      body, ct)
        self.assertNotIn(status, (200, 303))
        self.assertEqual(self.count("messages"), msgs)
        self.assertEqual(self.count("report_attachments"), files)
        # A refused file: 422, the reply kept, the file named, nothing.
        status, _, raw = self.desk_reply(
            client, rid, REPLY, sent + [("file", "notities.txt", b"tekst")])
        page = raw.decode()
        self.assertEqual(status, 422, page[:300])
        self.assertIn("Attachment \u201cnotities.txt\u201d", page)
        self.assertIn('<a href="#reply-files">', page)
        self.assertIn('aria-describedby="reply-files-hint '
                      'reply-files-error"', page)
        self.assertIn(">" + html.escape(REPLY, quote=True).replace(
            "&#x27;", "&#39;") + "</textarea>", page)
        self.assertEqual(self.count("messages"), msgs)
        self.assertEqual(self.count("report_attachments"), files)
        # Too many: 422 as well.
        status, _, raw = self.desk_reply(client, rid, REPLY, sent * 3)
        self.assertEqual(status, 422)
        self.assertIn("more than 5 files", raw.decode())
        self.assertEqual(self.count("report_attachments"), files)
        # Accepted: one desk message with both files, in one go.
        status, headers, _ = self.desk_reply(client, rid, REPLY, sent)
        self.assertEqual(status, 303)
        (seq,), = self.query(
            "SELECT max(seq) FROM messages WHERE report_id = ? AND "
            "author = 1", (bytes.fromhex(rid),))
        got = self.query("SELECT id FROM report_attachments WHERE "
                         "report_id = ? AND seq = ?",
                         (bytes.fromhex(rid), seq))
        self.assertEqual(len(got), 2)
        self.assertEqual(self.count("messages"), msgs + 1)
        # The desk's page lists them as the desk's.
        page = client.get("/desk/r/%s?lang=en" % rid).body
        self.assertRegex(page, r"brief\.pdf</a> \(PDF, [^)]*\) \u2013 "
                         r"sent by the desk")
        # The reporter sees them, marked, each with a download button in
        # a POST form: the receipt is never in a URL.
        conv = self.conversation(code)
        self.assertRegex(conv, r'foto van de plek\.jpg</span> \(JPEG, '
                         r'[^)]*\) \u2013 sent by the desk')
        self.assertRegex(conv, r'mijn foto\.jpg</span> \(JPEG, [^)]*\)\n')
        self.assertNotIn(code, " ".join(re.findall(r'(?:href|action)="'
                                                   r'([^"]*)"', conv)))
        forms = re.findall(r'<span id="file-([0-9a-f]{32})">([^<]*)</span>',
                           conv)
        self.assertEqual(len(forms), 3)
        self.assertIn('<form method="post" action="/melden/volg" '
                      'class="attach-get">', conv)
        for aid, name in forms:
            status, headers, data = self.download(code, aid)
            self.assertEqual(status, 200, name)
            self.assertEqual(headers["x-content-type-options"], "nosniff")
            self.assertEqual(headers["cache-control"], "no-store")
            self.assertTrue(headers["content-disposition"].startswith(
                "attachment; "))
            ext = ".pdf" if name.endswith(".pdf") else ".jpg"
            self.assertEqual(headers["content-type"], "application/pdf"
                             if ext == ".pdf" else "image/jpeg")
            path = os.path.join(self.tmp, "got-" + aid + ext)
            with open(path, "wb") as f:
                f.write(data)
            self.assertEqual(af.identifying(path), {}, name)
            # The same file the desk downloads.
            from test_attach_desk import raw_get
            st, _, desk_copy = raw_get(self.port, "/desk/r/%s/file?a=%s" %
                                       (rid, aid), client.cookie)
            self.assertEqual((st, desk_copy), (200, data))

    def test_download_refusals_are_the_unknown_code(self):
        code = self.new_report([("file", "a.png",
                                 read(af.screenshot_png(self.tmp)))])
        other = self.new_report([("file", "b.png",
                                  read(af.screenshot_png(self.tmp)))])
        ids = {}
        for c in (code, other):
            ids[c] = re.findall(r'<span id="file-([0-9a-f]{32})">',
                                self.conversation(c))
            self.assertEqual(len(ids[c]), 1)
        # A file of another report, an unknown id, a malformed one: 404,
        # the page of an unknown code.
        for aid in (ids[other][0], "0" * 32, "zz", ""):
            status, headers, data = self.download(code, aid)
            self.assertEqual(status, 404, aid)
            self.assertIn(UNKNOWN, data.decode())
            self.assertNotIn("content-disposition", headers)
        # A wrong code with a real file's id: the same.
        wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
        status, headers, data = self.download(wrong, ids[code][0])
        self.assertIn(status, (404, 422))
        self.assertNotIn("content-disposition", headers)
        status, headers, data = self.download(code, ids[code][0])
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
