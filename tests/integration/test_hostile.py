"""Hostile HTTP clients against the real server on 127.0.0.1.

Oversized headers and bodies, malformed and truncated requests, NUL bytes
and invalid UTF-8 in every field (method, path, query, header names and
values, form names and values), a form with 100,000 fields, slow clients
holding 300 connections open, and a burst of 10,000 requests on bad
tokens. Raw sockets send what http.client would refuse to send.

Every reply must be a clean response (a status line, headers, as many body
bytes as Content-Length says, a body that is valid UTF-8) with a 4xx
status, or a closed connection; never a hang, never a 5xx for client
garbage. Documented exceptions:
  - 505 (HTTP Version Not Supported) for an unknown HTTP version, as RFC
    9110 prescribes;
  - libmicrohttpd 0.9.75's own 500 page for a chunk-size line longer than
    the connection's read buffer (test_oversized_headers_and_bodies); no
    gehoord code runs for it;
  - 200 where the hostile bytes sit in a field the server ignores (an
    unknown header, a query parameter, a Host), and then nothing is
    stored; and for the language switch, which shows the form again;
  - no reply yet (LINGER_WAIT) for a request that is incomplete on purpose
    and half-closed: libmicrohttpd 0.9.75 often misses that FIN.
No case is marked as an expected failure: every one must pass.

After each test the server must still be alive, store a valid submission
correctly (200 and exactly one more row and spent token), its memory must
not have grown without bound (VmRSS from /proc, printed), and nothing from
the hostile requests (MARK, the client addresses) may show up in its log.
tearDownClass checks that it exits 0 on SIGTERM.

Tunable with the environment, for slow (sanitizer, valgrind) builds:
  GEHOORD_HOSTILE_BURST      requests in the bad-token burst (10000)
  GEHOORD_HOSTILE_SLOW_S     how long the slow clients hold on (6 s)
  GEHOORD_HOSTILE_RSS_MIB    allowed VmRSS growth per test (32 MiB; with
                             ASan the quarantine is capped, see asan_env)
  GEHOORD_HOSTILE_VERBOSE    print every reply
"""

