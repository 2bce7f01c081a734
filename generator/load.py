"""Read a page from disk and decode it, whatever its encoding."""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
from pathlib import Path

from cleansite.inputs import PAGE_SUFFIXES, find_inputs  # noqa: F401 - PAGE_SUFFIXES re-exported
from cleansite.model import RawPage

MAX_PAGE_BYTES = 20 * 1024 * 1024

# Signatures of binary files people often find in a scrape folder.
_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\x1f\x8b": "gzip archive",
    b"PK\x03\x04": "zip archive",
    b"%PDF": "PDF file (extract its text first)",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


class PageUnreadable(ValueError):
    """Raised with a one-line reason when a page cannot be read as text."""


def find_pages(paths: list[Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of page files (``inputs.find_inputs`` also says what it left out)."""
    return find_inputs(paths).pages


def read_page_bytes(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The bytes of a page file; PageUnreadable (with the reason) if it cannot or should not be read.

    Only a regular file is read (``/dev/zero`` would fill the memory, a named pipe hang for
    ever), and never more than ``max_bytes`` of it, whatever its size said when it was opened.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a named pipe must not wait for a writer
    except OSError as error:
        raise PageUnreadable(f"cannot read file: {error.strerror or error}") from error
    with os.fdopen(handle, "rb", buffering=0) as file:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise PageUnreadable("not a regular file (a device, pipe or socket), not read")
        try:
            data = _read_at_most(file, max_bytes + 1, status.st_size)
        except OSError as error:
            raise PageUnreadable(f"cannot read file: {error.strerror or error}") from error
    if len(data) > max_bytes:
        size = max(len(data), os.stat(path).st_size) if path.exists() else len(data)
        raise PageUnreadable(f"page too large ({size / 2**20:.1f} MiB, limit {max_bytes / 2**20:g} MiB)")
    return data


def _read_at_most(file: io.FileIO, limit: int, size: int) -> bytes:
    """Up to ``limit`` bytes of ``file``: one read of the size the file had when opened (a buffer
    of ``limit`` bytes would be allocated for every page), then more only if it grew since."""
    data = file.read(min(size + 1, limit))
    while len(data) < limit and (more := file.read(min(limit - len(data), _GROWTH))):
        data += more
    return data


_GROWTH = 1 << 16  # what is read at a time past the size a page had when opened (each read allocates that much)


def load_page(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> RawPage:
    """Read ``path`` and return its decoded text; raise PageUnreadable with the reason."""
    return decode_page(path, read_page_bytes(path, max_bytes))


def decode_page(path: Path, data: bytes) -> RawPage:
    """Decode page bytes: BOM, then UTF-8, then a declared charset, then Windows-1252."""
    if not data.strip():
        raise PageUnreadable("empty file")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise PageUnreadable(f"binary file ({what}), not a page")
    text, encoding = _decode(data)
    # A UTF-8 page without a control byte has no control character: neither check nor pass over its text.
    controls = encoding != "utf-8" or _has_control_bytes(data)
    if controls and _looks_binary(text):
        raise PageUnreadable("binary file (control bytes), not a page")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls:
        text = _CONTROL_CHARS.sub("", text)
    return RawPage(path=path, text=text, encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared in (None, "utf-8") and _mostly_utf8(data):
        # A UTF-8 page with a few bytes of another encoding pasted in: those bytes as Windows-1252, the rest as
        # UTF-8 (decoding it all as Windows-1252 would turn every other accented letter into two).
        return data.decode("utf-8", errors=_CP1252_BYTES), "utf-8 (some bytes Windows-1252)"
    if declared:
        return data.decode(declared, errors="replace"), declared
    # Windows-1252 is a superset of Latin-1's printable range (0xB6 is the ¶ of PDF text).
    return data.decode("cp1252", errors="replace"), "cp1252"


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_BYTES = "cleansite-cp1252-bytes"
codecs.register_error(_CP1252_BYTES, lambda error: (error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end))


def _mostly_utf8(data: bytes) -> bool:
    """More well-formed multi-byte UTF-8 sequences than bytes outside them that are not ASCII."""
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = sum(byte >= 0x80 for byte in data) - sum(map(len, sequences))
    return len(sequences) > stray


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f]")
# Control characters are never text (ESC would reach terminals and pages); the same set strip.py drops from HTML, and C1.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# The same characters in UTF-8 bytes: C0 and DEL are single bytes, C1 (U+0080-U+009F) is 0xC2 0x80-0x9F.
_C0_BYTES = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _has_control_bytes(data: bytes) -> bool:
    """True if UTF-8 ``data`` holds a control character: two C-speed passes instead of a regex over every character."""
    return len(data.translate(None, _C0_BYTES)) != len(data) or (not data.isascii() and _C1_UTF8.search(data) is not None)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample))
    nuls = sample.count("\x00")
    return controls > len(sample) * 0.05 or nuls > len(sample) * 0.3
