"""The council's yearly report (`gehoord report-stats`): reports filed
through the real server's /melden, five closed by the desk with a
measure, two withdrawn through the reporter's own route (their
tombstones stay), then backdated in the SQLite file
into 2024 and 2025 with their categories, deadlines and outcomes. Every
figure of report.html is checked against the rows, counted here again,
and against report_stats.json's flags (a suppressed cell is a dash, never
its number); the signed MANIFEST is checked with signify and gehoord
verify; --pdf prints a PDF with Chromium (missing Chromium fails here,
it is never skipped).
"""
import datetime
import html
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

import harness
from desk_util import (Client, DESK_ADDR, DESK_PW, REPORTER_ADDR, Server,
                       file_report, follow, report_ids, setup_desk)

K = 5
EPOCH = datetime.date(1970, 1, 1)
SIGNIFY = shutil.which("signify-openbsd") or shutil.which("signify")
CHROMIUM = os.environ.get("GEHOORD_CHROMIUM", "/usr/bin/chromium")
UNITS = ["stadsdeel", "sociaal", "ruimte_economie", "dienstverlening",
         "bedrijfsvoering", "staf", "anders"]


def day(y, m, d):
    return (datetime.date(y, m, d) - EPOCH).days


def civil(n):
    return EPOCH + datetime.timedelta(days=n)


def add_months(n, months):
    """deadline_add_months: calendar months, clamped to the month's end."""
    d = civil(n)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = (datetime.date(y + (m == 12), m % 12 + 1, 1) -
            datetime.timedelta(days=1)).day
    return (datetime.date(y, m, min(d.day, last)) - EPOCH).days


def time_class(due, done, withdrawn, today):
    if done is not None:
        return "in_time" if done <= due else "late"
    if not withdrawn and today > due:
        return "late"
    return "other"


