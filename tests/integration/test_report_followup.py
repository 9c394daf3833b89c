"""The reporter's form and follow-up over HTTP on 127.0.0.1 against a
real database: the form is survey-defs/melding.json (every question,
its labels and options in both languages), a bad option is a 422 that
names the question and stores nothing, every answer reaches the desk
under its label, the follow-up page marks the desk's messages since
the last visit "new" (with their count) and records the visit, and each
follow-up action posted twice with the same one-time key changes the
report once.
"""
import html
import json
import os
import re
import secrets
import unittest

import harness
from harness import get, post
from desk_util import (Client, DESK_PW, DESK_ADDR, REPORTER_ADDR, Server,
                       desk_seqs, file_report, follow, report_ids,
                       setup_desk)

HERE = os.path.dirname(os.path.abspath(__file__))
DEF = os.path.join(HERE, "..", "..", "survey-defs", "melding.json")
ONCE_RE = re.compile(r'name="once" value="([^"]*)"')
MSG_QUESTION, MSG_CONSENT_ASK = 1, 2


def questions():
    with open(DEF, encoding="utf-8") as f:
        d = json.load(f)
    return [q for p in d["pages"] for q in p["questions"]]


def once_of(body):
    m = ONCE_RE.search(body)
    return m.group(1) if m else None


