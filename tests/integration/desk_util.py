"""Helpers of the desk tests (test_desk.py, test_report_privacy.py).

A server with extra `serve` flags (e.g. --session-idle), desk users made
with `gehoord user add`, a logged-in client that keeps its cookie and
reads the CSRF token from each page (the login form's too: login_form,
post_login), and the markers the privacy test greps for.
"""

import html
import os
import re

import harness

DESK_PW = "desk password of anna, long enough"
DESK2_PW = "desk password of bert, also long"
RESEARCH_PW = "researcher password of rita"


class Server(harness.Server):
    """harness.Server with extra flags for `gehoord serve`."""

    def __init__(self, db, tmpdir, extra=(), **kw):
        super().__init__(db, tmpdir, **kw)
        self.extra = list(extra)

    def start(self):
        real = harness.command

        def command(args):
            args = list(args)
            if args and args[0] == "serve":
                args += self.extra
            return real(args)
        harness.command = command
        try:
            return super().start()
        finally:
            harness.command = real


def write_pw(tmpdir, name, pw):
    path = os.path.join(tmpdir, name + ".pw")
    with open(path, "w") as f:
        f.write(pw + "\n")
    os.chmod(path, 0o600)
    return path


def user_add(db, tmpdir, name, role, pw, by=None, by_pw=None):
    """Runs `gehoord user add`; returns the CompletedProcess."""
    args = ["user", "add", "--db", db, "--name", name, "--role", role,
            "--password-file", write_pw(tmpdir, name, pw)]
    if by is not None:
        args += ["--by", by, "--by-password-file",
                 write_pw(tmpdir, "by-" + name, by_pw)]
    return harness.run(*args)


CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')
LOGIN_COOKIE_RE = re.compile(r"^gh_login=([A-Za-z0-9_-]+);")


def login_form(port, source_address=None):
    """GET /login as a browser would: returns (the gh_login cookie's
    value, the form's csrf token), which POST /login needs together."""
    r = harness.get(port, "/login", source_address=source_address)
    m = LOGIN_COOKIE_RE.match(r.header("Set-Cookie") or "")
    t = CSRF_RE.search(r.body)
    if r.status != 200 or not m or not t:
        raise AssertionError("GET /login: %d, no login cookie or token"
                             % r.status)
    return m.group(1), html.unescape(t.group(1))


def post_login(port, fields, form=None, source_address=None, headers=None):
    """POST /login with the cookie and token of form (login_form's pair;
    a fresh one if None)."""
    cookie, token = form or login_form(port, source_address)
    fields = dict(fields, csrf=token)
    h = {"Cookie": "gh_login=" + cookie}
    h.update(headers or {})
    return harness.post(port, "/login", fields, headers=h,
                        source_address=source_address)


class Client:
    """A browser-like client: one cookie, the last page's CSRF token."""

    def __init__(self, port, source_address=None):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.source_address = source_address

    def _headers(self):
        return {"Cookie": "gh_session=" + self.cookie} if self.cookie else {}

    def _seen(self, r):
        m = CSRF_RE.search(r.body)
        if m:
            self.csrf = html.unescape(m.group(1))
        return r

    def login(self, name, pw, lang=None):
        """The login page, then its form posted (with its token)."""
        fields = {"name": name, "password": pw}
        if lang:
            fields["lang"] = lang
        r = post_login(self.port, fields,
                       source_address=self.source_address)
        c = r.header("Set-Cookie")
        if c and c.startswith("gh_session="):
            self.cookie = c.split(";")[0].split("=", 1)[1]
        return r

    def get(self, path):
        return self._seen(harness.get(self.port, path,
                                      headers=self._headers(),
                                      source_address=self.source_address))

    def post(self, path, fields, csrf=True):
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = self.csrf
        elif csrf:
            fields["csrf"] = csrf
        return self._seen(harness.post(self.port, path, fields,
                                       headers=self._headers(),
                                       source_address=self.source_address))


def setup_desk(tmpdir, db):
    """anna (the first desk user) and rita (a researcher)."""
    for args in (("anna", "desk", DESK_PW), ("rita", "researcher",
                                             RESEARCH_PW)):
        p = user_add(db, tmpdir, *args)
        if p.returncode != 0:
            raise AssertionError("user add %s: %d %s" % (args[0],
                                                          p.returncode,
                                                          p.stderr))


