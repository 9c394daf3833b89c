"""The instruments of survey-defs/ answered over HTTP, one path at a time.

For each instrument (inclusie-2026, ervaren-discriminatie-2026, melding)
a few paths through its conditions are walked page by page as a browser
would: the welcome page, POST nav=start, then each page's form sent back
with its hidden fields, the fields of the questions the page shows (read
from the HTML) and the Next or Send button. Each path is answered by k
respondents of one wave (k = 5, the minimum). A Python model of the
definition (pages, conditions, matrix items, prefer-not) predicts every
step: which page comes, which questions it shows, its progress text, its
buttons, the "more questions" notice. After the walks, `gehoord tally`
runs and its counts.csv is compared row by row with counts computed here
from the paths, with the suppression rules of server/release/counts_out.c
applied (below k and zero suppressed, the one-subtraction rule for
single and Likert questions, everything suppressed below k answers; for
a unit source "batch" the rows `_unit,unit,LABEL,N` per token batch
label). A stored answer that differed from what was sent would change a
count.

Also per instrument: answers to questions the conditions hide (and fields
of another page) are dropped, never stored (README: "Answers to questions
that a changed answer hides are dropped, never stored"; the multi-page
flow does not refuse them with 422), which the tally of a wave of such
respondents shows, also for follow-up answers already in the state when
Back and a changed answer hide them; and a required question left empty,
or an invalid answer, gives 422 with a link to the question in the error
summary and stores nothing, while the link keeps working.

`gehoord def check` passes on the instruments, demo.json and the
baseline, and its summary agrees with the model.
"""

import csv
import html.parser
import json
import os
import re
import unittest

import harness as h

KEY = h.ModuleKey()
DEFS = os.path.join(h.REPO_ROOT, "survey-defs")
K = 5                   # the smallest k a wave takes
PER_PATH = K            # respondents per path


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


# --------------------------------------------------------------------------
# A model of a definition: what is shown, what is stored, what is counted

def is_answered(v):
    if v is None:
        return False
    if isinstance(v, (list, tuple)):
        return len(v) > 0
    if isinstance(v, str):
        return v.strip() != ""
    return True


def as_list(v):
    return list(v) if isinstance(v, (list, tuple)) else [v]


class Instrument:
    """Pages, questions (matrix items as likert questions of their own, in
    file order, as the tally lists them) and conditions of a definition."""

    def __init__(self, name):
        self.path = os.path.join(DEFS, name)
        with open(self.path, encoding="utf-8") as f:
            d = json.load(f)
        self.json = d
        self.id = d["id"]
        scales = d.get("response_scales", {})
        self.pages = []         # {"id", "title", "show_if", "qids"}
        self.questions = {}     # id -> {"type", "options", ...}; ordered
        self.n_scales = len(d.get("scales", []))
        self.n_indicators = len(d.get("indicators", []))
        self.unit_source = d.get("unit", {}).get("source")
        pages = d.get("pages") or [{"id": "_", "questions": d["questions"]}]
        for pi, p in enumerate(pages):
            qids = []
            for q in p["questions"]:
                opts = self._options(q, scales)
                if q["type"] == "matrix":
                    for it in q["items"]:
                        self._add(it["id"], "likert", opts, q, pi)
                        qids.append(it["id"])
                else:
                    self._add(q["id"], q["type"], opts, q, pi)
                    qids.append(q["id"])
            self.pages.append({"id": p["id"], "show_if": p.get("show_if"),
                               "title": (p.get("title") or {}).get("nl"),
                               "qids": qids})

    @staticmethod
    def _options(q, scales):
        if q["type"] in ("text", "number"):
            return None
        if "options" in q:
            ids = [o["id"] for o in q["options"]]
        else:
            ids = [o["id"] for o in scales[q["scale"]]]
        if q.get("prefer_not"):
            ids.append("_prefer_not")
        return ids

    def _add(self, qid, qtype, opts, q, pi):
        exclusive = set()
        if qtype == "multi":
            exclusive = {o["id"] for o in q["options"] if o.get("exclusive")}
            if q.get("prefer_not"):
                exclusive.add("_prefer_not")
        self.questions[qid] = {
            "type": qtype, "options": opts, "show_if": q.get("show_if"),
            "required": bool(q.get("required")), "page": pi,
            "exclusive": exclusive, "max_length": q.get("max_length")}

    def page_of(self, qid):
        return self.questions[qid]["page"]

    def cond(self, c, eff):
        """Condition c given the effective answers eff (shown, answered)."""
        if "all" in c:
            return all(self.cond(x, eff) for x in c["all"])
        if "any" in c:
            return any(self.cond(x, eff) for x in c["any"])
        if "not" in c:
            return not self.cond(c["not"], eff)
        v = eff.get(c["question"])
        if "any_of" in c:
            return v is not None and bool(set(as_list(v)) & set(c["any_of"]))
        if "none_of" in c:
            return v is not None and not (set(as_list(v)) &
                                          set(c["none_of"]))
        if "answered" in c:
            return (v is not None) == c["answered"]
        if "at_least" in c:
            return isinstance(v, int) and v >= c["at_least"]
        if "at_most" in c:
            return isinstance(v, int) and v <= c["at_most"]
        raise AssertionError("unknown condition %r" % c)

    def view(self, given):
        """One pass in file order: (shown pages, shown questions, the
        answers that count: those of shown questions that are answered)."""
        eff, pages, shown = {}, [], set()
        for pi, p in enumerate(self.pages):
            p_shown = p["show_if"] is None or self.cond(p["show_if"], eff)
            if p_shown:
                pages.append(pi)
            for qid in p["qids"]:
                q = self.questions[qid]
                if not p_shown or (q["show_if"] is not None and
                                   not self.cond(q["show_if"], eff)):
                    continue
                shown.add(qid)
                if is_answered(given.get(qid)):
                    eff[qid] = given[qid]
        return pages, shown, eff

    def stored(self, path):
        return self.view(path)[2]

    def page_questions(self, pi, given):
        shown = self.view(given)[1]
        return [q for q in self.pages[pi]["qids"] if q in shown]

    def n_conditional(self):
        return sum(1 for q in self.questions.values()
                   if q["show_if"] is not None or
                   self.pages[q["page"]]["show_if"] is not None)

    def check_path(self, path):
        """A path answers only questions it shows, with valid values."""
        eff = self.stored(path)
        for qid, v in path.items():
            q = self.questions[qid]
            if not is_answered(v):
                continue
            if qid not in eff:
                raise AssertionError("%s: path answers hidden question %s"
                                     % (self.id, qid))
            if q["options"] is not None:
                vals = as_list(v)
                bad = [x for x in vals if x not in q["options"]]
                if bad or (q["type"] != "multi" and len(vals) != 1):
                    raise AssertionError("%s: bad value %r for %s"
                                         % (self.id, v, qid))
                if len(vals) > 1 and set(vals) & q["exclusive"]:
                    raise AssertionError("%s: exclusive option with "
                                         "another in %s" % (self.id, qid))
        for qid in self.view(path)[1]:
            if self.questions[qid]["required"] and qid not in eff:
                raise AssertionError("%s: path leaves required %s empty"
                                     % (self.id, qid))

    def expected_counts(self, answers, k, units=None):
        """The rows of counts.csv for these stored answers (a list of
        dicts; units: the unit label of each one's token batch, None for a
        batch without one), with the threshold and the one-subtraction
        rule applied. Returns (rows, number of questions or unit tables
        the one-subtraction rule hit)."""
        n = len(answers)

        def vis(v):
            return n >= k and v >= k

        def cell(v, shown):
            return str(v) if shown else "suppressed"

        rows = [["_all", "", "_answers", cell(n, vis(n))]]
        subtracted = 0
        for qid, q in self.questions.items():
            opts = q["options"] or []
            answered = sum(1 for a in answers if qid in a)
            counts = [sum(1 for a in answers
                          if qid in a and o in as_list(a[qid]))
                      for o in opts]
            shown0 = vis(answered)
            shown = [vis(c) for c in counts]
            if (q["type"] != "multi" and opts and shown0 and
                    shown.count(False) == 1):
                subtracted += 1
                best = None
                for j, c in enumerate(counts):
                    if shown[j] and (best is None or c < counts[best]):
                        best = j
                if best is not None:
                    shown[best] = False
                else:
                    shown0 = False
            rows.append([qid, q["type"], "_answered",
                         cell(answered, shown0)])
            for o, c, s in zip(opts, counts, shown):
                rows.append([qid, q["type"], o, cell(c, s)])
        if self.unit_source == "batch":
            # Answers per unit label (sorted as strcmp sorts them), then
            # those of batches without one; they add up to all answers,
            # so one hidden count takes the smallest visible one along.
            units = units or [None] * n
            labels = sorted({u for u in units if u},
                            key=lambda u: u.encode("utf-8"))
            counts = [units.count(u) for u in labels]
            no_unit = units.count(None)
            shown = [vis(c) for c in counts] + [vis(no_unit)]
            hidden = shown[:-1].count(False) + (no_unit > 0 and
                                               not shown[-1])
            if hidden == 1:
                all_counts = counts + [no_unit]
                best = None
                for j, c in enumerate(all_counts):
                    if (shown[j] and (j < len(counts) or no_unit > 0) and
                            (best is None or c < all_counts[best])):
                        best = j
                if best is not None:
                    subtracted += 1
                    shown[best] = False
            for u, c, s in zip(labels, counts, shown):
                rows.append(["_unit", "unit", u, cell(c, s)])
            if no_unit:
                rows.append(["_unit", "unit", "", cell(no_unit, shown[-1])])
        return rows, subtracted


