"""An oracle for a release's figures: 300 respondents whose answers this
test chooses and records answer the definition tests/data/oracle/ over
HTTP; `gehoord release` publishes its plan; every published count, base
and percentage must equal an independent computation here, from the
recorded answers, with the routing applied:

- a single question with prefer-not and an answer that is not
  substantive ("n.v.t."), shown only after some answers (routing);
- a multi question with an exclusive "none" (substantive), an exclusive
  "don't know" (not substantive) and prefer-not;
- an indicator (any form experienced) with a baseline without n, and an
  indicator with a base ("among" those who experienced discrimination);
- a scale of two Likert items, by gender;
- a cross-table of an indicator by a routed, non-background question.

Bases: a substantive answer's share is of those shown the question who
answered it substantively; prefer-not's and "n.v.t."'s of all who
answered; an indicator's of those in its base who answered
substantively; NOT_STATED has none.
"""

import html
import json
import os
import re
import random
import shutil
import unittest

import harness as h

KEY = h.ModuleKey()
ORACLE = os.path.join(h.REPO_ROOT, "tests", "data", "oracle")
N = 300
EXPERIENCED = ("pesten", "uitsluiten", "discriminatie")
GENDERS = ("vrouw", "man", "anders", "_prefer_not", None)


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def make_respondent(rng):
    """One respondent's answers: {question: value or list}; None is
    skipped. Questions hidden by routing may still be sent (the server
    drops them), so the oracle must apply the routing itself."""
    a = {"gender": rng.choices(GENDERS, (30, 30, 8, 7, 5))[0]}
    kind = rng.choices(("forms", "geen", "weet_niet", "_prefer_not", None),
                       (60, 20, 8, 7, 5))[0]
    if kind == "forms":
        a["meegemaakt"] = rng.sample(EXPERIENCED, rng.randint(1, 3))
    elif kind is not None:
        a["meegemaakt"] = [kind]
    else:
        a["meegemaakt"] = None
    a["gemeld"] = rng.choices(("ja", "nee", "nvt", "_prefer_not", None),
                              (35, 35, 10, 10, 10))[0]
    for item in ("l1", "l2"):
        a[item] = rng.choices(("1", "2", "3", "4", "5", "_prefer_not",
                               None), (10, 15, 20, 25, 15, 8, 7))[0]
    return a


HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" '
                       r'value="([^"]*)"')
FIELD_RE = re.compile(r'name="q_([a-z0-9_]+)"')


def walk(port, token, a):
    """Answers a's questions page by page as a browser would: the hidden
    fields of each page, the answers to the questions it shows, Next or
    Send. Returns the last response (the thank-you page)."""
    r = h.post(port, "/s/" + token, [("lang", "nl"), ("nav", "start")])
    for _ in range(5):
        if r.status != 200 or 'name="state"' not in r.body:
            return r
        pairs = [(n, html.unescape(v)) for n, v in HIDDEN_RE.findall(r.body)]
        for q in dict.fromkeys(FIELD_RE.findall(r.body)):
            v = a.get(q)
            for x in [] if v is None else v if isinstance(v, list) else [v]:
                pairs.append(("q_" + q, x))
        nav = "submit" if 'name="nav" value="submit"' in r.body else "next"
        r = h.post(port, "/s/" + token, pairs + [("nav", nav)])
    raise AssertionError("no end to the pages")


def shown(a, q):
    if q == "gemeld":
        return bool(set(a["meegemaakt"] or ()) & set(EXPERIENCED))
    return True


def value(a, q):
    """What the server stores: the answer, or None (skipped or hidden)."""
    return a[q] if shown(a, q) else None


class Oracle:
    """Counts, bases and percentages computed from the recorded answers."""

    def __init__(self, answers):
        self.answers = answers

    def group(self, by, g):
        if by is None:
            return self.answers
        return [a for a in self.answers
                if (value(a, by) or "NOT_STATED") == g]

    def question(self, q, options, nonsubst, group):
        """{category: (count, base kind, base n)} of question q."""
        vals = [value(a, q) for a in group]
        vals = [v if v is None or isinstance(v, list) else [v]
                for v in vals]
        answered = [v for v in vals if v]
        subst = [v for v in answered
                 if set(v) - set(nonsubst) - {"_prefer_not"}]
        out = {}
        for o in options:
            n = sum(1 for v in answered if o in v)
            if o in nonsubst or o == "_prefer_not":
                out[o] = (n, "answered", len(answered))
            else:
                out[o] = (n, "substantive", len(subst))
        out["NOT_STATED"] = (len(vals) - len(answered), None, None)
        out["TOTAL"] = (len(vals), None, None)
        return out

    def indicator(self, q, any_of, among, group):
        yes = no = 0
        for a in group:
            v = value(a, q)
            if among is not None and not among(a):
                continue
            v = v if v is None or isinstance(v, list) else [v]
            if not v or not set(v) - {"_prefer_not", "nvt", "weet_niet"}:
                continue
            if set(v) & set(any_of):
                yes += 1
            else:
                no += 1
        return {"yes": (yes, "substantive", yes + no),
                "no": (no, "substantive", yes + no),
                "NOT_STATED": (len(group) - yes - no, None, None),
                "TOTAL": (len(group), None, None)}

    def scale(self, group):
        scores = []
        for a in group:
            pts = [int(a[i]) for i in ("l1", "l2")
                   if a[i] not in (None, "_prefer_not")]
            if pts:
                scores.append(sum(pts) / len(pts))
        mean = sum(scores) / len(scores) if scores else None
        return {"mean": (len(scores), "scored", len(scores), mean),
                "TOTAL": (len(group), None, None)}


