"""The organisational unit of a token batch (`"unit": {"source":
"batch"}`): it travels sealed inside each answer, and the tally counts
answers per unit with the threshold rule; nothing about it is stored in
the clear next to an answer."""

import csv
import os

import harness as h
import test_instruments as ti

KEY = h.ModuleKey()
K = 5


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class UnitTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        cls.inst = ti.Instrument("ervaren-discriminatie-2026.json")
        super().setUpClass()

    def test_unit_counts_per_batch_with_suppression(self):
        wave = h.make_wave(self.db, self.key, k=K,
                           definition=self.inst.path)
        path = ti.ERVAREN_PATHS["niets_meegemaakt"]
        plan = [("Directie A", K), ("Directie B, Oost", 2)]
        for unit, n in plan:
            # A batch is at least k tokens; only n of them answer.
            tokens = h.issue_tokens(self.db, wave, K, unit=unit,
                                    base_url="http://127.0.0.1:%d"
                                    % self.port)
            for tok in tokens[:n]:
                ti.Walker(self, self.inst, tok).walk(path)
        n = sum(c for _, c in plan)
        self.assertStored(wave, answers=n, spent=n)
        # Nothing about the unit next to an answer: its wave, random id,
        # part number and sealed blob only.
        con = h.db_connect(self.db)
        try:
            cols = [r[1] for r in con.execute("PRAGMA table_info(answers)")]
        finally:
            con.close()
        self.assertEqual(cols, ["wave_id", "id", "part", "sealed"])

        out = os.path.join(self.tmpdir, "tally-unit-%d" % wave)
        p = h.run("tally", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "counts.csv"), newline="",
                  encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if r[0] == "_unit"]
        # B (2) is below k, and A (5) would give it away as 7 - 5.
        self.assertEqual(rows, [
            ["_unit", "unit", "Directie A", "suppressed"],
            ["_unit", "unit", "Directie B, Oost", "suppressed"],
        ])
        with open(os.path.join(out, "counts.csv"), encoding="utf-8") as f:
            self.assertIn('"Directie B, Oost"', f.read())

    def test_unit_count_shown_beside_a_suppressed_one(self):
        wave = h.make_wave(self.db, self.key, k=K,
                           definition=self.inst.path)
        path = ti.ERVAREN_PATHS["niets_meegemaakt"]
        # A (k + 1), B, Oost (below k) and C (k): hiding B takes the
        # smallest shown one (C) along; A's count is shown.
        plan = [("Directie A", K + 1), ("Directie B, Oost", 2),
                ("Directie C", K)]
        for unit, n in plan:
            tokens = h.issue_tokens(self.db, wave, K + 1, unit=unit,
                                    base_url="http://127.0.0.1:%d"
                                    % self.port)
            for tok in tokens[:n]:
                ti.Walker(self, self.inst, tok).walk(path)
        out = os.path.join(self.tmpdir, "tally-unit2-%d" % wave)
        p = h.run("tally", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "counts.csv"), newline="",
                  encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if r[0] == "_unit"]
        self.assertEqual(rows, [
            ["_unit", "unit", "Directie A", str(K + 1)],
            ["_unit", "unit", "Directie B, Oost", "suppressed"],
            ["_unit", "unit", "Directie C", "suppressed"],
        ])
