"""Unlinkable by construction: what copies of the database files show.

The attacker of these tests has every file of the database directory
(.db, -wal, -shm and the pepper), copied as often as they like, but not
the links themselves:

- copies after issuing and after each of nine answers (three batches, one
  answer at a time) show no row, and no page of the issued tokens, that a
  submission changed (only the wave's answer counter moves); new rows are
  only answers and spends, none with a time finer than the day; the -wal
  is empty once the checkpointer has run, and every file's times say the
  start of the day; the same for report links and reports;
- under a steady stream of answers the -wal is started over again and
  again (its generation changes at least every 1.5 s);
- one copy (gehoord backup, or the file after gehoord relayout) lays the
  answers out in the order of their random ids, so no page number or cell
  position follows the order of submission (Spearman |rho| < 0.3);
- a database made by the previous release (schema 2) is upgraded in place
  by serve, keeping every issued link and stored answer.
"""

import json
import os
import shutil
import sqlite3
import threading
import time
import unittest

from scipy.stats import spearmanr

import desk_util as du
import harness as h
import sqlite_pages as sp

KEY = h.ModuleKey()
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(h.REPO_ROOT, "tests", "data", "schema2")
DAY = 86400


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def wait_quiet(db, timeout=20.0):
    """Waits until the checkpointer has emptied the -wal and set the
    files' times to the start of the day (every 500 ms)."""
    deadline = time.time() + timeout
    while True:
        wal = db + "-wal"
        ok = not os.path.exists(wal) or os.path.getsize(wal) == 0
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f) and int(os.stat(f).st_mtime) % DAY:
                ok = False
        if ok:
            return
        if time.time() > deadline:
            raise AssertionError("the -wal was not emptied, or a file time "
                                 "not set to the day, within %.0f s"
                                 % timeout)
        time.sleep(0.1)


class Snapshot:
    """One copy of the database directory, as files and as rows."""

    def __init__(self, db, into):
        os.makedirs(into)
        self.files = {}
        for suffix in ("", "-wal", "-shm"):
            src = db + suffix
            if os.path.exists(src):
                with open(src, "rb") as f:
                    self.files[suffix] = f.read()
                self.files[suffix + ":mtime"] = os.stat(src).st_mtime
                with open(os.path.join(into, "g.db" + suffix), "wb") as f:
                    f.write(self.files[suffix])
        self.path = os.path.join(into, "g.db")
        con = sqlite3.connect(self.path)
        try:
            self.tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table'")]
            self.rows = {t: set(con.execute("SELECT * FROM %s" % t))
                         for t in self.tables}
            self.cols = {t: [r[1] for r in con.execute(
                "PRAGMA table_info(%s)" % t)] for t in self.tables}
            self.roots = dict(con.execute(
                "SELECT name, rootpage FROM sqlite_schema "
                "WHERE rootpage > 0"))
            # Fold the WAL (if any) into the copy to read its pages.
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        with open(self.path, "rb") as f:
            self.data = f.read()

    def pages(self, name):
        """{page number: bytes} of the b-tree called name."""
        return {p: sp._page(self.data, p)
                for p in sp.btree_pages(self.data, self.roots[name])}


