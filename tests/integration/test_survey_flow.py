"""The respondent's path: answering once, twice, bad and mistyped tokens,
closed waves, security headers."""

import unittest
import urllib.parse

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class SurveyFlowTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    # One answer: one sealed row, its token spent, the others not.
    def test_answer_once_stores_one_row_and_spends_the_token(self):
        wave, tokens = self.new_wave()
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        # Reading the form never spends the token.
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        # 200 comes only after the durable commit: the row is visible now.
        self.assertStored(wave, answers=1, spent=1)
        self.assertEqual(h.token_state(self.db, tokens[0]), "spent")
        self.assertEqual(h.token_state(self.db, tokens[1]), "unspent")
        thanks = h.load_messages("nl")["page.thanks.heading"]
        self.assertIn(thanks, h.page_text(r.body))

    # A token answers once: a second POST is 410 and stores nothing.
    def test_answer_twice_second_post_is_410_and_still_one_row(self):
        wave, tokens = self.new_wave()
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        other = dict(h.VALID_ANSWER, soort_werk="uitvoering")
        r = h.submit(self.port, tokens[0], other)
        self.assertEqual(r.status, 410)
        spent = h.load_messages("nl")["page.spent.heading"]
        self.assertIn(spent, h.page_text(r.body))
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 410)
        self.assertStored(wave, answers=1, spent=1)

    # A bad or unknown token is 404 for GET and POST and stores nothing.
    def test_bad_tokens_are_404_for_get_and_post_and_store_nothing(self):
        wave, tokens = self.new_wave()
        good = tokens[0]
        unknown = h.random_token()
        while unknown in tokens:
            unknown = h.random_token()
        # Non-zero padding bits: 26 valid characters, but no token's text.
        last = h.CROCKFORD.index(good[-1])
        bad_pad = good[:-1] + h.CROCKFORD[last | 1]
        bad = {
            "garbage": "not-a-token!!",
            "short": good[:-1],
            "long": good + "0",
            "empty": "",
            "u_not_in_alphabet": "U" + good[1:],
            "nonzero_padding": bad_pad,
            "unknown_well_formed": unknown,
        }
        for what, tok in bad.items():
            with self.subTest(what=what):
                path = "/s/" + urllib.parse.quote(tok)
                r = h.get(self.port, path)
                self.assertEqual(r.status, 404, "GET %s" % what)
                r = h.post(self.port, path,
                           [("lang", "nl")] + [("q_" + k, v) for k, v in
                                               h.VALID_ANSWER.items()
                                               if isinstance(v, str)])
                self.assertEqual(r.status, 404, "POST %s" % what)
        self.assertStored(wave, answers=0, spent=0)
        # The real token still works afterwards.
        self.assertEqual(h.get(self.port, "/s/" + good).status, 200)

    # A token typed by hand (case, hyphens, O for 0, I/l for 1) works.
    def test_mistyped_token_lower_case_with_hyphens_works(self):
        wave, tokens = self.new_wave()
        typed = h.hyphenate(tokens[0].lower(), 4)
        r = h.get(self.port, "/s/" + typed)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(len(h.parse_form(r.body).forms), 1)
        r = h.submit(self.port, typed, h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        self.assertStored(wave, answers=1, spent=1)
        self.assertEqual(h.token_state(self.db, tokens[0]), "spent")
        # The canonical spelling of the same token is now spent too.
        self.assertEqual(h.get(self.port, "/s/" + tokens[0]).status, 410)

    def test_mistyped_token_o_for_0_i_l_for_1_spaces_upper_path(self):
        wave, tokens = self.new_wave()
        tok = next((t for t in tokens if "0" in t or "1" in t), None)
        if tok is None:
            self.skipTest("no issued token contains a 0 or 1")
        typed = tok.replace("0", "O")
        typed = typed.replace("1", "I", 1).replace("1", "l")
        typed = typed[:5] + " " + typed[5:]
        path = "/S/" + urllib.parse.quote(typed)
        r = h.get(self.port, path)
        self.assertEqual(r.status, 200, r.body)
        r = h.post(self.port, path, [("lang", "nl"),
                                     ("q_soort_werk", "beide")])
        self.assertEqual(r.status, 200, r.body)
        self.assertStored(wave, answers=1, spent=1)
        self.assertEqual(h.token_state(self.db, tok), "spent")

    # A closed wave is 410 and takes no answer; reopened, it does.
    def test_closed_wave_is_410_and_reopened_wave_works(self):
        wave, tokens = self.new_wave()
        h.run_ok("wave", "close", "--db", self.db, "--wave", wave)
        self.assertEqual(h.waves(self.db)[wave][2], 0)
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 410)
        closed = h.load_messages("nl")["page.closed.heading"]
        self.assertIn(closed, h.page_text(r.body))
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 410)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")

        h.run_ok("wave", "open", "--db", self.db, "--wave", wave)
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        self.assertStored(wave, answers=1, spent=1)

    def test_closing_between_get_and_post_refuses_the_post(self):
        wave, tokens = self.new_wave()
        self.assertEqual(h.get(self.port, "/s/" + tokens[0]).status, 200)
        h.run_ok("wave", "close", "--db", self.db, "--wave", wave)
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 410)
        self.assertStored(wave, answers=0, spent=0)

    # Every page, errors too, carries the security headers.
    def assertSecurityHeaders(self, r, private=True):
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        csp = r.header("Content-Security-Policy")
        self.assertIsNotNone(csp, "no Content-Security-Policy")
        directives = [d.strip() for d in csp.split(";")]
        self.assertIn("default-src 'none'", directives)
        self.assertIn("frame-ancestors 'none'", directives)
        if private:
            self.assertIn("no-store", r.header("Cache-Control") or "")

    def test_security_headers_on_form_and_thank_you_page(self):
        wave, tokens = self.new_wave()
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        self.assertSecurityHeaders(r)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200)
        self.assertSecurityHeaders(r)

    def test_security_headers_on_error_pages(self):
        wave, tokens = self.new_wave()
        for path, status in (("/s/" + h.random_token(), 404),
                             ("/s/garbage", 404), ("/nope", 404)):
            with self.subTest(path=path):
                r = h.get(self.port, path)
                self.assertEqual(r.status, status)
                self.assertSecurityHeaders(r)
        r = h.submit(self.port, tokens[0], {"nope": "x"})
        self.assertEqual(r.status, 422)
        self.assertSecurityHeaders(r)
        h.submit(self.port, tokens[1], h.VALID_ANSWER)
        r = h.submit(self.port, tokens[1], h.VALID_ANSWER)
        self.assertEqual(r.status, 410)
        self.assertSecurityHeaders(r)

    def test_form_page_is_accessible_html(self):
        wave, tokens = self.new_wave()
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        f = h.parse_form(r.body)
        self.assertEqual(f.lang, "nl")
        self.assertEqual(len(f.forms), 1)
        self.assertEqual(f.forms[0].get("method"), "post")
        self.assertRegex(r.body, r'<form method="post"')
        self.assertGreaterEqual(f.labels, 7)
        self.assertEqual(sorted(f.options), sorted(
            "q_" + q for q in ("soort_werk", "mezelf_zijn",
                               "veilig_uitspreken", "gewaardeerd",
                               "gelijke_kansen", "meegemaakt")))
        self.assertEqual(f.options["q_mezelf_zijn"],
                         ["1", "2", "3", "4", "5"])
        self.assertIn("q_toelichting", f.textareas)
        self.assertEqual(f.checked, {})


if __name__ == "__main__":
    unittest.main()