# --------------------------------------------------------------------------
# A browser, as far as these forms need one

class PageParser(html.parser.HTMLParser):
    """A survey page: hidden fields, the q_ fields in document order with
    their kind and offered values, nav buttons, h2, progress, notice,
    error summary links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = []        # [(name, value)] in document order
        self.fields = {}        # q name -> kind (radio, checkbox, ...)
        self.order = []         # q names in document order
        self.values = {}        # q name -> offered option values
        self.navs = []
        self.h2 = []
        self.progress = None
        self.notice = None
        self.error_links = []
        self._in = None
        # Open divs, each True where it or one around it is a follow-up
        # not asked yet (hidden until a script shows it; without one the
        # page comes back with it shown once its condition holds).
        self._divs = []

    def _field(self, name, kind):
        if self._divs and self._divs[-1]:
            return
        if name not in self.fields:
            self.fields[name] = kind
            self.order.append(name)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "div":
            self._divs.append(bool(self._divs and self._divs[-1]) or
                              ("followup" in a.get("class", "").split()
                               and "hidden" in a))
        elif tag == "input":
            t = a.get("type", "text")
            if t == "hidden":
                self.hidden.append((name, a.get("value", "")))
            elif name and name.startswith("q_"):
                self._field(name, t)
                if t in ("radio", "checkbox") and \
                        not (self._divs and self._divs[-1]):
                    self.values.setdefault(name, []).append(a.get("value"))
        elif tag == "textarea" and name:
            self._field(name, "textarea")
        elif tag == "button" and name == "nav":
            self.navs.append(a.get("value"))
        elif tag == "a" and a.get("href", "").startswith("#q-"):
            self.error_links.append(a["href"][3:])
        elif tag == "h2" and a.get("id") != "error-summary-title":
            self._in = "h2"
            self.h2.append("")
        elif tag == "p" and a.get("class") in ("progress", "notice"):
            self._in = a.get("class")
            setattr(self, self._in, "")

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs.pop()
        if tag in ("h2", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h2":
            self.h2[-1] += data
        elif self._in in ("progress", "notice"):
            setattr(self, self._in, getattr(self, self._in) + data)

    def hidden_value(self, name):
        for k, v in self.hidden:
            if k == name:
                return v
        return None


def parse_page(body):
    p = PageParser()
    p.feed(body)
    p.close()
    return p


MSG = h.load_messages("nl")
THANKS = MSG["page.thanks.heading"]


class Walker:
    """One respondent (one token) walking an instrument in Dutch. .given
    is what the server holds (the answers of the state) as the model sees
    it; every response is checked against the model's prediction."""

    def __init__(self, test, inst, token):
        self.t = test
        self.inst = inst
        self.token = token
        self.given = {}
        self.page = None
        self.pi = None
        self.r = None
        self.done = False

    def _post(self, pairs):
        self.r = h.post(self.t.port, "/s/" + self.token, pairs)
        return self.r

    def start(self):
        r = h.get(self.t.port, "/s/" + self.token)
        self.t.assertEqual(r.status, 200, r.body[:2000])
        self.t.assertIn('name="nav" value="start"', r.body)
        r = self._post([("lang", "nl"), ("nav", "start")])
        self.t.assertEqual(r.status, 200, r.body[:2000])
        self.check_render(self.inst.view({})[0][0], kept=self.given)

    def check_render(self, pi, notice=None, errors=None, kept=None):
        """The page shown is page pi, as the model predicts it."""
        inst, t = self.inst, self.t
        self.page = p = parse_page(self.r.body)
        where = "%s page %s" % (inst.id, inst.pages[pi]["id"])
        t.assertIsNotNone(p.hidden_value("state"), where)
        t.assertEqual(int(p.hidden_value("page")), pi, where)
        self.pi = pi
        # The questions the answers so far show, no more and no fewer.
        want = ["q_" + q for q in inst.page_questions(pi, kept)]
        t.assertEqual(p.order, want, where)
        for name, kind in p.fields.items():
            q = inst.questions[name[2:]]
            if q["options"] is not None:
                t.assertEqual(kind, "checkbox" if q["type"] == "multi"
                              else "radio", name)
                t.assertEqual(p.values[name], q["options"], name)
            else:
                t.assertEqual(kind, "textarea" if q["type"] == "text"
                              else "number", name)
        title = inst.pages[pi]["title"]
        if title is not None:
            t.assertEqual(p.h2[:1], [title], where)
        # Progress: the pages shown up to this one, and after it those
        # that can still be shown (shown given the answers, or hidden by
        # a condition later answers may meet); on the last page no more.
        shown_pages = inst.view(kept)[0]
        is_last = not any(x > pi for x in shown_pages)
        number = len([x for x in set(shown_pages) | {pi} if x <= pi])
        later = [x for x in range(pi + 1, len(inst.pages))
                 if x in shown_pages or inst.pages[x]["show_if"] is not None]
        total = number + (0 if is_last else len(later))
        t.assertEqual(p.progress, "Pagina %d van %d" % (number, total),
                      where)
        want_navs = ["submit" if is_last else "next"]
        if any(x < pi for x in shown_pages):
            want_navs.append("back")
        # Every page offers to save and continue later.
        want_navs.append("save")
        t.assertEqual(p.navs, want_navs, where)
        t.assertEqual(p.notice, notice, where)
        if errors is None:
            t.assertNotIn('class="error-summary"', self.r.body, where)
            # What the state holds for this page is shown again.
            form = h.parse_form(self.r.body)
            want = {}
            for q in inst.page_questions(pi, kept):
                v = kept.get(q)
                if v is not None and inst.questions[q]["options"]:
                    want["q_" + q] = sorted(as_list(v))
                elif v is not None:
                    t.assertEqual(form.textareas.get("q_" + q),
                                  v.replace("\r\n", "\n"), where)
            t.assertEqual({n: sorted(v) for n, v in form.checked.items()},
                          want, where)
        else:
            t.assertIn('class="error-summary"', self.r.body, where)
            t.assertIn(MSG["error.not_stored"], h.page_text(self.r.body))
            t.assertEqual(p.error_links, errors, where)

    def send(self, answers, extras=(), invalid=(), status=200, back=False):
        """Sends the current page as a browser would: its hidden fields,
        for each question on it the path's answer (an empty text or
        number box is sent empty, an unticked choice not at all), extras
        (raw (question id, value) pairs a browser would not send) and the
        forward button (or Back). invalid: questions whose answer is wrong
        on purpose. Checks the response against the model."""
        inst, t, p = self.inst, self.t, self.page
        pi = self.pi
        pairs = list(p.hidden)
        for qid in answers:
            t.assertIn("q_" + qid, p.fields,
                       "%s: %s is not on page %s" % (inst.id, qid,
                                                     inst.pages[pi]["id"]))
        for name in p.order:
            qid = name[2:]
            v = answers.get(qid)
            if p.fields[name] in ("radio", "checkbox"):
                for x in as_list(v) if is_answered(v) else []:
                    if qid not in invalid:
                        t.assertIn(x, p.values[name], name)
                    pairs.append((name, x))
            else:
                pairs.append((name, "" if v is None else str(v)))
        pairs += [("q_" + q, v) for q, v in extras]
        nav = "back" if back else p.navs[0]
        t.assertIn(nav, p.navs)
        pairs.append(("nav", nav))
        self._post(pairs)

        # The model: this page's answers replace the ones kept for it;
        # answers the new answers hide are dropped.
        kept = self.given
        new = {q: v for q, v in kept.items() if inst.page_of(q) != pi}
        new.update({q: v for q, v in answers.items()
                    if is_answered(v) and q not in invalid})
        new = inst.view(new)[2]
        self.given = new
        before = set(inst.page_questions(pi, kept))
        after = set(inst.page_questions(pi, new))
        where = "%s page %s" % (inst.id, inst.pages[pi]["id"])
        if back:
            # Back keeps this page's answers and checks nothing.
            t.assertEqual(self.r.status, 200, where)
            self.check_render(max(x for x in inst.view(new)[0] if x < pi),
                              kept=new)
            return
        if after - before:
            t.assertEqual(status, 200, "%s: the model expects new "
                          "questions here, not a %d" % (where, status))
            t.assertEqual(self.r.status, 200, where)
            self.check_render(pi, notice=MSG["form.more_questions"],
                              kept=new)
            return
        if status != 200:
            t.assertEqual(self.r.status, status, "%s: %s" % (
                where, self.r.body[:3000]))
            self.check_render(pi, errors=[q for q in invalid], kept=new)
            return
        t.assertEqual(self.r.status, 200, "%s: %s" % (where,
                                                      self.r.body[:3000]))
        nxt = [x for x in inst.view(new)[0] if x > pi]
        if nxt:
            self.check_render(nxt[0], kept=new)
        elif nav == "submit":
            t.assertIn(THANKS, h.page_text(self.r.body), where)
            t.assertNotIn('name="state"', self.r.body)
            self.done = True
        else:
            self.check_render(pi, notice=MSG["form.last_page"], kept=new)

    def page_answers(self, path):
        """The answers of path to the questions the current page shows."""
        return {q: path[q] for q in (n[2:] for n in self.page.order)
                if q in path}

    def walk(self, path, extras=None):
        """Walks (on from the current page, or from the welcome page) to
        the thank-you page, answering from path; extras: page id ->
        [(question id, value)] also sent on that page."""
        extras = extras or {}
        if self.page is None:
            self.start()
        for _ in range(3 * len(self.inst.pages)):
            pid = self.inst.pages[self.pi]["id"]
            self.send(self.page_answers(path), extras.get(pid, ()))
            if self.done:
                break
        self.t.assertTrue(self.done, "%s: no thank-you page" % self.inst.id)
        self.t.assertEqual(self.given, self.inst.stored(path))