class CopiesOverTimeTest(unittest.TestCase):
    """Snapshots after issuing and after each answer or report."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = h.mkdtemp()
        cls.db = h.init_db(cls.tmp)
        du.setup_desk(cls.tmp, cls.db)
        cls.srv = h.Server(cls.db, cls.tmp)
        cls.srv.start()
        cls.port = cls.srv.port
        cls.n_snap = 0

    @classmethod
    def tearDownClass(cls):
        rc = cls.srv.stop()
        h.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited with %r" % rc)

    def snap(self):
        wait_quiet(self.db)
        CopiesOverTimeTest.n_snap += 1
        return Snapshot(self.db, os.path.join(self.tmp, "snap-%d"
                                              % self.n_snap))

    def assertUnchanged(self, before, after, moving, grown):
        """Every row of before is in after (waves: but for n_answers);
        rows were added only to the tables in grown; their integers are
        day numbers or small, never times."""
        for t in before.tables:
            if t == "waves":
                i = before.cols[t].index("n_answers")
                strip = lambda rows: {r[:i] + r[i + 1:] for r in rows}
                self.assertEqual(strip(before.rows[t]), strip(after.rows[t]),
                                 "waves changed beyond their counter")
                continue
            self.assertLessEqual(before.rows[t], after.rows[t],
                                 "a row of %s changed or went" % t)
            new = after.rows[t] - before.rows[t]
            if t not in grown:
                self.assertEqual(new, set(), "rows added to %s" % t)
            for row in new:
                for v in row:
                    if isinstance(v, int):
                        self.assertLess(abs(v), 10 ** 6, "%s holds %r: a "
                                        "time finer than a day?" % (t, row))
        for name in moving:
            self.assertEqual(before.pages(name), after.pages(name),
                             "a page of %s changed" % name)
        self.assertEqual(len(after.files.get("-wal", b"")), 0,
                         "the -wal holds frames")
        for suffix in ("", "-wal", "-shm"):
            if suffix in after.files:
                self.assertEqual(after.files[suffix + ":mtime"] % DAY, 0,
                                 "the time of g.db%s is not the day's start"
                                 % suffix)

    def test_answers_leave_issued_rows_and_pages_alone(self):
        wave = h.make_wave(self.db, KEY.key, k=5)
        batches = [h.issue_tokens(self.db, wave, 5, unit="Unit %d" % i)
                   for i in range(3)]
        issued = self.snap()
        prev = issued
        for i in range(9):
            tok = batches[i % 3][i // 3]
            r = h.submit(self.port, tok, h.VALID_ANSWER)
            self.assertEqual(r.status, 200, r.body)
            now = self.snap()
            # Against the copy after issuing and against the one before.
            for before in (issued, prev):
                self.assertUnchanged(before, now,
                                     ("tokens", "batches", "tokens_batch"),
                                     ("answers", "spends"))
            self.assertEqual(len(now.rows["spends"]) -
                             len(prev.rows["spends"]), 1)
            prev = now
        self.assertEqual(len({r[1] for r in prev.rows["answers"]}), 9)
        # And no spend hash is a token's lookup hash.
        lookups = {r[0] for r in prev.rows["tokens"]}
        self.assertFalse({r[0] for r in prev.rows["spends"]} & lookups)

    def test_report_links_leave_issued_rows_and_pages_alone(self):
        out = os.path.join(self.tmp, "rl.csv")
        h.run_ok("report-links", "issue", "--db", self.db, "--count", "5",
                 "--base-url", "http://127.0.0.1:%d" % self.port,
                 "--out", out)
        with open(out) as f:
            links = [ln.strip().rsplit("/melden/l/", 1)[1]
                     for ln in f.read().splitlines()[1:]]
        issued = self.snap()
        prev = issued
        for i in range(3):
            r = h.post(self.port, "/melden/l/" + links[i],
                       {"wat_gebeurd": "Melding %d via een link." % i,
                        "toestemming": "ja_lezen_reageren"})
            self.assertEqual(r.status, 200, r.body)
            now = self.snap()
            for before in (issued, prev):
                self.assertUnchanged(before, now,
                                     ("report_links", "report_link_batches"),
                                     ("reports", "messages", "spends"))
            prev = now
            self.assertEqual(h.token_state(self.db, links[i],
                                           h.SPEND_REPORT_LINK), "spent")
        self.assertEqual(h.token_state(self.db, links[3],
                                       h.SPEND_REPORT_LINK), "unspent")


def positions(data, root, ids):
    """Byte offsets in the file of the answers of ids, in that order, and
    whether the leaf pages hold ascending ranges of ids in file order."""
    pos = sp.row_positions(data, root, 1)
    ps = sp.page_size(data)
    missing = [i for i in ids if i not in pos]
    if missing:
        raise AssertionError("%d answers not found in the file"
                             % len(missing))
    leaves = sorted((pos[i][0], i) for i in ids if pos[i][2])
    by_id = [i for _, i in leaves] == sorted(i for _, i in leaves)
    return [(pos[i][0] - 1) * ps + pos[i][1] for i in ids], by_id


class OneCopyOrderTest(h.ServerTestCase):
    """100 answers one at a time; one copy shows nothing of their order."""

    N = 100

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def answer_ids_in_order(self, wave, tokens):
        ids, seen = [], set()
        for tok in tokens:
            r = h.submit(self.port, tok, h.VALID_ANSWER)
            self.assertEqual(r.status, 200, r.body)
            now = {bytes(r[0]) for r in h.db_query(
                self.db, "SELECT DISTINCT id FROM answers WHERE wave_id = ?",
                (wave,))}
            new = now - seen
            self.assertEqual(len(new), 1)
            ids.append(new.pop())
            seen = now
        return ids

    def rho_and_key_order(self, path, ids):
        with open(path, "rb") as f:
            data = f.read()
        root = sqlite3.connect(path).execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'answers'"
        ).fetchone()[0]
        off, by_id = positions(data, root, ids)
        return spearmanr(range(len(ids)), off).correlation, by_id

    def test_backup_and_relayout_order_answers_by_random_id(self):
        wave, tokens = self.new_wave(n_tokens=self.N, k=5)
        ids = self.answer_ids_in_order(wave, tokens)
        wait_quiet(self.db)
        # The file as it lies, before any rewrite: for the record only.
        live = os.path.join(self.tmpdir, "live.db")
        shutil.copy(self.db, live)
        rho_live, _ = self.rho_and_key_order(live, ids)

        backup = os.path.join(self.tmpdir, "backup.db")
        h.run_ok("backup", "--db", self.db, "--out", backup)
        self.assertFalse(os.path.exists(backup + "-wal"))
        rho_b, by_id_b = self.rho_and_key_order(backup, ids)

        h.run_ok("relayout", "--db", self.db)
        wait_quiet(self.db)
        after = os.path.join(self.tmpdir, "relayout.db")
        shutil.copy(self.db, after)
        rho_r, by_id_r = self.rho_and_key_order(after, ids)
        print("\n  [order] Spearman rho of file position and submission "
              "order over %d answers: live %.3f, backup %.3f, after "
              "relayout %.3f" % (self.N, rho_live, rho_b, rho_r))
        self.assertTrue(by_id_b, "the backup is not in random-id order")
        self.assertTrue(by_id_r, "the relayout is not in random-id order")
        self.assertLess(abs(rho_b), 0.3)
        self.assertLess(abs(rho_r), 0.3)
        # The server still answers after the rewrite under its feet.
        wave2, tokens2 = self.new_wave(n_tokens=5, k=5)
        self.assertEqual(h.submit(self.port, tokens2[0],
                                  h.VALID_ANSWER).status, 200)
        self.assertStored(wave, answers=self.N, spent=self.N)


def wal_generation(path):
    """The -wal file's checkpoint sequence and salts, which SQLite draws
    anew each time it starts the WAL over; None if it is empty."""
    try:
        with open(path, "rb") as f:
            head = f.read(32)
    except FileNotFoundError:
        return None
    return head[12:24] if len(head) == 32 else None


class WalStartsOverTest(h.ServerTestCase):
    """Under a steady stream of answers the -wal is started over (and
    cut to the frames after that) again and again, so that a copy of it
    holds only the last moments' commits; idle, it is emptied."""

    SECONDS = 3.0
    CLIENTS = 8
    MAX_GAP_S = 1.5	# the server's bound is about 0.5 s

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_wal_is_started_over_under_load(self):
        wave, tokens = self.new_wave(n_tokens=6000, k=5)
        wal = self.db + "-wal"
        stop = time.time() + self.SECONDS
        lock = threading.Lock()
        failures = []

        def client():
            while time.time() < stop:
                with lock:
                    if not tokens:
                        return
                    tok = tokens.pop()
                r = h.submit(self.port, tok, h.VALID_ANSWER)
                if r.status != 200:
                    failures.append(r.status)

        threads = [threading.Thread(target=client)
                   for _ in range(self.CLIENTS)]
        for t in threads:
            t.start()
        changes, last = [time.time()], wal_generation(wal)
        while time.time() < stop:
            g = wal_generation(wal)
            if g != last:
                changes.append(time.time())
                last = g
            time.sleep(0.02)
        changes.append(time.time())
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertGreater(6000 - len(tokens), 100, "too few answers sent")
        gaps = [b - a for a, b in zip(changes, changes[1:])]
        self.assertLess(max(gaps), self.MAX_GAP_S,
                        "the -wal kept one generation for %.2f s" % max(gaps))
        wait_quiet(self.db)


