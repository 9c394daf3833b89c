"""The desk's signals and the council's statistics counted from
report_tags: a report with two grounds counts once under each ground and
once in its unit's total, per period of three months and over 12 months,
rows below k left out; `gehoord report-stats` the same way.
"""
import datetime
import json
import os
import sqlite3
import unittest

import harness
from desk_util import (Client, DESK_PW, DESK_ADDR, REPORTER_ADDR, Server,
                       file_report, setup_desk)


class TestSignals(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        self.server = Server(self.db, self.tmp,
                             extra=("--signals-k", "5")).start()
        self.port = self.server.port
        self.nl = harness.load_messages("nl")
        # Six reports about one unit: four on both grounds, one on each
        # alone; two about another unit (below k), on both grounds.
        for i in range(6):
            file_report(self.port, "signal %d" % i, REPORTER_ADDR,
                        cluster="sociaal")
        for i in range(2):
            file_report(self.port, "other %d" % i, REPORTER_ADDR,
                        cluster="bedrijfsvoering")
        c = sqlite3.connect(self.db, timeout=10)
        ids = [r[0] for r in c.execute(
            "SELECT id FROM reports WHERE unit = 'sociaal' ORDER BY id")]
        for n, rid in enumerate(ids):
            grounds = ["herkomst", "geloof"] if n < 4 else \
                ["herkomst"] if n == 4 else ["geloof"]
            for g in grounds:
                c.execute("INSERT INTO report_tags VALUES (?, 'ground', ?)",
                          (rid, g))
        for (rid,) in c.execute("SELECT id FROM reports WHERE unit = "
                                "'bedrijfsvoering'").fetchall():
            for g in ("herkomst", "geloof"):
                c.execute("INSERT INTO report_tags VALUES (?, 'ground', ?)",
                          (rid, g))
        c.commit()
        c.close()

    def tearDown(self):
        self.server.stop()
        harness.rmtree(self.tmp)

    def test_signals_page(self):
        desk = Client(self.port, DESK_ADDR)
        self.assertEqual(desk.login("anna", DESK_PW).status, 303)
        r = desk.get("/desk/signals")
        self.assertEqual(r.status, 200)
        body = r.body
        self.assertIn(self.nl["desk.signals.caption"].split(".")[0],
                      harness.page_text(body))
        self.assertIn(self.nl["desk.signals.total"], body)
        # The unit's row counts each report once, in the last period.
        rows = [row for row in body.split("<tr") if "</th>" in row]
        unit = [row for row in rows if "signals-unit" in row]
        self.assertEqual(len(unit), 1)
        self.assertIn("Sociaal domein", unit[0])
        self.assertIn("<td>0</td><td>0</td><td>0</td><td>6</td><td>6</td>",
                      unit[0])
        # Each ground counts the reports that concern it: 5 and 5.
        cats = [row for row in rows if "signals-cat" in row]
        self.assertEqual(len(cats), 2)
        for row in cats:
            self.assertIn("<td>5</td><td>5</td>", row)
        self.assertNotIn("Bedrijfsvoering", body)
        text = harness.page_text(body)
        self.assertIn(self.nl["desk.signals.hidden"].replace("{n}", "1"),
                      text)

    def test_report_stats(self):
        out = os.path.join(self.tmp, "stats")
        year = datetime.datetime.now(datetime.timezone.utc).year
        p = harness.run("report-stats", "--db", self.db, "--year",
                        str(year), "--out", out, "--k", "5")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "report_stats.json")) as f:
            js = json.load(f)
        self.assertIn("counts once under each", js["note"])
        cell = {(c["table"], c["category"]): c for c in js["cells"]}
        self.assertEqual(cell[("all", "reports")]["count"], 8)
        self.assertEqual(cell[("ground", "herkomst")]["count"], 7)
        self.assertEqual(cell[("ground", "geloof")]["count"], 7)
        self.assertEqual(cell[("ground", "not_recorded")]["count"], 0)


if __name__ == "__main__":
    unittest.main()
