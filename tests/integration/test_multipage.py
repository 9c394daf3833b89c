"""A smoke test of the multi-page flow of a format 2 survey: the welcome
page, every page walked with the sealed `state` field, back and forward
keeping the answers, one answer row on submit; and a tampered state or a
state of another token refused with 400, storing nothing."""

import html.parser
import os
import re
import unittest

import harness as h

KEY = h.ModuleKey()
ERVAREN = os.path.join(h.REPO_ROOT, "survey-defs",
                       "ervaren-discriminatie-2026.json")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class PageParser(html.parser.HTMLParser):
    """The hidden fields, the nav buttons, the h2 and the progress text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = {}        # name -> value
        self.navs = []          # values of the name="nav" buttons
        self.h2 = []
        self.progress = None
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden":
            self.hidden[a.get("name")] = a.get("value")
        elif tag == "button" and a.get("name") == "nav":
            self.navs.append(a.get("value"))
        elif tag == "h2" and a.get("id") != "error-summary-title":
            self._in = "h2"
            self.h2.append("")
        elif tag == "p" and a.get("class") == "progress":
            self._in = "progress"
            self.progress = ""

    def handle_endtag(self, tag):
        if tag in ("h2", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h2":
            self.h2[-1] += data
        elif self._in == "progress":
            self.progress += data


def parse_page(body):
    p = PageParser()
    p.feed(body)
    p.close()
    return p


class Walker:
    """Posts the pages of one token, carrying the state of the last one."""

    def __init__(self, test, token, lang="nl"):
        self.test = test
        self.token = token
        self.lang = lang
        self.page = None        # PageParser of the page shown last
        self.r = None

    def post(self, pairs, status=200):
        self.r = h.post(self.test.port, "/s/" + self.token, pairs)
        self.test.assertEqual(self.r.status, status, self.r.body[:3000])
        if status in (200, 422) and "state" in self.r.body:
            self.page = parse_page(self.r.body)
        return self.r

    def start(self):
        return self.post([("lang", self.lang), ("nav", "start")])

    def send(self, nav, answers=(), status=200, state=None):
        """Posts this page's answers (pairs without the q_) and nav."""
        pairs = [("lang", self.lang),
                 ("state", state or self.page.hidden["state"]),
                 ("page", self.page.hidden["page"])]
        pairs += [("q_" + q, v) for q, v in answers]
        pairs.append(("nav", nav))
        return self.post(pairs, status)

    def title(self):
        return self.page.h2[0] if self.page.h2 else None


class MultiPageTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def new_wave(self, n_tokens=10, k=None):
        wave = h.make_wave(self.db, self.key, k=k, definition=ERVAREN)
        tokens = h.issue_tokens(self.db, wave, max(n_tokens, k or 0),
                                base_url="http://127.0.0.1:%d" % self.port)
        return wave, tokens

    def assertUnspent(self, wave, token):
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, token), "unspent")

    def test_welcome_page_states_the_privacy_text(self):
        wave, tokens = self.new_wave(k=12)
        for lang in ("nl", "en"):
            r = h.get(self.port, "/s/%s?lang=%s" % (tokens[0], lang))
            self.assertEqual(r.status, 200)
            self.assertIn('<html lang="%s">' % lang, r.body)
            text = h.page_text(r.body)
            msgs = h.load_messages(lang)
            for key in ("privacy.stored", "privacy.once"):
                self.assertIn(msgs[key], text)
            self.assertIn(msgs["privacy.who"].replace("{n}", "12"), text)
            self.assertIn('name="nav" value="start"', r.body)
            self.assertNotIn('name="state"', r.body)
        self.assertUnspent(wave, tokens[0])

    def test_walk_back_forward_and_submit(self):
        wave, tokens = self.new_wave()
        w = Walker(self, tokens[0])
        w.start()
        self.assertEqual(w.title(), "Wat je meemaakte")
        self.assertEqual(w.page.navs, ["next", "save"])     # no Back on page 1
        m = re.match(r"Pagina 1 van (\d+)$", w.page.progress)
        self.assertIsNotNone(m, w.page.progress)
        self.assertIn("<title>Pagina 1 van", w.r.body)

        # Page 1 wrong (a required question empty): 422, same page.
        w.send("next", [("ongewenst_gedrag", "pesten")], status=422)
        self.assertIn('href="#q-discriminatie_twijfel"', w.r.body)
        self.assertEqual(w.title(), "Wat je meemaakte")
        # What was chosen stays chosen.
        self.assertEqual(h.parse_form(w.r.body).checked,
                         {"q_ongewenst_gedrag": ["pesten"]})

        page1 = [("ongewenst_gedrag", "pesten"),
                 ("ongewenst_gedrag", "buitensluiten"),
                 ("discriminatie_twijfel", "nee")]
        w.send("next", page1)
        self.assertEqual(w.title(), "Over wat je meemaakte")
        # The answer showed two more pages: six in all now.
        self.assertEqual(w.page.progress, "Pagina 2 van 6")
        self.assertEqual(w.page.navs, ["next", "back", "save"])

        w.send("next", [("grond", "leeftijd"), ("door_wie", "collega"),
                        ("hoe_vaak", "2_5")])
        self.assertEqual(w.title(), "Melden")
        # Reported: the follow-up questions are on this same page.
        w.send("next", [("gemeld", "ja")])
        self.assertEqual(w.title(), "Melden")
        self.assertIn(h.load_messages("nl")["form.more_questions"],
                      h.page_text(w.r.body))
        # The matrix: a table, each item a row whose header names its
        # radio group.
        self.assertIn('<table class="matrix-table', w.r.body)
        for item in ("af_serieus", "af_op_de_hoogte", "af_regie",
                     "af_actie"):
            self.assertRegex(w.r.body, r'<th scope="row"><span id="q-%s:label">'
                             r'[^\n]*\n<td colspan="6"><div class="matrix-options" '
                             r'role="radiogroup" id="q-%s" '
                             r'aria-labelledby="q-%s:label"'
                             % (item, item, item))
        melden = [("gemeld", "ja"), ("waar_gemeld", "hr"),
                  ("af_serieus", "4"), ("nadelige_gevolgen", "nee"),
                  ("tevreden_afhandeling", "3")]
        w.send("next", melden)
        self.assertEqual(w.title(), "Over jou")
        self.assertEqual(w.page.progress, "Pagina 4 van 6")

        # Back: the reporting page with its answers still chosen.
        w.send("back", [("leeftijd", "35_44")])
        self.assertEqual(w.title(), "Melden")
        self.assertEqual(h.parse_form(w.r.body).checked, {
            "q_gemeld": ["ja"], "q_waar_gemeld": ["hr"],
            "q_af_serieus": ["4"], "q_nadelige_gevolgen": ["nee"],
            "q_tevreden_afhandeling": ["3"]})
        # Back again and forward: page 2 kept its answers too.
        w.send("back", melden)
        self.assertEqual(w.title(), "Over wat je meemaakte")
        self.assertEqual(h.parse_form(w.r.body).checked["q_hoe_vaak"],
                         ["2_5"])
        w.send("next", [("grond", "leeftijd"), ("door_wie", "collega"),
                        ("hoe_vaak", "2_5")])
        w.send("next", melden)
        self.assertEqual(w.title(), "Over jou")
        # The answer given before going back is there again.
        self.assertEqual(h.parse_form(w.r.body).checked,
                         {"q_leeftijd": ["35_44"]})

        # Switch language on the way: same page, answers kept.
        w.lang = "en"
        r = h.post(self.port, "/s/" + tokens[0], [
            ("lang", "nl"), ("state", w.page.hidden["state"]),
            ("page", w.page.hidden["page"]), ("q_leeftijd", "35_44"),
            ("switch_lang", "en")])
        self.assertEqual(r.status, 200)
        w.page = parse_page(r.body)
        self.assertEqual(w.title(), "About you")
        self.assertEqual(w.page.progress, "Page 4 of 6")
        self.assertEqual(h.parse_form(r.body).checked,
                         {"q_leeftijd": ["35_44"]})
        self.assertUnspent(wave, tokens[0])

        w.send("next", [("leeftijd", "35_44"), ("werk_soort", "beleid")])
        self.assertEqual(w.title(), "Origin")
        self.assertEqual(w.page.progress, "Page 5 of 6")
        w.send("next", [("geboorteland", "suriname")])
        self.assertEqual(w.title(), "Finally")
        self.assertEqual(w.page.navs, ["submit", "back", "save"])
        self.assertUnspent(wave, tokens[0])
        w.send("submit", [("toelichting", "Niets meer.")])
        self.assertIn(h.load_messages("en")["page.thanks.heading"],
                      h.page_text(w.r.body))
        self.assertStored(wave, answers=1, spent=1)
        self.assertEqual(h.token_state(self.db, tokens[0]), "spent")
        # The link works once: the last state is no use any more.
        w.send("submit", [("toelichting", "Nog een keer.")], status=410)
        self.assertStored(wave, answers=1, spent=1)

    def test_followups_for_the_script_and_its_flag(self):
        wave, tokens = self.new_wave()
        w = Walker(self, tokens[0])
        w.start()
        w.send("next", [("ongewenst_gedrag", "pesten"),
                        ("discriminatie_twijfel", "nee")])
        w.send("next", [])
        self.assertEqual(w.title(), "Melden")
        # The follow-ups are there, hidden, each with its condition; the
        # script comes from gehoord itself, and the policy allows no other.
        body = w.r.body
        on_ja = ('<div class="followup" data-show-if="[&quot;any_of&quot;,'
                 '&quot;q_gemeld&quot;,[&quot;ja&quot;]]" hidden>')
        self.assertEqual(body.count(on_ja), 4)
        self.assertIn('<div class="followup" data-show-if="[&quot;any_of'
                      '&quot;,&quot;q_gemeld&quot;,[&quot;nee&quot;]]" '
                      'hidden>', body)
        self.assertEqual(body.count('<script src="/static/followup.js" '
                                    'defer></script>'), 1)
        self.assertNotIn("<script>", body)
        self.assertIn("script-src 'self';",
                      w.r.header("Content-Security-Policy"))
        js = h.get(self.port, "/static/followup.js")
        self.assertEqual(js.status, 200)
        self.assertEqual(js.header("Content-Type"),
                         "text/javascript; charset=utf-8")
        self.assertIn("data-show-if", js.body)
        self.assertEqual(h.get(self.port, "/static/messages.nl.json").status,
                         404)
        # With the script's flag, the follow-ups were seen: Next moves on
        # at once and keeps them.
        melden = [("q_gemeld", "ja"), ("q_waar_gemeld", "hr"),
                  ("q_nadelige_gevolgen", "nee")]
        w.post([("lang", "nl"), ("state", w.page.hidden["state"]),
                ("page", w.page.hidden["page"])] + melden +
               [("followup", "1"), ("nav", "next")])
        self.assertEqual(w.title(), "Over jou")
        w.send("back", [])
        self.assertEqual(w.title(), "Melden")
        self.assertEqual(h.parse_form(w.r.body).checked, {
            "q_gemeld": ["ja"], "q_waar_gemeld": ["hr"],
            "q_nadelige_gevolgen": ["nee"]})
        # Shown now: no hidden attribute on them; the other one is.
        self.assertEqual(w.r.body.count(on_ja[:-len(" hidden>")] + ">"), 4)
        self.assertNotIn(h.load_messages("nl")["form.more_questions"],
                         h.page_text(w.r.body))

    def test_tampered_state_is_400_and_stores_nothing(self):
        wave, tokens = self.new_wave()
        w = Walker(self, tokens[0])
        w.start()
        state = w.page.hidden["state"]
        i = len(state) // 2
        bad = state[:i] + ("A" if state[i] != "A" else "B") + state[i + 1:]
        for s in (bad, state[:-8], "x", state + "AAAA"):
            with self.subTest(state=s[:20]):
                r = w.send("next", [("ongewenst_gedrag", "geen"),
                                    ("discriminatie_twijfel", "nee")],
                           status=400, state=s)
                self.assertIn(h.load_messages("nl")
                              ["page.state_expired.heading"],
                              h.page_text(r.body))
        # Without a state, a page of a multi-page survey is refused too.
        r = h.post(self.port, "/s/" + tokens[0],
                   [("lang", "nl"), ("q_ongewenst_gedrag", "geen"),
                    ("q_discriminatie_twijfel", "nee"), ("nav", "submit")])
        self.assertEqual(r.status, 400)
        self.assertUnspent(wave, tokens[0])
        # The link still works: start again.
        self.assertEqual(h.get(self.port, "/s/" + tokens[0]).status, 200)

    def test_state_of_another_token_is_400(self):
        wave, tokens = self.new_wave()
        a = Walker(self, tokens[0])
        a.start()
        a.send("next", [("ongewenst_gedrag", "geen"),
                        ("discriminatie_twijfel", "nee")])
        b = Walker(self, tokens[1])
        b.page = a.page
        r = b.send("next", [("leeftijd", "tot_25")], status=400)
        self.assertIn(h.load_messages("nl")["page.state_expired.heading"],
                      h.page_text(r.body))
        self.assertUnspent(wave, tokens[1])
        self.assertUnspent(wave, tokens[0])
        # Another wave of the same definition does not take it either.
        wave2, tokens2 = self.new_wave()
        c = Walker(self, tokens2[0])
        c.page = a.page
        c.send("next", [("leeftijd", "tot_25")], status=400)
        self.assertStored(wave2, answers=0, spent=0)


if __name__ == "__main__":
    unittest.main()
