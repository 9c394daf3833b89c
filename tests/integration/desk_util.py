"""Helpers of the desk tests (test_desk.py, test_report_privacy.py).

A server with extra `serve` flags (e.g. --session-idle), desk users made
with `gehoord user add`, a logged-in client that keeps its cookie and
reads the CSRF token from each page, and the markers the privacy test
greps for.
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
        fields = {"name": name, "password": pw}
        if lang:
            fields["lang"] = lang
        r = harness.post(self.port, "/login", fields,
                         source_address=self.source_address)
        c = r.header("Set-Cookie")
        if c and c.startswith("gh_session="):
            self.cookie = c.split(";")[0].split("=", 1)[1]
        return r

    def get(self, path):
        return self._seen(harness.get(self.port, path,
                                      headers=self._headers()))

    def post(self, path, fields, csrf=True):
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = self.csrf
        elif csrf:
            fields["csrf"] = csrf
        return self._seen(harness.post(self.port, path, fields,
                                       headers=self._headers()))


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