class UpgradeTest(unittest.TestCase):
    """The database of the previous release (tests/data/schema2)."""

    def setUp(self):
        self.tmp = h.mkdtemp()
        for f in os.listdir(FIXTURE):
            shutil.copy(os.path.join(FIXTURE, f), self.tmp)
        # git keeps no modes: secrets and the database are 0600 again.
        for f in os.listdir(self.tmp):
            os.chmod(os.path.join(self.tmp, f), 0o600)
        self.db = os.path.join(self.tmp, "gehoord.db")
        with open(os.path.join(FIXTURE, "fixture.json")) as f:
            self.fx = json.load(f)

    def tearDown(self):
        h.rmtree(self.tmp)

    def test_serve_upgrades_in_place_keeping_links_and_answers(self):
        q = lambda sql: h.db_query(self.db, sql)
        self.assertEqual(q("PRAGMA user_version")[0][0], 2)
        before = sorted(bytes(r[0]) for r in q("SELECT sealed FROM answers"))
        srv = h.Server(self.db, self.tmp)
        srv.start()
        try:
            self.assertEqual(q("PRAGMA user_version")[0][0], 13)
            self.assertEqual(q("PRAGMA page_size")[0][0], 32768)
            after = sorted(bytes(r[0]) for r in q(
                "SELECT sealed FROM answers ORDER BY id, part"))
            self.assertEqual(before, after, "an answer changed")
            self.assertEqual(q("SELECT n_answers FROM waves")[0][0], 5)
            # The days of earlier spends are gone; the flag stays.
            self.assertEqual(q("SELECT DISTINCT spent_before_v3 FROM tokens "
                               "WHERE spent_before_v3 IS NOT NULL"), [(1,)])
            self.assertEqual(q("SELECT count(*) FROM sqlite_schema WHERE "
                               "name = 'answers_wave'")[0][0], 0)
            for tok in self.fx["spent"]:
                self.assertEqual(h.get(srv.port, "/s/" + tok).status, 410)
            for tok in self.fx["unspent"][:2]:
                self.assertEqual(h.get(srv.port, "/s/" + tok).status, 200)
                self.assertEqual(h.submit(srv.port, tok,
                                          h.VALID_ANSWER).status, 200)
                self.assertEqual(h.submit(srv.port, tok,
                                          h.VALID_ANSWER).status, 410)
            link = self.fx["report_links_spent"][0]
            self.assertEqual(h.get(srv.port, "/melden/l/" + link).status,
                             410)
            link = self.fx["report_links_unspent"][0]
            self.assertEqual(h.get(srv.port, "/melden/l/" + link).status,
                             200)
        finally:
            self.assertEqual(srv.stop(), 0)
        # Every answer, old and new, opens and counts.
        out = os.path.join(self.tmp, "tally")
        p = h.run("tally", "--db", self.db, "--wave", str(self.fx["wave"]),
                  "--key", os.path.join(self.tmp, "wave.key"),
                  "--passphrase-file", os.path.join(self.tmp,
                                                    "wave.key.pass"),
                  "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "counts.json")) as f:
            self.assertEqual(json.load(f)["answers"], 7)


if __name__ == "__main__":
    unittest.main()
