"""The custodian's tally: counts of a known set of answers, with every
count below k written as `suppressed`."""

import csv
import json
import os
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


K = 10
QUESTIONS = [  # (id, type, options) of survey-defs/demo.json
    ("soort_werk", "single",
     ["uitvoering", "beleid", "beide", "zeg_ik_liever_niet"]),
    ("mezelf_zijn", "likert", ["1", "2", "3", "4", "5"]),
    ("veilig_uitspreken", "likert", ["1", "2", "3", "4", "5"]),
    ("gewaardeerd", "likert", ["1", "2", "3", "4", "5"]),
    ("gelijke_kansen", "likert", ["1", "2", "3", "4", "5"]),
    ("meegemaakt", "multi",
     ["pesten", "buitensluiten", "micro_agressie", "seksuele_intimidatie",
      "agressie", "discriminatie", "geen", "zeg_ik_liever_niet"]),
    ("toelichting", "text", None),
]


def planned_answers():
    """14 respondents; some counts reach k=10, some stay below."""
    out = []
    for i in range(14):
        a = {}
        a["soort_werk"] = ("uitvoering" if i < 10 else
                           "beleid" if i < 13 else "beide")
        if i < 11:
            a["mezelf_zijn"] = "4"
        elif i < 13:
            a["mezelf_zijn"] = "5"
        # veilig_uitspreken: nobody answers it.
        if i < 12:
            a["gewaardeerd"] = "3"
        if i < 5:
            a["gelijke_kansen"] = "2"
        elif i < 10:
            a["gelijke_kansen"] = "5"
        a["meegemaakt"] = ["geen"] if i < 10 else ["pesten", "buitensluiten"]
        # A browser always sends the textarea; empty means not answered.
        a["toelichting"] = ("Opmerking nummer %d." % i) if i < 11 else ""
        out.append(a)
    return out


def expected_counts(answers):
    """{(question, type, option): count} in the CSV's terms."""
    exp = {("_all", "", "_answers"): len(answers)}
    for qid, qtype, options in QUESTIONS:
        answered = 0
        per = dict.fromkeys(options or [], 0)
        for a in answers:
            v = a.get(qid)
            if v in (None, "", []):
                continue
            answered += 1
            for o in (v if isinstance(v, list) else [v]):
                if options is not None:
                    per[o] += 1
        exp[(qid, qtype, "_answered")] = answered
        for o, n in per.items():
            exp[(qid, qtype, o)] = n
    return exp


def wave_with_tokens(db, key, n):
    wave = h.make_wave(db, key, k=K)
    return wave, h.issue_tokens(db, wave, n)


def shown(n, total):
    return str(n) if n >= K and total >= K else "suppressed"


class TallyTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()
        cls.answers = planned_answers()
        cls.wave, cls.tokens = wave_with_tokens(cls.db, cls.key, 14)
        # Another wave's answers must not leak into this wave's counts.
        other, other_tokens = wave_with_tokens(cls.db, cls.key, 10)
        pairs = [(tok, {"soort_werk": "beide", "mezelf_zijn": "1"})
                 for tok in other_tokens]
        pairs += list(zip(cls.tokens, cls.answers))
        for tok, a in pairs:
            r = h.submit(cls.port, tok, a)
            if r.status != 200:
                raise AssertionError("submit: %d %s" % (r.status, r.body))

    def tally(self, out, wave=None, pass_file=None):
        return h.run("tally", "--db", self.db, "--wave", wave or self.wave,
                     "--key", self.key.path, "--passphrase-file",
                     pass_file or self.key.pass_file, "--out", out)

    def read_csv(self, out):
        with open(os.path.join(out, "counts.csv"), newline="",
                  encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["question", "type", "option", "count"])
        return {(r[0], r[1], r[2]): r[3] for r in rows[1:]}, rows[1:]

    def test_tally_counts_match_plan_with_suppression_below_k(self):
        self.assertStored(self.wave, answers=14, spent=14)
        out = os.path.join(self.tmpdir, "tally-ok")
        p = self.tally(out)
        self.assertEqual(p.returncode, 0, p.stderr)
        got, rows = self.read_csv(out)
        self.assertEqual(len(rows), len(got), "duplicate CSV rows")

        exp = expected_counts(self.answers)
        # The plan exercises both sides of the threshold.
        self.assertTrue(any(n >= K for n in exp.values()))
        self.assertTrue(any(0 < n < K for n in exp.values()))
        want = {key: shown(n, 14) for key, n in exp.items()}
        self.assertEqual(got, want)
        # Spot checks, written out.
        self.assertEqual(got[("_all", "", "_answers")], "14")
        self.assertEqual(got[("soort_werk", "single", "uitvoering")], "10")
        self.assertEqual(got[("soort_werk", "single", "beleid")],
                         "suppressed")
        self.assertEqual(got[("mezelf_zijn", "likert", "_answered")], "13")
        self.assertEqual(got[("gelijke_kansen", "likert", "_answered")],
                         "10")
        self.assertEqual(got[("gelijke_kansen", "likert", "5")],
                         "suppressed")
        self.assertEqual(got[("veilig_uitspreken", "likert", "_answered")],
                         "suppressed")
        self.assertEqual(got[("toelichting", "text", "_answered")], "11")
        # The CSV's order: _all first, then each question in order.
        self.assertEqual(rows[0][:3], ["_all", "", "_answers"])
        self.assertEqual([r[0] for r in rows[1:]],
                         [q for q, _, o in QUESTIONS
                          for _ in range(1 + len(o or []))])

        with open(os.path.join(out, "counts.json"), encoding="utf-8") as f:
            j = json.load(f)
        self.assertEqual(j["definition"], "demo")
        self.assertEqual(j["k"], K)
        self.assertEqual(j["answers"], 14)

        def norm(v):
            return "suppressed" if v == "suppressed" else str(int(v))

        from_json = {("_all", "", "_answers"): norm(j["answers"])}
        self.assertEqual([q["id"] for q in j["questions"]],
                         [q for q, _, _ in QUESTIONS])
        for q in j["questions"]:
            from_json[(q["id"], q["type"], "_answered")] = norm(q["answered"])
            for o in q.get("options", []):
                from_json[(q["id"], q["type"], o["id"])] = norm(o["count"])
        self.assertEqual(from_json, got, "counts.json and counts.csv differ")

    def test_tally_below_k_answers_suppresses_everything(self):
        wave, tokens = wave_with_tokens(self.db, self.key, 10)
        for tok in tokens[:5]:
            self.assertEqual(h.submit(self.port, tok,
                                      {"soort_werk": "beleid"}).status, 200)
        out = os.path.join(self.tmpdir, "tally-small")
        p = self.tally(out, wave=wave)
        self.assertEqual(p.returncode, 0, p.stderr)
        got, _ = self.read_csv(out)
        self.assertEqual(set(got.values()), {"suppressed"})
        with open(os.path.join(out, "counts.json"), encoding="utf-8") as f:
            j = json.load(f)
        self.assertEqual(j["answers"], "suppressed")

    def test_tally_with_wrong_passphrase_fails_and_writes_nothing(self):
        wrong = os.path.join(self.tmpdir, "wrong.pass")
        with open(wrong, "w") as f:
            f.write("not the passphrase\n")
        os.chmod(wrong, 0o600)
        out = os.path.join(self.tmpdir, "tally-wrong")
        p = self.tally(out, pass_file=wrong)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
        errors = [ln for ln in lines if "passphrase" in ln.lower()]
        self.assertEqual(len(errors), 1, p.stderr)
        self.assertIn(self.key.path, errors[0])
        # At most a progress line besides the one error line.
        self.assertLessEqual(len(lines), 2, p.stderr)
        self.assertEqual(p.stdout, "")
        # Nothing written (an empty --out directory may have been made).
        if os.path.exists(out):
            self.assertEqual(os.listdir(out), [])

    def test_tally_unknown_wave_fails(self):
        out = os.path.join(self.tmpdir, "tally-nowave")
        p = self.tally(out, wave=9999)
        self.assertEqual(p.returncode, 1)
        self.assertIn("9999", p.stderr)
        if os.path.exists(out):
            self.assertEqual(os.listdir(out), [])


if __name__ == "__main__":
    unittest.main()
