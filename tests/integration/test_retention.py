"""Retention of reports and deleting a wave's answers, over the real
server, the real CLI and a real SQLite file.

How the test moves the clock: as test_desk_clock.py does (its docstring
says why), by backdating every stored day of a report in the SQLite file
between requests; `gehoord report-expire` and the server's daily run
then compare them with the real today.

What is checked: a report closed more than its retention ago loses its
texts, keys and receipt (no byte of its sealed key, its public keys, its
receipt hash, its messages' and notes' ciphertexts, nor its marker text
is left in the .db or -wal file after the run), while its tombstone
(status, categories, unit, days) stays and `gehoord report-stats` gives
the same figures before and after; a desk extension keeps a report past
its date; the desk's list of reports expiring within 30 days; the run
at server start-up; the CLI's --help and exit codes; `gehoord wave
delete` refuses before a release and afterwards removes the wave's
answers and tokens, leaving its release readable.
"""

import csv
import json
import os
import random
import shutil
import sqlite3
import time
import unittest

import harness as h
import test_release_e2e as tre
from desk_util import (Client, DESK_PW, REPORTER_ADDR, RESEARCH_PW, Server,
                       file_report, follow, report_ids, report_row,
                       setup_desk)
from test_desk_clock import add_months, backdate, day_text, today

KEY = h.ModuleKey()
SECRET_COLS = ("sealed_key", "report_pk", "receipt_hash", "reply_pk",
               "reply_salt")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def db_bytes(db):
    """The bytes of the -wal, if any, and of the database file. The -wal
    is read first: a page that serve's checkpoint moves from it to the
    file between the two reads is then in one of them either way (read
    the other way round, it could be in neither)."""
    out = b""
    for path in (db + "-wal", db):
        if os.path.exists(path):
            with open(path, "rb") as f:
                out += f.read()
    return out


def secrets_of(db, hex_id):
    """Every key, hash and ciphertext stored for a report (non-empty)."""
    rid = bytes.fromhex(hex_id)
    row = report_row(db, hex_id)
    out = [bytes(row[c]) for c in SECRET_COLS if row[c] is not None]
    for (a, b) in h.db_query(db, "SELECT for_desk, for_reporter FROM "
                             "messages WHERE report_id = ?", (rid,)):
        out += [bytes(a), bytes(b)]
    out += [bytes(r[0]) for r in h.db_query(
        db, "SELECT sealed FROM report_notes WHERE report_id = ?", (rid,))]
    return out


def file_cats(tc, desk, rid, form, unit="sociaal"):
    """The desk files the report under form, ground herkomst and unit."""
    desk.get("/desk/r/%s" % rid)
    r = desk.post("/desk/r/%s/category" % rid, {
        "form": form, "ground": "herkomst", "unit": unit})
    tc.assertEqual(r.status, 303, h.page_text(r.body)[-300:])


def tags_of(db, hex_id):
    return sorted(tuple(r) for r in h.db_query(
        db, "SELECT kind, value FROM report_tags WHERE report_id = ?",
        (bytes.fromhex(hex_id),)))


def close_report(tc, desk, rid):
    r = desk.get("/desk/r/%s" % rid)
    tc.assertEqual(r.status, 200)
    r = desk.post("/desk/r/%s/status" % rid, {
        "status": "closed", "outcome": "founded", "measure": "conversation",
        "text": "De uitkomst: een gesprek."})
    tc.assertEqual(r.status, 303, h.page_text(r.body)[-300:])
    tc.assertEqual(report_row(tc.db, rid)["status"], 3)


class DeskCase(unittest.TestCase):
    """A fresh database, desk user and server for every test."""

    def setUp(self):
        self.tmp = h.mkdtemp()
        self.db = h.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        self.server = Server(self.db, self.tmp).start()
        self.port = self.server.port
        self.nl = h.load_messages("nl")
        self.desk = Client(self.port, ("127.0.0.24", 0))
        self.assertEqual(self.desk.login("anna", DESK_PW).status, 303)
        self.n_filed = 0

    def tearDown(self):
        rc = self.server.stop() if self.server else 0
        err = self.server.stderr() if self.server else ""
        h.rmtree(self.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))

    def file(self, text, **fields):
        """Files a report from an address of its own; returns its id."""
        before = set(report_ids(self.desk.get("/desk").body))
        self.n_filed += 1
        self.code = file_report(self.port, text,
                                ("127.0.0.%d" % (60 + self.n_filed), 0),
                                **fields)
        (rid,) = set(report_ids(self.desk.get("/desk").body)) - before
        return rid

    def expire(self, *extra):
        return h.run("report-expire", "--db", self.db, *extra)