# --------------------------------------------------------------------------
# The paths. Values as a browser sends them: option ids (a list for a
# multi), text as typed (CR LF line ends).

ERVAREN_OVER_JOU = {
    "leeftijd": "25_34", "gender": "vrouw", "werk_soort": "uitvoering",
    "schaal": "9_11", "leidinggevende": "nee",
    "beperking": "nee", "chronische_ziekte": "nee",
    "neurodivergentie": "nee", "seksuele_orientatie": "hetero",
    # Born in the Netherlands, and both parents: all three questions.
    "geboorteland": "nederland", "geboorteland_moeder": "nederland",
    "geboorteland_vader": "nederland", "culturele_achtergrond": "nederlands",
}

ERVAREN_PATHS = {
    # Nothing experienced: the pages about it and about reporting are
    # skipped (3 pages).
    "niets_meegemaakt": dict(ERVAREN_OVER_JOU, **{
        "ongewenst_gedrag": ["geen"], "discriminatie_twijfel": "nee",
        "gezien_bij_collega": ["geen"],
    }),
    # Discrimination and bullying, reported: the reporting follow-ups
    # (where, the matrix, satisfaction) on the same page; gender
    # self-described shows the free text.
    "discriminatie_gemeld": {
        "ongewenst_gedrag": ["pesten", "discriminatie"],
        "discriminatie_twijfel": "nee",
        "gezien_bij_collega": ["discriminatie", "ander_ongewenst_gedrag"],
        "grond": ["herkomst", "geloof"],
        "door_wie": ["leidinggevende", "collega"], "hoe_vaak": "2_5",
        "gemeld": "ja",
        "waar_gemeld": ["vertrouwenspersoon_extern", "discriminatie_nl"],
        "af_serieus": "4", "af_op_de_hoogte": "3", "af_regie": "2",
        "af_actie": "_prefer_not", "nadelige_gevolgen": "nee",
        "tevreden_afhandeling": "4",
        "leeftijd": "35_44", "gender": "anders",
        "gender_self": "genderfluïde", "werk_soort": "beleid",
        "schaal": "12_plus", "leidinggevende": "ja",
        "beperking": "ja_niet_zichtbaar",
        # The mother born outside the Netherlands: the father is not
        # asked.
        "geboorteland": "nederland", "geboorteland_moeder": "marokko",
        "culturele_achtergrond": "meerdere",
        "chronische_ziekte": "ja", "neurodivergentie": "weet_niet",
        "seksuele_orientatie": "biseksueel",
        "toelichting": "Het werd serieus genomen.\r\nDank & <groet>.",
    },
    # "None of these", but in doubt whether something was discrimination:
    # the doubt alone opens the follow-up pages; not reported, so the
    # why-not question is shown instead of the reporting follow-ups.
    "twijfel_niet_gemeld": {
        "ongewenst_gedrag": ["geen"], "discriminatie_twijfel": "ja",
        "grond": ["weet_niet"], "door_wie": ["inwoner_klant"],
        "hoe_vaak": "1", "gemeld": "nee",
        "waarom_niet_gemeld": ["bang_gevolgen", "niet_anoniem",
                               "twijfel_wat"],
        "leeftijd": "tot_25", "gender": "man", "werk_soort": "beide",
        "toelichting": "   ",       # only spaces: not answered
    },
    # Abuse of power and micro-aggressions, reported at three places;
    # negative consequences, and the report is still being handled (an
    # answer that is not substantive).
    "machtsmisbruik_loopt_nog": dict(ERVAREN_OVER_JOU, **{
        "ongewenst_gedrag": ["micro_agressie", "machtsmisbruik"],
        "discriminatie_twijfel": "ja", "gezien_bij_collega": ["geen"],
        "grond": ["leeftijd", "anders"], "door_wie": ["onbekend"],
        "hoe_vaak": "meer_dan_5", "gemeld": "ja",
        "waar_gemeld": ["huis_klokkenluiders", "or", "bedrijfsarts"],
        "af_serieus": "3", "af_op_de_hoogte": "_prefer_not",
        "nadelige_gevolgen": "ja", "tevreden_afhandeling": "loopt_nog",
    }),
    # "I'd rather not say" everywhere it is offered: counts as answered,
    # but opens no follow-up page.
    "liever_niet": {
        "ongewenst_gedrag": ["_prefer_not"],
        "discriminatie_twijfel": "_prefer_not",
        "gezien_bij_collega": ["_prefer_not"],
        "leeftijd": "_prefer_not", "gender": "_prefer_not",
        "werk_soort": "_prefer_not", "schaal": "_prefer_not",
        "leidinggevende": "_prefer_not", "geboorteland": "_prefer_not",
        "culturele_achtergrond": "_prefer_not",
        "beperking": "_prefer_not", "chronische_ziekte": "_prefer_not",
        "neurodivergentie": "_prefer_not",
        "seksuele_orientatie": "_prefer_not",
    },
}

