"""gehoord release end to end: a few hundred synthetic answers with skewed
small groups (three non-binary respondents in one unit, units below k
under a parent) go through the real server over HTTP; the release is
written, signed and verified; then the test attacks its own release:
with scipy's linprog (HiGHS, independent of the CLP audit inside
gehoord) it solves the smallest and largest value of every suppressed
cell from all figures published in tables.csv and the relations any
reader can derive (categories add up to their group, groups to their
margin, units to their parent), and asserts that none is pinned inside
its protection level (lo <= 0 and hi >= c). Also: a plan naming an
unknown question fails with its file and JSON path and writes nothing.

Needs scipy (python3-scipy, installed by install-deps.sh)."""

import csv
import html
import json
import os
import random
import re
import sqlite3
import unittest

import harness as h

# scipy is Debian's python3-scipy (install-deps.sh); test.sh runs the
# suite with /usr/bin/python3 for it. Missing, this file fails: the attack
# on the release is not optional.
from scipy.stats import norm
from release_attack import Attack, linprog

K = 10
C = 3
# The label columns of tables.csv, after its code columns.
LABEL_COLUMNS = ("table_label_nl,table_label_en,variable_label_nl,"
                 "variable_label_en,category_label_nl,category_label_en,"
                 "by1_label_nl,by1_label_en,by1_value_label_nl,"
                 "by1_value_label_en,by2_label_nl,by2_label_en,"
                 "by2_value_label_nl,by2_value_label_en")
KEY = h.ModuleKey()


def T(s):
    return {"nl": s, "en": s}


def O(i):
    return {"id": i, "label": T(i)}


DEFINITION = {
    "format": 2, "id": "release-e2e", "title": T("Release e2e"),
    "unit": {"source": "batch"},
    "response_scales": {"drie": [O("1"), O("2"), O("3")]},
    "pages": [{"id": "p", "questions": [
        {"id": "gender", "type": "single", "background": "gender",
         "prefer_not": True, "label": T("Gender"),
         "options": [O("vrouw"), O("man"), O("nb")]},
        {"id": "leeftijd", "type": "single", "background": "age_band",
         "label": T("Leeftijd"), "options": [O("jong"), O("oud")]},
        {"id": "gezien", "type": "single", "sensitive": True,
         "label": T("Gezien"), "options": [O("ja"), O("nee")]},
        {"id": "vorm", "type": "multi", "label": T("Vorm"),
         "options": [O("a"), O("b"), O("c")]},
        {"id": "l1", "type": "likert", "scale": "drie", "label": T("L1")},
        {"id": "l2", "type": "likert", "scale": "drie", "label": T("L2")},
        {"id": "toelichting", "type": "text", "max_length": 200,
         "label": T("Toelichting")}]}],
    "scales": [{"id": "schaal", "label": T("Schaal"),
                "items": ["l1", "l2"]}],
    "indicators": [{"id": "zag_iets", "label": T("Zag iets"),
                    "question": "gezien", "any_of": ["ja"]}],
}

PLAN = {
    "format": 1, "kind": "release_plan", "definition": "release-e2e",
    "c": C,
    "tables": [
        {"id": "gezien_gender_unit", "question": "gezien",
         "by": ["gender", "unit"]},
        {"id": "gezien_leeftijd", "question": "gezien", "by": ["leeftijd"]},
        {"id": "vorm_gender", "question": "vorm", "by": ["gender"]},
        {"id": "gender_unit", "question": "gender", "by": ["unit"]},
        {"id": "leeftijd_gender", "question": "leeftijd", "by": ["gender"]},
        {"id": "zag_iets_unit", "indicator": "zag_iets", "by": ["unit"]},
        {"id": "schaal_gender", "scale": "schaal", "by": ["gender"]},
    ],
}

# (unit label or None, respondents, non-binary among them)
UNITS = [
    ("Sociaal Domein/Jeugd", 70, 3),
    ("Sociaal Domein/Wmo", 55, 0),
    ("Sociaal Domein", 8, 0),            # direct answers, below k
    ("Sociaal Domein/Klein", 3, 0),      # rolled up
    ("Ruimte", 90, 1),
    ("Ruimte/Team X", 4, 0),             # rolled up
    ('Bedrijfsvoering, "BV"', 6, 0),     # rolled up at the top; CSV quoting
    (None, 12, 0),                       # a batch without a unit
]


