"""Files with identifying metadata for the attachment tests, and exiftool
to look into them.

The pictures start from the small plain files in tests/data/attach/
(made by libvips, no metadata); exiftool (Debian's
libimage-exiftool-perl) writes the tags a reporter's phone or word
processor would leave: a GPS position, a camera serial number, an
artist, XMP, IPTC, a comment and an embedded thumbnail. The PDF is
written here, then given an author and XMP by exiftool. The
decompression bomb is a real one: a PNG whose 64 million pixels deflate
to some 60 KB."""

import json
import os
import re
import shutil
import struct
import subprocess
import zlib

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                    "attach")

# What must not survive cleaning: (exiftool group:tag, value written).
SECRET = "Jan Melder"
SERIAL = "CAM-7731-XQ"
IDENTIFYING_TAGS = ("GPS", "Artist", "Creator", "Author", "SerialNumber",
                    "Comment", "ThumbnailImage", "By-line", "XMPToolkit",
                    "Producer", "Title")


def exiftool(*args):
    return subprocess.run(["exiftool"] + [str(a) for a in args],
                          capture_output=True, text=True, check=True,
                          timeout=60).stdout


def tags(path):
    """Every tag exiftool finds, as {"Group:Tag": value}, with the
    embedded binary data (thumbnails) listed too."""
    out = exiftool("-j", "-a", "-G1", "-b", "-n", path)
    found = json.loads(out)[0]
    return {k: v for k, v in found.items()
            if not k.startswith(("System:", "ExifTool:", "SourceFile"))}


def identifying(path):
    """The tags of path that could identify its maker."""
    found = tags(path)
    bad = {k: v for k, v in found.items()
           if any(t.lower() in k.lower() for t in IDENTIFYING_TAGS)}
    with open(path, "rb") as f:
        raw = f.read()
    if SECRET.encode() in raw or SERIAL.encode() in raw:
        bad["raw bytes"] = "hold the name or the serial number"
    return bad


def photo_jpeg(dirname):
    """A JPEG with GPS EXIF, a serial number, XMP, IPTC, a comment and
    an embedded thumbnail."""
    p = os.path.join(dirname, "photo.jpg")
    shutil.copy(os.path.join(DATA, "plain.jpg"), p)
    exiftool("-q", "-overwrite_original", "-GPSLatitude=52.0907",
             "-GPSLatitudeRef=N", "-GPSLongitude=5.1214",
             "-GPSLongitudeRef=E", "-SerialNumber=" + SERIAL,
             "-Artist=" + SECRET, "-XMP-dc:Creator=" + SECRET,
             "-IPTC:By-line=" + SECRET, "-Comment=" + SECRET,
             "-ThumbnailImage<=" + os.path.join(DATA, "plain.jpg"), p)
    return p


def screenshot_png(dirname):
    """A PNG with EXIF (GPS, artist), XMP and a text comment."""
    p = os.path.join(dirname, "screenshot.png")
    shutil.copy(os.path.join(DATA, "plain.png"), p)
    exiftool("-q", "-overwrite_original", "-GPSLatitude=52.0907",
             "-GPSLatitudeRef=N", "-EXIF:Artist=" + SECRET,
             "-XMP-dc:Creator=" + SECRET, "-PNG:Comment=" + SECRET, p)
    return p


def photo_heic(dirname):
    """A HEIC picture with GPS and an artist."""
    p = os.path.join(dirname, "photo.heic")
    shutil.copy(os.path.join(DATA, "plain.heic"), p)
    exiftool("-q", "-overwrite_original", "-GPSLatitude=52.0907",
             "-GPSLatitudeRef=N", "-Artist=" + SECRET, p)
    return p


def plain_pdf():
    """A one-page PDF, no metadata, as bytes."""
    text = b"BT /F1 12 Tf 20 100 Td (Brief aan de werkgever) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(text) + text +
            b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref))
    return bytes(out)


def letter_pdf(dirname):
    """A PDF with an author, a title and XMP (exiftool adds them as an
    incremental update, as many tools do)."""
    p = os.path.join(dirname, "letter.pdf")
    with open(p, "wb") as f:
        f.write(plain_pdf())
    exiftool("-q", "-overwrite_original", "-Author=" + SECRET,
             "-Title=Melding van " + SECRET, "-XMP-dc:Creator=" + SECRET,
             "-XMP-pdf:Producer=" + SERIAL, p)
    return p


def bomb_png(dirname, side=8000):
    """A decompression bomb: side x side grey pixels (64 million by
    default) in a file of some 60 KB."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = (b"\x00" * (side + 1)) * side
    png = (b"\x89PNG\r\n\x1a\n" +
           chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    p = os.path.join(dirname, "bomb.png")
    with open(p, "wb") as f:
        f.write(png)
    return p


def truncated(src, dirname, keep=0.5):
    """A copy of src cut after keep of its bytes."""
    with open(src, "rb") as f:
        data = f.read()
    p = os.path.join(dirname, "cut-" + os.path.basename(src))
    with open(p, "wb") as f:
        f.write(data[:int(len(data) * keep)])
    return p


def pdf_streams(path):
    """The streams of a PDF, inflated where they are deflated, joined:
    to find the page's text again after cleaning."""
    with open(path, "rb") as f:
        raw = f.read()
    out = b""
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            out += zlib.decompress(m.group(1))
        except zlib.error:
            out += m.group(1)
    return out