INCLUSIE_POSITIEF = {
    "gg_mezelf": "4", "gg_erbij": "5", "gg_geluisterd": "4",
    "gg_serieus": "4", "gw_werk": "4", "gw_kennis": "4",
    "gw_andere_kijk": "5", "gw_verschillen": "3",
    "sv_fouten": "4", "sv_lastig": "4", "sv_respect": "5",
    "sv_onveilig": "1", "gk_behandeling": "4", "gk_taken": "4",
    "gk_ontwikkeling": "3", "gk_harder": "1",
    "doorgroei_gelijk": "weet_niet",
    "il_eerlijk": "4", "il_open": "4", "il_vraagt": "4",
    "il_behoeften": "4", "il_ingrijpen": "5", "il_voorbeeld": "4",
    "sp_collega": "4", "sp_leidinggevende": "3", "sp_team": "4",
    "sp_kritiek": "4", "ml_weet_waar": "4", "ml_vertrouwen": "4",
    "omstander_gezien": "nee",
    "bw_herkennen": "4", "bw_eigen_gedrag": "4", "bw_taal": "5",
    "it_team_taal": "4", "gedragscode_kennis": "goed",
    "team_afspraken": "ja", "team_afspraken_naleven": "4",
    "aanpassingen_nodig": "nee",
    "ondersteuning": ["niet_nodig"], "omstanderstraining": "nee",
    "trainingen": ["geen"], "aanpak_merkbaar": "beetje",
    "verandering_werkvloer": "gelijk", "vertrekintentie": "nee",
    "leeftijd": "45_54", "gender": "man", "werk_soort": "uitvoering",
    "schaal": "tot_8", "leidinggevende": "nee",
    # The mother's country not known: the father's is asked.
    "geboorteland": "nederland", "geboorteland_moeder": "weet_niet",
    "geboorteland_vader": "suriname", "culturele_achtergrond": "surinaams",
    "beperking": "nee", "chronische_ziekte": "nee",
    "neurodivergentie": "nee", "seksuele_orientatie": "hetero",
}

