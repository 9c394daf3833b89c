"""Availability under abuse: one attacker, over the network, against the
real server on 127.0.0.1 with a real database.

  - a request with both Content-Length and Transfer-Encoding is refused
    with 400 (raw socket), before its body is read;
  - a 9th login of one account ends that account's oldest session, and
    another account's session is unaffected (and logins that succeed do
    not count against the address);
  - a flood of wrong receipts, 4 from each of 10,000 distinct addresses
    (127.X.Y.Z: on Linux all of 127/8 is loopback, so a client can bind()
    such a source address; no keep-alive), is answered 404 throughout,
    never 429, and fresh addresses then log in with a right receipt at
    once (with buckets shared by hash, as before, most of them were
    locked out by such a flood);
  - a logged-in reporter can take more than 10 actions in a row (only
    failed logins count);
  - while 64 clients post wrong desk/researcher logins (many accounts)
    and 64 clients post reports, each request from its own address, a
    normal client's sequential GETs of a survey page keep their p99
    under 100 ms (scaled by SLOW for sanitizer builds; the figures are
    printed), the hashing pool's full queue is answered 503 with
    Retry-After at once, and the pool's workers run at nice 10;
  - a 503 for a full pool is a clear page that keeps what was sent: the
    login page, the report form with its answers, or a page that posts
    the reporter's request again (which then works);
  - new reports: 30 a minute per address (the 31st gets 429, its form
    kept), and a cap for all clients together (--reports-per-minute)
    that refuses reports with 503 but never a reporter's follow-up;
  - POST /login without the login form's token (bound to its gh_login
    cookie) is refused with 403 and a clear page carrying a good form,
    before anything is checked or counted.

Tunable with the environment, for slow (sanitizer, valgrind) builds:
  GEHOORD_ABUSE_FLOOD      addresses in the wrong-receipt flood (10000)
  GEHOORD_ABUSE_GUESSES    wrong receipts from each of them (4)
  GEHOORD_ABUSE_HAMMER_S   seconds the 128 clients hammer (10)
  GEHOORD_ABUSE_P99_MS     the bound on the survey GETs' p99 (250 x SLOW:
                           alone they take a few ms; were the Argon2id
                           derivations of the logins on the request
                           threads, they would wait seconds; the margin
                           is for a machine busy with other work, and
                           tests/bench/run measures the real ratio)
  GEHOORD_ABUSE_VERBOSE    print more figures
"""

import html
import http.client
import multiprocessing
import os
import re
import socket
import threading
import time
import unittest
import urllib.parse

import harness as h
from desk_util import (Client, DESK_PW, RESEARCH_PW, Server, file_report,
                       login_form, setup_desk)


