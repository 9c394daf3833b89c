#!/usr/bin/python3
"""How much of the answers' arrival order one copy of the live database
shows, before any rewrite (gehoord backup and relayout lay the answers
out in random-id order; test_unlinkable holds that). Not a test: it
asserts nothing and prints figures, for choosing the store's page size.

Usage: GEHOORD_BIN=build/gehoord measure_live_order.py [--answers N]

It starts the real server, sends N answers one at a time (each its own
commit), copies the database file once, finds every answer's cell in
the copy and prints, against the order of sending: Spearman's rho of the
cells' byte offsets in the file and of their pages' numbers (pages that
splits hand out later have higher numbers), and, for pairs of answers in
one page, how often the cell nearer the page's start is the later one
(cells are added towards the start until the page is next rebalanced).
0 and 0.5 would show nothing of the order.
"""
import argparse
import os
import shutil
import sqlite3
import sys
import unittest

from scipy.stats import spearmanr

import sqlite_pages as sp
import test_unlinkable as tu


def same_page_later(ids, pos):
    """Of the pairs of answers in one page, the share where the cell
    nearer the page's start was sent later."""
    pages = {}
    for k, i in enumerate(ids):
        pages.setdefault(pos[i][0], []).append((k, pos[i][1]))
    said = pairs = 0
    for cells in pages.values():
        for a, (ka, oa) in enumerate(cells):
            for kb, ob in cells[a + 1:]:
                if oa != ob:
                    pairs += 1
                    said += (ka < kb) == (oa > ob)
    return said / pairs if pairs else float("nan"), pairs, len(pages)


class LiveOrder(tu.OneCopyOrderTest):
    N = 1500

    def test_live_order(self):
        wave, tokens = self.new_wave(n_tokens=self.N, k=5)
        ids = self.answer_ids_in_order(wave, tokens)
        tu.wait_quiet(self.db)
        live = os.path.join(self.tmpdir, "live.db")
        shutil.copy(self.db, live)
        with open(live, "rb") as f:
            data = f.read()
        with sqlite3.connect(live) as c:
            root = c.execute("SELECT rootpage FROM sqlite_schema "
                             "WHERE name = 'answers'").fetchone()[0]
        offsets, _ = tu.positions(data, root, ids)
        pos = sp.row_positions(data, root, 1)
        size = sp.page_size(data)
        sent = range(len(ids))
        pages = [pos[i][0] for i in ids]
        later, pairs, n_pages = same_page_later(ids, pos)
        print("\nlive order: %d-byte pages, %d answers in %d leaf pages: "
              "rho of file offset %.3f, of page number %.3f; in %d pairs "
              "sharing a page the cell nearer the start is the later one "
              "in %.3f" % (size, len(ids), n_pages,
                           spearmanr(sent, offsets).correlation,
                           spearmanr(sent, pages).correlation, pairs, later),
              flush=True)


def setUpModule():
    tu.KEY.setup()


def tearDownModule():
    tu.KEY.teardown()


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The server is $GEHOORD_BIN (default build/gehoord).")
    ap.add_argument("--answers", type=int, default=LiveOrder.N,
                    help="answers to send, one at a time (default %(default)s)")
    args = ap.parse_args()
    if args.answers < 10:
        ap.error("--answers: at least 10")
    LiveOrder.N = args.answers
    prog = unittest.main(argv=[sys.argv[0], "LiveOrder.test_live_order"],
                         exit=False, verbosity=0)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