INCLUSIE_PATHS = {
    # Agrees, saw nothing, needs no adjustments: the bystander question
    # and the accessibility matrix stay hidden.
    "positief": INCLUSIE_POSITIEF,
    # Saw unwanted behaviour and did something; needs adjustments, so
    # the accessibility matrix shows (on the same page, after Next).
    "omstander_aanpassingen": {
        "gg_mezelf": "2", "gg_erbij": "2", "gg_geluisterd": "3",
        "gg_serieus": "1", "gw_werk": "3", "gw_kennis": "2",
        "gw_andere_kijk": "1", "gw_verschillen": "2",
        "sv_fouten": "2", "sv_lastig": "1", "sv_respect": "3",
        "sv_onveilig": "4", "gk_behandeling": "2", "gk_taken": "2",
        "gk_ontwikkeling": "1", "gk_harder": "_prefer_not",
        "doorgroei_gelijk": "sommigen_minder",
        "il_eerlijk": "2", "il_open": "3", "il_vraagt": "_prefer_not",
        "il_behoeften": "2", "il_ingrijpen": "1", "il_voorbeeld": "2",
        "sp_collega": "5", "sp_leidinggevende": "2", "sp_team": "3",
        "sp_kritiek": "2", "ml_weet_waar": "2", "ml_vertrouwen": "1",
        "omstander_gezien": "ja", "omstander_actie": ["steun", "gemeld"],
        "bw_herkennen": "5", "bw_eigen_gedrag": "_prefer_not",
        "bw_taal": "3", "it_team_taal": "2",
        "gedragscode_kennis": "onbekend", "team_afspraken": "nee",
        "aanpassingen_nodig": "ja", "tg_fysiek": "2", "tg_digitaal": "3",
        "tg_begrip": "_prefer_not", "tg_geregeld": "2", "tg_moeite": "4",
        # Support that helped a little; a bystander training and two
        # others, so the training matrix shows; in two minds about
        # leaving, so the reasons show (on the same page, after Next).
        "ondersteuning": ["lotgenoten", "coaching"],
        "ondersteuning_geholpen": "beetje", "omstanderstraining": "ja",
        "trainingen": ["empowerment", "e_learning_gedragscode"],
        "tr_geleerd": "4", "tr_toegepast": "_prefer_not",
        "aanpak_merkbaar": "niets", "verandering_werkvloer": "minder",
        "vertrekintentie": "twijfel",
        "vertrek_redenen": ["collegas", "ongewenst_gedrag",
                            "toegankelijkheid"],
        "leeftijd": "25_34", "gender": "anders",
        "gender_self": "Niet in één woord", "werk_soort": "beleid",
        "schaal": "9_11", "leidinggevende": "nee",
        "geboorteland": "caribisch", "culturele_achtergrond": "caribisch",
        "beperking": "ja_zichtbaar",
        "chronische_ziekte": "ja", "neurodivergentie": "ja",
        "seksuele_orientatie": "homo_lesbisch",
        "toelichting": "Meer aandacht voor toegankelijkheid, graag.",
    },
    # Saw it and did nothing (the exclusive answer); would rather not say
    # about the manager and about adjustments (the matrix stays hidden).
    "omstander_niets_liever_niet": dict({
        "il_" + x: "_prefer_not" for x in (
            "eerlijk", "open", "vraagt", "behoeften", "ingrijpen",
            "voorbeeld")}, **{
        "gg_mezelf": "3", "gw_werk": "_prefer_not", "sv_onveilig": "3",
        "sp_collega": "1", "ml_weet_waar": "_prefer_not",
        "omstander_gezien": "ja",
        "omstander_actie": ["niets"], "team_afspraken": "weet_niet",
        "aanpassingen_nodig": "_prefer_not",
        # Only a training of the list: the training matrix shows. Work
        # ends anyway: no reasons asked.
        "ondersteuning": ["_prefer_not"], "omstanderstraining": "weet_niet",
        "trainingen": ["leiderschap"], "tr_geleerd": "2",
        "verandering_werkvloer": "korter", "vertrekintentie": "stopt",
        "leeftijd": "55_plus", "gender": "_prefer_not",
        "geboorteland": "nederland", "geboorteland_moeder": "_prefer_not",
        "schaal": "weet_niet", "seksuele_orientatie": "twijfel",
    }),
    # Nothing answered at all (nothing is required): an answer with no
    # question answered is still one answer.
    "niets_ingevuld": {},
}

MELDING_PATHS = {
    "zelf_gesprek": {
        "wat_gebeurd": "Tijdens het overleg werd een grap gemaakt over "
                       "mijn afkomst.\r\nDat gebeurt vaker. \"Grapje\", "
                       "zeggen ze dan.",
        "betrokkenheid": "zelf", "wanneer": "afgelopen_week",
        "nog_gaande": "ja", "vorm": ["micro_agressie", "discriminatie"],
        "grond": ["herkomst", "huidskleur"], "door_wie": ["collega"],
        "cluster": "sociaal", "wensen": ["gesprek", "vertrouwenspersoon"],
        "toestemming": "ja_lezen_reageren",
    },
    "gezien_alleen_registreren": {
        "wat_gebeurd": "Ik zag dat een collega steeds werd buitengesloten.",
        "betrokkenheid": "ander", "wanneer": "1_6_maanden",
        "nog_gaande": "weet_niet", "vorm": ["buitensluiten"],
        "grond": ["weet_niet"], "door_wie": ["_prefer_not"],
        "cluster": "_prefer_not", "wensen": ["alleen_registreren"],
        "toestemming": "ja_alleen_lezen",
    },
    # Only the two required questions, the text at its full length.
    "alleen_verplicht": {
        "wat_gebeurd": ("Één lange melding. " * 211)[:4000],
        "toestemming": "ja_lezen_reageren",
    },
}


# --------------------------------------------------------------------------
# The tests

