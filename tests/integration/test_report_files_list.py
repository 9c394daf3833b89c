"""The chosen-files list of the report form and the follow-up form, over
HTTP on 127.0.0.1 against a real server: each page carries the hidden
box web/report_files.js fills (the field it belongs to, the limits the
server holds to: 5 files of 10 MB, names of 200 bytes; the server's own
refusal words in the page's language) and the script with an integrity
attribute that matches the bytes /static/report_files.js serves, under
the same CSP as every page (script-src 'self'). The browser's side is
tests/browser/report_files_list.test.mjs.
"""
import base64
import hashlib
import html
import re
import unittest

import harness
from harness import get
from desk_util import Server, file_report, follow, setup_desk

SCRIPT_RE = re.compile(r'<script src="/static/report_files.js" '
                       r'integrity="(sha512-[A-Za-z0-9+/=]+)" defer>'
                       r'</script>')


def box_of(body, field):
    """The data attributes of the list box for file field `field`."""
    m = re.search(r'<div class="file-list" hidden data-for="%s"([^>]*)>'
                  % re.escape(field), body)
    if m is None:
        return None
    return {k: html.unescape(v)
            for k, v in re.findall(r' data-([a-z-]+)="([^"]*)"', m.group(1))}


class FilesListTest(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        self.srv = Server(self.db, self.tmp).start()
        self.port = self.srv.port

    def tearDown(self):
        self.srv.stop()
        harness.rmtree(self.tmp)

    def check_box(self, body, field, lang):
        msg = harness.load_messages(lang)
        box = box_of(body, field)
        self.assertIsNotNone(box, "the list box follows #" + field)
        self.assertEqual(box["max"], "5")
        self.assertEqual(box["max-bytes"], str(10 * 1024 * 1024))
        self.assertEqual(box["name-max"], "200")
        self.assertEqual(box["locale"], "en-GB" if lang == "en" else "nl-NL")
        for attr, key in (("msg-type", "report.file.type"),
                          ("msg-size", "report.file.size"),
                          ("msg-bad-name", "report.file.bad_name"),
                          ("msg-too-many", "report.file.too_many"),
                          ("msg-remove", "report.files.remove"),
                          ("hint", "report.files.hint_js")):
            self.assertEqual(box[attr], msg[key], attr)
        # The script's integrity is that of the bytes served.
        m = SCRIPT_RE.search(body)
        self.assertIsNotNone(m, "the script, with its integrity")
        r = get(self.port, "/static/report_files.js")
        self.assertEqual(r.status, 200)
        digest = base64.b64encode(hashlib.sha512(r.body.encode("utf-8")).digest()).decode()
        self.assertEqual(m.group(1), "sha512-" + digest)
        self.assertIn("script-src 'self'",
                      r.header("Content-Security-Policy") or "")

    def test_report_form_carries_the_list_and_its_script(self):
        for lang in ("nl", "en"):
            r = get(self.port, "/melden?lang=" + lang)
            self.assertEqual(r.status, 200)
            self.check_box(r.body, "report-files", lang)
            # The box comes right after the field it lists.
            self.assertRegex(r.body, r'aria-describedby="report-files-hint">'
                             r'\s*<div class="file-list" hidden')

    def test_follow_up_form_carries_the_list_and_its_script(self):
        code = file_report(self.port, "Een melding voor de bestandenlijst.")
        r = follow(self.port, code)
        self.assertEqual((r.post_status, r.status), (303, 200))
        self.check_box(r.body, "add-files", "en")


if __name__ == "__main__":
    unittest.main()
