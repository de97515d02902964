"""A PDF file written object by object, so a book never has to be held in memory whole.

qpdf (through pikepdf) reads each rendered part; this writes the objects out as
they are read. Small objects are packed into compressed object streams and found
through a cross-reference stream, as qpdf's ``object_stream_mode=generate`` writes
them. What stays in memory is three numbers per object (where it is) and the
objects of the stream being filled.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from typing import BinaryIO

OBJECTS_PER_STREAM = 100
_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


class PdfWriter:
    """Numbers objects, writes them, and ends the file with its cross-reference stream and trailer."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._position = 0
        self._digest = hashlib.md5(usedforsecurity=False)  # the file id: the same bytes, the same id
        # Cross-reference entries by object number: (kind, field 2, field 3) as PDF 1.5 defines them.
        self._kinds = array("B", [0])
        self._seconds = array("Q", [0])
        self._thirds = array("L", [65535])
        self._packed: list[tuple[int, bytes]] = []
        self._write(_HEADER)

    def reserve(self) -> int:
        """A number for an object written later."""
        self._kinds.append(0)
        self._seconds.append(0)
        self._thirds.append(0)
        return len(self._kinds) - 1

    def add(self, number: int, body: bytes) -> None:
        """A non-stream object, packed with its neighbours into an object stream."""
        self._packed.append((number, body))
        if len(self._packed) >= OBJECTS_PER_STREAM:
            self._flush()

    def add_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream object: ``dictionary`` without ``/Length``, ``data`` already encoded by its filters."""
        assert dictionary.startswith(b"<<")
        head = b"<< /Length %d" % len(data) + dictionary[2:]
        self._direct(number, head + b"\nstream\n" + data + b"\nendstream")

    def finish(self, root: int, info: int | None) -> None:
        """The cross-reference stream and the trailer: after it, the file is complete."""
        self._flush()
        number = self.reserve()
        self._kinds[number], self._seconds[number] = 1, self._position
        offset_width = max(1, (self._position.bit_length() + 7) // 8)
        rows = bytearray()
        for kind, second, third in zip(self._kinds, self._seconds, self._thirds, strict=True):
            rows += bytes([kind]) + second.to_bytes(offset_width, "big") + third.to_bytes(2, "big")
        identifier = self._digest.hexdigest().encode()
        trailer = b"/Root %d 0 R" % root + (b" /Info %d 0 R" % info if info is not None else b"")
        data = zlib.compress(bytes(rows))
        dictionary = (
            b"<< /Type /XRef /Size %d /W [ 1 %d 2 ] /Filter /FlateDecode /Length %d %s /ID [ <%s> <%s> ] >>"
            % (len(self._kinds), offset_width, len(data), trailer, identifier, identifier)
        )
        start = self._position
        self._write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, dictionary, data))
        self._write(b"startxref\n%d\n%%%%EOF\n" % start)

    def _direct(self, number: int, body: bytes) -> None:
        self._kinds[number], self._seconds[number], self._thirds[number] = 1, self._position, 0
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _flush(self) -> None:
        if not self._packed:
            return
        stream = self.reserve()
        offsets, bodies, size = [], [], 0
        for index, (number, body) in enumerate(self._packed):
            self._kinds[number], self._seconds[number], self._thirds[number] = 2, stream, index
            offsets.append(b"%d %d" % (number, size))
            bodies.append(body)
            size += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n")
        dictionary = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>" % (len(self._packed), len(header))
        self._packed = []
        self.add_stream(stream, dictionary, data)

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)
        self._position += len(data)
