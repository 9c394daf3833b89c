"""Blind invitations over HTTP, with a client of our own
(voprf_client.py: RFC 9497's client steps on libsodium through ctypes).

- the client itself reproduces the RFC's VOPRF vectors;
- invitation -> GET /i/CODE (the page states the batch's public key and
  loads /static/voprf.js under its integrity hash) -> POST blinded ->
  evaluated element and a proof that holds for that key -> a token the
  server never saw -> /s/TOKEN -> a stored answer;
- a replayed invitation (POST or GET) and a replayed token are refused
  with clear pages; a token whose tag is wrong, and one of another
  batch, are unknown; a bad blinded element is 400 and spends nothing;
- copies of the database after the invitation is spent and after the
  token is spent show no changed row or page of what was issued, one new
  invitation_spends row and one new spends row, and none of the bytes
  the exchange carried (blinded, evaluated, input, output): nothing
  relates the spent invitation to the spent token.
"""

import base64
import hashlib
import json
import os
import random
import re
import unittest

import harness as h
import test_release_e2e as tre
import test_survey_resume as tsr
import voprf_client as vc
from test_unlinkable import Snapshot, wait_quiet

KEY = h.ModuleKey()
VECTORS = os.path.join(h.REPO_ROOT, "tests", "data", "voprf",
                       "rfc9497_ristretto255_voprf.json")


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


class ClientVectorsTest(unittest.TestCase):
    def test_client_reproduces_rfc_vectors(self):
        with open(VECTORS) as f:
            v = json.load(f)
        pk = bytes.fromhex(v["pkSm"])
        for t in v["vectors"]:
            if len(t["input"]) != 1:
                continue
            inp = bytes.fromhex(t["input"][0])
            bl, blinded = vc.blind(inp, bytes.fromhex(t["blind"][0]))
            self.assertEqual(blinded.hex(), t["blindedElement"][0])
            out = vc.finalize(inp, bl, bytes.fromhex(
                t["evaluationElement"][0]), blinded, pk,
                bytes.fromhex(t["proof"]))
            self.assertEqual(out.hex(), t["output"][0])
            bad = bytearray(bytes.fromhex(t["proof"]))
            bad[5] ^= 1
            with self.assertRaises(ValueError):
                vc.finalize(inp, bl, bytes.fromhex(
                    t["evaluationElement"][0]), blinded, pk, bytes(bad))


class Browser:
    """The steps of the invitation page's script, as a mixin."""

    def page_key(self, code):
        r = h.get(self.port, "/i/" + code)
        self.assertEqual(r.status, 200, r.body)
        m = re.search(r'data-batch="(\d+)" data-pk="([0-9a-f]{64})"', r.body)
        self.assertIsNotNone(m, "the page states no batch and key")
        return int(m.group(1)), bytes.fromhex(m.group(2)), r

    def redeem(self, code):
        """The browser's steps; returns (token, what went over the wire)."""
        batch, pk, _ = self.page_key(code)
        inp = vc.new_input()
        bl, blinded = vc.blind(inp)
        r = h.post(self.port, "/i/" + code, [("blinded", blinded.hex())])
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.header("Content-Type"),
                         "application/json; charset=utf-8")
        ans = json.loads(r.body)
        ev, proof = bytes.fromhex(ans["evaluated"]), bytes.fromhex(
            ans["proof"])
        out = vc.finalize(inp, bl, ev, blinded, pk, proof)
        return vc.token(batch, inp, out), (blinded, ev, inp, out, proof)


