"""The attacker of tests/integration/test_release_e2e.py: everything a
release publishes, as a linear program over its cells, solved with scipy's
linprog (HiGHS, independent of the CLP audit inside gehoord).

The relations are derived from the published files alone: a group's
categories add up to its TOTAL (a multiple-choice category is at most
it), a breakdown's values add up to TOTAL, and unit values to their
parent as their names say ("A/B" and "A (direct)" and "other units of
A" are children of "A"). Same cell key in two tables: one variable. The
response per unit publishes a unit's answers under the cell of its own
unit value: the same variable as that value in the tables."""

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

__all__ = ["Attack", "linprog", "unit_parent"]


def unit_parent(v):
    """The parent value of a unit value, as a reader derives it from the
    published names; None for TOTAL."""
    if v == "TOTAL":
        return None
    if v.startswith("other units of "):
        return v[len("other units of "):]
    if v.endswith(" (direct)"):
        return v[:-len(" (direct)")]
    if v in ("other units", "NOT_STATED") or "/" not in v:
        return "TOTAL"
    return v.rsplit("/", 1)[0]


class Attack:
    """Everything published, as an LP over the cells of tables.json."""

    def __init__(self, tables, multi=()):
        """tables: tables.json, parsed; multi: the variables that are
        multiple-choice questions (from codebook.json)."""
        self.multi = set(multi)
        self.idx = {}       # cell key -> variable
        self.fixed = {}     # variable -> published value
        self.eq, self.le = [], []
        self.where = {}     # (table, cat, by1v, by2v) -> variable
        self.rows = tables["rows"]
        for r in self.rows:
            if r["cell"] is None:
                continue
            v = self.idx.setdefault(r["cell"], len(self.idx))
            self.where[(r["table"], r["category"], r["by1_value"],
                        r["by2_value"])] = v
            if r["count"] is not None:
                self.fixed[v] = r["count"]
        self.response(tables.get("response"))
        self.derive()

    def response(self, resp):
        """The answers per unit of the response, as published figures
        (a release that published the response per batch has no cells
        there). Asserts that a figure the tables publish too is the
        same."""
        if not isinstance(resp, dict):
            return
        for r in resp["units"]:
            if r["cell"] is None or r["answered"] is None:
                continue
            v = self.idx.setdefault(r["cell"], len(self.idx))
            assert self.fixed.setdefault(v, r["answered"]) == \
                r["answered"], (r, self.fixed[v])

    def derive(self):
        by_table = {}
        for r in self.rows:
            if r["cell"] is not None:
                by_table.setdefault(r["table"], []).append(r)
        for t, rows in by_table.items():
            is_multi = rows[0]["variable"] in self.multi
            groups = {}
            for r in rows:
                groups.setdefault((r["by1_value"], r["by2_value"]),
                                  []).append(r)
            for (b1, b2), rs in groups.items():
                tot = self.where[(t, "TOTAL", b1, b2)]
                cats = [self.where[(t, r["category"], b1, b2)]
                        for r in rs if r["category"] != "TOTAL"]
                if is_multi:
                    self.le += [(c, tot) for c in cats]
                elif cats:
                    self.eq.append((tot, cats))
            self.margins(t, rows, groups)

    def margins(self, t, rows, groups):
        cats = sorted({r["category"] for r in rows})
        by = [rows[0]["by1"], rows[0]["by2"]]
        for i in (0, 1):
            if by[i] is None:
                continue
            values = {k[i] for k in groups}
            others = {k[1 - i] for k in groups}
            for parent in values:
                if by[i] == "unit":
                    kids = [v for v in values if unit_parent(v) == parent]
                else:
                    kids = [v for v in values if v != "TOTAL"] \
                        if parent == "TOTAL" else []
                if not kids:
                    continue
                for o in others:
                    for c in cats:
                        def key(v):
                            k = [None, None]
                            k[i], k[1 - i] = v, o
                            return (t, c, k[0], k[1])
                        if key(parent) not in self.where:
                            continue
                        self.eq.append((self.where[key(parent)],
                                        [self.where[key(v)] for v in kids]))

    def bounds(self, var):
        n = len(self.idx)
        a_eq = lil_matrix((len(self.eq) + len(self.fixed), n))
        b_eq = np.zeros(len(self.eq) + len(self.fixed))
        for j, (tot, parts) in enumerate(self.eq):
            a_eq[j, tot] = -1
            for p in parts:
                a_eq[j, p] += 1
        for j, (v, val) in enumerate(self.fixed.items()):
            a_eq[len(self.eq) + j, v] = 1
            b_eq[len(self.eq) + j] = val
        a_ub = lil_matrix((max(len(self.le), 1), n))
        b_ub = np.zeros(max(len(self.le), 1))
        for j, (part, whole) in enumerate(self.le):
            a_ub[j, part] = 1
            a_ub[j, whole] = -1
        out = []
        for sign in (1, -1):
            c = np.zeros(n)
            c[var] = sign
            res = linprog(c, A_ub=a_ub.tocsr(), b_ub=b_ub,
                          A_eq=a_eq.tocsr(), b_eq=b_eq,
                          bounds=[(0, None)] * n, method="highs")
            if res.status == 3:
                out.append(float("inf") if sign < 0 else 0.0)
                continue
            assert res.status == 0, res.message
            out.append(sign * res.fun)
        return out