class TestRetention(DeskCase):

    def stats(self, year, name):
        out = os.path.join(self.tmp, name)
        p = h.run("report-stats", "--db", self.db, "--year", str(year),
                  "--k", "5", "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "report_stats.csv"), newline="") as f:
            return list(csv.DictReader(f))

    def test_expired_reports_are_shredded_and_still_counted(self):
        marks = ["RETAIN-Zx9Qw-%d-%s" % (i, os.urandom(4).hex())
                 for i in range(5)]
        ids = []
        for m in marks:
            ids.append(self.file(m))
        last_code = self.code
        r = follow(self.port, last_code, source_address=REPORTER_ADDR)
        self.assertIn(marks[-1], h.page_text(r.body))
        for rid in ids:
            file_cats(self, self.desk, rid, "pesten")
        note = "NOTE-Zx9Qw-" + os.urandom(4).hex()
        self.desk.get("/desk/r/%s" % ids[0])
        r = self.desk.post("/desk/r/%s/note" % ids[0], {"text": note})
        self.assertEqual(r.status, 303)
        for rid in ids:
            close_report(self, self.desk, rid)
        secrets = [s for rid in ids for s in secrets_of(self.db, rid)]
        self.assertGreaterEqual(len(secrets), 5 * 7 + 1)
        # The test sees them in the files before the run.
        data = db_bytes(self.db)
        for s in secrets:
            self.assertIn(s, data)
        for rid in ids:
            backdate(self.db, rid, 400)
        year = int(day_text(report_row(self.db, ids[0])["received_day"])
                   [:4])
        before = self.stats(year, "before")
        all_row = [c for c in before if c["table"] == "all"][0]
        self.assertEqual(all_row["count"], "5")

        # A dry run lists them and changes nothing.
        p = self.expire("--dry-run")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("would destroy report"), 5)
        self.assertIn("5 would be destroyed", p.stdout)
        for rid in ids:
            self.assertIsNotNone(report_row(self.db, rid)["sealed_key"])

        p = self.expire()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("destroying report"), 5)
        self.assertIn("5 reports checked, 5 destroyed", p.stdout)
        for rid in ids:
            row = report_row(self.db, rid)
            for c in SECRET_COLS:
                self.assertIsNone(row[c], c)
            self.assertEqual(row["status"], 3)
            self.assertEqual(tags_of(self.db, rid), [
                ("form", "pesten"), ("ground", "herkomst"),
                ("measure", "conversation")])
            self.assertEqual(row["unit"], "sociaal")
            self.assertEqual(row["outcome"], "founded")
            self.assertEqual(row["expired_day"], today())
            self.assertIsNotNone(row["closed_day"])
            self.assertEqual(h.db_query(
                self.db, "SELECT count(*) FROM messages WHERE report_id "
                "= ?", (bytes.fromhex(rid),))[0][0], 0)
        self.assertEqual(h.db_query(
            self.db, "SELECT count(*) FROM report_notes")[0][0], 0)
        # No byte of what was destroyed is left in the files.
        data = db_bytes(self.db)
        for s in secrets:
            self.assertNotIn(s, data)
        for m in marks + [note]:
            self.assertNotIn(m.encode(), data)
        # The council's figures are the same.
        self.assertEqual(self.stats(year, "after"), before)
        # The reporter's code no longer opens anything.
        r = follow(self.port, last_code, source_address=REPORTER_ADDR)
        self.assertNotIn(marks[-1], h.page_text(r.body))
        self.assertEqual(r.status, 404)
        # The desk sees the tombstone, not an error.
        r = self.desk.get("/desk/r/%s?lang=nl" % ids[0])
        self.assertEqual(r.status, 200)
        self.assertIn(self.nl["desk.report.expired"], h.page_text(r.body))
        self.assertIn(self.nl["desk.inbox.expired"],
                      h.page_text(self.desk.get("/desk").body))
        # Writes to it are refused; a second run finds nothing to do.
        r = self.desk.post("/desk/r/%s/retain" % ids[0],
                           {"reason": "legal_proceedings"})
        self.assertEqual(r.status, 409)
        p = self.expire()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0 reports checked, 0 destroyed", p.stdout)

    def test_extension_keeps_a_report_past_its_date(self):
        a = self.file("Het eerste verhaal.", vorm="pesten")
        b = self.file("Het tweede verhaal.", vorm="pesten")
        for rid in (a, b):
            close_report(self, self.desk, rid)
            backdate(self.db, rid, 400)
        closed = report_row(self.db, a)["closed_day"]
        page = h.page_text(self.desk.get("/desk/r/%s?lang=nl" % a).body)
        self.assertIn(self.nl["desk.retain.until"].replace(
            "{d}", day_text(add_months(closed, 12))), page)
        # A reason not on the list, or no CSRF token: refused, unchanged.
        r = self.desk.post("/desk/r/%s/retain" % a, {"reason": "omdat"})
        self.assertEqual(r.status, 422)
        self.assertIn(self.nl["desk.retain.reason_invalid"],
                      h.page_text(r.body))
        r = self.desk.post("/desk/r/%s/retain" % a, {"reason": ""})
        self.assertEqual(r.status, 422)
        r = self.desk.post("/desk/r/%s/retain" % a,
                           {"reason": "legal_proceedings"}, csrf="x")
        self.assertEqual(r.status, 403)
        self.assertIsNone(report_row(self.db, a)["keep_until"])
        r = self.desk.post("/desk/r/%s/retain" % a,
                           {"reason": "legal_proceedings"})
        self.assertEqual(r.status, 303)
        row = report_row(self.db, a)
        self.assertEqual(row["keep_until"], add_months(today(), 12))
        self.assertEqual(row["keep_reason"], "legal_proceedings")
        p = self.expire()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 reports checked, 1 destroyed", p.stdout)
        self.assertIsNotNone(report_row(self.db, a)["sealed_key"])
        self.assertIsNone(report_row(self.db, b)["sealed_key"])
        page = h.page_text(self.desk.get("/desk/r/%s?lang=nl" % a).body)
        self.assertIn("Het eerste verhaal.", page)
        self.assertIn(self.nl["desk.retain.until"].replace(
            "{d}", day_text(add_months(today(), 12))), page)
        self.assertIn(self.nl["desk.retain.extended"].replace(
            "{reason}", self.nl["desk.retain.reason.legal_proceedings"]),
            page)
        # A year and a day later the extension has run out too.
        c = sqlite3.connect(self.db, timeout=30)
        with c:
            c.execute("UPDATE reports SET keep_until = keep_until - 366 "
                      "WHERE id = ?", (bytes.fromhex(a),))
        c.close()
        p = self.expire()
        self.assertIn("1 reports checked, 1 destroyed", p.stdout)
        self.assertIsNone(report_row(self.db, a)["sealed_key"])

    def test_desk_list_of_reports_expiring_soon(self):
        soon = self.file("Binnenkort weg.", vorm="pesten")
        later = self.file("Later weg.", vorm="pesten")
        still_open = self.file("Nog open.", vorm="pesten")
        long_kept = self.file("Geweld.", vorm="agressie_geweld")
        file_cats(self, self.desk, long_kept, "agressie_geweld")
        for rid in (soon, later, long_kept):
            close_report(self, self.desk, rid)
        backdate(self.db, soon, 350)
        backdate(self.db, later, 100)
        backdate(self.db, still_open, 400)
        backdate(self.db, long_kept, 350)   # kept 24 months
        r = self.desk.get("/desk/retention?lang=nl")
        self.assertEqual(r.status, 200)
        listed = report_ids(r.body)
        self.assertEqual(listed, [soon])
        last = add_months(report_row(self.db, soon)["closed_day"], 12)
        self.assertIn(self.nl["desk.retain.until"].replace(
            "{d}", day_text(last)), h.page_text(r.body))
        self.assertIn('lang="nl"', r.body)
        self.assertIn("<h1>%s</h1>" % self.nl["desk.retention.title"],
                      r.body)
        # Extended, it leaves the list.
        self.desk.get("/desk/r/%s" % soon)
        self.assertEqual(self.desk.post(
            "/desk/r/%s/retain" % soon, {"reason": "investigation"}).status,
            303)
        r = self.desk.get("/desk/retention?lang=en")
        self.assertEqual(report_ids(r.body), [])
        self.assertIn(h.load_messages("en")["desk.retention.none"],
                      h.page_text(r.body))
        # Only the desk sees it.
        self.assertNotEqual(h.get(self.port, "/desk/retention").status, 200)

    def test_serve_destroys_expired_reports_at_start_up(self):
        rid = self.file("Bij het starten weg.", vorm="pesten")
        close_report(self, self.desk, rid)
        backdate(self.db, rid, 400)
        self.assertEqual(self.server.stop(), 0)
        self.server = Server(self.db, self.tmp).start()
        self.port = self.server.port
        deadline = time.time() + 10
        while (report_row(self.db, rid)["sealed_key"] is not None and
               time.time() < deadline):
            time.sleep(0.1)
        row = report_row(self.db, rid)
        self.assertIsNone(row["sealed_key"])
        self.assertEqual(row["expired_day"], today())
        self.assertEqual(row["status"], 3)


