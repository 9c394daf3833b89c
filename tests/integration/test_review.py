"""Second opinions by a reviewer over HTTP: the account made with
`gehoord user add --role reviewer`, the desk sending a case, the
reviewer's list and page (that case only), the opinion as the reporter
and the desk read it, the reviewer kept out of every desk page, and a
disabled or removed reviewer.
"""
import unittest

import harness
from desk_util import (Client, DESK_PW, DESK_ADDR, REPORTER_ADDR, Server,
                       file_report, follow, report_ids, report_row,
                       setup_desk, user_add)

REVIEW_PW = "reviewer password of vera, long"
MSG_OPINION = 7


class TestReview(unittest.TestCase):

    def setUp(self):
        self.tmp = harness.mkdtemp()
        self.db = harness.init_db(self.tmp)
        setup_desk(self.tmp, self.db)
        p = user_add(self.db, self.tmp, "vera", "reviewer", REVIEW_PW)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server = Server(self.db, self.tmp).start()
        self.port = self.server.port
        self.nl = harness.load_messages("nl")
        self.en = harness.load_messages("en")

    def tearDown(self):
        self.server.stop()
        harness.rmtree(self.tmp)

    def cli(self, *args):
        return harness.run("user", *args, "--db", self.db)

    def two_cases(self):
        """Two reports; the first asks for a second opinion. Returns
        (its code, its id, the other id)."""
        code = file_report(self.port, "FIRST-case-Qx7", REPORTER_ADDR)
        file_report(self.port, "SECOND-case-Qx7", REPORTER_ADDR)
        r = follow(self.port, code, "second", REPORTER_ADDR,
                   text="WHY-second-Qx7")
        self.assertEqual(r.status, 200)
        ids = harness.db_query(self.db, "SELECT id, status FROM reports")
        first = [i.hex() for i, st in ids if st == 5]
        other = [i.hex() for i, st in ids if st != 5]
        self.assertEqual((len(first), len(other)), (1, 1))
        return code, first[0], other[0]

    def desk(self):
        c = Client(self.port, DESK_ADDR)
        self.assertEqual(c.login("anna", DESK_PW).status, 303)
        self.assertEqual(c.get("/desk").status, 200)
        return c

    def reviewer(self):
        c = Client(self.port)
        r = c.login("vera", REVIEW_PW)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/desk/review"))
        return c

    def test_cli_makes_a_key_pair(self):
        rows = harness.db_query(self.db, "SELECT role, length(public_key), "
                                "length(wrapped_key) FROM users "
                                "WHERE name = 'vera'")
        self.assertEqual(rows, [("reviewer", 32, 112)])
        p = self.cli("list")
        self.assertIn("vera\treviewer", p.stdout)
        p = user_add(self.db, self.tmp, "wim", "reviewer", REVIEW_PW,
                     by="anna", by_pw=DESK_PW)
        self.assertEqual(p.returncode, 2, p.stderr)  # --by is for desk

    def test_send_read_and_give_an_opinion(self):
        code, rid, other = self.two_cases()
        desk = self.desk()
        page = desk.get("/desk/r/" + rid)
        self.assertIn("/desk/r/%s/review" % rid, page.body)
        self.assertNotIn("/desk/r/%s/review" % other,
                         desk.get("/desk/r/" + other).body)
        page = desk.get("/desk/r/%s/review" % rid)
        self.assertEqual(page.status, 200)
        self.assertIn('value="vera"', page.body)
        # Not a reviewer, or a case that did not ask: nothing stored.
        self.assertEqual(desk.post("/desk/r/%s/review" % rid,
                                   {"reviewer": "rita"}).status, 422)
        self.assertEqual(desk.post("/desk/r/%s/review" % other,
                                   {"reviewer": "vera"}).status, 409)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM report_reviews"), [(0,)])
        r = desk.post("/desk/r/%s/review" % rid, {"reviewer": "vera"})
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(desk.post("/desk/r/%s/review" % rid,
                                   {"reviewer": "vera"}).status, 409)
        rows = harness.db_query(self.db, "SELECT report_id, "
                                "length(sealed_key) FROM report_reviews")
        self.assertEqual(rows, [(bytes.fromhex(rid), 80)])

        rv = self.reviewer()
        lst = rv.get("/desk/review")
        self.assertEqual(lst.status, 200)
        self.assertEqual(report_ids(lst.body), [])
        self.assertIn("/desk/review/" + rid, lst.body)
        self.assertNotIn(other, lst.body)
        self.assertIn(report_row(self.db, rid)["ref"], lst.body)
        case = rv.get("/desk/review/" + rid)
        self.assertEqual(case.status, 200)
        self.assertIn("FIRST-case-Qx7", case.body)
        self.assertIn("WHY-second-Qx7", case.body)
        self.assertEqual(rv.get("/desk/review/" + other).status, 404)
        self.assertEqual(rv.post("/desk/review/%s/opinion" % other,
                                 {"text": "no"}).status, 404)
        self.assertEqual(rv.post("/desk/review/%s/opinion" % rid,
                                 {"text": "  "}).status, 422)
        r = rv.post("/desk/review/%s/opinion" % rid,
                    {"text": "OPINION-text-Qx7"})
        self.assertEqual(r.status, 303, r.body)
        self.assertIn("OPINION-text-Qx7",
                      rv.get("/desk/review/" + rid).body)
        self.assertEqual(harness.db_query(
            self.db, "SELECT author, count(*) FROM messages WHERE kind = ?"
            " GROUP BY author", (MSG_OPINION,)), [(1, 1)])
        self.assertIsNotNone(report_row(self.db, rid)["ack_day"])

        # The reporter reads it as the second opinion; so does the desk.
        page = follow(self.port, code, source_address=REPORTER_ADDR)
        self.assertIn("OPINION-text-Qx7", page.body)
        self.assertIn(self.en["report.kind.7"], harness.page_text(page.body))
        page = desk.get("/desk/r/" + rid)
        self.assertIn("OPINION-text-Qx7", page.body)
        self.assertIn(self.nl["desk.kind.opinion"],
                      harness.page_text(page.body))

    def test_reviewer_is_kept_out_of_the_desk(self):
        rid = self.two_cases()[1]
        rv = self.reviewer()
        for path in ("/desk", "/desk/", "/desk/signals", "/desk/r/" + rid,
                     "/desk/r/%s/review" % rid, "/desk/other"):
            with self.subTest(path=path):
                r = rv.get(path)
                self.assertEqual(r.status, 403)
                self.assertIn(self.nl["desk.role.heading"],
                              harness.page_text(r.body))
                self.assertNotIn("FIRST-case-Qx7", r.body)
        rv.get("/desk/review")
        for a in ("reply", "status", "category", "aftercare", "review"):
            with self.subTest(action=a):
                r = rv.post("/desk/r/%s/%s" % (rid, a),
                            {"text": "x", "reviewer": "vera"})
                self.assertEqual(r.status, 403)
        self.assertEqual(rv.get("/research").status, 403)
        # The desk and a researcher have no reviewer's pages.
        self.assertEqual(self.desk().get("/desk/review").status, 403)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM report_reviews"), [(0,)])

    def test_disabled_reviewer_ends_at_once_removed_rows_go(self):
        rid = self.two_cases()[1]
        desk = self.desk()
        desk.get("/desk/r/%s/review" % rid)
        self.assertEqual(desk.post("/desk/r/%s/review" % rid,
                                   {"reviewer": "vera"}).status, 303)
        rv = self.reviewer()
        self.assertEqual(rv.get("/desk/review/" + rid).status, 200)
        self.assertEqual(self.cli("disable", "--name", "vera").returncode,
                         0)
        r = rv.get("/desk/review/" + rid)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/login"))
        self.assertEqual(rv.login("vera", REVIEW_PW).status, 401)
        # A disabled reviewer cannot be picked.
        self.assertNotIn('value="vera"',
                         desk.get("/desk/r/%s/review" % rid).body)
        self.assertEqual(self.cli("enable", "--name", "vera").returncode, 0)
        self.assertEqual(self.cli("remove", "--name", "vera").returncode, 0)
        self.assertEqual(harness.db_query(
            self.db, "SELECT count(*) FROM report_reviews"), [(0,)])


if __name__ == "__main__":
    unittest.main()