import contextlib
import http.client
import os
import random
import re
import socket
import sys
import threading
import time
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def is_sanitized():
    """True if the binary under test is an AddressSanitizer build."""
    try:
        with open(h.BIN, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


SANITIZED = is_sanitized()
# Under $GEHOORD_WRAPPER (valgrind) the server is ~20x slower and VmRSS is
# valgrind's.
WRAPPED = bool(getattr(h, "WRAPPER", None))
SLOW = 20.0 if WRAPPED else 3.0 if SANITIZED else 1.0  # ASan: ~3x slower

VERBOSE = bool(os.environ.get("GEHOORD_HOSTILE_VERBOSE"))  # every reply
BURST = int(os.environ.get("GEHOORD_HOSTILE_BURST",
                           "2000" if WRAPPED else "10000"))
BURST_THREADS = 8
SLOW_CONNS = 300                     # more than the 256 per address
PER_ADDRESS_LIMIT = 256              # server/http/server.c
SLOW_SECONDS = float(os.environ.get("GEHOORD_HOSTILE_SLOW_S", "6"))
RSS_SLACK_KIB = int(os.environ.get("GEHOORD_HOSTILE_RSS_MIB", "32")) * 1024
# The quarantine of freed memory that ASan keeps (default 256 MiB) would
# swamp the memory check; cap it for this server and allow for it.
ASAN_QUARANTINE_MIB = 16
REPLY_TIMEOUT = 10.0 * SLOW          # a reply that takes longer is a hang
# libmicrohttpd 0.9.75 (epoll) often misses the FIN of a client that
# half-closes in the middle of a request, and keeps the connection until
# its idle timeout (30 s). For such cases a reply is not awaited longer
# than this; what must not happen is a wrong reply.
LINGER_WAIT = 0.3 * SLOW
PROMPT_S = 2.0 * SLOW                # "promptly" for the normal client

# Put into hostile paths, headers and form fields; must never reach the log.
MARK = b"hostilemark7q"

FORM_CT = b"Content-Type: application/x-www-form-urlencoded\r\n"
VALID_BODY = h.encode_fields([("lang", "nl")] + [
    ("q_" + k, x) for k, v in h.VALID_ANSWER.items()
    for x in (v if isinstance(v, list) else [v])]).encode()

# Invalid UTF-8 and NUL, raw (for the request line and headers) and
# %-encoded (for the URL and the form).
BAD_RAW = [b"\x00", b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80",
           b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe2\x82"]
BAD_ENC = [b"%00", b"%FF%FE", b"%C0%80", b"%ED%A0%80", b"%F8%88%80%80%80",
           b"%80", b"%E2%82"]


@contextlib.contextmanager
def asan_env():
    """Caps ASan's quarantine for a server started inside (no-op without
    ASan), so that VmRSS shows leaks rather than recently freed memory."""
    old = os.environ.get("ASAN_OPTIONS")
    if SANITIZED:
        os.environ["ASAN_OPTIONS"] = ((old + ":") if old else "") + \
            "quarantine_size_mb=%d" % ASAN_QUARANTINE_MIB
    try:
        yield
    finally:
        if SANITIZED:
            if old is None:
                del os.environ["ASAN_OPTIONS"]
            else:
                os.environ["ASAN_OPTIONS"] = old


# --------------------------------------------------------------------------
# Raw HTTP

class Reply:
    """What came back on a raw connection. kind: 'response' (a complete
    response: status, headers {lower name: value}, body bytes), 'closed'
    (closed or reset before a complete response), 'timeout', or 'bad'
    (bytes that are not an HTTP response; detail says what)."""

    def __init__(self, kind, status=None, headers=None, body=b"",
                 detail="", elapsed=0.0, rest=b""):
        self.kind = kind
        self.status = status
        self.headers = headers or {}
        self.body = body
        self.detail = detail
        self.elapsed = elapsed
        self.rest = rest            # bytes after the first response
        self.nbytes = 0             # for a timeout: bytes received

    def __repr__(self):
        if self.kind == "response":
            return "<%d, %d body bytes, %.2f s>" % (self.status,
                                                    len(self.body),
                                                    self.elapsed)
        return "<%s %s%.2f s>" % (self.kind, self.detail and
                                  self.detail + ", ", self.elapsed)


_STATUS = re.compile(rb"HTTP/1\.[01] ([1-5][0-9][0-9]) [^\r\n]*\Z")


def parse_reply(data, eof, head_only=False):
    """Parses the first final response in data (skipping 1xx). Returns a
    Reply, or None if more bytes could complete it (not at eof)."""
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if b"HTTP/1."[:len(data)] != data[:7]:
                return Reply("bad", detail="not HTTP: %r" % data[:80])
            if not eof:
                return None
            return Reply("closed", detail="%d bytes of a head" % len(data)
                         if data else "")
        lines = data[:end].split(b"\r\n")
        m = _STATUS.match(lines[0])
        if not m:
            return Reply("bad", detail="status line %r" % lines[0][:80])
        status = int(m.group(1))
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name != name.strip():
                return Reply("bad", detail="header line %r" % line[:80])
            headers[name.decode("latin-1").lower()] = \
                value.strip().decode("latin-1")
        data = data[end + 4:]
        if 100 <= status < 200:
            continue
        if head_only or status in (204, 304):
            return Reply("response", status, headers, b"", rest=data)
        if "content-length" in headers:
            n = int(headers["content-length"])
            if len(data) < n:
                if not eof:
                    return None
                return Reply("closed", detail="body cut at %d of %d bytes"
                             % (len(data), n))
            return Reply("response", status, headers, data[:n],
                         rest=data[n:])
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return Reply("bad", detail="chunked response (unexpected)")
        if not eof:
            return None
        return Reply("response", status, headers, data)


def exchange(port, data, chunks=(), shut=False, head_only=False,
             source=None, timeout=REPLY_TIMEOUT, rst=False):
    """Sends data (then chunks) on a new connection, half-closes it if
    shut (for requests that are incomplete on purpose) and reads until a
    complete response is in or the server closes; returns a Reply. The
    server may answer and close while we still send: we then read what it
    said. (A complete request is not half-closed: libmicrohttpd 0.9.75
    often misses that FIN, see LINGER_WAIT.)"""
    start = time.monotonic()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    got = b""
    r = None
    try:
        if source:
            s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        try:
            s.sendall(data)
            for c in chunks:
                s.sendall(c)
            if rst:
                # Close with a reset instead of a FIN: SO_LINGER 0.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             b"\x01\x00\x00\x00\x00\x00\x00\x00")
                s.close()
                return Reply("closed", detail="we reset",
                             elapsed=time.monotonic() - start)
            if shut:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass    # reset or shut down by the server: read what it said
        deadline = start + timeout
        while r is None:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                b = s.recv(65536)
            except socket.timeout:
                r = parse_reply(got, False, head_only)
                if r is None:
                    r = Reply("timeout", detail="no reply in %.1f s, got "
                              "%d bytes" % (timeout, len(got)))
                    r.nbytes = len(got)
                break
            except ConnectionResetError:
                b = b""
            got += b
            r = parse_reply(got, not b, head_only)
    finally:
        s.close()
    r.elapsed = time.monotonic() - start
    return follow_survey_redirect(port, r, source, timeout)


def follow_survey_redirect(port, r, source, timeout):
    """A survey POST answers 303 to a GET of the page to show: returns
    that GET's reply (with .redirect the 303), as a browser sees it."""
    loc = r.headers.get("location", "") if r.kind == "response" else ""
    if r.status != 303 or not loc.startswith("/s/"):
        return r
    nxt = exchange(port, request_bytes(b"GET", loc.encode("latin-1")),
                   source=source, timeout=timeout)
    nxt.redirect = r
    nxt.elapsed += r.elapsed
    return nxt


def request_bytes(method, path, headers=(), body=None, version=b"HTTP/1.1",
                  host=b"127.0.0.1"):
    """A request as bytes; headers are raw lines without CRLF."""
    lines = [method + b" " + path + b" " + version]
    if host is not None:
        lines.append(b"Host: " + host)
    lines += list(headers)
    if body is not None:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def post_bytes(path, body, headers=()):
    return request_bytes(b"POST", path, [FORM_CT.strip()] + list(headers),
                         body)


# --------------------------------------------------------------------------

class HostileHTTPTest(h.ServerTestCase):

    rss_start = None

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        with asan_env():
            super().setUpClass()
        try:
            cls.pid = cls.server.proc.pid
            cls.wave = h.make_wave(cls.db, cls.key)
            cls._tokens = iter(h.issue_tokens(
                cls.db, cls.wave, 100,
                base_url="http://127.0.0.1:%d" % cls.port))
            # Warm up (page templates, SQLite caches, malloc arenas of the
            # threads) before the first memory figure.
            for _ in range(20):
                h.get(cls.port, "/")
                h.get(cls.port, "/s/" + h.random_token())
            cls.rss_start = h.rss_kib(cls.pid)
        except BaseException:
            cls.server.stop()
            h.rmtree(cls.tmpdir)
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc is not None and cls.server.proc.poll() is None:
            rss = h.rss_kib(cls.pid)
            log("all hostile tests: VmRSS %d KiB at the start, %d KiB at "
                "the end (%+d KiB)%s" % (cls.rss_start, rss,
                                         rss - cls.rss_start,
                                         " [ASan]" if SANITIZED else ""))
        super().tearDownClass()

    def setUp(self):
        self.assertIsNone(self.server.proc.poll(), "the server has exited")
        self.rss0 = h.rss_kib(self.pid)

    def fresh_token(self):
        return next(self._tokens)

    # -- checks --------------------------------------------------------

    def assertClean(self, what, r, allowed, may_close=True,
                    may_linger=False):
        """r is a clean response with a status in allowed, or (may_close)
        a closed connection, or (may_linger) nothing yet."""
        if r.kind == "closed" and may_close:
            return
        if r.kind == "timeout" and may_linger and r.nbytes == 0:
            return
        self.assertEqual(r.kind, "response",
                         "%s: %r %s" % (what, r, r.detail))
        self.assertIn(r.status, allowed, "%s: %r" % (what, r))
        if r.status >= 500:
            self.assertEqual(r.status, 505, "%s: a 5xx for client garbage"
                             % what)
        try:
            r.body.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail("%s: the %d page is not valid UTF-8: %s near %r"
                      % (what, r.status, e,
                         r.body[max(0, e.start - 40):e.start + 8]))
        if r.headers.get("content-type", "").startswith("text/html") and \
                r.body:
            self.assertIn(b"</html>", r.body, what)

    def assertUnspent(self, *tokens):
        for t in tokens:
            self.assertEqual(h.token_state(self.db, t), "unspent", t)

    def assertHealthy(self, what):
        """Alive; a valid submission gives 200 and one more row and spent
        token; VmRSS grew by less than the slack; the log is clean."""
        self.assertIsNone(self.server.proc.poll(),
                          "the server died: %s" % self.server.stderr())
        rows = h.answers_count(self.db, self.wave)
        spent = h.spent_count(self.db, self.wave)
        self.assertEqual(rows, spent, "answers and spent tokens differ")
        tok = self.fresh_token()
        r = h.submit(self.port, tok, h.VALID_ANSWER)
        self.assertEqual(r.status, 200, "%s: valid submission: %r\n%s"
                         % (what, r, r.body[:500]))
        self.assertEqual(h.answers_count(self.db, self.wave), rows + 1)
        self.assertEqual(h.spent_count(self.db, self.wave), spent + 1)
        self.assertEqual(h.token_state(self.db, tok), "spent")
        rss = h.rss_kib(self.pid)
        log("%-34s VmRSS %7d KiB -> %7d KiB (%+6d KiB)%s"
            % (what, self.rss0, rss, rss - self.rss0,
               " [ASan]" if SANITIZED else ""))
        slack = RSS_SLACK_KIB
        if SANITIZED:
            slack += ASAN_QUARANTINE_MIB * 1024 * 2
        if WRAPPED:
            slack += 64 * 1024      # valgrind's own queue of freed blocks
        self.assertLess(rss - self.rss0, slack,
                        "%s: VmRSS grew from %d to %d KiB"
                        % (what, self.rss0, rss))
        err = self.server.stderr()
        self.assertNotIn(MARK.decode(), err, "hostile bytes in the log")
        for addr in ("127.0.0.2", "127.0.0.3", "127.0.0.4"):
            self.assertNotIn(addr, err, "a client address in the log")

    def run_cases(self, cases, watch=None):
        """cases: (what, bytes, allowed statuses[, exchange kwargs]); a
        kwarg linger=True means the request is incomplete and half-closed
        (see LINGER_WAIT). watch: a token that must stay unspent."""
        seen = {}
        for case in cases:
            what, data, allowed = case[:3]
            kw = dict(case[3]) if len(case) > 3 else {}
            linger = kw.pop("linger", False)
            if linger:
                # Incomplete on purpose: half-close, wait briefly, from
                # 127.0.0.4 (a kept connection holds one of the address's
                # 256 places for 30 s).
                kw.update(shut=True, timeout=LINGER_WAIT,
                          source="127.0.0.4")
            with self.subTest(what=what):
                r = exchange(self.port, data, **kw)
                key = r.status if r.kind == "response" else r.kind
                seen[key] = seen.get(key, 0) + 1
                if VERBOSE:
                    log("%-50s %r" % (what[:50], r))
                self.assertClean(what, r, allowed, may_linger=linger)
                if watch is not None:
                    self.assertEqual(h.token_state(self.db, watch),
                                     "unspent", "%s spent the token" % what)
        return seen

    # -- the tests -----------------------------------------------------

    def test_oversized_headers_and_bodies(self):
        tok = self.fresh_token().encode()
        path = b"/s/" + tok
        big = b"a" * 70000
        chunk_64k = b"10000\r\n" + b"q" * 0x10000 + b"\r\n"
        te = b"Transfer-Encoding: chunked"
        cases = [
            ("a header line of 70 KB",
             request_bytes(b"GET", b"/", [b"X-" + MARK + b": " + big]),
             (431,)),
            ("10,000 header lines",
             request_bytes(b"GET", b"/", [b"X-%d: %s" % (i, MARK)
                                          for i in range(10000)]), (431,)),
            ("a URL of 70 KB",
             request_bytes(b"GET", b"/s/" + MARK + big), (414, 431)),
            ("a query of 70 KB",
             request_bytes(b"GET", b"/?lang=" + MARK + big), (414, 431)),
            ("a cookie of 70 KB",
             request_bytes(b"GET", b"/", [b"Cookie: a=" + big]), (431,)),
            ("4 MiB of header without an end",
             b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ",
             (431,), {"chunks": [b"a" * 65536] * 64, "linger": True}),
            ("a body of 70 KB",
             post_bytes(path, b"q_soort_werk=beleid&q_toelichting=" + big),
             (413,)),
            ("a chunked body of 1 MiB",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (413,), {"chunks": [chunk_64k] * 16 + [b"0\r\n\r\n"]}),
            ("a chunked body of 80 KB in 1-byte chunks",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (413,), {"chunks": [b"1\r\na\r\n" * 80000 + b"0\r\n\r\n"]}),
            ("Content-Length over 2^64",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Content-Length: " +
                                           b"9" * 30]), (400, 413)),
            ("Content-Length negative",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Content-Length: -1"]),
             (400, 413)),
            ("Content-Length not a number",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Content-Length: 1x9"]),
             (400, 413)),
            ("Content-Length of 1 GB, 128 KiB sent, then FIN",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Content-Length: 1000000000"]),
             (400, 413), {"chunks": [b"a" * 131072], "linger": True}),
            ("chunk size over 2^64",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (400, 413), {"chunks": [b"F" * 40 + b"\r\nabc"]}),
            ("a trailer of 70 KB",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (400, 413, 422, 431),
             {"chunks": [b"0\r\nX-Trailer: " + big + b"\r\n\r\n"]}),
        ]
        seen = self.run_cases(cases, watch=tok.decode())
        log("oversized: replies %r" % seen)

        # A chunk-size line longer than the connection's read buffer
        # (within its 32 KiB): libmicrohttpd 0.9.75 answers with its own 500 page
        # ("... read the GNU libmicrohttpd documentation about connection
        # management and blocking") and closes. The one 500 allowed here;
        # it comes from the library, before any gehoord code runs.
        r = exchange(self.port,
                     request_bytes(b"POST", path, [FORM_CT.strip(), te]),
                     chunks=[b"5;ext=" + big + b"\r\nq_a=1\r\n0\r\n\r\n"])
        log("a chunk extension of 70 KB: %r" % r)
        if r.kind == "response" and r.status == 500:
            self.assertIn(b"libmicrohttpd documentation", r.body)
        else:
            self.assertClean("a chunk extension of 70 KB", r,
                             (400, 413, 431))
        self.assertUnspent(tok.decode())
        self.assertHealthy("oversized headers and bodies")

    def test_malformed_requests(self):
        tok = self.fresh_token().encode()
        path = b"/s/" + tok
        rnd = random.Random(7)
        noise = bytes(rnd.randrange(256) for _ in range(4096))
        te = b"Transfer-Encoding: chunked"
        cases = [
            ("4 KiB of random bytes", noise, (400, 414, 431),
             {"linger": True}),
            ("a TLS ClientHello",
             bytes.fromhex("16030100a5010000a10303") + bytes(range(160)),
             (400,), {"linger": True}),
            ("NUL-led line", b"\x00\x01\x02\xff\xfe\r\n\r\n", (400,),
             {"linger": True}),
            ("only CRLFs", b"\r\n" * 2000, (400,), {"linger": True}),
            ("HTTP/0.9 request line", b"GET /\r\n\r\n", (400,)),
            ("no version", b"GET / \r\nHost: x\r\n\r\n", (400,)),
            ("unknown HTTP version",
             request_bytes(b"GET", b"/", version=b"HTTP/3.0"), (400, 505)),
            ("not HTTP", request_bytes(b"GET", b"/", version=b"XTTP/1.1"),
             (400,)),
            ("version with garbage",
             request_bytes(b"GET", b"/", version=b"HTTP/1.1x"), (400, 505)),
            ("a method of 1000 letters",
             request_bytes(b"G" * 1000, b"/"), (400, 405, 501)),
            ("lower-case method", request_bytes(b"get", b"/"),
             (400, 405, 501)),
            ("CONNECT", request_bytes(b"CONNECT", b"127.0.0.1:22"),
             (400, 405, 501)),
            ("OPTIONS *", request_bytes(b"OPTIONS", b"*"), (400, 405, 501)),
            ("TRACE", request_bytes(b"TRACE", b"/"), (400, 405, 501)),
            ("PUT with a form", request_bytes(b"PUT", path, [FORM_CT.strip()],
                                              VALID_BODY), (400, 405)),
            ("a header without a colon",
             request_bytes(b"GET", b"/", [b"NoColonHere"]), (400,)),
            ("a header name with a space",
             request_bytes(b"GET", b"/", [b"X Y: z"]), (200, 400)),
            ("an empty header name",
             request_bytes(b"GET", b"/", [b": z"]), (200, 400)),
            ("a form POST without Content-Type",
             request_bytes(b"POST", path, [], VALID_BODY), (400, 415)),
            ("a form POST as text/plain",
             request_bytes(b"POST", path, [b"Content-Type: text/plain"],
                           VALID_BODY), (400, 415)),
            ("a form POST as multipart",
             request_bytes(b"POST", path,
                           [b"Content-Type: multipart/form-data; "
                            b"boundary=b"],
                           b"--b\r\nContent-Disposition: form-data; "
                           b"name=\"q_soort_werk\"\r\n\r\nbeleid\r\n"
                           b"--b--\r\n"), (400, 415)),
            ("Content-Length and chunked (smuggling)",
             request_bytes(b"POST", path, [FORM_CT.strip(), te,
                                           b"Content-Length: %d"
                                           % (5 + len(VALID_BODY))],
                           host=b"x") + b"0\r\n\r\n" + VALID_BODY,
             (400, 422)),
            ("a chunk size that is not hex",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (400,), {"chunks": [b"ZZ\r\nabc\r\n0\r\n\r\n"]}),
            ("a chunk longer than its size",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]),
             (400,), {"chunks": [b"2\r\nabcdef\r\n0\r\n\r\n"]}),
            ("an unknown transfer coding",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Transfer-Encoding: gzip"],
                           VALID_BODY[:10]), (400, 411, 422, 501),
             # libmicrohttpd 0.9.75 then reads the body until the client
             # closes: incomplete to it.
             {"linger": True}),
            ("Expect: something odd",
             request_bytes(b"POST", path, [FORM_CT.strip(),
                                           b"Expect: \xff\x00odd"],
                           b"q_soort_werk=x"), (400, 417, 422)),
            ("an absolute URL",
             request_bytes(b"GET", b"http://evil.example/s/" + MARK),
             (400, 404)),
            ("a path with ..",
             request_bytes(b"GET", b"/static/../../../etc/passwd"),
             (400, 404)),
            ("a path with %2e%2e",
             request_bytes(b"GET", b"/static/%2e%2e/%2e%2e/etc/passwd"),
             (400, 404)),
            ("a valid GET, then garbage on the same connection",
             request_bytes(b"GET", b"/") + noise[:200], (200,)),
        ]
        seen = self.run_cases(cases, watch=tok.decode())
        log("malformed: replies %r" % seen)
        self.assertUnspent(tok.decode())

        # A valid submission cut off at every byte: nothing is stored, the
        # link keeps working. A third end with FIN (read after a short
        # wait, all at once), the others with a reset. From 127.0.0.4, so
        # that connections the server keeps (LINGER_WAIT) do not count
        # against 127.0.0.1's per-address limit.
        tok2 = self.fresh_token()
        full = post_bytes(b"/s/" + tok2.encode(), VALID_BODY)
        statuses = {}
        fin = []
        try:
            for cut in range(1, len(full)):
                if cut % 3:
                    r = exchange(self.port, full[:cut], rst=True,
                                 source="127.0.0.4")
                    statuses["reset"] = statuses.get("reset", 0) + 1
                    continue
                c = socket.create_connection(("127.0.0.1", self.port),
                                             timeout=REPLY_TIMEOUT,
                                             source_address=("127.0.0.4",
                                                             0))
                fin.append((cut, c))
                c.sendall(full[:cut])
                c.shutdown(socket.SHUT_WR)
            time.sleep(LINGER_WAIT)
            for cut, c in fin:
                c.setblocking(False)
                got, eof = b"", False
                while True:
                    try:
                        b = c.recv(65536)
                    except BlockingIOError:
                        break
                    except ConnectionResetError:
                        b = b""
                    if not b:
                        eof = True
                        break
                    got += b
                r = parse_reply(got, eof) or Reply(
                    "timeout", detail="%d bytes" % len(got))
                r.nbytes = len(got)
                key = r.status if r.kind == "response" else r.kind
                statuses[key] = statuses.get(key, 0) + 1
                self.assertClean("cut at byte %d" % cut, r, (400,),
                                 may_linger=True)
        finally:
            for cut, c in fin:
                c.close()
        log("truncated at each of %d bytes: %r (timeout: still open "
            "after %.1f s)" % (len(full) - 1, statuses, LINGER_WAIT))
        self.assertUnspent(tok2)
        self.assertEqual(exchange(self.port, full).status, 200)
        self.assertEqual(h.token_state(self.db, tok2), "spent")
        self.assertHealthy("malformed and truncated requests")

    def test_nul_and_invalid_utf8_in_every_field(self):
        tok = self.fresh_token()
        t = tok.encode()
        form = FORM_CT.strip()
        cases = []
        for bad in BAD_RAW:
            b = repr(bad)
            cases += [
                ("method " + b, request_bytes(b"GE" + bad + b"T", b"/"),
                 (400, 405, 501)),
                ("path " + b, request_bytes(b"GET", b"/" + MARK + bad),
                 (400, 404)),
                ("static path " + b,
                 request_bytes(b"GET", b"/static/" + MARK + bad + b".css"),
                 (400, 404)),
                ("token path, before " + b,
                 post_bytes(b"/s/" + bad + t, VALID_BODY), (400, 404)),
                ("token path, inside " + b,
                 post_bytes(b"/s/" + t[:13] + bad + t[13:], VALID_BODY),
                 (400, 404)),
                ("query value " + b,
                 request_bytes(b"GET", b"/s/" + t + b"?lang=" + bad),
                 (200, 400)),
                ("query name " + b,
                 request_bytes(b"GET", b"/?" + MARK + bad + b"=1"),
                 (200, 400)),
                ("header name " + b,
                 request_bytes(b"GET", b"/", [b"X-" + MARK + bad + b": 1"]),
                 (200, 400)),
                ("Host " + b, request_bytes(b"GET", b"/",
                                            host=MARK + bad), (200, 400)),
                ("Content-Type " + b,
                 request_bytes(b"POST", b"/s/" + t,
                               [b"Content-Type: " + bad +
                                b"application/x-www-form-urlencoded"],
                               VALID_BODY), (400, 415)),
                ("Content-Length " + b,
                 request_bytes(b"POST", b"/s/" + t,
                               [form, b"Content-Length: " + bad +
                                b"%d" % len(VALID_BODY)], host=b"x") +
                 VALID_BODY, (400, 411, 413)),
                ("form name, raw " + b,
                 post_bytes(b"/s/" + t, VALID_BODY + b"&q_" + MARK + bad +
                            b"=1"), (400, 422)),
                ("form value of a text, raw " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=x&q_toelichting=" +
                            MARK + bad), (400, 422)),
                ("form value of a choice, raw " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=beleid" + bad),
                 (400, 422)),
            ]
            for name in (b"Accept-Language", b"Cookie", b"User-Agent",
                         b"X-Forwarded-For", b"Referer", b"Connection"):
                cases.append(("%s %s" % (name.decode(), b),
                              request_bytes(b"GET", b"/s/" + t,
                                            [name + b": " + MARK + bad]),
                              (200, 400)))
        for bad in BAD_ENC:
            b = bad.decode()
            cases += [
                ("path " + b, request_bytes(b"GET", b"/" + MARK + bad),
                 (400, 404)),
                ("token path, inside " + b,
                 post_bytes(b"/s/" + t[:13] + bad + t[13:], VALID_BODY),
                 (400, 404)),
                ("query value " + b,
                 request_bytes(b"GET", b"/s/" + t + b"?lang=" + bad),
                 (200, 400)),
                ("form name " + b,
                 post_bytes(b"/s/" + t, VALID_BODY + b"&q_" + MARK + bad +
                            b"=1"), (400, 422)),
                # (A valid answer with an unknown field that is not q_...
                # is stored: such fields are ignored. So no valid answer.)
                ("form name (no q_) " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=x&" + bad + b"=1"),
                 (400, 422)),
                ("form value of a text " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=beleid&q_toelichting="
                            + MARK + bad + b"x"), (400, 422)),
                ("form value of a choice " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=beleid" + bad),
                 (400, 422)),
                ("form value of a multiple choice " + b,
                 post_bytes(b"/s/" + t, b"q_soort_werk=beleid&"
                            b"q_meegemaakt=" + bad), (400, 422)),
                ("form lang " + b,
                 post_bytes(b"/s/" + t, b"lang=" + bad + b"&q_soort_werk=x"),
                 (400, 422)),
                # The language switch shows the form again: 200, not
                # stored; what it echoes must still be UTF-8.
                ("form switch_lang " + b,
                 post_bytes(b"/s/" + t, b"switch_lang=" + bad +
                            b"&q_toelichting=" + bad + b"&q_" + bad + b"=1"),
                 (200, 400)),
                ("form switch_lang=en, text " + b,
                 post_bytes(b"/s/" + t, b"switch_lang=en&q_toelichting=" +
                            MARK + bad), (200, 400)),
            ]
        seen = self.run_cases(cases, watch=tok)
        log("NUL and invalid UTF-8 in %d places: replies %r"
            % (len(cases), seen))
        self.assertUnspent(tok)
        self.assertHealthy("NUL and invalid UTF-8")

    def test_form_with_100000_fields(self):
        tok = self.fresh_token().encode()
        path = b"/s/" + tok
        te = b"Transfer-Encoding: chunked"
        amp = b"q_meegemaakt=pesten&" * 100000
        cases = [
            ("100,000 fields, 2 MB, Content-Length",
             post_bytes(path, amp), (413,)),
            ("100,000 fields, chunked",
             request_bytes(b"POST", path, [FORM_CT.strip(), te]), (413,),
             {"chunks": [b"%x\r\n" % len(amp) + amp + b"\r\n0\r\n\r\n"]}),
            ("100,000 empty fields (&&&)", post_bytes(path, b"&" * 100000),
             (413,)),
            ("65,536 empty fields in 64 KiB",
             post_bytes(path, b"&" * 65535), (413,)),
            ("32,768 one-letter fields in 64 KiB",
             post_bytes(path, b"a&" * 32767 + b"a"), (413,)),
            ("513 fields",
             post_bytes(path, b"&".join([b"q_meegemaakt=pesten"] * 513)),
             (413,)),
            ("512 fields (at the limit)",
             post_bytes(path, b"&".join([b"q_meegemaakt=pesten"] * 511 +
                                        [b"q_soort_werk=x"])), (422,)),
            ("512 copies of a text field",
             post_bytes(path, b"&".join([b"q_toelichting=" + b"x" * 100] *
                                        512)), (400, 413, 422)),
        ]
        for what, data, allowed, *kw in cases:
            with self.subTest(what=what):
                r = exchange(self.port, data, **(kw[0] if kw else {}))
                self.assertClean(what, r, allowed)
                log("%-40s %r" % (what, r))
                self.assertLess(r.elapsed, 5 * SLOW, what)
        self.assertUnspent(tok.decode())
        self.assertHealthy("form with 100,000 fields")

    def test_slow_clients_do_not_starve_other_addresses(self):
        # 300 connections from 127.0.0.2 send one byte a second: 200 of them
        # in their headers, 100 in a form body. A client from 127.0.0.3 is
        # meanwhile served promptly. The per-address limit (256) keeps the
        # rest of 127.0.0.2's connections out.
        socks = []
        refused = 0
        try:
            for i in range(SLOW_CONNS):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(5 * SLOW)
                s.bind(("127.0.0.2", 0))
                try:
                    s.connect(("127.0.0.1", self.port))
                    if i % 3 == 2:
                        s.sendall(b"POST /s/" + MARK + b" HTTP/1.1\r\n"
                                  b"Host: x\r\n" + FORM_CT +
                                  b"Content-Length: 60000\r\n\r\nq_")
                    else:
                        s.sendall(b"GET /s/" + MARK + b" HTTP/1.1\r\n"
                                  b"Host: x\r\nX-Slow: ")
                except OSError:
                    refused += 1
                    s.close()
                    continue
                socks.append(s)
            stop = threading.Event()
            alive = list(socks)

            def trickle():
                nonlocal alive
                while not stop.wait(1.0):
                    still = []
                    for s in alive:
                        try:
                            s.send(b"a")
                            still.append(s)
                        except OSError:
                            pass
                    alive = still

            th = threading.Thread(target=trickle, daemon=True)
            th.start()
            times = []
            deadline = time.monotonic() + SLOW_SECONDS
            while time.monotonic() < deadline:
                time.sleep(1.0)
                t0 = time.monotonic()
                r = h.get(self.port, "/", source_address=("127.0.0.3", 0),
                          timeout=PROMPT_S * 5)
                t1 = time.monotonic()
                self.assertEqual(r.status, 200)
                tok = self.fresh_token()
                r = h.submit(self.port, tok, h.VALID_ANSWER,
                             source_address=("127.0.0.3", 0),
                             timeout=PROMPT_S * 5)
                t2 = time.monotonic()
                self.assertEqual(r.status, 200, r.body[:300])
                times += [t1 - t0, t2 - t1]
            stop.set()
            th.join()
            # Which of the slow connections does the server still hold? A
            # closed one reads EOF (or a reset) at once; a held one times
            # out.
            held = 0
            for s in alive:
                s.settimeout(0.01)
                try:
                    if s.recv(1024):
                        pass        # an early error page: not held
                except socket.timeout:
                    held += 1
                except OSError:
                    pass
            log("slow clients: %d connected from 127.0.0.2 (%d refused at "
                "connect), %d still held after %.0f s; 127.0.0.3 served in "
                "max %.3f s (%d requests)"
                % (len(socks), refused, held, SLOW_SECONDS, max(times),
                   len(times)))
            self.assertLessEqual(held, PER_ADDRESS_LIMIT)
            self.assertGreater(len(times), 0)
            self.assertLess(max(times), PROMPT_S,
                            "the normal client waited %.2f s" % max(times))
        finally:
            for s in socks:
                s.close()
        self.assertHealthy("slow clients (slowloris)")

    def test_burst_of_requests_on_bad_tokens(self):
        # BURST requests on bad tokens from 8 threads on keep-alive
        # connections: well-formed tokens never issued (GET and POST),
        # malformed tokens, and a spent token. All 404 or 410; nothing
        # stored, nothing spent.
        spent_tok = self.fresh_token()
        self.assertEqual(h.submit(self.port, spent_tok,
                                  h.VALID_ANSWER).status, 200)
        rows = h.answers_count(self.db, self.wave)
        spent = h.spent_count(self.db, self.wave)
        body = VALID_BODY
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        junk = ["x", "A" * 25, "A" * 27, "0" * 26, "U" * 26, "%20" * 26,
                h.hyphenate(h.random_token())[:-1] + "!", "é" * 13,
                "s/s/s", "..%2f..%2f"]
        lock = threading.Lock()
        statuses = {}
        n_spent_tries = [0]
        problems = []
        reconnects = [0]
        per_thread = BURST // BURST_THREADS
        deadline = time.monotonic() + 120 * SLOW

        def worker(n):
            rnd = random.Random(n)
            mine = {}
            c = http.client.HTTPConnection("127.0.0.1", self.port,
                                           timeout=h.HTTP_TIMEOUT)
            try:
                for i in range(per_thread + (n < BURST % BURST_THREADS)):
                    if time.monotonic() > deadline:
                        problems.append("deadline passed")
                        return
                    kind = i % 4
                    if kind == 0:
                        args = ("GET", "/s/" + h.random_token())
                    elif kind == 1:
                        args = ("POST", "/s/" + h.random_token(), body, form)
                    elif kind == 2:
                        j = rnd.choice(junk)
                        args = ("GET", "/s/" + urlquote(j))
                    else:
                        args = ("POST", "/s/" + spent_tok, body, form)
                        with lock:
                            n_spent_tries[0] += 1
                    for attempt in (0, 1):
                        try:
                            c.request(*args)
                            r = c.getresponse()
                            r.read()
                            break
                        except (OSError, http.client.HTTPException) as e:
                            # The server closed the keep-alive connection:
                            # count it, reconnect once.
                            c.close()
                            with lock:
                                reconnects[0] += 1
                            if attempt == 1:
                                problems.append("%s %s: %r" % (args[0],
                                                               args[1], e))
                                return
                    mine[r.status] = mine.get(r.status, 0) + 1
                    if r.status not in (404, 410):
                        problems.append("%s %s gave %d" % (args[0], args[1],
                                                           r.status))
            finally:
                c.close()
                with lock:
                    for k, v in mine.items():
                        statuses[k] = statuses.get(k, 0) + v

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(n,))
                   for n in range(BURST_THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        took = time.monotonic() - t0
        log("burst: %d requests in %.1f s (%.0f/s), replies %r, %d "
            "reconnects" % (sum(statuses.values()), took,
                            sum(statuses.values()) / took, statuses,
                            reconnects[0]))
        self.assertEqual(problems, [])
        self.assertEqual(sum(statuses.values()), BURST)
        self.assertEqual(set(statuses), {404, 410})
        self.assertEqual(statuses[410], n_spent_tries[0])
        # Keep-alive held: a handful of reconnects at most.
        self.assertLess(reconnects[0], BURST // 100 + 1)
        self.assertEqual(h.answers_count(self.db, self.wave), rows)
        self.assertEqual(h.spent_count(self.db, self.wave), spent)
        self.assertHealthy("burst of %d bad-token requests" % BURST)

    def test_raw_nul_after_the_token_stores_at_most_once(self):
        # libmicrohttpd 0.9.75 hands the path to on_request as a C string:
        # a raw NUL cuts it, so "POST /s/TOKEN<NUL>junk" is a submission to
        # /s/TOKEN, and the server cannot see the difference (nothing in
        # the 0.9.75 API shows the raw request line). Harmless: the client
        # holds the token anyway. What must hold: one row at most, the
        # second try is refused, and nothing is a 5xx.
        tok = self.fresh_token()
        rows = h.answers_count(self.db, self.wave)
        data = post_bytes(b"/s/" + tok.encode() + b"\x00" + MARK,
                          VALID_BODY)
        first = exchange(self.port, data)
        self.assertClean("first", first, (200, 400, 404))
        second = exchange(self.port, data)
        self.assertClean("second", second, (400, 404, 410))
        stored = 1 if first.status == 200 else 0
        log("raw NUL after the token: %r then %r" % (first, second))
        self.assertEqual(h.answers_count(self.db, self.wave), rows + stored)
        self.assertEqual(h.token_state(self.db, tok),
                         "spent" if stored else "unspent")

    # -- once gaps, now fixed (server/http/request.c) -------------------

    def test_headers_fit_in_32_kib_a_connection(self):
        # A connection holds 32 KiB for its request's headers (and the
        # answer's): 12 KB of cookie, more than a browser sends, is read;
        # 24 KB, which 64 KiB would have held, is refused with 431.
        for size, status in ((12000, 200), (24000, 431)):
            r = exchange(self.port, request_bytes(
                b"GET", b"/", [b"Cookie: a=" + b"b" * size]))
            self.assertEqual(r.kind, "response", (size, r))
            self.assertEqual(r.status, status, size)

    def test_percent_encoded_nul_in_the_path_is_refused(self):
        # libmicrohttpd's default unescaper decoded %00 and handed the path
        # over as a C string, so "/s/TOKEN%00junk" arrived as "/s/TOKEN".
        # request_unescape leaves %00 undecoded: the token does not parse.
        tok = self.fresh_token()
        r = exchange(self.port, post_bytes(b"/s/" + tok.encode() +
                                           b"%00junk", VALID_BODY))
        self.assertClean("%00 after the token", r, (400, 404))
        self.assertUnspent(tok)

    def test_declared_oversized_body_is_refused_before_it_is_read(self):
        # A POST declaring 100 MB is answered 413 on its headers, before
        # any of the body is read (request_start), and the connection
        # closes.
        tok = self.fresh_token()
        r = exchange(self.port,
                     request_bytes(b"POST", b"/s/" + tok.encode(),
                                   [FORM_CT.strip(),
                                    b"Content-Length: 100000000"]),
                     chunks=[b"a" * 131072], timeout=min(3 * SLOW, 10))
        self.assertClean("100 MB declared, 128 KiB sent", r, (413,))
        self.assertUnspent(tok)


def urlquote(s):
    import urllib.parse
    return urllib.parse.quote(s, safe="%/!")


def log(msg):
    print("  [hostile] " + msg, file=sys.stderr, flush=True)


if __name__ == "__main__":
    unittest.main()