class TestRetentionCli(unittest.TestCase):

    def setUp(self):
        self.tmp = h.mkdtemp()
        self.db = h.init_db(self.tmp)

    def tearDown(self):
        h.rmtree(self.tmp)

    def test_report_expire_help_and_exit_codes(self):
        p = h.run("report-expire", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--dry-run", p.stdout)
        self.assertIn("--db", p.stdout)
        self.assertEqual(h.run("report-expire").returncode, 2)
        self.assertEqual(h.run("report-expire", "--db", self.db,
                               "--bogus").returncode, 2)
        p = h.run("report-expire", "--db",
                  os.path.join(self.tmp, "none.db"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("none.db", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "none.db")))
        p = h.run("report-expire", "--db", self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0 reports checked, 0 destroyed", p.stdout)
        self.assertIn("report-expire", h.run("--help").stdout)

    def test_wave_delete_help_and_exit_codes(self):
        p = h.run("wave", "delete", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--wave", p.stdout)
        self.assertIn("delete", h.run("wave", "--help").stdout)
        self.assertEqual(h.run("wave", "delete", "--db",
                               self.db).returncode, 2)
        self.assertEqual(h.run("wave", "delete", "--db", self.db,
                               "--wave", "abc").returncode, 2)
        p = h.run("wave", "delete", "--db", self.db, "--wave", "7")
        self.assertEqual(p.returncode, 1)
        self.assertIn("no wave 7", p.stderr)


class TestWaveDelete(h.ServerTestCase):

    def setUp(self):
        self.key = KEY.key

    def test_wave_delete_after_release_only(self):
        tmp = self.tmpdir
        def_path = os.path.join(tmp, "def.json")
        with open(def_path, "w") as f:
            json.dump(tre.DEFINITION, f)
        os.makedirs(os.path.join(tmp, "reference"), exist_ok=True)
        with open(os.path.join(tmp, "reference", "org.json"), "w") as f:
            json.dump(tre.REFERENCE, f)
        plan = os.path.join(tmp, "plan.json")
        with open(plan, "w") as f:
            json.dump(tre.PLAN, f)
        wave = h.make_wave(self.db, self.key, k=tre.K, definition=def_path)
        other = h.make_wave(self.db, self.key, k=tre.K,
                            definition=def_path)
        rng = random.Random(7)
        tokens = h.issue_tokens(self.db, wave, 14, unit="A",
                                base_url="http://127.0.0.1:%d" % self.port)
        for tok in tokens[:12]:
            self.assertEqual(h.submit(self.port, tok,
                                      tre.answer(rng, False)).status, 200)
        other_tokens = h.issue_tokens(self.db, other, 10, unit="B",
                                      base_url="http://127.0.0.1:%d"
                                      % self.port)
        self.assertEqual(h.submit(self.port, other_tokens[0],
                                  tre.answer(rng, False)).status, 200)
        h.run_ok("invitations", "issue", "--db", self.db, "--wave",
                 str(wave), "--count", "15", "--unit", "C", "--base-url",
                 "http://127.0.0.1:%d" % self.port, "--csv",
                 os.path.join(tmp, "inv.csv"))
        invites = [bytes(r[0]) for r in h.db_query(
            self.db, "SELECT hash FROM invitations")]
        self.assertEqual(len(invites), 15)
        blobs = [bytes(r[0]) for r in h.db_query(
            self.db, "SELECT sealed FROM answers WHERE wave_id = ?",
            (int(wave),))]
        hashes = [bytes(r[0]) for r in h.db_query(
            self.db, "SELECT t.hash FROM tokens t JOIN batches b ON "
            "b.id = t.batch_id WHERE b.wave_id = ?", (int(wave),))]
        self.assertEqual(len(blobs), 12)
        self.assertEqual(len(hashes), 14)

        # No release yet: refused, nothing changed.
        p = h.run("wave", "delete", "--db", self.db, "--wave", str(wave))
        self.assertEqual(p.returncode, 1)
        self.assertIn("no release", p.stderr)
        self.assertEqual(h.answers_count(self.db, wave), 12)
        self.assertEqual(h.tokens_count(self.db, wave), 14)

        out = os.path.join(tmp, "release")
        p = h.run("release", "--db", self.db, "--wave", str(wave), "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out, "--plan", plan)
        self.assertEqual(p.returncode, 0, p.stderr)
        n_files = h.db_query(self.db, "SELECT count(*) FROM release_files "
                             "f JOIN releases r ON r.id = f.release_id "
                             "WHERE r.wave_id = ?", (int(wave),))[0][0]
        self.assertGreater(n_files, 0)

        # A coordinator's test link of the wave, which the delete ends.
        p = h.run("wave", "test-link", "--db", self.db, "--wave", str(wave))
        self.assertEqual(p.returncode, 0, p.stderr)
        test_link = p.stdout.strip()
        self.assertEqual(h.get(self.port, test_link).status, 200)

        p = h.run("wave", "delete", "--db", self.db, "--wave", str(wave))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("removed 12 answer rows, 14 tokens, 0 saved answers, "
                      "15 invitations in 1 invitation batches", p.stdout)
        self.assertEqual(h.db_query(
            self.db, "SELECT count(*) FROM invitations")[0][0], 0)
        self.assertEqual(h.db_query(
            self.db, "SELECT count(*) FROM invitation_batches")[0][0], 0)
        self.assertEqual(h.answers_count(self.db, wave), 0)
        self.assertEqual(h.tokens_count(self.db, wave), 0)
        # The other wave is untouched.
        self.assertEqual(h.answers_count(self.db, other), 1)
        self.assertEqual(h.tokens_count(self.db, other), 10)
        # No answer or token hash is left in the files; the WAL is empty.
        data = db_bytes(self.db)
        for b in blobs + hashes + invites:
            self.assertNotIn(b, data)
        wal = self.db + "-wal"
        self.assertTrue(not os.path.exists(wal) or
                        os.path.getsize(wal) == 0)
        # An unused link of the wave no longer opens a survey, nor does
        # its test link.
        self.assertNotEqual(h.get(self.port, "/s/" + tokens[13]).status,
                            200)
        self.assertEqual(h.get(self.port, test_link).status, 404)
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM "
                                    "test_links")[0][0], 0)
        # The wave and its release stay, and the release still reads.
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM release_"
                                    "files f JOIN releases r ON r.id = "
                                    "f.release_id WHERE r.wave_id = ?",
                                    (int(wave),))[0][0], n_files)
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM waves "
                                    "WHERE id = ?", (int(wave),))[0][0], 1)
        setup_desk(tmp, self.db)
        rita = Client(self.port)
        self.assertEqual(rita.login("rita", RESEARCH_PW).status, 303)
        r = rita.get("/research")
        self.assertEqual(r.status, 200)
        self.assertIn("Release e2e", h.page_text(r.body))
        # Deleting again finds nothing more.
        p = h.run("wave", "delete", "--db", self.db, "--wave", str(wave))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("removed 0 answer rows, 0 tokens", p.stdout)
        shutil.rmtree(out)


if __name__ == "__main__":
    unittest.main()