class DefCheckTest(unittest.TestCase):
    """`gehoord def check` on every file of survey-defs/."""

    SUMMARY = re.compile(
        r": ok: '([a-z0-9_-]+)', (\d+) pages?, (\d+) questions \((\d+) "
        r"shown only under a condition\), (\d+) scales?, (\d+) "
        r"indicators?, ")

    def test_instruments_and_demo_pass(self):
        for name in ("inclusie-2026.json", "ervaren-discriminatie-2026.json",
                     "melding.json", "demo.json"):
            with self.subTest(name=name):
                inst = Instrument(name)
                p = h.run("def", "check", inst.path)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                m = self.SUMMARY.search(p.stdout)
                self.assertIsNotNone(m, p.stdout)
                self.assertIn(inst.path, p.stdout)
                self.assertEqual(
                    m.groups(),
                    (inst.id, str(len(inst.pages)), str(len(inst.questions)),
                     str(inst.n_conditional()), str(inst.n_scales),
                     str(inst.n_indicators)), p.stdout)
        p = h.run("def", "check", Instrument(
            "ervaren-discriminatie-2026.json").path)
        self.assertIn("baseline 'verwey-jonker-2024' (2024): 3 indicators "
                      "linked, all found", p.stdout)

    def test_baseline_passes(self):
        path = os.path.join(DEFS, "baseline", "verwey-jonker-2024.json")
        with open(path, encoding="utf-8") as f:
            b = json.load(f)
        p = h.run("def", "check", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("%s: ok: baseline '%s' (%d), indicators: "
                      % (path, b["id"], b["year"]), p.stdout)
        for ind in b["indicators"]:
            self.assertIn("%s %.1f%%" % (ind["id"], ind["percent"]),
                          p.stdout)


class ReferenceFiguresTest(unittest.TestCase):
    """survey-defs/reference/amsterdam.json (survey-defs/README.md,
    "Reference figures"): every key and text as documented, and every
    figure compares only with what exists: the definition, its indicator
    or question and options, the questions of the CBS origin, and the
    tables of its standard plan."""

    ID = re.compile(r"^[a-z0-9_-]{1,40}$")
    FIGURE_KEYS = {"id", "label", "value", "unit", "kind", "year",
                   "population", "source", "note", "compares_with"}
    COMPARE_KEYS = {"definition", "indicator", "question", "derived",
                    "any_of", "among", "tables", "note"}
    ORIGIN = ("geboorteland", "geboorteland_moeder", "geboorteland_vader")

    def text(self, t, where):
        self.assertEqual(set(t), {"nl", "en"}, where)
        for lang in ("nl", "en"):
            self.assertTrue(t[lang].strip(), where)

    def test_reference_file(self):
        path = os.path.join(DEFS, "reference", "amsterdam.json")
        with open(path, encoding="utf-8") as f:
            ref = json.load(f)
        self.assertEqual(set(ref), {"format", "kind", "id", "title",
                                    "figures"})
        self.assertEqual((ref["format"], ref["kind"], ref["id"]),
                         (1, "reference", "amsterdam"))
        self.text(ref["title"], "title")
        insts, plans, ids = {}, {}, set()
        for fig in ref["figures"]:
            where = fig.get("id")
            self.assertLessEqual(set(fig), self.FIGURE_KEYS, where)
            self.assertLessEqual(self.FIGURE_KEYS - {"note"}, set(fig),
                                 where)
            self.assertRegex(fig["id"], self.ID)
            self.assertNotIn(fig["id"], ids)
            ids.add(fig["id"])
            for k in ("label", "population", "source"):
                self.text(fig[k], "%s.%s" % (where, k))
            if "note" in fig:
                self.text(fig["note"], where + ".note")
            self.assertEqual(fig["unit"], "percent", where)
            self.assertIn(fig["kind"], ("measured", "target",
                                        "growth_target"), where)
            self.assertIsInstance(fig["value"], (int, float), where)
            self.assertTrue(0 <= fig["value"] <= 100, where)
            self.assertIsInstance(fig["year"], int, where)
            self.assertTrue(1900 <= fig["year"] <= 2100, where)
            for c in fig["compares_with"]:
                self.check_compare(c, where, insts, plans)
        self.assertGreaterEqual(len(ids), 1)

    def check_compare(self, c, where, insts, plans):
        self.assertLessEqual(set(c), self.COMPARE_KEYS, where)
        name = c["definition"]
        if name not in insts:
            insts[name] = Instrument(name + ".json")
            with open(os.path.join(DEFS, "plans", name + ".json"),
                      encoding="utf-8") as f:
                plans[name] = {t["id"] for t in json.load(f)["tables"]}
        inst = insts[name]
        what = [k for k in ("indicator", "question", "derived") if k in c]
        self.assertEqual(len(what), 1, where)
        if "indicator" in c:
            self.assertIn(c["indicator"], [i["id"] for i in
                                           inst.json["indicators"]], where)
            self.assertNotIn("any_of", c, where)
            opts = None
        elif "question" in c:
            opts = inst.questions[c["question"]]["options"]
        else:
            self.assertEqual(c["derived"], "herkomst_cbs", where)
            for q in self.ORIGIN:
                self.assertIn(q, inst.questions, where)
            opts = inst.questions["geboorteland"]["options"]
        if opts is not None:
            self.assertTrue(c["any_of"], where)
            self.assertLessEqual(set(c["any_of"]), set(opts), where)
        if "among" in c:
            q = inst.questions[c["among"]["question"]]
            self.assertLessEqual(set(c["among"]["any_of"]),
                                 set(q["options"]), where)
        self.assertTrue(c["tables"], where)
        self.assertEqual(set(c["tables"]) - plans[name], set(), where)
        if "note" in c:
            self.text(c["note"], where + ".compares_with.note")


class InstrumentMixin:
    """The tests of one instrument; a subclass sets DEF, PATHS, HIDDEN."""

    DEF = None
    PATHS = None
    # (path name, {page id: [(question id, value)]}): answers a browser
    # would not send, for questions the path hides or of another page.
    HIDDEN = None
    # path name -> unit label of its respondents' token batch (none if
    # absent); the tally counts units for a unit source "batch".
    UNITS = {}

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        cls.inst = Instrument(cls.DEF)
        for path in cls.PATHS.values():
            cls.inst.check_path(path)
        super().setUpClass()

    def new_wave(self, n_tokens, k=K):
        wave = h.make_wave(self.db, self.key, k=k, definition=self.inst.path)
        # A batch is at least k tokens (tokens issue refuses fewer).
        tokens = h.issue_tokens(self.db, wave, max(n_tokens, k),
                                base_url="http://127.0.0.1:%d" % self.port)
        return wave, tokens[:n_tokens]

    def tally(self, wave, name):
        out = os.path.join(self.tmpdir, "tally-%s-%d" % (name, wave))
        p = h.run("tally", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "counts.csv"), newline="",
                  encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["question", "type", "option", "count"])
        return rows[1:]

    def assertCounts(self, got, stored, k=K, units=None):
        want, subtracted = self.inst.expected_counts(stored, k, units)
        self.assertEqual(len(got), len(want))
        for g, w in zip(got, want):
            self.assertEqual(g, w)
        return want, subtracted

    def test_paths_stored_exactly(self):
        wave = h.make_wave(self.db, self.key, k=K, definition=self.inst.path)
        stored, units = [], []
        for name in sorted(self.PATHS):
            # Each path's respondents have a batch (and unit) of their own.
            unit = self.UNITS.get(name)
            tokens = h.issue_tokens(self.db, wave, PER_PATH, unit=unit,
                                    base_url="http://127.0.0.1:%d"
                                    % self.port)
            path = self.PATHS[name]
            for tok in tokens:
                with self.subTest(path=name):
                    Walker(self, self.inst, tok).walk(path)
                stored.append(self.inst.stored(path))
                units.append(unit)
        n = len(stored)
        self.assertStored(wave, answers=n, spent=n)
        got = self.tally(wave, "paths")
        want, subtracted = self.assertCounts(got, stored, units=units)
        # The paths show counts, and the rules have work to do.
        self.assertEqual(got[0], ["_all", "", "_answers", str(n)])
        self.assertTrue(any(r[3] not in ("suppressed", "0")
                            for r in want[1:]))
        self.assertTrue(any(r[3] == "suppressed" for r in want))
        self.assertGreater(subtracted, 0)
        self.check_standard_plan(wave)

    def check_standard_plan(self, wave):
        """`gehoord release` with the instrument's standard plan
        (survey-defs/plans/, if it has one) succeeds on a wave of the
        paths: the plan loads against the definition, disclosure control
        and the audit pass (a small wave hides much, which is fine), and
        every table of the plan is in tables.json, none by unit where the
        plan has none."""
        plan_path = os.path.join(DEFS, "plans", self.DEF)
        if not os.path.exists(plan_path):
            return
        with open(plan_path, encoding="utf-8") as f:
            plan = json.load(f)
        out = os.path.join(self.tmpdir, "release-%d" % wave)
        p = h.run("release", "--db", self.db, "--wave", wave, "--key",
                  self.key.path, "--passphrase-file", self.key.pass_file,
                  "--out", out, "--plan", plan_path)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            tables = json.load(f)
        got = {r["table"] for r in tables["rows"]}
        self.assertEqual(got, {t["id"] for t in plan["tables"]})
        by_unit = any("unit" in t.get("by", []) for t in plan["tables"])
        self.assertEqual(any("unit" in (r["by1"], r["by2"])
                             for r in tables["rows"]), by_unit)

    def test_hidden_answers_are_dropped_not_stored(self):
        name, extras = self.HIDDEN
        path = self.PATHS[name]
        wave, tokens = self.new_wave(K)
        for tok in tokens:
            Walker(self, self.inst, tok).walk(path, extras)
        self.assertStored(wave, answers=K, spent=K)
        got = self.tally(wave, "hidden")
        self.assertCounts(got, [self.inst.stored(path)] * K)
        # Had any extra been stored, one of its counts would show k.
        for pid, pairs in extras.items():
            for qid, v in pairs:
                q = self.inst.questions[qid]
                row = [qid, q["type"], v if q["options"] else "_answered"]
                if path.get(qid) != v:
                    self.assertIn(row + ["suppressed"], got)


    def test_origin_questions_follow_the_cbs_rule(self):
        # The parents' countries are asked only where CBS uses them:
        # born in the Netherlands shows the mother's (Next shows the page
        # again), her "Nederland" the father's; then the mother's changed
        # to Morocco hides the father's again, and the answer already
        # given to it is dropped, never stored.
        if "geboorteland" not in self.inst.questions:
            return
        base = {q: v for q, v in self.PATHS[self.ORIGIN_PATH].items()
                if self.inst.pages[self.inst.page_of(q)]["id"]
                != "herkomst"}
        final = dict(base, geboorteland="nederland",
                     geboorteland_moeder="marokko",
                     culturele_achtergrond="marokkaans")
        wave, tokens = self.new_wave(K)
        for tok in tokens:
            w = Walker(self, self.inst, tok)
            w.start()
            while self.inst.pages[w.pi]["id"] != "herkomst":
                w.send(w.page_answers(base))
            self.assertEqual(w.page.order, ["q_geboorteland",
                                            "q_culturele_achtergrond"])
            w.send({"geboorteland": "nederland"})
            self.assertEqual(w.page.order, [
                "q_geboorteland", "q_geboorteland_moeder",
                "q_culturele_achtergrond"])
            w.send({"geboorteland": "nederland",
                    "geboorteland_moeder": "nederland"})
            self.assertIn("q_geboorteland_vader", w.page.order)
            w.send({"geboorteland": "nederland",
                    "geboorteland_moeder": "marokko",
                    "geboorteland_vader": "turkije",
                    "culturele_achtergrond": "marokkaans"})
            self.assertNotEqual(self.inst.pages[w.pi]["id"], "herkomst")
            w.walk(final)
        self.assertStored(wave, answers=K, spent=K)
        got = self.tally(wave, "origin")
        self.assertCounts(got, [self.inst.stored(final)] * K)
        self.assertIn(["geboorteland_vader", "single", "_answered",
                       "suppressed"], got)
        self.assertIn(["geboorteland_moeder", "single", "marokko",
                       str(K)], got)


