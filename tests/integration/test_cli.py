"""The command line contract: exit codes 0 ok, 1 failed (nothing changed),
2 usage, 3 refused for privacy; --help everywhere."""

import json
import os
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


HELP_COMMANDS = [
    ["--help"],
    ["init", "--help"],
    ["keygen", "--help"],
    ["def", "--help"],
    ["def", "check", "--help"],
    ["wave", "--help"],
    ["wave", "create", "--help"],
    ["wave", "set-k", "--help"],
    ["wave", "close", "--help"],
    ["wave", "open", "--help"],
    ["wave", "list", "--help"],
    ["tokens", "--help"],
    ["tokens", "issue", "--help"],
    ["serve", "--help"],
    ["tally", "--help"],
    ["clean", "--help"],
]


class CliTest(unittest.TestCase):
    """Commands on a database of its own (no server unless a test needs
    one)."""

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        cls.tmpdir = h.mkdtemp()
        cls.db = h.init_db(cls.tmpdir)

    @classmethod
    def tearDownClass(cls):
        h.rmtree(cls.tmpdir)

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def assertExit(self, p, code):
        self.assertEqual(p.returncode, code,
                         "exit %d, want %d\nstdout: %s\nstderr: %s"
                         % (p.returncode, code, p.stdout, p.stderr))

    def test_help_on_every_command_exits_0_with_usage(self):
        for args in HELP_COMMANDS:
            with self.subTest(cmd=" ".join(args)):
                p = h.run(*args)
                self.assertExit(p, 0)
                self.assertIn("usage", p.stdout.lower())

    def test_no_command_or_unknown_command_is_usage_error(self):
        self.assertExit(h.run(), 2)
        self.assertExit(h.run("frobnicate"), 2)
        self.assertExit(h.run("wave", "frobnicate"), 2)

    def test_init_makes_private_pepper_and_is_idempotent(self):
        db = self.path("init.db")
        self.assertExit(h.run("init", "--db", db), 0)
        self.assertTrue(os.path.exists(db))
        self.assertEqual(os.stat(db + ".pepper").st_mode & 0o777, 0o600)
        with open(db + ".pepper", "rb") as f:
            pepper = f.read()
        self.assertEqual(len(pepper), 32)
        # A second init migrates; it never replaces the pepper.
        self.assertExit(h.run("init", "--db", db), 0)
        with open(db + ".pepper", "rb") as f:
            self.assertEqual(f.read(), pepper)

    def test_wave_create_with_k_below_5_is_refused_and_creates_no_wave(self):
        before = h.waves(self.db)
        for k in ("4", "0", "-1"):
            with self.subTest(k=k):
                p = h.run("wave", "create", "--db", self.db, "--def",
                          h.DEMO_DEF, "--name", "k-too-small-" + k,
                          "--public-key", self.key.public_b64, "--k", k)
                self.assertExit(p, 3)
                self.assertIn("k", p.stderr)
        self.assertEqual(h.waves(self.db), before)
        # k = 5 is the minimum that is allowed.
        wave = h.make_wave(self.db, self.key, k=5)
        self.assertEqual(h.waves(self.db)[wave][1], 5)

    def test_wave_create_defaults_to_k_10_and_lists_it(self):
        wave = h.make_wave(self.db, self.key, name="listed-wave")
        self.assertEqual(h.waves(self.db)[wave], ("listed-wave", 10, 1))
        p = h.run("wave", "list", "--db", self.db)
        self.assertExit(p, 0)
        line = [ln for ln in p.stdout.splitlines() if "listed-wave" in ln]
        self.assertEqual(len(line), 1)
        self.assertTrue(line[0].startswith("%d\t" % wave))
        self.assertIn("k=10", line[0])

    def test_wave_create_with_an_existing_name_fails(self):
        h.make_wave(self.db, self.key, name="twice")
        before = h.waves(self.db)
        p = h.run("wave", "create", "--db", self.db, "--def", h.DEMO_DEF,
                  "--name", "twice", "--public-key", self.key.public_b64)
        self.assertExit(p, 1)
        self.assertEqual(h.waves(self.db), before)

    def test_tokens_issue_below_k_is_refused_and_writes_nothing(self):
        wave = h.make_wave(self.db, self.key)      # k = 10
        before = (h.tokens_count(self.db),
                  h.db_query(self.db, "SELECT count(*) FROM batches")[0][0])
        csv_path, sheet = self.path("small.csv"), self.path("small.html")
        p = h.run("tokens", "issue", "--db", self.db, "--wave", wave,
                  "--count", 9, "--unit", "team-a", "--base-url",
                  "http://127.0.0.1:1", "--csv", csv_path, "--sheet", sheet)
        self.assertExit(p, 3)
        self.assertFalse(os.path.exists(csv_path))
        self.assertFalse(os.path.exists(sheet))
        self.assertEqual([n for n in os.listdir(self.tmpdir)
                          if n.startswith("small")], [])
        self.assertEqual((h.tokens_count(self.db), h.db_query(
            self.db, "SELECT count(*) FROM batches")[0][0]), before)

    def test_tokens_issue_writes_csv_of_links_and_sheet(self):
        wave = h.make_wave(self.db, self.key)
        csv_path, sheet = self.path("links.csv"), self.path("links.html")
        base = "https://survey.example.org"
        p = h.run("tokens", "issue", "--db", self.db, "--wave", wave,
                  "--count", 10, "--unit", "team-b", "--base-url", base,
                  "--csv", csv_path, "--sheet", sheet)
        self.assertExit(p, 0)
        with open(csv_path, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"link\r\n"))
        self.assertTrue(data.endswith(b"\r\n"))
        self.assertNotIn(b"\n", data.replace(b"\r\n", b""))
        tokens = h.read_links_csv(csv_path, base)
        self.assertEqual(len(tokens), 10)
        self.assertEqual(len(set(tokens)), 10)
        for t in tokens:
            self.assertRegex(t, r"^[0-9A-HJKMNP-TV-Z]{26}$")
            self.assertEqual(h.token_state(self.db, t), "unspent")
        self.assertEqual(h.tokens_count(self.db, wave), 10)
        self.assertEqual(h.db_query(self.db, "SELECT unit, size FROM batches"
                                    " WHERE wave_id = ?", (wave,)),
                         [("team-b", 10)])
        self.assertTrue(os.path.getsize(sheet) > 0)
        # The files hold live tokens: only the owner may read them.
        self.assertEqual(os.stat(csv_path).st_mode & 0o077, 0)
        self.assertEqual(os.stat(sheet).st_mode & 0o077, 0)

    def test_tokens_issue_never_overwrites_links_or_issues_for_closed_wave(self):
        wave = h.make_wave(self.db, self.key)
        csv_path, sheet = self.path("exists.csv"), self.path("exists.html")
        old = b"link\r\nhttp://x/s/OLD\r\n"
        with open(csv_path, "wb") as f:
            f.write(old)
        before = h.tokens_count(self.db)
        p = h.run("tokens", "issue", "--db", self.db, "--wave", wave,
                  "--count", 10, "--base-url", "http://127.0.0.1:1",
                  "--csv", csv_path, "--sheet", sheet)
        self.assertExit(p, 1)
        with open(csv_path, "rb") as f:
            self.assertEqual(f.read(), old)
        self.assertFalse(os.path.exists(sheet))
        self.assertEqual(h.tokens_count(self.db), before)

        h.run_ok("wave", "close", "--db", self.db, "--wave", wave)
        csv2, sheet2 = self.path("closed.csv"), self.path("closed.html")
        p = h.run("tokens", "issue", "--db", self.db, "--wave", wave,
                  "--count", 10, "--base-url", "http://127.0.0.1:1",
                  "--csv", csv2, "--sheet", sheet2)
        self.assertExit(p, 1)
        self.assertFalse(os.path.exists(csv2))
        self.assertFalse(os.path.exists(sheet2))
        self.assertEqual(h.tokens_count(self.db), before)
        self.assertEqual([n for n in os.listdir(self.tmpdir)
                          if n.startswith(("exists", "closed")) and
                          n != "exists.csv"], [])

    def test_serve_refuses_a_missing_or_readable_pepper(self):
        tmp = h.mkdtemp()
        try:
            db = h.init_db(tmp)
            os.chmod(db + ".pepper", 0o644)
            p = h.run("serve", "--db", db, "--listen",
                      "127.0.0.1:%d" % h.free_port(), *h.sandbox_args(),
                      timeout=60)
            self.assertExit(p, 1)
            self.assertIn(".pepper", p.stderr)
            self.assertIn("600", p.stderr)
            os.unlink(db + ".pepper")
            p = h.run("serve", "--db", db, "--listen",
                      "127.0.0.1:%d" % h.free_port(), *h.sandbox_args(),
                      timeout=60)
            self.assertExit(p, 1)
            self.assertIn(".pepper", p.stderr)
            # serve never makes a new pepper (that would orphan every link).
            self.assertFalse(os.path.exists(db + ".pepper"))
        finally:
            h.rmtree(tmp)

    def test_set_k_lower_after_answers_is_refused_higher_is_allowed(self):
        wave = h.make_wave(self.db, self.key, k=12)
        # Without answers, k may still go down (not below 5).
        self.assertExit(h.run("wave", "set-k", "--db", self.db, "--wave",
                              wave, "--k", 11), 0)
        self.assertEqual(h.waves(self.db)[wave][1], 11)
        self.assertExit(h.run("wave", "set-k", "--db", self.db, "--wave",
                              wave, "--k", 4), 3)
        self.assertEqual(h.waves(self.db)[wave][1], 11)

        tokens = h.issue_tokens(self.db, wave, 11)
        server = h.Server(self.db, self.tmpdir).start()
        try:
            r = h.submit(server.port, tokens[0], h.VALID_ANSWER)
            self.assertEqual(r.status, 200)
        finally:
            self.assertEqual(server.stop(), 0, server.stderr())
        self.assertEqual(h.answers_count(self.db, wave), 1)

        p = h.run("wave", "set-k", "--db", self.db, "--wave", wave, "--k", 10)
        self.assertExit(p, 3)
        self.assertIn("raised", p.stderr)
        self.assertEqual(h.waves(self.db)[wave][1], 11)
        p = h.run("wave", "set-k", "--db", self.db, "--wave", wave, "--k", 11)
        self.assertIn(p.returncode, (0, 1))     # unchanged: either is fine
        self.assertEqual(h.waves(self.db)[wave][1], 11)
        self.assertExit(h.run("wave", "set-k", "--db", self.db, "--wave",
                              wave, "--k", 15), 0)
        self.assertEqual(h.waves(self.db)[wave][1], 15)

    def test_malformed_definition_exits_1_naming_file_and_json_path(self):
        with open(h.DEMO_DEF, encoding="utf-8") as f:
            d = json.load(f)
        d["questions"][5]["options"] = []      # meegemaakt: no options
        bad = self.path("bad-def.json")
        with open(bad, "w", encoding="utf-8") as f:
            json.dump(d, f)
        before = h.waves(self.db)
        for args in (["def", "check", bad],
                     ["wave", "create", "--db", self.db, "--def", bad,
                      "--name", "from-bad-def", "--public-key",
                      self.key.public_b64]):
            with self.subTest(cmd=args[0]):
                p = h.run(*args)
                self.assertExit(p, 1)
                self.assertIn("bad-def.json", p.stderr)
                self.assertIn("$.questions[5]", p.stderr)
        self.assertEqual(h.waves(self.db), before)

    def test_definition_errors_name_their_json_path(self):
        with open(h.DEMO_DEF, encoding="utf-8") as f:
            good = json.load(f)
        cases = {
            "unknown-type": lambda d: d["questions"][1].update(type="slider"),
            "no-title": lambda d: d.pop("title"),
            "duplicate-id": lambda d: d["questions"][2].update(
                id="mezelf_zijn"),
        }
        for name, breakit in cases.items():
            with self.subTest(case=name):
                d = json.loads(json.dumps(good))
                breakit(d)
                path = self.path("def-%s.json" % name)
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(d, f)
                p = h.run("def", "check", path)
                self.assertExit(p, 1)
                self.assertIn(os.path.basename(path), p.stderr)
                self.assertIn("$.", p.stderr)
        self.assertExit(h.run("def", "check", h.DEMO_DEF), 0)

    def test_invalid_json_definition_exits_1_naming_the_file(self):
        bad = self.path("not-json.json")
        with open(bad, "w") as f:
            f.write('{"format": 1, "questions": [')
        p = h.run("def", "check", bad)
        self.assertExit(p, 1)
        self.assertIn("not-json.json", p.stderr)

    def test_unknown_wave_exits_1(self):
        for args in (
                ["wave", "close", "--db", self.db, "--wave", 9999],
                ["wave", "open", "--db", self.db, "--wave", 9999],
                ["wave", "set-k", "--db", self.db, "--wave", 9999, "--k", 20],
                ["tokens", "issue", "--db", self.db, "--wave", 9999,
                 "--count", 20, "--base-url", "http://127.0.0.1:1",
                 "--csv", self.path("nowave.csv"),
                 "--sheet", self.path("nowave.html")]):
            with self.subTest(cmd=" ".join(map(str, args[:2]))):
                p = h.run(*args)
                self.assertExit(p, 1)
                self.assertIn("9999", p.stderr)
        self.assertFalse(os.path.exists(self.path("nowave.csv")))

    def test_missing_required_flag_exits_2(self):
        for args in (
                ["init"],
                ["keygen"],
                ["wave", "create", "--db", self.db, "--name", "x",
                 "--public-key", self.key.public_b64],
                ["wave", "close", "--db", self.db],
                ["wave", "set-k", "--db", self.db, "--wave", 1],
                ["wave", "list"],
                ["tokens", "issue", "--db", self.db, "--wave", 1,
                 "--count", 10, "--base-url", "http://x",
                 "--csv", self.path("x.csv")],
                ["serve", "--db", self.db],
                ["tally", "--db", self.db, "--wave", 1],
                ["def", "check"]):
            with self.subTest(cmd=" ".join(map(str, args))):
                p = h.run(*args)
                self.assertExit(p, 2)
                self.assertTrue(p.stderr.strip(), "no message on stderr")
        self.assertFalse(os.path.exists(self.path("x.csv")))

    def test_keygen_refuses_to_overwrite_a_key_file(self):
        with open(self.key.path, "rb") as f:
            before = f.read()
        p = h.run("keygen", "--out", self.key.path, "--passphrase-file",
                  self.key.pass_file)
        self.assertExit(p, 1)
        self.assertEqual(p.stdout, "")
        self.assertIn(os.path.basename(self.key.path), p.stderr)
        with open(self.key.path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(os.stat(self.key.path).st_mode & 0o077, 0)

    def test_serve_on_a_bad_listen_address_is_usage_error(self):
        for listen in ("127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999",
                       "localhost:8080"):
            with self.subTest(listen=listen):
                p = h.run("serve", "--db", self.db, "--listen", listen,
                          timeout=60)
                self.assertIn(p.returncode, (1, 2), p.stderr)
                self.assertTrue(p.stderr.strip())


if __name__ == "__main__":
    unittest.main()