def expected(db, year):
    """Every figure of the year, counted from the rows and tags here."""
    today = (datetime.datetime.now(datetime.timezone.utc).date() -
             EPOCH).days
    c = sqlite3.connect(db)
    rows = c.execute("SELECT id, received_day, status, ack_day, "
                     "feedback_day, second_opinion_day, unit, form, ground, "
                     "measure, outcome FROM reports").fetchall()
    tags = {}
    for rid, kind, value in c.execute("SELECT report_id, kind, value "
                                      "FROM report_tags"):
        tags.setdefault((rid, kind), set()).add(value)
    c.close()
    n = {}

    def inc(table, cat):
        n[(table, cat)] = n.get((table, cat), 0) + 1

    status_ids = ["received", "acknowledged", "in_progress", "closed",
                  "withdrawn", "second_opinion"]
    for (rid, rec, st, ack, fb, so, unit, form, ground,
         measure, outcome) in rows:
        if civil(rec).year != year:
            continue
        inc("all", "reports")
        for kind, col in (("form", form), ("ground", ground),
                          ("measure", measure)):
            if kind == "measure" and st != 3:
                continue
            vals = tags.get((rid, kind)) or ({col} if col else set())
            for v in vals or {"not_recorded"}:
                inc(kind, v)
        inc("status", status_ids[st])
        if st == 3:
            inc("outcome", outcome or "not_recorded")
        u = unit if unit in UNITS else "not_recorded"
        q = "q%d" % ((civil(rec).month - 1) // 3 + 1)
        inc("unit", u)
        inc("quarter", q)
        inc("unit_quarter", "%s:%s" % (u, q))
        inc("acknowledgement", time_class(rec + 7, ack, st == 4, today))
        inc("feedback", time_class(add_months(rec, 3), fb, st == 4, today))
        if st == 4:
            inc("summary", "withdrawn")
        if so is not None:
            inc("summary", "second_opinion_requested")
    return n


def cells_of(page):
    """data-cell -> (is_suppressed, text) of every figure of report.html."""
    out = {}
    for attrs, body in re.findall(r"<td ([^>]*)>(.*?)</td>", page):
        m = re.search(r'data-cell="([^"]+)"', attrs)
        text = html.unescape(re.sub(r"<[^>]*>", "", body))
        out[html.unescape(m.group(1))] = ("data-suppressed" in attrs, text)
    return out


class TestCouncilReport(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        try:
            cls.make_reports()
        except BaseException:
            harness.rmtree(cls.tmp)
            raise

    @classmethod
    def make_reports(cls):
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        server = Server(cls.db, cls.tmp).start()
        try:
            codes = []
            for i in range(36):
                unit = "staf" if i % 4 == 3 else "sociaal"
                fields = {} if i == 5 else {"cluster": unit}
                addr = ("127.0.0.%d" % (60 + i % 12), 0)
                codes.append(file_report(server.port, "council %d" % i,
                                         addr, **fields))
            cls.desk_closes(server.port, 5)
            # Two reporters withdraw: the desk keeps their tombstones.
            for code in codes[-2:]:
                r = follow(server.port, code, "withdraw_confirm",
                           REPORTER_ADDR, sure="1")
                if r.status != 200:
                    raise AssertionError("withdraw: %d" % r.status)
        finally:
            server.stop()
        cls.backdate()

    @classmethod
    def desk_closes(cls, port, n):
        """The desk acknowledges and closes n reports with a measure."""
        desk = Client(port, DESK_ADDR)
        if desk.login("anna", DESK_PW).status != 303:
            raise AssertionError("desk login")
        for rid in report_ids(desk.get("/desk").body)[:n]:
            for fields in ({"status": "acknowledged"},
                           {"status": "closed", "outcome": "founded",
                            "measure": "written_warning",
                            "text": "closed by the desk"}):
                r = desk.post("/desk/r/%s/status" % rid, fields)
                if r.status != 303:
                    raise AssertionError("desk %s: %d" % (fields, r.status))

    @classmethod
    def backdate(cls):
        """12 reports into 2024 and 24 into 2025, with their clocks."""
        c = sqlite3.connect(cls.db)
        ids = [r[0] for r in c.execute(
            "SELECT id FROM reports ORDER BY status = 4, id")]
        assert len(ids) == 36, len(ids)
        for i, rid in enumerate(ids):
            rec = day(2024, 1, 3) + i * 30 if i < 12 else \
                day(2025, 1, 2) + (i - 12) * 15
            (status,) = c.execute("SELECT status FROM reports WHERE id = ?",
                                  (rid,)).fetchone()
            by_desk = status == 3
            closed = by_desk or (status != 4 and i % 3 != 2)
            ack = rec + (10 if i % 6 == 1 else 3)
            c.execute("UPDATE reports SET received_day = ?, status_day = ?,"
                      " ack_day = ?, feedback_day = ?, closed_day = ?, "
                      "status = ? WHERE id = ?",
                      (rec, rec + 40, ack, rec + 40 if closed else None,
                       rec + 40 if closed else None,
                       4 if status == 4 else 3 if closed else 2, rid))
            forms = ["pesten", "discriminatie"] if i % 3 == 0 else ["pesten"]
            for f in forms:
                c.execute("INSERT OR IGNORE INTO report_tags VALUES "
                          "(?, 'form', ?)", (rid, f))
            if i % 2 == 0:
                c.execute("INSERT OR IGNORE INTO report_tags VALUES "
                          "(?, 'ground', 'herkomst')", (rid,))
            if closed and not by_desk:
                c.execute("INSERT OR IGNORE INTO report_tags VALUES "
                          "(?, 'measure', ?)",
                          (rid, "warning" if i % 2 else "none"))
        c.execute("UPDATE reports SET second_opinion_day = received_day + 50"
                  " WHERE id = ?", (ids[20],))
        c.commit()
        c.close()

    @classmethod
    def tearDownClass(cls):
        harness.rmtree(cls.tmp)

    def report(self, name, *extra, env=None):
        out = os.path.join(self.tmp, name)
        p = subprocess.run(harness.command(
            ["report-stats", "--db", self.db, "--year", "2025", "--out", out,
             "--k", str(K)] + list(extra)), capture_output=True, text=True,
            timeout=harness.CLI_TIMEOUT, env=env)
        return out, p

    def test_every_figure_matches_rows_and_audit(self):
        import json
        out, p = self.report("nl")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("counting 2024", p.stderr)      # progress output
        with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
            page = f.read()
        with open(os.path.join(out, "report_stats.json")) as f:
            js = json.load(f)
        self.assertIn('<html lang="nl">', page)
        self.assertIn("Jaarrapportage meldingen 2025", page)
        exp = {2024: expected(self.db, 2024), 2025: expected(self.db, 2025)}
        self.assertEqual(exp[2024][("all", "reports")], 12)
        self.assertEqual(exp[2025][("all", "reports")], 24)
        self.assertEqual(exp[2025][("summary", "withdrawn")], 2)
        for table, cat in (("measure", "written_warning"),
                           ("outcome", "founded")):  # the desk's closings
            self.assertEqual(sum(exp[y].get((table, cat), 0)
                                 for y in exp), 5)
        cells = cells_of(page)
        flags = {"%s/%s" % (c["table"], c["category"]): c for c in
                 js["cells"]}
        hidden = 0
        for key, c in flags.items():
            table, cat = key.split("/", 1)
            want = exp[2025].get((table, cat), 0)
            if c["flag"] == "published":
                self.assertEqual(c["count"], want, key)
                self.assertTrue(want == 0 or want >= K, key)
            else:
                self.assertIsNone(c["count"], key)
            if key not in cells:
                continue
            is_hidden, text = cells[key]
            if c["flag"] == "published":
                self.assertFalse(is_hidden, key)
                self.assertEqual(text, str(want), key)
            else:
                hidden += 1
                self.assertTrue(is_hidden, key)
                self.assertNotRegex(text, r"\d", key)
                self.assertIn("–", text)
        # The fixture has small counts: suppression must have acted, and
        # each suppressed figure's table says why.
        self.assertGreater(hidden, 0)
        self.assertEqual(flags["summary/withdrawn"]["flag"],
                         "suppressed_primary")
        self.assertIn("Niet genoemd: minder dan %d meldingen" % K, page)
        # Every figure of the report's year is one of the audited cells.
        for key, (is_hidden, text) in cells.items():
            if key.startswith("20") or key.endswith("/share_in_time"):
                continue
            self.assertIn(key, flags)
        # The trend: 2024 and 2025 side by side, each protected alone.
        for key, (is_hidden, text) in cells.items():
            if not key.startswith("20") or key.endswith("share_in_time"):
                continue
            year, rest = key.split(":", 1)
            table, cat = rest.split("/", 1)
            if year == "2025":
                self.assertEqual((is_hidden, text), cells[rest], key)
            elif not is_hidden:
                want = exp[int(year)].get((table, cat), 0)
                self.assertEqual(text, str(want), key)
                self.assertTrue(want == 0 or want >= K, key)
        # 2024 in the trend is exactly what a report on 2024 publishes.
        out24 = os.path.join(self.tmp, "y2024")
        p = harness.run("report-stats", "--db", self.db, "--year", "2024",
                        "--out", out24, "--k", str(K))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out24, "report_stats.json")) as f:
            js24 = {"%s/%s" % (c["table"], c["category"]): c
                    for c in json.load(f)["cells"]}
        n24 = 0
        for key, (is_hidden, text) in cells.items():
            if key.startswith("2024:") and "share_in_time" not in key:
                c = js24[key[5:]]
                self.assertEqual(is_hidden, c["count"] is None, key)
                if not is_hidden:
                    self.assertEqual(text, str(c["count"]), key)
                n24 += 1
        self.assertEqual(n24, 4)
        # The shares in time, from two published figures or a dash.
        for step in ("acknowledgement", "feedback"):
            a = flags["%s/in_time" % step]
            b = flags["%s/late" % step]
            is_hidden, text = cells["%s/share_in_time" % step]
            if a["count"] is None or b["count"] is None:
                self.assertTrue(is_hidden, step)
            else:
                self.assertEqual(text, "%d%%" % int(
                    a["count"] * 100 / (a["count"] + b["count"]) + 0.5))
        # Every figure a number or a dash: no other text in a cell.
        for key, (is_hidden, text) in cells.items():
            if not is_hidden:
                self.assertRegex(text, r"^\d+%?$", key)
        # Tables with captions and headers for the print and the reader.
        self.assertGreaterEqual(page.count("<caption id="), 9)
        self.assertIn('<th scope="col">', page)
        self.assertIn('<th scope="row">', page)
        self.assertIn("@page { size: A4", page)
        self.assertIn("section { break-inside: avoid", page)
        self.assertIn("#trend { break-before: page", page)

    def test_signed_and_verified(self):
        out, p = self.report("signed")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "MANIFEST")) as f:
            names = sorted(line.split()[1] for line in f)
        self.assertEqual(names, ["report.html", "report_stats.csv",
                                 "report_stats.json"])
        self.assertIsNotNone(SIGNIFY, "signify-openbsd is not installed")
        s = subprocess.run([SIGNIFY, "-V", "-p",
                            os.path.join(out, "release-key.pub"), "-m",
                            os.path.join(out, "MANIFEST")],
                           capture_output=True, text=True)
        self.assertEqual(s.returncode, 0, s.stderr)
        v = harness.run("verify", out)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        # One changed byte of the report: gehoord verify says so.
        bad = os.path.join(self.tmp, "tampered")
        shutil.copytree(out, bad)
        with open(os.path.join(bad, "report.html"), "r+b") as f:
            f.seek(200)
            b = f.read(1)
            f.seek(200)
            f.write(bytes([b[0] ^ 1]))
        v = harness.run("verify", bad)
        self.assertEqual(v.returncode, 1)
        self.assertIn("report.html", v.stdout + v.stderr)

    def test_existing_directory_refused(self):
        out = os.path.join(self.tmp, "exists")
        os.mkdir(out)
        out, p = self.report("exists")
        self.assertEqual(p.returncode, 1)
        self.assertIn("exists already", p.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_english(self):
        out, p = self.report("en", "--lang", "en")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn('<html lang="en">', page)
        self.assertIn("Yearly report on reports 2025", page)
        p = self.report("xx", "--lang", "de")[1]
        self.assertEqual(p.returncode, 2)
        self.assertIn("--lang", p.stderr)

    def test_pdf(self):
        self.assertTrue(os.access(CHROMIUM, os.X_OK),
                        "%s is missing: the --pdf path needs it" % CHROMIUM)
        out, p = self.report("pdf", "--pdf")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "report.pdf"), "rb") as f:
            self.assertEqual(f.read(4), b"%PDF")
        with open(os.path.join(out, "MANIFEST")) as f:
            self.assertIn("report.pdf", f.read())
        v = harness.run("verify", out)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)

    def test_pdf_without_chromium(self):
        env = dict(os.environ, GEHOORD_CHROMIUM="/nonexistent/chromium")
        out, p = self.report("nochrome", "--pdf", env=env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Chromium", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
