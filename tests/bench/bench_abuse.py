#!/usr/bin/env python3
"""bench_abuse.py: the attacker of tests/bench/run's part "submissions
under abuse": while wrk measures survey submissions, CLIENTS threads post
wrong logins to /login (over the accounts given, and unknown names) and
as many post reports to /melden, for SECONDS.

Every request comes from its own loopback source address (127.0.0.0/8 is
all loopback on Linux: 127.X.Y.Z, never used twice) and its own
connection, so no per-address limit is what is measured: the hashing
pool (its bounded queue answers 503 at once) and the cap on new reports
from all clients are. The logins carry a real login form's cookie and
token (GET /login once), so they pass the login CSRF check and cost the
server an Argon2id run each.

Usage: bench_abuse.py PORT SECONDS CLIENTS ACCOUNT...
Prints one line of key=value pairs:
  RESULT phase=abuse seconds=S logins=N logins_401=N logins_503=N
         reports=N reports_200=N reports_503=N no_retry_after=N other=N
(no_retry_after: 503s without a Retry-After header; other: any other
status or a socket error). Exits 1 if the login page cannot be read.
"""
import http.client
import itertools
import re
import sys
import threading
import time
import urllib.parse

TIMEOUT = 120
CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')
COOKIE_RE = re.compile(r"^gh_login=([A-Za-z0-9_-]+);")

_addr = itertools.count(1)
_addr_lock = threading.Lock()


def next_address():
    """A loopback source address no request has used yet (from
    127.100.0.1 on, away from bench_login.py's)."""
    with _addr_lock:
        n = next(_addr)
    return "127.%d.%d.%d" % (100 + n // 62500, n // 250 % 250, 1 + n % 250)


def request(port, method, path, body=None, headers=None, source=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT,
                                   source_address=(source, 0) if source
                                   else None)
    try:
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        return r.status, r.getheader, r.read().decode("utf-8", "replace")
    finally:
        c.close()


def login_form(port):
    status, header, page = request(port, "GET", "/login")
    m, t = COOKIE_RE.match(header("Set-Cookie") or ""), CSRF_RE.search(page)
    if status != 200 or not m or not t:
        sys.exit("bench_abuse: GET /login gave %d without a form token"
                 % status)
    return m.group(1), t.group(1)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__.split("\n\n")[3])
    port, seconds, clients = (int(sys.argv[1]), float(sys.argv[2]),
                              int(sys.argv[3]))
    accounts = sys.argv[4:] + ["nobody-at-all"]
    cookie, token = login_form(port)
    counts, lock = {}, threading.Lock()
    seq = itertools.count()
    stop = time.monotonic() + seconds

    def count(key):
        with lock:
            counts[key] = counts.get(key, 0) + 1

    def one(kind):
        n = next(seq)
        hdr = {"Content-Type": "application/x-www-form-urlencoded"}
        if kind == "logins":
            path = "/login"
            fields = {"name": accounts[n % len(accounts)],
                      "password": "not the password %d" % n,
                      "csrf": token}
            hdr["Cookie"] = "gh_login=" + cookie
        else:
            path = "/melden"
            fields = {"lang": "nl", "toestemming": "ja_lezen_reageren",
                      "wat_gebeurd": "Benchmark: melding %d" % n}
        try:
            status, header, _ = request(port, "POST", path,
                                        urllib.parse.urlencode(fields), hdr,
                                        next_address())
        except (OSError, http.client.HTTPException):
            count("other")
            return
        count(kind)
        count("%s_%d" % (kind, status))
        if status == 503 and not header("Retry-After"):
            count("no_retry_after")
        if status not in (200, 401, 503):
            count("other")

    def client(kind):
        while time.monotonic() < stop:
            one(kind)

    t0 = time.monotonic()
    th = [threading.Thread(target=client, args=(k,))
          for k in ("logins", "reports") for _ in range(clients)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    wall = time.monotonic() - t0
    keys = ("logins", "logins_401", "logins_503", "reports", "reports_200",
            "reports_503", "no_retry_after", "other")
    print("RESULT phase=abuse seconds=%.2f %s" % (wall, " ".join(
        "%s=%d" % (k, counts.get(k, 0)) for k in keys)), flush=True)


if __name__ == "__main__":
    main()