class InviteTest(Browser, h.ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wave = h.make_wave(cls.db, KEY.key, k=5)
        cls.batches = []
        for unit in ("Afdeling A", "Afdeling B"):
            csv = os.path.join(cls.tmpdir, "inv-%s.csv" % unit[-1])
            out = h.run_ok("invitations", "issue", "--db", cls.db, "--wave",
                           str(cls.wave), "--count", "5", "--unit", unit,
                           "--base-url", "http://127.0.0.1:%d" % cls.port,
                           "--csv", csv)
            batch = int(re.match(r"batch (\d+):", out).group(1))
            cls.printed_pk = getattr(cls, "printed_pk", {})
            cls.printed_pk[batch] = re.search(
                r"^public key: ([0-9a-f]{64})$", out, re.M).group(1)
            with open(csv) as f:
                codes = [l.strip().rsplit("/i/", 1)[1] for l in f
                         if "/i/" in l]
            cls.batches.append((batch, codes))

    def test_page_states_key_and_script_integrity(self):
        batch, pk, r = self.page_key(self.batches[0][1][4])
        self.assertEqual(batch, self.batches[0][0])
        # The key the page states is the one issue printed to publish.
        self.assertEqual(pk.hex(), self.printed_pk[batch])
        csp = r.header("Content-Security-Policy")
        self.assertIn("script-src 'self';", csp)
        self.assertTrue(csp.endswith("; connect-src 'self'"), csp)
        m = re.search(r'<script type="module" src="/static/voprf.js" '
                      r'integrity="sha512-([A-Za-z0-9+/=]+)"></script>',
                      r.body)
        self.assertIsNotNone(m)
        js = h.get(self.port, "/static/voprf.js")
        self.assertEqual(js.status, 200)
        digest = base64.b64encode(hashlib.sha512(
            js.body.encode("utf-8")).digest()).decode()
        self.assertEqual(m.group(1), digest)
        # Without JavaScript the page says so, and the button is hidden.
        msgs = h.load_messages("nl")
        self.assertIn(msgs["invite.nojs"], r.body)
        self.assertRegex(r.body, r'<div id="invite-go" hidden>')

    def test_invitation_to_answer_and_replays_refused(self):
        code = self.batches[0][1][0]
        tok, _ = self.redeem(code)
        self.assertEqual(len(tok), 58)
        r = h.submit(self.port, tok, h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(h.answers_count(self.db, self.wave), 1)
        # A replayed token: the spent page.
        r = h.get(self.port, "/s/" + tok)
        self.assertEqual(r.status, 410)
        self.assertIn(h.load_messages("nl")["page.spent.heading"], r.body)
        # A replayed invitation: refused, POST and GET.
        _, blinded = vc.blind(vc.new_input())
        r = h.post(self.port, "/i/" + code, [("blinded", blinded.hex())])
        self.assertEqual(r.status, 410)
        self.assertEqual(json.loads(r.body), {"error": "used"})
        r = h.get(self.port, "/i/" + code)
        self.assertEqual(r.status, 410)
        self.assertIn(h.load_messages("nl")["invite.used.heading"], r.body)
        self.assertEqual(h.answers_count(self.db, self.wave), 1)

    def test_forged_tokens_are_unknown(self):
        tok, (_, _, inp, out, _) = self.redeem(self.batches[1][1][0])
        batch = self.batches[1][0]
        bad = bytearray(out)
        bad[0] ^= 1
        unknown = h.load_messages("nl")["page.unknown_token.heading"]
        for forged in (vc.token(batch, inp, bytes(bad)),
                       vc.token(self.batches[0][0], inp, out),
                       vc.token(999, inp, out)):
            r = h.get(self.port, "/s/" + forged)
            self.assertEqual(r.status, 404, forged)
            self.assertIn(unknown, r.body)
        # The real one still works.
        r = h.get(self.port, "/s/" + tok)
        self.assertEqual(r.status, 200)

    def test_bad_blinded_element_spends_nothing(self):
        code = self.batches[1][1][1]
        for v in ("00" * 32, "00" * 31 + "80", "ff" * 32, "abc", ""):
            r = h.post(self.port, "/i/" + code, [("blinded", v)])
            self.assertEqual(r.status, 400, v)
            self.assertIn("blinded", json.loads(r.body)["error"])
        self.redeem(code)

    def test_keys_list_is_signed_and_names_every_batch(self):
        import nacl.exceptions
        import nacl.signing
        out = os.path.join(self.tmpdir, "keys-%d.json" % random.getrandbits(32))
        h.run_ok("invitations", "keys", "--db", self.db, "--wave",
                 str(self.wave), "--out", out)
        with open(out, "rb") as f:
            data = f.read()
        js = json.loads(data)
        self.assertEqual(js["wave"], self.wave)
        # Every batch of the wave, with the key issue printed and the
        # page states (test_page_states_key_and_script_integrity).
        self.assertEqual({b["batch"]: b["public_key"] for b in js["batches"]},
                         self.printed_pk)
        self.assertEqual(sorted(b["unit"] for b in js["batches"]),
                         ["Afdeling A", "Afdeling B"])
        self.assertEqual({b["size"] for b in js["batches"]}, {5})
        # Signed with the release key (signify: "Ed", key number, then
        # the signature or the key), which the server never reads.
        def signify(path):
            with open(path) as f:
                return base64.b64decode(f.read().splitlines()[1])[10:]
        sig, pub = signify(out + ".sig"), signify(out + ".pub")
        with open(self.db + ".release.sign", "rb") as f:
            self.assertEqual(pub, f.read()[32:])
        vk = nacl.signing.VerifyKey(pub)
        vk.verify(data, sig)
        bad = bytearray(data)
        bad[data.index(js["batches"][0]["public_key"].encode())] ^= 1
        with self.assertRaises(nacl.exceptions.BadSignatureError):
            vk.verify(bytes(bad), sig)
        # Never overwritten: a second run refuses, naming the file.
        p = h.run("invitations", "keys", "--db", self.db, "--wave",
                  str(self.wave), "--out", out)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(out, p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)
        # A wave without invitation batches: said, nothing written.
        other = h.make_wave(self.db, KEY.key, k=5)
        out2 = out + ".other"
        p = h.run("invitations", "keys", "--db", self.db, "--wave",
                  str(other), "--out", out2)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("no invitation batches", p.stderr)
        self.assertFalse(os.path.exists(out2))
        self.assertFalse(os.path.exists(out2 + ".sig"))

    def test_unknown_invitation(self):
        r = h.get(self.port, "/i/" + h.random_token())
        self.assertEqual(r.status, 404)
        r = h.get(self.port, "/i/not-a-code")
        self.assertEqual(r.status, 404)


class InviteSnapshotTest(Browser, h.ServerTestCase):
    """Copies of the database relate no spent invitation to its token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wave = h.make_wave(cls.db, KEY.key, k=5)
        csv = os.path.join(cls.tmpdir, "inv.csv")
        h.run_ok("invitations", "issue", "--db", cls.db, "--wave",
                 str(cls.wave), "--count", "5", "--base-url",
                 "http://127.0.0.1:%d" % cls.port, "--csv", csv)
        with open(csv) as f:
            cls.codes = [l.strip().rsplit("/i/", 1)[1] for l in f
                         if "/i/" in l]
        cls.n = 0

    def snap(self):
        wait_quiet(self.db)
        InviteSnapshotTest.n += 1
        return Snapshot(self.db, os.path.join(self.tmpdir, "s%d" % self.n))

    def assertOnlyGrown(self, before, after, grown):
        for t in before.tables:
            if t == "waves":
                continue
            self.assertLessEqual(before.rows[t], after.rows[t],
                                 "a row of %s changed or went" % t)
            if t not in grown:
                self.assertEqual(after.rows[t], before.rows[t],
                                 "rows added to %s" % t)
        for name in ("invitations", "invitation_batches",
                     "invitations_batch"):
            self.assertEqual(before.pages(name), after.pages(name),
                             "a page of %s changed" % name)

    def test_spent_invitation_and_token_are_unrelated(self):
        issued = self.snap()
        tok, wire = self.redeem(self.codes[0])
        spent_inv = self.snap()
        self.assertOnlyGrown(issued, spent_inv, ("invitation_spends",))
        self.assertEqual(len(spent_inv.rows["invitation_spends"]), 1)
        r = h.submit(self.port, tok, h.VALID_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        spent_tok = self.snap()
        self.assertOnlyGrown(spent_inv, spent_tok, ("spends", "answers"))
        self.assertEqual(len(spent_tok.rows["spends"]), 1)
        # None of the exchange's bytes is anywhere in any copy.
        for s in (spent_inv, spent_tok):
            for b in wire:
                for piece in (b[:16], b[-16:]):
                    self.assertNotIn(piece, s.data)
                    for f in s.files.values():
                        if isinstance(f, bytes):
                            self.assertNotIn(piece, f)
        # The two new rows are keyed hashes under different keys: neither
        # is the invitation's lookup hash.
        inv_spend = next(iter(spent_inv.rows["invitation_spends"]))[0]
        tok_spend = next(iter(spent_tok.rows["spends"]))[0]
        lookups = {r[0] for r in spent_tok.rows["invitations"]}
        self.assertNotIn(inv_spend, lookups)
        self.assertNotIn(tok_spend, lookups)
        self.assertNotEqual(inv_spend, tok_spend)


class InvitationsCliTest(unittest.TestCase):
    """gehoord invitations issue: the checks of gehoord tokens issue."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = h.mkdtemp()
        cls.db = h.init_db(cls.tmp)
        cls.wave = h.make_wave(cls.db, KEY.key, k=5)

    @classmethod
    def tearDownClass(cls):
        h.rmtree(cls.tmp)

    def issue(self, count, csv, wave=None, *extra):
        return h.run("invitations", "issue", "--db", self.db, "--wave",
                     str(wave or self.wave), "--count", str(count),
                     "--base-url", "https://x.example", "--csv", csv, *extra)

    def batches(self):
        return h.db_query(self.db,
                          "SELECT count(*) FROM invitation_batches")[0][0]

    def test_issue_and_refusals(self):
        csv = os.path.join(self.tmp, "a.csv")
        p = self.issue(5, csv, None, "--unit", "Team 1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("storing 5 invitation hashes", p.stderr)
        self.assertEqual(os.stat(csv).st_mode & 0o777, 0o600)
        with open(csv) as f:
            links = [l.strip() for l in f if "/i/" in l]
        self.assertEqual(len(links), 5)
        for l in links:
            self.assertRegex(l, r"^https://x\.example/i/[0-9A-Z]{26}$")
        self.assertEqual(self.batches(), 1)
        # Below k: refused (3), nothing stored, no file.
        small = os.path.join(self.tmp, "small.csv")
        p = self.issue(4, small)
        self.assertEqual(p.returncode, 3)
        self.assertIn("--count: 4 is below the wave's k (5)", p.stderr)
        self.assertFalse(os.path.exists(small))
        # An existing file is never overwritten.
        with open(csv, "rb") as f:
            before = f.read()
        p = self.issue(5, csv)
        self.assertEqual(p.returncode, 1)
        self.assertIn("refusing to overwrite", p.stderr)
        with open(csv, "rb") as f:
            self.assertEqual(f.read(), before)
        # No such wave; a closed wave; a missing option; --help.
        p = self.issue(5, os.path.join(self.tmp, "b.csv"), 99)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--wave: no wave 99", p.stderr)
        closed = h.make_wave(self.db, KEY.key, k=5)
        h.run_ok("wave", "close", "--db", self.db, "--wave", closed)
        p = self.issue(5, os.path.join(self.tmp, "c.csv"), closed)
        self.assertEqual(p.returncode, 1)
        self.assertIn("is closed", p.stderr)
        p = h.run("invitations", "issue", "--db", self.db)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(h.run("invitations", "issue", "--help").returncode,
                         0)
        self.assertEqual(self.batches(), 1)


class InviteResumeTest(Browser, h.ServerTestCase):
    """Save and continue later works for a link made from an invitation."""

    msg = tsr.SurveyResumeTest.msg
    to_page3 = tsr.SurveyResumeTest.to_page3
    save = tsr.SurveyResumeTest.save
    continue_with = tsr.SurveyResumeTest.continue_with

    def test_save_and_continue(self):
        wave = h.make_wave(self.db, KEY.key, k=5, definition=tsr.ERVAREN)
        csv = os.path.join(self.tmpdir, "inv.csv")
        h.run_ok("invitations", "issue", "--db", self.db, "--wave",
                 str(wave), "--count", "5", "--base-url",
                 "http://127.0.0.1:%d" % self.port, "--csv", csv)
        with open(csv) as f:
            code = [l.strip().rsplit("/i/", 1)[1] for l in f
                    if "/i/" in l][0]
        tok, _ = self.redeem(code)
        b = self.to_page3(tok)
        self.save(b, [("q_gemeld", "nee")])
        self.assertEqual(h.db_query(self.db, "SELECT count(*) FROM resumes")
                         [0][0], 1)
        c = self.continue_with(tok, tsr.PHRASE, expect=200)
        self.assertIn("Pagina 3 van", c.r.body)
        self.assertEqual(h.parse_form(c.r.body).checked.get("q_gemeld"),
                         ["nee"])


class InviteClosedTest(Browser, h.ServerTestCase):
    """A closed wave: its invitations and their links make nothing."""

    def test_closed_wave(self):
        wave = h.make_wave(self.db, KEY.key, k=5)
        csv = os.path.join(self.tmpdir, "inv.csv")
        h.run_ok("invitations", "issue", "--db", self.db, "--wave",
                 str(wave), "--count", "5", "--base-url",
                 "http://127.0.0.1:%d" % self.port, "--csv", csv)
        with open(csv) as f:
            codes = [l.strip().rsplit("/i/", 1)[1] for l in f
                     if "/i/" in l]
        tok, _ = self.redeem(codes[0])
        h.run_ok("wave", "close", "--db", self.db, "--wave", wave)
        closed = h.load_messages("nl")["page.closed.heading"]
        r = h.get(self.port, "/i/" + codes[1])
        self.assertEqual(r.status, 410)
        self.assertIn(closed, r.body)
        _, blinded = vc.blind(vc.new_input())
        r = h.post(self.port, "/i/" + codes[1], [("blinded", blinded.hex())])
        self.assertEqual((r.status, json.loads(r.body)),
                         (410, {"error": "closed"}))
        r = h.get(self.port, "/s/" + tok)
        self.assertEqual(r.status, 410)
        self.assertIn(closed, r.body)
        self.assertEqual(h.db_query(
            self.db, "SELECT count(*) FROM invitation_spends")[0][0], 1)


class InviteReleaseTest(Browser, h.ServerTestCase):
    """A release counts answers made from invitations in their unit, with
    the invitations as the links issued."""

    check_response = tre.ReleaseE2ETest.check_response

    def test_release_per_unit(self):
        def_path = os.path.join(self.tmpdir, "def.json")
        with open(def_path, "w") as f:
            json.dump(tre.DEFINITION, f)
        os.makedirs(os.path.join(self.tmpdir, "reference"))
        with open(os.path.join(self.tmpdir, "reference", "org.json"),
                  "w") as f:
            json.dump(tre.REFERENCE, f)
        plan = os.path.join(self.tmpdir, "plan.json")
        with open(plan, "w") as f:
            json.dump(tre.PLAN, f)
        wave = h.make_wave(self.db, KEY.key, k=tre.K, definition=def_path)
        rng = random.Random(5)

        def one():
            a = tre.answer(rng, False)
            a["gezien"] = rng.choice(["ja", "nee"])
            a["gender"] = rng.choice(["vrouw", "man"])
            return a
        for tok in h.issue_tokens(self.db, wave, 12, unit="A",
                                  base_url="http://127.0.0.1:%d"
                                  % self.port):
            self.assertEqual(h.submit(self.port, tok, one()).status, 200)
        csv = os.path.join(self.tmpdir, "inv.csv")
        h.run_ok("invitations", "issue", "--db", self.db, "--wave",
                 str(wave), "--count", "15", "--unit", "B", "--base-url",
                 "http://127.0.0.1:%d" % self.port, "--csv", csv)
        with open(csv) as f:
            codes = [l.strip().rsplit("/i/", 1)[1] for l in f
                     if "/i/" in l]
        for code in codes[:12]:
            tok, _ = self.redeem(code)
            self.assertEqual(h.submit(self.port, tok, one()).status, 200)
        out = os.path.join(self.tmpdir, "release")
        p = h.run("release", "--db", self.db, "--wave", wave, "--key",
                  KEY.key.path, "--passphrase-file", KEY.key.pass_file,
                  "--out", out, "--plan", plan)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "tables.json"), encoding="utf-8") as f:
            tables = json.load(f)
        with open(os.path.join(out, "audit.json"), encoding="utf-8") as f:
            audit = json.load(f)
        listed = self.check_response(tables, audit,
                                     [("A", 12, 12), ("B", 12, 15)])
        self.assertEqual(listed, ["A", "B"])


if __name__ == "__main__":
    unittest.main()
