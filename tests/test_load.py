"""Reading pages whatever their encoding; clear one-line reasons for what is not a page."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from cleansite.load import PageUnreadable, decode_page, load_page
from conftest import PAGES_DIR

PDF_PAGE = PAGES_DIR / "pdf-text" / "07KINGSTON382.txt"


def test_latin1_with_crlf_pdf_text() -> None:
    page = load_page(PDF_PAGE)
    assert page.encoding == "cp1252" and "\r" not in page.text
    assert "¶1.  Post requests" in page.text


@pytest.mark.parametrize(
    "data,encoding",
    [
        ("¶1. (U) Text – “quoted”".encode("utf-8-sig"), "utf-8-sig"),
        ("¶1. (U) Text – “quoted”".encode("utf-16"), "utf-16"),
        ("¶1. (U) Text – “quoted”".encode("cp1252"), "cp1252"),
        ("¶1. (U) Text – “quoted”".encode(), "utf-8"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    page = decode_page(Path("x.txt"), data)
    assert page.encoding == encoding and page.text == "¶1. (U) Text – “quoted”"


def test_a_utf8_page_with_a_few_windows_1252_bytes_keeps_its_utf8() -> None:
    """The real PDF text of 07KINGSTON382 (Windows-1252: "¶" is byte 0xB6) pasted into a UTF-8 page: each part as written."""
    data = PDF_PAGE.read_bytes()
    pasted = data[data.index(b"\xb6") - 200 : data.index(b"\xb6") + 200]
    assert any(byte >= 0x80 for byte in pasted)
    data = "Saved by a scraper – “Cablegate”, café\n".encode() + pasted + "\nnaïve".encode()
    page = decode_page(Path("x.txt"), data)
    assert page.encoding == "utf-8 (some bytes Windows-1252)"
    assert page.text.startswith("Saved by a scraper – “Cablegate”, café\n") and page.text.endswith("\nnaïve")
    assert pasted.decode("cp1252").replace("\r\n", "\n") in page.text


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image), not a page"),
        (gzip.compress(b"hello"), "binary file (gzip archive), not a page"),
        (bytes(range(1, 32)) * 50, "binary file (control bytes), not a page"),
    ],
)
def test_not_a_page(data: bytes, reason: str) -> None:
    with pytest.raises(PageUnreadable, match=rf"^{reason.replace('(', '.').replace(')', '.')}$"):
        decode_page(Path("x"), data)


def test_nul_bytes_and_mixed_line_ends_are_cleaned() -> None:
    page = decode_page(Path("x"), b"one\r\ntwo\rthree\x00\nfour")
    assert page.text == "one\ntwo\nthree\nfour"


def test_too_large_page(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(PageUnreadable, match="page too large"):
        load_page(big, max_bytes=1024)
