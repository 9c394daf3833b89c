"""The desk's casework over HTTP: the case reference and its search,
lists of forms, grounds and measures, the outcome on closing, the
assignment, internal notes (sealed, desk-only, gone on withdrawal), the
inbox's "new" marker and its filters. Each refusal is checked to change
nothing.
"""

import glob
import html
import re
import unittest

import harness
from desk_util import (Client, DESK_PW, DESK2_PW, REPORTER_ADDR, Server,
                       file_report, follow, report_ids, report_row,
                       setup_desk, user_add)
from test_desk_clock import backdate

def tags(db, rid, kind):
    return sorted(r[0] for r in harness.db_query(
        db, "SELECT value FROM report_tags WHERE report_id = ? AND "
        "kind = ?", (bytes.fromhex(rid), kind)))


def user_id(db, name):
    return harness.db_query(db, "SELECT id FROM users WHERE name = ?",
                            (name,))[0][0]


def n_messages(db, rid):
    return harness.db_query(db, "SELECT count(*) FROM messages WHERE "
                            "report_id = ?", (bytes.fromhex(rid),))[0][0]


class TestDeskCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        p = user_add(cls.db, cls.tmp, "bert", "desk", DESK2_PW, by="anna",
                     by_pw=DESK_PW)
        if p.returncode != 0:
            raise AssertionError("user add bert: %s" % p.stderr)
        cls.server = Server(cls.db, cls.tmp).start()
        cls.port = cls.server.port
        cls.nl = harness.load_messages("nl")

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        harness.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def desk(self, name="anna", pw=DESK_PW):
        c = Client(self.port)
        self.assertEqual(c.login(name, pw).status, 303)
        return c

    def new_case(self, desk, what):
        """Files a report; returns (receipt code, report id)."""
        before = set(report_ids(desk.get("/desk").body))
        code = file_report(self.port, what, REPORTER_ADDR)
        (rid,) = set(report_ids(desk.get("/desk").body)) - before
        return code, rid

    def post(self, desk, rid, action, fields, status=303):
        if isinstance(fields, list):        # repeated fields, in order
            pairs, fields = fields, {}
            for k, v in pairs:
                fields.setdefault(k, []).append(v)
        r = desk.post("/desk/r/%s/%s" % (rid, action), fields)
        self.assertEqual(r.status, status, harness.page_text(r.body)[-300:])
        return r

    def test_reference_shown_and_found(self):
        desk = self.desk()
        _, rid = self.new_case(desk, "Een verhaal voor de referentie.")
        ref = report_row(self.db, rid)["ref"]
        self.assertRegex(ref, r"^[0-9A-F]{8}$")
        shown = "Zaak %s-%s" % (ref[:4], ref[4:])
        self.assertIn(shown, harness.page_text(desk.get("/desk").body))
        page = harness.page_text(desk.get("/desk/r/" + rid).body)
        self.assertIn(shown, page)
        self.assertNotIn(rid, page.split("<h1>")[1].split("</h1>")[0])
        # Any case, dash optional.
        for typed in (ref.lower(), "%s-%s" % (ref[:4], ref[4:]),
                      " %s " % ref):
            r = desk.get("/desk/find?ref=" + typed.replace(" ", "+"))
            self.assertEqual(r.status, 303, typed)
            self.assertTrue(r.header("Location").startswith(
                "/desk/r/" + rid))
        r = desk.get("/desk/find?ref=XYZ")
        self.assertEqual(r.status, 422)
        self.assertIn(self.nl["desk.find.bad"], harness.page_text(r.body))
        other = "%08X" % ((int(ref, 16) + 1) % (1 << 32))
        while other in [report_row(self.db, i)["ref"]
                        for i in report_ids(desk.get("/desk").body)]:
            other = "%08X" % ((int(other, 16) + 1) % (1 << 32))
        r = desk.get("/desk/find?ref=" + other)
        self.assertEqual(r.status, 404)
        self.assertIn(self.nl["desk.find.none"], harness.page_text(r.body))

    def test_lists_replace_and_refuse_unknown_values(self):
        desk = self.desk()
        _, rid = self.new_case(desk, "Een verhaal met twee vormen.")
        self.post(desk, rid, "category", [
            ("form", "pesten"), ("form", "discriminatie"),
            ("ground", "geloof"), ("ground", "herkomst"),
            ("unit", "sociaal")])
        self.assertEqual(tags(self.db, rid, "form"),
                         ["discriminatie", "pesten"])
        self.assertEqual(tags(self.db, rid, "ground"),
                         ["geloof", "herkomst"])
        page = desk.get("/desk/r/" + rid).body
        self.assertIn('name="form" value="pesten" checked', page)
        self.assertIn('name="form" value="discriminatie" checked', page)
        self.assertNotIn('name="form" value="vernedering" checked', page)
        # Replaced, not appended.
        self.post(desk, rid, "category", [("form", "vernedering"),
                                          ("ground", "geloof")])
        self.assertEqual(tags(self.db, rid, "form"), ["vernedering"])
        self.assertEqual(tags(self.db, rid, "ground"), ["geloof"])
        # An unknown value is named and changes nothing.
        for field, key in (("form", "bad_form"), ("ground", "bad_ground"),
                           ("unit", "bad_unit")):
            fields = [("form", "pesten"), ("ground", "herkomst"),
                      (field, "made-up")]
            r = self.post(desk, rid, "category", fields, 422)
            self.assertIn(self.nl["desk.category." + key],
                          harness.page_text(r.body))
            self.assertEqual(tags(self.db, rid, "form"), ["vernedering"])
            self.assertEqual(tags(self.db, rid, "ground"), ["geloof"])
            self.assertEqual(report_row(self.db, rid)["unit"], "sociaal")

    def test_closing_needs_outcome_and_measure(self):
        desk = self.desk()
        code, rid = self.new_case(desk, "Een verhaal om af te sluiten.")
        n = n_messages(self.db, rid)
        bad = (
            ({"status": "closed", "measure": "mediation",
              "text": "Klaar."}, "need_result"),
            ({"status": "closed", "outcome": "maybe",
              "measure": "mediation", "text": "Klaar."}, "need_result"),
            ({"status": "closed", "outcome": "founded",
              "text": "Klaar."}, "need_measure"),
            ([("status", "closed"), ("outcome", "founded"),
              ("measure", "mediation"), ("measure", "firing"),
              ("text", "Klaar.")], "need_measure"),
            ({"status": "closed", "outcome": "founded",
              "measure": "mediation"}, "need_outcome"),
        )
        for fields, key in bad:
            r = self.post(desk, rid, "status", fields, 422)
            self.assertIn(self.nl["desk.status." + key],
                          harness.page_text(r.body))
            row = report_row(self.db, rid)
            self.assertEqual((row["status"], row["outcome"],
                              row["closed_day"]), (0, None, None))
            self.assertEqual(tags(self.db, rid, "measure"), [])
            self.assertEqual(n_messages(self.db, rid), n)
        self.post(desk, rid, "status", [
            ("status", "closed"), ("outcome", "founded"),
            ("measure", "mediation"), ("measure", "ombudsperson"),
            ("text", "Er is met beide partijen gesproken.")])
        row = report_row(self.db, rid)
        self.assertEqual((row["status"], row["outcome"]), (3, "founded"))
        self.assertEqual(tags(self.db, rid, "measure"),
                         ["mediation", "ombudsperson"])
        self.assertEqual(n_messages(self.db, rid), n + 1)
        page = harness.page_text(follow(self.port, code,
                                        source_address=REPORTER_ADDR).body)
        self.assertIn(self.nl["desk.status.outcome_line"].replace(
            "{o}", self.nl["desk.outcome.founded"]), page)
        self.assertIn("Er is met beide partijen gesproken.", page)
        case = harness.page_text(desk.get("/desk/r/" + rid).body)
        self.assertIn(self.nl["desk.outcome.founded"], case)
        self.assertIn(self.nl["desk.measure.ombudsperson"], case)

    def test_assignment_and_filters(self):
        anna, bert = self.desk(), self.desk("bert", DESK2_PW)
        _, rid = self.new_case(anna, "Een verhaal voor bert.")
        _, other = self.new_case(anna, "Een verhaal voor niemand.")
        bid = user_id(self.db, "bert")
        self.post(anna, rid, "assign", {"user": str(bid)})
        self.assertEqual(report_row(self.db, rid)["assigned_to"], bid)
        for bad in ("99999", str(user_id(self.db, "rita")), "x"):
            self.post(anna, rid, "assign", {"user": bad}, 422)
            self.assertEqual(report_row(self.db, rid)["assigned_to"], bid)
        mine = report_ids(bert.get("/desk?assigned=me").body)
        self.assertIn(rid, mine)
        self.assertNotIn(other, mine)
        self.assertNotIn(rid, report_ids(anna.get("/desk?assigned=me").body))
        nobody = report_ids(anna.get("/desk?assigned=nobody").body)
        self.assertIn(other, nobody)
        self.assertNotIn(rid, nobody)
        page = bert.get("/desk/r/" + rid).body
        self.assertRegex(page, r'<option value="%d" selected>bert</option>'
                         % bid)
        # Status, category and due filters; overdue first.
        self.post(anna, other, "category", {"form": "buitensluiten"})
        only = report_ids(anna.get("/desk?form=buitensluiten").body)
        self.assertEqual(only, [other])
        self.assertNotIn(other, report_ids(
            anna.get("/desk?status=closed").body))
        backdate(self.db, other, 9)
        overdue = report_ids(anna.get("/desk?due=overdue").body)
        self.assertIn(other, overdue)
        self.assertNotIn(rid, overdue)
        week = report_ids(anna.get("/desk?due=week").body)
        self.assertIn(rid, week)
        self.assertNotIn(other, week)
        self.assertEqual(report_ids(anna.get("/desk").body)[0], other)
        # An unknown value: said, and the inbox unfiltered.
        r = anna.get("/desk?due=someday")
        self.assertEqual(r.status, 422)
        self.assertIn(self.nl["desk.filter.bad"], harness.page_text(r.body))
        self.assertIn(other, report_ids(r.body))
        self.assertIn(rid, report_ids(r.body))
        r = anna.get("/desk?form=made-up")
        self.assertEqual(r.status, 422)

    def test_disabled_assignee_shown_marked_not_as_nobody(self):
        anna = self.desk()
        p = user_add(self.db, self.tmp, "dirk", "desk", DESK2_PW, by="anna",
                     by_pw=DESK_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        did = user_id(self.db, "dirk")
        _, rid = self.new_case(anna, "Een verhaal voor dirk.")
        self.post(anna, rid, "assign", {"user": str(did)})
        p = harness.run("user", "disable", "--db", self.db, "--name", "dirk")
        self.assertEqual(p.returncode, 0, p.stderr)
        # Still dirk's: the select shows him, marked, and not "nobody";
        # the inbox says so too.
        for lang, key in (("nl", "desk.assign.disabled"),
                          ("en", "desk.assign.disabled")):
            mark = harness.load_messages(lang)[key].replace("{name}", "dirk")
            page = anna.get("/desk/r/%s?lang=%s" % (rid, lang)).body
            self.assertRegex(page, r'<option value="%d" selected>%s</option>'
                             % (did, re.escape(html.escape(mark))))
            select = re.search(r'<select id="assign-to".*?</select>', page,
                               re.S).group(0)
            self.assertNotIn('<option value="" selected>', select)
            inbox = harness.page_text(anna.get("/desk?lang=" + lang).body)
            self.assertIn(mark, inbox)
        self.assertNotIn(rid, report_ids(
            anna.get("/desk?assigned=nobody").body))
        # He cannot be given a case, and another case does not offer him.
        _, other = self.new_case(anna, "Een verhaal zonder dirk.")
        r = self.post(anna, other, "assign", {"user": str(did)}, 422)
        self.assertIn(self.nl["desk.assign.bad"], harness.page_text(r.body))
        self.assertIsNone(report_row(self.db, other)["assigned_to"])
        self.assertNotIn('<option value="%d"' % did,
                         anna.get("/desk/r/" + other).body)
        # Reassigned, his option is gone from the case too.
        self.post(anna, rid, "assign", {"user": str(user_id(self.db,
                                                             "anna"))})
        self.assertNotIn('<option value="%d"' % did,
                         anna.get("/desk/r/" + rid).body)

    def test_unread_marker_per_user(self):
        anna, bert = self.desk(), self.desk("bert", DESK2_PW)
        code, rid = self.new_case(anna, "Een verhaal dat nieuw is.")
        new = self.nl["desk.case.new"]

        def is_new(desk):
            body = desk.get("/desk").body
            item = body.split('href="/desk/r/%s' % rid)[1].split("</li>")[0]
            return new in harness.page_text(item)
        self.assertTrue(is_new(anna))
        anna.get("/desk/r/" + rid)
        self.assertFalse(is_new(anna))
        self.assertTrue(is_new(bert))
        # The desk's own reply is nothing new; the reporter's answer is.
        self.post(anna, rid, "reply", {"kind": "text", "text": "Dank."})
        self.assertFalse(is_new(anna))
        r = follow(self.port, code, "add", REPORTER_ADDR, text="Nog iets.")
        self.assertEqual(r.status, 200)
        self.assertTrue(is_new(anna))
        anna.get("/desk/r/" + rid)
        self.assertFalse(is_new(anna))

    def test_notes_are_sealed_and_desk_only(self):
        desk = self.desk()
        code, rid = self.new_case(desk, "Een verhaal met een notitie.")
        marker = "NOTE-Zx9Qw-" + rid[:8]
        self.post(desk, rid, "note", {"text": marker})
        for blank in ("", "   \n"):
            r = self.post(desk, rid, "note", {"text": blank}, 422)
            self.assertIn(self.nl["desk.note.empty"],
                          harness.page_text(r.body))
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM report_notes WHERE report_id = ?",
            (bytes.fromhex(rid),))[0][0], 1)
        page = harness.page_text(desk.get("/desk/r/" + rid).body)
        self.assertIn(marker, page)
        self.assertNotIn(marker, harness.page_text(
            follow(self.port, code, source_address=REPORTER_ADDR).body))
        # Not in the clear in the database file nor its WAL.
        for path in glob.glob(self.db + "*"):
            with open(path, "rb") as f:
                self.assertNotIn(marker.encode(), f.read(), path)
        # Withdrawal deletes the notes.
        r = follow(self.port, code, "withdraw_confirm", REPORTER_ADDR,
                   sure="1")
        self.assertEqual(r.status, 200)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM report_notes WHERE report_id = ?",
            (bytes.fromhex(rid),))[0][0], 0)
        self.post(desk, rid, "note", {"text": "te laat"}, 409)


if __name__ == "__main__":
    unittest.main()
