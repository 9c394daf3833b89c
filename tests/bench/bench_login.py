#!/usr/bin/env python3
"""bench_login.py: receipt logins against a running `gehoord serve`
(tests/bench/run, part "receipt login").

Data path: POST /melden (a few reports) -> the receipt codes read from the
pages -> POST /melden/volg (lang, receipt, action=login; its 303 followed
to the GET of the view, which derives the key) from many
clients at once -> a count of 200 conversation pages, latencies, and the
server's CPU and peak RSS from /proc/PID.

Usage: bench_login.py PORT PID REPORTS CLIENTS SECONDS BURST MIB CEIL_S
  REPORTS  reports to submit first (each login uses one of their codes)
  CLIENTS  concurrent clients for SECONDS of logins (the rate)
  BURST    logins sent at once afterwards (the memory bound)
  MIB      the receipt KDF's memory (crypto/receipt.h), for the ceiling
  CEIL_S   seconds of each ceiling run
First the ceiling: crypto_pwhash (Argon2id, libsodium's interactive
operations limit, MIB MiB: the server's derivation) on 1 and 2 threads,
in this process through ctypes (which lets go of the GIL during the
call). Prints "RESULT phase=ceiling ...", "RESULT phase=rate ..." and
"RESULT phase=burst ..." lines of key=value pairs (ok: conversations
shown; busy: refused at once with 503 and Retry-After because the
server's hashing pool was full; errors: anything else, a 503 without
Retry-After included); exits 1 if something other than the bench's own
numbers goes wrong (no report, no code).

Why Python and not C with libcurl: a login costs the server one Argon2id
derivation (32 MiB, OPSLIMIT_INTERACTIVE, tens of milliseconds of CPU),
so a few tens of logins a second are all two cores can do; the client's
cost per login (well under a millisecond here) does not show, and
threads with http.client (source_address) are much simpler than a second
libcurl state machine for reports, codes and two phases.

Each login comes from its own loopback source address (127.0.0.0/8 is all
loopback on Linux: 127.1.X.Y, never used twice), so the per-address
budget of the rate limiter (a burst of 10, then 6 a minute) is never what
is measured: the figure is the Argon2id work, not the limiter.
"""
import ctypes
import ctypes.util
import http.client
import itertools
import os
import re
import sys
import threading
import time
import urllib.parse

CODE_RE = re.compile(r'<p class="report-code"><code>(.+?)</code>')
TIMEOUT = 120

_addr = itertools.count(1)
_addr_lock = threading.Lock()


def next_address():
    """A loopback source address no login has used yet."""
    with _addr_lock:
        n = next(_addr)
    return "127.%d.%d.%d" % (1 + n // 62500, n // 250 % 250, 1 + n % 250)


def post(port, path, fields, source):
    body = urllib.parse.urlencode(fields)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT,
                                   source_address=(source, 0))
    try:
        c.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        page = r.read().decode("utf-8", "replace")
        if r.status == 503 and r.getheader("Retry-After") is None:
            return "503 without Retry-After", page
        if r.status == 303:             # the page is the Location
            return 303, r.getheader("Location") or ""
        return r.status, page
    finally:
        c.close()


def get(port, path, source):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT,
                                   source_address=(source, 0))
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        c.close()


def submit_reports(port, n):
    codes = []
    for i in range(n):
        status, page = post(port, "/melden", [
            ("lang", "nl"), ("toestemming", "ja_lezen_reageren"),
            ("wat_gebeurd", "Benchmarkmelding %d: iemand werd "
                            "buitengesloten tijdens het overleg." % i)],
            "127.0.0.%d" % (2 + i))
        m = CODE_RE.search(page)
        if status != 200 or m is None:
            sys.exit("bench_login: POST /melden gave %d without a receipt "
                     "code" % status)
        codes.append(re.sub(r"<[^>]*>", "", m.group(1)))
    return codes


def login(port, code):
    """One login; returns (ok, seconds, status or exception name)."""
    t0 = time.monotonic()
    try:
        src = next_address()
        status, page = post(port, "/melden/volg", [
            ("lang", "nl"), ("receipt", code), ("action", "login")], src)
        if status == 303:               # to the view, as a browser does
            status, page = get(port, page, src)
    except (OSError, http.client.HTTPException) as e:
        return False, time.monotonic() - t0, type(e).__name__
    # The conversation, not the login form shown again with a message.
    ok = status == 200 and 'class="report-messages"' in page
    return ok, time.monotonic() - t0, status


