"""Many respondents at once: every submission is stored exactly once."""

import concurrent.futures
import unittest

import harness as h

KEY = h.ModuleKey()


def setUpModule():
    KEY.setup()


def tearDownModule():
    KEY.teardown()


ANSWERS = [
    {"soort_werk": "uitvoering", "mezelf_zijn": "5"},
    {"soort_werk": "beleid", "meegemaakt": ["pesten", "agressie"]},
    dict(h.VALID_ANSWER),
    {"soort_werk": "beide", "toelichting": "t" * 500},
]


class ConcurrencyTest(h.ServerTestCase):

    threads = 4

    @classmethod
    def setUpClass(cls):
        cls.key = KEY.key
        super().setUpClass()

    def test_200_concurrent_submissions_are_all_stored(self):
        wave, tokens = self.new_wave(n_tokens=200)
        self.assertEqual(len(set(tokens)), 200)

        def one(i):
            return h.submit(self.port, tokens[i], ANSWERS[i % len(ANSWERS)],
                            timeout=120).status

        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as ex:
            statuses = list(ex.map(one, range(200)))
        self.assertEqual(statuses, [200] * 200)
        self.assertStored(wave, answers=200, spent=200)
        self.assertEqual(h.tokens_count(self.db, wave), 200)
        ids = h.db_query(self.db, "SELECT id FROM answers WHERE wave_id = ?",
                         (wave,))
        self.assertEqual(len({r[0] for r in ids}), 200)
        self.assertTrue(all(len(r[0]) == 16 for r in ids))

    def test_same_token_raced_is_stored_once(self):
        wave, tokens = self.new_wave()
        tok = tokens[0]

        def one(i):
            return h.submit(self.port, tok, ANSWERS[i % len(ANSWERS)],
                            timeout=120).status

        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as ex:
            statuses = list(ex.map(one, range(20)))
        self.assertEqual(statuses.count(200), 1, statuses)
        self.assertEqual(statuses.count(410), 19, statuses)
        self.assertStored(wave, answers=1, spent=1)

    def test_sealed_answers_have_one_size(self):
        # Padding to one bucket: a short and a long answer look the same.
        wave, tokens = self.new_wave()
        self.assertEqual(h.submit(self.port, tokens[0],
                                  {"soort_werk": "beleid"}).status, 200)
        self.assertEqual(h.submit(self.port, tokens[1],
                                  dict(h.VALID_ANSWER,
                                       toelichting="é" * 500)).status, 200)
        sizes = h.db_query(self.db, "SELECT length(sealed) FROM answers "
                           "WHERE wave_id = ?", (wave,))
        self.assertEqual(len(sizes), 2)
        self.assertEqual(sizes[0][0], sizes[1][0])


if __name__ == "__main__":
    unittest.main()
