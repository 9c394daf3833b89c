"""Shared helpers for the gehoord integration tests.

Python 3 standard library only. The binary under test is $GEHOORD_BIN
(default: build/gehoord relative to the repository root). Every helper
that waits has a generous timeout, because the same tests also run against
an AddressSanitizer build, which is several times slower.

Main pieces:
  run(...)                 run a gehoord command, return CompletedProcess
  init_db / make_key / make_wave / issue_tokens   set up a database
  Server                   start `gehoord serve` on a free port, stop it
                           with SIGTERM and return its exit code
  get / post / submit      HTTP requests with http.client
  answers_count / spent_count / token_counts / ...  read the database
  encode_crockford / decode_crockford              token <-> 16 bytes
  parse_form               the kept values of a rendered form
"""

import html
import html.parser
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEMO_DEF = os.path.join(REPO_ROOT, "survey-defs", "demo.json")
WEB_DIR = os.path.join(REPO_ROOT, "web")

# Generous: ASan builds are ~3x slower, and Argon2id takes about a second.
CLI_TIMEOUT = float(os.environ.get("GEHOORD_TEST_CLI_TIMEOUT", "120"))
HTTP_TIMEOUT = float(os.environ.get("GEHOORD_TEST_HTTP_TIMEOUT", "60"))
START_TIMEOUT = float(os.environ.get("GEHOORD_TEST_START_TIMEOUT", "30"))
STOP_TIMEOUT = float(os.environ.get("GEHOORD_TEST_STOP_TIMEOUT", "60"))

PASSPHRASE = "correct horse battery staple, integration test"

TOKEN_LEN = 26
TOKEN_BYTES = 16
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def binary():
    """The gehoord binary: $GEHOORD_BIN or build/gehoord in the repo."""
    b = os.environ.get("GEHOORD_BIN", "build/gehoord")
    if not os.path.isabs(b):
        # Relative to the current directory if it exists there, else to
        # the repository root (the documented default).
        if os.path.exists(b):
            b = os.path.abspath(b)
        else:
            b = os.path.join(REPO_ROOT, b)
    return b


BIN = binary()

# $GEHOORD_WRAPPER: a command that every gehoord run goes through, e.g.
# "valgrind --error-exitcode=99 --log-file=DIR/vg.%p.log" (as
# server/deploy/valgrind.sh sets it). keygen, tally, release and key
# (reshare) run unwrapped: their Argon2id (256 MiB) takes ~15 s each under
# valgrind, and the code behind them is memchecked by the unit tests
# (test_crypto_keyfile, test_keyshare, test_tally).
WRAPPER = shlex.split(os.environ.get("GEHOORD_WRAPPER", ""))


def sandbox_args():
    """The serve flags the sandbox needs here: as root, drop to nobody
    (serve refuses to run as root otherwise); under valgrind, which cannot
    run a seccomp filter, --no-sandbox."""
    args = []
    if os.geteuid() == 0:
        args += ["--user", "nobody"]
    if WRAPPER:
        args += ["--no-sandbox"]
    return args
UNWRAPPED = ("keygen", "tally", "release", "key")


def command(args):
    """The argv that runs `gehoord ARGS`, under $GEHOORD_WRAPPER if set."""
    args = [str(a) for a in args]
    if WRAPPER and not (args and args[0] in UNWRAPPED):
        return WRAPPER + [BIN] + args
    return [BIN] + args


# --------------------------------------------------------------------------
# Running commands

def run(*args, timeout=CLI_TIMEOUT, input=None):
    """Runs `gehoord ARGS`; returns CompletedProcess with text output."""
    return subprocess.run(command(args), input=input,
                          capture_output=True, text=True, timeout=timeout)


def run_ok(*args, **kw):
    """Runs a command that must succeed; returns its stdout."""
    p = run(*args, **kw)
    if p.returncode != 0:
        raise AssertionError("gehoord %s: exit %d\nstdout: %s\nstderr: %s"
                             % (" ".join(str(a) for a in args), p.returncode,
                                p.stdout, p.stderr))
    return p.stdout


def mkdtemp(prefix="gehoord-it-"):
    return tempfile.mkdtemp(prefix=prefix)


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)


def init_db(tmpdir, name="gehoord.db"):
    """Creates a database (and its pepper) in tmpdir; returns its path."""
    db = os.path.join(tmpdir, name)
    run_ok("init", "--db", db)
    return db