def proc(pid):
    """(user + system CPU seconds, VmRSS kB, VmHWM kB) of pid."""
    with open("/proc/%d/stat" % pid) as f:
        st = f.read().rsplit(")", 1)[1].split()
    cpu = (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
    kb = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                kb[k] = int(v.split()[0])
    return cpu, kb["VmRSS"], kb["VmHWM"]


def reset_hwm(pid):
    """Resets VmHWM to the current RSS (clear_refs 5); 1 if it worked."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return 1
    except OSError:
        return 0


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else 0


def result(phase, res, seconds, **more):
    lat = [t for ok, t, _ in res if ok]
    # 503 with Retry-After: refused at once, the hashing pool's queue
    # being full; not an error, but not a login either.
    busy = [t for ok, t, s in res if not ok and s == 503]
    bad = [str(s) for ok, _, s in res if not ok and s != 503]
    kinds = ",".join(sorted(set(bad))) or "-"
    fields = dict(phase=phase, ok=len(lat), busy=len(busy),
                  busy_max="%.1f" % pct(busy, 100), errors=len(bad),
                  kinds=kinds,
                  seconds="%.3f" % seconds,
                  rate="%.2f" % (len(lat) / seconds if seconds else 0),
                  p50="%.1f" % pct(lat, 50), p99="%.1f" % pct(lat, 99),
                  max="%.1f" % pct(lat, 100))
    fields.update(more)
    print("RESULT " + " ".join("%s=%s" % kv for kv in fields.items()),
          flush=True)


def rate_phase(port, pid, codes, clients, seconds):
    res, lock = [], threading.Lock()
    stop = time.monotonic() + seconds

    def client(i):
        j = i
        while time.monotonic() < stop:
            r = login(port, codes[j % len(codes)])
            j += clients
            with lock:
                res.append(r)

    cpu0 = proc(pid)[0]
    t0 = time.monotonic()
    th = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    wall = time.monotonic() - t0
    cpu = proc(pid)[0] - cpu0
    ok = sum(1 for r in res if r[0])
    result("rate", res, wall, clients=clients, server_cpu="%.2f" % cpu,
           cpu_ms="%.1f" % (cpu * 1000 / ok if ok else 0))


def burst_phase(port, pid, codes, n):
    res, lock = [], threading.Lock()
    go = threading.Barrier(n + 1)
    _, rss0, _ = proc(pid)
    is_reset = reset_hwm(pid)
    _, base, hwm0 = proc(pid)

    def client(i):
        go.wait()
        r = login(port, codes[i % len(codes)])
        with lock:
            res.append(r)

    th = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in th:
        t.start()
    t0 = time.monotonic()
    go.wait()
    for t in th:
        t.join()
    wall = time.monotonic() - t0
    _, rss1, hwm = proc(pid)
    result("burst", res, wall, concurrent=n, rss_before_kb=rss0,
           base_kb=base if is_reset else hwm0, hwm_kb=hwm,
           rss_after_kb=rss1, hwm_reset=is_reset)


def ceiling(mib, seconds):
    """Argon2id derivations/s as the server makes them, 1 and 2 threads."""
    na = ctypes.CDLL(ctypes.util.find_library("sodium"))
    if na.sodium_init() < 0:
        sys.exit("bench_login: libsodium init failed")
    na.crypto_pwhash_opslimit_interactive.restype = ctypes.c_size_t
    ops = na.crypto_pwhash_opslimit_interactive()
    alg = na.crypto_pwhash_alg_argon2id13()
    rates = {}
    for n in (1, 2):
        counts = [0] * n
        stop = time.monotonic() + seconds

        def run(i):
            out = ctypes.create_string_buffer(32)
            pw, salt = os.urandom(15), os.urandom(16)
            while time.monotonic() < stop:
                if na.crypto_pwhash(out, ctypes.c_ulonglong(32), pw,
                                    ctypes.c_ulonglong(len(pw)), salt,
                                    ctypes.c_ulonglong(ops),
                                    ctypes.c_size_t(mib << 20), alg) != 0:
                    sys.exit("bench_login: crypto_pwhash failed")
                counts[i] += 1

        t0 = time.monotonic()
        th = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in th:
            t.start()
        for t in th:
            t.join()
        rates[n] = sum(counts) / (time.monotonic() - t0)
    print("RESULT phase=ceiling ops=%d mib=%d rate_1t=%.2f rate_2t=%.2f"
          % (ops, mib, rates[1], rates[2]), flush=True)


def main():
    if len(sys.argv) != 9:
        sys.exit(__doc__.split("\n\n")[2])
    port, pid, reports, clients, seconds, burst, mib, ceil_s = (
        float(a) if i in (4, 7) else int(a)
        for i, a in enumerate(sys.argv[1:]))
    ceiling(mib, ceil_s)
    codes = submit_reports(port, reports)
    print("reports %d" % len(codes), flush=True)
    rate_phase(port, pid, codes, clients, seconds)
    burst_phase(port, pid, codes, burst)


if __name__ == "__main__":
    main()
