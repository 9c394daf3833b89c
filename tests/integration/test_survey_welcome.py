"""The welcome page says that the link carries its unit (the token
batch's label, sealed with the answer) and that figures per unit need at
least k answers; a link without a unit says nothing about a unit (nor
does a survey that does not keep it: tests/unit/test_pages_flow.c)."""

import html
import os

import harness as h

KEY = h.ModuleKey()
INCLUSIE = os.path.join(h.REPO_ROOT, "survey-defs", "inclusie-2026.json")
ERVAREN = os.path.join(h.REPO_ROOT, "survey-defs",
                       "ervaren-discriminatie-2026.json")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class WelcomeUnitTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_welcome_names_the_unit_and_k(self):
        for definition in (INCLUSIE, ERVAREN):
            with self.subTest(definition=os.path.basename(definition)):
                self.check_unit(definition)

    def check_unit(self, definition):
        wave = h.make_wave(self.db, self.key, k=12, definition=definition)
        tok = h.issue_tokens(self.db, wave, 12, unit="Ruimte <& Groen>")[0]
        plain = h.issue_tokens(self.db, wave, 12)[0]
        for lang in ("nl", "en"):
            msgs = h.load_messages(lang)
            r = h.get(self.port, "/s/%s?lang=%s" % (tok, lang))
            self.assertEqual(r.status, 200)
            self.assertIn("<li>%s <strong>Ruimte &lt;&amp; Groen&gt;</strong>."
                          " %s</li>" % (html.escape(msgs["privacy.unit_before"]),
                                        html.escape(msgs["privacy.unit_after"]
                                                    .replace("{n}", "12"))),
                          r.body)
            r = h.get(self.port, "/s/%s?lang=%s" % (plain, lang))
            self.assertNotIn(msgs["privacy.unit_before"], r.body)