class FollowupTest(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        self.srv = Server(self.db, self.tmp).start()
        self.port = self.srv.port
        self.marker = "Volg-merk-%s" % secrets.token_hex(4)

    def tearDown(self):
        self.srv.stop()
        harness.rmtree(self.tmp)

    def q(self, sql, args=()):
        return harness.db_query(self.db, sql, args)

    def desk(self):
        d = Client(self.port, DESK_ADDR)
        self.assertEqual(d.login("anna", DESK_PW).status, 303)
        ids = report_ids(d.get("/desk").body)
        return d, ids

    # the form ------------------------------------------------------------

    def test_form_has_every_question_of_the_definition(self):
        qs = questions()
        for lang in ("nl", "en"):
            body = html.unescape(get(self.port, "/melden?lang=" + lang).body)
            for q in qs:
                self.assertIn('name="%s"' % q["id"], body, q["id"])
                self.assertIn(q["label"][lang], body, q["id"])
                for o in q.get("options", []):
                    self.assertIn('id="%s-%s"' % (q["id"], o["id"]), body)
                    self.assertIn(o["label"][lang], body)
            # Two scripts only, each with its integrity: the file list
            # (test_report_files_list.py) and the sealing script; the
            # form works without them (test_report_sealed.py).
            self.assertEqual(re.findall(r"<script[^>]*>", body), [
                re.search(r'<script src="/static/report_files.js" '
                          r'integrity="sha512-[A-Za-z0-9+/=]+" defer>'
                          r'</script>', body).group(0)[:-len("</script>")],
                re.search(r'<script type="module" src="/static/seal.js" '
                          r'integrity="sha512-[A-Za-z0-9+/=]+"></script>',
                          body).group(0)[:-len("</script>")]])

    def test_every_answer_reaches_the_desk_under_its_label(self):
        nl = {q["id"]: q for q in questions()}
        file_report(self.port, self.marker, betrokkenheid="ander",
                    wanneer="1_4_weken", nog_gaande="ja",
                    vorm="pesten", grond="leeftijd", door_wie="collega",
                    cluster="sociaal", wensen="gesprek")
        self.assertEqual(self.q("SELECT unit FROM reports"), [("sociaal",)])
        desk, ids = self.desk()
        page = harness.page_text(desk.get("/desk/r/" + ids[0]).body)
        self.assertIn(self.marker, page)
        for qid, opt in (("betrokkenheid", "ander"),
                         ("wanneer", "1_4_weken"), ("nog_gaande", "ja"),
                         ("door_wie", "collega"), ("vorm", "pesten"),
                         ("grond", "leeftijd"), ("cluster", "sociaal"),
                         ("wensen", "gesprek"),
                         ("toestemming", "ja_lezen_reageren")):
            q = nl[qid]
            label = [o for o in q["options"] if o["id"] == opt][0]["label"]
            self.assertIn(q["label"]["nl"], page, qid)
            self.assertIn(label["nl"], page, qid)

    def test_bad_option_is_422_naming_the_question_and_keeps_answers(self):
        r = post(self.port, "/melden", [
            ("lang", "en"), ("wat_gebeurd", self.marker),
            ("toestemming", "ja_lezen_reageren"), ("vorm", "pesten"),
            ("door_wie", "no-such-option")])
        self.assertEqual(r.status, 422)
        body = html.unescape(r.body)
        self.assertIn('id="door_wie-error"', body)
        self.assertIn('href="#door_wie-leidinggevende"', body)
        self.assertIn("Who did it?", body)
        self.assertIn(self.marker, body)                    # kept
        self.assertIn('value="pesten" checked', body)
        self.assertEqual(self.q("SELECT count(*) FROM reports"), [(0,)])
        # Consent is required by the definition.
        r = post(self.port, "/melden", {"lang": "en",
                                        "wat_gebeurd": self.marker})
        self.assertEqual(r.status, 422)
        self.assertIn('id="toestemming-error"', r.body)
        # An answer that stands alone, with another.
        r = post(self.port, "/melden", [
            ("lang", "en"), ("wat_gebeurd", self.marker),
            ("toestemming", "ja_lezen_reageren"), ("vorm", "pesten"),
            ("vorm", "weet_niet")])
        self.assertEqual(r.status, 422)
        self.assertIn('id="vorm-error"', r.body)
        self.assertEqual(self.q("SELECT count(*) FROM reports"), [(0,)])

    # new since the last visit ----------------------------------------------

    def test_new_messages_counted_then_seen(self):
        code = file_report(self.port, self.marker)
        r = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertEqual(r.status, 200)
        self.assertIn("No new messages since your last visit.", r.body)
        self.assertIn("not even an e-mail", r.body)
        desk, ids = self.desk()
        reply = "Antwoord-%s" % secrets.token_hex(4)
        self.assertEqual(desk.post("/desk/r/%s/reply" % ids[0], {
            "kind": "text", "text": reply}).status, 303)
        r = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertIn("1 new message since your last visit.", r.body)
        item = re.search(r'<li class="report-message report-by-desk">'
                         r'(.*?)</li>', r.body, re.S).group(1)
        self.assertIn('<strong class="report-new">New:</strong>', item)
        self.assertEqual(r.body.count('class="report-new"'), 1)
        last = self.q("SELECT max(seq) FROM messages")[0][0]
        self.assertEqual(self.q("SELECT reporter_seen FROM reports"),
                         [(last,)])
        r = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertIn("No new messages since your last visit.", r.body)
        self.assertNotIn('class="report-new"', r.body)
        # Two replies: "2 new messages"; the reporter's own never count.
        for i in range(2):
            self.assertEqual(desk.post("/desk/r/%s/reply" % ids[0], {
                "kind": "text", "text": "%s %d" % (reply, i)}).status, 303)
        r = follow(self.port, code, "add", REPORTER_ADDR, text="mine")
        self.assertIn("2 new messages since your last visit.", r.body)

    # once per key ----------------------------------------------------------

    def count(self):
        return self.q("SELECT count(*) FROM messages")[0][0]

    def twice(self, code, action, **fields):
        """Posts action twice with one key; returns the two responses."""
        page = follow(self.port, code, source_address=REPORTER_ADDR)
        key = once_of(page.body)
        self.assertIsNotNone(key)
        before = self.count()
        rs = [follow(self.port, code, action, REPORTER_ADDR, once=key,
                     **fields) for _ in range(2)]
        self.assertEqual(self.count(), before + 1, action)
        for r in rs:
            # POST-redirect-GET: Reload and Back repeat only the GET.
            self.assertEqual(r.post_status, 303, action)
            self.assertEqual(r.status, 200, action)
            self.assertNotIn(code.replace("-", ""), r.view.replace("-", ""))
            again = get(self.port, r.view)
            self.assertEqual(again.status, 200)
            self.assertIn(code, again.body)      # the forms' hidden field
        self.assertEqual(self.count(), before + 1, action)
        return rs

    def test_each_followup_post_twice_stores_one_message(self):
        code = file_report(self.port, self.marker)
        desk, ids = self.desk()
        rid = ids[0]
        self.assertEqual(desk.post("/desk/r/%s/reply" % rid, {
            "kind": "question", "text": "Een vraag?"}).status, 303)
        for text in ("Stap een", "Stap twee"):
            self.assertEqual(desk.post("/desk/r/%s/reply" % rid, {
                "kind": "consent", "text": text}).status, 303)
        q_seq = desk_seqs(self.db, MSG_QUESTION)[0]
        yes_seq, no_seq = desk_seqs(self.db, MSG_CONSENT_ASK)
        self.twice(code, "add", text="Extra informatie")
        self.twice(code, "answer", to=str(q_seq), text="Mijn antwoord")
        self.twice(code, "consent_yes", to=str(yes_seq), text="ja")
        self.twice(code, "consent_no", to=str(no_seq), text="nee")
        self.twice(code, "second", text="Graag een second opinion")
        # Logging in and asking to withdraw are views too.
        r = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertEqual(r.post_status, 303)
        r = follow(self.port, code, "withdraw", REPORTER_ADDR)
        self.assertEqual(r.post_status, 303)
        self.assertIn('name="sure"', r.body)
        key = once_of(r.body)
        rs = [follow(self.port, code, "withdraw_confirm", REPORTER_ADDR,
                     once=key, sure="1") for _ in range(2)]
        self.assertEqual([x.post_status for x in rs], [303, 303])
        self.assertEqual(self.count(), 0)
        self.assertEqual(self.q("SELECT status FROM reports"), [(4,)])

    def test_unknown_or_bad_view_is_the_login(self):
        for q in ("", "?v=", "?v=AAAAAAAAAAAAAAAAAAAAAA", "?v=%3Cx%3E"):
            r = get(self.port, "/melden/volg" + q)
            self.assertEqual(r.status, 200, q)
            self.assertIn('name="receipt"', r.body, q)


if __name__ == "__main__":
    unittest.main()
