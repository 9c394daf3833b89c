"""Privacy scan (no answer in the clear, no link between token and
answer, nothing identifying logged): after real traffic from
127.0.0.2, no free text, token or client address is anywhere the server
wrote: the database, its WAL and shared-memory files, stdout, stderr."""

import os
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


SECRET_TEXT = "Vertrouwelijk-ABC123-xyz"
CLIENT = "127.0.0.2"
USER_AGENT = "PrivacyProbe-UA-5e1f9c"


class PrivacyScanTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()
        try:
            cls._traffic()
            # The WAL as it is while the server runs (a clean stop may
            # checkpoint it into the database and remove it).
            cls.live = cls._read_files()
        finally:
            cls.server_rc = cls.server.stop()

    @classmethod
    def _traffic(cls):
        port = cls.port
        cls.wave = h.make_wave(cls.db, cls.key)
        cls.tokens = h.issue_tokens(cls.db, cls.wave, 12,
                                    base_url="http://127.0.0.1:%d" % port)
        kw = {"source_address": (CLIENT, 0),
              "headers": {"User-Agent": USER_AGENT}}
        cls.typed = []
        for i, tok in enumerate(cls.tokens[:10]):
            # Half of them typed by a person: lower case with hyphens.
            path_tok = tok if i % 2 == 0 else h.hyphenate(tok.lower(), 4)
            cls.typed.append(path_tok)
            r = h.get(port, "/s/" + path_tok, **kw)
            assert r.status == 200, r.status
            if i == 0:
                # An invalid try and a language switch with the text first.
                r = h.submit(port, path_tok, {"mezelf_zijn": "9",
                                              "toelichting": SECRET_TEXT},
                             **kw)
                assert r.status == 422, r.status
                r = h.submit(port, path_tok, {"toelichting": SECRET_TEXT,
                                              "switch_lang": "en"}, **kw)
                assert r.status == 200, r.status
            answer = dict(h.VALID_ANSWER,
                          toelichting="%s nr %d" % (SECRET_TEXT, i))
            r = h.submit(port, path_tok, answer, **kw)
            assert r.status == 200, (r.status, r.body)
            # A second try with a spent token.
            r = h.submit(port, path_tok, answer, **kw)
            assert r.status == 410, r.status
        # Error paths that might be tempted to log the request.
        tok = cls.tokens[10]
        assert h.submit(port, tok, {"soort_werk": "beleid",
                                    "toelichting": SECRET_TEXT * 3000},
                        **kw).status == 413
        raw = ("q_soort_werk=beleid&q_toelichting=%s%%ZZ" %
               SECRET_TEXT).encode()
        ctype = {"Content-Type": "application/x-www-form-urlencoded",
                 "User-Agent": USER_AGENT}
        assert h.request(port, "POST", "/s/" + tok, body=raw,
                         headers=ctype,
                         source_address=(CLIENT, 0)).status == 400
        raw = ("q_soort_werk=beleid&q_toelichting=%s%%FF" %
               SECRET_TEXT).encode()
        assert h.request(port, "POST", "/s/" + tok, body=raw,
                         headers=ctype,
                         source_address=(CLIENT, 0)).status == 422
        assert h.request(port, "POST", "/s/" + tok, body=raw,
                         headers={"Content-Type": "text/plain",
                                  "User-Agent": USER_AGENT},
                         source_address=(CLIENT, 0)).status == 400
        assert h.request(port, "PUT", "/s/" + tok, body=raw,
                         headers=ctype,
                         source_address=(CLIENT, 0)).status == 400
        # An unknown token and a garbage one.
        assert h.get(port, "/s/" + h.random_token(), **kw).status == 404
        assert h.get(port, "/s/%s-garbage" % CLIENT, **kw).status == 404
        # Two issued tokens are only looked at, never used.
        for tok in cls.tokens[10:]:
            assert h.get(port, "/s/" + tok, **kw).status == 200

    @classmethod
    def _read_files(cls):
        """Every file the server could have written: the database and its
        -wal/-shm files, and its stdout and stderr."""
        files = {}
        for suffix in ("", "-wal", "-shm", "-journal"):
            p = cls.db + suffix
            if os.path.exists(p):
                files[p] = None
        files[cls.server.stdout_path] = None
        files[cls.server.stderr_path] = None
        for p in files:
            with open(p, "rb") as f:
                files[p] = f.read()
        return files

    def written_files(self):
        return self._read_files()

    def needles(self):
        out = {
            "free text": SECRET_TEXT.encode(),
            "client address": CLIENT.encode(),
            "user agent": USER_AGENT.encode(),
        }
        for i, tok in enumerate(self.tokens):
            raw = h.decode_crockford(tok)
            self.assertEqual(len(raw), 16)
            self.assertEqual(h.encode_crockford(raw), tok)
            out["token %d upper" % i] = tok.encode()
            out["token %d lower" % i] = tok.lower().encode()
            out["token %d raw bytes" % i] = raw
        for i, typed in enumerate(self.typed):
            out["token %d as typed" % i] = typed.encode()
        return out

    def test_server_stopped_cleanly(self):
        self.assertEqual(self.server_rc, 0, self.server.stderr())

    def test_all_answers_stored(self):
        self.assertStored(self.wave, answers=10, spent=10)

    def scan(self, files, when):
        needles = self.needles()
        found = []
        for path, data in files.items():
            for what, needle in needles.items():
                if needle in data:
                    found.append("%s in %s (%s)"
                                 % (what, os.path.basename(path), when))
        return found

    def test_no_free_text_token_or_address_in_db_wal_shm_or_output(self):
        files = self.written_files()
        self.assertIn(self.db, files)
        self.assertGreater(len(files[self.db]), 0)
        self.assertEqual(self.scan(files, "after stop"), [])

    def test_no_free_text_token_or_address_while_running(self):
        self.assertIn(self.db + "-wal", self.live, "the database is in WAL "
                      "mode: a -wal file exists while the server runs")
        self.assertEqual(self.scan(self.live, "while running"), [])

    def test_scan_finds_tokens_where_they_belong(self):
        # Control: the same scan does see the tokens in the links CSV.
        csvs = {os.path.join(self.tmpdir, n): None
                for n in os.listdir(self.tmpdir) if n.endswith(".csv")}
        self.assertEqual(len(csvs), 1)
        for p in csvs:
            with open(p, "rb") as f:
                csvs[p] = f.read()
        found = self.scan(csvs, "links")
        self.assertEqual(len([f for f in found if "upper" in f]), 12)

    def test_free_text_also_absent_in_other_encodings(self):
        files = self.written_files()
        for path, data in files.items():
            for enc in ("utf-16-le", "utf-16-be"):
                self.assertNotIn(SECRET_TEXT.encode(enc), data, path)
            self.assertNotIn(SECRET_TEXT.lower().encode(), data, path)

    def test_answers_table_has_only_id_wave_and_sealed_blob(self):
        self.assertEqual(h.table_columns(self.db, "answers"),
                         ["wave_id", "id", "part", "sealed"])
        # WITHOUT ROWID: no hidden insertion counter either.
        with self.assertRaises(h.sqlite3.OperationalError):
            h.db_query(self.db, "SELECT rowid FROM answers")
        rows = h.db_query(self.db, "SELECT id, wave_id, part, sealed "
                          "FROM answers")
        self.assertEqual(len(rows), 10)
        for rid, wave, part, sealed in rows:
            self.assertIsInstance(rid, bytes)
            self.assertEqual(len(rid), 16)
            self.assertEqual(wave, self.wave)
            self.assertEqual(part, 0)	# the demo's answers fit one row
            self.assertNotIn(SECRET_TEXT.encode(), sealed)

    def test_tokens_are_stored_only_as_keyed_hashes(self):
        # spent_before_v3 is set only by the upgrade of an older
        # database; a spend today is a row of spends.
        self.assertEqual(h.table_columns(self.db, "tokens"),
                         ["hash", "batch_id", "spent_before_v3"])
        self.assertEqual(h.table_columns(self.db, "spends"), ["hash"])
        hashes = {r[0] for r in h.db_query(self.db,
                                           "SELECT hash FROM tokens")}
        self.assertEqual(len(hashes), 12)
        for tok in self.tokens:
            self.assertIn(h.token_hash(self.db, tok), hashes)
        self.assertEqual(h.db_query(
            self.db, "SELECT count(*) FROM tokens WHERE spent_before_v3 "
            "IS NOT NULL")[0][0], 0)
        # The spends are the spend hashes of the used tokens, and none
        # of them is a lookup hash.
        spends = {r[0] for r in h.db_query(self.db,
                                           "SELECT hash FROM spends")}
        self.assertEqual(len(spends), 10)
        self.assertFalse(spends & hashes)
        used = {h.spend_hash(self.db, tok) for tok in self.tokens}
        self.assertEqual(spends - used, set())

    def test_pepper_file_is_private(self):
        mode = os.stat(self.db + ".pepper").st_mode & 0o777
        self.assertEqual(mode, 0o600)
        with open(self.db + ".pepper", "rb") as f:
            pepper = f.read()
        self.assertEqual(len(pepper), 32)
        self.assertNotIn(pepper, self.written_files()[self.db])


if __name__ == "__main__":
    unittest.main()