def report_ids(body):
    """The report ids linked from an inbox page, in page order."""
    return re.findall(r'href="/desk/r/([0-9a-f]{32})', body)


# --------------------------------------------------------------------------
# The reporter's side (routes of route_report*.c)

CODE_RE = re.compile(r'<p class="report-code"><code>(.+?)</code>')


def file_report(port, what, source_address=None, **fields):
    """POSTs the report form; returns the receipt code shown once."""
    f = [("lang", "nl"), ("wat_gebeurd", what),
         ("toestemming", "ja_lezen_reageren")] + list(fields.items())
    r = harness.post(port, "/melden", f, source_address=source_address)
    if r.status != 200:
        raise AssertionError("POST /melden: %d" % r.status)
    m = CODE_RE.search(r.body)
    if not m:
        raise AssertionError("no receipt code on the page")
    return re.sub(r"<[^>]*>", "", m.group(1))      # the groups' spans


def follow(port, code, action="login", source_address=None, **fields):
    """POST /melden/volg: the reporter's receipt login and actions."""
    f = {"lang": "en", "receipt": code, "action": action}
    f.update(fields)
    if source_address == REPORTER_ADDR:
        source_address = reporter_addr()
    return harness.post_volg(port, f, source_address=source_address)


def desk_seqs(db, kind):
    """The seq numbers of the desk's messages of kind (store_report.h)."""
    return [r[0] for r in harness.db_query(
        db, "SELECT seq FROM messages WHERE author = 1 AND kind = ? "
        "ORDER BY seq", (kind,))]


def report_row(db, hex_id):
    """A report's clear columns as a dict."""
    c = harness.db_connect(db)
    try:
        c.row_factory = __import__("sqlite3").Row
        r = c.execute("SELECT * FROM reports WHERE id = ?",
                      (bytes.fromhex(hex_id),)).fetchone()
        return dict(r) if r else None
    finally:
        c.close()


# --------------------------------------------------------------------------
# The whole scenario: a reporter and the desk, step by step

# The reporter's receipt logins are rate limited per address (a burst
# of a few): the scenario's many follow-ups come from several addresses.
REPORTER_ADDRS = ["127.0.0.%d" % i for i in range(30, 40)]
REPORTER_ADDR = ("127.0.0.23", 0)
_next_addr = [0]


def reporter_addr():
    _next_addr[0] += 1
    return (REPORTER_ADDRS[_next_addr[0] % len(REPORTER_ADDRS)], 0)
DESK_ADDR = ("127.0.0.24", 0)

MSG_QUESTION, MSG_CONSENT_ASK = 1, 2


def markers():
    """Distinctive texts, one per kind of content (for the grep)."""
    return {k: "%s-Zx9Qw-%s" % (k, os.urandom(4).hex()) for k in (
        "REPORT", "QUESTION", "ANSWER", "CONSENT_YES_STEP",
        "CONSENT_NO_STEP", "CONSENT_YES", "CONSENT_NO", "SECOND",
        "ADDED", "OTHER_REPORT", "REPLY", "OUTCOME")}