class Key:
    """A wave key pair made with keygen: .path, .pass_file, .public_b64."""

    def __init__(self, path, pass_file, public_b64):
        self.path = path
        self.pass_file = pass_file
        self.public_b64 = public_b64


def make_key(tmpdir, name="wave.key", passphrase=PASSPHRASE):
    """Runs keygen (~1 s of Argon2id); make one per test module."""
    pass_file = os.path.join(tmpdir, name + ".pass")
    with open(pass_file, "w") as f:
        f.write(passphrase + "\n")
    os.chmod(pass_file, 0o600)
    path = os.path.join(tmpdir, name)
    out = run_ok("keygen", "--out", path, "--passphrase-file", pass_file)
    pk = out.strip()
    if len(pk) != 44:
        raise AssertionError("keygen printed %r, not a base64 key" % out)
    return Key(path, pass_file, pk)


_wave_seq = [0]


def make_wave(db, key, name=None, k=None, definition=DEMO_DEF):
    """Creates a wave; returns its id (int)."""
    if name is None:
        _wave_seq[0] += 1
        name = "wave-%d-%d" % (os.getpid(), _wave_seq[0])
    args = ["wave", "create", "--db", db, "--def", definition,
            "--name", name, "--public-key", key.public_b64]
    if k is not None:
        args += ["--k", str(k)]
    return int(run_ok(*args).strip())


_batch_seq = [0]


def issue_tokens(db, wave, count, base_url="http://127.0.0.1:1",
                 unit=None, outdir=None):
    """Issues a batch; returns the list of token texts from the CSV."""
    _batch_seq[0] += 1
    outdir = outdir or os.path.dirname(os.path.abspath(db))
    csv_path = os.path.join(outdir, "batch-%d.csv" % _batch_seq[0])
    sheet = os.path.join(outdir, "batch-%d.html" % _batch_seq[0])
    args = ["tokens", "issue", "--db", db, "--wave", str(wave), "--count",
            str(count), "--base-url", base_url, "--csv", csv_path,
            "--sheet", sheet]
    if unit is not None:
        args += ["--unit", unit]
    run_ok(*args)
    return read_links_csv(csv_path, base_url)


