"""A desk form sent after its session ended keeps what was typed: the
login page carries it (in the page only), and after the login the form
comes back with the text, to be sent once.
"""

import html
import html.parser
import os
import time
import unittest

import harness
from desk_util import (Client, DESK_PW, LOGIN_COOKIE_RE, Server,
                       file_report, report_ids, setup_desk)


class Forms(html.parser.HTMLParser):
    """Each <form>: its action and its fields (inputs and textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._ta = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": []})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"].append([a["name"], a.get("value", "")])
        elif tag == "textarea" and self.forms:
            self._ta = [a.get("name"), ""]
            self.forms[-1]["fields"].append(self._ta)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._ta is not None:
            if self._ta[1].startswith("\n"):
                self._ta[1] = self._ta[1][1:]
            self._ta = None

    def handle_data(self, data):
        if self._ta is not None:
            self._ta[1] += data


def forms(body):
    p = Forms()
    p.feed(body)
    p.close()
    return p.forms


class TestExpiredForm(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.mkdtemp()
        cls.db = harness.init_db(cls.tmp)
        setup_desk(cls.tmp, cls.db)
        cls.server = Server(cls.db, cls.tmp,
                            extra=("--session-idle", "1")).start()
        cls.port = cls.server.port
        file_report(cls.port, "a report to answer")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        harness.rmtree(cls.tmp)

    def desk_replies(self):
        return harness.db_query(self.db, "SELECT count(*) FROM messages "
                                "WHERE author = 1")[0][0]

    def expired_post(self, text):
        """Logs in, opens the report, lets the session end, sends text."""
        c = Client(self.port)
        self.assertEqual(c.login("anna", DESK_PW).status, 303)
        rid = report_ids(c.get("/desk").body)[0]
        c.get("/desk/r/" + rid)
        time.sleep(2.5)
        path = "/desk/r/%s/reply" % rid
        r = c.post(path, {"lang": "en", "kind": "text", "text": text})
        return c, rid, path, r

    def test_text_survives_the_login(self):
        text = "A long answer <b>& \"quotes\"</b>\nline two " + \
            os.urandom(4).hex()
        before = self.desk_replies()
        c, rid, path, r = self.expired_post(text)
        # Nothing was done: 403, the login page, its expired notice.
        self.assertEqual(r.status, 403)
        msgs = harness.load_messages("en")
        self.assertIn(msgs["login.expired"], harness.page_text(r.body))
        self.assertEqual(self.desk_replies(), before)
        login = [f for f in forms(r.body) if f["action"] == "/login"][0]
        fields = dict(login["fields"])
        self.assertEqual(fields["carry_to"], path)
        self.assertEqual(fields["c.text"], text)
        self.assertEqual(fields["c.kind"], "text")
        self.assertNotIn("c.csrf", fields)
        m = LOGIN_COOKIE_RE.match(r.header("Set-Cookie") or "")
        self.assertTrue(m, r.header("Set-Cookie"))
        login_cookie = {"Cookie": "gh_login=" + m.group(1)}
        # A wrong password: the page carries the text still.
        wrong = dict(fields, name="anna", password="not her password")
        r = harness.post(self.port, "/login", list(wrong.items()),
                         headers=login_cookie)
        self.assertEqual(r.status, 401)
        again = dict([f for f in forms(r.body)
                      if f["action"] == "/login"][0]["fields"])
        self.assertEqual(again["c.text"], text)
        # The right one: the form again, with the text and a new token.
        good = dict(again, name="anna", password=DESK_PW)
        r = harness.post(self.port, "/login", list(good.items()),
                         headers=login_cookie)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.desk_replies(), before, "sent unseen")
        cookie = (r.header("Set-Cookie") or "").split(";")[0]
        self.assertTrue(cookie.startswith("gh_session="), cookie)
        resume = [f for f in forms(r.body) if f["action"] == path][0]
        sent = dict(resume["fields"])
        self.assertEqual(sent["text"], text)
        self.assertEqual(sent["kind"], "text")
        self.assertEqual(len(sent["csrf"]), 43)
        # Sent once: one reply more, with the text.
        r = harness.post(self.port, path, [tuple(f) for f in resume["fields"]],
                         headers={"Cookie": cookie})
        self.assertIn(r.status, (200, 303), r.body[:300])
        self.assertEqual(self.desk_replies(), before + 1)
        c.cookie = cookie.split("=", 1)[1]
        page = c.get("/desk/r/" + rid)
        self.assertEqual(page.status, 200)
        self.assertEqual(harness.page_text(page.body).count(
            text.split()[-1]), 1)
        # Nothing of it in the server's output.
        self.assertNotIn(text.split()[-1], self.server.stderr())
        self.assertNotIn(text.split()[-1], self.server.stdout())

    def test_only_desk_paths_are_carried(self):
        """carry_to is a path under /desk/ or nothing is carried back."""
        c = Client(self.port)
        r = harness.get(self.port, "/login")
        m = LOGIN_COOKIE_RE.match(r.header("Set-Cookie"))
        token = dict(forms(r.body)[0]["fields"])["csrf"]
        for to in ("https://evil.example/x", "/melden", "/desk/../x",
                   "//evil.example/desk/"):
            r = harness.post(self.port, "/login", [
                ("csrf", token), ("name", "anna"), ("password", DESK_PW),
                ("carry_to", to), ("c.text", "x")],
                headers={"Cookie": "gh_login=" + m.group(1)})
            self.assertEqual(r.status, 303, to)
            self.assertNotIn(to, html.unescape(r.body))
        del c


if __name__ == "__main__":
    unittest.main()