def run_scenario(tc, port, db):
    """Runs the scenario as test case tc (its assertions); returns
    {"markers", "codes", "ids"}. The server needs --signals-k 5."""
    mk = markers()
    codes = []
    nl = harness.load_messages("nl")

    # The reporter files a report; the desk sees it in its inbox.
    code = file_report(port, mk["REPORT"], REPORTER_ADDR, cluster="sociaal",
                       vorm="pesten")
    codes.append(code)
    desk = Client(port, DESK_ADDR)
    tc.assertEqual(desk.login("anna", DESK_PW).status, 303)
    inbox = desk.get("/desk")
    tc.assertEqual(inbox.status, 200)
    ids = report_ids(inbox.body)
    tc.assertEqual(len(ids), 1)
    rid = ids[0]
    tc.assertNotIn(mk["REPORT"], inbox.body)     # the inbox opens nothing
    tc.assertIn(nl["desk.clock.ack"], harness.page_text(inbox.body))

    # The desk reads it (opened with the desk key) and acknowledges.
    page = desk.get("/desk/r/" + rid)
    tc.assertEqual(page.status, 200)
    tc.assertIn(mk["REPORT"], page.body)
    r = desk.post("/desk/r/%s/status" % rid, {"status": "acknowledged"})
    tc.assertEqual(r.status, 303)
    tc.assertIsNotNone(report_row(db, rid)["ack_day"])

    # A question; the reporter reads it and answers.
    r = desk.post("/desk/r/%s/reply" % rid, {"kind": "question",
                                             "text": mk["QUESTION"]})
    tc.assertEqual(r.status, 303)
    # A question is not the feedback: only a message marked so, or the
    # outcome sent when closing, is.
    tc.assertIsNone(report_row(db, rid)["feedback_day"])
    r = follow(port, code, source_address=REPORTER_ADDR)
    tc.assertEqual(r.status, 200)
    tc.assertIn(mk["QUESTION"], r.body)
    q_seq = desk_seqs(db, MSG_QUESTION)[0]
    r = follow(port, code, "answer", REPORTER_ADDR, to=str(q_seq),
               text=mk["ANSWER"])
    tc.assertEqual(r.status, 200)
    r = follow(port, code, "add", REPORTER_ADDR, text=mk["ADDED"])
    tc.assertEqual(r.status, 200)
    page = desk.get("/desk/r/" + rid)
    tc.assertIn(mk["ANSWER"], page.body)
    tc.assertIn(mk["ADDED"], page.body)

    # Two steps that need consent: one given, one refused.
    for step in ("CONSENT_YES_STEP", "CONSENT_NO_STEP"):
        r = desk.post("/desk/r/%s/reply" % rid, {"kind": "consent",
                                                 "text": mk[step]})
        tc.assertEqual(r.status, 303)
    yes_seq, no_seq = desk_seqs(db, MSG_CONSENT_ASK)
    r = follow(port, code, source_address=REPORTER_ADDR)
    tc.assertIn(mk["CONSENT_YES_STEP"], r.body)
    tc.assertIn(mk["CONSENT_NO_STEP"], r.body)
    r = follow(port, code, "consent_yes", REPORTER_ADDR, to=str(yes_seq),
               text=mk["CONSENT_YES"])
    tc.assertEqual(r.status, 200)
    r = follow(port, code, "consent_no", REPORTER_ADDR, to=str(no_seq),
               text=mk["CONSENT_NO"])
    tc.assertEqual(r.status, 200)
    page = harness.page_text(desk.get("/desk/r/" + rid).body)
    tc.assertIn(nl["desk.kind.consent_yes"], page)
    tc.assertIn(nl["desk.kind.consent_no"], page)
    tc.assertIn(mk["CONSENT_YES"], page)
    tc.assertIn(mk["CONSENT_NO"], page)

    # In progress, the category, then closing: a measure is required.
    tc.assertEqual(desk.post("/desk/r/%s/status" % rid,
                             {"status": "in_progress"}).status, 303)
    tc.assertEqual(desk.post("/desk/r/%s/category" % rid,
                             {"form": "discriminatie", "ground": "geloof",
                              "unit": "sociaal"}).status, 303)
    tc.assertEqual(desk.post("/desk/r/%s/category" % rid,
                             {"form": "made-up"}).status, 422)
    r = desk.post("/desk/r/%s/aftercare" % rid, {"which": "1"})
    tc.assertEqual(r.status, 409)                # not closed yet
    r = desk.post("/desk/r/%s/status" % rid, {"status": "closed"})
    tc.assertEqual(r.status, 422)
    tc.assertIn(nl["desk.status.need_result"], harness.page_text(r.body))
    tc.assertEqual(report_row(db, rid)["status"], 2)
    r = desk.post("/desk/r/%s/status" % rid,
                  {"status": "closed", "outcome": "founded"})
    tc.assertEqual(r.status, 422)
    tc.assertIn(nl["desk.status.need_measure"], harness.page_text(r.body))
    tc.assertEqual(report_row(db, rid)["status"], 2)
    r = desk.post("/desk/r/%s/status" % rid,
                  {"status": "closed", "outcome": "founded",
                   "measure": "written_warning"})
    tc.assertEqual(r.status, 422)                # the message is needed
    tc.assertIn(nl["desk.status.need_outcome"], harness.page_text(r.body))
    tc.assertEqual(report_row(db, rid)["status"], 2)
    r = desk.post("/desk/r/%s/status" % rid,
                  {"status": "closed", "outcome": "founded",
                   "measure": "written_warning", "text": mk["OUTCOME"]})
    tc.assertEqual(r.status, 303)
    row = report_row(db, rid)
    tc.assertEqual((row["status"], row["measure"], row["form"],
                    row["ground"], row["unit"]),
                   (3, "written_warning", "discriminatie", "geloof",
                    "sociaal"))
    tc.assertIsNotNone(row["closed_day"])
    tc.assertEqual(row["feedback_day"], row["closed_day"])
    tc.assertIn(mk["OUTCOME"], follow(port, code,
                                      source_address=REPORTER_ADDR).body)
    page = harness.page_text(desk.get("/desk/r/" + rid).body)
    tc.assertIn(nl["desk.clock.aftercare1"], page)

    # The reporter asks for a second opinion; aftercare is recorded.
    r = follow(port, code, "second", REPORTER_ADDR, text=mk["SECOND"])
    tc.assertEqual(r.status, 200)
    tc.assertEqual(report_row(db, rid)["status"], 5)
    inbox = harness.page_text(desk.get("/desk").body)
    tc.assertIn(nl["desk.status.second_opinion"], inbox)
    tc.assertIn(mk["SECOND"], desk.get("/desk/r/" + rid).body)
    for which in ("1", "3"):
        # Not due yet on the closing day: recorded only when confirmed.
        r = desk.post("/desk/r/%s/aftercare" % rid, {"which": which})
        tc.assertEqual(r.status, 409)
        tc.assertIn(nl["desk.aftercare.early"], harness.page_text(r.body))
        r = desk.post("/desk/r/%s/aftercare" % rid, {"which": which,
                                                     "confirm": "1"})
        tc.assertEqual(r.status, 303)
    row = report_row(db, rid)
    tc.assertIsNotNone(row["aftercare1_day"])
    tc.assertIsNotNone(row["aftercare3_day"])

    # Another reporter: their receipt opens their report only; they
    # withdraw, and the desk keeps a tombstone it can no longer change.
    code2 = file_report(port, mk["OTHER_REPORT"], REPORTER_ADDR,
                        cluster="staf")
    codes.append(code2)
    r = follow(port, code2, source_address=REPORTER_ADDR)
    tc.assertIn(mk["OTHER_REPORT"], r.body)
    for m in ("REPORT", "QUESTION", "ANSWER", "SECOND"):
        tc.assertNotIn(mk[m], r.body)
    r = follow(port, code, source_address=REPORTER_ADDR)
    tc.assertNotIn(mk["OTHER_REPORT"], r.body)
    rid2 = [i for i in report_ids(desk.get("/desk").body) if i != rid][0]
    tc.assertIn(mk["OTHER_REPORT"], desk.get("/desk/r/" + rid2).body)
    r = follow(port, code2, "withdraw_confirm", REPORTER_ADDR, sure="1")
    tc.assertEqual(r.status, 200)
    page = desk.get("/desk/r/" + rid2)
    tc.assertEqual(page.status, 200)
    tc.assertNotIn(mk["OTHER_REPORT"], page.body)
    tc.assertIn(nl["desk.report.withdrawn"], harness.page_text(page.body))
    tc.assertNotIn('action="/desk/r/%s/reply"' % rid2, page.body)
    r = desk.post("/desk/r/%s/reply" % rid2, {"kind": "text",
                                              "text": mk["REPLY"]})
    tc.assertEqual(r.status, 409)
    inbox = desk.get("/desk")
    tc.assertIn("desk-tombstone", inbox.body)

    # Signals (k = 5): five reports about one unit are shown, the unit
    # with one live report is counted as hidden, without its name.
    for i in range(5):
        codes.append(file_report(port, "%s %d" % (mk["ADDED"], i),
                                 REPORTER_ADDR, cluster="bedrijfsvoering"))
    sig = harness.page_text(desk.get("/desk/signals").body)
    tc.assertIn("Bedrijfsvoering", sig)
    tc.assertNotIn("Sociaal domein", sig)
    tc.assertIn(nl["desk.signals.hidden"].replace("{n}", "1"), sig)

    # An ordinary desk reply, and logout.
    r = desk.post("/desk/r/%s/reply" % rid, {"kind": "text",
                                             "text": mk["REPLY"]})
    tc.assertEqual(r.status, 303)
    tc.assertIn(mk["REPLY"], follow(port, code,
                                    source_address=REPORTER_ADDR).body)
    cookie = desk.cookie
    tc.assertEqual(desk.post("/logout", {}).status, 303)
    return {"markers": mk, "codes": codes, "ids": [rid, rid2],
            "cookie": cookie}