class ErvarenTest(InstrumentMixin, h.ServerTestCase):
    DEF = "ervaren-discriminatie-2026.json"
    PATHS = ERVAREN_PATHS
    ORIGIN_PATH = "niets_meegemaakt"
    UNITS = {"niets_meegemaakt": "Bedrijfsvoering",
             "discriminatie_gemeld": "Sociaal Domein",
             "twijfel_niet_gemeld": "Één team",
             "liever_niet": 'Dienst "Wijk", Noord'}
    HIDDEN = ("twijfel_niet_gemeld", {
        # gemeld = nee: the reporting follow-ups are hidden.
        "melden": [("waar_gemeld", "hr"), ("af_serieus", "4"),
                   ("tevreden_afhandeling", "5")],
        # gender = man hides the free text; grond is on another page.
        "over_jou": [("gender_self", "zelf beschreven"),
                     ("grond", "herkomst"), ("waar_gemeld", "anders")],
        # No country of birth given: the parents' countries are hidden.
        "herkomst": [("geboorteland_moeder", "turkije"),
                     ("geboorteland_vader", "weet_niet")],
    })

    def test_changed_answer_drops_follow_ups(self):
        # Reported discrimination, answered the follow-up pages, then went
        # back to the first page and changed to "none of these": the
        # follow-up answers in the state are dropped, never stored.
        path = self.PATHS["discriminatie_gemeld"]
        changed = dict(path, ongewenst_gedrag=["geen"],
                       gezien_bij_collega=["geen"])
        wave, tokens = self.new_wave(K)
        for tok in tokens:
            w = Walker(self, self.inst, tok)
            w.start()
            while self.inst.pages[w.pi]["id"] != "over_jou":
                w.send(w.page_answers(path))
            self.assertEqual(w.page.progress, "Pagina 4 van 6")
            while w.pi != 0:
                w.send(w.page_answers(path), back=True)
            w.walk(changed)
        self.assertStored(wave, answers=K, spent=K)
        got = self.tally(wave, "changed")
        self.assertCounts(got, [self.inst.stored(changed)] * K)
        for q in ("grond", "door_wie", "hoe_vaak", "gemeld", "waar_gemeld",
                  "af_serieus", "nadelige_gevolgen",
                  "tevreden_afhandeling"):
            self.assertIn([q, self.inst.questions[q]["type"], "_answered",
                           "suppressed"], got)

    def test_required_and_invalid_answers_are_422(self):
        wave, tokens = self.new_wave(1)
        w = Walker(self, self.inst, tokens[0])
        w.start()
        # Both required questions left empty.
        w.send({"gezien_bij_collega": ["geen"]},
               invalid=("ongewenst_gedrag", "discriminatie_twijfel"),
               status=422)
        self.assertIn('href="#q-ongewenst_gedrag"', w.r.body)
        self.assertIn('href="#q-discriminatie_twijfel"', w.r.body)
        # "None of these" with a form ticked; prefer-not with a form.
        for bad in (["pesten", "geen"], ["discriminatie", "_prefer_not"]):
            w.send({"ongewenst_gedrag": bad, "discriminatie_twijfel": "nee"},
                   invalid=("ongewenst_gedrag",), status=422)
            self.assertIn('href="#q-ongewenst_gedrag"', w.r.body)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        # On to the reporting page; "ja" shows the follow-ups (Next shows
        # the page again), then a follow-up answer that does not exist.
        path = self.PATHS["discriminatie_gemeld"]
        for _ in range(2):
            w.send(w.page_answers(path))
        self.assertEqual(self.inst.pages[w.pi]["id"], "melden")
        w.send({"gemeld": "ja"})
        self.assertIn("q_waar_gemeld", w.page.fields)
        w.send({"gemeld": "ja", "waar_gemeld": ["hr"], "af_serieus": "6"},
               invalid=("af_serieus",), status=422)
        self.assertIn('href="#q-af_serieus"', w.r.body)
        self.assertStored(wave, answers=0, spent=0)
        # The link still works: finish the path, one answer stored.
        w.walk(path)
        self.assertStored(wave, answers=1, spent=1)