class ReleaseOracleTest(h.ServerTestCase):

    @classmethod
    def release(cls, out, plan):
        """`gehoord release` of the oracle wave with plan into out."""
        return h.run("release", "--db", cls.db, "--wave", str(cls.wave),
                     "--key", cls.key.path, "--passphrase-file",
                     cls.key.pass_file, "--out", out, "--plan", plan)

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()
        cls.defs = os.path.join(cls.tmpdir, "defs")
        shutil.copytree(ORACLE, cls.defs)
        cls.wave = h.make_wave(cls.db, cls.key, k=5, definition=os.path.join(
            cls.defs, "oracle.json"))
        tokens = h.issue_tokens(cls.db, cls.wave, N,
                                base_url="http://127.0.0.1:%d" % cls.port)
        rng = random.Random(int(os.environ.get("GEHOORD_ORACLE_SEED",
                                               "20261205")))
        cls.answers = []
        for tok in tokens:
            a = make_respondent(rng)
            r = walk(cls.port, tok, a)
            if r.status != 200 or 'name="state"' in r.body:
                raise AssertionError("submit: %d %s" % (r.status, r.body))
            cls.answers.append(a)
        out = os.path.join(cls.tmpdir, "release")
        p = cls.release(out, os.path.join(cls.defs, "plans", "oracle.json"))
        if p.returncode != 0:
            raise AssertionError("release: %d %s" % (p.returncode, p.stderr))
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            cls.tables = json.load(f)
        with open(os.path.join(out, "codebook.json"), encoding="utf-8") as f:
            cls.codebook = json.load(f)

    def expected(self, row):
        o = Oracle(self.answers)
        by = row["by1"]
        group = o.group(by, row["by1_value"]) if by else o.answers
        t = row["table"]
        if t.startswith("meegemaakt"):
            return o.question("meegemaakt", ("pesten", "uitsluiten",
                                             "discriminatie", "geen",
                                             "weet_niet", "_prefer_not"),
                              ("weet_niet",), group)
        if t.startswith("gemeld"):
            return o.question("gemeld", ("ja", "nee", "nvt", "_prefer_not"),
                              ("nvt",), group)
        if t == "gender":
            return o.question("gender", ("vrouw", "man", "anders",
                                         "_prefer_not"), (), group)
        if t.startswith("ervaren"):
            return o.indicator("meegemaakt", EXPERIENCED, None, group)
        if t == "heeft_gemeld":
            return o.indicator("gemeld", ("ja",), lambda a: "discriminatie"
                               in (a["meegemaakt"] or ()), group)
        if t == "s_gender":
            return o.scale(group)
        raise AssertionError("no oracle for table %s" % t)

    def test_every_published_figure_equals_the_oracle(self):
        self.assertEqual(self.tables["answers"], N)
        checked = {"count": 0, "percent": 0, "mean": 0}
        for row in self.tables["rows"]:
            if row["flag"] == "rolled_up" or row["by1_value"] is None \
                    and row["by1"] is not None:
                continue
            if row["by1_value"] == "TOTAL":
                row = dict(row, by1=None)
            exp = self.expected(row)[row["category"]]
            if row["count"] is not None:
                self.assertEqual(row["count"], exp[0], row)
                checked["count"] += 1
            if row["percent"] is None:
                continue
            self.assertEqual(row["base"], exp[1], row)
            self.assertEqual(row["base_n"], exp[2], row)
            if exp[1] == "scored":
                self.assertAlmostEqual(row["percent"], exp[3], places=3)
                checked["mean"] += 1
            else:
                self.assertAlmostEqual(row["percent"],
                                       100 * exp[0] / exp[2], places=3)
                checked["percent"] += 1
            # No share of the not stated, nor of a whole group.
            self.assertNotIn(row["category"], ("NOT_STATED", "TOTAL"))
        print("\n  [oracle] %d counts, %d percentages, %d means checked"
              % (checked["count"], checked["percent"], checked["mean"]))
        self.assertGreater(checked["count"], 80)
        self.assertGreater(checked["percent"], 50)
        self.assertGreater(checked["mean"], 2)

    def test_routed_question_and_based_indicator_headline(self):
        """The published share of a routed question is of those shown it,
        and an indicator's of its base: the figures a researcher quotes."""
        rows = {(r["table"], r["category"]): r for r in self.tables["rows"]
                if r["by1"] is None}
        o = Oracle(self.answers)
        exp = o.indicator("gemeld", ("ja",), lambda a: "discriminatie" in
                          (a["meegemaakt"] or ()), o.answers)
        r = rows[("heeft_gemeld", "yes")]
        self.assertEqual((r["count"], r["base_n"]), exp["yes"][0:1] +
                         exp["yes"][2:3])
        self.assertLess(r["base_n"], N // 2)
        exp = o.question("gemeld", ("ja", "nee", "nvt", "_prefer_not"),
                         ("nvt",), o.answers)
        r = rows[("gemeld", "ja")]
        self.assertEqual(r["base_n"], exp["ja"][2])
        self.assertAlmostEqual(r["percent"], 100 * exp["ja"][0] /
                               exp["ja"][2], places=3)
        r = rows[("gemeld", "nvt")]
        self.assertEqual((r["base"], r["base_n"]),
                         ("answered", exp["nvt"][2]))

    def test_baseline_difference_without_interval(self):
        r = [r for r in self.tables["rows"] if r["table"] == "ervaren" and
             r["category"] == "yes"][0]
        (c,) = r["comparisons"]
        self.assertEqual(c["with"], "oracle-base")
        self.assertAlmostEqual(c["difference"], r["percent"] - 40.0,
                               places=3)
        self.assertIsNone(c["ci_low"])
        self.assertIsNone(c["ci_high"])
        self.assertIn("no number of respondents", c["note"])

    def test_plan_relinks_the_baseline_without_touching_the_wave(self):
        """A later release may compare an indicator with another baseline
        figure (or none): the plan says so; answers and wave stay."""
        with open(os.path.join(self.defs, "plans", "oracle.json")) as f:
            plan = json.load(f)
        plan["baselines"] = [{"indicator": "ervaren", "baseline": {
            "id": "oracle-base", "indicator": "ervaren_smal"}},
            {"indicator": "heeft_gemeld", "baseline": None}]
        path = os.path.join(self.defs, "plans", "relinked.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, "release-relinked")
        p = self.release(out, path)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            rows = json.load(f)["rows"]
        r = [r for r in rows if r["table"] == "ervaren" and
             r["category"] == "yes"][0]
        (c,) = r["comparisons"]
        self.assertAlmostEqual(c["difference"], r["percent"] - 50.0,
                               places=3)
        with open(os.path.join(out, "codebook.json"), encoding="utf-8") as f:
            inds = {i["id"]: i for i in json.load(f)["indicators"]}
        self.assertEqual(inds["ervaren"]["baseline"]["indicator"],
                         "ervaren_smal")
        self.assertNotIn("baseline", inds["heeft_gemeld"])
        # A plan that names an indicator the definition lacks: refused.
        plan["baselines"] = [{"indicator": "nope", "baseline": None}]
        with open(path, "w") as f:
            json.dump(plan, f)
        p = self.release(out + "-2", path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("$.baselines[0].indicator: the definition has no "
                      "indicator \"nope\"", p.stderr)

    def test_a_broken_reference_file_stops_the_release(self):
        defs = os.path.join(self.tmpdir, "defs-badref")
        shutil.copytree(self.defs, defs)
        os.makedirs(os.path.join(defs, "reference"))
        with open(os.path.join(defs, "reference", "x.json"), "w") as f:
            json.dump({"format": 1, "kind": "reference", "id": "x",
                       "figures": [{"id": "a", "label": {"nl": "A",
                                                         "en": "A"},
                                    "source": {"nl": "B", "en": "B"},
                                    "value": "veel"}]}, f)
        out = os.path.join(self.tmpdir, "release-badref")
        p = self.release(out, os.path.join(defs, "plans", "oracle.json"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("reference/x.json: $.figures[0].value: must be a "
                      "number", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "MANIFEST")))

    def test_codebook_states_bases_and_baseline(self):
        inds = {i["id"]: i for i in self.codebook["indicators"]}
        self.assertEqual(inds["heeft_gemeld"]["base"]["substantive"]["nl"],
                         "van wie discriminatie meemaakte")
        self.assertTrue(inds["heeft_gemeld"]["among"])
        b = inds["ervaren"]["baseline"]
        self.assertEqual((b["id"], b["indicator"], b["percent"], b["year"],
                          b["n"]), ("oracle-base", "ervaren", 40.0, 2024,
                                    None))
        qs = {q["id"]: q for q in self.codebook["variables"]}
        cats = {c["id"]: c["substantive"] for c in
                qs["gemeld"]["categories"]}
        self.assertEqual(cats, {"ja": True, "nee": True, "nvt": False,
                                "_prefer_not": False, "NOT_STATED": False})
        self.assertIn("answered", qs["gemeld"]["base"])


if __name__ == "__main__":
    unittest.main()
