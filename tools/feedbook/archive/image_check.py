"""Is this an image feedbook can embed? Decoded whole by Pillow, within a pixel limit.

A file that passes a magic-number check but is truncated, carries garbage after its
header, lies about its size or is a decompression bomb (a 40,000 x 40,000 PNG is
190 KB) would otherwise be accepted into the book and fail or corrupt the PDF later.
WeasyPrint copies a PNG's compressed rows into the PDF as they are, so a PNG is also
checked for what Pillow forgives: chunk checksums, and rows that end before the
height its header gives.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

from PIL import Image, ImageFile, UnidentifiedImageError

# About a 40-megapixel photograph; decoded as RGBA it takes 160 MB in WeasyPrint.
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7's passes: first column, first row, column step, row step.
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def checked_image(data: bytes, content_type: str = "") -> tuple[bytes, str]:
    """``data`` and its file extension once Pillow has decoded it whole; ValueError otherwise."""
    # WeasyPrint sets this on import, for the whole process: a truncated image would pass.
    forgiving, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                extension = FORMATS.get(image.format or "")
                if extension is None:
                    raise ValueError(f"not a PNG, JPEG, GIF or WebP image ({image.format or 'unknown format'})")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f"{width:,} x {height:,} pixels is more than {MAX_PIXELS:,}")
                image.load()
            if extension == ".png":
                _check_png(data)
    except Image.DecompressionBombError:
        raise ValueError(f"more than {MAX_PIXELS:,} pixels") from None
    except UnidentifiedImageError:
        raise ValueError(f"not a PNG, JPEG, GIF or WebP image ({content_type or 'unknown type'})") from None
    except (OSError, SyntaxError, EOFError, struct.error, zlib.error) as error:
        why = " ".join(str(error).split()) or type(error).__name__
        raise ValueError(f"the image cannot be decoded ({why})") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = forgiving
    return data, extension


def _check_png(data: bytes) -> None:
    """Every chunk's CRC right, and exactly as many bytes of rows as the header promises."""
    position, rows, header = 8, zlib.decompressobj(), b""
    found = 0
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        tag = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length] or b"\0\0\0\0")
        if len(body) < length or zlib.crc32(tag + body) & 0xFFFFFFFF != crc:
            raise OSError(f"broken PNG chunk {tag.decode('latin-1')!r}")
        if tag == b"IHDR":
            header = body
        elif tag == b"IDAT":
            found += _inflated_length(rows, body)
        elif tag == b"IEND":
            break
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header[:13])
    bits = depth * _PNG_CHANNELS.get(colour, 4)
    passes = _ADAM7 if interlace else ((0, 0, 1, 1),)
    expected = 0
    for x0, y0, dx, dy in passes:
        columns, lines = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and lines > 0:
            expected += lines * (1 + -(-columns * bits // 8))
    if found < expected:
        raise OSError(f"the rows end after {found:,} of {expected:,} bytes")


def _inflated_length(stream: zlib._Decompress, body: bytes) -> int:
    """Bytes that ``body`` inflates to, counted a megabyte at a time (never held whole)."""
    total = len(stream.decompress(body, 1 << 20))
    while stream.unconsumed_tail:
        total += len(stream.decompress(stream.unconsumed_tail, 1 << 20))
    return total
