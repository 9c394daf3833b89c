"""After the whole scenario of a reporter and the desk (desk_util.
run_scenario), nothing identifying is left where a stolen disk or a log
would show it: the database file and its WAL hold no report text, no
reply text, no receipt, no password or session cookie and no client
address, and neither does the server's stdout or stderr.

The file and the WAL are read twice: while the server runs (the WAL then
holds every recent page) and after it stopped.
"""

import os
import unittest

import harness
from desk_util import (DESK_ADDR, DESK_PW, REPORTER_ADDR, REPORTER_ADDRS,
                       Server, run_scenario, setup_desk)


class TestReportPrivacy(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        self.server = Server(self.db, self.tmp,
                             extra=("--signals-k", "5")).start()

    def tearDown(self):
        self.server.stop()
        harness.rmtree(self.tmp)

    def secrets(self, result):
        """Every string that must not be found, as (what, bytes)."""
        out = [("marker " + k, v.encode())
               for k, v in result["markers"].items()]
        for c in result["codes"]:
            out.append(("receipt", c.encode()))
            out.append(("receipt without hyphens",
                        c.replace("-", "").encode()))
        out.append(("desk password", DESK_PW.encode()))
        out.append(("session cookie", result["cookie"].encode()))
        for a in [REPORTER_ADDR[0], DESK_ADDR[0]] + REPORTER_ADDRS:
            out.append(("address " + a, a.encode()))
        # Raw, as in a sockaddr (only two: four given bytes can turn up
        # by chance in ciphertext, about once in 2^32 positions).
        for a in (REPORTER_ADDRS[1], DESK_ADDR[0]):
            out.append(("address bytes " + a,
                        bytes(int(x) for x in a.split("."))))
        return out

    def assertClean(self, secrets, when):
        for path in (self.db, self.db + "-wal"):
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            for what, s in secrets:
                self.assertNotIn(s, data, "%s in %s %s" % (
                    what, os.path.basename(path), when))

    def test_nothing_identifying_after_the_scenario(self):
        result = run_scenario(self, self.server.port, self.db)
        secrets = self.secrets(result)
        self.assertTrue(os.path.exists(self.db + "-wal"))
        self.assertClean(secrets, "while serving")
        self.assertEqual(self.server.stop(), 0)
        self.assertClean(secrets, "after stopping")
        out = (self.server.stdout() + self.server.stderr()).encode()
        for what, s in secrets:
            self.assertNotIn(s, out, "%s in the server's output" % what)
        # The scenario did write: the texts are there, sealed.
        n = harness.db_query(self.db, "SELECT count(*) FROM messages")[0][0]
        self.assertGreater(n, 8)


if __name__ == "__main__":
    unittest.main()