class InclusieTest(InstrumentMixin, h.ServerTestCase):
    DEF = "inclusie-2026.json"
    PATHS = INCLUSIE_PATHS
    ORIGIN_PATH = "positief"
    # One path's batch without a unit: its answers count as no unit.
    UNITS = {"positief": "Team A", "omstander_aanpassingen": "Team B",
             "omstander_niets_liever_niet": "Team A/2"}
    HIDDEN = ("positief", {
        # omstander_gezien = nee, aanpassingen_nodig = nee.
        "aanspreken_melden": [("omstander_actie", "steun")],
        "toegankelijkheid": [("tg_fysiek", "4"),
                             ("tg_moeite", "_prefer_not")],
        # No support, no training, not leaving.
        "steun_training": [("ondersteuning_geholpen", "veel"),
                           ("tr_toegepast", "4")],
        "verandering": [("vertrek_redenen", "werkdruk")],
        # gender = man; gg_mezelf is on the first page.
        "over_jou": [("gender_self", "zelf beschreven"),
                     ("gg_mezelf", "1")],
    })

    def test_required_and_invalid_answers_are_422(self):
        # Nothing in this instrument is required: the 422s here are
        # invalid answers to questions that are shown.
        wave, tokens = self.new_wave(1)
        w = Walker(self, self.inst, tokens[0])
        path = self.PATHS["omstander_aanpassingen"]
        w.start()
        while self.inst.pages[w.pi]["id"] != "aanspreken_melden":
            w.send(w.page_answers(path))
        w.send({"omstander_gezien": "ja"})      # more questions
        self.assertIn("q_omstander_actie", w.page.fields)
        w.send({"omstander_gezien": "ja",
                "omstander_actie": ["niets", "steun"]},
               invalid=("omstander_actie",), status=422)
        self.assertIn('href="#q-omstander_actie"', w.r.body)
        w.send({"omstander_gezien": "ja", "sp_team": "0"},
               invalid=("sp_team",), status=422)
        self.assertIn('href="#q-sp_team"', w.r.body)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        w.walk(path)
        self.assertStored(wave, answers=1, spent=1)


class MeldingTest(InstrumentMixin, h.ServerTestCase):
    DEF = "melding.json"
    PATHS = MELDING_PATHS
    ORIGIN_PATH = None
    # The unit is the answer to `cluster`; a batch's label is not counted.
    UNITS = {"zelf_gesprek": "Sociaal Domein"}
    # No conditions here: fields of another page are dropped.
    HIDDEN = ("alleen_verplicht", {
        "wat": [("cluster", "staf"), ("wensen", "onderzoek")],
        "soort": [("betrokkenheid", "beide")],
    })

    def test_required_and_invalid_answers_are_422(self):
        wave, tokens = self.new_wave(1)
        w = Walker(self, self.inst, tokens[0])
        path = self.PATHS["zelf_gesprek"]
        w.start()
        # The required text: empty, only white space, too long.
        for text in ("", " \r\n\t ", "x" * 4001):
            w.send({"wat_gebeurd": text, "wanneer": "langer"},
                   invalid=("wat_gebeurd",), status=422)
            self.assertIn('href="#q-wat_gebeurd"', w.r.body)
        for _ in range(2):
            w.send(w.page_answers(path))
        self.assertEqual(self.inst.pages[w.pi]["id"], "vervolg")
        # Send without consent.
        w.send({"wensen": ["gesprek"]}, invalid=("toestemming",),
               status=422)
        self.assertIn('href="#q-toestemming"', w.r.body)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        w.walk(path)
        self.assertStored(wave, answers=1, spent=1)
        # One answer is below k: the tally suppresses everything.
        got = self.tally(wave, "one")
        self.assertCounts(got, [self.inst.stored(path)])
        self.assertEqual({r[3] for r in got}, {"suppressed"})


if __name__ == "__main__":
    unittest.main()