def answer(rng, nb):
    a = {
        "gender": "nb" if nb else rng.choice(
            ["vrouw"] * 6 + ["man"] * 5 + ["_prefer_not"]),
        "leeftijd": rng.choice(["jong", "oud", "oud"]),
        # Sensitive and skewed: "ja" is rare.
        "gezien": rng.choice(["nee"] * 9 + ["ja"]),
        "l1": rng.choice("123"), "l2": rng.choice("123"),
        "toelichting": "opmerking %d, \"met\" komma\r\nen regel"
        % rng.randrange(10 ** 6),
    }
    forms = [f for f in "abc" if rng.random() < 0.3]
    if forms:
        a["vorm"] = forms
    if rng.random() < 0.05:
        del a["gezien"]             # not stated
    return a


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


REFERENCE = {
    "format": 1, "kind": "reference", "id": "org",
    "title": {"nl": "Referentie", "en": "Reference"},
    "figures": [
        {"id": "doel", "label": {"nl": "Streefcijfer gezien",
                                 "en": "Target seen"},
         "value": 25.0, "unit": "percent", "kind": "target", "year": 2025,
         "population": {"nl": "Alle medewerkers", "en": "All employees"},
         "source": {"nl": "Raadsbrief van 1 april 2025",
                    "en": "Council letter of 1 April 2025"},
         "compares_with": [{"definition": "release-e2e",
                            "tables": ["gezien_gender_unit"]}]},
        {"id": "ander", "label": {"nl": "Ander cijfer", "en": "Other"},
         "value": 50.0, "unit": "percent", "year": 2024,
         "population": {"nl": "Iedereen", "en": "Everyone"},
         "source": {"nl": "Elders", "en": "Elsewhere"},
         "compares_with": [{"definition": "another-survey"}]},
    ],
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def own_cell(unit, labels):
    """The cell of the answers of one unit label: its own unit value,
    "LABEL (direct)" when other labels are below it."""
    if unit is None:
        return "u=NOT_STATED"
    if any(lb.startswith(unit + "/") for lb in labels):
        return "u=%s (direct)" % unit
    return "u=" + unit


class ReleaseE2ETest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()
        cls.def_path = os.path.join(cls.tmpdir, "release-e2e.json")
        with open(cls.def_path, "w") as f:
            json.dump(DEFINITION, f)
        os.makedirs(os.path.join(cls.tmpdir, "plans"))
        # Reference figures beside the plans: one for this definition,
        # one for another (never shown here).
        os.makedirs(os.path.join(cls.tmpdir, "reference"))
        with open(os.path.join(cls.tmpdir, "reference", "org.json"),
                  "w") as f:
            json.dump(REFERENCE, f)
        cls.plan_path = os.path.join(cls.tmpdir, "plans", "plan.json")
        with open(cls.plan_path, "w") as f:
            json.dump(PLAN, f)
        cls.wave = h.make_wave(cls.db, cls.key, k=K,
                               definition=cls.def_path)
        rng = random.Random(20261125)
        cls.n = 0
        for unit, n, nb in UNITS:
            tokens = h.issue_tokens(cls.db, cls.wave, max(n, K), unit=unit,
                                    base_url="http://127.0.0.1:%d"
                                    % cls.port)
            for i, tok in enumerate(tokens[:n]):
                r = h.submit(cls.port, tok, answer(rng, i < nb))
                assert r.status == 200, (r.status, r.body[:300])
                cls.n += 1

    def release(self, out, plan=None, extra=()):
        return h.run("release", "--db", self.db, "--wave", self.wave,
                     "--key", self.key.path, "--passphrase-file",
                     self.key.pass_file, "--out", out, "--plan",
                     plan or self.plan_path, *extra)

    def check_response(self, tables, audit, units):
        """The response of a release against the ground truth units:
        (label or None, answers, tokens issued). The whole wave's
        figures; a unit is listed, with its tokens and answers, exactly
        when it has at least K answers and the cell of its own unit value
        is not suppressed (where a table has that cell, its count is the
        same figure); sorted by label, the batches without one last.
        Returns the listed labels."""
        truth = {u: (n, issued) for u, n, issued in units}
        labels = [u for u in truth if u is not None]
        resp = tables["response"]
        issued = sum(i for _, i in truth.values())
        self.assertEqual(tables["answers"], sum(n for n, _ in
                                                truth.values()))
        self.assertEqual((resp["answered_per_unit"], resp["issued"],
                          resp["answered"]), (True, issued,
                                              tables["answers"]))
        self.assertAlmostEqual(resp["rate"], tables["answers"] / issued,
                               places=4)
        self.assertNotIn("note", resp)
        counts = {}
        for r in tables["rows"]:
            if r["cell"] is not None:
                counts.setdefault(r["cell"], set()).add(r["count"])
        hidden = {r["cell"] for r in audit["suppressed"]}
        listed = [r["unit"] for r in resp["units"]]
        self.assertEqual(listed, sorted(u for u in listed if u is not None)
                         + [None] * (None in listed))
        for r in resp["units"]:
            n, issued = truth[r["unit"]]
            self.assertEqual((r["issued"], r["answered"], r["cell"]),
                             (issued, n, own_cell(r["unit"], labels)))
            self.assertAlmostEqual(r["rate"], n / issued, places=4)
            self.assertEqual(counts.get(r["cell"], {n}), {n}, r)
        for u, (n, _) in truth.items():
            self.assertEqual(u in listed, n >= K and own_cell(u, labels)
                             not in hidden, u)
        return listed

    def check_labels(self, rows):
        """The label columns of tables.csv say what the codes are."""
        for r in rows:
            self.assertTrue(all(r[c] for c in ("table_label_nl",
                                               "table_label_en",
                                               "variable_label_nl",
                                               "variable_label_en")), r)
            for i in ("1", "2"):
                if r["by" + i]:
                    self.assertTrue(r["by%s_label_nl" % i], r)
                    self.assertTrue(r["by%s_value_label_en" % i], r)
                else:
                    self.assertEqual(r["by%s_value_label_nl" % i], "", r)
        row = {(r["table"], r["category"], r["by1_value"], r["by2_value"]):
               r for r in rows}
        r = row[("gezien_gender_unit", "NOT_STATED", "TOTAL",
                 "Ruimte (direct)")]
        self.assertEqual(
            [r[c] for c in LABEL_COLUMNS.split(",")],
            ["Gezien naar gender en eenheid", "Gezien by gender and unit",
             "Gezien", "Gezien", "Niet ingevuld", "Not stated", "gender",
             "gender", "Totaal", "Total", "eenheid", "unit",
             "Ruimte (rechtstreeks)", "Ruimte (direct)"])
        r = row[("zag_iets_unit", "yes", "NOT_STATED", "")]
        self.assertEqual((r["category_label_nl"], r["category_label_en"],
                          r["by1_value_label_nl"], r["by1_value_label_en"]),
                         ("Ja", "Yes", "(geen eenheid)", "(no unit)"))
        r = row[("schaal_gender", "mean", "nb", "")]
        self.assertEqual((r["table_label_nl"], r["category_label_nl"],
                          r["category_label_en"], r["by1_label_en"]),
                         ("Schaal naar gender", "Gemiddelde", "Mean",
                          "gender"))
        r = row[("leeftijd_gender", "oud", "NOT_STATED", "")]
        self.assertEqual((r["table_label_nl"], r["category_label_nl"],
                          r["by1_value_label_nl"]),
                         ("Leeftijd naar gender", "oud", "Niet ingevuld"))
        self.assertIn("andere eenheden", {r["by1_value_label_nl"]
                                          for r in rows})

    def test_release_e2e_free_text_and_second_release(self):
        out = os.path.join(self.tmpdir, "release-ft")
        p = self.release(out, extra=["--free-text"])
        self.assertEqual(p.returncode, 0, p.stderr)
        ft = out + ".free-text"
        self.assertEqual(os.listdir(ft), ["free-text-toelichting.csv"])
        self.assertEqual(os.stat(ft).st_mode & 0o777, 0o700)
        path = os.path.join(ft, "free-text-toelichting.csv")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["answer"])
        self.assertEqual(len(rows) - 1, self.n)
        self.assertTrue(all(len(r) == 1 and r[0].startswith("opmerking ")
                            and r[0].endswith(', "met" komma\nen regel')
                            for r in rows[1:]), rows[1:3])
        self.assertNotIn("free-text-toelichting.csv", os.listdir(out))
        names = {r[0] for r in h.db_query(
            self.db, "SELECT DISTINCT name FROM release_files")}
        self.assertFalse(any(n.startswith("free-text") for n in names))
        # A second release of the same answers: audited together with
        # the first (its cells fixed), and the same figures.
        out2 = os.path.join(self.tmpdir, "release-2")
        p = self.release(out2)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "tables.csv"), "rb") as a, \
                open(os.path.join(out2, "tables.csv"), "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_release_e2e_attack(self):
        out = os.path.join(self.tmpdir, "release")
        p = self.release(out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(sorted(os.listdir(out)), [
            "MANIFEST", "MANIFEST.sig", "audit.json", "codebook.csv",
            "codebook.json", "release-key.pub", "tables.csv",
            "tables.json"])
        for name in os.listdir(out):
            self.assertEqual(os.stat(os.path.join(out, name)).st_mode
                             & 0o777, 0o644, name)
        v = h.run("verify", out)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)

        header, rows = read_csv(os.path.join(out, "tables.csv"))
        # The code columns as before, then the labels in both languages.
        self.assertEqual(",".join(header), "table,variable,category,by1,"
                         "by1_value,by2,by2_value,count,group_n,percent,"
                         "ci_low,ci_high,flag,base,base_n," + LABEL_COLUMNS)
        self.check_labels(rows)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            tables = json.load(f)
        self.assertEqual(tables["answers"], self.n)
        self.assertEqual(len(tables["rows"]), len(rows))
        flags = {r["flag"] for r in rows}
        self.assertLessEqual(flags, {"ok", "primary", "secondary",
                                     "rolled_up"})
        self.assertIn("secondary", flags)
        for r in rows:
            if r["flag"] in ("primary", "secondary", "rolled_up"):
                self.assertEqual((r["count"], r["percent"], r["ci_low"],
                                  r["ci_high"]), ("", "", "", ""), r)
        rolled = {r["by1_value"] if r["by1"] == "unit" else r["by2_value"]
                  for r in rows if r["flag"] == "rolled_up"}
        self.assertEqual(rolled, {"Sociaal Domein/Klein", "Ruimte/Team X",
                                  'Bedrijfsvoering, "BV"',
                                  "Sociaal Domein (direct)"})
        # Three non-binary respondents in Jeugd: hidden.
        nb = [r for r in rows if r["table"] == "gender_unit" and
              r["category"] == "nb" and
              r["by1_value"] == "Sociaal Domein/Jeugd"]
        self.assertEqual(len(nb), 1)
        self.assertEqual(nb[0]["flag"], "primary")

        with open(os.path.join(out, "codebook.json"), encoding="utf-8") as f:
            codebook = json.load(f)
        multi = [v["id"] for v in codebook["variables"]
                 if v["type"] == "multi"]
        # What a scale's mean lies on: its points and their labels.
        (scale,) = codebook["scales"]
        self.assertEqual((scale["id"], scale["points"],
                          scale["point_labels"]),
                         ("schaal", 3, [T("1"), T("2"), T("3")]))
        self.assertEqual(multi, ["vorm"])
        attack = Attack(tables, multi)
        suppressed = {r["cell"]: r for r in tables["rows"]
                      if r["flag"] == "primary" and r["cell"]}
        self.assertGreater(len(suppressed), 5)
        for cell, r in suppressed.items():
            lo, hi = attack.bounds(attack.idx[cell])
            self.assertLessEqual(lo, 1e-6, "%s pinned: [%g, %g]"
                                 % (cell, lo, hi))
            self.assertGreaterEqual(hi, C - 1e-6, "%s pinned: [%g, %g]"
                                    % (cell, lo, hi))
        with open(os.path.join(out, "audit.json"), encoding="utf-8") as f:
            audit = json.load(f)
        # The response per unit: max(n, K) tokens were issued to each.
        listed = self.check_response(tables, audit, [
            (u, n, max(n, K)) for u, n, _ in UNITS])
        self.assertEqual(listed, ["Sociaal Domein/Jeugd"])
        for r in audit["suppressed"]:
            self.assertIn(r["rule"], ("k", "c", "dominance", "secondary"))
            if r["rule"] != "secondary":
                self.assertLessEqual(r["lo"], 0)
                self.assertGreaterEqual(r["hi"], C)
        self.assertEqual(audit["summary"]["secondary"],
                         sum(1 for r in audit["suppressed"]
                             if r["rule"] == "secondary"))

    def test_release_e2e_research_page(self):
        # The stored release is served to a researcher as written.
        import test_research as tr
        out = os.path.join(self.tmpdir, "release-web")
        p = self.release(out)
        self.assertEqual(p.returncode, 0, p.stderr)
        rid = h.db_query(self.db, "SELECT max(id) FROM releases WHERE "
                         "wave_id = ?", (self.wave,))[0][0]
        tr.add_user(self.db, self.tmpdir, "rosa", "researcher",
                    "a long researcher passphrase, e2e")
        cookie, _ = tr.login(self.port, "rosa",
                             "a long researcher passphrase, e2e")
        status, _, body = tr.get_raw(self.port, "/research/r/%d" % rid,
                                     cookie)
        self.assertEqual(status, 200)
        self.assertIn(b"<table>", body)
        self.assertIn(b"gezien_gender_unit", body)
        # The response per unit: Jeugd's row and the whole wave's.
        issued = sum(max(n, K) for _, n, _ in UNITS)
        self.assertIn(('<tr><td>Sociaal Domein/Jeugd</td><td class="num">70'
                       '</td><td class="num">70</td><td class="num">100,0'
                       '</td></tr>\n<tr><td>Totaal</td><td class="num">%d'
                       '</td><td class="num">%d</td><td class="num">%s'
                       '</td></tr>' % (issued, self.n, ("%.1f" % (
                           100 * self.n / issued)).replace(".", ","))
                       ).encode(), body)
        # The reference figure of this definition, with its source; not
        # the other one.
        self.assertIn(b"<h2 id=\"references\">Referentiecijfers</h2>", body)
        self.assertIn("<td>Raadsbrief van 1 april 2025</td>".encode(), body)
        self.assertNotIn(b"Elders", body)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            refs = json.load(f)["references"]
        self.assertEqual([r["id"] for r in refs], ["doel"])
        # A scale's mean on its own axis, its ends said.
        self.assertIn("<figcaption>Schaal van 1 (1) tot 3 (3).</figcaption>"
                      .encode(), body)
        # The page's headings and words are tables.csv's label columns.
        _, rows = read_csv(os.path.join(out, "tables.csv"))
        for lang, path in (("nl", "/research/r/%d" % rid),
                           ("en", "/research/r/%d?lang=en" % rid)):
            status, _, page = tr.get_raw(self.port, path, cookie)
            page = page.decode()
            want = []
            for r in rows:
                if r["table_label_" + lang] not in want:
                    want.append(r["table_label_" + lang])
            got = [html.unescape(h) for h in
                   re.findall(r'<h3 id="[^"]+">(.*?)</h3>', page)]
            self.assertEqual(got, want, lang)
            # Compared as text: the page and Python escape ' differently.
            cells = {html.unescape(c) for c in re.findall(
                r'<(?:td|th scope="row")>(.*?)</t[dh]>', page)}
            # Every percent says of whom and of how many.
            want_base = {"nl": "van wie de vraag kreeg en inhoudelijk "
                         "antwoordde", "en": "of those shown the question "
                         "who answered it substantively"}[lang]
            based = [r for r in rows if r["percent"] and
                     r["base"] == "substantive"]
            self.assertGreater(len(based), 10)
            for r in based:
                self.assertIn("%s, n\xa0=\xa0%s" % (want_base, r["base_n"]),
                              cells)
            for r in rows:
                if r["flag"] != "rolled_up":
                    self.assertIn(r["category_label_" + lang], cells)
                if r["by1"]:
                    self.assertIn(r["by1_value_label_" + lang], cells)
            if lang == "nl":
                text = tr.visible_text(page)
                for code in ("NOT_STATED", "TOTAL", "yes", "mean",
                             "other units", "direct", "unit"):
                    self.assertIsNone(re.search(r"\b%s\b" % code, text),
                                      code)
        for name in ("tables.csv", "tables.json", "audit.json"):
            status, _, data = tr.get_raw(
                self.port, "/research/r/%d/%s" % (rid, name), cookie)
            self.assertEqual(status, 200, name)
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(data, f.read(), name)

    def test_release_e2e_unknown_question_writes_nothing(self):
        plan = dict(PLAN, tables=[{"id": "t", "question": "nope"}])
        path = os.path.join(self.tmpdir, "plans", "bad.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, "bad-release")
        p = self.release(out, plan=path)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("%s: $.tables[0].question: unknown question \"nope\""
                      % path, p.stderr)
        self.assertFalse(os.path.exists(out))

    def fill_wave(self, units, seed, definition=None):
        """A new wave: per (unit, answers[, tokens issued]) a batch, and
        that many answers (to "afdeling" too if definition is given)."""
        wave = h.make_wave(self.db, self.key, k=K,
                           definition=definition or self.def_path)
        rng = random.Random(seed)
        for unit, n, *issued in units:
            tokens = h.issue_tokens(self.db, wave, issued[0] if issued
                                    else n, unit=unit,
                                    base_url="http://127.0.0.1:%d"
                                    % self.port)
            for tok in tokens[:n]:
                a = answer(rng, False)
                a["gezien"] = rng.choice(["ja", "nee", "nee"])
                a["gender"] = rng.choice(["vrouw", "man"])
                if definition is not None:
                    a["afdeling"] = rng.choice(["x", "y"])
                r = h.submit(self.port, tok, a)
                self.assertEqual(r.status, 200)
        return wave

    def release_of(self, wave, plan, name):
        """Releases wave with plan (a dict); returns tables.json and
        audit.json, parsed."""
        path = os.path.join(self.tmpdir, "plans", name + ".json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, name)
        p = h.run("release", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out, "--plan", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            tables = json.load(f)
        with open(os.path.join(out, "audit.json"), encoding="utf-8") as f:
            return tables, json.load(f)

    def test_release_e2e_response_without_unit_table(self):
        # No table of the plan is by unit: the response's figures are
        # the unit values' cells all the same, with the hierarchy's sums,
        # protected by the audit (D is rolled up at the top, so "other
        # units" is below k and NOT_STATED, 11, is hidden with it).
        units = [("A", 20, 25), ("A/B", 15, 15), ("C", 12, 30),
                 ("D", 4, 10), (None, 11, 11)]
        wave = self.fill_wave(units, 11)
        plan = dict(PLAN, tables=[
            {"id": "leeftijd_gender", "question": "leeftijd",
             "by": ["gender"]}])
        tables, audit = self.release_of(wave, plan, "release-nounit-table")
        self.assertFalse([r for r in tables["rows"] if r["by1"] == "unit"])
        listed = self.check_response(tables, audit, units)
        self.assertEqual(listed, ["A", "A/B", "C"])
        self.assertEqual(tables["response"]["units"][0]["cell"],
                         "u=A (direct)")
        hidden = {r["cell"]: r for r in audit["suppressed"]
                  if r["cell"].startswith("u=")}
        self.assertEqual({c: r["rule"] for c, r in hidden.items()},
                         {"u=other units": "k",
                          "u=NOT_STATED": "secondary"})
        self.assertEqual([(r["table"], r["lo"], r["hi"]) for r in
                          hidden.values()], [(None, 0, 15)] * 2)
        # A second release of the wave fixes the response's cells.
        again, _ = self.release_of(wave, plan, "release-nounit-table-2")
        self.assertEqual(again["response"], tables["response"])

    def store_per_batch_release(self, wave, listed):
        """Stores a release as one made while the response was per batch:
        listed is [(unit, answers)], one batch each; returns its id."""
        batch = {u: b for b, u in h.db_query(
            self.db, "SELECT id, unit FROM batches WHERE wave_id = ?",
            (wave,))}
        n = h.db_query(self.db, "SELECT count(*) FROM answers WHERE "
                       "wave_id = ?", (wave,))[0][0]
        tables = {"format": 1, "answers": n, "k": K, "c": C, "rows": [],
                  "response": [{"batch": batch[u], "unit": u,
                                "answered": a} for u, a in listed]}
        c = sqlite3.connect(self.db)
        try:
            with c:
                rid = c.execute(
                    "INSERT INTO releases (wave_id, created_day, manifest, "
                    "signature) VALUES (?, 20000, x'00', x'00')",
                    (wave,)).lastrowid
                c.execute("INSERT INTO release_files (release_id, name, "
                          "content) VALUES (?, 'tables.json', ?)",
                          (rid, json.dumps(tables).encode()))
        finally:
            c.close()
        return rid

    def drop_release(self, rid):
        c = sqlite3.connect(self.db)
        try:
            with c:
                c.execute("DELETE FROM release_files WHERE release_id = ?",
                          (rid,))
                c.execute("DELETE FROM releases WHERE id = ?", (rid,))
        finally:
            c.close()

    def test_release_e2e_response_after_release_per_batch(self):
        # The answers of the batches that a release listed while the
        # response was per batch stay public. Here the batch without a
        # unit (11 answers): NOT_STATED is fixed now, so C (12) is hidden
        # with "other units" (4) instead (compare the test above).
        units = [("A", 20, 25), ("A/B", 15, 15), ("C", 12, 30),
                 ("D", 4, 10), (None, 11, 11)]
        wave = self.fill_wave(units, 17)
        plan = dict(PLAN, tables=[
            {"id": "leeftijd_gender", "question": "leeftijd",
             "by": ["gender"]}])
        self.store_per_batch_release(wave, [(None, 11)])
        tables, audit = self.release_of(wave, plan, "release-after-batch")
        self.assertEqual(self.check_response(tables, audit, units),
                         ["A", "A/B", None])
        # A figure that differs from the answers now, and one of a unit
        # now below k (as after k is raised): refused, nothing written.
        for listed, why in (([("C", 13)], "counted 13 answers of unit C, "
                             "there are 12 now"),
                            ([("D", 4)], "a batch of unit D, which are "
                             "below the threshold now")):
            rid = self.store_per_batch_release(wave, listed)
            out = os.path.join(self.tmpdir, "release-after-batch-%d" % rid)
            path = os.path.join(self.tmpdir, "plans",
                                "release-after-batch.json")
            p = h.run("release", "--db", self.db, "--wave", wave, "--key",
                      self.key.path, "--passphrase-file",
                      self.key.pass_file, "--out", out, "--plan", path)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn(why, p.stderr)
            self.assertFalse(os.path.exists(out))
            self.drop_release(rid)
        # With a second batch of C, a listed batch of C had at most C's
        # answers: 13 contradicts the answers, 12 does not.
        h.issue_tokens(self.db, wave, K, unit="C")
        rid = self.store_per_batch_release(wave, [("C", 13)])
        out = os.path.join(self.tmpdir, "release-after-batch-%d" % rid)
        p = h.run("release", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out, "--plan", path)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("makes the published figures inconsistent", p.stderr)
        self.drop_release(rid)
        self.store_per_batch_release(wave, [("C", 12)])
        tables, audit = self.release_of(wave, plan, "release-after-batch-2")
        units[2] = ("C", 12, 30 + K)
        self.assertEqual(self.check_response(tables, audit, units),
                         ["A", "A/B", None])

    def test_release_e2e_response_answers_without_unit(self):
        # The answers carry no unit (the unit is a question): only the
        # tokens issued per batch label are known, and the response of
        # the whole wave; the release says so.
        definition = dict(DEFINITION, id="release-e2e-q",
                          unit={"source": "question", "question":
                                "afdeling"})
        definition["pages"] = [dict(DEFINITION["pages"][0], questions=[
            {"id": "afdeling", "type": "single", "label": T("Afdeling"),
             "options": [O("x"), O("y")]}]
            + DEFINITION["pages"][0]["questions"])]
        path = os.path.join(self.tmpdir, "release-e2e-q.json")
        with open(path, "w") as f:
            json.dump(definition, f)
        units = [("X", 12, 15), ("Y/Z", 11, 11), (None, 3, 10)]
        wave = self.fill_wave(units, 13, definition=path)
        plan = dict(PLAN, definition="release-e2e-q", tables=[
            {"id": "gezien_unit", "question": "gezien", "by": ["unit"]}])
        tables, audit = self.release_of(wave, plan, "release-q")
        self.assertEqual({r["by1"] for r in tables["rows"]}, {"afdeling"})
        resp = tables["response"]
        self.assertEqual((resp["answered_per_unit"], resp["issued"],
                          resp["answered"]), (False, 36, 26))
        self.assertAlmostEqual(resp["rate"], 26 / 36, places=4)
        self.assertIn("carry no unit", resp["note"])
        self.assertEqual(resp["units"], [
            {"unit": u, "issued": i, "answered": None, "rate": None,
             "cell": None} for u, _, i in units])
        self.assertFalse([r for r in audit["suppressed"]
                          if r["cell"].startswith("u=")])

    def test_release_e2e_compare_with_earlier_wave(self):
        # Two new waves: in the second, "Ruimte" is "Ruimte en Wonen".
        wave1 = self.fill_wave((("Ruimte", 40), ("Jeugd", 30)), 5)
        wave2 = self.fill_wave((("Ruimte en Wonen", 40), ("Jeugd", 30)), 7)
        plan1 = dict(PLAN, tables=[
            {"id": "leeftijd_unit", "question": "leeftijd", "by": ["unit"]},
            {"id": "zag_iets_gender", "indicator": "zag_iets",
             "by": ["gender"]}])
        path1 = os.path.join(self.tmpdir, "plans", "cmp1.json")
        with open(path1, "w") as f:
            json.dump(plan1, f)
        first = os.path.join(self.tmpdir, "release-cmp-1")
        p = h.run("release", "--db", self.db, "--wave", wave1, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", first, "--plan", path1)
        self.assertEqual(p.returncode, 0, p.stderr)
        name1 = h.db_query(self.db, "SELECT name FROM waves WHERE id = ?",
                           (wave1,))[0][0]
        plan = dict(plan1, compare_with=[name1], unit_map=[
            {"from": "Ruimte", "to": ["Ruimte en Wonen"]}])
        path = os.path.join(self.tmpdir, "plans", "cmp.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, "release-cmp-2")
        p = h.run("release", "--db", self.db, "--wave", wave2, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out, "--plan", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(first, "tables.json")) as f:
            old = {(r["table"], r["category"], r["by1_value"],
                    r["by2_value"]): r for r in json.load(f)["rows"]}
        with open(os.path.join(out, "tables.json")) as f:
            new = json.load(f)["rows"]
        z = norm.ppf(0.975)

        def wilson(x, n):
            p_, d = x / n, 1 + z * z / n
            c = (p_ + z * z / (2 * n)) / d
            w = z * ((p_ * (1 - p_) / n + z * z / (4 * n * n)) ** .5) / d
            return c - w, c + w

        checked, renamed = 0, 0
        for r in new:
            if not r["comparisons"]:
                continue
            ov = "Ruimte" if r["by2_value"] == "Ruimte en Wonen" else \
                r["by2_value"]
            ov1 = "Ruimte" if r["by1_value"] == "Ruimte en Wonen" else \
                r["by1_value"]
            o = old[(r["table"], r["category"], ov1, ov)]
            self.assertIsNotNone(o["count"])
            (c,) = r["comparisons"]
            self.assertEqual(c["with"], name1)
            # Both sides' percents are of their explicit bases.
            x1, n1 = r["count"], r["base_n"]
            x2, n2 = o["count"], o["base_n"]
            p1, p2 = x1 / n1, x2 / n2
            l1, u1 = wilson(x1, n1)
            l2, u2 = wilson(x2, n2)
            d = p1 - p2
            lo = d - ((p1 - l1) ** 2 + (u2 - p2) ** 2) ** .5
            hi = d + ((u1 - p1) ** 2 + (p2 - l2) ** 2) ** .5
            self.assertAlmostEqual(c["difference"], 100 * d, places=3)
            self.assertAlmostEqual(c["ci_low"], 100 * lo, places=3)
            self.assertAlmostEqual(c["ci_high"], 100 * hi, places=3)
            self.assertEqual(c["significant"], lo > 0 or hi < 0)
            checked += 1
            renamed += "Ruimte en Wonen" in (r["by1_value"], r["by2_value"])
        self.assertGreaterEqual(checked, 3)
        self.assertGreater(renamed, 0)

    def test_release_e2e_w_fewer_tables_refused(self):
        # A later release of the same wave must keep the earlier tables.
        first = os.path.join(self.tmpdir, "release-before-fewer")
        p = self.release(first)
        self.assertEqual(p.returncode, 0, p.stderr)
        plan = dict(PLAN, tables=PLAN["tables"][:3])
        path = os.path.join(self.tmpdir, "plans", "fewer.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, "release-fewer")
        p = self.release(out, plan=path)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("which this plan does not have", p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_release_e2e_w_lower_c_refused(self):
        # c belongs to the wave: a later release may not lower it.
        first = os.path.join(self.tmpdir, "release-before-c")
        p = self.release(first)
        self.assertEqual(p.returncode, 0, p.stderr)
        plan = dict(PLAN, c=2)
        path = os.path.join(self.tmpdir, "plans", "lower-c.json")
        with open(path, "w") as f:
            json.dump(plan, f)
        out = os.path.join(self.tmpdir, "release-lower-c")
        p = self.release(out, plan=path)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("may not lower it", p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_release_e2e_x_raised_k_refused(self):
        # Runs last (by name): k of the wave goes up, so a cell that an
        # earlier release published is below the threshold now; nothing
        # can hide it again, and the release is refused (exit 3).
        first = os.path.join(self.tmpdir, "release-before-k")
        p = self.release(first)
        self.assertEqual(p.returncode, 0, p.stderr)
        h.run_ok("wave", "set-k", "--db", self.db, "--wave", self.wave,
                 "--k", "60")
        out = os.path.join(self.tmpdir, "release-after-k")
        p = self.release(out)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("is below the threshold now", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
