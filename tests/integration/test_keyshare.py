"""A wave key split between three holders (keygen --shares 3, any 2),
over the real CLI, a real database and answers submitted through the real
server: every pair of shares tallies the same counts (those of the known
answers, as a whole key file tallies them in test_tally.py); one share
alone is refused with exit 1 before any work; a reshare by two holders
makes a new set that tallies the same; a corrupted share, a share of
another wave, a share given twice and a wrong passphrase are refused and
named; release runs with two shares."""

import json
import os
import pty
import select
import shutil
import termios
import time
import unittest

import harness as h
from test_tally import K, expected_counts, planned_answers, shown

PASSES = ("ondernemingsraad", "onderzoeksbureau", "security officer")
NEW_PASSES = ("nieuwe ondernemingsraad", "nieuw onderzoeksbureau",
              "nieuwe security officer")
DEMO_PLAN = os.path.join(h.REPO_ROOT, "survey-defs", "plans", "demo.json")


def write_pass(path, text):
    with open(path, "w") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)
    return path


def keygen_shares(tmpdir, prefix, passes, threshold=None):
    """keygen --shares len(passes); returns (public key, [share paths],
    [passphrase files])."""
    files = [write_pass(os.path.join(tmpdir, "%s.%d.pass" % (prefix, i + 1)),
                        p) for i, p in enumerate(passes)]
    args = ["keygen", "--shares", len(passes), "--out",
            os.path.join(tmpdir, prefix)]
    if threshold is not None:
        args += ["--threshold", threshold]
    for f in files:
        args += ["--passphrase-file", f]
    pk = h.run_ok(*args).strip()
    if len(pk) != 44:
        raise AssertionError("keygen printed %r, not a base64 key" % pk)
    shares = [os.path.join(tmpdir, "%s.%d.share" % (prefix, i + 1))
              for i in range(len(passes))]
    return pk, shares, files


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def run_tty(args, answers, timeout=120):
    """Runs `gehoord ARGS` on a new pseudo-terminal and types answers[i]
    at the i-th passphrase prompt, once the prompt has turned echo off
    (so a fast answer is not flushed). Returns (exit code, all output,
    prompts seen)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(h.BIN, [h.BIN] + [str(a) for a in args])
    out, typed = b"", 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            prompts = (out.count(b"Passphrase: ") +
                       out.count(b"Passphrase again: "))
            if typed < prompts and typed < len(answers) and \
                    not termios.tcgetattr(fd)[3] & termios.ECHO:
                os.write(fd, answers[typed].encode() + b"\n")
                typed += 1
                continue
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
        else:
            os.kill(pid, 9)
            raise AssertionError("no end in %ds: %r" % (timeout, out))
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(), prompts


def key_args(shares, passes):
    args = []
    for s, p in zip(shares, passes):
        args += ["--key", s, "--passphrase-file", p]
    return args


class KeyshareTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.pk, cls.shares, cls.passes = keygen_shares(
                cls.tmpdir, "wave", PASSES)
            cls.key = h.Key(None, None, cls.pk)
            cls.answers = planned_answers()
            cls.wave = h.make_wave(cls.db, cls.key, k=K)
            tokens = h.issue_tokens(cls.db, cls.wave, len(cls.answers))
            for tok, a in zip(tokens, cls.answers):
                r = h.submit(cls.port, tok, a)
                if r.status != 200:
                    raise AssertionError("submit: %d %s" % (r.status, r.body))
        except BaseException:
            super().tearDownClass()
            raise

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def tally(self, out, shares, passes, wave=None):
        return h.run("tally", "--db", self.db, "--wave", wave or self.wave,
                     *key_args(shares, passes), "--out", out)

    def read_out(self, out):
        with open(os.path.join(out, "counts.csv"), "rb") as f:
            csv_bytes = f.read()
        with open(os.path.join(out, "counts.json"), "rb") as f:
            json_bytes = f.read()
        return csv_bytes, json_bytes

    def expected_csv_rows(self):
        exp = expected_counts(self.answers)
        return {key: shown(n, len(self.answers)) for key, n in exp.items()}

    def assertCounts(self, out):
        csv_bytes, json_bytes = self.read_out(out)
        rows = [ln.split(",") for ln in
                csv_bytes.decode("utf-8").splitlines()]
        self.assertEqual(rows[0], ["question", "type", "option", "count"])
        got = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
        self.assertEqual(got, self.expected_csv_rows())
        self.assertEqual(got[("_all", "", "_answers")], "14")
        self.assertEqual(json.loads(json_bytes)["answers"], 14)
        return csv_bytes, json_bytes

    def assertRefused(self, p, out, *names):
        """Exit 1, one error line naming each of names, nothing written."""
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stdout, "")
        errors = [ln for ln in p.stderr.splitlines() if "--key:" in ln]
        self.assertEqual(len(errors), 1, p.stderr)
        for name in names:
            self.assertIn(name, errors[0])
        if os.path.exists(out):
            self.assertEqual(os.listdir(out), [])
        return errors[0]

    def test_any_two_of_three_shares_tally_the_same_counts(self):
        outputs = []
        for pair in ((0, 1), (1, 2), (0, 2), (2, 0)):
            out = self.path("tally-%d%d" % pair)
            p = self.tally(out, [self.shares[i] for i in pair],
                           [self.passes[i] for i in pair])
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("2 shares joined", p.stderr)
            outputs.append(self.assertCounts(out))
        self.assertEqual(len(set(outputs)), 1, "pairs tally differently")
        # All three together work too.
        out = self.path("tally-all")
        p = self.tally(out, self.shares, self.passes)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.read_out(out), outputs[0])

    def test_one_of_three_refuses_before_any_work(self):
        for i in range(3):
            out = self.path("tally-one-%d" % i)
            p = self.tally(out, [self.shares[i]], [self.passes[i]])
            err = self.assertRefused(p, out, self.shares[i])
            self.assertIn("any 2 of the 3", err)
            # Refused before any key derivation or answer was opened.
            self.assertNotIn("unwrapping", p.stderr)
            self.assertNotIn("answers", p.stderr.replace(err, ""))
            self.assertFalse(os.path.exists(out))
        out = self.path("release-one")
        p = h.run("release", "--db", self.db, "--wave", self.wave,
                  *key_args(self.shares[:1], self.passes[:1]),
                  "--out", out, "--plan", DEMO_PLAN)
        self.assertRefused(p, out, self.shares[0])
        self.assertNotIn("unwrapping", p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_reshare_makes_a_new_set_that_tallies_the_same(self):
        out = self.path("tally-before-reshare")
        p = self.tally(out, self.shares[:2], self.passes[:2])
        self.assertEqual(p.returncode, 0, p.stderr)
        before = self.assertCounts(out)

        new_passes = [write_pass(self.path("new.%d.pass" % (i + 1)), t)
                      for i, t in enumerate(NEW_PASSES)]
        args = ["key", "reshare",
                *key_args([self.shares[0], self.shares[2]],
                          [self.passes[0], self.passes[2]]),
                "--shares", 3, "--threshold", 2, "--out", self.path("new")]
        for f in new_passes:
            args += ["--new-passphrase-file", f]
        p = h.run(*args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), self.pk)
        new = [self.path("new.%d.share" % (i + 1)) for i in range(3)]
        for s in new:
            self.assertEqual(os.stat(s).st_mode & 0o777, 0o600)
            with open(s, "rb") as f:
                self.assertEqual(f.read()[:8], b"GHWAVES1")
        for pair in ((1, 2), (0, 2)):
            out = self.path("tally-new-%d%d" % pair)
            p = self.tally(out, [new[i] for i in pair],
                           [new_passes[i] for i in pair])
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(self.read_out(out), before)
        # The key is the same, so the old set still opens it until its
        # files are destroyed.
        out = self.path("tally-old-after-reshare")
        p = self.tally(out, self.shares[1:], self.passes[1:])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.read_out(out), before)
        # The new holders' passphrases: an old one does not open a new
        # share.
        out = self.path("tally-new-oldpass")
        p = self.tally(out, new[:2], [new_passes[0], self.passes[1]])
        self.assertRefused(p, out, new[1])
        # Old and new shares do not mix: named, before any work.
        out = self.path("tally-mixed")
        p = self.tally(out, [self.shares[0], new[1]],
                       [self.passes[0], new_passes[1]])
        err = self.assertRefused(p, out, new[1])
        self.assertIn("another set", err)
        self.assertNotIn("unwrapping", p.stderr)
        # Reshare never overwrites: the same --out again is refused.
        before_bytes = [read_bytes(s) for s in new]
        p = h.run(*args)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(new[0], p.stderr)
        self.assertEqual([read_bytes(s) for s in new], before_bytes)
        # A single holder cannot reshare.
        p = h.run("key", "reshare", *key_args(self.shares[:1],
                                              self.passes[:1]),
                  "--shares", 3, "--out", self.path("alone"),
                  *[a for f in new_passes
                    for a in ("--new-passphrase-file", f)])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("any 2 of the 3", p.stderr)
        self.assertFalse(os.path.exists(self.path("alone.1.share")))

    def test_corrupted_share_is_named(self):
        with open(self.shares[1], "rb") as f:
            data = bytearray(f.read())
        for name, offset in (("flipped-box.share", len(data) - 1),
                             ("flipped-salt.share", 8),
                             ("flipped-index.share", 64 + 32 + 16)):
            bad = self.path(name)
            changed = bytearray(data)
            changed[offset] ^= 0x01
            with open(bad, "wb") as f:
                f.write(changed)
            os.chmod(bad, 0o600)
            out = self.path("tally-" + name)
            p = self.tally(out, [self.shares[0], bad],
                           [self.passes[0], self.passes[1]])
            err = self.assertRefused(p, out, bad)
            self.assertIn("altered", err)
            self.assertNotIn(self.shares[0] + ":", err)
        # Cut short: not a key share at all, before any work.
        bad = self.path("short.share")
        with open(bad, "wb") as f:
            f.write(data[:-1])
        out = self.path("tally-short")
        p = self.tally(out, [self.shares[0], bad],
                       [self.passes[0], self.passes[1]])
        err = self.assertRefused(p, out, bad)
        self.assertIn("not a gehoord", err)
        self.assertNotIn("unwrapping", p.stderr)

    def test_share_of_another_wave_is_named(self):
        _, other, other_passes = keygen_shares(self.tmpdir, "other",
                                               PASSES[:2])
        out = self.path("tally-other")
        p = self.tally(out, [self.shares[0], other[1]],
                       [self.passes[0], other_passes[1]])
        err = self.assertRefused(p, out, other[1])
        self.assertIn("another wave", err)
        self.assertNotIn("unwrapping", p.stderr)
        # The other wave's own shares: another wave than this one.
        p = self.tally(out, other, other_passes)
        err = self.assertRefused(p, out, other[0])
        self.assertIn("another wave", err)

    def test_same_share_twice_is_refused(self):
        copy = self.path("copy-of-1.share")
        shutil.copyfile(self.shares[0], copy)
        out = self.path("tally-twice")
        p = self.tally(out, [self.shares[0], copy],
                       [self.passes[0], self.passes[0]])
        err = self.assertRefused(p, out, self.shares[0], copy)
        self.assertIn("both share 1", err)
        self.assertNotIn("unwrapping", p.stderr)

    def test_wrong_passphrase_is_named(self):
        out = self.path("tally-wrongpass")
        p = self.tally(out, self.shares[:2], [self.passes[0],
                                              self.passes[0]])
        err = self.assertRefused(p, out, self.shares[1])
        self.assertIn("wrong passphrase", err)

    def test_each_holder_types_their_passphrase_on_the_terminal(self):
        out = self.path("tally-tty")
        code, text, prompts = run_tty(
            ["tally", "--db", self.db, "--wave", self.wave, "--key",
             self.shares[1], "--key", self.shares[2], "--out", out],
            [PASSES[1], PASSES[2]])
        self.assertEqual(code, 0, text)
        self.assertEqual(prompts, 2, text)
        self.assertIn("the holder of %s types" % self.shares[1], text)
        self.assertIn("the holder of %s types" % self.shares[2], text)
        for p in PASSES:
            self.assertNotIn(p, text)
        self.assertCounts(out)
        # Without a terminal and without passphrase files: refused.
        p = h.run("tally", "--db", self.db, "--wave", self.wave, "--key",
                  self.shares[1], "--key", self.shares[2], "--out",
                  self.path("tally-notty"))
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("no terminal", p.stderr)

    def test_one_passphrase_file_per_key(self):
        out = self.path("tally-counts")
        p = h.run("tally", "--db", self.db, "--wave", self.wave,
                  "--key", self.shares[0], "--key", self.shares[1],
                  "--passphrase-file", self.passes[0], "--out", out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("one passphrase file per key file", p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_release_with_two_shares(self):
        out = self.path("release-shares")
        p = h.run("release", "--db", self.db, "--wave", self.wave,
                  *key_args([self.shares[2], self.shares[1]],
                            [self.passes[2], self.passes[1]]),
                  "--out", out, "--plan", DEMO_PLAN)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 shares joined", p.stderr)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            tables = json.load(f)
        self.assertEqual(tables["answers"], 14)
        v = h.run("verify", out)
        self.assertEqual(v.returncode, 0, v.stderr)


class KeygenSharesTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = h.mkdtemp()
        self.addCleanup(h.rmtree, self.tmpdir)

    def test_bad_threshold_or_count_is_a_usage_error(self):
        p1 = write_pass(os.path.join(self.tmpdir, "p1"), "een")
        for shares, threshold, why in (
                (3, 1, "at least 2"), (3, 4, "from 1 to the number"),
                (256, 2, "from 1 to 255"), (0, None, "from 1 to 255"),
                (2, 0, "--threshold")):
            with self.subTest(shares=shares, threshold=threshold):
                args = ["keygen", "--shares", shares, "--out",
                        os.path.join(self.tmpdir, "x")]
                if threshold is not None:
                    args += ["--threshold", threshold]
                p = h.run(*args, "--passphrase-file", p1)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(why, p.stderr)
                self.assertEqual(p.stdout, "")
        p = h.run("keygen", "--threshold", 2, "--out",
                  os.path.join(self.tmpdir, "x"), "--passphrase-file", p1)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--shares", p.stderr)
        p = h.run("keygen", "--shares", 3, "--out",
                  os.path.join(self.tmpdir, "x"), "--passphrase-file", p1)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("one per holder", p.stderr)
        self.assertEqual(os.listdir(self.tmpdir), ["p1"])
        p = h.run("keygen", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("T >= 2 when N >= 2", p.stdout)

    def reshare_to_one(self, shares, passes, out):
        """key reshare of shares into a 1-of-1 set; returns the public
        key it prints (reshare checks the joined key against it)."""
        new = write_pass(os.path.join(self.tmpdir, out + ".pass"), "nieuw")
        p = h.run("key", "reshare", *key_args(shares, passes), "--shares",
                  1, "--out", os.path.join(self.tmpdir, out),
                  "--new-passphrase-file", new)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.strip()

    def test_keygen_asks_each_holder_twice_on_the_terminal(self):
        prefix = os.path.join(self.tmpdir, "t")
        code, text, prompts = run_tty(
            ["keygen", "--shares", 3, "--out", prefix],
            [PASSES[0], PASSES[0], PASSES[1], PASSES[1], PASSES[2],
             PASSES[2]])
        self.assertEqual(code, 0, text)
        self.assertEqual(prompts, 6, text)
        for i in range(3):
            self.assertIn("holder %d of 3 (%s.%d.share)" % (i + 1, prefix,
                                                          i + 1), text)
        for p in PASSES:
            self.assertNotIn(p, text)
        pk = [ln.strip() for ln in text.splitlines()
              if len(ln.strip()) == 44 and " " not in ln.strip()]
        self.assertEqual(len(pk), 1, text)
        # The default is any 2 of 3, and each holder's passphrase opens
        # their own share.
        passes = [write_pass(os.path.join(self.tmpdir, "p%d" % i), PASSES[i])
                  for i in range(3)]
        shares = ["%s.%d.share" % (prefix, i + 1) for i in range(3)]
        self.assertEqual(self.reshare_to_one([shares[0], shares[2]],
                                             [passes[0], passes[2]],
                                             "one"), pk[0])
        # Holder 2 types two different passphrases: nothing is written.
        code, text, _ = run_tty(
            ["keygen", "--shares", 3, "--out",
             os.path.join(self.tmpdir, "u")],
            [PASSES[0], PASSES[0], PASSES[1], "iets anders"])
        self.assertEqual(code, 1, text)
        self.assertIn("differ", text)
        self.assertFalse(os.path.exists(os.path.join(self.tmpdir,
                                                     "u.1.share")))

    def test_whole_key_file_is_reshared_into_shares(self):
        key = h.make_key(self.tmpdir)
        a = write_pass(os.path.join(self.tmpdir, "a"), PASSES[0])
        b = write_pass(os.path.join(self.tmpdir, "b"), PASSES[1])
        p = h.run("key", "reshare", "--key", key.path, "--passphrase-file",
                  key.pass_file, "--shares", 2, "--out",
                  os.path.join(self.tmpdir, "s"), "--new-passphrase-file",
                  a, "--new-passphrase-file", b)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), key.public_b64)
        shares = [os.path.join(self.tmpdir, "s.%d.share" % i) for i in (1, 2)]
        self.assertEqual(self.reshare_to_one(shares, [a, b], "one"),
                         key.public_b64)
        # A set of one (T = N = 1) opens alone, like a key file.
        one = write_pass(os.path.join(self.tmpdir, "one.pass"), "nieuw")
        self.assertEqual(self.reshare_to_one(
            [os.path.join(self.tmpdir, "one.1.share")], [one], "again"),
            key.public_b64)

    def test_existing_share_is_never_overwritten(self):
        p1 = write_pass(os.path.join(self.tmpdir, "p1"), "een")
        p2 = write_pass(os.path.join(self.tmpdir, "p2"), "twee")
        taken = os.path.join(self.tmpdir, "w.2.share")
        with open(taken, "wb") as f:
            f.write(b"someone else's file")
        p = h.run("keygen", "--shares", 2, "--out",
                  os.path.join(self.tmpdir, "w"), "--passphrase-file", p1,
                  "--passphrase-file", p2)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(taken, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertFalse(os.path.exists(os.path.join(self.tmpdir,
                                                     "w.1.share")))
        with open(taken, "rb") as f:
            self.assertEqual(f.read(), b"someone else's file")


if __name__ == "__main__":
    unittest.main()