def is_sanitized():
    """True if the binary under test is an AddressSanitizer build."""
    try:
        with open(h.BIN, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


SANITIZED = is_sanitized()
WRAPPED = bool(h.WRAPPER)
# How much slower than a release build the server under test runs.
SLOW = 20.0 if WRAPPED else 3.0 if SANITIZED else 1.0
VERBOSE = bool(os.environ.get("GEHOORD_ABUSE_VERBOSE"))
FLOOD = int(os.environ.get("GEHOORD_ABUSE_FLOOD", "10000"))
GUESSES = int(os.environ.get("GEHOORD_ABUSE_GUESSES", "4"))
HAMMER_S = float(os.environ.get("GEHOORD_ABUSE_HAMMER_S", "10"))
P99_MS = float(os.environ.get("GEHOORD_ABUSE_P99_MS", str(250 * SLOW)))
HAMMER_CLIENTS = 64             # of each kind: logins and reports
PWPOOL_NICE = 10                # server/http/pwpool.h
PWPOOL_WORKERS_MAX = 4          # server/http/pwpool.h
REPORTS_PER_ADDRESS = 30        # a minute: server/http/reporter_ctx.c
FLOOD_THREADS = 4
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECKS = CROCKFORD + "*~$=U"


def log(msg):
    print("\n  [abuse] " + msg, flush=True)


def nth_address(n, first=10):
    """The n-th loopback address from 127.first.0.1 on (never 127.0.0.1,
    the server's own)."""
    return "127.%d.%d.%d" % (first + n // 62500, n // 250 % 250,
                             1 + n % 250)


def unknown_receipt():
    """A well-formed receipt (right check symbol) that no report has."""
    n = int.from_bytes(os.urandom(15), "big")
    syms = "".join(CROCKFORD[(n >> (5 * (23 - i))) & 31] for i in range(24))
    syms += CHECKS[n % 37]
    return "-".join(syms[i:i + 5] for i in range(0, 25, 5))


def post_from(port, source, path, fields, headers=None):
    """One POST on its own connection (no keep-alive) from source; the
    follow-up page's 303 to its view is followed (harness.post_volg)."""
    kw = dict(source_address=(source, 0),
              headers=dict(headers or {}, Connection="close"))
    if path == "/melden/volg":
        return h.post_volg(port, fields, **kw)
    return h.post(port, path, fields, **kw)


KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def pct(xs, p):
    """The p-th percentile of xs (nearest rank), in ms."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] * 1000.0


def timed_gets(port, path, seconds):
    """GETs path one after another, each on its own connection, for
    seconds; returns (latencies in s, statuses other than 200)."""
    lat, bad = [], []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        t0 = time.monotonic()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            status = r.status
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
        finally:
            c.close()
        lat.append(time.monotonic() - t0)
        if status != 200:
            bad.append(status)
    return lat, bad


def hammer(port, accounts, seconds, out):
    """The attacker (a child process, so that its threads do not hold
    the measuring client's interpreter lock): HAMMER_CLIENTS threads post
    wrong logins across accounts, as many post reports; every request
    from its own loopback address, without keep-alive. Puts
    {(kind, status): count, ("503", "retry-after"): count} on out."""
    # The attacker is on another machine in real life; here it shares the
    # cores, so let the server's request threads come first.
    os.nice(5)
    cookie, token = login_form(port)  # a real login form: past its CSRF check
    counts, lock = {}, threading.Lock()
    seq = iter(range(10 ** 9))
    stop = time.monotonic() + seconds

    def one(kind, i):
        n = next(seq)
        src = nth_address(n, first=20)
        headers = None
        if kind == "login":
            fields = {"name": accounts[n % len(accounts)],
                      "password": "not the password %d" % n, "csrf": token}
            headers = {"Cookie": "gh_login=" + cookie}
            path = "/login"
        else:
            fields = {"lang": "nl", "toestemming": "ja_lezen_reageren", "wat_gebeurd": "hammer report %d" % n}
            path = "/melden"
        try:
            r = post_from(port, src, path, fields, headers)
            status, retry = r.status, r.header("Retry-After")
        except (OSError, http.client.HTTPException) as e:
            status, retry = type(e).__name__, None
        with lock:
            counts[(kind, status)] = counts.get((kind, status), 0) + 1
            if status == 503:
                k = ("503", "retry-after" if retry else "none")
                counts[k] = counts.get(k, 0) + 1
        if status in (429, 503):
            time.sleep(0.02)    # refused at once: do not spin

    def client(kind, i):
        while time.monotonic() < stop:
            one(kind, i)

    th = [threading.Thread(target=client, args=(k, i))
          for k in ("login", "report") for i in range(HAMMER_CLIENTS)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    out.put(counts)


def thread_nices(pid):
    """The niceness of each thread of process pid."""
    nices = []
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                st = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        nices.append(int(st[16]))
    return nices


HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
TEXTAREA_RE = re.compile(r'<textarea[^>]* name="text"[^>]*>\n?(.*?)</textarea>',
                         re.S)


def reposted_fields(body):
    """The fields a busy page posts again: its hidden inputs and text."""
    fields = [(k, html.unescape(v)) for k, v in HIDDEN_RE.findall(body)]
    m = TEXTAREA_RE.search(body)
    if m:
        fields.append(("text", html.unescape(m.group(1))))
    return fields


def raw_exchange(port, data, timeout=10.0 * SLOW):
    """Sends data on a new connection and reads until the server closes
    it or a whole response (by its Content-Length) is in. Returns
    (status or None, {lower header: value}, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    got = b""
    try:
        try:
            s.sendall(data)
        except OSError:
            pass            # closed by the server: read what it said
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            got += b
            head, sep, body = got.partition(b"\r\n\r\n")
            if sep:
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length" and \
                            len(body) >= int(v):
                        break
                else:
                    continue
                break
    finally:
        s.close()
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not lines[0].startswith(b"HTTP/1."):
        return None, {}, body
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode("latin-1")] = \
            v.strip().decode("latin-1")
    return int(lines[0].split()[1]), headers, body


class FramingTest(h.ServerTestCase):
    """Requests whose framing is ambiguous."""

    def test_content_length_with_transfer_encoding_is_400(self):
        # Read as chunked, the "0" chunk would end the body and the rest
        # would be a second request smuggled past a proxy that read the
        # Content-Length. Both orders of the two headers, and the POST of
        # a form: refused before any of the body is read.
        smuggled = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
        body = b"0\r\n\r\n" + smuggled
        for order in ((b"Content-Length: %d" % len(body),
                       b"Transfer-Encoding: chunked"),
                      (b"Transfer-Encoding: chunked",
                       b"Content-Length: %d" % len(body))):
            for path in (b"/melden", b"/login", b"/s/" +
                         h.random_token().encode()):
                req = (b"POST " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Content-Type: application/x-www-form-urlencoded\r\n"
                       + b"\r\n".join(order) + b"\r\n\r\n" + body)
                status, headers, page = raw_exchange(self.port, req)
                self.assertEqual(status, 400, (path, order))
                # One response only: the smuggled request was not served.
                self.assertNotIn(b"HTTP/1.1", page)
        # The same request with one framing is served as usual.
        status, _, _ = raw_exchange(
            self.port, b"POST /melden/volg HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            b"d\r\nreceipt=ABCDE\r\n0\r\n\r\n")
        self.assertEqual(status, 422)


class DeskCase(unittest.TestCase):
    """A server of its own (limits live in its memory) with a desk user
    (anna) and a researcher (rita); subclasses may add serve flags."""

    extra = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = h.mkdtemp()
        try:
            cls.db = h.init_db(cls.tmp)
            setup_desk(cls.tmp, cls.db)
            cls.server = Server(cls.db, cls.tmp, extra=cls.extra).start()
            cls.port = cls.server.port
        except BaseException:
            h.rmtree(cls.tmp)
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        h.rmtree(cls.tmp)
        if rc != 0:
            raise AssertionError("serve exited %r: %s" % (rc, err))


class SessionCapTest(DeskCase):

    def test_ninth_login_ends_the_oldest_of_that_account_only(self):
        anna = Client(self.port, ("127.0.5.1", 0))
        self.assertEqual(anna.login("anna", DESK_PW).status, 303)
        self.assertEqual(anna.get("/desk").status, 200)
        # Twelve logins of rita, all from one address: more than the
        # burst of 10 failed logins, but logins that succeed never count.
        ritas = []
        for i in range(12):
            c = Client(self.port, ("127.0.5.2", 0))
            self.assertEqual(c.login("rita", RESEARCH_PW).status, 303, i)
            ritas.append(c)
        # Only the last 8 live on: the oldest were ended, one per login
        # past the 8th (/research sends them to /login).
        for c in ritas[:4]:
            r = c.get("/research")
            self.assertEqual(r.status, 303)
            self.assertEqual(r.header("Location"), "/login")
        for c in ritas[4:]:
            self.assertEqual(c.get("/research").status, 200)
        # anna's session is another account's: untouched.
        self.assertEqual(anna.get("/desk").status, 200)


class ReceiptLimiterTest(DeskCase):
    """The receipt limiter counts failed logins per address, in a table
    that a flood of other addresses cannot use to lock anyone out."""

    def follow(self, source, code, action="login", **fields):
        f = {"lang": "en", "receipt": code, "action": action}
        f.update(fields)
        return post_from(self.port, source, "/melden/volg", f)

    def test_flood_of_wrong_receipts_locks_no_fresh_address_out(self):
        code = file_report(self.port, "flood test report", ("127.4.0.1", 0))
        statuses = {}
        lock = threading.Lock()

        def worker(k):
            mine = {}
            for n in range(k, FLOOD * GUESSES, FLOOD_THREADS):
                st = self.follow(nth_address(n % FLOOD),
                                 unknown_receipt()).status
                mine[st] = mine.get(st, 0) + 1
            with lock:
                for st, c in mine.items():
                    statuses[st] = statuses.get(st, 0) + c

        t0 = time.monotonic()
        th = [threading.Thread(target=worker, args=(k,))
              for k in range(FLOOD_THREADS)]
        for t in th:
            t.start()
        for t in th:
            t.join()
        wall = time.monotonic() - t0
        log("%d wrong receipts from %d addresses in %.1f s: %s"
            % (FLOOD * GUESSES, FLOOD, wall, statuses))
        # Each address stayed within its own budget: every answer is
        # "unknown", none 429.
        self.assertEqual(statuses, {404: FLOOD * GUESSES})
        # Fresh addresses log in at once with the right code.
        worst = 0.0
        for n in range(20):
            t1 = time.monotonic()
            r = self.follow(nth_address(n, first=200), code)
            worst = max(worst, time.monotonic() - t1)
            self.assertEqual(r.status, 200, r.body[:300])
            self.assertIn('class="report-messages"', r.body)
        log("20 fresh addresses logged in after the flood; slowest %.0f ms"
            % (worst * 1000))
        self.assertLess(worst, 2.0 * SLOW)

    def test_logged_in_reporter_takes_more_than_ten_actions(self):
        src = "127.4.0.2"
        code = file_report(self.port, "many actions", (src, 0))
        marks = ["action %d %s" % (i, os.urandom(3).hex()) for i in range(15)]
        for m in marks:
            r = self.follow(src, code, "add", text=m)
            self.assertEqual(r.status, 200, (m, r.body[:300]))
            self.assertIn(m, r.body)
        page = self.follow(src, code).body
        for m in marks:
            self.assertIn(m, page)
        # Failed logins from that address still count: the limit is there.
        seen = [self.follow(src, unknown_receipt()).status
                for _ in range(12)]
        self.assertEqual(seen[0], 404)
        self.assertIn(429, seen)


class LoginCsrfTest(DeskCase):

    def post(self, fields, cookie=None, source="127.9.0.1"):
        return post_from(self.port, source, "/login", fields,
                         {"Cookie": "gh_login=" + cookie} if cookie else {})

    def assertForged(self, r):
        self.assertEqual(r.status, 403)
        self.assertNotIn("gh_session", r.header("Set-Cookie") or "")
        self.assertIn(h.load_messages("nl")["login.forged"],
                      h.page_text(r.body))
        self.assertIn('name="csrf" value="', r.body)

    def test_login_without_its_form_token_is_403(self):
        right = {"name": "anna", "password": DESK_PW}
        cookie, token = login_form(self.port)
        other_cookie, other_token = login_form(self.port)
        self.assertNotEqual(token, other_token)
        forged = [
            (dict(right), None),                        # neither
            (dict(right), cookie),                      # no token
            (dict(right, csrf=token), None),            # no cookie
            (dict(right, csrf=other_token), cookie),    # another's pair
            (dict(right, csrf="A" * 43), cookie),       # made up
            (dict(right, csrf=token + "A"), cookie),
            (dict(right, csrf=token), "A" * 43),
        ]
        for fields, c in forged:
            self.assertForged(self.post(fields, c))
        # Fifteen refusals counted nothing: the address may still log in
        # (a burst of 10 failed logins would be over).
        for _ in range(15):
            self.assertForged(self.post(dict(right), cookie))
        r = self.post(dict(right, csrf=token), cookie)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Set-Cookie").startswith("gh_session="))

    def test_login_form_sets_a_strict_cookie_and_the_403_page_works(self):
        r = h.get(self.port, "/login")
        c = r.header("Set-Cookie")
        self.assertRegex(c, r"^gh_login=[A-Za-z0-9_-]{43}; ")
        for attr in ("HttpOnly", "SameSite=Strict", "Path=/login"):
            self.assertIn(attr, c)
        # A browser without a login cookie posts: 403, and the page's own
        # cookie and form let it in.
        r = self.post({"name": "rita", "password": RESEARCH_PW})
        self.assertForged(r)
        cookie = re.match(r"gh_login=([^;]+);",
                          r.header("Set-Cookie")).group(1)
        token = html.unescape(re.search(r'name="csrf" value="([^"]*)"',
                                        r.body).group(1))
        r = self.post({"name": "rita", "password": RESEARCH_PW,
                       "csrf": token}, cookie)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/research")


class ReportLimitTest(DeskCase):

    def test_thirty_a_minute_per_address_and_the_form_is_kept(self):
        # The limit is a bucket of thirty refilled at thirty a minute (one
        # every two seconds): the address gets the burst, plus what was
        # refilled while the reports were being filed. Filing thirty costs
        # thirty Argon2id runs, which on a loaded machine take many
        # seconds, so the bound counts the time they took.
        src = "127.6.0.1"
        start = time.monotonic()
        code = file_report(self.port, "first of thirty", (src, 0))
        stored = 1
        while stored <= 2 * REPORTS_PER_ADDRESS:
            marker = "one too many %s" % os.urandom(3).hex()
            r = post_from(self.port, src, "/melden", {"lang": "nl",
                                                      "toestemming": "ja_lezen_reageren", "wat_gebeurd": marker})
            if r.status != 200:
                break
            stored += 1
        elapsed = time.monotonic() - start
        self.assertEqual(r.status, 429)
        self.assertGreaterEqual(stored, REPORTS_PER_ADDRESS)
        self.assertLessEqual(stored, REPORTS_PER_ADDRESS + 1 +
                             int(elapsed * REPORTS_PER_ADDRESS / 60))
        self.assertEqual(r.header("Retry-After"), "60")
        text = h.page_text(r.body)
        self.assertIn(marker, text)                    # the answer kept
        self.assertIn(h.load_messages("nl")["report.limited_form"], text)
        self.assertIn('action="/melden"', r.body)
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM "
                                    "reports")[0][0], stored)
        # Another address reports; this one still follows its report.
        r = post_from(self.port, "127.6.0.2", "/melden",
                      {"lang": "nl", "toestemming": "ja_lezen_reageren", "wat_gebeurd": "from elsewhere"})
        self.assertEqual(r.status, 200)
        r = post_from(self.port, src, "/melden/volg",
                      {"lang": "en", "receipt": code, "action": "login"})
        self.assertEqual(r.status, 200)


class GlobalReportCapTest(DeskCase):
    extra = ("--reports-per-minute", "5")

    def test_cap_refuses_new_reports_never_follow_up(self):
        codes = [file_report(self.port, "capped %d" % i,
                             ("127.7.0.%d" % (1 + i), 0)) for i in range(5)]
        marker = "over the cap %s" % os.urandom(3).hex()
        r = post_from(self.port, "127.7.0.99", "/melden",
                      {"lang": "en", "toestemming": "ja_lezen_reageren", "wat_gebeurd": marker})
        self.assertEqual(r.status, 503)
        self.assertIsNotNone(r.header("Retry-After"))
        text = h.page_text(r.body)
        self.assertIn(marker, text)
        self.assertIn(h.load_messages("en")["report.busy_form"], text)
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM "
                                    "reports")[0][0], 5)
        # Follow-up is not a new report: logins and actions go on.
        for i, code in enumerate(codes):
            r = post_from(self.port, "127.7.1.%d" % (1 + i), "/melden/volg",
                          {"lang": "en", "receipt": code, "action": "add",
                           "text": "still here %d" % i})
            self.assertEqual(r.status, 200)
            self.assertIn("still here %d" % i, r.body)


