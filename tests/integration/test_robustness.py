"""Malformed input from the network: never a crash, never a 5xx, never a
stored answer, and the respondent's link keeps working."""

import random
import socket
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


NAMES = ["q_nope", "q_mezelf_zijn", "q_meegemaakt", "q_toelichting",
         "q_soort_werk", "lang", "q_", "q", "", "q_%00", "q_soort_werk%5B%5D",
         "q_" + "n" * 70, "%", "%4", "%zz", "q_toelichting\u00e9", "a+b",
         "q_gewaardeerd"]
VALUES = ["", "1", "6", "0", "-1", "4 ", "geen", "pesten", "xx", "%",
          "%G1", "%00", "%FF%FE", "\u00e9\u00e8", "<script>", "a" * 501,
          "\u202e", "%0D%0A", "nl", "en", "+"]


def random_body(rnd):
    """A form body that is never a valid answer: the required question
    soort_werk is absent or has no valid value."""
    parts = []
    for _ in range(rnd.randint(0, 12)):
        name = rnd.choice(NAMES)
        value = rnd.choice(VALUES)
        if name == "q_soort_werk" and value in ("beleid",):
            value = "x"
        if rnd.random() < 0.2:
            parts.append(name)                       # no '='
        else:
            parts.append("%s=%s" % (name, value))
    sep = rnd.choice(["&", "&", "&", "&&", ";"])
    body = sep.join(parts)
    if rnd.random() < 0.1:
        body += "&"
    return body.encode("utf-8")


class RobustnessTest(h.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_random_malformed_forms_store_nothing_and_never_5xx(self):
        wave, tokens = self.new_wave()
        tok = tokens[0]
        rnd = random.Random(20260101)
        seen = {}
        for i in range(150):
            body = random_body(rnd)
            r = h.request(self.port, "POST", "/s/" + tok, body=body,
                          headers={"Content-Type":
                                   "application/x-www-form-urlencoded"})
            seen[r.status] = seen.get(r.status, 0) + 1
            self.assertIn(r.status, (400, 413, 422),
                          "body %r gave %d" % (body, r.status))
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.token_state(self.db, tok), "unspent")
        r = h.submit(self.port, tok, h.VALID_ANSWER)
        self.assertEqual(r.status, 200)
        self.assertStored(wave, answers=1, spent=1)

    def test_oversized_and_odd_requests(self):
        wave, tokens = self.new_wave()
        tok = tokens[0]
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        cases = [
            ("body over 64 KiB", "POST", "/s/" + tok,
             b"q_soort_werk=beleid&q_toelichting=" + b"a" * 70000, form,
             (413,)),
            ("many fields", "POST", "/s/" + tok,
             b"&".join([b"q_meegemaakt=geen"] * 600), form, (413, 422)),
            ("long field name", "POST", "/s/" + tok,
             b"q_" + b"x" * 100 + b"=1&q_soort_werk=beleid", form,
             (413, 422)),
            ("NUL in body", "POST", "/s/" + tok,
             b"q_soort_werk=beleid\x00&q_toelichting=x", form, (400, 422)),
            ("no content type", "POST", "/s/" + tok,
             b"q_soort_werk=beleid", {}, (400, 415)),
            ("multipart", "POST", "/s/" + tok, b"--b\r\n\r\n--b--\r\n",
             {"Content-Type": "multipart/form-data; boundary=b"},
             (400, 415)),
            ("PUT", "PUT", "/s/" + tok, b"q_soort_werk=beleid", form,
             (400, 405)),
            ("DELETE", "DELETE", "/s/" + tok, None, {}, (400, 405)),
            ("long path", "GET", "/s/" + "A" * 3000, None, {},
             (404, 414)),
            ("dot dot", "GET", "/static/../gehoord.db", None, {}, (404,)),
            ("POST to /", "POST", "/", b"x=1", form, (404, 405)),
        ]
        for what, method, path, body, headers, want in cases:
            with self.subTest(what=what):
                r = h.request(self.port, method, path, body=body,
                              headers=headers)
                self.assertIn(r.status, want)
        self.assertStored(wave, answers=0, spent=0)
        self.assertEqual(h.submit(self.port, tok,
                                  {"soort_werk": "beleid"}).status, 200)

    def test_half_sent_request_does_not_block_others(self):
        wave, tokens = self.new_wave()
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        try:
            s.sendall(b"POST /s/" + tokens[0].encode() + b" HTTP/1.1\r\n"
                      b"Host: x\r\nContent-Type: application/"
                      b"x-www-form-urlencoded\r\nContent-Length: 1000\r\n"
                      b"\r\nq_soort_werk=bel")
            r = h.submit(self.port, tokens[1], h.VALID_ANSWER, timeout=30)
            self.assertEqual(r.status, 200)
        finally:
            s.close()
        # The cut-off submission stored nothing and its link still works.
        self.assertEqual(h.token_state(self.db, tokens[0]), "unspent")
        self.assertEqual(h.submit(self.port, tokens[0],
                                  h.VALID_ANSWER).status, 200)
        self.assertStored(wave, answers=2, spent=2)

    def test_static_stylesheet_is_served_with_headers(self):
        r = h.get(self.port, "/static/style.css")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/css"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(h.get(self.port, "/static/nope.css").status, 404)


if __name__ == "__main__":
    unittest.main()
