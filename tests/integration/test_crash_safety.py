"""Crash safety: SIGKILL in the middle of concurrent submissions, again and
again, then restart.

16 client threads post valid answers with fresh tokens; after a random
50-400 ms the server gets SIGKILL; it is restarted and the load resumes.
After every kill (on the files as the crash left them), after every
restart, on a copy of the database and its WAL without the shared-memory
index (so SQLite has to recover the WAL from scratch), and at the end:

- PRAGMA integrity_check is ok;
- every token acknowledged with 200 is spent (the WAL recovery lost no
  acknowledged answer);
- every spent token was sent by a client (nothing spent out of thin air);
- answers rows == spent tokens: answers cannot be linked to tokens, so
  the counts are what shows that no answer is stored without its token
  spent and no token spent without its answer.

A submission cut off by the kill has an unknown outcome: its token may be
spent (the commit made it, the 200 did not) or not. At the end a few of
each kind are tried again: a spent one gets 410, an unspent one 200.

GEHOORD_CRASH_KILLS sets the number of kills (default 20);
GEHOORD_CRASH_SEED the random seed (printed, to replay a failure).
"""

import http.client
import os
import random
import shutil
import signal
import sqlite3
import sys
import threading
import time
import unittest

import harness as h

KEY = h.ModuleKey()

KILLS = int(os.environ.get("GEHOORD_CRASH_KILLS", "20"))
CLIENTS = 16
DELAY_S = (0.05, 0.40)          # from the start of the load to the kill
BATCH = 1000                    # tokens issued at a time


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def log(msg):
    print("  [crash] " + msg, file=sys.stderr, flush=True)


class TokenPool:
    """Issued tokens, the keyed hash of each (to read spent states in one
    query), and the ones not handed out yet."""

    def __init__(self, db, wave):
        self.db = db
        self.wave = wave
        with open(db + ".pepper", "rb") as f:
            self.pepper = f.read()
        self.by_hash = {}
        self.fresh = []
        self.lock = threading.Lock()

    def issue(self, n):
        new = h.issue_tokens(self.db, self.wave, n)
        for t in new:
            # Spends are recorded under the token's spend hash.
            self.by_hash[h.spend_hash(self.db, t)] = t
        with self.lock:
            self.fresh += new

    def take(self):
        with self.lock:
            return self.fresh.pop() if self.fresh else None

    def give_back(self, tok):
        with self.lock:
            self.fresh.append(tok)

    def left(self):
        with self.lock:
            return len(self.fresh)


def read_state(db, pool):
    """(integrity_check, spent tokens, answers rows, spent rows) of the
    database file db (read-only)."""
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)
    try:
        integrity = "\n".join(r[0] for r in
                              c.execute("PRAGMA integrity_check"))
        spent = set()
        unknown = 0
        for (hsh,) in c.execute("SELECT hash FROM spends"):
            t = pool.by_hash.get(bytes(hsh))
            if t is None:
                unknown += 1
            else:
                spent.add(t)
        rows = c.execute("SELECT count(DISTINCT id) FROM answers").fetchone()[0]
        spent_rows = c.execute("SELECT count(*) FROM spends").fetchone()[0]
    finally:
        c.close()
    return integrity, spent, rows, spent_rows, unknown


class Load:
    """CLIENTS threads submitting valid answers with fresh tokens until
    stopped. Records what was sent and what was acknowledged."""

    CUT = (OSError, http.client.HTTPException)

    def __init__(self, port, pool, sent, acked, lock):
        self.port = port
        self.pool = pool
        self.sent = sent            # shared across rounds
        self.acked = acked
        self.lock = lock
        self.stop = threading.Event()
        self.other = []             # (token, status) that is not 200
        self.cut = {}               # exception name -> count
        self.n_ok = 0
        self.threads = [threading.Thread(target=self.run, daemon=True)
                        for _ in range(CLIENTS)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=h.HTTP_TIMEOUT)
            if t.is_alive():
                raise AssertionError("a client thread hangs")

    def run(self):
        while not self.stop.is_set():
            tok = self.pool.take()
            if tok is None:
                return
            with self.lock:
                self.sent.add(tok)
            try:
                r = h.submit(self.port, tok, h.VALID_ANSWER, timeout=30)
            except ConnectionRefusedError:
                # Never reached a server (it is down): the token goes
                # back, unsent; wait for the stop.
                with self.lock:
                    self.sent.discard(tok)
                    self.cut["refused"] = self.cut.get("refused", 0) + 1
                self.pool.give_back(tok)
                self.stop.wait(0.01)
                continue
            except self.CUT as e:
                with self.lock:
                    name = type(e).__name__
                    self.cut[name] = self.cut.get(name, 0) + 1
                continue
            with self.lock:
                # A 303 whose GET the kill cut off was answered after
                # the answer was stored: it acknowledges as the 200 does.
                if r.status == 200 or (r.status == 303 and
                                       r.follow_error is not None):
                    self.acked.add(tok)
                    self.n_ok += 1
                else:
                    self.other.append((tok, r.status))


class CrashSafetyTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = h.mkdtemp()
        self.db = h.init_db(self.tmpdir)
        self.wave = h.make_wave(self.db, KEY.key)
        self.server = None

    def tearDown(self):
        if self.server is not None and self.server.proc is not None:
            self.server.proc.kill()
            self.server.proc.wait()
        h.rmtree(self.tmpdir)

    def check(self, db, pool, sent, acked, when):
        integrity, spent, rows, spent_rows, unknown = read_state(db, pool)
        self.assertEqual(integrity, "ok", when)
        self.assertEqual(unknown, 0, "%s: spent tokens that were never "
                         "issued here" % when)
        lost = acked - spent
        self.assertEqual(lost, set(), "%s: %d acknowledged answers lost"
                         % (when, len(lost)))
        self.assertEqual(spent - sent, set(),
                         "%s: spent tokens that no client sent" % when)
        self.assertEqual(rows, spent_rows,
                         "%s: %d answers rows but %d spent tokens"
                         % (when, rows, spent_rows))
        self.assertEqual(rows, len(spent), when)
        return spent

    def check_copy_without_shm(self, pool, sent, acked, when):
        """Copies the database and its WAL (not the -shm index) and checks
        the copy: SQLite must rebuild the index from the WAL alone."""
        d = os.path.join(self.tmpdir, "copy")
        h.rmtree(d)
        os.mkdir(d)
        copy = os.path.join(d, "gehoord.db")
        shutil.copyfile(self.db, copy)
        wal = 0
        if os.path.exists(self.db + "-wal"):
            shutil.copyfile(self.db + "-wal", copy + "-wal")
            wal = os.path.getsize(copy + "-wal")
        # A read-write open recovers the WAL into a new -shm.
        c = sqlite3.connect(copy)
        try:
            c.execute("SELECT count(*) FROM answers").fetchone()
        finally:
            c.close()
        self.check(copy, pool, sent, acked, when + " (copy without -shm)")
        h.rmtree(d)
        return wal

    def test_sigkill_under_load_loses_no_acknowledged_answer(self):
        seed = int(os.environ.get("GEHOORD_CRASH_SEED",
                                  str(random.randrange(1 << 30))))
        rnd = random.Random(seed)
        log("%d kills, seed %d (GEHOORD_CRASH_SEED=%d replays it)"
            % (KILLS, seed, seed))
        pool = TokenPool(self.db, self.wave)
        pool.issue(BATCH)
        sent, acked = set(), set()
        lock = threading.Lock()
        t_start = time.monotonic()
        most = 0
        wal_sizes = []
        rounds_with_wal = 0
        for k in range(KILLS):
            while pool.left() < max(2 * most, BATCH // 2):
                pool.issue(BATCH)
            self.server = h.Server(self.db, self.tmpdir, threads=4).start()
            self.check(self.db, pool, sent, acked,
                       "after restart %d" % k)
            load = Load(self.server.port, pool, sent, acked, lock)
            n_acked = len(acked)
            n_sent = len(sent)
            delay = rnd.uniform(*DELAY_S)
            load.start()
            time.sleep(delay)
            os.kill(self.server.proc.pid, signal.SIGKILL)
            self.server.proc.wait()
            self.server.proc = None
            load.join()
            self.assertEqual(load.other, [], "statuses other than 200 "
                             "for fresh tokens and valid answers")
            most = max(most, len(sent) - n_sent)
            spent = self.check(self.db, pool, sent, acked,
                               "after kill %d" % k)
            wal = self.check_copy_without_shm(pool, sent, acked,
                                              "after kill %d" % k)
            wal_sizes.append(wal)
            rounds_with_wal += wal > 0
            log("kill %2d after %3.0f ms: %3d sent, %3d acknowledged, %4d "
                "spent in all; cut off: %r; WAL %d KiB"
                % (k, delay * 1000, len(sent) - n_sent,
                   len(acked) - n_acked, len(spent), load.cut,
                   wal // 1024))

        # The end: restart, check, try again some submissions that were
        # cut off, stop cleanly, check again.
        self.server = h.Server(self.db, self.tmpdir, threads=4).start()
        spent = self.check(self.db, pool, sent, acked, "after the last "
                           "restart")
        unknown = sorted(sent - acked)
        cut_spent = [t for t in unknown if t in spent][:5]
        cut_unspent = [t for t in unknown if t not in spent][:5]
        for t in cut_spent:
            # Stored before the kill, but the 200 never arrived.
            self.assertEqual(h.submit(self.server.port, t,
                                      h.VALID_ANSWER).status, 410)
        for t in cut_unspent:
            self.assertEqual(h.submit(self.server.port, t,
                                      h.VALID_ANSWER).status, 200)
            acked.add(t)
        self.assertEqual(self.server.stop(), 0, self.server.stderr())
        self.server = None
        spent = self.check(self.db, pool, sent, acked, "after SIGTERM")
        self.assertEqual(h.answers_count(self.db, self.wave), len(spent))
        took = time.monotonic() - t_start
        log("%d kills in %.1f s: %d sent, %d acknowledged, %d spent (%d "
            "of them cut off before their 200); WAL non-empty at %d of "
            "%d kills (max %d KiB)"
            % (KILLS, took, len(sent), len(acked), len(spent),
               len(spent - acked), rounds_with_wal, KILLS,
               max(wal_sizes or [0]) // 1024))
        self.assertGreater(len(acked), KILLS, "the load hardly ran")


if __name__ == "__main__":
    unittest.main()
