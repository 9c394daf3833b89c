"""The desk's clock over HTTP: what each step of a report's clock says
after each act of the desk, as days pass.

How the test moves the clock: between steps it backdates every stored
day of the reports (received, acknowledged, feedback, closed, aftercare,
status and message days) in the SQLite file, by as many days as the
test wants to pass; the running server reads the rows again on every
request and compares them with the real today. Why this way, and not a
clock the server could be told to shift: the binary keeps no code path
that changes "today" (store_today is time(NULL) / 86400), so no build
or flag of a production server can have a wrong clock by accident, and
the unit tests (test_deadline.c) already cover the day arithmetic at
fixed dates. The server holds the file open in WAL mode; a second
writer is allowed, and the test writes only between requests.
"""

import datetime
import re
import sqlite3
import unittest

import harness
from desk_util import (Client, DESK_PW, REPORTER_ADDR, Server, file_report,
                       follow, report_ids, report_row, setup_desk)

DAY_COLS = ("received_day", "status_day", "ack_day", "feedback_day",
            "closed_day", "aftercare1_day", "aftercare3_day",
            "second_opinion_day")
STEP_RE = re.compile(r'<li class="desk-step desk-([a-z-]+)">([^<]*): '
                     r'<strong>([^<]*)</strong>')
EPOCH = datetime.date(1970, 1, 1)


def backdate(db, hex_id, days):
    """Moves report hex_id's stored days back by days: as if days passed."""
    c = sqlite3.connect(db, timeout=30)
    try:
        with c:
            c.execute("UPDATE reports SET %s WHERE id = ?" % ", ".join(
                "%s = %s - %d" % (col, col, days) for col in DAY_COLS),
                (bytes.fromhex(hex_id),))
            c.execute("UPDATE messages SET day = day - ? "
                      "WHERE report_id = ?", (days, bytes.fromhex(hex_id)))
    finally:
        c.close()


def day_text(day):
    return (EPOCH + datetime.timedelta(days=day)).isoformat()


def add_months(day, months):
    """deadline_add_months: calendar months, clamped to the month's end."""
    d = EPOCH + datetime.timedelta(days=day)
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    last = (datetime.date(y + (m == 12), m % 12 + 1, 1) -
            datetime.timedelta(days=1)).day
    return (datetime.date(y, m, min(d.day, last)) - EPOCH).days


def today():
    return (datetime.datetime.now(datetime.timezone.utc).date() - EPOCH).days


