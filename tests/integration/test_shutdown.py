"""Stopping the server: a 200 means the answer is committed, even if the
server is stopped (SIGTERM) or killed (SIGKILL) right after."""

import concurrent.futures
import http.client
import os
import signal
import threading
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class ShutdownTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = h.mkdtemp()
        self.db = h.init_db(self.tmpdir)
        self.wave = h.make_wave(self.db, KEY.key)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            if s.proc is not None:
                s.proc.kill()
                s.proc.wait()
        h.rmtree(self.tmpdir)

    def start(self):
        s = h.Server(self.db, self.tmpdir, threads=4).start()
        self.servers.append(s)
        return s

    CUT = {"ConnectionRefusedError", "ConnectionResetError",
           "RemoteDisconnected", "BrokenPipeError"}

    def race_sigterm(self, n_tokens=150, after_ok=20):
        """Submits n_tokens answers with 50 threads and sends SIGTERM once
        after_ok of them got 200. Returns (tokens, [(token, status or
        exception name)])."""
        tokens = h.issue_tokens(self.db, self.wave, n_tokens)
        server = self.start()
        acked = threading.Event()
        n_ok = [0]
        lock = threading.Lock()

        def one(tok):
            try:
                r = h.submit(server.port, tok, h.VALID_ANSWER, timeout=120)
            except (OSError, http.client.HTTPException) as e:
                return tok, type(e).__name__
            # The 303 of a stored answer is its acknowledgement; the stop
            # may cut off only the GET of the thank-you page it points to.
            st = r.status
            if st == 303 and r.follow_error is not None:
                st = 200
            if st == 200:
                with lock:
                    n_ok[0] += 1
                    if n_ok[0] >= after_ok:
                        acked.set()
            return tok, st

        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as ex:
            futures = [ex.submit(one, t) for t in tokens]
            acked.wait(timeout=120)
            rc = server.stop()
            results = [f.result() for f in futures]
        self.assertEqual(rc, 0, server.stderr())
        return tokens, results

    def test_sigterm_during_submissions_loses_no_acknowledged_answer(self):
        tokens, results = self.race_sigterm()
        ok = [t for t, st in results if st == 200]
        self.assertGreaterEqual(len(ok), 20)
        rows = h.answers_count(self.db, self.wave)
        self.assertEqual(h.spent_count(self.db, self.wave), rows)
        self.assertGreaterEqual(rows, len(ok))
        for t in ok:
            self.assertEqual(h.token_state(self.db, t), "spent")
        # The others were cut off or told to try again; never a 4xx that
        # would tell the respondent the link is bad.
        others = {st for t, st in results if st != 200}
        self.assertTrue(others <= self.CUT | {500, 503}, others)

        # After a restart, every token not yet spent still works.
        server = self.start()
        unspent = [t for t in tokens if h.token_state(self.db, t) ==
                   "unspent"]
        self.assertEqual(len(unspent), len(tokens) - rows)
        for t in unspent[:5]:
            self.assertEqual(h.submit(server.port, t,
                                      h.VALID_ANSWER).status, 200)
        self.assertEqual(h.answers_count(self.db, self.wave),
                         rows + min(5, len(unspent)))
        self.assertEqual(server.stop(), 0, server.stderr())

    def test_submission_refused_while_stopping_is_503_busy_not_500(self):
        # The writer refuses new jobs once stopping (GH_ERR_BUSY): the
        # respondent should get the "busy, nothing stored, try again" page
        # (503), not "something went wrong" (500).
        tokens, results = self.race_sigterm()
        statuses = [st for t, st in results if isinstance(st, int)]
        self.assertNotIn(500, statuses)
        self.assertTrue(set(statuses) <= {200, 503}, set(statuses))

    def test_answer_acknowledged_survives_sigkill(self):
        tokens = h.issue_tokens(self.db, self.wave, 10)
        server = self.start()
        r = h.submit(server.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200)
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
        server.proc = None
        self.assertEqual(h.answers_count(self.db, self.wave), 1)
        self.assertEqual(h.token_state(self.db, tokens[0]), "spent")
        # The database opens again after the crash.
        server = self.start()
        self.assertEqual(h.submit(server.port, tokens[0],
                                  h.VALID_ANSWER).status, 410)
        self.assertEqual(h.submit(server.port, tokens[1],
                                  h.VALID_ANSWER).status, 200)
        self.assertEqual(server.stop(), 0, server.stderr())
        self.assertEqual(h.answers_count(self.db, self.wave), 2)

    def test_sigint_stops_cleanly(self):
        server = self.start()
        server.proc.send_signal(signal.SIGINT)
        self.assertEqual(server.proc.wait(timeout=h.STOP_TIMEOUT), 0,
                         server.stderr())
        server.proc = None

    def test_keep_alive_connection_serves_several_requests(self):
        tokens = h.issue_tokens(self.db, self.wave, 10)
        server = self.start()
        c = http.client.HTTPConnection("127.0.0.1", server.port,
                                       timeout=h.HTTP_TIMEOUT)
        try:
            for tok in tokens[:3]:
                c.request("GET", "/s/" + tok)
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
                c.request("POST", "/s/" + tok,
                          body=h.encode_fields({"q_soort_werk": "beleid"}),
                          headers={"Content-Type":
                                   "application/x-www-form-urlencoded"})
                r = c.getresponse()
                r.read()
                # POST, redirect, GET: the thank-you page on the same
                # connection.
                self.assertEqual(r.status, 303)
                c.request("GET", r.getheader("Location"))
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 200)
        finally:
            c.close()
        self.assertEqual(h.answers_count(self.db, self.wave), 3)
        self.assertEqual(server.stop(), 0, server.stderr())


if __name__ == "__main__":
    unittest.main()
