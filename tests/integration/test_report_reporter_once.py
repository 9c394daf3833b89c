"""A reporter's POSTs take effect once: every reporter form carries a
one-time key, so a reload, Back or a double click never files a second
report or a second message. Over real HTTP on 127.0.0.1: each POST is
sent again with the same key, each GET reloaded, and the reports and
messages in the database are counted. The receipt is shown by a GET
after a 303 (POST, redirect, GET) from memory, never from a URL; it is
dropped once the reporter says it is written down. The receipt-login
limit counts only unknown codes.
"""
import re
import unittest

import harness
import test_report_reporter as trr
from harness import get, post
from test_report_reporter import MARKER, code_of, valid_unknown_receipt


def once_of(body):
    keys = re.findall(r'<input type="hidden" name="once" value="([^"]*)">',
                      body)
    return keys[0] if keys else None


class ReporterOnceTest(unittest.TestCase):
    # The server and helpers of test_report_reporter (not its tests).
    extra_args = []
    setUp = trr.ReporterTest.setUp
    tearDown = trr.ReporterTest.tearDown
    q = trr.ReporterTest.q
    report = trr.ReporterTest.report

    def count(self, table):
        return self.q("SELECT count(*) FROM %s" % table)[0][0]

    def form_key(self, lang="nl"):
        r = get(self.port, "/melden?lang=%s" % lang)
        self.assertEqual(r.status, 200)
        key = once_of(r.body)
        self.assertRegex(key, r"^[A-Za-z0-9_-]{22}$")
        return key

    def send_report(self, key, what=MARKER):
        r = post(self.port, "/melden", [("lang", "en"), ("toestemming", "ja_lezen_reageren"), ("wat_gebeurd", what),
                                        ("once", key)])
        self.assertEqual(r.status, 303, r.body)
        loc = r.header("Location")
        self.assertTrue(loc.startswith("/melden/ontvangen?k=" + key), loc)
        return loc

    def test_a_report_is_filed_once_and_its_receipt_shown_by_get(self):
        key = self.form_key()
        self.assertNotEqual(key, self.form_key())   # a new key per form
        loc = self.send_report(key)
        r = get(self.port, loc)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        code = code_of(r.body)
        self.assertIsNotNone(code)
        self.assertNotIn(code.replace("-", ""), loc.replace("-", ""))
        self.assertEqual(self.count("reports"), 1)
        # Reload of the GET: the same code, nothing filed.
        self.assertEqual(code_of(get(self.port, loc).body), code)
        # The POST again (reload of the POST, Back + send, double click).
        for _ in range(2):
            self.assertEqual(self.send_report(key, "other text"), loc)
        self.assertEqual(code_of(get(self.port, loc).body), code)
        self.assertEqual(self.count("reports"), 1)
        # Written down: the kept code goes; the page says "already sent".
        r = post(self.port, "/melden/opgeslagen",
                 [("lang", "en"), ("code", code), ("once", key),
                  ("saved", "1")])
        self.assertEqual(r.status, 200)
        r = get(self.port, loc)
        self.assertEqual(r.status, 200)
        self.assertIsNone(code_of(r.body))
        self.assertNotIn(code, r.body)
        en = harness.load_messages("en")
        self.assertIn(en["report.already_sent_title"],
                      harness.page_text(r.body))
        r = post(self.port, "/melden", [("lang", "en"), ("toestemming", "ja_lezen_reageren"), ("wat_gebeurd", "x"),
                                        ("once", key)])
        self.assertEqual(r.status, 303)
        self.assertEqual(self.count("reports"), 1)
        # Still a working code, and nothing of it in the output.
        r = harness.post_volg(self.port, [("lang", "en"),
                                             ("receipt", code)])
        self.assertEqual(r.status, 200)
        out = self.srv.stdout() + self.srv.stderr()
        self.assertNotIn(code, out)
        self.assertNotIn(key, out)

    def test_refused_forms_keep_their_key_and_can_be_sent(self):
        key = self.form_key()
        r = post(self.port, "/melden", [("lang", "en"), ("toestemming", "ja_lezen_reageren"), ("wat_gebeurd", ""),
                                        ("once", key)])
        self.assertEqual(r.status, 422)
        self.assertEqual(once_of(r.body), key)      # the same form again
        self.assertEqual(self.count("reports"), 0)
        loc = self.send_report(key)
        self.assertIsNotNone(code_of(get(self.port, loc).body))
        self.assertEqual(self.count("reports"), 1)

    def test_bad_and_unknown_keys(self):
        r = post(self.port, "/melden", [("lang", "en"), ("toestemming", "ja_lezen_reageren"), ("wat_gebeurd", "x"),
                                        ("once", "not a key")])
        self.assertEqual(r.status, 400)
        self.assertEqual(self.count("reports"), 0)
        for q in ("", "?k=", "?k=AAAAAAAAAAAAAAAAAAAAAA", "?k=%3Cx%3E"):
            r = get(self.port, "/melden/ontvangen" + q)
            self.assertEqual(r.status, 200, q)
            self.assertIsNone(code_of(r.body))

    def conv_post(self, code, action, key, **more):
        fields = [("lang", "en"), ("receipt", code), ("action", action),
                  ("once", key)] + list(more.items())
        return harness.post_volg(self.port, fields)

    def test_each_follow_up_post_takes_effect_once(self):
        loc = self.send_report(self.form_key())
        code = code_of(get(self.port, loc).body)
        r = harness.post_volg(self.port, [("lang", "en"),
                                             ("receipt", code)])
        self.assertEqual(r.status, 200)
        before = self.count("messages")
        en = harness.load_messages("en")
        for action in ("add", "second"):
            key = once_of(r.body)
            self.assertIsNotNone(key)
            text = "%s once %s" % (action, MARKER)
            first = self.conv_post(code, action, key, text=text)
            self.assertEqual(first.status, 200)
            for _ in range(2):
                again = self.conv_post(code, action, key, text=text)
                self.assertEqual(again.status, 200)
                self.assertIn(en["report.notice.repeat"],
                              harness.page_text(again.body))
                self.assertEqual(again.body.count(text), 1)
            before += 1
            self.assertEqual(self.count("messages"), before)
            r = first
        # Replacing the code: the repeat shows the same new code.
        key = once_of(r.body)
        r = self.conv_post(code, "rekey", key)
        self.assertEqual(r.status, 303)
        new = code_of(get(self.port, r.header("Location")).body)
        self.assertIsNotNone(new)
        self.assertNotEqual(new, code)
        again = self.conv_post(code, "rekey", key)
        self.assertEqual(again.status, 303)
        self.assertEqual(code_of(get(self.port,
                                     again.header("Location")).body), new)
        self.assertEqual(harness.post_volg(self.port, [("receipt", new)]).status, 200)
        self.assertEqual(harness.post_volg(self.port, [("receipt", code)]).status, 404)
        # Withdrawing: the repeat says "already done", not "unknown code".
        r = self.conv_post(new, "withdraw", key)
        key = once_of(r.body)
        r = self.conv_post(new, "withdraw_confirm", key, sure="1")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.count("messages"), 0)     # withdrawn
        again = self.conv_post(new, "withdraw_confirm", key, sure="1")
        self.assertEqual(again.status, 200)
        self.assertIn(en["report.already_done_title"],
                      harness.page_text(again.body))
        # A fresh key with a gone code is an unknown code as ever.
        r = self.conv_post(new, "add", self.form_key(), text="x")
        self.assertEqual(r.status, 404)

    def test_only_unknown_codes_count_against_the_login_limit(self):
        code, _ = self.report()
        # Many honest actions from one address (an office's NAT).
        for i in range(25):
            r = harness.post_volg(self.port, [("lang", "en"), ("receipt", code), ("action", "add"),
                      ("text", "honest %d" % i)])
            self.assertEqual(r.status, 200, i)
        # Typos and wrong shapes can match no report: never counted.
        typo = code[:-1] + ("0" if code[-1] != "0" else "1")
        for _ in range(15):
            self.assertEqual(harness.post_volg(self.port, [("receipt", typo)]).status, 422)
            self.assertEqual(harness.post_volg(self.port, [("receipt", "abc")]).status, 422)
        self.assertEqual(harness.post_volg(self.port, [("receipt", code)]).status, 200)
        # Unknown codes do.
        statuses = [harness.post_volg(self.port, [("receipt", valid_unknown_receipt())]).status
                    for _ in range(15)]
        self.assertEqual(statuses[:10], [404] * 10)
        self.assertIn(429, statuses[10:])


if __name__ == "__main__":
    unittest.main()
