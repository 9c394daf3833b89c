"""gehoord clean: the confined cleaner that attachments go through, run
from the command line on files with identifying metadata; what comes out
is checked with exiftool."""

import os
import unittest

import attach_files as af
import harness as h


class CleanTest(unittest.TestCase):
    def setUp(self):
        self.dir = h.mkdtemp()

    def tearDown(self):
        h.rmtree(self.dir)

    def clean(self, src, name):
        out = os.path.join(self.dir, name)
        p = h.run("clean", "--in", src, "--out", out)
        return p, out

    def assert_cleaned(self, src, name, mime):
        self.assertTrue(af.identifying(src), "the test file has no "
                        "metadata to remove: %s" % src)
        p, out = self.clean(src, name)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(mime, p.stderr)
        self.assertEqual(af.identifying(out), {})
        return out

    def test_clean_jpeg_drops_gps_xmp_iptc_comment_thumbnail(self):
        out = self.assert_cleaned(af.photo_jpeg(self.dir), "o.jpg",
                                  "image/jpeg")
        found = af.tags(out)
        self.assertEqual(found.get("File:ImageWidth"), 96)
        self.assertFalse([k for k in found if k.startswith(
            ("GPS", "IFD0", "IFD1", "ExifIFD", "XMP", "IPTC", "ICC"))])

    def test_clean_png_drops_exif_xmp_text(self):
        out = self.assert_cleaned(af.screenshot_png(self.dir), "o.png",
                                  "image/png")
        found = af.tags(out)
        self.assertFalse([k for k in found if k.startswith(
            ("GPS", "IFD0", "XMP", "PNG:Comment"))])

    def test_clean_heic_comes_out_as_jpeg_without_metadata(self):
        out = self.assert_cleaned(af.photo_heic(self.dir), "o.jpg",
                                  "image/jpeg")
        self.assertEqual(af.tags(out).get("File:FileType"), "JPEG")

    def test_clean_pdf_drops_info_and_xmp(self):
        out = self.assert_cleaned(af.letter_pdf(self.dir), "o.pdf",
                                  "application/pdf")
        found = af.tags(out)
        self.assertEqual(found.get("PDF:PageCount"), 1)
        self.assertFalse([k for k in found if k.startswith("XMP")])
        self.assertIn(b"Brief aan de werkgever", af.pdf_streams(out))

    def assert_refused(self, src, words):
        p, out = self.clean(src, "refused")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("refused: " + words, p.stderr)
        self.assertFalse(os.path.exists(out))

    def test_clean_refuses_decompression_bomb(self):
        self.assert_refused(af.bomb_png(self.dir), "the picture has too "
                            "many pixels")

    def test_clean_refuses_truncated_files(self):
        self.assert_refused(af.truncated(af.photo_jpeg(self.dir), self.dir),
                            "the file is damaged or incomplete")
        self.assert_refused(af.truncated(af.letter_pdf(self.dir), self.dir),
                            "the file is damaged or incomplete")
        self.assert_refused(af.truncated(af.screenshot_png(self.dir),
                                         self.dir),
                            "the file is damaged or incomplete")

    def test_clean_refuses_other_types(self):
        p = os.path.join(self.dir, "note.txt")
        with open(p, "w") as f:
            f.write("<script>alert(1)</script>")
        self.assert_refused(p, "not a JPEG, PNG, HEIC or PDF file")

    def test_clean_refuses_over_10_mb(self):
        p = os.path.join(self.dir, "big.jpg")
        with open(p, "wb") as f:
            f.write(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024))
        self.assert_refused(p, "empty, or larger than 10 MB")

    def test_clean_never_overwrites(self):
        src = af.photo_jpeg(self.dir)
        p = h.run("clean", "--in", src, "--out", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn("exists already", p.stderr)
        self.assertTrue(af.identifying(src))

    def test_clean_usage(self):
        self.assertEqual(h.run("clean").returncode, 2)
        p = h.run("clean", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--in FILE", p.stdout)


if __name__ == "__main__":
    unittest.main()
