"""Confinement of `gehoord serve` (server/http/confine.h): started as root
with --user it serves as that user, with no way back to root, under the
seccomp filter (Seccomp: 2, NoNewPrivs: 1) on every thread; started as
root without --user it refuses (exit 2); --no-sandbox says so loudly.
Also HTTPS with HSTS (--tls-cert, --tls-key) and --behind-proxy.

That a forbidden system call kills the process is shown by
tests/unit/test_confine.c, on the same filter."""

import glob
import http.client
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
import unittest

import harness as h

KEY = h.ModuleKey()
USER = "nobody"
HSTS = "max-age=31536000"
PROXY_CLIENT = "203.0.113.77"


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


def is_root():
    return os.geteuid() == 0


def chown_tree(path, user):
    """Gives path and everything in it to user, as a deployment would
    give the data directory to the service user."""
    pw = pwd.getpwnam(user)
    for top, dirs, files in os.walk(path):
        for name in [top] + [os.path.join(top, n) for n in dirs + files]:
            os.chown(name, pw.pw_uid, pw.pw_gid)


def proc_status(pid):
    """{field: value} of /proc/PID/status (or of a task's status file)."""
    path = pid if isinstance(pid, str) else "/proc/%d/status" % pid
    with open(path) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f
                    if ":\t" in line)


class Serve(h.Server):
    """h.Server with extra `serve` options and, for HTTPS, a readiness
    check over TLS (the harness's Server passes no options)."""

    def __init__(self, db, tmpdir, extra, tls_ca=None):
        super().__init__(db, tmpdir, threads=2)
        self.extra = [str(a) for a in extra]
        self.tls = None
        if tls_ca is not None:
            self.tls = ssl.create_default_context(cafile=tls_ca)

    def start(self):
        last = None
        for _ in range(3):  # a free port can be taken in between: retry
            self.port = h.free_port()
            args = [h.BIN, "serve", "--db", self.db, "--listen",
                    "127.0.0.1:%d" % self.port, "--threads",
                    str(self.threads)] + self.extra
            with open(self.stdout_path, "ab") as out, \
                    open(self.stderr_path, "ab") as err:
                self.proc = subprocess.Popen(args, stdout=out, stderr=err,
                                             stdin=subprocess.DEVNULL)
            try:
                self._wait_ready_any()
                self._wait_confined()
                return self
            except RuntimeError as e:
                last = e
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
        raise last

    def _wait_confined(self):
        # The port answers before the main thread has dropped its user and
        # loaded the filter; "serving" is logged once it has.
        deadline = time.monotonic() + h.START_TIMEOUT
        while "serving " not in self.stderr():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gehoord serve did not confine itself:"
                                   "\n%s" % self.stderr())
            time.sleep(0.05)

    def _wait_ready_any(self):
        if self.tls is None:
            return self._wait_ready()
        deadline = time.monotonic() + h.START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gehoord serve exited with %d:\n%s"
                                   % (self.proc.returncode, self.stderr()))
            try:
                if self.https("GET", "/").status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError("gehoord serve did not answer over HTTPS")

    def https(self, method, path, body=None, headers=None):
        c = http.client.HTTPSConnection("127.0.0.1", self.port,
                                        context=self.tls,
                                        timeout=h.HTTP_TIMEOUT)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return h.Response(r.status, r.getheaders(),
                              data.decode("utf-8", "replace"))
        finally:
            c.close()


class SandboxTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = h.mkdtemp()
        self.db = h.init_db(self.tmpdir)
        self.wave = h.make_wave(self.db, KEY.key)
        self.server = None

    def tearDown(self):
        if self.server is not None and self.server.proc is not None:
            self.server.proc.kill()
            self.server.proc.wait()
        h.rmtree(self.tmpdir)

    def serve(self, *extra, tls_ca=None):
        self.server = Serve(self.db, self.tmpdir, extra, tls_ca).start()
        return self.server

    def stop_ok(self):
        rc = self.server.stop()
        self.assertEqual(rc, 0, "exit %r after SIGTERM; stderr:\n%s"
                         % (rc, self.server.stderr()))

    @unittest.skipUnless(is_root(), "switching users needs root")
    def test_serves_as_the_user_under_the_filter(self):
        tokens = h.issue_tokens(self.db, self.wave, 10)
        chown_tree(self.tmpdir, USER)
        server = self.serve("--user", USER)
        r = h.submit(server.port, tokens[0], h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(h.get(server.port, "/s/" + tokens[1]).status, 200)

        uid = pwd.getpwnam(USER).pw_uid
        gid = pwd.getpwnam(USER).pw_gid
        st = proc_status(server.proc.pid)
        self.assertEqual(st["Uid"].split(), [str(uid)] * 4)
        self.assertEqual(st["Gid"].split(), [str(gid)] * 4)
        self.assertEqual(st["Groups"].split(), [])
        self.assertEqual(st["CapEff"], "0" * 16)
        self.assertEqual(st["CapPrm"], "0" * 16)
        self.assertEqual(st["NoNewPrivs"], "1")
        self.assertEqual(st["Seccomp"], "2")
        # Every thread (request pool, writer, checkpointer), also those
        # started before the drop and the filter.
        tasks = glob.glob("/proc/%d/task/*/status" % server.proc.pid)
        self.assertGreaterEqual(len(tasks), 5)
        for t in tasks:
            ts = proc_status(t)
            self.assertEqual(ts["Uid"].split(), [str(uid)] * 4, t)
            self.assertEqual(ts["Seccomp"], "2", t)

        self.assertIn("as user %s, sandboxed" % USER, server.stderr())
        self.stop_ok()
        self.assertEqual(h.answers_count(self.db, self.wave), 1)
        self.assertEqual(h.token_state(self.db, tokens[0]), "spent")

    @unittest.skipUnless(is_root(), "the refusal is for root")
    def test_root_without_user_is_refused(self):
        p = h.run("serve", "--db", self.db, "--listen",
                  "127.0.0.1:%d" % h.free_port(), timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("refusing to serve as root", p.stderr)
        self.assertIn("--user", p.stderr)
        self.assertIn("--no-sandbox", p.stderr)

    @unittest.skipUnless(is_root(), "switching users needs root")
    def test_user_root_or_unknown_is_refused(self):
        for user in ("root", "no-such-user-gehoord"):
            p = h.run("serve", "--db", self.db, "--listen",
                      "127.0.0.1:%d" % h.free_port(), "--user", user,
                      timeout=60)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("--user %s" % user, p.stderr)

    def test_no_sandbox_says_so_loudly(self):
        server = self.serve("--no-sandbox")
        self.assertEqual(h.get(server.port, "/").status, 200)
        self.assertEqual(proc_status(server.proc.pid)["Seccomp"], "0")
        err = server.stderr()
        self.assertIn("NO SANDBOX", err)
        self.assertIn("NOT SANDBOXED", err)
        self.stop_ok()

    def make_cert(self):
        if shutil.which("openssl") is None:
            self.skipTest("openssl is not installed (needed to make a "
                          "test certificate)")
        cert = os.path.join(self.tmpdir, "cert.pem")
        key = os.path.join(self.tmpdir, "key.pem")
        p = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out",
             cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
             "subjectAltName=IP:127.0.0.1"], capture_output=True,
            text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return cert, key

    def test_https_sends_hsts(self):
        cert, key = self.make_cert()
        tokens = h.issue_tokens(self.db, self.wave, 10)
        extra = ["--tls-cert", cert, "--tls-key", key]
        if is_root():
            extra += ["--user", USER]
        server = self.serve(*extra, tls_ca=cert)
        r = server.https("GET", "/s/" + tokens[0])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Strict-Transport-Security"), HSTS)
        body = h.encode_fields([("lang", "nl")] + [
            ("q_" + k, x) for k, v in h.VALID_ANSWER.items()
            for x in (v if isinstance(v, list) else [v])]).encode()
        r = server.https("POST", "/s/" + tokens[0], body, {
            "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r.body)
        self.assertEqual(r.header("Strict-Transport-Security"), HSTS)
        r = server.https("GET", r.header("Location"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Strict-Transport-Security"), HSTS)
        self.assertEqual(server.https("GET", "/static/style.css").header(
            "Strict-Transport-Security"), HSTS)
        # Plain HTTP on the TLS port gets no page.
        try:
            status = h.get(server.port, "/", timeout=10).status
        except (OSError, http.client.HTTPException):
            status = None
        self.assertNotEqual(status, 200)
        if is_root():
            self.assertEqual(proc_status(server.proc.pid)["Seccomp"], "2")
        self.stop_ok()
        self.assertEqual(h.answers_count(self.db, self.wave), 1)

    def test_tls_cert_without_key_is_a_usage_error(self):
        p = h.run("serve", "--db", self.db, "--listen",
                  "127.0.0.1:%d" % h.free_port(), "--tls-cert",
                  self.db, "--no-sandbox", timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--tls-key", p.stderr)

    def test_plain_http_sends_no_hsts(self):
        extra = ["--user", USER] if is_root() else []
        server = self.serve(*extra)
        r = h.get(server.port, "/")
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("Strict-Transport-Security"))
        self.stop_ok()

    def test_a_taken_port_is_refused(self):
        # A second server on the same address and port must not start:
        # were it to share the port, the kernel would hand it half of the
        # first one's connections.
        extra = ["--user", USER] if is_root() else []
        server = self.serve(*extra)
        p = h.run("serve", "--db", self.db, "--listen",
                  "127.0.0.1:%d" % server.port, *extra, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("cannot listen on 127.0.0.1 port %d" % server.port,
                      p.stderr)
        self.assertEqual(h.get(server.port, "/").status, 200)
        self.stop_ok()

    def test_behind_proxy_sends_hsts_and_ignores_forwarded(self):
        extra = ["--behind-proxy"]
        if is_root():
            extra += ["--user", USER]
        server = self.serve(*extra)
        fwd = {"X-Forwarded-For": PROXY_CLIENT,
               "X-Real-IP": PROXY_CLIENT,
               "Forwarded": "for=%s;proto=https" % PROXY_CLIENT,
               "X-Forwarded-Proto": "https"}
        r = h.get(server.port, "/", headers=fwd)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Strict-Transport-Security"), HSTS)
        self.assertNotIn(PROXY_CLIENT, r.body)
        # Every connection comes from the proxy: more than the usual
        # per-address limit (256) must be served at once.
        socks = []
        try:
            for _ in range(300):
                s = socket.create_connection(("127.0.0.1", server.port),
                                             timeout=h.HTTP_TIMEOUT)
                socks.append(s)
            for s in socks:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n"
                          b"X-Forwarded-For: " + PROXY_CLIENT.encode() +
                          b"\r\nConnection: close\r\n\r\n")
            for s in socks:
                line = s.makefile("rb").readline()
                self.assertTrue(line.startswith(b"HTTP/1.1 200"), line)
        finally:
            for s in socks:
                s.close()
        self.stop_ok()
        self.assertNotIn(PROXY_CLIENT, server.stderr())
        self.assertNotIn(PROXY_CLIENT, server.stdout())


if __name__ == "__main__":
    unittest.main()
