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
import os
import re
import sqlite3
import unittest

import attach_files as af
import harness
from desk_util import (CODE_RE, Client, DESK_PW, Server, reporter_addr,
                       setup_desk)
from test_attach_upload import multipart, post_report, read

TYPED = "Mijn aanvulling, met 'aanhalingstekens' & meer."


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

    def new_report(self, files=()):
        r = post_report(self.port, list(files))
        self.assertEqual(r.status, 200, r.body[:400])
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
        (rid,), = self.query("SELECT report_id FROM report_attachments "
                             "WHERE seq IS NULL")
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


if __name__ == "__main__":
    unittest.main()