class LatencyUnderAbuseTest(DeskCase):
    """Argon2id on the hashing pool: request threads never wait for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.accounts = ["anna", "rita", "nobody-%d" % os.getpid()]
            for i in range(4):
                name = "res%d" % i
                p = h.run("user", "add", "--db", cls.db, "--name", name,
                          "--role", "researcher", "--password-file",
                          os.path.join(cls.tmp, "rita.pw"))
                if p.returncode != 0:
                    raise AssertionError(p.stderr)
                cls.accounts.append(name)
            wave = h.make_wave(cls.db, KEY.key)
            cls.token = h.issue_tokens(cls.db, wave, 10)[0]
        except BaseException:
            cls.tearDownClass()
            raise

    def test_busy_pages_keep_what_was_sent(self):
        code = file_report(self.port, "before the storm", ("127.8.0.1", 0))
        stop = threading.Event()
        seq = iter(range(10 ** 9))
        cookie, token = login_form(self.port)
        form = {"Cookie": "gh_login=" + cookie}

        def login_flood():
            while not stop.is_set():
                try:
                    post_from(self.port, nth_address(next(seq), first=30),
                              "/login", {"name": "anna", "password": "x",
                                         "csrf": token}, form)
                except (OSError, http.client.HTTPException):
                    pass

        th = [threading.Thread(target=login_flood)
              for _ in range(HAMMER_CLIENTS)]
        for t in th:
            t.start()
        probes = iter(range(10 ** 9))

        def until_busy(path, fields_of, headers=None):
            for _ in range(200):
                n = next(probes)
                r = post_from(self.port, nth_address(n, first=40), path,
                              fields_of(n), headers)
                if r.status == 503:
                    return n, r
                time.sleep(0.02)
            self.fail("no 503 from %s while the pool was flooded" % path)

        try:
            time.sleep(0.5)
            n, rep = until_busy("/melden", lambda n: {
                "lang": "en", "toestemming": "ja_lezen_reageren", "wat_gebeurd": "kept report %d" % n})
            rep_marker = "kept report %d" % n
            n, fol = until_busy("/melden/volg", lambda n: {
                "lang": "en", "receipt": code, "action": "add",
                "text": "kept message %d" % n})
            fol_marker = "kept message %d" % n
            _, log_in = until_busy("/login", lambda n: {
                "name": "anna", "password": "wrong %d" % n, "csrf": token},
                form)
            # A wrong code never waits for the pool: it is answered on
            # the request thread.
            wrong = post_from(self.port, "127.8.0.3", "/melden/volg", {
                "lang": "en", "receipt": unknown_receipt()})
        finally:
            stop.set()
            for t in th:
                t.join()
        self.assertEqual(wrong.status, 404)
        en, nl = h.load_messages("en"), h.load_messages("nl")
        for r in (rep, fol, log_in):
            self.assertEqual(r.header("Retry-After"), "5")
            self.assertEqual(r.header("Cache-Control"), "no-store")
        text = h.page_text(rep.body)
        self.assertIn(en["report.busy_form"], text)
        self.assertIn(rep_marker, text)
        self.assertIn('<html lang="en"', rep.body)
        text = h.page_text(fol.body)
        self.assertIn(en["report.busy_title"], text)
        self.assertIn(fol_marker, text)
        self.assertIn(nl["login.busy"], h.page_text(log_in.body))
        self.assertIn('name="csrf" value="%s"' % token, log_in.body)
        # Sent again once it is quiet, the kept request does what it
        # would have done.
        fields = reposted_fields(fol.body)
        self.assertIn(("action", "add"), fields)
        self.assertIn(("text", fol_marker), fields)
        r = post_from(self.port, "127.8.0.2", "/melden/volg", fields)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.body.count(fol_marker), 1)

    def test_survey_latency_holds_while_logins_and_reports_hammer(self):
        path = "/s/" + self.token
        timed_gets(self.port, path, 0.5)                # warm up
        base, bad = timed_gets(self.port, path, 2.0)
        self.assertEqual(bad, [])
        ctx = multiprocessing.get_context("fork")
        out = ctx.Queue()
        child = ctx.Process(target=hammer, args=(self.port, self.accounts,
                                                 HAMMER_S, out))
        child.start()
        try:
            time.sleep(min(1.0, HAMMER_S / 5))         # the pool fills up
            nices = thread_nices(self.server.proc.pid)
            lat, bad = timed_gets(self.port, path, HAMMER_S * 0.7)
            counts = out.get(timeout=HAMMER_S + 120 * SLOW)
        finally:
            child.join(timeout=60)
            if child.is_alive():
                child.kill()
        log("survey GET %s, %d alone: p50 %.1f / p99 %.1f / max %.1f ms"
            % ("/s/<token>", len(base), pct(base, 50), pct(base, 99),
               pct(base, 100)))
        log("the same, %d while %d clients post logins and %d post "
            "reports: p50 %.1f / p99 %.1f / max %.1f ms (bound: p99 < %.0f"
            " ms)" % (len(lat), HAMMER_CLIENTS, HAMMER_CLIENTS,
                      pct(lat, 50), pct(lat, 99), pct(lat, 100), P99_MS))
        log("the attackers' answers in %.0f s: %s" % (HAMMER_S, ", ".join(
            "%s %s: %d" % (k[0], k[1], v) for k, v in sorted(
                counts.items(), key=lambda kv: str(kv[0])))))
        self.assertEqual(bad, [])
        self.assertLess(pct(lat, 99), P99_MS)
        # The pool's queue overflowed, and each 503 said when to retry.
        self.assertGreater(counts.get(("503", "retry-after"), 0), 0)
        self.assertEqual(counts.get(("503", "none"), 0), 0)
        # Some of the work got through: wrong passwords were checked,
        # reports were stored.
        self.assertGreater(counts.get(("login", 401), 0), 0)
        self.assertGreater(counts.get(("report", 200), 0), 0)
        # The hashing workers, half the request threads (at least one, at
        # most 4) with the default of a request thread per core, run below
        # the request threads.
        self.assertEqual(nices.count(PWPOOL_NICE),
                         max(1, min(os.cpu_count() // 2, PWPOOL_WORKERS_MAX)))
        self.assertIn(0, nices)


if __name__ == "__main__":
    unittest.main()