def read_links_csv(path, base_url=None):
    """Parses a links CSV (header `link`, CRLF lines); returns the tokens."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\r\n")
    if lines[0] != b"link":
        raise AssertionError("CSV header is %r, not b'link'" % lines[0])
    if lines[-1] == b"":
        lines.pop()
    tokens = []
    for line in lines[1:]:
        link = line.decode("ascii")
        if base_url is not None and not link.startswith(
                base_url.rstrip("/") + "/s/"):
            raise AssertionError("link %r does not start with %s/s/"
                                 % (link, base_url))
        tokens.append(link.rsplit("/s/", 1)[1])
    return tokens


# --------------------------------------------------------------------------
# The server

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


class Server:
    """`gehoord serve` on 127.0.0.1:<free port>, output to files."""

    def __init__(self, db, tmpdir, threads=None):
        self.db = db
        self.tmpdir = tmpdir
        self.threads = threads
        self.port = None
        self.proc = None
        self.stdout_path = os.path.join(tmpdir, "serve.stdout")
        self.stderr_path = os.path.join(tmpdir, "serve.stderr")
        self.returncode = None

    def start(self):
        last = None
        for _ in range(3):  # a free port can be taken in between: retry
            self.port = free_port()
            args = command(["serve", "--db", self.db, "--listen",
                            "127.0.0.1:%d" % self.port])
            if self.threads:
                args += ["--threads", str(self.threads)]
            args += sandbox_args()
            with open(self.stdout_path, "ab") as out, \
                    open(self.stderr_path, "ab") as err:
                self.proc = subprocess.Popen(args, stdout=out, stderr=err,
                                             stdin=subprocess.DEVNULL)
            try:
                self._wait_ready()
                return self
            except RuntimeError as e:
                last = e
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
        raise last

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gehoord serve exited with %d:\n%s"
                                   % (self.proc.returncode, self.stderr()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=2)
                c.request("GET", "/")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("gehoord serve did not answer GET / within %d s"
                           % START_TIMEOUT)

    def stop(self):
        """SIGTERM, wait; returns the exit code (also in .returncode)."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.returncode = "killed after SIGTERM timeout"
                self.proc = None
                return self.returncode
        self.returncode = self.proc.returncode
        self.proc = None
        return self.returncode

    def stdout(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


# --------------------------------------------------------------------------
# HTTP

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body                # str
        self.redirect = None            # the 303 that led here, if any
        self.follow_error = None        # why the GET after a 303 failed

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def __repr__(self):
        return "<Response %d %d bytes>" % (self.status, len(self.body))


def request(port, method, path, body=None, headers=None,
            source_address=None, timeout=HTTP_TIMEOUT, follow=True):
    """One request. A survey POST answers 303 to a GET of the page to
    show (POST, redirect, GET): with follow (the default) that GET is made
    too, with the same headers but the body's, and its response returned,
    with .redirect set to the 303's (else .redirect is None)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                   source_address=source_address)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        resp = Response(r.status, r.getheaders(),
                        data.decode("utf-8", "replace"))
    finally:
        c.close()
    loc = resp.header("Location") or ""
    if (follow and method == "POST" and resp.status == 303 and
            path[:3].lower() == "/s/" and loc.startswith("/s/")):
        h = {k: v for k, v in (headers or {}).items()
             if k.lower() not in ("content-type", "content-length")}
        try:
            nxt = request(port, "GET", loc, headers=h,
                          source_address=source_address, timeout=timeout)
        except (OSError, http.client.HTTPException) as e:
            # The POST was answered (for a last page: stored), only the
            # GET it points to failed: the caller gets the 303 itself.
            resp.follow_error = e
            return resp
        nxt.redirect = resp
        return nxt
    return resp


def get(port, path, **kw):
    return request(port, "GET", path, **kw)


def encode_fields(fields):
    """fields: a dict (list values repeat the field) or a list of pairs."""
    if isinstance(fields, dict):
        pairs = []
        for k, v in fields.items():
            if isinstance(v, (list, tuple)):
                pairs += [(k, x) for x in v]
            else:
                pairs.append((k, v))
    else:
        pairs = list(fields)
    return urllib.parse.urlencode(pairs)


def post(port, path, fields, headers=None, **kw):
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    return request(port, "POST", path, body=encode_fields(fields).encode(),
                   headers=h, **kw)


def post_volg(port, fields, **kw):
    """POST /melden/volg as a browser does: a 303 to the page's view
    (GET /melden/volg?v=...) is followed from the same address; the
    view's response comes back with .post_status 303. Any other answer
    (a receipt's 303, an error) comes back as it is."""
    r = post(port, "/melden/volg", fields, **kw)
    loc = r.header("Location") or ""
    if r.status != 303 or not loc.startswith("/melden/volg?v="):
        r.post_status = r.status
        return r
    kw.pop("headers", None)
    v = get(port, loc, **kw)
    v.post_status = 303
    v.view = loc
    return v


def submit(port, token, answers, lang="nl", **kw):
    """POSTs answers ({question id: option|[options]|text}) to /s/TOKEN."""
    pairs = [("lang", lang)] if lang else []
    for qid, v in answers.items():
        name = qid if qid.startswith(("q_", "switch_lang")) else "q_" + qid
        if isinstance(v, (list, tuple)):
            pairs += [(name, x) for x in v]
        else:
            pairs.append((name, v))
    return post(port, "/s/" + token, pairs, **kw)


# A complete, valid answer to the demo survey.
VALID_ANSWER = {
    "soort_werk": "beleid",
    "mezelf_zijn": "4",
    "veilig_uitspreken": "3",
    "gewaardeerd": "5",
    "gelijke_kansen": "2",
    "meegemaakt": ["pesten", "buitensluiten"],
    "toelichting": "Geen verdere opmerkingen.",
}


class FormParser(html.parser.HTMLParser):
    """Collects checked inputs, textareas and the html lang attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.checked = {}       # name -> [values]
        self.options = {}       # name -> [values]
        self.textareas = {}     # name -> text
        self.forms = []         # attrs of each <form>
        self.labels = 0
        self._ta = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "form":
            self.forms.append(a)
        elif tag == "label":
            self.labels += 1
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.options.setdefault(a.get("name"), []).append(a.get("value"))
            if "checked" in a:
                self.checked.setdefault(a.get("name"), []).append(
                    a.get("value"))
        elif tag == "textarea":
            self._ta = a.get("name")
            self.textareas[self._ta] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._ta = None

    def handle_data(self, data):
        if self._ta is not None:
            self.textareas[self._ta] += data


def parse_form(body):
    p = FormParser()
    p.feed(body)
    p.close()
    # A newline right after <textarea> is not part of its value (HTML spec).
    for k, v in p.textareas.items():
        if v.startswith("\r\n"):
            v = v[2:]
        elif v.startswith("\n"):
            v = v[1:]
        p.textareas[k] = v
    return p


def load_messages(lang):
    """The message catalogue web/messages.LANG.json (for expected texts)."""
    import json
    with open(os.path.join(WEB_DIR, "messages.%s.json" % lang),
              encoding="utf-8") as f:
        return json.load(f)


def page_text(body):
    """The page with character references resolved (to look for texts)."""
    return html.unescape(body)


# --------------------------------------------------------------------------
# The database (read-only)

def db_connect(db):
    uri = "file:%s?mode=ro" % urllib.parse.quote(os.path.abspath(db))
    return sqlite3.connect(uri, uri=True, timeout=30)


def db_query(db, sql, params=()):
    c = db_connect(db)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


def answers_count(db, wave=None):
    """Answers (not rows: a large answer is stored in parts)."""
    if wave is None:
        return db_query(db, "SELECT count(DISTINCT id) FROM answers")[0][0]
    return db_query(db, "SELECT count(DISTINCT id) FROM answers "
                    "WHERE wave_id = ?", (wave,))[0][0]


def spent_count(db, wave=None):
    """Spent tokens. The database cannot say which tokens, nor of which
    wave a spend is: spends are rows of their own under a second keyed
    hash. A wave's count is its counter, which the writer raises in the
    transaction that adds the spend; all spends are the spends rows."""
    if wave is None:
        return db_query(db, "SELECT count(*) FROM spends")[0][0]
    return db_query(db, "SELECT n_answers FROM waves WHERE id = ?",
                    (wave,))[0][0]


def tokens_count(db, wave=None):
    if wave is None:
        return db_query(db, "SELECT count(*) FROM tokens")[0][0]
    return db_query(db, "SELECT count(*) FROM tokens t JOIN batches b "
                    "ON t.batch_id = b.id WHERE b.wave_id = ?", (wave,))[0][0]


def token_hash(db, token):
    """The keyed BLAKE2b-256 hash the server stores for token."""
    import hashlib
    with open(db + ".pepper", "rb") as f:
        pepper = f.read()
    return hashlib.blake2b(decode_crockford(token), digest_size=32,
                           key=pepper).digest()


SPEND_SURVEY = 1
SPEND_REPORT_LINK = 2


def spend_hash(db, token, domain=SPEND_SURVEY):
    """The second keyed hash under which a spent token is recorded:
    BLAKE2b-256 of the token under the pepper's crypto_kdf subkey
    (context "gh-spend", subkey id = domain)."""
    import hashlib
    import struct
    with open(db + ".pepper", "rb") as f:
        pepper = f.read()
    sub = hashlib.blake2b(b"", digest_size=32, key=pepper,
                          salt=struct.pack("<Q", domain) + bytes(8),
                          person=b"gh-spend" + bytes(8)).digest()
    return hashlib.blake2b(decode_crockford(token), digest_size=32,
                           key=sub).digest()


def token_state(db, token, domain=SPEND_SURVEY):
    """'unknown', 'unspent' or 'spent' for one token (or report link)."""
    table = "tokens" if domain == SPEND_SURVEY else "report_links"
    rows = db_query(db, "SELECT spent_before_v3 FROM %s WHERE hash = ?"
                    % table, (token_hash(db, token),))
    if not rows:
        return "unknown"
    if rows[0][0] is not None:
        return "spent"
    spends = db_query(db, "SELECT count(*) FROM spends WHERE hash = ?",
                      (spend_hash(db, token, domain),))[0][0]
    return "spent" if spends else "unspent"


def waves(db):
    """{id: (name, k, is_open)}"""
    return {r[0]: (r[1], r[2], r[3]) for r in
            db_query(db, "SELECT id, name, k, is_open FROM waves")}


def table_columns(db, table):
    return [r[1] for r in db_query(db, "PRAGMA table_info(%s)" % table)]


# --------------------------------------------------------------------------
# Crockford base32 (tokens: 16 bytes <-> 26 characters)

_DECODE = {}
for _i, _c in enumerate(CROCKFORD):
    _DECODE[_c] = _i
    _DECODE[_c.lower()] = _i
for _c, _v in (("O", 0), ("o", 0), ("I", 1), ("i", 1), ("L", 1), ("l", 1)):
    _DECODE[_c] = _v


def decode_crockford(text, nbytes=TOKEN_BYTES):
    """Decodes a token as a person might type it; returns the bytes."""
    acc = 0
    nsym = 0
    for ch in text:
        if ch in "- ":
            continue
        if ch not in _DECODE:
            raise ValueError("not a Crockford base32 character: %r" % ch)
        acc = (acc << 5) | _DECODE[ch]
        nsym += 1
    nbits = nsym * 5
    if nbits < nbytes * 8 or nbits - nbytes * 8 >= 5:
        raise ValueError("wrong length for %d bytes: %d symbols"
                         % (nbytes, nsym))
    pad = nbits - nbytes * 8
    if acc & ((1 << pad) - 1):
        raise ValueError("non-zero padding bits")
    return (acc >> pad).to_bytes(nbytes, "big")


def encode_crockford(data):
    """Encodes bytes as upper-case Crockford base32 (as the server does)."""
    nbits = len(data) * 8
    nsym = (nbits + 4) // 5
    acc = int.from_bytes(data, "big") << (nsym * 5 - nbits)
    return "".join(CROCKFORD[(acc >> (5 * (nsym - 1 - i))) & 31]
                   for i in range(nsym))


def random_token():
    """A well-formed token that was never issued."""
    return encode_crockford(os.urandom(TOKEN_BYTES))


def hyphenate(token, group=5):
    return "-".join(token[i:i + group] for i in range(0, len(token), group))


# --------------------------------------------------------------------------
# A base for test classes that run one server on one database

class ServerTestCase(unittest.TestCase):
    """setUpClass: temp dir, database, server. tearDownClass: SIGTERM,
    wait, assert exit code 0, remove the temp dir. Subclasses set
    cls.key (from make_key in setUpModule) before super().setUpClass()."""

    key = None
    threads = None

    @classmethod
    def setUpClass(cls):
        cls.tmpdir = mkdtemp()
        try:
            cls.db = init_db(cls.tmpdir)
            cls.server = Server(cls.db, cls.tmpdir, threads=cls.threads)
            cls.server.start()
            cls.port = cls.server.port
        except BaseException:
            if getattr(cls, "server", None) is not None:
                cls.server.stop()
            rmtree(cls.tmpdir)
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        err = cls.server.stderr()
        rmtree(cls.tmpdir)
        if rc != 0:
            raise AssertionError("gehoord serve exited with %r after "
                                 "SIGTERM; stderr:\n%s" % (rc, err))

    def new_wave(self, n_tokens=10, k=None):
        """A fresh wave with n_tokens tokens: (wave id, [tokens])."""
        wave = make_wave(self.db, self.key, k=k)
        tokens = issue_tokens(self.db, wave, n_tokens,
                              base_url="http://127.0.0.1:%d" % self.port)
        return wave, tokens

    def assertStored(self, wave, answers, spent):
        self.assertEqual(answers_count(self.db, wave), answers,
                         "answers of wave %d" % wave)
        self.assertEqual(spent_count(self.db, wave), spent,
                         "spent tokens of wave %d" % wave)
        # Every spend has its answer and every answer its spend, over all
        # waves (where no report link was issued: those spend too).
        if db_query(self.db, "SELECT count(*) FROM report_links")[0][0] == 0:
            self.assertEqual(spent_count(self.db), answers_count(self.db),
                             "spends and answers of all waves")


class ModuleKey:
    """One key per test module: ModuleKey.setup() in setUpModule,
    ModuleKey.teardown() in tearDownModule."""

    def __init__(self):
        self.dir = None
        self.key = None

    def setup(self):
        self.dir = mkdtemp("gehoord-key-")
        self.key = make_key(self.dir)
        return self.key

    def teardown(self):
        if self.dir:
            rmtree(self.dir)


# --------------------------------------------------------------------------
# Helpers of the hostile-input and crash-safety tests (test_hostile.py,
# test_crash_safety.py)

def rss_kib(pid):
    """VmRSS of process pid in KiB, from /proc/PID/status."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/%d/status" % pid)
