"""Invalid answers (422, form kept, nothing stored) and the language
switch (nl/en, answers kept, nothing stored)."""

import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


TEXT = "Mijn eigen toelichting & <tekst> \"met\" tekens: é ü ✓"


class InvalidAnswerTest(h.ServerTestCase):
    """Each invalid submission: 422, the form again with the user's values
    and a message, nothing stored, the token unspent and still usable."""

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()
        cls.nl = h.load_messages("nl")

    def check_invalid(self, pairs, kept_checked, kept_text, message,
                      error_question=None):
        wave, tokens = self.new_wave()
        tok = tokens[0]
        r = h.post(self.port, "/s/" + tok, [("lang", "nl")] + pairs)
        self.assertEqual(r.status, 422, r.body[:2000])
        self.assertNothingStored(wave, tok)

        form = h.parse_form(r.body)
        self.assertEqual(len(form.forms), 1, "the form is returned")
        self.assertEqual(form.lang, "nl")
        for name, values in kept_checked.items():
            self.assertEqual(sorted(form.checked.get(name, [])),
                             sorted(values), "kept value of %s" % name)
        if kept_text is not None:
            self.assertEqual(form.textareas.get("q_toelichting"), kept_text)
        text = h.page_text(r.body)
        self.assertIn('class="error-summary"', r.body)
        self.assertIn(self.nl["error.summary"], text)
        self.assertIn(self.nl["error.not_stored"], text)
        self.assertIn(message, text)
        if error_question is not None:
            # The summary links to the question; the question says why.
            self.assertIn('href="#q-%s"' % error_question, r.body)
            self.assertIn('id="q-%s:error"' % error_question, r.body)

        # The token still works: a corrected submission is stored.
        r = h.submit(self.port, tok, h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertStored(wave, answers=1, spent=1)

    def assertNothingStored(self, wave, tok):
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tok), "unspent")

    def test_unknown_question_field_is_422(self):
        self.check_invalid(
            [("q_soort_werk", "beleid"), ("q_meegemaakt", "geen"),
             ("q_nope", "1"), ("q_toelichting", TEXT)],
            {"q_soort_werk": ["beleid"], "q_meegemaakt": ["geen"]}, TEXT,
            self.nl["error.unknown_field"])

    def test_option_out_of_range_is_422(self):
        self.check_invalid(
            [("q_soort_werk", "uitvoering"), ("q_mezelf_zijn", "6"),
             ("q_toelichting", TEXT)],
            {"q_soort_werk": ["uitvoering"]}, TEXT,
            self.nl["error.bad_option"], "mezelf_zijn")

    def test_unknown_option_of_multi_is_422(self):
        self.check_invalid(
            [("q_soort_werk", "beide"), ("q_meegemaakt", "pesten"),
             ("q_meegemaakt", "iets_anders")],
            {"q_soort_werk": ["beide"], "q_meegemaakt": ["pesten"]}, "",
            self.nl["error.bad_option"], "meegemaakt")

    def test_text_over_its_cap_is_422(self):
        long_text = "x" * 501
        self.check_invalid(
            [("q_soort_werk", "beleid"), ("q_gewaardeerd", "2"),
             ("q_toelichting", long_text)],
            {"q_soort_werk": ["beleid"], "q_gewaardeerd": ["2"]}, long_text,
            self.nl["error.too_long"].replace("{n}", "500"), "toelichting")

    def test_text_over_its_cap_in_characters_not_bytes(self):
        # 500 characters of two UTF-8 bytes each fit; 501 do not.
        wave, tokens = self.new_wave()
        r = h.submit(self.port, tokens[0], {"soort_werk": "beleid",
                                            "toelichting": "é" * 501})
        self.assertEqual(r.status, 422)
        self.assertStored(wave, answers=0, spent=0)
        r = h.submit(self.port, tokens[0], {"soort_werk": "beleid",
                                            "toelichting": "é" * 500})
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertStored(wave, answers=1, spent=1)

    def test_text_at_its_cap_is_accepted(self):
        wave, tokens = self.new_wave()
        r = h.submit(self.port, tokens[0], {"soort_werk": "beleid",
                                            "toelichting": "y" * 500})
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertStored(wave, answers=1, spent=1)

    def test_missing_required_answer_is_422(self):
        self.check_invalid(
            [("q_mezelf_zijn", "3"), ("q_meegemaakt", "pesten"),
             ("q_meegemaakt", "discriminatie"), ("q_toelichting", TEXT)],
            {"q_mezelf_zijn": ["3"],
             "q_meegemaakt": ["pesten", "discriminatie"]}, TEXT,
            self.nl["error.missing"], "soort_werk")

    def test_two_values_for_single_choice_is_422(self):
        self.check_invalid(
            [("q_soort_werk", "beleid"), ("q_soort_werk", "uitvoering"),
             ("q_veilig_uitspreken", "5"), ("q_toelichting", TEXT)],
            {"q_soort_werk": ["beleid", "uitvoering"],
             "q_veilig_uitspreken": ["5"]}, TEXT,
            self.nl["error.too_many"], "soort_werk")

    def test_two_values_for_likert_is_422(self):
        self.check_invalid(
            [("q_soort_werk", "beleid"), ("q_gewaardeerd", "1"),
             ("q_gewaardeerd", "5")],
            {"q_soort_werk": ["beleid"], "q_gewaardeerd": ["1", "5"]}, "",
            self.nl["error.too_many"], "gewaardeerd")

    def test_only_required_answer_is_enough(self):
        wave, tokens = self.new_wave()
        r = h.submit(self.port, tokens[0], {"soort_werk": "zeg_ik_liever_niet"})
        self.assertEqual(r.status, 200, r.body[:2000])
        self.assertStored(wave, answers=1, spent=1)

    def test_post_without_form_content_type_stores_nothing(self):
        wave, tokens = self.new_wave()
        body = h.encode_fields({"q_soort_werk": "beleid"}).encode()
        r = h.request(self.port, "POST", "/s/" + tokens[0], body=body,
                      headers={"Content-Type": "text/plain"})
        self.assertGreaterEqual(r.status, 400)
        self.assertLess(r.status, 500)
        self.assertNothingStored(wave, tokens[0])


class LanguageTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_form_is_dutch_by_default(self):
        wave, tokens = self.new_wave()
        r = h.get(self.port, "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "nl")
        self.assertIn('<html lang="nl"', r.body)
        self.assertIn("Wat voor werk doe je vooral?", h.page_text(r.body))

    def test_lang_en_query_gives_english_form(self):
        wave, tokens = self.new_wave()
        r = h.get(self.port, "/s/%s?lang=en" % tokens[0])
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "en")
        self.assertIn('<html lang="en"', r.body)
        self.assertIn("What kind of work do you mainly do?",
                      h.page_text(r.body))
        self.assertStored(wave, answers=0, spent=0)

    def test_accept_language_en_gives_english_form(self):
        wave, tokens = self.new_wave()
        r = h.get(self.port, "/s/" + tokens[0],
                  headers={"Accept-Language": "en-GB,en;q=0.9"})
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "en")

    def test_switch_lang_keeps_answers_and_stores_nothing(self):
        wave, tokens = self.new_wave()
        pairs = [("lang", "nl"), ("q_soort_werk", "beide"),
                 ("q_mezelf_zijn", "2"), ("q_meegemaakt", "pesten"),
                 ("q_meegemaakt", "geen"), ("q_toelichting", TEXT),
                 ("switch_lang", "en")]
        r = h.post(self.port, "/s/" + tokens[0], pairs)
        self.assertEqual(r.status, 200, r.body[:2000])
        form = h.parse_form(r.body)
        self.assertEqual(form.lang, "en")
        self.assertEqual(form.checked, {"q_soort_werk": ["beide"],
                                        "q_mezelf_zijn": ["2"],
                                        "q_meegemaakt": ["pesten", "geen"]})
        self.assertEqual(form.textareas["q_toelichting"], TEXT)
        self.assertIn("What kind of work do you mainly do?",
                      h.page_text(r.body))
        self.assertNotIn('class="error-summary"', r.body)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")

        # Back to Dutch, still nothing stored; then a real submit works.
        pairs[-1] = ("switch_lang", "nl")
        pairs[0] = ("lang", "en")
        r = h.post(self.port, "/s/" + tokens[0], pairs)
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "nl")
        self.assertStored(wave, answers=0, spent=0)
        r = h.submit(self.port, tokens[0], h.VALID_ANSWER, lang="en")
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "en")
        self.assertStored(wave, answers=1, spent=1)

    def test_switch_lang_with_invalid_answers_stores_nothing(self):
        # Switching language does not validate, and never stores.
        wave, tokens = self.new_wave()
        r = h.post(self.port, "/s/" + tokens[0],
                   [("q_soort_werk", "zzz"), ("q_toelichting", "z" * 600),
                    ("switch_lang", "en")])
        self.assertEqual(r.status, 200)
        self.assertEqual(h.parse_form(r.body).lang, "en")
        self.assertStored(wave, answers=0, spent=0)

    def test_invalid_answer_in_english_gives_english_errors(self):
        wave, tokens = self.new_wave()
        r = h.submit(self.port, tokens[0], {"mezelf_zijn": "1"}, lang="en")
        self.assertEqual(r.status, 422)
        self.assertEqual(h.parse_form(r.body).lang, "en")
        self.assertIn(h.load_messages("en")["error.missing"],
                      h.page_text(r.body))
        self.assertStored(wave, answers=0, spent=0)


if __name__ == "__main__":
    unittest.main()