class TestDeskClock(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
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

    def clock(self, desk, rid):
        """The report page's clock: {step key: (state, value)}."""
        r = desk.get("/desk/r/%s?lang=nl" % rid)
        self.assertEqual(r.status, 200)
        by_label = {self.nl["desk.clock." + k]: k for k in (
            "ack", "feedback", "aftercare1", "aftercare3")}
        body = harness.page_text(r.body)
        return {by_label[m.group(2)]: (m.group(1), m.group(3))
                for m in STEP_RE.finditer(body)}

    def due(self, day):
        return self.nl["desk.clock.due"].replace("{d}", day_text(day))

    def overdue(self, day):
        return self.nl["desk.clock.overdue"].replace("{d}", day_text(day))

    def done(self):
        return ("done", self.nl["desk.clock.done"])

    def post(self, desk, rid, action, fields, status=303):
        r = desk.post("/desk/r/%s/%s" % (rid, action), fields)
        self.assertEqual(r.status, status, harness.page_text(r.body)[-400:])
        return r

    def test_clock_follows_the_desk_acts(self):
        nl = self.nl
        file_report(self.port, "Het eerste verhaal.", REPORTER_ADDR)
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        (a,) = report_ids(desk.get("/desk").body)

        # Eight days later nobody has answered: the acknowledgement is
        # overdue, the feedback runs.
        backdate(self.db, a, 8)
        rec = report_row(self.db, a)["received_day"]
        self.assertEqual(rec, today() - 8)
        c = self.clock(desk, a)
        self.assertEqual(c["ack"], ("overdue", self.overdue(rec + 7)))
        self.assertEqual(c["feedback"],
                         ("due", self.due(add_months(rec, 3))))
        self.assertNotIn("aftercare1", c)

        # A newer report that is in time: the overdue one stays first.
        file_report(self.port, "Het tweede verhaal.", REPORTER_ADDR)
        ids = report_ids(desk.get("/desk").body)
        self.assertEqual(len(ids), 2)
        b = ids[1]
        self.assertEqual(ids[0], a)
        self.assertEqual(report_row(self.db, b)["received_day"], today())

        # The first message of the desk, a thank-you, acknowledges; it
        # is not the feedback.
        self.post(desk, a, "reply", {"kind": "text",
                                     "text": "Dank je voor je melding."})
        c = self.clock(desk, a)
        self.assertEqual(c["ack"], self.done())
        self.assertEqual(c["feedback"],
                         ("due", self.due(add_months(rec, 3))))
        row = report_row(self.db, a)
        self.assertEqual((row["ack_day"], row["feedback_day"]),
                         (today(), None))

        # The other report is acknowledged by its status.
        self.post(desk, b, "status", {"status": "acknowledged"})
        self.assertEqual(self.clock(desk, b)["ack"], self.done())

        # Three months on, questions and replies have not been marked as
        # the feedback: it is overdue, and report a is first again.
        backdate(self.db, a, 92)
        rec = report_row(self.db, a)["received_day"]
        self.post(desk, a, "reply", {"kind": "question",
                                     "text": "Wie was erbij?"})
        self.post(desk, a, "reply", {"kind": "text",
                                     "text": "We zoeken het uit."})
        c = self.clock(desk, a)
        self.assertEqual(c["feedback"],
                         ("overdue", self.overdue(add_months(rec, 3))))
        self.assertEqual(report_ids(desk.get("/desk").body)[0], a)
        # A value other than "1" is not the checkbox.
        self.post(desk, a, "reply", {"kind": "text", "feedback": "yes",
                                     "text": "Nog steeds bezig."})
        self.assertIsNone(report_row(self.db, a)["feedback_day"])
        self.post(desk, a, "reply", {"kind": "text", "feedback": "1",
                                     "text": "Dit hebben we gedaan."})
        self.assertEqual(self.clock(desk, a)["feedback"], self.done())
        self.assertEqual(report_row(self.db, a)["feedback_day"], today())

        # Closing needs the outcome for the reporter, who then reads it.
        r = self.post(desk, a, "status", {"status": "closed",
                                          "outcome": "founded",
                                          "measure": "conversation"}, 422)
        self.assertIn(nl["desk.status.need_outcome"],
                      harness.page_text(r.body))
        self.assertIsNone(report_row(self.db, a)["closed_day"])
        self.post(desk, a, "status", {"status": "closed",
                                      "outcome": "founded",
                                      "measure": "conversation",
                                      "text": "De uitkomst: een gesprek."})
        closed = report_row(self.db, a)["closed_day"]
        self.assertEqual(closed, today())
        c = self.clock(desk, a)
        self.assertEqual(c["aftercare1"],
                         ("due", self.due(add_months(closed, 1))))
        self.assertEqual(c["aftercare3"],
                         ("due", self.due(add_months(closed, 3))))

        # Aftercare is not done by anything else, and recording it before
        # its day asks for confirmation.
        r = self.post(desk, a, "aftercare", {"which": "1"}, 409)
        self.assertIn(nl["desk.aftercare.early"], harness.page_text(r.body))
        self.assertIn('name="confirm" value="1"', r.body)
        self.assertIsNone(report_row(self.db, a)["aftercare1_day"])

        # Five weeks later: aftercare 1 is overdue and recorded without a
        # question; aftercare 3 still runs and is early.
        backdate(self.db, a, 35)
        closed = report_row(self.db, a)["closed_day"]
        c = self.clock(desk, a)
        self.assertEqual(c["aftercare1"],
                         ("overdue", self.overdue(add_months(closed, 1))))
        self.post(desk, a, "aftercare", {"which": "1"})
        self.post(desk, a, "aftercare", {"which": "3"}, 409)
        c = self.clock(desk, a)
        self.assertEqual(c["aftercare1"], self.done())
        self.assertEqual(c["aftercare3"],
                         ("due", self.due(add_months(closed, 3))))
        self.post(desk, a, "aftercare", {"which": "3", "confirm": "1"})
        self.assertEqual(self.clock(desk, a)["aftercare3"], self.done())

    def test_reporter_reads_the_outcome(self):
        code = file_report(self.port, "Een derde verhaal.", REPORTER_ADDR)
        desk = Client(self.port)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        rid = next(i for i in report_ids(desk.get("/desk").body)
                   if report_row(self.db, i)["closed_day"] is None and
                   report_row(self.db, i)["ack_day"] is None)
        self.post(desk, rid, "status", {"status": "closed",
                                        "outcome": "unfounded",
                                        "measure": "none",
                                        "text": "Uitkomst-Qx7: gesloten."})
        row = report_row(self.db, rid)
        # Closing acknowledged and gave the feedback, by that message.
        self.assertEqual((row["ack_day"], row["feedback_day"]),
                         (today(), today()))
        r = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertEqual(r.status, 200)
        self.assertIn("Uitkomst-Qx7: gesloten.", harness.page_text(r.body))


if __name__ == "__main__":
    unittest.main()
